"""Indexing with several integer arrays (broadcast together), with 0-d integer arrays, the
shapes named by a value that does not fit, `...` twice, and `.imag` of a real array: all against
NumPy 2 (same dtype, shape and values; same exception class and message); memory."""

import numpy as np
import pytest

import ferrojit
from ferrojit import njit

from array_cases import values
import helpers

# One dispatcher per function for the whole module: a row compiles only the argument types it
# is the first to meet.
_COMPILED = {}


def check_arrays(pyfunc, *args, **kwargs):
    """`helpers.check_arrays` with the module's dispatcher of `pyfunc`."""
    return helpers.check_arrays(pyfunc, *args, compiled=_COMPILED, **kwargs)


# Arrays of every layout, by name. Each axis an index array indexes below has at least 3
# elements, except in the empty ones.
LAYOUTS = {
    "2d_C": lambda dt: values(12, dt).reshape(3, 4),
    "2d_F": lambda dt: np.asfortranarray(values(12, dt).reshape(3, 4)),
    "2d_strided": lambda dt: values(48, dt).reshape(6, 8)[::2, 1::2],
    "2d_negative": lambda dt: values(12, dt).reshape(3, 4)[::-1, ::-1],
    "3d_C": lambda dt: values(60, dt).reshape(3, 4, 5),
    "3d_F": lambda dt: np.asfortranarray(values(60, dt).reshape(3, 4, 5)),
    "3d_T": lambda dt: values(60, dt).reshape(5, 4, 3).T,
    "3d_negative": lambda dt: values(120, dt).reshape(3, 8, 5)[::-1, ::-2, :],
    "3d_empty": lambda dt: values(0, dt).reshape(3, 0, 4),
}


# --- several integer arrays: reads ------------------------------------------------------------


def pair(a, i, j):
    return a[i, j]


def pair_after_slice(a, i, j):
    return a[:, i, j]


def pair_apart(a, i, j):
    return a[i, :, j]


def pair_around_slice(a, i, j):
    return a[i, 1:, j]


def pair_around_int(a, i, j):
    # An integer between arrays is an advanced index too: they stay adjacent, in place.
    return a[i, 1, j]


def int_then_pair(a, i, j):
    return a[1, i, j]


def pair_after_new_axis(a, i, j):
    return a[None, i, j]


def pair_around_new_axis(a, i, j):
    return a[i, None, j]


def ellipsis_then_pair(a, i, j):
    return a[..., i, j]


def three_arrays(a, i, j):
    return a[i, j, i]


def pair_in_expression(a, i, j):
    return (a[i, j] * 2).sum()


def pair_held_in_a_tuple(a, i, j):
    index = (i, j)
    return a[index]


# f -> the numbers of dimensions of the arrays it indexes.
READERS = {
    pair: (2, 3),
    pair_after_slice: (3,),
    pair_apart: (3,),
    pair_around_slice: (3,),
    pair_around_int: (3,),
    int_then_pair: (3,),
    pair_after_new_axis: (2, 3),
    pair_around_new_axis: (2, 3),
    ellipsis_then_pair: (2, 3),
    three_arrays: (3,),
    pair_in_expression: (2, 3),
    pair_held_in_a_tuple: (2, 3),
}

# Index arrays that broadcast together: equal shapes, a column and a row, a length-1 array,
# arrays of two dimensions, negative indices, and empty ones.
INDEX_PAIRS = {
    "same": ([2, 0, -1], [1, 1, 0]),
    "column_row": ([[0], [2]], [2, -3, 1]),
    "one_and_many": ([1], [0, 2, 1, -1]),
    "matrix_row": ([[0, 1, 2], [2, 1, 0]], [0, 2, 1]),
    "empty": ([], [1]),
}


def index_pair(name, dtype=np.int64):
    i, j = INDEX_PAIRS[name]
    return np.array(i, dtype=dtype).reshape(np.shape(i)), np.array(j, dtype=dtype)


READ_ROWS = [
    (f, layout, pair_name)
    for f, dims in READERS.items()
    for layout in LAYOUTS
    if int(layout[0]) in dims
    for pair_name in INDEX_PAIRS
    # Indices into an empty axis are out of range: only empty index arrays there (and not
    # `a[i, 1, j]`, whose integer is outside the empty axis).
    if ("empty" not in layout or (pair_name == "empty" and f is not pair_around_int) or f in (pair,))
    # Keep the table to a sweep of layouts for the commonest subscripts, a few for the rest.
    if f in (pair, pair_apart, pair_around_int) or layout in ("2d_F", "3d_C", "3d_T") or pair_name == "column_row"
]


