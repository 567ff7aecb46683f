"""Globals (constants, modules, `from` imports), calls between compiled functions (positional,
keyword, default arguments), recursion, and Numba-style freezing of globals."""
import math

import numpy as np
import pytest

import ferrojit
from ferrojit import njit
from helpers import assert_same, case_id, check

G_INT = 7
G_NEG = -3
G_FLOAT = 2.5
G_BOOL = True
G_FALSE = False
G_TUPLE = (1, 2, 3)
G_HTUPLE = (1, 2.5)
G_NESTED = ((1, 2), 3.5)
G_COMPLEX = 1 + 2j


# --- module-level constants --------------------------------------------------------------------

def use_int(x):
    return x * G_INT + G_NEG


def use_float(x):
    return x * G_FLOAT


def use_bool(x):
    if G_BOOL and not G_FALSE:
        return x
    return -x


def use_tuple(x):
    a, b, c = G_TUPLE
    return a * x + b + c


def use_tuple_index(x):
    return G_TUPLE[2] * x + G_HTUPLE[1]


def use_nested(x):
    (a, b), c = G_NESTED
    return (a + b) * c + x


def return_global_tuple():
    return G_HTUPLE, G_NESTED


def use_complex(x):
    return G_COMPLEX * x


@pytest.mark.parametrize("x", [0, 3, -2, 1.5], ids=case_id)
def test_global_constants(x):
    check(use_int, x)
    check(use_float, x)
    check(use_bool, x)
    check(use_tuple, x)
    check(use_tuple_index, x)
    check(use_nested, x)
    check(use_complex, x)


def test_return_global_tuple():
    check(return_global_tuple)


# --- module references -------------------------------------------------------------------------

def use_math_module(x):
    return math.sqrt(x) + math.pi * math.floor(x)


def use_np_pi(x):
    return np.pi * x


@pytest.mark.parametrize("x", [2.0, 9, 0.25], ids=case_id)
def test_math_module_global(x):
    check(use_math_module, x)


def test_numpy_module_constant():
    check(use_np_pi, 2.0)


# --- calling other compiled functions ----------------------------------------------------------

@njit
def helper_add(a, b):
    return a + b


@njit
def helper_level2(x):
    return helper_add(x, x) * 3


@njit(cache=False)
def helper_scale(x, factor=2.0):
    return x * factor


@njit
def helper_kw(a, b=10, c=100):
    return a + b * 2 + c * 3


@njit
def helper_tuple(x):
    return x, -x


@njit
def helper_raise(x):
    if x < 0:
        raise ValueError("negative in helper")
    return x * 2


@njit
def helper_nothing(x):
    y = x


def call_helper(x):
    return helper_add(x, 1) * 2


def call_helper_nested(x):
    return helper_add(helper_add(x, 1), helper_add(x, 2))


def call_helper_two_signatures(x):
    return helper_add(x, 1) + helper_add(x * 0.5, 1.5)


def call_level2(x):
    return helper_level2(x) + 1


def call_helper_default(x):
    return helper_scale(x), helper_scale(x, 3.0), helper_scale(x, factor=0.5)


def call_helper_kw(x):
    return helper_kw(x, c=1), helper_kw(x, 5), helper_kw(a=x), helper_kw(x, c=2, b=3), helper_kw(x, 1, 2)


def call_helper_tuple(x):
    a, b = helper_tuple(x)
    return a - b, helper_tuple(x)


def call_helper_raise(x):
    return helper_raise(x) + 1


def call_helper_nothing(x):
    helper_nothing(x)
    return helper_nothing(x)


def call_in_loop(n):
    s = 0
    for i in range(n):
        s = helper_add(s, i)
    return s


@pytest.mark.parametrize("x", [0, 5, -4], ids=case_id)
def test_calls_between_compiled_functions(x):
    check(call_helper, x)
    check(call_helper_nested, x)
    check(call_helper_two_signatures, x)
    check(call_level2, x)
    check(call_helper_default, x)
    check(call_helper_kw, x)
    check(call_helper_tuple, x)
    check(call_helper_nothing, x)
    check(call_in_loop, x)


@pytest.mark.parametrize("x", [3, -3], ids=case_id)
def test_exception_propagates_through_call(x):
    check(call_helper_raise, x, exc_msg=True)


# --- recursion ---------------------------------------------------------------------------------

@njit
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


@njit
def fib_expr(n):
    return n if n < 2 else fib_expr(n - 1) + fib_expr(n - 2)


@njit
def factorial(n):
    if n <= 1:
        return 1
    return n * factorial(n - 1)


@njit
def power_rec(x, n):
    if n == 0:
        return 1.0
    return x * power_rec(x, n - 1)


