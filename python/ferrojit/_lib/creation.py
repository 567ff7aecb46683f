"""NumPy functions that create arrays (the others are the compiler's: np.empty, np.zeros, ...)."""

import numpy as np

from .. import types
from ..errors import TypingError
from ..extending import overload

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
    """``np.identity(n, dtype)``: ``np.eye(n)``, the dtype (a number type or an array's
    ``dtype``) passed on as it came."""
    if not isinstance(n, (types.Integer, types.Boolean)):
        return None
    if dtype is None or isinstance(dtype, types.NoneType):

        def identity_float64(n, dtype=None):
            return np.eye(n)

        return identity_float64
    if not isinstance(dtype, types.DTypeSpec):
        raise TypingError("`np.identity(dtype=...)` takes a NumPy scalar type such as `np.float64`, or an array's `dtype`")

    def identity_of(n, dtype=None):
        return np.eye(n, dtype=dtype)

    return identity_of
