"""Python's `heapq` and `bisect` modules in compiled code, against CPython: every heap
operation leaves the list in CPython's order (the heap itself is compared, not only what is
popped), on numbers, NaNs, strings and `(dist, node)` tuples; `nsmallest`/`nlargest` (with
`key=`, ties, every count), `merge`; the searches and insertions of `bisect` with `lo=`,
`hi=`, `key=` on lists, tuples and 1-d arrays; CPython's errors; clear compile errors naming
the line; and memory (heaps of strings, exception paths).

Each row of a table is a plain function; it runs as plain Python and compiled on copies of the
same arguments, and the results and the arguments afterwards (lists are reflected) must be the
same, or the same exception (class and message)."""
import bisect
import copy
import heapq
import math
from bisect import bisect_left, insort
from heapq import heappop, heappush

import numpy as np
import pytest

import heapq as hq
from ferrojit import _native, njit
from ferrojit.errors import TypingError
from helpers import assert_same, case_id, to_python


def run_both(pyfunc, *args):
    """Runs `pyfunc` plain and compiled on copies of `args`: the same result and the same
    arguments afterwards, or the same exception and message."""
    cfunc = njit(pyfunc)
    py_args, c_args = copy.deepcopy(args), copy.deepcopy(args)
    try:
        expected = pyfunc(*py_args)
    except Exception as exc:  # noqa: BLE001 - the compiled function must raise the same
        with pytest.raises(type(exc)) as info:
            cfunc(*c_args)
        assert str(info.value) == str(exc)
        return info.value
    got = cfunc(*c_args)
    assert_same(got, to_python(expected))
    for i, (g, e) in enumerate(zip(c_args, py_args)):
        if isinstance(e, list):
            assert_same(g, to_python(e), where=f"argument {i}")
    return got


NAN = math.nan
INTS = [5, 3, 8, 1, 9, 2, 7, 3, 0, -4, 8, 6]
FLOATS = [2.5, -1.0, 3.25, 0.0, -0.0, 7.5, 2.5, 1e300, -3.5]
WITH_NAN = [3.0, NAN, 1.0, 2.0, NAN, 0.5, 4.0]
WORDS = ["pear", "apple", "fig", "banana", "kiwi", "apple", "cherry", ""]
EDGES = [(4.0, 2), (1.5, 0), (4.0, 1), (0.5, 3), (2.0, 5), (1.5, 4)]


# ---- heaps ----------------------------------------------------------------------------------


def push_all(items):
    h = []
    states = []
    for x in items:
        heapq.heappush(h, x)
        states.append(list(h))
    return h, states


def push_then_pop_all(items):
    h = []
    for x in items:
        heapq.heappush(h, x)
    out = []
    while h:
        out.append(heapq.heappop(h))
    return out


def heapify_in_place(items):
    heapq.heapify(items)


def heapify_then_pop(items, k):
    heapq.heapify(items)
    popped = [heapq.heappop(items) for _ in range(k)]
    return popped, items


def replace_and_pushpop(items, x, y):
    heapq.heapify(items)
    a = heapq.heapreplace(items, x)
    state = list(items)
    b = heapq.heappushpop(items, y)
    return a, state, b, items


def pushpop_smaller_than_top(items, x):
    heapq.heapify(items)
    return heapq.heappushpop(items, x), items


def pushpop_empty(x):
    h = [x for _ in range(0)]
    return heapq.heappushpop(h, x), h


def dijkstra(n, edges, source):
    """Shortest distances over an adjacency list of (neighbour, weight) pairs."""
    inf = math.inf
    dist = [inf] * n
    dist[source] = 0.0
    queue = [(0.0, source)]
    order = []
    while queue:
        d, u = heapq.heappop(queue)
        if d > dist[u]:
            continue
        order.append(u)
        for v, w in edges[u]:
            nd = d + w
            if nd < dist[v]:
                dist[v] = nd
                heapq.heappush(queue, (nd, v))
    return dist, order


GRAPH = [[(1, 4.0), (2, 1.0)], [(3, 1.0)], [(1, 2.0), (3, 5.0)], [(4, 3.0)], [(5, 7.5)], [(0, 1.0)]]


def names_imported_from_the_module(items):
    h = []
    for x in items:
        heappush(h, x)
    return [heappop(h) for _ in range(len(items))]


def module_under_another_name(items):
    hq.heapify(items)
    return hq.heappop(items), items


def pop_empty(n):
    h = [1.5 for _ in range(n)]
    heapq.heappop(h)
    return heapq.heappop(h)


def replace_empty(x):
    h = [x for _ in range(0)]
    return heapq.heapreplace(h, x)


