"""np.linalg's solvers and decompositions against NumPy (see linalg_cases.py)."""

import gc
import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import ferrojit
from ferrojit import _native

from linalg_cases import (
    LAYOUTS,
    solve,
    inv,
    det,
    slogdet,
    cholesky,
    cholesky_upper,
    matrix_power,
    numbers,
    laid_out,
    check_same,
)


SQUARE_DTYPES = [np.float64, np.float32, np.complex128, np.complex64, np.int64, np.int8]


def square(n, dtype, seed=0):
    """A well-conditioned n x n matrix of `dtype` (integers: a dominant diagonal)."""
    a = numbers((n, n), dtype, seed)
    return (a + np.asarray(4 * n, a.dtype) * np.eye(n, dtype=a.dtype)).astype(dtype)


@pytest.mark.parametrize("dtype", SQUARE_DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("n", [0, 1, 2, 5])
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("rhs", ["vector", "matrix"])
def test_solve(dtype, n, layout, rhs):
    a = laid_out(square(n, dtype), layout)
    b = laid_out(numbers((n,) if rhs == "vector" else (n, 3), dtype, 5), layout)
    got = solve(a, b)
    want = np.linalg.solve(a, b)
    check_same(got, want, exact=True)
    assert got.flags.c_contiguous


@pytest.mark.parametrize("func, numpy_func", [(inv, np.linalg.inv), (det, np.linalg.det), (slogdet, np.linalg.slogdet)], ids=["inv", "det", "slogdet"])
@pytest.mark.parametrize("dtype", SQUARE_DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("n", [0, 1, 2, 5])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_inverse_and_determinants(func, numpy_func, dtype, n, layout):
    a = laid_out(square(n, dtype, 3), layout)
    want = numpy_func(a)
    if numpy_func is np.linalg.slogdet:
        want = (want.sign, want.logabsdet)
    check_same(func(a), want, exact=True)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128], ids=lambda d: np.dtype(d).name)
def test_singular_matrices(dtype):
    a = np.array([[1, 2], [2, 4]], dtype)
    for func, numpy_func in [(inv, np.linalg.inv), (lambda a: solve(a, np.ones(2, dtype)), lambda a: np.linalg.solve(a, np.ones(2, dtype)))]:
        with pytest.raises(np.linalg.LinAlgError) as numpy_error:
            numpy_func(a)
        with pytest.raises(np.linalg.LinAlgError) as error:
            func(a)
        assert str(error.value) == str(numpy_error.value)
    check_same(det(a), np.linalg.det(a), exact=True)
    want = np.linalg.slogdet(a)
    check_same(slogdet(a), (want.sign, want.logabsdet), exact=True)


@pytest.mark.parametrize("func", [inv, det, slogdet, cholesky, lambda a: solve(a, np.ones(2))], ids=["inv", "det", "slogdet", "cholesky", "solve"])
def test_non_square_matrices_raise_lin_alg_error(func):
    a = np.ones((2, 3))
    with pytest.raises(np.linalg.LinAlgError, match="Last 2 dimensions of the array must be square"):
        func(a)


def test_solve_with_a_mismatched_right_hand_side():
    with pytest.raises(ValueError, match="solve: Input operand 1 has a mismatch in its core dimension 0"):
        solve(np.eye(3), np.ones(4))


def positive_definite(n, dtype):
    a = numbers((n, n), dtype, 7)
    return (a @ a.conj().T + n * np.eye(n)).astype(dtype)


