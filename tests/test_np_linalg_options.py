"""np.linalg's options beyond the defaults against NumPy (see linalg_cases.py): `hermitian=True`
of svd, pinv and matrix_rank, `p` of cond, `axis` of norm."""

import gc
import warnings

import numpy as np
import pytest

import ferrojit
from ferrojit import _native

from linalg_cases import LAYOUTS, laid_out, numbers, check_same


@ferrojit.njit
def svd_hermitian(a):
    return np.linalg.svd(a, hermitian=True)


@ferrojit.njit
def singular_values_hermitian(a):
    return np.linalg.svd(a, compute_uv=False, hermitian=True)


@ferrojit.njit
def pinv_hermitian(a):
    return np.linalg.pinv(a, hermitian=True)


@ferrojit.njit
def matrix_rank_hermitian(a):
    return np.linalg.matrix_rank(a, hermitian=True)


def hermitian(n, dtype, seed=59, rank_deficient=False):
    a = numbers((n, n), dtype, seed)
    a = a + a.conj().T
    if rank_deficient and n > 1:
        a[:, 1] = a[:, 0]
        a[1, :] = a[0, :]
    return a.astype(dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128, np.complex64, np.int64], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("n", [0, 1, 4])
@pytest.mark.parametrize("rank_deficient", [False, True], ids=["full-rank", "rank-deficient"])
@pytest.mark.parametrize("layout", ["C", "F", "strided"])
def test_hermitian_svd_pinv_and_matrix_rank(dtype, n, rank_deficient, layout):
    # Exact: the same eigendecomposition as NumPy's, ordered by the same sort (the
    # magnitudes here are distinct, so the order of equal ones does not arise).
    a = laid_out(hermitian(n, dtype, rank_deficient=rank_deficient), layout)
    check_same(svd_hermitian(a), tuple(np.linalg.svd(a, hermitian=True)), exact=True)
    check_same(singular_values_hermitian(a), np.linalg.svd(a, compute_uv=False, hermitian=True), exact=True)
    if n > 0:
        check_same(pinv_hermitian(a), np.linalg.pinv(a, hermitian=True), exact=True)
    assert matrix_rank_hermitian(a) == np.linalg.matrix_rank(a, hermitian=True)


@ferrojit.njit
def cond_p(a, p):
    return np.linalg.cond(a, p)


@ferrojit.njit
def cond_fro(a):
    return np.linalg.cond(a, "fro")


@ferrojit.njit
def cond_nuc(a):
    return np.linalg.cond(a, "nuc")


def square(n, dtype, singular=False):
    a = numbers((n, n), dtype, 61)
    if singular:
        a[1] = a[0]
    return a


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128, np.complex64, np.int64], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("p", [None, 2, -2, 1, -1, np.inf, -np.inf, 2.0, "fro", "nuc"], ids=str)
@pytest.mark.parametrize("singular", [False, True], ids=["regular", "singular"])
@pytest.mark.parametrize("layout", ["C", "F", "reversed"])
def test_cond_orders(dtype, p, singular, layout):
    a = laid_out(square(4, dtype, singular), layout)
    func = {"fro": cond_fro, "nuc": cond_nuc}.get(p, lambda a: cond_p(a, p))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            want = np.linalg.cond(a, p)
        except np.linalg.LinAlgError as error:
            # NumPy's nuclear norm of a singular matrix's NaN inverse: an SVD that fails.
            with pytest.raises(np.linalg.LinAlgError, match=str(error)):
                func(a)
            return
    # Exact where the condition number comes from singular values alone; the norms of the
    # matrix and its inverse sum magnitudes, which ferrojit associates differently from NumPy
    # for some shapes (and NumPy's complex magnitude may differ in the last place).
    check_same(func(a), want, exact=p in (None, 2, -2, 2.0))


@pytest.mark.parametrize("p", [3, 0.5, 0], ids=str)
def test_cond_with_an_invalid_order_raises_value_error(p):
    a = square(3, np.float64)
    with pytest.raises(ValueError, match="Invalid norm order for matrices."):
        np.linalg.cond(a, p)
    with pytest.raises(ValueError, match="Invalid norm order for matrices."):
        cond_p(a, p)


def test_cond_of_an_empty_matrix_raises_lin_alg_error():
    with pytest.raises(np.linalg.LinAlgError, match="cond is not defined on empty arrays"):
        np.linalg.cond(np.zeros((0, 0)), 1)
    with pytest.raises(np.linalg.LinAlgError, match="cond is not defined on empty arrays"):
        cond_p(np.zeros((0, 0)), 1)


@ferrojit.njit
def everything(a):
    u, s, vh = np.linalg.svd(a, hermitian=True)
    return u.sum() + s.sum() + vh.sum() + np.linalg.pinv(a, hermitian=True).sum() + np.linalg.matrix_rank(a, hermitian=True) + np.linalg.cond(a, 1) + np.linalg.cond(a, "fro")


def test_nothing_leaks():
    a = hermitian(4, np.float64)
    everything(a)
    gc.collect()
    live = _native.live_allocations()
    for _ in range(2000):
        everything(a)
    gc.collect()
    assert _native.live_allocations() == live


@ferrojit.njit
def singular_values(a):
    return np.linalg.svd(a, compute_uv=False)


def test_svd_of_a_matrix_holding_nan_raises_lin_alg_error():
    a = np.array([[1.0, np.nan], [0.0, 1.0]])
    with pytest.raises(np.linalg.LinAlgError, match="SVD did not converge"):
        np.linalg.svd(a, compute_uv=False)
    with pytest.raises(np.linalg.LinAlgError, match="SVD did not converge"):
        singular_values(a)
