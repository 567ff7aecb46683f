"""The methods of lists in compiled code, with CPython's results and errors.

Each is written with five primitives the compiler builds (crates/ferrojit_infer/src/lists.rs),
none of which checks its arguments: ``item(lst, i)`` reads the item at ``0 <= i < len(lst)``;
``store(lst, i, value)`` replaces it; ``splice(lst, at, remove, insert)`` replaces ``remove``
items at ``at`` by ``insert`` new ones (zeroed: each is stored before it is read); ``new_like(lst,
n)`` and ``new_of(example, n)`` make a list of ``n`` such items. Python callers never reach them.
"""

from __future__ import annotations

from .. import types
from ..extending import CallRefused, overload_method, register_jitable


def item(lst, i):
    """The item at ``0 <= i < len(lst)``, unchecked. In compiled code, a load."""
    raise NotImplementedError("item is called from compiled code only")


def store(lst, i, value):
    """Replaces the item at ``0 <= i < len(lst)`` by ``value``, unchecked."""
    raise NotImplementedError("store is called from compiled code only")


def splice(lst, at, remove, insert):
    """Replaces the ``remove`` items at ``at`` by ``insert`` zeroed ones, unchecked."""
    raise NotImplementedError("splice is called from compiled code only")


def new_like(lst, n):
    """A new list of ``lst``'s type holding ``n`` zeroed items."""
    raise NotImplementedError("new_like is called from compiled code only")


def not_in_list(x):
    """Raises CPython's ``ValueError`` of ``list.index(x)`` (the message names ``x``)."""
    raise ValueError(f"{x!r} is not in list")


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


@overload_method(types.List, "sort")
def sort(lst, key=None, reverse=False):
    if key is not None and not isinstance(key, types.NoneType):
        raise CallRefused("`list.sort(key=...)` is not supported yet", hint="sort a list of (key, item) tuples", unsupported=True)

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
