"""Functions without a source file: defined in `exec()`, `python -c` or at the interactive
prompt. Their text is rebuilt from the code object (`ferrojit._decompile`), checked against it as
a file's text is, and compiled; the compiled function must give what Python gives."""

import math
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from ferrojit import int64, jit, jitclass, njit
from ferrojit import _source
from ferrojit.errors import TypingError, UnsupportedError

GLOBAL_SCALE = 3
# The Python reader (`ferrojit._decompile`) and the native reader read CPython 3.11's and 3.12's
# bytecode (3.12's translated into 3.11's instructions). Elsewhere the tests of the Python reader
# skip, and a function only it reads is the clear error naming the version.
PYTHON_READER = sys.version_info[:2] in _source.REBUILT_VERSIONS
needs_python_reader = pytest.mark.skipif(not PYTHON_READER, reason="the Python reader reads only the bytecode of Python " + ", ".join(f"{a}.{b}" for a, b in _source.REBUILT_VERSIONS))
# The rows of `NATIVE_WRITING` the native reader hands over on 3.12 (its comprehensions are
# inlined there, with an exception table, PEP 709).
NATIVE_ON_311_ONLY = {"comprehensions", "comprehension_conditions_and_loops"}
# And those it does not read yet on 3.12, whose layout differs from 3.11's beyond what the
# translation to 3.11's instructions undoes: a chained comparison as a conditional expression's
# test (its cleanup falls into the false branch), conditional expressions in conditions.
NATIVE_NOT_YET_ON_312 = {"chained_comparison_conditions", "conditional_expression_in_condition"}
GLOBAL_TABLE = (1, 4, 9)
# The rows the Python reader does not read yet on 3.12: their layout differs from 3.11's beyond
# what the translation of 3.12's bytecode into 3.11's instructions (`ferrojit._native.instructions`)
# undoes. There they are refused with a clear error (a strict expected failure: a row that comes
# to be read fails it, to be taken off this list).
PYTHON_READER_NOT_YET_ON_312 = {
    "conditional-expressions-as-tests", "conditional-expressions-as-tests-other-branch", "try-except-else",
    "try-return-in-handler", "try-except-finally", "match-or-patterns", "break-and-continue",
    "return-and-continue-in-while", "return-last-and-nested", "with", "with-return-break-continue",
    "with-last-before-a-copied-return", "with-ending-in-raise-or-return-of-a-value",
    "nested-comprehensions-with-conditions", "lambdas-with-defaults", "try-in-loop-with-break", "chained-and-walrus",
    "try-except-finally-with-returns",
}


# Of those, the rows read on 3.12 whose text does not compile back to the function yet.
READ_BUT_NOT_VERIFIED_ON_312 = {"try-in-loop-with-break"}


def _marks(row_id, reading_only=False):
    """The marks of a row of the tables read by the Python reader (see `PYTHON_READER_NOT_YET_ON_312`),
    for a test that reads it and checks its text (or, with `reading_only`, only reads it)."""
    if sys.version_info[:2] != (3, 12) or row_id not in PYTHON_READER_NOT_YET_ON_312:
        return []
    if reading_only and row_id in READ_BUT_NOT_VERIFIED_ON_312:
        return []
    from ferrojit._decompile import DecompileError

    return [pytest.mark.xfail(strict=True, raises=(UnsupportedError, DecompileError), reason="not read by the Python reader on Python 3.12 yet")]


def _define(source, name="f"):
    """The function `name` made by `exec` of `source` (so it has no file: `<string>`)."""
    namespace = {"np": np, "math": math, "njit": njit, "GLOBAL_SCALE": GLOBAL_SCALE, "GLOBAL_TABLE": GLOBAL_TABLE}
    exec(textwrap.dedent(source), namespace)  # noqa: S102 - the table's fixed sources
    return namespace[name]


def _only_the_python_reader_reads(f):
    """Whether ``f`` is read by the Python reader alone on a Python where it does not run:
    then compiling it must be the clear error naming the version."""
    from ferrojit import _native

    return not PYTHON_READER and _native.function_text(f.__code__) is None


def _assert_refused_naming_the_version(call):
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    with pytest.raises(UnsupportedError, match=f"in Python {version}'s bytecode \\(only the common constructs of numerical code are read"):
        call()


def _same(got, expected):
    """Same type and value, NaNs equal, containers item by item."""
    if isinstance(expected, np.ndarray):
        return isinstance(got, np.ndarray) and got.dtype == expected.dtype and np.array_equal(got, expected, equal_nan=True)
    if type(got) is not type(expected):
        return False
    if isinstance(expected, (tuple, list)):
        return len(got) == len(expected) and all(_same(g, e) for g, e in zip(got, expected))
    if isinstance(expected, dict):
        return list(got) == list(expected) and all(_same(got[k], expected[k]) for k in expected)
    if isinstance(expected, float) and math.isnan(expected):
        return math.isnan(got)
    return got == expected


