"""`**` on floats at every special value, against CPython (error_model='python') and NumPy
(error_model='numpy'): the same float (sign of zero, NaN-ness) or the same exception class.

CPython gives a complex number for a negative finite base with a non-integral finite exponent;
compiled code, whose result type is float, raises ValueError there instead (see README)."""
import itertools
import math

import numpy as np
import pytest

import ferrojit
from helpers import assert_same

INF = math.inf
NAN = math.nan

FLOATS = [
    0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 3.0, -3.0, INF, -INF, NAN, -8.0,
    1e300, -1e300, 1e-300, -1e-300, 1 / 3, 2.5, -2.5, 1e16 + 2.0, 0.9999999999999999, 5e-324,
]
INTS = [0, 1, -1, 2, -2, 3, -3, -8, 10, 400, -400, 1023, 1025, -1075, 2 ** 53 + 1, -(2 ** 62)]


def power(x, y):
    return x ** y


def builtin_pow(x, y):
    return pow(x, y)


python_pow = ferrojit.njit(power)
python_builtin_pow = ferrojit.njit(builtin_pow)
numpy_pow = ferrojit.njit(error_model="numpy")(power)


def expected_python(x, y):
    """CPython's `x ** y`, with a complex result replaced by the ValueError compiled code raises."""
    try:
        r = x ** y
    except (ZeroDivisionError, OverflowError) as exc:
        return exc
    if isinstance(r, complex):
        return ValueError("complex result")
    return r


def assert_like_python(cfunc, x, y):
    expected = expected_python(x, y)
    if isinstance(expected, Exception):
        with pytest.raises(type(expected)) as info:
            cfunc(x, y)
        if isinstance(expected, ValueError):
            assert "complex(x) ** y" in str(info.value)
        else:
            assert str(info.value) == str(expected)
    else:
        assert_same(cfunc(x, y), expected)


@pytest.mark.parametrize("x, y", list(itertools.product(FLOATS, FLOATS)), ids=repr)
def test_float_float(x, y):
    assert_like_python(python_pow, x, y)


@pytest.mark.parametrize("x, y", list(itertools.product(FLOATS, FLOATS[:14])), ids=repr)
def test_builtin_pow_float_float(x, y):
    assert_like_python(python_builtin_pow, x, y)


@pytest.mark.parametrize("x, y", list(itertools.product(INTS, FLOATS)), ids=repr)
def test_int_float(x, y):
    assert_like_python(python_pow, x, y)


@pytest.mark.parametrize("x, y", list(itertools.product(FLOATS, INTS)), ids=repr)
def test_float_int(x, y):
    assert_like_python(python_pow, x, y)


def numpy_power(x, y):
    """NumPy's scalar `**` (C's pow; the ufunc np.power has fast paths for some exponents)."""
    with np.errstate(all="ignore"):
        return float(np.float64(x) ** np.float64(y))


@pytest.mark.parametrize("x, y", list(itertools.product(FLOATS, FLOATS)), ids=repr)
def test_float_float_numpy_error_model(x, y):
    # NumPy's float64 power never raises: 0.0 ** -1 is inf, (-8.0) ** 0.5 is NaN, overflow inf.
    assert_same(numpy_pow(x, y), numpy_power(x, y))


@pytest.mark.parametrize("x, y", list(itertools.product(FLOATS, INTS)), ids=repr)
def test_float_int_numpy_error_model(x, y):
    assert_same(numpy_pow(x, y), numpy_power(x, y))


float32_pow = ferrojit.njit(power)
F32 = [0.0, -0.0, 1.0, -1.0, 0.5, -2.0, 3.0, INF, -INF, NAN, -8.0, 1e30, 1 / 3]


@pytest.mark.parametrize("x, y", list(itertools.product(F32, F32)), ids=repr)
def test_float32_gives_numpy_results(x, y):
    # float32 is NumPy's type: its `**` gives inf/NaN as NumPy's does, in float32.
    with np.errstate(all="ignore"):
        expected = float(np.float32(x) ** np.float32(y))
    assert_same(float32_pow(np.float32(x), np.float32(y)), expected)
