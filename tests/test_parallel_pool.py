"""The threads that run a parallel loop: the caller runs chunks itself, with the pool's helpers
(`crates/ferrojit_runtime/src/parallel.rs`). `get_thread_id()` numbers the threads of one loop
0 (the caller) to `get_num_threads() - 1`; code inside a loop's chunk (the caller's too) runs
nested parallel code serially; exceptions come back whichever thread raised them; calls from
several Python threads and from a child process after `fork` work.

A helper takes chunks only once its thread is awake, and a loop may end before then: tests
that need a chunk on a helper give the loop enough work and try it several times.
"""

import os
import subprocess
import sys
import textwrap
import threading

import numpy as np
import pytest

import ferrojit
from ferrojit import get_num_threads, get_thread_id, njit, prange

SIZE = ferrojit._native.thread_pool_size()[0]


def regions():
    return ferrojit._native.parallel_regions()


def with_threads(n, f, *args):
    old = ferrojit.get_num_threads()
    ferrojit.set_num_threads(n)
    try:
        return f(*args)
    finally:
        ferrojit.set_num_threads(old)


# --- the functions ------------------------------------------------------------------------------


@njit
def busy(x, n):
    """Some work for an iteration (about n multiplications), so that helpers wake during the loop."""
    v = x
    for _ in range(n):
        v = v * 0.999999 + 1e-9
    return v


@njit(parallel=True)
def thread_of_each_iteration(n, work):
    out = np.empty((n, 2), np.int64)
    for i in prange(n):
        out[i, 0] = get_thread_id() + int(busy(1.0, work) > 2.0)
        out[i, 1] = get_num_threads()
    return out


@njit(parallel=True)
def thread_id_outside_loops():
    return get_thread_id()


@njit(parallel=True)
def per_thread_sums(a, work):
    # Numba's per-thread accumulators: correct only if the threads of one loop have distinct
    # numbers (two threads sharing one would lose each other's updates).
    partial = np.zeros(get_num_threads(), np.int64)
    for i in prange(a.shape[0]):
        partial[get_thread_id()] += a[i] + int(busy(0.0, work))
    return partial


@njit(parallel=True)
def whole_array_sum(m):
    # A whole-array reduction, cut along the first dimension: on the pool when called from
    # Python, serial inside a loop.
    return (m * 2.0 + 1.0).sum()


@njit(parallel=True)
def nested_whole_array(m):
    out = np.zeros(m.shape[0])
    for i in prange(m.shape[0]):
        out[i] = whole_array_sum(m[i])
    return out


@njit(parallel=True)
def ids_of_inner_loop(n):
    ids = np.empty(n, np.int64)
    for i in prange(n):
        ids[i] = get_thread_id()
    return ids


@njit(parallel=True)
def nested_loops(n, work):
    # Each inner loop runs serially on the thread running the outer iteration: its iterations
    # see that thread's number.
    same = 0
    for i in prange(n):
        outer = get_thread_id() + int(busy(1.0, work) > 2.0)
        inner = ids_of_inner_loop(7)
        same += int((inner == outer).all())
    return same


@njit(parallel=True)
def raises_on_thread(n, thread, work):
    total = 0.0
    for i in prange(n):
        scratch = np.ones(3) * busy(1.0, work)
        if get_thread_id() == thread:
            raise ValueError("raised on the chosen thread")
        total += scratch.sum()
    return total


# --- thread numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize("threads", range(1, SIZE + 1))
def test_thread_ids_are_in_range_and_threads_count_the_caller(threads):
    out = with_threads(threads, thread_of_each_iteration, 64, 20_000)
    assert set(out[:, 0]) <= set(range(threads)), out[:, 0]
    # Inside the loop, each thread has the loop caller's thread count (as Numba's).
    assert set(out[:, 1]) == {threads}
    assert get_thread_id() == 0


def test_one_thread_runs_everything_on_the_caller():
    before = regions()
    out = with_threads(1, thread_of_each_iteration, 1000, 10)
    assert set(out[:, 0]) == {0} and set(out[:, 1]) == {1}
    # Still a parallel region (reference counts atomic), with no helper.
    assert regions() - before == 1


@pytest.mark.skipif(SIZE < 2, reason="the pool has no helper")
def test_per_thread_accumulators_add_up():
    a = np.arange(20_000, dtype=np.int64)
    for _ in range(20):
        partial = per_thread_sums(a, 200)
        assert partial.shape == (SIZE,)
        assert partial.sum() == a.sum()


def test_thread_ids_outside_loops():
    assert get_thread_id() == 0
    assert thread_id_outside_loops() == 0


# --- nested parallel code -----------------------------------------------------------------------


@pytest.fixture
def every_size_in_parallel():
    old = ferrojit._native.parallel_threshold(0)
    yield
    ferrojit._native.parallel_threshold(old)


