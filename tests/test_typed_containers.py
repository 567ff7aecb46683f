"""`ferrojit.typed.List` and `ferrojit.typed.Dict` (Numba's typed containers): used from Python
(each row of operations runs on a typed container and on a plain list or dict, with the same
results), printed as Numba prints them, strict about item types, shared with compiled code
without copying (changes seen on both sides, the same object back), and freed when dropped."""
import gc
import subprocess
import sys

import numpy as np
import pytest

import ferrojit
from helpers import import_written_module
from ferrojit import _native, njit, types
from ferrojit.typed import Dict, List


def same(a, b):
    """Equal values of the same Python types, containers item by item (a typed container
    standing for a list or dict)."""
    if isinstance(a, List):
        a = list(a)
    if isinstance(a, Dict):
        a = dict(a)
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return type(b) is dict and list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def outcome(op, container):
    try:
        return ("value", op(container))
    except Exception as e:  # noqa: BLE001 - the exception is the result compared
        return ("raised", type(e), str(e))


# ---- dicts from Python, against dict ---------------------------------------------------------

DICT_ROWS = [
    ("get item", lambda d: d["b"]),
    ("missing key", lambda d: d["zz"]),
    ("set new", lambda d: (d.__setitem__("c", 3.5), d)[1]),
    ("set existing", lambda d: (d.__setitem__("a", -1.0), list(d.items()))[1]),
    ("del", lambda d: (d.__delitem__("a"), list(d))[1]),
    ("del missing", lambda d: d.__delitem__("zz")),
    ("in", lambda d: ("a" in d, "zz" in d, 5 in d)),
    ("len", len),
    ("iterate keys", list),
    ("items", lambda d: list(d.items())),
    ("keys", lambda d: list(d.keys())),
    ("values", lambda d: list(d.values())),
    ("get", lambda d: (d.get("a"), d.get("zz"), d.get("zz", 9.0))),
    ("pop", lambda d: (d.pop("a"), d.pop("zz", 0.5), list(d))),
    ("pop missing", lambda d: d.pop("zz")),
    ("popitem", lambda d: (d.popitem(), list(d))),
    ("setdefault", lambda d: (d.setdefault("a", 5.0), d.setdefault("n", 6.0), list(d.items()))),
    ("update", lambda d: (d.update({"a": 0.0, "x": 1.0}), d.update([("y", 2.0)]), d.update(z=3.0), list(d.items()))[-1]),
    ("clear", lambda d: (d.clear(), len(d), list(d))[1:]),
    ("copy", lambda d: (d.copy(), d.copy() == d)),
    ("equal", lambda d: (d == {"a": 1.0, "b": 2.0}, d == {"a": 1.0}, d != {"b": 2.0, "a": 1.0})),
    ("order after delete and reinsert", lambda d: (d.__delitem__("a"), d.__setitem__("a", 4.0), list(d))[-1]),
    ("many", lambda d: (d.update({str(i): float(i) for i in range(1000)}), [d.pop(str(i)) for i in range(0, 1000, 3)], list(d.items()))[-1]),
    ("change while iterating", lambda d: [d.__setitem__(k + "x", 1.0) for k in d]),
]


@pytest.mark.parametrize("name, op", DICT_ROWS, ids=[r[0] for r in DICT_ROWS])
def test_dict_operations_as_dict(name, op):
    typed = Dict.empty(key_type=types.unicode_type, value_type=types.float64)
    typed["a"], typed["b"] = 1.0, 2.0
    plain = {"a": 1.0, "b": 2.0}
    got, expected = outcome(op, typed), outcome(op, plain)
    assert got[0] == expected[0] and same(got[1:], expected[1:]), (got, expected)
    assert same(typed, plain)


# ---- lists from Python, against list ---------------------------------------------------------

