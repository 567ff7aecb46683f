"""@vectorize: real NumPy ufuncs from scalar kernels."""

import math

import numpy as np
import pytest

import ferrojit
from ferrojit import njit, vectorize


def add_kernel(x, y):
    return x + y


def test_eager_vectorize_is_a_real_ufunc():
    add = vectorize(["float64(float64, float64)", "int64(int64, int64)"])(add_kernel)
    assert isinstance(add, np.ufunc)
    assert add.types == ["dd->d", "ll->l"]
    assert add.nin == 2 and add.nout == 1
    np.testing.assert_array_equal(add(np.arange(4.0), 1.5), np.arange(4.0) + 1.5)


def test_broadcasting_out_and_scalars():
    add = vectorize(["float64(float64, float64)"])(add_kernel)
    a = np.ones((2, 3))
    b = np.arange(3.0)
    np.testing.assert_array_equal(add(a, b), a + b)
    out = np.empty((2, 3))
    result = add(a, b, out=out)
    assert result is out
    np.testing.assert_array_equal(out, a + b)
    assert add(2.0, 3.0) == 5.0
    # Strided and reversed inputs.
    c = np.arange(10.0)[::-2]
    np.testing.assert_array_equal(add(c, c), c + c)


def test_reduce_and_accumulate():
    add = vectorize(["int64(int64, int64)"], identity=0)(add_kernel)
    assert add.reduce(np.arange(5)) == 10
    assert add.reduce(np.array([], dtype=np.int64)) == 0
    np.testing.assert_array_equal(add.accumulate(np.arange(5)), np.cumsum(np.arange(5)))
    np.testing.assert_array_equal(add.reduce(np.arange(6).reshape(2, 3), axis=0), [3, 5, 7])


def relative_difference(x, y):
    return abs(x - y) / max(abs(x), abs(y), 1e-300)


def test_lazy_vectorize_builds_loops_per_dtype():
    f = vectorize(relative_difference)
    x = np.array([1.0, 2.0, 4.0])
    y = np.array([1.5, 2.0, 1.0])
    expected = np.array([relative_difference(a, b) for a, b in zip(x, y)])
    np.testing.assert_array_equal(f(x, y), expected)
    ints = f(np.array([1, 2]), np.array([3, 4]))
    assert ints.dtype == np.float64
    np.testing.assert_array_equal(ints, [2 / 3, 0.5])
    assert f.types == ["dd->d", "ll->d"]


def ratio(a, b):
    return a / b


def test_division_follows_numpy_in_ufuncs():
    div = vectorize(["float64(float64, float64)"])(ratio)
    with np.errstate(divide="ignore", invalid="ignore"):
        result = div(np.array([1.0, -1.0, 0.0]), 0.0)
    assert result[0] == math.inf and result[1] == -math.inf and math.isnan(result[2])


def square(x):
    return x * x


def use_kernels(x):
    return sq(x) + lazy(x)  # noqa: F821 (module globals bound by the test below)


def test_vectorized_functions_callable_from_compiled_code():
    # The kernels are resolved as globals of `use_kernels`'s module.
    globals()["sq"] = vectorize(["float64(float64)"])(square)
    globals()["lazy"] = vectorize(square)
    try:
        assert njit(use_kernels)(3.0) == 18.0
    finally:
        del globals()["sq"], globals()["lazy"]


def test_bad_signatures():
    with pytest.raises(TypeError, match="scalars"):
        vectorize(["float64(float64[:])"])(square)
    with pytest.raises(ValueError, match="identity"):
        vectorize(["float64(float64)"], identity=5)(square)


# --- @guvectorize -----------------------------------------------------------------------------

from ferrojit import guvectorize  # noqa: E402


def add_scalar(x, y, res):
    for i in range(x.shape[0]):
        res[i] = x[i] + y


def test_guvectorize_broadcasts_over_outer_dimensions():
    # NumPy picks the first loop the inputs cast to safely: integers first, so that integer
    # inputs keep an integer result.
    g = guvectorize(["void(int64[:], int64, int64[:])", "void(float64[:], float64, float64[:])"], "(n),()->(n)")(add_scalar)
    assert isinstance(g, np.ufunc)
    assert g.signature == "(n),()->(n)"
    np.testing.assert_array_equal(g(np.arange(5.0), 2.0), np.arange(5.0) + 2.0)
    x = np.arange(6).reshape(2, 3)
    np.testing.assert_array_equal(g(x, np.array([10, 20])), x + np.array([[10], [20]]))
    out = np.empty((2, 3), dtype=np.int64)
    g(x, 1, out=out)
    np.testing.assert_array_equal(out, x + 1)


def row_sum(x, res):
    s = 0.0
    for v in x:
        s += v
    res[0] = s


def test_guvectorize_scalar_output():
    g = guvectorize(["void(float64[:], float64[:])"], "(n)->()")(row_sum)
    a = np.arange(12.0).reshape(3, 4)
    np.testing.assert_array_equal(g(a), a.sum(axis=1))
    # A non-contiguous input (every other column).
    np.testing.assert_array_equal(g(a[:, ::2]), a[:, ::2].sum(axis=1))


def matmul_core(a, b, out):
    for i in range(a.shape[0]):
        for j in range(b.shape[1]):
            s = 0.0
            for k in range(a.shape[1]):
                s += a[i, k] * b[k, j]
            out[i, j] = s


def test_guvectorize_matrix_core():
    g = guvectorize(["void(float64[:, :], float64[:, :], float64[:, :])"], "(m,n),(n,p)->(m,p)")(matmul_core)
    rng = np.random.default_rng(1)
    a = rng.random((2, 3, 4))
    b = rng.random((2, 4, 5))
    # Same products, summed in the same order as NumPy's small-matrix loop may not: 1e-12.
    np.testing.assert_allclose(g(a, b), a @ b, rtol=1e-12)


def test_guvectorize_bad_layouts():
    with pytest.raises(ValueError, match="->"):
        guvectorize(["void(float64[:], float64[:])"], "(n)(n)")(row_sum)
    with pytest.raises(TypeError, match="layout"):
        guvectorize(["void(float64[:, :], float64[:])"], "(n)->()")(row_sum)
