"""NumPy 2's parameters of the reductions, against NumPy: tuples of axes (sum, prod, min, max,
mean, var, std, all, any, with keepdims), axes given at run time (every reduction), initial= of
sum, prod, min, max, dtype= of var and std, complex var and std; their errors with NumPy's
exception types and messages; no leak on any path, raising ones included."""

import numpy as np
import pytest

import ferrojit
from ferrojit import njit
from ferrojit.errors import TypingError

from array_cases import values
from helpers import _assert_raises_like, _clone_arg, _run_python_quiet, assert_same_array, assert_same_value, to_python

# One dispatcher per function for the whole module: a check compiles only the argument types
# it is the first to meet (the axes' values are run-time values).
_COMPILED = {}


def check_arrays(pyfunc, *args, rel=None, exc_msg=True):
    """helpers.check_arrays with the function compiled once: the same dtype, shape and values
    as NumPy's (floats within ``rel`` when given), or the same exception and message."""
    cfunc = _COMPILED.setdefault(pyfunc, njit(pyfunc))
    py_args = tuple(_clone_arg(a) for a in args)
    try:
        expected = _run_python_quiet(pyfunc, *py_args)
    except Exception as exc:  # noqa: BLE001 - any exception NumPy raises must be reproduced
        return _assert_raises_like(exc, exc_msg, cfunc, *args)
    got = cfunc(*args)
    assert_same_value(got, to_python(expected), rel=rel)
    for a, p in zip(args, py_args):
        if isinstance(a, np.ndarray):
            assert_same_array(a, p, where="argument after the call")
    return got

DTYPES = [np.bool_, np.int8, np.int32, np.int64, np.uint8, np.uint64, np.float32, np.float64, np.complex128]


def small(a):
    """Values whose products stay exact (and in range) in every dtype."""
    if a.dtype.kind in "iu":
        return (a % 3 + 1).astype(a.dtype)
    if a.dtype.kind in "fc":
        return a / 64
    return a


def layouts(dtype, products=False):
    """Arrays of ``dtype`` in the layouts a reduction meets, by name (of values whose products
    are exact with ``products``)."""
    made = small if products else (lambda a: a)
    c = made(values(24, dtype)).reshape(2, 3, 4)
    return {
        "C": c,
        "F": np.asfortranarray(c),
        "strided": made(values(60, dtype)).reshape(3, 4, 5)[::2, 1:, ::2],
        "negative": c[::-1, :, ::-2],
        "empty_first": np.zeros((0, 3, 4), dtype),
        "empty_middle": np.zeros((2, 0, 4), dtype),
    }


# --- tuples of axes, given at run time (the axes' values are run-time values; their count is
# part of the compiled signature) ---------------------------------------------------------------


def sum_axes(a, axes):
    return a.sum(axis=axes)


def sum_axes_kept(a, axes):
    return np.sum(a, axis=axes, keepdims=True)


def prod_axes(a, axes):
    return np.prod(a, axis=axes)


def min_axes(a, axes):
    return a.min(axis=axes)


def max_axes_kept(a, axes):
    return np.max(a, axis=axes, keepdims=True)


def amin_axes(a, axes):
    return np.amin(a, axes)


def mean_axes(a, axes):
    return a.mean(axis=axes)


def mean_axes_kept(a, axes):
    return np.mean(a, axis=axes, keepdims=True)


def var_axes(a, axes):
    return np.var(a, axis=axes)


def std_axes_kept(a, axes):
    return a.std(axis=axes, ddof=1, keepdims=True)


def all_axes(a, axes):
    return a.all(axis=axes)


def any_axes_kept(a, axes):
    return np.any(a, axis=axes, keepdims=True)


# NumPy sums pairwise, ferrojit in order: float results (and means, variances of integers)
# agree to rounding, relative 1e-12 for float64 sums of up to 60 elements, 1e-5 for float32.
SUMMED = {sum_axes, sum_axes_kept, mean_axes, mean_axes_kept, var_axes, std_axes_kept}
# Products (of the values of `small`, exact in every dtype) in another order than NumPy's.
MULTIPLIED = {prod_axes}
# Every dtype for these; five for the others (min and max of complex arrays are not supported).
ALL_DTYPES_FUNCS = [sum_axes, prod_axes, mean_axes, any_axes_kept]
SOME_DTYPES_FUNCS = [min_axes, max_axes_kept, var_axes, std_axes_kept, all_axes]
SOME_DTYPES = [np.bool_, np.int8, np.uint64, np.float32, np.float64]


