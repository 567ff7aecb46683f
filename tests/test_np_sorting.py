"""Sorting against NumPy: ``np.sort``, ``a.sort()``, ``argsort`` (every kind; stable kinds keep
ties in order), over every dtype (NaN last, complex numbers in NumPy's order), layouts and axes;
their errors; no leak."""

import gc

import numpy as np
import pytest

from ferrojit import _native, njit

from array_cases import dtype_id
from helpers import _assert_raises_like, _clone_arg, _run_python_quiet, assert_same_array, assert_same_value, to_python

_COMPILED = {}
# A dtype of each kind and width class (each compiles the sorts once more).
DTYPES = [np.bool_, np.int8, np.uint16, np.int64, np.uint64, np.float32, np.float64, np.complex64, np.complex128]


def check_arrays(pyfunc, *args, flags=True):
    """The same dtype, shape, values (sign of zeros included) and flags as NumPy's result, the
    same arguments after the call, or the same exception and message; each function compiled
    once for the module. ``flags=False``: the memory order is not compared."""
    cfunc = _COMPILED.setdefault(pyfunc, njit(pyfunc))
    py_args = tuple(_clone_arg(a) for a in args)
    try:
        expected = _run_python_quiet(pyfunc, *py_args)
    except Exception as exc:  # noqa: BLE001 - any exception NumPy raises must be reproduced
        return _assert_raises_like(exc, True, cfunc, *args)
    got = cfunc(*args)
    assert_same_value(got, to_python(expected))
    # A new array's memory order (not that of an argument returned, whose copy above is C).
    if flags and isinstance(expected, np.ndarray) and expected.ndim > 1 and not any(expected is p for p in py_args):
        assert (got.flags.c_contiguous, got.flags.f_contiguous) == (expected.flags.c_contiguous, expected.flags.f_contiguous)
    for a, p in zip(args, py_args):
        if isinstance(a, np.ndarray):
            assert_same_array(a, p, where="argument after the call")
    return got


