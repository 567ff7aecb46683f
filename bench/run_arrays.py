"""Array benchmark: ferrojit and Numba side by side, in the same run.

Usage: ``make bench`` runs it after the scalar suite; alone: ``.venv/bin/python
bench/run.py arrays`` (or ``.venv/bin/python bench/run_arrays.py``).

For each kernel of ``bench/kernels_arrays.py`` (explicit loops over NumPy arrays) it
measures, per engine, as the scalar suite does:

* first call: in a fresh subprocess, which imports numpy, the engine and the kernel module
  and builds the input arrays (none of it timed), then times the first call, compilation
  included; median of ``FIRST_CALL_RUNS`` fresh processes;
* steady state: in this process, after a warm-up call, the best of N calls (N fills about
  ``common.STEADY_BUDGET_S`` seconds). Kernels that return a new array allocate it in
  every call, with both engines.

It then checks the results (see ``check``): ferrojit against Numba on the benchmark
inputs, each engine against the same code run by CPython on smaller inputs, and each
against a NumPy one-liner on the benchmark inputs. Finally it times the seed kernel and
matmul compiled with ``boundscheck=True`` against the default (no bounds checks), for
both engines. The Markdown report is printed and written to ``bench/results/arrays.md``.
Without numba installed only the ferrojit columns are shown.
"""

import importlib
import importlib.util
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

import common
from common import fmt_ratio, fmt_time, geomean, steady_state

BENCH_DIR = Path(__file__).resolve().parent
KERNELS_PATH = BENCH_DIR / "kernels_arrays.py"
RESULTS_PATH = BENCH_DIR / "results" / "arrays.md"

FIRST_CALL_RUNS = 3
ENGINES = ["ferrojit", "numba"]

# Tolerances of the float checks, relative to the largest magnitude of the expected value
# (max |got - expected| / max |expected|). Integer results must be equal.
#
# ENGINE_RTOL (ferrojit vs Numba) and CPYTHON_RTOL (an engine vs the same code run by
# CPython): the loops add in the same order everywhere, but the element functions need
# not agree to the last bit. ferrojit's vectorised seed loop calls glibc's libmvec
# (_ZGVeN8v_tanh), Numba calls libm's scalar tanh, CPython's np.tanh on a scalar uses
# NumPy's own SIMD loop: on uniform [0, 1) inputs about half of libmvec's tanh values
# differ from libm's in the last bit. Such a difference is ~1e-16 of one term, mostly
# absorbed by the rounding of the running sum; where it is not, the two sums take
# different roundings from there on, a random walk of ~sqrt(N) * 1.1e-16 (2e-13 for the
# 4e6 terms of the seed kernel). 1e-12 leaves a margin while still catching any real
# error (one wrong or missing term is ~1e-7 of the seed sum).
ENGINE_RTOL = 1e-12
CPYTHON_RTOL = 1e-12
# NUMPY_RTOL (an engine vs the NumPy one-liner): NumPy sums pairwise (np.sum) or through
# blocked BLAS kernels with FMA (A @ B), another order of additions, hence a looser bound.
NUMPY_RTOL = 1e-9


# --------------------------------------------------------------------------- inputs


def _rng():
    return np.random.default_rng(20240601)


def seed_input(size):
    return (_rng().random((size, size)),)


def pairwise_input(n):
    return (_rng().random((n, 3)),)


def matmul_input(n):
    rng = _rng()
    return (rng.random((n, n)), rng.random((n, n)))


def convolve_input(n, m):
    rng = _rng()
    return (rng.random(n), rng.random(m))


def prefix_input(n):
    return (_rng().standard_normal(n),)


def numpy_sieve_count(n):
    is_prime = np.ones(n, dtype=np.bool_)
    is_prime[:2] = False
    for i in range(2, int(n ** 0.5) + 1):
        if is_prime[i]:
            is_prime[i * i::i] = False
    return int(is_prime.sum())


def numpy_pairwise(X):
    diff = X[:, None, :] - X[None, :, :]
    return np.sqrt((diff * diff).sum(axis=-1))


