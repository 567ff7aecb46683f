"""Whole-array expressions and reductions under `parallel=True`, on the thread pool (see
crates/ferrojit_codegen/src/parallel_maps.rs): the function compiled with `parallel=True`
against the same function compiled serially and run by NumPy, over dtypes, memory layouts,
broadcasting, in-place updates and reductions; exceptions; memory; when the pool is used.

While this module's tests run, arrays of every size go to the pool: the threshold below which
whole-array operations stay serial is set to 0 (`ARRAY_THRESHOLD`, measured, is tested on its
own), and each comparison checks that the pool ran when the machine has two threads or more.

Tolerances. A map computes every element with the same code in both versions: arithmetic
agrees exactly with the serial result and with NumPy. Math functions (`np.sin`) have vector
and scalar versions that may differ in the last bits, and the cut into chunks moves which
elements each computes: MATH_RTOL. Integer reductions and every min/max are exact. A float sum
is pairwise within each chunk, then the chunks' sums are added in order: it agrees with the
serial (pairwise) sum and with NumPy's within SUM_RTOL (float32: SUM_RTOL32), on data without
cancellation (values in [0.5, 1.5)).
"""

import numpy as np
import pytest

import ferrojit
from ferrojit import njit, prange, vectorize

from helpers import _clone_arg, _run_python_quiet, assert_same_value, to_python
from parallel_helpers import MEASURED, SUM_RTOL, SUM_RTOL32, THREADS, every_size_runs_in_parallel, regions  # noqa: F401 - the fixture applies to this module

MATH_RTOL = 1e-14


# --- the functions ------------------------------------------------------------------------------


def arith(a, b):
    return a * b - a + 2 * b


def with_math(a, b):
    # No cancellation: the tolerance is relative.
    return np.sqrt(np.abs(a) + 1) * np.cos(np.abs(b) * 0.1)


def with_abs(a, b):
    return -np.abs(a) * 2 + b


def inplace_add(a, b):
    a += b
    return a


def inplace_mul_twice(a, b):
    a *= 2
    a -= b
    return a


def assign_into(a, b):
    a[:] = b * 2 + 1
    return a


def assign_into_part(a, b):
    a[1:-1] = b[1:-1] - a[1:-1]
    return a


def floor_div(a, b):
    return a // b


def chained(a, b):
    d = a - b
    e = d * d
    return e + a


def sum_of_product(a, b):
    return np.sum(a * b)


def method_sum(a, b):
    return a.sum() + b.sum()


def sum_of_expression(a, b):
    return (a * b + a).sum()


def mean_of(a, b):
    return (a - b).mean()


def max_of(a, b):
    return a.max()


def min_of(a, b):
    return np.min(a - b)


def max_min(a, b):
    return np.max(a * b), b.min()


def products(a, b):
    return a.prod(), np.prod(a * b)


MAPS = [arith, with_math, with_abs, inplace_add, inplace_mul_twice, assign_into, chained]
REDUCTIONS = [sum_of_product, method_sum, sum_of_expression, mean_of, max_of, min_of, max_min, products]
DTYPES = [np.float64, np.float32, np.int64, np.complex128]

# --- arrays -------------------------------------------------------------------------------------


def data(dtype, shape, seed, positive=False):
    """Values of `dtype`: integers in [-50, 50), floats (and both parts of complex numbers)
    standard normal or, with `positive`, in [0.5, 1.5)."""
    rng = np.random.default_rng(seed)
    dt = np.dtype(dtype)
    if dt.kind == "i":
        return rng.integers(-50, 50, shape).astype(dt)
    draw = (lambda: rng.random(shape) + 0.5) if positive else (lambda: rng.standard_normal(shape))
    if dt.kind == "c":
        return (draw() + 1j * draw()).astype(dt)
    return np.asarray(draw()).astype(dt)


