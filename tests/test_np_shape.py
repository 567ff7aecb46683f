"""NumPy's functions that join, reorder and reshape arrays (ferrojit._lib.shape) against NumPy:
each row is a function and its arguments; the compiled result must have NumPy's dtype, shape,
values and C/F-contiguity, and be a view of an argument exactly when NumPy's is (the functions
returning views return views, the others new arrays). Errors raise NumPy's exception class.
Arguments sweep the dtypes and the layouts (C, Fortran, strided, reversed, transposed, empty,
0-d); axes are given as constants and as values known only when the call runs."""
import gc

import numpy as np
import pytest

import ferrojit
from ferrojit import _native
from ferrojit.errors import TypingError, UnsupportedError
from array_cases import ALL_DTYPES, dtype_id, values
from test_arrays_create_forms import arrays_in
from helpers import _assert_raises_like, _run_python_quiet, assert_same_value, case_id, to_python


_compiled = {}


def check_shape(func, *args, flags=True, rel=None):
    """The compiled ``func`` against NumPy's: same values and types, same C/F flags (unless
    ``flags`` is False: NumPy's order follows its indexing machinery), and each array returned
    shares memory with the arguments exactly when NumPy's does. Values are equal, or within the
    relative tolerance ``rel`` where the caller states why."""
    # One dispatcher per function: rows of the same argument types compile once.
    cfunc = _compiled.get(func) or _compiled.setdefault(func, ferrojit.njit(func))
    # These functions write into no argument: NumPy gets the very arrays (their layouts).
    py_args = args
    try:
        expected = _run_python_quiet(func, *py_args)
    except Exception as exc:  # noqa: BLE001 - the compiled function must raise the same class
        return _assert_raises_like(exc, False, cfunc, *args)
    got = cfunc(*args)
    assert_same_value(got, to_python(expected), rel=rel)
    for g, e in zip(arrays_in(got), arrays_in(expected), strict=True):
        shares = [any(np.shares_memory(x, a) for a in arrays_in(args_)) for x, args_ in ((g, args), (e, py_args))]
        assert shares[0] == shares[1], "a view where NumPy copies, or a copy where NumPy gives a view"
        # A new array NumPy lays out in neither order (stacking Fortran-ordered arrays) is
        # made in C order.
        if flags and (shares[1] or e.flags.c_contiguous or e.flags.f_contiguous):
            assert (g.flags.c_contiguous, g.flags.f_contiguous) == (e.flags.c_contiguous, e.flags.f_contiguous), (g.strides, e.strides)
    return got


def grid(dtype=np.float64, shape=(2, 3), order="C"):
    return np.array(values(int(np.prod(shape)), dtype).reshape(shape), order=order)


# Arrays of several layouts, by name.
LAYOUTS = {
    "C": lambda dt: grid(dt),
    "F": lambda dt: grid(dt, order="F"),
    "T": lambda dt: grid(dt, (3, 2)).T,
    "strided": lambda dt: grid(dt, (4, 3))[::2],
    "reversed": lambda dt: grid(dt)[::-1, ::-1],
}


def concatenate_0(a, b):
    return np.concatenate((a, b))


def concatenate_1(a, b):
    return np.concatenate((a, b), axis=1)


def concatenate_last_of_three(a, b):
    return np.concatenate((a, b, a), axis=-1)


def concatenate_flat(a, b):
    return np.concatenate((a, b), axis=None)


def concatenate_float32(a, b):
    return np.concatenate((a, b), dtype=np.float32)


def concatenate_unsafe_int8(a, b):
    return np.concatenate((a, b), dtype=np.int8, casting="unsafe")


def concatenate_int8_refused(a, b):
    return np.concatenate((a, b), dtype=np.int8)


def stack_0(a, b):
    return np.stack((a, b))


def stack_last(a, b):
    return np.stack((a, b), axis=-1)


def stack_1(a, b):
    return np.stack((a, b, b), 1)


def hstack(a, b):
    return np.hstack((a, b))


def vstack(a, b):
    return np.vstack((a, b))


def dstack(a, b):
    return np.dstack((a, b))


def column_stack(a, b):
    return np.column_stack((a, b))


