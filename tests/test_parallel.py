"""`prange` loops under `parallel=True`: differential tests against the same code compiled
serially and run by CPython (where `prange` is `range`), errors, exceptions, memory and the
thread API.

Float reductions add in a different order in parallel (each chunk sums its own iterations,
then the partials are added in order), so float results agree within FLOAT_RTOL; integer
reductions, and float reductions of integer-valued data, agree exactly.
"""

import math
import os
import subprocess
import sys
import textwrap
import threading

import numpy as np
import pytest

import ferrojit
from ferrojit import njit, prange
from ferrojit.errors import TypingError, UnsupportedError

from helpers import import_written_module

FLOAT_RTOL = 1e-12


def reduce_sum(a):
    s = 0.0
    for i in prange(a.shape[0]):
        s += a[i] * 2.0
    return s


def reduce_sum_rebinding(a):
    s = 0
    for i in prange(len(a)):
        s = s + int(a[i])
    return s


def reduce_subtract(a):
    s = 100.0
    for i in prange(a.shape[0]):
        s -= a[i]
    return s


def reduce_product(a):
    p = 1.0
    for i in prange(a.shape[0]):
        p *= 1.0 + a[i] / 1000.0
    return p


def reduce_min_max_count(a):
    lo = np.inf
    hi = -np.inf
    count = 0
    for i in prange(1, a.shape[0], 3):
        lo = min(lo, a[i])
        hi = max(a[i], hi)
        count += 1
    return lo, hi, count


def reduce_bits(a):
    x = 0
    y = -1
    z = 0
    for i in prange(a.shape[0]):
        v = int(a[i])
        x |= v
        y &= v | 1
        z ^= v
    return x, y, z


def reduce_int_min(a):
    m = 1 << 40
    for i in prange(a.shape[0]):
        m = min(m, int(a[i]) * 3 - 7)
    return m


def private_variables(a):
    out = np.empty_like(a)
    for i in prange(a.shape[0]):
        t = a[i] * 2.0
        if t > 10.0:
            u = t - 1.0
        else:
            u = t + 1.0
        out[i] = u * u
    return out


def negative_step(a):
    out = np.zeros(a.shape[0])
    for i in prange(a.shape[0] - 1, -1, -2):
        out[i] = a[i] + i
    return out


def runtime_step(a, start, stop, step):
    s = 0
    for i in prange(start, stop, step):
        s += i * int(a[i % a.shape[0]])
    return s


def row_sums(m):
    out = np.empty(m.shape[0])
    for i in prange(m.shape[0]):
        acc = 0.0
        for j in range(m.shape[1]):
            acc += m[i, j]
        out[i] = acc
    return out


def array_reduction(m):
    acc = np.zeros(m.shape[1])
    for i in prange(m.shape[0]):
        acc += m[i]
    return acc


def nested_prange(m):
    total = 0.0
    for i in prange(m.shape[0]):
        for j in prange(m.shape[1]):
            total += m[i, j] * (i + 1)
    return total


def two_loops(a):
    s = 0.0
    for i in prange(a.shape[0]):
        t = a[i] + 1.0
        s += t
    for i in prange(a.shape[0]):
        t = a[i] - 1.0
        s += t * t
    return s


def loop_in_loop(a, steps):
    b = a.copy()
    for _ in range(steps):
        c = np.empty_like(b)
        for i in prange(b.shape[0]):
            c[i] = 0.5 * (b[i] + b[(i + 1) % b.shape[0]])
        b = c
    return b


def reads_shared_scalar(a, scale):
    offset = scale * 2.0
    s = 0.0
    for i in prange(a.shape[0]):
        s += a[i] * scale + offset
    return s


def complex_sum(a):
    z = 0j
    for i in prange(a.shape[0]):
        z += complex(a[i], -a[i])
    return z


def continue_in_body(a):
    s = 0
    for i in prange(a.shape[0]):
        if a[i] % 2 == 0:
            continue
        s += 1
    return s


def call_inside(a):
    s = 0.0
    for i in prange(a.shape[0]):
        s += math.sqrt(abs(a[i])) + helper(a[i])
    return s


@njit
def helper(x):
    return x * 0.5


def comprehension_in_body(a):
    s = 0.0
    for i in prange(a.shape[0]):
        parts = [a[i] * k for k in range(3)]
        s += sum(parts)
    return s


