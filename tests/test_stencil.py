"""@stencil: kernels with relative indices, compared with a NumPy reference computed by slicing
and with Numba's own ``numba.stencil`` (when Numba is installed), called from Python and from
compiled code."""
import gc
import inspect
import os

import numpy as np
import pytest

import ferrojit
from ferrojit import _native, njit, stencil
from ferrojit.errors import TypingError

from helpers import assert_same_array

THIS_FILE = os.path.basename(__file__)


# --- kernels -------------------------------------------------------------------------------------

def diff1(a):
    return a[1] - a[-1]


def mean3(a):
    return (a[-1] + a[0] + a[1]) / 3


def ahead(a):
    # Reads only ahead: the neighborhood is (0, 2), no border before.
    return a[2] * 2 + a[1]


def behind(a):
    # Reads only behind: the neighborhood is (-3, 0), no border after.
    return a[-3] - a[-2]


def weighted(a, w):
    return w * a[-1] + a[1]


def two_arrays(a, b):
    return a[-1] * b[1] - b[0]


def taps(a, weights):
    return weights[0] * a[-1] + weights[1] * a[0] + weights[2] * a[1]


def trailing_sum(a):
    total = 0
    for i in range(-3, 1):
        total += a[i]
    return total


def trailing_sum_numpy(a):
    """``trailing_sum`` with `total` an int64, as compiled code types a variable holding 0
    (NumPy would take a Python 0 as weak: `0 + float32` is float32)."""
    total = np.int64(0)
    for i in range(-3, 1):
        total = total + a[i]
    return total


def laplace(a):
    return a[0, 1] + a[1, 0] + a[0, -1] + a[-1, 0] - 4 * a[0, 0]


def smooth(a):
    return 0.25 * (a[0, 1] + a[1, 0] + a[0, -1] + a[-1, 0])


def skewed(a, b):
    return a[-2, 1] * b[0, -1] + a[0, 0]


def box_sum(a):
    total = 0
    for i in range(-1, 2):
        for j in range(-1, 2):
            total += a[i, j]
    return total


def box_sum_numpy(a):
    total = np.int64(0)
    for i in range(-1, 2):
        for j in range(-1, 2):
            total = total + a[i, j]
    return total


def named_offsets(a):
    up = -1
    pair = (up, 2)
    return a[pair] + a[up, 0]


def larger(a):
    if a[0, 0] > a[-1, 1]:
        return a[0, 0]
    return a[-1, 1]


def larger_numpy(a):
    """``larger`` for arrays (the NumPy reference cannot take an `if` on arrays)."""
    return np.where(a[0, 0] > a[-1, 1], a[0, 0], a[-1, 1])


def gradient3(a):
    return a[1, 0, 0] - a[-1, 0, 0] + a[0, 1, -1] * 2


def is_peak(a):
    return a[0] > a[-1] and a[0] > a[1]


def is_peak_numpy(a):
    return (a[0] > a[-1]) & (a[0] > a[1])


# (id, kernel, options, ndim, extra arguments (after the input array; arrays are made per
# case), the kernel for the NumPy reference when not the kernel itself, dtypes).
NUMERIC = ("float64", "float32", "int64")
KERNELS = [
    ("diff1", diff1, {}, 1, (), None, NUMERIC),
    ("mean3", mean3, {}, 1, (), None, NUMERIC),
    ("ahead", ahead, {}, 1, (), None, NUMERIC),
    ("behind", behind, {"cval": 5}, 1, (), None, NUMERIC),
    ("weighted", weighted, {}, 1, (2.5,), None, NUMERIC),
    ("two_arrays", two_arrays, {}, 1, ("array",), None, NUMERIC),
    ("taps", taps, {"standard_indexing": ("weights",)}, 1, (np.array([0.5, -1.0, 2.0]),), None, NUMERIC),
    ("trailing_sum", trailing_sum, {"neighborhood": ((-3, 0),)}, 1, (), trailing_sum_numpy, NUMERIC),
    ("is_peak", is_peak, {}, 1, (), is_peak_numpy, NUMERIC),
    ("laplace", laplace, {}, 2, (), None, NUMERIC),
    ("smooth", smooth, {"cval": -1.0}, 2, (), None, NUMERIC),
    ("skewed", skewed, {}, 2, ("array",), None, NUMERIC),
    ("box_sum", box_sum, {"neighborhood": ((-1, 1), (-1, 1))}, 2, (), box_sum_numpy, NUMERIC),
    ("named_offsets", named_offsets, {}, 2, (), None, NUMERIC),
    ("larger", larger, {}, 2, (), larger_numpy, NUMERIC),
    ("gradient3", gradient3, {"cval": np.nan}, 3, (), None, ("float64", "float32")),
    ("gradient3_int", gradient3, {"cval": 7}, 3, (), None, ("int64",)),
]

