"""The kernels of what goes beyond plain loops: an exception-heavy parser (a `raise` in a
compiled helper for each bad field, caught in the loop; once with constant messages, once with
f-string messages naming the position), an object mode callback loop (`with
objmode(...)` calling a plain Python function every iteration) and jitclass particle
simulations (a list of small instances; one instance holding arrays). ferrojit, Numba and CPython, each in a fresh process, steady state (best of
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
    def jitclass(spec):
        return lambda cls: cls
    float64_1d = int64 = float64 = None
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
    jitclass = __import__(ENGINE + ".experimental", fromlist=["jitclass"]).jitclass
    float64, int64 = engine.float64, engine.int64
    float64_1d = engine.float64[:]


@jitclass([("x", float64), ("y", float64), ("vx", float64), ("vy", float64), ("mass", float64)])
class Particle:
    def __init__(self, x, y, mass):
        self.x = x
        self.y = y
        self.vx = 0.0
        self.vy = 0.0
        self.mass = mass

    def push(self, fx, fy, dt):
        self.vx += fx / self.mass * dt
        self.vy += fy / self.mass * dt

    def move(self, dt):
        self.x += self.vx * dt
        self.y += self.vy * dt

    def energy(self):
        return 0.5 * self.mass * (self.vx * self.vx + self.vy * self.vy)


@jitclass([("xs", float64_1d), ("ys", float64_1d), ("vxs", float64_1d), ("vys", float64_1d), ("n", int64)])
class Swarm:
    def __init__(self, n):
        self.n = n
        self.xs = np.empty(n)
        self.ys = np.empty(n)
        self.vxs = np.zeros(n)
        self.vys = np.zeros(n)
        for i in range(n):
            self.xs[i] = math.cos(i * 0.1) * (1.0 + i / n)
            self.ys[i] = math.sin(i * 0.1) * (1.0 + i / n)

    def step(self, dt):
        for i in range(self.n):
            # A spring to the origin and a little drag.
            self.vxs[i] += (-self.xs[i] - 0.01 * self.vxs[i]) * dt
            self.vys[i] += (-self.ys[i] - 0.01 * self.vys[i]) * dt
            self.xs[i] += self.vxs[i] * dt
            self.ys[i] += self.vys[i] * dt

    def energy(self):
        e = 0.0
        for i in range(self.n):
            e += 0.5 * (self.vxs[i] ** 2 + self.vys[i] ** 2) + 0.5 * (self.xs[i] ** 2 + self.ys[i] ** 2)
        return e


@njit
def particles(n, steps):
    # Many small objects: a list of instances, each pushed and moved by its methods.
    ps = [Particle(math.cos(i * 0.1), math.sin(i * 0.1), 1.0 + (i % 3)) for i in range(n)]
    dt = 0.01
    for s in range(steps):
        for p in ps:
            p.push(-p.x - 0.01 * p.vx, -p.y - 0.01 * p.vy, dt)
            p.move(dt)
    e = 0.0
    for p in ps:
        e += p.energy()
    return e


@njit
def swarm(n, steps):
    # One object holding arrays, stepped by its method.
    w = Swarm(n)
    for s in range(steps):
        w.step(0.01)
    return w.energy()


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


@njit
def parse_field_positioned(buf, start, end):
    # As `parse_field`, with errors that name where they are, as a parser's messages do.
    if end <= start:
        raise ValueError(f"empty field at {start}")
    value = 0
    for i in range(start, end):
        c = int(buf[i])
        if c < 48 or c > 57:
            raise ValueError(f"not a digit at {i}: {c}")
        value = value * 10 + (c - 48)
    return value


@njit
def parse_all_positioned(buf, starts, ends):
    total = 0
    bad = 0
    for k in range(starts.shape[0]):
        try:
            total += parse_field_positioned(buf, starts[k], ends[k])
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
calls = {{"parse_all": (buf, starts, ends), "parse_all_positioned": (buf, starts, ends), "callback_loop": (rng.random(20_000),), "particles": (2_000, 200), "swarm": (2_000, 200)}}
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

ROWS = [
    ("exception-heavy parser: 6 x 10^4 fields, about a third raising in a compiled helper", "parse_all"),
    ("the same parser, its errors naming the position (`raise ValueError(f\"not a digit at {i}: {c}\")`)", "parse_all_positioned"),
    ("object mode callback: 2 x 10^4 iterations, each calling Python", "callback_loop"),
    ("particles: a list of 2,000 jitclass instances, 200 steps of method calls (`push`, `move`)", "particles"),
    ("swarm: one jitclass holding 2,000-element arrays, 200 steps of its `step` method", "swarm"),
]


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
    lines = write_report(RESULTS_PATH, "Beyond plain loops: exceptions, object mode, classes", lines, failures)
    return lines, failures


if __name__ == "__main__":
    _, failed = main()
    sys.exit(1 if failed else 0)
