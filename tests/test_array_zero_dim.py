"""0-dimensional arrays (`np.array(2.5)`) as arguments: typed as 0-d arrays (Numba's
`Array(float64, 0, 'C')`), not as scalars, with NumPy 2's results: indexing with `()`, methods,
arithmetic (a scalar, as NumPy's ufuncs give), conversions, and the array itself returned as
the same 0-d ndarray."""

import numpy as np
import pytest

import ferrojit
from ferrojit import njit

from helpers import check_arrays

DTYPES = [np.bool_, np.int8, np.uint16, np.int32, np.int64, np.float32, np.float64, np.complex64, np.complex128]
REAL = [t for t in DTYPES if np.dtype(t).kind != "c"]
NUMBERS = [t for t in DTYPES if t is not np.bool_]
FLOATS = [np.float32, np.float64]


def item(a):
    return a.item()

def index_empty_tuple(a):
    return a[()]

def copy(a):
    return a.copy()

def plus_one(a):
    return a + 1

def times_self(a):
    return a * a

def negative(a):
    return -a

def with_1d(a):
    return a + np.ones(3, dtype=a.dtype)

def sum_prod_mean(a):
    return a.sum(), a.prod(), a.mean()

def min_max_argmax(a):
    return a.min(), a.max(), a.argmax(), a.argmin()

def truth(a):
    return a.any(), a.all(), bool(a)

def spread(a):
    return a.std(), a.var()

def sqrt(a):
    return np.sqrt(a)

def shapes(a):
    return a.shape, a.ndim, a.size, a.itemsize, a.strides, a.nbytes

def reshaped(a):
    return a.reshape(1), a.ravel(), a.T, a.reshape(())

def astype(a):
    return a.astype(np.float64)

def to_float_and_int(a):
    return float(a), int(a)

def to_complex(a):
    return complex(a)

def parts(a):
    return a.real, a.imag

def same(a):
    return a

def store(a):
    a[()] = 1
    return a[()]

def fill(a):
    a.fill(3)

def like(a):
    return np.zeros_like(a), np.empty_like(a).shape

def where(a):
    return np.where(a, a, a)

def cumulative(a):
    return a.cumsum()

def scalar_methods(a):
    # NumPy's scalars have the array reductions: `a * 2` of a 0-d array is a scalar.
    d = a * 2
    return d.sum(), d.item(), d.max(), d.mean(), d.any()


CASES = [
    (item, DTYPES), (index_empty_tuple, DTYPES), (copy, DTYPES), (plus_one, DTYPES),
    (times_self, DTYPES), (negative, NUMBERS), (with_1d, NUMBERS), (sum_prod_mean, DTYPES),
    (min_max_argmax, REAL), (truth, DTYPES), (spread, REAL), (sqrt, FLOATS), (shapes, DTYPES),
    (reshaped, DTYPES), (astype, REAL), (to_float_and_int, REAL), (to_complex, DTYPES),
    (parts, DTYPES), (same, DTYPES), (store, DTYPES), (fill, DTYPES), (like, DTYPES),
    (where, DTYPES), (cumulative, NUMBERS), (scalar_methods, REAL),
]


@pytest.mark.parametrize(
    "func, dtype",
    [pytest.param(f, t, id=f"{f.__name__}-{np.dtype(t).name}") for f, dtypes in CASES for t in dtypes],
)
def test_zero_dim_arrays_as_numpy(func, dtype):
    a = np.array(3, dtype=dtype)
    check_arrays(func, a, rel=1e-6)


def test_zero_dim_argument_is_typed_as_an_array_and_returned_as_itself():
    a = np.array(2.5)
    f = njit(same)
    assert f(a) is a
    assert str(f.signatures[0][0]) == "array(float64, 0d, C)"
    b = njit(copy)(a)
    assert type(b) is np.ndarray and b.shape == () and b is not a


@pytest.mark.parametrize("func", [sum_prod_mean, spread, min_max_argmax], ids=lambda f: f.__name__)
def test_reductions_of_zero_dim_arrays_free_what_they_allocate(func):
    f = njit(func)
    a = np.array(1.5)
    f(a)
    before = ferrojit._native.live_allocations()
    f(a)
    assert ferrojit._native.live_allocations() == before
