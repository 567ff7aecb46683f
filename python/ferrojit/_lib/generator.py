"""``np.random.default_rng`` Generators in compiled code, bit for bit NumPy's PCG64 streams.

A Generator is, in compiled code, a ``PCG64Generator``: a named tuple (of the class below)
holding its state, a C-ordered uint64 array of ``STATE_WORDS`` words (the PCG64 state and
increment, ``has_uint32`` and ``uinteger``, as ``crates/ferrojit_runtime/src/pcg64.rs`` lays
them out). An array is reference-counted memory that compiled code already frees with its last
reference, so a Generator needs no type of its own in the compiler and never leaks; the named
tuple's class marks it as a Generator, for the methods below (registered on tuples, they take
only that class's) and for the conversion of results, which makes a ``np.random.Generator`` of
it (``PCG64Generator._ferrojit_box_``). The runtime's PCG64 functions take the address of the
state's words.

A ``np.random.Generator`` passed to a compiled function is converted when the call starts (its
``bit_generator.state`` dict read into a new state array) and written back when the call
returns or raises (``call_with_generators``), so that the Python object's stream continues
where compiled code stopped. The state dict is the one interface of NumPy's bit generators that
does not depend on how NumPy was built (the ``ctypes`` state pointer leads to a struct whose
128-bit fields are laid out as the compiler that built NumPy chose, and Numba's way, calling
NumPy's ``next_uint64`` through a function pointer for every word, would also keep the
distributions from being inlined); reading and writing it costs about 10 us per call. Each
call works on its own copy, so two threads using one Generator at once do not crash (their
draws may repeat each other's, as they would not in NumPy, which locks the Generator).

A Generator returned from compiled code comes back to Python as a ``np.random.Generator`` whose
stream goes on from the returned state: the very Generator passed in when it is one of the
call's arguments (its state written back), else a new one on a ``PCG64`` bit generator (whose
``seed_seq`` is not the one NumPy's ``default_rng(seed)`` would keep: it was not made from the
seed, so its ``spawn`` differs).

The draws are NumPy's (``distributions.c``, ``_generator.pyx``, ``_bounded_integers.pyx.in``):
doubles from 53 bits, float32s from 24 bits of a 32-bit half, the ziggurat normal and
exponential deviates, Lemire's bounded integers (with NumPy's 32-bit buffer for 16-bit,
8-bit and bool results), ``random_interval`` for shuffling.
"""


import collections
import threading

import numpy as np

from .. import types
from ..extending import CallRefused, overload, overload_method, register_jitable
from . import axis_error, data_address
from .dtypes import numpy_type
from .random import KIND_EXPONENTIAL, KIND_NORMAL, KIND_RANDOM, KIND_STANDARD_EXPONENTIAL, KIND_STANDARD_NORMAL, KIND_UNIFORM
from .random import _broadcast_parameters, _check_real, _check_size, _given, _kahan_total, _non_negative, _sampler, _shuffle_rows, _weighted_indices
from .random import _POISSON_LAM_MAX, _binomial_of, _chisquare, _gamma, _geometric_search, _laplace, _logistic, _lognormal, _new_flat, _poisson, _triangular_of, _check_triangular
from .random import _positive, _refuse, _require, _standard_gamma, _standard_t, _exponential_of, _uniform_of, _nan_message, c_pow

STATE_WORDS = 6


def _compiled_only():
    return RuntimeError("ferrojit._lib.generator's runtime calls run only in compiled code")


# The runtime calls (see ``ferrojit_infer::random``); ``state`` is the address of a state array's words.


def pcg64_seed(state, seed):
    """Seeds as ``PCG64(SeedSequence(seed))`` does (``seed`` >= 0)."""
    raise _compiled_only()


def pcg64_seed_entropy(state):
    """Seeds from 128 bits of the operating system's entropy."""
    raise _compiled_only()


def pcg64_draw(state, kind, single, a, b):
    """A value of the distribution ``kind`` (``random.KIND_*``) with the parameters ``a``,
    ``b``, by NumPy's Generator algorithms; float32's (as a double) of the standard
    distributions when ``single``."""
    raise _compiled_only()


def pcg64_fill(state, kind, single, a, b, data, n):
    """Fills the ``n`` contiguous elements at address ``data`` (float64, float32 when
    ``single``) with the values of ``n`` calls of ``pcg64_draw(state, kind, single, a, b)``, in
    one call."""
    raise _compiled_only()


def pcg64_bounded_fill_each(state, offs, rngs, count, bits, out):
    """``pcg64_bounded_fill`` with the offset and range of each element read from the int64
    arrays at the addresses ``offs`` and ``rngs``."""
    raise _compiled_only()


def pcg64_interval(state, max):
    """A value in ``[0, max]`` by ``random_interval``."""
    raise _compiled_only()


def pcg64_bounded_fill(state, off, rng, count, bits, out):
    """Fills ``count`` elements of ``bits`` bits at the address ``out`` with ``off + [0, rng]``."""
    raise _compiled_only()


# ---- Generators passed in from Python ------------------------------------------------------


def _state_words(generator):
    """The state array of a ``np.random.Generator`` (a PCG64 one)."""
    state = generator.bit_generator.state
    if state.get("bit_generator") != "PCG64":
        raise TypeError(f"compiled code takes Generators of PCG64 only, not of {state.get('bit_generator')}")
    value, increment = state["state"]["state"], state["state"]["inc"]
    mask = (1 << 64) - 1
    words = [value & mask, value >> 64, increment & mask, increment >> 64, state["has_uint32"], state["uinteger"]]
    return np.array(words, dtype=np.uint64)


def _write_back(generator, words):
    low, high, increment_low, increment_high, has_uint32, uinteger = words.tolist()
    generator.bit_generator.state = {
        "bit_generator": "PCG64",
        "state": {"state": low | high << 64, "inc": increment_low | increment_high << 64},
        "has_uint32": has_uint32,
        "uinteger": uinteger,
    }


class PCG64Generator(collections.namedtuple("PCG64Generator", ["state"])):
    """A Generator's type in compiled code: the named tuple of its state array, whose class
    tells it from other tuples (``is_generator``). Python sees one only as the compiled form
    of an argument (``call_with_generators``) and, converting a result, through
    ``_ferrojit_box_``, which the binding crate calls on each one it makes."""

    __slots__ = ()

    @staticmethod
    def _ferrojit_box_(value):
        """The ``np.random.Generator`` a compiled Generator stands for: the Generator passed
        to the running call that this state is the compiled form of (its state is written
        back when the call ends), else a new one in this state."""
        passed = getattr(_passed_in, "generators", None)
        if passed is not None and id(value.state) in passed:
            generator, words = passed[id(value.state)]
            if words is value.state:
                return generator
        generator = np.random.Generator(np.random.PCG64())
        _write_back(generator, value.state)
        return generator


