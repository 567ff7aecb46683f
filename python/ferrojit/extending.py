"""Extending ferrojit: functions, methods and attributes implemented in Python, with Numba's API.

``@overload(func)`` decorates a *typing function*. When compiled code calls ``func``, the typing
function is called with the *types* of the arguments (``ferrojit.types`` objects; arguments the
call leaves out take the typing function's own defaults) and returns the Python function that
implements the call for those types, or None when it does not handle them. ferrojit compiles
the implementation as it compiles any ``@njit`` function; its closure variables are frozen at
compile time, as globals are::

    import numpy as np
    from ferrojit import njit, types
    from ferrojit.extending import overload

    def clip01(x):                      # plain Python, for Python callers
        return min(max(x, 0.0), 1.0)

    @overload(clip01)
    def clip01_typing(x):
        if isinstance(x, types.Float):
            def impl(x):
                return min(max(x, 0.0), 1.0)
            return impl

    @njit
    def f(a):
        return clip01(a[0])

Each implementation is chosen once per distinct argument types per process. ferrojit's own
library is written this way too (``ferrojit._lib``).

Arguments known at compile time reach the typing function with static types, as in Numba: a
NumPy scalar type (``np.float32``, ``float``) is a ``types.NumberClass``, an array's ``dtype`` a
``types.DType`` (both ``types.DTypeSpec``, whose ``dtype`` is the element type), a string a
``types.StringLiteral``, and an integer or bool constant (``axis=0``) a ``types.IntegerLiteral``
or ``types.BooleanLiteral`` (an ``Integer``/``Boolean`` too), whose ``literal_value`` is the
value. A typing function is first given the plain types of literals (``int64``, ``bool``), then,
if it returned None, the literal types (the other way round with ``prefer_literal=True``); an
implementation chosen for literal types is compiled for each value and sees it as a constant.
The implementation receives dtypes, number types and strings as compile-time values too: it
may pass them on (``np.empty(n, dtype)``) or call a number type to convert.

``overload_method(types.Array, "name")`` and ``overload_attribute(types.Array, "name")`` add
methods and attributes to a type (the receiver's type comes first); ``register_jitable`` makes a
plain Python function callable from compiled code as it is.
"""

from __future__ import annotations

import sys

from . import _native, types
from ._typing import TYPE_CHECKING

if TYPE_CHECKING:
    # Annotations only: importing `typing` at run time would cost the first compilation of a
    # program that has not imported it (NumPy does) milliseconds.
    from typing import Any, Callable, Optional

    from ._dispatcher import Dispatcher

__all__ = ["overload", "overload_method", "overload_attribute", "register_jitable"]

# Typing functions by registry key (one key per overloaded callable), with their jit options
# (and `prefer_literal` and `any_layout`, kept among them under `_PREFER_LITERAL` and
# `_ANY_LAYOUT`).
_function_typing: dict[int, list[tuple[Callable[..., Any], dict[str, Any]]]] = {}
_PREFER_LITERAL = "_prefer_literal"
_ANY_LAYOUT = "_any_layout"
# An option of ferrojit's own overloads (stencils): the typing function takes a keyword
# `_caller_parallel`, True when the caller is compiled with `parallel=True`.
_SEES_CALLER_PARALLEL = "_sees_caller_parallel"
# id(callable) -> key; the callables are kept alive here, so their ids stay theirs.
_keys: dict[int, int] = {}
_overloaded: list[Any] = []
_display_names: dict[int, str] = {}
# Key -> the module-qualified name of a library's callable (`numpy.sum`).
_qualified_names: dict[int, str] = {}
# Method and attribute name -> (receiver type class, typing function, jit options).
_method_typing: dict[str, list[tuple[type, Callable[..., Any], dict[str, Any]]]] = {}
_attribute_typing: dict[str, list[tuple[type, Callable[..., Any], dict[str, Any]]]] = {}
# Key -> the module of `ferrojit._lib` whose import registers the callable's typing functions.
_lazy_modules: dict[int, str] = {}
# Method name -> the module of `ferrojit._lib` that implements it for arrays.
_lazy_method_modules: dict[str, str] = {}
# Receiver type class (`types.List`) -> the module of `ferrojit._lib` that implements its
# methods, imported when compiled code first calls a method on such a value.
_lazy_receiver_modules: dict[type, str] = {}
# Implementation function -> its dispatcher: an implementation returned again (a module-level
# function, as `register_jitable` returns) is one function compiled per signature.
_implementations: dict[Callable[..., Any], Dispatcher[Any, Any]] = {}

