"""Reductions written in Python: ``prod``, ``argmin``, ``argmax``, ``all``, ``any``, ``var``,
``std``, ``cumsum``, ``cumprod``, as array methods and ``np.`` functions, with NumPy's result
types, NaN and empty-array behaviour; and the calls of ``sum``, ``min``, ``max``, ``mean`` that
the compiler's own versions do not take (a tuple of axes, ``initial=``, ``keepdims=True`` of the
whole array). Each reduces the whole array, or along ``axis=``: an integer or (except ``argmin``,
``argmax``, ``cumsum``, ``cumprod``) a tuple of integers, constant or not, negative from the end,
with NumPy's ``AxisError`` when out of range and ``ValueError`` when repeated (raised when the
call runs); with ``keepdims=``, ``dtype=``, ``initial=`` where NumPy has them.

Every reduction walks *lanes* of the array's values in C order (``flat = a.ravel()``): the
elements ``flat[start + j * step]`` for ``j < n``. The whole array is one lane. Along a set of
axes, result element ``o`` (C order over the kept dimensions) has the lane of the elements
``flat[bases[o] + offsets[j]]``, ``bases`` and ``offsets`` being the positions of the kept and
of the reduced dimensions' indices (see :func:`_lane_positions`); when ``offsets`` is an
arithmetic progression (one axis, or adjacent ones) the lane is read in place, else gathered
into a buffer first.

The number of dimensions of a result depends only on the number of axes and on ``keepdims``,
both known when compiling: the axes' values may be run-time values, checked when the call runs.
"""

import numpy as np

from .. import types
from ..errors import TypingError
from ..extending import overload, overload_method, register_jitable
from . import axis_error
from .dtypes import numpy_type as _numpy_type


def _real_or_bool(a):
    return isinstance(a, types.Array) and isinstance(a.dtype, (types.Boolean, types.Integer, types.Float))


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


def _accumulator(name, dtype, given):
    """NumPy's type for sums and products of ``dtype``: the ``dtype=`` argument's when given;
    else 64-bit integers (NumPy's platform integers) of the same signedness for booleans and
    integers, the type itself otherwise."""
    if _given(given):
        return _dtype_argument(name, given)
    if isinstance(dtype, types.Boolean) or (isinstance(dtype, types.Integer) and dtype.signed):
        return np.int64
    if isinstance(dtype, types.Integer):
        return np.uint64
    return _numpy_type(dtype)


def _mean_type(name, dtype, given):
    """NumPy's type for means, variances and standard deviations of ``dtype``: the ``dtype=``
    argument's when given (a float or complex type), else float64 for booleans and integers,
    the type itself otherwise."""
    if _given(given):
        computed = _dtype_argument(name, given)
        if not issubclass(computed, np.inexact):
            raise TypingError(f"`{name}(dtype=...)` must be a float or complex type such as `np.float64`: {name} divides")
        if isinstance(dtype, types.Complex) and not issubclass(computed, np.complexfloating):
            raise TypingError(f"`{name}()` of a complex array cannot be computed in `{computed.__name__}`: give a complex `dtype=`")
        return computed
    if isinstance(dtype, (types.Float, types.Complex)):
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
        elif tuples:
            raise TypingError(f"`axis=` of `{name}()` must be an integer or a tuple of integers, not `{axis}`")
        else:
            raise TypingError(f"`axis=` of `{name}()` must be an integer, not `{axis}`")
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