SHAPES = {
    1: [(0,), (1,), (2,), (3,), (4,), (17,)],
    2: [(0, 0), (0, 4), (1, 1), (2, 3), (3, 3), (6, 7)],
    3: [(0, 2, 2), (1, 1, 1), (2, 3, 3), (4, 5, 6)],
}
LAYOUTS = ["C", "F", "strided", "reversed"]


def make_array(shape, dtype, layout, seed):
    """An array of `shape` with values from `seed`, laid out as `layout` says: C order, Fortran
    order, every other element of a larger array, or walked backwards (negative strides)."""
    rng = np.random.default_rng(seed)
    if layout == "strided":
        big = make_array(tuple(2 * n for n in shape), dtype, "C", seed)
        return big[tuple(slice(None, None, 2) for _ in shape)]
    if np.dtype(dtype).kind == "i":
        a = rng.integers(-50, 50, size=shape).astype(dtype)
    else:
        a = rng.standard_normal(shape).astype(dtype)
    if layout == "F":
        return np.asfortranarray(a)
    if layout == "reversed":
        return np.ascontiguousarray(a[(slice(None, None, -1),) * len(shape)])[(slice(None, None, -1),) * len(shape)]
    return a


def arguments(extra, shape, dtype, layout):
    """The input array and the extra arguments of a case ("array": another array like the
    input, a little larger)."""
    a = make_array(shape, dtype, layout, 1)
    args = [a]
    for e in extra:
        args.append(make_array(tuple(n + 1 for n in shape), dtype, layout, 2)[tuple(slice(0, n) for n in shape)] if isinstance(e, str) else e)
    return args


class Shifted:
    """An array read with relative indices, for the NumPy reference: ``s[offsets]`` is the
    view of the array over the output's interior moved by the offsets."""

    def __init__(self, array, interior):
        self.array, self.interior = array, interior

    def __getitem__(self, offsets):
        offsets = offsets if isinstance(offsets, tuple) else (offsets,)
        return self.array[tuple(slice(lo + o, hi + o) for (lo, hi), o in zip(self.interior, offsets))]


def numpy_reference(kernel, options, args, neighborhood):
    """The stencil computed with NumPy on whole slices: the kernel applied once to shifted views
    of the arrays it indexes relatively, over the interior; `cval` elsewhere."""
    a = args[0]
    interior = [(-min(0, low), max(n - max(0, high), -min(0, low))) for n, (low, high) in zip(a.shape, neighborhood)]
    standard = options.get("standard_indexing", ())
    # Python scalars are typed as compiled code types them (an argument's float is float64,
    # not NumPy's weak Python float).
    given = []
    names = list(inspect.signature(kernel).parameters)
    for name, arg in zip(names, args):
        if isinstance(arg, np.ndarray):
            given.append(arg if name in standard else Shifted(arg, interior))
        elif isinstance(arg, float):
            given.append(np.float64(arg))
        elif isinstance(arg, int):
            given.append(np.int64(arg))
        else:
            given.append(arg)
    with np.errstate(all="ignore"):
        values = np.asarray(kernel(*given))
    out = np.empty(a.shape, dtype=values.dtype)
    out[...] = options.get("cval", 0)
    out[tuple(slice(lo, hi) for lo, hi in interior)] = values
    return out


def kernel_cases(layouts=LAYOUTS):
    return [
        pytest.param(kernel, options, ndim, extra, reference or kernel, dtype, layout, id=f"{case_id}-{dtype}-{layout}")
        for case_id, kernel, options, ndim, extra, reference, dtypes in KERNELS
        for dtype in dtypes
        for layout in layouts
    ]


# One stencil per kernel and options, as a program makes one.
_stencils = {}


