"""``@stencil``: kernels written with relative indices, applied to every element of an array,
with Numba's API (``numba.stencil``).

A kernel such as ::

    @stencil
    def smooth(a):
        return 0.25 * (a[0, 1] + a[1, 0] + a[0, -1] + a[-1, 0])

is read once, when it is decorated: its source is parsed with Python's ``ast``, the relative
indices of the arrays it reads give its neighborhood (the lowest and highest offset in each
dimension), and two functions are written out as Python source and compiled by ferrojit as
any ``@njit`` function:

- the *element function*: the kernel with one index parameter per dimension added and each
  relative index made absolute (``a[0, -1]`` becomes ``a[index0 + 0, index1 + -1]``); it returns
  the value of one output element. Its text keeps the kernel's lines where the kernel has them,
  and it is compiled under the kernel's own file name, so compile errors in the kernel's body
  name the user's file and line;
- the *loop function*, one per way of calling (with or without ``out=``): it allocates the
  output (of the kernel's result type, the type of an empty list of element values), gives the
  border, where the kernel would read outside the input, the value ``cval``, and calls the
  element function for every interior element in a loop nest.

Called from Python, a stencil runs its loop function. Compiled code calls a stencil as an
overloaded callable (``ferrojit.extending``): its typing function answers with the loop
function for the call's arguments, which compiles into the caller.
"""

from __future__ import annotations

import os

from ._typing import TYPE_CHECKING, overload
from .errors import TypingError

if TYPE_CHECKING:
    import ast
    from typing import Any, Callable, Optional, Sequence

__all__ = ["stencil", "StencilFunc"]

# The only border mode, as in Numba: border elements take the value `cval`.
_MODES = ("constant",)
_OPTIONS = ("cval", "standard_indexing", "neighborhood")


@overload
def stencil(func_or_mode: Callable[..., Any], /, **options: Any) -> StencilFunc: ...
@overload
def stencil(func_or_mode: str = "constant", /, **options: Any) -> Callable[[Callable[..., Any]], StencilFunc]: ...


def stencil(func_or_mode: Any = "constant", /, **options: Any) -> Any:
    """Make a stencil from a kernel written with relative indices, as ``numba.stencil``.

    ``@stencil``, ``@stencil(neighborhood=((-1, 1), (-2, 2)))``, ``@stencil("constant",
    cval=np.nan)``, ``stencil(lambda a: a[-1] + a[1])``. Options:

    - ``neighborhood``: the lowest and highest offset the kernel reads in each dimension, one
      ``(low, high)`` pair per dimension; needed when indices are not constants;
    - ``cval``: the value of the border elements, which the kernel cannot compute (default 0;
      with ``out=``, the whole ``out`` is set to it first when it is given, and left as it is
      otherwise);
    - ``standard_indexing``: names of parameters indexed as plain arrays, not relatively.

    Calling the stencil, ``kernel(a, *other_arguments, out=None)``, returns an array of the
    shape of ``a`` and of the kernel's result type (or fills ``out`` and returns it).
    """
    if isinstance(func_or_mode, str):
        mode, func = func_or_mode, None
    else:
        mode, func = "constant", func_or_mode
    unknown = [name for name in options if name not in _OPTIONS]
    if unknown:
        raise TypeError(f"unknown stencil option(s): {', '.join(unknown)}; the options are cval, standard_indexing and neighborhood")
    if mode not in _MODES:
        raise ValueError(f"unsupported stencil mode {mode!r}: the only mode is 'constant'")

    def decorate(kernel: Callable[..., Any]) -> StencilFunc:
        return StencilFunc(kernel, mode, options)

    return decorate(func) if func is not None else decorate


