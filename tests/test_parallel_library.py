"""The library's functions on the thread pool under `parallel=True` (python/ferrojit/_lib/pool.py):
`argmin`/`argmax` of whole arrays, the library's reductions along axes, and the array creation
functions `np.ones`, `np.full`, their `_like` forms, `np.arange`, `np.linspace`. Each function
is compiled with `parallel=True` and serially and run by NumPy, over dtypes, memory layouts and
special values; exceptions; memory; when the pool is used.

While this module's tests run, work of every size goes to the pool: the threshold below which
it stays serial is set to 0 (the measured one is tested on its own, with arrays beyond it),
and each comparison checks that the pool ran when the machine has two threads or more.

Results. Every parallel result equals the serial one bit for bit: an `argmin` keeps the first
occurrence across chunks, each element of a reduction along axes is reduced by the serial
code, and each element of a new array is computed from its index alone. Against NumPy they are
exact, except the float sums and means along axes, which the library adds in order where
NumPy adds pairwise (SUM_RTOL, float32 SUM_RTOL32).
"""

import io
import struct

import numpy as np
import pytest

import ferrojit
from ferrojit import njit, prange

from helpers import _clone_arg, _run_python_quiet, assert_same_value, to_python
from parallel_helpers import MEASURED, SUM_RTOL, SUM_RTOL32, THREADS, every_size_runs_in_parallel, regions  # noqa: F401 - the fixture applies to this module


# One dispatcher per function and mode for the module: a row compiles only the types it is the
# first to meet.
PARALLEL = {}
SERIAL = {}


def compiled(pyfunc):
    return PARALLEL.setdefault(pyfunc, njit(parallel=True)(pyfunc)), SERIAL.setdefault(pyfunc, njit(pyfunc))


def assert_same_bits(got, expected, where):
    """`got` is `expected` bit for bit: arrays of the same dtype, shape, memory order and bytes;
    numbers of the same type and bytes (NaN payloads and signs of zero included)."""
    if isinstance(expected, np.ndarray):
        assert got.dtype == expected.dtype and got.shape == expected.shape, where
        assert (got.flags.c_contiguous, got.flags.f_contiguous) == (expected.flags.c_contiguous, expected.flags.f_contiguous), where
        assert got.tobytes(order="A") == expected.tobytes(order="A"), f"{where}: {got!r} != {expected!r}"
    elif isinstance(expected, (tuple, list)):
        assert type(got) is type(expected) and len(got) == len(expected), where
        for i, (g, e) in enumerate(zip(got, expected)):
            assert_same_bits(g, e, f"{where}[{i}]")
    elif isinstance(expected, (float, complex)):
        assert type(got) is type(expected), where
        parts = (expected.real, expected.imag, got.real, got.imag)
        assert struct.pack("<2d", *parts[2:]) == struct.pack("<2d", *parts[:2]), f"{where}: {got!r} != {expected!r}"
    else:
        assert type(got) is type(expected) and got == expected, f"{where}: {got!r} != {expected!r}"


def check_parallel(pyfunc, *args, numpy_rel=None, pooled=True, exc_msg=True):
    """The parallel function's result is the serial function's bit for bit and NumPy's (exactly
    unless `numpy_rel`), and the pool ran (with two threads, when `pooled`); or both raise
    NumPy's exception with one message, NumPy's unless `exc_msg` is False. Returns the
    parallel result."""
    parallel, serial = compiled(pyfunc)
    try:
        expected = to_python(_run_python_quiet(pyfunc, *(_clone_arg(a) for a in args)))
    except Exception as exc:  # noqa: BLE001 - the compiled functions must raise the same
        messages = []
        for f in (parallel, serial):
            with pytest.raises(type(exc)) as info:
                f(*args)
            messages.append(str(info.value))
        assert messages[0] == messages[1]
        if exc_msg:
            assert messages[0] == str(exc)
        return None
    before = regions()
    got = parallel(*args)
    ran = regions() - before
    assert_same_bits(got, serial(*args), "parallel vs serial")
    assert_same_value(got, expected, rel=numpy_rel, where="parallel vs NumPy")
    if pooled and THREADS >= 2:
        assert ran >= 1, "the pool did not run"
    return got


