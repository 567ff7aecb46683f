"""The decorators ``njit`` and ``jit`` and the dispatcher they return."""

from __future__ import annotations

import functools
import gc
import os
import sys
import time
import warnings
from types import GenericAlias

from . import _native
from .errors import FerrojitWarning
from ._typing import TYPE_CHECKING, Generic, P, R, overload
from .types import Signature, Type, from_name

if TYPE_CHECKING:
    import inspect
    from typing import Any, Callable, TextIO, Union

    # What `@njit(...)` and `@vectorize(...)` take as signatures: one, or a list or tuple of them;
    # a single signature is a string, a `Signature` (`int32(int32)`) or a tuple of argument types.
    SignatureLike = Union[str, Signature, tuple[Type, ...]]
    Signatures = Union[str, Signature, list[SignatureLike], tuple[SignatureLike, ...]]

# Options accepted with Numba's meaning. Those not acting yet are accepted so that code
# written for Numba runs unchanged.
_KNOWN_OPTIONS = frozenset(
    {
        "nopython", "forceobj", "cache", "nogil", "fastmath", "boundscheck", "error_model",
        "parallel", "inline", "looplift", "debug", "no_cpython_wrapper", "no_cfunc_wrapper",
        "locals", "target", "_nrt", "no_rewrites", "pipeline_class",
    }
)


