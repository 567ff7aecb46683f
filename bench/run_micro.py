"""Micro-benchmarks: import times and the overhead of one call from Python.

* ``import ferrojit`` / ``import numba``: in a fresh process with numpy already imported,
  median of ``IMPORT_RUNS`` processes.
* Per-call overhead: the near-empty functions of ``kernels_calls.py`` called from a Python
  loop by ``timeit`` (statement ``f(args)``, arguments bound in the timeit namespace), best
  of ``REPEATS`` repeats of N calls, in ns per call: the whole call is included (timeit's
  loop, looking up ``f`` and the arguments, dispatch, unboxing, the compiled code, boxing the
  result). Side by side: compiled by ferrojit, by Numba, and the plain Python function.

Alone: ``.venv/bin/python bench/run.py micro``. Writes ``bench/results/micro.md``.
"""

import importlib
import json
import statistics
import sys
import time
import timeit
from pathlib import Path

import numpy as np

import common
from common import RESULTS_DIR, fmt_ns, fmt_ratio, fmt_time, load_kernels

IMPORT_RUNS = 5
REPEATS = 7
STREAM_N = 1 << 24  # 16 Mi float64 per array: 128 MiB, far beyond the caches
STREAM_REPEATS = 5
REPEAT_TARGET_S = 0.03  # N is chosen so that one repeat takes about this long

# (function, label, argument expression evaluated in the timeit namespace)
SHAPES = [
    ("no_args", "no arguments: `f()`", ""),
    ("one_int", "one int: `f(1)`", "n"),
    ("one_float", "one float: `f(1.5)`", "x"),
    ("one_array", "1-d array: `f(a)` (a: 1000 f8)", "a"),
    ("int_float_array", "int, float, array: `f(1, 1.5, a)`", "n, x, a"),
    ("eight_ints", "eight ints: `f(1, 2, ..., 8)`", "1, 2, 3, 4, 5, 6, 7, 8"),
    ("one_tuple", "a tuple: `f((3, 4))`", "t"),
    ("new_array", "returns a new array: `np.empty(3)`", ""),
]
NAMESPACE = {"n": 1, "x": 1.5, "a": np.arange(1000.0), "t": (3, 4)}


def child_import(engine):
    """(in a fresh process) time ``import engine`` with numpy already imported."""
    start = time.perf_counter()
    importlib.import_module(engine)
    print(json.dumps({"seconds": time.perf_counter() - start}))


def per_call(func, arg_text):
    """Best time per call, in seconds, of ``func(<arg_text>)`` in a timeit loop."""
    namespace = dict(NAMESPACE, f=func)
    timer = timeit.Timer(f"f({arg_text})", globals=namespace)
    func(*eval(f"({arg_text},)" if arg_text else "()", namespace))  # compile, warm up
    number = 1
    while timer.timeit(number) < REPEAT_TARGET_S / 4:
        number *= 4
    return min(timer.repeat(repeat=REPEATS, number=number)) / number


def bandwidth(engines):
    """Memory bandwidth of the streaming kernel `out[i] = a[i] * b[i] + c[i]` (32 bytes moved
    per element, not counting write-allocate) against a plain NumPy copy of the same arrays
    (`np.copyto`, 16 bytes per element), in GB/s: best of STREAM_REPEATS."""
    rng = np.random.default_rng(0)
    a, b, c = (rng.random(STREAM_N) for _ in range(3))
    out = np.empty(STREAM_N)

    def best(fn):
        fn()
        return min(timeit.repeat(fn, repeat=STREAM_REPEATS, number=1))

    copy_s = best(lambda: np.copyto(out, a))
    rates = {"numpy copy": 16 * STREAM_N / copy_s / 1e9}
    for engine in engines:
        triad = getattr(load_kernels("kernels_calls", engine, ["triad"]), "triad")
        seconds = best(lambda: triad(a, b, c, out))
        np.testing.assert_array_equal(out, a * b + c)
        rates[engine] = 32 * STREAM_N / seconds / 1e9
        print(f"stream {engine:8} {rates[engine]:6.1f} GB/s (numpy copy {rates['numpy copy']:.1f} GB/s)", flush=True)
    return rates


