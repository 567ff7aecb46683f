"""Indexing with arrays, against NumPy: boolean masks (read, write, in-place) and integer
indices along the first axis (read, write), over dtypes and layouts; errors; memory."""

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


def positives(a):
    return a[a > 0]


def by_mask(a, m):
    return a[m]


def zero_negatives(a):
    a[a < 0] = 0
    return a


def copy_selected(a, b):
    m = b > 2
    a[m] = b[m]
    return a


def add_to_selected(a):
    a[a > 1] += 10
    return a


def take(a, idx):
    return a[idx]


def put(a, idx, v):
    a[idx] = v
    return a


def gathered_expression(a, idx):
    return (a[idx] * 2).sum()


LAYOUTS = {
    "C": lambda dt: values(12, dt),
    "reversed": lambda dt: values(24, dt)[::-2],
    "2d_C": lambda dt: values(12, dt).reshape(3, 4),
    "2d_F": lambda dt: np.asfortranarray(values(12, dt).reshape(3, 4)),
    "2d_T": lambda dt: values(12, dt).reshape(3, 4).T,
    "empty": lambda dt: values(0, dt),
}
DTYPES = [np.float64, np.float32, np.int64, np.int8, np.uint16, np.complex128, np.bool_]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_boolean_masks_read_and_write_as_numpy(dtype, layout):
    a = LAYOUTS[layout](dtype)
    if np.dtype(dtype).kind != "c":
        check_arrays(positives, a)
        if a.ndim <= 2:
            check_arrays(zero_negatives, a.copy() if layout != "2d_T" else a)
    m = (np.arange(a.size) % 3 == 0).reshape(a.shape)
    check_arrays(by_mask, a, m)


@pytest.mark.parametrize("dtype", [np.float64, np.int32], ids=lambda d: np.dtype(d).name)
def test_masks_assign_arrays_and_update_in_place(dtype):
    check_arrays(copy_selected, np.zeros(6, dtype=dtype), values(6, dtype))
    check_arrays(copy_selected, np.zeros((2, 3), dtype=dtype), values(6, dtype).reshape(2, 3))
    check_arrays(add_to_selected, values(8, dtype))


@pytest.mark.parametrize(
    "a, idx",
    [
        (values(8, np.float64), np.array([3, 0, -1, 3])),
        (values(8, np.int16)[::-1], np.array([7, 1], dtype=np.int32)),
        (values(12, np.float32).reshape(4, 3), np.array([2, -4, 0])),
        (np.asfortranarray(values(12, np.int64).reshape(4, 3)), np.array([1, 1])),
        (values(8, np.float64), np.array([], dtype=np.int64)),
        (values(8, np.float64), np.array([8])),
        (values(8, np.float64), np.array([-9])),
    ],
    ids=lambda x: getattr(x, "__name__", str(x)),
)
def test_integer_indices_select_as_numpy(a, idx):
    check_arrays(take, a, idx)


@pytest.mark.parametrize(
    "idx, v",
    [(np.array([1, 3]), 5.0), (np.array([1, -1]), np.array([7.0, 8.0])), (np.array([0, 2]), np.array([9.0])), (np.array([4]), 1.0)],
    ids=lambda x: getattr(x, "__name__", str(x)),
)
def test_integer_indices_assign_as_numpy(idx, v):
    check_arrays(put, np.zeros(4), idx, v)


def test_mask_of_another_shape_is_an_index_error():
    with pytest.raises(IndexError):
        njit(by_mask)(np.zeros(3), np.ones(4, dtype=bool))
    with pytest.raises(IndexError):
        by_mask(np.zeros(3), np.ones(4, dtype=bool))


def test_gathered_values_in_expressions_and_no_leaks():
    a, idx = values(8, np.float64), np.array([1, 2, 5])
    check_arrays(gathered_expression, a, idx)
    f, g = njit(gathered_expression), njit(positives)
    f(a, idx), g(a)
    before = ferrojit._native.live_allocations()
    for _ in range(200):
        f(a, idx)
        g(a)
    assert ferrojit._native.live_allocations() == before


