"""Compile errors: class hierarchy, which error for which problem, and messages that point at the
user's file, line and source text."""
import inspect
import os
import re

import numpy as np
import pytest
from numpy.exceptions import AxisError

import ferrojit
from ferrojit import errors
from ferrojit.errors import CompileError, InternalError, TypingError, UnsupportedError

import helpers

THIS_FILE = os.path.basename(__file__)


def expect_compile_error(exc_class, func, args, offsets):
    """Compiling `func` for `args` must raise `exc_class` (a CompileError) whose message names this
    file, the line `start + offset` of the offending construct (one of `offsets`, each relative to
    the `def` line) and contains that line's source text."""
    if isinstance(offsets, int):
        offsets = (offsets,)
    lines, start = inspect.getsourcelines(func)
    with pytest.raises(exc_class) as excinfo:
        ferrojit.njit(func)(*args)
    err = excinfo.value
    assert isinstance(err, CompileError)
    msg = str(err)
    assert THIS_FILE in msg, msg
    candidates = []
    for off in offsets:
        lineno = start + off
        text = lines[off].strip()
        candidates.append((lineno, text))
        if re.search(rf"\bline {lineno}\b", msg) and text in msg:
            return err
    pytest.fail(f"message does not point at any of {candidates}:\n{msg}")


# --- the exception classes ---------------------------------------------------------------------

def test_error_class_hierarchy():
    assert issubclass(CompileError, Exception)
    for cls in (UnsupportedError, TypingError, InternalError):
        assert issubclass(cls, CompileError)
        assert cls is not CompileError
    assert errors.CompileError is CompileError
    assert ferrojit.errors.InternalError is InternalError


# --- unsupported syntax ------------------------------------------------------------------------

def uses_with(x):
    with x:
        y = 1
    return y


def uses_class(x):
    class Local:
        pass
    return x


def uses_yield_value(x):
    y = x + 1
    z = yield y


def uses_decorated_inner_def(x):
    @ferrojit.njit
    def inner(y):
        return y + 1
    return inner(x)


def uses_import(x):
    import math
    return math.sqrt(x)


def uses_global_stmt(x):
    global SOME_GLOBAL
    return x


def uses_double_star_of_a_variable(x):
    d = max(1, **x)
    return x


@pytest.mark.parametrize("func,offset", [
    (uses_class, 1), (uses_yield_value, 2),
    (uses_decorated_inner_def, 1),
    (uses_import, 1), (uses_global_stmt, 1), (uses_double_star_of_a_variable, 1),
], ids=lambda v: getattr(v, "__name__", repr(v)))
def test_unsupported_syntax(func, offset):
    expect_compile_error(UnsupportedError, func, (3,), offset)


def test_with_of_no_context_manager_is_a_typing_error():
    expect_compile_error(TypingError, uses_with, (3,), 1)
    with pytest.raises(TypingError, match="is not a context manager"):
        ferrojit.njit(uses_with)(3)


def test_compilation_is_lazy():
    # Like Numba, decorating never compiles; the error appears on the first call.
    f = ferrojit.njit(uses_class)
    with pytest.raises(UnsupportedError):
        f(1)


def test_error_repeats_on_every_call():
    f = ferrojit.njit(uses_class)
    for _ in range(2):
        with pytest.raises(UnsupportedError):
            f(1)


def test_message_format_file_line_column():
    lines, start = inspect.getsourcelines(uses_class)
    with pytest.raises(UnsupportedError) as excinfo:
        ferrojit.njit(uses_class)(1)
    msg = str(excinfo.value)
    m = re.search(r'File "([^"]+)", line (\d+), column (\d+)', msg)
    assert m, msg
    assert os.path.basename(m.group(1)) == THIS_FILE
    assert os.path.samefile(m.group(1), __file__)
    assert int(m.group(2)) == start + 1
    assert "class Local:" in msg


# --- typing errors -----------------------------------------------------------------------------

def int_or_tuple(x):
    if x > 0:
        y = 1
    else:
        y = (1, 2)
    return y


def unknown_global(x):
    y = x + 1
    return y + undefined_global_name_xyz


@ferrojit.njit
def arity_helper(a, b):
    return a + b


def wrong_arity_too_many(x):
    return arity_helper(x, 1, 2)


def wrong_arity_too_few(x):
    y = x * 2
    return arity_helper(y)


def wrong_keyword(x):
    return arity_helper(x, c=1)


def str_plus_int(x):
    s = "a" + x
    return x


def int_plus_tuple(x):
    return x + (1, 2)


def plain_python_function(x):
    return x


def calls_plain_python(x):
    return plain_python_function(x)


