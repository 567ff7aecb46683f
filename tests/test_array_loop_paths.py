"""The loops behind array expressions, copies and reductions: the trailing dimensions that
every operand walks as one run merge into one loop, whose unit-stride version LLVM
vectorises, with the general strided loop as fallback. Each row is a layout case of one of
those paths (mixed layouts, partly mergeable dimensions, broadcast operands of stride 0,
length-1 dimensions with any stride, negative strides, different item sizes, empty, 0-d),
compared with NumPy; plus destinations overlapping their operands, the precision of
pairwise float sums, NumPy's NaN rule for min/max, and vector instructions in the LLVM IR."""

import math

import numpy as np
import pytest

import ferrojit
from ferrojit import njit

import helpers

# One dispatcher per function for the whole module: a row compiles only the argument types it
# is the first to meet.
_COMPILED = {}


def check_arrays(pyfunc, *args, **kwargs):
    """`helpers.check_arrays` with the module's dispatcher of `pyfunc`."""
    return helpers.check_arrays(pyfunc, *args, compiled=_COMPILED, **kwargs)


# --- the operations -------------------------------------------------------------------------


def add_scaled(a, b):
    return a + 2.0 * b


def add_in_place(dst, a):
    dst += a


def sum_of_product(a, b):
    return (a * b).sum()


def min_of_difference(a, b):
    return (a - b).min()


def copy_of(a):
    return a.copy()


def total(a):
    return a.sum()


def smallest(a):
    return a.min()


def largest(a):
    return a.max()


def average(a):
    return a.mean()


def row_sums(a):
    return a.sum(axis=1)


def column_minima(a):
    return a.min(axis=0)


def row_maxima(a):
    return a.max(axis=1)


# --- layouts ----------------------------------------------------------------------------------


def _grid(*shape, dtype=np.float64):
    return (np.arange(math.prod(shape)) % 7 + 1).astype(dtype).reshape(shape)


def _odd_unit_strides():
    # Dimension 1 has length 1 and a stride no other layout would give it: it never moves.
    base = np.arange(12.0)
    return np.lib.stride_tricks.as_strided(base, shape=(3, 1, 4), strides=(32, 8000, 8))


PAIRS = {
    "C 1-d": lambda: (_grid(10), _grid(10) * 0.5),
    "C and F": lambda: (_grid(3, 4), np.asfortranarray(_grid(3, 4) * 0.5)),
    "F and F": lambda: (np.asfortranarray(_grid(3, 4)), np.asfortranarray(_grid(3, 4) + 1)),
    "C and a middle slice (outer dimension apart)": lambda: (_grid(2, 2, 5), _grid(2, 4, 5)[:, 1:3, :]),
    "C and an outer slice (all dimensions merge)": lambda: (_grid(2, 4, 5), _grid(3, 4, 5)[1:]),
    "length-1 dimension of any stride": lambda: (_grid(3, 1, 4), _odd_unit_strides()),
    "row broadcast (stride 0 outside)": lambda: (_grid(4, 5), _grid(5)),
    "column broadcast (stride 0 inside)": lambda: (_grid(4, 5), _grid(4, 1)),
    "outer product of views": lambda: (_grid(4)[:, None], _grid(5)[None, :]),
    "reversed": lambda: (_grid(9)[::-1], _grid(9)),
    "every other element": lambda: (_grid(10)[::2], _grid(10)[1::2]),
    "transposed": lambda: (_grid(3, 4), _grid(4, 3).T),
    "int8 and float32 (different item sizes)": lambda: (_grid(2, 6, dtype=np.int8), _grid(2, 6, dtype=np.float32)),
    "empty": lambda: (np.zeros((0, 3)), np.zeros((0, 3))),
    "empty inner dimension": lambda: (np.zeros((3, 0)), np.zeros((3, 0))),
    "0-d": lambda: (np.array(2.5), np.array(1.5)),
    "longer than a vector block": lambda: (_grid(1003), _grid(1003)[::-1]),
}


@pytest.mark.parametrize("func", [add_scaled, sum_of_product, min_of_difference, add_in_place])
@pytest.mark.parametrize("case", list(PAIRS))
def test_two_operand_maps_match_numpy_over_layouts(func, case):
    a, b = PAIRS[case]()
    if func is min_of_difference and a.size == 0:
        pytest.skip("an empty minimum raises; covered by test_empty_min_and_max_raise")
    if func in (sum_of_product, min_of_difference) and a.ndim == 0:
        pytest.skip("an expression of 0-d arrays is a scalar in compiled code, without methods")
    if func is add_in_place:
        # The destination has the broadcast shape: a fresh array, or the first operand when
        # it has that shape already.
        a = a.copy() if a.shape == np.broadcast_shapes(a.shape, b.shape) else np.broadcast_to(a, np.broadcast_shapes(a.shape, b.shape)).copy()
        if a.dtype == np.int8:
            b = b.astype(np.int8)
    check_arrays(func, a, b, rel=1e-15 if func is sum_of_product else None)


