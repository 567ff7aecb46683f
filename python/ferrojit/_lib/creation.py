"""NumPy functions that create arrays: ``np.zeros``, ``np.ones``, ``np.full``, their ``*_like``
forms and ``np.empty_like``, ``np.arange``, ``np.eye``, ``np.identity``, ``np.linspace``.

They are written on top of the two the compiler implements: ``np.empty(shape, dtype, order)``,
which allocates an array in C or Fortran order (and raises NumPy's ``ValueError`` for a
negative dimension), and ``a.fill(value)``, which sets every element, converted to the array's
type. Their typing functions read the static arguments (``dtype=``, ``order=``, the shape's
form, which arguments were given) and return an implementation specialised for them; an
argument value NumPy accepts and compiled code does not support yet is refused when given.

For callers compiled with ``parallel=True``, ``np.ones``, ``np.full``, their ``_like`` forms
(and ``np.zeros_like``), ``np.arange`` and ``np.linspace`` fill large arrays on the pool (see
``pool``): each element computed from its index by the serial code, so bit for bit the serial
result.
"""

import numpy as np

from .. import types
from ..errors import TypingError
from ..extending import CallRefused, _parallel_implementation, overload, register_jitable
from . import zeros as _cleared
from .dtypes import element_of, is_time, numpy_type
from .pool import memory_flat, runner

# NumPy's element types that compiled arrays hold, by ``np.dtype(...).name``.
_ELEMENT_TYPES = frozenset(
    ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32", "float64", "complex64", "complex128"]
)
_DTYPE_HINT = "pass a NumPy scalar type such as `np.float64`, a Python `float`/`int`/`bool`/`complex`, a name such as `\"float32\"`, or `a.dtype`"
_REAL = (types.Boolean, types.Integer, types.Float)
_NUMBER = (*_REAL, types.Complex)


def _given(value):
    """Whether the caller wrote the argument: a typing function sees a written argument as a
    type, and one left out as the parameter's own default (a plain Python value)."""
    return isinstance(value, types.Type)


def _present(value):
    """Whether the caller wrote the argument, and not as None."""
    return _given(value) and not isinstance(value, types.NoneType)


def _check_device(name, device):
    """``device=`` may be None or ``"cpu"``, NumPy's only device."""
    if _present(device) and not (isinstance(device, types.StringLiteral) and device.literal_value == "cpu"):
        raise CallRefused(f"`device=` of `{name}()` must be None or \"cpu\"", hint="NumPy arrays live on the CPU only")


def _check_like(name, like):
    """``like=`` may be None: compiled code makes NumPy arrays only."""
    if _present(like):
        raise CallRefused(f"`{name}(like=...)` is not supported in compiled code yet", hint="only `like=None` is", unsupported=True)


def _memory_order(name, order, allowed, default):
    """The memory order an ``order=`` argument names, one of the letters ``allowed`` (``"CF"``
    for a new array, ``"CFAK"`` for one made like another), in either case as NumPy reads it;
    ``default`` when the call leaves it out or writes None."""
    if not _present(order):
        return default
    text = order.literal_value if isinstance(order, types.StringLiteral) else None
    if text is not None and len(text) == 1 and text.upper() in allowed:
        return text.upper()
    choices = ", ".join(f"'{letter}'" for letter in allowed)
    raise CallRefused(f"`order=` of `{name}()` must be one of {choices}", hint="write the order as a constant string, such as `order='F'`")


def _new_array_options(name, order, device, like):
    """Checks the options every function making a new array takes; returns its memory order,
    ``"C"`` or ``"F"``."""
    _check_device(name, device)
    _check_like(name, like)
    return _memory_order(name, order, "CF", "C")


def _element_type(dtype, default):
    """The NumPy scalar type a ``dtype=`` argument names (``np.float32``, ``float``, a name such
    as ``"f4"``, an array's ``dtype``), or ``default`` when it is absent or None."""
    if not _present(dtype):
        return default
    if isinstance(dtype, types.DTypeSpec):
        return numpy_type(dtype.dtype)
    if isinstance(dtype, types.StringLiteral):
        try:
            named = np.dtype(dtype.literal_value)
        except (TypeError, ValueError):
            named = None
        if named is not None and named.isnative and (named.name in _ELEMENT_TYPES or named.kind in "mM"):
            return element_of(named)
    raise CallRefused("unsupported `dtype`", hint=_DTYPE_HINT)


def _check_shape(shape):
    """A shape is an integer or a tuple of integers (NumPy refuses booleans)."""
    if isinstance(shape, types.Integer) or (isinstance(shape, types.BaseTuple) and all(isinstance(t, types.Integer) for t in shape)):
        return
    raise CallRefused(f"an array shape must be an integer or a tuple of integers, not `{shape}`")


def _shape_ndim(shape):
    """The number of dimensions of a (checked) shape argument."""
    return 1 if isinstance(shape, types.Integer) else len(shape)


def _fill_setter(value, element, ndim, parallel=False):
    """The function ``(array, value) -> None`` that stores ``value`` into every element of a
    new array of ``ndim`` dimensions holding ``element``, as NumPy's ``copyto`` does: a scalar
    is converted, an array is broadcast into the shape and converted. Complex values go only to
    complex types. With ``parallel`` (a caller compiled with ``parallel=True``), on the pool
    when the array is large (see ``pool``)."""
    value_type = value.dtype if isinstance(value, types.Array) else value
    kind = np.dtype(element).kind
    if kind in "mM":
        # Time values of the same kind (converted to the element's unit) or integers (counts).
        same_kind = types.NPDatetime if kind == "M" else types.NPTimedelta
        storable = isinstance(value_type, (same_kind, types.Integer))
    else:
        storable = isinstance(value_type, _NUMBER) and (kind == "c" or not isinstance(value_type, types.Complex))
    if not storable:
        raise CallRefused(
            f"cannot store a `{value}` into an array of `{np.dtype(element).name}`",
            hint="pass a number or an array of numbers of a compatible type",
        )
    if not isinstance(value, types.Array):
        return _scalar_fill(parallel)
    if value.ndim > ndim:
        raise CallRefused(
            f"cannot broadcast a {value.ndim}-dimensional fill value into a {ndim}-dimensional array",
            hint="give a fill value with at most as many dimensions as the shape (drop its leading dimensions of length 1)",
        )

    def fill_with_array(array, value):
        array[...] = value

    # Compiled with parallel=True, the assignment is a whole-array map, on the pool when large.
    return _parallel_implementation(fill_with_array) if parallel else fill_with_array


def _scalar_fill(parallel):
    """The function ``(array, value) -> None`` that sets every element of a new C- or
    Fortran-ordered array to the scalar ``value``, converted (``array.fill``); with
    ``parallel``, each chunk of the elements in memory order filled on the pool when the array
    is large (the same conversion)."""
    if not parallel:

        def fill_with_scalar(array, value):
            array.fill(value)

        return fill_with_scalar

    def fill_run(args, first, last):
        flat, value = args
        flat[first:last].fill(value)

    run = runner(fill_run)

    def fill_with_scalar_on_pool(array, value):
        flat = memory_flat(array)
        run((flat, value), flat.size, flat.size)

    return fill_with_scalar_on_pool


# ---- np.zeros, np.ones, np.full -----------------------------------------------------------------


