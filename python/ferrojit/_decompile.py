"""A function's source text rebuilt from its code object, for functions that have no source file
(defined in ``exec()``, ``python -c`` or at the interactive prompt).

ferrojit compiles source text. When a function's text cannot be found, this module rebuilds a
Python ``ast`` for it from CPython's bytecode (its instructions, decoded from ``co_code`` by
:func:`instructions`, the jump targets and the lines) and renders it with ``ast.unparse``, each statement on the
line it has in the code object (blank lines pad the gaps), so that compile errors name the
user's lines.

The text is only a candidate: ``ferrojit._source`` compiles it with CPython and compares the
result with the function's code object exactly as it checks text read from files. A text that is
not the code Python runs is never compiled; anything this module does not recognise raises
:class:`DecompileError` naming the construct and its line, which the caller turns into an
``UnsupportedError``.

CPython 3.11's instructions are read (``_READERS``): 3.11's bytecode as it is, 3.12's as the
native decoder translates it into 3.11's instructions, with its exception handling laid out as
3.11 has it (``_reading``, ``ferrojit._native.instructions``); what 3.12 compiles otherwise in a
way the translation keeps (comprehensions inlined in the function, PEP 709) is read by handlers
of its own (``inlined_comprehension``). The instruction handlers are methods named by opcode
(``op_LOAD_FAST``). On other versions, :func:`function_text` raises :class:`DecompileError`.

The handlers of the constructs that numerical functions seldom have (``try``, ``with``,
``match``, nested functions, comprehensions, imports, f-strings, ...) are in
``ferrojit._decompile_more``, imported only for a function that has one: ``_Reader`` stops at
the first handler it lacks (``_LESS_COMMON``) and the function is read again by the subclass
that has them all.

The reader is a symbolic interpreter of the stack: each instruction pops and pushes expression
nodes, and a statement ends where the stack is back at the depth it had when the statement
started. Control flow is recovered from CPython 3.11's compilation patterns:

- a condition is a sequence of conditional jumps ("atoms", each jumping when its value is true
  or false); the boolean expression is rebuilt from which atoms jump where (``_boolean``);
- ``if``: the condition's false target ends the body; an unconditional jump at the body's end
  over the following code is the ``else``;
- ``while``: the test is compiled twice, before the body and after it (jumping back);
  ``while True`` is a backward jump to the start of a statement;
- ``for``: ``GET_ITER``, ``FOR_ITER`` to the loop's exit, the body, a jump back;
- ``break`` pops the loop's iterator and jumps out; ``continue`` jumps to the loop's header;
- comprehensions are code objects of their own, read as loops that append and then folded;
- ``try``/``except``/``finally`` and ``with`` come from ``co_exceptiontable``: a range whose
  handler starts with ``PUSH_EXC_INFO`` is a ``try`` body; the handler tests the exception's
  type (``CHECK_EXC_MATCH``) for each ``except`` clause, or is the ``finally`` body (which the
  normal path runs as a copy before the handler); ``BEFORE_WITH`` starts a ``with`` whose body
  ends with the call of ``__exit__(None, None, None)`` (or, when it ends in ``return``,
  ``raise``, ``break`` or ``continue``, has that call before each way out);
- a condition may hold conditional expressions (``if (a if c else b):``): unconditional jumps
  between its atoms, a constant operand compiled to a jump or to nothing (``_conditional_group``);
- ``match``: a subject copied for each case but the last, each pattern's tests jumping into a
  chain of ``POP_TOP`` that falls into the next case (``match_statement``);
- a frozenset constant is written as a set display in an order that builds the constant's own
  iteration order (``_insertion_order``).

CPython's optimizer copies small blocks that return, threads jumps through jumps and drops
unreachable code; the patterns above allow for that where it was seen, and the comparison of the
recompiled text catches the rest.
"""

from __future__ import annotations

import ast
import sys


class DecompileError(Exception):
    """A construct of the bytecode that is not rebuilt; ``construct`` says which, ``line`` where
    (None when unknown)."""

    def __init__(self, construct, line=None):
        super().__init__(construct)
        self.construct = construct
        self.line = line


def supported():
    """Whether this Python's bytecode can be read."""
    return sys.version_info[:2] in _READERS


def function_text(code):
    """``(text, first_line)``: a ``def`` statement for the function of ``code`` whose
    statements stand on the lines they have in ``code``, and the line its first line has.

    Parameters are written without defaults or annotations (those belong to the code that
    made the function, not to its code object; ferrojit takes the defaults from the function
    itself). Raises DecompileError."""
    if code.co_name == "<lambda>":
        raise DecompileError("a `lambda` as the compiled function (ferrojit compiles functions defined with `def`)", code.co_firstlineno)
    reader = _READERS.get(sys.version_info[:2])
    if reader is None:
        readable = ", ".join(f"{major}.{minor}" for major, minor in sorted(_READERS))
        raise DecompileError(f"Python {sys.version_info[0]}.{sys.version_info[1]}'s bytecode (only that of Python {readable} is read)")
    _decoded.clear()
    try:
        definition = reader(code).function_definition()
    except _LessCommonConstruct:
        # Read again from the start by the reader that has every handler.
        from ._decompile_more import FULL_READERS

        definition = FULL_READERS[reader](code).function_definition()
    indent = "    " if code.co_freevars else ""
    lines = _Renderer(code.co_firstlineno).render([definition], indent)
    return "".join(line + "\n" for line in lines), code.co_firstlineno


# --- instructions: decoded by `ferrojit._bytecode` ----------------------------------------------

from ._bytecode import JUMPS, _decoded, _Instruction, exception_table, instructions, translated_instructions  # noqa: E402, F401  (read by tests too)


def _reading(code):
    """``(instructions, aliases, exception_table)`` the reader reads: 3.11's bytecode as it is,
    a later Python's translated into 3.11's instructions (``translated_instructions``, whose
    aliases are the offsets of instructions left out, each with the offset of the one that
    stands for it)."""
    if sys.version_info[:2] == (3, 11):
        return instructions(code), {}, exception_table(code)
    translated = translated_instructions(code)
    if translated is None:
        raise DecompileError(f"Python {sys.version_info[0]}.{sys.version_info[1]}'s bytecode")
    return translated


# --- stack values that are not expressions -------------------------------------------------


