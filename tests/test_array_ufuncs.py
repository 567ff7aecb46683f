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
    ids=lambda x: getattr(x, "__name__", str(x)),
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


@pytest.mark.parametrize("a", [values(6, np.float64), values(12, np.float32).reshape(3, 4).T, values(6, np.int64)], ids=lambda x: getattr(x, "__name__", str(x)))
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
    ids=lambda x: getattr(x, "__name__", str(x)),
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
    ids=lambda x: getattr(x, "__name__", str(x)),
)
def test_where_picks_as_numpy(args):
    check_arrays(where_pick, *args)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int16], ids=lambda d: np.dtype(d).name)
def test_where_with_a_literal_keeps_the_array_s_type(dtype):
    check_arrays(where_positive, values(7, dtype))


@ferrojit.vectorize(["float64(float64, float64)", "float32(float32, float32)"])
def relative_difference(x, y):
    return abs(x - y) / max(abs(x), abs(y))


@ferrojit.vectorize
def cube(x):
    return x * x * x


def vectorized_on_arrays(a, b):
    return relative_difference(a, b) * 2 + cube(a).sum(), cube(2.0)


@pytest.mark.parametrize(
    "a, b",
    [
        (values(6, np.float64) + 0.5, values(6, np.float64)[::-1] - 0.25),
        (values(12, np.float64).reshape(3, 4) + 0.5, values(4, np.float64) - 0.25),
        (values(6, np.float32) + 0.5, values(6, np.float32) * 2 + 1),
    ],
    ids=lambda x: getattr(x, "__name__", str(x)),
)
def test_vectorize_ufuncs_apply_to_arrays_in_compiled_code(a, b):
    # The compiled kernel sums `cube(a)` in order, NumPy pairwise.
    check_arrays(vectorized_on_arrays, a, b, rel=1e-6 if a.dtype == np.float32 else 1e-14)


def vectorized_into(a, out):
    return cube(a, out=out)

def vectorized_where(a, out):
    return cube(a, out=out, where=a > 1)

def vectorized_positional_out(a, b, out):
    relative_difference(a, b, out)
    return out

def vectorized_unsafe(a, out):
    return relative_difference(a, a + 1, out=out, casting="unsafe")


@pytest.mark.parametrize(
    "func, args",
    [
        (vectorized_into, (np.arange(5.0), np.zeros(5))),
        (vectorized_into, (np.arange(6.0).reshape(2, 3), np.zeros((2, 3), dtype=np.complex128))),
        (vectorized_where, (np.arange(5.0), np.full(5, -1.0))),
        (vectorized_positional_out, (np.arange(4.0) + 1, np.arange(4.0)[::-1] + 2, np.zeros(4))),
        (vectorized_unsafe, (np.arange(4.0) + 1, np.zeros(4, dtype=np.int32))),
    ],
    ids=lambda x: getattr(x, "__name__", None),
)
def test_vectorize_ufuncs_take_ufunc_options_in_compiled_code(func, args):
    got = check_arrays(func, *args, rel=1e-14)
    assert got is args[-1]


def test_vectorize_ufunc_out_refuses_a_cast_as_numpy():
    args = (np.arange(3.0), np.zeros(3, dtype=np.int64))
    with pytest.raises(TypeError) as numpy_error:
        vectorized_into(*args)
    with pytest.raises(TypingError) as error:
        njit(vectorized_into)(*args)
    assert str(numpy_error.value) in str(error.value)


def conjugates(a):
    return np.conj(a), np.conjugate(a), a.conj(), a.conjugate()


@pytest.mark.parametrize("a", [values(6, np.complex128), values(12, np.complex64).reshape(3, 4).T, values(5, np.float64), values(4, np.int32)], ids=lambda x: getattr(x, "__name__", str(x)))
def test_conjugates_as_numpy(a):
    check_arrays(conjugates, a)


# ---- ufunc options: dtype=, where=, casting= (NumPy 2's loop choice and casting errors) ------

def sqrt_float32(a):
    return np.sqrt(a, dtype=np.float32)

def sqrt_builtin_float(a):
    return np.sqrt(a, dtype=float)

def negative_int64(a):
    return np.negative(a, dtype=np.int64)

def negative_int64_unsafe(a):
    return np.negative(a, dtype=np.int64, casting="unsafe")

def minimum_int64(a, b):
    return np.minimum(a, b, dtype=np.int64)

