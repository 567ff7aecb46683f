"""Classes and functions of the jitclass tests (tests/test_jitclass.py), loaded twice: as plain
Python (`JIT` unset) and compiled (`JIT = True`, set before the module runs), so that the same
source runs in CPython and in compiled code and the results can be compared."""

from dataclasses import dataclass
from typing import Optional

import numpy as np

from ferrojit import float64, int64, int32, boolean, types, unicode_type
from ferrojit.typed import Dict, List

JIT = globals().get("JIT", False)

if JIT:
    from ferrojit import njit
    from ferrojit.experimental import jitclass
else:

    def njit(func):
        return func

    def _plain(cls):
        # What a jitclass without `__init__` is: a dataclass of its annotated fields.
        if "__init__" not in vars(cls) and vars(cls).get("__annotations__") and not any(b.__name__ != "object" for b in cls.__bases__):
            return dataclass(eq=False, repr=False)(cls)
        return cls

    def jitclass(cls_or_spec=None, spec=None):
        if isinstance(cls_or_spec, type):
            return _plain(cls_or_spec)
        return _plain


# ---- classes -------------------------------------------------------------------------------


@jitclass([("count", int64), ("data", float64[:])])
class Counter:
    def __init__(self, n):
        self.count = 0
        self.data = np.zeros(n)

    def add(self, x):
        self.data[self.count] = x
        self.count += 1
        return self.count

    def add_twice(self, x):
        self.add(x)
        return self.add(x)

    def total(self):
        s = 0.0
        for i in range(self.count):
            s += self.data[i]
        return s


@jitclass({"x": float64, "y": float64})
class Point:
    def __init__(self, x, y=0.0):
        self.x = x
        self.y = y

    def norm2(self):
        return self.x * self.x + self.y * self.y

    def scale(self, k):
        self.x *= k
        self.y *= k

    def moved(self, dx, dy):
        return Point(self.x + dx, self.y + dy)

    @classmethod
    def origin(cls):
        return cls(0.0, 0.0)

    @classmethod
    def diagonal(cls, t):
        p = cls.origin()
        p.x = t
        p.y = t
        return p


@jitclass
class Account:
    owner: str
    balance: float
    deposits: int
    open: bool

    def __init__(self, owner, balance):
        self.owner = owner
        self.balance = balance
        self.deposits = 0
        self.open = True

    def deposit(self, amount):
        if not self.open:
            raise ValueError("account closed")
        self.balance += amount
        self.deposits += 1

    def close(self):
        self.open = False


@jitclass
class Narrow:
    small: int32
    big: int64
    ratio: float64

    def __init__(self, small, big):
        self.small = small
        self.big = big
        self.ratio = big / 2


@jitclass([("first", float64), ("second", float64)])
class Pair:
    def __init__(self, first, second):
        self.first = first
        self.second = second

    def swap(self):
        self.first, self.second = self.second, self.first


@jitclass([("celsius", float64)])
class Temperature:
    def __init__(self, celsius):
        self.celsius = celsius

    @property
    def fahrenheit(self):
        return self.celsius * 9.0 / 5.0 + 32.0

    @fahrenheit.setter
    def fahrenheit(self, value):
        self.celsius = (value - 32.0) * 5.0 / 9.0

    @staticmethod
    def to_kelvin(c):
        return c + 273.15

    def kelvin(self):
        return Temperature.to_kelvin(self.celsius) + self.to_kelvin(0.0) - 273.15


@jitclass([("x", float64), ("y", float64)])
class Vec:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __add__(self, other):
        return Vec(self.x + other.x, self.y + other.y)

    def __sub__(self, other):
        return Vec(self.x - other.x, self.y - other.y)

    def __mul__(self, k):
        return Vec(self.x * k, self.y * k)

    def __rmul__(self, k):
        return Vec(self.x * k, self.y * k)

    def __iadd__(self, other):
        self.x += other.x
        self.y += other.y
        return self

    def __neg__(self):
        return Vec(-self.x, -self.y)

    def __abs__(self):
        return (self.x * self.x + self.y * self.y) ** 0.5

    def __eq__(self, other):
        return self.x == other.x and self.y == other.y

    def __lt__(self, other):
        return abs(self) < abs(other)

    def __hash__(self):
        return int(self.x) * 1000 + int(self.y)

    def __str__(self):
        return "Vec(" + str(self.x) + ", " + str(self.y) + ")"


