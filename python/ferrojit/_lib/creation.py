"""NumPy functions that create arrays: ``np.zeros``, ``np.ones``, ``np.full``, their ``*_like``
forms and ``np.empty_like``, ``np.arange``, ``np.eye``, ``np.identity``, ``np.linspace``.

They are written on top of the two the compiler implements: ``np.empty(shape, dtype)``, which
allocates a C-ordered array (and raises NumPy's ``ValueError`` for a negative dimension), and
``a.fill(value)``, which sets every element, converted to the array's type. Their typing
functions read the static arguments (``dtype=``, the shape's form, which arguments were given)
and return an implementation specialised for them; an argument NumPy has and compiled code
does not support yet is refused when given, whatever its value.
"""

import numpy as np

from .. import types
from ..errors import TypingError
from ..extending import CallRefused, overload

# NumPy's element types that compiled arrays hold, by ``np.dtype(...).name``.
_ELEMENT_TYPES = frozenset(
    ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32", "float64", "complex64", "complex128"]
)
_DTYPE_HINT = "pass a NumPy scalar type such as `np.float64`, a Python `float`/`int`/`bool`/`complex`, a name such as `\"float32\"`, or `a.dtype`"
_NUMBER = (types.Boolean, types.Integer, types.Float, types.Complex)


def _given(value):
    """Whether the caller wrote the argument: a typing function sees a written argument as a
    type, and one left out as the parameter's own default (a plain Python value)."""
    return isinstance(value, types.Type)


def _refuse_given(name, **arguments):
    """Refuses the call when it gives any of ``arguments`` (NumPy's parameters that compiled
    code does not support yet), as an ``UnsupportedError`` naming the first one."""
    for parameter, value in arguments.items():
        if _given(value):
            raise CallRefused(f"`{name}({parameter}=...)` is not supported in compiled code yet", unsupported=True)


def _numpy_type(ty):
    """The NumPy scalar type of the ferrojit number type ``ty`` (``np.float32`` for ``float32``,
    ``np.int64`` for an integer literal)."""
    return np.dtype(types.unliteral(ty).name).type


def _element_type(dtype, default):
    """The NumPy scalar type a ``dtype=`` argument names (``np.float32``, ``float``, a name such
    as ``"f4"``, an array's ``dtype``), or ``default`` when it is absent or None."""
    if not _given(dtype) or isinstance(dtype, types.NoneType):
        return default
    if isinstance(dtype, types.DTypeSpec):
        return _numpy_type(dtype.dtype)
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


def _check_fill(value, element):
    """The fill value must be a number that converts to ``element`` (complex numbers only to
    complex types)."""
    storable = isinstance(value, _NUMBER) and (np.dtype(element).kind == "c" or not isinstance(value, types.Complex))
    if not storable:
        raise CallRefused(
            f"cannot store a `{value}` into an array of `{np.dtype(element).name}`",
            hint="pass a scalar of a compatible type (array fill values are not supported yet)",
        )


# ---- np.zeros, np.ones, np.full -----------------------------------------------------------------


@overload(np.zeros)
def zeros(shape, dtype=None, order="C", *, device=None, like=None):
    _refuse_given("np.zeros", order=order, device=device, like=like)
    _check_shape(shape)
    element = _element_type(dtype, np.float64)

    def zeros_of(shape, dtype=None):
        a = np.empty(shape, element)
        a.fill(0)
        return a

    return zeros_of


@overload(np.ones)
def ones(shape, dtype=None, order="C", *, device=None, like=None):
    _refuse_given("np.ones", order=order, device=device, like=like)
    _check_shape(shape)
    element = _element_type(dtype, np.float64)

    def ones_of(shape, dtype=None):
        a = np.empty(shape, element)
        a.fill(1)
        return a

    return ones_of


@overload(np.full)
def full(shape, fill_value, dtype=None, order="C", *, device=None, like=None):
    """Of the fill value's type unless ``dtype`` is given."""
    _refuse_given("np.full", order=order, device=device, like=like)
    _check_shape(shape)
    element = _element_type(dtype, _numpy_type(fill_value) if isinstance(fill_value, _NUMBER) else np.float64)
    _check_fill(fill_value, element)

    def full_of(shape, fill_value, dtype=None):
        a = np.empty(shape, element)
        a.fill(fill_value)
        return a

    return full_of


# ---- np.empty_like, np.zeros_like, np.ones_like, np.full_like -----------------------------------


def _allocation_like(name, prototype, dtype):
    """A function ``(prototype) -> new array`` of the prototype's shape, uninitialised, of the
    ``dtype`` argument or else the prototype's, in NumPy's ``order='K'``: Fortran order for a
    Fortran-ordered prototype of two or more dimensions (made as the transpose of a C-ordered
    array of the reversed shape), else C order."""
    if not isinstance(prototype, types.Array):
        raise CallRefused(f"`{name}()` needs an array, not `{prototype}`")
    element = _element_type(dtype, _numpy_type(prototype.dtype))
    if prototype.layout == "F" and prototype.ndim > 1:

        def new_fortran_like(prototype):
            return np.empty(prototype.shape[::-1], element).T

        return new_fortran_like, element

    def new_like(prototype):
        return np.empty(prototype.shape, element)

    return new_like, element


