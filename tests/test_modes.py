"""Compilation modes (nopython, object-mode fallback, forceobj, disabled JIT) and inspection."""

import inspect
import io
import multiprocessing
import os
import pickle
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pandas as pd
import pytest

import ferrojit
from ferrojit import jit, njit


class Opaque:
    pass


def makes_an_object(a):
    box = Opaque()
    return a + 1


def test_njit_raises_where_jit_falls_back():
    with pytest.raises(ferrojit.errors.TypingError, match="Opaque"):
        njit(makes_an_object)(1)
    with pytest.raises(ferrojit.errors.TypingError):
        jit(nopython=True)(makes_an_object)(1)


def test_jit_falls_back_once_with_a_warning_naming_the_line():
    f = jit(makes_an_object)
    line = inspect.getsourcelines(makes_an_object)[1] + 1
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert f(1) == 2
        assert f(2) == 3
        assert f(2.5) == 3.5
    ours = [w for w in caught if issubclass(w.category, ferrojit.errors.FerrojitWarning)]
    assert len(ours) == 1
    message = str(ours[0].message)
    assert "object mode" in message
    assert f'test_modes.py", line {line}' in message
    assert "box = Opaque()" in message


def use_pandas(a):
    df = pd.DataFrame.from_dict(a)
    df += 1
    return df.cov()


def test_seed_pandas_example_runs_in_object_mode():
    x = {"a": [1, 2, 3], "b": [20, 30, 40]}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = jit(use_pandas)(x)
    pd.testing.assert_frame_equal(result, use_pandas(x))
    assert any(issubclass(w.category, ferrojit.errors.FerrojitWarning) for w in caught)


def test_forceobj_runs_plain_python_without_compiling():
    def twice(x):
        return x * 2

    f = jit(forceobj=True)(twice)
    assert f("ab") == "abab"
    assert f(3) == 6
    assert f.signatures == []


def test_function_without_source_njit_error_jit_object_mode():
    # A function defined in `exec` whose text cannot be rebuilt from its bytecode: `njit`
    # refuses it, `@jit` runs it as plain Python with a warning saying why.
    namespace = {}
    exec("def made_up(x, c):\n    class Local:\n        pass\n    return x + 1\n", namespace)
    with pytest.raises(ferrojit.errors.UnsupportedError, match="source"):
        njit(namespace["made_up"])(1, True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert jit(namespace["made_up"])(1, True) == 2
    assert any("source" in str(w.message) for w in caught)


def test_disable_jit_returns_the_plain_function(tmp_path):
    script = tmp_path / "plain.py"
    script.write_text(textwrap.dedent("""
        from ferrojit import njit, jit

        @njit
        def f(x):
            return x + 1

        @jit("int32(int32)")
        def g(x):
            return x

        print(type(f).__name__, type(g).__name__, f(1))
    """))
    env = dict(os.environ, FERROJIT_DISABLE_JIT="1")
    out = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "function function 2"


def accumulate(a, b):
    t = a + b
    for i in range(3):
        t += i
    return t


def test_inspect_types_llvm_asm():
    f = njit(accumulate)
    f(1, 2)
    f(1.0, 2)
    buffer = io.StringIO()
    f.inspect_types(file=buffer)
    text = buffer.getvalue()
    assert "accumulate (int64, int64) -> int64" in text
    assert "accumulate (float64, int64) -> float64" in text
    assert "# t: float64" in text and "# t: int64" in text
    llvm = f.inspect_llvm()
    assert set(llvm) == {(ferrojit.int64, ferrojit.int64), (ferrojit.float64, ferrojit.int64)}
    assert all("define" in ir for ir in llvm.values())
    asm = f.inspect_asm((ferrojit.int64, ferrojit.int64))
    assert "ferrojit_entry:" in asm
    with pytest.raises(KeyError):
        f.inspect_llvm((ferrojit.int32,))




@njit
def cube(x):
    return x * x * x


def test_dispatchers_pickle_by_reference():
    again = pickle.loads(pickle.dumps(cube))
    assert again is cube


def _worker(n):
    return cube(n)


def test_dispatchers_work_in_worker_processes():
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        assert pool.map(_worker, [1, 2, 3]) == [1, 8, 27]