def arctan2_float32(a, b):
    return np.arctan2(a, b, dtype=np.float32)

def power_literal_float32(a):
    return np.power(a, 2, dtype=np.float32)

def isnan_bool(a):
    return np.isnan(a, dtype=np.bool_)

def abs_of_complex_float64(a):
    return np.abs(a * 1j, dtype=np.float64)

def sqrt_where_out(a, out):
    return np.sqrt(a, out=out, where=a > 1)

def minimum_where_mask_out(a, b, mask, out):
    np.minimum(a, b, out=out, where=mask)
    return out

def exp_where_scalar_out(a, out):
    return np.exp(a, out=out, where=False) + np.exp(a, where=True)

def sqrt_safe(a):
    return np.sqrt(a, casting="safe")

def sqrt_no(a):
    return np.sqrt(a, casting="no")

def sqrt_out_unsafe(a, out):
    return np.sqrt(a, out=out, casting="unsafe")

def sqrt_where_fused(a):
    # Without `out=`: NumPy leaves unselected elements uninitialised; the compiled code's are 0.
    return np.sqrt(a + 1, where=a > 1) * 2


@pytest.mark.parametrize(
    "func, args",
    [
        (sqrt_float32, (values(6, np.float64) ** 2,)),
        (sqrt_float32, (np.arange(6, dtype=np.int64),)),
        (sqrt_float32, (np.arange(12.0).reshape(3, 4).T,)),
        (sqrt_builtin_float, (np.arange(6, dtype=np.int32),)),
        (negative_int64, (np.arange(5, dtype=np.int8),)),
        (negative_int64_unsafe, (values(6, np.float64),)),
        (minimum_int64, (np.arange(6, dtype=np.int32), np.arange(6, dtype=np.uint16)[::-1])),
        (arctan2_float32, (values(6, np.float64), values(3, np.float32)[:1])),
        (arctan2_float32, (np.arange(4, dtype=np.int16), 2.0)),
        (power_literal_float32, (np.arange(5, dtype=np.int64),)),
        (isnan_bool, (np.array([1.0, np.nan, 3.0]),)),
        (abs_of_complex_float64, (values(5, np.float64),)),
        (sqrt_where_out, (np.arange(6.0), np.full(6, -1.0))),
        (sqrt_where_out, (np.arange(6.0).reshape(2, 3), np.full((2, 3), -1.0, dtype=np.float32))),
        (minimum_where_mask_out, (np.arange(6.0), 2.5, np.array([True, False, True, True, False, False]), np.full(6, 9.0))),
        (minimum_where_mask_out, (np.arange(6.0).reshape(2, 3), np.ones(3), np.array([False, True, True]), np.zeros((2, 3)))),
        (exp_where_scalar_out, (values(4, np.float64), np.full(4, 0.5))),
        (sqrt_safe, (np.arange(4, dtype=np.int32),)),
        (sqrt_no, (np.arange(4.0),)),
        (sqrt_out_unsafe, (np.arange(4.0) ** 2, np.zeros(4, dtype=np.int64))),
    ],
    ids=lambda x: getattr(x, "__name__", None),
)
def test_ufunc_options_match_numpy(func, args):
    check_arrays(func, *args, rel=1e-6)


def test_where_without_out_gives_zeros_where_unselected():
    a = np.arange(6.0)
    got = njit(sqrt_where_fused)(a)
    selected = a > 1
    assert got.dtype == np.float64
    np.testing.assert_allclose(got[selected], np.sqrt(a + 1)[selected] * 2)
    assert (got[~selected] == 0).all()


def sqrt_int64(a):
    return np.sqrt(a, dtype=np.int64)

def isnan_float32(a):
    return np.isnan(a, dtype=np.float32)

def abs_of_complex_float32(a):
    return np.abs(a * 1j, dtype=np.float32)

def sqrt_float32_safe(a):
    return np.sqrt(a, dtype=np.float32, casting="safe")

def power_float_literal_int64(a):
    return np.power(a, 2.0, dtype=np.int64)

def sqrt_out_int64(a):
    return np.sqrt(a, out=np.zeros(a.shape, dtype=np.int64))

def sqrt_bad_casting(a):
    return np.sqrt(a, casting="bad")

def sqrt_where_not_bool(a):
    return np.sqrt(a, out=np.zeros(a.shape), where=a)


