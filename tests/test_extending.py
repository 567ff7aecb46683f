"""ferrojit.extending: overloads written as a user writes them (Numba's API), compiled in the
user's functions; typing functions, keywords and defaults, frozen closures, methods and
attributes, chains of overloads, errors, reuse per signature, threads, memory and the disk
cache."""

import subprocess
import sys
import textwrap
import threading

import numpy as np
import pytest

import ferrojit
from ferrojit import njit, types
from ferrojit.errors import TypingError, UnsupportedError
from ferrojit.extending import overload, overload_attribute, overload_method, register_jitable

from helpers import assert_same, assert_same_array, to_python

# --- an overloaded plain function, one implementation per kind of argument ----------------------


def scaled(x, factor=2):
    """Plain Python, for Python callers: the overload below gives compiled code the same."""
    return x * factor


typing_calls = []


@overload(scaled)
def scaled_typing(x, factor=2):
    typing_calls.append((x, factor))
    if isinstance(x, types.Float):

        def float_impl(x, factor=2):
            return x * factor

        return float_impl
    if isinstance(x, types.Integer):

        def int_impl(x, factor=2):
            return x * factor + 0  # same value, another implementation

        return int_impl
    return None


@njit
def call_positional(x):
    return scaled(x)


@njit
def call_keyword(x, f):
    return scaled(x, factor=f)


@njit
def call_both(x, f):
    return scaled(x, f) + scaled(x)


@pytest.mark.parametrize(
    "func, args",
    [
        (call_positional, (1.5,)),
        (call_positional, (7,)),
        (call_positional, (np.float32(2.5),)),
        (call_keyword, (1.5, 3)),
        (call_keyword, (4, 0.5)),
        (call_both, (3, 5)),
        (call_both, (-2.0, 2.0)),
    ],
)
def test_overloaded_function_matches_python(func, args):
    # Compiled code returns Python scalars, as Numba's does.
    assert_same(func(*args), to_python(func.py_func(*args)))


def test_typing_function_sees_types_and_its_own_defaults():
    typing_calls.clear()
    call_keyword(np.int16(3), np.int8(2))
    call_positional(np.uint8(9))
    assert (types.int16, types.int8) in typing_calls
    # An argument the call leaves out takes the typing function's default.
    assert (types.uint8, 2) in typing_calls


def test_resolution_is_kept_per_argument_types():
    """Each distinct argument types run the typing functions once per process, whichever user
    function calls them."""

    @njit
    def first(x):
        return scaled(x)

    @njit
    def second(x):
        return scaled(x) * 2

    typing_calls.clear()
    first(np.int32(1))
    second(np.int32(2))
    first(np.int32(3))
    assert typing_calls.count((types.int32, 2)) == 1


# --- what the typing function chooses is frozen: closure variables --------------------------------


def pick(x):
    return x


@overload(pick)
def pick_typing(x):
    offset = 10 if isinstance(x, types.Integer) else 0.5
    kind = np.float32 if x == types.float32 else np.float64

    def impl(x):
        return kind(x) + offset

    return impl


@pytest.mark.parametrize(
    "arg, expected",
    [
        (np.int64(1), 11.0),
        (2.0, 2.5),
        (np.float32(1.0), 1.5),
    ],
)
def test_closure_variables_of_implementations_are_frozen(arg, expected):
    @njit
    def f(x):
        return pick(x)

    assert_same(f(arg), expected)


# --- register_jitable ------------------------------------------------------------------------------


@register_jitable
def hypot2(a, b):
    return a * a + b * b


@register_jitable(fastmath=True)
def mean3(a, b, c):
    return (a + b + c) / 3


@njit
def use_jitables(x, y):
    return hypot2(x, y) + mean3(x, y, 1.0)


def test_register_jitable_is_callable_from_python_and_compiled_code():
    assert hypot2(3, 4) == 25  # still the plain function
    for args in [(3.0, 4.0), (1, 2), (0.5, -2.25)]:
        assert_same(use_jitables(*args), to_python(use_jitables.py_func(*args)))


# --- methods and attributes ----------------------------------------------------------------------


@overload_method(types.Array, "sum_of_squares")
def array_sum_of_squares(a):
    if isinstance(a.dtype, (types.Integer, types.Float)):

        def impl(a):
            total = 0.0
            for v in a.ravel():
                total += v * v
            return total

        return impl
    return None


