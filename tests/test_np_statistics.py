"""NumPy's nan-functions and statistics against NumPy: ``nansum``, ``nanprod``, ``nanmean``,
``nanvar``, ``nanstd``, ``nanmin``, ``nanmax``, ``nanargmin``, ``nanargmax``, ``nancumsum``,
``nancumprod``, ``ptp``, ``average``, ``cov``, ``corrcoef``: dtypes x layouts x axes, NaN and
infinite inputs, lanes of NaNs only, empty arrays, every keyword; the same dtype, shape and
values as NumPy's, or its exception and message; no leak on any path."""

import numpy as np
import pytest

import ferrojit
from ferrojit import njit

from array_cases import values
from helpers import check_arrays_compiled_once

# One dispatcher per function for the whole module: the axes are run-time values, so a row
# compiles only the argument types it is the first to meet.
_COMPILED = {}


def check_arrays(pyfunc, *args, rel=None, exc_msg=True):
    """The same dtype, shape and values as NumPy's (floats within ``rel`` when given), or the
    same exception (and message with ``exc_msg``); the arguments unchanged alike."""
    return check_arrays_compiled_once(_COMPILED, pyfunc, *args, rel=rel, exc_msg=exc_msg)


def with_nans(dtype, n=60):
    """``values`` of ``dtype`` (exact sums and products: small multiples of 1/4) with NaNs
    (float and complex: in either part) and, in floats, infinities at fixed places."""
    a = values(n, dtype)
    if a.dtype.kind in "iu":
        return (a % 5 + 1).astype(dtype)
    if a.dtype.kind in "fc":
        a = a / 8
        a[3::7] = np.nan
        a[5] = np.inf
        a[11] = -np.inf
        if a.dtype.kind == "c":
            a[9::11] = complex(1.5, np.nan)
    return a


def layouts(dtype):
    """Arrays of ``dtype`` by layout, 3-dimensional; ``all_nan`` has a lane of NaNs only along
    every axis (the first along the last axis, and its first elements along the others)."""
    c = with_nans(dtype, 24).reshape(2, 3, 4)
    made = {
        "C": c,
        "F": np.asfortranarray(c),
        "strided": with_nans(dtype, 60).reshape(3, 4, 5)[::2, 1:, ::2],
        "negative": c[::-1, :, ::-2],
        "empty_middle": np.zeros((2, 0, 4), dtype),
    }
    if np.dtype(dtype).kind in "fc":
        all_nan = c.copy()
        all_nan[0, 0, :] = np.nan
        all_nan[:, 0, 0] = np.nan
        all_nan[0, :, 0] = np.nan
        made["all_nan"] = all_nan
    return made


# Every row compiles what its argument types need once (C-ordered arrays share one type, the
# layouts "strided" and "negative" another, and so do the integer axes): the table keeps the
# compiles few, the other layouts on fewer dtypes.
DTYPES = [np.bool_, np.int64, np.float32, np.float64, np.complex128]
LAYOUTS = ["C", "empty_middle", "all_nan"]
OTHER_LAYOUTS = ["F", "strided", "negative"]
AXES = [None, 0, -1, 2, 3, (0, 2)]


def nansum(a, axis):
    return np.nansum(a, axis=axis)


def nansum_kept(a, axis):
    return np.nansum(a, axis=axis, keepdims=True)


def nanprod(a, axis):
    return np.nanprod(a, axis=axis)


def nanmean(a, axis):
    return np.nanmean(a, axis=axis)


def nanmean_kept(a, axis):
    return np.nanmean(a, axis=axis, keepdims=True)


def nanvar(a, axis):
    return np.nanvar(a, axis=axis)


def nanvar_ddof(a, axis):
    return np.nanvar(a, axis=axis, ddof=2)


def nanstd(a, axis):
    return np.nanstd(a, axis=axis)


def nanmin(a, axis):
    return np.nanmin(a, axis=axis)


def nanmax(a, axis):
    return np.nanmax(a, axis=axis)


