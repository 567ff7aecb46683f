"""Generators and iterators, against CPython: generator functions (`yield` in loops and
branches, `return` ending them, `yield from`) consumed by compiled code (`for`, `sum`, `list`,
`sorted`, `min`, `max`, `any`, `all`, comprehensions, `zip`, `enumerate`, `map`), inner
generator functions reading the enclosing function's variables, `@njit` generator functions
called from compiled code and from Python (a lazy iterator); `iter()` and `next()` (with and
without a default) over every iterable compiled code has; errors naming the line; and memory:
generators dropped half-way, exceptions inside generators, iterators keeping their container
alive and releasing it.

Each row of a table is a plain function; it runs as plain Python and compiled, and the results
must be the same (type and value) or the same exception (class and message)."""
import copy
import itertools

import numpy as np
import pytest

import ferrojit
from ferrojit import _native, njit
from ferrojit.errors import TypingError, UnsupportedError
from helpers import assert_same, case_id, plain_python, to_python
from helpers import run_both as run_both_in_python


def run_both(pyfunc, *args, compiled=None):
    """`helpers.run_both`, the compiled functions `pyfunc` calls run as Python on its Python side."""
    return run_both_in_python(pyfunc, *args, plain=True, compiled=compiled)


# ---- generator functions ---------------------------------------------------------------------


@njit
def evens_then_sentinel(n):
    for i in range(n):
        if i % 2 == 0:
            yield i * 10
        else:
            continue
    yield -1


@njit
def countdown(n):
    while n > 0:
        yield n
        n -= 1


@njit
def stops_early(n, stop):
    for i in range(n):
        if i == stop:
            return
        yield float(i) / 2


@njit
def nested_loops(n):
    for i in range(n):
        for j in range(i, n, 2):
            if (i + j) % 3 == 0:
                yield (i, j)


@njit
def descending_steps(start, stop, step):
    for i in range(start, stop, step):
        yield i


@njit
def over_containers(values, text):
    for v in values:
        yield v * 2
    for c in text:
        yield float(ord(c))
    for k, v in enumerate(values, 1):
        yield float(k) * v


@njit
def words(text):
    for w in text.split():
        yield w.upper()


@njit
def prefixes(a):
    for i in range(len(a) + 1):
        yield a[:i]


@njit
def delegating(n):
    yield from countdown(n)
    yield from [7, 8]
    yield from range(2)


@njit
def yields_lists(n):
    row = []
    for i in range(n):
        row.append(i)
        yield row.copy()


@njit
def yields_nothing(n):
    if n > 100:
        yield n
    return


@njit
def raises_midway(n):
    for i in range(n):
        if i == 3:
            raise ValueError("three is too many")
        yield i


@njit
def next_of_exhausted(values):
    it = iter(values)
    while True:
        yield next(it)


@njit
def sum_of(g):
    total = 0
    for x in g:
        total += x
    return total


def for_over_generator(n):
    total = 0
    for x in evens_then_sentinel(n):
        total += x
    return total


def for_over_while_generator(n):
    out = []
    for x in countdown(n):
        out.append(x)
    return out


def generator_return_ends_it(n, stop):
    return [x for x in stops_early(n, stop)]


def generator_in_nested_loops(n):
    return list(nested_loops(n))


def generator_range_steps(a, b, c):
    return list(descending_steps(a, b, c))


def generator_over_containers(values, text):
    return list(over_containers(values, text))


def generator_of_strings(text):
    return [w for w in words(text)], sorted(words(text))


def generator_of_arrays(n):
    a = np.arange(n) * 1.5
    return [float(p.sum()) for p in prefixes(a)]


def generator_delegates(n):
    return list(delegating(n))


def generator_of_lists(n):
    return list(yields_lists(n))


def generator_yields_nothing(n):
    return list(yields_nothing(n)), sum(yields_nothing(n))


def builtins_over_generators(n):
    return (
        sum(countdown(n)),
        sum(countdown(n), 10),
        list(countdown(n)),
        sorted(countdown(n)),
        sorted(nested_loops(n), reverse=True),
        sorted(countdown(n), key=lambda v: (v % 3, v)),
        min(countdown(n)),
        max(countdown(n)),
        min(nested_loops(n)),
        max(countdown(n), key=lambda v: -v),
        min(yields_nothing(n), default=-5),
        any(countdown(n)),
        all(countdown(n)),
        any(x > n for x in countdown(n)),
    )


