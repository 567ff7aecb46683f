"""Differential fuzzing of scalar expressions: random expression trees over two ints and two
floats, compiled by ferrojit and run by CPython on the same inputs, must give the same type and
value (floats exactly, the sign of zero and NaN included) or raise the same exception class.

The generator is seeded: a failure names its seed and the function's source, and reproduces.
Documented differences from CPython are kept out of the comparison instead of tested:
- ints are 64-bit: a case whose exact integer arithmetic leaves int64 at any step is skipped
  (the evaluator below tracks every intermediate value);
- `int ** int` needs a literal exponent, so exponents are literals;
- a negative float to a fractional power raises ValueError where CPython returns a complex.
"""

import importlib.util
import math
import random
import sys

import pytest

from ferrojit import njit
from helpers import assert_same

INT64 = (-(2**63), 2**63 - 1)
SEEDS = range(40)
FUNCTIONS_PER_SEED = 25
MAX_DEPTH = 4

INT_INPUTS = [0, 1, -1, 2, -3, 7, 13, -64, 1000, 2**31, -(2**40)]
FLOAT_INPUTS = [0.0, -0.0, 1.0, -1.5, 0.25, 3.0, 1e-300, -2.5e10, 1e300, math.inf, -math.inf, math.nan]


class OutOfInt64(Exception):
    """The exact integer result leaves int64: ferrojit wraps where Python grows."""


# Each node is built with its evaluator, the reference semantics of exactly the text generated:
# CPython's own operators on the same values, with every integer intermediate checked.
def _check_int(v):
    if isinstance(v, int) and not isinstance(v, bool) and not INT64[0] <= v <= INT64[1]:
        raise OutOfInt64
    return v


def _power(base, exponent):
    result = base ** exponent
    if isinstance(result, complex):
        # A negative float to a fractional power: CPython's result is complex, which a float
        # expression cannot hold; ferrojit raises ValueError instead (see README).
        raise ValueError("complex result")
    return result


BINARY = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "//": lambda a, b: a // b,
    "%": lambda a, b: a % b,
}
COMPARE = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b}


def as_float(node):
    """`node` converted with `float(...)` when it is an int, so that both sides of a `min`,
    `max` or conditional have one static type (CPython would return either object)."""
    text, evaluate, ty = node
    if ty is float:
        return node
    return f"float({text})", (lambda env: float(evaluate(env))), float


def gen_expr(rng, depth):
    """A random expression: (text, evaluator(env) -> CPython's value, static type)."""
    if depth == 0 or rng.random() < 0.25:
        choice = rng.random()
        if choice < 0.6:
            name = rng.choice("abxy")
            return name, (lambda env, n=name: env[n]), (int if name in "ab" else float)
        if choice < 0.8:
            # Negative literals in parentheses: `-1 ** 0` is `-(1 ** 0)`.
            k = rng.choice([0, 1, 2, 3, -1, 7])
            return f"({k!r})" if k < 0 else repr(k), (lambda env, k=k: k), int
        f = rng.choice([0.0, 0.5, -2.0, 1.5, 10.0])
        return f"({f!r})" if f < 0 else repr(f), (lambda env, f=f: f), float
    kind = rng.random()
    if kind < 0.55:
        op = rng.choice(list(BINARY))
        (lt, le, lty), (rt, re, rty) = gen_expr(rng, depth - 1), gen_expr(rng, depth - 1)
        fn = BINARY[op]
        ty = float if op == "/" or float in (lty, rty) else int
        return f"({lt} {op} {rt})", (lambda env: _check_int(fn(le(env), re(env)))), ty
    if kind < 0.65:
        (bt, be, bty) = gen_expr(rng, depth - 1)
        exponent = rng.choice([0, 1, 2, 3, 0.5, -1.0, 2.0])
        ty = int if bty is int and isinstance(exponent, int) else float
        return f"({bt} ** {exponent!r})", (lambda env: _check_int(_power(be(env), exponent))), ty
    if kind < 0.79:
        (ot, oe, oty) = gen_expr(rng, depth - 1)
        if rng.random() < 0.5:
            return f"(-{ot})", (lambda env: _check_int(-oe(env))), oty
        return f"abs({ot})", (lambda env: _check_int(abs(oe(env)))), oty
    left, right = gen_expr(rng, depth - 1), gen_expr(rng, depth - 1)
    if left[2] is not right[2]:
        left, right = as_float(left), as_float(right)
    (lt, le, ty), (rt, re, _) = left, right
    if kind < 0.88:
        fname = rng.choice(["min", "max"])
        fn = min if fname == "min" else max
        return f"{fname}({lt}, {rt})", (lambda env: fn(le(env), re(env))), ty
    op = rng.choice(list(COMPARE))
    (ct1, ce1, _), (ct2, ce2, _) = gen_expr(rng, depth - 1), gen_expr(rng, depth - 1)
    cmp = COMPARE[op]
    return f"({lt} if {ct1} {op} {ct2} else {rt})", (lambda env: le(env) if cmp(ce1(env), ce2(env)) else re(env)), ty


def generate(seed):
    """(module source, [(function name, evaluator, expression text)]) for one seed."""
    rng = random.Random(seed)
    lines, functions = [], []
    for i in range(FUNCTIONS_PER_SEED):
        text, evaluate, _ = gen_expr(rng, MAX_DEPTH)
        name = f"f{seed}_{i}"
        lines.append(f"def {name}(a, b, x, y):\n    return {text}\n")
        functions.append((name, evaluate, text))
    return "\n".join(lines), functions


def load(tmp_path, seed, source):
    path = tmp_path / f"fuzz_scalar_{seed}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


def input_sets(rng, count=12):
    return [
        (rng.choice(INT_INPUTS), rng.choice(INT_INPUTS), rng.choice(FLOAT_INPUTS), rng.choice(FLOAT_INPUTS))
        for _ in range(count)
    ]


@pytest.mark.parametrize("seed", SEEDS)
def test_random_scalar_expressions_match_cpython(tmp_path, seed):
    source, functions = generate(seed)
    module = load(tmp_path, seed, source)
    rng = random.Random(1000 + seed)
    compared = 0
    for name, evaluate, text in functions:
        compiled = njit(getattr(module, name))
        inputs = input_sets(rng)
        expected_results = []
        for args in inputs:
            env = dict(zip("abxy", args))
            try:
                expected_results.append(("value", evaluate(env)))
            except OutOfInt64:
                expected_results.append(("skip", None))
            except (ZeroDivisionError, OverflowError, ValueError) as exc:
                expected_results.append(("raises", type(exc)))
        for args, (kind, expected) in zip(inputs, expected_results):
            where = f"seed {seed}, {name}{args}: return {text}"
            if kind == "skip":
                continue
            if kind == "raises":
                try:
                    got = compiled(*args)
                except Exception as exc:  # noqa: BLE001 (compared with CPython's class)
                    assert type(exc) is expected, f"{where}: raised {type(exc).__name__}: {exc}; CPython raised {expected.__name__}"
                else:
                    pytest.fail(f"{where}: returned {got!r}; CPython raised {expected.__name__}")
                compared += 1
                continue
            try:
                got = compiled(*args)
            except Exception as exc:  # noqa: BLE001 (reported with the case)
                pytest.fail(f"{where}: raised {type(exc).__name__}: {exc}; CPython gave {expected!r}")
            assert_same(got, expected, where=where)
            compared += 1
    assert compared > FUNCTIONS_PER_SEED * 3, "too few cases were comparable"
