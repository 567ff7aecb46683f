"""The math module: functions, constants, and `from math import ...` globals."""
import math
from math import floor, hypot, pi, sqrt

import pytest

import helpers
from helpers import case_id

# One dispatcher per function for the whole module: a row compiles only the argument types it
# is the first to meet.
_COMPILED = {}


def check(pyfunc, *args, **kwargs):
    """`helpers.check` with the module's dispatcher of `pyfunc`."""
    return helpers.check(pyfunc, *args, compiled=_COMPILED, **kwargs)


INF = math.inf
NAN = math.nan


def m_sqrt(x):
    return math.sqrt(x)


def m_exp(x):
    return math.exp(x)


def m_expm1(x):
    return math.expm1(x)


def m_log(x):
    return math.log(x)


def m_log_base(x, b):
    return math.log(x, b)


def m_log2(x):
    return math.log2(x)


def m_log10(x):
    return math.log10(x)


def m_log1p(x):
    return math.log1p(x)


def m_sin(x):
    return math.sin(x)


def m_cos(x):
    return math.cos(x)


def m_tan(x):
    return math.tan(x)


def m_asin(x):
    return math.asin(x)


def m_acos(x):
    return math.acos(x)


def m_atan(x):
    return math.atan(x)


def m_atan2(y, x):
    return math.atan2(y, x)


def m_sinh(x):
    return math.sinh(x)


def m_cosh(x):
    return math.cosh(x)


def m_tanh(x):
    return math.tanh(x)


def m_asinh(x):
    return math.asinh(x)


def m_acosh(x):
    return math.acosh(x)


def m_atanh(x):
    return math.atanh(x)


def m_erf(x):
    return math.erf(x)


def m_erfc(x):
    return math.erfc(x)


def m_gamma(x):
    return math.gamma(x)


def m_lgamma(x):
    return math.lgamma(x)


def m_floor(x):
    return math.floor(x)


def m_ceil(x):
    return math.ceil(x)


def m_trunc(x):
    return math.trunc(x)


def m_fabs(x):
    return math.fabs(x)


def m_copysign(x, y):
    return math.copysign(x, y)


def m_hypot(x, y):
    return math.hypot(x, y)


def m_isnan(x):
    return math.isnan(x)


def m_isinf(x):
    return math.isinf(x)


def m_isfinite(x):
    return math.isfinite(x)


def m_pow(x, y):
    return math.pow(x, y)


def m_fmod(x, y):
    return math.fmod(x, y)


def m_degrees(x):
    return math.degrees(x)


def m_radians(x):
    return math.radians(x)


# Values inside the domains; the edges, errors included, are in test_math_domain.py.
UNARY_CASES = [
    (m_sqrt, [0.0, -0.0, 2.0, 0.25, 1e300, 1e-320, INF, NAN, 4, 2]),
    (m_exp, [0.0, 1.0, -1.0, 0.5, 709.0, -745.0, -1000.0, INF, -INF, NAN, 2]),
    (m_expm1, [1e-10, 0.0, -0.0, 1.0, -50.0, 700.0, -INF, NAN, 3]),
    (m_log, [1.0, 2.718281828459045, 0.5, 10, 1e-320, 1e300, INF, NAN]),
    (m_log2, [8.0, 3.0, 0.1, 1024, 1e-300, INF, NAN]),
    (m_log10, [1000.0, 2.0, 1e-5, 7, 1e300, INF, NAN]),
    (m_log1p, [1e-10, 0.0, -0.0, -0.5, 1.0, 1e10, INF, NAN, 5]),
    (m_sin, [0.0, -0.0, 1.0, -2.5, math.pi, 1e6, 1e22, NAN, 3]),
    (m_cos, [0.0, -0.0, 1.0, -2.5, math.pi, 1e6, 1e22, NAN, 3]),
    (m_tan, [0.0, -0.0, 1.0, -2.5, math.pi / 4, 1e6, 1e22, NAN, 3]),
    (m_asin, [0.5, -1.0, 1.0, 0.0, -0.0, 0.999, NAN, 1]),
    (m_acos, [0.5, -1.0, 1.0, 0.0, -0.0, 0.999, NAN, 0]),
    (m_atan, [1.0, -1.0, 0.0, -0.0, 1e300, INF, -INF, NAN, 2]),
    (m_sinh, [0.0, -0.0, 1.0, -2.5, 20.0, 700.0, INF, -INF, NAN, 1]),
    (m_cosh, [0.0, -0.0, 1.0, -2.5, 20.0, 700.0, INF, -INF, NAN, 1]),
    (m_tanh, [0.0, -0.0, 1.0, -2.5, 20.0, 1000.0, INF, -INF, NAN, 1]),
    (m_asinh, [0.0, -0.0, 1.0, -1e300, 1e-10, INF, -INF, NAN, 2]),
    (m_acosh, [1.0, 2.0, 1.5, 1e300, INF, NAN, 3]),
    (m_atanh, [0.0, -0.0, 0.5, -0.99, 1e-10, NAN]),
    (m_floor, [-2.5, 2.5, -0.0, 0.5, -0.5, 1e15 + 0.5, -(2.0 ** 62), 3.9999, -7, 7]),
    (m_ceil, [-2.5, 2.5, -0.0, 0.5, -0.5, 1e15 + 0.5, -(2.0 ** 62), 3.0001, -7, 7]),
    (m_trunc, [-2.5, 2.5, -0.0, 0.5, -0.5, 1e15 + 0.5, -(2.0 ** 62), -3.9999, -7, 7]),
    (m_fabs, [-0.0, 0.0, -2.5, 2.5, INF, -INF, NAN, -3]),
    (m_isnan, [NAN, INF, -INF, 0.0, 1e308, 1, -0.0]),
    (m_isinf, [NAN, INF, -INF, 0.0, 1e308, 1, -0.0]),
    (m_isfinite, [NAN, INF, -INF, 0.0, 1e308, 1, -0.0]),
    (m_degrees, [0.0, -0.0, math.pi, 1.0, -2.5, 1e300, INF, NAN, 1]),
    (m_radians, [180.0, 90, -45.0, 0.0, -0.0, 1e308, INF, NAN]),
]