def _filled_with(name, value):
    """The typing function of ``np.zeros`` (``value`` 0) or ``np.ones`` (``value`` 1):
    float64 unless ``dtype`` is given."""

    def typing(shape, dtype=None, order=None, *, device=None, like=None, _caller_parallel=False):
        layout = _new_array_options(name, order, device, like)
        _check_shape(shape)
        element = _element_type(dtype, np.float64)
        fill = _scalar_fill(_caller_parallel)

        def filled(shape, dtype=None, order=None, device=None, like=None):
            a = np.empty(shape, element, layout)
            fill(a, value)
            return a

        def cleared(shape, dtype=None, order=None, device=None, like=None):
            return _cleared(shape, element, layout)

        # Zero is every dtype's all-zero bytes (the time types' 0 too, and False).
        return cleared if value == 0 else filled

    return typing


overload(np.zeros)(_filled_with("np.zeros", 0))
# `np.ones`, `np.full`, their `_like` forms, `np.arange` and `np.linspace` fill their arrays on
# the pool for callers compiled with parallel=True (see `pool`).
overload(np.ones, _sees_caller_parallel=True)(_filled_with("np.ones", 1))


@overload(np.full, _sees_caller_parallel=True)
def full(shape, fill_value, dtype=None, order="C", *, device=None, like=None, _caller_parallel=False):
    """Of the fill value's type (an array's element type) unless ``dtype`` is given; an array
    fill value is broadcast into the shape."""
    layout = _new_array_options("np.full", order, device, like)
    _check_shape(shape)
    value_type = fill_value.dtype if isinstance(fill_value, types.Array) else fill_value
    element = _element_type(dtype, numpy_type(value_type) if isinstance(value_type, _NUMBER) or is_time(value_type) else np.float64)
    store = _fill_setter(fill_value, element, _shape_ndim(shape), _caller_parallel)

    def full_of(shape, fill_value, dtype=None, order=None, device=None, like=None):
        a = np.empty(shape, element, layout)
        store(a, fill_value)
        return a

    return full_of


# ---- np.empty_like, np.zeros_like, np.ones_like, np.full_like -----------------------------------


def _layout_like(prototype, order, ndim):
    """NumPy's memory order (``"C"`` or ``"F"``) of a new array of ``ndim`` dimensions made like
    ``prototype`` with ``order``: ``'A'`` is Fortran for a Fortran-ordered prototype, ``'K'``
    keeps the prototype's order, and falls back to C when the new shape has another number of
    dimensions. A prototype is Fortran-ordered here when its type is (of two or more
    dimensions); NumPy decides from its strides when the call runs, which gives the same order
    except for a prototype whose type does not say (a strided view), made C here."""
    if order == "K" and ndim != prototype.ndim:
        order = "C"
    if order in "AK":
        order = "F" if prototype.layout == "F" and prototype.ndim > 1 else "C"
    return order


def _allocation_like(name, prototype, dtype, order, subok, shape, device):
    """The function ``(prototype, shape) -> new array``, uninitialised, of the ``shape``
    argument or else the prototype's, of the ``dtype`` argument or else the prototype's, in
    NumPy's memory order for ``order``; with its element type and number of dimensions."""
    if not isinstance(prototype, types.Array):
        raise CallRefused(f"`{name}()` needs an array, not `{prototype}`")
    _check_device(name, device)
    # Every result is a base-class ndarray: compiled code knows no subclasses.
    if _given(subok) and not isinstance(subok, types.Boolean):
        raise CallRefused(f"`subok=` of `{name}()` must be True or False, not `{types.unliteral(subok)}`")
    order = _memory_order(name, order, "CFAK", "K")
    element = _element_type(dtype, numpy_type(prototype.dtype))
    if _present(shape):
        _check_shape(shape)
        ndim = _shape_ndim(shape)
        layout = _layout_like(prototype, order, ndim)

        def allocate_reshaped(prototype, shape):
            return np.empty(shape, element, layout)

        return allocate_reshaped, element, ndim
    layout = _layout_like(prototype, order, prototype.ndim)

    def allocate(prototype, shape):
        return np.empty(prototype.shape, element, layout)

    return allocate, element, prototype.ndim


@overload(np.empty_like)
def empty_like(prototype, /, dtype=None, order="K", subok=True, shape=None, *, device=None):
    allocate, _, _ = _allocation_like("np.empty_like", prototype, dtype, order, subok, shape, device)

    def empty_like_of(prototype, dtype=None, order=None, subok=None, shape=None, device=None):
        return allocate(prototype, shape)

    return empty_like_of


def _filled_like(name, value):
    """The typing function of ``np.zeros_like`` (``value`` 0) or ``np.ones_like`` (``value``
    1)."""

    def typing(a, dtype=None, order=None, subok=None, shape=None, *, device=None, _caller_parallel=False):
        allocate, _, _ = _allocation_like(name, a, dtype, order, subok, shape, device)
        fill = _scalar_fill(_caller_parallel)

        def filled_like(a, dtype=None, order=None, subok=None, shape=None, device=None):
            result = allocate(a, shape)
            fill(result, value)
            return result

        return filled_like

    return typing


overload(np.zeros_like, _sees_caller_parallel=True)(_filled_like("np.zeros_like", 0))
overload(np.ones_like, _sees_caller_parallel=True)(_filled_like("np.ones_like", 1))


@overload(np.full_like, _sees_caller_parallel=True)
def full_like(a, fill_value, dtype=None, order="K", subok=True, shape=None, *, device=None, _caller_parallel=False):
    """An array fill value is broadcast into the shape."""
    allocate, element, ndim = _allocation_like("np.full_like", a, dtype, order, subok, shape, device)
    store = _fill_setter(fill_value, element, ndim, _caller_parallel)

    def full_like_of(a, fill_value, dtype=None, order=None, subok=None, shape=None, device=None):
        result = allocate(a, shape)
        store(result, fill_value)
        return result

    return full_like_of


# ---- np.arange ----------------------------------------------------------------------------------

# The bounds of NumPy's array lengths (those of its `intp`), as the float64 values a length
# computed in floating point is compared with.
_LENGTH_BELOW = 9.223372036854775808e18
_LENGTH_FROM = -9.223372036854775808e18


@register_jitable
def _arange_length(quotient):
    """NumPy's length of a range whose bounds' distance divided by the step is ``quotient``
    (a float64): its ceiling, refused when NaN or beyond an array length, 0 when negative."""
    length = np.ceil(quotient)
    if length != length:
        raise ValueError("arange: cannot compute length")
    if not (_LENGTH_FROM <= length < _LENGTH_BELOW):
        raise ValueError("Maximum allowed size exceeded")
    return int(length) if length > 0 else 0


@register_jitable
def _python_complex_quotient(a, b):
    """``a / b`` for complex128 values computed as CPython's ``complex`` divides (its rounding,
    and ``ZeroDivisionError`` for a zero divisor), on which NumPy's complex ranges depend."""
    abs_real = abs(b.real)
    abs_imag = abs(b.imag)
    if abs_real >= abs_imag:
        if abs_real == 0.0:
            raise ZeroDivisionError("complex division by zero")
        ratio = b.imag / b.real
        denominator = b.real + b.imag * ratio
        return complex((a.real + a.imag * ratio) / denominator, (a.imag - a.real * ratio) / denominator)
    if abs_imag >= abs_real:
        ratio = b.real / b.imag
        denominator = b.real * ratio + b.imag
        return complex((a.real * ratio + a.imag) / denominator, (a.imag * ratio - a.real) / denominator)
    # A NaN in the divisor.
    return complex(np.nan, np.nan)