# Per thread, the Generators of the running calls (of `call_with_generators`), by the id of
# the state array that is their compiled form: id -> (Generator, state array).
_passed_in = threading.local()


def call_with_generators(dispatcher, args):
    """Runs the compiled ``dispatcher`` on ``args`` with each ``np.random.Generator`` among them
    replaced by its state in compiled form; the states are written back to the Generators when
    the call returns or raises, those that compiled code advanced (in object mode the Python
    function draws from the Generators themselves, whose states are then left as they are)."""
    converted = []
    # id of each Generator -> (it, its state's compiled form, the state's words as read): a
    # Generator passed twice is one state.
    passed = {}
    for a in args:
        if isinstance(a, np.random.Generator):
            if id(a) not in passed:
                words = _state_words(a)
                passed[id(a)] = (a, PCG64Generator(words), words.tolist())
            converted.append(passed[id(a)][1])
        else:
            converted.append(a)
    # A Generator passed in and returned comes back as itself (`PCG64Generator._ferrojit_box_`);
    # the registry of the calls running on this thread (a compiled call may call Python, which
    # may call compiled code again) is restored when this one ends.
    outer = getattr(_passed_in, "generators", None)
    running = dict(outer or {})
    running.update({id(state.state): (generator, state.state) for generator, state, _ in passed.values()})
    _passed_in.generators = running
    try:
        if dispatcher._options.get("_fallback") or dispatcher._options.get("forceobj"):
            return dispatcher._run(tuple(converted), args)
        # Compiled code only: the native entry points run the converted call directly.
        return dispatcher(*converted)
    finally:
        _passed_in.generators = outer
        for generator, state, initial in passed.values():
            if state.state.tolist() != initial:
                _write_back(generator, state.state)


# ---- typing helpers -------------------------------------------------------------------------


def is_generator(ty):
    """Whether ``ty`` is a Generator's type in compiled code: a ``PCG64Generator`` of a 1-d
    uint64 array. (Types name their named tuple class only by its name: a class of the user's
    of this name and fields would pass, and be refused by ``_state_address`` when its array
    holds no state.)"""
    return (
        isinstance(ty, types.BaseNamedTuple) and ty.class_name == PCG64Generator.__name__ and len(ty) == 1
        and isinstance(ty[0], types.Array) and ty[0].ndim == 1 and ty[0].layout == "C" and ty[0].dtype == types.uint64
    )


@register_jitable
def _state_address(rng):
    """The address of the state words of the Generator ``rng``, whose array is checked to be
    one's: the runtime reads and writes ``STATE_WORDS`` words there."""
    state = rng[0]
    if state.size != STATE_WORDS:
        raise TypeError("this PCG64Generator holds no Generator state")
    return data_address(state)


def _element(name, dtype, default, allowed):
    """The NumPy scalar type ``dtype=`` names (``default`` when not given), one of ``allowed``."""
    if isinstance(dtype, types.DTypeSpec):
        element = numpy_type(dtype.dtype)
    elif dtype is None or not isinstance(dtype, types.Type):
        element = {None: default, int: np.int64, float: np.float64, bool: np.bool_}.get(dtype, dtype)
    else:
        element = None
    if element not in allowed:
        raise CallRefused(f"`dtype=` of `{name}()` must be one of {', '.join(np.dtype(t).name for t in allowed)}, not `{dtype}`")
    return element


# ---- samplers -------------------------------------------------------------------------------

def _runtime_sampler(kind, element):
    """The sampler (``random._sampler``, shared with the legacy functions) of the distribution
    ``kind`` (``random.KIND_*``, its parameters ``a`` and ``b``) into elements of ``element``
    (float64, or float32 for NumPy's float32 algorithms of the standard distributions): the
    Generator's state address comes as its third parameter (broadcast with the others when
    they are arrays), and the runtime draws one value at a time or a whole array in one call."""
    single = 1 if element == np.float32 else 0

    @register_jitable
    def draw_one(a, b, state):
        return pcg64_draw(state, kind, single, a, b)

    @register_jitable
    def fill_all(flat, a, b, state):
        pcg64_fill(state, kind, single, a, b, data_address(flat), flat.size)

    return _sampler(draw_one, element, fill_all)


def _state_sampler(distribution, element):
    """The sampler of ``distribution(source, a, b)`` (a function of ``random``, shared with the
    legacy functions, or one of the Generator's own below) drawn from the Generator whose state
    address the sampler is given as its third parameter."""

    @register_jitable
    def draw_one(a, b, state):
        return distribution((state,), a, b)

    return _sampler(draw_one, element)


@register_jitable
def _beta(source, a, b):
    """``random_beta``: Johnk's algorithm for both parameters at most 1 (with logarithms when
    a power underflows; a proportion for tiny ones), else two gammas."""
    if a <= 1.0 and b <= 1.0:
        if a < 3e-103 and b < 3e-103:
            return 1.0 if (a + b) * _uniform_of(source) < a else 0.0
        while True:
            u = _uniform_of(source)
            v = _uniform_of(source)
            x = c_pow(u, 1.0 / a)
            y = c_pow(v, 1.0 / b)
            x_plus_y = x + y
            if x_plus_y <= 1.0 and u + v > 0.0:
                if x > 0 and y > 0:
                    return x / x_plus_y
                delta = np.log(u) / a - np.log(v) / b
                if delta > 0:
                    return np.exp(-np.log1p(np.exp(-delta)))
                return np.exp(delta - np.log1p(np.exp(delta)))
    ga = _standard_gamma(source, a)
    gb = _standard_gamma(source, b)
    return ga / (ga + gb)


@register_jitable
def _binomial(source, n, p):
    return _binomial_of(source, n, p, True)


@register_jitable
def _geometric(source, p, _b):
    """``random_geometric``: search for p >= 1/3, else inversion of an exponential deviate
    (int64's largest value beyond it)."""
    if p >= 0.333333333333333333333333:
        return _geometric_search(source, p)
    z = np.ceil(-_exponential_of(source) / np.log1p(-p))
    if z >= 9.223372036854776e18:
        return 9223372036854775807
    return int(z)


@register_jitable
def _standard_gamma_of(source, shape, _b):
    return _standard_gamma(source, shape)


# float32 constants of ``random_standard_gamma_f`` (C's `1.0f / 3.0f`, ...): its arithmetic is
# float32's throughout, and NumPy 2's scalar rules keep it so where one operand is float32.
_F32_ONE, _F32_ZERO, _F32_THIRD = np.float32(1.0), np.float32(0.0), np.float32(1.0) / np.float32(3.0)
_F32_NINE, _F32_SQUEEZE, _F32_HALF = np.float32(9.0), np.float32(0.0331), np.float32(0.5)


