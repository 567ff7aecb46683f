"""The kernels of what goes beyond plain loops: an exception-heavy parser (a `raise` in a
compiled helper for each bad field, caught in the loop), an object mode callback loop (`with
objmode(...)` calling a plain Python function every iteration) and, when the engine has them,
class instances. ferrojit, Numba and CPython, each in a fresh process, steady state (best of
``REPEATS`` calls after the first); each engine's results must agree. Results are printed and
written to ``bench/results/beyond.md``.
"""

import sys
from pathlib import Path

from common import fmt_ratio, fmt_time, have_numba, run_child, write_report

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_PATH = BENCH_DIR / "results" / "beyond.md"
REPEATS = 20

KERNELS = '''
import math
import numpy as np

if ENGINE == "python":
    def njit(f):
        return f
    class objmode:
        def __init__(self, **kw):
            pass
        def __enter__(self):
            return None
        def __exit__(self, *exc):
            return None
else:
    engine = __import__(ENGINE)
    njit, objmode = engine.njit, engine.objmode


@njit
def parse_field(buf, start, end):
    if end <= start:
        raise ValueError("empty field")
    value = 0
    for i in range(start, end):
        c = int(buf[i])
        if c < 48 or c > 57:
            raise ValueError("not a digit")
        value = value * 10 + (c - 48)
    return value


@njit
def parse_all(buf, starts, ends):
    # Exception-heavy: about a third of the fields are bad and raise ValueError.
    total = 0
    bad = 0
    for k in range(starts.shape[0]):
        try:
            total += parse_field(buf, starts[k], ends[k])
        except Exception:
            bad += 1
    return total * 1000003 + bad


def python_callback(x):
    # Plain Python: a library call compiled code does not make itself.
    return math.fsum((x, 0.5, x * x))


@njit
def callback_loop(a):
    s = 0.0
    for i in range(a.shape[0]):
        x = a[i]
        with objmode(y="float64"):
            y = python_callback(x)
        s += y
    return s
'''

CHILD = """
import sys, time, json, tempfile, importlib.util, os
import numpy as np
path = os.path.join(tempfile.mkdtemp(), "beyond_kernels.py")
with open(path, "w") as f:
    f.write("ENGINE = " + repr({engine!r}) + "\\n" + {kernels!r})
spec = importlib.util.spec_from_file_location("beyond_kernels", path)
module = importlib.util.module_from_spec(spec)
# Numba's object mode looks the module up by name.
sys.modules["beyond_kernels"] = module
spec.loader.exec_module(module)

rng = np.random.default_rng(1)
fields = []
for k in range(60_000):
    n = int(rng.integers(0, 7))
    text = "".join(str(d) for d in rng.integers(0, 10, n))
    if rng.random() < 0.3 and n:
        text = text[:-1] + "x"
    fields.append(text)
joined = ",".join(fields).encode()
buf = np.frombuffer(joined, dtype=np.uint8)
ends = np.array([i for i, c in enumerate(joined) if c == ord(",")] + [len(joined)], dtype=np.int64)
starts = np.concatenate(([0], ends[:-1] + 1)).astype(np.int64)
calls = {{"parse_all": (buf, starts, ends), "callback_loop": (rng.random(20_000),)}}
results = {{}}
for name, args in calls.items():
    func = getattr(module, name)
    t = time.perf_counter()
    value = func(*args)
    first = time.perf_counter() - t
    best = float("inf")
    for _ in range({repeats}):
        t = time.perf_counter()
        func(*args)
        best = min(best, time.perf_counter() - t)
    results[name] = {{"first": first, "steady": best, "value": float(value)}}
print(json.dumps(results))
"""

ROWS = [("exception-heavy parser: 6 x 10^4 fields, about a third raising in a compiled helper", "parse_all"), ("object mode callback: 2 x 10^4 iterations, each calling Python", "callback_loop")]


def main():
    engines = ["ferrojit", "numba"] if have_numba() else ["ferrojit"]
    measured = {e: run_child("-c", CHILD.format(engine=e, kernels=KERNELS, repeats=REPEATS)) for e in engines}
    measured["python"] = run_child("-c", CHILD.format(engine="python", kernels=KERNELS, repeats=3))
    failures = []
    for _, name in ROWS:
        values = {e: m[name]["value"] for e, m in measured.items()}
        if max(values.values()) - min(values.values()) > 1e-9 * max(1.0, abs(max(values.values()))):
            failures.append(f"{name}: results differ: {values}")
    shown = engines + ["python"]
    lines = [
        f"Steady state, best of {REPEATS} calls after the first, each engine in a fresh process. The last columns are ferrojit's time over Numba's and over CPython's.",
        "",
        "| kernel | " + " | ".join(f"{e} steady" for e in shown) + " | ferrojit first call | " + ("ferrojit / Numba | " if "numba" in engines else "") + "ferrojit / CPython |",
        "|---|" + "---:|" * (len(shown) + 2 + ("numba" in engines)),
    ]
    for label, name in ROWS:
        cells = [label] + [fmt_time(measured[e][name]["steady"]) for e in shown] + [fmt_time(measured["ferrojit"][name]["first"])]
        if "numba" in engines:
            cells.append(fmt_ratio(measured["ferrojit"][name]["steady"] / measured["numba"][name]["steady"]))
        cells.append(fmt_ratio(measured["ferrojit"][name]["steady"] / measured["python"][name]["steady"]))
        lines.append("| " + " | ".join(cells) + " |")
    lines = write_report(RESULTS_PATH, "Beyond plain loops: exceptions, object mode", lines, failures)
    return lines, failures


if __name__ == "__main__":
    _, failed = main()
    sys.exit(1 if failed else 0)