class StencilFunc:
    """A stencil made by :func:`stencil`: call it on arrays as ``kernel(a, ..., out=None)``,
    from Python or from compiled code.

    ``neighborhood`` is the one given to the decorator, else the one computed from the
    kernel's constant indices (a list of ``[low, high]`` per dimension, as Numba's)."""

    def __init__(self, kernel: Callable[..., Any], mode: str, options: dict[str, Any]) -> None:
        if not isinstance(kernel, type(_outer_loop_name)):
            raise TypeError(f"@stencil takes a Python function (a def or a lambda), not {type(kernel).__name__}")
        self.kernel = kernel
        self.mode = mode
        self.options = dict(options)
        self.__name__ = kernel.__name__
        self.__qualname__ = kernel.__qualname__
        self.__module__ = kernel.__module__
        self.__doc__ = kernel.__doc__
        self._analysis = _analyse(kernel, options)
        given = options.get("neighborhood")
        self.neighborhood = given if given is not None else [list(pair) for pair in self._analysis.neighborhood]
        # (with out= or without, parallel or not) -> the loop function, made on first use.
        self._loop_functions: dict[tuple[bool, bool], Callable[..., Any]] = {}
        self._element_function: Optional[Callable[..., Any]] = None
        # with out= or without -> what runs a call from Python: the loop function's dispatcher.
        self._runners: dict[bool, Callable[..., Any]] = {}
        self._jit_disabled = os.environ.get("FERROJIT_DISABLE_JIT") == "1"
        if not self._jit_disabled:
            _register_for_compiled_callers(self)

    def __repr__(self) -> str:
        return f"<ferrojit stencil {self.__qualname__!r}>"

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        import numpy as np

        out = kwargs.pop("out", None)
        if kwargs:
            raise TypeError(f"{self.__name__}() got an unexpected keyword argument {next(iter(kwargs))!r}; a stencil takes its kernel's arguments and out=")
        kinds = [a.ndim if isinstance(a, np.ndarray) else None for a in args]
        out_kind = None if out is None else (out.ndim if isinstance(out, np.ndarray) else -1)
        problem = self._call_problem(kinds, out_kind)
        if problem is not None:
            raise problem[0](problem[1])
        with_out = out is not None
        run = self._runners.get(with_out)
        if run is None:
            loops = self._loop_function(with_out)
            if self._jit_disabled:
                run = loops
            else:
                from .extending import _implementation

                # The dispatcher compiled code gets for the same loop function, shared.
                run = _implementation(loops, {})
            self._runners[with_out] = run
        # `out` always passed positionally: a call with every parameter given takes the
        # dispatcher's fast path.
        return run(*args, out)

    def _call_problem(self, kinds: Sequence[Optional[int]], out_kind: Optional[int]) -> Optional[tuple[type, str]]:
        """Why a call with these arguments cannot run, as (exception class, message), or None.
        ``kinds``: per argument, its number of dimensions when it is an array, else None;
        ``out_kind``: None without ``out``, -1 for an ``out`` that is not an array."""
        analysis = self._analysis
        params = analysis.params
        if len(kinds) != len(params):
            return TypeError, _argument_count_message(self.__name__, params, len(kinds))
        ndim = analysis.ndim
        if kinds[0] is None:
            return TypingError, f"the first argument of the stencil `{self.__name__}` must be its input array (its output has that array's shape)"
        if kinds[0] != ndim:
            return TypingError, (
                f"the stencil `{self.__name__}` reads {ndim}-dimensional arrays (its "
                f"{'neighborhood' if self.options.get('neighborhood') is not None else 'relative indices'} "
                f"have {ndim} dimension{'s' if ndim != 1 else ''}) but `{params[0]}` has {kinds[0]}"
            )
        for name, kind in zip(params, kinds):
            if name in analysis.relative[1:] and kind is None:
                return TypingError, (
                    f"the stencil `{self.__name__}` indexes `{name}` relatively, so `{name}` must be an array; "
                    f"list it in standard_indexing= to index it as given"
                )
            if name in analysis.relative[1:] and kind != ndim:
                return TypingError, f"the stencil `{self.__name__}` indexes `{name}` relatively: it must have as many dimensions as `{params[0]}` ({ndim}), not {kind}"
        if out_kind is not None and out_kind != ndim:
            what = "an array" if out_kind == -1 else f"an array of {out_kind} dimension{'s' if out_kind != 1 else ''}"
            return TypingError, f"out= of the stencil `{self.__name__}` must be an array of {ndim} dimension{'s' if ndim != 1 else ''}, the input's, not {what}"
        return None

    def _compiled_implementation(self, *args: Any, out: Any = None, _caller_parallel: bool = False) -> Callable[..., Any]:
        """The typing function of calls from compiled code (``ferrojit.extending``): the loop
        function for these argument types, whose outermost loop runs on the thread pool when
        the caller is compiled with ``parallel=True`` (as Numba's parallel stencils)."""
        from . import types
        from .extending import CallRefused

        kinds = [a.ndim if isinstance(a, types.Array) else None for a in args]
        with_out = out is not None and not isinstance(out, types.NoneType)
        out_kind = (out.ndim if isinstance(out, types.Array) else -1) if with_out else None
        problem = self._call_problem(kinds, out_kind)
        if problem is not None:
            raise CallRefused(problem[1])
        return self._loop_function(with_out, _caller_parallel)

    def _loop_function(self, with_out: bool, parallel: bool = False) -> Callable[..., Any]:
        """The Python function (from generated source) that applies the kernel to a whole
        array: ``loops(*kernel_arguments, out=None)``; with ``parallel``, its outermost loop is
        parallel (see `_outer_loop_name`)."""
        loops = self._loop_functions.get((with_out, parallel))
        if loops is None:
            element = self._element()
            loops = self._loop_functions[with_out, parallel] = _make_loop_function(self, element, with_out, parallel)
            if parallel and not self._jit_disabled:
                from .extending import _parallel_implementation

                # Its `prange` loop is rewritten when its source is read.
                _parallel_implementation(loops)
        return loops

    def _element(self) -> Any:
        """The element function's dispatcher (its plain Python function when the JIT is off)."""
        if self._element_function is None:
            self._element_function = _make_element_function(self.kernel, self._analysis, self._jit_disabled)
        return self._element_function


