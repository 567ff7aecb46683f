"""Array benchmark kernels: plain, undecorated Python functions over NumPy arrays.

bench/run_arrays.py decorates each of them with ``ferrojit.njit`` and with ``numba.njit``.
They are written the way Numba users write them: explicit loops over ``range`` with
element indexing ``a[i, j]``, arrays created inside with ``np.empty``/``np.zeros``/
``np.ones`` and returned. No whole-array arithmetic, axis reductions, fancy indexing or
``np.dot``.
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
