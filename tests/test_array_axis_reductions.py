"""Reductions along an axis (`a.sum(axis=0)`, `np.max(a, axis=-1, keepdims=True)`, ...)
against NumPy: dtypes, layouts, negative axes, keepdims, empty axes, NaN, errors, memory."""

import numpy as np
import pytest

import ferrojit
from ferrojit import njit
from ferrojit.errors import TypingError

from array_cases import values
from helpers import check_arrays


def sum_axis(a, axis):
    return a.sum(axis=axis)


def min_axis(a, axis):
    return a.min(axis=axis)


def max_axis(a, axis):
    return np.max(a, axis=axis)


def mean_axis(a, axis):
    return a.mean(axis)


def sum_keepdims(a, axis):
    return a.sum(axis=axis, keepdims=True)


def max_keepdims(a, axis):
    return np.amax(a, axis, keepdims=True)


def normalised_rows(a):
    return a / a.sum(axis=1, keepdims=True)


def column_means(a):
    return a.mean(axis=0)


FUNCS = [sum_axis, min_axis, max_axis, mean_axis, sum_keepdims, max_keepdims]
ARRAYS = {
    "1d": lambda dt: values(7, dt),
    "2d_C": lambda dt: values(12, dt).reshape(3, 4),
    "2d_F": lambda dt: np.asfortranarray(values(12, dt).reshape(3, 4)),
    "2d_reversed": lambda dt: values(24, dt).reshape(4, 6)[::-1, ::-2],
    "3d": lambda dt: values(24, dt).reshape(2, 3, 4),
    "3d_T": lambda dt: values(24, dt).reshape(2, 3, 4).transpose(2, 0, 1),
}


def axes(ndim):
    return list(range(-ndim, ndim))


def cases():
    for func in FUNCS:
        # Every function over three dtypes; sums and maxima over three more.
        dtypes = [np.float64, np.int8, np.bool_] + ([np.float32, np.int64, np.uint32] if func in (sum_axis, max_axis) else [])
        for dtype in dtypes:
            for name, make in ARRAYS.items():
                ndim = make(np.float64).ndim
                for axis in axes(ndim):
                    yield pytest.param(func, dtype, name, axis, id=f"{func.__name__}-{np.dtype(dtype).name}-{name}-{axis}")


def tolerance(func, dtype):
    # NumPy sums floats pairwise, ferrojit in order along the axis.
    if func in (sum_axis, mean_axis, sum_keepdims) and np.dtype(dtype).kind == "f":
        return 1e-6 if dtype == np.float32 else 1e-14
    return None


@pytest.mark.parametrize("func, dtype, name, axis", list(cases()))
def test_reductions_along_an_axis_match_numpy(func, dtype, name, axis):
    check_arrays(func, ARRAYS[name](dtype), axis, rel=tolerance(func, dtype))


@pytest.mark.parametrize("func", FUNCS)
@pytest.mark.parametrize("shape, axis", [((0, 3), 0), ((0, 3), 1), ((3, 0), 0), ((3, 0), 1), ((0,), 0)], ids=str)
def test_empty_axes_as_numpy(func, shape, axis):
    check_arrays(func, np.zeros(shape), axis, exc_msg=func in (min_axis, max_axis))


def test_nan_wins_along_an_axis():
    a = np.array([[1.0, np.nan, 3.0], [4.0, 5.0, np.nan]])
    for func in (min_axis, max_axis, sum_axis):
        for axis in (0, 1):
            check_arrays(func, a, axis)


@pytest.mark.parametrize("axis", [2, -3, 5])
def test_axis_out_of_range_is_numpy_s_axis_error(axis):
    a = np.ones((2, 3))
    with pytest.raises(np.exceptions.AxisError) as numpy_error:
        sum_axis(a, axis)
    with pytest.raises(np.exceptions.AxisError) as ours:
        njit(sum_axis)(a, axis)
    assert str(ours.value) == str(numpy_error.value)


def test_axis_must_be_an_integer_and_keepdims_a_constant():
    with pytest.raises(TypingError, match="must be an integer"):
        njit(sum_axis)(np.ones(3), 1.5)

    @njit
    def variable_keepdims(a, k):
        return a.sum(axis=0, keepdims=k)

    with pytest.raises(TypingError, match="keepdims"):
        variable_keepdims(np.ones(3), True)


def test_reductions_in_expressions_and_memory():
    a = values(12, np.float64).reshape(3, 4) + 200
    check_arrays(normalised_rows, a, rel=1e-15)
    check_arrays(column_means, a, rel=1e-15)
    f = njit(normalised_rows)
    f(a)
    before = ferrojit._native.live_allocations()
    for _ in range(200):
        f(a)
    assert ferrojit._native.live_allocations() == before
