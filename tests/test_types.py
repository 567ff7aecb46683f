"""Scalar types (bool, NumPy integer/float/complex scalars), None, and tuples (homogeneous,
heterogeneous, nested) as values, arguments and return values; Numba's typing rules."""
import math

import numpy as np
import pytest

import ferrojit
from helpers import assert_same, case_id, check

NAN = math.nan
INF = math.inf

SIGNED = [np.int8, np.int16, np.int32, np.int64]
UNSIGNED = [np.uint8, np.uint16, np.uint32, np.uint64]
FLOATS = [np.float32, np.float64]
COMPLEXES = [np.complex64, np.complex128]


def identity(x):
    return x


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


def lt(a, b):
    return a < b


def eq(a, b):
    return a == b


def ge(a, b):
    return a >= b


INT_OPS = [add, sub, mul, truediv, floordiv, mod, lt, eq, ge]


# --- every scalar type passes through and comes back as the Python scalar ------------------------

@pytest.mark.parametrize("value", [
    np.int8(-128), np.int8(127), np.int16(-32768), np.int32(2 ** 31 - 1), np.int64(-(2 ** 63)),
    np.uint8(255), np.uint16(65535), np.uint32(2 ** 32 - 1), np.uint64(2 ** 64 - 1),
    np.float32(0.1), np.float32(-0.0), np.float32(np.inf), np.float32(np.nan), np.float64(0.1),
    np.complex64(1.5 - 2.25j), np.complex128(0.1 + 0.2j), np.bool_(True), np.bool_(False),
    True, False, 7, -7, 0.1, -0.0, NAN, 1 + 2j,
], ids=case_id)
def test_identity_returns_python_scalar(value):
    check(identity, value)


# --- integer types -----------------------------------------------------------------------------

# Pairs whose results fit even in int8/uint8, so that NumPy's fixed-width result (the reference)
# equals the value of ferrojit's promoted int64/uint64 result.
SIGNED_PAIRS = [(7, 2), (-7, 2), (7, -3), (-11, -11), (0, 5), (11, 11), (-100, 27)]
UNSIGNED_PAIRS = [(7, 2), (11, 11), (12, 5), (200, 1), (5, 5)]


@pytest.mark.parametrize("op,pair", [
    pytest.param(op, pair, id=f"{op.__name__}-{pair}")
    for op in INT_OPS for pair in SIGNED_PAIRS if not (op is mul and abs(pair[0] * pair[1]) > 127)
])
@pytest.mark.parametrize("t", SIGNED, ids=case_id)
def test_signed_int_types(t, op, pair):
    check(op, t(pair[0]), t(pair[1]))


@pytest.mark.parametrize("op", INT_OPS, ids=case_id)
@pytest.mark.parametrize("pair", UNSIGNED_PAIRS, ids=case_id)
@pytest.mark.parametrize("t", UNSIGNED, ids=case_id)
def test_unsigned_int_types(t, pair, op):
    check(op, t(pair[0]), t(pair[1]))


@pytest.mark.parametrize("t", SIGNED + UNSIGNED, ids=case_id)
def test_int_types_power_and_bitwise(t):
    check(power, t(3), t(4))
    check(band, t(12), t(10))
    check(bor, t(12), t(10))
    check(bxor, t(12), t(10))


def band(a, b):
    return a & b


def bor(a, b):
    return a | b


def bxor(a, b):
    return a ^ b


def test_uint64_full_range():
    big = np.uint64(2 ** 64 - 1)
    check(sub, big, np.uint64(3))
    check(floordiv, big, np.uint64(3))
    check(mod, big, np.uint64(1000))
    check(add, np.uint64(2 ** 63), np.uint64(5))
    check(lt, np.uint64(2 ** 63), np.uint64(2 ** 63 + 1))
    check(eq, big, big)
    check(band, big, np.uint64(0xFF00))
    check(truediv, big, np.uint64(2))


