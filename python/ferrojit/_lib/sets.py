"""Sets in compiled code, with CPython's results, errors and order.

A set is a table of keys without values laid out as CPython 3.11's set
(``crates/ferrojit_runtime/src/sets.rs``): items go to the slots CPython's hashes give them,
so a set iterates, prints and pops as CPython's set of the same history. It is written with
the dict primitives (``dicts.py``: ``find``, ``insert``, ``key_at``, ``next_entry`` (in slot
order), ``delete_at`` (leaving a dummy), ``clear_all``, ``new_like``) and three of its own:
``merge(s, other)`` is the start of CPython's ``set_merge`` (1 when done, 0 when ``s`` was not
empty and ``other``'s items are to be added one by one); ``pop_slot(s)`` the slot ``pop``
takes (-1 when empty); ``purge_dummies(s)`` the end of ``set_difference_update``;
``swap_bodies(a, b)`` CPython's ``set_swap_bodies``, two sets exchanging their tables. Each
operation below builds its result as CPython's ``setobject.c`` does, since that decides the
order.
"""

from __future__ import annotations

from .. import types
from ..extending import CallRefused, overload, overload_method, register_jitable
from . import (
    set_contains,
    set_difference,
    set_difference_in_place,
    set_equal,
    set_intersection,
    set_intersection_in_place,
    set_subset,
    set_symmetric_difference,
    set_symmetric_difference_in_place,
    set_union,
    set_union_in_place,
)
from .dicts import clear_all, delete_at, entry_of, find, insert, key_at, new_like, next_entry


def merge(s, other):
    raise NotImplementedError("merge is called from compiled code only")


def pop_slot(s):
    raise NotImplementedError("pop_slot is called from compiled code only")


def purge_dummies(s):
    raise NotImplementedError("purge_dummies is called from compiled code only")


def swap_bodies(a, b):
    raise NotImplementedError("swap_bodies is called from compiled code only")


def _set(s):
    return isinstance(s, types.SetType)


def _two_sets(a, b, what):
    if not (_set(a) and _set(b)):
        return False
    if a.dtype != b.dtype:
        raise CallRefused(f"cannot {what} a `{a}` and a `{b}`; a set holds items of one type", hint="convert the items first")
    return True


@register_jitable
def _merge(out, other):
    """CPython's ``set_merge``: ``other``'s items into ``out`` (``update``, ``|=``, copies)."""
    if merge(out, other) == 0:
        i = next_entry(other, 0)
        while i >= 0:
            insert(out, key_at(other, i))
            i = next_entry(other, i + 1)


@register_jitable
def _copy(s):
    out = new_like(s)
    _merge(out, s)
    return out


@register_jitable
def _intersect(a, b):
    """CPython's ``set_intersection``: the items of the smaller set (``b`` when of one size)
    found in the other, added in its slot order."""
    out = new_like(a)
    if len(b) > len(a):
        a, b = b, a
    i = next_entry(b, 0)
    while i >= 0:
        x = key_at(b, i)
        if find(a, x) >= 0:
            insert(out, x)
        i = next_entry(b, i + 1)
    return out


@register_jitable
def _difference_update(s, other):
    """CPython's ``set_difference_update_internal`` of a set: ``other``'s items discarded (those
    of the intersection when ``other`` is more than 8 times larger), then the dummies purged
    when they are more than a quarter of the table."""
    if (len(other) >> 3) > len(s):
        other = _intersect(s, other)
    i = next_entry(other, 0)
    while i >= 0:
        j = find(s, key_at(other, i))
        if j >= 0:
            delete_at(s, j)
        i = next_entry(other, i + 1)
    purge_dummies(s)


@register_jitable
def _symmetric_difference_update(s, other):
    """CPython's ``set_symmetric_difference_update``: each of ``other``'s items discarded from
    ``s`` when there, else added."""
    i = next_entry(other, 0)
    while i >= 0:
        x = key_at(other, i)
        j = find(s, x)
        if j >= 0:
            delete_at(s, j)
        else:
            insert(s, x)
        i = next_entry(other, i + 1)


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
def _isdisjoint(a, b):
    """Whether no item of the smaller set is in the other."""
    if len(b) > len(a):
        a, b = b, a
    i = next_entry(b, 0)
    while i >= 0:
        if find(a, key_at(b, i)) >= 0:
            return False
        i = next_entry(b, i + 1)
    return True


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
        _merge(out, b)
        return out

    return impl


@overload(set_intersection)
def _intersection(a, b):
    if not _two_sets(a, b, "intersect"):
        return None

    def impl(a, b):
        return _intersect(a, b)

    return impl


