"""Tuples in compiled code against CPython: `for` loops over tuples (also inside `enumerate`,
`zip` and `reversed`), `literal_unroll` over heterogeneous tuples, run-time indexing, slicing,
`+`, `*`, `in`, `index`, `count`, ordering and equality, `len`, `min`, `max` and `sum`, with
CPython's exceptions and messages; the typing errors that name what to write instead.

Each row is a plain Python function and its arguments: compiled with ``ferrojit.njit`` and run
as plain Python, the results must have the same type and value (``helpers.check``)."""
import numpy as np
import pytest

import ferrojit
import ferrojit.errors
from ferrojit import _native, literal_unroll
from helpers import assert_same_value, case_id, check, check_arrays

# --- for loops over homogeneous tuples ---------------------------------------------------------


def loop_literal():
    total = 0
    for b in (-7, -3, 2, 5):
        total = total * 10 + b
    return total


def loop_sum(t):
    total = 0
    for x in t:
        total += x
    return total


def loop_float_sum(t):
    total = 0.0
    for x in t:
        total += x
    return total


def loop_last(t):
    last = 0
    for x in t:
        last = x
    return last


def loop_break_else(t, stop):
    seen = 0
    for x in t:
        if x == stop:
            break
        seen += 1
    else:
        seen = -1
    return seen


def loop_continue(t):
    total = 0
    for x in t:
        if x % 2 == 0:
            continue
        total += x
    return total


def loop_nested_tuples(t):
    total = 0
    for a, b in t:
        total += a * b
    return total


def loop_tuple_items(t):
    out = (0, 0)
    for pair in t:
        out = (out[0] + pair[0], out[1] - pair[1])
    return out


def loop_nested_loops(t):
    total = 0
    for x in t:
        for y in t:
            total += x * y
    return total


def loop_global():
    total = 0
    for x in PRIMES:
        total += x
    return total


PRIMES = (2, 3, 5, 7, 11)


def loop_enumerate(t):
    total = 0
    for i, x in enumerate(t):
        total += i * x
    return total


def loop_enumerate_start(t):
    out = (0, 0.0)
    for i, x in enumerate(t, 10):
        out = (i, x)
    return out


def loop_zip_tuples(a, b):
    total = 0
    for x, y in zip(a, b):
        total += x * y
    return total


def loop_zip_range(t):
    total = 0
    for i, x in zip(range(100), t):
        total += i * x
    return total


def loop_reversed(t):
    total = 0
    for x in reversed(t):
        total = total * 10 + x
    return total


def loop_reversed_enumerate(t):
    total = 0
    for i, x in enumerate(reversed(t)):
        total += i * x
    return total


def loop_empty():
    count = 0
    for x in ():
        count += 1
    else:
        count -= 1
    return count


def loop_bools(t):
    count = 0
    for b in t:
        if b:
            count += 1
    return count


def loop_complex(t):
    total = 0j
    for z in t:
        total += z * z
    return total


LOOPS = [
    (loop_literal, ()),
    (loop_sum, ((1, 2, 3, 4),)),
    (loop_sum, ((5,),)),
    (loop_sum, ((1.5, -2.25, 4.0),)),
    # Items of number types unify, as in Numba: 1 and 2.5 are two float64.
    (loop_float_sum, ((1, 2.5, True),)),
    (loop_last, ((4, 5, 6),)),
    (loop_break_else, ((4, 5, 6), 5)),
    (loop_break_else, ((4, 5, 6), 9)),
    (loop_continue, ((1, 2, 3, 4, 5),)),
    (loop_nested_tuples, (((1, 2), (3, 4), (5, 6)),)),
    (loop_tuple_items, (((1, 2), (3, 4)),)),
    (loop_nested_loops, ((1, 2, 3),)),
    (loop_global, ()),
    (loop_enumerate, ((7, 8, 9),)),
    (loop_enumerate_start, ((7.5, 8.5),)),
    (loop_zip_tuples, ((1, 2, 3), (4, 5))),
    (loop_zip_range, ((3, 4, 5),)),
    (loop_reversed, ((1, 2, 3),)),
    (loop_reversed_enumerate, ((1, 2, 3),)),
    (loop_empty, ()),
    (loop_bools, ((True, False, True),)),
    (loop_complex, ((1j, 2 + 1j),)),
]


@pytest.mark.parametrize("func, args", LOOPS, ids=case_id)
def test_loops(func, args):
    check(func, *args)


def loop_arrays(t):
    total = 0.0
    for a in t:
        total += a.sum()
    return total


def loop_arrays_collect(t, out):
    for i, a in enumerate(t):
        out[i] = a[0]
    return out


def loop_zip_array(t, a):
    total = 0.0
    for x, y in zip(t, a):
        total += x * y
    return total


A3 = np.arange(3.0)