def _complex_arange(element, parallel):
    """``np.arange`` with a complex bound (NumPy's rules): the length is the smaller of the
    lengths of the real and the imaginary parts of ``(stop - start) / step`` (0 when the bounds
    are equal), computed in complex128 as Python computes them; the elements are ``start``,
    ``start + step``, then ``start + i * delta`` part by part, ``delta`` being the difference
    of the first two as the result's type stores them."""
    part = np.float32 if element is np.complex64 else np.float64

    # Elements `first` to `last - 1` from the third on (see `pool.runner`).
    def store_run(args, first, last):
        result, begin, stored_step = args
        for i in range(max(first, 2), last):
            result[i] = complex(begin.real + part(i) * stored_step.real, begin.imag + part(i) * stored_step.imag)

    run = runner(store_run, parallel)

    def arange_of_complex(start=None, stop=None, step=None, dtype=None, device=None, like=None):
        if stop is None:
            first = np.complex128(0)
            last = np.complex128(start)
        elif start is None:
            first = np.complex128(0)
            last = np.complex128(stop)
        else:
            first = np.complex128(start)
            last = np.complex128(stop)
        if step is None:
            delta = np.complex128(1)
        else:
            delta = np.complex128(step)
        distance = last - first
        quotient = _python_complex_quotient(distance, delta)
        n = 0
        if distance != 0:
            n = min(_arange_length(quotient.real), _arange_length(quotient.imag))
        result = np.empty(n, element)
        if n > 0:
            result[0] = first
        if n > 1:
            result[1] = first + delta
            begin = result[0]
            run((result, begin, result[1] - begin), n, n)
        return result

    return arange_of_complex


