"""NumPy's array-creating functions written in ferrojit._lib.creation beyond the basic ones:
np.array / np.asarray / np.ascontiguousarray / np.asfortranarray (numbers, nested tuples,
tuples of arrays, arrays; dtype=, copy=, order=, ndmin=), np.linspace (endpoint=, retstep=,
dtype=), np.logspace, np.geomspace, np.diag, np.diagflat, np.tri, np.tril, np.triu, np.vander,
np.meshgrid, np.indices; against NumPy: dtype, shape, values, C/F-contiguity, and whether the
result is the argument itself (or shares its memory) exactly when NumPy's is."""
import gc

import numpy as np
import pytest

import ferrojit
from ferrojit import _native
from ferrojit.errors import TypingError
from array_cases import values
from helpers import assert_same_array, case_id
from test_np_shape import check_shape, grid


def array_of(x):
    return np.array(x)


def array_of_triple(x):
    return np.array((x, 2, 3))


def array_nested_float32(x):
    return np.array(((x, 2), (3, 4)), dtype=np.float32)


def array_with_bool(x):
    return np.array((x, True))


def array_ndmin(x):
    return np.array(x, ndmin=2)


def array_fortran(x):
    return np.array(((1, 2), (3, x)), order="F")


def array_deep(x):
    return np.array((((x, 1), (2, 3)), ((4, 5), (6, 7)), ((8, 9), (10, 11))))


def array_int8_of(x):
    return np.array((x, 300, -1), dtype=np.int8)


def contiguous_of_number(x):
    return np.ascontiguousarray(x), np.asfortranarray(x), np.asarray(x)


NUMBER_FUNCS = [array_of, array_of_triple, array_nested_float32, array_with_bool, array_ndmin, array_fortran, array_deep, contiguous_of_number]


@pytest.mark.parametrize("x", [2.5, 3, True, 1 + 2j, np.float32(1.5), np.uint16(7), -0.0, np.nan], ids=case_id)
@pytest.mark.parametrize("func", NUMBER_FUNCS, ids=case_id)
def test_arrays_from_numbers_and_tuples(func, x):
    if func is array_nested_float32 and isinstance(x, complex):
        pytest.skip("NumPy raises TypeError; compiled code refuses at compile time (test_refused)")
    check_shape(func, x)


def copy_of(a):
    return np.array(a)


def copy_int32(a):
    return np.array(a, dtype=np.int32)


def no_copy_needed(a):
    return np.array(a, copy=None), np.asarray(a), np.asarray(a, dtype=a.dtype)


def no_copy_allowed(a):
    return np.array(a, copy=False)


def no_copy_allowed_other_type(a):
    return np.array(a, dtype=np.float32, copy=False)


def copy_fortran(a):
    return np.array(a, order="F"), np.array(a, order="C"), np.array(a, order="A")


def stacked(a):
    return np.array((a, a))


def as_array_forms(a):
    return np.asarray(a, dtype=np.float32), np.asarray(a, order="C"), np.asarray(a, order="F")


def contiguous(a):
    return np.ascontiguousarray(a), np.asfortranarray(a), np.ascontiguousarray(a, dtype=np.int8)


def array_ndmin_3(a):
    return np.array(a, ndmin=3)


ARRAY_FUNCS = [copy_of, copy_int32, no_copy_needed, no_copy_allowed, no_copy_allowed_other_type, copy_fortran, stacked, as_array_forms, contiguous, array_ndmin_3]
ARRAYS = {
    "C": grid(),
    "F": grid(order="F"),
    "reversed": grid()[::-1],
    "row": grid()[0],
    "0-d": np.array(3.0),
    "int16 F": grid(np.int16, order="F"),
    "complex T": grid(np.complex64, (3, 2)).T,
    "empty": grid()[:0],
}


@pytest.mark.parametrize("name", list(ARRAYS))
@pytest.mark.parametrize("func", ARRAY_FUNCS, ids=case_id)
def test_arrays_from_arrays(func, name):
    a = ARRAYS[name]
    if func is contiguous and a.dtype.kind == "c":
        pytest.skip("complex into int8: NumPy warns and keeps the real part; covered by stacking tests")
    check_shape(func, a)


def linspace_open_with_step(start, stop, num):
    return np.linspace(start, stop, num, endpoint=False, retstep=True)


def linspace_int32(start, stop, num):
    return np.linspace(start, stop, num, dtype=np.int32)


def linspace_float32_with_step(start, stop, num):
    return np.linspace(start, stop, num, retstep=True, dtype=np.float32)


def logspace_plain(start, stop, num):
    return np.logspace(start, stop, num)