@jitclass([("value", float64), ("calls", int64)])
class Money:
    # Binary methods that answer `NotImplemented` for operands they do not know, so that the
    # other operand's reflected method (or Python's default) answers instead.
    def __init__(self, value):
        self.value = value
        self.calls = 0

    def __add__(self, other):
        self.calls += 1
        if isinstance(other, Money):
            return Money(self.value + other.value)
        if isinstance(other, float):
            return Money(self.value + other)
        return NotImplemented

    def __radd__(self, other):
        self.calls += 10
        if isinstance(other, int):
            return Money(self.value + 100 * other)
        return NotImplemented

    def __eq__(self, other):
        if not isinstance(other, Money):
            return NotImplemented
        return self.value == other.value

    def __lt__(self, other):
        if isinstance(other, Money):
            return self.value < other.value
        return NotImplemented

    def __gt__(self, other):
        if isinstance(other, (int, float)):
            return self.value > other
        return NotImplemented


@jitclass([("items", float64[:]), ("size", int64)])
class Stack:
    def __init__(self, capacity):
        self.items = np.zeros(capacity)
        self.size = 0

    def push(self, x):
        self.items[self.size] = x
        self.size += 1

    def __len__(self):
        return self.size

    def __getitem__(self, i):
        if i < 0:
            i += self.size
        if i < 0 or i >= self.size:
            raise IndexError("stack index out of range")
        return self.items[i]

    def __setitem__(self, i, value):
        self.items[i] = value

    def __contains__(self, x):
        for i in range(self.size):
            if self.items[i] == x:
                return True
        return False

    def __iter__(self):
        for i in range(self.size):
            yield self.items[i]

    def __delitem__(self, i):
        for j in range(i, self.size - 1):
            self.items[j] = self.items[j + 1]
        self.size -= 1

    def __call__(self, scale, offset=0.0):
        return self.items[: self.size].sum() * scale + offset


@jitclass([("flag", boolean)])
class Flag:
    def __init__(self, flag):
        self.flag = flag

    def __bool__(self):
        return self.flag


@jitclass
class Segment:
    start: Point
    end: Point
    label: str

    def __init__(self, start, end, label):
        self.start = start
        self.end = end
        self.label = label

    def length2(self):
        dx = self.end.x - self.start.x
        dy = self.end.y - self.start.y
        return dx * dx + dy * dy


@jitclass([("name", unicode_type), ("legs", int64)])
class Animal:
    def __init__(self, name, legs):
        self.name = name
        self.legs = legs

    def describe(self):
        return self.name + " has " + str(self.legs) + " legs"

    def sound(self):
        return "..."

    def speak(self):
        return self.name + " says " + self.sound()

    @classmethod
    def named(cls, name):
        return cls(name, 2)


@jitclass([("tricks", int64)])
class Dog(Animal):
    def __init__(self, name, tricks):
        super().__init__(name, 4)
        self.tricks = tricks

    def sound(self):
        return "woof"

    def describe(self):
        return super().describe() + " and knows " + str(self.tricks) + " tricks"


@jitclass
class Puppy(Dog):
    age: int

    def __init__(self, name, age):
        super().__init__(name, 0)
        self.age = age

    def sound(self):
        return "yip"

    def animal_description(self):
        # Past `Dog`'s override, to `Animal`'s.
        return super(Dog, self).describe()

    def dog_sound(self):
        return super(Puppy, self).sound()


@jitclass([("value", float64), ("cached", float64)])
class Lazy:
    def __init__(self, value, precompute):
        self.value = value
        if precompute:
            self.cached = value * 2.0

    def get(self):
        return self.cached


@jitclass
class Particle:
    # No `__init__`: the fields are its parameters, as a dataclass's.
    x: float
    v: float
    mass: float = 1.0
    alive: bool = True

    def momentum(self):
        return self.mass * self.v