def builtins_over_empty_generator(n):
    return sum(yields_nothing(n)), list(yields_nothing(n)), any(yields_nothing(n)), all(yields_nothing(n))


def max_of_empty_generator(n):
    return max(yields_nothing(n))


def zip_enumerate_map_over_generators(n):
    out = []
    for i, x in enumerate(countdown(n), 5):
        out.append((i, x))
    for x, y in zip(countdown(n), [10, 20]):
        out.append((x, y))
    for x, y in zip([10, 20, 30, 40, 50], countdown(n)):
        out.append((x, y))
    for x, (y, z) in zip(countdown(n), nested_loops(n)):
        out.append((x, y + z))
    for v in map(lambda a: a * 3, countdown(n)):
        out.append((v, v))
    return out


def zip_stops_at_the_first_exhausted_argument(n):
    # CPython's zip asks its arguments in order: the generator gives 3 (lost: the list is
    # exhausted) before zip stops; a generator after an exhausted list is not resumed.
    g = countdown(n)
    pairs = [p for p in zip(g, [1, 2])]
    left = next(g, -1)
    h = countdown(n)
    more = [p for p in zip([1, 2], h)]
    return pairs, left, more, next(h, -1)


def comprehension_over_generators(n):
    return [x * y for x in countdown(n) for y in countdown(x)], {x % 3 for x in countdown(n)}, {x: -x for x in countdown(n)}


def break_then_resume(n):
    g = countdown(n)
    first = []
    for x in g:
        first.append(x)
        if len(first) == 2:
            break
    rest = []
    for x in g:
        rest.append(x)
    return first, rest, next(g, 0)


def generator_passed_to_compiled_function(n):
    return sum_of(countdown(n)), sum_of(evens_then_sentinel(n))


def inner_generator_reads_variables(n, scale):
    offset = n * 2

    def scaled(m):
        for i in range(m):
            yield i * scale + offset

    return list(scaled(n)), sum(scaled(3))


def inner_generator_reads_a_changing_variable(n):
    base = 0

    def from_base():
        for i in range(n):
            yield base + i

    first = list(from_base())
    base = 100
    return first, list(from_base())


def inner_generator_appends_to_enclosing_list(n):
    seen = [-1]

    def recording():
        for i in range(n):
            seen.append(i)
            yield len(seen)

    values = list(recording())
    return values, seen


def inner_generators_nested(n):
    def inner(m):
        for j in range(m):
            yield j

    def outer():
        for i in range(n):
            for j in inner(i):
                yield (i, j)

    return list(outer())


def generators_interleaved(n):
    a = countdown(n)
    b = countdown(n + 2)
    out = []
    for x in a:
        out.append(x)
        out.append(next(b))
    return out, list(b)


def exception_inside_generator_propagates(n):
    total = 0
    for x in raises_midway(n):
        total += x
    return total


def stop_iteration_inside_generator_is_runtime_error(values):
    return list(next_of_exhausted(values))


GENERATOR_CASES = [
    (for_over_generator, (7,)),
    (for_over_generator, (0,)),
    (for_over_while_generator, (4,)),
    (generator_return_ends_it, (10, 4)),
    (generator_return_ends_it, (3, 4)),
    (generator_in_nested_loops, (7,)),
    (generator_range_steps, (10, -3, -4)),
    (generator_range_steps, (1, 11, 3)),
    (generator_range_steps, (1, 11, 0)),
    (generator_over_containers, ([1.5, 2.5], "hi")),
    (generator_of_strings, ("the quick brown  fox",)),
    (generator_of_arrays, (4,)),
    (generator_delegates, (3,)),
    (generator_of_lists, (4,)),
    (generator_yields_nothing, (3,)),
    (builtins_over_generators, (6,)),
    (builtins_over_empty_generator, (3,)),
    (max_of_empty_generator, (3,)),
    (zip_enumerate_map_over_generators, (4,)),
    (zip_stops_at_the_first_exhausted_argument, (3,)),
    (comprehension_over_generators, (4,)),
    (break_then_resume, (5,)),
    (generator_passed_to_compiled_function, (6,)),
    (inner_generator_reads_variables, (4, 0.5)),
    (inner_generator_reads_a_changing_variable, (3,)),
    (inner_generator_appends_to_enclosing_list, (4,)),
    (inner_generators_nested, (4,)),
    (generators_interleaved, (3,)),
    (exception_inside_generator_propagates, (2,)),
    (exception_inside_generator_propagates, (6,)),
    (stop_iteration_inside_generator_is_runtime_error, ([1, 2],)),
]