@pytest.mark.parametrize("f, layout, pair_name", READ_ROWS, ids=lambda v: v.__name__ if callable(v) else str(v))
def test_several_index_arrays_read_as_numpy(f, layout, pair_name):
    a = LAYOUTS[layout](np.float64)
    i, j = index_pair(pair_name)
    if "empty" in layout and f is pair and pair_name != "empty":
        # The first axis (3) is indexed by `i` and the empty one by `j`: NumPy's IndexError.
        check_arrays(f, a, i, j, exc_msg=True)
        return
    check_arrays(f, a, i, j)


@pytest.mark.parametrize("dtype", [np.int16, np.complex64, np.bool_, np.uint8], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("f", [pair, pair_apart, three_arrays], ids=lambda f: f.__name__)
def test_several_index_arrays_read_every_dtype(f, dtype):
    i, j = index_pair("column_row")
    check_arrays(f, LAYOUTS["3d_F"](dtype), i, j)


INDEX_DTYPES = [np.int8, np.int32, np.int64, np.uint64]


@pytest.mark.parametrize("i_dtype", INDEX_DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("j_dtype", INDEX_DTYPES, ids=lambda d: np.dtype(d).name)
def test_index_arrays_of_every_integer_dtype_together(i_dtype, j_dtype):
    i = np.array([[0], [2], [1]], dtype=i_dtype)
    j = np.array([3, 0, 1, 1], dtype=j_dtype)
    check_arrays(pair_apart, LAYOUTS["3d_T"](np.float32), i, j)
    check_arrays(pair, LAYOUTS["2d_negative"](np.int64), i, j)


@pytest.mark.parametrize(
    "i, j",
    [
        (np.array([0, 1, 2, 0, 1, 2])[::2], np.array([3, 2, 1, 0])[::-1][:3]),
        (np.asfortranarray(np.array([[0, 1], [2, 0]])), np.array([[3], [1]])),
        (np.array([[0, 1, 2], [2, 1, 0]]).T, np.array([[1, 2]])),
        (np.zeros((2, 0), dtype=np.int64), np.array([[1]])),
        # NumPy converts uint64 index arrays to int64 as C does: 2**64 - 1 is -1.
        (np.array([2**64 - 1, 0], dtype=np.uint64), np.array([2**64 - 3], dtype=np.uint64)),
    ],
    ids=["strided", "fortran_and_column", "transposed", "empty_2d", "uint64_beyond_int64"],
)
def test_index_arrays_of_any_layout(i, j):
    check_arrays(pair, LAYOUTS["3d_C"](np.float64), i, j)
    check_arrays(pair_apart, LAYOUTS["3d_C"](np.float64), i, j)


# --- several integer arrays: assignment and in-place updates ----------------------------------


def put_pair(a, i, j, v):
    a[i, j] = v
    return a


def put_pair_apart(a, i, j, v):
    a[i, :, j] = v
    return a


def put_pair_around_int(a, i, j, v):
    a[i, 1, j] = v
    return a


def put_pair_after_slice(a, i, j, v):
    a[1:, i, j] = v
    return a


def add_pair(a, i, j, v):
    a[i, j] += v
    return a


def add_pair_apart(a, i, j, v):
    a[i, :, j] *= v
    return a


def put_pair_held_in_a_tuple(a, i, j, v):
    index = (i, 1, j)
    a[index] = v
    return a


def swap_by_pairs(a, i, j, v):
    # The value shares memory with the target: NumPy reads it all before writing.
    a[i, j] = a[j, i]
    return a


@pytest.mark.parametrize(
    "f, shape, i, j, v",
    [
        (put_pair, (3, 4), [0, 2, -1], [1, 3, 0], 7.5),
        (put_pair, (3, 4), [[0], [2]], [1, 3, 0], np.array([1.0, 2.0, 3.0])),
        (put_pair, (3, 4), [[0], [2]], [1, 3, 0], np.array([[1.0], [2.0]])),
        (put_pair, (3, 4, 5), [0, 2], [1, 3], np.arange(5.0)),
        (put_pair, (3, 4, 5), [0, 2], [1, 3], np.arange(10.0).reshape(2, 5)),
        (put_pair, (3, 4), [1, 1], [2, 2], np.array([1.0, 2.0])),
        (put_pair, (3, 4), [], [1], 5.0),
        (put_pair, (3, 4), [], [1], np.ones(1)),
        (put_pair_apart, (3, 4, 5), [0, 2], [4, -1], np.arange(8.0).reshape(2, 4)),
        (put_pair_apart, (3, 4, 5), [[0], [1]], [4, 0, 2], np.arange(4.0)),
        (put_pair_apart, (3, 4, 5), [0, 2], [4, -1], 1.0),
        (put_pair_around_int, (3, 4, 5), [0, 2], [[4], [0]], np.array([10.0, 20.0])),
        (put_pair_after_slice, (3, 4, 5), [0, 3], [1, 1], np.arange(4.0).reshape(2, 2)),
        (add_pair, (3, 4), [0, 2, 0], [1, 3, 1], 1.0),
        (add_pair, (3, 4), [[0], [2]], [0, 1], np.array([[1.0, 2.0], [3.0, 4.0]])),
        (add_pair_apart, (3, 4, 5), [1, 2], [0, 3], np.arange(4.0)),
        (swap_by_pairs, (4, 4), [0, 1, 2], [3, 2, 1], 0.0),
        (put_pair_held_in_a_tuple, (3, 4, 5), [[0], [2]], [4, 0, 1], np.arange(3.0)),
    ],
    ids=lambda x: getattr(x, "__name__", None),
)
def test_assignment_through_several_index_arrays_as_numpy(f, shape, i, j, v):
    a = values(int(np.prod(shape)), np.float64).reshape(shape)
    check_arrays(f, a, np.array(i, dtype=np.int64).reshape(np.shape(i)), np.array(j, dtype=np.int64), v)


@pytest.mark.parametrize("layout", ["2d_F", "2d_strided", "2d_negative", "3d_T", "3d_negative"])
@pytest.mark.parametrize("index_dtype", INDEX_DTYPES, ids=lambda d: np.dtype(d).name)
def test_assignment_through_several_index_arrays_over_layouts(layout, index_dtype):
    i = np.array([[0], [2]], dtype=index_dtype)
    j = np.array([1, 0, 2], dtype=index_dtype)
    a = LAYOUTS[layout](np.int32)
    check_arrays(put_pair, a, i, j, np.int32(-7))
    check_arrays(add_pair, LAYOUTS[layout](np.int32), i, j, np.array([5], dtype=np.int32))


# --- several integer arrays: errors -----------------------------------------------------------


@pytest.mark.parametrize(
    "f, shape, i, j",
    [
        (pair, (3, 4), [0, 1], [0, 1, 2]),
        (pair_apart, (3, 4, 5), [0, 1], [0, 1, 2]),
        (three_arrays, (3, 4, 5), [[0], [1]], [0, 1, 2]),
        (pair, (3, 4), [[0, 1], [1, 0]], [0, 1, 2]),
        (pair, (3, 4), [3], [0]),
        (pair, (3, 4), [0, -4], [0, 1]),
        (pair, (3, 4), [0, 1], [4, 0]),
        (pair_apart, (3, 4, 5), [0, 1], [5]),
        (pair_around_int, (3, 4, 5), [0, 1], [7]),
        (int_then_pair, (3, 4, 5), [9, 0], [7, 0]),
        (pair, (3, 4), [0, 9], [7, 0]),
        (pair, (3, 4), [], [9]),
        (pair, (3, 4), np.array([3], dtype=np.uint64), np.array([0], dtype=np.uint64)),
        (pair, (3, 4), np.array([0], dtype=np.uint64), np.array([2**63 + 1], dtype=np.uint64)),
    ],
    ids=lambda x: getattr(x, "__name__", None),
)
def test_bad_index_arrays_raise_numpys_index_error(f, shape, i, j):
    a = values(int(np.prod(shape)), np.float64).reshape(shape)
    check_arrays(f, a, np.asarray(i, dtype=getattr(i, "dtype", np.int64)), np.asarray(j, dtype=getattr(j, "dtype", np.int64)), exc_msg=True)


def three_arrays_at_int(a, i, j):
    return a[i, 7, j]


def test_an_integer_among_arrays_is_checked_first():
    # Integers are checked with `boundscheck=True` (index arrays always are).
    a = values(60, np.float64).reshape(3, 4, 5)
    check_arrays(three_arrays_at_int, a, np.array([0, 1]), np.array([1, 2, 3]), exc_msg=True, options={"boundscheck": True})


@pytest.mark.parametrize(
    "f, shape, i, j, v",
    [
        (put_pair, (3, 4), [0, 1], [0, 1, 2], 1.0),
        (put_pair, (3, 4), [0, 1], [0, 1], np.ones(3)),
        (put_pair, (3, 4), [[0], [1]], [0, 1, 2], np.ones((2, 2))),
        (put_pair, (3, 4, 5), [0, 1], [0, 1], np.ones((2, 4))),
        (put_pair_apart, (3, 4, 5), [0, 1], [0, 1], np.ones((4, 2))),
        (put_pair_around_int, (3, 4, 5), [0, 1], [[0], [1], [2]], np.ones(4)),
        (put_pair_after_slice, (3, 4, 5), [0, 1], [0, 1], np.ones((3, 2))),
        # NumPy checks the value's shape before the indices.
        (put_pair, (3, 4), [0, 9], [0, 1], np.ones(3)),
        (put_pair, (3, 4), [0, 9], [0, 1], 1.0),
        (put_pair, (3, 4), [0, 1], [-5, 1], np.ones(2)),
        (add_pair, (3, 4), [0, 3], [0, 1], 1.0),
    ],
    ids=lambda x: getattr(x, "__name__", None),
)
def test_bad_assignments_through_several_arrays_raise_as_numpy_before_writing(f, shape, i, j, v):
    a = values(int(np.prod(shape)), np.float64).reshape(shape)
    before = a.copy()
    check_arrays(f, a, np.array(i, dtype=np.int64).reshape(np.shape(i)), np.array(j, dtype=np.int64), v, exc_msg=True)
    np.testing.assert_array_equal(a, before)


# --- a boolean mask among other index arrays ---------------------------------------------------


def mask_then_array(a, m, j):
    return a[m, j]


def array_then_mask(a, m, j):
    return a[j, m]


def mask_apart_from_array(a, m, j):
    return a[m, :, j]


def mask_around_int(a, m, j):
    return a[m, 1, j]


def mask_array_after_slice(a, m, j):
    return a[1:, m, j]


def two_masks(a, m, j):
    return a[m, :, j > 1]


def mask_and_array_held_in_a_tuple(a, m, j):
    index = (j, m)
    return a[index]


MASK_READ_ROWS = [
    # f, layout, mask, integer array (or, for two_masks, the array whose `> 1` is the mask)
    (mask_then_array, "2d_C", [True, False, True], [1, -1]),
    (mask_then_array, "2d_F", [True, False, True], [[1], [3]]),
    (mask_then_array, "2d_negative", [False, True, True], [0]),
    (mask_then_array, "2d_strided", [False, False, False], [2]),
    (mask_then_array, "3d_T", [True, True, False], [3, 0]),
    (mask_then_array, "3d_C", [[True, False, True, False]] * 3, [4]),
    (mask_then_array, "3d_F", [[True, False, True, False], [False] * 4, [True] * 4], [[4], [0]]),
    (array_then_mask, "2d_C", [True, False, True, True], [2, 0, 1]),
    (array_then_mask, "2d_F", [True, False, True, True], [[2], [0]]),
    (array_then_mask, "3d_negative", [True, False, True, True, False, False, False, True], [0, 2, -1, 1]),
    (mask_apart_from_array, "3d_C", [True, False, True], [4, 0]),
    (mask_apart_from_array, "3d_T", [True, False, True], [[4], [0]]),
    (mask_apart_from_array, "3d_F", [False, True, False], [2]),
    (mask_around_int, "3d_C", [True, False, True], [4, 0]),
    (mask_array_after_slice, "3d_F", [True, False, True, True], [4, 0, 1]),
    (two_masks, "3d_C", [True, False, True], [0, 3, 1, 5, 0]),
    (mask_and_array_held_in_a_tuple, "2d_F", [True, False, True, True], [[2], [0]]),
    (mask_then_array, "3d_empty", [True, False, True], []),
]


@pytest.mark.parametrize("f, layout, m, j", MASK_READ_ROWS, ids=lambda x: getattr(x, "__name__", None))
def test_a_mask_among_index_arrays_reads_as_its_nonzero_as_numpy(f, layout, m, j):
    a = LAYOUTS[layout](np.float64)
    check_arrays(f, a, np.array(m, dtype=np.bool_), np.array(j, dtype=np.int64).reshape(np.shape(j)))


@pytest.mark.parametrize(
    "f, shape, m, j",
    [
        # The mask's length is checked first, against the indexed array's axis.
        (mask_then_array, (3, 4), [True, False], [0]),
        (array_then_mask, (3, 4), [True, False, True], [0, 1]),
        (mask_apart_from_array, (3, 4, 5), [True] * 4, [9]),
        (mask_array_after_slice, (3, 4, 5), [True, False, True], [0]),
        (mask_then_array, (3, 4, 5), [[True, False, True]] * 3, [0]),
        # Then the arrays broadcast, the mask as its nonzero() (here of shape (2,)).
        (mask_then_array, (3, 4), [True, False, True], [0, 1, 2]),
        (array_then_mask, (3, 4), [True, False, True, False], [[0, 1, 2]]),
        # Then the integers are checked.
        (mask_then_array, (3, 4), [True, False, True], [0, 4]),
        (mask_apart_from_array, (3, 4, 5), [True, False, True], [-6]),
        (array_then_mask, (3, 4), [True, False, True, False], np.array([3], dtype=np.uint8)),
    ],
    ids=lambda x: getattr(x, "__name__", None),
)
def test_bad_masks_among_index_arrays_raise_numpys_index_error(f, shape, m, j):
    a = values(int(np.prod(shape)), np.float64).reshape(shape)
    check_arrays(f, a, np.array(m, dtype=np.bool_), np.asarray(j, dtype=getattr(j, "dtype", np.int64)), exc_msg=True)


def put_mask_then_array(a, m, j, v):
    a[m, j] = v
    return a


def put_array_then_mask(a, m, j, v):
    a[j, m] = v
    return a


def put_mask_apart_from_array(a, m, j, v):
    a[m, :, j] = v
    return a


def add_mask_then_array(a, m, j, v):
    a[m, j] += v
    return a


def add_mask_apart_from_array(a, m, j, v):
    a[m, :, j] *= v
    return a


def swap_by_mask_and_array(a, m, j, v):
    # The value shares memory with the target: NumPy reads it all before writing.
    a[m, j] = a[j, m]
    return a


MASK_WRITE_ROWS = [
    (put_mask_then_array, (3, 4), [True, False, True], [1, 3], 7.5),
    (put_mask_then_array, (3, 4), [True, False, True], [1, 3], np.array([1.0, 2.0])),
    (put_mask_then_array, (3, 4), [True, False, True], [[1], [3]], np.array([1.0, 2.0])),
    (put_mask_then_array, (3, 4, 5), [True, False, True], [0, 2], np.arange(5.0)),
    (put_mask_then_array, (3, 4), [False, False, False], [1], np.ones(1)),
    (put_array_then_mask, (3, 4), [True, True, False, True], [0, 2, 2], np.array([1.0, 2.0, 3.0])),
    (put_mask_apart_from_array, (3, 4, 5), [True, False, True], [4, -1], np.arange(8.0).reshape(2, 4)),
    (put_mask_apart_from_array, (3, 4, 5), [True, False, True], [4, -1], 1.0),
    (add_mask_then_array, (3, 4), [True, True, True], [0, 0, 3], 1.0),
    (add_mask_then_array, (3, 4), [True, False, True], [[0], [3]], np.array([[1.0, 2.0], [3.0, 4.0]])),
    (add_mask_apart_from_array, (3, 4, 5), [False, True, True], [0, 3], np.arange(4.0)),
    (swap_by_mask_and_array, (4, 4), [True, False, True, True], [3, 2, 1], 0.0),
]


@pytest.mark.parametrize("f, shape, m, j, v", MASK_WRITE_ROWS, ids=lambda x: getattr(x, "__name__", None))
def test_assignment_through_a_mask_among_index_arrays_as_numpy(f, shape, m, j, v):
    a = values(int(np.prod(shape)), np.float64).reshape(shape)
    check_arrays(f, a, np.array(m, dtype=np.bool_), np.array(j, dtype=np.int64).reshape(np.shape(j)), v)


@pytest.mark.parametrize(
    "f, shape, m, j, v",
    [
        (put_mask_then_array, (3, 4), [True, False], [1], 1.0),
        (put_mask_then_array, (3, 4), [True, False, True], [1, 2, 3], 1.0),
        (put_mask_then_array, (3, 4), [True, False, True], [1, 2], np.ones(3)),
        (put_mask_apart_from_array, (3, 4, 5), [True, False, True], [0, 1], np.ones((4, 2))),
        # NumPy checks the value's shape before the indices.
        (put_mask_then_array, (3, 4), [True, False, True], [1, 9], np.ones(3)),
        (put_mask_then_array, (3, 4), [True, False, True], [1, 9], np.ones(2)),
        (add_mask_then_array, (3, 4), [True, False, True], [0, -5], 1.0),
    ],
    ids=lambda x: getattr(x, "__name__", None),
)
def test_bad_assignments_through_a_mask_among_arrays_raise_as_numpy_before_writing(f, shape, m, j, v):
    a = values(int(np.prod(shape)), np.float64).reshape(shape)
    before = a.copy()
    check_arrays(f, a, np.array(m, dtype=np.bool_), np.array(j, dtype=np.int64), v, exc_msg=True)
    np.testing.assert_array_equal(a, before)


# --- boolean scalars and 0-d boolean index arrays ------------------------------------------------


def at_boolean(a, b):
    return a[b]


def at_boolean_then_array(a, b):
    return a[b, np.arange(3) % 2]


def at_boolean_among_slices(a, b):
    return a[:, b, 1:]


def at_int_then_boolean(a, b):
    return a[1, b]


def at_boolean_twice(a, b):
    return a[b, ..., b]


def at_boolean_then_mask(a, b):
    return a[b, a[:, 0] > a[0, 0]]


# Booleans as NumPy takes them: 0-d boolean arrays, NumPy's booleans, Python's.
BOOLEANS = {
    "0d_true": np.array(True),
    "0d_false": np.array(False),
    "numpy_true": np.True_,
    "python_false": False,
}


@pytest.mark.parametrize("b", BOOLEANS.values(), ids=BOOLEANS.keys())
@pytest.mark.parametrize(
    "f, layout",
    [
        (at_boolean, "2d_C"),
        (at_boolean, "3d_negative"),
        (at_boolean_then_array, "2d_F"),
        (at_boolean_then_array, "3d_T"),
        (at_boolean_among_slices, "2d_strided"),
        (at_boolean_among_slices, "3d_C"),
        (at_int_then_boolean, "3d_F"),
        (at_boolean_twice, "3d_C"),
        (at_boolean_then_mask, "2d_C"),
        (at_boolean, "3d_empty"),
    ],
    ids=lambda x: getattr(x, "__name__", str(x)),
)
def test_boolean_index_adds_an_axis_of_length_1_or_0_as_numpy(f, layout, b):
    # With an array (of shape (3,)), false (shape (0,)) does not broadcast: NumPy's IndexError.
    check_arrays(f, LAYOUTS[layout](np.float64), b, exc_msg=True)


@pytest.mark.parametrize("a", [np.array(2.5), values(1, np.int32).reshape(())], ids=["float", "int32"])
@pytest.mark.parametrize("b", BOOLEANS.values(), ids=BOOLEANS.keys())
def test_boolean_index_of_a_0d_array_as_numpy(a, b):
    check_arrays(at_boolean, a, b)


def put_at_boolean(a, b, v):
    a[b] = v
    return a


def add_at_boolean_among_slices(a, b, v):
    a[:, b, 1:] += v
    return a


@pytest.mark.parametrize("b", BOOLEANS.values(), ids=BOOLEANS.keys())
@pytest.mark.parametrize(
    "f, shape, v",
    [
        (put_at_boolean, (3, 4), 9.0),
        (put_at_boolean, (3, 4), np.arange(4.0)),
        (put_at_boolean, (3, 4), np.ones((2, 4))),
        (add_at_boolean_among_slices, (3, 4), 1.5),
        (add_at_boolean_among_slices, (3, 4, 5), np.arange(5.0)),
    ],
    ids=lambda x: getattr(x, "__name__", None),
)
def test_assignment_through_a_boolean_index_as_numpy(f, shape, v, b):
    check_arrays(f, values(int(np.prod(shape)), np.float64).reshape(shape), b, v, exc_msg=True)


# --- one array: the value's shape in the message ------------------------------------------------


def put_first(a, idx, v):
    a[idx] = v
    return a


def put_second(a, idx, v):
    a[:, idx] = v
    return a


def put_second_apart(a, idx, v):
    a[0, :, idx] = v
    return a


def put_mask(a, m, v):
    a[m] = v
    return a


def put_mask_second(a, m, v):
    a[:, m] = v
    return a


@pytest.mark.parametrize(
    "f, shape, idx, v",
    [
        (put_first, (5,), [0, 1], np.ones(3)),
        (put_first, (4, 5), [0, 1], np.ones((2, 4))),
        (put_first, (4, 5), [[0, 1]], np.ones((3, 5))),
        (put_first, (4, 5), [0, 1], np.ones((3, 1))),
        (put_second, (4, 5), [0, 1], np.ones((3, 4))),
        (put_second, (3, 4, 5), [0, 1, 2], np.ones((2, 5))),
        (put_second_apart, (2, 3, 4), [0, 1], np.ones((3, 3))),
        (put_first, (4, 5), [0, 9], np.ones(3)),
        (put_mask, (4, 5), [True, False, True, True], np.ones((2, 5))),
        (put_mask, (4, 5), [True, False, True, True], np.ones(4)),
        (put_mask_second, (4, 5), [True, False, True, True, False], np.ones((4, 2))),
        # One mask over every axis: NumPy's own path, worded its own way.
        (put_mask, (4, 5), [[True] * 5] * 2 + [[False] * 5] * 2, np.ones(3)),
        (put_mask, (5,), [True, False, True, True, False], np.ones(2)),
        (put_mask, (5,), [True, False, True, True, False], np.ones(1)),
        (put_mask, (2, 2), [[True, True], [False, True]], np.ones(2)),
    ],
    ids=lambda x: getattr(x, "__name__", None),
)
def test_a_value_of_another_shape_names_the_shapes_as_numpy(f, shape, idx, v):
    check_arrays(f, np.zeros(shape), np.array(idx), v, exc_msg=True)


# --- 0-d integer index arrays -----------------------------------------------------------------


def at_zero_dim(a, z):
    return a[z]


def at_zero_dim_then_slice(a, z):
    return a[z, 1:]


def at_slice_then_zero_dim(a, z):
    return a[::-1, z]


def at_zero_dim_twice(a, z):
    return a[z, z]


def at_zero_dim_and_ellipsis(a, z):
    return a[z, ...]


def at_array_and_zero_dim(a, z):
    return a[np.arange(3) % 2, z]


def at_zero_dim_apart_from_array(a, z):
    return a[z, :, np.arange(2)]


@pytest.mark.parametrize("index_dtype", INDEX_DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize(
    "f, layout",
    [
        (at_zero_dim, "2d_C"),
        (at_zero_dim, "2d_F"),
        (at_zero_dim, "3d_F"),
        (at_zero_dim, "3d_negative"),
        (at_zero_dim_then_slice, "2d_strided"),
        (at_slice_then_zero_dim, "3d_T"),
        (at_zero_dim_twice, "2d_negative"),
        (at_zero_dim_twice, "3d_C"),
        (at_zero_dim_and_ellipsis, "3d_C"),
        (at_array_and_zero_dim, "2d_F"),
        (at_array_and_zero_dim, "3d_C"),
        (at_zero_dim_apart_from_array, "3d_T"),
    ],
    ids=lambda x: getattr(x, "__name__", str(x)),
)
def test_zero_dim_index_arrays_read_as_integers_as_numpy(f, layout, index_dtype):
    check_arrays(f, LAYOUTS[layout](np.float64), np.array(2, dtype=index_dtype))


@pytest.mark.parametrize(
    "f, a",
    [
        (at_zero_dim, values(5, np.int32)),
        (at_zero_dim, values(5, np.int32)[::-2]),
        (at_zero_dim_twice, values(12, np.complex128).reshape(3, 4)),
        (at_zero_dim_and_ellipsis, values(12, np.int8).reshape(3, 4)),
    ],
    ids=lambda x: getattr(x, "__name__", None),
)
def test_zero_dim_index_of_every_axis_gives_numpys_scalar_or_0d_array(f, a):
    check_arrays(f, a, np.array(1))


@pytest.mark.parametrize("f", [at_zero_dim, at_zero_dim_then_slice, at_slice_then_zero_dim, at_zero_dim_and_ellipsis], ids=lambda f: f.__name__)
def test_zero_dim_index_arrays_give_copies_as_numpy(f):
    a = values(60, np.float64).reshape(3, 4, 5)
    got, expected = njit(f)(a, np.array(1)), f(a, np.array(1))
    assert np.shares_memory(expected, a) is False
    assert np.shares_memory(got, a) is False


@pytest.mark.parametrize(
    "f, a, z",
    [
        (at_zero_dim, values(5, np.float64), np.array(5)),
        (at_zero_dim, values(5, np.float64), np.array(-6)),
        (at_zero_dim_then_slice, values(12, np.float64).reshape(3, 4), np.array(3, dtype=np.int8)),
        (at_slice_then_zero_dim, values(12, np.float64).reshape(3, 4), np.array(4, dtype=np.uint64)),
        (at_array_and_zero_dim, values(12, np.float64).reshape(3, 4), np.array(-5)),
    ],
    ids=lambda x: getattr(x, "__name__", None),
)
def test_zero_dim_index_out_of_range_is_numpys_index_error(f, a, z):
    # A 0-d index array is an integer: checked with `boundscheck=True`, as integers are.
    check_arrays(f, a, z, exc_msg=True, options={"boundscheck": True})


def put_at_zero_dim(a, z, v):
    a[z] = v
    return a


def add_at_zero_dim(a, z, v):
    a[z, 1:] += v
    return a


@pytest.mark.parametrize(
    "f, a, v",
    [
        (put_at_zero_dim, values(5, np.float64), 9.0),
        (put_at_zero_dim, values(12, np.int16).reshape(3, 4), np.int16(3)),
        (put_at_zero_dim, values(12, np.float64).reshape(3, 4), np.arange(4.0)),
        (add_at_zero_dim, np.asfortranarray(values(12, np.float64).reshape(3, 4)), 1.5),
    ],
    ids=lambda x: getattr(x, "__name__", None),
)
def test_assignment_through_zero_dim_index_arrays_as_numpy(f, a, v):
    check_arrays(f, a, np.array(2), v)


# --- `...` twice ------------------------------------------------------------------------------


def two_ellipses(a):
    return a[..., ...]


def test_two_ellipses_are_refused_with_numpys_message_at_the_users_line():
    with pytest.raises(IndexError, match=r"an index can only have a single ellipsis \('\.\.\.'\)"):
        two_ellipses(np.zeros(3))
    with pytest.raises(ferrojit.errors.TypingError) as info:
        njit(two_ellipses)(np.zeros(3))
    text = str(info.value)
    assert text.startswith("an index can only have a single ellipsis ('...')")
    line = two_ellipses.__code__.co_firstlineno + 1
    assert f'File "{two_ellipses.__code__.co_filename}", line {line}' in text
    assert "return a[..., ...]" in text


# --- `.imag` of a real array ------------------------------------------------------------------


def imaginary_part(a):
    return a.imag


def write_imaginary_part(a):
    a.imag[0] = 1.0


def update_imaginary_part(a):
    b = a.imag
    b += 1


def fill_imaginary_part(a):
    a.imag.fill(1)


@pytest.mark.parametrize("a", [values(5, np.float64), values(12, np.int32).reshape(3, 4).T, np.zeros(0)], ids=["1d", "2d_T_int32", "empty"])
def test_imaginary_part_of_a_real_array_is_numpys_read_only_zeros(a):
    got = njit(imaginary_part)(a)
    check_arrays(imaginary_part, a)
    assert got.flags.writeable is False
    assert a.imag.flags.writeable is False


@pytest.mark.parametrize("f", [write_imaginary_part, update_imaginary_part, fill_imaginary_part], ids=lambda f: f.__name__)
def test_writing_through_imaginary_part_of_a_real_array_is_refused(f):
    with pytest.raises(ValueError, match="read-only"):
        f(np.zeros(3))
    with pytest.raises(ferrojit.errors.TypingError, match="read-only"):
        njit(f)(np.zeros(3))


# --- memory -----------------------------------------------------------------------------------


def test_no_leaks_over_many_calls_including_raising_ones():
    a = values(60, np.float64).reshape(3, 4, 5)
    i, j = np.array([[0], [2]]), np.array([1, 3, 0])
    reads, puts, zero_dim = njit(pair_apart), njit(put_pair), njit(boundscheck=True)(at_zero_dim_then_slice)
    adds, put_one, imaginary = njit(add_pair), njit(put_second), njit(imaginary_part)
    by_mask, by_2d_mask, put_by_mask = njit(mask_apart_from_array), njit(mask_then_array), njit(put_mask_then_array)
    add_by_mask, by_boolean, put_by_boolean = njit(add_mask_then_array), njit(at_boolean_then_array), njit(put_at_boolean)
    m, m2 = np.array([True, False, True]), np.array([[True, False, True, True]] * 3)
    calls = [
        lambda: reads(a, i, j),
        lambda: puts(a, i, j, np.ones(5)),
        lambda: adds(a, i, j, 1.0),
        lambda: zero_dim(a, np.array(1)),
        lambda: imaginary(a),
        lambda: by_mask(a, m, i),
        lambda: by_2d_mask(a, m2, np.array([4])),
        lambda: put_by_mask(a, m, i, np.ones(5)),
        lambda: add_by_mask(a, m, i, 1.0),
        lambda: by_boolean(a, np.array(True)),
        lambda: put_by_boolean(a, False, np.ones(5)),
    ]
    raising = [
        (IndexError, lambda: reads(a, np.array([0, 1]), np.array([0, 1, 2]))),
        (IndexError, lambda: reads(a, np.array([0, 7]), np.array([0, 1]))),
        (ValueError, lambda: puts(a, i, j, np.ones((4, 5)))),
        (IndexError, lambda: puts(a, np.array([0, 7]), np.array([0, 1]), np.ones(5))),
        (ValueError, lambda: put_one(a, np.array([0, 1]), np.ones((4, 5)))),
        (IndexError, lambda: zero_dim(a, np.array(3))),
        # Raised once the mask's nonzero() is made or while it is: a mask of the wrong length
        # along its second axis, arrays that do not broadcast, an index out of range, a value of the wrong shape.
        (IndexError, lambda: by_2d_mask(a, np.ones((3, 3), dtype=np.bool_), np.array([4]))),
        (IndexError, lambda: by_mask(a, m, np.array([0, 1, 2]))),
        (IndexError, lambda: by_mask(a, m, np.array([0, 5]))),
        (ValueError, lambda: put_by_mask(a, m, i, np.ones((3, 5)))),
        (IndexError, lambda: add_by_mask(a, m, np.array([[0], [9]]), 1.0)),
        (IndexError, lambda: by_boolean(a, False)),
    ]
    for call in calls:
        call()
    for error, call in raising:
        with pytest.raises(error):
            call()
    before = ferrojit._native.live_allocations()
    for _ in range(100):
        for call in calls:
            call()
        for error, call in raising:
            with pytest.raises(error):
                call()
    assert ferrojit._native.live_allocations() == before