def _argument_count_message(name: str, params: list[str], given: int) -> str:
    """CPython's message for calling a function of the positional parameters ``params`` with
    ``given`` arguments."""
    if given > len(params):
        taken = f"{len(params)} positional argument{'s' if len(params) != 1 else ''}"
        return f"{name}() takes {taken} but {given} {'was' if given == 1 else 'were'} given"
    missing = [repr(p) for p in params[given:]]
    listed = missing[0] if len(missing) == 1 else f"{missing[0]} and {missing[1]}" if len(missing) == 2 else f"{', '.join(missing[:-1])}, and {missing[-1]}"
    return f"{name}() missing {len(missing)} required positional argument{'s' if len(missing) != 1 else ''}: {listed}"


def _register_for_compiled_callers(stencil_func: StencilFunc) -> None:
    """Compiled code that calls ``stencil_func`` asks its typing function for the loop
    function to compile (the stencil is an overloaded callable, as NumPy's functions are)."""
    from .extending import overload

    global _new_output_registered
    if not _new_output_registered:
        _register_new_output()
        _new_output_registered = True

    overload(stencil_func, _sees_caller_parallel=True)(stencil_func._compiled_implementation)


_new_output_registered = False


def _outer_loop_name(parallel: bool) -> str:
    """The name of the callable the loop function's outermost loop iterates over: ``range``,
    or, for a ``parallel`` stencil (one called from a function compiled with
    ``parallel=True``), ferrojit's ``prange``. A call from Python runs serially, as in Numba.
    A name other than ``range`` is looked up in the ``ferrojit`` package."""
    return "prange" if parallel else "range"


# --- reading the kernel ----------------------------------------------------------------------


class _Analysis:
    """What the decorator learnt from the kernel's source.

    ``params``: the kernel's parameters; ``relative``: those indexed relatively, the first
    parameter first; ``ndim``: the number of dimensions of the arrays it reads;
    ``neighborhood``: per dimension (low, high), computed from the constant indices or given;
    ``element_text``: the element function's source (named ``element_name``, taking the
    kernel's parameters then one index per dimension), whose first line is line
    ``first_line`` of ``filename`` and is indented by ``indent``."""

    def __init__(self, params: list[str], relative: list[str], ndim: int, neighborhood: list[tuple[int, int]], element_text: str, element_name: str, filename: str, first_line: int, indent: str) -> None:
        self.params, self.relative, self.ndim, self.neighborhood = params, relative, ndim, neighborhood
        self.element_text, self.element_name, self.filename, self.first_line, self.indent = element_text, element_name, filename, first_line, indent


class _Source:
    """The parsed text a kernel's nodes point into: ``text`` (its line ``n``, 1-based, is line
    ``n + line_delta`` of ``filename``) and, per line, where it starts in ``text``."""

    def __init__(self, filename: str, text: str, line_delta: int) -> None:
        self.filename = filename
        self.text = text
        self.line_delta = line_delta
        self.lines = text.splitlines(keepends=True)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))

    def offset(self, line: int, col: int) -> int:
        """The position in ``text`` of the node position (``line``, ``col``: 1-based line,
        column in UTF-8 bytes, as ``ast`` counts them)."""
        text_line = self.lines[line - 1] if line <= len(self.lines) else ""
        return self.starts[line - 1] + len(text_line.encode("utf-8")[:col].decode("utf-8", "replace"))

    def segment(self, node: Any) -> str:
        return self.text[self.offset(node.lineno, node.col_offset) : self.offset(node.end_lineno, node.end_col_offset)]


class _KernelError(Exception):
    """A kernel that is not a stencil, at a node of its source (raised as a TypingError)."""

    def __init__(self, message: str, node: Any, hint: Optional[str] = None) -> None:
        super().__init__(message)
        self.message, self.node, self.hint = message, node, hint


def _located(message: str, source: _Source, node: Any, function: str, hint: Optional[str]) -> str:
    """``message`` with the file, line and column of ``node``, its line underlined and the
    hint, as the compiler words its own errors."""
    line = node.lineno
    text_line = source.lines[line - 1].rstrip("\r\n") if line <= len(source.lines) else ""
    start = len(text_line.encode("utf-8")[: node.col_offset].decode("utf-8", "replace"))
    if node.end_lineno == line:
        end = len(text_line.encode("utf-8")[: node.end_col_offset].decode("utf-8", "replace"))
    else:
        end = len(text_line)
    out = f"{message}\n  File \"{source.filename}\", line {line + source.line_delta}, column {start + 1}, in {function}"
    if text_line.strip():
        out += f"\n    {text_line}\n    {' ' * start}{'^' * max(end - start, 1)}"
    if hint:
        out += f"\n  hint: {hint}"
    return out


