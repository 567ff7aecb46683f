"""Python's `math` functions at the edges of their domains, differential against CPython: the
same value bit for bit (signed zeros, infinities, NaN), or the same exception class and message
(`ValueError: math domain error`, `OverflowError: math range error`). NumPy's names of the same
functions keep NumPy's rules: NaN and infinities, no exception."""
import math

import numpy as np
import pytest

import ferrojit
from helpers import assert_same, case_id, run_python, to_python

INF = math.inf
NAN = math.nan
BIG = 1.7976931348623157e308
TINY = 5e-324


def m_sqrt(x):
    return math.sqrt(x)


def m_exp(x):
    return math.exp(x)


def m_expm1(x):
    return math.expm1(x)


def m_exp2(x):
    return math.exp2(x)


def m_log(x):
    return math.log(x)


def m_log2(x):
    return math.log2(x)


def m_log10(x):
    return math.log10(x)


def m_log1p(x):
    return math.log1p(x)


def m_cbrt(x):
    return math.cbrt(x)


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


def m_fabs(x):
    return math.fabs(x)


def m_degrees(x):
    return math.degrees(x)


def m_radians(x):
    return math.radians(x)


def m_floor(x):
    return math.floor(x)


def m_ceil(x):
    return math.ceil(x)


def m_trunc(x):
    return math.trunc(x)


def m_pow(x, y):
    return math.pow(x, y)


def m_fmod(x, y):
    return math.fmod(x, y)


def m_atan2(y, x):
    return math.atan2(y, x)


def m_copysign(x, y):
    return math.copysign(x, y)


def m_hypot(x, y):
    return math.hypot(x, y)


def m_log_base(x, base):
    return math.log(x, base)


UNARY = [m_sqrt, m_exp, m_expm1, m_exp2, m_log, m_log2, m_log10, m_log1p, m_cbrt, m_sin, m_cos, m_tan, m_asin,
         m_acos, m_atan, m_sinh, m_cosh, m_tanh, m_asinh, m_acosh, m_atanh, m_erf, m_erfc, m_gamma, m_lgamma,
         m_fabs, m_degrees, m_radians, m_floor, m_ceil, m_trunc]
BINARY = [m_pow, m_fmod, m_atan2, m_copysign, m_hypot, m_log_base]

# Negative, zero, poles, the edges of domains, overflow thresholds, infinities, NaN, extremes and
# integers (converted to float as CPython does).
UNARY_INPUTS = [
    -1.0, 0.0, -0.0, 1.0, -2.0, 2.0, 0.5, -0.5, 1.5, -1.5, 0.1, -2.5, 3.0, 30.5, -30.5,
    709.0, 710.0, -710.0, 1000.0, -1000.0, 1025.0, 171.5, 171.7, -171.7, 180.0, 250.0, -250.5, -200.5,
    1e-21, -1e-21, 1e-310, TINY, -TINY, BIG, -BIG, 1e17, -1e17, 2.5e305,
    INF, -INF, NAN, 0, 1, -1, 3, -3, 24, 1 << 62,
]
BINARY_INPUTS = [-1.0, 0.0, -0.0, 1.0, 2.0, 0.5, -0.5, -3.0, 400.0, -401.0, 1e308, TINY, INF, -INF, NAN, 0, 3, -2]


def _compiled(func, cache={}):
    """One dispatcher per function: it compiles once per argument type."""
    if func not in cache:
        cache[func] = ferrojit.njit(func)
    return cache[func]


def _same_as_python(func, *args):
    compiled = _compiled(func)
    try:
        expected = run_python(func, *args)
    except (ValueError, OverflowError, ZeroDivisionError) as exc:
        with pytest.raises(Exception) as raised:
            compiled(*args)
        assert (type(raised.value), str(raised.value)) == (type(exc), str(exc))
        return
    assert_same(compiled(*args), expected)


def _within_int64(func, x):
    """Whether CPython's integer result of `floor`/`ceil`/`trunc` of `x` fits in int64
    (compiled integers are int64: beyond it they raise `OverflowError`, a documented limit)."""
    return func not in (m_floor, m_ceil, m_trunc) or not math.isfinite(x) or abs(x) < 2.0 ** 63


@pytest.mark.parametrize("func,x", [(f, x) for f in UNARY for x in UNARY_INPUTS if _within_int64(f, x)],
                         ids=lambda v: v.__name__ if callable(v) else case_id(v))
