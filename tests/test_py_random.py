"""Python's `random` module in compiled code: after `random.seed(s)` the stream is CPython's
`random.Random(s)`, bit for bit, for the same calls (whole streams, exact equality), with
CPython's errors; the state is per thread and apart from NumPy's.

Each row's call is compiled from a small module written for the test, and run by CPython's
`random.Random` for comparison."""

import random
import threading

import numpy as np
import pytest

import ferrojit
from helpers import compile_error_of_call, import_written_module

SEEDS = [0, 1, 12345, 2**32, 2**40 + 7, -5, 2**63 - 1]

# Calls drawing one value, repeated 500 times after seeding.
CALLS = [
    "random()", "randint(1, 6)", "randint(-10**12, 10**12)", "randint(0, 0)", "randint(0, 2**62)",
    "randrange(10)", "randrange(1)", "randrange(5, 50)", "randrange(100, 0, -7)", "randrange(0, 2**40, 3)", "randrange(-3, 3, 2)",
    "uniform(2.0, 5.0)", "uniform(1, -1)", "gauss()", "gauss(1.0, 2.0)", "gauss(sigma=0.5)", "normalvariate()", "normalvariate(5.0, 0.1)",
    "expovariate(1.5)", "expovariate(1)", "getrandbits(1)", "getrandbits(32)", "getrandbits(33)", "getrandbits(63)", "getrandbits(0)",
]


def _module(tmp_path_factory, name, source):
    return import_written_module(tmp_path_factory.mktemp("py_random_calls"), name, source)


_HEADER = "import random\nimport numpy as np\nimport ferrojit\n"


@pytest.fixture(scope="module")
def calls(tmp_path_factory):
    source = _HEADER
    for i, call in enumerate(CALLS):
        kind = "np.int64" if isinstance(eval(f"random.Random(0).{call}"), int) else "np.float64"
        source += f"""
@ferrojit.njit
def draw_{i}(seed, count):
    random.seed(seed)
    out = np.empty(count, {kind})
    for k in range(count):
        out[k] = random.{call}
    return out
"""
    return _module(tmp_path_factory, "py_random_calls", source)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("index", range(len(CALLS)), ids=CALLS)
def test_stream_is_cpython_s(calls, index, seed):
    call = CALLS[index]
    got = getattr(calls, f"draw_{index}")(seed, 500)
    generator = random.Random(seed)
    expected = [eval(f"generator.{call}", {"generator": generator}) for _ in range(500)]
    assert got.dtype == (np.int64 if isinstance(expected[0], int) else np.float64)
    assert got.tolist() == expected


@ferrojit.njit
def interleaved(seed, rounds):
    random.seed(seed)
    out = np.empty((rounds, 7))
    for k in range(rounds):
        out[k, 0] = random.gauss()
        out[k, 1] = random.random()
        out[k, 2] = random.randint(0, 99)
        out[k, 3] = random.gauss(2.0, 3.0)
        out[k, 4] = random.normalvariate()
        out[k, 5] = random.getrandbits(20)
        out[k, 6] = random.expovariate(0.5)
    return out


def test_interleaved_calls_share_cpython_s_stream_and_kept_gauss():
    got = interleaved(7, 300)
    g = random.Random(7)
    expected = [[g.gauss(), g.random(), g.randint(0, 99), g.gauss(2.0, 3.0), g.normalvariate(), g.getrandbits(20), g.expovariate(0.5)] for _ in range(300)]
    assert got.tolist() == expected


@ferrojit.njit
def shuffle_and_choose(seed, a):
    random.seed(seed)
    random.shuffle(a)
    return random.choice(a), random.random()


@pytest.mark.parametrize(
    "array",
    [np.arange(10.0), np.arange(1000), np.arange(20, dtype=np.int32)[::-2], np.array([3.5]), np.arange(6.0).reshape(3, 2)[:, 1]],
    ids=["floats", "long", "negative-stride", "one", "strided-view"],
)
def test_shuffle_and_choice_are_cpython_s(array):
    ours = array.copy()
    chosen, after = shuffle_and_choose(11, ours)
    g = random.Random(11)
    theirs = array.tolist()
    g.shuffle(theirs)
    assert ours.tolist() == theirs
    assert chosen == g.choice(theirs) and after == g.random()


@ferrojit.njit
def choose_2d(seed, a):
    random.seed(seed)
    return random.choice(a)


