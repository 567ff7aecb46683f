"""Differential fuzzing of container code: random functions that build and change lists, dicts,
sets and strings, compiled by ferrojit and run by CPython on the same arguments, must return
the same values of the same types (dicts in the same insertion order), leave a list argument
in the same state (lists are reflected), or raise the same exception with the same message.

Each function is a random sequence of statements over typed variables (ints `a`, `b`, `acc`;
lists of ints `xs` (the argument) and `ys`; a dict `d` of str to int; a set `st` of ints;
strings `s` (the argument) and `t`; a list of strings `parts`; an int `u` and a list of ints
`w` that are assigned only when `a > 0`, then in branches and loops, read and deleted: where
they have no value CPython raises `UnboundLocalError`), written so that every variable keeps
one type, as compiled code requires. CPython runs the very same text, so there is no
model of the semantics to get wrong.

The generator is seeded: a failure names the seed and prints the function's source, and
reproduces. `FERROJIT_FUZZ_SEEDS=N` runs N seeds instead of the default (each seed makes
`PROGRAMS_PER_SEED` functions): `FERROJIT_FUZZ_SEEDS=500` runs 10,000 programs.

Documented differences from CPython are kept out of the programs instead of tested:
- ints are 64-bit: values stay small (no products of variables) and a program whose CPython
  results hold an int outside int64 is skipped;
- a compiled set iterates in the order its items were added, CPython's in hash order: sets are
  only measured, tested and compared as sets, never iterated.
"""

import importlib.util
import os
import random
import sys

import pytest

from ferrojit import njit
from helpers import assert_same

SEEDS = range(int(os.environ.get("FERROJIT_FUZZ_SEEDS", "20")))
PROGRAMS_PER_SEED = 20
STATEMENTS = (4, 12)
INT64 = (-(2**63), 2**63 - 1)

INT_LITERALS = [0, 1, 2, 3, 5, 7, -1, -4, 10]
STR_LITERALS = ["", "a", "b", "ab", ",", "x,y", " Hi ", "é", "日本", "a,b,,c", "--", "Zz"]
LIST_ARGUMENTS = [[], [3, -1, 4, 1, 5], [7], list(range(10)), [2, 2, 0, -3]]
STR_ARGUMENTS = ["", "a,b,c", "Hello, World", "日本,語", "  x  y  ", "ab"]
INT_ARGUMENTS = [0, 1, -2, 5, 9]


