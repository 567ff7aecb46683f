"""Matrix products (`@`, `np.matmul`, `np.dot`) and norms against NumPy (see linalg_cases.py)."""


import gc

import numpy as np
import pytest

import ferrojit
from ferrojit import _native
from ferrojit.errors import TypingError

from linalg_cases import (
    LAYOUTS,
    matmul_operator,
    matmul_function,
    dot,
    numbers,
    laid_out,
    check_same,
)


DTYPES = [np.float64, np.float32, np.complex128, np.complex64, np.int64, np.int32, np.uint8, np.bool_]
PRODUCT_SHAPES = [((3, 4), (4, 5)), ((1, 1), (1, 1)), ((6, 6), (6, 6)), ((0, 3), (3, 2)), ((3, 0), (0, 2)), ((2, 3), (3, 0))]
VECTOR_SHAPES = [((4,), (4,)), ((3, 4), (4,)), ((4,), (4, 3)), ((0,), (0,)), ((0, 2), (2,))]


@pytest.mark.parametrize("func", [matmul_operator, matmul_function, dot], ids=["operator", "np.matmul", "np.dot"])
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("shapes", PRODUCT_SHAPES, ids=str)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_matrix_products(func, dtype, shapes, layout):
    a = laid_out(numbers(shapes[0], dtype, 1), layout)
    b = laid_out(numbers(shapes[1], dtype, 2), layout)
    check_same(func(a, b), a @ b, exact=layout == "C" or np.dtype(dtype).kind in "biu")


@pytest.mark.parametrize("func", [matmul_operator, dot], ids=["operator", "np.dot"])
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("shapes", VECTOR_SHAPES, ids=str)
def test_products_with_vectors(func, dtype, shapes):
    a, b = numbers(shapes[0], dtype, 1), numbers(shapes[1], dtype, 2)
    check_same(func(a, b), np.dot(a, b), exact=np.dtype(dtype).kind in "biu")


@pytest.mark.parametrize(
    "left, right",
    [(np.float32, np.float64), (np.int64, np.float64), (np.int32, np.float32), (np.float64, np.complex64), (np.bool_, np.int16), (np.uint8, np.int8)],
    ids=str,
)
def test_products_promote_as_numpy(left, right):
    a, b = numbers((3, 4), left, 1), numbers((4, 2), right, 2)
    check_same(matmul_operator(a, b), a @ b, exact=False)


def test_dot_of_a_scalar_scales():
    a = numbers((3, 2), np.float64)
    check_same(dot(a, 2.5), np.dot(a, 2.5), exact=True)
    check_same(dot(3, a), np.dot(3, a), exact=True)


@pytest.mark.parametrize("shapes", [((3, 4), (3, 4)), ((4,), (5,)), ((2, 3), (4,))], ids=str)
def test_mismatched_products_raise_value_error(shapes):
    a, b = numbers(shapes[0], np.float64), numbers(shapes[1], np.float64)
    with pytest.raises(ValueError) as numpy_error:
        np.matmul(a, b)
    with pytest.raises(ValueError, match="mismatch in its core dimension 0") as error:
        matmul_operator(a, b)
    assert str(numpy_error.value).startswith(str(error.value))


@pytest.mark.parametrize(
    "shapes",
    [((3, 4), (3, 4)), ((4,), (5,)), ((2, 3), (4,)), ((2, 3, 4), (5, 6)), ((4,), (2, 5, 6)), ((2, 3, 4), (2, 5, 6)), ((2, 3), (3, 4, 2)), ((2, 2, 3), (4,))],
    ids=str,
)
def test_mismatched_dots_raise_numpy_s_value_error(shapes):
    """np.dot's own message, naming the shapes and the summed axes."""
    a, b = numbers(shapes[0], np.float64), numbers(shapes[1], np.float64)
    with pytest.raises(ValueError) as numpy_error:
        np.dot(a, b)
    with pytest.raises(ValueError) as error:
        dot(a, b)
    assert str(error.value) == str(numpy_error.value)


# np.dot of N-d operands: sum over a's last axis and b's second-to-last (its only one when 1-d).
ND_DOT_SHAPES = [
    ((2, 3, 4), (4, 5)),
    ((2, 3, 4), (3, 4, 5)),
    ((2, 3, 4), (2, 2, 4, 3)),
    ((4,), (2, 4, 5)),
    ((2, 3, 4), (4,)),
    ((3, 4), (2, 4, 5)),
    ((2, 1, 3, 4), (1, 4, 2)),
    ((0, 3, 4), (4, 2)),
    ((2, 3, 0), (2, 0, 3)),
    ((2, 3, 4), (0, 4, 5)),
    ((2, 2, 3), (3, 0)),
    ((1, 1, 1), (1, 1, 1)),
]


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("shapes", ND_DOT_SHAPES, ids=str)
@pytest.mark.parametrize("layout", ["C", "F", "reversed"])
def test_dot_of_n_dimensional_arrays(dtype, shapes, layout):
    a = laid_out(numbers(shapes[0], dtype, 7), layout)
    b = laid_out(numbers(shapes[1], dtype, 8), layout)
    # NumPy sums each element with BLAS's `?dot`, ferrojit makes one `?gemm` product of the
    # operands as matrices: the same sums, associated differently (within a few ulps). Integer
    # and boolean sums are exact.
    check_same(dot(a, b), np.dot(a, b), exact=np.dtype(dtype).kind in "biu")