def stencil_of(kernel, options):
    key = (kernel, repr(sorted(options.items())))
    if key not in _stencils:
        _stencils[key] = stencil(**options)(kernel)
    return _stencils[key]


@pytest.mark.parametrize("kernel, options, ndim, extra, reference, dtype, layout", kernel_cases())
def test_same_as_numpy_reference(kernel, options, ndim, extra, reference, dtype, layout):
    s = stencil_of(kernel, options)
    for shape in SHAPES[ndim]:
        args = arguments(extra, shape, dtype, layout)
        expected = numpy_reference(reference, options, args, s.neighborhood)
        assert_same_array(s(*args), expected, where=f"shape {shape}")


def call_kernel_1(a):
    return compiled_target(a)  # noqa: F821 (bound by the test below)


def call_kernel_2(a, b):
    return compiled_target(a, b)  # noqa: F821


def call_kernel_1_out(a, out):
    result = compiled_target(a, out=out)  # noqa: F821
    return result, out


def call_kernel_2_out(a, b, out):
    result = compiled_target(a, b, out=out)  # noqa: F821
    return result, out


# Callers compiled serially over C-ordered and strided arrays; with parallel=True (the
# stencil's outermost loop on the pool, the same loop body) over C-ordered ones.
CALLER_CASES = [
    pytest.param(*case.values, parallel, id=f"{case.id}-{'parallel' if parallel else 'serial'} caller")
    for parallel, layouts in [(False, ["C", "strided"]), (True, ["C"])]
    for case in kernel_cases(layouts)
]


@pytest.mark.parametrize("kernel, options, ndim, extra, reference, dtype, layout, parallel", CALLER_CASES)
def test_called_from_compiled_code(kernel, options, ndim, extra, reference, dtype, layout, parallel):
    """Compiled code calling the stencil (with and without out=) gets what Python gets; from a
    function compiled with parallel=True, its outermost loop runs on the thread pool."""
    s = stencil_of(kernel, options)
    globals()["compiled_target"] = s
    arity = 1 + len(extra)
    plain = njit(parallel=parallel)(call_kernel_1 if arity == 1 else call_kernel_2)
    with_out = njit(parallel=parallel)(call_kernel_1_out if arity == 1 else call_kernel_2_out)
    for shape in SHAPES[ndim]:
        args = arguments(extra, shape, dtype, layout)
        expected = numpy_reference(reference, options, args, s.neighborhood)
        assert_same_array(plain(*args), expected, where=f"shape {shape}")
        out = np.full(shape, 3, dtype=expected.dtype)
        result, same = with_out(*args, out)
        assert same is out
        assert_same_array(out, np.where(border_mask(shape, s.neighborhood), expected if "cval" in options else 3, expected).astype(expected.dtype))
        assert_same_array(result, out)


def border_mask(shape, neighborhood):
    """True on the border elements, which the kernel does not compute."""
    mask = np.zeros(shape, dtype=bool)
    for d, (low, high) in enumerate(neighborhood):
        index = [slice(None)] * len(shape)
        index[d] = slice(0, -min(0, low))
        mask[tuple(index)] = True
        index[d] = slice(max(shape[d] - max(0, high), 0), None)
        mask[tuple(index)] = True
    return mask


def test_out_without_cval_keeps_the_border():
    s = stencil(laplace)
    a = np.arange(20.0).reshape(4, 5)
    out = np.full((4, 5), -9.0)
    assert s(a, out=out) is out
    expected = np.full((4, 5), -9.0)
    expected[1:-1, 1:-1] = numpy_reference(laplace, {}, [a], s.neighborhood)[1:-1, 1:-1]
    assert_same_array(out, expected)


@pytest.mark.parametrize("layout", ["F", "strided", "reversed"])
def test_out_of_any_layout(layout):
    s = stencil(cval=0.5)(laplace)
    a = make_array((5, 6), "float64", "C", 3)
    out = make_array((5, 6), "float64", layout, 4)
    assert s(a, out=out) is out
    assert_same_array(out, s(a))


def test_out_with_cval_sets_all_of_a_larger_out():
    s = stencil(cval=2.5)(diff1)
    a = np.arange(5.0) ** 2
    out = np.full(7, -1.0)
    assert s(a, out=out) is out
    assert_same_array(out, np.array([2.5, 4.0, 8.0, 12.0, 2.5, 2.5, 2.5]))