class Gen:
    """One random function's text, statement by statement."""

    def __init__(self, rng):
        self.rng = rng

    def pick(self, *options):
        return self.rng.choice(options)

    # ---- expressions (text only; each has one static type) -----------------------------------

    def int_expr(self, depth=2):
        r = self.rng.random()
        if depth == 0 or r < 0.3:
            return self.pick("a", "b", "acc", repr(self.rng.choice(INT_LITERALS)), "len(xs)", "len(s)", "len(d)", "len(st)")
        r = self.rng.random()
        if r < 0.25:
            op = self.pick("+", "-", "%", "//")
            left, right = self.int_expr(depth - 1), self.int_expr(depth - 1)
            if op in "%//":
                right = f"(abs({right}) + 1)"
            return f"({left} {op} {right})"
        k = self.int_expr(depth - 1)
        return self.pick(
            f"(xs[{k} % len(xs)] if xs else 0)",
            f"xs.count({k})",
            f"sum(xs)",
            f"min(xs, default={k})",
            f"max(xs, default=-1)",
            f"(xs.index({k}) if {k} in xs else -1)",
            f"sum(1 for x in xs if x > {k})",
            f"len([x for x in ys if x % 2 == 0])",
            f"s.find({self.str_literal()})",
            f"s.count({self.str_literal()})",
            f"d.get({self.str_expr(0)}, {k})",
            f"int({self.str_expr(0)} in d)",
            f"int({k} in st)",
            f"(ord(s[0]) if s else {k})",
            f"len(parts)",
            f"sum([len(p) for p in parts])",
            f"abs({k})",
            f"min({k}, {self.int_expr(depth - 1)})",
            f"int(str(abs({k}) % 1000))",
            f"len(f'{{{self.int_expr(0)}}}{{s}}')",
            f"len(sorted(d))",
            f"int(xs == ys) + int(xs < ys)",
            f"(xs.index({k}, 1) if {k} in xs[1:] else -2)",
            f"int(any(x > {k} for x in xs)) + int(all(x != {k} for x in ys))",
            f"max(xs, key=abs, default={k})",
            f"min(parts, key=len, default='').count('a')",
            f"sum(map(len, parts))",
            f"len(list(filter(lambda x: x > {k}, xs)))",
            f"sum([i * x for i, x in enumerate(ys, {k} % 3)])",
            f"s.rfind({self.str_literal()})",
            f"int(s.isdigit()) + int(s.isalpha()) + int(s.endswith(('a', 'c')))",
            f"len(s.rsplit(',', 1))",
            f"len(s.splitlines())",
            f"len(d.copy()) + len(list(d))",
            f"len({{x % 5 for x in xs}})",
        )

    def str_literal(self):
        return repr(self.rng.choice(STR_LITERALS))

    def str_expr(self, depth=2):
        if depth == 0 or self.rng.random() < 0.3:
            return self.pick("s", "t", self.str_literal())
        inner = self.str_expr(depth - 1)
        k = self.int_expr(0)
        return self.pick(
            f"({inner} + {self.str_expr(depth - 1)})",
            f"{inner}[{k} % (len({inner}) + 1):]",
            f"{inner}[::-1]",
            f"{inner}[::2]",
            f"{inner}.upper()",
            f"{inner}.lower()",
            f"{inner}.strip()",
            f"{inner}.title()",
            f"{inner}.replace({self.str_literal()}, {self.str_literal()})",
            f"{inner}.lstrip({self.str_literal()})",
            f"{inner}.center(abs({k}) % 12, '*')",
            f"{inner}.zfill(abs({k}) % 9)",
            f"str({k})",
            # Python 3.11's f-strings take no quotes of their own kind inside: plain operands.
            f'f"{{{self.int_expr(0)}}}:{{{self.str_expr(0)}}}"',
            f'f"{{{self.int_expr(0)}:>4}}|{{{self.str_expr(0)}!r}}"',
            f"','.join(parts)",
            f"'-'.join([p.strip() for p in parts])",
            f"(parts[{k} % len(parts)] if parts else '')",
            f"chr(65 + abs({k}) % 26)",
            f"repr({inner})",
            f"{inner}.partition(',')[{self.pick('0', '2')}]",
            f"{inner}.swapcase()",
            f"{inner}.casefold()",
            f"{inner}.rjust(abs({k}) % 8, '.')",
            f"{inner}.ljust(abs({k}) % 8)",
            f"('%d-%s' % ({k}, {self.str_expr(0)}))",
            f"'{{}}:{{!r}}'.format({k}, {self.str_expr(0)})",
            f"' '.join(sorted(set(parts)))",
            f"''.join(sorted(parts, key=len, reverse=True))",
            f"{inner}.removeprefix({self.str_literal()})",
        )

    def list_expr(self):
        k = self.int_expr(1)
        return self.pick(
            "xs",
            "ys",
            f"[{k}, {self.int_expr(1)}]",
            f"xs[{self.pick('1', '-2', '0')}:{self.pick('3', '-1', '10')}:{self.pick('1', '2', '-1')}]",
            "sorted(xs)",
            "sorted(ys, reverse=True)",
            "xs + ys",
            "[x * 2 for x in xs]",
            f"[x for x in xs if x % 3 != {self.pick('0', '1')}]",
            f"list(range(abs({k}) % 6))",
            "ys * 2",
            "[x for x in reversed(xs)]",
            "[len(p) for p in parts]",
            "sorted(d.values())",
            "[v for k, v in d.items() if len(k) > 1]",
            "sorted(xs, key=lambda x: (x % 3, -x))",
            "list(filter(lambda x: x % 2 == 1, ys))",
            "list(map(lambda x: x - 1, xs))",
            "xs.copy()",
            "[len(k) for k in d.keys()]",
            "sorted({x % 4 for x in xs})",
        )

    # ---- statements (lists of lines, indented by the caller) ---------------------------------

    def statement(self, depth=1):
        i, j = self.int_expr(), self.int_expr()
        r = self.rng.random()
        if depth > 0 and r < 0.12:
            return self.loop(depth)
        if depth > 0 and r < 0.2:
            cond = f"{self.int_expr()} {self.pick('<', '>', '==', '!=')} {self.int_expr()}"
            then = self.statement(depth - 1)
            other = self.statement(depth - 1)
            return [f"if {cond}:", *self.indent(then), "else:", *self.indent(other)]
        return [
            self.pick(
                f"acc += {i}",
                f"a = {i}",
                f"b = {i} - {j}",
                f"xs.append({i})",
                f"xs.insert({i}, {j})",
                f"xs.extend({self.list_expr()})",
                "acc += xs.pop()",
                f"acc += xs.pop({i})",
                f"xs.remove({i})",
                "xs.sort()",
                "xs.sort(reverse=True)",
                "xs.reverse()",
                f"xs[{i}] = {j}",
                f"del xs[{i}]",
                f"xs[{self.pick('0', '1', '-2')}:{self.pick('2', '-1', '5')}] = {self.list_expr()}",
                f"del xs[{self.pick('1', '-3')}:{self.pick('3', '-1')}]",
                f"ys = {self.list_expr()}",
                f"xs += [{i}]",
                f"d[{self.str_expr()}] = {i}",
                f"d[{self.str_expr(1)}] = d.get({self.str_expr(1)}, 0) + 1",
                f"acc += d.pop({self.str_expr(1)}, {i})",
                f"del d[{self.str_expr(1)}]",
                f"acc += d.setdefault({self.str_expr(1)}, {i})",
                f"acc += d[{self.str_expr(1)}]",
                f"d.update({{{self.str_expr(1)}: {i}}})",
                f"st.add({i})",
                f"st.discard({i})",
                "st = st | set(xs)",
                f"st = st & {{{i}, 1, 2, 3}}",
                f"st.remove({i})",
                f"acc += len(st) + int({i} in st)",
                f"s = {self.str_expr()}",
                f"t = {self.str_expr()}",
                f"s += {self.str_expr(1)}",
                f"parts = s.split({self.pick(repr(','), repr(' '), repr('a'))})",
                "parts = s.split()",
                f"parts.append({self.str_expr(1)})",
                "parts.sort()",
                f"t = {self.str_expr(1)}[{i}]",
                f"acc += int({self.str_expr(1)}.startswith({self.str_literal()}))",
                "xs.sort(key=lambda x: -x)",
                f"d = {{p: len(p) + {i} for p in parts}}",
                "d = {k: v + 1 for k, v in d.items() if v % 2 == 0}",
                "acc += d.popitem()[1]",
                f"st = {{x % 5 for x in xs}} | {{{i}}}",
                "acc += len(st - {1, 2}) + len(st ^ set(ys))",
                f"parts = [p.upper() for p in parts if p != {self.str_literal()}]",
                f"t = s.join(parts[:{self.pick('1', '2', '3')}])",
                "ys = [x for x in xs if x in st]",
                f"u = {i}",
                "acc += u",
                f"w = {self.list_expr()}",
                "acc += len(w)",
                "del u",
            )
        ]

    def loop(self, depth):
        body = self.statement(depth - 1)
        header = self.pick(
            f"for x in {self.list_expr()}:",
            "for i, p in enumerate(parts):",
            "for k, v in d.items():",
            "for ch in s:",
            "for x, y in zip(xs, ys):",
            f"for x in range(abs({self.int_expr(1)}) % 5):",
        )
        use = {
            "for x": "acc += x % 7",
            "for i,": "acc += i + len(p)",
            "for k,": "acc += v + len(k)",
            "for ch": "acc += ord(ch) % 5",
        }
        extra = next((line for prefix, line in use.items() if header.startswith(prefix)), "acc += x - y")
        # Loops never change the length of what they iterate (CPython would run on, skip items
        # or raise RuntimeError): no changes to lists or the dict in loop bodies.
        changes = ("xs.", "xs +=", "del xs", "xs[", "ys =", "parts.", "d[", "del d", "acc += d.pop", "acc += d.setdefault", "d.update")
        body = [line for line in body if not line.lstrip().startswith(changes)] or ["acc += 1"]
        return [header, *self.indent([extra, *body])]

    @staticmethod
    def indent(lines):
        return ["    " + line for line in lines]