@jitclass
@dataclass
class Interval:
    lo: float
    hi: float = 1.0

    def width(self):
        return self.hi - self.lo


@jitclass([("head", Point.class_type.instance_type if JIT else Point), ("weight", float64)])
class Weighted:
    # A field typed as Numba spells a jitclass's instances.
    def __init__(self, head, weight):
        self.head = head
        self.weight = weight

    def value(self):
        return self.head.norm2() * self.weight


@jitclass([("items", types.ListType(float64)), ("index", types.DictType(unicode_type, int64))])
class Bag:
    # Typed containers as fields: shared with Python, not copied.
    def __init__(self):
        self.items = List.empty_list(float64)
        self.index = Dict.empty(unicode_type, int64)

    def add(self, name, x):
        self.index[name] = len(self.items)
        self.items.append(x)

    def get(self, name):
        return self.items[self.index[name]]


@jitclass
class Best:
    # Optional fields: `None` or a value.
    best: Optional[Point]
    scores: Optional[float64[:]] if JIT else object
    seen: int

    def __init__(self):
        self.best = None
        self.scores = None
        self.seen = 0

    def offer(self, x):
        if self.best is None or x > self.best.x:
            self.best = Point(x, 0.0)
        self.seen += 1

    def value(self):
        if self.best is None:
            return -1.0
        return self.best.x


@jitclass
class Node:
    # A class naming itself in its fields: a linked list.
    value: int
    next: Optional["Node"]

    def __init__(self, value, next):
        self.value = value
        self.next = next

    def length(self):
        n = 1
        cur = self.next
        while cur is not None:
            n += 1
            cur = cur.next
        return n


@jitclass
class Tree:
    key: float
    left: "Tree | None"
    right: "Tree | None"

    def __init__(self, key):
        self.key = key
        self.left = None
        self.right = None

    def insert(self, k):
        if k < self.key:
            if self.left is None:
                self.left = Tree(k)
            else:
                self.left.insert(k)
        elif self.right is None:
            self.right = Tree(k)
        else:
            self.right.insert(k)

    def size(self):
        n = 1
        if self.left is not None:
            n += self.left.size()
        if self.right is not None:
            n += self.right.size()
        return n

    def depth(self):
        d = 0
        if self.left is not None:
            d = max(d, self.left.depth())
        if self.right is not None:
            d = max(d, self.right.depth())
        return d + 1


@jitclass([("depth", int64), ("log", int64)])
class Guard:
    def __init__(self):
        self.depth = 0
        self.log = 0

    def __enter__(self):
        self.depth += 1
        return self

    def __exit__(self, kind, value, traceback):
        self.depth -= 1
        self.log += 10
        return False


# ---- functions of the tables ---------------------------------------------------------------


@njit
def counter_total(n):
    c = Counter(n)
    for i in range(n):
        c.add(i * 1.5)
    return c.count, c.total()


@njit
def methods_calling_methods(x):
    c = Counter(4)
    k = c.add_twice(x)
    return k, c.total(), c.data.copy()


@njit
def aliasing(x):
    # Two names, one instance: a change through one is seen through the other.
    p = Point(x, 2.0)
    q = p
    q.x = 10.0
    q.scale(3.0)
    return p.x, p.y, p is q


@njit
def defaults_and_keywords(x):
    a = Point(x)
    b = Point(y=x, x=1.0)
    return a.x, a.y, b.x, b.y


@njit
def new_instances_from_methods(x):
    p = Point(x, 1.0)
    q = p.moved(1.0, 2.0)
    q.x = -5.0
    return p.x, p.y, q.x, q.y, q is p


@njit
def string_and_bool_fields(amount):
    a = Account("ann", 10.0)
    a.deposit(amount)
    a.deposit(amount)
    return a.owner, a.balance, a.deposits, a.open


@njit
def exception_in_method(amount):
    a = Account("bob", 1.0)
    a.close()
    a.deposit(amount)
    return a.balance


@njit
def narrow_fields(small, big):
    n = Narrow(small, big)
    n.small = n.small + 1
    return n.small, n.big, n.ratio


@njit
def tuple_swap():
    p = Pair(1.0, 2.0)
    p.swap()
    return p.first, p.second