class Dispatcher(_native.DispatcherBase, Generic[P, R]):
    """A compiled function: compiles once per distinct argument-type signature, on first call.

    For type checkers it is generic in the decorated function's parameters and result, so
    ``@njit def f(x: int) -> float`` makes ``f(1)`` a ``float`` and ``f("x")`` an error."""

    if TYPE_CHECKING:
        # For type checkers, the decorated function's signature; `py_func` is the base's.
        def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R: ...

        @property
        def py_func(self) -> Callable[P, R]: ...

        # Copied from the function by `functools.update_wrapper`.
        __name__: str
        __qualname__: str
        __wrapped__: Callable[P, R]
        _options: dict[str, Any]
        _py_signature: inspect.Signature | None
    else:
        # `Dispatcher[[int], float]` in an annotation evaluated at run time is an alias, as for
        # typing's generic classes (whose base Dispatcher has for type checkers only).
        __class_getitem__ = classmethod(GenericAlias)

        def __call__(self, /, *args, **kwargs):
            # Calls reach the native entry points through the call slot and vectorcall
            # (`install_fast_call` sets them after the class is made); this is for
            # ``f.__call__(...)`` and for subclasses, whose call slot leads here.
            return self._call_slow(*args, **kwargs)

    def __init__(self, py_func: Callable[P, R], options: dict[str, Any] | None = None) -> None:
        self._options = dict(options or {})
        functools.update_wrapper(self, py_func)
        self._py_signature = None
        code = py_func.__code__
        # A function taking `*args`, `**kwargs` or keyword-only parameters is called with one
        # argument per parameter (a tuple, a dict): every call is bound first.
        # (0x0C: `CO_VARARGS | CO_VARKEYWORDS`, see `_source.parameter_defaults`.)
        self._collects = bool(code.co_flags & 0x0C or code.co_kwonlyargcount)
        self._positional_count = -1 if self._collects else code.co_argcount
        self._call_error_stub = None
        self._sources_loaded = False

    def _call_slow(self, /, *args, **kwargs):
        """The calls the native entry points do not run directly: keywords, defaults or a
        wrong number of arguments, argument types not compiled yet or needing conversion to a
        declared signature, object mode. Runs in Python (not inside native frames) because it
        runs Python code: see ``gil.rs`` in ferrojit_python."""
        given, given_kwargs = args, kwargs
        if kwargs or len(args) != self._positional_count:
            args = self._bind(args, kwargs)
        # `np.random.Generator` arguments run as their state (see `_lib.generator`).
        numpy_random = sys.modules.get("numpy.random")
        if numpy_random is not None and any(isinstance(a, numpy_random.Generator) for a in args):
            from ._lib.generator import call_with_generators

            return call_with_generators(self, args)
        if self._collects:
            return self._run(args, given, given_kwargs)
        return self._run(args, args)

    def _run(self, args, python_args, python_kwargs=None):
        """Compiles for ``args`` if needed and runs the compiled code on them, or runs the Python
        function on ``python_args`` (the arguments as given) in object mode."""
        # What the native code below would otherwise build on first use, inside panic guards
        # (see ``gil.rs``).
        _native.prepare_lazy_state()
        # Reading sources and compiling run native code inside panic guards, where no Python
        # code may run (see ``gil.rs``): the garbage collector, whose finalizers are Python
        # code, waits meanwhile.
        collecting = gc.isenabled()
        gc.disable()
        try:
            if not self._sources_loaded:
                self._load_sources()
            warning = _compiling(self._prepare, args)
        finally:
            if collecting:
                gc.enable()
        if warning is None:
            return _native.call_compiled(self, args)
        if warning:
            warnings.warn(warning, FerrojitWarning, stacklevel=3)
        return self.py_func(*python_args, **(python_kwargs or {}))

    @property
    def signatures(self) -> list[tuple[Type, ...]]:
        """The compiled argument-type signatures, in compilation order."""
        return [tuple(from_name(n) for n in sig) for sig in self._signature_names]

    def _load_sources(self):
        """Reads the source of this function and of the compiled functions its globals name
        (transitively), so that compiling reads none itself: reading runs Python code, which
        had better not run inside native frames (see ``gil.rs`` in ferrojit_python). A source
        that cannot be read is left for compilation to report."""
        if self._sources_loaded:
            return
        from ._source import source_info

        seen = set()
        pending = [self]
        while pending:
            dispatcher = pending.pop()
            if id(dispatcher) in seen:
                continue
            seen.add(id(dispatcher))
            if not dispatcher._has_source:
                started = time.perf_counter()
                try:
                    lines = dispatcher._captured_lines
                    if not dispatcher._set_source(source_info(dispatcher.py_func, lines, True), True, time.perf_counter() - started):
                        dispatcher._set_source(source_info(dispatcher.py_func, lines, False), False, time.perf_counter() - started)
                except Exception:
                    continue
            pending.extend(_named_dispatchers(dispatcher.py_func))
        self._sources_loaded = True

    def _bind(self, args: tuple[Any, ...], kwargs: dict[str, Any] | None) -> tuple[Any, ...]:
        """Positional arguments after applying keywords and defaults."""
        if self._py_signature is None:
            import inspect

            self._py_signature = inspect.signature(self.py_func)
        try:
            bound = self._py_signature.bind(*args, **(kwargs or {}))
        except TypeError as exc:
            if self._call_error_stub is None:
                self._call_error_stub = _call_error_stub(self.py_func, self._py_signature)
            raise _call_error(self._call_error_stub, args, kwargs) or exc from None
        bound.apply_defaults()
        if not self._collects:
            return bound.args
        # One argument per parameter: `*args` as a tuple, `**kwargs` as a dict (an empty one
        # as a typed dict, which has a type without items).
        flat = []
        for name, parameter in self._py_signature.parameters.items():
            value = bound.arguments[name]
            if parameter.kind is parameter.VAR_POSITIONAL:
                value = tuple(value)
            elif parameter.kind is parameter.VAR_KEYWORD and not value:
                value = _no_keywords()
            flat.append(value)
        return tuple(flat)

    def __repr__(self) -> str:
        return f"<ferrojit dispatcher {self.__qualname__!r}>"

    @overload
    def inspect_llvm(self, signature: None = None) -> dict[tuple[Type, ...], str]: ...
    @overload
    def inspect_llvm(self, signature: tuple[Type, ...]) -> str: ...

    def inspect_llvm(self, signature: tuple[Type, ...] | None = None) -> str | dict[tuple[Type, ...], str]:
        """The optimised LLVM IR of a compiled signature (a tuple of types), or a dict of all."""
        return self._inspect_text("llvm", signature)

    @overload
    def inspect_asm(self, signature: None = None) -> dict[tuple[Type, ...], str]: ...
    @overload
    def inspect_asm(self, signature: tuple[Type, ...]) -> str: ...

    def inspect_asm(self, signature: tuple[Type, ...] | None = None) -> str | dict[tuple[Type, ...], str]:
        """The host assembly of a compiled signature (a tuple of types), or a dict of all."""
        return self._inspect_text("asm", signature)

    def _inspect_text(self, what: str, signature: tuple[Type, ...] | None) -> str | dict[tuple[Type, ...], str]:
        if signature is not None:
            return _compiling(self._inspect, [str(t) for t in signature], what)
        return {sig: _compiling(self._inspect, [str(t) for t in sig], what) for sig in self.signatures}

    def inspect_types(self, file: TextIO | None = None) -> None:
        """Print the source annotated with the inferred type of every variable, per signature."""
        out = file or sys.stdout
        self._load_sources()
        first, text = self._source_text()
        lines = text.splitlines()
        for args, ret, variables in self._variable_types():
            print(f"{self.__qualname__} ({', '.join(args)}) -> {ret}", file=out)
            print("-" * 80, file=out)
            by_line: dict[int, list[str]] = {}
            for line, name, ty in variables:
                by_line.setdefault(line, []).append(f"{name}: {ty}")
            for offset, text in enumerate(lines):
                line = first + offset
                print(f"{line:5d} | {text.rstrip()}", file=out)
                if line in by_line:
                    print(f"      |   # {', '.join(by_line[line])}", file=out)
            print("=" * 80, file=out)

    def parallel_diagnostics(self, signature: tuple[Type, ...] | None = None, level: int = 1, file: TextIO | None = None) -> None:
        """Numba's ``parallel_diagnostics``: prints which loops of the function run in parallel,
        their reductions and private variables, and which run serially and why, then from how
        many elements its whole-array expressions and reductions run in parallel. Then, for each
        compiled signature (or ``signature`` alone), its whole-array expressions and reductions:
        each fused into one loop that runs in parallel from that number of elements, or why it
        runs serially. ``level`` is accepted for Numba's API."""
        out = file or sys.stdout
        self._load_sources()
        parallel, lines = self._parallel_report()
        print(f"Parallel diagnostics for {self.__qualname__}:", file=out)
        if not parallel:
            print("  not compiled with parallel=True: prange is range, and nothing runs in parallel", file=out)
            return
        if not lines:
            print("  no prange loop", file=out)
        for line in lines:
            print(f"  {line}", file=out)
        threshold = _native.parallel_threshold()
        print(f"  array expressions (`a * b + c`, `a[:] = ...`, `a += b`) and their reductions (`a.sum()`, `np.max(a - b)`) run in parallel from {threshold} elements", file=out)
        wanted = None if signature is None else tuple(str(t) for t in signature)
        for names, notes in self._parallel_notes():
            if wanted is not None and tuple(names) != wanted:
                continue
            print(f"  compiled for ({', '.join(names)}):", file=out)
            if not notes:
                print("    no whole-array expression or reduction", file=out)
            for note in notes:
                print(f"    {note}", file=out)

    def stats(self) -> list[dict[str, Any]]:
        """Per compiled signature: seconds spent in each compiler stage."""
        return self._stats()

    def __reduce__(self) -> tuple[Callable[[str, str], Any], tuple[str, str]]:
        # Pickle by reference, as functions are.
        return (_qualified_lookup, (self.__module__, self.__qualname__))


