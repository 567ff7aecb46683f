"""np.random.default_rng Generators in compiled code: created inside (`default_rng(seed)`) or
passed in, their streams are NumPy's PCG64 streams bit for bit for the same seed and the same
calls (whole streams compared with exact equality), with NumPy's result dtypes, shapes and
parameter errors; a Generator passed in continues in Python where compiled code stopped, and a
Generator returned comes back as a `np.random.Generator` (the one passed in, when it is) whose
stream goes on as NumPy's.

Each row's call is compiled from a small module written for the test (a call per method, as a
user writes it), and run by NumPy's own Generator for comparison."""

import gc
import threading

import numpy as np
import pytest

import ferrojit
import ferrojit.errors
from ferrojit import _native
from helpers import compile_error_of_call, import_written_module

P5 = np.array([0.1, 0.2, 0.3, 0.15, 0.25])
P5_FLOAT32 = P5.astype(np.float32)
P5_WITH_ZEROS = np.array([0.0, 0.5, 0.0, 0.25, 0.25])
P5_TWICE, P5_NEGATIVE, P5_NAN = P5 * 2, P5 - 0.1, P5 * np.nan
LOCS, HIGHS, SCALES = np.array([-1.0, 0.0, 2.5]), np.array([0.0, 4.0, 2.75]), np.array([[0.5], [2.0]])
NEGATIVE_SCALES, INFINITE = np.array([1.0, -0.0]), np.array([1.0, np.inf, 2.0])
ARRAY7 = np.arange(7.0) * 1.5
# int64's bounds as globals: compiled code types the constant `2**63 - 1` as uint64.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
INTS12 = np.arange(12)
# Arrays of bounds, made here: an array expression on a global array does not compile yet.
HIGHS12, LOWS12, NEGATIVE12, DOUBLE12, BOOL_HIGHS12 = INTS12 + 1, INTS12 - 1, -INTS12, 2 * INTS12 + 2, INTS12 % 2 + 1
INT32_HIGHS12, BIG12, MINUS5_12, VERY_NEGATIVE12 = (INTS12 + 1).astype(np.int32), INTS12 + 250, INTS12 - 5, -INTS12 - 120
UINT64_12, INT_LOCS = INTS12.astype(np.uint64), LOCS.astype(np.int64)
# Bounds beyond int64's range, as uint64 values.
UINT64_MAX, UINT64_2_63, UINT64_2_63_5 = np.uint64(2**64 - 1), np.uint64(2**63), np.uint64(2**63 + 5)
# Arrays of uint64 bounds, some beyond int64's range.
UINT64_HIGHS12 = (INTS12 + 1).astype(np.uint64)
UINT64_BIG_LOWS = np.array([2**63, 2**64 - 2, 2**63 + 5, 0, 7, 2**62], np.uint64)
UINT64_BIG_HIGHS = np.array([2**63 + 9, 2**64 - 1, 2**64 - 1, 2**63, 8, 2**63 + 2**62], np.uint64)
INTS60_3D = np.arange(60).reshape(3, 4, 5)
LAMS, NS, PS, SHAPES = np.array([0.5, 3.0, 12.0, 150.0]), np.array([5, 50, 500]), np.array([0.1, 0.5, 0.95]), np.array([0.3, 1.0, 4.0])
NAN_LAMS, NEGATIVE_LAMS, BAD_PS, NEGATIVE_NS = np.array([1.0, np.nan]), np.array([1.0, -2.0]), np.array([0.5, 1.5]), np.array([3, -1, 2])

# Calls drawing one value, repeated 300 times after `rng = np.random.default_rng(seed)`.
SCALAR_CALLS = [
    "random()", "random(dtype=np.float32)", "random(dtype=np.float64)",
    "standard_normal()", "standard_normal(dtype=np.float32)", "standard_exponential()", "standard_exponential(dtype=np.float32)",
    "normal()", "normal(1.5, 2.0)", "normal(scale=0.5)", "normal(-3, 0)",
    "uniform()", "uniform(-2.0, 3.0)", "uniform(5, 5)", "uniform(high=4.0)", "exponential()", "exponential(2.5)",
    "integers(10)", "integers(-5, 5)", "integers(1)", "integers(0, 2**32)", "integers(0, 2**32 + 1)", "integers(-2**40, 2**40)",
    "integers(0, 2**62)", "integers(INT64_MIN, INT64_MAX)", "integers(INT64_MIN, INT64_MAX, endpoint=True)", "integers(5, 5, endpoint=True)",
    "integers(3, 9, endpoint=True)", "integers(0, 2**31, dtype=np.int32)", "integers(-2**31, 2**31 - 1, dtype=np.int32, endpoint=True)",
    "integers(3, dtype=np.uint32)", "integers(0, 2**32, dtype=np.uint32)", "integers(2**40, dtype=np.uint64)",
    "integers(-9, 9, dtype=np.int16)", "integers(-2**15, 2**15, dtype=np.int16)", "integers(1000, dtype=np.uint16)",
    "integers(2**16, dtype=np.uint16)", "integers(-9, 9, dtype=np.int8)", "integers(-128, 128, dtype=np.int8)",
    "integers(200, dtype=np.uint8)", "integers(256, dtype=np.uint8)", "integers(2, dtype=np.bool_)", "integers(0, 1, dtype=np.bool_, endpoint=True)",
    "integers(1, dtype=bool)", "integers(7, dtype=int)",
    "choice(10)", "choice(ARRAY7)", "choice(5, p=P5)", "choice(ARRAY7, replace=False)", "choice(5, p=P5_FLOAT32)",
    "standard_gamma(0.5)", "standard_gamma(1.0)", "standard_gamma(3.0)", "standard_gamma(0.0)", "gamma(2.0)", "gamma(0.3, 2.0)", "gamma(100.0, 0.5)",
    "beta(0.5, 0.5)", "beta(2.0, 3.0)", "beta(0.5, 3.0)", "beta(1e-3, 1e-3)", "beta(1e-2, 1e-2)", "beta(1e-200, 1e-200)",
    "chisquare(3.0)", "chisquare(0.5)", "chisquare(2)", "standard_t(5.0)", "standard_t(0.5)", "standard_t(1)",
    "lognormal()", "lognormal(0.5, 0.25)", "laplace()", "laplace(1.0, 2.0)", "laplace(scale=0.0)", "logistic()", "logistic(-1.0, 3.0)",
    "poisson()", "poisson(3.5)", "poisson(0.0)", "poisson(9.99)", "poisson(10.0)", "poisson(25.0)", "poisson(1000.0)", "poisson(1e7)",
    "binomial(10, 0.3)", "binomial(100, 0.7)", "binomial(1000, 0.4)", "binomial(1000, 0.9)", "binomial(0, 0.5)", "binomial(7, 0.0)",
    "binomial(7, 1.0)", "binomial(100000, 0.5)", "binomial(60, 0.5)",
    "geometric(0.1)", "geometric(0.01)", "geometric(1 / 3)", "geometric(0.5)", "geometric(1.0)", "geometric(1e-300)",
    "triangular(0.0, 0.5, 1.0)", "triangular(-2, 3, 7)", "triangular(0.0, 0.0, 1.0)", "triangular(0.0, 1.0, 1.0)",
    # NumPy's float32 gamma (`random_standard_gamma_f`, its parameter taken as a float32).
    "standard_gamma(0.5, dtype=np.float32)", "standard_gamma(1.0, dtype=np.float32)", "standard_gamma(3.0, dtype=np.float32)",
    "standard_gamma(0.0, dtype=np.float32)", "standard_gamma(1e-3, dtype=np.float32)", "standard_gamma(1e6, dtype=np.float32)",
    "standard_gamma(0.3, None, np.float32)", "standard_gamma(1 + 1e-9, dtype=np.float32)", "standard_gamma(0.9999999, dtype=np.float32)",
]

