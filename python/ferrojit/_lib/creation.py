"""NumPy functions that create arrays: ``np.zeros``, ``np.ones``, ``np.full``, their ``*_like``
forms and ``np.empty_like``, ``np.arange``, ``np.eye``, ``np.identity``, ``np.linspace``.

They are written on top of the two the compiler implements: ``np.empty(shape, dtype, order)``,
which allocates an array in C or Fortran order (and raises NumPy's ``ValueError`` for a
negative dimension), and ``a.fill(value)``, which sets every element, converted to the array's
type. Their typing functions read the static arguments (``dtype=``, ``order=``, the shape's
form, which arguments were given) and return an implementation specialised for them; an
argument value NumPy accepts and compiled code does not support yet is refused when given.
"""

import numpy as np

from .. import types
from ..errors import TypingError
from ..extending import CallRefused, overload, register_jitable
from .dtypes import numpy_type

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
        if named is not None and named.isnative and named.name in _ELEMENT_TYPES:
            return named.type
    raise CallRefused("unsupported `dtype`", hint=_DTYPE_HINT)


def _check_shape(shape):
    """A shape is an integer or a tuple of integers (NumPy refuses booleans)."""
    if isinstance(shape, types.Integer) or (isinstance(shape, types.BaseTuple) and all(isinstance(t, types.Integer) for t in shape)):
        return
    raise CallRefused(f"an array shape must be an integer or a tuple of integers, not `{shape}`")


def _shape_ndim(shape):
    """The number of dimensions of a (checked) shape argument."""
    return 1 if isinstance(shape, types.Integer) else len(shape)


def _fill_setter(value, element, ndim):
    """The function ``(array, value) -> None`` that stores ``value`` into every element of a
    new array of ``ndim`` dimensions holding ``element``, as NumPy's ``copyto`` does: a scalar
    is converted, an array is broadcast into the shape and converted. Complex values go only to
    complex types."""
    value_type = value.dtype if isinstance(value, types.Array) else value
    storable = isinstance(value_type, _NUMBER) and (np.dtype(element).kind == "c" or not isinstance(value_type, types.Complex))
    if not storable:
        raise CallRefused(
            f"cannot store a `{value}` into an array of `{np.dtype(element).name}`",
            hint="pass a number or an array of numbers of a compatible type",
        )
    if not isinstance(value, types.Array):

        def fill_with_scalar(array, value):
            array.fill(value)

        return fill_with_scalar
    if value.ndim > ndim:
        raise CallRefused(
            f"cannot broadcast a {value.ndim}-dimensional fill value into a {ndim}-dimensional array",
            hint="give a fill value with at most as many dimensions as the shape (drop its leading dimensions of length 1)",
        )

    def fill_with_array(array, value):
        array[...] = value

    return fill_with_array


# ---- np.zeros, np.ones, np.full -----------------------------------------------------------------


def _filled_with(name, value):
    """The typing function of ``np.zeros`` (``value`` 0) or ``np.ones`` (``value`` 1):
    float64 unless ``dtype`` is given."""

    def typing(shape, dtype=None, order=None, *, device=None, like=None):
        layout = _new_array_options(name, order, device, like)
        _check_shape(shape)
        element = _element_type(dtype, np.float64)

        def filled(shape, dtype=None, order=None, device=None, like=None):
            a = np.empty(shape, element, layout)
            a.fill(value)
            return a

        return filled

    return typing


overload(np.zeros)(_filled_with("np.zeros", 0))
overload(np.ones)(_filled_with("np.ones", 1))


@overload(np.full)
def full(shape, fill_value, dtype=None, order="C", *, device=None, like=None):
    """Of the fill value's type (an array's element type) unless ``dtype`` is given; an array
    fill value is broadcast into the shape."""
    layout = _new_array_options("np.full", order, device, like)
    _check_shape(shape)
    value_type = fill_value.dtype if isinstance(fill_value, types.Array) else fill_value
    element = _element_type(dtype, numpy_type(value_type) if isinstance(value_type, _NUMBER) else np.float64)
    store = _fill_setter(fill_value, element, _shape_ndim(shape))

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
        raise CallRefused(f"`subok=` of `{name}()` must be True or False, not `{subok}`")
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

    def typing(a, dtype=None, order=None, subok=None, shape=None, *, device=None):
        allocate, _, _ = _allocation_like(name, a, dtype, order, subok, shape, device)

        def filled_like(a, dtype=None, order=None, subok=None, shape=None, device=None):
            result = allocate(a, shape)
            result.fill(value)
            return result

        return filled_like

    return typing


