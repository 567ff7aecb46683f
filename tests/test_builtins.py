"""Built-in functions: abs, min, max, int, float, bool, complex, round, pow, divmod, range, hash."""
import math

import numpy as np
import pytest

from helpers import case_id, check

INF = math.inf
NAN = math.nan


# --- abs ---------------------------------------------------------------------------------------

def b_abs(x):
    return abs(x)


@pytest.mark.parametrize("x", [
    -3, 3, 0, -(2 ** 62), -2.5, 2.5, -0.0, 0.0, -INF, NAN, 3 + 4j, -3 - 4j, 1 + 1j, -2j,
    complex(INF, NAN), complex(-0.0, 0.0), True, np.int8(-5), np.float32(-1.25),
], ids=case_id)
def test_abs(x):
    check(b_abs, x)


# --- min / max ---------------------------------------------------------------------------------

def b_max2(a, b):
    return max(a, b)


def b_min2(a, b):
    return min(a, b)


def b_max3(a, b, c):
    return max(a, b, c)


def b_min3(a, b, c):
    return min(a, b, c)


def b_max_tuple(a, b, c):
    return max((a, b, c))


def b_min_tuple(a, b, c):
    return min((a, b, c))


def b_max_tuple_arg(t):
    return max(t)


def b_min_tuple_arg(t):
    return min(t)


def b_max_of_four(a, b):
    return max(a, b, a - b, b - a)


@pytest.mark.parametrize("op", [b_max2, b_min2], ids=case_id)
@pytest.mark.parametrize("args", [
    (1, 2), (2, 1), (-5, -5), (-(2 ** 62), 2 ** 62),
    (1.5, -2.5), (NAN, 1.0), (1.0, NAN), (NAN, NAN), (INF, -INF), (0.0, -0.0), (-0.0, 0.0),
    (True, False),
], ids=case_id)
def test_min_max_two_args(op, args):
    check(op, *args)


@pytest.mark.parametrize("op", [b_max3, b_min3, b_max_tuple, b_min_tuple], ids=case_id)
@pytest.mark.parametrize("args", [
    (3, 1, 4), (1, 5, 9), (9, 5, 1), (2, 2, 2), (-1, -7, 0),
    (1.5, NAN, 2.5), (NAN, 1.0, 2.0), (1.0, 2.0, NAN), (2.0, NAN, 1.0), (-INF, 0.5, INF),
    (0.0, -0.0, 0.0), (-0.0, 0.0, -0.0),
], ids=case_id)
def test_min_max_three_args_and_tuple(op, args):
    check(op, *args)


@pytest.mark.parametrize("op", [b_max_tuple_arg, b_min_tuple_arg], ids=case_id)
@pytest.mark.parametrize("t", [(3, 1, 4, 1, 5), (7,), (-2.5, 0.5), (NAN, 1.0, -1.0), (1.0, NAN, -1.0)], ids=case_id)
def test_min_max_tuple_argument(op, t):
    check(op, t)


def test_max_of_four():
    check(b_max_of_four, 3, 10)
    check(b_max_of_four, 2.5, -1.5)


# --- int / float / bool / complex --------------------------------------------------------------

def b_int(x):
    return int(x)


def b_float(x):
    return float(x)


def b_bool(x):
    return bool(x)


def b_complex1(x):
    return complex(x)


def b_complex2(a, b):
    return complex(a, b)


def conversions_literal():
    return int(-3.7), float(3), bool(0.0), complex(1, 2), int(3.99), float(-2), bool(-1), int(True)


@pytest.mark.parametrize("x", [-3.7, 3.7, 3.99, -0.5, 0.5, -0.0, 1e15 + 0.5, -(2.0 ** 62), 7, -7, True, False,
                               np.float32(2.5), np.int16(-300), np.uint8(200)], ids=case_id)
def test_int(x):
    check(b_int, x)


