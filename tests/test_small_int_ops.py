"""Operators on fixed-width integers against NumPy 2's scalar rules: the result has the dtype
`np.result_type` gives (compiled functions report it as their return type), computed in that
width and wrapping as NumPy does; Python number literals are weak (NEP 50). Where NumPy and
Python disagree on `bool`, Python wins (True + True == 2), and integer division by zero raises
ZeroDivisionError as in Python (error_model='python')."""
import itertools
import linecache
import math
import operator

import numpy as np
import pytest

import ferrojit
import ferrojit.errors
from helpers import assert_same, case_id, to_python

INT_TYPES = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64]
TYPES = INT_TYPES + [np.bool_]

CANDIDATES = [-(2 ** 63), -(2 ** 31), -32768, -128, -7, -1, 0, 1, 2, 3, 5, 127, 200, 255, 40000, 2 ** 31 - 1, 2 ** 32 - 1, 2 ** 63 - 1, 2 ** 64 - 1]


def values_of(t):
    if t is np.bool_:
        return [False, True]
    info = np.iinfo(t)
    return [t(v) for v in CANDIDATES if info.min <= v <= info.max]


BINARY = {
    "add": operator.add, "sub": operator.sub, "mul": operator.mul, "floordiv": operator.floordiv,
    "mod": operator.mod, "pow": operator.pow, "truediv": operator.truediv, "and": operator.and_,
    "or": operator.or_, "xor": operator.xor, "lshift": operator.lshift, "rshift": operator.rshift,
    "lt": operator.lt, "eq": operator.eq, "ge": operator.ge,
}
SYMBOL = {
    "add": "+", "sub": "-", "mul": "*", "floordiv": "//", "mod": "%", "pow": "**", "truediv": "/",
    "and": "&", "or": "|", "xor": "^", "lshift": "<<", "rshift": ">>", "lt": "<", "eq": "==", "ge": ">=",
}


_made = itertools.count()


def make(source, name="f"):
    """A function from source text, so that literals appear in the code itself; the source is
    registered with `linecache` under a file name of its own, where `inspect` finds it."""
    filename = f"<small_int_ops {next(_made)}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace = {"np": np}
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102 - fixed templates
    return namespace[name]


def dtype_name(value):
    if isinstance(value, (bool, np.bool_)):
        return "bool"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float):
        return "float64"
    return np.asarray(value).dtype.name


def expected_binary(op, a, b):
    """What compiled code must give for `a op b`: NumPy's scalar result, or the exception."""
    fn = BINARY[op]
    if isinstance(a, (bool, np.bool_)) and isinstance(b, (bool, np.bool_)):
        # Python's semantics for two bools (NumPy gives bool for `+`, int8 for `**`).
        a, b = bool(a), bool(b)
    try:
        r = fn(a, b)  # under the `quiet_numpy` fixture's errstate
    except TypeError:
        # No integer type holds int64 and uint64: NumPy has no bitwise operator or shift for
        # them, and compiling one is a TypingError.
        return ferrojit.errors.TypingError
    except (ValueError, OverflowError, ZeroDivisionError) as exc:
        # NumPy raises OverflowError for a literal out of range before dividing.
        return type(exc)
    if op in ("floordiv", "mod", "truediv") and b == 0:
        return ZeroDivisionError  # error_model='python'
    if op == "pow" and isinstance(r, np.floating) and not math.isfinite(r):
        # int64 ** uint64 is float64, whose `**` raises as Python's float does.
        return ZeroDivisionError if a == 0 else OverflowError
    return r


@pytest.fixture(autouse=True)
def quiet_numpy():
    """NumPy's overflow and division warnings are expected: wrapping is what is tested."""
    with np.errstate(all="ignore"):
        yield


def check_binary(cfunc, op, a, b, *args):
    """Call `cfunc(*args)` (by default `cfunc(a, b)`) and compare with `a op b` in NumPy."""
    args = args or (a, b)
    expected = expected_binary(op, a, b)
    if isinstance(expected, type):
        with pytest.raises(expected):
            cfunc(*args)
        return None
    assert_same(cfunc(*args), to_python(expected), where=f"{a!r} {SYMBOL[op]} {b!r}")
    return dtype_name(expected)


@pytest.mark.parametrize("op", list(BINARY), ids=str)
@pytest.mark.parametrize("ta, tb", list(itertools.product(TYPES, TYPES)), ids=case_id)
def test_binary_typed_operands(ta, tb, op):
    cfunc = ferrojit.njit(make(f"def f(a, b):\n    return a {SYMBOL[op]} b\n"))
    result_types = set()
    for a, b in itertools.product(values_of(ta), values_of(tb)):
        if op in ("lshift", "rshift") and b < 0:
            continue  # a negative shift count raises ValueError as in Python (test below)
        if op == "pow" and ta is not np.bool_ and b > 64 and tb is not np.uint64:
            continue  # keep the exponent loop short; wrapping is covered by small exponents
        name = check_binary(cfunc, op, a, b)
        if name is not None:
            result_types.add(name)
    # One result type per pair of operand types, NumPy's.
    assert [s["return_type"] for s in cfunc.stats()] == sorted(result_types)


