"""Calls of built-in, `math` and NumPy functions and of array methods bind their arguments as
Python does: a wrong call is a TypingError at the user's line, worded as CPython words it, and
arguments may be passed by keyword wherever Python allows it."""
import inspect
import math
import re

import numpy as np
import pytest

import ferrojit
from ferrojit.errors import TypingError, UnsupportedError

from helpers import check, check_arrays


def sqrt_by_keyword(x):
    return math.sqrt(x=x)


def sqrt_of_nothing(x):
    return math.sqrt()


def sqrt_of_two(x):
    return math.sqrt(x, x)


def floor_of_two(x):
    return math.floor(x, 2.0)


def atan2_of_one(x):
    return math.atan2(x)


def log_of_three(x):
    return math.log(x, 2.0, 3.0)


def abs_of_nothing(x):
    return abs()


def abs_of_two(x):
    return abs(x, 2)


def abs_by_keyword(x):
    return abs(x=x)


def len_of_nothing(x):
    return len()


def min_of_nothing(x):
    return min()


def float_of_two(x):
    return float(x, 2.0)


def divmod_of_one(x):
    return divmod(x)


def round_of_nothing(x):
    return round()


def round_of_three(x):
    return round(x, 2, 3)


def round_misspelt_keyword(x):
    return round(x, nd=1)


def pow_of_one(x):
    return pow(x)


def pow_mod_twice(x):
    return pow(2, 3, 5, mod=7)


def complex_of_three(x):
    return complex(x, 2.0, 3.0)


def complex_unknown_keyword(x):
    return complex(real=x, bogus=2.0)


def print_unknown_keyword(x):
    print(x, bogus=2)


def np_sqrt_unknown_keyword(x):
    return np.sqrt(x, bogus=1)


def np_sqrt_of_three(x):
    return np.sqrt(x, x, x)


def np_square_by_keyword(x):
    return np.square(x=x)


def np_arctan2_of_one(x):
    return np.arctan2(x)


def np_minimum_of_four(x):
    return np.minimum(x, x, x, x)


def np_float32_of_two(x):
    return np.float32(x, 2.0)


def np_zeros_unknown_keyword(x):
    return np.zeros(3, dtype=np.float64, order='C', bogus=1)


def np_linspace_num_twice(x):
    return np.linspace(0, 1, 5, num=6)


def np_linspace_without_stop(x):
    return np.linspace(0)


def np_full_without_value(x):
    return np.full(3)


def np_eye_n_twice(x):
    return np.eye(3, N=3)


def np_arange_of_nothing(x):
    return np.arange()


def np_ones_like_unknown_keyword(a):
    return np.ones_like(a, bogus=1)


def np_sum_unknown_keyword(a):
    return np.sum(a, bogus=1)


def np_reshape_without_shape(a):
    return np.reshape(a)


def method_sum_unknown_keyword(a):
    return a.sum(bogus=1)


def method_copy_unknown_keyword(a):
    return a.copy(bogus=1)


def method_fill_of_nothing(a):
    return a.fill()


def method_astype_of_nothing(a):
    return a.astype()


def method_ravel_of_two(a):
    return a.ravel(1, 2)


def method_reshape_of_nothing(a):
    return a.reshape()


@ferrojit.njit
def jit_pair(x, y=1.0):
    return x + y


@ferrojit.njit
def jit_three(a, b, c):
    return a + b + c


def jit_unknown_keyword(x):
    return jit_pair(x, bogus=1.0)


def jit_of_nothing(x):
    return jit_pair()


def jit_x_twice(x):
    return jit_pair(x, x=2.0)


def jit_of_three(x):
    return jit_pair(x, 1.0, 2.0)


def jit_missing_two(x):
    return jit_three(x)


def jit_three_of_four(x):
    return jit_three(x, x, x, x)


ARRAY = np.zeros(3)