def _reducer(a, spec, lane, result_type, empty_message=None):
    """A function ``(a, axis, extra)`` giving the reduction ``spec`` asks for, whose value over
    a lane is ``lane(flat, start, step, n, extra)``: a scalar, or a new C-ordered array of
    ``result_type``. ``empty_message`` is the ``ValueError`` of a reduction without identity
    along empty lanes, raised even when there are no lanes (NumPy's)."""
    ndim = a.ndim
    has_axis = spec.count is not None
    no_identity = empty_message is not None
    # A constant string either way: compiled code raises constant messages only.
    empty_message = empty_message or ""
    if spec.scalar(a):

        def reduce_whole(a, axis, extra):
            if has_axis:
                _reduced_dimensions(axis, ndim)
            flat = a.ravel()
            return lane(flat, 0, 1, flat.size, extra)

        return reduce_whole
    result_ndim = spec.result_ndim(a)
    keepdims = spec.keepdims

    def reduce_lanes(a, axis, extra):
        reduced = _reduced_dimensions(axis, ndim)
        dims = _dimensions(a.shape)
        bases, offsets = _lane_positions(dims, reduced)
        n = offsets.size
        if no_identity and n == 0:
            raise ValueError(empty_message)
        result_dims = np.empty(result_ndim, np.int64)
        r = 0
        for d in range(ndim):
            if keepdims or not reduced[d]:
                result_dims[r] = 1 if reduced[d] else dims[d]
                r += 1
        out = np.empty(_tuple_of(result_dims, result_ndim), result_type)
        out_flat = out.ravel()
        flat = a.ravel()
        step = _step_of(offsets)
        if step >= 0:
            for o in range(bases.size):
                out_flat[o] = lane(flat, bases[o], step, n, extra)
        else:
            lane_values = np.empty(n, flat.dtype)
            for o in range(bases.size):
                for j in range(n):
                    lane_values[j] = flat[bases[o] + offsets[j]]
                out_flat[o] = lane(lane_values, 0, 1, n, extra)
        return out

    return reduce_lanes


def _both(name, typing):
    """Registers ``typing`` as the array method ``name`` and as ``np.name``; literal arguments
    (the axis) are given to it first."""
    overload_method(types.Array, name, prefer_literal=True)(typing)
    overload(getattr(np, name), prefer_literal=True)(typing)
    return typing


def _no_out(name, out):
    if _given(out):
        raise TypingError(f"`{name}(out=...)` is not supported yet: assign the result instead")


def _initial_value(name, initial):
    """Whether ``initial=`` was given, checking that it is a number."""
    if not _given(initial):
        return False
    if not isinstance(initial, (types.Boolean, types.Integer, types.Float, types.Complex)):
        raise TypingError(f"`initial=` of `{name}()` must be a number, not `{initial}`")
    return True


def _compiler_builds(axis, keepdims, initial=None):
    """Whether the compiler builds this call of ``sum``, ``min``, ``max`` or ``mean`` itself
    (crates/ferrojit_infer/src/arrays.rs): the whole array, or one integer axis, without
    ``initial=``; a tuple of axes, ``initial=`` and the whole array's ``keepdims=True`` are
    this module's."""
    kept_whole = not _given(axis) and isinstance(keepdims, types.BooleanLiteral) and keepdims.literal_value
    return not (isinstance(axis, types.BaseTuple) or _given(initial) or kept_whole)


