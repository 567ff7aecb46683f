"""np.linalg.eig and eigvals, np.roots and np.polyfit against NumPy (see linalg_cases.py).

eig and eigvals make NumPy's LAPACK call (`geev` in double precision) on NumPy's copy, so
their results are NumPy's to the bit. Their type is always complex, NumPy 2.5's rule: NumPy
up to 2.4 returns real arrays for a real matrix whose eigenvalues are all real, so the
NumPy results are compared as complex arrays of their own precision (a no-op from 2.5 on).
"""

import gc

import numpy as np
import pytest

import ferrojit
from ferrojit import _native

from linalg_cases import LAYOUTS, as_complex, eig, eigvals, laid_out, numbers


@ferrojit.njit
def roots(p):
    return np.roots(p)


@ferrojit.njit
def polyfit(x, y, deg):
    return np.polyfit(x, y, deg)


@ferrojit.njit
def polyfit_weighted(x, y, deg, w):
    return np.polyfit(x, y, deg, w=w)


@ferrojit.njit
def polyfit_rcond(x, y, deg, rcond):
    return np.polyfit(x, y, deg, rcond=rcond)


@ferrojit.njit
def polyfit_full(x, y, deg):
    return np.polyfit(x, y, deg, full=True)


@ferrojit.njit
def polyfit_cov(x, y, deg):
    return np.polyfit(x, y, deg, cov=True)


@ferrojit.njit
def polyfit_cov_unscaled(x, y, deg):
    return np.polyfit(x, y, deg, cov="unscaled")


def check_array(got, want):
    assert isinstance(got, np.ndarray)
    assert got.dtype == want.dtype and got.shape == want.shape, (got.dtype, want.dtype, got.shape, want.shape)
    np.testing.assert_array_equal(got, want)


def general(n, dtype, kind):
    """An n x n matrix of `dtype`: random (complex eigenvalues in pairs), symmetric (all real),
    a rotation block (purely imaginary pair), or defective (a Jordan block)."""
    if kind == "random":
        return numbers((n, n), dtype, 41)
    if kind == "symmetric":
        a = numbers((n, n), dtype, 43)
        return (a + a.T).astype(dtype)
    if kind == "rotation":
        a = np.zeros((n, n), dtype)
        for i in range(0, n - 1, 2):
            a[i, i + 1], a[i + 1, i] = 1, -1
        return a
    if kind == "defective":
        return (np.eye(n, dtype=dtype) * 2 + np.eye(n, k=1, dtype=dtype)).astype(dtype)
    raise AssertionError(kind)


EIG_DTYPES = [np.float64, np.float32, np.complex128, np.complex64, np.int64, np.int8]


