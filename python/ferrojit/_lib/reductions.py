"""Reductions written in Python: ``prod``, ``argmin``, ``argmax``, ``all``, ``any``, ``var``,
``std``, ``cumsum``, ``cumprod``, as array methods and ``np.`` functions, with NumPy's result
types, NaN and empty-array behaviour; and the calls of ``sum``, ``min``, ``max``, ``mean`` that
the compiler's own versions do not take (a tuple of axes, ``initial=``, ``keepdims=True`` of the
whole array). Each reduces the whole array, or along ``axis=``: an integer or (except ``argmin``,
``argmax``, ``cumsum``, ``cumprod``) a tuple of integers, constant or not, negative from the end,
with NumPy's ``AxisError`` when out of range and ``ValueError`` when repeated (raised when the
call runs); with ``keepdims=``, ``dtype=``, ``initial=``, ``out=``, ``where=`` where NumPy has
them. ``min``, ``max``, ``argmin``, ``argmax`` order complex numbers as NumPy does: by real
part, then imaginary part, a NaN in either part winning. ``sum``, ``mean`` and ``cumsum`` of
timedeltas keep their unit (NaT propagating, as NumPy adds them); where NumPy has no loop (the
sum of datetimes, products of time values) its ``TypeError`` is raised when the call runs.

``out=`` receives the result, cast as NumPy casts a reduction's output (``casting='unsafe'``:
a complex result into a real ``out`` keeps the real part), and is what the call returns; its
shape is checked against the result's, with NumPy's errors, before anything is computed.
``where=`` (a boolean array broadcast to the array's shape, or a bool) selects the elements
reduced.

Every reduction walks *lanes* of the array's values in C order (``flat = a.ravel()``): the
elements ``flat[start + j * step]`` for ``j < n``. The whole array is one lane. Along a set of
axes, result element ``o`` (C order over the kept dimensions) has the lane of the elements
``flat[bases[o] + offsets[j]]``, ``bases`` and ``offsets`` being the positions of the kept and
of the reduced dimensions' indices (see :func:`_lane_positions`); when ``offsets`` is an
arithmetic progression (one axis, or adjacent ones) the lane is read in place, else gathered
into a buffer first. With ``where=``, the mask broadcast to the array's shape is walked in the
same lanes (``selected``), else the lane functions are given ``flat`` there and ignore it.

The number of dimensions of a result depends only on the number of axes and on ``keepdims``,
both known when compiling: the axes' values may be run-time values, checked when the call runs.

Called from a function compiled with ``parallel=True``, the reductions into arrays share their
result's elements out among the pool's threads (:func:`_reducer`), and ``argmin``/``argmax``
(:func:`_whole_array_arg_extreme`) and ``var``/``std`` (:func:`_whole_array_spread`) of whole
arrays their elements, when the array is large (see ``pool``).
"""

import numpy as np

from .. import prange, types
from ..errors import TypingError
from ..extending import CallRefused, overload, overload_method, register_jitable
from . import axis_error, compiler_builds, message_dim, message_shape, parallel_array_chunks, reduction_shape_error
from .pool import flat_in_c_order, flat_on_pool, runner
from .dtypes import element_of, is_time, numpy_dtype, scalar_maker, numpy_type as _numpy_type


def _number(a):
    return isinstance(a, types.Array) and isinstance(a.dtype, (types.Boolean, types.Integer, types.Float, types.Complex))


def _given(value):
    """Whether an optional argument was given (not left out, nor written ``None``)."""
    return value is not None and not isinstance(value, types.NoneType)


def _dtype_argument(name, given):
    """The NumPy scalar type of a ``dtype=`` argument."""
    if not isinstance(given, types.DTypeSpec):
        raise TypingError(f"`{name}(dtype=...)` takes a NumPy scalar type such as `np.float64`, or an array's `dtype`")
    return _numpy_type(given.dtype)


def _accumulator(name, dtype, given, out=None):
    """NumPy's type for sums and products of ``dtype``: the ``dtype=`` argument's when given;
    else 64-bit integers (NumPy's platform integers) of the same signedness for booleans and
    integers, the type itself otherwise; promoted with the dtype of ``out`` when given (NumPy
    chooses the loop from both)."""
    if _given(given):
        return _dtype_argument(name, given)
    if isinstance(dtype, types.Boolean) or (isinstance(dtype, types.Integer) and dtype.signed):
        acc = np.int64
    elif isinstance(dtype, types.Integer):
        acc = np.uint64
    else:
        acc = _numpy_type(dtype)
    if out is not None:
        acc = np.result_type(acc, _numpy_type(out.dtype)).type
    return acc


def _mean_type(name, dtype, given, out=None):
    """NumPy's type for means, variances and standard deviations of ``dtype``: the ``dtype=``
    argument's when given (a float or complex type), else float64 for booleans and integers,
    the type itself otherwise, promoted with the dtype of ``out`` when given."""
    if _given(given):
        computed = _dtype_argument(name, given)
        if not issubclass(computed, np.inexact):
            raise TypingError(f"`{name}(dtype=...)` must be a float or complex type such as `np.float64`: {name} divides")
        if isinstance(dtype, types.Complex) and not issubclass(computed, np.complexfloating):
            raise TypingError(f"`{name}()` of a complex array cannot be computed in `{computed.__name__}`: give a complex `dtype=`")
        return computed
    if isinstance(dtype, (types.Float, types.Complex)):
        if out is not None:
            return np.result_type(_numpy_type(dtype), _numpy_type(out.dtype)).type
        return _numpy_type(dtype)
    return np.float64


def _is_axis_integer(ty):
    return isinstance(ty, types.Integer) and not isinstance(ty, types.Boolean)


