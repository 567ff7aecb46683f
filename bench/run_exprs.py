"""Array-expression suite: the kernels of ``kernels_array_exprs.py`` (whole-array NumPy code)
under four engines in the same run: NumPy itself (the undecorated function), Numba
(``numba.njit``), ferrojit (``ferrojit.njit``) and Pythran (ahead of time, when installed).

* steady state: in this process, after a warm-up call, the best of N calls, N filling about
  ``STEADY_BUDGET_S`` per engine and kernel, in two rounds (ferrojit, Numba, Pythran, NumPy,
  then the reverse order) so that a slow spell of the machine favours no engine;
* first call (ferrojit and Numba): a fresh process imports numpy, the engine and the kernel
  module and builds the input (none of it timed), then times the first call, compilation
  included; median of ``FIRST_CALL_RUNS`` processes. Pythran compiles ahead of time: its
  compilation of the whole module (g++) is reported once instead;
* Pythran: every kernel's source goes into one generated module with a ``#pythran export``
  line per kernel (signatures in ``specs_exprs.py``), compiled with ``PYTHRAN_FLAGS`` in a
  temporary directory named after a hash of the source, the flags and Pythran's version
  (a later run with the same source reuses it). When the module does not compile, each
  kernel is compiled alone, so that one unsupported kernel leaves the others measured;
* every engine's result is checked against NumPy's (the undecorated function on the same
  input, built anew for each engine so that in-place kernels start from the same data);
  kernels returning nothing are checked on the arrays they update. Tolerances per kernel in
  ``specs_exprs.py``. A failed check is listed in the report and makes ``run.py`` exit 1;
* a kernel an engine cannot compile is "not supported" in the tables, with the first line
  of the error, and leaves the run going.

Alone: ``.venv/bin/python bench/run.py exprs`` (``--only NAME,NAME`` for some kernels).
Writes ``bench/results/exprs.md``; ``run.py`` puts it in ``summary.md``.
"""

import hashlib
import importlib.util
import inspect
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import common
from common import (RESULTS_DIR, compare, fmt_diff, fmt_ratio, fmt_time, geomean,
                    is_integer, load_kernels, steady_state)
from specs_exprs import EXPR_KERNEL_BY_NAME, EXPR_KERNELS, FMA_RTOL, bound

MODULE = "kernels_array_exprs"
FIRST_CALL_RUNS = 3
STEADY_BUDGET_S = 0.4  # per engine and kernel, in two rounds
COMPILING_ENGINES = ["ferrojit", "numba"]  # the JIT compilers, whose first call is timed
ROUND_ORDER = ["ferrojit", "numba", "pythran", "numpy"]
ENGINE_TITLE = {"ferrojit": "ferrojit", "numba": "Numba", "pythran": "Pythran", "numpy": "NumPy"}
# -march=native as the JIT compilers target the host CPU; USE_XSIMD is Pythran's documented
# switch for explicit vectorisation of NumPy expressions. No -fopenmp: one thread, as the
# other engines.
PYTHRAN_FLAGS = ["-O3", "-march=native", "-DUSE_XSIMD"]


# --------------------------------------------------------------------------- engines


def error_line(exc):
    """``ExceptionType: first line of the message``, for the "not supported" entries."""
    text = str(exc).strip()
    first = text.splitlines()[0] if text else ""
    return f"{type(exc).__name__}: {first}"[:300]


def have_pythran():
    return importlib.util.find_spec("pythran") is not None


def pythran_source(names):
    """A module with ``names``' source and one ``#pythran export`` line each."""
    module = load_kernels(MODULE, None, [])
    lines = ["import numpy as np", ""]
    lines += [f"#pythran export {n}({EXPR_KERNEL_BY_NAME[n].pythran})" for n in names]
    for name in names:
        lines += ["", inspect.getsource(getattr(module, name))]
    return "\n".join(lines) + "\n"


