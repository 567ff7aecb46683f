"""Jitclasses (`ferrojit.experimental.jitclass`, Numba's `numba.experimental.jitclass`), against
CPython: the classes and functions of `jitclass_cases.py` run as plain Python (the classes
undecorated) and compiled, and must give the same results; instances made in Python and in
compiled code, passed both ways, their fields read and written from both sides; clear errors
for what is refused; and memory: instances are reference-counted records that every path
releases."""

import gc
import re
import resource

import numpy as np
import pytest

import ferrojit
from ferrojit import _native, errors, float64, int64, njit
from ferrojit.experimental import jitclass
from helpers import assert_same, import_written_module, load_cases, to_python


PLAIN = load_cases("jitclass_cases.py", jit=False)
JIT = load_cases("jitclass_cases.py", jit=True)


def run_both(name, *args):
    """Runs the function `name` of the cases plain and compiled on copies of `args`: the same
    result, or the same exception (class and message)."""
    plain, compiled = getattr(PLAIN, name), getattr(JIT, name)
    copy = lambda a: a.copy() if isinstance(a, np.ndarray) else a  # noqa: E731
    try:
        expected = plain(*[copy(a) for a in args])
    except Exception as exc:  # noqa: BLE001 - the compiled function must raise the same
        with pytest.raises(type(exc)) as info:
            compiled(*[copy(a) for a in args])
        assert str(info.value) == str(exc)
        return
    # Compiled code boxes NumPy scalars as Python numbers (as Numba does).
    assert_same(compiled(*[copy(a) for a in args]), to_python(expected))


# Each row: a function of `jitclass_cases.py` and its arguments.
ROWS = [
    ("counter_total", 5),
    ("counter_total", 0),
    ("methods_calling_methods", 2.5),
    ("aliasing", 1.5),
    ("defaults_and_keywords", 3.0),
    ("new_instances_from_methods", 4.0),
    ("string_and_bool_fields", 2.5),
    ("exception_in_method", 1.0),
    ("narrow_fields", 7, 9),
    ("tuple_swap",),
    ("instances_in_a_loop", 10),
    ("returned_fields", 1.0, 2.0),
    ("counter_with_array", np.arange(5.0)),
    ("field_array_in_place", 4),
    # Instances in instances, lists and dicts.
    ("nested_instances", 3.0),
    ("instances_in_a_list", 3),
    ("instances_in_a_list", 0),
    ("instances_in_a_dict", 3),
    # Instances as optional values, tuple items, in closures, generators and `sorted`.
    ("optional_instance", 3),
    ("optional_instance", 0),
    ("instances_in_tuples", 1.5),
    ("instance_in_a_closure", 1.0),
    ("instances_from_a_generator", 3),
    ("sorted_instances", 4),
    # Inheritance, overriding, `super()`, `isinstance`.
    ("inheritance", 3),
    ("explicit_super", 2),
    ("not_implemented_falls_back", 1.0),
    ("not_implemented_falls_back", 7.0),
    # A field `__init__` may leave unset: CPython's `AttributeError` when read.
    ("unset_field", True),
    ("unset_field", False),
    # Classes without `__init__`: the fields are its parameters (dataclass style).
    ("dataclass_style", 0.5),
    ("numba_instance_type", 2.0),
    ("containers_as_fields", 1.5),
    ("optional_fields", 0),
    ("optional_fields", 6),
    # A class naming itself in its fields: linked lists and trees.
    ("linked_list", 0),
    ("linked_list", 5),
    ("binary_tree", 20),
    # Class methods.
    ("class_methods", 1.5),
    # Special methods.
    ("vector_arithmetic", 1.0, 2.0),
    ("vector_inplace", 2.0),
    ("vector_comparisons", 1.0, 2.0),
    ("vector_comparisons", 2.0, 2.0),
    ("vector_hash_and_str", 1.5),
    ("container_protocol", 4),
    ("container_protocol", 0),
    ("container_index_error", 0),
    ("container_index_error", 1),
    ("container_index_error", -2),
    ("delete_and_call", 4),
    ("context_manager",),
    ("truth_of_instances", True),
    ("truth_of_instances", False),
]


