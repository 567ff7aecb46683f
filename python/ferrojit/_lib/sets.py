"""Sets in compiled code, on the dict primitives (``dicts.py``): a set is a table of keys
without values. CPython's results and errors; a set's iteration order is the order its items
were added (CPython's follows the hashes)."""

from __future__ import annotations

from .. import types
from ..extending import CallRefused, overload, overload_method, register_jitable
from . import set_contains, set_difference, set_equal, set_intersection, set_subset, set_symmetric_difference, set_union
from .dicts import clear_all, delete_at, entry_of, find, insert, key_at, new_like, next_entry


def _set(s):
    return isinstance(s, types.SetType)


def _two_sets(a, b, what):
    if not (_set(a) and _set(b)):
        return False
    if a.dtype != b.dtype:
        raise CallRefused(f"cannot {what} a `{a}` and a `{b}`; a set holds items of one type", hint="convert the items first")
    return True


@register_jitable
def _add_all(out, other):
    i = next_entry(other, 0)
    while i >= 0:
        insert(out, key_at(other, i))
        i = next_entry(other, i + 1)


@register_jitable
def _copy(s):
    out = new_like(s)
    _add_all(out, s)
    return out


@register_jitable
def _subset(a, b):
    if len(a) > len(b):
        return False
    i = next_entry(a, 0)
    while i >= 0:
        if find(b, key_at(a, i)) < 0:
            return False
        i = next_entry(a, i + 1)
    return True


@register_jitable
def _keep(a, b, present):
    """The items of ``a`` that are in ``b`` (``present``) or not."""
    out = new_like(a)
    i = next_entry(a, 0)
    while i >= 0:
        x = key_at(a, i)
        if (find(b, x) >= 0) == present:
            insert(out, x)
        i = next_entry(a, i + 1)
    return out


@overload(set_contains)
def _contains(s, x):
    if not _set(s):
        return None

    def impl(s, x):
        return find(s, x) >= 0

    return impl


@overload(set_equal)
def _equal(a, b):
    if not (_set(a) and _set(b)):
        return None

    def impl(a, b):
        return len(a) == len(b) and _subset(a, b)

    return impl


@overload(set_subset, prefer_literal=True)
def _subset_typing(a, b, proper):
    if not (_set(a) and _set(b)):
        return None

    def impl(a, b, proper):
        if proper and len(a) >= len(b):
            return False
        return _subset(a, b)

    return impl


@overload(set_union)
def _union(a, b):
    if not _two_sets(a, b, "join"):
        return None

    def impl(a, b):
        out = _copy(a)
        _add_all(out, b)
        return out

    return impl


@overload(set_intersection)
def _intersection(a, b):
    if not _two_sets(a, b, "intersect"):
        return None

    def impl(a, b):
        return _keep(a, b, True)

    return impl


@overload(set_difference)
def _difference(a, b):
    if not _two_sets(a, b, "subtract"):
        return None

    def impl(a, b):
        return _keep(a, b, False)

    return impl


@overload(set_symmetric_difference)
def _symmetric_difference(a, b):
    if not _two_sets(a, b, "take the symmetric difference of"):
        return None

    def impl(a, b):
        out = _keep(a, b, False)
        _add_all(out, _keep(b, a, False))
        return out

    return impl


@overload_method(types.SetType, "add")
def add(s, x):
    def impl(s, x):
        insert(s, x)

    return impl


@overload_method(types.SetType, "remove")
def remove(s, x):
    def impl(s, x):
        delete_at(s, entry_of(s, x))

    return impl


@overload_method(types.SetType, "discard")
def discard(s, x):
    def impl(s, x):
        i = find(s, x)
        if i >= 0:
            delete_at(s, i)

    return impl


@overload_method(types.SetType, "pop")
def pop(s):
    def impl(s):
        i = next_entry(s, 0)
        if i < 0:
            raise KeyError("pop from an empty set")
        x = key_at(s, i)
        delete_at(s, i)
        return x

    return impl


@overload_method(types.SetType, "clear")
def clear(s):
    def impl(s):
        clear_all(s)

    return impl


@overload_method(types.SetType, "copy")
def copy(s):
    def impl(s):
        return _copy(s)

    return impl


@overload_method(types.SetType, "update")
def update(s, other):
    if _set(other):

        def update_by_set(s, other):
            _add_all(s, other)

        return update_by_set

    def update_by_items(s, other):
        for x in other:
            insert(s, x)

    return update_by_items


def _binary_method(internal):
    def typing(a, b):
        if not _set(b):
            raise CallRefused(f"this set method takes a set, not a `{b}`", hint="make the argument a set with `set(...)`")

        def impl(a, b):
            return internal(a, b)

        return impl

    return typing


overload_method(types.SetType, "union")(_binary_method(set_union))
overload_method(types.SetType, "intersection")(_binary_method(set_intersection))
overload_method(types.SetType, "difference")(_binary_method(set_difference))
overload_method(types.SetType, "symmetric_difference")(_binary_method(set_symmetric_difference))


@overload_method(types.SetType, "issubset")
def issubset(a, b):
    if not _set(b):
        raise CallRefused(f"`set.issubset()` takes a set here, not a `{b}`")

    def impl(a, b):
        return _subset(a, b)

    return impl


@overload_method(types.SetType, "issuperset")
def issuperset(a, b):
    if not _set(b):
        raise CallRefused(f"`set.issuperset()` takes a set here, not a `{b}`")

    def impl(a, b):
        return _subset(b, a)

    return impl


@overload_method(types.SetType, "isdisjoint")
def isdisjoint(a, b):
    if not _set(b):
        raise CallRefused(f"`set.isdisjoint()` takes a set here, not a `{b}`")

    def impl(a, b):
        return len(_keep(a, b, True)) == 0

    return impl


@overload(set)
def _set_of(iterable):
    """``set(iterable)`` of a list, a tuple of one item type, a string or a set (``set()`` with
    no argument is the compiler's: typed by what is added to it)."""
    from .lists import _uniform_tuple

    if not (_uniform_tuple(iterable) or isinstance(iterable, (types.List, types.SetType, types.UnicodeType))):
        return None

    def impl(iterable):
        out = set()
        for x in iterable:
            out.add(x)
        return out

    return impl
