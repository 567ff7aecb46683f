"""NumPy 2's out= and where= of the reductions, min/max/argmin/argmax of complex arrays, and
var/std of real arrays in a complex dtype, against NumPy: the same dtype, shape and values (and
`out` itself returned), or the same exception and message; no leak on any path, raising ones
included. Python's build of these calls is in ferrojit/_lib/reductions.py."""

import warnings

import numpy as np
import pytest

import ferrojit
from ferrojit import njit

from array_cases import values
from helpers import _assert_raises_like, _clone_arg, _run_python_quiet, assert_same_array, assert_same_value, to_python

_COMPILED = {}


def check_arrays(pyfunc, *args, rel=None):
    """The compiled function (compiled once per module) against NumPy: the same result (floats
    within ``rel``) and the same arguments after the call (``out`` written alike), or the same
    exception and message."""
    cfunc = _COMPILED.setdefault(pyfunc, njit(pyfunc))
    py_args = tuple(_clone_arg(a) for a in args)
    try:
        with warnings.catch_warnings():
            # A complex result written into a real `out` warns in NumPy (ComplexWarning).
            warnings.simplefilter("ignore")
            expected = _run_python_quiet(pyfunc, *py_args)
    except Exception as exc:  # noqa: BLE001 - any exception NumPy raises must be reproduced
        return _assert_raises_like(exc, True, cfunc, *args)
    got = cfunc(*args)
    assert_same_value(got, to_python(expected), rel=rel)
    for a, p in zip(args, py_args):
        if isinstance(a, np.ndarray):
            assert_same_array(a, p, rel=rel, where="argument after the call")
    return got


def layouts(dtype):
    """3-d arrays of ``dtype`` in the layouts a reduction meets, by name."""
    c = values(24, dtype).reshape(2, 3, 4)
    return {
        "C": c,
        "F": np.asfortranarray(c),
        "strided": values(60, dtype).reshape(3, 4, 5)[::2, 1:, ::2],
        "negative": c[::-1, :, ::-2],
        "empty": np.zeros((2, 0, 4), dtype),
    }


DTYPES = [np.bool_, np.int8, np.uint64, np.float32, np.float64, np.complex128]


def tolerance(dtype):
    # NumPy sums pairwise, ferrojit in order.
    return 1e-5 if dtype in (np.float32, np.complex64) else 1e-12


# --- out= ---------------------------------------------------------------------------------------


def sum_into(a, out):
    return np.sum(a, axis=1, out=out)


def sum_whole_into(a, out):
    return a.sum(out=out)


def prod_into_kept(a, out):
    return a.prod(axis=(0, 2), keepdims=True, out=out)


def min_into(a, out):
    return np.min(a, axis=-1, out=out, initial=3)


def max_into(a, out):
    return a.max(axis=(0, 1), out=out, initial=1)


def amax_into(a, out):
    return np.amax(a, axis=0, out=out, initial=0)


def mean_into(a, out):
    return a.mean(axis=1, out=out)


def std_into(a, out):
    return np.std(a, axis=2, out=out)


def var_into_kept(a, out):
    return a.var(axis=0, keepdims=True, out=out)


def all_into(a, out):
    return np.all(a, axis=1, out=out)


def any_whole_into(a, out):
    return a.any(out=out)


def argmin_into(a, out):
    return np.argmin(a, axis=1, out=out)


def argmax_whole_into(a, out):
    return a.argmax(out=out)


def cumsum_into(a, out):
    return np.cumsum(a, axis=2, out=out)


def cumprod_whole_into(a, out):
    return a.cumprod(out=out)


OUT_FUNCS = [
    sum_into, sum_whole_into, prod_into_kept, min_into, max_into, amax_into, mean_into, std_into,
    var_into_kept, all_into, any_whole_into, argmin_into, argmax_whole_into, cumsum_into, cumprod_whole_into,
]
ARGUMENTS = {argmin_into, argmax_whole_into}
SPREAD = {mean_into, std_into, var_into_kept}
OUT_DTYPES = [np.float64, np.int64, np.float32, np.complex128, np.bool_]


