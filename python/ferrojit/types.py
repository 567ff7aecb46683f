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
        return Array(self, len(dims), layout)


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


class Boolean(Type):
    """``bool``."""

    __slots__ = ()


class Number(Type):
    """A number type, with its width in bits."""

    __slots__ = ("bitwidth",)

    def __init__(self, name, bitwidth):
        super().__init__(name)
        self.bitwidth = bitwidth


class Integer(Number):
    """``int8`` ... ``uint64``."""

    __slots__ = ("signed",)

    def __init__(self, name):
        signed = not name.startswith("u")
        super().__init__(name, int(name[3 if signed else 4 :]))
        self.signed = signed


class Float(Number):
    """``float32``, ``float64``."""

    __slots__ = ()

    def __init__(self, name):
        super().__init__(name, int(name[5:]))


class Complex(Number):
    """``complex64``, ``complex128``: ``underlying_float`` is the type of each part."""

    __slots__ = ("underlying_float",)

    def __init__(self, name):
        super().__init__(name, int(name[7:]))
        self.underlying_float = Float(f"float{self.bitwidth // 2}")


class NoneType(Type):
    """The type of ``None``."""

    __slots__ = ()


class BaseTuple(Type):
    """A tuple type; ``types`` are its items' types."""

    __slots__ = ("types",)

    def __len__(self):
        return len(self.types)

    def __iter__(self):
        return iter(self.types)

    def __getitem__(self, i):
        return self.types[i]


class UniTuple(BaseTuple):
    """A tuple of ``count`` items of ``dtype``."""

    __slots__ = ("dtype", "count")

    def __init__(self, dtype, count):
        super().__init__(f"UniTuple({dtype} x {count})")
        self.dtype, self.count = dtype, int(count)
        self.types = (dtype,) * self.count


class Tuple(BaseTuple):
    """A tuple of items of the given types (a :class:`UniTuple` when they are all the same,
    as in Numba)."""

    __slots__ = ()

    def __new__(cls, types):
        types = tuple(types)
        if types and all(t == types[0] for t in types):
            return UniTuple(types[0], len(types))
        return super().__new__(cls)

    def __init__(self, types):
        types = tuple(types)
        super().__init__(f"Tuple({', '.join(str(t) for t in types)})")
        self.types = types


class BaseNamedTuple(BaseTuple):
    """The type of the instances of a named tuple class (``collections.namedtuple``,
    ``typing.NamedTuple``), as Numba's: a tuple whose class is ``class_name``. Its operations
    are a tuple's; the field names are the compiler's (type names do not spell them)."""

    __slots__ = ("class_name",)


class NamedUniTuple(BaseNamedTuple):
    """A named tuple of ``count`` items of ``dtype``: ``Point(int64 x 2)``."""

    __slots__ = ("dtype", "count")

    def __init__(self, dtype, count, class_name):
        super().__init__(f"{class_name}({dtype} x {count})")
        self.dtype, self.count, self.class_name = dtype, int(count), class_name
        self.types = (dtype,) * self.count


class NamedTuple(BaseNamedTuple):
    """A named tuple of items of the given types: ``Point(int64, float64)`` (a
    :class:`NamedUniTuple` when they are all the same)."""

    __slots__ = ()

    def __new__(cls, types, class_name):
        types = tuple(types)
        if types and all(t == types[0] for t in types):
            return NamedUniTuple(types[0], len(types), class_name)
        return super().__new__(cls)

    def __init__(self, types, class_name):
        types = tuple(types)
        super().__init__(f"{class_name}({', '.join(str(t) for t in types)})")
        self.types, self.class_name = types, class_name


