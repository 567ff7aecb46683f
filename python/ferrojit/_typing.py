"""The names from ``typing`` that the public API's annotations need, at no cost at import.

Type checkers take ``TYPE_CHECKING`` as true and read ``typing``'s own names. At run time
``import typing`` would be the largest part of ``import ferrojit`` (which imports neither typing
nor numpy), so stand-ins take their place; annotations themselves are never evaluated
(``from __future__ import annotations`` in the modules that use these).
"""

TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import Generic as Generic
    from typing import ParamSpec, TypeVar
    from typing import overload as overload

    P = ParamSpec("P")
    R = TypeVar("R")
else:

    class Generic:
        """``Generic[P, R]`` in a class's bases adds nothing at run time (it is ``object``)."""

        __slots__ = ()

        def __class_getitem__(cls, parameters):
            return object

    def overload(func):
        """Like ``typing.overload``: the definition without the decorator, which comes last,
        is the one that stays."""
        return func

    P = R = None