# Calls with `size=` or shuffling arrays, made once after seeding; a draw after each checks
# that the stream advanced as NumPy's.
ARRAY_CALLS = [
    "random((3, 4))", "random(5)", "random(size=(2, 2, 2))", "random(0)", "random(())", "random(7, dtype=np.float32)",
    "standard_normal(7)", "standard_normal((3, 4), dtype=np.float32)", "standard_normal(20000)", "standard_exponential(20000)",
    "standard_exponential(9, dtype=np.float32)", "standard_normal(20000, dtype=np.float32)", "standard_exponential(20000, dtype=np.float32)",
    "normal(0.0, 1.0, (3, 3))", "normal(2.0, 0.5, size=0)", "normal(size=(0, 3))", "uniform(0, 1, 7)", "uniform(-1.0, 1.0, (2, 3))",
    "exponential(2.0, 6)", "integers(0, 100, (5, 5))", "integers(7, size=9)", "integers(-2**40, 2**40, 6)", "integers(5, 100, size=4, dtype=np.int32)",
    "integers(0, 2**32, 5, np.uint32)", "integers(9, size=3, dtype=np.uint64)", "integers(5, 5, 0)", "integers(0, size=(2, 0))",
    "integers(0, 1000, 25, dtype=np.uint16)", "integers(-7, 7, 25, dtype=np.int8)", "integers(0, 256, 25, dtype=np.uint8)",
    "integers(2, size=70, dtype=np.bool_)", "integers(1, 2, size=5, dtype=np.bool_)", "integers(0, 65536, 9, dtype=np.uint16)",
    "integers(0, 2**32 - 1, 9, endpoint=True)", "integers(INT64_MIN, INT64_MAX, 5, endpoint=True)",
    "integers(HIGHS12)", "integers(INTS12, 20)", "integers(NEGATIVE12, INTS12, endpoint=True)", "integers(0, HIGHS12, (3, 12), np.int16)",
    "integers(INTS12, DOUBLE12, dtype=np.uint8)", "integers(0, BOOL_HIGHS12, dtype=np.bool_)", "integers(INTS12.reshape(3, 4), 100, dtype=np.uint32)",
    "integers(-5, INT32_HIGHS12, dtype=np.int64)",
    "normal(LOCS, 1.0)", "normal(LOCS, SCALES)", "normal(0.0, SCALES, size=(4, 2, 3))", "normal(INTS12, 1)", "uniform(LOCS, HIGHS)",
    "uniform(LOCS, 3.0, (2, 3))", "exponential(SCALES)",
    "choice(10, 5)", "choice(10, (2, 3))", "choice(10, 4, replace=False)", "choice(10, 10, replace=False)", "choice(5, 10, p=P5)",
    "choice(5, 3, replace=False, p=P5)", "choice(5, 3, replace=False, p=P5_WITH_ZEROS)", "choice(ARRAY7, 4)", "choice(ARRAY7, (2, 2), replace=False)",
    "choice(INTS12, 5, p=np.full(12, 1 / 12))", "choice(3, 0)", "choice(0, 0)", "choice(50, 10, replace=False, shuffle=False)",
    "choice(30000, 1000, replace=False)", "choice(30000, 10000, replace=False)", "choice(30000, 1000, replace=False, shuffle=False)",
    "choice(2**40, 3, replace=False)", "choice(INTS12.reshape(4, 3))", "choice(INTS12.reshape(4, 3), 5)",
    "choice(INTS12.reshape(3, 4), 2, axis=1)", "choice(INTS12.reshape(3, 4), axis=1)", "choice(INTS60_3D, (2, 2), replace=False, axis=-1)",
    "choice(INTS60_3D, 3, p=P5[:4] / P5[:4].sum(), axis=1)", "choice(INTS60_3D, 2, axis=-3)", "choice(5, 3, axis=1)",
    "choice(INTS12.reshape(6, 1, 2), (2, 2), replace=False)", "choice(np.asfortranarray(INTS12.reshape(4, 3)), 3, p=P5[:4] / P5[:4].sum())",
    "permutation(12)", "permutation(0)", "permutation(ARRAY7)", "permutation(INTS12.reshape(4, 3))", "permutation(ARRAY7[::-2])",
    "integers(UINT64_MAX, size=5, dtype=np.uint64)", "integers(0, UINT64_MAX, 4, np.uint64, True)", "integers(UINT64_2_63, UINT64_MAX, 3, np.uint64)",
    "integers(UINT64_2_63, UINT64_2_63_5, 6, np.uint64)", "integers(UINT64_2_63, size=3)", "integers(5, UINT64_2_63_5, 3, np.uint64, True)",
    "permutation(INTS12.reshape(3, 4), axis=1)", "permutation(INTS60_3D, axis=-1)", "permutation(INTS60_3D, axis=1)", "permutation(ARRAY7, axis=-1)",
    "permutation(np.asfortranarray(INTS12.reshape(3, 4)), axis=1)", "permutation(INTS12.reshape(3, 4)[:, ::-2], 1)", "permutation(5, axis=3)",
    "standard_gamma(2.0, (3, 4))", "gamma(2.0, 1.0, (2, 5))", "gamma(0.3, size=6)", "beta(2.0, 2.0, 8)", "beta(0.2, 0.7, 8)", "chisquare(2.0, 6)",
    "standard_t(3.0, 6)", "lognormal(0, 1, 6)", "laplace(0, 1, 6)", "logistic(0, 1, 6)", "poisson(4.0, (3, 4))", "poisson(50.0, 8)",
    "binomial(20, 0.25, 12)", "binomial(500, 0.5, 5)", "geometric(0.2, 9)", "geometric(0.6, 9)",
    "gamma(SHAPES)", "gamma(SHAPES, SCALES)", "standard_gamma(SHAPES, (2, 3))", "beta(SHAPES, 2.0)", "chisquare(SHAPES)", "standard_t(SHAPES)",
    "lognormal(LOCS, 0.5)", "laplace(LOCS, SCALES)", "logistic(LOCS)", "poisson(LAMS)", "poisson(LAMS, (3, 4))", "binomial(NS, PS)",
    "binomial(NS, 0.3, (2, 3))", "binomial(10, PS)", "geometric(PS)",
    "triangular(0.0, 0.25, 1.0, 9)", "triangular(-1, 0, 2, (2, 3))", "triangular(LOCS - 10.0, LOCS, 10.0)",
    "triangular(-10.0, LOCS, HIGHS + 10.0, (4, 2, 3))", "triangular(0.0, 0.5, 1.0, 0)",
    # float32 gammas, and arrays of uint64 bounds (some beyond int64's range).
    "standard_gamma(2.0, (3, 4), np.float32)", "standard_gamma(0.4, 7, dtype=np.float32)", "standard_gamma(SHAPES, dtype=np.float32)",
    "standard_gamma(SHAPES, (2, 3), np.float32)", "standard_gamma(SHAPES.astype(np.float32), dtype=np.float32)", "standard_gamma(3.0, 0, np.float32)",
    "standard_gamma(LAMS, dtype=np.float32)", "standard_gamma(0.8, 20001, np.float32)",
    "integers(UINT64_HIGHS12)", "integers(UINT64_12, UINT64_HIGHS12, dtype=np.uint64)", "integers(UINT64_BIG_LOWS, UINT64_BIG_HIGHS, dtype=np.uint64)",
    "integers(UINT64_BIG_LOWS, UINT64_BIG_HIGHS, dtype=np.uint64, endpoint=True)", "integers(UINT64_BIG_HIGHS, dtype=np.uint64)",
    "integers(0, UINT64_BIG_HIGHS, (3, 6), np.uint64)", "integers(UINT64_12, 300, dtype=np.uint16)", "integers(INTS12, UINT64_HIGHS12, dtype=np.int8)",
    "integers(UINT64_2_63, UINT64_BIG_HIGHS[:3], dtype=np.uint64)", "integers(UINT64_12, UINT64_MAX, dtype=np.uint64, endpoint=True)",
    "integers(NEGATIVE12, UINT64_HIGHS12)", "integers(UINT64_12.reshape(3, 4), 2**40, (2, 3, 4))", "integers(UINT64_BIG_LOWS, UINT64_BIG_HIGHS, 0, np.uint64)",
    # Arrays filled by the runtime in one call.
    "random(20001)", "random(20001, dtype=np.float32)", "uniform(-2.0, 3.0, 20001)", "normal(1.0, 2.0, (3, 6667))",
    "exponential(2.0, 20001)", "integers(0, 1000, 20001)", "integers(-5, 5, 20001, dtype=np.int8)",
]