@overload_attribute(types.Array, "last_axis_length")
def array_last_axis_length(a):
    if a.ndim >= 1:
        axis = a.ndim - 1

        def impl(a):
            return a.shape[axis]

        return impl
    return None


@overload_method(types.Integer, "twice")
def int_twice(x, plus=0):
    def impl(x, plus=0):
        return 2 * x + plus

    return impl


@njit
def method_user(a):
    return a.sum_of_squares()


@njit
def attribute_user(a):
    return a.last_axis_length


@njit
def scalar_method_user(n):
    return n.twice() + n.twice(plus=1)


@pytest.mark.parametrize(
    "array",
    [
        np.arange(5.0),
        np.arange(12, dtype=np.int32).reshape(3, 4),
        np.arange(6.0).reshape(2, 3)[:, ::-1].copy(),
        np.zeros(0),
    ],
)
def test_overloaded_method_and_attribute_on_arrays(array):
    assert_same(method_user(array), float(np.sum(array.astype(np.float64) ** 2)))
    assert_same(attribute_user(array), array.shape[-1])


def test_overloaded_method_on_scalars():
    assert scalar_method_user(5) == 21


def test_method_typing_function_returning_none_leaves_the_built_in_method():
    # The registry is process-wide: the overload takes one type no other test uses.
    @overload_method(types.Array, "sum")
    def only_for_3d_uint16(a):
        if a.dtype == types.uint16 and a.ndim == 3:

            def impl(a):
                return 7

            return impl
        return None

    @njit
    def total(a):
        return a.sum()

    @njit
    def total_along(a):
        return a.sum(axis=0)

    assert_same(total(np.arange(4.0)), 6.0)  # the built-in `sum`
    assert total(np.ones((2, 2, 2), dtype=np.uint16)) == 7  # the overload
    # A call the typing function's parameters do not fit (no `axis`) is the built-in's too.
    assert_same_array(total_along(np.ones((2, 2, 2), dtype=np.uint16)), np.full((2, 2), 2, dtype=np.uint64))


def test_a_method_overload_added_after_the_library_declined_is_asked():
    # The library's `sum` declines this call and the built-in answers; an overload registered
    # afterwards must still be asked by later compilations (the type is one no other test uses).
    @njit
    def before(a):
        return a.sum()

    array = np.ones((2, 2, 2, 2), dtype=np.int16)
    assert before(array) == 16

    @overload_method(types.Array, "sum")
    def only_for_4d_int16(a):
        if a.dtype == types.int16 and a.ndim == 4:

            def impl(a):
                return -5

            return impl
        return None

    @njit
    def after(a):
        return a.sum()

    assert after(array) == -5


def late_typed(x):
    return x


@overload(late_typed)
def late_typed_for_floats(x):
    if isinstance(x, types.Float):

        def impl(x):
            return x * 2.0

        return impl
    return None


def test_a_function_overload_added_after_a_refusal_is_asked():
    @njit
    def on_int(x):
        return late_typed(x)

    with pytest.raises(TypingError):
        on_int(3)

    @overload(late_typed)
    def late_typed_for_ints(x):
        if isinstance(x, types.Integer):

            def impl(x):
                return x + 100

            return impl
        return None

    @njit
    def on_int_again(x):
        return late_typed(x)

    assert on_int_again(3) == 103
    assert on_int_again(1.5) == 3.0


# --- chains: an implementation calling other overloads ------------------------------------------


def inner_op(x):
    return x + 1


def outer_op(x):
    return inner_op(x) * 2


@overload(inner_op)
def inner_typing(x):
    def impl(x):
        return x + 1

    return impl


@overload(outer_op)
def outer_typing(x):
    def impl(x):
        return inner_op(scaled(x)) * 2

    return impl


def test_implementations_call_other_overloads():
    @njit
    def f(x):
        return outer_op(x) + inner_op(x)

    for x in (3, 2.5):
        assert_same(f(x), (scaled(x) + 1) * 2 + x + 1)


def plus_one(x):
    return x + 1


def doubled(x):
    return x * 2


@overload(plus_one)
def plus_one_typing(x):
    def impl(x):
        return x + 1

    return impl


@overload(doubled)
def doubled_typing(x):
    def impl(x):
        return x * 2

    return impl


@njit
def two_args(x, y):
    return x - y


@njit
def overloads_in_a_binary_operation(x):
    return plus_one(x) + doubled(x)


@njit
def overloads_as_arguments(x):
    return max(plus_one(x), doubled(x))


