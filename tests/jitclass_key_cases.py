"""Jitclass instances as dict keys and set items (tests/test_jitclass_keys.py), loaded twice as
`jitclass_cases.py` is: as plain Python (`JIT` unset) and compiled (`JIT = True`), so that
CPython's dicts and sets and the compiled ones run the same source."""

from dataclasses import dataclass

from ferrojit import int64

JIT = globals().get("JIT", False)

if JIT:
    from ferrojit import njit
    from ferrojit.experimental import jitclass
else:

    def njit(func):
        return func

    def jitclass(spec):
        if isinstance(spec, type):
            return spec
        return lambda cls: cls


# ---- classes -------------------------------------------------------------------------------


@jitclass([("i", int64)])
class Cell:
    """Neither `__eq__` nor `__hash__`: compared and hashed by identity."""

    def __init__(self, i):
        self.i = i


@jitclass([("a", int64), ("b", int64)])
class Key:
    """Equal when the fields are; hashes as the tuple of its fields."""

    def __init__(self, a, b):
        self.a = a
        self.b = b

    def __hash__(self):
        return hash((self.a, self.b))

    def __eq__(self, other):
        return self.a == other.a and self.b == other.b


@jitclass([("a", int64), ("eq_calls", int64)])
class Clash:
    """Every instance has one hash: equality alone tells keys apart. Counts its `__eq__` calls
    (`is` is tried first, so a key found by identity costs none)."""

    def __init__(self, a):
        self.a = a
        self.eq_calls = 0

    def __hash__(self):
        return 7

    def __eq__(self, other):
        self.eq_calls += 1
        return self.a == other.a


@jitclass([("a", int64)])
class HashOnly:
    """`__hash__` without `__eq__`: hashed by it, compared by identity."""

    def __init__(self, a):
        self.a = a

    def __hash__(self):
        return self.a % 2


@jitclass([("a", int64)])
class MinusOne:
    """`__hash__` returns -1, which `hash()` makes -2."""

    def __init__(self, a):
        self.a = a

    def __hash__(self):
        return -1

    def __eq__(self, other):
        return self.a == other.a


@jitclass([("a", int64)])
class EqOnly:
    """`__eq__` without `__hash__`: Python sets `__hash__` to None, so it is unhashable."""

    def __init__(self, a):
        self.a = a

    def __eq__(self, other):
        return self.a == other.a


@jitclass
@dataclass
class Record:
    """`@dataclass` (`eq=True`) sets `__hash__` to None: unhashable, though compiled code sees
    no `__eq__`."""

    a: int


# ---- identity keys -------------------------------------------------------------------------


@njit
def identity_dict(n):
    cells = [Cell(i) for i in range(n)]
    d = {}
    for c in cells:
        d[c] = c.i * 10
    twin = Cell(0)
    out = [len(d), d.get(twin, -1), int(twin in d)]
    if n > 1:
        out.append(d[cells[1]])
        d[cells[1]] += 5
        out.append(d[cells[1]])
    if n > 0:
        del d[cells[0]]
        out.append(int(cells[0] in d))
    # The same cell stored twice is one key.
    if n > 2:
        d[cells[2]] = -1
    for k in d:
        out.append(k.i)
    for k, v in d.items():
        out.append(k.i * 1000 + v)
    return out


@njit
def identity_key_error(n):
    d = {Cell(1): 1}
    probe = Cell(1)
    return d[probe] + n


@njit
def identity_tuple_keys(n):
    cells = [Cell(i) for i in range(3)]
    d = {}
    for i in range(n):
        d[(cells[i % 3], i % 2)] = i
    out = [len(d), d.get((cells[0], 0), -1), d.get((Cell(0), 0), -1)]
    for (c, parity), v in d.items():
        out.append(c.i * 100 + parity * 10 + v)
    return out


@njit
def identity_pop_and_setdefault(n):
    cells = [Cell(i) for i in range(n)]
    d = {c: c.i for c in cells}
    out = [d.pop(cells[0], -1), d.pop(Cell(0), -1), d.setdefault(cells[1], 99), d.setdefault(Cell(1), 98), len(d)]
    d.clear()
    out.append(len(d))
    return out


@njit
def hash_only_keys(n):
    # Hashed by `__hash__`, compared by identity: equal fields are still two keys.
    items = [HashOnly(i % 2) for i in range(n)]
    d = {}
    for x in items:
        d[x] = x.a
    return [len(d), d.get(HashOnly(0), -1), d[items[0]] if n > 0 else -1]


# ---- keys by `__hash__` and `__eq__` -------------------------------------------------------


@njit
def eq_dict(n):
    d = {}
    for i in range(n):
        k = Key(i % 3, 1)
        d[k] = d.get(k, 0) + 1
    out = [len(d), d.get(Key(0, 1), -1), int(Key(5, 1) in d), int(Key(2, 1) in d)]
    if n > 1:
        del d[Key(1, 1)]
    for k, v in d.items():
        out.append(k.a * 100 + v)
    return out


@njit
def eq_key_error(a):
    d = {Key(1, 2): 3}
    return d[Key(a, 2)]