def _module(tmp_path_factory, name, source):
    return import_written_module(tmp_path_factory.mktemp("generator_calls"), name, source)


_HEADER = "import numpy as np\nimport ferrojit\nfrom test_np_random_generator import *\n"


def _expected(call, rng):
    return eval(f"rng.{call}")


def _kind(call):
    value = _expected(call, np.random.default_rng(0))
    return "np.bool_" if isinstance(value, (bool, np.bool_)) else "np.int64" if isinstance(value, (int, np.integer)) else "np.float64"


@pytest.fixture(scope="module")
def calls(tmp_path_factory):
    source = _HEADER
    for i, call in enumerate(SCALAR_CALLS):
        source += f"""
@ferrojit.njit
def scalar_{i}(seed, count):
    rng = np.random.default_rng(seed)
    out = np.empty(count, {_kind(call)})
    for k in range(count):
        out[k] = rng.{call}
    return out
"""
    for i, call in enumerate(ARRAY_CALLS):
        source += f"""
@ferrojit.njit
def array_{i}(seed):
    rng = np.random.default_rng(seed)
    return rng.{call}, rng.random()
"""
    return _module(tmp_path_factory, "generator_calls", source)


@pytest.mark.parametrize("seed", [0, 12345])
@pytest.mark.parametrize("index", range(len(SCALAR_CALLS)), ids=SCALAR_CALLS)
def test_scalar_stream_is_numpy_s(calls, index, seed):
    call = SCALAR_CALLS[index]
    got = getattr(calls, f"scalar_{index}")(seed, 300)
    rng = np.random.default_rng(seed)
    expected = np.array([_expected(call, rng) for _ in range(300)])
    assert got.dtype == expected.dtype or (expected.dtype.kind in "iu" and got.dtype == np.int64)
    assert got.tobytes() == expected.astype(got.dtype).tobytes()


@pytest.mark.parametrize("index", range(len(ARRAY_CALLS)), ids=ARRAY_CALLS)
def test_array_call_is_numpy_s(calls, index):
    call = ARRAY_CALLS[index]
    got, after = getattr(calls, f"array_{index}")(2024)
    rng = np.random.default_rng(2024)
    expected = _expected(call, rng)
    assert isinstance(got, np.ndarray) and got.dtype == expected.dtype and got.shape == expected.shape
    assert got.tobytes() == expected.tobytes()
    assert after == rng.random()


@ferrojit.njit
def single_values(seed):
    rng = np.random.default_rng(seed)
    return (
        rng.random(), rng.random(dtype=np.float32), rng.standard_normal(dtype=np.float32), rng.normal(), rng.uniform(),
        rng.integers(9), rng.integers(9, dtype=np.int32), rng.integers(9, dtype=np.uint8), rng.integers(2, dtype=np.bool_), rng.choice(ARRAY7),
    )


