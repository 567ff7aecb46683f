"""Reductions written in Python: ``prod``, ``argmin``, ``argmax``, ``all``, ``any``, ``var``,
``std``, ``cumsum``, ``cumprod``, as array methods and ``np.`` functions, with NumPy's result
types, NaN and empty-array behaviour: of the whole array, or along a constant ``axis=``
(negative from the end; NumPy's ``AxisError`` when out of range) with ``keepdims=``; ``dtype=``
where NumPy has it.

Every reduction walks *lanes*: the elements ``flat[start + j * step]`` for ``j < n`` of the
array's values in C order (``a.ravel()``). The whole array is one lane; along axis ``k``, the
lane of result element ``o`` (in C order) starts at ``(o // inner) * n * inner + o % inner``
with step ``inner``, the product of the dimensions after ``k``, and ``n = a.shape[k]``.
"""

import numpy as np
from numpy.exceptions import AxisError

from .. import types
from ..errors import TypingError
from ..extending import overload, overload_method, register_jitable


def _real_or_bool(a):
    return isinstance(a, types.Array) and isinstance(a.dtype, (types.Boolean, types.Integer, types.Float))


def _number(a):
    return isinstance(a, types.Array) and isinstance(a.dtype, (types.Boolean, types.Integer, types.Float, types.Complex))


def _numpy_type(ty):
    """The NumPy scalar type of the ferrojit type ``ty`` (``np.float32`` for ``float32``)."""
    return np.dtype(ty.name).type


def _accumulator(name, dtype, given):
    """NumPy's type for sums and products of ``dtype``: the ``dtype=`` argument's when given;
    else 64-bit integers of the same signedness for booleans and integers, the type itself
    otherwise."""
    if given is not None and not isinstance(given, types.NoneType):
        if not isinstance(given, types.DTypeSpec):
            raise TypingError(f"`{name}(dtype=...)` takes a NumPy scalar type such as `np.float64`, or an array's `dtype`")
        return _numpy_type(given.dtype)
    if isinstance(dtype, types.Boolean) or (isinstance(dtype, types.Integer) and dtype.signed):
        return np.int64
    if isinstance(dtype, types.Integer):
        return np.uint64
    return _numpy_type(dtype)


class _Axis:
    """What a reduction's ``axis=`` and ``keepdims=`` arguments ask for, read at typing time:
    ``axis`` is None (the whole array) or the dimension, in ``0 .. ndim``; ``error`` is NumPy's
    ``AxisError`` message when the axis is out of range (raised when the call runs)."""

    def __init__(self, name, a, axis, keepdims=False):
        self.axis, self.error = None, None
        if isinstance(keepdims, types.BooleanLiteral):
            keepdims = keepdims.literal_value
        if not isinstance(keepdims, bool):
            raise TypingError(f"`keepdims=` of `{name}()` must be written `True` or `False`: the number of dimensions of the result depends on it")
        self.keepdims = keepdims
        if axis is None or isinstance(axis, types.NoneType):
            return
        if not isinstance(axis, types.IntegerLiteral):
            if isinstance(axis, (types.Integer, types.Boolean)):
                raise TypingError(f"`axis=` of `{name}()` must be a constant integer, such as `axis=0` or `axis=-1`: the shape of the result depends on it")
            raise TypingError(f"`axis=` of `{name}()` must be an integer, not `{axis}` (tuples of axes are not supported yet)")
        value = axis.literal_value
        if a.ndim == 0:
            raise TypingError(f"`{name}(axis={value})` of a 0-dimensional array: an axis of a 0-dimensional array is out of bounds")
        if -a.ndim <= value < a.ndim:
            self.axis = value % a.ndim
        else:
            self.axis = 0
            self.error = f"axis {value} is out of bounds for array of dimension {a.ndim}"

    def whole(self, a):
        """Whether the result is the whole array's, as a scalar (no axis, or the only axis of a
        1-d array, without ``keepdims``)."""
        return not self.keepdims and (self.axis is None or (a.ndim == 1 and self.error is None))


@register_jitable
def _raise_axis_error(message):
    raise AxisError(message)


