"""Reductions along an axis (`a.sum(axis=0)`, `np.max(a, axis=-1, keepdims=True)`,
`a.prod(axis=1)`, `np.cumsum(a, axis=0, dtype=np.float32)`, ...) against NumPy: dtypes, layouts,
negative axes, keepdims, dtype=, empty axes, NaN, errors, memory."""

import numpy as np
import pytest

import ferrojit
from ferrojit import njit
from ferrojit.errors import TypingError

from array_cases import values
from helpers import check_arrays, check_arrays_compiled_once

# One dispatcher per function for the rows whose axis is an argument: the axis is a run-time
# value, so a row compiles only the argument types it is the first to meet. (The functions
# reading the global AXIS below compile afresh with `check_arrays`: the global is frozen when
# they compile.)
_COMPILED = {}


def check_arrays_shared(pyfunc, *args, rel=None, exc_msg=False):
    """`check_arrays` with the module's dispatcher of `pyfunc`."""
    return check_arrays_compiled_once(_COMPILED, pyfunc, *args, rel=rel, exc_msg=exc_msg)


def sum_axis(a, axis):
    return a.sum(axis=axis)


def min_axis(a, axis):
    return a.min(axis=axis)


def max_axis(a, axis):
    return np.max(a, axis=axis)


def mean_axis(a, axis):
    return a.mean(axis)


def sum_keepdims(a, axis):
    return a.sum(axis=axis, keepdims=True)


def max_keepdims(a, axis):
    return np.amax(a, axis, keepdims=True)


def normalised_rows(a):
    return a / a.sum(axis=1, keepdims=True)


def column_means(a):
    return a.mean(axis=0)


FUNCS = [sum_axis, min_axis, max_axis, mean_axis, sum_keepdims, max_keepdims]
ARRAYS = {
    "1d": lambda dt: values(7, dt),
    "2d_C": lambda dt: values(12, dt).reshape(3, 4),
    "2d_F": lambda dt: np.asfortranarray(values(12, dt).reshape(3, 4)),
    "2d_reversed": lambda dt: values(24, dt).reshape(4, 6)[::-1, ::-2],
    "3d": lambda dt: values(24, dt).reshape(2, 3, 4),
    "3d_T": lambda dt: values(24, dt).reshape(2, 3, 4).transpose(2, 0, 1),
}


def axes(ndim):
    return list(range(-ndim, ndim))


def cases():
    for func in FUNCS:
        # Every function over three dtypes; sums and maxima over three more.
        dtypes = [np.float64, np.int8, np.bool_] + ([np.float32, np.int64, np.uint32] if func in (sum_axis, max_axis) else [])
        for dtype in dtypes:
            for name, make in ARRAYS.items():
                ndim = make(np.float64).ndim
                for axis in axes(ndim):
                    yield pytest.param(func, dtype, name, axis, id=f"{func.__name__}-{np.dtype(dtype).name}-{name}-{axis}")


def tolerance(func, dtype):
    # NumPy sums floats pairwise, ferrojit in order along the axis.
    if func in (sum_axis, mean_axis, sum_keepdims) and np.dtype(dtype).kind == "f":
        return 1e-6 if dtype == np.float32 else 1e-14
    return None


@pytest.mark.parametrize("func, dtype, name, axis", list(cases()))
def test_reductions_along_an_axis_match_numpy(func, dtype, name, axis):
    check_arrays_shared(func, ARRAYS[name](dtype), axis, rel=tolerance(func, dtype))


@pytest.mark.parametrize("func", FUNCS)
@pytest.mark.parametrize("shape, axis", [((0, 3), 0), ((0, 3), 1), ((3, 0), 0), ((3, 0), 1), ((0,), 0)], ids=str)
def test_empty_axes_as_numpy(func, shape, axis):
    check_arrays_shared(func, np.zeros(shape), axis, exc_msg=func in (min_axis, max_axis))


def test_nan_wins_along_an_axis():
    a = np.array([[1.0, np.nan, 3.0], [4.0, 5.0, np.nan]])
    for func in (min_axis, max_axis, sum_axis):
        for axis in (0, 1):
            check_arrays_shared(func, a, axis)


@pytest.mark.parametrize("axis", [2, -3, 5])
def test_axis_out_of_range_is_numpy_s_axis_error(axis):
    a = np.ones((2, 3))
    with pytest.raises(np.exceptions.AxisError) as numpy_error:
        sum_axis(a, axis)
    with pytest.raises(np.exceptions.AxisError) as ours:
        njit(sum_axis)(a, axis)
    assert str(ours.value) == str(numpy_error.value)


def test_axis_must_be_an_integer_and_keepdims_a_constant():
    with pytest.raises(TypingError, match="must be an integer"):
        njit(sum_axis)(np.ones(3), 1.5)

    @njit
    def variable_keepdims(a, k):
        return a.sum(axis=0, keepdims=k)

    with pytest.raises(TypingError, match="keepdims"):
        variable_keepdims(np.ones(3), True)


def products_along_axes(a):
    return a.prod(axis=0), np.prod(a * 0.5, axis=1, keepdims=True)


