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
from .dtypes import is_time, numpy_type
from .reductions import _Axis, _dimensions, _is_nan, _reducer, _tuple_of
from .sorting import _given, _less, _orderable, _sort_run, _sortable


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
def _goes_before(key, v, right):
    """Whether an element ``key`` of the ordered keys goes before the insertion point of ``v``: it is less than
    ``v`` (``right``: not greater than it), in NumPy's order."""
    return (not _less(v, key)) if right else _less(key, v)


@register_jitable
def _bisect(keys, v, right, lo, hi):
    """The first position in ``[lo, hi)`` of the ordered ``keys`` whose element does not go before ``v`` (see
    :func:`_goes_before`), or ``hi``."""
    while lo < hi:
        mid = (lo + hi) >> 1
        if _goes_before(keys[mid], v, right):
            lo = mid + 1
        else:
            hi = mid
    return lo


@register_jitable
def _insertion_point(keys, v, right):
    """Where ``v`` goes in the ordered ``keys``: before the first element not less than it
    (``right``: greater than it), in NumPy's order."""
    return _bisect(keys, v, right, 0, keys.size)


# At least this many queries, in at least this many keys, are searched for in their own order (see
# `_insertion_points`). Measured (float64, random queries, best of 15): from 4096 queries in 4096 keys the
# ordered search takes 0.4x the binary searches' time, 0.5x in 1M keys; in 256 keys the two are even, and
# for fewer queries (radix sort's fixed passes) or fewer keys (held in the first level of cache) the binary
# searches are faster.
_ORDERED_QUERIES = 4096
_ORDERED_KEYS = 1024


@register_jitable
def _insertion_points(keys, queries, found, right):
    """``found[i] = _insertion_point(keys, queries[i], right)`` for every query (``queries`` a 1-d array of the
    keys' type, reordered here). Many queries in many keys are sorted first, then found in that order, each by
    a galloping search from where the one before it went: a pass over the keys instead of a binary search per
    query, whose every step is a cache miss once the keys outgrow the cache (1M keys, 100k queries: 7 ms
    where the binary searches take 38 ms)."""
    m = queries.size
    n = keys.size
    if m < _ORDERED_QUERIES or n < _ORDERED_KEYS:
        for i in range(m):
            found[i] = _insertion_point(keys, queries[i], right)
        return
    order = np.arange(m)
    _sort_run(queries, order, 0, m, False)
    p = 0
    for t in range(m):
        v = queries[t]
        if p < n and _goes_before(keys[p], v, right):
            # keys[lo] goes before v: double the step until keys[hi] does not (or hi passes the end), then
            # bisect (lo, hi].
            lo = p
            step = 1
            hi = lo + 1
            while hi < n and _goes_before(keys[hi], v, right):
                lo = hi
                step <<= 1
                hi = lo + step
            p = _bisect(keys, v, right, lo + 1, min(hi, n))
        found[order[t]] = p


def _ordered_keys(a, sorter, common):
    """``a`` (1-d) in the type ``common`` (``a`` itself when of that type), in the order ``sorter`` gives when
    not None (NumPy's ``ValueError`` for a sorter of another length or holding an index out of range)."""


@overload(_ordered_keys)
def _ordered_keys_typing(a, sorter, common):
    if isinstance(sorter, types.NoneType):
        if a.dtype == common.dtype:

            def itself(a, sorter, common):
                return a

            return itself

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
            keys[i] = a[s]
        return keys

    return through_sorter


def _in_common(v, common):
    """The query ``v`` in the keys' type ``common``: converted to a number type; a time value as it
    is (comparisons meet its unit and the keys')."""


@overload(_in_common)
def _in_common_typing(v, common):
    if isinstance(common, types.NumberClass):

        def converted(v, common):
            return common(v)

        return converted

    def as_it_is(v, common):
        return v

    return as_it_is


def _times_of_one_kind(a, v):
    """Whether ``a`` is an array of datetimes (timedeltas) and ``v`` one or an array of them."""
    if not (isinstance(a, types.Array) and is_time(a.dtype)):
        return False
    values = v.dtype if isinstance(v, types.Array) else v
    return type(values) is type(a.dtype)