@pytest.mark.skipif(SIZE < 2, reason="the pool has no helper")
def test_whole_array_operations_inside_chunks_stay_serial(every_size_in_parallel):
    m = np.random.default_rng(3).random((64, 4, 1250))
    expected = np.array([(m[i] * 2.0 + 1.0).sum() for i in range(m.shape[0])])
    # Called from Python, the reduction runs on the pool.
    before = regions()
    whole_array_sum(m[0])
    assert regions() - before == 1
    for _ in range(5):
        before = regions()
        got = nested_whole_array(m)
        # One region, the loop's: the reductions in every chunk, the caller's included, ran serially.
        assert regions() - before == 1
        np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_nested_loops_run_on_the_outer_iterations_thread():
    assert nested_loops(32, 20_000) == 32
    before = regions()
    assert with_threads(1, nested_loops, 8, 10) == 8
    assert regions() - before == 1


# --- exceptions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("thread", [0, 1], ids=["caller", "helper"])
def test_an_exception_from_any_threads_chunk(thread):
    if thread >= SIZE:
        pytest.skip("the pool has no helper")
    before = ferrojit._native.live_allocations()
    for _ in range(50):
        try:
            raises_on_thread(64, thread, 20_000)
        except ValueError as error:
            assert str(error) == "raised on the chosen thread"
            break
    else:
        pytest.fail(f"no iteration ran on thread {thread} in 50 calls")
    assert ferrojit._native.live_allocations() == before
    # Nothing left behind: the next calls run normally.
    assert raises_on_thread(64, SIZE, 10) == pytest.approx(64 * 3.0 * busy(1.0, 10), rel=1e-12)


def test_an_exception_with_one_thread():
    with pytest.raises(ValueError, match="raised on the chosen thread"):
        with_threads(1, raises_on_thread, 64, 0, 10)


# --- callers ------------------------------------------------------------------------------------


def test_eight_python_threads_at_once():
    a = np.arange(10_000, dtype=np.int64)
    failures = []
    barrier = threading.Barrier(8)

    def work(k):
        try:
            if k % 2:
                ferrojit.set_num_threads(1)
            threads = ferrojit.get_num_threads()
            barrier.wait()
            for _ in range(20):
                ids = thread_of_each_iteration(100, 100)
                if not (set(ids[:, 0]) <= set(range(threads)) and set(ids[:, 1]) == {threads}):
                    failures.append((k, "ids", ids))
                if per_thread_sums(a, 10).sum() != a.sum():
                    failures.append((k, "sum"))
                try:
                    raises_on_thread(64, 0, 10)
                    failures.append((k, "no exception"))
                except ValueError:
                    pass
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append((k, error))

    workers = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in workers:
        t.start()
    for t in workers:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in workers), "a caller is stuck"
    assert failures == []


def test_a_child_process_after_fork(tmp_path):
    code = """
        import os, threading, numpy as np
        import ferrojit
        from ferrojit import njit, prange, get_thread_id, get_num_threads

        @njit(parallel=True)
        def ids(n):
            out = np.empty(n, np.int64)
            for i in prange(n):
                v = 1.0
                for _ in range(20000):
                    v = v * 0.999999 + 1e-9
                out[i] = get_thread_id() + int(v > 1e9)
            return out

        @njit(parallel=True)
        def fails(n):
            for i in prange(n):
                if i == n - 1:
                    raise KeyError(i)

        @njit(parallel=True)
        def compiled_in_the_child(n):
            # First called in the child: it compiles there, its pool functions on a compile
            # thread of the child's own (the parent's does not exist there).
            s = 0
            for i in prange(n):
                s += i
            return s

        def check():
            out = ids(64)
            ok = set(out) <= set(range(get_num_threads()))
            try:
                fails(100)
                return False
            except KeyError:
                return ok

        assert check()
        pid = os.fork()
        if pid == 0:
            results = []
            threads = [threading.Thread(target=lambda: results.append(check())) for _ in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            os._exit(0 if check() and results == [True] * 4 and compiled_in_the_child(1000) == 499500 else 3)
        _, status = os.waitpid(pid, 0)
        print(os.waitstatus_to_exitcode(status), check())
    """
    script = tmp_path / "script.py"
    script.write_text(textwrap.dedent(code))
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert out.stdout.split() == ["0", "True"], out.stderr


@pytest.mark.parametrize("threads", ["1", "3"])
def test_pool_sizes_from_the_environment(tmp_path, threads):
    """One thread: no pool, the caller runs every chunk; more threads than cores: the helpers
    share the cores."""
    code = """
        import numpy as np
        import ferrojit
        from ferrojit import njit, prange, get_thread_id

        @njit(parallel=True)
        def f(a):
            s = 0.0
            for i in prange(a.shape[0]):
                s += a[i] * (get_thread_id() + 1)
            return s

        a = np.ones(100_000)
        n = ferrojit.get_num_threads()
        print(n, f(a) >= a.sum(), f(a) <= n * a.sum())
    """
    script = tmp_path / "script.py"
    script.write_text(textwrap.dedent(code))
    env = {k: v for k, v in os.environ.items() if k not in ("FERROJIT_NUM_THREADS", "NUMBA_NUM_THREADS")}
    env["FERROJIT_NUM_THREADS"] = threads
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=300)
    assert out.stdout.split() == [threads, "True", "True"], out.stderr
