"""Whole-array reductions written in Python (ferrojit._lib.reductions): prod, argmin, argmax,
all, any, var, std (ddof), cumsum, cumprod, as methods and np. functions (with keepdims), against
NumPy over dtypes and layouts, with NaN and empty arrays. Along an axis: test_array_axis_reductions.py."""

import numpy as np
import pytest

import ferrojit
from ferrojit import njit

from array_cases import values
import helpers

# One dispatcher per function for the whole module: a row compiles only the argument types it
# is the first to meet.
_COMPILED = {}


def check_arrays(pyfunc, *args, **kwargs):
    """`helpers.check_arrays` with the module's dispatcher of `pyfunc`."""
    return helpers.check_arrays(pyfunc, *args, compiled=_COMPILED, **kwargs)


def prod_method(a):
    return a.prod()


def prod_function(a):
    return np.prod(a)


def argmin_method(a):
    return a.argmin()


def argmax_function(a):
    return np.argmax(a)


def all_method(a):
    return a.all()


def any_function(a):
    return np.any(a)


def var_method(a):
    return a.var()


def var_ddof(a):
    return np.var(a, ddof=1)


def std_method(a):
    return a.std()


def std_ddof(a):
    return a.std(ddof=1)


def cumsum_method(a):
    return a.cumsum()


def cumprod_function(a):
    return np.cumprod(a)


def prod_kept(a):
    return a.prod(keepdims=True)


def any_kept(a):
    return np.any(a, keepdims=True)


def var_kept(a):
    return np.var(a, keepdims=True)


EXACT = [prod_method, prod_function, argmin_method, argmax_function, all_method, any_function, cumsum_method, cumprod_function, prod_kept, any_kept]
# NumPy sums pairwise, ferrojit in order: the same values up to rounding.
SUMMED = [var_method, var_ddof, std_method, std_ddof, var_kept]
LAYOUTS = {
    "C": lambda dt: values(7, dt),
    "reversed": lambda dt: values(14, dt)[::-2],
    "2d_F": lambda dt: np.asfortranarray(values(12, dt).reshape(3, 4)),
    "empty": lambda dt: values(0, dt),
}


def small(a):
    """Values whose products stay exact in every dtype."""
    if a.dtype.kind in "iu":
        return (a % 3 + 1).astype(a.dtype)
    if a.dtype.kind == "f":
        return a / 64
    return a


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int8, np.uint16, np.bool_], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("func", EXACT + SUMMED)
def test_reductions_match_numpy(func, dtype, layout):
    a = small(LAYOUTS[layout](dtype))
    rel = None
    if func in SUMMED:
        rel = 1e-5 if dtype == np.float32 else 1e-12
    elif np.dtype(dtype).kind == "f" and func in (prod_method, prod_function, cumprod_function, prod_kept):
        # NumPy multiplies in memory order (a Fortran array column by column), ferrojit in C
        # order: the same values up to rounding.
        rel = 1e-6 if dtype == np.float32 else 1e-15
    check_arrays(func, a, rel=rel, exc_msg=func in (argmin_method, argmax_function))


@pytest.mark.parametrize("func", [argmin_method, argmax_function, var_method, std_ddof, cumsum_method, any_function])
def test_nan_as_numpy(func):
    check_arrays(func, np.array([2.0, np.nan, -1.0, np.nan]), rel=1e-12)
    check_arrays(func, np.array([np.inf, -np.inf, 1.0]), rel=1e-12)


def test_complex_products_and_truth():
    a = np.array([1 + 1j, 2 - 1j, 0.5j])
    for func in (prod_method, all_method, any_function, cumprod_function, cumsum_method):
        check_arrays(func, a)


def test_no_leaks():
    f = njit(cumsum_method)
    a = values(100, np.float64)
    f(a)
    before = ferrojit._native.live_allocations()
    for _ in range(200):
        f(a)
    assert ferrojit._native.live_allocations() == before
