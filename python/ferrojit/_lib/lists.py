"""The methods of lists in compiled code, with CPython's results and errors.

Each is written with five primitives the compiler builds (crates/ferrojit_infer/src/lists.rs),
none of which checks its arguments: ``item(lst, i)`` reads the item at ``0 <= i < len(lst)``;
``store(lst, i, value)`` replaces it; ``splice(lst, at, remove, insert)`` replaces ``remove``
items at ``at`` by ``insert`` new ones (arrays and lists null, numbers unspecified: each new item
is stored right after, before anything can raise); ``new_like(lst,
n)`` and ``new_of(example, n)`` make a list of ``n`` such items. Python callers never reach them.
"""

from __future__ import annotations

import sys

from .. import types
from ..extending import CallRefused, overload_method, register_jitable


def item(lst, i):
    """The item at ``0 <= i < len(lst)``, unchecked. In compiled code, a load."""
    raise NotImplementedError("item is called from compiled code only")


def store(lst, i, value):
    """Replaces the item at ``0 <= i < len(lst)`` by ``value``, unchecked."""
    raise NotImplementedError("store is called from compiled code only")


def splice(lst, at, remove, insert):
    """Replaces the ``remove`` items at ``at`` by ``insert`` new ones (to be stored at once),
    unchecked."""
    raise NotImplementedError("splice is called from compiled code only")


def new_like(lst, n):
    """A new list of ``lst``'s type holding ``n`` zeroed items."""
    raise NotImplementedError("new_like is called from compiled code only")


def not_in_list(x):
    """Raises CPython's ``ValueError`` of ``list.index(x)`` (the message names ``x``)."""
    raise ValueError(f"{x!r} is not in list")


def extended_slice_size_error(size, slice_size):
    """Raises CPython's ``ValueError`` for a sequence of ``size`` items assigned to an extended
    slice of ``slice_size`` items. In compiled code, a runtime call; it never returns."""
    raise ValueError(f"attempt to assign sequence of size {size} to extended slice of size {slice_size}")


def new_of(example, n):
    """A new list of items of ``example``'s type, ``n`` of them zeroed."""
    raise NotImplementedError("new_of is called from compiled code only")


@overload_method(types.List, "append")
def append(lst, x):
    def impl(lst, x):
        n = len(lst)
        splice(lst, n, 0, 1)
        store(lst, n, x)

    return impl


@overload_method(types.List, "extend")
def extend(lst, iterable):
    if isinstance(iterable, types.List):

        def extend_by_list(lst, iterable):
            # The length first: `lst.extend(lst)` doubles the list, as in CPython.
            m = len(iterable)
            n = len(lst)
            splice(lst, n, 0, m)
            for i in range(m):
                store(lst, n + i, item(iterable, i))

        return extend_by_list

    def extend_by_items(lst, iterable):
        for x in iterable:
            n = len(lst)
            splice(lst, n, 0, 1)
            store(lst, n, x)

    return extend_by_items


@register_jitable
def _clamped(i, n):
    """A position for `insert` (and slices): from the end when negative, within [0, n]."""
    if i < 0:
        i += n
        if i < 0:
            i = 0
    if i > n:
        i = n
    return i


@overload_method(types.List, "insert")
def insert(lst, index, x):
    if not isinstance(index, (types.Integer, types.Boolean)):
        raise CallRefused(f"`list.insert()` needs an integer index, not a `{index}`")

    def impl(lst, index, x):
        i = _clamped(index, len(lst))
        splice(lst, i, 0, 1)
        store(lst, i, x)

    return impl


@overload_method(types.List, "pop")
def pop(lst, index=-1):
    if not isinstance(index, (types.Integer, types.Boolean, int)):
        raise CallRefused(f"`list.pop()` needs an integer index, not a `{index}`")

    def impl(lst, index=-1):
        n = len(lst)
        if n == 0:
            raise IndexError("pop from empty list")
        i = index
        if i < 0:
            i += n
        if i < 0 or i >= n:
            raise IndexError("pop index out of range")
        x = item(lst, i)
        splice(lst, i, 1, 0)
        return x

    return impl


