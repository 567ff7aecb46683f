"""Iterating over arrays the NumPy ways in compiled code, against NumPy: `a.flat` (iteration,
indexing, assignment, `len`), `np.ndindex`, `np.ndenumerate`, `np.nditer`, and `enumerate`/`zip`
over them; values and types for every dtype family and layout, empty and 0-d arrays; errors at
compile time and at run time; no memory held after calls, also when a loop raises midway.

Loop bodies fold every item into an order-sensitive result (`s = s * 3 + x`, or a tuple of the
first items), so that the order of iteration is compared, not only the set of items."""
import gc

import numpy as np
import pytest

import ferrojit
from ferrojit import _native
from array_cases import ALL_DTYPES, VIEWS_2D, dtype_id, make_1d, make_2d, make_3d, values
from helpers import assert_same_value, check_arrays, run_python, to_python


# One dispatcher per function for the whole module: a row compiles only the argument types it
# is the first to meet.
_COMPILED = {}


def check_reading(func, *args, exc_msg=False):
    """`check_arrays` for functions that only read their arrays: Python gets the very same arrays
    (not copies), since `np.nditer` walks an array in its memory order, which a copy changes."""
    cfunc = _COMPILED.setdefault(func, ferrojit.njit(func))
    try:
        expected = run_python(func, *args)
    except Exception as exc:  # noqa: BLE001 - any exception Python raises must be reproduced
        with pytest.raises(type(exc)) as info:
            cfunc(*args)
        if exc_msg:
            assert str(info.value) == str(exc)
        return
    assert_same_value(cfunc(*args), to_python(expected))


# --- loops ---------------------------------------------------------------------------------------

def flat_fold(a):
    s = a.sum() - a.sum()
    n = 0
    for x in a.flat:
        s = s * 3 + x
        n += 1
    return s, n


def flat_first_items(a):
    first = last = a.sum() - a.sum()
    n = 0
    for x in a.flat:
        if n == 0:
            first = x
        last = x
        n += 1
    return first, last, n


def ndenumerate_fold(a):
    s = a.sum() - a.sum()
    t = 0
    for idx, x in np.ndenumerate(a):
        s = s * 3 + x
        t = ((t * 5 + idx[0]) * 5 + idx[-1] + len(idx)) % 1000003
    return s, t


def nditer_fold(a):
    s = a.sum() - a.sum()
    for x in np.nditer(a):
        s = s * 3 + x
    return s


def nditer_item_fold(a):
    # `.item()` gives the Python scalar, `x[()]` the NumPy scalar.
    s = 0
    t = a.sum() - a.sum()
    for x in np.nditer(a):
        s = s * 3 + x.item()
        t = t * 3 + x[()]
    return s, t


def ndindex_of_shape_fold(a):
    s = a.sum() - a.sum()
    for idx in np.ndindex(a.shape):
        s = s * 3 + a[idx]
    return s


def ndindex_2d_unpacked(a):
    s = a.sum() - a.sum()
    for i, j in np.ndindex(a.shape):
        s = s * 3 + a[i, j] * (i + 1) - j
    return s


def ndindex_args(n, m, k):
    t = 0
    c = 0
    for i, j, l in np.ndindex(n, m, k):
        t = (t * 7 + i * 100 + j * 10 + l) % 1000003
        c += 1
    return t, c


def ndindex_tuple(shape):
    t = 0
    c = 0
    for idx in np.ndindex(shape):
        t = ((t * 7 + idx[0]) * 7 + idx[-1]) % 1000003
        c += len(idx)
    return t, c


def ndindex_no_dims():
    c = 0
    for idx in np.ndindex():
        c += 1 + len(idx)
    return c


def ndindex_empty_tuple():
    c = 0
    for idx in np.ndindex(()):
        c += 1 + len(idx)
    return c


def enumerate_flat(a):
    s = a.sum() - a.sum()
    for k, x in enumerate(a.flat):
        s = s * 3 + k * x
    return s


def enumerate_flat_start(a, start):
    s = a.sum() - a.sum()
    for k, x in enumerate(a.flat, start):
        s = s * 3 + k * x
    return s


def enumerate_ndindex(n, m):
    t = 0
    for k, (i, j) in enumerate(np.ndindex(n, m)):
        t = (t * 3 + k * 11 + i * 5 + j) % 1000003
    return t


def zip_flat_nditer(a, b):
    s = a.sum() - a.sum()
    for x, y in zip(a.flat, np.nditer(b)):
        s = s * 3 + x - y
    return s


def zip_ndenumerate_range(a, n):
    s = a.sum() - a.sum()
    for (idx, x), r in zip(np.ndenumerate(a), range(n, 0, -2)):
        s = s * 3 + x * r + idx[0]
    return s


