"""Lists in compiled code, against CPython: displays, indexing, item assignment, iteration,
`len`, truth and the list methods, on lists made inside and lists passed in (reflected: the
caller's list sees the changes, as with Numba's reflected lists), with CPython's exceptions;
and memory: nothing leaks on any path.

Each row of a table is a function of lists; it runs on fresh copies of the arguments as plain
Python and compiled, and both the results and the arguments afterwards must be the same (type
and value, recursively)."""
import copy
import random

import numpy as np
import pytest

import ferrojit
from ferrojit import _native
from helpers import assert_same, case_id, to_python


def run_both(pyfunc, *args, exc_msg=True):
    """Runs `pyfunc` plain and compiled on deep copies of `args`; asserts the same result or the
    same exception (class and message), and the same arguments afterwards (reflection)."""
    cfunc = ferrojit.njit(pyfunc)
    py_args, c_args = copy.deepcopy(args), copy.deepcopy(args)
    try:
        expected = pyfunc(*py_args)
    except Exception as exc:  # noqa: BLE001 - the compiled function must raise the same
        with pytest.raises(type(exc)) as info:
            cfunc(*c_args)
        if exc_msg:
            assert str(info.value) == str(exc)
        assert_same(list(c_args), list(py_args), where="arguments after the exception")
        return info.value
    got = cfunc(*c_args)
    # Compiled code boxes NumPy scalars as Python numbers (as Numba does).
    assert_same(got, to_python(expected))
    assert_same(list(c_args), to_python(list(py_args)), where="arguments after the call")
    return got


RNG = random.Random(5)

# ---- functions of the tables ---


def comprehensions(n, a):
    x = 100
    squares = [x * x for x in range(n)]
    evens = [i for i in range(n) if i % 2 == 0 if i > 0]
    pairs = [(i, j) for i in range(n) for j in range(i)]
    nested = [[j for j in range(i)] for i in range(n)]
    scaled = [v * 2.0 for v in a]
    return squares, evens, pairs, nested, scaled, x


def generator_consumers(a):
    return sum(v for v in a), any(v > 2 for v in a), all(v > 0 for v in a), sorted(-v for v in a), max(v for v in a), min(v * v for v in a)


def tuple_builtins(t):
    return sorted(t), sorted(t, reverse=True), list(t), any(t), all(t)


def comprehension_of_nothing(n):
    return [i * 0.5 for i in range(n)]


def build_append(n):
    out = []
    for i in range(n):
        out.append(i * i)
    return out


def build_floats(n):
    out = []
    for i in range(n):
        out.append(i / 2)
    return out


def display_ints():
    return [1, 2, 3]


def display_unified():
    return [1, 2.5, True]


def display_of_arrays(n):
    return [np.zeros(n), np.ones(n)]


def display_nested():
    a = [[1, 2], [3], []]
    return a


def empty_then_append(x):
    out = []
    out.append(x)
    out.append(x + x)
    return out


def get_items(lst):
    return lst[0], lst[-1], lst[len(lst) - 1], lst[-len(lst)]


def get_out_of_range(lst, i):
    return lst[i]


def set_items(lst, i, v):
    lst[i] = v
    return lst


def augmented_item(lst):
    lst[0] += 10
    lst[-1] *= 2
    return lst


def length(lst):
    return len(lst)


def truth(lst):
    return 1 if lst else 0


def iterate_sum(lst):
    s = 0
    for x in lst:
        s += x
    return s


def iterate_and_append(lst):
    # CPython reads the length before each item: appended items are visited.
    n = 0
    for x in lst:
        if x < 3:
            lst.append(x + 10)
        n += 1
    return n


def iterate_and_pop(lst):
    seen = 0
    for x in lst:
        lst.pop()
        seen += x
    return seen


def iterate_else(lst, stop):
    for x in lst:
        if x == stop:
            break
    else:
        return -1
    return stop


def append(lst, x):
    lst.append(x)
    return len(lst)


def extend_list(lst, other):
    lst.extend(other)
    return lst


def extend_self(lst):
    lst.extend(lst)
    return lst


def extend_range(lst, n):
    lst.extend(range(n))
    return lst


def extend_array(lst, a):
    lst.extend(a)
    return lst


def insert(lst, i, x):
    lst.insert(i, x)
    return lst


def pop_last(lst):
    return lst.pop()


def pop_at(lst, i):
    return lst.pop(i)


def remove(lst, x):
    lst.remove(x)
    return lst


def index(lst, x):
    return lst.index(x)


def index_from(lst, x, start):
    return lst.index(x, start)


def index_between(lst, x, start, stop):
    return lst.index(x, start, stop)


def count(lst, x):
    return lst.count(x)


def reverse(lst):
    lst.reverse()
    return lst


