"""Creating arrays in compiled code (np.empty/zeros/ones/full and their *_like forms, arange,
linspace, eye, dtype=a.dtype), returning arrays (new ones, inputs, views, in tuples), global arrays
(frozen read-only copies), and NumPy's scalar functions and constants."""
import gc

import numpy as np
import pytest

import ferrojit
from array_cases import ALL_DTYPES, FLOATS, INTS, dtype_id, make_1d, make_2d, make_3d, readonly, values
import helpers
from helpers import assert_same_array, case_id

# One dispatcher per function for the whole module: a row compiles only the argument types it
# is the first to meet.
_COMPILED = {}


def check_arrays(pyfunc, *args, **kwargs):
    """`helpers.check_arrays` with the module's dispatcher of `pyfunc`."""
    return helpers.check_arrays(pyfunc, *args, compiled=_COMPILED, **kwargs)


# --- np.empty / zeros / ones / full ---------------------------------------------------------------

def zeros_int(n):
    return np.zeros(n)


def zeros_tuple(n, m):
    return np.zeros((n, m))


def zeros_3d(n):
    return np.zeros((n, 2, 3))


def ones_int(n):
    return np.ones(n)


def ones_tuple(n, m):
    return np.ones((n, m))


def full_int(n, v):
    return np.full(n, v)


def full_tuple(n, m, v):
    return np.full((n, m), v)


def zeros_0d():
    return np.zeros(())


def ones_0d_tuple():
    return np.ones(())


@pytest.mark.parametrize("n", [0, 1, 5])
def test_zeros_ones_shapes(n):
    check_arrays(zeros_int, n)
    check_arrays(zeros_tuple, n, 3)
    check_arrays(zeros_tuple, 3, n)
    check_arrays(zeros_3d, n)
    check_arrays(ones_int, n)
    check_arrays(ones_tuple, n, 2)


def test_zero_dimensional_creation():
    check_arrays(zeros_0d)
    check_arrays(ones_0d_tuple)


@pytest.mark.parametrize("v", [7, -2.5, 1 + 2j, True, np.float32(0.1), np.int8(-3), np.uint16(9)], ids=case_id)
def test_full_takes_the_dtype_of_the_value(v):
    # NumPy's dtype inference from a Python int gives int64, from float float64 and so on, as
    # Numba does.
    check_arrays(full_int, 4, v)
    check_arrays(full_tuple, 2, 3, v)


def test_negative_dimension_raises_value_error():
    check_arrays(zeros_int, -1)
    check_arrays(zeros_tuple, 2, -3)
    check_arrays(full_int, -1, 1.0)


def zeros_kw_dtype(n):
    return np.zeros(n, dtype=np.int32)


def ones_pos_dtype(n):
    return np.ones((n, 2), np.uint8)


def full_kw_dtype(n):
    return np.full((n, 2), 2.5, dtype=np.float32)


def full_pos_dtype(n):
    return np.full(n, 3, np.complex64)


def zeros_builtin_float(n):
    return np.zeros(n, dtype=float)


def zeros_builtin_int(n):
    return np.zeros(n, dtype=int)


def zeros_builtin_bool(n):
    return np.zeros(n, dtype=bool)


def ones_builtin_complex(n):
    return np.ones(n, dtype=complex)


def full_bool_truncates(n):
    return np.full(n, 2, dtype=np.bool_)


def full_int_truncates(n):
    return np.full(n, -2.75, dtype=np.int16)


@pytest.mark.parametrize("func", [
    zeros_kw_dtype, ones_pos_dtype, full_kw_dtype, full_pos_dtype, zeros_builtin_float, zeros_builtin_int,
    zeros_builtin_bool, ones_builtin_complex, full_bool_truncates, full_int_truncates,
], ids=case_id)
def test_creation_dtype_argument(func):
    for n in (0, 3):
        check_arrays(func, n)


def empty_shape_dtype(n):
    a = np.empty((n, 3), dtype=np.float32)
    return a.shape, a.size, a.ndim


def empty_filled(n):
    a = np.empty(n)
    for i in range(n):
        a[i] = i * 0.5
    return a


