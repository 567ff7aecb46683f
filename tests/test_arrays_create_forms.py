"""NumPy's array-creating functions (written in Python in ferrojit._lib.creation) against NumPy,
form by form: each way of giving the dtype (NumPy type, Python type, name, an array's dtype,
None) with each form of shape, and order=; the *_like functions with order=, shape=, subok=;
np.full with an array fill value; np.arange with every sign of step, float bounds, empty ranges
and complex bounds; np.eye with M, k, dtype and order; the refusals at compile time and the
errors when the call runs; no allocation outlives its array.

Each case compares with NumPy the dtype, the shape, the values and the memory order (the
C- and F-contiguous flags) of every array returned."""
import gc

import numpy as np
import pytest

import ferrojit
from ferrojit import _native
from ferrojit.errors import TypingError, UnsupportedError
from array_cases import make_3d, values
import helpers
from helpers import case_id

# One dispatcher per function for the whole module: a row compiles only the argument types it
# is the first to meet.
_COMPILED = {}


def check_arrays(pyfunc, *args, **kwargs):
    """`helpers.check_arrays` with the module's dispatcher of `pyfunc`."""
    return helpers.check_arrays(pyfunc, *args, compiled=_COMPILED, **kwargs)


def arrays_in(value):
    if isinstance(value, np.ndarray):
        return [value]
    if isinstance(value, (tuple, list)):
        return [a for v in value for a in arrays_in(v)]
    return []


def check_created(func, *args):
    """:func:`check_arrays`, and each array returned is C-/F-contiguous exactly when NumPy's is."""
    got = check_arrays(func, *args)
    if isinstance(got, Exception):
        return
    expected = func(*args)
    for g, e in zip(arrays_in(got), arrays_in(expected), strict=True):
        assert (g.flags.c_contiguous, g.flags.f_contiguous) == (e.flags.c_contiguous, e.flags.f_contiguous), (g.strides, e.strides)
        assert g.flags.writeable


# --- np.zeros / np.ones / np.full / np.empty: dtype forms x shape forms -----------------------------

def zeros_default(shape, like):
    return np.zeros(shape)


def zeros_none(shape, like):
    return np.zeros(shape, None)


def zeros_np_uint16(shape, like):
    return np.zeros(shape, np.uint16)


def zeros_python_bool(shape, like):
    return np.zeros(shape, dtype=bool)


def zeros_name_f4(shape, like):
    return np.zeros(shape, "f4")


def zeros_name_float(shape, like):
    return np.zeros(shape, dtype="float")


def zeros_of_like(shape, like):
    return np.zeros(shape, like.dtype)


def ones_default(shape, like):
    return np.ones(shape)


def ones_python_int(shape, like):
    return np.ones(shape, int)


def ones_python_complex(shape, like):
    return np.ones(shape, dtype=complex)


def ones_name_int8(shape, like):
    return np.ones(shape, dtype="int8")


def ones_name_bool(shape, like):
    return np.ones(shape, "?")


def ones_of_like(shape, like):
    return np.ones(shape, dtype=like.dtype)


def full_int(shape, like):
    return np.full(shape, 7)


def full_float32_value(shape, like):
    return np.full(shape, like[1])


def full_none(shape, like):
    return np.full(shape, -1.5, None)


def full_name_u8(shape, like):
    return np.full(shape, 300, "u8")


def full_name_complex64(shape, like):
    return np.full(shape, 2.5, dtype="complex64")


def full_of_like(shape, like):
    return np.full(shape, 3, like.dtype)


def empty_meta(shape, like):
    a = np.empty(shape, like.dtype)
    return a.shape, a.ndim, a.size, a.itemsize


def empty_none_filled(shape, like):
    a = np.empty(shape, None)
    a.fill(2.0)
    return a


def zeros_order_f(shape, like):
    return np.zeros(shape, order="F")


def zeros_order_none_cpu(shape, like):
    return np.zeros(shape, np.int32, None, device="cpu", like=None)


def ones_order_c(shape, like):
    return np.ones(shape, like.dtype, "C")


def ones_order_lowercase_f(shape, like):
    return np.ones(shape, order="f", device=None)