@overload(set_difference)
def _difference(a, b):
    if not _two_sets(a, b, "subtract"):
        return None

    def impl(a, b):
        # CPython's ``set_difference``: a copy of ``a`` less ``b``'s items when ``a`` is more
        # than 4 times larger, else ``a``'s items not in ``b``, added in ``a``'s slot order.
        if (len(a) >> 2) > len(b):
            out = _copy(a)
            _difference_update(out, b)
            return out
        out = new_like(a)
        i = next_entry(a, 0)
        while i >= 0:
            x = key_at(a, i)
            if find(b, x) < 0:
                insert(out, x)
            i = next_entry(a, i + 1)
        return out

    return impl


@overload(set_symmetric_difference)
def _symmetric_difference(a, b):
    if not _two_sets(a, b, "take the symmetric difference of"):
        return None

    def impl(a, b):
        # CPython's ``set_symmetric_difference``: a copy of ``b`` updated by ``a``.
        out = _copy(b)
        _symmetric_difference_update(out, a)
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
        i = pop_slot(s)
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
            _merge(s, other)

        return update_by_set

    def update_by_items(s, other):
        for x in other:
            insert(s, x)

    return update_by_items


@register_jitable
def _intersect_items(s, items):
    """CPython's ``set_intersection`` of a set and an iterable that is not one: the items
    found in ``s``, added in the iterable's order."""
    out = new_like(s)
    for x in items:
        if find(s, x) >= 0:
            insert(out, x)
    return out


def _items_of(s, other, method):
    """Whether ``other`` is an iterable of ``s``'s items that is not a set (a list, a tuple of
    one item type, a string); refuses the others."""
    from .lists import _uniform_tuple

    if _set(other):
        if other.dtype != s.dtype:
            raise CallRefused(f"`set.{method}()` of a `{s}` takes a set of the same items, not a `{other}`", hint="convert the items first")
        return False
    if _uniform_tuple(other) or isinstance(other, (types.List, types.UnicodeType)):
        return True
    raise CallRefused(f"`set.{method}()` takes a set, a list, a tuple or a string, not a `{other}`")


@overload_method(types.SetType, "intersection_update")
def intersection_update(s, other):
    # CPython's ``set_intersection_update``: the intersection made, then the set takes its
    # table (and so its order).
    if _items_of(s, other, "intersection_update"):

        def by_items(s, other):
            swap_bodies(s, _intersect_items(s, other))

        return by_items

    def by_set(s, other):
        swap_bodies(s, _intersect(s, other))

    return by_set


@overload_method(types.SetType, "difference_update")
def difference_update(s, other):
    if _items_of(s, other, "difference_update"):

        def by_items(s, other):
            # CPython's ``set_difference_update_internal`` of an iterable: each item discarded,
            # then the dummies purged when they are more than a quarter of the table.
            for x in other:
                j = find(s, x)
                if j >= 0:
                    delete_at(s, j)
            purge_dummies(s)

        return by_items

    def by_set(s, other):
        _difference_update(s, other)

    return by_set


@overload_method(types.SetType, "symmetric_difference_update")
def symmetric_difference_update(s, other):
    if _items_of(s, other, "symmetric_difference_update"):

        def by_items(s, other):
            # CPython makes a set of the iterable first, then updates by it.
            items = new_like(s)
            for x in other:
                insert(items, x)
            _symmetric_difference_update(s, items)

        return by_items

    def by_set(s, other):
        _symmetric_difference_update(s, other)

    return by_set


# `a op= b` of two sets (CPython's `set_ior` and its kin take sets only): the method's work on
# `a` itself, then `a`.


@overload(set_union_in_place)
def _union_in_place(a, b):
    if not _two_sets(a, b, "join"):
        return None

    def impl(a, b):
        _merge(a, b)
        return a

    return impl


@overload(set_intersection_in_place)
def _intersection_in_place(a, b):
    if not _two_sets(a, b, "intersect"):
        return None

    def impl(a, b):
        swap_bodies(a, _intersect(a, b))
        return a

    return impl


@overload(set_difference_in_place)
def _difference_in_place(a, b):
    if not _two_sets(a, b, "subtract"):
        return None

    def impl(a, b):
        _difference_update(a, b)
        return a

    return impl


@overload(set_symmetric_difference_in_place)
def _symmetric_difference_in_place(a, b):
    if not _two_sets(a, b, "take the symmetric difference of"):
        return None

    def impl(a, b):
        _symmetric_difference_update(a, b)
        return a

    return impl


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
        return _isdisjoint(a, b)

    return impl


@overload(set)
def _set_of(iterable):
    """``set(iterable)`` of a list, a tuple of one item type, a string or a set (``set()`` with
    no argument is the compiler's: typed by what is added to it)."""
    from .lists import _uniform_tuple

    if _set(iterable):
        # CPython's ``set(s)`` of a set: ``set_merge`` into an empty set.
        def copy_of_set(iterable):
            return _copy(iterable)

        return copy_of_set
    if not (_uniform_tuple(iterable) or isinstance(iterable, (types.List, types.UnicodeType))):
        return None

    def impl(iterable):
        out = set()
        for x in iterable:
            out.add(x)
        return out

    return impl