@overload(np.searchsorted, prefer_literal=True)
def searchsorted_typing(a, v, side="left", sorter=None):
    if not ((_sortable(a) and (_number(v) or _sortable(v))) or _times_of_one_kind(a, v)):
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
    common = np.result_type(numpy_type(a.dtype), numpy_type(values))
    # A number type as its scalar type (to convert with); a time type as its dtype (its unit).
    common = common if common.kind in "mM" else common.type
    if side_error:

        def refused_side(a, v, side=None, sorter=None):
            raise ValueError(side_error)

        return refused_side
    if not isinstance(v, types.Array):

        def search_one(a, v, side=None, sorter=None):
            return _insertion_point(_ordered_keys(a, sorter, common), _in_common(v, common), right)

        return search_one

    def search_many(a, v, side=None, sorter=None):
        keys = _ordered_keys(a, sorter, common)
        result = np.empty(v.shape, np.int64)
        _insertion_points(keys, v.ravel().astype(common), result.ravel(), right)
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
    if not _orderable(ar):
        return None
    if _given(axis):
        raise CallRefused("`np.unique(axis=...)` is not supported in compiled code yet", hint="only `axis=None` (the flattened array) is", unsupported=True)
    if not (sorted is True or isinstance(sorted, types.BooleanLiteral) and sorted.literal_value):
        raise CallRefused("`np.unique(sorted=False)` is not supported in compiled code", hint="its values are sorted either way")
    want_index = _constant_flag("unique", "return_index", return_index)
    want_inverse = _constant_flag("unique", "return_inverse", return_inverse)
    want_counts = _constant_flag("unique", "return_counts", return_counts)
    # NumPy keeps one NaT of a time array whatever `equal_nan` says.
    merge_nans = _constant_flag("unique", "equal_nan", equal_nan) or is_time(ar.dtype)
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


# --- bincount, digitize, histogram --------------------------------------------------------------


def _integers(a):
    return isinstance(a, types.Array) and isinstance(a.dtype, (types.Boolean, types.Integer))


def _weight(weights, i):
    """The weight ``weights[i]`` as a float64, or 1 (an int64) when there are no weights."""


@overload(_weight)
def _weight_typing(weights, i):
    if isinstance(weights, types.NoneType):
        return _unit_weight

    def weight(weights, i):
        return np.float64(weights[i])

    return weight


def _unit_weight(weights, i):
    return 1


def _size_of(weights, otherwise):
    """``weights.size``, or ``otherwise`` when there are no weights."""


@overload(_size_of)
def _size_of_typing(weights, otherwise):
    if isinstance(weights, types.NoneType):

        def no_size(weights, otherwise):
            return otherwise

        return no_size

    def size(weights, otherwise):
        return weights.size

    return size


@overload(np.bincount, prefer_literal=True)
def bincount_typing(x, weights=None, minlength=0):
    if not isinstance(x, types.Array):
        return None
    if x.ndim != 1:
        raise CallRefused("`np.bincount()` counts a 1-dimensional array", hint="NumPy raises ValueError: object too deep for desired array")
    if not _integers(x):
        message = f"Cannot cast array data from dtype('{x.dtype.name}') to dtype('int64') according to the rule 'safe'"

        def refused(x, weights=None, minlength=0):
            raise TypeError(message)
            return np.zeros(0, np.int64)

        return refused
    weighted = _given(weights)
    if weighted and not (isinstance(weights, types.Array) and weights.ndim == 1 and isinstance(weights.dtype, (types.Boolean, types.Integer, types.Float))):
        raise CallRefused("`weights=` of `np.bincount()` must be a 1-dimensional array of real numbers")
    result_type = np.float64 if weighted else np.int64

    def bincount(x, weights=None, minlength=0):
        if minlength < 0:
            raise ValueError("'minlength' must not be negative")
        length = 0
        for i in range(x.size):
            # (A bool would index as a mask.)
            v = np.int64(x[i])
            if v < 0:
                raise ValueError("'list' argument must have no negative elements")
            if v >= length:
                length = v + 1
        if _size_of(weights, x.size) != x.size:
            raise ValueError("The weights and list don't have the same length.")
        counts = np.zeros(max(length, minlength), result_type)
        for i in range(x.size):
            counts[np.int64(x[i])] += _weight(weights, i)
        return counts

    return bincount


