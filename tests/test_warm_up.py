"""The background warm-up started by `import ferrojit` (LLVM's one-time set-up).

A compilation may start while the warm-up runs, the process may fork or exit while it runs,
and it can be turned off with FERROJIT_WARM_UP=0: each must still give the right results,
neither hang nor crash. Each case runs in a fresh interpreter, where the warm-up is fresh.
"""

import os
import subprocess
import sys
import textwrap

import pytest

KERNELS = """
    import numpy as np
    from ferrojit import njit

    @njit
    def total(a):
        s = 0.0
        for i in range(a.shape[0]):
            s += a[i] * 2.0
        return s

    @njit
    def fib(n):
        return n if n < 2 else fib(n - 1) + fib(n - 2)

    def check():
        assert total(np.arange(10.0)) == 90.0
        assert fib(20) == 6765
"""


def run_script(tmp_path, body, env=None, runs=1):
    script = tmp_path / "script.py"
    script.write_text(textwrap.dedent(KERNELS) + textwrap.dedent(body))
    for _ in range(runs):
        proc = subprocess.run([sys.executable, str(script)], env=dict(os.environ, **(env or {})),
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        assert proc.stderr == ""
        yield proc.stdout


@pytest.mark.parametrize("delay", [0.0, 0.002, 0.2])
def test_compiling_while_the_warm_up_runs(tmp_path, delay):
    # No delay: the first compilation starts while the warm-up sets LLVM up; 0.2 s: after it.
    body = f"""
        import time
        time.sleep({delay})
        check()
        print("ok")
    """
    assert list(run_script(tmp_path, body, runs=3)) == ["ok\n"] * 3


def test_fork_right_after_import(tmp_path):
    # The child must not inherit LLVM's locks from a warm-up thread it does not have.
    body = """
        import os
        pid = os.fork()
        if pid == 0:
            try:
                check()
            except BaseException:
                os._exit(1)
            os._exit(0)
        check()
        _, status = os.waitpid(pid, 0)
        print("child", os.waitstatus_to_exitcode(status))
    """
    assert list(run_script(tmp_path, body, runs=3)) == ["child 0\n"] * 3


def test_fork_pool_right_after_import(tmp_path):
    body = """
        import multiprocessing

        def work(n):
            return fib(n)

        if __name__ == "__main__":
            with multiprocessing.get_context("fork").Pool(2) as pool:
                print(pool.map(work, [10, 15, 20]))
    """
    assert list(run_script(tmp_path, body)) == ["[55, 610, 6765]\n"]


def test_exit_right_after_import(tmp_path):
    # Interpreter shutdown waits for the warm-up instead of destroying LLVM under it.
    assert list(run_script(tmp_path, "print('bye')", runs=5)) == ["bye\n"] * 5


def test_warm_up_can_be_turned_off(tmp_path):
    body = """
        import os
        names = [open(f"/proc/self/task/{t}/comm").read().strip() for t in os.listdir("/proc/self/task")]
        print("warm-up thread" if "ferrojit-warm-up" in names else "no warm-up thread")
        check()
    """
    assert list(run_script(tmp_path, body, env={"FERROJIT_WARM_UP": "0"})) == ["no warm-up thread\n"]