def _kernel_node(kernel: Callable[..., Any]) -> tuple[_Source, Any]:
    """The parsed source of the kernel and its node (a FunctionDef or a Lambda)."""
    import ast

    from ._source import capture, source_info

    code = kernel.__code__
    lines = capture(kernel)
    if kernel.__name__ == "<lambda>":
        if not lines:
            raise TypingError(f"cannot find the source code of the stencil kernel (a lambda defined in {code.co_filename}); ferrojit reads a stencil's kernel from its source")
        source = _Source(code.co_filename, "".join(lines), 0)
        try:
            tree = ast.parse(source.text)
        except SyntaxError:
            tree = None
        params = list(code.co_varnames[: code.co_argcount])
        found = [
            node
            for node in (ast.walk(tree) if tree is not None else ())
            if isinstance(node, ast.Lambda) and node.lineno == code.co_firstlineno and [a.arg for a in node.args.args] == params
        ]
        if len({source.segment(node) for node in found}) != 1:
            where = f"on line {code.co_firstlineno} of {code.co_filename}"
            problem = f"cannot tell which lambda {where} is the stencil kernel" if found else f"cannot find the stencil kernel's lambda {where}"
            raise TypingError(f"{problem}\n  hint: define the kernel with `def`")
        return source, found[0]
    filename, first_line, text, _ = source_info(kernel, lines)
    # An indented function (a method, a kernel made inside a function) parses under `if 1:`.
    wrapped = text[:1] in (" ", "\t")
    source = _Source(filename, ("if 1:\n" + text) if wrapped else text, first_line - 1 - (1 if wrapped else 0))
    tree = ast.parse(source.text)
    node = tree.body[0].body[0] if wrapped else tree.body[0]  # type: ignore[attr-defined]
    return source, node


def _analyse(kernel: Callable[..., Any], options: dict[str, Any]) -> _Analysis:
    source, node = _kernel_node(kernel)
    name = kernel.__name__ if kernel.__name__ != "<lambda>" else "stencil_lambda"
    try:
        return _analyse_node(kernel, options, source, node, name)
    except _KernelError as error:
        raise TypingError(_located(error.message, source, error.node, name, error.hint)) from None


def _analyse_node(kernel: Callable[..., Any], options: dict[str, Any], source: _Source, node: Any, name: str) -> _Analysis:
    import ast

    arguments = node.args
    if arguments.vararg or arguments.kwarg or arguments.kwonlyargs or arguments.posonlyargs or arguments.defaults:
        raise _KernelError("a stencil kernel takes positional parameters without defaults (its arrays and scalars)", node)
    params = [a.arg for a in arguments.args]
    if not params:
        raise _KernelError("a stencil kernel takes its input array as its first parameter", node)
    if "out" in params:
        raise _KernelError("`out` cannot name a parameter of a stencil kernel: a stencil takes `out=` for the output array", node)
    standard = options.get("standard_indexing") or ()
    standard = [standard] if isinstance(standard, str) else list(standard)
    for s in standard:
        if s not in params:
            raise _KernelError(f"standard_indexing names `{s}`, which is not a parameter of the stencil kernel", node)
    if params[0] in standard:
        raise _KernelError(f"the first parameter of a stencil kernel, `{params[0]}`, is indexed relatively: it cannot be in standard_indexing", node)
    relative_params = [p for p in params if p not in standard]
    body = node.body if isinstance(node, ast.FunctionDef) else [node.body]
    if isinstance(node, ast.FunctionDef) and not any(isinstance(n, ast.Return) and n.value is not None for n in _own_nodes(body)):
        raise _KernelError("a stencil kernel returns the value of one output element, and this one has no `return` with a value", node)
    for n in ast.walk(node):
        if isinstance(n, (ast.Subscript, ast.Name)) and isinstance(n.ctx, (ast.Store, ast.Del)):
            target = n.value if isinstance(n, ast.Subscript) else None
            if isinstance(target, ast.Name) and target.id in params:
                raise _KernelError(f"a stencil kernel may not assign to its arguments' items (`{target.id}`): it returns the value of one output element", n)

    subscripts: list[Any] = [n for n in ast.walk(node) if isinstance(n, ast.Subscript) and isinstance(n.value, ast.Name) and n.value.id in relative_params]
    for sub in subscripts:
        for item in sub.slice.elts if isinstance(sub.slice, ast.Tuple) else [sub.slice]:
            if isinstance(item, ast.Constant) and (not isinstance(item.value, int) or isinstance(item.value, bool)):
                raise _KernelError("a relative stencil index must be an integer in each dimension", item)
    constants = _local_constants(node, params)
    given = options.get("neighborhood")
    ndim: Optional[int] = None
    if given is not None:
        ndim = _check_neighborhood(given, node)
    else:
        for sub in subscripts:
            width = _index_width(sub.slice, constants)
            if width is None:
                continue
            if ndim is None:
                ndim, first = width, sub
            elif width != ndim:
                raise _KernelError(
                    f"the relative indices of a stencil kernel must all have one number of dimensions: this one has {width}, "
                    f"`{source.segment(first)}` on line {first.lineno + source.line_delta} has {ndim}",
                    sub,
                )
        if not subscripts:
            raise _KernelError(
                "this kernel is not a stencil: it reads no array with a relative index (`a[-1]`, `a[0, 1]`)", node,
                "index the input array relatively, or list in standard_indexing= only the arrays indexed as given",
            )
        if ndim is None:
            raise _not_constant(subscripts[0])
    assert ndim is not None
    neighborhood = [[0, 0] for _ in range(ndim)]
    for sub in subscripts:
        offsets = _index_offsets(sub, ndim, constants)
        if given is None:
            for d, offset in enumerate(offsets):
                if offset is None:
                    raise _not_constant(sub)
                neighborhood[d][0] = min(neighborhood[d][0], offset)
                neighborhood[d][1] = max(neighborhood[d][1], offset)
    bounds = [tuple(pair) for pair in (given if given is not None else neighborhood)]

    taken = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} | set(params)
    index_names = [_fresh(f"index{d}", taken) for d in range(ndim)]
    text, first_line, indent = _element_text(source, node, name, params + index_names, subscripts, index_names, ndim)
    relative = [p for p in relative_params if any(sub.value.id == p for sub in subscripts)]
    if params[0] not in relative:
        relative.insert(0, params[0])
    return _Analysis(params, relative, ndim, bounds, text, name, source.filename, first_line, indent)