def full_order_f(shape, like):
    return np.full(shape, like[2], order="F")


def empty_order_f_filled(shape, like):
    a = np.empty(shape, np.uint8, order="F", device="cpu", like=None)
    a.fill(9)
    return a


CREATE_FUNCS = [
    zeros_default, zeros_none, zeros_np_uint16, zeros_python_bool, zeros_name_f4, zeros_name_float, zeros_of_like,
    ones_default, ones_python_int, ones_python_complex, ones_name_int8, ones_name_bool, ones_of_like,
    full_int, full_float32_value, full_none, full_name_u8, full_name_complex64, full_of_like, empty_meta, empty_none_filled,
    # order= (either case; None is C), device="cpu"/None, like=None
    zeros_order_f, zeros_order_none_cpu, ones_order_c, ones_order_lowercase_f, full_order_f, empty_order_f_filled,
]
SHAPES = [4, 0, (3,), (2, 3), (), (0, 5), (2, 1, 3), (np.uint8(2), np.int32(3)), np.int16(3)]


@pytest.mark.parametrize("shape", SHAPES, ids=case_id)
@pytest.mark.parametrize("func", CREATE_FUNCS, ids=case_id)
def test_dtype_forms_and_shape_forms(func, shape):
    check_created(func, shape, values(3, np.float32))


# --- *_like keep the prototype's order (NumPy's order='K') ---------------------------------------

def empty_like_meta(a):
    b = np.empty_like(a)
    return b.shape, b.flags.c_contiguous, b.flags.f_contiguous


def empty_like_filled(a):
    b = np.empty_like(a, dtype=np.int16)
    b.fill(-3)
    return b


def zeros_like_default(a):
    return np.zeros_like(a)


def zeros_like_name(a):
    return np.zeros_like(a, "c8")


def ones_like_default(a):
    return np.ones_like(a)


def ones_like_none(a):
    return np.ones_like(a, dtype=None)


def full_like_value(a):
    return np.full_like(a, 5)


def full_like_dtype(a):
    return np.full_like(a, 1.75, dtype=float)


def like_of_transposed(a):
    return np.zeros_like(a.T), np.ones_like(a.T, np.uint8)


def zeros_like_order_c(a):
    return np.zeros_like(a, order="C")


def ones_like_order_f(a):
    return np.ones_like(a, np.int16, "F")


def empty_like_order_a(a):
    b = np.empty_like(a, order="A", subok=True)
    b.fill(1)
    return b


def full_like_order_k(a):
    return np.full_like(a, 2, order="k", device="cpu")


def zeros_like_order_none_subok_false(a):
    return np.zeros_like(a, order=None, subok=False)


def zeros_like_shape_int(a):
    return np.zeros_like(a, shape=4)


def ones_like_shape_same_ndim(a):
    # order 'K' with as many dimensions as the prototype keeps its order
    return np.ones_like(a, shape=a.shape[::-1])


def zeros_like_shape_new_ndim(a):
    # order 'K' with another number of dimensions falls back to C
    return np.zeros_like(a, shape=(2, 1, 3, 2))


def empty_like_shape_new_ndim_order_a(a):
    # order 'A' follows a Fortran prototype whatever the shape
    b = np.empty_like(a, np.float32, "A", shape=(3, 2, 2))
    b.fill(0.5)
    return b


def full_like_shape_order_f(a):
    return np.full_like(a, 7, order="F", shape=(2, 3), dtype=np.int64)


def ones_like_shape_none(a):
    return np.ones_like(a, shape=None, device=None)


