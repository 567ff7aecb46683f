"""NumPy arrays as arguments: signatures and layouts, attributes, element access, views by
slicing, stores, fill, iteration, read-only arrays and bounds checking.

Every test runs the function compiled and as plain Python (see helpers.check_arrays): results
must have the same type and value (ndarrays: dtype, shape and values), and arrays the function
writes into must end up the same."""
import numpy as np
import pytest

import ferrojit
from array_cases import (
    ALL_DTYPES, VIEWS_1D, VIEWS_2D, dtype_id, extremes, make_1d, make_2d, make_3d, readonly, values,
)
import helpers
from helpers import assert_same_array, case_id

# One dispatcher per function for the whole module: a row compiles only the argument types it
# is the first to meet.
_COMPILED = {}


def check_arrays(pyfunc, *args, **kwargs):
    """`helpers.check_arrays` with the module's dispatcher of `pyfunc`."""
    return helpers.check_arrays(pyfunc, *args, compiled=_COMPILED, **kwargs)


# --- signatures: dtype, ndim and layout ---------------------------------------------------------

def ndim_of(a):
    return a.ndim


def _readonly_1d():
    return readonly(np.arange(3.0))


@pytest.mark.parametrize("make, expected", [
    (lambda: np.arange(5.0), "array(float64, 1d, C)"),
    (lambda: np.arange(5.0)[1:4], "array(float64, 1d, C)"),
    (lambda: np.arange(5.0)[::2], "array(float64, 1d, A)"),
    (lambda: np.arange(5.0)[::-1], "array(float64, 1d, A)"),
    (lambda: np.zeros((3, 4)), "array(float64, 2d, C)"),
    (lambda: np.zeros((3, 4), order="F"), "array(float64, 2d, F)"),
    (lambda: np.asfortranarray(np.zeros((3, 4)), dtype=np.complex64), "array(complex64, 2d, F)"),
    (lambda: np.zeros((3, 4)).T, "array(float64, 2d, F)"),
    (lambda: np.zeros((3, 4))[:, ::2], "array(float64, 2d, A)"),
    (lambda: np.zeros((3, 4))[::2], "array(float64, 2d, A)"),
    (lambda: np.zeros((3, 4))[:, 1:3], "array(float64, 2d, A)"),
    (lambda: np.zeros((3, 4))[1:], "array(float64, 2d, C)"),
    (lambda: np.zeros((2, 3, 4), np.uint8, order="F"), "array(uint8, 3d, F)"),
    (lambda: np.array(1.5), "array(float64, 0d, C)"),
    (lambda: np.zeros(0), "array(float64, 1d, C)"),
    (lambda: np.zeros((3, 0)), "array(float64, 2d, C)"),
    (lambda: np.zeros(2, np.bool_), "array(bool, 1d, C)"),
    (lambda: np.zeros(2, np.int8), "array(int8, 1d, C)"),
    (lambda: np.zeros(2, np.uint64), "array(uint64, 1d, C)"),
    (lambda: np.zeros(2, np.float32), "array(float32, 1d, C)"),
    (lambda: np.zeros(2, np.complex128), "array(complex128, 1d, C)"),
    (_readonly_1d, "readonly array(float64, 1d, C)"),
], ids=lambda v: v if isinstance(v, str) else None)
def test_signature_names_dtype_ndim_layout(make, expected):
    # A fresh dispatcher for each case: a dispatcher may run an argument through a compatible
    # specialisation compiled earlier (C through A), which would hide the new signature.
    a = make()
    f = ferrojit.njit(ndim_of)
    assert f(a) == a.ndim
    assert [str(t) for t in f.signatures[0]] == [expected]
    assert f.signatures[0][0] == ferrojit.types.Type(expected)


def test_layouts_compile_separately():
    f = ferrojit.njit(ndim_of)
    m = np.zeros((3, 4))
    for a in (m, np.asfortranarray(m), m[:, ::2]):
        assert f(a) == 2
    assert [str(s[0]) for s in f.signatures] == [
        "array(float64, 2d, C)", "array(float64, 2d, F)", "array(float64, 2d, A)",
    ]


# --- attributes --------------------------------------------------------------------------------

def attrs(a):
    return a.shape, a.ndim, a.size, len(a)


def shape_unpack(a):
    n, m = a.shape
    return n * 100 + m


def attrs_0d(a):
    return a.shape, a.ndim, a.size


@pytest.mark.parametrize("view", VIEWS_1D)
def test_attributes_1d(view):
    check_arrays(attrs, make_1d(view))