def _own_nodes(body: list[Any]) -> Any:
    """The nodes of ``body``, not descending into nested functions, lambdas and classes."""
    import ast

    pending = list(body)
    while pending:
        n = pending.pop()
        yield n
        if not isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            pending.extend(ast.iter_child_nodes(n))


def _check_neighborhood(given: Any, node: Any) -> int:
    """The number of dimensions of a ``neighborhood=`` option, which must be one
    ``(low, high)`` pair of integers per dimension."""
    ok = isinstance(given, (tuple, list)) and len(given) > 0 and all(
        isinstance(pair, (tuple, list)) and len(pair) == 2 and all(isinstance(v, int) and not isinstance(v, bool) for v in pair)
        for pair in given
    )
    if not ok:
        raise _KernelError(f"neighborhood= must be one (low, high) pair of integers per dimension, e.g. ((-1, 1), (-2, 2)), not {given!r}", node)
    return len(given)


def _not_constant(sub: Any) -> _KernelError:
    return _KernelError(
        "this stencil index is not a constant, so the kernel's neighborhood cannot be computed", sub,
        "give the stencil its neighborhood: @stencil(neighborhood=((low, high), ...)), one pair of offsets per dimension",
    )


def _local_constants(node: Any, params: list[str]) -> dict[str, Any]:
    """The kernel's variables assigned once, by ``name = <constant>``: their values (integers
    or tuples of integers), usable in relative indices."""
    import ast

    stores: dict[str, int] = {}
    for n in ast.walk(node):
        if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del)):
            stores[n.id] = stores.get(n.id, 0) + 1
    constants: dict[str, Any] = {}
    body = node.body if isinstance(node, ast.FunctionDef) else []
    for n in _own_nodes_in_order(body):
        if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name):
            target = n.targets[0].id
            if stores.get(target) == 1 and target not in params:
                value = _constant(n.value, constants)
                if value is not None:
                    constants[target] = value
    return constants


def _own_nodes_in_order(body: list[Any]) -> Any:
    """The statements of ``body`` and of the blocks inside it, in source order."""
    import ast

    for n in body:
        yield n
        for field in ("body", "orelse", "finalbody"):
            inner = getattr(n, field, None)
            if isinstance(inner, list) and not isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                yield from _own_nodes_in_order(inner)


def _constant(n: Any, constants: dict[str, Any]) -> Any:
    """The value of an integer expression made of literals and the kernel's constants (a
    tuple of them for a tuple), or None."""
    import ast

    if isinstance(n, ast.Constant):
        return n.value if isinstance(n.value, int) and not isinstance(n.value, bool) else None
    if isinstance(n, ast.Name):
        return constants.get(n.id)
    if isinstance(n, ast.UnaryOp) and isinstance(n.op, (ast.USub, ast.UAdd)):
        v = _constant(n.operand, constants)
        return None if not isinstance(v, int) else (-v if isinstance(n.op, ast.USub) else v)
    if isinstance(n, ast.BinOp) and isinstance(n.op, (ast.Add, ast.Sub, ast.Mult)):
        x, y = _constant(n.left, constants), _constant(n.right, constants)
        if not (isinstance(x, int) and isinstance(y, int)):
            return None
        return x + y if isinstance(n.op, ast.Add) else x - y if isinstance(n.op, ast.Sub) else x * y
    if isinstance(n, ast.Tuple):
        items = [_constant(e, constants) for e in n.elts]
        return tuple(items) if all(isinstance(i, int) for i in items) else None
    return None


def _index_width(index: Any, constants: dict[str, Any]) -> Optional[int]:
    """How many dimensions a relative index names, when its form tells: a tuple display or a
    constant tuple (its length), an integer constant or a slice (one); None otherwise."""
    import ast

    if isinstance(index, ast.Tuple):
        return len(index.elts)
    if isinstance(index, ast.Slice):
        return 1
    value = _constant(index, constants)
    if isinstance(value, tuple):
        return len(value)
    return 1 if isinstance(value, int) else None