def out_cases():
    # Each function with three dtypes and out dtypes, in turn, so that every pair of array
    # and out dtypes is met by some functions (every pair would take minutes of compiling).
    for i, func in enumerate(OUT_FUNCS):
        for j in range(3):
            dtype = DTYPES[(i + 2 * j) % len(DTYPES)]
            choices = [np.int64, np.int32, np.int8] if func in ARGUMENTS else OUT_DTYPES
            out_dtype = choices[(i + j) % len(choices)]
            # NumPy sums uint64 into an int64 out in float64 and casts without checking;
            # ferrojit raises OverflowError for the out-of-range values: not compared.
            if dtype == np.uint64 and out_dtype == np.int64 and func not in ARGUMENTS:
                out_dtype = np.float64
            # NumPy's TypeError subclass there: test_std_into_integers_refuses_the_root.
            if func is std_into and np.dtype(out_dtype).kind in "biu":
                out_dtype = np.float32
            yield pytest.param(func, dtype, out_dtype, id=f"{func.__name__}-{np.dtype(dtype).name}-into-{np.dtype(out_dtype).name}")


@pytest.mark.parametrize("func, dtype, out_dtype", list(out_cases()))
def test_out_receives_the_result_as_numpy(func, dtype, out_dtype):
    for name, a in layouts(dtype).items():
        if name == "empty" and func in ARGUMENTS:
            continue
        # NaN (the mean of nothing) cast to an integer: NumPy's value is undefined, ferrojit
        # raises ValueError.
        if name == "empty" and func in SPREAD and np.dtype(out_dtype).kind in "iu":
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # The shape of NumPy's result (NumPy's default out=None).
            shape = np.shape(func(a, None))
        out = np.full(shape, 7, out_dtype)
        # Sums in a float type: NumPy's pairwise, ferrojit's in order.
        rel = max(tolerance(dtype), tolerance(out_dtype)) if np.dtype(out_dtype).kind in "fc" else None
        got = check_arrays(func, a, out, rel=rel)
        # The array returned is `out` itself.
        assert got is out


@pytest.mark.parametrize("func", OUT_FUNCS)
@pytest.mark.parametrize("layout", ["F", "negative"])
def test_out_of_any_layout_is_written_in_place(func, layout):
    a = layouts(np.float64)["C"]
    shape = np.shape(func(a, None))
    if shape == ():
        pytest.skip("a 0-d out has one layout")
    base = np.full(tuple(2 * d for d in shape), 7, np.int64 if func in ARGUMENTS else np.float64)
    out = base[tuple(slice(None, None, -2) for _ in shape)] if layout == "negative" else np.asfortranarray(base[tuple(slice(0, d) for d in shape)])
    got = check_arrays(func, a, out, rel=1e-12)
    assert got is out


# (NumPy writes the sum of squares into a small integer out before dividing: wrapped sums,
# not compared.)
@pytest.mark.parametrize("out_dtype", [np.int64, np.bool_], ids=lambda d: np.dtype(d).name)
def test_std_into_integers_refuses_the_root(out_dtype):
    a = layouts(np.float64)["C"]
    expected, out = np.zeros((2, 3), out_dtype), np.zeros((2, 3), out_dtype)
    with pytest.raises(TypeError) as numpy_error:
        std_into(a, expected)
    with pytest.raises(TypeError) as error:
        njit(std_into)(a, out)
    assert str(error.value) == str(numpy_error.value)
    # NumPy stored the variance before refusing its square root.
    assert_same_array(out, expected)


def test_0d_array_into_0d_out():
    for func in (sum_whole_into, any_whole_into, argmax_whole_into):
        out = np.zeros((), np.int64)
        assert check_arrays(func, np.array(2.5), out) is out


