"""Parallel benchmark: the kernels of ``kernels_parallel.py`` compiled by ferrojit and Numba,
each with ``parallel=True`` and serially, side by side.

Each engine runs in a fresh process per mode: the first call (compile and run, on the
benchmark input), then the steady state (best of ``REPEATS`` calls after it). Reported: each
engine's parallel speed-up over its own serial code, and ferrojit's parallel times over
Numba's. The results of all four runs must agree (floats within ``RTOL``: the order of
summation changes with the chunks). Results are printed and written to
``bench/results/parallel.md``.
"""

import sys
from pathlib import Path

from common import fmt_ratio, fmt_time, geomean, have_numba, run_child, write_report

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_PATH = BENCH_DIR / "results" / "parallel.md"
REPEATS = 10
RTOL = 1e-9

# (kernel, arguments as an expression, the input in words, compute-bound)
KERNELS = [
    ("row_norms_sum", "(np.random.default_rng(1).random((4000, 2000)),)", "4000 x 2000 float64", False),
    ("pairwise_distances", "(np.random.default_rng(2).random((1500, 3)),)", "1500 points in 3-d", True),
    ("monte_carlo_pi", "(20_000_000,)", "2 x 10^7 samples", True),
    ("mandelbrot", "(800, 600, 200)", "800 x 600, 200 iterations", True),
    ("heat_stencil", "(np.random.default_rng(3).random((1000, 1000)), 20)", "1000 x 1000, 20 steps", False),
    ("array_expression", "(np.random.default_rng(4).random(5_000_000), np.random.default_rng(5).random(5_000_000))", "5 x 10^6 float64", True),
    ("gufunc_row_softmax", "(np.random.default_rng(6).random((20000, 200)),)", "20000 rows of 200", True),
    ("histogram", "(np.random.default_rng(7).random(20_000_000), 0.0, 1.0, 100)", "2 x 10^7 values, 100 bins", False),
    ("empty_prange", "(0,)", "prange(0)", False),
]

CHILD = """
import sys, time, json, warnings
warnings.filterwarnings("ignore")
sys.path.insert(0, {bench!r})
import numpy as np
import kernels_parallel as kernels
compiled = kernels.build({engine!r}, {parallel!r})
results = {{}}
for name, args_text in {kernels!r}:
    if name not in compiled:
        continue
    args = eval(args_text)
    func = compiled[name]
    t = time.perf_counter()
    value = func(*args)
    first = time.perf_counter() - t
    repeats = 2000 if name == "empty_prange" else {repeats}
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        func(*args)
        best = min(best, time.perf_counter() - t)
    value = value.tolist() if isinstance(value, np.ndarray) and value.size <= 1000 else (float(np.asarray(value, dtype=float).sum()) if isinstance(value, np.ndarray) else value)
    results[name] = {{"first": first, "steady": best, "value": value}}
print(json.dumps(results))
"""


def run(engine, parallel):
    code = CHILD.format(bench=str(BENCH_DIR), engine=engine, parallel=parallel, kernels=[(k, a) for k, a, _, _ in KERNELS], repeats=REPEATS)
    return run_child("-c", code)


def agree(values):
    first = values[0]
    for v in values[1:]:
        if isinstance(first, list):
            if len(v) != len(first) or any(abs(a - b) > RTOL * max(1.0, abs(a)) for a, b in zip(_flat(first), _flat(v))):
                return False
        elif abs(first - v) > RTOL * max(1.0, abs(first)):
            return False
    return True


def _flat(x):
    return [y for row in x for y in _flat(row)] if isinstance(x, list) else [x]


def main():
    engines = ["ferrojit", "numba"] if have_numba() else ["ferrojit"]
    measured = {(e, p): run(e, p) for e in engines for p in (True, False)}
    failures = []
    lines = [
        "Each engine and mode in a fresh process; first call = compile + run; steady state = best of "
        f"{REPEATS} calls after it. Speed-up = the engine's serial time over its parallel time. "
        "Ratios: ferrojit's parallel time over Numba's.",
        "",
        "| kernel | input | ferrojit first | Numba first | first ratio | ferrojit parallel | ferrojit serial | speed-up | Numba parallel | Numba speed-up | vs Numba |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    first_ratios, steady_ratios, compute_speedups = [], [], []
    for name, _, label, compute_bound in KERNELS:
        runs = {k: v[name] for k, v in measured.items() if name in v}
        if ("ferrojit", True) not in runs:
            lines.append(f"| `{name}` | {label} | not supported yet | | | | | | | | |")
            continue
        if not agree([r["value"] for r in runs.values()]):
            failures.append(f"{name}: results differ: {[r['value'] if not isinstance(r['value'], list) else '...' for r in runs.values()]}")
        fp, fs = runs[("ferrojit", True)], runs[("ferrojit", False)]
        speedup = fs["steady"] / fp["steady"]
        if compute_bound:
            compute_speedups.append(speedup)
        cells = [f"`{name}`", label, fmt_time(fp["first"])]
        if ("numba", True) in runs:
            npar, nser = runs[("numba", True)], runs[("numba", False)]
            first_ratios.append(fp["first"] / npar["first"])
            if name != "empty_prange":
                steady_ratios.append(fp["steady"] / npar["steady"])
            cells += [fmt_time(npar["first"]), fmt_ratio(first_ratios[-1]), fmt_time(fp["steady"]), fmt_time(fs["steady"]), f"{speedup:.2f}x",
                      fmt_time(npar["steady"]), f"{nser['steady'] / npar['steady']:.2f}x", fmt_ratio(fp["steady"] / npar["steady"])]
        else:
            cells += ["", "", fmt_time(fp["steady"]), fmt_time(fs["steady"]), f"{speedup:.2f}x", "", "", ""]
        lines.append("| " + " | ".join(cells) + " |")
        print(f"parallel {name:20} ferrojit {fmt_time(fp['steady']):>10} (x{speedup:.2f})", flush=True)
    lines += ["", f"Geometric means: first call {fmt_ratio(geomean(first_ratios))} of Numba's; steady state (parallel, all kernels but "
              f"empty_prange) {fmt_ratio(geomean(steady_ratios))} of Numba's; speed-up over serial on the compute-bound kernels "
              f"{geomean(compute_speedups):.2f}x."]
    lines = write_report(RESULTS_PATH, "Parallel: ferrojit vs Numba, parallel=True against serial", lines, failures)
    return lines, failures


if __name__ == "__main__":
    _, failed = main()
    sys.exit(1 if failed else 0)