@pytest.mark.parametrize("pyfunc, args", GENERATOR_CASES, ids=case_id)
def test_generators_in_compiled_code(pyfunc, args):
    run_both(pyfunc, *args)


# ---- iter() and next() -----------------------------------------------------------------------


def next_of_list(values):
    it = iter(values)
    return next(it), next(it), next(it, -1), next(it, -1)


def next_past_the_end_of_list(values):
    it = iter(values)
    next(it)
    return next(it)


def next_of_tuple(t):
    it = iter(t)
    return next(it), next(it), list(it)


def next_of_range(n):
    it = iter(range(2, n, 3))
    return next(it), list(it), next(it, 0)


def next_of_str(s):
    it = iter(s)
    return next(it) + next(it), list(it)


def next_of_dict(d):
    keys = iter(d)
    items = iter(d.items())
    values = iter(d.values())
    return next(keys), next(items), next(values), list(keys), list(items)


def next_of_set(s):
    it = iter(s)
    first = next(it)
    return sorted([first] + list(it)), next(it, -1)


def next_of_array(a):
    it = iter(a)
    return next(it), next(it), list(it)


def next_of_2d_array_rows(a):
    it = iter(a)
    return float(next(it).sum()), float(next(it)[1])


def next_of_zip(a, b):
    z = zip(a, b)
    return next(z), list(z), next(z, (0, 0.0))


def next_of_zip_of_three(a, b, c):
    z = zip(a, b, c)
    return next(z), list(z)


def next_of_enumerate(a):
    e = enumerate(a)
    f = enumerate(a, 10)
    return next(e), next(f), next(f), list(e)


def next_of_generator(n):
    g = countdown(n)
    return next(g), next(g), list(g), next(g, 99)


def iter_of_generator_is_itself(n):
    g = countdown(n)
    it = iter(g)
    first = next(it)
    return first, next(g), list(iter(it))


def iterator_sees_list_growing(values):
    it = iter(values)
    first = next(it)
    values.append(first * 10)
    return first, list(it)


def iterator_outlives_its_variable(n):
    it = iter([np.arange(3) * k for k in range(n)])
    total = 0.0
    for a in it:
        total += a.sum()
    return total


def next_in_a_loop(n):
    it = iter(range(n))
    out = []
    while True:
        x = next(it, -1)
        if x < 0:
            break
        out.append(x)
    return out


def iterators_in_a_list(n):
    its = [iter([i, i + 1]) for i in range(n)]
    return [next(it) + next(it) for it in its]


def sum_of_iterator(values):
    return sum(iter(values)), sorted(iter(values)), list(iter(values)), min(iter(values)), max(iter(values))


ITER_CASES = [
    (next_of_list, ([3, 1, 2],)),
    (next_of_list, ([3.5],)),
    (next_past_the_end_of_list, ([3],)),
    (next_of_tuple, ((1.5, 2.5, 3.5),)),
    (next_of_range, (12,)),
    (next_of_str, ("héllo",)),
    (next_of_dict, ({1: 2.5, 3: 4.5, 5: 6.5},)),
    (next_of_set, ({4, 1, 9},)),
    (next_of_array, (np.arange(4.0),)),
    (next_of_2d_array_rows, (np.arange(6.0).reshape(2, 3),)),
    (next_of_zip, ([1, 2, 3], [0.5, 1.5])),
    (next_of_zip_of_three, ([1, 2], "ab", (True, False))),
    (next_of_enumerate, ([7, 8, 9],)),
    (next_of_generator, (4,)),
    (iter_of_generator_is_itself, (4,)),
    (iterator_sees_list_growing, ([1, 2],)),
    (iterator_outlives_its_variable, (3,)),
    (next_in_a_loop, (4,)),
    (iterators_in_a_list, (3,)),
    (sum_of_iterator, ([5, 3, 8],)),
]


@pytest.mark.parametrize("pyfunc, args", ITER_CASES, ids=case_id)
def test_iter_and_next(pyfunc, args):
    run_both(pyfunc, *args)


def test_stop_iteration_reaches_python_as_stop_iteration():
    with pytest.raises(StopIteration):
        njit(next_past_the_end_of_list)([1])


# ---- generators called from Python -----------------------------------------------------------