# --- arrays -------------------------------------------------------------------------------------


def data(dtype, shape, seed):
    """Values of `dtype` with many ties (small integers, both parts of complex numbers too), and
    NaNs (NaTs) among floats, complex numbers and times at a few places."""
    rng = np.random.default_rng(seed)
    dt = np.dtype(dtype)
    if dt.kind == "b":
        return rng.integers(0, 2, shape).astype(dt)
    if dt.kind in "iu":
        low = 0 if dt.kind == "u" else -5
        return rng.integers(low, low + 10, shape).astype(dt)
    if dt.kind == "m":
        return rng.integers(-5, 5, shape).astype(dt)
    if dt.kind == "M":
        return (np.datetime64("2020-01-01", "D") + rng.integers(0, 10, shape)).astype(dt)
    values = rng.integers(-5, 5, shape).astype(np.float64) + 0.5
    if dt.kind == "c":
        values = values + 1j * rng.integers(-2, 2, shape)
    return np.asarray(values).astype(dt)


def with_nans(a, seed, count=3):
    """`a` with NaN (NaT for times; in one part or the other for complex numbers) at `count`
    random places."""
    a = a.copy()
    if a.size == 0 or a.dtype.kind not in "fcmM":
        return a
    rng = np.random.default_rng(seed)
    for k, place in enumerate(rng.integers(0, a.size, count)):
        index = np.unravel_index(place, a.shape)
        if a.dtype.kind in "mM":
            a[index] = np.datetime64("NaT") if a.dtype.kind == "M" else np.timedelta64("NaT")
        elif a.dtype.kind == "c":
            a[index] = complex(np.nan, 1) if k % 2 else complex(1, np.nan)
        else:
            a[index] = np.nan
    return a


# name -> (dtype, seed) -> array: every memory layout the flat copy and the lanes see.
LAYOUTS = {
    "C": lambda dt, seed: data(dt, (37, 11), seed),
    "F": lambda dt, seed: np.asfortranarray(data(dt, (37, 11), seed)),
    "strided": lambda dt, seed: data(dt, (74, 33), seed)[::2, ::3],
    "negative": lambda dt, seed: data(dt, (37, 11), seed)[::-1, ::-2],
    "1d": lambda dt, seed: data(dt, 403, seed),
    "1d negative": lambda dt, seed: data(dt, 806, seed)[::-2],
    "3d F": lambda dt, seed: np.asfortranarray(data(dt, (5, 4, 9), seed)),
    "0d": lambda dt, seed: data(dt, (), seed),
    "empty": lambda dt, seed: data(dt, (0, 11), seed),
}


# --- argmin and argmax of whole arrays ---------------------------------------------------------------


def arg_extremes(a):
    return np.argmin(a), np.argmax(a), a.argmin(), a.argmax()


ARG_DTYPES = [np.bool_, np.int8, np.uint8, np.int64, np.uint64, np.float32, np.float64, np.complex64, np.complex128, "m8[s]", "M8[D]"]
# A 0-d array of time values is a time scalar in compiled code, which `argmin` does not take
# (serially neither).
ARG_ROWS = [
    (dt, layout, nans)
    for dt in ARG_DTYPES
    for layout in LAYOUTS
    for nans in (False, True)
    if not (nans and np.dtype(dt).kind not in "fcmM") and not (layout == "0d" and np.dtype(dt).kind in "mM")
]


