"""`throw()` and `close()` of compiled generators returned to Python, against CPython 3.11: each
row drives a generator through a script of `next`, `throw` and `close` calls, once as CPython's
generator (the compiled function's `py_func`) and once compiled, and compares what each call
gave (a value, or the exception's class and arguments) and what the generator printed. Exceptions to throw are made afresh for each run."""

import contextlib
import gc
import io
import sys

import pytest

from ferrojit import njit

from helpers import assert_no_leak

# A generator that yields again when closed is reported as unraisable when dropped, by CPython
# and by compiled code alike; pytest turns that into warnings.
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


class AppError(ValueError):
    pass


class Fatal(BaseException):
    pass


@njit
def counts(n):
    for i in range(n):
        yield i


@njit
def catches_value_errors(n):
    i = 0
    while i < n:
        try:
            yield i
        except ValueError as e:
            print("caught " + repr(e))
            yield -1
        finally:
            print("finally " + str(i))
        i += 1
    print("end")


@njit
def returns_when_thrown_into(n):
    try:
        yield 1
        yield 2
    except KeyError as e:
        print("key " + str(e))
        return
    finally:
        print("finally")
    yield 3


@njit
def reraises_another(n):
    try:
        yield n
    except LookupError as e:
        print("lookup " + str(e.args))
        raise RuntimeError("from the generator") from e


@njit
def catches_everything(n):
    for i in range(n):
        try:
            yield i
        except BaseException as e:  # noqa: BLE001 - what a compiled handler of BaseException sees
            print("base " + repr(e) + " " + str(isinstance(e, Exception)))


@njit
def catches_generator_exit(n):
    try:
        yield 1
        yield 2
    except GeneratorExit:
        print("exit")
        raise
    finally:
        print("finally")


@njit
def yields_again_when_closed(n):
    try:
        yield 1
    finally:
        print("finally")
        yield 2


@njit
def raises_when_closed(n):
    try:
        yield 1
    finally:
        raise ValueError(f"raised in finally {n}")


@njit
def returns_when_closed(n):
    try:
        yield 1
    except GeneratorExit:
        print("returning")
        return


@njit
def strings_across_yields(n):
    text = "held " * n
    try:
        yield text
        yield text + "again"
    except ValueError as e:
        print(text + str(e))
        yield "after " + str(e)


@njit
def delegates(n):
    try:
        yield from counts(n)
    finally:
        print("outer finally")


NEXT, CLOSE = "next", "close"


def throw(make, *rest):
    """A `throw` step: `make()` is its first argument (a new exception, or a class)."""
    return ("throw", make, rest)