class _Marker:
    """A stack value that is not an expression of the source (named for debugging)."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return self.name


# What `PUSH_NULL` and `LOAD_GLOBAL`'s low bit push below a callable.
_NULL = _Marker("NULL")
# What `LOAD_METHOD` pushes below the method (read here as an attribute).
_METHOD = _Marker("METHOD")
# The item `FOR_ITER` pushes: the value the loop's target is assigned.
_FOR_ITEM = _Marker("FOR_ITEM")
# `LOAD_ASSERTION_ERROR`.
_ASSERTION_ERROR = _Marker("AssertionError")
# What `PUSH_EXC_INFO` pushes: the exception being handled and the one it replaced.
_EXCEPTION = _Marker("exception")
# The context manager's `__exit__`, under a `with` block's statements, and its result when a
# jump out of the block called it.
_WITH_EXIT = _Marker("__exit__")
_EXITED = _Marker("__exit__()")


class _Saved:
    """The value of a variable that a comprehension compiled in the function binds, saved while
    it runs (3.12's ``LOAD_FAST_AND_CLEAR``) and stored back after it."""

    def __init__(self, name):
        self.name = name


class _Iter:
    """``GET_ITER`` of an expression: the iterator a ``for`` loop or a comprehension walks."""

    def __init__(self, expr):
        self.expr = expr


class _Code:
    """A code object loaded as a constant (for ``MAKE_FUNCTION``)."""

    def __init__(self, code):
        self.code = code


class _Function:
    """``MAKE_FUNCTION``'s result: a nested function, lambda or comprehension."""

    def __init__(self, code, defaults, kwdefaults, annotations=None, decorators=()):
        self.code = code
        self.defaults = defaults
        self.kwdefaults = kwdefaults
        self.annotations = annotations
        # Applied innermost first: `@a @b def f` calls b, then a.
        self.decorators = list(decorators)


class _Accumulator:
    """The list, set or dict a comprehension's code builds (``kind`` is "list", "set", "dict")."""

    def __init__(self, kind):
        self.kind = kind


class _UnpackGroup:
    """The targets of one ``UNPACK_SEQUENCE``/``UNPACK_EX``, filled by the stores that follow."""

    def __init__(self, value, count, starred):
        self.value = value
        self.targets = [None] * count
        self.starred = starred
        self.filled = 0


class _Slot:
    """One item of an unpacking, waiting for its store."""

    def __init__(self, group, index):
        self.group = group
        self.index = index


class _InPlace:
    """``BINARY_OP`` of an in-place operator: ``target op= value`` once stored."""

    def __init__(self, target, op, value):
        self.target = target
        self.op = op
        self.value = value


class _Import:
    """``IMPORT_NAME``'s module: ``import name`` once stored; with a ``fromlist``, the module
    that ``IMPORT_FROM`` takes names from, ``from name import ...`` once popped."""

    def __init__(self, name, fromlist, level):
        self.name = name
        self.fromlist = fromlist
        self.level = level
        self.aliases = []  # of `from ... import`, as stored
        self.asname = None  # of `import a.b as c`


class _ImportAttr:
    """``IMPORT_FROM``'s value: a name of a module (or a submodule, for ``import a.b as c``)."""

    def __init__(self, module, name):
        self.module = module
        self.name = name


class _Stored:
    """A value stored while a copy of it stays on the stack (``COPY 1`` then a store):
    ``a = b = value`` when another store takes it, ``(a := value)`` when an expression does."""

    def __init__(self, value, targets):
        self.value = value
        self.targets = targets


class _AssertionRaise(ast.stmt):
    """``raise AssertionError(msg)`` as ``assert`` compiles it; becomes an ``ast.Assert``."""

    _fields = ("msg",)


class _Append(ast.stmt):
    """A comprehension's ``LIST_APPEND``/``SET_ADD`` (``value``) or ``MAP_ADD`` (``key``,
    ``value``)."""

    _fields = ("key", "value")


class _ForTarget(ast.stmt):
    """The store of ``FOR_ITER``'s item: the loop's target."""

    _fields = ("target",)


class _Break(ast.stmt):
    """``break``: a jump out of the loop (written ``break`` by the renderer)."""

    _fields = ()


class _NotExpression(Exception):
    """An instruction range tried as an expression ended a statement."""


_BINARY_OPERATORS = [
    ast.Add, ast.BitAnd, ast.FloorDiv, ast.LShift, ast.MatMult, ast.Mult, ast.Mod, ast.BitOr,
    ast.Pow, ast.RShift, ast.Sub, ast.Div, ast.BitXor,
]
_COMPARE_OPERATORS = {"<": ast.Lt, "<=": ast.LtE, "==": ast.Eq, "!=": ast.NotEq, ">": ast.Gt, ">=": ast.GtE}
_UNARY = {"UNARY_NEGATIVE": ast.USub, "UNARY_POSITIVE": ast.UAdd, "UNARY_NOT": ast.Not, "UNARY_INVERT": ast.Invert}
_CONDITIONAL_JUMPS = {
    # opcode -> (jumps when the value is true?, the value's test is `is None`?)
    "POP_JUMP_FORWARD_IF_FALSE": (False, False),
    "POP_JUMP_BACKWARD_IF_FALSE": (False, False),
    "POP_JUMP_FORWARD_IF_TRUE": (True, False),
    "POP_JUMP_BACKWARD_IF_TRUE": (True, False),
    "POP_JUMP_FORWARD_IF_NONE": (True, True),
    "POP_JUMP_BACKWARD_IF_NONE": (True, True),
    "POP_JUMP_FORWARD_IF_NOT_NONE": (False, True),
    "POP_JUMP_BACKWARD_IF_NOT_NONE": (False, True),
}
# `code.co_flags` bit of `from __future__ import annotations`.
_FUTURE_ANNOTATIONS = 0x1000000
_UNCONDITIONAL_JUMPS = {"JUMP_FORWARD", "JUMP_BACKWARD", "JUMP_BACKWARD_NO_INTERRUPT"}
# 3.11's jumps (`opcode.hasjrel`; its `hasjabs` is empty): the instructions whose `argval` is a
# target.
_JUMP_OPNAMES = {*_CONDITIONAL_JUMPS, *_UNCONDITIONAL_JUMPS, "FOR_ITER", "SEND", "JUMP_IF_FALSE_OR_POP", "JUMP_IF_TRUE_OR_POP"}
_COMPARES = {"COMPARE_OP", "IS_OP", "CONTAINS_OP"}
# Instructions with no effect on what a function computes.
_SKIPPED = {"RESUME", "NOP", "PRECALL", "CACHE", "MAKE_CELL", "COPY_FREE_VARS", "EXTENDED_ARG"}


def _name(name, store=False):
    return ast.Name(id=name, ctx=ast.Store() if store else ast.Load())


def _constant_expr(value):
    """A constant as the expression that compiles to it (a frozenset is a set display, its
    items in an order that builds it with its own iteration order: see
    ``ferrojit._decompile_more.insertion_order``)."""
    if isinstance(value, frozenset):
        if not value:
            return ast.Call(_name("frozenset"), [], [])
        from ._decompile_more import insertion_order

        order = insertion_order(value)
        if order is None:
            raise DecompileError("a set constant whose order of items cannot be rebuilt")
        return ast.Set(elts=[_constant_expr(v) for v in order])
    if isinstance(value, tuple):
        return ast.Constant(value=value)
    return ast.Constant(value=value)


def _as_store(node):
    """An expression node as an assignment target."""
    if isinstance(node, (ast.Name, ast.Attribute, ast.Subscript)):
        node.ctx = ast.Store()
    elif isinstance(node, (ast.Tuple, ast.List)):
        node.ctx = ast.Store()
        for elt in node.elts:
            _as_store(elt)
    elif isinstance(node, ast.Starred):
        node.ctx = ast.Store()
        _as_store(node.value)
    return node


def _same_target(a, b):
    return ast.dump(_as_store(a)) == ast.dump(_as_store(b))


class _Loop:
    """The loop a block is in: where ``continue`` goes (the header), where ``break`` goes, and
    whether breaking pops an iterator (``for``)."""

    def __init__(self, header, exit, pops_iterator):
        self.header = header
        self.exit = exit
        self.pops_iterator = pops_iterator
        self.break_targets = set()


class _Reader:
    """Reads one code object into ``ast`` statements."""

    def __init__(self, code):
        self.code = code
        self.ins, aliases, table = _reading(code)
        self.index_of = {ins.offset: i for i, ins in enumerate(self.ins)}
        # An instruction the translation of a later Python's bytecode left out stands for the
        # one after it.
        for alias, offset in aliases.items():
            if offset in self.index_of:
                self.index_of[alias] = self.index_of[offset]
        # A jump to an `EXTENDED_ARG` prefix is a jump to the instruction it extends (whose
        # argument has the prefix's bits already).
        for i in range(len(self.ins) - 2, -1, -1):
            if self.ins[i].opname == "EXTENDED_ARG":
                self.index_of[self.ins[i].offset] = self.index_of[self.ins[i + 1].offset]
        # target index -> indices of the backward jumps to it
        self.back_jumps = {}
        for i, ins in enumerate(self.ins):
            if ins.opname in _JUMP_OPNAMES:
                t = self.index_of.get(ins.argval)
                if t is not None and t <= i:
                    self.back_jumps.setdefault(t, []).append(i)
        # Index of a chained comparison's last conditional jump -> where its condition resumes
        # (past the cleanup block that pops the middle operand).
        self.chain_resume = {}
        # Index of the jump a chained comparison's last link `is None`/`is not None` became ->
        # whether it jumps when the whole chain is true.
        self.chain_jump_sense = {}
        self.kw_names = None
        # The exception table as (start, end, target, depth, lasti), instruction indices, end
        # exclusive.
        self.entries = []
        for start, end, target, depth, lasti in table:
            self.entries.append((self.index_of[start], self.index_of.get(end, len(self.ins)), self.index_of[target], depth, lasti))
        # Names bound by `except ... as name` (their `name = None; del name` are CPython's).
        self.handler_names = set()
        # The entries whose `try` statement is read (or being read): its body starts where
        # the entry starts, and must not be taken for the statement again.
        self.tries_read = set()
        # The `finally` bodies around what is being read (as `_finally_copy` gives them).
        self.finally_copies = []


    # --- helpers ----------------------------------------------------------------------------

    def __getattr__(self, name):
        # Called only for a name the class lacks: a handler that `ferrojit._decompile_more`'s
        # subclass of the reader defines (`_LESS_COMMON`) stops this reader, and
        # `function_text` reads the function again with that one.
        if name in _LESS_COMMON:
            raise _LessCommonConstruct(name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def line(self, i):
        """The source line of instruction ``i`` (of the first one from ``i`` that has one)."""
        for k in range(i, len(self.ins)):
            if self.ins[k].lineno is not None:
                return self.ins[k].lineno
        return None

    def fail(self, construct, i):
        raise DecompileError(construct, self.line(i) if i is not None and i < len(self.ins) else None)

    def target(self, i):
        return self.index_of[self.ins[i].argval]

    def exit_copy(self, t, after):
        """``t``, or when ``t`` starts a small block that returns, the first identical block
        that starts after ``after``."""
        block = self._exit_block(t)
        if block is None:
            return t
        for k in range(after + 1, t):
            if self._exit_block(k) == block:
                return k
        return t

    def _same_exit_block(self, a, b):
        """Whether ``a`` and ``b`` start copies of one small block that returns."""
        block = self._exit_block(a) if a < len(self.ins) else None
        return block is not None and b < len(self.ins) and block == self._exit_block(b)

    def _exit_block(self, t):
        """The instructions from ``t`` when they are a few loads ending in ``RETURN_VALUE``
        (as names and values), else None."""
        block = []
        for ins in self.ins[t : t + 4]:
            if ins.opname == "RETURN_VALUE":
                return tuple(block) if block else None
            if not ins.opname.startswith("LOAD_"):
                return None
            block.append((ins.opname, repr(ins.argval)))
        return None

    def resolve(self, i):
        """Where control ends up from instruction ``i``, through unconditional jumps and NOPs."""
        seen = set()
        while i < len(self.ins) and i not in seen:
            seen.add(i)
            op = self.ins[i].opname
            if op in _UNCONDITIONAL_JUMPS:
                i = self.target(i)
            elif op == "NOP":
                i += 1
            else:
                break
        return i

    # --- functions ----------------------------------------------------------------------------

    def function_definition(self, name=None, defaults=None, kwdefaults=None):
        """The ``ast.FunctionDef`` of the code object."""
        code = self.code
        if code.co_flags & (0x80 | 0x100 | 0x200):  # coroutine, iterable coroutine, async generator
            self.fail("an `async def` function", 0)
        for k, ins in enumerate(self.ins):
            if ins.opname == "BEFORE_ASYNC_WITH":
                self.fail("an `async with` statement", k)
        body = self.function_body()
        # `global`/`nonlocal`: names the code stores or deletes as globals, or as variables of
        # an enclosing function.
        declared = []
        globals_ = sorted({x.argval for x in self.ins if x.opname in ("STORE_GLOBAL", "DELETE_GLOBAL")})
        if globals_:
            declared.append(ast.Global(globals_))
        nonlocals = sorted({x.argval for x in self.ins if x.opname in ("STORE_DEREF", "DELETE_DEREF") and x.argval in code.co_freevars})
        if nonlocals:
            declared.append(ast.Nonlocal(nonlocals))
        for declaration in declared:
            declaration.lineno = None
            declaration.declaration = True
        body[:0] = declared
        docstring = code.co_consts[0] if code.co_consts and isinstance(code.co_consts[0], str) else None
        if docstring is not None:
            doc = ast.Expr(ast.Constant(docstring))
            doc.lineno = None
            body.insert(0, doc)
        if not body:
            stmt = ast.Pass()
            stmt.lineno = None
            body = [stmt]
        node = ast.FunctionDef(name=name or code.co_name, args=self.arguments(defaults, kwdefaults), body=body, decorator_list=[], returns=None, type_comment=None)
        node.lineno = code.co_firstlineno
        return node

    def arguments(self, defaults=None, kwdefaults=None):
        code = self.code
        names = code.co_varnames
        nargs = code.co_argcount
        nkw = code.co_kwonlyargcount
        args = [ast.arg(arg=n) for n in names[:nargs]]
        kwonly = [ast.arg(arg=n) for n in names[nargs : nargs + nkw]]
        at = nargs + nkw
        vararg = kwarg = None
        if code.co_flags & 0x04:
            vararg = ast.arg(arg=names[at])
            at += 1
        if code.co_flags & 0x08:
            kwarg = ast.arg(arg=names[at])
        posonly = args[: code.co_posonlyargcount]
        args = args[code.co_posonlyargcount :]
        kw_defaults = [None] * len(kwonly)
        if kwdefaults:
            for k, v in kwdefaults.items():
                for j, a in enumerate(kwonly):
                    if a.arg == k:
                        kw_defaults[j] = v
        return ast.arguments(posonlyargs=posonly, args=args, vararg=vararg, kwonlyargs=kwonly, kw_defaults=kw_defaults, kwarg=kwarg, defaults=list(defaults or []))

    def function_body(self):
        """The statements of the whole code object, without the implicit ``return None``.

        CPython gives the implicit ``return None`` the line of the code before it, and copies
        it to each way in; a ``return`` written last has a line of its own, after every other,
        and is one block that all ways reach. So a last ``return None`` on a line after all
        the others is kept."""
        body = self.block(0, len(self.ins), [], None, len(self.ins))
        while body and isinstance(body[-1], ast.Return) and _is_none(body[-1].value):
            line = getattr(body[-1], "lineno", None)
            before = max((n.lineno for stmt in body[:-1] for n in ast.walk(stmt) if isinstance(getattr(n, "lineno", None), int)), default=None)
            if line is not None and before is not None and line > before:
                break
            body.pop()
        consts = self.code.co_consts
        # With a docstring, None is a constant like the others, numbered where the code first
        # loads it. Last, it was first loaded by the implicit `return None` ending the
        # function, which CPython copied to the ends of branches: an `if` whose body ends in
        # such a copy, followed by more, was an `if`/`else` falling out of both. So was one
        # whose body ends in two (one per way out of it: no text has them).
        last_none = bool(consts) and isinstance(consts[0], str) and consts[-1] is None and not any(c is None for c in consts[:-1])
        return _branches_falling_out(body, last_none)

    # --- blocks of statements -----------------------------------------------------------------

    def block(self, i, end, stack, loop, exit, expression=False, base=None):
        """The statements of instructions ``[i, end)``, read with ``stack`` as the stack at
        ``i`` (which the block leaves as deep as it found it). ``loop`` is the innermost loop,
        ``exit`` where control goes after ``end``. With ``expression``, the range must compute
        values only (``_NotExpression`` otherwise) and the stack is left with them on it."""
        if base is None:
            base = len(stack)
        # What the block's stack holds below its statements (loop iterators, an exception
        # being handled), to tell what a jump out of the block popped.
        below = list(stack[:base])
        stmts = []
        start = None
        while i < end:
            if self.ins[i].opname in _SKIPPED:
                i += 1
                continue
            if self.ins[i].opname == "RETURN_GENERATOR":
                # A generator's first instructions: make the generator, pop it (never seen).
                i += 2 if i + 1 < end and self.ins[i + 1].opname == "POP_TOP" else 1
                continue
            if self.finally_copies:
                skipped = self.skip_finally_copy(i, end)
                if skipped != i:
                    i = skipped
                    continue
            if start is None and len(stack) <= base:
                start = i
                if not expression and self.back_jumps.get(i) and any(i < j < end for j in self.back_jumps[i]):
                    i = self.while_loop(i, end, stack, loop, stmts, exit)
                    start = None
                    continue
                entry = None if expression else self.try_entry(i, len(stack))
                if entry is not None:
                    i = self.try_statement(i, end, stack, loop, stmts, exit, entry)
                    start = None
                    continue
            ins = self.ins[i]
            op = ins.opname
            emitted = None
            if op in _SKIPPED:
                i += 1
                continue
            if op in _CONDITIONAL_JUMPS:
                i = self.conditional(i, end, stack, base, loop, stmts, exit, start, expression)
                if len(stack) <= base:
                    start = None
                continue
            if op in ("JUMP_IF_FALSE_OR_POP", "JUMP_IF_TRUE_OR_POP"):
                i = self.boolean_value(i, stack, loop, exit)
                continue
            if op == "FOR_ITER":
                if expression:
                    raise _NotExpression
                i = self.for_loop(i, end, stack, loop, stmts, exit)
                start = None
                continue
            if op in _UNCONDITIONAL_JUMPS:
                if expression:
                    raise _NotExpression
                popped_iterator = any(isinstance(v, _Iter) or (isinstance(v, ast.Name) and v.id == ".0") for v in below[len(stack) :])
                emitted = self.jump(i, end, stack, base, loop, exit, popped_iterator)
                i += 1
                if emitted is None:
                    continue
            elif op == "SWAP" and ins.arg == 2 and i + 2 < end and self.ins[i + 1].opname == "COPY" and self.ins[i + 1].arg == 2 and self.ins[i + 2].opname in _COMPARES:
                i = self.chained_comparison(i, end, stack, loop, exit)
                continue
            elif op == "SWAP" and ins.arg in (2, 3) and len(stack) == base + ins.arg and start is not None and all(isinstance(v, ast.expr) for v in stack[-ins.arg :]):
                # `a, b = x, y` (and three names): CPython drops the tuple and reverses the
                # values with one SWAP; the stores that follow fill the targets.
                values = stack[-ins.arg :]
                del stack[-ins.arg :]
                group = _UnpackGroup(ast.Tuple(values, ast.Load()), ins.arg, None)
                stack.extend(_Slot(group, k) for k in reversed(range(ins.arg)))
                i += 1
                continue
            elif op.startswith("STORE_") and self._parallel_assignment(ins, stack, base):
                continue
            elif not expression and len(stack) == base + 1 and isinstance(stack[-1], ast.expr) and start is not None and (op == "MATCH_SEQUENCE" or (op == "COPY" and ins.arg == 1 and self._starts_match(i, end)) or (op.startswith("LOAD_") and self._class_pattern_at(i, end) is not None)):
                i = self.match_statement(i, end, stack, loop, stmts, exit, start)
                start = None
                continue
            elif op == "BEFORE_WITH":
                if expression:
                    raise _NotExpression
                i = self.with_statement(i, end, stack, loop, stmts, start)
                start = None
                continue
            elif op == "LOAD_FAST_AND_CLEAR":
                i = self.inlined_comprehension(i, stack)
                continue
            elif op == "GET_YIELD_FROM_ITER":
                i = self.yield_from(i, stack)
                continue
            else:
                emitted = self.simple(i, stack)
                i += 1
            if emitted is not None:
                if expression:
                    raise _NotExpression
                self.emit(stmts, emitted, start if start is not None else i - 1)
                if len(stack) <= base:
                    start = None
        return stmts

    def _parallel_assignment(self, ins, stack, base):
        """Before a store at statement level with more values under the stored one:
        ``a, b = x, y``, whose tuple CPython drops, storing the values from the last. Turns
        the values into the slots of one unpacking (the store then fills the last); returns
        False (changing nothing) when the stack is not that."""
        operands = {"STORE_ATTR": 1, "STORE_SUBSCR": 2}.get(ins.opname, 0)
        values = stack[base : len(stack) - operands]
        if len(values) < 2 or not all(isinstance(v, ast.expr) for v in values):
            return False
        if any(v is values[-1] for v in values[:-1]):
            return False  # `COPY 1`: a chained assignment
        group = _UnpackGroup(ast.Tuple(list(values), ast.Load()), len(values), None)
        stack[base : len(stack) - operands] = [_Slot(group, k) for k in range(len(values))]
        return False

    def emit(self, stmts, stmt, start):
        if not hasattr(stmt, "lineno") or getattr(stmt, "lineno", None) is None:
            stmt.lineno = self.line(start)
        stmts.append(stmt)

    def expression(self, i, end, stack, loop, exit):
        """The value the range ``[i, end)`` pushes on ``stack`` (which it leaves unchanged), or
        None when the range is not one expression."""
        trial = list(stack)
        try:
            self.block(i, end, trial, loop, exit, expression=True)
        except (_NotExpression, DecompileError):
            return None
        if len(trial) != len(stack) + 1 or any(a is not b for a, b in zip(trial, stack)):
            return None
        if isinstance(trial[-1], (_Function, _Stored)):
            # A lambda, or `(name := value)`, as an operand.
            try:
                return self.value(trial[-1])
            except DecompileError:
                return None
        return trial[-1]

    # --- jumps ----------------------------------------------------------------------------------

    def jump(self, i, end, stack, base, loop, exit, popped_iterator):
        """An unconditional jump at statement level: ``break``, ``continue``, or the end of the
        block (None). ``popped_iterator``: a loop's iterator was popped before it."""
        t = self.target(i)
        if loop is not None:
            if popped_iterator and loop.pops_iterator:
                loop.break_targets.add(self.resolve(t))
                return _Break()
            # The last jump of a block to where the block goes anyway is its end, not a
            # `continue` or `break`.
            ends_block = i + 1 == end and self.resolve(exit) == self.resolve(t)
            if self.resolve(t) == self.resolve(loop.header) and not ends_block:
                return ast.Continue()
            if not loop.pops_iterator and not ends_block and (t >= loop.exit or self.resolve(t) == self.resolve(loop.exit)):
                loop.break_targets.add(self.resolve(t))
                return _Break()
        if self.resolve(t) == self.resolve(exit):
            return None
        self.fail("a jump that is not `break`, `continue` or the end of a block", i)

    def read_condition(self, i, end, stack, loop, exit):
        """The conditional jumps of one condition, the first at ``i`` (its value on ``stack``):
        ``(atoms, next)`` where each atom is ``(expr, jumps_when_true, target, start)`` and
        ``next`` is where control goes when no atom jumps.

        The atoms that follow are taken while the condition is not complete (some atom jumps
        past the next one to somewhere other than the last one's target), while their jumps
        carry the first jump's line (``if a and b:``, its operands on any lines), or when they
        jump past the false target; the longest run that makes a boolean expression is kept.
        (``if a:`` whose body is ``if b:`` compiles as ``if a and b:`` but for the lines.)"""
        candidates = []
        start = i
        first_line = None
        pending = []  # jump atoms between the last atom read and the next
        while True:
            value = self.pop(stack)
            jumps_when, none_test = _CONDITIONAL_JUMPS[self.ins[i].opname]
            if i in self.chain_jump_sense:
                # The jump of a chained comparison ending in a None test: on the chain's truth.
                jumps_when, none_test = self.chain_jump_sense[i], False
            if none_test:
                value = ast.Compare(value, [ast.Is()], [ast.Constant(None)])
                value.none_jump = True
            atoms = (candidates[-1][0] if candidates else []) + pending + [(value, jumps_when, self.target(i), start)]
            pending = []
            if first_line is None:
                first_line = self.line(i)
            nxt = self.chain_resume.pop(i, i + 1)
            false_target = atoms[-1][2]
            closed = all(t == false_target or t <= nxt for _, _, t, _ in atoms)
            candidates.append((atoms, nxt, closed))
            more = self.next_atom(nxt, end, stack, loop, exit)
            if more is None:
                # `if (a if c else b):`: the jump ending the middle operand's jumps, and the
                # jump a constant operand compiled to (see `_conditional_group`).
                pending, after = self._jump_atoms(nxt, end)
                if pending:
                    more = self.next_atom(after, end, stack, loop, exit)
                    if more is None:
                        atoms = atoms + pending
                        false_target = atoms[-1][2]
                        candidates.append((atoms, after, all(t == false_target or t <= after for _, _, t, _ in atoms)))
                        break
                    nxt = after
            # The jumps of one condition carry the line the condition starts on, even when
            # its operands are on the lines below; a nested `if` jumps from its own line.
            # A next atom jumping past this condition's false target cannot be in the body of
            # an `if` on this condition: it is part of the condition.
            if more is None or (closed and self.line(more[1]) != first_line and (self.target(more[1]) <= false_target or self._same_exit_block(self.target(more[1]), false_target))):
                break
            value, j = more
            stack.append(value)
            i, start = j, nxt
        # The longest run that makes a condition, its jumps taken as they are or, failing that,
        # with jumps to different copies of one block that returns (CPython copies such a block
        # to each jump reaching it) taken as jumps to the same place.
        for atoms, nxt, closed in reversed(candidates):
            if closed and _boolean(atoms, nxt, atoms[-1][2]) is not None:
                return atoms, nxt
            atoms = [(v, w, self.exit_copy(t, nxt), s) for v, w, t, s in atoms]
            false_target = atoms[-1][2]
            if all(t == false_target or t <= nxt for _, _, t, _ in atoms) and _boolean(atoms, nxt, false_target) is not None:
                return atoms, nxt
        self.fail("a condition whose jumps are not `and`/`or`/`not`", i)

    def folded_constant(self, truthy, i):
        """A constant with the truth ``truthy`` that CPython compiled into a jump at the
        condition read at ``i``. Constants are numbered in the order the compiler meets
        them, and a folded one keeps its number: one that no instruction loads; else the
        number after those loaded before ``i`` when the first loaded after ``i`` skips it;
        else one met before (None first when falsy), which adds no number."""
        consts = self.code.co_consts
        simple = (int, float, complex, str, bytes, bool, type(None))

        def fits(k):
            # (The first constant is the docstring, or None in its place.)
            return 0 < k < len(consts) and type(consts[k]) in simple and bool(consts[k]) == truthy

        loads = [(n, x.arg) for n, x in enumerate(self.ins) if x.opname == "LOAD_CONST"]
        loaded = {arg for _, arg in loads}
        unloaded = [k for k in range(len(consts)) if k not in loaded and fits(k)]
        if unloaded:
            return consts[unloaded[0]]
        met = max([arg for n, arg in loads if n < i] + [0])
        later = [arg for n, arg in loads if n > i and arg > met]
        if fits(met + 1) and (not later or later[0] > met + 1):
            return consts[met + 1]
        # Any constant met before gives the same code; a number types as the other operand
        # most likely does (ferrojit types `x if c else None` as optional).
        preference = (int, bool, float, complex, str, bytes)
        met_before = sorted((k for k in range(1, met + 1) if fits(k)), key=lambda k: preference.index(type(consts[k])) if type(consts[k]) in preference else len(preference))
        if met_before:
            return consts[met_before[0]]
        if not truthy and any(c is None for c in consts[: met + 1]):
            return None  # (None, the docstring's stand-in, is the first constant)
        self.fail("a constant operand of a condition", i)

    def _jump_atoms(self, i, end):
        """The unconditional forward jumps from ``i`` (NOPs skipped), at most two, as atoms
        ``(_JUMP, True, target, start)`` (a jump taken whatever the value), and where the
        instructions after them start."""
        atoms = []
        while i < end and len(atoms) < 2:
            k = i
            while k < end and self.ins[k].opname == "NOP":
                k += 1
            if k >= end or self.ins[k].opname != "JUMP_FORWARD":
                break
            atoms.append((_JUMP, True, self.target(k), k))
            i = k + 1
        return atoms, i

    def next_atom(self, i, end, stack, loop, exit):
        """``(value, jump_index)`` when instructions from ``i`` compute one value and end in a
        conditional jump on it, else None."""
        j = i
        while j < end and self.ins[j].opname not in _CONDITIONAL_JUMPS:
            op = self.ins[j].opname
            if op.startswith("STORE_") and j > i and self.ins[j - 1].opname == "COPY" and self.ins[j - 1].arg == 1:
                j += 1  # `(name := value)` inside the value
                continue
            if op in _UNCONDITIONAL_JUMPS or op in ("FOR_ITER", "RETURN_VALUE", "RAISE_VARARGS", "JUMP_IF_FALSE_OR_POP", "JUMP_IF_TRUE_OR_POP") or op.startswith(("STORE_", "DELETE_")) or op == "POP_TOP":
                if op in ("JUMP_IF_FALSE_OR_POP", "JUMP_IF_TRUE_OR_POP"):
                    j = self.target(j)
                    continue
                if op == "JUMP_FORWARD" or op == "POP_TOP":
                    # A conditional expression or a chain's cleanup inside the value.
                    j += 1
                    continue
                return None
            if op == "SWAP" and self.ins[j].arg == 2 and j + 2 < end and self.ins[j + 1].opname == "COPY":
                return self._atom_through_chain(i, end, stack, loop, exit)
            j += 1
        if j >= end or j == i:
            return None
        value = self.expression(i, j, stack, loop, exit)
        if value is None:
            return None
        return value, j

    def _atom_through_chain(self, i, end, stack, loop, exit):
        """:meth:`next_atom` for a value holding a chained comparison (read on a copy of
        ``stack``)."""
        trial = list(stack)
        try:
            k = i
            while k < end and self.ins[k].opname not in _CONDITIONAL_JUMPS:
                if self.ins[k].opname == "SWAP" and self.ins[k].arg == 2 and self.ins[k + 1].opname == "COPY":
                    k = self.chained_comparison(k, end, trial, loop, exit)
                    continue
                if self.ins[k].opname in _SKIPPED:
                    k += 1
                    continue
                if self.simple(k, trial) is not None:
                    return None
                k += 1
        except (DecompileError, _NotExpression):
            return None
        if k >= end or len(trial) != len(stack) + 1:
            return None
        return trial[-1], k

    def conditional(self, i, end, stack, base, loop, stmts, exit, start, expression, loop_test=False):
        """A conditional jump at ``i``: an ``if``/``while``/``assert`` statement or a
        conditional expression. Returns where reading goes on."""
        depth = len(stack) - 1
        atoms, body_start = self.read_condition(i, end, stack, loop, exit)
        false_target = atoms[-1][2]
        if false_target > end and exit is not None and exit < len(self.ins) and self._same_exit_block(false_target, self.resolve(exit)):
            # A jump to a copy of the block that returns where the block goes (CPython copies
            # such blocks to the jumps reaching them): a jump to the block's end.
            atoms = [(v, w, end if t == false_target else t, s) for v, w, t, s in atoms]
            false_target = end
        condition = _boolean(atoms, body_start, false_target)
        if condition is None:
            self.fail("a condition whose jumps are not `and`/`or`/`not`", i)
        if any(isinstance(node, _FoldedConstant) for node in ast.walk(condition)):
            reader = self

            class Fold(ast.NodeTransformer):
                def visit__FoldedConstant(self, node):
                    return ast.Constant(reader.folded_constant(node.truthy, i))

            condition = Fold().visit(condition)
        # `(a and b) or c` / `(a or b) and c` as a value: the condition's jumps lead to the
        # second operand of a value's `or`/`and`.
        if body_start < false_target <= end and self.ins[false_target - 1].opname in ("JUMP_IF_FALSE_OR_POP", "JUMP_IF_TRUE_OR_POP"):
            after = self.target(false_target - 1)
            value = self.expression(body_start, false_target - 1, stack, loop, exit)
            rest = self.expression(false_target, after, stack, loop, exit) if value is not None and after > false_target else None
            if rest is not None:
                if self.ins[false_target - 1].opname == "JUMP_IF_TRUE_OR_POP":
                    op, first = ast.Or, _flat(ast.And, [_boolean(atoms, body_start, false_target), value])
                else:
                    op, first = ast.And, _flat(ast.Or, [_boolean(atoms, false_target, body_start), value])
                stack.append(_flat(op, [first, rest]))
                return after
        # A conditional expression: two values, the first ending in a jump over the second.
        if body_start < false_target <= end or (false_target > end and expression):
            before_else = false_target - 1
            if self.ins[before_else].opname == "JUMP_FORWARD":
                after = self.target(before_else)
                if_true = self.expression(body_start, before_else, stack, loop, exit)
                if if_true is not None:
                    if_false = self.expression(false_target, after, stack, loop, exit)
                    if if_false is not None:
                        stack.append(ast.IfExp(condition, if_true, if_false))
                        return after
        if depth > base or expression:
            subject = stack[base] if len(stack) > base else None
            if any(isinstance(v, ast.Compare) and v.left is subject for v, _, _, _ in atoms):
                # `match x:` with `case 1:`: the subject stays on the stack under copies of it
                # compared with each pattern.
                self.fail("a `match` statement", i)
            self.fail("a conditional value that is not `x if c else y`, `and` or `or`", i)
        line = self.line(start)
        # `assert`: the body raises AssertionError.
        if body_start < false_target <= end and self.ins[body_start].opname == "LOAD_ASSERTION_ERROR":
            body = self.block(body_start, false_target, list(stack), loop, false_target)
            if len(body) == 1 and isinstance(body[0], _AssertionRaise):
                test = _boolean(atoms, false_target, body_start)
                stmt = ast.Assert(test=test, msg=body[0].msg)
                stmt.lineno = line
                stmts.append(stmt)
                return false_target
        # `while`: the body ends with the test again, jumping back to the body while true.
        back = [j for j in self.back_jumps.get(body_start, ()) if body_start < j < end and self.ins[j].opname in _CONDITIONAL_JUMPS]
        if back:
            loop_end = max(back) + 1
            bottom = loop_end - (body_start - start)
            if bottom > body_start and self._same_test(start, body_start, bottom, loop_end):
                return self.while_statement(start, condition, body_start, bottom, loop_end, end, stack, loop, stmts, exit)
        if loop_test and body_start < false_target <= end:
            # A loop whose body never reaches its end (it ends in `break`, `return`,
            # `continue`): CPython drops the test after it.
            return self.while_statement(start, condition, body_start, false_target, false_target, end, stack, loop, stmts, exit, falls_out=True)
        # `if`.
        node = ast.If(test=condition, body=[], orelse=[])
        node.lineno = line
        if body_start < false_target <= end:
            before_else = false_target - 1
            jump = self.ins[before_else]
            if jump.opname in _UNCONDITIONAL_JUMPS and before_else >= body_start:
                after = self.target(before_else)
                popped = before_else > 0 and self.ins[before_else - 1].opname == "POP_TOP" and loop is not None and loop.pops_iterator
                if false_target < after <= end and not popped:
                    node.body = self.block(body_start, before_else, list(stack), loop, after)
                    node.orelse = self.block(false_target, after, list(stack), loop, exit if after == end else after)
                    if (
                        after == end
                        and loop is not None
                        and self.ins[after - 1].opname in _UNCONDITIONAL_JUMPS
                        and self.resolve(after - 1) == self.resolve(loop.header)
                        and not isinstance(_last_statement(node.orelse), (ast.Continue, _Break, ast.Return, ast.Raise))
                    ):
                        # The `else` ends with a jump of its own to the loop's header where
                        # falling out of it reaches the loop's jump back: a `continue`
                        # (the block's reading took it for the end of the block).
                        jump_back = ast.Continue()
                        jump_back.lineno = self.line(after - 1)
                        node.orelse.append(jump_back)
                    stmts.append(node)
                    return after
                if (
                    false_target == end
                    and loop is not None
                    and not popped
                    and end < len(self.ins)
                    and self.ins[end].opname in _UNCONDITIONAL_JUMPS
                    and self.resolve(after) == self.resolve(end) == self.resolve(loop.header)
                ):
                    # `if c: ... else: continue` last in a loop's body: the body's jump over
                    # the `else` went to the loop's jump back, so CPython made it that jump,
                    # and the loop's own jump back (now unreachable) is gone: the jump back
                    # at `end`, read as the loop's, is the `continue`. (`if c: ...; continue`
                    # compiles the same.)
                    node.body = self.block(body_start, before_else, list(stack), loop, after)
                    jump_back = ast.Continue()
                    jump_back.lineno = self.line(end)
                    node.orelse = [jump_back]
                    stmts.append(node)
                    return end
                if self.resolve(after) == self.resolve(exit) and not popped and jump.opname == "JUMP_FORWARD":
                    node.body = self.block(body_start, before_else, list(stack), loop, exit)
                    node.orelse = self.block(false_target, end, list(stack), loop, exit)
                    stmts.append(node)
                    return end
            node.body = self.block(body_start, false_target, list(stack), loop, false_target)
            stmts.append(node)
            return false_target
        if self.resolve(false_target) == self.resolve(exit):
            node.body = self.block(body_start, end, list(stack), loop, exit)
            stmts.append(node)
            return end
        # `if c: continue` / `if c: break` whose jump CPython made conditional: the jump
        # leaves when `c` holds, the rest of the block follows.
        if loop is not None:
            jump_out = None
            if self.resolve(false_target) == self.resolve(loop.header):
                jump_out = ast.Continue()
            elif not loop.pops_iterator and self.resolve(false_target) == self.resolve(loop.exit):
                loop.break_targets.add(self.resolve(false_target))
                jump_out = _Break()
            if jump_out is not None:
                jump_out.lineno = None
                node.test = _boolean(atoms, false_target, body_start)
                node.body = [jump_out]
                stmts.append(node)
                return body_start
        self.fail("an `if` whose false branch jumps out of its block", i)

    def _same_test(self, a, a_end, b, b_end):
        """Whether ``[a, a_end)`` and ``[b, b_end)`` are the same test (a while loop's, before and
        after its body): the same instructions, jumps in either direction."""
        if a_end - a != b_end - b:
            return False
        for x, y in zip(self.ins[a:a_end], self.ins[b:b_end]):
            if x.opname in _CONDITIONAL_JUMPS and y.opname in _CONDITIONAL_JUMPS:
                continue
            if x.opname != y.opname or (x.opname not in _UNCONDITIONAL_JUMPS and x.argval != y.argval):
                return False
        return True

    def loop_else(self, node, inner, loop_exit, end, stack, loop, exit):
        """The ``else`` of a loop ending at ``loop_exit``: what its ``break``s jump over, up to
        their target, or up to the end of the block when they jump where the block goes (a
        loop last in another loop's body breaks to that loop's header). Returns where reading
        goes on."""
        if not inner.break_targets:
            return loop_exit
        target = max(inner.break_targets)
        if loop_exit < target <= end:
            node.orelse = self.block(loop_exit, target, list(stack), loop, target)
            return target
        if loop_exit < end and any(t == self.resolve(exit) for t in inner.break_targets):
            node.orelse = self.block(loop_exit, end, list(stack), loop, exit)
            return end
        return loop_exit

    def while_statement(self, start, condition, body_start, bottom, loop_end, end, stack, loop, stmts, exit, falls_out=False):
        """``while condition:`` whose body is ``[body_start, bottom)``, the test again from
        ``bottom`` to ``loop_end``; with ``falls_out``, there is no test after the body and
        reaching its end leaves the loop (an implicit ``break``)."""
        node = ast.While(test=condition, body=[], orelse=[])
        node.lineno = self.line(start)
        inner = _Loop(start, loop_end, pops_iterator=False)
        node.body = self.block(body_start, bottom, list(stack), inner, bottom)
        if falls_out and not (node.body and isinstance(node.body[-1], (ast.Return, ast.Raise, ast.Continue, _Break))):
            leave = _Break()
            leave.lineno = self.line(bottom - 1) if self.ins[bottom - 1].opname == "NOP" else None
            node.body.append(leave)
        after = self.loop_else(node, inner, loop_end, end, stack, loop, exit)
        _drop_trailing_continue(node.body)
        stmts.append(node)
        return after

    def while_loop(self, i, end, stack, loop, stmts, exit):
        """A statement at ``i`` that later code jumps back to: a ``while`` loop. One whose test
        is at ``i`` is read by :meth:`conditional`; here ``while True:``."""
        last = max(j for j in self.back_jumps[i] if j < end)
        probe = list(stack)
        atom = self.next_atom(i, end, probe, loop, exit)
        if atom is not None:
            _, j = atom
            if self.target(j) > last:
                # `while test:`: the backward jumps to `i` are its `continue`s.
                return self._while_with_test(i, end, stack, loop, stmts, exit)
        if self.ins[last].opname not in ("JUMP_BACKWARD", "JUMP_BACKWARD_NO_INTERRUPT"):
            self.fail("a loop whose last jump back is conditional", last)
        node = ast.While(test=ast.Constant(True), body=[], orelse=[])
        # `while True:` compiles to a NOP that holds its line, before the body.
        node.lineno = self.line(i - 1) if i > 0 and self.ins[i - 1].opname == "NOP" else self.line(i)
        after = last + 1
        inner = _Loop(i, after, pops_iterator=False)
        saved = self.back_jumps.pop(i)
        try:
            node.body = self.block(i, last, list(stack), inner, i)
        finally:
            self.back_jumps[i] = saved
        _drop_trailing_continue(node.body)
        after = self.loop_else(node, inner, after, end, stack, loop, exit)
        stmts.append(node)
        return after

    def _while_with_test(self, i, end, stack, loop, stmts, exit):
        """The loop at ``i`` whose test comes first: read the statement with the backward jumps
        to ``i`` hidden (they are its ``continue``s, recognised by the loop context)."""
        saved = self.back_jumps.pop(i)
        try:
            before = len(stmts)
            k = i
            # Read the test's instructions up to its first jump, then let `conditional` take it.
            while self.ins[k].opname not in _CONDITIONAL_JUMPS:
                if self.ins[k].opname == "SWAP" and self.ins[k].arg == 2 and self.ins[k + 1].opname == "COPY":
                    k = self.chained_comparison(k, end, stack, loop, exit)
                    continue
                if self.ins[k].opname not in _SKIPPED and self.simple(k, stack) is not None:
                    self.fail("a loop test that is a statement", k)
                k += 1
            after = self.conditional(k, end, stack, len(stack) - 1, loop, stmts, exit, i, False, loop_test=True)
            if len(stmts) != before + 1 or not isinstance(stmts[-1], ast.While):
                self.fail("a loop that is neither `while` nor `for`", i)
            return after
        finally:
            self.back_jumps[i] = saved

    def for_loop(self, i, end, stack, loop, stmts, exit):
        """``FOR_ITER`` at ``i``, the iterator on ``stack``."""
        iterator = stack[-1]
        if isinstance(iterator, _Iter):
            iterable = iterator.expr
        elif isinstance(iterator, ast.Name) and iterator.id == ".0":
            iterable = iterator  # a comprehension's argument, an iterator already
        else:
            self.fail("a `for` loop over something that is not an iterator", i)
        exit_index = self.target(i)
        leaves_block = False
        if exit_index > end and exit is not None and exit < len(self.ins) and self._same_exit_block(exit_index, self.resolve(exit)):
            # The loop is last in a block that goes to a small block that returns: its exit
            # jumps to a copy of that block after the code that follows the block (where
            # another copy may stand between the loop's jump back and it).
            backs = [j for j in self.back_jumps.get(i, ()) if j < end and self.ins[j].opname == "JUMP_BACKWARD"]
            if backs and max(backs) == end - 1:
                exit_index, leaves_block = end, True
        last = exit_index - 1
        inner = _Loop(i, exit_index, pops_iterator=True)
        body_end = last if self.ins[last].opname == "JUMP_BACKWARD" and self.target(last) == i else exit_index
        body_stack = stack + [_FOR_ITEM]
        body = self.block(i + 1, body_end, body_stack, inner, i, base=len(stack))
        if not body or not isinstance(body[0], _ForTarget):
            self.fail("a `for` loop whose target is not assigned first", i)
        node = ast.For(target=body[0].target, iter=iterable, body=body[1:], orelse=[], type_comment=None)
        node.lineno = getattr(body[0], "lineno", None) or self.line(i)
        _drop_trailing_continue(node.body)
        if not node.body:
            p = ast.Pass()
            p.lineno = None
            node.body = [p]
        stack.pop()  # the iterator, which FOR_ITER pops when the loop ends
        after = exit_index
        after = exit_index if leaves_block else self.loop_else(node, inner, exit_index, end, stack, loop, exit)
        stmts.append(node)
        return after

    def boolean_value(self, i, stack, loop, exit):
        """``JUMP_IF_FALSE_OR_POP``/``JUMP_IF_TRUE_OR_POP``: ``a and b`` / ``a or b`` as a value."""
        op = ast.And if self.ins[i].opname == "JUMP_IF_FALSE_OR_POP" else ast.Or
        left = self.pop(stack)
        after = self.target(i)
        right = self.expression(i + 1, after, stack, loop, exit)
        if right is None:
            self.fail("an `and`/`or` value", i)
        values = []
        for v in (left, right):
            if isinstance(v, ast.BoolOp) and isinstance(v.op, op) and v is right:
                values.extend(v.values)
            else:
                values.append(v)
        stack.append(ast.BoolOp(op(), values))
        return after

    def chained_comparison(self, i, end, stack, loop, exit):
        """``a < b < c``: ``SWAP 2; COPY 2; compare`` then a jump to a cleanup block, per link.
        Pushes the comparison; returns the index of the last compare's following instruction
        (a value's ``JUMP_FORWARD`` is skipped with its cleanup)."""
        middle = self.pop(stack)
        left = self.pop(stack)
        ops, comparators = [], []
        k = i
        while True:
            op = self._compare_operator(self.ins[k + 2])
            ops.append(op)
            comparators.append(middle)
            jump = self.ins[k + 3]
            if jump.opname not in ("JUMP_IF_FALSE_OR_POP", "POP_JUMP_FORWARD_IF_FALSE"):
                self.fail("a chained comparison", k)
            cleanup = self.target(k + 3)
            # The next operand, up to the next link or the last compare.
            j = k + 4
            depth = len(stack)
            probe = list(stack)
            while j < end:
                ins = self.ins[j]
                if ins.opname == "SWAP" and ins.arg == 2 and self.ins[j + 1].opname == "COPY" and self.ins[j + 2].opname in _COMPARES and len(probe) == depth + 1:
                    break
                if ins.opname in _COMPARES and len(probe) == depth + 1:
                    break
                if ins.opname in _CONDITIONAL_JUMPS and _CONDITIONAL_JUMPS[ins.opname][1] and len(probe) == depth:
                    break  # `... is None` / `is not None` last, folded into the jump
                if ins.opname in _SKIPPED:
                    j += 1
                    continue
                if ins.opname == "SWAP" and ins.arg == 2 and self.ins[j + 1].opname == "COPY" and self.ins[j + 2].opname in _COMPARES:
                    j = self.chained_comparison(j, end, probe, loop, exit)
                    continue
                if self.simple(j, probe) is not None:
                    self.fail("a chained comparison", j)
                j += 1
            if self.ins[j].opname in _CONDITIONAL_JUMPS:
                # The last link `x is None` or `x is not None` became the jump
                # (`POP_JUMP_IF_NONE`/`POP_JUMP_IF_NOT_NONE`). The cleanup jumps to the jump's
                # target when the condition jumps on false, else falls through.
                jumps_on_false = self.ins[cleanup + 1].opname in _UNCONDITIONAL_JUMPS if self.ins[cleanup].opname == "POP_TOP" else None
                if jumps_on_false is None or not (j + 1 < end and self.ins[j + 1].opname == "JUMP_FORWARD"):
                    self.fail("a chained comparison", j)
                jumps_when_none = _CONDITIONAL_JUMPS[self.ins[j].opname][0]
                # Jumps on false: the link is the negation of the jump's test.
                is_none = jumps_when_none != jumps_on_false
                ops.append(ast.Is() if is_none else ast.IsNot())
                comparators.append(ast.Constant(None))
                stack.append(ast.Compare(left, ops, comparators))
                self.chain_resume[j] = self.target(j + 1)
                self.chain_jump_sense[j] = not jumps_on_false
                return j
            middle = self.pop(probe)
            if self.ins[j].opname in _COMPARES:
                ops.append(self._compare_operator(self.ins[j]))
                comparators.append(middle)
                stack.append(ast.Compare(left, ops, comparators))
                after = self.ins[j + 1]
                if after.opname in _CONDITIONAL_JUMPS:
                    # In a condition: `JUMP_FORWARD end` then the cleanup `POP_TOP [JUMP]`.
                    if j + 2 < end and self.ins[j + 2].opname == "JUMP_FORWARD" and self.ins[cleanup].opname == "POP_TOP":
                        self.chain_resume[j + 1] = self.target(j + 2)
                    return j + 1
                if after.opname == "JUMP_FORWARD" and self.ins[cleanup].opname == "SWAP":
                    return self.target(j + 1)
                self.fail("a chained comparison", j)
            k = j

    def _compare_operator(self, ins):
        if ins.opname == "COMPARE_OP":
            return _COMPARE_OPERATORS[ins.argval]()
        if ins.opname == "IS_OP":
            return ast.IsNot() if ins.arg else ast.Is()
        return ast.NotIn() if ins.arg else ast.In()

    # --- where the statements of `ferrojit._decompile_more` start ------------------------------

    def try_entry(self, i, depth):
        """The exception-table entry of a ``try`` whose body starts at ``i`` on a stack
        ``depth`` deep: one that starts there, pushes no ``lasti`` and whose handler starts
        with ``PUSH_EXC_INFO``; None when there is none."""
        for entry in self.entries:
            start, _, target, entry_depth, lasti = entry
            if start == i and not lasti and entry_depth == depth and self.ins[target].opname == "PUSH_EXC_INFO" and entry not in self.tries_read:
                return entry
        return None

    def _starts_match(self, i, end):
        """Whether the ``COPY 1`` at ``i`` (a value on the stack at statement level) copies a
        ``match`` subject: a test of the copy follows (a sequence test, a comparison with a
        value), or a store and then a test whose failure pops the copy (a capture with a
        guard). ``a = b = value`` and ``(a := value)`` store the copy and go on."""
        nxt = self.ins[i + 1].opname if i + 1 < end else None
        if nxt in ("MATCH_SEQUENCE", "MATCH_MAPPING", "MATCH_CLASS"):
            return True
        if nxt == "COPY" and self.ins[i + 1].arg == 1 or nxt == "POP_JUMP_FORWARD_IF_NOT_NONE":
            return True
        for j in range(i + 1, min(i + 12, end - 1)):
            op = self.ins[j].opname
            if op in _COMPARES:
                return self.ins[j + 1].opname == "POP_JUMP_FORWARD_IF_FALSE"
            if op == "MATCH_CLASS":
                return True
            if op in _CONDITIONAL_JUMPS or op in _UNCONDITIONAL_JUMPS or op.startswith(("STORE_", "RETURN", "POP_")):
                return False
        return False

    def _class_pattern_at(self, k, end):
        """The index of the ``MATCH_CLASS`` ending the class pattern that starts at ``k``
        (before any test or jump), else None."""
        j = k
        while j < end:
            op = self.ins[j].opname
            if op == "MATCH_CLASS":
                return j
            if op in _COMPARES or op in _CONDITIONAL_JUMPS or op in _UNCONDITIONAL_JUMPS or op.startswith(("STORE_", "MATCH_", "POP_", "RETURN")):
                return None
            j += 1
        return None

    # --- instructions without control flow --------------------------------------------------------


    def pop(self, stack):
        """The top of the stack as an expression."""
        if not stack:
            raise DecompileError("an instruction sequence CPython does not compile")
        value = stack.pop()
        return self.value(value)

    def value(self, value):
        if isinstance(value, ast.expr):
            return value
        if isinstance(value, _Stored):
            if len(value.targets) == 1 and isinstance(value.targets[0], ast.Name):
                return ast.NamedExpr(_as_store(value.targets[0]), self.value(value.value))
            raise DecompileError("an assignment expression")
        if isinstance(value, _Function):
            if value.code.co_name == "<lambda>":
                return self.lambda_expr(value)
            raise DecompileError(f"a function object `{value.code.co_name}` used as a value")
        if isinstance(value, _Iter):
            return ast.Call(_name("iter"), [value.expr], [])
        raise DecompileError(f"a stack value ({type(value).__name__})")

    def simple(self, i, stack):
        """One instruction without jumps; returns the statement it ends, if any."""
        ins = self.ins[i]
        op = ins.opname
        handler = getattr(self, "op_" + op, None)
        if handler is None:
            self.fail(f"the instruction `{op}`", i)
        try:
            return handler(ins, stack, i)
        except (IndexError, KeyError, AttributeError, TypeError):
            # A stack that does not hold what the instruction takes: a pattern not rebuilt.
            self.fail(f"the instruction `{op}` where it stands", i)

    # loads
    def op_LOAD_FAST(self, ins, stack, i):
        stack.append(_name(ins.argval))

    op_LOAD_DEREF = op_LOAD_CLOSURE = op_LOAD_NAME = op_LOAD_CLASSDEREF = op_LOAD_FAST

    def op_LOAD_GLOBAL(self, ins, stack, i):
        if ins.arg & 1:
            stack.append(_NULL)
        stack.append(_name(ins.argval))

    def op_LOAD_CONST(self, ins, stack, i):
        v = ins.argval
        if hasattr(v, "co_code"):
            stack.append(_Code(v))
        else:
            stack.append(_constant_expr(v))

    def op_PUSH_NULL(self, ins, stack, i):
        stack.append(_NULL)

    def op_LOAD_ATTR(self, ins, stack, i):
        stack.append(ast.Attribute(self.pop(stack), ins.argval, ast.Load()))

    def op_LOAD_METHOD(self, ins, stack, i):
        owner = self.pop(stack)
        stack.append(_METHOD)
        stack.append(ast.Attribute(owner, ins.argval, ast.Load()))

    def op_LOAD_ASSERTION_ERROR(self, ins, stack, i):
        stack.append(_ASSERTION_ERROR)

    # stack shuffles
    def op_COPY(self, ins, stack, i):
        stack.append(stack[-ins.arg])

    def op_SWAP(self, ins, stack, i):
        stack[-1], stack[-ins.arg] = stack[-ins.arg], stack[-1]

    def op_POP_TOP(self, ins, stack, i):
        top = stack.pop()
        if isinstance(top, (_Iter,)) or (isinstance(top, ast.Name) and top.id == ".0"):
            return None  # a `for` loop's iterator, popped by `break` or `return`
        if top is _NULL or top is _METHOD or top is _EXITED:
            return None
        if isinstance(top, (_Import, _ImportAttr)):
            # The import statement ends with the last of its values popped.
            module = top if isinstance(top, _Import) else top.module
            if any(v is module or getattr(v, "module", None) is module for v in stack):
                return None
            if module.fromlist is not None:
                if not module.aliases:
                    self.fail("an `import`", i)
                return ast.ImportFrom(module.name or None, module.aliases, module.level)
            if module.asname is not None:
                return ast.Import([ast.alias(module.name, module.asname)])
            self.fail("an `import`", i)
        return ast.Expr(self.value(top))

    # operators
    def op_BINARY_OP(self, ins, stack, i):
        right = self.pop(stack)
        left = self.pop(stack)
        if ins.arg >= len(_BINARY_OPERATORS):
            stack.append(_InPlace(left, _BINARY_OPERATORS[ins.arg - len(_BINARY_OPERATORS)](), right))
        else:
            stack.append(ast.BinOp(left, _BINARY_OPERATORS[ins.arg](), right))

    def _unary(self, ins, stack, i):
        stack.append(ast.UnaryOp(_UNARY[ins.opname](), self.pop(stack)))

    op_UNARY_NEGATIVE = op_UNARY_POSITIVE = op_UNARY_NOT = op_UNARY_INVERT = _unary

    def _compare(self, ins, stack, i):
        right = self.pop(stack)
        left = self.pop(stack)
        stack.append(ast.Compare(left, [self._compare_operator(ins)], [right]))

    op_COMPARE_OP = op_IS_OP = op_CONTAINS_OP = _compare

    def op_BINARY_SUBSCR(self, ins, stack, i):
        index = self.pop(stack)
        container = self.pop(stack)
        stack.append(ast.Subscript(container, index, ast.Load()))

    def op_BUILD_SLICE(self, ins, stack, i):
        parts = [self.pop(stack) for _ in range(ins.arg)][::-1]
        # A missing bound is a None loaded; a step is built only when written (`a[::None]`).
        lower, upper = (None if _is_none(p) else p for p in parts[:2])
        stack.append(ast.Slice(lower, upper, parts[2] if len(parts) == 3 else None))

    # displays
    def _items(self, stack, n):
        items = [self.pop(stack) for _ in range(n)]
        return items[::-1]

    def op_BUILD_TUPLE(self, ins, stack, i):
        if ins.arg and all(isinstance(stack[-k], ast.Name) for k in range(1, ins.arg + 1)) and i + 1 < len(self.ins) and self.ins[i + 1].opname == "LOAD_CONST" and hasattr(self.ins[i + 1].argval, "co_code") and all(self.ins[i - k].opname == "LOAD_CLOSURE" for k in range(1, ins.arg + 1)):
            # A closure's cells, for MAKE_FUNCTION (a tuple of defaults is not loaded by
            # `LOAD_CLOSURE`).
            del stack[-ins.arg :]
            stack.append(_Marker("closure"))
            return
        stack.append(ast.Tuple(self._items(stack, ins.arg), ast.Load()))

    def op_BUILD_LIST(self, ins, stack, i):
        stack.append(ast.List(self._items(stack, ins.arg), ast.Load()))

    def op_BUILD_SET(self, ins, stack, i):
        stack.append(ast.Set(self._items(stack, ins.arg)) if ins.arg else _EmptySet())

    def op_GET_ITER(self, ins, stack, i):
        stack.append(_Iter(self.pop(stack)))

    # calls
    def op_KW_NAMES(self, ins, stack, i):
        self.kw_names = self.code.co_consts[ins.arg]

    def op_CALL(self, ins, stack, i):
        n = ins.arg
        names = self.kw_names or ()
        self.kw_names = None
        raw = [stack.pop() for _ in range(n)][::-1]
        callable_ = stack.pop()
        below = stack.pop()
        if below is _WITH_EXIT and n == 2 and all(_is_none(v) for v in [callable_] + raw):
            # `__exit__(None, None, None)` where `break`, `continue` or `return` leaves a
            # `with` block: part of that statement, not a call of the user's.
            stack.append(_EXITED)
            return
        if below is not _NULL and below is not _METHOD:
            # `CALL` with a callable below the "self" slot: a comprehension's function called
            # with its iterator, or a decorator's call.
            raw.insert(0, callable_)
            callable_ = below
        if isinstance(callable_, _Function) and callable_.code.co_name in ("<listcomp>", "<setcomp>", "<dictcomp>", "<genexpr>"):
            if len(raw) != 1 or not isinstance(raw[0], _Iter):
                self.fail("a comprehension", i)
            stack.append(self.comprehension(callable_, raw[0].expr))
            return
        if len(raw) == 1 and not names and isinstance(raw[0], _Function) and raw[0].code.co_name not in ("<lambda>", "<listcomp>", "<setcomp>", "<dictcomp>", "<genexpr>"):
            # `@decorator` over a nested `def`: the decorator called with the new function.
            function = raw[0]
            stack.append(_Function(function.code, function.defaults, function.kwdefaults, function.annotations, function.decorators + [self.value(callable_)]))
            return
        if callable_ is _ASSERTION_ERROR:
            if len(raw) != 1:
                self.fail("`assert`", i)
            stack.append(_AssertionCall(self.value(raw[0])))
            return
        args = [self.value(a) for a in raw]
        func = self.value(callable_)
        positional = args[: len(args) - len(names)]
        keywords = [ast.keyword(k, v) for k, v in zip(names, args[len(args) - len(names) :])]
        stack.append(ast.Call(func, positional, keywords))

    # statements
    def op_RETURN_VALUE(self, ins, stack, i):
        value = stack.pop()
        if isinstance(value, _Accumulator):
            return ast.Return(value)  # a comprehension's result, folded by `comprehension`
        return ast.Return(self.value(value))

    def op_RAISE_VARARGS(self, ins, stack, i):
        cause = self.pop(stack) if ins.arg == 2 else None
        if ins.arg >= 1:
            exc = stack.pop()
            if exc is _ASSERTION_ERROR:
                return _AssertionRaise(msg=None)
            if isinstance(exc, _AssertionCall):
                return _AssertionRaise(msg=exc.msg)
            return ast.Raise(self.value(exc), cause)
        return ast.Raise(None, None)

    def _store_name(self, ins, stack, i):
        return self.store(_name(ins.argval, True), stack, i)

    op_STORE_FAST = op_STORE_DEREF = op_STORE_NAME = op_STORE_GLOBAL = _store_name

    def op_STORE_ATTR(self, ins, stack, i):
        owner = self.pop(stack)
        return self.store(ast.Attribute(owner, ins.argval, ast.Store()), stack, i)

    def op_STORE_SUBSCR(self, ins, stack, i):
        index = self.pop(stack)
        container = self.pop(stack)
        return self.store(ast.Subscript(container, index, ast.Store()), stack, i)

    def store(self, target, stack, i):
        """Stores the top of the stack in ``target``: an assignment, or part of one."""
        value = stack.pop()
        if isinstance(value, _Saved):
            if not (isinstance(target, ast.Name) and target.id == value.name):
                self.fail("a comprehension's end", i)
            return None  # the variable restored after a comprehension (3.12)
        if isinstance(value, _Slot):
            return self.fill(value, target)
        if isinstance(value, (_Import, _ImportAttr)):
            return self.store_import(value, target, i)
        if value is _FOR_ITEM:
            return _ForTarget(target=target)
        if isinstance(value, _InPlace):
            if not _same_target(value.target, target):
                self.fail("an augmented assignment", i)
            return ast.AugAssign(_as_store(target), value.op, value.value)
        if isinstance(value, _Function) and value.code.co_name not in ("<lambda>",) and isinstance(target, ast.Name) and target.id == value.code.co_name:
            return self.nested_function(value)
        if isinstance(value, _Stored):
            return ast.Assign([_as_store(t) for t in value.targets] + [target], self.value(value.value), None)
        if stack and stack[-1] is value:
            # `COPY 1` then this store: `a = b = value` or `(a := value)`.
            stack[-1] = _Stored(value, [target])
            return None
        return ast.Assign([target], self.value(value), None)

    def fill(self, slot, target):
        group = slot.group
        if group.starred == slot.index:
            target = ast.Starred(target, ast.Store())
        group.targets[slot.index] = target
        group.filled += 1
        if group.filled < len(group.targets):
            return None
        tuple_target = _as_store(ast.Tuple(list(group.targets), ast.Store()))
        if isinstance(group.value, _Slot):
            return self.fill(group.value, tuple_target)
        if group.value is _FOR_ITEM:
            return _ForTarget(target=tuple_target)
        return ast.Assign([tuple_target], self.value(group.value), None)

    def op_UNPACK_SEQUENCE(self, ins, stack, i):
        value = stack.pop()
        group = _UnpackGroup(value, ins.arg, None)
        stack.extend(_Slot(group, k) for k in reversed(range(ins.arg)))

    def op_UNPACK_EX(self, ins, stack, i):
        value = stack.pop()
        before, after = ins.arg & 0xFF, ins.arg >> 8
        n = before + 1 + after
        group = _UnpackGroup(value, n, before)
        stack.extend(_Slot(group, k) for k in reversed(range(n)))

    def _delete_name(self, ins, stack, i):
        return ast.Delete([_name(ins.argval, True)])

    op_DELETE_FAST = op_DELETE_DEREF = op_DELETE_NAME = op_DELETE_GLOBAL = _delete_name

    def op_DELETE_ATTR(self, ins, stack, i):
        owner = self.pop(stack)
        return ast.Delete([ast.Attribute(owner, ins.argval, ast.Del())])

    def op_DELETE_SUBSCR(self, ins, stack, i):
        index = self.pop(stack)
        container = self.pop(stack)
        return ast.Delete([ast.Subscript(container, index, ast.Del())])

# The reader of each CPython version's bytecode. Another version is a subclass of `_Reader`
# overriding what its bytecode does differently: 3.12's `LOAD_ATTR` with the method bit,
# `BINARY_SLICE`/`STORE_SLICE`, `END_FOR`, `RETURN_CONST`, `CALL` without `PRECALL`, inlined
# comprehensions (3.12: `LOAD_FAST_AND_CLEAR`), `CALL_INTRINSIC_1`; 3.10's `CALL_FUNCTION`/
# `CALL_METHOD`/`CALL_FUNCTION_KW`, `JUMP_ABSOLUTE`, `POP_JUMP_IF_*` with absolute targets,
# `SETUP_FINALLY` blocks instead of an exception table, `ROT_*` instead of `SWAP`.
_READERS = {(3, 11): _Reader, (3, 12): _Reader}


class _LessCommonConstruct(Exception):
    """The reader met a construct whose handlers are in ``ferrojit._decompile_more``."""


# The methods and class attributes of `_Reader` that `ferrojit._decompile_more.FullReader`
# defines (`tests/test_no_source.py` checks that the two lists agree).
_LESS_COMMON = frozenset(
    (
        # try statements
        "try_statement", "_try_except", "_cleanup_of", "_is_finally_handler", "_only_nops",
        "_covering_handler", "_finally_body", "_finally_extent", "_finally_copy",
        "skip_finally_copy", "op_POP_EXCEPT",
        # comprehensions compiled in the function (3.12)
        "inlined_comprehension",
        # with statements
        "with_statement", "_with_normal_exit", "_copied_exit_block", "_WITH_EXIT", "_WITH_HANDLER",
        # match statements
        "match_statement", "_match_case", "_or_pattern", "_read_pattern", "op_MATCH_CLASS",
        "op_MATCH_MAPPING", "op_MATCH_KEYS", "op_MATCH_SEQUENCE",
        # nested functions, lambdas, comprehensions, generators
        "op_MAKE_FUNCTION", "_annotation_text", "nested_function", "lambda_expr", "comprehension",
        "op_LIST_APPEND", "op_SET_ADD", "op_MAP_ADD", "op_YIELD_VALUE", "yield_from",
        "op_LOAD_BUILD_CLASS",
        # imports
        "op_IMPORT_NAME", "op_IMPORT_FROM", "store_import",
        # f-strings, dict displays, unpacking into displays and calls
        "op_BUILD_STRING", "op_FORMAT_VALUE", "op_BUILD_MAP", "op_BUILD_CONST_KEY_MAP",
        "op_LIST_EXTEND", "op_SET_UPDATE", "_dict_update", "op_DICT_UPDATE", "op_DICT_MERGE",
        "op_LIST_TO_TUPLE", "op_CALL_FUNCTION_EX",
    )
)


class _EmptySet(ast.Call):
    """``BUILD_SET 0``: ``set()`` unless ``SET_UPDATE`` fills it into a display."""

    def __init__(self):
        super().__init__(_name("set"), [], [])


class _AssertionCall:
    """``AssertionError(msg)`` in an ``assert``."""

    def __init__(self, msg):
        self.msg = msg


def _pass():
    node = ast.Pass()
    node.lineno = None
    return node


def _without_unbinding(stmts, name):
    """``stmts`` without CPython's ``name = None; del name`` ending an ``except ... as name``
    clause (before its jumps and returns), in nested blocks too."""
    if name is None:
        return stmts
    out = []
    for stmt in stmts:
        if (
            isinstance(stmt, ast.Delete)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
            and stmt.targets[0].id == name
            and out
            and isinstance(out[-1], ast.Assign)
            and len(out[-1].targets) == 1
            and isinstance(out[-1].targets[0], ast.Name)
            and out[-1].targets[0].id == name
            and _is_none(out[-1].value)
        ):
            out.pop()
            continue
        for field in ("body", "orelse", "finalbody"):
            if isinstance(getattr(stmt, field, None), list):
                setattr(stmt, field, _without_unbinding(getattr(stmt, field), name))
        out.append(stmt)
    return out


def _is_none(node):
    return isinstance(node, ast.Constant) and node.value is None


def _branches_falling_out(stmts, always):
    """``stmts`` with each ``if c: A; return None`` followed by more statements ``B`` written
    ``if c: A`` ``else: B`` (B read the same way): with ``always``, or where the body ends
    in more than one ``return None``."""
    for k, stmt in enumerate(stmts):
        if not isinstance(stmt, ast.If) or stmt.orelse or k + 1 == len(stmts):
            continue
        body = stmt.body
        while body and isinstance(body[-1], ast.Return) and _is_none(body[-1].value):
            body = body[:-1]  # (one copy for each way out of the body)
        returns = len(stmt.body) - len(body)
        if returns and (always or returns > 1):
            stmt.body = body or [_pass()]
            stmt.orelse = _branches_falling_out(stmts[k + 1 :], always)
            return stmts[: k + 1]
    return stmts


def _last_statement(stmts):
    """The statement whose code comes last in ``stmts``' code: the last statement, or for an
    ``if``, the last of its ``else`` (of its body when it has none). None for no statements."""
    last = stmts[-1] if stmts else None
    while isinstance(last, ast.If):
        branch = last.orelse or last.body
        last = branch[-1] if branch else None
    return last


def _drop_trailing_continue(body):
    while body and isinstance(body[-1], ast.Continue):
        body.pop()


def _flat(op, values):
    """``BoolOp(op, values)`` with operands of the same operator merged into it."""
    flat = []
    for v in values:
        if isinstance(v, ast.BoolOp) and isinstance(v.op, op):
            flat.extend(v.values)
        else:
            flat.append(v)
    return ast.BoolOp(op(), flat)


def _negate(expr):
    """``not expr``. Only a test of None read from ``POP_JUMP_IF_NONE``/
    ``POP_JUMP_IF_NOT_NONE`` (marked ``none_jump``; CPython makes that jump of ``x is None``
    and ``x is not None`` alike) is negated by its operator: CPython compiles ``not (a in b)``
    as ``a in b`` with the opposite jump, but ``a not in b`` with its own operator."""
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.Not):
        return expr.operand
    if getattr(expr, "none_jump", False):
        return ast.Compare(expr.left, [ast.IsNot()], expr.comparators)
    return ast.UnaryOp(ast.Not(), expr)


def _boolean(atoms, true_target, false_target):
    """The expression that is true exactly when control leaves the atoms for ``true_target``
    (and false when for ``false_target``); each atom ``(expr, jumps_when_true, target, start)``
    jumps to ``target`` when its value's truth is ``jumps_when_true``, else goes on to the next
    atom (the last one to ``true_target``... or ``false_target``). None when no ``and``/``or``/
    ``not`` nesting gives these jumps."""
    expr = _group(atoms, 0, len(atoms) - 1, true_target, false_target)
    return _negations_outside(expr) if expr is not None else None


# An atom of a condition that is an unconditional jump (`_jump_atoms`).
_JUMP = _Marker("JUMP")


class _FoldedConstant(ast.Constant):
    """An operand of a conditional expression in a condition that is a constant: CPython
    compiled it to a jump (falsy) or to nothing (truthy); the reader picks its value."""

    def __init__(self, truthy):
        super().__init__(value=truthy)
        self.truthy = truthy


def _conditional_group(atoms, i, j, true_target, false_target):
    """``_group`` of atoms holding jump atoms: ``b if c else d`` (CPython's
    ``compiler_jump_if`` of an ``IfExp``): the atoms of ``c`` jump to ``d``'s when false and
    fall into ``b``'s; those of ``b`` end with a jump to where the whole goes when ``b``'s
    jumps are not taken, then come ``d``'s. A constant operand is a jump to one of the two
    targets (a falsy one to where the whole goes when false) when it is ``b``, or when it
    is a falsy ``d``; a truthy ``d`` (no instruction) is not read."""
    targets = (true_target, false_target)
    for m in range(i, j):
        if atoms[m][0] is _JUMP:
            break  # the test has no jump atoms of its own here
        for k in range(m + 1, j):
            if atoms[k][0] is not _JUMP or atoms[k][2] not in targets:
                continue
            if k == m + 1:
                body = _FoldedConstant(atoms[k][2] == true_target)
            elif atoms[k - 1][0] is _JUMP or atoms[k - 1][2] == atoms[k][2]:
                continue
            else:
                body = _group(atoms, m + 1, k - 1, true_target, false_target)
            if body is None:
                continue
            if k + 1 == j and atoms[j][0] is _JUMP:
                if atoms[j][2] != false_target and atoms[j][2] != true_target:
                    continue
                orelse = _FoldedConstant(atoms[j][2] == true_target)
            else:
                orelse = _group(atoms, k + 1, j, true_target, false_target)
            if orelse is None:
                continue
            test = _group(atoms, i, m, atoms[m + 1][3], atoms[k + 1][3])
            if test is not None:
                return ast.IfExp(test, body, orelse)
    return None


def _folded_by_not(expr):
    """Whether ``not expr`` is ``expr`` with the opposite operator to CPython (which compiles
    ``not a is b`` as ``a is not b``, ``not a in b`` as ``a not in b``)."""
    return isinstance(expr, ast.Compare) and len(expr.ops) == 1 and isinstance(expr.ops[0], (ast.Is, ast.IsNot, ast.In, ast.NotIn)) and not getattr(expr, "none_jump", False)


def _negations_outside(expr):
    """``expr`` with ``not a is b or c`` written ``not (a is b and not c)``: the jumps are the
    same, but ``not a is b`` alone compiles as ``a is not b``, while the jump of ``a is b``
    negated is what ``not (...)`` around an ``and``/``or`` compiles to."""
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.Not):
        expr.operand = _negations_outside(expr.operand)
        return expr
    if not isinstance(expr, ast.BoolOp):
        return expr
    expr.values = [_negations_outside(v) for v in expr.values]
    if any(isinstance(v, ast.UnaryOp) and isinstance(v.op, ast.Not) and _folded_by_not(v.operand) for v in expr.values):
        dual = ast.And() if isinstance(expr.op, ast.Or) else ast.Or()
        return ast.UnaryOp(ast.Not(), ast.BoolOp(dual, [_negate(v) for v in expr.values]))
    return expr