@pytest.mark.parametrize("func, upper", [(cholesky, False), (cholesky_upper, True)], ids=["lower", "upper"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128, np.complex64], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("n", [0, 1, 4])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_cholesky(func, upper, dtype, n, layout):
    a = laid_out(positive_definite(n, dtype), layout)
    check_same(func(a), np.linalg.cholesky(a, upper=upper), exact=True)


def test_cholesky_of_a_matrix_not_positive_definite():
    a = np.array([[1.0, 2.0], [2.0, 1.0]])
    with pytest.raises(np.linalg.LinAlgError, match="Matrix is not positive definite"):
        cholesky(a)


@pytest.mark.parametrize("dtype", [np.float64, np.complex128, np.int64, np.float32], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("power", [0, 1, 2, 3, 4, 5, 8, 13, -1, -2, -5])
def test_matrix_power(dtype, power):
    a = square(3, dtype, 11) if np.dtype(dtype).kind != "i" else numbers((3, 3), dtype, 11)
    if power < 0 and np.dtype(dtype).kind == "i":
        # NumPy gives a float matrix here: a type that would depend on the exponent's sign.
        with pytest.raises(NotImplementedError, match="convert the matrix to float first"):
            matrix_power(a, power)
        return
    check_same(matrix_power(a, power), np.linalg.matrix_power(a, power), exact=True)


@ferrojit.njit
def everything(a, b, spd):
    x = a @ b
    y = np.linalg.solve(a, b)
    z = np.linalg.inv(a) + np.linalg.cholesky(spd) + np.linalg.matrix_power(a, 5)
    return x.sum() + y.sum() + z.sum() + np.linalg.det(a) + np.dot(b[:, 0], b[:, 1])


def test_nothing_leaks():
    a, b, spd = square(4, np.float64), numbers((4, 2), np.float64), positive_definite(4, np.float64)
    everything(a, b, spd)
    gc.collect()
    live = _native.live_allocations()
    for _ in range(3000):
        everything(a, b, spd)
    singular = np.zeros((4, 4))
    for _ in range(3000):
        with pytest.raises(np.linalg.LinAlgError):
            everything(singular, b, spd)
    gc.collect()
    assert _native.live_allocations() == live


def test_without_a_provider_the_error_says_what_to_install(tmp_path):
    script = tmp_path / "no_provider.py"
    script.write_text(
        textwrap.dedent(
            """
            import numpy as np
            import ferrojit
            from ferrojit._lib import linalg
            from ferrojit.errors import TypingError
            linalg._numpy_openblas = lambda: None
            linalg._scipy_routines = lambda names: None

            @ferrojit.njit
            def f(a):
                return a @ a

            try:
                f(np.eye(2))
            except TypingError as e:
                print(str(e))
            """
        )
    )
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True).stdout
    assert "`np.matmul` cannot run: no BLAS/LAPACK was found" in out
    assert "pip install scipy" in out
    assert "return a @ a" in out


def test_scipy_serves_when_numpy_has_no_openblas_of_its_own(tmp_path):
    """The second provider: SciPy's cython_blas/cython_lapack (32-bit integers). Its OpenBLAS
    is another build than NumPy's, whose kernels may round differently: results agree within
    1e-12 of their largest magnitude, not bit for bit."""
    pytest.importorskip("scipy")
    script = tmp_path / "scipy_provider.py"
    script.write_text(
        textwrap.dedent(
            """
            import json
            import numpy as np
            import ferrojit
            from ferrojit._lib import linalg
            linalg._numpy_openblas = lambda: None

            @ferrojit.njit
            def f(a, b, v):
                q, r = np.linalg.qr(a)
                return (a @ b, np.dot(v, v), np.linalg.solve(a, v), np.linalg.inv(a), np.linalg.det(a),
                        np.linalg.svd(a)[1], np.linalg.eigvalsh(a + a.T), np.linalg.cholesky(a @ a.T + 4.0 * np.eye(4)),
                        np.abs(r), np.linalg.lstsq(b, v)[0], (a.astype(np.float32) @ b.astype(np.float32)).astype(np.float64))

            rng = np.random.default_rng(3)
            a, b, v = rng.standard_normal((4, 4)), rng.standard_normal((4, 4)), rng.standard_normal(4)
            got = f(a, b, v)
            q, r = np.linalg.qr(a)
            expected = (a @ b, np.dot(v, v), np.linalg.solve(a, v), np.linalg.inv(a), np.linalg.det(a),
                        np.linalg.svd(a)[1], np.linalg.eigvalsh(a + a.T), np.linalg.cholesky(a @ a.T + 4.0 * np.eye(4)),
                        np.abs(r), np.linalg.lstsq(b, v)[0], (a.astype(np.float32) @ b.astype(np.float32)).astype(np.float64))
            errors = [float(np.max(np.abs(np.asarray(g) - e)) / max(np.max(np.abs(e)), 1e-300)) for g, e in zip(got, expected)]
            print(json.dumps({"provider": linalg._provider_state, "errors": errors}))
            """
        )
    )
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["provider"] == [True]
    assert len(out["errors"]) == 11
    # float32 products round to float32: their bound is float32's.
    assert all(e <= 1e-12 for e in out["errors"][:-1]), out["errors"]
    assert out["errors"][-1] <= 1e-6, out["errors"]


@ferrojit.njit
def eigh(a):
    return np.linalg.eigh(a)


@ferrojit.njit
def eigh_upper(a):
    return np.linalg.eigh(a, UPLO="U")


@ferrojit.njit
def eigvalsh(a):
    return np.linalg.eigvalsh(a)


@ferrojit.njit
def svd_full(a):
    return np.linalg.svd(a)


@ferrojit.njit
def svd_reduced(a):
    return np.linalg.svd(a, full_matrices=False)


@ferrojit.njit
def svd_values(a):
    return np.linalg.svd(a, compute_uv=False)


@ferrojit.njit
def qr_reduced(a):
    return np.linalg.qr(a)


@ferrojit.njit
def qr_complete(a):
    return np.linalg.qr(a, mode="complete")


@ferrojit.njit
def qr_r(a):
    return np.linalg.qr(a, mode="r")


@ferrojit.njit
def lstsq(a, b):
    return np.linalg.lstsq(a, b)


@ferrojit.njit
def lstsq_rcond(a, b, rcond):
    return np.linalg.lstsq(a, b, rcond=rcond)


def as_tuple(result):
    """NumPy's named results (EighResult, SVDResult, QRResult) as the plain tuples compiled
    code returns."""
    return tuple(result) if isinstance(result, tuple) else result


def hermitian(n, dtype):
    a = numbers((n, n), dtype, 13)
    return (a + a.conj().T).astype(dtype)


@pytest.mark.parametrize(
    "func, numpy_func",
    [(eigh, np.linalg.eigh), (eigh_upper, lambda a: np.linalg.eigh(a, UPLO="U")), (eigvalsh, np.linalg.eigvalsh)],
    ids=["eigh", "eigh-upper", "eigvalsh"],
)
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128, np.complex64, np.int64], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("n", [0, 1, 4])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_hermitian_eigenproblems(func, numpy_func, dtype, n, layout):
    a = laid_out(hermitian(n, dtype), layout)
    check_same(func(a), as_tuple(numpy_func(a)), exact=True)