LIST_ROWS = [
    ("index", lambda l: (l[0], l[-1], l[2])),
    ("index out of range", lambda l: l[10]),
    ("negative out of range", lambda l: l[-10]),
    ("set", lambda l: (l.__setitem__(1, 50), l.__setitem__(-1, 7), list(l))[-1]),
    ("set out of range", lambda l: l.__setitem__(10, 1)),
    ("del", lambda l: (l.__delitem__(0), list(l))[-1]),
    ("slice", lambda l: list(l[1:4]) + list(l[::-2])),
    ("set slice", lambda l: (l.__setitem__(slice(1, 3), [9, 9, 9]), list(l))[-1]),
    ("set extended slice", lambda l: (l.__setitem__(slice(None, None, 2), [0, 0, 0]), list(l))[-1]),
    ("set extended slice wrong size", lambda l: l.__setitem__(slice(None, None, 2), [0])),
    ("del slice", lambda l: (l.__delitem__(slice(1, None, 2)), list(l))[-1]),
    ("append", lambda l: (l.append(6), list(l))[-1]),
    ("extend", lambda l: (l.extend(range(3)), l.extend(l), list(l))[-1]),
    ("insert", lambda l: (l.insert(0, -1), l.insert(100, 99), l.insert(-2, 42), list(l))[-1]),
    ("pop", lambda l: (l.pop(), l.pop(0), l.pop(-2), list(l))),
    ("pop empty", lambda l: (l.clear(), l.pop())[-1]),
    ("pop out of range", lambda l: l.pop(10)),
    ("remove", lambda l: (l.remove(1), list(l))[-1]),
    ("remove missing", lambda l: l.remove(100)),
    ("index of", lambda l: (l.index(1), l.index(1, 1), l.index(4, -3), l.index(1, 0, 2))),
    ("index of outside bounds", lambda l: l.index(5, 0, 3)),
    ("index of missing", lambda l: l.index(100)),
    ("count", lambda l: (l.count(1), l.count(100))),
    ("in", lambda l: (1 in l, 100 in l)),
    ("len", len),
    ("iterate", list),
    ("reversed", lambda l: list(reversed(l))),
    ("sort", lambda l: (l.sort(), list(l))[-1]),
    ("sort reverse key", lambda l: (l.sort(reverse=True, key=lambda x: x % 3), list(l))[-1]),
    ("reverse", lambda l: (l.reverse(), list(l))[-1]),
    ("copy", lambda l: list(l.copy())),
    ("clear", lambda l: (l.clear(), len(l))[-1]),
    ("equal", lambda l: (l == [3, 1, 4, 1, 5], l == [3, 1], l != [3, 1, 4, 1, 5], l < [4], l >= [3, 1, 4])),
    ("iadd", lambda l: list(l.__iadd__([7, 8]))),
    ("append while iterating", lambda l: [l.append(x) for x in l if len(l) < 8]),
]


@pytest.mark.parametrize("name, op", LIST_ROWS, ids=[r[0] for r in LIST_ROWS])
def test_list_operations_as_list(name, op):
    typed = List([3, 1, 4, 1, 5])
    plain = [3, 1, 4, 1, 5]
    got, expected = outcome(op, typed), outcome(op, plain)
    assert got[0] == expected[0] and same(got[1:], expected[1:]), (got, expected)
    assert same(typed, plain)


def test_slices_and_copies_are_typed_lists():
    lst = List.empty_list(types.float64)
    lst.extend([1, 2.5, 3])
    assert type(lst[1:]) is List and repr(lst[1:]) == "ListType[float64]([2.5, 3.0])"
    assert type(lst.copy()) is List and not lst.copy()._shares_memory_with(lst)
    d = Dict.empty(types.int64, types.int64)
    assert type(d.copy()) is Dict


# ---- construction, types, printing -----------------------------------------------------------

PRINTED = [
    # (make, str, repr): Numba 0.6x's output for the same containers.
    (lambda: List([1, 2, 3]), "[1, 2, 3]", "ListType[int64]([1, 2, 3])"),
    (lambda: List(), "[]", "ListType[Undefined]([])"),
    (lambda: List.empty_list(types.float64), "[]", "ListType[float64]([])"),
    (lambda: List(["a", "b"]), "[a, b]", "ListType[unicode_type]([a, b])"),
    (lambda: List([List([1, 2]), List([3])]), "[[1, 2], [3]]", "ListType[ListType[int64]]([[1, 2], [3]])"),
    (lambda: Dict(), "{}", "None({})"),
    (lambda: Dict.empty(key_type=types.int64, value_type=types.ListType(types.int64)), "{}", "DictType[int64,ListType[int64]]<iv=None>({})"),
    (lambda: Dict({"a": 1.0}), "{a: 1.0}", "DictType[unicode_type,float64]<iv=None>({a: 1.0})"),
    (lambda: Dict({1: 2.5}), "{1: 2.5}", "DictType[int64,float64]<iv=None>({1: 2.5})"),
]


