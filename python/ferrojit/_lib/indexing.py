"""Indexing with arrays (NumPy's advanced indexing): integer indices and boolean masks, read
(``a[:, idx]``, ``a[i, j]``, ``a[m]``) and written (``a[idx, 1:] = v``, ``a[m] += 1``).

The compiler settles the structure of the subscript (crates/ferrojit_infer/src/advanced_index.rs)
and calls ``ferrojit._lib.select(a, index, axis)`` or ``ferrojit._lib.assign(a, index, value,
axis, value_layout)`` with:

- ``a``: a view of the indexed array whose first axes are the ones ``index`` covers (one for
  each integer array, as many as the mask has for a mask);
- ``index``: the integer array or the boolean mask; or, for two or more index arrays (which
  broadcast together, as NumPy's do), or a boolean scalar among the items, the tuple of them:
  there a mask stands for the integer arrays of its ``nonzero()`` and a boolean scalar (or
  0-d boolean array) for ``[0]`` or ``[]`` indexing a new axis of length 1, as in NumPy;
- ``value``: a scalar, or an array whose first axes stand for the index dimensions (each of
  their length, or 1 to broadcast) and whose other axes broadcast to ``a``'s remaining ones;
- ``axis``: for error messages, the indexed array's axis of the index array (an integer); for
  a tuple, the indexed array's axis of each axis of ``a`` the tuple covers (a tuple);
- ``value_layout``: ``(place, index_dims, missing, whole_mask)``, how the value's axes were
  reordered (the index dimensions, at ``place`` in NumPy's order, moved first), how many
  leading length-1 axes were added to it, and whether the subscript is one mask over every
  axis (NumPy's own path, worded its own way), so that a value of the wrong shape is named as
  NumPy does.

``select`` returns a new C-ordered array of shape ``index dimensions + a.shape[covered:]`` (a
mask gives one dimension, its number of True elements); the compiler moves the index
dimensions to NumPy's place. ``assign`` checks the value's shape and every index before it
writes anything, as NumPy does.

The walks over an index of any number of dimensions recurse, one overload per dimension count:
an index of ``d`` dimensions calls the walk for ``d - 1`` on each of its rows. Walks over a
tuple (of index arrays, or of a shape's lengths) recurse the same way on its first item and
the rest.
"""

import numpy as np

from .. import types
from ..errors import TypingError
from ..extending import overload
from . import (
    assign,
    index_broadcast_error,
    index_error,
    mask_shape_error,
    mask_value_count_error,
    message_dim,
    message_shape,
    select,
    value_shape_error,
)


def _position(j, n, axis):
    """Index ``j`` of the axis ``axis`` of length ``n``, counting from the end when negative;
    NumPy's ``IndexError`` outside."""


@overload(_position)
def _position_typing(j, n, axis):
    if isinstance(j, types.Integer) and not j.signed and j.bitwidth < 64:
        # Never negative; and `j + n` would mix unsigned and signed into a float.
        def unsigned_position(j, n, axis):
            if j >= n:
                index_error(j, axis, n)
            return j

        return unsigned_position
    if isinstance(j, types.Integer) and not j.signed:
        # NumPy converts uint64 index arrays to int64 as C does: 2**64 - 1 is -1, the last
        # element, and 2**63 is named as -2**63 when out of range.
        def uint64_position(j, n, axis):
            return _position(np.int64(j), n, axis)

        return uint64_position

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


# --- shapes in messages -----------------------------------------------------------------------


def _record_dims(dims):
    """Adds the lengths of the tuple ``dims`` to the shape last started for a message."""


@overload(_record_dims)
def _record_dims_typing(dims):
    if len(dims) == 0:

        def no_dims(dims):
            return 0

        return no_dims
    if len(dims) == 1:

        def last_dim(dims):
            message_dim(dims[0])

        return last_dim

    def first_dim_then_rest(dims):
        message_dim(dims[0])
        _record_dims(dims[1:])

    return first_dim_then_rest


def _record_shape(shape):
    """Records the tuple ``shape`` for the next message naming shapes."""


@overload(_record_shape)
def _record_shape_typing(shape):
    def record_shape(shape):
        message_shape()
        _record_dims(shape)

    return record_shape


def _fits(dims, into):
    """Whether each length of the tuple ``dims`` is the one of ``into`` (a tuple as long) or
    1: whether an array of shape ``dims`` broadcasts to ``into``."""


