"""Ownership of arrays in compiled code (the IR's ownership pass): every reference taken is
dropped on every path (loops that reassign, arrays in tuples, early returns, exceptions raised
midway through an expression, views of temporaries), and nothing is dropped too early. Each
row runs the compiled function many times, compares every result with CPython/NumPy's, and
checks that ferrojit's count of live allocations comes back to where it was."""
import gc

import numpy as np
import pytest

import ferrojit
from ferrojit import _native
from helpers import assert_same_array

njit = ferrojit.njit


@njit
def pair(n):
    return np.zeros(n), np.arange(n * 1.0)


@njit
def identity(a):
    return a


@njit
def reassign_in_loop(n):
    a = np.zeros(n)
    for i in range(5):
        a = a + i
    return a


@njit
def reverse_in_loop(n):
    a = np.arange(n * 1.0)
    for _ in range(3):
        a = a[::-1]
    return a


@njit
def reverse_once(n):
    a = np.arange(n * 1.0)
    a = a[::-1]
    return a


@njit
def while_reassigns(n):
    a = np.ones(n)
    k = 0
    while a.sum() < 100.0:
        a = a * 2.0
        k += 1
    return a, k


@njit
def tuple_unpacked(n):
    x, y = pair(n)
    return x + y


@njit
def tuple_unpacked_in_loop(n):
    s = 0.0
    for i in range(n):
        x, y = pair(i + 1)
        s += x.sum() + y.sum()
    return s


@njit
def tuple_kept_whole(n):
    t = pair(n)
    for _ in range(3):
        t = (t[1], t[0])
    return t


@njit
def tuple_of_new_and_borrowed(a):
    return np.ones(3), a, (a[1:], np.zeros(2))


@njit
def early_return_in_loop(n, stop):
    for i in range(n):
        b = np.ones(3) * i
        if i == stop:
            return b
    return np.zeros(3)


@njit
def break_after_reassign(n, stop):
    b = np.zeros(2)
    for i in range(n):
        b = np.full(2, i * 1.0)
        if i == stop:
            break
    return b


@njit
def raise_midway(n):
    a = np.ones(3)
    for i in range(4):
        a = a + 1.0
        if i == n:
            raise ValueError("stop")
    return a


@njit
def broadcast_fails_midway(n):
    a = np.ones(3)
    b = (a + np.arange(n * 1.0)) * 2.0
    return b


@njit(boundscheck=True)
def index_fails_inside_call_argument(i):
    a = np.arange(4.0)
    return identity(a * 2.0)[i]


@njit
def view_of_temporary(a, b):
    v = (a + b)[1:]
    return v


@njit
def view_of_temporary_reduced(a, b):
    return (a + b)[1:].sum() + (a * b)[::2].sum()


@njit
def parameter_reassigned(a):
    a = a * 2.0
    a = a[1:]
    return a


@njit
def parameter_reversed(a):
    for _ in range(3):
        a = a[::-1]
    return a


@njit
def call_result_as_argument(n):
    return identity(identity(np.arange(n * 1.0))[1:])


@njit
def temporaries_in_condition(n):
    k = 0
    while np.ones(3).sum() * k < n:
        k += 1
    return k


@njit
def views_of_rows(x):
    s = 0.0
    for i in range(x.shape[0]):
        r = x[i]
        s += identity(r).sum()
    return s


def _both(func, args):
    """The compiled result and CPython's, or the exception types both raised."""
    try:
        expected = func.py_func(*args)
    except Exception as e:  # noqa: BLE001 - compared with the compiled one below
        with pytest.raises(type(e)):
            func(*args)
        return None, None
    return func(*args), expected


def _assert_same(got, expected):
    if isinstance(expected, tuple):
        assert isinstance(got, tuple) and len(got) == len(expected)
        for g, e in zip(got, expected):
            _assert_same(g, e)
    elif isinstance(expected, np.ndarray):
        assert_same_array(got, expected)
    else:
        # NumPy scalars come back as Python numbers, as from Numba.
        if isinstance(expected, np.generic):
            expected = expected.item()
        assert type(got) is type(expected) and got == expected


A = np.arange(5.0)
B = np.arange(5.0) * 3.0
X = np.arange(12.0).reshape(4, 3)

CASES = [
    ("reassign_in_loop", reassign_in_loop, (4,)),
    ("reverse_in_loop", reverse_in_loop, (5,)),
    ("reverse_once", reverse_once, (5,)),
    ("while_reassigns", while_reassigns, (3,)),
    ("tuple_unpacked", tuple_unpacked, (4,)),
    ("tuple_unpacked_in_loop", tuple_unpacked_in_loop, (5,)),
    ("tuple_kept_whole", tuple_kept_whole, (3,)),
    ("tuple_of_new_and_borrowed", tuple_of_new_and_borrowed, (A,)),
    ("early_return_in_loop", early_return_in_loop, (6, 2)),
    ("early_return_never_taken", early_return_in_loop, (3, 7)),
    ("break_after_reassign", break_after_reassign, (6, 3)),
    ("raise_midway", raise_midway, (2,)),
    ("raise_never", raise_midway, (9,)),
    ("broadcast_fails_midway", broadcast_fails_midway, (4,)),
    ("broadcast_succeeds", broadcast_fails_midway, (3,)),
    ("index_fails_inside_call_argument", index_fails_inside_call_argument, (9,)),
    ("index_inside_call_argument", index_fails_inside_call_argument, (3,)),
    ("view_of_temporary", view_of_temporary, (A, B)),
    ("view_of_temporary_reduced", view_of_temporary_reduced, (A, B)),
    ("parameter_reassigned", parameter_reassigned, (A,)),
    ("parameter_reversed", parameter_reversed, (A,)),
    ("call_result_as_argument", call_result_as_argument, (4,)),
    ("temporaries_in_condition", temporaries_in_condition, (10,)),
    ("views_of_rows", views_of_rows, (X,)),
]


@pytest.mark.parametrize("func, args", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_results_match_and_nothing_leaks(func, args):
    got, expected = _both(func, args)  # compiles
    _assert_same(got, expected)
    del got
    gc.collect()
    live0 = _native.live_allocations()
    for _ in range(300):
        # CPython's result may hold arrays of compiled callees (`pair`) too.
        got, again = _both(func, args)
        _assert_same(got, expected)
        del got, again
    gc.collect()
    assert _native.live_allocations() == live0


@pytest.mark.parametrize("func, args", [
    (reverse_in_loop, (6,)), (reverse_once, (6,)), (parameter_reversed, (np.arange(6.0),)),
    (view_of_temporary, (A, B)), (tuple_kept_whole, (4,)),
], ids=["reverse_in_loop", "reverse_once", "parameter_reversed", "view_of_temporary", "tuple_kept_whole"])
def test_returned_views_keep_their_memory(func, args):
    got = func(*args)
    expected = func.py_func(*args)
    gc.collect()
    # Reuse the memory of anything freed too early.
    junk = [np.full(8, -1.0) for _ in range(200)]
    _assert_same(got, expected)
    del junk, got
    gc.collect()
