"""Functions as values, against CPython: inner functions and lambdas reading the enclosing
function's variables, recursive inner functions, keywords and defaults; functions passed as
arguments (module-level compiled functions, inner functions, lambdas, and compiled functions
passed in from Python), each compiled once per function passed; the built-ins taking
functions (`key=`, `map`, `filter`, `functools.reduce`); what stays unsupported (a clear
error naming the line); and memory: closures holding arrays and lists release them on every
path.

Each row of a table is a plain function; it runs as plain Python and compiled, and the results
must be the same (type and value) or the same exception (class and message)."""
import copy
import functools
import math
import operator

import numpy as np
import pytest

import ferrojit
from ferrojit import _native, njit
from ferrojit.errors import TypingError, UnsupportedError
from helpers import assert_same, case_id, plain_python, to_python
from helpers import run_both as run_both_in_python


def run_both(pyfunc, *args):
    """`helpers.run_both`, the compiled functions `pyfunc` calls run as Python on its Python side."""
    return run_both_in_python(pyfunc, *args, plain=True)


# ---- inner functions and lambdas ------------------------------------------------------------


def lambda_no_capture(x):
    f = lambda v: v * 2 + 1  # noqa: E731
    return f(x) + f(1)


def lambda_captures(x, k):
    scale = k * 2
    f = lambda v: v * scale + k  # noqa: E731
    return f(x), f(2.5)


def lambda_called_directly(x):
    return (lambda a, b: a - b)(x, 3)


def inner_def_captures(a, n):
    offset = n + 1

    def shifted(i):
        return a[i] + offset

    total = 0.0
    for i in range(len(a)):
        total += shifted(i)
    return total


def inner_def_keywords_defaults(x):
    base = 10

    def g(a, b=2, c=base):
        return a * 100 + b * 10 + c

    return g(x), g(x, 3), g(x, c=4), g(b=5, a=x), g(x, 6, 7)


def inner_default_evaluated_once(x):
    y = x + 1

    def g(v=y * 2):
        return v

    return g(), g(0)


def inner_recursive(n):
    def fact(k):
        if k <= 1:
            return 1
        return k * fact(k - 1)

    return fact(n)


def inner_recursive_captures(n, step):
    def count(k):
        if k <= 0:
            return 0
        return 1 + count(k - step)

    return count(n)


def inner_calls_inner(x):
    def double(v):
        return 2 * v

    def quad(v):
        return double(double(v))

    return quad(x)


def nested_closures(x):
    a = x + 1

    def outer(b):
        def inner(c):
            return a * 100 + b * 10 + c

        return inner(3)

    return outer(2)


def lambda_in_loop(n):
    total = 0
    for k in range(n):
        f = lambda v: v + k  # noqa: E731
        total += f(10)
    return total


def lambda_reads_comprehension_variable(n):
    return [(lambda v: v * i)(2) for i in range(n)]


def inner_returns_tuple(x):
    def both(v):
        return v, v * 0.5

    a, b = both(x)
    return a + b


def inner_with_own_locals(n):
    def total_to(m):
        s = 0
        for i in range(m):
            s += i
        return s

    return total_to(n) + total_to(3)


def inner_raises(x):
    def check(v):
        if v < 0:
            raise ValueError("negative")
        return v

    return check(x)


def function_value_truth(x):
    f = lambda v: v  # noqa: E731
    return 1 if f else 0


def returns_closure_to_caller_helper(n):
    return lambda v: v + n


@njit
def make_adder(n):
    return lambda v: v + n


def closure_returned_by_callee(x):
    add3 = make_adder(3)
    return add3(x) + make_adder(10)(x)


INNER_CASES = [
    (lambda_no_capture, (4,)),
    (lambda_captures, (3, 2)),
    (lambda_called_directly, (10,)),
    (inner_def_captures, (np.arange(4.0), 2)),
    (inner_def_keywords_defaults, (1,)),
    (inner_default_evaluated_once, (4,)),
    (inner_recursive, (10,)),
    (inner_recursive_captures, (10, 3)),
    (inner_calls_inner, (3,)),
    (nested_closures, (1,)),
    (lambda_in_loop, (5,)),
    (lambda_reads_comprehension_variable, (4,)),
    (inner_returns_tuple, (2.0,)),
    (inner_with_own_locals, (5,)),
    (inner_raises, (3,)),
    (inner_raises, (-1,)),
    (function_value_truth, (1,)),
    (closure_returned_by_callee, (1,)),
]


