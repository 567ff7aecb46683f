"""ferrojit: a just-in-time compiler for numerical Python.

Decorate a function with ``@njit`` (or ``@jit``); its first call with a new combination of
argument types compiles it to native code through LLVM.
"""

from __future__ import annotations

from . import errors, types
from ._typing import TYPE_CHECKING as _TYPE_CHECKING
from ._typing import R as _R
from ._dispatcher import Dispatcher, jit, njit
from ._vectorize import guvectorize, vectorize
from .types import *  # noqa: F403 (int32, float64, ... as `from numba import int32` gives)

if _TYPE_CHECKING:
    from ._stencil import stencil as stencil

__version__ = "0.1.0"


def literal_unroll(container: _R) -> _R:
    """Marks the iterable of a ``for`` loop to be unrolled in compiled code, as Numba's
    ``literal_unroll``: ``for x in literal_unroll(t):`` over a tuple compiles the loop's body once
    per item, each copy with ``x`` of that item's type, so that the items may be of different
    types (numbers, arrays, tuples). In Python it returns ``container`` itself."""
    return container


def prange(*args: int) -> range:
    """Numba's ``prange``: in a function compiled with ``parallel=True``, ``for i in
    prange(...)`` runs its iterations on the thread pool (see the README's "Parallel loops");
    elsewhere, and in Python, it is ``range``."""
    return range(*args)


class objmode:
    """Numba's ``objmode``: in a compiled function, ``with objmode(y='float64[:]', n='int64'):``
    runs its block as ordinary Python code (any library, any object) and hands the variables
    named back to compiled code, converted to the types given (as in signatures: ``'int64'``,
    ``'float64[:]'``, ``'unicode_type'``, tuples). The block receives the compiled function's
    variables it reads; other variables it assigns stay inside it. In Python it does nothing."""

    def __init__(self, **outputs: object) -> None:
        self.outputs = outputs

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def set_num_threads(n: int) -> None:
    """Numba's ``set_num_threads``: the number of threads (1 to the pool's size) that the
    parallel loops started by the calling thread use."""
    from . import _native

    _native.set_num_threads(n)


def get_num_threads() -> int:
    """Numba's ``get_num_threads``: the threads the calling thread's parallel loops use."""
    from . import _native

    return _native.get_num_threads()


def get_thread_id() -> int:
    """Numba's ``get_thread_id``: the number of the calling thread among the threads running a
    parallel loop, from 0 (the thread that called the loop) to ``get_num_threads() - 1``; 0
    outside parallel loops."""
    from . import _native

    return _native.get_thread_id()


def _mark_finalizing_thread() -> None:
    """The thread that runs ``atexit`` callbacks is the one that finalizes the interpreter;
    compiled calls on other threads must not take the GIL back during finalization (see
    ``gil.rs`` in ferrojit_python)."""
    import atexit

    from . import _native

    atexit.register(_native.mark_finalizing_thread)


def _start_warm_up() -> None:
    """LLVM's one-time set-up (a few milliseconds) starts now, on a background thread, so that
    the first compilation need not pay it; ``FERROJIT_WARM_UP=0`` turns this off. The thread
    is waited for before a fork (a child must not inherit locks held by a thread it does not
    have) and at exit."""
    import atexit
    import os

    if os.environ.get("FERROJIT_WARM_UP", "1") == "0" or os.environ.get("FERROJIT_DISABLE_JIT") == "1":
        return
    from . import _native

    _native.start_warm_up()
    os.register_at_fork(before=_native.wait_for_warm_up)
    atexit.register(_native.wait_for_warm_up)


def __getattr__(name: str) -> object:
    """``ferrojit.extending``, ``ferrojit.typed`` and ``ferrojit.experimental`` on first use, as
    ``numba.extending`` and ``numba.typed`` are reached after ``import numba``, and
    ``ferrojit.stencil`` and ``ferrojit.jitclass`` (importing them with the package would slow
    ``import ferrojit`` down)."""
    if name == "jitclass":
        from ._jitclass import jitclass

        return jitclass
    if name in ("extending", "typed", "experimental"):
        import importlib

        return importlib.import_module(f".{name}", __name__)
    if name == "stencil":
        from ._stencil import stencil

        return stencil
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_mark_finalizing_thread()
_start_warm_up()
# In the one form of extension that type checkers follow (for the names `import *` gives).
__all__ = ["njit", "jit", "vectorize", "guvectorize", "stencil", "literal_unroll", "prange", "objmode", "set_num_threads", "get_num_threads", "get_thread_id", "errors", "types", "Dispatcher"]
__all__ += types.__all__
