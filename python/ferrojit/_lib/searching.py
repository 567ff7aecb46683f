"""Searching written in Python: ``searchsorted``, ``unique``, ``nonzero`` (and ``np.where`` of
one argument, ``argwhere``, ``flatnonzero``), ``count_nonzero``, ``bincount``, ``digitize``,
``histogram`` and the set functions ``isin``, ``in1d``, ``intersect1d``, ``union1d``,
``setdiff1d``.

Values are ordered as ``sorting`` orders them (NumPy's order: NaN last, complex numbers by real
part then imaginary part); two values of different types are compared in the type NumPy
compares them in, ``np.result_type`` of both.
"""

import numpy as np

from .. import types
from ..extending import CallRefused, overload, overload_method, register_jitable
from .dtypes import numpy_type
from .reductions import _Axis, _dimensions, _is_nan, _reducer, _tuple_of
from .sorting import _given, _less, _sort_run, _sortable


def _number(ty):
    return isinstance(ty, (types.Boolean, types.Integer, types.Float, types.Complex))


def _constant_flag(name, keyword, value):
    """The value of a flag that changes the result's type (``return_index=``): a constant."""
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, types.BooleanLiteral):
        return value.literal_value
    raise CallRefused(f"`{keyword}=` of `{name}()` must be written `True` or `False`: the result's type depends on it")


# --- searchsorted -------------------------------------------------------------------------------


@register_jitable
def _insertion_point(keys, v, right):
    """Where ``v`` goes in the ordered ``keys``: before the first element not less than it
    (``right``: greater than it), in NumPy's order."""
    lo = 0
    hi = keys.size
    while lo < hi:
        mid = (lo + hi) >> 1
        if (not _less(v, keys[mid])) if right else _less(keys[mid], v):
            lo = mid + 1
        else:
            hi = mid
    return lo


def _ordered_keys(a, sorter, common):
    """``a`` (1-d) in the type ``common``, in the order ``sorter`` gives when not None (NumPy's
    ``ValueError`` for a sorter of another length or holding an index out of range)."""


@overload(_ordered_keys)
def _ordered_keys_typing(a, sorter, common):
    if isinstance(sorter, types.NoneType):

        def as_given(a, sorter, common):
            return a.astype(common)

        return as_given

    def through_sorter(a, sorter, common):
        if sorter.size != a.size:
            raise ValueError("sorter.size must equal a.size")
        keys = np.empty(a.size, common)
        for i in range(a.size):
            s = sorter[i]
            if s < 0 or s >= a.size:
                raise ValueError("Sorter index out of range.")
            keys[i] = common(a[s])
        return keys

    return through_sorter


@overload(np.searchsorted, prefer_literal=True)
def searchsorted_typing(a, v, side="left", sorter=None):
    if not (_sortable(a) and (_number(v) or _sortable(v))):
        return None
    if a.ndim != 1:
        raise CallRefused("`np.searchsorted()` searches a 1-dimensional array", hint="pass `a.ravel()` or one row")
    if _given(sorter) and not (isinstance(sorter, types.Array) and isinstance(sorter.dtype, types.Integer) and sorter.ndim == 1):
        raise CallRefused("`sorter=` of `np.searchsorted()` must be a 1-dimensional array of integers")
    if isinstance(side, types.StringLiteral):
        side = side.literal_value
    elif isinstance(side, types.Type):
        raise CallRefused("`side=` of `np.searchsorted()` must be a constant string, `'left'` or `'right'`")
    right = side[:1].lower() == "r"
    side_error = "" if side[:1].lower() in ("l", "r") else f"search side must be 'left' or 'right' (got '{side}')"
    values = v.dtype if isinstance(v, types.Array) else v
    common = np.result_type(numpy_type(a.dtype), numpy_type(values)).type
    if side_error:

        def refused_side(a, v, side=None, sorter=None):
            raise ValueError(side_error)

        return refused_side
    if not isinstance(v, types.Array):

        def search_one(a, v, side=None, sorter=None):
            return _insertion_point(_ordered_keys(a, sorter, common), common(v), right)

        return search_one

    def search_many(a, v, side=None, sorter=None):
        keys = _ordered_keys(a, sorter, common)
        result = np.empty(v.shape, np.int64)
        found = result.ravel()
        wanted = v.ravel()
        for i in range(wanted.size):
            found[i] = _insertion_point(keys, common(wanted[i]), right)
        return result

    return search_many


# --- unique -------------------------------------------------------------------------------------


@register_jitable
def _same(x, y):
    """Whether ``unique`` counts ``x`` and ``y`` (neighbours in NumPy's order) as one value:
    equal, or both NaN (any NaN part of complex numbers: NumPy's ``equal_nan=True``)."""
    return x == y or (_is_nan(x) and _is_nan(y))


@register_jitable
def _unique_parts(ar, equal_nan):
    """``(keys, idx, starts)``: the flattened ``ar`` in NumPy's order, stably (``idx``, the
    original positions), and where each distinct value's group starts in it (the groups' count
    is ``starts.size - 1``, its last element being ``keys.size``)."""
    keys = ar.flatten()
    n = keys.size
    idx = np.arange(n)
    _sort_run(keys, idx, 0, n, True)
    first = np.empty(n + 1, np.int64)
    groups = 0
    for i in range(n):
        if i == 0 or not (_same(keys[i], keys[i - 1]) if equal_nan else keys[i] == keys[i - 1]):
            first[groups] = i
            groups += 1
    first[groups] = n
    return keys, idx, first[: groups + 1].copy()


