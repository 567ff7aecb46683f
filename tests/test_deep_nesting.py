"""Deeply nested code compiles whatever the calling thread's stack: the compiler's recursive
stages run on a stack of their own. Each case runs in a child process, since the failure this
guards against is a crash (SIGSEGV), not an exception."""

import subprocess
import sys

import pytest

# Bodies as deep as CPython 3.11 still compiles (it stops near 3,000 levels).
BODIES = {
    "sum of 400 terms": "return " + " + ".join(["x"] * 400),
    "sum of 2,900 terms": "return " + " + ".join(["x"] * 2900),
    "2,000 unary minuses": "return " + "-" * 2000 + "x",
    "1,000 elif branches": "if x == 0:\n        return 0\n" + "".join(
        f"    elif x == {i}:\n        return {i}\n" for i in range(1, 1000)
    ) + "    return -1",
}

# 128 KB is musl's default thread stack, 512 KB macOS's.
STACKS = [128 << 10, 512 << 10]

SCRIPT = """
import gc, sys, threading
sys.path.insert(0, {dir!r})
import deep_module
from ferrojit import njit

threading.stack_size({stack})
results = []

def run():
    # Compiled, called, and dropped (the trees are freed) on the small stack.
    f = njit(deep_module.f)
    results.append(f(3))
    del f
    gc.collect()

thread = threading.Thread(target=run)
thread.start()
thread.join()
print(results[0], deep_module.f(3))
"""


@pytest.mark.parametrize("stack", STACKS, ids=lambda s: f"{s >> 10}KB")
@pytest.mark.parametrize("body", list(BODIES.values()), ids=list(BODIES))
def test_deep_code_compiles_on_a_small_thread_stack(tmp_path, body, stack):
    (tmp_path / "deep_module.py").write_text(f"def f(x):\n    {body}\n")
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(dir=str(tmp_path), stack=stack)],
        capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    compiled, interpreted = run.stdout.split()
    assert compiled == interpreted