class _Axis:
    """What a reduction's ``axis=`` and ``keepdims=`` arguments ask for, read at typing time:
    ``count`` is None (the whole array) or the number of axes given (1 for an integer, the
    length of a tuple of integers); ``keepdims`` whether the reduced dimensions are kept."""

    def __init__(self, name, a, axis, keepdims=False, tuples=True):
        if isinstance(keepdims, types.BooleanLiteral):
            keepdims = keepdims.literal_value
        if not isinstance(keepdims, bool):
            raise TypingError(f"`keepdims=` of `{name}()` must be written `True` or `False`: the number of dimensions of the result depends on it")
        self.keepdims = keepdims
        self.count = None
        if not _given(axis):
            return
        if _is_axis_integer(axis):
            self.count = 1
        elif tuples and isinstance(axis, types.BaseTuple) and all(_is_axis_integer(t) for t in axis.types):
            self.count = len(axis.types)
        # Refused outright (the compiler's reductions would not name what is wrong as well).
        elif tuples:
            raise CallRefused(f"`axis=` of `{name}()` must be an integer or a tuple of integers, not `{axis}`")
        else:
            raise CallRefused(f"`axis=` of `{name}()` must be an integer, not `{axis}`")
        if a.ndim == 0 and self.count > 0:
            raise TypingError(f"`{name}(axis=...)` of a 0-dimensional array: an axis of a 0-dimensional array is out of bounds")

    def scalar(self, a):
        """Whether the result is a scalar: a 0-dimensional array's (kept dimensions or not, as
        NumPy's); else without ``keepdims``, with no axis or as many axes as dimensions (more
        raise when the call runs: some axis is repeated or out of range)."""
        return a.ndim == 0 or (not self.keepdims and (self.count is None or self.count >= a.ndim))

    def result_ndim(self, a):
        if self.keepdims:
            return a.ndim
        return a.ndim - (a.ndim if self.count is None else self.count)


def _store_items(items, out, count):
    """Stores the first ``count`` items of the tuple ``items`` in the array ``out``."""


@overload(_store_items, prefer_literal=True)
def _store_items_typing(items, out, count):
    # Tuples are indexed with constants only: one implementation per count, each storing its
    # last item after the ones before.
    if not isinstance(count, types.IntegerLiteral):
        return None
    last = count.literal_value - 1
    if last < 0:

        def store_none(items, out, count):
            return None

        return store_none

    def store_items(items, out, count):
        _store_items(items, out, last)
        out[last] = items[last]

    return store_items


def _tuple_of(values, count):
    """The tuple of the first ``count`` elements of the array ``values``."""


@overload(_tuple_of, prefer_literal=True)
def _tuple_of_typing(values, count):
    if not isinstance(count, types.IntegerLiteral):
        return None
    last = count.literal_value - 1
    if last < 0:

        def no_items(values, count):
            return ()

        return no_items

    def items(values, count):
        return _tuple_of(values, last) + (values[last],)

    return items


def _dimensions(shape):
    """The lengths of an array's dimensions, as an int64 array."""


@overload(_dimensions)
def _dimensions_typing(shape):
    if not isinstance(shape, types.BaseTuple):
        return None
    ndim = len(shape.types)

    def dimensions(shape):
        dims = np.empty(ndim, np.int64)
        _store_items(shape, dims, ndim)
        return dims

    return dimensions


@register_jitable
def _record_shape(dims, n):
    """Records the first ``n`` lengths of the int64 array ``dims`` as one shape of the next
    error message naming shapes (``reduction_shape_error``)."""
    message_shape()
    for k in range(n):
        message_dim(dims[k])


def _reduced_dimensions(axis, ndim):
    """Which of ``ndim`` dimensions ``axis`` reduces (a boolean array): all for None; else the
    integer or the tuple of integers given, counted from the end when negative, with NumPy's
    ``AxisError`` when one is out of range and ``ValueError`` when two are the same
    dimension."""


@overload(_reduced_dimensions)
def _reduced_dimensions_typing(axis, ndim):
    if not _given(axis):

        def every_dimension(axis, ndim):
            return np.ones(ndim, np.bool_)

        return every_dimension
    count = len(axis.types) if isinstance(axis, types.BaseTuple) else 1
    one = not isinstance(axis, types.BaseTuple)

    def given_dimensions(axis, ndim):
        values = np.empty(count, np.int64)
        if one:
            values[0] = axis
        else:
            _store_items(axis, values, count)
        # NumPy checks every axis's range before it looks for repeats.
        for i in range(count):
            if values[i] < -ndim or values[i] >= ndim:
                axis_error(values[i], ndim)
        reduced = np.zeros(ndim, np.bool_)
        for i in range(count):
            k = values[i] + ndim if values[i] < 0 else values[i]
            if reduced[k]:
                raise ValueError("duplicate value in 'axis'")
            reduced[k] = True
        return reduced

    return given_dimensions


@register_jitable
def _positions(dims, strides, chosen, want):
    """The offsets in ``flat`` of the index combinations of the dimensions ``d`` with
    ``chosen[d] == want``, in C order over those dimensions."""
    count = 1
    for d in range(dims.size):
        if chosen[d] == want:
            count *= dims[d]
    positions = np.empty(count, np.int64)
    for p in range(count):
        rest = p
        offset = 0
        for d in range(dims.size - 1, -1, -1):
            if chosen[d] == want:
                offset += (rest % dims[d]) * strides[d]
                rest //= dims[d]
        positions[p] = offset
    return positions


@register_jitable
def _lane_positions(dims, reduced):
    """``(bases, offsets)``: the offsets in ``flat`` (the array in C order) of each result
    element's first element, and of a lane's elements from its first (see the module's
    docstring)."""
    strides = np.empty(dims.size, np.int64)
    stride = 1
    for d in range(dims.size - 1, -1, -1):
        strides[d] = stride
        stride *= dims[d]
    return _positions(dims, strides, reduced, False), _positions(dims, strides, reduced, True)


@register_jitable
def _step_of(offsets):
    """The step of ``offsets`` when it is an arithmetic progression, else -1."""
    if offsets.size < 2:
        return 1
    step = offsets[1] - offsets[0]
    for j in range(2, offsets.size):
        if offsets[j] - offsets[j - 1] != step:
            return -1
    return step


def _out_given(name, out):
    """Whether ``out=`` was given, checking that it is an array (NumPy's reductions take no other)."""
    if not _given(out):
        return False
    if not isinstance(out, types.Array):
        # Refused with this error, not left to the compiler's own `sum`, `min`, `max`, `mean`.
        raise CallRefused(f"`out=` of `{name}()` must be an array, not `{out}`")
    return True


def _where_given(name, where):
    """Whether ``where=`` was given, checking that it is an array or a bool."""
    if not _given(where):
        return False
    if not isinstance(where, (types.Array, types.Boolean)):
        raise CallRefused(f"`where=` of `{name}()` must be an array of booleans or a bool, not `{where}`")
    return True


def _cast_error(source, target):
    """NumPy's ``TypeError`` text for an array of ``source`` it does not cast to ``target``."""
    return f"Cannot cast array data from dtype('{source}') to dtype('{target}') according to the rule 'safe'"