LIKE_FUNCS = [
    empty_like_meta, empty_like_filled, zeros_like_default, zeros_like_name, ones_like_default, ones_like_none, full_like_value, full_like_dtype,
    # order= ('C', 'F', 'A', 'K' in either case; None is 'K'), subok=, device=
    zeros_like_order_c, ones_like_order_f, empty_like_order_a, full_like_order_k, zeros_like_order_none_subok_false,
    # shape=
    zeros_like_shape_int, ones_like_shape_same_ndim, zeros_like_shape_new_ndim, empty_like_shape_new_ndim_order_a,
    full_like_shape_order_f, ones_like_shape_none,
]
PROTOTYPES = {
    "C_2d": lambda: values(6, np.float32).reshape(2, 3),
    "F_2d": lambda: np.asfortranarray(values(6, np.int8).reshape(2, 3)),
    "F_3d": lambda: make_3d(np.float64, "F"),
    "F_single_column": lambda: np.asfortranarray(values(4, np.uint16).reshape(4, 1)),
    "F_empty": lambda: np.zeros((0, 3), np.complex64, order="F"),
    "F_1d": lambda: np.asfortranarray(values(5, np.bool_)),
    "strided": lambda: values(24, np.float64).reshape(4, 6)[::2, ::-3],
    "0d": lambda: np.array(2.5),
}


@pytest.mark.parametrize("prototype", PROTOTYPES)
@pytest.mark.parametrize("func", LIKE_FUNCS, ids=case_id)
def test_like_functions_keep_the_order_of_the_prototype(func, prototype):
    check_created(func, PROTOTYPES[prototype]())


@pytest.mark.parametrize("prototype", ["C_2d", "F_2d", "F_3d"])
def test_like_of_a_transposed_view(prototype):
    # The transpose of a C array is an F array and the other way round: the result follows.
    check_created(like_of_transposed, PROTOTYPES[prototype]())


# --- np.full / np.full_like with an array fill value: broadcast into the shape ------------------

def full_array(shape, fill):
    return np.full(shape, fill)


def full_array_dtype(shape, fill):
    return np.full(shape, fill, dtype=np.float32)


def full_array_order_f(shape, fill):
    return np.full(shape, fill, order="F")


def full_like_array(shape, fill):
    return np.full_like(np.zeros(shape, np.int16), fill)


def full_like_array_order_f(shape, fill):
    return np.full_like(np.zeros(shape), fill, order="F")


FULL_ARRAY_FUNCS = [full_array, full_array_dtype, full_array_order_f, full_like_array, full_like_array_order_f]
FULL_ARRAY_CASES = [
    ((2, 3), np.arange(3)),  # a row for every row; the result's type is the fill value's
    ((2, 3), values(3, np.float32)),
    ((3, 2), np.arange(3.0).reshape(3, 1)),  # a column for every column
    ((2, 3), np.array(2.5)),  # 0-d
    ((2, 2), values(4, np.float64).reshape(2, 2)),  # the same shape
    ((4, 2, 3), np.arange(6, dtype=np.uint8).reshape(2, 3)[::-1]),  # a strided view
    ((2, 3), np.asfortranarray(values(6, np.int8).reshape(2, 3))),
    ((0, 3), np.arange(3)),
    (3, np.ones(1, np.bool_)),
    ((), np.array(4)),
    # raised when the call runs, as NumPy raises it
    ((2, 3), np.arange(2)),
    ((2, 3), np.arange(6).reshape(3, 2)),
]


@pytest.mark.parametrize("shape, fill", FULL_ARRAY_CASES, ids=case_id)
@pytest.mark.parametrize("func", FULL_ARRAY_FUNCS, ids=case_id)
def test_full_with_an_array_fill_value_matches_numpy(func, shape, fill):
    check_arrays(func, shape, fill, exc_msg=True)
    check_created(func, shape, fill)


# --- np.arange -----------------------------------------------------------------------------------

def arange1(stop):
    return np.arange(stop)


def arange2(start, stop):
    return np.arange(start, stop)


def arange3(start, stop, step):
    return np.arange(start, stop, step)


def arange_none_stop(start):
    return np.arange(start, None)


def arange_keywords(start, stop, step):
    return np.arange(start=start, stop=stop, step=step)


def arange_float32(start, stop, step):
    return np.arange(start, stop, step, dtype="float32")


def arange_complex(stop):
    return np.arange(stop, dtype=complex)


def arange_bool(stop):
    return np.arange(stop, dtype=bool)


def arange_float32_complex(start, stop, step):
    return np.arange(start, stop, step, dtype="complex64")