def compile_pythran(names, module_name):
    """Compile ``names`` into one extension module; returns (module, seconds, None), with
    seconds None when the module was already built, or (None, None, error line)."""
    import pythran

    source = pythran_source(names)
    key = hashlib.sha256("\0".join([source, pythran.__version__, *PYTHRAN_FLAGS])
                         .encode()).hexdigest()[:16]
    directory = Path(tempfile.gettempdir()) / f"ferrojit-bench-pythran-{key}"
    directory.mkdir(exist_ok=True)
    built = list(directory.glob(f"{module_name}*.so"))
    seconds = None
    if not built:
        (directory / f"{module_name}.py").write_text(source, encoding="utf-8")
        # pythran is run by this interpreter so that it builds for it, and finds g++ on PATH.
        env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "pythran.run", *PYTHRAN_FLAGS, f"{module_name}.py",
             "-o", f"{module_name}.so"],
            cwd=directory, capture_output=True, text=True, env=env, check=False)
        seconds = time.perf_counter() - start
        built = list(directory.glob(f"{module_name}*.so"))
        if proc.returncode != 0 or not built:
            errors = [line for line in (proc.stderr + proc.stdout).splitlines()
                      if "error" in line.lower()] or (proc.stderr + proc.stdout).splitlines()
            return None, None, (errors[0].strip()[:300] if errors else "pythran failed")
    spec = importlib.util.spec_from_file_location(module_name, built[0])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module, seconds, None


def pythran_kernels(names):
    """{name: compiled function or error line}, and the compile time of the whole module."""
    module, seconds, error = compile_pythran(names, "exprs_all")
    if module is not None:
        return {n: getattr(module, n) for n in names}, seconds
    print(f"pythran: the module of all kernels does not compile ({error}); "
          "compiling each kernel alone", flush=True)
    found = {}
    for name in names:
        module, _, error = compile_pythran([name], f"exprs_{name}")
        found[name] = getattr(module, name) if module is not None else error
    return found, None


def kernel_functions(engine, names):
    """{name: the callable under ``engine``}: "numpy" (undecorated), "numba" or "ferrojit"."""
    module = load_kernels(MODULE, None if engine == "numpy" else engine, names)
    return {n: getattr(module, n) for n in names}


# --------------------------------------------------------------------------- results


def outcome(func, args):
    """What a call produces: its result, or for a kernel returning nothing (in place) the
    tuple of the arrays among its arguments after the call."""
    result = func(*args)
    if result is None:
        return tuple(a.copy() for a in args if isinstance(a, np.ndarray))
    return result


def same_dtype(got, expected, spec, engine):
    """(``got``, None) when its arrays have NumPy's dtypes. A different dtype fails the check
    (``compare`` gets None) unless ``spec.dtype_differs`` explains it for this engine: then
    ``got`` is cast to NumPy's dtype (integers wrap as NumPy's would) and compared, and the
    note names the engine's dtype."""
    if isinstance(got, tuple) and isinstance(expected, tuple) and len(got) == len(expected):
        pairs = [same_dtype(g, e, spec, engine) for g, e in zip(got, expected)]
        notes = [n for _, n in pairs if n]
        return tuple(g for g, _ in pairs), (notes[0] if notes else None)
    if not (isinstance(got, np.ndarray) and isinstance(expected, np.ndarray)):
        return got, None
    if got.dtype == expected.dtype:
        return got, None
    if engine in spec.dtype_differs:
        return got.astype(expected.dtype), f"{got.dtype}, cast to {expected.dtype}"
    return None, f"{got.dtype} where NumPy gives {expected.dtype}"


def child_first_call(engine, kernel):
    """(in a fresh process) import, build the input, then time the first call."""
    spec = EXPR_KERNEL_BY_NAME[kernel]
    func = getattr(load_kernels(MODULE, engine, [kernel]), kernel)
    args = spec.args()
    start = time.perf_counter()
    try:
        func(*args)
    except Exception as exc:  # noqa: BLE001  (reported as "not supported")
        print(json.dumps({"error": error_line(exc)}))
        return
    print(json.dumps({"seconds": time.perf_counter() - start}))


