"""The array-expression kernels of ``kernels_array_exprs.py``: inputs, Pythran signatures and
result tolerances, for bench/run_exprs.py.

Each ``ExprKernel`` says:

* ``args``: builds the benchmark input (deterministic: a seeded ``np.random.default_rng``,
  so a fresh process builds the very same input). Called anew for every result check, so
  in-place kernels start from the same data with every engine;
* ``pythran``: the argument types of its ``#pythran export`` line;
* ``rtol``: the bound of max|got - NumPy| / max|NumPy| for every engine against NumPy running
  the same function, with ``why`` saying where a difference comes from. Element-wise
  results only differ by the last bit of a transcendental function (NumPy's own SIMD loops,
  glibc's libm or libmvec, Pythran's xsimd); reductions also add in another order (NumPy
  sums pairwise in blocks, the compilers in order or in a few vector lanes), an error
  growing like sqrt(n) * 1.1e-16 of the sum. Integer results must be equal. Pythran's bound
  is at least ``FMA_RTOL``: g++ fuses ``a * b + c`` into one multiply-add (GCC's default
  ``-ffp-contract=fast``), which rounds once where NumPy rounds twice.
"""

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

ELEMENTWISE_RTOL = 1e-13
ELEMENTWISE_WHY = "element-wise; exp/log/sin/sqrt may differ in the last bit"
EXACT_WHY = "only + - * of the same operands in the same order"
REDUCTION_RTOL = 1e-10
REDUCTION_WHY = "a sum: NumPy adds pairwise, the compilers in order or in vector lanes"
FMA_RTOL = 1e-14


def bound(spec, engine):
    """The tolerance of ``engine``'s result for ``spec`` against NumPy's."""
    rtol = spec.engine_rtol.get(engine, (spec.rtol, ""))[0]
    return max(rtol, FMA_RTOL) if engine == "pythran" else rtol


@dataclass
class ExprKernel:
    name: str
    label: str  # the benchmark input, in words (Markdown)
    args: Callable[[], tuple]
    pythran: str
    rtol: float = ELEMENTWISE_RTOL
    why: str = ELEMENTWISE_WHY
    # {engine: why its result's dtype is not NumPy's}: the result is then cast to NumPy's
    # dtype before the comparison (any other dtype difference fails the check).
    dtype_differs: dict = field(default_factory=dict)
    # {engine: (bound, why)} where one engine's result legitimately differs more.
    engine_rtol: dict = field(default_factory=dict)


def _rng():
    return np.random.default_rng(20240601)


def _uniform(*shape):
    return (_rng().random(shape),)


def _normal(*shape):
    return (_rng().standard_normal(shape),)


def _uniforms(count, n):
    rng = _rng()
    return tuple(rng.random(n) for _ in range(count))


def _diffusion_input():
    # numpy-benchmarks' setup: a 128 x 128 grid, zero but for one hot point, 100 steps.
    u = np.zeros((128, 128))
    u[64, 64] = 1000.0
    return (u, np.zeros((128, 128)), 100)


def _horner_input():
    rng = _rng()
    return (rng.random(1_000_000) * 2.0 - 1.0, rng.standard_normal(8))


def _arc_input():
    rng = _rng()
    return tuple(rng.standard_normal(1_000_000) for _ in range(4))


def _leapfrog_input():
    rng = _rng()
    return (rng.random(2_000_000), rng.random(2_000_000), rng.standard_normal(2_000_000), 0.01)


F1, F2, F3 = "float64[:]", "float64[:,:]", "float64[:,:,:]"

EXPR_KERNELS = [
    ExprKernel("pairwise_dist_broadcast", "X 1000x3 -> 1000x1000, via (n, n, 3)",
               lambda: _uniform(1000, 3), F2, REDUCTION_RTOL, "sqrt of a 3-term sum"),
    ExprKernel("pairwise_dist_rows", "X 1000x3 -> 1000x1000, one row per iteration",
               lambda: _uniform(1000, 3), F2),
    ExprKernel("pairwise_dist_row_sums", "X 1000x3 -> 1000x1000, a row sum per point",
               lambda: _uniform(1000, 3), F2, REDUCTION_RTOL, "sqrt of a 3-term sum"),
    ExprKernel("jacobi_2d", "u 1000x1000, 5-point average of the interior",
               lambda: _uniform(1000, 1000), F2, 0.0, EXACT_WHY),
    ExprKernel("stencil_3pt", "x 2000000", lambda: _uniform(2_000_000), F1, 0.0, EXACT_WHY),
    ExprKernel("laplacian_2d", "u 1000x1000", lambda: _uniform(1000, 1000), F2, 0.0, EXACT_WHY),
    ExprKernel("laplacien", "image 500x500x3 (numpy-benchmarks)", lambda: _normal(500, 500, 3),
               F3, 0.0, EXACT_WHY),
    ExprKernel("diffusion", "u 128x128, 100 steps, in place (numpy-benchmarks)",
               _diffusion_input, f"{F2}, {F2}, int", 0.0, EXACT_WHY),
    ExprKernel("standardize", "x 2000000", lambda: _normal(2_000_000), F1,
               REDUCTION_RTOL, "mean and deviation are sums (pairwise in NumPy)"),
    ExprKernel("log_likelihood", "data 1000000 (numpy-benchmarks)",
               lambda: (*_uniform(1_000_000), 0.1, 1.1), f"{F1}, float64, float64",
               REDUCTION_RTOL, REDUCTION_WHY + "; exp and log"),
    ExprKernel("sqrt_exp_sin", "a, b, c 1000000", lambda: _uniforms(3, 1_000_000),
               f"{F1}, {F1}, {F1}"),
    ExprKernel("logistic", "x 2000000", lambda: _normal(2_000_000), F1),
    ExprKernel("softplus", "x 2000000", lambda: _normal(2_000_000), F1),
    ExprKernel("horner_arrays", "x 1000000, degree 7", _horner_input, f"{F1}, {F1}", 0.0,
               EXACT_WHY),
    ExprKernel("diff_norm", "a, b 2000000", lambda: _uniforms(2, 2_000_000), f"{F1}, {F1}",
               REDUCTION_RTOL, REDUCTION_WHY),
    ExprKernel("scaled_sum_squares", "x 2000000", lambda: _normal(2_000_000), F1,
               REDUCTION_RTOL, REDUCTION_WHY),
    ExprKernel("leapfrog_step", "x, v, a 2000000, in place", _leapfrog_input,
               f"{F1}, {F1}, {F1}, float64", 0.0, EXACT_WHY),
    ExprKernel("rosen", "x 1000000 (numpy-benchmarks)", lambda: _uniform(1_000_000), F1,
               REDUCTION_RTOL, REDUCTION_WHY),
    ExprKernel("arc_distance", "4 x 1000000 angles (numpy-benchmarks)", _arc_input,
               f"{F1}, {F1}, {F1}, {F1}", 1e-12,
               "element-wise; vector sin/cos (libmvec, xsimd: within 4 ulp) differ in the last bits, "
               "and sqrt(1 - temp) for temp near 1 magnifies that (cancellation)"),
    ExprKernel("clip_count", "x 4000000 -> int", lambda: (*_normal(4_000_000), -0.5, 0.5),
               f"{F1}, float64, float64", 0.0, "an integer count"),
]

