"""The order in which compiled sets iterate, print and `pop`: CPython's, since a compiled set's
table follows CPython 3.11's `setobject.c` (`crates/ferrojit_runtime/src/sets.rs`). Each row runs
one sequence of set operations in CPython and compiled, comparing `list(s)` (the order) after
them: displays, adds, removes (which leave dummies), growth through several resizes, pops,
clears, set algebra, copies, `set(list)`, comprehensions; int items that collide in the table
(multiples of 8, 16, 2**k, negative numbers, -1 whose hash is -2), floats, tuples and strings
(hashed with the process's key, as CPython's). Set arguments keep their Python set's layout."""
import pytest

import ferrojit
from helpers import assert_no_leak


def adds_and_removes(items, removed):
    s = set()
    for x in items:
        s.add(x)
    first = list(s)
    for x in removed:
        s.discard(x)
    second = list(s)
    for x in items[::3]:
        s.add(x)
    return first, second, list(s), len(s)


def pops(items, n):
    s = set()
    for x in items:
        s.add(x)
    popped = []
    for _ in range(min(n, len(s))):
        popped.append(s.pop())
    for x in items[:5]:
        s.add(x)
    popped.append(s.pop())
    return popped, list(s)


def clear_then_add(items):
    s = set()
    for x in items:
        s.add(x)
    taken = s.pop()
    s.clear()
    for x in items[:6]:
        s.add(x)
    return taken, list(s), s.pop(), list(s)


def algebra(a_items, b_items, removed):
    a = set(a_items)
    b = set(b_items)
    for x in removed:
        a.discard(x)
    return list(a | b), list(a & b), list(b & a), list(a - b), list(b - a), list(a ^ b), list(b ^ a), list(a.copy()), list(set(a)), list(a.union(b)), list(a.intersection(b)), list(a.difference(b)), list(a.symmetric_difference(b))


def in_place_algebra(a_items, b_items, removed):
    # Each operator changes its set itself (the alias sees it) and leaves it in CPython's order;
    # then pops, which follow the table and its finger.
    results = []
    for k in range(4):
        a = set(a_items)
        for x in removed:
            a.discard(x)
        alias = a
        b = set(b_items)
        if k == 0:
            a |= b
        elif k == 1:
            a &= b
        elif k == 2:
            a -= b
        else:
            a ^= b
        results.append(list(alias))
        if len(a) > 0:
            results.append([a.pop()])
        a.add(b_items[0])
        results.append(list(alias))
    return results


def update_methods(a_items, b_items, removed):
    # The methods with a set and with a list (whose order and repeats CPython follows).
    results = []
    for by_list in (False, True):
        for k in range(3):
            a = set(a_items)
            for x in removed:
                a.discard(x)
            if k == 0:
                if by_list:
                    a.intersection_update(b_items)
                else:
                    a.intersection_update(set(b_items))
            elif k == 1:
                if by_list:
                    a.difference_update(b_items)
                else:
                    a.difference_update(set(b_items))
            else:
                if by_list:
                    a.symmetric_difference_update(b_items + b_items[:3])
                else:
                    a.symmetric_difference_update(set(b_items))
            results.append(list(a))
            a.add(a_items[0])
            results.append(list(a))
    return results


def update_by(a_items, b_items):
    a = set(a_items)
    b = set(b_items)
    a.update(b)
    c = set()
    c.update(b)
    d = set(b_items[:3])
    d.update(a_items)
    return list(a), list(c), list(d)


def displays_and_comprehensions(n):
    s = {n * 8, 3, n * 16, 1, -1, -2, n}
    t = {x * 8 for x in range(n)}
    u = {(x % 5) * 1024 - x for x in range(n)}
    return list(s), list(t), list(u)


def text(items):
    s = set(items)
    return str(s)