@pytest.mark.parametrize("row", ROWS, ids=[f"{r[0]}-{i}" for i, r in enumerate(ROWS)])
def test_same_results_as_cpython(row):
    run_both(*row)


# ---- from Python ---------------------------------------------------------------------------


def fields_of(obj, names):
    return tuple(getattr(obj, n) for n in names)


def test_calling_the_class_from_python_runs_the_compiled_init():
    for module in (PLAIN, JIT):
        c = module.Counter(3)
        assert c.count == 0
        assert_same(c.data, np.zeros(3))
        assert c.add(1.5) == 1
        assert c.add_twice(2.0) == 3
        assert c.total() == 5.5
    c = JIT.Counter(3)
    assert isinstance(c, JIT.Counter)
    assert isinstance(c, _native.JitInstance)
    # The constructor and the methods ran compiled.
    assert JIT.Counter._ferrojit_members_["__init__"][1].signatures
    assert JIT.Counter._ferrojit_members_["add"][1].signatures


def test_fields_read_and_written_from_python():
    for module in (PLAIN, JIT):
        p = module.Point(1.0, 2.0)
        p.x = 5.0
        p.y = 3  # an int stored into a float64 field converts, as in Python it stays an int
        assert p.norm2() == 34.0
    p = JIT.Point(1.0, 2.0)
    p.y = 3
    assert type(p.y) is float and p.y == 3.0
    a = JIT.Account("ann", 1.0)
    assert_same(fields_of(a, ["owner", "balance", "deposits", "open"]), ("ann", 1.0, 0, True))
    a.owner = "bea"
    a.deposit(2.0)
    assert_same(fields_of(a, ["owner", "balance", "deposits", "open"]), ("bea", 3.0, 1, True))


def test_an_array_field_is_shared_not_copied():
    c = JIT.Counter(3)
    view = c.data
    view[1] = 7.0
    assert c.data[1] == 7.0
    a = np.arange(4.0)
    c.data = a
    c.count = 4
    a[0] = 100.0
    assert c.total() == 106.0
    # The field keeps the array alive after the caller drops it.
    del a, view
    assert c.total() == 106.0


def test_instances_passed_to_and_returned_from_compiled_code():
    p = JIT.Point(1.0, 2.0)
    assert JIT.passed_in(p, 2.0) == 20.0
    assert (p.x, p.y) == (2.0, 4.0)
    q = JIT.returned(3.0, 4.0)
    assert type(q) is JIT.Point
    assert (q.x, q.y) == (3.0, 4.0)
    # The same object comes back: instances are references.
    assert JIT.identity(p) is p
    assert JIT.identity(q) is q


def test_methods_calling_static_methods_and_properties():
    for module in (PLAIN, JIT):
        t = module.Temperature(20.0)
        assert t.fahrenheit == 68.0
        t.fahrenheit = 212.0
        assert t.celsius == 100.0
        assert module.Temperature.to_kelvin(0.0) == 273.15
        assert t.kelvin() == 373.15
        assert module.use_temperature(10.0) == (50.0, 283.15, 25.0)


def test_special_methods_from_python():
    for module in (PLAIN, JIT):
        u, v = module.Vec(1.0, 2.0), module.Vec(3.0, 4.0)
        w = u + v
        assert (w.x, w.y) == (4.0, 6.0)
        assert (u == module.Vec(1.0, 2.0), u < v, abs(v), str(u)) == (True, True, 5.0, "Vec(1.0, 2.0)")
        assert hash(u) == 1002
        s = module.Stack(5)
        s.push(1.0)
        s.push(2.0)
        assert (len(s), s[1], 2.0 in s, list(s)) == (2, 2.0, True, [1.0, 2.0])


def test_lists_of_instances_both_ways():
    for module in (PLAIN, JIT):
        points = module.list_of_instances_returned(3)
        assert type(points) is list and all(type(p) is module.Point for p in points)
        assert [(p.x, p.y) for p in points] == [(0.0, -1.0), (1.0, -1.0), (2.0, -1.0)]
        kept = points[1]
        # A list of instances passed in: the instances themselves, changed in place.
        assert module.sum_of_list(points) == 6.0
        assert [p.x for p in points] == [1.0, 2.0, 3.0]
        assert points[1] is kept and kept.x == 2.0


