"""`match` statements against CPython: literal, value, `|`, wildcard and capture patterns,
guards, and sequence patterns over tuples and lists (a `case` is an `if`/`elif` test, see
`match_statement` in `crates/ferrojit_syntax/src/lower.rs`). Each row runs a function under
CPython and compiled: the same value and type."""

import pytest

from ferrojit import njit
from ferrojit.errors import UnsupportedError

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


def class_pattern(x):
    match x:
        case int(n):
            return n
    return 0


def mapping_pattern(d):
    match d:
        case {"a": v}:
            return v
    return 0


def starred_pattern(t):
    match t:
        case (first, *rest):
            return first
    return 0


@pytest.mark.parametrize("func,arg,what", [(class_pattern, 1, "class patterns"), (mapping_pattern, {"a": 1}, "mapping patterns"), (starred_pattern, (1, 2), "starred items")], ids=case_id)
def test_patterns_not_supported_yet_are_clear_errors(func, arg, what):
    with pytest.raises(UnsupportedError, match=what):
        njit(func)(arg)