@pytest.mark.parametrize("view", VIEWS_2D)
def test_attributes_2d(view):
    check_arrays(attrs, make_2d(view))
    check_arrays(shape_unpack, make_2d(view))


@pytest.mark.parametrize("order", ["C", "F"])
def test_attributes_3d(order):
    check_arrays(attrs, make_3d(order=order))


@pytest.mark.parametrize("dtype", ALL_DTYPES, ids=dtype_id)
def test_attributes_every_dtype(dtype):
    check_arrays(attrs, values(5, dtype))
    check_arrays(attrs_0d, np.array(values(1, dtype)[0]))


def len_of(a):
    return len(a)


def test_len_of_0d_is_a_typing_error():
    # NumPy raises TypeError at run time; compiled code rejects it while typing (as Numba).
    with pytest.raises(ferrojit.errors.TypingError):
        ferrojit.njit(len_of)(np.array(1.0))


# --- element access ----------------------------------------------------------------------------

def get1(a, i):
    return a[i]


def get2(a, i, j):
    return a[i, j]


def get3(a, i, j, k):
    return a[i, j, k]


def get_row_then_element(a, i, j):
    return a[i][j]


@pytest.mark.parametrize("view", [v for v in VIEWS_1D if not v.startswith("empty")])
def test_get_every_index_1d_including_negative(view):
    a = make_1d(view)
    for i in range(-len(a), len(a)):
        check_arrays(get1, a, i)


@pytest.mark.parametrize("view", [v for v in VIEWS_2D if not v.startswith("empty")])
def test_get_every_index_2d_including_negative(view):
    a = make_2d(view)
    n, m = a.shape
    for i in range(-n, n):
        for j in range(-m, m):
            check_arrays(get2, a, i, j)
        check_arrays(get_row_then_element, a, i, -1)


@pytest.mark.parametrize("order", ["C", "F"])
def test_get_3d(order):
    a = make_3d(order=order)
    for idx in [(0, 0, 0), (1, 2, 3), (-1, -1, -1), (1, -3, 2), (-2, 1, -4)]:
        check_arrays(get3, a, *idx)


@pytest.mark.parametrize("dtype", ALL_DTYPES, ids=dtype_id)
def test_get_every_dtype_extremes(dtype):
    # Elements come back as the Python scalar of the same kind (int, float, complex, bool).
    a = extremes(dtype)
    for i in range(len(a)):
        check_arrays(get1, a, i)
        check_arrays(get1, a[::-1], -i - 1)


@pytest.mark.parametrize("index", [np.int8(-1), np.uint8(200), np.int16(3), np.uint64(5), np.int32(-300)],
                         ids=case_id)
def test_index_of_any_integer_type(index):
    check_arrays(get1, np.arange(300.0), index)


@pytest.mark.parametrize("view", VIEWS_2D)
def test_partial_index_2d_gives_a_row_view(view):
    a = make_2d(view)
    for i in range(-a.shape[0], a.shape[0]):
        check_arrays(get1, a, i)


def test_partial_index_shares_memory_with_the_argument():
    a = np.arange(12.0).reshape(3, 4)
    f = ferrojit.njit(get1)
    for arg in (a, np.asfortranarray(a), a[::-1, ::-2]):
        row = f(arg, 1)
        assert np.shares_memory(row, arg)
        assert row.strides == arg[1].strides


@pytest.mark.parametrize("order", ["C", "F"])
def test_partial_index_3d(order):
    a = make_3d(order=order)
    check_arrays(get1, a, 1)
    check_arrays(get1, a, -2)
    check_arrays(get2, a, 1, -1)
    check_arrays(get2, a, -2, 0)


def get_0d(a):
    return a[()]


@pytest.mark.parametrize("dtype", ALL_DTYPES, ids=dtype_id)
def test_get_0d(dtype):
    check_arrays(get_0d, np.array(values(3, dtype)[1]))


# --- slices: views with steps ------------------------------------------------------------------

def sl_lower(a):
    return a[3:]


def sl_upper(a):
    return a[:5]


def sl_both(a):
    return a[2:9]


def sl_negative_bounds(a):
    return a[-5:-1]


def sl_step(a):
    return a[1:10:3]


def sl_reverse(a):
    return a[::-1]


def sl_reverse_step(a):
    return a[::-3]


def sl_reverse_bounds(a):
    return a[8:2:-2]


def sl_reverse_from_end(a):
    return a[-1:-20:-2]


def sl_out_of_range(a):
    return a[-100:100]


def sl_out_of_range_reversed(a):
    return a[100:-100:-1]


