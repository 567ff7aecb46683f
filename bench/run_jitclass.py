"""What jitclasses cost: a hot loop calling a method that reads and writes an instance's fields
against the same loop on local variables, making instances in compiled code, and reading a
field from Python; ferrojit, Numba (when installed) and CPython, steady state (best of
``REPEATS`` runs after the first). Printed, one line per case.

    .venv/bin/python bench/run_jitclass.py
"""

import time

import numpy as np

N = 1_000_000
REPEATS = 7


def best(f, *args):
    f(*args)
    times = []
    for _ in range(REPEATS):
        t = time.perf_counter()
        f(*args)
        times.append(time.perf_counter() - t)
    return min(times)


def kernels(jit, jitclass, float64, int64):
    @jitclass([("total", float64), ("count", int64)])
    class Accumulator:
        def __init__(self):
            self.total = 0.0
            self.count = 0

        def add(self, x):
            self.total += x
            self.count += 1

    @jit
    def with_instance(a):
        acc = Accumulator()
        for i in range(a.shape[0]):
            acc.add(a[i])
        return acc.total / acc.count

    @jit
    def with_locals(a):
        total = 0.0
        count = 0
        for i in range(a.shape[0]):
            total += a[i]
            count += 1
        return total / count

    @jit
    def make_many(n):
        s = 0.0
        for i in range(n):
            acc = Accumulator()
            acc.add(i * 1.0)
            s += acc.total
        return s

    return Accumulator, with_instance, with_locals, make_many


def run(name, jit, jitclass, float64, int64):
    Accumulator, with_instance, with_locals, make_many = kernels(jit, jitclass, float64, int64)
    a = np.random.default_rng(0).random(N)
    rows = [
        ("method updating fields, per element", best(with_instance, a) / N),
        ("same loop on locals, per element", best(with_locals, a) / N),
        ("make an instance in compiled code", best(make_many, 100_000) / 100_000),
    ]
    acc = Accumulator()
    acc.add(1.0)

    def reads():
        for _ in range(100_000):
            acc.total  # noqa: B018

    rows.append(("read a field from Python", best(reads) / 100_000))
    rows.append(("call the class from Python", best(lambda: [Accumulator() for _ in range(10_000)]) / 10_000))
    for label, seconds in rows:
        print(f"{name:9s} {label:40s} {seconds * 1e9:10.1f} ns")


def main():
    import ferrojit
    from ferrojit.experimental import jitclass

    run("ferrojit", ferrojit.njit, jitclass, ferrojit.float64, ferrojit.int64)
    try:
        import numba
        from numba.experimental import jitclass as numba_jitclass
    except ImportError:
        print("numba    (not installed)")
    else:
        run("numba", numba.njit, numba_jitclass, numba.float64, numba.int64)

    def plain_class(spec):
        return lambda cls: cls

    run("CPython", lambda f: f, plain_class, None, None)


if __name__ == "__main__":
    main()