# Each kernel: name, label of its benchmark input, benchmark input (built on demand),
# smaller input for the CPython check with the module globals it needs, NumPy reference.
KERNELS = [
    {
        "name": "jit_tan_sum",
        "label": "`jit_tan_sum(a)` seed, a: 2000x2000 f8, SIZE global",
        "args": lambda: seed_input(2000),
        "small": lambda: seed_input(200),
        "small_globals": {"SIZE": 200},
        "small_label": "a: 200x200, SIZE = 200",
        "numpy": lambda a: np.tanh(a).sum(),
        "numpy_text": "np.tanh(a).sum()",
    },
    {
        "name": "pairwise_distances",
        "label": "`pairwise_distances(X)` X: 1000x3 -> D: 1000x1000",
        "args": lambda: pairwise_input(1000),
        "small": lambda: pairwise_input(60),
        "small_label": "X: 60x3",
        "numpy": numpy_pairwise,
        "numpy_text": "sqrt(((X[:,None]-X[None])**2).sum(-1))",
    },
    {
        "name": "matmul",
        "label": "`matmul(A, B)` 200x200 @ 200x200, triple loop",
        "args": lambda: matmul_input(200),
        "small": lambda: matmul_input(30),
        "small_label": "30x30",
        "numpy": lambda A, B: A @ B,
        "numpy_text": "A @ B",
    },
    {
        "name": "convolve_valid",
        "label": "`convolve_valid(x, w)` x: 500000, w: 32",
        "args": lambda: convolve_input(500_000, 32),
        "small": lambda: convolve_input(2000, 32),
        "small_label": "x: 2000, w: 32",
        "numpy": lambda x, w: np.convolve(x, w, "valid"),
        "numpy_text": "np.convolve(x, w, 'valid')",
    },
    {
        "name": "prefix_sum",
        "label": "`prefix_sum(x)` x: 2000000 f8",
        "args": lambda: prefix_input(2_000_000),
        "small": lambda: prefix_input(5000),
        "small_label": "x: 5000",
        "numpy": np.cumsum,
        "numpy_text": "np.cumsum(x)",
    },
    {
        "name": "sieve_count",
        "label": "`sieve_count(n)` n = 10000000, bool array",
        "args": lambda: (10_000_000,),
        "small": lambda: (20_000,),
        "small_label": "n = 20000",
        "numpy": numpy_sieve_count,
        "numpy_text": "is_prime[i*i::i] = False",
    },
]
KERNEL_NAMES = [k["name"] for k in KERNELS]
KERNEL_BY_NAME = {k["name"]: k for k in KERNELS}

# Compiled with boundscheck=True against the default, steady state.
BOUNDSCHECK_KERNELS = ["jit_tan_sum", "matmul"]


# --------------------------------------------------------------------------- helpers


_load_counter = 0


