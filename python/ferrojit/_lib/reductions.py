"""Reductions of whole arrays written in Python: ``prod``, ``argmin``, ``argmax``, ``all``,
``any``, ``var``, ``std``, ``cumsum``, ``cumprod``, as array methods and ``np.`` functions, with
NumPy's result types, NaN and empty-array behaviour. Each takes ``axis=None`` only for now (an
axis is a ``TypingError`` naming what to do)."""

import numpy as np

from .. import types
from ..errors import TypingError
from ..extending import overload, overload_method


def _real_or_bool(a):
    return isinstance(a, types.Array) and isinstance(a.dtype, (types.Boolean, types.Integer, types.Float))


def _number(a):
    return isinstance(a, types.Array) and isinstance(a.dtype, (types.Boolean, types.Integer, types.Float, types.Complex))


def _accumulator(dtype):
    """NumPy's type for sums and products of ``dtype``: 64-bit integers of the same signedness
    for booleans and integers, the type itself otherwise."""
    if isinstance(dtype, types.Boolean) or (isinstance(dtype, types.Integer) and dtype.signed):
        return np.int64
    if isinstance(dtype, types.Integer):
        return np.uint64
    return np.dtype(dtype.name).type


def _whole_array_only(name, axis):
    if axis is not None:
        raise TypingError(f"`{name}(axis=...)` is not supported yet; reduce the whole array, or loop over the axis")


def _both(name, typing):
    """Registers ``typing`` as the array method ``name`` and as ``np.name``."""
    overload_method(types.Array, name)(typing)
    overload(getattr(np, name))(typing)
    return typing


def prod_typing(a, axis=None, dtype=None, out=None, keepdims=False):
    if not _number(a):
        return None
    _whole_array_only("prod", axis)
    acc = _accumulator(a.dtype)

    def prod(a, axis=None, dtype=None, out=None, keepdims=False):
        result = acc(1)
        for v in a.ravel():
            result *= acc(v)
        return result

    return prod


def _arg_extreme(name, larger):
    def typing(a, axis=None, out=None, keepdims=False):
        if not _real_or_bool(a):
            return None
        _whole_array_only(name, axis)
        floats = isinstance(a.dtype, types.Float)

        # The first index of the extreme value; the first NaN's when there is one (NumPy).
        def first_extreme(flat):
            best = flat[0]
            at = 0
            if floats and best != best:
                return 0
            for i in range(1, flat.size):
                v = flat[i]
                if floats and v != v:
                    return i
                if (v > best) if larger else (v < best):
                    best = v
                    at = i
            return at

        if larger:

            def argmax(a, axis=None, out=None, keepdims=False):
                flat = a.ravel()
                if flat.size == 0:
                    raise ValueError("attempt to get argmax of an empty sequence")
                return first_extreme(flat)

            return argmax

        def argmin(a, axis=None, out=None, keepdims=False):
            flat = a.ravel()
            if flat.size == 0:
                raise ValueError("attempt to get argmin of an empty sequence")
            return first_extreme(flat)

        return argmin

    return typing


def _truth_reduction(name, want):
    def typing(a, axis=None, out=None, keepdims=False):
        if not _number(a):
            return None
        _whole_array_only(name, axis)

        def reduce_truth(a, axis=None, out=None, keepdims=False):
            for v in a.ravel():
                if bool(v) == want:
                    return want
            return not want

        return reduce_truth

    return typing


def _spread(name, root):
    def typing(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
        if not _real_or_bool(a):
            return None
        _whole_array_only(name, axis)
        result = np.float32 if a.dtype == types.float32 else np.float64

        # sum((a - mean)**2) / (n - ddof), as NumPy computes it; NaN or inf when n - ddof <= 0.
        def spread(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
            m = a.mean()
            d = a - m
            s = (d * d).sum()
            dof = a.size - ddof
            if dof <= 0:
                v = result(np.nan) if s == 0 or s != s else result(np.inf)
            else:
                v = result(s / result(dof))
            return result(np.sqrt(v)) if root else v

        return spread

    return typing


def _cumulative(name, multiply):
    def typing(a, axis=None, dtype=None, out=None):
        if not _number(a):
            return None
        _whole_array_only(name, axis)
        acc = _accumulator(a.dtype)

        def cumulative(a, axis=None, dtype=None, out=None):
            flat = a.ravel()
            result = np.empty(flat.size, acc)
            running = acc(1) if multiply else acc(0)
            for i in range(flat.size):
                if multiply:
                    running *= acc(flat[i])
                else:
                    running += acc(flat[i])
                result[i] = running
            return result

        return cumulative

    return typing


_both("prod", prod_typing)
_both("argmin", _arg_extreme("argmin", False))
_both("argmax", _arg_extreme("argmax", True))
_both("all", _truth_reduction("all", False))
_both("any", _truth_reduction("any", True))
_both("var", _spread("var", False))
_both("std", _spread("std", True))
_both("cumsum", _cumulative("cumsum", False))
_both("cumprod", _cumulative("cumprod", True))