@pytest.mark.parametrize("pyfunc, args", INNER_CASES, ids=case_id)
def test_inner_functions(pyfunc, args):
    run_both(pyfunc, *args)


# ---- functions passed as arguments ---------------------------------------------------------


@njit
def square_minus_two(x):
    return x * x - 2.0


@njit
def cube_minus_eight(x):
    return x * x * x - 8.0


@njit
def derivative(f, x):
    h = 1e-6
    return (f(x + h) - f(x - h)) / (2 * h)


@njit
def newton(f, x0):
    x = x0
    for _ in range(50):
        x = x - f(x) / derivative(f, x)
    return x


@njit
def apply_twice(f, x):
    return f(f(x))


def solve_global(x0):
    return round(newton(square_minus_two, x0), 9), round(newton(cube_minus_eight, x0), 9)


def solve_inner(x0, target):
    def g(x):
        return x * x - target

    return round(newton(g, x0), 9)


def solve_lambda(x0, target):
    return round(newton(lambda x: x * x * x - target, x0), 9)


def pass_lambda_capturing_array(a):
    return apply_twice(lambda i: a[int(i) % len(a)] + 1.0, 1.5)


def pass_function_stored_in_variable(x):
    f = square_minus_two
    return apply_twice(f, x)


PASSED_CASES = [
    (solve_global, (1.0,)),
    (solve_inner, (1.0, 3.0)),
    (solve_lambda, (1.0, 27.0)),
    (pass_function_stored_in_variable, (3.0,)),
    (pass_lambda_capturing_array, (np.arange(3.0),)),
]


@pytest.mark.parametrize("pyfunc, args", PASSED_CASES, ids=case_id)
def test_functions_passed_as_arguments(pyfunc, args):
    run_both(pyfunc, *args)


def test_compiled_function_passed_from_python():
    assert_same(apply_twice(square_minus_two, 3.0), 47.0)
    assert_same(round(newton(cube_minus_eight, 1.0), 9), 2.0)
    assert_same(apply_twice(cube_minus_eight, 2.0), -8.0)


def test_one_specialisation_per_function_passed():
    @njit
    def call_it(f, x):
        return f(x)

    assert_same(call_it(square_minus_two, 2.0), 2.0)
    assert_same(call_it(cube_minus_eight, 2.0), 0.0)
    assert_same(call_it(square_minus_two, 3.0), 7.0)
    assert len(call_it.signatures) == 2


# ---- key= and the functional built-ins ------------------------------------------------------


def sort_key(lst):
    lst.sort(key=lambda v: abs(v))
    return lst


def sort_key_reverse(lst):
    lst.sort(key=lambda v: v % 3, reverse=True)
    return lst


def sort_key_is_stable(n):
    lst = [(i * 7) % 5 for i in range(n)]
    pairs = [(v, i) for i, v in enumerate(lst)]
    pairs.sort(key=lambda p: p[0])
    return pairs


def sorted_key_global(lst):
    return sorted(lst, key=square_minus_two)


def sorted_key_inner(lst, pivot):
    def distance(v):
        return abs(v - pivot)

    return sorted(lst, key=distance), sorted(lst, key=distance, reverse=True)


def sorted_key_tuple_and_array(t, a):
    return sorted(t, key=lambda v: -v), sorted(a, key=lambda v: -v)


def sorted_key_tuples(lst):
    return sorted(lst, key=lambda p: p[1])


def min_max_key(lst):
    return min(lst, key=lambda v: (v - 3) ** 2), max(lst, key=lambda v: (v - 3) ** 2)


def min_max_key_first_of_equals(lst):
    return min(lst, key=lambda v: v % 2), max(lst, key=lambda v: v % 2)


def min_max_key_arguments(a, b, c):
    return min(a, b, c, key=lambda v: -v), max(a, b, c, key=abs_value), max(a, 1, key=None)


