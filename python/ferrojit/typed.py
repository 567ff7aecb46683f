"""Typed containers, as ``numba.typed``: ``List`` and ``Dict``.

A typed container is a compiled list or dict that Python code uses in place: it holds items of
one type, fixed when it is made (``List.empty_list(types.int64)``, ``Dict.empty(key_type,
value_type)``) or by its first item (``List()``, ``Dict()``, ``List([1, 2, 3])``), and passing it
to an ``@njit`` function passes the container itself, not a copy: what the compiled code
changes, the caller sees at once, and a typed container returned by compiled code comes back as
the very object that was passed in (or, for one made in compiled code, as a new typed one).

Items are stored strictly: a value converts to the item type as an argument converts to an
explicitly declared signature (an ``int`` into a ``float64`` list becomes a float), anything else
is a ``TypeError`` naming the expected type. Items are numbers, strings, tuples of them, and
typed Lists and Dicts of those.

The storage and the conversions are native (``ferrojit._native.TypedContainer``, see
``crates/ferrojit_python/src/typed.rs``); this module writes Python's list and dict protocols on
its primitives: ``_make(type_name)``, ``_get(i)``, ``_set(i, x)``, ``_splice(at, remove,
values)``, ``_find(key)``, ``_entry(pos)``, ``_next(pos)``, ``_store(key, value)``,
``_delete_at(pos)``, ``_clear()``.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping, MutableMapping, MutableSequence

from . import _native, types

__all__ = ["List", "Dict"]

_MISSING = object()

# Python classes a user may give for a type, with the type they stand for.
_PYTHON_CLASSES = {int: types.int64, float: types.float64, complex: types.complex128, bool: types.boolean, str: types.unicode_type}


def _type_name(ty, what):
    """The ferrojit name of the type ``ty`` given as ``what`` (``key_type``)."""
    ty = _PYTHON_CLASSES.get(ty, ty) if isinstance(ty, type) else ty
    if not isinstance(ty, types.Type):
        raise TypeError(f"{what} must be a type such as types.int64 or types.unicode_type, not {ty!r}")
    return str(ty)


def _empty_list(item_type, allocated=0):
    """``List.empty_list(item_type)``: a new empty typed List of ``item_type`` items
    (``allocated``, Numba's capacity hint, is accepted and has no effect)."""
    made = List.__new__(List)
    made._make(f"list({_type_name(item_type, 'item_type')})")
    return made


def _empty_dict(key_type, value_type, n_keys=0):
    """``Dict.empty(key_type, value_type)``: a new empty typed Dict (``n_keys``, Numba's size
    hint, is accepted and has no effect)."""
    made = Dict.__new__(Dict)
    made._make(f"dict({_type_name(key_type, 'key_type')}, {_type_name(value_type, 'value_type')})")
    return made


class List(_native.TypedContainer, MutableSequence):
    """A typed list (Numba's ``numba.typed.List``): ``List()``, ``List(iterable)``,
    ``List.empty_list(item_type)``."""

    __slots__ = ()

    empty_list = staticmethod(_empty_list)

    def __init__(self, iterable=None):
        if iterable is not None:
            self.extend(iterable)

    def _type_by(self, value):
        """Types an untyped list by its first item."""
        if self._type_name is None:
            self._make(f"list({_native.typeof_name(value)})")

    def _index(self, i, message="list index out of range"):
        i = operator.index(i)
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(message)
        return i

    def _like(self, values):
        """A new typed List of this list's type holding ``values``."""
        made = List.__new__(List)
        if self._type_name is not None:
            made._make(self._type_name)
        made._splice(0, 0, values) if values else None
        return made

    def __getitem__(self, i):
        if isinstance(i, slice):
            return self._like([self._get(k) for k in range(*i.indices(len(self)))])
        return self._get(self._index(i))

    def __setitem__(self, i, value):
        if not isinstance(i, slice):
            self._set(self._index(i, "list assignment index out of range"), value)
            return
        values = list(value)
        start, stop, step = i.indices(len(self))
        if step == 1:
            if values:
                self._type_by(values[0])
            self._splice(start, max(stop - start, 0), values)
            return
        targets = range(start, stop, step)
        if len(values) != len(targets):
            raise ValueError(f"attempt to assign sequence of size {len(values)} to extended slice of size {len(targets)}")
        for k, v in zip(targets, values):
            self._set(k, v)

    def __delitem__(self, i):
        if not isinstance(i, slice):
            self._splice(self._index(i, "list assignment index out of range"), 1, [])
            return
        start, stop, step = i.indices(len(self))
        if step == 1:
            self._splice(start, max(stop - start, 0), [])
            return
        for k in sorted(range(start, stop, step), reverse=True):
            self._splice(k, 1, [])

    def __iter__(self):
        # The length is read before each item, as a Python list's iterator does.
        i = 0
        while i < len(self):
            yield self._get(i)
            i += 1

    def __contains__(self, value):
        return any(item == value for item in self)

    def insert(self, i, value):
        self._type_by(value)
        n = len(self)
        i = operator.index(i)
        i = min(max(i + n if i < 0 else i, 0), n)
        self._splice(i, 0, [value])

    def append(self, value):
        self._type_by(value)
        self._splice(len(self), 0, [value])

    def extend(self, iterable):
        values = list(iterable)
        if values:
            self._type_by(values[0])
            self._splice(len(self), 0, values)

    def pop(self, i=-1):
        if not len(self):
            raise IndexError("pop from empty list")
        i = self._index(i, "pop index out of range")
        value = self._get(i)
        self._splice(i, 1, [])
        return value

    def remove(self, value):
        for k, item in enumerate(self):
            if item == value:
                self._splice(k, 1, [])
                return
        raise ValueError("list.remove(x): x not in list")

    def index(self, value, start=0, stop=None):
        n = len(self)
        start, stop, _ = slice(start, stop).indices(n)
        for k in range(start, stop):
            if self._get(k) == value:
                return k
        raise ValueError(f"{value!r} is not in list")

    def count(self, value):
        return sum(1 for item in self if item == value)

    def sort(self, key=None, reverse=False):
        items = list(self)
        items.sort(key=key, reverse=reverse)
        for k, v in enumerate(items):
            self._set(k, v)

    def reverse(self):
        items = list(self)
        for k, v in enumerate(reversed(items)):
            self._set(k, v)

    def copy(self):
        return self._like(list(self))

    def clear(self):
        self._clear()

    def __eq__(self, other):
        # Equal to a typed List or a list of equal items (Numba's is False for a plain list).
        if isinstance(other, (List, list)):
            return len(self) == len(other) and list(self) == list(other)
        return NotImplemented

    def __ne__(self, other):
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def _compare(self, other, op):
        if isinstance(other, (List, list)):
            return op(list(self), list(other))
        return NotImplemented

    def __lt__(self, other):
        return self._compare(other, operator.lt)

    def __le__(self, other):
        return self._compare(other, operator.le)

    def __gt__(self, other):
        return self._compare(other, operator.gt)

    def __ge__(self, other):
        return self._compare(other, operator.ge)

    __hash__ = None  # type: ignore[assignment]

    def __str__(self):
        # Numba's: items by `str`, so strings show without quotes.
        return "[" + ", ".join(str(item) for item in self) + "]"

    def __repr__(self):
        return f"{self._numba_type_name or 'ListType[Undefined]'}({self})"


class Dict(_native.TypedContainer, MutableMapping):
    """A typed dict (Numba's ``numba.typed.Dict``): ``Dict.empty(key_type, value_type)``,
    ``Dict()`` (typed by its first item), ``Dict(mapping_or_pairs, **kwargs)``."""

    __slots__ = ()

    empty = staticmethod(_empty_dict)

    def __init__(self, other=(), /, **kwargs):
        if other or kwargs:
            self.update(other, **kwargs)

    def __getitem__(self, key):
        pos = self._find(key) if self._type_name is not None else -1
        if pos < 0:
            raise KeyError(key)
        return self._entry(pos)[1]

    def __setitem__(self, key, value):
        if self._type_name is None:
            self._make(f"dict({_native.typeof_name(key)}, {_native.typeof_name(value)})")
        self._store(key, value)

    def __delitem__(self, key):
        pos = self._find(key) if self._type_name is not None else -1
        if pos < 0:
            raise KeyError(key)
        self._delete_at(pos)

    def __contains__(self, key):
        return self._type_name is not None and self._find(key) >= 0

    def _positions(self):
        if self._type_name is None:
            return
        n = len(self)
        pos = self._next(0)
        while pos >= 0:
            yield pos
            if len(self) != n:
                raise RuntimeError("dictionary changed size during iteration")
            pos = self._next(pos + 1)

    def __iter__(self):
        for pos in self._positions():
            yield self._entry(pos)[0]

    def get(self, key, default=None):
        pos = self._find(key) if self._type_name is not None else -1
        return self._entry(pos)[1] if pos >= 0 else default

    def pop(self, key, default=_MISSING):
        pos = self._find(key) if self._type_name is not None else -1
        if pos < 0:
            if default is _MISSING:
                raise KeyError(key)
            return default
        value = self._entry(pos)[1]
        self._delete_at(pos)
        return value

    def popitem(self):
        last = -1
        for pos in self._positions():
            last = pos
        if last < 0:
            raise KeyError("popitem(): dictionary is empty")
        item = self._entry(last)
        self._delete_at(last)
        return item

    def clear(self):
        self._clear()

    def copy(self):
        made = Dict.__new__(Dict)
        if self._type_name is not None:
            made._make(self._type_name)
            for key, value in self.items():
                made._store(key, value)
        return made

    def __eq__(self, other):
        if isinstance(other, Mapping):
            return len(self) == len(other) and dict(self.items()) == dict(other.items())
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __str__(self):
        # Numba's: keys and values by `str`, so strings show without quotes.
        return "{" + ", ".join(f"{key}: {value}" for key, value in self.items()) + "}"

    def __repr__(self):
        return f"{self._numba_type_name or 'None'}({self})"