def _index_offsets(sub: Any, ndim: int, constants: dict[str, Any]) -> list[Optional[int]]:
    """The constant offset of a relative index in each dimension (None where it is not a
    constant); checks its form against ``ndim``."""
    import ast

    index = sub.slice
    width = _index_width(index, constants)
    if width is not None and width != ndim:
        raise _KernelError(f"this relative index names {width} dimension{'s' if width != 1 else ''} but the stencil's arrays have {ndim}", sub)
    whole = None if isinstance(index, ast.Tuple) else _constant(index, constants)
    if isinstance(whole, tuple):
        # A variable bound to a constant tuple (`t = (-1, 1)`, then `a[t]`).
        return list(whole)
    items = index.elts if isinstance(index, ast.Tuple) else [index] if width is not None else None
    if items is None:
        # A variable holding the whole index (a tuple for several dimensions).
        return [None] * ndim
    offsets: list[Optional[int]] = []
    for item in items:
        if isinstance(item, ast.Starred):
            raise _KernelError("a starred item cannot be part of a relative stencil index", item)
        if isinstance(item, ast.Slice):
            if item.lower is None or item.upper is None or item.step is not None:
                raise _KernelError("a slice in a relative stencil index needs both bounds and no step (`a[-2:1]`)", item)
            offsets.append(None)
            continue
        value = _constant(item, constants)
        if value is not None and not isinstance(value, int):
            raise _KernelError("a stencil index must be an integer in each dimension", item)
        offsets.append(value)
    return offsets


def _fresh(base: str, taken: set[str]) -> str:
    """``base``, or ``base`` with underscores added, a name not in ``taken`` (then added)."""
    name = base
    while name in taken:
        name += "_"
    taken.add(name)
    return name


def _absolute_subscript(sub: Any, index_names: list[str], ndim: int, relative_subs: set[int]) -> Any:
    """A copy of the relative subscript ``sub`` with absolute indices: each dimension's offset
    (nested relative subscripts inside it made absolute too) added to its index variable."""
    import ast
    import copy

    def shifted(offset: Any, d: int) -> Any:
        # (Slices without bounds were refused by `_index_offsets`.)
        index = ast.Name(id=index_names[d], ctx=ast.Load())
        if isinstance(offset, ast.Slice):
            lower: Any = offset.lower
            upper: Any = offset.upper
            return ast.Slice(lower=ast.BinOp(left=index, op=ast.Add(), right=lower), upper=ast.BinOp(left=copy.copy(index), op=ast.Add(), right=upper))
        return ast.BinOp(left=index, op=ast.Add(), right=offset)

    # The relative subscripts are known by the ids of the original nodes; a deep copy walks in
    # the same order as its original.
    duplicate = copy.deepcopy(sub)
    marked = {id(c) for o, c in zip(ast.walk(sub), ast.walk(duplicate)) if id(o) in relative_subs}

    class Absolute(ast.NodeTransformer):
        def visit_Subscript(self, node: Any) -> Any:
            relative = id(node) in marked
            self.generic_visit(node)
            if not relative:
                return node
            index = node.slice
            if isinstance(index, ast.Tuple):
                items = [shifted(item, d) for d, item in enumerate(index.elts)]
            elif ndim == 1:
                items = [shifted(index, 0)]
            else:
                # A variable holding the whole index: its items, one per dimension.
                items = [shifted(ast.Subscript(value=index, slice=ast.Constant(d), ctx=ast.Load()), d) for d in range(ndim)]
            node.slice = items[0] if len(items) == 1 else ast.Tuple(elts=items, ctx=ast.Load())
            return node

    return Absolute().visit(duplicate)


def _element_text(source: _Source, node: Any, name: str, params: list[str], subscripts: list[Any], index_names: list[str], ndim: int) -> tuple[str, int, str]:
    """The element function's source, its first line in the kernel's file, and its
    indentation. Lines stay where the kernel has them: the header is written on the `def`
    line (a lambda's on its line), and each outermost relative subscript is replaced by its
    absolute form plus the line breaks it spanned."""
    import ast

    relative_ids = {id(s) for s in subscripts}
    inside = set()
    for sub in subscripts:
        for n in ast.walk(sub):
            if n is not sub:
                inside.add(id(n))
    edits = []
    for sub in subscripts:
        if id(sub) in inside:
            continue
        start = source.offset(sub.lineno, sub.col_offset)
        end = source.offset(sub.end_lineno, sub.end_col_offset)
        replacement = ast.unparse(_absolute_subscript(sub, index_names, ndim, relative_ids))
        breaks = source.text.count("\n", start, end)
        if breaks:
            # The subscript's line breaks stay inside its brackets, and its last line keeps its
            # indentation.
            last = source.lines[sub.end_lineno - 1]
            replacement = replacement[:-1] + "\n" * breaks + last[: len(last) - len(last.lstrip())] + "]"
        edits.append((start, end, replacement))
    header = f"def {name}({', '.join(params)}):"
    if isinstance(node, ast.Lambda):
        expression: Any = node.body
        begin, stop = source.offset(expression.lineno, expression.col_offset), source.offset(expression.end_lineno, expression.end_col_offset)
        newlines = "\n" * (expression.lineno - node.lineno)
        return f"{header} return ({newlines}{_apply(source.text, begin, stop, edits)})\n", node.lineno + source.line_delta, ""
    first = node.body[0]
    header_start = source.offset(node.lineno, node.col_offset)
    body_start = source.offset(first.lineno, first.col_offset)
    breaks = source.text.count("\n", header_start, body_start)
    body_col = body_start - source.text.rfind("\n", 0, body_start) - 1
    edits.append((header_start, body_start, header + ("\n" * breaks + " " * body_col if breaks else " ")))
    begin = source.starts[node.lineno - 1]
    stop = source.starts[node.end_lineno]
    indent = source.lines[node.lineno - 1][: node.col_offset]
    return _apply(source.text, begin, stop, edits), node.lineno + source.line_delta, indent