class Array(Type):
    """An array type: ``Array(float64, 2, "C")`` is ``float64[:, ::1]``.

    ``aligned=False`` declares an array whose elements may sit at any address (NumPy's
    ``ALIGNED`` flag unset); aligned arrays convert to it too, so a signature declared with it
    takes both.
    """

    __slots__ = ("dtype", "ndim", "layout", "readonly", "aligned")

    def __init__(self, dtype, ndim, layout="A", readonly=False, aligned=True):
        if layout not in ("C", "F", "A"):
            raise ValueError(f"layout must be 'C', 'F' or 'A', not {layout!r}")
        # Numba's order of the prefixes: ``unaligned readonly array(...)``.
        prefix = ("" if aligned else "unaligned ") + ("readonly " if readonly else "")
        super().__init__(f"{prefix}array({dtype}, {int(ndim)}d, {layout})")
        self.dtype, self.ndim, self.layout = dtype, int(ndim), layout
        self.readonly, self.aligned = bool(readonly), bool(aligned)

    @property
    def mutable(self):
        return not self.readonly

    def copy(self, dtype=None, ndim=None, layout=None, readonly=None):
        """This array type with some of its properties replaced, as Numba's ``Array.copy``."""
        return Array(
            self.dtype if dtype is None else dtype,
            self.ndim if ndim is None else ndim,
            self.layout if layout is None else layout,
            self.readonly if readonly is None else readonly,
            self.aligned,
        )


class List(Type):
    """A list of items of ``dtype`` (Numba's ``types.List``; ``item_type`` is the same).
    Lists passed in from Python are reflected: the caller's list sees the compiled code's
    changes."""

    __slots__ = ("dtype",)

    def __init__(self, dtype):
        super().__init__(f"list({dtype})")
        self.dtype = dtype

    @property
    def item_type(self):
        return self.dtype


class ListType(List):
    """Numba's ``types.ListType``, the type of a typed List (``ferrojit.typed.List``). Compiled
    code stores typed and reflected lists alike, so it is the same type as ``List``."""

    __slots__ = ()


class DictType(Type):
    """A dict from ``key_type`` keys to ``value_type`` values (Numba's ``types.DictType``)."""

    __slots__ = ("key_type", "value_type")

    def __init__(self, key_type, value_type):
        super().__init__(f"dict({key_type}, {value_type})")
        self.key_type, self.value_type = key_type, value_type


class SetType(Type):
    """A set of ``dtype`` items (Numba's ``types.Set``)."""

    __slots__ = ("dtype",)

    def __init__(self, dtype):
        super().__init__(f"set({dtype})")
        self.dtype = dtype


class UnicodeType(Type):
    """Python's ``str`` (Numba's ``types.UnicodeType``; its one instance is ``unicode_type``,
    also named ``string``)."""

    __slots__ = ()


unicode_type = string = UnicodeType("unicode_type")


class Bytes(Type):
    """Python's ``bytes`` (its one instance is ``bytes_type``)."""

    __slots__ = ()


bytes_type = Bytes("bytes")


class ExceptionArgs(Type):
    """``e.args`` of an exception caught in compiled code: a tuple of its arguments,
    its length known only when the code runs (compiled code's own type; Python sees a
    ``tuple``)."""

    __slots__ = ()


exception_args = ExceptionArgs("exception_args")


class Function(Type):
    """The type of one function used as a value (an ``@njit`` function, an inner function or a
    lambda, with what it captured): each function has a type of its own, as in Numba. Its
    name is ``function(name#id)`` or ``function(name#id; captured types)``."""

    __slots__ = ()


class Generator(Type):
    """The type of the generators of one generator function compiled for some argument types
    (Numba's ``types.Generator``): ``yield_type`` is the type of the values they yield. Its name
    is ``generator(name(argument types) -> yield type)``."""

    __slots__ = ("yield_type",)

    def __init__(self, name, yield_type):
        super().__init__(name)
        self.yield_type = yield_type


class ClassInstanceType(Type):
    """The type of the instances of one jitclass (Numba's ``ClassInstanceType``). Its name is
    ``instance.jitclass.Name#id<field:type,...>`` (``id`` the class's identity in the process); ``jitclass`` is the class (for the type a
    jitclass gives itself as ``Cls.class_type.instance_type``; None for one parsed from a
    name)."""

    __slots__ = ("jitclass",)

    def __init__(self, name):
        super().__init__(name)
        self.jitclass = None