def list_reads(a):
    weights = [1.0, 2.0, 3.0]
    s = 0.0
    for i in prange(a.shape[0]):
        s += a[i] * weights[i % 3]
    return s


INTS = np.arange(1, 1002, dtype=np.float64)  # integer-valued floats: sums are exact
RAND = np.random.default_rng(5).random(10_007)
MATRIX = np.arange(35 * 13, dtype=np.float64).reshape(35, 13)

# (kernel, arguments, exact): `exact` compares with ==, else within FLOAT_RTOL.
CASES = [
    (reduce_sum, (INTS,), True),
    (reduce_sum, (RAND,), False),
    (reduce_sum, (INTS[:0],), True),
    (reduce_sum, (INTS[:1],), True),
    (reduce_sum, (INTS[::-3],), True),
    (reduce_sum_rebinding, (INTS,), True),
    (reduce_subtract, (INTS,), True),
    (reduce_product, (RAND[:200],), False),
    (reduce_min_max_count, (RAND,), True),
    (reduce_min_max_count, (INTS[:2],), True),
    (reduce_bits, (INTS,), True),
    (reduce_int_min, (INTS[::-1],), True),
    (private_variables, (RAND * 20,), True),
    (negative_step, (RAND,), True),
    (runtime_step, (INTS, 5, 900, 7), True),
    (runtime_step, (INTS, 900, -40, -11), True),
    (runtime_step, (INTS, 10, 10, 3), True),
    (row_sums, (MATRIX,), True),
    (row_sums, (np.asfortranarray(MATRIX),), True),
    (array_reduction, (MATRIX,), True),
    (array_reduction, (MATRIX[::-2, 1:],), True),
    (nested_prange, (MATRIX,), True),
    (two_loops, (INTS,), True),
    (loop_in_loop, (RAND, 5), True),
    (reads_shared_scalar, (INTS, 3.0), True),
    (complex_sum, (INTS,), True),
    (continue_in_body, (INTS,), True),
    (call_inside, (INTS,), False),
    (list_reads, (INTS,), True),
    (comprehension_in_body, (INTS,), True),
]


def same(got, expected, exact):
    # Compiled code returns NumPy scalars as Python numbers, as Numba does.
    if isinstance(expected, np.generic):
        expected = expected.item()
    assert type(got) is type(expected), (got, expected)
    if isinstance(expected, tuple):
        assert len(got) == len(expected)
        for g, e in zip(got, expected):
            same(g, e, exact)
    elif isinstance(expected, np.ndarray):
        assert got.dtype == expected.dtype and got.shape == expected.shape
        if exact:
            np.testing.assert_array_equal(got, expected)
        else:
            np.testing.assert_allclose(got, expected, rtol=FLOAT_RTOL)
    elif exact:
        assert got == expected
    else:
        assert got == pytest.approx(expected, rel=FLOAT_RTOL)


@pytest.mark.parametrize("kernel,args,exact", CASES, ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(CASES)])
def test_parallel_matches_serial_and_python(kernel, args, exact):
    parallel = njit(parallel=True)(kernel)
    serial = njit(kernel)
    expected = kernel(*[a.copy() if isinstance(a, np.ndarray) else a for a in args])
    same(serial(*args), expected, exact)
    same(parallel(*args), expected, exact)


@pytest.mark.parametrize("threads", [1, 2])
def test_results_do_not_depend_on_the_thread_count_or_the_run(threads):
    parallel = njit(parallel=True)(reduce_sum)
    old = ferrojit.get_num_threads()
    ferrojit.set_num_threads(threads)
    try:
        results = {parallel(RAND) for _ in range(20)}
    finally:
        ferrojit.set_num_threads(old)
    # The chunks depend on the thread count only, never on timing.
    assert len(results) == 1


def test_prange_without_parallel_is_range():
    assert list(prange(3, 10, 2)) == list(range(3, 10, 2))
    assert njit(reduce_sum)(INTS) == reduce_sum(INTS)