# Wrong shapes of out= for a (2, 3, 4) array: NumPy's ValueError, message included.
WRONG_OUT = [
    (sum_into, (2, 5)),
    (sum_into, (2,)),
    (sum_into, (1, 4)),
    (sum_into, (2, 1)),
    (sum_into, (3, 4)),
    (sum_whole_into, (1,)),
    (prod_into_kept, (1, 3)),
    (prod_into_kept, (2, 3, 1)),
    (prod_into_kept, (1, 2, 1)),
    (prod_into_kept, (1, 1, 1)),
    (min_into, (2, 3, 1)),
    (max_into, (5,)),
    (max_into, (1,)),
    (mean_into, (2, 4, 1)),
    (mean_into, (4, 2)),
    (std_into, (3,)),
    (var_into_kept, (1, 3, 5)),
    (all_into, (2, 3)),
    (any_whole_into, (1, 1)),
    (argmin_into, (2, 3)),
    (argmin_into, (2, 4, 1)),
    (argmax_whole_into, (1,)),
    (cumsum_into, (2, 3, 5)),
    (cumsum_into, (2, 1, 4)),
    (cumsum_into, (2, 3)),
    (cumsum_into, (24,)),
    (cumprod_whole_into, (23,)),
    (cumprod_whole_into, (24, 1)),
]


@pytest.mark.parametrize("func, shape", WRONG_OUT, ids=lambda x: getattr(x, "__name__", str(x)))
def test_wrong_out_shape_is_numpy_s_value_error(func, shape):
    out = np.zeros(shape, np.int64 if func in ARGUMENTS else np.float64)
    check_arrays(func, layouts(np.float64)["C"], out)


def test_out_of_argmin_must_take_int64_safely():
    a = layouts(np.float64)["C"]
    for out_dtype in (np.float64, np.uint64, np.int8, np.bool_):
        # NumPy's TypeError for the first two, the result cast for the others.
        check_arrays(argmin_into, a, np.zeros((2, 4), out_dtype))


# --- where= -------------------------------------------------------------------------------------


def sum_where(a, where):
    return a.sum(where=where)


def sum_where_along(a, where):
    return np.sum(a, axis=1, where=where)


def prod_where_axes(a, where):
    return np.prod(a, axis=(0, 2), where=where, keepdims=True)


def min_where(a, where):
    return np.min(a, axis=2, where=where, initial=10)


def max_where(a, where):
    return a.max(where=where, initial=-10)


def amin_where_without_initial(a, where):
    return np.amin(a, where=where)


def mean_where(a, where):
    return a.mean(axis=(0, 1), where=where)


def var_where(a, where):
    return np.var(a, axis=0, where=where)


def std_where(a, where):
    return a.std(axis=-1, where=where, ddof=1, keepdims=True)


def all_where(a, where):
    return a.all(axis=1, where=where)


def any_where(a, where):
    return np.any(a, where=where)


def sum_where_into(a, where):
    return np.sum(a, axis=0, where=where, out=np.full((3, 4), 7.0))


WHERE_FUNCS = [sum_where, sum_where_along, prod_where_axes, min_where, max_where, mean_where, var_where, std_where, all_where, any_where, sum_where_into]


def masks():
    """Masks of the shapes NumPy broadcasts to a (2, 3, 4) array, by name."""
    full = (values(24, np.int64).reshape(2, 3, 4) % 3) != 0
    return {
        "full": full,
        "F_order": np.asfortranarray(full),
        "last_axis": np.array([True, False, True, True]),
        "middle": np.array([[True], [False], [True]]),
        "none_selected": np.zeros((2, 3, 4), np.bool_),
        "scalar_true": True,
        "scalar_false": False,
        "0d": np.array(False),
    }


def where_cases():
    # Each function with one dtype, in turn (each mask type is a compilation of its own).
    for i, func in enumerate(WHERE_FUNCS):
        dtype = DTYPES[i % len(DTYPES)]
        if func in (min_where, max_where) and dtype == np.uint64:
            dtype = np.int8
        yield pytest.param(func, dtype, id=f"{func.__name__}-{np.dtype(dtype).name}")


