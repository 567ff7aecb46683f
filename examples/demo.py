"""ferrojit demo: the seed document's kernel under CPython, ferrojit and Numba.

Run with ``make demo`` (or ``.venv/bin/python examples/demo.py``).

The kernel is the one of the seed document (examples/seed_timing.py): the sum of
np.tanh(a[i, j]) over a SIZE x SIZE float64 array, SIZE = 2000 read as a global. It is
timed

* under plain CPython on a 200 x 200 block (the full size would take seconds), scaled up
  by the element count (x100) and shown as an estimate for 2000 x 2000;
* under ferrojit: the first call (compilation included) and after compilation;
* under Numba, when it is installed: the same two times.

The CPython run uses the very same code object with SIZE = 200 (a copy of the function
with its own globals), so all three run the same Python source. The ferrojit result must
equal CPython's on the 200 x 200 block within a relative 1e-12: the additions happen in the
same order, only tanh may differ in the last bit (ferrojit's vectorised loop calls glibc's
libmvec, CPython NumPy's own tanh loop, Numba libm's tanh).
"""

import time
import types

import numpy as np

import ferrojit

SIZE = 2000
SMALL = 200
RTOL = 1e-12
AFTER_RUNS = 5


def jit_tan_sum(a):  # the seed kernel; decorated below, once per engine
    tan_sum = 0
    for i in range(SIZE):
        for j in range(SIZE):
            tan_sum += np.tanh(a[i, j])
    return tan_sum


def with_size(func, size):
    """The same function (same code object) reading ``SIZE = size`` from its own globals."""
    globals_ = dict(func.__globals__, SIZE=size)
    copy = types.FunctionType(func.__code__, globals_, func.__name__, func.__defaults__,
                              func.__closure__)
    copy.__qualname__ = func.__qualname__
    return copy


def timed(func, *args):
    start = time.perf_counter()
    result = func(*args)
    return result, time.perf_counter() - start


def best_of(runs, func, *args):
    return min(timed(func, *args)[1] for _ in range(runs))


def fmt(seconds):
    if seconds >= 1.0:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.0f} µs"


def row(label, seconds, cpython):
    print(f"  {label:<44} {fmt(seconds):>10}   {cpython / seconds:8.0f}x")


def main():
    rng = np.random.default_rng(2024)
    x = rng.random((SIZE, SIZE))
    print(f"seed kernel: sum of np.tanh(a[i, j]) over a {SIZE} x {SIZE} float64 array "
          f"(SIZE a global)")
    print()

    # ferrojit first: its first call also pays for setting up LLVM in this process.
    fj = ferrojit.jit(jit_tan_sum)
    fj_result, fj_first = timed(fj, x)
    fj_after = best_of(AFTER_RUNS, fj, x)

    # Plain CPython on the 200 x 200 block, scaled up by the element count.
    small = with_size(jit_tan_sum, SMALL)
    scale = (SIZE * SIZE) / (SMALL * SMALL)
    py_result, py_small = timed(small, x)
    py_result = float(py_result)  # np.tanh gives np.float64; the sum is one too
    py_small = min(py_small, best_of(2, small, x))
    py_estimate = py_small * scale

    # The check: ferrojit on the same 200 x 200 block against CPython.
    fj_small_result = ferrojit.njit(small)(x)
    rel = abs(fj_small_result - py_result) / abs(py_result)
    assert rel <= RTOL, (fj_small_result, py_result, rel)

    # Numba, when installed.
    try:
        start = time.perf_counter()
        import numba
        numba_import = time.perf_counter() - start
    except ImportError:
        numba = None
    if numba is not None:
        nb = numba.jit(jit_tan_sum)
        nb_result, nb_first = timed(nb, x)
        nb_after = best_of(AFTER_RUNS, nb, x)
        nb_rel = abs(fj_result - nb_result) / abs(nb_result)
        assert nb_rel <= RTOL, (fj_result, nb_result, nb_rel)

    print(f"  {'':<44} {'time':>10}   {'vs CPython':>9}")
    row(f"CPython (estimate: {SMALL} x {SMALL} x {scale:.0f})", py_estimate, py_estimate)
    row("ferrojit, first call (with compilation)", fj_first, py_estimate)
    row(f"ferrojit, after compilation (best of {AFTER_RUNS})", fj_after, py_estimate)
    if numba is not None:
        row("Numba, first call (with compilation)", nb_first, py_estimate)
        row(f"Numba, after compilation (best of {AFTER_RUNS})", nb_after, py_estimate)
    print()
    print(f"result ({SIZE} x {SIZE}): ferrojit {fj_result!r}"
          + (f", Numba {nb_result!r} (relative difference {nb_rel:.1e})"
             if numba is not None else ""))
    print(f"check ({SMALL} x {SMALL}): ferrojit {fj_small_result!r}, CPython {py_result!r}, "
          f"relative difference {rel:.1e} (<= {RTOL:g})")
    if numba is not None:
        print(f"Numba {numba.__version__} (import {fmt(numba_import)}, not in the times above): "
              f"Numba time / ferrojit time = {nb_first / fj_first:.1f} on the first call, "
              f"{nb_after / fj_after:.1f} after compilation")
    else:
        print("Numba: not installed, skipped (`make bench` installs it into .venv)")


if __name__ == "__main__":
    main()