ERRORS = [
    ("break", """
        def f(a):
            for i in prange(a.shape[0]):
                if a[i] > 2:
                    break
            return a
        """, "`break` inside a `prange` loop is not supported", 5),
    ("return", """
        def f(a):
            for i in prange(a.shape[0]):
                return i
            return -1
        """, "`return` inside a `prange` loop is not supported", 4),
    ("else", """
        def f(a):
            for i in prange(a.shape[0]):
                a[i] = 1
            else:
                a[0] = 2
            return a
        """, "a `prange` loop cannot have an `else` clause", 3),
    ("carried", """
        def f(a):
            last = 0.0
            for i in prange(a.shape[0]):
                a[i] = last
                last = a[i] + 1.0
            return a
        """, "`last` is read here before this iteration of the `prange` loop assigns it", 5),
    ("read after", """
        def f(a):
            for i in prange(a.shape[0]):
                t = a[i] * 2
                a[i] = t
            return t
        """, "`t` is assigned in the `prange` loop on line 3", 6),
    ("index after", """
        def f(a):
            for i in prange(a.shape[0]):
                a[i] = 1.0
            return i
        """, "`i` is assigned in the `prange` loop on line 3", 5),
    ("mixed operators", """
        def f(a):
            s = 0.0
            for i in prange(a.shape[0]):
                s += a[i]
                s *= 2.0
            return s
        """, "`s` is read here before this iteration", 5),
    ("tuple target", """
        def f(a):
            for i, j in prange(a.shape[0]):
                a[i] = j
            return a
        """, "the target of a `prange` loop must be a name", 3),
    ("keywords", """
        def f(a):
            for i in prange(stop=a.shape[0]):
                a[i] = 1
            return a
        """, "`prange()` takes 1 to 3 positional arguments", 3),
]


@pytest.mark.parametrize("name,source,message,line", ERRORS, ids=[e[0] for e in ERRORS])
def test_unsupported_loops_name_the_line(tmp_path, name, source, message, line):
    module = import_written_module(tmp_path, "prange_errors", "from ferrojit import prange\n" + textwrap.dedent(source).lstrip("\n"))
    f = njit(parallel=True)(module.f)
    with pytest.raises(UnsupportedError) as info:
        f(np.arange(5.0))
    text = str(info.value)
    assert message in text
    assert f"prange_errors.py\", line {line}," in text


# (name, container made before the loop, the statement in the body, the message, where it
# points (line, column)): each may resize the container the iterations share.
FIVE = "c = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]"
TABLE = "c = {0: 0.0, 1: 1.0, 2: 2.0, 3: 3.0, 4: 4.0}"
SHARED = "that the iterations of this `prange` loop share"
SHARED_CONTAINER_CHANGES = [
    ("append", "c = [0.0]", "c.append(a[i])", f"`.append()` changes a list {SHARED}", (5, 9)),
    ("extend", "c = [0.0]", "c.extend([a[i]])", f"`.extend()` changes a list {SHARED}", (5, 9)),
    ("insert", "c = [0.0]", "c.insert(0, a[i])", f"`.insert()` changes a list {SHARED}", (5, 9)),
    ("list pop", FIVE, "c.pop()", f"`.pop()` changes a list {SHARED}", (5, 9)),
    ("remove", FIVE, "c.remove(a[i])", f"`.remove()` changes a list {SHARED}", (5, 9)),
    ("list clear", "c = [0.0]", "c.clear()", f"`.clear()` changes a list {SHARED}", (5, 9)),
    ("del item", FIVE, "del c[0]", f"`del l[i]` changes a list {SHARED}", (5, 13)),
    ("del slice", FIVE, "del c[0:1]", f"`del l[i:j]` changes a list {SHARED}", (5, 13)),
    # Updates of a variable with `+=` and `*=` are reductions, which lists are not.
    ("list +=", "c = [0.0]", "c += [a[i]]", "a `sum` reduction of a `list(float64)` in a `prange` loop is not supported", (4, 5)),
    ("list *=", "c = [0.0]", "c *= 2", "a `product` reduction of a `list(float64)` in a `prange` loop is not supported", (4, 5)),
    ("dict store", "c = {0: 0.0}", "c[i] = a[i]", f"`d[k] = v` changes a dict {SHARED}", (5, 9)),
    ("dict del", TABLE, "del c[i]", f"`del d[k]` changes a dict {SHARED}", (5, 13)),
    ("dict update", "c = {0: 0.0}", "c.update({i: a[i]})", f"`.update()` changes a dict {SHARED}", (5, 9)),
    ("dict setdefault", "c = {0: 0.0}", "c.setdefault(i, a[i])", f"`.setdefault()` changes a dict {SHARED}", (5, 9)),
    ("dict pop", "c = {0: 0.0}", "c.pop(i, 0.0)", f"`.pop()` changes a dict {SHARED}", (5, 9)),
    ("dict popitem", TABLE, "c.popitem()", f"`.popitem()` changes a dict {SHARED}", (5, 9)),
    ("set add", "c = {0.0}", "c.add(a[i])", f"`.add()` changes a set {SHARED}", (5, 9)),
    ("set discard", "c = {0.0}", "c.discard(a[i])", f"`.discard()` changes a set {SHARED}", (5, 9)),
    ("set update", "c = {0.0}", "c.update({a[i]})", f"`.update()` changes a set {SHARED}", (5, 9)),
]


