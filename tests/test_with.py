"""`with` statements over context managers that are compiled class instances (`@jitclass` with
`__enter__` and `__exit__`), against CPython: each row runs a function under CPython (the same
classes are jitclasses there too, called from Python) and compiled; the results, and the
order in which the managers saw what happened (recorded in them), must be the same. Covers
exceptions passed to `__exit__` and swallowed or not, `return`, `break` and `continue` inside
the block, nested blocks and several managers in one statement, and exceptions raised by
`__enter__` and `__exit__` themselves."""


import pytest

import ferrojit
from ferrojit import int64, njit
from ferrojit.experimental import jitclass

from helpers import assert_no_leak, case_id, check


@jitclass
class Recorder:
    """Appends a digit to `log` for each event: 1 entered, 2 left normally, 3 left by an
    exception (which it swallows when `swallow`)."""

    log: int64
    swallow: bool

    def __init__(self, swallow):
        self.log = 0
        self.swallow = swallow

    def __enter__(self):
        self.log = self.log * 10 + 1
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.log = self.log * 10 + 2
            return False
        self.log = self.log * 10 + 3
        return self.swallow

    def note(self, digit):
        self.log = self.log * 10 + digit


@jitclass
class Failing:
    """A manager whose `__enter__` (`where` 1) or `__exit__` (`where` 2) raises."""

    where: int64
    log: int64

    def __init__(self, where):
        self.where = where
        self.log = 0

    def __enter__(self):
        self.log += 1
        if self.where == 1:
            raise RuntimeError("enter failed")
        return self.log

    def __exit__(self, exc_type, exc, tb):
        self.log += 10
        if self.where == 2:
            raise KeyError("exit failed")
        return False


def raises_or_returns(x, swallow):
    r = Recorder(swallow)
    try:
        with r as same:
            same.note(5)
            if x == 0:
                raise ValueError("zero")
            if x == 1:
                return r.log
            if x == 2:
                return 10 // (x - 2)
    except ValueError:
        return -r.log
    except ZeroDivisionError:
        return -1000 - r.log
    return r.log


def in_a_loop(n):
    r = Recorder(False)
    total = 0
    for i in range(n):
        with r:
            if i % 3 == 0:
                continue
            if i == 7:
                break
            total += i
    return total * 1000000000 + r.log % 1000000000


def nested_and_several(x):
    a, b, c = Recorder(False), Recorder(True), Recorder(False)
    try:
        with a:
            with b, c:
                a.note(4)
                if x:
                    raise ValueError("inner")
            a.note(6)
    except ValueError:
        return -1, a.log, b.log, c.log
    return 0, a.log, b.log, c.log


def exception_seen_by_exit(x):
    r = Recorder(True)
    with r:
        if x > 0:
            raise IndexError(f"index {x}")
    return r.log


def enter_or_exit_raises(where):
    m = Failing(where)
    try:
        with m as n:
            m.log += 100 * n
    except RuntimeError:
        return -1, m.log
    except KeyError:
        return -2, m.log
    return 0, m.log


CASES = [
    (raises_or_returns, (0, False)), (raises_or_returns, (0, True)), (raises_or_returns, (1, False)), (raises_or_returns, (2, False)), (raises_or_returns, (2, True)), (raises_or_returns, (5, False)),
    (in_a_loop, (10,)), (in_a_loop, (4,)),
    (nested_and_several, (0,)), (nested_and_several, (1,)),
    (exception_seen_by_exit, (0,)), (exception_seen_by_exit, (3,)),
    (enter_or_exit_raises, (0,)), (enter_or_exit_raises, (1,)), (enter_or_exit_raises, (2,)),
]

COMPILED = {}


@pytest.mark.parametrize("func,args", CASES, ids=case_id)
def test_with_as_cpython(func, args):
    check(func, *args, exc_msg=True, compiled=COMPILED)


@jitclass
class Inspector:
    """Keeps what `__exit__` was given: whether there was an exception, and its text."""

    text: str
    is_value_error: bool

    def __init__(self):
        self.text = ""
        self.is_value_error = False

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc is not None:
            self.text = str(exc)
            self.is_value_error = isinstance(exc, ValueError) and issubclass(exc_type, ValueError)
        return True


def inspected(x):
    m = Inspector()
    with m:
        if x:
            raise ValueError(f"bad {x}")
    return m.text, m.is_value_error


@pytest.mark.parametrize("x", [0, 4], ids=case_id)
def test_exit_sees_the_exception_in_compiled_code_and_from_python(x):
    check(inspected, x, compiled=COMPILED)


def test_a_value_that_is_no_context_manager_is_a_clear_error():
    def not_a_manager(x):
        with x:
            pass
        return x

    with pytest.raises(ferrojit.errors.TypingError, match="is not a context manager"):
        njit(not_a_manager)(3)


def many_blocks(n):
    total = 0
    for i in range(n):
        r = Recorder(True)
        with r:
            if i % 2:
                raise ValueError(f"odd {i}")
        total += r.log
    return total


def test_nothing_leaks():
    cfunc = njit(many_blocks)
    assert cfunc(40) == many_blocks(40)
    assert_no_leak(cfunc, 40)
