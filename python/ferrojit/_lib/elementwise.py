"""Array methods that are NumPy's element-wise functions of the array: ``a.conj()``,
``a.conjugate()``."""

import numpy as np

from .. import types
from ..extending import overload_method


@overload_method(types.Array, "conj")
@overload_method(types.Array, "conjugate")
def array_conjugate(a):
    def conjugate(a):
        return np.conjugate(a)

    return conjugate
