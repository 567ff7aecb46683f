"""Loops whose float -> int conversions are checked after the loop (see the codegen module
`deferred`): they must give Python's results and raise Python's exceptions, for bad values at
any position, and leave the locals as Python would."""

import math
import types

import numpy as np
import pytest

from ferrojit import njit


def sum_from_ten(x):
    s = 10
    last = -1
    for i in range(x.shape[0]):
        k = int(x[i])
        s += k
        last = k
    return s, last, i


def stop_at_three(x):
    s = 0
    for i in range(x.shape[0]):
        s += int(x[i])
        if i == 3:
            break
    return s


def breaks_on_a_converted_value(x):
    # A bad value's unchecked conversion may take the break or not: the rerun decides.
    s = 0
    for i in range(x.shape[0]):
        k = int(x[i])
        if k > 900:
            break
        s += k
    return s


def strided_and_branchy(x, lo):
    s = 0
    m = 0
    for i in range(x.shape[0] - 1, -1, -2):
        v = x[i]
        if v > lo:
            k = int(v * 0.5)
            m = k if k > m else m
        else:
            s -= int(-v)
    return s, m


def narrow_conversions(x):
    s = 0
    for i in range(x.shape[0]):
        s += np.int32(x[i]) + np.uint8(abs(x[i]) * 1e-4)
    return s


def nested(x):
    s = 0
    for i in range(x.shape[0]):
        for j in range(i, x.shape[1]):
            s += int(x[i, j])
    return s


def indexes_with_a_conversion(x, table):
    # A converted value used as an index must be checked before the load: the loop keeps
    # its checks (an unchecked NaN would read outside `table`).
    s = 0.0
    for i in range(x.shape[0]):
        s += table[int(x[i])]
    return s


def with_a_store(x, out):
    # A store is observable: the conversion is checked where it happens.
    for i in range(x.shape[0]):
        out[i] = int(x[i])
    return out.sum()


@pytest.mark.parametrize("f, args, deferred", [
    (sum_from_ten, (np.ones(5),), True),
    (stop_at_three, (np.ones(5),), True),
    (strided_and_branchy, (np.ones(5), 0.0), True),
    (narrow_conversions, (np.ones(5),), True),
    (nested, (np.ones((3, 3)),), True),
    (indexes_with_a_conversion, (np.ones(5), np.ones(5)), False),
    (with_a_store, (np.ones(5), np.zeros(5, dtype=np.int64)), False),
])
def test_which_loops_defer_their_checks(f, args, deferred):
    # The deferred run keeps the largest converted magnitude with an unsigned max: its mark
    # in the optimised IR tells the two schemes apart, so the tests here exercise the one
    # they mean to.
    g = njit(f)
    g(*args)
    (ir,) = g.inspect_llvm().values()
    assert ("umax" in ir) == deferred


BAD = [(math.nan, ValueError), (math.inf, OverflowError), (-math.inf, OverflowError), (1e19, OverflowError), (-1e30, OverflowError)]


def int64_int(value):
    """Python's int() bounded as ferrojit's is: past int64 it raises OverflowError (documented;
    Python's own int() is unbounded)."""
    result = int(value)
    if not -(2**63) <= result < 2**63:
        raise OverflowError("float is too large for a 64-bit integer")
    return result


def outcome(f, *args):
    try:
        return ("value", f(*args))
    except Exception as e:  # noqa: BLE001 - the test compares any exception
        return ("raised", type(e), str(e))


# One dispatcher per function for the whole module: the rows differ in the values of their
# arrays, which run what the first row compiled.
_COMPILED = {}


def compiled(f):
    return _COMPILED.setdefault(f, njit(f))


def assert_same(f, *args):
    reference = types.FunctionType(f.__code__, {**f.__globals__, "int": int64_int})
    expected = outcome(reference, *[a.copy() if isinstance(a, np.ndarray) else a for a in args])
    got = outcome(compiled(f), *args)
    assert got == expected


@pytest.mark.parametrize("n", [1, 2, 5, 8, 17, 64, 1001])
def test_good_values_match_python(n):
    x = np.random.default_rng(n).uniform(-1e6, 1e6, n)
    assert_same(sum_from_ten, x)
    assert_same(stop_at_three, x)
    assert_same(breaks_on_a_converted_value, x)
    assert_same(strided_and_branchy, x, 0.0)
    assert_same(narrow_conversions, x)


@pytest.mark.parametrize("bad, error", BAD)
@pytest.mark.parametrize("position", [0, 1, 3, 4, 7, 8, 31, 32, 98, 99])
def test_bad_values_raise_like_python(bad, error, position):
    x = np.random.default_rng(position).uniform(-1e3, 1e3, 100)
    x[position] = bad
    assert_same(sum_from_ten, x)
    assert_same(strided_and_branchy, x, 0.0)
    assert_same(stop_at_three, x)  # past the break, a bad value is never converted
    assert_same(breaks_on_a_converted_value, x)
    with pytest.raises(error):
        compiled(sum_from_ten)(x)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_minus_two_to_the_63_converts_exactly(dtype):
    # -2**63 looks like a bad value to the loop's cheap test; the checked rerun must then
    # finish without raising, from the locals as they were before the loop.
    x = np.array([5.5, -9.223372036854775808e18, 7.25, 3.0], dtype=dtype)
    assert njit(sum_from_ten)(x) == sum_from_ten(x)


def test_narrow_conversions_saturate_in_both_runs():
    # Huge magnitudes saturate when converted to int32 or uint8 (no exception): the cheap test
    # flags them, and the checked run gives the same saturated values.
    x = np.array([1.5, 3e9, -3e9, 2.0, 7e20])
    got = njit(narrow_conversions)(x)
    # NumPy 2: int32 + uint8 is int32, and wraps.
    with np.errstate(over="ignore"):
        expected = sum(int(np.int32(np.clip(np.trunc(v), -(2**31), 2**31 - 1)) + np.uint8(np.clip(np.trunc(abs(v) * 1e-4), 0, 255))) for v in x)
    assert got == expected
    y = x.copy()
    y[1] = math.nan
    with pytest.raises(ValueError, match="cannot convert float NaN to integer"):
        njit(narrow_conversions)(y)


@pytest.mark.parametrize("bad_at", [None, (0, 0), (2, 5), (5, 3), (6, 6)])
def test_nested_loops(bad_at):
    x = np.arange(49, dtype=np.float64).reshape(7, 7) * 1.5
    if bad_at is not None:
        x[bad_at] = math.nan
    assert_same(nested, x)


@pytest.mark.parametrize("position", [0, 5, 9])
def test_converted_indices_are_checked_before_loading(position):
    x = np.arange(10, dtype=np.float64)
    x[position] = math.nan
    with pytest.raises(ValueError, match="NaN"):
        njit(indexes_with_a_conversion)(x, np.ones(10))


@pytest.mark.parametrize("position", [0, 5, 9])
def test_stores_before_a_bad_value_happen_and_none_after(position):
    x = np.arange(10, dtype=np.float64) + 0.5
    x[position] = math.inf
    out = np.full(10, -7, dtype=np.int64)
    with pytest.raises(OverflowError):
        njit(with_a_store)(x, out)
    expected = np.full(10, -7, dtype=np.int64)
    expected[:position] = np.arange(position)
    assert (out == expected).all()
