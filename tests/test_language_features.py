"""Language features, against CPython: the walrus operator `:=` (Python's scoping: in a
comprehension it binds in the enclosing function), `del` of a variable (CPython's
`UnboundLocalError` when a read or a second `del` finds it unbound, the reference dropped at
once), starred assignment targets (`a, *rest = t`, in `for`
loops too), starred items of displays (`[*a, *b]`, `(*t, 1)`, `{*s}`) and calls (`f(*t)`),
keyword-only parameters, `*args` (a tuple, as in Numba) and `**kwargs` (a dict of one value
type) of compiled functions, inner functions and lambdas, called from Python and from compiled
code; and `isinstance()`, decided from the types when compiling, its dead branches pruned.

Each row of a table is a plain function; it runs as plain Python and compiled, and the results
must be the same (type and value) or the same exception (class and message). Errors name the
user's file and line; memory tests check that every path (exceptions included) releases what
it allocates."""
import copy

import numpy as np
import pytest

import ferrojit
from ferrojit import _native, njit
from ferrojit.errors import TypingError, UnsupportedError
from helpers import assert_same, case_id, run_both, to_python

THIS_FILE = "test_language_features.py"


def compile_error(pyfunc, args, error, message, line_text):
    """Compiling `pyfunc` for `args` raises `error` whose text holds `message`, this file's name
    and the source line holding `line_text`."""
    with pytest.raises(error) as info:
        njit(pyfunc)(*args)
    text = str(info.value)
    assert message in text, text
    assert THIS_FILE in text, text
    assert line_text in text, text
    return text


# ---- the walrus operator --------------------------------------------------------------------


def walrus_in_while(n):
    total = 0
    i = 0
    while (k := i * 3) < n:
        total += k
        i += 1
    return total, k


