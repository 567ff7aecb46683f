"""Helpers shared by the benchmark suites (bench/run.py and bench/run_arrays.py)."""

import gc
import importlib
import json
import math
import os
import platform
import subprocess
import sys

STEADY_BUDGET_S = 0.5
STEADY_MIN_REPEATS = 5
STEADY_MAX_REPEATS = 100_000


def run_child(script, *argv):
    """Run ``script`` in a fresh interpreter with ``argv``; return its JSON output."""
    env = dict(os.environ)
    env.pop("FERROJIT_DUMP_IR", None)
    env.pop("FERROJIT_BOUNDSCHECK", None)
    proc = subprocess.run(
        [sys.executable, str(script), *argv],
        capture_output=True, text=True, env=env, check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"child {argv} failed:\n{proc.stdout}{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def steady_state(func, args):
    """Best time of N calls after one warm-up call; returns (seconds, N, result)."""
    import time

    result = func(*args)  # warm-up (compiles)
    start = time.perf_counter()
    func(*args)
    probe = time.perf_counter() - start
    repeats = int(STEADY_BUDGET_S / max(probe, 1e-9))
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
