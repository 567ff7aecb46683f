"""`except E as e` in compiled code, against CPython: each row is a function run by CPython and
compiled, which must give the same value (the texts `str(e)`, `repr(e)`, f-strings, `e.args`,
`isinstance(e, ...)`) or raise the same exception. The exceptions come from `raise`, from the
runtime's checks (division, indexing, dicts, conversions), from NumPy's errors in the library,
from called compiled functions, and from exception classes defined here. Leak tests cover the
exception's message, which the bound name holds."""


import numpy as np
import pytest

from ferrojit import njit, objmode
from ferrojit.errors import UnsupportedError

from helpers import assert_no_leak, case_id, check


class AppError(ValueError):
    pass


class MissingKey(KeyError):
    pass


class Fatal(BaseException):
    pass


class Loud(ValueError):
    # Its own text: `str(e)` and `repr(e)` in compiled code are Python's.
    def __str__(self):
        return "LOUD: " + self.args[0]

    def __repr__(self):
        return "<loud " + self.args[0] + ">"


class Positioned(ValueError):
    # Its own `__init__`: its arguments are what it gives `ValueError`, not what it was called with.
    def __init__(self, message, position):
        super().__init__(f"{message} at {position}")
        self.position = position


class LoudPositioned(Positioned, Loud):
    pass


@njit
def divide(a, b):
    return a // b


def raise_kind(kind):
    """Raises one exception per `kind`: from `raise` with and without an argument, from the
    runtime's checks and from the library."""
    if kind == 0:
        raise ValueError("bad value")
    if kind == 1:
        raise AppError("app failed")
    if kind == 2:
        raise AppError
    if kind == 3:
        return {1: 2}[kind]
    if kind == 4:
        return divide(1, 0)
    if kind == 5:
        raise KeyError("missing")
    if kind == 6:
        raise MissingKey("own key")
    if kind == 7:
        return int("x7")
    if kind == 8:
        return np.ones(3).reshape(2, 2).shape[0]
    if kind == 9:
        raise ValueError("")
    if kind == 10:
        raise IndexError('quote\'s "both"')
    if kind == 11:
        raise ValueError(f"made at run time {kind}")
    if kind == 12:
        return {"a": 1}["z" * (kind - 11)]
    return kind


raise_kind_compiled = njit(raise_kind)


def texts(kind):
    try:
        raise_kind_compiled(kind)
    except Exception as e:
        return str(e), repr(e)
    return "", ""


def texts_inline(kind):
    try:
        if kind == 0:
            raise ValueError("bad value")
        if kind == 1:
            raise AppError
        if kind == 2:
            raise KeyError(f"key {kind}")
        if kind == 3:
            raise IndexError('quote\'s "both"')
        if kind == 4:
            return str({1: 2}[kind]), "", ""
    except Exception as e:
        return str(e), repr(e), f"<{e}|{e!r}|{e!s}>"
    return "", "", str(kind)


def classes_of(kind):
    try:
        raise_kind_compiled(kind)
    except Exception as e:
        return (
            isinstance(e, ValueError),
            isinstance(e, AppError),
            isinstance(e, LookupError),
            isinstance(e, (KeyError, ZeroDivisionError)),
            isinstance(e, MissingKey),
            isinstance(e, ArithmeticError),
            isinstance(e, Exception),
        )
    return (False,) * 7


def args_of(kind):
    try:
        raise_kind_compiled(kind)
    except Exception as e:
        if len(e.args) == 0:
            return 0, ""
        return len(e.args), e.args[0] + "|" + e.args[-1]
    return -1, ""


def args_as_a_value(kind):
    try:
        raise_kind_compiled(kind)
    except Exception as e:
        a = e.args
        return str(a), repr(a), f"{a}|{e.args!r}", len(a), bool(a), isinstance(a, tuple), "yes" if e.args else "no"
    return "", "", "", -1, False, False, ""


def args_iterated(kind):
    try:
        raise_kind_compiled(kind)
    except Exception as e:
        out = ""
        for item in e.args:
            out += "<" + item + ">"
        return out
    return "nothing raised"


def args_unpacked(kind):
    try:
        raise_kind_compiled(kind)
    except Exception as e:
        (message,) = e.args
        return message
    return "nothing raised"


def args_returned(kind):
    try:
        raise_kind_compiled(kind)
    except Exception as e:
        return e.args
    raise RuntimeError("nothing raised")