@pytest.mark.parametrize("args", [
    (np.int32(5), np.int64(7)), (np.int8(-3), np.int64(100)), (np.uint8(200), np.int64(-5)),
    (np.int16(-300), np.uint16(300)), (np.int32(-7), np.uint32(2)),
    (np.int8(-3), 2.5), (np.int32(7), np.float64(0.5)), (np.float32(0.1), np.float64(0.2)),
    (np.float32(1.5), np.int64(3)), (np.float32(1.5), np.int32(3)), (np.complex64(1 + 2j), np.complex128(0.5 - 1j)),
    (np.float64(2.5), np.complex128(1j)),
], ids=case_id)
def test_mixed_type_promotion(args):
    ops = (add, sub, mul, eq) if any(isinstance(a, np.complexfloating) for a in args) else (add, sub, mul, lt, eq)
    for op in ops:
        check(op, *args)


# --- float32 and complex64 ---------------------------------------------------------------------

F32_PAIRS = [(0.1, 0.2), (1.0, 3.0), (-7.5, 2.0), (7.5, -2.0), (1e38, 10.0), (2.0, 0.5), (NAN, 1.0), (INF, 2.0), (3.0, 1e-30)]


@pytest.mark.parametrize("op", [add, sub, mul, truediv, floordiv, mod, power, lt, eq], ids=case_id)
@pytest.mark.parametrize("pair", F32_PAIRS, ids=case_id)
def test_float32_arith_stays_float32(pair, op):
    # float32 op float32 is computed in float32 (1e38 * 10 overflows to inf); the result comes
    # back as a Python float holding the float32 value.
    check(op, np.float32(pair[0]), np.float32(pair[1]))


@pytest.mark.parametrize("op", [add, sub, mul, truediv, eq], ids=case_id)
@pytest.mark.parametrize("pair", [((1 + 2j), (3 - 1j)), ((4 + 2j), (1 + 1j)), ((0.5 + 0.25j), (-2 + 0j))], ids=case_id)
def test_complex64_arith(pair, op):
    check(op, np.complex64(pair[0]), np.complex64(pair[1]))


def float32_plus_literal(x):
    return x + 1.0


def float32_times_int_literal(x):
    return x * 3


@pytest.mark.parametrize("func", [float32_plus_literal, float32_times_int_literal], ids=case_id)
def test_float32_with_python_literal_stays_float32(func):
    # NumPy 2 (NEP 50): a Python literal is weak, so float32 + 1.0 and float32 * 3 are float32
    # (Numba's typing made them float64).
    check(func, np.float32(0.1))


def small_int_sum(a, b):
    return a + b


def small_int_product(a, b):
    return a * b


@pytest.mark.parametrize("func", [small_int_sum, small_int_product], ids=case_id)
@pytest.mark.parametrize(
    "pair",
    [(np.int8(100), np.int8(100)), (np.int16(30000), np.int16(3)), (np.uint8(200), np.uint8(100)), (np.int32(2 ** 31 - 1), np.int32(2))],
    ids=case_id,
)
def test_small_ints_wrap_in_their_width(pair, func):
    # NumPy 2: int8 + int8 is int8, computed in 8 bits and wrapping (Numba used 64 bits).
    check(func, *pair)


def zero_or_float(x):
    r = 0
    if x > 0:
        r = x * 1.5
    return r


def int_or_float_literal(x):
    return x or 2.5


def test_int_and_float_unify_to_float():
    # Numba typing: a variable that is int on one path and float on another is float.
    f = ferrojit.njit(zero_or_float)
    assert_same(f(-1), 0.0)
    assert_same(f(2), 3.0)
    g = ferrojit.njit(int_or_float_literal)
    assert_same(g(3), 3.0)
    assert_same(g(0), 2.5)


# --- bool --------------------------------------------------------------------------------------

def bool_logic(a, b):
    return a and b, a or b, not a, a == b, a != b, a & b, a | b, a ^ b


def bool_arith(a, b):
    return a + b, a * 3, a - b


@pytest.mark.parametrize("args", [(True, False), (False, True), (True, True), (False, False),
                                  (np.bool_(True), np.bool_(False)), (np.bool_(True), True)], ids=case_id)
def test_bool_logic(args):
    check(bool_logic, *args)


@pytest.mark.parametrize("args", [(True, False), (True, True), (False, False)], ids=case_id)
def test_bool_arith_is_int(args):
    check(bool_arith, *args)


# --- complex -----------------------------------------------------------------------------------

