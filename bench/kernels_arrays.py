"""Array benchmark kernels: plain, undecorated Python functions over NumPy arrays.

bench/run_arrays.py decorates each of them with ``ferrojit.njit`` and with ``numba.njit``.
They are written the way Numba users write them: explicit loops over ``range`` with
element indexing ``a[i, j]``, arrays created inside with ``np.empty``/``np.zeros``/
``np.ones``/``np.empty_like`` or ``a.copy()`` and returned. No whole-array arithmetic, axis
reductions, fancy indexing or ``np.dot``.
"""

import numpy as np

# Read as a global by jit_tan_sum, exactly as in the seed document. Both engines freeze a
# global's value when they compile; bench/run_arrays.py loads a second copy of this module
# with a smaller SIZE for the check against CPython.
SIZE = 2000


def jit_tan_sum(a):
    """The seed kernel: sum of tanh over the SIZE x SIZE top-left block of ``a``."""
    tan_sum = 0
    for i in range(SIZE):
        for j in range(SIZE):
            tan_sum += np.tanh(a[i, j])
    return tan_sum


def pairwise_distances(X):
    """Euclidean distances between the rows of ``X`` (n x d): a new n x n array."""
    n = X.shape[0]
    d = X.shape[1]
    D = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            s = 0.0
            for k in range(d):
                t = X[i, k] - X[j, k]
                s += t * t
            D[i, j] = np.sqrt(s)
    return D


def matmul(A, B):
    """C = A @ B with the textbook triple loop, C created with np.zeros."""
    n = A.shape[0]
    m = A.shape[1]
    p = B.shape[1]
    C = np.zeros((n, p))
    for i in range(n):
        for j in range(p):
            for k in range(m):
                C[i, j] += A[i, k] * B[k, j]
    return C


def convolve_valid(x, w):
    """1-d convolution in 'valid' mode, as np.convolve(x, w, "valid") for len(x) >= len(w)."""
    n = x.shape[0]
    m = w.shape[0]
    out = np.empty(n - m + 1)
    for i in range(n - m + 1):
        s = 0.0
        for k in range(m):
            s += x[i + k] * w[m - 1 - k]
        out[i] = s
    return out


def prefix_sum(x):
    """Inclusive running sum of a 1-d array, as np.cumsum: a new array."""
    out = np.empty_like(x)
    s = 0.0
    for i in range(x.shape[0]):
        s += x[i]
        out[i] = s
    return out


def sieve_count(n):
    """Number of primes below ``n``, with the sieve of Eratosthenes on a bool array."""
    is_prime = np.ones(n, dtype=np.bool_)
    is_prime[0] = False
    is_prime[1] = False
    i = 2
    while i * i < n:
        if is_prime[i]:
            for j in range(i * i, n, i):
                is_prime[j] = False
        i += 1
    count = 0
    for k in range(n):
        if is_prime[k]:
            count += 1
    return count


def jacobi_step(u):
    """One Jacobi step of the 2-d Laplace equation: the 5-point stencil average of the
    interior of ``u``, the boundary copied; a new array."""
    n = u.shape[0]
    m = u.shape[1]
    out = np.empty((n, m))
    for j in range(m):
        out[0, j] = u[0, j]
        out[n - 1, j] = u[n - 1, j]
    for i in range(1, n - 1):
        out[i, 0] = u[i, 0]
        out[i, m - 1] = u[i, m - 1]
        for j in range(1, m - 1):
            out[i, j] = 0.25 * (u[i - 1, j] + u[i + 1, j] + u[i, j - 1] + u[i, j + 1])
    return out


def stencil_1d(x):
    """3-point smoothing stencil 0.25, 0.5, 0.25; end points copied; a new array."""
    n = x.shape[0]
    out = np.empty(n)
    out[0] = x[0]
    out[n - 1] = x[n - 1]
    for i in range(1, n - 1):
        out[i] = 0.25 * x[i - 1] + 0.5 * x[i] + 0.25 * x[i + 1]
    return out


def insertion_sort(a):
    """Insertion sort of a copy of the 1-d array ``a`` (``a`` itself is left alone)."""
    b = a.copy()
    for i in range(1, b.shape[0]):
        key = b[i]
        j = i - 1
        while j >= 0 and b[j] > key:
            b[j + 1] = b[j]
            j -= 1
        b[j + 1] = key
    return b


def histogram(x, nbins, lo, hi):
    """Counts of the values of ``x`` in ``nbins`` equal bins over [lo, hi) (int64 array);
    values outside are ignored."""
    counts = np.zeros(nbins, dtype=np.int64)
    scale = nbins / (hi - lo)
    for i in range(x.shape[0]):
        v = x[i]
        if v >= lo and v < hi:
            k = int((v - lo) * scale)
            if k >= nbins:
                k = nbins - 1
            counts[k] += 1
    return counts