def top_k_stream(items, k):
    """The k largest seen so far, kept in a min-heap of size k."""
    h = [items[0] for _ in range(0)]
    for x in items:
        if len(h) < k:
            heapq.heappush(h, x)
        elif x > h[0]:
            heapq.heapreplace(h, x)
    return sorted(h), h


HEAP_CASES = [
    (push_all, (INTS,)),
    (push_all, (FLOATS,)),
    (push_all, (WITH_NAN,)),
    (push_all, (WORDS,)),
    (push_all, (EDGES,)),
    (push_then_pop_all, (INTS,)),
    (push_then_pop_all, (FLOATS,)),
    (push_then_pop_all, (WITH_NAN,)),
    (push_then_pop_all, (WORDS,)),
    (push_then_pop_all, (EDGES,)),
    (heapify_in_place, (INTS,)),
    (heapify_in_place, (list(range(40, 0, -1)),)),
    (heapify_in_place, (WITH_NAN,)),
    (heapify_in_place, (WORDS,)),
    (heapify_in_place, (EDGES,)),
    (heapify_in_place, ([7],)),
    (heapify_then_pop, (INTS, 5)),
    (heapify_then_pop, (FLOATS, 9)),
    (heapify_then_pop, (WITH_NAN, 4)),
    (heapify_then_pop, (WORDS, 3)),
    (heapify_then_pop, (EDGES, 6)),
    (replace_and_pushpop, (INTS, 4, -1)),
    (replace_and_pushpop, (INTS, 100, 100)),
    (replace_and_pushpop, (FLOATS, NAN, 0.25)),
    (replace_and_pushpop, (WORDS, "grape", "a")),
    (replace_and_pushpop, (EDGES, (1.5, 9), (0.1, 7))),
    (pushpop_smaller_than_top, (INTS, -10)),
    (pushpop_smaller_than_top, (WORDS, "")),
    (pushpop_empty, (3,)),
    (pushpop_empty, ("x",)),
    (dijkstra, (6, GRAPH, 0)),
    (dijkstra, (6, GRAPH, 5)),
    (names_imported_from_the_module, (INTS,)),
    (module_under_another_name, (FLOATS,)),
    (pop_empty, (0,)),
    (pop_empty, (1,)),
    (pop_empty, (2,)),
    (replace_empty, (2.5,)),
    (top_k_stream, (INTS, 4)),
    (top_k_stream, (WITH_NAN, 3)),
]


@pytest.mark.parametrize("pyfunc, args", HEAP_CASES, ids=case_id)
def test_heap_operations_leave_cpythons_order(pyfunc, args):
    run_both(pyfunc, *args)