@njit
def overloads_as_positional_and_keyword_arguments(x):
    return two_args(plus_one(x), y=doubled(x))


@njit
def overloads_compared(x):
    return plus_one(x) < doubled(x)


@njit
def overloads_in_a_tuple(x):
    return (plus_one(x), doubled(x))[1]


# Each row calls the overloads with argument types of its own, which no other row resolved.
ONE_ROUND = [
    pytest.param(overloads_in_a_binary_operation, 3, id="binary-operation"),
    pytest.param(overloads_as_arguments, 2.5, id="call-arguments"),
    pytest.param(overloads_as_positional_and_keyword_arguments, np.int32(3), id="keyword-argument"),
    pytest.param(overloads_compared, True, id="comparison"),
    pytest.param(overloads_in_a_tuple, 1 + 2j, id="tuple"),
]


@pytest.mark.parametrize("func, arg", ONE_ROUND)
def test_overloaded_calls_of_one_expression_resolve_in_one_round(monkeypatch, func, arg):
    """Typing goes on after a call whose implementation is not known yet, so that the calls
    beside it are asked for at the same time: one round of typing-function runs, not one per
    call."""
    from ferrojit import extending

    rounds = []
    resolve = extending._resolve
    monkeypatch.setattr(extending, "_resolve", lambda requests: rounds.append(len(requests)) or resolve(requests))
    assert_same(func(arg), func.py_func(arg))
    assert rounds == [2]


def test_overloads_of_numpy_functions_and_fallback_to_built_ins():
    """A user's overload of a NumPy function serves the types it takes; the built-in version
    serves the others."""

    @overload(np.sign)
    def sign_of_tuple(x):
        if isinstance(x, types.BaseTuple):

            def impl(x):
                return (np.sign(x[0]), np.sign(x[1]))

            return impl
        return None

    @njit
    def f(t, y):
        return np.sign(t), np.sign(y)

    assert f((-2.0, 3.0), -4) == ((-1.0, 1.0), -1)


def test_new_arrays_from_implementations_do_not_leak():
    @njit
    def f(n):
        total = 0.0
        for i in range(3):
            total += np.linspace(0.0, 1.0, n).sum()
        return total

    f(5)
    before = ferrojit._native.live_allocations()
    for _ in range(200):
        f(50)
    assert ferrojit._native.live_allocations() == before


# --- errors ---------------------------------------------------------------------------------------


def test_no_implementation_names_the_call_and_the_types():
    @njit
    def bad(x):
        return scaled((x, x))

    with pytest.raises(TypingError) as err:
        bad(1)
    text = str(err.value)
    assert "no implementation of `scaled` for argument types (UniTuple(int64 x 2))" in text
    assert f'File "{__file__}"' in text and "return scaled((x, x))" in text


def strict(x):
    return x


@overload(strict)
def strict_typing(x):
    raise TypingError("strict() wants a float64")


@njit
def call_strict(x):
    return strict(x)


def test_a_typing_function_s_error_is_part_of_the_message():
    f = call_strict
    with pytest.raises(TypingError, match=r"no implementation of `strict` for argument types \(int64\): TypingError: strict\(\) wants a float64"):
        f(1)


def test_a_call_with_an_unknown_keyword_is_a_typing_error():
    @njit
    def f(x):
        return scaled(x, scale=3)

    with pytest.raises(TypingError, match=r"^`scaled\(\)` got an unexpected keyword argument `scale`\n"):
        f(1.0)


def broken(x):
    return x


@overload(broken)
def broken_typing(x):
    def impl(x):
        return x + (1, 2)

    return impl


@njit
def call_broken(x):
    return broken(x)


def test_an_error_in_an_implementation_points_into_it():
    with pytest.raises(TypingError) as err:
        call_broken(1)
    assert "return x + (1, 2)" in str(err.value)


def test_a_string_in_arithmetic_in_an_implementation_is_a_typing_error_pointing_into_it():
    # The typing function accepts any `factor`; the implementation computes `1 * "two" + 0`:
    # a string (CPython's `1 * "two"`) plus an integer.
    @njit
    def f(x):
        return scaled(x, "two")

    with pytest.raises(TypingError, match="unsupported operand types for `\\+`: `unicode_type` and `int64`") as err:
        f(1)
    assert "return x * factor + 0" in str(err.value)


# --- static arguments: number types, dtypes, strings and literals ----------------------------------