@overload(_fits)
def _fits_typing(dims, into):
    if len(dims) == 0:

        def nothing_to_fit(dims, into):
            return True

        return nothing_to_fit

    def first_fits_then_rest(dims, into):
        if dims[0] != into[0] and dims[0] != 1:
            return False
        return _fits(dims[1:], into[1:])

    return first_fits_then_rest


def _check_value_shape(value, result_shape, value_layout):
    """NumPy's ``ValueError`` unless ``value`` (its axes ordered as the assignment walks the
    indexing result) broadcasts to ``result_shape``."""


@overload(_check_value_shape)
def _check_value_shape_typing(value, result_shape, value_layout):
    def check_value_shape(value, result_shape, value_layout):
        if not _fits(value.shape, result_shape):
            _record_shape(value.shape)
            _record_shape(result_shape)
            value_shape_error(value_layout[0], value_layout[1], value_layout[2])

    return check_value_shape


def _is_empty(shape):
    """Whether one of the lengths of the tuple ``shape`` is 0."""


@overload(_is_empty)
def _is_empty_typing(shape):
    if len(shape) == 1:

        def last_is_empty(shape):
            return shape[0] == 0

        return last_is_empty

    def first_or_rest_empty(shape):
        return shape[0] == 0 or _is_empty(shape[1:])

    return first_or_rest_empty


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


# --- several integer arrays, broadcast together ----------------------------------------------


def _record_index_shapes(indices):
    """Records the shape of each array of the tuple ``indices``."""


@overload(_record_index_shapes)
def _record_index_shapes_typing(indices):
    if len(indices) == 1:

        def last_shape(indices):
            _record_shape(indices[0].shape)

        return last_shape

    def first_shape_then_rest(indices):
        _record_shape(indices[0].shape)
        _record_index_shapes(indices[1:])

    return first_shape_then_rest


def _broadcast_length(n, m, indices):
    """The length that ``n`` and ``m`` broadcast to; NumPy's ``IndexError`` naming the shapes
    of ``indices`` when they do not."""


@overload(_broadcast_length)
def _broadcast_length_typing(n, m, indices):
    def broadcast_length(n, m, indices):
        if n == m or m == 1:
            return n
        if n != 1:
            _record_index_shapes(indices)
            index_broadcast_error()
        return m

    return broadcast_length


def _broadcast_dims(shape, dims, indices):
    """The tuple ``shape`` broadcast with ``dims`` (a tuple no longer, aligned at the end)."""


@overload(_broadcast_dims)
def _broadcast_dims_typing(shape, dims, indices):
    if len(shape) > len(dims):

        def keep_first(shape, dims, indices):
            return shape[:1] + _broadcast_dims(shape[1:], dims, indices)

        return keep_first
    if len(shape) == 1:

        def last_length(shape, dims, indices):
            return (_broadcast_length(shape[0], dims[0], indices),)

        return last_length

    def first_length_then_rest(shape, dims, indices):
        return (_broadcast_length(shape[0], dims[0], indices),) + _broadcast_dims(shape[1:], dims[1:], indices)

    return first_length_then_rest


def _broadcast_with(shape, arrays, indices):
    """The tuple ``shape`` broadcast with the shape of each array of the tuple ``arrays``."""


@overload(_broadcast_with)
def _broadcast_with_typing(shape, arrays, indices):
    if len(arrays) == 1:

        def with_last(shape, arrays, indices):
            return _broadcast_dims(shape, arrays[0].shape, indices)

        return with_last

    def with_first_then_rest(shape, arrays, indices):
        return _broadcast_with(_broadcast_dims(shape, arrays[0].shape, indices), arrays[1:], indices)

    return with_first_then_rest


def _index_shape(indices):
    """The shape the arrays of the tuple ``indices`` broadcast to (NumPy's ``IndexError`` when
    they do not)."""


@overload(_index_shape)
def _index_shape_typing(indices):
    # Start from the shape of an array with the most dimensions: the result has as many.
    longest = max(range(len(indices)), key=lambda m: indices[m].ndim)

    def index_shape(indices):
        return _broadcast_with(indices[longest].shape, indices, indices)

    return index_shape


def _check_all_positions(indices, lengths, axes):
    """Raises NumPy's ``IndexError`` when an element of an array of the tuple ``indices`` is
    outside its axis (of the length in the same place of the tuple ``lengths``); arrays are
    checked one after the other, as NumPy does."""


