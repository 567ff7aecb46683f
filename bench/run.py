"""Benchmarks: ferrojit, Numba and CPython side by side, in the same run.

Usage: ``make bench`` (installs numba, pythran and matplotlib into .venv first), or
``.venv/bin/python bench/run.py [kernels] [exprs] [micro] [cache] [--only NAME,NAME]``: all
four suites by default; ``--only`` restricts the kernel and array-expression suites to some
kernels.

Kernel suite (the kernels of ``kernels_scalar.py`` and ``kernels_arrays.py``, their inputs
in ``specs.py``), per kernel and engine:

* first call: in a fresh subprocess, which imports numpy, the engine and the kernel module
  and builds the input (none of it timed), then times the first call, compilation
  included, with ``time.perf_counter``; median of ``FIRST_CALL_RUNS`` fresh processes;
* steady state: in this process, after a warm-up call, the best of N calls, N chosen so
  that the repeats take about ``STEADY_BUDGET_S`` seconds, in two rounds (ferrojit, Numba,
  Numba, ferrojit) so that a slow spell of the machine does not favour one engine;
* CPython: the same undecorated code on the smaller input of ``specs.py``, best of
  ``CPYTHON_REPEATS`` calls, scaled to the benchmark size by the work ratio (an estimate:
  CPython at the full size would take minutes).

Every result is checked: ferrojit against Numba on the benchmark input, each engine against
CPython on the smaller input, each against a NumPy one-liner where there is one, and each
fresh process's result against the steady-state one. ``boundscheck=True`` is timed against
the default for two kernels.

Array-expression suite (``run_exprs.py``): whole-array NumPy code, ferrojit against NumPy,
Numba and Pythran.
Micro suite (``run_micro.py``): ``import`` times and the overhead of one call from Python.
Cache suite (``run_cache.py``): first call with ``cache=True``, compiling against loading.

Reports: ``bench/results/kernels.md``, ``exprs.md``, ``micro.md``, ``cache.md``, all of them together in
``summary.md``, and the chart ``summary.png`` (speed-ups relative to Numba, log scale; needs
matplotlib). Without numba installed only ferrojit and CPython are measured.
"""

import json
import statistics
import sys
import time
from pathlib import Path

import common
from common import (RESULTS_DIR, compare, fmt_diff, fmt_ratio, fmt_speedup, fmt_time, geomean,
                    is_integer, load_kernels, steady_state, summary)
from specs import KERNEL_BY_NAME, KERNELS, names_in

FIRST_CALL_RUNS = 3
STEADY_BUDGET_S = 0.8  # per engine and kernel, in two rounds
CPYTHON_REPEATS = 3
SLOWER_THRESHOLD = 1.10  # "slower than Numba" means a steady-state ratio above this
ENGINES = ["ferrojit", "numba"]
SUITES = ["kernels", "exprs", "micro", "cache", "containers", "parallel"]
ENGINE_TITLE = {"ferrojit": "ferrojit", "numba": "Numba", "python": "CPython"}

# Tolerances of the float checks, relative to the largest magnitude of the expected value
# (max |got - expected| / max |expected|). Integer results must be equal.
#
# ENGINE_RTOL (ferrojit vs Numba) and CPYTHON_RTOL (an engine vs the same code run by
# CPython): the loops add in the same order everywhere, but the element functions need
# not agree to the last bit. ferrojit's vectorised loops call glibc's libmvec (e.g.
# _ZGVeN8v_tanh), Numba calls libm's scalar functions, CPython's np.tanh on a scalar uses
# NumPy's own SIMD loop: on uniform [0, 1) inputs about half of libmvec's tanh values
# differ from libm's in the last bit. Such a difference is ~1e-16 of one term, mostly
# absorbed by the rounding of the running sum; where it is not, the two sums take
# different roundings from there on, a random walk of ~sqrt(N) * 1.1e-16 (2e-13 for the
# 4e6 terms of the seed kernel). 1e-12 leaves a margin while still catching any real
# error (one wrong or missing term is ~1e-7 of the seed sum).
ENGINE_RTOL = 1e-12
CPYTHON_RTOL = 1e-12
# Against NumPy: each Kernel's numpy_rtol (NumPy sums pairwise or through blocked BLAS).

