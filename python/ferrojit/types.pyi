"""Type stub for ``ferrojit.types``, whose scalar type names are made in a loop at import.

tests/test_typing_api.py checks with mypy's stubtest that it matches the module.
"""

from collections.abc import Iterable
from typing import Literal

class Type:
    """A ferrojit type, compared and hashed by its name."""

    __slots__ = ("name",)
    name: str
    def __init__(self, name: str) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...
    def __call__(self, *args: Type) -> Signature: ...
    def __getitem__(self, dims: slice | tuple[slice, ...]) -> Type: ...

class Signature:
    """A function signature: return type and argument types."""

    __slots__ = ("return_type", "args")
    return_type: Type | None
    args: tuple[Type, ...]
    def __init__(self, return_type: Type | None, args: Iterable[Type]) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...

def UniTuple(dtype: Type, count: int) -> Type: ...
def Array(dtype: Type, ndim: int, layout: Literal["C", "F", "A"] = "A", readonly: bool = False, aligned: bool = True) -> Type: ...
def Tuple(types: Iterable[Type]) -> Type: ...

boolean: Type
bool_: Type
b1: Type
int8: Type
int16: Type
int32: Type
int64: Type
uint8: Type
uint16: Type
uint32: Type
uint64: Type
float32: Type
float64: Type
complex64: Type
complex128: Type
intp: Type
uintp: Type
intc: Type
uintc: Type
float_: Type
double: Type
f4: Type
f8: Type
i1: Type
i2: Type
i4: Type
i8: Type
u1: Type
u2: Type
u4: Type
u8: Type
c8: Type
c16: Type
void: Type
none: Type

__all__ = [
    "Type", "Signature", "UniTuple", "Tuple", "Array",
    "boolean",
    "bool_",
    "b1",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "float32",
    "float64",
    "complex64",
    "complex128",
    "intp",
    "uintp",
    "intc",
    "uintc",
    "float_",
    "double",
    "f4",
    "f8",
    "i1",
    "i2",
    "i4",
    "i8",
    "u1",
    "u2",
    "u4",
    "u8",
    "c8",
    "c16",
    "void",
    "none",
]
