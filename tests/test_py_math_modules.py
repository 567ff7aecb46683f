"""Python's numeric modules in compiled code (``ferrojit/_lib/pymath.py``): the functions of
``math`` the compiler does not build itself, ``cmath`` and ``operator``, differential against
CPython: the same type and value (floats bit for bit, signs of zeros included), or the same
exception class and message."""
import cmath
import math
import operator

import numpy as np
import pytest

import ferrojit
import helpers
from helpers import case_id

# One dispatcher per function for the whole module: a row compiles only the argument types it
# is the first to meet.
_COMPILED = {}


def check(pyfunc, *args, **kwargs):
    """`helpers.check` with the module's dispatcher of `pyfunc`."""
    return helpers.check(pyfunc, *args, compiled=_COMPILED, **kwargs)


def check_arrays(pyfunc, *args, **kwargs):
    """`helpers.check_arrays` with the module's dispatcher of `pyfunc`."""
    return helpers.check_arrays(pyfunc, *args, compiled=_COMPILED, **kwargs)


INF = math.inf
NAN = math.nan
TINY = 5e-324
BIG = 1.7976931348623157e308


# ---- math: integers ---------------------------------------------------------------------------

def m_factorial(n):
    return math.factorial(n)


def m_comb(n, k):
    return math.comb(n, k)


def m_perm(n, k):
    return math.perm(n, k)


def m_perm1(n):
    return math.perm(n)


def m_isqrt(n):
    return math.isqrt(n)


def m_gcd0():
    return math.gcd()


def m_gcd1(a):
    return math.gcd(a)


def m_gcd2(a, b):
    return math.gcd(a, b)


def m_gcd4(a, b, c, d):
    return math.gcd(a, b, c, d)


def m_lcm0():
    return math.lcm()


def m_lcm2(a, b):
    return math.lcm(a, b)


def m_lcm3(a, b, c):
    return math.lcm(a, b, c)


INTEGER_CASES = [
    (m_factorial, (0,)), (m_factorial, (1,)), (m_factorial, (5,)), (m_factorial, (20,)), (m_factorial, (True,)),
    (m_factorial, (-1,)), (m_factorial, (np.int8(6),)),
    (m_comb, (10, 3)), (m_comb, (60, 30)), (m_comb, (66, 33)), (m_comb, (5, 0)), (m_comb, (5, 7)), (m_comb, (0, 0)),
    (m_comb, (-1, 2)), (m_comb, (4, -2)), (m_comb, (True, False)), (m_comb, (2**62, 1)), (m_comb, (2**62, 2**62 - 1)),
    (m_perm, (10, 3)), (m_perm, (5, 0)), (m_perm, (5, 6)), (m_perm, (20, 20)), (m_perm, (-3, 1)), (m_perm, (3, -1)),
    (m_perm1, (6,)), (m_perm1, (0,)), (m_perm1, (-2,)),
    (m_isqrt, (0,)), (m_isqrt, (1,)), (m_isqrt, (15,)), (m_isqrt, (16,)), (m_isqrt, (2**63 - 1,)), (m_isqrt, ((2**31 - 1) ** 2,)),
    (m_isqrt, ((2**31 - 1) ** 2 - 1,)), (m_isqrt, (10**18,)), (m_isqrt, (-1,)), (m_isqrt, (True,)),
    (m_gcd0, ()), (m_gcd1, (-12,)), (m_gcd2, (12, 18)), (m_gcd2, (-12, 18)), (m_gcd2, (0, 0)), (m_gcd2, (0, -7)),
    (m_gcd2, (2**62, 2**40)), (m_gcd4, (12, 18, -27, 0)), (m_gcd2, (True, 4)),
    (m_lcm0, ()), (m_lcm2, (4, 6)), (m_lcm2, (-4, 6)), (m_lcm2, (0, 5)), (m_lcm3, (2, 3, 5)), (m_lcm3, (2**31, 3, 0)),
    (m_lcm2, (2**40, 2**30)),
]


@pytest.mark.parametrize("func,args", INTEGER_CASES, ids=case_id)
def test_math_integer_functions(func, args):
    check(func, *args, exc_msg=True)