@register_jitable
def _standard_gamma_f(source, given, _b):
    """``random_standard_gamma_f``: ``random_standard_gamma`` in float32 (its float32 deviates,
    ``logf``, ``powf`` and ``sqrtf``), ``given`` holding a float32 value (broadcast parameters
    come as float64s: a variable of its own keeps the arithmetic float32's)."""
    state = _address_of(source)
    shape = np.float32(given)
    if shape == _F32_ONE:
        return np.float32(pcg64_draw(state, KIND_STANDARD_EXPONENTIAL, 1, 0.0, 0.0))
    if shape == _F32_ZERO:
        return _F32_ZERO
    if shape < _F32_ONE:
        while True:
            u = np.float32(pcg64_draw(state, KIND_RANDOM, 1, 0.0, 0.0))
            v = np.float32(pcg64_draw(state, KIND_STANDARD_EXPONENTIAL, 1, 0.0, 0.0))
            if u <= _F32_ONE - shape:
                x = np.power(u, _F32_ONE / shape)
                if x <= v:
                    return x
            else:
                y = -np.log((_F32_ONE - u) / shape)
                x = np.power(_F32_ONE - shape + shape * y, _F32_ONE / shape)
                if x <= v + y:
                    return x
    b = shape - _F32_THIRD
    c = _F32_ONE / np.sqrt(_F32_NINE * b)
    while True:
        x = np.float32(pcg64_draw(state, KIND_STANDARD_NORMAL, 1, 0.0, 0.0))
        v = _F32_ONE + c * x
        while v <= _F32_ZERO:
            x = np.float32(pcg64_draw(state, KIND_STANDARD_NORMAL, 1, 0.0, 0.0))
            v = _F32_ONE + c * x
        v = v * v * v
        u = np.float32(pcg64_draw(state, KIND_RANDOM, 1, 0.0, 0.0))
        if u < _F32_ONE - _F32_SQUEEZE * (x * x) * (x * x):
            return b * v
        if np.log(u) < _F32_HALF * x * x + b * (_F32_ONE - v + np.log(v)):
            return b * v


_sample_standard_gamma = _state_sampler(_standard_gamma_of, np.float64)
_sample_standard_gamma_f = _state_sampler(_standard_gamma_f, np.float32)
_sample_gamma = _state_sampler(_gamma, np.float64)
_sample_beta = _state_sampler(_beta, np.float64)
_sample_chisquare = _state_sampler(_chisquare, np.float64)
_sample_standard_t = _state_sampler(_standard_t, np.float64)
_sample_lognormal = _state_sampler(_lognormal, np.float64)
_sample_laplace = _state_sampler(_laplace, np.float64)
_sample_logistic = _state_sampler(_logistic, np.float64)
_sample_poisson = _state_sampler(_poisson, np.int64)
_sample_binomial = _state_sampler(_binomial, np.int64)
_sample_geometric = _state_sampler(_geometric, np.int64)


# Per method without parameters: its float64 and float32 samplers.
_STANDARD_KINDS = {"random": KIND_RANDOM, "standard_normal": KIND_STANDARD_NORMAL, "standard_exponential": KIND_STANDARD_EXPONENTIAL}
_STANDARD_SAMPLERS = {name: {element: _runtime_sampler(kind, element) for element in (np.float64, np.float32)} for name, kind in _STANDARD_KINDS.items()}
_sample_uniform = _runtime_sampler(KIND_UNIFORM, np.float64)  # (low, width)
_sample_normal = _runtime_sampler(KIND_NORMAL, np.float64)  # (loc, scale)
_sample_exponential = _runtime_sampler(KIND_EXPONENTIAL, np.float64)  # (scale,)


# ---- np.random.default_rng ------------------------------------------------------------------


@overload(np.random.default_rng)
def default_rng(seed=None):
    if is_generator(seed):
        # NumPy returns a Generator given to it unchanged.
        def same(seed=None):
            return seed

        return same
    if isinstance(seed, (types.Integer, types.Boolean)):

        def seeded(seed=None):
            if seed < 0:
                raise ValueError("expected non-negative integer")
            state = np.empty(STATE_WORDS, np.uint64)
            pcg64_seed(data_address(state), seed)
            return PCG64Generator(state)

        return seeded
    if not _given(seed):

        def fresh(seed=None):
            state = np.empty(STATE_WORDS, np.uint64)
            pcg64_seed_entropy(data_address(state))
            return PCG64Generator(state)

        return fresh
    raise CallRefused(f"`np.random.default_rng()` takes an integer, None or a Generator in compiled code, not `{seed}`", unsupported=True)


# ---- the methods ----------------------------------------------------------------------------


@register_jitable
def _require_contiguous(out):
    """NumPy's ``ValueError`` for an ``out=`` it cannot fill as one block of memory."""
    if not ((out.flags.c_contiguous or out.flags.f_contiguous) and out.flags.writeable):
        raise ValueError("Supplied output array must be contiguous, writable, aligned, and in machine byte-order.")


def _require_shape(size, out):
    """NumPy's ``ValueError`` when ``size`` is given and is not the shape of ``out``."""


@overload(_require_shape)
def _require_shape_typing(size, out):
    if not _given(size):

        def any_shape(size, out):
            pass

        return any_shape
    dims = 1 if isinstance(size, types.Integer) else len(size)
    if dims != out.ndim:

        def other_dimensions(size, out):
            raise ValueError("size must match out.shape when used together")

        return other_dimensions

    def same_dimensions(size, out):
        if np.any(np.array(out.shape) != np.array(size)):
            raise ValueError("size must match out.shape when used together")

    return same_dimensions


def _without_parameters(name):
    """The typing function of ``Generator.random``, ``standard_normal`` or
    ``standard_exponential`` (``size=``, ``dtype=`` float64 or float32, ``out=``)."""
    samplers = _STANDARD_SAMPLERS[name]
    kind = _STANDARD_KINDS[name]

    def typing(rng, size=None, dtype=np.float64, out=None):
        if not is_generator(rng):
            return None
        _check_size(f"Generator.{name}", size)
        element = _element(f"Generator.{name}", dtype, np.float64, tuple(samplers))
        sample = samplers[element]
        if not _given(out):

            def draws(rng, size=None, dtype=None, out=None):
                return sample(size, 0.0, 0.0, _state_address(rng))

            return draws
        if not isinstance(out, types.Array):
            raise CallRefused(f"`out=` of `Generator.{name}()` must be an array, not `{out}`")
        # NumPy's checks of `out`, in its order: its memory, its dtype, its shape.
        if numpy_type(out.dtype) != element:
            wrong_type = f"Supplied output array has the wrong type. Expected {np.dtype(element)}, got {np.dtype(numpy_type(out.dtype))}"

            def of_wrong_type(rng, size=None, dtype=None, out=None):
                _require_contiguous(out)
                raise TypeError(wrong_type)
                return out

            return of_wrong_type
        single = 1 if element == np.float32 else 0

        def draws_into(rng, size=None, dtype=None, out=None):
            _require_contiguous(out)
            _require_shape(size, out)
            # A contiguous array's elements, in memory order, as NumPy fills them.
            pcg64_fill(_state_address(rng), kind, single, 0.0, 0.0, data_address(out), out.size)
            return out

        return draws_into

    return typing