def tolerance(func, dtype):
    if func not in SUMMED | MULTIPLIED or (np.dtype(dtype).kind not in "fc" and func in (sum_axes, sum_axes_kept, prod_axes)):
        return None
    return 1e-5 if dtype == np.float32 else 1e-12


def axes_cases():
    for func in ALL_DTYPES_FUNCS + SOME_DTYPES_FUNCS:
        for dtype in DTYPES if func in ALL_DTYPES_FUNCS else SOME_DTYPES:
            yield pytest.param(func, dtype, id=f"{func.__name__}-{np.dtype(dtype).name}")


@pytest.mark.parametrize("func, dtype", list(axes_cases()))
def test_tuples_of_axes_match_numpy(func, dtype):
    for name in ("C", "empty_first", "empty_middle"):
        a = layouts(dtype, func in MULTIPLIED)[name]
        for axes in [(0, 2), (-1, 1), (2, 0, 1)]:
            # min and max of empty lanes: NumPy's ValueError, message included.
            check_arrays(func, a, axes, rel=tolerance(func, dtype))


@pytest.mark.parametrize("func", ALL_DTYPES_FUNCS + SOME_DTYPES_FUNCS + [sum_axes_kept, mean_axes_kept, amin_axes])
@pytest.mark.parametrize("name", ["F", "strided", "negative"])
def test_tuples_of_axes_over_layouts_match_numpy(func, name):
    a = layouts(np.float64, func in MULTIPLIED)[name]
    for axes in [(0, 2), (1, 2), (), (1,)]:
        check_arrays(func, a, axes, rel=tolerance(func, np.float64))


def sum_constant_axes(a):
    return a.sum(axis=(0, -1))


def prod_constant_axes_kept(a):
    return a.prod(axis=(1, 2), keepdims=True)


def max_constant_axes(a):
    return np.max(a, axis=(2, 1))


def var_constant_axes(a):
    return a.var(axis=(0, 2), ddof=1)


def any_every_axis(a):
    return np.any(a, axis=(0, 1, 2))


@pytest.mark.parametrize("func", [sum_constant_axes, prod_constant_axes_kept, max_constant_axes, var_constant_axes, any_every_axis])
def test_constant_tuples_of_axes_match_numpy(func):
    check_arrays(func, layouts(np.int8, True)["negative"], rel=1e-12 if func is var_constant_axes else None)


def sum_no_axes_of_0d(a):
    return a.sum(axis=())


def mean_kept_whole(a):
    return a.mean(keepdims=True)


def sum_kept_whole(a):
    return np.sum(a, keepdims=True)


def min_kept_whole(a):
    return a.min(keepdims=True)


def max_kept_whole(a):
    return np.max(a, keepdims=True)


@pytest.mark.parametrize("func", [sum_no_axes_of_0d, mean_kept_whole, sum_kept_whole, min_kept_whole, max_kept_whole])
def test_whole_array_with_keepdims_and_no_axes_match_numpy(func):
    for a in [np.array(2.5), np.arange(6, dtype=np.int32).reshape(2, 3), np.zeros((2, 0), np.int32)]:
        check_arrays(func, a)


# --- axis errors: NumPy's types and messages, raised when the call runs -------------------------


@pytest.mark.parametrize("func", [sum_axes, prod_axes, min_axes, mean_axes_kept, var_axes, std_axes_kept, all_axes, any_axes_kept])
@pytest.mark.parametrize(
    "axes",
    [(0, 0), (1, -2), (0, 2), (-3, 1), (0, 0, 2), (2, 1, 0)],
    ids=["repeated", "repeated_negative", "out_of_range", "out_of_range_negative", "range_before_repeat", "more_than_ndim"],
)
def test_axis_errors_match_numpy(func, axes):
    check_arrays(func, np.ones((2, 3)), axes)


# --- axes given at run time to the reductions written in Python --------------------------------


def prod_along(a, axis):
    return a.prod(axis=axis)


def argmin_along(a, axis):
    return np.argmin(a, axis=axis)


def argmax_along_kept(a, axis):
    return a.argmax(axis=axis, keepdims=True)


def all_along(a, axis):
    return np.all(a, axis)


def any_along(a, axis):
    return a.any(axis=axis)


def var_along(a, axis):
    return a.var(axis=axis)