# (id, source defining `f`, arguments). A new construct is a new row.
CASES = [
    ("arithmetic", """
        def f(a, b):
            return a + b * 2 - a // 3 % 4 + a ** 2 - b / 2
     """, (7, 3)),
    ("bitwise-and-unary", """
        def f(a, b):
            return (a & b) | (a ^ b) << 2 >> 1, -a, +b, ~a, not a
     """, (12, 10)),
    ("augmented-assignment", """
        def f(n):
            s = 0
            s += n
            s *= 3
            s -= 1
            s //= 2
            s **= 2
            s %= 1000
            return s
     """, (17,)),
    ("augmented-subscript-and-slices", """
        def f(a):
            a[1] += 5.0
            a[2:4] *= 2.0
            return a, a[::2], a[1:], a[:-1], a[1:5:2]
     """, (np.arange(6.0),)),
    ("chained-comparisons", """
        def f(a, b, c):
            x = a < b <= c
            y = a == b != c
            if a < b < c:
                return x, y, 1
            return x, y, 2
     """, (1, 2, 3)),
    ("boolean-values", """
        def f(a, b):
            return a and b, a or b, (a and b) or 7, (a or b) and 5, not a or b > 0
     """, (0, 4)),
    ("boolean-conditions", """
        def f(a, b, c):
            n = 0
            if a and b or c:
                n += 1
            if not (a or b) and c:
                n += 10
            if a > 0 and (b > 0 or c > 0):
                n += 100
            return n
     """, (1, 0, 2)),
    ("conditional-expressions", """
        def f(x):
            y = 1.5 if x > 2 else -0.5
            return (x if x % 2 else -x) + y
     """, (5,)),
    ("if-elif-else", """
        def f(x):
            if x < 0:
                r = -1
            elif x == 0:
                r = 0
            elif x < 10:
                r = 1
            else:
                r = 2
            return r
     """, (7,)),
    ("is-none", """
        def f(x):
            v = None
            if x > 1:
                v = x
            if v is None:
                return -1
            if v is not None:
                return v * 2
            return 0
     """, (4,)),
    ("while-break-continue-else", """
        def f(n):
            i = 0
            s = 0
            while i < n:
                i += 1
                if i % 3 == 0:
                    continue
                if i > 20:
                    break
                s += i
            else:
                s = -s
            return s
     """, (10,)),
    ("while-true", """
        def f(n):
            i = 0
            while True:
                i += 1
                if i * i > n:
                    break
            return i
     """, (50,)),
    ("for-else-break", """
        def f(n):
            for i in range(2, n):
                if n % i == 0:
                    found = i
                    break
            else:
                found = n
            return found
     """, (91,)),
    ("nested-loops", """
        def f(a):
            total = 0.0
            for i in range(a.shape[0]):
                for j in range(a.shape[1]):
                    if a[i, j] < 0.2:
                        continue
                    total += math.sqrt(a[i, j])
            return total
     """, (np.linspace(0.0, 1.0, 12).reshape(3, 4),)),
    ("for-else-inside-a-loop", """
        def f(n):
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
     """, (8,)),
    ("for-enumerate-zip-unpacking", """
        def f(a, b):
            s = 0
            for i, (x, y) in enumerate(zip(a, b)):
                s += i * x - y
            return s
     """, ([1, 2, 3], [4, 5, 6])),
    ("tuple-unpacking-and-swap", """
        def f(a, b):
            a, b = b, a
            x, y, z = a, b, a + b
            first, *rest = (x, y, z)
            return a, b, first, rest
     """, (1, 2)),
    ("displays", """
        def f(x):
            t = (x, 1, 2.5)
            l = [x, x + 1]
            d = {"a": x, "b": 2}
            s = {x, 3, 4}
            return t, l, d["a"] + d["b"], len(s), [1, 2, 3], (4, 5)
     """, (7,)),
    ("fstrings", """
        def f(x, name):
            return f"{name}: {x:>6.2f} {x!r} {name!s:^8}|"
     """, (3.14159, "pi")),
    ("calls-with-keywords", """
        @njit
        def g(a, b=2, *, c=3):
            return a * 100 + b * 10 + c

        def f(x):
            return round(x, 2), max(x, 2.0), g(1), g(1, c=5), g(a=2, b=3), np.zeros(3, dtype=np.int64)
     """, (1.23456,)),
    ("star-arguments", """
        def f(*args, **kwargs):
            return len(args), args[0] + args[-1], sum(args)
     """, (1, 2, 3)),
    ("modules-imported-in-and-out-of-the-text", """
        import math as m2
        from math import sqrt

        def f(x):
            # `m2` imported with the function (an attribute call), `math` before (a method call)
            return m2.sqrt(x) + math.tanh(x) + sqrt(x)
     """, (2.0,)),
    ("globals-and-attributes", """
        def f(a):
            return a.shape[0] * GLOBAL_SCALE + GLOBAL_TABLE[1] + a.size + math.pi
     """, (np.ones((2, 3)),)),
    ("del-and-assert", """
        def f(x):
            y = x * 2
            assert y > 0, "positive"
            assert x
            del y
            y = 3
            return y + x
     """, (4,)),
    ("raise", """
        def f(x):
            if x > 2:
                raise ValueError("too big")
            return x
     """, (1,)),
    ("list-comprehension", """
        def f(n):
            return [i * i for i in range(n) if i % 2 == 0 or i == 5]
     """, (8,)),
    ("nested-comprehension", """
        def f(n):
            return [i * j for i in range(n) for j in range(i) if j > 0]
     """, (5,)),
    ("dict-and-set-comprehensions", """
        def f(n):
            d = {i: i * 2 for i in range(n)}
            s = {i % 3 for i in range(n)}
            return d, len(s)
     """, (5,)),
    ("generator-expression", """
        def f(n):
            return sum(i * i for i in range(n))
     """, (6,)),
    ("lambda-and-closure", """
        def f(x):
            k = 3
            scale = lambda v: v * k
            def add(v, w=1):
                return v + w + k
            return scale(x) + add(x) + add(x, 10)
     """, (2,)),
    ("walrus", """
        def f(n):
            total = 0
            i = 0
            while (j := i * 2) < n:
                total += j
                i += 1
            return total, j
     """, (9,)),
    ("early-return-in-loops", """
        def f(a, target):
            for i in range(len(a)):
                for j in range(len(a)):
                    if a[i] + a[j] == target:
                        return i, j
            return -1, -1
     """, ([1, 5, 3, 8], 11)),
    ("try-except-else", """
        def f(x):
            try:
                y = 10 // x
            except ZeroDivisionError:
                y = -1
            except (ValueError, TypeError):
                y = -2
            else:
                y += 100
            return y
     """, (3,)),
    ("try-except-in-loop", """
        def f(n):
            s = 0
            for i in range(n):
                try:
                    s += 10 // (i - 2)
                except ZeroDivisionError:
                    s -= 1000
            return s
     """, (5,)),
    ("try-return-in-handler", """
        def f(x):
            try:
                return 1 // x
            except ZeroDivisionError:
                return 0
     """, (0,)),
    ("try-finally", """
        def f(x):
            total = 0
            try:
                total += x
            finally:
                total *= 2
            return total
     """, (5,)),
    ("try-except-finally", """
        def f(x):
            y = 0
            try:
                y = 100 // x
            except ZeroDivisionError:
                y = -1
            finally:
                y += 1
            return y
     """, (0,)),
    ("try-finally-with-returns", """
        def f(x):
            n = 0
            try:
                if x > 2:
                    return x * 10
                n = x
            finally:
                n += 1
            return n
     """, (5,)),
    ("else-continue-last-in-loops", """
        def f(n):
            s = 0
            for i in range(n):
                if i % 2:
                    s += i
                else:
                    continue
            i = 0
            while True:
                i += 1
                if i > n:
                    break
                if i % 3:
                    s += 10 * i
                else:
                    continue
            j = 0
            while j < n:
                j += 1
                if j % 4:
                    s += 100 * j
                elif j > 6:
                    s -= 1
                else:
                    continue
            return s
     """, (9,)),
    # Sets whose display in their constant's iteration order builds another order.
    ("set-constants-built-in-their-own-order", """
        def f(x):
            n = 0
            for y in {92, 4, 5}:
                n += y * y
            return x in {107, 59, 129}, x in {30, 103, 193, 78}, x not in {43, 113, 12, 196, 171}, n
     """, (59,)),
    ("match-values-captures-and-guards", """
        def f(x):
            r = 0
            match x:
                case 1:
                    r = 10
                case -2:
                    r = 20
                case n if n > 100:
                    r = n * 2
                case n:
                    r = n - 1
            match x % 3:
                case 0:
                    return r
                case _:
                    return -r
     """, (300,)),
    ("match-sequences", """
        def f(p):
            match p:
                case (0, 0):
                    return 0
                case (0, y):
                    return y
                case (x, 0):
                    return -x
                case (x, y) if x > y:
                    return x - y
                case (x, y):
                    return x * y
            return -1
     """, ((3, 4),)),
    ("match-nested-sequences", """
        def f(p):
            match p:
                case ((a, b), c) if a < b:
                    return a * 100 + b * 10 + c
                case ((a, _), _):
                    return -a
            return 0
     """, (((1, 2), 3),)),
    ("match-or-patterns", """
        def f(x):
            r = 0
            match x:
                case 1:
                    r = 10
                case 2 | 3:
                    r = 20
                case (4 | 5) as small if small > 4:
                    r = small * 100
                case _:
                    r = -1
            match (x, x + 1):
                case (0, 1 | 2) | (6, _):
                    return r + 1
            return r
     """, (5,)),
    ("match-starred-sequences", """
        def f(items):
            match items:
                case []:
                    return -3, [0]
                case [first, *middle, last] if last > 3:
                    return first * 100 + last, middle
                case [*everything]:
                    return -1, everything
            return -2, [0]
     """, ([1, 2, 3, 4],)),
    ("match-class-patterns", """
        def f(x):
            match x:
                case bool(b):
                    return 1
                case int(n) if n > 5:
                    return n * 2
                case int():
                    return -1
                case float(f):
                    return int(f) + 100
                case complex(real=0.0, imag=im):
                    return int(im)
            return 0
     """, (7,)),
    ("match-in-a-loop", """
        def f(items):
            total = 0
            for it in items:
                match it:
                    case 0:
                        continue
                    case 99:
                        break
                    case v if v > 10:
                        total += 100
                    case v:
                        total += v
            return total
     """, ([1, 0, 50, 5, 99, 7],)),
    ("docstring-and-branches-falling-out", """
        def f(x, y):
            "A docstring: None is numbered where the code first loads it."
            assert x > 0, "positive"
            if x > 10:
                assert y, "y"
            if x % 2:
                y = y * 3
            elif x % 3:
                y = y * 5
            else:
                y = -y
     """, (9, 2)),
    ("not-around-and-or-of-in", """
        def f(items, x):
            n = 0
            for v in items:
                if not (v in (x, 2) and v > 1):
                    n += 1
                if not (v in (1, 2) or v > 6):
                    n += 10
            return n
     """, ([1, 2, 3, 7], 3)),
    ("conditional-expressions-as-tests", """
        def f(x, c, d):
            n = 0
            if (0 if c else d) or x:
                n += 1
            if (1 if c else d):
                n += 10
            if (x if c else 0):
                n += 100
            if not (x if c else d) and d:
                n += 1000
            while (x if c else d):
                x -= 1
                n += 10000
            return n
     """, (3, 1, 0)),
    ("conditional-expressions-as-tests-other-branch", """
        def f(x, c, d):
            n = 0
            if (0 if c else d) or x:
                n += 1
            if (x if c else d) and (d if x else c):
                n += 10
            while (x if c > 0 else d):
                c -= 1
                n += 100
            return n
     """, (0, 2, 5)),
    ("walrus-in-a-conditional-expression", """
        def f(c):
            y = (x := 5) if c else 0
            return x + y
     """, (True,)),
    ("walrus-in-a-condition-operand", """
        def f(c):
            if c or (y := 4) < 0:
                return 0
            if (z := y * 2) > 5 and c == 0:
                return y + z
            return -1
     """, (0,)),
    ("seed-tan-sum", """
        def f(a):
            tan_sum = 0
            for i in range(4):
                for j in range(4):
                    tan_sum += math.tanh(a[i, j])
            return tan_sum
     """, (np.linspace(0.0, 1.0, 16).reshape(4, 4),)),
]


