"""Arithmetic, unary, bitwise and comparison operators with Python semantics."""
import math

import numpy as np
import pytest

import ferrojit
from helpers import case_id, check

INF = math.inf
NAN = math.nan


# --- binary arithmetic -------------------------------------------------------------------------

def add(a, b):
    return a + b


def sub(a, b):
    return a - b


def mul(a, b):
    return a * b


def truediv(a, b):
    return a / b


def floordiv(a, b):
    return a // b


def mod(a, b):
    return a % b


def power(a, b):
    return a ** b


ARITH_OPS = [add, sub, mul, truediv, floordiv, mod]

INT_PAIRS = [
    (7, 2), (-7, 2), (7, -2), (-7, -2),
    (7, -3), (-7, 3), (-7, -3), (7, 3),
    (0, 5), (0, -5), (6, 3), (-6, 3), (1, 1), (-1, 7), (1, -7),
    (123456789, 1000), (-123456789, 1000),
    (2 ** 40, 3), (-(2 ** 40), 7), (2 ** 40, -(2 ** 20)),
    (5, 0), (0, 0), (-5, 0),  # ZeroDivisionError for / // %
]

FLOAT_PAIRS = [
    (7.5, 2.0), (-7.5, 2.0), (7.5, -2.0), (-7.5, -2.0),
    (-0.0, 5.0), (0.0, 5.0), (0.0, -5.0), (-0.0, -5.0),
    (1.0, 0.1), (0.1, 0.2), (0.3, 0.1), (-3.0, 1.5), (2.5, 0.5),
    (5.0, INF), (-5.0, INF), (5.0, -INF), (-5.0, -INF),
    (INF, 2.0), (-INF, 2.0), (INF, INF), (INF, -INF),
    (NAN, 1.0), (1.0, NAN), (NAN, NAN),
    (1e308, 10.0), (1e-320, 3.0), (-1e-320, 3.0), (1e300, 1e-300),
    (5.0, 0.0), (5.0, -0.0), (0.0, 0.0), (INF, 0.0), (NAN, 0.0),  # ZeroDivisionError for / // %
]

MIXED_PAIRS = [
    (7, 2.5), (-7, 2.5), (7.5, -2), (-7.5, 2), (0, -2.5), (-1, INF), (1, NAN),
    (3, 0.0), (3.0, 0),  # ZeroDivisionError for / // %
]


@pytest.mark.parametrize("op", ARITH_OPS, ids=case_id)
@pytest.mark.parametrize("args", INT_PAIRS, ids=case_id)
def test_int_arith(op, args):
    check(op, *args)


@pytest.mark.parametrize("op", ARITH_OPS, ids=case_id)
@pytest.mark.parametrize("args", FLOAT_PAIRS, ids=case_id)
def test_float_arith(op, args):
    check(op, *args)


@pytest.mark.parametrize("op", ARITH_OPS, ids=case_id)
@pytest.mark.parametrize("args", MIXED_PAIRS, ids=case_id)
def test_mixed_int_float_arith(op, args):
    check(op, *args)


@pytest.mark.parametrize("op", [add, sub, mul, truediv], ids=case_id)
@pytest.mark.parametrize("args", [
    (1 + 2j, 3 - 4j), (4 + 2j, 1 + 1j), (-1.5 + 0.5j, 2j), (1 + 2j, 2.0), (2.0, 1 + 2j),
    (3, 1j), (1j, 1j), (0.5 - 0.25j, -4 + 8j), (1 + 2j, 0j),  # ZeroDivisionError for /
], ids=case_id)
def test_complex_arith(op, args):
    check(op, *args)


def int_div_is_float(a, b):
    q = a / b
    return q, a // b


def test_int_true_division_is_float():
    check(int_div_is_float, 7, 2)
    check(int_div_is_float, 6, 3)  # 2.0, not 2
    check(int_div_is_float, -1, 3)


def specific_edge_cases():
    return (-7 // 2, 7 % -3, -7.5 // 2.0, (-0.0) % 5.0, -7 % 3, 7 // -2, 7.5 % -2.0, 1.0 // 0.1)


def test_edge_case_constants():
    check(specific_edge_cases)


# --- power -------------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    (2, 10), (-3, 3), (-3, 4), (0, 0), (7, 0), (0, 5), (2, 62), (-2, 63),
    (1, 1000), (-1, 1001), (-1, 1000), (10, 18), (3, 39),
], ids=case_id)
def test_int_pow(args):
    check(power, *args)