class Record(Type):
    """A structured dtype, as Numba's ``Record``: ``fields`` is a tuple of ``(name, type,
    offset)``, ``size`` the item size in bytes, ``aligned`` whether it was made with
    ``align=True``. In compiled code one record (``a[i]``) is a 0-d array of this dtype."""

    __slots__ = ("fields", "size", "aligned")

    def __init__(self, fields, size, aligned=False):
        fields = tuple((str(n), t, int(o)) for n, t, o in fields)
        spelled = ",".join(f"{n}[type={t};offset={o}]" for n, t, o in fields)
        super().__init__(f"Record({spelled};{int(size)};{bool(aligned)})")
        self.fields, self.size, self.aligned = fields, int(size), bool(aligned)


class NPDatetime(Type):
    """``datetime64[unit]`` (``unit`` as NumPy's codes, ``""`` for the generic unit), as
    Numba's ``types.NPDatetime``."""

    __slots__ = ("unit",)

    def __init__(self, unit=""):
        super().__init__(f"datetime64[{unit}]" if unit else "datetime64")
        self.unit = unit


class NPTimedelta(Type):
    """``timedelta64[unit]``, as Numba's ``types.NPTimedelta``."""

    __slots__ = ("unit",)

    def __init__(self, unit=""):
        super().__init__(f"timedelta64[{unit}]" if unit else "timedelta64")
        self.unit = unit


class Literal(Type):
    """A value known at compile time, as Numba's literal types: ``literal_value`` is the value.
    An overload's typing function sees constants written in the call (``axis=0``,
    ``keepdims=True``, ``"ortho"``) with these types; see :func:`unliteral`."""

    __slots__ = ()


class IntegerLiteral(Literal, Integer):
    """An integer constant, ``Literal[int](0)``: an ``int64`` at run time (an ``Integer``
    too)."""

    __slots__ = ("literal_value",)

    def __init__(self, value):
        Type.__init__(self, f"Literal[int]({int(value)})")
        self.bitwidth, self.signed, self.literal_value = 64, True, int(value)

    @property
    def literal_type(self):
        return int64


class BooleanLiteral(Literal, Boolean):
    """``True`` or ``False`` written in the call, ``Literal[bool](True)``: a ``bool`` at run
    time (a ``Boolean`` too)."""

    __slots__ = ("literal_value",)

    def __init__(self, value):
        Type.__init__(self, f"Literal[bool]({bool(value)})")
        self.literal_value = bool(value)

    @property
    def literal_type(self):
        return boolean


class StringLiteral(Literal):
    """A string constant, ``Literal[str](text)``: compiled code has no strings at run time, so
    an implementation can only use it at compile time (or pass it on)."""

    __slots__ = ("literal_value",)

    def __init__(self, value):
        super().__init__(f"Literal[str]({value})")
        self.literal_value = str(value)


class DTypeSpec(Type):
    """A type that stands for an element type: ``dtype`` is that type (a :class:`Number` or
    ``boolean``)."""

    __slots__ = ()


class NumberClass(DTypeSpec):
    """A number type used as a value, ``class(float32)``: ``np.float32``, ``np.int64``, or
    Python's ``float``/``int``/``bool``/``complex``; ``instance_type`` (also ``dtype``) is the
    type of the numbers it makes. Calling it in compiled code converts, as NumPy's."""

    __slots__ = ("instance_type",)

    def __init__(self, instance_type):
        super().__init__(f"class({instance_type})")
        self.instance_type = instance_type

    @property
    def dtype(self):
        return self.instance_type


class DType(DTypeSpec):
    """An array's ``dtype`` attribute, ``dtype(float32)``: ``dtype`` is the element type."""

    __slots__ = ("dtype",)

    def __init__(self, dtype):
        super().__init__(f"dtype({dtype})")
        self.dtype = dtype


class Optional(Type):
    """Numba's ``OptionalType``: ``None`` or a value of ``type``."""

    __slots__ = ("type",)

    def __init__(self, inner):
        super().__init__(f"OptionalType({inner})")
        self.type = inner


def optional(ty):
    """Numba's ``types.optional(ty)``: ``None`` or a value of ``ty`` (a jitclass field that may
    be empty)."""
    return Optional(ty)


