"""`try`/`except`/`else` in compiled code, against CPython: each row is a function run by
CPython and compiled, which must return the same value or raise the same exception class.
Exceptions come from `raise`, from the runtime's checks (division, indexing with
`boundscheck=True`, lists, dicts, conversions), from NumPy's errors in the library, and from
called compiled functions. Leak tests cover arrays made before the exception."""

import gc

import numpy as np
import pytest

import ferrojit
from ferrojit import njit, prange
from ferrojit.errors import UnsupportedError

from helpers import case_id, check, check_arrays

# pytest rewrites the `assert` statements of test modules: the function with one lives there.
from cases_assert import assertion_caught


@njit
def divide(a, b):
    return a // b


def caught_zero_division(a, b):
    try:
        r = a // b
    except ZeroDivisionError:
        r = -1
    return r


def float_division(a, b):
    try:
        return a / b
    except ZeroDivisionError:
        return float("inf")


def arithmetic_catches_subclasses(a, b):
    try:
        r = divide(a, b)
    except ArithmeticError:
        r = -2
    return r


def else_runs_without_exception(a, b):
    r = 0
    try:
        q = a // b
    except ZeroDivisionError:
        r = -1
    else:
        r = q * 10
    return r


def tuple_of_classes(items, i):
    try:
        return items[i]
    except (KeyError, IndexError):
        return -1


def bare_except(items, i):
    try:
        v = items[i]
    except:  # noqa: E722 - the bare form is what this row tests
        v = -3
    return v


def except_exception(items, i):
    try:
        v = items[i] // (i - 1)
    except Exception:
        v = -4
    return v


def first_matching_handler(items, i):
    try:
        v = items[i] // (i - 1)
    except IndexError:
        v = -5
    except ZeroDivisionError:
        v = -6
    except Exception:
        v = -7
    return v


def not_caught(a, b):
    try:
        r = a // b
    except IndexError:
        r = -1
    return r


def nested_tries(items, i, d):
    total = 0
    try:
        try:
            total += items[i]
        except KeyError:
            total = 100
        total += d[i]
    except LookupError:
        total -= 1
    return total


def caught_from_callee(a, b):
    try:
        return divide(a, b)
    except ZeroDivisionError:
        return 0


def raise_and_catch(x):
    try:
        if x > 2:
            raise ValueError("too big")
        y = x * 2
    except ValueError:
        y = -1
    return y


def handler_raises_another(x):
    try:
        y = 10 // x
    except ZeroDivisionError:
        raise KeyError("from the handler")
    return y


def return_inside_try(x):
    for i in range(5):
        try:
            if i == x:
                return i * 100
            v = 10 // (i - 2)
        except ZeroDivisionError:
            continue
    return -1


def break_in_handler(items):
    s = 0
    for i in range(10):
        try:
            s += items[i]
        except IndexError:
            break
    return s


def parse_numbers(texts):
    total = 0
    bad = 0
    for t in texts:
        try:
            total += int(t)
        except ValueError:
            bad += 1
    return total, bad


def dict_lookups(d, keys):
    found = 0
    for k in keys:
        try:
            found += d[k]
        except KeyError:
            found -= 1
    return found


def next_of_empty(items, skip):
    # The list argument is never empty (an empty one has no item type to compile for, and
    # which row compiles the shared dispatcher first depends on the test order).
    it = iter(items[skip:])
    try:
        return next(it)
    except StopIteration:
        return -1


def maybe_unbound_after_try(x):
    try:
        y = 10 // x
    except ZeroDivisionError:
        pass
    return y


@njit
def generator_with_try(n):
    for i in range(n):
        try:
            v = 10 // (i - 1)
        except ZeroDivisionError:
            v = -1
        yield v


@njit
def yields_inside_try(items):
    for i in range(len(items)):
        try:
            v = 100 // items[i]
            yield v
            yield -v
        except ZeroDivisionError:
            v = 0
        else:
            yield 1000
    yield -1


def collect_yields_inside_try(items):
    return list(yields_inside_try(items))


@njit
def raises_after_resuming(n):
    for i in range(n):
        try:
            yield i
            x = 10 // (i - 1)
            yield x
        except ZeroDivisionError:
            yield -99


def collect_raises_after_resuming(n):
    return list(raises_after_resuming(n))


@njit
def yields_in_handlers(items):
    for x in items:
        try:
            yield 10 // x
        except ZeroDivisionError as e:
            yield -1
            yield len(str(e))
        except (IndexError, KeyError):
            yield -2
    yield 99


def collect_yields_in_handlers(items):
    return list(yields_in_handlers(items))


@njit
def raises_from_a_handler_after_yielding(n):
    try:
        x = 1 // n
    except ZeroDivisionError as e:
        yield 1
        raise ValueError("after yielding: " + str(e))
    yield x + 2