def test_empty():
    # np.empty's contents are undefined: only shape and dtype are compared, then filled arrays.
    for n in (0, 4):
        check_arrays(empty_shape_dtype, n)
        check_arrays(empty_filled, n)
        got = ferrojit.njit(ones_tuple)(n, 2)
        assert got.dtype == np.float64 and got.shape == (n, 2) and got.flags.c_contiguous


def empty_of(a):
    return np.empty((2, 3), dtype=a.dtype)


def zeros_of(a):
    return np.zeros((len(a), 2), dtype=a.dtype)


def ones_of(a):
    return np.ones(3, dtype=a.dtype)


def full_of(a):
    return np.full(2, a[1], dtype=a.dtype)


def empty_of_filled(a):
    r = np.empty((2, 3), dtype=a.dtype)
    r.fill(a[0])
    r[1, 2] = a[-1]
    return r


@pytest.mark.parametrize("dtype", ALL_DTYPES, ids=dtype_id)
def test_creation_with_dtype_of_an_argument(dtype):
    a = values(5, dtype)
    got = ferrojit.njit(empty_of)(a)
    assert got.dtype == a.dtype and got.shape == (2, 3)
    check_arrays(zeros_of, a)
    check_arrays(ones_of, a)
    check_arrays(full_of, a)
    check_arrays(empty_of_filled, a)


def make_bool(n):
    return np.zeros(n, dtype=np.bool_), np.ones((n, 2), np.bool_), np.full(n, 1, dtype=np.bool_), np.eye(n, dtype=np.bool_)


def make_int8(n):
    return np.zeros(n, dtype=np.int8), np.ones((n, 2), np.int8), np.full(n, 1, dtype=np.int8), np.eye(n, dtype=np.int8)


def make_int16(n):
    return np.zeros(n, dtype=np.int16), np.ones((n, 2), np.int16), np.full(n, 1, dtype=np.int16), np.eye(n, dtype=np.int16)


def make_int32(n):
    return np.zeros(n, dtype=np.int32), np.ones((n, 2), np.int32), np.full(n, 1, dtype=np.int32), np.eye(n, dtype=np.int32)


def make_int64(n):
    return np.zeros(n, dtype=np.int64), np.ones((n, 2), np.int64), np.full(n, 1, dtype=np.int64), np.eye(n, dtype=np.int64)


def make_uint8(n):
    return np.zeros(n, dtype=np.uint8), np.ones((n, 2), np.uint8), np.full(n, 1, dtype=np.uint8), np.eye(n, dtype=np.uint8)


def make_uint16(n):
    return np.zeros(n, dtype=np.uint16), np.ones((n, 2), np.uint16), np.full(n, 1, dtype=np.uint16), np.eye(n, dtype=np.uint16)


def make_uint32(n):
    return np.zeros(n, dtype=np.uint32), np.ones((n, 2), np.uint32), np.full(n, 1, dtype=np.uint32), np.eye(n, dtype=np.uint32)


def make_uint64(n):
    return np.zeros(n, dtype=np.uint64), np.ones((n, 2), np.uint64), np.full(n, 1, dtype=np.uint64), np.eye(n, dtype=np.uint64)


def make_float32(n):
    return np.zeros(n, dtype=np.float32), np.ones((n, 2), np.float32), np.full(n, 1, dtype=np.float32), np.eye(n, dtype=np.float32)


def make_float64(n):
    return np.zeros(n, dtype=np.float64), np.ones((n, 2), np.float64), np.full(n, 1, dtype=np.float64), np.eye(n, dtype=np.float64)


def make_complex64(n):
    return np.zeros(n, dtype=np.complex64), np.ones((n, 2), np.complex64), np.full(n, 1, dtype=np.complex64), np.eye(n, dtype=np.complex64)


def make_complex128(n):
    return np.zeros(n, dtype=np.complex128), np.ones((n, 2), np.complex128), np.full(n, 1, dtype=np.complex128), np.eye(n, dtype=np.complex128)


MAKE_BY_DTYPE = [make_bool, make_int8, make_int16, make_int32, make_int64, make_uint8, make_uint16, make_uint32, make_uint64, make_float32, make_float64, make_complex64, make_complex128]


@pytest.mark.parametrize("func", MAKE_BY_DTYPE, ids=case_id)
def test_creation_every_dtype(func):
    for n in (0, 3):
        check_arrays(func, n)


