"""`match` statements against CPython: literal, value, `|`, wildcard and capture patterns,
guards, sequence patterns over tuples and lists (starred items too), class patterns of built-in
types (positional for the self-matching ones, `int(n)`, and by attribute, `complex(real=0.0)`),
class patterns of jitclasses (by attribute, and positional by their `__match_args__`)
and mapping patterns over dicts (a `case` is an `if`/`elif` test, see
`match_statement` in `crates/ferrojit_syntax/src/lower.rs`). Each row runs a function under
CPython and compiled: the same value and type."""

import pytest

from ferrojit import float64, int64, njit
from ferrojit.experimental import jitclass
from ferrojit.errors import TypingError, UnsupportedError

from helpers import case_id, check

def lit(x):
    match x:
        case 1:
            return "one"
        case 2 | 3:
            return "few"
        case _:
            return "many"
def cap(x):
    match x:
        case 0:
            return -1
        case n if n > 10:
            return n * 2
        case n:
            return n
def tup(p):
    match p:
        case (0, 0):
            return "origin"
        case (0, y):
            return "y" + str(y)
        case (x, 0):
            return "x" + str(x)
        case (x, y):
            return "xy" + str(x + y)
def tup3(p):
    match p:
        case (a, b):
            return a + b
        case (a, b, c):
            return a + b + c
        case _:
            return -1
def strs(s):
    match s:
        case "go" | "run":
            return 1
        case "stop":
            return 2
    return 0
def single(b):
    match b:
        case True:
            return "T"
        case False:
            return "F"
        case None:
            return "N"
        case _:
            return "?"
def in_loop(items):
    total = 0
    for it in items:
        match it:
            case 0:
                continue
            case 99:
                break
            case v:
                total += v
    return total

def nested_sequences(p):
    match p:
        case ((a, b), c):
            return a * 100 + b * 10 + c
        case (a, (b, c)):
            return -(a * 100 + b * 10 + c)
        case _:
            return 0


def captured_with_as(x):
    match x:
        case (1 | 2) as small:
            return small * 10
        case other:
            return other


def subject_evaluated_once(n):
    calls = [0]

    def subject():
        calls[0] += 1
        return n % 3

    match subject():
        case 0:
            r = "zero"
        case 1:
            r = "one"
        case _:
            r = "more"
    return r, calls[0]


def lists_match_sequences(items):
    match items:
        case [x]:
            return x
        case [x, y]:
            return x * y
        case _:
            return -1


def falls_through_without_a_match(x):
    r = 0
    match x:
        case 1:
            r = 10
        case 2:
            r = 20
    return r + 1


CASES = [
    (lit, (1,)), (lit, (3,)), (lit, (7,)),
    (cap, (0,)), (cap, (20,)), (cap, (5,)),
    (tup, ((0, 0),)), (tup, ((0, 4),)), (tup, ((3, 0),)), (tup, ((3, 4),)),
    (tup3, ((1, 2),)), (tup3, ((1, 2, 3),)), (tup3, ((1, 2, 3, 4),)), (tup3, (5,)), (tup3, ("ab",)),
    (strs, ("run",)), (strs, ("stop",)), (strs, ("x",)),
    (single, (True,)), (single, (False,)), (single, (1,)), (single, (0,)),
    (in_loop, ([1, 0, 5, 99, 7],)),
    (nested_sequences, (((1, 2), 3),)), (nested_sequences, ((1, (2, 3)),)), (nested_sequences, ((1, 2),)),
    (captured_with_as, (2,)), (captured_with_as, (5,)),
    (subject_evaluated_once, (3,)), (subject_evaluated_once, (4,)), (subject_evaluated_once, (5,)),
    (lists_match_sequences, ([3],)), (lists_match_sequences, ([3, 4],)), (lists_match_sequences, ([3, 4, 5],)),
    (falls_through_without_a_match, (1,)), (falls_through_without_a_match, (5,)),
]

COMPILED = {}


@pytest.mark.parametrize("func,args", CASES, ids=case_id)
def test_match_as_cpython(func, args):
    check(func, *args, compiled=COMPILED)


# --- class, mapping and starred patterns ------------------------------------------------------


def class_pattern(x):
    match x:
        case bool(b):
            return "bool " + str(b)
        case int(n):
            return "int " + str(n * 2)
        case float(f) if f > 1.0:
            return "big float " + str(f)
        case float():
            return "float"
        case str(s):
            return "str " + s
        case tuple():
            return "tuple of " + str(len(x))
        case _:
            return "other"


def complex_parts(z):
    match z:
        case complex(real=0.0, imag=im):
            return "imaginary " + str(im)
        case complex(real=re, imag=0.0):
            return "real " + str(re)
        case complex():
            return "complex"
        case _:
            return "not complex"


def mapping_pattern(d):
    match d:
        case {"a": 0}:
            return -1
        case {"a": v, "b": w}:
            return v + w
        case {"a": v}:
            return v
        case _:
            return 0


def nested_mapping(d):
    match d:
        case {1: (x, y)} if x < y:
            return x
        case {1: (x, _)}:
            return -x
        case {2: (_, y)}:
            return y * 10
    return 0


def starred_pattern(t):
    match t:
        case (only,):
            return only, 0, 0
        case (first, *rest):
            return first, len(rest), sum(rest)
    return 0, 0, 0


def starred_in_the_middle(items):
    match items:
        case [first, *middle, last]:
            return first * 100 + last, middle
        case [*everything]:
            return -1, everything
    return -2, [0]


def starred_unnamed(t):
    match t:
        case (0, *_):
            return "starts with 0"
        case (*_, 9):
            return "ends with 9"
        case _:
            return "neither"