def unliteral(ty):
    """The run-time type of ``ty``: ``int64`` for an integer literal, ``boolean`` for a bool
    literal, ``ty`` itself otherwise (as Numba's ``types.unliteral``)."""
    if isinstance(ty, StringLiteral):
        return unicode_type
    return ty.literal_type if isinstance(ty, (IntegerLiteral, BooleanLiteral)) else ty


def from_name(name):
    """The type named ``name`` as ferrojit prints types: ``int64``, ``UniTuple(int64 x 2)``,
    ``Tuple(int64, float64)``, ``readonly array(float64, 2d, C)``."""
    try:
        return _NAMED[name]
    except KeyError:
        pass
    # A string's text may hold any character: it is only ever a whole argument's type.
    if name.startswith("Literal[str](") and name.endswith(")"):
        return StringLiteral(name[len("Literal[str](") : -1])
    ty, rest = _parse(name.strip())
    if rest:
        raise ValueError(f"not a type name: {name!r}")
    return ty


def _parse(text):
    """The type at the start of ``text`` and what follows it."""
    for prefix in ("unaligned ", "readonly "):
        if text.startswith(prefix):
            inner, rest = _parse(text[len(prefix) :])
            if not isinstance(inner, Array):
                raise ValueError(f"{prefix.strip()} applies to arrays only")
            readonly = inner.readonly or prefix == "readonly "
            aligned = inner.aligned and prefix != "unaligned "
            return Array(inner.dtype, inner.ndim, inner.layout, readonly, aligned), rest
    for prefix, make in (("Literal[int](", lambda v: IntegerLiteral(int(v))), ("Literal[bool](", lambda v: BooleanLiteral(v == "True"))):
        if text.startswith(prefix):
            value, rest = text[len(prefix) :].split(")", 1)
            return make(value), rest
    for prefix, make in (("class(", NumberClass), ("dtype(", DType)):
        if text.startswith(prefix):
            inner, rest = _parse(text[len(prefix) :])
            return make(inner), _expect(rest, ")")
    for prefix, make in (("datetime64", NPDatetime), ("timedelta64", NPTimedelta)):
        if text.startswith(prefix):
            rest = text[len(prefix) :]
            if rest.startswith("[") and not rest.startswith("[:"):
                unit, rest = rest[1:].split("]", 1)
                return make(unit), rest
            return make(), rest
    if text.startswith("Record(") and "[type=" in text[len("Record(") :].split(")", 1)[0]:
        # (Not a named tuple class called `Record`, whose items follow the parenthesis.)
        fields, rest = [], text[len("Record(") :]
        while True:
            name, rest = rest.split("[type=", 1)
            ty, rest = _parse(rest)
            offset, rest = _expect(rest, ";offset=").split("]", 1)
            fields.append((name, ty, int(offset)))
            if rest.startswith(";"):
                break
            rest = _expect(rest, ",")
        size, aligned_and_rest = rest[1:].split(";", 1)
        aligned, rest = aligned_and_rest.split(")", 1)
        return Record(fields, int(size), aligned == "True"), rest
    if text.startswith("function("):
        depth = 0
        for at, c in enumerate(text):
            depth += c == "("
            depth -= c == ")"
            if depth == 0 and c == ")":
                return Function(text[: at + 1]), text[at + 1 :]
        raise ValueError(f"unbalanced function type name: {text!r}")
    if text.startswith("OptionalType("):
        inner, rest = _parse(text[len("OptionalType(") :])
        return Optional(inner), _expect(rest, ")")
    if text.startswith("instance.jitclass."):
        # `instance.jitclass.Node#2<value:float64,child:instance.jitclass.Leaf#1<x:int64>>`: the
        # fields end at the `>` that balances the first `<`.
        depth = 0
        for at, c in enumerate(text):
            depth += c == "<"
            depth -= c == ">"
            if depth == 0 and c == ">":
                return ClassInstanceType(text[: at + 1]), text[at + 1 :]
        raise ValueError(f"unbalanced jitclass instance type name: {text!r}")
    if text.startswith("generator("):
        # `generator(gen(int64, list(float64)) -> UniTuple(int64 x 2))`: the yield type
        # follows the ` -> ` outside the argument types' parentheses.
        depth = 0
        for at, c in enumerate(text):
            depth += c == "("
            depth -= c == ")"
            if depth == 1 and text.startswith(" -> ", at):
                yield_type, rest = _parse(text[at + 4 :])
                rest = _expect(rest, ")")
                return Generator(text[: len(text) - len(rest)], yield_type), rest
        raise ValueError(f"not a generator type name: {text!r}")
    if text.startswith("dict("):
        key, rest = _parse(text[5:])
        value, rest = _parse(_expect(rest, ", "))
        return DictType(key, value), _expect(rest, ")")
    if text.startswith("set("):
        item, rest = _parse(text[4:])
        return SetType(item), _expect(rest, ")")
    if text.startswith("list("):
        item, rest = _parse(text[5:])
        return List(item), _expect(rest, ")")
    if text.startswith("array("):
        dtype, rest = _parse(text[6:])
        ndim, layout_and_rest = rest.lstrip(", ").split("d, ", 1)
        layout, rest = layout_and_rest[0], layout_and_rest[1:]
        return Array(dtype, int(ndim), layout), _expect(rest, ")")
    if text.startswith("UniTuple("):
        dtype, rest = _parse(text[9:])
        count, rest = rest.removeprefix(" x ").split(")", 1)
        return UniTuple(dtype, int(count)), rest
    if text.startswith("Tuple("):
        items, rest = [], text[6:]
        while not rest.startswith(")"):
            item, rest = _parse(rest.removeprefix(", "))
            items.append(item)
        return Tuple(items), rest[1:]
    end = len(text)
    for stop in ",) ;(":
        at = text.find(stop)
        if at != -1:
            end = min(end, at)
    word, rest = text[:end], text[end:]
    if rest.startswith("(") and word.isidentifier() and word not in _NAMED:
        # A named tuple: `Point(int64 x 2)`, `Point(int64, float64)`, `Empty()`.
        if rest.startswith("()"):
            return NamedTuple((), word), rest[2:]
        item, rest = _parse(rest[1:])
        if rest.startswith(" x "):
            count, rest = rest[3:].split(")", 1)
            return NamedUniTuple(item, int(count), word), rest
        items = [item]
        while not rest.startswith(")"):
            item, rest = _parse(_expect(rest, ", "))
            items.append(item)
        return NamedTuple(items, word), rest[1:]
    if word not in _NAMED:
        raise ValueError(f"not a type name: {word!r}")
    return _NAMED[word], rest