def _along_axis(a, spec, lane, result_type):
    """A function ``(a, extra)`` giving the reduction whose result element is
    ``lane(flat, start, step, n, extra)``, along ``spec``'s axis (or of the whole array kept as
    ``ndim`` dimensions of length 1)."""
    if spec.axis is None:
        ones = (1,) * a.ndim

        def reduce_kept(a, extra):
            out = np.empty(ones, result_type)
            flat = a.ravel()
            out.ravel()[0] = lane(flat, 0, 1, flat.size, extra)
            return out

        return reduce_kept
    k, keepdims, error = spec.axis, spec.keepdims, spec.error
    bad_axis = error is not None

    def reduce_along(a, extra):
        if bad_axis:
            _raise_axis_error(error)
        flat = a.ravel()
        n = a.shape[k]
        # C-contiguous, with the reduced dimension kept: its stride counts `inner` elements.
        out = np.empty(a.shape[:k] + (1,) + a.shape[k + 1 :], result_type)
        inner = out.strides[k] // out.itemsize
        out_flat = out.ravel()
        for o in range(out.size):
            out_flat[o] = lane(flat, (o // inner) * n * inner + o % inner, inner, n, extra)
        if keepdims:
            return out
        return out.reshape(a.shape[:k] + a.shape[k + 1 :])

    return reduce_along


def _whole_or_along(a, spec, lane, result_type):
    """A function ``(a, extra)`` giving the reduction ``spec`` asks for: of the whole array as a
    scalar (one lane), else along ``spec``'s axis (see :func:`_along_axis`)."""
    if spec.whole(a):

        def reduce_whole(a, extra):
            flat = a.ravel()
            return lane(flat, 0, 1, flat.size, extra)

        return reduce_whole
    return _along_axis(a, spec, lane, result_type)


def _both(name, typing):
    """Registers ``typing`` as the array method ``name`` and as ``np.name``; literal arguments
    (the axis) are given to it first."""
    overload_method(types.Array, name, prefer_literal=True)(typing)
    overload(getattr(np, name), prefer_literal=True)(typing)
    return typing


def _no_out(name, out):
    if out is not None and not isinstance(out, types.NoneType):
        raise TypingError(f"`{name}(out=...)` is not supported yet: assign the result instead")


def prod_typing(a, axis=None, dtype=None, out=None, keepdims=False):
    if not _number(a):
        return None
    _no_out("prod", out)
    spec = _Axis("prod", a, axis, keepdims)
    acc = _accumulator("prod", a.dtype, dtype)

    def product(flat, start, step, n, extra):
        result = acc(1)
        for j in range(n):
            result *= acc(flat[start + j * step])
        return result

    reduce = _whole_or_along(a, spec, product, acc)

    def prod(a, axis=None, dtype=None, out=None, keepdims=False):
        return reduce(a, 0)

    return prod


def _arg_extreme(name, larger):
    def typing(a, axis=None, out=None, keepdims=False):
        if not _real_or_bool(a):
            return None
        _no_out(name, out)
        spec = _Axis(name, a, axis, keepdims)
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

        reduce = _whole_or_along(a, spec, first_extreme, np.int64)

        def arg_extreme(a, axis=None, out=None, keepdims=False):
            return reduce(a, 0)

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

        reduce = _whole_or_along(a, spec, reduce_truth, np.bool_)

        def truth(a, axis=None, out=None, keepdims=False):
            return reduce(a, 0)

        return truth

    return typing


def _spread(name, root):
    def typing(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
        if not _real_or_bool(a):
            return None
        _no_out(name, out)
        if dtype is not None and not isinstance(dtype, types.NoneType):
            raise TypingError(f"`{name}(dtype=...)` is not supported yet")
        spec = _Axis(name, a, axis, keepdims)
        result = np.float32 if a.dtype == types.float32 else np.float64

        # sum((x - mean)**2) / (n - ddof) over a lane, as NumPy computes it; NaN or inf when
        # n - ddof <= 0.
        def lane_spread(flat, start, step, n, ddof):
            total = 0.0
            for j in range(n):
                total += flat[start + j * step]
            m = total / n if n > 0 else np.nan
            s = 0.0
            for j in range(n):
                d = flat[start + j * step] - m
                s += d * d
            dof = n - ddof
            if dof <= 0:
                v = result(np.nan) if s == 0 or s != s else result(np.inf)
            else:
                v = result(s / result(dof))
            return result(np.sqrt(v)) if root else v

        reduce = _whole_or_along(a, spec, lane_spread, result)

        def spread(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
            return reduce(a, ddof)

        return spread

    return typing


def _cumulative(name, multiply):
    def typing(a, axis=None, dtype=None, out=None):
        if not _number(a):
            return None
        _no_out(name, out)
        spec = _Axis(name, a, axis)
        acc = _accumulator(name, a.dtype, dtype)

        if spec.axis is None:

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
        k, error = spec.axis, spec.error
        bad_axis = error is not None

        # Element f of the C-ordered result adds (or multiplies) the one `inner` elements
        # before it, unless it starts its lane.
        def cumulative_along(a, axis=None, dtype=None, out=None):
            if bad_axis:
                _raise_axis_error(error)
            flat = a.ravel()
            n = a.shape[k]
            result = np.empty(a.shape, acc)
            inner = result.strides[k] // result.itemsize
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


_both("prod", prod_typing)
_both("argmin", _arg_extreme("argmin", False))
_both("argmax", _arg_extreme("argmax", True))
_both("all", _truth_reduction("all", False))
_both("any", _truth_reduction("any", True))
_both("var", _spread("var", False))
_both("std", _spread("std", True))
_both("cumsum", _cumulative("cumsum", False))
_both("cumprod", _cumulative("cumprod", True))
