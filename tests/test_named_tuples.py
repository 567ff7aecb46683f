"""Named tuples in compiled code, against CPython: `collections.namedtuple` and
`typing.NamedTuple` classes defined at module level, their instances as arguments and results
(converted back to the very class), made in compiled code (positional, keyword and default
arguments), fields, indexing, slicing, unpacking, iteration, `len`, comparisons, `in`, the
tuple methods and built-ins, `_replace`, `_fields`, printing, nested in tuples, lists, dicts and
other named tuples, in heaps; clear compile errors naming the line; and memory (fields holding
strings and arrays, exception paths).

Each row of a table is a plain function; it runs as plain Python and compiled on copies of the
same arguments, and the results (the class of every named tuple included) and the list
arguments afterwards must be the same, or the same exception (class and message)."""
import copy
import heapq
import math
from collections import namedtuple
from typing import NamedTuple

import numpy as np
import pytest

from ferrojit import _native, njit
from ferrojit.errors import TypingError
from helpers import assert_same, case_id, to_python

Point = namedtuple("Point", "x y")
Pair = namedtuple("Pair", ["first", "second"], defaults=[0.5])
Empty = namedtuple("Empty", "")


class Item(NamedTuple):
    dist: float
    node: int


class Record(NamedTuple):
    key: int
    weight: float = 1.0
    label: str = "none"


class Segment(NamedTuple):
    start: Point
    end: Point


class Scaled(Point):
    """A subclass of a named tuple class: a named tuple class of its own."""

    def norm(self):
        return math.hypot(self.x, self.y)


def python_value(v):
    """`to_python` keeping named tuples' classes."""
    if isinstance(v, tuple) and hasattr(type(v), "_fields"):
        return type(v)._make(python_value(x) for x in v)
    if isinstance(v, tuple):
        return tuple(python_value(x) for x in v)
    if isinstance(v, list):
        return [python_value(x) for x in v]
    if isinstance(v, dict):
        return {python_value(k): python_value(x) for k, x in v.items()}
    return to_python(v)


def same(got, expected, where="result"):
    """`assert_same`, dicts item by item too."""
    if isinstance(expected, dict):
        assert type(got) is dict and list(got) == list(expected), f"{where}: {got!r} != {expected!r}"
        for k in expected:
            assert type(next(g for g in got if g == k)) is type(k), f"{where}: key {k!r}"
            same(got[k], expected[k], f"{where}[{k!r}]")
    elif isinstance(expected, (tuple, list)) and not isinstance(expected, np.ndarray):
        assert type(got) is type(expected), f"{where}: {type(got).__name__} ({got!r}) != {type(expected).__name__} ({expected!r})"
        assert len(got) == len(expected), f"{where}: {got!r} != {expected!r}"
        for i, (g, e) in enumerate(zip(got, expected)):
            same(g, e, f"{where}[{i}]")
    else:
        assert_same(got, expected, where=where)


def run_both(pyfunc, *args):
    """Runs `pyfunc` plain and compiled on copies of `args`: the same result (classes of named
    tuples included) and list arguments afterwards, or the same exception and message."""
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
    same(got, python_value(expected))
    for i, (g, e) in enumerate(zip(c_args, py_args)):
        if isinstance(e, list):
            same(g, python_value(e), where=f"argument {i}")
    return got


# ---- as arguments and results ---------------------------------------------------------------


def identity(p):
    return p


def fields(p):
    return p.x, p.y, p.x * 2 + p.y


def indexing(p):
    return p[0], p[1], p[-1], p[-2], p[:1], p[::-1], p[1:]


def unpacking(p):
    a, b = p
    return b, a


def iteration(p):
    total = 0.0
    for v in p:
        total += v
    return total


def length_and_truth(p):
    return len(p), bool(p), 1 if p else 0


def comparisons(p, q):
    return p == q, p != q, p < q, p <= q, p > q, p >= q, p == (p[0], p[1]), (p[0], p[1]) == p


def membership(p, v):
    return v in p, v not in p, p.index(p[1]), p.count(v)


def builtins_of(p):
    return min(p), max(p), sum(p), sorted(p), list(p), tuple(p)


def arithmetic(p):
    return p + (9,), p * 2, (0,) + p


def record_fields(r):
    return r.key, r.weight, r.label, r[2], len(r)