ARRAY_LOOPS = [
    (loop_arrays, ((np.arange(3.0), np.ones(4)),)),
    # A C-contiguous array and a strided view unify to one array type of layout A.
    (loop_arrays, ((np.arange(3.0), np.ones((2, 3))[:, 0]),)),
    (loop_arrays_collect, ((np.arange(3.0), np.arange(5.0, 8.0)), np.zeros(2))),
    (loop_zip_array, ((1.5, 2.5, 3.5, 4.5), np.arange(3.0))),
]


@pytest.mark.parametrize("func, args", ARRAY_LOOPS, ids=case_id)
def test_array_loops(func, args):
    check_arrays(func, *args)


# --- literal_unroll ----------------------------------------------------------------------------


def unroll_sum(t):
    total = 0.0
    for x in literal_unroll(t):
        total += x
    return total


def unroll_arrays(t):
    total = 0.0
    count = 0
    for x in literal_unroll(t):
        total += x.sum()
        count += 1
    return total, count


def unroll_break(t, stop):
    seen = 0
    for x in literal_unroll(t):
        if seen == stop:
            break
        seen += 1
    else:
        seen = -1
    return seen


def unroll_continue(t):
    count = 0
    for x in literal_unroll(t):
        if count == 1:
            count += 10
            continue
        count += 1
    return count


def unroll_pairs(t):
    total = 0j
    for a, b in literal_unroll(t):
        total += a * b
    return total


def unroll_nested(t):
    total = 0j
    for x in literal_unroll(t):
        for y in literal_unroll(t):
            total += x * y
    return total


def unroll_lengths(t):
    total = 0
    for item in literal_unroll(t):
        total += len(item)
    return total


def unroll_homogeneous(t):
    out = (0, 0)
    for x in literal_unroll(t):
        out = (out[1], x)
    return out


def unroll_range(n):
    total = 0
    for x in literal_unroll(range(n)):
        total += x
    return total


def unroll_module_attribute(t):
    count = 0
    for x in ferrojit.literal_unroll(t):
        count += 1
    return count


def unroll_as_numba(t):
    count = 0
    for x in numba.literal_unroll(t):
        count += 1
    return count


numba = ferrojit  # `import ferrojit as numba`


UNROLLED = [
    (unroll_sum, ((1, 2.5, True),)),
    (unroll_break, ((1, 2.0, 3j, (4, 5)), 2)),
    (unroll_break, ((1, 2.0, 3j, (4, 5)), 9)),
    (unroll_continue, ((1, 2.0, 3j),)),
    (unroll_pairs, (((1, 2.5), (3j, 2), (True, 4)),)),
    (unroll_nested, ((1, 2.5, 3j),)),
    (unroll_lengths, (((1, 2), (3,), (), (4.5, 5j, 6)),)),
    (unroll_homogeneous, ((1, 2, 3),)),
    (unroll_range, (5,)),
    (unroll_module_attribute, ((1, (2,), 3.5),)),
    (unroll_as_numba, ((1, (2,), 3.5),)),
]


@pytest.mark.parametrize("func, args", UNROLLED, ids=case_id)
def test_literal_unroll(func, args):
    check(func, *args)


def test_literal_unroll_arrays():
    t = (np.arange(3.0), np.int64(2), np.float32(1.5), np.ones((2, 2), np.int32))
    check_arrays(unroll_arrays, t)


def test_literal_unroll_is_the_identity_in_python():
    t = (1, "a", None)
    assert literal_unroll(t) is t


# --- indexing and slicing ----------------------------------------------------------------------


def item(t, i):
    return t[i]


def item_in_loop(t):
    total = 0
    for i in range(len(t)):
        total = total * 10 + t[i]
    return total


def slices(t):
    return t[1:], t[:-1], t[::2], t[::-1], t[-2::-2], t[5:], t[1:2]


INDEXING = [
    (item, ((10, 20, 30), 0)),
    (item, ((10, 20, 30), 2)),
    (item, ((10, 20, 30), -1)),
    (item, ((10, 20, 30), -3)),
    (item, ((1.5, 2.5), 1)),
    (item, (((1, 2), (3, 4)), 1)),
    (item, ((10, 20, 30), 3)),
    (item, ((10, 20, 30), -4)),
    (item_in_loop, ((1, 2, 3),)),
    (slices, ((1, 2, 3, 4),)),
    (slices, ((1, 2.5, True, 4j),)),
    (slices, ((),)),
]


@pytest.mark.parametrize("func, args", INDEXING, ids=case_id)
def test_indexing(func, args):
    check(func, *args, exc_msg=True)


def item_of_arrays(t, i):
    return t[i]


def test_indexing_arrays():
    check_arrays(item_of_arrays, (np.arange(3.0), np.ones(3)), 1)
    check_arrays(item_of_arrays, (np.arange(3.0), np.ones(3)), -1)


