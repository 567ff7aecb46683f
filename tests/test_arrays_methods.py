"""Array methods and the NumPy functions that mirror them: sum/min/max/mean over the whole array,
item, copy, reshape, ravel, flatten, astype, T/transpose; on every dtype family and every layout."""
import warnings

import numpy as np
import pytest

import ferrojit
from array_cases import (
    ALL_DTYPES, COMPLEXES, FLOATS, REALS, VIEWS_1D, VIEWS_2D, dtype_id, extremes, make_1d, make_2d, make_3d,
    readonly, values,
)
import helpers
from helpers import assert_same_array, case_id

# One dispatcher per function for the whole module: a row compiles only the argument types it
# is the first to meet.
_COMPILED = {}


def check_arrays(pyfunc, *args, **kwargs):
    """`helpers.check_arrays` with the module's dispatcher of `pyfunc`."""
    return helpers.check_arrays(pyfunc, *args, compiled=_COMPILED, **kwargs)


# NumPy sums floating-point arrays pairwise (in blocks, with SIMD), compiled code - like Numba -
# adds the elements one after the other, so float and complex sums and means differ in the last
# bits. They are compared with this relative tolerance (float32: a few float32 ulp; float64 far
# looser than needed for these small arrays, but exact equality is not the contract). Integer
# sums, min and max are exact.
SUM_REL = {np.dtype(np.float32): 1e-5, np.dtype(np.complex64): 1e-5, np.dtype(np.float64): 1e-12,
           np.dtype(np.complex128): 1e-12}


def rel_for(a):
    return SUM_REL.get(a.dtype)


def m_sum(a):
    return a.sum()


def m_min(a):
    return a.min()


def m_max(a):
    return a.max()


def m_mean(a):
    return a.mean()


def f_sum(a):
    return np.sum(a)


def f_min(a):
    return np.min(a)


def f_max(a):
    return np.max(a)


def f_amin(a):
    return np.amin(a)


def f_amax(a):
    return np.amax(a)


def f_mean(a):
    return np.mean(a)


SUMS = [m_sum, m_mean, f_sum, f_mean]
MINMAX = [m_min, m_max, f_min, f_max, f_amin, f_amax]


# --- sum and mean --------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", ALL_DTYPES, ids=dtype_id)
@pytest.mark.parametrize("func", SUMS, ids=case_id)
def test_sum_mean_every_dtype(func, dtype):
    # sum of bool and of integers narrower than 64 bits is an int64 (uint64 for unsigned), as in
    # NumPy; the mean of integers is a float64.
    for a in (values(11, dtype), values(11, dtype)[::-3], np.asfortranarray(values(12, dtype).reshape(3, 4))):
        check_arrays(func, a, rel=rel_for(a))


@pytest.mark.parametrize("view", VIEWS_1D)
@pytest.mark.parametrize("func", SUMS, ids=case_id)
def test_sum_mean_1d_views(func, view):
    check_arrays(func, make_1d(view), rel=1e-12)
    check_arrays(func, make_1d(view, np.int16))


@pytest.mark.parametrize("view", VIEWS_2D)
@pytest.mark.parametrize("func", SUMS, ids=case_id)
def test_sum_mean_2d_views(func, view):
    check_arrays(func, make_2d(view), rel=1e-12)
    check_arrays(func, make_2d(view, np.uint8))


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("func", SUMS, ids=case_id)
def test_sum_mean_3d(func, order):
    check_arrays(func, make_3d(order=order), rel=1e-12)
    check_arrays(func, make_3d(np.int32, order=order)[:, ::-1, 1:])


@pytest.mark.parametrize("func", SUMS, ids=case_id)
def test_sum_mean_0d(func):
    check_arrays(func, np.array(2.5))
    check_arrays(func, np.array(-7, np.int8))