INT64_OVERFLOWS = [
    (m_factorial, (21,)), (m_comb, (100, 50)), (m_comb, (68, 34)), (m_perm, (30, 20)), (m_perm1, (25,)),
    (m_lcm2, (2**40 + 1, 2**40 - 1)), (m_gcd2, (-(2**63), 0)),
]


@pytest.mark.parametrize("func,args", INT64_OVERFLOWS, ids=case_id)
def test_math_results_beyond_int64_raise(func, args):
    # CPython's integers grow; compiled integers are int64: the call raises rather than wraps.
    assert not -(2**63) <= func(*args) < 2**63
    with pytest.raises(OverflowError, match="does not fit in 64 bits"):
        ferrojit.njit(func)(*args)


@pytest.mark.parametrize("func,args", [(m_factorial, (2.0,)), (m_comb, (5.0, 2)), (m_isqrt, (4.5,)), (m_gcd2, (4, 2.0))], ids=case_id)
def test_math_integer_functions_refuse_floats(func, args):
    with pytest.raises(TypeError):
        func(*args)
    with pytest.raises(ferrojit.errors.TypingError, match="'float' object cannot be interpreted as an integer"):
        ferrojit.njit(func)(*args)


# ---- math: sums and products -------------------------------------------------------------------

def m_fsum(values):
    return math.fsum(values)


def m_prod(values):
    return math.prod(values)


def m_prod_start(values, start):
    return math.prod(values, start=start)


FSUM_CASES = [
    (), (0.1,) * 10, (1e100, 1.0, -1e100, 1e-100, 1e50, -1.0, -1e50), (1e-16, 1.0, 1e16), (1, 2, 3), (1, 0.5, True),
    (INF, 1.0), (-INF, -INF), (INF, -INF), (NAN, 1.0), (INF, NAN), (BIG, BIG), (BIG, BIG, -BIG), (-0.0, -0.0), (-0.0,),
    (2.0**53, 1.0, 1e-16), (TINY, TINY, -TINY), tuple(float(i) * 0.1 for i in range(40)),
    tuple((-1.0) ** i * 2.0 ** (20 * i) for i in range(50)),
]


@pytest.mark.parametrize("values", FSUM_CASES, ids=case_id)
def test_math_fsum_of_tuples(values):
    check(m_fsum, values, exc_msg=True)


@pytest.mark.parametrize("values", [
    np.array([]), np.linspace(0.0, 1.0, 1001), np.array([1e308, 1e308, -1e308]), np.arange(100, dtype=np.int32),
    np.array([0.1] * 10, dtype=np.float32), np.array([True, False, True]), np.random.default_rng(5).normal(size=300) * 10.0 ** np.arange(-150, 150),
], ids=["empty", "linspace", "overflow", "int32", "float32", "bool", "wide"])
def test_math_fsum_of_arrays(values):
    check_arrays(m_fsum, values, exc_msg=True)


PROD_CASES = [
    (), (1, 2, 3, 4), (True, True, 3), (1, 2.5, 3), (0.5, -0.0), (2**31, 2**31), (-(2**31), 2**32), (-(2**31), -(2**32) + 1), (-(2**62), 2), (2**62, -2), (-(2**63), 1),
    (1.5, INF, 0.0), (1e200, 1e200),
]


@pytest.mark.parametrize("values", PROD_CASES, ids=case_id)
def test_math_prod_of_tuples(values):
    check(m_prod, values)


@pytest.mark.parametrize("values,start", [((2, 3), 2), ((2, 3), 0.5), ((2.0, 3.0), 2), ((), 7), ((1.5,), True)], ids=case_id)
def test_math_prod_start(values, start):
    check(m_prod_start, values, start)


@pytest.mark.parametrize("values", [
    np.arange(1.0, 10.0), np.arange(1, 15), np.array([0.5, 3.0], dtype=np.float32), np.array([], dtype=np.int64),
    np.array([True, True]), np.arange(-3, 5, 2, dtype=np.int8),
], ids=["float64", "int64", "float32", "empty", "bool", "int8"])
def test_math_prod_of_arrays(values):
    check_arrays(m_prod, values)