def nanmax_kept(a, axis):
    return np.nanmax(a, axis=axis, keepdims=True)


def nanargmin(a, axis):
    return np.nanargmin(a, axis=axis)


def nanargmax(a, axis):
    return np.nanargmax(a, axis=axis)


def nanargmax_kept(a, axis):
    return np.nanargmax(a, axis=axis, keepdims=True)


def nancumsum(a, axis):
    return np.nancumsum(a, axis=axis)


def nancumprod(a, axis):
    return np.nancumprod(a, axis=axis)


# The mean and the spreads divide: NumPy's sums add pairwise in blocks of 8, these in order,
# so the last bits may differ (the values summed are exact; the quotients and squares are not).
INEXACT = {nanmean: 1e-12, nanmean_kept: 1e-12, nanvar: 1e-12, nanvar_ddof: 1e-12, nanstd: 1e-12}
ONE_AXIS = {nanargmin, nanargmax, nanargmax_kept, nancumsum, nancumprod}
NAN_FUNCTIONS = [nansum, nanprod, nanmean, nanvar, nanstd, nanmin, nanmax, nanargmin, nanargmax, nancumsum, nancumprod]
# Forms with other keywords, and other dtypes and layouts, on fewer rows.
MORE_NAN_CASES = [
    (nansum_kept, np.float64, "C"),
    (nansum_kept, np.float64, "all_nan"),
    (nanmean_kept, np.float32, "all_nan"),
    (nanvar_ddof, np.float64, "all_nan"),
    (nanvar_ddof, np.complex128, "C"),
    (nanmax_kept, np.float64, "all_nan"),
    (nanargmax_kept, np.float64, "C"),
    (nansum, np.uint8, "C"),
    (nanmax, np.uint8, "negative"),
    (nancumsum, np.complex128, "F"),
    # Its first element is inf+0j: a product of the whole array starts from it, not 1 * it.
    (nancumprod, np.complex128, "strided"),
]


def _tolerance(func, dtype):
    rel = INEXACT.get(func)
    if rel is not None and np.dtype(dtype) in (np.float32, np.complex64):
        return 1e-5
    return rel


@pytest.mark.parametrize("axis", AXES, ids=lambda v: f"axis={v}")
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("func", NAN_FUNCTIONS, ids=lambda f: f.__name__)
def test_nan_functions(func, dtype, layout, axis):
    arrays = layouts(dtype)
    if layout not in arrays:
        pytest.skip("no NaN in this dtype")
    if func in ONE_AXIS and isinstance(axis, tuple):
        pytest.skip("NumPy takes one axis")
    check_arrays(func, arrays[layout], axis, rel=_tolerance(func, dtype))