def saxpy_f32(a, x, y):
    """a * x + y on float32 arrays (``a`` a np.float32): a new float32 array."""
    n = x.shape[0]
    out = np.empty(n, dtype=np.float32)
    for i in range(n):
        out[i] = a * x[i] + y[i]
    return out


def dot_f32(x, y):
    """Dot product of two float32 arrays, accumulated in float32, in order."""
    s = np.float32(0.0)
    for i in range(x.shape[0]):
        s += x[i] * y[i]
    return s


def min_max_argmax(x):
    """Minimum, maximum and the index of the (first) maximum, in one loop: a tuple."""
    lo = x[0]
    hi = x[0]
    arg = 0
    for i in range(1, x.shape[0]):
        v = x[i]
        if v < lo:
            lo = v
        if v > hi:
            hi = v
            arg = i
    return lo, hi, arg


def running_max(x):
    """Running maximum of a 1-d array: a new array (np.maximum.accumulate)."""
    out = np.empty_like(x)
    m = x[0]
    for i in range(x.shape[0]):
        if x[i] > m:
            m = x[i]
        out[i] = m
    return out


def horner(x, coeffs):
    """The polynomial with coefficients ``coeffs`` (highest degree first) at every element of
    ``x``, by Horner's rule: a new array (np.polyval)."""
    n = x.shape[0]
    d = coeffs.shape[0]
    out = np.empty(n)
    for i in range(n):
        t = x[i]
        acc = coeffs[0]
        for k in range(1, d):
            acc = acc * t + coeffs[k]
        out[i] = acc
    return out


def nbody_forces(pos, mass):
    """Softened gravitational forces between all pairs of ``n`` bodies (positions n x 3,
    masses n): a new n x 3 array."""
    n = pos.shape[0]
    F = np.zeros((n, 3))
    for i in range(n):
        fx = 0.0
        fy = 0.0
        fz = 0.0
        for j in range(n):
            if i != j:
                dx = pos[j, 0] - pos[i, 0]
                dy = pos[j, 1] - pos[i, 1]
                dz = pos[j, 2] - pos[i, 2]
                r2 = dx * dx + dy * dy + dz * dz + 1e-3
                inv = mass[j] / (r2 * np.sqrt(r2))
                fx += dx * inv
                fy += dy * inv
                fz += dz * inv
        F[i, 0] = mass[i] * fx
        F[i, 1] = mass[i] * fy
        F[i, 2] = mass[i] * fz
    return F


def lj_pair_energy(a, b):
    """Lennard-Jones energy 4 (r^-12 - r^-6) of two particles, given as two 1-d rows of
    coordinates (reduced units: epsilon = sigma = 1)."""
    r2 = 0.0
    for k in range(a.shape[0]):
        d = a[k] - b[k]
        r2 += d * d
    inv6 = 1.0 / (r2 * r2 * r2)
    return 4.0 * (inv6 * inv6 - inv6)


def lj_energy(x):
    """Total Lennard-Jones energy of ``n`` particles (positions n x 3) over all pairs: each
    pair's rows ``x[i]``, ``x[j]`` are passed, as views, to the compiled lj_pair_energy."""
    n = x.shape[0]
    e = 0.0
    for i in range(n):
        for j in range(i + 1, n):
            e += lj_pair_energy(x[i], x[j])
    return e


def conv2d_nchw(inp, w):
    """Direct 2-d convolution ('valid', cross-correlation as in deep-learning layers) of a
    batch of images ``inp`` (N, C, H, W) with filters ``w`` (CO, C, KH, KW): a new
    (N, CO, H-KH+1, W-KW+1) array, by a 7-deep loop nest over 4-d arrays."""
    nb, nc, h, wd = inp.shape
    nco, nci, kh, kw = w.shape
    oh = h - kh + 1
    ow = wd - kw + 1
    out = np.zeros((nb, nco, oh, ow))
    for n in range(nb):
        for co in range(nco):
            for y in range(oh):
                for x in range(ow):
                    for ci in range(nci):
                        for ky in range(kh):
                            for kx in range(kw):
                                out[n, co, y, x] += inp[n, ci, y + ky, x + kx] * w[co, ci, ky, kx]
    return out


def transpose_copy(A):
    """The transpose of a 2-d array as a new C-contiguous array."""
    n = A.shape[0]
    m = A.shape[1]
    B = np.empty((m, n))
    for i in range(n):
        for j in range(m):
            B[j, i] = A[i, j]
    return B