def _sum_or_product(name, multiply, compiler_builds_some):
    """``sum`` (``multiply`` False) or ``prod``: in NumPy's accumulator type (see
    :func:`_accumulator`), starting from ``initial=`` (0 or 1 when not given). With
    ``compiler_builds_some``, the calls the compiler builds are declined (see
    :func:`_compiler_builds`)."""

    def typing(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
        if not _number(a) or _given(where):
            return None
        if compiler_builds_some and _compiler_builds(axis, keepdims, initial):
            return None
        _no_out(name, out)
        spec = _Axis(name, a, axis, keepdims)
        acc = _accumulator(name, a.dtype, dtype)
        if isinstance(a.dtype, types.Complex) and not issubclass(acc, np.complexfloating):
            raise TypingError(f"`{name}()` of a complex array cannot be computed in `{acc.__name__}`: give a complex `dtype=`")
        has_initial = _initial_value(name, initial)

        def accumulate(flat, start, step, n, start_value):
            result = acc(start_value)
            for j in range(n):
                if multiply:
                    result *= acc(flat[start + j * step])
                else:
                    result += acc(flat[start + j * step])
            return result

        reduce = _reducer(a, spec, accumulate, acc)
        identity = 1 if multiply else 0
        if has_initial:

            def reduce_from_initial(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
                return reduce(a, axis, initial)

            return reduce_from_initial

        def reduce_from_identity(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
            return reduce(a, axis, identity)

        return reduce_from_identity

    return typing


def _extreme(name, larger):
    """``min`` or ``max`` (``larger``) for the calls the compiler does not build (see
    :func:`_compiler_builds`): NaN wins, as in NumPy; an empty lane gives ``initial``, or
    NumPy's ``ValueError`` without it."""
    ufunc = "maximum" if larger else "minimum"
    message = f"zero-size array to reduction operation {ufunc} which has no identity"

    def typing(a, axis=None, out=None, keepdims=False, initial=None, where=None):
        if not _real_or_bool(a) or _given(where) or _compiler_builds(axis, keepdims, initial):
            return None
        _no_out(name, out)
        spec = _Axis(name, a, axis, keepdims)
        has_initial = _initial_value(name, initial)
        result = _numpy_type(a.dtype)
        floats = isinstance(a.dtype, types.Float)

        def extreme(flat, start, step, n, initial):
            if has_initial:
                best = result(initial)
                first = 0
            else:
                if n == 0:
                    raise ValueError(message)
                best = flat[start]
                first = 1
            if floats and best != best:
                return best
            for j in range(first, n):
                v = flat[start + j * step]
                if floats and v != v:
                    return v
                if (v > best) if larger else (v < best):
                    best = v
            return best

        reduce = _reducer(a, spec, extreme, result, None if has_initial else message)
        if has_initial:

            def extreme_from_initial(a, axis=None, out=None, keepdims=False, initial=None, where=None):
                return reduce(a, axis, initial)

            return extreme_from_initial

        def extreme_of_elements(a, axis=None, out=None, keepdims=False, initial=None, where=None):
            return reduce(a, axis, 0)

        return extreme_of_elements

    return typing


def mean_typing(a, axis=None, dtype=None, out=None, keepdims=False, where=None):
    """``mean`` for the calls the compiler does not build (see :func:`_compiler_builds`): the
    sum in NumPy's type (see :func:`_mean_type`) over the count; NaN for an empty lane."""
    if not _number(a) or _given(where) or _compiler_builds(axis, keepdims):
        return None
    _no_out("mean", out)
    spec = _Axis("mean", a, axis, keepdims)
    result = _mean_type("mean", a.dtype, dtype)
    not_a_number = result(complex(np.nan, np.nan)) if issubclass(result, np.complexfloating) else result(np.nan)

    def lane_mean(flat, start, step, n, extra):
        total = result(0)
        for j in range(n):
            total += result(flat[start + j * step])
        if n == 0:
            return not_a_number
        return result(total / result(n))

    reduce = _reducer(a, spec, lane_mean, result)

    def mean(a, axis=None, dtype=None, out=None, keepdims=False, where=None):
        return reduce(a, axis, 0)

    return mean


def _arg_extreme(name, larger):
    def typing(a, axis=None, out=None, keepdims=False):
        if not _real_or_bool(a):
            return None
        _no_out(name, out)
        spec = _Axis(name, a, axis, keepdims, tuples=False)
        floats = isinstance(a.dtype, types.Float)
        message = f"attempt to get {name} of an empty sequence"

        # The index in its lane of the extreme value; the first NaN's when there is one (NumPy).
        def first_extreme(flat, start, step, n, extra):
            if n == 0:
                raise ValueError(message)
            best = flat[start]
            at = 0
            if floats and best != best:
                return 0
            for j in range(1, n):
                v = flat[start + j * step]
                if floats and v != v:
                    return j
                if (v > best) if larger else (v < best):
                    best = v
                    at = j
            return at

        reduce = _reducer(a, spec, first_extreme, np.int64, message)

        def arg_extreme(a, axis=None, out=None, keepdims=False):
            return reduce(a, axis, 0)

        return arg_extreme

    return typing


def _truth_reduction(name, want):
    def typing(a, axis=None, out=None, keepdims=False):
        if not _number(a):
            return None
        _no_out(name, out)
        spec = _Axis(name, a, axis, keepdims)

        # `any` stops at the first true element, `all` at the first false one.
        def reduce_truth(flat, start, step, n, extra):
            for j in range(n):
                if bool(flat[start + j * step]) == want:
                    return want
            return not want

        reduce = _reducer(a, spec, reduce_truth, np.bool_)

        def truth(a, axis=None, out=None, keepdims=False):
            return reduce(a, axis, 0)

        return truth

    return typing


def _spread(name, root):
    def typing(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
        if not _number(a):
            return None
        _no_out(name, out)
        spec = _Axis(name, a, axis, keepdims)
        complex_values = isinstance(a.dtype, types.Complex)
        # As NumPy: the mean in `computed`, the deviations in the type of `a - mean`, their
        # squared magnitudes summed in `result`: `computed`, but the real type of a complex
        # array's when no `dtype=` is given.
        computed = _mean_type(name, a.dtype, dtype)
        deviation = np.result_type(_numpy_type(a.dtype), computed).type
        if complex_values:
            result = computed if _given(dtype) else np.finfo(computed).dtype.type
        elif issubclass(computed, np.complexfloating):
            raise TypingError(f"`{name}(dtype=...)` of a real array must be a float type such as `np.float64`")
        else:
            result = computed
        # The squared magnitudes have no imaginary part: summed in `result`'s real type.
        real = np.finfo(result).dtype.type

        # sum(|x - mean|**2) / (n - ddof) over a lane; NaN or inf when n - ddof <= 0.
        def lane_spread(flat, start, step, n, ddof):
            total = computed(0)
            for j in range(n):
                total += computed(flat[start + j * step])
            m = computed(total / computed(n)) if n > 0 else computed(np.nan)
            s = real(0)
            for j in range(n):
                d = deviation(flat[start + j * step]) - deviation(m)
                if complex_values:
                    s += real(d.real * d.real + d.imag * d.imag)
                else:
                    s += real(d * d)
            dof = n - ddof
            if dof <= 0:
                v = real(np.nan) if s == 0 or s != s else real(np.inf)
            else:
                v = real(s / real(dof))
            return result(real(np.sqrt(v)) if root else v)

        reduce = _reducer(a, spec, lane_spread, result)

        def spread(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
            return reduce(a, axis, ddof)

        return spread

    return typing


def _cumulative(name, multiply):
    def typing(a, axis=None, dtype=None, out=None):
        if not _number(a):
            return None
        _no_out(name, out)
        spec = _Axis(name, a, axis, tuples=False)
        acc = _accumulator(name, a.dtype, dtype)

        if spec.count is None:

            def cumulative(a, axis=None, dtype=None, out=None):
                flat = a.ravel()
                result = np.empty(flat.size, acc)
                running = acc(1) if multiply else acc(0)
                for i in range(flat.size):
                    if multiply:
                        running *= acc(flat[i])
                    else:
                        running += acc(flat[i])
                    result[i] = running
                return result

            return cumulative
        ndim = a.ndim

        # Element f of the C-ordered result adds (or multiplies) the one `inner` elements
        # before it, unless it starts its lane (of `n` elements along the axis `k`).
        def cumulative_along(a, axis=None, dtype=None, out=None):
            reduced = _reduced_dimensions(axis, ndim)
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
                v = acc(flat[f])
                if (f // inner) % n != 0:
                    if multiply:
                        v = result_flat[f - inner] * v
                    else:
                        v = result_flat[f - inner] + v
                result_flat[f] = v
            return result

        return cumulative_along

    return typing


_both("sum", _sum_or_product("sum", False, True))
_both("prod", _sum_or_product("prod", True, False))
_both("min", _extreme("min", False))
_both("max", _extreme("max", True))
_both("mean", mean_typing)
_both("argmin", _arg_extreme("argmin", False))
_both("argmax", _arg_extreme("argmax", True))
_both("all", _truth_reduction("all", False))
_both("any", _truth_reduction("any", True))
_both("var", _spread("var", False))
_both("std", _spread("std", True))
_both("cumsum", _cumulative("cumsum", False))
_both("cumprod", _cumulative("cumprod", True))
# NumPy's other names of `min` and `max`.
overload(np.amin, prefer_literal=True)(_extreme("amin", False))
overload(np.amax, prefer_literal=True)(_extreme("amax", True))