def nested(s):
    return s.start.x, s.end.y, s.end, s[0][1]


def in_a_tuple(t):
    p, n = t
    return (p, p.x + n), n


def in_a_list(ps):
    return [p.x - p.y for p in ps], ps[1], ps[-1].y


def list_of_points_changed(ps):
    ps.append(Point(9, 10))
    ps[0] = Point(ps[0].y, ps[0].x)
    return len(ps)


def as_dict_keys(ps):
    d = {}
    for p in ps:
        d[p] = d.get(p, 0) + p.x
    return d, Point(1, 2) in d


def empty_class(e):
    return e, len(e), bool(e)


def subclass(s):
    return s.x + s.y, s


def float_fields(p):
    return p.x / 2, math.isnan(p.y), p


ARGUMENT_CASES = [
    (identity, (Point(1, 2),)),
    (identity, (Point(1.5, "a"),)),
    (identity, (Record(3, 2.5, "r"),)),
    (identity, (Item(0.5, 3),)),
    (identity, (Segment(Point(1, 2), Point(3, 4)),)),
    (identity, (Point(np.int32(3), np.float32(0.5)),)),
    (fields, (Point(1, 2),)),
    (fields, (Point(1.5, -2.0),)),
    (indexing, (Point(1, 2.5),)),
    (indexing, (Point("a", "b"),)),
    (unpacking, (Point(1, "two"),)),
    (iteration, (Point(1.5, 2.5),)),
    (length_and_truth, (Point(1, 2),)),
    (comparisons, (Point(1, 2), Point(1, 3))),
    (comparisons, (Point(2, 2), Point(1, 3))),
    (comparisons, (Point(1, 2), Pair(1, 2))),
    (membership, (Point(1, 2), 2)),
    (membership, (Point(1, 2), 5)),
    (builtins_of, (Point(3, 1),)),
    (builtins_of, (Point(3.5, -1.0),)),
    (arithmetic, (Point(1, 2),)),
    (record_fields, (Record(1, 2.0, "x"),)),
    (nested, (Segment(Point(1, 2), Point(3, 4)),)),
    (in_a_tuple, ((Point(1, 2), 3),)),
    (in_a_list, ([Point(1, 2), Point(3, 4), Point(5, 7)],)),
    (list_of_points_changed, ([Point(1, 2), Point(3, 4)],)),
    (as_dict_keys, ([Point(1, 2), Point(3, 4), Point(1, 2)],)),
    (empty_class, (Empty(),)),
    (subclass, (Scaled(3, 4),)),
    (float_fields, (Point(1.0, math.nan),)),
]


@pytest.mark.parametrize("pyfunc, args", ARGUMENT_CASES, ids=case_id)
def test_named_tuple_arguments(pyfunc, args):
    run_both(pyfunc, *args)


def test_a_named_tuple_comes_back_as_its_class():
    got = njit(identity)(Record(1, 2.0, "a"))
    assert type(got) is Record and got == (1, 2.0, "a") and got.label == "a"
    got = njit(identity)(Scaled(3, 4))
    assert type(got) is Scaled and got.norm() == 5.0


def test_one_compilation_per_class_and_item_types():
    f = njit(identity)
    f(Point(1, 2))
    f(Point(3, 4))
    f(Pair(1, 2))
    f(Point(1.5, 2))
    assert [str(s[0]) for s in f.signatures] == ["Point(int64 x 2)", "Pair(int64 x 2)", "Point(float64, int64)"]


# ---- made in compiled code ------------------------------------------------------------------


def make_positional(a, b):
    return Point(a, b)


def make_keywords(a, b):
    return Point(y=b, x=a), Point(a, y=b)


def make_with_defaults(k):
    return Record(k), Record(k, 0.25), Record(k, label="l"), Pair(k), Pair(k, second=k)


def make_widened(n):
    p = Point(0, 0)
    for i in range(n):
        if i % 2:
            p = Point(p.x + 0.5, p.y + i)
        else:
            p = Point(p.x, p.y + 1)
    return p


def make_replace(a):
    p = Point(a, a + 1)
    return p._replace(x=10), p._replace(y=2.5, x=a), p._replace(), p


def make_fields(p):
    return p._fields, Record._fields, Empty._fields


