"""Sizes that do not fit, reshape's unknown dimension, and complex means: no crash, NumPy's
answers."""

import numpy as np
import pytest

from ferrojit import njit


def make_and_touch(n, i):
    a = np.empty(n)
    a[i] = 1.0
    return a.size


def arange_size(n):
    return np.arange(n).size


def linspace_size(n):
    return np.linspace(0.0, 1.0, n).size


def eye_size(n):
    return np.eye(n).size


def full_size(n):
    return np.full((n, n), 1.5).size


def zeros_4d(n):
    return np.zeros((n, n, n, n)).size


@pytest.mark.parametrize(
    "func, args",
    [
        (make_and_touch, (2**62, 10**7)),
        (make_and_touch, (2**60, 0)),
        (arange_size, (2**61,)),
        (linspace_size, (2**61,)),
        (eye_size, (2**32,)),
        (full_size, (2**32,)),
        (zeros_4d, (2**16,)),
    ],
)
def test_arrays_too_big_raise_value_error(func, args):
    with pytest.raises(ValueError, match="array is too big"):
        njit(func)(*args)


def reshape_huge(a):
    b = a.reshape(2**62 + 1, 4)
    return b[10**9, 0]


def test_reshape_product_overflow_is_caught():
    with pytest.raises(ValueError, match="too big"):
        njit(boundscheck=True)(reshape_huge)(np.zeros(4))


def reshape_negative(a, k):
    return a.reshape(k, 6).shape


def test_any_negative_dimension_is_the_unknown_one():
    assert njit(reshape_negative)(np.zeros(12), -2) == np.zeros(12).reshape(-2, 6).shape == (2, 6)
    assert njit(reshape_negative)(np.zeros(12), -1) == (2, 6)


def two_unknowns(a):
    return a.reshape(-1, -1).shape


def test_two_unknown_dimensions_raise():
    with pytest.raises(ValueError, match="only specify one unknown dimension"):
        njit(two_unknowns)(np.zeros(4))


def mean(a):
    return a.mean()


@pytest.mark.parametrize("values", [[np.inf + 0j, 1j], [1 + 2j, np.nan, 3 - 1j], [1 + 1j, 3 - 1j]])
def test_complex_mean_spreads_inf_and_nan_as_numpy(values):
    a = np.array(values)
    got = njit(mean)(a)
    with np.errstate(invalid="ignore"):
        expected = a.mean()
    assert type(got) is complex
    np.testing.assert_array_equal(np.array([got]), np.array([complex(expected)]))


def made_like(a):
    return np.empty_like(a), np.zeros_like(a), np.ones_like(a), np.full_like(a, 2.0), np.copy(a), a.astype(np.float32), a.copy(), a.flatten()


def test_new_arrays_keep_fortran_order_where_numpy_does():
    a = np.asfortranarray(np.arange(6.0).reshape(2, 3))
    got = njit(made_like)(a)
    expected = made_like(a)
    for g, e in zip(got, expected):
        assert (g.flags.f_contiguous, g.flags.c_contiguous) == (e.flags.f_contiguous, e.flags.c_contiguous)
        assert g.dtype == e.dtype and g.shape == e.shape
    # Values (the empty_like result is uninitialised).
    for g, e in list(zip(got, expected))[1:]:
        np.testing.assert_array_equal(g, e)


def slice_sum(a, i, j):
    return a[i:j].sum()


@pytest.mark.parametrize("i, j", [(2, None), (None, 3), (None, None), (-3, None)])
def test_slice_bounds_held_in_none_variables(i, j):
    a = np.arange(10.0)
    assert njit(slice_sum)(a, i, j) == slice_sum(a, i, j)


def to_int(x):
    return int(x)


@pytest.mark.parametrize("value, error", [(float("nan"), ValueError), (float("inf"), OverflowError), (-float("inf"), OverflowError), (1e300, OverflowError), (-1e19, OverflowError)])
def test_float_to_int_outside_int64_raises(value, error):
    with pytest.raises(error):
        njit(to_int)(value)


@pytest.mark.parametrize("value", [1.5, -2.7, 0.0, -0.0, 9.2e18, -9.223372036854775808e18])
def test_float_to_int_inside_int64(value):
    assert njit(to_int)(value) == int(value)