def test_single_values_have_numpy_s_types():
    got = single_values(5)
    rng = np.random.default_rng(5)
    expected = (
        rng.random(), rng.random(dtype=np.float32), rng.standard_normal(dtype=np.float32), rng.normal(), rng.uniform(),
        rng.integers(9), rng.integers(9, dtype=np.int32), rng.integers(9, dtype=np.uint8), rng.integers(2, dtype=np.bool_), rng.choice(ARRAY7),
    )
    assert got == expected
    # float32 draws come back as Python floats holding the float32 value, as NumPy gives them;
    # integers as Python's ints (compiled code returns integer scalars of every width so), bools
    # as bools.
    for ours, theirs in zip(got, expected):
        kinds = {np.asarray(ours).dtype.kind, np.asarray(theirs).dtype.kind}
        assert len(kinds) == 1 or kinds == {"i", "u"}


@ferrojit.njit
def interleaved(seed, rounds):
    rng = np.random.default_rng(seed)
    out = np.empty((rounds, 8))
    for k in range(rounds):
        out[k, 0] = rng.normal()
        out[k, 1] = rng.random()
        out[k, 2] = rng.integers(0, 1000, dtype=np.int16)
        out[k, 3] = rng.random(dtype=np.float32)
        out[k, 4] = rng.standard_normal(dtype=np.float32)
        out[k, 5] = rng.integers(0, 2**40)
        out[k, 6] = rng.exponential(2.0)
        out[k, 7] = rng.integers(0, 3, dtype=np.uint32)
    return out


def test_interleaved_calls_share_numpy_s_stream_and_kept_half_word():
    """32-bit draws take one half of a 64-bit output and keep the other for the next one, also
    across calls of other methods (NumPy's `has_uint32`)."""
    got = interleaved(99, 300)
    rng = np.random.default_rng(99)
    expected = np.empty((300, 8))
    for k in range(300):
        expected[k] = [
            rng.normal(), rng.random(), rng.integers(0, 1000, dtype=np.int16), rng.random(dtype=np.float32), rng.standard_normal(dtype=np.float32),
            rng.integers(0, 2**40), rng.exponential(2.0), rng.integers(0, 3, dtype=np.uint32),
        ]
    assert got.tobytes() == expected.tobytes()


@ferrojit.njit
def seeded_draws(seed):
    return np.random.default_rng(seed).random(4)


@ferrojit.njit
def unseeded_draws():
    return np.random.default_rng().random(4), np.random.default_rng(None).random(4)


@pytest.mark.parametrize("seed", [0, 1, 7, 2**31, 2**32 - 1, 2**32, 2**40 + 3, 2**63 - 1, True])
def test_seeding_is_seed_sequence_s(seed):
    np.testing.assert_array_equal(seeded_draws(seed), np.random.default_rng(seed).random(4))


def test_no_seed_draws_from_entropy_and_negative_seeds_are_refused():
    first, second = unseeded_draws()
    assert not np.array_equal(first, second) and not np.array_equal(first, unseeded_draws()[0])
    with pytest.raises(ValueError, match="^expected non-negative integer$"):
        seeded_draws(-1)


@ferrojit.njit
def draw_from(rng, n):
    return rng.random(n), rng.integers(0, 100, n), rng.standard_normal(n), rng.random(dtype=np.float32)


@ferrojit.njit
def draw_then_fail(rng):
    rng.random(3)
    rng.integers(5, 5)


@ferrojit.njit
def same_generator(rng):
    return np.random.default_rng(rng).random()


@ferrojit.njit
def pass_on(rng, n):
    return draw_from(rng, n)


def test_a_generator_passed_in_continues_numpy_s_stream():
    ours, theirs = np.random.default_rng(11), np.random.default_rng(11)
    for n in (3, 0, 5):
        got = draw_from(ours, n)
        expected = (theirs.random(n), theirs.integers(0, 100, n), theirs.standard_normal(n), theirs.random(dtype=np.float32))
        for a, b in zip(got, expected):
            assert np.asarray(a).tobytes() == np.asarray(b).tobytes()
        # In Python, the Generator goes on from where compiled code stopped (the float32 draw
        # left half a word kept).
        assert ours.bit_generator.state == theirs.bit_generator.state
        assert ours.random(dtype=np.float32) == theirs.random(dtype=np.float32)
    assert same_generator(ours) == theirs.random()
    got = pass_on(ours, 4)
    expected = (theirs.random(4), theirs.integers(0, 100, 4), theirs.standard_normal(4), theirs.random(dtype=np.float32))
    assert all(np.asarray(a).tobytes() == np.asarray(b).tobytes() for a, b in zip(got, expected))
    assert ours.integers(9) == theirs.integers(9)


@ferrojit.njit
def draw_from_both(first, second):
    return first.random(2), second.random(2)


def test_a_generator_passed_twice_is_one_stream():
    ours, theirs = np.random.default_rng(13), np.random.default_rng(13)
    got = draw_from_both(ours, ours)
    assert np.concatenate(got).tobytes() == theirs.random(4).tobytes()
    assert ours.bit_generator.state == theirs.bit_generator.state


def test_a_generator_passed_in_keeps_its_draws_when_the_call_raises():
    ours, theirs = np.random.default_rng(12), np.random.default_rng(12)
    with pytest.raises(ValueError, match="^low >= high$"):
        draw_then_fail(ours)
    theirs.random(3)
    assert ours.bit_generator.state == theirs.bit_generator.state


def test_generators_of_other_bit_generators_are_refused():
    with pytest.raises(TypeError, match="PCG64 only"):
        draw_from(np.random.Generator(np.random.MT19937(1)), 2)


def test_threads_using_one_generator_do_not_crash_and_own_generators_are_numpy_s():
    shared = np.random.default_rng(3)
    results = {}
    errors = []
    barrier = threading.Barrier(2)

    def run(seed):
        try:
            barrier.wait()
            for _ in range(200):
                draw_from(shared, 10)
            results[seed] = np.concatenate([seeded_draws(seed) for _ in range(50)])
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(seed,)) for seed in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for seed in (1, 2):
        np.testing.assert_array_equal(results[seed], np.tile(np.random.default_rng(seed).random(4), 50))
    # The shared Generator's state is a PCG64 state it can go on from.
    shared.random(3)


@ferrojit.njit
def shuffled(seed, a):
    rng = np.random.default_rng(seed)
    rng.shuffle(a)
    return rng.random()