def _group(atoms, i, j, true_target, false_target):
    if i == j and atoms[i][0] is _JUMP:
        return None
    if i == j:
        expr, when, target, _ = atoms[i]
        if target == true_target:
            return expr if when else _negate(expr)
        if target == false_target:
            return _negate(expr) if when else expr
        return None
    for m in range(j - 1, i - 1, -1):
        split = atoms[m + 1][3]
        inner = {atoms[k][3] for k in range(i + 1, m + 1)}
        outside = {t for _, _, t, _ in atoms[i : m + 1]} - inner - {split}
        right_targets = {t for _, _, t, _ in atoms[m + 1 : j + 1]}
        if right_targets & (inner | {atoms[i][3]}):
            continue
        if outside == {false_target}:
            left = _group(atoms, i, m, split, false_target)
            right = _group(atoms, m + 1, j, true_target, false_target)
            op = ast.And
        elif outside == {true_target}:
            left = _group(atoms, i, m, true_target, split)
            right = _group(atoms, m + 1, j, true_target, false_target)
            op = ast.Or
        else:
            continue
        if left is None or right is None:
            continue
        values = []
        for v in (left, right):
            if isinstance(v, ast.BoolOp) and isinstance(v.op, op):
                values.extend(v.values)
            else:
                values.append(v)
        return ast.BoolOp(op(), values)
    if any(atoms[k][0] is _JUMP for k in range(i, j + 1)):
        return _conditional_group(atoms, i, j, true_target, false_target)
    return None


