"""Dicts in compiled code, against CPython: displays, `{}` typed by what is stored in it
(the word-count idiom `d[k] = d.get(k, 0) + 1`, which Numba refuses), item access, `del`, `in`,
`len`, iteration in insertion order (keys, `items()`, `keys()`, `values()`), the methods, with
CPython's exceptions; dict arguments reflected into the caller's dict; memory.

Each row runs on fresh copies of its arguments as plain Python and compiled; the results and
the arguments afterwards must be the same (`keys()`, `values()` and `items()` outside a loop
are lists in compiled code: the rows compare them through `list(...)`)."""
import numpy as np
import pytest

import ferrojit
import ferrojit.errors
from ferrojit import _native
from helpers import assert_same
from test_lists import run_both


def word_count(words):
    counts = {}
    for w in words:
        counts[w] = counts.get(w, 0) + 1
    return counts


def display():
    return {1: 2.5, 3: 4.0}


def tuple_keys():
    d = {(1, 2): 1.5, (3, 4): 2.5}
    d[(1, 2)] += 1.0
    return d, d[(3, 4)]


def get_item(d, k):
    return d[k]


def set_item(d, k, v):
    d[k] = v
    return len(d)


def delete(d, k):
    del d[k]
    return d


def contains(d, k):
    return k in d, k not in d


def iterate(d):
    keys = []
    for k in d:
        keys.append(k)
    total = 0.0
    for k, v in d.items():
        total += k * v
    vs = 0.0
    for v in d.values():
        vs += v
    return keys, total, vs


def views(d):
    return list(d.keys()), list(d.values()), list(d.items())


def get(d, k):
    return d.get(k, -1.0)


def get_or_none(d, k):
    return d.get(k)


get_or_none_compiled = ferrojit.njit(get_or_none)


def get_explicit_none(d, k):
    return d.get(k, None)


def get_tested(d, k):
    v = d.get(k)
    if v is None:
        return -1.0
    return v * 2


def get_tested_not(d, k):
    v = d.get(k)
    if v is not None and None != v:
        return v + 1
    return 0.0


def get_compared(d, k, x):
    # `None` equals only `None`; values compare as values.
    return d.get(k) == x, d.get(k) != x, x == d.get(k), d.get(k) == d.get(k + 1), d.get(k) != d.get(7), d.get(k) == None, None != d.get(k)


def get_truth(d, k):
    out = []
    if d.get(k):
        out.append(1)
    if not d.get(k):
        out.append(2)
    while d.get(k):
        d[k] -= 1
        out.append(3)
    return out


def get_in_loop(d, keys):
    total = 0.0
    for k in keys:
        v = d.get(k)
        if v is None:
            v = 100.0
        total += v
    return total


def get_string(d, k):
    s = d.get(k)
    if s is None:
        return 0
    return len(s + "!")


def first_positive(xs):
    for x in xs:
        if x > 0:
            return x
    return None


first_positive_compiled = ferrojit.njit(first_positive)


def calls_first_positive(xs):
    # A compiled callee's optional result, tested with `is None`.
    x = first_positive_compiled(xs)
    if x is None:
        return -1
    return x * 10


def dict_of_pairs(pairs):
    return dict(pairs)


def dict_of_zip(keys, values):
    return dict(zip(keys, values))


def dict_of_enumerate(items):
    return dict(enumerate(items))


def dict_of_generator(n):
    return dict((i, i * i) for i in range(n))


def dict_of_keywords(x):
    return dict(a=x, b=2.5)


def dict_of_mapping_and_keywords(d):
    return dict(d, z=5.5), dict(**d), dict(d, **{"y": 1.0})


def dict_copy_is_new(d):
    e = dict(d)
    e[100] = 0.0
    return e, d


def update_with_pairs(d, pairs):
    d.update(pairs)
    return d


def setdefault(d, k):
    return d.setdefault(k, 7.5)


def pop(d, k):
    return d.pop(k)


def pop_default(d, k):
    return d.pop(k, 0.0)


def popitem(d):
    return d.popitem()


def update(d, e):
    d.update(e)
    return d


def clear(d):
    d.clear()
    return len(d)


def copy_then_change(d):
    c = d.copy()
    c[100] = 1.0
    return c, len(d)


def order_after_delete(d):
    del d[1]
    d[1] = 9.0
    d[50] = 1.0
    return list(d.keys())


def equal(a, b):
    return a == b, a != b


def negative_zero_key():
    d = {0.0: 1}
    d[-0.0] = 2
    return d, len(d)


def truth(d):
    return 1 if d else 0


def grow(n):
    d = {}
    for i in range(n):
        d[i * 7 % 1000] = i
    for i in range(0, n, 3):
        if i * 7 % 1000 in d:
            del d[i * 7 % 1000]
    return len(d), sum(d.values()), list(d.keys())[:5]