def test_math_prod_of_small_integers_is_not_wrapped():
    # NumPy's int8 scalars wrap (CPython's math.prod gives int8 -128 here); compiled code
    # multiplies integer elements in int64, checked, as it does Python ints.
    values = np.arange(1, 9, dtype=np.int8)
    assert ferrojit.njit(m_prod)(values) == 40320


def test_math_prod_beyond_int64_raises():
    with pytest.raises(OverflowError, match="does not fit in 64 bits"):
        ferrojit.njit(m_prod)((2**32, 2**31))
    with pytest.raises(OverflowError, match="does not fit in 64 bits"):
        ferrojit.njit(m_prod)(np.arange(1, 30))


# ---- math: the representation of floats ---------------------------------------------------------

def m_modf(x):
    return math.modf(x)


def m_frexp(x):
    return math.frexp(x)


def m_ldexp(x, i):
    return math.ldexp(x, i)


def m_nextafter(x, y):
    return math.nextafter(x, y)


def m_ulp(x):
    return math.ulp(x)


def m_remainder(x, y):
    return math.remainder(x, y)


SPECIAL_FLOATS = [0.0, -0.0, 1.0, -1.0, 0.5, 3.0, -2.5, 0.1, 1e-310, -1e-310, TINY, -TINY, 2.2250738585072014e-308,
                  2.225073858507201e-308, BIG, -BIG, 1e300, 2.0**-1022, 2.0**1023, 1.0 - 2.0**-53, INF, -INF, NAN, 7, -3, True]


@pytest.mark.parametrize("x", SPECIAL_FLOATS, ids=case_id)
@pytest.mark.parametrize("func", [m_modf, m_frexp, m_ulp], ids=case_id)
def test_math_float_representation(func, x):
    check(func, x, exc_msg=True)


@pytest.mark.parametrize("x,i", [
    (0.75, 4), (0.75, -1074), (0.75, -1075), (1.0, -1075), (1.5, -1075), (1.0, 1024), (0.5, 1024), (-1.0, 2000), (1e-310, 100),
    (BIG, -2098), (TINY, 2097), (TINY, 2098), (3.0, -2**62), (3.0, 2**62), (0.0, 5), (-0.0, -5), (INF, -3), (NAN, 3),
    (1.0000000000000002, -1074), (1.0000000000000002, -1023), (3, 2), (True, 1),
], ids=case_id)
def test_math_ldexp(x, i):
    check(m_ldexp, x, i, exc_msg=True)


@pytest.mark.parametrize("x", [0.0, -0.0, 1.0, -1.0, 0.5, 1e-310, TINY, -TINY, BIG, -BIG, 2.0**-1022, 1e300, INF, -INF, NAN, 3])
@pytest.mark.parametrize("y", [0.0, -0.0, 2.0, -2.0, INF, -INF, NAN, 1.0])
def test_math_nextafter(x, y):
    check(m_nextafter, x, y)


REMAINDER_CASES = [
    (7.5, 2.0), (-7.5, 2.0), (6.0, 4.0), (10.0, 4.0), (-10.0, 4.0), (5.0, -2.0), (3.0, 2.0), (1e300, 3.0), (TINY, TINY),
    (3 * TINY, 2 * TINY), (1.0, 0.0), (INF, 1.0), (1.0, INF), (-1.0, -INF), (NAN, 1.0), (1.0, NAN), (0.0, 1.0), (-0.0, 1.0),
    (7, 3), (2.0, 4.0), (-2.0, 4.0),
]


@pytest.mark.parametrize("x,y", REMAINDER_CASES, ids=case_id)
def test_math_remainder(x, y):
    check(m_remainder, x, y, exc_msg=True)


# ---- math: isclose, hypot, dist --------------------------------------------------------------------

def m_isclose(a, b):
    return math.isclose(a, b)


def m_isclose_tol(a, b, rel, tol):
    return math.isclose(a, b, rel_tol=rel, abs_tol=tol)


@pytest.mark.parametrize("a,b", [
    (1.0, 1.0), (1.0, 1.0 + 1e-10), (1.0, 1.0 + 1e-8), (0.0, 1e-300), (INF, INF), (INF, -INF), (NAN, NAN), (1, True), (BIG, INF),
], ids=case_id)
def test_math_isclose(a, b):
    check(m_isclose, a, b)


