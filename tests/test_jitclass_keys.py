"""Jitclass instances as dict keys and set items, against CPython: the functions of
`jitclass_key_cases.py` run as plain Python (the classes undecorated) and compiled, and must
give the same results. Instances of a class without `__eq__` and `__hash__` are keys by
identity; with `__hash__` (and `__eq__`), by `hash()` and `is`-then-`==`; `__eq__` alone is
refused at compile time (CPython's `unhashable type`). Dicts and sets of instances cross to and
from Python, and hold references to their keys that every path releases."""

import gc

import pytest

from ferrojit import _native
from ferrojit import errors
from helpers import assert_no_leak, assert_same, load_cases


PLAIN = load_cases("jitclass_key_cases.py", jit=False)
JIT = load_cases("jitclass_key_cases.py", jit=True)


# Each row: a function of `jitclass_key_cases.py` and its arguments.
ROWS = [
    ("identity_dict", 0),
    ("identity_dict", 1),
    ("identity_dict", 5),
    ("identity_dict", 40),
    ("identity_tuple_keys", 7),
    ("identity_pop_and_setdefault", 3),
    ("hash_only_keys", 0),
    ("hash_only_keys", 6),
    ("eq_dict", 0),
    ("eq_dict", 10),
    ("eq_dict", 100),
    ("eq_first_key_kept", 3),
    ("colliding_keys", 0),
    ("colliding_keys", 9),
    ("colliding_keys", 30),
    ("identity_before_eq", 4),
    ("eq_tuple_keys", 12),
    ("minus_one_hash", 3),
    ("eq_dict_equality", 5),
    ("eq_dict_pop_update", 4),
    ("identity_set", 0),
    ("identity_set", 6),
    ("eq_set", 10),
    ("eq_set_display", 2),
    ("sets_of_lists", 0),
    ("sets_of_lists", 7),
    ("eq_set_remove_missing", 1),
]


@pytest.mark.parametrize("row", ROWS, ids=[f"{r[0]}-{i}" for i, r in enumerate(ROWS)])
def test_same_results_as_cpython(row):
    name, *args = row
    assert_same(getattr(JIT, name)(*args), getattr(PLAIN, name)(*args))


# Each row: a function, its arguments, and the exception CPython raises (its message is the
# key's repr, an address: compiled code says the key is missing instead).
MISSING = [
    ("identity_key_error", (1,), KeyError),
    ("eq_key_error", (5,), KeyError),
    ("eq_set_remove_missing", (2,), KeyError),
]


@pytest.mark.parametrize("name, args, exc", MISSING)
def test_missing_keys_raise_as_cpython(name, args, exc):
    with pytest.raises(exc):
        getattr(PLAIN, name)(*args)
    with pytest.raises(exc):
        getattr(JIT, name)(*args)


@pytest.mark.parametrize("name, cls", [("eq_only_key", "EqOnly"), ("eq_only_in_a_set", "EqOnly"), ("dataclass_key", "Record")])
def test_eq_without_hash_is_unhashable(name, cls):
    with pytest.raises(TypeError, match=f"unhashable type: '{cls}'"):
        getattr(PLAIN, name)(1)
    with pytest.raises(errors.TypingError, match=f"unhashable type: '{cls}'") as info:
        getattr(JIT, name)(1)
    # The message names the user's file and line.
    assert "jitclass_key_cases.py" in str(info.value)


def test_a_key_mixing_identity_and_eq_instances_is_refused_clearly():
    assert PLAIN.mixed_tuple_key(1) == 1
    with pytest.raises(errors.UnsupportedError, match="mix instances compared by identity with instances compared by `__eq__`"):
        JIT.mixed_tuple_key(1)


# ---- to and from Python --------------------------------------------------------------------