@pytest.mark.parametrize("dtype,layout,nans", ARG_ROWS, ids=[f"{np.dtype(dt).name}-{lay}{'-nan' if nans else ''}" for dt, lay, nans in ARG_ROWS])
def test_arg_extremes(dtype, layout, nans):
    a = LAYOUTS[layout](dtype, 1)
    if nans:
        a = with_nans(a, 2)
    # An empty array raises NumPy's ValueError; a 0-d one has nothing to share out.
    check_parallel(arg_extremes, a, pooled=a.ndim > 0)


def last_of_ties(n, at):
    """`n` ones with zeros and twos at the places `at` (ties for argmin and argmax)."""
    a = np.ones(n)
    for k, place in enumerate(at):
        a[place] = 0.0 if k % 2 == 0 else 2.0
    return a


SPECIAL_ARGS = [
    # The first occurrence wins across chunks, whichever chunk finds it.
    ("all equal", lambda: np.zeros(1000)),
    ("ties in late chunks", lambda: last_of_ties(1000, [999, 998, 500, 501, 250, 251])),
    ("ties at the chunk ends", lambda: last_of_ties(1000, [124, 125, 249, 250, 874, 875])),
    ("first and last", lambda: last_of_ties(1000, [0, 999, 999 - 1, 1])),
    # The first NaN wins, even after smaller and larger values in earlier chunks.
    ("NaN last", lambda: np.where(np.arange(1000) == 999, np.nan, np.arange(1000.0))),
    ("NaNs in two chunks", lambda: np.where(np.isin(np.arange(1000), [700, 300]), np.nan, -np.arange(1000.0))),
    ("NaN first", lambda: np.where(np.arange(1000) == 0, np.nan, 1.0)),
    ("infinities", lambda: np.where(np.arange(1000) % 300 == 7, np.inf, -np.where(np.arange(1000) % 300 == 8, np.inf, 0.0))),
    ("signed zeros", lambda: np.where(np.arange(1000) % 2 == 0, 0.0, -0.0)),
    # Complex numbers by real part, then imaginary part; NaN in either part first.
    ("complex ties", lambda: np.ones(1000) + 1j * np.where(np.arange(1000) % 250 == 3, -1.0, np.arange(1000) % 5)),
    ("complex NaN imaginary", lambda: np.where(np.arange(1000) == 600, complex(-9, np.nan), np.arange(1000) * (1 + 1j))),
    ("int64 extremes", lambda: np.where(np.arange(1000) % 400 == 9, np.iinfo(np.int64).min, np.where(np.arange(1000) % 400 == 10, np.iinfo(np.int64).max, 0))),
    ("uint64 beyond int64", lambda: np.where(np.arange(1000) == 800, np.uint64(2**64 - 1), np.uint64(2**63)).astype(np.uint64)),
    ("bool all false", lambda: np.zeros(1000, np.bool_)),
    ("NaT", lambda: np.where(np.arange(1000) == 900, np.timedelta64("NaT"), np.arange(1000).astype("m8[s]"))),
    ("two elements", lambda: np.array([2.0, 1.0])),
    ("empty", lambda: np.zeros((3, 0))),
]


@pytest.mark.parametrize("name,make", SPECIAL_ARGS, ids=[s[0] for s in SPECIAL_ARGS])
def test_arg_extremes_special(name, make):
    check_parallel(arg_extremes, make())


# --- reductions along axes ---------------------------------------------------------------------------


def sum_axes(a):
    return a.sum(axis=(0, 1)), np.sum(a, axis=(2, 0))


def min_max_initial(a):
    return np.min(a, axis=0, initial=3), a.max(axis=(1, 2), initial=-3)


def prod_where(a):
    return np.prod(a, axis=1, where=a > -3), a.sum(axis=-1, where=a < 4)


def mean_axes(a):
    return a.mean(axis=(0, 2)), np.mean(a, axis=1, where=a > 0)


def arg_along(a):
    return a.argmin(axis=1), np.argmax(a, axis=0), np.argmin(a, axis=-1)


