"""ferrojit: a just-in-time compiler for numerical Python.

Decorate a function with ``@njit`` (or ``@jit``); its first call with a new combination of
argument types compiles it to native code through LLVM.
"""

from . import errors, types
from ._dispatcher import Dispatcher, jit, njit

__version__ = "0.1.0"
__all__ = ["njit", "jit", "errors", "types", "Dispatcher"]