EXPR_KERNELS += [
    ExprKernel("vibr_energy", "a, b, c 1000000 (numpy-benchmarks)",
               lambda: _uniforms(3, 1_000_000), f"{F1}, {F1}, {F1}"),
    ExprKernel("harris", "image 1000x1000 (numpy-benchmarks)", lambda: _normal(1000, 1000), F2,
               0.0, EXACT_WHY),
    # numpy-benchmarks' input is np.arange, whose box sums are exactly 9 times the centre
    # (all zeros out); random 8-bit values give results of both signs, which wrap in uint32.
    ExprKernel("specialconvolve", "a 1000x1000 uint32, values 0..255 (numpy-benchmarks)",
               lambda: (_rng().integers(0, 256, (1000, 1000), dtype=np.uint32),),
               "uint32[:,:]", 0.0, "integers, wrapping modulo 2**32",
               {"numba": "types the constant 9 as int64 and gives an int64 array "
                         "(NumPy 1's promotion; NumPy 2 keeps uint32)"}),
    ExprKernel("l2norm", "x 1000x1000 -> 1000 row norms (numpy-benchmarks)",
               lambda: _uniform(1000, 1000), F2, REDUCTION_RTOL,
               "sums of 1000 terms: NumPy adds pairwise"),
]

EXPR_KERNELS += [
    ExprKernel("leaky_relu", "x 2000000", lambda: _normal(2_000_000), F1, 0.0, EXACT_WHY),
    ExprKernel("positive_mean", "x 2000000, about half of it selected",
               lambda: _normal(2_000_000), F1, REDUCTION_RTOL, REDUCTION_WHY),
]



def _search_input():
    rng = _rng()
    return (rng.standard_normal(1_000_000), rng.standard_normal(100_000))


def _histogram_input():
    rng = _rng()
    return (rng.standard_normal(2_000_000), rng.integers(0, 64, 2_000_000))


def _least_squares_input():
    rng = _rng()
    x = rng.random(100_000) * 2.0 - 1.0
    return (x, 1.0 - 2.0 * x + 0.5 * x**3 + 0.01 * rng.standard_normal(100_000))


def _kmeans_input():
    rng = _rng()
    X = rng.standard_normal((100_000, 3))
    return (X, X[:16].copy())


# The kernels of NumPy's library (issue: sorting, histograms, statistics, least squares, a
# Monte Carlo estimate, a k-means step).
EXPR_KERNELS += [
    ExprKernel("sort_searchsorted", "x 1000000 sorted, 100000 queries", _search_input,
               f"{F1}, {F1}", 0.0, "integer positions"),
    ExprKernel("histogram_bincount", "x 2000000 into 64 bins + 2000000 labels counted",
               _histogram_input, f"{F1}, int64[:]", 0.0, "integer counts"),
    ExprKernel("median_percentile", "x 1000000", lambda: _normal(1_000_000), F1, 0.0,
               "order statistics, interpolated as NumPy does"),
    ExprKernel("least_squares", "cubic fit to 100000 points (lstsq)", _least_squares_input,
               f"{F1}, {F1}", 1e-10, "an SVD: LAPACK's blocking and the BLAS's threads"),
    ExprKernel("monte_carlo_pi", "2 x 5000000 random numbers", lambda: (5_000_000,), "int",
               0.0, "NumPy's MT19937 stream, reproduced bit for bit",
               engine_rtol={"pythran": (1e-2, "Pythran's np.random is its own generator, not NumPy's stream")}),
    ExprKernel("kmeans_step", "100000 points in 3-d, 16 centroids", _kmeans_input, f"{F2}, {F2}",
               REDUCTION_RTOL, REDUCTION_WHY),
]

EXPR_KERNEL_BY_NAME = {k.name: k for k in EXPR_KERNELS}
