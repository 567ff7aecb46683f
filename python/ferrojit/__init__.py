"""ferrojit: a just-in-time compiler for numerical Python.

Decorate a function with ``@njit`` (or ``@jit``); its first call with a new combination of
argument types compiles it to native code through LLVM.
"""

from . import errors, types
from ._dispatcher import Dispatcher, jit, njit
from ._vectorize import guvectorize, vectorize
from .types import *  # noqa: F403 (int32, float64, ... as `from numba import int32` gives)
from .types import __all__ as _type_names

__version__ = "0.1.0"
__all__ = ["njit", "jit", "vectorize", "guvectorize", "errors", "types", "Dispatcher", *_type_names]