ARANGE_CASES = [
    # integer steps of each sign, empty ranges both ways
    (arange3, (10, -10, -3)), (arange3, (-10, 10, 7)), (arange3, (3, 3, -1)), (arange3, (0, 5, -1)), (arange3, (5, 0, 2)),
    (arange3, (-1, -20, -6)), (arange2, (-3, -3)), (arange1, (0,)), (arange1, (-2,)),
    # float bounds and steps whose quotient is exact (the values are then NumPy's exactly)
    (arange3, (1.0, -1.0, -0.5)), (arange3, (0.0, 2.0, 0.25)), (arange3, (2.5, 0.0, 0.5)), (arange3, (-1.0, 1.0, -0.5)),
    (arange2, (0.5, 3)), (arange1, (2.5,)), (arange3, (0, 3, 0.75)), (arange3, (0.0, -0.0, 1.0)),
    # NumPy 2's result types: int64 promoted with the bounds' types
    (arange1, (np.uint8(5),)), (arange1, (np.int32(4),)), (arange2, (np.float32(0.5), np.float32(3.5))), (arange1, (np.uint64(4),)),
    (arange2, (True, 4)), (arange3, (np.int8(9), np.int16(-9), np.int32(-4))),
    # a lone bound is the stop, also with stop=None
    (arange_none_stop, (4,)), (arange_none_stop, (2.5,)), (arange_keywords, (2, 11, 3)),
    (arange_float32, (0, 2, 0.5)), (arange_complex, (3,)), (arange_bool, (2,)), (arange_bool, (0,)),
    # raised when the call runs
    (arange3, (1, 5, 0)), (arange3, (1.0, 5.0, 0.0)), (arange3, (0.0, np.nan, 1.0)), (arange3, (0.0, np.inf, 1.0)),
    (arange2, (0.0, 1e300)), (arange_bool, (3,)), (arange2, (0.0, -1e300)),
    # complex bounds: the length is the smaller of those of the real and imaginary parts of
    # (stop - start) / step, divided as Python divides complex numbers
    (arange2, (1 + 1j, 4 + 10j)), (arange3, (0j, 6 + 9j, 2 + 3j)), (arange3, (1j, 5 + 3j, 1 + 1j)), (arange3, (-2 + 8j, 2 - 8j, 0.5 - 2j)),
    (arange1, (3 + 1j,)), (arange1, (5j,)), (arange2, (0, 3 + 0j)), (arange2, (2j, 2j)), (arange3, (0j, 5, 2)),
    (arange3, (0.5, 4 + 4j, 0.25 + 0.5j)), (arange3, (1 + 1j, 4 + 4j, 0.1 + 0.1j)), (arange3, (0, 10j, 2j)),
    (arange3, (0, -5 + 1j, -1 + 5j)), (arange2, (np.complex128(1 + 1j), 4 + 2j)), (arange_float32_complex, (1 + 2j, 7 + 9j, 0.5 + 0.5j)),
    (arange3, (0j, 5, 0)), (arange3, (1j, 1j, 0j)), (arange2, (0, complex(1, np.inf))), (arange2, (0, complex(1, np.nan))),
    (arange2, (0, complex(-1e300, 5))), (arange2, (0, complex(5, 1e300))), (arange3, (0, 5 + 5j, complex(np.nan, 1))),
]


@pytest.mark.parametrize("func, args", ARANGE_CASES, ids=case_id)
def test_arange_matches_numpy(func, args):
    check_arrays(func, *args, exc_msg=True)
    check_created(func, *args)


# --- np.eye ------------------------------------------------------------------------------------

def eye_n_m(n, m):
    return np.eye(n, m)


def eye_m_none(n, m):
    return np.eye(n, None)


def eye_m_keyword_uint8(n, m):
    return np.eye(n, M=m, dtype=np.uint8)


def eye_name(n, m):
    return np.eye(n, m, dtype="complex128")


def eye_python_bool(n, m):
    return np.eye(n, m, dtype=bool)


def eye_of_n_dtype(n, m):
    return np.eye(m, dtype=np.arange(n).dtype)


def eye_k_above(n, m):
    return np.eye(n, m, 1)


def eye_k_below_order_f(n, m):
    return np.eye(n, m, k=-2, order="F")


def eye_k_beyond_columns(n, m):
    return np.eye(n, m, k=7, device="cpu")