@njit
def naturals():
    n = 0
    while True:
        yield n
        n += 1


@njit
def pairs_of(values):
    for i, v in enumerate(values):
        yield (i, v, str(v))


@njit
def arrays_of(n):
    for i in range(n):
        yield np.full(i, 0.5)


FROM_PYTHON_CASES = [
    (evens_then_sentinel, (7,)),
    (countdown, (3,)),
    (stops_early, (10, 4)),
    (nested_loops, (5,)),
    (words, ("a bc  déf",)),
    (delegating, (2,)),
    (yields_lists, (3,)),
    (yields_nothing, (1,)),
    (pairs_of, ([1.5, 2.5],)),
]


@pytest.mark.parametrize("cfunc, args", FROM_PYTHON_CASES, ids=case_id)
def test_generator_called_from_python_yields_what_python_yields(cfunc, args):
    g = cfunc(*copy.deepcopy(args))
    assert type(g).__name__ == "generator"
    assert iter(g) is g
    assert_same(list(g), to_python(list(plain_python(cfunc.py_func)(*copy.deepcopy(args)))))
    with pytest.raises(StopIteration):
        next(g)


def test_generator_called_from_python_is_lazy():
    assert list(itertools.islice(naturals(), 5)) == [0, 1, 2, 3, 4]


def test_generator_yields_arrays_to_python():
    values = list(arrays_of(3))
    assert len(values) == 3
    for i, a in enumerate(values):
        assert_same(a, np.full(i, 0.5))


def test_exception_inside_generator_raises_on_next_then_it_is_finished():
    g = raises_midway(10)
    assert [next(g), next(g), next(g)] == [0, 1, 2]
    with pytest.raises(ValueError, match="three is too many"):
        next(g)
    with pytest.raises(StopIteration):
        next(g)


def test_stop_iteration_inside_generator_from_python_is_runtime_error():
    g = next_of_exhausted([1])
    assert next(g) == 1
    with pytest.raises(RuntimeError, match="generator raised StopIteration"):
        next(g)


# ---- errors ----------------------------------------------------------------------------------


def yield_as_a_value(n):
    for i in range(n):
        x = yield i
    return x


def return_a_value_from_generator(n):
    def g():
        yield n
        return n

    return list(g())


def yields_two_types(n):
    def g():
        yield n
        yield "n"

    return list(g())


def next_of_a_list(n):
    return next([n])


def next_default_of_another_type(n):
    return next(countdown(n), "none")


def yield_in_a_lambda(n):
    f = lambda: (yield n)  # noqa: E731
    return f


ERROR_CASES = [
    (yield_as_a_value, (2,), UnsupportedError, "the value of a `yield` expression is not supported", 2),
    (return_a_value_from_generator, (2,), UnsupportedError, "`return` with a value in a generator function is not supported", 3),
    (yields_two_types, (2,), TypingError, "this yields a `unicode_type` but another `yield` gives a `int64`", 3),
    (next_of_a_list, (2,), TypingError, "`next()` needs an iterator, not a `list(int64)`", 1),
    (next_default_of_another_type, (2,), TypingError, "the default of `next()` is a `unicode_type`, but the iterator gives `int64` values", 1),
    (yield_in_a_lambda, (2,), UnsupportedError, "the value of a `yield` expression is not supported", 1),
]


@pytest.mark.parametrize("pyfunc, args, error, message, line", ERROR_CASES, ids=case_id)
def test_unsupported_uses_are_clear_errors(pyfunc, args, error, message, line):
    with pytest.raises(error) as info:
        njit(pyfunc)(*args)
    text = str(info.value)
    assert message in text
    first = pyfunc.__code__.co_firstlineno
    assert f'test_generators.py", line {first + line},' in text, text


def test_a_generator_passed_back_from_python_is_a_type_error():
    with pytest.raises(TypeError, match="cannot compile for a `generator` argument"):
        sum_of(countdown(3))


# ---- memory ----------------------------------------------------------------------------------


@njit
def holding_arrays(n, fail_at):
    kept = [np.ones(3)]
    for i in range(n):
        a = np.full(4, float(i))
        if i == fail_at:
            raise ValueError("midway")
        kept.append(a)
        yield a.sum() + len(kept)


@njit
def sums_of_generated_arrays(n):
    # Suspended inside the loop, it holds the inner generator (and the array it yielded).
    for a in arrays_of(n):
        yield a.sum()