def total_of_a_handler_that_raises(n):
    t = 0
    try:
        for v in raises_from_a_handler_after_yielding(n):
            t += v
    except ValueError as e:
        t -= len(str(e))
    return t


def sum_generator(n):
    return sum(generator_with_try(n))


def finally_on_every_end(x):
    out = []
    try:
        out.append(1)
        y = 10 // x
        out.append(y)
    except ZeroDivisionError:
        out.append(3)
    else:
        out.append(4)
    finally:
        out.append(5)
    return out


def finally_on_break_and_continue(x):
    out = [0]
    for i in range(4):
        try:
            if i == x:
                break
            if i == 1:
                continue
            out.append(i)
        finally:
            out.append(100 + i)
    return out


def finally_after_return(x):
    log = [0]
    try:
        try:
            return 10 // x
        finally:
            log.append(1)
    except ZeroDivisionError:
        return -len(log)


def finally_then_raise_again(x):
    total = [0]
    try:
        try:
            total[0] += 1
            if x > 0:
                raise ValueError("positive")
        finally:
            total[0] += 10
    except ValueError:
        total[0] += 100
    return total[0]


def finally_raising_replaces(x):
    try:
        y = 10 // x
    finally:
        if x == 0:
            raise KeyError("from finally")
    return y


def finally_with_a_try_inside(x):
    out = 0
    try:
        try:
            out = 10 // x
        finally:
            try:
                out += [1][x]
            except IndexError:
                out += 1000
    except ZeroDivisionError:
        out = -1
    return out


@njit
def finally_in_generator(n):
    for i in range(n):
        try:
            v = i * 2
        finally:
            v += 1
        yield v


def sum_finally_generator(n):
    return sum(finally_in_generator(n))


def reraise_after_logging(x, log):
    try:
        return 10 // x
    except ZeroDivisionError:
        log.append(1)
        raise


def reraise_to_an_outer_handler(d, k):
    try:
        try:
            return d[k]
        except KeyError:
            try:
                [1][k]
            except IndexError:
                pass
            raise
    except LookupError:
        return -1


def nothing_to_reraise():
    raise


def raise_from_none(d, k):
    try:
        return d[k]
    except KeyError:
        raise ValueError("no such key") from None


class AppError(ValueError):
    pass


class DeepError(AppError):
    pass


class Standalone(Exception):
    pass


class NotAnException(BaseException):
    pass


@njit
def raise_app(x):
    if x > 0:
        raise AppError("bad " + str(x))
    if x < 0:
        raise DeepError
    return 0


def catch_app(x):
    try:
        return raise_app(x)
    except AppError:
        return 1


def catch_app_as_value_error(x):
    # `AppError` is caught by the runtime's check of classes defined in Python code.
    try:
        return raise_app(x)
    except ValueError:
        return 2


def catch_deep_only(x):
    try:
        return raise_app(x)
    except DeepError:
        return 3


def catch_in_a_tuple(x):
    try:
        if x:
            raise Standalone("standalone")
        return 0
    except (KeyError, Standalone):
        return 4


def exception_does_not_catch_base_exceptions(x):
    try:
        try:
            raise NotAnException("base")
        except Exception:
            return 1
    except NotAnException:
        return 2


def bare_except_catches_base_exceptions(x):
    try:
        raise NotAnException("base")
    except:  # noqa: E722 - the bare form is what this row tests
        return 3


def raise_own_class(x):
    if x:
        raise Standalone("reaches Python as its class")
    raise DeepError()


