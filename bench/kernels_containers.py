"""Container kernels: Python code using lists as Numba users write it, compiled as it is by each
engine (and run by CPython). Each takes its input as arguments and returns a number, so that
the engines' results can be compared."""


def list_append(n):
    """Appending to a list in a loop, then summing it."""
    out = []
    for i in range(n):
        out.append(i * 0.5)
    total = 0.0
    for x in out:
        total += x
    return total


def set_churn(n):
    """Adding to a set, discarding a third, a loop over it, a union and an intersection."""
    s = set()
    for i in range(n):
        s.add((i * 7919) % (n * 2))
    for i in range(0, n, 3):
        s.discard(i)
    total = 0
    for x in s:
        total += x
    v = set()
    for i in range(0, n, 5):
        v.add(i)
    u = s | v
    return total + len(u) + len(s & u)


def list_comprehension(n):
    """A list comprehension with a condition."""
    squares = [i * i for i in range(n) if i % 3 != 0]
    return len(squares) + squares[-1]


def list_argument(values):
    """A list argument read once: the cost is converting (reflecting) the list."""
    return len(values) + values[0]


def list_sort(values):
    """Sorting a copy of a list argument."""
    ordered = values.copy()
    ordered.sort()
    return ordered[len(ordered) // 2]


def list_of_arrays(n):
    """A list of small arrays, built and reduced."""
    rows = []
    for i in range(n):
        rows.append(np.full(4, i * 1.0))
    total = 0.0
    for row in rows:
        total += row.sum()
    return total


def word_count(text):
    """Counting words with a dict (written with `in`: Numba cannot type the `d.get(k, 0) + 1`
    idiom on an empty dict, which ferrojit compiles)."""
    counts = {}
    for word in text.split():
        if word in counts:
            counts[word] += 1
        else:
            counts[word] = 1
    return len(counts) + counts["the"]


def string_build(n):
    """Building a string piece by piece (`+=` of `str(i)` and a separator)."""
    out = ""
    for i in range(n):
        out += str(i) + ","
    return len(out)


def string_methods(lines):
    """A list of lines cleaned and parsed: strip, lower, startswith, split, join."""
    kept = []
    for line in lines:
        line = line.strip().lower()
        if not line.startswith("#"):
            kept.append("-".join(line.split(",")))
    return len(kept) + len(kept[-1])


def closure_ode(n):
    """n steps of RK4 on y' = -k y + sin(t), the right-hand side a closure over `k` passed to
    the step function."""
    k = 0.5

    def rhs(t, y):
        return -k * y + math.sin(t)

    def rk4(f, t, y, h):
        k1 = f(t, y)
        k2 = f(t + h / 2, y + h / 2 * k1)
        k3 = f(t + h / 2, y + h / 2 * k2)
        k4 = f(t + h, y + h * k3)
        return y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)

    y = 1.0
    t = 0.0
    for _ in range(n):
        y = rk4(rhs, t, y, 0.001)
        t += 0.001
    return y


def typed_dict_of_arrays(n):
    """A typed Dict of arrays made in compiled code: one small array per key, updated in
    place, then reduced."""
    d = Dict.empty(key_type=types.int64, value_type=float_array)
    for i in range(n):
        key = i % 1000
        if key in d:
            row = d[key]
            row += i * 0.5
        else:
            d[key] = np.zeros(8)
    total = 0.0
    for row in d.values():
        total += row.sum()
    return float(total)


def dijkstra(indptr, indices, weights):
    """Shortest distances from node 0 over a graph in CSR form, with a binary heap of
    (distance, node) tuples (`heapq`)."""
    n = len(indptr) - 1
    dist = np.full(n, np.inf)
    dist[0] = 0.0
    heap = [(0.0, 0)]
    while heap:
        d, u = heapq.heappop(heap)
        if d > dist[u]:
            continue
        for e in range(indptr[u], indptr[u + 1]):
            v = indices[e]
            candidate = d + weights[e]
            if candidate < dist[v]:
                dist[v] = candidate
                heapq.heappush(heap, (candidate, v))
    # Summed in order: `a.sum()` adds pairwise in blocks whose bits differ between engines.
    total = 0.0
    for x in dist:
        if x < np.inf:
            total += float(x)
    return total


def random_graph(n, degree, seed=7):
    """A random directed graph of `n` nodes with `degree` edges each, in CSR form (the input
    of `dijkstra`, not a kernel)."""
    rng = np.random.default_rng(seed)
    indptr = np.arange(0, n * degree + 1, degree, dtype=np.int64)
    indices = rng.integers(0, n, n * degree)
    weights = rng.random(n * degree)
    return indptr, indices, weights


import heapq  # noqa: E402 - used by dijkstra
import math  # noqa: E402 - used by closure_ode

import numpy as np  # noqa: E402 - used by list_of_arrays, kept out of the kernels' text

# The typed containers of the engine the kernels run on (`use_engine`).
Dict = types = float_array = None


def use_engine(engine):
    """Gives the kernels the engine's `typed.Dict` and `types` (`numba.typed`, `ferrojit.typed`);
    CPython's stand-in for `Dict.empty` is a plain dict."""
    global Dict, types, float_array
    if engine == "python":
        class PlainDict:
            @staticmethod
            def empty(key_type, value_type):
                return {}

        Dict, types, float_array = PlainDict, type("types", (), {"int64": int}), None
        return
    module = __import__(engine)
    __import__(engine + ".typed")
    Dict, types = module.typed.Dict, module.types
    float_array = types.float64[:]