@overload(_check_all_positions)
def _check_all_positions_typing(indices, lengths, axes):
    if len(indices) == 1:

        def check_last(indices, lengths, axes):
            _check_positions(indices[0], lengths[0], axes[0])

        return check_last

    def check_first_then_rest(indices, lengths, axes):
        _check_positions(indices[0], lengths[0], axes[0])
        _check_all_positions(indices[1:], lengths[1:], axes[1:])

    return check_first_then_rest


def _row(index, i, shape):
    """``index`` one level into the broadcast ``shape`` (a tuple): its row ``i`` (row 0 when
    its first length is 1) when it has as many dimensions as ``shape``, else itself (it
    broadcasts along that level)."""


@overload(_row)
def _row_typing(index, i, shape):
    if index.ndim == len(shape):

        def take_row(index, i, shape):
            return index[i if index.shape[0] != 1 else 0]

        return take_row

    def keep(index, i, shape):
        return index

    return keep


def _rows(indices, i, shape):
    """``_row`` of each array of the tuple ``indices``, as a tuple."""


@overload(_rows)
def _rows_typing(indices, i, shape):
    if len(indices) == 1:

        def last_row(indices, i, shape):
            return (_row(indices[0], i, shape),)

        return last_row

    def first_row_then_rest(indices, i, shape):
        return (_row(indices[0], i, shape),) + _rows(indices[1:], i, shape)

    return first_row_then_rest


def _pick(a, indices, i, axes):
    """``a[j0, j1, ...]`` where ``jm`` is the element ``i`` (0 when it has one) of the 1-d
    array ``indices[m]``: an element, or a view of ``a``'s other axes."""


@overload(_pick)
def _pick_typing(a, indices, i, axes):
    if len(indices) == 1:

        def pick_last(a, indices, i, axes):
            index = indices[0]
            return a[_position(index[i if index.shape[0] != 1 else 0], a.shape[0], axes[0])]

        return pick_last

    def pick_first_then_rest(a, indices, i, axes):
        index = indices[0]
        return _pick(a[_position(index[i if index.shape[0] != 1 else 0], a.shape[0], axes[0])], indices[1:], i, axes[1:])

    return pick_first_then_rest


def _gather_broadcast(out, a, indices, axes, shape):
    """``out[p] = a[indices[0][p], indices[1][p], ...]`` for every position ``p`` of the
    broadcast ``shape`` of the arrays of the tuple ``indices``."""


@overload(_gather_broadcast)
def _gather_broadcast_typing(out, a, indices, axes, shape):
    if len(shape) == 1:

        def gather_last_level(out, a, indices, axes, shape):
            for i in range(shape[0]):
                out[i] = _pick(a, indices, i, axes)

        return gather_last_level

    def gather_rows(out, a, indices, axes, shape):
        for i in range(shape[0]):
            _gather_broadcast(out[i], a, _rows(indices, i, shape), axes, shape[1:])

    return gather_rows


def _put(a, indices, i, value, axes):
    """``a[j0, j1, ...] = value`` where ``jm`` is the element ``i`` (0 when it has one) of the
    1-d array ``indices[m]``."""


@overload(_put)
def _put_typing(a, indices, i, value, axes):
    if len(indices) == 1:

        def put_last(a, indices, i, value, axes):
            index = indices[0]
            a[_position(index[i if index.shape[0] != 1 else 0], a.shape[0], axes[0])] = value

        return put_last

    def put_first_then_rest(a, indices, i, value, axes):
        index = indices[0]
        _put(a[_position(index[i if index.shape[0] != 1 else 0], a.shape[0], axes[0])], indices[1:], i, value, axes[1:])

    return put_first_then_rest


def _scatter_broadcast(a, indices, value, axes, shape):
    """``a[indices[0][p], indices[1][p], ...] = value[p]`` for every position ``p`` of the
    broadcast ``shape`` (``value`` a scalar, or an array whose length-1 dimensions repeat);
    the indices and the value's shape are checked already."""


@overload(_scatter_broadcast)
def _scatter_broadcast_typing(a, indices, value, axes, shape):
    scalar = not isinstance(value, types.Array)
    if len(shape) == 1 and scalar:

        def fill_last_level(a, indices, value, axes, shape):
            for i in range(shape[0]):
                _put(a, indices, i, value, axes)

        return fill_last_level
    if len(shape) == 1:

        def copy_last_level(a, indices, value, axes, shape):
            step = 0 if value.shape[0] == 1 else 1
            for i in range(shape[0]):
                _put(a, indices, i, value[i * step], axes)

        return copy_last_level
    if scalar:

        def fill_rows(a, indices, value, axes, shape):
            for i in range(shape[0]):
                _scatter_broadcast(a, _rows(indices, i, shape), value, axes, shape[1:])

        return fill_rows

    def copy_rows(a, indices, value, axes, shape):
        step = 0 if value.shape[0] == 1 else 1
        for i in range(shape[0]):
            _scatter_broadcast(a, _rows(indices, i, shape), value[i * step], axes, shape[1:])

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