@pytest.mark.parametrize("make, text, shown", PRINTED)
def test_str_and_repr_are_numbas(make, text, shown):
    c = make()
    assert (str(c), repr(c)) == (text, shown)


def test_types_come_from_the_first_item_or_are_given():
    assert List([1.5])._type_name == "list(float64)"
    assert List([(1, "a")])._type_name == "list(Tuple(int64, unicode_type))"
    d = Dict()
    assert d._type_name is None and len(d) == 0 and "x" not in d and d.get("x") is None
    d["k"] = (1, 2)
    assert d._type_name == "dict(unicode_type, UniTuple(int64 x 2))"
    assert Dict.empty(str, int)._type_name == "dict(unicode_type, int64)"
    assert Dict(a=1, b=2) == {"a": 1, "b": 2}


def test_values_convert_as_numbas_do():
    d = Dict.empty(types.unicode_type, types.float64)
    d["x"] = 1
    assert type(d["x"]) is float and d["x"] == 1.0
    lst = List.empty_list(types.int32)
    lst.append(5)
    assert type(lst[0]) is int
    c = List.empty_list(types.complex128)
    c.append(2)
    assert c[0] == 2 + 0j and type(c[0]) is complex


ERRORS = [
    (lambda: Dict.empty(types.unicode_type, types.float64).__setitem__("x", "y"), TypeError, "expected a value of type float64, got 'y' of type str"),
    (lambda: Dict.empty(types.unicode_type, types.float64).__setitem__(1, 1.0), TypeError, "expected a value of type unicode_type, got 1 of type int"),
    (lambda: List([1, 2]).append(2.5), TypeError, "expected a value of type int64, got 2.5 of type float"),
    (lambda: List([1, 2]).__setitem__(0, "a"), TypeError, "expected a value of type int64, got 'a' of type str"),
    (lambda: List([1, 2]).extend([3, None]), TypeError, "expected a value of type int64, got None of type NoneType"),
    (lambda: List.empty_list(types.int8).append(300), TypeError, "expected a value of type int8, got 300 of type int"),
    (lambda: List([List([1])]).append([2]), TypeError, "expected a value of type ListType[int64], got [2] of type list; pass a ferrojit.typed.List of that type"),
    (lambda: List([List([1])]).append(List([2.0])), TypeError, "expected a value of type ListType[int64], got ListType[float64]([2.0]) of type List"),
    (lambda: List([[1, 2]]), TypeError, "a `list` cannot be stored in a typed container: its items would be copied"),
    (lambda: Dict.empty(types.int64, types.SetType(types.int64)), TypeError, "typed containers cannot hold `set(int64)` values"),
    (lambda: Dict.empty(types.ListType(types.int64), types.int64), TypeError, "a typed Dict cannot have `ListType[int64]` keys"),
    (lambda: Dict.empty("int64", types.int64), TypeError, "key_type must be a type such as types.int64 or types.unicode_type, not 'int64'"),
    (lambda: List.empty_list(types.int64)._make("list(int64)"), TypeError, "the container is typed already"),
]


@pytest.mark.parametrize("action, exc, message", ERRORS)
def test_errors(action, exc, message):
    with pytest.raises(exc) as info:
        action()
    assert message in str(info.value)


def test_a_failed_store_changes_nothing():
    lst = List([1, 2, 3])
    with pytest.raises(TypeError):
        lst.extend([4, "five"])
    with pytest.raises(TypeError):
        lst[1:2] = [7, None]
    assert list(lst) == [1, 2, 3]
    d = Dict({"a": 1})
    with pytest.raises(TypeError):
        d["b"] = "x"
    assert dict(d) == {"a": 1}


def test_typed_is_imported_lazily_and_reached_as_numbas():
    code = "import sys, ferrojit as numba; assert 'ferrojit.typed' not in sys.modules; d = numba.typed.Dict(); l = numba.typed.List(); print(type(d).__module__, type(l).__name__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["ferrojit.typed", "List"]
    assert ferrojit.typed.Dict is Dict


# ---- shared with compiled code ---------------------------------------------------------------


@njit
def add_counts(d, words):
    for w in words:
        d[w] = d.get(w, 0) + 1
    return len(d)


@njit
def identity(x):
    return x


@njit
def append_twice(lst, x):
    lst.append(x)
    lst.append(x)


@njit
def nested_append(d, k, x):
    d[k].append(x)
    return d[k]