@pytest.mark.parametrize(
    "array",
    [
        np.arange(10.0),
        np.arange(24).reshape(6, 4),
        np.arange(24, dtype=np.int32).reshape(2, 3, 4),
        np.arange(20.0)[::-3],
        np.asfortranarray(np.arange(12.0).reshape(4, 3)),
        np.zeros(0),
        np.zeros((5, 0)),
        np.array([1.0]),
        np.arange(6, dtype=np.uint8) > 2,
        np.arange(70000, dtype=np.int16),
    ],
    ids=["1d", "2d-rows", "3d-int32", "negative-stride", "fortran", "empty", "empty-rows", "one", "bool", "long-int16"],
)
def test_shuffle_is_numpy_s(array):
    ours, theirs = array.copy(), array.copy()
    after = shuffled(8, ours)
    rng = np.random.default_rng(8)
    rng.shuffle(theirs)
    np.testing.assert_array_equal(ours, theirs)
    assert after == rng.random()


@ferrojit.njit
def shuffled_along(seed, a, axis):
    rng = np.random.default_rng(seed)
    rng.shuffle(a, axis=axis)
    return rng.random()


@pytest.mark.parametrize(
    "array, axis",
    [
        (np.arange(10.0), -1),
        (np.arange(24).reshape(6, 4), 1),
        (np.arange(24).reshape(6, 4), -2),
        (np.arange(60, dtype=np.int32).reshape(3, 4, 5), 2),
        (np.arange(60, dtype=np.int32).reshape(3, 4, 5), 1),
        (np.asfortranarray(np.arange(12.0).reshape(4, 3)), 1),
        (np.arange(40.0).reshape(5, 8)[:, ::-3], 1),
        (np.zeros((5, 0)), 1),
        (np.arange(6, dtype=np.uint8).reshape(2, 3) > 2, -1),
    ],
    ids=["1d-last", "2d-columns", "2d-minus-2", "3d-last", "3d-middle", "fortran-columns", "negative-stride-columns", "empty", "bool"],
)
def test_shuffle_along_an_axis_is_numpy_s(array, axis):
    ours, theirs = array.copy(), array.copy()
    after = shuffled_along(8, ours, axis)
    rng = np.random.default_rng(8)
    rng.shuffle(theirs, axis=axis)
    np.testing.assert_array_equal(ours, theirs)
    assert after == rng.random()


@pytest.mark.parametrize("axis", [2, -3])
def test_shuffle_along_a_missing_axis_is_numpy_s_error(axis):
    with pytest.raises(np.exceptions.AxisError) as theirs:
        np.random.default_rng(1).shuffle(np.zeros((2, 2)), axis=axis)
    with pytest.raises(np.exceptions.AxisError) as ours:
        shuffled_along(1, np.zeros((2, 2)), axis)
    assert str(ours.value) == str(theirs.value)


@ferrojit.njit
def random_into(seed, out):
    rng = np.random.default_rng(seed)
    return rng.random(out=out), rng.random()


@ferrojit.njit
def random_into_sized(seed, out):
    rng = np.random.default_rng(seed)
    return rng.random((2, 3), out=out), rng.random()


@ferrojit.njit
def random_into_float32(seed, out):
    rng = np.random.default_rng(seed)
    return rng.random(out.shape, np.float32, out), rng.random()


@ferrojit.njit
def standard_normal_into(seed, out):
    rng = np.random.default_rng(seed)
    return rng.standard_normal(out=out), rng.random()


@ferrojit.njit
def standard_normal_into_float32(seed, out):
    rng = np.random.default_rng(seed)
    return rng.standard_normal(dtype=np.float32, out=out), rng.random()


@ferrojit.njit
def standard_exponential_into(seed, out):
    rng = np.random.default_rng(seed)
    return rng.standard_exponential(size=out.size, out=out), rng.random()


@ferrojit.njit
def standard_exponential_into_float32(seed, out):
    rng = np.random.default_rng(seed)
    return rng.standard_exponential(dtype=np.float32, out=out), rng.random()


@ferrojit.njit
def standard_gamma_into(seed, out):
    rng = np.random.default_rng(seed)
    return rng.standard_gamma(2.0, out=out), rng.random()


@ferrojit.njit
def standard_gamma_into_float32(seed, out):
    rng = np.random.default_rng(seed)
    return rng.standard_gamma(0.5, dtype=np.float32, out=out), rng.random()


@ferrojit.njit
def standard_gamma_of_shapes_into_float32(seed, out):
    rng = np.random.default_rng(seed)
    return rng.standard_gamma(SHAPES, (2, 3), np.float32, out), rng.random()


# (compiled function, NumPy's call on a Generator `rng` and the array `out`, the array given).
OUT_CALLS = [
    (random_into, "random(out=out)", np.zeros(7)),
    (random_into, "random(out=out)", np.zeros((20001,))),
    (random_into, "random(out=out)", np.zeros((2, 3), order="F")),
    (random_into, "random(out=out)", np.zeros(0)),
    (random_into_sized, "random((2, 3), out=out)", np.zeros((2, 3))),
    (random_into_float32, "random(out.shape, np.float32, out)", np.zeros((3, 3), np.float32)),
    (standard_normal_into, "standard_normal(out=out)", np.zeros((4, 5))),
    (standard_normal_into_float32, "standard_normal(dtype=np.float32, out=out)", np.zeros(9, np.float32)),
    (standard_exponential_into, "standard_exponential(size=out.size, out=out)", np.zeros(9)),
    (standard_exponential_into_float32, "standard_exponential(dtype=np.float32, out=out)", np.zeros((2, 2), np.float32)),
    # NumPy's errors.
    (random_into, "random(out=out)", np.zeros(7, np.float32)),
    (random_into, "random(out=out)", np.zeros(14)[::2]),
    (random_into_sized, "random((2, 3), out=out)", np.zeros((3, 2))),
    (random_into_sized, "random((2, 3), out=out)", np.zeros(6)),
    (random_into_float32, "random(out.shape, np.float32, out)", np.zeros(3)),
    (standard_normal_into, "standard_normal(out=out)", np.zeros((4, 6))[:, :5]),
    (standard_gamma_into, "standard_gamma(2.0, out=out)", np.zeros((3, 4))),
    (standard_gamma_into, "standard_gamma(2.0, out=out)", np.zeros(0)),
    (standard_gamma_into_float32, "standard_gamma(0.5, dtype=np.float32, out=out)", np.zeros(9, np.float32)),
    (standard_gamma_of_shapes_into_float32, "standard_gamma(SHAPES, (2, 3), np.float32, out)", np.zeros((2, 3), np.float32)),
    # NumPy's errors: a distribution with parameters fills only C-ordered arrays.
    (standard_gamma_into, "standard_gamma(2.0, out=out)", np.zeros((3, 4), order="F")),
    (standard_gamma_into, "standard_gamma(2.0, out=out)", np.zeros(8)[::2]),
    (standard_gamma_into, "standard_gamma(2.0, out=out)", np.zeros(3, np.float32)),
    (standard_gamma_into_float32, "standard_gamma(0.5, dtype=np.float32, out=out)", np.zeros(3)),
    (standard_gamma_into_float32, "standard_gamma(0.5, dtype=np.float32, out=out)", np.zeros((2, 2), np.float32, order="F")),
    (standard_gamma_of_shapes_into_float32, "standard_gamma(SHAPES, (2, 3), np.float32, out)", np.zeros((3, 2), np.float32)),
    (standard_gamma_of_shapes_into_float32, "standard_gamma(SHAPES, (2, 3), np.float32, out)", np.zeros((2, 3))),
]