@pytest.mark.parametrize("name,made,statement,message,where", SHARED_CONTAINER_CHANGES, ids=[c[0] for c in SHARED_CONTAINER_CHANGES])
def test_changing_a_shared_container_is_refused(tmp_path, name, made, statement, message, where):
    """Two iterations resizing one list, dict or set at once on two threads would corrupt it
    (a crash): refused at the line, where Numba's behaviour is undefined. Serially the same
    code runs as in Python."""
    source = f"from ferrojit import prange\ndef f(a):\n    {made}\n    for i in prange(a.shape[0]):\n        {statement}\n    return len(c)\n"
    module = import_written_module(tmp_path, "shared_containers", source)
    f = njit(parallel=True)(module.f)
    with pytest.raises(Exception) as info:
        f(np.arange(5.0))
    assert isinstance(info.value, (UnsupportedError, TypingError)), info.value
    text = str(info.value)
    assert message in text, text
    assert f'shared_containers.py", line {where[0]}, column {where[1]}, in f' in text, text
    assert njit(module.f)(np.arange(5.0)) == module.f(np.arange(5.0))


def containers_of_each_iteration(a, table):
    total = 0.0
    for i in prange(a.shape[0]):
        items = [a[i]]
        items.append(a[i] * 2.0)
        seen = {0: 0.0}
        seen[i] = a[i]
        marks = {1.0}
        marks.add(a[i])
        total += sum(items) + seen[i] + len(marks) + table[i % 3]
    return total


def test_containers_made_in_an_iteration_and_shared_ones_read():
    """An iteration's own containers change freely; shared ones are read."""
    a = np.arange(2000.0)
    table = [1.0, 2.0, 3.0]
    assert njit(parallel=True)(containers_of_each_iteration)(a, table) == containers_of_each_iteration(a, table)


def raises_in_chunk(a, limit):
    out = np.zeros_like(a)
    for i in prange(a.shape[0]):
        row = np.empty(3)
        row[:] = a[i]
        if a[i] > limit:
            raise ValueError("value above the limit")
        out[i] = row.sum()
    return out


def index_error_in_chunk(a, k):
    s = 0.0
    for i in prange(a.shape[0]):
        s += a[i + k]
    return s


def array_reduction_raises(m, bad_row):
    acc = np.zeros(m.shape[1])
    for i in prange(m.shape[0]):
        if i == bad_row:
            raise KeyError(i)
        acc += m[i]
    return acc


def test_exceptions_reach_the_caller_with_nothing_leaked():
    before = ferrojit._native.live_allocations()
    f = njit(parallel=True)(raises_in_chunk)
    for _ in range(20):
        with pytest.raises(ValueError, match="value above the limit"):
            f(RAND * 10, 9.0)
    np.testing.assert_array_equal(f(INTS[:50], 1e9), raises_in_chunk(INTS[:50], 1e9))
    g = njit(parallel=True, boundscheck=True)(index_error_in_chunk)
    with pytest.raises(IndexError):
        g(INTS, 1)
    assert g(INTS, 0) == index_error_in_chunk(INTS, 0)
    h = njit(parallel=True)(array_reduction_raises)
    for bad in (0, 17, 34):
        with pytest.raises(KeyError):
            h(MATRIX, bad)
    np.testing.assert_array_equal(h(MATRIX, -1), array_reduction_raises(MATRIX, -1))
    assert ferrojit._native.live_allocations() == before


def allocating_kernel(n):
    total = 0.0
    for i in prange(n):
        tmp = np.arange(i % 7 + 1) * 1.0
        parts = [tmp, tmp * 2.0]
        total += parts[1].sum()
    return total