def generate(seed):
    """(module source, [function names]) for one seed."""
    rng = random.Random(seed)
    gen = Gen(rng)
    chunks, names = [], []
    for n in range(PROGRAMS_PER_SEED):
        name = f"f{seed}_{n}"
        body = ["acc = 0", "ys = [1, 2]", "d = {'a': 1, 'b': 2}", "st = {1, 2}", "t = 'x'", "parts = s.split(',')"]
        # `u` and `w` may have no value (see the module documentation).
        body += ["if a > 0:", "    u = b", "    w = [a, b]"]
        for _ in range(rng.randint(*STATEMENTS)):
            body += gen.statement()
        body.append("return acc, a, b, xs, ys, d, st, s, t, parts")
        chunks.append(f"def {name}(xs, s, a, b):\n" + "\n".join(Gen.indent(body)) + "\n")
        names.append(name)
    return "\n\n".join(chunks), names


def load(tmp_path, seed, source):
    path = tmp_path / f"fuzz_containers_{seed}.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


def outcome(func, args):
    """What a call does: ("value", comparable result, the list argument after) or ("raises",
    class, message, the list argument after)."""
    xs = list(args[0])
    try:
        result = func(xs, *args[1:])
    except (IndexError, KeyError, ValueError, ZeroDivisionError, UnboundLocalError) as exc:
        return ("raises", type(exc), str(exc), xs)
    acc, a, b, out_xs, ys, d, st, s, t, parts = result
    # Dicts by their items in order; sets as sorted lists (their order is not compared).
    return ("value", (acc, a, b, out_xs, ys, list(d.items()), sorted(st), s, t, parts), xs)