def _time_arange(start, stop, step, bounds, named, parallel):
    """``np.arange`` of datetime64 or timedelta64 values (some bound a time value, or a time
    ``dtype``): the counts of the bounds in the result's unit (the bounds' common unit, or
    ``dtype``'s), stepped by an integer count or a timedelta, as NumPy's; NumPy's ValueErrors for
    a datetime range without both bounds, a NaT bound and a zero step."""
    if not all(is_time(t) or isinstance(t, types.Integer) for t in bounds):
        raise CallRefused("`np.arange()` of datetime64 or timedelta64 values takes time values and integers", hint="give the bounds as datetime64/timedelta64 values or integer counts")
    times = [numpy_type(t) for t in bounds if is_time(t)]
    dt = np.dtype(named) if named is not None else np.result_type(*times)
    if dt.kind == "M" and isinstance(step, types.NPDatetime):
        raise CallRefused("the step of `np.arange()` of datetimes is a timedelta or an integer")
    unit = np.datetime_data(dt)[0]
    dates = dt.kind == "M"
    whole_range = _present(start) and _present(stop)
    no_start_message = "arange requires both a start and a stop for NumPy datetime64 ranges"

    def store_run(args, first, last):
        result, start_count, delta = args
        for i in range(first, last):
            result[i] = start_count + i * delta

    run = runner(store_run, parallel)

    def arange_of_times(start=None, stop=None, step=None, dtype=None, device=None, like=None):
        if dates and not whole_range:
            raise ValueError(no_start_message)
        if stop is None:
            first = 0
            last = _time_count(start, unit)
        else:
            first = _time_count(start, unit)
            last = _time_count(stop, unit)
        delta = 1 if step is None else _time_count(step, unit)
        if delta == 0:
            raise ValueError("arange: step cannot be zero")
        n = max((last - first + delta - (1 if delta > 0 else -1)) // delta, 0)
        result = np.empty(n, dt)
        run((result, first, delta), n, n)
        return result

    return arange_of_times


def _time_count(x, unit):
    """The int64 count of ``x`` (a datetime64 or timedelta64, converted to ``unit``, or an integer
    taken as a count; None for 0); NumPy's ValueError for NaT."""


@overload(_time_count)
def _time_count_typing(x, unit):
    unit_name = unit.literal_value
    if isinstance(x, types.NPDatetime):

        def date_count(x, unit):
            if np.isnat(x):
                raise ValueError("arange: cannot use NaT (not-a-time) datetime values")
            return (np.datetime64(x, unit_name) - np.datetime64(0, unit_name)) // np.timedelta64(1, unit_name)

        return date_count
    if isinstance(x, types.NPTimedelta):

        def delta_count(x, unit):
            if np.isnat(x):
                raise ValueError("arange: cannot use NaT (not-a-time) datetime values")
            return np.timedelta64(x, unit_name) // np.timedelta64(1, unit_name)

        return delta_count
    if isinstance(x, types.NoneType):

        def no_count(x, unit):
            return 0

        return no_count

    def integer_count(x, unit):
        return np.int64(x)

    return integer_count


@overload(np.arange, _sees_caller_parallel=True)
def arange(start=None, stop=None, step=None, dtype=None, *, device=None, like=None, _caller_parallel=False):
    """``np.arange([start,] stop[, step])``: a lone bound is the stop, as in NumPy. The result
    type is NumPy's (``int64`` promoted with the bounds' types: ``int64`` for integers and
    booleans, ``float64`` for floats and for ``uint64``, ``complex128`` for complex numbers)
    unless ``dtype`` is given. For real bounds the length is NumPy's,
    ``ceil((stop - start) / step)`` (0 when negative), and the elements are NumPy's (its
    ``fill``): the first two are ``start`` and ``start + step`` (in ``int64`` or ``float64``)
    converted to the result type, and element ``i`` is ``first + i * delta``, ``delta`` being
    their difference in the result type; floats add in the result type, integers in ``int64``
    (Numba adds ``i * step`` in ``int64`` or ``float64``, which differs in the last bit, and for
    float bounds of an integer range, by whole steps)."""
    _check_device("np.arange", device)
    _check_like("np.arange", like)
    if not _present(start) and not _present(stop):
        raise CallRefused("`np.arange()` requires stop to be specified")
    bounds = [t for t in (start, stop, step) if _present(t)]
    named = _element_type(dtype, None) if _present(dtype) else None
    if any(is_time(t) for t in bounds) or (named is not None and np.dtype(named).kind in "mM"):
        return _time_arange(start, stop, step, bounds, named, _caller_parallel)
    if not all(isinstance(t, _NUMBER) for t in bounds):
        raise CallRefused("`np.arange()` needs numbers", hint="give the bounds and the step as integers, floats or complex numbers")
    promoted = np.result_type(np.int64, *(numpy_type(t) for t in bounds))
    element = _element_type(dtype, promoted.type)
    if any(isinstance(t, types.Complex) and numpy_type(t) is np.complex64 for t in bounds):
        # NumPy divides such bounds in complex64 and then keeps only the real part of the
        # quotient for the length (with a ComplexWarning), unlike Python's complex numbers.
        raise CallRefused("`np.arange()` with a `complex64` bound is not supported yet", hint="convert the bound with `complex(...)`", unsupported=True)
    if promoted.kind == "c":
        if np.dtype(element).kind != "c":
            raise CallRefused(f"`np.arange()` with a complex bound makes complex numbers, not `{np.dtype(element).name}`", hint="leave out `dtype=` or give a complex one")
        return _complex_arange(element, _caller_parallel)
    floating = promoted.kind == "f"
    work = np.float64 if floating else np.int64
    boolean = element is np.bool_
    division_message = "float division by zero" if floating else "division by zero"

    # Elements 2 + `first` to 2 + `last - 1` (see `pool.runner`): each from its index alone,
    # in the result type's arithmetic (part by part for complex numbers), integers in int64.
    if np.dtype(element).kind == "f":

        def store_run(args, first, last):
            result, begin, delta = args
            for i in range(first + 2, last + 2):
                result[i] = begin + element(i) * delta

    elif np.dtype(element).kind == "c":
        part = np.float32 if element is np.complex64 else np.float64

        def store_run(args, first, last):
            result, begin, delta = args
            for i in range(first + 2, last + 2):
                result[i] = complex(begin.real + part(i) * delta.real, begin.imag + part(i) * delta.imag)

    else:

        def store_run(args, first, last):
            result, begin, delta = args
            for i in range(first + 2, last + 2):
                result[i] = np.int64(begin) + i * np.int64(delta)

    run = runner(store_run, _caller_parallel)

    def arange_of(start=None, stop=None, step=None, dtype=None, device=None, like=None):
        if stop is None:
            first = work(0)
            last = work(start)
        elif start is None:
            first = work(0)
            last = work(stop)
        else:
            first = work(start)
            last = work(stop)
        if step is None:
            delta = work(1)
        else:
            delta = work(step)
        if delta == 0:
            raise ZeroDivisionError(division_message)
        n = _arange_length((last - first) / delta)
        if boolean:
            if n > 2:
                raise TypeError("arange() is only supported for booleans when the result has at most length 2.")
        result = np.empty(n, element)
        if n > 0:
            result[0] = first
        if n > 1:
            result[1] = first + delta
        if n > 2:
            begin = result[0]
            run((result, begin, result[1] - begin), n - 2, n - 2)
        return result

    return arange_of


# ---- np.eye, np.identity, np.linspace -----------------------------------------------------------


@overload(np.eye)
def eye(N, M=None, k=0, dtype=None, order="C", *, device=None, like=None):
    """``np.eye(N, M, k)``: an ``N`` by ``M`` (else ``N``) array of zeros with ones on the
    diagonal ``k`` (above the main one when positive, below when negative)."""
    layout = _new_array_options("np.eye", order, device, like)
    for dimension in (N, M) if _present(M) else (N,):
        if not isinstance(dimension, types.Integer):
            raise CallRefused(f"the dimensions of `np.eye()` must be integers, not `{dimension}`")
    if _given(k) and not isinstance(k, types.Integer):
        raise CallRefused(f"the diagonal `k=` of `np.eye()` must be an integer, not `{k}`")
    element = _element_type(dtype, np.float64)

    def eye_of(N, M=None, k=0, dtype=None, order=None, device=None, like=None):
        rows = int(N)
        if M is None:
            columns = rows
        else:
            columns = int(M)
        diagonal = int(k)
        result = np.empty((rows, columns), element, layout)
        result.fill(0)
        # The diagonal's elements are (i, i + k) for the rows i it crosses; a diagonal outside
        # the array crosses none (tested first, so that `-k` and `columns - k` cannot overflow).
        if -rows < diagonal < columns:
            for i in range(max(-diagonal, 0), min(rows, columns - diagonal)):
                result[i, i + diagonal] = 1
        return result

    return eye_of


def _inexact(*scalars):
    """NumPy's result type of the scalar types, made floating (``ensure_inexact``)."""
    # Literal bounds (`np.linspace(0, 10, n, retstep=True)`, typed with literals for `retstep`)
    # count as their types.
    dtype = np.result_type(*(np.dtype(types.unliteral(t).name) for t in scalars))
    return np.float64 if dtype.kind in "biu" else dtype.type


@overload(np.linspace, _sees_caller_parallel=True)
def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0, *, device=None, _caller_parallel=False):
    """``np.linspace(start, stop, num)``: NumPy's algorithm in NumPy's result type (the bounds'
    common type, made floating): ``i * step + start``, or ``(i / div) * delta + start`` when the
    step underflows to 0, the last sample ``stop`` itself; converted to ``dtype=`` (integer
    types take the floor first, as NumPy's); with ``retstep=True`` the pair of the samples and
    the step (NaN for fewer than two intervals)."""
    _check_device("np.linspace", device)
    if not isinstance(start, _NUMBER) or not isinstance(stop, _NUMBER):
        raise CallRefused("the bounds of `np.linspace()` must be numbers", hint="arrays of bounds are not supported in compiled code yet", unsupported=True)
    if not isinstance(num, (int, types.Integer)) or isinstance(num, types.Boolean):
        raise CallRefused(f"`num` of `np.linspace()` must be an integer, not `{num}`")
    if not isinstance(endpoint, (bool, types.Boolean)):
        raise CallRefused("`endpoint=` of `np.linspace()` must be True or False")
    if isinstance(retstep, types.BooleanLiteral):
        retstep = retstep.literal_value
    if not isinstance(retstep, bool):
        raise CallRefused("`retstep=` of `np.linspace()` must be written `True` or `False`: the result's type depends on it")
    if not (axis == 0 or isinstance(axis, types.IntegerLiteral) and axis.literal_value in (0, -1)):
        raise CallRefused("`axis=` of `np.linspace()` with number bounds must be 0 (or -1)")
    out = _inexact(start, stop)
    element = _element_type(dtype, out)
    floor = np.issubdtype(element, np.integer)
    complex_samples = np.issubdtype(out, np.complexfloating)

    # Samples `first` to `last - 1` (see `pool.runner`), each from its index alone: `div` is
    # the number of intervals, `step` their length (NaN without intervals).
    def store_run(args, first, last):
        y, lo, delta, step, div = args
        if div > 0:
            if step == 0:
                for i in range(first, last):
                    y[i] = (out(i) * out(1.0 / div) if complex_samples else out(i) / out(div)) * delta + lo
            else:
                for i in range(first, last):
                    y[i] = out(i) * step + lo
        else:
            for i in range(first, last):
                y[i] = out(i) * delta + lo

    run = runner(store_run, _caller_parallel)

    def samples(start, stop, num, endpoint):
        if num < 0:
            raise ValueError("Number of samples must be non-negative.")
        div = num - 1 if endpoint else num
        y = np.empty(num, out)
        lo = out(start)
        delta = out(stop) - lo
        step = out(np.nan)
        if div > 0:
            # NumPy divides a complex number by a real one multiplying by its reciprocal (a
            # weak Python float: converted to the samples' type, as `out(...)` does here).
            step = delta * out(1.0 / div) if complex_samples else delta / out(div)
        run((y, lo, delta, step, div), num, num)
        if endpoint and num > 1:
            y[num - 1] = stop
        if floor:
            y = np.floor(y)
        return converted(y), step

    if element is out:

        def converted(y):
            # A new array already: `astype` would copy it again.
            return y

    else:

        def converted(y):
            return y.astype(element)

    if _caller_parallel:
        # Its `np.floor` then runs on the pool too, as a whole-array map.
        _parallel_implementation(samples)

    if retstep:

        def with_step(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0, device=None):
            return samples(start, stop, num, endpoint)

        return with_step

    def impl(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0, device=None):
        return samples(start, stop, num, endpoint)[0]

    return impl