# name -> (dtype, seed, positive) -> array: every memory layout the pool cuts differently.
LAYOUTS = {
    "C": lambda dt, seed, pos: data(dt, (37, 11), seed, pos),
    "F": lambda dt, seed, pos: np.asfortranarray(data(dt, (37, 11), seed, pos)),
    "strided": lambda dt, seed, pos: data(dt, (74, 33), seed, pos)[::2, ::3],
    "negative": lambda dt, seed, pos: data(dt, (37, 11), seed, pos)[::-1, ::-2][:, :6],
    "1d": lambda dt, seed, pos: data(dt, 403, seed, pos),
    "1d negative": lambda dt, seed, pos: data(dt, 806, seed, pos)[::-2],
    "3d F": lambda dt, seed, pos: np.asfortranarray(data(dt, (5, 4, 9), seed, pos)),
    "0d": lambda dt, seed, pos: data(dt, (), seed, pos),
    "empty": lambda dt, seed, pos: data(dt, (0, 11), seed, pos),
    "empty columns": lambda dt, seed, pos: data(dt, (37, 0), seed, pos),
}


def arrays(dtype, layout, positive=False):
    make = LAYOUTS[layout]
    return make(dtype, 1, positive), make(dtype, 2, positive)


# One dispatcher per function and mode for the module: a row compiles only the types it is
# the first to meet.
PARALLEL = {}
SERIAL = {}


def compiled(pyfunc):
    return PARALLEL.setdefault(pyfunc, njit(parallel=True)(pyfunc)), SERIAL.setdefault(pyfunc, njit(pyfunc))


def pool_runs(args):
    """Whether an operation over `args` goes to the pool: two threads, and some array with
    more than one index along the dimension the pool cuts (so at least two chunks)."""
    def cut(a):
        if not isinstance(a, np.ndarray) or a.ndim == 0 or a.size == 0:
            return 1
        return a.shape[-1] if a.flags.f_contiguous and not a.flags.c_contiguous else a.shape[0]

    return THREADS >= 2 and any(cut(a) > 1 for a in args)


def check_parallel(pyfunc, *args, rel=None, numpy_rel=None, exc_msg=True):
    """The parallel function's result equals the serial function's (type, dtype, shape, values
    exactly unless `rel`) and NumPy's (within `numpy_rel`, else `rel`), and the arguments hold
    the same values afterwards (in-place writes); or it raises what NumPy raises (with its
    message unless `exc_msg` is False), as the serial function does. Returns the parallel
    result."""
    numpy_rel = numpy_rel if numpy_rel is not None else rel
    parallel, serial = compiled(pyfunc)
    py_args = tuple(_clone_arg(a) for a in args)
    serial_args = tuple(_clone_arg(a) for a in args)
    try:
        expected = to_python(_run_python_quiet(pyfunc, *py_args))
    except Exception as exc:  # noqa: BLE001 - the compiled functions must raise the same
        messages = []
        for f, f_args in ((parallel, args), (serial, serial_args)):
            with pytest.raises(type(exc)) as info:
                f(*f_args)
            messages.append(str(info.value))
        assert messages[0] == messages[1]
        if exc_msg:
            assert messages[0] == str(exc)
        return None
    before = regions()
    got = parallel(*args)
    ran = regions() - before
    assert_same_value(got, serial(*serial_args), rel=rel, where="parallel vs serial")
    assert_same_value(got, expected, rel=numpy_rel, where="parallel vs NumPy")
    for i, (a, p, s) in enumerate(zip(args, py_args, serial_args)):
        if isinstance(a, np.ndarray):
            assert_same_value(a, p, rel=numpy_rel, where=f"argument {i} after the call")
            assert_same_value(a, s, rel=rel, where=f"argument {i} after the serial call")
    sizes = [a.size for a in args if isinstance(a, np.ndarray)]
    if pool_runs(args) and min(sizes) > 0:
        assert ran >= 1, "the pool did not run"
    return got


def map_rel(pyfunc, dtype):
    # The absolute value of a complex number is a math function too (`hypot`).
    if pyfunc is with_math or (pyfunc is with_abs and np.dtype(dtype).kind == "c"):
        return MATH_RTOL if np.dtype(dtype) != np.float32 else 1e-6
    return None


