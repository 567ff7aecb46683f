"""Statements and control flow: assignment, unpacking, augmented assignment, if/elif/else, while
and for loops (break/continue/else), range, returns, pass, assert, raise, short-circuit logic and
conditional expressions."""
import math

import pytest

from helpers import case_id, check

NAN = math.nan


# --- assignment --------------------------------------------------------------------------------

def assign_simple(x):
    a = x + 1
    b = a * 2
    c = b - x
    return c


def assign_chained(x):
    a = b = x * 3
    a += 1
    return a, b


def swap(a, b):
    a, b = b, a
    return a, b


def rotate(a, b, c):
    a, b, c = b, c, a
    return a * 100 + b * 10 + c


def unpack_nested(x, y, z):
    (a, b), c = (x, y), z
    return c, b, a


def unpack_list_target(x, y):
    [a, b] = x + y, x - y
    return a * b


def reassign_other_type(x):
    y = x
    y = y / 2
    return y


@pytest.mark.parametrize("x", [0, 5, -3], ids=case_id)
def test_assign(x):
    check(assign_simple, x)
    check(assign_chained, x)
    check(reassign_other_type, x)


# Only same-typed pairs: swapping an int and a float makes both variables float64 (Numba's
# unification), where CPython keeps each value's own type.
@pytest.mark.parametrize("args", [(1, 2), (2.5, -1.0), (True, False)], ids=case_id)
def test_swap(args):
    check(swap, *args)


def test_rotate_and_unpack():
    check(rotate, 1, 2, 3)
    check(unpack_nested, 1, 2.5, 3)
    check(unpack_list_target, 7, 3)


# --- augmented assignment ----------------------------------------------------------------------

def aug_int_all(x, y):
    a = x
    a += y
    b = x
    b -= y
    c = x
    c *= y
    d = x
    d //= y
    e = x
    e %= y
    f = x
    f **= 3
    g = x
    g &= y
    h = x
    h |= y
    i = x
    i ^= y
    j = x
    j <<= 3
    k = x
    k >>= 2
    return a, b, c, d, e, f, g, h, i, j, k


def aug_truediv(x, y):
    x /= y
    return x


def aug_float_all(x, y):
    a = x
    a += y
    b = x
    b -= y
    c = x
    c *= y
    d = x
    d /= y
    e = x
    e //= y
    f = x
    f %= y
    g = x
    g **= 2.0
    return a, b, c, d, e, f, g


def aug_in_loop(n):
    acc = 1
    for i in range(1, n):
        acc *= i
        acc %= 1000003
        acc += i
    return acc


@pytest.mark.parametrize("args", [(17, 5), (-17, 5), (17, -5), (-17, -5), (0, 3), (123456, 7)], ids=case_id)
def test_aug_assign_int(args):
    check(aug_int_all, *args)
    check(aug_truediv, *args)


@pytest.mark.parametrize("args", [(7.5, 2.0), (-7.5, 2.0), (7.5, -2.0), (0.1, 0.2), (-0.0, 3.0), (2.5, 2)], ids=case_id)
def test_aug_assign_float(args):
    check(aug_float_all, *args)


def test_aug_assign_zero_division():
    check(aug_int_all, 5, 0)
    check(aug_truediv, 5, 0)
    check(aug_float_all, 5.0, 0.0)


def test_aug_in_loop():
    check(aug_in_loop, 50)


# --- if / elif / else --------------------------------------------------------------------------

def classify(x):
    if x < 0:
        r = -1
    elif x == 0:
        r = 0
    elif x < 10:
        r = 1
    else:
        r = 2
    return r


def if_no_else(x):
    r = 5
    if x > 3:
        r = 7
    return r


def nested_if(a, b):
    if a > 0:
        if b > 0:
            return 1
        else:
            return 2
    else:
        if b > 0:
            return 3
    return 4


def if_on_float(x):
    if x:
        return 1
    return 0


@pytest.mark.parametrize("x", [-5, 0, 3, 10, 100, -0.5, 0.0, 9.99, NAN], ids=case_id)
def test_if_elif_else(x):
    check(classify, x)
    check(if_no_else, x)
    check(if_on_float, x)


@pytest.mark.parametrize("args", [(1, 1), (1, -1), (-1, 1), (-1, -1), (0, 0)], ids=case_id)
def test_nested_if(args):
    check(nested_if, *args)


# --- while -------------------------------------------------------------------------------------

def while_sum(n):
    s = 0
    i = 0
    while i < n:
        s += i
        i += 1
    return s


def while_break_continue_else(n):
    i = 0
    s = 0
    while i < n:
        i += 1
        if i % 3 == 0:
            continue
        if i > 10:
            break
        s += i
    else:
        s = -s
    return s


