"""cache=True: machine code on disk, reused by a second process, invalidated by edits."""

import json
import os
import subprocess
import sys
import textwrap

MODULE = textwrap.dedent("""
    from ferrojit import njit

    SCALE = {scale}

    @njit(cache=True)
    def helper(x):
        return x * SCALE + {offset}

    @njit(cache=True)
    def total(n):
        s = 0
        for i in range(n):
            s += helper(i)
        return s
""")

RUNNER = textwrap.dedent("""
    import json, sys
    sys.path.insert(0, sys.argv[1])
    import cached_mod
    result = cached_mod.total(10)
    stats = cached_mod.total._stats()[0]
    print(json.dumps({"result": result, "hit": stats["cache_hit"]}))
""")


def write_module(tmp_path, scale=3, offset=0):
    (tmp_path / "cached_mod.py").write_text(MODULE.format(scale=scale, offset=offset))


def run(tmp_path, env=None):
    script = tmp_path / "runner.py"
    script.write_text(RUNNER)
    out = subprocess.run(
        [sys.executable, str(script), str(tmp_path)],
        capture_output=True, text=True, check=True, env=dict(os.environ, **(env or {})),
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def cache_files(directory):
    return sorted(p for p in directory.glob("*.fjc"))


def test_second_process_loads_without_compiling(tmp_path):
    write_module(tmp_path)
    first = run(tmp_path)
    assert first == {"result": 135, "hit": False}
    assert len(cache_files(tmp_path / "__pycache__")) >= 1
    second = run(tmp_path)
    assert second == {"result": 135, "hit": True}


def test_editing_a_callee_or_a_global_invalidates(tmp_path):
    write_module(tmp_path)
    assert run(tmp_path)["hit"] is False
    assert run(tmp_path)["hit"] is True
    write_module(tmp_path, offset=1)  # edit the callee only
    assert run(tmp_path) == {"result": 145, "hit": False}
    assert run(tmp_path) == {"result": 145, "hit": True}
    write_module(tmp_path, scale=4, offset=1)  # change a frozen global
    assert run(tmp_path) == {"result": 190, "hit": False}


def test_corrupt_or_truncated_files_are_ignored_and_rewritten(tmp_path):
    write_module(tmp_path)
    run(tmp_path)
    for damage in (lambda b: b[: len(b) // 2], lambda b: b[:20] + bytes([b[20] ^ 0xFF]) + b[21:], lambda b: b"garbage"):
        for path in cache_files(tmp_path / "__pycache__"):
            path.write_bytes(damage(path.read_bytes()))
        assert run(tmp_path) == {"result": 135, "hit": False}
        assert run(tmp_path) == {"result": 135, "hit": True}


def test_concurrent_writers_leave_a_valid_cache(tmp_path):
    write_module(tmp_path)
    script = tmp_path / "runner.py"
    script.write_text(RUNNER)
    procs = [subprocess.Popen([sys.executable, str(script), str(tmp_path)], stdout=subprocess.PIPE, text=True) for _ in range(4)]
    results = [json.loads(p.communicate()[0].strip().splitlines()[-1]) for p in procs]
    assert all(r["result"] == 135 for r in results)
    assert not list((tmp_path / "__pycache__").glob("*.tmp*"))
    assert run(tmp_path) == {"result": 135, "hit": True}


def test_cache_dir_from_the_environment(tmp_path):
    write_module(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    assert run(tmp_path, {"FERROJIT_CACHE_DIR": str(elsewhere)})["hit"] is False
    assert cache_files(elsewhere)
    assert not (tmp_path / "__pycache__").exists() or not cache_files(tmp_path / "__pycache__")
    assert run(tmp_path, {"FERROJIT_CACHE_DIR": str(elsewhere)})["hit"] is True


PARALLEL_MODULE = textwrap.dedent("""
    import numpy as np
    from ferrojit import njit, prange

    @njit(cache=True, parallel=True)
    def total(n):
        # A prange loop (its chunk function) and a whole-array expression (its kernel): the
        # functions that run on the pool are compiled in a module of their own, and the cache
        # entry keeps both objects.
        s = 0.0
        for i in prange(n):
            s += i * 0.5
        a = np.arange(n) * 2.0
        return s + (a * a).sum()
""")


def test_parallel_functions_are_cached_with_their_pool_functions(tmp_path):
    (tmp_path / "cached_mod.py").write_text(PARALLEL_MODULE)
    expected = sum(i * 0.5 for i in range(10)) + sum((2.0 * i) ** 2 for i in range(10))
    assert run(tmp_path) == {"result": expected, "hit": False}
    [entry] = cache_files(tmp_path / "__pycache__")
    assert entry.read_bytes().count(b"\x7fELF") == 2  # the caller's object and the pool's
    assert run(tmp_path) == {"result": expected, "hit": True}