def eye_k_beyond_rows(n, m):
    return np.eye(n, m, k=-9, like=None)


def eye_k_of_n_order_c(n, m):
    return np.eye(m, k=n - 2, dtype=np.int8, order="C")


def eye_k_extreme(n, m):
    return np.eye(n, m, k=-9223372036854775808), np.eye(n, m, k=9223372036854775807)


EYE_FUNCS = [
    eye_n_m, eye_m_none, eye_m_keyword_uint8, eye_name, eye_python_bool, eye_of_n_dtype,
    # k= of each sign, out of the array both ways; order=
    eye_k_above, eye_k_below_order_f, eye_k_beyond_columns, eye_k_beyond_rows, eye_k_of_n_order_c, eye_k_extreme,
]


@pytest.mark.parametrize("n, m", [(0, 0), (1, 3), (3, 1), (3, 3), (2, 5), (4, 3), (np.int8(3), np.uint16(2)), (2, -1), (-1, 2)], ids=case_id)
@pytest.mark.parametrize("func", EYE_FUNCS, ids=case_id)
def test_eye_matches_numpy(func, n, m):
    check_arrays(func, n, m, exc_msg=True)
    check_created(func, n, m)


# --- refused at compile time ---------------------------------------------------------------------

def zeros_order_k(n):
    return np.zeros((n, 2), order="K")


def empty_order_a(n):
    return np.empty((n, 2), order="A")


def ones_like_order_x(n):
    return np.ones_like(np.zeros(n), order="X")


def eye_order_number(n):
    return np.eye(n, order=0)


def full_like_subok_number(n):
    return np.full_like(np.zeros(n), 1.0, subok=1)


def zeros_device_gpu(n):
    return np.zeros(n, device="gpu")


def empty_device_gpu(n):
    return np.empty(n, device="cuda")


def zeros_like_device_gpu(n):
    return np.zeros_like(np.zeros(n), device="gpu")


def zeros_like_float_shape(n):
    return np.zeros_like(np.zeros(n), shape=(2, 1.5))


def full_complex_array_into_float(n):
    return np.full(n, np.ones(n) * 1j, np.float64)


def full_array_of_more_dimensions(n):
    return np.full(n, np.ones((1, n)))


def full_like_array_of_more_dimensions(n):
    return np.full_like(np.zeros(n), np.ones((1, n)))


def eye_k_float(n):
    return np.eye(n, k=1.0)


def arange_complex_into_float(n):
    return np.arange(n * 1j, dtype=float)


def arange_complex64_bound(n):
    return np.arange(np.complex64(n), 10)


def arange_like(n):
    return np.arange(n, like=np.zeros(1))


def zeros_unknown_name(n):
    return np.zeros(n, "float16")


def ones_number_dtype(n):
    return np.ones(n, dtype=3)


def zeros_bool_shape(n):
    return np.zeros(n > 1)


def zeros_float_shape(n):
    return np.zeros((n, 2.0))


def full_complex_into_float(n):
    return np.full(n, 1j, np.float64)


def full_like_array_value(n):
    return np.full_like(np.zeros(n), np.ones(n))


def zeros_like_number(n):
    return np.zeros_like(n)


def arange_string_bound(n):
    return np.arange("3")


def arange_without_stop(n):
    return np.arange(step=n)


def eye_float(n):
    return np.eye(n / 2)


def eye_bool(n):
    return np.eye(3, n > 1)


