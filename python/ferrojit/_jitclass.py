"""``@jitclass`` (Numba's ``numba.experimental.jitclass``): classes whose instances compiled code
makes, passes, returns and changes, with fields of declared types and compiled methods.

The decorator reads the class once and builds, in its place, a Python class of the same name
deriving from ``_native.JitInstance`` (through the Python class of a jitclass base, when the
class derives from one):

- the fields come from the spec (``[('x', float64), ('data', float64[:])]`` or a dict) and the
  class's annotations (``x: float64``, ``n: int``), a jitclass base's fields first; each is a
  property of the new class reading and writing the instance's record (``instances.rs`` in
  ferrojit_python), and ``__slots__ = ()`` leaves no room for other attributes, so a misspelt
  name is an ``AttributeError`` in Python as in compiled code;
- every function of the class body (and of its jitclass bases, unless overridden) becomes an
  ``@njit`` dispatcher taking the instance first, as do properties' getters and setters and
  static methods; the new class calls them, so a method called from Python runs compiled;
- calling the class makes an empty record and runs the compiled ``__init__`` on it.

The compiler knows the class by the identity ``register_jitclass`` gives it (see
``classes.rs`` in ferrojit_infer); compiled code calling the class, reading fields and calling
methods is typed there.
"""

from __future__ import annotations

import sys
import types as _pytypes

from . import _native
from ._dispatcher import Dispatcher
from . import types

# Python's own classes as field annotations, and the types compiled code gives their values.
_PYTHON_TYPES = {float: types.float64, int: types.int64, bool: types.boolean, complex: types.complex128, str: types.unicode_type}


def _location(cls):
    """``file, line N`` of the class statement, for messages (best effort)."""
    for value in vars(cls).values():
        func = getattr(value, "__func__", value)
        func = getattr(func, "fget", func)
        code = getattr(func, "__code__", None)
        if code is not None:
            return f"{code.co_filename}, class `{cls.__qualname__}` (near line {code.co_firstlineno})"
    module = sys.modules.get(cls.__module__)
    filename = getattr(module, "__file__", None) or cls.__module__
    return f"{filename}, class `{cls.__qualname__}`"


def _error(cls, message, hint=None):
    text = f"jitclass `{cls.__name__}`: {message}\n  File {_location(cls)}"
    if hint:
        text += f"\n  hint: {hint}"
    return TypeError(text)


def _is_jitclass(obj):
    """Whether ``obj`` is a class ``@jitclass`` made (not a plain subclass of one)."""
    return isinstance(obj, type) and issubclass(obj, _native.JitInstance) and "_ferrojit_class_id_" in vars(obj)


class _ClassType:
    """Numba's ``Cls.class_type``: its ``instance_type`` is the type of the instances, which
    a spec may name (``[('child', Leaf.class_type.instance_type)]``)."""

    __slots__ = ("instance_type",)

    def __init__(self, instance_type):
        self.instance_type = instance_type

    def __repr__(self):
        return f"jitclass({self.instance_type.jitclass.__name__})"


class _ThisClass:
    """Stands for the class being decorated in its own annotations (``next: Optional[Node]``
    written before ``Node`` exists): evaluated with the class's name bound to this."""


def _self_reference(cls):
    """The type of the class's own instances inside its fields: a reference the compiler
    resolves (``InstanceType::reference``)."""
    return types.ClassInstanceType(f"instance.jitclass.{cls.__name__}<...>")


def _names_this_class(cls, declared):
    """Whether ``declared`` names the class being decorated: its name as a string or a
    ``typing.ForwardRef``, or the stand-in of its evaluated annotations."""
    if declared is _ThisClass:
        return True
    text = getattr(declared, "__forward_arg__", declared)
    return isinstance(text, str) and text == cls.__name__


