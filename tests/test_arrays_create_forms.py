"""NumPy's array-creating functions (written in Python in ferrojit._lib.creation) against NumPy,
form by form: each way of giving the dtype (NumPy type, Python type, name, an array's dtype,
None) with each form of shape; the *_like functions keep the prototype's memory order; np.arange
with every sign of step, float bounds and empty ranges; np.eye with M and dtype; the refusals
at compile time and the errors when the call runs; no allocation outlives its array.

Each case compares with NumPy the dtype, the shape, the values and the memory order (the
C- and F-contiguous flags) of every array returned."""
import gc

import numpy as np
import pytest

import ferrojit
from ferrojit import _native
from ferrojit.errors import TypingError, UnsupportedError
from array_cases import make_3d, values
from helpers import case_id, check_arrays


def arrays_in(value):
    if isinstance(value, np.ndarray):
        return [value]
    if isinstance(value, tuple):
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


CREATE_FUNCS = [
    zeros_default, zeros_none, zeros_np_uint16, zeros_python_bool, zeros_name_f4, zeros_name_float, zeros_of_like,
    ones_default, ones_python_int, ones_python_complex, ones_name_int8, ones_name_bool, ones_of_like,
    full_int, full_float32_value, full_none, full_name_u8, full_name_complex64, full_of_like, empty_meta, empty_none_filled,
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


LIKE_FUNCS = [empty_like_meta, empty_like_filled, zeros_like_default, zeros_like_name, ones_like_default, ones_like_none, full_like_value, full_like_dtype]
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
    (arange2, (0.0, 1e300)), (arange_bool, (3,)),
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


@pytest.mark.parametrize("n, m", [(0, 0), (1, 3), (3, 1), (3, 3), (2, 5), (np.int8(3), np.uint16(2)), (2, -1), (-1, 2)], ids=case_id)
@pytest.mark.parametrize("func", [eye_n_m, eye_m_none, eye_m_keyword_uint8, eye_name, eye_python_bool, eye_of_n_dtype], ids=case_id)
def test_eye_matches_numpy(func, n, m):
    check_arrays(func, n, m, exc_msg=True)
    check_created(func, n, m)


# --- refused at compile time ---------------------------------------------------------------------

def zeros_order_f(n):
    return np.zeros((n, 2), order="F")


def ones_like_order_c(n):
    return np.ones_like(np.zeros(n), order="C")


def full_like_subok(n):
    return np.full_like(np.zeros(n), 1.0, subok=False)


def eye_order(n):
    return np.eye(n, order="F")


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


def arange_complex_bound(n):
    return np.arange(n * 1j)


def arange_without_stop(n):
    return np.arange(step=n)


def eye_float(n):
    return np.eye(n / 2)


def eye_bool(n):
    return np.eye(3, n > 1)


REFUSED = [
    (zeros_order_f, UnsupportedError, "`np.zeros(order=...)` is not supported in compiled code yet"),
    (ones_like_order_c, UnsupportedError, "`np.ones_like(order=...)` is not supported in compiled code yet"),
    (full_like_subok, UnsupportedError, "`np.full_like(subok=...)` is not supported in compiled code yet"),
    (eye_order, UnsupportedError, "`np.eye(order=...)` is not supported in compiled code yet"),
    (arange_like, UnsupportedError, "`np.arange(like=...)` is not supported in compiled code yet"),
    (zeros_unknown_name, TypingError, "unsupported `dtype`"),
    (ones_number_dtype, TypingError, "unsupported `dtype`"),
    (zeros_bool_shape, TypingError, "an array shape must be an integer or a tuple of integers, not `bool`"),
    (zeros_float_shape, TypingError, "an array shape must be an integer or a tuple of integers, not `Tuple(int64, float64)`"),
    (full_complex_into_float, TypingError, "cannot store a `complex128` into an array of `float64`"),
    (full_like_array_value, TypingError, "cannot store a `array(float64, 1d, C)` into an array of `float64`"),
    (zeros_like_number, TypingError, "`np.zeros_like()` needs an array, not `int64`"),
    (arange_complex_bound, TypingError, "`np.arange()` needs real numbers"),
    (arange_without_stop, TypingError, "`np.arange()` requires stop to be specified"),
    (eye_float, TypingError, "the dimensions of `np.eye()` must be integers, not `float64`"),
    (eye_bool, TypingError, "the dimensions of `np.eye()` must be integers, not `bool`"),
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