def make_nested(n):
    s = Segment(Point(0, n), Point(n, 0))
    return s, s.end.x + s.start.y


def make_in_list(n):
    ps = [Point(i, i * i) for i in range(n)]
    ps.append(Point(-1, -1))
    return ps, [p for p in ps if p.y > 2]


def make_dict(n):
    d = {Point(i, i): Record(i) for i in range(n)}
    return d, d[Point(1, 1)].weight


def heap_of_items(edges, source):
    dist = [math.inf] * 5
    dist[source] = 0.0
    queue = [Item(0.0, source)]
    order = []
    while queue:
        it = heapq.heappop(queue)
        if it.dist > dist[it.node]:
            continue
        order.append(it)
        for v, w in edges[it.node]:
            nd = it.dist + w
            if nd < dist[v]:
                dist[v] = nd
                heapq.heappush(queue, Item(nd, v))
    return dist, order


def passed_to_another(n):
    return compiled_norm2(Point(n, n + 1)), compiled_swap(Point(n, 0.5))


def norm2(p):
    return p.x * p.x + p.y * p.y


def swap(p):
    return Point(p.y, p.x)


compiled_norm2 = njit(norm2)
compiled_swap = njit(swap)

MADE_CASES = [
    (make_positional, (1, 2)),
    (make_positional, (1.5, "s")),
    (make_keywords, (1, 2.5)),
    (make_with_defaults, (3,)),
    (make_widened, (5,)),
    (make_replace, (3,)),
    (make_fields, (Point(1, 2),)),
    (make_nested, (4,)),
    (make_in_list, (4,)),
    (make_dict, (3,)),
    (heap_of_items, ([[(1, 4.0), (2, 1.0)], [(3, 1.0)], [(1, 2.0), (3, 5.0)], [(4, 3.0)], [(0, 1.0)]], 0)),
    (passed_to_another, (3,)),
]


@pytest.mark.parametrize("pyfunc, args", MADE_CASES, ids=case_id)
def test_named_tuples_made_in_compiled_code(pyfunc, args):
    run_both(pyfunc, *args)


def prints(p, r):
    print(p, r)
    print((p, 1), [r])
    print(Point(1.5, "a"), Empty())


def test_printing_shows_class_and_fields(capsys):
    args = (Point(1, 2.5), Record(3, label="z"))
    njit(prints)(*args)
    compiled = capsys.readouterr().out
    prints(*args)
    assert compiled == capsys.readouterr().out


# ---- the built-in tuple() -------------------------------------------------------------------


def tuple_of_nothing():
    return tuple()


def tuple_of_a_tuple(t):
    return tuple(t), tuple(t) == t, tuple((1, 2.5, "s"))


def tuple_of_a_named_tuple(p):
    return tuple(p), tuple(p._replace(x=0))


TUPLE_CASES = [
    (tuple_of_nothing, ()),
    (tuple_of_a_tuple, ((1, 2, 3),)),
    (tuple_of_a_tuple, ((1.5, "a", (2, 3)),)),
    (tuple_of_a_named_tuple, (Point(1, 2),)),
    (tuple_of_a_named_tuple, (Point(1.5, "s"),)),
]


@pytest.mark.parametrize("pyfunc, args", TUPLE_CASES, ids=case_id)
def test_tuple_builtin(pyfunc, args):
    run_both(pyfunc, *args)


def tuple_of_a_list(items):
    return tuple(items)


def tuple_of_a_generator(n):
    return tuple(i * i for i in range(n))


def tuple_of_an_array(a):
    return tuple(a)


@njit
def squares(n):
    for i in range(n):
        yield i * i


def tuple_of_a_generator_function(n):
    return tuple(squares(n))


def tuple_of_zip(a, b):
    return tuple(zip(a, b))


TUPLE_ERROR_CASES = [
    (tuple_of_a_list, ([1, 2],), "`tuple()` of a list (or a comprehension or generator expression, which compiled code makes a list) is not supported: a tuple's length is part of its type"),
    (tuple_of_a_generator, (3,), "`tuple()` of a list (or a comprehension or generator expression"),
    (tuple_of_an_array, (np.zeros(2),), "`tuple()` of a `array(float64, 1d, C)` is not supported"),
    (tuple_of_an_array, ("ab",), "`tuple()` of a `unicode_type` is not supported"),
    (tuple_of_a_generator_function, (3,), "`tuple()` of a generator (`generator(squares(int64) -> int64)`) is not supported: a tuple's length is part of its type"),
    (tuple_of_zip, ([1], [2]), "a tuple's length is part of its type, and this length is known only when the code runs"),
]


