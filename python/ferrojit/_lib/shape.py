"""NumPy functions that join, split off, reorder and reshape arrays: ``concatenate``, ``stack``
and its forms, ``expand_dims``, ``squeeze``, ``flip``, ``swapaxes``, ``moveaxis``, ``rot90``,
``atleast_1d/2d/3d``, ``repeat``, ``tile``, ``roll``, ``broadcast_to``, ``broadcast_arrays``,
``pad``, ``resize``, ``append``, ``delete``, ``insert``; and ``ravel``/``copy`` with ``order=``.

Views are built from the compiler's own: ``a.transpose(perm)`` with a constant permutation,
``a.reshape(shape)`` of a C-ordered array, slices (``[::-1]``, ``[start:stop]``), ``a[0]`` and
new axes (``a[..., None]``). Most functions work on one axis: they are written for the axis as
a constant, moved first (``_to_front``), where the work is done on the first dimension, and
moved back (``_from_front``). An axis known only when the call runs selects one of those
constant versions (``_by_axis``: one branch per possible axis, each a view of the same number
of dimensions, unified as a strided array).

Tuples of arrays are walked by recursion on their length (one overload per length), tuples of
integers are read into int64 arrays (``_dimensions``) and rebuilt (``_tuple_of``).

NumPy's errors keep their classes; the messages that name numbers at run time are NumPy's
without the numbers (compiled code formats no strings).
"""

import numpy as np

from .. import types
from ..extending import CallRefused, overload, overload_method, register_jitable
from . import axis_error, index_error, message_dim, message_shape, reduction_shape_error
from .creation import complex_into_real, stack_into, with_leading_axes
from .dtypes import element_of, numpy_type
from .reductions import _dimensions, _store_items, _tuple_of

_NUMBER = (types.Boolean, types.Integer, types.Float, types.Complex)


def _given(value):
    """Whether an optional argument was given (not left out, nor written ``None``)."""
    return isinstance(value, types.Type) and not isinstance(value, types.NoneType)


def _is_integer(ty):
    return isinstance(ty, types.Integer) and not isinstance(ty, types.Boolean)


def _int_tuple(ty):
    return isinstance(ty, types.BaseTuple) and all(_is_integer(t) for t in ty.types)


def _check_array(name, a):
    if not isinstance(a, types.Array):
        raise CallRefused(f"`{name}()` needs an array, not `{a}`", hint="convert the value with `np.asarray()` first")


def _array_tuple(name, arrays):
    """The array types of a tuple-of-arrays argument."""
    if isinstance(arrays, types.BaseTuple) and len(arrays.types) > 0 and all(isinstance(t, types.Array) for t in arrays.types):
        return list(arrays.types)
    if isinstance(arrays, types.BaseTuple) and len(arrays.types) == 0:
        raise CallRefused(f"`{name}()` needs at least one array to join")
    raise CallRefused(f"`{name}()` takes a tuple of arrays, not `{arrays}`", hint="write the arrays as a tuple, such as `(a, b)` (lists are not supported in compiled code yet)")


def _result_element(arrays):
    """NumPy's element type of arrays joined together."""
    dtype = np.result_type(*(numpy_type(a.dtype) for a in arrays))
    if dtype.kind == "V":
        raise CallRefused("joining structured (record) arrays is not supported in compiled code yet", hint="join their fields one by one", unsupported=True)
    return element_of(dtype)


def _layout_of_all(arrays):
    """NumPy's memory order of a new array made from ``arrays`` (``order='K'``): Fortran when
    every one is Fortran-ordered (of two or more dimensions), else C."""
    return "F" if all(a.layout == "F" and a.ndim > 1 for a in arrays) else "C"


@register_jitable
def _normalized_axis(axis, ndim):
    """``axis`` counted from the front, NumPy's ``AxisError`` outside ``ndim`` dimensions."""
    if axis < -ndim or axis >= ndim:
        axis_error(axis, ndim)
    if axis < 0:
        return axis + ndim
    return axis


# ---- axes moved first and back ----------------------------------------------------------------


def _front_permutation(ndim, k):
    return (k,) + tuple(d for d in range(ndim) if d != k)


def _to_front(a, k):
    """The view of ``a`` with its axis ``k`` (a constant) first, the others in order."""


@overload(_to_front, prefer_literal=True)
def _to_front_typing(a, k):
    if not isinstance(k, types.IntegerLiteral):
        return None
    if k.literal_value == 0:

        def unmoved(a, k):
            return a

        return unmoved
    permutation = _front_permutation(a.ndim, k.literal_value)

    def moved(a, k):
        return a.transpose(permutation)

    return moved


def _from_front(a, k):
    """The view of ``a`` with its first axis moved to ``k`` (a constant): ``_to_front``
    undone."""


@overload(_from_front, prefer_literal=True)
def _from_front_typing(a, k):
    if not isinstance(k, types.IntegerLiteral):
        return None
    if k.literal_value == 0:

        def unmoved(a, k):
            return a

        return unmoved
    front = _front_permutation(a.ndim, k.literal_value)
    permutation = tuple(front.index(d) for d in range(a.ndim))

    def moved(a, k):
        return a.transpose(permutation)

    return moved


# ---- one implementation per constant axis, chosen when the call runs ------------------------------

# name -> factory(spec, payload type, k) returning the implementation ``(spec, payload, k)`` of
# the operation ``name`` along the constant axis ``k``; ``spec`` is a string the caller's typing
# function chose (a dtype's name, a layout), ``payload`` the tuple of the call's values.
_AT_AXIS: dict = {}


def _at_axis(name, spec, payload, k):
    """Runs the operation ``name`` along the constant axis ``k``."""


@overload(_at_axis, prefer_literal=True)
def _at_axis_typing(name, spec, payload, k):
    if not isinstance(k, types.IntegerLiteral):
        return None
    return _AT_AXIS[name.literal_value](spec.literal_value, payload, k.literal_value)


def _switch(name, spec, payload, axis, candidate):
    """Runs the operation ``name`` along ``axis`` (a value in ``0..candidate``, given at run
    time), one constant version per candidate."""


@overload(_switch, prefer_literal=True)
def _switch_typing(name, spec, payload, axis, candidate):
    if not isinstance(candidate, types.IntegerLiteral):
        return None
    here = candidate.literal_value
    if here == 0:

        def first(name, spec, payload, axis, candidate):
            return _at_axis(name, spec, payload, 0)

        return first
    below = here - 1

    def this_or_below(name, spec, payload, axis, candidate):
        if axis == here:
            return _at_axis(name, spec, payload, here)
        return _switch(name, spec, payload, axis, below)

    return this_or_below


def _by_axis(name, spec, payload, axis, ndim):
    """Runs the operation ``name`` along ``axis`` of ``ndim`` (a constant) dimensions, counted
    from the end when negative; NumPy's ``AxisError`` outside. A constant axis compiles one
    version, an axis given at run time one per dimension."""


@overload(_by_axis, prefer_literal=True)
def _by_axis_typing(name, spec, payload, axis, ndim):
    if not isinstance(ndim, types.IntegerLiteral):
        return None
    n = ndim.literal_value
    if isinstance(axis, types.IntegerLiteral) and -n <= axis.literal_value < n:
        k = axis.literal_value % n

        def at_constant_axis(name, spec, payload, axis, ndim):
            return _at_axis(name, spec, payload, k)

        return at_constant_axis
    last = n - 1

    def at_axis_of_run_time(name, spec, payload, axis, ndim):
        return _switch(name, spec, payload, _normalized_axis(axis, ndim), last)

    return at_axis_of_run_time


def _axis_operation(name):
    """Registers the decorated factory as the operation ``name`` of ``_by_axis``."""

    def register(factory):
        _AT_AXIS[name] = factory
        return factory

    return register


def _axis_argument(name, axis, none_allowed=False):
    """Checks an ``axis=`` argument: an integer (or None where allowed)."""
    if isinstance(axis, int) or _is_integer(axis) or (none_allowed and not _given(axis)):
        return
    raise CallRefused(f"`axis=` of `{name}()` must be an integer{' or None' if none_allowed else ''}, not `{axis}`")


def _literal_axis(axis):
    """The ``axis`` argument as ``_by_axis`` receives it: a literal type or a default value."""
    return axis if isinstance(axis, types.Type) else types.IntegerLiteral(axis)


# ---- walks over tuples of arrays ----------------------------------------------------------------


def _joined_length(arrays, count, k):
    """The sum of the lengths along the constant axis ``k`` of the first ``count`` arrays of the
    tuple ``arrays``, checking that their other dimensions are those of the first array."""


@overload(_joined_length, prefer_literal=True)
def _joined_length_typing(arrays, count, k):
    if not isinstance(count, types.IntegerLiteral) or not isinstance(k, types.IntegerLiteral):
        return None
    last = count.literal_value - 1
    axis = k.literal_value
    if last == 0:

        def first_length(arrays, count, k):
            return arrays[0].shape[axis]

        return first_length

    def lengths(arrays, count, k):
        before = _joined_length(arrays, last, axis)
        first = arrays[0].shape
        this = arrays[last].shape
        if first[:axis] + first[axis + 1 :] != this[:axis] + this[axis + 1 :]:
            raise ValueError("all the input array dimensions except for the concatenation axis must match exactly")
        return before + this[axis]

    return lengths