def _field_type(cls, name, declared):
    """What ``register_jitclass`` takes for a field declared ``declared``: a
    ``ferrojit.types`` type, or a jitclass."""
    if _names_this_class(cls, declared):
        return _self_reference(cls)
    if isinstance(declared, types.ClassInstanceType) and getattr(declared, "jitclass", None) is not None:
        return declared.jitclass
    # `optional(T)`, `Optional[T]`, `T | None`: `None` or a value of `T`.
    inner = None
    if isinstance(declared, types.Optional):
        inner = declared.type
    elif type(declared).__name__ in ("UnionType", "_UnionGenericAlias") and len(getattr(declared, "__args__", ())) == 2 and type(None) in declared.__args__:
        inner = next(a for a in declared.__args__ if a is not type(None))
    if inner is not None:
        inner = _field_type(cls, name, inner)
        return types.optional(inner.class_type.instance_type if _is_jitclass(inner) else inner)
    if isinstance(declared, types.Type) or _is_jitclass(declared):
        return declared
    if declared in _PYTHON_TYPES:
        return _PYTHON_TYPES[declared]
    numpy = sys.modules.get("numpy")
    if numpy is not None and isinstance(declared, type) and issubclass(declared, numpy.generic):
        try:
            return types.from_name(numpy.dtype(declared).name)
        except (TypeError, ValueError, KeyError):
            pass
    shown = getattr(declared, "__qualname__", None) or repr(declared)
    raise _error(
        cls,
        f"the field `{name}` is declared `{shown}`, which compiled code cannot store",
        "declare fields with types from `ferrojit.types` (`float64`, `int64`, `float64[:]`, `unicode_type`), `int`, `float`, `complex`, `bool`, `str`, or another jitclass",
    )


def _spec_items(cls, spec):
    """The spec as ``(name, type)`` pairs, in order."""
    if spec is None:
        return []
    items = list(spec.items()) if isinstance(spec, dict) else list(spec)
    for item in items:
        if not (isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str)):
            raise _error(cls, f"a spec entry must be a `(name, type)` pair, got {item!r}", "write the spec as `[('x', float64), ('data', float64[:])]` or `{'x': float64}`")
    return items


def _annotations(cls):
    """The class's own annotations, evaluated (also under ``from __future__ import
    annotations``)."""
    raw = cls.__dict__.get("__annotations__", {})
    module = sys.modules.get(cls.__module__)
    namespace = dict(vars(module)) if module is not None else {}
    out = []
    for name, value in raw.items():
        if isinstance(value, str):
            try:
                # The class's own name stands for it (it is not bound yet while decorated).
                value = eval(value, namespace, {**vars(cls), cls.__name__: _ThisClass})  # noqa: S307 (the module's own annotation text)
            except Exception as exc:
                raise _error(cls, f"cannot evaluate the annotation of `{name}` ({value!r}): {exc}") from None
        # `typing.ClassVar[...]` annotations are not fields.
        if getattr(value, "__origin__", None) is getattr(sys.modules.get("typing"), "ClassVar", object()):
            continue
        out.append((name, value))
    return out


def _fields(cls, spec, base):
    """The fields in order (a jitclass base's first) as ``(name, declared type)``."""
    fields = list(base._ferrojit_fields_) if base is not None else []
    seen = {name for name, _ in fields}
    declared = _spec_items(cls, spec)
    names_in_spec = {name for name, _ in declared}
    declared += [(name, t) for name, t in _annotations(cls) if name not in names_in_spec]
    for name, declared_type in declared:
        if name in seen:
            raise _error(cls, f"the field `{name}` is declared twice (here and in a base class)")
        seen.add(name)
        fields.append((name, _field_type(cls, name, declared_type)))
    return fields


def _compiled(func, cache):
    """The dispatcher of ``func``, one per function (a base's method inherited by a subclass
    is the same dispatcher, compiled once per receiver type)."""
    dispatcher = cache.get(func)
    if dispatcher is None:
        dispatcher = cache[func] = Dispatcher(func, {})
    return dispatcher