def while_true_break(x):
    steps = 0
    while True:
        if x == 1:
            break
        if x % 2 == 0:
            x = x // 2
        else:
            x = 3 * x + 1
        steps += 1
    return steps


def while_float(x):
    n = 0
    while x > 1.0:
        x = x / 2.0
        n += 1
    return n, x


@pytest.mark.parametrize("n", [0, 1, 5, 9, 10, 11, 20], ids=case_id)
def test_while(n):
    check(while_sum, n)
    check(while_break_continue_else, n)


@pytest.mark.parametrize("x", [1, 2, 7, 27, 97], ids=case_id)
def test_while_true_break(x):
    check(while_true_break, x)


def test_while_float():
    check(while_float, 1000.0)
    check(while_float, 0.5)


# --- for / range -------------------------------------------------------------------------------

def range1(n):
    s = 0
    k = 0
    for i in range(n):
        s += i * i
        k += 1
    return s, k


def range2(a, b):
    s = 0
    k = 0
    for i in range(a, b):
        s = s * 3 + i
        k += 1
    return s, k


def range3(a, b, c):
    s = 0
    k = 0
    for i in range(a, b, c):
        s = s * 3 + i
        k += 1
    return s, k


def loop_var_after_loop(n):
    for i in range(n):
        pass
    return i


@pytest.mark.parametrize("n", [0, 1, 5, -3], ids=case_id)
def test_range_one_arg(n):
    check(range1, n)


@pytest.mark.parametrize("args", [(0, 5), (2, 8), (-5, -1), (5, 2), (3, 3), (-3, 3)], ids=case_id)
def test_range_two_args(args):
    check(range2, *args)


@pytest.mark.parametrize("args", [
    (0, 10, 3), (10, 0, -3), (10, 0, -1), (0, 10, -1), (5, 5, 1), (-5, 5, 2), (5, -5, -2),
    (0, 1, 100), (3, -10, -4), (-10, -1, 4),
], ids=case_id)
def test_range_three_args(args):
    check(range3, *args)


def test_range_zero_step_raises():
    check(range3, 0, 10, 0)  # ValueError: range() arg 3 must not be zero


def test_range_misc():
    check(loop_var_after_loop, 5)


def for_break_continue(n):
    s = 0
    for i in range(n):
        if i % 2 == 0:
            continue
        if i > 7:
            break
        s += i
    return s


def find_divisor(n):
    for d in range(2, n):
        if n % d == 0:
            break
    else:
        d = 0
    return d


def for_else_no_break(n):
    s = 0
    for i in range(n):
        s += i
    else:
        s += 1000
    return s


def nested_loops(n):
    count = 0
    for i in range(n):
        for j in range(i):
            if j == 3:
                break
            if (i + j) % 2 == 0:
                continue
            count += i * j
        else:
            count += 1
    return count


def early_return_in_loop(n):
    for i in range(n):
        if i * i > n:
            return i
    return -1


@pytest.mark.parametrize("n", [0, 1, 2, 7, 9, 10, 20], ids=case_id)
def test_for_loops(n):
    check(for_break_continue, n)
    check(for_else_no_break, n)
    check(nested_loops, n)
    check(early_return_in_loop, n)


@pytest.mark.parametrize("n", [2, 3, 9, 13, 49, 97], ids=case_id)
def test_for_else(n):
    check(find_divisor, n)


# --- returns and pass --------------------------------------------------------------------------

def sign(x):
    if x > 0:
        return 1
    elif x < 0:
        return -1
    return 0


def many_returns(x):
    if x == 0:
        return 0.0
    if x < 0:
        return -x * 0.5
    while x > 100:
        x = x // 2
        if x == 64:
            return 64.0
    return x * 1.0


def only_pass(x):
    pass


def pass_in_branches(x):
    if x > 0:
        pass
    else:
        x = -x
    for i in range(3):
        pass
    while False:
        pass
    return x


@pytest.mark.parametrize("x", [5, -5, 0, 0.5, -0.0, 128, 1000, 257, -7], ids=case_id)
def test_returns(x):
    check(sign, x)
    check(many_returns, x)


@pytest.mark.parametrize("x", [3, -3, 0], ids=case_id)
def test_pass(x):
    check(only_pass, x)
    check(pass_in_branches, x)


# --- assert ------------------------------------------------------------------------------------

# The reference functions with `assert` live in `cases_assert.py`: pytest rewrites the asserts of
# test modules, which would change CPython's assertion messages.
from cases_assert import assert_in_loop, assert_no_msg, assert_with_msg  # noqa: E402


@pytest.mark.parametrize("x", [1, 10, 0, -4, 2.5, -0.5], ids=case_id)
def test_assert_with_message(x):
    check(assert_with_msg, x, exc_msg=True)