@overload(np.logspace)
def logspace(start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0):
    """``np.logspace``: ``base ** np.linspace(start, stop, num, endpoint)``, in the samples'
    type (a number base is a Python scalar to NumPy, which does not widen it), converted to
    ``dtype=``."""
    if not isinstance(base, (float, int)) and not isinstance(base, _REAL):
        raise CallRefused("`base=` of `np.logspace()` must be a real number", hint="arrays of bases are not supported in compiled code yet", unsupported=True)
    if not isinstance(start, _REAL) or not isinstance(stop, _REAL):
        raise CallRefused("the bounds of `np.logspace()` must be real numbers", unsupported=True)
    if not (axis == 0 or isinstance(axis, types.IntegerLiteral) and axis.literal_value in (0, -1)):
        raise CallRefused("`axis=` of `np.logspace()` with number bounds must be 0 (or -1)")
    out = _inexact(start, stop)
    element = _element_type(dtype, out)

    def impl(start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0):
        y = np.linspace(start, stop, num, endpoint)
        # `**` rounds as NumPy's `power` does (the compiled `np.power` of arrays does not always).
        return (out(base) ** y).astype(element)

    return impl


@overload(np.geomspace)
def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """``np.geomspace``: NumPy's algorithm for real bounds of one sign: the logarithms spaced
    evenly, the first and last samples the bounds themselves."""
    if not isinstance(start, _REAL) or not isinstance(stop, _REAL):
        raise CallRefused("the bounds of `np.geomspace()` must be real numbers", hint="complex and array bounds are not supported in compiled code yet", unsupported=True)
    if not (axis == 0 or isinstance(axis, types.IntegerLiteral) and axis.literal_value in (0, -1)):
        raise CallRefused("`axis=` of `np.geomspace()` with number bounds must be 0 (or -1)")
    # NumPy's type: the bounds' and `dtype=`'s (float64 by default), made floating.
    element = _element_type(dtype, np.float64)
    out = np.result_type(numpy_type(start), numpy_type(stop), element, 1.0).type

    def impl(start, stop, num=50, endpoint=True, dtype=None, axis=0):
        first = out(start)
        last = out(stop)
        if first == 0 or last == 0:
            raise ValueError("Geometric sequence cannot include zero")
        sign = np.sign(first)
        first = first / sign
        last = last / sign
        result = np.logspace(np.log10(first), np.log10(last), num, endpoint)
        if num > 0:
            result[0] = first
            if num > 1 and endpoint:
                result[num - 1] = last
        result *= sign
        return result.astype(element)

    return impl


@overload(np.identity)
def identity(n, dtype=None):
    """``np.identity(n, dtype)``: ``np.eye(n)`` of the dtype (float64 unless given)."""
    if not isinstance(n, types.Integer):
        return None
    element = _element_type(dtype, np.float64)

    def identity_of(n, dtype=None):
        return np.eye(n, dtype=element)

    return identity_of


# ---- np.array, np.asarray, np.ascontiguousarray, np.asfortranarray ---------------------------------


def _nested_form(value):
    """``(shape, leaf types)`` of a (nested) tuple of numbers (or of time values) as
    ``np.array`` reads it, or None when its items are not all numbers or all tuples of one
    form (NumPy's inhomogeneous shape)."""
    if isinstance(value, _NUMBER) or is_time(value):
        return (), [value]
    if not isinstance(value, types.BaseTuple) or len(value.types) == 0:
        return None
    forms = [_nested_form(t) for t in value.types]
    if any(f is None for f in forms) or len({f[0] for f in forms}) != 1:
        return None
    return (len(value.types),) + forms[0][0], [leaf for f in forms for leaf in f[1]]


@register_jitable
def _raise_value_error(message):
    raise ValueError(message)


def _leaves_element(name, leaves):
    """What an array of the values of the types ``leaves`` is made with: NumPy's common type of
    them (time values in their common unit; with numbers, NumPy's ``TypeError``, refused)."""
    try:
        return element_of(np.result_type(*(numpy_type(t) for t in leaves)))
    except TypeError:
        raise CallRefused(f"`{name}()` of {', '.join(f'`{t}`' for t in dict.fromkeys(leaves))} values: NumPy has no common type for them") from None


def _fill_nested(out, items, count):
    """Stores the (nested) tuple ``items`` of numbers into ``out`` (of its shape), the first
    ``count`` items along the first axis."""


@overload(_fill_nested, prefer_literal=True)
def _fill_nested_typing(out, items, count):
    if not isinstance(count, types.IntegerLiteral):
        return None
    last = count.literal_value - 1
    if last < 0:

        def nothing(out, items, count):
            return None

        return nothing
    inner = items.types[last]
    if isinstance(inner, types.BaseTuple):
        inner_count = len(inner.types)

        def fill_row(out, items, count):
            _fill_nested(out, items, last)
            _fill_nested(out[last], items[last], inner_count)

        return fill_row
    if isinstance(inner, types.Complex) and not isinstance(out.dtype, types.Complex):

        def fill_real_part(out, items, count):
            _fill_nested(out, items, last)
            out[last] = items[last].real

        return fill_real_part

    def fill_item(out, items, count):
        _fill_nested(out, items, last)
        out[last] = items[last]

    return fill_item


def _copy_flag(name, copy):
    """``copy=`` as NumPy 2 reads it: True (always copy), None (copy only when needed) or False
    (never; a needed copy raises ``ValueError``)."""
    if isinstance(copy, types.BooleanLiteral):
        return copy.literal_value
    if copy is None or isinstance(copy, (bool, types.NoneType)):
        return copy if isinstance(copy, bool) else None
    raise CallRefused(f"`copy=` of `{name}()` must be written True, False or None")