@pytest.mark.parametrize("left, right", [(np.float32, np.float64), (np.int32, np.float32), (np.int64, np.complex64), (np.bool_, np.int8), (np.uint8, np.int8)], ids=str)
def test_dot_of_n_dimensional_arrays_promotes_as_numpy(left, right):
    a, b = numbers((2, 3, 4), left, 9), numbers((3, 4, 2), right, 10)
    check_same(dot(a, b), np.dot(a, b), exact=np.result_type(left, right).kind in "biu")


@pytest.mark.parametrize("shapes", [((), (3, 4)), ((2, 3, 4), ()), ((), ())], ids=str)
def test_dot_of_a_zero_dimensional_array_scales(shapes):
    a, b = numbers(shapes[0], np.float64, 11), numbers(shapes[1], np.float64, 12)
    want = np.dot(a, b)
    got = dot(a, b)
    np.testing.assert_array_equal(got, want)
    assert np.asarray(got).shape == np.shape(want)


@ferrojit.njit
def n_dimensional_dots(a, b, c):
    return np.dot(a, b).sum() + np.dot(c, b).sum() + np.dot(a, c).sum()


def test_n_dimensional_dots_leak_nothing():
    a, b, c = numbers((2, 3, 4), np.float64, 13), numbers((2, 4, 5), np.float64, 14), numbers((4,), np.float64, 15)
    wrong = numbers((2, 5, 5), np.float64, 16)
    n_dimensional_dots(a, b, c)
    with pytest.raises(ValueError):
        n_dimensional_dots(a, wrong, c)
    gc.collect()
    live = _native.live_allocations()
    for _ in range(2000):
        n_dimensional_dots(a, b, c)
        with pytest.raises(ValueError, match="not aligned"):
            n_dimensional_dots(a, wrong, c)
    gc.collect()
    assert _native.live_allocations() == live


STACKED_SHAPES = [((2, 3, 4), (2, 4, 5)), ((2, 3, 4, 5), (2, 3, 5, 2)), ((2, 3, 4), (4, 2)), ((3, 4), (2, 4, 5)), ((0, 3, 4), (0, 4, 2)), ((2, 0, 4), (2, 4, 3))]


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128, np.int64], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("shapes", STACKED_SHAPES, ids=str)
@pytest.mark.parametrize("layout", ["C", "F", "strided"])
def test_stacks_of_matrices(dtype, shapes, layout):
    a = laid_out(numbers(shapes[0], dtype, 3), layout)
    b = laid_out(numbers(shapes[1], dtype, 4), layout)
    # Each matrix of a stack is copied into C order before its product.
    check_same(matmul_operator(a, b), a @ b, exact=layout == "C" or np.dtype(dtype).kind == "i")


BROADCAST_SHAPES = [
    ((2, 1, 3, 4), (3, 4, 5)),
    ((1, 3, 4), (5, 4, 2)),
    ((2, 1, 3, 4), (1, 2, 4, 5)),
    ((3, 4), (2, 2, 4, 5)),
    ((0, 1, 3, 4), (2, 4, 5)),
    ((4,), (3, 4, 5)),
    ((3, 2, 4), (4,)),
    ((4,), (2, 0, 4, 5)),
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex64, np.int32, np.bool_], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("shapes", BROADCAST_SHAPES, ids=str)
@pytest.mark.parametrize("layout", ["C", "F", "reversed"])
def test_stacks_broadcast_and_take_vectors(dtype, shapes, layout):
    a = laid_out(numbers(shapes[0], dtype, 5), layout)
    b = laid_out(numbers(shapes[1], dtype, 6), layout)
    # NumPy multiplies a vector and a matrix with `gemv`, ferrojit with `gemm` (the vector as
    # a 1 x k or k x 1 matrix): sums associated differently, within a few ulps.
    vector = a.ndim == 1 or b.ndim == 1
    exact = np.dtype(dtype).kind in "ib" or (layout == "C" and not vector)
    check_same(matmul_operator(a, b), a @ b, exact=exact)


@pytest.mark.parametrize("shapes", [((2, 3, 4), (3, 4, 5)), ((2, 2, 3, 4), (3, 1, 4, 5))], ids=str)
def test_stacks_whose_leading_shapes_do_not_broadcast_raise_value_error(shapes):
    a, b = np.ones(shapes[0]), np.ones(shapes[1])
    with pytest.raises(ValueError, match="could not be broadcast"):
        a @ b
    with pytest.raises(ValueError, match="could not be broadcast"):
        matmul_operator(a, b)


@ferrojit.njit
def norm(x):
    return np.linalg.norm(x)


@ferrojit.njit
def norm_ord(x, ord):
    return np.linalg.norm(x, ord)


