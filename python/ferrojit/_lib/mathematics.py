"""NumPy's mathematical functions written in Python: ``clip``, ``round``/``around`` (and the
methods ``clip``, ``round``), ``fix``, ``isclose``, ``allclose``, ``array_equal``, ``trace``
(and the method), ``take`` (and the method), ``diff``.

Result types follow NumPy 2's promotion (NEP 50). Compiled code types a Python number as a
64-bit integer, float64 or complex128 (a constant written in the call and a variable alike), so
a scalar argument of those types is taken as a Python number, weak as NEP 50 says
(``np.clip(x_float32, 0.0, 1.0)`` is float32); other scalars (``np.float32(x)``) are NumPy
scalars, promoted with their own type.
"""

import math
import warnings

import numpy as np

from .. import types
from ..extending import CallRefused, overload, overload_method, register_jitable
from .dtypes import element_of, is_time, numpy_type, scalar_maker
from . import index_error
from .reductions import _accumulator, _dimensions, _given, _tuple_of

_REAL = (types.Boolean, types.Integer, types.Float)
_NUMBER = (*_REAL, types.Complex)


def _numeric(ty):
    """Whether ``ty`` is a number or an array of numbers."""
    return isinstance(ty, _NUMBER) or (isinstance(ty, types.Array) and isinstance(ty.dtype, _NUMBER))


def _operand(ty):
    """What ``np.result_type`` takes for the argument type ``ty``: an array's or NumPy
    scalar's dtype, or, for the types compiled code gives Python numbers, a Python number of
    that kind (weak, NEP 50)."""
    if isinstance(ty, types.Array):
        return np.dtype(ty.dtype.name)
    ty = types.unliteral(ty)
    python_number = {"bool": False, "int64": 0, "float64": 0.0, "complex128": 0j}.get(ty.name)
    return python_number if python_number is not None else np.dtype(ty.name)


def _result_type(*tys):
    """NumPy 2's result type of operands of the types ``tys`` (see :func:`_operand`), as a
    NumPy scalar type."""
    return np.result_type(*(_operand(t) for t in tys)).type


def _constant(name, what, value, kind=int):
    """The constant an argument must be (its type ``value``), as ``kind``."""
    if isinstance(value, types.IntegerLiteral if kind is int else types.BooleanLiteral):
        return kind(value.literal_value)
    if isinstance(value, kind):
        return value
    raise CallRefused(f"`{what}=` of `{name}()` must be a constant {kind.__name__}", hint=f"write `{what}` as a literal in the call")


def _normalised_axis(name, axis, ndim):
    """``axis`` (a constant) counted from the front; out of range, refused when compiling with
    NumPy's ``AxisError`` text."""
    if not -ndim <= axis < ndim:
        raise CallRefused(f"`{name}()`: axis {axis} is out of bounds for array of dimension {ndim}")
    return axis % ndim


def _delivered(result, out):
    """``result``, or ``out`` holding it (cast to ``out``'s type) when ``out=`` was given."""


@overload(_delivered)
def _delivered_typing(result, out):
    if _given(out):

        def into_out(result, out):
            out[...] = result
            return out

        return into_out

    def as_computed(result, out):
        return result

    return as_computed


# --- clip --------------------------------------------------------------------------------------


def clip_typing(a, a_min=None, a_max=None, out=None):
    """``np.clip``/``a.clip``: ``a`` bounded by ``a_min`` then ``a_max`` (numbers or arrays
    broadcast together, either None) in NumPy's result type of the three: a NaN anywhere gives
    NaN, ``a_min > a_max`` gives ``a_max``; ``out=``."""
    if isinstance(a, types.Array) and is_time(a.dtype):
        return _clip_times(a, a_min, a_max)
    if not isinstance(a, types.Array) or not _numeric(a):
        return None
    bounds = [b for b in (a_min, a_max) if _given(b)]
    if any(not _numeric(b) for b in bounds):
        raise CallRefused("the bounds of `clip()` must be numbers, arrays of numbers or None")
    if any(isinstance(t, types.Complex) or (isinstance(t, types.Array) and isinstance(t.dtype, types.Complex)) for t in (a, *bounds)):
        raise CallRefused("`clip()` of complex numbers is not supported in compiled code", unsupported=True)
    result = _result_type(a, *bounds)
    lower = _bound(a_min, result, True)
    upper = _bound(a_max, result, False)

    def clip(a, a_min=None, a_max=None, out=None):
        clipped = upper(lower(a.astype(result), a_min), a_max)
        return _delivered(clipped, out)

    return clip


def _bound(bound, result, lower):
    """The function ``(values, bound)`` applying one bound of ``clip`` (the lower one with
    ``lower``) as NumPy's ``clip`` does: a value beyond the bound, or any value with a NaN
    bound, is replaced by the bound; none for None. On a tie (``-0.0`` against ``0.0``)
    NumPy keeps the value for a scalar bound (its loop for constant bounds) and takes an
    array bound's element (its general loop, ``a > b ? a : b``): so here."""
    if not _given(bound):

        def unbounded(values, bound):
            return values

        return unbounded
    if isinstance(bound, types.Array):

        def by_array(values, bound):
            kept = (values > bound) if lower else (values < bound)
            return np.where(kept | (values != values), values, bound)

        return by_array

    def by_number(values, bound):
        # A scalar bound becomes a scalar of the result type: NumPy converts a weak Python
        # number so.
        limit = result(bound)
        beyond = (values < limit) if lower else (values > limit)
        return np.where(beyond | (limit != limit), limit, values)

    return by_number


def _time_kind(ty):
    """The time type of ``ty``'s values (an array's elements or a scalar), else None."""
    values = ty.dtype if isinstance(ty, types.Array) else ty
    return values if is_time(values) else None


def _clip_times(a, a_min, a_max):
    """``clip`` of datetimes or timedeltas: ``np.minimum(np.maximum(a, a_min), a_max)``, as
    NumPy's loop for them computes it, so a NaT anywhere gives NaT; in the common unit of the
    three (an integer bound is a count of ``a``'s unit, as NumPy takes a Python integer)."""
    kind = type(a.dtype)
    bounds = [b for b in (a_min, a_max) if _given(b)]
    for b in bounds:
        values = _time_kind(b)
        if values is None and not (isinstance(types.unliteral(b), types.Integer) and kind is types.NPTimedelta):
            raise CallRefused(f"the bounds of `clip()` of `{a.dtype}` values must be {'datetime64' if kind is types.NPDatetime else 'timedelta64'} values, arrays of them or None, not `{b}`")
        if values is not None and type(values) is not kind:
            raise CallRefused(f"`clip()` of `{a.dtype}` values cannot be bounded by `{b}`: NumPy has no common type for datetime64 and timedelta64 values")
    try:
        common = np.result_type(numpy_type(a.dtype), *(numpy_type(_time_kind(b)) for b in bounds if _time_kind(b) is not None))
    except TypeError as e:
        raise CallRefused(f"`clip()`: {e}") from None
    result = element_of(common)
    lower = _time_bound(a_min, common, True)
    upper = _time_bound(a_max, common, False)

    def clip_times(a, a_min=None, a_max=None, out=None):
        clipped = upper(lower(a.astype(result), a_min), a_max)
        return _delivered(clipped, out)

    return clip_times


def _time_bound(bound, common, lower):
    """The function ``(values, bound)`` applying one bound of ``clip`` of time values: NumPy's
    ``maximum`` (``lower``) or ``minimum``, NaT winning; none for None."""
    if not _given(bound):

        def unbounded(values, bound):
            return values

        return unbounded
    if isinstance(types.unliteral(bound), types.Integer):
        as_time = scalar_maker(common)
    else:

        def as_time(x):
            return x

    if lower:

        def at_least(values, bound):
            return np.maximum(values, as_time(bound))

        return at_least

    def at_most(values, bound):
        return np.minimum(values, as_time(bound))

    return at_most


overload(np.clip)(clip_typing)
overload_method(types.Array, "clip")(clip_typing)


# --- rounding ------------------------------------------------------------------------------------


@register_jitable
def _rint(x, real):
    """``x`` rounded to the nearest integer, halves to even, keeping the sign of a zero (NumPy's
    ``rint``), as the float type ``real``; NaN and infinities unchanged."""
    r = np.floor(x)
    excess = x - r
    if excess > 0.5 or (excess == 0.5 and r % 2 != 0):
        r += 1
    if r == 0:
        r = math.copysign(0.0, x)
    return real(r)