# --- *_like ------------------------------------------------------------------------------------

def empty_like_meta(a):
    b = np.empty_like(a)
    return b.shape, b.ndim, b.size


def zeros_like(a):
    return np.zeros_like(a)


def ones_like(a):
    return np.ones_like(a)


def full_like(a, v):
    return np.full_like(a, v)


def zeros_like_dtype(a):
    return np.zeros_like(a, dtype=np.int16)


def ones_like_dtype(a):
    return np.ones_like(a, np.complex64)


def full_like_dtype(a):
    return np.full_like(a, 2.75, dtype=np.int32)


def empty_like_dtype(a):
    b = np.empty_like(a, dtype=np.uint8)
    b.fill(7)
    return b


LIKE_ARGS = {
    "1d": lambda d: values(5, d),
    "reversed": lambda d: values(5, d)[::-1],
    "2d_F": lambda d: np.asfortranarray(values(6, d).reshape(2, 3)),
    "2d_strided": lambda d: values(24, d).reshape(4, 6)[::2, ::-3],
    "3d": lambda d: make_3d(d),
    "empty": lambda d: values(6, d).reshape(2, 3)[:, :0],
    "0d": lambda d: np.array(values(2, d)[1]),
}


@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.uint32, np.float32, np.float64, np.complex128], ids=dtype_id)
@pytest.mark.parametrize("arg", LIKE_ARGS)
def test_like_functions(arg, dtype):
    # dtype, shape and values are compared; the memory order of the result is not (NumPy and
    # Numba keep an F argument's order, ferrojit currently returns C; reported separately).
    a = LIKE_ARGS[arg](dtype)
    check_arrays(empty_like_meta, a)
    check_arrays(zeros_like, a)
    check_arrays(ones_like, a)
    check_arrays(full_like, a, 3)
    check_arrays(zeros_like_dtype, a)
    check_arrays(ones_like_dtype, a)
    check_arrays(full_like_dtype, a)
    check_arrays(empty_like_dtype, a)


def test_like_of_readonly_is_writeable():
    a = readonly(np.arange(4.0))
    got = ferrojit.njit(zeros_like)(a)
    assert got.flags.writeable
    got[0] = 1.0


# --- np.arange ---------------------------------------------------------------------------------

def arange1(stop):
    return np.arange(stop)


def arange2(start, stop):
    return np.arange(start, stop)


def arange3(start, stop, step):
    return np.arange(start, stop, step)


def arange_f32(stop):
    return np.arange(stop, dtype=np.float32)


def arange_i32(start, stop, step):
    return np.arange(start, stop, step, dtype=np.int32)


def arange_u8(stop):
    return np.arange(stop, dtype=np.uint8)


def arange_f32_stepped(start, stop, step):
    return np.arange(start, stop, step, dtype=np.float32)


def arange_c64_stepped(start, stop, step):
    return np.arange(start, stop, step, dtype=np.complex64)


@pytest.mark.parametrize("args", [
    (0,), (1,), (7,), (-3,), (2, 9), (9, 2), (-5, 5), (0, 10, 3), (10, 0, -3), (10, 1, -1), (1, 10, -1),
    (-7, 8, 5), (5, -7, -4), (0, 1, 100), (3, 3, 1),
], ids=case_id)
def test_arange_integers_exact(args):
    check_arrays([arange1, arange2, arange3][len(args) - 1], *args)


def test_arange_dtype():
    check_arrays(arange_f32, 5)
    check_arrays(arange_f32, 0)
    check_arrays(arange_i32, 1, 10, 3)
    check_arrays(arange_i32, 10, -10, -7)
    check_arrays(arange_u8, 6)


def test_arange_zero_step_raises():
    check_arrays(arange3, 5, 1, 0)