@overload_method(types.List, "remove")
def remove(lst, x):
    def impl(lst, x):
        for i in range(len(lst)):
            if item(lst, i) == x:
                splice(lst, i, 1, 0)
                return
        raise ValueError("list.remove(x): x not in list")

    return impl


@overload_method(types.List, "index")
def index(lst, x, start=0, stop=None):
    def impl(lst, x, start=0, stop=None):
        n = len(lst)
        first = _clamped(start, n)
        last = n
        if stop is not None:
            last = _clamped(stop, n)
        for i in range(first, last):
            if item(lst, i) == x:
                return i
        not_in_list(x)
        return -1

    return impl


@overload_method(types.List, "count")
def count(lst, x):
    def impl(lst, x):
        found = 0
        for i in range(len(lst)):
            if item(lst, i) == x:
                found += 1
        return found

    return impl


@overload_method(types.List, "reverse")
def reverse(lst):
    def impl(lst):
        i = 0
        j = len(lst) - 1
        while i < j:
            a = item(lst, i)
            b = item(lst, j)
            store(lst, i, b)
            store(lst, j, a)
            i += 1
            j -= 1

    return impl


@overload_method(types.List, "copy")
def copy(lst):
    def impl(lst):
        n = len(lst)
        out = new_like(lst, n)
        for i in range(n):
            store(out, i, item(lst, i))
        return out

    return impl


@overload_method(types.List, "clear")
def clear(lst):
    def impl(lst):
        splice(lst, 0, len(lst), 0)

    return impl


@register_jitable
def _merge(src, dst, lo, mid, hi, descending):
    """Merges the ordered runs ``src[lo:mid]`` and ``src[mid:hi]`` into ``dst[lo:hi]``, equal
    items in their order (stable, in either direction)."""
    i = lo
    j = mid
    for k in range(lo, hi):
        if i < mid and j < hi:
            a = item(src, i)
            b = item(src, j)
            take_right = (a < b) if descending else (b < a)
        else:
            take_right = i >= mid
        if take_right:
            store(dst, k, item(src, j))
            j += 1
        else:
            store(dst, k, item(src, i))
            i += 1


def _given(value):
    """Whether a typing function's optional argument was passed (and not as ``None``)."""
    return value is not None and not isinstance(value, types.NoneType)


def _key_function(key, callee):
    if _given(key) and not isinstance(key, types.Function):
        raise CallRefused(f"the `key` of `{callee}` must be a function, not `{key}`", hint="pass a compiled function, an inner function or a lambda")
    return _given(key)


@overload_method(types.List, "sort")
def sort(lst, key=None, reverse=False):
    if _key_function(key, "list.sort()"):

        def sort_by_key(lst, key=None, reverse=False):
            # Each item's key computed once, before anything moves (a key that raises leaves
            # the list as it was), then the (key, position) pairs sorted: equal keys keep their
            # order in either direction (stable, as CPython's), the position counting down
            # when the order is reversed.
            n = len(lst)
            descending = bool(reverse)
            keyed = [(key(item(lst, i)), -i if descending else i) for i in range(n)]
            keyed.sort(reverse=descending)
            items = lst.copy()
            for k in range(n):
                at = keyed[k][1]
                store(lst, k, item(items, -at if descending else at))

        return sort_by_key

    def impl(lst, key=None, reverse=False):
        # A bottom-up merge sort (stable, as CPython's), runs of 16 first sorted by insertion.
        n = len(lst)
        descending = bool(reverse)
        for lo in range(0, n, 16):
            hi = min(lo + 16, n)
            for k in range(lo + 1, hi):
                x = item(lst, k)
                j = k
                while j > lo and ((item(lst, j - 1) < x) if descending else (x < item(lst, j - 1))):
                    store(lst, j, item(lst, j - 1))
                    j -= 1
                store(lst, j, x)
        if n <= 16:
            return
        src = lst
        dst = new_like(lst, n)
        in_buffer = False
        width = 16
        while width < n:
            for lo in range(0, n, 2 * width):
                mid = min(lo + width, n)
                hi = min(lo + 2 * width, n)
                _merge(src, dst, lo, mid, hi, descending)
            src, dst = dst, src
            in_buffer = not in_buffer
            width *= 2
        if in_buffer:
            for k in range(n):
                store(lst, k, item(src, k))

    return impl