def sl_empty(a):
    return a[5:2]


def sl_empty_reversed(a):
    return a[2:5:-1]


def sl_huge_step(a):
    return a[::100]


def sl_huge_negative_step(a):
    return a[::-100]


def sl_none_literals(a):
    return a[None:None:None]


def sl_chained(a):
    return a[::-1][1::3][::-2]


def sl_full(a):
    return a[:]


SLICES_1D = [
    sl_lower, sl_upper, sl_both, sl_negative_bounds, sl_step, sl_reverse, sl_reverse_step,
    sl_reverse_bounds, sl_reverse_from_end, sl_out_of_range, sl_out_of_range_reversed, sl_empty,
    sl_empty_reversed, sl_huge_step, sl_huge_negative_step, sl_none_literals, sl_chained, sl_full,
]


@pytest.mark.parametrize("view", VIEWS_1D)
@pytest.mark.parametrize("func", SLICES_1D, ids=case_id)
def test_slices_1d(func, view):
    check_arrays(func, make_1d(view))


def sl_vars(a, i, j, k):
    return a[i:j:k]


def sl_vars_start(a, i):
    return a[i:]


def sl_vars_stop(a, j):
    return a[:j]


@pytest.mark.parametrize("start, stop, step", [
    (0, 12, 1), (2, 9, 2), (9, 2, -2), (11, -13, -1), (-1, -13, -3), (-100, 100, 1),
    (100, -100, -1), (5, 5, 1), (5, 5, -1), (0, 12, 20), (11, 0, -20), (3, 100, 4), (-3, 12, 2),
    (7, -100, -4),
], ids=case_id)
@pytest.mark.parametrize("view", ["contiguous", "reversed", "step2"])
def test_slices_with_variable_bounds(view, start, stop, step):
    a = make_1d(view)
    check_arrays(sl_vars, a, start, stop, step)
    check_arrays(sl_vars_start, a, start)
    check_arrays(sl_vars_stop, a, stop)


def sl_vars_step(a, k):
    return a[::k]


# Python clamps slice bounds beyond the largest int64 to it; a uint64 of 2**63 or more is
# such a bound, not a negative one.
@pytest.mark.parametrize("bound", [np.uint64(2**63), np.uint64(2**64 - 1), np.uint64(2)], ids=["2**63", "2**64-1", "2"])
@pytest.mark.parametrize("func", [sl_vars_start, sl_vars_stop, sl_vars_step], ids=case_id)
def test_uint64_slice_bounds_beyond_int64_clamp_as_numpy(func, bound):
    check_arrays(func, make_1d("reversed"), bound)
    check_arrays(func, make_1d("contiguous"), bound, options={"boundscheck": True})


def sl_step_zero(a, k):
    return a[::k]


def test_slice_step_zero_raises_value_error():
    check_arrays(sl_step_zero, np.arange(5.0), 0)


def sl2_cols_step(a):
    return a[:, ::2]


def sl2_rows_reversed(a):
    return a[::-1]


def sl2_both_reversed(a):
    return a[::-2, ::-1]


def sl2_inner(a):
    return a[1:, :-1]


def sl2_row_slice(a):
    return a[1, ::-1]


def sl2_col(a):
    return a[:, 1]


def sl2_col_reversed_rows(a):
    return a[::-1, 2]


def sl2_negative_row_col_slice(a):
    return a[-1, 1:4]


def sl2_empty(a):
    return a[2:1, :]


def sl2_then_index(a):
    return a[1:, ::-2][0]


SLICES_2D = [
    sl2_cols_step, sl2_rows_reversed, sl2_both_reversed, sl2_inner, sl2_row_slice, sl2_col,
    sl2_col_reversed_rows, sl2_negative_row_col_slice, sl2_empty, sl2_then_index,
]


@pytest.mark.parametrize("view", [v for v in VIEWS_2D if not v.startswith("empty") and v not in ("one_row", "one_col")])
@pytest.mark.parametrize("func", SLICES_2D, ids=case_id)
def test_slices_2d(func, view):
    check_arrays(func, make_2d(view))


def sl3_mixed(a):
    return a[1, :, ::-1]


def sl3_middle(a):
    return a[:, 1]


def sl3_reversed_index(a):
    return a[::-1, 2]


def sl3_all(a):
    return a[-1, ::2, 1:3]


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("func", [sl3_mixed, sl3_middle, sl3_reversed_index, sl3_all], ids=case_id)
def test_slices_3d(func, order):
    check_arrays(func, make_3d(order=order))