@pytest.mark.parametrize("args", [
    (2.0, 0.5), (-2.0, 3.0), (2.0, -1.0), (0.0, 0.0), (NAN, 0.0), (1.0, NAN), (-1.0, INF),
    (-2.0, 2), (1.5, 3), (2, 0.5), (2, -0.5), (INF, 2.0), (INF, -1.0), (-INF, 3.0),
    (0.5, INF), (10.0, -2.0), (1.5, 2.5), (0.0, 3.0), (-0.0, 3.0), (NAN, NAN),
], ids=case_id)
def test_float_pow(args):
    check(power, *args)


def pow_neg_literal_2(x):
    return x ** -2


def pow_neg_literal_1(x):
    return x ** -1


def pow_neg_literal_3(x):
    return x ** -3


@pytest.mark.parametrize("func", [pow_neg_literal_1, pow_neg_literal_2, pow_neg_literal_3], ids=case_id)
@pytest.mark.parametrize("x", [2, -2, 1, -1, 4, 10, 3], ids=case_id)
def test_int_pow_negative_literal_is_float(func, x):
    check(func, x)


def test_int_pow_runtime_negative_exponent_raises_valueerror():
    # Documented deviation (as Numba): the result type of int ** int must be int, so a
    # negative exponent only known at run time raises ValueError instead of returning a float.
    f = ferrojit.njit(power)
    assert f(2, 3) == 8
    with pytest.raises(ValueError):
        f(2, -1)


# --- integer wrap-around -----------------------------------------------------------------------

def test_int64_arithmetic_wraps():
    # Integers are 64-bit machine integers (as in Numba): overflow wraps like NumPy int64.
    with np.errstate(over="ignore"):
        cases = [
            (add, 2 ** 63 - 1, 1, np.int64(2 ** 63 - 1) + np.int64(1)),
            (sub, -(2 ** 63), 1, np.int64(-(2 ** 63)) - np.int64(1)),
            (mul, 2 ** 62, 4, np.int64(2 ** 62) * np.int64(4)),
            (mul, 3037000500, 3037000500, np.int64(3037000500) * np.int64(3037000500)),
        ]
    for op, a, b, expected in cases:
        got = ferrojit.njit(op)(a, b)
        assert type(got) is int
        assert got == int(expected), (op.__name__, a, b)


# --- unary operators ---------------------------------------------------------------------------

def neg(x):
    return -x


def pos(x):
    return +x


def invert(x):
    return ~x


def not_(x):
    return not x


@pytest.mark.parametrize("x", [5, -5, 0, 2 ** 62, 0.0, -0.0, 2.5, INF, -INF, NAN, 1 + 2j, -0.5j], ids=case_id)
def test_neg(x):
    check(neg, x)


@pytest.mark.parametrize("x", [5, -5, 0, -0.0, 2.5, NAN, 1 - 2j], ids=case_id)
def test_pos(x):
    check(pos, x)


@pytest.mark.parametrize("x", [0, 5, -6, -1, 2 ** 62, -(2 ** 63)], ids=case_id)
def test_invert(x):
    check(invert, x)


@pytest.mark.parametrize("x", [0, 3, -1, 0.0, -0.0, NAN, 2.5, True, False, 0j, 1j], ids=case_id)
def test_not(x):
    check(not_, x)


# --- bitwise -----------------------------------------------------------------------------------

def band(a, b):
    return a & b


def bor(a, b):
    return a | b


def bxor(a, b):
    return a ^ b


def lshift(a, b):
    return a << b


def rshift(a, b):
    return a >> b


@pytest.mark.parametrize("op", [band, bor, bxor], ids=case_id)
@pytest.mark.parametrize("args", [
    (12, 10), (-6, 3), (-6, -3), (0, -1), (-1, 255), (2 ** 62, 2 ** 62 - 1),
    (123456789, -987654321), (-(2 ** 63), -1),
    (True, False), (True, True), (False, False),
], ids=case_id)
def test_bitwise(op, args):
    check(op, *args)


