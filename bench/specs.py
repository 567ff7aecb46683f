"""The benchmark kernels: inputs, CPython inputs, work measures and NumPy references.

Each ``Kernel`` names a function of ``kernels_scalar.py`` or ``kernels_arrays.py`` and says
how ``run.py`` runs it:

* ``args``: builds the benchmark input (deterministic: arrays come from a seeded
  ``np.random.default_rng``, so a fresh process builds the very same input);
* ``small``: a smaller input for CPython, which runs the same undecorated code; the engines
  run it too and must give CPython's result;
* ``work(args, result)``: how much work a call does, in any unit (loop iterations, inner
  steps). CPython's time on the small input times ``work(benchmark) / work(small)`` is the
  CPython estimate at the benchmark size. Exact counts where the kernel's result gives them
  (Mandelbrot's iteration total, popcount's bit total, Newton's step count) or they are
  cheap to compute (fib's calls, Collatz steps, the sieve's marks); for the data-dependent
  rest an expectation (insertion sort: n^2/4 shifts on random input; Euclid: ~0.84 ln n
  divisions per gcd);
* ``numpy``: optionally a NumPy one-liner computing the same result on the benchmark input,
  checked within ``numpy_rtol`` (NumPy adds in another order);
* ``small_globals``: module globals replaced for the small input (the seed reads SIZE);
* ``helpers``: functions of the same module the kernel calls, compiled by the same engine
  but not measured on their own.
"""

import math
from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np


@dataclass
class Kernel:
    name: str
    module: str  # "kernels_scalar" or "kernels_arrays"
    group: str  # integer, float, complex, array, float32
    label: str  # the benchmark input, in words (Markdown)
    args: Callable[[], tuple]
    small: Callable[[], tuple]
    small_label: str
    work: Callable[[tuple, object], float]
    numpy: Optional[Callable] = None
    numpy_text: str = ""
    numpy_rtol: float = 1e-9
    small_globals: dict = field(default_factory=dict)
    helpers: tuple = ()


# --------------------------------------------------------------------------- inputs


def _rng():
    return np.random.default_rng(20240601)


def _uniform(*shape):
    return _rng().random(shape)


def _normal(n):
    return _rng().standard_normal(n)


def _matmul_input(n):
    rng = _rng()
    return (rng.random((n, n)), rng.random((n, n)))


def _convolve_input(n, m):
    rng = _rng()
    return (rng.random(n), rng.random(m))


def _f32_pair(n):
    rng = _rng()
    return (rng.random(n, dtype=np.float32), rng.random(n, dtype=np.float32))


def _saxpy_input(n):
    return (np.float32(2.5), *_f32_pair(n))


def _horner_input(n):
    rng = _rng()
    return (rng.uniform(-1.0, 1.0, n), rng.standard_normal(8))


def _lattice_input(n):
    """``n`` particles (n x 3) on a simple cubic lattice of spacing 1.12 (near the
    Lennard-Jones minimum 2^(1/6)), each moved by up to 0.05 per axis: no two particles
    closer than ~1, so the energy is a sum of moderate terms, mostly negative."""
    side = math.ceil(n ** (1 / 3))
    grid = np.indices((side, side, side)).reshape(3, -1).T[:n]
    return (grid * 1.12 + _rng().uniform(-0.05, 0.05, (n, 3)),)


def _conv_input(nb, nc, size, nco, k):
    rng = _rng()
    return (rng.random((nb, nc, size, size)), rng.random((nco, nc, k, k)))


def _nbody_input(n):
    rng = _rng()
    return (rng.random((n, 3)), rng.uniform(0.5, 1.5, n))


# --------------------------------------------------------------------------- work measures


def _fib_calls(n):
    """Calls made by the naive fib(n): 2 F(n+1) - 1."""
    a, b = 0, 1
    for _ in range(n + 1):
        a, b = b, a + b
    return 2 * a - 1


def _collatz_steps(limit):
    """Total inner-loop steps of collatz_longest(limit) plus its outer iterations, exactly:
    each chain is followed until it drops below its start, whose length is then known."""
    lengths = [0] * limit
    if limit > 1:
        lengths[1] = 1
    for start in range(2, limit):
        n, steps = start, 0
        while n >= start:
            n = n // 2 if n % 2 == 0 else 3 * n + 1
            steps += 1
        lengths[start] = steps + lengths[n]
    return sum(lengths) + limit