@pytest.mark.parametrize("a,b,rel,tol", [
    (0.0, 1e-300, 1e-9, 1e-299), (1.0, 1.1, 0.1, 0.0), (1.0, 1.2, 0.1, 0.0), (1, 2, 0, 1), (1.0, 1.0, -1.0, 0.0), (1.0, 2.0, 0.0, -1.0),
], ids=case_id)
def test_math_isclose_tolerances(a, b, rel, tol):
    check(m_isclose_tol, a, b, rel, tol, exc_msg=True)


def m_hypot0():
    return math.hypot()


def m_hypot1(x):
    return math.hypot(x)


def m_hypot2(x, y):
    return math.hypot(x, y)


def m_hypot3(x, y, z):
    return math.hypot(x, y, z)


def m_hypot8(a, b, c, d, e, f, g, h):
    return math.hypot(a, b, c, d, e, f, g, h)


def m_dist(p, q):
    return math.dist(p, q)


_RNG = np.random.default_rng(11)
HYPOT_CASES = [
    (m_hypot0, ()), (m_hypot1, (-3.0,)), (m_hypot1, (-0.0,)), (m_hypot1, (NAN,)), (m_hypot1, (-4,)),
    (m_hypot2, (3, 4)), (m_hypot2, (3.0, 4.0)), (m_hypot2, (1e300, 1e300)), (m_hypot2, (1e-320, 1e-320)), (m_hypot2, (INF, NAN)),
    (m_hypot2, (NAN, -INF)), (m_hypot2, (NAN, 1.0)), (m_hypot2, (1.5, 2.5)), (m_hypot2, (1e-10, 1.0)), (m_hypot2, (0.0, -0.0)),
    (m_hypot2, (BIG, BIG)), (m_hypot2, (TINY, 0.0)), (m_hypot2, (True, 1)),
    (m_hypot3, (1, 2, 3.0)), (m_hypot3, (1e-310, 2e-310, 3e-310)), (m_hypot3, (1e308, 1e308, 1e308)), (m_hypot3, (NAN, 1.0, INF)),
    (m_hypot8, tuple(float(v) for v in _RNG.normal(size=8))), (m_hypot8, (1, 2, 3, 4, 5, 6, 7, 8)),
    *[(m_hypot2, tuple(float(v) for v in _RNG.normal(size=2) * 10.0 ** _RNG.integers(-300, 300))) for _ in range(12)],
    *[(m_hypot3, tuple(float(v) for v in _RNG.random(3))) for _ in range(12)],
    (m_dist, ((1, 2), (4.0, 6.0))), (m_dist, ((), ())), (m_dist, ((1.0,), (-2.0,))), (m_dist, ((0.1, 0.2, 0.3), (0.4, 0.5, 0.6))),
    (m_dist, ((INF, 0.0), (INF, 1.0))), (m_dist, ((NAN, 0.0), (1.0, INF))), (m_dist, ((BIG, 0.0), (-BIG, 0.0))),
]


@pytest.mark.parametrize("func,args", HYPOT_CASES, ids=case_id)
def test_math_hypot_and_dist(func, args):
    check(func, *args, exc_msg=True)


def test_math_dist_of_points_of_other_lengths():
    with pytest.raises(ferrojit.errors.TypingError, match="both points must have the same number of dimensions"):
        ferrojit.njit(m_dist)((1.0, 2.0), (1.0,))


# ---- cmath -----------------------------------------------------------------------------------

def c_sqrt(z):
    return cmath.sqrt(z)


def c_exp(z):
    return cmath.exp(z)


def c_log(z):
    return cmath.log(z)


def c_log10(z):
    return cmath.log10(z)


def c_cos(z):
    return cmath.cos(z)


def c_sin(z):
    return cmath.sin(z)


def c_tan(z):
    return cmath.tan(z)


def c_acos(z):
    return cmath.acos(z)


def c_asin(z):
    return cmath.asin(z)


def c_atan(z):
    return cmath.atan(z)


def c_cosh(z):
    return cmath.cosh(z)


def c_sinh(z):
    return cmath.sinh(z)


def c_tanh(z):
    return cmath.tanh(z)


def c_acosh(z):
    return cmath.acosh(z)


def c_asinh(z):
    return cmath.asinh(z)


def c_atanh(z):
    return cmath.atanh(z)


