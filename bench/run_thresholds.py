"""Where the thread pool starts to pay: whole-array operations under ``parallel=True`` and
``target='parallel'`` ufuncs, timed on the pool and serially at sizes around their thresholds.

Each kernel is compiled twice in one process, with ``parallel=True`` (the array threshold set
to 0, so that it always enters the pool) and serially; the two are called alternately, as a
program calls them between other work, and the medians of ``PAIRS`` calls each are compared.
Ratios are the parallel time over the serial time (below 1: the pool wins). The thresholds in
``crates/ferrojit_runtime/src/parallel.rs`` (``ARRAY_THRESHOLD``) and
``crates/ferrojit_python/src/ufunc.rs`` (``PARALLEL_FROM``) are read from these tables.
Results are printed and written to ``bench/results/thresholds.md``.
"""

import math
import statistics
import sys
import time
from pathlib import Path

import numpy as np

import ferrojit
from ferrojit import _native

from common import write_report

RESULTS_PATH = Path(__file__).resolve().parent / "results" / "thresholds.md"
PAIRS = 41
SIZES = [1 << k for k in (14, 16, 17, 18, 19, 20, 21)]
UFUNC_SIZES = [1 << k for k in (14, 15, 16, 17, 18)]


def map_add(a, b, c):
    return a * b + c


def add_in_place(a, b, c):
    a += b
    return a


def dot_sum(a, b, c):
    return (a * b).sum()


def maximum(a, b, c):
    return a.max()


def sine(a, b, c):
    return np.sin(a)


def scale_add(x, y):
    return x * 2.0 + y


def sine_times(x, y):
    return math.sin(x) * y


UFUNC_KERNELS = [("x * 2.0 + y", scale_add), ("math.sin(x) * y", sine_times)]

KERNELS = [("a * b + c", map_add), ("a += b", add_in_place), ("(a * b).sum()", dot_sum), ("a.max()", maximum), ("np.sin(a)", sine)]


def median_pair(parallel, serial, args):
    """Medians of `PAIRS` calls of each, called alternately."""
    times = ([], [])
    for _ in range(PAIRS):
        for k, f in enumerate((parallel, serial)):
            t = time.perf_counter()
            f(*args)
            times[k].append(time.perf_counter() - t)
    return statistics.median(times[0]), statistics.median(times[1])


def array_table():
    lines = ["| kernel | " + " | ".join(f"2^{n.bit_length() - 1}" for n in SIZES) + " |", "|---|" + "---:|" * len(SIZES)]
    previous = _native.parallel_threshold(0)
    try:
        for label, func in KERNELS:
            parallel, serial = ferrojit.njit(parallel=True)(func), ferrojit.njit(func)
            cells = []
            for n in SIZES:
                rng = np.random.default_rng(n)
                args = (rng.random(n), rng.random(n), rng.random(n))
                parallel(*args), serial(*args)
                p, s = median_pair(parallel, serial, args)
                cells.append(f"{p / s:.2f} ({s * 1e6:.0f} µs)")
            lines.append(f"| `{label}` | " + " | ".join(cells) + " |")
            print(lines[-1], flush=True)
    finally:
        _native.parallel_threshold(previous)
    return lines


def ufunc_table():
    lines = ["| kernel | " + " | ".join(f"2^{n.bit_length() - 1}" for n in UFUNC_SIZES) + " |", "|---|" + "---:|" * len(UFUNC_SIZES)]
    for label, body in UFUNC_KERNELS:
        parallel = ferrojit.vectorize(["float64(float64, float64)"], target="parallel")(body)
        serial = ferrojit.vectorize(["float64(float64, float64)"])(body)
        cells = []
        previous = _native.parallel_ufunc_threshold(0)
        try:
            for n in UFUNC_SIZES:
                rng = np.random.default_rng(n)
                args = (rng.random(n), rng.random(n))
                p, s = median_pair(parallel, serial, args)
                cells.append(f"{p / s:.2f} ({s * 1e6:.0f} µs)")
        finally:
            _native.parallel_ufunc_threshold(previous)
        lines.append(f"| `{label}` | " + " | ".join(cells) + " |")
        print(lines[-1], flush=True)
    return lines


def main():
    lines = [
        f"Parallel time over serial time (the serial time in brackets), medians of {PAIRS} calls of "
        "each, called alternately in one process. Whole-array operations of `parallel=True` "
        "functions, entering the pool at every size:",
        "",
        *array_table(),
        "",
        "`target='parallel'` ufuncs against `target='cpu'`, entering the pool at every size:",
        "",
        *ufunc_table(),
    ]
    write_report(RESULTS_PATH, "Thread pool thresholds: parallel over serial time by size", lines, [])
    return lines


if __name__ == "__main__":
    main()
    sys.exit(0)
