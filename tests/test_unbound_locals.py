"""Reads of variables that may have no value, against CPython: a variable assigned on some
paths only (a branch of an `if`, a loop that may run no time, a `while` left by `break`, a
loop's `else`, after `del`) raises CPython's `UnboundLocalError` where a read finds it unbound,
with CPython's message, and gives the value where it is bound; an inner function reading a
variable that may be unbound where it is defined raises CPython's `NameError` when it runs.
For every kind of value (numbers, strings, lists, dicts, sets, arrays, tuples of arrays), in
plain functions, inner functions, lambdas and generators.

Each row of a table is a plain function; it runs as plain Python and compiled, and the results
must be the same (type and value) or the same exception (class and message). The memory tests
check that neither raising nor returning leaks, and that a variable never assigned is released
safely at the function's exit."""
import copy

import numpy as np
import pytest

from ferrojit import _native, njit
from ferrojit.errors import TypingError
from helpers import assert_same, case_id, run_both, to_python


@njit
def compiled_counter(n):
    for i in range(n):
        yield i


# ---- if / elif / else --------------------------------------------------------------------------


def number_in_if(c):
    if c:
        x = 2.5
    return x


def int_in_if(c):
    if c:
        n = 7
    return n + 1


def list_in_if(c):
    if c:
        lst = [1]
    return len(lst)


def list_in_if_returned(c):
    if c:
        lst = [1, 2]
    return lst


def dict_in_if(c):
    if c:
        d = {"a": 1}
    return d["a"]


def set_in_if(c):
    if c:
        s = {1, 2, 3}
    return len(s)


def str_in_if(c):
    if c:
        s = "text"
    return s + "!"


def array_in_if(c):
    if c:
        a = np.arange(4.0)
    return a.sum()


def matrix_in_if(c):
    if c:
        m = np.ones((2, 3))
    return m


def tuple_of_arrays_in_if(c):
    if c:
        pair = (np.zeros(3), np.ones(2))
    return pair[1].sum() + len(pair[0])


def bool_in_if(c):
    if c:
        flag = False
    return flag


def complex_in_if(c):
    if c:
        z = 1 + 2j
    return z * 2


def list_of_lists_in_if(c):
    if c:
        rows = [[1, 2], [3]]
    return len(rows[0])


def elif_without_else(k):
    if k == 0:
        s = "zero"
    elif k == 1:
        s = "one"
    return s


def elif_with_else(k):
    if k == 0:
        s = "zero"
    elif k == 1:
        s = "one"
    else:
        s = "many"
    return s


def else_returns(c):
    if c:
        lst = [1, 2, 3]
    else:
        return -1
    return len(lst)


def assigned_in_one_branch_read_in_the_same(c):
    if c:
        lst = [4, 5]
        return len(lst)
    return 0


def nested_ifs(a, b):
    if a:
        if b:
            x = [1]
        else:
            x = [2, 2]
    return len(x)


def read_before_assignment(n):
    m = n * 2
    total = m + y  # noqa: F821
    y = 1
    return total


def read_in_dead_branch_never_taken(c):
    if c:
        return len(later)  # noqa: F821
    later = [1, 2, 3]
    return len(later)


def if_expression_assigns(c):
    y = (x := 5) if c else 0
    return x + y


def short_circuit_assigns(c):
    if c and len(x := [1, 2]) > 1:
        pass
    return len(x)


def bound_where_and_is_true(c):
    if c and len(x := [1, 2]) > 1:
        return len(x)
    return -1


def bound_where_or_is_false(c):
    if c or (y := 4) < 0:
        return 0
    return y


def short_circuit_or_assigns(c):
    if c or (x := 3.5):
        pass
    return x


def augmented_assignment(c):
    if c:
        total = 1
    total += 1
    return total


def list_changed_in_place(c):
    if c:
        lst = [1, 2]
    lst += [3]
    lst[0] = 5
    lst.append(4)
    return lst


def str_appended(c):
    if c:
        s = "a"
    s += "x"
    return s


def array_changed_in_place(c):
    if c:
        a = np.zeros((2, 2))
    a += 1
    a[0, 1] = 3.0
    a[1] += 2
    return a


def dict_stored_into(c):
    if c:
        d = {1: 2.5}
    d[3] = 4.5
    return d


def tuple_of_arrays_unpacked(c):
    if c:
        t = (np.ones(2), 1)
    x, y = t
    return x.sum() + y


def array_expression_operand(c):
    if c:
        a = np.ones(4)
    return a * 2 + a


