"""Parallel kernels: code as Numba users write it for `parallel=True`, compiled as it is by each
engine, both with `parallel=True` and without (where `prange` is `range`). Each returns a number
or an array, so that the engines' results can be compared. `use_engine` gives the kernels the
engine's `prange`, `stencil`, `guvectorize` and thread functions."""

import math

import numpy as np

prange = range
get_num_threads = None


def use_engine(engine):
    global prange, get_num_threads, engine_module
    engine_module = __import__(engine)
    prange = engine_module.prange
    get_num_threads = engine_module.get_num_threads


def row_norms_sum(m):
    """A prange over rows with a scalar reduction."""
    total = 0.0
    for i in prange(m.shape[0]):
        acc = 0.0
        for j in range(m.shape[1]):
            acc += m[i, j] * m[i, j]
        total += math.sqrt(acc)
    return total


def pairwise_distances(points):
    """The matrix of Euclidean distances between rows."""
    n = points.shape[0]
    out = np.empty((n, n))
    for i in prange(n):
        for j in range(n):
            d = 0.0
            for k in range(points.shape[1]):
                t = points[i, k] - points[j, k]
                d += t * t
            out[i, j] = math.sqrt(d)
    return out


def monte_carlo_pi(n):
    """A Monte Carlo estimate of pi from a counter-based generator (the same numbers in every
    engine and thread count, so that results compare exactly)."""
    inside = 0
    for i in prange(n):
        # A hash of i, every intermediate below 2**63 (no engine's int64 wraps).
        h = (i * 2654435761 + 12345) & 0xFFFFFFFFFF
        h = ((h ^ (h >> 21)) * 40503) & 0xFFFFFFFFFF
        x = (h & 0xFFFFF) / 1048576.0
        y = (h >> 20) / 1048576.0
        if x * x + y * y < 1.0:
            inside += 1
    return 4.0 * inside / n


def mandelbrot(width, height, max_iter):
    """Escape counts of the Mandelbrot set, one row per iteration (uneven work per row)."""
    out = np.empty((height, width), dtype=np.int64)
    for y in prange(height):
        ci = -1.5 + 3.0 * y / height
        for x in range(width):
            cr = -2.0 + 3.0 * x / width
            zr = 0.0
            zi = 0.0
            k = 0
            while k < max_iter and zr * zr + zi * zi < 4.0:
                zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi + ci
                k += 1
            out[y, x] = k
    return out


def heat_step_kernel(a):
    return 0.25 * (a[-1, 0] + a[1, 0] + a[0, -1] + a[0, 1])


def heat_stencil(grid, steps):
    """A 2-d five-point stencil applied `steps` times (`@stencil` where the engine has it)."""
    for _ in range(steps):
        grid = heat_step(grid)
    return grid


def array_expression(a, b):
    """Whole-array arithmetic and a reduction (parallel only where the engine parallelises
    array expressions under parallel=True)."""
    c = np.sqrt(a * a + b * b) * np.exp(-a) + np.sin(b)
    return c.sum()


def histogram(a, lo, hi, nbins):
    """A histogram with one partial histogram per thread, added at the end."""
    chunks = get_num_threads()
    partial = np.zeros((chunks, nbins), dtype=np.int64)
    per_chunk = (a.shape[0] + chunks - 1) // chunks
    scale = nbins / (hi - lo)
    for c in prange(chunks):
        for i in range(c * per_chunk, min((c + 1) * per_chunk, a.shape[0])):
            b = int((a[i] - lo) * scale)
            if 0 <= b < nbins:
                partial[c, b] += 1
    return partial.sum(axis=0)


def gufunc_row_softmax(m):
    """A guvectorize kernel with target='parallel' over the rows (compiled at its first call,
    so that the first call's time includes the compilation, as for the other kernels)."""
    global row_softmax
    if row_softmax is None:
        row_softmax = make_softmax()
    return row_softmax(m)


row_softmax = None


def empty_prange(n):
    """The overhead of a parallel loop over nothing."""
    s = 0
    for i in prange(n):
        s += i
    return s


def build(engine, parallel):
    """The engine's compiled kernels, by name, with parallel=True or not."""
    global heat_step, make_softmax
    use_engine(engine)
    jit = engine_module.njit(parallel=parallel) if parallel else engine_module.njit
    target = "parallel" if parallel else "cpu"

    def make_softmax():
        @engine_module.guvectorize(["void(float64[:], float64[:])"], "(n)->(n)", target=target)
        def softmax(row, out):
            m = row[0]
            for k in range(row.shape[0]):
                m = max(m, row[k])
            s = 0.0
            for k in range(row.shape[0]):
                out[k] = math.exp(row[k] - m)
                s += out[k]
            for k in range(row.shape[0]):
                out[k] /= s

        return softmax

    names = ["row_norms_sum", "pairwise_distances", "monte_carlo_pi", "mandelbrot", "array_expression", "histogram", "empty_prange"]
    kernels = {name: jit(globals()[name]) for name in names}
    kernels["gufunc_row_softmax"] = gufunc_row_softmax
    if hasattr(engine_module, "stencil"):
        # Each step a compiled call of the stencil (with parallel=True or not), driven from
        # Python.
        heat_step = jit(_stencil_step(engine_module.stencil(heat_step_kernel)))
        kernels["heat_stencil"] = heat_stencil
    return kernels


def _stencil_step(stencil):
    def apply(grid):
        return stencil(grid)

    return apply
