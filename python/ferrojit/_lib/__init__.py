"""ferrojit's library written in Python: implementations that ferrojit compiles itself,
registered with ``ferrojit.extending.overload`` exactly as a user's own would be. One module
per area.

A module is imported only when compiled code first calls one of the callables it implements,
so that a program's first compilation pays only for what it uses: ``IMPLEMENTED_IN`` says
where each is defined, and ``load`` declares them to the compiler without importing anything.
tests/test_extending.py checks that the table and the modules agree.
"""

from __future__ import annotations

import sys

# Callable (module-qualified name) -> the module of this package that implements it.
IMPLEMENTED_IN = {
    "numpy.linspace": "creation",
    "numpy.identity": "creation",
    # `sum`, `min`, `max`, `mean`: the calls the compiler does not build itself.
    **{f"numpy.{name}": "reductions" for name in ("sum", "min", "amin", "max", "amax", "mean", "prod", "argmin", "argmax", "all", "any", "var", "std", "cumsum", "cumprod")},
}

# Array methods (by name) -> the module of this package that implements them.
METHODS_IN = {
    **{name: "reductions" for name in ("sum", "min", "max", "mean", "prod", "argmin", "argmax", "all", "any", "var", "std", "cumsum", "cumprod")},
    "conj": "elementwise",
    "conjugate": "elementwise",
}


def select(a, index, axis):
    """``a[..., index, ...]`` with an array among the items, once the compiler has made the
    view ``a`` whose first axes ``index`` covers (see ``indexing``): what that subscript
    compiles to. ``axis`` is the indexed array's axis, for error messages."""
    return a[index]


def assign(a, index, value, axis):
    """``a[..., index, ...] = value`` with an array among the items: what that assignment
    compiles to (arguments as for ``select``)."""
    a[index] = value


def index_error(index, axis, size):
    """Raises NumPy's ``IndexError`` for ``index`` outside the axis ``axis`` of length ``size``.
    In compiled code, a runtime call (the message is formatted there); it never returns."""
    raise IndexError(f"index {index} is out of bounds for axis {axis} with size {size}")


def mask_shape_error(axis, size, mask_size):
    """Raises NumPy's ``IndexError`` for a boolean index of ``mask_size`` elements along the
    axis ``axis`` of length ``size``. In compiled code, a runtime call; it never returns."""
    raise IndexError(
        f"boolean index did not match indexed array along axis {axis}; size of axis is {size} but size of corresponding boolean axis is {mask_size}"
    )


def axis_error(axis, ndim):
    """Raises NumPy's ``AxisError`` for ``axis`` outside the dimensions of an array of ``ndim``
    dimensions. In compiled code, a runtime call; it never returns."""
    from numpy.exceptions import AxisError

    raise AxisError(f"axis {axis} is out of bounds for array of dimension {ndim}")


# ferrojit's own callables that compiled code reaches through syntax, by the name the compiler
# asks for -> (the callable, the module of this package that implements it).
INTERNAL = {
    "ferrojit.select": (select, "indexing", "indexing with an array"),
    "ferrojit.assign": (assign, "indexing", "assigning through an array index"),
}

_declared: set[str] = set()


def load() -> frozenset[str]:
    """Declares the callables implemented here of each library the process has imported (NumPy
    is never imported for this); returns the names of those libraries."""
    from ..extending import _declare_library_callable, _declare_library_method

    if "core" not in _declared:
        for qualified, (func, module, display) in INTERNAL.items():
            _declare_library_callable(func, f"{__name__}.{module}", qualified, display)
        for name, module in METHODS_IN.items():
            _declare_library_method(name, f"{__name__}.{module}")
        _declared.add("core")
    for qualified, module in IMPLEMENTED_IN.items():
        library, name = qualified.split(".", 1)
        owner = sys.modules.get(library)
        if library not in _declared and owner is not None:
            _declare_library_callable(getattr(owner, name), f"{__name__}.{module}")
    _declared.update(library for library in ("numpy", "math", "builtins") if library in sys.modules)
    return frozenset(_declared)