def copy_then_change(lst):
    c = lst.copy()
    c.append(0)
    c[0] = -5
    return c


def clear(lst):
    lst.clear()
    return len(lst)


def sort(lst):
    lst.sort()
    return lst


def sort_reverse(lst):
    lst.sort(reverse=True)
    return lst


def return_argument(lst):
    lst.append(lst[0])
    return lst


def list_of_arrays_sum(arrays):
    total = 0.0
    for a in arrays:
        total += a.sum()
    return total


def nested_change(lists):
    lists[0].append(9)
    lists[1][0] = -1
    return len(lists)


def swap_items(lists):
    lists[0], lists[1] = lists[1], lists[0]
    return lists


def raise_midway(lst, n):
    for i in range(n):
        lst.append(i)
        if i == 2:
            raise ValueError("stopped")
    return lst


def concat(a, b):
    return a + b


def repeat(a, n):
    return a * n, n * a


def in_place_add(a, b):
    alias = a
    a += b
    return alias


def in_place_repeat(a, n):
    alias = a
    a *= n
    return alias


def contains(a, x):
    return x in a, x not in a


def compare(a, b):
    return a == b, a != b, a < b, a <= b, a > b, a >= b


def get_slice(a, start, stop, step):
    return a[start:stop:step]


def get_slices(a):
    return a[1:], a[:-1], a[::-1], a[::2], a[-3:-1], a[5:1:-2], a[100:], a[:-100]


def set_slice(a, start, stop, step, values):
    a[start:stop:step] = values
    return a


def set_slice_self(a):
    a[1:] = a
    return a


def clear_by_slice(a):
    a[1:] = a[:0]
    return a


def delete_item(a, i):
    del a[i]
    return a


def delete_slice(a, start, stop, step):
    del a[start:stop:step]
    return a


def minimum(a):
    return min(a)


def maximum(a):
    return max(a)


def extremes_of_empty(largest):
    x = [1]
    x.pop()
    return max(x) if largest else min(x)


def total(a):
    return sum(a)


def total_from(a, start):
    return sum(a, start)


def sorted_both(a):
    return sorted(a), sorted(a, reverse=True)


def list_of_list(a):
    b = list(a)
    b.append(a[0])
    return b


def list_then_append(x):
    out = list()
    out.append(x)
    return out


def empty_items():
    return [[1, 2], [], [3]]


FLOATS = [RNG.uniform(-10, 10) for _ in range(300)]
INTS = [RNG.randint(-20, 20) for _ in range(300)]

