"""Dicts in compiled code: item access, the methods, with CPython's results and errors.

Written with the compiler's primitives (crates/ferrojit_infer/src/dicts.rs), none of which
checks its arguments: ``find(d, key)`` gives the position of the key's entry or -1;
``insert(d, key)`` the position of its entry, made (its value to be stored at once) when
missing; ``key_at``/``value_at(d, i)`` read a live entry; ``store_value(d, i, value)`` replaces
its value; ``delete_at(d, i)`` removes it; ``next_entry(d, i)`` is the position of the first
live entry at ``i`` or after (-1 past the last), in insertion order (a set's: in slot order); ``clear_all(d)``;
``new_like(d)`` a new empty dict of ``d``'s type.

Keys compared by their ``__eq__`` (jitclass instances of classes with ``__hash__``, and tuples
of them) are found and inserted here rather than by the runtime, as CPython's dicts do it:
``candidate(d, h, n)`` is the position of the ``n``-th entry of hash ``h`` (-1 past the last),
``same_key(a, b)`` is ``a is b or a == b`` (item by item for tuples), and
``insert_new(d, key, h)`` appends an entry for a key known to be missing.
"""

from __future__ import annotations

from .. import types
from ..extending import CallRefused, overload, overload_method, register_jitable
from . import dict_contains, dict_delitem, dict_equal, dict_find_by_eq, dict_getitem, dict_insert_by_eq, dict_merge, dict_setitem
from .lists import new_of, store


def find(d, key):
    raise NotImplementedError("find is called from compiled code only")


def insert(d, key):
    raise NotImplementedError("insert is called from compiled code only")


def key_at(d, i):
    raise NotImplementedError("key_at is called from compiled code only")


def value_at(d, i):
    raise NotImplementedError("value_at is called from compiled code only")


def next_entry(d, i):
    raise NotImplementedError("next_entry is called from compiled code only")


def store_value(d, i, value):
    raise NotImplementedError("store_value is called from compiled code only")


def delete_at(d, i):
    raise NotImplementedError("delete_at is called from compiled code only")


def clear_all(d):
    raise NotImplementedError("clear_all is called from compiled code only")


def new_like(d):
    raise NotImplementedError("new_like is called from compiled code only")


def candidate(d, h, n):
    raise NotImplementedError("candidate is called from compiled code only")


def insert_new(d, key, h):
    raise NotImplementedError("insert_new is called from compiled code only")


def same_key(a, b):
    raise NotImplementedError("same_key is called from compiled code only")


def _dict(d):
    return isinstance(d, types.DictType)


@register_jitable
def _find_hashed(d, key, h):
    """The position of ``key`` (of hash ``h``) in ``d``, or -1. A key's ``__eq__`` may change
    the dict: an entry found equal counts only when it is still where it was among the entries
    of its hash, else the search starts again (as CPython's does)."""
    n = 0
    i = candidate(d, h, 0)
    while i >= 0:
        k = key_at(d, i)
        if same_key(k, key):
            if candidate(d, h, n) == i:
                return i
            n = -1
        n += 1
        i = candidate(d, h, n)
    return -1


@overload(dict_find_by_eq)
def _find_by_eq(d, key):
    def impl(d, key):
        return _find_hashed(d, key, hash(key))

    return impl


@overload(dict_insert_by_eq)
def _insert_by_eq(d, key):
    def impl(d, key):
        h = hash(key)
        i = _find_hashed(d, key, h)
        if i >= 0:
            return i
        return insert_new(d, key, h)

    return impl


@overload(dict_getitem)
def _getitem(d, key):
    if not _dict(d):
        return None

    def impl(d, key):
        i = entry_of(d, key)
        return value_at(d, i)

    return impl


@overload(dict_setitem)
def _setitem(d, key, value):
    if not _dict(d):
        return None

    def impl(d, key, value):
        i = insert(d, key)
        store_value(d, i, value)

    return impl


@overload(dict_delitem)
def _delitem(d, key):
    if not _dict(d):
        return None

    def impl(d, key):
        i = entry_of(d, key)
        delete_at(d, i)

    return impl


@overload(dict_contains)
def _contains(d, key):
    if not _dict(d):
        return None

    def impl(d, key):
        return find(d, key) >= 0

    return impl


@overload(dict_equal)
def _equal(a, b):
    if not (_dict(a) and _dict(b)):
        return None

    def impl(a, b):
        if len(a) != len(b):
            return False
        i = next_entry(a, 0)
        while i >= 0:
            j = find(b, key_at(a, i))
            if j < 0 or not (value_at(b, j) == value_at(a, i)):
                return False
            i = next_entry(a, i + 1)
        return True

    return impl


@register_jitable
def _store_all(d, other):
    """Stores the items of the dict ``other`` into ``d``, in ``other``'s order."""
    i = next_entry(other, 0)
    while i >= 0:
        j = insert(d, key_at(other, i))
        store_value(d, j, value_at(other, i))
        i = next_entry(other, i + 1)


@overload(dict_merge)
def _merge(d, other):
    if not (_dict(d) and _dict(other)):
        raise CallRefused(f"`**` in a dict display takes a dict, not a `{other}`")

    def impl(d, other):
        _store_all(d, other)

    return impl


def _pair(t):
    return isinstance(t, types.BaseTuple) and len(t) == 2