for _name in _STANDARD_SAMPLERS:
    overload_method(types.BaseTuple, _name)(_without_parameters(_name))


@register_jitable
def _require_finite_width(width):
    if not np.all(np.isfinite(width)):
        raise OverflowError("Range exceeds valid bounds")


@overload_method(types.BaseTuple, "uniform")
def uniform(rng, low=0.0, high=1.0, size=None):
    if not is_generator(rng):
        return None
    _check_real("Generator.uniform", low=low, high=high)
    _check_size("Generator.uniform", size)
    if isinstance(low, types.Array) or isinstance(high, types.Array):

        def draws_of_arrays(rng, low=0.0, high=1.0, size=None):
            width = (high + 0.0) - (low + 0.0)
            _require_finite_width(width)
            _non_negative(width, "high - low < 0")
            return _sample_uniform(size, low + 0.0, width, _state_address(rng))

        return draws_of_arrays

    def draws(rng, low=0.0, high=1.0, size=None):
        # NumPy takes the bounds as doubles first.
        low = low + 0.0
        width = (high + 0.0) - low
        if not np.isfinite(width):
            raise OverflowError("high - low range exceeds valid bounds")
        _non_negative(width, "high - low < 0")
        return _sample_uniform(size, low, width, _state_address(rng))

    return draws


@overload_method(types.BaseTuple, "normal")
def normal(rng, loc=0.0, scale=1.0, size=None):
    if not is_generator(rng):
        return None
    _check_real("Generator.normal", loc=loc, scale=scale)
    _check_size("Generator.normal", size)

    def draws(rng, loc=0.0, scale=1.0, size=None):
        _non_negative(scale, "scale < 0")
        return _sample_normal(size, loc, scale, _state_address(rng))

    return draws


@overload_method(types.BaseTuple, "exponential")
def exponential(rng, scale=1.0, size=None):
    if not is_generator(rng):
        return None
    _check_real("Generator.exponential", scale=scale)
    _check_size("Generator.exponential", size)

    def draws(rng, scale=1.0, size=None):
        _non_negative(scale, "scale < 0")
        return _sample_exponential(size, scale, 0.0, _state_address(rng))

    return draws


# The other distributions: NumPy's parameter checks (the same messages as the legacy
# functions'), then samples.


def _method(name, rng, size, **parameters):
    """Whether ``rng`` is a Generator (else the method is not one of this module), after
    checking the types of ``size`` and the parameters."""
    if not is_generator(rng):
        return False
    _check_real(f"Generator.{name}", **parameters)
    _check_size(f"Generator.{name}", size)
    return True


@register_jitable
def _require_c_contiguous(out):
    """NumPy's ``ValueError`` for an ``out=`` of a distribution with parameters (``cont``,
    ``cont_f``), which must be C-ordered."""
    if not (out.flags.c_contiguous and out.flags.writeable):
        raise ValueError("Supplied output array must be C-contiguous, writable, aligned, and in machine byte-order.")


@register_jitable
def _float32_parameter(value):
    """A parameter as NumPy's float32 distributions take it (``cont_f``: converted to float32
    before its checks and draws)."""
    return np.float32(value)


@register_jitable
def _float32_parameters(value):
    return value.astype(np.float32)


@register_jitable
def _unchanged(value):
    return value


@overload_method(types.BaseTuple, "standard_gamma")
def standard_gamma(rng, shape, size=None, dtype=np.float64, out=None):
    """NumPy's ``cont``/``cont_f``: float64 draws by ``random_standard_gamma``, float32 ones by
    ``random_standard_gamma_f`` on the parameter converted to float32; ``out=`` (a C-ordered
    array of the dtype, of ``size`` when both are given) filled in C order."""
    if not _method("standard_gamma", rng, size, shape=shape):
        return None
    element = _element("Generator.standard_gamma", dtype, np.float64, (np.float64, np.float32))
    sample = _sample_standard_gamma if element == np.float64 else _sample_standard_gamma_f
    if element == np.float64:
        convert = _unchanged
    else:
        convert = _float32_parameters if isinstance(shape, types.Array) else _float32_parameter
    if not _given(out):

        def draws(rng, shape, size=None, dtype=None, out=None):
            parameter = convert(shape)
            _non_negative(parameter, "shape < 0")
            return sample(size, parameter, 0.0, _state_address(rng))

        return draws
    if not isinstance(out, types.Array):
        raise CallRefused(f"`out=` of `Generator.standard_gamma()` must be an array, not `{out}`")
    # NumPy's checks of `out` first, in its order: its memory, its dtype, then its shape.
    if numpy_type(out.dtype) != element:
        wrong_type = f"Supplied output array has the wrong type. Expected {np.dtype(element)}, got {np.dtype(numpy_type(out.dtype))}"

        def of_wrong_type(rng, shape, size=None, dtype=None, out=None):
            _require_c_contiguous(out)
            raise TypeError(wrong_type)
            return out

        return of_wrong_type

    def draws_into(rng, shape, size=None, dtype=None, out=None):
        _require_c_contiguous(out)
        _require_shape(size, out)
        parameter = convert(shape)
        _non_negative(parameter, "shape < 0")
        out[...] = sample(out.shape, parameter, 0.0, _state_address(rng))
        return out

    return draws_into


@overload_method(types.BaseTuple, "gamma")
def gamma(rng, shape, scale=1.0, size=None):
    if not _method("gamma", rng, size, shape=shape, scale=scale):
        return None

    def draws(rng, shape, scale=1.0, size=None):
        _non_negative(shape, "shape < 0")
        _non_negative(scale, "scale < 0")
        return _sample_gamma(size, shape, scale, _state_address(rng))

    return draws


@overload_method(types.BaseTuple, "beta")
def beta(rng, a, b, size=None):
    if not _method("beta", rng, size, a=a, b=b):
        return None

    def draws(rng, a, b, size=None):
        _positive(a, "a <= 0")
        _positive(b, "b <= 0")
        return _sample_beta(size, a, b, _state_address(rng))

    return draws