# The libraries whose functions compiled code may also reach as module attributes (`np.sum`),
# by module name prefix.
_LIBRARIES = {"builtins": "builtins", "math": "math", "numpy": "numpy", "cmath": "cmath", "_operator": "operator", "_functools": "functools", "heapq": "heapq", "_heapq": "heapq", "bisect": "bisect", "_bisect": "bisect"}
_GENERATOR_MODULES = ("numpy.random", "random")


def overload(func: Callable[..., Any], jit_options: Optional[dict[str, Any]] = None, strict: bool = True, inline: str = "never", prefer_literal: bool = False, any_layout: bool = False, **kwargs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorates a typing function that implements ``func`` in compiled code (see the module
    documentation). ``jit_options`` are the options the implementation compiles with
    (``fastmath``, ``boundscheck``, ...). ``strict``, ``inline`` and ``prefer_literal`` are
    accepted for Numba compatibility; ``prefer_literal=True`` gives the typing function the
    literal types of constant arguments before their plain types.

    ``any_layout=True`` (ferrojit's own) gives the typing function every array argument of one
    or more dimensions as layout ``'A'``: one compilation of the implementation then serves C,
    F and strided arrays alike, where each layout would otherwise compile it again. Meant for
    implementations whose speed does not hang on the layout (those that copy their input, or
    hand it to LAPACK)."""
    options = dict(jit_options or {})
    if prefer_literal:
        options[_PREFER_LITERAL] = True
    if any_layout:
        options[_ANY_LAYOUT] = True
    sees_caller_parallel = bool(kwargs.get(_SEES_CALLER_PARALLEL))
    if sees_caller_parallel:
        options[_SEES_CALLER_PARALLEL] = True

    def decorate(typing_func: Callable[..., Any]) -> Callable[..., Any]:
        key = _key_of(func)
        _function_typing.setdefault(key, []).append((typing_func, options))
        _native.typing_added(key, sees_caller_parallel)
        return typing_func

    return decorate


def overload_method(typ: type, attr: str, **kwargs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorates a typing function that implements the method ``attr`` of values whose type is
    an instance of ``typ`` (a class of ``ferrojit.types``, e.g. ``types.Array``). It receives
    the receiver's type first; the implementation takes the receiver first."""
    options = dict(kwargs.get("jit_options") or {})
    if kwargs.get("prefer_literal"):
        options[_PREFER_LITERAL] = True
    sees_caller_parallel = bool(kwargs.get(_SEES_CALLER_PARALLEL))
    if sees_caller_parallel:
        options[_SEES_CALLER_PARALLEL] = True

    def decorate(typing_func: Callable[..., Any]) -> Callable[..., Any]:
        _method_typing.setdefault(attr, []).append((typ, typing_func, options))
        _native.register_overload_method(attr, sees_caller_parallel)
        return typing_func

    return decorate


def overload_attribute(typ: type, attr: str, **kwargs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorates a typing function that implements the attribute ``attr`` of values whose type
    is an instance of ``typ``: it receives the value's type and returns an implementation
    taking the value and returning the attribute."""
    options = dict(kwargs.get("jit_options") or {})

    def decorate(typing_func: Callable[..., Any]) -> Callable[..., Any]:
        _attribute_typing.setdefault(attr, []).append((typ, typing_func, options))
        _native.register_overload_attribute(attr)
        return typing_func

    return decorate


def register_jitable(*args: Any, **kwargs: Any) -> Any:
    """Makes a plain Python function callable from compiled code, compiled as it is (for any
    argument types): ``@register_jitable`` or ``@register_jitable(fastmath=True)``. It stays a
    plain function for Python callers."""

    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        @overload(fn, jit_options=kwargs)
        def typing(*args: Any, **kw: Any) -> Callable[..., Any]:
            return fn

        return fn

    if len(args) == 1 and not kwargs and callable(args[0]):
        return wrap(args[0])
    return wrap


class CallRefused(Exception):
    """Raised by a typing function of ferrojit's library (``ferrojit._lib``) to refuse a call
    with an error of its own: the message (and ``hint``) are the whole compile error at the
    call, as the compiler words its own refusals, rather than a reason appended to "no
    implementation of ...". ``unsupported``: an argument compiled code does not support yet
    (an ``UnsupportedError``), else a ``TypingError``."""

    def __init__(self, message: str, hint: Optional[str] = None, unsupported: bool = False) -> None:
        super().__init__(message)
        self.message, self.hint, self.unsupported = message, hint, unsupported


def _key_of(func: Any, qualified: Optional[str] = None, display: Optional[str] = None) -> int:
    key = _keys.get(id(func))
    if key is None:
        key = len(_overloaded) + 1
        _keys[id(func)] = key
        _overloaded.append(func)
        qualified = qualified or _library_name(func)
        if display is None:
            display = qualified.replace("numpy.", "np.", 1) if qualified else getattr(func, "__qualname__", repr(func))
        _display_names[key] = display
        if qualified:
            _qualified_names[key] = qualified
        _native.register_overload(key, func, qualified, display)
    return key


def _declare_library_callable(func: Any, module: str, qualified: Optional[str] = None, display: Optional[str] = None, alias: Optional[str] = None, sees_caller_parallel: bool = False) -> None:
    """``func`` is implemented in ``module`` (of ``ferrojit._lib``), imported when compiled code
    first calls it; ``qualified`` names it for the compiler when it is none of a library's,
    ``display`` for messages. ``alias``: a module-qualified name compiled code may also reach
    it by (`bisect.bisect` is `bisect.bisect_right`). ``sees_caller_parallel``: its typing
    functions will ask whether the caller is compiled with ``parallel=True`` (known before the
    module is imported, so that the first calls are asked for as such)."""
    key = _key_of(func, qualified, display)
    _lazy_modules[key] = module
    if sees_caller_parallel:
        _native.typing_added(key, True)
    if alias is not None and _qualified_names.get(key) not in (None, alias):
        _native.register_overload(key, func, alias, _display_names[key])


def _declare_receiver_methods(typ: type, names: Any, module: str) -> None:
    """The methods ``names`` of values of the type class ``typ`` are implemented in ``module``
    (of ``ferrojit._lib``), imported when compiled code first calls one on such a value."""
    _lazy_receiver_modules[typ] = module
    for name in names:
        _native.register_overload_method(name)


def _declare_library_method(name: str, module: str, sees_caller_parallel: bool = False) -> None:
    """The array method ``name`` is implemented in ``module`` (of ``ferrojit._lib``), imported
    when compiled code first calls it (``sees_caller_parallel``: as for
    `_declare_library_callable`)."""
    _lazy_method_modules[name] = module
    _native.register_overload_method(name, sees_caller_parallel)


# Submodules whose functions compiled code reaches through their library (`np.linalg.solve`).
_SUBMODULES = frozenset(["numpy.linalg"])


def _library_name(func: Any) -> Optional[str]:
    """``numpy.linspace`` for a function of a library whose module compiled code can name (the
    object must be that module's attribute of that name), else None."""
    module, name = getattr(func, "__module__", None), getattr(func, "__name__", None)
    if not isinstance(name, str):
        return None
    library = _LIBRARIES.get(module.split(".")[0]) if isinstance(module, str) else None
    if library is not None and getattr(sys.modules.get(library), name, None) is func:
        return f"{library}.{name}"
    # A function of a public submodule compiled code can name (`numpy.linalg.solve`).
    if module in _SUBMODULES and getattr(sys.modules.get(module), name, None) is func:
        return f"{module}.{name}"
    # The functions of `numpy.random` and `random` are bound methods of the modules' hidden
    # generators (some without a module name).
    for library in _GENERATOR_MODULES:
        if getattr(sys.modules.get(library), name, None) is func:
            return f"{library}.{name}"
    return None


def _resolve(requests: list[tuple[int, str, Any, list[str], list[tuple[str, str]], bool]]) -> None:
    """Runs the typing functions for the calls a compilation met (see `extending.rs` in
    ferrojit_python) and records each answer: an implementation's dispatcher, its source read,
    or why none was found."""
    for token, kind, target, arg_names, keyword_names, caller_parallel in requests:
        args = [types.from_name(n) for n in arg_names]
        keywords = {k: types.from_name(n) for k, n in keyword_names}
        # A library module not imported yet is left so when it would decline the call anyway
        # (see `_lib.declined_unloaded`): the typing functions registered so far answer.
        if kind == "function":
            module = _lazy_modules.get(target)
            if module is not None and not _declined_unloaded(_qualified_names.get(target), args, keywords):
                _import(_lazy_modules.pop(target))
            candidates = _function_typing.get(target, [])
        else:
            if kind == "method" and target in _lazy_method_modules and not _declined_unloaded(f"numpy.{target}", args, keywords):
                _import(_lazy_method_modules.pop(target))
            for typ in [t for t in _lazy_receiver_modules if args and isinstance(args[0], t)]:
                _import(_lazy_receiver_modules.pop(typ))
            table = _method_typing if kind == "method" else _attribute_typing
            candidates = [(typing_func, options) for typ, typing_func, options in table.get(target, []) if isinstance(args[0], typ)]
        reasons: list[str] = []
        bad_calls: list[str] = []
        refusals: list[CallRefused] = []
        # The refusals of tries that saw the literal values: they say more than those of the
        # same calls without them (`np.zeros(3, 'm8[15s]')` names the unit, not "a dtype must be
        # a constant"), and are told first.
        literal_refusals: list[CallRefused] = []
        dispatcher, literal, any_layout = None, False, False
        has_literals = any(isinstance(t, (types.IntegerLiteral, types.BooleanLiteral)) for t in [*args, *keywords.values()])
        for typing_func, options in candidates:
            # Numba's order: the plain types of literal arguments first, then the literal types
            # (reversed with `prefer_literal`); only one try when there are no literals.
            tries = [False, True] if has_literals else [True]
            if options.get(_PREFER_LITERAL):
                tries.reverse()
            erase = _any_layout if options.get(_ANY_LAYOUT) else (lambda t: t)
            for use_literals in tries:
                given_args = [erase(t if use_literals else types.unliteral(t)) for t in args]
                given_keywords = {k: erase(t if use_literals else types.unliteral(t)) for k, t in keywords.items()}
                if options.get(_SEES_CALLER_PARALLEL):
                    given_keywords["_caller_parallel"] = caller_parallel
                implementation = _run_typing(typing_func, kind, target, given_args, given_keywords, reasons, bad_calls, literal_refusals if use_literals and has_literals else refusals)
                if implementation is not None:
                    dispatcher = _implementation(implementation, {k: v for k, v in options.items() if k not in (_PREFER_LITERAL, _ANY_LAYOUT, _SEES_CALLER_PARALLEL)})
                    literal = use_literals and has_literals
                    any_layout = bool(options.get(_ANY_LAYOUT))
                    break
            if dispatcher is not None:
                break
        refusals = literal_refusals + refusals
        if dispatcher is None and refusals:
            refused = refusals[0]
            _native.resolve_overload(token, None, refused.message, refused=True, hint=refused.hint, unsupported=refused.unsupported)
        elif dispatcher is None and bad_calls and not reasons:
            _native.resolve_overload(token, None, bad_calls[0], True)
        else:
            # A reason given by both tries is told once.
            _native.resolve_overload(token, dispatcher, "; ".join(dict.fromkeys(reasons + bad_calls)), False, literal, any_layout=any_layout)


def _any_layout(t: Any) -> Any:
    """``t`` as a typing function declared with ``any_layout=True`` sees it: an array of one or
    more dimensions as layout ``'A'`` (the call converts the argument to it)."""
    if isinstance(t, types.Array) and t.ndim > 0 and t.layout != "A":
        return t.copy(layout="A")
    return t


def _declined_unloaded(qualified: Optional[str], args: list[Any], keywords: dict[str, Any]) -> bool:
    """Whether ferrojit's library would decline this call of NumPy's ``qualified`` function (or
    of the array method of the same name), known without importing its module."""
    if qualified is None or not qualified.startswith("numpy."):
        return False
    from ._lib import declined_unloaded

    return declined_unloaded(qualified[len("numpy.") :], args, keywords)


def _import(module: str) -> None:
    """Imports ``module``, a module of ``ferrojit._lib``, on first use."""
    from ._lib import import_module

    import_module(module)


def _run_typing(typing_func: Callable[..., Any], kind: str, target: Any, args: list[Any], keywords: dict[str, Any], reasons: list[str], bad_calls: list[str], refusals: list[CallRefused]) -> Any:
    """The implementation ``typing_func`` returns for the argument types, or None, noting in
    ``reasons`` why it refused, in ``bad_calls`` why the arguments do not fit it, or in
    ``refusals`` the library's own error."""
    try:
        return typing_func(*args, **keywords)
    except CallRefused as exc:
        refusals.append(exc)
    except TypeError as exc:
        if exc.__traceback__ is not None and exc.__traceback__.tb_next is None:
            # Raised by the call itself: the arguments do not fit the parameters.
            bad_calls.append(_call_error_message(kind, target, typing_func, str(exc)))
        else:
            reasons.append(f"{type(exc).__name__}: {exc}")
    except Exception as exc:  # a typing function's refusal, told to the user
        reasons.append(f"{type(exc).__name__}: {exc}")
    return None


def _call_error_message(kind: str, target: Any, typing_func: Callable[..., Any], message: str) -> str:
    """CPython's message for a call whose arguments do not fit the typing function ("zeros()
    got an unexpected keyword argument 'bogus'"), naming the callable as compiled code's
    messages do, after its registry key ("`np.zeros()` got an unexpected keyword argument
    `bogus`"): the typing function's own name (its ``__qualname__``, which CPython's message
    starts with, ``_filled.<locals>.typing`` for one a factory made) never shows."""
    import re

    name = _display_names.get(target, str(target)) if kind == "function" else str(target)
    own_name = f"{getattr(typing_func, '__qualname__', '')}() "
    rest = message[len(own_name) :] if message.startswith(own_name) else message
    return f"`{name}()` " + re.sub(r"'(\w+)'", r"`\1`", rest)


def _parallel_implementation(func: Callable[..., Any]) -> Callable[..., Any]:
    """``func``, an implementation a typing function is about to return for a caller compiled
    with ``parallel=True`` (see ``_caller_parallel``), made to compile with ``parallel=True``
    itself: its dispatcher is made now with that option, and the resolution finds it."""
    _implementation(func, {"parallel": True})
    return func


def _implementation(func: Callable[..., Any], options: dict[str, Any]) -> Dispatcher[Any, Any]:
    dispatcher = _implementations.get(func)
    if dispatcher is None:
        from ._dispatcher import Dispatcher

        # Plain functions the implementation closes over (helpers the typing function defined)
        # are compiled as they are, as `register_jitable` ones.
        for cell in getattr(func, "__closure__", None) or ():
            try:
                value = cell.cell_contents
            except ValueError:  # an empty cell
                continue
            if isinstance(value, type(_implementation)) and id(value) not in _keys:
                register_jitable(value)

        dispatcher = Dispatcher(func, {**options, "_overload_implementation": True})
        dispatcher._load_sources()
        _implementations[func] = dispatcher
    return dispatcher
