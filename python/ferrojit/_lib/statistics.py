"""Statistics and NumPy's nan-functions, written in Python on the reductions of
``reductions``: ``nansum``, ``nanprod``, ``nanmean``, ``nanvar``, ``nanstd``, ``nanmin``,
``nanmax``, ``nanargmin``, ``nanargmax``, ``nancumsum``, ``nancumprod``; ``ptp``, ``average``,
``cov``, ``corrcoef``.

The nan-functions of boolean and integer arrays are the plain reductions (those arrays hold no
NaN), as in NumPy. Of float and complex arrays, as NumPy computes them: ``nansum``,
``nanprod``, ``nancumsum``, ``nancumprod`` reduce a copy whose NaNs are 0 (1 for products);
``nanargmin``/``nanargmax`` take the ``argmin``/``argmax`` of a copy whose NaNs are +inf/-inf,
after raising NumPy's ``ValueError`` for a lane of NaNs only; ``nanmean``, ``nanvar``,
``nanstd`` walk the lanes of ``reductions`` skipping NaNs (``nanmin`` and ``nanmax`` are
``reductions``' own ``min`` and ``max`` passing NaNs over, registered there) (NaN for a
lane of NaNs only, and for ``nanvar``/``nanstd`` when fewer than ``ddof`` + 1 values remain).
"""

import numpy as np