MATRIX_SHAPES = [(4, 4), (5, 3), (3, 5), (1, 4), (0, 3), (3, 0)]


@pytest.mark.parametrize(
    "func, numpy_func",
    [
        (svd_full, np.linalg.svd),
        (svd_reduced, lambda a: np.linalg.svd(a, full_matrices=False)),
        (svd_values, lambda a: np.linalg.svd(a, compute_uv=False)),
        (qr_reduced, np.linalg.qr),
        (qr_complete, lambda a: np.linalg.qr(a, mode="complete")),
        (qr_r, lambda a: np.linalg.qr(a, mode="r")),
    ],
    ids=["svd", "svd-reduced", "svd-values", "qr", "qr-complete", "qr-r"],
)
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128, np.int32], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("shape", MATRIX_SHAPES, ids=str)
@pytest.mark.parametrize("layout", ["C", "F", "reversed"])
def test_svd_and_qr(func, numpy_func, dtype, shape, layout):
    a = laid_out(numbers(shape, dtype, 17), layout)
    check_same(func(a), as_tuple(numpy_func(a)), exact=True)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128, np.int64], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("shape", [(6, 3), (3, 6), (4, 4), (5, 1), (0, 3), (3, 0)], ids=str)
@pytest.mark.parametrize("rhs", ["vector", "matrix", "no-columns"])
@pytest.mark.parametrize("rank_deficient", [False, True], ids=["full-rank", "rank-deficient"])
def test_lstsq(dtype, shape, rhs, rank_deficient):
    a = numbers(shape, dtype, 19)
    if rank_deficient and shape[1] > 1 and shape[0] > 0:
        a[:, 1] = a[:, 0]
    b = numbers((shape[0],) if rhs == "vector" else (shape[0], 2 if rhs == "matrix" else 0), dtype, 23)
    want = np.linalg.lstsq(a, b)
    got = lstsq(a, b)
    check_same(got[:2] + got[3:], want[:2] + want[3:], exact=True)
    assert got[2] == want[2]


@pytest.mark.parametrize("rcond", [1e-3, 0.5, -1.0])
def test_lstsq_with_rcond(rcond):
    a = numbers((6, 3), np.float64, 29) * np.array([1.0, 1e-2, 1e-4])
    b = numbers((6,), np.float64, 31)
    want = np.linalg.lstsq(a, b, rcond=rcond)
    got = lstsq_rcond(a, b, rcond)
    check_same(got[:2] + got[3:], want[:2] + want[3:], exact=True)
    assert got[2] == want[2]


def test_lstsq_with_mismatched_rows():
    with pytest.raises(np.linalg.LinAlgError, match="Incompatible dimensions"):
        lstsq(np.ones((3, 2)), np.ones(4))


@ferrojit.njit
def decompositions(a, s):
    u, sv, vt = np.linalg.svd(a)
    q, r = np.linalg.qr(a)
    w, v = np.linalg.eigh(s)
    x, res, rank, sl = np.linalg.lstsq(a, a[:, 0])
    return u.sum() + sv.sum() + vt.sum() + q.sum() + r.sum() + w.sum() + v.sum() + x.sum() + res.sum() + rank + sl.sum()


def test_decompositions_leak_nothing():
    a, s = numbers((5, 3), np.float64), hermitian(4, np.float64)
    decompositions(a, s)
    gc.collect()
    live = _native.live_allocations()
    for _ in range(3000):
        decompositions(a, s)
    gc.collect()
    assert _native.live_allocations() == live


