"""Slicing tuples with constant bounds and steps, against Python: every step sign, every start
and stop from -5..5 and None, homogeneous and heterogeneous tuples."""
import itertools
import linecache

import pytest

import ferrojit
import ferrojit.errors
from helpers import assert_same, case_id

BOUNDS = [None] + list(range(-5, 6))
STEPS = [-3, -2, -1, 1, 2, 3, None]

TUPLES = [
    (10, 11, 12, 13, 14),
    (1.5, -2.5, 3.25, 0.0),
    (7,),
    (1, 2.5, True, 3 + 4j, (5, 6.5)),
    (False, 1, 2.0),
]

_made = itertools.count()


def make(source):
    """A function from source text, registered with `linecache` so that `inspect` finds it."""
    filename = f"<tuple_slicing {next(_made)}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace = {}
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102 - fixed template
    return namespace["f"]


def slice_text(start, stop, step):
    text = lambda v: "" if v is None else str(v)  # noqa: E731
    return f"t[{text(start)}:{text(stop)}" + ("" if step is None else f":{step}") + "]"


@pytest.mark.parametrize("t", TUPLES, ids=case_id)
@pytest.mark.parametrize("step", STEPS, ids=repr)
def test_slices(step, t):
    # One function holds every start/stop for this step: one compilation per row.
    slices = [slice_text(start, stop, step) for start, stop in itertools.product(BOUNDS, BOUNDS)]
    pyfunc = make("def f(t):\n    return (" + ", ".join(slices) + ",)\n")
    got = ferrojit.njit(pyfunc)(t)
    expected = pyfunc(t)
    assert len(got) == len(expected)
    for text, g, e in zip(slices, got, expected):
        assert_same(g, e, where=text)


@pytest.mark.parametrize("t", TUPLES, ids=case_id)
def test_reversed(t):
    f = make("def f(t):\n    return t[::-1]\n")
    assert_same(ferrojit.njit(f)(t), t[::-1])


def test_zero_step_is_a_compile_error_naming_the_line():
    # Python raises ValueError("slice step cannot be zero") when the line runs; the step is a
    # constant, so compiled code reports it when compiling.
    f = make("def f(t):\n    return t[::0]\n")
    with pytest.raises(ValueError):
        f((1, 2))
    with pytest.raises(ferrojit.errors.TypingError, match=r"slice step cannot be zero(.|\n)*line 2"):
        ferrojit.njit(f)((1, 2))