@pytest.mark.parametrize("dtype", ALL_DTYPES, ids=dtype_id)
def test_sum_of_empty_is_zero_of_the_right_type(dtype):
    check_arrays(m_sum, np.zeros(0, dtype))
    check_arrays(f_sum, np.zeros((3, 0), dtype))


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.uint8, np.bool_], ids=dtype_id)
def test_mean_of_empty_is_nan(dtype):
    # NumPy warns ("Mean of empty slice") and returns NaN; so does compiled code (without warning).
    check_arrays(m_mean, np.zeros(0, dtype))
    check_arrays(f_mean, np.zeros((0, 3), dtype))


@pytest.mark.parametrize("a", [
    np.array([2 ** 63 - 1, 1], np.int64),
    np.array([-(2 ** 63), -1], np.int64),
    np.array([2 ** 64 - 1, 2], np.uint64),
    np.array([100, 100, 100], np.int8),
    np.array([-128, -128], np.int8),
    np.array([255] * 1000, np.uint8),
    np.array([2 ** 31 - 1] * 3, np.int32),
    np.array([True] * 300),
], ids=lambda a: f"{a.dtype}-{a[0]}x{len(a)}")
def test_integer_sums_exact_with_wraparound(a):
    # Narrow integers are summed in 64 bits (no overflow at 8/16/32 bits); 64-bit sums wrap.
    check_arrays(m_sum, a)
    check_arrays(m_mean, a)


def test_integer_mean_of_large_values():
    check_arrays(m_mean, np.array([2 ** 62, 2 ** 62, 2 ** 62, 3], np.int64))
    check_arrays(m_mean, np.array([2 ** 64 - 1, 2 ** 64 - 1], np.uint64))


@pytest.mark.parametrize("a", [
    np.array([np.inf, -np.inf]), np.array([np.inf, 1.0]), np.array([1.0, np.nan, 2.0]),
    np.array([-0.0, -0.0]), np.array([1e308, 1e308]), np.array([1 + 2j, np.nan, 3 - 1j]),
    np.array([np.inf + 0j, 1j]), np.array([0.1] * 1000), np.array([0.1] * 1000, np.float32),
    np.arange(10000, dtype=np.float32) / 7, np.array([1 + 2j, 3 - 1j, 0.5j], np.complex64),
], ids=lambda a: f"{a.dtype}-{a[:2]}")
def test_float_sums_special_values(a):
    check_arrays(m_sum, a, rel=rel_for(a))
    if a.dtype.kind != "c" or np.isfinite(a).all():
        # (Left out: the mean of complex arrays holding NaN or inf, where compiled code divides by
        # the count as a real number and NumPy and Numba as a complex one; reported separately.)
        check_arrays(m_mean, a, rel=rel_for(a))


def test_float_sum_is_pairwise_not_sequential():
    # Documents why a tolerance is needed, and how small it is: ferrojit sums pairwise as NumPy
    # does (in other blocks: the last bit may differ), far closer than the sequential sum.
    a = np.full(1000, 0.1)
    sequential = 0.0
    for v in a:
        sequential += float(v)
    got = ferrojit.njit(m_sum)(a)
    assert got == pytest.approx(a.sum(), rel=4 * np.finfo(np.float64).eps)
    assert abs(got - 100.0) < abs(sequential - 100.0) / 10


def test_reductions_of_readonly_arrays():
    a = readonly(np.arange(10.0)[::-1])
    for func in SUMS + MINMAX:
        check_arrays(func, a, rel=1e-12)


# --- min and max ---------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", REALS, ids=dtype_id)
@pytest.mark.parametrize("func", MINMAX, ids=case_id)
def test_min_max_every_real_dtype(func, dtype):
    check_arrays(func, values(11, dtype))
    check_arrays(func, values(11, dtype)[::-2])
    check_arrays(func, extremes(dtype))
    check_arrays(func, np.asfortranarray(values(12, dtype).reshape(3, 4)))


@pytest.mark.parametrize("view", [v for v in VIEWS_1D if not v.startswith("empty")])
@pytest.mark.parametrize("func", MINMAX, ids=case_id)
def test_min_max_1d_views(func, view):
    check_arrays(func, make_1d(view))
    check_arrays(func, make_1d(view, np.int64))