def min_max_default(n):
    lst = [(i * 5) % 7 for i in range(n)]
    return min(lst, default=-1), max(lst, default=-1), max(lst, key=lambda v: -v, default=0)


def min_empty_no_default(n):
    lst = [i for i in range(n)]
    return min(lst, key=lambda v: v)


def max_empty_no_default(n):
    lst = [i for i in range(n)]
    return max(lst, key=lambda v: v)


@njit
def abs_value(v):
    return abs(v)


def map_in_for(lst):
    total = 0.0
    for v in map(lambda x: x * 0.5, lst):
        total += v
    return total


def map_in_for_is_lazy(lst):
    seen = [0]

    def noted(v):
        seen.append(v)
        if v < 0:
            raise ValueError("negative")
        return v * 2

    total = 0
    for v in map(noted, lst):
        if v > 4:
            break
        total += v
    return total, seen


def map_in_for_two_iterables(a, b):
    out = []
    for p in map(lambda x, y: (x, y * 2), a, b):
        out.append(p)
    for i, v in enumerate(map(abs, b)):
        out.append((i, v))
    return out


def map_list_sum(lst, k):
    return list(map(lambda x: x + k, lst)), sum(map(lambda x: x * k, lst))


def map_two_iterables(a, b):
    return list(map(lambda x, y: x * y, a, b))


def map_global_function(a):
    return list(map(abs_value, a))


def filter_list(lst, limit):
    return list(filter(lambda v: v > limit, lst)), sum(filter(lambda v: v % 2 == 0, lst))


def filter_none(lst):
    return list(filter(None, lst))


def filter_then_map(lst):
    return sorted(map(lambda v: -v, filter(lambda v: v > 0, lst)))


def reduce_sum(lst):
    return functools.reduce(lambda a, b: a + b, lst)


def reduce_initial(n):
    lst = [i + 1 for i in range(n)]
    return functools.reduce(lambda a, b: a * b, lst, 1), functools.reduce(lambda acc, v: acc + v * 0.5, lst, 0.0)


def reduce_max_inner(t):
    def bigger(a, b):
        return a if a >= b else b

    return functools.reduce(bigger, t)


def reduce_empty(n):
    lst = [i * 0.5 for i in range(n)]
    return functools.reduce(lambda a, b: a + b, lst)


def reduce_array(a):
    return functools.reduce(lambda x, y: x * 10 + y, a)


def builtins_as_values(lst):
    return (
        sorted(lst, key=abs),
        max(lst, key=abs),
        list(map(math.sqrt, map(abs, lst))),
        functools.reduce(operator.add, lst),
        functools.reduce(max, lst),
        apply_twice(abs, -2.5),
    )


def over_ranges(a):
    n = len(a)
    return (
        min(range(n), key=lambda i: a[i]),
        max(range(n), key=lambda i: a[i]),
        functools.reduce(lambda x, y: x * y, range(1, n + 1)),
        list(map(lambda i: a[i] * 2, range(n))),
        sum(range(n)),
        sorted(range(n, 0, -2)),
        list(range(2, 11, 3)),
    )


def over_dicts_and_sets(d, s):
    return max(d, key=lambda k: d[k]), min(s, key=lambda v: -v), min(d, default=0)


def range_with_zero_step(n):
    return list(range(0, n, 0))