# Every function made into a method's dispatcher, by function.
_dispatchers: dict[object, Dispatcher] = {}


def _members(cls, base, field_names):
    """Methods, properties and static methods as ``register_jitclass`` takes them (a jitclass
    base's first, overridden by the class's own), and the dispatchers of the class's own
    body."""
    members = dict(base._ferrojit_members_) if base is not None else {}
    own = []
    generated = _dataclass_generated(cls)
    for name, value in vars(cls).items():
        if name in generated:
            continue
        if name in ("__dict__", "__weakref__", "__module__", "__qualname__", "__doc__", "__annotations__", "__slots__"):
            continue
        if name in field_names:
            if isinstance(value, (_pytypes.FunctionType, property, staticmethod, classmethod)):
                raise _error(cls, f"`{name}` is both a field and a method or property")
            # A default value for a field (`x: float = 0.0`): Numba ignores it; so does this.
            continue
        if isinstance(value, _pytypes.FunctionType):
            members[name] = ("method", _compiled(value, _dispatchers), None)
        elif isinstance(value, staticmethod):
            members[name] = ("static", _compiled(value.__func__, _dispatchers), None)
        elif isinstance(value, property):
            if value.fget is None:
                raise _error(cls, f"the property `{name}` has no getter")
            setter = _compiled(value.fset, _dispatchers) if value.fset is not None else None
            members[name] = ("property", _compiled(value.fget, _dispatchers), setter)
        elif isinstance(value, classmethod):
            members[name] = ("class", _compiled(value.__func__, _dispatchers), None)
        else:
            continue
        own.extend(d for d in members[name][1:] if d is not None)
    return members, own


def _dataclass_generated(cls):
    """The names of the methods ``dataclasses.dataclass`` wrote for ``cls`` (from text it made
    up, which has no source file to compile): its ``__init__`` becomes the one made from the
    fields; the others (``__repr__``, ``__eq__``, ...) stay plain Python methods."""
    if "__dataclass_fields__" not in vars(cls):
        return set()
    dataclasses_file = getattr(sys.modules.get("dataclasses"), "__file__", None)
    return {
        name
        for name, value in vars(cls).items()
        if isinstance(value, _pytypes.FunctionType) and (value.__code__.co_filename.startswith("<") or value.__code__.co_filename == dataclasses_file)
    }


def _always_set(cls, dispatcher, base):
    """The fields ``__init__`` (the dispatcher) sets on every path through it: those assigned
    (``self.x = ...``, also in tuple targets) by the statements of its body before any
    statement that may return, and a base's after a ``super().__init__(...)`` among them.
    Reads of the other fields are checked (CPython's ``AttributeError`` when never set)."""
    import ast
    import textwrap

    try:
        dispatcher._load_sources()
        text = textwrap.dedent(dispatcher._source_text()[1])
        function = ast.parse(text).body[0]
    except Exception:
        return set()
    if not isinstance(function, ast.FunctionDef) or not function.args.args:
        return set()
    this = function.args.args[0].arg

    def assigned(target, out):
        if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == this:
            out.add(target.attr)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for item in target.elts:
                assigned(item, out)

    def is_super_init(stmt):
        call = stmt.value if isinstance(stmt, ast.Expr) else None
        return (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr == "__init__"
            and isinstance(call.func.value, ast.Call)
            and isinstance(call.func.value.func, ast.Name)
            and call.func.value.func.id == "super"
        )

    out = set()
    for stmt in function.body:
        if isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                assigned(target, out)
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            assigned(stmt.target, out)
        elif is_super_init(stmt) and base is not None:
            out |= base._ferrojit_always_set_
        elif any(isinstance(node, ast.Return) for node in ast.walk(stmt)):
            break
    return out