@pytest.mark.parametrize("x", [1, 3], ids=case_id)
def test_assert_without_message(x):
    check(assert_no_msg, x, exc_msg=True)


@pytest.mark.parametrize("n", [3, 5, 6], ids=case_id)
def test_assert_in_loop(n):
    check(assert_in_loop, n, exc_msg=True)


# --- raise -------------------------------------------------------------------------------------

def raise_value_error(x):
    if x < 0:
        raise ValueError("negative value")
    return x


def raise_zero_division(x):
    if x == 0:
        raise ZeroDivisionError("custom division message")
    return 10 // x


def raise_index_error(i):
    if i >= 3:
        raise IndexError("index out of range")
    return i


def raise_runtime_error(x):
    if x > 1.5:
        raise RuntimeError("boom")
    return x


def raise_type_error(x):
    if x:
        raise TypeError("bad type")
    return 1


def raise_class_only(x):
    if x == 1:
        raise ValueError
    return 2


def raise_misc(x):
    if x == 1:
        raise OverflowError("too big")
    elif x == 2:
        raise NotImplementedError("not yet")
    elif x == 3:
        raise ArithmeticError("arith")
    elif x == 4:
        raise Exception("plain exception")
    elif x == 5:
        raise AssertionError("explicit assertion")
    return x


def raise_in_loop(n):
    s = 0
    for i in range(n):
        s += i
        if s > 20:
            raise ValueError("sum exceeded 20")
    return s


@pytest.mark.parametrize("func,arg", [
    (raise_value_error, -1), (raise_value_error, 1),
    (raise_zero_division, 0), (raise_zero_division, 3),
    (raise_index_error, 3), (raise_index_error, 2),
    (raise_runtime_error, 2.0), (raise_runtime_error, 1.0),
    (raise_type_error, True), (raise_type_error, False),
    (raise_class_only, 1), (raise_class_only, 0),
    (raise_misc, 1), (raise_misc, 2), (raise_misc, 3), (raise_misc, 4), (raise_misc, 5), (raise_misc, 6),
    (raise_in_loop, 5), (raise_in_loop, 8),
], ids=case_id)
def test_raise(func, arg):
    check(func, arg, exc_msg=True)


# --- and / or / not ----------------------------------------------------------------------------

def and_guard(a, b):
    return b != 0 and a // b > 1


def or_guard(a, b):
    return b == 0 or a % b == 0


def and_value(x, y):
    return x and y


def or_value(x, y):
    return x or y


def or_literal(x):
    return x or 5


def and_or_chain(x, y, z):
    return x and y or z


def not_and(a, b):
    return not (a > 0 and b > 0)


def guard_in_if(a, b):
    if b != 0 and a / b > 2.0:
        return 1
    if b == 0 or a // b < 0:
        return 2
    return 3


@pytest.mark.parametrize("args", [(10, 0), (10, 3), (10, 7), (-10, 3), (0, 0)], ids=case_id)
def test_short_circuit_guards(args):
    check(and_guard, *args)
    check(or_guard, *args)
    check(guard_in_if, *args)
    check(not_and, *args)


@pytest.mark.parametrize("args", [
    (0, 5), (3, 5), (3, 0), (0, 0), (-1, 2),
    (0.0, 2.5), (1.5, 2.5), (NAN, 1.0), (-0.0, 0.0),
    (True, False), (False, True), (True, True),
], ids=case_id)
def test_and_or_values(args):
    check(and_value, *args)
    check(or_value, *args)


@pytest.mark.parametrize("x", [0, 7, -2], ids=case_id)
def test_or_literal_same_type(x):
    check(or_literal, x)


@pytest.mark.parametrize("args", [(0, 1, 2), (3, 0, 2), (3, 4, 2), (0, 0, 0), (1, 1, 0)], ids=case_id)
def test_and_or_chain(args):
    check(and_or_chain, *args)


# --- conditional expressions -------------------------------------------------------------------

def cond_expr(a, b):
    return a if a > b else b


def cond_expr_nested(x):
    return -1 if x < 0 else (0 if x == 0 else 1)


def cond_expr_guard(a, b):
    return a // b if b != 0 else 0


@pytest.mark.parametrize("args", [(1, 2), (2, 1), (2.5, -1.0), (NAN, 1.0), (-3, -3)], ids=case_id)
def test_cond_expr(args):
    check(cond_expr, *args)


@pytest.mark.parametrize("x", [-4, 0, 9, -0.5, 0.0], ids=case_id)
def test_cond_expr_nested(x):
    check(cond_expr_nested, x)


@pytest.mark.parametrize("args", [(7, 2), (7, 0), (-7, 2)], ids=case_id)
def test_cond_expr_guard(args):
    check(cond_expr_guard, *args)