def truth_along(a):
    return np.all(a, axis=0), a.any(axis=-1), np.any(a > 2, axis=(0, 2))


def spread_along(a):
    return a.var(axis=0), np.std(a, axis=(1, 2), ddof=1)


def into_out(a):
    out = np.zeros(a.shape[1:])
    np.sum(a, axis=0, out=out)
    return out


def nan_extremes(a):
    return np.nanmax(a, axis=0), np.nanmin(a, axis=(0, 2))


def complex_extremes(a):
    return np.max(a, axis=0), a.min(axis=2)


def amin_amax(a):
    return np.amin(a, axis=(0, 1)), np.amax(a, axis=2, keepdims=True, initial=-10)


AXIS_FUNCS = [sum_axes, min_max_initial, prod_where, mean_axes, arg_along, truth_along, spread_along, into_out, nan_extremes, amin_amax]

# name -> (dtype, seed) -> array of three dimensions.
AXIS_LAYOUTS = {
    "C": lambda dt, seed: data(dt, (7, 5, 6), seed),
    "F": lambda dt, seed: np.asfortranarray(data(dt, (7, 5, 6), seed)),
    "strided": lambda dt, seed: data(dt, (14, 10, 12), seed)[::2, 1::2, ::3],
    "negative": lambda dt, seed: data(dt, (7, 5, 6), seed)[::-1, :, ::-2],
    "long lanes": lambda dt, seed: data(dt, (3, 200, 4), seed),
    "empty": lambda dt, seed: data(dt, (0, 5, 6), seed),
    "empty lanes": lambda dt, seed: data(dt, (7, 0, 6), seed),
}

AXIS_DTYPES = [np.int64, np.int8, np.float64, np.float32, np.bool_, np.complex128]


def axis_rows():
    rows = []
    for f in AXIS_FUNCS + [complex_extremes]:
        for dt in AXIS_DTYPES:
            kind = np.dtype(dt).kind
            if (f is complex_extremes) != (kind == "c"):
                continue
            if kind == "c" and f in (min_max_initial, nan_extremes, amin_amax, prod_where, mean_axes):
                continue
            if kind == "b" and f in (min_max_initial, prod_where, mean_axes, spread_along, amin_amax, nan_extremes):
                continue
            for layout in AXIS_LAYOUTS:
                rows.append((f, dt, layout))
    return rows


AXIS_ROWS = axis_rows()


def axis_numpy_rel(pyfunc, dtype):
    """Float sums, means and variances (of every dtype: floats): added in order, NumPy adds
    pairwise."""
    floats = np.dtype(dtype).kind in "fc" or pyfunc in (mean_axes, spread_along)
    if not floats or pyfunc not in (sum_axes, prod_where, mean_axes, spread_along, into_out):
        return None
    return SUM_RTOL32 if np.dtype(dtype) == np.float32 else SUM_RTOL


@pytest.mark.parametrize("pyfunc,dtype,layout", AXIS_ROWS, ids=[f"{f.__name__}-{np.dtype(dt).name}-{lay}" for f, dt, lay in AXIS_ROWS])
def test_reductions_along_axes(pyfunc, dtype, layout):
    a = AXIS_LAYOUTS[layout](dtype, 3)
    if pyfunc in (nan_extremes, complex_extremes):
        a = with_nans(a, 4, count=20)
    check_parallel(pyfunc, a, numpy_rel=axis_numpy_rel(pyfunc, dtype), pooled=a.size > 0)


# --- reductions along one axis built by the compiler (`AxisReduce`) ---------------------------
# `sum`/`prod`/`min`/`max`/`mean` along a single integer axis are compiled inline, not by the
# library; under `parallel=True` each chunk reduces a run of the result's elements (cut along the
# result's first dimension) with the serial loop's code.


def compiled_sums(a, k):
    return a.sum(axis=0), np.sum(a, axis=2), a.sum(axis=k), np.sum(a, axis=-1, keepdims=True)


