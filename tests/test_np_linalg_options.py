"""np.linalg's options beyond the defaults against NumPy (see linalg_cases.py): `hermitian=True`
of svd, pinv and matrix_rank, `p` of cond, `axis` of norm."""

import gc
import warnings

import numpy as np
import pytest

import ferrojit
from ferrojit import _native

from linalg_cases import laid_out, numbers, check_same


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
def norm_axis(x, ord, axis):
    return np.linalg.norm(x, ord, axis)


@ferrojit.njit
def norm_axis_kept(x, ord, axis):
    return np.linalg.norm(x, ord, axis, keepdims=True)


@ferrojit.njit
def norm_default_axis(x, axis):
    return np.linalg.norm(x, axis=axis)


@ferrojit.njit
def norm_fro_axis(x, axis):
    return np.linalg.norm(x, "fro", axis)


@ferrojit.njit
def norm_nuc_axis(x, axis):
    return np.linalg.norm(x, "nuc", axis)


NORM_DTYPES = [np.float64, np.float32, np.complex128, np.int64, np.bool_]


@pytest.mark.parametrize("dtype", NORM_DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("shape, axis", [((5,), 0), ((5,), -1), ((5,), (0,)), ((3, 4), 0), ((3, 4), 1), ((3, 4), (-1,)), ((2, 3, 4), 1), ((2, 3, 4), -1), ((0, 3), 1), ((3, 0), 1)], ids=str)
@pytest.mark.parametrize("ord", [None, np.inf, -np.inf, 0, 1, 2, 3, 0.5, -1], ids=str)
@pytest.mark.parametrize("layout", ["C", "F", "strided"])
def test_vector_norms_along_an_axis(dtype, shape, axis, ord, layout):
    x = laid_out(numbers(shape, dtype, 103), layout)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            want, want_kept = np.linalg.norm(x, ord, axis), np.linalg.norm(x, ord, axis, keepdims=True)
        except ValueError as error:
            # The minimum of an empty axis.
            with pytest.raises(ValueError, match="zero-size array"):
                norm_axis(x, ord, axis)
            assert "zero-size array" in str(error)
            return
    got = norm_default_axis(x, axis) if ord is None else norm_axis(x, ord, axis)
    got_kept = norm_axis_kept(x, ord, axis)
    # Exact for maxima, minima and counts, and whenever each vector is contiguous or short;
    # sums along an axis otherwise associate their additions differently from NumPy's (and
    # NumPy's complex magnitude may differ in the last place): within a few ulps.
    exact = ord in (np.inf, -np.inf, 0) and np.dtype(dtype).kind != "c"
    check_same(got, want, exact)
    check_same(got_kept, want_kept, exact)


@pytest.mark.parametrize("dtype", NORM_DTYPES[:4], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("shape, axis", [((3, 4), (0, 1)), ((3, 4), (1, 0)), ((3, 4), (-2, -1)), ((2, 3, 4), (1, 2)), ((2, 3, 4), (2, 0)), ((2, 3, 4), (0, -2)), ((0, 3, 2), (1, 2))], ids=str)
@pytest.mark.parametrize("ord", [None, "fro", "nuc", np.inf, -np.inf, 1, -1, 2, -2], ids=str)
@pytest.mark.parametrize("layout", ["C", "F", "reversed"])
def test_matrix_norms_over_two_axes(dtype, shape, axis, ord, layout):
    x = laid_out(numbers(shape, dtype, 107), layout)
    want, want_kept = np.linalg.norm(x, ord, axis), np.linalg.norm(x, ord, axis, keepdims=True)
    func = {None: lambda x, axis: norm_default_axis(x, axis), "fro": norm_fro_axis, "nuc": norm_nuc_axis}.get(ord, lambda x, axis: norm_axis(x, ord, axis))
    # Exact where the norm is an extremum of singular values; sums of magnitudes within a few ulps.
    check_same(func(x, axis), want, exact=ord in (2, -2))
    if ord not in (None, "fro", "nuc"):
        check_same(norm_axis_kept(x, ord, axis), want_kept, exact=ord in (2, -2))


@pytest.mark.parametrize(
    "func, x, axis, error, message",
    [
        (norm_default_axis, np.ones((2, 3)), (0, 0), ValueError, "Duplicate axes given."),
        (norm_default_axis, np.ones((2, 3)), (1, -1), ValueError, "Duplicate axes given."),
        (norm_default_axis, np.ones((2, 3)), 2, np.exceptions.AxisError, "axis 2 is out of bounds for array of dimension 2"),
        (norm_default_axis, np.ones((2, 3)), (0, -3), np.exceptions.AxisError, "axis -3 is out of bounds for array of dimension 2"),
        (norm_default_axis, np.ones((2, 3, 4)), (0, 1, 2), ValueError, "Improper number of dimensions to norm."),
        (norm_fro_axis, np.ones((2, 3)), 1, ValueError, "Invalid norm order 'fro' for vectors"),
        (lambda x, axis: norm_axis(x, 3, axis), np.ones((2, 3)), (0, 1), ValueError, "Invalid norm order for matrices."),
    ],
    ids=["duplicate", "duplicate-negative", "out-of-bounds", "out-of-bounds-negative", "three-axes", "fro-of-vectors", "invalid-order"],
)
def test_norm_axis_errors(func, x, axis, error, message):
    numpy_func = {norm_default_axis: lambda x, axis: np.linalg.norm(x, axis=axis), norm_fro_axis: lambda x, axis: np.linalg.norm(x, "fro", axis)}.get(func, lambda x, axis: np.linalg.norm(x, 3, axis))
    with pytest.raises(error, match=message):
        numpy_func(x, axis)
    with pytest.raises(error, match=message):
        func(x, axis)


@ferrojit.njit
def everything(a):
    u, s, vh = np.linalg.svd(a, hermitian=True)
    total = u.sum() + s.sum() + vh.sum() + np.linalg.pinv(a, hermitian=True).sum() + np.linalg.matrix_rank(a, hermitian=True) + np.linalg.cond(a, 1) + np.linalg.cond(a, "fro")
    return total + np.linalg.norm(a, 3, 1, keepdims=True).sum() + np.linalg.norm(a, "nuc", (1, 0), keepdims=True).sum() + np.linalg.norm(a, axis=0).sum()


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