def test_nested_instances_from_python():
    for module in (PLAIN, JIT):
        a = module.Point(1.0, 2.0)
        s = module.Segment(a, module.Point(4.0, 6.0), "ab")
        assert s.start is a
        assert s.length2() == 25.0
        s.end.x = 1.0
        assert s.length2() == 16.0
        s.start = module.Point(1.0, 6.0)
        assert (s.length2(), a.x, s.label) == (0.0, 1.0, "ab")
    s = JIT.Segment(JIT.Point(0.0, 0.0), JIT.Point(1.0, 1.0), "x")
    with pytest.raises(TypeError, match="cannot set the field `start` of `Segment`"):
        s.start = PLAIN.Point(0.0, 0.0)


def test_inheritance_from_python():
    for module in (PLAIN, JIT):
        d = module.Dog("rex", 2)
        p = module.Puppy("bit", 1)
        assert isinstance(d, module.Animal) and isinstance(p, module.Dog) and not isinstance(module.Animal("a", 1), module.Dog)
        assert (d.name, d.legs, d.tricks, p.age) == ("rex", 4, 2, 1)
        assert d.describe() == "rex has 4 legs and knows 2 tricks"
        # One function compiled once per class: each instance speaks with its own class's sound.
        assert [module.speak_of(x) for x in (module.Animal("cat", 4), d, p)] == ["cat says ...", "rex says woof", "bit says yip"]


def test_unset_fields_from_python():
    for module in (PLAIN, JIT):
        z = module.Lazy(1.0, False)
        with pytest.raises(AttributeError, match="'Lazy' object has no attribute 'cached'"):
            z.cached  # noqa: B018
        z.cached = 5.0
        assert z.get() == 5.0


def test_dataclass_style_from_python():
    for module in (PLAIN, JIT):
        p = module.Particle(1.0, 2.0, alive=False)
        assert (p.x, p.v, p.mass, p.alive, p.momentum()) == (1.0, 2.0, 1.0, False, 2.0)
        i = module.Interval(0.25)
        assert (i.lo, i.hi, i.width()) == (0.25, 1.0, 0.75)
        # `dataclasses`' own `__repr__` and `__eq__` (Python only).
        assert repr(i) == "Interval(lo=0.25, hi=1.0)" and i == module.Interval(0.25, 1.0)
        with pytest.raises(TypeError, match="missing 1 required positional argument: 'v'"):
            module.Particle(1.0)


def test_class_methods_from_python():
    for module in (PLAIN, JIT):
        p = module.Point.diagonal(2.0)
        assert type(p) is module.Point and (p.x, p.y) == (2.0, 2.0)
        d = module.Dog.named("rex")
        assert type(d) is module.Dog and d.describe() == "rex has 4 legs and knows 2 tricks"
        assert module.class_as_value() is module.Point


# For compiled functions of this module: Numba's spelling of the instance type.
JitPoint = JIT.Point
POINT_TYPE = JIT.Point.class_type.instance_type


@njit
def typed_points(n):
    out = ferrojit.typed.List.empty_list(POINT_TYPE)
    for i in range(n):
        out.append(JitPoint(i * 1.0, 0.0))
    return out


@njit
def typed_point_dict(n):
    d = ferrojit.typed.Dict.empty(ferrojit.types.int64, POINT_TYPE)
    for i in range(n):
        d[i] = JitPoint(0.0, i * 2.0)
    return d


@njit
def sum_and_change(points):
    total = 0.0
    for p in points:
        total += p.x
    points[0].x = 10.0
    return total


def test_declared_signatures_name_instance_types():
    @njit(float64(POINT_TYPE))
    def norm2(p):
        return p.x * p.x + p.y * p.y

    assert norm2(JIT.Point(3.0, 4.0)) == 25.0
    assert [str(t) for t in norm2.signatures[0]] == [f"instance.jitclass.Point#{JIT.Point._ferrojit_class_id_}<x:float64,y:float64>"]
    with pytest.raises(TypeError, match="matches none of the declared signatures"):
        norm2(PLAIN.Point(3.0, 4.0))