@pytest.mark.parametrize("func, dtype", list(where_cases()))
def test_where_selects_as_numpy(func, dtype):
    for name, a in layouts(dtype).items():
        if name in ("empty", "F"):
            continue
        for mask in masks().values():
            check_arrays(func, a, mask, rel=tolerance(dtype))


# Masks that do not broadcast to a (2, 3, 4) array, or of another dtype than bool.
BAD_MASKS = {
    "wrong_last": np.ones(5, np.bool_),
    "wrong_middle": np.ones((2, 4), np.bool_),
    "more_dims": np.ones((1, 2, 3, 4), np.bool_),
    "integers": np.ones(4, np.int64),
    "floats": np.ones((3, 4)),
}


@pytest.mark.parametrize("func", [sum_where, sum_where_along, min_where, mean_where, std_where, any_where, sum_where_into, amin_where_without_initial])
@pytest.mark.parametrize("mask", BAD_MASKS)
def test_bad_masks_are_numpy_s_errors(func, mask):
    check_arrays(func, layouts(np.float64)["C"], BAD_MASKS[mask])


def test_min_and_max_with_where_need_initial_as_numpy():
    check_arrays(amin_where_without_initial, layouts(np.float64)["C"], masks()["full"])


def sum_where_broadcasts_array(a, where):
    return a.sum(axis=0, where=where)


def test_array_that_would_need_broadcasting_is_numpy_s_error():
    check_arrays(sum_where_broadcasts_array, np.ones((2, 1)), np.ones((2, 3), np.bool_))


# --- complex min, max, argmin, argmax -----------------------------------------------------------


def min_complex(a):
    return a.min()


def max_complex_along(a):
    return np.max(a, axis=1)


def amin_complex_kept(a):
    return np.amin(a, axis=0, keepdims=True)


def argmin_complex(a):
    return np.argmin(a)


def argmax_complex_along(a):
    return a.argmax(axis=-1)


COMPLEX_FUNCS = [min_complex, max_complex_along, amin_complex_kept, argmin_complex, argmax_complex_along]
NAN = float("nan")
COMPLEX_ARRAYS = {
    # Equal real parts ordered by imaginary part, and infinities.
    "ties": np.array([[1 + 1j, 1 + 2j, 0 + 5j], [1 - 1j, -np.inf + 0j, -np.inf - 1j]]),
    "nan_real": np.array([[1 + 1j, complex(NAN, 0), complex(0, NAN)], [3 + 0j, 2 + 0j, 1 + 0j]]),
    "nan_imag_first": np.array([[1 + 1j, complex(0, NAN), complex(NAN, 0)], [complex(NAN, 1), complex(NAN, 2), 0j]]),
    "values": values(12, np.complex128).reshape(3, 4),
    "complex64": values(12, np.complex64).reshape(4, 3)[::-1],
}


@pytest.mark.parametrize("func", COMPLEX_FUNCS)
@pytest.mark.parametrize("name", COMPLEX_ARRAYS)
def test_complex_extremes_order_as_numpy(func, name):
    check_arrays(func, COMPLEX_ARRAYS[name])


def test_complex_extremes_of_empty_arrays_are_numpy_s_errors():
    for func in COMPLEX_FUNCS:
        check_arrays(func, np.zeros((0, 3), np.complex128))


def max_complex_from(a, initial):
    return a.max(initial=initial)


def test_complex_max_with_initial():
    for initial in (0.5 + 3j, 5.0, complex(NAN, 0)):
        check_arrays(max_complex_from, COMPLEX_ARRAYS["ties"], initial)
        check_arrays(max_complex_from, np.zeros((0, 2), np.complex128), initial)


# --- var and std of real arrays in a complex dtype ----------------------------------------------


def var_in_complex(a, ddof):
    return np.var(a, dtype=np.complex128, ddof=ddof)


def std_in_complex64_along(a, ddof):
    return a.std(axis=0, dtype=np.complex64, ddof=ddof)