def comprehension(n):
    squares = {i: i * i for i in range(n) if i % 2}
    pairs = {(i, j): i * 1.5 for i in range(3) for j in range(i)}
    return squares, pairs


D = {1: 1.0, 2: 2.0, 3: 3.0}

ROWS = [
    (word_count, (np.array([1, 2, 1, 3, 1, 2]),)),
    (display, ()),
    (tuple_keys, ()),
    (get_item, (dict(D), 2)),
    (get_item, (dict(D), 9)),
    (get_item, ({1.5: 1}, -0.5)),
    (set_item, (dict(D), 2, 5.0)),
    (set_item, (dict(D), 9, 5.0)),
    (delete, (dict(D), 2)),
    (delete, (dict(D), 8)),
    (contains, (dict(D), 3)),
    (contains, (dict(D), 4)),
    (iterate, (dict(D),)),
    (views, (dict(D),)),
    (get, (dict(D), 1)),
    (get, (dict(D), 10)),
    (get_or_none, (dict(D), 1)),
    (get_or_none, (dict(D), 10)),
    (get_or_none, ({"a": "x", "b": "yz"}, "b")),
    (get_or_none, ({"a": "x", "b": "yz"}, "c")),
    (get_or_none, ({1: [1.5, 2.5]}, 1)),
    (get_or_none, ({1: [1.5, 2.5]}, 2)),
    (get_or_none, ({(1, 2): (3.0, "t")}, (1, 2))),
    (get_explicit_none, (dict(D), 2)),
    (get_explicit_none, (dict(D), 20)),
    (get_tested, (dict(D), 3)),
    (get_tested, (dict(D), 30)),
    (get_tested_not, (dict(D), 3)),
    (get_tested_not, (dict(D), 30)),
    (get_compared, ({1: 2}, 1, 2)),
    (get_compared, ({1: 2}, 1, 3.5)),
    (get_compared, ({1: 2}, 5, 2)),
    (get_compared, ({1: 2, 2: 2}, 1, 2)),
    (get_compared, ({0: 0}, 6, 0)),
    (get_compared, ({"a": "x"}.get("a") and {6: "x", 7: "y"}, 6, "x")),
    (get_truth, ({1: 3, 2: 0}, 1)),
    (get_truth, ({1: 3, 2: 0}, 2)),
    (get_truth, ({1: 3, 2: 0}, 7)),
    (get_in_loop, (dict(D), [1, 5, 3, 3, 9])),
    (get_string, ({"a": "xyz"}, "a")),
    (get_string, ({"a": "xyz"}, "q")),
    (first_positive, ([-1, 0, 4, 5],)),
    (first_positive, ([-1, 0],)),
    (first_positive, ([-1.5, 2.5],)),
    (calls_first_positive, ([-1, 0, 4],)),
    (calls_first_positive, ([-1, -2],)),
    (dict_of_pairs, ([(1, 2.0), (3, 4.0), (1, 5.0)],)),
    (dict_of_pairs, ([("a", 1), ("b", 2)],)),
    (dict_of_pairs, (((1, "x"), (2, "y")),)),
    (dict_of_pairs, ({(1, 2.0)},)),
    (dict_of_zip, ([1, 2, 3], [1.5, 2.5])),
    (dict_of_zip, ("abc", [1, 2, 3])),
    (dict_of_enumerate, (["x", "y"],)),
    (dict_of_generator, (5,)),
    (dict_of_generator, (0,)),
    (dict_of_keywords, (1.0,)),
    (dict_of_mapping_and_keywords, ({"a": 1.0, "z": 0.0},)),
    (dict_copy_is_new, (dict(D),)),
    (update_with_pairs, (dict(D), [(1, -1.0), (7, 7.0)])),
    (setdefault, (dict(D), 1)),
    (setdefault, (dict(D), 10)),
    (pop, (dict(D), 1)),
    (pop, (dict(D), 10)),
    (pop_default, (dict(D), 10)),
    (popitem, (dict(D),)),
    (popitem, ({1: 1.0},)),
    (update, (dict(D), {2: 20.0, 4: 40.0})),
    (clear, (dict(D),)),
    (copy_then_change, (dict(D),)),
    (order_after_delete, (dict(D),)),
    (equal, (dict(D), {3: 3.0, 2: 2.0, 1: 1.0})),
    (equal, (dict(D), {1: 1.0})),
    (equal, (dict(D), {1: 1.0, 2: 2.0, 3: 3.5})),
    (negative_zero_key, ()),
    (truth, ({1: 1},)),
    (grow, (3000,)),
    (comprehension, (7,)),
    (comprehension, (0,)),
]