def std_along(a, axis):
    return np.std(a, axis=axis, ddof=1)


def cumsum_along(a, axis):
    return a.cumsum(axis=axis)


def cumprod_along(a, axis):
    return np.cumprod(a, axis=axis)


RUNTIME_FUNCS = [prod_along, argmin_along, argmax_along_kept, all_along, any_along, var_along, std_along, cumsum_along, cumprod_along]
NO_COMPLEX_ARG = {argmin_along, argmax_along_kept}


# argmin and argmax of complex arrays are not supported.
RUNTIME_CASES = [(func, dtype) for func in RUNTIME_FUNCS for dtype in (np.bool_, np.int8, np.float64, np.complex128) if dtype != np.complex128 or func not in NO_COMPLEX_ARG]


@pytest.mark.parametrize("func, dtype", RUNTIME_CASES, ids=lambda x: getattr(x, "__name__", str(x)))
def test_run_time_axes_match_numpy(func, dtype):
    rel = None
    if np.dtype(dtype).kind in "fc" and func in (var_along, std_along, prod_along, cumprod_along):
        rel = 1e-12
    for name in ("C", "empty_middle", "negative"):
        a = layouts(dtype, True)[name]
        for axis in (0, 1, 2, -1, -3, 3, -4):
            # Out of range: NumPy's AxisError; argmin of an empty lane: NumPy's ValueError.
            check_arrays(func, a, axis, rel=rel)
    # One compiled version per array type (C and A layouts) serves every axis.
    assert len([sig for sig in _COMPILED[func].signatures if str(sig[0].dtype) == np.dtype(dtype).name]) == 2


# --- initial= -----------------------------------------------------------------------------------


def sum_from(a, initial):
    return a.sum(initial=initial)


def prod_from_along(a, initial):
    return np.prod(a, axis=1, initial=initial)


def min_from(a, initial):
    return np.min(a, initial=initial)


def max_from_axes(a, initial):
    return a.max(axis=(0, 1), initial=initial)


def min_from_along_kept(a, initial):
    return a.min(axis=0, initial=initial, keepdims=True)


def amax_from(a, initial):
    return np.amax(a, initial=initial)


INITIAL_FUNCS = [sum_from, prod_from_along, min_from, max_from_axes, min_from_along_kept, amax_from]


def initial_cases():
    for func in INITIAL_FUNCS:
        for dtype in [np.bool_, np.int8, np.uint8, np.float32, np.float64, np.complex128]:
            if dtype == np.complex128 and func in (min_from, max_from_axes, min_from_along_kept, amax_from):
                continue
            for initial in (5, -1.5):
                # NumPy refuses to cast -1.5 to an unsigned type.
                if np.dtype(dtype).kind == "u" and initial < 0:
                    continue
                yield pytest.param(func, dtype, initial, id=f"{func.__name__}-{np.dtype(dtype).name}-{initial!r}")


@pytest.mark.parametrize("func, dtype, initial", list(initial_cases()))
def test_initial_matches_numpy(func, dtype, initial):
    rel = 1e-5 if dtype == np.float32 and func is sum_from else (1e-12 if np.dtype(dtype).kind in "fc" and func is sum_from else None)
    for a in (small(values(12, dtype)).reshape(3, 4), np.zeros((0, 3), dtype), np.zeros((3, 0), dtype)):
        # An empty array's min and max is the initial value: no ValueError.
        check_arrays(func, a, initial, rel=rel)


@pytest.mark.parametrize("func", [min_from, max_from_axes, amax_from])
def test_nan_wins_over_initial_as_numpy(func):
    check_arrays(func, np.array([[1.0, np.nan], [3.0, -2.0]]), 0.0)
    check_arrays(func, np.array([[1.0, 4.0], [3.0, -2.0]]), np.nan)


# --- dtype= of var and std; complex var and std -------------------------------------------------


def var_to(a, axis):
    return a.var(axis=axis, dtype=np.float32)


def std_to(a, axis):
    return np.std(a, axis=axis, dtype=np.float64)


def var_whole_to(a, axis):
    return np.var(a, dtype=np.float32, ddof=1)


def std_whole_to_own(a, axis):
    return a.std(dtype=a.dtype)


def var_complex(a, axis):
    return a.var(axis=axis)


def var_complex_to(a, axis):
    return np.var(a, axis=axis, dtype=np.complex64)