def _sieve_work(n):
    """Marks done by sieve_count(n) (sum over primes p, p*p < n, of the multiples from p*p)
    plus the two passes over the n flags."""
    root = math.isqrt(n) + 1
    small = np.ones(root, dtype=bool)
    small[:2] = False
    for i in range(2, math.isqrt(root) + 1):
        if small[i]:
            small[i * i::i] = False
    marks = sum((n - 1 - p * p) // p + 1 for p in np.flatnonzero(small).tolist() if p * p < n)
    return marks + 2 * n


def _euclid_work(n):
    """Expected divisions of gcd_sum(n): (n-1)^2 gcds of ~(12 ln 2 / pi^2) ln n + 0.5 each."""
    return (n - 1) ** 2 * (12 * math.log(2) / math.pi ** 2 * math.log(n) + 0.5)


def _numpy_sieve_count(n):
    is_prime = np.ones(n, dtype=np.bool_)
    is_prime[:2] = False
    for i in range(2, int(n ** 0.5) + 1):
        if is_prime[i]:
            is_prime[i * i::i] = False
    return int(is_prime.sum())


def _numpy_pairwise(X):
    diff = X[:, None, :] - X[None, :, :]
    return np.sqrt((diff * diff).sum(axis=-1))


def _numpy_jacobi(u):
    out = u.copy()
    out[1:-1, 1:-1] = 0.25 * (u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:])
    return out


def _numpy_stencil(x):
    out = x.copy()
    out[1:-1] = 0.25 * x[:-2] + 0.5 * x[1:-1] + 0.25 * x[2:]
    return out


def _numpy_histogram(x, nbins, lo, hi):
    return np.histogram(x, nbins, (lo, hi))[0].astype(np.int64)


def _numpy_nbody(pos, mass):
    d = pos[None, :, :] - pos[:, None, :]
    r2 = (d * d).sum(-1) + 1e-3
    inv = mass[None, :] / (r2 * np.sqrt(r2))
    np.fill_diagonal(inv, 0.0)
    return mass[:, None] * (d * inv[:, :, None]).sum(1)


def _numpy_lj(x):
    """Row by row: the pairs (i, j > i) of row i in one vectorised step."""
    total = 0.0
    for i in range(x.shape[0] - 1):
        d = x[i + 1:] - x[i]
        inv6 = 1.0 / ((d * d).sum(axis=1) ** 3)
        total += (4.0 * (inv6 * inv6 - inv6)).sum()
    return total


def _numpy_conv2d(inp, w):
    kh, kw = w.shape[2:]
    windows = np.lib.stride_tricks.sliding_window_view(inp, (kh, kw), axis=(2, 3))
    return np.einsum("ncyxij,ocij->noyx", windows, w)


def _conv_work(args, _result):
    """Multiply-adds: N * CO * OH * OW * C * KH * KW."""
    inp, w = args
    nb, nc, h, wd = inp.shape
    nco, _, kh, kw = w.shape
    return nb * nco * (h - kh + 1) * (wd - kw + 1) * nc * kh * kw


def _size(args, _result):
    return args[0].size


# --------------------------------------------------------------------------- the kernels