def _auto_init_defaults(cls, fields, base):
    """Per field, ``()`` or ``(default,)``: the parameters of the ``__init__`` a class without
    one gets (dataclass style), a default being the class attribute of the field's name
    (``x: float = 0.0``), as ``dataclasses`` takes it."""
    inherited = dict(base._ferrojit_auto_init_ or ()) if base is not None else {}
    defaults = []
    seen_default = False
    for name, _ in fields:
        if name in vars(cls):
            value = vars(cls)[name]
            field = getattr(cls, "__dataclass_fields__", {}).get(name)
            if field is not None and field.default_factory is not getattr(sys.modules.get("dataclasses"), "MISSING", None):
                raise _error(cls, f"the field `{name}` has a `default_factory`, which jitclasses do not support", "give the field a constant default, or set it in an `__init__`")
            defaults.append((value,))
        elif name in inherited:
            defaults.append(inherited[name])
        else:
            if seen_default:
                raise _error(cls, f"the field `{name}` without a default follows a field with one", "give it a default, or move it before the fields that have one")
            defaults.append(())
            continue
        seen_default = True
    return defaults


def _method(name, dispatcher):
    def method(self, *args, **kwargs):
        return dispatcher(self, *args, **kwargs)

    def exit_method(self, exc_type, exc, tb):
        # Python's `with` passes the exception's class, the exception and its traceback;
        # compiled code has no class objects, so `__exit__` gets the exception as its type as
        # well, and no traceback, as compiled `with` statements call it.
        return dispatcher(self, exc, exc, None)

    if name == "__exit__":
        method = exit_method

    method.__name__ = name
    method.__qualname__ = dispatcher.__qualname__
    method.__doc__ = dispatcher.__doc__
    return method


def _match_args(cls, fields, auto_init):
    """The class's ``__match_args__`` (its own, a base's, or, for a class whose fields are its
    ``__init__``'s parameters, those fields in order, as ``@dataclass`` writes it); ``None``
    when it has none."""
    match_args = getattr(cls, "__match_args__", None)
    if match_args is None and auto_init is not None:
        match_args = tuple(name for name, _ in fields)
    if match_args is not None and not (isinstance(match_args, tuple) and all(isinstance(name, str) for name in match_args)):
        raise _error(cls, "`__match_args__` must be a tuple of strings")
    return match_args