CASES = [
    (caught_zero_division, (7, 2)),
    (caught_zero_division, (7, 0)),
    (float_division, (1.0, 0.0)),
    (float_division, (1.0, 4.0)),
    (arithmetic_catches_subclasses, (9, 0)),
    (arithmetic_catches_subclasses, (9, 4)),
    (else_runs_without_exception, (9, 4)),
    (else_runs_without_exception, (9, 0)),
    (tuple_of_classes, ([1, 2, 3], 1)),
    (tuple_of_classes, ([1, 2, 3], 7)),
    (tuple_of_classes, ({1: 5}, 2)),
    (bare_except, ([1, 2], 5)),
    (bare_except, ({1: 2}, 1)),
    (except_exception, ([1, 2, 3], 1)),
    (except_exception, ([1, 2, 3], 2)),
    (except_exception, ([1, 2, 3], 9)),
    (first_matching_handler, ([1, 2, 3], 9)),
    (first_matching_handler, ([1, 2, 3], 1)),
    (first_matching_handler, ([4, 2, 3], 0)),
    (not_caught, (1, 0)),
    (not_caught, (5, 2)),
    (nested_tries, ([1, 2, 3], 1, {1: 10})),
    (nested_tries, ([1, 2, 3], 5, {1: 10})),
    (nested_tries, ([1, 2, 3], 1, {2: 10})),
    (caught_from_callee, (8, 0)),
    (caught_from_callee, (8, 3)),
    (raise_and_catch, (1,)),
    (raise_and_catch, (5,)),
    (handler_raises_another, (0,)),
    (handler_raises_another, (5,)),
    (return_inside_try, (4,)),
    (return_inside_try, (2,)),
    (return_inside_try, (9,)),
    (break_in_handler, ([1, 2, 3],)),
    (parse_numbers, (["1", "x", "30", "4.5", "-2"],)),
    (dict_lookups, ({"a": 1, "b": 2}, ["a", "c", "b", "d"])),
    (assertion_caught, (3,)),
    (assertion_caught, (-3,)),
    (next_of_empty, ([5, 6], 0)),
    (next_of_empty, ([5, 6], 2)),
    (maybe_unbound_after_try, (5,)),
    (maybe_unbound_after_try, (0,)),
    (sum_generator, (5,)),
    (sum_finally_generator, (4,)),
    (collect_yields_inside_try, ([5, 0, 20, 0],)),
    (collect_yields_inside_try, ([0],)),
    (collect_raises_after_resuming, (4,)),
    (collect_yields_in_handlers, ([1, 0, 5, 0],)),
    (collect_yields_in_handlers, ([2, 3],)),
    (total_of_a_handler_that_raises, (0,)),
    (total_of_a_handler_that_raises, (3,)),
    (finally_on_every_end, (2,)),
    (finally_on_every_end, (0,)),
    (finally_on_break_and_continue, (2,)),
    (finally_on_break_and_continue, (9,)),
    (finally_after_return, (5,)),
    (finally_after_return, (0,)),
    (finally_then_raise_again, (1,)),
    (finally_then_raise_again, (0,)),
    (finally_raising_replaces, (0,)),
    (finally_raising_replaces, (2,)),
    (finally_with_a_try_inside, (0,)),
    (finally_with_a_try_inside, (5,)),
    (reraise_after_logging, (0, [0])),
    (reraise_after_logging, (2, [0])),
    (reraise_to_an_outer_handler, ({1: 2}, 1)),
    (reraise_to_an_outer_handler, ({1: 2}, 5)),
    (nothing_to_reraise, ()),
    (raise_from_none, ({1: 2}, 1)),
    (raise_from_none, ({1: 2}, 3)),
    (catch_app, (1,)),
    (catch_app, (-1,)),
    (catch_app, (0,)),
    (catch_app_as_value_error, (5,)),
    (catch_deep_only, (-1,)),
    (catch_deep_only, (1,)),
    (catch_in_a_tuple, (1,)),
    (catch_in_a_tuple, (0,)),
    (exception_does_not_catch_base_exceptions, (0,)),
    (bare_except_catches_base_exceptions, (0,)),
    (raise_own_class, (1,)),
    (raise_own_class, (0,)),
]

COMPILED = {}


@pytest.mark.parametrize("func,args", CASES, ids=case_id)
def test_try_except_as_cpython(func, args):
    check(func, *args, exc_msg=True, compiled=COMPILED)


def test_own_exception_classes_reach_python_as_themselves():
    with pytest.raises(AppError) as error:
        raise_app(3)
    assert type(error.value) is AppError and error.value.args == ("bad 3",)
    with pytest.raises(DeepError) as error:
        raise_app(-3)
    assert type(error.value) is DeepError and error.value.args == ()


# --- exceptions from array code ----------------------------------------------------------------


def index_checked(a, i):
    try:
        v = a[i]
    except IndexError:
        v = -1.0
    return v


def broadcast_failure(a, b):
    try:
        c = a + b
    except ValueError:
        c = np.zeros(1)
    return c


def axis_error_is_a_value_error(a, axis):
    try:
        return np.sum(a, axis=axis)
    except ValueError:
        return np.zeros(0)


def reshape_failure(a, n):
    try:
        return a.reshape((n, -1)).sum(axis=1)[0]
    except ValueError:
        return -1.0


def reraise_keeps_its_message(d, k, a):
    # The array's IndexError, caught in between, formats a message of its own.
    try:
        return d[k]
    except KeyError:
        try:
            a[k * 1000]
        except IndexError:
            pass
        raise


def finally_keeps_the_message(d, k, a):
    try:
        return d[k]
    finally:
        try:
            a[k * 1000]
        except IndexError:
            pass