# (function, argument, ferrojit's message, whether CPython words it the same). The messages are
# CPython's: of a `def` (`got an unexpected keyword argument`, `missing 1 required positional
# argument`, `takes from 1 to 2 positional arguments but 3 were given`) for callees that take
# keywords, of its built-ins (`takes exactly one argument (2 given)`, `takes no keyword
# arguments`) for callees that take none. Some CPython built-ins word their errors in their own
# way ("'nd' is an invalid keyword argument for round()"): there only ferrojit's text is checked.
BINDING_ERRORS = [
    (sqrt_by_keyword, 2.0, "`math.sqrt()` takes no keyword arguments", True),
    (sqrt_of_nothing, 2.0, "`math.sqrt()` takes exactly one argument (0 given)", True),
    (sqrt_of_two, 2.0, "`math.sqrt()` takes exactly one argument (2 given)", True),
    (floor_of_two, 2.0, "`math.floor()` takes exactly one argument (2 given)", True),
    (atan2_of_one, 2.0, "`math.atan2()` takes exactly 2 arguments (1 given)", False),
    (log_of_three, 2.0, "`math.log()` takes at most 2 arguments (3 given)", False),
    (abs_of_nothing, 2.0, "`abs()` takes exactly one argument (0 given)", True),
    (abs_of_two, 2.0, "`abs()` takes exactly one argument (2 given)", True),
    (abs_by_keyword, 2.0, "`abs()` takes no keyword arguments", True),
    (len_of_nothing, 2.0, "`len()` takes exactly one argument (0 given)", True),
    (min_of_nothing, 2.0, "`min()` expected at least 1 argument, got 0", True),
    (float_of_two, 2.0, "`float()` takes at most 1 argument (2 given)", False),
    (divmod_of_one, 2.0, "`divmod()` takes exactly 2 arguments (1 given)", False),
    (round_of_nothing, 2.0, "`round()` missing 1 required positional argument: `number`", False),
    (round_of_three, 2.0, "`round()` takes from 1 to 2 positional arguments but 3 were given", False),
    (round_misspelt_keyword, 2.0, "`round()` got an unexpected keyword argument `nd`", False),
    (pow_of_one, 2.0, "`pow()` missing 1 required positional argument: `exp`", False),
    (pow_mod_twice, 2.0, "`pow()` got multiple values for argument `mod`", False),
    (complex_of_three, 2.0, "`complex()` takes from 0 to 2 positional arguments but 3 were given", False),
    (complex_unknown_keyword, 2.0, "`complex()` got an unexpected keyword argument `bogus`", False),
    (print_unknown_keyword, 2.0, "`print()` got an unexpected keyword argument `bogus`", False),
    (np_sqrt_unknown_keyword, 2.0, "`np.sqrt()` got an unexpected keyword argument `bogus`", True),
    (np_sqrt_of_three, 2.0, "`np.sqrt()` takes from 1 to 2 positional arguments but 3 were given", True),
    (np_square_by_keyword, 2.0, "`np.square()` got some positional-only arguments passed as keyword arguments: `x`", False),
    (np_arctan2_of_one, 2.0, "`np.arctan2()` missing 1 required positional argument: `x2`", False),
    (np_minimum_of_four, 2.0, "`np.minimum()` takes from 2 to 3 positional arguments but 4 were given", True),
    (np_float32_of_two, 2.0, "`np.float32()` takes at most 1 argument (2 given)", True),
    (np_zeros_unknown_keyword, 2.0, "`np.zeros()` got an unexpected keyword argument `bogus`", True),
    (np_linspace_num_twice, 2.0, "`np.linspace()` got multiple values for argument `num`", True),
    (np_linspace_without_stop, 2.0, "`np.linspace()` missing 1 required positional argument: `stop`", True),
    (np_full_without_value, 2.0, "`np.full()` missing 1 required positional argument: `fill_value`", True),
    (np_eye_n_twice, 2.0, "`np.eye()` got multiple values for argument `N`", True),
    (np_arange_of_nothing, 2.0, "`np.arange()` requires stop to be specified", False),
    (np_ones_like_unknown_keyword, ARRAY, "`np.ones_like()` got an unexpected keyword argument `bogus`", True),
    (np_sum_unknown_keyword, ARRAY, "`np.sum()` got an unexpected keyword argument `bogus`", True),
    (np_reshape_without_shape, ARRAY, "`np.reshape()` missing 1 required positional argument: `shape`", True),
    (method_sum_unknown_keyword, ARRAY, "`ndarray.sum()` got an unexpected keyword argument `bogus`", True),
    (method_copy_unknown_keyword, ARRAY, "`ndarray.copy()` got an unexpected keyword argument `bogus`", True),
    (method_fill_of_nothing, ARRAY, "`ndarray.fill()` missing 1 required positional argument: `value`", False),
    (method_astype_of_nothing, ARRAY, "`ndarray.astype()` missing 1 required positional argument: `dtype`", False),
    (method_ravel_of_two, ARRAY, "`ndarray.ravel()` takes from 0 to 1 positional arguments but 2 were given", True),
    (method_reshape_of_nothing, ARRAY, "`ndarray.reshape()` takes exactly 1 argument (0 given)", True),
    # One compiled function calling another binds as the other's `def` does.
    (jit_unknown_keyword, 2.0, "`jit_pair()` got an unexpected keyword argument `bogus`", True),
    (jit_of_nothing, 2.0, "`jit_pair()` missing 1 required positional argument: `x`", True),
    (jit_x_twice, 2.0, "`jit_pair()` got multiple values for argument `x`", True),
    (jit_of_three, 2.0, "`jit_pair()` takes from 1 to 2 positional arguments but 3 were given", True),
    (jit_missing_two, 2.0, "`jit_three()` missing 2 required positional arguments: `b` and `c`", True),
    (jit_three_of_four, 2.0, "`jit_three()` takes 3 positional arguments but 4 were given", True),
]