SINGLES = {
    "C 3-d": lambda: _grid(2, 3, 4),
    "F 3-d": lambda: np.asfortranarray(_grid(2, 3, 4)),
    "middle slice": lambda: _grid(2, 5, 3)[:, 1:4, :],
    "reversed rows": lambda: _grid(4, 5)[::-1],
    "reversed columns": lambda: _grid(4, 5)[:, ::-1],
    "length-1 dimension of any stride": _odd_unit_strides,
    "broadcast view (stride 0)": lambda: np.broadcast_to(_grid(5), (3, 5)),
    "int16": lambda: _grid(3, 7, dtype=np.int16),
    "uint8 slice": lambda: _grid(6, 6, dtype=np.uint8)[1:, ::2],
    "complex128": lambda: _grid(4, 3) + 1j * _grid(4, 3)[::-1],
    "0-d": lambda: np.array(4.25),
    "empty": lambda: np.zeros((2, 0)),
}


@pytest.mark.parametrize("func", [copy_of, total, average, smallest, largest])
@pytest.mark.parametrize("case", list(SINGLES))
def test_whole_array_copies_and_reductions_match_numpy_over_layouts(func, case):
    a = SINGLES[case]()
    if func in (smallest, largest) and (a.size == 0 or a.dtype.kind == "c"):
        pytest.skip("empty min/max raise (see below); complex min/max is not supported")
    check_arrays(func, a, rel=1e-15 if func in (total, average) else None)


@pytest.mark.parametrize("func", [row_sums, column_minima, row_maxima])
@pytest.mark.parametrize("case", ["C 3-d", "F 3-d", "middle slice", "reversed columns", "broadcast view (stride 0)", "int16", "uint8 slice"])
def test_axis_reductions_match_numpy_over_layouts(func, case):
    check_arrays(func, SINGLES[case](), rel=1e-15 if func is row_sums else None)


# --- destinations overlapping their operands ------------------------------------------------


def shift_right(u):
    u[1:] = u[:-1] + 1.0


def shift_left(u):
    u[:-1] = u[1:] * 2.0


def reverse_into_itself(u):
    u[:] = u[::-1] + 0.5


def double_in_place(u):
    u += u


def add_own_transpose(m):
    m += m.T


def shift_rows_down(m):
    m[1:, :] = m[:-1, :] + 1.0


def shift_columns_right(m):
    m[:, 1:] = m[:, :-1] * 3.0


@pytest.mark.parametrize(
    "func, make",
    [
        (shift_right, lambda: _grid(1001)),
        (shift_left, lambda: _grid(1001)),
        (reverse_into_itself, lambda: _grid(1001)),
        (double_in_place, lambda: _grid(37)),
        (add_own_transpose, lambda: _grid(5, 5)),
        (shift_rows_down, lambda: _grid(6, 40)),
        (shift_columns_right, lambda: _grid(6, 40)),
        (shift_right, lambda: np.zeros(0)),
    ],
    ids=["shift right", "shift left", "reverse into itself", "double in place", "add own transpose", "shift rows down", "shift columns right", "shift right, empty"],
)
def test_destinations_overlapping_operands_read_the_old_values(func, make):
    check_arrays(func, make())


# --- pairwise float sums ----------------------------------------------------------------------

EPS64 = np.finfo(np.float64).eps
EPS32 = float(np.finfo(np.float32).eps)


def sum_of_squares_of_difference(a, b):
    return ((a - b) ** 2).sum()


def _exact(values):
    return math.fsum(np.asarray(values, dtype=np.float64).ravel().tolist())