def _degrees_of_freedom(name, sample):
    """The typing function of ``Generator.chisquare`` or ``standard_t``."""

    def typing(rng, df, size=None):
        if not _method(name, rng, size, df=df):
            return None

        def draws(rng, df, size=None):
            _positive(df, "df <= 0")
            return sample(size, df, 0.0, _state_address(rng))

        return draws

    return typing


overload_method(types.BaseTuple, "chisquare")(_degrees_of_freedom("chisquare", _sample_chisquare))
overload_method(types.BaseTuple, "standard_t")(_degrees_of_freedom("standard_t", _sample_standard_t))


def _location_scale(name, sample):
    """The typing function of ``Generator.laplace`` or ``logistic``."""

    def typing(rng, loc=0.0, scale=1.0, size=None):
        if not _method(name, rng, size, loc=loc, scale=scale):
            return None

        def draws(rng, loc=0.0, scale=1.0, size=None):
            _non_negative(scale, "scale < 0")
            return sample(size, loc, scale, _state_address(rng))

        return draws

    return typing


overload_method(types.BaseTuple, "laplace")(_location_scale("laplace", _sample_laplace))
overload_method(types.BaseTuple, "logistic")(_location_scale("logistic", _sample_logistic))


@overload_method(types.BaseTuple, "triangular")
def triangular(rng, left, mode, right, size=None):
    """``Generator.triangular``: NumPy's checks of the parameters (of every element of arrays),
    then one deviate per value, of the parameters broadcast together (and to ``size``) in C
    order. Its own loops rather than a sampler's: it has three parameters besides the
    Generator's state."""
    if not _method("triangular", rng, size, left=left, mode=mode, right=right):
        return None

    if any(isinstance(x, types.Array) for x in (left, mode, right)):

        def draws_broadcast(rng, left, mode, right, size=None):
            _check_triangular(left, mode, right)
            full_left, full_mode, full_right = _broadcast_parameters(size, left, mode, right)
            source = (_state_address(rng),)
            out, flat = _new_flat(full_left.shape, np.float64)
            flat_left, flat_mode, flat_right = full_left.reshape(out.size), full_mode.reshape(out.size), full_right.reshape(out.size)
            for i in range(out.size):
                flat[i] = _triangular_of(source, np.float64(flat_left[i]), np.float64(flat_mode[i]), np.float64(flat_right[i]))
            return out

        return draws_broadcast

    def draws(rng, left, mode, right, size=None):
        _check_triangular(left, mode, right)
        source = (_state_address(rng),)
        if size is None:
            return _triangular_of(source, np.float64(left), np.float64(mode), np.float64(right))
        out, flat = _new_flat(size, np.float64)
        for i in range(flat.size):
            flat[i] = _triangular_of(source, np.float64(left), np.float64(mode), np.float64(right))
        return out

    return draws


@overload_method(types.BaseTuple, "lognormal")
def lognormal(rng, mean=0.0, sigma=1.0, size=None):
    if not _method("lognormal", rng, size, mean=mean, sigma=sigma):
        return None

    def draws(rng, mean=0.0, sigma=1.0, size=None):
        _non_negative(sigma, "sigma < 0")
        return _sample_lognormal(size, mean, sigma, _state_address(rng))

    return draws


@overload_method(types.BaseTuple, "poisson")
def poisson(rng, lam=1.0, size=None):
    if not _method("poisson", rng, size, lam=lam):
        return None
    if isinstance(lam, types.Array):

        def draws_of_array(rng, lam=1.0, size=None):
            # NumPy's order for arrays: a NaN is "too large".
            _require(lam <= _POISSON_LAM_MAX, "lam value too large")
            _require(lam >= 0, "lam < 0 or lam contains NaNs")
            return _sample_poisson(size, lam, 0.0, _state_address(rng))

        return draws_of_array

    def draws(rng, lam=1.0, size=None):
        _require(lam >= 0, "lam < 0 or lam is NaN")
        _require(lam <= _POISSON_LAM_MAX, "lam value too large")
        return _sample_poisson(size, lam, 0.0, _state_address(rng))

    return draws


@overload_method(types.BaseTuple, "binomial")
def binomial(rng, n, p, size=None):
    if not _method("binomial", rng, size, n=n, p=p):
        return None
    if isinstance(n.dtype if isinstance(n, types.Array) else n, types.Float):
        raise CallRefused(f"`n` of `Generator.binomial()` must be integers in compiled code, not `{n}`", unsupported=True)
    p_message = f"p < 0, p > 1 or {_nan_message('p', p)}"

    def draws(rng, n, p, size=None):
        _require((p >= 0) & (p <= 1), p_message)
        _refuse(n < 0, "n < 0")
        return _sample_binomial(size, n, p, _state_address(rng))

    return draws


@overload_method(types.BaseTuple, "geometric")
def geometric(rng, p, size=None):
    if not _method("geometric", rng, size, p=p):
        return None

    def draws(rng, p, size=None):
        _require((p > 0) & (p <= 1), "p <= 0, p > 1 or p contains NaNs")
        return _sample_geometric(size, p, 0.0, _state_address(rng))

    return draws


# Result types of `integers`: their bounds and the width of the draws NumPy makes for them (1
# for bool: one bit of a 32-bit buffer per value).
_INTEGER_TYPES = {
    np.int64: (-(2**63), 2**63 - 1, 64),
    np.int32: (-(2**31), 2**31 - 1, 32),
    np.int16: (-(2**15), 2**15 - 1, 16),
    np.int8: (-(2**7), 2**7 - 1, 8),
    np.uint64: (0, 2**64 - 1, 64),
    np.uint32: (0, 2**32 - 1, 32),
    np.uint16: (0, 2**16 - 1, 16),
    np.uint8: (0, 2**8 - 1, 8),
    np.bool_: (0, 1, 1),
}


@register_jitable
def _bounded_fill(state, out, first, last, bits):
    """Fills the C-ordered array ``out`` with integers in ``[first, last]`` drawn as NumPy's
    ``random_bounded_*_fill`` draws them for elements of ``bits`` bits (1 for bool)."""
    pcg64_bounded_fill(state, first, last - first, out.size, bits, data_address(out))


def _signs_and_bits(x):
    """``(x < 0, x's bits as uint64)`` of an integer or, element by element, of an array of
    integers or bools: a bound of any integer type, uint64 ones above int64's range included,
    as one pair of types (int64 and uint64 have no common integer type)."""


