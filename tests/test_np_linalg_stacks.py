"""np.linalg's functions of stacks of matrices (..., M, N) against NumPy (see linalg_cases.py):
each matrix as the 2-d function computes it, so results are NumPy's to the bit."""

import gc
import re

import numpy as np
import pytest

import ferrojit
from ferrojit import _native

from linalg_cases import as_complex, cholesky, cholesky_upper, det, eig, eigvals, inv, laid_out, numbers, check_same, slogdet




@ferrojit.njit
def eigh(a):
    return np.linalg.eigh(a)


@ferrojit.njit
def eigvalsh_upper(a):
    return np.linalg.eigvalsh(a, "U")


@ferrojit.njit
def svd(a):
    return np.linalg.svd(a)


@ferrojit.njit
def svd_reduced(a):
    return np.linalg.svd(a, full_matrices=False)


@ferrojit.njit
def singular_values(a):
    return np.linalg.svd(a, compute_uv=False)


@ferrojit.njit
def svd_hermitian(a):
    return np.linalg.svd(a, hermitian=True)


@ferrojit.njit
def solve(a, b):
    return np.linalg.solve(a, b)


def regular(shape, dtype):
    """Well-conditioned matrices (integers: a dominant diagonal)."""
    n = shape[-1]
    return (numbers(shape, dtype, 67) + np.asarray(4 * n, dtype) * np.eye(n, dtype=dtype)).astype(dtype)


def positive_definite(shape, dtype):
    a = numbers(shape, dtype, 71)
    a = a @ np.conj(np.swapaxes(a, -1, -2))
    return (a + shape[-1] * np.eye(shape[-1], dtype=a.dtype)).astype(dtype)


def symmetric(shape, dtype):
    a = numbers(shape, dtype, 73)
    return (a + np.conj(np.swapaxes(a, -1, -2))).astype(dtype)


SQUARE_FUNCTIONS = [
    (inv, np.linalg.inv, regular),
    (det, np.linalg.det, regular),
    (slogdet, lambda a: tuple(np.linalg.slogdet(a)), regular),
    (cholesky, np.linalg.cholesky, positive_definite),
    (cholesky_upper, lambda a: np.linalg.cholesky(a, upper=True), positive_definite),
    (eigh, lambda a: tuple(np.linalg.eigh(a)), symmetric),
    (eigvalsh_upper, lambda a: np.linalg.eigvalsh(a, "U"), symmetric),
    (eig, lambda a: tuple(as_complex(x) for x in np.linalg.eig(a)), numbers),
    (eigvals, lambda a: as_complex(np.linalg.eigvals(a)), numbers),
    (svd_hermitian, lambda a: tuple(np.linalg.svd(a, hermitian=True)), symmetric),
]


@pytest.mark.parametrize("func, numpy_func, make", SQUARE_FUNCTIONS, ids=[func.__name__ for func, _, _ in SQUARE_FUNCTIONS])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128, np.int64], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("shape", [(3, 4, 4), (2, 3, 2, 2), (0, 3, 3), (2, 0, 0), (1, 1, 1)], ids=str)
@pytest.mark.parametrize("layout", ["C", "F", "strided", "reversed"])
def test_functions_of_square_stacks(func, numpy_func, make, dtype, shape, layout):
    if make is positive_definite and np.dtype(dtype).kind == "i":
        dtype = np.float64
    a = laid_out(make(shape, dtype), layout)
    check_same(func(a), numpy_func(a), exact=True)


@pytest.mark.parametrize(
    "func, numpy_func",
    [
        (svd, lambda a: tuple(np.linalg.svd(a))),
        (svd_reduced, lambda a: tuple(np.linalg.svd(a, full_matrices=False))),
        (singular_values, lambda a: np.linalg.svd(a, compute_uv=False)),
    ],
    ids=["svd", "svd-reduced", "singular-values"],
)
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex64, np.int32], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("shape", [(3, 4, 2), (2, 2, 2, 5), (0, 3, 2), (2, 0, 3)], ids=str)
@pytest.mark.parametrize("layout", ["C", "F", "reversed"])
def test_svd_of_stacks(func, numpy_func, dtype, shape, layout):
    a = laid_out(numbers(shape, dtype, 79), layout)
    check_same(func(a), numpy_func(a), exact=True)


