"""Daemon threads that use compiled code while the main thread exits.

While CPython (up to 3.13) finalizes, a daemon thread that takes the GIL back is ended by a
forced unwind of its stack (pthread_exit). Compiled calls release the GIL (nogil=True),
compilation and the warm-up wait release it too: none of them may turn that into an abort of
the process ("FATAL: exception not rethrown", exit status 134). Each scenario runs as a fresh
process many times, since the outcome depends on where each thread is when the main thread
exits; every run must exit 0 with the expected output and nothing on stderr.
"""

import os
import subprocess
import sys
import textwrap

import pytest

# Shared by the scripts (written to files: ferrojit compiles from source files): daemon threads run `body` in a loop; the main thread waits until
# each has done it once, lets them run a little longer (a different while in each run, so
# that exits land at different points), prints "done" and exits.
PRELUDE = """
import os, random, sys, threading, time, traceback
import numpy as np
from ferrojit import njit, jit, vectorize

def start(bodies):
    started = [threading.Event() for _ in bodies]
    def loop(body, event):
        try:
            while True:
                body()
                event.set()
        except BaseException:
            traceback.print_exc()
            os._exit(3)
    for body, event in zip(bodies, started):
        threading.Thread(target=loop, args=(body, event), daemon=True).start()
    for event in started:
        event.wait()
    time.sleep(random.uniform(0, 0.02))
    print("done", file=sys.__stdout__, flush=True)
"""

CALLS = """
@njit(nogil=True)
def total(n):
    s = 0
    for i in range(n):
        s += i
    return s

@njit(nogil=True)
def scaled_sum(a, factor=2.0):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] * factor
    return s

@jit(forceobj=True)
def plain(x):
    return x + 1

total(10)
scaled_sum(np.ones(4))
data = np.ones(1000)
start([
    lambda: total(20000),
    lambda: total(n=20000),
    lambda: scaled_sum(data, factor=3.0),
    lambda: plain(1),
])
"""

# Every iteration compiles a new signature (a longer tuple), so compilation is under way when
# the main thread exits; `nogil` makes each first call release the GIL as well.
COMPILES = """
@njit(nogil=True)
def first(t):
    return t[0] + len(t)

counter = iter(range(1, 10**6))
start([lambda: first((1,) * next(counter)) for _ in range(2)])
"""

COMPILE_WHILE_CALLING = """
@njit(nogil=True)
def first(t):
    return t[0] + len(t)

@njit(nogil=True)
def total(n):
    s = 0
    for i in range(n):
        s += i
    return s

counter = iter(range(1, 10**6))
start([lambda: first((1,) * next(counter)), lambda: total(20000), lambda: total(20000)])
"""

# NumPy releases the GIL around a ufunc's inner loop over a large array and takes it back.
UFUNCS = """
@vectorize(["float64(float64, float64)"], nogil=True)
def axpy(x, y):
    return 2.0 * x + y

@vectorize
def lazy_square(x):
    return x * x

big = np.linspace(0.0, 1.0, 2_000_000)
start([lambda: axpy(big, big), lambda: lazy_square(big)])
"""

# Parallel loops and parallel ufuncs on daemon threads: the callers and the pool's threads run
# chunks while the interpreter exits (they never take the GIL for this code; a caller waits
# for its helpers without it).
PARALLEL_LOOPS = """
from ferrojit import prange

@njit(parallel=True)
def psum(a):
    s = 0.0
    for i in prange(a.shape[0]):
        s += a[i] * 2.0
    return s

@vectorize(["float64(float64, float64)"], target="parallel")
def paxpy(x, y):
    return 2.0 * x + y

big = np.linspace(0.0, 1.0, 2_000_000)
start([lambda: psum(big), lambda: paxpy(big, big)])
"""

# Exit right after the import: the warm-up thread may still run and is waited for at exit
# (releasing the GIL) while daemon threads make their first calls, which compile.
RIGHT_AFTER_IMPORT = """
import threading
from ferrojit import njit

@njit(nogil=True)
def total(n):
    s = 0
    for i in range(n):
        s += i
    return s

def loop():
    while True:
        total(1000)

for _ in range(2):
    threading.Thread(target=loop, daemon=True).start()
print("done", flush=True)
"""

# Compiled `print()` without the GIL. sys.stdout is a Python object, whose `write` runs Python
# code (the interpreter may switch threads in it, releasing and retaking the GIL); not a
# buffered file, whose lock a daemon thread may hold at exit, which CPython itself reports as a
# fatal error ("_enter_buffered_busy"), with or without compiled code.
PRINTS = """
class Sink:
    def write(self, text):
        return len(text)
    def flush(self):
        pass

sys.stdout = Sink()

@njit(nogil=True)
def report(n):
    s = 0
    for i in range(n):
        s += i
    print("total", s)
    return s

report(1)
start([lambda: report(1000), lambda: report(1000)])
"""

# Compiled `print()` in calls holding the GIL, on daemon threads: their output waits until the
# call returns, since writing may release and retake the GIL.
PRINTS_HOLDING_THE_GIL = PRINTS.replace("@njit(nogil=True)", "@njit")

SCENARIOS = [
    pytest.param(PRELUDE + CALLS, id="calls"),
    pytest.param(PRELUDE + COMPILES, id="compiles"),
    pytest.param(PRELUDE + COMPILE_WHILE_CALLING, id="compile-while-calling"),
    pytest.param(PRELUDE + UFUNCS, id="ufuncs"),
    pytest.param(PRELUDE + PARALLEL_LOOPS, id="parallel-loops"),
    pytest.param(PRELUDE + PRINTS, id="prints"),
    pytest.param(PRELUDE + PRINTS_HOLDING_THE_GIL, id="prints-holding-the-gil"),
    # First calls compile while the interpreter exits. Before PyO3's once-cells (interned names,
    # NumPy's type tables) were built ahead of compiling (`prepare_lazy_state`), building one
    # inside compilation released and retook the GIL in a panic guard: about 1 process in 60.
    pytest.param(RIGHT_AFTER_IMPORT, id="right-after-import"),
]

# Runs per scenario: before the fix the calls scenario aborted in every run, the others in
# most; 16 runs keep the whole file near 30 s on a loaded two-core machine.
RUNS = 16
# Processes at a time.
PARALLEL = 4


def run_many(path, runs):
    """Runs the script at `path` `runs` times, a few processes at a time; returns the outcomes
    (returncode, stdout, stderr)."""
    env = dict(os.environ, PYTHONFAULTHANDLER="1")
    outcomes = []
    pending = list(range(runs))
    while pending:
        batch, pending = pending[:PARALLEL], pending[PARALLEL:]
        procs = [
            subprocess.Popen([sys.executable, str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
            for _ in batch
        ]
        for proc in procs:
            try:
                out, err = proc.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                out, err = proc.communicate()
                err += "\n(timed out: the process did not exit)"
            outcomes.append((proc.returncode, out, err))
    return outcomes


@pytest.mark.parametrize("script", SCENARIOS)
def test_daemon_threads_do_not_crash_the_exit(script, tmp_path):
    path = tmp_path / "exit_with_daemon_threads.py"
    path.write_text(textwrap.dedent(script))
    outcomes = run_many(path, RUNS)
    bad = [o for o in outcomes if o != (0, "done\n", "")]
    assert not bad, f"{len(bad)} of {RUNS} runs failed; first: status {bad[0][0]}, stdout {bad[0][1]!r}, stderr:\n{bad[0][2]}"