@pytest.mark.parametrize("axis", [None, 1, -1, (0, 2)], ids=lambda v: f"axis={v}")
@pytest.mark.parametrize("layout", OTHER_LAYOUTS)
@pytest.mark.parametrize("dtype", [np.float64, np.int8], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("func", NAN_FUNCTIONS, ids=lambda f: f.__name__)
def test_nan_functions_of_other_layouts(func, dtype, layout, axis):
    test_nan_functions(func, dtype, layout, axis)


@pytest.mark.parametrize("axis", AXES, ids=lambda v: f"axis={v}")
@pytest.mark.parametrize("func, dtype, layout", MORE_NAN_CASES, ids=lambda v: v.__name__ if callable(v) else str(v))
def test_more_nan_functions(func, dtype, layout, axis):
    test_nan_functions(func, dtype, layout, axis)


def nansum_float64(a):
    return np.nansum(a, axis=1, dtype=np.float64)


def nansum_out(a, out):
    return np.nansum(a, axis=0, out=out)


def nansum_initial_where(a, mask):
    return np.nansum(a, initial=1.0, where=mask)


def nanprod_int32(a):
    return np.nanprod(a, dtype=np.int32)


def nanmean_float32(a):
    return np.nanmean(a, axis=(0, 1), dtype=np.float32)


def nanmean_where(a, mask):
    return np.nanmean(a, axis=1, where=mask)


def nanvar_float64(a):
    return np.nanvar(a, axis=-1, dtype=np.float64)


def nanstd_ddof_kept(a):
    return np.nanstd(a, axis=0, ddof=1, keepdims=True)


def nanmin_initial(a):
    return np.nanmin(a, axis=1, initial=-1.0)


def nanmin_where_without_initial(a, mask):
    return np.nanmin(a, where=mask)


def nanmax_out(a, out):
    return np.nanmax(a, axis=1, out=out)


def nanargmin_out(a, out):
    return np.nanargmin(a, axis=0, out=out)


def nancumsum_float32(a):
    return np.nancumsum(a, dtype=np.float32)


def nancumprod_out(a, out):
    return np.nancumprod(a, axis=1, out=out)


def _f64(*shape):
    return with_nans(np.float64, 60)[: int(np.prod(shape))].reshape(shape)


_MASK = np.array([True, False, True, True])

KEYWORD_CASES = [
    (nansum_float64, (with_nans(np.float32, 12).reshape(3, 4),)),
    (nansum_float64, (with_nans(np.int8, 12).reshape(3, 4),)),
    (nansum_out, (_f64(3, 4), np.zeros(4))),
    (nansum_out, (_f64(3, 4), np.zeros(4, np.float32))),
    (nansum_out, (_f64(3, 4), np.zeros(3))),
    (nansum_initial_where, (_f64(3, 4), _MASK)),
    (nanprod_int32, (with_nans(np.int8, 12).reshape(3, 4),)),
    (nanmean_float32, (_f64(3, 4),)),
    (nanmean_float32, (with_nans(np.int64, 24).reshape(2, 3, 4),)),
    (nanmean_where, (_f64(3, 4), _MASK)),
    (nanvar_float64, (with_nans(np.float32, 12).reshape(3, 4),)),
    (nanstd_ddof_kept, (_f64(3, 4),)),
    (nanstd_ddof_kept, (with_nans(np.complex128, 12).reshape(3, 4),)),
    (nanmin_initial, (_f64(3, 4),)),
    (nanmin_where_without_initial, (_f64(3, 4), _MASK)),
    (nanmax_out, (_f64(3, 4), np.zeros(3))),
    (nanmax_out, (_f64(3, 4), np.zeros(4))),
    (nanargmin_out, (_f64(3, 4), np.zeros(4, np.int64))),
    (nanargmin_out, (_f64(3, 4), np.zeros(4, np.int32))),
    (nancumsum_float32, (_f64(3, 4),)),
    (nancumprod_out, (_f64(3, 4), np.zeros((3, 4)))),
    (nancumprod_out, (_f64(3, 4), np.zeros((3, 5)))),
]


@pytest.mark.parametrize("func, args", KEYWORD_CASES, ids=lambda v: v.__name__ if callable(v) else "")
def test_nan_function_keywords(func, args):
    check_arrays(func, *args, rel=1e-12)


def nanmax_0d(a):
    return np.nanmax(a)


def nanargmin_0d(a):
    return np.nanargmin(a)


def nansum_0d(a):
    return np.nansum(a)


def nanmean_0d(a):
    return np.nanmean(a)


@pytest.mark.parametrize("func", [nanmax_0d, nanargmin_0d, nansum_0d, nanmean_0d], ids=lambda f: f.__name__)
@pytest.mark.parametrize("value", [2.5, np.nan, -np.inf], ids=repr)
def test_nan_functions_of_0d_arrays(func, value):
    check_arrays(func, np.array(value))


# --- ptp, average, cov, corrcoef ------------------------------------------------------------------


def ptp(a):
    return np.ptp(a)


def ptp_axis(a, axis):
    return np.ptp(a, axis=axis)


def ptp_kept(a):
    return np.ptp(a, axis=(0, 2), keepdims=True)


def ptp_out(a, out):
    return np.ptp(a, axis=0, out=out)


def average(a):
    return np.average(a)


def average_axis(a, axis):
    return np.average(a, axis=axis)


def average_returned(a):
    return np.average(a, axis=(0, 1), returned=True, keepdims=True)


def average_returned_whole(a):
    return np.average(a, returned=True)


def average_weighted(a, w):
    return np.average(a, weights=w)


def average_weighted_axis(a, w):
    return np.average(a, axis=-1, weights=w)


def average_weighted_returned(a, w):
    return np.average(a, axis=1, weights=w, returned=True)


def cov(m):
    return np.cov(m)


def cov_columns(m):
    return np.cov(m, rowvar=False)


def cov_bias(m):
    return np.cov(m, bias=True)


def cov_ddof(m, ddof):
    return np.cov(m, ddof=ddof)


def cov_two(m, y):
    return np.cov(m, y)


def cov_frequencies(m, f):
    return np.cov(m, fweights=f)


def cov_reliabilities(m, a):
    return np.cov(m, aweights=a)


def cov_both_weights(m, f, a):
    return np.cov(m, fweights=f, aweights=a, ddof=2)


def cov_both_weights_biased(m, f, a):
    return np.cov(m, fweights=f, aweights=a, bias=True)


def corrcoef(x):
    return np.corrcoef(x)


def corrcoef_two_columns(x, y):
    return np.corrcoef(x, y, rowvar=False)


_A = np.array([[1.5, -2.0, 3.0, 0.5], [2.0, 4.5, -1.0, 0.25], [0.0, 1.0, 2.0, 3.0]])
_W = np.array([1.0, 2.0, 0.5, 0.0])

STATISTICS_FUNCTIONS = [ptp, ptp_kept, average, average_returned, average_returned_whole, cov, cov_columns, cov_bias, corrcoef]
STATISTICS_ARRAYS = {
    "float64": _A,
    "int8": _A.astype(np.int8),
    "uint8": (_A * 10 % 7).astype(np.uint8),
    "float32": _A.astype(np.float32),
    "complex128": _A + 1j * _A[::-1],
    "bool": _A > 1,
    "transposed": _A.T,
    "negative": _A[::-1, ::-2],
    "nan": np.where(_A == 3.0, np.nan, _A),
    "one_row": _A[:1],
    "1d": _A[1],
    "constant_1d": np.ones(4),
    "empty": np.zeros((0, 4)),
}


@pytest.mark.parametrize("name", list(STATISTICS_ARRAYS))
@pytest.mark.parametrize("func", STATISTICS_FUNCTIONS, ids=lambda f: f.__name__)
def test_statistics(func, name):
    a = STATISTICS_ARRAYS[name]
    if func in (ptp_kept, average_returned) and a.ndim < 3:
        a = a.reshape(a.shape[:1] + (1,) + a.shape[1:]) if a.ndim == 2 else a.reshape(1, 1, -1)
    if func in (cov, cov_columns, cov_bias, corrcoef) and name == "one_row":
        pytest.skip("NumPy squeezes one variable given as a 2-d array to 0-d: here it stays 1 x 1 (see test_one_variable_stays_a_matrix)")
    # The means add in order, NumPy's pairwise (and its covariance products through BLAS).
    check_arrays(func, a, rel=1e-12 if np.dtype(a.dtype) != np.float32 else 1e-6)


STATISTICS_CASES = [
    (ptp_axis, (_A, 1)),
    (ptp_axis, (_A.astype(np.int8) * 60, 0)),
    (ptp_axis, (_A, 2)),
    (ptp_axis, (np.zeros((0, 3)), 1)),
    (ptp_axis, (np.zeros((0, 3)), 0)),
    (ptp_out, (_A, np.zeros(4))),
    (ptp_out, (_A, np.zeros(3))),
    (average_axis, (_A, 0)),
    (average_axis, (_A.astype(np.int64), -1)),
    (average_axis, (_A, (0, 1))),
    (average_axis, (np.zeros((0, 3)), 0)),
    (average_weighted, (_A, _A * 0 + 2)),
    (average_weighted, (_A.astype(np.int8), _A.astype(np.float32))),
    (average_weighted, (_A.astype(np.float32), _A.astype(np.float32))),
    (average_weighted, (_A, np.zeros((3, 4)))),
    (average_weighted, (_A, _W)),
    (average_weighted, (_A, _A[:, :2])),
    (average_weighted_axis, (_A, _W)),
    (average_weighted_axis, (_A.astype(np.int16), _W.astype(np.int64))),
    (average_weighted_axis, (_A + 1j, _W)),
    (average_weighted_axis, (_A, _W[:3])),
    (average_weighted_axis, (_A, np.zeros(4))),
    (average_weighted_axis, (_A, _A[:, :2])),
    (average_weighted_returned, (_A, _A)),
    (average_weighted_returned, (_A, _W)),
    (cov_ddof, (_A, 0)),
    (cov_ddof, (_A, 3)),
    (cov_ddof, (_A, 4)),
    (cov_ddof, (_A, 6)),
    (cov_two, (_A, _A[::-1])),
    (cov_two, (_A[0], _A[1])),
    (cov_two, (_A, _A[:, :3]), "class"),
    (cov_two, (_A.astype(np.float32), (_A > 1))),
    (cov_frequencies, (_A, np.array([1, 2, 0, 3]))),
    (cov_frequencies, (_A[0], np.array([1, 2, 0, 3]))),
    (cov_frequencies, (_A, np.array([1, 2, 0]))),
    (cov_frequencies, (_A, np.array([0, 1, -1, 2]))),
    (cov_frequencies, (_A, np.array([1.5, 2.0, 0.0, 3.0]))),
    (cov_reliabilities, (_A, _W)),
    (cov_reliabilities, (_A + 1j, _W)),
    (cov_reliabilities, (_A, -_W)),
    (cov_both_weights, (_A, np.array([1, 2, 0, 3]), _W)),
    (cov_both_weights_biased, (_A, np.array([1, 2, 0, 3]), _W)),
    (corrcoef_two_columns, (_A, _A[::-1] + 1j)),
    (corrcoef_two_columns, (_A[0], _A[1])),
]


# Rows marked "class": NumPy's message names the sizes, compiled code raises constant messages.
@pytest.mark.parametrize(
    "func, args, check", [(row + ("message",))[:3] for row in STATISTICS_CASES], ids=lambda v: v.__name__ if callable(v) else ""
)
def test_statistics_keywords(func, args, check):
    check_arrays(func, *args, rel=1e-12, exc_msg=check == "message")


def test_one_variable_stays_a_matrix():
    # NumPy's cov of one variable given as a 2-d array is 0-d; the number of variables is
    # known when the call runs only, so compiled code keeps the 1 x 1 matrix of the same value.
    got = njit(cov)(_A[:1])
    assert got.shape == (1, 1) and got[0, 0] == pytest.approx(float(np.cov(_A[:1])), rel=1e-12)


def nan_functions_together(a, axis):
    return (
        np.nansum(a, axis=axis).sum()
        + np.nanmean(a, axis=axis).sum()
        + np.nanstd(a, axis=axis).sum()
        + np.nanmax(a, axis=axis).sum()
        + np.nanargmin(a, axis=axis).sum()
        + np.nancumprod(a, axis=axis).sum()
        + np.ptp(a, axis=axis).sum()
        + np.average(a, axis=axis, weights=a[0, 0]).sum()
        + np.cov(a[0]).sum()
        + np.corrcoef(a[0]).sum()
    )


@pytest.mark.parametrize("axis", [1, 3], ids=["axis", "axis_out_of_range_raises"])
@pytest.mark.parametrize("layout", ["C", "all_nan"])
def test_nan_functions_leak_nothing(layout, axis):
    a = layouts(np.float64)[layout]
    check_arrays(nan_functions_together, a, axis, rel=1e-12)
    f = _COMPILED[nan_functions_together]
    before = ferrojit._native.live_allocations()
    for _ in range(100):
        try:
            f(a, axis)
        except (ValueError, IndexError):
            pass
    assert ferrojit._native.live_allocations() == before