@pytest.mark.parametrize("view", [v for v in VIEWS_2D if not v.startswith("empty")])
@pytest.mark.parametrize("func", MINMAX, ids=case_id)
def test_min_max_2d_views(func, view):
    check_arrays(func, make_2d(view))
    check_arrays(func, make_2d(view, np.uint32))


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("func", [m_min, m_max], ids=case_id)
def test_min_max_3d_and_0d(func, order):
    check_arrays(func, make_3d(order=order)[::-1, :, ::2])
    check_arrays(func, np.array(-3.5))


@pytest.mark.parametrize("dtype", FLOATS, ids=dtype_id)
@pytest.mark.parametrize("data", [
    [np.nan, 1.0, 2.0], [1.0, np.nan, 0.0], [1.0, 2.0, np.nan], [np.nan, np.nan], [np.nan],
    [np.inf, -np.inf, 1.0], [-np.inf], [3.0, np.nan, -np.inf, np.inf],
], ids=case_id)
@pytest.mark.parametrize("func", MINMAX, ids=case_id)
def test_min_max_propagate_nan(func, data, dtype):
    a = np.array(data, dtype)
    check_arrays(func, a)
    check_arrays(func, a[::-1])


@pytest.mark.parametrize("shape", [(0,), (3, 0), (0, 2)], ids=case_id)
@pytest.mark.parametrize("func", MINMAX, ids=case_id)
def test_min_max_of_empty_raise_value_error(func, shape):
    # Same class and message as NumPy.
    check_arrays(func, np.zeros(shape), exc_msg=True)
    check_arrays(func, np.zeros(shape, np.int8), exc_msg=True)


@pytest.mark.parametrize("dtype", COMPLEXES, ids=dtype_id)
def test_min_max_of_complex_match_numpy(dtype):
    # NumPy's order: real part, then imaginary part (ferrojit/_lib/reductions.py).
    for func in (m_min, m_max):
        check_arrays(func, values(3, dtype))
        check_arrays(func, values(6, dtype).reshape(2, 3)[:, ::-1])


# --- item ----------------------------------------------------------------------------------------

def m_item(a):
    return a.item()


@pytest.mark.parametrize("dtype", ALL_DTYPES, ids=dtype_id)
def test_item_of_size_one(dtype):
    v = extremes(dtype)
    for k in range(len(v)):
        check_arrays(m_item, v[k:k + 1])
        check_arrays(m_item, np.array(v[k]))
        check_arrays(m_item, np.asfortranarray(v[k:k + 1].reshape(1, 1)))
    check_arrays(m_item, values(12, dtype).reshape(3, 4)[1:2, ::-5][:, 1:])


@pytest.mark.parametrize("shape", [(0,), (2,), (3, 4), (1, 2), (2, 0, 1)], ids=case_id)
def test_item_of_other_sizes_raises_value_error(shape):
    check_arrays(m_item, np.zeros(shape), exc_msg=True)
    check_arrays(m_item, np.zeros(shape, np.int16), exc_msg=True)


# --- copy --------------------------------------------------------------------------------------------

def m_copy(a):
    return a.copy()


def f_copy(a):
    return np.copy(a)


def copy_then_write(a):
    b = a.copy()
    b.fill(0)
    return a, b


@pytest.mark.parametrize("dtype", ALL_DTYPES, ids=dtype_id)
@pytest.mark.parametrize("func", [m_copy, f_copy], ids=case_id)
def test_copy_every_dtype(func, dtype):
    for a in (values(7, dtype), values(7, dtype)[::-2], np.asfortranarray(values(12, dtype).reshape(3, 4)),
              np.array(values(2, dtype)[1]), values(24, dtype).reshape(2, 3, 4)[:, ::-1]):
        check_arrays(func, a)


@pytest.mark.parametrize("view", list(VIEWS_2D))
def test_copy_is_a_new_c_contiguous_array(view):
    a = make_2d(view)
    for func in (m_copy, f_copy):
        got = ferrojit.njit(func)(a)
        assert_same_array(got, a.copy())
        assert not np.shares_memory(got, a)
        assert got.flags.writeable
    check_arrays(copy_then_write, a)
    got = ferrojit.njit(m_copy)(a)
    # ndarray.copy() gives C order in NumPy and Numba alike (strides of empty arrays are arbitrary).
    assert got.flags.c_contiguous
    if a.size:
        assert got.strides == a.copy().strides