@register_jitable
def _bins_direction(bins):
    """1 when ``bins`` increases (never decreases), -1 when it decreases, NumPy's
    ``ValueError`` otherwise (NaNs break both)."""
    rising = True
    falling = True
    for i in range(1, bins.size):
        if not bins[i] >= bins[i - 1]:
            rising = False
        if not bins[i] <= bins[i - 1]:
            falling = False
    if rising:
        return 1
    if falling:
        return -1
    raise ValueError("bins must be monotonically increasing or decreasing")


@register_jitable
def _digitized(keys, direction, v, right):
    """The bin of ``v`` among the edges ``keys`` (in the common type), ``np.digitize``'s."""
    if direction > 0:
        return _insertion_point(keys, v, not right)
    # Decreasing edges: searched from their end.
    lo = 0
    hi = keys.size
    while lo < hi:
        mid = (lo + hi) >> 1
        x = keys[keys.size - 1 - mid]
        if (not _less(v, x)) if not right else _less(x, v):
            lo = mid + 1
        else:
            hi = mid
    return keys.size - lo


@overload(np.digitize, prefer_literal=True)
def digitize_typing(x, bins, right=False):
    if not ((_number(x) or _sortable(x)) and _sortable(bins)):
        return None
    if bins.ndim != 1:
        raise CallRefused("`bins` of `np.digitize()` must be a 1-dimensional array", hint="NumPy raises ValueError: object too deep for desired array")
    values = x.dtype if isinstance(x, types.Array) else x
    if isinstance(values, types.Complex):

        def refused(x, bins, right=False):
            raise TypeError("x may not be complex")
            return 0

        return refused
    common = np.result_type(numpy_type(values), numpy_type(bins.dtype)).type

    if not isinstance(x, types.Array):

        def digitize_one(x, bins, right=False):
            keys = bins.astype(common)
            return _digitized(keys, _bins_direction(keys), common(x), right)

        return digitize_one

    def digitize(x, bins, right=False):
        keys = bins.astype(common)
        direction = _bins_direction(keys)
        result = np.empty(x.shape, np.int64)
        found = result.ravel()
        wanted = x.ravel()
        for i in range(wanted.size):
            found[i] = _digitized(keys, direction, common(wanted[i]), right)
        return result

    return digitize


@register_jitable
def _widened(first, last, bounds_type):
    """The outer edges ``(first, last)``, half a unit apart either way when equal (NumPy's, so
    that the bins have a width)."""
    if first == last:
        return first - bounds_type(0.5), last + bounds_type(0.5)
    return first, last


def _range_bounds(a, given_range, bounds_type):
    """``(first, last)``: the outer edges of ``np.histogram``'s bins, in ``bounds_type``, from
    ``given_range`` or else from the values (0 and 1 for none), widened by a half on either side
    when equal; NumPy's ``ValueError``s for a reversed or infinite range."""


@overload(_range_bounds)
def _range_bounds_typing(a, given_range, bounds_type):
    if isinstance(given_range, types.NoneType) or given_range is None:

        def from_values(a, given_range, bounds_type):
            if a.size == 0:
                first = bounds_type(0)
                last = bounds_type(1)
            else:
                flat = a.ravel()
                first = bounds_type(flat[0])
                last = first
                for i in range(flat.size):
                    v = bounds_type(flat[i])
                    if v != v:
                        first = v
                        last = v
                        break
                    first = min(first, v)
                    last = max(last, v)
                if first != first:
                    raise ValueError("autodetected range of [nan, nan] is not finite")
                if not (np.isfinite(first) and np.isfinite(last)):
                    # NumPy's message names the infinite bound found.
                    raise ValueError("autodetected range of the values is not finite")
            return _widened(first, last, bounds_type)

        return from_values

    def from_range(a, given_range, bounds_type):
        first = bounds_type(given_range[0])
        last = bounds_type(given_range[1])
        if first > last:
            raise ValueError("max must be larger than min in range parameter.")
        if not (np.isfinite(first) and np.isfinite(last)):
            # NumPy's message names the range given.
            raise ValueError("supplied range is not finite")
        return _widened(first, last, bounds_type)

    return from_range