@njit
def instances_in_a_loop(n):
    total = 0.0
    for i in range(n):
        p = Point(i * 1.0, 1.0)
        total += p.norm2()
    return total


@njit
def passed_in(p, k):
    p.scale(k)
    return p.norm2()


@njit
def returned(x, y):
    return Point(x, y)


@njit
def identity(p):
    return p


@njit
def counter_with_array(a):
    c = Counter(1)
    c.data = a
    c.count = a.shape[0]
    return c.total()


@njit
def field_array_in_place(n):
    c = Counter(n)
    c.data += 2.0
    c.data[0] = -1.0
    return c.data.sum()


@njit
def returned_fields(x, y):
    # An instance returned by another compiled function.
    p = returned(x, y)
    return p.x, p.y


@njit
def use_temperature(c):
    t = Temperature(c)
    f = t.fahrenheit
    k = t.kelvin()
    t.fahrenheit = 77.0
    return f, k, t.celsius


@njit
def vector_arithmetic(a, b):
    u = Vec(a, b)
    v = Vec(b, a)
    w = u + v * 2.0 - (-u)
    z = 3.0 * v
    return w.x, w.y, z.x, z.y, abs(Vec(3.0, 4.0))


@njit
def vector_inplace(a):
    u = Vec(a, 1.0)
    alias = u
    u += Vec(1.0, 1.0)
    return u.x, u.y, alias is u, alias.x


@njit
def vector_comparisons(a, b):
    u, v = Vec(a, b), Vec(b, a)
    return u == v, u != v, u == Vec(a, b), u < v, v > u, u is u, u is v


@njit
def vector_hash_and_str(a):
    u = Vec(a, 2.0)
    return hash(u), str(u), hash((u.x, u.y, "v")), hash((u, u))


@njit
def container_protocol(n):
    s = Stack(10)
    for i in range(n):
        s.push(i * 2.0)
    s[0] = -1.0
    total = 0.0
    for x in s:
        total += x
    return len(s), s[0], s[-1], 4.0 in s, 5.0 in s, 5.0 not in s, total, bool(s)


@njit
def container_index_error(n):
    s = Stack(4)
    s.push(1.0)
    return s[n]


@njit
def truth_of_instances(f):
    x = Flag(f)
    n = 0
    if x:
        n += 1
    if not x:
        n += 10
    return n, bool(x), bool(Stack(2))


@njit
def print_instance(a):
    print(Vec(a, 1.0))


@njit
def nested_instances(x):
    a = Point(0.0, 0.0)
    s = Segment(a, Point(x, 4.0), "s")
    # The field and `a` are one instance.
    a.x = -1.0
    s.end.y = 5.0
    before = s.length2()
    s.start = Point(1.0, 1.0)
    return before, s.length2(), s.start.x, a.x, s.label


@njit
def instances_in_a_list(n):
    points = [Point(i * 1.0, 0.0) for i in range(n)]
    points.append(Point(10.0, 1.0))
    first = points[0]
    first.y = 7.0
    total = 0.0
    for p in points:
        total += p.x + p.y
    return len(points), total, points[0].y, points[-1] is points[len(points) - 1]


@njit
def instances_in_a_dict(n):
    d = {}
    for i in range(n):
        d[i] = Point(i * 1.0, 1.0)
    d[0].x = 100.0
    shared = Point(2.0, 2.0)
    d[n] = shared
    shared.y = 3.0
    total = 0.0
    for k in d:
        total += d[k].x * d[k].y
    return len(d), total


@njit
def list_of_instances_returned(n):
    return [Point(i * 1.0, -1.0) for i in range(n)]


@njit
def sum_of_list(points):
    total = 0.0
    for p in points:
        p.x += 1.0
        total += p.x
    return total


@njit
def inheritance(tricks):
    d = Dog("rex", tricks)
    a = Animal("cat", 4)
    p = Puppy("bit", 1)
    return (d.describe(), d.speak(), a.speak(), a.describe(), d.legs, p.describe(), p.speak(), p.age,
            isinstance(d, Animal), isinstance(a, Dog), isinstance(d, Dog), isinstance(p, Animal), isinstance(p, (Dog, Point)), isinstance(a, Point))


