"""Indexing with arrays (NumPy's advanced indexing): integer indices and boolean masks, read
(``a[:, idx]``, ``a[m]``) and written (``a[idx, 1:] = v``, ``a[m] += 1``).

The compiler settles the structure of the subscript (crates/ferrojit_infer/src/advanced_index.rs)
and calls ``ferrojit._lib.select(a, index, axis)`` or ``ferrojit._lib.assign(a, index, value,
axis)`` with:

- ``a``: a view of the indexed array whose first axes are the ones ``index`` covers (one for
  integers, as many as the mask has for a mask);
- ``index``: the integer array or the boolean mask;
- ``value``: a scalar, or an array whose first axes stand for the index dimensions (each of
  their length, or 1 to broadcast) and whose other axes broadcast to ``a``'s remaining ones;
- ``axis``: the indexed array's axis of ``a``'s first one, for error messages.

``select`` returns a new C-ordered array of shape ``index dimensions + a.shape[covered:]`` (a
mask gives one dimension, its number of True elements); the compiler moves the index
dimensions to NumPy's place. ``assign`` checks every index and the value's shape before it
writes anything, as NumPy does.

The walks over an index of any number of dimensions recurse, one overload per dimension count:
an index of ``d`` dimensions calls the walk for ``d - 1`` on each of its rows.
"""

import numpy as np

from .. import types
from ..errors import TypingError
from ..extending import overload
from . import assign, index_error, mask_shape_error, select


def _position(j, n, axis):
    """Index ``j`` of the axis ``axis`` of length ``n``, counting from the end when negative;
    NumPy's ``IndexError`` outside."""


@overload(_position)
def _position_typing(j, n, axis):
    if isinstance(j, types.Integer) and not j.signed:
        # Never negative; and `j + n` would mix unsigned and signed into a float.
        def unsigned_position(j, n, axis):
            if j >= n:
                index_error(j, axis, n)
            return j

        return unsigned_position

    def position(j, n, axis):
        k = j + n if j < 0 else j
        if k < 0 or k >= n:
            index_error(j, axis, n)
        return k

    return position


def _integer_index(index):
    return isinstance(index, types.Array) and isinstance(index.dtype, types.Integer)


def _mask(index):
    return isinstance(index, types.Array) and isinstance(index.dtype, types.Boolean)


# --- integer indices ------------------------------------------------------------------------


def _check_positions(index, n, axis):
    """Raises NumPy's ``IndexError`` when an element of ``index`` is outside an axis of length
    ``n``."""


@overload(_check_positions)
def _check_positions_typing(index, n, axis):
    def check_positions(index, n, axis):
        for j in index.ravel():
            _position(j, n, axis)

    return check_positions


def _gather(out, a, index, axis):
    """``out[i, ...] = a[index[i, ...]]`` for every position of ``index``."""


@overload(_gather)
def _gather_typing(out, a, index, axis):
    if index.ndim == 1:

        def gather_1d(out, a, index, axis):
            n = a.shape[0]
            for i in range(index.shape[0]):
                out[i] = a[_position(index[i], n, axis)]

        return gather_1d

    def gather_rows(out, a, index, axis):
        for i in range(index.shape[0]):
            _gather(out[i], a, index[i], axis)

    return gather_rows


def _check_value_shape(index, value):
    """NumPy's ``ValueError`` unless each of the first ``index.ndim`` dimensions of ``value`` is
    as long as ``index``'s or 1."""


@overload(_check_value_shape)
def _check_value_shape_typing(index, value):
    if index.ndim == 1:

        def check_1d(index, value):
            if value.shape[0] != index.shape[0] and value.shape[0] != 1:
                raise ValueError("shape mismatch: value array could not be broadcast to indexing result")

        return check_1d

    def check_rows(index, value):
        if value.shape[0] != index.shape[0] and value.shape[0] != 1:
            raise ValueError("shape mismatch: value array could not be broadcast to indexing result")
        if index.shape[0] > 0 and value.shape[0] > 0:
            _check_value_shape(index[0], value[0])

    return check_rows


def _scatter(a, index, value, axis):
    """``a[index[i, ...]] = value[i, ...]`` for every position of ``index`` (``value`` a scalar,
    or an array whose length-1 dimensions repeat); the indices are checked already."""


@overload(_scatter)
def _scatter_typing(a, index, value, axis):
    scalar = not isinstance(value, types.Array)
    if index.ndim == 1 and scalar:

        def fill_1d(a, index, value, axis):
            n = a.shape[0]
            for i in range(index.shape[0]):
                a[_position(index[i], n, axis)] = value

        return fill_1d
    if index.ndim == 1:

        def copy_1d(a, index, value, axis):
            n = a.shape[0]
            step = 0 if value.shape[0] == 1 else 1
            for i in range(index.shape[0]):
                a[_position(index[i], n, axis)] = value[i * step]

        return copy_1d
    if scalar:

        def fill_rows(a, index, value, axis):
            for i in range(index.shape[0]):
                _scatter(a, index[i], value, axis)

        return fill_rows

    def copy_rows(a, index, value, axis):
        step = 0 if value.shape[0] == 1 else 1
        for i in range(index.shape[0]):
            _scatter(a, index[i], value[i * step], axis)

    return copy_rows