@pytest.mark.parametrize("source, args", [pytest.param(s, a, id=i, marks=_marks(i)) for i, s, a in CASES])
def test_exec_function_gives_what_python_gives(source, args):
    f = _define(source)
    if _only_the_python_reader_reads(f):
        return _assert_refused_naming_the_version(lambda: njit(f)(*args))
    _, _, text, _ = _source.source_info(f, _source.capture(f))
    assert text.lstrip().startswith("def f(")  # the rebuilt text, not a file's
    expected = f(*(a.copy() if isinstance(a, np.ndarray) else a for a in args))
    got = njit(f)(*(a.copy() if isinstance(a, np.ndarray) else a for a in args))
    assert _same(got, expected), (got, expected)


# Generators: the items produced, compared as lists.
GENERATOR_CASES = [
    ("yield", """
        def f(n):
            for i in range(n):
                if i % 2:
                    yield i * 10
            yield -1
     """, (6,)),
    ("while-in-a-generator", """
        def f(n):
            while n > 0:
                yield n
                n -= 1
     """, (4,)),
    ("explicit-return-ending-a-generator", """
        def f(n):
            if n > 100:
                yield n
            return
     """, (3,)),
    ("yield-from", """
        @njit
        def inner(n):
            for i in range(n):
                yield i

        def f(n):
            yield from inner(n)
            yield 100
     """, (4,)),
]


@pytest.mark.parametrize("source, args", [pytest.param(s, a, id=i) for i, s, a in GENERATOR_CASES])
def test_exec_generator_gives_what_python_gives(source, args):
    f = _define(source)
    if _only_the_python_reader_reads(f):
        return _assert_refused_naming_the_version(lambda: njit(f)(*args))
    assert list(njit(f)(*args)) == list(f(*args))


@jitclass([("depth", int64), ("log", int64)])
class Guard:
    """A context manager that compiled code and Python both run: counts its exits."""

    def __init__(self):
        self.depth = 0
        self.log = 0

    def __enter__(self):
        self.depth += 1
        return self

    def __exit__(self, kind, value, traceback):
        self.depth -= 1
        self.log += 10
        return False


# `with` blocks left by `return`, `break` and `continue` (each way out calls `__exit__`).
WITH_CASES = [
    ("break-and-continue", """
        def f(n):
            g = Guard()
            s = 0
            for i in range(n):
                with g as h:
                    if i == 2:
                        continue
                    if i == 5:
                        break
                    s += h.depth
            return s * 1000 + g.log + g.depth
     """, (8,)),
    ("return-and-continue-in-while", """
        def f(n):
            g = Guard()
            s = n
            while s < 100:
                with g:
                    s += 7
                    if s > 50:
                        return s * 1000 + g.log
                    continue
            return -1
     """, (3,)),
    ("return-last-and-nested", """
        def f(n):
            g = Guard()
            k = Guard()
            with g, k:
                if n > 2:
                    return g.depth + k.depth
            with g:
                return g.log + k.log + n
     """, (1,)),
]


@pytest.mark.parametrize("source, args", [pytest.param(s, a, id=i, marks=_marks(i)) for i, s, a in WITH_CASES])
def test_exec_with_statement_gives_what_python_gives(source, args):
    def define():
        namespace = {"Guard": Guard}
        exec(textwrap.dedent(source), namespace)  # noqa: S102 - the table's fixed sources
        return namespace["f"]

    f = define()
    if _only_the_python_reader_reads(f):
        return _assert_refused_naming_the_version(lambda: _source.source_info(f, _source.capture(f)))
    _, _, text, _ = _source.source_info(f, _source.capture(f))
    assert text.lstrip().startswith("def f(")
    expected = define()(*args)
    got = njit(f)(*args)
    assert _same(got, expected), (got, expected)


@pytest.mark.parametrize("call", ["return sum([square(i) for i in range(n)])", "s = 0\n            for i in range(n):\n                s += square(i)\n            return s"], ids=["in-a-comprehension", "in-a-loop"])
def test_exec_function_calling_another_exec_function(call):
    source = f"""
        from ferrojit import njit

        @njit
        def square(x):
            return x * x

        @njit
        def f(n):
            {call}
    """
    f = _define(source)
    if _only_the_python_reader_reads(f.py_func):
        return _assert_refused_naming_the_version(lambda: f(5))
    assert f(5) == f.py_func(5) == 30


def test_rebuilt_text_keeps_the_line_numbers():
    source = "\n\n\ndef f(x):\n\n    y = x + 1\n\n\n    return y\n"
    namespace = {}
    exec(source, namespace)  # noqa: S102
    _, first, text, _ = _source.source_info(namespace["f"], None)
    assert first == 4
    lines = text.splitlines()
    assert lines[0] == "def f(x):" and lines[2].strip() == "y = x + 1" and lines[5].strip() == "return y"


def test_typing_error_in_exec_code_names_string_and_the_line():
    source = "def f(a, b):\n    c = a + 1\n\n    return c + b\n"
    namespace = {}
    exec(source, namespace)  # noqa: S102
    with pytest.raises(TypingError) as caught:
        njit(namespace["f"])(1, "text")
    message = str(caught.value)
    assert 'File "<string>", line 4' in message
    assert "return c + b" in message


# Constructs the rebuilding does not handle: a clear UnsupportedError, never a crash or a
# wrong text compiled.
UNSUPPORTED = [
    ("class", """
        def f(x):
            class Local:
                pass
            return x
     """, "a `class` statement"),
    ("match-mapping-pattern", """
        def f(p):
            match p:
                case {"a": a}:
                    return a
            return 0
     """, "a `match` statement's mapping pattern"),
    ("lambda", """
        f = lambda x: x + 1
     """, "a `lambda`"),
]


@needs_python_reader
@pytest.mark.parametrize("source, construct", [pytest.param(s, c, id=i) for i, s, c in UNSUPPORTED])
def test_construct_not_rebuilt_is_an_unsupported_error(source, construct):
    f = _define(source)
    with pytest.raises(UnsupportedError) as caught:
        njit(f)(2)
    message = str(caught.value)
    assert f"`{f.__qualname__}`" in message and "<string>" in message and construct in message
    assert "hint: define the function in a .py file" in message


@needs_python_reader
def test_jit_runs_a_function_not_rebuilt_as_python():
    f = _define("""
        def f(p):
            match p:
                case {"a": n}:
                    return n + 1
            return 0
    """)
    with pytest.warns(Warning, match="a `match` statement's mapping pattern"):
        assert jit(f)({"a": 2}) == 3


@needs_python_reader
def test_compiler_errors_name_the_rebuilt_line():
    """What the compiler refuses in a rebuilt text, it reports on the user's line."""
    f = _define("""
        def f(x):
            y = x + 1
            import math
            return math.sqrt(y)
    """)
    with pytest.raises(UnsupportedError, match="`import` inside a compiled function") as caught:
        njit(f)(3.0)
    assert 'File "<string>", line 4' in str(caught.value)


def test_rebuilt_text_that_does_not_verify_is_not_compiled(monkeypatch):
    """A text that does not compile to the function's code object is refused, whatever made
    it so (here the rebuilding is made to write the wrong operator)."""
    f = _define("def f(a, b):\n    return a - b\n")
    from ferrojit import _native

    real = _native.function_text
    monkeypatch.setattr(_native, "function_text", lambda code: (real(code)[0].replace("-", "+"), real(code)[1]))
    monkeypatch.setattr(_source, "_reconstructed", {})
    with pytest.raises(UnsupportedError, match="not the code Python runs from line 2 on") as caught:
        njit(f)(5, 3)
    assert "(<string>, line 2)" in str(caught.value)