def _place_joined(front, arrays, count, k):
    """Copies the first ``count`` arrays of ``arrays`` one after the other along their constant
    axis ``k`` into ``front`` (the result's view with that axis first); returns where the next
    one starts."""


@overload(_place_joined, prefer_literal=True)
def _place_joined_typing(front, arrays, count, k):
    if not isinstance(count, types.IntegerLiteral) or not isinstance(k, types.IntegerLiteral):
        return None
    last = count.literal_value - 1
    axis = k.literal_value
    if last < 0:

        def nothing(front, arrays, count, k):
            return 0

        return nothing

    if complex_into_real(arrays.types[last], front):

        def place_real_part(front, arrays, count, k):
            start = _place_joined(front, arrays, last, axis)
            stop = start + arrays[last].shape[axis]
            front[start:stop] = _to_front(arrays[last], axis).real
            return stop

        return place_real_part

    if axis == 0 and front.layout == "C" and arrays.types[last].layout == "C" and front.dtype == arrays.types[last].dtype:
        # Both in C order along the first axis: one flat run of elements, copied by a loop
        # (a slice assignment between arrays that may overlap compiles to much more code).
        def place_flat(front, arrays, count, k):
            start = _place_joined(front, arrays, last, axis)
            source = arrays[last].ravel()
            target = front.ravel()
            offset = start * (source.size // arrays[last].shape[0]) if source.size > 0 else 0
            for i in range(source.size):
                target[offset + i] = source[i]
            return start + arrays[last].shape[0]

        return place_flat

    def place(front, arrays, count, k):
        start = _place_joined(front, arrays, last, axis)
        stop = start + arrays[last].shape[axis]
        front[start:stop] = _to_front(arrays[last], axis)
        return stop

    return place


def _map_arrays(name, arrays, count):
    """The tuple of ``_ELEMENT_MAPS[name](x)`` for the first ``count`` items of ``arrays``."""


# name -> factory(item type) -> function of one item.
_ELEMENT_MAPS: dict = {}


@overload(_map_arrays, prefer_literal=True)
def _map_arrays_typing(name, arrays, count):
    if not isinstance(count, types.IntegerLiteral):
        return None
    last = count.literal_value - 1
    if last < 0:

        def none_mapped(name, arrays, count):
            return ()

        return none_mapped
    function = _ELEMENT_MAPS[name.literal_value](arrays.types[last])

    def mapped(name, arrays, count):
        return _map_arrays(name, arrays, last) + (function(arrays[last]),)

    return mapped


def _element_map(name):
    def register(factory):
        _ELEMENT_MAPS[name] = factory
        return factory

    return register


# ---- np.concatenate, np.stack, np.hstack, np.vstack, np.dstack, np.column_stack ---------------------


@_axis_operation("concatenate")
def _concatenate_at(spec, payload, k):
    element_name, layout = spec.split()
    element = element_of(element_name)
    count = len(payload.types[0].types)

    def concatenate_along(name, spec, payload, axis):
        arrays = payload[0]
        total = _joined_length(arrays, count, k)
        first = arrays[0].shape
        result = np.empty(first[:k] + (total,) + first[k + 1 :], element, layout)
        _place_joined(_to_front(result, k), arrays, count, k)
        return result

    return concatenate_along


def _joined_element(name, arrays, dtype, casting):
    """The element type of the result of joining ``arrays``: NumPy's common type, or
    ``dtype=``; ``casting=`` (a constant) must allow each array's cast to it."""
    common = _result_element(arrays)
    if not _given(dtype):
        return common, None
    if not isinstance(dtype, types.DTypeSpec):
        raise CallRefused(f"`dtype=` of `{name}()` must be a NumPy scalar type such as `np.float64`, or an array's `dtype`")
    element = numpy_type(dtype.dtype)
    rule = casting.literal_value if isinstance(casting, types.StringLiteral) else casting
    if rule is None or isinstance(rule, types.NoneType):
        rule = "same_kind"
    if rule not in ("no", "equiv", "safe", "same_kind", "unsafe"):
        raise CallRefused(f"`casting=` of `{name}()` must be one of 'no', 'equiv', 'safe', 'same_kind', 'unsafe'")
    for a in arrays:
        source = np.dtype(numpy_type(a.dtype))
        if not np.can_cast(source, element, rule):
            return element, f"Cannot cast array data from dtype('{source.name}') to dtype('{np.dtype(element).name}') according to the rule '{rule}'"
    return element, None


def _check_out(name, out):
    if _given(out):
        raise CallRefused(f"`out=` of `{name}()` is not supported in compiled code yet", hint="assign the result into the array instead: `out[...] = ...`", unsupported=True)


@overload(np.concatenate, prefer_literal=True)
def concatenate(arrays, axis=0, out=None, dtype=None, casting=None):
    """``np.concatenate(arrays, axis)``: the tuple's arrays joined along ``axis`` (an integer,
    or None to join them flattened), in a new array of their common type (or ``dtype=``), in
    Fortran order when every one is Fortran-ordered, else in C order."""
    items = _array_tuple("np.concatenate", arrays)
    _check_out("np.concatenate", out)
    _axis_argument("np.concatenate", axis, none_allowed=True)
    element, cast_error = _joined_element("np.concatenate", items, dtype, casting)
    if cast_error is not None:

        def refused_cast(arrays, axis=0, out=None, dtype=None, casting=None):
            raise TypeError(cast_error)

        return refused_cast
    count = len(items)
    if axis is None or isinstance(axis, types.NoneType):
        spec = f"{np.dtype(element).name} C"

        def concatenate_flat(arrays, axis=0, out=None, dtype=None, casting=None):
            return _at_axis("concatenate", spec, (_map_arrays("ravel", arrays, count),), 0)

        return concatenate_flat
    ndim = items[0].ndim
    if ndim == 0:

        def zero_dimensional(arrays, axis=0, out=None, dtype=None, casting=None):
            raise ValueError("zero-dimensional arrays cannot be concatenated")

        return zero_dimensional
    if any(a.ndim != ndim for a in items):
        # NumPy names the arrays and their dimensions.
        at = next(i for i, a in enumerate(items) if a.ndim != ndim)
        message = f"all the input arrays must have same number of dimensions, but the array at index 0 has {ndim} dimension(s) and the array at index {at} has {items[at].ndim} dimension(s)"

        def mixed_dimensions(arrays, axis=0, out=None, dtype=None, casting=None):
            raise ValueError(message)

        return mixed_dimensions
    spec = f"{np.dtype(element).name} {_layout_of_all(items)}"
    given_axis = _literal_axis(axis)
    if isinstance(given_axis, types.IntegerLiteral):
        k = given_axis.literal_value

        def concatenate_along_constant(arrays, axis=0, out=None, dtype=None, casting=None):
            return _by_axis("concatenate", spec, (arrays,), k, ndim)

        return concatenate_along_constant

    def concatenate_along(arrays, axis=0, out=None, dtype=None, casting=None):
        return _by_axis("concatenate", spec, (arrays,), axis, ndim)

    return concatenate_along


@_element_map("ravel")
def _ravel_map(item):
    def ravelled(a):
        return a.ravel()

    return ravelled


@_element_map("atleast_1d")
def _atleast_1d_map(item):
    def atleast(a):
        return np.atleast_1d(a)

    return atleast


@_element_map("atleast_2d")
def _atleast_2d_map(item):
    def atleast(a):
        return np.atleast_2d(a)

    return atleast


@_element_map("atleast_3d")
def _atleast_3d_map(item):
    def atleast(a):
        return np.atleast_3d(a)

    return atleast


@_element_map("column")
def _column_map(item):
    """``np.column_stack``'s columns: a 1-d array as a column, other arrays at least 2-d."""
    if isinstance(item, types.Array) and item.ndim == 1:

        def column(a):
            return a[:, None]

        return column

    def at_least_2d(a):
        return np.atleast_2d(a)

    return at_least_2d


def _same_shapes(arrays, count):
    """Whether the first ``count`` arrays of ``arrays`` have the first one's shape."""


@overload(_same_shapes, prefer_literal=True)
def _same_shapes_typing(arrays, count):
    if not isinstance(count, types.IntegerLiteral):
        return None
    last = count.literal_value - 1
    if last <= 0:

        def one(arrays, count):
            return True

        return one

    def same(arrays, count):
        return _same_shapes(arrays, last) and arrays[last].shape == arrays[0].shape

    return same


@_axis_operation("stack")
def _stack_at(spec, payload, k):
    element_name, layout = spec.split()
    element = element_of(element_name)
    count = len(payload.types[0].types)

    def stack_along(name, spec, payload, axis):
        arrays = payload[0]
        if not _same_shapes(arrays, count):
            raise ValueError("all input arrays must have the same shape")
        shape = arrays[0].shape
        result = np.empty(shape[:k] + (count,) + shape[k:], element, layout)
        stack_into(_to_front(result, k), arrays, count)
        return result

    return stack_along


@overload(np.stack, prefer_literal=True)
def stack(arrays, axis=0, out=None, dtype=None, casting=None):
    """``np.stack(arrays, axis)``: arrays of one shape joined along a new axis ``axis``."""
    items = _array_tuple("np.stack", arrays)
    _check_out("np.stack", out)
    _axis_argument("np.stack", axis)
    element, cast_error = _joined_element("np.stack", items, dtype, casting)
    if cast_error is not None:

        def refused_cast(arrays, axis=0, out=None, dtype=None, casting=None):
            raise TypeError(cast_error)

        return refused_cast
    ndim = items[0].ndim
    if any(a.ndim != ndim for a in items):

        def different_shapes(arrays, axis=0, out=None, dtype=None, casting=None):
            raise ValueError("all input arrays must have the same shape")

        return different_shapes
    # NumPy stacks views with the new axis, whose memory order is C unless all are Fortran.
    spec = f"{np.dtype(element).name} {_layout_of_all(items) if ndim > 0 else 'C'}"
    given_axis = _literal_axis(axis)
    if isinstance(given_axis, types.IntegerLiteral):
        k = given_axis.literal_value

        def stack_along_constant(arrays, axis=0, out=None, dtype=None, casting=None):
            return _by_axis("stack", spec, (arrays,), k, ndim + 1)

        return stack_along_constant

    def stack_along(arrays, axis=0, out=None, dtype=None, casting=None):
        return _by_axis("stack", spec, (arrays,), axis, ndim + 1)

    return stack_along


def _joined_after(name, map_name, axis_of):
    """The typing function of ``np.hstack`` and its kin: each array made at least n-d by the
    map ``map_name``, then concatenated along ``axis_of(ndim)`` (ndim: the first one's
    dimensions after the map)."""

    def typing(tup, *, dtype=None, casting="same_kind"):
        items = _array_tuple(name, tup)
        count = len(items)
        mapped = [_ELEMENT_MAPS[map_name](t) for t in items]  # checks every item
        del mapped
        first_ndim = {"atleast_1d": max(items[0].ndim, 1), "atleast_2d": max(items[0].ndim, 2), "atleast_3d": max(items[0].ndim, 3), "column": max(items[0].ndim, 2)}[map_name]
        k = axis_of(first_ndim)

        def joined(tup, dtype=None, casting=None):
            return np.concatenate(_map_arrays(map_name, tup, count), k, dtype=dtype, casting=casting)

        return joined

    return typing


overload(np.hstack)(_joined_after("np.hstack", "atleast_1d", lambda ndim: 0 if ndim == 1 else 1))
overload(np.vstack)(_joined_after("np.vstack", "atleast_2d", lambda ndim: 0))
overload(np.dstack)(_joined_after("np.dstack", "atleast_3d", lambda ndim: 2))
overload(np.column_stack)(_joined_after("np.column_stack", "column", lambda ndim: 1))


# ---- functions of several arrays given one by one --------------------------------------------------

# Compiled implementations take no `*args`: a function of any number of arrays is implemented
# by one of these, which gathers its arguments into a tuple for `_ON_TUPLE[name]`.


def _on_tuple(name, items, options):
    """``_ON_TUPLE[name]`` of the tuple of arguments ``items`` and the keyword ``options``."""


# name -> factory(items type, options type) -> implementation (name, items, options).
_ON_TUPLE: dict = {}


@overload(_on_tuple)
def _on_tuple_typing(name, items, options):
    return _ON_TUPLE[name.literal_value](items, options)


def _gathering(name, count):
    """The implementation of a call of ``name`` with ``count`` positional arguments (at most
    6)."""

    def one(a):
        return _on_tuple(name, (a,), ())

    def two(a, b):
        return _on_tuple(name, (a, b), ())

    def three(a, b, c):
        return _on_tuple(name, (a, b, c), ())

    def four(a, b, c, d):
        return _on_tuple(name, (a, b, c, d), ())

    def five(a, b, c, d, e):
        return _on_tuple(name, (a, b, c, d, e), ())

    def six(a, b, c, d, e, f):
        return _on_tuple(name, (a, b, c, d, e, f), ())

    forms = (None, one, two, three, four, five, six)
    if count >= len(forms):
        raise CallRefused(f"`np.{name}()` of more than {len(forms) - 1} arrays is not supported in compiled code yet", unsupported=True)
    return forms[count]


def _on_tuple_operation(name):
    def register(factory):
        _ON_TUPLE[name] = factory
        return factory

    return register


# ---- np.atleast_1d, np.atleast_2d, np.atleast_3d -------------------------------------------------


def _at_least(name, wanted):
    """The typing function of ``np.atleast_{wanted}d``: a view of an array with the missing
    dimensions added as NumPy adds them, a new array for a number; a tuple of them for several
    arguments."""

    def typing(*arys):
        if len(arys) != 1:
            return _gathering(name, len(arys))
        a = arys[0]
        ones = (1,) * wanted
        if isinstance(a, _NUMBER):
            element = numpy_type(a)

            def of_number(a):
                result = np.empty(ones, element)
                result.fill(a)
                return result

            return of_number
        _check_array(f"np.{name}", a)
        if a.ndim >= wanted:

            def unchanged(a):
                return a

            return unchanged
        if a.ndim == 0:

            def of_zero_dimensional(a):
                return a.reshape(ones)

            return of_zero_dimensional
        if a.ndim == 1 and wanted >= 2:
            if wanted == 2:

                def row(a):
                    return a[None, :]

                return row

            def row_of_one_column(a):
                return a[None, :, None]

            return row_of_one_column

        # A 2-d array made 3-d.
        def with_last_axis(a):
            return a[:, :, None]

        return with_last_axis

    return typing


for _wanted in (1, 2, 3):
    _name = f"atleast_{_wanted}d"
    overload(getattr(np, _name))(_at_least(_name, _wanted))

    def _each_at_least(items, options, _name=_name):
        count = len(items.types)

        def each(name, items, options):
            return _map_arrays(name, items, count)

        return each

    _ON_TUPLE[_name] = _each_at_least


# ---- np.expand_dims, np.squeeze --------------------------------------------------------------------


@_axis_operation("expand_dims")
def _expand_dims_at(spec, payload, k):
    a = payload.types[0]
    if a.layout == "C":

        def reshaped(name, spec, payload, axis):
            shape = payload[0].shape
            return payload[0].reshape(shape[:k] + (1,) + shape[k:])

        return reshaped
    # The new axis made last, then moved to `k`.
    permutation = tuple(range(k)) + (a.ndim,) + tuple(range(k, a.ndim))

    def moved(name, spec, payload, axis):
        return payload[0][..., None].transpose(permutation)

    return moved


def _in_turn(name, a, axes, count):
    """``a`` after the operation ``name`` of ``_by_axis`` along ``axes[0]``, then along
    ``axes[1]``, ... up to ``axes[count - 1]`` (an int64 array)."""


# How many dimensions each operation applied in turn adds to the array it takes, and how many
# values its axis may take for an array of `ndim` dimensions.
_TURN_STEPS = {
    "expand_dims": (1, lambda ndim: ndim + 1),
    "squeeze": (-1, lambda ndim: ndim),
    "flip": (0, lambda ndim: ndim),
    "swapaxes": (0, lambda ndim: ndim * ndim),
}


@overload(_in_turn, prefer_literal=True)
def _in_turn_typing(name, a, axes, count):
    if not isinstance(count, types.IntegerLiteral):
        return None
    last = count.literal_value - 1
    if last < 0:

        def unchanged(name, a, axes, count):
            return a

        return unchanged
    added, extent = _TURN_STEPS[name.literal_value]
    choices = extent(a.ndim + added * last)

    def then_last(name, a, axes, count):
        return _by_axis(name, "", (_in_turn(name, a, axes, last),), axes[last], choices)

    return then_last


@register_jitable
def _sorted_axes(values, ndim):
    """The axes ``values`` (an int64 array) counted from the front, in ascending order; NumPy's
    ``AxisError`` for one outside ``ndim`` dimensions, ``ValueError`` for a repeated one."""
    axes = np.empty(values.size, np.int64)
    for i in range(values.size):
        axes[i] = _normalized_axis(values[i], ndim)
    for i in range(1, axes.size):
        j = i
        while j > 0 and axes[j - 1] > axes[j]:
            axes[j - 1], axes[j] = axes[j], axes[j - 1]
            j -= 1
    for i in range(1, axes.size):
        if axes[i] == axes[i - 1]:
            raise ValueError("repeated axis")
    return axes


@overload(np.expand_dims, prefer_literal=True)
def expand_dims(a, axis):
    """``np.expand_dims(a, axis)``: the view of ``a`` with a new axis of length 1 at ``axis``
    (an integer), or at each of a tuple of axes (positions in the result)."""
    _check_array("np.expand_dims", a)
    ndim = a.ndim
    if _is_integer(axis):

        def expanded(a, axis):
            return _by_axis("expand_dims", "", (a,), axis, ndim + 1)

        return expanded
    if not _int_tuple(axis):
        raise CallRefused(f"`axis` of `np.expand_dims()` must be an integer or a tuple of integers, not `{axis}`")
    count = len(axis.types)

    def expanded_at_each(a, axis):
        return _in_turn("expand_dims", a, _sorted_axes(_dimensions(axis), ndim + count), count)

    return expanded_at_each


@_axis_operation("squeeze")
def _squeeze_at(spec, payload, k):
    a = payload.types[0]
    if a.layout == "C":

        def reshaped(name, spec, payload, axis):
            shape = payload[0].shape
            if shape[k] != 1:
                raise ValueError("cannot select an axis to squeeze out which has size not equal to one")
            return payload[0].reshape(shape[:k] + shape[k + 1 :])

        return reshaped

    def first_of_axis(name, spec, payload, axis):
        if payload[0].shape[k] != 1:
            raise ValueError("cannot select an axis to squeeze out which has size not equal to one")
        return _to_front(payload[0], k)[0]

    return first_of_axis


def _squeeze_typing(a, axis=None):
    _check_array("np.squeeze", a)
    ndim = a.ndim
    if not _given(axis):
        if ndim == 0:

            def zero_dimensional(a, axis=None):
                return a

            return zero_dimensional
        raise CallRefused(
            "`squeeze()` without `axis=` is not supported in compiled code: the number of dimensions of its result depends on the array's shape",
            hint="name the axes of length 1 to remove, such as `axis=0` or `axis=(0, 2)`",
            unsupported=True,
        )
    if _is_integer(axis):

        def squeezed(a, axis=None):
            return _by_axis("squeeze", "", (a,), axis, ndim)

        return squeezed
    if not _int_tuple(axis):
        raise CallRefused(f"`axis` of `squeeze()` must be an integer or a tuple of integers, not `{axis}`")
    count = len(axis.types)

    def squeezed_each(a, axis=None):
        # The last axis first: the ones before it keep their positions.
        return _in_turn("squeeze", a, _sorted_axes(_dimensions(axis), ndim)[::-1], count)

    return squeezed_each


overload(np.squeeze, prefer_literal=True)(_squeeze_typing)
overload_method(types.Array, "squeeze", prefer_literal=True)(_squeeze_typing)


# ---- np.flip, np.fliplr, np.flipud, np.rot90 ----------------------------------------------------------


@_axis_operation("flip")
def _flip_at(spec, payload, k):
    def reversed_along(name, spec, payload, axis):
        return _from_front(_to_front(payload[0], k)[::-1], k)

    return reversed_along


@overload(np.flip, prefer_literal=True)
def flip(m, axis=None):
    """``np.flip(m, axis)``: the view of ``m`` reversed along ``axis`` (an integer, a tuple of
    them, or None for every axis)."""
    _check_array("np.flip", m)
    ndim = m.ndim
    if not _given(axis) and ndim == 0:
        # NumPy indexes with an empty tuple of slices: the element itself.
        def element(m, axis=None):
            return m[()]

        return element
    if not _given(axis):
        every = tuple(range(ndim))

        def flipped_everywhere(m, axis=None):
            return _in_turn("flip", m, _dimensions(every), ndim)

        return flipped_everywhere
    if ndim == 0:
        raise CallRefused("`np.flip(axis=...)` of a 0-dimensional array: an axis of a 0-dimensional array is out of bounds")
    if _is_integer(axis):

        def flipped(m, axis=None):
            return _by_axis("flip", "", (m,), axis, ndim)

        return flipped
    if not _int_tuple(axis):
        raise CallRefused(f"`axis=` of `np.flip()` must be an integer, a tuple of integers or None, not `{axis}`")
    count = len(axis.types)

    def flipped_each(m, axis=None):
        return _in_turn("flip", m, _sorted_axes(_dimensions(axis), ndim), count)

    return flipped_each


def _flipped_along(name, axis):
    """The typing function of ``np.fliplr`` (``axis`` 1) and ``np.flipud`` (0): ``np.flip``
    along ``axis``, NumPy's ``ValueError`` for an array without that axis."""
    message = f"Input must be >= {axis + 1}-d."

    def typing(m):
        _check_array(name, m)
        if m.ndim <= axis:

            def too_few(m):
                raise ValueError(message)

            return too_few

        def flipped(m):
            return np.flip(m, axis)

        return flipped

    return typing


overload(np.fliplr)(_flipped_along("np.fliplr", 1))
overload(np.flipud)(_flipped_along("np.flipud", 0))


@_axis_operation("swapaxes")
def _swapaxes_at(spec, payload, k):
    """Swaps the axis ``k // ndim`` with ``k % ndim``."""
    ndim = payload.types[0].ndim
    first, second = divmod(k, ndim)
    permutation = list(range(ndim))
    permutation[first], permutation[second] = second, first
    permutation = tuple(permutation)

    def swapped(name, spec, payload, axis):
        return payload[0].transpose(permutation)

    return swapped


def _swapaxes_typing(a, axis1, axis2):
    _check_array("np.swapaxes", a)
    if not (_is_integer(axis1) and _is_integer(axis2)):
        raise CallRefused("the axes of `swapaxes()` must be integers")
    ndim = a.ndim
    if isinstance(axis1, types.IntegerLiteral) and isinstance(axis2, types.IntegerLiteral) and -ndim <= axis1.literal_value < ndim and -ndim <= axis2.literal_value < ndim:
        pair = (axis1.literal_value % ndim) * ndim + axis2.literal_value % ndim

        def swapped_constant(a, axis1, axis2):
            return _at_axis("swapaxes", "", (a,), pair)

        return swapped_constant

    def swapped(a, axis1, axis2):
        return _by_axis("swapaxes", "", (a,), _normalized_axis(axis1, ndim) * ndim + _normalized_axis(axis2, ndim), ndim * ndim)

    return swapped


overload(np.swapaxes, prefer_literal=True)(_swapaxes_typing)
overload_method(types.Array, "swapaxes", prefer_literal=True)(_swapaxes_typing)


@_axis_operation("moveaxis")
def _moveaxis_at(spec, payload, k):
    """Moves the axis ``k // ndim`` to the position ``k % ndim``."""
    ndim = payload.types[0].ndim
    source, destination = divmod(k, ndim)
    order = [d for d in range(ndim) if d != source]
    order.insert(destination, source)
    permutation = tuple(order)

    def moved(name, spec, payload, axis):
        return payload[0].transpose(permutation)

    return moved


@register_jitable
def _permutation_steps(order):
    """The swaps of axes (position ``i`` with ``steps[i]``, for each ``i`` in turn) that
    rearrange the axes of an array into ``order`` (an int64 array, a permutation)."""
    n = order.size
    current = np.arange(n)
    steps = np.empty(n, np.int64)
    for i in range(n):
        j = i
        while current[j] != order[i]:
            j += 1
        steps[i] = j
        current[i], current[j] = current[j], current[i]
    return steps


@register_jitable
def _moved_order(sources, destinations, ndim):
    """NumPy's order of the axes after moving the axes ``sources`` to ``destinations`` (int64
    arrays of one length)."""
    if sources.size != destinations.size:
        raise ValueError("`source` and `destination` arguments must have the same number of elements")
    # NumPy's checks of both: in range, none repeated.
    _sorted_axes(sources, ndim)
    _sorted_axes(destinations, ndim)
    order = np.full(ndim, -1, np.int64)
    taken = np.zeros(ndim, np.bool_)
    for i in range(sources.size):
        source = _normalized_axis(sources[i], ndim)
        order[_normalized_axis(destinations[i], ndim)] = source
        taken[source] = True
    rest = 0
    for position in range(ndim):
        if order[position] < 0:
            while taken[rest]:
                rest += 1
            order[position] = rest
            rest += 1
    return order


@overload(np.moveaxis, prefer_literal=True)
def moveaxis(a, source, destination):
    """``np.moveaxis(a, source, destination)``: the view of ``a`` with the axes ``source``
    moved to ``destination`` (integers, or tuples of integers of one length)."""
    _check_array("np.moveaxis", a)
    ndim = a.ndim
    if _is_integer(source) and _is_integer(destination):
        if isinstance(source, types.IntegerLiteral) and isinstance(destination, types.IntegerLiteral) and -ndim <= source.literal_value < ndim and -ndim <= destination.literal_value < ndim:
            pair = (source.literal_value % ndim) * ndim + destination.literal_value % ndim

            def moved_constant(a, source, destination):
                return _at_axis("moveaxis", "", (a,), pair)

            return moved_constant

        def moved(a, source, destination):
            return _by_axis("moveaxis", "", (a,), _normalized_axis(source, ndim) * ndim + _normalized_axis(destination, ndim), ndim * ndim)

        return moved
    for given in (source, destination):
        if not (_is_integer(given) or _int_tuple(given)):
            raise CallRefused("`source` and `destination` of `np.moveaxis()` must be integers or tuples of integers")

    def moved_each(a, source, destination):
        order = _moved_order(_axes_array(source), _axes_array(destination), ndim)
        # Swap `i` with `steps[i]`, as the pair `i * ndim + steps[i]` of "swapaxes".
        return _in_turn("swapaxes", a, np.arange(ndim) * ndim + _permutation_steps(order), ndim)

    return moved_each


def _axes_array(axes):
    """An integer or a tuple of integers as an int64 array."""


@overload(_axes_array)
def _axes_array_typing(axes):
    if _is_integer(axes):

        def one(axes):
            result = np.empty(1, np.int64)
            result[0] = axes
            return result

        return one

    def each(axes):
        return _dimensions(axes)

    return each


@overload(np.rot90)
def rot90(m, k=1, axes=(0, 1)):
    """``np.rot90(m, k, axes)``: the view of ``m`` rotated by ``k`` quarter turns (an integer,
    given at run time too) in the plane of the two ``axes``, from the first towards the
    second."""
    _check_array("np.rot90", m)
    if not _is_integer(k if isinstance(k, types.Type) else types.int64):
        raise CallRefused("`k` of `np.rot90()` must be an integer")
    if isinstance(axes, tuple):
        axes = types.UniTuple(types.int64, 2)
    if not _int_tuple(axes) or len(axes.types) != 2:
        raise CallRefused("`axes` of `np.rot90()` must be a tuple of two integers")
    ndim = m.ndim
    if ndim < 2:

        def too_few(m, k=1, axes=(0, 1)):
            raise ValueError("Axes out of range for array of ndim.")

        return too_few

    def rotated(m, k=1, axes=(0, 1)):
        first = axes[0]
        second = axes[1]
        if first == second or abs(first - second) == ndim:
            raise ValueError("Axes must be different.")
        if first >= ndim or first < -ndim or second >= ndim or second < -ndim:
            raise ValueError("Axes out of range for array of ndim.")
        first = _normalized_axis(first, ndim)
        second = _normalized_axis(second, ndim)
        turns = k % 4
        if turns == 0:
            return m[...]
        if turns == 2:
            return np.flip(np.flip(m, first), second)
        if turns == 1:
            return np.swapaxes(np.flip(m, second), first, second)
        return np.flip(np.swapaxes(m, first, second), second)

    return rotated


# ---- np.repeat, np.tile, np.roll -------------------------------------------------------------------


def _repeat_counts(repeats, n):
    """The int64 array of how many times each of ``n`` elements is repeated: ``repeats`` (an
    integer, or an array of one element or of ``n``) broadcast to ``n``, NumPy's
    ``ValueError`` for a negative count or an array of another length."""


@overload(_repeat_counts)
def _repeat_counts_typing(repeats, n):
    if _is_integer(repeats) or isinstance(repeats, types.Boolean):

        def each_the_same(repeats, n):
            if repeats < 0:
                raise ValueError("negative dimensions are not allowed")
            counts = np.empty(n, np.int64)
            counts.fill(repeats)
            return counts

        return each_the_same
    if isinstance(repeats, types.Array) and isinstance(repeats.dtype, (types.Integer, types.Boolean)) and repeats.ndim <= 1:

        def from_array(repeats, n):
            given = repeats.ravel()
            if given.size != 1 and given.size != n:
                raise ValueError("operands could not be broadcast together")
            counts = np.empty(n, np.int64)
            counts[:] = given
            for i in range(n):
                if counts[i] < 0:
                    raise ValueError("repeats may not contain negative values.")
            return counts

        return from_array
    raise CallRefused(f"`repeats` of `np.repeat()` must be an integer or an array of integers, not `{repeats}`")


@_axis_operation("repeat")
def _repeat_at(spec, payload, k):
    def repeated(name, spec, payload, axis):
        a = payload[0]
        counts = _repeat_counts(payload[1], a.shape[k])
        total = 0
        for i in range(counts.size):
            total += counts[i]
        shape = a.shape
        result = np.empty(shape[:k] + (total,) + shape[k + 1 :], a.dtype)
        source = _to_front(a, k)
        target = _to_front(result, k)
        start = 0
        for i in range(counts.size):
            stop = start + counts[i]
            target[start:stop] = source[i : i + 1]
            start = stop
        return result

    return repeated


def _repeat_typing(a, repeats, axis=None):
    """``np.repeat(a, repeats, axis)``: a new C-ordered array with each element (or each slice
    along ``axis``) repeated ``repeats`` times (an integer, or one count per element)."""
    if isinstance(a, _NUMBER):

        def of_number(a, repeats, axis=None):
            return np.repeat(np.atleast_1d(a), repeats, axis)

        return of_number
    _check_array("np.repeat", a)
    _axis_argument("np.repeat", axis, none_allowed=True)
    if not _given(axis):

        def repeated_flat(a, repeats, axis=None):
            return _at_axis("repeat", "", (a.ravel(), repeats), 0)

        return repeated_flat
    ndim = a.ndim
    if ndim == 0:

        def zero_dimensional(a, repeats, axis=None):
            return _at_axis("repeat", "", (a.reshape(1), repeats), 0)

        return zero_dimensional

    def repeated(a, repeats, axis=None):
        return _by_axis("repeat", "", (a, repeats), axis, ndim)

    return repeated


overload(np.repeat, prefer_literal=True)(_repeat_typing)
overload_method(types.Array, "repeat", prefer_literal=True)(_repeat_typing)


def _with_trailing_axes(a, count):
    """The view of ``a`` with ``count`` (a constant) new axes of length 1 at the end."""


@overload(_with_trailing_axes, prefer_literal=True)
def _with_trailing_axes_typing(a, count):
    if not isinstance(count, types.IntegerLiteral):
        return None
    n = count.literal_value
    if n == 0:

        def unchanged(a, count):
            return a

        return unchanged
    rest = n - 1

    def one_more(a, count):
        return _with_trailing_axes(a, rest)[..., None]

    return one_more


@overload(np.tile)
def tile(A, reps):
    """``np.tile(A, reps)``: a new C-ordered array of ``A`` repeated ``reps`` times (an integer
    or a tuple) along each axis, the shorter of the two padded with leading ones. The result,
    seen as the shape ``(reps[0], A.shape[0], reps[1], A.shape[1], ...)``, is ``A`` broadcast
    into it."""
    if isinstance(A, _NUMBER):

        def of_number(A, reps):
            return np.tile(np.atleast_1d(A)[0:1].reshape(()), reps)

        return of_number
    _check_array("np.tile", A)
    if _is_integer(reps):
        count = 1
    elif _int_tuple(reps):
        count = len(reps.types)
    else:
        raise CallRefused(f"`reps` of `np.tile()` must be an integer or a tuple of integers, not `{reps}`")
    ndim = max(A.ndim, count)
    missing_axes = ndim - A.ndim
    # Interleaved axes of the result: (reps[0], A.shape[0], reps[1], ...) from the new axes
    # (last, after A's own) and A's axes.
    interleaved = tuple(d for pair in zip(range(ndim, 2 * ndim), range(ndim)) for d in pair)

    def tiled(A, reps):
        a = with_leading_axes(A, missing_axes)
        times = np.ones(ndim, np.int64)
        times[ndim - count :] = _axes_array(reps)
        lengths = _dimensions(a.shape)
        both = np.empty(2 * ndim, np.int64)
        for d in range(ndim):
            if times[d] < 0:
                raise ValueError("negative dimensions are not allowed")
            both[2 * d] = times[d]
            both[2 * d + 1] = lengths[d]
        result = np.empty(_tuple_of(lengths * times, ndim), a.dtype)
        result.reshape(_tuple_of(both, 2 * ndim))[...] = _with_trailing_axes(a, ndim).transpose(interleaved)
        return result

    return tiled


@_axis_operation("roll")
def _roll_at(spec, payload, k):
    def rolled(name, spec, payload, axis):
        result = payload[0]
        shift = payload[1]
        a = payload[2]
        n = a.shape[k]
        if n == 0:
            return result
        s = shift % n
        source = _to_front(a, k)
        target = _to_front(result, k)
        target[s:] = source[: n - s]
        target[:s] = source[n - s :]
        return result

    return rolled


def _roll_each(result, a, shifts, axes, count):
    """Rolls ``a`` along ``axes[i]`` by ``shifts[i]`` for ``i < count`` (int64 arrays), each
    roll into ``result`` (an array of ``a``'s shape, returned) from the previous one's."""


@overload(_roll_each, prefer_literal=True)
def _roll_each_typing(result, a, shifts, axes, count):
    if not isinstance(count, types.IntegerLiteral):
        return None
    last = count.literal_value - 1
    ndim = a.ndim
    if last == 0:

        def first(result, a, shifts, axes, count):
            return _by_axis("roll", "", (result, shifts[0], a), axes[0], ndim)

        return first

    def rest(result, a, shifts, axes, count):
        before = _roll_each(result, a, shifts, axes, last)
        return _by_axis("roll", "", (result, shifts[last], before.copy()), axes[last], ndim)

    return rest


@overload(np.roll)
def roll(a, shift, axis=None):
    """``np.roll(a, shift, axis)``: a new array of ``a``'s elements shifted by ``shift`` along
    ``axis``, those pushed out at one end coming back at the other; flattened when ``axis`` is
    None (then C-ordered), else in ``a``'s memory order as ``np.empty_like`` gives it. Tuples
    of shifts and axes broadcast against each other, each pair rolled in turn."""
    _check_array("np.roll", a)
    if not (_is_integer(shift) or _int_tuple(shift)):
        raise CallRefused(f"`shift` of `np.roll()` must be an integer or a tuple of integers, not `{shift}`")
    if not _given(axis):
        if not _is_integer(shift):
            raise CallRefused("`np.roll()` without `axis=` takes one shift", hint="give the axes the shifts are for with `axis=`")

        def rolled_flat(a, shift, axis=None):
            flat = a.ravel()
            return _at_axis("roll", "", (np.empty_like(flat), shift, flat), 0).reshape(a.shape)

        return rolled_flat
    if not (_is_integer(axis) or _int_tuple(axis)):
        raise CallRefused(f"`axis` of `np.roll()` must be an integer or a tuple of integers, not `{axis}`")
    shift_count = 1 if _is_integer(shift) else len(shift.types)
    axis_count = 1 if _is_integer(axis) else len(axis.types)
    if shift_count != axis_count and 1 not in (shift_count, axis_count):

        def mismatch(a, shift, axis=None):
            raise ValueError("shape mismatch: objects cannot be broadcast to a single shape")

        return mismatch
    count = max(shift_count, axis_count)
    if a.ndim == 0:
        raise CallRefused("`np.roll(axis=...)` of a 0-dimensional array: an axis of a 0-dimensional array is out of bounds")

    def rolled(a, shift, axis=None):
        shifts = np.empty(count, np.int64)
        shifts[:] = _axes_array(shift)
        axes = np.empty(count, np.int64)
        axes[:] = _axes_array(axis)
        return _roll_each(np.empty_like(a), a, shifts, axes, count)

    return rolled


# ---- ravel and copy with order= ------------------------------------------------------------------


def _order_letter(name, order, default):
    if order is None or isinstance(order, types.NoneType):
        return default
    text = order.literal_value if isinstance(order, types.StringLiteral) else order
    if isinstance(text, str) and text.upper() in ("C", "F", "A", "K"):
        return text.upper()
    raise CallRefused(f"`order=` of `{name}()` must be one of 'C', 'F', 'A', 'K'", hint="write the order as a constant string, such as `order='F'`")


def _fortran_ordered(a):
    """Whether an array is known, from its type, to be in Fortran order (and not also in C
    order, as one dimension is)."""
    return a.layout == "F" and a.ndim > 1


def _ravel_typing(a, order="C"):
    """``a.ravel(order)``, ``np.ravel(a, order)`` with an order: ``'F'`` is the C-ordered
    ravel of the transpose (a view of a Fortran-ordered array), ``'A'`` and ``'K'`` are ``'F'``
    for a Fortran-ordered array, else ``'C'``. Without ``order=`` the compiler's own ravel
    serves the call."""
    if not isinstance(a, types.Array) or isinstance(order, str):
        return None
    letter = _order_letter("ravel", order, "C")
    if letter == "C" or (letter in "AK" and not _fortran_ordered(a)):

        def ravelled(a, order="C"):
            return a.ravel()

        return ravelled

    def ravelled_fortran(a, order="C"):
        return a.T.ravel()

    return ravelled_fortran


overload(np.ravel)(_ravel_typing)
overload_method(types.Array, "ravel")(_ravel_typing)


def _copy_typing(default):
    """``np.copy(a, order)`` (``default`` ``'K'``) and ``a.copy(order)`` (``'C'``) with an
    order; without ``order=``, the compiler's own copy serves the call."""

    def typing(a, order=default, subok=False):
        if isinstance(order, str) or not isinstance(a, types.Array):
            return None
        letter = _order_letter("copy", order, default)
        layout = "F" if letter == "F" or (letter in "AK" and _fortran_ordered(a)) else "C"

        def copied(a, order=None, subok=False):
            result = np.empty(a.shape, a.dtype, layout)
            result[...] = a
            return result

        return copied

    return typing


overload(np.copy)(_copy_typing("K"))
overload_method(types.Array, "copy")(_copy_typing("C"))


# ---- np.broadcast_to, np.broadcast_arrays, np.resize, np.append ---------------------------------------


@register_jitable
def _broadcast_error(own, wanted):
    """Raises NumPy's ``ValueError`` of ``np.broadcast_to`` for an array of the shape ``own``
    (int64 arrays) that does not broadcast to ``wanted``."""
    message_shape()
    for d in own:
        message_dim(d)
    message_shape()
    for d in wanted:
        message_dim(d)
    reduction_shape_error(5, 0, 0)


@register_jitable
def _check_broadcast(own, wanted):
    """Checks that an array of the shape ``own`` broadcasts to ``wanted`` (int64 arrays)."""
    for d in wanted:
        if d < 0:
            raise ValueError("all elements of broadcast shape must be non-negative")
    if own.size > wanted.size:
        raise ValueError("input operand has more dimensions than allowed by the axis remapping")
    extra = wanted.size - own.size
    for d in range(own.size):
        if own[d] != 1 and own[d] != wanted[extra + d]:
            _broadcast_error(own, wanted)


@overload(np.broadcast_to)
def broadcast_to(array, shape, subok=False):
    """``np.broadcast_to(array, shape)``: the array repeated into ``shape`` as broadcasting
    repeats it, as a new C-ordered array (NumPy gives a read-only view)."""
    if isinstance(array, _NUMBER):

        def of_number(array, shape, subok=False):
            return np.broadcast_to(np.atleast_1d(array).reshape(()), shape)

        return of_number
    _check_array("np.broadcast_to", array)
    if _is_integer(shape):

        def to_length(array, shape, subok=False):
            return np.broadcast_to(array, (shape,))

        return to_length
    if not _int_tuple(shape):
        raise CallRefused(f"the shape of `np.broadcast_to()` must be an integer or a tuple of integers, not `{shape}`")
    if len(shape.types) < array.ndim:

        def fewer_dimensions(array, shape, subok=False):
            raise ValueError("input operand has more dimensions than allowed by the axis remapping")

        return fewer_dimensions

    def broadcast(array, shape, subok=False):
        _check_broadcast(_dimensions(array.shape), _dimensions(shape))
        result = np.empty(shape, array.dtype)
        result[...] = array
        return result

    return broadcast


@register_jitable
def _broadcast_pair(dims, other):
    """``dims`` (an int64 array, the broadcast shape so far) broadcast with ``other``'s
    dimensions (aligned at the end); False when they do not broadcast."""
    extra = dims.size - other.size
    for d in range(other.size):
        here = dims[extra + d]
        if here == 1:
            dims[extra + d] = other[d]
        elif other[d] != 1 and other[d] != here:
            return False
    return True


def _broadcast_shape_of(arrays, count, ndim):
    """The int64 array of the broadcast shape of the first ``count`` arrays of ``arrays`` (of
    at most ``ndim`` dimensions); NumPy's ``ValueError`` when they do not broadcast."""


@overload(_broadcast_shape_of, prefer_literal=True)
def _broadcast_shape_of_typing(arrays, count, ndim):
    if not isinstance(count, types.IntegerLiteral):
        return None
    last = count.literal_value - 1
    if last < 0:

        def ones(arrays, count, ndim):
            return np.ones(ndim, np.int64)

        return ones

    def with_last(arrays, count, ndim):
        dims = _broadcast_shape_of(arrays, last, ndim)
        if not _broadcast_pair(dims, _dimensions(arrays[last].shape)):
            raise ValueError("shape mismatch: objects cannot be broadcast to a single shape")
        return dims

    return with_last


def _broadcast_each(arrays, count, shape):
    """The tuple of the first ``count`` arrays broadcast to ``shape`` (new arrays)."""


@overload(_broadcast_each, prefer_literal=True)
def _broadcast_each_typing(arrays, count, shape):
    if not isinstance(count, types.IntegerLiteral):
        return None
    last = count.literal_value - 1
    if last < 0:

        def none_yet(arrays, count, shape):
            return ()

        return none_yet

    def with_last(arrays, count, shape):
        result = np.empty(shape, arrays[last].dtype)
        result[...] = arrays[last]
        return _broadcast_each(arrays, last, shape) + (result,)

    return with_last


def _broadcast_arrays_typing(*args, subok=False):
    """``np.broadcast_arrays(a, b, ...)``: the tuple of the arrays broadcast to their common
    shape, new C-ordered arrays (NumPy gives views)."""
    for a in args:
        _check_array("np.broadcast_arrays", a)
    return _gathering("broadcast_arrays", len(args)) if args else _no_arrays


def _no_arrays():
    return ()


overload(np.broadcast_arrays)(_broadcast_arrays_typing)


@_on_tuple_operation("broadcast_arrays")
def _broadcast_arrays_of(items, options):
    count = len(items.types)
    ndim = max(a.ndim for a in items.types)

    def broadcast_all(name, items, options):
        shape = _tuple_of(_broadcast_shape_of(items, count, ndim), ndim)
        return _broadcast_each(items, count, shape)

    return broadcast_all


@overload(np.resize)
def resize(a, new_shape):
    """``np.resize(a, new_shape)``: a new C-ordered array of ``new_shape`` filled with ``a``'s
    elements (in C order) repeated; zeros when ``a`` is empty."""
    if isinstance(a, _NUMBER):

        def of_number(a, new_shape):
            return np.resize(np.atleast_1d(a), new_shape)

        return of_number
    _check_array("np.resize", a)
    if _is_integer(new_shape):

        def to_length(a, new_shape):
            return np.resize(a, (new_shape,))

        return to_length
    if not _int_tuple(new_shape):
        raise CallRefused(f"the shape of `np.resize()` must be an integer or a tuple of integers, not `{new_shape}`")

    def resized(a, new_shape):
        total = 1
        for d in _dimensions(new_shape):
            if d < 0:
                raise ValueError("all elements of `new_shape` must be non-negative")
            total *= d
        flat = a.ravel()
        result = np.empty(total, a.dtype)
        if flat.size == 0:
            result.fill(0)
        else:
            for start in range(0, total, flat.size):
                stop = min(start + flat.size, total)
                result[start:stop] = flat[: stop - start]
        return result.reshape(new_shape)

    return resized


@overload(np.append)
def append(arr, values, axis=None):
    """``np.append(arr, values, axis)``: ``np.concatenate`` of the two, flattened when ``axis``
    is None."""
    if not _given(axis):

        def appended_flat(arr, values, axis=None):
            return np.concatenate((np.atleast_1d(arr).ravel(), np.atleast_1d(values).ravel()))

        return appended_flat

    def appended(arr, values, axis=None):
        return np.concatenate((arr, values), axis)

    return appended


# ---- np.pad -----------------------------------------------------------------------------------------


def _pairs_form(name, given, ndim, number):
    """How a ``pad_width`` or ``constant_values`` argument lists its numbers (``number`` tells
    which types it may hold): ``"one"`` for a number or a 1-tuple, ``"pair"`` for (before,
    after), ``"axes"`` for one (before, after) or (both,) per axis, ``"first"`` for one pair in
    a 1-tuple; with how many numbers it holds."""
    if number(given):
        return "one", 1
    if isinstance(given, types.BaseTuple) and all(number(t) for t in given.types) and len(given.types) in (1, 2):
        return ("one", 1) if len(given.types) == 1 else ("pair", 2)
    if isinstance(given, types.BaseTuple) and all(isinstance(t, types.BaseTuple) and len(t.types) in (1, 2) and all(number(u) for u in t.types) for t in given.types):
        sizes = {len(t.types) for t in given.types}
        if len(given.types) == 1:
            return ("one", 1) if sizes == {1} else ("pair", 2)
        if len(given.types) == ndim and len(sizes) == 1:
            return ("axes", ndim * sizes.pop())
    raise CallRefused(f"`{name}` of `np.pad()` must be a number, a pair (before, after), or one pair per axis, not `{given}`")


def _joined_tuples(items, count):
    """The first ``count`` items of ``items`` (numbers or tuples of numbers) joined into one
    flat tuple."""


@overload(_joined_tuples, prefer_literal=True)
def _joined_tuples_typing(items, count):
    if not isinstance(count, types.IntegerLiteral):
        return None
    last = count.literal_value - 1
    if not isinstance(items, types.BaseTuple):

        def number(items, count):
            return (items,)

        return number
    if last < 0:

        def none_yet(items, count):
            return ()

        return none_yet
    nested = isinstance(items.types[last], types.BaseTuple)

    def with_last(items, count):
        if nested:
            return _joined_tuples(items, last) + items[last]
        return _joined_tuples(items, last) + (items[last],)

    return with_last


@register_jitable
def _as_pairs(flat, pairs, form_axes, ndim):
    """Fills ``pairs`` (``ndim`` by 2) from ``flat``: one number for all, one (before, after)
    for every axis, or (``form_axes``) the numbers of each axis in turn, a single number
    standing for both."""
    per_axis = flat.size // ndim if form_axes else 0
    for d in range(ndim):
        for side in range(2):
            if form_axes:
                pairs[d, side] = flat[d * per_axis + min(side, per_axis - 1)]
            else:
                pairs[d, side] = flat[min(side, flat.size - 1)]


def _padded_interior(result, widths, shape, axis):
    """The view of ``result`` without the pads of its axes ``axis..ndim``: ``widths[d, 0]``
    and the length ``shape[d]`` of axis ``d``."""


@overload(_padded_interior, prefer_literal=True)
def _padded_interior_typing(result, widths, shape, axis):
    if not isinstance(axis, types.IntegerLiteral):
        return None
    k = axis.literal_value
    if k == result.ndim:

        def whole(result, widths, shape, axis):
            return result

        return whole
    following = k + 1

    def without_pads(result, widths, shape, axis):
        start = widths[k, 0]
        inner = _from_front(_to_front(result, k)[start : start + shape[k]], k)
        return _padded_interior(inner, widths, shape, following)

    return without_pads


def _fill_pads(result, widths, shape, values, edge, axis):
    """Fills the pads of ``result``'s axes ``axis..ndim`` in turn, each over the whole extent
    of the other axes (a later axis's pads cover the corners): with ``values[d]`` (before,
    after), or (``edge``) with the first and last elements along the axis."""


@overload(_fill_pads, prefer_literal=True)
def _fill_pads_typing(result, widths, shape, values, edge, axis):
    if not isinstance(axis, types.IntegerLiteral):
        return None
    k = axis.literal_value
    if k == result.ndim:

        def done(result, widths, shape, values, edge, axis):
            return None

        return done
    following = k + 1
    by_edge = edge.literal_value

    def fill(result, widths, shape, values, edge, axis):
        front = _to_front(result, k)
        before = widths[k, 0]
        stop = before + shape[k]
        if by_edge:
            if shape[k] == 0 and (before > 0 or widths[k, 1] > 0):
                raise ValueError("can't extend empty axis using modes other than 'constant' or 'empty'")
            if shape[k] > 0:
                front[:before] = front[before : before + 1]
                front[stop:] = front[stop - 1 : stop]
        else:
            front[:before] = values[k, 0]
            front[stop:] = values[k, 1]
        _fill_pads(result, widths, shape, values, edge, following)

    return fill


@overload(np.pad)
def pad(array, pad_width, mode="constant", constant_values=0):
    """``np.pad(array, pad_width, mode)``: a new array (Fortran-ordered for a Fortran-ordered
    ``array``, else C-ordered) with ``array`` in the middle
    and pads of ``pad_width`` around it along each axis (a number, a pair (before, after), or
    one pair per axis), filled with ``constant_values`` (the same forms) or, with
    ``mode='edge'``, with the edge elements."""
    _check_array("np.pad", array)
    text = mode.literal_value if isinstance(mode, types.StringLiteral) else mode
    if text not in ("constant", "edge"):
        raise CallRefused(f"`mode=` of `np.pad()` must be 'constant' or 'edge' in compiled code, not `{mode}`", unsupported=True)
    ndim = array.ndim
    width_form, width_count = _pairs_form("pad_width", pad_width, ndim, _is_integer)
    edge = text == "edge"
    value_given = isinstance(constant_values, types.Type)
    if value_given:
        value_form, value_count = _pairs_form("constant_values", constant_values, ndim, lambda t: isinstance(t, _NUMBER))
        leaves = [constant_values] if isinstance(constant_values, _NUMBER) else [u for t in constant_values.types for u in (t.types if isinstance(t, types.BaseTuple) else (t,))]
        if any(isinstance(t, types.Complex) for t in leaves) and not isinstance(array.dtype, types.Complex):
            raise CallRefused("`constant_values` of `np.pad()` cannot be complex for an array of real numbers")
    else:
        value_form, value_count = "one", 1
    widths_by_axis = width_form == "axes"
    values_by_axis = value_form == "axes"

    layout = "F" if _fortran_ordered(array) else "C"
    width_items = len(pad_width.types) if isinstance(pad_width, types.BaseTuple) else 1
    value_items = len(constant_values.types) if isinstance(constant_values, types.BaseTuple) else 1

    def padded(array, pad_width, mode=None, constant_values=0):
        widths = np.empty((ndim, 2), np.int64)
        _as_pairs(_dimensions(_joined_tuples(pad_width, width_items)), widths, widths_by_axis, ndim)
        for d in range(ndim):
            if widths[d, 0] < 0 or widths[d, 1] < 0:
                raise ValueError("index can't contain negative values")
        values = np.zeros((ndim, 2), array.dtype)
        if value_given and not edge:
            given = _joined_tuples(constant_values, value_items)
            flat = np.empty(value_count, array.dtype)
            _store_items(given, flat, value_count)
            _as_pairs(flat, values, values_by_axis, ndim)
        shape = _dimensions(array.shape)
        result = np.empty(_tuple_of(shape + widths[:, 0] + widths[:, 1], ndim), array.dtype, layout)
        _padded_interior(result, widths, shape, 0)[...] = array
        _fill_pads(result, widths, shape, values, edge, 0)
        return result

    return padded


# ---- np.delete, np.insert ---------------------------------------------------------------------------


def _kept(obj, n, axis):
    """The boolean array of the ``n`` positions along ``axis`` that ``np.delete`` keeps when
    deleting ``obj``: an integer, an array of integers (negative ones from the end; NumPy's
    ``IndexError`` outside) or a boolean mask of length ``n``."""


@overload(_kept)
def _kept_typing(obj, n, axis):
    if _is_integer(obj):

        def one(obj, n, axis):
            if obj < -n or obj >= n:
                index_error(obj, axis, n)
            keep = np.ones(n, np.bool_)
            keep[obj + n if obj < 0 else obj] = False
            return keep

        return one
    if isinstance(obj, types.Array) and isinstance(obj.dtype, types.Boolean):

        def by_mask(obj, n, axis):
            if obj.ndim != 1 or obj.size != n:
                raise ValueError("boolean array argument obj to delete must be one dimensional and match the axis length")
            return ~obj.ravel()

        return by_mask
    if isinstance(obj, types.Array) and isinstance(obj.dtype, types.Integer):

        def each(obj, n, axis):
            keep = np.ones(n, np.bool_)
            for i in obj.ravel():
                if i < -n or i >= n:
                    index_error(i, axis, n)
                keep[i + n if i < 0 else i] = False
            return keep

        return each
    raise CallRefused(f"`obj` of `np.delete()` must be an integer, an array of integers or a boolean array, not `{obj}`", hint="slices are not supported here in compiled code yet")


@_axis_operation("delete")
def _delete_at(spec, payload, k):
    layout = spec

    def deleted(name, spec, payload, axis):
        arr = payload[0]
        keep = _kept(payload[1], arr.shape[k], k)
        count = 0
        for kept in keep:
            if kept:
                count += 1
        shape = arr.shape
        result = np.empty(shape[:k] + (count,) + shape[k + 1 :], arr.dtype, layout)
        _to_front(result, k)[...] = _to_front(arr, k)[keep]
        return result

    return deleted


@overload(np.delete)
def delete(arr, obj, axis=None):
    """``np.delete(arr, obj, axis)``: a new array without the elements (or the slices along
    ``axis``) ``obj`` names; flattened when ``axis`` is None. Fortran-ordered for a
    Fortran-ordered ``arr``, else C-ordered."""
    _check_array("np.delete", arr)
    _axis_argument("np.delete", axis, none_allowed=True)
    if not _given(axis):

        def deleted_flat(arr, obj, axis=None):
            return _at_axis("delete", "C", (arr.ravel(), obj), 0)

        return deleted_flat
    layout = "F" if _fortran_ordered(arr) else "C"
    ndim = arr.ndim

    def deleted(arr, obj, axis=None):
        return _by_axis("delete", layout, (arr, obj), axis, ndim)

    return deleted


@_axis_operation("insert")
def _insert_at(spec, payload, k):
    layout = spec
    obj = payload.types[1]
    one_index = _is_integer(obj)

    def at_one_place(arr, index, block):
        """Inserts ``block`` (its first axis along ``k``) before ``index``."""
        n = arr.shape[k]
        if index < -n or index > n:
            index_error(index, k, n)
        if index < 0:
            index += n
        count = block.shape[0]
        shape = arr.shape
        result = np.empty(shape[:k] + (n + count,) + shape[k + 1 :], arr.dtype, layout)
        front = _to_front(result, k)
        source = _to_front(arr, k)
        front[:index] = source[:index]
        front[index : index + count] = block
        front[index + count :] = source[index:]
        return result

    place = register_jitable(at_one_place)
    if one_index:
        # NumPy's `moveaxis(values, 0, axis)`: the values' first axis goes along `k`.
        def inserted_at_index(name, spec, payload, axis):
            return place(payload[0], payload[1], payload[2])

        return inserted_at_index

    def inserted(name, spec, payload, axis):
        arr = payload[0]
        values = payload[2]
        if payload[1].size == 1:
            # One index in an array: the values' own axis `k` goes along `k`.
            return place(arr, payload[1].ravel()[0], _to_front(values, k))
        n = arr.shape[k]
        shape = arr.shape
        indices = payload[1].ravel().astype(np.int64)
        count = indices.size
        for i in range(count):
            if indices[i] < -n or indices[i] > n:
                index_error(indices[i], k, n)
            if indices[i] < 0:
                indices[i] += n
        # NumPy's places: each index shifted by its rank in a stable sort of the indices (the
        # number of values inserted before it).
        ranks = np.zeros(count, np.int64)
        for i in range(count):
            for j in range(count):
                if indices[j] < indices[i] or (indices[j] == indices[i] and j < i):
                    ranks[i] += 1
        indices += ranks
        result = np.empty(shape[:k] + (n + count,) + shape[k + 1 :], arr.dtype, layout)
        old = np.ones(n + count, np.bool_)
        for i in range(count):
            old[indices[i]] = False
        front = _to_front(result, k)
        front[old] = _to_front(arr, k)
        spread = np.empty(front[:count].shape, arr.dtype)
        spread[...] = _to_front(values, k)
        for i in range(count):
            front[indices[i]] = spread[i]
        return result

    return inserted


@overload(np.insert)
def insert(arr, obj, values, axis=None):
    """``np.insert(arr, obj, values, axis)``: a new array with ``values`` inserted before the
    index ``obj`` (an integer: the values as a block) or before each of the indices ``obj`` (an
    array of integers: one value, or slice, each) along ``axis``; flattened when ``axis`` is
    None. Fortran-ordered for a Fortran-ordered ``arr``, else C-ordered."""
    _check_array("np.insert", arr)
    _axis_argument("np.insert", axis, none_allowed=True)
    if not (_is_integer(obj) or isinstance(obj, types.Array) and isinstance(obj.dtype, types.Integer) and not isinstance(obj.dtype, types.Boolean)):
        raise CallRefused(f"`obj` of `np.insert()` must be an integer or an array of integers, not `{obj}`", hint="slices and boolean masks are not supported here in compiled code yet")
    if not (isinstance(values, (*_NUMBER, types.NPDatetime, types.NPTimedelta, types.Array, types.BaseTuple, types.List))):
        raise CallRefused(f"`values` of `np.insert()` must be numbers, datetime64 or timedelta64 values, or arrays or tuples of them, not `{values}`")
    ndim = max(arr.ndim, 1) if not _given(axis) else arr.ndim
    if not _given(axis):

        def inserted_flat(arr, obj, values, axis=None):
            return _at_axis("insert", "C", (arr.ravel(), obj, np.array(values, dtype=arr.dtype, ndmin=1)), 0)

        return inserted_flat
    layout = "F" if _fortran_ordered(arr) else "C"

    def inserted(arr, obj, values, axis=None):
        return _by_axis("insert", layout, (arr, obj, np.array(values, dtype=arr.dtype, ndmin=ndim)), axis, ndim)

    return inserted


# ---- np.split, np.array_split -------------------------------------------------------------------

from .lists import new_of as _new_list_of  # noqa: E402 - lists of the pieces
from .lists import store as _list_store  # noqa: E402


@register_jitable
def _split_axis(axis, ndim):
    """The axis of a split: NumPy reads the axis's length first (``ary.shape[axis]``), so an
    axis outside the array is the ``IndexError`` of indexing the shape tuple."""
    if axis < -ndim or axis >= ndim:
        raise IndexError("tuple index out of range")
    return axis + ndim if axis < 0 else axis


def _split_typing(name, equal):
    """``np.split`` (``equal``: an integer count must divide the axis) and ``np.array_split``:
    a list of views of ``ary``, as NumPy's (which swaps the axis to the front, slices, and swaps
    it back)."""

    def typing(ary, indices_or_sections, axis=0):
        _check_array(name, ary)
        _axis_argument(name, axis)
        if ary.ndim == 0:
            raise CallRefused(f"`{name}()` of a 0-d array: there is no axis to split")
        ndim = ary.ndim
        sections = indices_or_sections
        if _is_integer(sections):

            def by_count(ary, indices_or_sections, axis=0):
                k = _split_axis(axis, ndim)
                s = np.swapaxes(ary, k, 0)
                total = s.shape[0]
                count = indices_or_sections
                if equal:
                    if count == 0:
                        raise ZeroDivisionError("integer modulo by zero")
                    if total % count != 0:
                        raise ValueError("array split does not result in an equal division")
                if count <= 0:
                    raise ValueError("number sections must be larger than 0.")
                each, extras = divmod(total, count)
                out = _new_list_of(np.swapaxes(s[0:0], k, 0), count)
                start = 0
                for i in range(count):
                    size = each + 1 if i < extras else each
                    _list_store(out, i, np.swapaxes(s[start : start + size], k, 0))
                    start += size
                return out

            return by_count
        given = sections.dtype if isinstance(sections, (types.List, types.Array)) else None
        if isinstance(sections, types.BaseTuple) and len(sections.types) > 0:
            given = sections.types[0] if all(t == sections.types[0] for t in sections.types) else None
        if given is None or not _is_integer(given) or (isinstance(sections, types.Array) and sections.ndim != 1):
            raise CallRefused(f"`indices_or_sections` of `{name}()` must be an integer or a sequence of integers, not `{sections}`")

        def by_indices(ary, indices_or_sections, axis=0):
            k = _split_axis(axis, ndim)
            s = np.swapaxes(ary, k, 0)
            total = s.shape[0]
            points = np.asarray(indices_or_sections)
            n = len(points)
            out = _new_list_of(np.swapaxes(s[0:0], k, 0), n + 1)
            start = 0
            for i in range(n + 1):
                stop = points[i] if i < n else total
                _list_store(out, i, np.swapaxes(s[start:stop], k, 0))
                start = stop
            return out

        return by_indices

    return typing


overload(np.split)(_split_typing("np.split", True))
overload(np.array_split)(_split_typing("np.array_split", False))