@register_jitable
def _joined(length, other):
    """The length two operands' dimensions broadcast to, from the one so far (``length``, -1
    when they already do not broadcast) and another (``other``, -1 when the operand has no
    such dimension); -1 when they do not broadcast."""
    if length < 0 or other < 0 or other == 1 or other == length:
        return length
    if length == 1:
        return other
    return -1


def _operands_checker(a, spec, out, where, mask_broadcast_to=False):
    """A function ``(dims, reduced, out, where)`` checking, as NumPy does and with its
    ``ValueError``s, that ``out`` and the ``where`` mask fit the reduction of ``a`` (of
    dimensions ``dims``) over the ``reduced`` dimensions: their shapes, ``out``'s remapped to
    ``a``'s dimensions (a reduced dimension without ``keepdims`` has none, NumPy's
    ``newaxis``) and the mask's aligned on the right, broadcast together into ``a``'s shape;
    ``out`` has length 1 exactly in the reduced dimensions it keeps. ``where=False`` is a
    0-dimensional mask (``True``, no mask). With ``mask_broadcast_to`` (``mean``, ``var``, ``std``, which count
    the selected elements first), the mask is first broadcast to ``a``'s shape alone, with
    ``np.broadcast_to``'s error. The numbers of dimensions were checked before."""
    ndim = a.ndim
    keepdims = spec.keepdims
    has_out = _given(out)
    out_ndim = out.ndim if has_out else 0
    has_mask = _given(where)
    mask_is_array = isinstance(where, types.Array)
    mask_ndim = where.ndim if mask_is_array else 0

    def check(dims, reduced, out, where):
        out_dims = np.full(ndim, -1, np.int64)
        # Each dimension's position in `out`, for NumPy's message naming it.
        out_places = np.zeros(ndim, np.int64)
        if has_out:
            own = _dimensions(out.shape)
            k = 0
            for d in range(ndim):
                if keepdims or not reduced[d]:
                    out_dims[d] = own[k]
                    out_places[d] = k
                    k += 1
        mask_dims = np.full(ndim, -1, np.int64)
        if mask_is_array:
            given = _dimensions(where.shape)
            for j in range(mask_ndim):
                mask_dims[ndim - mask_ndim + j] = given[j]
            if mask_broadcast_to:
                for d in range(ndim):
                    if mask_dims[d] >= 0 and mask_dims[d] != 1 and mask_dims[d] != dims[d]:
                        _record_shape(given, mask_ndim)
                        _record_shape(dims, ndim)
                        reduction_shape_error(5, 0, 0)
        broadcast = np.empty(ndim, np.int64)
        fits = True
        for d in range(ndim):
            broadcast[d] = _joined(_joined(dims[d], out_dims[d]), mask_dims[d])
            if broadcast[d] < 0:
                fits = False
        if not fits:
            # NumPy names `out` (as given, then remapped), the array, then the mask.
            operands = 1
            remapped = 0
            if has_out:
                _record_shape(_dimensions(out.shape), out_ndim)
                message_shape()
                for d in range(ndim):
                    if keepdims or not reduced[d]:
                        message_dim(out_dims[d])
                    else:
                        message_dim(-1)
                operands += 1
                remapped = 1
            _record_shape(dims, ndim)
            if mask_is_array:
                _record_shape(_dimensions(where.shape), mask_ndim)
                operands += 1
            elif has_mask:
                # NumPy has no mask operand for `where=True`; `False` is a 0-d one.
                if not where:
                    message_shape()
                    operands += 1
            reduction_shape_error(0, operands, remapped)
        for d in range(ndim):
            if dims[d] != broadcast[d]:
                _record_shape(dims, ndim)
                _record_shape(broadcast, ndim)
                reduction_shape_error(1, 0, 0)
        if has_out:
            # NumPy meets the dimensions last to first.
            for d in range(ndim - 1, -1, -1):
                if reduced[d] and keepdims and out_dims[d] != 1:
                    reduction_shape_error(3, d, out_dims[d])
                if not reduced[d] and out_dims[d] == 1 and broadcast[d] != 1:
                    reduction_shape_error(2, out_places[d], 0)

    return check


def _selection(a, flat, where):
    """The elements ``where`` selects, as a flat boolean array in C order of ``a``'s (the mask
    broadcast to its shape, checked before); ``flat`` when ``where`` was not given."""


@overload(_selection)
def _selection_typing(a, flat, where):
    if not _given(where):

        def everything(a, flat, where):
            return flat

        return everything

    def selected(a, flat, where):
        mask = np.empty(a.shape, np.bool_)
        mask[...] = where
        return mask.ravel()

    return selected


def _store(out, result):
    """Writes ``result`` (an array of ``out``'s shape, or a scalar into a 0-d or all-ones
    ``out``) into ``out``, cast as NumPy casts a
    reduction's output: unsafely, a complex result into a real ``out`` keeping its real part."""


@overload(_store)
def _store_typing(out, result):
    values = result.dtype if isinstance(result, types.Array) else result
    if isinstance(values, types.Complex) and not isinstance(out.dtype, types.Complex):

        def store_real(out, result):
            out[...] = result.real

        return store_real

    def store(out, result):
        out[...] = result

    return store