# --- masks and booleans among index arrays ---------------------------------------------------


def _check_mask_shape(mask_shape, shape, axis):
    """Raises NumPy's ``IndexError`` unless the tuple ``mask_shape`` is the start of the tuple
    ``shape``, whose first length is that of the indexed array's axis ``axis``."""


@overload(_check_mask_shape)
def _check_mask_shape_typing(mask_shape, shape, axis):
    if len(mask_shape) == 0:

        def nothing_to_check(mask_shape, shape, axis):
            return 0

        return nothing_to_check

    def check_first_then_rest(mask_shape, shape, axis):
        if mask_shape[0] != shape[0]:
            mask_shape_error(axis, shape[0], mask_shape[0])
        _check_mask_shape(mask_shape[1:], shape[1:], axis + 1)

    return check_first_then_rest


def _unravel_into(coords, n, p, shape):
    """Writes the coordinates of the flat C-order position ``p`` in the tuple ``shape`` into
    the column ``n`` of ``coords`` (one row per length of ``shape``)."""


@overload(_unravel_into)
def _unravel_into_typing(coords, n, p, shape):
    if len(shape) == 1:

        def first_coordinate(coords, n, p, shape):
            coords[0, n] = p

        return first_coordinate
    last = len(shape) - 1

    def last_coordinate_then_rest(coords, n, p, shape):
        coords[last, n] = p % shape[last]
        _unravel_into(coords, n, p // shape[last], shape[:last])

    return last_coordinate_then_rest


def _coordinate_rows(coords, shape, first):
    """The rows ``first``, ``first + 1``, ... of ``coords``, one per length of the tuple
    ``shape``, as a tuple."""


@overload(_coordinate_rows)
def _coordinate_rows_typing(coords, shape, first):
    if len(shape) == 1:

        def last_row(coords, shape, first):
            return (coords[first],)

        return last_row

    def first_row_then_rest(coords, shape, first):
        return (coords[first],) + _coordinate_rows(coords, shape[1:], first + 1)

    return first_row_then_rest


def _nonzero(mask):
    """NumPy's ``mask.nonzero()``: a tuple of one int64 array per dimension of ``mask``, the
    coordinates of its True elements in C order."""


@overload(_nonzero)
def _nonzero_typing(mask):
    if mask.ndim == 1:

        def nonzero_1d(mask):
            count = 0
            for i in range(mask.shape[0]):
                if mask[i]:
                    count += 1
            positions = np.empty(count, np.int64)
            n = 0
            for i in range(mask.shape[0]):
                if mask[i]:
                    positions[n] = i
                    n += 1
            return (positions,)

        return nonzero_1d
    ndim = mask.ndim

    def nonzero(mask):
        flat = mask.ravel()
        count = 0
        for x in flat:
            if x:
                count += 1
        coords = np.empty((ndim, count), np.int64)
        n = 0
        for p in range(flat.shape[0]):
            if flat[p]:
                _unravel_into(coords, n, p, mask.shape)
                n += 1
        return _coordinate_rows(coords, mask.shape, 0)

    return nonzero


def _integer_indices(index, shape, axes):
    """The tuple of integer arrays NumPy indexes with for the tuple ``index``: its integer
    arrays as they are; for a mask, its ``nonzero()`` once its shape is checked against the
    lengths of the tuple ``shape`` it covers (NumPy's ``IndexError`` naming the axis of
    ``axes``, the indexed array's axis of each length); for a boolean scalar, ``[0]`` when
    true and ``[]`` when false (its length of ``shape`` is the 1 of the new axis it indexes)."""


@overload(_integer_indices)
def _integer_indices_typing(index, shape, axes):
    if len(index) == 0:

        def no_indices(index, shape, axes):
            return ()

        return no_indices
    first = index[0]
    if _mask(first):
        covered = first.ndim

        def mask_then_rest(index, shape, axes):
            mask = index[0]
            _check_mask_shape(mask.shape, shape, axes[0])
            return _nonzero(mask) + _integer_indices(index[1:], shape[covered:], axes[covered:])

        return mask_then_rest
    if isinstance(first, types.Boolean):

        def boolean_then_rest(index, shape, axes):
            return (np.zeros(1 if index[0] else 0, np.int64),) + _integer_indices(index[1:], shape[1:], axes[1:])

        return boolean_then_rest

    def array_then_rest(index, shape, axes):
        return (index[0],) + _integer_indices(index[1:], shape[1:], axes[1:])

    return array_then_rest


# --- the entry points -----------------------------------------------------------------------


def _index_tuple(index):
    """Whether ``index`` is a tuple of index arrays (integers or masks) and boolean scalars,
    which the compiler passes for two or more arrays, or any boolean scalar."""
    return isinstance(index, types.BaseTuple) and len(index) > 0 and all(((_integer_index(x) or _mask(x)) and x.ndim > 0) or isinstance(x, types.Boolean) for x in index.types)


def _covered(index):
    """How many axes of the indexed view the tuple ``index`` covers: one per integer array or
    boolean scalar, one per dimension of a mask."""
    return sum(x.ndim if _mask(x) else 1 for x in index.types)


def _check_index(a, index):
    if not isinstance(a, types.Array):
        return False
    if _index_tuple(index):
        return True
    if not (_integer_index(index) or _mask(index)):
        return False
    if index.ndim == 0:
        raise TypingError("0-dimensional index arrays are not supported here; index with an integer")
    if index.ndim > a.ndim and _mask(index):
        raise TypingError(f"too many indices: a {index.ndim}-dimensional boolean index for a {a.ndim}-dimensional array")
    return True


@overload(select)
def select_typing(a, index, axis):
    if not _check_index(a, index):
        return None
    if _index_tuple(index):
        covered = _covered(index)

        def select_broadcast(a, index, axis):
            indices = _integer_indices(index, a.shape, axis)
            shape = _index_shape(indices)
            if not _is_empty(shape):
                _check_all_positions(indices, a.shape, axis)
            out = np.empty(shape + a.shape[covered:], a.dtype)
            _gather_broadcast(out, a, indices, axis, shape)
            return out

        return select_broadcast
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
def assign_typing(a, index, value, axis, value_layout):
    if not _check_index(a, index):
        return None
    scalar = isinstance(value, (types.Number, types.Boolean))
    if not (scalar or isinstance(value, types.Array)):
        return None
    # NumPy checks the value's shape, then the indices, before it writes anything.
    if _index_tuple(index):
        covered = _covered(index)
        if scalar:

            def fill_broadcast(a, index, value, axis, value_layout):
                indices = _integer_indices(index, a.shape, axis)
                shape = _index_shape(indices)
                if not _is_empty(shape):
                    _check_all_positions(indices, a.shape, axis)
                _scatter_broadcast(a, indices, value, axis, shape)

            return fill_broadcast

        def copy_broadcast(a, index, value, axis, value_layout):
            indices = _integer_indices(index, a.shape, axis)
            shape = _index_shape(indices)
            _check_value_shape(value, shape + a.shape[covered:], value_layout)
            if not _is_empty(shape):
                _check_all_positions(indices, a.shape, axis)
            _scatter_broadcast(a, indices, value, axis, shape)

        return copy_broadcast
    if _mask(index) and scalar:

        def fill_by_mask(a, index, value, axis, value_layout):
            _count_selected(a, index, axis)
            _scatter_selected(a, index, value, 0, 0)

        return fill_by_mask
    if _mask(index):
        covered = index.ndim

        def copy_by_mask(a, index, value, axis, value_layout):
            count = _count_selected(a, index, axis)
            if value_layout[3] and value.shape[0] != count and value.shape[0] != 1:
                mask_value_count_error(value.shape[0], count)
            _check_value_shape(value, (count,) + a.shape[covered:], value_layout)
            _scatter_selected(a, index, value, 0 if value.shape[0] == 1 else 1, 0)

        return copy_by_mask
    if scalar:

        def fill_by_indices(a, index, value, axis, value_layout):
            _check_positions(index, a.shape[0], axis)
            _scatter(a, index, value, axis)

        return fill_by_indices

    def copy_by_indices(a, index, value, axis, value_layout):
        _check_value_shape(value, index.shape + a.shape[1:], value_layout)
        _check_positions(index, a.shape[0], axis)
        _scatter(a, index, value, axis)

    return copy_by_indices