# ---- operators, slices and built-ins (called by the compiler: `ferrojit._lib.INTERNAL`) -------

from . import (  # noqa: E402 - the placeholders the compiler's calls name
    list_compare,
    list_concat,
    list_contains,
    list_delete,
    list_delete_slice,
    list_extend_in_place,
    list_extremum,
    extremum_by,
    range_list,
    exception_args_list,
    unpack_check,
    list_get_slice,
    list_repeat,
    list_repeat_in_place,
    list_set_slice,
)
from ..extending import overload  # noqa: E402


def _same_lists(a, b, what):
    if not (isinstance(a, types.List) and isinstance(b, types.List)):
        return False
    if a.dtype != b.dtype:
        raise CallRefused(f"cannot {what} a `{a}` and a `{b}`; a list holds items of one type", hint="convert the items first")
    return True


@overload(list_concat)
def _concat(a, b):
    if not _same_lists(a, b, "concatenate"):
        return None

    def impl(a, b):
        n = len(a)
        m = len(b)
        out = new_like(a, n + m)
        for i in range(n):
            store(out, i, item(a, i))
        for i in range(m):
            store(out, n + i, item(b, i))
        return out

    return impl


@overload(list_repeat)
def _repeat(a, n):
    if not isinstance(a, types.List) or not isinstance(n, (types.Integer, types.Boolean)):
        return None

    def impl(a, n):
        m = len(a)
        k = max(n, 0)
        out = new_like(a, m * k)
        for r in range(k):
            for i in range(m):
                store(out, r * m + i, item(a, i))
        return out

    return impl


@overload(list_extend_in_place)
def _extend_in_place(a, b):
    if not isinstance(a, types.List):
        return None

    def impl(a, b):
        a.extend(b)
        return a

    return impl


@overload(list_repeat_in_place)
def _repeat_in_place(a, n):
    if not isinstance(a, types.List) or not isinstance(n, (types.Integer, types.Boolean)):
        return None

    def impl(a, n):
        m = len(a)
        if n <= 0:
            splice(a, 0, m, 0)
            return a
        splice(a, m, 0, m * (n - 1))
        for r in range(1, n):
            for i in range(m):
                store(a, r * m + i, item(a, i))
        return a

    return impl


@overload(list_contains)
def _contains(a, x):
    if not isinstance(a, types.List):
        return None

    def impl(a, x):
        for i in range(len(a)):
            if item(a, i) == x:
                return True
        return False

    return impl


@overload(list_compare, prefer_literal=True)
def _compare(a, b, op):
    if not (isinstance(a, types.List) and isinstance(b, types.List)):
        return None

    def impl(a, b, op):
        # CPython's order: lists of different lengths are unequal at once; otherwise the first
        # items that differ decide, or, with none, the lengths.
        la = len(a)
        lb = len(b)
        if la != lb and op <= 1:
            return op == 1
        for i in range(min(la, lb)):
            x = item(a, i)
            y = item(b, i)
            if x != y:
                if op == 0:
                    return False
                if op == 1:
                    return True
                if op == 2:
                    return x < y
                if op == 3:
                    return x <= y
                if op == 4:
                    return x > y
                return x >= y
        if op == 0:
            return la == lb
        if op == 1:
            return la != lb
        if op == 2:
            return la < lb
        if op == 3:
            return la <= lb
        if op == 4:
            return la > lb
        return la >= lb

    return impl