@pytest.mark.parametrize("func,offsets", [
    # the conflict can be reported at either definition or at the use
    (int_or_tuple, (2, 4, 5)),
    (unknown_global, 2),
    (wrong_arity_too_many, 1),
    (wrong_arity_too_few, 2),
    (wrong_keyword, 1),
    (str_plus_int, 1),
    (int_plus_tuple, 1),
], ids=lambda v: getattr(v, "__name__", repr(v)))
def test_typing_errors(func, offsets):
    expect_compile_error(TypingError, func, (3,), offsets)


def test_calling_plain_python_function():
    # Numba reports this as a TypingError ("Untyped global name"); an UnsupportedError is an
    # equally clear answer, so any CompileError pointing at the call is accepted.
    expect_compile_error(CompileError, calls_plain_python, (3,), 1)


def test_unknown_global_message_names_the_global():
    err = expect_compile_error(TypingError, unknown_global, (3,), 2)
    assert "undefined_global_name_xyz" in str(err)


def plus_one(x):
    return x + 1


def test_typing_error_is_per_signature():
    # plus_one cannot be typed for a tuple argument, but the same dispatcher still compiles it for
    # an int afterwards; the failed signature is not recorded.
    f = ferrojit.njit(plus_one)
    expect_compile_error(TypingError, plus_one, ((1, 2),), 1)
    with pytest.raises(TypingError):
        f((1, 2))
    assert f(1) == 2
    assert len(f.signatures) == 1


# --- unsupported argument types ----------------------------------------------------------------

def identity(x):
    return x


@pytest.mark.parametrize("value,words", [
    (frozenset({1, 2, 3}), ("frozenset",)),
    (bytearray(b"abc"), ("bytearray",)),
    ({"a": 1, "b": "c"}, ("dict",)),
    (object(), ("object",)),
    ([1, 2.5], ("different types",)),
], ids=["frozenset", "bytearray", "dict", "object", "mixed-list"])
def test_unsupported_argument_type(value, words):
    f = ferrojit.njit(identity)
    with pytest.raises((TypeError, CompileError)) as excinfo:
        f(value)
    msg = str(excinfo.value).lower()
    assert any(w in msg for w in words), msg


def scale(count, factor):
    return count * factor


def scale_declared(count, factor):
    return count * factor


# (how the function is compiled, the call, the exception, the exact message start, words the
# rest must contain). Messages about one argument name the function and the parameter.
ARGUMENT_MESSAGES = [
    pytest.param(None, (bytearray(b"x"), 2.0), TypeError, "`scale()` argument `count`: cannot compile for a `bytearray` argument", ("bool, int, float",), id="bytearray"),
    pytest.param(None, (1, frozenset({1.0})), TypeError, "`scale()` argument `factor`: cannot compile for a `frozenset` argument", ("tuples", "lists"), id="frozenset-second"),
    pytest.param(None, (2**70, 1.0), OverflowError, "`scale()` argument `count`: an integer of 71 bits does not fit in 64 bits", ("int64",), id="overflow"),
    pytest.param(None, (-2**64, 1.0), OverflowError, "`scale()` argument `count`: an integer of 65 bits does not fit", ("int64",), id="overflow-negative"),
    pytest.param(None, ((1, bytearray(b"a")), 1.0), TypeError, "`scale()` argument `count`: cannot compile for a `bytearray` argument", (), id="tuple-item"),
    pytest.param(None, (np.zeros(2, dtype=">f8"), 1.0), TypeError, "`scale()` argument `count`: compiled functions cannot take arrays of dtype `>f8`", ("byte order",), id="byte-order"),
    pytest.param("int32(int32, float64)", ("x", 1.0), TypeError, "`scale_declared()` argument `count`: a `unicode_type` value matches none of the declared signatures", ("int32(int32, float64)",), id="declared-str"),
    pytest.param("int32(int32, float64)", (1, 1j), TypeError, "`scale_declared()` argument `factor`: a `complex128` value matches none", ("int32(int32, float64)",), id="declared-complex"),
    pytest.param("int32(int32, float64)", (2**70, 1.0), TypeError, "`scale_declared()` argument `count`: an `int` value (an integer of 71 bits does not fit in 64 bits", ("matches none",), id="declared-overflow"),
    pytest.param("int32(int32, float64)", (2**40, 1.0), TypeError, "`scale_declared()` argument `count`: an `int64` value matches none", ("int32(int32, float64)",), id="declared-out-of-range"),
]


@pytest.mark.parametrize("signature, args, exc_class, start, words", ARGUMENT_MESSAGES)
def test_bad_argument_messages_name_the_function_and_the_parameter(signature, args, exc_class, start, words):
    f = ferrojit.njit(scale) if signature is None else ferrojit.njit(signature)(scale_declared)
    with pytest.raises(exc_class) as excinfo:
        f(*args)
    message = str(excinfo.value)
    assert message.startswith(start), message
    for word in words:
        assert word in message, message