@pytest.mark.parametrize("pyfunc, args, message", TUPLE_ERROR_CASES, ids=case_id)
def test_tuple_of_what_has_no_static_length_is_a_clear_error(pyfunc, args, message):
    with pytest.raises(TypingError) as info:
        njit(pyfunc)(*args)
    text = str(info.value)
    assert message in text
    assert "make a list instead (`list(...)` of the same iterable)" in text
    assert "test_named_tuples.py" in text
    # The line of the call.
    assert "return tuple(" in text


# ---- compile errors -------------------------------------------------------------------------


def missing_field(a):
    return Point(a)


def too_many(a):
    return Point(a, a, a)


def unknown_keyword(a):
    return Point(a, z=a)


def unknown_field(p):
    return p.z


def assigns_a_field(p):
    p.x = 3
    return p


def replace_unknown(p):
    return p._replace(z=1)


Listy = namedtuple("Listy", "a b", defaults=[[1, 2]])


def unusable_default(a):
    return Listy(a)


def class_as_a_value(a):
    f = Point
    return a


def method_of_the_class(s):
    return s.norm()


ERROR_CASES = [
    (missing_field, (1,), "`Point.__new__()` missing 1 required positional argument: `y`"),
    (too_many, (1,), "`Point.__new__()` takes 2 positional arguments but 3 were given"),
    (unknown_keyword, (1,), "`Point.__new__()` got an unexpected keyword argument `z`"),
    (unknown_field, (Point(1, 2),), "`Point` has no field `z`"),
    (assigns_a_field, (Point(1, 2),), "cannot assign to the field `x` of a `Point`: named tuples are immutable"),
    (replace_unknown, (Point(1, 2),), "Got unexpected field names: ['z']"),
    (unusable_default, (1,), "the default of the field `b` of `Listy` is a `list`, which compiled code cannot use"),
    (class_as_a_value, (1,), "this is a named tuple class, not a value"),
    (method_of_the_class, (Scaled(3, 4),), "has no method `norm`"),
]


@pytest.mark.parametrize("pyfunc, args, message", ERROR_CASES, ids=case_id)
def test_unsupported_uses_are_clear_errors(pyfunc, args, message):
    with pytest.raises(TypingError) as info:
        njit(pyfunc)(*args)
    text = str(info.value)
    assert message in text
    assert "test_named_tuples.py" in text


# ---- memory ---------------------------------------------------------------------------------


class Labelled(NamedTuple):
    label: str
    values: np.ndarray
    count: int = 0


def named_tuples_holding_heap_values(words, fail):
    items = [Labelled(w, np.full(2, float(len(w)))) for w in words]
    by_label = {}
    for it in items:
        by_label[it.label] = it._replace(count=len(it.label))
    total = 0.0
    for it in items:
        if fail and it.label == "fig":
            raise ValueError("midway")
        total += it.values.sum()
    first = items[0]
    return total, first.label, first._replace(label="new").label, len(by_label)


def named_tuple_arguments_with_strings(ps, fail):
    out = []
    for p in ps:
        out.append(Point(p.y, p.x + "!"))
        if fail and p.y > 1:
            raise ValueError("midway")
    return out


MEMORY_CASES = [
    (named_tuples_holding_heap_values, (["pear", "apple", "fig", "kiwi"],)),
    (named_tuple_arguments_with_strings, ([Point("a", 1), Point("b", 2)],)),
]


@pytest.mark.parametrize("pyfunc, args", MEMORY_CASES, ids=case_id)
def test_named_tuples_release_what_they_hold(pyfunc, args):
    run = njit(pyfunc)
    run(*copy.deepcopy(args), False)
    live0 = _native.live_allocations()
    for _ in range(30):
        same(run(*copy.deepcopy(args), False), python_value(pyfunc(*copy.deepcopy(args), False)))
        with pytest.raises(ValueError, match="midway"):
            run(*copy.deepcopy(args), True)
    assert _native.live_allocations() == live0
