"""Type objects, as ``numba.types`` names them (``int64``, ``float32``, ``UniTuple(int64 x 2)``)."""


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


_SCALARS = (
    "boolean int8 int16 int32 int64 uint8 uint16 uint32 uint64 float32 float64 "
    "complex64 complex128 none"
).split()

for _name in _SCALARS:
    globals()[_name] = Type("bool" if _name == "boolean" else _name)
bool_ = boolean  # noqa: F821 (defined above)
intp = int64  # noqa: F821
uintp = uint64  # noqa: F821
float_ = float32  # noqa: F821
double = float64  # noqa: F821