FUNCTIONAL_CASES = [
    (over_ranges, (np.array([3.0, 1.0, 4.0, 1.5]),)),
    (over_dicts_and_sets, ({1: 3.0, 2: 5.0, 3: 4.0}, {4, 9, 2})),
    (range_with_zero_step, (5,)),
    (builtins_as_values, ([3.0, -4.0, 1.0, -0.5],)),
    (sort_key, ([3, -1, -4, 2, 0],)),
    (sort_key_reverse, ([3, 1, 4, 1, 5, 9, 2, 6],)),
    (sort_key_is_stable, (40,)),
    (sorted_key_global, ([3.0, -1.5, 0.5, 2.0],)),
    (sorted_key_inner, ([1, 8, 3, 5, 9, 2], 5)),
    (sorted_key_tuple_and_array, ((3, 1, 2), np.array([0.5, 2.5, 1.5]))),
    (sorted_key_tuples, ([(1, 3.0), (2, 1.0), (3, 2.0), (4, 1.0)],)),
    (min_max_key, ([1, 5, 2, 4, 3],)),
    (min_max_key_first_of_equals, ([4, 3, 2, 5, 6],)),
    (min_max_key_arguments, (3, -7, 5)),
    (min_max_default, (0,)),
    (min_max_default, (4,)),
    (min_empty_no_default, (0,)),
    (max_empty_no_default, (0,)),
    (map_in_for, ([1.0, 2.0, 3.0],)),
    (map_list_sum, ([1, 2, 3], 4)),
    (map_in_for_is_lazy, ([1, 2, 3, -1],)),
    (map_in_for_two_iterables, ([1, 2, 3], [-4, 5])),
    (map_two_iterables, ([1, 2, 3], [4.0, 5.0, 6.0])),
    (map_global_function, ([-1, 2, -3],)),
    (filter_list, ([1, 6, 3, 8, 4], 3)),
    (filter_none, ([0, 1, 0, 2, 3],)),
    (filter_then_map, ([3, -1, 2, -5, 7],)),
    (reduce_sum, ([1, 2, 3, 4],)),
    (reduce_sum, ([1.5],)),
    (reduce_initial, (4,)),
    (reduce_initial, (0,)),
    (reduce_max_inner, ((3, 9, 2, 7),)),
    (reduce_empty, (0,)),
    (reduce_empty, (3,)),
    (reduce_array, (np.array([1, 2, 3]),)),
]


@pytest.mark.parametrize("pyfunc, args", FUNCTIONAL_CASES, ids=case_id)
def test_functional_builtins(pyfunc, args):
    run_both(pyfunc, *args)


# ---- parameters defaulting to None -------------------------------------------------------


def none_default_given_a_value(x, scale=None):
    if scale is None:
        scale = 2.0
    return x * scale


def none_default_computed(a, out=None, k=None):
    if out is None:
        out = np.zeros(len(a))
    if k is None:
        k = len(a) // 2
    for i in range(len(a)):
        out[i] = a[i] * k
    return out


def none_default_key(lst, key=None):
    if key is None:
        key = lambda v: -v  # noqa: E731
    return sorted(lst, key=key)


NONE_CASES = [
    (none_default_given_a_value, (3.0,)),
    (none_default_given_a_value, (3.0, 0.5)),
    (none_default_given_a_value, (3.0, None)),
    (none_default_computed, (np.arange(4.0),)),
    (none_default_computed, (np.arange(4.0), np.ones(4), 3)),
    (none_default_key, ([3, 1, 2],)),
]


@pytest.mark.parametrize("pyfunc, args", NONE_CASES, ids=case_id)
def test_parameters_defaulting_to_none(pyfunc, args):
    run_both(pyfunc, *args)


# ---- cells: nonlocal, and variables that change after an inner function is defined ----


def late_binding(x):
    y = x

    def g():
        return y

    first = g()
    y = x + 1
    return first, g()


def nonlocal_counter(n):
    total = 0

    def add(v):
        nonlocal total
        total += v

    for i in range(n):
        add(i)
    return total


def nonlocal_parameter(total, n):
    def add(v):
        nonlocal total
        total = total + v
        return total

    seen = 0
    for i in range(n):
        seen = add(i)
    return total, seen


def nonlocal_nested(n):
    count = 0

    def outer():
        def inner():
            nonlocal count
            count += 1

        inner()
        inner()

    for _ in range(n):
        outer()
    return count


def nonlocal_array(n):
    acc = np.zeros(2)

    def grow(k):
        nonlocal acc
        acc = acc + k

    for k in range(n):
        grow(k)
    return acc


def lambdas_made_in_a_loop(n):
    fs = []
    for k in range(n):
        fs.append(lambda v: v + k)
    return [f(10) for f in fs]


def nonlocal_widening(n):
    total = 0

    def add(v):
        nonlocal total
        total += v * 0.5

    add(n)
    return total


def nonlocal_read_before_assignment(flag):
    def show():
        return x

    if flag:
        x = 1.5
    return show()


def cell_read_before_assignment(flag):
    def get():
        return y

    if flag:
        y = 2
    return y + get()