def _reducer(name, operation, a, spec, lane, result_type, empty_message=None, out=None, where=None, refusal=None, mask_broadcast_to=False, parallel=False):
    """A function ``(a, axis, extra, out, where)`` giving the reduction ``spec`` asks for, whose
    value over a lane is ``lane(flat, selected, start, step, n, extra)``: a scalar, or a new
    C-ordered array of ``result_type``, or ``out`` holding it when ``out`` is given.
    ``selected`` is the flat mask of ``where``'s selection (when given) walked in the same
    lanes. ``empty_message`` is the ``ValueError`` of a reduction without identity along empty
    lanes, raised even when there are no lanes (NumPy's); ``operation`` NumPy's name of the
    reduction in its messages (``add`` for ``sum``). ``refusal``: the ``ValueError`` raised
    once the arguments are checked, instead of reducing; ``mask_broadcast_to``: see
    :func:`_operands_checker`.

    With ``parallel`` (a caller compiled with ``parallel=True``; Numba parallelises reductions
    along axes), a reduction into an array reduces its lanes on the pool when the array is
    large (see ``pool``): each chunk takes a run of the result's elements,
    each reduced by ``lane`` as the serial code does, so the results are the serial ones bit
    for bit."""
    ndim = a.ndim
    has_axis = spec.count is not None
    no_identity = empty_message is not None
    # Constant strings either way: compiled code raises constant messages only.
    empty_message = empty_message or ""
    has_out = _given(out)
    masked = _given(where)
    has_mask = isinstance(where, types.Array)
    keepdims = spec.keepdims
    result_ndim = max(spec.result_ndim(a), 0)
    # NumPy's errors known from the types alone, raised when the call runs, once the axes are
    # checked.
    type_error = _cast_error(where.dtype.name, "bool") if has_mask and not isinstance(where.dtype, types.Boolean) else ""
    has_type_error = bool(type_error)
    shape_error = ""
    if has_out and out.ndim != result_ndim:
        shape_error = f"output parameter for reduction operation {operation} has the wrong number of dimensions: Found {out.ndim} but expected {result_ndim}"
        if keepdims:
            shape_error += " (must match the operand's when keepdims=True)"
    elif has_mask and where.ndim > ndim:
        shape_error = "input operand has more dimensions than allowed by the axis remapping"
    has_shape_error = bool(shape_error)
    checks_operands = has_out or has_mask
    check_operands = _operands_checker(a, spec, out, where, mask_broadcast_to)
    refused = refusal is not None
    refusal = refusal or ""

    if has_type_error or has_shape_error:
        # Not compiled further: `out` or the mask would not fit the result.
        def refuse(a, axis, extra, out, where):
            _reduced_dimensions(axis, ndim)
            if has_type_error:
                raise TypeError(type_error)
            raise ValueError(shape_error)

        return refuse

    def checked(a, axis, out, where):
        """The reduced dimensions and ``a``'s, once every argument is checked."""
        reduced = _reduced_dimensions(axis, ndim)
        dims = _dimensions(a.shape)
        if checks_operands:
            check_operands(dims, reduced, out, where)
        if refused:
            raise ValueError(refusal)
        return reduced, dims

    if spec.scalar(a) and not has_out:

        def reduce_whole(a, axis, extra, out, where):
            if has_axis or masked:
                checked(a, axis, out, where)
            flat = a.ravel()
            return lane(flat, _selection(a, flat, where), 0, 1, flat.size, extra)

        return reduce_whole

    def new_result(reduced, dims):
        result_dims = np.empty(result_ndim, np.int64)
        r = 0
        for d in range(ndim):
            if keepdims or not reduced[d]:
                result_dims[r] = 1 if reduced[d] else dims[d]
                r += 1
        return np.empty(_tuple_of(result_dims, result_ndim), result_type)

    # The result's elements `first` to `last - 1`, each the value of its lane (see `runner`).
    def reduce_run(args, first, last):
        flat, selected, result_flat, bases, offsets, extra = args
        n = offsets.size
        step = _step_of(offsets)
        if step >= 0:
            for o in range(first, last):
                result_flat[o] = lane(flat, selected, bases[o], step, n, extra)
        else:
            lane_values = np.empty(n, flat.dtype)
            lane_selected = np.empty(n, selected.dtype)
            for o in range(first, last):
                for j in range(n):
                    lane_values[j] = flat[bases[o] + offsets[j]]
                    if masked:
                        lane_selected[j] = selected[bases[o] + offsets[j]]
                result_flat[o] = lane(lane_values, lane_selected, 0, 1, n, extra)

    # A result of one element has nothing to share out.
    on_pool = parallel and not spec.scalar(a)
    run = runner(reduce_run, on_pool)
    flatten = flat_on_pool if on_pool else flat_in_c_order

    def reduce_lanes(a, axis, extra, out, where):
        reduced, dims = checked(a, axis, out, where)
        bases, offsets = _lane_positions(dims, reduced)
        if no_identity and offsets.size == 0:
            raise ValueError(empty_message)
        result = new_result(reduced, dims)
        flat = flatten(a)
        run((flat, _selection(a, flat, where), result.ravel(), bases, offsets, extra), flat.size, bases.size)
        if has_out:
            _store(out, result)
            return out
        return result

    return reduce_lanes


def _is_nan(value):
    """Whether the number ``value`` is NaN (a complex number when either part is), or the time
    value ``value`` is NaT."""


@overload(_is_nan)
def _is_nan_typing(value):
    if isinstance(value, types.Complex):

        def complex_is_nan(value):
            return value.real != value.real or value.imag != value.imag

        return complex_is_nan
    if isinstance(value, types.Float):

        def float_is_nan(value):
            return value != value

        return float_is_nan
    if is_time(value):

        def is_nat(value):
            return np.isnat(value)

        return is_nat

    def never_nan(value):
        return False

    return never_nan


def _greater(x, y):
    """``x > y`` in NumPy's order: complex numbers by real part, then imaginary part (neither
    is NaN)."""


@overload(_greater)
def _greater_typing(x, y):
    if isinstance(x, types.Complex):

        def complex_greater(x, y):
            return x.real > y.real or (x.real == y.real and x.imag > y.imag)

        return complex_greater

    def greater(x, y):
        return x > y

    return greater


def _both(name, typing, sees_caller_parallel=False):
    """Registers ``typing`` as the array method ``name`` and as ``np.name``; literal arguments
    (the axis) are given to it first; with ``sees_caller_parallel``, it takes
    ``_caller_parallel`` too (see ``extending``)."""
    overload_method(types.Array, name, prefer_literal=True, _sees_caller_parallel=sees_caller_parallel)(typing)
    overload(getattr(np, name), prefer_literal=True, _sees_caller_parallel=sees_caller_parallel)(typing)
    return typing


def _initial_value(name, initial):
    """Whether ``initial=`` was given, checking that it is a number."""
    if not _given(initial):
        return False
    if not isinstance(initial, (types.Boolean, types.Integer, types.Float, types.Complex)):
        # Refused outright: the compiler's own `sum`/`prod` would only say `initial=` is not
        # supported.
        raise CallRefused(f"`initial=` of `{name}()` must be a number, not `{initial}`")
    return True