def _expect(text, token):
    if not text.startswith(token):
        raise ValueError(f"expected {token!r} in a type name, found {text!r}")
    return text[len(token) :]


def _scalar(name):
    if name == "bool":
        return Boolean(name)
    if name == "none":
        return NoneType(name)
    if name.startswith("complex"):
        return Complex(name)
    if name.startswith("float"):
        return Float(name)
    return Integer(name)


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

_NAMED = {name: _scalar(name) for name in sorted(set(_SCALARS.values()))}
_NAMED["unicode_type"] = unicode_type
_NAMED["bytes"] = bytes_type
_NAMED["exception_args"] = exception_args
for _alias, _name in _SCALARS.items():
    globals()[_alias] = _NAMED[_name]

__all__ = [
    "Type", "Signature", "UniTuple", "Tuple", "Array", "Boolean", "Number", "Integer", "Float", "Complex",
    "NoneType", "BaseTuple", "BaseNamedTuple", "NamedTuple", "NamedUniTuple", "Literal", "IntegerLiteral", "BooleanLiteral", "StringLiteral", "DTypeSpec",
    "NumberClass", "DType", "List", "ListType", "DictType", "SetType", "UnicodeType", "unicode_type", "string", "Bytes", "bytes_type", "Function", "Generator", "Record", "NPDatetime", "NPTimedelta", "unliteral", "from_name", *_SCALARS,
]
