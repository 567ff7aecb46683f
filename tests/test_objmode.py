"""`with objmode(...)` (Numba's object mode blocks) against CPython: each row is a function run
by CPython (where `objmode` does nothing) and compiled (where the block runs as Python code and
hands its outputs back converted to their declared types); results must be the same type and
value. Arrays of every layout go in and come out; exceptions raised in a block are caught in
compiled code by their class and reach Python as the very object raised."""


import numpy as np
import pytest

from ferrojit import njit, objmode
from ferrojit.errors import TypingError, UnsupportedError

from helpers import assert_no_leak, case_id, check


def python_sorted_head(a, k):
    """Plain Python that compiled code cannot run: list methods on `tolist()`."""
    return sorted(a.tolist())[:k]


def numbers_in_and_out(x, y):
    s = x + y
    with objmode(total="int64", ratio="float64", flag="boolean"):
        total = int(s) * 3
        ratio = s / 7
        flag = s > 10
    return total, ratio, flag


def strings_in_and_out(word, n):
    with objmode(text="unicode_type"):
        text = "-".join([word] * n).upper()
    return text + "!"


def array_in_and_out(a, k):
    m = a.sum()
    with objmode(head="float64[:]"):
        head = np.asarray(python_sorted_head(a, k), dtype=np.float64)
    return head * 2 + m


def array_2d_out(n):
    with objmode(grid="int64[:, :]"):
        grid = np.arange(n * 3, dtype=np.int64).reshape(n, 3)
    return grid.T.copy()


def tuple_out(x):
    with objmode(pair="UniTuple(int64 x 2)"):
        pair = divmod(x, 7)
    return pair[0] * 100 + pair[1]


def in_a_loop(n):
    total = 0
    for i in range(n):
        with objmode(v="int64"):
            v = len(str(i * 12345))
        total += v
    return total


def output_reassigned_inside(x):
    y = x + 1
    with objmode(y="int64"):
        y = y * 10
        y += 1
    return y


def block_locals_stay_inside(x):
    with objmode(out="int64"):
        scratch = [x] * 3
        out = sum(scratch)
    return out


def exception_caught_by_class(key):
    try:
        with objmode(v="int64"):
            v = {"a": 1, "b": 2}[key]
    except KeyError as e:
        return "missing " + str(e)
    return str(v)


class Overflowing(OverflowError):
    pass


def own_class_caught_by_base(x):
    try:
        with objmode(v="int64"):
            if x > 3:
                raise Overflowing(f"too big: {x}")
            v = x
    except ArithmeticError as e:
        return -len(str(e))
    return v


def library_class_caught_as_exception(x):
    try:
        with objmode(v="float64"):
            import fractions

            v = float(fractions.Fraction(1, x))
    except ZeroDivisionError:
        return -1.0
    except Exception:
        return -2.0
    return v


def several_arguments_caught(x):
    # The exception's arguments come from Python: their text, count and truth in compiled code.
    try:
        with objmode(v="int64"):
            if x > 3:
                raise ValueError("too big", x, [x, 2.5], None)
            if x > 1:
                raise KeyError(x, "k")
            v = x
    except Exception as e:
        return str(e), repr(e), str(e.args), len(e.args), bool(e.args)
    return "", "", "", v, False


CASES = [
    (several_arguments_caught, (5,)),
    (several_arguments_caught, (2,)),
    (several_arguments_caught, (0,)),
    (numbers_in_and_out, (3, 4)),
    (numbers_in_and_out, (30, 4)),
    (strings_in_and_out, ("ab", 3)),
    (strings_in_and_out, ("é→", 2)),
    (array_in_and_out, (np.array([3.0, 1.0, 2.0, 5.0]), 2)),
    (array_in_and_out, (np.arange(12.0)[::-3], 3)),
    (array_in_and_out, (np.asfortranarray(np.arange(6.0).reshape(2, 3))[0], 2)),
    (array_in_and_out, (np.empty(0), 0)),
    (array_2d_out, (4,)),
    (tuple_out, (100,)),
    (in_a_loop, (25,)),
    (output_reassigned_inside, (4,)),
    (block_locals_stay_inside, (7,)),
    (exception_caught_by_class, ("a",)),
    (exception_caught_by_class, ("z",)),
    (own_class_caught_by_base, (2,)),
    (own_class_caught_by_base, (9,)),
    (library_class_caught_as_exception, (4,)),
    (library_class_caught_as_exception, (0,)),
]

COMPILED = {}


@pytest.mark.parametrize("func,args", CASES, ids=case_id)
def test_objmode_against_cpython(func, args):
    check(func, *args, exc_msg=True, compiled=COMPILED)


class Detailed(Exception):
    def __init__(self, a, b):
        super().__init__(a, b)
        self.total = a + b


def raises_detailed(x):
    with objmode():
        raise Detailed(x, 2)
    return 0


def test_an_exception_reaches_python_as_the_object_raised():
    with pytest.raises(Detailed) as error:
        njit(raises_detailed)(3)
    assert error.value.args == (3, 2) and error.value.total == 5
    # The traceback runs through the block's own line.
    assert any(entry.name == "objmode_block" for entry in error.traceback)


def wrong_output_type(x):
    with objmode(v="int64"):
        v = "text"
    return v


def test_an_output_of_the_wrong_type_is_a_clear_error():
    with pytest.raises(TypeError, match="gives `v` a `str` \\('text'\\), which does not convert to its declared type `int64`"):
        njit(wrong_output_type)(1)


def unknown_type(x):
    with objmode(v="float65"):
        v = x
    return v


def list_output(x):
    with objmode(v="List(int64)"):
        v = [x]
    return v


def positional(x):
    with objmode("int64"):
        pass
    return x


def reads_before_assigned(x):
    if x > 0:
        y = 1
    with objmode(z="int64"):
        z = y + 1  # noqa: F821 - unbound when x <= 0, as in Python
    return z


def returns_inside(x):
    with objmode(y="int64"):
        y = x
        if x > 2:
            return 5
    return y


def test_unsupported_and_wrong_uses_are_clear_errors():
    with pytest.raises(UnsupportedError, match="`return` and `yield` inside an object mode block"):
        njit(returns_inside)(1)
    with pytest.raises(TypingError, match="the type `float65` of `v` is not a type"):
        njit(unknown_type)(1)
    with pytest.raises((UnsupportedError, TypingError), match="cannot give back a `list|is not a type"):
        njit(list_output)(1)
    with pytest.raises(UnsupportedError, match="keywords with their types"):
        njit(positional)(1)
    assert njit(reads_before_assigned)(1) == 2
    with pytest.raises(UnboundLocalError):
        njit(reads_before_assigned)(0)


def many_arrays(n):
    total = 0.0
    for i in range(n):
        a = np.arange(float(i + 1))
        with objmode(b="float64[:]", label="unicode_type"):
            b = a[::-1] * 2
            label = "x" * i
        total += b[0] + len(label)
    return total


def test_nothing_leaks():
    cfunc = njit(many_arrays)
    assert cfunc(30) == many_arrays(30)
    assert_no_leak(cfunc, 30)