@ferrojit.njit
def qr(a):
    return np.linalg.qr(a)


@ferrojit.njit
def qr_complete(a):
    return np.linalg.qr(a, "complete")


@ferrojit.njit
def qr_r(a):
    return np.linalg.qr(a, "r")


@ferrojit.njit
def pinv(a):
    return np.linalg.pinv(a)


@ferrojit.njit
def matrix_rank(a):
    return np.linalg.matrix_rank(a)


@pytest.mark.parametrize(
    "func, numpy_func",
    [
        (qr, lambda a: tuple(np.linalg.qr(a))),
        (qr_complete, lambda a: tuple(np.linalg.qr(a, "complete"))),
        (qr_r, lambda a: np.linalg.qr(a, "r")),
        (pinv, np.linalg.pinv),
        (matrix_rank, np.linalg.matrix_rank),
    ],
    ids=["qr", "qr-complete", "qr-r", "pinv", "matrix_rank"],
)
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128, np.int64], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("shape", [(3, 4, 2), (2, 2, 2, 5), (0, 3, 2), (2, 3, 3)], ids=str)
@pytest.mark.parametrize("layout", ["C", "F", "reversed"])
def test_qr_pinv_and_matrix_rank_of_stacks(func, numpy_func, dtype, shape, layout):
    a = laid_out(numbers(shape, dtype, 109), layout)
    if shape[-1] > 1 and shape[0] > 0:
        a[0, ..., 1] = a[0, ..., 0]  # a rank-deficient matrix in the stack
    check_same(func(a), numpy_func(a), exact=True)


@ferrojit.njit
def powers(a):
    return np.linalg.matrix_power(a, 3), np.linalg.matrix_power(a, 0), np.linalg.matrix_power(a, 5)


@ferrojit.njit
def inverse_powers(a):
    return np.linalg.matrix_power(a, -2)


@ferrojit.njit
def conditions_by_singular_values(a):
    return np.linalg.cond(a), np.linalg.cond(a, -2)


@ferrojit.njit
def conditions_by_norms(a):
    return np.linalg.cond(a, "fro"), np.linalg.cond(a, 1)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128, np.int64], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("shape", [(3, 4, 4), (2, 3, 2, 2), (0, 3, 3), (1, 1, 1)], ids=str)
@pytest.mark.parametrize("layout", ["C", "F", "reversed"])
def test_matrix_power_and_cond_of_stacks(dtype, shape, layout):
    """Each matrix's power and condition number, as NumPy's of the stack: to the bit, but the
    condition numbers from norms, which sum magnitudes in another association than NumPy's (as
    for one matrix, `test_np_linalg_options.py`)."""
    a = laid_out(regular(shape, dtype), layout)
    check_same(powers(a), tuple(np.linalg.matrix_power(a, k) for k in (3, 0, 5)), exact=True)
    if np.dtype(dtype).kind != "i":
        check_same(inverse_powers(a), np.linalg.matrix_power(a, -2), exact=True)
        check_same(conditions_by_singular_values(a), tuple(np.linalg.cond(a, p) for p in (None, -2)), exact=True)
        check_same(conditions_by_norms(a), tuple(np.linalg.cond(a, p) for p in ("fro", 1)), exact=False)


@pytest.mark.parametrize("shape", [(2, 3, 4), (0, 2, 3)], ids=str)
def test_matrix_power_of_non_square_stacks_raises_lin_alg_error(shape):
    with pytest.raises(np.linalg.LinAlgError, match="Last 2 dimensions of the array must be square"):
        powers(np.ones(shape))


