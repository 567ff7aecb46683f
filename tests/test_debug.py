"""Debugging aids: FERROJIT_DUMP_IR, compile statistics, and functions without source."""

import os
import subprocess
import sys
import textwrap

import pytest

import ferrojit
from ferrojit import njit


def test_dump_ir_prints_typed_and_llvm_ir(tmp_path):
    script = tmp_path / "dump_me.py"
    script.write_text(textwrap.dedent("""
        from ferrojit import njit

        @njit
        def halve(n):
            return n / 2

        print("result", halve(3))
    """))
    env = dict(os.environ, FERROJIT_DUMP_IR="1")
    out = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, check=True).stdout
    assert "---- typed IR: halve ----" in out
    assert "fn halve(n.0: int64) -> float64" in out
    assert "---- optimised LLVM IR: halve ----" in out
    assert "define" in out and "fdiv" in out
    assert out.rstrip().endswith("result 1.5")


def test_no_dump_without_the_variable(capfd):
    @njit
    def add_one(x):
        return x + 1

    assert add_one(1) == 2
    assert "typed IR" not in capfd.readouterr().out


def test_stats_name_each_signature_and_stage():
    @njit
    def twice(x):
        return x * 2

    twice(1)
    twice(1.5)
    stats = twice._stats()
    assert [s["signature"] for s in stats] == [("int64",), ("float64",)]
    assert [s["return_type"] for s in stats] == ["int64", "float64"]
    for s in stats:
        for stage in ("infer", "lower", "optimize", "machine_code"):
            assert 0.0 <= s[stage] < 10.0


def test_function_whose_source_cannot_be_rebuilt_is_a_clear_error():
    namespace = {}
    exec("def made_up(x, c):\n    class Local:\n        pass\n    return x + 1\n", namespace)
    f = njit(namespace["made_up"])
    with pytest.raises(ferrojit.errors.UnsupportedError, match="cannot find the source code of `made_up`"):
        f(1, True)


def test_internal_error_is_a_compile_error():
    assert issubclass(ferrojit.errors.InternalError, ferrojit.errors.CompileError)


def test_timing_prints_every_stage(tmp_path):
    script = tmp_path / "timed.py"
    script.write_text(textwrap.dedent("""
        from ferrojit import njit

        @njit
        def halve(n):
            return n / 2

        halve(3)
        halve(3.0)
    """))
    env = dict(os.environ, FERROJIT_TIMING="1")
    err = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, check=True).stderr
    lines = [l for l in err.splitlines() if l.startswith("ferrojit: ")]
    assert len(lines) == 2
    assert lines[0].startswith("ferrojit: halve(int64) -> float64: source ")
    assert lines[1].startswith("ferrojit: halve(float64) -> float64: source ")
    for stage in ("infer", "lower", "optimize", "machine code", "total"):
        assert f"{stage} " in lines[0]


def test_stats_include_the_source_time():
    @njit
    def triple(x):
        return 3 * x

    triple(1)
    assert triple.stats()[0]["source"] > 0.0
