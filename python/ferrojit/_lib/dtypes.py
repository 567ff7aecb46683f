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
    types (``np.datetime64``, ``np.void``) lose the unit or the fields."""
    dtype = np.dtype(dtype)
    return dtype if dtype.kind in "mMV" else dtype.type