# --- one integer array on any axis, among integers, slices, None and `...` -------------------

# Arrays of every layout, by name: (maker of an array of `dtype`). Each has at least 3 elements
# along every axis an index array indexes below, except the empty ones, whose first axis is 0.
SHAPED = {
    "1d": lambda dt: values(5, dt),
    "1d_reversed": lambda dt: values(10, dt)[::-2],
    "2d_C": lambda dt: values(12, dt).reshape(3, 4),
    "2d_F": lambda dt: np.asfortranarray(values(12, dt).reshape(3, 4)),
    "2d_strided": lambda dt: values(48, dt).reshape(6, 8)[::2, 1::2],
    "2d_negative": lambda dt: values(12, dt).reshape(3, 4)[::-1, ::-1],
    "2d_empty": lambda dt: values(0, dt).reshape(0, 4),
    "3d_C": lambda dt: values(60, dt).reshape(3, 4, 5),
    "3d_F": lambda dt: np.asfortranarray(values(60, dt).reshape(3, 4, 5)),
    "3d_T": lambda dt: values(60, dt).reshape(5, 4, 3).T,
    "3d_empty": lambda dt: values(0, dt).reshape(0, 3, 4),
}


def first_axis(a, idx):
    return a[idx]


def second_axis(a, idx):
    return a[:, idx]


def int_then_array(a, idx):
    return a[-1, idx]


def array_then_slice(a, idx):
    return a[idx, 1:3]


def slice_array_step(a, idx):
    return a[1:, idx, ::2]


def last_axis(a, idx):
    return a[..., idx]


def int_slice_array(a, idx):
    # The integer and the array are apart: NumPy puts the index dimensions first.
    return a[0, :, idx]


def new_axis_then_array(a, idx):
    return a[None, :, idx]


def array_then_new_axis(a, idx):
    return a[idx, None]


def gathered_then_summed(a, idx):
    return (a[:, idx] * 2).sum()


SUBSCRIPTS = {
    # subscript function -> the array dimensions it applies to, and whether it indexes axis 0
    first_axis: ((1, 2, 3), True),
    second_axis: ((2, 3), False),
    int_then_array: ((2, 3), False),
    array_then_slice: ((2, 3), True),
    slice_array_step: ((3,), False),
    last_axis: ((1, 2, 3), False),
    int_slice_array: ((3,), False),
    new_axis_then_array: ((2, 3), False),
    array_then_new_axis: ((1, 2, 3), True),
}

READ_CASES = [
    (f, layout)
    for f, (dims, on_first_axis) in SUBSCRIPTS.items()
    for layout in SHAPED
    if int(layout[0]) in dims and not ("empty" in layout and (on_first_axis or f in (int_then_array, int_slice_array)))
]
INDEX_DTYPES = [np.int64, np.int8, np.uint8, np.int32, np.uint64]


# Every subscript over every layout in float64; the other dtypes over a few layouts.
READ_ROWS = [(f, layout, np.float64) for f, layout in READ_CASES] + [
    (f, layout, dtype)
    for f, layout in READ_CASES
    if layout in ("1d_reversed", "2d_F", "3d_T")
    for dtype in (np.int16, np.complex64, np.bool_)
]


@pytest.mark.parametrize("f, layout, dtype", READ_ROWS, ids=lambda v: v.__name__ if callable(v) else str(v))
def test_integer_array_on_one_axis_reads_as_numpy(f, layout, dtype):
    check_arrays(f, SHAPED[layout](dtype), np.array([2, 0, -1, 1, 2]))