@pytest.mark.parametrize("args", [
    (0.0, 1.0, 0.1), (0.1, 1.0, 0.3), (1.0, 0.0, -0.1), (0.3, 7.1, 0.7), (-2.5, 3.3, 0.45), (2.0, 3.0, 0.01),
    (0.5, 5, 1), (0, 5, 1.5), (2.5, 6), (1e-3, 1.0, 1 / 3), (5.0, 5.0, 0.5), (0.0, -1.0, 0.5), (3.7,),
], ids=case_id)
def test_arange_floats(args):
    # NumPy's values, bit for bit: the first two are start and start + step, then element i is
    # start + i * delta with delta = (start + step) - start (NumPy's `fill`; Numba's
    # start + i * step differs in the last bit).
    func = [arange1, arange2, arange3][len(args) - 1]
    got = ferrojit.njit(func)(*args)
    expected = func(*args)
    assert type(got) is np.ndarray and got.dtype == expected.dtype == np.float64
    assert_same_array(got, expected)


def test_arange_float_random_lengths_match_numpy():
    rng = np.random.default_rng(1234)
    f = ferrojit.njit(arange3)
    for _ in range(300):
        start, stop = rng.uniform(-10, 10, 2)
        step = rng.uniform(0.01, 3) * (1 if stop > start else -1)
        got, expected = f(start, stop, step), np.arange(start, stop, step)
        assert got.shape == expected.shape, (start, stop, step)
        assert got.tobytes() == expected.tobytes(), (start, stop, step)


@pytest.mark.parametrize("func, args", [
    (arange_i32, (0.5, 5.5, 1.5)), (arange_i32, (-2.5, 7.0, 0.7)), (arange_i32, (9.9, -3.0, -1.3)),
    (arange_u8, (0.4,)), (arange_f32, (5,)), (arange_f32_stepped, (0.1, 100.0, 1 / 3)), (arange_f32_stepped, (-1.0, 1.0, 0.01)),
    (arange_c64_stepped, (0.1, 30.0, 1 / 7)),
], ids=case_id)
def test_arange_float_bounds_to_other_dtypes_follow_numpy(func, args):
    # NumPy converts the first two values to the dtype and steps by their difference in it
    # ([0, 2, 4, 6] for the first row, where Numba's int(start + i * step) gives [0, 2, 3, 5]);
    # float32 results add in float32.
    check_arrays(func, *args)


# --- np.linspace -------------------------------------------------------------------------------

def linspace(start, stop, num):
    return np.linspace(start, stop, num)


def linspace_default(start, stop):
    return np.linspace(start, stop)


def linspace_kw(start, stop, n):
    return np.linspace(start, stop, num=n)


@pytest.mark.parametrize("args", [
    (0.0, 1.0, 7), (0, 10, 5), (1, 2, 2), (5, 5, 3), (0.0, 1.0, 1), (3, 1, 4), (0.0, 1.0, 0),
    (-1.5, 2.25, 10), (1e-300, 1e300, 9), (0.1, 0.7, 13), (2.0, -3.0, 100),
], ids=case_id)
def test_linspace_exact(args):
    # Compiled code computes start + i * ((stop - start) / (num - 1)) and stores stop last, which
    # is NumPy's computation, so the values are compared exactly.
    check_arrays(linspace, *args)
    check_arrays(linspace_kw, *args)


@pytest.mark.parametrize(
    "start, stop",
    [
        (np.float32(0.5), np.float32(3.0)),
        (np.float32(-1.25), np.int16(7)),
        (np.int8(3), np.int64(-9)),
    ],
)
def test_linspace_result_type_is_numpys(start, stop):
    # NumPy 2 gives float32 for float32 bounds (and float32 with small ints); Numba's
    # np.linspace always gives float64. NumPy's values in its type, exactly.
    for num in (0, 1, 2, 4, 7):
        got = ferrojit.njit(linspace)(start, stop, num)
        assert_same_array(got, np.linspace(start, stop, num))


def test_linspace_default_num():
    check_arrays(linspace_default, 0.0, 2.0)
    check_arrays(linspace_default, -3, 7)


def test_linspace_random_exact():
    rng = np.random.default_rng(99)
    f = ferrojit.njit(linspace)
    for _ in range(300):
        a, b = (float(x) for x in rng.uniform(-100, 100, 2))
        n = int(rng.integers(0, 60))
        assert_same_array(f(a, b, n), np.linspace(a, b, n))


def test_linspace_negative_num_raises():
    check_arrays(linspace, 0.0, 1.0, -1)


# --- np.eye --------------------------------------------------------------------------------------

