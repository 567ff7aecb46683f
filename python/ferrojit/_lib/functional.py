"""The built-ins that take functions: ``map``, ``filter`` and ``functools.reduce``, with
CPython's results and errors. The function is a function value of compiled code (a compiled
function, an inner function or a lambda), called directly.

``map`` and ``filter`` give the list of what they would yield (compiled code consumes them with
``for``, ``list``, ``sum``, ``sorted``, ``min``, ``max``, ...): the function runs on every item
before the consumer sees the first.
"""

from __future__ import annotations

import functools

from .. import types
from ..extending import CallRefused, overload


def _function_or_refuse(function, callee):
    if not isinstance(function, types.Function):
        raise CallRefused(f"the first argument of `{callee}()` must be a function, not `{function}`", hint="pass a compiled function, an inner function or a lambda")


@overload(map)
def _map(function, iterable, iterable2=None, iterable3=None):
    _function_or_refuse(function, "map")
    if iterable2 is None:

        def map_one(function, iterable, iterable2=None, iterable3=None):
            return [function(x) for x in iterable]

        return map_one
    if iterable3 is None:

        def map_two(function, iterable, iterable2=None, iterable3=None):
            return [function(x, y) for x, y in zip(iterable, iterable2)]

        return map_two

    def map_three(function, iterable, iterable2=None, iterable3=None):
        return [function(x, y, z) for x, y, z in zip(iterable, iterable2, iterable3)]

    return map_three


@overload(filter)
def _filter(function, iterable):
    if isinstance(function, types.NoneType):

        def filter_true(function, iterable):
            return [x for x in iterable if x]

        return filter_true
    _function_or_refuse(function, "filter")

    def filter_by(function, iterable):
        return [x for x in iterable if function(x)]

    return filter_by


@overload(functools.reduce)
def _reduce(function, iterable, initial=None):
    _function_or_refuse(function, "reduce")
    if initial is None:

        def reduce_items(function, iterable, initial=None):
            started = False
            for x in iterable:
                if started:
                    acc = function(acc, x)  # noqa: F821 - assigned by the first item
                else:
                    acc = x
                    started = True
            if not started:
                raise TypeError("reduce() of empty iterable with no initial value")
            return acc

        return reduce_items

    def reduce_from(function, iterable, initial=None):
        acc = initial
        for x in iterable:
            acc = function(acc, x)
        return acc

    return reduce_from