def seen_type(x):
    """Plain Python: what compiled code's `seen_type` reports is the type its typing function saw."""
    return None


seen_types = []


@overload(seen_type, prefer_literal=True)
def seen_type_typing(x):
    seen_types.append(x)

    def impl(x):
        return 0

    return impl


GLOBAL_AXIS = -2


@njit
def pass_np_float32(a, n):
    return seen_type(np.float32)


@njit
def pass_builtin_float(a, n):
    return seen_type(float)


@njit
def pass_dtype(a, n):
    return seen_type(a.dtype)


@njit
def pass_string(a, n):
    return seen_type("ortho")


@njit
def pass_int_literal(a, n):
    return seen_type(3)


@njit
def pass_negative_global(a, n):
    return seen_type(GLOBAL_AXIS)


@njit
def pass_bool_literal(a, n):
    return seen_type(True)


@njit
def pass_run_time_int(a, n):
    return seen_type(n)


@pytest.mark.parametrize(
    "func, expected, kind",
    [
        (pass_np_float32, types.NumberClass(types.float32), types.NumberClass),
        (pass_builtin_float, types.NumberClass(types.float64), types.NumberClass),
        (pass_dtype, types.DType(types.int16), types.DType),
        (pass_string, types.StringLiteral("ortho"), types.StringLiteral),
        (pass_int_literal, types.IntegerLiteral(3), types.IntegerLiteral),
        (pass_negative_global, types.IntegerLiteral(-2), types.IntegerLiteral),
        (pass_bool_literal, types.BooleanLiteral(True), types.BooleanLiteral),
        (pass_run_time_int, types.int64, types.Integer),
    ],
)
def test_typing_functions_see_static_argument_types(func, expected, kind):
    seen_types.clear()
    assert func(np.zeros(2, dtype=np.int16), 5) == 0
    assert seen_types == [expected]
    assert type(seen_types[0]) is kind and str(seen_types[0]) == str(expected)


@pytest.mark.parametrize(
    "ty, value, plain",
    [
        (types.IntegerLiteral(-3), -3, types.int64),
        (types.BooleanLiteral(False), False, types.boolean),
        (types.StringLiteral("a, b)"), "a, b)", types.unicode_type),
    ],
)
def test_literal_types_have_numba_s_attributes(ty, value, plain):
    assert ty.literal_value == value and type(ty.literal_value) is type(value)
    assert types.unliteral(ty) == plain
    assert types.from_name(str(ty)) == ty
    if isinstance(value, int) and not isinstance(value, bool):
        assert isinstance(ty, types.Integer) and ty.bitwidth == 64 and ty.signed


@pytest.mark.parametrize("ty, dtype", [(types.NumberClass(types.uint8), types.uint8), (types.DType(types.complex64), types.complex64)])
def test_dtype_specs_give_their_element_type(ty, dtype):
    assert isinstance(ty, types.DTypeSpec) and ty.dtype == dtype
    assert types.from_name(str(ty)) == ty


# A user's reduction along a literal axis to a given dtype, written as with Numba: the typing
# function reads the axis's value and the dtype's element type.


def column_or_row_sums(a, axis, dtype=None):
    return a.sum(axis=axis, dtype=dtype)


sums_typing_calls = []


@overload(column_or_row_sums)
def column_or_row_sums_typing(a, axis, dtype=None):
    sums_typing_calls.append((a, axis, dtype))
    if not isinstance(a, types.Array) or a.ndim != 2 or not isinstance(axis, types.IntegerLiteral):
        return None  # the plain `int64` axis first: refused, so the literal is given next
    if dtype is not None and not isinstance(dtype, types.DTypeSpec):
        return None
    along = axis.literal_value % 2
    out_dtype = a.dtype if dtype is None else dtype.dtype

    def impl(a, axis, dtype=None):
        rows, cols = a.shape
        out = np.zeros(cols if along == 0 else rows, dtype)
        for i in range(rows):
            for j in range(cols):
                if along == 0:
                    out[j] += a[i, j]
                else:
                    out[i] += a[i, j]
        return out

    if dtype is None:
        typed = np.dtype(out_dtype.name).type

        def impl_default(a, axis, dtype=None):
            return impl(a, axis, typed)

        return impl_default
    return impl


@njit
def sums_to_float32_along_0(a):
    return column_or_row_sums(a, 0, np.float32)


@njit
def sums_along_minus_1_keyword_dtype(a):
    return column_or_row_sums(a, axis=-1, dtype=a.dtype)