@pytest.mark.parametrize("compiled, call, given", OUT_CALLS, ids=[f"{c}-{g.dtype}-{g.shape}-{i}" for i, (_, c, g) in enumerate(OUT_CALLS)])
def test_out_is_filled_as_numpy_fills_it(compiled, call, given):
    # A non-contiguous `given` is refused before anything is written: both calls may take it.
    contiguous = given.flags.c_contiguous or given.flags.f_contiguous
    out, theirs = (given.copy(order="K"), given.copy(order="K")) if contiguous else (given, given)
    rng = np.random.default_rng(11)
    try:
        expected = eval(f"rng.{call}", {"rng": rng, "np": np, "out": theirs, "SHAPES": SHAPES})
    except Exception as error:
        with pytest.raises(type(error)) as ours:
            compiled(11, out)
        assert str(ours.value) == str(error)
        return
    got, after = compiled(11, out)
    assert got is out or np.shares_memory(got, out)
    assert got.tobytes() == expected.tobytes() and got.dtype == expected.dtype and got.shape == expected.shape
    assert after == rng.random()


def test_shuffling_a_read_only_array_is_numpy_s_error():
    a = np.arange(5.0)
    a.flags.writeable = False
    with pytest.raises(ValueError, match="^array is read-only$"):
        shuffled(1, a)


ERROR_CALLS = [
    "normal(0.0, -1.0)", "normal(0.0, -0.0)", "exponential(-1.0)", "uniform(0.0, np.inf)", "uniform(-1e308, 1e308)", "uniform(2, 1)",
    "uniform(0.0, INFINITE)", "uniform(HIGHS, LOCS)", "normal(0.0, NEGATIVE_SCALES)", "exponential(NEGATIVE_SCALES)",
    "integers(0)", "integers(-1)", "integers(5, 5)", "integers(3, 1)", "integers(0, 0)", "integers(0, -1, endpoint=True)", "integers(3, 2, endpoint=True)",
    "integers(-2**31 - 1, 5, dtype=np.int32)", "integers(0, 2**31 + 1, dtype=np.int32)", "integers(-1, 5, dtype=np.uint32)",
    "integers(2**32 + 1, dtype=np.uint32)", "integers(-1, 5, dtype=np.uint64)", "integers(-1, 5, dtype=np.uint8)", "integers(0, 257, dtype=np.uint8)",
    "integers(-129, 0, dtype=np.int8)", "integers(0, 2**15 + 1, dtype=np.int16)", "integers(0, 3, dtype=np.bool_)",
    "integers(INTS12)", "integers(LOWS12, 5)", "integers(INTS12, 10, endpoint=True)", "integers(0, LOWS12, endpoint=True)",
    "integers(LOWS12, dtype=np.uint8)", "integers(0, BIG12, dtype=np.uint8)", "integers(MINUS5_12, 3, dtype=np.uint64)",
    "integers(VERY_NEGATIVE12, 0, dtype=np.int8)",
    "integers(UINT64_2_63, UINT64_2_63_5)", "integers(UINT64_2_63, UINT64_2_63)", "integers(UINT64_2_63, UINT64_2_63, endpoint=True)",
    "integers(7, 3, dtype=np.uint64)", "integers(0, dtype=np.uint64)", "integers(-3, UINT64_MAX, dtype=np.uint64)",
    "permutation(INTS12.reshape(3, 4), axis=2)", "permutation(ARRAY7, axis=-2)",
    "standard_gamma(-1.0)", "gamma(-1.0)", "gamma(1.0, -1.0)", "gamma(NEGATIVE_SCALES)", "beta(0.0, 1.0)", "beta(1.0, -1.0)", "chisquare(0.0)",
    "standard_t(-1.0)", "lognormal(0.0, -1.0)", "laplace(0.0, -1.0)", "logistic(0.0, NEGATIVE_SCALES)", "poisson(-1.0)", "poisson(np.nan)",
    "poisson(1e19)", "poisson(NAN_LAMS)", "poisson(NEGATIVE_LAMS)", "binomial(-1, 0.5)", "binomial(5, 1.5)", "binomial(5, np.nan)",
    "binomial(NEGATIVE_NS, 0.5)", "binomial(5, BAD_PS)", "geometric(0.0)", "geometric(1.5)", "geometric(np.nan)", "geometric(BAD_PS)",
    "choice(0)", "choice(ARRAY7[:0])", "choice(3, 4, replace=False)", "choice(5, p=P5[:4])", "choice(5, p=P5_TWICE)",
    "choice(5, p=P5_NEGATIVE)", "choice(5, p=P5_NAN)", "choice(5, 4, replace=False, p=P5_WITH_ZEROS)", "choice(5, p=SCALES)",
    "triangular(1.0, 0.5, 2.0)", "triangular(0.0, 2.0, 1.0)", "triangular(1.0, 1.0, 1.0)", "triangular(LOCS, LOCS - 1.0, 10.0)",
    "triangular(LOCS, LOCS, LOCS)", "choice(INTS12.reshape(3, 4), axis=2)", "choice(INTS12, axis=-2)",
    "standard_gamma(-1.0, dtype=np.float32)", "standard_gamma(-1e-50, dtype=np.float32)", "standard_gamma(NEGATIVE_SCALES, dtype=np.float32)",
    "standard_gamma(-1e-50)", "integers(UINT64_12)", "integers(UINT64_BIG_HIGHS, UINT64_BIG_LOWS, dtype=np.uint64)",
    "integers(UINT64_BIG_HIGHS, UINT64_BIG_LOWS, dtype=np.uint64, endpoint=True)", "integers(UINT64_BIG_LOWS)",
    "integers(MINUS5_12, UINT64_HIGHS12, dtype=np.uint64)", "integers(UINT64_12, 300, dtype=np.uint8)", "integers(UINT64_BIG_LOWS, dtype=np.int32)",
    "integers(1, UINT64_12, endpoint=True, dtype=np.uint64)", "integers(UINT64_12, 0, dtype=np.uint64)",
]