def c_phase(z):
    return cmath.phase(z)


def c_polar(z):
    return cmath.polar(z)


def c_predicates(z):
    return cmath.isfinite(z), cmath.isinf(z), cmath.isnan(z)


CMATH_FUNCTIONS = [c_sqrt, c_exp, c_log, c_log10, c_cos, c_sin, c_tan, c_acos, c_asin, c_atan, c_cosh, c_sinh, c_tanh, c_acosh,
                   c_asinh, c_atanh, c_phase, c_polar, c_predicates]

# Two values of each kind CPython's special-value tables tell apart (so that every table entry
# is checked with values other than the one it was read with), and values near the formulas'
# thresholds: large (overflow-avoiding branches), subnormal, near 1 (log1p branches), exact 1.
PARTS = [-INF, -3.5, -1.0, -0.0, 0.0, 1e-320, 1.0, 2.5, 1e300, INF, NAN]
CMATH_VALUES = [complex(re, im) for re in PARTS for im in PARTS] + [
    0.5 + 0.5j, 0.7 + 0.1j, 1.2 - 0.9j, 710 + 1j, -710 + 2j, 1e-310 + 1e-310j, 1 + 1e-200j, 1 - 0j, -1 + 0j, 3, -2, 0.0, True,
    1e200 + 1e200j, 20 + 1.5j, -20 - 1.5j, 0.2 + 800j, np.complex64(1.5 - 2j),
    *[complex(*np.random.default_rng(7 + k).normal(size=2) * 10.0 ** np.random.default_rng(k).integers(-5, 5)) for k in range(12)],
]


@pytest.mark.parametrize("func", CMATH_FUNCTIONS, ids=case_id)
def test_cmath_functions(func):
    # One compilation per function and argument type, every value through it.
    compiled = ferrojit.njit(func)
    for z in CMATH_VALUES:
        try:
            expected = func(z)
        except (ValueError, OverflowError) as exc:
            with pytest.raises(type(exc), match=str(exc)):
                compiled(z)
            continue
        got = compiled(z)
        from helpers import assert_same, to_python
        assert_same(got, to_python(expected), where=f"{func.__name__}({z!r})")


def c_log_base(z, base):
    return cmath.log(z, base)


def c_rect(r, phi):
    return cmath.rect(r, phi)


def c_isclose(a, b):
    return cmath.isclose(a, b)


def c_isclose_tol(a, b, rel, tol):
    return cmath.isclose(a, b, rel_tol=rel, abs_tol=tol)


def c_constants():
    return cmath.pi, cmath.e, cmath.tau, cmath.inf, cmath.nan, cmath.infj, cmath.nanj


@pytest.mark.parametrize("z,base", [
    (8, 2), (1 + 1j, 2), (-8, 2j), (0, 2), (2, 1), (2, 0), (INF, 2), (1j, NAN), (100.0, 10), (3 + 4j, 1e-300), (0, 0), (1, 1),
], ids=case_id)
def test_cmath_log_with_base(z, base):
    check(c_log_base, z, base, exc_msg=True)


@pytest.mark.parametrize("r", PARTS + [3])
def test_cmath_rect(r):
    compiled = ferrojit.njit(c_rect)
    for phi in PARTS + [math.pi / 2, -2]:
        try:
            expected = c_rect(r, phi)
        except ValueError as exc:
            with pytest.raises(ValueError, match=str(exc)):
                compiled(r, phi)
            continue
        from helpers import assert_same
        assert_same(compiled(r, phi), expected, where=f"rect({r!r}, {phi!r})")


@pytest.mark.parametrize("a,b", [
    (1 + 1j, 1 + 1j), (1 + 1j, 1 + 1.0000000001j), (1j, 1.1j), (complex(INF, 0), complex(INF, 0)), (complex(INF, 1), complex(INF, 2)),
    (complex(NAN, 0), complex(NAN, 0)), (1, 1 + 0j), (0j, 1e-300j),
], ids=case_id)
def test_cmath_isclose(a, b):
    check(c_isclose, a, b)


