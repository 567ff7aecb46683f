"""Functions without a source file: the same kernel defined in a module file and in `exec()`.

A function defined in ``exec()`` (or ``python -c``, or at the interactive prompt) has no text
ferrojit can read; ferrojit rebuilds its text from the code object (``ferrojit._decompile``),
checks it against the code object and compiles it. This suite measures what that costs: for
each kernel, fresh processes import the kernel's module and either decorate its function
(``file``) or ``exec`` the function's text in a namespace holding the module's globals and
decorate the result (``exec``). Each process times the first call (compilation included), the
part of it spent finding and checking the source (``source``, from ``f._stats()``), the
first call's CPU time on the calling thread (``time.thread_time``: without the waits for a CPU
that the wall-clock time has on a machine shared with other work, nor the compiler's warm-up
thread that ``import ferrojit`` starts and that runs meanwhile) and the steady state
(best of N calls after a warm-up, ``common.steady_state``). Medians of ``RUNS`` processes per
mode, the two modes interleaved. Results are printed and written to
``bench/results/no_source.md``.
"""

import json
import statistics
import subprocess
import sys
from pathlib import Path

from common import cpu_model, fmt_ratio, fmt_time

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_PATH = BENCH_DIR / "results" / "no_source.md"
RUNS = 5

# (module, kernel, expression building the arguments)
KERNELS = [
    ("kernels_arrays", "jit_tan_sum", "(np.random.rand(2000, 2000),)"),
    ("kernels_scalar", "mandelbrot_count", "(200, 200, 100)"),
    ("kernels_scalar", "collatz_longest", "(20000,)"),
    ("kernels_arrays", "prefix_sum", "(np.random.rand(100000),)"),
]

CHILD = """
import inspect, json, sys, time
sys.path.insert(0, {bench!r})
import numpy as np
import ferrojit
from common import steady_state
import {module} as kernels

plain = getattr(kernels, {kernel!r})
if {mode!r} == "exec":
    namespace = dict(vars(kernels))
    del namespace[{kernel!r}]
    exec(inspect.getsource(plain), namespace)
    plain = namespace[{kernel!r}]
    assert plain.__code__.co_filename == "<string>"
f = ferrojit.njit(plain)
args = {args}
t, cpu = time.perf_counter(), time.thread_time()
f(*args)
first, first_cpu = time.perf_counter() - t, time.thread_time() - cpu
steady, _, _ = steady_state(f, args)
print(json.dumps({{"first": first, "first_cpu": first_cpu, "source": f._stats()[0]["source"], "steady": steady}}))
"""


def run(mode, module, kernel, args):
    code = CHILD.format(bench=str(BENCH_DIR), mode=mode, module=module, kernel=kernel, args=args)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    lines = [
        f"The same kernel defined in its module file (`file`) and in `exec()` of its text "
        f"(`exec`, compiled from the text rebuilt from its bytecode). First call (compilation "
        f"included) and, of it, finding and checking the source; the first call's CPU time on "
        f"the calling thread (without waits for a CPU or the compiler's warm-up thread); steady "
        f"state (best of N calls). "
        f"Medians of {RUNS} fresh processes per mode, interleaved. CPU: {cpu_model()}.",
        "",
        "| kernel | first call, file | first call, exec | exec/file | source, file | source, exec | first call CPU, file | first call CPU, exec | exec/file | steady, file | steady, exec | exec/file |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for module, kernel, args in KERNELS:
        results = {"file": [], "exec": []}
        for _ in range(RUNS):
            for mode in ("file", "exec"):
                results[mode].append(run(mode, module, kernel, args))
        med = {mode: {key: statistics.median(r[key] for r in rs) for key in ("first", "first_cpu", "source", "steady")} for mode, rs in results.items()}
        f, e = med["file"], med["exec"]
        lines.append(
            f"| `{kernel}` | {fmt_time(f['first'])} | {fmt_time(e['first'])} | {fmt_ratio(e['first'] / f['first'])} "
            f"| {fmt_time(f['source'])} | {fmt_time(e['source'])} "
            f"| {fmt_time(f['first_cpu'])} | {fmt_time(e['first_cpu'])} | {fmt_ratio(e['first_cpu'] / f['first_cpu'])} "
            f"| {fmt_time(f['steady'])} | {fmt_time(e['steady'])} | {fmt_ratio(e['steady'] / f['steady'])} |"
        )
        print(lines[-1], flush=True)
    report = "# Functions without a source file: `exec` against a file\n\n" + "\n".join(lines) + "\n"
    RESULTS_PATH.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_PATH.write_text(report, encoding="utf-8")
    print("\n" + report, end="")


if __name__ == "__main__":
    main()