def logspace_base_2_open(start, stop, num):
    return np.logspace(start, stop, num, base=2.0, endpoint=False)


def geomspace_plain(start, stop, num):
    return np.geomspace(start, stop, num)


def geomspace_open_float32(start, stop, num):
    return np.geomspace(start, stop, num, dtype=np.float32, endpoint=False)


# (np.linspace without these keywords: tests/test_arrays_create.py.)
POWER_SPACE_FUNCS = [logspace_plain, logspace_base_2_open, geomspace_plain, geomspace_open_float32]
SPACE_FUNCS = [linspace_open_with_step, linspace_int32, linspace_float32_with_step, logspace_plain, logspace_base_2_open, geomspace_plain, geomspace_open_float32]


@pytest.mark.parametrize(
    "args",
    [(1.0, 10.0, 7), (-3, 5, 5), (2.0, 2.0, 1), (1.0, 1000.0, 0), (np.float32(1), np.float32(7), 4), (-1.0, -1e5, 6), (1, 1e-300, 3), (2.0, 5.0, -1), (0.0, 1.0, 3)],
    ids=case_id,
)
@pytest.mark.parametrize("func", SPACE_FUNCS, ids=case_id)
def test_spaces(func, args):
    # np.logspace and np.geomspace raise to powers with np.power, which NumPy evaluates with
    # its SIMD routines where the CPU has them (SVML's pow on AVX-512 machines); compiled code
    # calls the C library's pow, as Numba does. Each power (and geomspace's logarithms) is within
    # an ulp of the exact value, hence a tolerance of four ulps of the result's type for those.
    rel = None
    if func in POWER_SPACE_FUNCS:
        rel = 4 * np.finfo(np.float32 if func is geomspace_open_float32 else np.float64).eps
    check_shape(func, *args, rel=rel)


def linspace_complex(start, stop, num):
    return np.linspace(start, stop, num), np.linspace(start, stop, num, retstep=True)[1]


# Fewer than two samples: NumPy's step is then the float NaN whatever the bounds, compiled code's
# a complex NaN for complex bounds (the step's type cannot depend on `num`; see the README).
@pytest.mark.parametrize("args", [(1 + 2j, -3.5 + 0.5j, 6), (0j, 1e-320 + 1e-320j, 3), (1j, 2 + 3j, 50), (1.5, 2j, 2)], ids=case_id)
def test_linspace_of_complex_bounds(args):
    check_shape(linspace_complex, *args)


def diag_of(a, k):
    return np.diag(a, k)


def diag_of_row(a, k):
    return np.diag(a[0], k), np.diagflat(a, k), np.diagflat(a[0, 0])


def diag_of_row_keyword(a, k):
    return np.diag(a[0], k=k)


def tri_forms(a, k):
    return np.tri(3, 4, k), np.tri(2, k=k, dtype=np.int32), np.tri(3), np.tri(2, 0, k)


def triangles(a, k):
    return np.tril(a, k), np.triu(a, k), np.tril(a), np.triu(a[0]), np.tril(np.stack((a, a)), k), np.triu(a[0], k=k)


def vander_forms(a, k):
    return np.vander(a[0]), np.vander(a[1], 3, True), np.vander(a[2], k + 2, increasing=False)


MATRICES = {
    "float64": grid(np.float64, (3, 4)),
    "F": grid(np.float64, (3, 4), order="F"),
    "reversed": grid(np.float64, (3, 4))[::-1],
    "int32": grid(np.int32, (3, 4)),
    "bool": grid(np.bool_, (3, 4)),
    "complex64": grid(np.complex64, (3, 4)),
    "uint8": grid(np.uint8, (3, 4)),
}


@pytest.mark.parametrize("k", [-5, -1, 0, 2, 7])
@pytest.mark.parametrize("name", list(MATRICES))
@pytest.mark.parametrize("func", [diag_of_row, diag_of_row_keyword, tri_forms, triangles, vander_forms], ids=case_id)
def test_diagonals_and_triangles(func, name, k):
    if func is vander_forms and k not in (-1, 2):
        pytest.skip("the number of columns: a few suffice")
    check_shape(func, MATRICES[name], k)


@pytest.mark.parametrize("k", [-5, -1, 0, 2, 7])
@pytest.mark.parametrize("name", list(MATRICES))
def test_diagonal_of_a_matrix_is_a_copy(name, k):
    """NumPy's `np.diag` of a matrix is a read-only view; compiled code gives a new array of the
    same values."""
    got = ferrojit.njit(diag_of)(MATRICES[name], k)
    expected = diag_of(MATRICES[name], k)
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(got, expected, strict=True)


def diag_of_3d(a):
    return np.diag(a.reshape(1, 3, 4))