def _rounded(x, decimals):
    """The number ``x`` rounded to ``decimals`` decimals as NumPy rounds it."""


@overload(_rounded)
def _rounded_typing(x, decimals):
    if isinstance(x, types.Complex):
        number = numpy_type(x)

        def complex_rounded(x, decimals):
            return number(complex(_rounded(x.real, decimals), _rounded(x.imag, decimals)))

        return complex_rounded
    if isinstance(x, types.Float):
        real = numpy_type(x)

        # NumPy scales by 10**decimals in the number's type, rounds halves to even, scales back.
        def float_rounded(x, decimals):
            if decimals >= 0:
                scale = real(10.0**decimals)
                return real(_rint(real(x * scale), real) / scale)
            scale = real(10.0 ** (-decimals))
            return real(_rint(real(x / scale), real) * scale)

        return float_rounded
    integer = numpy_type(x)

    # NumPy rounds an integer to a negative number of decimals in float64.
    def integer_rounded(x, decimals):
        if decimals >= 0:
            return x
        scale = 10.0 ** (-decimals)
        return integer(_rint(np.float64(x) / scale, np.float64) * scale)

    return integer_rounded


def round_typing(a, decimals=0, out=None):
    """``np.round``/``np.around``/``a.round``: NumPy's rounding of numbers and arrays (see
    ``_rounded``), with ``decimals=`` (any integer, also given at run time) and ``out=``.
    Booleans raise NumPy's ``TypeError`` unless ``decimals`` is 0 (then float16, not
    supported)."""
    if not _numeric(a):
        return None
    if isinstance(decimals, types.Type) and (not isinstance(decimals, types.Integer) or isinstance(decimals, types.Boolean)):
        raise CallRefused("`decimals=` of `round()` must be an integer")
    dtype = a.dtype if isinstance(a, types.Array) else a
    if isinstance(dtype, types.Boolean):
        raise CallRefused("`round()` of booleans is not supported in compiled code", hint="convert to an integer or float type first", unsupported=True)
    if not isinstance(a, types.Array):

        def round_number(a, decimals=0, out=None):
            return _rounded(a, decimals)

        return round_number

    def round_array(a, decimals=0, out=None):
        result = np.empty(a.shape, a.dtype)
        flat = result.ravel()
        k = 0
        for v in a.flat:
            flat[k] = _rounded(v, decimals)
            k += 1
        return _delivered(result, out)

    return round_array


overload(np.round)(round_typing)
overload(np.around)(round_typing)
overload_method(types.Array, "round")(round_typing)


def fix_typing(x, out=None):
    """``np.fix``: rounded towards zero (``trunc``; booleans and integers unchanged, a new
    array), ``out=``."""
    if not _numeric(x) or isinstance(getattr(x, "dtype", x), types.Complex):
        return None
    if isinstance(getattr(x, "dtype", x), types.Float):

        def truncated(x):
            return np.trunc(x)

    elif isinstance(x, types.Array):

        def truncated(x):
            return x.copy()

    else:

        def truncated(x):
            return x

    def fix(x, out=None):
        result = truncated(x)
        return _delivered(result, out)

    return fix


overload(np.fix)(fix_typing)


# --- comparisons -------------------------------------------------------------------------------


def _float_type(ty):
    """NumPy's ``result_type(y, 1.0)``: the type ``isclose`` converts its second operand to."""
    return np.result_type(_operand(ty), 1.0).type