@njit
def is_even(n):
    if n == 0:
        return True
    return is_odd(n - 1)


@njit
def is_odd(n):
    if n == 0:
        return False
    return is_even(n - 1)


def fib_reference(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


@pytest.mark.parametrize("n", [0, 1, 2, 10, 20], ids=case_id)
def test_self_recursion_fib(n):
    assert_same(fib(n), fib_reference(n))
    assert_same(fib_expr(n), fib_reference(n))


@pytest.mark.parametrize("n", [0, 1, 5, 20], ids=case_id)
def test_self_recursion_factorial(n):
    assert_same(factorial(n), math.factorial(n))


def test_recursion_float_result():
    assert_same(power_rec(1.5, 4), 1.5 * 1.5 * 1.5 * 1.5)
    assert_same(power_rec(2, 10), 1024.0)


@pytest.mark.parametrize("n", [0, 1, 2, 7, 10, 101], ids=case_id)
def test_mutual_recursion(n):
    assert_same(is_even(n), n % 2 == 0)
    assert_same(is_odd(n), n % 2 == 1)


def call_recursive(n):
    return fib(n) + factorial(5) + is_even(n)


def test_call_recursive_from_compiled():
    check(call_recursive, 12)


@njit("int64(int64)")
def fib_eager(n):
    # Compiled at decoration, before the name `fib_eager` is bound in this module.
    if n < 2:
        return n
    return fib_eager(n - 1) + fib_eager(n - 2)


@njit("float64(int64)")
def halves_eager(n):
    # The declared return type types the recursive call (the body alone would give float64
    # too, but only after the recursion is typed).
    return 1.0 if n == 0 else halves_eager(n - 1) / 2


@pytest.mark.parametrize("n", [0, 1, 2, 10, 20], ids=case_id)
def test_self_recursion_with_an_eager_signature(n):
    assert_same(fib_eager(n), fib_reference(n))
    assert_same(halves_eager(n), 0.5 ** n)


def test_self_recursion_of_a_nested_function():
    # `fact` is no module global here: the call inside refers to the decorated function.
    @njit
    def fact(n):
        return 1 if n <= 1 else n * fact(n - 1)

    assert_same(fact(10), math.factorial(10))


def test_inspecting_a_recursive_function():
    fib(10)
    signature = fib.signatures[0]
    assert "define" in fib.inspect_llvm(signature)
    assert "ret" in fib.inspect_asm(signature)


# --- keyword and default arguments at the dispatcher call site ---------------------------------

def kw_defaults(a, b=2, c=3.5):
    return a + b * c


@pytest.mark.parametrize("args,kwargs", [
    ((1,), {}), ((1,), {"b": 5}), ((1, 5, 0.5), {}), ((), {"a": 1, "c": 1.0}), ((1,), {"c": 2.0, "b": 3}),
    ((2.5,), {}), ((1, 2), {}),
], ids=case_id)
def test_dispatcher_keyword_and_default_args(args, kwargs):
    check(kw_defaults, *args, **kwargs)


def test_dispatcher_keywords_on_decorated_function():
    assert_same(helper_kw(1), 1 + 20 + 300)
    assert_same(helper_kw(1, b=2), 1 + 4 + 300)
    assert_same(helper_kw(1, c=0, b=0), 1)
    assert_same(helper_kw(c=1, b=1, a=1), 6)
    assert_same(helper_scale(2), 4.0)
    assert_same(helper_scale(2, factor=1.5), 3.0)


# --- freezing of globals -----------------------------------------------------------------------

FROZEN = 10
FROZEN_TUPLE = (1, 2)


def read_frozen(x):
    return x + FROZEN


def read_frozen_tuple(x):
    a, b = FROZEN_TUPLE
    return x * a + b


def test_global_is_frozen_at_compile_time():
    global FROZEN
    f = ferrojit.njit(read_frozen)
    assert f(1) == 11
    old = FROZEN
    FROZEN = 100
    try:
        assert read_frozen(1) == 101  # plain Python sees the new value
        assert f(1) == 11  # the compiled function keeps the value it was compiled with
        assert f(2) == 12  # same signature, no recompilation
        assert ferrojit.njit(read_frozen)(1) == 101  # a new dispatcher compiles the new value
    finally:
        FROZEN = old


def test_global_tuple_is_frozen_at_compile_time():
    global FROZEN_TUPLE
    f = ferrojit.njit(read_frozen_tuple)
    assert f(5) == 7
    old = FROZEN_TUPLE
    FROZEN_TUPLE = (10, 20)
    try:
        assert f(5) == 7
    finally:
        FROZEN_TUPLE = old