def test_two_classes_of_one_name_stay_apart():
    # Same name and fields, two classes: two types, each printed with its identity.
    @jitclass([("x", float64), ("y", float64)])
    class Point:
        def __init__(self, x, y):
            self.x = x
            self.y = y

    assert str(Point.class_type.instance_type) != str(JIT.Point.class_type.instance_type)
    # A library implementation typed for one (`append`) is not taken for the other.
    assert [p.x for p in JIT.list_of_instances_returned(2)] == [0.0, 1.0]
    assert JIT.instances_in_a_list(2)[0] == 3

    @njit
    def appended(n):
        points = [Point(0.0, 0.0)]
        for i in range(n):
            points.append(Point(i * 1.0, 1.0))
        return len(points)

    assert appended(3) == 4


def test_instances_in_typed_containers():
    points = typed_points(3)
    assert type(points) is ferrojit.typed.List
    assert [p.x for p in points] == [0.0, 1.0, 2.0]
    first = points[0]
    assert sum_and_change(points) == 3.0
    assert first.x == 10.0 and points[0] is first
    built = ferrojit.typed.List([JIT.Point(1.0, 1.0), JIT.Point(2.0, 2.0)])
    assert sum_and_change(built) == 3.0 and built[0].x == 10.0
    d = typed_point_dict(3)
    assert {k: v.y for k, v in d.items()} == {0: 0.0, 1: 2.0, 2: 4.0}
    d[7] = JIT.Point(7.0, 7.0)
    assert d[7].x == 7.0
    with pytest.raises(TypeError):
        d[8] = PLAIN.Point(1.0, 1.0)


def test_container_fields_are_shared_with_python():
    b = JIT.Bag()
    b.add("a", 1.0)
    items = b.items
    assert type(items) is ferrojit.typed.List and list(items) == [1.0]
    b.add("b", 2.0)
    assert items is b.items and list(items) == [1.0, 2.0]
    items.append(3.0)
    b.index["c"] = 2
    assert b.get("c") == 3.0
    with pytest.raises(TypeError, match="pass a ferrojit.typed.List"):
        b.items = [1.0]


def test_optional_fields_from_python():
    for module in (PLAIN, JIT):
        b = module.Best()
        assert b.best is None and b.value() == -1.0
        b.offer(3.0)
        kept = b.best
        assert b.best.x == 3.0 and b.best is kept
        b.best = None
        assert b.value() == -1.0
        b.best = module.Point(9.0, 0.0)
        assert b.value() == 9.0
    with pytest.raises(TypeError, match="cannot set the field `best` of `Best`"):
        JIT.Best().best = 3.0


def test_self_referencing_classes_from_python():
    for module in (PLAIN, JIT):
        tail = module.Node(1, None)
        head = module.Node(2, tail)
        assert head.next is tail and head.length() == 2
        head.next = module.Node(3, tail)
        assert head.length() == 3 and head.next.next is tail
        t = module.Tree(0.5)
        for k in (0.2, 0.8, 0.1):
            t.insert(k)
        assert (t.size(), t.depth(), t.left.left.key) == (4, 3, 0.1)


def test_print_shows_str(capfd):
    JIT.print_instance(2.5)
    PLAIN.print_instance(2.5)
    out = capfd.readouterr().out.splitlines()
    assert out == ["Vec(2.5, 1.0)", "Vec(2.5, 1.0)"]


# ---- errors --------------------------------------------------------------------------------


def test_unknown_attributes_are_attribute_errors_in_python():
    p = JIT.Point(1.0, 2.0)
    with pytest.raises(AttributeError):
        p.z = 1.0
    with pytest.raises(AttributeError):
        p.z  # noqa: B018


def test_not_implemented_both_ways_is_a_type_error():
    # From Python: the compiled `__add__` gives Python its `NotImplemented`, and Python raises.
    for module in (PLAIN, JIT):
        assert (module.Money(1.0) + 2.0).value == 3.0
        assert module.Money(1.0).__add__(3) is NotImplemented
        with pytest.raises(TypeError, match="unsupported operand"):
            module.Money(1.0) + 3

    # In compiled code, the types decide it when compiling.
    @njit
    def add_int(m):
        return m + 3

    with pytest.raises(errors.TypingError, match="unsupported operand types for `\\+`"):
        add_int(JIT.Money(1.0))