# --- boolean masks --------------------------------------------------------------------------


def _count_selected(a, mask, axis):
    """The number of True elements of ``mask``, after checking that its shape is that of
    ``a``'s first dimensions (NumPy's ``IndexError`` otherwise)."""


@overload(_count_selected)
def _count_selected_typing(a, mask, axis):
    if mask.ndim == 1:

        def count_1d(a, mask, axis):
            if mask.shape[0] != a.shape[0]:
                mask_shape_error(axis, a.shape[0], mask.shape[0])
            count = 0
            for i in range(mask.shape[0]):
                if mask[i]:
                    count += 1
            return count

        return count_1d

    def count_rows(a, mask, axis):
        if mask.shape[0] != a.shape[0]:
            mask_shape_error(axis, a.shape[0], mask.shape[0])
        count = 0
        for i in range(mask.shape[0]):
            count += _count_selected(a[i], mask[i], axis + 1)
        return count

    return count_rows


def _gather_selected(out, a, mask, k):
    """Copies the elements (or sub-arrays) of ``a`` where ``mask`` is True into ``out[k]``,
    ``out[k + 1]``, ... in C order; returns the next free position of ``out``."""


@overload(_gather_selected)
def _gather_selected_typing(out, a, mask, k):
    if mask.ndim == 1:

        def gather_1d(out, a, mask, k):
            for i in range(mask.shape[0]):
                if mask[i]:
                    out[k] = a[i]
                    k += 1
            return k

        return gather_1d

    def gather_rows(out, a, mask, k):
        for i in range(mask.shape[0]):
            k = _gather_selected(out, a[i], mask[i], k)
        return k

    return gather_rows


def _scatter_selected(a, mask, value, step, k):
    """Writes ``value`` (a scalar, or ``value[k * step]`` for the k-th selected element in C
    order) where ``mask`` is True; returns the next ``k``."""


@overload(_scatter_selected)
def _scatter_selected_typing(a, mask, value, step, k):
    scalar = not isinstance(value, types.Array)
    if mask.ndim == 1 and scalar:

        def fill_1d(a, mask, value, step, k):
            for i in range(mask.shape[0]):
                if mask[i]:
                    a[i] = value
            return k

        return fill_1d
    if mask.ndim == 1:

        def copy_1d(a, mask, value, step, k):
            for i in range(mask.shape[0]):
                if mask[i]:
                    a[i] = value[k * step]
                    k += 1
            return k

        return copy_1d

    def scatter_rows(a, mask, value, step, k):
        for i in range(mask.shape[0]):
            k = _scatter_selected(a[i], mask[i], value, step, k)
        return k

    return scatter_rows


# --- the entry points -----------------------------------------------------------------------


def _check_index(a, index):
    if not isinstance(a, types.Array) or not (_integer_index(index) or _mask(index)):
        return False
    if index.ndim == 0:
        raise TypingError("0-dimensional index arrays are not supported yet; index with an integer")
    if index.ndim > a.ndim and _mask(index):
        raise TypingError(f"too many indices: a {index.ndim}-dimensional boolean index for a {a.ndim}-dimensional array")
    return True


@overload(select)
def select_typing(a, index, axis):
    if not _check_index(a, index):
        return None
    if _mask(index):
        covered = index.ndim

        def select_by_mask(a, index, axis):
            count = _count_selected(a, index, axis)
            out = np.empty((count,) + a.shape[covered:], a.dtype)
            _gather_selected(out, a, index, 0)
            return out

        return select_by_mask

    def select_by_indices(a, index, axis):
        out = np.empty(index.shape + a.shape[1:], a.dtype)
        _gather(out, a, index, axis)
        return out

    return select_by_indices


@overload(assign)
def assign_typing(a, index, value, axis):
    if not _check_index(a, index):
        return None
    scalar = isinstance(value, (types.Number, types.Boolean))
    if not (scalar or isinstance(value, types.Array)):
        return None
    if _mask(index) and scalar:

        def fill_by_mask(a, index, value, axis):
            _count_selected(a, index, axis)
            _scatter_selected(a, index, value, 0, 0)

        return fill_by_mask
    if _mask(index):

        def copy_by_mask(a, index, value, axis):
            count = _count_selected(a, index, axis)
            if value.shape[0] != count and value.shape[0] != 1:
                raise ValueError("shape mismatch: value array could not be broadcast to indexing result")
            _scatter_selected(a, index, value, 0 if value.shape[0] == 1 else 1, 0)

        return copy_by_mask
    if scalar:

        def fill_by_indices(a, index, value, axis):
            _check_positions(index, a.shape[0], axis)
            _scatter(a, index, value, axis)

        return fill_by_indices

    def copy_by_indices(a, index, value, axis):
        _check_positions(index, a.shape[0], axis)
        _check_value_shape(index, value)
        _scatter(a, index, value, axis)

    return copy_by_indices