def hstack_rows(a, b):
    return np.hstack((a[0], b[1]))


def vstack_rows(a, b):
    return np.vstack((a[0], b[1]))


def dstack_rows(a, b):
    return np.dstack((a[0], b[1]))


def column_stack_rows(a, b):
    return np.column_stack((a[0], b[1]))


def concatenate_rows_to_columns(a, b):
    return np.concatenate((a, b[:, :2]))


JOIN_FUNCS = [
    concatenate_0, concatenate_1, concatenate_last_of_three, concatenate_flat, concatenate_float32, concatenate_unsafe_int8,
    concatenate_int8_refused, stack_0, stack_last, stack_1, hstack, vstack, dstack, column_stack, hstack_rows, vstack_rows,
    dstack_rows, column_stack_rows, concatenate_rows_to_columns,
]
JOIN_ARGS = [
    ("float64 C + int32 C", grid(), grid(np.int32)),
    ("F + F", grid(order="F"), grid(order="F")),
    ("F + C", grid(np.int16, order="F"), grid(np.uint8)),
    ("bool T + complex64 reversed", LAYOUTS["T"](np.bool_), LAYOUTS["reversed"](np.complex64)),
    ("uint64 strided + int64", LAYOUTS["strided"](np.uint64), grid(np.int64)),
    ("empty rows", grid()[:, :0], grid()[:, :0]),
]


@pytest.mark.parametrize("name, a, b", JOIN_ARGS, ids=[r[0] for r in JOIN_ARGS])
@pytest.mark.parametrize("func", JOIN_FUNCS, ids=case_id)
def test_joining_matches_numpy(func, name, a, b):
    check_shape(func, a, b)


def concatenate_at(a, b, axis):
    return np.concatenate((a, b), axis)


def stack_at(a, b, axis):
    return np.stack((a, b), axis)


def expand_dims_at(a, b, axis):
    return np.expand_dims(a, axis)


def squeeze_at(a, b, axis):
    return np.squeeze(np.expand_dims(a, axis), axis)


def flip_at(a, b, axis):
    return np.flip(a, axis)


def swapaxes_at(a, b, axis):
    return np.swapaxes(a, axis, -1)


def moveaxis_at(a, b, axis):
    return np.moveaxis(a, axis, 0)


def rot90_turns(a, b, k):
    return np.rot90(a, k)


def rot90_turns_other_axes(a, b, k):
    return np.rot90(a, k, (1, 0))


@pytest.mark.parametrize("axis", [0, -1, 2, -3])
@pytest.mark.parametrize("layout", ["C", "F", "reversed"])
@pytest.mark.parametrize("func", [concatenate_at, stack_at, expand_dims_at, squeeze_at, flip_at, swapaxes_at, moveaxis_at, rot90_turns, rot90_turns_other_axes], ids=case_id)
def test_axis_given_when_the_call_runs(func, layout, axis):
    a = LAYOUTS[layout](np.float64)
    check_shape(func, a, a.copy(), axis)


def expand_dims_0(a):
    return np.expand_dims(a, 0)


def expand_dims_last(a):
    return np.expand_dims(a, -1)


def expand_dims_1(a):
    return np.expand_dims(a, axis=1)


def expand_dims_pair(a):
    return np.expand_dims(a, (0, -1))


def expand_dims_pair_inner(a):
    return np.expand_dims(a, (2, 1))


def expand_dims_repeated(a):
    return np.expand_dims(a, (1, 1))


def squeeze_0(a):
    return np.squeeze(a[None], 0)


def squeeze_method(a):
    return a[:, None].squeeze(axis=1)


def squeeze_pair(a):
    return np.squeeze(a[None, :, None], (0, 2))


def squeeze_not_one(a):
    return np.squeeze(a, 0)


def flip_all(a):
    return np.flip(a)


def flip_0(a):
    return np.flip(a, 0)


def flip_last(a):
    return np.flip(a, axis=-1)


def flip_pair(a):
    return np.flip(a, (0, 1))


def fliplr(a):
    return np.fliplr(a)


def flipud(a):
    return np.flipud(a)


def swapaxes(a):
    return np.swapaxes(a, 0, 1)