# Each row: function, its arguments, the exact sum (math.fsum of the terms NumPy computes), and
# the bound on |got - exact| / exact. A sum in order has an error that grows with n (0.1 added
# 4e6 times is off by about 1e-10 relatively); a pairwise sum, as NumPy's, stays within a few
# ulps times log2(n): 8 * eps is both NumPy's observed error here and far below the in-order one.
def _sum_rows():
    rng = np.random.default_rng(7)
    tenths = np.full(4_000_000, 0.1)
    uniform = rng.random(1_000_003)
    a, b = rng.random(1_000_000), rng.random(1_000_000)
    rows = np.full((3, 1_000_000), 0.1)
    tenths32 = np.full(1_000_000, 0.1, dtype=np.float32)
    yield "0.1 four million times", total, (tenths,), _exact(tenths), 8 * EPS64
    yield "uniform, odd length", total, (uniform,), _exact(uniform), 8 * EPS64
    yield "mean of 0.1s", average, (tenths,), _exact(tenths) / tenths.size, 8 * EPS64
    yield "map of a difference", sum_of_squares_of_difference, (a, b), _exact((a - b) ** 2), 8 * EPS64
    yield "strided (every other)", total, (tenths[::2],), _exact(tenths[::2]), 8 * EPS64
    yield "float32", total, (tenths32,), _exact(tenths32), 8 * EPS32
    yield "complex", total, (tenths * (1 + 1j),), _exact(tenths), 8 * EPS64


SUM_ROWS = list(_sum_rows())


@pytest.mark.parametrize("name, func, args, exact, bound", SUM_ROWS, ids=[r[0] for r in SUM_ROWS])
def test_float_sums_are_pairwise(name, func, args, exact, bound):
    got = njit(func)(*args)
    got_real = got.real if isinstance(got, complex) else got
    assert abs(got_real - exact) <= bound * abs(exact), f"{got!r} vs exact {exact!r}"
    expected = func(*args)
    assert got == pytest.approx(expected, rel=bound)


def test_row_sums_along_an_axis_are_pairwise():
    rows = np.full((3, 1_000_000), 0.1)
    got = njit(row_sums)(rows)
    exact = _exact(rows[0])
    assert np.all(np.abs(got - exact) <= 8 * EPS64 * exact), got


# --- min and max: NumPy's NaN rule, extremes ----------------------------------------------------


def _with_nan(n, at):
    a = _grid(n) * 0.5
    a[at] = np.nan
    return a


@pytest.mark.parametrize("func", [smallest, largest, row_maxima, column_minima])
@pytest.mark.parametrize(
    "make",
    [
        lambda: _with_nan(1003, 0),
        lambda: _with_nan(1003, 5),
        lambda: _with_nan(1003, 500),
        lambda: _with_nan(1003, 1002),
        lambda: np.full(9, np.nan),
        lambda: np.array([np.inf, -np.inf, 3.0]),
        lambda: np.array([-np.inf]),
    ],
    ids=["nan first", "nan in the first vector", "nan in the middle", "nan last", "all nan", "infinities", "one -inf"],
)
def test_min_and_max_propagate_nan_as_numpy(func, make):
    a = make()
    if func in (row_maxima, column_minima):
        a = np.stack([a, a[::-1]], axis=1 if func is column_minima else 0)
    check_arrays(func, a)


@pytest.mark.parametrize("func", [smallest, largest, min_of_difference])
@pytest.mark.parametrize(
    "a",
    [
        np.array([5, -128, 127, 0], dtype=np.int8),
        np.array([2**64 - 1, 0, 7], dtype=np.uint64),
        np.array([-(2**63), 2**63 - 1], dtype=np.int64),
        np.array([np.iinfo(np.int32).max] * 3, dtype=np.int32),
        np.array([True, False, True]),
        np.array([True, True]),
        np.array([-3.5], dtype=np.float32),
    ],
    ids=str,
)
def test_min_and_max_of_integers_and_bools_reach_every_value(func, a):
    if func is min_of_difference:
        if a.dtype == np.bool_:
            pytest.skip("NumPy refuses - on booleans")
        check_arrays(func, a, a[::-1])
    else:
        check_arrays(func, a)


@pytest.mark.parametrize("func", [smallest, largest, min_of_difference, column_minima])
def test_empty_min_and_max_raise(func):
    a = np.zeros((0, 4))
    args = (a, a) if func is min_of_difference else (a,)
    check_arrays(func, *args, exc_msg=True)


# --- vector instructions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "func, args, pattern",
    [
        (total, (np.ones(100),), "call reassoc double @llvm.vector.reduce.fadd"),
        (sum_of_product, (np.ones(100), np.ones(100)), "call reassoc double @llvm.vector.reduce.fadd"),
        (smallest, (np.ones(100),), "@llvm.vector.reduce.fminimum"),
        (largest, (np.ones((4, 5)),), "@llvm.vector.reduce.fmaximum"),
        (row_sums, (np.ones((4, 5)),), "call reassoc double @llvm.vector.reduce.fadd"),
    ],
    ids=["sum", "sum of a map", "min", "max of 2-d", "sum along an axis"],
)
def test_contiguous_reductions_vectorise(func, args, pattern):
    f = ferrojit.njit(func)
    f(*args)
    ir = "\n".join(f.inspect_llvm().values())
    assert pattern in ir