# --- operators ---------------------------------------------------------------------------------


def concat(a, b):
    return a + b


def concat_literal(t):
    return (0,) + t + (9.5,)


def repeat(t):
    return t * 3, 2 * t, t * 1, t * 0, t * -2, () * 5


def repeat_global(t):
    return t * TIMES


TIMES = 2


def contains(t, x):
    return x in t, x not in t


def contains_nested(t):
    return (1, 2) in t, 3 in t, (3,) in t


def compare_all(a, b):
    return a < b, a <= b, a > b, a >= b, a == b, a != b


def equality(a, b):
    return a == b, a != b


def compare_chained(a, b, c):
    return a < b < c, a <= b >= c


OPERATORS = [
    (concat, ((1, 2), (3, 4.5))),
    (concat, ((), (1,))),
    (concat, (((1, 2),), ((3,),))),
    (concat_literal, ((1, 2),)),
    (repeat, ((1, 2.5),)),
    (repeat, ((),)),
    (repeat_global, ((7, 8),)),
    (contains, ((1, 2, 3), 2)),
    (contains, ((1, 2, 3), 5)),
    (contains, ((1.5, 2.5), 2.5)),
    (contains, ((1, 2), 2.0)),
    (contains, ((), 1)),
    (contains_nested, (((1, 2), 3),)),
    (contains_nested, ((4, (1, 2.0)),)),
    (compare_all, ((1, 2, 3), (1, 2, 3))),
    (compare_all, ((1, 2, 3), (1, 2, 4))),
    (compare_all, ((1, 2, 3), (1, 2))),
    (compare_all, ((1, 2), (1, 2, 0))),
    (compare_all, ((2,), (1, 9, 9))),
    (compare_all, ((), ())),
    (compare_all, ((), (0,))),
    (compare_all, ((1, 2.5), (1, 2))),
    (compare_all, ((1.0, -0.0), (1, 0))),
    (compare_all, ((True, 2), (1, 3))),
    (compare_all, (((1, 2), 3), ((1, 3), 0))),
    (compare_all, (((1, 2), 3), ((1, 2), 3))),
    (compare_all, ((1, 2, 3), (1.5,))),
    # `None` items equal each other and are never ordered; a tuple never equals a number.
    (compare_all, ((None, 1), (None, 2))),
    (compare_all, ((1, None), (1, None))),
    (equality, ((1, (2,)), (1, 2))),
    (equality, ((1, (2,)), (1, (2.0,)))),
    (contains, ((1, None), None)),
    (contains, ((1, 2), None)),
    (compare_chained, ((1, 2), (1, 3), (2,))),
    (compare_chained, ((1, 2), (1, 2), (0, 5))),
]


@pytest.mark.parametrize("func, args", OPERATORS, ids=case_id)
def test_operators(func, args):
    check(func, *args)


# --- methods and built-ins ---------------------------------------------------------------------


def index(t, x):
    return t.index(x)


def index_from(t, x, start):
    return t.index(x, start)


def index_between(t, x, start, stop):
    return t.index(x, start, stop)


def count(t, x):
    return t.count(x)


def length(t):
    return len(t)


def smallest_largest(t):
    return min(t), max(t)


def total(t):
    return sum(t)


def total_from(t, start):
    return sum(t, start)


def total_literal_start(t):
    return sum(t, 10), sum(t, 0.5), sum((), 3), sum(t, start=1)


def total_of_tuples(t):
    return sum(t, ())


METHODS = [
    (index, ((4, 5, 6, 5), 5)),
    (index, ((4, 5, 6), 6)),
    (index, ((1.5, 2.5), 2)),
    (index, (((1, 2), 3, (1, 2)), 3)),
    (index, ((4, 5, 6), 7)),
    (index, ((), 7)),
    (index_from, ((5, 1, 5, 1), 5, 1)),
    (index_from, ((5, 1, 5, 1), 1, -1)),
    (index_from, ((5, 1, 5, 1), 5, -10)),
    (index_from, ((5, 1, 5, 1), 5, 3)),
    (index_from, ((5, 1, 5, 1), 5, 10)),
    (index_between, ((5, 1, 5, 1), 1, 0, 2)),
    (index_between, ((5, 1, 5, 1), 1, 2, -1)),
    (index_between, ((5, 1, 5, 1), 1, -3, -2)),
    (index_between, ((5, 1, 5, 1), 1, 2, 3)),
    (index_between, ((5, 1, 5, 1), 5, 0, 100)),
    (index_between, ((5, 1, 5, 1), 5, 3, 1)),
    (count, ((1, 2, 1, 1), 1)),
    (count, ((1, 2, 1, 1), 3)),
    (count, ((1.0, 2, True), 1)),
    (count, (((1, 2), 3, (1, 2)), (1, 2))),
    (count, ((), 0)),
    (length, ((1, 2.5, (3, 4)),)),
    (length, ((),)),
    (smallest_largest, ((3, -1, 7, 2),)),
    (smallest_largest, ((2.5, -0.5),)),
    (total, ((1, 2, 3),)),
    (total, ((0.5, 0.25, 2.0),)),
    (total, ((1, 2.5, True),)),
    (total, ((True, True, False),)),
    (total, ((1j, 2, 0.5),)),
    (total, ((),)),
    (total_from, ((1, 2, 3), 100)),
    (total_from, ((1, 2, 3), 0.5)),
    (total_literal_start, ((1, 2, 3),)),
    (total_of_tuples, (((1,), (2.5, 3)),)),
]