ROWS = [
    (build_append, (0,)),
    (build_append, (10,)),
    (build_floats, (7,)),
    (display_ints, ()),
    (display_nested, ()),
    (empty_then_append, (2.5,)),
    (empty_then_append, (3,)),
    (get_items, ([4, 5, 6],)),
    (get_items, ([1.5],)),
    (get_out_of_range, ([1, 2, 3], 3)),
    (get_out_of_range, ([1, 2, 3], -4)),
    (get_out_of_range, ([1, 2, 3], -3)),
    (set_items, ([1, 2, 3], 1, 20)),
    (set_items, ([1, 2, 3], -1, 20)),
    (set_items, ([1, 2, 3], 3, 20)),
    (augmented_item, ([1, 2, 3],)),
    (length, ([1, 2, 3],)),
    (truth, ([0],)),
    (iterate_sum, ([1, 2, 3, 4],)),
    (iterate_sum, ([0.5, 0.25],)),
    (iterate_and_append, ([1, 2, 5],)),
    (iterate_and_pop, ([1, 2, 3, 4, 5],)),
    (iterate_else, ([1, 2, 3], 2)),
    (iterate_else, ([1, 2, 3], 7)),
    (append, ([1, 2], 3)),
    (extend_list, ([1, 2], [3, 4])),
    (extend_self, ([1, 2],)),
    (insert, ([1, 2, 3], 0, 9)),
    (insert, ([1, 2, 3], -1, 9)),
    (insert, ([1, 2, 3], -10, 9)),
    (insert, ([1, 2, 3], 10, 9)),
    (insert, ([1, 2, 3], 3, 9)),
    (pop_last, ([1, 2, 3],)),
    (pop_last, ([1],)),
    (pop_at, ([1, 2, 3], 0)),
    (pop_at, ([1, 2, 3], -2)),
    (pop_at, ([1, 2, 3], 3)),
    (pop_at, ([1, 2, 3], -4)),
    (remove, ([1, 2, 3, 2], 2)),
    (remove, ([1, 2, 3], 5)),
    (remove, ([1.5, 2.5], 2.5)),
    (index, ([4, 5, 6, 5], 5)),
    (index_from, ([4, 5, 6, 5], 5, 2)),
    (index_from, ([4, 5, 6, 5], 5, -1)),
    (index_between, ([4, 5, 6, 5], 5, 0, 1)),
    (index_between, ([4, 5, 6, 5], 6, -3, -1)),
    (count, ([1, 2, 1, 1], 1)),
    (count, ([1.0, 2.0], 3.0)),
    (reverse, ([1, 2, 3, 4],)),
    (reverse, ([1, 2, 3],)),
    (copy_then_change, ([1, 2, 3],)),
    (clear, ([1, 2, 3],)),
    (sort, ([3, 1, 2],)),
    (sort, (list(FLOATS),)),
    (sort, (list(INTS),)),
    (sort_reverse, (list(INTS),)),
    (sort_reverse, ([2.5, -1.0, 2.5, 7.0],)),
    (return_argument, ([5, 6],)),
    (nested_change, ([[1, 2], [3]],)),
    (swap_items, ([[1, 2], [3]],)),
    (raise_midway, ([0], 5)),
    (concat, ([1, 2], [3])),
    (concat, ([2.5], [3.5])),
    (repeat, ([1, 2], 3)),
    (repeat, ([1, 2], -1)),
    (in_place_add, ([1, 2], [3, 4])),
    (in_place_repeat, ([1, 2], 3)),
    (in_place_repeat, ([1, 2], 0)),
    (contains, ([1, 2, 3], 2)),
    (contains, ([1.5, 2.5], 3.0)),
    (compare, ([1, 2], [1, 2])),
    (compare, ([1, 2], [1, 3])),
    (compare, ([1, 2], [1, 2, 0])),
    (compare, ([2], [1, 9])),
    (compare, ([[1, 2], [3]], [[1, 2], [2]])),
    (get_slices, (list(range(8)),)),
    (get_slices, ([1.5],)),
    *[(get_slice, (list(range(6)), start, stop, step)) for start, stop, step in [(None, None, None), (1, None, None), (None, -2, None), (4, 0, -1), (-1, None, -2), (None, None, 3), (2, 2, None), (0, 6, 0)]],
    *[(set_slice, (list(range(6)), start, stop, step, values)) for start, stop, step, values in [
        (1, 3, None, [7, 8, 9]), (4, 1, None, [5]), (None, None, 2, [0, 0, 0]), (None, None, -2, [1, 2, 3]),
        (None, None, 2, [1]), (None, None, 0, [1]), (10, None, None, [1, 2]),
    ]],
    (set_slice_self, ([1, 2, 3],)),
    (clear_by_slice, ([1, 2, 3],)),
    *[(delete_item, (list(range(4)), i)) for i in (0, -1, 3, 4, -5)],
    *[(delete_slice, (list(range(10)), start, stop, step)) for start, stop, step in [(None, None, 2), (1, 7, 3), (None, None, -3), (2, 5, None), (5, 2, None), (None, None, None)]],
    (minimum, ([3, 1, 2],)),
    (maximum, ([3.5, 1.0, 7.25],)),
    (maximum, ([-1],)),
    (extremes_of_empty, (True,)),
    (extremes_of_empty, (False,)),
    (total, ([1, 2, 3],)),
    (total, ([0.5, 0.25],)),
    (total_from, ([1, 2], 10)),
    (sorted_both, (list(INTS),)),
    (sorted_both, ([2.5, -1.0],)),
    (list_of_list, ([4, 5],)),
    (list_then_append, (2,)),
    (empty_items, ()),
    (comprehensions, (5, [1.5, -2.0])),
    (comprehensions, (0, [1.5])),
    (generator_consumers, ([3, 1, 2],)),
    (generator_consumers, ([0.5, 4.0],)),
    (comprehension_of_nothing, (0,)),
    (tuple_builtins, ((3, 1, 2),)),
    (tuple_builtins, ((0.0, -1.5),)),
    (tuple_builtins, ((False, False),)),
    (comprehension_of_nothing, (3,)),
]


@pytest.mark.parametrize("func, args", ROWS, ids=[f"{f.__name__}-{i}" for i, (f, _) in enumerate(ROWS)])
def test_like_cpython(func, args):
    run_both(func, *args)


# Lists holding arrays, or filled from them.
ARRAY_ROWS = [
    (display_of_arrays, (3,)),
    (list_of_arrays_sum, ([np.arange(3.0), np.ones(2)],)),
    (extend_array, ([1.0], np.arange(3.0))),
]


@pytest.mark.parametrize("func, args", ARRAY_ROWS, ids=case_id)
def test_with_arrays(func, args):
    run_both(func, *args)