@pytest.mark.parametrize("func, args", ROWS, ids=[f"{f.__name__}-{i}" for i, (f, _) in enumerate(ROWS)])
def test_like_cpython(func, args):
    run_both(func, *args)


def get_plus_one(d, k):
    return d.get(k) + 1


def test_the_value_of_a_none_optional_is_a_type_error():
    # CPython's `TypeError` (with Numba's message: no operation on `None` is compiled).
    f = ferrojit.njit(get_plus_one)
    assert_same(f({1: 2}, 1), 3)
    with pytest.raises(TypeError, match="expected int64, got None"):
        f({1: 2}, 5)
    with pytest.raises(TypeError):
        get_plus_one({1: 2}, 5)


def dict_of_a_number(x):
    return dict(x)


def dict_of_non_pairs(items):
    return dict(items)


@pytest.mark.parametrize("func, args, message", [
    (dict_of_a_number, (3,), "`dict()` takes a dict or an iterable of (key, value) pairs, not a `int64`"),
    (dict_of_non_pairs, ([1, 2],), "`dict()` of an iterable of `int64`: each item must be a (key, value) tuple"),
    (dict_of_non_pairs, ([(1, 2, 3)],), "each item must be a (key, value) tuple"),
])
def test_dict_of_what_gives_no_pairs_is_a_clear_error(func, args, message):
    with pytest.raises(ferrojit.errors.TypingError) as info:
        ferrojit.njit(func)(*args)
    assert message in str(info.value) and "test_dicts.py" in str(info.value) and "return dict(" in str(info.value)


def test_a_missing_number_key_is_the_exception_argument():
    with pytest.raises(KeyError) as info:
        ferrojit.njit(get_item)({1: 2}, 5)
    assert info.value.args == (5,)


def test_argument_errors():
    f = ferrojit.njit(truth)
    with pytest.raises(TypeError, match="empty dict"):
        f({})
    with pytest.raises(TypeError, match="different types"):
        f({1: 1, 2: 2.5})
    with pytest.raises(TypeError, match="frozenset"):
        f({frozenset(): 1})


def test_a_returned_argument_is_the_callers_dict():
    @ferrojit.njit
    def same(d):
        d[7] = 7.0
        return d

    d = {1: 1.0}
    assert same(d) is d and d == {1: 1.0, 7: 7.0}


@ferrojit.njit
def churn(n):
    total = 0
    for i in range(n):
        d = {1: np.zeros(3), 2: np.ones(3)}
        d[3] = d[1]
        del d[1]
        e = d.copy()
        e.clear()
        total += len(d) + len(e)
    return total


@ferrojit.njit
def churn_raising(n):
    d = {0: np.zeros(2)}
    for i in range(n):
        d[i] = np.ones(2)
    return d[n + 5]


@ferrojit.njit
def churn_optional(n):
    d = {1: np.zeros(3), 2: np.ones(3)}
    words = {"a": "xy"}
    total = 0.0
    for i in range(n):
        v = d.get(i % 4)
        if v is not None:
            total += v.sum()
        w = words.get("a" if i % 2 else "b")
        if w is None:
            w = "zzz"
        total += len(w)
    return total


@ferrojit.njit
def optional_raising(d, k):
    s = d.get(k)
    return len(s)


@ferrojit.njit
def churn_built(n):
    total = 0
    for i in range(n):
        a = dict([(1, np.zeros(2)), (2, np.ones(2))])
        b = {**a, 3: np.ones(1), **dict(zip([4, 5], [np.zeros(1), np.zeros(3)]))}
        c = dict(x=np.zeros(2), y=np.ones(4))
        total += len(a) + len(b) + len(c)
    return total


def test_nothing_leaks():
    churn(3)
    churn_built(2)
    churn_optional(3)
    optional_raising({"a": "b"}, "a")
    live = _native.live_allocations()
    assert churn(2000) == 4000
    assert churn_built(100) == 900
    assert churn_optional(40) == churn_optional.py_func(40)
    for _ in range(100):
        with pytest.raises(TypeError):
            optional_raising({"a": "b"}, "c")
        assert optional_raising({"a": "b"}, "a") == 1
        assert get_or_none_compiled({1: [1.0]}, 1) == [1.0] and get_or_none_compiled({1: [1.0]}, 2) is None
    for _ in range(100):
        with pytest.raises(KeyError):
            churn_raising(10)
    assert _native.live_allocations() == live
    assert_same(churn(1), 2)


def print_optionals(d, words):
    print(d.get(1), d.get(2), words.get("a"), words.get("b"))


@pytest.mark.parametrize("d, words", [({1: 2.5}, {"a": "x y"}), ({2: 1.0}, {"b": ""})])
def test_print_of_an_optional_shows_none_or_the_value(capsys, d, words):
    from helpers import check_print

    check_print(capsys, print_optionals, d, words)
