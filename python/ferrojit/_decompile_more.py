"""The handlers of ``ferrojit._decompile``'s reader for the constructs that numerical functions
seldom have: ``try``, ``with`` and ``match`` statements, nested functions, lambdas,
comprehensions and generators, imports, f-strings, dict displays and unpacking into displays and
calls, and the order of a set constant's items.

They are a module of their own so that a function without them (the common case: loops,
conditions, arithmetic, calls, subscripts) does not pay for loading them: the first call of a
function defined in ``exec()`` imports the reader, and the time Python takes to load a module
grows with its code. ``ferrojit._decompile._Reader`` reads until it needs one of these
handlers (``_LESS_COMMON`` names them), then ``function_text`` reads the function again from
the start with :class:`FullReader`, which has them all; the two readers read every function the
same way, so the text does not depend on which one read it.
"""

from __future__ import annotations

import ast

from ._decompile import (
    _COMPARES,
    _CONDITIONAL_JUMPS,
    _EXCEPTION,
    _FUTURE_ANNOTATIONS,
    _METHOD,
    _NULL,
    _SKIPPED,
    _UNCONDITIONAL_JUMPS,
    _WITH_EXIT,
    DecompileError,
    _Accumulator,
    _Append,
    _as_store,
    _boolean,
    _Code,
    _EmptySet,
    _Function,
    _Import,
    _Iter,
    _Saved,
    _ImportAttr,
    _name,
    _pass,
    _Reader,
    _without_unbinding,
)

class _PatternSlot:
    """A value a ``match`` pattern matches (the subject, an item of a sequence), filled in as
    its instructions are read: a value test, the items of a sequence, a name stored, or
    nothing (a wildcard)."""

    def __init__(self):
        self.value = None  # ast.MatchValue or ast.MatchSingleton
        self.items = None  # of a sequence pattern
        self.name = None
        self.wildcard = False
        self.star = False  # `*name` in a sequence pattern
        self.cls = None  # of a class pattern, whose items are its positional patterns then
        self.keywords = []  # those of these attributes

    def pattern(self):
        if self.star:
            return ast.MatchStar(self.name)
        if self.cls is not None:
            n = len(self.items) - len(self.keywords)
            inner = ast.MatchClass(self.cls, [item.pattern() for item in self.items[:n]], self.keywords, [item.pattern() for item in self.items[n:]])
        elif self.items is not None:
            inner = ast.MatchSequence([item.pattern() for item in self.items])
        else:
            inner = self.value
        if inner is None:
            return ast.MatchAs(None, self.name)
        return ast.MatchAs(inner, self.name) if self.name is not None else inner


def _pattern_names(slot):
    """The names a pattern's slot and its items capture."""
    names = [slot.name] if slot.name is not None else []
    for item in slot.items or ():
        names += _pattern_names(item)
    return names


def insertion_order(constant):
    """The items of the frozenset ``constant`` in an order that, inserted one after the other
    (as CPython builds the constant of a set display, ``frozenset(items)``), gives a frozenset
    iterating in ``constant``'s order; None when none is found.

    A frozenset iterates in the order of its hash table's slots, and where items collide the
    first inserted takes the slot: so the display is not always in the constant's iteration
    order (``{94, 60, 174}`` is the constant iterating ``174, 60, 94``, whose display in
    that order is the constant iterating ``94, 60, 174``). The
    items are the constant's own objects, compared by identity. Small sets are searched
    exhaustively (up to 5040 orders); larger ones, whose tables are sparser, by moving one
    item at a time while that brings more items to their places, from a few starting
    orders (20,000 orders tried at most; about one set in 300 of 8 to 40 random items is
    not found, and is refused)."""
    import itertools

    target = list(constant)
    n = len(target)

    # CPython makes the frozenset of the display's items, then, merging the code's constants,
    # the frozenset of that one's items in its order (`merge_consts_recursive`); and once more
    # when making the code object, if interning replaced one of its strings made of name
    # characters (`intern_string_constants`), as it does when the text is compiled again:
    # the constant's strings are interned already.
    builds = 3 if any(isinstance(v, str) and len(v) > 1 and v.isascii() and (v.replace("_", "a").isalnum()) for v in target) else 2

    def placed(order):
        """How many items the order builds in their places."""
        for _ in range(builds):
            order = tuple(frozenset(order))
        return sum(a is b for a, b in zip(order, target))

    if placed(target) == n:
        return target
    if n <= 7:
        for candidate in itertools.permutations(target):
            if placed(candidate) == n:
                return list(candidate)
        return None
    budget = 20000  # orders tried, at most: a bound on the time a large set takes
    for start in (target, target[::-1], target[1:] + target[:1]):
        order = list(start)
        score = placed(order)
        improved = True
        while improved and score < n:
            improved = False
            for a, b in itertools.permutations(range(n), 2):
                budget -= 1
                if budget < 0:
                    return None
                candidate = list(order)
                candidate.insert(b, candidate.pop(a))
                candidate_score = placed(candidate)
                if candidate_score > score:
                    order, score, improved = candidate, candidate_score, True
                    break
        if score == n:
            return order
    return None