@register_jitable
def _slice_bound(v, n, step):
    """A given slice bound as CPython adjusts it for a sequence of length ``n``."""
    if v < 0:
        v += n
        if v < 0:
            v = -1 if step < 0 else 0
    elif v >= n:
        v = n - 1 if step < 0 else n
    return v


@register_jitable
def _slice_span(n, start, stop, step):
    """The first position, step and number of items of the slice ``start:stop:step`` (each an
    integer or None) of a sequence of length ``n``, as CPython's ``PySlice_AdjustIndices``."""
    st = 1
    if step is not None:
        st = step
    if st == 0:
        raise ValueError("slice step cannot be zero")
    first = 0 if st > 0 else n - 1
    last = n if st > 0 else -1
    if start is not None:
        first = _slice_bound(start, n, st)
    if stop is not None:
        last = _slice_bound(stop, n, st)
    count = 0
    if st < 0:
        if last < first:
            count = (first - last - 1) // (-st) + 1
    elif first < last:
        count = (last - first - 1) // st + 1
    return first, st, count


def _bound(t):
    return t is None or isinstance(t, (types.NoneType, types.Integer, types.Boolean))


@overload(list_get_slice)
def _get_slice(a, start, stop, step):
    if not isinstance(a, types.List) or not all(_bound(t) for t in (start, stop, step)):
        return None

    def impl(a, start, stop, step):
        first, st, count = _slice_span(len(a), start, stop, step)
        out = new_like(a, count)
        for k in range(count):
            store(out, k, item(a, first + k * st))
        return out

    return impl


@register_jitable
def _assign_slice(a, first, step, count, values):
    m = len(values)
    if step == 1:
        # Replaces the covered items (none when the bounds cross) by the values, read first:
        # `a[1:] = a` reads `a` before it changes.
        vals = values.copy()
        splice(a, first, count, m)
        for k in range(m):
            store(a, first + k, item(vals, k))
        return
    if m != count:
        extended_slice_size_error(m, count)
    vals = values.copy()
    for k in range(count):
        store(a, first + k * step, item(vals, k))


@overload(list_set_slice)
def _set_slice(a, start, stop, step, values):
    if not isinstance(a, types.List) or not all(_bound(t) for t in (start, stop, step)):
        return None
    if not isinstance(values, types.List):
        raise CallRefused(f"can only assign a list to a list slice, not a `{values}`", hint="make the values a list")
    if values.dtype != a.dtype:
        raise CallRefused(f"cannot assign a `{values}` to a slice of a `{a}`; a list holds items of one type")
    def impl(a, start, stop, step, values):
        first, st, count = _slice_span(len(a), start, stop, step)
        _assign_slice(a, first, st, count, values)

    return impl


@register_jitable
def _delete_slice(a, first, step, count):
    if count == 0:
        return
    if step < 0:
        first = first + (count - 1) * step
        step = -step
    if step == 1:
        splice(a, first, count, 0)
        return
    # Keeps the items between the deleted ones, moving them down, then drops the tail.
    n = len(a)
    w = first
    for r in range(first, n):
        k = r - first
        if k % step == 0 and k // step < count:
            continue
        store(a, w, item(a, r))
        w += 1
    splice(a, w, n - w, 0)


@overload(list_delete_slice)
def _del_slice(a, start, stop, step):
    if not isinstance(a, types.List) or not all(_bound(t) for t in (start, stop, step)):
        return None
    def impl(a, start, stop, step):
        first, st, count = _slice_span(len(a), start, stop, step)
        _delete_slice(a, first, st, count)

    return impl


@overload(list_delete)
def _del_item(a, index):
    if not isinstance(a, types.List) or not isinstance(index, (types.Integer, types.Boolean)):
        return None

    def impl(a, index):
        n = len(a)
        i = index
        if i < 0:
            i += n
        if i < 0 or i >= n:
            raise IndexError("list assignment index out of range")
        splice(a, i, 1, 0)

    return impl