def several_arguments(kind, x):
    """Raises an exception with several arguments: strings, numbers, bools, `None`."""
    if kind == 0:
        raise ValueError("bad", x)
    if kind == 1:
        raise AppError("a", x, 2.5, None, True)
    if kind == 2:
        raise KeyError(x, "k")
    if kind == 3:
        raise MissingKey("it's", -x, 1e300, "é\n")
    if kind == 4:
        raise IndexError(x)
    return x


several_arguments_compiled = njit(several_arguments)


def several_arguments_caught(kind):
    try:
        several_arguments_compiled(kind, 7)
    except Exception as e:
        return str(e), repr(e), f"{e.args}", len(e.args), bool(e.args), isinstance(e, LookupError)
    return "", "", "", -1, False, False


def several_arguments_raised_again(kind):
    try:
        several_arguments_compiled(kind, 7)
    except Exception as e:
        raise e
    return 0


def raise_own_text(kind, x):
    if kind == 0:
        raise Loud("quiet")
    if kind == 1:
        raise Positioned("bad char", x)
    if kind == 2:
        raise LoudPositioned("odd", x)
    return x


raise_own_text_compiled = njit(raise_own_text)


def own_text_caught(kind):
    try:
        raise_own_text_compiled(kind, 7)
    except Exception as e:
        return str(e), repr(e), f"{e}|{e!r}|{e.args}", len(e.args), e.args[0], isinstance(e, Loud)
    return "", "", "", -1, "", False


def own_text_raised_again(kind):
    try:
        raise_own_text_compiled(kind, 7)
    except ValueError as e:
        raise e
    return 0


def args_out_of_range(i):
    try:
        raise ValueError("one")
    except ValueError as e:
        return e.args[i]


def number_key_argument(key):
    d = {1: 1.0}
    try:
        return str(d[key])
    except KeyError as e:
        return "missing " + str(e) + " " + repr(e)


def float_key_argument(key):
    d = {1.5: 1}
    try:
        return d[key]
    except KeyError as e:
        return len(str(e))


def caught_by_the_right_clause(kind):
    try:
        raise_kind_compiled(kind)
    except ZeroDivisionError as z:
        return "zero: " + str(z)
    except KeyError as k:
        return "key: " + repr(k)
    except ValueError as v:
        return "value: " + repr(v)
    return "none"


def reraised(kind):
    try:
        raise_kind_compiled(kind)
    except LookupError as e:
        raise e
    return 0


def reraise_after_other_exceptions(n):
    try:
        raise ValueError("first")
    except ValueError as e:
        # Other exceptions raised and caught meanwhile leave `e` as it was.
        for i in range(n):
            try:
                raise KeyError(f"other {i}")
            except KeyError:
                pass
        raise e


def nested_names(x):
    out = ""
    try:
        raise ValueError("outer")
    except ValueError as outer:
        try:
            1 // x
        except ZeroDivisionError as inner:
            out = str(inner) + " inside " + str(outer)
        out += " / " + repr(outer)
    return out


def same_name_in_a_loop(n):
    texts = []
    for i in range(n):
        try:
            if i % 3 == 0:
                raise ValueError(f"v{i}")
            if i % 3 == 1:
                raise KeyError(f"k{i}")
        except (ValueError, KeyError) as e:
            texts.append(repr(e))
    return texts


def name_is_deleted_after_the_clause(x):
    try:
        1 // x
    except ZeroDivisionError as e:
        pass
    return str(e)  # noqa: F821 - Python deletes `e`: UnboundLocalError, as compiled code


def read_by_a_lambda(x):
    try:
        raise ValueError(f"v{x}")
    except ValueError as e:
        text = lambda: str(e) + "!"  # noqa: E731
        return text()


def handler_chooses_by_text(words):
    count = 0
    for w in words:
        try:
            count += int(w)
        except ValueError as e:
            if "invalid literal" in str(e):
                count -= 1000
    return count


def base_exception_class(x):
    try:
        if x:
            raise Fatal("stop")
    except Fatal as e:
        return repr(e) + str(isinstance(e, Exception)) + str(isinstance(e, Fatal))
    return ""


