"""`a.reshape(...)` and `np.reshape(a, ...)` with shapes as separate integers or one tuple, an
unknown dimension `-1`, compared with NumPy 2: the same views, and the same `ValueError`
messages for shapes that do not fit (naming the size and the shape, as NumPy does)."""

import numpy as np
import pytest

from helpers import check_arrays


def reshape_rows(a, n):
    return a.reshape(-1, n)

def reshape_tuple_columns(a, n):
    return a.reshape((n, -1))

def reshape_flat(a, n):
    return a.reshape(-1)

def reshape_flat_tuple(a, n):
    return a.reshape((-1,))

def np_reshape_tuple(a, n):
    return np.reshape(a, (n, -1))

def reshape_two_unknown(a, n):
    return a.reshape(-1, -1)

def reshape_exact(a, n):
    return a.reshape(n, n)

def reshape_three(a, n):
    return a.reshape((n, 2, -1))

def reshape_middle_unknown(a, n):
    return a.reshape(2, -1, n)

def reshape_leading_unknown(a, n):
    return a.reshape((-1, n, 2))

def reshape_one_dimension(a, n):
    return a.reshape(n + 7)


@pytest.mark.parametrize(
    "func",
    [reshape_rows, reshape_tuple_columns, reshape_flat, reshape_flat_tuple, np_reshape_tuple, reshape_two_unknown, reshape_exact, reshape_three,
     reshape_middle_unknown, reshape_leading_unknown, reshape_one_dimension],
    ids=lambda f: f.__name__,
)
@pytest.mark.parametrize("n", [1, 2, 3, 4, 5], ids=lambda n: f"n={n}")
def test_reshape_with_unknown_dimensions_as_numpy(func, n):
    check_arrays(func, np.arange(12.0), n, exc_msg=True)