def first_call(engine, kernel, runs_wanted=FIRST_CALL_RUNS, env_extra=None):
    """Median first-call time over fresh processes, or the error line."""
    runs = []
    for _ in range(runs_wanted):
        try:
            run = common.run_child(Path(__file__).resolve(), "--child-first-call", engine, kernel,
                                   env_extra=env_extra)
        except RuntimeError as exc:  # the process died: its last line says how
            lines = str(exc).strip().splitlines()
            return None, f"the process failed: {lines[-1] if lines else ''}"[:300]
        if "error" in run:  # compilation fails the same way in every process
            return None, run["error"]
        runs.append(run["seconds"])
    return statistics.median(runs), None


# --------------------------------------------------------------------------- the suite


def measure(specs, engines):
    names = [s.name for s in specs]
    functions, unsupported, pythran_compile_s = {}, {}, None
    for engine in engines:
        if engine == "pythran":
            found, pythran_compile_s = pythran_kernels(names)
        else:
            found = kernel_functions(engine, names)
        for name, func in found.items():
            if isinstance(func, str):
                unsupported[engine, name] = func
            else:
                functions[engine, name] = func

    first = {}
    for spec in specs:
        for engine in [e for e in COMPILING_ENGINES if e in engines]:
            if engine == "ferrojit":
                # ferrojit keeps its library's machine code on disk (see the README's "The
                # library compiled once"): one process with that cache empty ("ferrojit-cold"),
                # then the usual runs with it filled, as any later process finds it.
                with tempfile.TemporaryDirectory() as cache:
                    env = {"FERROJIT_LIBRARY_CACHE": cache}
                    cold, error = first_call(engine, spec.name, 1, env)
                    if not error:
                        first["ferrojit-cold", spec.name] = cold
                        seconds, error = first_call(engine, spec.name, FIRST_CALL_RUNS, env)
            else:
                seconds, error = first_call(engine, spec.name)
            if error:
                unsupported.setdefault((engine, spec.name), error)
            else:
                first[engine, spec.name] = seconds
            print(f"first call {engine:8} {spec.name:24} "
                  f"{fmt_time(seconds) if seconds else 'not supported: ' + error}", flush=True)

    steady, checks, failures, dtype_notes = {}, {}, [], {}
    for spec in specs:
        kernel = spec.name
        expected = outcome(functions["numpy", kernel], spec.args())
        runnable = []
        for engine in engines:
            if (engine, kernel) in unsupported:
                continue
            try:
                got = outcome(functions[engine, kernel], spec.args())
            except Exception as exc:  # noqa: BLE001  (a kernel the engine cannot compile)
                unsupported[engine, kernel] = error_line(exc)
                continue
            runnable.append(engine)
            if engine != "numpy":
                got, dtype_note = same_dtype(got, expected, spec, engine)
                checks[engine, kernel] = d = compare(got, expected)
                if dtype_note:
                    dtype_notes[engine, kernel] = dtype_note
                if d is None or d > bound(spec, engine):
                    failures.append(f"{engine} {kernel}: differs from NumPy (difference {d}, "
                                    f"bound {bound(spec, engine):g})")
        args = spec.args()  # in-place kernels keep updating these: timing only
        best, repeats = {}, {}
        order = [e for e in ROUND_ORDER if e in runnable]
        for engine in order + order[::-1]:
            seconds, count, _ = steady_state(functions[engine, kernel], args,
                                             budget=STEADY_BUDGET_S / 2)
            best[engine] = min(best.get(engine, seconds), seconds)
            repeats[engine] = repeats.get(engine, 0) + count
        for engine in order:
            steady[engine, kernel] = best[engine]
            print(f"steady     {engine:8} {kernel:24} {fmt_time(best[engine]):>10} "
                  f"(best of {repeats[engine]})", flush=True)
        for engine in engines:
            if (engine, kernel) in unsupported:
                print(f"           {engine:8} {kernel:24} not supported: "
                      f"{unsupported[engine, kernel]}", flush=True)
        checks["integer", kernel] = is_integer(expected)
        del expected, args
    return {"first": first, "steady": steady, "checks": checks, "failures": failures,
            "unsupported": unsupported, "pythran_compile_s": pythran_compile_s,
            "dtype_notes": dtype_notes}