BOUNDSCHECK_KERNELS = ["jit_tan_sum", "matmul"]


# --------------------------------------------------------------------------- helpers


def load(module, engine, overrides=None, options=None):
    return load_kernels(module, engine, names_in(module), overrides, options)


def kernel_func(spec, engine, cache, overrides=None):
    """The kernel under ``engine`` (None: CPython), from a module copy kept in ``cache``."""
    key = (spec.module, engine, tuple(sorted((overrides or {}).items())))
    if key not in cache:
        cache[key] = load(spec.module, engine, overrides)
    return getattr(cache[key], spec.name)


def best_of(func, args, repeats):
    best = None
    result = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = func(*args)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def run_child(*argv):
    return common.run_child(Path(__file__).resolve(), *argv)


def child_first_call(engine, kernel):
    """(in a fresh process) import, build the input, then time the first call."""
    spec = KERNEL_BY_NAME[kernel]
    func = getattr(load(spec.module, engine), kernel)
    args = spec.args()
    start = time.perf_counter()
    result = func(*args)
    elapsed = time.perf_counter() - start
    print(json.dumps({"seconds": elapsed, "result": summary(result)}))


# --------------------------------------------------------------------------- kernel suite


def measure_kernels(specs, engines):
    """Run every measurement and check; returns a dict of everything the reports need."""
    first, first_results = {}, {}
    for spec in specs:
        for engine in engines:
            runs = [run_child("--child-first-call", engine, spec.name)
                    for _ in range(FIRST_CALL_RUNS)]
            first[engine, spec.name] = statistics.median(r["seconds"] for r in runs)
            digests = {json.dumps(r["result"], sort_keys=True) for r in runs}
            assert len(digests) == 1, f"{engine} {spec.name}: results differ between runs: {digests}"
            first_results[engine, spec.name] = runs[0]["result"]
            print(f"first call {engine:8} {spec.name:19} {fmt_time(first[engine, spec.name]):>10} "
                  f"(runs: {', '.join(fmt_time(r['seconds']) for r in runs)})", flush=True)

    cache = {}
    steady, cpython, work_ratio, checks, integer, failures = {}, {}, {}, {}, {}, []
    for spec in specs:
        kernel = spec.name
        args = spec.args()
        small_args = spec.small()
        plain_small = kernel_func(spec, None, cache, spec.small_globals)
        cpython[kernel], expected_small = best_of(plain_small, small_args, CPYTHON_REPEATS)
        numpy_expected = spec.numpy(*args) if spec.numpy else None
        # Steady state in two rounds, engines in the order A B B A, each round with half the
        # budget: a slow spell of the machine (other work running beside) then hits both.
        results, repeats = {}, {}
        for order in (engines, engines[::-1]):
            for engine in order:
                func = kernel_func(spec, engine, cache)
                best, n, results[engine] = steady_state(func, args, STEADY_BUDGET_S / 2)
                steady[engine, kernel] = min(best, steady.get((engine, kernel), best))
                repeats[engine] = repeats.get(engine, 0) + n
        for engine in engines:
            result = results[engine]
            if summary(result) != first_results[engine, kernel]:
                failures.append(f"{engine} {kernel}: {summary(result)} in this process but "
                                f"{first_results[engine, kernel]} in a fresh one")
            small = kernel_func(spec, engine, cache, spec.small_globals)(*small_args)
            checks[kernel, f"{engine} vs CPython"] = d = compare(small, expected_small)
            if d is None or d > CPYTHON_RTOL:
                failures.append(f"{engine} {kernel} ({spec.small_label}): {summary(small)} but "
                                f"CPython gives {summary(expected_small)} (difference {d})")
            if spec.numpy:
                checks[kernel, f"{engine} vs NumPy"] = d = compare(result, numpy_expected)
                if d is None or d > spec.numpy_rtol:
                    failures.append(f"{engine} {kernel}: differs from {spec.numpy_text} "
                                    f"(difference {d})")
            print(f"steady     {engine:8} {kernel:19} {fmt_time(steady[engine, kernel]):>10} "
                  f"(best of {repeats[engine]}); "
                  f"result {json.dumps(summary(result))[:70]}", flush=True)
        if "numba" in engines:
            checks[kernel, "ferrojit vs Numba"] = d = compare(results["ferrojit"], results["numba"])
            if d is None or d > ENGINE_RTOL:
                failures.append(f"{kernel}: ferrojit {summary(results['ferrojit'])} but Numba "
                                f"{summary(results['numba'])} (difference {d})")
        work_ratio[kernel] = (spec.work(args, results["ferrojit"])
                              / spec.work(small_args, expected_small))
        integer[kernel] = is_integer(results["ferrojit"])
        print(f"CPython             {kernel:19} {fmt_time(cpython[kernel]):>10} on "
              f"{spec.small_label}; x {work_ratio[kernel]:.4g} work -> "
              f"~{fmt_time(cpython[kernel] * work_ratio[kernel])}", flush=True)
        del args, results, numpy_expected

    bounds = {}
    measured = {s.name for s in specs}
    for engine in engines:
        for kernel in BOUNDSCHECK_KERNELS:
            if kernel not in measured:
                continue
            spec = KERNEL_BY_NAME[kernel]
            checked = load(spec.module, engine, options={"boundscheck": True})
            args = spec.args()
            best, repeats, result = steady_state(getattr(checked, kernel), args)
            bounds[engine, kernel] = best
            same = compare(result, kernel_func(spec, engine, cache)(*args))
            if same != 0.0:
                failures.append(f"{engine} {kernel}: boundscheck=True changes the result "
                                f"(difference {same})")
            print(f"boundscheck {engine:8} {kernel:18} {fmt_time(best):>10} (best of {repeats}); "
                  f"default {fmt_time(steady[engine, kernel])}", flush=True)

    return {"first": first, "steady": steady, "cpython": cpython, "work_ratio": work_ratio,
            "checks": checks, "integer": integer, "failures": failures, "bounds": bounds}