@pytest.mark.parametrize(
    "ta, tb, name",
    [(np.uint8, np.uint8, "uint8"), (np.uint8, np.int8, "int16"), (np.int64, np.uint64, "float64"),
     (np.uint32, np.int16, "int64"), (np.uint16, np.int32, "int32"), (np.int8, np.int8, "int8"),
     (np.bool_, np.int8, "int8"), (np.bool_, np.bool_, "int64"), (np.uint64, np.uint64, "uint64")],
    ids=case_id,
)
def test_result_type_is_numpy_result_type(ta, tb, name):
    f = ferrojit.njit(make("def f(a, b):\n    return a + b\n"))
    f(ta(1), tb(1))
    assert f.stats()[0]["return_type"] == name


UNARY = {"neg": "-x", "pos": "+x", "invert": "~x", "abs": "abs(x)"}


@pytest.mark.parametrize("op", list(UNARY), ids=str)
@pytest.mark.parametrize("t", TYPES, ids=case_id)
def test_unary(t, op):
    pyfunc = make(f"def f(x):\n    return {UNARY[op]}\n")
    cfunc = ferrojit.njit(pyfunc)
    for x in values_of(t):
        if t is np.bool_:
            x = bool(x)  # Python's semantics: -True == -1, ~True == -2, abs(True) == 1
        with np.errstate(all="ignore"):
            expected = pyfunc(x)
        assert_same(cfunc(x), to_python(expected), where=f"{op}({x!r})")
    assert cfunc.stats()[0]["return_type"] == dtype_name(expected)


def test_negating_uint8_wraps():
    f = ferrojit.njit(make("def f(x):\n    return -x\n"))
    assert f(np.uint8(1)) == 255
    assert f.stats()[0]["return_type"] == "uint8"


def test_negating_a_numpy_constant_keeps_its_type():
    f = ferrojit.njit(make("def f():\n    return -np.uint8(1)\n"))
    assert f() == 255
    assert f.stats()[0]["return_type"] == "uint8"


@pytest.mark.parametrize("op", ["floordiv", "mod"], ids=str)
@pytest.mark.parametrize("t", [np.int8, np.int16, np.int32, np.int64], ids=case_id)
def test_division_overflow_corner(t, op):
    # The most negative value divided by -1: NumPy gives the wrapped quotient and remainder 0.
    cfunc = ferrojit.njit(make(f"def f(a, b):\n    return a {SYMBOL[op]} b\n"))
    lo = t(np.iinfo(t).min)
    with np.errstate(all="ignore"):
        expected = BINARY[op](lo, t(-1))
    assert_same(cfunc(lo, t(-1)), to_python(expected))


@pytest.mark.parametrize("op", ["floordiv", "mod", "truediv"], ids=str)
@pytest.mark.parametrize("t", INT_TYPES, ids=case_id)
def test_division_by_zero_raises(t, op):
    cfunc = ferrojit.njit(make(f"def f(a, b):\n    return a {SYMBOL[op]} b\n"))
    with pytest.raises(ZeroDivisionError):
        cfunc(t(7), t(0))


@pytest.mark.parametrize("t", [np.int8, np.int16, np.int32, np.int64], ids=case_id)
def test_negative_shift_count_raises_value_error(t):
    # Python raises ValueError; NumPy gives 0 (a documented difference).
    cfunc = ferrojit.njit(make("def f(a, b):\n    return a << b\n"))
    with pytest.raises(ValueError):
        cfunc(t(1), t(-1))


# --- weak Python literals (NEP 50) -----------------------------------------------------------------

# Each type's bounds and the values just past them.
LITERALS = [3, -1, 127, 128, 255, 256, -129, 65536, 2 ** 31, 2 ** 63 - 1, 2 ** 64 - 1]
LITERAL_OPS = ["add", "sub", "mul", "floordiv", "mod", "pow", "truediv", "and", "xor", "lshift", "rshift", "lt", "eq"]


def literal_source(op, literal, literal_on_left):
    lit = f"({literal})"
    expr = f"{lit} {SYMBOL[op]} x" if literal_on_left else f"x {SYMBOL[op]} {lit}"
    return f"def f(x):\n    return {expr}\n"