KERNELS = [
    # ---- scalar: integers
    Kernel("fib", "kernels_scalar", "integer", "`fib(27)` naive recursion",
           lambda: (27,), lambda: (20,), "`fib(20)`",
           lambda a, r: _fib_calls(a[0])),
    Kernel("collatz_longest", "kernels_scalar", "integer", "`collatz_longest(300000)`",
           lambda: (300_000,), lambda: (5_000,), "`collatz_longest(5000)`",
           lambda a, r: _collatz_steps(a[0])),
    Kernel("gcd_sum", "kernels_scalar", "integer", "`gcd_sum(1000)` 10^6 Euclid gcds",
           lambda: (1000,), lambda: (150,), "`gcd_sum(150)`",
           lambda a, r: _euclid_work(a[0])),
    Kernel("popcount_sum", "kernels_scalar", "integer", "`popcount_sum(30000000)` x &= x - 1",
           lambda: (30_000_000,), lambda: (100_000,), "`popcount_sum(100000)`",
           lambda a, r: r + a[0]),
    Kernel("hash_mix", "kernels_scalar", "integer", "`hash_mix(10000000)` 32-bit xor-shift-multiply",
           lambda: (10_000_000,), lambda: (50_000,), "`hash_mix(50000)`",
           lambda a, r: a[0]),
    # ---- scalar: floats and complex numbers
    Kernel("mandelbrot_count", "kernels_scalar", "float", "`mandelbrot_count(400, 300, 200)` real arithmetic",
           lambda: (400, 300, 200), lambda: (40, 30, 200), "`mandelbrot_count(40, 30, 200)`",
           lambda a, r: r + a[0] * a[1]),
    Kernel("mandelbrot_complex", "kernels_scalar", "complex", "`mandelbrot_complex(400, 300, 200)` z = z*z + c, abs(z)",
           lambda: (400, 300, 200), lambda: (40, 30, 200), "`mandelbrot_complex(40, 30, 200)`",
           lambda a, r: r + a[0] * a[1]),
    Kernel("trapezoid", "kernels_scalar", "float", "`trapezoid(-3, 3, 5000000)` exp(-x^2) cos(3x)",
           lambda: (-3.0, 3.0, 5_000_000), lambda: (-3.0, 3.0, 50_000), "`trapezoid(-3, 3, 50000)`",
           lambda a, r: a[2]),
    Kernel("newton_cbrt_sum", "kernels_scalar", "float", "`newton_cbrt_sum(300000)` Newton cube roots",
           lambda: (300_000,), lambda: (3_000,), "`newton_cbrt_sum(3000)`",
           lambda a, r: r[1]),
    # ---- arrays, float64
    Kernel("jit_tan_sum", "kernels_arrays", "array", "`jit_tan_sum(a)` the seed: tanh sum, a 2000x2000, SIZE global",
           lambda: (_uniform(2000, 2000),), lambda: (_uniform(200, 200),), "a 200x200, SIZE = 200",
           _size, lambda a: np.tanh(a).sum(), "np.tanh(a).sum()", small_globals={"SIZE": 200}),
    Kernel("pairwise_distances", "kernels_arrays", "array", "`pairwise_distances(X)` X 1000x3 -> 1000x1000",
           lambda: (_uniform(1000, 3),), lambda: (_uniform(80, 3),), "X 80x3",
           lambda a, r: a[0].shape[0] ** 2 * a[0].shape[1],
           _numpy_pairwise, "sqrt(((X[:,None]-X[None])**2).sum(-1))"),
    Kernel("matmul", "kernels_arrays", "array", "`matmul(A, B)` 200x200 triple loop",
           lambda: _matmul_input(200), lambda: _matmul_input(30), "30x30",
           lambda a, r: a[0].shape[0] ** 3, lambda A, B: A @ B, "A @ B"),
    Kernel("convolve_valid", "kernels_arrays", "array", "`convolve_valid(x, w)` x 500000, w 32",
           lambda: _convolve_input(500_000, 32), lambda: _convolve_input(2_000, 32), "x 2000, w 32",
           lambda a, r: (a[0].size - a[1].size + 1) * a[1].size,
           lambda x, w: np.convolve(x, w, "valid"), "np.convolve(x, w, 'valid')"),
    Kernel("prefix_sum", "kernels_arrays", "array", "`prefix_sum(x)` x 2000000",
           lambda: (_normal(2_000_000),), lambda: (_normal(50_000),), "x 50000",
           _size, np.cumsum, "np.cumsum(x)"),
    Kernel("sieve_count", "kernels_arrays", "array", "`sieve_count(10000000)` bool array",
           lambda: (10_000_000,), lambda: (50_000,), "n = 50000",
           lambda a, r: _sieve_work(a[0]), _numpy_sieve_count, "is_prime[i*i::i] = False"),
    Kernel("jacobi_step", "kernels_arrays", "array", "`jacobi_step(u)` 5-point stencil, u 1000x1000",
           lambda: (_uniform(1000, 1000),), lambda: (_uniform(100, 100),), "u 100x100",
           _size, _numpy_jacobi, "slices: 0.25*(u[:-2,1:-1]+u[2:,1:-1]+...)"),
    Kernel("stencil_1d", "kernels_arrays", "array", "`stencil_1d(x)` 3-point stencil, x 2000000",
           lambda: (_uniform(2_000_000),), lambda: (_uniform(50_000),), "x 50000",
           _size, _numpy_stencil, "slices: .25*x[:-2]+.5*x[1:-1]+.25*x[2:]"),
    Kernel("insertion_sort", "kernels_arrays", "array", "`insertion_sort(a)` a copy of a 5000 f8",
           lambda: (_uniform(5000),), lambda: (_uniform(500),), "a 500",
           lambda a, r: a[0].size ** 2 / 4 + a[0].size, np.sort, "np.sort(a)"),
    Kernel("histogram", "kernels_arrays", "array", "`histogram(x, 64, -4, 4)` x 2000000 -> int64 counts",
           lambda: (_normal(2_000_000), 64, -4.0, 4.0), lambda: (_normal(50_000), 64, -4.0, 4.0),
           "x 50000", _size, _numpy_histogram, "np.histogram(x, 64, (-4, 4))[0]"),
    Kernel("min_max_argmax", "kernels_arrays", "array", "`min_max_argmax(x)` x 4000000 -> tuple",
           lambda: (_normal(4_000_000),), lambda: (_normal(100_000),), "x 100000",
           _size, lambda x: (x.min(), x.max(), int(x.argmax())), "(x.min(), x.max(), x.argmax())"),
    Kernel("running_max", "kernels_arrays", "array", "`running_max(x)` x 2000000",
           lambda: (_normal(2_000_000),), lambda: (_normal(50_000),), "x 50000",
           _size, np.maximum.accumulate, "np.maximum.accumulate(x)"),
    Kernel("horner", "kernels_arrays", "array", "`horner(x, c)` degree 7, x 1000000",
           lambda: _horner_input(1_000_000), lambda: _horner_input(10_000), "x 10000",
           lambda a, r: a[0].size * a[1].size, lambda x, c: np.polyval(c, x), "np.polyval(c, x)"),
    Kernel("nbody_forces", "kernels_arrays", "array", "`nbody_forces(pos, m)` 1000 bodies, all pairs",
           lambda: _nbody_input(1000), lambda: _nbody_input(100), "100 bodies",
           lambda a, r: a[0].shape[0] ** 2, _numpy_nbody, "broadcast (n, n, 3) differences"),
    Kernel("lj_energy", "kernels_arrays", "array",
           "`lj_energy(x)` 3000 particles, all pairs, rows `x[i]` passed to a compiled function",
           lambda: _lattice_input(3000), lambda: _lattice_input(150), "150 particles",
           lambda a, r: a[0].shape[0] * (a[0].shape[0] - 1) / 2,
           _numpy_lj, "row by row: 1/((x[i+1:]-x[i])**2).sum(1)**3", helpers=("lj_pair_energy",)),
    Kernel("conv2d_nchw", "kernels_arrays", "array",
           "`conv2d_nchw(inp, w)` inp 8x16x34x34, w 16x16x3x3, 7-deep loop nest",
           lambda: _conv_input(8, 16, 34, 16, 3), lambda: _conv_input(1, 4, 12, 4, 3),
           "inp 1x4x12x12, w 4x4x3x3", _conv_work,
           _numpy_conv2d, "einsum over sliding_window_view(inp, (3, 3))"),
    Kernel("transpose_copy", "kernels_arrays", "array", "`transpose_copy(A)` 2000x2000 -> new array",
           lambda: (_uniform(2000, 2000),), lambda: (_uniform(200, 200),), "A 200x200",
           _size, lambda A: A.T.copy(), "A.T.copy()"),
    # ---- arrays, float32
    Kernel("saxpy_f32", "kernels_arrays", "float32", "`saxpy_f32(a, x, y)` float32, 4000000 -> new array",
           lambda: _saxpy_input(4_000_000), lambda: _saxpy_input(50_000), "x, y 50000",
           lambda a, r: a[1].size, lambda a, x, y: a * x + y, "a * x + y"),
    Kernel("dot_f32", "kernels_arrays", "float32", "`dot_f32(x, y)` float32, 4000000, float32 sum",
           lambda: _f32_pair(4_000_000), lambda: _f32_pair(50_000), "x, y 50000",
           lambda a, r: a[0].size, lambda x, y: np.dot(x.astype(np.float64), y.astype(np.float64)),
           "np.dot in float64", numpy_rtol=1e-2),
]

KERNEL_BY_NAME = {k.name: k for k in KERNELS}


def names_in(module):
    """The functions of ``module`` an engine compiles: its kernels and their helpers."""
    names = []
    for k in KERNELS:
        if k.module == module:
            names.extend((*k.helpers, k.name))
    return names