@overload(np.empty_like)
def empty_like(prototype, /, dtype=None, order="K", subok=True, shape=None, *, device=None):
    _refuse_given("np.empty_like", order=order, subok=subok, shape=shape, device=device)
    allocate, _ = _allocation_like("np.empty_like", prototype, dtype)

    def empty_like_of(prototype, dtype=None):
        return allocate(prototype)

    return empty_like_of


@overload(np.zeros_like)
def zeros_like(a, dtype=None, order="K", subok=True, shape=None, *, device=None):
    _refuse_given("np.zeros_like", order=order, subok=subok, shape=shape, device=device)
    allocate, _ = _allocation_like("np.zeros_like", a, dtype)

    def zeros_like_of(a, dtype=None):
        result = allocate(a)
        result.fill(0)
        return result

    return zeros_like_of


@overload(np.ones_like)
def ones_like(a, dtype=None, order="K", subok=True, shape=None, *, device=None):
    _refuse_given("np.ones_like", order=order, subok=subok, shape=shape, device=device)
    allocate, _ = _allocation_like("np.ones_like", a, dtype)

    def ones_like_of(a, dtype=None):
        result = allocate(a)
        result.fill(1)
        return result

    return ones_like_of


@overload(np.full_like)
def full_like(a, fill_value, dtype=None, order="K", subok=True, shape=None, *, device=None):
    _refuse_given("np.full_like", order=order, subok=subok, shape=shape, device=device)
    allocate, element = _allocation_like("np.full_like", a, dtype)
    _check_fill(fill_value, element)

    def full_like_of(a, fill_value, dtype=None):
        result = allocate(a)
        result.fill(fill_value)
        return result

    return full_like_of


# ---- np.arange ----------------------------------------------------------------------------------


@overload(np.arange)
def arange(start=None, stop=None, step=None, dtype=None, *, device=None, like=None):
    """``np.arange([start,] stop[, step])``: a lone bound is the stop, as in NumPy. The result
    type is NumPy's (``int64`` promoted with the bounds' types: ``int64`` for integers and
    booleans, ``float64`` for floats and for ``uint64``) unless ``dtype`` is given. The length
    is NumPy's, ``ceil((stop - start) / step)`` (0 when negative); element ``i`` is
    ``start + i * step`` computed in ``int64`` or ``float64`` and then converted, as Numba
    computes it."""
    _refuse_given("np.arange", device=device, like=like)
    present = lambda t: _given(t) and not isinstance(t, types.NoneType)
    if not present(start) and not present(stop):
        raise CallRefused("`np.arange()` requires stop to be specified")
    bounds = [t for t in (start, stop, step) if present(t)]
    if not all(isinstance(t, (types.Boolean, types.Integer, types.Float)) for t in bounds):
        raise CallRefused("`np.arange()` needs real numbers", hint="complex ranges are not supported yet")
    promoted = np.result_type(np.int64, *(_numpy_type(t) for t in bounds))
    floating = promoted.kind == "f"
    work = np.float64 if floating else np.int64
    element = _element_type(dtype, promoted.type)
    boolean = element is np.bool_
    division_message = "float division by zero" if floating else "division by zero"

    def arange_of(start=None, stop=None, step=None, dtype=None):
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
        length = np.ceil((last - first) / delta)
        if floating:
            # NaN and lengths beyond int64 (from infinite or huge bounds), refused as NumPy does.
            if length != length:
                raise ValueError("arange: cannot compute length")
            if length >= 9.223372036854775807e18:
                raise ValueError("Maximum allowed size exceeded")
        n = int(length) if length > 0 else 0
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
    """``np.eye(N, M)``: ones on the main diagonal of an ``N`` by ``M`` (else ``N``) array."""
    _refuse_given("np.eye", k=k, order=order, device=device, like=like)
    columns_given = _given(M) and not isinstance(M, types.NoneType)
    for dimension in (N, M) if columns_given else (N,):
        if not isinstance(dimension, types.Integer):
            raise CallRefused(f"the dimensions of `np.eye()` must be integers, not `{dimension}`")
    element = _element_type(dtype, np.float64)

    def eye_of(N, M=None, dtype=None):
        if M is None:
            columns = N
        else:
            columns = M
        result = np.empty((N, columns), element)
        result.fill(0)
        for i in range(min(N, columns)):
            result[i, i] = 1
        return result

    return eye_of


_REAL = (types.Boolean, types.Integer, types.Float)


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