def test_out_of_another_dtype_casts_as_item_assignment():
    a = np.array([0.0, 1.6, 3.3, 5.9, 7.2])
    out = np.zeros(5, dtype=np.int64)
    stencil(cval=1.5)(mean3)(a, out=out)
    assert_same_array(out, np.array([1, 1, 3, 5, 1]))


def test_neighborhood_attribute():
    assert stencil(laplace).neighborhood == [[-1, 1], [-1, 1]]
    assert stencil(ahead).neighborhood == [[0, 2]]
    assert stencil(behind).neighborhood == [[-3, 0]]
    assert stencil(neighborhood=((-3, 0),))(trailing_sum).neighborhood == ((-3, 0),)


def test_mode_argument_and_cval_values():
    a = np.arange(6.0)
    assert_same_array(stencil("constant")(diff1)(a), np.array([0.0, 2, 2, 2, 2, 0]))
    assert_same_array(stencil("constant", cval=np.nan)(diff1)(a), np.array([np.nan, 2, 2, 2, 2, np.nan]))
    # A float cval in an integer output converts as item assignment does.
    assert_same_array(stencil(cval=1.9)(diff1)(np.arange(4)), np.array([1, 2, 2, 1]))
    assert_same_array(stencil(cval=True)(is_peak)(np.array([1, 3, 2, 4, 0])), np.array([True, True, False, True, True]))


def test_a_wider_neighborhood_than_read():
    s = stencil(neighborhood=((-2, 3),))(diff1)
    a = np.arange(8.0) ** 2
    assert_same_array(s(a), np.array([0, 0, 8, 12, 16, 0, 0, 0], dtype=np.float64))


def window_sum(a):
    return np.sum(a[-1:2])


def test_slices_in_relative_indices():
    s = stencil(neighborhood=((-1, 1),))(window_sum)
    a = np.arange(6.0)
    assert_same_array(s(a), np.array([0.0, 3, 6, 9, 12, 0]))


def kernel_multiline(a):
    # A comment before the body, and an index over two lines.
    return (a[1] +
            a[
                -1])


def test_kernels_written_over_several_lines():
    assert_same_array(stencil(kernel_multiline)(np.arange(5)), np.array([0, 2, 4, 6, 0]))


def test_lambda_kernels():
    s = stencil(lambda a: a[-1] + 10 * a[1])
    assert_same_array(s(np.arange(5)), np.array([0, 20, 31, 42, 0]))
    assert s.neighborhood == [[-1, 1]]


def make_closure_kernels(w):
    def by_def(a):
        return a[1] * w

    return stencil(by_def), stencil(lambda a: a[-1] * w)


@njit
def tenfold(x):
    return 10 * x


def calls_compiled(a):
    return tenfold(a[-1]) + a[0]


def test_closures_and_compiled_functions_in_kernels():
    by_def, by_lambda = make_closure_kernels(3)
    assert_same_array(by_def(np.arange(4)), np.array([3, 6, 9, 0]))
    assert_same_array(by_lambda(np.arange(4)), np.array([0, 0, 3, 6]))
    assert_same_array(stencil(calls_compiled)(np.arange(4)), np.array([0, 1, 12, 23]))


def test_a_kernel_inside_a_compiled_loop():
    s = stencil(smooth)

    @njit
    def iterate(a, steps):
        for _ in range(steps):
            a = s(a)
        return a

    a = np.arange(36.0).reshape(6, 6)
    expected = a
    for _ in range(3):
        expected = s(expected)
    assert_same_array(iterate(a, 3), expected)


def test_a_parallel_caller_runs_the_outer_loop_on_the_pool():
    """Called from a function compiled with parallel=True, the stencil's loop function is
    another one, whose outermost loop is a `prange` loop (rewritten to run in parallel); called
    from Python or from serial code, the loops stay serial, as in Numba."""
    import linecache

    from ferrojit.extending import _implementations

    s = stencil(laplace)
    globals()["compiled_target"] = s
    parallel, serial = njit(parallel=True)(call_kernel_1), njit(call_kernel_1)
    a = np.arange(30.0).reshape(5, 6) ** 2
    assert_same_array(parallel(a), s(a))
    assert_same_array(serial(a), s(a))
    loops = s._loop_function(False, parallel=True)
    text = "".join(linecache.getlines(loops.__code__.co_filename))
    assert "    for i0 in prange(1, shape[0] - 1):\n        for i1 in range(1, shape[1] - 1):" in text, text
    is_parallel, report = _implementations[loops]._parallel_report()
    assert is_parallel and len(report) == 1 and "runs in parallel" in report[0], report
    assert not _implementations[s._loop_function(False)]._parallel_report()[0]