from .. import types
from ..extending import CallRefused, overload, register_jitable
from . import axis_error
from .dtypes import numpy_type
from .reductions import (
    _arg_extreme,
    _Axis,
    _cumulative,
    _dimensions,
    _given,
    _greater,
    _is_nan,
    _mean_type,
    _number,
    _out_given,
    _reducer,
    _spread,
    _sum_or_product,
    _tuple_of,
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


@register_jitable
def _sum_of_numbers(flat, selected, start, step, n, masked, result):
    """``(sum, count)`` of the elements of a lane (see ``reductions``) that are not NaN (and
    selected, when ``masked``), the sum in the type ``result``."""
    total = result(0)
    count = 0
    for j in range(n):
        v = flat[start + j * step]
        if (masked and not selected[start + j * step]) or _is_nan(v):
            continue
        total += result(v)
        count += 1
    return total, count


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
        total, count = _sum_of_numbers(flat, selected, start, step, n, masked, result)
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
            total, count = _sum_of_numbers(flat, selected, start, step, n, masked, computed)
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
overload(np.nanmean, prefer_literal=True)(nanmean_typing)
overload(np.nanvar, prefer_literal=True)(_nan_spread("nanvar", False, _spread("nanvar", False)))
overload(np.nanstd, prefer_literal=True)(_nan_spread("nanstd", True, _spread("nanstd", True)))


# --- ptp, average, cov, corrcoef -------------------------------------------------------------------


def ptp_typing(a, axis=None, out=None, keepdims=False):
    """``np.ptp``: ``max - min`` (in the array's type, wrapping as NumPy's subtraction does; NaN
    when a NaN is met), ``axis=`` (integer or tuple), ``out=``, ``keepdims=``; NumPy's errors
    for an empty lane and for booleans."""
    if not _number(a):
        return None
    if isinstance(a.dtype, types.Boolean):

        def refused(a, axis=None, out=None, keepdims=False):
            raise TypeError(
                "numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the `^` operator, or the logical_xor function instead."
            )

        return refused
    spec = _Axis("ptp", a, axis, keepdims)
    _out_given("ptp", out)
    result = numpy_type(a.dtype)
    empty = "zero-size array to reduction operation maximum which has no identity"

    def spread(flat, selected, start, step, n, extra):
        if n == 0:
            raise ValueError(empty)
        largest = flat[start]
        smallest = flat[start]
        if _is_nan(largest):
            return result(largest - largest)
        for j in range(1, n):
            v = flat[start + j * step]
            if _is_nan(v):
                return result(v - v)
            if _greater(v, largest):
                largest = v
            if _greater(smallest, v):
                smallest = v
        return result(largest - smallest)

    reduce = _reducer("ptp", "maximum", a, spec, spread, result, empty, out)

    def ptp(a, axis=None, out=None, keepdims=False):
        return reduce(a, axis, 0, out, None)

    return ptp


overload(np.ptp, prefer_literal=True)(ptp_typing)


def _lane_sum(result):
    """The lane function of ``reductions._reducer`` summing in ``result``, in order."""

    def lane_sum(flat, selected, start, step, n, extra):
        total = result(0)
        for j in range(n):
            total += result(flat[start + j * step])
        return total

    return lane_sum


def average_typing(a, axis=None, weights=None, returned=False, keepdims=False):
    """``np.average``: the mean (NumPy's type: float64 for booleans and integers), or with
    ``weights`` (of ``a``'s shape, or 1-d along the one ``axis``) ``sum(a * w) / sum(w)`` in
    ``result_type(a, w)`` (and float64 for booleans and integers), NumPy's
    ``ZeroDivisionError`` when weights sum to zero; ``axis=`` (integer or tuple),
    ``keepdims=``; ``returned=True`` gives ``(average, sum of weights)`` (the count without
    weights), the second of the first's shape."""
    if not _number(a):
        return None
    spec = _Axis("average", a, axis, keepdims)
    if isinstance(returned, types.BooleanLiteral):
        returned = returned.literal_value
    if not isinstance(returned, bool):
        raise CallRefused("`returned=` of `average()` must be written `True` or `False`: the result's type depends on it")
    weighted = _given(weights)
    if weighted:
        if not _number(weights):
            raise CallRefused("`weights=` of `average()` must be an array of numbers")
        operands = [np.dtype(a.dtype.name), np.dtype(weights.dtype.name)]
        if not isinstance(a.dtype, (types.Float, types.Complex)):
            operands.append(np.float64)
        result = np.result_type(*operands).type
    else:
        result = _mean_type("average", a.dtype, None)
    computed = types.Array(types.from_name(np.dtype(result).name), a.ndim, "C")
    total = _reducer("average", "add", computed, spec, _lane_sum(result), result)
    scalar = spec.scalar(a)
    ndim = a.ndim
    along = spec.count == 1 and not isinstance(axis, types.BaseTuple)
    # Weights of another number of dimensions than `a`: 1-d, along the one axis (NumPy also
    # takes weights of the shape of several axes).
    one_dimensional = weighted and weights.ndim != ndim
    shape_message = "Shape of weights must be consistent with shape of a along specified axis."
    if one_dimensional and not _given(axis):

        def axis_needed(a, axis=None, weights=None, returned=False, keepdims=False):
            raise TypeError("Axis must be specified when shapes of a and weights differ.")

        return axis_needed
    if one_dimensional and weights.ndim != (spec.count or 0):

        def inconsistent(a, axis=None, weights=None, returned=False, keepdims=False):
            raise ValueError(shape_message)

        return inconsistent
    if one_dimensional and not along:
        raise CallRefused("`weights=` of `average()` over several axes must have the shape of `a`", unsupported=True)
    has_axis = _given(axis)

    if one_dimensional:

        def spread_weights(a, axis, weights):
            k = axis + ndim if axis < 0 else axis
            if k < 0 or k >= ndim:
                axis_error(axis, ndim)
            length = _dimensions(a.shape)[k]
            if weights.shape[0] != length:
                raise ValueError(shape_message)
            dims = np.ones(ndim, np.int64)
            dims[k] = length
            spread = np.empty(a.shape, result)
            spread[...] = weights.astype(result).reshape(_tuple_of(dims, ndim))
            return spread

    elif weighted:

        def spread_weights(a, axis, weights):
            if a.shape != weights.shape:
                if has_axis:
                    raise ValueError(shape_message)
                raise TypeError("Axis must be specified when shapes of a and weights differ.")
            return weights.astype(result)

    else:

        def spread_weights(a, axis, weights):
            return np.ones(a.shape, result)

    if scalar:

        def zero_sum(sums):
            return sums == 0

        def counted(a, mean):
            return result(a.size)

        # A scalar quotient by zero would raise: NumPy's mean of nothing is NaN.
        def quotient(numerator, denominator):
            return numerator / denominator if denominator != 0 else result(np.nan)

    else:

        def zero_sum(sums):
            return (sums == 0).any()

        def counted(a, mean):
            return np.full(mean.shape, a.size // max(mean.size, 1), result)

        def quotient(numerator, denominator):
            return numerator / denominator

    if returned:

        def finish(mean, weights_sum):
            return mean, weights_sum

    else:

        def finish(mean, weights_sum):
            return mean

    def sums(a, axis, weights):
        """``(sum(a * w), sum(w))`` along the axes."""
        w = spread_weights(a, axis, weights)
        weighted_values = a.astype(result) * w
        return total(weighted_values, axis, 0, None, None), total(w, axis, 0, None, None)

    if weighted:

        def average_weighted(a, axis=None, weights=None, returned=False, keepdims=False):
            numerator, denominator = sums(a, axis, weights)
            if zero_sum(denominator):
                raise ZeroDivisionError("Weights sum to zero, can't be normalized")
            return finish(quotient(numerator, denominator), denominator)

        return average_weighted

    def average(a, axis=None, weights=None, returned=False, keepdims=False):
        numerator, count = sums(a, axis, weights)
        mean = quotient(numerator, count)
        return finish(mean, counted(a, mean))

    return average


overload(np.average, prefer_literal=True)(average_typing)


def _observations(name, m, rowvar):
    """The function giving ``m`` (1-d: one variable; 2-d: a variable per row, or per column
    without ``rowvar``, as NumPy reads it) as a new 2-d array of variables by rows."""
    if m.ndim > 2:
        raise CallRefused(f"`{name}()` takes arrays of 1 or 2 dimensions", hint="NumPy raises ValueError: m has more than 2 dimensions")
    if m.ndim == 1:

        def one_variable(m, rowvar, result):
            rows = np.empty((1, m.shape[0]), result)
            rows[0] = m
            return rows

        return one_variable

    def variables(m, rowvar, result):
        # NumPy reads a single row as one variable whatever `rowvar` says.
        by_rows = rowvar or m.shape[0] == 1
        shape = m.shape if by_rows else (m.shape[1], m.shape[0])
        rows = np.empty(shape, result)
        if by_rows:
            rows[...] = m
        else:
            rows[...] = m.T
        return rows

    return variables


def _covariance_typing(name, correlation):
    """``np.cov`` or ``np.corrcoef`` (``correlation``): of the variables of ``m`` and ``y``
    (rows, or columns without ``rowvar``) in float64 (complex128 for complex input), the
    observations centred by their means, over ``n - ddof`` (NaN or inf when not positive, as
    NumPy); ``cov``'s ``bias``, ``ddof``, ``fweights``/``aweights`` (1-d). A 0-d array for one
    1-d ``m`` (NumPy's squeeze), else the 2-d matrix (NumPy squeezes a matrix of one variable
    given as a 2-d array to 0-d too, which the types cannot tell: here it stays 1 x 1)."""

    def typing(m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None, dtype=None):
        if not _number(m) or (_given(y) and not _number(y)):
            return None
        if _given(dtype):
            raise CallRefused(f"`dtype=` of `{name}()` is not supported in compiled code yet", unsupported=True)
        has_frequencies, has_reliabilities = _given(fweights), _given(aweights)
        for keyword, value in (("fweights", fweights), ("aweights", aweights)):
            if _given(value) and not (_number(value) and value.ndim == 1):
                raise CallRefused(f"`{keyword}=` of `{name}()` must be a 1-d array", hint=f"NumPy raises RuntimeError: cannot handle multidimensional {keyword}")
        has_y = _given(y)
        result = np.result_type(np.dtype(m.dtype.name), *( [np.dtype(y.dtype.name)] if has_y else []), np.float64).type
        complex_values = issubclass(result, np.complexfloating)
        rows_of_m = _observations(name, m, rowvar)
        rows_of_y = _observations(name, y, rowvar) if has_y else None
        has_ddof = _given(ddof)
        squeezed = m.ndim == 1 and not has_y

        if has_y:

            def all_rows(m, y, rowvar):
                first = rows_of_m(m, rowvar, result)
                second = rows_of_y(y, rowvar, result)
                if first.shape[1] != second.shape[1]:
                    raise ValueError("all the input array dimensions except for the concatenation axis must match exactly")
                rows = np.empty((first.shape[0] + second.shape[0], first.shape[1]), result)
                rows[: first.shape[0]] = first
                rows[first.shape[0] :] = second
                return rows

        else:

            def all_rows(m, y, rowvar):
                return rows_of_m(m, rowvar, result)

        if has_ddof:

            def freedom(bias, ddof):
                return ddof

        else:

            def freedom(bias, ddof):
                return 0 if bias else 1

        if complex_values:

            def conjugate(v):
                return np.conjugate(v)

        else:

            def conjugate(v):
                return v

        def weights_reader(kind):
            """The function reading ``fweights`` or ``aweights`` (``kind``) as float64,
            checked as NumPy checks them (compiled code raises constant messages)."""
            frequencies = kind == "fweights"
            incompatible = f"incompatible numbers of samples and {kind}"
            negative = f"{kind} cannot be negative"

            def read(given, n):
                if given.shape[0] != n:
                    raise RuntimeError(incompatible)
                weights = given.astype(np.float64)
                for k in range(n):
                    if frequencies and weights[k] != np.round(weights[k]):
                        raise TypeError("fweights must be integer")
                    if weights[k] < 0:
                        raise ValueError(negative)
                return weights

            return read

        read_frequencies, read_reliabilities = weights_reader("fweights"), weights_reader("aweights")

        if has_frequencies:

            def frequency_weights(fweights, n):
                return read_frequencies(fweights, n)

        else:

            def frequency_weights(fweights, n):
                return np.ones(n, np.float64)

        if has_reliabilities:

            def reliability_weights(aweights, n):
                return read_reliabilities(aweights, n)

            def reliability_sum(w, aweights):
                return (w * aweights).sum()

        else:

            def reliability_weights(aweights, n):
                return np.ones(n, np.float64)

            def reliability_sum(w, aweights):
                return 0.0

        def covariance(m, y, rowvar, bias, ddof, fweights, aweights):
            rows = all_rows(m, y, rowvar)
            variables, n = rows.shape
            # Without weights, ones: NumPy's unweighted sums have the same values.
            reliabilities = reliability_weights(aweights, n)
            w = frequency_weights(fweights, n) * reliabilities
            w_sum = w.sum()
            for i in range(variables):
                weighted = result(0)
                for k in range(n):
                    weighted += rows[i, k] * w[k]
                rows[i] -= weighted / w_sum if w_sum != 0 else result(np.nan)
            dof = freedom(bias, ddof)
            if not (has_frequencies or has_reliabilities):
                factor = n - dof
            elif dof == 0:
                factor = w_sum
            elif not has_reliabilities:
                factor = w_sum - dof
            else:
                factor = w_sum - dof * reliability_sum(w, reliabilities) / w_sum
            # NumPy multiplies by 1 / factor, with a factor not positive taken as 0.
            scale = 1.0 / factor if factor > 0 else np.inf
            c = np.empty((variables, variables), result)
            for i in range(variables):
                for j in range(variables):
                    total = result(0)
                    for k in range(n):
                        total += rows[i, k] * conjugate(rows[j, k] * w[k])
                    c[i, j] = total * scale
            return c

        if correlation:

            def matrix(m, y, rowvar, bias, ddof, fweights, aweights):
                c = covariance(m, y, rowvar, bias, ddof, fweights, aweights)
                variables = c.shape[0]
                spread = np.empty(variables, np.float64)
                for i in range(variables):
                    spread[i] = np.sqrt(c[i, i].real)
                # Array quotients: a zero deviation gives NaN or inf, as in NumPy.
                c = c / spread.reshape((variables, 1)) / spread.reshape((1, variables))
                for i in range(variables):
                    for j in range(variables):
                        c[i, j] = _clipped_unit(c[i, j])
                return c

        else:
            matrix = covariance

        if squeezed and correlation:

            def one_variable(m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None, dtype=None):
                # NumPy divides 0-d arrays: a number.
                c = covariance(m, y, rowvar, bias, ddof, fweights, aweights)
                return (c / c)[0, 0]

            return one_variable
        if squeezed:

            def one_covariance(m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None, dtype=None):
                return matrix(m, y, rowvar, bias, ddof, fweights, aweights).reshape(())

            return one_covariance

        def covariances(m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None, dtype=None):
            return matrix(m, y, rowvar, bias, ddof, fweights, aweights)

        return covariances

    return typing


def _clipped_unit(v):
    """``v`` with its real part (and imaginary part) clipped to [-1, 1], NaN kept."""


@overload(_clipped_unit)
def _clipped_unit_typing(v):
    if isinstance(v, types.Complex):

        def complex_clipped(v):
            return complex(_clipped_unit(v.real), _clipped_unit(v.imag))

        return complex_clipped

    def clipped(v):
        if v > 1.0:
            return 1.0
        if v < -1.0:
            return -1.0
        return v

    return clipped


overload(np.cov, prefer_literal=True)(_covariance_typing("cov", False))


def corrcoef_typing(x, y=None, rowvar=True, bias=None, ddof=None, dtype=None):
    """``np.corrcoef``: the covariance matrix (see ``cov``) over the products of the standard
    deviations, clipped to [-1, 1] (each part of a complex one)."""
    typing = _covariance_typing("corrcoef", True)
    implementation = typing(x, y, rowvar, False, None, None, None, dtype)
    if implementation is None:
        return None

    def corrcoef(x, y=None, rowvar=True, bias=None, ddof=None, dtype=None):
        return implementation(x, y, rowvar, False, None, None, None, None)

    return corrcoef


overload(np.corrcoef, prefer_literal=True)(corrcoef_typing)