def test_a_dict_of_eq_keys_returned_to_python_hashes_as_compiled():
    d = JIT.make_eq_dict(4)
    assert type(d) is dict and len(d) == 4
    assert all(type(k) is JIT.Key for k in d)
    # Python hashes and compares the boxed keys with the same (compiled) methods.
    assert d[JIT.Key(2, 0)] == 2
    assert JIT.Key(9, 0) not in d
    assert hash(JIT.Key(1, 2)) == hash((1, 2)) == hash(PLAIN.Key(1, 2))
    # And back: a Python dict of such keys packed for compiled code.
    assert JIT.look_up(d, 3) == 3
    assert JIT.look_up(d, 7) == -1
    assert JIT.look_up({JIT.Key(5, 0): 50}, 5) == 50


def test_a_python_dict_of_eq_keys_changed_by_compiled_code_is_reflected():
    d = {JIT.Key(0, 0): 0}
    assert JIT.add_key(d, 1) == 2
    assert JIT.add_key(d, 1) == 2
    assert d == {JIT.Key(0, 0): 0, JIT.Key(1, 0): 1}


def test_identity_keys_cross_to_python_as_the_same_objects():
    cells = [JIT.Cell(i) for i in range(3)]
    d = JIT.make_identity_dict(cells)
    assert type(d) is dict
    assert [k is c for k, c in zip(d, cells)] == [True, True, True]
    assert d[cells[1]] == 1 and JIT.Cell(1) not in d
    assert JIT.look_up_cell(d, cells[2]) == 2
    assert JIT.look_up_cell(d, JIT.Cell(2)) == -1


def test_a_set_of_eq_keys_returned_to_python():
    s = JIT.make_eq_set(3)
    assert type(s) is set and len(s) == 3
    assert JIT.Key(1, 0) in s and JIT.Key(1, 1) not in s
    # And back, changed by compiled code and reflected.
    assert JIT.in_set(s, 2) and not JIT.in_set(s, 3)
    assert JIT.add_to_set(s, 3) == 4
    assert JIT.add_to_set(s, 3) == 4
    assert s == {JIT.Key(i, 0) for i in range(4)}


# ---- memory --------------------------------------------------------------------------------


LEAK_ROWS = [
    ("identity_dict", 12),
    ("identity_tuple_keys", 7),
    ("identity_pop_and_setdefault", 3),
    ("eq_dict", 20),
    ("colliding_keys", 9),
    ("eq_tuple_keys", 12),
    ("eq_dict_pop_update", 4),
    ("identity_set", 6),
    ("eq_set", 10),
    ("sets_of_lists", 7),
    ("identity_key_error", 1),
    ("eq_key_error", 5),
    ("make_eq_dict", 5),
    ("make_eq_set", 5),
]


@pytest.mark.parametrize("name, arg", LEAK_ROWS)
def test_keys_are_released(name, arg):
    assert_no_leak(getattr(JIT, name), arg, runs=20)


def test_a_dict_holds_its_keys_and_releases_them():
    gc.collect()
    before = _native.live_allocations()
    d = JIT.make_eq_dict(6)
    assert _native.live_allocations() > before
    keys = list(d)
    del d
    gc.collect()
    # The keys live on in Python: only they remain.
    assert _native.live_allocations() == before + len(keys)
    del keys
    gc.collect()
    assert _native.live_allocations() == before


def test_a_typed_dict_of_eq_keys_refuses_python_lookups():
    from ferrojit import int64, njit
    from ferrojit.typed import Dict

    Key = JIT.Key
    key_type = Key.class_type.instance_type

    @njit
    def make(n):
        d = Dict.empty(key_type=key_type, value_type=int64)
        for i in range(n):
            d[Key(i, 0)] = i
        return d

    d = make(3)
    assert len(d) == 3
    # Compiled code alone compares such keys: Python's lookups say so rather than miss.
    with pytest.raises(TypeError, match="compare by `__eq__`"):
        d[JIT.Key(1, 0)]
    with pytest.raises(TypeError, match="compare by `__eq__`"):
        d[JIT.Key(5, 0)] = 5
