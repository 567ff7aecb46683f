"""Assigning to the parts of arrays, `a.real = x` and `a.imag = x` (and `a.real += x`), as NumPy
2: the value broadcasts into the view of that part; a real array is its own real part, and its
imaginary part (read-only zeros) cannot be set."""

import numpy as np
import pytest

from ferrojit import njit
from ferrojit.errors import TypingError, UnsupportedError

from helpers import check_arrays


def set_real_and_imag(a, x):
    a.real = x
    a.imag = 5
    return a

def set_real(a, x):
    a.real = x
    return a

def add_to_parts(a, x):
    a.real += x
    a.imag *= 2
    return a

def set_parts_of_views(a, x):
    a.T.real = x
    a[1:].imag = -1

def set_real_scalar_into_integers(a, x):
    a.real = x
    return a.sum()


@pytest.mark.parametrize(
    "func, a, x",
    [
        (set_real_and_imag, np.zeros(3, dtype=np.complex128), np.arange(3.0)),
        (set_real_and_imag, np.ones((2, 3), dtype=np.complex64), np.arange(3.0)),
        (set_real_and_imag, np.zeros((3, 2), dtype=np.complex128).T, 1.5),
        (set_real, np.zeros(4), np.arange(4.0) * 2),
        (set_real, np.zeros((2, 2), dtype=np.int32), 7),
        (set_real, np.zeros(3, dtype=np.complex128)[::2], np.float32(2.5)),
        (add_to_parts, np.arange(4) * (1 + 2j), np.arange(4.0)),
        (add_to_parts, (np.arange(6) * (1 - 1j)).astype(np.complex64).reshape(2, 3), 0.5),
        (set_parts_of_views, np.zeros(3, dtype=np.complex128), np.arange(3.0)),
        (set_parts_of_views, np.zeros((3, 3), dtype=np.complex128), np.arange(3.0)),
        (set_real_scalar_into_integers, np.zeros(3, dtype=np.int16), 2.7),
    ],
    ids=lambda v: getattr(v, "__name__", None),
)
def test_assigning_parts_as_numpy(func, a, x):
    check_arrays(func, a, x)


def set_imag(a):
    a.imag = 1.0

def add_to_imag(a):
    a.imag += 1

def set_shape(a):
    a.shape = (3, 1)


# The message: NumPy's (None: the running NumPy's, which NumPy 2.5 reworded) or ours where
# NumPy takes the assignment.
@pytest.mark.parametrize(
    "func, error, message",
    [
        (set_imag, TypingError, None),
        (add_to_imag, TypingError, "output array is read-only"),
        (set_shape, UnsupportedError, "assigning to `shape` is not supported"),
    ],
    ids=lambda v: getattr(v, "__name__", None),
)
def test_what_numpy_refuses_on_real_arrays_is_refused_at_compile_time(func, error, message):
    if func is not set_shape:
        with pytest.raises((TypeError, ValueError)) as theirs:
            func(np.zeros(3))
        assert message is None or str(theirs.value) == message
        message = str(theirs.value)
    with pytest.raises(error) as excinfo:
        njit(func)(np.zeros(3))
    text = str(excinfo.value)
    assert message in text and "test_array_part_assignment.py" in text


def set_other_attribute(a):
    a.x = 1


def set_attribute_of_number(a):
    n = a.size
    n.x = 1


@pytest.mark.parametrize(
    "func, error, message",
    [
        (set_other_attribute, TypingError, "the array attribute `x` cannot be assigned"),
        (set_attribute_of_number, UnsupportedError, "assigning to the attribute `x` of a `int64` is not supported"),
    ],
    ids=lambda v: getattr(v, "__name__", None),
)
def test_other_attribute_targets_are_refused_naming_the_line(func, error, message):
    with pytest.raises(AttributeError):
        func(np.zeros(3))
    with pytest.raises(error) as excinfo:
        njit(func)(np.zeros(3))
    text = str(excinfo.value)
    assert message in text and f"line {func.__code__.co_firstlineno + 1 + (func is set_attribute_of_number)}" in text