def swapaxes_method(a):
    return a.swapaxes(-1, 0)


def moveaxis_first_last(a):
    return np.moveaxis(a[None], 0, -1)


def moveaxis_tuples(a):
    return np.moveaxis(a[None], (0, 1), (-1, 0))


def rot90(a):
    return np.rot90(a)


def rot90_three(a):
    return np.rot90(a, 3)


def rot90_backwards(a):
    return np.rot90(a, -1, axes=(1, 0))


def at_least(a):
    return np.atleast_1d(a), np.atleast_2d(a), np.atleast_3d(a)


def at_least_of_rows(a):
    return np.atleast_1d(a[0]), np.atleast_2d(a[0]), np.atleast_3d(a[0])


def at_least_of_elements(a):
    return np.atleast_1d(a[0, 0]), np.atleast_2d(a[0, 0]), np.atleast_3d(a[0, 0])


def at_least_several(a):
    return np.atleast_2d(a[0], a, a[0, 0])


VIEW_FUNCS = [
    expand_dims_0, expand_dims_last, expand_dims_1, expand_dims_pair, expand_dims_pair_inner, expand_dims_repeated, squeeze_0,
    squeeze_method, squeeze_pair, squeeze_not_one, flip_all, flip_0, flip_last, flip_pair, fliplr, flipud, swapaxes,
    swapaxes_method, moveaxis_first_last, moveaxis_tuples, rot90, rot90_three, rot90_backwards, at_least, at_least_of_rows,
    at_least_of_elements, at_least_several,
]


# Every layout in float64, and other dtypes in one or two layouts.
LAYOUT_DTYPES = [(layout, np.float64) for layout in LAYOUTS] + [("F", np.uint32), ("reversed", np.complex64)]


@pytest.mark.parametrize("layout, dtype", LAYOUT_DTYPES, ids=[f"{layout}-{dtype_id(dt)}" for layout, dt in LAYOUT_DTYPES])
@pytest.mark.parametrize("func", VIEW_FUNCS, ids=case_id)
def test_views_match_numpy(func, layout, dtype):
    check_shape(func, LAYOUTS[layout](dtype))


def flip_vector(a):
    return np.flip(a), np.flipud(a), np.atleast_2d(a), np.expand_dims(a, 0)


def flip_zero_dimensional(a):
    return np.flip(a), np.atleast_1d(a), np.atleast_3d(a), np.expand_dims(a, 0)


def repeat_flat(a):
    return np.repeat(a, 2)


def repeat_1(a):
    return np.repeat(a, 2, axis=1)


def repeat_counts_last(a, counts=np.array([1, 0, 3])):
    return np.repeat(a, counts, axis=-1)


def repeat_method_one_count(a, counts=np.array([2])):
    return a.repeat(counts, 0)


def repeat_negative(a):
    return np.repeat(a, -1)


def repeat_negative_count(a, counts=np.array([1, -1, 1])):
    return np.repeat(a, counts, 1)


def repeat_wrong_counts(a, counts=np.array([1, 2])):
    return np.repeat(a, counts, 1)


def tile_2(a):
    return np.tile(a, 2)


def tile_more_axes(a):
    return np.tile(a, (2, 1, 3))


def tile_row(a):
    return np.tile(a[0], (2, 2))


def tile_zero(a):
    return np.tile(a, (0, 2))


def roll_flat(a):
    return np.roll(a, 2)


def roll_back_1(a):
    return np.roll(a, -1, 1)


def roll_pairs(a):
    return np.roll(a, (1, 2), (0, 1))


def roll_two_shifts_one_axis(a):
    return np.roll(a, (1, 2), -1)


def roll_far(a):
    return np.roll(a, 7, axis=0)


def ravel_orders(a):
    return np.ravel(a, "F"), a.ravel(order="A"), a.ravel("K"), a.ravel(order="C"), np.ravel(a, order="F")


def copy_orders(a):
    return np.copy(a, order="F"), a.copy(order="A"), a.copy("K"), np.copy(a, "C"), a.copy(), np.copy(a), a.copy(order="F")