def isclose_typing(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """``np.isclose``: ``|a - b| <= atol + rtol * |b|`` for a finite ``b``, or ``a == b``; NaNs
    equal with ``equal_nan``. ``b`` is first converted to a float type (NumPy's
    ``result_type(b, 1.0)``); the tolerances are Python floats (weak). A scalar for two
    numbers or 0-d arrays, else a boolean array of the broadcast shape."""
    if not (_numeric(a) and _numeric(b)):
        return None
    for name, tolerance in (("rtol", rtol), ("atol", atol)):
        if isinstance(tolerance, types.Type) and not isinstance(tolerance, _REAL):
            raise CallRefused(f"`{name}=` of `isclose()` must be a number", unsupported=True)
    close = _closeness(a, b)
    scalar = not isinstance(a, types.Array) and not isinstance(b, types.Array)
    zero_d = not scalar and max(getattr(a, "ndim", 0), getattr(b, "ndim", 0)) == 0

    if scalar or zero_d:

        def isclose_scalar(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
            return close(a, b, rtol, atol, equal_nan)[()] if zero_d else close(a, b, rtol, atol, equal_nan)

        return isclose_scalar

    def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
        return close(a, b, rtol, atol, equal_nan)

    return isclose


def _closeness(a, b):
    """The function ``(a, b, rtol, atol, equal_nan)`` of :func:`isclose_typing`, on numbers or
    arrays."""
    as_float = _float_type(b)
    tolerance = np.finfo(as_float).dtype.type
    if isinstance(b, types.Array):

        def converted(b):
            return b.astype(as_float)

    else:

        def converted(b):
            return as_float(b)

    def close(a, b, rtol, atol, equal_nan):
        y = converted(b)
        finite = np.isfinite(y.real) & np.isfinite(y.imag)
        result = ((np.abs(a - y) <= tolerance(atol) + tolerance(rtol) * np.abs(y)) & finite) | (a == y)
        if equal_nan:
            result = result | ((np.isnan(a.real) | np.isnan(a.imag)) & (np.isnan(y.real) | np.isnan(y.imag)))
        return result

    return close


overload(np.isclose)(isclose_typing)


def allclose_typing(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """``np.allclose``: whether ``isclose`` holds everywhere, as a Python bool."""
    if not (_numeric(a) and _numeric(b)):
        return None
    close = _closeness(a, b)
    array = isinstance(a, types.Array) or isinstance(b, types.Array)

    def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
        result = close(a, b, rtol, atol, equal_nan)
        if array:
            return bool(result.all())
        return bool(result)

    return allclose


overload(np.allclose)(allclose_typing)


def array_equal_typing(a1, a2, equal_nan=False):
    """``np.array_equal`` of two arrays: the same shape and equal elements (NaNs equal with
    ``equal_nan``; a complex NaN has a NaN in either part), as a Python bool."""
    if not (isinstance(a1, types.Array) and isinstance(a2, types.Array) and _numeric(a1) and _numeric(a2)):
        return None
    if a1.ndim != a2.ndim:

        def different_shapes(a1, a2, equal_nan=False):
            return False

        return different_shapes

    def array_equal(a1, a2, equal_nan=False):
        if a1.shape != a2.shape:
            return False
        if not equal_nan:
            return bool((a1 == a2).all())
        nan1 = np.isnan(a1.real) | np.isnan(a1.imag)
        nan2 = np.isnan(a2.real) | np.isnan(a2.imag)
        return bool(((a1 == a2) | (nan1 & nan2)).all())

    return array_equal


overload(np.array_equal)(array_equal_typing)


# --- trace, take, diff -------------------------------------------------------------------------


def _moved_last(ndim, first, second):
    """The axes of ``ndim`` dimensions with ``first`` and ``second`` moved last, in that order."""
    return tuple(d for d in range(ndim) if d not in (first, second)) + (first, second)


def trace_typing(a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    """``np.trace``/``a.trace``: the sum of the diagonal ``offset`` (any integer, also at run
    time) of the 2-d planes of ``axis1`` and ``axis2`` (constants), in NumPy's accumulator type
    (``dtype=``); a scalar for a 2-d array, else an array over the other axes; ``out=``."""
    if not isinstance(a, types.Array) or not _numeric(a):
        return None
    refusal = ""
    if a.ndim < 2:
        refusal = "diag requires an array of at least two dimensions"
    else:
        first = _normalised_axis("trace", _constant("trace", "axis1", axis1), a.ndim)
        second = _normalised_axis("trace", _constant("trace", "axis2", axis2), a.ndim)
        if first == second:
            refusal = "axis1 and axis2 cannot be the same"
    if refusal:

        def trace_refused(a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
            raise ValueError(refusal)

        return trace_refused
    acc = _accumulator("trace", a.dtype, dtype)
    order = _moved_last(a.ndim, first, second)
    lead = a.ndim - 2

    def diagonal_sum(plane, offset):
        rows, columns = plane.shape
        total = acc(0)
        i = -offset if offset < 0 else 0
        j = offset if offset > 0 else 0
        while i < rows and j < columns:
            total += acc(plane[i, j])
            i += 1
            j += 1
        return total

    if lead == 0:

        def trace_plane(a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
            total = diagonal_sum(a.transpose(order), offset)
            return _delivered(total, out)

        return trace_plane

    def trace(a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
        planes = a.transpose(order)
        result = np.empty(planes.shape[:lead], acc)
        for index in np.ndindex(planes.shape[:lead]):
            result[index] = diagonal_sum(planes[index], offset)
        return _delivered(result, out)

    return trace


overload(np.trace, prefer_literal=True)(trace_typing)
overload_method(types.Array, "trace", prefer_literal=True)(trace_typing)


_TAKE_MODES = ("raise", "wrap", "clip")


def take_typing(a, indices, axis=None, out=None, mode="raise"):
    """``np.take``/``a.take``: the elements of ``a`` (flattened in C order without ``axis``;
    along the constant ``axis`` otherwise) at the integer ``indices`` (a number or an array of
    any shape), in a new C-ordered array (a scalar for a number of a flattened or 1-d array);
    ``mode`` ``'raise'`` (NumPy's ``IndexError``), ``'wrap'``, ``'clip'``; ``out=``."""
    if not isinstance(a, types.Array) or not _numeric(a):
        return None
    index_array = isinstance(indices, types.Array)
    index_type = indices.dtype if index_array else indices
    if not isinstance(index_type, types.Integer) or isinstance(index_type, types.Boolean):
        raise CallRefused("`indices` of `take()` must be integers or an array of integers")
    if isinstance(mode, str) or isinstance(mode, types.NoneType):
        chosen = "raise"
    elif isinstance(mode, types.StringLiteral) and mode.literal_value in _TAKE_MODES:
        chosen = mode.literal_value
    else:
        raise CallRefused("`mode=` of `take()` must be 'raise', 'wrap' or 'clip'", hint="write it as a constant string")
    wrap, clip = chosen == "wrap", chosen == "clip"
    along = _given(axis)
    k = _normalised_axis("take", _constant("take", "axis", axis), a.ndim) if along else 0
    ndim = a.ndim if along else 1
    # The taken axis moved first; the index dimensions then moved to its place.
    to_front = (k,) + tuple(d for d in range(ndim) if d != k)
    index_ndim = indices.ndim if index_array else 0
    back = tuple(range(index_ndim, index_ndim + k)) + tuple(range(index_ndim)) + tuple(range(index_ndim + k, index_ndim + ndim - 1))

    scalar_result = not index_array and ndim == 1

    def position(i, n):
        if wrap:
            return i % n if n > 0 else i
        if clip:
            return 0 if i < 0 else (n - 1 if i >= n else i)
        if i < -n or i >= n:
            index_error(i, k, n)
        return i + n if i < 0 else i

    if along:

        def taken_from(a):
            return a.transpose(to_front)

    else:

        def taken_from(a):
            return a.ravel()

    if index_array:

        def count_of(indices):
            return indices.size

    else:

        def count_of(indices):
            return 1

    def take(a, indices, axis=None, out=None, mode=None):
        source = taken_from(a)
        n = source.shape[0]
        if n == 0 and count_of(indices) > 0:
            raise IndexError("cannot do a non-empty take from an empty axes.")
        if index_array:
            positions = np.empty(indices.shape, np.int64)
            flat = positions.ravel()
            j = 0
            for i in indices.flat:
                flat[j] = position(i, n)
                j += 1
            result = source[positions].transpose(back).copy()
        elif scalar_result:
            result = source[position(indices, n)]
        else:
            result = source[position(indices, n)].copy()
        return _delivered(result, out)

    return take


overload(np.take, prefer_literal=True)(take_typing)
overload_method(types.Array, "take", prefer_literal=True)(take_typing)


def _strong_type(ty):
    """NumPy's dtype of ``np.asarray`` of an argument of type ``ty`` (a Python number is not
    weak there)."""
    return np.dtype(ty.dtype.name if isinstance(ty, types.Array) else types.unliteral(ty).name)


def _check_time_diff(a, n, prepend, append):
    """What ``np.diff`` of time values takes: ``prepend``/``append`` of the same kind (or, for
    timedeltas, integers: counts, as NumPy joins them); for datetimes, whose differences are
    timedeltas, no constant ``n=0`` (whose result would be the datetimes)."""
    kind = type(a.dtype)
    for end in (prepend, append):
        if not _given(end):
            continue
        values = end.dtype if isinstance(end, types.Array) else types.unliteral(end)
        if type(values) is kind or (kind is types.NPTimedelta and isinstance(values, types.Integer)):
            continue
        if is_time(values) or isinstance(values, types.Integer):
            raise CallRefused(f"`diff()` of `{a.dtype}` values cannot join `{end}` values: NumPy has no common type for them")
        raise CallRefused(f"`prepend=`/`append=` of `diff()` of `{a.dtype}` values must be {'datetime64' if kind is types.NPDatetime else 'timedelta64 or integer'} values or arrays of them, not `{end}`")
    constant_n = n.literal_value if isinstance(n, types.IntegerLiteral) else (n if isinstance(n, int) else None)
    if isinstance(a.dtype, types.NPDatetime) and constant_n == 0:
        raise CallRefused("`diff(n=0)` of datetimes is the datetimes themselves", hint="the differences of datetimes are timedeltas: use the array itself")


def diff_typing(a, n=1, axis=-1, prepend=None, append=None):
    """``np.diff``: the ``n``-th differences (``n`` also at run time; ``!=`` for booleans, as
    NumPy) along the constant ``axis``, after ``prepend`` and ``append`` (numbers, put at
    both ends with length 1, or arrays of ``a``'s dimensions) are joined to ``a`` along it, in
    their common type (a Python number is not weak here: NumPy joins arrays)."""
    times = isinstance(a, types.Array) and is_time(a.dtype)
    if not isinstance(a, types.Array) or not (_numeric(a) or times):
        return None
    if a.ndim == 0:
        raise CallRefused("`diff()` needs an array of at least 1 dimension", hint="NumPy raises ValueError: diff requires input that is at least one dimensional")
    if times:
        _check_time_diff(a, n, prepend, append)
    ndim = a.ndim
    k = _normalised_axis("diff", _constant("diff", "axis", axis), ndim)
    ends = [e for e in (prepend, append) if _given(e)]
    for end in ends:
        if not (_numeric(end) or times) or (isinstance(end, types.Array) and end.ndim not in (0, ndim)):
            raise CallRefused(f"`prepend=`/`append=` of `diff()` must be numbers or arrays of {ndim} dimensions")
    try:
        joined_type = element_of(np.result_type(*(_strong_type(t) for t in (a, *ends))))
    except TypeError as e:
        # Time units without a common one (months and hours).
        raise CallRefused(f"`diff()`: {e}") from None
    boolean = joined_type is np.bool_
    has_prepend, has_append = _given(prepend), _given(append)
    prepend_array = isinstance(prepend, types.Array) and prepend.ndim > 0
    append_array = isinstance(append, types.Array) and append.ndim > 0
    to_last = tuple(d for d in range(ndim) if d != k) + (k,)
    back = tuple(range(k)) + (ndim - 1,) + tuple(range(k, ndim - 1))

    # Compiled code raises constant messages: NumPy's names the order when it is a constant.
    negative_order = "order must be non-negative"
    constant_n = n.literal_value if isinstance(n, types.IntegerLiteral) else (n if isinstance(n, int) else None)
    if constant_n is not None:
        negative_order += f" but got {constant_n}"

    def end_writer(given, array, where):
        """The function ``(whole, end, start, stop)`` writing ``end`` (``prepend`` or
        ``append``) into ``whole[..., start:stop]`` (axis last), and ``end``'s length."""
        if array:

            def write_array(whole, end, start, stop):
                whole[..., start:stop] = end.transpose(to_last)

            def array_length(end):
                return end.shape[k]

            return write_array, array_length

        def write_number(whole, end, start, stop):
            if given:
                whole[..., start:stop] = end

        def number_length(end):
            return 1 if given else 0

        return write_number, number_length

    write_prepend, prepend_length = end_writer(has_prepend, prepend_array, "prepend")
    write_append, append_length = end_writer(has_append, append_array, "append")

    def joined(a, prepend, append):
        """``a`` with ``prepend`` and ``append`` joined along the axis, its axis last."""
        before = prepend_length(prepend)
        after = append_length(append)
        dims = _dimensions(a.shape)
        middle = dims[k]
        dims[k] = before + middle + after
        whole = np.empty(_tuple_of(dims, ndim), joined_type).transpose(to_last)
        write_prepend(whole, prepend, 0, before)
        whole[..., before : before + middle] = a.transpose(to_last)
        write_append(whole, append, before + middle, before + middle + after)
        return whole

    def step(values):
        if boolean:
            return values[..., 1:] != values[..., :-1]
        return values[..., 1:] - values[..., :-1]

    # With n = 0, NumPy returns `a` itself, not joined: of another type than the differences
    # when `prepend` or `append` changes it, which only a constant `n` can tell apart.
    retyped = joined_type != numpy_type(a.dtype)
    if retyped and constant_n == 0:

        def unchanged(a, n=1, axis=-1, prepend=None, append=None):
            return a

        return unchanged
    if retyped and constant_n is None:
        raise CallRefused("`n=` of `diff()` with `prepend=` or `append=` of another type than the array must be a constant", hint="write `n` as an integer literal")

    if retyped:

        # Never called: `n` is a constant other than 0.
        def no_difference(a):
            return a.astype(joined_type)

    else:

        def no_difference(a):
            return a

    if times and isinstance(a.dtype, types.NPDatetime):
        # The result is timedeltas, never the datetimes: `n=0` given when the call runs is refused
        # there (NumPy returns the datetimes).
        def diff_of_dates(a, n=1, axis=-1, prepend=None, append=None):
            if n < 0:
                raise ValueError(negative_order)
            if n == 0:
                raise ValueError("diff(n=0) of datetimes in compiled code: the result would be the datetimes, not timedeltas")
            differences = step(joined(a, prepend, append))
            for _ in range(n - 1):
                differences = step(differences)
            return differences.transpose(back)

        return diff_of_dates

    def diff(a, n=1, axis=-1, prepend=None, append=None):
        if n < 0:
            raise ValueError(negative_order)
        if n == 0:
            return no_difference(a)
        differences = step(joined(a, prepend, append))
        for _ in range(n - 1):
            differences = step(differences)
        return differences.transpose(back)

    return diff


overload(np.diff, prefer_literal=True)(diff_typing)


# --- products --------------------------------------------------------------------------------


def _strong_result(*tys):
    """NumPy's result type of arguments that NumPy converts to arrays first (a Python number is
    not weak there), as a NumPy scalar type."""
    return np.result_type(*(_strong_type(t) for t in tys)).type


def _flattener(ty):
    """The function giving the argument of type ``ty`` as a 1-d array in C order (a number as
    one element)."""
    if isinstance(ty, types.Array):

        def flattened(x):
            return x.ravel()

        return flattened
    number = numpy_type(ty)

    def one_element(x):
        values = np.empty(1, number)
        values[0] = x
        return values

    return one_element


def outer_typing(a, b, out=None):
    """``np.outer``: ``a.ravel()[i] * b.ravel()[j]`` in NumPy's result type; ``out=``."""
    if not (_numeric(a) and _numeric(b)):
        return None
    result = _strong_result(a, b)
    flat_a, flat_b = _flattener(a), _flattener(b)

    def outer(a, b, out=None):
        x, y = flat_a(a), flat_b(b)
        product = np.empty((x.size, y.size), result)
        for i in range(x.size):
            for j in range(y.size):
                product[i, j] = x[i] * y[j]
        return _delivered(product, out)

    return outer


overload(np.outer)(outer_typing)


def _conjugated(ty):
    """The function conjugating a complex array, leaving others as they are."""
    if isinstance(ty.dtype, types.Complex):

        def conjugate(x):
            return np.conjugate(x)

        return conjugate

    def unchanged(x):
        return x

    return unchanged


def vdot_typing(a, b):
    """``np.vdot``: the dot product of the flattened arrays, the first conjugated, in NumPy's
    result type (booleans: whether some pair is true in both)."""
    if not (isinstance(a, types.Array) and isinstance(b, types.Array) and _numeric(a) and _numeric(b)):
        return None
    result = _strong_result(a, b)
    conjugate = _conjugated(a)

    def vdot(a, b):
        x, y = conjugate(a.ravel()), b.ravel()
        if x.size != y.size:
            raise ValueError("cannot reshape array: the arrays of vdot() have different sizes")
        total = result(0)
        for i in range(x.size):
            total = result(total + x[i] * y[i])
        return total

    return vdot


overload(np.vdot)(vdot_typing)


def inner_typing(a, b):
    """``np.inner``: sums of products over the last axes of both arrays (a scalar for two 1-d
    arrays; of shape ``a.shape[:-1] + b.shape[:-1]`` otherwise), in NumPy's result type; a
    number times the other argument when either is a number or a 0-d array."""
    if not (_numeric(a) and _numeric(b)):
        return None
    result = _strong_result(a, b)
    if getattr(a, "ndim", 0) == 0 or getattr(b, "ndim", 0) == 0:
        raise CallRefused("`np.inner()` of a number or 0-d array is not supported in compiled code yet", hint="multiply instead", unsupported=True)
    lead_a, lead_b = a.ndim - 1, b.ndim - 1

    def inner(a, b):
        n = a.shape[a.ndim - 1]
        if b.shape[b.ndim - 1] != n:
            raise ValueError("shapes not aligned: the last dimensions of the arrays of inner() differ")
        x = a.copy().reshape((-1, n))
        y = b.copy().reshape((-1, n))
        sums = np.empty((x.shape[0], y.shape[0]), result)
        for i in range(x.shape[0]):
            for j in range(y.shape[0]):
                total = result(0)
                for k in range(n):
                    total = result(total + x[i, k] * y[j, k])
                sums[i, j] = total
        return sums.reshape(a.shape[:lead_a] + b.shape[:lead_b])

    if lead_a + lead_b == 0:

        def inner_vectors(a, b):
            return inner(a, b)[()]

        return inner_vectors
    return inner


overload(np.inner)(inner_typing)


def kron_typing(a, b):
    """``np.kron``: the Kronecker product, the arrays' shapes padded with leading 1s to the same
    number of dimensions, in NumPy's result type."""
    if not (isinstance(a, types.Array) and isinstance(b, types.Array) and _numeric(a) and _numeric(b)):
        return None
    result = _strong_result(a, b)
    ndim = max(a.ndim, b.ndim)
    pad_a, pad_b = ndim - a.ndim, ndim - b.ndim

    def padded(dims, pad):
        full = np.ones(ndim, np.int64)
        for d in range(dims.size):
            full[pad + d] = dims[d]
        return full

    def kron(a, b):
        dims_a = padded(_dimensions(a.shape), pad_a)
        dims_b = padded(_dimensions(b.shape), pad_b)
        product = np.empty(_tuple_of(dims_a * dims_b, ndim), result)
        flat = product.ravel()
        x, y = a.ravel(), b.ravel()
        for i in range(x.size):
            for j in range(y.size):
                # The position of (i, j): the digits of i and j in their shapes, interleaved.
                position = 0
                scale = 1
                rest_i, rest_j = i, j
                for d in range(ndim - 1, -1, -1):
                    position += ((rest_i % dims_a[d]) * dims_b[d] + rest_j % dims_b[d]) * scale
                    scale *= dims_a[d] * dims_b[d]
                    rest_i //= dims_a[d]
                    rest_j //= dims_b[d]
                flat[position] = x[i] * y[j]
        return product

    return kron


overload(np.kron)(kron_typing)


def _cross_takes_three_components_only():
    """Whether the running NumPy's ``np.cross`` refuses 2-vectors (NumPy 2.5; NumPy 2.0 to 2.4
    take them with a ``DeprecationWarning``): asked of NumPy itself."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            np.cross(np.zeros(2), np.zeros(3))
        except ValueError:
            return True
    return False


_CROSS_THREE_COMPONENTS_ONLY = _cross_takes_three_components_only()


def cross_typing(a, b):
    """``np.cross`` of vectors along the last axes, the other axes broadcast together, in
    NumPy's result type. Vectors have 3 components or, before NumPy 2.5, 2 or 3 (a 2-vector has
    a zero third component); two 2-vectors raise ``ValueError`` (NumPy gives the third
    component alone, deprecated)."""
    if not (isinstance(a, types.Array) and isinstance(b, types.Array) and _numeric(a) and _numeric(b)):
        return None
    if a.ndim == 0 or b.ndim == 0:
        return None
    if isinstance(a.dtype, types.Boolean) or isinstance(b.dtype, types.Boolean):
        raise CallRefused("`np.cross()` of booleans is not supported", hint="NumPy's subtraction of booleans raises TypeError")
    result = _strong_result(a, b)
    three_only = _CROSS_THREE_COMPONENTS_ONLY
    message = "incompatible dimensions for cross product\n(dimension must be 2 or 3)"
    vectors = a.ndim == 1 and b.ndim == 1
    # Its result would be a number or an array by the lengths, known when the call runs only.
    two_components = "np.cross() of two 2-vectors (deprecated by NumPy 2) is not supported in compiled code: give the vectors a third component 0"

    def check_sizes(size_a, size_b):
        # The running NumPy's refusal of the vectors' lengths.
        if three_only:
            if size_a != 3 or size_b != 3:
                raise ValueError(f"Both input arrays must be (arrays of) 3-dimensional vectors, but they are {size_a} and {size_b} dimensional instead.")
        elif (size_a != 2 and size_a != 3) or (size_b != 2 and size_b != 3):
            raise ValueError(message)

    def components(v):
        size = v.shape[v.ndim - 1]
        x, y = v[..., 0].astype(result), v[..., 1].astype(result)
        z = v[..., 2].astype(result) if size == 3 else np.zeros_like(x)
        return x, y, z, size

    def cross(a, b):
        check_sizes(a.shape[a.ndim - 1], b.shape[b.ndim - 1])
        ax, ay, az, size_a = components(a)
        bx, by, bz, size_b = components(b)
        if size_a == 2 and size_b == 2:
            raise ValueError(two_components)
        cz = ax * by - ay * bx
        cx = ay * bz - az * by
        cy = az * bx - ax * bz
        product = np.empty(cz.shape + (3,), result)
        product[..., 0] = cx
        product[..., 1] = cy
        product[..., 2] = cz
        return product

    if vectors:
        # Two 1-d vectors: their components are 0-d arrays.
        def cross_vectors(a, b):
            size_a, size_b = a.shape[0], b.shape[0]
            check_sizes(size_a, size_b)
            ax, ay = result(a[0]), result(a[1])
            bx, by = result(b[0]), result(b[1])
            az = result(a[2]) if size_a == 3 else result(0)
            bz = result(b[2]) if size_b == 3 else result(0)
            if size_a == 2 and size_b == 2:
                raise ValueError(two_components)
            product = np.empty(3, result)
            product[0] = ay * bz - az * by
            product[1] = az * bx - ax * bz
            product[2] = ax * by - ay * bx
            return product

        return cross_vectors
    return cross


overload(np.cross)(cross_typing)


# --- convolution, interpolation ------------------------------------------------------------------


def _mode(name, mode, default):
    """The constant mode of ``convolve``/``correlate``: ``'full'``, ``'same'`` or ``'valid'``."""
    if isinstance(mode, str):
        return mode
    if isinstance(mode, types.StringLiteral) and mode.literal_value in ("full", "same", "valid"):
        return mode.literal_value
    raise CallRefused(f"`mode=` of `{name}()` must be 'full', 'same' or 'valid'", hint="write it as a constant string")


@register_jitable
def _sliding_sums(x, y, mode_same, mode_full, result):
    """NumPy's correlation of ``x`` with ``y`` (``y`` not longer than ``x``): element ``i`` is
    ``sum(x[i - left + j] * y[j])`` over the ``j`` inside both, ``left`` and the length set
    by the mode as NumPy sets them."""
    n1, n2 = x.size, y.size
    if mode_full:
        left, length = n2 - 1, n1 + n2 - 1
    elif mode_same:
        left, length = n2 // 2, n1
    else:
        left, length = 0, n1 - n2 + 1
    sums = np.empty(length, result)
    for i in range(length):
        total = result(0)
        for j in range(n2):
            p = i - left + j
            if 0 <= p < n1:
                total = result(total + x[p] * y[j])
        sums[i] = total
    return sums


def _sliding_typing(name, conjugates):
    """``np.convolve`` (``conjugates`` False) or ``np.correlate`` of two 1-d arrays, in
    NumPy's result type, with ``mode=``."""
    default = "valid" if conjugates else "full"

    def typing(a, v, mode=default):
        if not (isinstance(a, types.Array) and isinstance(v, types.Array) and _numeric(a) and _numeric(v)):
            return None
        if a.ndim != 1 or v.ndim != 1:
            raise CallRefused(f"`np.{name}()` takes 1-dimensional arrays", hint="NumPy raises ValueError: object too deep for desired array")
        chosen = _mode(name, mode, default)
        same, full = chosen == "same", chosen == "full"
        result = _strong_result(a, v)

        if conjugates:
            conjugate = _conjugated(v)

            def correlate(a, v, mode=None):
                if a.size == 0:
                    raise ValueError("first array argument cannot be empty")
                if v.size == 0:
                    raise ValueError("second array argument cannot be empty")
                w = conjugate(v)
                if a.size >= w.size:
                    return _sliding_sums(a, w, same, full, result)
                # NumPy swaps the arguments and reverses the result.
                return _sliding_sums(w, a, same, full, result)[::-1].copy()

            return correlate

        def convolve(a, v, mode=None):
            if a.size == 0:
                raise ValueError("a cannot be empty")
            if v.size == 0:
                raise ValueError("v cannot be empty")
            if v.size > a.size:
                return _sliding_sums(v, a[::-1], same, full, result)
            return _sliding_sums(a, v[::-1], same, full, result)

        return convolve

    return typing


overload(np.convolve)(_sliding_typing("convolve", False))
overload(np.correlate)(_sliding_typing("correlate", True))


@register_jitable
def _interval(xp, x):
    """NumPy's interval of ``x`` among the increasing ``xp``: -1 below ``xp[0]``, ``xp.size``
    above the last, else the ``j`` with ``xp[j] <= x < xp[j + 1]`` (the last index for ``x``
    equal to the last point)."""
    n = xp.size
    if x > xp[n - 1]:
        return n
    if x < xp[0]:
        return -1
    low, high = 0, n - 1
    if x == xp[n - 1]:
        return n - 1
    while high - low > 1:
        middle = (low + high) // 2
        if x >= xp[middle]:
            low = middle
        else:
            high = middle
    return low


@register_jitable
def _interpolated(x, xp, fp, j, below, above):
    """The value at ``x`` (in interval ``j``, see ``_interval``) of the piecewise-linear
    function through ``(xp, fp)`` (real values), as NumPy computes it: its two other forms when
    the first is NaN (an infinite slope)."""
    n = xp.size
    if j == -1:
        return below
    if j == n:
        return above
    if j == n - 1 or xp[j] == x:
        return fp[j]
    slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j])
    value = slope * (x - xp[j]) + fp[j]
    if value != value:
        value = slope * (x - xp[j + 1]) + fp[j + 1]
        if value != value and fp[j] == fp[j + 1]:
            value = fp[j]
    return value


def interp_typing(x, xp, fp, left=None, right=None, period=None):
    """``np.interp``: the piecewise-linear interpolation through ``(xp, fp)`` (1-d; ``xp``
    increasing, as NumPy requires without checking) at ``x`` (a number, giving a float, or an
    array), in float64 (complex128 for complex ``fp``, each part interpolated alike);
    ``left``/``right`` below and above (``fp``'s ends by default); NaN ``x`` gives NaN (with
    one point, that point's value, as NumPy); ``period=`` as NumPy (points sorted stably)."""
    if not (_numeric(x) and isinstance(xp, types.Array) and isinstance(fp, types.Array) and _numeric(xp) and _numeric(fp)):
        return None
    periodic = _given(period)
    if periodic and not isinstance(period, _REAL):
        raise CallRefused("`period=` of `np.interp()` must be a number")
    if xp.ndim != 1 or fp.ndim != 1:
        raise CallRefused("`xp` and `fp` of `np.interp()` must be 1-dimensional", hint="NumPy raises ValueError: object too deep for desired array")
    if isinstance(x, types.Complex) or isinstance(getattr(x, "dtype", None), types.Complex) or isinstance(xp.dtype, types.Complex):
        raise CallRefused("`x` and `xp` of `np.interp()` must be real", hint="NumPy raises TypeError")
    complex_values = isinstance(fp.dtype, types.Complex)
    result = np.complex128 if complex_values else np.float64
    has_left, has_right = _given(left), _given(right)
    array_x = isinstance(x, types.Array)

    def end_value(given):
        """The function ``(value, default)`` giving ``left`` or ``right``."""
        if given:

            def value_given(value, default):
                return result(value)

            return value_given

        def value_of_fp(value, default):
            return default

        return value_of_fp

    left_value, right_value = end_value(has_left), end_value(has_right)

    def at(value, points, values, below, above):
        """The interpolation at one ``value``."""
        if points.size == 1:
            # NumPy's one-point loop: a NaN `value` is neither below nor above.
            return below if value < points[0] else (above if value > points[0] else values[0])
        if value != value:
            return result(value)
        j = _interval(points, value)
        if complex_values:
            re = _interpolated(value, points, values.real, j, below.real, above.real)
            im = _interpolated(value, points, values.imag, j, below.imag, above.imag)
            return result(complex(re, im))
        return result(_interpolated(value, points, values, j, below, above))

    if array_x:

        def positions(x):
            return x.astype(np.float64)

    else:

        def positions(x):
            values = np.empty(1, np.float64)
            values[0] = x
            return values

    if periodic:

        def prepared(x, xp, fp, left, right, period):
            """NumPy's periodic case: ``x`` and ``xp`` modulo the period, the points sorted
            and extended by one period at each end; ``left``/``right`` ignored."""
            if period == 0:
                raise ValueError("period must be a non-zero value")
            if fp.size != xp.size:
                raise ValueError("fp and xp are not of the same length")
            span = abs(np.float64(period))
            where = positions(x) % span
            n = xp.size
            order = np.empty(n, np.int64)
            reduced = xp.astype(np.float64) % span
            # Insertion sort of the positions by their reduced points (stable).
            for i in range(n):
                j = i
                while j > 0 and reduced[order[j - 1]] > reduced[i]:
                    order[j] = order[j - 1]
                    j -= 1
                order[j] = i
            points = np.empty(n + 2, np.float64)
            values = np.empty(n + 2, result)
            for i in range(n):
                points[i + 1] = reduced[order[i]]
                values[i + 1] = result(fp[order[i]])
            if n > 0:
                points[0] = points[n] - span
                values[0] = values[n]
                points[n + 1] = points[1] + span
                values[n + 1] = values[1]
            return where, points[: n + 2 if n > 0 else 0], values[: n + 2 if n > 0 else 0], values[0], values[n + 1]

    else:

        def prepared(x, xp, fp, left, right, period):
            if xp.size == 0:
                raise ValueError("array of sample points is empty")
            if fp.size != xp.size:
                raise ValueError("fp and xp are not of the same length.")
            points = xp.astype(np.float64)
            values = fp.astype(result)
            if values.size == 0:
                return positions(x), points, values, result(0), result(0)
            below = left_value(left, values[0])
            above = right_value(right, values[values.size - 1])
            return positions(x), points, values, below, above

    def interp(x, xp, fp, left=None, right=None, period=None):
        where, points, values, below, above = prepared(x, xp, fp, left, right, period)
        if points.size == 0:
            raise ValueError("array of sample points is empty")
        interpolated = np.empty(where.shape, result)
        flat = interpolated.ravel()
        k = 0
        for value in where.flat:
            flat[k] = at(value, points, values, below, above)
            k += 1
        return interpolated

    if array_x:
        return interp

    def interp_number(x, xp, fp, left=None, right=None, period=None):
        return interp(x, xp, fp, left, right, period)[0]

    return interp_number


overload(np.interp)(interp_typing)


# --- element-wise forms ----------------------------------------------------------------------------


def real_typing(val):
    """``np.real``: the real part (a view of a complex array's; the array itself otherwise)."""
    if not _numeric(val):
        return None

    def real(val):
        return val.real

    return real


def imag_typing(val):
    """``np.imag``: the imaginary part (a view of a complex array's; zeros otherwise)."""
    if not _numeric(val):
        return None

    def imag(val):
        return val.imag

    return imag


overload(np.real)(real_typing)
overload(np.imag)(imag_typing)


def angle_typing(z, deg=False):
    """``np.angle``: ``arctan2(z.imag, z.real)``, in degrees with ``deg``."""
    if not _numeric(z):
        return None
    dtype = z.dtype if isinstance(z, types.Array) else z
    # Degrees in the type of the angle: float32 for float32 parts, else float64.
    unit = np.float32 if dtype.name in ("float32", "complex64") else np.float64
    degrees = unit(180.0 / np.pi)

    def angle(z, deg=False):
        a = np.arctan2(z.imag, z.real)
        if deg:
            return a * degrees
        return a

    return angle


overload(np.angle)(angle_typing)


def nan_to_num_typing(x, copy=True, nan=0.0, posinf=None, neginf=None):
    """``np.nan_to_num``: NaN replaced by ``nan``, infinities by ``posinf``/``neginf`` (the
    largest finite values of the type by default), in each part of a complex number; booleans
    and integers unchanged; ``copy=False`` (a constant) replaces in place and returns ``x``."""
    if not _numeric(x):
        return None
    if isinstance(copy, types.BooleanLiteral):
        copy = copy.literal_value
    if not isinstance(copy, bool):
        raise CallRefused("`copy=` of `nan_to_num()` must be written `True` or `False`")
    dtype = x.dtype if isinstance(x, types.Array) else x
    inexact = isinstance(dtype, (types.Float, types.Complex))
    part = np.finfo(numpy_type(dtype)).dtype.type if inexact else None
    largest = float(np.finfo(part).max) if inexact else 0.0
    number = numpy_type(dtype)

    def replacement(given, default):
        if _given(given):

            def given_value(value):
                return part(value)

            return given_value

        def default_value(value):
            return part(default)

        return default_value

    high, low = replacement(posinf, largest), replacement(neginf, -largest)

    def finite(v, nan, posinf, neginf):
        if v != v:
            return part(nan)
        if v == np.inf:
            return high(posinf)
        if v == -np.inf:
            return low(neginf)
        return v

    if isinstance(dtype, types.Complex):

        def replaced(v, nan, posinf, neginf):
            return number(complex(finite(v.real, nan, posinf, neginf), finite(v.imag, nan, posinf, neginf)))

    elif inexact:

        def replaced(v, nan, posinf, neginf):
            return number(finite(v, nan, posinf, neginf))

    else:

        def replaced(v, nan, posinf, neginf):
            return v

    if not isinstance(x, types.Array):

        def nan_to_num_number(x, copy=True, nan=0.0, posinf=None, neginf=None):
            return replaced(x, nan, posinf, neginf)

        return nan_to_num_number

    if copy:

        def target(x):
            return x.copy()

    else:

        def target(x):
            return x

    def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
        result = target(x)
        if inexact:
            for index in np.ndindex(result.shape):
                result[index] = replaced(result[index], nan, posinf, neginf)
        return result

    return nan_to_num


overload(np.nan_to_num, prefer_literal=True)(nan_to_num_typing)


# --- polynomials, integration, unwrapping ----------------------------------------------------


def polyval_typing(p, x):
    """``np.polyval``: Horner's scheme, ``y = y * x + p[i]`` from ``y = 0`` of ``x``'s type,
    in NumPy's result type; a number for a number ``x``."""
    if not (isinstance(p, types.Array) and _numeric(p) and _numeric(x)):
        return None
    result = _strong_result(p, x)
    array_x = isinstance(x, types.Array)

    def evaluated(value, coefficients):
        y = result(0)
        for c in coefficients:
            y = result(y * result(value) + result(c))
        return y

    if not array_x:

        def polyval_number(p, x):
            return evaluated(x, p.ravel())

        return polyval_number

    def polyval(p, x):
        coefficients = p.ravel()
        y = np.empty(x.shape, result)
        flat = y.ravel()
        k = 0
        for value in x.flat:
            flat[k] = evaluated(value, coefficients)
            k += 1
        return y

    return polyval


overload(np.polyval)(polyval_typing)


def trapezoid_typing(y, x=None, dx=1.0, axis=-1):
    """``np.trapezoid``: ``sum(d * (y[i + 1] + y[i]) / 2)`` along the constant ``axis``,
    ``d`` the differences of a 1-d ``x`` or the spacing ``dx`` (a number), in NumPy's result
    type; a number for a 1-d ``y``."""
    if not (isinstance(y, types.Array) and _numeric(y)) or y.ndim == 0:
        return None
    has_x = _given(x)
    if has_x and not (isinstance(x, types.Array) and x.ndim == 1 and _numeric(x)):
        raise CallRefused("`x=` of `trapezoid()` must be a 1-d array in compiled code", unsupported=True)
    ndim = y.ndim
    k = _normalised_axis("trapezoid", _constant("trapezoid", "axis", axis), ndim)
    spacing = x if has_x else (dx if isinstance(dx, types.Type) else types.float64)
    result = np.result_type(_operand(spacing) if not has_x else np.dtype(x.dtype.name), np.dtype(y.dtype.name), 2.0).type
    to_last = tuple(d for d in range(ndim) if d != k) + (k,)
    lead = ndim - 1

    if has_x:

        def step(x, dx, i):
            return result(x[i + 1] - x[i])

        def check_length(x, n):
            if x.shape[0] != n:
                raise ValueError("operands could not be broadcast together: x and y differ in length along the axis")

    else:

        def step(x, dx, i):
            return result(dx)

        def check_length(x, n):
            return None

    def area(values, x, dx):
        n = values.shape[0]
        check_length(x, n)
        total = result(0)
        for i in range(n - 1):
            total += step(x, dx, i) * (result(values[i + 1]) + result(values[i])) / result(2.0)
        return total

    if lead == 0:

        def trapezoid_line(y, x=None, dx=1.0, axis=-1):
            return area(y, x, dx)

        return trapezoid_line

    def trapezoid(y, x=None, dx=1.0, axis=-1):
        lanes = y.transpose(to_last)
        areas = np.empty(lanes.shape[:lead], result)
        for index in np.ndindex(lanes.shape[:lead]):
            areas[index] = area(lanes[index], x, dx)
        return areas

    return trapezoid


overload(np.trapezoid, prefer_literal=True)(trapezoid_typing)


def ediff1d_typing(ary, to_end=None, to_begin=None):
    """``np.ediff1d``: the differences of the flattened array, after ``to_begin`` and before
    ``to_end`` (numbers or arrays, flattened), in the array's type (NumPy's ``TypeError`` for
    ends it does not cast to it under ``same_kind``)."""
    if not (isinstance(ary, types.Array) and _numeric(ary)):
        return None
    dtype = numpy_type(ary.dtype)
    writers = []
    for name, end in (("to_begin", to_begin), ("to_end", to_end)):
        if _given(end):
            if not _numeric(end):
                raise CallRefused(f"`{name}=` of `ediff1d()` must be a number or an array of numbers")
            if not np.can_cast(_strong_type(end), dtype, "same_kind"):
                message = f"dtype of `{name}` must be compatible with input `ary` under the `same_kind` rule."

                def refused(ary, to_end=None, to_begin=None):
                    raise TypeError(message)

                return refused
        writers.append(_flattener(end) if _given(end) else None)
    begin_flat, end_flat = writers

    def none_given(end):
        return np.empty(0, dtype)

    begin_values = begin_flat or none_given
    end_values = end_flat or none_given
    boolean = dtype is np.bool_

    def ediff1d(ary, to_end=None, to_begin=None):
        if boolean:
            raise TypeError(
                "numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the `^` operator, or the logical_xor function instead."
            )
        flat = ary.ravel()
        before = begin_values(to_begin)
        after = end_values(to_end)
        n = max(flat.size - 1, 0)
        joined = np.empty(before.size + n + after.size, dtype)
        joined[: before.size] = before
        for i in range(n):
            joined[before.size + i] = flat[i + 1] - flat[i]
        joined[before.size + n :] = after
        return joined

    return ediff1d


overload(np.ediff1d)(ediff1d_typing)


def unwrap_typing(p, discont=None, axis=-1, period=2 * np.pi):
    """``np.unwrap``: along the constant ``axis``, differences beyond ``discont`` (half the
    period by default) corrected by multiples of ``period``, as NumPy computes them (float
    input)."""
    if not (isinstance(p, types.Array) and isinstance(p.dtype, types.Float)) or p.ndim == 0:
        return None
    ndim = p.ndim
    k = _normalised_axis("unwrap", _constant("unwrap", "axis", axis), ndim)
    result = numpy_type(p.dtype)
    to_last = tuple(d for d in range(ndim) if d != k) + (k,)
    if _given(discont):

        def threshold(discont, period):
            return discont

    else:

        def threshold(discont, period):
            return period / 2

    def unwrap(p, discont=None, axis=-1, period=2 * np.pi):
        lanes = p.transpose(to_last)
        unwrapped = np.empty(lanes.shape, result)
        unwrapped[...] = lanes
        flat_lanes = unwrapped.reshape((-1, lanes.shape[ndim - 1]))
        # In the array's type, as NumPy (a Python float period is weak).
        whole = result(period)
        high = result(period / 2)
        low = -high
        limit = threshold(discont, period)
        for r in range(flat_lanes.shape[0]):
            correction = result(0)
            previous = flat_lanes[r, 0]
            for i in range(1, flat_lanes.shape[1]):
                current = flat_lanes[r, i]
                d = result(current - previous)
                wrapped = result(result((d - low) % whole) + low)
                if wrapped == low and d > 0:
                    wrapped = high
                fix = result(wrapped - d)
                if abs(d) < limit:
                    fix = result(0)
                correction += fix
                flat_lanes[r, i] = result(current + correction)
                previous = current
        return _moved_back(unwrapped, k)

    return unwrap


def _moved_back(values, k):
    """``values`` (an axis moved last) with that axis back at ``k``."""


@overload(_moved_back)
def _moved_back_typing(values, k):
    ndim = values.ndim
    if not isinstance(k, types.IntegerLiteral):
        return None
    place = k.literal_value
    back = tuple(range(place)) + (ndim - 1,) + tuple(range(place, ndim - 1))

    def moved_back(values, k):
        return values.transpose(back)

    return moved_back


overload(np.unwrap, prefer_literal=True)(unwrap_typing)


# --- selections --------------------------------------------------------------------------------


def extract_typing(condition, arr):
    """``np.extract``: the elements of the flattened ``arr`` where the flattened ``condition``
    is nonzero (NumPy's ``IndexError`` for a true condition beyond ``arr``)."""
    if not (isinstance(condition, types.Array) and isinstance(arr, types.Array) and _numeric(arr)):
        return None

    def extract(condition, arr):
        flat = arr.ravel()
        chosen = condition.ravel()
        count = 0
        for i in range(chosen.size):
            if chosen[i] != 0:
                count += 1
        picked = np.empty(count, flat.dtype)
        k = 0
        for i in range(chosen.size):
            if chosen[i] != 0:
                if i >= flat.size:
                    index_error(i, 0, flat.size)
                picked[k] = flat[i]
                k += 1
        return picked

    return extract


overload(np.extract)(extract_typing)


def place_typing(arr, mask, vals):
    """``np.place``: the elements of ``arr`` where ``mask`` is true (both in C order) set to
    ``vals`` in turn, repeated as needed; NumPy's ``ValueError``s."""
    if not (isinstance(arr, types.Array) and isinstance(mask, types.Array) and _numeric(vals)):
        return None
    values_of = _flattener(vals)

    def place(arr, mask, vals):
        if mask.size != arr.size:
            raise ValueError("place: mask and data must be the same size")
        values = values_of(vals)
        chosen = mask.ravel()
        k = 0
        taken = 0
        for index in np.ndindex(arr.shape):
            if chosen[k]:
                if values.size == 0:
                    raise ValueError("Cannot insert from an empty array!")
                arr[index] = values[taken % values.size]
                taken += 1
            k += 1

    return place


overload(np.place)(place_typing)


def put_typing(a, ind, v, mode="raise"):
    """``np.put``: ``a.flat[ind] = v`` (``ind`` and ``v`` numbers or arrays, ``v`` repeated as
    needed), ``mode`` ``'raise'`` (NumPy's ``IndexError``), ``'wrap'``, ``'clip'``."""
    if not (isinstance(a, types.Array) and _numeric(ind) and _numeric(v)):
        return None
    index_type = ind.dtype if isinstance(ind, types.Array) else ind
    if not isinstance(index_type, types.Integer) or isinstance(index_type, types.Boolean):
        raise CallRefused("`ind` of `put()` must be integers or an array of integers")
    if isinstance(mode, str) or isinstance(mode, types.NoneType):
        chosen = "raise"
    elif isinstance(mode, types.StringLiteral) and mode.literal_value in _TAKE_MODES:
        chosen = mode.literal_value
    else:
        raise CallRefused("`mode=` of `put()` must be 'raise', 'wrap' or 'clip'", hint="write it as a constant string")
    wrap, clip = chosen == "wrap", chosen == "clip"
    indices_of, values_of = _flattener(ind), _flattener(v)

    def put(a, ind, v, mode=None):
        indices = indices_of(ind)
        values = values_of(v)
        n = a.size
        if values.size == 0 or indices.size == 0:
            return None
        if n == 0:
            raise IndexError("cannot replace elements of an empty array")
        for j in range(indices.size):
            i = indices[j]
            if wrap:
                i = i % n
            elif clip:
                i = 0 if i < 0 else (n - 1 if i >= n else i)
            elif i < -n or i >= n:
                index_error(i, 0, n)
            elif i < 0:
                i += n
            a.flat[i] = values[j % values.size]
        return None

    return put


overload(np.put)(put_typing)


def select_typing(condlist, choicelist, default=0):
    """``np.select`` of tuples of conditions (boolean arrays or bools) and choices (numbers or
    arrays): where the first true condition picks its choice, ``default`` elsewhere, all
    broadcast together, in NumPy's result type of the choices and ``default`` (a Python number
    is weak); NumPy's errors."""
    if not (isinstance(condlist, types.BaseTuple) and isinstance(choicelist, types.BaseTuple)):
        return None
    count = len(condlist.types)
    refusal = None
    if count == 0:
        refusal = (ValueError, "select with an empty condition list is not possible")
    elif len(choicelist.types) != count:
        refusal = (ValueError, "list of cases must be same length as list of conditions")
    else:
        for i, condition in enumerate(condlist.types):
            kind = condition.dtype if isinstance(condition, types.Array) else condition
            if not isinstance(kind, types.Boolean):
                refusal = (TypeError, f"invalid entry {i} in condlist: should be boolean ndarray")
                break
    if refusal is not None:
        error, message = refusal
        if error is ValueError:

            def select_refused(condlist, choicelist, default=0):
                raise ValueError(message)

            return select_refused

        def select_wrong_condition(condlist, choicelist, default=0):
            raise TypeError(message)

        return select_wrong_condition
    if not all(_numeric(t) for t in choicelist.types):
        raise CallRefused("the choices of `select()` must be numbers or arrays of numbers")
    default_type = default if isinstance(default, types.Type) else types.int64
    result = _result_type(*choicelist.types, default_type)

    def select(condlist, choicelist, default=0):
        return _chosen(condlist, choicelist, result(default), result, 0)

    return select


def _chosen(condlist, choicelist, fallback, result, first):
    """The selection of ``np.select`` over the conditions from ``first`` on (a constant), with
    ``fallback`` where none holds, in ``result``."""


@overload(_chosen, prefer_literal=True)
def _chosen_typing(condlist, choicelist, fallback, result, first):
    if not isinstance(first, types.IntegerLiteral):
        return None
    k = first.literal_value
    if k == len(condlist.types):

        def nothing_more(condlist, choicelist, fallback, result, first):
            return fallback

        return nothing_more
    after = k + 1
    choice = choicelist.types[k]
    if isinstance(choice, types.Array):

        def converted(value, result):
            return value.astype(result)

    else:

        def converted(value, result):
            return result(value)

    def chosen(condlist, choicelist, fallback, result, first):
        return np.where(condlist[k], converted(choicelist[k], result), _chosen(condlist, choicelist, fallback, result, after))

    return chosen


overload(np.select)(select_typing)


def gradient_typing(f, spacing=None, *, axis=None, edge_order=1):
    """``np.gradient`` with one scalar spacing (1 by default) for every axis: central
    differences inside, one-sided ones of ``edge_order`` 1 or 2 at the ends, as NumPy computes
    them (float64 for integers, the type itself for floats and complex numbers); along the
    constant ``axis=``, or every axis (a tuple of arrays for 2 or 3 dimensions). The
    implementations take ``axis`` and ``edge_order`` by keyword or position (compiled code has
    no keyword-only parameters): this typing function keeps NumPy's keyword-only ones."""
    if not (isinstance(f, types.Array) and _numeric(f)) or f.ndim == 0:
        return None
    if isinstance(f.dtype, types.Boolean):
        raise CallRefused("`np.gradient()` of booleans is not supported", hint="NumPy's subtraction of booleans raises TypeError")
    if _given(spacing) and not isinstance(spacing, _REAL):
        raise CallRefused("the spacing of `np.gradient()` must be one number in compiled code", hint="coordinates and one spacing per axis are not supported yet", unsupported=True)
    ndim = f.ndim
    result = numpy_type(f.dtype) if isinstance(f.dtype, (types.Float, types.Complex)) else np.float64
    # Coefficients as NumPy's Python floats: weak, in the type of the values.
    real = np.finfo(result).dtype.type
    order = _constant("gradient", "edge_order", edge_order)
    if order not in (1, 2):

        def wrong_order(f, spacing=None, axis=None, edge_order=1):
            raise ValueError("'edge_order' greater than 2 not supported")

        return wrong_order
    too_small = "Shape of array too small to calculate a numerical gradient, at least (edge_order + 1) elements are required."
    if _given(spacing):

        def step_of(spacing):
            return np.float64(spacing)

    else:

        def step_of(spacing):
            return np.float64(1.0)

    def along(k):
        to_last = tuple(d for d in range(ndim) if d != k) + (k,)
        back = tuple(range(k)) + (ndim - 1,) + tuple(range(k, ndim - 1))

        def gradient_along(f, spacing):
            lanes = f.transpose(to_last)
            n = lanes.shape[ndim - 1]
            if n < order + 1:
                raise ValueError(too_small)
            dx = step_of(spacing)
            values = np.empty(lanes.shape, result)
            values[...] = lanes
            out = np.empty(lanes.shape, result)
            flat_values = values.reshape((-1, n))
            flat_out = out.reshape((-1, n))
            twice = real(2.0 * dx)
            for r in range(flat_values.shape[0]):
                v = flat_values[r]
                for i in range(1, n - 1):
                    flat_out[r, i] = (v[i + 1] - v[i - 1]) / twice
                if order == 1:
                    flat_out[r, 0] = (v[1] - v[0]) / real(dx)
                    flat_out[r, n - 1] = (v[n - 1] - v[n - 2]) / real(dx)
                else:
                    flat_out[r, 0] = real(-1.5 / dx) * v[0] + real(2.0 / dx) * v[1] + real(-0.5 / dx) * v[2]
                    flat_out[r, n - 1] = real(0.5 / dx) * v[n - 3] + real(-2.0 / dx) * v[n - 2] + real(1.5 / dx) * v[n - 1]
            return out.transpose(back)

        return gradient_along

    if _given(axis) or ndim == 1:
        k = _normalised_axis("gradient", _constant("gradient", "axis", axis), ndim) if _given(axis) else 0
        one = along(k)

        def gradient(f, spacing=None, axis=None, edge_order=1):
            return one(f, spacing)

        return gradient
    if ndim == 2:
        first, second = along(0), along(1)

        def gradient_2d(f, spacing=None, axis=None, edge_order=1):
            return first(f, spacing), second(f, spacing)

        return gradient_2d
    if ndim == 3:
        first, second, third = along(0), along(1), along(2)

        def gradient_3d(f, spacing=None, axis=None, edge_order=1):
            return first(f, spacing), second(f, spacing), third(f, spacing)

        return gradient_3d
    raise CallRefused("`np.gradient()` along every axis of more than 3 dimensions is not supported yet", hint="give `axis=`", unsupported=True)


overload(np.gradient, prefer_literal=True)(gradient_typing)