# --- reshape -------------------------------------------------------------------------------------

def rs_args(a):
    return a.reshape(3, 4)


def rs_tuple(a):
    return a.reshape((2, 6))


def rs_minus1_first(a):
    return a.reshape(-1, 3)


def rs_minus1_last(a):
    return a.reshape((4, -1))


def rs_minus1_only(a):
    return a.reshape(-1)


def rs_3d(a):
    return a.reshape(2, -1, 2)


def rs_1d_int(a):
    return a.reshape(12)


def rs_to_column(a):
    return a.reshape((a.size, 1))


def rs_var(a, n, m):
    return a.reshape(n, m)


def f_reshape(a):
    return np.reshape(a, (6, -1))


def f_reshape_int(a):
    return np.reshape(a, -1)


RESHAPES = [rs_args, rs_tuple, rs_minus1_first, rs_minus1_last, rs_minus1_only, rs_3d, rs_1d_int,
            rs_to_column, f_reshape, f_reshape_int]


@pytest.mark.parametrize("dtype", [np.float64, np.int8, np.uint64, np.complex64, np.bool_], ids=dtype_id)
@pytest.mark.parametrize("func", RESHAPES, ids=case_id)
def test_reshape_c_contiguous(func, dtype):
    for a in (values(12, dtype), values(12, dtype).reshape(3, 4), values(24, dtype).reshape(2, 3, 4)[1],
              values(24, dtype).reshape(4, 6)[1:3]):
        check_arrays(func, a)


@pytest.mark.parametrize("func", RESHAPES, ids=case_id)
def test_reshape_is_a_view(func):
    a = np.arange(12.0)
    got = ferrojit.njit(func)(a)
    assert np.shares_memory(got, a)
    assert got.strides == func(a).strides


@pytest.mark.parametrize("n, m", [(5, 2), (4, 4), (13, 1), (0, 12), (-1, 5), (-1, -1), (-1, 0)], ids=case_id)
def test_reshape_size_mismatch_raises_value_error(n, m):
    check_arrays(rs_var, np.arange(12.0), n, m)


def test_reshape_minus1_mismatch_raises_value_error():
    check_arrays(rs_minus1_first, np.arange(10.0))
    check_arrays(rs_3d, np.arange(6.0))
    check_arrays(f_reshape, np.arange(8.0))


@pytest.mark.parametrize("n, m", [(3, 4), (-1, 4), (12, -1), (1, 12)], ids=case_id)
def test_reshape_variable_shape(n, m):
    check_arrays(rs_var, np.arange(12.0), n, m)


def test_reshape_empty_and_0d():
    check_arrays(rs_minus1_only, np.zeros((3, 0)))
    check_arrays(rs_var, np.zeros(0), 0, 5)
    check_arrays(rs_var, np.zeros(0), 3, -1)
    check_arrays(rs_to_column, np.array(1.5))


def test_reshape_of_non_c_contiguous_is_refused_at_compile_time():
    # Documented as not supported yet (Numba refuses it too).
    for a in (np.asfortranarray(np.zeros((3, 4))), np.arange(24.0)[::2]):
        with pytest.raises(ferrojit.errors.CompileError):
            ferrojit.njit(rs_args)(a)


# --- ravel, flatten -----------------------------------------------------------------------------

def m_ravel(a):
    return a.ravel()


def f_ravel(a):
    return np.ravel(a)


def m_flatten(a):
    return a.flatten()


@pytest.mark.parametrize("view", list(VIEWS_2D))
@pytest.mark.parametrize("func", [m_ravel, f_ravel, m_flatten], ids=case_id)
def test_ravel_flatten_2d(func, view):
    check_arrays(func, make_2d(view))