def eye(n):
    return np.eye(n)


def eye_nm(n, m):
    return np.eye(n, m)


def eye_int(n):
    return np.eye(n, dtype=np.int64)


def eye_bool(n, m):
    return np.eye(n, m, dtype=np.bool_)


def eye_complex(n):
    return np.eye(n, dtype=np.complex64)


@pytest.mark.parametrize("n", [0, 1, 4])
def test_eye(n):
    check_arrays(eye, n)
    check_arrays(eye_int, n)
    check_arrays(eye_complex, n)
    for m in (0, 2, 5):
        check_arrays(eye_nm, n, m)
        check_arrays(eye_bool, n, m)


def test_eye_negative_raises():
    check_arrays(eye, -1)
    check_arrays(eye_nm, 2, -1)


# --- returning arrays ----------------------------------------------------------------------------

def ret_new_in_tuple(n):
    a = np.zeros(n)
    b = np.arange(n)
    for i in range(n):
        a[i] = i * 1.5
    return a, b, n


def ret_nested_tuple(n):
    a = np.ones((n, 2), dtype=np.int8)
    return (a, (np.eye(n), a.sum())), np.full(n, True)


def ret_same_array_twice(n):
    a = np.arange(n)
    return a, a


def ret_new_and_view(n):
    a = np.arange(n * 2.0).reshape(2, n)
    return a, a.T, a[0], a[:, ::-1]


def ret_view_of_new(n):
    a = np.arange(n)
    return a[::2]


def ret_from_branch(n):
    if n > 2:
        a = np.zeros(n)
    else:
        a = np.ones(1)
    return a


def ret_rebound_in_loop(n):
    a = np.zeros(1)
    for i in range(n):
        a = np.full(i + 1, i * 1.0)
    return a


@pytest.mark.parametrize("n", [0, 1, 4])
def test_return_new_arrays(n):
    check_arrays(ret_new_in_tuple, n)
    check_arrays(ret_nested_tuple, n)
    check_arrays(ret_same_array_twice, n)
    check_arrays(ret_view_of_new, n)
    check_arrays(ret_from_branch, n)
    check_arrays(ret_rebound_in_loop, n)


@pytest.mark.parametrize("n", [1, 3])
def test_return_new_array_and_views_of_it(n):
    check_arrays(ret_new_and_view, n)
    a, t, row, rev = ferrojit.njit(ret_new_and_view)(n)
    for v in (t, row, rev):
        assert np.shares_memory(v, a)
    a[0, 0] = 100.0
    assert t[0, 0] == 100.0 and row[0] == 100.0 and rev[0, -1] == 100.0


def test_returned_arrays_are_writeable_and_own_their_memory_until_freed():
    a, b, _ = ferrojit.njit(ret_new_in_tuple)(5)
    assert a.flags.writeable and a.flags.c_contiguous
    a[:] = 1.0
    b[:] = 2
    del b
    gc.collect()
    assert a.sum() == 5.0
    same1, same2 = ferrojit.njit(ret_same_array_twice)(4)
    assert np.shares_memory(same1, same2)


def identity(a):
    return a


def view_of(a):
    return a[1:, ::-1]


def input_in_tuple(a, b):
    return b, a, a.T


def row_of(a):
    return a[1]


@pytest.mark.parametrize("make", [
    lambda: np.arange(6.0), lambda: np.arange(12.0).reshape(3, 4), lambda: make_2d("F"),
    lambda: make_2d("both_reversed"), lambda: make_1d("rev_step3"), lambda: np.array(2.5),
    lambda: np.zeros((3, 0)),
], ids=["1d", "2d", "F", "reversed", "strided", "0d", "empty"])
def test_returning_an_input_gives_a_view_of_it(make):
    a = make()
    got = ferrojit.njit(identity)(a)
    assert type(got) is np.ndarray
    assert_same_array(got, a)
    assert got.strides == a.strides
    if a.size:
        assert np.shares_memory(got, a)
        got[(0,) * a.ndim] = -123.0
        assert a[(0,) * a.ndim] == -123.0