# --- the seed's examples, verbatim, at the interactive prompt and in `python -c` -------------------

SEED_PROGRAM = '''
from ferrojit import jit, njit
import numpy as np

SIZE = 20
x = np.arange(SIZE * SIZE, dtype=np.float64).reshape(SIZE, SIZE) / (SIZE * SIZE)

"""
给定n*n矩阵，对矩阵每个元素计算tanh值，然后求和。
因为要循环矩阵中的每个元素，计算复杂度为 n*n。
"""
@njit
def jit_tan_sum(a):   # 函数在被调用时编译成机器语言
    tan_sum = 0
    for i in range(SIZE):   # Numba 支持循环
        for j in range(SIZE):
            tan_sum += np.tanh(a[i, j])   # Numba 支持绝大多数NumPy函数
    return tan_sum

print("tan_sum", round(jit_tan_sum(x), 9), round(jit_tan_sum.py_func(x), 9))
print("signatures", jit_tan_sum.signatures)

import time

@jit(nopython=True)
def go_fast(a):
    tan_sum = 0
    for i in range(SIZE):
        for j in range(SIZE):
            tan_sum += np.tanh(a[i, j])
    return tan_sum

start = time.time()
go_fast(x)
end = time.time()
print("compiled", len(go_fast.signatures))
start = time.time()
go_fast(x)
end = time.time()
print("Elapsed (after compilation) positive", end - start >= 0)

from ferrojit import jit, int32

@jit("int32(int32, int32)", nopython=True)
def f2(x, y):
    return x + y

print("f2", f2(3, 4), f2.signatures)

import pandas as pd

x = {'a': [1, 2, 3], 'b': [20, 30, 40]}

@jit
def use_pandas(a): # Numba对这个函数支持不好
    df = pd.DataFrame.from_dict(a) # Numba 不知道 pd.DataFrame 在做什么
    df += 1                        # Numba 也无法优化这个操作
    return df.cov()

print("pandas", use_pandas(x).values.tolist())
'''

SEED_EXPECTED = [
    "tan_sum",  # the value is checked against Python's below
    "signatures [(array(float64, 2d, C),)]",
    "compiled 1",
    "Elapsed (after compilation) positive True",
    "f2 7 [(int32, int32)]",
    "pandas [[1.0, 10.0], [10.0, 100.0]]",
]


def _check_seed_output(stdout):
    lines = [line for line in stdout.splitlines() if line.split(" ")[0] in ("tan_sum", "signatures", "compiled", "Elapsed", "f2", "pandas")]
    assert len(lines) == len(SEED_EXPECTED), stdout
    _, compiled, plain = lines[0].split()
    assert compiled == plain
    assert lines[1:] == SEED_EXPECTED[1:]