def ints(n, *factors):
    out = []
    for i in range(n):
        out.append((i * 37 % (n + 1) - n // 2) * factors[i % len(factors)])
    return out


INT_ROWS = [
    ints(1, 1),
    ints(5, 8),
    ints(9, 8, 16),
    ints(20, 1, 8, 64),
    ints(33, 16, 1024, -1),
    ints(60, 2**20, 3, 7),
    ints(100, 1, 2**40),
    ints(300, 8, 2**50 + 1, -3),
    ints(3000, 1, 8, 4096),
    [-1, -2, 2**61 - 2, 2**61 - 1, 2**61, 0, 8, 16, 24, -8],
]

FLOAT_ROWS = [
    [i / 4 for i in range(-40, 40)],
    [float(i * 8) for i in range(50)] + [0.5, -0.0, float('inf'), -float('inf'), 1e300],
]

TUPLE_ROWS = [
    [(i % 7, i * 8) for i in range(60)],
    [(i, -i, float(i)) for i in range(-20, 20)],
]

STRING_ROWS = [
    [str(i * 7) for i in range(80)],
    ["a", "b", "ab", "ba", "", "é", "ü" * 3, "日本", "x" * 40] + ["k%d" % i for i in range(30)],
]

ALL_ROWS = INT_ROWS + FLOAT_ROWS + TUPLE_ROWS + STRING_ROWS


def check(pyfunc, *args):
    assert ferrojit.njit(pyfunc)(*args) == pyfunc(*args)


@pytest.mark.parametrize("items", ALL_ROWS)
def test_adds_and_removes(items):
    check(adds_and_removes, items, items[1::2] or items[:1])


@pytest.mark.parametrize("items", ALL_ROWS)
@pytest.mark.parametrize("n", [1, 4, 30])
def test_pops(items, n):
    if not items:
        pytest.skip("popping needs items")
    check(pops, items, n)


@pytest.mark.parametrize("items", [r for r in ALL_ROWS if r])
def test_clear_keeps_the_pop_finger(items):
    check(clear_then_add, items)


ALGEBRA_ROWS = [
    (INT_ROWS[3], INT_ROWS[4], INT_ROWS[3][:6]),
    (INT_ROWS[4], INT_ROWS[3], [10**6]),
    (INT_ROWS[8], INT_ROWS[2], INT_ROWS[8][::2]),  # `a` much larger: the copy-then-discard difference
    (INT_ROWS[2], INT_ROWS[8], [10**6]),  # `b` much larger: a difference through the intersection
    (INT_ROWS[5], INT_ROWS[5][::2], INT_ROWS[5][:10]),  # sets of one size and with dummies
    (INT_ROWS[9], INT_ROWS[1], [8]),
    (FLOAT_ROWS[0], FLOAT_ROWS[1], FLOAT_ROWS[0][:20]),
    (TUPLE_ROWS[0], TUPLE_ROWS[0][10:50], TUPLE_ROWS[0][:5]),
    (STRING_ROWS[0], STRING_ROWS[1] + STRING_ROWS[0][:9], STRING_ROWS[0][40:]),
]


@pytest.mark.parametrize("a, b, removed", ALGEBRA_ROWS)
def test_algebra(a, b, removed):
    check(algebra, a, b, removed)


@pytest.mark.parametrize("a, b, removed", ALGEBRA_ROWS)
def test_in_place_algebra(a, b, removed):
    check(in_place_algebra, a, b, removed)


@pytest.mark.parametrize("a, b, removed", ALGEBRA_ROWS)
def test_update_methods(a, b, removed):
    check(update_methods, a, b, removed)


@pytest.mark.parametrize("a, b", [(INT_ROWS[3], INT_ROWS[6]), (INT_ROWS[6], INT_ROWS[3]), (STRING_ROWS[1], STRING_ROWS[0]), (TUPLE_ROWS[1], TUPLE_ROWS[0][:4] and [(1, 2, 3.0)])])
def test_update(a, b):
    check(update_by, a, b)


@pytest.mark.parametrize("n", list(range(0, 101, 1)) + [1000, 3000])
def test_sizes(n):
    items = ints(n, 1, 8, -16, 2**33) or [0]
    check(adds_and_removes, items, items[::4])
    check(displays_and_comprehensions, n)


@pytest.mark.parametrize("items", [INT_ROWS[2], INT_ROWS[9], FLOAT_ROWS[1][:10], STRING_ROWS[1]])
def test_str_of_a_set(items):
    check(text, items)


def walk_and_pop(s):
    first = list(s)
    x = s.pop()
    return first, x, list(s)


@pytest.mark.parametrize("make", [
    lambda: set(ints(40, 8, 1)),
    lambda: {x for x in ints(300, 16, 3) if x % 3},  # with growth
    lambda: (lambda s: [s.discard(x) for x in ints(300, 16, 3)[::2]] and s)(set(ints(300, 16, 3))),  # with dummies
    lambda: (lambda s: (s.pop(), s.pop(), s)[2])(set(ints(50, 1, 64))),  # a moved finger
    lambda: set(STRING_ROWS[0]),
    lambda: set(TUPLE_ROWS[0]),
])
def test_argument_keeps_its_layout(make):
    expected = walk_and_pop(make())
    assert ferrojit.njit(walk_and_pop)(make()) == expected


def churn(items):
    s = set()
    for x in items:
        s.add(x)
    for x in items[::2]:
        s.discard(x)
    t = s | set(items[:7])
    u = t ^ s
    u.clear()
    t &= s
    t ^= set(items[:9])
    t -= s
    t |= s
    t.intersection_update(items[:20])
    t.symmetric_difference_update(items[5:30])
    t.difference_update(items[::5])
    return len(s) + len(t) + len(u)


@pytest.mark.parametrize("items", [INT_ROWS[6], STRING_ROWS[0], TUPLE_ROWS[0]])
def test_no_leak(items):
    assert_no_leak(ferrojit.njit(churn), items)
    assert_no_leak(ferrojit.njit(walk_and_pop), set(items))