@njit
def sums_to_builtin_float_along_1(a):
    return column_or_row_sums(a, 1, dtype=float)


@njit
def sums_default_dtype_along_0(a):
    return column_or_row_sums(a, 0)


@pytest.mark.parametrize(
    "func, axis, dtype",
    [
        (sums_to_float32_along_0, 0, np.float32),
        (sums_along_minus_1_keyword_dtype, -1, None),
        (sums_to_builtin_float_along_1, 1, float),
        (sums_default_dtype_along_0, 0, None),
    ],
)
@pytest.mark.parametrize(
    "array",
    [
        np.arange(6, dtype=np.int32).reshape(2, 3),
        np.linspace(-1.0, 2.0, 12).reshape(3, 4),
        np.arange(12.0).reshape(3, 4)[::2, ::-1],
    ],
)
def test_user_overload_with_a_dtype_and_a_literal_axis_matches_numpy(func, axis, dtype, array):
    expected = array.sum(axis=axis, dtype=array.dtype if dtype is None else dtype)
    assert_same_array(func(array), expected)


def test_literal_implementations_are_chosen_once_per_value_and_types():
    sums_typing_calls.clear()
    a = np.arange(6, dtype=np.uint16).reshape(2, 3)  # a type no other test uses
    assert_same_array(sums_to_float32_along_0(a), a.sum(axis=0, dtype=np.float32))
    sums_to_float32_along_0(a + 1)

    @njit
    def another_user(a):
        return column_or_row_sums(a, 0, np.float32)

    another_user(a)
    # Refused with the plain axis type, then accepted with the literal: two runs, once.
    assert [(str(call[1]), str(call[2])) for call in sums_typing_calls] == [("int64", "class(float32)"), ("Literal[int](0)", "class(float32)")]


def converted(x, to):
    return to(x)


@overload(converted)
def converted_typing(x, to):
    if isinstance(to, types.NumberClass):

        def call_number_class(x, to):
            return to(x)

        return call_number_class
    return None


@njit
def to_float32(x):
    return converted(x, np.float32)


@njit
def to_int8(x):
    return converted(x, np.int8)


@njit
def to_builtin_float(x):
    return converted(x, float)


@njit
def to_complex128(x):
    return converted(x, np.complex128)


@njit
def to_bool(x):
    return converted(x, bool)


@pytest.mark.parametrize(
    "func, x, expected",
    [(to_float32, 2.75, 2.75), (to_int8, 300, 44), (to_builtin_float, 3, 3.0), (to_complex128, 1.5, 1.5 + 0j), (to_bool, 2, True)],
)
def test_an_implementation_calls_a_number_class_argument_to_convert(func, x, expected):
    assert_same(func(x), expected)


def by_mode(x, mode):
    return x


@overload(by_mode)
def by_mode_typing(x, mode):
    if not isinstance(mode, types.StringLiteral):
        raise TypeError("`mode` must be a constant string")
    if mode.literal_value == "double":

        def double(x, mode):
            return x * 2

        return double
    if mode.literal_value == "negate":

        def negate(x, mode):
            return -x

        return negate
    raise ValueError(f"unknown mode {mode.literal_value!r}")


@njit
def double_it(x):
    return by_mode(x, "double")


@njit
def negate_it(x):
    return by_mode(x, mode="negate")


@njit
def unknown_mode(x):
    return by_mode(x, "triple")


def test_a_string_argument_chooses_the_implementation_at_compile_time():
    assert double_it(21) == 42
    assert negate_it(2.5) == -2.5
    with pytest.raises(TypingError, match=r"no implementation of `.*by_mode` for argument types \(int64, Literal\[str\]\(triple\)\): ValueError: unknown mode 'triple'"):
        unknown_mode(1)


def reassigns(x, step):
    return x


@overload(reassigns, prefer_literal=True)
def reassigns_typing(x, step):
    def impl(x, step):
        step = step * 2
        return x + step

    return impl


def test_a_literal_parameter_the_implementation_assigns_is_a_run_time_variable():
    @njit
    def f(x):
        return reassigns(x, 3)

    assert f(1) == 7


def test_a_dtype_parameter_the_implementation_assigns_is_an_error_naming_it():
    @njit
    def f(a):
        return reassigns(a[0], a.dtype)

    with pytest.raises(UnsupportedError, match="the parameter `step` of `impl` is given a compile-time value"):
        f(np.zeros(2))


