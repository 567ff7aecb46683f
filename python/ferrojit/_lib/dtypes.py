"""Between ferrojit's types and NumPy's, for the typing functions of the library's modules."""

import numpy as np

from .. import types


def numpy_type(ty):
    """The NumPy scalar type of the ferrojit number type ``ty`` (``np.float32`` for ``float32``,
    ``np.int64`` for an integer literal)."""
    return np.dtype(types.unliteral(ty).name).type