ARRAY_CASES = [
    (index_checked, (np.arange(3.0), 1)),
    (index_checked, (np.arange(3.0), 3)),
    (index_checked, (np.arange(3.0), -4)),
    (broadcast_failure, (np.ones(3), np.ones(3))),
    (broadcast_failure, (np.ones(3), np.ones(4))),
    (axis_error_is_a_value_error, (np.ones((2, 3)), 1)),
    (axis_error_is_a_value_error, (np.ones((2, 3)), 3)),
    (reshape_failure, (np.arange(6.0), 2)),
    (reshape_failure, (np.arange(6.0), 4)),
    (reraise_keeps_its_message, ({1: 2.0}, 12345, np.arange(3.0))),
    (reraise_keeps_its_message, ({1: 2.0}, 1, np.arange(3.0))),
    (finally_keeps_the_message, ({1: 2.0}, 12345, np.arange(3.0))),
    (finally_keeps_the_message, ({1: 2.0}, 1, np.arange(3.0))),
]

COMPILED_ARRAYS = {}


@pytest.mark.parametrize("func,args", ARRAY_CASES, ids=case_id)
def test_try_except_in_array_code(func, args):
    check_arrays(func, *args, exc_msg=True, options={"boundscheck": True}, compiled=COMPILED_ARRAYS)


# --- parallel code -----------------------------------------------------------------------------


def guarded_rows(m, d):
    out = np.zeros(m.shape[0])
    for i in prange(m.shape[0]):
        try:
            out[i] = float(m[i, 0]) // float(d[i])
        except ZeroDivisionError:
            out[i] = -1.0
    return out


def prange_inside_try(n):
    out = np.zeros(n)
    try:
        for i in prange(n):
            out[i] = 10 // (i - 3)
    except ZeroDivisionError:
        return -1.0
    return out.sum()


@pytest.mark.parametrize("n", [3, 200], ids=case_id)
def test_exception_of_a_prange_loop_is_caught(n):
    expected = prange_inside_try(n)
    for options in ({}, {"parallel": True}):
        assert njit(**options)(prange_inside_try)(n) == expected


def test_try_except_inside_prange():
    m = np.arange(40.0).reshape(20, 2)
    d = np.array([0.0 if i % 3 == 0 else 2.0 for i in range(20)])
    expected = guarded_rows(m, d)
    for options in ({}, {"parallel": True}):
        got = njit(**options)(guarded_rows)(m, d)
        np.testing.assert_array_equal(got, expected)


# --- memory ------------------------------------------------------------------------------------


def arrays_before_the_exception(n, k):
    kept = np.ones(4)
    try:
        made = np.arange(n) * 2.0
        kept = made + np.ones(k)
    except ValueError:
        kept = np.full(4, 7.0)
    return kept.sum()


@njit
def returned_array_when_finally_raises(n, k):
    a = np.ones(n)
    try:
        return a * 2.0
    finally:
        if k:
            raise ValueError("finally raised")


def returned_or_raised(n, k):
    try:
        return returned_array_when_finally_raises(n, k).sum()
    except ValueError:
        return -1.0


def strings_and_lists_in_handlers(n):
    words = []
    for i in range(n):
        try:
            words.append(str(10 // (i % 3)))
        except ZeroDivisionError:
            words.append("zero" + str(i))
    return len(words)


def reraised_many_times(n):
    caught = 0
    for i in range(n):
        try:
            try:
                d = {0: 1}
                caught += d[i + 1]
            except KeyError:
                raise
        except KeyError:
            caught += 1
    return caught


def own_classes_caught_many_times(n):
    caught = 0
    for i in range(n):
        try:
            if i % 2:
                raise AppError("odd " + str(i))
            raise DeepError
        except AppError:
            caught += 1
    return caught


LEAK_CASES = [
    (arrays_before_the_exception, (4, 4)),
    (arrays_before_the_exception, (4, 5)),
    (strings_and_lists_in_handlers, (30,)),
    (returned_or_raised, (5, 0)),
    (returned_or_raised, (5, 1)),
    (reraised_many_times, (50,)),
    (own_classes_caught_many_times, (40,)),
    (collect_yields_in_handlers, ([1, 0, 5, 0] * 10,)),
    (total_of_a_handler_that_raises, (0,)),
]


@pytest.mark.parametrize("func,args", LEAK_CASES, ids=case_id)
def test_nothing_leaks_on_any_path(func, args):
    cfunc = njit(func)
    assert cfunc(*args) == func(*args)
    gc.collect()
    before = ferrojit._native.live_allocations()
    for _ in range(200):
        cfunc(*args)
    gc.collect()
    assert ferrojit._native.live_allocations() == before


# --- what is not supported yet -----------------------------------------------------------------


NOT_A_CLASS = 3


def catches_a_number(x):
    try:
        y = 1 // x
    except NOT_A_CLASS:
        y = 0
    return y


def test_unsupported_forms_are_clear_errors():
    # `yield` anywhere in a `try` statement, and `return`, `break`, `continue` and a bare `raise`
    # in `finally`: see test_finally_yield.py.
    with pytest.raises(UnsupportedError, match="`except` takes exception classes"):
        njit(catches_a_number)(1)