def _refuse_non_pairs(what, iterable):
    """Refuses ``iterable`` unless it gives ``(key, value)`` tuples: a list, set or tuple of
    them, a generator, ``zip(keys, values)``, ``enumerate(...)``."""
    items = None
    if isinstance(iterable, (types.List, types.SetType)):
        items = iterable.dtype
    elif isinstance(iterable, types.Generator):
        items = iterable.yield_type
    elif isinstance(iterable, types.BaseTuple) and len(iterable) > 0 and all(t == iterable[0] for t in iterable):
        items = iterable[0]
    if items is None:
        raise CallRefused(f"`{what}` takes a dict or an iterable of (key, value) pairs, not a `{iterable}`")
    if not _pair(items):
        raise CallRefused(f"`{what}` of an iterable of `{items}`: each item must be a (key, value) tuple")


@overload(dict)
def _dict_of(iterable):
    """``dict(mapping)`` (a copy) and ``dict(pairs)`` of an iterable of ``(key, value)``
    tuples; later pairs replace the values of earlier equal keys, as CPython's. (``dict()``
    with no argument, and with keyword arguments, is the compiler's: a dict display.)"""
    if _dict(iterable):

        def copy_of(iterable):
            return iterable.copy()

        return copy_of
    _refuse_non_pairs("dict()", iterable)

    def impl(iterable):
        out = {}
        for key, value in iterable:
            out[key] = value
        return out

    return impl


@register_jitable
def entry_of(d, key):
    """The position of ``key``'s entry in the dict (or set) ``d``; CPython's ``KeyError(key)``
    when there is none."""
    i = find(d, key)
    if i < 0:
        _missing(key)
    return i


def _missing(key):
    """Raises CPython's ``KeyError(key)``."""


@overload(_missing)
def _missing_typing(key):
    if isinstance(key, (types.Integer, types.Boolean, types.Float)):

        def number(key):
            key_error_number(key)

        return number
    if isinstance(key, (types.UnicodeType, types.Bytes)):

        def text(key):
            # A run-time message: the exception's one argument, the key itself.
            raise KeyError(key)

        return text

    def other(key):
        raise KeyError("the key is not in the dict")

    return other


def key_error_number(key):
    """Raises ``KeyError(key)`` for a number ``key`` (the exception's argument is the key, as
    CPython's). In compiled code, a runtime call; it never returns."""
    raise KeyError(key)


@overload_method(types.DictType, "get")
def get(d, key, default=None):
    if default is None or isinstance(default, types.NoneType):
        # `None` or the value: an optional value (Numba's `Optional`), which compiled code
        # tests with `is None` and otherwise uses as the value.

        def value_or_none(d, key, default=None):
            i = find(d, key)
            if i < 0:
                return None
            return value_at(d, i)

        return value_or_none

    def impl(d, key, default=None):
        i = find(d, key)
        if i < 0:
            return default
        return value_at(d, i)

    return impl


@overload_method(types.DictType, "setdefault")
def setdefault(d, key, default=None):
    def impl(d, key, default=None):
        i = find(d, key)
        if i < 0:
            i = insert(d, key)
            store_value(d, i, default)
        return value_at(d, i)

    return impl


@overload_method(types.DictType, "pop")
def pop(d, key, default=None):
    given = default is not None and not isinstance(default, types.NoneType)
    if given:

        def pop_or_default(d, key, default=None):
            i = find(d, key)
            if i < 0:
                return default
            value = value_at(d, i)
            delete_at(d, i)
            return value

        return pop_or_default

    def impl(d, key, default=None):
        i = entry_of(d, key)
        value = value_at(d, i)
        delete_at(d, i)
        return value

    return impl


@register_jitable
def _last_entry(d):
    last = -1
    i = next_entry(d, 0)
    while i >= 0:
        last = i
        i = next_entry(d, i + 1)
    return last


@overload_method(types.DictType, "popitem")
def popitem(d):
    def impl(d):
        if len(d) == 0:
            raise KeyError("popitem(): dictionary is empty")
        i = _last_entry(d)
        pair = (key_at(d, i), value_at(d, i))
        delete_at(d, i)
        return pair

    return impl


def _view(read):
    def typing(d):
        def impl(d):
            out = new_of(read(d, 0), len(d))
            k = 0
            i = next_entry(d, 0)
            while i >= 0:
                store(out, k, read(d, i))
                k += 1
                i = next_entry(d, i + 1)
            return out

        return impl

    return typing


@register_jitable
def _item_at(d, i):
    return key_at(d, i), value_at(d, i)


@register_jitable
def _key_of(d, i):
    return key_at(d, i)


@register_jitable
def _value_of(d, i):
    return value_at(d, i)


# `keys()`, `values()`, `items()` outside a `for` loop are lists of them (in a loop, the
# compiler walks the entries themselves). `read` is a compiled function: the primitives
# themselves are names the compiler knows only as globals.
overload_method(types.DictType, "keys")(_view(_key_of))
overload_method(types.DictType, "values")(_view(_value_of))
overload_method(types.DictType, "items")(_view(_item_at))


@overload_method(types.DictType, "update")
def update(d, other):
    if _dict(other):

        def from_dict(d, other):
            _store_all(d, other)

        return from_dict
    _refuse_non_pairs("dict.update()", other)

    def from_pairs(d, other):
        for key, value in other:
            d[key] = value

    return from_pairs


@overload_method(types.DictType, "clear")
def clear(d):
    def impl(d):
        clear_all(d)

    return impl


@overload_method(types.DictType, "copy")
def copy(d):
    def impl(d):
        out = new_like(d)
        i = next_entry(d, 0)
        while i >= 0:
            j = insert(out, key_at(d, i))
            store_value(out, j, value_at(d, i))
            i = next_entry(d, i + 1)
        return out

    return impl
