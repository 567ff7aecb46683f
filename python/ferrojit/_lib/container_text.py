"""``str()`` and ``repr()`` of containers in compiled code: CPython's text, made of the items'
``repr``s (a module of its own: ``strings.py`` names its ``repr`` primitive ``repr``)."""

from __future__ import annotations

from .. import types
from ..extending import overload
from . import container_str
from .. import literal_unroll


@overload(container_str)
def _container_str(x):
    """CPython's text of a container: its items' ``repr``s between its brackets (a set's in the
    order its items were added, CPython's in the order of their hashes)."""
    if isinstance(x, types.List):

        def of_list(x):
            return "[" + ", ".join([repr(v) for v in x]) + "]"

        return of_list
    if isinstance(x, types.DictType):

        def of_dict(x):
            return "{" + ", ".join([repr(k) + ": " + repr(v) for k, v in x.items()]) + "}"

        return of_dict
    if isinstance(x, types.SetType):

        def of_set(x):
            if len(x) == 0:
                return "set()"
            return "{" + ", ".join([repr(v) for v in x]) + "}"

        return of_set
    if isinstance(x, types.BaseTuple) and not isinstance(x, getattr(types, "BaseNamedTuple", ())):
        if len(x) == 1:

            def of_pair(x):
                return "(" + repr(x[0]) + ",)"

            return of_pair

        def of_tuple(x):
            text = "("
            first = True
            for v in literal_unroll(x):
                if not first:
                    text += ", "
                text += repr(v)
                first = False
            return text + ")"

        return of_tuple
    return None