@pytest.fixture(scope="module")
def failing_calls(tmp_path_factory):
    source = _HEADER
    for i, call in enumerate(ERROR_CALLS):
        source += f"""
@ferrojit.njit
def failing_{i}():
    return np.random.default_rng(0).{call}
"""
    return _module(tmp_path_factory, "failing_generator_calls", source)


@pytest.mark.parametrize("index", range(len(ERROR_CALLS)), ids=ERROR_CALLS)
def test_parameter_errors_are_numpy_s(failing_calls, index):
    call = ERROR_CALLS[index]
    with pytest.raises(Exception) as theirs:
        _expected(call, np.random.default_rng(0))
    with pytest.raises(type(theirs.value)) as ours:
        getattr(failing_calls, f"failing_{index}")()
    assert str(ours.value) == str(theirs.value)


REFUSED_CALLS = [
    ("random(dtype=np.int64)", "`dtype=` of `Generator.random()` must be one of float64, float32"),
    ("integers(0, 10, dtype=np.float64)", "`dtype=` of `Generator.integers()` must be one of int64"),
    ("integers(LOCS)", "`low` of `Generator.integers()` must be an integer or an array of integers in compiled code"),
    ("integers(np.zeros((), np.int64))", "`low` of `Generator.integers()` must be an integer or an array of integers in compiled code"),
    ("normal(np.zeros(3, np.complex128))", "`loc` of `Generator.normal()` must hold real numbers"),
    ("random(size=1.5)", "`size=` of `Generator.random()` must be None, an integer or a tuple of integers"),
    ("choice(np.zeros(()))", "`a` of `Generator.choice()` must be an integer or an array of at least one dimension"),
    ("choice(INTS12, axis=int(np.random.default_rng(0).integers(1)))", "`axis=` of `Generator.choice()` must be a constant integer"),
    ("shuffle(np.zeros(()))", "`Generator.shuffle()` takes an array of at least one dimension"),
]


@pytest.mark.parametrize("call, message", REFUSED_CALLS, ids=[c for c, _ in REFUSED_CALLS])
def test_unsupported_arguments_are_refused_at_the_call(tmp_path_factory, call, message):
    text = compile_error_of_call(tmp_path_factory.mktemp("generator_calls"), _HEADER, "np.random.default_rng(0)." + call)
    assert message in text and "refused_call.py" in text


def test_default_rng_s_refused_seed(tmp_path_factory):
    text = compile_error_of_call(tmp_path_factory.mktemp("generator_calls"), _HEADER, "np.random.default_rng(1.5)")
    assert "`np.random.default_rng()` takes an integer, None or a Generator in compiled code" in text


@ferrojit.njit
def make_generator_arrays(n, a, p):
    rng = np.random.default_rng(n)
    rng.shuffle(a)
    return (
        rng.random((n, 2)), rng.random(n, dtype=np.float32), rng.standard_normal(n), rng.standard_exponential(n), rng.normal(0.0, 1.0, n),
        rng.uniform(0.0, 1.0, n), rng.integers(0, 9, (n, n)), rng.integers(0, 9, n, dtype=np.uint8), rng.exponential(1.0, n),
        rng.choice(n, n), rng.choice(a, 2, False), rng.choice(5, 3, False, p), rng.choice(5, n, True, p), rng.choice(20000, 1000, False),
        rng.permutation(n), rng.permutation(a), rng.normal(a, 1.0), rng.uniform(a, a + 1.0, (2, a.size)), np.random.default_rng(rng).random(2),
        rng.permutation(a.reshape(2, 3), 1), rng.integers(UINT64_2_63, UINT64_MAX, n, np.uint64), rng.random(out=np.empty(n)),
        rng.standard_normal(dtype=np.float32, out=np.empty((n, 2), np.float32)),
        rng.gamma(2.0, 1.0, n), rng.beta(a + 1.0, 0.5), rng.poisson(3.0, (n, 2)), rng.binomial(10, 0.5, n), rng.geometric(0.3, n),
        rng.laplace(a), rng.standard_t(3.0, n), rng.triangular(0.0, 0.5, 1.0, n), rng.triangular(a - 1.0, a, a + 1.0, (2, a.size)),
        rng.choice(a.reshape(2, 3), 2, axis=1), rng.choice(a.reshape(2, 3), axis=-1),
        rng.standard_gamma(2.0, n, np.float32), rng.standard_gamma(a, dtype=np.float32), rng.standard_gamma(0.5, out=np.empty(n)),
        rng.standard_gamma(a, (2, a.size), np.float32, np.empty((2, a.size), np.float32)),
        rng.integers(UINT64_BIG_LOWS, UINT64_BIG_HIGHS, dtype=np.uint64), rng.integers(0, UINT64_HIGHS12, (n, 12), np.uint8),
    )


@ferrojit.njit
def return_generators(rng, n):
    # The Generator passed in comes back as itself, a new one as a new np.random.Generator.
    rng.random(n)
    return rng, np.random.default_rng(n), [np.random.default_rng(rng), np.random.default_rng(n + 1)]


@ferrojit.njit
def fail_with_uint64_bounds(n):
    rng = np.random.default_rng(n)
    kept = rng.standard_gamma(2.0, n, np.float32)
    # Raises after the library made the bounds' arrays.
    return kept, rng.integers(UINT64_BIG_HIGHS, UINT64_BIG_LOWS, dtype=np.uint64)


@ferrojit.njit
def fail_after_allocating(n):
    rng = np.random.default_rng(n)
    kept = rng.random(n)
    # Raises after the library allocated the indices.
    chosen = rng.choice(3, n, replace=False)
    return kept, chosen


@ferrojit.njit
def fail_after_broadcasting(locs, n):
    # Raises after the library broadcast the parameters.
    return np.random.default_rng(n).normal(locs, 1.0, (n, 2))


