"""Shared by the linear-algebra tests: compiled kernels, inputs and the comparison with
NumPy's results. Linear algebra in compiled code is `_lib/linalg.py`.

ferrojit calls the BLAS/LAPACK NumPy itself calls (NumPy's own OpenBLAS) and follows NumPy's
steps, so most results are compared bit for bit. Where NumPy picks another BLAS routine
than ferrojit (`gemv` or `dot` for a vector operand, a transposed operand instead of a copy),
the blocking of the sums may differ: those rows compare within a few units in the last
place (rtol 1e-5 for 32-bit, 1e-13 for 64-bit elements), as stated by `exact=False`.
"""

import numpy as np

import ferrojit

LAYOUTS = ["C", "F", "strided", "reversed"]


@ferrojit.njit
def matmul_operator(a, b):
    return a @ b


@ferrojit.njit
def matmul_function(a, b):
    return np.matmul(a, b)


@ferrojit.njit
def dot(a, b):
    return np.dot(a, b)


@ferrojit.njit
def solve(a, b):
    return np.linalg.solve(a, b)


@ferrojit.njit
def inv(a):
    return np.linalg.inv(a)


@ferrojit.njit
def det(a):
    return np.linalg.det(a)


@ferrojit.njit
def slogdet(a):
    return np.linalg.slogdet(a)


@ferrojit.njit
def cholesky(a):
    return np.linalg.cholesky(a)


@ferrojit.njit
def cholesky_upper(a):
    return np.linalg.cholesky(a, upper=True)


@ferrojit.njit
def matrix_power(a, n):
    return np.linalg.matrix_power(a, n)


@ferrojit.njit
def eig(a):
    return np.linalg.eig(a)


@ferrojit.njit
def eigvals(a):
    return np.linalg.eigvals(a)


def as_complex(x):
    """NumPy's eigenvalues or eigenvectors as NumPy 2.5 types them, as ferrojit does: complex
    of their own precision (NumPy up to 2.4 returns real arrays when every imaginary part is
    zero)."""
    return x.astype(np.complex64 if x.dtype in (np.float32, np.complex64) else np.complex128)


def numbers(shape, dtype, seed=0):
    """Values of `dtype` with the given shape: small integers for integer and bool types,
    normal deviates (complex: two of them) for the others."""
    rng = np.random.default_rng(seed)
    dtype = np.dtype(dtype)
    if dtype.kind == "b":
        return rng.integers(0, 2, shape).astype(bool)
    if dtype.kind in "iu":
        return rng.integers(0, 5, shape).astype(dtype)
    x = rng.standard_normal(shape)
    if dtype.kind == "c":
        x = x + 1j * rng.standard_normal(shape)
    return x.astype(dtype)


def laid_out(a, layout):
    """`a`'s values in another memory layout: C, F, every other element, or reversed."""
    if layout == "C" or a.ndim == 0:
        return np.ascontiguousarray(a)
    if layout == "F":
        return np.asfortranarray(a)
    if layout == "strided":
        big = np.zeros(tuple(2 * n for n in a.shape), a.dtype)
        view = big[tuple(slice(None, None, 2) for _ in a.shape)]
        view[...] = a
        return view
    if layout == "reversed":
        flipped = np.ascontiguousarray(a[tuple(slice(None, None, -1) for _ in a.shape)])
        return flipped[tuple(slice(None, None, -1) for _ in a.shape)]
    raise AssertionError(layout)


def check_same(got, want, exact):
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want)
        for g, w in zip(got, want):
            check_same(g, w, exact)
        return
    want_array = isinstance(want, np.ndarray)
    single = np.asarray(want).dtype in (np.float32, np.complex64)
    assert isinstance(got, np.ndarray) == want_array, (type(got), type(want))
    if want_array:
        assert got.dtype == want.dtype and got.shape == want.shape
    else:
        # Scalars come back as Python numbers (as from Numba): compare with NumPy's value.
        want = want.item() if isinstance(want, np.generic) else want
        assert type(got) is type(want), (type(got), type(want))
    if exact:
        np.testing.assert_array_equal(got, want)
    else:
        np.testing.assert_allclose(got, want, rtol=1e-5 if single else 1e-13, atol=1e-6 if single else 1e-13)