def test_cond_of_a_stack_of_empty_matrices_raises_lin_alg_error():
    for shape in [(2, 0, 0), (0, 0, 3)]:
        with pytest.raises(np.linalg.LinAlgError, match="cond is not defined on empty arrays"):
            np.linalg.cond(np.ones(shape))
        with pytest.raises(np.linalg.LinAlgError, match="cond is not defined on empty arrays"):
            conditions_by_norms(np.ones(shape))


@pytest.mark.parametrize("func", [inv, det, slogdet, cholesky, eigh, eig, eigvals], ids=lambda f: f.__name__)
@pytest.mark.parametrize("shape", [(2, 3, 4), (0, 2, 3)], ids=str)
def test_stacks_of_non_square_matrices_raise_lin_alg_error(func, shape):
    with pytest.raises(np.linalg.LinAlgError, match="Last 2 dimensions of the array must be square"):
        func(np.ones(shape))


def test_a_singular_matrix_in_a_stack_raises_lin_alg_error():
    a = np.stack([np.eye(3), np.ones((3, 3))])
    with pytest.raises(np.linalg.LinAlgError, match="Singular matrix"):
        np.linalg.inv(a)
    with pytest.raises(np.linalg.LinAlgError, match="Singular matrix"):
        inv(a)


@pytest.mark.parametrize(
    "shapes",
    [((3, 4, 4), (4,)), ((3, 4, 4), (4, 2)), ((3, 4, 4), (3, 4, 2)), ((2, 1, 4, 4), (3, 4, 2)), ((4, 4), (3, 4, 2)), ((0, 4, 4), (4,)), ((3, 4, 4), (3, 4, 0))],
    ids=str,
)
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128, np.int64], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("layout", ["C", "F", "strided"])
def test_solve_with_stacks(shapes, dtype, layout):
    n = shapes[0][-1]
    a = laid_out((numbers(shapes[0], dtype, 83) + np.asarray(4 * n, dtype) * np.eye(n, dtype=dtype)).astype(dtype), layout)
    b = laid_out(numbers(shapes[1], dtype, 89), layout)
    check_same(solve(a, b), np.linalg.solve(a, b), exact=True)


def test_solve_with_stacks_that_do_not_broadcast_raises_value_error():
    a, b = np.ones((2, 3, 3)) + np.eye(3), np.ones((3, 3, 1))
    with pytest.raises(ValueError):
        np.linalg.solve(a, b)
    with pytest.raises(ValueError, match="could not be broadcast"):
        solve(a, b)


@ferrojit.njit
def everything(a, spd, b):
    w, v = np.linalg.eigh(spd)
    e, x = np.linalg.eig(a)
    u, s, vh = np.linalg.svd(a)
    sign, logdet = np.linalg.slogdet(a)
    total = np.linalg.inv(a).sum() + np.linalg.det(a).sum() + np.linalg.cholesky(spd).sum() + w.sum() + v.sum()
    total += e.sum().real + x.sum().real + u.sum() + s.sum() + vh.sum() + sign.sum() + logdet.sum()
    total += np.linalg.matrix_power(a, 3).sum() + np.linalg.matrix_power(a, -2).sum() + np.linalg.cond(a).sum() + np.linalg.cond(a, 1).sum()
    return total + np.linalg.solve(a, b).sum() + (a @ b).sum() + (b[0, :, 0] @ a).sum()


def test_nothing_leaks():
    a, spd, b = numbers((3, 4, 4), np.float64, 97), positive_definite((3, 4, 4), np.float64), numbers((3, 4, 2), np.float64, 101)
    everything(a, spd, b)
    gc.collect()
    live = _native.live_allocations()
    for _ in range(2000):
        everything(a, spd, b)
    singular = a.copy()
    singular[1] = 0
    for _ in range(2000):
        with pytest.raises(np.linalg.LinAlgError):
            everything(singular, spd, b)
    gc.collect()
    assert _native.live_allocations() == live


@ferrojit.njit
def pinv_rcond(a, rcond):
    return np.linalg.pinv(a, rcond)