def base_exceptions(x):
    try:
        if x == 1:
            raise Fatal("stop")
        if x == 2:
            raise BaseException("base")
        return str(1 // x)
    except Exception as e:
        return "exception " + repr(e)
    except BaseException as e:
        return "base " + repr(e) + str(isinstance(e, Exception)) + str(isinstance(e, BaseException))


def print_of_exceptions(kind):
    try:
        raise_kind_compiled(kind)
    except Exception as e:
        print("caught", e, repr(e))
        print(e)
    return kind


CASES = (
    [(texts, (k,)) for k in range(14)]
    + [(texts_inline, (k,)) for k in range(6)]
    + [(classes_of, (k,)) for k in range(13)]
    + [(args_of, (k,)) for k in (0, 1, 2, 4, 5, 6, 7, 9, 11, 12, 13)]
    # `e.args` as a value: its text for every kind (a number key's too), its items for those
    # whose argument is a string, unpacking (none: CPython's `ValueError`).
    + [(args_as_a_value, (k,)) for k in range(14)]
    + [(args_returned, (k,)) for k in range(14)]
    + [(args_iterated, (k,)) for k in (0, 1, 2, 4, 5, 6, 7, 9, 11, 12, 13)]
    + [(args_unpacked, (k,)) for k in (0, 1, 2, 5, 9)]
    + [(several_arguments_caught, (k,)) for k in range(6)]
    # Classes with their own `__str__`, `__repr__` or `__init__`: Python tells their text.
    + [(own_text_caught, (k,)) for k in range(4)]
    + [
        (args_out_of_range, (0,)),
        (args_out_of_range, (-1,)),
        (args_out_of_range, (1,)),
        (args_out_of_range, (-2,)),
        (number_key_argument, (1,)),
        (number_key_argument, (7,)),
        (number_key_argument, (-3,)),
        (float_key_argument, (2.25,)),
        (caught_by_the_right_clause, (4,)),
        (caught_by_the_right_clause, (3,)),
        (caught_by_the_right_clause, (6,)),
        (caught_by_the_right_clause, (1,)),
        (caught_by_the_right_clause, (99,)),
        (reraised, (3,)),
        (reraised, (5,)),
        (reraised, (6,)),
        (reraised, (0,)),
        (reraised, (99,)),
        (reraise_after_other_exceptions, (0,)),
        (reraise_after_other_exceptions, (3,)),
        (nested_names, (0,)),
        (same_name_in_a_loop, (7,)),
        (name_is_deleted_after_the_clause, (0,)),
        (name_is_deleted_after_the_clause, (1,)),
        (read_by_a_lambda, (3,)),
        (handler_chooses_by_text, (["1", "x", "20", "3.5"],)),
        (base_exception_class, (1,)),
        (base_exception_class, (0,)),
        (base_exceptions, (0,)),
        (base_exceptions, (1,)),
        (base_exceptions, (2,)),
        (base_exceptions, (5,)),
    ]
)

COMPILED = {}


@pytest.mark.parametrize("func,args", CASES, ids=case_id)
def test_except_as_against_cpython(func, args):
    check(func, *args, exc_msg=True, compiled=COMPILED)


def test_args_of_a_number_key_is_a_clear_error():
    # CPython's `KeyError(5).args[0]` is the number; compiled code holds the argument as text.
    def first_arg(key):
        try:
            return {1: 2}[key]
        except KeyError as e:
            return len(e.args[0])

    with pytest.raises(TypeError, match="use `str\\(e\\)`"):
        njit(first_arg)(5)


@pytest.mark.parametrize("kind", [0, 1, 2, 4, 5, 6, 9, 10], ids=case_id)
def test_print_of_exceptions(kind, capsys):
    print_of_exceptions(kind)
    expected = capsys.readouterr().out
    njit(print_of_exceptions)(kind)
    assert capsys.readouterr().out == expected


def returned(kind):
    try:
        raise_kind_compiled(kind)
    except Exception as e:
        return e
    raise RuntimeError("nothing raised")


@pytest.mark.parametrize("kind", [0, 1, 2, 3, 4, 5, 6, 7, 9, 11], ids=case_id)
def test_an_exception_returned_reaches_python_as_itself(kind):
    got, expected = njit(returned)(kind), returned(kind)
    assert type(got) is type(expected)
    assert got.args == expected.args
    assert str(got) == str(expected)


@pytest.mark.parametrize("func", [several_arguments, several_arguments_raised_again], ids=case_id)
@pytest.mark.parametrize("kind", range(5), ids=case_id)
def test_several_arguments_reach_python_as_they_were(func, kind):
    args = (kind, 7) if func is several_arguments else (kind,)
    with pytest.raises(Exception) as expected:
        func(*args)
    with pytest.raises(Exception) as got:
        njit(func)(*args)
    assert type(got.value) is type(expected.value)
    assert got.value.args == expected.value.args
    assert [type(a) for a in got.value.args] == [type(a) for a in expected.value.args]


@pytest.mark.parametrize("kind", range(3), ids=case_id)
def test_classes_with_their_own_init_reach_python_as_they_were(kind):
    with pytest.raises(Exception) as expected:
        own_text_raised_again(kind)
    with pytest.raises(Exception) as got:
        njit(own_text_raised_again)(kind)
    assert type(got.value) is type(expected.value)
    assert got.value.args == expected.value.args
    assert getattr(got.value, "position", None) == getattr(expected.value, "position", None)
    assert str(got.value) == str(expected.value)


def string_items_of_several_arguments(i):
    try:
        raise ValueError("bad", i, 2.5, 'it\'s "q"\n', "é€")
    except ValueError as e:
        return (e.args[0], e.args[-1], e.args[3], e.args[-5], len(e.args))


def several_string_arguments_iterated(x):
    try:
        raise ValueError("a", f"b{x}", "c")
    except ValueError as e:
        first, second, third = e.args
        return [a + "!" for a in e.args], second + third


def item_beyond_several_arguments(i):
    try:
        raise KeyError("a", "b")
    except KeyError as e:
        return e.args[i]


@pytest.mark.parametrize("func,args", [(string_items_of_several_arguments, (4,)), (several_string_arguments_iterated, (3,)), (item_beyond_several_arguments, (1,)), (item_beyond_several_arguments, (-2,)), (item_beyond_several_arguments, (2,)), (item_beyond_several_arguments, (-3,))], ids=case_id)
def test_string_items_of_several_arguments(func, args):
    check(func, *args, exc_msg=True, compiled=COMPILED)


@pytest.mark.parametrize("index", [1, 2, 3, -1, -3], ids=case_id)
def test_items_of_several_arguments_that_are_no_strings_are_a_clear_error(index):
    def item(i):
        try:
            raise ValueError("bad", i, 2.5, None)
        except ValueError as e:
            return e.args[i]

    with pytest.raises(TypeError, match=r"the argument -?\d of this exception is a `(int|float|NoneType)`, which compiled code cannot give as `e.args\[-?\d\]`"):
        njit(item)(index)


def test_arguments_of_a_complex_number_are_a_clear_error():
    def complex_argument(x):
        raise ValueError("bad", 1j * x)

    with pytest.raises(UnsupportedError, match="strings, numbers, bools or `None`"):
        njit(complex_argument)(1)


def test_unsupported_forms_are_clear_errors():
    def assigned_by_an_inner_function(x):
        try:
            raise ValueError("v")
        except ValueError as e:
            def clear():
                nonlocal e
                e = None
            clear()
            return 0

    with pytest.raises(UnsupportedError, match="an inner function uses `e`"):
        njit(assigned_by_an_inner_function)(1)


def many_texts(n):
    total = 0
    d = {"a": 1}
    for i in range(n):
        try:
            if i % 2:
                raise AppError(f"failure {i}")
            total += d["b" * (i % 3 + 1)]
        except AppError as e:
            total += len(str(e)) + len(repr(e))
        except KeyError as e:
            total += len(e.args[0])
            try:
                raise e
            except LookupError as again:
                total += len(str(again))
    return total


def returned_many(n):
    kept = []
    for i in range(n):
        try:
            raise ValueError("x" * i)
        except ValueError as e:
            kept.append(str(e))
    return len(kept)


@pytest.mark.parametrize("func,args", [(own_text_caught, (2,)), (many_texts, (60,)), (returned_many, (40,)), (reraise_after_other_exceptions, (4,)), (texts, (11,)), (args_iterated, (5,)), (args_as_a_value, (1,)), (args_unpacked, (2,)), (args_returned, (0,)), (string_items_of_several_arguments, (4,)), (several_string_arguments_iterated, (3,))], ids=case_id)
def test_nothing_leaks(func, args):
    cfunc = njit(func)
    try:
        expected = func(*args)
    except Exception as exc:  # noqa: BLE001
        expected = type(exc)
    for _ in range(2):
        try:
            got = cfunc(*args)
        except Exception as exc:  # noqa: BLE001
            got = type(exc)
    assert got == expected
    assert_no_leak(cfunc, *args, runs=200)


# --- raise ... from ------------------------------------------------------------------------------


def raise_from_caught(kind):
    try:
        raise_kind_compiled(kind)
    except LookupError as e:
        raise AppError(f"lookup failed ({kind})") from e
    except ArithmeticError as e:
        raise RuntimeError from e
    return kind


def raise_value_from_value(x):
    try:
        return 10 // x
    except ZeroDivisionError as outer:
        try:
            raise ValueError(f"inner {x}")
        except ValueError as inner:
            raise inner from outer


def raise_from_then_caught(x):
    try:
        try:
            return str(1 // x)
        except ZeroDivisionError as e:
            raise ValueError("again") from e
    except ValueError as v:
        return str(v)


def raise_from_made(kind):
    # The cause is made in the `raise` statement (an instance, or a class, which Python calls).
    if kind == 0:
        raise RuntimeError("outer") from ValueError("inner")
    if kind == 1:
        raise RuntimeError("outer") from KeyError
    if kind == 2:
        raise AppError("app") from MissingKey(f"key {kind}")
    if kind == 3:
        raise RuntimeError from IndexError(kind)
    if kind == 4:
        raise RuntimeError("no cause") from None
    return kind


def raise_value_from_none(x):
    try:
        return 10 // x
    except ZeroDivisionError as e:
        raise e from None




def test_raise_from_a_value_that_is_no_exception_is_a_clear_error():
    def from_a_number(x):
        try:
            return 1 // x
        except ZeroDivisionError:
            raise ValueError("no") from x

    with pytest.raises(UnsupportedError, match=r"takes an exception \(`E\(...\)`, `E`, or one caught"):
        njit(from_a_number)(0)


# --- e.__cause__ and e.__suppress_context__ ------------------------------------------------------


def cause_of_caught(kind):
    try:
        try:
            raise_kind_compiled(kind)
        except LookupError as e:
            raise AppError("lookup") from e
        except ArithmeticError:
            raise RuntimeError("arithmetic") from None
        except ValueError:
            raise RuntimeError("plain")
    except Exception as outer:
        c = outer.__cause__
        truth = 1 if c else 0
        return (c is None, c is not None, None is c, isinstance(c, KeyError), isinstance(c, LookupError), isinstance(c, (Exception, IndexError)), str(c), repr(c), f"{c}", truth, outer.__suppress_context__, str(outer))
    return (True, False, True, False, False, False, "", "", "", 0, False, "")


def cause_chain(x):
    try:
        try:
            try:
                raise_kind_compiled(4 if x == 0 else 99)
            except ZeroDivisionError as e:
                raise ValueError(f"middle {x}") from e
            raise ValueError("no cause")
        except ValueError as m:
            raise RuntimeError("top") from m
    except RuntimeError as t:
        c = t.__cause__
        cc = c.__cause__
        return (str(c), repr(cc), isinstance(cc, ZeroDivisionError), cc.__cause__ is None, c.__suppress_context__, cc.__suppress_context__, len(c.args))


def cause_from_variable(x):
    err = ValueError(f"bad {x}")
    try:
        if x > 0:
            raise KeyError("k") from err
        raise err
    except KeyError as e:
        return (str(e), str(e.__cause__), repr(e.__cause__), isinstance(e.__cause__, ValueError), e.__suppress_context__)
    except ValueError as e:
        return (str(e), str(e.__cause__), repr(e.__cause__), isinstance(e, ValueError), e.__suppress_context__)


def cause_made_with_several_arguments(x):
    try:
        raise KeyError("k") from ValueError("bad", x, 2.5)
    except KeyError as e:
        return (str(e.__cause__), repr(e.__cause__), str(e.__cause__.args), len(e.__cause__.args))


def raise_a_none_cause(x):
    try:
        raise ValueError(f"v{x}")
    except ValueError as e:
        c = e.__cause__
        raise c


def args_of_a_none_cause(x):
    try:
        raise ValueError(f"v{x}")
    except ValueError as e:
        return len(e.__cause__.args)


def cause_of_a_none_cause(x):
    try:
        raise ValueError(f"v{x}")
    except ValueError as e:
        return e.__cause__.__cause__ is None


def raise_from_a_none_cause(x):
    try:
        raise ValueError(f"v{x}")
    except ValueError as e:
        raise KeyError("k") from e.__cause__


def raise_the_cause(x):
    try:
        try:
            raise KeyError("k") from IndexError(f"i{x}")
        except KeyError as e:
            raise e.__cause__
    except IndexError as i:
        return str(i)



def cause_from_python_code(x):
    # An exception raised with a cause in an object mode block brings its cause along.
    try:
        with objmode(v="int64"):
            try:
                v = 10 // x
            except ZeroDivisionError as z:
                raise ValueError(f"bad {x}") from z
            if x < 0:
                raise ValueError("none") from None
    except Exception as e:
        return (str(e.__cause__), isinstance(e.__cause__, ZeroDivisionError), e.__cause__ is None, e.__suppress_context__)
    return (str(v), False, True, False)


CAUSE_CASES = (
    [(cause_of_caught, (k,)) for k in (0, 1, 3, 4, 5, 6, 7, 99)]
    + [(cause_chain, (0,)), (cause_from_variable, (0,)), (cause_from_variable, (3,)), (cause_made_with_several_arguments, (7,))]
    + [(raise_a_none_cause, (1,)), (args_of_a_none_cause, (1,)), (cause_of_a_none_cause, (1,)), (raise_the_cause, (2,))]
    + [(cause_from_python_code, (x,)) for x in (0, -1, 2)]
)


@pytest.mark.parametrize("func,args", CAUSE_CASES, ids=case_id)
def test_cause_in_compiled_code_against_cpython(func, args):
    check(func, *args, exc_msg=True, compiled=COMPILED)


def raise_from_variable(x):
    err = ValueError("a", x)
    if x > 1:
        raise KeyError("k") from err
    cause = err
    raise RuntimeError(f"r{x}") from cause


def reraised_keeps_its_cause(x):
    try:
        raise ValueError("v") from KeyError(x)
    except ValueError as e:
        raise e


def raised_variable(x):
    err = AppError(f"made {x}")
    if x:
        raise err
    return 0


def returned_cause(x):
    try:
        if x:
            raise KeyError("k") from IndexError(x)
        raise KeyError("k")
    except KeyError as e:
        return e.__cause__


@pytest.mark.parametrize("x", [0, 5], ids=case_id)
def test_a_cause_returned_reaches_python_as_itself(x):
    got, expected = njit(returned_cause)(x), returned_cause(x)
    assert type(got) is type(expected)
    assert getattr(got, "args", None) == getattr(expected, "args", None)


def test_context_is_a_clear_error():
    def context(x):
        try:
            raise ValueError("v")
        except ValueError as e:
            return e.__context__ is None

    def traceback(x):
        try:
            raise ValueError("v")
        except ValueError as e:
            return e.__traceback__ is None

    with pytest.raises(UnsupportedError, match=r"`e.__context__` is not supported in compiled code"):
        njit(context)(1)
    with pytest.raises(Exception, match=r"has no attribute `__traceback__`"):
        njit(traceback)(1)


@pytest.mark.parametrize("func,args", [(cause_chain, (0,)), (cause_from_variable, (2,)), (cause_of_caught, (5,)), (cause_made_with_several_arguments, (1,))], ids=case_id)
def test_causes_do_not_leak(func, args):
    cfunc = njit(func)
    assert cfunc(*args) == func(*args)
    assert_no_leak(cfunc, *args, runs=200)


# Raised with a cause (made in the statement, caught, a variable's, `None`), reaching Python.
CAUSED = [(raise_from_made, (k,)) for k in range(6)] + [
    (raise_value_from_none, (0,)),
    (raise_from_caught, (3,)),
    (raise_from_caught, (5,)),
    (raise_from_caught, (4,)),
    (raise_from_caught, (99,)),
    (raise_value_from_value, (0,)),
    (raise_value_from_value, (2,)),
    (raise_from_then_caught, (0,)),
    (raise_from_variable, (1,)),
    (raise_from_variable, (2,)),
    (reraised_keeps_its_cause, (5,)),
    (raised_variable, (3,)),
    (raise_from_a_none_cause, (0,)),
]


@pytest.mark.parametrize("func,args", CAUSED, ids=case_id)
def test_raise_from_sets_the_cause(func, args):
    def outcome(f):
        try:
            return ("value", f(*args))
        except Exception as exc:  # noqa: BLE001 - the exception and its cause are compared
            cause = exc.__cause__
            return (type(exc), exc.args, type(cause), getattr(cause, "args", None), exc.__suppress_context__)

    assert outcome(njit(func)) == outcome(func)