def _no_keywords():
    """The dict an empty ``**kwargs`` is in compiled code: string keys, ``int64`` values (as
    compiled callers pass it), typed although empty."""
    from . import typed, types

    return typed.Dict.empty(key_type=types.unicode_type, value_type=types.int64)


def _layout_sample() -> None:
    """A Dispatcher instance for measuring the type's layout (never called)."""


# Point the call slot (which `__call__` above set to a lookup of that method) and the
# vectorcall protocol at the native entry points (the sample instance shows where the
# fields sit).
_native.install_fast_call(Dispatcher, _native.DispatcherBase.__new__(Dispatcher, _layout_sample, {"_layout_sample": True}))
del _layout_sample


# Rounds of typing-function runs one compilation may take: each resolves every overloaded call
# whose argument types are known, so real code needs as many as its calls nest.
_MAX_OVERLOAD_ROUNDS = 100
_library_loaded_for: frozenset[str] = frozenset()
# The libraries with callables in ferrojit's library that a program may import after its first
# compilation (see `_lib.LIBRARIES`).
_LIBRARIES_DECLARED_LATE = ("numpy", "numpy.random", "random", "heapq", "bisect")


def _compiling(step: Callable[..., Any], *args: Any) -> Any:
    """``step(*args)``, a native method that may compile, run until the calls of callables
    implemented in Python (``ferrojit.extending``, ``ferrojit._lib``) that it meets are
    resolved: their typing functions, Python code, run here between attempts, never inside the
    compiler (see ``extending.rs`` in ferrojit_python)."""
    global _library_loaded_for
    # ferrojit's own library registers what it implements for each library the program has
    # imported (NumPy's part only once NumPy is loaded: importing it costs 50 ms).
    if not _library_loaded_for or any(name in sys.modules and name not in _library_loaded_for for name in _LIBRARIES_DECLARED_LATE):
        from . import _lib

        _library_loaded_for = _lib.load()
    for _ in range(_MAX_OVERLOAD_ROUNDS):
        try:
            return step(*args)
        except _native.NeedsOverloads as needed:
            from .extending import _resolve

            _resolve(needed.args[0])
        except Exception as error:
            # `np.random.x` in compiled code before the program imported `numpy.random` (NumPy
            # imports it on first attribute access, which compiled code does not make): import
            # it now, declare its callables, and compile again.
            if "`numpy.random." not in str(error) or "numpy.random" in sys.modules or "numpy" not in sys.modules:
                raise
            import numpy.random  # noqa: F401
            from . import _lib

            _library_loaded_for = _lib.load()
    raise _native_error("InternalError", "overload resolution did not settle")


