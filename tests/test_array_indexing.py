"""Indexing with arrays, against NumPy: boolean masks (read, write, in-place) and integer
indices along the first axis (read, write), over dtypes and layouts; errors; memory."""

import numpy as np
import pytest

import ferrojit
from ferrojit import njit

from array_cases import values
from helpers import check_arrays


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
    ids=str,
)
def test_integer_indices_select_as_numpy(a, idx):
    check_arrays(take, a, idx)


@pytest.mark.parametrize(
    "idx, v",
    [(np.array([1, 3]), 5.0), (np.array([1, -1]), np.array([7.0, 8.0])), (np.array([0, 2]), np.array([9.0])), (np.array([4]), 1.0)],
    ids=str,
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