def test_choice_of_a_2d_array_gives_a_row():
    a = np.arange(12.0).reshape(4, 3)
    g = random.Random(3)
    np.testing.assert_array_equal(choose_2d(3, a), g.choice(a))


ERRORS = [
    ("randrange(0)", ValueError),
    ("randrange(-4)", ValueError),
    ("randrange(5, 5)", ValueError),
    ("randint(5, 3)", ValueError),
    ("randrange(0, 10, 0)", ValueError),
    ("randrange(0, 10, -1)", ValueError),
    ("randrange(7, 2, 2)", ValueError),
    ("randint(-1, -3)", ValueError),
    ("getrandbits(-1)", ValueError),
    ("choice(np.zeros(0))", IndexError),
]


@pytest.fixture(scope="module")
def failing(tmp_path_factory):
    source = _HEADER
    for i, (call, _) in enumerate(ERRORS):
        source += f"\n@ferrojit.njit\ndef failing_{i}():\n    return random.{call}\n"
    return _module(tmp_path_factory, "failing_py_random_calls", source)


@pytest.mark.parametrize("index", range(len(ERRORS)), ids=[c for c, _ in ERRORS])
def test_errors_are_cpython_s(failing, index):
    """The running CPython's exception and message (3.12 reworded those of an empty range)."""
    call, kind = ERRORS[index]
    with pytest.raises(kind) as theirs:
        eval(f"random.Random(0).{call}")
    with pytest.raises(kind) as ours:
        getattr(failing, f"failing_{index}")()
    assert str(ours.value) == str(theirs.value)


@ferrojit.njit
def too_many_bits(k):
    return random.getrandbits(k)


def test_getrandbits_beyond_63_bits_is_an_overflow_error():
    with pytest.raises(OverflowError, match="k must be at most 63"):
        too_many_bits(64)


REFUSED = [
    ("seed(1.5)", "`random.seed()` takes an integer or None in compiled code"),
    ("choice((1, 2, 3))", "`random.choice()` takes an array in compiled code"),
    ("shuffle(np.zeros((2, 2)))", "`random.shuffle()` takes a 1-d array in compiled code"),
    ("randint(1.0, 2)", "`a` of `random.randint()` must be an integer"),
    ("uniform(1j, 2.0)", "`a` of `random.uniform()` must be a real number"),
]


@pytest.mark.parametrize("call, message", REFUSED, ids=[c for c, _ in REFUSED])
def test_unsupported_arguments_are_refused_at_the_call(tmp_path_factory, call, message):
    text = compile_error_of_call(tmp_path_factory.mktemp("py_random_calls"), _HEADER, "random." + call)
    assert message in text and "refused_call.py" in text


@ferrojit.njit
def seed_python(seed):
    random.seed(seed)


@ferrojit.njit
def draws(count):
    out = np.empty(count)
    for k in range(count):
        out[k] = random.random()
    return out


@ferrojit.njit
def reseed_fresh_then_draw():
    random.seed()
    return random.random()


def test_streams_are_per_thread_and_apart_from_numpy_s():
    results = {}
    barrier = threading.Barrier(2)

    def run(seed):
        barrier.wait()
        seed_python(seed)
        results[seed] = np.concatenate([draws(10) for _ in range(50)]).tolist()

    threads = [threading.Thread(target=run, args=(seed,)) for seed in (21, 22)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for seed in (21, 22):
        g = random.Random(seed)
        assert results[seed] == [g.random() for _ in range(500)]

    # Seeding NumPy's stream in compiled code leaves Python's alone, and Python's own generator
    # (used here by the test) is not the compiled code's.
    seed_python(5)
    first = draws(3).tolist()

    @ferrojit.njit
    def seed_numpy():
        np.random.seed(0)
        return np.random.random()

    seed_numpy()
    random.seed(99)
    g = random.Random(5)
    assert first + draws(3).tolist() == [g.random() for _ in range(6)]
    assert reseed_fresh_then_draw() != reseed_fresh_then_draw()


def test_the_functions_are_reached_however_they_are_imported(tmp_path_factory):
    source = """
import random as r
from random import gauss, seed
import ferrojit

@ferrojit.njit
def draws(s):
    seed(s)
    return r.random(), gauss(1.0, 2.0), r.randint(1, 6)
"""
    module = _module(tmp_path_factory, "imported_py_forms", source)
    g = random.Random(6)
    assert module.draws(6) == (g.random(), g.gauss(1.0, 2.0), g.randint(1, 6))