@njit
def total(lst):
    s = 0.0
    for x in lst:
        s += x
    return s


@njit
def plain_list(n):
    return [i for i in range(n)]


@njit
def first_and_pair(lst):
    return lst, (lst, len(lst))


def test_compiled_changes_are_seen_without_copying():
    d = Dict.empty(key_type=types.unicode_type, value_type=types.int64)
    d["the"] = 5
    assert add_counts(d, ["the", "cat", "the"]) == 2
    assert dict(d) == {"the": 7, "cat": 1}
    assert add_counts.signatures == [(types.DictType(types.unicode_type, types.int64), types.List(types.unicode_type))]
    lst = List.empty_list(types.float64)
    append_twice(lst, 2.5)
    append_twice(lst, 1)  # an int argument: compiled for int64, converted when appended
    assert list(lst) == [2.5, 2.5, 1.0, 1.0]
    assert total(lst) == 7.0


def test_a_typed_container_comes_back_as_the_same_object():
    lst = List([1, 2])
    assert identity(lst) is lst
    pair = first_and_pair(lst)
    assert pair[0] is lst and pair[1][0] is lst and pair[1][1] == 2
    d = Dict({"a": 1})
    assert identity(d) is d
    # A plain list passed in still comes back as the caller's list, one made inside as a list.
    plain = [1, 2]
    assert identity(plain) is plain
    assert type(plain_list(3)) is list


def test_nested_typed_containers_are_shared():
    inner = List([1])
    d = Dict.empty(types.unicode_type, types.ListType(types.int64))
    d["k"] = inner
    got = nested_append(d, "k", 5)
    assert got is inner and list(inner) == [1, 5]
    assert d["k"] is inner
    outer = List([inner, List([7])])
    assert outer[0] is inner
    # Typed containers inside a plain list argument are shared too.
    holder = [inner]
    append_twice(identity(holder)[0], 9)
    assert list(inner) == [1, 5, 9, 9]


def test_an_empty_untyped_container_cannot_be_passed():
    with pytest.raises(TypeError, match="empty `List` whose types are not known yet"):
        identity(List())
    with pytest.raises(TypeError, match=r"Dict\.empty\(key_type, value_type\)"):
        identity(Dict())


@njit
def keep_plain_list(d, lst):
    d[0] = lst
    lst.append(99)


def test_a_plain_list_kept_by_compiled_code_is_detached_from_its_caller():
    d = Dict.empty(types.int64, types.ListType(types.int64))
    plain = [1, 2]
    keep_plain_list(d, plain)
    assert plain == [1, 2, 99]
    del plain
    gc.collect()
    # The kept copy no longer refers to the caller's list: it boxes as a new list.
    assert list(d[0]) == [1, 2, 99] and type(d[0]) is list


# ---- made in compiled code -------------------------------------------------------------------

float_array = types.float64[:]
int_list = types.ListType(types.int64)


@njit
def empty_dict_of_floats(n):
    d = Dict.empty(key_type=types.int64, value_type=types.float64)
    for i in range(n):
        d[i] = i / 2
    return d


@njit
def list_typed_by_appends(n):
    x = List()
    for i in range(n):
        x.append(i * 1.5)
    return x


@njit
def dict_typed_by_stores(n):
    d = Dict()
    for i in range(n):
        d[str(i)] = (i, i * 2)
    return d


@njit
def dict_of_arrays(n):
    d = Dict.empty(types.unicode_type, float_array)
    for i in range(n):
        d[f"row{i}"] = np.arange(i + 1) * 0.5
    return d


@njit
def empty_list_positional(n):
    lst = List.empty_list(types.int32)
    for i in range(n):
        lst.append(i)
    return lst


@njit
def list_from_iterable(n):
    return List(range(n))


@njit
def through_module_attributes(n):
    d = ferrojit.typed.Dict.empty(ferrojit.types.unicode_type, ferrojit.types.int64)
    d["n"] = n
    return d


@njit
def python_and_numpy_types(n):
    a = List.empty_list(float)
    a.append(n)
    b = Dict.empty(np.int32, np.complex128)
    b[n] = 1j
    return a, b


@njit
def dict_of_typed_lists(n):
    d = Dict.empty(types.int64, int_list)
    for i in range(n):
        inner = List.empty_list(types.int64)
        inner.append(i)
        d[i] = inner
    return d