def compiled_products(a, k):
    return a.prod(axis=1), np.prod(a, axis=k)


def compiled_extremes(a, k):
    return a.min(axis=0), np.max(a, axis=k), np.min(a, axis=-2, keepdims=True)


def compiled_means(a, k):
    return a.mean(axis=2), np.mean(a, axis=k)


def compiled_two_dimensions(a, k):
    m = a[0]
    return m.sum(axis=0), m.max(axis=1), np.mean(m, axis=k % 2)


COMPILED_AXIS_FUNCS = [compiled_sums, compiled_products, compiled_extremes, compiled_means, compiled_two_dimensions]


def compiled_axis_rows():
    rows = []
    for f in COMPILED_AXIS_FUNCS:
        for dt in [np.int64, np.int8, np.float64, np.float32, np.complex128, np.bool_]:
            kind = np.dtype(dt).kind
            if kind in "cb" and f in (compiled_extremes, compiled_two_dimensions):
                continue
            for layout in AXIS_LAYOUTS:
                # `a[0]` of an empty first dimension: indexing is not bounds-checked (as Numba's).
                if not (f is compiled_two_dimensions and layout == "empty"):
                    rows.append((f, dt, layout))
    return rows


COMPILED_AXIS_ROWS = compiled_axis_rows()


@pytest.mark.parametrize("pyfunc,dtype,layout", COMPILED_AXIS_ROWS, ids=[f"{f.__name__}-{np.dtype(dt).name}-{lay}" for f, dt, lay in COMPILED_AXIS_ROWS])
def test_compiled_reductions_along_one_axis(pyfunc, dtype, layout):
    a = AXIS_LAYOUTS[layout](dtype, 5)
    if pyfunc is compiled_extremes and np.dtype(dtype).kind == "f":
        a = with_nans(a, 6, count=10)
    # Empty results run nothing; min/max of an empty axis raise (NumPy's ValueError) before.
    pooled = a.size > 0
    # The compiler's float sums along an axis are pairwise as NumPy's only where NumPy's are.
    rel = SUM_RTOL32 if np.dtype(dtype) == np.float32 else SUM_RTOL
    check_parallel(pyfunc, a, 1, numpy_rel=rel if np.dtype(dtype).kind in "fc" else None, pooled=pooled)


def test_compiled_reductions_along_one_axis_are_diagnosed():
    parallel, _ = compiled(compiled_two_dimensions)
    parallel(np.ones((2, 3, 4)), 1)
    out = io.StringIO()
    parallel.parallel_diagnostics(file=out)
    line = compiled_two_dimensions.__code__.co_firstlineno + 2
    threshold = ferrojit._native.parallel_threshold()
    for name in ("sum", "max", "mean"):
        assert f"line {line}: `{name}` along an axis runs in parallel from {threshold} elements: the result's elements shared out" in out.getvalue()


def time_means(a):
    return a.mean(axis=(0, 1)), np.argmin(a, axis=0)


def test_reductions_of_times_along_axes():
    deltas = with_nans(data("m8[s]", (6, 5, 4), 5), 6)
    check_parallel(time_means, deltas)
    check_parallel(time_means, np.asfortranarray(data("m8[ms]", (6, 5, 4), 7)))


# --- array creation ---------------------------------------------------------------------------------


def ones_of(n):
    return np.ones(n), np.ones((n, 3), np.int32), np.ones((2, n, 3), np.complex64, order="F"), np.ones(n, np.bool_)


def full_of(n):
    return np.full(n, 2.5), np.full((n, 2), 200, np.uint8, order="F"), np.full((n, 3), np.arange(3.0)), np.full(n, 1 + 2j, np.complex64), np.full(n, 7.9, np.int64)


def full_of_times(n):
    return np.full(n, np.timedelta64(3, "s")), np.full((n, 2), np.datetime64("2020-01-02"), order="F")


