"""Indexing with arrays: boolean masks (``a[a > 0]``, ``a[m] = 0``) and integer indices along
the first axis (``a[idx]``, ``a[idx] = v``), as NumPy does them. The compiler turns such a
subscript into a call of ``ferrojit._lib.select`` or ``ferrojit._lib.assign``."""

import numpy as np

from .. import types
from ..errors import TypingError
from ..extending import overload, register_jitable
from . import assign, select


@register_jitable
def _position(j, n):
    """Index ``j`` of an axis of length ``n``, counting from the end when negative;
    ``IndexError`` outside."""
    if j < 0:
        j += n
    if j < 0 or j >= n:
        raise IndexError("index is out of bounds for axis 0")
    return j


@register_jitable
def _value_step(index, value):
    """How far ``value`` advances per selected element of the mask ``index``: 1 when it holds one
    value per selected element, 0 when it holds one value for all; ``ValueError`` otherwise."""
    count = 0
    for selected in index.ravel():
        if selected:
            count += 1
    if value.shape[0] != count and value.shape[0] != 1:
        raise ValueError("NumPy boolean array indexing assignment cannot assign the values to the selected elements: their numbers differ")
    return 1 if value.shape[0] == count else 0


def _mask_of(a, index):
    return isinstance(a, types.Array) and isinstance(index, types.Array) and isinstance(index.dtype, types.Boolean)


def _indices_of(a, index):
    return isinstance(a, types.Array) and isinstance(index, types.Array) and isinstance(index.dtype, types.Integer)


@overload(select)
def select_typing(a, index):
    if _mask_of(a, index):
        if index.ndim != a.ndim:
            raise TypingError(f"a boolean index must have the array's {a.ndim} dimensions, not {index.ndim}")

        def select_by_mask(a, index):
            if a.shape != index.shape:
                raise IndexError("boolean index did not match indexed array")
            values = a.ravel()
            mask = index.ravel()
            count = 0
            for i in range(mask.size):
                if mask[i]:
                    count += 1
            out = np.empty(count, a.dtype)
            k = 0
            for i in range(mask.size):
                if mask[i]:
                    out[k] = values[i]
                    k += 1
            return out

        return select_by_mask
    if _indices_of(a, index):
        if index.ndim != 1:
            raise TypingError("integer array indices must be 1-dimensional for now")
        if a.ndim == 1:

            def select_items(a, index):
                n = a.shape[0]
                out = np.empty(index.shape[0], a.dtype)
                for i in range(index.shape[0]):
                    j = _position(index[i], n)
                    out[i] = a[j]
                return out

            return select_items

        def select_rows(a, index):
            n = a.shape[0]
            out = np.empty((index.shape[0],) + a.shape[1:], a.dtype)
            for i in range(index.shape[0]):
                j = _position(index[i], n)
                out[i] = a[j]
            return out

        return select_rows
    return None


@overload(assign)
def assign_typing(a, index, value):
    scalar = isinstance(value, types.Number) or isinstance(value, types.Boolean)
    vector = isinstance(value, types.Array) and value.ndim == 1
    if not (scalar or vector):
        return None
    if _mask_of(a, index):
        if index.ndim != a.ndim or a.ndim > 2:
            raise TypingError("assigning through a boolean mask supports masks of the array's shape, of 1 or 2 dimensions, for now")
        if scalar:
            if a.ndim == 1:

                def fill_1d(a, index, value):
                    if a.shape != index.shape:
                        raise IndexError("boolean index did not match indexed array")
                    for i in range(a.shape[0]):
                        if index[i]:
                            a[i] = value

                return fill_1d

            def fill_2d(a, index, value):
                if a.shape != index.shape:
                    raise IndexError("boolean index did not match indexed array")
                for i in range(a.shape[0]):
                    for j in range(a.shape[1]):
                        if index[i, j]:
                            a[i, j] = value

            return fill_2d
        if a.ndim == 1:

            def copy_1d(a, index, value):
                if a.shape != index.shape:
                    raise IndexError("boolean index did not match indexed array")
                step = _value_step(index, value)
                k = 0
                for i in range(a.shape[0]):
                    if index[i]:
                        a[i] = value[k]
                        k += step

            return copy_1d

        def copy_2d(a, index, value):
            if a.shape != index.shape:
                raise IndexError("boolean index did not match indexed array")
            step = _value_step(index, value)
            k = 0
            for i in range(a.shape[0]):
                for j in range(a.shape[1]):
                    if index[i, j]:
                        a[i, j] = value[k]
                        k += step

        return copy_2d
    if _indices_of(a, index):
        if index.ndim != 1 or a.ndim != 1:
            raise TypingError("assigning through integer indices supports 1-dimensional arrays and indices for now")

        if scalar:

            def put_scalar(a, index, value):
                n = a.shape[0]
                for i in range(index.shape[0]):
                    j = _position(index[i], n)
                    a[j] = value

            return put_scalar

        def put_values(a, index, value):
            n = a.shape[0]
            if value.shape[0] != index.shape[0] and value.shape[0] != 1:
                raise ValueError("shape mismatch: value array could not be broadcast to indexing result")
            step = 1 if value.shape[0] == index.shape[0] else 0
            for i in range(index.shape[0]):
                j = _position(index[i], n)
                a[j] = value[i * step]

        return put_values
    return None