def test_not_implemented_on_some_paths_only_is_a_clear_error(tmp_path):
    source = (
        "from ferrojit import float64, njit\nfrom ferrojit.experimental import jitclass\n\n"
        "@jitclass([('v', float64)])\nclass Half:\n    def __init__(self, v):\n        self.v = v\n\n"
        "    def __add__(self, other):\n        if self.v > 0:\n            return Half(self.v + other)\n        return NotImplemented\n\n"
        "@njit\ndef add(h):\n    return h + 1.0\n"
    )
    module = import_written_module(tmp_path, "half_not_implemented", source)
    with pytest.raises(errors.TypingError, match="decides `NotImplemented` from the operands' types") as info:
        module.add(module.Half(1.0))
    assert "half_not_implemented.py" in str(info.value)


@pytest.mark.parametrize(
    "body, message",
    [
        ("    return p.z", "`Point` object has no attribute `z`"),
        ("    p.z = 1.0\n    return 0", "`Point` object has no field `z`"),
        ("    p.x = 'a'\n    return 0", "cannot store a `unicode_type` in the field `x` of `Point`, declared `float64`"),
        ("    return p.nope()", "`Point` object has no attribute `nope`"),
        ("    return p.norm2", "can only be called"),
        ("    return super().norm2()", "`super()` is only supported in the methods of a jitclass"),
        ("    return super(Point, 3).norm2()", "obj (a `int64`) must be an instance or subtype of type `Point`"),
        ("    return super(p, p).norm2()", "super() argument 1 must be a jitclass"),
        ("    return super(Point).norm2()", "`super()` is only supported without arguments or with two"),
        ("    return super(Point, p).norm2()", "`super()` in `Point`, which derives from no jitclass"),
        ("    return p + p", "unsupported operand types for `+`"),
        ("    return p < p", "`<` is not supported between"),
        ("    return len(p)", "<x:float64,y:float64>` needs `__len__`"),
        ("    for v in p:\n        pass\n    return 0", "is not iterable"),
        ("    return p[0]", "is not subscriptable"),
    ],
)
def test_compile_errors_name_the_line(tmp_path, body, message):
    source = f"import ferrojit\nfrom jitclass_cases_for_errors import Point\n\n@ferrojit.njit\ndef refused(p):\n{body}\n"
    (tmp_path / "jitclass_cases_for_errors.py").write_text(
        "from ferrojit import float64\nfrom ferrojit.experimental import jitclass\n\n"
        "@jitclass([('x', float64), ('y', float64)])\nclass Point:\n    def __init__(self, x, y):\n        self.x = x\n        self.y = y\n\n"
        "    def norm2(self):\n        return self.x * self.x + self.y * self.y\n"
    )
    import sys

    sys.path.insert(0, str(tmp_path))
    try:
        module = import_written_module(tmp_path, "refused_jitclass", source)
        with pytest.raises(errors.TypingError if "only" not in message else errors.UnsupportedError) as info:
            module.refused(module.Point(1.0, 2.0))
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("jitclass_cases_for_errors", None)
    text = str(info.value)
    assert message in text
    assert "refused_jitclass.py" in text and "line 6" in text


@pytest.mark.parametrize(
    "spec, message",
    [
        ([("x", list)], "the field `x` is declared `list`"),
        ([("x", ferrojit.types.SetType(float64))], "which a jitclass field cannot hold yet"),
        ([("x",)], "a spec entry must be a `(name, type)` pair"),
    ],
)
def test_bad_specs_are_type_errors_naming_the_class(spec, message):
    with pytest.raises(TypeError) as info:

        @jitclass(spec)
        class Bad:
            def __init__(self):
                pass

    text = str(info.value)
    assert message in text
    assert "jitclass `Bad`" in text and "test_jitclass.py" in text