@njit
def not_implemented_falls_back(a):
    m = Money(a)
    n = Money(2.0)
    # `3 + m`: int's `__add__` does not know Money, so `m.__radd__(3)` answers; `m == 3`: both
    # answer NotImplemented, so Python's default (identity) decides.
    total = (m + n).value + (m + 0.5).value + (3 + m).value
    # `5 < m`: int's `__lt__` does not know Money, so `m.__gt__(5)` answers.
    return total, m == n, m == Money(a), m == 3, m != 3, m != n, m < n, 5 < m, m.calls


@njit
def explicit_super(age):
    p = Puppy("bit", age)
    d = Dog("rex", 3)
    return p.animal_description(), p.dog_sound(), super(Dog, d).describe(), super(Puppy, p).describe(), super(Dog, p).sound()


@njit
def speak_of(animal):
    return animal.speak()


@njit
def unset_field(precompute):
    z = Lazy(3.0, precompute)
    return z.get()


@njit
def dataclass_style(x):
    p = Particle(x, 2.0)
    q = Particle(x, v=3.0, mass=2.0, alive=False)
    i = Interval(x)
    j = Interval(hi=5.0, lo=x)
    return p.momentum(), p.mass, p.alive, q.momentum(), q.alive, i.width(), j.width()


@njit
def class_methods(t):
    a = Point.origin()
    b = Point.diagonal(t)
    c = b.diagonal(2.0 * t)
    d = Dog.named("rex")
    e = Animal.named("cat")
    return a.x, a.y, b.x, c.y, d.describe(), e.describe()


@njit
def class_as_value():
    return Point


@njit
def numba_instance_type(w):
    return Weighted(Point(1.0, 2.0), w).value()


@njit
def optional_instance(n):
    best = None
    for i in range(n):
        p = Point(i * 1.0, 0.0)
        if best is None or p.x > best.x:
            best = p
    if best is None:
        return -1.0
    return best.x


@njit
def instances_in_tuples(a):
    p = Point(a, 1.0)
    t = (p, 2)
    t[0].y = 5.0
    return t[1], p.y, t[0] is p


@njit
def instance_in_a_closure(a):
    p = Point(a, 0.0)

    def bump(k):
        p.x += k
        return p.x

    bump(1.0)
    return bump(2.0), p.x


@njit
def walk_points(n):
    p = Point(0.0, 0.0)
    for i in range(n):
        p.x += 1.0
        yield p


@njit
def instances_from_a_generator(n):
    total = 0.0
    for p in walk_points(n):
        total += p.x
    return total


@njit
def sorted_instances(n):
    points = [Point(float(n - i), 0.0) for i in range(n)]
    ordered = sorted(points, key=lambda p: p.x)
    return [p.x for p in ordered], ordered[0] is points[-1]


@njit
def delete_and_call(n):
    s = Stack(8)
    for i in range(n):
        s.push(i + 1.0)
    del s[0]
    return len(s), s[0], s(2.0), s(1.0, offset=0.5)


@njit
def containers_as_fields(x):
    b = Bag()
    b.add("a", x)
    b.add("b", 2 * x)
    b.items[0] = -x
    return b.get("a"), b.get("b"), len(b.items), len(b.index)


@njit
def optional_fields(n):
    b = Best()
    before = b.value()
    for i in range(n):
        b.offer(float((i * 7) % 5))
    b.scores = np.ones(3)
    total = b.scores.sum() if b.scores is not None else 0.0
    return before, b.value(), b.seen, total, b.best is None


@njit
def linked_list(n):
    head = None
    for i in range(n):
        head = Node(i, head)
    if head is None:
        return 0, 0
    total = 0
    cur = head
    while cur is not None:
        total += cur.value
        cur = cur.next
    return head.length(), total


@njit
def binary_tree(n):
    t = Tree(0.5)
    x = 0.3
    for i in range(n):
        x = (x * 3.7 + 0.1) % 1.0
        t.insert(x)
    return t.size(), t.depth()


@njit
def context_manager():
    g = Guard()
    with g as same:
        same.log += 1
        inside = g.depth
    return inside, g.depth, g.log