def numpy_map_rel(pyfunc, dtype):
    # Complex products and quotients are not computed as NumPy computes them.
    if np.dtype(dtype).kind == "c":
        return MATH_RTOL
    return map_rel(pyfunc, dtype)


# Compiled code types an expression of 0-d arrays as a number, which `a[:] = ...`, `np.sum()`,
# `np.min()` and `np.max()` do not take yet (serially neither).
ZERO_D_REFUSED = (assign_into, sum_of_product, min_of, max_min, products)
MAP_ROWS = [(f, dt, layout) for f in MAPS for dt in DTYPES for layout in LAYOUTS if not (layout == "0d" and f in ZERO_D_REFUSED)]


@pytest.mark.parametrize("pyfunc,dtype,layout", MAP_ROWS, ids=[f"{f.__name__}-{np.dtype(dt).name}-{lay}" for f, dt, lay in MAP_ROWS])
def test_maps(pyfunc, dtype, layout):
    a, b = arrays(dtype, layout)
    check_parallel(pyfunc, a, b, rel=map_rel(pyfunc, dtype), numpy_rel=numpy_map_rel(pyfunc, dtype))


def test_assign_into_part():
    for dtype in DTYPES:
        for layout in ["C", "F", "strided", "negative", "1d", "1d negative", "empty columns"]:
            a, b = arrays(dtype, layout)
            check_parallel(assign_into_part, a, b)


def reduction_rel(dtype):
    kind = np.dtype(dtype).kind
    if kind == "i":
        return None
    return SUM_RTOL32 if np.dtype(dtype) == np.float32 else SUM_RTOL


REDUCTION_ROWS = [
    (f, dt, layout)
    for f in REDUCTIONS
    for dt in DTYPES
    for layout in LAYOUTS
    if not (np.dtype(dt).kind == "c" and f in (max_of, min_of, max_min)) and not (layout == "0d" and f in ZERO_D_REFUSED)
]


@pytest.mark.parametrize("pyfunc,dtype,layout", REDUCTION_ROWS, ids=[f"{f.__name__}-{np.dtype(dt).name}-{lay}" for f, dt, lay in REDUCTION_ROWS])
def test_reductions(pyfunc, dtype, layout):
    a, b = arrays(dtype, layout, positive=True)
    # Empty min/max raise NumPy's ValueError before any chunk runs.
    check_parallel(pyfunc, a, b, rel=reduction_rel(dtype))


def variances(a, b):
    return a.var(), np.std(a), np.var(b, ddof=1), b.std(ddof=3)


# `var` and `std` of whole real arrays (Numba parallelises them): the mean, then the sum of the
# squared deviations, each a reduction on the pool, as NumPy computes them (pairwise sums). The
# serial library sums the squares in order, hence a tolerance against it and NumPy alike.
VARIANCE_ROWS = [(dt, layout) for dt in (np.float64, np.float32, np.int64) for layout in LAYOUTS if layout != "0d"]


@pytest.mark.parametrize("dtype,layout", VARIANCE_ROWS, ids=[f"{np.dtype(dt).name}-{lay}" for dt, lay in VARIANCE_ROWS])
def test_variances(dtype, layout):
    a, b = arrays(dtype, layout, positive=True)
    check_parallel(variances, a, b, rel=SUM_RTOL32 if np.dtype(dtype) == np.float32 else SUM_RTOL)


def test_large_reductions_agree_within_the_tolerance():
    # Long enough for many pairwise blocks per chunk.
    rng = np.random.default_rng(3)
    a, b = rng.random(300_001) + 0.5, rng.random(300_001) + 0.5
    for pyfunc in (sum_of_product, method_sum, mean_of, max_min, variances):
        check_parallel(pyfunc, a, b, rel=SUM_RTOL)
    ints = rng.integers(-1000, 1000, 300_001)
    for pyfunc in (sum_of_product, method_sum, max_min):
        check_parallel(pyfunc, ints, ints[::-1].copy())