REFUSED = [
    (zeros_order_k, TypingError, "`order=` of `np.zeros()` must be one of 'C', 'F'"),
    (empty_order_a, TypingError, "`order=` of `np.empty()` must be one of 'C', 'F'"),
    (ones_like_order_x, TypingError, "`order=` of `np.ones_like()` must be one of 'C', 'F', 'A', 'K'"),
    (eye_order_number, TypingError, "`order=` of `np.eye()` must be one of 'C', 'F'"),
    (full_like_subok_number, TypingError, "`subok=` of `np.full_like()` must be True or False, not `int64`"),
    (zeros_device_gpu, TypingError, '`device=` of `np.zeros()` must be None or "cpu"'),
    (empty_device_gpu, TypingError, '`device=` of `np.empty()` must be None or "cpu"'),
    (zeros_like_device_gpu, TypingError, '`device=` of `np.zeros_like()` must be None or "cpu"'),
    (zeros_like_float_shape, TypingError, "an array shape must be an integer or a tuple of integers, not `Tuple(int64, float64)`"),
    (arange_like, UnsupportedError, "`np.arange(like=...)` is not supported in compiled code yet"),
    (zeros_unknown_name, TypingError, "unsupported `dtype`"),
    (ones_number_dtype, TypingError, "unsupported `dtype`"),
    (zeros_bool_shape, TypingError, "an array shape must be an integer or a tuple of integers, not `bool`"),
    (zeros_float_shape, TypingError, "an array shape must be an integer or a tuple of integers, not `Tuple(int64, float64)`"),
    (full_complex_into_float, TypingError, "cannot store a `complex128` into an array of `float64`"),
    (full_complex_array_into_float, TypingError, "cannot store a `array(complex128, 1d, C)` into an array of `float64`"),
    (full_array_of_more_dimensions, TypingError, "cannot broadcast a 2-dimensional fill value into a 1-dimensional array"),
    (full_like_array_of_more_dimensions, TypingError, "cannot broadcast a 2-dimensional fill value into a 1-dimensional array"),
    (zeros_like_number, TypingError, "`np.zeros_like()` needs an array, not `int64`"),
    (arange_string_bound, TypingError, "`np.arange()` needs numbers"),
    (arange_complex_into_float, TypingError, "`np.arange()` with a complex bound makes complex numbers, not `float64`"),
    (arange_complex64_bound, UnsupportedError, "`np.arange()` with a `complex64` bound is not supported yet"),
    (arange_without_stop, TypingError, "`np.arange()` requires stop to be specified"),
    (eye_float, TypingError, "the dimensions of `np.eye()` must be integers, not `float64`"),
    (eye_bool, TypingError, "the dimensions of `np.eye()` must be integers, not `bool`"),
    (eye_k_float, TypingError, "the diagonal `k=` of `np.eye()` must be an integer, not `float64`"),
]


@pytest.mark.parametrize("func, error, message", REFUSED, ids=case_id)
def test_refused_at_compile_time_at_the_call(func, error, message):
    with pytest.raises(error) as excinfo:
        ferrojit.njit(func)(3)
    text = str(excinfo.value)
    assert text.splitlines()[0] == message, text
    # The error is the user's: it points at the call in this file, not into the library.
    assert f'File "{__file__}"' in text and "creation.py" not in text, text


# --- memory ------------------------------------------------------------------------------------

@ferrojit.njit
def create_all(n, fortran):
    a = np.zeros((n, 2))
    b = np.ones(n, np.int8)
    c = np.full((2, n), 1.5j)
    d = np.empty_like(fortran)
    e = np.zeros_like(fortran, dtype=np.float32)
    f = np.ones_like(a)
    g = np.full_like(fortran, 4)
    h = np.arange(n)
    i = np.arange(0.5, n, 0.25)
    j = np.eye(n, 3, dtype=np.uint8)
    k = np.identity(n)
    return a.sum() + b.sum() + c.sum().imag + d.size + e.sum() + f.sum() + g.sum() + h.sum() + i.sum() + j.sum() + k.sum()


@ferrojit.njit
def create_and_keep_some(n, fortran):
    return np.zeros_like(fortran), np.eye(n)[1:], np.arange(n)[::-1]


@ferrojit.njit
def create_then_fail(n):
    a = np.zeros((2, 2))
    b = np.arange(0, n, n - 3)
    return a.sum() + b.sum() + np.eye(n - 5).sum()


def test_creating_many_times_frees_everything():
    fortran = np.zeros((3, 4), order="F")
    create_all(3, fortran)
    create_and_keep_some(3, fortran)
    gc.collect()
    live = _native.live_allocations()
    for _ in range(20_000):
        create_all(3, fortran)
        kept = create_and_keep_some(4, fortran)
    assert kept[0].flags.f_contiguous
    del kept
    gc.collect()
    assert _native.live_allocations() == live