@pytest.mark.parametrize("view", list(VIEWS_1D))
@pytest.mark.parametrize("func", [m_ravel, f_ravel, m_flatten], ids=case_id)
def test_ravel_flatten_1d(func, view):
    check_arrays(func, make_1d(view))


@pytest.mark.parametrize("dtype", ALL_DTYPES, ids=dtype_id)
@pytest.mark.parametrize("func", [m_ravel, f_ravel, m_flatten], ids=case_id)
def test_ravel_flatten_every_dtype_3d_0d(func, dtype):
    check_arrays(func, make_3d(dtype, order="F"))
    check_arrays(func, make_3d(dtype)[::-1, 1:, ::3])
    check_arrays(func, np.array(values(2, dtype)[1]))


def test_ravel_shares_memory_exactly_when_numpy_does():
    # A C-contiguous array ravels to a view; anything else to a copy. flatten always copies.
    m = np.arange(12.0).reshape(3, 4)
    for a in (m, m[1:], np.asfortranarray(m), m.T, m[:, ::2], m[::-1], np.arange(5.0)[::-1]):
        for func in (m_ravel, f_ravel):
            assert np.shares_memory(ferrojit.njit(func)(a), a) == np.shares_memory(func(a), a)
        assert not np.shares_memory(ferrojit.njit(m_flatten)(a), a)


# --- T and transpose --------------------------------------------------------------------------------

def m_T(a):
    return a.T


def f_transpose(a):
    return np.transpose(a)


def m_T_T(a):
    return a.T.T


def T_write(a):
    t = a.T
    t[0, 1] = -1.0
    return a


@pytest.mark.parametrize("func", [m_T, f_transpose, m_T_T], ids=case_id)
def test_transpose(func):
    arrays = [make_2d(v) for v in VIEWS_2D] + [make_1d("reversed"), make_3d(), make_3d(order="F")[::-1],
                                                np.array(1.0), make_3d(np.complex64)]
    for a in arrays:
        check_arrays(func, a)
        got = ferrojit.njit(func)(a)
        assert got.strides == func(a).strides
        if a.size:
            assert np.shares_memory(got, a)


def test_transpose_writes_through():
    for view in ("C", "F", "both_reversed"):
        check_arrays(T_write, make_2d(view))


# --- astype ---------------------------------------------------------------------------------------

def as_bool(a):
    return a.astype(np.bool_)


def as_int8(a):
    return a.astype(np.int8)


def as_int16(a):
    return a.astype(np.int16)


def as_int32(a):
    return a.astype(np.int32)


def as_int64(a):
    return a.astype(np.int64)


def as_uint8(a):
    return a.astype(np.uint8)


def as_uint16(a):
    return a.astype(np.uint16)


def as_uint32(a):
    return a.astype(np.uint32)


def as_uint64(a):
    return a.astype(np.uint64)


def as_float32(a):
    return a.astype(np.float32)


def as_float64(a):
    return a.astype(np.float64)


def as_complex64(a):
    return a.astype(np.complex64)


def as_complex128(a):
    return a.astype(np.complex128)


def as_builtin_float(a):
    return a.astype(float)


def as_builtin_int(a):
    return a.astype(int)


def as_same(a):
    return a.astype(a.dtype)


AS_REAL = [as_bool, as_int8, as_int16, as_int32, as_int64, as_uint8, as_uint16, as_uint32, as_uint64,
           as_float32, as_float64]
AS_COMPLEX = [as_complex64, as_complex128]


def astype_source(dtype):
    """Values whose conversion to every target NumPy defines (no NaN, infinities or floats past
    the integer types' ranges, whose results NumPy calls undefined: see
    test_astype_of_undefined_float_conversions)."""
    dt = np.dtype(dtype)
    if dt.kind == "f":
        return np.array([0.0, 1.9, -1.9, 100.5, -0.0, 3.0], dtype=dt)
    if dt.kind == "c":
        return np.array([0, 1.5 - 2j, -1j, 3, -2.5 + 1j], dtype=dt)
    return values(9, dt)