@njit
def returned_empty(n):
    return Dict.empty(types.unicode_type, types.float64), List.empty_list(types.unicode_type)


# (function, argument, the same container built in Python, its type name)
MADE_INSIDE = [
    (empty_dict_of_floats, 4, {i: i / 2 for i in range(4)}, "dict(int64, float64)"),
    (list_typed_by_appends, 3, [0.0, 1.5, 3.0], "list(float64)"),
    (dict_typed_by_stores, 3, {str(i): (i, 2 * i) for i in range(3)}, "dict(unicode_type, UniTuple(int64 x 2))"),
    (empty_list_positional, 3, [0, 1, 2], "list(int32)"),
    (list_from_iterable, 4, [0, 1, 2, 3], "list(int64)"),
    (through_module_attributes, 7, {"n": 7}, "dict(unicode_type, int64)"),
    (dict_of_typed_lists, 2, {0: [0], 1: [1]}, "dict(int64, list(int64))"),
]


@pytest.mark.parametrize("func, n, expected, type_name", MADE_INSIDE, ids=[row[0].__name__ for row in MADE_INSIDE])
def test_typed_containers_made_in_compiled_code(func, n, expected, type_name):
    got = func(n)
    assert type(got) is (Dict if isinstance(expected, dict) else List)
    assert got._type_name == type_name
    if isinstance(expected, dict):
        assert {k: (list(v) if isinstance(v, List) else v) for k, v in got.items()} == expected
        assert [type(v) for v in got.values()] == [List if isinstance(v, list) else type(v) for v in expected.values()]
    else:
        assert list(got) == expected and [type(x) for x in got] == [type(x) for x in expected]
    # Back into compiled code: the same object.
    assert identity(got) is got


def test_python_and_numpy_types_name_item_types():
    a, b = python_and_numpy_types(3)
    assert (a._type_name, list(a)) == ("list(float64)", [3.0])
    assert (b._type_name, dict(b)) == ("dict(int32, complex128)", {3: 1j})
    d, lst = returned_empty(0)
    assert (type(d), len(d), d._type_name, type(lst), len(lst)) == (Dict, 0, "dict(unicode_type, float64)", List, 0)


def test_a_dict_of_arrays_made_in_compiled_code():
    d = dict_of_arrays(3)
    assert list(d) == ["row0", "row1", "row2"]
    for i, v in enumerate(d.values()):
        assert v.dtype == np.float64 and np.array_equal(v, np.arange(i + 1) * 0.5)
    # From Python too: the container keeps the ndarray itself.
    a = np.full(5, 7.0)
    d["mine"] = a
    assert d["mine"] is a


@njit
def wider_numbers_stored(n):
    keys = Dict.empty(types.int32, types.float32)
    keys[n] = n / 3  # an int64 key and a float64 value, converted
    items = List.empty_list(types.uint8)
    items.append(n + 256)  # wraps, as Numba's typed lists and NumPy's casts do
    far = (1 << 40) + n  # not an int32: in no dict of int32 keys
    return n in keys, far in keys, keys.get(far, -5.0), keys[n], items[0]


def test_wider_numbers_are_converted_into_declared_item_types():
    assert wider_numbers_stored(3) == (True, False, -5.0, np.float32(1.0), 3)


TYPED_ERRORS = [
    ("def f():\n    return List()", "cannot tell the item type of this empty `List()`"),
    ("def f():\n    return Dict()", "cannot tell the key and value types of this empty `Dict()`"),
    ("def f():\n    return Dict.empty(3, types.int64)", "`key_type` must be a type"),
    ("def f():\n    return List.empty_list(item_type=len)", "`item_type` must be a type"),
    ("def f():\n    return Dict.empty(int_list, types.int64)", "list(int64)"),
    ("def f():\n    return List.nope()", "`ferrojit.typed.List.nope` is not supported in compiled code"),
    ("def f():\n    return types.float64[:]", "not a value compiled code can use"),
]


@pytest.mark.parametrize("body, message", TYPED_ERRORS, ids=[row[1][:40] for row in TYPED_ERRORS])
def test_typed_container_errors_in_compiled_code(tmp_path, body, message):
    module = import_written_module(tmp_path, "typed_errors", "from ferrojit.typed import List, Dict\nfrom ferrojit import types\nint_list = types.ListType(types.int64)\n" + body + "\n")
    with pytest.raises(ferrojit.errors.CompileError) as info:
        njit(module.f)()
    assert message in str(info.value) and module.__file__ in str(info.value)