def load_kernels(engine, overrides=None, options=None):
    """A private copy of the kernel module, every kernel decorated by ``engine``.

    ``overrides`` replaces module globals before anything is compiled (both engines read
    a global's value at compile time); ``options`` are passed to ``njit``.
    ``engine=None`` gives the plain CPython functions.
    """
    global _load_counter
    _load_counter += 1
    name = f"_kernels_arrays_{engine or 'python'}_{_load_counter}"
    spec = importlib.util.spec_from_file_location(name, KERNELS_PATH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    for key, value in (overrides or {}).items():
        setattr(module, key, value)
    if engine is not None:
        njit = importlib.import_module(engine).njit
        for kernel in KERNEL_NAMES:
            func = getattr(module, kernel)
            setattr(module, kernel, njit(**options)(func) if options else njit(func))
    return module


def summary(result):
    """A JSON-able digest of a result: the value itself, or shape/dtype/sum of an array."""
    if isinstance(result, np.ndarray):
        return {"shape": list(result.shape), "dtype": str(result.dtype),
                "sum": float(result.sum())}
    if isinstance(result, (np.integer, int)):
        return int(result)
    return float(result)


def is_integer(value):
    return isinstance(value, (int, np.integer)) or (
        isinstance(value, np.ndarray) and value.dtype.kind in "iub")


def compare(got, expected):
    """max |got - expected| / max |expected| (0.0 when identical); None for a mismatch
    of types, shapes or dtypes, or of integer values."""
    if isinstance(expected, np.ndarray) or isinstance(got, np.ndarray):
        if not (isinstance(got, np.ndarray) and isinstance(expected, np.ndarray)):
            return None
        if got.shape != expected.shape:
            return None
        if is_integer(got) or is_integer(expected):
            return 0.0 if np.array_equal(got, expected) else None
        if got.dtype != expected.dtype:
            return None
        scale = float(np.max(np.abs(expected))) if expected.size else 0.0
        diff = float(np.max(np.abs(got - expected))) if expected.size else 0.0
        return diff / scale if scale else diff
    if is_integer(got) and is_integer(expected):
        return 0.0 if int(got) == int(expected) else None
    if is_integer(got) != is_integer(expected):
        return None
    got, expected = float(got), float(expected)
    if got == expected:
        return 0.0
    return abs(got - expected) / abs(expected) if expected else abs(got)


def fmt_diff(diff, integer):
    if integer:
        return "equal"
    if diff == 0.0:
        return "identical"
    return f"{diff:.1e}"


# --------------------------------------------------------------------------- children


def child_first_call(engine, kernel):
    """(in a fresh process) import, build the input, then time the first call."""
    module = load_kernels(engine)
    func = getattr(module, kernel)
    args = KERNEL_BY_NAME[kernel]["args"]()
    start = time.perf_counter()
    result = func(*args)
    elapsed = time.perf_counter() - start
    print(json.dumps({"seconds": elapsed, "result": summary(result)}))


def run_child(*argv):
    return common.run_child(Path(__file__).resolve(), *argv)


# --------------------------------------------------------------------------- main


def main():
    have_numba = common.have_numba()
    engines = ENGINES if have_numba else ["ferrojit"]
    wall_start = time.perf_counter()

    header = [
        "# ferrojit vs Numba: array kernels",
        "",
        *common.machine_lines(have_numba),
        f"- first call: compile + run, fresh process each (numpy imported and inputs built "
        f"before the timer starts), median of {FIRST_CALL_RUNS}; steady: best of N calls "
        f"after a warm-up (N fills ~{common.STEADY_BUDGET_S} s)"
        + ("; ratio = ferrojit / Numba (< 1: ferrojit faster)" if have_numba else ""),
        "- kernels: bench/kernels_arrays.py, explicit loops; inputs float64 from a seeded "
        "np.random.default_rng",
    ]
    if not have_numba:
        header.append("- **Numba is not installed: only ferrojit is measured** "
                      "(`make bench` installs it)")
    print("\n".join(header), flush=True)
    print(flush=True)

    # First calls, each in fresh processes.
    first = {}
    first_results = {}
    for kernel in KERNEL_NAMES:
        for engine in engines:
            runs = [run_child("--child-first-call", engine, kernel)
                    for _ in range(FIRST_CALL_RUNS)]
            first[engine, kernel] = statistics.median(r["seconds"] for r in runs)
            results = {json.dumps(r["result"], sort_keys=True) for r in runs}
            assert len(results) == 1, f"{engine} {kernel}: results differ between runs: {results}"
            first_results[engine, kernel] = runs[0]["result"]
            print(f"first call {engine:8} {kernel:18} {fmt_time(first[engine, kernel]):>10} "
                  f"(runs: {', '.join(fmt_time(r['seconds']) for r in runs)})", flush=True)

    # Steady state in this process, and the checks.
    plain = load_kernels(None)
    modules = {engine: load_kernels(engine) for engine in engines}
    steady = {}
    checks = {}  # (kernel, what) -> relative difference, None when it failed
    failures = []
    for spec in KERNELS:
        kernel = spec["name"]
        args = spec["args"]()
        small_args = spec["small"]()
        small_globals = spec.get("small_globals")
        numpy_expected = spec["numpy"](*args)
        small_plain = load_kernels(None, small_globals) if small_globals else plain
        expected_small = getattr(small_plain, kernel)(*small_args)
        results = {}
        for engine in engines:
            func = getattr(modules[engine], kernel)
            best, repeats, result = steady_state(func, args)
            steady[engine, kernel] = best
            results[engine] = result
            assert summary(result) == first_results[engine, kernel], (
                f"{engine} {kernel}: {summary(result)} in this process, "
                f"{first_results[engine, kernel]} in a fresh one")
            small_module = load_kernels(engine, small_globals) if small_globals else modules[engine]
            small = getattr(small_module, kernel)(*small_args)
            checks[kernel, f"{engine} vs CPython"] = d = compare(small, expected_small)
            if d is None or d > CPYTHON_RTOL:
                failures.append(f"{engine} {kernel} ({spec['small_label']}): {small!r} "
                                f"but CPython gives {expected_small!r} (difference {d})")
            checks[kernel, f"{engine} vs NumPy"] = d = compare(result, numpy_expected)
            if d is None or d > NUMPY_RTOL:
                failures.append(f"{engine} {kernel}: differs from {spec['numpy_text']} "
                                f"(difference {d})")
            shown = summary(result)
            print(f"steady     {engine:8} {kernel:18} {fmt_time(best):>10} "
                  f"(best of {repeats}); result {shown}", flush=True)
        if have_numba:
            checks[kernel, "ferrojit vs Numba"] = d = compare(results["ferrojit"],
                                                              results["numba"])
            if d is None or d > ENGINE_RTOL:
                failures.append(f"{kernel}: ferrojit {summary(results['ferrojit'])} but "
                                f"Numba {summary(results['numba'])} (difference {d})")
        checks[kernel, "integer"] = is_integer(results["ferrojit"])
        del args, results, numpy_expected

    # Bounds checking: boundscheck=True against the default, steady state.
    bounds = {}
    for engine in engines:
        checked = load_kernels(engine, options={"boundscheck": True})
        for kernel in BOUNDSCHECK_KERNELS:
            args = KERNEL_BY_NAME[kernel]["args"]()
            best, repeats, result = steady_state(getattr(checked, kernel), args)
            bounds[engine, kernel] = best
            same = compare(result, getattr(modules[engine], kernel)(*args))
            if same != 0.0:
                failures.append(f"{engine} {kernel}: boundscheck=True changes the result "
                                f"(difference {same})")
            print(f"boundscheck {engine:8} {kernel:18} {fmt_time(best):>10} "
                  f"(best of {repeats}); default {fmt_time(steady[engine, kernel])}", flush=True)

    # Report.
    lines = []
    if have_numba:
        lines.append("| kernel | ferrojit first call | Numba first call | ratio "
                     "| ferrojit steady | Numba steady | ratio |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|")
        first_ratios, steady_ratios = [], []
        for spec in KERNELS:
            kernel = spec["name"]
            fr = first["ferrojit", kernel] / first["numba", kernel]
            sr = steady["ferrojit", kernel] / steady["numba", kernel]
            first_ratios.append(fr)
            steady_ratios.append(sr)
            lines.append(
                f"| {spec['label']} | {fmt_time(first['ferrojit', kernel])} "
                f"| {fmt_time(first['numba', kernel])} | {fmt_ratio(fr)} "
                f"| {fmt_time(steady['ferrojit', kernel])} "
                f"| {fmt_time(steady['numba', kernel])} | {fmt_ratio(sr)} |")
        lines.append(f"| **geometric mean** | | | **{fmt_ratio(geomean(first_ratios))}** "
                     f"| | | **{fmt_ratio(geomean(steady_ratios))}** |")
    else:
        lines.append("| kernel | ferrojit first call | ferrojit steady |")
        lines.append("|---|---:|---:|")
        for spec in KERNELS:
            kernel = spec["name"]
            lines.append(f"| {spec['label']} | {fmt_time(first['ferrojit', kernel])} "
                         f"| {fmt_time(steady['ferrojit', kernel])} |")

    lines.append("")
    lines.append("Bounds checking, steady state: `njit(boundscheck=True)` against the default "
                 "(no checks); ratio = checked / unchecked")
    lines.append("")
    if have_numba:
        lines.append("| kernel | ferrojit unchecked | ferrojit checked | ratio "
                     "| Numba unchecked | Numba checked | ratio |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|")
    else:
        lines.append("| kernel | ferrojit unchecked | ferrojit checked | ratio |")
        lines.append("|---|---:|---:|---:|")
    for kernel in BOUNDSCHECK_KERNELS:
        row = f"| `{kernel}` "
        for engine in engines:
            row += (f"| {fmt_time(steady[engine, kernel])} | {fmt_time(bounds[engine, kernel])} "
                    f"| {fmt_ratio(bounds[engine, kernel] / steady[engine, kernel])} ")
        lines.append(row + "|")

    lines.append("")
    lines.append("Result checks: relative difference max\\|got − expected\\| / "
                 "max\\|expected\\| (`identical`: bit for bit; integers must be `equal`). "
                 f"Bounds: {ENGINE_RTOL:g} between the engines and against CPython running "
                 f"the same code on the smaller input (same order of additions; tanh may "
                 f"differ in the last bit: ferrojit's vectorised loop calls glibc's "
                 f"libmvec, Numba libm's scalar tanh, CPython NumPy's own SIMD loop), "
                 f"{NUMPY_RTOL:g} against NumPy (pairwise summation, blocked BLAS).")
    lines.append("")
    columns = (["ferrojit vs Numba"] if have_numba else []) + [
        f"{e} vs CPython" for e in engines] + [f"{e} vs NumPy" for e in engines]
    lines.append("| kernel | CPython input | "
                 + " | ".join(c.replace("numba", "Numba") for c in columns)
                 + " | NumPy reference |")
    lines.append("|---|---|" + "---:|" * len(columns) + "---|")
    for spec in KERNELS:
        kernel = spec["name"]
        integer = checks[kernel, "integer"]
        cells = [fmt_diff(checks[kernel, c], integer) if checks[kernel, c] is not None
                 else "**MISMATCH**" for c in columns]
        lines.append(f"| `{kernel}` | {spec['small_label']} | " + " | ".join(cells)
                     + f" | `{spec['numpy_text']}` |")
    if failures:
        lines.append("")
        lines.append("**Failed checks:**")
        lines.extend(f"- {f}" for f in failures)

    report = "\n".join(header) + "\n\n" + "\n".join(lines) + "\n"
    RESULTS_PATH.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_PATH.write_text(report, encoding="utf-8")
    print()
    print(report, end="")
    print(f"\n(written to {RESULTS_PATH.relative_to(BENCH_DIR.parent)}; "
          f"total {time.perf_counter() - wall_start:.1f} s)")
    if failures:
        sys.exit(1)


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "--child-first-call":
        child_first_call(sys.argv[2], sys.argv[3])
    else:
        main()