def with_ties(n, dtype, seed=0, signed_zeros=False):
    """``n`` values of ``dtype`` with many ties, NaNs among floats (in either part of complex
    numbers), zeros of both signs when ``signed_zeros``."""
    rng = np.random.default_rng(seed)
    dt = np.dtype(dtype)
    if dt.kind == "b":
        return rng.integers(0, 2, n).astype(bool)
    if dt.kind in "iu":
        info = np.iinfo(dt)
        picks = np.array([info.min, info.max, 0, 1, 2, 7, info.max - 1], dtype=dt)
        return picks[rng.integers(0, picks.size, n)]
    base = rng.integers(-3, 4, n).astype(np.float64)
    if signed_zeros:
        base[base == 0] = -0.0
        base[::5] = 0.0
    base[rng.integers(0, n, max(n // 6, 1))] = np.nan
    base[::7] = np.inf
    if dt.kind == "c":
        imag = rng.integers(-1, 2, n).astype(np.float64)
        imag[rng.integers(0, n, max(n // 6, 1))] = np.nan
        return (base + 0j + imag * 1j).astype(dt) if not signed_zeros else (base + 1j * imag).astype(dt)
    return base.astype(dt)


def layouts(dtype, signed_zeros=False):
    c = with_ties(60, dtype, 1, signed_zeros).reshape(3, 4, 5)
    return {
        "1d": with_ties(101, dtype, 2, signed_zeros),
        "C": c,
        "F": np.asfortranarray(c),
        "strided": with_ties(120, dtype, 3, signed_zeros).reshape(4, 6, 5)[::2, 1:, ::2],
        "negative": c[::-1, :, ::-2],
        "empty": np.zeros((3, 0, 2), dtype),
        "0d": np.array(with_ties(1, dtype, 4)[0]),
    }


def sort_default(a):
    return np.sort(a)


def sort_axis0_stable(a):
    return np.sort(a, axis=0, kind="stable")


def sort_axis1_merge(a):
    return np.sort(a, 1, "mergesort")


def sort_flat_heap(a):
    return np.sort(a, axis=None, kind="heapsort")


def sort_stable_keyword(a):
    return np.sort(a, axis=-1, stable=True)


def sort_method(a):
    a.sort()
    return a


def sort_method_axis0(a):
    a.sort(axis=0, kind="stable")
    return a


def argsort_stable(a):
    return np.argsort(a, kind="stable")


def argsort_axis0_stable(a):
    return a.argsort(axis=0, kind="mergesort")


def argsort_flat_stable(a):
    return np.argsort(a, axis=None, stable=True)


def argsort_axis_runtime(a, axis):
    return np.argsort(a, axis, kind="stable")


def argsort_quick(a, axis):
    return np.argsort(a, axis)


def sort_axis_runtime(a, axis):
    return np.sort(a, axis)


# The functions whose results are unique in NumPy's order: ties, zeros of either sign and NaNs
# of any payload are in their given order (stable) or indistinguishable.
STABLE = [sort_axis0_stable, sort_axis1_merge, sort_method_axis0, argsort_stable, argsort_axis0_stable]
# Unstable kinds: zeros of both signs may end up in either order, so the data has no -0.0.
UNSTABLE = [sort_default, sort_flat_heap, sort_method]


# Every layout for a float and an integer type; the other types on the two main layouts (each
# (type, layout) pair is one more compilation of every sort).
SORT_CASES = [
    (dtype, layout)
    for dtype in DTYPES
    for layout in (["1d", "C", "F", "strided", "negative", "empty", "0d"] if dtype in (np.float64, np.int64) else ["1d", "C"])
]


@pytest.mark.parametrize("func", STABLE + UNSTABLE, ids=lambda f: f.__name__)
@pytest.mark.parametrize("dtype, layout", SORT_CASES, ids=lambda c: dtype_id(c) if not isinstance(c, str) else c)
def test_sorts_match_numpy(func, dtype, layout):
    a = layouts(dtype, signed_zeros=func in STABLE)[layout]
    check_arrays(func, a)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", ["1d", "C", "F", "strided", "negative", "empty"])
def test_quicksort_argsort_orders_the_array(dtype, layout):
    """An unstable argsort's ties may be in any order: its indices must order the array along
    the axis, as NumPy's do."""
    a = layouts(dtype)[layout]
    for axis in range(-1, a.ndim):
        got = _COMPILED.setdefault(argsort_quick, njit(argsort_quick))(a, axis)
        assert got.dtype == np.int64 and got.shape == a.shape
        ordered = np.take_along_axis(a, got, axis=axis)
        assert_same_array(ordered, np.sort(a, axis=axis))
        assert (np.sort(got, axis=axis) == np.arange(a.shape[axis]).reshape([-1 if d == (axis % a.ndim) else 1 for d in range(a.ndim)])).all()


@pytest.mark.parametrize("func", [sort_stable_keyword, argsort_flat_stable], ids=lambda f: f.__name__)
@pytest.mark.parametrize("dtype", [np.int32, np.float64, np.complex128], ids=dtype_id)
def test_keywords_match_numpy(func, dtype):
    for a in layouts(dtype, signed_zeros=True).values():
        check_arrays(func, a)


@pytest.mark.parametrize("axis", [-4, -3, -1, 0, 2, 3])
@pytest.mark.parametrize("func", [sort_axis_runtime, argsort_axis_runtime], ids=lambda f: f.__name__)
def test_axes_given_at_run_time(func, axis):
    check_arrays(func, layouts(np.float64, signed_zeros=True)["strided"], axis)


@pytest.mark.parametrize(
    "a",
    [
        np.arange(2000.0)[::-1].copy(),
        np.arange(2000) % 3,
        np.zeros(3000, np.int16),
        np.tile(np.arange(50.0), 40),
        np.full(1000, np.nan),
        np.random.default_rng(5).standard_normal(5000),
        np.random.default_rng(6).standard_normal(3000).astype(np.float32),
        np.random.default_rng(7).integers(-(2**31), 2**31, 3000).astype(np.int32),
        np.random.default_rng(8).integers(0, 2**64 - 1, 3000, dtype=np.uint64),
        np.tile(np.array([np.inf, -np.inf, 5e-324, -5e-324, np.nan, -1.0, 2.0, 1e300]), 300),
        np.random.default_rng(9).integers(-100, 100, 3000).astype(np.uint32),
        # Equal in radix sort's leading bytes, then ordered by their others: groups past 1024 elements (radix
        # sort again), of about 30 (merge sort) and of one to three (insertion), with ties in the rest.
        (np.random.default_rng(10).integers(0, 4, 6000) << 56) - (2 << 56) + np.random.default_rng(11).integers(0, 50, 6000),
        (np.random.default_rng(12).integers(0, 200, 6000) << 48) + np.random.default_rng(13).integers(0, 8, 6000),
        (np.random.default_rng(14).integers(0, 2**20, 6000, dtype=np.uint64) << np.uint64(40)) + np.random.default_rng(15).integers(0, 4, 6000, dtype=np.uint64),
        np.random.default_rng(16).integers(-(10**12), 10**12, 6000),
    ],
    ids=["descending", "three-values", "all-equal", "repeated-runs", "all-nan", "random", "float32", "int32", "uint64", "extremes", "uint32-wrapped",
         "large-groups", "medium-groups", "small-groups", "narrow-int64"],
)
@pytest.mark.parametrize("func", [sort_default, sort_axis0_stable, argsort_stable], ids=lambda f: f.__name__)
def test_long_runs_match_numpy(a, func):
    """Runs long enough for introsort's partitions, merge sort's merges and radix sort (a
    sort of 32 or 64-bit values; no zeros of both signs, whose order an unstable sort leaves
    open)."""
    check_arrays(func, a)


@pytest.mark.parametrize(
    "a",
    [
        np.tile(np.array([0.0, -0.0, 1.0, -0.0, -2.0]), 400),
        np.tile(np.array([-0.0, 0.0], np.float32), 1000),
        np.where(np.random.default_rng(10).random(3000) < 0.5, -0.0, 0.0) * np.random.default_rng(11).integers(0, 3, 3000),
    ],
    ids=["float64", "float32", "random-signs"],
)
@pytest.mark.parametrize("func", [sort_axis0_stable, argsort_stable, argsort_flat_stable], ids=lambda f: f.__name__)
def test_long_stable_runs_keep_zeros_of_both_signs_in_order(a, func):
    """A stable sort keeps -0.0 and 0.0 (equal in NumPy's order) where they were: radix sort, which tells them
    apart by their bits, steps aside for runs holding -0.0."""
    check_arrays(func, a)


@pytest.mark.parametrize("dtype", [np.int32, np.uint64, np.float32, np.float64], ids=dtype_id)
def test_long_quicksort_argsort_orders_the_array(dtype):
    """An unstable argsort of runs long enough for radix sort: its indices order the array (ties in any order)."""
    for a, axis in ((with_ties(3000, dtype, 12), -1), (with_ties(3000, dtype, 13).reshape(1500, 2), 0)):
        got = _COMPILED.setdefault(argsort_quick, njit(argsort_quick))(a, axis)
        assert_same_array(np.take_along_axis(a, got, axis=axis), np.sort(a, axis=axis))
        positions = np.arange(a.shape[axis]).reshape((-1,) + (1,) * (a.ndim - 1))
        assert (np.sort(got, axis=axis) == positions).all()


def _times(dtype, n, seed):
    """``n`` datetime64 or timedelta64 values with ties and NaTs."""
    rng = np.random.default_rng(seed)
    a = rng.integers(-40, 40, n).astype(dtype)
    a[rng.integers(0, n, max(n // 7, 1))] = np.datetime64("NaT") if a.dtype.kind == "M" else np.timedelta64("NaT")
    return a


TIME_CASES = {
    "dates-1d": _times("M8[D]", 101, 1),
    "dates-long": _times("M8[s]", 3000, 2),
    "deltas-C": _times("m8[h]", 60, 3).reshape(3, 4, 5),
    "deltas-F": np.asfortranarray(_times("m8[ns]", 60, 4).reshape(6, 10)),
    "dates-strided": _times("M8[ms]", 120, 5).reshape(4, 30)[::-1, ::3],
    "empty": np.zeros((2, 0), "M8[D]"),
}


@pytest.mark.parametrize("case", list(TIME_CASES), ids=list(TIME_CASES))
@pytest.mark.parametrize("func", STABLE + [sort_default, sort_flat_heap, argsort_flat_stable], ids=lambda f: f.__name__)
def test_time_arrays_sort_with_nat_last(func, case):
    """datetime64 and timedelta64 arrays order as NumPy orders them: by their counts, NaT last."""
    a = TIME_CASES[case]
    if a.ndim < 2 and func in (sort_axis0_stable, argsort_axis0_stable, sort_method_axis0, sort_axis1_merge):
        return
    check_arrays(func, a)


def sort_kind_bad(a):
    return np.sort(a, kind="bogus")


def argsort_kind_bad(a):
    return np.argsort(a, kind="x")


def sort_0d(a):
    return np.sort(a, axis=0)


@pytest.mark.parametrize("func", [sort_kind_bad, argsort_kind_bad, sort_0d, sort_method], ids=lambda f: f.__name__)
def test_errors_match_numpy(func):
    check_arrays(func, np.array(3.0) if func in (sort_0d, sort_method) else np.arange(4.0))


@njit
def sort_and_keep(a):
    b = np.sort(a, axis=0)
    c = np.argsort(a, kind="stable")
    d = np.sort(a, axis=None, kind="stable")
    a.sort(axis=1)
    p = np.partition(a, (1, 3), axis=0)
    q = np.argpartition(a, 2)
    m = np.median(a, axis=1)
    r = np.nanquantile(a, np.linspace(0.0, 1.0, 3), axis=0)
    return b, c[0], d, p, q[1], m, r, np.percentile(a, 50.0)


def test_no_leaks():
    a = with_ties(60, np.float64).reshape(6, 10)
    sort_and_keep(a.copy())
    gc.collect()
    live = _native.live_allocations()
    for _ in range(2_000):
        kept = sort_and_keep(a.copy())
        with pytest.raises(ValueError):
            _COMPILED.setdefault(sort_kind_bad, njit(sort_kind_bad))(a)
    del kept
    gc.collect()
    assert _native.live_allocations() == live


# --- partition, argpartition ---------------------------------------------------------------------


def partition(a, kth):
    return np.partition(a, kth)


def partition_axis0(a, kth):
    return np.partition(a, kth, axis=0)


def partition_flat(a, kth):
    return np.partition(a, kth, axis=None)


def argpartition(a, kth):
    return np.argpartition(a, kth)


def argpartition_method_axis0(a, kth):
    return a.argpartition(kth, axis=0)


def partition_method(a, kth):
    a.partition(kth)
    return a


def check_partition(func, a, kth):
    """A partition's order away from its positions is NumPy's choice: compared are the elements
    at the positions (those of NumPy's sort), and that none before is larger, none after
    smaller, with the same multiset of elements in each lane."""
    cfunc = _COMPILED.setdefault(func, njit(func))
    arg = a.copy(order="K") if func is not partition_method else a.copy()
    expected_error = None
    try:
        expected = func(a.copy(), kth)
    except Exception as exc:  # noqa: BLE001 - NumPy's exception must be reproduced
        expected_error = exc
    if expected_error is not None:
        # NumPy's message names the numbers ("kth(=7) out of bounds (4)"), which compiled code
        # cannot format yet.
        with pytest.raises(type(expected_error), match="out of bounds"):
            cfunc(arg, kth)
        return
    got = cfunc(arg, kth)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    axis = None if func is partition_flat else (0 if func in (partition_axis0, argpartition_method_axis0) else -1)
    source = a.ravel() if axis is None else a
    if got.dtype == np.int64 and func in (argpartition, argpartition_method_axis0):
        got = np.take_along_axis(source, got, axis=axis if axis is not None else 0)
        expected = np.take_along_axis(source, expected, axis=axis if axis is not None else 0)
    ax = 0 if axis is None else axis
    ordered = np.sort(got, axis=ax)
    assert_same_array(ordered, np.sort(source, axis=ax))
    n = got.shape[ax] if got.ndim else 1
    for k in np.atleast_1d(kth):
        k = k % n
        at = np.take(got, [k], axis=ax)
        assert_same_array(at, np.take(expected, [k], axis=ax))
        assert_same_array(at, np.take(ordered, [k], axis=ax))
        before, after = np.take(got, range(k), axis=ax), np.take(got, range(k + 1, n), axis=ax)
        real_at = at.real if got.dtype.kind == "c" else at
        if got.dtype.kind != "c" and not np.isnan(real_at).any():
            assert (before <= at).all() and ((after >= at) | np.isnan(after)).all()


PARTITIONS = [partition, partition_axis0, partition_flat, argpartition, argpartition_method_axis0, partition_method]


# `np.partition` over every type; the other forms on an integer, a float and a complex type.
PARTITION_CASES = [(partition, dtype) for dtype in [np.bool_, np.int8, np.uint64, np.float32, np.float64, np.complex128]] + [
    (func, dtype) for func in PARTITIONS if func is not partition for dtype in [np.int8, np.float64, np.complex128]
]


@pytest.mark.parametrize("func, dtype", PARTITION_CASES, ids=lambda c: getattr(c, "__name__", None) or dtype_id(c))
def test_partitions_match_numpy(func, dtype):
    a = layouts(dtype)["C"][:, :, :4].copy()
    for kth in (0, 2, -1, (1, 3), (3, 0)):
        check_partition(func, a, kth)
    check_partition(func, a, 7)
    long = with_ties(301, dtype, 6).reshape(-1, 1) if func in (partition_axis0, argpartition_method_axis0) else with_ties(301, dtype, 6)
    for kth in (0, 150, 299, (10, 200, 150)):
        check_partition(func, long, kth)


# --- median, percentile, quantile and their nan forms ---------------------------------------------


def median(a):
    return np.median(a)


def median_axis_kept(a):
    return np.median(a, axis=-1, keepdims=True)


def median_axes(a):
    return np.median(a, axis=(0, 2))


def nanmedian_axis0(a):
    return np.nanmedian(a, axis=0)


def quantile(a):
    return np.quantile(a, 0.3)


def quantile_axis1(a):
    return np.quantile(a, 0.75, axis=1)


def quantile_q_array(a, q):
    return np.quantile(a, q, axis=0)


def nanquantile(a):
    return np.nanquantile(a, 0.9, axis=-1)


def percentile(a):
    return np.percentile(a, 12.5)


def percentile_q_array(a, q):
    return np.percentile(a, q * 100, axis=-1, keepdims=True)


def nanpercentile_q_array(a, q):
    return np.nanpercentile(a, q * 100)


def quantile_out_of_range(a):
    return np.quantile(a, 1.5)


def percentile_out_of_range(a):
    return np.percentile(a, -1.0)


STATISTICS = [median, median_axis_kept, median_axes, nanmedian_axis0, quantile, quantile_axis1, nanquantile, percentile, quantile_out_of_range, percentile_out_of_range]
WITH_Q = [quantile_q_array, percentile_q_array, nanpercentile_q_array]


def statistic_samples(dtype):
    rng = np.random.default_rng(12)
    if np.dtype(dtype).kind == "f":
        values = rng.standard_normal(60).astype(dtype)
        values[[3, 17, 18]] = np.nan
        values[40:45] = np.nan
    else:
        values = rng.integers(-50, 50, 60).astype(dtype)
    c = values.reshape(3, 4, 5)
    return {
        "C": c,
        "negative": c[::-1, :, ::-2],
        "all-nan-lane": np.where(np.arange(60).reshape(3, 4, 5) < 5, np.nan, c) if np.dtype(dtype).kind == "f" else c[:, :1],
    }


@pytest.mark.parametrize("func", STATISTICS + WITH_Q, ids=lambda f: f.__name__)
@pytest.mark.parametrize("dtype", [np.int8, np.uint16, np.float32, np.float64], ids=dtype_id)
def test_order_statistics_match_numpy(func, dtype):
    q = np.array([0.0, 0.1, 0.5, 0.999, 1.0])
    for a in statistic_samples(dtype).values():
        check_arrays(func, a, *((q,) if func in WITH_Q else ()))


# --- lexsort --------------------------------------------------------------------------------------


def lexsort_pair(k1, k2):
    return np.lexsort((k1, k2))


def lexsort_three(k1, k2):
    return np.lexsort((k2, k1, k2[::-1]))


LEXSORT_KEYS = {
    "ints-floats": (np.array([1, 5, 1, 4, 3, 4, 4]), np.array([9.0, 4, 0, 4, 0, 2, 1])),
    "nan-ties": (np.array([2.0, np.nan, 2.0, 1.0, np.nan, 1.0]), np.array([1, 1, 0, 0, 1, 1], np.int8)),
    "bool-complex": (np.array([True, False, True, False]), np.array([1 + 1j, 1 + 1j, 1j, 1j])),
    "long": (with_ties(500, np.int16, 3), with_ties(500, np.float64, 4)),
    "empty": (np.zeros(0), np.zeros(0, np.int32)),
    "lengths-differ": (np.arange(3), np.arange(4)),
}


@pytest.mark.parametrize("keys", list(LEXSORT_KEYS), ids=list(LEXSORT_KEYS))
@pytest.mark.parametrize("func", [lexsort_pair, lexsort_three], ids=lambda f: f.__name__)
def test_lexsort_matches_numpy(func, keys):
    check_arrays(func, *LEXSORT_KEYS[keys])


def lexsort_2d(m):
    return np.lexsort(m)


@pytest.mark.parametrize("m", [np.array([[1, 2, 1, 2], [0, 0, 1, 1]]), with_ties(60, np.float32, 5).reshape(3, 20), np.zeros((2, 0))], ids=["ints", "float32-nan", "empty"])
def test_lexsort_of_rows_matches_numpy(m):
    check_arrays(lexsort_2d, m)


# --- a.view(dtype): the bits of the elements as another type of the same size ---------------------


def view_bits(a):
    return a.view(np.uint64)


def view_signed(a):
    return a.view(np.int32)


def write_through_view(a):
    v = a.view(np.uint64)
    v[0] = v[1]
    return a


@pytest.mark.parametrize(
    "func, a",
    [
        (view_bits, np.array([-0.0, 0.0, np.inf, np.nan, -1.5])),
        (view_bits, np.arange(6.0).reshape(2, 3)[:, ::-2]),
        (view_signed, np.array([1.0, -2.5], np.float32)),
        (view_signed, np.array([3, 2**32 - 1], np.uint32)),
        (write_through_view, np.array([1.0, -2.0, 3.0])),
    ],
    ids=["float64-bits", "strided", "float32-bits", "uint32-signed", "write-through"],
)
def test_view_matches_numpy(func, a):
    # A view has its array's strides: NumPy's run here is on a contiguous copy of a strided one.
    check_arrays(func, a, flags=a.flags.c_contiguous)


def test_view_of_another_item_size_is_refused():
    from ferrojit.errors import UnsupportedError

    with pytest.raises(UnsupportedError, match="another item size"):
        njit(view_signed)(np.arange(3.0))