@pytest.mark.parametrize("literal_on_left", [False, True], ids=["x_op_lit", "lit_op_x"])
@pytest.mark.parametrize("op", LITERAL_OPS, ids=str)
@pytest.mark.parametrize("t", INT_TYPES, ids=case_id)
def test_weak_integer_literal(t, op, literal_on_left):
    for literal in LITERALS:
        if op == "pow" and not literal_on_left and literal > 64:
            continue
        if op in ("lshift", "rshift") and not literal_on_left and literal < 0:
            continue
        if op == "pow" and t is np.int64 and not literal_on_left and literal < 0:
            continue  # an int64 is Python's int: x ** -1 is a float (test below)
        pyfunc = make(literal_source(op, literal, literal_on_left))
        cfunc = ferrojit.njit(pyfunc)
        names = set()
        for x in values_of(t):
            if op in ("lshift", "rshift") and literal_on_left and x < 0:
                continue
            a, b = (literal, x) if literal_on_left else (x, literal)
            # NumPy 2 applies NEP 50 to the Python int in the expression.
            name = check_binary(cfunc, op, a, b, x)
            if name is not None:
                names.add(name)
        for s in cfunc.stats():
            if names:
                assert s["return_type"] in names, f"{literal_source(op, literal, literal_on_left)}: {s['return_type']} not in {names}"


@pytest.mark.parametrize("literal", [300, -1, 256], ids=repr)
def test_literal_out_of_range_raises_overflow_error(literal):
    f = ferrojit.njit(make(f"def f(x):\n    return x + ({literal})\n"))
    with pytest.raises(OverflowError, match=f"Python integer {literal} out of bounds for uint8"):
        f(np.uint8(1))


def test_out_of_range_literal_raises_only_when_run():
    f = ferrojit.njit(make("def f(x, flag):\n    if flag:\n        return x + 300\n    return x\n"))
    assert f(np.uint8(1), False) == 1
    with pytest.raises(OverflowError):
        f(np.uint8(1), True)


def test_augmented_assignment_with_literal_keeps_type():
    f = ferrojit.njit(make("def f(x):\n    for i in range(3):\n        x += 100\n    return x\n"))
    assert f(np.uint8(0)) == (300 % 256)
    assert f.stats()[0]["return_type"] == "uint8"


def test_python_int_variable_is_int64():
    # A Python int held in a variable is int64 (as in Numba), not weak.
    f = ferrojit.njit(make("def f(x):\n    y = 1\n    return x + y\n"))
    assert f(np.uint8(255)) == 256
    assert f.stats()[0]["return_type"] == "int64"


@pytest.mark.parametrize("x", [2, 3, -4], ids=repr)
def test_int64_to_negative_literal_is_python_float(x):
    f = make("def f(x):\n    return x ** -1\n")
    assert_same(ferrojit.njit(f)(x), f(x))


@pytest.mark.parametrize("t", [np.int8, np.int16, np.int32], ids=case_id)
def test_small_int_to_negative_literal_raises_like_numpy(t):
    f = ferrojit.njit(make("def f(x):\n    return x ** -1\n"))
    with pytest.raises(ValueError):
        f(t(2))


# --- floats ----------------------------------------------------------------------------------------

FLOAT_TYPES = [np.float32, np.float64]


@pytest.mark.parametrize("op", ["add", "sub", "mul", "truediv", "lt", "eq"], ids=str)
@pytest.mark.parametrize("ta, tb", list(itertools.product(INT_TYPES + [np.bool_], FLOAT_TYPES)) + list(itertools.product(FLOAT_TYPES, INT_TYPES)), ids=case_id)
def test_int_with_float(ta, tb, op):
    cfunc = ferrojit.njit(make(f"def f(a, b):\n    return a {SYMBOL[op]} b\n"))
    va = [np.bool_(True)] if ta is np.bool_ else ([ta(v) for v in (-1.5, 3.0, 1e30)] if ta in FLOAT_TYPES else values_of(ta))
    vb = [tb(v) for v in (-1.5, 3.0, 0.1)] if tb in FLOAT_TYPES else values_of(tb)
    names = set()
    for a, b in itertools.product(va, vb):
        name = check_binary(cfunc, op, a, b)
        if name is not None:
            names.add(name)
    assert cfunc.stats()[0]["return_type"] in names


WEAK_FLOAT_CASES = [
    (np.float32, "1.5"), (np.float32, "0.1"), (np.float32, "3"), (np.float32, "1j"), (np.float64, "0.1"),
    (np.int8, "1.5"), (np.int16, "0.1"), (np.uint64, "0.5"), (np.int8, "1j"), (np.complex64, "1.5"),
    (np.complex64, "3"), (np.float32, "1e300"),
]


@pytest.mark.parametrize("op", ["add", "sub", "mul", "truediv"], ids=str)
@pytest.mark.parametrize("t, literal", WEAK_FLOAT_CASES, ids=case_id)
def test_weak_float_literal(t, literal, op):
    pyfunc = make(f"def f(x):\n    return x {SYMBOL[op]} {literal}\n")
    cfunc = ferrojit.njit(pyfunc)
    x = t(3)
    with np.errstate(all="ignore"):
        expected = pyfunc(x)
    assert_same(cfunc(x), to_python(expected))
    assert cfunc.stats()[0]["return_type"] == np.asarray(expected).dtype.name