@pytest.mark.parametrize("args", [(1, 10), (1, 62), (-1, 3), (5, 0), (-8, 1), (3, 61), (-1, 63), (-5, 4)], ids=case_id)
def test_lshift(args):
    check(lshift, *args)


@pytest.mark.parametrize("args", [
    (-8, 1), (-16, 2), (-1, 10), (1024, 3), (-1, 63), (2 ** 62, 62), (-7, 1), (7, 1), (5, 0),
    (-(2 ** 63), 63),
], ids=case_id)
def test_rshift(args):
    check(rshift, *args)


# --- comparisons -------------------------------------------------------------------------------

def lt(a, b):
    return a < b


def le(a, b):
    return a <= b


def gt(a, b):
    return a > b


def ge(a, b):
    return a >= b


def eq(a, b):
    return a == b


def ne(a, b):
    return a != b


CMP_PAIRS = [
    (1, 2), (2, 1), (2, 2), (-3, 3),
    (1.0, NAN), (NAN, 1.0), (NAN, NAN), (INF, 1e308), (-INF, INF), (INF, INF), (0.0, -0.0),
    (1, 1.0), (2, 1.5), (-1, -0.5), (3, INF), (3, NAN), (-INF, -5),
    (True, False), (False, False), (True, 1), (True, 2.0),
]


@pytest.mark.parametrize("op", [lt, le, gt, ge, eq, ne], ids=case_id)
@pytest.mark.parametrize("args", CMP_PAIRS, ids=case_id)
def test_comparisons(op, args):
    check(op, *args)


@pytest.mark.parametrize("op", [eq, ne], ids=case_id)
@pytest.mark.parametrize("args", [(1 + 2j, 1 + 2j), (1 + 2j, 1 - 2j), (2 + 0j, 2), (2 + 0j, 2.0), (complex(NAN, 0), complex(NAN, 0))], ids=case_id)
def test_complex_equality(op, args):
    check(op, *args)


def chain_lt(a, b, c):
    return a < b < c


def chain_lt_gt(a, b, c):
    return a < b > c


def chain_eq(a, b, c):
    return a == b == c


def chain_four(a, b, c, d):
    return a <= b < c <= d


@pytest.mark.parametrize("func", [chain_lt, chain_lt_gt, chain_eq], ids=case_id)
@pytest.mark.parametrize("args", [(1, 2, 3), (1, 3, 2), (3, 2, 1), (2, 2, 2), (1.0, NAN, 2.0), (-1.5, 0, 0.5)], ids=case_id)
def test_chained_comparisons(func, args):
    check(func, *args)


@pytest.mark.parametrize("args", [(1, 1, 2, 2), (1, 2, 2, 3), (0, 1, 2, 1), (-1.0, 0.0, 0.5, 0.5)], ids=case_id)
def test_chained_comparison_four(args):
    check(chain_four, *args)


# --- NaN and infinity --------------------------------------------------------------------------

def nan_inf_mix(x):
    inf = x * 1e308 * 1e308
    nan = inf - inf
    return (inf, -inf, nan, inf * 0.0, 1.0 / inf, -1.0 / inf, nan == nan, nan != nan,
            nan < 1.0, nan >= nan, inf > 1e308, -inf < -1e308, inf == inf, nan + 1.0)


def test_nan_inf_arithmetic_and_comparisons():
    check(nan_inf_mix, 1.0)
    check(nan_inf_mix, -1.0)


# --- complex power (CPython's complex_pow: repeated products for small integral exponents,
# polar form otherwise) ---------------------------------------------------------------------

def cpow(a, b):
    return a ** b


@pytest.mark.parametrize("args", [
    (1 + 2j, 2), (1 + 2j, -3), (0.5 - 1.5j, 3.0), (1 + 1j, 0.5), (2j, 1 + 1j), (-1 + 0j, 0.5),
    (3 + 4j, 0), (0j, 2), (1.5 + 0j, 101), (2 + 0j, 2.5j),
], ids=case_id)
def test_complex_power(args):
    check(cpow, *args)


@pytest.mark.parametrize("args", [(0j, -1), (0j, 1j), (0j, -2.5)], ids=case_id)
def test_complex_zero_to_negative_power_raises(args):
    check(cpow, *args)