@pytest.mark.parametrize("func", [sl_reverse, sl_step, sl_reverse_bounds, sl2_cols_step, sl2_both_reversed, sl2_col],
                         ids=case_id)
def test_slices_are_views_with_numpy_strides(func):
    a = np.arange(48.0).reshape(6, 8) if func.__name__.startswith("sl2") else np.arange(12.0)
    got = ferrojit.njit(func)(a)
    expected = func(a)
    assert np.shares_memory(got, a)
    assert got.strides == expected.strides
    assert_same_array(got, expected)


@pytest.mark.parametrize("dtype", ALL_DTYPES, ids=dtype_id)
def test_slices_every_dtype(dtype):
    a = values(12, dtype)
    for func in (sl_reverse_step, sl_step, sl_chained):
        check_arrays(func, a)
    check_arrays(sl2_both_reversed, values(24, dtype).reshape(4, 6))


# --- stores ------------------------------------------------------------------------------------

def set1(a, i, v):
    a[i] = v


def set2(a, i, j, v):
    a[i, j] = v


def set3(a, i, j, k, v):
    a[i, j, k] = v


def set_several(a, v):
    a[0] = v
    a[-1] = v
    a[len(a) // 2] = a[0]
    return a


@pytest.mark.parametrize("view", [v for v in VIEWS_1D if not v.startswith("empty")])
def test_set_every_index_1d(view):
    for i in range(-len(make_1d(view)), len(make_1d(view))):
        check_arrays(set1, make_1d(view), i, 99.5)


@pytest.mark.parametrize("view", [v for v in VIEWS_2D if not v.startswith("empty")])
def test_set_every_index_2d(view):
    n, m = make_2d(view).shape
    for i in range(-n, n):
        for j in range(-m, m):
            check_arrays(set2, make_2d(view), i, j, -7.25)


@pytest.mark.parametrize("order", ["C", "F"])
def test_set_3d(order):
    for idx in [(0, 0, 0), (1, 2, 3), (-1, -1, -1), (1, -3, 2)]:
        check_arrays(set3, make_3d(order=order), *idx, 1000.0)


def test_set_writes_through_to_the_caller():
    a = np.zeros((3, 4))
    v = a[::-1, ::2]
    ferrojit.njit(set2)(v, 0, 1, 5.0)
    assert a[2, 2] == 5.0
    assert a.sum() == 5.0


# Value conversions on store follow Numba: the value is converted to the array's dtype (floats to
# integers truncate toward zero; out-of-range integers wrap).
@pytest.mark.parametrize("dtype, value", [
    (np.int64, 2.9), (np.int64, -2.9), (np.int32, 7), (np.int8, -128), (np.uint8, 255),
    (np.uint64, 2 ** 64 - 1), (np.int64, -(2 ** 63)), (np.uint16, True),
    (np.float32, 0.1), (np.float64, 3), (np.float64, True), (np.float32, np.float64(1e-3)),
    (np.complex64, 1.5 - 2j), (np.complex128, 2.5), (np.complex128, 3), (np.complex64, np.float32(0.5)),
    (np.bool_, 3), (np.bool_, 0), (np.bool_, 0.5), (np.bool_, True), (np.bool_, np.int8(0)),
], ids=case_id)
def test_set_converts_to_the_dtype(dtype, value):
    check_arrays(set_several, np.zeros(5, dtype), value)


@pytest.mark.parametrize("dtype, value, expected", [
    (np.uint8, 300, 44), (np.int8, 200, -56), (np.int8, -129, 127), (np.uint16, -1, 65535),
    (np.int32, np.uint64(2 ** 40 + 5), 5),
], ids=case_id)
def test_set_integer_wraps_like_numba(dtype, value, expected):
    # NumPy 2 raises OverflowError for an out-of-range Python int; Numba (and ferrojit) wrap.
    a = np.zeros(3, dtype)
    ferrojit.njit(set1)(a, 1, value)
    assert_same_array(a, np.array([0, expected, 0], dtype))


def copy_elements(a, b):
    a[0] = b[1]
    a[1] = b[0]
    a[-1] = b[-1]
    return a


@pytest.mark.parametrize("src", [np.float64, np.float32, np.int64, np.uint8, np.bool_], ids=dtype_id)
@pytest.mark.parametrize("dst", [np.float64, np.float32, np.int64, np.int16, np.uint32, np.complex128, np.complex64],
                         ids=dtype_id)
def test_store_element_of_another_array(dst, src):
    b = np.array([3, 7, 1], dtype=src)
    check_arrays(copy_elements, np.zeros(4, dst), b)


# --- slice assignment of a scalar --------------------------------------------------------------

def ss_range(a, v):
    a[1:3] = v
    return a


def ss_step(a, v):
    a[::2] = v
    return a


def ss_reverse_step(a, v):
    a[::-3] = v
    return a


def ss_all(a, v):
    a[:] = v
    return a


def ss_empty(a, v):
    a[5:2] = v
    return a


def ss_out_of_range(a, v):
    a[-100:100:5] = v
    return a


SS_1D = [ss_range, ss_step, ss_reverse_step, ss_all, ss_empty, ss_out_of_range]


@pytest.mark.parametrize("view", VIEWS_1D)
@pytest.mark.parametrize("func", SS_1D, ids=case_id)
def test_slice_assign_scalar_1d(func, view):
    check_arrays(func, make_1d(view), -1.5)


def ss2_row(a, v):
    a[1] = v
    return a


def ss2_col(a, v):
    a[:, 1] = v
    return a


def ss2_block_reversed(a, v):
    a[1:3, ::-2] = v
    return a


def ss2_rows(a, v):
    a[::-2] = v
    return a


def ss2_all(a, v):
    a[:, :] = v
    return a


SS_2D = [ss2_row, ss2_col, ss2_block_reversed, ss2_rows, ss2_all, ss_range]


@pytest.mark.parametrize("view", [v for v in VIEWS_2D if not v.startswith("empty") and v not in ("one_row", "one_col")])
@pytest.mark.parametrize("func", SS_2D, ids=case_id)
def test_slice_assign_scalar_2d(func, view):
    check_arrays(func, make_2d(view), 42.0)


def ss3(a, v):
    a[1, :, ::-2] = v
    a[0, 1] = v + 1
    return a


@pytest.mark.parametrize("order", ["C", "F"])
def test_slice_assign_scalar_3d(order):
    check_arrays(ss3, make_3d(order=order), 500.0)


@pytest.mark.parametrize("dtype, value", [
    (np.int64, 2.9), (np.int16, -3), (np.uint8, 200), (np.bool_, 3), (np.bool_, 0.0),
    (np.float32, 0.1), (np.complex64, 1j), (np.complex128, -2.5), (np.uint64, 2 ** 64 - 1),
], ids=case_id)
def test_slice_assign_converts_to_the_dtype(dtype, value):
    check_arrays(ss_reverse_step, values(10, dtype), value)
    check_arrays(ss2_block_reversed, values(24, dtype).reshape(4, 6), value)


def test_slice_assign_writes_through_to_the_caller():
    a = np.zeros((4, 6))
    ferrojit.njit(ss2_col)(a[::-1, 1:], 3.0)
    expected = np.zeros((4, 6))
    expected[:, 2] = 3.0
    assert_same_array(a, expected)


# --- fill ----------------------------------------------------------------------------------------

def fill(a, v):
    a.fill(v)
    return a


@pytest.mark.parametrize("view", VIEWS_1D)
def test_fill_1d_views(view):
    check_arrays(fill, make_1d(view), 2.5)


@pytest.mark.parametrize("view", VIEWS_2D)
def test_fill_2d_views(view):
    check_arrays(fill, make_2d(view), -0.0)


@pytest.mark.parametrize("dtype, value", [
    (np.float64, 1.0), (np.float32, 0.1), (np.int32, 2.7), (np.int8, -5), (np.uint64, 2 ** 64 - 1),
    (np.bool_, 2), (np.bool_, False), (np.complex128, 1 + 1j), (np.complex64, 3), (np.float64, np.nan),
], ids=case_id)
def test_fill_converts_to_the_dtype(dtype, value):
    check_arrays(fill, values(7, dtype), value)
    check_arrays(fill, make_3d(dtype, order="F"), value)


def fill_0d(a, v):
    a.fill(v)
    return a[()]


def test_fill_0d_and_empty():
    check_arrays(fill_0d, np.array(1.0), 7.5)
    check_arrays(fill, np.zeros(0), 7.5)
    check_arrays(fill, np.zeros((3, 0), np.int8), 1)


def test_fill_writes_through_a_view():
    a = np.zeros((4, 6))
    ferrojit.njit(fill)(a[1::2, ::-3], 9.0)
    expected = np.zeros((4, 6))
    expected[1::2, ::-3] = 9.0
    assert_same_array(a, expected)


# --- iteration -----------------------------------------------------------------------------------

def iter_copy(a):
    out = np.empty_like(a)
    i = 0
    for v in a:
        out[i] = v
        i += 1
    return out


def enumerate_copy(a):
    out = np.empty_like(a)
    for i, v in enumerate(a):
        out[i] = v
    return out


def iter_rows_copy(a):
    out = np.empty_like(a)
    for i, row in enumerate(a):
        for j, v in enumerate(row):
            out[i, j] = v
    return out


def iter_sum(a):
    s = 0.0
    for v in a:
        s += v
    return s


def iter_rows_sum(a):
    s = 0.0
    for row in a:
        for v in row:
            s += v
    return s


def iter_rows_len(a):
    n = 0
    for row in a:
        n += len(row) * 10 + 1
    return n


def iter_3d(a):
    s = 0.0
    k = 1.0
    for m in a:
        for r in m:
            for v in r:
                s += v * k
                k += 1.0
    return s


def iter_with_break(a, stop):
    s = 0.0
    for i, v in enumerate(a):
        if i == stop:
            break
        s += v
    else:
        s = -1.0
    return s


@pytest.mark.parametrize("view", VIEWS_1D)
@pytest.mark.parametrize("func", [iter_copy, enumerate_copy, iter_sum], ids=case_id)
def test_iterate_1d(func, view):
    check_arrays(func, make_1d(view))


@pytest.mark.parametrize("dtype", ALL_DTYPES, ids=dtype_id)
def test_iterate_every_dtype(dtype):
    # Copying element by element needs no arithmetic, so NumPy's scalar promotion rules (which
    # differ from Numba's) play no part: the values must come through unchanged.
    check_arrays(iter_copy, values(9, dtype)[::-2])
    check_arrays(enumerate_copy, extremes(dtype))
    check_arrays(iter_rows_copy, np.asfortranarray(values(12, dtype).reshape(3, 4)))


@pytest.mark.parametrize("view", VIEWS_2D)
@pytest.mark.parametrize("func", [iter_rows_copy, iter_rows_sum, iter_rows_len], ids=case_id)
def test_iterate_2d_rows_are_views(func, view):
    check_arrays(func, make_2d(view))


@pytest.mark.parametrize("order", ["C", "F"])
def test_iterate_3d(order):
    check_arrays(iter_3d, make_3d(order=order))
    check_arrays(iter_3d, make_3d(order=order)[::-1, :, ::-2])


@pytest.mark.parametrize("stop", [0, 3, 100])
def test_iterate_with_break_and_else(stop):
    check_arrays(iter_with_break, np.arange(10.0)[::-1], stop)


def iter_rows_are_views(a):
    for row in a:
        row[0] = -1.0
    return a


@pytest.mark.parametrize("view", ["C", "F", "T", "both_reversed", "cols_step2"])
def test_iterated_rows_write_through(view):
    check_arrays(iter_rows_are_views, make_2d(view))


def zip_arrays(a, b):
    out = np.zeros(20)
    k = 0
    for x, y in zip(a, b):
        out[k] = x * 10 + y
        k += 1
    return out[:k]


def zip_three(a, b, n):
    s = 0.0
    for x, y, i in zip(a, b, range(n)):
        s += x * y + i
    return s


def zip_rows(a, b):
    s = 0.0
    for row, w in zip(a, b):
        s += row[0] * w + row[-1]
    return s


def enumerate_rows(a):
    s = 0.0
    for i, row in enumerate(a):
        s += i * row[0]
    return s


@pytest.mark.parametrize("va, vb", [
    ("contiguous", "contiguous"), ("reversed", "step2"), ("step2", "contiguous"), ("empty", "reversed"),
    ("rev_step3", "inner_slice"),
])
def test_zip_arrays(va, vb):
    a, b = make_1d(va), make_1d(vb, np.int64)
    check_arrays(zip_arrays, a, b)
    for n in (0, 2, 100):
        check_arrays(zip_three, a, b, n)


@pytest.mark.parametrize("view", ["C", "F", "T", "both_reversed", "empty_0x3"])
def test_zip_and_enumerate_2d(view):
    a = make_2d(view)
    check_arrays(zip_rows, a, np.arange(10.0)[::-1])
    check_arrays(enumerate_rows, a)


def iterate_0d(a):
    for v in a:
        return v
    return 0.0


def test_iterating_0d_is_a_compile_error():
    # NumPy raises TypeError ("iteration over a 0-d array") at run time; compiled code rejects it
    # while compiling.
    with pytest.raises(ferrojit.errors.CompileError):
        ferrojit.njit(iterate_0d)(np.array(1.0))


# --- read-only arrays ----------------------------------------------------------------------------

def read_things(a):
    s = 0.0
    for v in a[::-1]:
        s += v
    return a[1], a[-1], a.sum(), a.min(), a.max(), s, a.shape, a[1:3], a.T


def read_2d(a):
    s = 0.0
    for row in a:
        s += row[0]
    return a[1, 2], a[-1], a[:, ::2], s, a.copy(), a.ravel()


def copy_and_write(a):
    b = a.copy()
    b[0] = 100.0
    return b


@pytest.mark.parametrize("view", ["contiguous", "reversed", "step3_offset"])
def test_readonly_arrays_are_readable(view):
    a = readonly(make_1d(view).copy() if view == "contiguous" else make_1d(view))
    check_arrays(read_things, a)
    check_arrays(copy_and_write, a)


@pytest.mark.parametrize("view", ["C", "F", "both_reversed"])
def test_readonly_2d_arrays_are_readable(view):
    check_arrays(read_2d, readonly(make_2d(view)))


def test_readonly_signature_and_results():
    a = readonly(np.arange(6.0))
    f = ferrojit.njit(read_things)
    f(a)
    assert str(f.signatures[0][0]) == "readonly array(float64, 1d, C)"
    # A copy is writeable, the same array read-write gets its own specialisation.
    assert ferrojit.njit(copy_and_write)(a).flags.writeable
    f(np.arange(6.0))
    assert [str(s[0]) for s in f.signatures] == ["readonly array(float64, 1d, C)", "array(float64, 1d, C)"]


def w_setitem(a):
    a[0] = 1.0


def w_setitem_2d(a):
    a[0, 0] = 1.0


def w_slice(a):
    a[1:] = 0.0


def w_fill(a):
    a.fill(0.0)


def w_view(a):
    b = a[::-1]
    b[0] = 1.0


def w_transpose(a):
    a.T[0] = 1.0


def w_reshape(a):
    b = a.reshape(a.size)
    b[0] = 1.0


def w_ravel(a):
    b = a.ravel()
    b.fill(1.0)


def w_row(a):
    for row in a:
        row[0] = 1.0


def w_partial_index(a):
    a[0][0] = 1.0


@pytest.mark.parametrize("func, ndim", [
    (w_setitem, 1), (w_setitem_2d, 2), (w_slice, 1), (w_slice, 2), (w_fill, 1), (w_fill, 2),
    (w_view, 1), (w_transpose, 2), (w_reshape, 1), (w_ravel, 2), (w_row, 2), (w_partial_index, 2),
], ids=case_id)
def test_writing_a_readonly_array_is_a_typing_error(func, ndim):
    a = readonly(np.arange(6.0).reshape((6,) if ndim == 1 else (2, 3)))
    with pytest.raises(ferrojit.errors.TypingError):
        ferrojit.njit(func)(a)
    assert_same_array(a, np.arange(6.0).reshape(a.shape))
    # The same function compiles for a writeable array.
    ferrojit.njit(func)(np.arange(6.0).reshape(a.shape))


# --- bounds checking -----------------------------------------------------------------------------

@pytest.mark.parametrize("i", [3, 4, 100, -4, -5, -100])
def test_boundscheck_get_1d(i):
    # The compiled message is NumPy's.
    check_arrays(get1, np.arange(3.0), i, exc_msg=True, options={"boundscheck": True})


@pytest.mark.parametrize("i, j", [(2, 0), (0, 3), (-3, 0), (0, -4), (5, 5), (1, -100)])
def test_boundscheck_get_2d(i, j):
    check_arrays(get2, np.zeros((2, 3)), i, j, exc_msg=True, options={"boundscheck": True})
    check_arrays(get2, np.zeros((2, 3), order="F")[::-1], i, j, exc_msg=True, options={"boundscheck": True})


@pytest.mark.parametrize("i", [2, -3])
def test_boundscheck_partial_index(i):
    check_arrays(get1, np.zeros((2, 3)), i, exc_msg=True, options={"boundscheck": True})


@pytest.mark.parametrize("i", [3, -4])
def test_boundscheck_set(i):
    check_arrays(set1, np.zeros(3), i, 1.0, exc_msg=True, options={"boundscheck": True})
    check_arrays(set2, np.zeros((3, 3)), 0, i, 1.0, exc_msg=True, options={"boundscheck": True})


def col_of(a, j):
    return a[:, j]


def row_reversed(a, i):
    return a[i, ::-1]


def mixed_3d(a, i, j):
    return a[i, 1:, j]


def set_col(a, j, v):
    a[:, j] = v


@pytest.mark.parametrize("func, a, idx", [
    (col_of, np.zeros((3, 4)), (4,)), (col_of, np.zeros((3, 4)), (-5,)), (col_of, np.zeros((0, 4)), (7,)),
    (row_reversed, np.zeros((3, 4)), (3,)), (mixed_3d, np.zeros((2, 3, 4)), (1, 9)),
    (mixed_3d, np.zeros((2, 3, 4), order="F"), (-3, 0)), (set_col, np.zeros((3, 4)), (4, 1.0)),
    (col_of, np.zeros((3, 4)), (3,)), (mixed_3d, np.zeros((2, 3, 4)), (-2, -4)),
    # Any integer on an empty axis is out of range, whatever the other axes hold.
    (col_of, np.zeros((3, 0)), (1,)), (col_of, np.zeros((0, 0)), (0,)), (col_of, np.zeros((2, 0)), (-1,)),
    (set_col, np.zeros((3, 0)), (0, 1.0)), (row_reversed, np.zeros((0, 3)), (0,)), (mixed_3d, np.zeros((2, 0, 4)), (1, 0)),
], ids=lambda v: case_id(v) if callable(v) or isinstance(v, tuple) else "")
def test_boundscheck_index_mixed_with_slices(func, a, idx):
    check_arrays(func, a, *idx, exc_msg=True, options={"boundscheck": True})


# NumPy converts an integer index to a C long: a uint64 of 2**63 or more does not fit.
@pytest.mark.parametrize(
    "i",
    [np.uint64(2**63), np.uint64(2**64 - 1), np.array(2**63, dtype=np.uint64), np.array(2**64 - 1, dtype=np.uint64), np.uint64(3)],
    ids=["2**63", "2**64-1", "0d_2**63", "0d_2**64-1", "3"],
)
def test_boundscheck_uint64_index_beyond_int64_is_numpys_overflow_error(i):
    check_arrays(get1, np.arange(3.0), i, exc_msg=True, options={"boundscheck": True})
    check_arrays(col_of, np.zeros((2, 3)), i, exc_msg=True, options={"boundscheck": True})
    check_arrays(set_col, np.zeros((2, 3)), i, 1.0, exc_msg=True, options={"boundscheck": True})


def test_boundscheck_empty_array():
    check_arrays(get1, np.zeros(0), 0, exc_msg=True, options={"boundscheck": True})
    check_arrays(get1, np.zeros(0), -1, exc_msg=True, options={"boundscheck": True})


def test_boundscheck_in_range_indices_work():
    a = np.arange(12.0).reshape(3, 4)[::-1, ::2]
    for i in range(-3, 3):
        for j in range(-2, 2):
            check_arrays(get2, a, i, j, options={"boundscheck": True})
    check_arrays(set_several, np.zeros(4), 2.0, options={"boundscheck": True})


@pytest.mark.parametrize("func", [sl_out_of_range, sl_out_of_range_reversed, sl_huge_step, sl_empty], ids=case_id)
def test_boundscheck_slices_never_raise(func):
    check_arrays(func, np.arange(5.0), options={"boundscheck": True})


def test_boundscheck_in_loops():
    check_arrays(iter_rows_sum, np.arange(12.0).reshape(3, 4), options={"boundscheck": True})
    check_arrays(zip_arrays, np.arange(5.0), np.arange(3.0), options={"boundscheck": True})


def test_boundscheck_off_by_default():
    # Without boundscheck an out-of-range index is not checked (undefined behaviour, as in Numba),
    # so only in-range indices are run; they must not raise, and the option must not be on.
    f = ferrojit.njit(get1)
    assert f(np.arange(3.0), 2) == 2.0
    assert f(np.arange(3.0), -3) == 0.0


def get1_env(a, i):
    return a[i]


def get1_env_off(a, i):
    return a[i]


def test_boundscheck_from_environment_at_compile_time(monkeypatch):
    monkeypatch.setenv("FERROJIT_BOUNDSCHECK", "1")
    f = ferrojit.njit(get1_env)
    with pytest.raises(IndexError, match="index 3 is out of bounds for axis 0 with size 3"):
        f(np.arange(3.0), 3)
    # Read when compiling: the compiled specialisation keeps checking after the variable is gone.
    monkeypatch.delenv("FERROJIT_BOUNDSCHECK")
    with pytest.raises(IndexError):
        f(np.arange(3.0), -4)
    assert f(np.arange(3.0), -3) == 0.0
    # A function compiled without the variable does not raise for in-range indices.
    assert ferrojit.njit(get1_env_off)(np.arange(3.0), 1) == 1.0