@pytest.mark.parametrize("dtype", EIG_DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("n", [0, 1, 2, 5])
@pytest.mark.parametrize("kind", ["random", "symmetric", "rotation", "defective"])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_eig_and_eigvals(dtype, n, kind, layout):
    a = laid_out(general(n, dtype, kind), layout)
    want_w, want_v = np.linalg.eig(a)
    w, v = eig(a)
    check_array(w, as_complex(want_w))
    check_array(v, as_complex(want_v))
    check_array(eigvals(a), as_complex(np.linalg.eigvals(a)))
    # The invariant, independently of NumPy's choice of vectors: A v = v diag(w).
    single = w.dtype == np.complex64
    tolerance = 1e-3 if single else 1e-10
    np.testing.assert_allclose(a.astype(w.dtype) @ v, v * w, atol=tolerance * max(1, np.abs(a).max(initial=0)))
    np.testing.assert_array_equal(np.sort(w), np.sort(as_complex(want_w)))


@pytest.mark.parametrize("func", [eig, eigvals], ids=["eig", "eigvals"])
@pytest.mark.parametrize(
    "a, error, numpy_error",
    [
        (np.ones((2, 3)), np.linalg.LinAlgError, np.linalg.LinAlgError),
        (np.array([[1.0, np.nan], [0.0, 1.0]]), np.linalg.LinAlgError, np.linalg.LinAlgError),
        (np.array([[1.0, np.inf], [0.0, 1.0]], np.complex128), np.linalg.LinAlgError, np.linalg.LinAlgError),
    ],
    ids=["not-square", "nan", "inf-complex"],
)
def test_eig_errors(func, a, error, numpy_error):
    numpy_func = np.linalg.eig if func is eig else np.linalg.eigvals
    with pytest.raises(numpy_error) as want:
        numpy_func(a)
    with pytest.raises(error) as got:
        func(a)
    assert str(got.value).rstrip(".") == str(want.value).rstrip(".")


@pytest.mark.parametrize(
    "p",
    [
        np.array([1.0, -3.0, 2.0]),
        np.array([1.0, 0.0, 1.0]),
        np.array([0, 0, 1, 0, 1, 0, 0]),
        np.array([2.0, -1.0, 0.5, 3.0, -2.0, 1.0]),
        np.array([1.0, 0.0, 1.0], np.float32),
        np.array([1 + 1j, 2.0, 3.0 - 1j]),
        np.array([1 + 1j, 2.0, 3.0 - 1j], np.complex64),
        np.array([0.0, 0.0]),
        np.array([5.0]),
        np.array([3.0, 0.0]),
        np.zeros(0),
        np.array([True, False, True]),
    ],
    ids=["distinct-real", "imaginary-pair", "int-zeros-both-ends", "degree-5", "float32", "complex", "complex64", "zeros", "constant", "trailing-zero", "empty", "bool"],
)
@pytest.mark.parametrize("layout", ["C", "reversed", "strided"])
def test_roots(p, layout):
    p = laid_out(p, layout)
    check_array(roots(p), as_complex(np.roots(p).astype(np.result_type(np.roots(p), np.float32 if p.dtype in (np.float32, np.complex64) else np.float64))))


def test_roots_of_a_matrix_raise_value_error():
    with pytest.raises(ValueError, match="Input must be a rank-1 array."):
        np.roots(np.ones((2, 2)))
    with pytest.raises(ValueError, match="Input must be a rank-1 array."):
        roots(np.ones((2, 2)))


def fit_data(n, dtype, columns=None):
    # Complex rows fit complex y to real x (complex x: `complex_fit_data`).
    x = np.linspace(-1, 2, n).astype(np.float64 if np.dtype(dtype).kind == "c" else dtype)
    shape = (n,) if columns is None else (n, columns)
    y = (np.cos(np.linspace(0, 3, n)).reshape(-1, 1) * np.arange(1, 1 + (columns or 1))).reshape(shape) + numbers(shape, np.float64, 47) * 0.01
    if np.dtype(dtype).kind == "c":
        y = y + 1j * y[::-1]
    return x, y.astype(dtype)


FIT_DTYPES = [np.float64, np.float32, np.int64, np.complex128]


def check_fit(got, want):
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want)
        for g, w in zip(got, want):
            check_fit(g, w)
    elif isinstance(want, np.ndarray):
        check_array(got, want)
    else:
        # The rank (NumPy: a NumPy int32) and the cutoff are Python numbers, as lstsq's rank.
        assert got == want and type(got) is type(want.item() if isinstance(want, np.generic) else want)