@overload(_signs_and_bits)
def _signs_and_bits_typing(x):
    if not isinstance(x, types.Array):

        def number(x):
            return _sign_and_bits(x)

        return number
    if isinstance(x.dtype, types.Integer) and not x.dtype.signed:

        def unsigned(x):
            return np.zeros(x.shape, np.bool_), x.astype(np.uint64)

        return unsigned

    def signed(x):
        return x < 0, x.astype(np.uint64)

    return signed


def _bound_bits(size, low, high):
    """``integers``' bounds as signs and bits (``_signs_and_bits``): four new arrays of the
    result's shape (``size``, else the bounds' broadcast shape), the lower bounds' then the
    upper ones'; ``[0, low)`` when ``high`` is None (NumPy's broadcast path)."""


@overload(_bound_bits)
def _bound_bits_typing(size, low, high):
    lower_of = _zero_bound if not _given(high) else _first_bound
    upper_of = _first_bound if not _given(high) else _second_bound

    def broadcast(size, low, high):
        low_negative, low_bits = _signs_and_bits(lower_of(low, high))
        high_negative, high_bits = _signs_and_bits(upper_of(low, high))
        if size is None:
            shape = (low_bits * np.uint64(0) + high_bits * np.uint64(0)).shape
        else:
            shape = np.empty(size, np.int8).shape
        no, zero = np.zeros(shape, np.bool_), np.zeros(shape, np.uint64)
        lows, highs = low_bits + zero, high_bits + zero
        if lows.shape != shape or highs.shape != shape:
            raise ValueError("Output size is not compatible with broadcast dimensions of inputs")
        return low_negative | no, lows, high_negative | no, highs

    return broadcast


@register_jitable
def _zero_bound(low, high):
    return 0


@register_jitable
def _first_bound(low, high):
    return low


@register_jitable
def _second_bound(low, high):
    return high


def _sign_and_bits(x):
    """``(x < 0, x as uint64)`` for an integer ``x`` of any type (an unsigned one is never
    negative, whatever its bits)."""


@overload(_sign_and_bits)
def _sign_and_bits_typing(x):
    if isinstance(x, types.Integer) and not x.signed:

        def unsigned(x):
            return False, np.uint64(x)

        return unsigned

    def signed(x):
        return x < 0, np.uint64(x)

    return signed


@register_jitable
def _int64_range(low, high, endpoint, lowest, highest, low_out_of_bounds, high_out_of_bounds):
    """``integers``' smallest and largest values in int64, checked as NumPy checks them for a
    result type within int64's range (``lowest``, ``highest``). A constant such as
    `2**63 - 1` is typed uint64, and int64 and uint64 do not compare as Python's integers in
    compiled code: a bound above int64's range is taken apart first."""
    if high is None:
        first = np.int64(0)
        last = _int64_last(low, endpoint, high_out_of_bounds)
    else:
        last = _int64_last(high, endpoint, high_out_of_bounds)
        # Above int64's range, `low` is above `last` (NumPy checks `low` against the type's
        # lowest value only).
        above, first = _int64_first(low)
        if above:
            _empty_range(1, endpoint)
    if first < lowest:
        raise ValueError(low_out_of_bounds)
    if last > highest:
        raise ValueError(high_out_of_bounds)
    if first > last:
        _empty_range(first, endpoint)
    return first, last


@register_jitable
def _uint64_range(low, high, endpoint, lowest, highest, low_out_of_bounds, high_out_of_bounds):
    """``integers``' smallest and largest values in uint64 for a uint64 result, checked as
    NumPy checks them: each bound taken as its sign and its bits, as it may be above int64's
    range (``lowest`` and ``highest``, 0 and 2**64 - 1, need no comparison)."""
    if high is None:
        first_negative, first = False, np.uint64(0)
        top_negative, top = _sign_and_bits(low)
    else:
        first_negative, first = _sign_and_bits(low)
        top_negative, top = _sign_and_bits(high)
    # The largest value asked for, `last`, is below 0 when `last_negative`.
    last_negative, last = top_negative, top
    if not endpoint:
        last_negative = top_negative or top == 0
        last = top - np.uint64(1)
    if first_negative:
        raise ValueError(low_out_of_bounds)
    if last_negative or first > last:
        _empty_range(first, endpoint)
    return first, last


@register_jitable
def _empty_range(first, endpoint):
    """NumPy's ``ValueError`` for bounds that hold no integer, ``first`` the lower one."""
    if endpoint:
        if first == 0:
            raise ValueError("high < 0")
        raise ValueError("low > high")
    if first == 0:
        raise ValueError("high <= 0")
    raise ValueError("low >= high")


@register_jitable
def _int64_first(low):
    """Whether ``low`` is above int64's range, and ``low`` in int64."""
    negative, bits = _sign_and_bits(low)
    return not negative and bits > np.uint64(9223372036854775807), np.int64(low)


@register_jitable
def _int64_last(high, endpoint, message):
    """The largest value asked for, ``high`` or ``high - 1``, in int64; NumPy's ``ValueError``
    ``message`` when it is above int64's range."""
    negative, bits = _sign_and_bits(high)
    if negative or endpoint:
        last = bits
    elif bits == 0:
        return np.int64(-1)
    else:
        last = bits - np.uint64(1)
    if not negative and last > np.uint64(9223372036854775807):
        raise ValueError(message)
    if negative and not endpoint:
        return np.int64(high) - 1
    return np.int64(last)