def _array_from(name, obj, dtype, copy, order, ndmin):
    """The implementation ``(obj) -> array`` of ``np.array(obj, dtype, copy=copy, order=order,
    ndmin=ndmin)`` (``order`` a plain value, ``ndmin`` one or the argument's type) for a
    number or time value, a (nested) tuple of them, a tuple of arrays of one shape or an
    array."""
    if isinstance(obj, types.Array):
        element = _element_type(dtype, numpy_type(obj.dtype))
        same_type = element is numpy_type(obj.dtype)
        if order in ("C", "F"):
            layout = order
            fits = obj.layout == order or obj.ndim <= 1 and obj.layout in "CF"
        else:
            layout = "F" if obj.layout == "F" and obj.ndim > 1 else "C"
            fits = True
        if not copy and same_type and fits:
            make = _unchanged
        elif copy is False:

            def make(obj):
                raise ValueError("Unable to avoid copy while creating an array as requested.")

        elif isinstance(obj.dtype, types.Complex) and np.dtype(element).kind != "c":
            # NumPy keeps the real parts (with a ComplexWarning).
            def make(obj):
                result = np.empty(obj.shape, element, layout)
                result[...] = obj.real
                return result

        else:

            def make(obj):
                result = np.empty(obj.shape, element, layout)
                result[...] = obj
                return result

        ndim = obj.ndim
    elif isinstance(obj, types.BaseTuple) and len(obj.types) > 0 and all(isinstance(t, types.Array) for t in obj.types):
        element = _element_type(dtype, element_of(np.result_type(*(numpy_type(t.dtype) for t in obj.types))))
        if len({t.ndim for t in obj.types}) != 1:
            raise CallRefused(f"`{name}()` of arrays with different numbers of dimensions: NumPy's array would have an inhomogeneous shape")
        if copy is False:
            raise CallRefused(f"`{name}(copy=False)` of a tuple: making an array of a tuple copies")
        ndim = obj.types[0].ndim + 1

        def make(obj):
            stacked = np.stack(obj)
            result = np.empty(stacked.shape, element)
            result[...] = stacked
            return result

    elif isinstance(obj, types.List):
        if copy is False:
            raise CallRefused(f"`{name}(copy=False)` of a list: making an array of a list copies")
        make, ndim = _array_from_list(name, obj, dtype, order)
    else:
        form = _nested_form(obj)
        if form is None:
            raise CallRefused(
                f"`{name}()` takes a number, an array, a (nested) tuple of numbers of a rectangular shape or a tuple of arrays, not `{obj}`",
                hint="lists are not supported in compiled code yet",
            )
        if copy is False:
            raise CallRefused(f"`{name}(copy=False)` of a number or a tuple: making an array of it copies")
        shape, leaves = form
        natural = _leaves_element(name, leaves)
        element = _element_type(dtype, natural)
        target = np.dtype(element)
        # A time value into an array of numbers or of the other kind, and a number other than
        # an integer into an array of time values, convert as `astype` converts them (NumPy's
        # unsafe cast): the array is made of the values' own type first.
        timed = [t for t in leaves if is_time(t)]
        converted = any(np.dtype(numpy_type(t)).kind != target.kind for t in timed) or (
            target.kind in "mM" and any(not isinstance(t, (types.Integer, types.Boolean)) for t in leaves if not is_time(t))
        )
        # NumPy reads a Python float or complex number as no time value at all.
        no_time = target.kind in "mM" and any(types.unliteral(t).name in ("float64", "complex128") for t in leaves)
        no_time_message = f"Could not convert object to NumPy {'datetime' if target.kind == 'M' else 'timedelta'}"
        built = natural if converted else element
        if np.dtype(built).kind != "c" and any(isinstance(t, types.Complex) for t in leaves):
            raise CallRefused(f"`{name}()` cannot store complex numbers into an array of `{np.dtype(element).name}`")
        layout = "F" if order == "F" else "C"
        ndim = len(shape)
        count = shape[0] if shape else 0

        if ndim == 0:

            def make_built(obj):
                result = np.empty((), built)
                result.fill(obj)
                return result

        else:

            def make_built(obj):
                result = np.empty(shape, built, layout)
                _fill_nested(result, obj, count)
                return result

        if converted:

            def make(obj):
                if no_time:
                    # A call, not a `raise`: the array's type is still the result's.
                    _raise_value_error(no_time_message)
                return make_built(obj).astype(element)

        else:
            make = make_built

    # Read after the object is checked: a refusal of the object is the one told.
    ndmin = None if ndmin is None else _ndmin(ndmin)
    if ndmin is not None and ndmin > ndim:
        missing = ndmin - ndim
        inner = make

        def make(obj):
            return with_leading_axes(inner(obj), missing)

    return make


def _array_from_list(name, obj, dtype, order):
    """``(make, ndim)`` for ``np.array`` of a list: of numbers (1-d), of lists or tuples of
    numbers (2-d, every row of one length), or of arrays of one shape (one more dimension)."""
    item = obj.dtype
    layout = "F" if order == "F" else "C"
    if isinstance(item, _NUMBER):
        element = _element_type(dtype, numpy_type(item))

        def from_numbers(obj):
            n = len(obj)
            result = np.empty(n, element)
            for i in range(n):
                result[i] = obj[i]
            return result

        return from_numbers, 1
    if isinstance(item, types.List) and isinstance(item.dtype, _NUMBER):
        element = _element_type(dtype, numpy_type(item.dtype))

        def from_rows(obj):
            n = len(obj)
            m = len(obj[0]) if n > 0 else 0
            for i in range(n):
                if len(obj[i]) != m:
                    raise ValueError("setting an array element with a sequence. The requested array has an inhomogeneous shape after 1 dimensions.")
            result = np.empty((n, m), element, layout)
            for i in range(n):
                row = obj[i]
                for j in range(m):
                    result[i, j] = row[j]
            return result

        return from_rows, 2
    form = _nested_form(item) if isinstance(item, types.BaseTuple) else None
    if form is not None and len(form[0]) == 1:
        element = _element_type(dtype, _leaves_element(name, form[1]))
        width = form[0][0]

        def from_tuples(obj):
            n = len(obj)
            result = np.empty((n, width), element, layout)
            for i in range(n):
                _fill_nested(result[i], obj[i], width)
            return result

        return from_tuples, 2
    if isinstance(item, types.Array):
        element = _element_type(dtype, numpy_type(item.dtype))
        ndim = item.ndim + 1
        empty_shape = (0,) * ndim

        def from_arrays(obj):
            n = len(obj)
            if n == 0:
                return np.empty(empty_shape, element)
            shape = obj[0].shape
            for i in range(n):
                if obj[i].shape != shape:
                    raise ValueError("setting an array element with a sequence. The requested array has an inhomogeneous shape after 1 dimensions.")
            result = np.empty((n,) + shape, element, layout)
            for i in range(n):
                result[i] = obj[i]
            return result

        return from_arrays, ndim
    raise CallRefused(f"`{name}()` takes a list of numbers, of lists or tuples of numbers, or of arrays, not a `{obj}`")


def _unchanged(obj):
    return obj


def with_leading_axes(a, count):
    """The view of ``a`` with ``count`` (a constant) new axes of length 1 in front."""


@overload(with_leading_axes, prefer_literal=True)
def _with_leading_axes_typing(a, count):
    if not isinstance(count, types.IntegerLiteral):
        return None
    rest = count.literal_value - 1
    if rest < 0:

        def unchanged(a, count):
            return a

        return unchanged

    def one_more(a, count):
        return with_leading_axes(a, rest)[None, ...]

    return one_more


def _ndmin(ndmin):
    if isinstance(ndmin, int):
        return ndmin
    if isinstance(ndmin, types.IntegerLiteral):
        return ndmin.literal_value
    raise CallRefused("`ndmin=` must be written as a constant integer: the number of dimensions of the result depends on it")


@overload(np.array)
def array(object, dtype=None, *, copy=True, order="K", subok=False, ndmin=0, like=None):
    """``np.array(object)`` of a number, an array, a (nested) tuple of numbers or a tuple of
    arrays of one shape, in NumPy's type (or ``dtype=``): a new array (``copy=None``: the
    array itself when it fits, ``copy=False``: never a copy)."""
    _check_like("np.array", like)
    letter = _memory_order("np.array", order if isinstance(order, types.Type) else types.StringLiteral(order), "CFAK", "K")
    make = _array_from("np.array", object, dtype, _copy_flag("np.array", copy), letter, ndmin)
    body = register_jitable(make)

    def array_of(object, dtype=None, copy=True, order=None, subok=False, ndmin=0, like=None):
        return body(object)

    return array_of


