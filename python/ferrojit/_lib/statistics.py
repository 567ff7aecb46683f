"""Statistics and NumPy's nan-functions, written in Python on the reductions of
``reductions``: ``nansum``, ``nanprod``, ``nanmean``, ``nanvar``, ``nanstd``, ``nanmin``,
``nanmax``, ``nanargmin``, ``nanargmax``, ``nancumsum``, ``nancumprod``; ``ptp``, ``average``,
``cov``, ``corrcoef``.

The nan-functions of boolean and integer arrays are the plain reductions (those arrays hold no
NaN), as in NumPy. Of float and complex arrays, as NumPy computes them: ``nansum``,
``nanprod``, ``nancumsum``, ``nancumprod`` reduce a copy whose NaNs are 0 (1 for products);
``nanargmin``/``nanargmax`` take the ``argmin``/``argmax`` of a copy whose NaNs are +inf/-inf,
after raising NumPy's ``ValueError`` for a lane of NaNs only; ``nanmin``, ``nanmax``,
``nanmean``, ``nanvar``, ``nanstd`` walk the lanes of ``reductions`` skipping NaNs (NaN for a
lane of NaNs only, and for ``nanvar``/``nanstd`` when fewer than ``ddof`` + 1 values remain).
"""

import numpy as np

from .. import types
from ..extending import overload
from .dtypes import numpy_type
from .reductions import (
    _arg_extreme,
    _Axis,
    _cumulative,
    _given,
    _greater,
    _is_nan,
    _mean_type,
    _number,
    _out_given,
    _reducer,
    _spread,
    _sum_or_product,
    _where_given,
)


def _inexact(a):
    return isinstance(a.dtype, (types.Float, types.Complex))


def _nan_replaced(a, value):
    """``a`` with its NaNs replaced by ``value``: a new C-ordered array for a float or complex
    ``a`` (a complex NaN is one with a NaN in either part), ``a`` itself otherwise."""


@overload(_nan_replaced)
def _nan_replaced_typing(a, value):
    if not _inexact(a):

        def unchanged(a, value):
            return a

        return unchanged

    def replaced(a, value):
        copy = a.copy()
        flat = copy.ravel()
        for i in range(flat.size):
            if _is_nan(flat[i]):
                flat[i] = value
        return copy

    return replaced


def _replaced_type(a):
    """The type of ``_nan_replaced(a, ...)``."""
    return a.copy(layout="C", readonly=False) if _inexact(a) else a