def kernel_report(specs, engines, m):
    """(headline lines, Markdown lines of the kernel tables, chart rows)."""
    have_numba = "numba" in engines
    first, steady, cpython, work_ratio = m["first"], m["steady"], m["cpython"], m["work_ratio"]
    cpy_est = {s.name: cpython[s.name] * work_ratio[s.name] for s in specs}
    lines, headline, chart_rows = [], [], []

    if have_numba:
        lines += [
            "| kernel | group | ferrojit first call | Numba first call | ratio "
            "| ferrojit steady | Numba steady | ratio | CPython steady (est.)* |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        first_ratios, steady_ratios = {}, {}
        for spec in specs:
            k = spec.name
            first_ratios[k] = first["ferrojit", k] / first["numba", k]
            steady_ratios[k] = steady["ferrojit", k] / steady["numba", k]
            flag = " ⚠" if steady_ratios[k] > SLOWER_THRESHOLD else ""
            lines.append(
                f"| {spec.label} | {spec.group} | {fmt_time(first['ferrojit', k])} "
                f"| {fmt_time(first['numba', k])} | {fmt_ratio(first_ratios[k])} "
                f"| {fmt_time(steady['ferrojit', k])} | {fmt_time(steady['numba', k])} "
                f"| {fmt_ratio(steady_ratios[k])}{flag} | ~{fmt_time(cpy_est[k])} |")
            chart_rows.append((k, 1 / first_ratios[k], 1 / steady_ratios[k]))
        gm_first = geomean(first_ratios.values())
        gm_steady = geomean(steady_ratios.values())
        lines.append(f"| **geometric mean ({len(specs)} kernels)** | | | | **{fmt_ratio(gm_first)}** "
                     f"| | | **{fmt_ratio(gm_steady)}** | |")
        slower = [(k, r) for k, r in steady_ratios.items() if r > SLOWER_THRESHOLD]
        worst_first = max(first_ratios.items(), key=lambda kv: kv[1])
        worst_steady = max(steady_ratios.items(), key=lambda kv: kv[1])
        compile_ratios = {}
        for spec in specs:
            fj = first["ferrojit", spec.name] - steady["ferrojit", spec.name]
            nb = first["numba", spec.name] - steady["numba", spec.name]
            if fj > 0 and nb > 0:
                compile_ratios[spec.name] = fj / nb
        headline += [
            f"- **{len(specs)} kernels**; ratio = ferrojit time / Numba time (< 1: ferrojit faster)",
            f"- geometric mean of the ratios: first call (compile + run) **{fmt_ratio(gm_first)}**, "
            f"steady state **{fmt_ratio(gm_steady)}**; compile cost alone (first call − steady) "
            f"{fmt_ratio(geomean(compile_ratios.values()))}",
            f"- slower than Numba by more than {round((SLOWER_THRESHOLD - 1) * 100)}% in steady "
            f"state: **{len(slower)} of {len(specs)}**"
            + (" (" + ", ".join(f"`{k}` {fmt_ratio(r)}" for k, r in slower) + ")" if slower else ""),
            f"- worst first-call ratio: **{fmt_ratio(worst_first[1])}** (`{worst_first[0]}`); "
            f"worst steady-state ratio: {fmt_ratio(worst_steady[1])} (`{worst_steady[0]}`)",
        ]
    else:
        lines += ["| kernel | group | ferrojit first call | ferrojit steady | CPython steady (est.)* |",
                  "|---|---|---:|---:|---:|"]
        for spec in specs:
            k = spec.name
            lines.append(f"| {spec.label} | {spec.group} | {fmt_time(first['ferrojit', k])} "
                         f"| {fmt_time(steady['ferrojit', k])} | ~{fmt_time(cpy_est[k])} |")
        headline.append(f"- **{len(specs)} kernels**; Numba is not installed: only ferrojit and "
                        "CPython are measured (`make bench` installs it)")

    speedups = {e: geomean(cpy_est[s.name] / steady[e, s.name] for s in specs) for e in engines}
    headline.append("- speed-up over CPython in steady state (CPython estimated, see below), "
                    "geometric mean: " + ", ".join(f"{ENGINE_TITLE[e]} {fmt_speedup(speedups[e])}"
                                                   for e in engines))
    lines += [
        "",
        "\\* CPython is an **estimate**: the same code run by CPython on a smaller input, best "
        f"of {CPYTHON_REPEATS}, multiplied by the work ratio (benchmark input / smaller input; "
        "loop iterations, or inner steps counted exactly or in expectation, see `specs.py`). "
        "⚠: ferrojit more than 10% slower than Numba in steady state.",
    ]

    # First call minus steady state.
    if have_numba:
        lines += ["", "### Compilation", "",
                  "First call minus steady-state time, roughly the compilation cost (dispatch, "
                  "typing, LLVM):", "",
                  "| kernel | ferrojit | Numba | ratio |", "|---|---:|---:|---:|"]
        for spec in specs:
            fj = first["ferrojit", spec.name] - steady["ferrojit", spec.name]
            nb = first["numba", spec.name] - steady["numba", spec.name]
            lines.append(f"| `{spec.name}` | {fmt_time(fj)} | {fmt_time(nb)} "
                         f"| {fmt_ratio(fj / nb if nb > 0 else None)} |")

    # CPython details.
    lines += ["", "### CPython (estimated)", "",
              "CPython runs the same undecorated code on the smaller input; the estimate at the "
              "benchmark size is that time multiplied by the work ratio.", "",
              "| kernel | CPython input | CPython time | work ratio | CPython est. | "
              + " | ".join(f"{ENGINE_TITLE[e]} speed-up" for e in engines) + " |",
              "|---|---|---:|---:|---:|" + "---:|" * len(engines)]
    for spec in specs:
        k = spec.name
        lines.append(f"| `{k}` | {spec.small_label} | {fmt_time(cpython[k])} "
                     f"| {work_ratio[k]:.4g} | ~{fmt_time(cpy_est[k])} | "
                     + " | ".join(fmt_speedup(cpy_est[k] / steady[e, k]) for e in engines) + " |")

    # Bounds checking.
    bounds = m["bounds"]
    bc_kernels = [k for k in BOUNDSCHECK_KERNELS if ("ferrojit", k) in bounds]
    if bc_kernels:
        lines += ["", "### Bounds checking", "",
                  "Steady state, `njit(boundscheck=True)` against the default (no checks); "
                  "ratio = checked / unchecked", ""]
        lines.append("| kernel | " + " | ".join(
            f"{ENGINE_TITLE[e]} unchecked | {ENGINE_TITLE[e]} checked | ratio" for e in engines) + " |")
        lines.append("|---|" + "---:|---:|---:|" * len(engines))
        for k in bc_kernels:
            lines.append(f"| `{k}` | " + " | ".join(
                f"{fmt_time(steady[e, k])} | {fmt_time(bounds[e, k])} "
                f"| {fmt_ratio(bounds[e, k] / steady[e, k])}" for e in engines) + " |")

    # Result checks.
    checks = m["checks"]
    columns = (["ferrojit vs Numba"] if have_numba else []) + [
        f"{e} vs CPython" for e in engines] + [f"{e} vs NumPy" for e in engines]
    lines += ["", "### Result checks", "",
              "Relative difference max\\|got − expected\\| / max\\|expected\\| (`identical`: bit "
              "for bit; integers must be `equal`). Bounds: "
              f"{ENGINE_RTOL:g} between the engines and against CPython running the same code on "
              "the smaller input (same order of additions; `tanh`, `exp`, `cos` may differ in the "
              "last bit: ferrojit's vectorised loops call glibc's libmvec, Numba libm's scalar "
              "functions); 1e-9 against NumPy (pairwise summation, blocked BLAS), 1e-2 for the "
              "float32 dot product against a float64 `np.dot` (its float32 running sum of 4e6 "
              "terms of ~0.25 reaches 1e6, where float32 numbers are 0.06 apart).", "",
              "| kernel | " + " | ".join(c.replace("numba", "Numba") for c in columns)
              + " | NumPy reference |",
              "|---|" + "---:|" * len(columns) + "---|"]
    for spec in specs:
        k = spec.name
        cells = [fmt_diff(checks[k, c], m["integer"][k]) if (k, c) in checks else "–"
                 for c in columns]
        lines.append(f"| `{k}` | " + " | ".join(cells)
                     + f" | {'`' + spec.numpy_text + '`' if spec.numpy else '–'} |")
    if m["failures"]:
        lines += ["", "**Failed checks:**"] + [f"- {f}" for f in m["failures"]]
    return headline, lines, chart_rows


def run_kernel_suite(specs, engines, header):
    wall = time.perf_counter()
    m = measure_kernels(specs, engines)
    headline, lines, chart_rows = kernel_report(specs, engines, m)
    report = "\n".join(["# Kernels: ferrojit vs Numba vs CPython", "", *header, *headline,
                        "", *lines]) + "\n"
    (RESULTS_DIR / "kernels.md").write_text(report, encoding="utf-8")
    print("\n" + report)
    print(f"(kernel suite: {time.perf_counter() - wall:.1f} s)", flush=True)
    return headline, lines, chart_rows, m["failures"]


# --------------------------------------------------------------------------- main


def main(argv):
    only = None
    if "--only" in argv:
        i = argv.index("--only")
        only = set(argv[i + 1].split(","))
        argv = argv[:i] + argv[i + 2:]
    suites = argv or list(SUITES)
    unknown = sorted(set(suites) - set(SUITES))
    if unknown:
        sys.exit(f"usage: run.py [kernels] [exprs] [micro] [cache] [containers] [parallel] [--only NAME,NAME]; "
                 f"unknown: {', '.join(unknown)}")
    from specs_exprs import EXPR_KERNELS

    specs = [k for k in KERNELS if only is None or k.name in only]
    known = {k.name for k in KERNELS} | {k.name for k in EXPR_KERNELS}
    if only and only - known:
        sys.exit(f"unknown kernel(s): {', '.join(sorted(only - known))}")

    have_numba = common.have_numba()
    engines = ENGINES if have_numba else ["ferrojit"]
    wall = time.perf_counter()
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    header = [
        *common.machine_lines(have_numba),
        f"- first call: compile + run in a fresh process (numpy imported and inputs built before "
        f"the timer starts), median of {FIRST_CALL_RUNS}; steady state: best of N calls after a "
        f"warm-up (N fills ~{STEADY_BUDGET_S} s per engine, in two rounds ordered ferrojit, Numba, "
        "Numba, ferrojit); kernels returning arrays allocate them in every call, with every "
        "engine",
    ]
    if not have_numba:
        header.append("- **Numba is not installed: only ferrojit is measured** "
                      "(`make bench` installs it)")
    print("\n".join(header) + "\n", flush=True)

    sections = []
    failures = []
    chart_rows = None
    if "kernels" in suites and specs:
        headline, lines, chart_rows, failures = run_kernel_suite(specs, engines, header)
        sections.append(("## Kernels", headline + [""] + lines))
    if "exprs" in suites and (only is None or only & {k.name for k in EXPR_KERNELS}):
        import run_exprs

        lines, expr_failures = run_exprs.main(have_numba, only)
        failures = failures + expr_failures
        sections.append(("## Array expressions: ferrojit vs NumPy, Numba and Pythran", lines))
    if "micro" in suites:
        import run_micro

        sections.append(("## Micro-benchmarks", run_micro.main(engines)))
    if "cache" in suites:
        import run_cache

        sections.append(("## Cache", run_cache.main(engines)))
    if "containers" in suites:
        import run_containers

        container_lines, container_failures = run_containers.main(engines)
        failures = failures + container_failures
        sections.append(("## Containers: lists", container_lines))
    if "parallel" in suites:
        import run_parallel

        parallel_lines, parallel_failures = run_parallel.main()
        failures = failures + parallel_failures
        sections.append(("## Parallel: parallel=True against serial", parallel_lines))

    total = time.perf_counter() - wall
    if set(suites) != set(SUITES) or only:
        # A partial run keeps its own tables (kernels.md, exprs.md, ...) and leaves the
        # summary and the chart of the last full run alone.
        print(f"\n(partial run, summary not rewritten; total {total:.1f} s)")
        if failures:
            print("\nFAILED CHECKS:\n" + "\n".join(failures))
            sys.exit(1)
        return
    out = ["# ferrojit vs Numba vs CPython: benchmark summary", "", *header,
           f"- `{' '.join(['bench/run.py', *sys.argv[1:]])}`: {total:.0f} s in all"]
    if chart_rows and have_numba:
        import chart

        png = RESULTS_DIR / "summary.png"
        if chart.write_chart(png, chart_rows, header_note=common.machine_lines(True)[1][2:]):
            out += ["", "![speed-ups relative to Numba](summary.png)"]
        else:
            out += ["", "(no chart: matplotlib is not installed; `make bench` installs it)"]
    for title, lines in sections:
        out += ["", title, "", *lines]
    (RESULTS_DIR / "summary.md").write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"\n(written to bench/results/summary.md{' and summary.png' if chart_rows else ''}; "
          f"total {total:.1f} s)")
    if failures:
        print("\nFAILED CHECKS:\n" + "\n".join(failures))
        sys.exit(1)


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "--child-first-call":
        child_first_call(sys.argv[2], sys.argv[3])
    else:
        main(sys.argv[1:])