def test_memory_over_many_calls():
    f = njit(parallel=True)(allocating_kernel)
    expected = allocating_kernel(2000)
    before = ferrojit._native.live_allocations()
    for _ in range(50):
        assert f(2000) == expected
    assert ferrojit._native.live_allocations() == before


def test_calls_from_several_threads_at_once():
    f = njit(parallel=True)(reduce_sum)
    expected = f(INTS)
    results = []

    def work():
        results.append([f(INTS) for _ in range(50)])

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == expected for rs in results for r in rs)


def test_thread_api():
    size, cores = ferrojit._native.thread_pool_size()
    assert size >= 1 and cores >= 1
    old = ferrojit.get_num_threads()
    assert 1 <= old <= size
    for bad in (0, -1, size + 1):
        with pytest.raises(ValueError, match=f"between 1 and {size}"):
            ferrojit.set_num_threads(bad)
    ferrojit.set_num_threads(1)
    assert ferrojit.get_num_threads() == 1
    ferrojit.set_num_threads(old)
    assert ferrojit.get_thread_id() == 0


def run_script(tmp_path, code):
    """Runs `code` as a script file (compiled functions need a source file)."""
    script = tmp_path / "script.py"
    script.write_text(textwrap.dedent(code))
    return subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("variable", ["FERROJIT_NUM_THREADS", "NUMBA_NUM_THREADS"])
def test_thread_count_from_the_environment(variable):
    code = """
        import ferrojit
        print(ferrojit._native.thread_pool_size()[0], ferrojit.get_num_threads())
    """
    env = {"FERROJIT_NUM_THREADS": "", "NUMBA_NUM_THREADS": ""}
    env = {k: v for k, v in os.environ.items() if k not in env}
    env[variable] = "3"
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, env=env, timeout=300)
    assert out.stdout.split() == ["3", "3"], out.stderr


def test_a_child_process_after_fork_runs_parallel_loops(tmp_path):
    code = """
        import os, numpy as np
        from ferrojit import njit, prange

        @njit(parallel=True)
        def f(a):
            s = 0.0
            for i in prange(a.shape[0]):
                s += a[i]
            return s

        a = np.arange(100000.0)
        assert f(a) == a.sum()
        pid = os.fork()
        if pid == 0:
            os._exit(0 if f(a) == a.sum() else 3)
        _, status = os.waitpid(pid, 0)
        print(os.waitstatus_to_exitcode(status))
    """
    out = run_script(tmp_path, code)
    assert out.stdout.strip() == "0", out.stderr


def scaled_sum(x, y):
    return x * 2.0 + y


def int_mix(x, y):
    return (x * 7 + y) % 1000


UFUNC_INPUTS = [
    ("small", np.arange(10.0), np.arange(10.0)),
    ("large", RAND_BIG := np.random.default_rng(9).random(300_001), RAND_BIG[::-1]),
    ("strided", RAND_BIG[:-1:3], RAND_BIG[1::3]),
    ("2-d broadcast", RAND_BIG[:200_000].reshape(1000, 200), RAND_BIG[:200]),
    ("fortran", np.asfortranarray(RAND_BIG[:200_000].reshape(400, 500)), 1.5),
    ("empty", np.empty(0), np.empty(0)),
    ("0-d", np.array(2.5), np.array(1.0)),
]


@pytest.mark.parametrize("case", UFUNC_INPUTS, ids=[c[0] for c in UFUNC_INPUTS])
@pytest.mark.parametrize("lazy", [False, True], ids=["signatures", "lazy"])
def test_parallel_ufunc_matches_serial(case, lazy):
    _, x, y = case
    if lazy:
        parallel = ferrojit.vectorize(target="parallel")(scaled_sum)
    else:
        parallel = ferrojit.vectorize(["float64(float64, float64)"], target="parallel")(scaled_sum)
    serial = ferrojit.vectorize(["float64(float64, float64)"])(scaled_sum)
    expected = serial(x, y)
    got = parallel(x, y)
    assert type(got) is type(expected)
    np.testing.assert_array_equal(got, expected)
    out = np.empty_like(np.asarray(expected))
    parallel(x, y, out=out)
    np.testing.assert_array_equal(out, expected)