@pytest.mark.parametrize("n, error", [(3, ZeroDivisionError), (4, ValueError)], ids=["step-zero", "negative-dimension"])
def test_errors_after_allocating_free_everything(n, error):
    with pytest.raises(error):
        create_then_fail(n)
    gc.collect()
    live = _native.live_allocations()
    for _ in range(20_000):
        with pytest.raises(error):
            create_then_fail(n)
    gc.collect()
    assert _native.live_allocations() == live


@ferrojit.njit
def fails_above_three(n):
    if n > 3:
        raise ValueError("too many")
    return n


@ferrojit.njit
def kept_then_raise(n):
    kept = np.empty(n)
    return kept, fails_above_three(n)


@ferrojit.njit
def new_then_raise(n):
    return np.empty(n), fails_above_three(n)


@ferrojit.njit
def nested_then_raise(n):
    kept = np.empty(n)
    return (n, (kept, kept[1:])), fails_above_three(n)


@ferrojit.njit
def kept_then_zero_division(n):
    kept = np.zeros(n)
    return kept, 1 // (n - 5)


@pytest.mark.parametrize("func, error", [
    (kept_then_raise, ValueError), (new_then_raise, ValueError), (nested_then_raise, ValueError), (kept_then_zero_division, ZeroDivisionError),
], ids=lambda v: getattr(v, "__name__", str(v)))
def test_tuples_whose_later_item_raises_free_their_arrays(func, error):
    # The tuple's arrays are taken only once every item has been computed: a reference taken
    # before a later item raised would have no owner to drop it.
    func(3)
    with pytest.raises(error):
        func(5)
    gc.collect()
    live = _native.live_allocations()
    for _ in range(2_000):
        with pytest.raises(error):
            func(5)
    gc.collect()
    assert _native.live_allocations() == live


@ferrojit.njit
def create_in_orders_and_forms(n, fortran):
    a = np.zeros((n, 2), order="F")
    b = np.full((2, n), np.arange(n), order="F")
    c = np.full_like(fortran, np.arange(4.0))
    d = np.ones_like(fortran, order="C", shape=(n, 2, 2))
    e = np.empty_like(fortran, order="A", shape=(n, 3))
    e.fill(1)
    f = np.eye(n, n + 1, k=-1, order="F")
    g = np.arange(1j, n + 5j, 1 + 1j)
    h = np.empty((2, n), np.complex64, "F")
    h.fill(2j)
    return a.sum() + b.sum() + c.sum() + d.sum() + e.sum() + f.sum() + g.sum().imag + h.sum().imag


@ferrojit.njit
def create_in_orders_and_kept(n, fortran):
    return np.zeros_like(fortran, shape=(n, 2)), np.full((n, 2), np.arange(2), order="F")[1:], np.arange(0j, n + n * 1j)


@ferrojit.njit
def create_in_orders_then_fail(n, fill):
    a = np.ones((2, 2), order="F")
    b = np.full((2, n), fill, order="F")
    return a.sum() + b.sum() + np.arange(0j, n * 1j, n - 3).sum().real


def test_creating_in_orders_and_forms_frees_everything():
    fortran = np.zeros((3, 4), order="F")
    create_in_orders_and_forms(3, fortran)
    create_in_orders_and_kept(3, fortran)
    gc.collect()
    live = _native.live_allocations()
    for _ in range(20_000):
        create_in_orders_and_forms(3, fortran)
        kept = create_in_orders_and_kept(4, fortran)
    assert kept[0].flags.f_contiguous and kept[2].shape == (4,)
    del kept
    gc.collect()
    assert _native.live_allocations() == live


@pytest.mark.parametrize(
    "n, fill, error",
    [(3, np.arange(3), ZeroDivisionError), (4, np.arange(3), ValueError)],
    ids=["complex-step-zero", "fill-does-not-broadcast"],
)
def test_errors_after_creating_in_orders_free_everything(n, fill, error):
    with pytest.raises(error):
        create_in_orders_then_fail(n, fill)
    gc.collect()
    live = _native.live_allocations()
    for _ in range(20_000):
        with pytest.raises(error):
            create_in_orders_then_fail(n, fill)
    gc.collect()
    assert _native.live_allocations() == live