def flat_break_else(a, stop):
    s = a.sum() - a.sum()
    for x in a.flat:
        if x == stop:
            break
        if x < 0:
            continue
        s = s * 3 + x
    else:
        s = s - 1
    return s


def ndindex_break_else(n, m, stop):
    t = 0
    for i, j in np.ndindex(n, m):
        if i * m + j == stop:
            break
        if j == 1:
            continue
        t = (t * 3 + i + j) % 1000003
    else:
        t = -t
    return t


def continue_else_without_break(a):
    # No `break`: multi-dimensional walks run as nested loops; `continue` and `else` keep
    # their meaning.
    s = a.sum() - a.sum()
    for idx, x in np.ndenumerate(a):
        if idx[-1] == 1:
            continue
        s = s * 3 + x
    else:
        s = s * 2
    for x in np.nditer(a):
        if x < 0:
            continue
        s = s * 3 + x
    else:
        s = s - 1
    return s


def nested_flat(a, b):
    s = a.sum() - a.sum()
    for x in a.flat:
        for y in np.nditer(b):
            s = s * 3 + x * y
    return s


FOLDS = [flat_fold, flat_first_items, ndenumerate_fold, nditer_fold, ndindex_of_shape_fold]


def layouts():
    cases = [(f"1d_{k}", lambda dt, k=k: make_1d(k, dt)) for k in ["contiguous", "step2", "reversed", "rev_step3", "single", "empty"]]
    cases += [(f"2d_{k}", lambda dt, k=k: make_2d(k, dt)) for k in VIEWS_2D]
    cases += [
        ("3d_C", lambda dt: make_3d(dt)),
        ("3d_F", lambda dt: make_3d(dt, order="F")),
        ("3d_T", lambda dt: make_3d(dt).T),
        ("3d_F_reversed", lambda dt: make_3d(dt, order="F")[::-1, :, ::-2]),
        ("3d_C_sliced", lambda dt: make_3d(dt)[:, 1:, ::-1]),
        ("3d_broadcast", lambda dt: np.broadcast_to(values(4, dt), (2, 3, 4))),
        ("3d_empty", lambda dt: make_3d(dt)[:, :0]),
    ]
    return cases


LAYOUTS = layouts()