def _apply(text: str, begin: int, stop: int, edits: list[tuple[int, int, str]]) -> str:
    """``text[begin:stop]`` with the edits inside that range (start, end, replacement; not
    overlapping) made."""
    out = []
    at = begin
    for start, end, replacement in sorted(e for e in edits if begin <= e[0] and e[1] <= stop):
        out.append(text[at:start])
        out.append(replacement)
        at = end
    out.append(text[at:stop])
    return "".join(out)


# --- the generated functions -----------------------------------------------------------------


def _make_element_function(kernel: Callable[..., Any], analysis: _Analysis, jit_disabled: bool) -> Any:
    """The element function as a Python function with the kernel's globals and closure
    cells, and (unless the JIT is off) its dispatcher, whose source is the element text, read
    as a part of the kernel's file."""
    from ._dispatcher import Dispatcher
    from ._source import parameter_defaults

    name = analysis.element_name
    free = kernel.__code__.co_freevars
    text = analysis.element_text
    if free:
        indent = analysis.indent or "    "
        if not analysis.indent:
            text = "".join(indent + line for line in text.splitlines(keepends=True))
        wrapper = f"def _stencil_factory({', '.join(free)}):\n" + text + f"{indent}return {name}\n"
        head = 1
    elif analysis.indent:
        wrapper, head = "if 1:\n" + text, 1
    else:
        wrapper, head = text, 0
    # The function's lines are the kernel's in Python's tracebacks too (with the JIT off).
    padding = "\n" * max(analysis.first_line - 1 - head, 0)
    namespace: dict[str, Any] = {}
    exec(compile(padding + wrapper, analysis.filename, "exec"), namespace)
    made = namespace["_stencil_factory"](*([None] * len(free))) if free else namespace[name]
    code = made.__code__
    cells = dict(zip(free, kernel.__closure__ or ()))
    closure = tuple(cells[n] for n in code.co_freevars) if code.co_freevars else None
    function_type: Any = type(kernel)
    function = function_type(code, kernel.__globals__, name, None, closure)
    function.__qualname__ = kernel.__qualname__
    if jit_disabled:
        return function
    dispatcher = Dispatcher(function, {})
    info = (analysis.filename, analysis.first_line, analysis.element_text, parameter_defaults(function))
    if not dispatcher._set_source(info, True, 0.0):
        dispatcher._set_source(info, False, 0.0)
    return dispatcher


