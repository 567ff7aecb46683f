"""The decorators ``njit`` and ``jit`` and the dispatcher they return."""

import functools
import os
import sys
import time
import warnings

from . import _native
from .errors import FerrojitWarning
from .types import Signature, Type

# Options accepted with Numba's meaning. Those not acting yet are accepted so that code
# written for Numba runs unchanged.
_KNOWN_OPTIONS = frozenset(
    {
        "nopython", "forceobj", "cache", "nogil", "fastmath", "boundscheck", "error_model",
        "parallel", "inline", "looplift", "debug", "no_cpython_wrapper", "no_cfunc_wrapper",
        "locals", "target", "_nrt", "no_rewrites", "pipeline_class",
    }
)


class Dispatcher(_native.DispatcherBase):
    """A compiled function: compiles once per distinct argument-type signature, on first call."""

    def __init__(self, py_func, options=None):
        self._options = dict(options or {})
        functools.update_wrapper(self, py_func)
        self._py_signature = None
        self._positional_count = py_func.__code__.co_argcount
        self._call_error_stub = None
        self._sources_loaded = False

    def __call__(self, /, *args, **kwargs):
        # Calls reach the native entry points through the call slot and vectorcall; this is
        # for ``f.__call__(...)`` and for subclasses, whose call slot leads here.
        return self._call_slow(*args, **kwargs)

    def _call_slow(self, /, *args, **kwargs):
        """The calls the native entry points do not run directly: keywords, defaults or a
        wrong number of arguments, argument types not compiled yet or needing conversion to a
        declared signature, object mode. Runs in Python (not inside native frames) because it
        runs Python code: see ``gil.rs`` in ferrojit_python."""
        if kwargs or len(args) != self._positional_count:
            args = self._bind(args, kwargs)
        if not self._sources_loaded:
            self._load_sources()
        warning = self._prepare(args)
        if warning is None:
            return _native.call_compiled(self, args)
        if warning:
            warnings.warn(warning, FerrojitWarning, stacklevel=2)
        return self.py_func(*args)

    @property
    def signatures(self):
        """The compiled argument-type signatures, in compilation order."""
        return [tuple(Type(n) for n in sig) for sig in self._signature_names]

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
                    if not dispatcher._set_source(source_info(dispatcher.py_func, True), True, time.perf_counter() - started):
                        dispatcher._set_source(source_info(dispatcher.py_func, False), False, time.perf_counter() - started)
                except Exception:
                    continue
            pending.extend(_named_dispatchers(dispatcher.py_func))
        self._sources_loaded = True

    def _bind(self, args, kwargs):
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
        return bound.args

    def __repr__(self):
        return f"<ferrojit dispatcher {self.__qualname__!r}>"

    def inspect_llvm(self, signature=None):
        """The optimised LLVM IR of a compiled signature (a tuple of types), or a dict of all."""
        return self._inspect_text("llvm", signature)

    def inspect_asm(self, signature=None):
        """The host assembly of a compiled signature (a tuple of types), or a dict of all."""
        return self._inspect_text("asm", signature)

    def _inspect_text(self, what, signature):
        if signature is not None:
            return self._inspect([str(t) for t in signature], what)
        return {sig: self._inspect([str(t) for t in sig], what) for sig in self.signatures}

    def inspect_types(self, file=None):
        """Print the source annotated with the inferred type of every variable, per signature."""
        import sys

        import inspect

        out = file or sys.stdout
        lines, first = inspect.getsourcelines(self.py_func)
        for args, ret, variables in self._variable_types():
            print(f"{self.__qualname__} ({', '.join(args)}) -> {ret}", file=out)
            print("-" * 80, file=out)
            by_line = {}
            for line, name, ty in variables:
                by_line.setdefault(line, []).append(f"{name}: {ty}")
            for offset, text in enumerate(lines):
                line = first + offset
                print(f"{line:5d} | {text.rstrip()}", file=out)
                if line in by_line:
                    print(f"      |   # {', '.join(by_line[line])}", file=out)
            print("=" * 80, file=out)

    def stats(self):
        """Per compiled signature: seconds spent in each compiler stage."""
        return self._stats()

    def __reduce__(self):
        # Pickle by reference, as functions are.
        return (_qualified_lookup, (self.__module__, self.__qualname__))


def _layout_sample():
    """A Dispatcher instance for measuring the type's layout (never called)."""


# Point the call slot (which `__call__` above set to a lookup of that method) and the
# vectorcall protocol at the native entry points (the sample instance shows where the
# fields sit).
_native.install_fast_call(Dispatcher, _native.DispatcherBase.__new__(Dispatcher, _layout_sample))
del _layout_sample


def _named_dispatchers(func):
    """The dispatchers (including the kernels of ``@vectorize`` ufuncs) that the global names
    used by ``func``, and by the functions and lambdas nested in it, refer to now."""
    vectorize = sys.modules.get("ferrojit._vectorize")
    names = set()
    codes = [func.__code__]
    while codes:
        code = codes.pop()
        names.update(code.co_names)
        codes.extend(c for c in code.co_consts if hasattr(c, "co_names"))
    found = []
    for name in names:
        value = func.__globals__.get(name)
        if isinstance(value, Dispatcher):
            found.append(value)
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
    namespace = {}
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


def _qualified_lookup(module, qualname):
    import importlib

    obj = importlib.import_module(module)
    for part in qualname.split("."):
        obj = getattr(obj, part)
    return obj


def _check_options(options):
    unknown = sorted(set(options) - _KNOWN_OPTIONS - {"_fallback"})
    if unknown:
        raise TypeError(f"unknown option(s) for ferrojit: {', '.join(unknown)}")


def _signature_texts(signatures):
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


def njit(*args, **options):
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

    def decorate(func):
        if disabled:
            return func
        dispatcher = Dispatcher(func, options)
        if texts:
            dispatcher._load_sources()
        for text in texts:
            dispatcher._compile_signature(text)
        return dispatcher

    return decorate


def jit(*args, **options):
    """Like :func:`njit`, but what cannot compile in nopython mode runs as plain Python
    (object mode) with a :class:`~ferrojit.errors.FerrojitWarning` saying why, unless
    ``nopython=True``. ``forceobj=True`` always runs plain Python."""
    _check_options(options)
    if not options.get("nopython", False):
        options = dict(options, _fallback=True)
    return njit(*args, **options)