def test_unary_math_as_cpython(func, x):
    _same_as_python(func, x)


@pytest.mark.parametrize("y", BINARY_INPUTS, ids=case_id)
@pytest.mark.parametrize("x", BINARY_INPUTS, ids=case_id)
@pytest.mark.parametrize("func", BINARY, ids=lambda f: f.__name__)
def test_binary_math_as_cpython(func, x, y):
    _same_as_python(func, x, y)


# gamma and lgamma are CPython's own (Lanczos), bit for bit, across their range.
GAMMA_INPUTS = [k / 8.0 for k in range(-1600, 1600, 7)] + [1e-8, -1e-8, 1e-19, 1e-20, 140.5, 139.9, 141.25, 170.6, 171.62, 199.9, -199.9, 0.5 + 1e-15]


@pytest.mark.parametrize("x", GAMMA_INPUTS, ids=case_id)
@pytest.mark.parametrize("func", [m_gamma, m_lgamma], ids=lambda f: f.__name__)
def test_gamma_bit_for_bit(func, x):
    _same_as_python(func, x)


@pytest.mark.parametrize("x", [-1.0, 1000.0], ids=case_id)
def test_float32_argument_raises(x):
    # CPython converts NumPy's float32 to a Python float and raises as for any float.
    _same_as_python(m_sqrt if x < 0 else m_exp, np.float32(x))


# ---- NumPy's names: NaN and infinities, no exception ----------------------------------------------

def np_sqrt(x):
    return np.sqrt(x)


def np_log(x):
    return np.log(x)


def np_exp(x):
    return np.exp(x)


def np_arccos(x):
    return np.arccos(x)


def np_arctanh(x):
    return np.arctanh(x)


def np_sin(x):
    return np.sin(x)


def np_cosh(x):
    return np.cosh(x)


def np_log1p(x):
    return np.log1p(x)


def np_power(x, y):
    return np.power(x, y)


def np_fmod(x, y):
    return np.fmod(x, y)


@pytest.mark.parametrize("func,args", [
    (np_sqrt, (-1.0,)), (np_log, (0.0,)), (np_log, (-1.0,)), (np_exp, (1000.0,)), (np_arccos, (2.0,)),
    (np_arctanh, (1.0,)), (np_sin, (INF,)), (np_cosh, (1000.0,)), (np_log1p, (-1.0,)), (np_power, (0.0, -1.0)),
    (np_power, (-8.0, 1 / 3)), (np_power, (10.0, 400.0)), (np_fmod, (1.0, 0.0)), (np_fmod, (INF, 1.0)),
], ids=case_id)
def test_numpy_names_give_nan_and_inf(func, args):
    with np.errstate(all="ignore"):
        expected = func(*args)
    assert math.isnan(expected) or math.isinf(expected)
    assert_same(_compiled(func)(*args), to_python(expected))


# ---- in loops ---------------------------------------------------------------------------------------

def sum_of_roots(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += math.sqrt(a[i])
    return s


def numpy_roots_into(a, out):
    for i in range(a.shape[0]):
        out[i] = np.sqrt(a[i])


def test_loop_raises_at_the_bad_element():
    a = np.array([4.0, 9.0, -1.0, 16.0])
    with pytest.raises(ValueError, match="math domain error"):
        _compiled(sum_of_roots)(a)
    assert _compiled(sum_of_roots)(a[:2]) == 5.0


def test_numpy_loop_keeps_nan():
    a = np.array([4.0, -1.0, 16.0])
    out = np.empty(3)
    _compiled(numpy_roots_into)(a, out)
    with np.errstate(invalid="ignore"):
        np.testing.assert_array_equal(out, np.sqrt(a))


def test_error_model_numpy_gives_nan():
    # `error_model='numpy'` trades Python's exceptions for NumPy's values, as it does for `/`.
    assert math.isnan(ferrojit.njit(error_model="numpy")(m_sqrt)(-1.0))
    assert ferrojit.njit(error_model="numpy")(m_exp)(1000.0) == INF


def test_vectorize_kernel_gives_nan():
    # A ufunc loop cannot raise: `@vectorize` kernels follow NumPy's error model.
    root = ferrojit.vectorize(["float64(float64)"])(m_sqrt)
    with np.errstate(invalid="ignore"):
        np.testing.assert_array_equal(root(np.array([4.0, -1.0])), [2.0, NAN])
