"""Python's ``bisect`` module in compiled code: ``bisect_left``, ``bisect_right`` (``bisect``),
``insort_left``, ``insort_right`` (``insort``), with ``lo=``, ``hi=`` and ``key=`` (3.10's),
as CPython's ``_bisect`` computes them.

They search lists, homogeneous tuples and 1-d arrays (``insort`` lists only, which it inserts
into). As in CPython, ``hi=None`` and ``hi=-1`` both mean ``len(a)``, a negative ``lo`` is a
``ValueError``, a ``hi`` past the end raises the ``IndexError`` of reading ``a`` there, and
with ``key=`` the key is applied to the items of ``a``, not to ``x`` (``insort`` applies it to
the inserted item).
"""

from __future__ import annotations

import bisect

from .. import types
from ..extending import CallRefused, overload, register_jitable


def _searchable(a, callee):
    uniform = isinstance(a, types.BaseTuple) and len(a.types) > 0 and all(t == a.types[0] for t in a.types)
    if not (isinstance(a, types.List) or uniform or (isinstance(a, types.Array) and a.ndim == 1)):
        raise CallRefused(f"`bisect.{callee}()` of a `{a}` is not supported", hint="search a list, a tuple of items of one type or a 1-d array")


def _arguments_or_refuse(a, lo, hi, key, callee, insort=False):
    if insort:
        if not isinstance(a, types.List):
            raise CallRefused(f"`bisect.{callee}()` inserts into a list, not a `{a}`", hint="keep the sorted items in a list")
    else:
        _searchable(a, callee)
    if not isinstance(lo, (types.Integer, types.Boolean, int)):
        raise CallRefused(f"`bisect.{callee}()` needs an integer `lo`, not a `{lo}`")
    if not (hi is None or isinstance(hi, (types.Integer, types.Boolean, types.NoneType, int))):
        raise CallRefused(f"`bisect.{callee}()` needs an integer or None as `hi`, not a `{hi}`")
    if not (key is None or isinstance(key, (types.NoneType, types.Function))):
        raise CallRefused(f"the `key` of `bisect.{callee}()` must be a function or None, not `{key}`", hint="pass a compiled function, an inner function or a lambda")


def _probe(a, mid, key):
    """``a[mid]`` (its key with ``key=``) for ``mid >= 0``, raising the ``IndexError`` of
    reading ``a`` past its end."""
    return a[mid] if key is None else key(a[mid])


@overload(_probe)
def _probe_typed(a, mid, key):
    if isinstance(a, types.Array):
        # Compiled code reads arrays unchecked: NumPy's `IndexError` is raised here.

        def probe_array(a, mid, key):
            n = len(a)
            if mid >= n:
                raise IndexError(f"index {mid} is out of bounds for axis 0 with size {n}")
            if key is None:
                return a[mid]
            return key(a[mid])

        return probe_array

    # Lists and tuples raise CPython's `IndexError` themselves.
    def probe(a, mid, key):
        if key is None:
            return a[mid]
        return key(a[mid])

    return probe


@register_jitable
def _left(a, x, lo, hi, key):
    """The first position in ``a[lo:hi]`` whose item (key) is not less than ``x``."""
    if lo < 0:
        raise ValueError("lo must be non-negative")
    if hi == -1:
        hi = len(a)
    while lo < hi:
        # `lo + hi` cannot overflow: both are below 2**62 for any list or array.
        mid = (lo + hi) // 2
        if _probe(a, mid, key) < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


@register_jitable
def _right(a, x, lo, hi, key):
    """The first position in ``a[lo:hi]`` whose item (key) is greater than ``x``."""
    if lo < 0:
        raise ValueError("lo must be non-negative")
    if hi == -1:
        hi = len(a)
    while lo < hi:
        mid = (lo + hi) // 2
        if x < _probe(a, mid, key):
            hi = mid
        else:
            lo = mid + 1
    return lo


def _search(a, x, lo, hi, key, callee, right):
    _arguments_or_refuse(a, lo, hi, key, callee)
    find = _right if right else _left
    if hi is None or isinstance(hi, types.NoneType):
        # `hi=None` is CPython's -1: the whole list.

        def search_to_end(a, x, lo=0, hi=None, key=None):
            return find(a, x, lo, -1, key)

        return search_to_end

    def search_to(a, x, lo=0, hi=None, key=None):
        return find(a, x, lo, hi, key)

    return search_to


def _insort(a, x, lo, hi, key, callee, right):
    _arguments_or_refuse(a, lo, hi, key, callee, insort=True)
    find = _right if right else _left
    to_end = hi is None or isinstance(hi, types.NoneType)

    def insert_sorted(a, x, lo=0, hi=None, key=None):
        if to_end:
            h = -1
        else:
            h = hi
        if key is None:
            at = find(a, x, lo, h, key)
        else:
            at = find(a, key(x), lo, h, key)
        a.insert(at, x)

    return insert_sorted


@overload(bisect.bisect_left)
def bisect_left(a, x, lo=0, hi=None, key=None):
    return _search(a, x, lo, hi, key, "bisect_left", right=False)


@overload(bisect.bisect_right)
def bisect_right(a, x, lo=0, hi=None, key=None):
    return _search(a, x, lo, hi, key, "bisect_right", right=True)


@overload(bisect.insort_left)
def insort_left(a, x, lo=0, hi=None, key=None):
    return _insort(a, x, lo, hi, key, "insort_left", right=False)


@overload(bisect.insort_right)
def insort_right(a, x, lo=0, hi=None, key=None):
    return _insort(a, x, lo, hi, key, "insort_right", right=True)