IF_CASES = [
    (number_in_if, (True,)),
    (number_in_if, (False,)),
    (int_in_if, (True,)),
    (int_in_if, (False,)),
    (list_in_if, (True,)),
    (list_in_if, (False,)),
    (list_in_if_returned, (True,)),
    (list_in_if_returned, (False,)),
    (dict_in_if, (True,)),
    (dict_in_if, (False,)),
    (set_in_if, (True,)),
    (set_in_if, (False,)),
    (str_in_if, (True,)),
    (str_in_if, (False,)),
    (array_in_if, (True,)),
    (array_in_if, (False,)),
    (matrix_in_if, (True,)),
    (matrix_in_if, (False,)),
    (tuple_of_arrays_in_if, (True,)),
    (tuple_of_arrays_in_if, (False,)),
    (bool_in_if, (True,)),
    (bool_in_if, (False,)),
    (complex_in_if, (True,)),
    (complex_in_if, (False,)),
    (list_of_lists_in_if, (True,)),
    (list_of_lists_in_if, (False,)),
    (list_changed_in_place, (True,)),
    (list_changed_in_place, (False,)),
    (str_appended, (True,)),
    (str_appended, (False,)),
    (array_changed_in_place, (True,)),
    (array_changed_in_place, (False,)),
    (dict_stored_into, (True,)),
    (dict_stored_into, (False,)),
    (tuple_of_arrays_unpacked, (True,)),
    (tuple_of_arrays_unpacked, (False,)),
    (array_expression_operand, (True,)),
    (array_expression_operand, (False,)),
    (elif_without_else, (0,)),
    (elif_without_else, (1,)),
    (elif_without_else, (2,)),
    (elif_with_else, (2,)),
    (else_returns, (True,)),
    (else_returns, (False,)),
    (assigned_in_one_branch_read_in_the_same, (True,)),
    (assigned_in_one_branch_read_in_the_same, (False,)),
    (nested_ifs, (True, True)),
    (nested_ifs, (True, False)),
    (nested_ifs, (False, True)),
    (read_before_assignment, (3,)),
    (read_in_dead_branch_never_taken, (False,)),
    (read_in_dead_branch_never_taken, (True,)),
    (if_expression_assigns, (True,)),
    (if_expression_assigns, (False,)),
    (short_circuit_assigns, (True,)),
    (short_circuit_assigns, (False,)),
    (bound_where_and_is_true, (True,)),
    (bound_where_and_is_true, (False,)),
    (bound_where_or_is_false, (True,)),
    (bound_where_or_is_false, (False,)),
    (short_circuit_or_assigns, (True,)),
    (short_circuit_or_assigns, (False,)),
    (augmented_assignment, (True,)),
    (augmented_assignment, (False,)),
]


@pytest.mark.parametrize("pyfunc, args", IF_CASES, ids=case_id)
def test_if(pyfunc, args):
    run_both(pyfunc, *args)


# ---- loops -------------------------------------------------------------------------------------


def range_target_after_loop(n):
    for i in range(n):
        pass
    return i


def list_target_after_loop(k):
    for x in [1.5, 2.5, 3.5][:k]:
        pass
    return x


def str_target_after_loop(s):
    for ch in s:
        pass
    return ch


def array_row_target_after_loop(n):
    for row in np.ones((n, 2)):
        pass
    return row


def enumerate_targets_after_loop(k):
    for i, x in enumerate([4, 5, 6][:k]):
        pass
    return i, x


def tuple_loop_left_by_break(k):
    for x in (1, 2.5):
        if k == 0:
            break
        y = x
    return y


def zip_targets_after_loop(n):
    for a, b in zip(range(n), range(n, 2 * n)):
        pass
    return a + b


def dict_items_after_loop(n):
    d = {str(i): [i] for i in range(n)}
    for k, v in d.items():
        pass
    return k, v


def array_items_after_loop(n):
    for v in np.arange(n):
        w = v * 2
    return w


def generator_items_after_loop(n):
    for v in compiled_counter(n):
        last = v
    return last


def assigned_in_loop_body(n):
    for i in range(n):
        last = np.full(2, float(i))
    return last


def dict_assigned_in_loop_body(n):
    for i in range(n):
        d = {i: str(i)}
    return d


def while_zero_times(n):
    while n > 0:
        v = [n]
        n -= 1
    return v


def while_with_break(values, limit):
    i = 0
    while i < len(values):
        if values[i] > limit:
            found = i
            break
        i += 1
    return found


