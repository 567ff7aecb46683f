"""Type objects, named as ``numba.types`` names them.

``int32``, ``float64[:, ::1]``, ``UniTuple(int64, 2)`` and friends build types; calling a type
builds a signature, as in Numba: ``int32(int32, int32)``. A type prints as Numba prints it
(``array(float64, 2d, C)``) and compares by that name.
"""


class Type:
    """A ferrojit type, compared and hashed by its name."""

    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return self.name

    __str__ = __repr__

    def __eq__(self, other):
        if isinstance(other, Type):
            return self.name == other.name
        return NotImplemented

    def __hash__(self):
        return hash(self.name)

    def __call__(self, *args):
        """``int32(int32, int32)``: the signature returning this type."""
        return Signature(self, args)

    def __getitem__(self, dims):
        """``float64[:]``, ``float64[:, ::1]`` (C), ``float64[::1, :]`` (F): an array type."""
        if not isinstance(dims, tuple):
            dims = (dims,)
        if not dims or not all(isinstance(d, slice) and d.start is None and d.stop is None and d.step in (None, 1) for d in dims):
            raise TypeError("array types are written with `:` and `::1`, e.g. `float64[:, ::1]`")
        unit = [d.step == 1 for d in dims]
        if len(dims) >= 1 and unit[-1] and not any(unit[:-1]):
            layout = "C"
        elif len(dims) > 1 and unit[0] and not any(unit[1:]):
            layout = "F"
        elif not any(unit):
            layout = "A"
        else:
            raise TypeError("`::1` may only mark the first or the last dimension")
        return Type(f"array({self.name}, {len(dims)}d, {layout})")


class Signature:
    """A function signature: return type and argument types."""

    __slots__ = ("return_type", "args")

    def __init__(self, return_type, args):
        self.return_type = return_type
        self.args = tuple(args)

    def __str__(self):
        ret = "" if self.return_type is None else str(self.return_type)
        return f"{ret}({', '.join(str(a) for a in self.args)})"

    __repr__ = __str__

    def __eq__(self, other):
        return isinstance(other, Signature) and str(self) == str(other)

    def __hash__(self):
        return hash(str(self))


def UniTuple(dtype, count):  # noqa: N802 (Numba's name)
    """A tuple of ``count`` items of ``dtype``."""
    return Type(f"UniTuple({dtype} x {count})")


def Array(dtype, ndim, layout="A", readonly=False, aligned=True):  # noqa: N802 (Numba's name)
    """An array type: ``Array(float64, 2, "C")`` is ``float64[:, ::1]``.

    ``aligned=False`` declares an array whose elements may sit at any address (NumPy's
    ``ALIGNED`` flag unset); aligned arrays convert to it too, so a signature declared with it
    takes both.
    """
    if layout not in ("C", "F", "A"):
        raise ValueError(f"layout must be 'C', 'F' or 'A', not {layout!r}")
    # Numba's order of the prefixes: ``unaligned readonly array(...)``.
    prefix = ("" if aligned else "unaligned ") + ("readonly " if readonly else "")
    return Type(f"{prefix}array({dtype}, {int(ndim)}d, {layout})")


def Tuple(types):  # noqa: N802 (Numba's name)
    """A tuple of items of the given types."""
    return Type(f"Tuple({', '.join(str(t) for t in types)})")


_SCALARS = {
    "boolean": "bool", "bool_": "bool", "b1": "bool",
    "int8": "int8", "int16": "int16", "int32": "int32", "int64": "int64",
    "uint8": "uint8", "uint16": "uint16", "uint32": "uint32", "uint64": "uint64",
    "float32": "float32", "float64": "float64", "complex64": "complex64", "complex128": "complex128",
    "intp": "int64", "uintp": "uint64", "intc": "int32", "uintc": "uint32",
    "float_": "float32", "double": "float64", "f4": "float32", "f8": "float64",
    "i1": "int8", "i2": "int16", "i4": "int32", "i8": "int64",
    "u1": "uint8", "u2": "uint16", "u4": "uint32", "u8": "uint64",
    "c8": "complex64", "c16": "complex128", "void": "none", "none": "none",
}

for _alias, _name in _SCALARS.items():
    globals()[_alias] = Type(_name)

__all__ = ["Type", "Signature", "UniTuple", "Tuple", "Array", *_SCALARS]