def test_generator_arrays_and_states_are_freed():
    a = np.arange(6.0)
    passed = np.random.default_rng(1)
    make_generator_arrays(4, a, P5)
    draw_from(passed, 3)
    with pytest.raises(ValueError):
        fail_after_allocating(5)
    with pytest.raises(ValueError):
        fail_after_broadcasting(LOCS, 3)
    return_generators(passed, 3)
    with pytest.raises(ValueError):
        fail_with_uint64_bounds(3)
    gc.collect()
    live = _native.live_allocations()
    for _ in range(1000):
        results = make_generator_arrays(4, a, P5)
        draw_from(passed, 3)
        with pytest.raises(ValueError):
            fail_after_allocating(5)
        with pytest.raises(ValueError):
            fail_after_broadcasting(LOCS, 3)
        generators = return_generators(passed, 3)
        with pytest.raises(ValueError):
            fail_with_uint64_bounds(3)
    del results, generators
    gc.collect()
    assert _native.live_allocations() == live


@ferrojit.njit
def seeded_generator(seed, n):
    rng = np.random.default_rng(seed)
    rng.standard_normal(n)
    rng.random(dtype=np.float32)  # keeps half a word (`has_uint32`)
    return rng


@ferrojit.njit
def generator_and_draw(seed):
    rng = np.random.default_rng(seed)
    return rng, rng.random()


@ferrojit.njit
def advanced(rng, n):
    rng.integers(0, 10, n)
    return rng


@ferrojit.njit
def advanced_in_a_tuple(rng, n):
    rng.standard_gamma(0.5, n)
    return (n, rng)


@ferrojit.njit
def passed_on_and_new(rng):
    return np.random.default_rng(rng), np.random.default_rng(), [np.random.default_rng(1), np.random.default_rng(2)]


def _numpy_generator(seed, n):
    rng = np.random.default_rng(seed)
    rng.standard_normal(n)
    rng.random(dtype=np.float32)
    return rng


# (description, a call returning (ours, NumPy's) Generators: ours is a result of compiled code).
RETURNED_GENERATORS = [
    ("made-inside", lambda: (seeded_generator(7, 5), _numpy_generator(7, 5))),
    ("made-inside-no-draws", lambda: (seeded_generator(0, 0), _numpy_generator(0, 0))),
    ("made-inside-big-seed", lambda: (seeded_generator(2**63 - 1, 3), _numpy_generator(2**63 - 1, 3))),
    ("with-a-draw", lambda: (generator_and_draw(11)[0], (lambda r: (r.random(), r)[1])(np.random.default_rng(11)))),
    ("in-a-list", lambda: (passed_on_and_new(np.random.default_rng(3))[2][1], np.random.default_rng(2))),
]


@pytest.mark.parametrize("make", [m for _, m in RETURNED_GENERATORS], ids=[d for d, _ in RETURNED_GENERATORS])
def test_a_returned_generator_is_a_numpy_generator_that_goes_on(make):
    ours, theirs = make()
    assert type(ours) is np.random.Generator and type(ours.bit_generator) is np.random.PCG64
    assert ours.bit_generator.state == theirs.bit_generator.state
    # The whole stream goes on as NumPy's: the kept half word first, then every kind of draw.
    got = (ours.random(dtype=np.float32), ours.random(1000), ours.integers(0, 2**40, 100), ours.standard_normal(100))
    expected = (theirs.random(dtype=np.float32), theirs.random(1000), theirs.integers(0, 2**40, 100), theirs.standard_normal(100))
    assert all(np.asarray(a).tobytes() == np.asarray(b).tobytes() for a, b in zip(got, expected))


# (compiled function, its arguments after the Generator, the position of the Generator in its
# result, NumPy's draws of the call on the same Generator).
PASSED_AND_RETURNED = [
    (advanced, (5,), None, lambda r: r.integers(0, 10, 5)),
    (advanced_in_a_tuple, (4,), 1, lambda r: r.standard_gamma(0.5, 4)),
    (passed_on_and_new, (), 0, lambda r: None),
]


@pytest.mark.parametrize("func, args, at, numpy_draws", PASSED_AND_RETURNED, ids=[f.__name__ for f, *_ in PASSED_AND_RETURNED])
def test_a_generator_passed_in_and_returned_is_the_same_object(func, args, at, numpy_draws):
    ours, theirs = np.random.default_rng(17), np.random.default_rng(17)
    result = func(ours, *args)
    returned = result if at is None else result[at]
    numpy_draws(theirs)
    assert returned is ours
    assert ours.bit_generator.state == theirs.bit_generator.state
    assert ours.random(10).tobytes() == theirs.random(10).tobytes()


def test_generators_made_inside_are_new_and_independent():
    passed = np.random.default_rng(5)
    same, fresh, (first, second) = passed_on_and_new(passed)
    assert same is passed and fresh is not passed and first is not second
    assert first.random() == np.random.default_rng(1).random() and second.random() == np.random.default_rng(2).random()
    # Entropy-seeded: not the stream of the Generator passed in.
    assert fresh.bit_generator.state != passed.bit_generator.state


@ferrojit.jit
def draw_in_object_mode(rng, n):
    print(object())  # not compilable: the function runs in object mode
    return rng.random(n)


def test_object_mode_draws_from_the_generator_itself():
    ours, theirs = np.random.default_rng(21), np.random.default_rng(21)
    with pytest.warns(ferrojit.errors.FerrojitWarning):
        got = draw_in_object_mode(ours, 3)
    assert got.tobytes() == theirs.random(3).tobytes()
    assert ours.bit_generator.state == theirs.bit_generator.state


@pytest.mark.parametrize("call", ["integers(INTS12, 20, size=5)", "normal(LOCS, SCALES, size=(3,))", "uniform(LOCS, HIGHS, size=(2,))", "integers(INT_LOCS, INTS12)", "triangular(LOCS - 1.0, LOCS, HIGHS12)", "triangular(-1.0, 0.0, HIGHS, size=(2,))"])
def test_parameters_that_do_not_broadcast_are_a_value_error(tmp_path_factory, call):
    """NumPy's messages name the shapes, which compiled code does not format."""
    with pytest.raises(ValueError):
        _expected(call, np.random.default_rng(0))
    module = _module(tmp_path_factory, "unbroadcast", _HEADER + f"\n@ferrojit.njit\ndef draw():\n    return np.random.default_rng(0).{call}\n")
    with pytest.raises(ValueError):
        module.draw()