@pytest.mark.parametrize("src", REALS, ids=dtype_id)
@pytest.mark.parametrize("func", AS_REAL + AS_COMPLEX + [as_builtin_float, as_builtin_int, as_same], ids=case_id)
def test_astype_real_sources(func, src):
    # Negative floats to unsigned types included: NumPy's casts go through a signed integer
    # (-1.9 -> uint8 is 255), and so do ferrojit's.
    a = astype_source(src)
    check_arrays(func, a)
    check_arrays(func, a[::-1])
    check_arrays(func, np.asfortranarray(np.stack([a, a[::-1]])))


@pytest.mark.parametrize("src", COMPLEXES, ids=dtype_id)
@pytest.mark.parametrize("func", AS_REAL + AS_COMPLEX + [as_builtin_float, as_builtin_int, as_same], ids=case_id)
def test_astype_complex_sources(func, src):
    # To a real type NumPy keeps the real part (and warns with ComplexWarning; compiled code does
    # not warn). To bool, a value is True when either part is nonzero.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", np.exceptions.ComplexWarning)
        check_arrays(func, astype_source(src))
        check_arrays(func, astype_source(src)[::-2])


# Finite floats past a narrow integer type's range: NumPy converts through a 32-bit integer and
# keeps its low bits (300.5 -> int8 is 44).
NARROW_WRAPS = np.array([300.5, -200.7, 70000.2, -40000.9, 1e9, -2e9])


@pytest.mark.parametrize("func", [as_int8, as_uint8, as_int16, as_uint16], ids=case_id)
def test_astype_of_floats_past_narrow_ranges(func):
    check_arrays(func, NARROW_WRAPS)
    check_arrays(func, NARROW_WRAPS.astype(np.float32))


@pytest.mark.parametrize("func", [as_int8, as_uint8, as_int16, as_uint16, as_int32, as_uint32, as_int64, as_uint64, as_builtin_int], ids=case_id)
def test_astype_of_undefined_float_conversions(func):
    # NaN, infinities and values past every integer type: NumPy warns and gives a
    # platform-defined value; compiled code gives a value of the right type without raising
    # (unlike `int(x)`, which raises as Python does), and converts the defined values beside
    # them exactly.
    a = np.array([np.nan, 2.5, np.inf, -7.0, -np.inf, 1e30, -1e30, 12.0])
    with np.errstate(invalid="ignore"):
        expected = func(a)
    got = ferrojit.njit(func)(a)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    defined = [1, 3, 7]
    assert got[defined].tolist() == expected[defined].tolist()


WRAP_SOURCES = [
    np.array([300, -1, 127, 128], np.int64), np.array([2 ** 64 - 1, 2 ** 63], np.uint64), np.array([-1, 5], np.int64),
]
# NaN, inf and out-of-range floats converted to integers are undefined behaviour: only to float32
# and bool.
SPECIAL_FLOATS = [np.array([1e300, np.inf, np.nan, 0.1]), np.array([0.0, 0.5, np.nan, -0.0, np.inf])]


@pytest.mark.parametrize("func, a", [
    (f, a) for f in (as_int8, as_uint8, as_int64, as_uint64, as_float32, as_bool) for a in WRAP_SOURCES
] + [(f, a) for f in (as_float32, as_bool) for a in SPECIAL_FLOATS], ids=lambda v: case_id(v) if callable(v) else str(v.dtype))
def test_astype_wrapping_and_special_values(func, a):
    check_arrays(func, a)


@pytest.mark.parametrize("func", AS_REAL, ids=case_id)
def test_astype_is_a_copy(func):
    for a in (np.arange(6.0), np.arange(6.0).reshape(2, 3).T, np.zeros((3, 0)), np.array(2.0)):
        got = ferrojit.njit(func)(a)
        assert_same_array(got, func(a))
        assert not np.shares_memory(got, a)
        assert got.flags.writeable


def test_methods_on_readonly_give_writeable_copies():
    a = readonly(np.arange(6.0).reshape(2, 3))
    for func in (m_copy, f_copy, m_flatten, as_int32):
        got = ferrojit.njit(func)(a)
        assert_same_array(got, func(a))
        assert got.flags.writeable