@overload_method(types.BaseTuple, "integers")
def integers(rng, low, high=None, size=None, dtype=np.int64, endpoint=False):
    if not is_generator(rng):
        return None
    for parameter, value in (("low", low), ("high", high)):
        if isinstance(value, types.Array) and value.ndim > 0 and isinstance(value.dtype, (types.Integer, types.Boolean)):
            pass
        elif _given(value) and not isinstance(value, (types.Integer, types.Boolean)):
            raise CallRefused(
                f"`{parameter}` of `Generator.integers()` must be an integer or an array of integers in compiled code, not `{value}`",
                unsupported=isinstance(value, types.Array),
            )
    if _given(endpoint) and not isinstance(endpoint, types.Boolean):
        raise CallRefused(f"`endpoint` of `Generator.integers()` must be a bool, not `{endpoint}`")
    _check_size("Generator.integers", size)
    element = _element("Generator.integers", dtype, np.int64, tuple(_INTEGER_TYPES))
    lowest, highest, bits = _INTEGER_TYPES[element]
    low_out_of_bounds = f"low is out of bounds for {np.dtype(element).name}"
    high_out_of_bounds = f"high is out of bounds for {np.dtype(element).name}"

    if isinstance(low, types.Array) or isinstance(high, types.Array):
        # Arrays of bounds of any integer types: each bound as its sign and its
        # 64 bits, so that uint64 bounds above int64's range compare exactly; NumPy's checks in
        # its order, then each element drawn in [first, last] (offsets and ranges as the
        # runtime's uint64 words: a range is `last - first` modulo 2**64, exact as last >= first).
        smallest, largest = np.int64(lowest), np.uint64(highest)

        def draws_of_arrays(rng, low, high=None, size=None, dtype=None, endpoint=False):
            state = _state_address(rng)
            if size is not None:
                empty = np.empty(size, element)
                if empty.size == 0:
                    return empty
            first_negative, firsts, top_negative, tops = _bound_bits(size, low, high)
            if endpoint:
                last_negative, lasts = top_negative, tops
            else:
                last_negative, lasts = top_negative | (tops == np.uint64(0)), tops - np.uint64(1)
            # A negative value's bits, read as int64, are the value.
            if np.any(first_negative & (firsts.astype(np.int64) < smallest)):
                raise ValueError(low_out_of_bounds)
            if np.any(~last_negative & (lasts > largest)):
                raise ValueError(high_out_of_bounds)
            # first > last: of one sign when their bits are (two's complement keeps the order
            # among negatives), else when the last is the negative one.
            if np.any(((first_negative == last_negative) & (firsts > lasts)) | (~first_negative & last_negative)):
                if endpoint:
                    if not np.any(firsts):
                        raise ValueError("high < 0")
                    raise ValueError("low > high")
                if not np.any(firsts):
                    raise ValueError("high <= 0")
                raise ValueError("low >= high")
            out = np.empty(firsts.shape, element)
            ranges = lasts - firsts
            pcg64_bounded_fill_each(state, data_address(firsts), data_address(ranges), out.size, bits, data_address(out))
            return out

        return draws_of_arrays

    checked_range = _uint64_range if element == np.uint64 else _int64_range

    def draws(rng, low, high=None, size=None, dtype=None, endpoint=False):
        state = _state_address(rng)
        if size is None:
            out = np.empty(1, element)
        else:
            out = np.empty(size, element)
            # NumPy returns an empty array before looking at the bounds.
            if out.size == 0:
                return out
        first, last = checked_range(low, high, endpoint, lowest, highest, low_out_of_bounds, high_out_of_bounds)
        _bounded_fill(state, out, first, last, bits)
        if size is None:
            return out[0]
        return out

    return draws


# ---- shuffle, permutation, choice -----------------------------------------------------------


def _address_of(source):
    """The address of the state words of ``source``: a Generator, or the 1-tuple of that
    address that the samplers make (``_state_sampler``)."""


@overload(_address_of)
def _address_of_typing(source):
    if is_generator(source):
        return _state_address

    def given(source):
        return source[0]

    return given


# The deviates of a Generator as the distributions shared with the legacy functions draw them
# (``random._uniform_of``...), ``source`` a Generator or the 1-tuple of its state's address.


@register_jitable
def uniform_of_generator(source):
    return pcg64_draw(_address_of(source), KIND_RANDOM, 0, 0.0, 0.0)


@register_jitable
def normal_of_generator(source):
    return pcg64_draw(_address_of(source), KIND_STANDARD_NORMAL, 0, 0.0, 0.0)


@register_jitable
def exponential_of_generator(source):
    return pcg64_draw(_address_of(source), KIND_STANDARD_EXPONENTIAL, 0, 0.0, 0.0)


@register_jitable
def interval_of_generator(source, max):
    """``random_interval(max)`` of the Generator ``source`` (``random._interval_of``)."""
    return pcg64_interval(_address_of(source), max)


@register_jitable
def _axis_of(axis, ndim):
    """``axis`` counted from the front (``normalize_axis_index``), NumPy's ``AxisError``
    outside ``ndim`` dimensions."""
    if axis < -ndim or axis >= ndim:
        axis_error(axis, ndim)
    return axis + ndim if axis < 0 else axis


def _check_axis(name, axis):
    if _given(axis) and not isinstance(axis, types.Integer):
        raise CallRefused(f"`axis=` of `Generator.{name}()` must be an integer, not `{axis}`")


@overload_method(types.BaseTuple, "shuffle")
def shuffle(rng, x, axis=0):
    if not is_generator(rng):
        return None
    if not isinstance(x, types.Array) or x.ndim == 0:
        raise CallRefused(f"`Generator.shuffle()` takes an array of at least one dimension in compiled code, not `{x}`")
    _check_axis("shuffle", axis)
    if x.readonly:

        def read_only(rng, x, axis=0):
            raise ValueError("array is read-only")

        return read_only

    def shuffled(rng, x, axis=0):
        # NumPy shuffles the rows of the view with `axis` first.
        _shuffle_rows(rng, np.swapaxes(x, 0, _axis_of(axis, x.ndim)))

    return shuffled


@overload_method(types.BaseTuple, "permutation")
def permutation(rng, x, axis=0):
    if not is_generator(rng):
        return None
    _check_axis("permutation", axis)
    if isinstance(x, types.Integer):

        def permuted_range(rng, x, axis=0):
            out = np.arange(x)
            _shuffle_rows(rng, out)
            return out

        return permuted_range
    if not isinstance(x, types.Array) or x.ndim == 0:
        raise CallRefused(f"`Generator.permutation()` takes an integer or an array of at least one dimension, not `{x}`")

    def permuted_copy(rng, x, axis=0):
        # NumPy takes the slices along `axis` in a shuffled order of their indices (a copy of
        # a 1-d array shuffled): the draws of shuffling them in place, on a C-ordered copy.
        along = _axis_of(axis, x.ndim)
        out = np.ascontiguousarray(np.swapaxes(x, 0, along)).copy()
        _shuffle_rows(rng, out)
        return np.ascontiguousarray(np.swapaxes(out, 0, along))

    return permuted_copy


@register_jitable
def _bounded_int64(state, scratch, high):
    """``random_bounded_uint64(0, high)`` with Lemire's method, through the one-element int64
    array ``scratch``."""
    pcg64_bounded_fill(state, 0, high, 1, 64, data_address(scratch))
    return scratch[0]


@register_jitable
def _shuffle_tail(state, data, first):
    """NumPy's ``_shuffle_int``: for i from the last index down to ``first``, swap items i and
    ``random_bounded_uint64(0, i)``."""
    scratch = np.empty(1, np.int64)
    for i in range(data.size - 1, first - 1, -1):
        j = _bounded_int64(state, scratch, i)
        data[i], data[j] = data[j], data[i]