@pytest.mark.parametrize(
    "func, a",
    [
        (sqrt_int64, np.arange(3.0)),
        (isnan_float32, np.arange(3.0)),
        (negative_int64, np.arange(3.0)),
        (minimum_int64, np.arange(3.0)),
        (abs_of_complex_float32, np.arange(3.0)),
        (sqrt_float32_safe, np.arange(3.0)),
        (sqrt_float32_safe, np.arange(3)),
        (sqrt_no, np.arange(3)),
        (power_float_literal_int64, np.arange(3)),
        (sqrt_out_int64, np.arange(3.0)),
        (sqrt_bad_casting, np.arange(3.0)),
        (sqrt_where_not_bool, np.arange(3)),
    ],
    ids=lambda x: getattr(x, "__name__", None),
)
def test_disallowed_ufunc_casts_are_typing_errors_with_numpy_s_words(func, a):
    args = (a, a) if func is minimum_int64 else (a,)
    with pytest.raises((TypeError, ValueError)) as numpy_error:
        func(*args)
    with pytest.raises(TypingError) as error:
        njit(func)(*args)
    message = str(error.value)
    assert str(numpy_error.value) in message
    assert "test_array_ufuncs.py" in message and f"line {func.__code__.co_firstlineno + 1}" in message


def sqrt_into(a, out):
    return np.sqrt(a, out=out)

def same_array(a):
    return a

def whole_view(a):
    return a[:]


@pytest.mark.parametrize(
    "func, args, which",
    [
        (sqrt_into, (np.arange(4.0), np.zeros(4)), 1),
        (sqrt_into, (np.arange(6.0).reshape(2, 3), np.zeros((2, 3), dtype=np.float32)), 1),
        (with_out_returned, (np.arange(4.0), np.zeros(4)), 1),
        (same_array, (np.arange(3),), 0),
        (same_array, (np.arange(12.0).reshape(3, 4)[:, ::2],), 0),
        (same_array, (np.array(2.5),), 0),
        (whole_view, (np.arange(3),), 0),
    ],
    ids=lambda x: getattr(x, "__name__", None),
)
def test_an_argument_array_returned_unchanged_is_the_same_object(func, args, which):
    # As NumPy's `np.sqrt(a, out=b) is b`; Numba also gives back the argument.
    assert func(*args) is args[which] or func is whole_view
    assert njit(func)(*args) is args[which]


def tail(a):
    return a[1:]

def transposed(a):
    return a.T


@pytest.mark.parametrize("func, a", [(tail, np.arange(6)), (transposed, np.arange(6.0).reshape(2, 3)), (tail, np.arange(6)[::2])], ids=lambda x: getattr(x, "__name__", str(x)))
def test_a_view_of_part_of_an_argument_is_a_new_array_over_its_memory(func, a):
    got = njit(func)(a)
    expected = func(a)
    assert got is not a and np.shares_memory(got, a)
    assert np.array_equal(got, expected) and got.strides == expected.strides


def minimum_into_safe(a, out):
    np.minimum(a, a, out=out, casting="safe")

def minimum_into_same_kind(a, out):
    np.minimum(a, a, out=out, casting="same_kind")


CAST_DTYPES = [np.bool_, np.uint8, np.int8, np.uint16, np.int16, np.uint32, np.int32, np.uint64, np.int64, np.float32, np.float64, np.complex64, np.complex128]


@pytest.mark.parametrize("func", [minimum_into_safe, minimum_into_same_kind], ids=lambda f: f.__name__)
@pytest.mark.parametrize("source", [t for t in CAST_DTYPES if np.dtype(t).kind != "c"], ids=lambda t: np.dtype(t).name)
def test_output_casting_rules_are_numpy_s(func, source):
    # Every target type: the compiled call refuses exactly the casts NumPy refuses (complex
    # sources are left out: compiled `np.minimum` does not order complex numbers).
    a = np.arange(3).astype(source)
    for target in CAST_DTYPES:
        out = np.zeros(3, dtype=target)
        allowed = np.can_cast(source, target, casting=func.__name__.split("_into_")[1])
        if allowed:
            njit(func)(a, out)
            assert (out == np.minimum(a, a).astype(target)).all()
        else:
            with pytest.raises(TypingError, match="Cannot cast ufunc 'minimum' output"):
                njit(func)(a, out)