def _exception_arguments(text: str) -> Any:
    """The value of the text compiled code writes for an exception's arguments: the ``repr`` of
    a number or of a tuple of strings, numbers, bools and ``None``, where ``nan`` and ``inf``
    stand for those floats, as their ``repr`` writes them (``ast.literal_eval`` knows them not),
    and ``np.float32(1.5)`` for NumPy's scalars, as NumPy 2's ``repr`` writes them."""
    import ast

    try:
        return ast.literal_eval(text)
    except ValueError:
        pass

    class Values(ast.NodeTransformer):
        def visit_Name(self, node: ast.Name) -> ast.AST:
            if node.id in ("nan", "inf"):
                return ast.copy_location(ast.Constant(float(node.id)), node)
            return node

        def visit_Call(self, node: ast.Call) -> ast.AST:
            func = node.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "np" and func.attr in _NUMPY_SCALARS and len(node.args) == 1:
                import numpy

                value = getattr(numpy, func.attr)(ast.literal_eval(self.visit(node.args[0])))
                # `literal_eval` gives a constant's value as it is.
                return ast.copy_location(ast.Constant(value), node)
            return node

    return ast.literal_eval(Values().visit(ast.parse(text, mode="eval")))


# The NumPy scalar types whose `repr` compiled code writes as NumPy 2 does (see
# `ferrojit_infer::strings::numpy_scalar_name`).
_NUMPY_SCALARS = frozenset(("int8", "int16", "int32", "uint8", "uint16", "uint32", "uint64", "float32", "complex64"))


def _native_error(name: str, message: str) -> Exception:
    from . import errors

    return getattr(errors, name)(message)


def _named_dispatchers(func):
    """The dispatchers (including the kernels of ``@vectorize`` ufuncs) that the global names
    used by ``func``, and by the functions and lambdas nested in it, refer to now."""
    from ._source import _global_names

    vectorize = sys.modules.get("ferrojit._vectorize")
    found = []
    for name in _global_names(func.__code__):
        value = func.__globals__.get(name)
        if isinstance(value, Dispatcher):
            found.append(value)
        elif isinstance(value, type) and "_ferrojit_members_" in vars(value):
            # A jitclass: its methods, properties and static methods.
            for _, first, second in value._ferrojit_members_.values():
                found.extend(d for d in (first, second) if d is not None)
        elif vectorize is not None and value is not None:
            kernel = vectorize.kernel_of(value)
            if kernel is not None:
                found.append(kernel)
    return found