@pytest.mark.parametrize("index_dtype", INDEX_DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("f", [first_axis, second_axis, int_slice_array, gathered_then_summed], ids=lambda f: f.__name__)
def test_index_arrays_of_every_integer_dtype(f, index_dtype):
    check_arrays(f, SHAPED["3d_C"](np.float32), np.array([2, 0, 1, 2], dtype=index_dtype))


@pytest.mark.parametrize(
    "f, a, idx",
    [
        (first_axis, values(6, np.int64), np.array([[0, -1], [2, 3], [5, 5]])),
        (first_axis, values(12, np.float64).reshape(4, 3), np.array([[3, 0]])),
        (second_axis, values(12, np.float64).reshape(3, 4), np.array([[1, 2], [3, -4]])),
        (int_slice_array, values(24, np.int32).reshape(2, 3, 4), np.array([[0], [3]])),
        (first_axis, values(6, np.int64), np.zeros((2, 0), dtype=np.int64)),
        (second_axis, values(12, np.float64).reshape(3, 4), np.array([], dtype=np.int64)),
        (first_axis, values(12, np.int8).reshape(4, 3), np.asfortranarray(np.array([[0, 1, 2], [3, -1, -2]]))),
        (last_axis, values(12, np.int8).reshape(4, 3), np.array([0, 1, 2, 1, 0, 2])[::-2]),
        (second_axis, values(24, np.float32).reshape(2, 3, 4), np.array([[0, 1, 2], [2, 1, 0]]).T),
        # NumPy converts uint64 index arrays to int64 as C does: 2**64 - 1 is -1.
        (first_axis, values(5, np.float64), np.array([2**64 - 1, 0, 2**64 - 5], dtype=np.uint64)),
        (second_axis, values(12, np.float64).reshape(3, 4), np.array([[2**64 - 2]], dtype=np.uint64)),
    ],
    ids=lambda x: getattr(x, "__name__", str(x)),
)
def test_index_arrays_of_several_dimensions_and_empty(f, a, idx):
    check_arrays(f, a, idx)


@pytest.mark.parametrize(
    "f, a, idx",
    [
        (first_axis, values(3, np.float64), np.array([0, 3])),
        (first_axis, values(3, np.float64), np.array([-4, 0])),
        (second_axis, values(12, np.float64).reshape(3, 4), np.array([1, 7, 0])),
        (second_axis, values(12, np.float64).reshape(3, 4), np.array([-5])),
        (int_slice_array, values(24, np.float64).reshape(2, 3, 4), np.array([9])),
        (slice_array_step, values(24, np.float64).reshape(2, 3, 4), np.array([0, 3])),
        (new_axis_then_array, values(12, np.float64).reshape(3, 4), np.array([4])),
        (second_axis, values(12, np.float64).reshape(3, 4), np.array([7], dtype=np.uint8)),
        (first_axis, values(12, np.float64).reshape(3, 4), np.array([[0, 1], [2, 3]])),
        # 2**63 and more are negative as int64, as NumPy names them.
        (first_axis, values(3, np.float64), np.array([0, 2**63], dtype=np.uint64)),
        (second_axis, values(12, np.float64).reshape(3, 4), np.array([2**64 - 5], dtype=np.uint64)),
    ],
    ids=lambda x: getattr(x, "__name__", str(x)),
)
def test_out_of_range_index_is_numpys_index_error(f, a, idx):
    check_arrays(f, a, idx, exc_msg=True)


def put_second_axis(a, idx, v):
    a[:, idx] = v
    return a


def put_first_axis(a, idx, v):
    a[idx] = v
    return a


def put_int_then_array(a, idx, v):
    a[1, idx] = v
    return a


def put_array_then_slice(a, idx, v):
    a[idx, 1:3] = v
    return a


def put_slice_array_step(a, idx, v):
    a[1:, idx, ::2] = v
    return a


def put_int_slice_array(a, idx, v):
    a[0, :, idx] = v
    return a


def add_second_axis(a, idx):
    a[:, idx] += 1
    return a


def add_last_axis(a, idx, v):
    a[..., idx] += v
    return a


def scale_first_axis(a, idx):
    a[idx] *= 3
    return a


@pytest.mark.parametrize(
    "f, shape, idx, v",
    [
        (put_second_axis, (3, 4), [1, -1], 7),
        (put_second_axis, (3, 4), [1, -1], 2.5),
        (put_second_axis, (3, 4), [1, -1], np.array([7, 8])),
        (put_second_axis, (3, 4), [1, -1], np.array([[7], [8], [9]])),
        (put_second_axis, (3, 4), [1, -1], np.arange(6.0).reshape(3, 2)),
        (put_second_axis, (3, 4), [1, -1], np.arange(6.0).reshape(3, 2).T.copy().T),
        (put_second_axis, (3, 4), [1, -1], np.arange(2.0).reshape(1, 2)),
        (put_second_axis, (2, 3, 4), [2, 0], np.arange(8).reshape(2, 4)),
        (put_second_axis, (3, 4), [2, 2], np.array([5, 6])),
        (put_second_axis, (3, 4), [], 1),
        (put_first_axis, (5,), [4, 0, -2], np.array([1, 2, 3])),
        (put_first_axis, (3, 4), [2, 0], np.arange(4)),
        (put_first_axis, (3, 4), [[2], [0]], 9),
        (put_first_axis, (3, 4), [[2, 1], [0, 0]], np.arange(16).reshape(2, 2, 4)),
        (put_first_axis, (4,), [[3, 1]], np.array([[5], [6]])[:1]),
        (put_int_then_array, (3, 4), [0, 3], np.array([1, 2])),
        (put_int_then_array, (2, 3, 4), [0, 2], np.arange(8).reshape(2, 4)),
        (put_array_then_slice, (3, 4), [2, 0], np.array([[1, 2], [3, 4]])),
        (put_array_then_slice, (3, 4), [2, 0], np.array([1, 2])),
        (put_slice_array_step, (3, 4, 5), [3, -3], np.arange(3)),
        (put_slice_array_step, (3, 4, 5), [3, -3], np.arange(12).reshape(2, 2, 3)),
        (put_int_slice_array, (2, 3, 4), [3, 0], np.arange(6).reshape(2, 3)),
        (put_int_slice_array, (2, 3, 4), [3, 0], np.arange(3)),
    ],
    ids=lambda x: getattr(x, "__name__", str(x)),
)
@pytest.mark.parametrize("dtype", [np.float64, np.int32, np.complex128], ids=lambda d: np.dtype(d).name)
def test_assignment_through_an_integer_array_as_numpy(f, shape, idx, v, dtype):
    a = values(int(np.prod(shape)), dtype).reshape(shape)
    check_arrays(f, a, np.array(idx, dtype=np.int64), v)


@pytest.mark.parametrize("layout", ["2d_C", "2d_F", "2d_strided", "2d_negative", "2d_empty", "3d_T", "3d_F"])
def test_assignment_and_update_in_place_over_layouts(layout):
    check_arrays(put_second_axis, SHAPED[layout](np.float64), np.array([2, 0, -1]), -3.0)
    check_arrays(add_second_axis, SHAPED[layout](np.int64), np.array([2, 0, 1]))
    check_arrays(add_last_axis, SHAPED[layout](np.float32), np.array([1, -1]), 0.5)
    if "empty" not in layout:
        check_arrays(scale_first_axis, SHAPED[layout](np.int16), np.array([0, 2]))


@pytest.mark.parametrize(
    "f, shape, idx, v",
    [
        # NumPy checks every index before writing anything: the array stays as it was.
        (put_second_axis, (3, 4), [0, 4], 1.0),
        (put_second_axis, (3, 4), [0, -5], np.array([1.0, 2.0])),
        (put_first_axis, (4,), [1, 2, 9], np.array([1.0, 2.0, 3.0])),
        (put_int_slice_array, (2, 3, 4), [0, 4], 5.0),
    ],
    ids=lambda x: getattr(x, "__name__", str(x)),
)
def test_assignment_out_of_range_raises_before_writing(f, shape, idx, v):
    check_arrays(f, np.zeros(shape), np.array(idx), v, exc_msg=True)


@pytest.mark.parametrize(
    "f, shape, idx, v",
    [
        (put_second_axis, (3, 4), [0, 1], np.array([1.0, 2.0, 3.0])),
        (put_second_axis, (3, 4), [0, 1], np.ones((2, 2))),
        (put_first_axis, (4,), [1, 2], np.array([1.0, 2.0, 3.0])),
        (put_first_axis, (3, 4), [[0, 1]], np.ones((3, 4))),
    ],
    ids=lambda x: getattr(x, "__name__", str(x)),
)
def test_value_of_another_shape_is_a_value_error(f, shape, idx, v):
    # NumPy's class and message, which names both shapes.
    check_arrays(f, np.zeros(shape), np.array(idx), v, exc_msg=True)


# --- boolean masks over some dimensions, or along one axis ------------------------------------


def mask_first(a, m):
    return a[m]


def mask_second(a, m):
    return a[:, m]


def mask_after_int(a, m):
    return a[1, m]


def mask_last(a, m):
    return a[..., m]


def mask_int_apart(a, m):
    return a[0, :, m]


def fill_mask_first(a, m):
    a[m] = 0
    return a


def put_mask_second(a, m, v):
    a[:, m] = v
    return a


def add_mask_first(a, m):
    a[m] += 1
    return a


def add_mask_last(a, m):
    a[..., m] -= 2
    return a


def rows_of(shape, pattern):
    """A boolean mask of `shape` whose elements follow `pattern` (0 or 1 per element, cycled)."""
    return (np.resize(np.array(pattern), int(np.prod(shape))) == 1).reshape(shape)


MASK_LAYOUTS = ["2d_C", "2d_F", "2d_strided", "2d_negative", "3d_C", "3d_F", "3d_T"]


@pytest.mark.parametrize("f, axis", [(mask_first, 0), (mask_second, 1), (mask_after_int, 1), (mask_last, -1)], ids=lambda v: getattr(v, "__name__", str(v)))
@pytest.mark.parametrize("layout", MASK_LAYOUTS)
def test_mask_along_one_axis_reads_as_numpy(f, axis, layout):
    for dtype in (np.float64, np.uint8):
        a = SHAPED[layout](dtype)
        check_arrays(f, a, rows_of(a.shape[axis], [1, 0, 1, 1]))


@pytest.mark.parametrize(
    "f, a, m",
    [
        (mask_first, values(24, np.int32).reshape(2, 3, 4), rows_of((2, 3), [0, 1, 1])),
        (mask_first, values(24, np.float64).reshape(4, 3, 2).T, rows_of((2, 3), [1, 0])),
        (mask_last, values(24, np.int32).reshape(2, 3, 4), rows_of((3, 4), [0, 1, 1, 0, 1])),
        (mask_int_apart, values(24, np.int32).reshape(2, 3, 4), rows_of(4, [1, 0])),
        (mask_first, values(24, np.float64).reshape(2, 3, 4), np.zeros((2, 3), dtype=bool)),
        (mask_first, values(0, np.float64).reshape(0, 3), np.zeros(0, dtype=bool)),
        (mask_second, values(12, np.float64).reshape(3, 4)[:, ::-1], rows_of(4, [1, 1, 0])[::-1]),
        (mask_first, values(12, np.complex128).reshape(3, 4), rows_of(3, [1, 0])),
    ],
    ids=lambda x: getattr(x, "__name__", str(x)),
)
def test_masks_of_fewer_dimensions_read_as_numpy(f, a, m):
    check_arrays(f, a, m)


@pytest.mark.parametrize(
    "f, a, m",
    [
        (mask_first, values(12, np.float64).reshape(3, 4), rows_of(4, [1])),
        (mask_first, values(12, np.float64).reshape(3, 4), rows_of(2, [1])),
        (mask_second, values(12, np.float64).reshape(3, 4), rows_of(3, [1])),
        (mask_first, values(24, np.float64).reshape(2, 3, 4), rows_of((2, 4), [1])),
        (mask_last, values(24, np.float64).reshape(2, 3, 4), rows_of((3, 5), [1])),
        (fill_mask_first, values(12, np.float64).reshape(3, 4), rows_of(2, [1])),
        (put_mask_second, values(12, np.float64).reshape(3, 4), rows_of(5, [1])),
    ],
    ids=lambda x: getattr(x, "__name__", str(x)),
)
def test_mask_of_the_wrong_shape_is_numpys_index_error(f, a, m):
    args = (a, m, 1.0) if f is put_mask_second else (a, m)
    check_arrays(f, *args, exc_msg=True)


@pytest.mark.parametrize(
    "f, shape, m, v",
    [
        (fill_mask_first, (3, 4), [1, 0, 1], None),
        (fill_mask_first, (2, 3, 4), [[1, 0, 1], [0, 0, 1]], None),
        (add_mask_first, (3, 4), [0, 1, 1], None),
        (add_mask_first, (2, 3, 4), [[1, 0, 1], [0, 0, 1]], None),
        (add_mask_last, (3, 4), [0, 1, 1, 1], None),
        (put_mask_second, (3, 4), [1, 0, 0, 1], 7),
        (put_mask_second, (3, 4), [1, 0, 0, 1], np.array([5, 6])),
        (put_mask_second, (3, 4), [1, 0, 0, 1], np.arange(6).reshape(3, 2)),
        (put_mask_second, (3, 4), [1, 0, 0, 1], np.arange(3).reshape(3, 1)),
        (put_mask_second, (2, 3, 4), [0, 1, 1], np.arange(8).reshape(2, 1, 4)),
        (put_mask_second, (3, 4), [0, 0, 0, 0], 1),
        # Values of another shape: NumPy's ValueError, nothing written.
        (put_mask_second, (3, 4), [1, 0, 0, 1], np.array([5, 6, 7])),
    ],
    ids=lambda x: getattr(x, "__name__", str(x)),
)
@pytest.mark.parametrize("layout", ["C", "F", "reversed"])
def test_assignment_through_masks_as_numpy(f, shape, m, v, layout):
    a = values(int(np.prod(shape)), np.float64).reshape(shape)
    a = {"C": a, "F": np.asfortranarray(a), "reversed": a[::-1]}[layout]
    m = np.array(m) == 1
    args = (a, m) if v is None else (a, m, v)
    check_arrays(f, *args)


# --- `...` ------------------------------------------------------------------------------------


def whole(a):
    return a[...]


def last_element_axis(a):
    return a[..., 0]


def first_then_rest(a):
    return a[0, ...]


def new_last_axis(a):
    return a[..., None]


def slice_after_ellipsis(a):
    return a[..., 1:, None]


def every_axis_named(a):
    # An integer per axis with `...`: NumPy gives a 0-dimensional array, not a scalar.
    return a[0, ..., -1]


def fill_all(a):
    a[...] = 0
    return a


def fill_last_column(a):
    a[..., -1] = 5
    return a


def add_to_first_rows(a):
    a[:1, ...] += 2
    return a


def placeholder_statement(a):
    ...
    return a.sum()


ELLIPSIS_FUNCS = [whole, last_element_axis, first_then_rest, new_last_axis, slice_after_ellipsis, fill_all, fill_last_column, add_to_first_rows, placeholder_statement]


@pytest.mark.parametrize("f", ELLIPSIS_FUNCS + [every_axis_named], ids=lambda f: f.__name__)
@pytest.mark.parametrize("layout", ["1d", "1d_reversed", "2d_C", "2d_F", "2d_negative", "3d_T", "2d_empty"])
def test_ellipsis_as_numpy(f, layout):
    a = SHAPED[layout](np.int32)
    if (a.size == 0 and f in (first_then_rest, every_axis_named)) or (a.ndim == 1 and f is every_axis_named):
        pytest.skip("an integer index into an empty axis, or more integers than axes")
    check_arrays(f, a)


@pytest.mark.parametrize("layout", ["1d", "2d_C", "3d_F", "3d_T"])
def test_ellipsis_with_an_index_array(layout):
    check_arrays(last_axis, SHAPED[layout](np.float64), np.array([-1, 0, 2]))
    check_arrays(add_last_axis, SHAPED[layout](np.float64), np.array([1, 1, 0]), np.float64(3.5))


def test_a_second_ellipsis_is_rejected_clearly():
    def two(a):
        return a[..., 0, ...]

    with pytest.raises(ferrojit.errors.TypingError, match="single ellipsis"):
        njit(two)(np.zeros((2, 2)))


def test_ellipsis_outside_a_subscript_is_rejected_clearly():
    def bound(a):
        x = ...
        return a

    with pytest.raises(ferrojit.errors.UnsupportedError, match="only supported as an item of an array subscript"):
        njit(bound)(np.zeros(2))


# --- memory -----------------------------------------------------------------------------------


def gather_in_expression(a, idx, m):
    return (a[:, idx] + a[m][:, :1].sum()).sum() + a[..., idx][0, 0]


def update_through_indices(a, idx, m):
    a[:, idx] += a[:, idx] * 2
    a[m] -= 1
    a[..., idx] = a[0, idx]
    return a


def gather_fails_midway(a, idx):
    b = a[:, idx]
    return b.sum()


@pytest.mark.parametrize(
    "f, args",
    [
        (gather_in_expression, (values(12, np.float64).reshape(3, 4), np.array([0, 2, -1]), np.array([True, False, True]))),
        (update_through_indices, (values(12, np.float64).reshape(3, 4), np.array([0, 2, -1]), np.array([True, False, True]))),
        (gather_fails_midway, (values(12, np.float64).reshape(3, 4), np.array([0, 2, 9]))),
        (put_second_axis, (values(12, np.float64).reshape(3, 4), np.array([0, 2, 9]), np.ones(3))),
        (put_second_axis, (values(12, np.float64).reshape(3, 4), np.array([0, 2]), np.ones(5))),
        (mask_first, (values(24, np.float64).reshape(2, 3, 4), np.ones((2, 2), dtype=bool))),
        (add_mask_first, (values(12, np.float64).reshape(3, 4), np.ones(4, dtype=bool))),
        (int_slice_array, (values(24, np.float64).reshape(2, 3, 4), np.array([[0, 1], [2, 4]]))),
    ],
    ids=lambda v: v.__name__ if callable(v) else "",
)
def test_indexing_with_arrays_leaks_nothing(f, args):
    cfunc = njit(f)

    def run():
        try:
            cfunc(*[x.copy() if isinstance(x, np.ndarray) else x for x in args])
        except (IndexError, ValueError):
            pass

    run()
    before = ferrojit._native.live_allocations()
    for _ in range(50):
        run()
    assert ferrojit._native.live_allocations() == before


def put_reversed_through_indices(a, idx):
    a[idx] = a[::-1]
    return a


def put_reversed_columns(a, idx):
    a[:, idx] = a[:, ::-1]
    return a


def put_reversed_through_mask(a, m):
    a[m] = a[::-1]
    return a


def put_own_rows(a, idx):
    a[idx] = a
    return a


@pytest.mark.parametrize(
    "f, a, index",
    [
        # Through integer indices NumPy reads every value before writing.
        (put_reversed_through_indices, np.arange(5.0), np.arange(5)),
        (put_reversed_columns, np.arange(8).reshape(2, 4), np.array([0, 1, 2, 3])),
        (put_own_rows, np.arange(12.0).reshape(4, 3), np.array([3, 2, 1, 0])),
        # Through a mask NumPy writes as it reads.
        (put_reversed_through_mask, np.arange(5.0), np.ones(5, dtype=bool)),
    ],
    ids=lambda v: v.__name__ if callable(v) else "",
)
def test_values_sharing_memory_with_the_target_as_numpy(f, a, index):
    check_arrays(f, a, index)
