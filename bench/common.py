"""Helpers shared by the benchmark drivers (bench/run.py, run_micro.py, run_cache.py):
timing, loading the kernels under an engine, comparing results, formatting."""

import gc
import importlib
import importlib.util
import json
import math
import os
import platform
import subprocess
import sys
from pathlib import Path

import numpy as np

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"

STEADY_BUDGET_S = 0.5
STEADY_MIN_REPEATS = 5
STEADY_MAX_REPEATS = 100_000


def run_child(script, *argv, python=None, env_extra=None):
    """Run ``script`` (a path, or ``"-c"`` with the code as the first of ``argv``) in a fresh
    interpreter (this one, or the executable ``python``) with ``argv`` and the environment
    variables ``env_extra`` added; return its JSON output (its last line)."""
    env = dict(os.environ, **(env_extra or {}))
    env.pop("FERROJIT_DUMP_IR", None)
    env.pop("FERROJIT_BOUNDSCHECK", None)
    proc = subprocess.run(
        [python or sys.executable, str(script), *argv],
        capture_output=True, text=True, env=env, check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"child {argv} failed:\n{proc.stdout}{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def write_report(path, title, lines, failures):
    """Writes a suite's report (``# title``, then ``lines``, then the failed checks) to
    ``path`` and prints it."""
    if failures:
        lines = [*lines, "", "FAILED CHECKS:", *failures]
    report = f"# {title}\n\n" + "\n".join(lines) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report, encoding="utf-8")
    print("\n" + report, end="")
    return lines


def steady_state(func, args, budget=STEADY_BUDGET_S):
    """Best time of N calls after one warm-up call, N filling about ``budget`` seconds;
    returns (seconds, N, result). N comes from the best of three probe calls: a single probe
    that happens to be slow (a page fault storm, another process) would leave few repeats
    and a best time biased upwards."""
    import time

    result = func(*args)  # warm-up (compiles)
    probe = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        func(*args)
        probe = min(probe, time.perf_counter() - start)
    repeats = int(budget / max(probe, 1e-9))
    repeats = max(STEADY_MIN_REPEATS, min(STEADY_MAX_REPEATS, repeats))
    best = probe
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeats):
            start = time.perf_counter()
            func(*args)
            elapsed = time.perf_counter() - start
            if elapsed < best:
                best = elapsed
    finally:
        if gc_was_enabled:
            gc.enable()
    return best, repeats, result


def fmt_time(seconds):
    if seconds is None:
        return "n/a"
    if seconds >= 1.0:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    if seconds >= 1e-6:
        return f"{seconds * 1e6:.1f} µs"
    return f"{seconds * 1e9:.0f} ns"


def fmt_ns(seconds):
    return "n/a" if seconds is None else f"{seconds * 1e9:.0f} ns"


def fmt_speedup(factor):
    if factor is None:
        return "n/a"
    if factor >= 100:
        return f"{factor:.0f}x"
    if factor >= 10:
        return f"{factor:.1f}x"
    return f"{factor:.2f}x"


def fmt_ratio(ratio):
    return "n/a" if ratio is None else f"{ratio:.2f}"


def geomean(values):
    values = [v for v in values if v is not None and v > 0]
    if not values:
        return None
    return math.exp(sum(math.log(v) for v in values) / len(values))


def cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def llvm_host_cpu():
    """LLVM's name for this CPU (e.g. znver5), through llvmlite when Numba brought it."""
    try:
        import llvmlite.binding as llvm

        return llvm.get_host_cpu_name()
    except Exception:  # noqa: BLE001  (optional information only)
        return None


def version_of(module_name):
    try:
        return importlib.import_module(module_name).__version__
    except ImportError:
        return "not installed"


def have_numba():
    import importlib.util

    return importlib.util.find_spec("numba") is not None


