"""Messages made when an exception is raised, against CPython: `raise E(a, b, ...)` with several
arguments, `raise E(f"...")` and `raise E(number)`, whose text compiled code writes straight into
the runtime's message, without making strings. Each row raises (or catches and returns the
texts of) one exception; the compiled function must raise the same class with the same
arguments (of the same types) and text, or return the same texts. Also: arguments that run code
which raises and catches, messages written in a loop, and leaks."""

import numpy as np
import pytest

from ferrojit import njit

from cases_assert import assert_with_fstring
from helpers import assert_no_leak, case_id, check


class AppError(ValueError):
    pass


STRINGS = ["plain", "", "it's", 'say "hi"', "both ' and \"", "back\\slash", "tab\there\nnewline", "é", "日本", "emoji 🎉", "\x7f\x01", "\u2028"]


def several(kind, s, i, x):
    """Several arguments of each type, in several orders."""
    if kind == 0:
        raise ValueError(s, i)
    if kind == 1:
        raise AppError("at", i, x, None, True, s)
    if kind == 2:
        raise KeyError(i, s)
    if kind == 3:
        raise IndexError(x, i // 2, False)
    if kind == 4:
        raise ValueError(None, None)
    return 0


def fstring(kind, s, i, x):
    """f-strings of every piece the runtime writes, and of pieces formatted first."""
    if kind == 0:
        raise ValueError(f"bad {s} at {i}")
    if kind == 1:
        raise ValueError(f"{s!r} {i!r} {x!r} {i > 0}")
    if kind == 2:
        raise AppError(f"{x} {x:.3f} {i:>5} {s:*^9} {s!a}")
    if kind == 3:
        raise KeyError(f"{s}")
    if kind == 4:
        raise ValueError(f"{i}{i}{s}{s}{x}")
    if kind == 5:
        raise RuntimeError(f"{np.float32(i % 1000 + 0.1)} {np.uint8(i % 256)} {np.int16(-(i % 1000))}")
    return 0


def number(kind, s, i, x):
    """A number as the one argument."""
    if kind == 0:
        raise IndexError(i)
    if kind == 1:
        raise ValueError(x)
    if kind == 2:
        raise KeyError(i // 2)
    if kind == 3:
        raise ValueError(np.uint8(i % 256))
    return 0


def caught(func, kind, s, i, x):
    try:
        func(kind, s, i, x)
    except Exception as e:
        return str(e), repr(e), f"{e.args}", len(e.args)
    return "", "", "", -1


@njit
def helper_that_catches(i):
    # Raises and catches while the outer raise's arguments are evaluated.
    try:
        raise KeyError(f"inner {i}", i)
    except KeyError:
        return i + 1


def arguments_that_raise_and_catch(i):
    raise ValueError(f"outer {helper_that_catches(i)} {i}", helper_that_catches(i + 1), "end")


def walrus_in_fstring(s):
    raise ValueError(f"{s} {(s := 'changed')} {s}")


def cause_of_several(i):
    raise KeyError("outer") from ValueError("inner", i, 2.5)


def in_a_loop(n):
    # Many messages of different lengths, each caught.
    total = 0
    for k in range(n):
        try:
            if k % 3 == 0:
                raise ValueError("short", k)
            if k % 3 == 1:
                raise ValueError(f"a much longer message, written at {k} with {k * 0.5}")
            raise IndexError(k)
        except ValueError as e:
            total += len(str(e))
        except IndexError as e:
            total += len(repr(e))
    return total


VALUES = [(s, 7, 2.5) for s in STRINGS] + [("x", -(2**63), -0.0), ("x", 2**63 - 1, 1e300), ("x", 0, float("nan")), ("x", 12, float("-inf"))]

CASES = (
    [(several, (k, *v)) for k in range(5) for v in VALUES[:4]]
    + [(several, (1, *v)) for v in VALUES]
    + [(fstring, (k, *v)) for k in range(6) for v in VALUES[:3]]
    + [(fstring, (1, *v)) for v in VALUES]
    + [(number, (k, *v)) for k in range(4) for v in VALUES[-4:]]
    + [(arguments_that_raise_and_catch, (3,)), (assert_with_fstring, (5,)), (walrus_in_fstring, ("before",)), (cause_of_several, (4,)), (in_a_loop, (50,))]
)

COMPILED = {}


@pytest.mark.parametrize("func,args", CASES, ids=case_id)
def test_raised_against_cpython(func, args):
    check(func, *args, exc_msg=True, compiled=COMPILED)


RAISED = [(func, args) for func, args in CASES if func in (several, fstring, number)]


@pytest.mark.parametrize("func,args", RAISED, ids=case_id)
def test_reaches_python_with_the_same_arguments(func, args):
    with pytest.raises(Exception) as expected:
        func(*args)
    with pytest.raises(Exception) as got:
        njit(func)(*args)
    assert type(got.value) is type(expected.value)
    # By `repr`: exact, types included, and NaN equal to itself.
    assert repr(got.value.args) == repr(expected.value.args)


CAUGHT = [(func, k) for func, count in ((several, 5), (fstring, 6), (number, 4)) for k in range(count)]
CAUGHT_COMPILED = {func: njit(func) for func in (several, fstring, number)}


def caught_compiled(func):
    compiled = CAUGHT_COMPILED[func]

    def caught(kind, s, i, x):
        try:
            compiled(kind, s, i, x)
        except Exception as e:
            return str(e), repr(e), f"{e.args}", len(e.args)
        return "", "", "", -1

    return njit(caught)


@pytest.mark.parametrize("func,kind", CAUGHT, ids=case_id)
@pytest.mark.parametrize("values", VALUES, ids=case_id)
def test_caught_in_compiled_code(func, kind, values):
    assert caught_compiled(func)(kind, *values) == caught(func, kind, *values)


def test_an_unsigned_argument_keeps_its_value():
    @njit
    def unsigned(i):
        raise ValueError("big", np.uint64(i) * np.uint64(2) + np.uint64(1))

    with pytest.raises(ValueError) as got:
        unsigned(2**62)
    assert got.value.args == ("big", 2**63 + 1)


@pytest.mark.parametrize("func,args", [(several, (1, "leak", 7, 2.5)), (fstring, (2, "leak", 7, 2.5)), (number, (1, "x", 3, 0.5))], ids=case_id)
def test_nothing_leaks(func, args):
    compiled = njit(func)

    def raise_and_catch(kind, s, i, x):
        n = 0
        for _ in range(10):
            try:
                compiled(kind, s, i, x)
            except Exception as e:
                n += len(str(e))
        return n

    assert_no_leak(njit(raise_and_catch), *args, runs=100)


def test_written_on_a_worker_thread():
    from ferrojit import prange

    @njit(parallel=True)
    def first_bad(a):
        s = 0.0
        for i in prange(a.shape[0]):
            if a[i] > 0.5:
                raise ValueError(f"bad value {a[i]} at {i}", i)
            s += a[i]
        return s

    a = np.zeros(100_000)
    a[77_777] = 0.9
    for _ in range(3):
        with pytest.raises(ValueError) as got:
            first_bad(a)
        assert got.value.args == ("bad value 0.9 at 77777", 77_777)