def while_true_with_break(n):
    while True:
        x = n * 2
        if x > 3:
            break
        n += 1
    return x


def for_else_assigns(n, k):
    for i in range(n):
        if i == k:
            break
    else:
        missing = "none"
    return missing


def for_else_both(n, k):
    for i in range(n):
        if i == k:
            result = i
            break
    else:
        result = -1
    return result


def read_in_next_iteration(n):
    total = 0
    for i in range(n):
        if i > 0:
            total += prev  # noqa: F821
        prev = i * 10
    return total


def read_before_assignment_in_loop(n):
    total = 0
    for i in range(n):
        total += prev  # noqa: F821
        prev = i
    return total


def continue_skips_assignment(n):
    for i in range(n):
        if i % 2 == 1:
            continue
        y = [i]
    return y


def assigned_after_continue(n):
    for i in range(n):
        if i < 2:
            continue
        s = str(i)
    return s


def nested_loop_assigns(n, m):
    for i in range(n):
        for j in range(m):
            pair = (i, j)
    return pair


def comprehension_walrus(n):
    squares = [(y := i * i) for i in range(n)]
    return y + len(squares)


def comprehension_condition_walrus(n):
    evens = [i for i in range(n) if (last := i) % 2 == 0]
    return last, evens


LOOP_CASES = [
    (range_target_after_loop, (0,)),
    (range_target_after_loop, (3,)),
    (list_target_after_loop, (0,)),
    (list_target_after_loop, (2,)),
    (str_target_after_loop, ("",)),
    (str_target_after_loop, ("abc",)),
    (array_row_target_after_loop, (0,)),
    (array_row_target_after_loop, (2,)),
    (enumerate_targets_after_loop, (0,)),
    (enumerate_targets_after_loop, (2,)),
    (tuple_loop_left_by_break, (0,)),
    (tuple_loop_left_by_break, (1,)),
    (zip_targets_after_loop, (0,)),
    (zip_targets_after_loop, (3,)),
    (dict_items_after_loop, (0,)),
    (dict_items_after_loop, (2,)),
    (array_items_after_loop, (0,)),
    (array_items_after_loop, (3,)),
    (generator_items_after_loop, (0,)),
    (generator_items_after_loop, (3,)),
    (assigned_in_loop_body, (0,)),
    (assigned_in_loop_body, (3,)),
    (dict_assigned_in_loop_body, (0,)),
    (dict_assigned_in_loop_body, (2,)),
    (while_zero_times, (0,)),
    (while_zero_times, (2,)),
    (while_with_break, ([1, 5, 9], 4)),
    (while_with_break, ([1, 2], 4)),
    (while_true_with_break, (0,)),
    (for_else_assigns, (3, 5)),
    (for_else_assigns, (3, 1)),
    (for_else_both, (3, 5)),
    (for_else_both, (3, 1)),
    (read_in_next_iteration, (0,)),
    (read_in_next_iteration, (4,)),
    (read_before_assignment_in_loop, (0,)),
    (read_before_assignment_in_loop, (2,)),
    (continue_skips_assignment, (0,)),
    (continue_skips_assignment, (1,)),
    (continue_skips_assignment, (4,)),
    (assigned_after_continue, (2,)),
    (assigned_after_continue, (4,)),
    (nested_loop_assigns, (2, 0)),
    (nested_loop_assigns, (0, 2)),
    (nested_loop_assigns, (2, 3)),
    (comprehension_walrus, (0,)),
    (comprehension_walrus, (4,)),
    (comprehension_condition_walrus, (0,)),
    (comprehension_condition_walrus, (5,)),
]


@pytest.mark.parametrize("pyfunc, args", LOOP_CASES, ids=case_id)
def test_loops(pyfunc, args):
    run_both(pyfunc, *args)


# ---- del ---------------------------------------------------------------------------------------


def del_of_maybe_unbound(c):
    if c:
        x = [1, 2]
    del x
    return c


def del_in_branch_then_read(c):
    a = np.ones(3)
    if c:
        del a
    return a.sum()


def del_then_assign_in_branch(c):
    s = "first"
    del s
    if c:
        s = "second"
    return s


def del_in_loop_read_after(n):
    d = {1: 2}
    for i in range(n):
        del d
        d = {i: i}
    return len(d)


def del_in_loop_then_break(n):
    items = [0]
    for i in range(n):
        del items
        if i == 1:
            break
        items = [i]
    return len(items)