def fits_int64(value):
    if isinstance(value, bool):
        return True
    if isinstance(value, int):
        return INT64[0] <= value <= INT64[1]
    if isinstance(value, (list, tuple)):
        return all(fits_int64(v) for v in value)
    return True


def argument_sets(rng, count=4):
    """Argument tuples; the first has a non-empty list, whose type the function is compiled
    for (an empty list argument takes the type of the signature compiled before it)."""
    sets = [
        (rng.choice(LIST_ARGUMENTS[1:] if k == 0 else LIST_ARGUMENTS), rng.choice(STR_ARGUMENTS), rng.choice(INT_ARGUMENTS), rng.choice(INT_ARGUMENTS))
        for k in range(count)
    ]
    return sets


@pytest.mark.parametrize("seed", SEEDS)
def test_random_container_code_matches_cpython(tmp_path, seed):
    source, names = generate(seed)
    module = load(tmp_path, seed, source)
    rng = random.Random(5000 + seed)
    compared = raised = 0
    for name in names:
        func = getattr(module, name)
        compiled = njit(func)
        for args in argument_sets(rng):
            expected = outcome(func, args)
            if not fits_int64(expected[1:]):
                continue
            where = f"seed {seed}, {name}{args}\n{source.split(f'def {name}(')[1].split(chr(10) + chr(10))[0]}"
            try:
                got = outcome(compiled, args)
            except Exception as exc:  # noqa: BLE001 (reported with the case)
                pytest.fail(f"{where}\nraised {type(exc).__name__}: {exc}; CPython gave {expected!r}")
            if expected[0] == "raises":
                assert got[0] == "raises", f"{where}\nreturned {got[1]!r}; CPython raised {expected[1].__name__}: {expected[2]}"
                assert got[1:3] == expected[1:3], f"{where}\nraised {got[1].__name__}: {got[2]}; CPython raised {expected[1].__name__}: {expected[2]}"
                raised += 1
            else:
                assert got[0] == "value", f"{where}\nraised {got[1].__name__}: {got[2]}; CPython gave {expected[1]!r}"
                assert_same(got[1], expected[1], where=where)
            assert_same(got[-1], expected[-1], where=f"{where}\nthe list argument after the call")
            compared += 1
    assert compared >= PROGRAMS_PER_SEED * 2, "too few cases were comparable"