# --- threads and the disk cache ---------------------------------------------------------------------


def shared(x):
    return x


@overload(shared)
def shared_typing(x):
    def impl(x):
        return x * 3

    return impl


def call_shared(x):
    return shared(x) + 1


def test_threads_compiling_calls_of_one_overload_at_once():
    # Four dispatchers of one function: each compiles on its own thread.
    funcs = [njit(call_shared) for _ in range(4)]
    results = [None] * len(funcs)

    def run(i):
        results[i] = funcs[i](np.int16(i))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(funcs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [3 * i + 1 for i in range(len(funcs))]


CACHED_PROGRAM = """
import numpy as np
from ferrojit import njit, types
from ferrojit.extending import overload

def halve(x):
    return x / 2

@overload(halve)
def halve_typing(x):
    def impl(x):
        return x / 2
    return impl

@njit(cache=True)
def f(n):
    return halve(n) + np.linspace(0.0, 1.0, 3)[1]

print(f(5), f.stats()[0]["cache_hit"])
"""


def test_implementations_are_stored_in_the_disk_cache_with_their_user(tmp_path):
    script = tmp_path / "cached_overload.py"
    script.write_text(textwrap.dedent(CACHED_PROGRAM))
    runs = [subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path, timeout=120) for _ in range(2)]
    for run in runs:
        assert run.returncode == 0, run.stderr
    assert runs[0].stdout.split() == ["3.0", "False"]
    assert runs[1].stdout.split() == ["3.0", "True"]


def test_signatures_are_type_objects():
    call_positional(1.5)
    assert all(isinstance(sig[0], types.Number) for sig in call_positional.signatures)
    assert types.from_name("array(float64, 2d, C)") == types.float64[:, ::1]
    assert isinstance(types.from_name("UniTuple(int64 x 2)"), types.UniTuple)


def test_linspace_endpoint_false_matches_numpy():
    @njit
    def f(a, b, n, e):
        return np.linspace(a, b, n, e)

    for args in [(0.0, 1.0, 5, False), (-3, 7, 4, True), (2.0, 2.0, 3, False), (1.0, -1.0, 1, False)]:
        assert_same_array(f(*args), np.linspace(*args))


def test_the_library_table_names_where_each_callable_is_implemented():
    """`ferrojit._lib.IMPLEMENTED_IN` lets the library's modules load on first use: each entry's
    module registers a typing function for that very callable, and no module registers one
    for a library callable missing from the table."""
    import bisect
    import builtins
    import cmath
    import functools
    import heapq
    import importlib
    import math
    import operator
    import random

    from ferrojit import _lib, extending

    libraries = {
        "builtins": builtins, "numpy": np, "math": math, "numpy.linalg": np.linalg, "numpy.random": np.random, "random": random, "cmath": cmath,
        "operator": operator, "functools": functools, "heapq": heapq, "bisect": bisect,
    }
    for qualified, module in _lib.IMPLEMENTED_IN.items():
        importlib.import_module(f"ferrojit._lib.{module}")
        library, _, name = qualified.rpartition(".")
        key = extending._key_of(getattr(libraries[library], name))
        assert any(f.__module__ == f"ferrojit._lib.{module}" for f, _ in extending._function_typing.get(key, [])), qualified
    internal = {id(func): module for func, module, _ in _lib.INTERNAL.values()}
    for key, typing in extending._function_typing.items():
        for f, _ in typing:
            if f.__module__.startswith("ferrojit._lib."):
                callable_ = extending._overloaded[key - 1]
                if getattr(callable_, "__module__", None) == f.__module__:
                    continue  # a helper of the module itself (indexing's `_position`), not a library callable
                qualified = extending._qualified_names.get(key) or extending._library_name(callable_)
                where = internal.get(id(callable_)) or _lib.IMPLEMENTED_IN.get(qualified)
                assert where == f.__module__.rsplit(".", 1)[1], callable_
    for name, module in _lib.METHODS_IN.items():
        importlib.import_module(f"ferrojit._lib.{module}")
        assert any(f.__module__ == f"ferrojit._lib.{module}" for _, f, _ in extending._method_typing.get(name, [])), name


def test_the_extension_api_is_reached_as_numba_s():
    code = "import ferrojit as numba\nassert numba.extending.overload is __import__('ferrojit.extending').extending.overload\nprint('ok')\n"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
    with pytest.raises(AttributeError):
        ferrojit.no_such_thing  # noqa: B018