def test_stored_numbers_take_the_item_type():
    # CPython's list would hold the int itself; a compiled list of float64 holds 7.0, and so
    # does the caller's list after reflection (as with Numba's reflected lists).
    lst = [1.0, 2.0]
    assert_same(ferrojit.njit(set_items)(lst, 0, 7), [7.0, 2.0])
    assert_same(lst, [7.0, 2.0])
    lst = [1.5]
    ferrojit.njit(append)(lst, 2)
    assert_same(lst, [1.5, 2.0])


def test_a_display_unifies_its_items_as_numba_does():
    # A list holds one item type: numbers unify to their common type (CPython keeps each).
    assert_same(ferrojit.njit(display_unified)(), [1.0, 2.5, 1.0])


# ---- reflection ------------------------------------------------------------------------------

def test_a_returned_argument_is_the_callers_list():
    f = ferrojit.njit(return_argument)
    lst = [1, 2]
    assert f(lst) is lst
    assert lst == [1, 2, 1]


def test_nested_lists_keep_their_identity():
    f = ferrojit.njit(nested_change)
    inner = [1, 2]
    outer = [inner, [3]]
    f(outer)
    assert outer[0] is inner and inner == [1, 2, 9] and outer[1] == [-1]


def test_arrays_in_a_list_argument_are_the_callers():
    @ferrojit.njit
    def scale(arrays):
        for a in arrays:
            a *= 2.0
        arrays.append(arrays[0])

    a, b = np.ones(2), np.arange(2.0)
    lst = [a, b]
    scale(lst)
    assert lst[0] is a and lst[1] is b and lst[2] is a
    assert a.tolist() == [2.0, 2.0] and b.tolist() == [0.0, 2.0]


def test_an_unchanged_list_is_not_rewritten():
    @ferrojit.njit
    def read(lst):
        return lst[0]

    @ferrojit.njit
    def write(lst):
        lst[0] = lst[0]

    # Floats are boxed anew when a list is written back: the items' identities tell.
    lst = [3.5, 4.5]
    before = [id(x) for x in lst]
    assert read(lst) == 3.5
    assert [id(x) for x in lst] == before
    write(lst)
    assert lst == [3.5, 4.5] and [id(x) for x in lst] != before


# ---- errors ------------------------------------------------------------------------------------

def test_argument_errors_name_the_problem():
    f = ferrojit.njit(length)
    with pytest.raises(TypeError, match="different types"):
        f([1, 2.0])
    g = ferrojit.njit(length)
    with pytest.raises(TypeError, match="empty list"):
        g([])


@pytest.mark.parametrize(
    "source, message",
    [
        ("def f():\n    x = []\n    return len(x)\n", "cannot tell the item type of the empty list assigned to `x`"),
        ("def f():\n    return [1, (2, 3)]\n", "a list holds items of one type"),
        ("def f(x):\n    lst = [1, 2]\n    lst[0] = 2.5\n    return lst\n", "cannot store a `float64` in a list of `int64`"),
        ("def f():\n    lst = [1, 2]\n    return lst[1.0]\n", "list indices must be integers"),
    ],
    ids=["empty", "mixed", "store-float", "float-index"],
)
def test_typing_errors(source, message):
    import linecache

    filename = f"<lists {abs(hash(source))}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace = {}
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102 - fixed sources
    f = ferrojit.njit(namespace["f"])
    with pytest.raises(ferrojit.errors.TypingError, match=message.replace("[", r"\[").replace("(", r"\(").replace(")", r"\)")):
        f(*([1] if "f(x)" in source else []))


# ---- memory ----------------------------------------------------------------------------------

def rss_bytes():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


@ferrojit.njit
def churn(n):
    total = 0
    for i in range(n):
        lst = [np.zeros(4), np.ones(4)]
        nested = [[i, i], [i]]
        nested[0].append(i)
        lst.append(lst[0])
        lst.pop(0)
        total += len(lst) + len(nested[0])
    return total


@ferrojit.njit
def churn_raising(n):
    lst = [np.zeros(3)]
    for i in range(n):
        lst.append(np.ones(3))
    raise ValueError("after building")


def test_nothing_leaks_after_loops_and_exceptions():
    churn(10)
    live0 = _native.live_allocations()
    assert churn(1000) == 1000 * 5
    for _ in range(100):
        with pytest.raises(ValueError):
            churn_raising(20)
    lst = [np.zeros(2), np.ones(2)]
    for _ in range(100):
        run = ferrojit.njit(swap_items)
        run(lst)
    assert _native.live_allocations() == live0


def test_resident_size_is_flat_over_many_calls():
    f = ferrojit.njit(build_append)
    g = ferrojit.njit(sort)
    data = list(INTS)
    for _ in range(50):
        f(1000)
        g(data)
    rss0 = rss_bytes()
    for _ in range(3000):
        f(1000)
        g(data)
    assert rss_bytes() - rss0 < 8 << 20