PATTERN_CASES = [
    (class_pattern, (True,)), (class_pattern, (7,)), (class_pattern, (2.5,)), (class_pattern, (0.5,)), (class_pattern, ("hi",)), (class_pattern, ((1, 2.0),)),
    (complex_parts, (2j,)), (complex_parts, (3 + 0j,)), (complex_parts, (1 + 1j,)), (complex_parts, (4.0,)),
    (mapping_pattern, ({"a": 0, "b": 3},)), (mapping_pattern, ({"a": 1, "b": 3},)), (mapping_pattern, ({"a": 5},)), (mapping_pattern, ({"c": 5},)),
    (nested_mapping, ({1: (2, 3)},)), (nested_mapping, ({1: (4, 3)},)), (nested_mapping, ({2: (4, 3)},)), (nested_mapping, ({3: (4, 3)},)),
    # A 1-tuple is left out: its `*rest` would be an empty list of no item type, which compiled
    # code cannot make from an empty tuple.
    (starred_pattern, ((5, 6, 7),)), (starred_pattern, ((5, 6),)),
    (starred_in_the_middle, ([1, 2, 3, 4],)), (starred_in_the_middle, ([1, 4],)), (starred_in_the_middle, ([7],)),
    (starred_unnamed, ((0, 1, 2),)), (starred_unnamed, ((1, 2, 9),)), (starred_unnamed, ((1, 2),)), (starred_unnamed, ((0,),)),
]


@pytest.mark.parametrize("func,args", PATTERN_CASES, ids=case_id)
def test_class_mapping_and_starred_patterns_as_cpython(func, args):
    check(func, *args, compiled=COMPILED)


@jitclass
class JitPoint:
    x: float64
    y: float64

    def __init__(self, x, y):
        self.x = x
        self.y = y


def where(p):
    match p:
        case JitPoint(x=0.0, y=0.0):
            return "origin"
        case JitPoint(x=0.0, y=y):
            return "on the y axis at " + str(y)
        case JitPoint():
            return "elsewhere"
    return "not a point"


@pytest.mark.parametrize("xy", [(0.0, 0.0), (0.0, 2.5), (1.0, 1.0)], ids=case_id)
def test_class_patterns_of_jitclasses_as_cpython(xy):
    assert njit(where)(JitPoint(*xy)) == where(JitPoint(*xy))


@jitclass
class MatchedPoint:
    # Fields that are `__init__`'s parameters: `__match_args__` is `("x", "y")`, as a
    # dataclass's.
    x: float64
    y: float64


@jitclass
class Interval:
    __match_args__ = ("low", "high")
    low: int64
    high: int64

    def __init__(self, low, high):
        self.low = low
        self.high = high


def describe_point(p):
    match p:
        case MatchedPoint(0.0, 0.0):
            return "origin"
        case MatchedPoint(0.0, y):
            return "on the y axis at " + str(y)
        case MatchedPoint(x, y=2.0):
            return "at height 2, x " + str(x)
        case MatchedPoint(x, y) if x == y:
            return "on the diagonal at " + str(x)
        case MatchedPoint(x):
            return "x " + str(x)
    return "not a point"


def interval_length(i):
    match i:
        case Interval(low, high) if high >= low:
            return high - low
        case Interval(low):
            return -low
    return 0


@pytest.mark.parametrize("xy", [(0.0, 0.0), (0.0, 2.5), (1.5, 2.0), (3.0, 3.0), (4.0, 1.0)], ids=case_id)
def test_positional_class_patterns_of_jitclasses_as_cpython(xy):
    assert MatchedPoint.__match_args__ == ("x", "y")
    assert njit(describe_point)(MatchedPoint(*xy)) == describe_point(MatchedPoint(*xy))


@pytest.mark.parametrize("bounds", [(1, 5), (5, 1), (0, 0)], ids=case_id)
def test_positional_class_patterns_by_match_args_as_cpython(bounds):
    assert njit(interval_length)(Interval(*bounds)) == interval_length(Interval(*bounds))


def too_many_positional(i):
    match i:
        case Interval(low, high, extra):
            return low + high + extra
    return 0


def positional_without_match_args(p):
    match p:
        case JitPoint(x):
            return x
    return 0.0


@pytest.mark.parametrize(
    "func,make,message",
    [
        (too_many_positional, lambda: Interval(1, 2), "Interval() accepts 2 positional sub-patterns (3 given)"),
        (positional_without_match_args, lambda: JitPoint(1.0, 2.0), "JitPoint() accepts 0 positional sub-patterns (1 given)"),
    ],
    ids=["too_many", "without_match_args"],
)
def test_more_positional_patterns_than_match_args_is_cpythons_error(func, make, message):
    arg = make()
    with pytest.raises(TypeError, match=message.replace("(", "\\(").replace(")", "\\)")) as python:
        func(arg)
    with pytest.raises(TypingError) as compiled:
        njit(func)(arg)
    assert message in str(compiled.value) and message == str(python.value)


def positional_class_pattern(p):
    match p:
        case complex(0, y):
            return y
    return 0


def mapping_rest(d):
    match d:
        case {"a": v, **rest}:
            return v + len(rest)
    return 0


@pytest.mark.parametrize("func,arg,what", [(positional_class_pattern, 1j, "positional patterns in a class pattern"), (mapping_rest, {"a": 1}, "`\\*\\*rest` in a mapping pattern")], ids=case_id)
def test_patterns_not_supported_yet_are_clear_errors(func, arg, what):
    with pytest.raises(UnsupportedError, match=what):
        njit(func)(arg)