# --- rendering ---------------------------------------------------------------------------------------


class _Unparser(getattr(ast, "_Unparser", object)):  # type: ignore[misc]  # (see below)
    """``ast.unparse``'s writer (``ast._Unparser``: private, and out of ``ast`` from Python 3.14
    on, but this module reads 3.11's bytecode only) for the rebuilt trees, which differ from
    parsed ones in two ways that it handles as it writes (no pass over the tree before):

    - a tuple constant is written as a tuple display of its items, which CPython folds back
      into the constant (``ast.unparse`` writes a constant by its repr, and ``(Ellipsis, -1)``
      is a name where ``(..., -1)`` is the constant);
    - statements have no type comments, and no ``lineno`` for ``ast.unparse`` to look their
      type comments up by."""

    def visit_Constant(self, node):
        if isinstance(node.value, tuple):
            display = _tuple_display(node)
            # Written where the constant was: with the parentheses its place asks for.
            self.set_precedence(self.get_precedence(node), display)
            self.traverse(display)
        else:
            super().visit_Constant(node)

    def visit_Subscript(self, node):
        # `a[1, 2]`, as `ast.unparse` writes a display there, rather than `a[(1, 2)]`.
        if isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, tuple):
            node = ast.Subscript(node.value, _tuple_display(node.slice), node.ctx)
        super().visit_Subscript(node)

    def get_type_comment(self, node):
        return None