def _sum_or_product(name, multiply, compiler_builds_some):
    """``sum`` (``multiply`` False) or ``prod``: in NumPy's accumulator type (see
    :func:`_accumulator`; a timedelta's unit), starting from ``initial=`` (0 or 1 when not
    given), over the elements ``where=`` selects; of datetimes, and ``prod`` of timedeltas,
    NumPy's ``TypeError`` when the call runs. With ``compiler_builds_some``, the calls the
    compiler builds are declined (see ``compiler_builds``)."""
    operation = "multiply" if multiply else "add"

    def typing(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None, _caller_parallel=False):
        times = _time_array(a)
        if not (_number(a) or times):
            return None
        if compiler_builds_some and compiler_builds(name, a, axis, keepdims, out, initial, where):
            return None
        if times and (multiply or isinstance(a.dtype, types.NPDatetime)):
            # NumPy has no loop for these: its TypeError when the call runs.
            message = _no_time_loop(operation, a)
            ndim = a.ndim

            def no_time_loop(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
                _reduced_dimensions(axis, ndim)
                raise TypeError(message)

            return no_time_loop
        spec = _Axis(name, a, axis, keepdims)
        has_out = _out_given(name, out)
        masked = _where_given(name, where)
        if times:
            acc = _time_result(name, a, dtype, out)
        else:
            acc = _accumulator(name, a.dtype, dtype, out if has_out else None)
        if isinstance(a.dtype, types.Complex) and not issubclass(acc, np.complexfloating):
            raise TypingError(f"`{name}()` of a complex array cannot be computed in `{acc.__name__}`: give a complex `dtype=`")
        has_initial = _initial_value(name, initial)
        # `acc` makes the new arrays; `convert` the running values (a time dtype is no scalar type).
        convert = scalar_maker(acc)

        def accumulate(flat, selected, start, step, n, start_value):
            result = convert(start_value)
            for j in range(n):
                if masked and not selected[start + j * step]:
                    continue
                if multiply:
                    result *= convert(flat[start + j * step])
                else:
                    result += convert(flat[start + j * step])
            return result

        reduce = _reducer(name, operation, a, spec, accumulate, acc, out=out, where=where, parallel=_caller_parallel)
        identity = 1 if multiply else 0
        if has_initial:

            def reduce_from_initial(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
                return reduce(a, axis, initial, out, where)

            return reduce_from_initial

        def reduce_from_identity(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
            return reduce(a, axis, identity, out, where)

        return reduce_from_identity

    return typing


def _extreme(name, larger, skip_nans=False):
    """``min`` or ``max`` (``larger``) for the calls the compiler does not build (see
    ``compiler_builds``): NaN wins, as in NumPy; complex numbers are ordered by real part, then
    imaginary part; an empty lane gives ``initial``, or NumPy's ``ValueError`` without it;
    ``where=`` needs ``initial=`` (NumPy's ``ValueError`` otherwise). With ``skip_nans``,
    ``nanmin``/``nanmax`` (NumPy's ``fmin``/``fmax`` reductions, every call): NaNs are passed
    over, a lane of NaNs only gives its first."""
    if skip_nans:
        operation = "fmax" if larger else "fmin"
    else:
        operation = "maximum" if larger else "minimum"
    message = f"zero-size array to reduction operation {operation} which has no identity"
    no_identity = f"reduction operation '{operation}' does not have an identity, so to use a where mask one has to specify 'initial'"

    def typing(a, axis=None, out=None, keepdims=False, initial=None, where=None, _caller_parallel=False):
        if not _number(a) or (not skip_nans and compiler_builds(name, a, axis, keepdims, out, initial, where)):
            return None
        spec = _Axis(name, a, axis, keepdims)
        has_out = _out_given(name, out)
        masked = _where_given(name, where)
        has_initial = _initial_value(name, initial)
        # NumPy compares in the type of `out` too (an `initial` out of `a`'s range stays so).
        result = np.result_type(_numpy_type(a.dtype), _numpy_type(out.dtype)).type if has_out else _numpy_type(a.dtype)

        def extreme(flat, selected, start, step, n, initial):
            if has_initial:
                best = result(initial)
                first = 0
            else:
                if n == 0:
                    raise ValueError(message)
                best = result(flat[start])
                first = 1
            if _is_nan(best) and not skip_nans:
                return best
            for j in range(first, n):
                if masked and not selected[start + j * step]:
                    continue
                v = result(flat[start + j * step])
                if _is_nan(v):
                    if skip_nans:
                        continue
                    return v
                if (skip_nans and _is_nan(best)) or (_greater(v, best) if larger else _greater(best, v)):
                    best = v
            return best

        # With `where=` and no `initial=`: NumPy's error, once the arguments are checked.
        refusal = no_identity if masked and not has_initial else None
        reduce = _reducer(name, operation, a, spec, extreme, result, None if has_initial else message, out, where, refusal, parallel=_caller_parallel)
        if has_initial:

            def extreme_from_initial(a, axis=None, out=None, keepdims=False, initial=None, where=None):
                return reduce(a, axis, initial, out, where)

            return extreme_from_initial

        def extreme_of_elements(a, axis=None, out=None, keepdims=False, initial=None, where=None):
            return reduce(a, axis, 0, out, where)

        return extreme_of_elements

    return typing


def _time_array(a):
    return isinstance(a, types.Array) and is_time(a.dtype)


def _no_time_loop(operation, a):
    """NumPy's ``TypeError`` text for a ufunc ``operation`` with no loop for two operands of
    ``a``'s time dtype (``add`` of datetimes)."""
    dtype = numpy_dtype(a.dtype)
    return f"ufunc '{operation}' cannot use operands with types {dtype!r} and {dtype!r}"


def _time_result(name, a, dtype, out):
    """The ``np.dtype`` a time reduction or accumulation of ``a`` computes in and gives: ``a``'s,
    with ``out``'s unit when finer (NumPy's loop takes both); numbers for ``out=`` and a
    ``dtype=`` are refused."""
    if _given(dtype):
        raise CallRefused(f"`{name}(dtype=...)` of datetime64 or timedelta64 values is not supported in compiled code", hint="leave `dtype=` out: the result keeps the array's unit", unsupported=True)
    result = numpy_dtype(a.dtype)
    if _given(out) and isinstance(out, types.Array):
        if not isinstance(out.dtype, types.NPTimedelta):
            raise CallRefused(f"`out=` of `{name}()` of `{a.dtype}` values must be an array of timedelta64 values, not of `{out.dtype}`")
        result = np.result_type(result, numpy_dtype(out.dtype))
    return element_of(result)


def _time_mean(a, axis, dtype, out, keepdims, where, parallel):
    """``mean`` of timedeltas: their sum (NaT when a NaT is summed) over their count, divided as
    NumPy divides a timedelta by an integer (truncated; NaT for an empty lane). Of datetimes,
    NumPy's ``TypeError`` when the call runs (it adds datetimes)."""
    spec = _Axis("mean", a, axis, keepdims)
    _out_given("mean", out)
    masked = _where_given("mean", where)
    result = _time_result("mean", a, dtype, out)
    ndim = a.ndim
    if isinstance(a.dtype, types.NPDatetime):
        message = _no_time_loop("add", a)

        def mean_of_datetimes(a, axis=None, dtype=None, out=None, keepdims=False, where=None):
            _reduced_dimensions(axis, ndim)
            raise TypeError(message)

        return mean_of_datetimes
    convert = scalar_maker(result)

    def lane_mean(flat, selected, start, step, n, extra):
        total = convert(0)
        count = 0
        for j in range(n):
            if masked and not selected[start + j * step]:
                continue
            total += convert(flat[start + j * step])
            count += 1
        return total / count

    reduce = _reducer("mean", "add", a, spec, lane_mean, result, out=out, where=where, mask_broadcast_to=True, parallel=parallel)

    def mean_of_timedeltas(a, axis=None, dtype=None, out=None, keepdims=False, where=None):
        return reduce(a, axis, 0, out, where)

    return mean_of_timedeltas


def mean_typing(a, axis=None, dtype=None, out=None, keepdims=False, where=None, _caller_parallel=False):
    """``mean`` for the calls the compiler does not build (see ``compiler_builds``): the sum of
    the elements ``where=`` selects, in NumPy's type (see :func:`_mean_type`), over their
    count; NaN for an empty lane. Of time values, :func:`_time_mean`."""
    if _time_array(a):
        return _time_mean(a, axis, dtype, out, keepdims, where, _caller_parallel)
    if not _number(a) or compiler_builds("mean", a, axis, keepdims, out, None, where):
        return None
    spec = _Axis("mean", a, axis, keepdims)
    has_out = _out_given("mean", out)
    masked = _where_given("mean", where)
    result = _mean_type("mean", a.dtype, dtype, out if has_out else None)
    not_a_number = result(complex(np.nan, np.nan)) if issubclass(result, np.complexfloating) else result(np.nan)

    def lane_mean(flat, selected, start, step, n, extra):
        total = result(0)
        count = 0
        for j in range(n):
            if masked and not selected[start + j * step]:
                continue
            total += result(flat[start + j * step])
            count += 1
        if count == 0:
            return not_a_number
        return result(total / result(count))

    reduce = _reducer("mean", "add", a, spec, lane_mean, result, out=out, where=where, mask_broadcast_to=True, parallel=_caller_parallel)

    def mean(a, axis=None, dtype=None, out=None, keepdims=False, where=None):
        return reduce(a, axis, 0, out, where)

    return mean


def _argument_out_checker(name, a, spec, out):
    """A function ``(a, reduced, out)`` checking ``out`` of ``argmin``/``argmax`` as NumPy does: of
    a dtype int64 casts to safely (else NumPy's ``TypeError``), of the result's shape (else
    NumPy's ``ValueError``)."""
    ndim = a.ndim
    has_out = _given(out)
    keepdims = spec.keepdims
    cast_error = "" if not has_out or np.can_cast(_numpy_type(out.dtype), np.int64, "safe") else _cast_error(out.dtype.name, "int64")
    has_cast_error = bool(cast_error)
    result_ndim = spec.result_ndim(a)
    wrong_ndim = has_out and out.ndim != result_ndim
    message = f"output array does not match result of np.{name}."

    if not has_out:

        def nothing_to_check(a, reduced, out):
            return None

        return nothing_to_check

    def check(a, reduced, out):
        if has_cast_error:
            raise TypeError(cast_error)
        if wrong_ndim:
            raise ValueError(message)
        dims = _dimensions(a.shape)
        own = _dimensions(out.shape)
        k = 0
        for d in range(ndim):
            if keepdims or not reduced[d]:
                if own[k] != (1 if reduced[d] else dims[d]):
                    raise ValueError(message)
                k += 1

    return check


def _arg_extreme(name, larger):
    def typing(a, axis=None, out=None, keepdims=False, _caller_parallel=False):
        # Time values too: NaT is found first, as NaN is.
        if not (_number(a) or (isinstance(a, types.Array) and is_time(a.dtype))):
            return None
        spec = _Axis(name, a, axis, keepdims, tuples=False)
        _out_given(name, out)
        message = f"attempt to get {name} of an empty sequence"
        check_out = _argument_out_checker(name, a, spec, out)
        ndim = a.ndim

        # The index in its lane of the extreme value; the first NaN's when there is one (NumPy).
        def first_extreme(flat, selected, start, step, n, extra):
            if n == 0:
                raise ValueError(message)
            best = flat[start]
            at = 0
            if _is_nan(best):
                return 0
            for j in range(1, n):
                v = flat[start + j * step]
                if _is_nan(v):
                    return j
                if _greater(v, best) if larger else _greater(best, v):
                    best = v
                    at = j
            return at

        if _caller_parallel and spec.count is None and not spec.keepdims and not _given(out) and ndim > 0:
            return _whole_array_arg_extreme(a, first_extreme, larger)

        # `out` is checked here, as NumPy does, not as a reduction's.
        reduce = _reducer(name, "", a, spec, first_extreme, np.int64, message, parallel=_caller_parallel)
        if _given(out) and out.ndim != spec.result_ndim(a):

            def arg_extreme_refused(a, axis=None, out=None, keepdims=False):
                check_out(a, _reduced_dimensions(axis, ndim), out)
                return 0

            return arg_extreme_refused
        if _given(out):

            def arg_extreme_into(a, axis=None, out=None, keepdims=False):
                # NumPy checks the axis first, then `out`.
                check_out(a, _reduced_dimensions(axis, ndim), out)
                _store(out, reduce(a, axis, 0, None, None))
                return out

            return arg_extreme_into

        def arg_extreme(a, axis=None, out=None, keepdims=False):
            return reduce(a, axis, 0, None, None)

        return arg_extreme

    return typing


def _whole_array_arg_extreme(a, first_extreme, larger):
    """For a caller compiled with ``parallel=True``: ``argmin`` (``argmax`` with ``larger``) of
    the whole array ``a`` (Numba parallelises them). On the pool when large (see ``pool``):
    each chunk of the flat array finds its first extreme (or first NaN) with
    ``first_extreme``, the lane function of the serial path; the chunks' answers are then
    taken in chunk order, a later one winning only when strictly beyond (or the first NaN, the
    chunks before it having none), so the index is the first occurrence, NumPy's. (A loop of
    its own rather than ``pool.runner``'s: each chunk keeps an answer, by chunk.)"""

    def arg_extreme_on_pool(a, axis=None, out=None, keepdims=False):
        flat = flat_on_pool(a)
        n = flat.size
        chunks = parallel_array_chunks(n, n)
        if chunks == 0:
            return first_extreme(flat, flat, 0, 1, n, 0)
        found = np.empty(chunks, np.int64)
        for c in prange(chunks):
            lo = c * n // chunks
            hi = (c + 1) * n // chunks
            found[c] = lo + first_extreme(flat, flat, lo, 1, hi - lo, 0)
        at = found[0]
        best = flat[at]
        if _is_nan(best):
            return at
        for c in range(1, chunks):
            v = flat[found[c]]
            if _is_nan(v):
                return found[c]
            if _greater(v, best) if larger else _greater(best, v):
                best = v
                at = found[c]
        return at

    from ..extending import _parallel_implementation

    return _parallel_implementation(arg_extreme_on_pool)


def _truth_reduction(name, want):
    operation = "logical_or" if want else "logical_and"

    def typing(a, axis=None, out=None, keepdims=False, where=None, _caller_parallel=False):
        if not _number(a):
            return None
        spec = _Axis(name, a, axis, keepdims)
        _out_given(name, out)
        masked = _where_given(name, where)

        # `any` stops at the first true element, `all` at the first false one.
        def reduce_truth(flat, selected, start, step, n, extra):
            for j in range(n):
                if masked and not selected[start + j * step]:
                    continue
                if bool(flat[start + j * step]) == want:
                    return want
            return not want

        reduce = _reducer(name, operation, a, spec, reduce_truth, np.bool_, out=out, where=where, parallel=_caller_parallel)

        def truth(a, axis=None, out=None, keepdims=False, where=None):
            return reduce(a, axis, 0, out, where)

        return truth

    return typing


def _spread(name, root):
    def typing(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=None, _caller_parallel=False):
        if not _number(a):
            return None
        spec = _Axis(name, a, axis, keepdims)
        if _caller_parallel and spec.count is None and not spec.keepdims and not any(_given(v) for v in (dtype, out, where)):
            whole = _whole_array_spread(name, root, a)
            if whole is not None:
                return whole
        has_out = _out_given(name, out)
        masked = _where_given(name, where)
        complex_values = isinstance(a.dtype, types.Complex)
        # NumPy takes the square root of the variance stored in `out`, in place: refused for an
        # integer or bool `out`, once the variance is stored (NumPy's TypeError).
        root_refused = ""
        if root and has_out and isinstance(out.dtype, (types.Boolean, types.Integer)):
            root_loop = np.result_type(_numpy_type(out.dtype), np.float16)
            root_refused = f"Cannot cast ufunc 'sqrt' output from dtype('{root_loop}') to dtype('{out.dtype.name}') with casting rule 'same_kind'"
        takes_root = root and not root_refused
        # As NumPy: the mean in `computed`, the deviations in the type of `a - mean`, their
        # squared magnitudes summed in `result`: `computed`, but the real type of a complex
        # array's when no `dtype=` is given.
        computed = _mean_type(name, a.dtype, dtype)
        deviation = np.result_type(_numpy_type(a.dtype), computed).type
        result = np.finfo(computed).dtype.type if complex_values and not _given(dtype) else computed
        complex_result = issubclass(result, np.complexfloating)
        # The squared magnitudes have no imaginary part: summed in `result`'s real type.
        real = np.finfo(result).dtype.type
        complex_deviations = issubclass(deviation, np.complexfloating)

        # sum(|x - mean|**2) / (n - ddof) over the selected elements of a lane; NaN or inf
        # when n - ddof <= 0. A complex result has NumPy's complex quotient: NaN in both parts
        # when the sum is NaN or 0 / 0, inf + NaN j for a positive sum over 0.
        def lane_spread(flat, selected, start, step, n, ddof):
            total = computed(0)
            count = 0
            for j in range(n):
                if masked and not selected[start + j * step]:
                    continue
                total += computed(flat[start + j * step])
                count += 1
            m = computed(total / computed(count)) if count > 0 else computed(np.nan)
            s = real(0)
            for j in range(n):
                if masked and not selected[start + j * step]:
                    continue
                d = deviation(flat[start + j * step]) - deviation(m)
                if complex_deviations:
                    s += real(d.real * d.real + d.imag * d.imag)
                else:
                    s += real(d * d)
            dof = count - ddof
            if dof <= 0:
                v = real(np.nan) if s == 0 or s != s else real(np.inf)
            else:
                v = real(s / real(dof))
            spread = real(np.sqrt(v)) if takes_root else v
            if complex_result:
                if s != s or (dof <= 0 and s == 0):
                    return result(complex(np.nan, np.nan))
                if dof <= 0:
                    return result(complex(np.inf, np.nan))
            return result(spread)

        reduce = _reducer(name, "add", a, spec, lane_spread, result, out=out, where=where, mask_broadcast_to=True, parallel=_caller_parallel)

        if root_refused:

            def variance_then_refused(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=None):
                reduce(a, axis, ddof, out, where)
                raise TypeError(root_refused)

            return variance_then_refused

        def spread(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=None):
            return reduce(a, axis, ddof, out, where)

        return spread

    return typing


def _whole_array_spread(name, root, a):
    """For a caller compiled with ``parallel=True``: the variance (or, with ``root``, the
    standard deviation) of a whole real array as NumPy computes it, the mean then the sum of
    the squared deviations, each a fused whole-array reduction (pairwise sums, as NumPy's), so
    that both run on the thread pool for large arrays (Numba parallelises ``var`` and
    ``std``). None for complex arrays (the library's lanes)."""
    if isinstance(a.dtype, types.Complex) or a.ndim == 0 or str(a.dtype) == "float16":
        return None
    result = _mean_type(name, a.dtype, None)

    def whole_spread(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=None):
        m = a.mean()
        s = ((a - m) * (a - m)).sum()
        dof = a.size - ddof
        if dof <= 0:
            # NumPy's 0 / 0 and x / 0.
            v = result(np.nan) if s == 0 or s != s else result(np.inf)
        else:
            v = result(s / result(dof))
        return result(np.sqrt(v)) if root else v

    from ..extending import _parallel_implementation

    # Compiled with parallel=True itself: its reductions then run on the pool.
    return _parallel_implementation(whole_spread)


def _accumulation_out_checker(a, spec, out):
    """A function ``(a, out)`` checking ``out`` of ``cumsum``/``cumprod`` as NumPy does, with
    its ``ValueError``s: the whole array's accumulation goes into a one-dimensional ``out`` of
    its size; along an axis, ``out`` has ``a``'s shape."""
    ndim = a.ndim
    has_out = _given(out)
    out_ndim = out.ndim if has_out else 0
    whole = spec.count is None
    wrong_size = "provided out is the wrong size for the accumulation."
    # NumPy's iterator meets `out`'s missing dimensions (they are numbered last to first).
    too_few = f"Iterator input op_axes[0][{ndim - 1 - out_ndim}] (=={out_ndim}) is not a valid axis of op[0], which has {out_ndim} dimensions "
    shared = min(ndim, out_ndim)

    if not has_out:

        def nothing_to_check(a, out):
            return None

        return nothing_to_check

    def check(a, out):
        if whole:
            if out_ndim != 1 or _dimensions(out.shape)[0] != a.size:
                raise ValueError(wrong_size)
            return
        if out_ndim < ndim:
            raise ValueError(too_few)
        dims = _dimensions(a.shape)
        own = _dimensions(out.shape)
        # `out` is remapped to its first `ndim` dimensions.
        fits = out_ndim == ndim
        short = False
        for d in range(shared):
            if own[d] != dims[d]:
                if own[d] == 1:
                    short = True
                else:
                    fits = False
        if not fits:
            _record_shape(own, out_ndim)
            _record_shape(own, ndim)
            _record_shape(dims, ndim)
            _record_shape(dims, ndim)
            reduction_shape_error(0, 2, 3)
        if short:
            _record_shape(own, ndim)
            message_shape()
            for d in range(ndim - 1, -1, -1):
                message_dim(own[d])
            _record_shape(dims, ndim)
            reduction_shape_error(4, 0, 0)

    return check


def _cumulative(name, multiply):
    """``cumsum`` or ``cumprod`` (``multiply``), in NumPy's accumulator type (see
    :func:`_accumulator`); ``cumsum`` of timedeltas in their unit (NaT from the first NaT on),
    of datetimes (and ``cumprod`` of time values) NumPy's ``TypeError`` when the call runs."""
    operation = "multiply" if multiply else "add"

    def typing(a, axis=None, dtype=None, out=None):
        times = _time_array(a)
        if not (_number(a) or times):
            return None
        spec = _Axis(name, a, axis, tuples=False)
        has_out = _out_given(name, out)
        if times:
            acc = _time_result(name, a, dtype, out)
            if multiply or isinstance(a.dtype, types.NPDatetime):
                message = _no_time_loop(operation, a)
                ndim = a.ndim

                def no_time_loop(a, axis=None, dtype=None, out=None):
                    _reduced_dimensions(axis, ndim)
                    raise TypeError(message)

                return no_time_loop
        else:
            acc = _accumulator(name, a.dtype, dtype, out if has_out else None)
        # `acc` makes the new arrays; `convert` the running values (a time dtype is no scalar type).
        convert = scalar_maker(acc)
        check_out = _accumulation_out_checker(a, spec, out)
        if has_out and out.ndim != (1 if spec.count is None else a.ndim):
            ndim = a.ndim

            # `out` cannot hold the result: the checks raise NumPy's error.
            def cumulative_refused(a, axis=None, dtype=None, out=None):
                _reduced_dimensions(axis, ndim)
                check_out(a, out)
                return out

            return cumulative_refused

        if spec.count is None:

            def cumulative(a, axis=None, dtype=None, out=None):
                check_out(a, out)
                flat = a.ravel()
                result = np.empty(flat.size, acc)
                # The first element is taken as it is, not multiplied by 1: (1+0j) * (inf+0j)
                # has a NaN imaginary part.
                running = convert(0)
                for i in range(flat.size):
                    if i == 0:
                        running = convert(flat[0])
                    elif multiply:
                        running *= convert(flat[i])
                    else:
                        running += convert(flat[i])
                    result[i] = running
                if has_out:
                    _store(out, result)
                    return out
                return result

            return cumulative
        ndim = a.ndim

        # Element f of the C-ordered result adds (or multiplies) the one `inner` elements
        # before it, unless it starts its lane (of `n` elements along the axis `k`).
        def cumulative_along(a, axis=None, dtype=None, out=None):
            reduced = _reduced_dimensions(axis, ndim)
            check_out(a, out)
            dims = _dimensions(a.shape)
            k = 0
            for d in range(ndim):
                if reduced[d]:
                    k = d
            inner = 1
            for d in range(k + 1, ndim):
                inner *= dims[d]
            n = dims[k]
            flat = a.ravel()
            result = np.empty(a.shape, acc)
            result_flat = result.ravel()
            for f in range(flat.size):
                v = convert(flat[f])
                if (f // inner) % n != 0:
                    if multiply:
                        v = result_flat[f - inner] * v
                    else:
                        v = result_flat[f - inner] + v
                result_flat[f] = v
            if has_out:
                _store(out, result)
                return out
            return result

        return cumulative_along

    return typing


# Every reduction along axes into a new array has a parallel implementation (see `_reducer`),
# as do `argmin`/`argmax` of whole arrays and `var`/`std` of whole real arrays.
_both("sum", _sum_or_product("sum", False, True), sees_caller_parallel=True)
_both("prod", _sum_or_product("prod", True, True), sees_caller_parallel=True)
_both("min", _extreme("min", False), sees_caller_parallel=True)
_both("max", _extreme("max", True), sees_caller_parallel=True)
_both("mean", mean_typing, sees_caller_parallel=True)
_both("argmin", _arg_extreme("argmin", False), sees_caller_parallel=True)
_both("argmax", _arg_extreme("argmax", True), sees_caller_parallel=True)
_both("all", _truth_reduction("all", False), sees_caller_parallel=True)
_both("any", _truth_reduction("any", True), sees_caller_parallel=True)
_both("var", _spread("var", False), sees_caller_parallel=True)
_both("std", _spread("std", True), sees_caller_parallel=True)
_both("cumsum", _cumulative("cumsum", False))
_both("cumprod", _cumulative("cumprod", True))
# NumPy's other names of `min` and `max`.
overload(np.amin, prefer_literal=True, _sees_caller_parallel=True)(_extreme("amin", False))
overload(np.amax, prefer_literal=True, _sees_caller_parallel=True)(_extreme("amax", True))
# NumPy's `fmin`/`fmax` reductions, the nan-functions' extremes.
overload(np.nanmin, prefer_literal=True, _sees_caller_parallel=True)(_extreme("nanmin", False, skip_nans=True))
overload(np.nanmax, prefer_literal=True, _sees_caller_parallel=True)(_extreme("nanmax", True, skip_nans=True))