DEL_CASES = [
    (del_of_maybe_unbound, (True,)),
    (del_of_maybe_unbound, (False,)),
    (del_in_branch_then_read, (True,)),
    (del_in_branch_then_read, (False,)),
    (del_then_assign_in_branch, (True,)),
    (del_then_assign_in_branch, (False,)),
    (del_in_loop_read_after, (0,)),
    (del_in_loop_read_after, (3,)),
    (del_in_loop_then_break, (1,)),
    (del_in_loop_then_break, (3,)),
]


@pytest.mark.parametrize("pyfunc, args", DEL_CASES, ids=case_id)
def test_del(pyfunc, args):
    run_both(pyfunc, *args)


# ---- inner functions, lambdas, generators --------------------------------------------------------


def inner_function_reads_maybe_unbound(c):
    if c:
        x = [1, 2, 3]

    def g():
        return len(x)

    return g()


def lambda_reads_maybe_unbound(c):
    if c:
        x = 2.5
    f = lambda: x * 2  # noqa: E731
    return f()


def inner_function_not_called(c):
    if c:
        x = 1

    def g():
        return x

    return 5


def inner_function_with_its_own_unbound(c):
    def g(d):
        if d:
            y = "inner"
        return y

    return g(c)


def nonlocal_assigned_on_some_paths(c):
    def setter():
        nonlocal x
        x = 10

    if c:
        setter()
    result = x
    x = 0
    return result + x


def captured_after_assignment_in_loop(n):
    for i in range(n):
        value = i * 3
    g = lambda: value  # noqa: E731
    return g()


INNER_CASES = [
    (inner_function_reads_maybe_unbound, (True,)),
    (inner_function_reads_maybe_unbound, (False,)),
    (lambda_reads_maybe_unbound, (True,)),
    (lambda_reads_maybe_unbound, (False,)),
    (inner_function_not_called, (False,)),
    (inner_function_with_its_own_unbound, (True,)),
    (inner_function_with_its_own_unbound, (False,)),
    (captured_after_assignment_in_loop, (0,)),
    (captured_after_assignment_in_loop, (3,)),
    (nonlocal_assigned_on_some_paths, (True,)),
    (nonlocal_assigned_on_some_paths, (False,)),
]


@pytest.mark.parametrize("pyfunc, args", INNER_CASES, ids=case_id)
def test_inner_functions(pyfunc, args):
    run_both(pyfunc, *args)


def yields_after_loop(n):
    for i in range(n):
        yield i
    yield i * 10


def yields_maybe_unbound_list(c):
    if c:
        lst = [1, 2, 3]
    yield 0
    yield len(lst)


@pytest.mark.parametrize("pyfunc, args", [(yields_after_loop, (0,)), (yields_after_loop, (3,)), (yields_maybe_unbound_list, (True,)), (yields_maybe_unbound_list, (False,))], ids=case_id)
def test_generators_from_python(pyfunc, args):
    try:
        expected = list(pyfunc(*args))
    except UnboundLocalError as exc:
        with pytest.raises(UnboundLocalError) as info:
            list(njit(pyfunc)(*args))
        assert str(info.value) == str(exc)
        return
    assert list(njit(pyfunc)(*args)) == expected


@njit
def compiled_yields_after_loop(n):
    for i in range(n):
        yield i
    yield i * 10


def consumes_generator(n):
    total = 0
    for v in compiled_yields_after_loop(n):
        total += v
    return total


@pytest.mark.parametrize("n", [0, 3])
def test_generator_consumed_by_compiled_code(n):
    def plain(n):
        total = 0
        for v in yields_after_loop(n):
            total += v
        return total

    cfunc = njit(consumes_generator)
    try:
        expected = plain(n)
    except UnboundLocalError as exc:
        with pytest.raises(UnboundLocalError) as info:
            cfunc(n)
        assert str(info.value) == str(exc)
        return
    assert cfunc(n) == expected


# ---- the common case has no check ----------------------------------------------------------------


def assigned_on_every_path(c, n):
    if c:
        x = [1]
    else:
        x = [2, 3]
    for i in range(n):
        y = i
    y = 0
    return len(x) + y


def test_no_check_where_every_path_assigns():
    cfunc = njit(assigned_on_every_path)
    assert cfunc(True, 3) == 1
    assert cfunc(False, 0) == 2
    (llvm,) = cfunc.inspect_llvm().values()
    assert "cannot access local variable" not in llvm
    maybe = njit(list_in_if)
    assert maybe(True) == 1
    (llvm,) = maybe.inspect_llvm().values()
    assert "cannot access local variable 'lst'" in llvm