def _call_error_stub(func, signature):
    """A function with the parameters of ``func`` (same names, same ones optional) and
    nothing else, for :func:`_call_error`."""
    stub_signature = signature.replace(
        parameters=[
            p.replace(annotation=p.empty, default=None if p.default is not p.empty else p.empty)
            for p in signature.parameters.values()
        ],
        return_annotation=signature.empty,
    )
    namespace: dict[str, Any] = {}
    exec(f"def stub{stub_signature}: pass", namespace)
    stub = namespace["stub"]
    stub.__name__, stub.__qualname__ = func.__name__, func.__qualname__
    return stub


def _call_error(stub, args, kwargs):
    """The TypeError CPython itself gives for calling the function of ``stub`` with these
    arguments (its wording, e.g. "f() missing 1 required positional argument: 'b'", is not
    the one ``inspect`` gives), or None if the stub accepts them."""
    try:
        stub(*args, **(kwargs or {}))
    except TypeError as exc:
        return exc
    return None


def _qualified_lookup(module: str, qualname: str) -> Any:
    import importlib

    obj = importlib.import_module(module)
    for part in qualname.split("."):
        obj = getattr(obj, part)
    return obj


def _check_options(options: dict[str, Any]) -> None:
    unknown = sorted(set(options) - _KNOWN_OPTIONS - {"_fallback"})
    if unknown:
        raise TypeError(f"unknown option(s) for ferrojit: {', '.join(unknown)}")


def _signature_texts(signatures: Signatures) -> list[str]:
    """Signature strings from what the decorator was given: a string, a `Signature`, or a
    list of them."""
    if isinstance(signatures, (str, Signature)):
        signatures = [signatures]
    texts = []
    for sig in signatures:
        if isinstance(sig, str):
            texts.append(sig)
        elif isinstance(sig, Signature):
            texts.append(str(sig))
        elif isinstance(sig, tuple) and all(isinstance(t, Type) for t in sig):
            texts.append(f"({', '.join(str(t) for t in sig)})")
        else:
            raise TypeError(f"not a signature: {sig!r}; write e.g. \"int32(int32, int32)\" or int32(int32, int32)")
    return texts


@overload
def njit(signatures: Signatures, /, **options: Any) -> Callable[[Callable[P, R]], Dispatcher[P, R]]: ...
@overload
def njit(**options: Any) -> Callable[[Callable[P, R]], Dispatcher[P, R]]: ...
@overload
def njit(func: Callable[P, R], /, **options: Any) -> Dispatcher[P, R]: ...


def njit(*args: Any, **options: Any) -> Any:
    """Compile a function to machine code on its first call, raising on what cannot compile.

    Use as ``@njit``, ``@njit(option=...)``, or with signatures, ``@njit("int32(int32, int32)")``
    or ``@njit([int32(int32), float64(float64)])``, which compiles them at decoration time and
    then accepts only arguments that convert to one of them.
    """
    _check_options(options)
    disabled = os.environ.get("FERROJIT_DISABLE_JIT") == "1"
    if args and callable(args[0]) and not isinstance(args[0], (str, list, tuple, Signature, Type)):
        if len(args) > 1:
            raise TypeError("njit() takes the function as its only positional argument")
        return args[0] if disabled else Dispatcher(args[0], options)
    if len(args) > 1:
        raise TypeError("njit() takes at most one positional argument: the signature(s)")
    texts = _signature_texts(args[0]) if args else []

    def decorate(func: Callable[P, R]) -> Any:
        if disabled:
            return func
        dispatcher = Dispatcher(func, options)
        if texts:
            dispatcher._load_sources()
        for text in texts:
            _compiling(dispatcher._compile_signature, text)
        return dispatcher

    return decorate


@overload
def jit(signatures: Signatures, /, **options: Any) -> Callable[[Callable[P, R]], Dispatcher[P, R]]: ...
@overload
def jit(**options: Any) -> Callable[[Callable[P, R]], Dispatcher[P, R]]: ...
@overload
def jit(func: Callable[P, R], /, **options: Any) -> Dispatcher[P, R]: ...


def jit(*args: Any, **options: Any) -> Any:
    """Like :func:`njit`, but what cannot compile in nopython mode runs as plain Python
    (object mode) with a :class:`~ferrojit.errors.FerrojitWarning` saying why, unless
    ``nopython=True``. ``forceobj=True`` always runs plain Python."""
    _check_options(options)
    if not options.get("nopython", False):
        options = dict(options, _fallback=True)
    return njit(*args, **options)