@njit
def eq_first_key_kept(n):
    # Storing under an equal key keeps the first key object and replaces the value.
    first = Key(1, 1)
    d = {first: 0}
    for i in range(n):
        d[Key(1, 1)] = i
    out = [len(d), d[first]]
    for k in d:
        out.append(int(k is first))
    return out


@njit
def colliding_keys(n):
    keys = [Clash(i) for i in range(n)]
    d = {}
    for k in keys:
        d[k] = k.a * 2
    # Remove every other one, then look all of them up by equal new keys.
    for i in range(0, n, 2):
        del d[Clash(i)]
    out = [len(d)]
    for i in range(n):
        out.append(d.get(Clash(i), -1))
    # Grow past the first table with keys that all collide.
    for i in range(n, 3 * n):
        d[Clash(i)] = i
    out.append(len(d))
    out.append(d[Clash(3 * n - 1)] if n > 0 else -1)
    return out


@njit
def identity_before_eq(n):
    # A key found by identity: its `__eq__` is not called (`is` first, as CPython's dicts).
    k = Clash(5)
    d = {k: 1}
    for i in range(n):
        d[k] += 1
    return [d[k], k.eq_calls]


@njit
def eq_tuple_keys(n):
    d = {}
    for i in range(n):
        d[(Key(i % 2, 0), i % 3)] = i
    out = [len(d), d.get((Key(1, 0), 1), -1), d.get((Key(1, 0), 7), -1)]
    for (k, j), v in d.items():
        out.append(k.a * 100 + j * 10 + v)
    return out


@njit
def minus_one_hash(a):
    d = {MinusOne(a): 1, MinusOne(a + 1): 2}
    return [hash(MinusOne(a)), d[MinusOne(a + 1)], len(d)]


@njit
def eq_dict_equality(n):
    a = {Key(i, 0): i for i in range(n)}
    b = {Key(i, 0): i for i in range(n - 1, -1, -1)}
    c = {Key(i, 1): i for i in range(n)}
    return [a == b, a == c, a != c]


@njit
def eq_dict_pop_update(n):
    d = {Key(i, i): i for i in range(n)}
    e = {Key(0, 0): 100, Key(9, 9): 9}
    d.update(e)
    out = [len(d), d[Key(0, 0)], d.pop(Key(9, 9), -1), d.pop(Key(9, 9), -1), len(d)]
    return out


# ---- sets ----------------------------------------------------------------------------------


@njit
def identity_set(n):
    cells = [Cell(i) for i in range(n)]
    s = set()
    for c in cells:
        s.add(c)
        s.add(c)
    out = [len(s), int(Cell(0) in s)]
    if n > 0:
        out.append(int(cells[0] in s))
        s.discard(cells[0])
        s.discard(Cell(0))
        out.append(int(cells[0] in s))
    total = 0
    for c in s:
        total += c.i
    out.append(total)
    return out


@njit
def eq_set(n):
    s = {Key(i % 4, 0) for i in range(n)}
    t = set()
    t.add(Key(1, 0))
    t.add(Key(7, 0))
    out = [len(s), int(Key(3, 0) in s), int(Key(3, 1) in s), len(s | t), len(s & t), len(s - t), len(s ^ t)]
    s.discard(Key(0, 0))
    s.discard(Key(0, 0))
    out.append(len(s))
    s.remove(Key(1, 0))
    for k in s:
        out.append(k.a)
    return out


@njit
def sets_of_lists(n):
    cells = [Cell(i % 3) for i in range(n)]
    keys = [Key(i % 3, 0) for i in range(n)]
    shared = Cell(0)
    same = [shared for i in range(n)]
    return [len(set(cells)), len(set(keys)), len(set(same)), int(set(keys) == {Key(0, 0), Key(1, 0), Key(2, 0)})]


@njit
def eq_set_remove_missing(a):
    s = {Key(1, 0)}
    s.remove(Key(a, 0))
    return len(s)


@njit
def eq_set_display(a):
    s = {Key(a, 0), Key(a, 0), Key(a + 1, 0)}
    return len(s)


# ---- refused -------------------------------------------------------------------------------


@njit
def eq_only_key(a):
    d = {EqOnly(a): 1}
    return len(d)


@njit
def dataclass_key(a):
    d = {Record(a): 1}
    return len(d)


@njit
def mixed_tuple_key(a):
    d = {(Cell(a), Key(a, 0)): 1}
    return len(d)


@njit
def eq_only_in_a_set(a):
    s = set()
    s.add(EqOnly(a))
    return len(s)


# ---- to and from Python --------------------------------------------------------------------


@njit
def make_eq_dict(n):
    return {Key(i, 0): i for i in range(n)}


@njit
def make_identity_dict(cells):
    return {c: c.i for c in cells}


@njit
def make_eq_set(n):
    return {Key(i, 0) for i in range(n)}


@njit
def look_up(d, a):
    return d.get(Key(a, 0), -1)


@njit
def look_up_cell(d, c):
    return d.get(c, -1)


@njit
def in_set(s, a):
    return Key(a, 0) in s


@njit
def add_to_set(s, a):
    s.add(Key(a, 0))
    return len(s)


@njit
def add_key(d, a):
    d[Key(a, 0)] = a
    return len(d)