NEW_ARRAY_FUNCS = [
    repeat_flat, repeat_1, repeat_counts_last, repeat_method_one_count, repeat_negative, repeat_negative_count,
    repeat_wrong_counts, tile_2, tile_more_axes, tile_row, tile_zero, roll_flat, roll_back_1, roll_pairs,
    roll_two_shifts_one_axis, roll_far, ravel_orders, copy_orders,
]


@pytest.mark.parametrize("layout, dtype", LAYOUT_DTYPES, ids=[f"{layout}-{dtype_id(dt)}" for layout, dt in LAYOUT_DTYPES])
@pytest.mark.parametrize("func", NEW_ARRAY_FUNCS, ids=case_id)
def test_new_arrays_match_numpy(func, layout, dtype):
    check_shape(func, LAYOUTS[layout](dtype))


def repeat_number(x):
    return np.repeat(x, 3)


def tile_number(x):
    return np.tile(x, (2, 2))


@pytest.mark.parametrize("x", [2.5, 3, True, 1 + 2j], ids=case_id)
@pytest.mark.parametrize("func", [repeat_number, tile_number], ids=case_id)
def test_of_numbers(func, x):
    check_shape(func, x)


def pad_1(a):
    return np.pad(a, 1)


def pad_pair_constant(a):
    return np.pad(a, (1, 2), constant_values=7)


def pad_edge_per_axis(a):
    return np.pad(a, ((1, 0), (0, 2)), mode="edge")


def pad_constants_per_axis(a):
    return np.pad(a, ((1, 2), (3, 4)), constant_values=((1, 2), (3, 4)))


def pad_rows(a):
    return np.pad(a[0], 2, "edge"), np.pad(a[0], (0, 3), constant_values=(5, 6))


def pad_one_pair_in_a_tuple(a):
    return np.pad(a, ((1,),), constant_values=(9,))


def pad_empty_edge(a):
    return np.pad(a[:0], 1, "edge")


def pad_negative(a):
    return np.pad(a, -1)


def resize_forms(a):
    return np.resize(a, (3, 5)), np.resize(a, 4), np.resize(a[:0], (2, 2)), np.resize(a, (0,))


def append_forms(a):
    return np.append(a, a), np.append(a, a[0, 0]), np.append(a, a, axis=0), np.append(a, a[:, :1], 1)


def delete_forms(a):
    return np.delete(a, 1), np.delete(a, -2, 0), np.delete(a, 2, axis=1)


def delete_out_of_bounds(a):
    return np.delete(a, 5, 0)


def delete_mask_wrong_length(a, mask=np.array([True, False])):
    return np.delete(a, mask, 0)


def insert_forms(a):
    return np.insert(a, 1, 9.5), np.insert(a, 0, 7, axis=0), np.insert(a, 2, a[:, 0], axis=1), np.insert(a, -1, a[0], axis=0)


def insert_out_of_bounds(a):
    return np.insert(a, 4, 1.0, axis=0)


def insert_at_indices(a, indices=np.array([1, 1, 0]), three=np.arange(3.0)):
    return np.insert(a, indices, three), np.insert(a, indices[:2], 5.0, axis=1), np.insert(a, indices[:1], a[0], axis=0)


MORE_NEW_ARRAY_FUNCS = [
    pad_1, pad_pair_constant, pad_edge_per_axis, pad_constants_per_axis, pad_rows, pad_one_pair_in_a_tuple, pad_empty_edge,
    pad_negative, resize_forms, append_forms, delete_forms, delete_out_of_bounds, delete_mask_wrong_length, insert_forms,
    insert_out_of_bounds, insert_at_indices,
]


@pytest.mark.parametrize("layout, dtype", LAYOUT_DTYPES, ids=[f"{layout}-{dtype_id(dt)}" for layout, dt in LAYOUT_DTYPES])
@pytest.mark.parametrize("func", MORE_NEW_ARRAY_FUNCS, ids=case_id)
def test_padding_resizing_deleting_inserting(func, layout, dtype):
    check_shape(func, LAYOUTS[layout](dtype))


def delete_by_indices(a, indices=np.array([0, -1])):
    return np.delete(a, indices, 1), np.delete(a, indices)