# ---- arrays kept by containers ---------------------------------------------------------------


@njit
def keep_array(d, key, a):
    d[key] = a


@njit
def keep_in_list(lst, a):
    lst.append(a)
    lst.append(a[::2])


@njit
def keep_list_of_arrays(d, arrays):
    d[0] = arrays


def churn():
    """Frees and reuses memory, so that a dangling array would show other values."""
    gc.collect()
    return [np.zeros(1000) for _ in range(50)]


def test_an_argument_array_stored_by_compiled_code_outlives_the_call():
    d = Dict.empty(types.unicode_type, float_array)
    a = np.full(1000, 3.0)
    refs = sys.getrefcount(a)
    keep_array(d, "k", a)
    held = sys.getrefcount(a)  # before pytest's rewritten assertion holds `d["k"]`
    assert held == refs + 1 and d["k"] is a
    del a
    churn()
    assert d["k"].sum() == 3000.0
    lst = List.empty_list(float_array)
    b = np.arange(10.0)
    keep_in_list(lst, b)
    assert lst[0] is b and np.array_equal(lst[1], b[::2])
    del b
    churn()
    assert lst[0].sum() == 45.0 and lst[1].sum() == 20.0


def test_a_list_of_arrays_kept_by_compiled_code_keeps_its_arrays():
    d = Dict.empty(types.int64, types.List(types.float64[::1]))
    arrays = [np.full(100, float(i)) for i in range(3)]
    keep_list_of_arrays(d, arrays)
    del arrays
    churn()
    assert [v.sum() for v in d[0]] == [0.0, 100.0, 200.0]


def test_arrays_stored_from_python_are_kept_and_released():
    a = np.ones(10)
    refs = sys.getrefcount(a)
    live = _native.live_allocations()
    d = Dict.empty(types.int64, float_array)
    lst = List.empty_list(types.Tuple((types.int64, float_array)))
    for i in range(10):
        d[i] = a
        lst.append((i, a))
    held = sys.getrefcount(a)
    assert held == refs + 20
    assert d[3] is a and lst[4][1] is a
    del d, lst
    gc.collect()
    held = sys.getrefcount(a)
    assert held == refs and _native.live_allocations() == live


# ---- memory ----------------------------------------------------------------------------------


@njit
def fill_and_raise(d, lst, n):
    for i in range(n):
        d[str(i)] = lst
    raise ValueError("after filling")


def rss_bytes():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


@njit
def arrays_then_raise(a, n):
    d = Dict.empty(types.int64, float_array)
    for i in range(n):
        d[i] = a
        d[-i] = np.ones(i)
    raise ValueError("after storing arrays")


def exercise():
    made = dict_of_arrays(4)
    made["x"] = np.ones(3)
    keep_array(made, "y", np.zeros(2))
    kept = List.empty_list(float_array)
    keep_in_list(kept, np.arange(4.0))
    dict_of_typed_lists(3)
    list_from_iterable(5)
    with pytest.raises(ValueError):
        arrays_then_raise(np.ones(2), 5)
    d = Dict.empty(types.unicode_type, types.ListType(types.unicode_type))
    for i in range(50):
        inner = List.empty_list(types.unicode_type)
        inner.extend([f"w{i}", "x"])
        d[f"k{i}"] = inner
    add = Dict.empty(types.unicode_type, types.int64)
    add_counts(add, ["a", "b", "a"])
    assert identity(d) is d
    assert list(nested_append(d, "k3", "y")) == ["w3", "x", "y"]
    lst = List([1.0, 2.0])
    append_twice(lst, 3.0)
    with pytest.raises(ValueError):
        fill_and_raise(Dict.empty(types.unicode_type, types.ListType(types.float64)), lst, 20)
    with pytest.raises(TypeError):
        d["z"] = List([1])
    del d["k0"]
    d.popitem()
    lst.pop()
    return d, lst


def test_nothing_leaks():
    exercise()
    gc.collect()
    live0 = _native.live_allocations()
    for _ in range(20):
        d, lst = exercise()
        del d, lst
    gc.collect()
    assert _native.live_allocations() == live0


def test_resident_size_is_flat_over_many_calls():
    for _ in range(50):
        exercise()
    rss0 = rss_bytes()
    for _ in range(2000):
        exercise()
    gc.collect()
    assert rss_bytes() - rss0 < 8 << 20