# ---- memory --------------------------------------------------------------------------------------


def memory_list_on_one_branch(c, fail):
    if c:
        lst = [np.ones(3), np.zeros(2)]
    else:
        return 0.0
    if fail:
        del lst
    return float(len(lst))


def memory_maybe_unbound_heap_locals(n, fail):
    a = np.ones(n)
    if not fail:
        s = "x" * n
        d = {1: np.ones(2)}
        st = {1, 2}
        pair = (np.zeros(n), np.ones(n))
        lst = [np.ones(1)]
    total = a.sum()
    total += len(s) + len(d) + len(st) + pair[1].sum() + len(lst)
    return total


def memory_loop_that_did_not_run(n, fail):
    keep = [np.ones(3)]
    for i in range(0 if fail else n):
        last = np.full(2, float(i))
    return last.sum() + len(keep)


def memory_early_return(n, fail):
    if fail:
        return -1.0
    arr = np.ones(n)
    items = [arr, arr]
    return items[0].sum()


def memory_never_assigned_released_at_exit(n, fail):
    if n < 0:
        never = [np.ones(3)]
        return float(len(never))
    a = np.ones(n)
    if fail:
        raise ValueError("midway")
    return a.sum()


def memory_changed_in_place(n, fail):
    if not fail:
        lst = [np.ones(n)]
        s = "a" * n
        a = np.zeros(n)
    lst += [np.zeros(n)]
    s += "x"
    a += 1
    return len(lst) + len(s) + a.sum()


MEMORY_CASES = [
    (memory_list_on_one_branch, (True,)),
    (memory_maybe_unbound_heap_locals, (3,)),
    (memory_loop_that_did_not_run, (3,)),
    (memory_early_return, (3,)),
    (memory_changed_in_place, (3,)),
    (memory_never_assigned_released_at_exit, (3,)),
]


@pytest.mark.parametrize("pyfunc, args", MEMORY_CASES, ids=case_id)
def test_memory(pyfunc, args):
    run = njit(pyfunc)
    run(*copy.deepcopy(args), False)
    live0 = _native.live_allocations()
    for _ in range(20):
        assert_same(run(*copy.deepcopy(args), False), to_python(pyfunc(*copy.deepcopy(args), False)))
        try:
            expected = pyfunc(*copy.deepcopy(args), True)
        except (ValueError, UnboundLocalError) as exc:
            with pytest.raises(type(exc)):
                run(*copy.deepcopy(args), True)
        else:
            assert_same(run(*copy.deepcopy(args), True), to_python(expected))
    assert _native.live_allocations() == live0


def test_memory_of_generators():
    gen = njit(yields_maybe_unbound_list)
    list(gen(True))
    live0 = _native.live_allocations()
    for _ in range(20):
        assert list(gen(True)) == [0, 3]
        with pytest.raises(UnboundLocalError):
            list(gen(False))
        g = gen(False)
        assert next(g) == 0
        del g
    assert _native.live_allocations() == live0


def test_memory_of_inner_functions():
    run = njit(inner_function_reads_maybe_unbound)
    run(True)
    live0 = _native.live_allocations()
    for _ in range(20):
        assert run(True) == 3
        with pytest.raises(NameError):
            run(False)
    assert _native.live_allocations() == live0


# ---- a parameter left at `None` ----------------------------------------------------------------


def none_default_assigned_on_every_path(x=None, c=False):
    if x is None:
        if c:
            x = [1, 2]
        else:
            x = [3]
    return len(x)


def none_default_assigned_on_some_paths(x=None, c=False):
    if x is None:
        if c:
            x = [1, 2]
    return len(x)


def test_none_default_given_its_value_on_every_path():
    run_both(none_default_assigned_on_every_path, None, True)
    run_both(none_default_assigned_on_every_path, None, False)


def test_none_default_given_its_value_on_some_paths_only():
    # The variable may still be `None` after the `if`: it holds an optional list, whose
    # `len()` is a `TypeError` when it is `None`, as CPython's `len(None)` (with Numba's
    # message).
    compiled = njit(none_default_assigned_on_some_paths)
    assert compiled(None, True) == 2
    with pytest.raises(TypeError, match="expected list\\(int64\\), got None"):
        compiled(None, False)
    with pytest.raises(TypeError):
        none_default_assigned_on_some_paths(None, False)
