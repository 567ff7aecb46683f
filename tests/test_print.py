"""print() from compiled code writes to Python's sys.stdout with Python's formatting."""
import math

import numpy as np
import pytest

import ferrojit
from helpers import case_id, check_print

NAN = math.nan
INF = math.inf


def print_one(x):
    print(x)


def print_two(a, b):
    print(a, b)


def print_constants():
    print("hello")
    print("a string with spaces", 1, 2.5, True, None)
    print()
    print(1, "two", 3.0)


def print_none():
    print(None)


def print_computed(x):
    y = x * 2
    print("x =", x, "y =", y)
    return y


def print_in_loop(n):
    for i in range(n):
        print(i, i * 0.5, i % 2 == 0)
    print("done")


def print_tuple_elements(t):
    a, b = t
    print(a, b)


def print_bool_expr(a, b):
    print(a < b, a == b, not a)


@pytest.mark.parametrize("x", [
    0, 1, -1, 123456789, -(2 ** 63), 2 ** 63 - 1,
    0.1, 1e16, 1e-5, 1.5, -0.0, 0.0, INF, -INF, NAN, 1.0, 100.0, 123456789.0, 1e22, 2.5e-300, 1 / 3,
    1e15, 0.0001, 5e-324, 1.7976931348623157e308,
    True, False,
    1 + 2j, -1.5 - 0.5j, 1j, complex(1.5, -0.0), complex(INF, NAN), 0j,
    np.int32(-7), np.uint64(2 ** 64 - 1), np.bool_(True),
], ids=case_id)
def test_print_scalar(capsys, x):
    check_print(capsys, print_one, x)


@pytest.mark.parametrize("args", [(1, 2), (0.1, -0.0), (True, 3), (1j, 2.5), (-7, NAN)], ids=case_id)
def test_print_multiple_args(capsys, args):
    check_print(capsys, print_two, *args)


def test_print_constants_and_none(capsys):
    check_print(capsys, print_constants)
    check_print(capsys, print_none)


def test_print_with_return_value(capsys):
    check_print(capsys, print_computed, 21)
    check_print(capsys, print_computed, 0.1)


def test_print_in_loop(capsys):
    check_print(capsys, print_in_loop, 4)
    check_print(capsys, print_in_loop, 0)


def test_print_misc(capsys):
    check_print(capsys, print_tuple_elements, (3, 0.25))
    check_print(capsys, print_bool_expr, 1, 2)
    check_print(capsys, print_bool_expr, 0, 0)


def test_print_goes_to_sys_stdout(capsys):
    f = ferrojit.njit(print_two)
    f(42, 43)
    assert capsys.readouterr().out == "42 43\n"


# --- evaluation order / evaluate-once, observed through printing ---------------------------------

@ferrojit.njit
def noisy(x):
    print("eval", x)
    return x


def chained_noisy(a, b, c):
    return a < noisy(b) < c


def chained_noisy_four(a, b, c, d):
    return noisy(a) <= noisy(b) < noisy(c) <= noisy(d)


def and_noisy(a):
    return a > 0 and noisy(a) > 1


def or_noisy(a):
    return a > 0 or noisy(a) < -1


def cond_noisy(a):
    return noisy(a) if a > 0 else noisy(-a) * 10


def call_args_order(a, b):
    return noisy(a) - noisy(b)


@pytest.mark.parametrize("args", [(1, 2, 3), (3, 2, 1), (1, 5, 3), (2, 2, 2)], ids=case_id)
def test_chained_comparison_evaluates_middle_once(capsys, args):
    out = check_print(capsys, chained_noisy, *args)
    if args[0] < args[1]:
        assert out == f"eval {args[1]}\n"


@pytest.mark.parametrize("args", [(1, 2, 3, 4), (2, 1, 3, 4), (1, 2, 2, 4), (1, 2, 3, 3), (1, 2, 3, 2)], ids=case_id)
def test_chained_comparison_short_circuits(capsys, args):
    check_print(capsys, chained_noisy_four, *args)


@pytest.mark.parametrize("a", [-5, 0, 1, 5], ids=case_id)
def test_and_or_short_circuit(capsys, a):
    check_print(capsys, and_noisy, a)
    check_print(capsys, or_noisy, a)


@pytest.mark.parametrize("a", [-3, 3], ids=case_id)
def test_conditional_expression_evaluates_one_branch(capsys, a):
    check_print(capsys, cond_noisy, a)


def test_left_to_right_evaluation(capsys):
    out = check_print(capsys, call_args_order, 1, 2)
    assert out == "eval 1\neval 2\n"
