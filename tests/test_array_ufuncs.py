"""NumPy's element-wise functions on arrays (`np.sqrt(a)`, `np.minimum(a, 0.5)`, `abs(a)`, ...)
compared with NumPy 2: same dtype, shape and values, over dtypes and layouts (C, F, reversed,
broadcast, 0-d, empty), with `out=`; fused with the operators around them."""

import numpy as np
import pytest

import ferrojit
from ferrojit import njit
from ferrojit.errors import TypingError

from array_cases import values
from helpers import check_arrays

# One function per NumPy function, as users write them (compiled functions need source).

def np_sqrt(a):
    return np.sqrt(a)

def np_exp(a):
    return np.exp(a)

def np_expm1(a):
    return np.expm1(a)

def np_exp2(a):
    return np.exp2(a)

def np_log(a):
    return np.log(a)

def np_log2(a):
    return np.log2(a)

def np_log10(a):
    return np.log10(a)

def np_log1p(a):
    return np.log1p(a)

def np_cbrt(a):
    return np.cbrt(a)

def np_sin(a):
    return np.sin(a)

def np_cos(a):
    return np.cos(a)

def np_tan(a):
    return np.tan(a)

def np_arcsin(a):
    return np.arcsin(a)

def np_arccos(a):
    return np.arccos(a)

def np_arctan(a):
    return np.arctan(a)

def np_sinh(a):
    return np.sinh(a)

def np_cosh(a):
    return np.cosh(a)

def np_tanh(a):
    return np.tanh(a)

def np_arcsinh(a):
    return np.arcsinh(a)

def np_arccosh(a):
    return np.arccosh(a)

def np_arctanh(a):
    return np.arctanh(a)

def np_fabs(a):
    return np.fabs(a)

def np_degrees(a):
    return np.degrees(a)

def np_rad2deg(a):
    return np.rad2deg(a)

def np_radians(a):
    return np.radians(a)

def np_deg2rad(a):
    return np.deg2rad(a)

def np_floor(a):
    return np.floor(a)

def np_ceil(a):
    return np.ceil(a)

def np_trunc(a):
    return np.trunc(a)

def np_isnan(a):
    return np.isnan(a)

def np_isinf(a):
    return np.isinf(a)

def np_isfinite(a):
    return np.isfinite(a)

def np_abs(a):
    return np.abs(a)

def np_absolute(a):
    return np.absolute(a)

def np_sign(a):
    return np.sign(a)

def np_square(a):
    return np.square(a)

def np_negative(a):
    return np.negative(a)

def np_positive(a):
    return np.positive(a)


def np_arctan2(a, b):
    return np.arctan2(a, b)

def np_copysign(a, b):
    return np.copysign(a, b)

def np_hypot(a, b):
    return np.hypot(a, b)

def np_power(a, b):
    return np.power(a, b)

def np_fmod(a, b):
    return np.fmod(a, b)

def np_minimum(a, b):
    return np.minimum(a, b)

def np_maximum(a, b):
    return np.maximum(a, b)

def np_fmin(a, b):
    return np.fmin(a, b)

def np_fmax(a, b):
    return np.fmax(a, b)


UNARY = ['sqrt', 'exp', 'expm1', 'exp2', 'log', 'log2', 'log10', 'log1p', 'cbrt', 'sin', 'cos', 'tan', 'arcsin', 'arccos', 'arctan', 'sinh', 'cosh', 'tanh', 'arcsinh', 'arccosh', 'arctanh', 'fabs', 'degrees', 'rad2deg', 'radians', 'deg2rad', 'floor', 'ceil', 'trunc', 'isnan', 'isinf', 'isfinite', 'abs', 'absolute', 'sign', 'square', 'negative', 'positive']
BINARY = ['arctan2', 'copysign', 'hypot', 'power', 'fmod', 'minimum', 'maximum', 'fmin', 'fmax']

# Transcendental functions: glibc's vector math library (used in loops) may round the last bit
# or two differently from the scalar library NumPy calls; the others are exact.
EXACT = {"sqrt", "fabs", "floor", "ceil", "trunc", "isnan", "isinf", "isfinite", "abs", "absolute", "sign", "square",
         "negative", "positive", "copysign", "fmod", "minimum", "maximum", "fmin", "fmax"}
REAL_ONLY = {"fabs", "floor", "ceil", "trunc", "sign", "degrees", "rad2deg", "radians", "deg2rad"}
COMPLEX_OK = {"abs", "absolute", "square", "negative", "positive"}

LAYOUTS = {
    "C": lambda dt: values(7, dt),
    "reversed": lambda dt: values(14, dt)[::-2],
    "F": lambda dt: np.asfortranarray(values(12, dt).reshape(3, 4)),
    "0d": lambda dt: np.array(values(1, dt)[0]),
    "empty": lambda dt: values(0, dt).reshape(0, 2),
}
DTYPES = [np.float64, np.float32, np.int64, np.int32]


def tolerance(name, dtype):
    if name in ("abs", "absolute") and np.dtype(dtype).kind == "c":
        return 1e-15  # the magnitude is a `hypot`, from the vector library in loops
    if name in EXACT:
        return None
    return 1e-6 if np.dtype(dtype) == np.float32 else 1e-14