@pytest.mark.parametrize("dtype", FIT_DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("n, deg", [(10, 2), (4, 3), (3, 5), (1, 0), (7, 0)], ids=str)
@pytest.mark.parametrize("columns", [None, 2], ids=["1-d", "2-d"])
@pytest.mark.parametrize(
    "func, numpy_kwargs",
    [
        (polyfit, {}),
        (polyfit_full, {"full": True}),
        (polyfit_cov, {"cov": True}),
        (polyfit_cov_unscaled, {"cov": "unscaled"}),
    ],
    ids=["plain", "full", "cov", "cov-unscaled"],
)
def test_polyfit(dtype, n, deg, columns, func, numpy_kwargs):
    x, y = fit_data(n, dtype, columns)
    try:
        with _no_check():
            want = np.polyfit(x, y, deg, **numpy_kwargs)
    except ValueError as error:
        with pytest.raises(ValueError, match=str(error)):
            func(x, y, deg)
        return
    check_fit(func(x, y, deg), want)


class _no_check:
    """NumPy warns of a rank-deficient fit (compiled code has no warnings)."""

    def __enter__(self):
        import warnings

        self._catcher = warnings.catch_warnings()
        self._catcher.__enter__()
        warnings.simplefilter("ignore")

    def __exit__(self, *exc):
        return self._catcher.__exit__(*exc)


@pytest.mark.parametrize("dtype", FIT_DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("columns", [None, 2], ids=["1-d", "2-d"])
@pytest.mark.parametrize("weights", ["float64", "float32", "int", "strided"])
def test_polyfit_weighted(dtype, columns, weights):
    x, y = fit_data(9, dtype, columns)
    w = {"float64": np.linspace(1, 2, 9), "float32": np.linspace(1, 2, 9, dtype=np.float32), "int": np.arange(1, 10), "strided": np.linspace(1, 2, 18)[::2]}[weights]
    check_fit(polyfit_weighted(x, y, 2, w), np.polyfit(x, y, 2, w=w))


@pytest.mark.parametrize("rcond", [1e-3, 0.5, 1])
def test_polyfit_rcond(rcond):
    x, y = fit_data(8, np.float64)
    with _no_check():
        want = np.polyfit(x, y, 3, rcond=rcond)
    check_fit(polyfit_rcond(x, y, 3, rcond), want)


@pytest.mark.parametrize(
    "args, error, message",
    [
        ((np.zeros(0), np.zeros(0), 1), TypeError, "expected non-empty vector for x"),
        ((np.arange(3.0), np.arange(4.0), 1), TypeError, "expected x and y to have same length"),
        ((np.arange(3.0), np.arange(3.0), -1), ValueError, "expected deg >= 0"),
        ((np.ones((3, 1)), np.arange(3.0), 1), TypeError, "expected 1D vector for x"),
        ((np.arange(3.0), np.ones((3, 1, 1)), 1), TypeError, "expected 1D or 2D array for y"),
    ],
    ids=["empty", "lengths", "negative-degree", "x-2d", "y-3d"],
)
def test_polyfit_errors(args, error, message):
    with pytest.raises(error, match=message):
        np.polyfit(*args)
    with pytest.raises(error, match=message):
        polyfit(*args)


def complex_fit_data(n, x_dtype, y_kind):
    """Complex x on a spiral, and y of the kind: "real", "complex" (1-d), "columns" (2-d)."""
    t = np.linspace(0, 2, n)
    x = (t * np.exp(1j * t)).astype(x_dtype)
    noise = numbers((n, 2), np.float64, 131) * 0.01
    y = {"real": np.cos(t) + noise[:, 0], "complex": np.cos(t) + 1j * np.sin(2 * t) + noise[:, 0], "columns": np.stack([np.cos(t), t * t], axis=1) + 0.5j + noise}[y_kind]
    return x, y


def check_close(got, want):
    """Complex fits take square roots of complex sums and divide by them, which ferrojit does
    by other algorithms than NumPy's loops: the coefficients agree within a few ulps."""
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want)
        for g, w in zip(got, want):
            check_close(g, w)
    elif isinstance(want, np.ndarray):
        assert isinstance(got, np.ndarray) and got.dtype == want.dtype and got.shape == want.shape, (got.dtype, want.dtype, got.shape, want.shape)
        np.testing.assert_allclose(got, want, rtol=1e-11, atol=1e-12)
    else:
        assert got == want or abs(got - want) <= 1e-15 * abs(want)


@pytest.mark.parametrize("x_dtype", [np.complex128, np.complex64], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("y_kind", ["real", "complex", "columns"])
@pytest.mark.parametrize("n, deg", [(10, 2), (6, 3), (4, 0), (5, 4)], ids=str)
@pytest.mark.parametrize(
    "func, numpy_kwargs",
    [(polyfit, {}), (polyfit_full, {"full": True}), (polyfit_cov, {"cov": True}), (polyfit_cov_unscaled, {"cov": "unscaled"})],
    ids=["plain", "full", "cov", "cov-unscaled"],
)
def test_polyfit_of_complex_x(x_dtype, y_kind, n, deg, func, numpy_kwargs):
    x, y = complex_fit_data(n, x_dtype, y_kind)
    try:
        with _no_check():
            want = np.polyfit(x, y, deg, **numpy_kwargs)
    except ValueError as error:
        with pytest.raises(ValueError, match=str(error)):
            func(x, y, deg)
        return
    got = func(x, y, deg)
    if numpy_kwargs.get("full"):
        # The rank is an int here (NumPy: a NumPy int32), as lstsq's.
        got, want = got[:2] + got[3:], want[:2] + want[3:]
    check_close(got, want)


@pytest.mark.parametrize("y_kind", ["real", "complex"])
def test_polyfit_of_complex_x_weighted(y_kind):
    x, y = complex_fit_data(9, np.complex128, y_kind)
    w = np.linspace(1, 2, 9)
    check_close(polyfit_weighted(x, y, 2, w), np.polyfit(x, y, 2, w=w))


def test_polyfit_weights_of_another_length():
    x, y = fit_data(5, np.float64)
    with pytest.raises(TypeError, match="expected w and y to have the same length"):
        np.polyfit(x, y, 1, w=np.ones(4))
    with pytest.raises(TypeError, match="expected w and y to have the same length"):
        polyfit_weighted(x, y, 1, np.ones(4))


@ferrojit.njit
def everything(a, p, x, y):
    w, v = np.linalg.eig(a)
    c, cov = np.polyfit(x, y, 2, cov=True)
    complex_c, complex_cov = np.polyfit(x + 0.5j * x, y, 2, cov=True)
    total = complex_c.sum() + complex_cov.sum()
    return w.sum() + v.sum() + np.linalg.eigvals(a).sum() + np.roots(p).sum() + c.sum() + cov.sum() + total


def test_nothing_leaks():
    a, p = numbers((5, 5), np.float64, 53), np.array([1.0, 2.0, 0.0, 3.0, 0.0])
    x, y = fit_data(10, np.float64)
    everything(a, p, x, y)
    gc.collect()
    live = _native.live_allocations()
    for _ in range(2000):
        everything(a, p, x, y)
    bad = a.copy()
    bad[0, 0] = np.nan
    for _ in range(2000):
        with pytest.raises(np.linalg.LinAlgError):
            everything(bad, p, x, y)
    gc.collect()
    assert _native.live_allocations() == live