def var_in_complex_into(a, ddof):
    return a.var(axis=1, dtype=np.complex128, ddof=ddof, out=np.zeros(a.shape[0]))


@pytest.mark.parametrize("func", [var_in_complex, std_in_complex64_along, var_in_complex_into])
@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.uint64, np.float32, np.float64], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("ddof", [0, 1, 3, 5])
def test_var_and_std_of_real_arrays_in_complex_dtype(func, dtype, ddof):
    for a in (values(12, dtype).reshape(3, 4), np.zeros((0, 2), dtype), np.array([[1, 0], [1, 1]], dtype)):
        # ddof of at least the count: NumPy's complex quotient (NaN + NaN j or inf + NaN j).
        check_arrays(func, a, ddof, rel=1e-5 if func is std_in_complex64_along or dtype == np.float32 else 1e-12)


# --- errors name the user's line; memory --------------------------------------------------------


def test_refused_out_names_the_user_s_line(tmp_path):
    path = tmp_path / "reduction_out_error.py"
    path.write_text("import numpy as np\n\ndef f(a):\n    return a.sum(axis=0, out=3.0)\n")
    namespace = {}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    with pytest.raises(ferrojit.errors.TypingError, match=r"`out=` of `sum\(\)` must be an array, not `float64`") as error:
        njit(namespace["f"])(np.ones((2, 2)))
    assert 'reduction_out_error.py", line 4' in str(error.value)


def many_out_and_where(a, out, where, initial):
    np.sum(a, axis=1, out=out, where=where)
    a.max(axis=(0, 1), where=where, initial=initial)
    np.var(a, axis=2, where=where)
    np.cumsum(a, axis=2, out=np.empty(a.shape))
    np.argmax(a, axis=1, out=np.empty((a.shape[0], a.shape[2]), np.int64))
    return np.min(a.astype(np.complex128), axis=0) + out.sum()


@pytest.mark.parametrize(
    "out_shape, mask_shape, initial",
    [((2, 4), (3, 4), 1.0), ((2, 5), (3, 4), 1.0), ((2, 4), (2, 4), 1.0), ((2, 4), (3, 4), float("nan"))],
    ids=["fits", "out_of_wrong_shape_raises", "mask_of_wrong_shape_raises", "nan_initial"],
)
def test_no_leaks_on_any_path(out_shape, mask_shape, initial):
    a = values(24, np.float64).reshape(2, 3, 4)[:, ::-1]
    where = (values(int(np.prod(mask_shape)), np.int64).reshape(mask_shape) % 2) == 0
    check_arrays(many_out_and_where, a, np.zeros(out_shape), where, initial, rel=1e-12)
    f = _COMPILED[many_out_and_where]
    out = np.zeros(out_shape)
    before = ferrojit._native.live_allocations()
    for _ in range(200):
        try:
            f(a, out, where, initial)
        except ValueError:
            pass
    assert ferrojit._native.live_allocations() == before


def reductions_raising_midway(a, out, where):
    # `sum` allocates its result and the mask's broadcast, then raises when it stores its
    # values into `out` (a uint64 sum out of int64's range); `min` of empty lanes raises after
    # `out` and the mask are checked.
    np.sum(a, axis=0, out=out, where=where)
    return np.min(a[:, :0], axis=1, out=out[:0])


@pytest.mark.parametrize("values_of_a", [np.full((3, 2), 2**63, np.uint64), np.ones((3, 2), np.uint64)], ids=["overflow", "empty_lanes"])
def test_no_leak_when_a_reduction_raises_midway(values_of_a):
    f = njit(reductions_raising_midway)
    args = (values_of_a, np.zeros(2, np.int64), np.ones((3, 1), np.bool_))
    with pytest.raises((OverflowError, ValueError)):
        f(*args)
    before = ferrojit._native.live_allocations()
    for _ in range(100):
        with pytest.raises((OverflowError, ValueError)):
            f(*args)
    assert ferrojit._native.live_allocations() == before