def scaled(a, name):
    """Inputs inside the function's domain where NumPy gives a finite result for most of them
    (NaN and infinities are compared too: NaN equals NaN)."""
    if a.dtype.kind == "f" and name in ("exp", "expm1", "exp2", "sinh", "cosh", "power"):
        return a / 16
    return a


def unary_cases():
    names = list(LAYOUTS)
    turn = 0
    for name in UNARY:
        for dtype in DTYPES + [np.complex128]:
            if np.dtype(dtype).kind == "c" and name not in COMPLEX_OK:
                continue
            # float64 over every layout; the other dtypes over two, in turn.
            layouts = names if dtype == np.float64 else [names[turn % len(names)], names[(turn + 2) % len(names)]]
            turn += 1
            for layout in layouts:
                yield pytest.param(name, dtype, layout, id=f"{name}-{np.dtype(dtype).name}-{layout}")


@pytest.mark.parametrize("name, dtype, layout", list(unary_cases()))
def test_unary_functions_on_arrays_match_numpy(name, dtype, layout):
    a = scaled(LAYOUTS[layout](dtype), name)
    rel = tolerance(name, dtype)
    if np.dtype(dtype).kind in "iu" and name not in EXACT:
        rel = 1e-14
    check_arrays(globals()[f"np_{name}"], a, rel=rel)


@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize(
    "shapes",
    [((7,), (7,)), ((3, 4), (4,)), ((3, 1), (1, 4)), ((), (5,)), ((0,), (1,)), ((2, 3), ())],
    ids=str,
)
def test_binary_functions_on_arrays_match_numpy(name, dtype, shapes):
    a = values(int(np.prod(shapes[0])), dtype).reshape(shapes[0])
    b = values(int(np.prod(shapes[1])) + 3, dtype)[3:].reshape(shapes[1])
    if name == "power" and np.dtype(dtype).kind in "iu":
        b = np.abs(b) % 4
    if name == "power" and np.dtype(dtype).kind == "f":
        a, b = np.abs(a), b / 16
    if name == "fmod" and np.dtype(dtype).kind in "iu":
        b = np.where(b == 0, 1, b)
    a, b = (np.asarray(a) if shapes[0] else a[()]), (np.asarray(b) if shapes[1] else b[()])
    check_arrays(globals()[f"np_{name}"], a, b, rel=tolerance(name, dtype))


def with_scalars(a):
    return np.minimum(a, 0.5) + np.maximum(0.25, a) * np.arctan2(a, 2.0)


def with_out(a, out):
    np.sqrt(a, out=out)
    return out


def with_out_returned(a, out):
    return np.exp(a, out)


def fused(a, b):
    return np.sqrt(np.abs(a - b)) * np.exp(-b / 4) + np.sin(a)


def fused_reduction(a, b):
    return np.sqrt(((a - b) ** 2).sum())


def python_abs(a):
    return abs(a - 3)


@pytest.mark.parametrize("a", [values(6, np.float64), values(12, np.float32).reshape(3, 4).T, values(6, np.int64)], ids=str)
def test_functions_with_scalars_and_python_abs(a):
    check_arrays(with_scalars, a, rel=1e-6 if a.dtype == np.float32 else 1e-14)
    check_arrays(python_abs, a)


@pytest.mark.parametrize(
    "a, out",
    [
        (np.arange(6.0), np.zeros(6)),
        (np.arange(6.0), np.zeros((2, 6))),
        (np.arange(6, dtype=np.int64), np.zeros(6, dtype=np.float32)),
        (2.0, np.zeros(3)),
    ],
    ids=str,
)
def test_out_is_written_and_returned(a, out):
    check_arrays(with_out, a, out, rel=1e-6)


def test_out_must_take_the_result_by_same_kind_casting():
    with pytest.raises(TypeError):
        with_out(np.arange(3.0), np.zeros(3, dtype=np.int64))
    with pytest.raises(TypingError, match="same_kind"):
        njit(with_out)(np.arange(3.0), np.zeros(3, dtype=np.int64))


def test_functions_fuse_with_operators():
    a, b = values(12, np.float64).reshape(3, 4), values(4, np.float64)
    check_arrays(fused, a, b, rel=1e-14)
    check_arrays(fused_reduction, a, b, rel=1e-14)
    f, g = njit(fused), njit(fused_reduction)
    f(a, b), g(a, b)
    before = ferrojit._native.allocations_made()
    f(a, b)
    assert ferrojit._native.allocations_made() == before + 1
    g(a, b)
    assert ferrojit._native.allocations_made() == before + 1


def where_positive(a):
    return np.where(a > 0, a, 0.0)


def where_pick(c, x, y):
    return np.where(c, x, y)


@pytest.mark.parametrize(
    "args",
    [
        (np.array([True, False, True]), values(3, np.float64), values(3, np.int32)),
        (values(12, np.int64).reshape(3, 4) > 0, values(4, np.float32), np.float32(-1)),
        (np.array(True), values(3, np.int8), values(3, np.int8) * 2),
        (values(6, np.float64), values(6, np.uint8), values(1, np.uint8)),
        (np.zeros(0, dtype=bool), np.zeros(0), np.ones(0)),
    ],
    ids=str,
)
def test_where_picks_as_numpy(args):
    check_arrays(where_pick, *args)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int16], ids=lambda d: np.dtype(d).name)
def test_where_with_a_literal_keeps_the_array_s_type(dtype):
    check_arrays(where_positive, values(7, dtype))