def rows_of_a_parallel_loop(a):
    out = np.empty_like(a)
    for i in ferrojit.prange(a.shape[0]):
        out[i] = compiled_target(a[i])  # noqa: F821
    return out


def test_a_stencil_inside_a_prange_loop():
    s = stencil(lambda a: (a[-1] + a[1]) * 0.5)
    globals()["compiled_target"] = s
    a = np.random.default_rng(5).random((37, 101))
    assert_same_array(njit(parallel=True)(rows_of_a_parallel_loop)(a), np.array([s(row) for row in a]))


def parallel_exception_caller(a):
    return compiled_target(a)  # noqa: F821


def test_an_exception_in_a_parallel_stencil_reaches_the_caller():
    s = stencil(refuses_negatives)
    globals()["compiled_target"] = s
    run = njit(parallel=True)(parallel_exception_caller)
    a = np.ones(10_000)
    a[7_777] = -1.0
    with pytest.raises(ValueError, match="negative input"):
        run(a)
    assert_same_array(run(np.ones(100)), s(np.ones(100)))


# --- errors --------------------------------------------------------------------------------------

def not_a_stencil(a):
    return a.sum()


def mixed_dimensions(a):
    return a[-1] + a[0, 1]


def variable_index(a, i):
    return a[i]


def float_index(a):
    return a[0.5]


def writes_input(a):
    a[0] = 1.0
    return a[1]


def returns_nothing(a):
    a[-1]


def takes_out(a, out):
    return a[0] + out


def keyword_only(a, *, w):
    return a[0] * w


def step_slice(a):
    return np.sum(a[-2:2:2])


# (kernel, options, offset of the line named (from the `def` line), text in the message).
DECORATION_ERRORS = [
    (not_a_stencil, {}, 0, "reads no array with a relative index"),
    (mixed_dimensions, {}, 1, "must all have one number of dimensions"),
    (mixed_dimensions, {"neighborhood": ((-1, 1),)}, 1, "names 2 dimensions but the stencil's arrays have 1"),
    (variable_index, {}, 1, "not a constant"),
    (float_index, {}, 1, "must be an integer"),
    (writes_input, {}, 1, "may not assign"),
    (returns_nothing, {}, 0, "no `return`"),
    (takes_out, {}, 0, "`out` cannot name a parameter"),
    (keyword_only, {}, 0, "positional parameters"),
    (step_slice, {"neighborhood": ((-2, 2),)}, 1, "no step"),
    (two_arrays, {"standard_indexing": ("c",)}, 0, "not a parameter"),
    (two_arrays, {"standard_indexing": ("a",)}, 0, "cannot be in standard_indexing"),
    (diff1, {"neighborhood": (-1, 1)}, 0, "one (low, high) pair"),
]


@pytest.mark.parametrize("kernel, options, offset, text", DECORATION_ERRORS, ids=lambda v: getattr(v, "__name__", None))
def test_kernels_that_are_not_stencils(kernel, options, offset, text):
    """Refused when decorated, with a TypingError naming this file and the kernel's line."""
    lines, start = inspect.getsourcelines(kernel)
    with pytest.raises(TypingError) as error:
        stencil(**options)(kernel)
    message = str(error.value)
    assert text in message
    assert f'File "{__file__}", line {start + offset},' in message, message
    assert lines[offset].strip() in message


def test_bad_decorator_arguments():
    with pytest.raises(TypeError, match="unknown stencil option"):
        stencil(border=1)(diff1)
    with pytest.raises(ValueError, match="unsupported stencil mode 'reflect'"):
        stencil("reflect")(diff1)
    with pytest.raises(TypeError, match="takes a Python function"):
        stencil(njit(diff1))


def adds_a_string(a):
    x = a[-1]
    return x + "s"


def test_typing_errors_in_the_kernel_name_its_line():
    lines, start = inspect.getsourcelines(adds_a_string)
    with pytest.raises(TypingError) as error:
        stencil(adds_a_string)(np.arange(3.0))
    message = str(error.value)
    assert f'File "{__file__}", line {start + 2},' in message, message
    assert "return x + " in message