def _tuple_display(constant):
    """The tuple display of a tuple constant's items (themselves constants)."""
    return ast.Tuple([ast.Constant(v) for v in constant.value], ast.Load())


def _unparse(node):
    """The text of a rebuilt expression or simple statement (see :class:`_Unparser`)."""
    return _Unparser().visit(node)


class _Renderer:
    """Writes statements as lines, each on the line its ``lineno`` asks for when that is after
    the line written last, else on the next line (blank lines fill the gaps)."""

    def __init__(self, first_line):
        self.first_line = first_line
        self.lines = []

    def next_line(self):
        return self.first_line + len(self.lines)

    def put(self, lineno, text):
        if lineno is not None:
            while self.next_line() < lineno:
                self.lines.append("")
        self.lines.append(text)

    def render(self, stmts, indent):
        for stmt in stmts:
            self.statement(stmt, indent)
        return self.lines

    def statement(self, stmt, indent):
        line = getattr(stmt, "lineno", None)
        inner = indent + "    "
        if isinstance(stmt, ast.FunctionDef):
            # The first line of a nested function's code is its first decorator's.
            for decorator in stmt.decorator_list:
                self.put(line, f"{indent}@{_unparse(decorator)}")
                line = None
            header_node = ast.FunctionDef(stmt.name, stmt.args, [ast.Pass()], [], stmt.returns, None)
            header = _unparse(header_node).splitlines()[0]
            self.put(line, indent + header)
            self.body(stmt.body, inner)
        elif isinstance(stmt, ast.If):
            self.put(line, f"{indent}if {_unparse(stmt.test)}:")
            self.body(stmt.body, inner)
            orelse = stmt.orelse
            while len(orelse) == 1 and isinstance(orelse[0], ast.If):
                elif_ = orelse[0]
                self.put(getattr(elif_, "lineno", None), f"{indent}elif {_unparse(elif_.test)}:")
                self.body(elif_.body, inner)
                orelse = elif_.orelse
            if orelse:
                self.put(None, f"{indent}else:")
                self.body(orelse, inner)
        elif isinstance(stmt, ast.While):
            self.put(line, f"{indent}while {_unparse(stmt.test)}:")
            self.body(stmt.body, inner)
            if stmt.orelse:
                self.put(None, f"{indent}else:")
                self.body(stmt.orelse, inner)
        elif isinstance(stmt, ast.For):
            self.put(line, f"{indent}for {_unparse(stmt.target)} in {_unparse(stmt.iter)}:")
            self.body(stmt.body, inner)
            if stmt.orelse:
                self.put(None, f"{indent}else:")
                self.body(stmt.orelse, inner)
        elif isinstance(stmt, ast.Match):
            self.put(line, f"{indent}match {_unparse(stmt.subject)}:")
            for case in stmt.cases:
                guard = f" if {_unparse(case.guard)}" if case.guard is not None else ""
                self.put(getattr(case, "lineno", None), f"{inner}case {_unparse(case.pattern)}{guard}:")
                self.body(case.body, inner + "    ")
        elif isinstance(stmt, ast.With):
            items = ", ".join(_unparse(item) for item in stmt.items)
            self.put(line, f"{indent}with {items}:")
            self.body(stmt.body, inner)
        elif isinstance(stmt, ast.Try):
            self.put(line, f"{indent}try:")
            self.body(stmt.body, inner)
            for handler in stmt.handlers:
                text = "except"
                if handler.type is not None:
                    text += " " + _unparse(handler.type)
                    if handler.name:
                        text += f" as {handler.name}"
                self.put(getattr(handler, "lineno", None), f"{indent}{text}:")
                self.body(handler.body, inner)
            if stmt.orelse:
                self.put(None, f"{indent}else:")
                self.body(stmt.orelse, inner)
            if stmt.finalbody:
                self.put(None, f"{indent}finally:")
                self.body(stmt.finalbody, inner)
        elif isinstance(stmt, _Break):
            self.put(line, indent + "break")
        elif isinstance(stmt, (_Append, _ForTarget, _AssertionRaise)):
            raise DecompileError("a statement of a comprehension's code", line)
        else:
            text = _unparse(stmt)
            if "\n" in text:
                raise DecompileError(f"a statement written on several lines ({type(stmt).__name__})", line)
            self.put(line, indent + text)

    def body(self, stmts, indent):
        if not stmts:
            self.put(None, indent + "pass")
        stmts = list(stmts)
        # `global`/`nonlocal` declarations (which have no line of their own in the bytecode)
        # share the next simple statement's line, so that the lines below keep their numbers.
        prefix = ""
        while stmts and getattr(stmts[0], "declaration", False):
            prefix += _unparse(stmts.pop(0)) + "; "
        if prefix:
            first = stmts[0] if stmts else None
            if first is not None and not isinstance(first, (ast.FunctionDef, ast.If, ast.While, ast.For, ast.Try, ast.With, ast.Match, _Break)) and not isinstance(first, (_Append, _ForTarget, _AssertionRaise)):
                stmts.pop(0)
                text = _unparse(first)
                if "\n" in text:
                    raise DecompileError(f"a statement written on several lines ({type(first).__name__})", getattr(first, "lineno", None))
                self.put(getattr(first, "lineno", None), indent + prefix + text)
            else:
                self.put(None, indent + prefix[:-2])
        for stmt in stmts:
            self.statement(stmt, indent)