def like_of(n):
    c, f = np.zeros((n, 3)), np.zeros((3, n), order="F")
    return np.ones_like(c), np.ones_like(f, dtype=np.int16), np.full_like(f, 0.25), np.full_like(c, np.arange(3)), np.zeros_like(f, dtype=np.complex128), np.zeros_like(c, shape=(n, 2), order="F")


def ranges_of(n):
    return np.arange(n), np.arange(-n, n, 3), np.arange(0.5, n * 0.25, 0.25), np.arange(n, 0, -1, np.float32), np.arange(n, dtype=np.uint8)


def complex_ranges_of(n):
    return np.arange(1 + 2j, n, 0.5 + 1j), np.arange(0, n * (1 + 1j), 1 + 0.75j, np.complex64)


def time_ranges_of(n):
    start = np.datetime64("2020-01-01", "D")
    return np.arange(start, start + n), np.arange(np.timedelta64(n, "h"), np.timedelta64(-n, "h"), np.timedelta64(-90, "m"))


def samples_of(n):
    return (
        np.linspace(0, 1, n),
        np.linspace(-3.5, 7.25, n, endpoint=False),
        np.linspace(2, -1, n, dtype=np.float32),
        np.linspace(-7.5, 100, n, dtype=np.int32),
        np.linspace(1 + 1j, -3 + 0.5j, n),
        np.linspace(np.float32(0.1), np.float32(3), n),
        # A step that underflows to 0: each sample from `i / div`.
        np.linspace(0, 1e-320, n),
        np.linspace(5, 5, n),
    )


def samples_with_step(n):
    return np.linspace(0, 10, n, retstep=True), np.linspace(1, 2, n, endpoint=False, retstep=True)


CREATION_FUNCS = [ones_of, full_of, full_of_times, like_of, ranges_of, complex_ranges_of, time_ranges_of, samples_of, samples_with_step]
SIZES = [0, 1, 2, 3, 7, 1001]
CREATION_ROWS = [(f, n) for f in CREATION_FUNCS for n in SIZES]


@pytest.mark.parametrize("pyfunc,n", CREATION_ROWS, ids=[f"{f.__name__}-{n}" for f, n in CREATION_ROWS])
def test_creation(pyfunc, n):
    got = check_parallel(pyfunc, n, pooled=n > 3)
    assert_same_bits(got, to_python(pyfunc(n)), "parallel vs NumPy, bit for bit")


def negative_samples(n):
    return np.linspace(0, 1, n)


def range_by_zero(n):
    return np.arange(0, n, 0)


def test_creation_errors():
    # NumPy 2's message names the number; compiled code's is NumPy 1's.
    check_parallel(negative_samples, -1, exc_msg=False)
    check_parallel(range_by_zero, 5)


# --- beyond the measured threshold --------------------------------------------------------------


def large_work(a, n):
    return a.argmin(), np.argmax(a[::-1]), a.reshape(-1, 64).sum(axis=(1,)), np.arange(n), np.linspace(-1, 1, n), np.ones(n, np.float32)


def axes_of_large(a):
    return a.sum(axis=(0,), where=a > 0.5), a.argmax(axis=1)