# CPython's message for `min()`/`max()` of nothing without a default.
_EMPTY_MIN = "min() arg is an empty sequence" if sys.version_info < (3, 12) else "min() iterable argument is empty"
_EMPTY_MAX = "max() arg is an empty sequence" if sys.version_info < (3, 12) else "max() iterable argument is empty"


@overload(list_extremum, prefer_literal=True)
def _extremum(a, largest):
    if not isinstance(a, types.List):
        return None

    def impl(a, largest):
        n = len(a)
        if n == 0:
            if largest:
                raise ValueError(_EMPTY_MAX)
            raise ValueError(_EMPTY_MIN)
        best = item(a, 0)
        for i in range(1, n):
            x = item(a, i)
            if (x > best) if largest else (x < best):
                best = x
        return best

    return impl


# CPython 3.14 tells how many items there were.
_TOO_MANY_GOT = sys.version_info >= (3, 14)


@overload(unpack_check)
def _unpack_check(n, expected, starred):
    def impl(n, expected, starred):
        if n < expected:
            if starred:
                raise ValueError(f"not enough values to unpack (expected at least {expected}, got {n})")
            raise ValueError(f"not enough values to unpack (expected {expected}, got {n})")
        if n > expected and not starred:
            if _TOO_MANY_GOT:
                raise ValueError(f"too many values to unpack (expected {expected}, got {n})")
            raise ValueError(f"too many values to unpack (expected {expected})")

    return impl


@overload(range_list)
def _range_list(start, stop, step):
    def impl(start, stop, step):
        if step == 0:
            raise ValueError("range() arg 3 must not be zero")
        return [i for i in range(start, stop, step)]

    return impl


@overload(exception_args_list)
def _exception_args_list(args):
    # An exception's arguments in compiled code, each a string (`e.args[i]` raises for others).
    def impl(args):
        return [args[i] for i in range(len(args))]

    return impl


@overload(extremum_by, prefer_literal=True)
def _extremum_by(items, key, default, largest):
    _key_function(key, "min()/max()")
    if isinstance(items, (types.DictType, types.SetType, types.Generator)):

        def of_keys(items, key, default, largest):
            # The keys (the values of a generator) in order.
            found = False
            for x in items:
                if key is None:
                    k = x
                else:
                    k = key(x)
                if not found:
                    best = x
                    best_key = k
                    found = True
                elif (k > best_key) if largest else (k < best_key):  # noqa: F821 - set by the first key
                    best = x
                    best_key = k
            if not found:
                if default is None:
                    if largest:
                        raise ValueError(_EMPTY_MAX)
                    raise ValueError(_EMPTY_MIN)
                return default
            return best  # noqa: F821 - set by the first key

        return of_keys
    if not (isinstance(items, types.List) or _uniform_tuple(items) or (isinstance(items, types.Array) and items.ndim == 1)):
        return None

    def impl(items, key, default, largest):
        # The first of the smallest (largest) keys, as CPython's: a later item replaces the
        # best only when its key is strictly smaller (larger).
        n = len(items)
        if n == 0:
            if default is None:
                if largest:
                    raise ValueError(_EMPTY_MAX)
                raise ValueError(_EMPTY_MIN)
            return default
        best = items[0]
        if key is None:
            best_key = best
        else:
            best_key = key(best)
        for i in range(1, n):
            x = items[i]
            if key is None:
                k = x
            else:
                k = key(x)
            if (k > best_key) if largest else (k < best_key):
                best = x
                best_key = k
        return best

    return impl