def delete_by_mask(a, mask=np.array([True, False])):
    return np.delete(a, mask, 0)


@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("func", [delete_by_indices, delete_by_mask], ids=case_id)
def test_delete_with_arrays(func, layout):
    """NumPy deletes with index arrays through its fancy indexing, whose memory order differs:
    values only."""
    check_shape(func, LAYOUTS[layout](np.int32), flags=False)


def broadcast_to_3d(a):
    return np.broadcast_to(a, (4, 2, 3))


def broadcast_row(a):
    return np.broadcast_to(a[0], (2, 3))


def broadcast_column(a):
    return np.broadcast_to(a[:, :1], (2, 5))


def broadcast_number(a):
    return np.broadcast_to(a[0, 0], (2,))


def broadcast_to_length(a):
    return np.broadcast_to(a[0, :1], 4)


def broadcast_mismatch(a):
    return np.broadcast_to(a, (3, 3))


def broadcast_fewer_dimensions(a):
    return np.broadcast_to(a, (6,))


def broadcast_negative(a):
    return np.broadcast_to(a[0, :1], (-1,))


def broadcast_three(a):
    return np.broadcast_arrays(a, a[0], a[:, :1])


def broadcast_one(a):
    return np.broadcast_arrays(a)


def broadcast_arrays_mismatch(a):
    return np.broadcast_arrays(a, a[:, :2])


@pytest.mark.parametrize("layout, dtype", LAYOUT_DTYPES, ids=[f"{layout}-{dtype_id(dt)}" for layout, dt in LAYOUT_DTYPES])
@pytest.mark.parametrize(
    "func",
    [broadcast_to_3d, broadcast_row, broadcast_column, broadcast_number, broadcast_to_length, broadcast_mismatch, broadcast_fewer_dimensions, broadcast_negative, broadcast_three, broadcast_one, broadcast_arrays_mismatch],
    ids=case_id,
)
def test_broadcasting_copies(func, layout, dtype):
    """NumPy's broadcast views are new arrays of the same values in compiled code."""
    a = LAYOUTS[layout](dtype)
    try:
        expected = func(a)
    except ValueError:
        with pytest.raises(ValueError):
            ferrojit.njit(func)(a)
        return
    got = ferrojit.njit(func)(a)
    expected = expected if isinstance(expected, tuple) else (expected,)
    got = got if isinstance(got, tuple) else (got,)
    for g, e in zip(got, expected, strict=True):
        assert type(g) is np.ndarray and g.dtype == e.dtype
        np.testing.assert_array_equal(g, e, strict=True)


def test_broadcast_message_names_the_shapes():
    with pytest.raises(ValueError, match=r"\(2,3\)  and requested shape \(3,3\)"):
        ferrojit.njit(broadcast_mismatch)(grid())


def squeeze_whole(a):
    return np.squeeze(a)


def stack_list(a):
    return np.stack(a)


@pytest.mark.parametrize(
    "func, error, message",
    [
        (squeeze_whole, UnsupportedError, "without `axis=`"),
        (stack_list, TypingError, "takes a tuple of arrays"),
    ],
    ids=case_id,
)
def test_refused_at_compile_time(func, error, message):
    with pytest.raises(error, match=message):
        ferrojit.njit(func)(np.ones((2, 1)))


@ferrojit.njit
def join_and_view(a, b, axis):
    c = np.concatenate((a, b), axis)
    s = np.stack((a, b))
    h = np.hstack((a, b))
    v = np.vstack((a, b))
    f = np.flip(c, axis)
    e = np.expand_dims(c, (0, 2))
    q = np.squeeze(e, 0)
    return c.sum() + s.sum() + h.sum() + v.sum() + f[0, 0] + q.sum() + np.rot90(a, axis).sum() + np.moveaxis(s, 0, -1).sum()


@ferrojit.njit
def make_new_arrays(a, b, axis):
    p = np.pad(a, 1, "edge").sum() + np.pad(a, ((1, 0), (2, 1)), constant_values=3).sum() + np.resize(a, (3, 4)).sum()
    p += np.delete(a, 1, axis).sum() + np.insert(a, 1, 2.0, axis).sum() + np.append(a, b).sum() + np.broadcast_to(a[0], (4, 3)).sum()
    p += np.broadcast_arrays(a, b[:1])[1].sum() + np.repeat(a, 2, axis).sum() + np.tile(a, (2, 2)).sum() + np.roll(a, 1, axis).sum()
    return p