def test_special_values():
    # NaN anywhere makes min and max NaN, in whichever chunk it is.
    a = np.linspace(0.5, 1.5, 1000)
    for at in (0, 499, 999):
        x = a.copy()
        x[at] = np.nan
        check_parallel(max_min, x, a)
        check_parallel(max_min, a, x)
    check_parallel(sum_of_product, np.full(1000, np.inf), a)
    ints = np.arange(1000, dtype=np.int64)
    ints[700] = np.iinfo(np.int64).min
    check_parallel(max_min, ints, ints)


# --- more dtypes ----------------------------------------------------------------------------------


def extremes_and_sum(a):
    return a.max(), a.min(), a.sum()


def compare(a, b):
    return (a > b) | (a == 0)


def shift_dates(a, d):
    return a + d


def mean_and_sum(a):
    return a.mean(), (a * 2).sum()


def scale_and_add(a):
    return a * 3 + a


MORE_DTYPES = [
    ("bool", extremes_and_sum, lambda: (np.arange(300) % 3 == 1,), None),
    ("int8", extremes_and_sum, lambda: (np.arange(-100, 100, dtype=np.int8),), None),
    ("uint8", extremes_and_sum, lambda: (np.arange(200, dtype=np.uint8),), None),
    ("uint64", extremes_and_sum, lambda: (np.arange(300, dtype=np.uint64) * np.uint64(2**40),), None),
    ("comparison", compare, lambda: (data(np.float64, (40, 9), 1), data(np.float64, 9, 2)), None),
    ("datetime64", shift_dates, lambda: (np.arange("2020-01-01", "2020-12-01", dtype="datetime64[D]"), np.timedelta64(3, "h")), None),
    ("timedelta64", scale_and_add, lambda: (np.arange(300).astype("m8[s]"),), None),
    ("complex64", mean_and_sum, lambda: (data(np.complex64, 300, 3, positive=True),), SUM_RTOL32),
    ("float32", mean_and_sum, lambda: (data(np.float32, (30, 10), 3, positive=True),), SUM_RTOL32),
]


@pytest.mark.parametrize("name,pyfunc,make,rel", MORE_DTYPES, ids=[m[0] for m in MORE_DTYPES])
def test_more_dtypes(name, pyfunc, make, rel):
    check_parallel(pyfunc, *make(), rel=rel)


# --- broadcasting --------------------------------------------------------------------------------


def add(a, b):
    return a + b


def mul(a, b):
    return a * b


def add_into(a, b):
    a += b
    return a


def set_into(a, b):
    a[:] = b
    return a


BROADCASTS = [
    ("row", add, lambda: (data(np.float64, (37, 11), 1), data(np.float64, 11, 2))),
    ("column", mul, lambda: (data(np.float64, (37, 11), 1), data(np.float64, (37, 1), 2))),
    ("outer", add, lambda: (data(np.int64, (37, 1), 1), data(np.int64, 11, 2))),
    ("first extent 1", add, lambda: (data(np.float64, (1, 11), 1), data(np.float64, (37, 11), 2))),
    ("3d", mul, lambda: (data(np.complex128, (5, 1, 7), 1), data(np.complex128, (6, 1), 2))),
    ("scalar", add, lambda: (data(np.float32, (37, 11), 1), np.float32(2.5))),
    ("python scalar", mul, lambda: (data(np.int64, 300, 1), 3)),
    ("F with row", add, lambda: (np.asfortranarray(data(np.float64, (37, 11), 1)), data(np.float64, 11, 2))),
    ("F with F", add, lambda: (np.asfortranarray(data(np.float64, (37, 11), 1)), np.asfortranarray(data(np.float64, (37, 11), 2)))),
    ("F with F column", mul, lambda: (np.asfortranarray(data(np.float64, (37, 11), 1)), np.asfortranarray(data(np.float64, (37, 1), 2)))),
    ("F with F row", mul, lambda: (np.asfortranarray(data(np.float64, (37, 11), 1)), np.asfortranarray(data(np.float64, (1, 11), 2)))),
    ("mismatch", add, lambda: (data(np.float64, (37, 11), 1), data(np.float64, (36, 11), 2))),
    ("into row", add_into, lambda: (data(np.float64, (37, 11), 1), data(np.float64, 11, 2))),
    ("into column", set_into, lambda: (data(np.int64, (37, 11), 1), data(np.int64, (37, 1), 2))),
    ("into F", add_into, lambda: (np.asfortranarray(data(np.float64, (37, 11), 1)), data(np.float64, (37, 1), 2))),
    ("into mismatch", set_into, lambda: (data(np.float64, (37, 11), 1), data(np.float64, (36, 11), 2))),
    ("into mismatch F", add_into, lambda: (np.asfortranarray(data(np.float64, (37, 11), 1)), data(np.float64, 10, 2))),
]


