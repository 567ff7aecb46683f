"""Benchmarks: ferrojit and Numba side by side, in the same run.

Usage: ``make bench`` (installs numba into .venv first), or ``.venv/bin/python bench/run.py``
for both suites, ``bench/run.py scalar`` or ``bench/run.py arrays`` for one. This file is
the scalar suite; the array suite is ``bench/run_arrays.py`` (kernels in
``bench/kernels_arrays.py``, results in ``bench/results/arrays.md``), run after it.

For each kernel of ``bench/kernels_scalar.py`` it measures, per engine:

* first call: in a fresh subprocess, which imports the engine and the kernel module
  (not timed) and then times the first call, compilation included, with
  ``time.perf_counter``; median of ``FIRST_CALL_RUNS`` fresh processes;
* steady state: in this process, after a warm-up call, the best of N calls, N chosen so
  that the repeats of one kernel take about ``STEADY_BUDGET_S`` seconds.

It also times ``import ferrojit`` / ``import numba`` in a fresh process with numpy
already imported (median of ``IMPORT_RUNS``), checks that both engines return the same
results, and that those equal CPython's on smaller inputs. The Markdown table is printed
and written to ``bench/results/scalar.md``. Without numba installed only the ferrojit
columns are shown.
"""

import importlib.util
import json
import statistics
import sys
import time
from pathlib import Path

import common
from common import fmt_ratio, fmt_time, geomean, steady_state

BENCH_DIR = Path(__file__).resolve().parent
KERNELS_PATH = BENCH_DIR / "kernels_scalar.py"
RESULTS_PATH = BENCH_DIR / "results" / "scalar.md"

FIRST_CALL_RUNS = 3
IMPORT_RUNS = 5
STEADY_BUDGET_S = common.STEADY_BUDGET_S

# (kernel, benchmark arguments, smaller arguments checked against CPython)
KERNELS = [
    ("fib", (27,), (20,)),
    ("collatz_longest", (300_000,), (10_000,)),
    ("mandelbrot_count", (400, 300, 200), (40, 30, 50)),
]
KERNEL_NAMES = [k[0] for k in KERNELS]

ENGINES = ["ferrojit", "numba"]


# --------------------------------------------------------------------------- helpers


def load_kernels(engine):
    """A private copy of the kernel module with every kernel decorated by ``engine``.

    Each copy is its own module object, so the global ``fib`` that ``fib`` calls
    recursively is the decorated function of the same engine. ``engine=None`` gives the
    plain CPython functions.
    """
    name = f"_kernels_scalar_{engine or 'python'}"
    spec = importlib.util.spec_from_file_location(name, KERNELS_PATH)
    module = importlib.util.module_from_spec(spec)
    # Numba resolves a recursive call through sys.modules[func.__module__]; without this
    # entry the compiled fib aborts with "unresolved symbol".
    sys.modules[name] = module
    spec.loader.exec_module(module)
    if engine is not None:
        njit = importlib.import_module(engine).njit
        for kernel in KERNEL_NAMES:
            setattr(module, kernel, njit(getattr(module, kernel)))
    return module


def kernel_args(kernel):
    for name, args, _small in KERNELS:
        if name == kernel:
            return args
    raise KeyError(kernel)


def run_child(*argv):
    """Run this script in a fresh interpreter with ``argv``; return its JSON output."""
    return common.run_child(Path(__file__).resolve(), *argv)


def child_first_call(engine, kernel):
    """(in a fresh process) import, then time the first call of one kernel."""
    import numpy  # noqa: F401  (both engines are used alongside numpy; keep it out of the timing)

    module = load_kernels(engine)
    func = getattr(module, kernel)
    args = kernel_args(kernel)
    start = time.perf_counter()
    result = func(*args)
    elapsed = time.perf_counter() - start
    print(json.dumps({"seconds": elapsed, "result": result}))


def child_import(engine):
    """(in a fresh process) time ``import engine`` with numpy already imported."""
    import numpy  # noqa: F401

    start = time.perf_counter()
    importlib.import_module(engine)
    elapsed = time.perf_counter() - start
    print(json.dumps({"seconds": elapsed}))


# --------------------------------------------------------------------------- main