def test_beyond_the_measured_threshold():
    # The threshold as shipped: arrays from 2**20 elements go to the pool, and agree.
    n = MEASURED + 3
    rng = np.random.default_rng(8)
    a = np.round(rng.random(n), 3)
    a[n - 5] = -1.0
    a[n // 3] = -1.0
    ferrojit._native.parallel_threshold(MEASURED)
    try:
        check_parallel(large_work, a, n, numpy_rel=SUM_RTOL)
        check_parallel(axes_of_large, a[: 64 * (n // 64)].reshape(-1, 64), numpy_rel=SUM_RTOL)
    finally:
        ferrojit._native.parallel_threshold(0)


# --- exceptions and memory ------------------------------------------------------------------------


def empty_argmin(a):
    return a.argmin()


def empty_min_along(a):
    return np.min(a, axis=(0, 1))


def test_exceptions_leak_nothing():
    parallel_argmin, _ = compiled(empty_argmin)
    parallel_min, _ = compiled(empty_min_along)
    parallel_samples, _ = compiled(negative_samples)
    empty = np.zeros((0, 4))

    def fail_each():
        with pytest.raises(ValueError, match="attempt to get argmin of an empty sequence"):
            parallel_argmin(np.asfortranarray(np.zeros((4, 0))))
        with pytest.raises(ValueError, match="zero-size array to reduction operation minimum which has no identity"):
            parallel_min(empty[:, ::2])
        with pytest.raises(ValueError, match="Number of samples must be non-negative."):
            parallel_samples(-3)

    fail_each()
    before = ferrojit._native.live_allocations()
    for _ in range(30):
        fail_each()
    assert ferrojit._native.live_allocations() == before


def test_memory_over_many_calls():
    a = data(np.float64, (37, 11, 6), 9)
    strided = a[::2, ::-1, ::2]
    runs = [
        (arg_extremes, (np.asfortranarray(a),)),
        (arg_extremes, (strided,)),
        # Gathered lanes (axes 0 and 2: not one stride) and masks.
        (sum_axes, (a,)),
        (prod_where, (strided,)),
        (spread_along, (a,)),
        (into_out, (np.asfortranarray(a),)),
        (arg_along, (strided,)),
        (full_of, (1001,)),
        (like_of, (1001,)),
        (ranges_of, (1001,)),
        (complex_ranges_of, (1001,)),
        (samples_of, (1001,)),
        (samples_with_step, (1001,)),
        # The compiler's reductions along one axis.
        (compiled_sums, (strided, 1)),
        (compiled_means, (np.asfortranarray(a), 0)),
        (compiled_extremes, (a, 2)),
    ]
    functions = [(compiled(f)[0], args) for f, args in runs]
    for f, args in functions:
        f(*args)
    before = ferrojit._native.live_allocations()
    for _ in range(20):
        for f, args in functions:
            f(*args)
    assert ferrojit._native.live_allocations() == before


# --- when the pool runs --------------------------------------------------------------------------


def argmin_in_prange(m):
    out = np.zeros(m.shape[0], np.int64)
    for i in prange(m.shape[0]):
        out[i] = m[i].argmin() + np.arange(m.shape[1])[0]
    return out


@pytest.mark.skipif(THREADS < 2, reason="the pool has one thread")
def test_when_the_pool_runs():
    parallel, serial = compiled(empty_argmin)
    n = 10_000
    ferrojit._native.parallel_threshold(n)
    try:
        for size, pooled in ((n - 1, False), (n, True), (4 * n, True)):
            a = np.arange(size, 0, -1.0)
            before = regions()
            assert parallel(a) == size - 1
            assert (regions() > before) is pooled, size
            # A function compiled without parallel=True never uses the pool.
            before = regions()
            assert serial(a) == size - 1
            assert regions() == before
        # Along axes, the size is the whole array's, however few elements each lane has.
        along, _ = compiled(arg_along)
        before = regions()
        along(np.ones((n // 4, 2, 2)))
        assert regions() > before
        before = regions()
        along(np.ones((n // 8, 2, 2)))
        assert regions() == before
        # One thread: serial.
        ferrojit.set_num_threads(1)
        try:
            before = regions()
            parallel(np.ones(4 * n))
            assert regions() == before
        finally:
            ferrojit.set_num_threads(THREADS)
        # Inside a prange loop the library's work runs serially: one region, the loop's.
        nested, _ = compiled(argmin_in_prange)
        m = np.random.default_rng(10).random((8, n))
        nested(m)
        before = regions()
        np.testing.assert_array_equal(nested(m), argmin_in_prange(m))
        assert regions() - before == 1
    finally:
        ferrojit._native.parallel_threshold(0)


def test_parallel_diagnostics_still_work():
    parallel, _ = compiled(arg_extremes)
    parallel(np.arange(10.0))
    out = io.StringIO()
    parallel.parallel_diagnostics(file=out)
    text = out.getvalue()
    assert text.startswith("Parallel diagnostics for arg_extremes:")
    assert "compiled for (array(float64, 1d, C)):" in text
    _, serial = compiled(arg_extremes)
    serial(np.arange(10.0))
    out = io.StringIO()
    serial.parallel_diagnostics(file=out)
    assert "not compiled with parallel=True" in out.getvalue()


def library_calls(a):
    first = np.argmin(a)
    total = np.cumsum(a)
    inside = 0
    for i in prange(3):
        inside += np.argmax(a)
    return first, total, inside


def test_parallel_diagnostics_name_the_library_calls():
    """Each call of the library in the function's body is listed with its text: on the pool from
    the threshold where its implementation shares the work out, else serial. Calls inside a
    `prange` body run serially on their pool thread and belong to the loop's line."""
    parallel, serial = compiled(library_calls)
    a = np.arange(10.0)
    assert_same_bits(parallel(a), serial(a), "library_calls")
    out = io.StringIO()
    parallel.parallel_diagnostics(file=out)
    text = out.getvalue()
    first = library_calls.__code__.co_firstlineno
    threshold = ferrojit._native.parallel_threshold()
    assert f"line {first + 1}: `np.argmin(a)` runs in parallel from {threshold} elements: ferrojit's library shares the work out on the pool" in text
    assert f"line {first + 2}: `np.cumsum(a)` runs serially: ferrojit's library has no parallel implementation of it" in text
    assert "np.argmax" not in text
    assert f"line {first + 4}: prange loop runs in parallel" in text


# --- which callers compile the parallel implementations ----------------------------------------------


def library_mix(a, n):
    return a.argmin(), a.sum(axis=(0, 1)), np.max(a, axis=1, initial=0), np.arange(n), np.linspace(0, 1, n), np.ones(n, np.uint16), np.full(n, 3, np.uint16)


def parallel_dispatchers():
    from ferrojit import extending

    return sum(1 for d in extending._implementations.values() if d._options.get("parallel"))


def test_only_parallel_callers_compile_the_parallel_implementations():
    # Types no other test meets, so that the library's implementations are new for them.
    a = data(np.uint16, (6, 5, 4), 11)
    n = np.uint16(9)
    before = parallel_dispatchers()
    serial = njit(library_mix)
    assert_same_value(serial(a, n), to_python(library_mix(a, n)))
    assert parallel_dispatchers() == before
    parallel = njit(parallel=True)(library_mix)
    assert_same_bits(parallel(a, n), serial(a, n), "parallel vs serial")
    assert parallel_dispatchers() > before


def test_the_table_of_parallel_implementations_agrees_with_the_modules():
    # `SEE_CALLER_PARALLEL` declares the NumPy functions and array methods whose typing functions
    # take `_caller_parallel` before their module is imported: exactly those.
    from ferrojit import _lib, extending

    for module in ("reductions", "creation"):
        _lib.import_module(f"ferrojit._lib.{module}")
    functions = set()
    for key, entries in extending._function_typing.items():
        qualified = extending._qualified_names.get(key, "")
        if qualified.startswith("numpy.") and any(options.get(extending._SEES_CALLER_PARALLEL) for _, options in entries):
            functions.add(qualified[len("numpy."):])
    assert functions == set(_lib.SEE_CALLER_PARALLEL)
    methods = {name for name, entries in extending._method_typing.items() if any(options.get(extending._SEES_CALLER_PARALLEL) for _, _, options in entries)}
    assert methods == set(_lib.SEE_CALLER_PARALLEL) & set(_lib.METHODS_IN)
