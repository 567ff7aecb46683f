"""What a `try` statement costs code that raises nothing: a hot loop without a `try`, with one
around its body and with one around the loop, compiled by ferrojit and by Numba (which
compiles `try`/`except Exception`), each engine in a fresh process, steady state (best of
``REPEATS`` calls after the first). Reported: each variant's time over the loop without
`try`, per engine. Results are printed and written to ``bench/results/try.md``.
"""

import sys
from pathlib import Path

from common import fmt_ratio, fmt_time, have_numba, run_child, write_report

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_PATH = BENCH_DIR / "results" / "try.md"
REPEATS = 30

KERNELS = '''
import math

def plain(a, d):
    s = 0.0
    for i in range(a.shape[0]):
        s += math.sqrt(a[i]) / d
    return s

def try_inside(a, d):
    s = 0.0
    for i in range(a.shape[0]):
        try:
            s += math.sqrt(a[i]) / d
        except Exception:
            s = -1.0
    return s

def try_around(a, d):
    s = 0.0
    try:
        for i in range(a.shape[0]):
            s += math.sqrt(a[i]) / d
    except Exception:
        s = -1.0
    return s

def int_plain(a, d):
    s = 0
    for i in range(a.shape[0]):
        s += a[i] // d
    return s

def int_try_inside(a, d):
    s = 0
    for i in range(a.shape[0]):
        try:
            s += a[i] // d
        except Exception:
            s = -1
    return s

def lookups(keys, n):
    # Exception-heavy: about half of the lookups miss and raise KeyError.
    table = {}
    for i in range(0, n, 2):
        table[i] = i
    found = 0
    missing = 0
    for k in keys:
        try:
            found += table[k]
        except Exception:
            missing += 1
    return found * 1000003 + missing
'''

CHILD = """
import sys, time, json, tempfile, importlib.util, os
import numpy as np
engine = __import__({engine!r}) if {engine!r} != "python" else None
path = os.path.join(tempfile.mkdtemp(), "try_kernels.py")
with open(path, "w") as f:
    f.write({kernels!r})
spec = importlib.util.spec_from_file_location("try_kernels", path)
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
floats = (np.random.default_rng(1).random(2_000_000) + 1.0, 3.0)
ints = (np.random.default_rng(2).integers(0, 1000, 2_000_000), 7)
keys = (np.random.default_rng(3).integers(0, 20000, 200_000), 20000)
results = {{}}
for name in ("plain", "try_inside", "try_around", "int_plain", "int_try_inside", "lookups"):
    func = getattr(module, name) if {engine!r} == "python" else engine.njit(getattr(module, name))
    args = keys if name == "lookups" else (ints if name.startswith("int") else floats)
    if {engine!r} == "python" and name != "lookups":
        continue
    value = func(*args)
    best = float("inf")
    for _ in range({repeats}):
        t = time.perf_counter()
        func(*args)
        best = min(best, time.perf_counter() - t)
    results[name] = {{"steady": best, "value": float(value)}}
print(json.dumps(results))
"""

ROWS = [("float loop, `try` around the body", "try_inside", "plain"), ("float loop, `try` around the loop", "try_around", "plain"), ("integer `//` loop, `try` around the body", "int_try_inside", "int_plain")]


def main():
    engines = ["ferrojit", "numba"] if have_numba() else ["ferrojit"]
    measured = {e: run_child("-c", CHILD.format(engine=e, kernels=KERNELS, repeats=REPEATS)) for e in engines}
    python = run_child("-c", CHILD.format(engine="python", kernels=KERNELS, repeats=3))
    failures = []
    for name in measured["ferrojit"]:
        values = {e: m[name]["value"] for e, m in measured.items()}
        if name in python:
            values["python"] = python[name]["value"]
        if len(set(values.values())) > 1 and max(values.values()) - min(values.values()) > 1e-9 * max(1.0, abs(max(values.values()))):
            failures.append(f"{name}: results differ: {values}")
    header = "| variant | " + " | ".join(f"{e} time | {e} over without `try`" for e in engines) + " |"
    lines = [
        "Steady state, best of " + str(REPEATS) + " calls, each engine in a fresh process; 2 x 10^6 elements. "
        "The ratio is the variant's time over the same engine's loop without `try`.",
        "",
        header,
        "|---|" + "---:|---:|" * len(engines),
    ]
    for label, variant, base in ROWS:
        cells = [label]
        for e in engines:
            m = measured[e]
            cells += [fmt_time(m[variant]["steady"]), fmt_ratio(m[variant]["steady"] / m[base]["steady"])]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("Without `try`: " + ", ".join(f"{e} {fmt_time(measured[e]['plain']['steady'])} (float), {fmt_time(measured[e]['int_plain']['steady'])} (integer)" for e in engines) + ".")
    lookup = {e: measured[e]["lookups"]["steady"] for e in engines}
    lines += ["", "An exception-heavy loop: 2 x 10^5 dict lookups, about half of them missing and caught (`except Exception`, the form Numba compiles): "
              + ", ".join(f"{e} {fmt_time(t)}" for e, t in lookup.items()) + f", CPython {fmt_time(python['lookups']['steady'])}"
              + (f"; ferrojit {fmt_ratio(lookup['ferrojit'] / lookup['numba'])} of Numba's time" if "numba" in lookup else "")
              + f", {fmt_ratio(lookup['ferrojit'] / python['lookups']['steady'])} of CPython's."]
    lines = write_report(RESULTS_PATH, "The cost of `try` in code that raises nothing", lines, failures)
    return lines, failures


if __name__ == "__main__":
    _, failed = main()
    sys.exit(1 if failed else 0)