def returns_an_array(a):
    return a[-1] * np.ones(2)


@pytest.mark.parametrize("kernel, options, text", [
    (diff1, {"cval": 1j}, "cval, converted to the kernel's result type"),
    (returns_an_array, {}, "the kernel's value, a scalar"),
], ids=["complex cval", "array result"])
def test_errors_in_the_loops_name_the_stencil(kernel, options, text):
    """A cval or a kernel result that cannot fill the output is refused when the loops compile,
    with a message naming the stencil's kernel, its file and line, and what went wrong."""
    lines, start = inspect.getsourcelines(kernel)
    with pytest.raises(TypingError) as error:
        stencil(**options)(kernel)(np.arange(4.0))
    message = str(error.value)
    assert f"<stencil {kernel.__name__} ({__file__}, line {start})>" in message, message
    assert text in message


@pytest.mark.parametrize("call, error, text", [
    (lambda s: s(np.arange(5.0), np.arange(5.0)), TypingError, "reads 2-dimensional arrays"),
    (lambda s: s(np.ones((3, 3)), np.ones((3, 3)), 1), TypeError, r"^skewed\(\) takes 2 positional arguments but 3 were given$"),
    (lambda s: s(np.ones((3, 3))), TypeError, r"^skewed\(\) missing 1 required positional argument: 'b'$"),
    (lambda s: s(3.0, np.ones((3, 3))), TypingError, "must be its input array"),
    (lambda s: s(np.ones((3, 3)), 2.0), TypingError, "`b` must be an array"),
    (lambda s: s(np.ones((3, 3)), np.ones(3)), TypingError, "as many dimensions"),
    (lambda s: s(np.ones((3, 3)), np.ones((2, 3))), ValueError, "smaller than its first array"),
    (lambda s: s(np.ones((3, 3)), np.ones((3, 3)), out=np.ones(3)), TypingError, "out= of the stencil"),
    (lambda s: s(np.ones((3, 3)), np.ones((3, 3)), out=[1.0]), TypingError, "out= of the stencil"),
    (lambda s: s(np.ones((3, 3)), np.ones((3, 3)), out=np.ones((3, 2))), ValueError, "out array is smaller"),
    (lambda s: s(np.ones((3, 3)), np.ones((3, 3)), bogus=1), TypeError, "unexpected keyword argument 'bogus'"),
], ids=lambda v: v.__name__ if isinstance(v, type) else None)
def test_bad_calls(call, error, text):
    with pytest.raises(error, match=text):
        call(stencil(skewed))


def calls_skewed_1d(a):
    return compiled_skewed(a, a)  # noqa: F821 (bound by the test below)


def calls_skewed_small(a, b):
    return compiled_skewed(a, b)  # noqa: F821


def test_bad_calls_from_compiled_code():
    globals()["compiled_skewed"] = stencil(skewed)
    with pytest.raises(TypingError) as error:
        njit(calls_skewed_1d)(np.arange(4.0))
    lines, start = inspect.getsourcelines(calls_skewed_1d)
    assert "reads 2-dimensional arrays" in str(error.value)
    assert f"line {start + 1}," in str(error.value)
    with pytest.raises(ValueError, match="smaller than its first array"):
        njit(calls_skewed_small)(np.ones((3, 3)), np.ones((3, 2)))


def test_with_the_jit_disabled(monkeypatch):
    """FERROJIT_DISABLE_JIT=1: the stencil runs as plain Python, with the same result."""
    monkeypatch.setenv("FERROJIT_DISABLE_JIT", "1")
    for kernel, args in [(mean3, (np.arange(6),)), (skewed, (np.arange(12.0).reshape(3, 4), np.ones((3, 4)))), (is_peak, (np.array([1, 3, 2]),))]:
        plain = stencil(kernel)
        monkeypatch.delenv("FERROJIT_DISABLE_JIT")
        compiled = stencil(kernel)
        monkeypatch.setenv("FERROJIT_DISABLE_JIT", "1")
        assert_same_array(plain(*args), compiled(*args))


# --- memory ---------------------------------------------------------------------------------------

def refuses_negatives(a):
    if a[0] < 0:
        raise ValueError("negative input")
    return a[-1]