@pytest.mark.parametrize("func", FOLDS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("name, make", LAYOUTS, ids=[n for n, _ in LAYOUTS])
def test_loops_over_layouts_float64(func, name, make):
    check_reading(func, make(np.float64), exc_msg=True)


@pytest.mark.parametrize("func", FOLDS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("dtype", ALL_DTYPES, ids=dtype_id)
@pytest.mark.parametrize("name", ["1d_reversed", "2d_T", "2d_F_sub_reversed", "3d_C"])
def test_loops_over_dtypes(func, dtype, name):
    make = dict(LAYOUTS)[name]
    if func is ndindex_of_shape_fold or np.dtype(dtype).kind == "b":
        # `s * 3` of bools is an integer in both; keep the fold in the array's dtype.
        check_reading(func, make(dtype).astype(np.int64) if np.dtype(dtype).kind == "b" else make(dtype))
    else:
        check_reading(func, make(dtype))


@pytest.mark.parametrize("func, args", [
    (ndindex_2d_unpacked, (make_2d("T"),)),
    (ndindex_2d_unpacked, (make_2d("empty_0x3"),)),
    (ndindex_args, (2, 3, 4)),
    (ndindex_args, (2, 0, 4)),
    (ndindex_args, (1, 1, 1)),
    (ndindex_tuple, ((3, 2),)),
    (ndindex_tuple, ((4,),)),
    (ndindex_tuple, ((2, 0),)),
    (ndindex_no_dims, ()),
    (ndindex_empty_tuple, ()),
    (ndindex_args, (2, -1, 3)),
    (enumerate_flat, (make_2d("T"),)),
    (enumerate_flat, (make_1d("empty"),)),
    (enumerate_flat_start, (make_2d("both_reversed"), 5)),
    (enumerate_flat_start, (make_2d("F"), -3)),
    (enumerate_ndindex, (3, 4)),
    (zip_flat_nditer, (make_2d("C"), make_2d("F"))),
    (zip_flat_nditer, (make_2d("T"), make_1d("reversed"))),
    (zip_flat_nditer, (make_1d("step2"), make_2d("rows_reversed"))),
    (zip_ndenumerate_range, (make_2d("F_sub_reversed"), 9)),
    (zip_ndenumerate_range, (make_3d(), 40)),
    (flat_break_else, (make_2d("T"), 12.25)),
    (flat_break_else, (make_2d("T"), 1000.0)),
    (ndindex_break_else, (3, 4, 7)),
    (ndindex_break_else, (3, 4, 100)),
    (nested_flat, (make_2d("cols_step2"), make_2d("T")[:2, :2])),
    (continue_else_without_break, (make_2d("T"),)),
    (continue_else_without_break, (make_3d(order="F")[:, ::-1],)),
    (continue_else_without_break, (make_2d("empty_3x0"),)),
    (nditer_item_fold, (make_2d("T"),)),
    (nditer_item_fold, (make_2d("F_sub_reversed", np.float32),)),
    (nditer_item_fold, (make_2d("both_reversed", np.int16),)),
    (nditer_item_fold, (make_3d(np.complex64, "F"),)),
], ids=lambda v: v.__name__ if callable(v) else "")
def test_loops(func, args):
    check_reading(func, *args, exc_msg=True)


# --- 0-d arrays (made inside compiled code: a 0-d argument arrives as a scalar) ----------------------

def zero_d_loops(x):
    z = np.empty(())
    z[()] = x
    s = 0.0
    n = 0
    for v in z.flat:
        s += v
        n += 1
    for idx, v in np.ndenumerate(z):
        s = s * 3 + v + len(idx)
        n += 1
    for v in np.nditer(z):
        s = s * 3 + v
        n += 1
    return s, n, z.flat[0], z.flat[-1], len(z.flat)


def zero_d_flat_out_of_range(x):
    z = np.empty(())
    z[()] = x
    return z.flat[1]


@pytest.mark.parametrize("func, x", [(zero_d_loops, 2.5), (zero_d_loops, -1.0), (zero_d_flat_out_of_range, 1.0)],
                         ids=["loops", "loops_negative", "out_of_range"])
def test_zero_d(func, x):
    check_reading(func, x)


# --- a.flat[i], a.flat[i] = v, len(a.flat) ----------------------------------------------------------

def flat_get(a, i):
    return a.flat[i]


def flat_set(a, i, v):
    a.flat[i] = v
    return len(a.flat)


def flat_set_loop(a):
    for k in range(len(a.flat)):
        a.flat[k] = k * 2 + 1
    return a.sum()


GET_CASES = [(n, i) for n in ["C", "F", "T", "both_reversed", "cols_step2", "F_sub_reversed"] for i in [0, 5, -1, -11, 11]]


@pytest.mark.parametrize("name, i", GET_CASES, ids=[f"{n}-{i}" for n, i in GET_CASES])
def test_flat_get(name, i):
    check_reading(flat_get, make_2d(name)[:, :3], i)


@pytest.mark.parametrize("make, i", [
    (lambda: make_2d("T"), 24), (lambda: make_2d("T"), -25), (lambda: make_1d("reversed"), 12),
    (lambda: make_1d("empty"), 0), (lambda: make_2d("empty_3x0"), -1), (lambda: make_3d(), 100),
], ids=["T_24", "T_minus_25", "1d_12", "empty_0", "empty_minus_1", "3d_100"])
def test_flat_get_out_of_range_raises_numpys_index_error(make, i):
    check_arrays(flat_get, make(), i, exc_msg=True)


@pytest.mark.parametrize("dtype", ALL_DTYPES, ids=dtype_id)
@pytest.mark.parametrize("name, i", [("C", 7), ("T", 7), ("F_sub_reversed", -2), ("rows_reversed", 0)])
def test_flat_get_and_set_dtypes(dtype, name, i):
    check_arrays(flat_get, make_2d(name, dtype), i)
    check_arrays(flat_set, make_2d(name, dtype), i, values(3, dtype)[2].item())


@pytest.mark.parametrize("name", ["C", "F", "T", "both_reversed", "empty_0x3"])
def test_flat_set_loop(name):
    check_arrays(flat_set_loop, make_2d(name))
    check_arrays(flat_set_loop, make_3d(order="F")[:, ::-1])


@pytest.mark.parametrize("i", [24, -25])
def test_flat_set_out_of_range_raises_numpys_index_error(i):
    a = make_2d("T")
    check_arrays(flat_set, a, i, 1.0, exc_msg=True)
    assert (a == make_2d("T")).all()


# --- errors at compile time ----------------------------------------------------------------------

def nditer_two_operands(a):
    s = 0.0
    for x in np.nditer((a, a)):
        s += x
    return s


def nditer_flags(a):
    s = 0.0
    for x in np.nditer(a, flags=("multi_index",)):
        s += x
    return s


def nditer_order(a):
    s = 0.0
    for x in np.nditer(a, order="C"):
        s += x
    return s


def nditer_outside_for(a):
    it = np.nditer(a)
    return 0


def ndindex_float(a):
    c = 0
    for idx in np.ndindex(2.5, 3):
        c += 1
    return c


def ndenumerate_scalar(a):
    c = 0
    for idx, x in np.ndenumerate(a[0]):
        c += 1
    return c


def flat_as_value(a):
    f = a.flat
    return 0


def flat_slice(a):
    return a.flat[1:3]


def flat_float_index(a):
    return a.flat[1.5]


def flat_store_readonly(a):
    a.flat[0] = 1.0
    return 0


def iterate_0d(a):
    z = np.zeros(())
    s = 0.0
    for x in z:
        s += x
    return s


@pytest.mark.parametrize("func, error, message", [
    (nditer_two_operands, ferrojit.errors.UnsupportedError, "several operands"),
    (nditer_flags, ferrojit.errors.UnsupportedError, r"nditer\(flags=\.\.\.\)` is not supported"),
    (nditer_order, ferrojit.errors.UnsupportedError, r"nditer\(order=\.\.\.\)` is not supported"),
    (nditer_outside_for, ferrojit.errors.UnsupportedError, "only supported as the iterable of a `for` loop"),
    (ndindex_float, ferrojit.errors.TypingError, "integer dimensions"),
    (ndenumerate_scalar, ferrojit.errors.TypingError, "needs an array"),
    (flat_as_value, ferrojit.errors.UnsupportedError, "`a.flat` is supported"),
    (flat_slice, ferrojit.errors.UnsupportedError, "one integer index"),
    (flat_float_index, ferrojit.errors.TypingError, "must be integers"),
    (iterate_0d, ferrojit.errors.TypingError, "iteration over a 0-d array"),
], ids=lambda v: v.__name__ if callable(v) else "")
def test_compile_errors_name_the_line(func, error, message):
    with pytest.raises(error, match=message) as info:
        ferrojit.njit(func)(np.arange(6.0))
    text = str(info.value)
    assert "test_array_iteration.py" in text
    assert f"line {func.__code__.co_firstlineno}" not in text  # the loop's line, not the def's
    assert "line " in text


def test_store_into_readonly_array_through_flat_is_a_typing_error():
    a = np.arange(6.0)
    a.setflags(write=False)
    with pytest.raises(ferrojit.errors.TypingError, match="read-only"):
        ferrojit.njit(flat_store_readonly)(a)


def test_nditer_of_unsupported_memory_order_raises():
    # Axes (1, 0, 2) of a C array: neither C nor Fortran order in memory. NumPy reorders the
    # axes to (1, 0, 2) order; compiled code refuses rather than give another order.
    a = make_3d().transpose(1, 0, 2)
    with pytest.raises(NotImplementedError, match="neither C nor Fortran"):
        ferrojit.njit(nditer_fold)(a)


# --- memory ------------------------------------------------------------------------------------------

def raise_midway(a, stop):
    s = 0.0
    for idx, x in np.ndenumerate(a):
        for y in np.nditer(a.T):
            s += x * y
            if s > stop:
                raise ValueError("stop")
    for k, x in enumerate(a.flat):
        if k == stop:
            raise IndexError("stop")
    return s


def views_in_loops(a):
    s = 0.0
    for x in (a + 1.0).flat:
        s += x
    for x in np.nditer(a[::-1, ::2]):
        s += x
    for x in np.nditer(a.T.copy()):
        s += x
    for row in a.T:
        for x in row:
            s += x
    return s


@pytest.mark.parametrize("func, args, exc", [
    (raise_midway, (make_2d("F"), 500.0), ValueError),
    (raise_midway, (make_2d("T"), 1e300), None),
    (views_in_loops, (make_2d("C"),), None),
    (views_in_loops, (make_2d("F_sub_reversed"),), None),
    (zero_d_flat_out_of_range, (2.0,), IndexError),
], ids=["raises_in_nested_loop", "completes", "views_C", "views_strided", "zero_d_raises"])
def test_no_memory_held_after_calls(func, args, exc):
    cfunc = ferrojit.njit(func)
    check_reading(func, *args)
    gc.collect()
    live0 = _native.live_allocations()
    for _ in range(200):
        try:
            cfunc(*args)
        except Exception as e:  # noqa: BLE001 - the expected exception only
            assert exc is not None and isinstance(e, exc)
    gc.collect()
    assert _native.live_allocations() == live0


# --- .item() gives Python's scalar, as in NumPy --------------------------------------------------

def item_arithmetic(a):
    # A Python float (float64) or int (int64): NumPy computes in those, not in the dtype.
    return a.item() * 0.1 + a.item() * 200


def nditer_item_arithmetic(a):
    s = 0.0
    for x in np.nditer(a):
        s += x.item() * 0.1 + x.item() * 200
    return s


@pytest.mark.parametrize("func", [item_arithmetic, nditer_item_arithmetic], ids=lambda f: f.__name__)
@pytest.mark.parametrize("value, dtype", [(1.1, np.float32), (100, np.int8), (250, np.uint8), (3, np.int16), (True, np.bool_)],
                         ids=["float32", "int8", "uint8", "int16", "bool"])
def test_item_is_a_python_scalar(func, value, dtype):
    check_reading(func, np.array([value], dtype=dtype))
