"""Type stub for ``ferrojit.types``, whose scalar type names are made in a loop at import.

tests/test_typing_api.py checks with mypy's stubtest that it matches the module.
"""

from collections.abc import Iterable, Iterator
import typing

class Type:
    """A ferrojit type, compared and hashed by its name."""

    __slots__ = ("name",)
    name: str
    def __init__(self, name: str) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...
    def __call__(self, *args: Type) -> Signature: ...
    def __getitem__(self, dims: slice | tuple[slice, ...]) -> Array: ...

class Signature:
    """A function signature: return type and argument types."""

    __slots__ = ("return_type", "args")
    return_type: Type | None
    args: tuple[Type, ...]
    def __init__(self, return_type: Type | None, args: Iterable[Type]) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...

class Boolean(Type):
    __slots__ = ()

class Number(Type):
    __slots__ = ("bitwidth",)
    bitwidth: int
    def __init__(self, name: str, bitwidth: int) -> None: ...

class Integer(Number):
    __slots__ = ("signed",)
    signed: bool
    def __init__(self, name: str) -> None: ...

class Float(Number):
    __slots__ = ()
    def __init__(self, name: str) -> None: ...

class Complex(Number):
    __slots__ = ("underlying_float",)
    underlying_float: Float
    def __init__(self, name: str) -> None: ...

class NoneType(Type):
    __slots__ = ()

class BaseTuple(Type):
    __slots__ = ("types",)
    types: tuple[Type, ...]
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[Type]: ...
    def __getitem__(self, i: int) -> Type: ...  # type: ignore[override]

class UniTuple(BaseTuple):
    __slots__ = ("dtype", "count")
    dtype: Type
    count: int
    def __init__(self, dtype: Type, count: int) -> None: ...

class Tuple(BaseTuple):
    __slots__ = ()
    def __new__(cls, types: Iterable[Type]) -> Tuple | UniTuple: ...  # type: ignore[misc]
    def __init__(self, types: Iterable[Type]) -> None: ...

class BaseNamedTuple(BaseTuple):
    __slots__ = ("class_name",)
    class_name: str

class NamedUniTuple(BaseNamedTuple):
    __slots__ = ("dtype", "count")
    dtype: Type
    count: int
    def __init__(self, dtype: Type, count: int, class_name: str) -> None: ...

class NamedTuple(BaseNamedTuple):
    __slots__ = ()
    def __new__(cls, types: Iterable[Type], class_name: str) -> NamedTuple | NamedUniTuple: ...  # type: ignore[misc]
    def __init__(self, types: Iterable[Type], class_name: str) -> None: ...

class Array(Type):
    __slots__ = ("dtype", "ndim", "layout", "readonly", "aligned")
    dtype: Type
    ndim: int
    layout: str
    readonly: bool
    aligned: bool
    def __init__(self, dtype: Type, ndim: int, layout: typing.Literal["C", "F", "A"] = "A", readonly: bool = False, aligned: bool = True) -> None: ...
    @property
    def mutable(self) -> bool: ...
    def copy(self, dtype: Type | None = None, ndim: int | None = None, layout: typing.Literal["C", "F", "A"] | None = None, readonly: bool | None = None) -> Array: ...

class Literal(Type):
    __slots__ = ()

class IntegerLiteral(Literal, Integer):
    __slots__ = ("literal_value",)
    literal_value: int
    def __init__(self, value: int) -> None: ...
    @property
    def literal_type(self) -> Integer: ...

class BooleanLiteral(Literal, Boolean):
    __slots__ = ("literal_value",)
    literal_value: bool
    def __init__(self, value: bool) -> None: ...
    @property
    def literal_type(self) -> Boolean: ...

class StringLiteral(Literal):
    __slots__ = ("literal_value",)
    literal_value: str
    def __init__(self, value: str) -> None: ...

class DTypeSpec(Type):
    __slots__ = ()

class NumberClass(DTypeSpec):
    __slots__ = ("instance_type",)
    instance_type: Type
    def __init__(self, instance_type: Type) -> None: ...
    @property
    def dtype(self) -> Type: ...

class DType(DTypeSpec):
    __slots__ = ("dtype",)
    dtype: Type
    def __init__(self, dtype: Type) -> None: ...

class List(Type):
    __slots__ = ("dtype",)
    dtype: Type
    def __init__(self, dtype: Type) -> None: ...
    @property
    def item_type(self) -> Type: ...

class ListType(List):
    __slots__ = ()

class DictType(Type):
    __slots__ = ("key_type", "value_type")
    key_type: Type
    value_type: Type
    def __init__(self, key_type: Type, value_type: Type) -> None: ...

class SetType(Type):
    __slots__ = ("dtype",)
    dtype: Type
    def __init__(self, dtype: Type) -> None: ...

class UnicodeType(Type):
    __slots__ = ()

unicode_type: UnicodeType
string: UnicodeType

class Bytes(Type):
    __slots__ = ()

bytes_type: Bytes

class Function(Type):
    __slots__ = ()

class Generator(Type):
    __slots__ = ("yield_type",)
    yield_type: Type
    def __init__(self, name: str, yield_type: Type) -> None: ...

class Record(Type):
    __slots__ = ("fields", "size", "aligned")
    fields: tuple[tuple[str, Type, int], ...]
    size: int
    aligned: bool
    def __init__(self, fields: object, size: int, aligned: bool = ...) -> None: ...

class NPDatetime(Type):
    __slots__ = ("unit",)
    unit: str
    def __init__(self, unit: str = ...) -> None: ...

class NPTimedelta(Type):
    __slots__ = ("unit",)
    unit: str
    def __init__(self, unit: str = ...) -> None: ...

def unliteral(ty: Type) -> Type: ...
def from_name(name: str) -> Type: ...

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
    "Type", "Signature", "UniTuple", "Tuple", "Array", "Boolean", "Number", "Integer", "Float", "Complex",
    "NoneType", "BaseTuple", "BaseNamedTuple", "NamedTuple", "NamedUniTuple", "Literal", "IntegerLiteral", "BooleanLiteral", "StringLiteral", "DTypeSpec",
    "NumberClass", "DType", "List", "ListType", "DictType", "SetType", "UnicodeType", "unicode_type", "string", "Bytes", "bytes_type", "Function", "Generator", "Record", "NPDatetime", "NPTimedelta", "unliteral", "from_name",
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