def main(engines):
    wall = time.perf_counter()
    imports = {}
    for engine in engines:
        runs = [common.run_child(Path(__file__).resolve(), "--child-import", engine)["seconds"]
                for _ in range(IMPORT_RUNS)]
        imports[engine] = statistics.median(runs)
        print(f"import {engine}: {fmt_time(imports[engine])} (runs: "
              f"{', '.join(fmt_time(r) for r in runs)})", flush=True)

    names = [s[0] for s in SHAPES]
    modules = {e: load_kernels("kernels_calls", e, names) for e in engines}
    modules["python"] = load_kernels("kernels_calls", None, names)
    columns = [*engines, "python"]
    loop = min(timeit.Timer("pass").repeat(repeat=REPEATS, number=1_000_000)) / 1_000_000
    times = {}
    for name, label, arg_text in SHAPES:
        for col in columns:
            times[name, col] = per_call(getattr(modules[col], name), arg_text)
        print(f"call {name:16} " + "  ".join(f"{c} {fmt_ns(times[name, c]):>7}" for c in columns),
              flush=True)

    title = {"ferrojit": "ferrojit", "numba": "Numba", "python": "plain Python"}
    lines = ["### Import time", "",
             f"`import <engine>` in a fresh process with numpy already imported, median of "
             f"{IMPORT_RUNS} processes.", "",
             "| engine | import time |" + (" ratio ferrojit / Numba |" if "numba" in engines else ""),
             "|---|---:|" + ("---:|" if "numba" in engines else "")]
    for engine in engines:
        ratio = ""
        if "numba" in engines:
            ratio = (f" {fmt_ratio(imports['ferrojit'] / imports['numba'])} |"
                     if engine == "ferrojit" else " |")
        lines.append(f"| `import {engine}` | {fmt_time(imports[engine])} |{ratio}")
    lines += ["", "### Call overhead", "",
              f"A near-empty function (`bench/kernels_calls.py`) called from a Python loop by "
              f"`timeit`, best of {REPEATS} repeats, ns per call, the whole call included "
              f"(timeit's own loop: {fmt_ns(loop)} per iteration).", "",
              "| call | " + " | ".join(title[c] for c in columns)
              + (" | ratio ferrojit / Numba |" if "numba" in engines else " |"),
              "|---|" + "---:|" * len(columns) + ("---:|" if "numba" in engines else "")]
    for name, label, _ in SHAPES:
        row = f"| {label} | " + " | ".join(fmt_ns(times[name, c]) for c in columns) + " |"
        if "numba" in engines:
            row += f" {fmt_ratio(times[name, 'ferrojit'] / times[name, 'numba'])} |"
        lines.append(row)
    if "numba" in engines:
        lines.append(f"| **geometric mean** | | | | **"
                     f"{fmt_ratio(common.geomean(times[s[0], 'ferrojit'] / times[s[0], 'numba'] for s in SHAPES))}"
                     f"** |")
    rates = bandwidth(engines)
    lines += ["", "### Memory bandwidth", "",
              f"`out[i] = a[i] * b[i] + c[i]` over {STREAM_N:,} float64 elements (32 bytes per element), "
              f"against `np.copyto` of the same size (16 bytes per element); best of {STREAM_REPEATS}.", "",
              "| code | GB/s | share of the NumPy copy |", "|---|---:|---:|"]
    for name, rate in rates.items():
        label = {"numpy copy": "NumPy copy", "ferrojit": "ferrojit triad", "numba": "Numba triad"}[name]
        lines.append(f"| {label} | {rate:.1f} | {rate / rates['numpy copy']:.0%} |")
    report = "# Micro-benchmarks\n\n" + "\n".join(common.machine_lines("numba" in engines)) \
        + "\n\n" + "\n".join(lines) + "\n"
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / "micro.md").write_text(report, encoding="utf-8")
    print("\n" + report)
    print(f"(micro suite: {time.perf_counter() - wall:.1f} s)", flush=True)
    return lines


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "--child-import":
        child_import(sys.argv[2])
    else:
        main(["ferrojit", "numba"] if common.have_numba() else ["ferrojit"])
