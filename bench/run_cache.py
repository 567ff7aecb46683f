"""Cache benchmark: loading cached machine code in a fresh process against compiling it.

For each kernel and engine (ferrojit, and Numba when installed), two fresh processes call the
kernel decorated with ``cache=True`` on a tiny input: the first with an empty cache directory
(it compiles and writes the cache), the second with the cache written by the first (it
loads). The time of that first call is dominated by compiling or loading; the ratio
load / compile is the figure the cache is judged by (target: at most 1/5). Median of
``RUNS`` cold/warm pairs. Results are printed and written to ``bench/results/cache.md``.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from common import fmt_ratio, fmt_time, have_numba

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_PATH = BENCH_DIR / "results" / "cache.md"
RUNS = 3

# (module, kernel, expression building tiny arguments)
KERNELS = [
    ("kernels_scalar", "mandelbrot_count", "(20, 10, 20)"),
    ("kernels_scalar", "collatz_longest", "(1000,)"),
    ("kernels_arrays", "pairwise_distances", "(np.random.rand(5, 3),)"),
    ("kernels_arrays", "matmul", "(np.random.rand(4, 4), np.random.rand(4, 4))"),
    ("kernels_arrays", "prefix_sum", "(np.random.rand(10),)"),
]

CHILD = """
import sys, time, json
sys.path.insert(0, {bench!r})
import numpy as np
engine = __import__({engine!r})
import {module} as kernels
f = engine.njit(cache=True)(getattr(kernels, {kernel!r}))
args = {args}
t = time.perf_counter()
f(*args)
elapsed = time.perf_counter() - t
print(json.dumps({{"first_call": elapsed}}))
"""


def first_call(engine, module, kernel, args, cache_dir):
    env = dict(os.environ, FERROJIT_CACHE_DIR=cache_dir, NUMBA_CACHE_DIR=cache_dir)
    code = CHILD.format(bench=str(BENCH_DIR), engine=engine, module=module, kernel=kernel, args=args)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])["first_call"]


def measure(engine, module, kernel, args):
    cold, warm = [], []
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory() as cache_dir:
            cold.append(first_call(engine, module, kernel, args, cache_dir))
            warm.append(first_call(engine, module, kernel, args, cache_dir))
    return statistics.median(cold), statistics.median(warm)


def main(engines=None):
    if engines is None:
        engines = ["ferrojit", "numba"] if have_numba() else ["ferrojit"]
        if "numba" not in engines:
            print("numba is not installed: only ferrojit is measured")
    title = {"ferrojit": "ferrojit", "numba": "Numba"}
    lines = [
        "First call in a fresh process with `cache=True`: with an empty cache (compiles) and "
        "with the cache the previous process wrote (loads); tiny inputs, so the call is the "
        f"compile or the load. Median of {RUNS} pairs.",
        "",
        "| kernel | " + " | ".join(f"{title[e]} compile | {title[e]} cached load | load/compile"
                                   for e in engines) + " |",
        "|---|" + "---:|---:|---:|" * len(engines),
    ]
    for module, kernel, args in KERNELS:
        cells = [f"`{kernel}`"]
        for engine in engines:
            cold, warm = measure(engine, module, kernel, args)
            cells += [fmt_time(cold), fmt_time(warm), fmt_ratio(warm / cold)]
            print(f"cache {engine:8} {kernel:18} compile {fmt_time(cold):>10}  "
                  f"load {fmt_time(warm):>10}", flush=True)
        lines.append("| " + " | ".join(cells) + " |")
    report = "# Cache: loading against compiling\n\n" + "\n".join(lines) + "\n"
    RESULTS_PATH.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_PATH.write_text(report, encoding="utf-8")
    print("\n" + report, end="")
    return lines


if __name__ == "__main__":
    main()