@pytest.mark.parametrize("x", [3, -2, 0, 2 ** 53, True, False, 2.5, -0.0, NAN, INF, np.int32(-7), np.float32(0.1)], ids=case_id)
def test_float(x):
    check(b_float, x)


@pytest.mark.parametrize("x", [0, 3, -1, 0.0, -0.0, NAN, 1e-320, INF, True, False, 0j, 1j, complex(0.0, -0.0),
                               np.int8(0), np.uint64(7), np.float32(0.0)], ids=case_id)
def test_bool(x):
    check(b_bool, x)


@pytest.mark.parametrize("x", [2, -3, 2.5, -0.0, NAN, True, 1 + 2j], ids=case_id)
def test_complex_one_arg(x):
    check(b_complex1, x)


@pytest.mark.parametrize("args", [(1, 2), (1.5, -2.5), (0, 0), (-0.0, -0.0), (3, 0.5), (INF, NAN)], ids=case_id)
def test_complex_two_args(args):
    check(b_complex2, *args)


def test_conversions_of_literals():
    check(conversions_literal)


# --- round -------------------------------------------------------------------------------------

def b_round1(x):
    return round(x)


def b_round2(x, n):
    return round(x, n)


def round_literals():
    return round(2.5), round(-0.5), round(3.5), round(0.5), round(-1.5), round(2.675, 2)


@pytest.mark.parametrize("x", [
    2.5, 3.5, -0.5, 0.5, -1.5, 1.5, -2.5, 2.4999999999999996, 0.49999999999999994, -2.7, 2.7,
    -0.0, 1e15 + 0.5, 4503599627370497.0, 7, -7, 0,
], ids=case_id)
def test_round_one_arg_half_even(x):
    check(b_round1, x)


@pytest.mark.parametrize("args", [
    (3.14159, 2), (2.675, 2), (-1.25, 1), (1.25, 1), (1234.5678, -2), (1250.0, -2), (0.5, 0),
    (-0.5, 0), (2.5, 0), (1.0, 3), (-3.14159, 3), (INF, 2), (NAN, 2), (-0.0, 1), (123.456, 1),
], ids=case_id)
def test_round_two_args(args):
    check(b_round2, *args)


def test_round_literals():
    check(round_literals)


# --- pow ---------------------------------------------------------------------------------------

def b_pow2(a, b):
    return pow(a, b)


def b_pow3(a, b, m):
    return pow(a, b, m)


@pytest.mark.parametrize("args", [(2, 10), (-3, 3), (7, 0), (0, 0), (2.0, 0.5), (2, 0.5), (2.0, -2.0), (-2.0, 3), (NAN, 0.0)], ids=case_id)
def test_pow_two_args(args):
    check(b_pow2, *args)


@pytest.mark.parametrize("args", [
    (3, 4, 5), (2, 10, 1000), (-3, 3, 7), (7, 0, 5), (0, 0, 3), (5, 3, 1), (10, 9, 7),
    (3, 200, 1000000007), (123456789, 987654321, 1000000007), (-2, 63, 1000),
    (2, 5, 0),  # ValueError: pow() 3rd argument cannot be 0
], ids=case_id)
def test_pow_three_args(args):
    check(b_pow3, *args)


# --- divmod ------------------------------------------------------------------------------------

def b_divmod(a, b):
    return divmod(a, b)


@pytest.mark.parametrize("args", [
    (7, 2), (-7, 2), (7, -2), (-7, -2), (0, 3), (6, -3), (-(2 ** 62), 7),
    (7.5, 2.0), (-7.5, 2.0), (7.5, -2.0), (-7.5, -2.0), (-0.0, 5.0), (0.0, -5.0), (1.0, 0.1),
    (5.0, INF), (-5.0, INF), (NAN, 2.0), (7, 2.5), (-7, 2.5),
    (1, 0), (1.0, 0.0), (1, 0.0),  # ZeroDivisionError
], ids=case_id)
def test_divmod(args):
    check(b_divmod, *args)


# --- range -------------------------------------------------------------------------------------