class FullReader(_Reader):
    """The reader with the handlers of this module (the names in ``_LESS_COMMON``)."""

    def yield_from(self, i, stack):
        """``GET_YIELD_FROM_ITER; LOAD_CONST None; SEND end; YIELD_VALUE; RESUME; JUMP back``."""
        value = self.pop(stack)
        if self.ins[i + 1].opname != "LOAD_CONST" or self.ins[i + 2].opname != "SEND":
            self.fail("`yield from`", i)
        stack.append(ast.YieldFrom(value))
        return self.target(i + 2)

    def _cleanup_of(self, handler):
        """The ``COPY 3; POP_EXCEPT; RERAISE 1`` block the handler at ``handler`` ends with (the
        target of the ``lasti`` entry covering it)."""
        for start, end, target, _, lasti in self.entries:
            if lasti and start <= handler < end:
                if [x.opname for x in self.ins[target : target + 3]] == ["COPY", "POP_EXCEPT", "RERAISE"]:
                    return target
        self.fail("a `try` statement whose handler has no cleanup", handler)

    def _is_finally_handler(self, handler):
        """Whether the handler at ``handler`` (``PUSH_EXC_INFO``) is a ``finally`` body rather
        than ``except`` clauses, which start by popping the exception (a bare ``except``) or by
        testing its type (``CHECK_EXC_MATCH`` after an expression, nothing stored before)."""
        k = handler + 1
        if self.ins[k].opname == "POP_TOP":
            return False
        cleanup = self._cleanup_of(handler)
        while k < cleanup:
            op = self.ins[k].opname
            if op == "CHECK_EXC_MATCH":
                return self.ins[k + 1].opname != "POP_JUMP_FORWARD_IF_FALSE"
            if op.startswith(("STORE_", "DELETE_", "POP_", "RETURN", "RAISE", "RERAISE", "JUMP", "FOR_ITER")):
                return True
            k += 1
        return True

    def try_statement(self, i, end, stack, loop, stmts, exit, entry):
        """A ``try`` whose body starts at ``i`` (``entry`` its exception-table entry). Returns
        where reading goes on."""
        handler = entry[2]
        # Every range the handler protects belongs to this statement (a nested statement
        # splits them); none of them starts another `try`.
        pieces = {e for e in self.entries if e[2] == handler}
        self.tries_read.update(pieces)
        line = self.line(i - 1) if i > 0 and self.ins[i - 1].opname == "NOP" else self.line(i)
        if self._is_finally_handler(handler):
            body_end, after = self._finally_extent(handler, i, end, exit)
            self.finally_copies.append(self._finally_copy(handler))
            try:
                body = self.block(i, body_end, list(stack), loop, body_end)
            finally:
                self.finally_copies.pop()
            node = ast.Try(body=body, handlers=[], orelse=[], finalbody=self._finally_body(handler, stack, loop))
        else:
            # A `finally` handler covering this statement's cleanup that no statement read
            # yet is this statement's own (`try`/`except`/`finally` compiles as a `try`/
            # `except` inside a `try`/`finally`): its ranges start inside this statement.
            outer = self._covering_handler(self._cleanup_of(handler))
            outer_pieces = {e for e in self.entries if e[2] == outer} if outer is not None else set()
            own_finally = outer is not None and not (outer_pieces & self.tries_read) and self._is_finally_handler(outer)
            if own_finally:
                self.tries_read.update(outer_pieces)
                self.finally_copies.append(self._finally_copy(outer))
            try:
                node, after = self._try_except(i, handler, end, stack, loop, exit)
            finally:
                if own_finally:
                    self.finally_copies.pop()
            if own_finally:
                finally_end, finally_after = self._finally_extent(outer, i, end, exit)
                if not (finally_end == after or self._only_nops(after, finally_end)):
                    self.fail("a `try` statement inside a `try`/`finally` with more after it", i)
                node.finalbody = self._finally_body(outer, stack, loop)
                after = finally_after
        node.lineno = line
        if not node.body:
            node.body = [_pass()]
        stmts.append(node)
        return after

    def _only_nops(self, a, b):
        return a <= b and all(x.opname == "NOP" for x in self.ins[a:b])

    def _covering_handler(self, index):
        """The handler of the entry without ``lasti`` that covers ``index``, or None."""
        for start, end, target, _, lasti in self.entries:
            if start <= index < end and not lasti:
                return target
        return None

    def _finally_body(self, handler, stack, loop):
        cleanup = self._cleanup_of(handler)
        if self.ins[cleanup - 1].opname != "RERAISE" or self.ins[cleanup - 1].arg != 0:
            self.fail("a `finally` block", handler)
        body = self.block(handler + 1, cleanup - 1, list(stack) + [_EXCEPTION], loop, cleanup - 1)
        return body or [_pass()]

    def _finally_extent(self, handler, i, end, exit):
        """``(body_end, after)`` of a ``try ... finally`` whose exception handler is at
        ``handler``: where its protected code ends (the copy of the ``finally`` body that the
        normal path runs starts there) and where reading goes on after the statement."""
        cleanup = self._cleanup_of(handler)
        length = cleanup - 1 - (handler + 1)
        jump = handler - 1
        copy = jump - length
        if self.ins[jump].opname in _UNCONDITIONAL_JUMPS and copy >= i and self._same_test(copy, jump, handler + 1, cleanup - 1):
            target = self.target(jump)
            if cleanup + 3 <= target <= end:
                after = target
            elif self.resolve(target) == self.resolve(exit):
                after = cleanup + 3
            else:
                self.fail("a `try` statement's exit", jump)
            return copy, after
        if self.ins[handler - 1].opname in ("RETURN_VALUE", "RAISE_VARARGS", "RERAISE"):
            # The protected code never ends normally (it returns or raises): no copy.
            return handler, cleanup + 3
        self.fail("a `finally` block not run on the normal path", handler)

    def _finally_copy(self, handler):
        """The instructions of the ``finally`` body whose handler is at ``handler``, as
        ``(opname, argval)``: CPython copies them before each ``return`` in the ``try``."""
        cleanup = self._cleanup_of(handler)
        return [(x.opname, repr(x.argval)) for x in self.ins[handler + 1 : cleanup - 1]]

    def skip_finally_copy(self, i, end):
        """Where reading goes on at ``i``: past a copy of an enclosing ``finally`` body that
        CPython put before a ``return`` (with the value computed before it, or a constant
        loaded after it), else ``i``."""
        for copy in reversed(self.finally_copies):
            n = len(copy)
            if n and i + n < end + 2 and [(x.opname, repr(x.argval)) for x in self.ins[i : i + n]] == copy:
                after = self.ins[i + n : i + n + 2]
                if after and (after[0].opname == "RETURN_VALUE" or (len(after) > 1 and after[0].opname == "LOAD_CONST" and after[1].opname == "RETURN_VALUE")):
                    return i + n
        return i

    def _try_except(self, i, handler, end, stack, loop, exit):
        """``try``/``except``/``else`` with its handlers at ``handler``: ``(ast.Try, after)``."""
        cleanup = self._cleanup_of(handler)
        body_end = max(e for s, e, t, _, lasti in self.entries if t == handler and s >= i and not lasti)
        normal_jump = handler - 1 if self.ins[handler - 1].opname in _UNCONDITIONAL_JUMPS else None
        after = cleanup + 3
        inner_exit = exit
        if normal_jump is not None:
            target = self.target(normal_jump)
            if cleanup + 3 <= target <= end:
                after = inner_exit = target
            elif self.resolve(target) != self.resolve(exit):
                self.fail("a `try` statement's exit", normal_jump)
        else:
            # The body does not fall through: the handlers' jumps say where the statement ends.
            for k in range(handler, cleanup):
                if self.ins[k].opname == "JUMP_FORWARD" and cleanup + 3 <= self.target(k) <= end:
                    after = inner_exit = self.target(k)
                    break
        if after != cleanup + 3 and not self._only_nops(cleanup + 3, after):
            # Code between the cleanup and the end belongs to an enclosing `finally`'s copy.
            inner_exit = after
        # The protected ranges end with the last instruction that can raise: a statement
        # ending in `RETURN_VALUE` (or a store) ends a few instructions later (after the copy
        # of a `finally` body, for a `return`).
        else_end = normal_jump if normal_jump is not None else handler
        reach = 3 + sum(len(copy) for copy in self.finally_copies)
        for body_end in range(body_end, min(body_end + reach, else_end) + 1):
            probe = list(stack)
            try:
                body = self.block(i, body_end, probe, loop, body_end)
            except DecompileError:
                continue
            if len(probe) == len(stack):
                break
        else:
            self.fail("a `try` statement's body", i)
        orelse = self.block(body_end, else_end, list(stack), loop, inner_exit)
        handlers = []
        k = handler + 1
        handler_stack = list(stack) + [_EXCEPTION]
        while k < cleanup:
            op = self.ins[k].opname
            if op == "RERAISE" and self.ins[k].arg == 0:
                break  # no handler matched: the exception goes on
            if op == "POP_TOP":
                kind, name, body_start, limit = None, None, k + 1, cleanup
            else:
                check = k
                while check < cleanup and self.ins[check].opname != "CHECK_EXC_MATCH":
                    check += 1
                kind = self.expression(k, check, handler_stack + [_EXCEPTION], loop, exit)
                if kind is None or self.ins[check + 1].opname != "POP_JUMP_FORWARD_IF_FALSE":
                    self.fail("an `except` clause", k)
                limit = self.target(check + 1)
                bind = self.ins[check + 2]
                if bind.opname == "POP_TOP":
                    name = None
                elif bind.opname.startswith("STORE_"):
                    name = bind.argval
                    self.handler_names.add(name)
                    tail = [x.opname for x in self.ins[limit - 4 : limit]]
                    if tail[:1] == ["LOAD_CONST"] and tail[3:] == ["RERAISE"]:
                        limit -= 4  # the cleanup that unbinds the name when the body raises
                else:
                    self.fail("an `except` clause", check + 2)
                body_start = check + 3
            handler_body = _without_unbinding(self.block(body_start, limit, list(handler_stack), loop, inner_exit), name)
            handler_node = ast.ExceptHandler(type=kind, name=name, body=handler_body or [_pass()])
            handler_node.lineno = self.line(k)
            handlers.append(handler_node)
            if kind is None:
                break
            k = self.target(check + 1)
        node = ast.Try(body=body, handlers=handlers, orelse=orelse, finalbody=[])
        return node, after

    # What leaves a `with` block normally: `__exit__(None, None, None)`, its result popped.
    _WITH_EXIT = ["LOAD_CONST", "LOAD_CONST", "LOAD_CONST", "PRECALL", "CALL", "POP_TOP"]
    # The handler that calls `__exit__` on an exception: `PUSH_EXC_INFO; WITH_EXCEPT_START;
    # POP_JUMP_FORWARD_IF_TRUE suppress; RERAISE 2; COPY 3; POP_EXCEPT; RERAISE 1` then, where
    # `__exit__` returned true, `suppress: POP_TOP; POP_EXCEPT; POP_TOP; POP_TOP`, which falls
    # into the code after the statement.
    _WITH_HANDLER = ["PUSH_EXC_INFO", "WITH_EXCEPT_START", "POP_JUMP_FORWARD_IF_TRUE", "RERAISE", "COPY", "POP_EXCEPT", "RERAISE", "POP_TOP", "POP_EXCEPT", "POP_TOP", "POP_TOP"]

    def with_statement(self, i, end, stack, loop, stmts, start):
        """``BEFORE_WITH`` at ``i``, the context manager on ``stack``: ``with cm [as target]:``.
        Returns where reading goes on.

        The body is followed by the handler that calls ``__exit__`` on an exception, and the
        statement ends after the handler (``_WITH_HANDLER``). A body that ends normally ends
        with the call of ``__exit__(None, None, None)`` and a jump to the end of the statement,
        or a copy of the small block there that returns (CPython copies such blocks to the
        jumps reaching them); a body that never ends normally (it ends in ``return``, ``raise``,
        ``break`` or ``continue``) has no such call, and each of its ways out calls
        ``__exit__`` itself, read in the body as part of those statements (``_EXITED``)."""
        manager = self.pop(stack)
        handler = None
        for entry_start, _, target, _, lasti in self.entries:
            if entry_start == i + 1 and lasti and self.ins[target].opname == "PUSH_EXC_INFO" and self.ins[target + 1].opname == "WITH_EXCEPT_START":
                handler = target
        if handler is None or [x.opname for x in self.ins[handler : handler + len(self._WITH_HANDLER)]] != self._WITH_HANDLER or self.target(handler + 2) != handler + 7:
            self.fail("a `with` statement", i)
        self.tries_read.update(e for e in self.entries if e[2] == handler)
        after = handler + len(self._WITH_HANDLER)
        if after > end:
            self.fail("a `with` statement's exit", i)
        body_end = self._with_normal_exit(handler, after)
        if body_end is None:
            # No normal end: the body's last statement leaves (`return`, `raise`, or a jump
            # elsewhere than after the statement, read as `break`/`continue`).
            last = self.ins[handler - 1].opname
            if last not in ("RETURN_VALUE", "RAISE_VARARGS", "RERAISE") and last not in _UNCONDITIONAL_JUMPS:
                self.fail("a `with` statement whose body does not end", i)
            body_end = handler
        bind = self.ins[i + 1]
        if bind.opname == "POP_TOP":
            target = None
        elif bind.opname in ("STORE_FAST", "STORE_NAME", "STORE_GLOBAL", "STORE_DEREF"):
            target = _name(bind.argval, True)
        else:
            self.fail("a `with` statement's `as` target", i + 1)
        body = self.block(i + 2, body_end, list(stack) + [_WITH_EXIT], loop, body_end)
        items = [ast.withitem(manager, target)]
        # `with a, b:` compiles as `with a:` around `with b:`.
        if len(body) == 1 and isinstance(body[0], ast.With) and getattr(body[0], "lineno", None) == self.line(start):
            items += body[0].items
            body = body[0].body
        node = ast.With(items=items, body=body or [_pass()], type_comment=None)
        node.lineno = self.line(start)
        stmts.append(node)
        return after

    def _with_normal_exit(self, handler, after):
        """Where the normal exit of the ``with`` body whose handler is at ``handler`` starts
        (its ``__exit__(None, None, None)`` call), the statement ending at ``after``; None when
        the body does not end normally.

        After the call comes a jump to where control goes after the statement, or a copy of
        the small block at ``after`` that returns or raises. The same instructions are what
        a `break`, `continue` or `return` last in the body compiles to, when it goes where the
        statement's end goes; either reading compiles to this code."""
        n = len(self._WITH_EXIT)
        jump = handler - 1
        if self.ins[jump].opname in _UNCONDITIONAL_JUMPS and self.resolve(self.target(jump)) == self.resolve(after):
            call = jump - n
            if call >= 0 and [x.opname for x in self.ins[call:jump]] == self._WITH_EXIT:
                return call
        copied = self._copied_exit_block(handler, after)
        if copied is not None:
            call = copied - n
            if call >= 0 and [x.opname for x in self.ins[call:copied]] == self._WITH_EXIT:
                return call
        return None

    def _copied_exit_block(self, k, after):
        """Where the instructions before ``k`` start when they are a copy of the block at
        ``after`` that ends by returning or raising (CPython copies an exit block of up to
        four instructions to each jump to it), else None."""
        for n in range(1, 5):
            copy = self.ins[k - n : k]
            original = self.ins[after : after + n]
            if k - n < 0 or len(original) < n:
                return None
            if [(x.opname, repr(x.argval)) for x in copy] != [(x.opname, repr(x.argval)) for x in original]:
                continue
            if copy[-1].opname in ("RETURN_VALUE", "RAISE_VARARGS", "RERAISE"):
                return k - n
        return None

    def match_statement(self, i, end, stack, loop, stmts, exit, start):
        """A ``match`` statement whose subject is on top of ``stack``, its first case at ``i``.
        Returns where reading goes on; raises DecompileError (changing nothing) when the code
        is not a ``match`` of the patterns read here: values (literals, dotted names), ``None``/
        ``True``/``False``, captures, wildcards, ``as``, and sequences of those (no starred
        item), with guards.

        CPython 3.11 (``compiler_match_inner``) compiles each case but the last (not counting
        a final ``case _:``) on a copy of the subject (``COPY 1``): its pattern's tests jump,
        when they fail, into a chain of ``POP_TOP`` that pops what the pattern left on the
        stack and falls into the next case; the names captured are stored once the pattern
        matched, then the guard is tested (jumping to the next case when false), the subject
        popped, and the body runs, ending with a jump to the end of the statement. The last
        case works on the subject itself; a final ``case _:`` is a ``NOP`` and its body."""
        subject = stack[-1]
        if not isinstance(subject, ast.expr):
            self.fail("a `match` statement", i)
        below = stack[:-1]
        cases = []
        k = i
        match_end = None
        while True:
            case = None
            for copied in ((True, False) if self.ins[k].opname == "COPY" and self.ins[k].arg == 1 else (False,)):
                try:
                    case = self._match_case(k, end, below, subject, copied, loop, exit, match_end)
                    break
                except DecompileError:
                    if not copied:
                        raise
            node, after, end_jump_target, copied = case
            cases.append(node)
            if end_jump_target is not None:
                # Where the statement ends: the target of the bodies' jumps, or the end of
                # the block when they jump where the block goes.
                position = end_jump_target if after <= end_jump_target <= end else end
                if match_end is None:
                    match_end = position
                elif self.resolve(position) != self.resolve(match_end):
                    self.fail("a `match` statement's cases ending in different places", k)
            k = after
            if not copied:
                break
        if match_end is not None and k < match_end:
            # `case _:` last: what is left up to the end of the statement.
            default_start = k
            while k < match_end and self.ins[k].opname == "NOP":
                k += 1
            body = self.block(k, match_end, list(below), loop, match_end)
            default = ast.match_case(pattern=ast.MatchAs(None, None), guard=None, body=body or [_pass()])
            default.lineno = self.line(default_start)
            cases.append(default)
            k = match_end
        stack.pop()
        node = ast.Match(subject=subject, cases=cases)
        node.lineno = self.line(start)
        stmts.append(node)
        return k

    def _match_case(self, k, end, below, subject, copied, loop, exit, match_end):
        """One case of a ``match`` at ``k``: ``(ast.match_case, where the next case starts,
        the target of the body's jump to the end of the statement or None, copied)``."""
        case_line = self.line(k)
        root = _PatternSlot()
        slots = [root]
        fails = set()
        if copied:
            k += 1
        k = self._read_pattern(k, end, slots, fails)
        guard = None
        fail_start = min(fails) if fails else None
        if self.ins[k].opname not in ("POP_TOP",) or not copied:
            j = k
            while j < end and self.ins[j].opname not in _CONDITIONAL_JUMPS and self.ins[j].opname not in _UNCONDITIONAL_JUMPS and not self.ins[j].opname.startswith(("STORE_", "RETURN", "POP_TOP")):
                j += 1
            if copied or (fail_start is not None and j < end and self.ins[j].opname in _CONDITIONAL_JUMPS):
                probe = list(below) + ([subject] if copied else [])
                value = self.expression(k, j, probe, loop, exit) if j < end and self.ins[j].opname in _CONDITIONAL_JUMPS else None
                if value is None:
                    self.fail("a `match` case's guard", k)
                probe.append(value)
                atoms, body_start = self.read_condition(j, end, probe, loop, exit)
                false_target = atoms[-1][2]
                guard = _boolean(atoms, body_start, false_target)
                if guard is None:
                    self.fail("a `match` case's guard", k)
                fails.add(false_target)
                fail_start = min(fails)
                k = body_start
        if copied:
            if self.ins[k].opname != "POP_TOP":
                self.fail("a `match` case", k)
            k += 1
        # The chain of POP_TOP the failed tests jump into, which falls into the next case.
        if fail_start is None:
            body_end = next_case = match_end if match_end is not None else end
        else:
            body_end = fail_start
            next_case = fail_start
            while next_case < end and self.ins[next_case].opname == "POP_TOP":
                next_case += 1
            if not all(fail_start <= t <= next_case for t in fails):
                self.fail("a `match` case", k)
        end_jump_target = None
        if body_end > k and self.ins[body_end - 1].opname in _UNCONDITIONAL_JUMPS:
            # The jump to the end of the statement (else a `break` or `continue` of the body).
            target = self.target(body_end - 1)
            if body_end <= target <= end or self.resolve(target) == self.resolve(exit) or (match_end is not None and self.resolve(target) == self.resolve(match_end)):
                end_jump_target = target
                body_end -= 1
        if not k <= body_end <= end:
            self.fail("a `match` case", k)
        body = self.block(k, body_end, list(below), loop, end_jump_target if end_jump_target is not None else body_end)
        node = ast.match_case(pattern=root.pattern(), guard=guard, body=body or [_pass()])
        node.lineno = case_line
        return node, next_case, end_jump_target, copied

    def _or_pattern(self, k, end, fails):
        """``(ast.MatchOr, where its code ends)`` for an or-pattern at ``k`` whose alternatives
        capture no names, else None. CPython (``compiler_pattern_or``) matches each alternative
        on a copy of the value (``COPY 1``), jumping on success to the end, where the copy is
        popped; an alternative that fails falls (through its own chain of ``POP_TOP``) into the
        next; after the last, the value is popped and a jump fails the whole pattern."""
        alternatives = []
        success = None
        try:
            while True:
                if not (self.ins[k].opname == "COPY" and self.ins[k].arg == 1):
                    return None
                slot = _PatternSlot()
                alternative_fails = set()
                k = self._read_pattern(k + 1, end, [slot], alternative_fails)
                if _pattern_names(slot) or self.ins[k].opname not in _UNCONDITIONAL_JUMPS or not alternative_fails:
                    return None
                target = self.target(k)
                if success is None:
                    success = target
                elif target != success:
                    return None
                alternatives.append(slot.pattern())
                k = min(alternative_fails)
                if not all(k <= t for t in alternative_fails):
                    return None
                while self.ins[k].opname == "POP_TOP":
                    k += 1
                if self.ins[k].opname in _UNCONDITIONAL_JUMPS:
                    # `POP_TOP` (the value) then the jump of the whole pattern's failure.
                    if self.ins[k - 1].opname != "POP_TOP" or max(alternative_fails) > k - 1:
                        return None
                    fails.add(self.target(k))
                    break
        except DecompileError:
            return None
        if len(alternatives) < 2 or success != k + 1 or self.ins[success].opname != "POP_TOP":
            return None
        return ast.MatchOr(alternatives), success + 1

    def _read_pattern(self, k, end, slots, fails):
        """The pattern's instructions from ``k``, run over ``slots`` (the values being matched,
        `_PatternSlot`s, top last) until each is matched or stored; records the targets of
        the tests' jumps in ``fails``. Returns where the pattern's code ends."""
        while slots:
            if k >= end:
                self.fail("a `match` case", k)
            ins = self.ins[k]
            op = ins.opname
            if op in ("NOP", "EXTENDED_ARG"):
                k += 1
            elif op == "COPY" and ins.arg == 1:
                alternatives = self._or_pattern(k, end, fails)
                if alternatives is not None:
                    pattern, k = alternatives
                    slots.pop().value = pattern
                else:
                    slots.append(slots[-1])  # `pattern as name`: the same value, matched then stored
                    k += 1
            elif op == "SWAP":
                if ins.arg > len(slots):
                    self.fail("a `match` statement's pattern", k)
                slots[-1], slots[-ins.arg] = slots[-ins.arg], slots[-1]
                k += 1
            elif op.startswith("STORE_") and op in ("STORE_FAST", "STORE_NAME", "STORE_GLOBAL", "STORE_DEREF"):
                slot = slots.pop()
                if slot.name is not None:
                    self.fail("a `match` case", k)
                slot.name = ins.argval
                k += 1
            elif op == "POP_TOP":
                slots.pop().wildcard = True
                k += 1
            elif op == "POP_JUMP_FORWARD_IF_NOT_NONE":
                # `None`: `LOAD_CONST None; IS_OP 0; POP_JUMP_IF_FALSE` made one jump.
                slots.pop().value = ast.MatchSingleton(None)
                fails.add(self.target(k))
                k += 1
            elif op == "MATCH_SEQUENCE":
                slot = slots[-1]
                if self.ins[k + 1].opname != "POP_JUMP_FORWARD_IF_FALSE":
                    self.fail("a `match` statement's sequence pattern", k)
                fails.add(self.target(k + 1))
                k += 2
                if self.ins[k].opname == "GET_LEN":
                    # The length: `== n`, or `>= n` around a starred item.
                    names = [x.opname for x in self.ins[k + 1 : k + 4]]
                    if names != ["LOAD_CONST", "COMPARE_OP", "POP_JUMP_FORWARD_IF_FALSE"] or self.ins[k + 2].argval not in ("==", ">="):
                        self.fail("a `match` statement's sequence pattern", k)
                    fails.add(self.target(k + 3))
                    n = self.ins[k + 1].argval
                    starred = self.ins[k + 2].argval == ">="
                    k += 4
                else:
                    n, starred = 0, True  # `[*rest]`: no length to test
                while self.ins[k].opname == "EXTENDED_ARG":
                    k += 1
                slots.pop()
                if starred:
                    # `[a, *rest, b]`: at least n items, unpacked around a list of the rest
                    # (a `*_` is read by subscripts instead, not rebuilt here).
                    unpack = self.ins[k]
                    if unpack.opname != "UNPACK_EX" or (unpack.arg & 0xFF) + (unpack.arg >> 8) != n:
                        self.fail("a `match` statement's sequence pattern with `*_`", k)
                    slot.items = [_PatternSlot() for _ in range(n + 1)]
                    slot.items[unpack.arg & 0xFF].star = True
                    slots.extend(reversed(slot.items))
                    k += 1
                    continue
                slot.items = [_PatternSlot() for _ in range(n)]
                if self.ins[k].opname == "UNPACK_SEQUENCE" and self.ins[k].arg == n:
                    slots.extend(reversed(slot.items))
                    k += 1
                elif self.ins[k].opname == "POP_TOP":
                    for item in slot.items:
                        item.wildcard = True  # `[_, _]`: only the length is tested
                    k += 1
                else:
                    self.fail("a `match` statement's sequence pattern", k)
            elif op == "MATCH_MAPPING":
                self.fail("a `match` statement's mapping pattern", k)
            elif self._class_pattern_at(k, end) is not None:
                j = self._class_pattern_at(k, end)
                # `Cls(p, q, name=r)`: the class, the names of the keyword attributes, then
                # `MATCH_CLASS nargs` pushing the tuple of the attributes or None (tested by
                # `COPY 1; POP_JUMP_IF_NONE`), unpacked for the items' patterns.
                names = self.ins[j - 1].argval if self.ins[j - 1].opname == "LOAD_CONST" else None
                cls = self.expression(k, j - 1, [], None, end) if isinstance(names, tuple) else None
                nargs = self.ins[j].arg
                if cls is None or [x.opname for x in self.ins[j + 1 : j + 4]] != ["COPY", "POP_JUMP_FORWARD_IF_NONE", "UNPACK_SEQUENCE"] or self.ins[j + 3].arg != nargs + len(names):
                    self.fail("a `match` statement's class pattern", k)
                fails.add(self.target(j + 2))
                slot = slots.pop()
                slot.cls, slot.keywords = cls, list(names)
                slot.items = [_PatternSlot() for _ in range(nargs + len(names))]
                slots.extend(reversed(slot.items))
                k = j + 4
            else:
                # A value: its expression, then `==` (or `is` for None/True/False) and the jump.
                j = k
                while j < end and self.ins[j].opname not in _COMPARES:
                    if self.ins[j].opname in _CONDITIONAL_JUMPS or self.ins[j].opname in _UNCONDITIONAL_JUMPS:
                        self.fail("a `match` statement's pattern", k)
                    j += 1
                value = self.expression(k, j, [], None, end) if j < end else None
                compare = self.ins[j] if j < end else None
                if value is None or self.ins[j + 1].opname != "POP_JUMP_FORWARD_IF_FALSE":
                    self.fail("a `match` statement's pattern", k)
                slot = slots.pop()
                if compare.opname == "COMPARE_OP" and compare.argval == "==":
                    slot.value = ast.MatchValue(value)
                elif compare.opname == "IS_OP" and compare.arg == 0 and isinstance(value, ast.Constant) and value.value in (None, True, False) and type(value.value) in (type(None), bool):
                    slot.value = ast.MatchSingleton(value.value)
                else:
                    self.fail("a `match` statement's pattern", k)
                fails.add(self.target(j + 1))
                k = j + 2
        return k

    def op_POP_EXCEPT(self, ins, stack, i):
        """The end of a handler: pops the exception it saved (what ``PUSH_EXC_INFO`` pushed)."""
        for k in range(len(stack) - 1, -1, -1):
            if stack[k] is _EXCEPTION:
                del stack[k]
                return None
        self.fail("`POP_EXCEPT`", i)

    def op_IMPORT_NAME(self, ins, stack, i):
        fromlist = self.pop(stack)
        level = self.pop(stack)
        if not (isinstance(fromlist, ast.Constant) and isinstance(level, ast.Constant)):
            self.fail("an `import`", i)
        stack.append(_Import(ins.argval, fromlist.value, level.value))

    def op_IMPORT_FROM(self, ins, stack, i):
        module = stack[-1]
        if isinstance(module, _ImportAttr):
            module = module.module  # `import a.b.c as d`: one attribute after the other
        if not isinstance(module, _Import):
            self.fail("an `import`", i)
        stack.append(_ImportAttr(module, ins.argval))

    def op_MATCH_CLASS(self, ins, stack, i):
        self.fail("a `match` statement's class pattern", i)

    def op_MATCH_MAPPING(self, ins, stack, i):
        self.fail("a `match` statement's mapping pattern", i)

    op_MATCH_KEYS = op_MATCH_MAPPING

    def op_MATCH_SEQUENCE(self, ins, stack, i):
        self.fail("a `match` statement's sequence pattern", i)

    def op_LOAD_BUILD_CLASS(self, ins, stack, i):
        self.fail("a `class` statement", i)

    def op_BUILD_MAP(self, ins, stack, i):
        items = self._items(stack, 2 * ins.arg)
        stack.append(ast.Dict(items[0::2], items[1::2]))

    def op_BUILD_CONST_KEY_MAP(self, ins, stack, i):
        keys = self.pop(stack)
        values = self._items(stack, ins.arg)
        stack.append(ast.Dict([ast.Constant(k) for k in keys.value], values))

    def op_BUILD_STRING(self, ins, stack, i):
        parts = []
        for item in self._items(stack, ins.arg):
            if isinstance(item, ast.JoinedStr):
                parts.extend(item.values)
            else:
                parts.append(item)
        stack.append(ast.JoinedStr(parts))

    def op_FORMAT_VALUE(self, ins, stack, i):
        spec = None
        if ins.arg & 4:
            spec = self.pop(stack)
            if not isinstance(spec, ast.JoinedStr):
                spec = ast.JoinedStr([spec])
        value = self.pop(stack)
        conversion = {0: -1, 1: ord("s"), 2: ord("r"), 3: ord("a")}[ins.arg & 3]
        stack.append(ast.JoinedStr([ast.FormattedValue(value, conversion, spec)]))

    def op_LIST_EXTEND(self, ins, stack, i):
        items = self.pop(stack)
        target = stack[-ins.arg]
        if not isinstance(target, ast.List):
            self.fail("`LIST_EXTEND`", i)
        if isinstance(items, ast.Constant) and isinstance(items.value, tuple) and not target.elts:
            target.elts.extend(ast.Constant(v) for v in items.value)
        else:
            target.elts.append(ast.Starred(items, ast.Load()))

    def op_SET_UPDATE(self, ins, stack, i):
        items = self.pop(stack)
        target = stack[-ins.arg]
        if isinstance(target, _EmptySet):
            target = stack[-ins.arg] = ast.Set([])
        if isinstance(items, ast.Set) and not target.elts:
            target.elts.extend(items.elts)
        else:
            target.elts.append(ast.Starred(items, ast.Load()))

    def op_LIST_APPEND(self, ins, stack, i):
        value = self.pop(stack)
        target = stack[-ins.arg]
        if isinstance(target, _Accumulator):
            return _Append(None, value)
        if not isinstance(target, ast.List):
            self.fail("`LIST_APPEND`", i)
        target.elts.append(value)

    def op_SET_ADD(self, ins, stack, i):
        value = self.pop(stack)
        target = stack[-ins.arg]
        if isinstance(target, _Accumulator):
            return _Append(None, value)
        # `{*a, x}`: a display built by updates and adds.
        if isinstance(target, _EmptySet):
            target = stack[-ins.arg] = ast.Set([])
        if not isinstance(target, ast.Set):
            self.fail("`SET_ADD`", i)
        target.elts.append(value)

    def op_MAP_ADD(self, ins, stack, i):
        value = self.pop(stack)
        key = self.pop(stack)
        if not isinstance(stack[-ins.arg], _Accumulator):
            self.fail("`MAP_ADD`", i)
        return _Append(key, value)

    def _dict_update(self, ins, stack, i):
        items = self.pop(stack)
        target = stack[-ins.arg]
        if not isinstance(target, ast.Dict):
            self.fail("`DICT_UPDATE`", i)
        target.keys.append(None)
        target.values.append(items)

    op_DICT_UPDATE = op_DICT_MERGE = _dict_update

    def op_LIST_TO_TUPLE(self, ins, stack, i):
        items = self.pop(stack)
        if not isinstance(items, ast.List):
            self.fail("`LIST_TO_TUPLE`", i)
        stack.append(ast.Tuple(items.elts, ast.Load()))

    def op_CALL_FUNCTION_EX(self, ins, stack, i):
        kwargs = self.pop(stack) if ins.arg & 1 else None
        args = self.pop(stack)
        func = self.pop(stack)
        below = stack.pop()
        if below is not _NULL and below is not _METHOD:
            self.fail("a call with `*args`", i)
        if isinstance(args, ast.Tuple):
            positional = list(args.elts)
        elif isinstance(args, ast.Constant) and isinstance(args.value, tuple):
            positional = [ast.Constant(v) for v in args.value]
        else:
            positional = [ast.Starred(args, ast.Load())]
        keywords = []
        if kwargs is not None:
            if isinstance(kwargs, ast.Dict):
                for k, v in zip(kwargs.keys, kwargs.values):
                    keywords.append(ast.keyword(None if k is None else k.value, v))
            else:
                keywords.append(ast.keyword(None, kwargs))
        stack.append(ast.Call(func, positional, keywords))

    def op_MAKE_FUNCTION(self, ins, stack, i):
        code = stack.pop()
        if not isinstance(code, _Code):
            self.fail("`MAKE_FUNCTION`", i)
        flags = ins.arg
        if flags & 8:
            stack.pop()
        annotations = None
        if flags & 4:
            # A tuple of names and annotations, alternating.
            items = self.pop(stack)
            items = [ast.Constant(v) for v in items.value] if isinstance(items, ast.Constant) else list(items.elts)
            names = [n.value if isinstance(n, ast.Constant) else None for n in items[0::2]]
            if None in names:
                self.fail("a nested function's annotations", i)
            values = items[1::2]
            if self.code.co_flags & _FUTURE_ANNOTATIONS:
                # `from __future__ import annotations`: each annotation is its text.
                values = [self._annotation_text(v, i) for v in values]
            annotations = dict(zip(names, values))
        kwdefaults = self.pop(stack) if flags & 2 else None
        defaults = self.pop(stack) if flags & 1 else None
        if defaults is not None:
            defaults = [ast.Constant(v) for v in defaults.value] if isinstance(defaults, ast.Constant) else list(defaults.elts)
        if kwdefaults is not None:
            kwdefaults = {k.value: v for k, v in zip(kwdefaults.keys, kwdefaults.values)}
        stack.append(_Function(code.code, defaults, kwdefaults, annotations))

    def _annotation_text(self, value, i):
        if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
            self.fail("a nested function's annotations", i)
        try:
            return ast.parse(value.value, mode="eval").body
        except SyntaxError:
            self.fail("a nested function's annotations", i)

    def op_YIELD_VALUE(self, ins, stack, i):
        stack.append(ast.Yield(self.pop(stack)))

    def store_import(self, value, target, i):
        """A store of an imported module or name: ``import a``, ``import a.b``, ``import a as
        b``, or part of ``import a.b as c`` and ``from a import b as c`` (their statement ends
        when the module is popped)."""
        if not isinstance(target, ast.Name):
            self.fail("an `import`", i)
        if isinstance(value, _Import) and value.fromlist is None:
            top = value.name.split(".")[0]
            if target.id == top:
                return ast.Import([ast.alias(value.name)])
            if "." not in value.name:
                return ast.Import([ast.alias(value.name, target.id)])
        elif isinstance(value, _ImportAttr) and value.module.fromlist is None:
            if value.name == value.module.name.split(".")[-1]:
                value.module.asname = target.id
                return None
        elif isinstance(value, _ImportAttr):
            value.module.aliases.append(ast.alias(value.name, None if target.id == value.name else target.id))
            return None
        self.fail("an `import`", i)

    def nested_function(self, function):
        reader = type(self)(function.code)
        definition = reader.function_definition(defaults=function.defaults, kwdefaults=function.kwdefaults)
        definition.decorator_list = function.decorators[::-1]
        if function.annotations:
            arguments = definition.args
            for arg in arguments.posonlyargs + arguments.args + arguments.kwonlyargs + [arguments.vararg, arguments.kwarg]:
                if arg is not None and arg.arg in function.annotations:
                    arg.annotation = function.annotations[arg.arg]
            definition.returns = function.annotations.get("return")
        return definition

    def lambda_expr(self, function):
        reader = type(self)(function.code)
        definition = reader.function_definition(defaults=function.defaults, kwdefaults=function.kwdefaults)
        body = definition.body
        if len(body) == 1 and isinstance(body[0], ast.Return):
            return ast.Lambda(definition.args, body[0].value or ast.Constant(None))
        if not body or (len(body) == 1 and isinstance(body[0], ast.Pass)):
            return ast.Lambda(definition.args, ast.Constant(None))
        raise DecompileError("a lambda")

    def comprehension(self, function, iterable):
        """A comprehension's code object folded back into the expression."""
        code = function.code
        reader = type(self)(code)
        kind = {"<listcomp>": "list", "<setcomp>": "set", "<dictcomp>": "dict", "<genexpr>": "generator"}[code.co_name]
        if reader.entries:
            raise DecompileError("a comprehension with a `try`")
        start = 0
        stack = []
        if kind != "generator":
            # `BUILD_LIST 0` (`BUILD_SET 0`, `BUILD_MAP 0`) after `RESUME`: the accumulator.
            while reader.ins[start].opname in _SKIPPED:
                start += 1
            if reader.ins[start].opname not in ("BUILD_LIST", "BUILD_SET", "BUILD_MAP") or reader.ins[start].arg != 0:
                raise DecompileError(f"a {kind} comprehension")
            stack.append(_Accumulator(kind))
            start += 1
        body = reader.block(start, len(reader.ins), stack, None, len(reader.ins))
        if body and isinstance(body[-1], ast.Return):
            body.pop()
        return _folded_comprehension(kind, body, iterable)

    def inlined_comprehension(self, i, stack):
        """A list, set or dict comprehension compiled into the function's code (CPython 3.12,
        PEP 709) at ``i``, its first iterable's iterator on ``stack``: ``LOAD_FAST_AND_CLEAR``
        of each variable it binds (saved under the iterator: ``SWAP``), the accumulator
        (``BUILD_LIST 0``) under the iterator (``SWAP 2``) and the loop that fills it. Leaves
        the saved values (``_Saved``) on the stack under the comprehension: the swaps and
        stores after it restore them (where its value is stored or popped at once, CPython
        moves that store before them). Returns where reading goes on."""
        k = i
        saved = []
        while self.ins[k].opname == "LOAD_FAST_AND_CLEAR":
            saved.append(_Saved(self.ins[k].argval))
            k += 1
        if self.ins[k].opname != "SWAP" or self.ins[k].arg != len(saved) + 1:
            self.fail("a comprehension", i)
        build, swap, loop_start = self.ins[k + 1 : k + 4]
        kind = {"BUILD_LIST": "list", "BUILD_SET": "set", "BUILD_MAP": "dict"}.get(build.opname)
        if kind is None or build.arg != 0 or swap.opname != "SWAP" or swap.arg != 2 or loop_start.opname != "FOR_ITER":
            self.fail("a comprehension", i)
        iterator = stack.pop() if stack else None
        if not isinstance(iterator, _Iter):
            self.fail("a comprehension", i)
        start = k + 3
        loop_end = self.target(start)
        body = []
        after = self.for_loop(start, loop_end, list(stack) + [_Accumulator(kind), iterator], None, body, loop_end)
        # `SWAP` brought the iterator up from under the saved values: the first saved is on top.
        saved[0], saved[-1] = saved[-1], saved[0]
        stack.extend(saved)
        stack.append(_folded_comprehension(kind, body, None))
        return after