def ratio(m, kernel, engine_a, engine_b, table="steady"):
    values = m[table]
    if (engine_a, kernel) in values and (engine_b, kernel) in values:
        return values[engine_a, kernel] / values[engine_b, kernel]
    return None


def cell(m, engine, kernel, table="steady"):
    if (engine, kernel) in m[table]:
        return fmt_time(m[table][engine, kernel])
    return "not supported" if (engine, kernel) in m["unsupported"] else "–"


def report(specs, engines, m):
    """(headline lines, Markdown lines)."""
    others = [e for e in ("numpy", "numba", "pythran") if e in engines]
    headline, lines = [], []
    gm = {}
    for other in others:
        values = [ratio(m, s.name, "ferrojit", other) for s in specs]
        gm[other] = (geomean(values), sum(v is not None for v in values))
    firsts = [ratio(m, s.name, "ferrojit", "numba", "first") for s in specs]
    gm_first = (geomean(firsts), sum(v is not None for v in firsts))
    colds = [ratio(m, s.name, "ferrojit-cold", "numba", "first") for s in specs]
    gm_cold = (geomean(colds), sum(v is not None for v in colds))
    supported = {e: sum((e, s.name) not in m["unsupported"] for s in specs) for e in engines}
    headline.append(f"- **{len(specs)} kernels** written with whole-array NumPy expressions; "
                    "compiled by: " + ", ".join(f"{ENGINE_TITLE[e]} {supported[e]}"
                                                for e in engines if e != "numpy"))
    headline.append("- steady state, geometric mean of ferrojit's time over another engine's "
                    "(< 1: ferrojit faster), over the kernels both run: "
                    + ", ".join(f"vs {ENGINE_TITLE[o]} **{fmt_ratio(g)}** ({n} kernels)"
                                for o, (g, n) in gm.items()))
    if "numba" in engines:
        headline.append(f"- first call (compile + run), ferrojit / Numba: **{fmt_ratio(gm_first[0])}** "
                        f"({gm_first[1]} kernels); with ferrojit's library cache empty (its "
                        f"first use on the machine): **{fmt_ratio(gm_cold[0])}**")

    columns = [e for e in ("numpy", "numba", "pythran", "ferrojit") if e in engines]
    lines += ["| kernel | input | " + " | ".join(f"{ENGINE_TITLE[e]} steady" for e in columns)
              + " | " + " | ".join(f"ferrojit / {ENGINE_TITLE[o]}" for o in others)
              + (" | ferrojit first call | Numba first call | ratio | ferrojit first call, library "
                 "cache empty | ratio" if "numba" in engines else "")
              + " |",
              "|---|---|" + "---:|" * (len(columns) + len(others)
                                       + (5 if "numba" in engines else 0))]
    for spec in specs:
        k = spec.name
        row = [f"`{k}`", spec.label] + [cell(m, e, k) for e in columns]
        row += [fmt_ratio(ratio(m, k, "ferrojit", o)) for o in others]
        if "numba" in engines:
            row += [cell(m, "ferrojit", k, "first"), cell(m, "numba", k, "first"),
                    fmt_ratio(ratio(m, k, "ferrojit", "numba", "first")),
                    cell(m, "ferrojit-cold", k, "first"),
                    fmt_ratio(ratio(m, k, "ferrojit-cold", "numba", "first"))]
        lines.append("| " + " | ".join(row) + " |")
    lines.append(f"| **geometric mean** | | " + " | " * (len(columns) - 1)
                 + " | ".join(f"**{fmt_ratio(g)}** ({n})" for g, n in gm.values())
                 + (f" | | | **{fmt_ratio(gm_first[0])}** ({gm_first[1]}) | | **{fmt_ratio(gm_cold[0])}** "
                    f"({gm_cold[1]})" if "numba" in engines else "")
                 + " |")
    lines += ["", "Steady state: best of N calls after a warm-up, N filling "
              f"~{STEADY_BUDGET_S} s per engine in two rounds ({', '.join(ENGINE_TITLE[e] for e in ROUND_ORDER if e in engines)}, "
              "then the reverse). First call: compile + run in a fresh process (numpy imported "
              f"and the input built before the timer starts), median of {FIRST_CALL_RUNS}, "
              "with ferrojit's library cache filled by one process before them (whose own time "
              "is the \"library cache empty\" column). "
              "NumPy is the undecorated function. Geometric means over the kernels both engines "
              "run (their number in parentheses)."]
    if "pythran" in engines:
        compile_s = m["pythran_compile_s"]
        lines += ["", f"Pythran {common.version_of('pythran')}, ahead of time: `pythran "
                  f"{' '.join(PYTHRAN_FLAGS)}` of one module holding every kernel "
                  + (f"({fmt_time(compile_s)} of g++; not part of any time above)."
                     if compile_s else "(built by an earlier run with the same source).")]
    else:
        lines += ["", "Pythran is not installed: not measured (`make bench` installs it)."]

    if m["unsupported"]:
        lines += ["", "### Not supported", "",
                  "The first line of the error each engine gives (when compiling or at the "
                  "first call):", "", "| kernel | engine | error |", "|---|---|---|"]
        for spec in specs:
            for engine in engines:
                if (engine, spec.name) in m["unsupported"]:
                    error = m["unsupported"][engine, spec.name].replace("|", "\\|")
                    lines.append(f"| `{spec.name}` | {ENGINE_TITLE[engine]} | {error} |")

    compiled = [e for e in engines if e != "numpy"]
    lines += ["", "### Result checks", "",
              "Each engine against NumPy running the same function on the same input, relative "
              "difference max\\|got − NumPy\\| / max\\|NumPy\\| (`identical`: bit for bit; "
              "integers must be `equal`); kernels working in place are checked on the arrays "
              f"they update. Pythran's bound is at least {FMA_RTOL:g}: g++ fuses a * b + c "
              "into one multiply-add (GCC's default `-ffp-contract=fast`), one rounding fewer "
              "than NumPy.", "",
              "| kernel | " + " | ".join(ENGINE_TITLE[e] for e in compiled) + " | bound | why |",
              "|---|" + "---:|" * (len(compiled) + 1) + "---|"]
    for spec in specs:
        k = spec.name
        cells = [fmt_diff(m["checks"][e, k], m["checks"]["integer", k])
                 + (f" ({m['dtype_notes'][e, k]})" if (e, k) in m["dtype_notes"] else "")
                 if (e, k) in m["checks"] else "–" for e in compiled]
        why = spec.why + "".join(f"; {ENGINE_TITLE[e]}: {reason}"
                                 for e, reason in spec.dtype_differs.items()) + "".join(
            f"; {ENGINE_TITLE[e]} within {bound:g}: {reason}" for e, (bound, reason) in spec.engine_rtol.items())
        lines.append(f"| `{k}` | " + " | ".join(cells) + f" | {spec.rtol:g} | {why} |")
    if m["failures"]:
        lines += ["", "**Failed checks:**"] + [f"- {f}" for f in m["failures"]]
    return headline, lines


def main(have_numba, only=None):
    """Run the suite; returns (Markdown lines for the summary, failed checks)."""
    wall = time.perf_counter()
    specs = [s for s in EXPR_KERNELS if only is None or s.name in only]
    engines = ["numpy", "ferrojit"] + (["numba"] if have_numba else []) + (
        ["pythran"] if have_pythran() else [])
    m = measure(specs, engines)
    headline, lines = report(specs, engines, m)
    body = headline + [""] + lines
    text = "\n".join(["# Array expressions: ferrojit vs NumPy, Numba and Pythran", "",
                      *common.machine_lines(have_numba), *body]) + "\n"
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / "exprs.md").write_text(text, encoding="utf-8")
    print("\n" + text)
    print(f"(array-expression suite: {time.perf_counter() - wall:.1f} s)", flush=True)
    return body, m["failures"]


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "--child-first-call":
        child_first_call(sys.argv[2], sys.argv[3])
    else:
        sys.exit("run through bench/run.py: .venv/bin/python bench/run.py exprs")
