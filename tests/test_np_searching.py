"""Searching against NumPy: ``searchsorted``, ``unique``, ``nonzero``, ``np.where`` of one
argument, ``argwhere``, ``flatnonzero``, ``count_nonzero``, ``bincount``, ``digitize``,
``histogram``, the set functions; over dtypes (NaN included), layouts, every keyword; their
errors; no leak."""

import gc

import numpy as np
import pytest

from ferrojit import _native, njit

from array_cases import dtype_id
from test_np_sorting import check_arrays, layouts, with_ties

# A dtype of each kind (each compiles the functions once more).
DTYPES = [np.bool_, np.int8, np.uint64, np.float32, np.float64, np.complex128]


# --- searchsorted -----------------------------------------------------------------------------


def search_left(a, v):
    return np.searchsorted(a, v)


def search_right(a, v):
    return np.searchsorted(a, v, side="right")


def search_sorter(a, v):
    return np.searchsorted(a, v, "left", np.argsort(a, kind="stable"))


def search_sorter_right(a, v):
    return np.searchsorted(a, v, side="right", sorter=np.argsort(a, kind="stable"))


def search_bad_side(a, v):
    return np.searchsorted(a, v, side="middle")


def search_short_sorter(a, v):
    return np.searchsorted(a, v, sorter=np.arange(a.size - 1))


SEARCHES = [search_left, search_right, search_sorter, search_sorter_right]


def searched(dtype):
    a = with_ties(40, dtype, 7)
    return a, np.sort(a)