def complex_parts(z):
    return z.real, z.imag, z * z, z + 1, abs(z)


@pytest.mark.parametrize("z", [1 + 2j, -0.5 - 0.25j, 3j, complex(-0.0, 0.0)], ids=case_id)
def test_complex_parts(z):
    check(complex_parts, z)


# --- None --------------------------------------------------------------------------------------

def ret_none_implicit(x):
    y = x + 1


def ret_none_explicit(x):
    return None


def ret_bare(x):
    if x > 0:
        return
    x = x - 1
    return


def no_args_no_result():
    pass


@pytest.mark.parametrize("x", [1, -1, 2.5], ids=case_id)
def test_none_results(x):
    check(ret_none_implicit, x)
    check(ret_none_explicit, x)
    check(ret_bare, x)


def test_no_args_none():
    check(no_args_no_result)


# --- tuples ------------------------------------------------------------------------------------

def make_pair(a, b):
    return a, b


def make_triple(x):
    return (x, x + 1, x * 2.5)


def make_nested(a, b, c):
    return ((a, b), (c, (a, c)))


def tuple_arg_sum(t):
    a, b, c = t
    return a + b + c


def tuple_index(t):
    return t[0] * 10 + t[-1]


def tuple_index_hetero(t):
    return t[1] * 2, t[0] + 1


def nested_arg(t):
    (a, b), c = t
    return a * c + b


def nested_index(t):
    return t[0][1] + t[1]


def return_arg(t):
    return t


def tuple_of_bools(a, b):
    return (a < b, a == b, a > b)


def tuple_with_complex(z):
    return (z, z * 2, abs(z), 1)


def tuple_local(x):
    t = (x, x + 1, x + 2)
    a, b, c = t
    return c, b, a


def tuple_reassign(x):
    t = (x, 1.5)
    if x > 0:
        t = (x * 2, 2.5)
    return t


def empty_tuple():
    return ()


def single_tuple(x):
    return (x,)


@pytest.mark.parametrize("args", [(1, 2), (1, 2.5), (2.5, 1), (True, 3), (1 + 1j, -1), (np.int32(3), np.float32(0.5))], ids=case_id)
def test_make_pair(args):
    check(make_pair, *args)


def test_tuple_values():
    check(make_triple, 3)
    check(make_triple, -1.5)
    check(make_nested, 1, 2.5, 3)
    check(tuple_of_bools, 1, 2)
    check(tuple_of_bools, 2.0, 2.0)
    check(tuple_with_complex, 3 + 4j)
    check(tuple_local, 7)
    check(tuple_reassign, 3)
    check(tuple_reassign, -3)
    check(empty_tuple)
    check(single_tuple, 5)
    check(single_tuple, 0.5)


@pytest.mark.parametrize("t", [(1, 2, 3), (1.5, 2.5, -4.0), (1, 2.5, 3), (True, 2, 3.5)], ids=case_id)
def test_tuple_args(t):
    check(tuple_arg_sum, t)
    check(return_arg, t)


@pytest.mark.parametrize("t", [(4, 5), (1, 2, 3), (2.5, 0.5), (2, 0.5)], ids=case_id)
def test_tuple_indexing(t):
    check(tuple_index, t)


@pytest.mark.parametrize("t", [(1, 2.5), (2.5, 1), (np.int8(3), 7)], ids=case_id)
def test_heterogeneous_tuple_indexing(t):
    check(tuple_index_hetero, t)


@pytest.mark.parametrize("t", [((1, 2), 3), ((1.5, 2), 3), ((1, 2), 0.5)], ids=case_id)
def test_nested_tuple_args(t):
    check(nested_arg, t)
    check(nested_index, t)
    check(return_arg, t)


def test_nested_tuple_roundtrip():
    check(return_arg, ((1, (2.5, True)), (3 + 0j, ())))


@pytest.mark.parametrize("pair", [(np.int64(5), np.uint64(7)), (np.int64(-5), np.uint64(7))], ids=case_id)
def test_signed_and_unsigned_int64_give_float64(pair):
    # NumPy 2: no integer type holds both int64 and uint64, so the result is float64 (Numba's
    # choose_result_int gave int64).
    check(small_int_sum, *pair)
