"""Iterators: ``iter()``, and ``zip(...)``/``enumerate(...)`` used as values (a ``for`` loop
walks them without making one).

Every iterator of compiled code is a generator (a compiled generator function's state, see
``ferrojit_codegen``'s generator lowering): ``iter(x)`` is a generator yielding the items a
``for`` loop over ``x`` gives, holding a reference to ``x`` (which it releases when it is
dropped), and ``next()`` resumes it. ``iter()`` of a generator is the generator itself, as in
Python.
"""

from __future__ import annotations

from .. import types
from ..extending import overload
from . import enumerate_iterator, zip_iterator


@overload(iter)
def _iter(iterable):
    if isinstance(iterable, types.Generator):

        def itself(iterable):
            return iterable

        return itself

    def items_of(iterable):
        for x in iterable:
            yield x

    return items_of


@overload(zip_iterator)
def _zip(a, b=None, c=None):
    if b is None:

        def zip_one(a, b=None, c=None):
            for x in a:
                yield (x,)

        return zip_one
    if c is None:

        def zip_two(a, b=None, c=None):
            for pair in zip(a, b):
                yield pair

        return zip_two

    def zip_three(a, b=None, c=None):
        for triple in zip(a, b, c):
            yield triple

    return zip_three


@overload(enumerate_iterator)
def _enumerate(iterable, start=0):
    def pairs(iterable, start=0):
        i = start
        for x in iterable:
            yield (i, x)
            i += 1

    return pairs