def test_joining_many_times_frees_everything():
    a, b = grid(), grid(order="F")
    join_and_view(a, b, 0)
    make_new_arrays(a, b, 0)
    gc.collect()
    live = _native.live_allocations()
    for i in range(5_000):
        join_and_view(a, b, i % 2)
        make_new_arrays(a, b, i % 2)
        with pytest.raises(ValueError):
            join_and_view(a, b[:, :2], 0)
    gc.collect()
    assert _native.live_allocations() == live


@pytest.mark.parametrize("a", [np.arange(5), np.arange(10.0)[::-3], np.arange(0), np.array(2.5)], ids=case_id)
@pytest.mark.parametrize("func", [flip_vector, flip_zero_dimensional, fliplr, rot90, repeat_flat, tile_more_axes, roll_flat, ravel_orders, copy_orders], ids=case_id)
def test_views_of_vectors_and_zero_dimensional_arrays(func, a):
    if func is flip_vector and a.ndim == 0 or func is flip_zero_dimensional and a.ndim != 0:
        pytest.skip("not that kind")
    check_shape(func, a)


# ---- np.split, np.array_split: lists of views -------------------------------------------------


def split_count(a, n, axis):
    return np.split(a, n, axis)


def array_split_count(a, n, axis):
    return np.array_split(a, n, axis)


def split_list(a, axis):
    return np.split(a, [1, -1, 10], axis)


def split_tuple(a, axis):
    return np.array_split(a, (2,), axis)


def split_array(a, axis):
    return np.split(a, np.array([0, 1]), axis)


def split_default_axis(a):
    return np.split(a, 2), np.array_split(a, 3)


SPLIT_LAYOUTS = {**LAYOUTS, "empty": lambda dt: np.zeros((0, 3), dt), "vector": lambda dt: np.arange(6).astype(dt)}


@pytest.mark.parametrize("dtype", [np.float64, np.int32, np.complex64, np.bool_], ids=dtype_id)
@pytest.mark.parametrize("layout", list(SPLIT_LAYOUTS), ids=str)
@pytest.mark.parametrize("func, n", [(split_count, 2), (split_count, 1), (array_split_count, 3), (array_split_count, 1), (array_split_count, 5)], ids=case_id)
@pytest.mark.parametrize("axis", [0, -1, 1], ids=repr)
def test_split_by_count(func, n, layout, dtype, axis):
    a = SPLIT_LAYOUTS[layout](dtype)
    check_shape(func, a, n, axis)


@pytest.mark.parametrize("layout", list(SPLIT_LAYOUTS), ids=str)
@pytest.mark.parametrize("func", [split_list, split_tuple, split_array], ids=case_id)
@pytest.mark.parametrize("axis", [0, -1], ids=repr)
def test_split_at_indices(func, layout, axis):
    check_shape(func, SPLIT_LAYOUTS[layout](np.float64), axis)


@pytest.mark.parametrize("a, n, axis", [(np.arange(6.0), 4, 0), (np.arange(6.0), 0, 0), (np.arange(6.0), -1, 0), (np.arange(6.0), 2, 1), (grid(), 2, 2), (grid(), 2, -3)], ids=case_id)
@pytest.mark.parametrize("func", [split_count, array_split_count], ids=case_id)
def test_split_errors(func, a, n, axis):
    # NumPy's exception classes: unequal division, no sections, an axis outside the array (both
    # read the axis's length first: IndexError).
    check_shape(func, a, n, axis)


def test_split_default_axis_and_nothing_leaks():
    a = grid(shape=(4, 3))
    check_shape(split_default_axis, a)
    f = _compiled[split_default_axis]
    gc.collect()
    live = _native.live_allocations()
    for _ in range(2_000):
        f(a)
        with pytest.raises(ValueError):
            _compiled[split_count](a, 3, 0)
    gc.collect()
    assert _native.live_allocations() == live
