"""Sets in compiled code, against CPython: displays, `set()` typed by what is added, set
comprehensions, `in`, `len`, the operators `| & - ^` and comparisons (subsets), iteration, the
methods, with CPython's exceptions; set arguments reflected into the caller's set; memory.
Rows compare results as values; the order in which sets iterate, print and pop is
`test_set_order.py`'s."""
import re

import pytest

import ferrojit
from ferrojit import _native
from test_lists import run_both


def build(a):
    s = set()
    for x in a:
        s.add(x)
    return s, len(s)


def display_and_comprehension(n):
    return {1, 2, 2, 3}, {x % 4 for x in range(n)}, {(i, i + 1) for i in range(3)}


def operators(a, b):
    return a | b, a & b, a - b, b - a, a ^ b


def comparisons(a, b):
    return a == b, a != b, a <= b, a < b, a >= b, a > b


def methods(a, b):
    return a.union(b), a.intersection(b), a.difference(b), a.symmetric_difference(b), a.issubset(b), a.issuperset(b), a.isdisjoint(b)


def contains(s, x):
    return x in s, x not in s


def mutate(s):
    s.add(100)
    s.discard(1)
    s.discard(12345)
    s.update({7, 8})
    return len(s)


def remove(s, x):
    s.remove(x)
    return s


def pop_all(s):
    total = 0
    while s:
        total += s.pop()
    return total


def pop_empty(s):
    s.clear()
    return s.pop()


def iterate_sorted(s):
    return sorted([x * 2 for x in s])


def copy_then_change(s):
    c = s.copy()
    c.add(-1)
    return c, s


A, B = {1, 2, 3}, {2, 3, 4}

ROWS = [
    (build, ([3, 1, 3, 2],)),
    (build, ([0.5, -0.0, 0.0],)),
    (display_and_comprehension, (10,)),
    (display_and_comprehension, (0,)),
    (operators, (set(A), set(B))),
    (operators, ({1.5}, {2.5})),
    (comparisons, (set(A), set(B))),
    (comparisons, ({1, 2}, set(A))),
    (comparisons, (set(A), {3, 2, 1})),
    (methods, (set(A), set(B))),
    (methods, ({1}, set(A))),
    (contains, (set(A), 2)),
    (contains, (set(A), 5)),
    (mutate, (set(A),)),
    (remove, (set(A), 2)),
    (remove, (set(A), 9)),
    (pop_all, (set(A),)),
    (pop_empty, (set(A),)),
    (iterate_sorted, (set(A),)),
    (copy_then_change, (set(A),)),
]


@pytest.mark.parametrize("func, args", ROWS, ids=[f"{f.__name__}-{i}" for i, (f, _) in enumerate(ROWS)])
def test_like_cpython(func, args):
    run_both(func, *args)


def in_place_operators_on_an_argument(s, t):
    s |= t
    s -= {3}
    s &= t | {1, 2}
    s ^= {100}
    return len(s)


def test_in_place_operators_change_the_callers_set():
    # `s |= t` changes the set itself, so the caller's set sees every operator (reflected back).
    python, compiled = {1, 2, 3, 4}, {1, 2, 3, 4}
    expected = in_place_operators_on_an_argument(python, {2, 5})
    assert ferrojit.njit(in_place_operators_on_an_argument)(compiled, {2, 5}) == expected
    assert compiled == python


def set_or_list():
    s = {1}
    s |= [2]
    return s


def intersection_update_of_a_number():
    s = {1}
    s.intersection_update(5)
    return s


def in_place_of_another_item_type():
    s = {1}
    s &= {2.5}
    return s


@pytest.mark.parametrize("func, message", [
    (set_or_list, "unsupported operand types for `|=`: `set(int64)` and `list(int64)`"),
    (intersection_update_of_a_number, "`set.intersection_update()` takes a set, a list, a tuple or a string"),
    (in_place_of_another_item_type, "cannot intersect a `set(int64)` and a `set(float64)`"),
])
def test_in_place_errors_name_the_operands(func, message):
    with pytest.raises(ferrojit.errors.TypingError, match=re.escape(message)):
        ferrojit.njit(func)()


def test_a_returned_argument_is_the_callers_set():
    @ferrojit.njit
    def same(s):
        s.add(5)
        return s

    s = {1}
    assert same(s) is s and s == {1, 5}


@ferrojit.njit
def churn(n):
    total = 0
    for i in range(n):
        s = {i, i + 1, i + 2}
        t = s | {i + 5}
        t.discard(i)
        total += len(s & t)
    return total


def test_nothing_leaks():
    churn(3)
    live = _native.live_allocations()
    assert churn(3000) == 6000
    for _ in range(50):
        with pytest.raises(KeyError):
            ferrojit.njit(pop_empty)({1})
    assert _native.live_allocations() == live