CELL_CASES = [
    (nonlocal_read_before_assignment, (True,)),
    (nonlocal_read_before_assignment, (False,)),
    (cell_read_before_assignment, (True,)),
    (cell_read_before_assignment, (False,)),
    (late_binding, (1,)),
    (nonlocal_counter, (5,)),
    (nonlocal_parameter, (10, 4)),
    (nonlocal_nested, (3,)),
    (nonlocal_array, (4,)),
    (lambdas_made_in_a_loop, (3,)),
]


@pytest.mark.parametrize("pyfunc, args", CELL_CASES, ids=case_id)
def test_inner_functions_see_variables_as_they_are_when_they_run(pyfunc, args):
    run_both(pyfunc, *args)


# ---- what stays unsupported -----------------------------------------------------------------


def returns_lambda(n):
    return lambda v: v + n


def prints_a_function(x):
    f = lambda v: v  # noqa: E731
    print(f)
    return x


def one_variable_two_functions(x):
    f = lambda v: v  # noqa: E731
    if x > 0:
        f = lambda v: v + 1  # noqa: E731
    return f(x)


def too_many_arguments(x):
    g = lambda v: v  # noqa: E731
    return g(x, 2)


ERROR_CASES = [
    (returns_lambda, (1,), UnsupportedError, "returns a function"),
    (prints_a_function, (1,), UnsupportedError, "printing a `function(<lambda>)` is not supported"),
    (one_variable_two_functions, (1,), TypingError, "each function has a type of its own, and a variable holds one"),
    (too_many_arguments, (1,), TypingError, "`<lambda>()` takes 1 positional argument but 2 were given"),
    (nonlocal_widening, (3,), TypingError, "`total` holds a `int64` in the enclosing function, and cannot be assigned a `float64` here"),
]


@pytest.mark.parametrize("pyfunc, args, error, message", ERROR_CASES, ids=case_id)
def test_unsupported_uses_are_clear_errors(pyfunc, args, error, message):
    with pytest.raises(error) as info:
        njit(pyfunc)(*args)
    text = str(info.value)
    assert message in text
    assert "test_functions_as_values.py" in text


def test_a_plain_python_function_passed_in_is_a_clear_type_error():
    with pytest.raises(TypeError, match="decorate the function with `@njit`"):
        apply_twice(lambda v: v, 1.0)


# ---- memory ---------------------------------------------------------------------------------


def closure_over_array_and_list(n, fail):
    a = np.ones(n)
    items = [np.zeros(2), np.ones(3)]

    def total(k):
        if fail and k == 2:
            raise ValueError("midway")
        return float(a.sum()) + len(items[k % 2]) + k

    s = 0.0
    for k in range(4):
        s += total(k)
    return s


def cells_holding_arrays(n, fail):
    acc = np.zeros(3)
    fs = []
    for k in range(n):
        fs.append(lambda v: v + acc.sum() + k)

    def grow(k):
        nonlocal acc
        if fail and k == 2:
            raise ValueError("midway")
        acc = acc + k

    for k in range(n):
        grow(k)
    return [f(1.0) for f in fs]


def sorting_by_key_raises(values, fail):
    arrays = [np.full(2, v) for v in values]

    def key(a):
        total = float(a.sum())
        if fail and total == 6.0:
            raise ValueError("midway")
        return -total

    arrays.sort(key=key)
    return [float(a[0]) for a in sorted(arrays, key=lambda a: float(a[1]))], float(max(arrays, key=key)[0])


MEMORY_CASES = [
    (closure_over_array_and_list, (3,)),
    (cells_holding_arrays, (4,)),
    (sorting_by_key_raises, ([1.0, 3.0, 2.0],)),
]


@pytest.mark.parametrize("pyfunc, args", MEMORY_CASES, ids=case_id)
def test_closures_release_what_they_capture(pyfunc, args):
    run = njit(pyfunc)
    run(*copy.deepcopy(args), False)
    live0 = _native.live_allocations()
    for _ in range(50):
        assert_same(run(*copy.deepcopy(args), False), to_python(plain_python(pyfunc)(*copy.deepcopy(args), False)))
        with pytest.raises(ValueError, match="midway"):
            run(*copy.deepcopy(args), True)
    assert _native.live_allocations() == live0
