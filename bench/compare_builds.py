"""First-call times of two ferrojit builds side by side, on the kernel suite of ``specs.py``.

Usage::

    .venv/bin/python bench/compare_builds.py --before OTHER/.venv/bin/python \\
        [--after .venv/bin/python] [--runs 3] [--only fib,matmul]

Each interpreter imports the ferrojit its environment installs (a worktree's ``make build``
puts that worktree's ``python/`` on its path), so two worktrees at two commits, each with
its own ``.venv``, compare the two builds. Per kernel and run, three fresh processes time the
first call (compile + run, as ``run.py``'s first-call measurement, through its
``--child-first-call``): ferrojit under the "before" interpreter, ferrojit under the
"after" one, and Numba under the "after" one; the two builds alternate which goes first.
Rounds go over all kernels, ``--runs`` rounds in all (median per kernel), so that a slow
spell of the machine spreads over every kernel and both builds.

Both processes run the kernels and inputs of this checkout's ``bench/``; a kernel a build
cannot compile is listed with the last line of its error. The results of the two builds
must be the same (each process's digest of its result). Writes
``bench/results/compare_builds.md``; exits 1 when a result differs.
"""

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

import common
from common import RESULTS_DIR, fmt_ratio, fmt_time, geomean
from specs import KERNELS

RUN_PY = Path(__file__).resolve().parent / "run.py"


def describe(python):
    """The checkout whose ferrojit ``python`` imports, and the last commit there that changed
    the compiler (crates/, python/), for the report."""
    code = ("import ferrojit, pathlib; print(pathlib.Path(ferrojit.__file__).resolve()"
            ".parents[2])")
    try:
        root = subprocess.run([python, "-c", code], capture_output=True, text=True,
                              check=True).stdout.strip()
        commit = subprocess.run(["git", "-C", root, "log", "-1", "--format=%h %s", "--",
                                 "crates", "python", "Cargo.toml", "Cargo.lock"],
                                capture_output=True, text=True, check=True).stdout.strip()
    except (subprocess.CalledProcessError, OSError) as exc:
        return f"{python} (unknown checkout: {exc})"
    return f"`{python}`: ferrojit of {root}, compiler at {commit[:90]}"


def first_call(python, engine, kernel):
    """(seconds, result digest) or (None, error line)."""
    try:
        out = common.run_child(RUN_PY, "--child-first-call", engine, kernel, python=python)
    except RuntimeError as exc:
        lines = [line for line in str(exc).strip().splitlines() if line.strip()]
        return None, (lines[-1] if lines else "failed")[:200]
    return out["seconds"], json.dumps(out["result"], sort_keys=True)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", required=True, help="python of the environment before")
    parser.add_argument("--after", default=sys.executable, help="python of the environment after")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default=None, help="comma-separated kernel names")
    args = parser.parse_args(argv)
    only = set(args.only.split(",")) if args.only else None
    kernels = [k.name for k in KERNELS if only is None or k.name in only]
    columns = {"before": (args.before, "ferrojit"), "after": (args.after, "ferrojit"),
               "numba": (args.after, "numba")}

    times = {key: {k: [] for k in kernels} for key in columns}
    digests = {key: {} for key in columns}
    errors = {}
    for run in range(args.runs):
        for index, kernel in enumerate(kernels):
            order = ["before", "after"] if (run + index) % 2 == 0 else ["after", "before"]
            for key in order + ["numba"]:
                if (key, kernel) in errors:
                    continue
                python, engine = columns[key]
                seconds, detail = first_call(python, engine, kernel)
                if seconds is None:
                    errors[key, kernel] = detail
                    continue
                times[key][kernel].append(seconds)
                digests[key].setdefault(kernel, detail)
            print(f"round {run + 1} {kernel:20} " + "  ".join(
                f"{key} {fmt_time(times[key][kernel][-1]) if times[key][kernel] else 'failed'}"
                for key in columns), flush=True)

    median = {key: {k: statistics.median(v) for k, v in times[key].items() if v}
              for key in columns}
    mismatches = [k for k in kernels if k in digests["before"] and k in digests["after"]
                  and digests["before"][k] != digests["after"][k]]

    def ratios(a, b):
        return {k: median[a][k] / median[b][k] for k in kernels
                if k in median[a] and k in median[b]}

    after_before = ratios("after", "before")
    before_numba = ratios("before", "numba")
    after_numba = ratios("after", "numba")
    lines = ["# First call: two ferrojit builds side by side", "",
             *common.machine_lines(True),
             f"- before: {describe(args.before)}", f"- after: {describe(args.after)}",
             f"- first call (compile + run) in a fresh process, as `run.py`'s; median of "
             f"{args.runs} processes per kernel and build, the builds interleaved; Numba run by "
             "the \"after\" interpreter",
             f"- geometric mean over the {len(after_before)} kernels both builds compile: "
             f"after / before **{fmt_ratio(geomean(after_before.values()))}**; against Numba: "
             f"before {fmt_ratio(geomean(before_numba.values()))}, after "
             f"**{fmt_ratio(geomean(after_numba.values()))}**", "",
             "| kernel | before | after | after / before | Numba | before / Numba "
             "| after / Numba |", "|---|---:|---:|---:|---:|---:|---:|"]
    for k in kernels:
        cells = [fmt_time(median[key][k]) if k in median[key] else "failed" for key in columns]
        lines.append(f"| `{k}` | {cells[0]} | {cells[1]} | {fmt_ratio(after_before.get(k))} "
                     f"| {cells[2]} | {fmt_ratio(before_numba.get(k))} "
                     f"| {fmt_ratio(after_numba.get(k))} |")
    lines.append(f"| **geometric mean** | | | **{fmt_ratio(geomean(after_before.values()))}** | "
                 f"| {fmt_ratio(geomean(before_numba.values()))} "
                 f"| **{fmt_ratio(geomean(after_numba.values()))}** |")
    if errors:
        lines += ["", "Failed (last line of the error):", ""]
        lines += [f"- `{k}` {key}: {e}" for (key, k), e in sorted(errors.items())]
    if mismatches:
        lines += ["", "**The two builds give different results:** "
                  + ", ".join(f"`{k}`" for k in mismatches)]
    text = "\n".join(lines) + "\n"
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / "compare_builds.md").write_text(text, encoding="utf-8")
    print("\n" + text)
    if mismatches:
        sys.exit(1)


if __name__ == "__main__":
    main(sys.argv[1:])
