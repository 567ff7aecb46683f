"""Between ferrojit's types and NumPy's, for the typing functions of the library's modules."""

import numpy as np

from .. import types


def is_time(ty):
    """Whether ``ty`` is a datetime64 or timedelta64 type."""
    return isinstance(ty, (types.NPDatetime, types.NPTimedelta))


def numpy_type(ty):
    """The NumPy scalar type of the ferrojit number type ``ty`` (``np.float32`` for ``float32``,
    ``np.int64`` for an integer literal); for a structured or time dtype, the ``np.dtype``
    itself (its scalar type does not say its fields or unit)."""
    if isinstance(ty, types.Record):
        return np.dtype({
            "names": [name for name, _, _ in ty.fields],
            "formats": [numpy_dtype(t) for _, t, _ in ty.fields],
            "offsets": [offset for _, _, offset in ty.fields],
            "itemsize": ty.size,
            "aligned": ty.aligned,
        })
    if is_time(ty):
        return numpy_dtype(ty)
    return np.dtype(types.unliteral(ty).name).type


def numpy_dtype(ty):
    """The ``np.dtype`` of the ferrojit element type ``ty``."""
    if isinstance(ty, types.NPDatetime):
        return np.dtype(f"M8[{ty.unit}]" if ty.unit else "M8")
    if isinstance(ty, types.NPTimedelta):
        return np.dtype(f"m8[{ty.unit}]" if ty.unit else "m8")
    return np.dtype(numpy_type(ty))


def element_of(dtype):
    """What new arrays of the ``np.dtype`` ``dtype`` are made with: its scalar type
    (``np.float32``) for numbers; the dtype itself for time and structured dtypes, whose scalar
    types (``np.datetime64``, ``np.void``) lose the unit or the fields. A multiple of a time
    unit (``M8[3ms]``), which compiled code does not type, is refused."""
    dtype = np.dtype(dtype)
    if dtype.kind in "mM":
        unit, multiple = np.datetime_data(dtype)
        if multiple != 1:
            from ..extending import CallRefused

            raise CallRefused(
                f"the time unit `{multiple}{unit}` (a multiple of `{unit}`) is not supported in compiled code: datetime64 and timedelta64 values are typed by one unit",
                hint=f"use the unit `{unit}` and scale the counts (`np.timedelta64(3 * n, '{unit}')`)",
                unsupported=True,
            )
    return dtype if dtype.kind in "mMV" else dtype.type


def scalar_maker(dtype):
    """The function compiled code converts a value to a scalar of the dtype ``dtype`` (an
    ``np.dtype`` or a NumPy scalar type) with: the scalar type itself for numbers
    (``np.float32(x)``); for a time dtype, whose scalar type loses the unit,
    ``np.datetime64(x, unit)``/``np.timedelta64(x, unit)``, which take an integer as a count of
    the unit and a time value of the same kind converted to it."""
    dtype = np.dtype(dtype)
    if dtype.kind not in "mM":
        return dtype.type
    unit, _ = np.datetime_data(dtype)
    if dtype.kind == "M":
        if unit == "generic":

            def generic_datetime(x):
                return np.datetime64(x)

            return generic_datetime

        def datetime_in_unit(x):
            return np.datetime64(x, unit)

        return datetime_in_unit
    if unit == "generic":

        def generic_timedelta(x):
            return np.timedelta64(x)

        return generic_timedelta

    def timedelta_in_unit(x):
        return np.timedelta64(x, unit)

    return timedelta_in_unit