@register_jitable
def _distinct_indices(state, population, count, shuffle):
    """``count`` distinct indices below ``population`` as NumPy's Generator draws them without
    replacement and without probabilities: a partial shuffle of all indices when it takes many
    of a large population, else Floyd's algorithm with an open-addressing set of the indices
    taken, shuffled afterwards when ``shuffle``."""
    cutoff = 50 if shuffle else 20
    if population > 10000 and count > population // cutoff:
        order = np.arange(population)
        _shuffle_tail(state, order, max(population - count, 1))
        return order[population - count :].copy()
    found = np.empty(count, np.int64)
    scratch = np.empty(1, np.int64)
    # The smallest all-ones mask covering 1.2 * count (the set's size less one).
    mask = int(1.2 * count)
    for power in range(6):
        mask |= mask >> (1 << power)
    taken = np.full(mask + 1, -1, np.int64)
    for j in range(population - count, population):
        value = _bounded_int64(state, scratch, j)
        loc = value & mask
        while taken[loc] != -1 and taken[loc] != value:
            loc = (loc + 1) & mask
        if taken[loc] == -1:
            taken[loc] = value
            found[j - population + count] = value
        else:
            loc = j & mask
            while taken[loc] != -1:
                loc = (loc + 1) & mask
            taken[loc] = j
            found[j - population + count] = j
    if shuffle:
        _shuffle_tail(state, found, 1)
    return found


@register_jitable
def _checked_probabilities(p, population, tolerance):
    """``p`` as float64, checked as NumPy's Generator checks it."""
    if p.size != population:
        raise ValueError("a and p must have same size")
    probabilities = np.empty(p.size, np.float64)
    for i in range(p.size):
        probabilities[i] = p[i]
    total = _kahan_total(probabilities)
    if total != total:
        raise ValueError("Probabilities contain NaN")
    for i in range(p.size):
        if probabilities[i] < 0:
            raise ValueError("Probabilities are not non-negative")
    if abs(total - 1.0) > tolerance:
        raise ValueError("Probabilities do not sum to 1. See Notes section of docstring for more information.")
    return probabilities


def _choice_indices(rng, population, size, replace, p, shuffle, from_array):
    """The indices NumPy's ``Generator.choice`` draws from ``population`` elements, in a new
    int64 array of shape ``size`` (of one element when ``size`` is None)."""


@overload(_choice_indices)
def _choice_indices_typing(rng, population, size, replace, p, shuffle, from_array):
    tolerance = 1.4901161193847656e-08
    if isinstance(p, types.Array) and isinstance(p.dtype, types.Float):
        tolerance = max(tolerance, float(np.sqrt(np.finfo(numpy_type(p.dtype)).eps)))
    weighted = isinstance(p, types.Array)
    if weighted and p.ndim != 1:

        def not_one_dimensional(rng, population, size, replace, p, shuffle, from_array):
            # The raise sits behind a test made at run time (`p.ndim` is a constant, and the
            # code after a branch known to raise is not compiled): the function keeps the
            # return type of the other implementation, which its callers index.
            found = np.empty(1, np.int64)
            if found.size == 1:
                raise ValueError("p must be 1-dimensional")
            return found

        return not_one_dimensional

    def indices(rng, population, size, replace, p, shuffle, from_array):
        state = _state_address(rng)
        if size is None:
            found = np.empty(1, np.int64)
        else:
            found = np.empty(size, np.int64).reshape(-1)
        count = found.size
        if count != 0 and population <= 0:
            if from_array:
                raise ValueError("a cannot be empty unless no samples are taken")
            raise ValueError("a must be a positive integer unless no samples are taken")
        if weighted:
            probabilities = _checked_probabilities(p, population, tolerance)
        if not replace and count > population:
            raise ValueError("Cannot take a larger sample than population when replace is False")
        if weighted:
            _weighted_indices(rng, found, replace, probabilities)
        elif replace:
            _bounded_fill(state, found, 0, population - 1, 64)
        else:
            found[:] = _distinct_indices(state, population, count, shuffle)
        return found

    return indices


@overload_method(types.BaseTuple, "choice")
def choice(rng, a, size=None, replace=True, p=None, axis=0, shuffle=True):
    if not is_generator(rng):
        return None
    _check_size("Generator.choice", size)
    if _given(p) and not (isinstance(p, types.Array) and isinstance(p.dtype, (types.Float, types.Integer))):
        raise CallRefused(f"`p` of `Generator.choice()` must be an array of probabilities, not `{p}`")
    for parameter, value in (("replace", replace), ("shuffle", shuffle)):
        if _given(value) and not isinstance(value, types.Boolean):
            raise CallRefused(f"`{parameter}` of `Generator.choice()` must be a bool, not `{value}`")
    if _given(axis) and not isinstance(axis, types.IntegerLiteral):
        raise CallRefused("`axis=` of `Generator.choice()` must be a constant integer in compiled code", unsupported=True)
    along = axis.literal_value if _given(axis) else axis
    if isinstance(a, types.Integer):
        # NumPy ignores `axis` when choosing from a range.

        def chosen_from_range(rng, a, size=None, replace=True, p=None, axis=0, shuffle=True):
            indices = _choice_indices(rng, a, size, replace, p, shuffle, False)
            if size is None:
                return indices[0]
            return indices.reshape(size)

        return chosen_from_range
    if not isinstance(a, types.Array) or a.ndim == 0:
        raise CallRefused(f"`a` of `Generator.choice()` must be an integer or an array of at least one dimension in compiled code, not `{a}`", unsupported=True)
    if not -a.ndim <= along < a.ndim:

        def no_such_axis(rng, a, size=None, replace=True, p=None, axis=0, shuffle=True):
            # NumPy's error: it reads the population's size as `a.shape[axis]`.
            raise IndexError("tuple index out of range")

        return no_such_axis
    along %= a.ndim
    if along > 0:

        def chosen_along(rng, a, size=None, replace=True, p=None, axis=0, shuffle=True):
            # NumPy takes the slices along the axis (`a.take(indices, axis=axis)`): new arrays.
            indices = _choice_indices(rng, a.shape[along], size, replace, p, shuffle, True)
            if size is None:
                return np.take(a, indices[0], axis=along)
            return np.take(a, indices.reshape(size), axis=along)

        return chosen_along
    if a.ndim > 1:

        def chosen_rows(rng, a, size=None, replace=True, p=None, axis=0, shuffle=True):
            # NumPy takes the rows (`a.take(indices, axis=0)`): new arrays.
            indices = _choice_indices(rng, len(a), size, replace, p, shuffle, True)
            if size is None:
                return a[indices[0]].copy()
            return a[indices.reshape(size)]

        return chosen_rows

    def chosen_from_array(rng, a, size=None, replace=True, p=None, axis=0, shuffle=True):
        indices = _choice_indices(rng, len(a), size, replace, p, shuffle, True)
        if size is None:
            return a[indices[0]]
        return a[indices.reshape(size)]

    return chosen_from_array