@njit
def iterator_over_new_list(n):
    return iter([np.ones(i) for i in range(n)])


@njit
def iterator_over_new_str(n):
    return iter("ab" * n)


@njit
def iterator_over_new_dict(n):
    return iter({i: np.ones(2) for i in range(n)}.items())


def consume_part_of_generator(n, stop):
    total = 0.0
    for x in holding_arrays(n, -1):
        total += x
        if total > stop:
            break
    return total


def consume_raising_generator(n, fail_at):
    total = 0.0
    for x in holding_arrays(n, fail_at):
        total += x
    return total


def generators_of_arrays_in_zip(n):
    out = []
    for a, s in zip(arrays_of(n), words("x y z w v")):
        out.append(float(a.sum()) + len(s))
    return out


def iterators_dropped_half_way(n):
    a = iter([np.ones(2) for _ in range(n)])
    b = iter({1: np.ones(2)}.values())
    c = enumerate(arrays_of(n))
    d = zip(arrays_of(n), [np.ones(1)])
    return float(next(a).sum() + next(b).sum() + next(c)[1].sum() + next(d)[1].sum())


MEMORY_CASES = [
    (consume_part_of_generator, (10, 20.0)),
    (consume_raising_generator, (10, 4)),
    (generators_of_arrays_in_zip, (3,)),
    (iterators_dropped_half_way, (3,)),
]


@pytest.mark.parametrize("pyfunc, args", MEMORY_CASES, ids=case_id)
def test_generators_in_compiled_code_release_what_they_hold(pyfunc, args):
    run_both(pyfunc, *args)
    live0 = _native.live_allocations()
    # The first round compiles afresh (compiling holds nothing either); the others run what it
    # compiled.
    compiled = {}
    for _ in range(20):
        run_both(pyfunc, *args, compiled=compiled)
    assert _native.live_allocations() == live0


def test_generators_from_python_release_what_they_hold():
    list(holding_arrays(3, -1))
    live0 = _native.live_allocations()
    for _ in range(20):
        g = holding_arrays(10, -1)
        assert next(g) == 0.0 + 2
        assert next(g) == 4.0 + 3
        del g  # dropped half-way: its list and arrays go with it
        g = holding_arrays(10, 2)
        with pytest.raises(ValueError, match="midway"):
            list(g)
        del g
        g = holding_arrays(2, -1)
        assert list(g) == [2.0, 7.0]
        del g
        never_started = holding_arrays(5, -1)
        del never_started
        chained = sums_of_generated_arrays(5)
        assert [next(chained), next(chained), next(chained)] == [0.0, 0.5, 1.0]
        del chained
    assert _native.live_allocations() == live0


@njit
def items_and_views(a):
    head = a[:2]
    for x in a:
        yield x + head[0]


def test_generator_from_python_keeps_its_argument_arrays_alive():
    import gc
    import sys

    a = np.arange(5.0)
    refs = sys.getrefcount(a)
    live0 = _native.live_allocations()
    g = items_and_views(a)
    assert next(g) == 0.0
    # The generator shares the argument's memory, as CPython's sees the caller's changes...
    a[1] = 41.0
    assert next(g) == 41.0
    assert sys.getrefcount(a) == refs + 1
    # ... and keeps it alive once the caller lets it go.
    del a
    gc.collect()
    assert list(g) == [2.0, 3.0, 4.0]
    del g
    assert _native.live_allocations() == live0
    b = np.arange(3.0)
    refs = sys.getrefcount(b)
    g = items_and_views(b)
    del g  # never started
    h = items_and_views(b)
    next(h)
    del h  # suspended
    assert sys.getrefcount(b) == refs
    assert _native.live_allocations() == live0


@pytest.mark.parametrize("make, expected", [
    (iterator_over_new_list, [np.ones(0), np.ones(1), np.ones(2)]),
    (iterator_over_new_str, ["a", "b", "a", "b", "a", "b"]),
    (iterator_over_new_dict, [(0, np.ones(2)), (1, np.ones(2)), (2, np.ones(2))]),
], ids=case_id)
def test_iterators_keep_their_container_alive_and_release_it(make, expected):
    list(make(3))
    live0 = _native.live_allocations()
    for _ in range(10):
        it = make(3)
        # Only the iterator holds the container now: its items are still there.
        assert_same(list(it), expected)
        half = make(3)
        assert_same(next(half), expected[0])
        del it, half
    assert _native.live_allocations() == live0