overload(np.zeros_like)(_filled_like("np.zeros_like", 0))
overload(np.ones_like)(_filled_like("np.ones_like", 1))


@overload(np.full_like)
def full_like(a, fill_value, dtype=None, order="K", subok=True, shape=None, *, device=None):
    """An array fill value is broadcast into the shape."""
    allocate, element, ndim = _allocation_like("np.full_like", a, dtype, order, subok, shape, device)
    store = _fill_setter(fill_value, element, ndim)

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


def _complex_arange(element):
    """``np.arange`` with a complex bound (NumPy's rules): the length is the smaller of the
    lengths of the real and the imaginary parts of ``(stop - start) / step`` (0 when the bounds
    are equal), computed in complex128 as Python computes them; the elements are ``start``,
    ``start + step``, then ``start + i * delta`` part by part, ``delta`` being the difference
    of the first two as the result's type stores them."""
    part = np.float32 if element is np.complex64 else np.float64

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
            stored_step = result[1] - begin
            for i in range(2, n):
                result[i] = complex(begin.real + part(i) * stored_step.real, begin.imag + part(i) * stored_step.imag)
        return result

    return arange_of_complex


@overload(np.arange)
def arange(start=None, stop=None, step=None, dtype=None, *, device=None, like=None):
    """``np.arange([start,] stop[, step])``: a lone bound is the stop, as in NumPy. The result
    type is NumPy's (``int64`` promoted with the bounds' types: ``int64`` for integers and
    booleans, ``float64`` for floats and for ``uint64``, ``complex128`` for complex numbers)
    unless ``dtype`` is given. For real bounds the length is NumPy's,
    ``ceil((stop - start) / step)`` (0 when negative); element ``i`` is ``start + i * step``
    computed in ``int64`` or ``float64`` and then converted, as Numba computes it."""
    _check_device("np.arange", device)
    _check_like("np.arange", like)
    if not _present(start) and not _present(stop):
        raise CallRefused("`np.arange()` requires stop to be specified")
    bounds = [t for t in (start, stop, step) if _present(t)]
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
        return _complex_arange(element)
    floating = promoted.kind == "f"
    work = np.float64 if floating else np.int64
    boolean = element is np.bool_
    division_message = "float division by zero" if floating else "division by zero"

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
        for i in range(n):
            result[i] = first + i * delta
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
    dtype = np.result_type(*(np.dtype(t.name) for t in scalars))
    return np.float64 if dtype.kind in "biu" else dtype.type


@overload(np.linspace)
def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    if not isinstance(start, _REAL) or not isinstance(stop, _REAL):
        return None
    if not isinstance(num, (int, types.Integer, types.Boolean)) or not isinstance(endpoint, (bool, types.Boolean)):
        return None
    if retstep is not False or dtype is not None or axis != 0:
        raise TypingError("`np.linspace()` with `retstep=`, `dtype=` or `axis=` is not supported yet")
    out = _inexact(start, stop)

    # NumPy's algorithm, in the result's type: y = i * step + start, or (i / div) * delta +
    # start when the step underflows to 0; the last sample is `stop` itself.
    def impl(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
        if num < 0:
            raise ValueError("Number of samples must be non-negative.")
        div = num - 1 if endpoint else num
        y = np.empty(num, out)
        lo = out(start)
        delta = out(stop) - lo
        if div > 0:
            step = delta / out(div)
            if step == 0:
                for i in range(num):
                    y[i] = out(i) / out(div) * delta + lo
            else:
                for i in range(num):
                    y[i] = out(i) * step + lo
        else:
            for i in range(num):
                y[i] = out(i) * delta + lo
        if endpoint and num > 1:
            y[num - 1] = stop
        return y

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