@overload(np.unique, prefer_literal=True)
def unique_typing(ar, return_index=False, return_inverse=False, return_counts=False, axis=None, equal_nan=True, sorted=True):
    if not _sortable(ar):
        return None
    if _given(axis):
        raise CallRefused("`np.unique(axis=...)` is not supported in compiled code yet", hint="only `axis=None` (the flattened array) is", unsupported=True)
    if not (sorted is True or isinstance(sorted, types.BooleanLiteral) and sorted.literal_value):
        raise CallRefused("`np.unique(sorted=False)` is not supported in compiled code", hint="its values are sorted either way")
    want_index = _constant_flag("unique", "return_index", return_index)
    want_inverse = _constant_flag("unique", "return_inverse", return_inverse)
    want_counts = _constant_flag("unique", "return_counts", return_counts)
    merge_nans = _constant_flag("unique", "equal_nan", equal_nan)
    plain = not (want_index or want_inverse or want_counts)

    def unique(ar, return_index=False, return_inverse=False, return_counts=False, axis=None, equal_nan=True, sorted=True):
        keys, idx, starts = _unique_parts(ar, merge_nans)
        groups = starts.size - 1
        values = np.empty(groups, keys.dtype)
        first = np.empty(groups, np.int64)
        counts = np.empty(groups, np.int64)
        inverse = np.empty(ar.shape, np.int64)
        inverse_flat = inverse.ravel()
        for g in range(groups):
            values[g] = keys[starts[g]]
            first[g] = idx[starts[g]]
            counts[g] = starts[g + 1] - starts[g]
            for i in range(starts[g], starts[g + 1]):
                inverse_flat[idx[i]] = g
        return _appended(_appended(_appended((values,), first, want_index), inverse, want_inverse), counts, want_counts)

    def unique_values(ar, return_index=False, return_inverse=False, return_counts=False, axis=None, equal_nan=True, sorted=True):
        keys, idx, starts = _unique_parts(ar, merge_nans)
        values = np.empty(starts.size - 1, keys.dtype)
        for g in range(values.size):
            values[g] = keys[starts[g]]
        return values

    return unique_values if plain else unique


def _appended(result, item, wanted):
    """``result + (item,)`` when the constant ``wanted`` is true, else the tuple ``result``."""


@overload(_appended, prefer_literal=True)
def _appended_typing(result, item, wanted):
    if not isinstance(wanted, types.BooleanLiteral):
        return None
    if wanted.literal_value:

        def appended(result, item, wanted):
            return result + (item,)

        return appended

    def kept(result, item, wanted):
        return result

    return kept


# --- nonzero, where, argwhere, flatnonzero, count_nonzero --------------------------------------


@register_jitable
def _nonzero_coordinates(a):
    """The indices of ``a``'s nonzero elements in C order, as the rows of an ``(ndim, count)``
    int64 array (row ``d``: the indices along dimension ``d``)."""
    flat = a.ravel()
    count = 0
    for i in range(flat.size):
        if flat[i] != 0:
            count += 1
    dims = _dimensions(a.shape)
    ndim = dims.size
    coordinates = np.empty((ndim, count), np.int64)
    found = 0
    for i in range(flat.size):
        if flat[i] != 0:
            rest = i
            for d in range(ndim - 1, -1, -1):
                coordinates[d, found] = rest % dims[d]
                rest //= dims[d]
            found += 1
    return coordinates


_NONZERO_0D = "Calling nonzero on 0d arrays is not allowed. Use np.atleast_1d(scalar).nonzero() instead."
_NONZERO_0D_MASK = _NONZERO_0D + " If the context of this error is of the form `arr[nonzero(cond)]`, just use `arr[cond]`."


def nonzero_typing(a):
    if not _sortable(a):
        return None
    ndim = a.ndim
    if ndim == 0:
        # NumPy's message for a boolean array has a hint about masks.
        message = _NONZERO_0D_MASK if isinstance(a.dtype, types.Boolean) else _NONZERO_0D

        def nonzero_refused(a):
            raise ValueError(message)
            return (np.empty(0, np.int64),)

        return nonzero_refused

    def nonzero(a):
        return _tuple_of(_nonzero_coordinates(a), ndim)

    return nonzero


overload(np.nonzero)(nonzero_typing)
overload_method(types.Array, "nonzero")(nonzero_typing)


@overload(np.where)
def where_typing(condition, x=None, y=None):
    # `np.where(condition, x, y)` is the compiler's.
    if _given(x) or _given(y) or not _sortable(condition):
        return None
    return nonzero_typing(condition)


@overload(np.argwhere)
def argwhere_typing(a):
    if not _sortable(a):
        return None

    # NumPy's result is the transpose of nonzero's coordinates: in Fortran order.
    def argwhere(a):
        return _nonzero_coordinates(a).T

    return argwhere


@overload(np.flatnonzero)
def flatnonzero_typing(a):
    if not _sortable(a):
        return None

    def flatnonzero(a):
        flat = a.ravel()
        count = 0
        for i in range(flat.size):
            if flat[i] != 0:
                count += 1
        found = np.empty(count, np.int64)
        count = 0
        for i in range(flat.size):
            if flat[i] != 0:
                found[count] = i
                count += 1
        return found

    return flatnonzero


@overload(np.count_nonzero, prefer_literal=True)
def count_nonzero_typing(a, axis=None, keepdims=False):
    if not _sortable(a):
        return None
    spec = _Axis("count_nonzero", a, axis, keepdims)

    def lane_count(flat, selected, start, step, n, extra):
        count = 0
        for j in range(n):
            if flat[start + j * step] != 0:
                count += 1
        return count

    reduce = _reducer("count_nonzero", "add", a, spec, lane_count, np.int64)

    def count_nonzero(a, axis=None, keepdims=False):
        return reduce(a, axis, 0, None, None)

    return count_nonzero