@pytest.mark.parametrize("name,pyfunc,make", BROADCASTS, ids=[b[0] for b in BROADCASTS])
def test_broadcasting(name, pyfunc, make):
    # Complex products are not computed as NumPy computes them. `a += b` raises with the message
    # of NumPy's assignments, not of its operators, serially too.
    check_parallel(pyfunc, *make(), numpy_rel=MATH_RTOL if name == "3d" else None, exc_msg=name != "into mismatch F")


# --- overlapping operands and destinations --------------------------------------------------------


def shift_right(a):
    a[1:] = a[:-1] + 1
    return a


def shift_rows(a):
    a[1:, :] = a[:-1, :] * 2
    return a


def reverse_into(a):
    a[::-1] = a + 1
    return a


def same_view(a):
    a[:] = a * a
    return a


@pytest.mark.parametrize("pyfunc", [shift_right, shift_rows, reverse_into, same_view])
def test_overlapping_operands_read_the_old_values(pyfunc):
    # NumPy reads an operand that overlaps the destination before writing (a copy): no chunk
    # may see another's writes.
    a = data(np.float64, (400, 3), 4)
    check_parallel(pyfunc, a if pyfunc is not shift_right else a[:, 0].copy())
    check_parallel(pyfunc, np.asfortranarray(a))


# --- exceptions --------------------------------------------------------------------------------


@vectorize(["int64(int64)"])
def hundred_over(x):
    if x == 0:
        raise ValueError("no hundredth of nothing")
    return 100 // x


def call_vectorized(a):
    return hundred_over(a) + 1


def reduce_vectorized(a):
    return hundred_over(a).sum()


def power(a, b):
    return a ** b


def int_floordiv_by_zero(a, b):
    return a // b + a % b


def test_exceptions_inside_the_expression_reach_the_caller():
    a = np.arange(1, 2001, dtype=np.int64)
    a[1500] = 0
    for pyfunc in (call_vectorized, reduce_vectorized):
        parallel, serial = compiled(pyfunc)
        for f in (parallel, serial):
            with pytest.raises(ValueError, match="no hundredth of nothing"):
                f(a)
    # Integers to a negative power: ValueError, as NumPy's (with a message of its own).
    b = np.ones(2000, dtype=np.int64)
    b[1999] = -1
    check_parallel(power, a, b, exc_msg=False)
    # Integer division by zero gives 0 in array expressions, as NumPy's.
    check_parallel(int_floordiv_by_zero, a, np.where(a % 7 == 0, 0, 3))


def test_exceptions_leak_nothing():
    a = np.arange(1, 2001, dtype=np.int64)
    a[1500] = 0
    b = np.ones(2000, dtype=np.int64)
    b[10] = -1
    parallel_call, _ = compiled(call_vectorized)
    parallel_reduce, _ = compiled(reduce_vectorized)
    parallel_power, _ = compiled(power)
    parallel_set, _ = compiled(set_into)

    def fail_each():
        with pytest.raises(ValueError):
            parallel_call(a)
        with pytest.raises(ValueError):
            parallel_reduce(a)
        with pytest.raises(ValueError):
            parallel_power(a, b)
        with pytest.raises(ValueError):
            parallel_set(np.zeros((40, 3)), np.ones((39, 3)))

    fail_each()
    before = ferrojit._native.live_allocations()
    for _ in range(30):
        fail_each()
    assert ferrojit._native.live_allocations() == before