def test_reductions_in_expressions_and_memory():
    a = values(12, np.float64).reshape(3, 4) + 200
    check_arrays(normalised_rows, a, rel=1e-15)
    check_arrays(column_means, a, rel=1e-15)
    check_arrays(products_along_axes, a)
    f, g = njit(normalised_rows), njit(products_along_axes)
    f(a), g(a)
    before = ferrojit._native.live_allocations()
    for _ in range(200):
        f(a), g(a)
    assert ferrojit._native.live_allocations() == before


# --- dtype= of sum and mean, complex means -----------------------------------------------------


def sum_to_float32(a, axis):
    return a.sum(axis=axis, dtype=np.float32)


def sum_to_int8(a, axis):
    return np.sum(a, axis, dtype=np.int8)


def mean_to_float32(a, axis):
    return np.mean(a, axis=axis, dtype=np.float32)


def mean_to_complex(a, axis):
    return a.mean(axis=axis, dtype=np.complex128)


def sum_whole_to_float32(a, axis):
    return a.sum(dtype=np.float32)


def mean_whole_to_own_dtype(a, axis):
    return np.mean(a, dtype=a.dtype)


@pytest.mark.parametrize("func", [sum_to_float32, sum_to_int8, mean_to_float32, mean_to_complex, sum_whole_to_float32, mean_whole_to_own_dtype, mean_axis, sum_keepdims])
@pytest.mark.parametrize("dtype", [np.float64, np.int16, np.bool_, np.complex128], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("name, axis", [("2d_F", 0), ("3d_T", -1), ("2d_reversed", 1)])
def test_dtype_of_sum_and_mean_and_complex_means_match_numpy(func, dtype, name, axis):
    a = ARRAYS[name](dtype)
    if func is sum_to_int8 and np.dtype(dtype).kind == "f":
        a = a.round() % 64  # values int8 holds: out-of-range float-to-int casts are undefined in C
    if np.dtype(dtype).kind == "c" and func in (sum_to_float32, sum_to_int8, mean_to_float32, sum_whole_to_float32):
        # NumPy refuses to sum complex numbers into a real type; so does ferrojit, when compiling.
        with pytest.raises(TypingError, match="of a complex array cannot be computed in"):
            njit(func)(a, axis)
        return
    if func is mean_whole_to_own_dtype and np.dtype(dtype).kind != "f" and np.dtype(dtype).kind != "c":
        with pytest.raises(ferrojit.errors.UnsupportedError, match=r"the mean is computed in a float or complex type"):
            njit(func)(a, axis)
        return
    rel = 1e-5 if func in (sum_to_float32, mean_to_float32, sum_whole_to_float32) else 1e-14 if np.dtype(dtype).kind in "fc" else None
    check_arrays_shared(func, a, axis, rel=rel)


def test_complex_mean_of_empty_axes_is_nan_as_numpy():
    check_arrays_shared(mean_axis, np.zeros((0, 3), dtype=np.complex128), 0)
    check_arrays_shared(mean_axis, np.zeros((3, 0), dtype=np.complex64), 0)


# --- the reductions written in Python (ferrojit/_lib/reductions.py): a constant axis ------------
#
# Each function reads the module global AXIS, frozen when it compiles (every check compiles
# afresh); run-time axes are in test_array_reduction_axes.py.

AXIS = 0


def prod_along(a):
    return a.prod(axis=AXIS)


def argmin_along(a):
    return a.argmin(axis=AXIS)


def argmax_along(a):
    return np.argmax(a, axis=AXIS)


def all_along(a):
    return np.all(a, axis=AXIS)


def any_along(a):
    return a.any(axis=AXIS)


def var_along(a):
    return a.var(axis=AXIS)


def std_ddof_along(a):
    return np.std(a, axis=AXIS, ddof=1)


def cumsum_along(a):
    return a.cumsum(axis=AXIS)


def cumprod_along(a):
    return np.cumprod(a, axis=AXIS)


def prod_kept(a):
    return np.prod(a, axis=AXIS, keepdims=True)


def argmax_kept(a):
    return a.argmax(axis=AXIS, keepdims=True)


def any_kept(a):
    return np.any(a, axis=AXIS, keepdims=True)


def std_kept(a):
    return a.std(axis=AXIS, keepdims=True)


PYTHON_FUNCS = [prod_along, argmin_along, argmax_along, all_along, any_along, var_along, std_ddof_along, cumsum_along, cumprod_along, prod_kept, argmax_kept, any_kept, std_kept]
# NumPy sums (and multiplies floats) pairwise or in memory order, ferrojit along the axis.
PYTHON_ROUNDED = {var_along: 1e-12, std_ddof_along: 1e-12, std_kept: 1e-12, prod_along: 1e-15, cumprod_along: 1e-15, prod_kept: 1e-15}


def small(a):
    """Values whose products stay exact in every dtype."""
    if a.dtype.kind in "iu":
        return (a % 3 + 1).astype(a.dtype)
    if a.dtype.kind == "f":
        return a / 64
    return a


KEPT = [prod_kept, argmax_kept, any_kept, std_kept]


def python_cases():
    for func in PYTHON_FUNCS:
        # float64 over the layouts (2d_C is 2d_F's transpose); two more dtypes over two layouts
        # for half of them; keepdims over two.
        for dtype in [np.float64, np.int8, np.bool_] if func in (prod_along, argmax_along, any_along, var_along, cumsum_along) else [np.float64]:
            for name, make in ARRAYS.items():
                if name == "2d_C" or (func in KEPT or dtype != np.float64) and name not in ("2d_reversed", "3d_T"):
                    continue
                for axis in axes(make(np.float64).ndim):
                    yield pytest.param(func, dtype, name, axis, id=f"{func.__name__}-{np.dtype(dtype).name}-{name}-{axis}")


@pytest.mark.parametrize("func, dtype, name, axis", list(python_cases()))
def test_python_reductions_along_a_constant_axis_match_numpy(func, dtype, name, axis, monkeypatch):
    monkeypatch.setitem(globals(), "AXIS", axis)
    rel = PYTHON_ROUNDED.get(func) if np.dtype(dtype).kind == "f" else None
    check_arrays(func, small(ARRAYS[name](dtype)), rel=rel)


@pytest.mark.parametrize("func", PYTHON_FUNCS)
@pytest.mark.parametrize("shape, axis", [((0, 3), 0), ((0, 3), 1), ((3, 0), 0), ((3, 0), -1), ((0,), 0)], ids=str)
def test_python_reductions_of_empty_axes_as_numpy(func, shape, axis, monkeypatch):
    monkeypatch.setitem(globals(), "AXIS", axis)
    # argmin/argmax of an empty lane: ValueError with NumPy's message.
    check_arrays(func, np.zeros(shape), exc_msg=True)


@pytest.mark.parametrize("func", [argmin_along, argmax_along, var_along, cumsum_along, any_along, all_along, cumprod_along])
@pytest.mark.parametrize("axis", [0, 1])
def test_python_reductions_with_nan_along_an_axis(func, axis, monkeypatch):
    monkeypatch.setitem(globals(), "AXIS", axis)
    a = np.array([[1.0, np.nan, 3.0], [np.nan, 5.0, -np.inf], [2.0, 0.0, 4.0]])
    check_arrays(func, a, rel=1e-12)


@pytest.mark.parametrize("func", [prod_along, argmax_along, all_along, std_ddof_along, cumsum_along, prod_kept])
@pytest.mark.parametrize("axis", [2, -3, 7])
def test_python_reductions_out_of_range_axis_is_numpy_s_axis_error(func, axis, monkeypatch):
    monkeypatch.setitem(globals(), "AXIS", axis)
    check_arrays(func, np.ones((2, 3)), exc_msg=True)


def prod_to(a):
    return a.prod(dtype=np.float32)


def prod_along_to(a):
    return np.prod(a, axis=AXIS, dtype=np.int8)


def cumsum_to(a):
    return np.cumsum(a, dtype=np.float32)


def cumsum_along_to_own_dtype(a):
    return a.cumsum(axis=AXIS, dtype=a.dtype)


def cumprod_along_to_float(a):
    return a.cumprod(axis=AXIS, dtype=float)


@pytest.mark.parametrize("func", [prod_to, prod_along_to, cumsum_to, cumsum_along_to_own_dtype, cumprod_along_to_float])
@pytest.mark.parametrize("dtype", [np.int16, np.uint8, np.float64, np.bool_], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("axis", [0, -1])
def test_python_reductions_with_dtype_match_numpy(func, dtype, axis, monkeypatch):
    monkeypatch.setitem(globals(), "AXIS", axis)
    check_arrays(func, small(values(12, dtype).reshape(3, 4)))


@pytest.mark.parametrize(
    "source, message",
    [
        # NumPy's argmin, argmax, cumsum and cumprod take one axis.
        ("def f(a, k):\n    return a.argmin(axis=(0, k))", r"`axis=` of `.*argmin\(\)` must be an integer, not `UniTuple\(int64 x 2\)`"),
        ("def f(a, k):\n    return a.prod(axis=1.5)", r"`axis=` of `.*prod\(\)` must be an integer or a tuple of integers, not `float64`"),
        ("def f(a, k):\n    return a.argmax(axis=1.5)", r"`axis=` of `.*argmax\(\)` must be an integer, not `float64`"),
        ("def f(a, k):\n    return np.any(a, axis=0, keepdims=k > 0)", r"`keepdims=` of `.*any\(\)` must be written `True` or `False`"),
        ("def f(a, k):\n    return a.cumsum(dtype=k)", r"`cumsum\(dtype=...\)` takes a NumPy scalar type"),
        # A number's reductions are a 0-d array's (as NumPy's scalars'), which has no axis 0.
        ("def f(a, k):\n    return a[0, 0].var(axis=0)", "an axis of a 0-dimensional array is out of bounds"),
    ],
)
def test_python_reductions_argument_errors(source, message, tmp_path):
    path = tmp_path / "reduction_errors.py"
    path.write_text("import numpy as np\n\n" + source + "\n")
    namespace = {}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    with pytest.raises(TypingError, match=message):
        njit(namespace["f"])(np.ones((2, 2)), 1)