def compiled_calls(a, out):
    total = 0.0
    for _ in range(3):
        total += memory_target(a).sum()  # noqa: F821 (bound by the test below)
        memory_target(a, out=out)  # noqa: F821
    return total


def test_no_leaks():
    s = stencil(cval=1.0)(smooth)
    globals()["memory_target"] = s
    run = njit(compiled_calls)
    run_parallel = njit(parallel=True)(compiled_calls)
    a = np.arange(30.0).reshape(5, 6)
    out = np.zeros((5, 6))
    refusing = stencil(refuses_negatives)
    globals()["compiled_target"] = refusing
    refusing_in_parallel = njit(parallel=True)(parallel_exception_caller)
    negatives = np.arange(-5.0, 5.0)
    for _ in range(2):  # compile first
        s(a), s(a, out=out), run(a, out), run_parallel(a, out)
        with pytest.raises(ValueError, match="negative input"):
            refusing_in_parallel(negatives)
    with pytest.raises(ValueError, match="negative input"):
        refusing(np.arange(-5.0, 5.0))
    gc.collect()
    live = _native.live_allocations()
    for _ in range(200):
        s(a)
        s(a, out=out)
        run(a, out)
        run_parallel(a, out)
        with pytest.raises(ValueError, match="negative input"):
            refusing(np.arange(-5.0, 5.0))
        with pytest.raises(ValueError, match="negative input"):
            refusing_in_parallel(negatives)
        with pytest.raises(ValueError):
            stencil_of(skewed, {})(np.ones((3, 3)), np.ones((3, 2)))
    gc.collect()
    assert _native.live_allocations() == live


# --- against Numba --------------------------------------------------------------------------------

def numba_caller(numba, numba_stencil, arity):
    """A Numba-compiled function calling the Numba stencil (compiled once per argument types,
    where Numba's stencil called from Python compiles on every call)."""
    names = ", ".join(f"x{i}" for i in range(arity))
    namespace = {"kernel": numba_stencil}
    exec(f"def call({names}):\n    return kernel({names})\n", namespace)
    return numba.njit(namespace["call"])


# Numba compiles a stencil in about a second: each kernel once per dtype, C order only (the
# layouts are compared with the NumPy reference above), float32 for a few kernels.
NUMBA_CASES = [
    case for case in kernel_cases(["C"])
    if "-float32-" not in case.id or case.id.split("-")[0] in ("mean3", "weighted", "smooth", "gradient3")
]


@pytest.mark.parametrize("kernel, options, ndim, extra, reference, dtype, layout", NUMBA_CASES)
def test_same_as_numba(kernel, options, ndim, extra, reference, dtype, layout):
    """Values and dtypes as Numba's stencil gives them, but that float32 arithmetic with Python
    number literals stays float32 here (NumPy 2's rules: `0.25 * x` of a float32 is float32)
    where Numba widens it to float64."""
    numba = pytest.importorskip("numba")
    ours = stencil_of(kernel, options)
    theirs = numba_caller(numba, numba.stencil(**options)(kernel), 1 + len(extra))
    for shape in SHAPES[ndim]:
        args = arguments(extra, shape, dtype, layout)
        got, expected = ours(*args), theirs(*args)
        if got.dtype == np.float32 and expected.dtype == np.float64:
            np.testing.assert_allclose(got, expected.astype(np.float32), rtol=1e-5, atol=1e-5, equal_nan=True)
        else:
            assert_same_array(got, expected, where=f"shape {shape}")


@pytest.mark.parametrize("options", [{}, {"cval": 1.5}], ids=["no cval", "cval"])
def test_out_and_cval_as_numba(options):
    """With out=, Numba leaves the border as it was unless cval is given; a float cval and
    float values written into an integer out are truncated."""
    numba = pytest.importorskip("numba")
    a = np.array([0.0, 1.6, 3.3, 5.9, 7.2, -4.4])
    got, expected = np.full(6, 9, dtype=np.int64), np.full(6, 9, dtype=np.int64)
    stencil(**options)(mean3)(a, out=got)
    numba.stencil(**options)(mean3)(a, out=expected)
    assert_same_array(got, expected)
    assert_same_array(stencil(**options)(diff1)(np.arange(5) ** 2), numba.stencil(**options)(diff1)(np.arange(5) ** 2))