def drive(make, n, script):
    """Runs `script` on `make(n)`: what each step gave, and what the generator printed."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        out = run_script(make(n), script)
        gc.collect()
    return out, printed.getvalue()


def run_script(g, script):
    out = []
    for step in script:
        try:
            if step == NEXT:
                out.append(("value", next(g)))
            elif step == CLOSE:
                out.append(("closed", g.close()))
            else:
                _, exception, rest = step
                out.append(("value", g.throw(exception(), *rest)))
        except BaseException as exc:  # noqa: BLE001 - every outcome is compared
            cause = exc.__cause__
            out.append((type(exc), exc.args, type(cause), getattr(cause, "args", None)))
    return out


SCRIPTS = [
    (counts, 3, [NEXT, throw(lambda: ValueError("x")), NEXT]),
    (counts, 3, [throw(lambda: ValueError("before the start")), NEXT]),
    (counts, 1, [NEXT, NEXT, throw(lambda: KeyError("finished"))]),
    (counts, 3, [NEXT, CLOSE, NEXT, CLOSE]),
    (counts, 3, [CLOSE, NEXT]),
    (counts, 3, [NEXT, throw(lambda: StopIteration("stop"))]),
    (catches_value_errors, 3, [NEXT, throw(lambda: ValueError("x")), NEXT, NEXT, throw(lambda: AppError("app")), NEXT, NEXT, NEXT]),
    (catches_value_errors, 3, [NEXT, throw(lambda: ValueError), NEXT, throw(lambda: KeyError(5)), NEXT]),
    (catches_value_errors, 3, [NEXT, throw(lambda: ValueError, "old form"), NEXT]),
    (catches_value_errors, 3, [NEXT, throw(lambda: ValueError, ("two", "items")), NEXT]),
    (catches_value_errors, 3, [NEXT, throw(lambda: ValueError("twice")), throw(lambda: ValueError("while handling"))]),
    (catches_value_errors, 2, [NEXT, CLOSE, NEXT]),
    (catches_value_errors, 2, [NEXT, throw(lambda: ValueError("x")), CLOSE]),
    (returns_when_thrown_into, 0, [NEXT, throw(lambda: KeyError("k")), NEXT]),
    (returns_when_thrown_into, 0, [NEXT, NEXT, throw(lambda: IndexError("i"))]),
    (reraises_another, 4, [NEXT, throw(lambda: KeyError("k", 2))]),
    (reraises_another, 4, [NEXT, throw(lambda: ZeroDivisionError("z"))]),
    (catches_everything, 3, [NEXT, throw(lambda: Fatal("fatal")), throw(lambda: AppError("own")), throw(lambda: GeneratorExit()), NEXT]),
    (catches_generator_exit, 0, [NEXT, CLOSE, NEXT]),
    (catches_generator_exit, 0, [NEXT, throw(lambda: GeneratorExit("thrown"))]),
    (yields_again_when_closed, 0, [NEXT, CLOSE, NEXT]),
    (raises_when_closed, 7, [NEXT, CLOSE, NEXT, CLOSE]),
    (returns_when_closed, 0, [NEXT, CLOSE, CLOSE]),
    (strings_across_yields, 2, [NEXT, throw(lambda: ValueError("v")), NEXT]),
    (strings_across_yields, 2, [NEXT, NEXT, CLOSE]),
    (delegates, 3, [NEXT, CLOSE, NEXT]),
    (delegates, 3, [NEXT, NEXT, NEXT, NEXT, throw(lambda: ValueError("after the end"))]),
]


@pytest.mark.parametrize("make,n,script", SCRIPTS, ids=[f"{make.__name__}-{i}" for i, (make, _, _) in enumerate(SCRIPTS)])
def test_throw_and_close_against_cpython(make, n, script):
    assert drive(make, n, script) == drive(make.py_func, n, script)


def test_an_exception_leaving_the_generator_is_the_one_thrown():
    thrown = KeyError("k")
    g = counts(3)
    next(g)
    with pytest.raises(KeyError) as raised:
        g.throw(thrown)
    assert raised.value is thrown
    g = catches_value_errors(2)
    with pytest.raises(KeyError) as raised:
        g.throw(thrown)
    assert raised.value is thrown


def test_exceptions_compiled_code_cannot_hold_are_a_clear_error():
    g = catches_value_errors(3)
    assert next(g) == 0
    with pytest.raises(TypeError, match=r"cannot throw `OSError` into a compiled generator"):
        g.throw(OSError("disk"))
    # Still suspended where it was.
    assert g.throw(ValueError("v")) == -1
    with pytest.raises(TypeError, match="exceptions must be classes or instances deriving from BaseException, not int"):
        g.throw(5)
    with pytest.raises(TypeError, match="instance exception may not have a separate value"):
        g.throw(ValueError("v"), "value")


def test_throw_into_yield_from_is_a_clear_error(capsys):
    g = delegates(3)
    assert next(g) == 0
    with pytest.raises(TypeError, match=r"suspended in `yield from` is not supported"):
        g.throw(ValueError("v"))
    # Still suspended where it was.
    assert next(g) == 1
    g.close()
    assert capsys.readouterr().out == "outer finally\n"


def test_close_when_dropped_still_reports_unraisable():
    seen = []
    old = sys.unraisablehook
    sys.unraisablehook = lambda u: seen.append((type(u.exc_value), str(u.exc_value)))
    try:
        for make in (raises_when_closed, raises_when_closed.py_func):
            g = make(1)
            next(g)
            del g
            gc.collect()
    finally:
        sys.unraisablehook = old
    assert seen == [(ValueError, "raised in finally 1")] * 2


def throw_many(n):
    total = 0
    for i in range(n):
        g = strings_across_yields(i % 3 + 1)
        total += len(next(g))
        total += len(g.throw(ValueError(f"v{i}")))
        g.close()
        g = catches_value_errors(2)
        next(g)
        try:
            g.throw(KeyError(i))
        except KeyError:
            total += 1
    return total


def test_throw_and_close_do_not_leak():
    with contextlib.redirect_stdout(io.StringIO()):
        assert throw_many(5) > 0
        assert_no_leak(throw_many, 5, runs=20)