# CPython may implement erf/erfc itself (where the C library has none), while ferrojit calls the
# C library's: the results may differ in the last bits, so these are compared with a relative
# tolerance. gamma and lgamma are CPython's own algorithm in both, compared exactly.
SPECIAL_REL = 1e-13
SPECIAL_CASES = [
    (m_erf, [0.0, -0.0, 0.5, -1.0, 3.0, 10.0, 1e-10, INF, -INF, NAN]),
    (m_erfc, [0.0, 0.5, -0.5, 2.0, 10.0, 26.0, -INF, INF, NAN]),
]
EXACT_SPECIAL_CASES = [
    (m_gamma, [0.5, 1.0, 5.0, 10.5, -1.5, -0.5, 1e-8, 20.0, 170.5, INF, NAN, 3]),
    (m_lgamma, [0.5, 1.0, 2.0, 10.0, -2.5, 1e-8, 1e300, 3.5, INF, NAN, 7]),
]


def _flatten(cases):
    return [pytest.param(f, x, id=f"{f.__name__}-{x!r}") for f, xs in cases for x in xs]


@pytest.mark.parametrize("func,x", _flatten(UNARY_CASES))
def test_math_unary(func, x):
    check(func, x)


@pytest.mark.parametrize("func,x", _flatten(SPECIAL_CASES))
def test_math_special_functions(func, x):
    check(func, x, rel=SPECIAL_REL)


@pytest.mark.parametrize("func,x", _flatten(EXACT_SPECIAL_CASES))
def test_math_gamma_functions(func, x):
    check(func, x)


@pytest.mark.parametrize("args", [(8, 2), (100, 10), (2.5, 1.5), (1000, 10), (1e-5, 10.0), (0.5, 2.0), (2.0, 0.5), (INF, 2.0)],
                         ids=case_id)
def test_math_log_two_args(args):
    check(m_log_base, *args)


@pytest.mark.parametrize("args", [
    (1.0, -1.0), (-0.0, -1.0), (0.0, -1.0), (0.0, 0.0), (-0.0, -0.0), (0.0, -0.0), (INF, INF), (-INF, 1.0),
    (1.0, 0.0), (-1.0, -0.0), (NAN, 1.0), (1.0, NAN), (3, 4), (-2, -5),
], ids=case_id)
def test_math_atan2(args):
    check(m_atan2, *args)


@pytest.mark.parametrize("args", [
    (1.0, -0.0), (3.0, -2.0), (-3.0, 2.0), (INF, -1.0), (NAN, -1.0), (0.0, -1.0), (-0.0, 1.0), (2, -1), (5.0, NAN),
], ids=case_id)
def test_math_copysign(args):
    check(m_copysign, *args)


# CPython >= 3.8 computes hypot with its own extra-precise algorithm rather than libm's hypot; the
# two may differ by an ulp, hence the tolerance of two ulps.
@pytest.mark.parametrize("args", [
    (3, 4), (3.0, 4.0), (1e300, 1e300), (1e-320, 1e-320), (INF, NAN), (NAN, -INF), (NAN, 1.0), (1.0, 1.0),
    (-5.0, 12.0), (0.0, -0.0), (1.5, 2.5), (1e-10, 1.0),
], ids=case_id)
def test_math_hypot(args):
    check(m_hypot, *args, rel=4.5e-16)


@pytest.mark.parametrize("args", [
    (2.0, 0.5), (2, 3), (-2.0, 3.0), (0.0, 0.0), (NAN, 0.0), (1.0, NAN), (-1.0, INF), (2.0, -2), (10.0, 300.0),
    (INF, -1.0), (0.5, -INF), (-INF, 3.0), (1.5, 2.5), (-0.0, 3.0),
], ids=case_id)
def test_math_pow(args):
    check(m_pow, *args)


@pytest.mark.parametrize("args", [
    (-7.5, 2.0), (7.5, -2.0), (7, -3), (-0.0, 5.0), (5.0, INF), (NAN, 1.0), (1e300, 3.0), (1.0, 0.1), (-1.0, NAN),
], ids=case_id)
def test_math_fmod(args):
    check(m_fmod, *args)


# --- constants ---------------------------------------------------------------------------------

def m_constants():
    return math.pi, math.e, math.tau, math.inf, math.nan, -math.inf


def m_constants_in_expr(r):
    return 2.0 * math.pi * r, math.e ** r, math.tau / r


def test_math_constants():
    check(m_constants)
    check(m_constants_in_expr, 1.5)
    check(m_constants_in_expr, 2)


# --- from math import ... ----------------------------------------------------------------------

def uses_from_import(x, y):
    return sqrt(x) + hypot(x, y) * pi - floor(y)


def test_from_math_import():
    check(uses_from_import, 2.0, 3.5, rel=4.5e-16)  # hypot: see test_math_hypot
    check(uses_from_import, 16.0, -2.5, rel=4.5e-16)


def m_combined(x):
    return math.sqrt(math.sin(x) ** 2 + math.cos(x) ** 2), math.floor(math.log10(x)), math.ceil(math.exp(x / 50.0))


def test_math_combined():
    check(m_combined, 2.5)
    check(m_combined, 123.0)