def main():
    have_numba = importlib.util.find_spec("numba") is not None
    engines = ENGINES if have_numba else ["ferrojit"]
    wall_start = time.perf_counter()

    header = [
        "# ferrojit vs Numba: scalar kernels",
        "",
        *common.machine_lines(have_numba),
        f"- first call: compile + run, fresh process each, median of {FIRST_CALL_RUNS}; "
        f"steady: best of N calls after a warm-up (N fills ~{STEADY_BUDGET_S} s)"
        + ("; ratio = ferrojit / Numba (< 1: ferrojit faster)" if have_numba else ""),
    ]
    if not have_numba:
        header.append("- **Numba is not installed: only ferrojit is measured** "
                      "(`make bench` installs it)")
    print("\n".join(header), flush=True)
    print(flush=True)

    # Import times.
    import_times = {}
    for engine in engines:
        runs = [run_child("--child-import", engine)["seconds"] for _ in range(IMPORT_RUNS)]
        import_times[engine] = statistics.median(runs)
        print(f"import {engine}: {fmt_time(import_times[engine])} "
              f"(median of {IMPORT_RUNS}, numpy already imported)", flush=True)

    # First calls, each in fresh processes.
    first = {}
    first_results = {}
    for kernel in KERNEL_NAMES:
        for engine in engines:
            runs = [run_child("--child-first-call", engine, kernel) for _ in range(FIRST_CALL_RUNS)]
            first[engine, kernel] = statistics.median(r["seconds"] for r in runs)
            results = {r["result"] for r in runs}
            assert len(results) == 1, f"{engine} {kernel}: results differ between runs: {results}"
            first_results[engine, kernel] = results.pop()
            print(f"first call {engine:8} {kernel:17} {fmt_time(first[engine, kernel]):>10} "
                  f"(runs: {', '.join(fmt_time(r['seconds']) for r in runs)})", flush=True)

    # Steady state, in this process; plus the correctness checks.
    plain = load_kernels(None)
    modules = {engine: load_kernels(engine) for engine in engines}
    steady = {}
    for kernel, args, small_args in KERNELS:
        expected_small = getattr(plain, kernel)(*small_args)
        for engine in engines:
            func = getattr(modules[engine], kernel)
            best, repeats, result = steady_state(func, args)
            steady[engine, kernel] = best
            assert result == first_results[engine, kernel], (engine, kernel, result)
            small = func(*small_args)
            assert small == expected_small, (
                f"{engine} {kernel}{small_args} = {small}, CPython gives {expected_small}")
            print(f"steady     {engine:8} {kernel:17} {fmt_time(best):>10} "
                  f"(best of {repeats}); result {result}", flush=True)
        if have_numba:
            fj, nb = first_results["ferrojit", kernel], first_results["numba", kernel]
            assert fj == nb, f"{kernel}: ferrojit gives {fj}, Numba gives {nb}"

    # Table.
    args_text = {k: ", ".join(map(str, a)) for k, a, _ in KERNELS}
    lines = []
    if have_numba:
        lines.append("| kernel | ferrojit first call | Numba first call | ratio "
                     "| ferrojit steady | Numba steady | ratio |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|")
        first_ratios, steady_ratios = [], []
        for kernel in KERNEL_NAMES:
            fr = first["ferrojit", kernel] / first["numba", kernel]
            sr = steady["ferrojit", kernel] / steady["numba", kernel]
            first_ratios.append(fr)
            steady_ratios.append(sr)
            lines.append(
                f"| `{kernel}({args_text[kernel]})` | {fmt_time(first['ferrojit', kernel])} "
                f"| {fmt_time(first['numba', kernel])} | {fmt_ratio(fr)} "
                f"| {fmt_time(steady['ferrojit', kernel])} "
                f"| {fmt_time(steady['numba', kernel])} | {fmt_ratio(sr)} |")
        lines.append(f"| **geometric mean** | | | **{fmt_ratio(geomean(first_ratios))}** "
                     f"| | | **{fmt_ratio(geomean(steady_ratios))}** |")
        lines.append("")
        lines.append("First call minus steady time, roughly the compilation cost:")
        lines.append("")
        lines.append("| kernel | ferrojit | Numba | ratio |")
        lines.append("|---|---:|---:|---:|")
        for kernel in KERNEL_NAMES:
            fj = first["ferrojit", kernel] - steady["ferrojit", kernel]
            nb = first["numba", kernel] - steady["numba", kernel]
            lines.append(f"| `{kernel}` | {fmt_time(fj)} | {fmt_time(nb)} "
                         f"| {fmt_ratio(fj / nb if nb > 0 else None)} |")
        lines.append("")
        lines.append(f"`import ferrojit`: {fmt_time(import_times['ferrojit'])}, "
                     f"`import numba`: {fmt_time(import_times['numba'])} "
                     f"(ratio {fmt_ratio(import_times['ferrojit'] / import_times['numba'])}; "
                     f"fresh process, numpy already imported, median of {IMPORT_RUNS})")
    else:
        lines.append("| kernel | ferrojit first call | ferrojit steady |")
        lines.append("|---|---:|---:|")
        for kernel in KERNEL_NAMES:
            lines.append(f"| `{kernel}({args_text[kernel]})` "
                         f"| {fmt_time(first['ferrojit', kernel])} "
                         f"| {fmt_time(steady['ferrojit', kernel])} |")
        lines.append("")
        lines.append(f"`import ferrojit`: {fmt_time(import_times['ferrojit'])} "
                     f"(fresh process, numpy already imported, median of {IMPORT_RUNS})")
    lines.append("")
    lines.append("Results checked: "
                 + ("ferrojit == Numba on every kernel, and both " if have_numba else "ferrojit ")
                 + "equal to CPython on smaller inputs "
                 + ", ".join(f"`{k}({', '.join(map(str, s))})`" for k, _, s in KERNELS) + ".")

    report = "\n".join(header) + "\n\n" + "\n".join(lines) + "\n"
    RESULTS_PATH.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_PATH.write_text(report, encoding="utf-8")
    print()
    print(report, end="")
    print(f"\n(written to {RESULTS_PATH.relative_to(BENCH_DIR.parent)}; "
          f"total {time.perf_counter() - wall_start:.1f} s)")


def run_suites(names):
    unknown = sorted(set(names) - {"scalar", "arrays", "cache"})
    if unknown:
        sys.exit(f"usage: run.py [scalar] [arrays] [cache]; unknown suite(s): {', '.join(unknown)}")
    if "scalar" in names:
        main()
    if "arrays" in names:
        import run_arrays

        if "scalar" in names:
            print("\n")
        run_arrays.main()
    if "cache" in names:
        import run_cache

        print("\n")
        run_cache.main()


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "--child-first-call":
        child_first_call(sys.argv[2], sys.argv[3])
    elif len(sys.argv) >= 2 and sys.argv[1] == "--child-import":
        child_import(sys.argv[2])
    else:
        run_suites(sys.argv[1:] or ["scalar", "arrays", "cache"])