def _folded_comprehension(kind, body, iterable):
    """The comprehension whose loops are ``body`` (one ``for`` statement, holding the
    comprehension's ``if`` statements and ``for`` loops, with the append innermost), its first
    iterable ``iterable`` (None: the first loop's)."""
    if len(body) != 1 or not isinstance(body[0], ast.For):
        raise DecompileError(f"a {kind} comprehension")
    generators = []
    node = body[0]
    element = None
    while True:
        if isinstance(node, ast.For) and not node.orelse:
            generators.append(ast.comprehension(_as_store(node.target), node.iter, [], 0))
        elif isinstance(node, ast.If) and not node.orelse and generators:
            generators[-1].ifs.append(node.test)
        else:
            raise DecompileError(f"a {kind} comprehension")
        inner = node.body
        if len(inner) != 1:
            raise DecompileError(f"a {kind} comprehension")
        node = inner[0]
        if isinstance(node, _Append):
            element = node
            break
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Yield):
            element = _Append(None, node.value.value)
            break
    if iterable is not None:
        generators[0].iter = iterable
    if kind == "list":
        return ast.ListComp(element.value, generators)
    if kind == "set":
        return ast.SetComp(element.value, generators)
    if kind == "dict":
        return ast.DictComp(element.key, element.value, generators)
    return ast.GeneratorExp(element.value, generators)


# The full reader of each reader of `ferrojit._decompile._READERS`.
FULL_READERS = {_Reader: FullReader}