@pytest.mark.parametrize("args", [(0j, 1e-300j, 1e-9, 1e-299), (1j, 1.2j, 0.1, 0.0), (1j, 1j, -1.0, 0.0), (1j, 2j, 0.0, -1.0)], ids=case_id)
def test_cmath_isclose_tolerances(args):
    check(c_isclose_tol, *args, exc_msg=True)


def test_cmath_constants():
    check(c_constants)


def test_cmath_refuses_other_arguments():
    with pytest.raises(ferrojit.errors.TypingError, match="must be given a number"):
        ferrojit.njit(c_sqrt)(np.arange(3.0))


# ---- operator --------------------------------------------------------------------------------

def op_binary(a, b):
    return (operator.add(a, b), operator.sub(a, b), operator.mul(a, b), operator.truediv(a, b), operator.floordiv(a, b),
            operator.mod(a, b), operator.eq(a, b), operator.ne(a, b), operator.lt(a, b), operator.le(a, b), operator.gt(a, b),
            operator.ge(a, b), operator.iadd(a, b), operator.imul(a, b))


def op_pow(a, b):
    return operator.pow(a, b), operator.ipow(a, b)


def op_bits(a, b):
    return (operator.and_(a, b), operator.or_(a, b), operator.xor(a, b), operator.lshift(a, b), operator.rshift(a, b),
            operator.iand(a, b), operator.ior(a, b), operator.ixor(a, b), operator.ilshift(a, b), operator.irshift(a, b))


def op_unary(a):
    return operator.neg(a), operator.pos(a), operator.abs(a), operator.not_(a), operator.truth(a)


def op_int_unary(a):
    return operator.invert(a), operator.inv(a), operator.index(a)


def op_getitem(t, i):
    return operator.getitem(t, i)


def op_getitem_constant(t):
    return operator.getitem(t, 1)


@pytest.mark.parametrize("a,b", [(7, 2), (-7, 2), (7.5, -2), (2, 0.5), (True, 3), (3, True), (np.float32(1.5), 2), (0.0, -3.0)], ids=case_id)
def test_operator_binary(a, b):
    check(op_binary, a, b)


@pytest.mark.parametrize("a,b", [(7, 0), (1.5, 0.0), (True, False)], ids=case_id)
def test_operator_division_by_zero(a, b):
    check(operator_truediv_only, a, b)


def operator_truediv_only(a, b):
    return operator.truediv(a, b)


# Not here: the documented differences of compiled `**` (README, "Typing rules"): a negative base
# to a non-integral power raises ValueError (CPython gives a complex number), and so does an int
# to a negative power held in a variable.
@pytest.mark.parametrize("a,b", [(2, 10), (2.0, -1), (-8.0, 3.0), (1.5, 2.5), (0.0, -1.0)], ids=case_id)
def test_operator_pow(a, b):
    check(op_pow, a, b, exc_msg=True)


@pytest.mark.parametrize("a,b", [(12, 3), (-12, 2), (True, 1), (255, 4)], ids=case_id)
def test_operator_bits(a, b):
    check(op_bits, a, b)


@pytest.mark.parametrize("a", [3, -2.5, 0, 0.0, -0.0, True, False, 1 + 2j], ids=case_id)
def test_operator_unary(a):
    check(op_unary, a)


@pytest.mark.parametrize("a", [5, -1, True, np.int16(7)], ids=case_id)
def test_operator_integer_unary(a):
    check(op_int_unary, a)


def op_index(a):
    return operator.index(a)


def test_operator_index_refuses_floats():
    with pytest.raises(TypeError):
        op_index(2.5)
    with pytest.raises(ferrojit.errors.TypingError, match="cannot be interpreted as an integer"):
        ferrojit.njit(op_index)(2.5)


def op_arrays(a, b):
    return operator.add(a, b), operator.mul(a, 2), operator.neg(a), operator.lt(a, b), operator.matmul(a, b), operator.getitem(a, 1)


def op_setitem(a, v):
    operator.setitem(a, 0, v)
    return a


def test_operator_on_arrays():
    check_arrays(op_arrays, np.arange(3.0), np.array([2.0, 0.5, -1.0]))
    check_arrays(op_setitem, np.arange(3.0), 9.5)
    check_arrays(op_getitem, np.arange(4), -1)


def test_operator_getitem_of_tuples():
    check(op_getitem_constant, (1, 2.5, 3))