def vander_of_matrix(a):
    return np.vander(a)


@pytest.mark.parametrize("func", [diag_of_3d, vander_of_matrix], ids=case_id)
def test_errors_of_dimensions(func):
    check_shape(func, grid(np.float64, (3, 4)))


def meshgrid_xy(x, y, z):
    return np.meshgrid(x, y)


def meshgrid_ij_three(x, y, z):
    return np.meshgrid(x, y, z, indexing="ij")


def meshgrid_sparse(x, y, z):
    return np.meshgrid(x, y, z, sparse=True)


def meshgrid_one(x, y, z):
    return np.meshgrid(x)


def meshgrid_sparse_ij(x, y, z):
    return np.meshgrid(x, y, sparse=True, indexing="ij", copy=True)


def meshgrid_none(x, y, z):
    return np.meshgrid()


def indices_2d(x, y, z):
    return np.indices((2, 3))


def indices_float32(x, y, z):
    return np.indices((2, 3, 1), dtype=np.float32)


def indices_sparse(x, y, z):
    return np.indices((2, 3), sparse=True)


def indices_of_size(x, y, z):
    return np.indices((x.size, 0))


@pytest.mark.parametrize(
    "func",
    [meshgrid_xy, meshgrid_ij_three, meshgrid_sparse, meshgrid_one, meshgrid_sparse_ij, meshgrid_none, indices_2d, indices_float32, indices_sparse, indices_of_size],
    ids=case_id,
)
def test_grids(func):
    check_shape(func, np.arange(3.0), np.arange(4, dtype=np.int32)[::-1], np.array([[1.5, 2.5]]))


def array_of_list(x):
    return np.array([x, 1.0])


def array_of_rows(x):
    return np.array([[x, 1.0], [2.0, x]]), np.array([(x, 1), (2, 3)]), np.array([np.arange(3) * x, np.ones(3)]), np.asarray([x, 2.5], dtype=np.float32)


@pytest.mark.parametrize("func", [array_of_list, array_of_rows], ids=case_id)
@pytest.mark.parametrize("x", [1.5, -0.0], ids=repr)
def test_array_of_lists(func, x):
    # np.array of lists (of numbers, rows, tuples, arrays): NumPy's dtype, shape and values.
    expected = func(x)
    got = ferrojit.njit(func)(x)
    for g, e in zip(got if isinstance(got, tuple) else (got,), expected if isinstance(expected, tuple) else (expected,), strict=True):
        assert_same_array(g, e)


def array_complex_into_float(x):
    return np.array((x, 1.0), dtype=np.float32)


def array_ragged(x):
    return np.array(((x, 1.0), (2.0,)))


def linspace_retstep_at_run_time(x):
    return np.linspace(0.0, x, 3, retstep=x > 1)


def meshgrid_sparse_at_run_time(x):
    return np.meshgrid(np.arange(3), sparse=x > 1)


@pytest.mark.parametrize(
    "func, error, message",
    [
        (array_complex_into_float, TypingError, "cannot store complex numbers"),
        (array_ragged, TypingError, "rectangular shape"),
        (linspace_retstep_at_run_time, TypingError, "retstep="),
        (meshgrid_sparse_at_run_time, TypingError, "sparse="),
    ],
    ids=case_id,
)
def test_refused(func, error, message):
    with pytest.raises(error, match=message):
        ferrojit.njit(func)(1 + 2j if func is array_complex_into_float else 2.0)


@ferrojit.njit
def create_all(x, a):
    total = np.array(((x, 1.0), (2.0, 3.0))).sum() + np.asarray(a).sum() + np.ascontiguousarray(a.T).sum() + np.asfortranarray(a).sum()
    total += np.linspace(0.0, x, 5).sum() + np.linspace(0.0, x, 5, retstep=True)[1] + np.logspace(0.0, x, 4).sum() + np.geomspace(1.0, x + 1, 4).sum()
    total += np.diag(a).sum() + np.diag(a[0]).sum() + np.diagflat(a).sum() + np.tri(3, 4).sum() + np.tril(a).sum() + np.triu(a, 1).sum()
    total += np.vander(a[0]).sum() + np.meshgrid(a[0], a[1])[1].sum() + np.indices((2, 3)).sum() + np.indices((2, 3), sparse=True)[1].sum()
    return total + np.array((a, a), copy=True).sum() + np.array(x).sum()


def test_creating_many_times_frees_everything():
    a = grid(np.float64, (3, 4), order="F")
    create_all(2.0, a)
    gc.collect()
    live = _native.live_allocations()
    for _ in range(5_000):
        create_all(2.0, a)
    gc.collect()
    assert _native.live_allocations() == live