# --- memory --------------------------------------------------------------------------------------


def many_temporaries(a, b):
    c = a * b + np.sin(a)
    d = np.empty_like(c)
    d[:] = c * 2
    d += a
    s = (d * c).sum() + d.max()
    return d[::-1], s


def test_memory_over_many_calls():
    parallel, _ = compiled(many_temporaries)
    shift, _ = compiled(shift_right)
    reductions = [compiled(f)[0] for f in (products, variances)]
    a, b = data(np.float64, (300, 7), 5), data(np.float64, 7, 6)
    parallel(a, b)
    shift(a[:, 0].copy())
    for f in reductions:
        f(a, a * b)
    before = ferrojit._native.live_allocations()
    for _ in range(100):
        d, s = parallel(a, b)
        del d
        shift(a[:, 0].copy())
        for f in reductions:
            f(a, a * b)
    assert ferrojit._native.live_allocations() == before
    check_parallel(many_temporaries, a, b, rel=MATH_RTOL)


# --- when the pool runs --------------------------------------------------------------------------


def expression_in_prange(a):
    out = np.zeros(a.shape[0])
    for i in prange(a.shape[0]):
        out[i] = (a[i] * 2.0 + 1.0).sum()
    return out


@njit
def serial_helper(a):
    return a * 2.0 + 1.0


def calls_serial_helper(a):
    return serial_helper(a).sum()


@pytest.mark.skipif(THREADS < 2, reason="the pool has one thread")
def test_when_the_pool_runs():
    parallel, serial = compiled(arith)
    n = 10_000
    ferrojit._native.parallel_threshold(n)
    try:
        rows = [
            ((np.ones(n - 1), np.ones(n - 1)), False),
            ((np.ones(n), np.ones(n)), True),
            ((np.ones((2, n // 2)), np.ones(n // 2)), True),
            # One index along the cut: nothing to share.
            ((np.ones((1, n)), np.ones(n)), False),
        ]
        for args, pooled in rows:
            before = regions()
            parallel(*args)
            assert (regions() > before) is pooled, args[0].shape
            # A function compiled without parallel=True never uses the pool.
            before = regions()
            serial(*args)
            assert regions() == before
        large = np.ones(4 * n)
        # One thread: serial.
        ferrojit.set_num_threads(1)
        try:
            before = regions()
            parallel(large, large)
            assert regions() == before
        finally:
            ferrojit.set_num_threads(THREADS)
        # Inside a prange loop the expression runs serially: one region, the loop's.
        nested = njit(parallel=True)(expression_in_prange)
        m = np.ones((8, n))
        nested(m)
        before = regions()
        np.testing.assert_array_equal(nested(m), expression_in_prange(m))
        assert regions() - before == 1
        # A serial function called from a parallel one stays serial; the reduction of what it
        # returns is the caller's own and runs on the pool.
        caller = njit(parallel=True)(calls_serial_helper)
        caller(large)
        before = regions()
        assert caller(large) == calls_serial_helper(large)
        assert regions() - before == 1
    finally:
        ferrojit._native.parallel_threshold(0)


def test_the_threshold_setting():
    # The measured default (see `ARRAY_THRESHOLD`), as README.md states it.
    assert MEASURED == 2**17
    # A negative count is 0: everything goes to the pool.
    ferrojit._native.parallel_threshold(-5)
    assert ferrojit._native.parallel_threshold(0) == 0


@pytest.mark.parametrize("threads", [1, 2])
def test_results_do_not_depend_on_the_run(threads):
    if threads > THREADS:
        pytest.skip("the pool has fewer threads")
    parallel, _ = compiled(sum_of_product)
    a, b = data(np.float64, 100_003, 7), data(np.float64, 100_003, 8)
    ferrojit.set_num_threads(threads)
    try:
        results = {parallel(a, b) for _ in range(20)}
    finally:
        ferrojit.set_num_threads(THREADS)
    assert len(results) == 1