def _replacing(reduction, fill):
    """The nan-function reducing, as the typing function ``reduction`` of ``reductions`` (of
    ``sum`` or ``prod``) does, ``a`` with its NaNs replaced by ``fill``."""

    def typing(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
        if not _number(a):
            return None
        reduce = reduction(_replaced_type(a), axis, dtype, out, keepdims, initial, where)

        def reduce_replaced(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
            return reduce(_nan_replaced(a, fill), axis, dtype, out, keepdims, initial, where)

        return reduce_replaced

    return typing


def _accumulating(accumulation, fill):
    """``nancumsum``/``nancumprod``: ``accumulation`` (the typing function of ``cumsum`` or
    ``cumprod``) of ``a`` with its NaNs replaced by ``fill``."""

    def typing(a, axis=None, dtype=None, out=None):
        if not _number(a):
            return None
        accumulate = accumulation(_replaced_type(a), axis, dtype, out)

        def accumulate_replaced(a, axis=None, dtype=None, out=None):
            return accumulate(_nan_replaced(a, fill), axis, dtype, out)

        return accumulate_replaced

    return typing


def _nan_mask(a):
    """Whether each element of ``a`` is NaN, as an array of ``a``'s shape (complex numbers are
    NaN when either part is)."""


@overload(_nan_mask)
def _nan_mask_typing(a):
    def nan_mask(a):
        mask = np.empty(a.shape, np.bool_)
        flat = mask.ravel()
        k = 0
        for v in a.flat:
            flat[k] = _is_nan(v)
            k += 1
        return mask

    return nan_mask


def _nan_arg_extreme(arg_extreme, fill):
    """``nanargmin``/``nanargmax``: NumPy's ``ValueError`` when some lane holds NaNs only, else
    ``arg_extreme`` (the typing function of ``argmin`` or ``argmax``) of ``a`` with its NaNs
    replaced by ``fill``."""

    def typing(a, axis=None, out=None, keepdims=False):
        if not _number(a):
            return None
        inexact = _inexact(a)
        find = arg_extreme(_replaced_type(a), axis, out, keepdims)

        def without_nans(a, axis=None, out=None, keepdims=False):
            # NumPy looks for a lane of NaNs only in a non-empty array (an empty one raises
            # argmin's error).
            if inexact and a.size > 0 and np.all(_nan_mask(a), axis=axis, keepdims=True).any():
                raise ValueError("All-NaN slice encountered")
            return find(_nan_replaced(a, fill), axis, out, keepdims)

        return without_nans

    return typing


def _nan_extreme(name, larger):
    """``nanmin``/``nanmax`` (``larger``): NumPy's ``fmin``/``fmax`` reduction, the extreme of
    the values that are not NaN, NaN for a lane of NaNs only; ``initial=``, ``where=`` (which
    needs ``initial=``, NumPy's ``ValueError`` otherwise), ``out=``, ``keepdims=``."""
    operation = "fmax" if larger else "fmin"
    empty = f"zero-size array to reduction operation {operation} which has no identity"
    no_identity = f"reduction operation '{operation}' does not have an identity, so to use a where mask one has to specify 'initial'"

    def typing(a, axis=None, out=None, keepdims=False, initial=None, where=None):
        if not _number(a):
            return None
        spec = _Axis(name, a, axis, keepdims)
        has_out = _out_given(name, out)
        masked = _where_given(name, where)
        has_initial = _given(initial)
        result = np.result_type(numpy_type(a.dtype), numpy_type(out.dtype)).type if has_out else numpy_type(a.dtype)

        def extreme(flat, selected, start, step, n, initial):
            # `best` is NaN until a value that is not NaN is met (fmin/fmax keep the other
            # operand of a NaN).
            if has_initial:
                best = result(initial)
            else:
                if n == 0:
                    raise ValueError(empty)
                best = result(flat[start])
            for j in range(n):
                if masked and not selected[start + j * step]:
                    continue
                v = result(flat[start + j * step])
                if _is_nan(v):
                    continue
                if _is_nan(best) or (_greater(v, best) if larger else _greater(best, v)):
                    best = v
            return best

        refusal = no_identity if masked and not has_initial else None
        reduce = _reducer(name, operation, a, spec, extreme, result, None if has_initial else empty, out, where, refusal)
        if has_initial:

            def extreme_from_initial(a, axis=None, out=None, keepdims=False, initial=None, where=None):
                return reduce(a, axis, initial, out, where)

            return extreme_from_initial

        def extreme_of_elements(a, axis=None, out=None, keepdims=False, initial=None, where=None):
            return reduce(a, axis, 0, out, where)

        return extreme_of_elements

    return typing


def nanmean_typing(a, axis=None, dtype=None, out=None, keepdims=False, where=None):
    """``nanmean``: the sum of the values that are not NaN (in NumPy's type, see
    ``reductions._mean_type``) over their count; NaN for a lane of NaNs only or an empty one."""
    if not _number(a):
        return None
    spec = _Axis("nanmean", a, axis, keepdims)
    has_out = _out_given("nanmean", out)
    masked = _where_given("nanmean", where)
    result = _mean_type("nanmean", a.dtype, dtype, out if has_out else None)
    not_a_number = result(complex(np.nan, np.nan)) if issubclass(result, np.complexfloating) else result(np.nan)

    def lane_mean(flat, selected, start, step, n, extra):
        total = result(0)
        count = 0
        for j in range(n):
            v = flat[start + j * step]
            if (masked and not selected[start + j * step]) or _is_nan(v):
                continue
            total += result(v)
            count += 1
        if count == 0:
            return not_a_number
        return result(total / result(count))

    reduce = _reducer("nanmean", "add", a, spec, lane_mean, result, out=out, where=where, mask_broadcast_to=True)

    def nanmean(a, axis=None, dtype=None, out=None, keepdims=False, where=None):
        return reduce(a, axis, 0, out, where)

    return nanmean


def _nan_spread(name, root, plain):
    """``nanvar``/``nanstd`` (``root``) as NumPy computes them: the mean of the values that are
    not NaN in the computation type (``dtype=``, else the array's, float64 for integers), their
    deviations in the array's type, the squared magnitudes summed in the computation type (its
    real type for a complex array), over the count less ``ddof``: NaN when that is not
    positive. Boolean and integer arrays hold no NaN: ``plain`` (``np.var``/``np.std``)."""

    def typing(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=None):
        if not _number(a):
            return None
        if not _inexact(a):
            return plain(a, axis, dtype, out, ddof, keepdims, where)
        spec = _Axis(name, a, axis, keepdims)
        _out_given(name, out)
        masked = _where_given(name, where)
        computed = _mean_type(name, a.dtype, dtype)
        deviation = numpy_type(a.dtype)
        real = np.finfo(computed).dtype.type
        complex_deviations = issubclass(deviation, np.complexfloating)

        def lane_spread(flat, selected, start, step, n, ddof):
            total = computed(0)
            count = 0
            for j in range(n):
                v = flat[start + j * step]
                if (masked and not selected[start + j * step]) or _is_nan(v):
                    continue
                total += computed(v)
                count += 1
            m = computed(total / computed(count)) if count > 0 else computed(np.nan)
            s = real(0)
            for j in range(n):
                v = flat[start + j * step]
                if (masked and not selected[start + j * step]) or _is_nan(v):
                    continue
                # NumPy stores the deviations in the array's type.
                d = deviation(computed(v) - m)
                if complex_deviations:
                    s += real(d.real * d.real + d.imag * d.imag)
                else:
                    s += real(d * d)
            dof = count - ddof
            if dof <= 0:
                return real(np.nan)
            spread = real(s / real(dof))
            return real(np.sqrt(spread)) if root else spread

        reduce = _reducer(name, "add", a, spec, lane_spread, real, out=out, where=where, mask_broadcast_to=True)

        def nan_spread(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=None):
            return reduce(a, axis, ddof, out, where)

        return nan_spread

    return typing


overload(np.nansum, prefer_literal=True)(_replacing(_sum_or_product("nansum", False, False), 0))
overload(np.nanprod, prefer_literal=True)(_replacing(_sum_or_product("nanprod", True, False), 1))
overload(np.nancumsum, prefer_literal=True)(_accumulating(_cumulative("nancumsum", False), 0))
overload(np.nancumprod, prefer_literal=True)(_accumulating(_cumulative("nancumprod", True), 1))
overload(np.nanargmin, prefer_literal=True)(_nan_arg_extreme(_arg_extreme("argmin", False), np.inf))
overload(np.nanargmax, prefer_literal=True)(_nan_arg_extreme(_arg_extreme("argmax", True), -np.inf))
overload(np.nanmin, prefer_literal=True)(_nan_extreme("nanmin", False))
overload(np.nanmax, prefer_literal=True)(_nan_extreme("nanmax", True))
overload(np.nanmean, prefer_literal=True)(nanmean_typing)
overload(np.nanvar, prefer_literal=True)(_nan_spread("nanvar", False, _spread("nanvar", False)))
overload(np.nanstd, prefer_literal=True)(_nan_spread("nanstd", True, _spread("nanstd", True)))