def std_complex_kept(a, axis):
    return np.std(a, axis=axis, keepdims=True)


@pytest.mark.parametrize("func", [var_to, std_to, var_whole_to])
@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.uint64, np.float32, np.float64], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("axis", [0, -1, (0, 1)], ids=str)
def test_dtype_of_var_and_std_matches_numpy(func, dtype, axis):
    a = values(12, dtype).reshape(3, 4)
    # NumPy sums pairwise, ferrojit in order.
    rel = 1e-5 if func is not std_to else 1e-12
    check_arrays(func, a, axis, rel=rel)


# A real array's variance in a complex type: tests/test_array_reduction_out_where.py.
OWN_AND_COMPLEX = [
    (func, dtype) for func in (std_whole_to_own, var_complex, std_complex_kept, var_complex_to) for dtype in (np.float32, np.float64, np.complex128) if func is not var_complex_to or dtype == np.complex128
]


@pytest.mark.parametrize("func, dtype", OWN_AND_COMPLEX, ids=lambda x: getattr(x, "__name__", str(x)))
@pytest.mark.parametrize("axis", [1, (0, 1)], ids=str)
def test_complex_var_and_std_and_own_dtype_match_numpy(func, dtype, axis):
    a = values(12, dtype).reshape(3, 4)
    check_arrays(func, a, axis, rel=1e-5 if dtype == np.float32 else 1e-12)


# --- typing errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source, message",
    [
        ("def f(a, k):\n    return a.var(dtype=np.int64)", r"`var\(dtype=...\)` must be a float or complex type"),
        ("def f(a, k):\n    return np.std(a, dtype=k)", r"`std\(dtype=...\)` takes a NumPy scalar type"),
        ("def f(a, k):\n    return a.sum(where=1.5)", r"`where=` of `sum\(\)` must be an array of booleans or a bool, not `float64`"),
        ("def f(a, k):\n    return np.max(a, axis=0, out=(a,))", r"`out=` of `max\(\)` must be an array, not"),
        ("def f(a, k):\n    return a.prod(initial=(1, 2))", r"`initial=` of `prod\(\)` must be a number"),
        ("def f(a, k):\n    return np.cumsum(a, axis=(0, 1))", r"`axis=` of `cumsum\(\)` must be an integer, not `UniTuple\(int64 x 2\)`"),
        ("def f(a, k):\n    return a.prod(axis=(0, 1.5))", r"`axis=` of `prod\(\)` must be an integer or a tuple of integers"),
        ("def f(a, k):\n    return a.astype(np.complex128).sum(axis=(0, 1), dtype=np.float64)", r"`.*sum\(\)` of a complex array cannot be computed in `float64`"),
    ],
)
def test_argument_errors(source, message, tmp_path):
    path = tmp_path / "reduction_argument_errors.py"
    path.write_text("import numpy as np\n\n" + source + "\n")
    namespace = {}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    with pytest.raises(TypingError, match=message) as error:
        njit(namespace["f"])(np.ones((2, 2)), 1)
    # The user's file and line.
    assert "reduction_argument_errors.py" in str(error.value)


# --- memory -------------------------------------------------------------------------------------


def many_reductions(a, axes, axis, initial):
    return (
        a.sum(axis=axes).sum()
        + np.prod(a, axis=axes, initial=initial).sum()
        + a.min(axis=axes, keepdims=True).sum()
        + a.var(axis=axis, dtype=np.float32).sum()
        + a.cumsum(axis=axis).sum()
        + np.argmax(a, axis=axis).sum()
        + np.any(a, axis=axes).sum()
    )


@pytest.mark.parametrize(
    "axes, axis",
    [((0, 2), 1), ((1, 2), -1), ((0, 0), 0), ((0, 3), 1), ((0, 1), 3)],
    ids=["axes", "adjacent_axes", "repeated_axis_raises", "axis_out_of_range_raises", "run_time_axis_raises"],
)
def test_no_leaks_on_any_path(axes, axis):
    a = np.arange(24.0).reshape(2, 3, 4)[:, ::-1]
    check_arrays(many_reductions, a, axes, axis, 2.0, rel=1e-12)
    f = _COMPILED[many_reductions]
    before = ferrojit._native.live_allocations()
    for _ in range(200):
        try:
            f(a, axes, axis, 2.0)
        except (ValueError, IndexError):
            pass
    assert ferrojit._native.live_allocations() == before
