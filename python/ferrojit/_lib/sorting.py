"""Sorting written in Python: ``np.sort`` and ``a.sort()``, ``argsort``, ``lexsort``,
``partition``, ``argpartition``, and the order statistics built on selection (``median``,
``percentile``, ``quantile`` and their ``nan`` forms).

Each algorithm is defined once and works on a *run*: the elements ``keys[lo:lo + n]`` of a
one-dimensional contiguous array, permuted in place, together with ``idx[lo:lo + n]`` when
``idx`` is an array (the original positions, for ``argsort``) and not None. Calls along an axis
walk the array's *lanes* (see :func:`_lane_geometry`): each lane is copied into a run, ordered,
and copied out.

NumPy's order: NaN after every number (in a float run, the NaNs are moved to its end first and
the rest ordered with ``<``); complex numbers by real part, then imaginary part, those with NaN
parts last (see :func:`_less`). ``kind='quicksort'`` and ``'heapsort'`` run an introsort
(quicksort falling back to heapsort, NumPy's own quicksort); ``'mergesort'`` and ``'stable'``
a merge sort, which keeps equal elements in their order.
"""

import numpy as np

from .. import types
from ..extending import CallRefused, overload, overload_method, register_jitable
from . import axis_error
from .dtypes import is_time, numpy_type
from .reductions import _dimensions, _store_items, _tuple_of

# Runs this short are ordered by insertion (introsort's small partitions, merge sort's first runs).
_SMALL_RUN = 16


def _given(value):
    """Whether an optional argument was given (not left out, nor written ``None``)."""
    return isinstance(value, types.Type) and not isinstance(value, types.NoneType)


def _sortable(a):
    return isinstance(a, types.Array) and isinstance(a.dtype, (types.Boolean, types.Integer, types.Float, types.Complex))


def _orderable(a):
    """Whether ``np.sort``, ``argsort`` and ``partition`` order ``a``: an array of numbers, or of
    datetime64 or timedelta64 values (NaT last, as NumPy orders it, like NaN)."""
    return _sortable(a) or (isinstance(a, types.Array) and is_time(a.dtype))


def _less(x, y):
    """``x < y`` in NumPy's sort order."""


@overload(_less)
def _less_typing(x, y):
    if isinstance(x, types.Complex):
        # NumPy's order of complex numbers: [R + Rj, R + nanj, nan + Rj, nan + nanj].
        def complex_less(x, y):
            if x.real < y.real:
                return x.imag == x.imag or y.imag != y.imag
            if x.real > y.real:
                return y.imag != y.imag and x.imag == x.imag
            if x.real == y.real or (x.real != x.real and y.real != y.real):
                return x.imag < y.imag or (y.imag != y.imag and x.imag == x.imag)
            return y.real != y.real

        return complex_less
    if isinstance(x, types.Float):

        def float_less(x, y):
            return x < y or (y != y and x == x)

        return float_less
    if is_time(x):

        def time_less(x, y):
            return x < y or (np.isnat(y) and not np.isnat(x))

        return time_less

    def less(x, y):
        return x < y

    return less


def _run_less(x, y):
    """``x < y`` between elements of a run whose NaNs were moved out (see :func:`_nan_to_end`):
    ``<`` for real numbers, :func:`_less` for complex ones."""


@overload(_run_less)
def _run_less_typing(x, y):
    if isinstance(x, types.Complex):

        def complex_run_less(x, y):
            return _less(x, y)

        return complex_run_less

    def run_less(x, y):
        return x < y

    return run_less


def _item(idx, i):
    """``idx[i]``, or 0 when there are no indices (``idx`` is None)."""


@overload(_item)
def _item_typing(idx, i):
    if isinstance(idx, types.NoneType):

        def no_item(idx, i):
            return 0

        return no_item

    def item(idx, i):
        return idx[i]

    return item


def _put(idx, i, value):
    """``idx[i] = value``, nothing when there are no indices (``idx`` is None)."""


@overload(_put)
def _put_typing(idx, i, value):
    if isinstance(idx, types.NoneType):

        def no_put(idx, i, value):
            return None

        return no_put

    def put(idx, i, value):
        idx[i] = value

    return put


@register_jitable
def _swap(keys, idx, i, j):
    k = keys[i]
    keys[i] = keys[j]
    keys[j] = k
    p = _item(idx, i)
    _put(idx, i, _item(idx, j))
    _put(idx, j, p)


def _missing(v):
    """Whether ``v`` is NaN (a float) or NaT (a time value): what NumPy's order puts last."""


@overload(_missing)
def _missing_typing(v):
    if is_time(v):

        def is_nat(v):
            return np.isnat(v)

        return is_nat

    def is_nan(v):
        return v != v

    return is_nan


def _nan_to_end(keys, idx, lo, n):
    """Moves the NaNs of the run to its end, the other elements (and the NaNs) keeping their
    order; returns the number of elements before the NaNs."""


@overload(_nan_to_end)
def _nan_to_end_typing(keys, idx, lo, n):
    if not (isinstance(keys.dtype, types.Float) or is_time(keys.dtype)):

        def no_nan(keys, idx, lo, n):
            return n

        return no_nan

    def nan_to_end(keys, idx, lo, n):
        nans = 0
        for i in range(lo, lo + n):
            if _missing(keys[i]):
                nans += 1
        if nans == 0:
            return n
        nan_keys = np.empty(nans, keys.dtype)
        nan_idx = np.empty(nans, np.int64)
        kept = lo
        found = 0
        for i in range(lo, lo + n):
            v = keys[i]
            if _missing(v):
                nan_keys[found] = v
                nan_idx[found] = _item(idx, i)
                found += 1
            else:
                keys[kept] = v
                _put(idx, kept, _item(idx, i))
                kept += 1
        for t in range(nans):
            keys[kept + t] = nan_keys[t]
            _put(idx, kept + t, nan_idx[t])
        return n - nans

    return nan_to_end