@overload(np.asarray)
def asarray(a, dtype=None, order=None, *, device=None, copy=None, like=None):
    """``np.asarray(a)``: ``a`` itself when it is an array of the type (and the memory order)
    asked for, else a new array as ``np.array`` makes it."""
    _check_device("np.asarray", device)
    _check_like("np.asarray", like)
    letter = _memory_order("np.asarray", order, "CFAK", "K")
    body = register_jitable(_array_from("np.asarray", a, dtype, _copy_flag("np.asarray", copy), letter, None))

    def asarray_of(a, dtype=None, order=None, device=None, copy=None, like=None):
        return body(a)

    return asarray_of


def _contiguous(name, letter):
    def typing(a, dtype=None, *, like=None):
        _check_like(name, like)
        body = register_jitable(_array_from(name, a, dtype, None, letter, 1))

        def contiguous_of(a, dtype=None, like=None):
            return body(a)

        return contiguous_of

    return typing


overload(np.ascontiguousarray)(_contiguous("np.ascontiguousarray", "C"))
overload(np.asfortranarray)(_contiguous("np.asfortranarray", "F"))


# ---- np.diag, np.diagflat, np.tri, np.tril, np.triu, np.vander --------------------------------------


@register_jitable
def _diagonal_start(k):
    """The row and column of the first element of the diagonal ``k``."""
    if k >= 0:
        return 0, k
    return -k, 0


@overload(np.diag)
def diag(v, k=0):
    """``np.diag(v, k)``: of a 1-d array, a new square array of zeros with ``v`` on the
    diagonal ``k``; of a 2-d array, a new 1-d array of its diagonal ``k`` (NumPy gives a
    read-only view)."""
    if not isinstance(v, types.Array):
        raise CallRefused(f"`np.diag()` needs an array, not `{v}`")
    if _given(k) and not isinstance(k, types.Integer):
        raise CallRefused(f"the diagonal `k` of `np.diag()` must be an integer, not `{k}`")
    if v.ndim == 1:

        def square(v, k=0):
            n = v.shape[0] + abs(k)
            result = np.zeros((n, n), v.dtype)
            row, column = _diagonal_start(k)
            for i in range(v.shape[0]):
                result[row + i, column + i] = v[i]
            return result

        return square
    if v.ndim == 2:

        def diagonal(v, k=0):
            row, column = _diagonal_start(k)
            n = max(0, min(v.shape[0] - row, v.shape[1] - column))
            result = np.empty(n, v.dtype)
            for i in range(n):
                result[i] = v[row + i, column + i]
            return result

        return diagonal

    def other_dimensions(v, k=0):
        raise ValueError("Input must be 1- or 2-d.")

    return other_dimensions


@overload(np.diagflat)
def diagflat(v, k=0):
    """``np.diagflat(v, k)``: ``np.diag`` of ``v`` flattened (a number is one element)."""
    if isinstance(v, _NUMBER):

        def of_number(v, k=0):
            return np.diag(np.array(v).reshape(1), k)

        return of_number

    def flattened(v, k=0):
        return np.diag(v.ravel(), k)

    return flattened


@overload(np.tri)
def tri(N, M=None, k=0, dtype=float, *, like=None):
    """``np.tri(N, M, k)``: an ``N`` by ``M`` array with ones at and below the diagonal ``k``,
    zeros above; float64 unless ``dtype`` is given."""
    _check_like("np.tri", like)
    for dimension in (N, M) if _present(M) else (N,):
        if not isinstance(dimension, types.Integer):
            raise CallRefused(f"the dimensions of `np.tri()` must be integers, not `{dimension}`")
    element = np.float64 if dtype is float else _element_type(dtype, np.float64)

    def tri_of(N, M=None, k=0, dtype=None, like=None):
        rows = int(N)
        if M is None:
            columns = rows
        else:
            columns = int(M)
        result = np.empty((rows, columns), element)
        for i in range(rows):
            for j in range(columns):
                result[i, j] = j <= i + k
        return result

    return tri_of


def _triangle(name, lower):
    """The typing function of ``np.tril`` (``lower``) and ``np.triu``: a new array of ``m``
    with the elements above (below) the diagonal ``k`` of its last two axes made zero; a 1-d
    ``m`` is the row of a square array."""

    def typing(m, k=0):
        if not isinstance(m, types.Array):
            raise CallRefused(f"`{name}()` needs an array, not `{m}`")
        if m.ndim == 0:
            raise CallRefused(f"`{name}()` of a 0-dimensional array: it needs at least one dimension")
        ndim = m.ndim

        def triangle(m, k=0):
            rows = m.shape[ndim - 2] if ndim > 1 else m.shape[0]
            columns = m.shape[ndim - 1]
            if lower:
                mask = np.tri(rows, columns, k, np.bool_)
            else:
                mask = ~np.tri(rows, columns, k - 1, np.bool_)
            return np.where(mask, m, np.zeros(1, m.dtype))

        return triangle

    return typing


overload(np.tril)(_triangle("np.tril", True))
overload(np.triu)(_triangle("np.triu", False))


@overload(np.vander)
def vander(x, N=None, increasing=False):
    """``np.vander(x, N, increasing)``: the columns are the powers of ``x`` (decreasing unless
    ``increasing``), each the previous one times ``x``, as NumPy's ``multiply.accumulate``
    computes them, in ``x``'s type promoted with int64."""
    if not isinstance(x, types.Array):
        raise CallRefused(f"`np.vander()` needs an array, not `{x}`", hint="lists are not supported in compiled code yet")
    if x.ndim != 1:

        def not_one_dimensional(x, N=None, increasing=False):
            raise ValueError("x must be a one-dimensional array or sequence.")

        return not_one_dimensional
    element = np.promote_types(numpy_type(x.dtype), np.int64).type

    def vander_of(x, N=None, increasing=False):
        rows = x.shape[0]
        if N is None:
            columns = rows
        else:
            columns = int(N)
        result = np.empty((rows, columns), element)
        powers = result if increasing else result[:, ::-1]
        if columns > 0:
            powers[:, 0] = 1
        if columns > 1:
            powers[:, 1] = x
            for j in range(2, columns):
                powers[:, j] = powers[:, j - 1] * powers[:, 1]
        return result

    return vander_of


# ---- np.meshgrid, np.indices -------------------------------------------------------------------------


def _flag(name, value, default):
    if isinstance(value, types.BooleanLiteral):
        return value.literal_value
    if isinstance(value, bool):
        return value
    if value is None or isinstance(value, types.NoneType):
        return default
    raise CallRefused(f"`{name}` must be written `True` or `False`: the result depends on it")


def _grid_axis(index, count, xy):
    """The axis of the result along which the ``index``-th of ``count`` vectors of
    ``np.meshgrid`` lies (``'xy'`` indexing swaps the first two)."""
    if xy and count > 1 and index < 2:
        return 1 - index
    return index


