"""`a.flags.<flag>` of arrays in compiled code, as NumPy 2 computes them: from the type when the
layout decides, else from the shape and strides at run time."""

import numpy as np
import pytest

from ferrojit import njit
from ferrojit.errors import TypingError

from helpers import check


def flags(a):
    return a.flags.c_contiguous, a.flags.f_contiguous, a.flags.contiguous, a.flags.fortran, a.flags.writeable, a.flags.aligned


def flags_of_view(a):
    v = a[::2]
    return v.flags.c_contiguous, v.flags.f_contiguous, a.T.flags.c_contiguous, a.T.flags.f_contiguous


def read_only(n):
    a = np.arange(n)
    a.flags.writeable = False
    return a


ARRAYS = {
    "c-2d": np.zeros((3, 4)),
    "f-2d": np.zeros((3, 4), order="F"),
    "1d": np.arange(5.0),
    "0d": np.array(1.5),
    "strided-1d": np.arange(10)[::2],
    "reversed": np.arange(5)[::-1],
    "column": np.zeros((4, 1)),
    "row-of-f": np.zeros((1, 4), order="F"),
    "c-3d-sliced": np.zeros((2, 3, 4))[:, 1:, :],
    "f-sliced-rows": np.zeros((4, 3), order="F")[1:3],
    "one-wide-column-view": np.zeros((4, 4))[:, :1],
    "empty": np.zeros((0, 3))[:, ::2],
    "read-only": read_only(4),
    "complex-real-part": (np.arange(4) * 1j).real,
}


@pytest.mark.parametrize("a", ARRAYS.values(), ids=ARRAYS.keys())
def test_flags_as_numpy(a):
    check(flags, a)


@pytest.mark.parametrize("a", [np.zeros((4, 3)), np.zeros((4, 3), order="F"), np.arange(6.0)], ids=str)
def test_flags_of_views_as_numpy(a):
    check(flags_of_view, a)


def owndata(a):
    return a.flags.owndata


def misspelt(a):
    return a.flags.c_contigous


@pytest.mark.parametrize("func", [owndata, misspelt], ids=lambda f: f.__name__)
def test_other_flags_are_refused(func):
    with pytest.raises(Exception) as excinfo:
        njit(func)(np.zeros(3))
    assert "flags" in str(excinfo.value) and "test_array_flags.py" in str(excinfo.value)