@pytest.mark.parametrize("func, args", METHODS, ids=case_id)
def test_methods(func, args):
    check(func, *args, exc_msg=True)


# --- errors when compiling ---------------------------------------------------------------------


def loop_heterogeneous(t):
    count = 0
    for x in t:
        count += 1
    return count


def index_heterogeneous(t, i):
    return t[i]


def repeat_variable(t, n):
    return t * n


def repeat_float(t):
    return t * 2.0


def unroll_reassigned(t):
    for x in literal_unroll(t):
        x = 1.5
    return 0


def unroll_outside_loop(t):
    u = literal_unroll(t)
    return u


def reversed_set(a):
    total = 0.0
    for x in reversed({a[0], a[1]}):
        total += x
    return total


def sum_array(a):
    return sum(a)


COMPILE_ERRORS = [
    (loop_heterogeneous, ((1, np.arange(3)),), ferrojit.errors.TypingError, r"no common type(.|\n)*literal_unroll"),
    (loop_heterogeneous, (((1, 2), (3,)),), ferrojit.errors.TypingError, r"no common type(.|\n)*literal_unroll"),
    (index_heterogeneous, ((1, (2, 3)), 0), ferrojit.errors.TypingError, r"constant integers(.|\n)*literal_unroll"),
    (repeat_variable, ((1, 2), 3), ferrojit.errors.UnsupportedError, r"constant number of times"),
    (repeat_float, ((1, 2),), ferrojit.errors.TypingError, r"can't multiply sequence by non-int of type `float64`"),
    (unroll_reassigned, ((1, 2),), ferrojit.errors.TypingError, r"loop variable `x` of `literal_unroll`"),
    (unroll_outside_loop, ((1, 2),), ferrojit.errors.UnsupportedError, r"only supported as the iterable of a `for` loop"),
    (reversed_set, (np.arange(3.0),), ferrojit.errors.TypingError, r"a `set\(float64\)` is not reversible"),
    (sum_array, (np.arange(3.0),), ferrojit.errors.UnsupportedError, r"`sum\(\)` of a `array(.|\n)*a\.sum\(\)"),
]


@pytest.mark.parametrize("func, args, error, message", COMPILE_ERRORS, ids=case_id)
def test_compile_errors(func, args, error, message):
    with pytest.raises(error, match=message):
        ferrojit.njit(func)(*args)


# --- ownership: arrays held by tuples ----------------------------------------------------------


def unroll_new_arrays(t):
    r = np.zeros(3)
    for x in literal_unroll(t):
        r = r + x
    return r


def loop_new_arrays(t):
    r = np.zeros(3)
    for x in t:
        r = r + x * 2.0
    return r


def pick_array(t, i):
    return t[i] + 1.0


@pytest.mark.parametrize(
    "func, args",
    [
        (unroll_new_arrays, ((np.ones(3), 2, np.arange(3.0)),)),
        (loop_new_arrays, ((np.ones(3), np.arange(3.0)),)),
        (pick_array, ((np.ones(3), np.arange(3.0)), -1)),
        (item_of_arrays, ((np.ones(3), np.arange(3.0)), 0)),
    ],
    ids=case_id,
)
def test_no_leaks(func, args):
    cfunc = ferrojit.njit(func)
    expected = func(*args)
    assert_same_value(cfunc(*args), expected)
    before = _native.live_allocations()
    for _ in range(200):
        assert_same_value(cfunc(*args), expected)
    assert _native.live_allocations() == before


def last_of_mixed(t):
    return t[len(t) - 1], t[-len(t)]


def shape_item(a, i):
    return a.shape[i]


def test_length_is_a_constant_index():
    # `len(t)` of a tuple held in a variable is a constant, so it indexes heterogeneous tuples.
    check(last_of_mixed, (1, 2.5, (3,)))
    check_arrays(shape_item, np.ones((2, 3, 4)), 1)
    check_arrays(shape_item, np.ones((2, 3, 4)), -3)