def range_count(a, b, c):
    n = 0
    last = 0
    for i in range(a, b, c):
        n += 1
        last = i
    return n, last


@pytest.mark.parametrize("args", [(0, 10, 1), (0, 10, 4), (10, 0, -4), (0, 0, 1), (5, 0, 1), (-(2 ** 40), 2 ** 40, 2 ** 38)],
                         ids=case_id)
def test_range_builtin(args):
    check(range_count, *args)


# --- reversed ----------------------------------------------------------------------------------

def reversed_items(x):
    return [item for item in reversed(x)]


def reversed_range(a, b, c):
    return [i for i in reversed(range(a, b, c))]


def reversed_while_shrinking(items):
    # CPython's reverse iterator starts at the last item and stops once the list is shorter
    # than its next index.
    xs = list(items)
    out = []
    for x in reversed(xs):
        out.append(x)
        xs.pop()
        if xs:
            xs.pop()
    return out, xs


def reversed_rows_summed(a):
    total = 0.0
    for k, row in enumerate(reversed(a)):
        total += k * row.sum()
    return total


@pytest.mark.parametrize("func, args", [
    (reversed_items, ([1, 2, 3],)),
    (reversed_items, ([2.5],)),
    (reversed_items, (["a", "bc", ""],)),
    (reversed_items, ("héllo 日本",)),
    (reversed_items, ("",)),
    (reversed_items, (b"bytes",)),
    (reversed_items, ((4, 5, 6),)),
    (reversed_items, (np.arange(5),)),
    (reversed_items, (np.arange(10.0)[::-3],)),
    (reversed_range, (0, 10, 3)),
    (reversed_range, (10, -5, -4)),
    (reversed_range, (3, 3, 1)),
    (reversed_range, (0, 5, 0)),  # ValueError: range() arg 3 must not be zero
    (reversed_while_shrinking, ([1, 2, 3, 4, 5, 6, 7],)),
    (reversed_rows_summed, (np.arange(12.0).reshape(4, 3),)),
    (reversed_rows_summed, (np.asfortranarray(np.arange(12.0).reshape(3, 4)),)),
], ids=case_id)
def test_reversed(func, args):
    check(func, *args)


# --- hash --------------------------------------------------------------------------------------
# CPython's values: numbers modulo 2**61 - 1 (a float as the fraction it is, so `hash(2.0) ==
# hash(2)`), -1 as -2, infinities as +-314159, complex numbers and tuples mixed as CPython mixes
# them. (A NaN's hash is its object's address in CPython: not compared.)

def b_hash(x):
    return hash(x)


def b_hash_tuple_made_inside(a, b):
    return hash((a, b)), hash((a, (b, "x"), True)), hash(())


@pytest.mark.parametrize("x", [
    0, 1, -1, -2, 2 ** 61 - 1, 2 ** 61, 2 ** 62 + 5, 2 ** 63 - 1, -(2 ** 63), True, False,
    np.int8(-1), np.uint8(200), np.int32(-7), np.uint64(2 ** 64 - 1), np.uint64(2 ** 61),
    0.0, -0.0, 1.5, -1.0, 2.0, 0.1, -2.5e-8, 1e300, -1e300, 5e-324, 2.0 ** 61, 2.0 ** 70, INF, -INF,
    np.float32(0.1), np.float32(-3.0),
    1 + 2j, -0.5j, complex(INF, 1.0), complex(0.0, -0.0), np.complex64(1.5 - 2j),
    (1, 2), (), (1.5, "a", (2, True)), ((1, 2), (3, (4.5, -1))), ("",), (b"xy", 3j),
    "abc", "", b"xy",
], ids=case_id)
def test_hash(x):
    check(b_hash, x)


@pytest.mark.parametrize("args", [(1, 2.5), (-1, -1.0), (2 ** 62, 0.1)], ids=case_id)
def test_hash_of_tuples_made_in_compiled_code(args):
    check(b_hash_tuple_made_inside, *args)
