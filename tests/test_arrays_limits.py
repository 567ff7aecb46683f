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


@pytest.mark.parametrize("value", [1.5, -2.7, 0.0, -0.0, 9.2e18, -9.223372036854775808e18,
                                   9.223372036854774784e18, -9.223372036854774784e18])
def test_float_to_int_inside_int64(value):
    assert njit(to_int)(value) == int(value)


# The x86 conversion instruction answers i64::MIN for every value it cannot convert, and also
# for -2**63, the one value that does convert to i64::MIN: these tell the two apart, in both
# widths. (Python's own int() is unbounded; past int64 we raise OverflowError, documented.)
@pytest.mark.parametrize("value, error, message", [
    (9.223372036854775808e18, OverflowError, "float is too large for a 64-bit integer"),
    (-9.223372036854777856e18, OverflowError, "float is too large for a 64-bit integer"),
    (np.float32(9.223372036854775808e18), OverflowError, "float is too large for a 64-bit integer"),
    (np.float32(-9.2233731e18), OverflowError, "float is too large for a 64-bit integer"),
    (np.float32("nan"), ValueError, "cannot convert float NaN to integer"),
    (np.float32("-inf"), OverflowError, "cannot convert float infinity to integer")])
def test_float_to_int_just_outside_int64_raises(value, error, message):
    with pytest.raises(error, match=message):
        njit(to_int)(value)


@pytest.mark.parametrize("value", [np.float32(-9.223372036854775808e18), np.float32(-1.5), np.float32(1.0e18)])
def test_float32_to_int_inside_int64(value):
    assert njit(to_int)(value) == int(value)


def sum_of_ints(x):
    s = 0
    for i in range(x.shape[0]):
        s += int(x[i])
    return s


def sum_of_ints_guarded(x, skip):
    s = 0
    for i in range(x.shape[0]):
        if x[i] != skip:
            k = int(x[i] * 0.5)
            if k > 100:
                k = 100
            s += k
    return s


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("position", [0, 1, 2, 3, 4, 6, 7, 12])
@pytest.mark.parametrize("bad, error", [(float("nan"), ValueError), (float("inf"), OverflowError), (-1e30, OverflowError)])
def test_float_to_int_in_unrolled_loops_raises_at_the_bad_element(dtype, position, bad, error):
    # Loops that can raise are unrolled too: every position within an unrolled group of
    # iterations must raise, and values before and after it (including -2**63) must not.
    x = np.full(13, -9.223372036854775808e18, dtype=dtype)
    x[::2] = 3.75
    x[position] = bad
    with pytest.raises(error):
        njit(sum_of_ints)(x)
    with pytest.raises(error):
        njit(sum_of_ints_guarded)(x, 1.25)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("n", [0, 1, 3, 4, 5, 8, 13, 1000])
def test_float_to_int_in_unrolled_loops_values(dtype, n):
    rng = np.random.default_rng(n)
    x = np.abs(rng.standard_normal(n) * 300).astype(dtype)
    x[::3] = 1.25
    if n:
        x[n // 2] = -9.223372036854775808e18  # the sums stay inside int64: the rest is positive
    assert njit(sum_of_ints)(x) == sum_of_ints(x)
    assert njit(sum_of_ints_guarded)(x, 1.25) == sum_of_ints_guarded(x, 1.25)


def shift_through_a_view(n):
    a = np.arange(n * 1.0)
    b = a[1:]
    for i in range(n - 1):
        b[i] = a[i] + 1.0
    return a


def reverse_into_own_view(n):
    a = np.empty(n)
    for i in range(n):
        a[i] = i * 0.5
    r = a[::-1]
    for i in range(n):
        a[i] = r[i] * 2.0
    return a


@pytest.mark.parametrize("n", [1, 2, 7, 64, 1000])
def test_new_arrays_still_alias_their_own_views(n):
    # A fresh allocation is marked as not aliasing anything the function had before; views
    # of it are derived from it and must still be treated as overlapping it.
    np.testing.assert_array_equal(njit(shift_through_a_view)(n), shift_through_a_view(n))
    np.testing.assert_array_equal(njit(reverse_into_own_view)(n), reverse_into_own_view(n))