@register_jitable
def _increasing(edges, strictly):
    """Whether ``edges`` never decrease (``strictly``: always increase)."""
    for i in range(1, edges.size):
        if edges[i - 1] > edges[i] or (strictly and edges[i - 1] == edges[i]):
            return False
    return True


@register_jitable
def _uniform_counts(values, weights, edges, edge_type, first, last, nbins, counts):
    """Adds each of ``values`` (in ``edge_type``, the edges') between ``first`` and ``last`` to its bin
    of the ``nbins`` equal ones of ``edges``, as NumPy finds it: from its distance to ``first``,
    corrected by one bin either way against the edges; the last edge belongs to the last bin.

    NumPy estimates the bin as ``(x - first) / (last - first) * nbins``; here the distance is
    multiplied by ``nbins / (last - first)``, a division less per value. The two estimates differ by
    a few units in the last place, both within one bin of the value's, and the correction against
    the edges then finds the same bin from either."""
    scale = edge_type(nbins) / edge_type(last - first)
    for i in range(values.size):
        x = edge_type(values[i])
        if not (x >= first and x <= last):
            continue
        k = min(np.int64(edge_type(x - first) * scale), nbins - 1)
        if x < edges[k]:
            k -= 1
        elif k != nbins - 1 and x >= edges[k + 1]:
            k += 1
        counts[k] += _weight(weights, i)


@register_jitable
def _edge_counts(values, weights, edges, counts):
    """Adds ``values`` to the bins between ``edges`` (increasing; the last edge belongs to the
    last bin), as NumPy counts them: through the sorted values' cumulative counts (weights)."""
    keys = values.copy()
    idx = np.arange(keys.size)
    _sort_run(keys, idx, 0, keys.size, False)
    running = np.zeros(keys.size + 1, counts.dtype)
    for i in range(keys.size):
        running[i + 1] = running[i] + _weight(weights, idx[i])
    m = edges.size
    below = _insertion_point(keys, edges[0], False)
    for e in range(1, m):
        above = _insertion_point(keys, edges[e], e == m - 1)
        counts[e - 1] += running[above] - running[below]
        below = above