def wording(message):
    """A message without its quoting and without the callee's name: what CPython and ferrojit
    must both say."""
    message = message.replace("`", "").replace("'", "")
    return re.sub(r"^[\w.]+(\(\))? ", "", message)


@pytest.mark.parametrize("func, arg, message, same_as_cpython", BINDING_ERRORS, ids=lambda v: getattr(v, "__name__", None))
def test_binding_error_is_a_typing_error_at_the_call(func, arg, message, same_as_cpython):
    with pytest.raises(TypingError) as excinfo:
        ferrojit.njit(func)(arg)
    text = str(excinfo.value)
    assert text.splitlines()[0] == message, text
    # The error points at the call: the line after the `def`, in this file.
    _, start = inspect.getsourcelines(func)
    assert f'File "{__file__}", line {start + 1},' in text, text
    with pytest.raises(TypeError) as python_error:
        func(arg)
    if same_as_cpython:
        assert wording(message) == wording(str(python_error.value)), (message, str(python_error.value))


def sqrt_order(x):
    return np.sqrt(x, order="C")


def zip_strict(x):
    total = 0.0
    for a, b in zip((x,), (x,), strict=True):
        total += a * b
    return total


def np_zeros_like_array(a):
    return np.zeros(3, like=a)


def np_empty_like_array(a):
    return np.empty(3, like=a)


# Arguments the library accepts and compiled code does not support yet: an UnsupportedError
# naming the argument, where plain Python runs the call.
UNSUPPORTED_ARGUMENTS = [
    (sqrt_order, 2.0, "`np.sqrt(order=...)` is not supported in compiled code yet"),
    (zip_strict, 2.0, "`zip(strict=...)` is not supported in compiled code yet"),
    (np_zeros_like_array, ARRAY, "`np.zeros(like=...)` is not supported in compiled code yet"),
    (np_empty_like_array, ARRAY, "`np.empty(like=...)` is not supported in compiled code yet"),
]


@pytest.mark.parametrize("func, arg, message", UNSUPPORTED_ARGUMENTS, ids=lambda v: getattr(v, "__name__", None))
def test_supported_by_python_but_not_compiled_is_unsupported(func, arg, message):
    func(arg)
    with pytest.raises(UnsupportedError) as excinfo:
        ferrojit.njit(func)(arg)
    assert str(excinfo.value).splitlines()[0] == message


def round_ndigits_by_keyword(x):
    return round(x, ndigits=2)


def round_all_by_keyword(x):
    return round(number=x, ndigits=1)


def pow_by_keyword(x):
    return pow(base=x, exp=2)


def pow_mod_by_keyword(x):
    return pow(7, 3, mod=x)


def complex_by_keyword(x):
    return complex(imag=x, real=1.0)


# Calls passing by keyword what Python lets them: same result as Python.
KEYWORD_CALLS = [
    (round_ndigits_by_keyword, 2.345),
    (round_all_by_keyword, 2.345),
    (pow_by_keyword, 3.0),
    (pow_mod_by_keyword, 5),
    (complex_by_keyword, 2.0),
]


@pytest.mark.parametrize("func, arg", KEYWORD_CALLS, ids=lambda v: getattr(v, "__name__", None))
def test_keyword_arguments_bind_as_in_python(func, arg):
    check(func, arg)


def arange_stop_by_keyword(n):
    return np.arange(stop=n)


def arange_step_by_keyword(n):
    return np.arange(1, n, step=2)


def reshape_shape_by_keyword(a):
    return np.reshape(a, shape=(2, 3))


def sum_array_by_keyword(a):
    return np.sum(a=a)


def copy_array_by_keyword(a):
    return np.copy(a=a)


def transpose_array_by_keyword(a):
    return np.transpose(a=a.reshape(2, 3))


# NumPy calls passing by keyword what NumPy lets them: same result as NumPy.
ARRAY_KEYWORD_CALLS = [
    (arange_stop_by_keyword, 5),
    (arange_step_by_keyword, 9),
    (reshape_shape_by_keyword, np.arange(6.0)),
    (sum_array_by_keyword, np.arange(6.0)),
    (copy_array_by_keyword, np.arange(6.0)),
    (transpose_array_by_keyword, np.arange(6.0)),
]


@pytest.mark.parametrize("func, arg", ARRAY_KEYWORD_CALLS, ids=lambda v: getattr(v, "__name__", None))
def test_array_keyword_arguments_bind_as_in_numpy(func, arg):
    check_arrays(func, arg)