def test_wrong_argument_types_are_type_errors():
    with pytest.raises(errors.TypingError, match="cannot store a `unicode_type` in the field `x`"):
        JIT.Point("a", 1.0)
    p = JIT.Point(1.0, 2.0)
    with pytest.raises(TypeError, match=re.escape("cannot set the field `x` of `Point` (declared `float64`) to a value of type `str`")):
        p.x = "a"
    with pytest.raises(TypeError, match="missing 1 required positional argument"):
        JIT.Counter()


def test_and_of_instances_deciding_their_truth_is_refused():
    @njit
    def either(a, b):
        return a or b

    with pytest.raises(errors.UnsupportedError, match="test the truth explicitly"):
        either(JIT.Flag(True), JIT.Flag(False))


def test_objects_without_a_record_are_refused_not_crashed():
    bare = JIT.Point.__new__(JIT.Point)
    with pytest.raises(TypeError, match="`__init__` has not run"):
        bare.x  # noqa: B018
    with pytest.raises(TypeError, match="`__init__` has not run"):
        JIT.passed_in(bare, 1.0)
    p = JIT.Point(1.0, 2.0)
    with pytest.raises(TypeError, match="cannot be deleted"):
        del p.x


def test_exceptions_in_init_and_methods_reach_python():
    a = JIT.Account("c", 0.0)
    a.close()
    with pytest.raises(ValueError, match="account closed"):
        a.deposit(1.0)


# ---- memory --------------------------------------------------------------------------------


def test_nothing_leaks():
    JIT.counter_total(3)
    JIT.instances_in_a_loop(3)
    # Instances an earlier test's objects still hold (a traceback's frames) go first.
    gc.collect()
    live = _native.live_allocations()
    for _ in range(50):
        JIT.counter_total(5)
        JIT.methods_calling_methods(1.0)
        JIT.aliasing(1.0)
        JIT.new_instances_from_methods(2.0)
        JIT.string_and_bool_fields(1.0)
        JIT.instances_in_a_loop(10)
        JIT.field_array_in_place(3)
        JIT.counter_with_array(np.arange(3.0))
        with pytest.raises(ValueError):
            JIT.exception_in_method(1.0)
        JIT.vector_arithmetic(1.0, 2.0)
        JIT.dataclass_style(1.0)
        JIT.unset_field(True)
        with pytest.raises(AttributeError):
            JIT.unset_field(False)
        JIT.inheritance(2)
        JIT.optional_instance(3)
        JIT.instances_in_tuples(1.0)
        JIT.instance_in_a_closure(1.0)
        JIT.instances_from_a_generator(3)
        JIT.sorted_instances(3)
        assert [q.x for q in JIT.walk_points(2)] == [1.0, 2.0]
        sum_and_change(typed_points(3))
        JIT.containers_as_fields(1.0)
        JIT.optional_fields(5)
        JIT.linked_list(10)
        JIT.binary_tree(10)
        typed_point_dict(2)
        JIT.nested_instances(1.0)
        JIT.instances_in_a_list(4)
        JIT.instances_in_a_dict(4)
        JIT.sum_of_list(JIT.list_of_instances_returned(3))
        JIT.vector_inplace(1.0)
        JIT.vector_comparisons(1.0, 2.0)
        JIT.vector_hash_and_str(1.0)
        JIT.container_protocol(3)
        with pytest.raises(IndexError):
            JIT.container_index_error(5)
        # A compile error in `__init__` called from Python: the record made for it is freed.
        with pytest.raises(errors.TypingError):
            JIT.Counter("three")
        with pytest.raises(AttributeError):
            JIT.Lazy(1.0, False).cached  # noqa: B018
        c = JIT.Counter(3)
        c.add(1.0)
        c.data = np.ones(3)
        p = JIT.returned(1.0, 2.0)
        JIT.passed_in(p, 2.0)
        JIT.identity(p)
        del c, p
    gc.collect()
    assert _native.live_allocations() == live


def test_resident_size_stays_flat_over_many_calls():
    def rss_kb():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    for _ in range(2000):
        JIT.counter_total(100)
        JIT.returned(1.0, 2.0)
    before = rss_kb()
    for _ in range(20000):
        JIT.counter_total(100)
        JIT.returned(1.0, 2.0)
    # 20000 calls each making instances and 100-element arrays: a leak of them would add
    # well over 20 MB.
    assert rss_kb() - before < 4000