def test_heap_order_on_random_data():
    rng = np.random.default_rng(7)
    for size in (1, 2, 3, 10, 33, 100):
        ints = [int(v) for v in rng.integers(-5, 5, size)]
        floats = [float(v) for v in rng.normal(size=size)]
        pairs = [(int(a), float(b)) for a, b in zip(rng.integers(0, 3, size), rng.random(size))]
        for items in (ints, floats, pairs):
            run_both(push_all, items)
            run_both(heapify_then_pop, items, size // 2)
            if items:
                run_both(replace_and_pushpop, items, items[0], items[-1])


# ---- nsmallest, nlargest, merge -------------------------------------------------------------


def smallest_and_largest(items, n):
    return heapq.nsmallest(n, items), heapq.nlargest(n, items)


def smallest_and_largest_by_key(items, n):
    return heapq.nsmallest(n, items, key=lambda v: v % 4), heapq.nlargest(n, items, key=lambda v: v % 4)


def by_key_of_pairs(items, n):
    return heapq.nsmallest(n, items, key=lambda p: p[1]), heapq.nlargest(n, items, key=lambda p: -p[0])


def by_key_of_words(items, n):
    return heapq.nsmallest(n, items, key=len), heapq.nlargest(n, items, key=len)


def smallest_of_array(a, n):
    return heapq.nsmallest(n, a), heapq.nlargest(n, a, key=abs)


def merge_two(a, b):
    return list(heapq.merge(a, b))


def merge_with_empty(a):
    return list(heapq.merge(a[:0], a)), list(heapq.merge(a, a[:0], a[:0], a, reverse=True))


def merge_reversed(a, b, c):
    return list(heapq.merge(a, b, c, reverse=True))


def merge_by_key(a, b, c, d):
    return list(heapq.merge(a, b, c, d, key=lambda v: -v, reverse=True)), list(heapq.merge(a, key=abs))


NS_CASES = [
    *[(smallest_and_largest, (INTS, n)) for n in (-2, 0, 1, 2, 3, 11, 12, 13)],
    # (Not n >= 7: CPython then sorts, and its sort and the compiled one order NaNs apart.)
    *[(smallest_and_largest, (WITH_NAN, n)) for n in (1, 2, 3, 5)],
    (smallest_and_largest, (FLOATS, 4)),
    (smallest_and_largest, (WORDS, 3)),
    (smallest_and_largest, (EDGES, 2)),
    (smallest_and_largest, (tuple(INTS), 3)),
    (smallest_and_largest, ("heapqueue", 3)),
    (smallest_and_largest, ([1.5], 1)),
    *[(smallest_and_largest_by_key, (INTS, n)) for n in (0, 1, 3, 5, 20)],
    (by_key_of_pairs, (EDGES, 3)),
    (by_key_of_pairs, (EDGES, 1)),
    (by_key_of_words, (WORDS, 3)),
    (by_key_of_words, (WORDS, 100)),
    (smallest_of_array, (np.array([3.0, -7.5, 2.0, 9.0, -1.0]), 2)),
    (smallest_of_array, (np.array([3, -7, 2, 9, -1], dtype=np.int32), 4)),
    (merge_two, ([1, 3, 5, 7], [2, 3, 4, 8, 9])),
    (merge_with_empty, ([2.5, 3.5],)),
    (merge_two, (["a", "c"], ["b", "c", "d"])),
    (merge_two, ([(1, 0.5), (2, 0.1)], [(1, 0.25)])),
    (merge_reversed, ([9, 5, 1], [8, 5, 2], [7])),
    (merge_by_key, ([9, 5, 1], [8, 5, 2], [4], [7, -3]),),
]


@pytest.mark.parametrize("pyfunc, args", NS_CASES, ids=case_id)
def test_nsmallest_nlargest_merge(pyfunc, args):
    run_both(pyfunc, *args)


# ---- bisect ---------------------------------------------------------------------------------


def searches(a, x):
    return bisect.bisect_left(a, x), bisect.bisect_right(a, x), bisect.bisect(a, x)


def searches_of_nothing(a):
    empty = a[:0]
    return bisect.bisect_left(empty, 3), bisect.bisect_right(empty, 3, 0, -1)


def searches_within(a, x, lo, hi):
    return bisect.bisect_left(a, x, lo, hi), bisect.bisect_right(a, x, lo=lo, hi=hi)


def searches_from(a, x, lo):
    return bisect.bisect_left(a, x, lo), bisect.bisect_right(a, x, lo)


def searches_by_key(a, x):
    return bisect.bisect_left(a, x, key=lambda p: p[0]), bisect.bisect_right(a, x, key=lambda p: p[0])


def search_imported_name(a, x):
    return bisect_left(a, x)


def insertions(a, xs):
    for x in xs:
        bisect.insort(a, x)
    return a


def insertions_left_right(a, x):
    bisect.insort_left(a, x)
    bisect.insort_right(a, x)
    insort(a, x, 1, 3)
    return a


def insertions_by_key(a, p):
    bisect.insort(a, p, key=lambda q: q[1])
    bisect.insort_left(a, p, key=lambda q: q[1])
    return a


def sorted_list_by_insort(xs):
    out = []
    for x in xs:
        bisect.insort(out, x)
    return out


SORTED = [1, 2, 2, 2, 5, 7, 7, 9]
SORTED_FLOATS = [-1.5, 0.0, 0.0, 2.25, 2.25, 8.0]
SORTED_WORDS = ["apple", "fig", "fig", "kiwi", "pear"]
SORTED_PAIRS = [(1, 0.5), (2, 0.25), (2, 0.75), (4, 0.0)]

BISECT_CASES = [
    *[(searches, (SORTED, x)) for x in (0, 1, 2, 3, 7, 9, 10)],
    *[(searches, (SORTED_FLOATS, x)) for x in (-2.0, 0.0, -0.0, 2.25, 9.0, NAN)],
    *[(searches, (SORTED_WORDS, x)) for x in ("", "fig", "grape", "zebra")],
    *[(searches, (SORTED_PAIRS, x)) for x in ((2, 0.5), (2, 1.0), (0, 0.0))],
    (searches_of_nothing, ([1, 2],)),
    (searches, (tuple(SORTED), 7)),
    (searches, (np.array(SORTED_FLOATS), 2.25)),
    (searches, (np.array(SORTED, dtype=np.int16), 2)),
    *[(searches_within, (SORTED, 2, lo, hi)) for lo, hi in ((0, 8), (2, 5), (4, 8), (5, 3), (0, -1), (1, -1), (0, -2), (8, 8))],
    (searches_within, (SORTED, 9, 0, 10)),
    (searches_within, (SORTED, 0, 0, 10)),
    (searches_within, (SORTED, 2, -1, 5)),
    (searches_within, (np.array(SORTED_FLOATS), 9.0, 0, 10)),
    (searches_within, (np.array(SORTED_FLOATS), -9.0, 0, 10)),
    (searches_within, (tuple(SORTED), 9, 0, 12)),
    (searches_from, (SORTED, 7, 3)),
    (searches_from, (SORTED, 7, 20)),
    (searches_from, (SORTED, 7, -3)),
    *[(searches_by_key, (SORTED_PAIRS, x)) for x in (0, 2, 3, 5)],
    (search_imported_name, (SORTED, 5)),
    (insertions, (SORTED, [3, 2, 0, 10, 7])),
    (insertions, (SORTED_WORDS, ["fig", "a", "zz"])),
    (insertions, (SORTED_FLOATS, [NAN, 0.0])),
    (insertions_left_right, (SORTED, 2)),
    (insertions_left_right, ([1.0, 2.0], 1.5)),
    (insertions_by_key, (sorted(SORTED_PAIRS, key=lambda q: q[1]), (3, 0.5))),
    (sorted_list_by_insort, (INTS,)),
    (sorted_list_by_insort, (WORDS,)),
]


@pytest.mark.parametrize("pyfunc, args", BISECT_CASES, ids=case_id)
def test_bisect(pyfunc, args):
    run_both(pyfunc, *args)


# ---- compile errors -------------------------------------------------------------------------


def heap_of_a_tuple(t):
    heapq.heappush(t, 1)


def insort_into_an_array(a):
    bisect.insort(a, 1.0)


def bisect_of_a_dict(d):
    return bisect.bisect_left(d, 1)


def nsmallest_of_a_set(s):
    return heapq.nsmallest(2, s)


def key_not_a_function(a):
    return bisect.bisect_left(a, 1, key=3)


def merge_of_arrays(a):
    return heapq.merge(a, a)


ERROR_CASES = [
    (heap_of_a_tuple, ((1, 2),), "`heapq.heappush()` needs a list as its heap, not a `UniTuple(int64 x 2)`"),
    (insort_into_an_array, (np.zeros(3),), "`bisect.insort_right()` inserts into a list"),
    (bisect_of_a_dict, ({1: 2},), "`bisect.bisect_left()` of a `dict(int64, int64)` is not supported"),
    (nsmallest_of_a_set, ({1, 2},), "`heapq.nsmallest()` of a `set(int64)` is not supported"),
    (key_not_a_function, ([1, 2],), "the `key` of `bisect.bisect_left()` must be a function or None"),
    (merge_of_arrays, (np.zeros(3),), "`heapq.merge()` in compiled code merges lists"),
]


@pytest.mark.parametrize("pyfunc, args, message", ERROR_CASES, ids=case_id)
def test_unsupported_uses_are_clear_errors(pyfunc, args, message):
    with pytest.raises(TypingError) as info:
        njit(pyfunc)(*args)
    text = str(info.value)
    assert message in text
    assert "test_heapq_bisect.py" in text


# ---- memory ---------------------------------------------------------------------------------


def heap_of_strings(words, fail):
    h = []
    for w in words:
        heapq.heappush(h, (len(w), w))
    out = [heapq.heappop(h)[1] for _ in range(len(words) // 2)]
    out.extend(w for _, w in heapq.nsmallest(2, h))
    bisect.insort(out, "m")
    if fail:
        # Raises: the heap is empty once every item is popped.
        while True:
            heapq.heappop(h)
    return out, h


def heap_of_arrays_by_key(n, fail):
    rows = [np.full(3, float(k % 4)) for k in range(n)]
    smallest = heapq.nsmallest(2, rows, key=lambda r: r.sum())
    merged = list(heapq.merge([1.0, 3.0], [2.0], key=lambda v: v))
    if fail:
        heapq.heapreplace([r[0] for r in rows[:0]], 1.0)
    return [float(r[0]) for r in smallest], merged


MEMORY_CASES = [
    (heap_of_strings, (["pear", "apple", "fig", "banana", "kiwi"],)),
    (heap_of_arrays_by_key, (6,)),
]


@pytest.mark.parametrize("pyfunc, args", MEMORY_CASES, ids=case_id)
def test_heaps_release_their_items(pyfunc, args):
    run = njit(pyfunc)
    run(*copy.deepcopy(args), False)
    live0 = _native.live_allocations()
    for _ in range(30):
        assert_same(run(*copy.deepcopy(args), False), to_python(pyfunc(*copy.deepcopy(args), False)))
        with pytest.raises(IndexError, match="index out of range"):
            run(*copy.deepcopy(args), True)
    assert _native.live_allocations() == live0