def walrus_in_if(x):
    if (r := x % 4) == 0:
        return r, -1
    elif (q := x // 4) > 2:
        return r, q
    return r, 0


def walrus_in_comprehension_condition(xs):
    big = [y for x in xs if (y := x * x) > 10]
    # `y` binds in the function: the last value the condition computed.
    return big, y


def walrus_in_comprehension_element(xs):
    total = 0
    running = [(total := total + x) for x in xs]
    return running, total


def walrus_in_nested_comprehension(n):
    pairs = [(i, j) for i in range(n) for j in range(n) if (s := i + j) == n]
    return pairs, s


def walrus_value_is_the_expression(x):
    y = (z := x + 1) * 2
    return y, z


def walrus_reassigns_variable(x):
    v = 0
    if (v := x) > 2:
        return v * 2
    return v


def walrus_in_boolean_operands(a, b):
    if (m := a) > 0 and (n := b) > 0:
        return m + n
    return m


def walrus_in_lambda(x):
    f = lambda v: (w := v * 2) + w  # noqa: E731
    return f(x)


def walrus_in_inner_function(x):
    def g(v):
        if (w := v + 1) > 3:
            return w
        return 0

    return g(x), g(1)


def walrus_holding_a_list(n):
    if len(items := [i * i for i in range(n)]) > 2:
        return items[-1]
    return -1


def walrus_reads_string(s):
    count = 0
    while (i := s.find("a")) >= 0:
        s = s[i + 1:]
        count += 1
    return count, i


WALRUS_CASES = [
    (walrus_in_while, (20,)),
    (walrus_in_if, (8,)),
    (walrus_in_if, (13,)),
    (walrus_in_if, (5,)),
    (walrus_in_comprehension_condition, ([1, 5, 2, 7, 3],)),
    (walrus_in_comprehension_element, ([1, 2, 3, 4],)),
    (walrus_in_nested_comprehension, (4,)),
    (walrus_value_is_the_expression, (3,)),
    (walrus_reassigns_variable, (5,)),
    (walrus_reassigns_variable, (1,)),
    (walrus_in_boolean_operands, (2, 3)),
    (walrus_in_boolean_operands, (2, -3)),
    (walrus_in_lambda, (4,)),
    (walrus_in_inner_function, (5,)),
    (walrus_holding_a_list, (5,)),
    (walrus_holding_a_list, (2,)),
    (walrus_reads_string, ("banana",)),
]


@pytest.mark.parametrize("pyfunc, args", WALRUS_CASES, ids=case_id)
def test_walrus(pyfunc, args):
    run_both(pyfunc, *args)


# ---- del of a variable ----------------------------------------------------------------------


def del_then_assign_again(n):
    a = [1, 2, 3] * n
    length = len(a)
    del a
    a = [0]
    return length + len(a)


def del_number(x):
    y = x * 2
    del y
    y = 5
    return y


def del_in_one_branch(c):
    items = [1, 2]
    if c:
        del items
        return -1
    return len(items)


def del_maybe_unbound(c):
    items = [1, 2]
    if c:
        del items
    return len(items)


def del_in_loop(n):
    total = 0.0
    for i in range(n):
        a = np.ones(i + 1)
        total += a.sum()
        del a
    return total


def del_read_in_next_iteration(n):
    out = 0
    for i in range(n):
        if i > 0:
            out += len(items)
        items = [i]
        del items
    return out


def del_parameter(a, n):
    b = a
    del a
    return len(b) * n


def del_several(x):
    a = x
    b = x + 1
    c = (a, b)
    del a, b
    return c


def del_after_while(n):
    a = [n]
    while n > 0:
        n -= 1
        if n == 2:
            del a
            a = [n]
    return a


def del_tuple_of_arrays(n):
    pair = (np.zeros(n), np.ones(n))
    total = pair[1].sum()
    del pair
    return total


def del_twice_on_some_path(c):
    a = 1
    del a
    if c:
        a = 2
    del a
    return c


def del_before_assignment(x):
    del a  # noqa: F821
    a = x
    return a


def read_after_del(x):
    a = x
    del a
    return a


def del_twice(x):
    a = x
    del a
    del a
    return x


def read_after_del_in_both_branches(c):
    a = [1]
    if c:
        del a
    else:
        del a
    return len(a)


DEL_CASES = [
    (del_then_assign_again, (2,)),
    (del_number, (4,)),
    (del_in_one_branch, (True,)),
    (del_in_one_branch, (False,)),
    (del_maybe_unbound, (False,)),
    (del_maybe_unbound, (True,)),
    (del_in_loop, (4,)),
    (del_read_in_next_iteration, (1,)),
    (del_read_in_next_iteration, (3,)),
    (del_parameter, ([1, 2, 3], 2)),
    (del_several, (3,)),
    (del_after_while, (5,)),
    (del_after_while, (1,)),
    (del_tuple_of_arrays, (3,)),
    (del_twice_on_some_path, (True,)),
    (del_twice_on_some_path, (False,)),
    (del_before_assignment, (1,)),
    (read_after_del, (1,)),
    (del_twice, (1,)),
    (read_after_del_in_both_branches, (True,)),
    (read_after_del_in_both_branches, (False,)),
]


@pytest.mark.parametrize("pyfunc, args", DEL_CASES, ids=case_id)
def test_del(pyfunc, args):
    run_both(pyfunc, *args)


def del_of_a_captured_variable(x):
    a = x

    def g():
        return a

    del a
    return g()


def del_then_another_type(x):
    a = x
    del a
    a = "text"
    return a


DEL_ERRORS = [
    (del_of_a_captured_variable, (1,), UnsupportedError, "`del a` of a variable that an inner function uses", "del a"),
    (del_then_another_type, (1,), TypingError, "variable `a` is assigned a `unicode_type` here but holds a `int64` elsewhere", 'a = "text"'),
]


@pytest.mark.parametrize("pyfunc, args, error, message, line_text", DEL_ERRORS, ids=case_id)
def test_del_errors(pyfunc, args, error, message, line_text):
    compile_error(pyfunc, args, error, message, line_text)


# ---- starred targets ------------------------------------------------------------------------


def star_first_of_tuple(t):
    a, *rest = t
    return a, rest


def star_last_of_tuple(t):
    *init, last = t
    return init, last


def star_middle_of_tuple(t):
    a, *mid, b = t
    return a, mid, b


def star_empty_middle(t):
    a, *mid, b = t
    mid.append(0)
    return a, mid, b


def star_of_list(lst):
    a, *rest = lst
    *init, last = lst
    b, *mid, c = lst
    return a, rest, init, last, b, mid, c


def star_of_string(s):
    first, *rest = s
    return first, rest


def star_of_array(a):
    first, *rest = a
    return float(first), len(rest)


def star_of_range(n):
    first, *rest = range(n)
    return first, rest


def star_list_target(t):
    [a, *rest] = t
    return a, rest


def star_nested_target(t):
    (a, *b), c = t
    return a, b, c


def star_in_for_loop(rows):
    total = 0
    for first, *others in rows:
        total += first * len(others)
    return total


def star_in_comprehension(rows):
    return [len(rest) for _, *rest in rows]


def unpack_list_fixed(lst):
    a, b, c = lst
    return a + b + c


def unpack_string_fixed(s):
    a, b = s
    return b + a


def unpack_list_too_many(lst):
    a, b = lst
    return a


def unpack_list_too_few(lst):
    a, b, c = lst
    return a


def unpack_star_too_few(lst):
    a, *b, c, d = lst
    return b


def unpack_tuple_holding_arrays(n):
    a, *rest = (np.zeros(n), np.ones(n), np.full(n, 2.0))
    return a.sum() + sum([r.sum() for r in rest])


UNPACK_CASES = [
    (star_first_of_tuple, ((1, 2, 3),)),
    (star_first_of_tuple, ((1,),)),
    (star_last_of_tuple, ((1.5, 2.5, 3.5),)),
    (star_middle_of_tuple, ((1, 2, 3, 4, 5),)),
    (star_empty_middle, ((1, 2),)),
    (star_of_list, ([1, 2, 3, 4],)),
    (star_of_list, ([1, 2],)),
    (star_of_string, ("hello",)),
    (star_of_array, (np.arange(4.0),)),
    (star_of_range, (5,)),
    (star_list_target, ((7, 8, 9),)),
    (star_nested_target, (((1, 2, 3), 4),)),
    (star_in_for_loop, ([(1, 2, 3), (4, 5, 6)],)),
    (star_in_comprehension, ([(1, 2, 3), (4, 5, 6)],)),
    (unpack_list_fixed, ([1, 2, 3],)),
    (unpack_string_fixed, ("ab",)),
    (unpack_list_too_many, ([1, 2, 3],)),
    (unpack_list_too_few, ([1],)),
    (unpack_star_too_few, ([1, 2],)),
    (unpack_tuple_holding_arrays, (3,)),
]


@pytest.mark.parametrize("pyfunc, args", UNPACK_CASES, ids=case_id)
def test_starred_targets(pyfunc, args):
    run_both(pyfunc, *args)


# ---- starred items of displays and calls ----------------------------------------------------


def lists_joined(a, b):
    return [*a, *b]


def list_of_tuple_and_items(t):
    return [0, *t, 9]


def tuple_of_tuples(t, u):
    return (*t, 1, *u)


def list_of_string_and_range(s, n):
    return [*s], [*range(n)]


def list_mixing_kinds(t, lst, a):
    return [*t, *lst, *a]


def set_of_starred(a, t):
    return sorted({*a, *t, 10})


def call_with_starred_tuple(t):
    return add3(*t)


def call_with_starred_tuple_and_more(t):
    return add3(1, *t)


def call_builtin_with_starred_tuple(t):
    return max(*t), min(*t, 0)


def call_with_two_starred_tuples(t, u):
    return add3(*t, *u)


@njit
def add3(a, b, c):
    return a * 100 + b * 10 + c


def call_with_double_star_display(x):
    return add3(**{"a": x, "c": 5, "b": 1})


def call_with_double_star_and_keywords(x):
    return add3(x, c=2, **{"b": 7})


def call_with_double_star_repeated_key(x):
    # A display's last value of a key is the one passed, as CPython's dict keeps it.
    return add3(x, **{"b": 7, "c": 1, "b": 8})


@njit
def keywords_counted(a, **kwargs):
    return a + len(kwargs) * 1000 + kwargs.get("x", 0)


def call_kwargs_with_double_star(x):
    return keywords_counted(x, **{"x": 5, "y": 6})


def call_builtin_with_double_star(values):
    return sorted(values, **{"reverse": True})


def dict_display_merging(a, b):
    return {**a, "k": 1.5, **b}


def dict_display_merging_overwrites(a):
    merged = {0: -1, **a, 1: 100}
    return merged, a


STARRED_DISPLAY_CASES = [
    (lists_joined, ([1, 2], [3, 4])),
    (lists_joined, ([1.5], [2.5, 3.5])),
    (list_of_tuple_and_items, ((1, 2, 3),)),
    (tuple_of_tuples, ((1, 2.5), ("a",))),
    (list_of_string_and_range, ("abc", 3)),
    (list_mixing_kinds, ((1, 2), [3, 4], np.arange(5, 7))),
    (set_of_starred, ([3, 1, 3], (2, 1))),
    (call_with_starred_tuple, ((1, 2, 3),)),
    (call_with_starred_tuple_and_more, ((4, 5),)),
    (call_builtin_with_starred_tuple, ((3, 7, 5),)),
    (call_with_two_starred_tuples, ((1,), (2, 3))),
    (call_with_double_star_display, (3,)),
    (call_with_double_star_and_keywords, (4,)),
    (call_with_double_star_repeated_key, (2,)),
    (call_kwargs_with_double_star, (9,)),
    (call_builtin_with_double_star, ([2, 9, 4],)),
    (dict_display_merging, ({"a": 1.0, "k": 0.5}, {"z": 2.5})),
    (dict_display_merging, ({"a": 1.0}, {"k": -1.0})),
    (dict_display_merging_overwrites, ({1: 5, 2: 6},)),
]


@pytest.mark.parametrize("pyfunc, args", STARRED_DISPLAY_CASES, ids=case_id)
def test_starred_items(pyfunc, args):
    if pyfunc is list_mixing_kinds:
        # NumPy's items are NumPy scalars in CPython's list; compiled lists hold int64s, which
        # come back as Python ints (as every integer item does).
        t, lst, a = args
        assert njit(pyfunc)(t, lst, a) == [1, 2, 3, 4, 5, 6]
        return
    run_both(pyfunc, *args)


def tuple_starring_a_list(lst):
    return (*lst,)


def call_starring_a_list(lst):
    return max(*lst)


def star_of_tuple_too_short(t):
    a, *b, c, d = t
    return a


def star_of_a_number(x):
    return [*x]


def call_double_starring_a_variable(d):
    return add3(1, **d)


def call_double_starring_variable_keys(k):
    return add3(1, **{k: 2, "c": 3})


def dict_display_double_starring_a_list(lst):
    return {**lst}


STARRED_ERRORS = [
    (tuple_starring_a_list, ([1, 2],), UnsupportedError, "`*` of a `list(int64)` in a tuple display", "return (*lst,)"),
    (call_starring_a_list, ([1, 2],), UnsupportedError, "`*` of a `list(int64)` in a call", "return max(*lst)"),
    (star_of_tuple_too_short, ((1, 2),), TypingError, "not enough values to unpack (expected at least 3, got 2)", "a, *b, c, d = t"),
    (star_of_a_number, (1,), TypingError, "a `int64` cannot be unpacked with `*`", "return [*x]"),
    (call_double_starring_a_variable, ({"b": 1, "c": 2},), UnsupportedError, "`**` in a call is only supported of a dict display with constant string keys", "return add3(1, **d)"),
    (call_double_starring_variable_keys, ("b",), UnsupportedError, "a key of a dict display passed with `**` must be a constant string", "return add3(1, **{k: 2"),
    (dict_display_double_starring_a_list, ([1, 2],), TypingError, "`**` in a dict display takes a dict, not a `list(int64)`", "return {**lst}"),
]


@pytest.mark.parametrize("pyfunc, args, error, message, line_text", STARRED_ERRORS, ids=case_id)
def test_starred_errors(pyfunc, args, error, message, line_text):
    compile_error(pyfunc, args, error, message, line_text)


# ---- keyword-only parameters, *args and **kwargs --------------------------------------------


def keyword_only(a, *, b=2, c):
    return a * 100 + b * 10 + c


def star_args(a, *args):
    total = a
    for x in args:
        total += x
    return total, len(args), args


def star_args_heterogeneous(*args):
    return args[0], args[-1], len(args)


def star_kwargs(a, **kw):
    total = 0
    for k in kw:
        total += kw[k]
    return a, len(kw), total, kw.get("x", -1), "y" in kw


def all_kinds(a, b=1, *args, c, d=4, **kw):
    return a, b, args, c, d, sorted(kw.keys())


def keyword_only_after_star_args(*args, scale=2):
    return [x * scale for x in args]


PARAMETER_FUNCTIONS = {f.__name__: f for f in (keyword_only, star_args, star_args_heterogeneous, star_kwargs, all_kinds, keyword_only_after_star_args)}

# (function, positional arguments, keyword arguments)
PARAMETER_CALLS = [
    (keyword_only, (1,), {"c": 3}),
    (keyword_only, (1,), {"b": 5, "c": 3}),
    (keyword_only, (), {"a": 1, "c": 3}),
    (star_args, (1, 2, 3), {}),
    (star_args, (1,), {}),
    (star_args, (1.5, 2, 3), {}),
    (star_args_heterogeneous, (1, "two", 3.0), {}),
    (star_kwargs, (1,), {"x": 2, "y": 3}),
    (star_kwargs, (1,), {}),
    (star_kwargs, (), {"a": 1, "z": 3}),
    (all_kinds, (1,), {"c": 3}),
    (all_kinds, (1, 2, 3, 4), {"c": 5, "e": 6, "f": 7}),
    (all_kinds, (1,), {"c": 2, "d": 3}),
    (keyword_only_after_star_args, (1, 2, 3), {}),
    (keyword_only_after_star_args, (1, 2), {"scale": 10}),
    # CPython's binding errors.
    (keyword_only, (1, 2), {}),
    (keyword_only, (1,), {}),
    (star_kwargs, (1,), {"a": 2}),
    (keyword_only, (1,), {"c": 3, "e": 4}),
]


@pytest.mark.parametrize("pyfunc, args, kwargs", PARAMETER_CALLS, ids=case_id)
def test_parameters_called_from_python(pyfunc, args, kwargs):
    run_both(pyfunc, *args, **kwargs)


@njit
def compiled_keyword_only(a, *, b=2, c):
    return a * 100 + b * 10 + c


@njit
def compiled_star_args(a, *args):
    total = a
    for x in args:
        total += x
    return total, len(args)


@njit
def compiled_star_kwargs(a, **kw):
    total = 0
    for k in kw:
        total += kw[k]
    return a, len(kw), total


@njit
def compiled_all_kinds(a, b=1, *args, c, d=4, **kw):
    return a + b + len(args) + c + d + len(kw)


def calls_compiled_keyword_only(x):
    return compiled_keyword_only(x, c=3), compiled_keyword_only(x, b=5, c=1), compiled_keyword_only(c=0, a=x)


def calls_compiled_star_args(x):
    return compiled_star_args(x, 1, 2), compiled_star_args(x), compiled_star_args(x, 0.5)


def calls_compiled_star_kwargs(x):
    return compiled_star_kwargs(x, p=1, q=2), compiled_star_kwargs(x), compiled_star_kwargs(a=x, r=3.5)


def calls_compiled_all_kinds(x):
    return compiled_all_kinds(x, c=1), compiled_all_kinds(x, 2, 3, 4, c=5, e=6)


def calls_with_starred_tuple_into_star_args(t):
    return compiled_star_args(*t)


def inner_function_parameters(x):
    def g(a, *rest, k=1, **more):
        return a + len(rest) + k + len(more)

    return g(x), g(x, 1, 2, k=5), g(x, z=3, w=4)


def lambda_star_args(x):
    count = lambda *a: len(a)  # noqa: E731
    first = lambda *a, default=0: a[0] if len(a) > 0 else default  # noqa: E731
    return count(), count(x, x), first(x, 2), first(default=x)


def inner_keyword_only_with_capture(x):
    base = x * 10

    def g(a, *, scale=2):
        return base + a * scale

    return g(1), g(1, scale=3)


def inner_kwargs_read_by_key(x):
    def g(**kw):
        return kw["a"] * 10 + kw.get("b", 0)

    return g(a=x), g(a=x, b=2)


@njit
def recursive_keyword_only(n, *, acc=0):
    if n == 0:
        return acc
    return recursive_keyword_only(n - 1, acc=acc + n)


def calls_recursive_keyword_only(n):
    return recursive_keyword_only(n), recursive_keyword_only(n, acc=100)


COMPILED_CALLS = [
    (calls_compiled_keyword_only, (4,)),
    (calls_compiled_star_args, (4,)),
    (calls_compiled_star_kwargs, (4,)),
    (calls_compiled_all_kinds, (4,)),
    (calls_with_starred_tuple_into_star_args, ((1, 2, 3),)),
    (inner_function_parameters, (10,)),
    (lambda_star_args, (7,)),
    (inner_keyword_only_with_capture, (2,)),
    (inner_kwargs_read_by_key, (3,)),
    (calls_recursive_keyword_only, (10,)),
]


@pytest.mark.parametrize("pyfunc, args", COMPILED_CALLS, ids=case_id)
def test_parameters_called_from_compiled_code(pyfunc, args):
    run_both(pyfunc, *args)


def test_object_mode_fallback_keeps_keywords():
    # Object mode runs the Python function with the call's own arguments.
    @ferrojit.jit
    def f(a, *args, scale=1, **kw):
        return object(), a, args, scale, kw

    with pytest.warns(ferrojit.errors.FerrojitWarning):
        _, a, args, scale, kw = f(1, 2, scale=3, z=4)
    assert (a, args, scale, kw) == (1, (2,), 3, {"z": 4})


def scaled(a, *, b=3):
    return a * b


def summed(*args):
    return args[0] + args[1]


def test_declared_signatures_take_one_type_per_parameter():
    f = njit("int64(int64, int64)")(scaled)
    assert (f(2), f(2, b=5)) == (6, 10)
    g = njit("int64(UniTuple(int64 x 2))")(summed)
    assert g(1, 2) == 3
    with pytest.raises(TypingError, match="`args` holds a tuple of the extra positional arguments, not a `int64`"):
        njit("int64(int64)")(summed)


def missing_keyword_only(x):
    return compiled_keyword_only(x)


def unexpected_keyword(x):
    return compiled_keyword_only(x, c=1, e=2)


def kwargs_of_mixed_types(x):
    return compiled_star_kwargs(x, p=1, q="two")


PARAMETER_ERRORS = [
    (missing_keyword_only, (1,), TypingError, "`compiled_keyword_only()` missing 1 required keyword-only argument: `c`", "return compiled_keyword_only(x)"),
    (unexpected_keyword, (1,), TypingError, "`compiled_keyword_only()` got an unexpected keyword argument `e`", "return compiled_keyword_only(x, c=1, e=2)"),
    (kwargs_of_mixed_types, (1,), UnsupportedError, "the keyword arguments that `**kw` collects have values of different types", "q=\"two\""),
]


@pytest.mark.parametrize("pyfunc, args, error, message, line_text", PARAMETER_ERRORS, ids=case_id)
def test_parameter_errors(pyfunc, args, error, message, line_text):
    compile_error(pyfunc, args, error, message, line_text)


def test_kwargs_of_mixed_types_from_python_is_a_clear_type_error():
    with pytest.raises(TypeError, match="argument `kw`: cannot compile for a dict whose items have different types"):
        njit(star_kwargs)(1, p=1, q=2.5)


def test_one_compilation_per_argument_types():
    f = njit(star_args)
    f(1, 2, 3)
    f(4, 5, 6)
    f(1)
    assert [tuple(str(t) for t in sig) for sig in f.signatures] == [("int64", "UniTuple(int64 x 2)"), ("int64", "Tuple()")]


# ---- isinstance -----------------------------------------------------------------------------


def describe(x):
    if isinstance(x, str):
        return len(x)
    else:
        return x + 1


def describe_with_and(x):
    if isinstance(x, str) and len(x) > 2:
        return 1
    return 0


def describe_with_not(x):
    if not isinstance(x, (int, float)):
        return len(x)
    return int(x)


def describe_conditional_expression(x):
    return x.sum() if isinstance(x, np.ndarray) else float(x)


def describe_container(x):
    if isinstance(x, list):
        return len(x) * 10
    if isinstance(x, tuple):
        return len(x) * 100
    if isinstance(x, dict):
        return len(x) * 1000
    return -1


def call_is_evaluated(x):
    items = [x]
    if isinstance(items.pop(), int):
        return len(items)
    return -1


ISINSTANCE_CASES = [
    (describe, ("abc",)),
    (describe, (3,)),
    (describe, (2.5,)),
    (describe_with_and, ("abcd",)),
    (describe_with_and, (5,)),
    (describe_with_not, ("ab",)),
    (describe_with_not, (7,)),
    (describe_with_not, ([1, 2, 3],)),
    (describe_conditional_expression, (np.arange(3.0),)),
    (describe_conditional_expression, (2,)),
    (describe_container, ([1, 2],)),
    (describe_container, ((1, 2, 3),)),
    (describe_container, ({1: 2},)),
    (describe_container, (1.5,)),
    (call_is_evaluated, (4,)),
]


@pytest.mark.parametrize("pyfunc, args", ISINSTANCE_CASES, ids=case_id)
def test_isinstance_prunes_branches(pyfunc, args):
    run_both(pyfunc, *args)


def classes_of(x):
    return (
        isinstance(x, int), isinstance(x, float), isinstance(x, complex), isinstance(x, bool), isinstance(x, str),
        isinstance(x, bytes), isinstance(x, tuple), isinstance(x, list), isinstance(x, dict), isinstance(x, set),
        isinstance(x, np.ndarray), isinstance(x, np.integer), isinstance(x, np.signedinteger), isinstance(x, np.unsignedinteger),
        isinstance(x, np.floating), isinstance(x, np.complexfloating), isinstance(x, np.number), isinstance(x, np.generic),
        isinstance(x, np.float32), isinstance(x, np.float64), isinstance(x, np.int64), isinstance(x, np.bool_),
        isinstance(x, object), isinstance(x, (str, (list, float))),
    )


CLASS_NAMES = [
    "int", "float", "complex", "bool", "str", "bytes", "tuple", "list", "dict", "set", "np.ndarray", "np.integer",
    "np.signedinteger", "np.unsignedinteger", "np.floating", "np.complexfloating", "np.number", "np.generic",
    "np.float32", "np.float64", "np.int64", "np.bool_", "object", "(str, (list, float))",
]

# The value, and the classes compiled code says it is an instance of. Compiled code cannot tell
# a Python scalar from the NumPy scalar of its type: an `int64` is both `int` and `np.int64`, a
# `float64` both `float` and `np.float64`, a `bool` both `bool` (an `int`) and `np.bool_`, as
# Numba says; narrower NumPy types are NumPy's only, as in CPython.
ISINSTANCE_TABLE = [
    (3, {"int", "np.integer", "np.signedinteger", "np.number", "np.generic", "np.int64", "object"}),
    (True, {"int", "bool", "np.generic", "np.bool_", "object"}),
    (2.5, {"float", "np.floating", "np.number", "np.generic", "np.float64", "object", "(str, (list, float))"}),
    (1j, {"complex", "np.complexfloating", "np.number", "np.generic", "object"}),
    (np.float32(1), {"np.floating", "np.number", "np.generic", "np.float32", "object"}),
    (np.int32(1), {"np.integer", "np.signedinteger", "np.number", "np.generic", "object"}),
    (np.uint8(1), {"np.integer", "np.unsignedinteger", "np.number", "np.generic", "object"}),
    ("s", {"str", "object", "(str, (list, float))"}),
    (b"b", {"bytes", "object"}),
    ((1, "a"), {"tuple", "object"}),
    ([1], {"list", "object", "(str, (list, float))"}),
    ({1: 2.0}, {"dict", "object"}),
    ({1}, {"set", "object"}),
    (np.zeros((2, 2)), {"np.ndarray", "object"}),
]


@pytest.mark.parametrize("value, expected", ISINSTANCE_TABLE, ids=[repr(value) for value, _ in ISINSTANCE_TABLE])
def test_isinstance_classes(value, expected):
    got = njit(classes_of)(copy.deepcopy(value))
    assert {name for name, yes in zip(CLASS_NAMES, got) if yes} == expected
    assert all(type(v) is bool for v in got)
    # Where the value is the Python object itself, CPython agrees.
    if type(value) in (int, bool, float, complex, str, bytes, tuple, list, dict, set, np.ndarray):
        python = classes_of(value)
        numpy_names = {"np.integer", "np.signedinteger", "np.number", "np.generic", "np.int64", "np.floating", "np.float64", "np.complexfloating", "np.bool_"}
        for name, g, p in zip(CLASS_NAMES, got, python):
            if name not in numpy_names:
                assert g == p, (name, value)


class UserClass:
    pass


def isinstance_of_user_class(x):
    return isinstance(x, UserClass)


def isinstance_with_one_argument(x):
    return isinstance(x)


def isinstance_of_a_value(x):
    return isinstance(x, 3)


ISINSTANCE_ERRORS = [
    (isinstance_of_user_class, (1,), UnsupportedError, "`isinstance()` with the global `UserClass` (a `type`) is not supported", "return isinstance(x, UserClass)"),
    (isinstance_with_one_argument, (1,), TypingError, "isinstance expected 2 arguments, got 1", "return isinstance(x)"),
    (isinstance_of_a_value, (1,), TypingError, "isinstance() arg 2 must be a type or tuple of types", "return isinstance(x, 3)"),
]


@pytest.mark.parametrize("pyfunc, args, error, message, line_text", ISINSTANCE_ERRORS, ids=case_id)
def test_isinstance_errors(pyfunc, args, error, message, line_text):
    compile_error(pyfunc, args, error, message, line_text)


# ---- memory ---------------------------------------------------------------------------------


def memory_del(n, fail):
    a = [np.ones(n), np.zeros(n)]
    b = np.arange(n)
    total = b.sum()
    del b
    for i in range(n):
        c = [np.full(2, float(i))]
        total += c[0].sum()
        del c
    if fail:
        del a
    return total + len(a)


def memory_del_parameter(items, fail):
    copy_of = items
    del items
    if fail:
        raise ValueError("midway")
    return len(copy_of)


def memory_starred_targets(n, fail):
    first, *rest = [np.ones(n), np.zeros(n), np.full(n, 2.0)]
    a, *mid, b = (np.ones(n), np.zeros(n), np.ones(n))
    if fail:
        x, y = rest + mid + mid
    return first.sum() + len(rest) + len(mid) + a.sum() + b.sum()


def memory_starred_displays(n, fail):
    arrays = [np.ones(n), np.zeros(n)]
    t = (np.full(n, 2.0), np.ones(n))
    joined = [*arrays, *t, *arrays]
    if fail:
        return [*arrays, *t][5].sum()
    return float(len(joined) + len({*[1, 2], *(3, 4)}))


def memory_parameters(n, fail):
    total = 0.0
    total += takes_star_args(np.ones(n), np.zeros(n), fail=False)
    total += takes_star_kwargs(a=np.ones(n), b=np.zeros(n))
    total += takes_star_args(np.ones(n), fail=fail)
    return total


@njit
def takes_star_args(*arrays, fail):
    if fail:
        raise ValueError("midway")
    return float(len(arrays)) + arrays[0].sum()


@njit
def takes_star_kwargs(**arrays):
    total = 0.0
    for k in arrays:
        total += arrays[k].sum()
    return total


def memory_walrus(n, fail):
    total = 0.0
    while (chunk := np.ones(n)).sum() > 0 and n > 0:
        n -= 1
        total += chunk.sum()
        if fail and n == 1:
            raise ValueError("midway")
    return total


MEMORY_CASES = [
    (memory_del, (3,)),
    (memory_del_parameter, ([np.ones(2), np.zeros(3)],)),
    (memory_starred_targets, (3,)),
    (memory_starred_displays, (3,)),
    (memory_parameters, (3,)),
    (memory_walrus, (3,)),
]


@pytest.mark.parametrize("pyfunc, args", MEMORY_CASES, ids=case_id)
def test_memory(pyfunc, args):
    run = njit(pyfunc)
    run(*copy.deepcopy(args), False)
    live0 = _native.live_allocations()
    for _ in range(20):
        assert_same(run(*copy.deepcopy(args), False), to_python(pyfunc(*copy.deepcopy(args), False)))
        with pytest.raises((ValueError, UnboundLocalError, IndexError)):
            run(*copy.deepcopy(args), True)
    assert _native.live_allocations() == live0


def test_memory_of_calls_from_python():
    f = njit(star_kwargs)
    g = njit(all_kinds)
    f(1, x=2)
    g(1, c=2, e=3)
    live0 = _native.live_allocations()
    for _ in range(50):
        f(1, x=2, y=3)
        f(1)
        g(1, 2, 3, c=4, e=5)
        with pytest.raises(TypeError):
            f(1, x=2, y=2.5)
    assert _native.live_allocations() == live0


# ---- optional values: a variable or a result that is `None` or a value ----------------------


def smallest_or_none(xs):
    best = None
    for x in xs:
        if best is None or x < best:
            best = x
    return best


def double_if_positive(x):
    return x * 2 if x > 0 else None


def first_square_above(n, bound):
    found = None
    for i in range(n):
        if i * i > bound:
            found = i
            break
    if found is None:
        return -1
    return found + 100


def longest_word(words):
    longest = None
    for w in words:
        if longest is None or len(w) > len(longest):
            longest = w
    return longest


def negative_to_none(x):
    if x < 0:
        x = None
    return x


def optional_truth(x):
    v = x if x != 0 else None
    return bool(not v), 1 if v else 0


def smallest_through_an_inner_function(xs):
    best = None

    def better(x):
        return best is None or x < best

    for x in xs:
        if better(x):
            best = x
    return best


@njit
def differences(xs):
    last = None
    for x in xs:
        if last is not None:
            yield x - last
        last = x


def list_of_differences(xs):
    return list(differences(xs))


def pair_with_optional(d, k):
    t = (k, d.get(k))
    a, b = t
    return t, b is None, t[1] == 2, a


OPTIONAL_CASES = [
    (smallest_or_none, ([3, 1, 2],)),
    (smallest_or_none, ([2.5],)),
    (double_if_positive, (3,)),
    (double_if_positive, (-1,)),
    (double_if_positive, (1.5,)),
    (first_square_above, (10, 10)),
    (first_square_above, (2, 10)),
    (longest_word, (["a", "abc", "ab"],)),
    (longest_word, ([""],)),
    (negative_to_none, (5,)),
    (negative_to_none, (-5,)),
    (optional_truth, (0,)),
    (optional_truth, (4,)),
    (smallest_through_an_inner_function, ([3, 1, 2],)),
    (smallest_through_an_inner_function, ([5],)),
    (list_of_differences, ([1, 4, 9],)),
    (pair_with_optional, ({1: 2}, 1)),
    (pair_with_optional, ({1: 2}, 3)),
]


@pytest.mark.parametrize("pyfunc, args", OPTIONAL_CASES, ids=case_id)
def test_optional_values(pyfunc, args):
    run_both(pyfunc, *args)


def optional_list_churn(n, fail):
    total = 0
    for i in range(n):
        kept = None
        if i % 2:
            kept = [i, i + 1]
        if kept is not None:
            total += len(kept)
        name = None if i % 3 else "x" * i
        if name:
            total += len(name)
    last = None if fail else [1]
    return total + len(last)


def test_optional_values_leak_nothing():
    run = njit(optional_list_churn)
    run(3, False)
    live0 = _native.live_allocations()
    for _ in range(20):
        assert_same(run(10, False), optional_list_churn(10, False))
        with pytest.raises(TypeError, match=r"expected list\(int64\), got None"):
            run(10, True)
    assert _native.live_allocations() == live0