@ferrojit.njit
def pinv_rtol(a, rtol):
    return np.linalg.pinv(a, rtol=rtol)


@ferrojit.njit
def pinv_hermitian_rcond(a, rcond):
    return np.linalg.pinv(a, rcond, True)


@ferrojit.njit
def pinv_rtol_none(a, _):
    return np.linalg.pinv(a, rtol=None)


@ferrojit.njit
def matrix_rank_tol(a, tol):
    return np.linalg.matrix_rank(a, tol)


@ferrojit.njit
def matrix_rank_rtol(a, rtol):
    return np.linalg.matrix_rank(a, rtol=rtol)


@ferrojit.njit
def matrix_rank_hermitian_tol(a, tol):
    return np.linalg.matrix_rank(a, tol, True)


@ferrojit.njit
def matrix_rank_hermitian_rtol(a, rtol):
    return np.linalg.matrix_rank(a, None, True, rtol=rtol)


# (compiled function, NumPy's call, whether the matrices are Hermitian, the scale of the
# tolerances: relative ones (rcond, rtol) up to 0.6, absolute ones (tol) up to 3).
TOLERANCE_FUNCTIONS = [
    (pinv_rcond, lambda a, t: np.linalg.pinv(a, t), False, 0.6),
    (pinv_rtol, lambda a, t: np.linalg.pinv(a, rtol=t), False, 0.6),
    (pinv_hermitian_rcond, lambda a, t: np.linalg.pinv(a, t, True), True, 0.6),
    (pinv_rtol_none, lambda a, t: np.linalg.pinv(a, rtol=None), False, 0.6),
    (matrix_rank_tol, lambda a, t: np.linalg.matrix_rank(a, t), False, 3.0),
    (matrix_rank_rtol, lambda a, t: np.linalg.matrix_rank(a, rtol=t), False, 0.6),
    (matrix_rank_hermitian_tol, lambda a, t: np.linalg.matrix_rank(a, t, True), True, 3.0),
    (matrix_rank_hermitian_rtol, lambda a, t: np.linalg.matrix_rank(a, None, True, rtol=t), True, 0.6),
]

# How a row gives its tolerance: a number, one per matrix (an array of the stack's leading
# shape), or an array that broadcasts to it.
TOLERANCE_FORMS = ["number", "per-matrix", "broadcast", "integer"]


def tolerance(form, shape, scale):
    lead = shape[:-2]
    rng = np.random.default_rng(113)
    if form == "number":
        return 0.3 * scale
    if form == "integer":
        return 0
    if form == "per-matrix":
        return rng.uniform(0, scale, lead)
    return rng.uniform(0, scale, (1,) + lead[1:])


# (function row, form, shape): Hermitian matrices are square, arrays of tolerances take stacks.
TOLERANCE_CASES = [
    (row, form, shape)
    for row in TOLERANCE_FUNCTIONS
    for form in TOLERANCE_FORMS
    for shape in [(4, 3), (3, 3), (3, 4, 2), (2, 2, 3, 3), (0, 3, 2), (2, 3, 3), (2, 0, 0)]
    if not (row[2] and shape[-1] != shape[-2]) and not (form in ("per-matrix", "broadcast") and len(shape) == 2)
]