@pytest.mark.parametrize("call", [
    pytest.param(lambda f: f(count=bytearray(b"x"), factor=1.0), id="keywords"),
    pytest.param(lambda f: f(bytearray(b"x"), factor=1.0), id="mixed"),
    pytest.param(lambda f: f(*(bytearray(b"x"), 1.0)), id="star-args"),
])
def test_bad_argument_message_is_the_same_however_it_is_passed(call):
    with pytest.raises(TypeError, match=r"^`scale\(\)` argument `count`: cannot compile for a `bytearray` argument"):
        call(ferrojit.njit(scale))


def test_missing_argument_at_call_site():
    f = ferrojit.njit(arity_helper.py_func)
    with pytest.raises((TypeError, CompileError)):
        f(1)
    with pytest.raises((TypeError, CompileError)):
        f(1, 2, 3)


# --- values that may be None, variables of enclosing functions -----------------------------------

def none_default_used_as_number(x, scale=None):
    return x * scale


def none_variable_used_as_number(x):
    y = None
    return x + y


NONE_CASES = [
    # (function, arguments, words the message must contain)
    (none_default_used_as_number, (2.0,), ["`scale` may be `None`", "parameter whose default is `None`", "pass a value for `scale`", "if scale is None:"]),
    (none_default_used_as_number, (2.0, None), ["`scale` may be `None`", "passed as `None`"]),
    (none_variable_used_as_number, (2.0,), ["`y` may be `None`", "give `y` a value"]),
]


@pytest.mark.parametrize("func, args, words", NONE_CASES)
def test_none_used_as_a_number_says_it_may_be_none(func, args, words):
    err = expect_compile_error(TypingError, func, args, 1 if func is none_default_used_as_number else 2)
    for w in words:
        assert w in str(err), str(err)


def scale_or_identity(x, scale=None):
    if scale is None:
        return x
    return x * scale


def scale_or_identity_else(x, scale=None):
    if scale is not None:
        y = x * scale
    else:
        y = x + 0.5
    return y


@pytest.mark.parametrize("func", [scale_or_identity, scale_or_identity_else])
@pytest.mark.parametrize("args", [(2.0,), (2.0, None), (2.0, 3.0), (2, 3)])
def test_is_none_test_compiles_only_the_branch_that_can_run(func, args):
    assert ferrojit.njit(func)(*args) == func(*args)


def test_closure_variable_without_a_value_names_the_enclosing_function():
    def adds_offset(x):
        return x + offset

    err = expect_compile_error(UnsupportedError, adds_offset, (1,), 1)
    assert "`offset` is a variable of the enclosing function `test_closure_variable_without_a_value_names_the_enclosing_function` that has no value yet" in str(err)
    assert "assign `offset` before the compiled function is first called" in str(err)
    offset = 5  # noqa: F841 - assigned after the call: the cell was empty then


def make_kernel(scale, table, func, name):
    """A kernel made by a factory function: its closure variables are frozen as globals are."""

    def kernel(x):
        return x * scale + table.sum() + func(x) + len(name)

    return ferrojit.njit(kernel)


@ferrojit.njit
def squared(x):
    return x * x


@pytest.mark.parametrize("scale, table, name, x", [(3, np.arange(4.0), "abc", 2.0), (-1.5, np.ones(2, np.int32), "", 0.5), (0, np.zeros(0), "日本", 7)])
def test_closure_variables_are_frozen_as_globals(scale, table, name, x):
    kernel = make_kernel(scale, table, squared, name)
    assert kernel(x) == x * scale + table.sum() + x * x + len(name)


def test_a_recursive_kernel_made_by_a_factory():
    def make():
        @ferrojit.njit
        def fact(n):
            return 1 if n <= 1 else n * fact(n - 1)

        return fact

    assert make()(6) == 720


# --- raise: messages from global strings, NumPy's AxisError ----------------------------------------

LIMIT_MESSAGE = "x must be below 10"


def raise_with_global_message(x):
    if x >= 10:
        raise ValueError(LIMIT_MESSAGE)
    return x


def raise_numpy_axis_error(x):
    if x > 1:
        raise AxisError("axis 2 is out of bounds for array of dimension 2")
    return x


@pytest.mark.parametrize("func, x", [(raise_with_global_message, 12), (raise_with_global_message, 3), (raise_numpy_axis_error, 2), (raise_numpy_axis_error, 0)])
def test_raise_with_a_global_string_message_and_numpy_s_axis_error(func, x):
    helpers.check(func, x, exc_msg=True)