@register_jitable
def _insertion_sort(keys, idx, lo, hi):
    """Orders ``keys[lo:hi]`` by insertion; stable."""
    for i in range(lo + 1, hi):
        x = keys[i]
        p = _item(idx, i)
        j = i - 1
        while j >= lo and _run_less(x, keys[j]):
            keys[j + 1] = keys[j]
            _put(idx, j + 1, _item(idx, j))
            j -= 1
        keys[j + 1] = x
        _put(idx, j + 1, p)


@register_jitable
def _sift_down(keys, idx, lo, root, end):
    """Restores the max-heap ``keys[lo:lo + end]`` below ``root``."""
    while True:
        child = 2 * root + 1
        if child >= end:
            return
        if child + 1 < end and _run_less(keys[lo + child], keys[lo + child + 1]):
            child += 1
        if not _run_less(keys[lo + root], keys[lo + child]):
            return
        _swap(keys, idx, lo + root, lo + child)
        root = child


@register_jitable
def _heap_sort(keys, idx, lo, hi):
    n = hi - lo
    for start in range(n // 2 - 1, -1, -1):
        _sift_down(keys, idx, lo, start, n)
    for end in range(n - 1, 0, -1):
        _swap(keys, idx, lo, lo + end)
        _sift_down(keys, idx, lo, 0, end)


@register_jitable
def _median_of_three_pivot(keys, idx, lo, hi):
    """Orders ``keys[lo]``, ``keys[mid]``, ``keys[hi - 1]`` and moves the median of the three to
    ``hi - 2``; ``keys[lo]`` and ``keys[hi - 1]`` then bound the partition scans."""
    mid = lo + ((hi - lo) >> 1)
    if _run_less(keys[mid], keys[lo]):
        _swap(keys, idx, mid, lo)
    if _run_less(keys[hi - 1], keys[mid]):
        _swap(keys, idx, hi - 1, mid)
        if _run_less(keys[mid], keys[lo]):
            _swap(keys, idx, mid, lo)
    _swap(keys, idx, mid, hi - 2)
    return keys[hi - 2]


@register_jitable
def _partition_run(keys, idx, lo, hi):
    """Hoare partition of ``keys[lo:hi]`` (at least 4 elements) around a median of three: returns
    the pivot's final position ``p``, with nothing after ``keys[p]`` before it and nothing
    before it after it."""
    pivot = _median_of_three_pivot(keys, idx, lo, hi)
    i = lo
    j = hi - 2
    while True:
        i += 1
        while _run_less(keys[i], pivot):
            i += 1
        j -= 1
        while _run_less(pivot, keys[j]):
            j -= 1
        if i >= j:
            break
        _swap(keys, idx, i, j)
    _swap(keys, idx, i, hi - 2)
    return i


@register_jitable
def _depth_limit(n):
    """Introsort's number of partition levels before heapsort: 2 log2(n)."""
    limit = 0
    while n > 1:
        limit += 2
        n >>= 1
    return limit


@register_jitable
def _intro_sort(keys, idx, lo, hi):
    """Orders ``keys[lo:hi]`` (no NaN among real numbers): quicksort with a median-of-three
    pivot, the smaller side of each partition kept on a stack (at most log2(n) entries), its
    larger side continued; heapsort past ``2 log2(n)`` levels, insertion for short runs."""
    if hi - lo < 2:
        return
    stack = np.empty((64, 3), np.int64)
    top = 0
    depth = _depth_limit(hi - lo)
    while True:
        while hi - lo > _SMALL_RUN:
            if depth == 0:
                _heap_sort(keys, idx, lo, hi)
                lo = hi
                break
            depth -= 1
            p = _partition_run(keys, idx, lo, hi)
            if p - lo < hi - p:
                stack[top, 0] = p + 1
                stack[top, 1] = hi
                hi = p
            else:
                stack[top, 0] = lo
                stack[top, 1] = p
                lo = p + 1
            stack[top, 2] = depth
            top += 1
        _insertion_sort(keys, idx, lo, hi)
        if top == 0:
            return
        top -= 1
        lo = stack[top, 0]
        hi = stack[top, 1]
        depth = stack[top, 2]


@register_jitable
def _merge_sort(keys, idx, lo, hi, buffer_keys, buffer_idx):
    """Orders ``keys[lo:hi]`` stably (no NaN among real numbers): runs of ``_SMALL_RUN``
    ordered by insertion, then merged pairwise bottom-up; a merge copies its left run into the
    buffers (of at least half the run's length) and is skipped when the two runs are already
    in order. A left run has fewer than ``hi - lo`` elements: the buffers' length."""
    for start in range(lo, hi, _SMALL_RUN):
        _insertion_sort(keys, idx, start, min(start + _SMALL_RUN, hi))
    width = _SMALL_RUN
    while width < hi - lo:
        for left in range(lo, hi - width, 2 * width):
            mid = left + width
            right = min(mid + width, hi)
            if not _run_less(keys[mid], keys[mid - 1]):
                continue
            m = mid - left
            for t in range(m):
                buffer_keys[t] = keys[left + t]
                _put(buffer_idx, t, _item(idx, left + t))
            i = 0
            j = mid
            k = left
            while i < m and j < right:
                if _run_less(keys[j], buffer_keys[i]):
                    keys[k] = keys[j]
                    _put(idx, k, _item(idx, j))
                    j += 1
                else:
                    keys[k] = buffer_keys[i]
                    _put(idx, k, _item(buffer_idx, i))
                    i += 1
                k += 1
            while i < m:
                keys[k] = buffer_keys[i]
                _put(idx, k, _item(buffer_idx, i))
                i += 1
                k += 1
        width *= 2


def _index_buffer(idx, n):
    """A scratch buffer of ``n`` indices for :func:`_merge_sort`, or None when there are no
    indices."""


@overload(_index_buffer)
def _index_buffer_typing(idx, n):
    if isinstance(idx, types.NoneType):

        def no_buffer(idx, n):
            return None

        return no_buffer

    def buffer(idx, n):
        return np.empty(n, np.int64)

    return buffer


# Runs at least this long are ordered by radix sort where it applies (see `_radix_run`).
_RADIX_RUN = 1024


@register_jitable
def _radix_passes(bits, scratch, idx, idx_scratch, lo, hi, low, high, least, unsigned):
    """Orders ``bits[lo:hi]`` (none less than ``least``) stably by the bytes ``low`` to ``high - 1`` of their
    distance from ``least`` (least significant first), moving ``idx[lo:hi]`` (or nothing, ``idx`` None) with
    them: one pass per byte through ``scratch[lo:hi]`` (and ``idx_scratch``), a pass skipped when every element
    has the same byte there; the result is left in ``bits``."""
    n = hi - lo
    levels = high - low
    counts = np.zeros(levels * 256, np.int64)
    for i in range(lo, hi):
        x = (bits[i] - least) >> unsigned(8 * low)
        for b in range(levels):
            counts[b * 256 + np.int64(x & unsigned(255))] += 1
            x = x >> unsigned(8)
    # Unsigned positions: an unsigned index never counts from the end, so it costs no wrap-around.
    offsets = np.empty(256, np.uint64)
    source = bits
    target = scratch
    source_idx = idx
    target_idx = idx_scratch
    moved = 0
    for b in range(levels):
        shift = unsigned(8 * (low + b))
        if counts[b * 256 + np.int64(((source[lo] - least) >> shift) & unsigned(255))] == n:
            continue
        total = lo
        for d in range(256):
            offsets[d] = np.uint64(total)
            total += counts[b * 256 + d]
        for i in range(lo, hi):
            x = source[i]
            d = np.int64(((x - least) >> shift) & unsigned(255))
            o = offsets[d]
            target[o] = x
            _put(target_idx, o, _item(source_idx, i))
            offsets[d] = o + np.uint64(1)
        source, target = target, source
        source_idx, target_idx = target_idx, source_idx
        moved += 1
    if moved % 2 == 1:
        bits[lo:hi] = scratch[lo:hi]
        _copy_indices(idx, idx_scratch, lo, hi)


# Radix sort orders by at most this many leading bytes in one go; elements equal in them are then ordered
# among themselves (see `_radix_sort`).
_LEADING_BYTES = 4


@register_jitable
def _radix_sort(bits, scratch, passes, unsigned, idx, idx_scratch):
    """Orders the unsigned integers ``bits`` (``passes`` bytes each, of type ``unsigned``) stably, moving
    ``idx`` (an int64 array of the same length, or None) with them, through ``scratch`` (and ``idx_scratch``)
    of the same length.

    The elements are ordered by their distance from the least of them, whose bytes above those of the
    largest distance are all zero and skipped. The ``_LEADING_BYTES`` below them are sorted by least
    significant digit first, which leaves the elements in groups equal in those bytes; each group longer than
    one is then ordered by its other bytes: by insertion, merge sort or radix sort again as it grows. For
    values spread over the leading bytes (1M random doubles or int64s, 4 bytes: groups of one or two) this
    halves the passes over the data."""
    n = bits.size
    if n < 2:
        return
    least = bits[0]
    most = bits[0]
    for i in range(n):
        least = min(least, bits[i])
        most = max(most, bits[i])
    span = most - least
    high = 0
    while high < passes and (span >> unsigned(8 * high)) != 0:
        high += 1
    if high == 0:
        return
    low = max(high - _LEADING_BYTES, 0)
    _radix_passes(bits, scratch, idx, idx_scratch, 0, n, low, high, least, unsigned)
    if low == 0:
        return
    shift = unsigned(8 * low)
    start = 0
    while start < n:
        leading = (bits[start] - least) >> shift
        end = start + 1
        while end < n and ((bits[end] - least) >> shift) == leading:
            end += 1
        if end - start > _RADIX_RUN:
            _radix_passes(bits, scratch, idx, idx_scratch, start, end, 0, low, least, unsigned)
        elif end - start > _SMALL_RUN:
            _merge_sort(bits, idx, start, end, scratch[start:end], _part(idx_scratch, start, end))
        elif end - start > 1:
            _insertion_sort(bits, idx, start, end)
        start = end


def _part(idx, lo, hi):
    """``idx[lo:hi]``, or None when there are no indices (``idx`` is None)."""


@overload(_part)
def _part_typing(idx, lo, hi):
    if isinstance(idx, types.NoneType):

        def no_part(idx, lo, hi):
            return None

        return no_part

    def part(idx, lo, hi):
        return idx[lo:hi]

    return part


def _copy_indices(idx, source, lo, hi):
    """``idx[lo:hi] = source[lo:hi]``, nothing when there are no indices (``idx`` is None)."""


@overload(_copy_indices)
def _copy_indices_typing(idx, source, lo, hi):
    if isinstance(idx, types.NoneType):

        def no_copy(idx, source, lo, hi):
            return None

        return no_copy

    def copy(idx, source, lo, hi):
        idx[lo:hi] = source[lo:hi]

    return copy


def _radix_run(keys, idx, lo, n, stable):
    """Orders the run ``keys[lo:lo + n]`` (no NaN), with ``idx[lo:lo + n]`` when ``idx`` is not None, by radix
    sort and returns True, when it applies: 32 or 64-bit integers or floats, at least ``_RADIX_RUN`` of them;
    a ``stable`` sort of floats only when the run holds no -0.0 (radix sort tells it from 0.0 by its bits,
    NumPy's order does not). The values' bits are read as unsigned integers in the same order: the sign bit
    flipped (signed integers, positive floats) or all bits (negative floats)."""


@overload(_radix_run)
def _radix_run_typing(keys, idx, lo, n, stable):
    dtype = keys.dtype
    width = getattr(dtype, "bitwidth", 0)
    if is_time(dtype):
        # A time value's int64 count orders it (NaT was moved out).
        width = 64
    applies = (is_time(dtype) or isinstance(dtype, (types.Integer, types.Float)) and not isinstance(dtype, types.Boolean)) and width in (32, 64)
    if not applies:

        def not_applied(keys, idx, lo, n, stable):
            return False

        return not_applied
    unsigned = np.uint64 if width == 64 else np.uint32
    sign = unsigned(1) << unsigned(width - 1)
    every = ~unsigned(0)
    floats = isinstance(dtype, types.Float)
    signed = floats or is_time(dtype) or dtype.signed
    passes = width // 8
    indexed = not isinstance(idx, types.NoneType)

    def radix_run(keys, idx, lo, n, stable):
        if n < _RADIX_RUN:
            return False
        bits = keys[lo : lo + n].view(unsigned)
        if floats and stable:
            for i in range(n):
                if bits[i] == sign:
                    return False
        if signed:
            for i in range(n):
                x = bits[i]
                if floats and (x & sign) != 0:
                    bits[i] = x ^ every
                else:
                    bits[i] = x ^ sign
        if indexed:
            _radix_sort(bits, np.empty(n, unsigned), passes, unsigned, idx[lo : lo + n], np.empty(n, np.int64))
        else:
            _radix_sort(bits, np.empty(n, unsigned), passes, unsigned, None, None)
        if signed:
            for i in range(n):
                x = bits[i]
                if floats and (x & sign) == 0:
                    bits[i] = x ^ every
                else:
                    bits[i] = x ^ sign
        return True

    return radix_run


@register_jitable
def _sort_run(keys, idx, lo, n, stable):
    """Orders the run ``keys[lo:lo + n]`` (with ``idx``) in NumPy's order; ``stable``: keeping
    equal elements in their order."""
    valid = _nan_to_end(keys, idx, lo, n)
    if _radix_run(keys, idx, lo, valid, stable):
        return
    if stable:
        _merge_sort(keys, idx, lo, lo + valid, np.empty(valid, keys.dtype), _index_buffer(idx, valid))
    else:
        _intro_sort(keys, idx, lo, lo + valid)


@register_jitable
def _lane_geometry(dims, axis):
    """``(outer, n, inner)`` of the lanes along ``axis`` (checked, negative from the end) of an
    array of dimensions ``dims``: lane ``(o, i)`` is the elements ``flat[o * n * inner + i +
    j * inner]`` for ``j < n`` of the array in C order ``flat``."""
    ndim = dims.size
    if axis < -ndim or axis >= ndim:
        axis_error(axis, ndim)
    k = axis + ndim if axis < 0 else axis
    outer = 1
    for d in range(k):
        outer *= dims[d]
    inner = 1
    for d in range(k + 1, ndim):
        inner *= dims[d]
    return outer, dims[k], inner


def _order_run(keys, idx, lo, n, stable, positions):
    """Orders the run ``keys[lo:lo + n]``: sorts it (``positions`` None) or partitions it
    around ``positions`` (an int64 array, see :func:`_partition_lane`)."""


@overload(_order_run)
def _order_run_typing(keys, idx, lo, n, stable, positions):
    if isinstance(positions, types.NoneType):

        def sort_run(keys, idx, lo, n, stable, positions):
            _sort_run(keys, idx, lo, n, stable)

        return sort_run

    def partition_run(keys, idx, lo, n, stable, positions):
        _partition_lane(keys, idx, lo, n, positions)

    return partition_run


@register_jitable
def _sort_lanes(flat, idx, dims, axis, stable, positions=None):
    """Orders every lane along ``axis`` of the C-ordered ``flat`` (of dimensions ``dims``) in
    place, with ``idx`` (the lanes' positions along the axis, filled here) when not None:
    sorted, or partitioned around ``positions`` (see :func:`_order_run`). Lanes of adjacent
    elements are ordered where they are, others through a copy."""
    outer, n, inner = _lane_geometry(dims, axis)
    if inner == 1:
        for o in range(outer):
            for j in range(n):
                _put(idx, o * n + j, j)
            _order_run(flat, idx, o * n, n, stable, positions)
        return
    lane = np.empty(n, flat.dtype)
    lane_idx = _index_buffer(idx, n)
    for o in range(outer):
        for i in range(inner):
            start = o * n * inner + i
            for j in range(n):
                lane[j] = flat[start + j * inner]
                _put(lane_idx, j, j)
            _order_run(lane, lane_idx, 0, n, stable, positions)
            for j in range(n):
                flat[start + j * inner] = lane[j]
                _put(idx, start + j * inner, _item(lane_idx, j))


@register_jitable
def _mirrored_axis(axis, ndim):
    """The axis of ``a.T`` that is ``a``'s ``axis``; an axis out of range is left so, for
    :func:`_lane_geometry`'s error."""
    if axis < -ndim or axis >= ndim:
        return axis
    return ndim - 1 - (axis + ndim if axis < 0 else axis)


def _stable_kind(name, kind, stable):
    """Whether a sort's ``kind=`` and ``stable=`` ask for a stable order: ``kind`` None, or a
    string starting with ``q``, ``h`` (unstable), ``m`` or ``s`` (stable) in either case, as
    NumPy reads it; ``stable=True`` asks for it too. Returns None for a kind NumPy refuses
    (raised when the call runs)."""
    if _given(stable):
        if not isinstance(stable, types.BooleanLiteral):
            raise CallRefused(f"`stable=` of `{name}()` must be written `True`, `False` or `None`")
        if _given(kind):
            raise CallRefused(f"`{name}()` takes `kind=` or `stable=`, not both", hint="NumPy raises ValueError when both are given")
        return stable.literal_value
    if not _given(kind):
        return False
    if not isinstance(kind, types.StringLiteral):
        raise CallRefused(f"`kind=` of `{name}()` must be a constant string such as `'stable'`")
    letter = kind.literal_value[:1].lower()
    if letter in ("q", "h"):
        return False
    if letter in ("m", "s"):
        return True
    return None


def _refused_kind(kind):
    """The implementation raising NumPy's ``ValueError`` for a sort ``kind`` it does not know."""
    message = f"sort kind must be one of 'quick', 'heap', or 'stable' (got '{kind.literal_value}')"

    def refused_kind(a, axis=-1, kind=None, order=None, stable=None):
        raise ValueError(message)

    return refused_kind


def _sort_arguments(name, axis, kind, order, stable):
    """Checks the arguments of a sort but the array; returns whether it is stable, None for a
    kind NumPy refuses (see :func:`_stable_kind`)."""
    _check_axis_type(name, axis)
    _check_order(name, order)
    return _stable_kind(name, kind, stable)


def _check_order(name, order):
    if _given(order):
        raise CallRefused(f"`{name}(order=...)` orders structured arrays by field: not supported in compiled code", unsupported=True)


def _whole(axis):
    """Whether ``axis=None`` was written (the array is flattened first)."""
    return axis is None or isinstance(axis, types.NoneType)


def _check_axis_type(name, axis):
    if isinstance(axis, int) or _whole(axis):
        return
    if not (isinstance(axis, types.Integer) and not isinstance(axis, types.Boolean)):
        raise CallRefused(f"`axis=` of `{name}()` must be an integer or None, not `{axis}`")


def _flipped(a):
    """Whether ``a`` is ordered along its axes from the last (Fortran order): NumPy's ``sort``
    keeps that order, so such an array is ordered through its transpose, whose C order it is."""
    return a.layout == "F" and a.ndim > 1


@overload(np.sort, prefer_literal=True)
def sort_typing(a, axis=-1, kind=None, order=None, stable=None):
    if not _orderable(a):
        return None
    is_stable = _sort_arguments("sort", axis, kind, order, stable)
    if is_stable is None:
        return _refused_kind(kind)
    if _whole(axis):

        def sort_flat(a, axis=-1, kind=None, order=None, stable=None):
            flat = a.flatten()
            _sort_run(flat, None, 0, flat.size, is_stable)
            return flat

        return sort_flat
    if _flipped(a):
        ndim = a.ndim

        def sort_fortran(a, axis=-1, kind=None, order=None, stable=None):
            t = a.T
            result = t.copy()
            _sort_lanes(result.ravel(), None, _dimensions(t.shape), _mirrored_axis(axis, ndim), is_stable)
            return result.T

        return sort_fortran

    def sort(a, axis=-1, kind=None, order=None, stable=None):
        result = a.copy()
        _sort_lanes(result.ravel(), None, _dimensions(a.shape), axis, is_stable)
        return result

    return sort


@overload_method(types.Array, "sort", prefer_literal=True)
def array_sort_typing(a, axis=-1, kind=None, order=None, stable=None):
    if not _orderable(a):
        return None
    if _whole(axis):
        raise CallRefused("`a.sort(axis=None)`: NumPy sorts an array in place along one axis", hint="use `np.sort(a, axis=None)` for the flattened array")
    if a.readonly:
        raise CallRefused("`a.sort()` of a read-only array", hint="sort a copy, `np.sort(a)`")
    is_stable = _sort_arguments("sort", axis, kind, order, stable)
    if is_stable is None:
        return _refused_kind(kind)
    contiguous_lanes = a.layout == "C"

    def sort_in_place(a, axis=-1, kind=None, order=None, stable=None):
        dims = _dimensions(a.shape)
        if contiguous_lanes:
            # `ravel` of a C-ordered array is a view: its lanes are ordered in place.
            _sort_lanes(a.ravel(), None, dims, axis, is_stable)
        else:
            ordered = a.copy()
            _sort_lanes(ordered.ravel(), None, dims, axis, is_stable)
            a[...] = ordered

    return sort_in_place


def argsort_typing(a, axis=-1, kind=None, order=None, stable=None):
    if not _orderable(a):
        return None
    is_stable = _sort_arguments("argsort", axis, kind, order, stable)
    if is_stable is None:
        return _refused_kind(kind)
    if _whole(axis) or a.ndim == 0:
        # NumPy's argsort of a 0-d array is that of its one element, as a 1-d array.
        def argsort_flat(a, axis=-1, kind=None, order=None, stable=None):
            keys = a.flatten()
            idx = np.arange(keys.size)
            _sort_run(keys, idx, 0, keys.size, is_stable)
            return idx

        return argsort_flat
    # NumPy's indices are in C order whatever the array's.
    def argsort(a, axis=-1, kind=None, order=None, stable=None):
        keys = a.copy()
        idx = np.empty(a.shape, np.int64)
        _sort_lanes(keys.ravel(), idx.ravel(), _dimensions(a.shape), axis, is_stable)
        return idx

    return argsort


overload(np.argsort, prefer_literal=True)(argsort_typing)
overload_method(types.Array, "argsort", prefer_literal=True)(argsort_typing)


# --- selection: partition, argpartition, and the order statistics -------------------------------


@register_jitable
def _select(keys, idx, lo, hi, k):
    """Moves into ``keys[k]`` the element NumPy's order puts there among ``keys[lo:hi]`` (no
    NaN among real numbers), none after it smaller and none before it larger: introselect,
    quicksort's partitions narrowed to the side holding ``k``, heapsort past ``2 log2(n)``
    levels."""
    depth = _depth_limit(hi - lo)
    while hi - lo > _SMALL_RUN:
        if depth == 0:
            _heap_sort(keys, idx, lo, hi)
            return
        depth -= 1
        p = _partition_run(keys, idx, lo, hi)
        if k == p:
            return
        if k < p:
            hi = p
        else:
            lo = p + 1
    _insertion_sort(keys, idx, lo, hi)


@register_jitable
def _partition_lane(keys, idx, lo, n, kth):
    """Partitions the run ``keys[lo:lo + n]`` around each of the positions ``kth`` (an int64
    array, checked, each in ``[0, n)``): NaNs last, then each position's element in place
    with none smaller after it and none larger before it."""
    valid = _nan_to_end(keys, idx, lo, n)
    ordered = np.sort(kth)
    start = 0
    for t in range(ordered.size):
        k = ordered[t]
        if k >= valid:
            return
        if k >= start:
            _select(keys, idx, lo + start, lo + valid, lo + k)
            start = k + 1


@register_jitable
def _kth_positions(kth, n):
    """The partition positions ``kth`` (an array of integers) in ``[0, n)``, NumPy's
    ``ValueError`` for one out of range, negative ones from the end."""
    positions = np.empty(kth.size, np.int64)
    for t in range(kth.size):
        k = np.int64(kth[t])
        if k < -n or k >= n:
            raise ValueError("kth out of bounds")
        positions[t] = k + n if k < 0 else k
    return positions


def _as_positions(kth):
    """``kth`` (an integer, a tuple of integers or an array of them) as an int64 array."""


@overload(_as_positions)
def _as_positions_typing(kth):
    if isinstance(kth, types.Array):

        def from_array(kth):
            return kth.ravel().astype(np.int64)

        return from_array
    if isinstance(kth, types.BaseTuple):
        count = len(kth.types)

        def from_tuple(kth):
            positions = np.empty(count, np.int64)
            _store_items(kth, positions, count)
            return positions

        return from_tuple

    def from_integer(kth):
        positions = np.empty(1, np.int64)
        positions[0] = kth
        return positions

    return from_integer


@register_jitable
def _partition_lanes(flat, idx, dims, axis, kth):
    """Partitions every lane along ``axis`` around ``kth`` (see :func:`_sort_lanes`)."""
    outer, n, inner = _lane_geometry(dims, axis)
    _sort_lanes(flat, idx, dims, axis, False, _kth_positions(_as_positions(kth), n))


def _check_kth(name, kth):
    integer = isinstance(kth, types.Integer) and not isinstance(kth, types.Boolean)
    tuple_of_integers = isinstance(kth, types.BaseTuple) and all(isinstance(t, types.Integer) and not isinstance(t, types.Boolean) for t in kth.types)
    array_of_integers = isinstance(kth, types.Array) and isinstance(kth.dtype, types.Integer) and not isinstance(kth.dtype, types.Boolean)
    if not (integer or tuple_of_integers or array_of_integers):
        raise CallRefused(f"`kth` of `{name}()` must be an integer, a tuple of integers or an array of integers, not `{kth}`")


def _partition_arguments(name, kth, axis, kind, order):
    """Checks the arguments of a partition but the array."""
    _check_kth(name, kth)
    _check_axis_type(name, axis)
    if kind != "introselect" and _given(kind) and not (isinstance(kind, types.StringLiteral) and kind.literal_value == "introselect"):
        raise CallRefused(f"`kind=` of `{name}()` must be `'introselect'`, NumPy's only selection algorithm")
    _check_order(name, order)


def partition_typing(a, kth, axis=-1, kind="introselect", order=None):
    if not _orderable(a):
        return None
    _partition_arguments("partition", kth, axis, kind, order)
    if _whole(axis):

        def partition_flat(a, kth, axis=-1, kind=None, order=None):
            flat = a.flatten()
            _partition_lanes(flat, None, _dimensions(flat.shape), 0, kth)
            return flat

        return partition_flat

    def partition(a, kth, axis=-1, kind=None, order=None):
        result = a.copy()
        _partition_lanes(result.ravel(), None, _dimensions(a.shape), axis, kth)
        return result

    return partition


def argpartition_typing(a, kth, axis=-1, kind="introselect", order=None):
    if not _orderable(a):
        return None
    _partition_arguments("argpartition", kth, axis, kind, order)
    if _whole(axis) or a.ndim == 0:

        def argpartition_flat(a, kth, axis=-1, kind=None, order=None):
            keys = a.flatten()
            idx = np.empty(keys.size, np.int64)
            _partition_lanes(keys, idx, _dimensions(keys.shape), 0, kth)
            return idx

        return argpartition_flat

    def argpartition(a, kth, axis=-1, kind=None, order=None):
        keys = a.copy()
        idx = np.empty(a.shape, np.int64)
        _partition_lanes(keys.ravel(), idx.ravel(), _dimensions(a.shape), axis, kth)
        return idx

    return argpartition


overload(np.partition, prefer_literal=True)(partition_typing)
overload(np.argpartition, prefer_literal=True)(argpartition_typing)
overload_method(types.Array, "argpartition", prefer_literal=True)(argpartition_typing)


@overload_method(types.Array, "partition", prefer_literal=True)
def array_partition_typing(a, kth, axis=-1, kind="introselect", order=None):
    if not _orderable(a):
        return None
    if a.readonly:
        raise CallRefused("`a.partition()` of a read-only array", hint="partition a copy, `np.partition(a, kth)`")
    partitioned = partition_typing(a, kth, axis, kind, order)
    if _whole(axis):
        raise CallRefused("`a.partition(axis=None)`: NumPy partitions an array in place along one axis")

    def partition_in_place(a, kth, axis=-1, kind=None, order=None):
        a[...] = partitioned(a, kth, axis)

    return partition_in_place


# --- median, percentile, quantile and their nan forms ------------------------------------------


def _statistic_axes(name, a, axis, keepdims):
    from .reductions import _Axis

    return _Axis(name, a, axis, keepdims)


def _scalar_of(q):
    """``q`` (a number or a 0-d array) as a float64."""


@overload(_scalar_of)
def _scalar_of_typing(q):
    if isinstance(q, types.Array):

        def element(q):
            return np.float64(q[()])

        return element

    def number(q):
        return np.float64(q)

    return number


def _order_statistic(name, a, axis, keepdims, skip_nans, lane, result_type, extra_given=False):
    """A function ``(a, axis, extra)`` reducing ``a`` (real numbers) along ``axis`` (None, an
    integer or a tuple of them) with ``lane(values, n, extra)`` on a fresh copy of each lane,
    whose NaNs were moved to its end: NaN for a lane holding one (unless ``skip_nans``: then
    the NaNs are left out) or none."""
    from .reductions import _reducer

    spec = _statistic_axes(name, a, axis, keepdims)
    not_a_number = result_type(np.nan)

    def lane_statistic(flat, selected, start, step, n, extra):
        values = np.empty(n, flat.dtype)
        for j in range(n):
            values[j] = flat[start + j * step]
        valid = _nan_to_end(values, None, 0, n)
        if valid < n and not skip_nans:
            return not_a_number
        if valid == 0:
            return not_a_number
        return lane(values, valid, extra)

    return _reducer(name, "", a, spec, lane_statistic, result_type)


def _real_array(name, a):
    if not _sortable(a):
        return False
    if isinstance(a.dtype, types.Complex):
        raise CallRefused(f"`np.{name}()` of a complex array is not supported", hint="NumPy orders complex numbers only to sort them; take `.real`")
    return True


def _check_out(name, out, overwrite_input):
    if _given(out):
        raise CallRefused(f"`np.{name}(out=...)` is not supported in compiled code yet", hint="assign the result: `out[...] = np.{name}(...)`", unsupported=True)


def _median(name, skip_nans):
    def typing(a, axis=None, out=None, overwrite_input=False, keepdims=False):
        if not _real_array(name, a):
            return None
        _check_out(name, out, overwrite_input)
        result_type = np.float32 if isinstance(a.dtype, types.Float) and a.dtype.bitwidth == 32 else np.float64

        # NumPy's median: the middle element, or the mean of the two middle ones (their sum
        # over 2 in the result's type).
        def middle(values, n, extra):
            half = n // 2
            _select(values, None, 0, n, half)
            upper = result_type(values[half])
            if n % 2 == 1:
                return upper
            lower = values[0]
            for j in range(1, half):
                if values[j] > lower:
                    lower = values[j]
            return result_type((result_type(lower) + upper) / result_type(2))

        reduce = _order_statistic(name, a, axis, keepdims, skip_nans, middle, result_type)

        def median(a, axis=None, out=None, overwrite_input=False, keepdims=False):
            return reduce(a, axis, 0.0, None, None)

        return median

    return typing


def _quantile(name, skip_nans, scale):
    """``quantile`` (``scale`` 1) or ``percentile`` (100), with NumPy's ``method='linear'``:
    the values at the positions ``floor(v)`` and the next, for ``v = (n - 1) q``, interpolated
    as NumPy's ``_lerp`` does."""
    out_of_range = "Quantiles must be in the range [0, 1]" if scale == 1 else "Percentiles must be in the range [0, 100]"

    def typing(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False, weights=None, interpolation=None):
        if not _real_array(name, a):
            return None
        _check_out(name, out, overwrite_input)
        if _given(weights) or _given(interpolation):
            raise CallRefused(f"`np.{name}()` with `weights=` or `interpolation=` is not supported in compiled code yet", unsupported=True)
        if method != "linear" and not (isinstance(method, types.StringLiteral) and method.literal_value == "linear"):
            raise CallRefused(f"`np.{name}(method=...)`: only NumPy's default `'linear'` is supported in compiled code yet", unsupported=True)
        q_array = isinstance(q, types.Array)
        if not (q_array and isinstance(q.dtype, (types.Integer, types.Float)) and q.ndim <= 1) and not (isinstance(q, (types.Integer, types.Float)) and not isinstance(q, types.Boolean)):
            raise CallRefused(f"`q` of `np.{name}()` must be a real number or a 1-dimensional array of them")
        # NumPy 2 keeps a float32 array's type for a Python number `q`; an array `q` computes
        # in float64.
        float32 = isinstance(a.dtype, types.Float) and a.dtype.bitwidth == 32
        result_type = np.float32 if float32 and not q_array else np.float64
        element = numpy_type(a.dtype)

        def interpolated(values, n, q):
            virtual = np.float64(n - 1) * q
            previous = np.floor(virtual)
            if virtual >= n - 1:
                previous = -1.0
            elif virtual < 0:
                previous = 0.0
            below = np.int64(previous)
            above = below + 1 if previous >= 0 else below
            if below < 0:
                below += n
                above += n
            # The weight and its complement in float64, each then rounded to the result's
            # type, as NumPy's (a Python float, weak, for a Python number `q`).
            gamma = virtual - previous
            _select(values, None, 0, n, below)
            if above != below:
                _select(values, None, below + 1, n, above)
            low = values[below]
            high = values[above]
            difference = element(high - low)
            if gamma >= 0.5:
                return result_type(high - difference * result_type(1.0 - gamma))
            return result_type(low + difference * result_type(gamma))

        reduce = _order_statistic(name, a, axis, keepdims, skip_nans, interpolated, result_type)
        whole = _statistic_axes(name, a, axis, keepdims).scalar(a)

        if not q_array or q.ndim == 0:

            def one_quantile(a, q, axis=None, out=None, overwrite_input=False, method=None, keepdims=False, weights=None, interpolation=None):
                fraction = _scalar_of(q) / scale
                if not (fraction >= 0 and fraction <= 1):
                    raise ValueError(out_of_range)
                return reduce(a, axis, fraction, None, None)

            return one_quantile

        def many_quantiles(a, q, axis=None, out=None, overwrite_input=False, method=None, keepdims=False, weights=None, interpolation=None):
            fractions = q.ravel().astype(np.float64) / scale
            for t in range(fractions.size):
                if not (fractions[t] >= 0 and fractions[t] <= 1):
                    raise ValueError(out_of_range)
            if whole:
                result = np.empty(fractions.size, result_type)
                for t in range(fractions.size):
                    result[t] = reduce(a, axis, fractions[t], None, None)
                return result
            first = reduce(a, axis, fractions[0], None, None)
            stacked = np.empty((fractions.size,) + first.shape, result_type)
            for t in range(fractions.size):
                stacked[t] = reduce(a, axis, fractions[t], None, None)
            return stacked

        return many_quantiles

    return typing


for _name, _typing in [
    ("median", _median("median", False)),
    ("nanmedian", _median("nanmedian", True)),
    ("quantile", _quantile("quantile", False, 1)),
    ("nanquantile", _quantile("nanquantile", True, 1)),
    ("percentile", _quantile("percentile", False, 100)),
    ("nanpercentile", _quantile("nanpercentile", True, 100)),
]:
    overload(getattr(np, _name), prefer_literal=True)(_typing)


# --- lexsort -------------------------------------------------------------------------------------


def _sort_by_keys(keys, idx, count):
    """Orders ``idx`` stably by ``keys[0]``, then ``keys[1]``, ... ``keys[count - 1]`` (each
    pass stable: the last key decides first, ties fall to the ones before)."""


@overload(_sort_by_keys, prefer_literal=True)
def _sort_by_keys_typing(keys, idx, count):
    if not isinstance(count, types.IntegerLiteral):
        return None
    last = count.literal_value - 1
    if last < 0:

        def no_keys(keys, idx, count):
            return None

        return no_keys

    def by_keys(keys, idx, count):
        _sort_by_keys(keys, idx, last)
        _sort_by_key(keys[last], idx)

    return by_keys


@register_jitable
def _sort_by_key(key, idx):
    """Reorders ``idx`` stably by ``key[idx]`` (``key`` 1-d, of ``idx``'s length)."""
    if key.size != idx.size:
        raise ValueError("all keys need to be the same shape")
    values = np.empty(idx.size, key.dtype)
    for i in range(idx.size):
        values[i] = key[idx[i]]
    _sort_run(values, idx, 0, idx.size, True)


@overload(np.lexsort, prefer_literal=True)
def lexsort_typing(keys, axis=-1):
    if not (isinstance(axis, int) and axis == -1 or isinstance(axis, types.IntegerLiteral) and axis.literal_value in (-1, 0)):
        raise CallRefused("`np.lexsort()` of 1-dimensional keys sorts along `axis=-1` only in compiled code", unsupported=True)
    if isinstance(keys, types.Array):
        if keys.ndim != 2 or not _sortable(keys):
            raise CallRefused("`np.lexsort()` takes a tuple of 1-dimensional arrays, or a 2-dimensional array whose rows are the keys")

        def lexsort_rows(keys, axis=-1):
            idx = np.arange(keys.shape[1])
            for k in range(keys.shape[0]):
                _sort_by_key(keys[k], idx)
            return idx

        return lexsort_rows
    if not (isinstance(keys, types.BaseTuple) and len(keys.types) > 0 and all(_sortable(t) and t.ndim == 1 for t in keys.types)):
        raise CallRefused("`np.lexsort()` takes a non-empty tuple of 1-dimensional arrays, or a 2-dimensional array whose rows are the keys")
    count = len(keys.types)

    def lexsort(keys, axis=-1):
        idx = np.arange(keys[count - 1].size)
        _sort_by_keys(keys, idx, count)
        return idx

    return lexsort