def _make_loop_function(stencil_func: StencilFunc, element: Any, with_out: bool, parallel: bool) -> Callable[..., Any]:
    """The loop function: ``loops(*kernel_arguments, out=None)`` applying the kernel to every
    interior element and giving the border ``cval`` (see the module documentation)."""
    import linecache

    import numpy as np

    analysis = stencil_func._analysis
    params, ndim = analysis.params, analysis.ndim
    taken = set(params) | {"out"}
    names = {key: _fresh(key, taken) for key in ("np", "element", "cval", "shape", "result", "unused", "result_dtype", "new_output")}
    indices = [_fresh(f"i{d}", taken) for d in range(ndim)]
    shape, result = names["shape"], names["result"]
    cval_given = "cval" in stencil_func.options
    first = params[0]
    loop_name = f"{analysis.element_name}_stencil"
    lines = [f"def {loop_name}({', '.join(params)}, out=None):", f"    {shape} = {first}.shape"]
    # The other arrays read relatively must be as large as the first (ndim was checked).
    for other in analysis.relative[1:]:
        for d in range(ndim):
            lines += [f"    if {other}.shape[{d}] < {shape}[{d}]:", f"        raise ValueError({_SMALLER_SECONDARY!r})"]
    if with_out:
        for d in range(ndim):
            lines += [f"    if out.shape[{d}] < {shape}[{d}]:", f"        raise ValueError({_SMALLER_OUT!r})"]
        lines.append(f"    {result} = out")
        if cval_given:
            lines.append(f"    {result}[:] = {names['cval']}{_CVAL_NOTE}")
    else:
        if stencil_func._jit_disabled:
            # Plain Python has no types without values: the type of the first interior element's
            # value, if there is one.
            dtype = f"{names['result_dtype']}({names['element']}, ({', '.join(params)},), {analysis.neighborhood!r})"
            lines.append(f"    {result} = {names['np']}.empty({shape}, dtype={dtype})")
            border_loops = True
        else:
            # The output's dtype is the kernel's result type: the item type of a list of element
            # values, made empty (no element is computed for it; see `_new_output`). Without
            # cval= the border is 0: a zeroed array needs no loops for it.
            zeros = ", ".join(["0"] * ndim)
            probe = f"[{names['element']}({', '.join(params)}, {zeros}) for {names['unused']} in range(0)]"
            lines.append(f"    {result} = {names['new_output']}({shape}, {probe}, {not cval_given})  # an array of the kernel's value, a scalar")
            border_loops = cval_given
        for d, (low, high) in enumerate(analysis.neighborhood if border_loops else []):
            before = ":, " * d
            if -min(0, low) > 0:
                lines.append(f"    {result}[{before}:{-min(0, low)}] = {names['cval']}{_CVAL_NOTE}")
            if max(0, high) > 0:
                lines.append(f"    {result}[{before}max({shape}[{d}] - {max(0, high)}, 0):] = {names['cval']}{_CVAL_NOTE}")
    outer = _outer_loop_name(parallel)
    outer_name = "range" if outer == "range" else _fresh(outer, taken)
    for d, (low, high) in enumerate(analysis.neighborhood):
        loop = outer_name if d == 0 else "range"
        lines.append(f"{'    ' * (d + 1)}for {indices[d]} in {loop}({-min(0, low)}, {shape}[{d}] - {max(0, high)}):")
    item = ", ".join(indices)
    lines.append(f"{'    ' * (ndim + 1)}{result}[{item}] = {names['element']}({', '.join(params)}, {item})  # the kernel's value, a scalar")
    lines.append(f"    return {result}")
    text = "\n".join(lines) + "\n"
    kind = (" with out" if with_out else "") + (" parallel" if parallel else "")
    filename = f"<stencil {stencil_func.__qualname__} ({analysis.filename}, line {analysis.first_line}){kind}>"
    # Read through `linecache`, as the source of a file that is not on disk, when its
    # dispatcher is made (right after this returns); an entry without a modification time
    # stays in the cache.
    linecache.cache[filename] = (len(text), None, text.splitlines(keepends=True), filename)
    namespace: dict[str, Any] = {names["np"]: np, names["element"]: element, names["cval"]: stencil_func.options.get("cval", 0), names["result_dtype"]: _python_result_dtype, names["new_output"]: _new_output}
    if outer_name != "range":
        import ferrojit

        namespace[outer_name] = getattr(ferrojit, outer)
    exec(compile(text, filename, "exec"), namespace)
    return namespace[loop_name]


# Shown with the generated line in compile errors there.
_CVAL_NOTE = "  # cval, converted to the kernel's result type"
_SMALLER_SECONDARY = "an array the stencil reads relatively is smaller than its first array in some dimension"
_SMALLER_OUT = "the stencil's out array is smaller than its input array in some dimension"


def _new_output(shape: Any, items: Any, zeroed: bool) -> Any:
    """In compiled code, a new array of ``shape`` whose dtype is the item type of the list
    ``items`` (empty: only its type matters), zeroed when ``zeroed``. The typing function reads
    the dtype from the list's type, so no array is made from the list (``np.array`` of it made
    the library's conversion of lists part of every stencil's code)."""
    raise NotImplementedError("only called from compiled code")


def _register_new_output() -> None:
    import numpy as np

    from . import types
    from ._lib.dtypes import numpy_dtype
    from .extending import CallRefused, overload

    @overload(_new_output, prefer_literal=True)
    def _new_output_typing(shape: Any, items: Any, zeroed: Any) -> Any:
        if not isinstance(items, types.List) or not isinstance(zeroed, types.BooleanLiteral):
            return None
        if not isinstance(items.dtype, (types.Number, types.Boolean, types.NPDatetime, types.NPTimedelta)):
            raise CallRefused(f"a stencil's kernel returns one number for each element, not a `{items.dtype}`")
        dtype = numpy_dtype(items.dtype)
        if zeroed.literal_value:

            def zeroed_output(shape: Any, items: Any, zeroed: Any) -> Any:
                return np.zeros(shape, dtype)

            return zeroed_output

        def empty_output(shape: Any, items: Any, zeroed: Any) -> Any:
            return np.empty(shape, dtype)

        return empty_output


def _python_result_dtype(element: Callable[..., Any], args: tuple[Any, ...], neighborhood: list[tuple[int, int]]) -> Any:
    """With the JIT off, the output's dtype: that of the kernel's value at the first interior
    element, float64 when there is none."""
    import numpy as np

    shape = args[0].shape
    first = [-min(0, low) for low, _ in neighborhood]
    if all(start < n - max(0, high) for start, n, (_, high) in zip(first, shape, neighborhood)):
        return np.asarray(element(*args, *first)).dtype
    return np.dtype(np.float64)