def test_returned_views_keep_the_input_alive():
    f, g, h = ferrojit.njit(identity), ferrojit.njit(view_of), ferrojit.njit(row_of)
    a = np.arange(12.0).reshape(3, 4)
    expected_view, expected_row = view_of(a).copy(), row_of(a).copy()
    same, view, row = f(a), g(a), h(a)
    del a
    gc.collect()
    # Allocate over the freed memory if the views did not keep their base alive.
    junk = [np.full((3, 4), -1.0) for _ in range(50)]
    assert_same_array(same, np.arange(12.0).reshape(3, 4))
    assert_same_array(view, expected_view)
    assert_same_array(row, expected_row)
    del junk


def test_returning_inputs_in_tuples():
    a, b = np.arange(6.0).reshape(2, 3), np.arange(3)
    check_arrays(input_in_tuple, a, b)
    rb, ra, rt = ferrojit.njit(input_in_tuple)(a, b)
    assert np.shares_memory(rb, b) and np.shares_memory(ra, a) and np.shares_memory(rt, a)


def test_returning_a_readonly_input_stays_readonly():
    a = readonly(np.arange(5.0))
    got = ferrojit.njit(view_of_1d)(a)
    assert_same_array(got, a[::-2])
    assert not got.flags.writeable


def view_of_1d(a):
    return a[::-2]


# --- global arrays -------------------------------------------------------------------------------

G_READ = np.arange(5.0)
G_2D = np.asfortranarray(np.arange(12, dtype=np.int32).reshape(3, 4))
G_MUTATED = np.arange(4.0)
G_REBOUND = np.arange(4.0)
G_WRITE = np.zeros(3)
G_RETURN = np.array([1.5, 2.5])
G_BOOL = np.array([True, False, True])
G_C64 = np.array([1 + 2j, -1j], dtype=np.complex64)


def read_global(i):
    return G_READ[i], G_READ.sum(), G_READ.shape


def read_global_2d():
    s = 0
    for row in G_2D:
        s += row[1]
    return s, G_2D[2, -1], G_2D.T[1]


def read_global_dtypes():
    return G_BOOL[0], G_BOOL.sum(), G_C64[1], G_C64.sum()


def read_mutated(i):
    return G_MUTATED[i]


def read_rebound(i):
    return G_REBOUND[i]


def write_global():
    G_WRITE[0] = 1.0


def fill_global():
    G_WRITE.fill(1.0)


def write_global_view():
    v = G_WRITE[::-1]
    v[0] = 1.0


def return_global():
    return G_RETURN


def test_global_arrays_are_readable():
    for i in range(-5, 5):
        check_arrays(read_global, i)
    check_arrays(read_global_2d)
    check_arrays(read_global_dtypes)


def test_global_arrays_are_frozen_at_first_compile():
    f = ferrojit.njit(read_mutated)
    assert f(1) == 1.0
    try:
        G_MUTATED[1] = 100.0
        assert f(1) == 1.0
    finally:
        G_MUTATED[1] = 1.0


def test_rebinding_a_global_array_is_not_seen():
    global G_REBOUND
    f = ferrojit.njit(read_rebound)
    assert f(2) == 2.0
    old = G_REBOUND
    try:
        G_REBOUND = np.arange(4.0) * 10
        assert f(2) == 2.0
    finally:
        G_REBOUND = old


@pytest.mark.parametrize("func", [write_global, fill_global, write_global_view], ids=case_id)
def test_writing_a_global_array_is_a_typing_error(func):
    with pytest.raises(ferrojit.errors.TypingError):
        ferrojit.njit(func)()
    assert_same_array(G_WRITE, np.zeros(3))


def global_plus_scalar():
    return G_READ + 1.0


def global_times_itself():
    return G_READ * G_READ[::-1]


def global_in_ufunc_and_comparison():
    return np.sqrt(G_READ), -G_2D, G_READ > 2.0, 2 ** G_READ


def global_expression_into_library():
    return np.cumsum(G_READ + 1.0), np.sort(G_READ[::-1] * 2), (G_2D + 1).sum(axis=0)


@pytest.mark.parametrize("func", [global_plus_scalar, global_times_itself, global_in_ufunc_and_comparison, global_expression_into_library], ids=case_id)
def test_global_arrays_in_array_expressions(func):
    # A frozen global array is an operand of the expression like any array (it was once taken
    # for a scalar constant, and typing recursed until the stack overflowed).
    check_arrays(func)