@overload(np.histogram, prefer_literal=True)
def histogram_typing(a, bins=10, range=None, density=None, weights=None):
    if not (isinstance(a, types.Array) and isinstance(a.dtype, (types.Integer, types.Float))) or isinstance(a.dtype, types.Boolean):
        if isinstance(a, types.Array):
            raise CallRefused(f"`np.histogram()` of an array of `{a.dtype}` is not supported", hint="histogram an array of integers or floats (`a.astype(np.int64)`)")
        return None
    values_type = numpy_type(a.dtype)
    has_range = _given(range)
    if has_range and not (isinstance(range, types.BaseTuple) and len(range.types) == 2 and all(_number(t) and not isinstance(t, types.Complex) for t in range.types)):
        raise CallRefused("`range=` of `np.histogram()` must be a tuple of two numbers `(min, max)`")
    weighted = _given(weights)
    if weighted and not (isinstance(weights, types.Array) and isinstance(weights.dtype, (types.Boolean, types.Integer, types.Float))):
        raise CallRefused("`weights=` of `np.histogram()` must be an array of real numbers")
    with_density = _constant_flag("histogram", "density", density)
    # NumPy's types: the edges of equal bins in the values' float type (float64 for integers);
    # the outer edges in the values' type, or float64 from `range=` (Python numbers); the
    # counts int64, or the weights' type.
    float_values = issubclass(values_type, np.floating)
    edge_type = values_type if float_values else np.float64
    bounds_type = values_type if float_values and not has_range else np.float64
    count_type = np.float64 if with_density else (numpy_type(weights.dtype) if weighted else np.int64)
    accumulate_type = np.float64 if weighted else np.int64
    # (The implementations' parameter `range` hides the built-in: their loops are in helpers.)
    if isinstance(bins, types.Array):
        if bins.ndim != 1 or not isinstance(bins.dtype, (types.Integer, types.Float)):
            raise CallRefused("`bins` of `np.histogram()` must be an integer or a 1-dimensional array of edges")
        common = np.result_type(values_type, numpy_type(bins.dtype)).type

        def histogram_edges(a, bins=10, range=None, density=None, weights=None):
            if _size_of(weights, a.size) != a.size:
                raise ValueError("weights should have the same shape as a.")
            if not _increasing(bins, False):
                raise ValueError("`bins` must increase monotonically, when an array")
            counts = np.zeros(max(bins.size - 1, 0), accumulate_type)
            _edge_counts(a.ravel().astype(common), _flat(weights), bins.astype(common), counts)
            return _finished(counts, bins, with_density, count_type), bins.copy()

        return histogram_edges
    if not (isinstance(bins, int) or isinstance(bins, types.Integer)):
        raise CallRefused("`bins` of `np.histogram()` must be an integer or an array of edges", hint="NumPy's names of bin estimators (`'auto'`) are not supported in compiled code", unsupported=isinstance(bins, types.StringLiteral))
    known_bins = bins if isinstance(bins, int) else (bins.literal_value if isinstance(bins, types.IntegerLiteral) else None)
    too_many = f"Too many bins for data range. Cannot create {known_bins} finite-sized bins." if known_bins is not None else "Too many bins for data range."

    def histogram_equal(a, bins=10, range=None, density=None, weights=None):
        if _size_of(weights, a.size) != a.size:
            raise ValueError("weights should have the same shape as a.")
        if bins < 1:
            raise ValueError("`bins` must be positive, when an integer")
        first, last = _range_bounds(a, range, bounds_type)
        edges = np.linspace(first, last, bins + 1).astype(edge_type)
        if not _increasing(edges, True):
            raise ValueError(too_many)
        counts = np.zeros(bins, accumulate_type)
        _uniform_counts(a.ravel(), _flat(weights), edges, edge_type, edge_type(first), edge_type(last), bins, counts)
        return _finished(counts, edges, with_density, count_type), edges

    return histogram_equal


def _flat(weights):
    """The weights in C order (None stays None)."""


@overload(_flat)
def _flat_typing(weights):
    if isinstance(weights, types.NoneType):

        def no_weights(weights):
            return None

        return no_weights

    def flat(weights):
        return weights.ravel()

    return flat


@register_jitable
def _pairwise_sum(values, lo, n):
    """The float64 sum of ``values[lo:lo + n]`` added as NumPy adds a contiguous array: in
    order below 8 elements, in 8 interleaved partial sums up to 128, halves (multiples of 8)
    above."""
    if n < 8:
        total = 0.0
        for i in range(lo, lo + n):
            total += np.float64(values[i])
        return total
    if n > 128:
        half = n // 2
        half -= half % 8
        return _pairwise_sum(values, lo, half) + _pairwise_sum(values, lo + half, n - half)
    partial = np.empty(8, np.float64)
    for j in range(8):
        partial[j] = np.float64(values[lo + j])
    i = 8
    while i < n - n % 8:
        for j in range(8):
            partial[j] += np.float64(values[lo + i + j])
        i += 8
    total = ((partial[0] + partial[1]) + (partial[2] + partial[3])) + ((partial[4] + partial[5]) + (partial[6] + partial[7]))
    while i < n:
        total += np.float64(values[lo + i])
        i += 1
    return total


@register_jitable
def _finished(counts, edges, density, count_type):
    """The histogram NumPy returns: the counts in ``count_type``, or with ``density`` each
    over its bin's width and the total."""
    if density:
        total = _pairwise_sum(counts, 0, counts.size)
        # Array division: NumPy's NaN or infinity by a zero total, not an error.
        widths = (edges[1:] - edges[:-1]).astype(np.float64)
        return (counts.astype(np.float64) / widths / total).astype(count_type)
    return counts.astype(count_type)


# --- set functions: isin, intersect1d, union1d, setdiff1d ---------------------------------------
# (NumPy 2.4 has no `in1d` any more: `isin` replaces it.)