def test_parallel_ufunc_integers_and_reduce():
    parallel = ferrojit.vectorize(["int64(int64, int64)"], target="parallel", identity=0)(int_mix)
    a = np.arange(200_000, dtype=np.int64)
    np.testing.assert_array_equal(parallel(a, a[::-1]), int_mix(a, a[::-1]))
    m = a.reshape(400, 500)
    np.testing.assert_array_equal(parallel.reduce(m, axis=0), np.frompyfunc(int_mix, 2, 1).reduce(m, axis=0).astype(np.int64))


def test_parallel_gufunc_matches_numpy():
    @ferrojit.guvectorize(["void(float64[:], float64, float64[:])"], "(n),()->(n)", target="parallel")
    def scale(a, s, out):
        for i in range(a.shape[0]):
            out[i] = a[i] * s + i

    m = RAND_BIG[:210_000].reshape(30_000, 7)
    expected = m * 3.0 + np.arange(7)
    for view in (m, m[::-2, 1::2], np.asfortranarray(m)):
        np.testing.assert_array_equal(scale(view, 3.0), view * 3.0 + np.arange(view.shape[1]))
    np.testing.assert_array_equal(scale(m, 3.0), expected)


def test_unknown_targets_are_refused():
    with pytest.raises(ValueError, match="target 'cuda' is not supported"):
        ferrojit.vectorize(["float64(float64, float64)"], target="cuda")(scaled_sum)


def test_parallel_diagnostics(capsys):
    f = njit(parallel=True)(nested_prange)
    f.parallel_diagnostics()
    g = njit(parallel=True)(private_variables)
    g.parallel_diagnostics(level=4)
    njit(reduce_sum).parallel_diagnostics()
    text = capsys.readouterr().out.splitlines()
    line = nested_prange.__code__.co_firstlineno
    assert text[0] == "Parallel diagnostics for nested_prange:"
    assert text[1] == f"  line {line + 2}: prange loop runs in parallel; reductions: `total` (sum); private to each iteration: `j`"
    assert text[2] == f"  line {line + 3}: prange loop runs serially, inside the parallel loop of line {line + 2} (nested parallel loops are not parallel)"
    threshold = ferrojit._native.parallel_threshold()
    assert text[3] == f"  array expressions (`a * b + c`, `a[:] = ...`, `a += b`) and their reductions (`a.sum()`, `np.max(a - b)`) run in parallel from {threshold} elements"
    line = private_variables.__code__.co_firstlineno
    assert text[5] == f"  line {line + 2}: prange loop runs in parallel; private to each iteration: `t`, `u`"
    assert text[8] == "  not compiled with parallel=True: prange is range, and nothing runs in parallel"


def diagnosed_expressions(a, b):
    s = (np.sqrt(a * a + b * b) * np.exp(-a)).sum()
    c = a - b
    out = np.zeros(a.shape[0])
    for i in prange(a.shape[0]):
        out[i] = (a * 2.0).sum() + i
    return s + c.max() + out.sum()


def test_parallel_diagnostics_of_array_expressions(capsys):
    """Per compiled signature, each whole-array expression and reduction: fused into one loop
    that runs in parallel from the threshold, or why it runs serially."""
    f = njit(parallel=True)(diagnosed_expressions)
    a = np.arange(6.0)
    f(a, a + 1.0)
    f(a.astype(np.float32), a.astype(np.float32))
    f.parallel_diagnostics(signature=(ferrojit.types.float64[::1], ferrojit.types.float64[::1]))
    text = capsys.readouterr().out.splitlines()
    line = diagnosed_expressions.__code__.co_firstlineno
    threshold = ferrojit._native.parallel_threshold()
    assert text[3:] == [
        "  compiled for (array(float64, 1d, C), array(float64, 1d, C)):",
        f"    line {line + 1}: `sum` reduction runs in parallel from {threshold} elements: one loop over 2 array operands, fusing 7 operations",
        f"    line {line + 2}: array expression runs in parallel from {threshold} elements: one loop over 2 array operands, fusing 1 operation",
        f"    line {line + 5}: `sum` reduction runs serially: inside a `prange` loop, whose iterations are the parallelism",
        f"    line {line + 6}: `max` reduction runs in parallel from {threshold} elements: one loop over 1 array operand",
        f"    line {line + 6}: `sum` reduction runs in parallel from {threshold} elements: one loop over 1 array operand",
    ], text
    f.parallel_diagnostics()
    text = capsys.readouterr().out.splitlines()
    assert "  compiled for (array(float32, 1d, C), array(float32, 1d, C)):" in text, text