def test_returning_a_global_array():
    got = ferrojit.njit(return_global)()
    assert_same_array(got, G_RETURN)
    # A frozen copy: read-only, and not the module's array.
    assert not got.flags.writeable
    assert not np.shares_memory(got, G_RETURN)


# --- NumPy scalar functions and constants --------------------------------------------------------

def np_unary_all(a, i):
    x = a[i]
    return (np.sqrt(x), np.exp(x), np.log(x), np.sin(x), np.cos(x), np.tanh(x), np.arctan(x),
            np.floor(x), np.ceil(x), np.trunc(x), np.abs(x), np.fabs(x), np.absolute(-x), np.log1p(x),
            np.expm1(x), np.log2(x), np.log10(x), np.sinh(x), np.arcsinh(x), np.degrees(x), np.radians(x))


def np_predicates(a, i):
    x = a[i]
    return np.isnan(x), np.isinf(x), np.isfinite(x)


def np_binary(a, i, j):
    return np.arctan2(a[i], a[j]), np.hypot(a[i], a[j]), np.copysign(a[i], a[j]), np.power(a[i], 2.0)


def np_constants():
    return np.pi, np.e, np.inf, -np.inf, np.nan, np.isnan(np.nan), np.pi * 2.0


def np_on_python_scalars(x):
    return np.tanh(x), np.sqrt(x * x), np.floor(x), np.ceil(-x)


def np_abs_int(a, i):
    return np.abs(a[i])


@pytest.mark.parametrize("dtype", FLOATS, ids=dtype_id)
def test_numpy_scalar_functions_on_elements(dtype):
    # NumPy evaluates these with its own (SIMD) routines, compiled code calls the C library as
    # Numba does; both are within an ulp or two of the exact result, hence the relative tolerance
    # (a few ulp of float64, resp. float32). Special values must match exactly.
    rel = 1e-15 if dtype == np.float64 else 1e-6
    a = np.array([0.5, 2.0, 1e-3, 7.25, 100.0], dtype=dtype)
    for i in range(len(a)):
        check_arrays(np_unary_all, a, i, rel=rel)
    b = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, -1.5], dtype=dtype)
    for i in range(len(b)):
        check_arrays(np_predicates, b, i)
        for j in range(len(b)):
            check_arrays(np_binary, b, i, j, rel=rel)


def np_special(a, i):
    x = a[i]
    return np.floor(x), np.ceil(x), np.trunc(x), np.fabs(x), np.abs(x), np.sqrt(np.abs(x))


def test_numpy_special_values_exact():
    a = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1.5, -2.5])
    for i in range(len(a)):
        check_arrays(np_special, a, i)


@pytest.mark.parametrize("dtype", INTS, ids=dtype_id)
def test_numpy_abs_of_integer_elements(dtype):
    a = extremes_no_min(dtype)
    for i in range(len(a)):
        check_arrays(np_abs_int, a, i)


def extremes_no_min(dtype):
    info = np.iinfo(dtype)
    return np.array([info.min + 1, info.max, 0, 1, info.min // 3], dtype=dtype)


def test_numpy_constants():
    check_arrays(np_constants)


@pytest.mark.parametrize("x", [0.5, -3.25, 2.0, 1e-9], ids=case_id)
def test_numpy_functions_on_python_scalars(x):
    check_arrays(np_on_python_scalars, x, rel=1e-15)


# --- np.identity (written in Python: the dtype reaches its implementation as a static argument) ---


def identity_default(n, like):
    return np.identity(n)


def identity_float32(n, like):
    return np.identity(n, np.float32)


def identity_of_int(n, like):
    return np.identity(n, dtype=int)


def identity_like(n, like):
    return np.identity(n, dtype=like.dtype)


@pytest.mark.parametrize("func", [identity_default, identity_float32, identity_of_int, identity_like])
@pytest.mark.parametrize("n, like", [(3, np.zeros(1, np.uint8)), (0, np.zeros(1, np.complex64)), (1, np.zeros(1, np.bool_))], ids=["3-uint8", "0-complex64", "1-bool"])
def test_identity_matches_numpy(func, n, like):
    check_arrays(func, n, like)