@pytest.mark.parametrize("row, form, shape", TOLERANCE_CASES, ids=[f"{row[0].__name__}-{form}-{shape}" for row, form, shape in TOLERANCE_CASES])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128, np.int64], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("layout", ["C", "F"])
def test_pinv_and_matrix_rank_tolerances(row, form, shape, dtype, layout):
    """NumPy 2's keywords: `rcond`, `rtol` (None: the precision-based cutoff) and `hermitian`
    of pinv, `tol`, `rtol` and `hermitian` of matrix_rank, numbers or, for stacks, arrays
    broadcast to the stack's leading shape; results to the bit."""
    func, numpy_func, hermitian, scale = row
    a = symmetric(shape, dtype) if hermitian else numbers(shape, dtype, 109)
    if shape[-1] > 1 and shape[-2] > 0 and len(shape) > 2 and shape[0] > 0:
        a[0, ..., 1] = a[0, ..., 0]  # a rank-deficient matrix in the stack
        if hermitian:
            a[0, ..., 1, :] = a[0, ..., 0, :]
    a = laid_out(a, layout)
    t = tolerance(form, shape, scale)
    try:
        want = numpy_func(a, t)
    except ValueError as error:
        # NumPy's finfo of an integer type (`rtol=None` of an integer matrix).
        with pytest.raises(ValueError, match=f"^{re.escape(str(error))}$"):
            func(a, t)
        return
    if isinstance(want, np.ndarray) and want.dtype.kind in "iu" and func.__name__.startswith("pinv"):
        want = want.astype(float)  # an empty integer stack's pseudo-inverse: float64 here
    got = func(a, t)
    if not isinstance(want, np.ndarray):
        assert got == want and type(got) is int
        return
    check_same(got, want, exact=True)


@ferrojit.njit
def pinv_both(a):
    return np.linalg.pinv(a, 0.1, rtol=0.2)


@ferrojit.njit
def matrix_rank_both(a):
    return np.linalg.matrix_rank(a, 0.1, rtol=0.2)


@pytest.mark.parametrize("func, numpy_func", [(pinv_both, lambda a: np.linalg.pinv(a, 0.1, rtol=0.2)), (matrix_rank_both, lambda a: np.linalg.matrix_rank(a, 0.1, rtol=0.2))], ids=["pinv", "matrix_rank"])
@pytest.mark.parametrize("shape", [(3, 3), (2, 3, 3)], ids=str)
def test_both_tolerances_given_raise_numpy_s_value_error(func, numpy_func, shape):
    with pytest.raises(ValueError) as theirs:
        numpy_func(np.ones(shape))
    with pytest.raises(ValueError) as ours:
        func(np.ones(shape))
    assert str(ours.value) == str(theirs.value)


def test_tolerances_that_do_not_broadcast_to_the_stack_raise_value_error():
    a = np.ones((2, 3, 3))
    with pytest.raises(ValueError):
        np.linalg.pinv(a, np.ones(3) * 0.1)
    with pytest.raises(ValueError, match="broadcast"):
        pinv_rcond(a, np.ones(3) * 0.1)
    # NumPy's matrix_rank would give a (3, 2) result; compiled code keeps the stack's shape.
    with pytest.raises(ValueError, match="broadcast"):
        matrix_rank_tol(a, np.ones((3, 1)))


@pytest.mark.parametrize("func", [pinv_rcond, matrix_rank_tol], ids=lambda f: f.__name__)
def test_an_array_of_tolerances_for_one_matrix_is_refused_at_the_call(func):
    with pytest.raises(ferrojit.errors.TypingError, match="a real number or None"):
        func(np.eye(3), np.ones(1))


@ferrojit.njit
def tolerances_everywhere(a, t):
    return np.linalg.pinv(a, t).sum() + np.linalg.pinv(a, rtol=t).sum() + np.linalg.pinv(a, rtol=None).sum() + np.linalg.matrix_rank(a, t).sum() + np.linalg.matrix_rank(a, rtol=t).sum()


def test_tolerances_leak_nothing():
    a, t, wrong = numbers((3, 4, 4), np.float64, 127), np.full(3, 0.2), np.full(4, 0.2)
    tolerances_everywhere(a, t)
    with pytest.raises(ValueError):
        tolerances_everywhere(a, wrong)
    gc.collect()
    live = _native.live_allocations()
    for _ in range(1000):
        tolerances_everywhere(a, t)
        with pytest.raises(ValueError, match="broadcast"):
            tolerances_everywhere(a, wrong)
        with pytest.raises(ValueError, match="can't be both set"):
            pinv_both(a)
    gc.collect()
    assert _native.live_allocations() == live
