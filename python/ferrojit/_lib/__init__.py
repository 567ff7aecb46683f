"""ferrojit's library written in Python: implementations that ferrojit compiles itself,
registered with ``ferrojit.extending.overload`` exactly as a user's own would be. One module
per area; a module is imported once the library it implements is loaded in the process."""

from __future__ import annotations

import sys

_loaded: set[str] = {"core"}


def load() -> frozenset[str]:
    """Registers the implementations for the libraries imported so far; returns their names."""
    if "numpy" not in _loaded and "numpy" in sys.modules:
        from . import creation  # noqa: F401 (registers on import)

        _loaded.add("numpy")
    return frozenset(_loaded)