def machine_lines(numba_present):
    """The header lines naming the versions and the CPU."""
    host = llvm_host_cpu() if numba_present else None
    return [
        f"- Python {platform.python_version()} ({platform.python_implementation()}), "
        f"NumPy {version_of('numpy')}, Numba {version_of('numba')}, "
        f"ferrojit {version_of('ferrojit')}",
        f"- CPU: {cpu_model()}" + (f" (LLVM: {host})" if host else "")
        + f", {os.cpu_count()} logical CPUs, {platform.system()} {platform.machine()}",
    ]


# --------------------------------------------------------------------------- kernels

_load_counter = 0


def load_kernels(module_name, engine, names, overrides=None, options=None):
    """A private copy of ``bench/<module_name>.py`` with the functions ``names`` decorated by
    ``engine.njit`` (``engine=None``: left as plain CPython functions).

    Each copy is its own module object, so the global ``fib`` that ``fib`` calls recursively
    is the decorated function of the same engine. ``overrides`` replaces module globals
    before anything compiles (both engines freeze a global's value at compile time);
    ``options`` are passed to ``njit``.
    """
    global _load_counter
    _load_counter += 1
    name = f"_{module_name}_{engine or 'python'}_{_load_counter}"
    spec = importlib.util.spec_from_file_location(name, BENCH_DIR / f"{module_name}.py")
    module = importlib.util.module_from_spec(spec)
    # Numba resolves a recursive call through sys.modules[func.__module__]; without this
    # entry the compiled fib aborts with "unresolved symbol".
    sys.modules[name] = module
    spec.loader.exec_module(module)
    for key, value in (overrides or {}).items():
        setattr(module, key, value)
    if engine is not None:
        njit = importlib.import_module(engine).njit
        for kernel in names:
            func = getattr(module, kernel)
            setattr(module, kernel, njit(**options)(func) if options else njit(func))
    return module


# --------------------------------------------------------------------------- results


def summary(result):
    """A JSON-able digest of a result: the value itself, tuples element-wise, or the
    shape/dtype/sum/sum of squares of an array."""
    if isinstance(result, np.ndarray):
        as_float = result.astype(np.float64)
        return {"shape": list(result.shape), "dtype": str(result.dtype),
                "sum": float(as_float.sum()), "sum_sq": float((as_float * as_float).sum())}
    if isinstance(result, tuple):
        return [summary(r) for r in result]
    if isinstance(result, (bool, np.bool_)):
        return bool(result)
    if isinstance(result, (np.integer, int)):
        return int(result)
    if isinstance(result, (complex, np.complexfloating)):
        return [float(result.real), float(result.imag)]
    return float(result)


def is_integer(value):
    if isinstance(value, tuple):
        return all(is_integer(v) for v in value)
    return isinstance(value, (int, np.integer)) or (
        isinstance(value, np.ndarray) and value.dtype.kind in "iub")


def compare(got, expected):
    """max |got - expected| / max |expected| (0.0 when identical); tuples element by
    element (the worst element); None for a mismatch of types, shapes or dtypes, or of
    integer values."""
    if isinstance(expected, tuple) or isinstance(got, tuple):
        if not (isinstance(got, tuple) and isinstance(expected, tuple)) or len(got) != len(expected):
            return None
        diffs = [compare(g, e) for g, e in zip(got, expected)]
        return None if any(d is None for d in diffs) else max(diffs, default=0.0)
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
        diff = float(np.max(np.abs(got.astype(np.float64) - expected))) if expected.size else 0.0
        return diff / scale if scale else diff
    if is_integer(got) and is_integer(expected):
        return 0.0 if int(got) == int(expected) else None
    if is_integer(got) != is_integer(expected):
        return None
    got, expected = complex(got), complex(expected)
    if got == expected:
        return 0.0
    return abs(got - expected) / abs(expected) if expected else abs(got)


def fmt_diff(diff, integer):
    if diff is None:
        return "**MISMATCH**"
    if integer:
        return "equal"
    if diff == 0.0:
        return "identical"
    return f"{diff:.1e}"