def _common_type(name, *arrays):
    for a in arrays:
        if not _sortable(a):
            return None
    return np.result_type(*(numpy_type(a.dtype) for a in arrays)).type


@register_jitable
def _distinct(a, assume_unique, common):
    """The elements of ``a`` in ``common``: all of them in C order when ``assume_unique``, else
    its distinct values in NumPy's order (``np.unique``'s)."""
    if assume_unique:
        return a.ravel().astype(common)
    keys, idx, starts = _unique_parts(a, True)
    values = np.empty(starts.size - 1, common)
    for g in range(values.size):
        values[g] = common(keys[starts[g]])
    return values


@register_jitable
def _membership(element, test_elements, invert, common):
    """Whether each of ``element`` (an array, any shape) is among ``test_elements``
    (``invert``: is not), as a boolean array of its shape: a binary search among the ordered
    test elements (NaN is nowhere, as NumPy's ``==`` finds it)."""
    keys = test_elements.flatten().astype(common)
    _sort_run(keys, None, 0, keys.size, False)
    result = np.empty(element.shape, np.bool_)
    found = result.ravel()
    wanted = element.ravel()
    for i in range(wanted.size):
        v = common(wanted[i])
        p = _insertion_point(keys, v, False)
        found[i] = (p < keys.size and keys[p] == v) != invert
    return result


@overload(np.isin, prefer_literal=True)
def isin_typing(element, test_elements, assume_unique=False, invert=False, kind=None):
    common = _common_type("isin", element, test_elements)
    if common is None:
        return None
    if _given(kind) and not (isinstance(kind, types.StringLiteral) and kind.literal_value in ("sort", "table")):
        raise CallRefused("`kind=` of `np.isin()` must be None, `'sort'` or `'table'`")

    def isin(element, test_elements, assume_unique=False, invert=False, kind=None):
        return _membership(element, test_elements, invert, common)

    return isin


@overload(np.intersect1d, prefer_literal=True)
def intersect1d_typing(ar1, ar2, assume_unique=False, return_indices=False):
    common = _common_type("intersect1d", ar1, ar2)
    if common is None:
        return None
    if _constant_flag("intersect1d", "return_indices", return_indices):
        raise CallRefused("`np.intersect1d(return_indices=True)` is not supported in compiled code yet", unsupported=True)

    # NumPy's: the distinct values of each, together in order; a value equal to the next is
    # in both.
    def intersect1d(ar1, ar2, assume_unique=False, return_indices=False):
        first = _distinct(ar1, assume_unique, common)
        second = _distinct(ar2, assume_unique, common)
        both = np.empty(first.size + second.size, common)
        both[: first.size] = first
        both[first.size :] = second
        _sort_run(both, None, 0, both.size, True)
        count = 0
        for i in range(both.size - 1):
            if both[i] == both[i + 1]:
                count += 1
        common_values = np.empty(count, common)
        count = 0
        for i in range(both.size - 1):
            if both[i] == both[i + 1]:
                common_values[count] = both[i]
                count += 1
        return common_values

    return intersect1d


@overload(np.union1d)
def union1d_typing(ar1, ar2):
    common = _common_type("union1d", ar1, ar2)
    if common is None:
        return None

    def union1d(ar1, ar2):
        both = np.empty(ar1.size + ar2.size, common)
        both[: ar1.size] = ar1.ravel()
        both[ar1.size :] = ar2.ravel()
        return _distinct(both, False, common)

    return union1d


@overload(np.setdiff1d, prefer_literal=True)
def setdiff1d_typing(ar1, ar2, assume_unique=False):
    if _common_type("setdiff1d", ar1, ar2) is None:
        return None
    own = numpy_type(ar1.dtype)
    common = _common_type("setdiff1d", ar1, ar2)

    # The distinct values of `ar1` (all of its elements, in order, when `assume_unique`)
    # that are not in `ar2`, in `ar1`'s type.
    def setdiff1d(ar1, ar2, assume_unique=False):
        first = _distinct(ar1, assume_unique, own)
        kept = _membership(first, ar2, True, common)
        return first[kept]

    return setdiff1d