@pytest.mark.parametrize("func", SEARCHES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
def test_searchsorted_matches_numpy(func, dtype):
    unsorted, ordered = searched(dtype)
    a = unsorted if func in (search_sorter, search_sorter_right) else ordered
    for v in (with_ties(12, dtype, 8).reshape(3, 4), with_ties(5, dtype, 9)[::-2], with_ties(1, dtype, 3)[0], np.zeros(0, dtype)):
        check_arrays(func, a, v)


@pytest.mark.parametrize("func", SEARCHES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
def test_searchsorted_many_queries_match_numpy(func, dtype):
    """Queries enough to be sorted first and found in their order (4096 of them in 1024 keys or more), in keys
    short and long, with ties and NaNs on both sides."""
    for n in (40, 5000):
        unsorted = with_ties(n, dtype, 7)
        a = unsorted if func in (search_sorter, search_sorter_right) else np.sort(unsorted)
        for v in (with_ties(200, dtype, 10), with_ties(5000, dtype, 11).reshape(100, 50), with_ties(13000, dtype, 12)[::-3]):
            check_arrays(func, a, v)


def _time_values(dtype, n, seed):
    rng = np.random.default_rng(seed)
    a = rng.integers(-300, 300, n).astype(dtype)
    a[rng.integers(0, n, max(n // 9, 1))] = np.datetime64("NaT") if a.dtype.kind == "M" else np.timedelta64("NaT")
    return a


@pytest.mark.parametrize("func", SEARCHES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("keys, queries", [
    ("M8[D]", "M8[D]"), ("M8[D]", "M8[h]"), ("m8[m]", "m8[h]"), ("m8[s]", "m8[s]"),
], ids=lambda t: t)
def test_searchsorted_of_times_matches_numpy(func, keys, queries):
    """Keys and queries of one kind, in their common unit, NaT last; queries few and many (sorted first)."""
    unsorted = _time_values(keys, 5000, 1)
    a = unsorted if func in (search_sorter, search_sorter_right) else np.sort(unsorted)
    for v in (_time_values(queries, 7, 2), _time_values(queries, 6000, 3).reshape(60, 100), _time_values(queries, 1, 4)[0]):
        check_arrays(func, a, v)


@pytest.mark.parametrize(
    "a, v",
    [
        (np.array([1, 2, 2, 3], np.int8), 2.5),
        (np.array([1, 2, 2, 3], np.uint8), np.array([-1, 300], np.int64)),
        (np.array([0.5, 1.5, np.nan]), np.array([1, 2], np.int32)),
        (np.array([0.5, 1.5, np.inf, np.nan], np.float32), np.array([np.nan, np.inf, 1.5])),
        (np.zeros(0), 1.0),
        (np.arange(10.0)[::-3][::-1], np.arange(-1.0, 11.0, 0.5)),
    ],
    ids=["int8-float", "uint8-int64", "nan-ints", "float32-float64", "empty", "strided"],
)
@pytest.mark.parametrize("func", [search_left, search_right], ids=lambda f: f.__name__)
def test_searchsorted_mixed_types_match_numpy(func, a, v):
    check_arrays(func, a, v)


@pytest.mark.parametrize("func", [search_bad_side, search_short_sorter], ids=lambda f: f.__name__)
def test_searchsorted_errors_match_numpy(func):
    check_arrays(func, np.arange(4.0), 1.0)


# --- unique -----------------------------------------------------------------------------------


def unique_values(a):
    return np.unique(a)


def unique_all(a):
    return np.unique(a, return_index=True, return_inverse=True, return_counts=True)


def unique_index(a):
    return np.unique(a, True)


def unique_inverse(a):
    return np.unique(a, return_inverse=True)


def unique_counts_nan_apart(a):
    return np.unique(a, return_counts=True, equal_nan=False)


UNIQUES = [unique_values, unique_all, unique_index, unique_inverse, unique_counts_nan_apart]


def real_dtypes():
    # NumPy's unique of complex numbers with NaN parts keeps the first met of them (a hash
    # table's choice) where the sorted order's first is kept here: complex arrays without NaN.
    return [d for d in DTYPES if np.dtype(d).kind != "c"]


# Every layout for float64; the other types 1-d (each pair is one more compilation).
UNIQUE_CASES = [(dtype, layout) for dtype in real_dtypes() + [np.complex64] for layout in (["1d", "F", "strided", "empty", "0d"] if dtype is np.float64 else ["1d"])]


@pytest.mark.parametrize("func", UNIQUES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("dtype, layout", UNIQUE_CASES, ids=lambda c: dtype_id(c) if not isinstance(c, str) else c)
def test_unique_matches_numpy(func, dtype, layout):
    a = layouts(dtype)[layout]
    if a.dtype.kind == "c":
        a = np.where(np.isnan(a), 1.5, a)
    check_arrays(func, a)


def unique_keeping_nans_apart(a):
    return np.unique(a, equal_nan=False)


@pytest.mark.parametrize("a", [
    np.array(["2020-01-01", "NaT", "2020-01-01", "NaT", "1999-05-05"], "M8[D]"),
    np.array([[5, -3, 5], [0, "NaT", 7]], "m8[h]").T,
    np.zeros(0, "M8[s]"),
], ids=["dates", "deltas-F", "empty"])
@pytest.mark.parametrize("func", ["unique_values", "unique_all", "unique_keeping_nans_apart"])
def test_unique_of_times_keeps_one_nat(func, a):
    """Time values in order with NaT last, one NaT whatever `equal_nan` says (as NumPy)."""
    check_arrays(globals()[func], a)


# --- nonzero, where, argwhere, flatnonzero, count_nonzero --------------------------------------


def nonzero_function(a):
    return np.nonzero(a)


def nonzero_method(a):
    return a.nonzero()


def where_one(a):
    return np.where(a)


def where_condition(a):
    return np.where(a > 1)


def argwhere(a):
    return np.argwhere(a)


def flatnonzero(a):
    return np.flatnonzero(a)


def count_all(a):
    return np.count_nonzero(a)


def count_axis0(a):
    return np.count_nonzero(a, axis=0)


def count_axes_kept(a):
    return np.count_nonzero(a, axis=(0, -1), keepdims=True)


def count_axis_runtime(a, axis):
    return np.count_nonzero(a, axis)


NONZEROS = [nonzero_function, nonzero_method, where_one, argwhere, flatnonzero, count_all, count_axis0, count_axes_kept]


NONZERO_CASES = [(dtype, layout) for dtype in DTYPES for layout in (["1d", "C", "F", "negative", "empty", "0d"] if dtype in (np.float64, np.bool_) else ["1d", "C"])]


@pytest.mark.parametrize("func", NONZEROS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("dtype, layout", NONZERO_CASES, ids=lambda c: dtype_id(c) if not isinstance(c, str) else c)
def test_nonzero_family_matches_numpy(func, dtype, layout):
    if layout == "0d" and func in (count_axis0, count_axes_kept):
        pytest.skip("an axis of a 0-d array is a compile-time TypingError, as for every reduction (test_array_reduction_axes.py)")
    # count_nonzero's result along axes is in C order, where NumPy keeps a Fortran array's
    # order (as ferrojit's other reductions do).
    check_arrays(func, layouts(dtype)[layout], flags=func not in (count_axis0, count_axes_kept))


@pytest.mark.parametrize("axis", [-4, -1, 0, 1, 2, 3])
def test_count_nonzero_axis_at_run_time(axis):
    check_arrays(count_axis_runtime, layouts(np.int16)["strided"], axis)


def test_where_of_a_condition_matches_numpy():
    check_arrays(where_condition, layouts(np.float64)["C"])


# --- bincount, digitize, histogram ---------------------------------------------------------


def bincount(x):
    return np.bincount(x)


def bincount_weighted(x, w):
    return np.bincount(x, weights=w, minlength=12)


def bincount_minlength(x, m):
    return np.bincount(x, None, m)


@pytest.mark.parametrize(
    "x",
    [np.array([1, 3, 3, 0, 5], np.int8), np.array([2, 2, 9], np.uint64), np.array([True, False, True]), np.zeros(0, np.int64), np.arange(20)[::-3], np.array([1, -1]), np.array([0.5, 1.0])],
    ids=["int8", "uint64", "bool", "empty", "strided", "negative", "float"],
)
def test_bincount_matches_numpy(x):
    check_arrays(bincount, x)
    if x.dtype.kind != "f":
        check_arrays(bincount_minlength, x, 9)
    # NumPy counts an empty array with weights in int64, where the type of the result here
    # depends on the argument types only (float64, as NumPy's for any other weighted count).
    if x.dtype.kind != "f" and x.size:
        check_arrays(bincount_weighted, x, np.linspace(0.0, 2.0, x.size))
        check_arrays(bincount_weighted, x, np.arange(x.size, dtype=np.int16))
        check_arrays(bincount_minlength, x, -1)
        check_arrays(bincount_weighted, x, np.ones(x.size + 1))


def digitize(x, bins):
    return np.digitize(x, bins)


def digitize_right(x, bins):
    return np.digitize(x, bins, right=True)


BINS = {
    "rising": np.array([-1.0, 0.0, 0.0, 2.5, 7.0]),
    "falling": np.array([7, 2, 0, 0, -1], np.int32),
    "one": np.array([0.5], np.float32),
    "empty": np.zeros(0),
    "nonmonotonic": np.array([1.0, 3.0, 2.0]),
}


@pytest.mark.parametrize("bins", list(BINS), ids=list(BINS))
@pytest.mark.parametrize("func", [digitize, digitize_right], ids=lambda f: f.__name__)
def test_digitize_matches_numpy(func, bins):
    for x in (np.array([[-2.0, -1.0, 0.0], [1.0, 2.5, np.nan]]), np.arange(-3, 9, 2, dtype=np.int8), np.array([np.inf, -0.0], np.float32), 0.0, 7):
        check_arrays(func, x, BINS[bins])


def test_digitize_of_complex_values_raises_as_numpy():
    check_arrays(digitize, np.array([1j]), BINS["rising"])


def histogram(a):
    return np.histogram(a)


def histogram_bins_range(a):
    return np.histogram(a, 7, range=(-1.0, 2.5))


def histogram_edges(a, edges):
    return np.histogram(a, bins=edges)


def histogram_weighted(a, w):
    return np.histogram(a, 5, weights=w)


def histogram_edges_weighted_density(a, edges, w):
    return np.histogram(a, edges, weights=w, density=True)


def histogram_density(a):
    return np.histogram(a, 4, density=True)


def histogram_bins_runtime(a, bins):
    return np.histogram(a, bins)


def histogram_range_int(a):
    return np.histogram(a, 3, (0, 10))


def histogram_range_reversed(a):
    return np.histogram(a, 3, (2.0, 1.0))


def histogram_range_infinite(a):
    return np.histogram(a, 3, (0.0, np.inf))


RNG = np.random.default_rng(11)
_EDGES = np.linspace(-3.3, 7.1, 11)
SAMPLES = {
    "normal": RNG.standard_normal(1000),
    "float32": RNG.standard_normal(300).astype(np.float32),
    "ints": RNG.integers(-5, 9, 300),
    "uint8": RNG.integers(0, 255, 100).astype(np.uint8),
    "ramp": np.arange(10.0),
    "one-value": np.full(7, 3.0),
    "empty": np.zeros(0),
    "2d-strided": RNG.standard_normal((20, 30))[::2, ::-3],
    "nan-inside": np.array([0.0, np.nan, 1.0]),
    # The edges of `histogram`'s 10 equal bins (those of the values' range) and the numbers next to them:
    # the bin estimated from the distance is corrected against the edges, as NumPy's.
    "on-edges": np.concatenate([_EDGES, np.nextafter(_EDGES[:-1], np.inf), np.nextafter(_EDGES[1:], -np.inf)]),
}


@pytest.mark.parametrize("sample", list(SAMPLES), ids=list(SAMPLES))
def test_histogram_matches_numpy(sample):
    a = SAMPLES[sample]
    edges = np.array([-2, -0.5, 0, 0.1, 1, 3])
    # Weights of eighths: their sums are exact in any order (NumPy adds them in an unstable
    # sort's order).
    w = RNG.integers(0, 16, a.shape) / 8
    for func, args in [
        (histogram, ()),
        (histogram_bins_range, ()),
        (histogram_edges, (edges,)),
        (histogram_weighted, (w,)),
        (histogram_edges_weighted_density, (edges, w)),
        (histogram_density, ()),
        (histogram_bins_runtime, (1,)),
        (histogram_bins_runtime, (0,)),
        (histogram_range_int, ()),
        (histogram_range_reversed, ()),
    ]:
        check_arrays(func, a, *args)


@pytest.mark.parametrize("func", [histogram, histogram_range_infinite], ids=lambda f: f.__name__)
def test_histogram_of_unbounded_ranges_raises_valueerror(func):
    """NumPy's messages name the range's numbers, which compiled code cannot format: the class
    is NumPy's."""
    a = np.array([0.0, np.inf])
    with pytest.raises(ValueError):
        func(a)
    with pytest.raises(ValueError, match="not finite"):
        _COMPILED_HIST.setdefault(func, njit(func))(a)


_COMPILED_HIST = {}


def test_histogram_edges_must_increase():
    check_arrays(histogram_edges, np.arange(3.0), np.array([0.0, 2.0, 1.0]))


# --- set functions ------------------------------------------------------------------------------


def isin(a, b):
    return np.isin(a, b)


def isin_inverted(a, b):
    return np.isin(a, b, invert=True, assume_unique=False)


def intersect1d(a, b):
    return np.intersect1d(a, b)


def intersect1d_unique(a, b):
    return np.intersect1d(np.unique(a), np.unique(b), assume_unique=True)


def union1d(a, b):
    return np.union1d(a, b)


def setdiff1d(a, b):
    return np.setdiff1d(a, b)


def setdiff1d_unique(a, b):
    return np.setdiff1d(a, b, True)


SETS = [isin, isin_inverted, intersect1d, intersect1d_unique, union1d, setdiff1d, setdiff1d_unique]
SET_CASES = {
    "float-nan": (np.array([[3.0, 1, np.nan], [2, 5, 3]]), np.array([3, np.nan, 7, 2], np.float32)),
    "int8-float": (np.array([1, 2, -3, 2], np.int8), np.array([2.5, 2.0, -3.0])),
    "uint8-int64": (np.arange(10, dtype=np.uint8)[::-2], np.array([0, 4, 8, 300, -1])),
    "bool-int": (np.array([True, False, True]), np.array([1, 5])),
    "complex": (np.array([1 + 1j, 2, 1 + 1j, 3j]), np.array([3j, 1 - 1j])),
    "empty": (np.zeros(0), np.array([1.0, 2.0])),
    "0d": (np.array(2.0), np.array([1.0, 2.0])),
    "fortran": (np.asfortranarray(np.arange(12).reshape(3, 4) % 5), np.array([[1, 9], [4, 4]])),
}


@pytest.mark.parametrize("case", list(SET_CASES), ids=list(SET_CASES))
@pytest.mark.parametrize("func", SETS, ids=lambda f: f.__name__)
def test_set_functions_match_numpy(func, case):
    a, b = SET_CASES[case]
    check_arrays(func, a, b)


@njit
def search_and_keep(a, v):
    s = np.searchsorted(a, v)
    u = np.unique(v, return_index=True, return_inverse=True, return_counts=True)
    n = np.nonzero(v)
    w = np.argwhere(v)
    h = np.histogram(a, 4)
    sets = (np.isin(v, a), np.intersect1d(v, a), np.union1d(v, a), np.setdiff1d(v, a))
    return s, u[2], n[0], w, np.flatnonzero(v), np.count_nonzero(v, axis=0), np.bincount(np.argsort(a)), np.digitize(v, a), h[0], np.histogram(a, a, weights=a)[1], sets


def test_no_leaks():
    a = np.arange(10.0)
    v = with_ties(24, np.float64).reshape(4, 6)
    search_and_keep(a, v)
    gc.collect()
    live = _native.live_allocations()
    for _ in range(2_000):
        kept = search_and_keep(a, v)
    del kept
    gc.collect()
    assert _native.live_allocations() == live