def _grid_arrays(vectors, count, total, xy, sparse):
    """The tuple of ``np.meshgrid``'s arrays of the first ``count`` of ``vectors`` (of
    ``total``): each vector (flattened) laid along its axis, broadcast to the grid's shape
    unless ``sparse``; every one a new C-ordered array."""


@overload(_grid_arrays, prefer_literal=True)
def _grid_arrays_typing(vectors, count, total, xy, sparse):
    if not isinstance(count, types.IntegerLiteral):
        return None
    last = count.literal_value - 1
    n = total.literal_value
    if last < 0:

        def none_yet(vectors, count, total, xy, sparse):
            return ()

        return none_yet
    along = _grid_axis(last, n, xy.literal_value)
    dense = not sparse.literal_value
    before = (1,) * along
    after = (1,) * (n - along - 1)
    swapped = xy.literal_value and n > 1

    def with_last(vectors, count, total, xy, sparse):
        laid = vectors[last].ravel().reshape(before + (vectors[last].size,) + after)
        if dense:
            sizes = _sizes_of(vectors, n)
            if swapped:
                result = np.empty((sizes[1], sizes[0]) + sizes[2:], laid.dtype)
            else:
                result = np.empty(sizes, laid.dtype)
            result[...] = laid
        else:
            result = laid.copy()
        return _grid_arrays(vectors, last, total, xy, sparse) + (result,)

    return with_last


def _sizes_of(vectors, count):
    """The tuple of the sizes of the first ``count`` arrays of ``vectors``."""


@overload(_sizes_of, prefer_literal=True)
def _sizes_of_typing(vectors, count):
    if not isinstance(count, types.IntegerLiteral):
        return None
    last = count.literal_value - 1
    if last < 0:

        def none_yet(vectors, count):
            return ()

        return none_yet

    def with_last(vectors, count):
        return _sizes_of(vectors, last) + (vectors[last].size,)

    return with_last


@overload(np.meshgrid)
def meshgrid(*xi, copy=True, sparse=False, indexing="xy"):
    """``np.meshgrid(x, y, ...)``: the tuple of coordinate arrays of the grid of the vectors
    (flattened), ``'xy'`` (Cartesian, the first two axes swapped) or ``'ij'`` (matrix)
    indexing; ``sparse=True`` keeps each vector along its own axis. Every array is a new one
    (with ``copy=False`` NumPy gives read-only broadcast views)."""
    text = indexing.literal_value if isinstance(indexing, types.StringLiteral) else indexing
    if text not in ("xy", "ij"):
        raise CallRefused("`indexing=` of `np.meshgrid()` must be 'xy' or 'ij'")
    is_sparse = _flag("sparse=", sparse, False)
    _flag("copy=", copy, True)
    for x in xi:
        if not isinstance(x, types.Array):
            raise CallRefused(f"`np.meshgrid()` needs arrays, not `{x}`", hint="lists are not supported in compiled code yet")
    count = len(xi)
    xy = text == "xy"

    def grid0():
        return ()

    def grid1(a, copy=True, sparse=False, indexing=None):
        return _grid_arrays((a,), 1, 1, xy, is_sparse)

    def grid2(a, b, copy=True, sparse=False, indexing=None):
        return _grid_arrays((a, b), 2, 2, xy, is_sparse)

    def grid3(a, b, c, copy=True, sparse=False, indexing=None):
        return _grid_arrays((a, b, c), 3, 3, xy, is_sparse)

    def grid4(a, b, c, d, copy=True, sparse=False, indexing=None):
        return _grid_arrays((a, b, c, d), 4, 4, xy, is_sparse)

    forms = (grid0, grid1, grid2, grid3, grid4)
    if count >= len(forms):
        raise CallRefused("`np.meshgrid()` of more than 4 arrays is not supported in compiled code yet", unsupported=True)
    return forms[count]


def _index_arrays(dimensions, count, total, element, sparse):
    """The tuple of ``np.indices``' arrays for the first ``count`` of the ``total``
    dimensions: the indices along dimension ``i``, of the grid's shape, or (``sparse``) of
    length 1 elsewhere."""


@overload(_index_arrays, prefer_literal=True)
def _index_arrays_typing(dimensions, count, total, element, sparse):
    if not isinstance(count, types.IntegerLiteral):
        return None
    last = count.literal_value - 1
    n = total.literal_value
    if last < 0:

        def none_yet(dimensions, count, total, element, sparse):
            return ()

        return none_yet
    before = (1,) * last
    after = (1,) * (n - last - 1)
    dense = not sparse.literal_value

    def with_last(dimensions, count, total, element, sparse):
        laid = np.arange(dimensions[last]).astype(element).reshape(before + (dimensions[last],) + after)
        if dense:
            result = np.empty(dimensions, element)
            result[...] = laid
        else:
            result = laid
        return _index_arrays(dimensions, last, total, element, sparse) + (result,)

    return with_last


@overload(np.indices)
def indices(dimensions, dtype=int, sparse=False):
    """``np.indices(dimensions)``: the array of the index grids of ``dimensions`` (a tuple),
    stacked along a new first axis; with ``sparse=True`` the tuple of them, each of length 1
    along the other dimensions."""
    if not (isinstance(dimensions, types.BaseTuple) and all(isinstance(t, types.Integer) for t in dimensions.types)):
        raise CallRefused(f"`dimensions` of `np.indices()` must be a tuple of integers, not `{dimensions}`")
    element = np.int64 if dtype is int else _element_type(dtype, np.int64)
    is_sparse = _flag("sparse=", sparse, False)
    n = len(dimensions.types)
    if is_sparse:

        def sparse_indices(dimensions, dtype=None, sparse=False):
            return _index_arrays(dimensions, n, n, element, True)

        return sparse_indices

    def dense_indices(dimensions, dtype=None, sparse=False):
        result = np.empty((n,) + dimensions, element)
        stack_into(result, _index_arrays(dimensions, n, n, element, True), n)
        return result

    return dense_indices


def stack_into(front, arrays, count):
    """``front[i] = arrays[i]`` (broadcast, converted as ``_storable`` says) for the first
    ``count`` arrays of the tuple ``arrays``."""


@overload(stack_into, prefer_literal=True)
def _stack_into_typing(front, arrays, count):
    if not isinstance(count, types.IntegerLiteral):
        return None
    last = count.literal_value - 1
    if last < 0:

        def nothing(front, arrays, count):
            return None

        return nothing

    def place(front, arrays, count):
        stack_into(front, arrays, last)
        front[last] = _storable(arrays[last], front)

    return place


def complex_into_real(source, target):
    """Whether an array of complex numbers is copied into a real one (``casting='unsafe'``),
    which NumPy does keeping the real parts."""
    return isinstance(source.dtype, types.Complex) and not isinstance(target.dtype, types.Complex)


def _storable(x, target):
    """The array (or, of a 0-d array, the element) ``x`` as it is stored into ``target``: its
    real part for a real ``target`` and a complex ``x``."""


@overload(_storable)
def _storable_typing(x, target):
    real = complex_into_real(x, target)
    if x.ndim == 0 and real:

        def real_element(x, target):
            return x[()].real

        return real_element
    if x.ndim == 0:

        def element(x, target):
            return x[()]

        return element
    if real:

        def real_part(x, target):
            return x.real

        return real_part

    def unchanged(x, target):
        return x

    return unchanged
