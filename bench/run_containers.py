"""Container benchmark: the kernels of ``kernels_containers.py`` run by ferrojit, Numba and
CPython side by side.

Each engine runs in a fresh process: the first call (compile and run, on the benchmark input)
and the steady state (best of ``REPEATS`` calls after it). Numba compiles lists passed in as
reflected lists (its documented, slow path for list arguments); ferrojit's list arguments are
reflected the same way. The results of the engines must be equal. Ratios are ferrojit's time
over Numba's (and over CPython's). Results are printed and written to
``bench/results/containers.md``.
"""

import sys
from pathlib import Path

from common import fmt_ratio, fmt_time, geomean, have_numba, run_child, write_report

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_PATH = BENCH_DIR / "results" / "containers.md"
REPEATS = 15

# (kernel, arguments as an expression, the input in words)
KERNELS = [
    ("list_append", "(1_000_000,)", "10^6 appends of floats, then a loop over the list"),
    ("set_churn", "(200_000,)", "2 x 10^5 adds to a set, 7 x 10^4 discards, a loop, a union and an intersection"),
    ("list_comprehension", "(1_000_000,)", "10^6 iterations, two thirds kept"),
    ("list_argument", "(list(range(100_000)),)", "a list of 10^5 ints passed in"),
    ("list_sort", "([float(x) for x in np.random.default_rng(7).random(100_000)],)", "10^5 floats"),
    ("list_of_arrays", "(20_000,)", "2 x 10^4 arrays of 4 floats"),
    ("word_count", "(' '.join(['the', 'cat', 'sat', 'on', 'a', 'mat', 'with', 'another'][i * 7 % 8] + str(i % 1000) * (i % 3 == 0) for i in range(200_000)),)", "2 x 10^5 words, 1,000s distinct"),
    ("string_build", "(100_000,)", "10^5 pieces appended"),
    ("string_methods", "([('# ' if i % 5 == 0 else '  ') + 'A,b,C,' + str(i) + '  ' for i in range(50_000)],)", "5 x 10^4 lines"),
    ("dijkstra", "kernels.random_graph(100_000, 5)", "10^5 nodes, 5 x 10^5 edges"),
    ("closure_ode", "(200_000,)", "2 x 10^5 RK4 steps through a closure"),
    ("typed_dict_of_arrays", "(200_000,)", "2 x 10^5 updates of 1,000 arrays of 8 floats"),
]

CHILD = """
import sys, time, json, warnings
warnings.filterwarnings("ignore")
sys.path.insert(0, {bench!r})
import numpy as np
import kernels_containers as kernels
engine = {engine!r}
kernels.use_engine(engine)
results = {{}}
for name, args_text in {kernels!r}:
    args = eval(args_text)
    func = getattr(kernels, name)
    if engine != "python":
        func = __import__(engine).njit(func)
    t = time.perf_counter()
    value = func(*args)
    first = time.perf_counter() - t
    best = float("inf")
    for _ in range({repeats} if engine != "python" else 3):
        t = time.perf_counter()
        func(*args)
        best = min(best, time.perf_counter() - t)
    results[name] = {{"first": first, "steady": best, "value": value}}
print(json.dumps(results))
"""


def run_engine(engine):
    code = CHILD.format(bench=str(BENCH_DIR), engine=engine, kernels=[(k, a) for k, a, _ in KERNELS], repeats=REPEATS)
    return run_child("-c", code)


def main(engines=None):
    if engines is None:
        engines = ["ferrojit", "numba"] if have_numba() else ["ferrojit"]
    measured = {engine: run_engine(engine) for engine in [*engines, "python"]}
    failures = []
    for name, _, _ in KERNELS:
        values = {e: measured[e][name]["value"] for e in measured}
        if len({repr(v) for v in values.values()}) != 1:
            failures.append(f"{name}: results differ: {values}")
    numba = "numba" in engines
    lines = [
        f"Each engine in a fresh process; first call = compile + run on the benchmark input; steady state = best of {REPEATS} "
        "calls after it (CPython: best of 3). Ratios: ferrojit's time over the other's.",
        "",
        "| kernel | input | ferrojit first | " + ("Numba first | first ratio | " if numba else "")
        + "ferrojit steady | " + ("Numba steady | vs Numba | " if numba else "") + "CPython | vs CPython |",
        "|---|---|---:|" + ("---:|---:|" if numba else "") + "---:|" + ("---:|---:|" if numba else "") + "---:|---:|",
    ]
    first_ratios, steady_ratios = [], []
    for name, _, label in KERNELS:
        f = measured["ferrojit"][name]
        p = measured["python"][name]
        cells = [f"`{name}`", label, fmt_time(f["first"])]
        if numba:
            n = measured["numba"][name]
            first_ratios.append(f["first"] / n["first"])
            steady_ratios.append(f["steady"] / n["steady"])
            cells += [fmt_time(n["first"]), fmt_ratio(first_ratios[-1])]
        cells.append(fmt_time(f["steady"]))
        if numba:
            cells += [fmt_time(n["steady"]), fmt_ratio(steady_ratios[-1])]
        cells += [fmt_time(p["steady"]), fmt_ratio(f["steady"] / p["steady"])]
        lines.append("| " + " | ".join(cells) + " |")
        print(f"containers {name:20} ferrojit {fmt_time(f['steady']):>10}" + (f"  numba {fmt_time(n['steady']):>10}" if numba else ""), flush=True)
    if numba:
        lines += ["", f"Geometric means over the kernels: first call {fmt_ratio(geomean(first_ratios))} of Numba's, "
                  f"steady state {fmt_ratio(geomean(steady_ratios))} of Numba's."]
    lines = write_report(RESULTS_PATH, "Containers: ferrojit vs Numba and CPython", lines, failures)
    return lines, failures


if __name__ == "__main__":
    _, failed = main()
    sys.exit(1 if failed else 0)