@overload(sum)
def _sum(iterable, start=0):
    if isinstance(iterable, types.Generator):

        def sum_of_values(iterable, start=0):
            total = start
            for x in iterable:
                total = total + x
            return total

        return sum_of_values
    if not isinstance(iterable, types.List):
        return None

    def impl(iterable, start=0):
        total = start
        for i in range(len(iterable)):
            total = total + item(iterable, i)
        return total

    return impl


@overload(sorted)
def _sorted(iterable, key=None, reverse=False):
    if _key_function(key, "sorted()"):
        if isinstance(iterable, (types.List, types.Generator)) or _uniform_tuple(iterable) or (isinstance(iterable, types.Array) and iterable.ndim == 1):

            def sorted_by_key(iterable, key=None, reverse=False):
                out = [x for x in iterable]
                out.sort(key=key, reverse=reverse)
                return out

            return sorted_by_key
        return None
    if isinstance(iterable, types.List):

        def sorted_list(iterable, key=None, reverse=False):
            out = iterable.copy()
            out.sort(reverse=reverse)
            return out

        return sorted_list
    if _uniform_tuple(iterable):

        def sorted_tuple(iterable, key=None, reverse=False):
            out = _list_of_tuple(iterable)
            out.sort(reverse=reverse)
            return out

        return sorted_tuple
    if isinstance(iterable, types.Array) and iterable.ndim == 1:

        def sorted_array(iterable, key=None, reverse=False):
            n = len(iterable)
            out = new_of(iterable[0], n)
            for i in range(n):
                store(out, i, iterable[i])
            out.sort(reverse=reverse)
            return out

        return sorted_array
    if isinstance(iterable, (types.SetType, types.DictType, types.UnicodeType, types.Generator)):

        def sorted_items(iterable, key=None, reverse=False):
            out = [x for x in iterable]
            out.sort(reverse=reverse)
            return out

        return sorted_items
    return None


def _uniform_tuple(t):
    """A non-empty tuple whose items have one type (which a loop over it gives)."""
    return isinstance(t, types.BaseTuple) and len(t.types) > 0 and all(x == t.types[0] for x in t.types)


@register_jitable
def _list_of_tuple(t):
    out = new_of(t[0], len(t))
    k = 0
    for x in t:
        store(out, k, x)
        k += 1
    return out


@overload(list)
def _list(iterable):
    if _uniform_tuple(iterable):

        def from_tuple(iterable):
            return _list_of_tuple(iterable)

        return from_tuple
    if isinstance(iterable, types.List):

        def copy_list(iterable):
            return iterable.copy()

        return copy_list
    if isinstance(iterable, types.Array) and iterable.ndim >= 1:

        def from_array(iterable):
            n = len(iterable)
            out = new_of(iterable[0], n)
            for i in range(n):
                store(out, i, iterable[i])
            return out

        return from_array
    if isinstance(iterable, (types.UnicodeType, types.Generator)):

        def from_items(iterable):
            return [c for c in iterable]

        return from_items
    if isinstance(iterable, (types.DictType, types.SetType)):
        # A dict's keys in insertion order; a set's items in its table's slot order, which is
        # CPython's (see ``sets.py``).

        def from_keys(iterable):
            return [k for k in iterable]

        return from_keys
    return None


@overload(any)
def _any(iterable):
    if _uniform_tuple(iterable) or isinstance(iterable, types.Generator):

        def any_of_tuple(iterable):
            for x in iterable:
                if x:
                    return True
            return False

        return any_of_tuple
    if not isinstance(iterable, types.List):
        return None

    def impl(iterable):
        for i in range(len(iterable)):
            if item(iterable, i):
                return True
        return False

    return impl


@overload(all)
def _all(iterable):
    if _uniform_tuple(iterable) or isinstance(iterable, types.Generator):

        def all_of_tuple(iterable):
            for x in iterable:
                if not x:
                    return False
            return True

        return all_of_tuple
    if not isinstance(iterable, types.List):
        return None

    def impl(iterable):
        for i in range(len(iterable)):
            if not item(iterable, i):
                return False
        return True

    return impl