@ferrojit.njit
def norm_fro_nuc(x):
    return np.linalg.norm(x, "fro"), np.linalg.norm(x, "nuc")


@ferrojit.njit
def norm_kept(x):
    return np.linalg.norm(x, keepdims=True)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128, np.complex64, np.int64, np.bool_], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("shape", [(7,), (4, 3), (2, 3, 2), (0,), (0, 3)], ids=str)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_norm_of_whole_arrays(dtype, shape, layout):
    x = laid_out(numbers(shape, dtype, 37), layout)
    # NumPy ravels strided arrays in their memory order ('K'), which may sum in another order.
    exact = layout in ("C", "F")
    check_same(norm(x), np.linalg.norm(x), exact)
    check_same(norm_kept(x), np.linalg.norm(x, keepdims=True), exact)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128, np.int32], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("ord", [np.inf, -np.inf, 0, 1, 2, 3, 0.5, -1, -2])
@pytest.mark.parametrize("shape", [(7,), (4, 3), (3, 5)], ids=str)
def test_norm_orders(dtype, ord, shape):
    x = numbers(shape, dtype, 41)
    if len(shape) == 2 and ord not in (np.inf, -np.inf, 1, 2, -1, -2):
        with pytest.raises(ValueError, match="Invalid norm order for matrices."):
            np.linalg.norm(x, ord)
        with pytest.raises(ValueError, match="Invalid norm order for matrices."):
            norm_ord(x, ord)
        return
    # Exact where the norm is a maximum, a minimum, a count, BLAS's dot or LAPACK's singular
    # values. The others sum magnitudes: ferrojit's sum of an array associates the additions
    # differently from NumPy's for some lengths, and NumPy's complex magnitude (its own SIMD
    # loop) may differ from ferrojit's in the last place.
    exact = ord in (np.inf, -np.inf, 0) or (ord == 2 and len(shape) == 1) or (abs(ord) == 2 and len(shape) == 2)
    exact = exact and not (np.dtype(dtype).kind == "c" and ord in (np.inf, -np.inf))
    check_same(norm_ord(x, ord), np.linalg.norm(x, ord), exact)


@pytest.mark.parametrize("dtype", [np.float64, np.complex128, np.float32], ids=lambda d: np.dtype(d).name)
def test_frobenius_and_nuclear_norms(dtype):
    x = numbers((4, 3), dtype, 43)
    check_same(norm_fro_nuc(x), (np.linalg.norm(x, "fro"), np.linalg.norm(x, "nuc")), exact=True)


@ferrojit.njit
def pinv(a):
    return np.linalg.pinv(a)


@ferrojit.njit
def pinv_rcond(a, rcond):
    return np.linalg.pinv(a, rcond)


@ferrojit.njit
def matrix_rank(a):
    return np.linalg.matrix_rank(a)


@ferrojit.njit
def matrix_rank_tol(a, tol):
    return np.linalg.matrix_rank(a, tol)


@ferrojit.njit
def cond(a):
    return np.linalg.cond(a)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128, np.int64], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("shape", [(4, 4), (5, 3), (3, 5), (0, 3)], ids=str)
@pytest.mark.parametrize("rank_deficient", [False, True], ids=["full-rank", "rank-deficient"])
def test_pinv_matrix_rank_and_cond(dtype, shape, rank_deficient):
    a = numbers(shape, dtype, 47)
    if rank_deficient and shape[0] > 0:
        a[:, 1] = a[:, 0]
    # An empty integer matrix's pseudo-inverse is float64 here (NumPy keeps the integer type
    # for empty matrices only: a type that would depend on the shape).
    like = a.astype(float) if shape[0] == 0 and np.dtype(dtype).kind == "i" else a
    check_same(pinv(a), np.linalg.pinv(like), exact=True)
    check_same(pinv_rcond(a, 0.5), np.linalg.pinv(like, 0.5), exact=True)
    assert matrix_rank(a) == np.linalg.matrix_rank(a)
    assert matrix_rank_tol(a, 0.5) == np.linalg.matrix_rank(a, 0.5)
    if shape[0] == 0:
        with pytest.raises(np.linalg.LinAlgError, match="cond is not defined on empty arrays"):
            cond(a)
    else:
        check_same(cond(a), np.linalg.cond(a), exact=True)


@pytest.mark.parametrize("vector", [np.array([0.0, 1.0, 2.0]), np.zeros(4), np.array([True, False])], ids=["values", "zeros", "bools"])
def test_matrix_rank_of_vectors(vector):
    assert matrix_rank(vector) == np.linalg.matrix_rank(vector)


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("layout", ["C", "strided", "reversed"])
def test_real_vector_dot_is_blas_dot(dtype, layout):
    a, b = laid_out(numbers((1000,), dtype, 1), layout), laid_out(numbers((1000,), dtype, 2), layout)
    # NumPy's `@` sums a vector with a negative step in a loop of its own, while `np.dot`
    # copies it for BLAS, as ferrojit does for both.
    check_same(matmul_operator(a, b), a @ b, exact=layout != "reversed")
    check_same(dot(a, b), np.dot(a, b), exact=True)