def _run(args, stdin=None):
    env = dict(os.environ, FERROJIT_WARM_UP="0")
    done = subprocess.run([sys.executable, *args], input=stdin, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done


def test_seed_examples_at_the_interactive_prompt():
    # `python -i` with the program on stdin: each statement compiled as typed at `>>>`, the
    # functions' file `<stdin>`.
    done = _run(["-i"], stdin=SEED_PROGRAM)
    _check_seed_output(done.stdout)
    # `use_pandas` is plain Python (object mode), with the seed's reason, not a missing source.
    assert "object mode" in done.stderr and "cannot find the source" not in done.stderr


def test_seed_examples_in_python_c():
    done = _run(["-c", SEED_PROGRAM])
    _check_seed_output(done.stdout)
    assert "cannot find the source" not in done.stderr


def test_seed_examples_in_exec():
    program = f"exec({SEED_PROGRAM!r})"
    done = _run(["-c", program])
    _check_seed_output(done.stdout)
    assert "cannot find the source" not in done.stderr


def test_typing_error_at_the_prompt_names_stdin_and_the_line():
    program = "from ferrojit import njit\n@njit\ndef f(a, b):\n    c = a + 1\n    return c + b\n\nf(1, 'x')\n"
    done = subprocess.run([sys.executable, "-i"], input=program, env=dict(os.environ, FERROJIT_WARM_UP="0"), capture_output=True, text=True, timeout=300)
    assert 'File "<stdin>", line 4' in done.stderr and "return c + b" in done.stderr
    assert "TypingError" in done.stderr


# --- the disk cache, `@vectorize`, the text of `python -c` ----------------------------------------

CACHED_PROGRAM = '''
import json
from ferrojit import njit
namespace = {"njit": njit}
exec("@njit(cache=True)\\ndef f(n):\\n    s = 0\\n    for i in range(n):\\n        s += i * i\\n    return s\\n", namespace)
f = namespace["f"]
print(json.dumps({"result": f(10), "hit": f._stats()[0]["cache_hit"]}))
'''


def test_cache_keys_on_the_rebuilt_text(tmp_path):
    """Functions without a file have no `__pycache__` beside them: with `FERROJIT_CACHE_DIR`
    they are cached, keyed on the rebuilt text (the same for the same code object)."""
    env = dict(os.environ, FERROJIT_WARM_UP="0", FERROJIT_CACHE_DIR=str(tmp_path))
    runs = []
    for _ in range(2):
        done = subprocess.run([sys.executable, "-c", CACHED_PROGRAM], env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        runs.append(done.stdout.strip().splitlines()[-1])
    assert runs == ['{"result": 285, "hit": false}', '{"result": 285, "hit": true}']


def test_vectorize_in_exec():
    source = """
        from ferrojit import vectorize

        @vectorize(["float64(float64, float64)"])
        def f(x, y):
            if x > y:
                return x - y
            return y - x
    """
    f = _define(source)
    a, b = np.array([1.0, 5.0, -2.0]), np.array([3.0, 1.0, -2.0])
    assert f(a, b).tolist() == [2.0, 4.0, 0.0]


def test_python_c_compiles_the_command_text():
    """`python -c`: the command itself is the text (comments and all), not a rebuilt one."""
    program = "from ferrojit import njit\nfrom ferrojit import _source\n@njit\ndef f(x):\n    return x + 1  # one more\nprint(f(1), '# one more' in _source.source_info(f.py_func, _source.capture(f.py_func))[2])\n"
    done = _run(["-c", program])
    assert done.stdout.split() == ["2", "True"]


def test_exec_in_python_c_is_rebuilt_not_taken_from_the_command():
    """A function `exec`'d inside `python -c` is also in `<string>`; the command's text at its
    line is not its code, so its text is rebuilt."""
    program = "from ferrojit import njit\nns = {}\nexec('def g(x):\\n    return x * 3\\n', ns)\nprint(njit(ns['g'])(2))\n"
    done = _run(["-c", program])
    assert done.stdout.split() == ["6"]


def test_decorated_inner_function_is_rebuilt_with_its_decorator():
    """The rebuilt text keeps the decorator, on its line: the compiler's own error (it does not
    compile decorated inner functions) names it where the user wrote it."""
    f = _define("""
        def f(x):
            k = 2

            @njit
            def inner(v):
                return v * k

            return inner(x) + 1
    """)
    assert f(5) == 11
    with pytest.raises(UnsupportedError, match="decorators on inner functions") as caught:
        njit(f)(5)
    assert 'File "<string>", line 5' in str(caught.value)


def _run_in_terminal(program):
    """Types ``program`` line by line into an interactive Python on a pseudo-terminal (the REPL
    a user types into, with line editing) and returns what the terminal showed."""
    import pty
    import select
    import time

    master, slave = pty.openpty()
    env = dict(os.environ, FERROJIT_WARM_UP="0", TERM="dumb")
    process = subprocess.Popen([sys.executable, "-q"], stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True)
    os.close(slave)
    shown = b""

    def read_for(seconds):
        nonlocal shown
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            ready, _, _ = select.select([master], [], [], 0.01)
            if ready:
                try:
                    shown += os.read(master, 65536)
                except OSError:
                    return

    def wait_for_prompt():
        # As a user does: type the next line once the prompt is shown (typed ahead, the line
        # would be echoed by the terminal into the output of the statement still running).
        until = time.monotonic() + 120
        while not shown.endswith((b">>> ", b"... ")) and time.monotonic() < until:
            read_for(0.02)

    try:
        for line in program.splitlines():
            wait_for_prompt()
            os.write(master, (line + "\n").encode())
            read_for(0.02)
        wait_for_prompt()
        os.write(master, b"\nexit()\n")
        # Read while it runs: a full terminal buffer would block it.
        deadline = time.monotonic() + 300
        while process.poll() is None and time.monotonic() < deadline:
            read_for(0.1)
        read_for(0.2)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
    return shown.decode(errors="replace").replace("\r", "")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pseudo-terminals as Linux has them")
def test_seed_examples_typed_at_a_terminal():
    _check_seed_output(_run_in_terminal(SEED_PROGRAM))


# Rebuilt and checked against the code object, whether or not ferrojit compiles the construct:
# the rebuilding itself, over constructs beyond the compiler's.
REBUILT = [
    ("global-and-nonlocal", """
        def f(n):
            global COUNT
            COUNT = n
            total = 0
            def add(v):
                nonlocal total
                total += v
            add(n)
            return total
     """),
    ("decorators-and-annotations", """
        import functools
        def f(g):
            @functools.wraps(g)
            def wrapper(*args: int, key: str = "k", **kwargs) -> float:
                return g(*args, **kwargs)
            return wrapper
     """),
    ("displays-with-unpacking", """
        def f(a, b, d):
            return [*a, 1, *b], (*a, 2), {*a, *b, 3}, {**d, "k": 1, **d}, print(*a, sep="", **d)
     """),
    ("nested-comprehensions-with-conditions", """
        def f(rows):
            return {k: [x for x in row if x and x > 0 or x is None] for k, row in enumerate(rows) if row}
     """),
    ("lambdas-with-defaults", """
        def f(xs):
            return sorted(xs, key=lambda x, k=2, *, r=False: (x % k, -x if r else x))
     """),
    ("generators", """
        def f(xs):
            for x in xs:
                received = yield x
                if received is not None:
                    yield from range(received)
            return len(xs)
     """),
    ("try-in-loop-with-break", """
        def f(xs):
            for x in xs:
                try:
                    v = 1 / x
                except ZeroDivisionError as e:
                    print(e)
                    break
                except Exception:
                    raise
                else:
                    print(v)
            return x
     """),
    ("while-else-nested", """
        def f(n):
            i = 0
            while i < n:
                j = 0
                while j < i:
                    if (i + j) % 7 == 6:
                        break
                    j += 1
                else:
                    i += 2
                    continue
                i += 1
            else:
                return -1
            return i
     """),
    ("chained-and-walrus", """
        def f(a, b, c):
            if 0 <= (m := a + b) < c != b is not None:
                return m
            return not a < b
     """),
    ("subscripts-and-slices", """
        def f(a, i, j):
            a[i:j, ::2] = a[..., -1]
            del a[0], a[1:]
            a.b.c[i] **= 2
            return a[i, j:], a[:, None], a[None:None:None], a[::None]
     """),
    ("try-except-finally-with-returns", """
        def f(x):
            try:
                return 1 / x
            except ZeroDivisionError:
                return 0.0
            finally:
                print(x)
     """),
    ("with", """
        def f(a, b, items):
            with a as x, b:
                y = x + 1
            for item in items:
                with a:
                    if item:
                        continue
                    y += item
            return y
     """),
    ("with-return-break-continue", """
        def f(a, b, items):
            for item in items:
                with a as x:
                    if item > 2:
                        break
                    if item:
                        continue
                    print(x)
            while items:
                with a, b:
                    if items.pop():
                        return 1
                    continue
            with a:
                return items
     """),
    ("with-last-before-a-copied-return", """
        def f(a, b):
            with a:
                print(b)
            return b
     """),
    ("with-ending-in-raise-or-return-of-a-value", """
        def f(a, b):
            if b:
                with a:
                    raise ValueError(b)
            with a as x:
                return x + b
     """),
    ("lambdas-and-walrus-as-operands", """
        def f(g, c, ks):
            made = g if c else (lambda a: a)
            y = (x := 5) if c else 0
            z = c or (lambda: 1)
            cases = [(f"1d_{k}", lambda dt, k=k: made(k, dt)) for k in ks]
            return made, x + y, z, cases
     """),
    ("loop-last-in-nested-ifs-before-an-else", """
        def f(a, rel):
            if rel is None:
                a.append(1)
                if a[0] > 0:
                    for v in (1, 2):
                        a.append(v)
            else:
                a.append(-1)
     """),
    ("match-singletons-wildcards-and-as", """
        def f(b, q):
            r = 0
            match b:
                case True:
                    r = 1
                case None:
                    r = 2
                case [_, _]:
                    r = 3
                case (0, y) as whole if y:
                    r = whole
                case q.attr:
                    r = 5
                case [[a, _] as inner, 3.5]:
                    r = inner
                case "text":
                    r = 7
                case _ if q:
                    r = 6
            return r
     """),
    ("imports", """
        def f(n):
            import os.path as p
            import os.path
            import math, sys as s2
            import xml.dom.minidom as md
            from os import sep, path as q
            from . import x
            from ..a.b import y
            return math.sqrt(n)
     """),
    ("raise-from-and-assert", """
        def f(x):
            assert isinstance(x, int), f"not an int: {x!r}"
            if x < 0:
                raise ValueError("negative") from None
            raise
     """),
]


@pytest.mark.parametrize("source", [pytest.param(s, id=i, marks=_marks(i)) for i, s in REBUILT])
def test_rebuilt_text_is_the_code_python_runs(source):
    f = _define(source)
    if _only_the_python_reader_reads(f):
        return _assert_refused_naming_the_version(lambda: _source.source_info(f, None))
    _, first, text, _ = _source.source_info(f, None)  # raises UnsupportedError if not
    assert first == f.__code__.co_firstlineno and text.lstrip().startswith("def f(")


def test_line_nops_are_left_out_of_the_comparison():
    """A `pass` on a line of its own is a NOP that holds the line; the bytecode does not say
    it was a `pass`, so the rebuilt text has no NOP there. The texts compute the same and are
    compared without NOPs (and only without them: the rest must be identical)."""
    f = _define("def f(x):\n    pass\n    y = x + 1\n    return y\n")
    rebuilt = _source.source_info(f, None)[2]
    compiled = compile("\n" * (f.__code__.co_firstlineno - 1) + rebuilt, "<string>", "exec")
    code = next(c for c in compiled.co_consts if hasattr(c, "co_code"))
    assert not _source._same_code(code, f.__code__)  # the NOP differs...
    assert _source._same_code_but_line_nops(code, f.__code__)  # ...and nothing else
    assert njit(f)(2) == 3
    other = compile("def f(x):\n    pass\n    y = x + 2\n    return y\n", "<string>", "exec")
    assert not _source._same_code_but_line_nops(next(c for c in other.co_consts if hasattr(c, "co_code")), f.__code__)


def test_function_whose_file_is_gone_is_rebuilt(tmp_path):
    import importlib.util
    import linecache
    import uuid

    path = tmp_path / "gone.py"
    path.write_text("def f(x):\n    return x * 7\n")
    spec = importlib.util.spec_from_file_location(f"gone_{uuid.uuid4().hex}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    path.unlink()
    linecache.checkcache(str(path))
    assert njit(module.f)(6) == 42


def test_long_loop_whose_jumps_need_extended_arguments():
    """Jumps further than 255 instructions take an `EXTENDED_ARG` prefix, which a jump back to
    the loop's header lands on."""
    body = "".join(f"        s += i * {k} % 7\n" for k in range(45))
    source = f"def f(n):\n    s = 0\n    for i in range(n):\n        if i % 3 == 0:\n            continue\n{body}    return s\n"
    namespace = {}
    exec(source, namespace)  # noqa: S102
    f = namespace["f"]
    assert any(ins.opname == "EXTENDED_ARG" for ins in __import__("dis").get_instructions(f))
    assert njit(f)(10) == f(10)


def test_instructions_are_those_dis_gives():
    """`ferrojit._bytecode.instructions` decodes `co_code` in place of `dis` (slow to
    import): the same instructions, with the same fields, over varied code (the standard
    library's, nested code objects, jumps and constants beyond 255 that take `EXTENDED_ARG`
    prefixes, exception tables)."""
    import dis
    import importlib.util

    from ferrojit import _bytecode

    def codes(code):
        yield code
        for const in code.co_consts:
            if hasattr(const, "co_code"):
                yield from codes(const)

    body = "".join(f"            s += i * {k} % 7 + {k}.5\n" for k in range(300))
    wide = f"def f(n):\n    s = 0\n    for i in range(n):\n        try:\n            if i % 3 == 0:\n                continue\n{body}        except ValueError:\n            s = -s\n    return s\n"
    tops = [compile(wide, "<string>", "exec")]
    for name in ("ast", "dis", "inspect", "json.decoder", "textwrap", "ferrojit._decompile", "ferrojit._source"):
        # The module's file, not the module: the Python reader is not imported where it does
        # not run.
        path = importlib.util.find_spec(name).origin
        with open(path, encoding="utf-8") as file:
            tops.append(compile(file.read(), path, "exec"))
    extended = 0
    for top in tops:
        for code in codes(top):
            ours, theirs = _bytecode.instructions(code), list(dis.get_instructions(code))
            assert len(ours) == len(theirs)
            for a, b in zip(ours, theirs):
                assert (a.opname, a.opcode, a.arg, a.offset, a.lineno) == (b.opname, b.opcode, b.arg, b.offset, b.positions.lineno)
                if b.opname not in ("KW_NAMES", "FORMAT_VALUE"):  # whose `argval` is read from `arg`
                    assert a.argval is b.argval or a.argval == b.argval, (a, b)
                extended += a.opname == "EXTENDED_ARG"
            assert _bytecode.exception_table(code) == [tuple(e) for e in dis._parse_exception_table(code)]
    assert extended > 0


# --- the rebuilding over real code ----------------------------------------------------------------

def _functions_of(module):
    """The functions of ``module`` and the methods of its classes, defined in its file."""
    import types

    for value in list(vars(module).values()):
        candidates = [value]
        if isinstance(value, type) and value.__module__ == module.__name__:
            candidates = [getattr(v, "__func__", v) for v in vars(value).values()]
        for f in candidates:
            if isinstance(f, types.FunctionType) and f.__code__.co_filename == getattr(module, "__file__", None):
                yield f


def test_every_benchmark_kernel_is_rebuilt():
    """The benchmark's kernels (numeric loops, array expressions, containers, parallel code),
    read from their code objects alone, give texts that compile back to them."""
    import importlib

    bench = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bench")
    sys.path.insert(0, bench)
    try:
        modules = [importlib.import_module(m) for m in ("kernels_scalar", "kernels_arrays", "kernels_array_exprs", "kernels_containers")]
    finally:
        sys.path.remove(bench)
    refused = []
    count = 0
    for module in modules:
        for f in _functions_of(module):
            if f.__name__ == "use_engine":
                continue  # a helper of the benchmark, not a kernel: it defines a class
            count += 1
            result = _source._reconstruct(f)
            if isinstance(result, UnsupportedError) and not (_only_the_python_reader_reads(f) and f.__qualname__ in _COMPREHENSION_KERNELS):
                refused.append(f"{module.__name__}.{f.__qualname__}: {result}")
    assert count > 50 and not refused, refused


# The kernels with a comprehension, which only the Python reader reads (3.11's bytecode).
_COMPREHENSION_KERNELS = {"list_comprehension"}


@needs_python_reader
def test_standard_library_functions_are_rebuilt_or_refused_never_misread():
    """Over a few hundred functions of the standard library: no rebuilding fails other than by
    saying what it does not handle, and most are rebuilt (each text checked against its code
    object, so a text that is not the function's is refused, never compiled)."""
    import importlib

    from ferrojit import _decompile

    names = ("heapq", "bisect", "textwrap", "statistics", "fractions", "colorsys", "json.decoder", "json.encoder", "difflib", "calendar", "string", "shlex", "fnmatch", "posixpath")
    rebuilt = total = 0
    for name in names:
        for f in _functions_of(importlib.import_module(name)):
            total += 1
            try:
                _decompile.function_text(f.__code__)
            except _decompile.DecompileError:
                continue
            result = _source._reconstruct(f)  # raises nothing: a text or the error saying why not
            rebuilt += not isinstance(result, UnsupportedError)
    assert total > 250 and rebuilt >= 0.85 * total, (rebuilt, total)


def _benchmark_kernels():
    bench = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bench")
    sys.path.insert(0, bench)
    try:
        import specs
    finally:
        sys.path.remove(bench)
    return bench, specs.KERNELS


_BENCH_DIR, _BENCH_KERNELS = _benchmark_kernels()


@pytest.mark.parametrize("kernel", _BENCH_KERNELS, ids=[k.name for k in _BENCH_KERNELS])
def test_benchmark_kernel_defined_in_exec_gives_what_python_gives(kernel):
    """The benchmark's kernel module run through `exec` (every function in `<string>`), its
    kernel compiled from the rebuilt text, on the benchmark's small input."""
    with open(os.path.join(_BENCH_DIR, f"{kernel.module}.py"), encoding="utf-8") as f:
        module_text = f.read()

    def namespace():
        names = {"__name__": f"exec_{kernel.module}"}
        exec(compile(module_text, "<string>", "exec"), names)  # noqa: S102 - the repository's kernels
        names.update(kernel.small_globals)
        return names

    plain = namespace()
    compiled = namespace()
    for name in (kernel.name, *kernel.helpers):
        compiled[name] = njit(compiled[name])
    expected = plain[kernel.name](*kernel.small())
    got = compiled[kernel.name](*kernel.small())
    if isinstance(expected, np.ndarray):
        np.testing.assert_allclose(got, expected, rtol=1e-12)
    else:
        assert np.allclose(got, expected, rtol=1e-12), (got, expected)


def test_stencil_and_parallel_functions_in_exec():
    namespace = {"np": np}
    exec(textwrap.dedent("""
        from ferrojit import njit, prange, stencil

        @stencil
        def smooth(a):
            return (a[-1] + a[0] + a[1]) / 3.0

        @njit(parallel=True)
        def total(a):
            s = 0.0
            for i in prange(a.shape[0]):
                s += a[i] * 2
            return s
    """), namespace)  # noqa: S102
    a = np.arange(6.0)
    assert namespace["smooth"](a).tolist() == [0.0, 1.0, 2.0, 3.0, 4.0, 0.0]
    assert namespace["total"](a) == namespace["total"].py_func(a) == 30.0


def test_python_without_a_bytecode_reader_says_so(monkeypatch):
    """On a Python whose bytecode the rebuilding does not read (3.11's only), a function without
    source is the clear error, naming the version; `python -c` and `linecache` texts still work."""
    from ferrojit import _native

    monkeypatch.setattr(_source, "REBUILT_VERSIONS", ((3, 0),))
    monkeypatch.setattr(_source, "NATIVE_REBUILT_VERSIONS", ((3, 0),))
    # The native reader reads 3.11's and 3.12's bytecode only, and says None on other versions.
    monkeypatch.setattr(_native, "function_text", lambda code: None)
    monkeypatch.setattr(_source, "_reconstructed", {})
    f = _define("def f(x):\n    return x + 1\n")
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    with pytest.raises(UnsupportedError, match=f"Python {version}'s bytecode \\(only that of Python 3.0 is read\\)"):
        njit(f)(1)


@needs_python_reader
def test_the_versions_read_are_the_readers():
    """`_source` refuses other Pythons before importing the Python reader (whose `opcode`
    tables would not fit them): its list must be the reader's."""
    from ferrojit import _decompile

    assert set(_source.REBUILT_VERSIONS) == set(_decompile._READERS)


def test_the_native_readers_versions_are_those_it_reads():
    """`_source.NATIVE_REBUILT_VERSIONS` says which Pythons the native reader reads (its
    dialects, `decompile.rs`'s `dialect`): it reads a plain function exactly there."""
    from ferrojit import _native

    f = _define("def f(x):\n    return x + 1\n")
    assert (_native.function_text(f.__code__) is not None) == (sys.version_info[:2] in _source.NATIVE_REBUILT_VERSIONS)
    assert set(_source.REBUILT_VERSIONS) <= set(_source.NATIVE_REBUILT_VERSIONS)


def test_a_python_only_the_native_reader_reads_names_the_version():
    """Where only the native reader reads the bytecode (3.12), a function it hands over (a
    generator) is the clear error naming the version, without importing the Python reader;
    where the Python reader runs too, that reader reads it."""
    f = _define("def f(n):\n    for i in range(n):\n        yield i\n")
    if PYTHON_READER:
        assert _source.source_info(f, None)[2].startswith("def f(n):")
    else:
        assert sys.version_info[:2] in _source.NATIVE_REBUILT_VERSIONS
        _assert_refused_naming_the_version(lambda: _source.source_info(f, None))
        assert "ferrojit._decompile" not in sys.modules


@needs_python_reader
def test_less_common_handlers_are_the_full_readers():
    """`_decompile._LESS_COMMON` names what `_decompile_more.FullReader` adds to the reader: a
    handler missing from the list would be an AttributeError of the first reader, one listed
    but not defined an endless fallback."""
    from ferrojit import _decompile, _decompile_more

    added = {name for name in vars(_decompile_more.FullReader) if not name.startswith("__")}
    assert added == _decompile._LESS_COMMON
    assert not added & set(vars(_decompile._Reader))


@needs_python_reader
@pytest.mark.parametrize("source", [pytest.param(s, id=i, marks=_marks(i, reading_only=True)) for i, s in REBUILT])
def test_first_reader_reads_as_the_full_reader_or_hands_over(source):
    """The reader without `_decompile_more`'s handlers reads a function as the full reader does,
    or stops at the first construct that needs them (`function_text` then reads with the full
    one): the text never depends on which reader read it."""
    from ferrojit import _decompile, _decompile_more

    code = _define(source).__code__

    def text(reader):
        return _decompile._Renderer(code.co_firstlineno).render([reader(code).function_definition()], "")

    full = text(_decompile_more.FullReader)
    try:
        first = text(_decompile._Reader)
    except _decompile._LessCommonConstruct:
        return
    assert first == full


# --- the native reader (`ferrojit._native.function_text`) ------------------------------------

# Precedence and writing corner cases for the native reader's writer, which must write what
# `ast.unparse` writes (the Python reader's writer). A new corner is a new row.
NATIVE_WRITING = [
    ("power_of_negative", "def f(x):\n    return (-x) ** 2 + -x ** 2 + x ** -1 + 2 ** 3 ** x + (2 ** 3) ** x\n"),
    ("sub_of_sum", "def f(a, b, c):\n    return a - (b - c) + (a - b) - c\n"),
    ("div_and_mod", "def f(a, b, c):\n    return a / (b * c) // (a % b) * (c // a)\n"),
    ("shifts_and_bits", "def f(a, b, c):\n    return (a | b) & c ^ a << (b >> c) | ~a & b\n"),
    ("not_and_or", "def f(a, b, c):\n    if not a or (b and not c) or a and b and c:\n        return 1\n    return 2\n"),
    ("or_of_many", "def f(a, b, c, d):\n    x = a or b or c < d or a == d or b\n    return x\n"),
    ("comparison_operands", "def f(a, b, c):\n    return (a < b) == (b < c), a is not None, a not in (1, 2), (a + b) * c > -a\n"),
    ("conditional_expression", "def f(a, b):\n    x = a if a > b else b\n    y = (a if a else b) + 1\n    return x + y\n"),
    ("attribute_of_int", "def f(a):\n    return (1).real + a.imag + (1.5).real + a.b.c\n"),
    ("constants", "def f(a):\n    return 1e300 * 1e10, -0.0, 1e-7, 1e16, 'a\\'b\"', b'x', None, True, ..., (1, 'a', (2, 3)), ()\n"),
    ("inf_and_nan", "def f(a):\n    return a * 1e400, a - 1e400, a + 1e400 * 0\n"),
    ("complex_constant", "def f(a):\n    return a * 2j + 1j\n"),
    ("subscripts", "def f(a, i, j):\n    a[i, j] = a[i:j, ::2] + a[:, 1] + a[(1, 2)] + a[()] + a[i,] + a[::None]\n    return a[i - 1:j + 1:-1]\n"),
    ("calls", "def f(a, b):\n    return max(a, b, key=abs) + g()[0] if a else len([a, b]) + len({a, b})\n"),
    ("methods", "def f(a, b):\n    a.append(b)\n    return a.pop().x(b, c=1)\n"),
    ("unpacking", "def f(a, b):\n    a, b = b, a\n    x, (y, z) = a, (b, a)\n    p, *q = a\n    *r, s = b\n    a, b, c = 1, 2, 3\n    return a, b, c, x, y, z, p, q, r, s\n"),
    ("chained_assignment", "def f(a):\n    x = y = a + 1\n    a.b = a[0] = 2\n    return x + y\n"),
    ("augmented", "def f(a, i):\n    a[i] += 1\n    a.x -= 2\n    i **= 2\n    a[i:i + 2] *= 3\n    return a\n"),
    ("loops", "def f(n):\n    s = 0\n    for i in range(n):\n        if i % 3 == 0:\n            continue\n        if i > 50:\n            break\n        s += i\n    else:\n        s = -1\n    while s > 10:\n        s //= 2\n    return s\n"),
    ("while_true", "def f(n):\n    while True:\n        n -= 1\n        if n < 0:\n            break\n    return n\n"),
    ("if_elif_else", "def f(x):\n    if x < 0:\n        y = -1\n    elif x == 0:\n        y = 0\n    elif x > 100 and x < 200 or x == 1000:\n        y = 2\n    else:\n        y = 1\n    return y\n"),
    ("nested_loops", "def f(a):\n    t = 0.0\n    for i in range(a.shape[0]):\n        for j in range(i, a.shape[1]):\n            if a[i, j] > 0 and not (i == j):\n                t += a[i, j]\n    return t\n"),
    ("tuple_target_loop", "def f(a):\n    t = 0\n    for i, (x, y) in enumerate(a):\n        t += i * x - y\n    return t\n"),
    ("raise", "def f(a):\n    if a < 0:\n        raise ValueError('negative: ' + str(a))\n    return a\n"),
    ("docstring_and_pass", "def f(a):\n    '''Doc.'''\n    pass\n"),
    ("parameters", "def f(a, b, /, c, *args, d, e, **kw):\n    return a\n"),
    ("keyword_only", "def f(a, *, b):\n    return a + b\n"),
    ("none_tests", "def f(a, b):\n    if a is None or b is not None:\n        return 1\n    return 2\n"),
    ("bool_value", "def f(a, b, c):\n    x = a and b and c\n    y = a or b or c\n    return x, y\n"),
    ("list_and_set", "def f(a):\n    return [a, [a, 1], {a}]\n"),
    ("empty_function", "def f():\n    pass\n"),
    ("global_call", "def f(a):\n    return np.sum(np.tanh(a)) + math.sqrt(2)\n"),
    ("chained_comparison_values", "def f(i, n, a):\n    x = 0 <= i < n\n    y = a < i <= n < 10 != a\n    return x, y, (i < n < a) + 1, g(i < n is not None)\n"),
    ("chained_comparison_conditions", "def f(i, n, a):\n    if 0 <= i < n and a:\n        return 1\n    elif a < i is None:\n        return 2\n    if 0 < i < n or a > 2 > i:\n        i += 1\n    return 0 if i < a < n else 3\n"),
    ("assert", "def f(a, b):\n    assert a > 0\n    assert a < b, 'a must be below b'\n    assert 0 <= a < b and (b or not a), str(a) + '!'\n    return a\n"),
    ("and_or_values", "def f(a, b, c, d):\n    x = (a and b) or c\n    y = (a or b) and c\n    z = a and b or (c and d)\n    return x, y, z, (a > b and c) or d\n"),
    ("conditional_expression_in_condition", "def f(x, c, d):\n    n = 0\n    if (0 if c else d) or x:\n        n += 1\n    if (x if c else 0):\n        n += 10\n    if (x if c else d) > 0 and d:\n        n += 100\n    if x if c else d:\n        return n\n    return -n\n"),
    ("list_dict_and_set_displays", "def f(a, b, d):\n    x = [1, 2, 3]\n    y = {'a': 1, 'b': a}\n    z = {a: b, b: a}\n    return x, y, z, {}, [*a, 1, *b], (*a, 2), {*a, 3}, {**d, 'k': 1, **d}, [a, *b]\n"),
    ("fstrings", "def f(a, b, n):\n    x = f'{a}'\n    y = f'x={a!r:>10} y={b:.{n}f} {a + 1!s}'\n    z = f\"it's {a}\\n\" + f'{{}} {a}{b}' + f'{ {a: 1}[a]}' + f'{a!a:{n}}'\n    return x, y, z\n"),
    ("fstring_quotes_and_escapes", "def f(a):\n    return f'\"{a}\\'' + f'''it's \"{a}\"''' + f'{a}\\t{a!r}\\r\\\\' + f'{a=}' + f'{(a, 1)}{-a:+}{a and a}'\n"),
    ("call_unpacking", "def f(a, d):\n    g(*a)\n    g(1, *a, **d)\n    a.m(*a, k=1)\n    return g(**d), g(x=1, **d), g(*a, *d)\n"),
    ("delete", "def f(a, i):\n    x = a[i]\n    del a[i], a.x\n    del x\n    del a[1:2]\n    return a\n"),
    ("walrus", "def f(a):\n    if (n := len(a)) > 10:\n        return n\n    y = (m := n + 1) * 2\n    return y + m\n"),
    ("comprehensions", "def f(a, n):\n    x = [i * i for i in range(n)]\n    y = {i: v for i, v in enumerate(a) if v > 0 if v < 10}\n    z = {v % 3 for v in a}\n    return sum((v for v in a)), x, y, z, [[j for j in range(i)] for i in range(n)]\n"),
    ("comprehension_conditions_and_loops", "def f(a, n):\n    t = [v + n for row in a for v in row if v and v > n or v is None]\n    for i in range(n):\n        t += [0 <= x < 10 for x in a[i]]\n    return t, [(y := x) for x in a], [(p, q) for p, q in a]\n"),
    ("lambdas", "def f(a, s):\n    g = lambda x: x + a\n    return sorted(a, key=lambda x: -x), (lambda: 0), (lambda x, y=2, *r, k=1, **kw: x + y), max(a, key=lambda v, s=s: v * s), g(1)\n"),
    ("nested_functions", "def f(n):\n    k = 0.5\n    def rhs(t, y):\n        return -k * y + math.sin(t)\n    def step(g, t, y, h=0.1, *, scale=1):\n        return y + h * scale * g(t, y)\n    y = 1.0\n    for i in range(n):\n        y = step(rhs, i * 0.1, y)\n    return y\n"),
    ("nested_function_nonlocal_and_decorators", "def f(n):\n    total = 0\n    def add(v):\n        nonlocal total\n        total += v\n    @njit\n    def g(x):\n        '''Doc.'''\n        return x\n    for i in range(n):\n        add(i)\n    return total\n"),
    ("global_declaration", "def f(n):\n    global COUNT, TOTAL\n    COUNT = n\n    del TOTAL\n    return n\n"),
    ("break_out_of_for_then_return", "def f(a, n):\n    s = 0\n    for v in a:\n        if v > n:\n            break\n        s += v\n    return s\n"),
    ("break_out_of_for_else", "def f(a, n):\n    for v in a:\n        if v > n:\n            k = v\n            break\n    else:\n        k = n\n    return k\n"),
    ("global_declaration_before_if", "def f(n):\n    global COUNT\n    if n:\n        COUNT = n\n    return n\n"),
]


def _python_text(code):
    from ferrojit import _decompile

    try:
        return _decompile.function_text(code)
    except _decompile.DecompileError:
        return None


_NATIVE_SOURCES = [pytest.param(s, id=i) for i, s, _ in CASES] + [pytest.param(s, id=i) for i, s in REBUILT] + [pytest.param(s, id=i) for i, s in NATIVE_WRITING]


@needs_python_reader
@pytest.mark.parametrize("source", _NATIVE_SOURCES)
def test_native_reader_gives_the_python_readers_text_or_none(source):
    """The native reader's text is the Python reader's, exactly, or None (the Python reader
    then reads the function): which reader read it never changes the text."""
    from ferrojit import _native

    code = _define(source).__code__
    native = _native.function_text(code)
    if native is not None:
        assert native == _python_text(code)


_NATIVE_ON_311_ONLY = pytest.mark.skipif(sys.version_info[:2] != (3, 11), reason="comprehensions are inlined from Python 3.12 on (PEP 709), which the native reader does not read")


_NATIVE_NOT_YET_ON_312 = pytest.mark.skipif(sys.version_info[:2] == (3, 12), reason="not read natively on Python 3.12 yet: a layout of 3.12's the translation to 3.11's instructions does not undo")


@pytest.mark.parametrize(
    "source",
    [pytest.param(s, id=i, marks=[_NATIVE_ON_311_ONLY] if i in NATIVE_ON_311_ONLY else [_NATIVE_NOT_YET_ON_312] if i in NATIVE_NOT_YET_ON_312 else []) for i, s in NATIVE_WRITING],
)
def test_native_reader_reads_the_common_constructs(source):
    """The constructs of numerical kernels (the rows of `NATIVE_WRITING`) are read natively,
    and the text compiles back to the function."""
    from ferrojit import _native

    f = _define(source)
    native = _native.function_text(f.__code__)
    assert native is not None
    if PYTHON_READER:
        assert native == _python_text(f.__code__)
    assert not isinstance(_source._reconstruct(f), UnsupportedError)


def test_native_reader_reads_every_benchmark_kernel_without_a_handover():
    """The benchmark's numeric kernels, and the seed's examples, are read natively: their first
    call does not import the Python reader."""
    import importlib

    from ferrojit import _native

    bench = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bench")
    sys.path.insert(0, bench)
    try:
        modules = [importlib.import_module(m) for m in ("kernels_scalar", "kernels_arrays")]
    finally:
        sys.path.remove(bench)
    handed_over, differ = [], []
    for module in modules:
        for f in _functions_of(module):
            native = _native.function_text(f.__code__)
            if native is None:
                handed_over.append(f.__qualname__)
            elif PYTHON_READER and native != _python_text(f.__code__):
                differ.append(f.__qualname__)
    assert not differ, differ
    # The kernels `run_no_source.py` measures, by name.
    for name in ("jit_tan_sum", "mandelbrot_count", "collatz_longest", "prefix_sum"):
        assert name not in handed_over
    assert len(handed_over) <= 5, handed_over


@needs_python_reader
def test_native_reader_on_the_standard_library_gives_the_python_text_or_none():
    """Over the functions of a few standard modules: the native text is the Python reader's
    whenever there is one."""
    import colorsys
    import fractions
    import heapq
    import statistics as stats_module

    from ferrojit import _native

    differ = []
    read = 0
    for module in (colorsys, fractions, heapq, stats_module, textwrap):
        for f in _functions_of(module):
            native = _native.function_text(f.__code__)
            if native is not None:
                read += 1
                if native != _python_text(f.__code__):
                    differ.append(f"{module.__name__}.{f.__qualname__}")
    assert read > 20 and not differ, differ


def test_native_reader_on_the_standard_library_reads_most_functions_and_each_text_compiles_back():
    """On every Python the native reader reads: most functions of a few standard modules are
    read, and the texts compile back to their functions (a text that does not is refused)."""
    import importlib

    from ferrojit import _native

    total, read, refused = 0, 0, []
    for name in ("heapq", "bisect", "textwrap", "statistics", "fractions", "colorsys", "json.decoder", "calendar", "string", "fnmatch", "posixpath"):
        for f in _functions_of(importlib.import_module(name)):
            total += 1
            if _native.function_text(f.__code__) is not None:
                read += 1
                if isinstance(_source._reconstruct(f), UnsupportedError):
                    refused.append(f"{name}.{f.__qualname__}")
    assert total > 150 and read >= 0.6 * total and len(refused) <= 0.03 * read, (total, read, refused)


def test_exec_function_read_natively_does_not_import_the_python_reader():
    """A kernel defined in `exec()`, read natively, compiles and runs without importing
    `ferrojit._decompile` (nor `dis`): the milliseconds of the first call this saves are the
    reason for the native reader."""
    program = textwrap.dedent(
        """
        import sys
        import ferrojit
        namespace = {}
        exec("def f(n):\\n    s = 0\\n    for i in range(n):\\n        s += i * i\\n    return s\\n", namespace)
        print(ferrojit.njit(namespace["f"])(10), "ferrojit._decompile" in sys.modules, "dis" in sys.modules)
        """
    )
    done = _run(["-c", program])
    assert done.stdout.split() == ["285", "False", "False"], done.stderr