def _build(cls, spec):
    bases = [b for b in cls.__bases__ if b is not object]
    jit_bases = [b for b in bases if _is_jitclass(b)]
    if len(bases) > 1 or (bases and not jit_bases):
        raise _error(cls, "a jitclass derives from one other jitclass at most", "derive from `object` or from one class decorated with `@jitclass`")
    base = jit_bases[0] if jit_bases else None
    fields = _fields(cls, spec, base)
    field_names = {name for name, _ in fields}
    members, own = _members(cls, base, field_names)
    init = members.get("__init__")
    # Without an `__init__` (its own or a base's), the fields are the parameters of one.
    auto_init = _auto_init_defaults(cls, fields, base) if init is None and fields else None
    if auto_init is not None:
        always_set = {name for name, _ in fields}
    elif init is None:
        always_set = set()
    elif "__init__" in vars(cls) and "__init__" not in _dataclass_generated(cls):
        always_set = _always_set(cls, init[1], base)
    else:
        always_set = set(base._ferrojit_always_set_)

    class_id = None
    if auto_init is not None:
        import inspect

        parameters = [
            inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=d[0] if d else inspect.Parameter.empty)
            for (name, _), d in zip(fields, auto_init)
        ]
        auto_signature = inspect.Signature(parameters)
        # A function with these parameters and no body, whose call gives CPython's own
        # `TypeError` for arguments that do not bind.
        stub_parameters = [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
        stub_parameters += [p.replace(default=None if p.default is not p.empty else p.empty) for p in parameters]
        stub_namespace: dict = {}
        exec(f"def __init__{inspect.Signature(stub_parameters)}: pass", stub_namespace)  # noqa: S102 (parameter names only)
        binding_stub = stub_namespace["__init__"]
        binding_stub.__qualname__ = f"{cls.__qualname__}.__init__"

    def __init__(self, *args, **kwargs):
        _native.instance_init(self, class_id)
        if init is not None:
            init[1](self, *args, **kwargs)
        elif auto_init is not None:
            binding_stub(self, *args, **kwargs)
            bound = auto_signature.bind(*args, **kwargs)
            bound.apply_defaults()
            for index, value in enumerate(bound.args):
                _native.instance_set(self, index, value)
        elif args or kwargs:
            raise TypeError(f"{cls.__name__}() takes no arguments")

    namespace = {
        "__module__": cls.__module__,
        "__qualname__": cls.__qualname__,
        "__doc__": cls.__doc__,
        "__slots__": (),
        "__init__": __init__,
        "_ferrojit_fields_": tuple(fields),
        "_ferrojit_members_": members,
        "_ferrojit_always_set_": frozenset(always_set),
        "_ferrojit_auto_init_": tuple((name, d) for (name, _), d in zip(fields, auto_init)) if auto_init is not None else None,
    }
    match_args = _match_args(cls, fields, auto_init)
    if match_args is not None:
        namespace["__match_args__"] = match_args
    for index, (name, _) in enumerate(fields):
        namespace[name] = _native.InstanceField(index, name)
    for name, (kind, first, second) in members.items():
        if name == "__init__":
            continue
        if kind == "method":
            namespace[name] = _method(name, first)
        elif kind == "static":
            namespace[name] = staticmethod(first)
        elif kind == "class":
            namespace[name] = classmethod(_method(name, first))
        else:
            getter = _method(name, first)
            namespace[name] = property(getter, _method(name, second) if second is not None else None)
    # Plain class attributes (constants) stay visible from Python, as do the methods
    # `dataclasses` wrote (`__repr__`, `__eq__`: Python only).
    generated = _dataclass_generated(cls)
    for name, value in vars(cls).items():
        if name in namespace or name in ("__dict__", "__weakref__", "__annotations__", "__init__"):
            continue
        if name in generated or not isinstance(value, (_pytypes.FunctionType, property, staticmethod, classmethod)):
            namespace[name] = value
    python_class = type(cls.__name__, (base if base is not None else _native.JitInstance,), namespace)
    try:
        base_id = base._ferrojit_class_id_ if base is not None else None
        class_id = _native.register_jitclass(python_class, list(fields), dict(members), base_id, own, sorted(always_set), auto_init, list(match_args) if match_args is not None else None)
    except TypeError as exc:
        raise _error(cls, str(exc)) from None
    except Exception as exc:
        # A method whose source cannot be read (or does not parse) is reported with the class.
        raise _error(cls, f"{type(exc).__name__}: {exc}") from None
    python_class._ferrojit_class_id_ = class_id
    instance_type = types.ClassInstanceType(_native.jitclass_type_name(class_id))
    instance_type.jitclass = python_class
    python_class.class_type = _ClassType(instance_type)
    return python_class


def jitclass(cls_or_spec=None, spec=None):
    """Compile a class, as Numba's ``numba.experimental.jitclass``: ``@jitclass(spec)``,
    ``@jitclass`` (fields from the annotations), or ``jitclass(cls, spec)``.

    ``spec`` lists the fields and their types, ``[('x', float64), ('data', float64[:])]`` or a
    dict; fields may also be annotations of the class (``x: float64``, ``n: int``). Methods,
    ``__init__``, properties (with setters) and static methods are compiled; instances are
    references shared between Python and compiled code."""
    if isinstance(cls_or_spec, type):
        return _build(cls_or_spec, spec)
    if cls_or_spec is not None and spec is not None:
        raise TypeError("jitclass() takes the spec once: `@jitclass(spec)` or `jitclass(cls, spec)`")

    def decorate(cls):
        if not isinstance(cls, type):
            raise TypeError(f"@jitclass decorates a class, not {cls!r}")
        return _build(cls, cls_or_spec if cls_or_spec is not None else spec)

    return decorate
