"""Random numbers in compiled code: ``np.random``'s legacy functions (NumPy's global
``RandomState``) and Python's ``random`` module, drawing from per-thread Mersenne Twister
streams kept by the runtime (``crates/ferrojit_runtime/src/random.rs``), as Numba does.

After ``np.random.seed(s)`` (or ``random.seed(s)``) in compiled code, a thread's stream gives
the values NumPy's ``RandomState(s)`` (CPython's ``random.Random(s)``) gives for the same calls:
the distributions below are NumPy's legacy algorithms (``legacy-distributions.c`` and
``distributions.c``) and CPython's (``random.py``), step for step, on the same 32-bit words and
53-bit doubles. The streams are the compiled code's own: seeding NumPy's or Python's generator
in Python does not seed them, nor the other way round.

The runtime calls (``seed_numpy`` ... ``c_pow``) exist only in compiled code; the first
argument of those of a stream names it (``_NUMPY`` or ``_PYTHON``).
"""

import math
import random as _python_random
import sys

import numpy as np

from .. import types
from ..extending import CallRefused, overload, register_jitable
from . import data_address
from .dtypes import numpy_type

_NUMPY = 0
_PYTHON = 1

# The distributions of the runtime's ``draw_deviate`` and ``fill_deviates`` (``random::KIND_*`` in
# ``ferrojit_runtime``), shared with Generators' ``pcg64_draw``/``pcg64_fill``: a bit
# generator's standard deviates, and NumPy's formulas on them with the parameters ``a``, ``b``.
KIND_RANDOM = 0
KIND_STANDARD_NORMAL = 1
KIND_STANDARD_EXPONENTIAL = 2
KIND_UNIFORM = 3  # a + b * random(), b the width
KIND_NORMAL = 4  # a + b * standard_normal()
KIND_EXPONENTIAL = 5  # a * standard_exponential()

# NumPy's largest legacy Poisson mean (``LEGACY_POISSON_LAM_MAX``).
_POISSON_LAM_MAX = float(np.iinfo(np.int64).max - np.sqrt(np.iinfo(np.int64).max) * 10)
# CPython's constants, computed as its module computes them.
_TWOPI = 2.0 * math.pi
_NV_MAGICCONST = 4 * math.exp(-0.5) / math.sqrt(2.0)


def _compiled_only():
    return RuntimeError("ferrojit._lib.random's runtime calls run only in compiled code")


# The runtime calls (see ``ferrojit_infer::random``): each exists only in compiled code.


def seed_numpy(stream, seed):
    """Seeds ``stream`` as NumPy's ``mt19937_seed`` does (``seed`` in [0, 2**32))."""
    raise _compiled_only()


def seed_python(stream, seed):
    """Seeds ``stream`` as CPython's ``random.seed`` does with an integer."""
    raise _compiled_only()


def seed_entropy(stream):
    """Seeds ``stream`` from the operating system's entropy."""
    raise _compiled_only()


def next_double(stream):
    """The next double in [0, 1) of ``stream``, from two words."""
    raise _compiled_only()


def draw_deviate(stream, kind, a, b):
    """A value of the distribution ``kind`` (``KIND_*``) with the parameters ``a``, ``b``, drawn
    from ``stream`` by NumPy's legacy algorithm (the standard normal deviate is the polar
    method's, the second of a pair kept for the next call)."""
    raise _compiled_only()


def fill_deviates(stream, kind, a, b, data, n):
    """Fills the ``n`` contiguous doubles at address ``data`` with the values of ``n`` calls of
    ``draw_deviate(stream, kind, a, b)``, in one call."""
    raise _compiled_only()


def bounded_fill(stream, off, rng, count, bits, out):
    """Fills the ``count`` contiguous elements of ``bits`` bits (64 or 32) at address ``out``
    with ``off + masked_interval(stream, rng)`` each, in one call."""
    raise _compiled_only()


def masked_interval(stream, max):
    """A value in ``[0, max]`` (unsigned 64 bits) by masked rejection sampling."""
    raise _compiled_only()


def getrandbits(stream, k):
    """CPython's ``getrandbits(k)``, ``k`` at most 64."""
    raise _compiled_only()


def take_gauss(stream):
    """Takes the normal deviate kept for ``stream`` (NaN when none is)."""
    raise _compiled_only()


def keep_gauss(stream, value):
    """Keeps ``value`` as ``stream``'s next normal deviate."""
    raise _compiled_only()


def c_pow(x, y):
    """``x ** y`` by the C library's ``pow``, as NumPy computes it: LLVM would rewrite a power
    whose exponent it finds constant (``u ** 2.0`` as ``u * u``, which rounds differently)."""
    raise _compiled_only()


# ---- argument checks at compile time --------------------------------------------------------


def _given(value):
    return isinstance(value, types.Type) and not isinstance(value, types.NoneType)


def _check_size(name, size):
    """``size=`` is None, an integer or a tuple of integers."""
    if not _given(size):
        return
    if isinstance(size, types.Integer) or (isinstance(size, types.BaseTuple) and all(isinstance(t, types.Integer) for t in size)):
        return
    raise CallRefused(f"`size=` of `{name}()` must be None, an integer or a tuple of integers, not `{size}`")


_REAL = (types.Boolean, types.Integer, types.Float)


def _check_real(name, **arguments):
    """The distribution's parameters are real numbers, or arrays of them (broadcast together,
    one value drawn per element, as NumPy does)."""
    for parameter, value in arguments.items():
        if isinstance(value, types.Array):
            if not isinstance(value.dtype, _REAL):
                raise CallRefused(f"`{parameter}` of `{name}()` must hold real numbers, not `{value.dtype}`")
            if value.ndim == 0:
                raise CallRefused(
                    f"`{name}()` with a 0-d array `{parameter}` is not supported in compiled code yet",
                    hint=f"pass the number it holds, `{parameter}[()]`",
                    unsupported=True,
                )
        elif isinstance(value, types.Type) and not isinstance(value, _REAL):
            raise CallRefused(f"`{parameter}` of `{name}()` must be a real number, not `{value}`")


def _no_elements(size):
    """Whether an array of shape ``size`` (an integer or a tuple of them) has no elements,
    found without making one (NumPy's error for a negative dimension is raised)."""


@overload(_no_elements)
def _no_elements_typing(size):
    if isinstance(size, types.Integer):

        def no_elements_of_length(size):
            if size < 0:
                np.empty(size, np.uint8)
            return size == 0

        return no_elements_of_length

    def no_elements_of_shape(size):
        dims = np.array(size)
        if np.any(dims < 0):
            np.empty(size, np.uint8)
        return np.any(dims == 0)

    return no_elements_of_shape


@register_jitable
def _new_flat(size, dtype):
    """A new C-ordered array of shape ``size`` and a 1-d view of its elements, in order."""
    out = np.empty(size, dtype)
    return out, out.reshape(out.size)


# ---- the generator's core ------------------------------------------------------------------


@register_jitable
def _standard_gamma(source, shape):
    """``random_standard_gamma`` (``legacy_standard_gamma`` on a stream: the same steps on
    the legacy normal and exponential deviates)."""
    if shape == 1.0:
        return _exponential_of(source)
    if shape == 0.0:
        return 0.0
    if shape < 1.0:
        while True:
            u = _uniform_of(source)
            v = _exponential_of(source)
            if u <= 1.0 - shape:
                x = c_pow(u, 1.0 / shape)
                if x <= v:
                    return x
            else:
                y = -np.log((1 - u) / shape)
                x = c_pow(1.0 - shape + shape * y, 1.0 / shape)
                if x <= v + y:
                    return x
    b = shape - 1.0 / 3.0
    c = 1.0 / np.sqrt(9 * b)
    while True:
        x = _normal_of(source)
        v = 1.0 + c * x
        while v <= 0.0:
            x = _normal_of(source)
            v = 1.0 + c * x
        v = v * v * v
        u = _uniform_of(source)
        if u < 1.0 - 0.0331 * (x * x) * (x * x):
            return b * v
        if np.log(u) < 0.5 * x * x + b * (1.0 - v + np.log(v)):
            return b * v


@register_jitable
def _beta(_source, a, b):
    """``legacy_beta``: Johnk's algorithm for both parameters at most 1, else two gammas."""
    if a <= 1.0 and b <= 1.0:
        while True:
            u = next_double(_NUMPY)
            v = next_double(_NUMPY)
            x = c_pow(u, 1.0 / a)
            y = c_pow(v, 1.0 / b)
            if x + y <= 1.0:
                if x + y > 0:
                    return x / (x + y)
                log_x = np.log(u) / a
                log_y = np.log(v) / b
                log_m = log_x if log_x > log_y else log_y
                log_x -= log_m
                log_y -= log_m
                return np.exp(log_x - np.log(np.exp(log_x) + np.exp(log_y)))
    ga = _standard_gamma(_NUMPY, a)
    gb = _standard_gamma(_NUMPY, b)
    return ga / (ga + gb)


_LOGGAM_COEFFICIENTS = np.array(
    [
        8.333333333333333e-02, -2.777777777777778e-03, 7.936507936507937e-04, -5.952380952380952e-04, 8.417508417508418e-04,
        -1.917526917526918e-03, 6.410256410256410e-03, -2.955065359477124e-02, 1.796443723688307e-01, -1.39243221690590e00,
    ]
)


@register_jitable
def _loggam(x):
    """``random_loggam``: log(gamma(x)) by Stirling's series."""
    if x == 1.0 or x == 2.0:
        return 0.0
    n = int(7 - x) if x < 7.0 else 0
    x0 = x + n
    x2 = (1.0 / x0) * (1.0 / x0)
    gl0 = _LOGGAM_COEFFICIENTS[9]
    for k in range(8, -1, -1):
        gl0 *= x2
        gl0 += _LOGGAM_COEFFICIENTS[k]
    gl = gl0 / x0 + 0.5 * 1.8378770664093453 + (x0 - 0.5) * np.log(x0) - x0
    if x < 7.0:
        for k in range(n):
            gl -= np.log(x0 - 1.0)
            x0 -= 1.0
    return gl


@register_jitable
def _poisson(source, lam, _b):
    """``random_poisson``: PTRS for a mean of 10 or more, else multiplication of uniforms."""
    if lam >= 10:
        slam = np.sqrt(lam)
        loglam = np.log(lam)
        b = 0.931 + 2.53 * slam
        a = -0.059 + 0.02483 * b
        invalpha = 1.1239 + 1.1328 / (b - 3.4)
        vr = 0.9277 - 3.6224 / (b - 2)
        while True:
            u = _uniform_of(source) - 0.5
            v = _uniform_of(source)
            us = 0.5 - abs(u)
            k = int(math.floor((2 * a / us + b) * u + lam + 0.43))
            if us >= 0.07 and v <= vr:
                return k
            if k < 0 or (us < 0.013 and v > us):
                continue
            if np.log(v) + np.log(invalpha) - np.log(a / (us * us) + b) <= -lam + k * loglam - _loggam(k + 1.0):
                return k
    if lam == 0:
        return 0
    enlam = np.exp(-lam)
    x = 0
    prod = 1.0
    while True:
        prod *= _uniform_of(source)
        if prod > enlam:
            x += 1
        else:
            return x


@register_jitable
def _binomial_inversion(source, n, p, corrected):
    """``random_binomial_inversion`` (``corrected``, Generators') or
    ``legacy_random_binomial_inversion``, which differ in how they take ``(1 - p) ** n``."""
    q = 1.0 - p
    qn = np.exp(n * np.log1p(-p)) if corrected else np.exp(n * np.log(q))
    np_ = n * p
    bound = int(min(n, np_ + 10.0 * np.sqrt(np_ * q + 1)))
    x = 0
    px = qn
    u = _uniform_of(source)
    while u > px:
        x += 1
        if x > bound:
            x = 0
            px = qn
            u = _uniform_of(source)
        else:
            u -= px
            px = ((n - x + 1) * p * px) / (x * q)
    return x


@register_jitable
def _stirling_term(value, leading):
    """One of the error terms of Stirling's approximation in BTPE's bound (``leading`` is
    13860, or the legacy version's 13680)."""
    square = value * value
    return (leading - (462.0 - (132.0 - (99.0 - 140.0 / square) / square) / square) / square) / value / 166320.0


@register_jitable
def _binomial_btpe(source, n, p, corrected):
    """``random_binomial_btpe``, its steps as a loop that draws again (``Step10``) until a
    value is accepted: ``corrected``, Generators' (the last two error terms of the bound
    subtracted, as the corrected algorithm has it), else ``legacy_random_binomial_btpe`` (all
    four added, its first constant 13680)."""
    r = min(p, 1.0 - p)
    q = 1.0 - r
    fm = n * r + r
    m = int(math.floor(fm))
    p1 = math.floor(2.195 * np.sqrt(n * r * q) - 4.6 * q) + 0.5
    xm = m + 0.5
    xl = xm - p1
    xr = xm + p1
    c = 0.134 + 20.5 / (15.3 + m)
    a = (fm - xl) / (fm - xl * r)
    laml = a * (1.0 + a / 2.0)
    a = (xr - fm) / (xr * q)
    lamr = a * (1.0 + a / 2.0)
    p2 = p1 * (1.0 + 2.0 * c)
    p3 = p2 + c / laml
    p4 = p3 + c / lamr
    nrq = n * r * q
    while True:
        u = _uniform_of(source) * p4
        v = _uniform_of(source)
        if u <= p1:
            y = int(math.floor(xm - p1 * v + u))
            break
        if u <= p2:
            x = xl + (u - p1) / c
            v = v * c + 1.0 - abs(m - x + 0.5) / p1
            if v > 1.0:
                continue
            y = int(math.floor(x))
        elif u <= p3:
            y = int(math.floor(xl + np.log(v) / laml))
            if y < 0 or v == 0.0:
                continue
            v = v * (u - p2) * laml
        else:
            y = int(math.floor(xr - np.log(v) / lamr))
            if y > n or v == 0.0:
                continue
            v = v * (u - p3) * lamr
        k = abs(y - m)
        if not (k > 20 and k < nrq / 2.0 - 1):
            s = r / q
            a = s * (n + 1)
            f = 1.0
            if m < y:
                for i in range(m + 1, y + 1):
                    f *= a / i - s
            elif m > y:
                for i in range(y + 1, m + 1):
                    f /= a / i - s
            if v > f:
                continue
            break
        rho = (k / nrq) * ((k * (k / 3.0 + 0.625) + 0.16666666666666666) / nrq + 0.5)
        t = -k * k / (2 * nrq)
        big_a = np.log(v)
        if big_a < t - rho:
            break
        if big_a > t + rho:
            continue
        x1 = y + 1.0
        f1 = m + 1.0
        z = n + 1.0 - m
        w = n - y + 1.0
        bound = xm * np.log(f1 / x1) + (n - m + 0.5) * np.log(z / w) + (y - m) * np.log(w * r / (x1 * q))
        if corrected:
            bound = bound + _stirling_term(f1, 13860.0) + _stirling_term(z, 13860.0) - _stirling_term(x1, 13860.0) - _stirling_term(w, 13860.0)
        else:
            bound = bound + _stirling_term(f1, 13680.0) + _stirling_term(z, 13680.0) + _stirling_term(x1, 13680.0) + _stirling_term(w, 13680.0)
        if big_a > bound:
            continue
        break
    if p > 0.5:
        y = n - y
    return y


@register_jitable
def _binomial_of(source, n, p, corrected):
    """``random_binomial`` (``corrected``, Generators': nothing drawn when ``n`` or ``p`` is 0)
    or ``legacy_random_binomial``."""
    if corrected and (n == 0 or p == 0.0):
        return 0
    if p <= 0.5:
        if p * n <= 30.0:
            return _binomial_inversion(source, n, p, corrected)
        return _binomial_btpe(source, n, p, corrected)
    q = 1.0 - p
    if q * n <= 30.0:
        return n - _binomial_inversion(source, n, q, corrected)
    return n - _binomial_btpe(source, n, q, corrected)


@register_jitable
def _binomial(source, n, p):
    """``legacy_random_binomial``."""
    return _binomial_of(source, n, p, False)


@register_jitable
def _geometric_search(source, p):
    """``random_geometric_search``, for p >= 1/3."""
    x = 1
    total = prod = p
    q = 1.0 - p
    u = _uniform_of(source)
    while u > total:
        prod *= q
        total += prod
        x += 1
    return x


@register_jitable
def _geometric(source, p, _b):
    """``legacy_random_geometric``: search for p >= 1/3, else inversion."""
    if p >= 0.333333333333333333333333:
        return _geometric_search(source, p)
    return int(math.ceil(np.log1p(-_uniform_of(source)) / np.log(1 - p)))


@register_jitable
def _laplace(source, loc, scale):
    """``random_laplace`` (a draw of 0 is rejected)."""
    u = _uniform_of(source)
    while u == 0.0:
        u = _uniform_of(source)
    if u >= 0.5:
        return loc - scale * np.log(2.0 - u - u)
    return loc + scale * np.log(u + u)


@register_jitable
def _logistic(source, loc, scale):
    """``random_logistic`` (a draw of 0 is rejected)."""
    u = _uniform_of(source)
    while u == 0.0:
        u = _uniform_of(source)
    return loc + scale * np.log(u / (1.0 - u))


@register_jitable
def _triangular_of(source, left, mode, right):
    """``random_triangular``: the inverse of the distribution function, two branches at the
    mode (one deviate of ``source``, as ``_uniform_of``)."""
    base = right - left
    left_base = mode - left
    ratio = left_base / base
    left_prod = left_base * base
    right_prod = (right - mode) * base
    u = _uniform_of(source)
    if u <= ratio:
        return left + np.sqrt(u * left_prod)
    return right - np.sqrt((1.0 - u) * right_prod)


@register_jitable
def _triangular(left, mode, right):
    return _triangular_of(_NUMPY, left, mode, right)


@register_jitable
def _check_triangular(left, mode, right):
    """NumPy's checks of a triangular distribution's parameters (numbers or arrays)."""
    _refuse(left > mode, "left > mode")
    _refuse(mode > right, "mode > right")
    _refuse(left == right, "left == right")


@register_jitable
def _standard_t(source, df, _b):
    num = _normal_of(source)
    denom = _standard_gamma(source, df / 2)
    return np.sqrt(df / 2) * num / np.sqrt(denom)


# ---- parameter checks when the call runs (NumPy's messages) ---------------------------------


def _non_negative(value, message):
    """NumPy's ``CONS_NON_NEGATIVE``: a value (of an array, any) with its sign bit set, -0.0
    included, is refused with ``ValueError(message)``; NaN passes."""


def _positive(value, message):
    """NumPy's ``CONS_POSITIVE``: a value (of an array, any) not above 0 is refused."""


def _require(condition, message):
    """Raises ``ValueError(message)`` unless ``condition`` holds (of a boolean array, every
    element: NaN parameters fail the comparisons NumPy makes them fail)."""


def _refuse(condition, message):
    """Raises ``ValueError(message)`` when ``condition`` holds (of a boolean array, any
    element)."""


@overload(_non_negative)
def _non_negative_typing(value, message):
    if isinstance(value, types.Array):

        def check_all(value, message):
            for v in value.flat:
                if v == v and math.copysign(1.0, v) < 0:
                    raise ValueError(message)

        return check_all

    def check(value, message):
        if value == value and math.copysign(1.0, value) < 0:
            raise ValueError(message)

    return check


@overload(_positive)
def _positive_typing(value, message):
    if isinstance(value, types.Array):

        def check_all(value, message):
            for v in value.flat:
                if v <= 0:
                    raise ValueError(message)

        return check_all

    def check(value, message):
        if value <= 0:
            raise ValueError(message)

    return check


@overload(_require)
def _require_typing(condition, message):
    if isinstance(condition, types.Array):

        def require_all(condition, message):
            for holds in condition.flat:
                if not holds:
                    raise ValueError(message)

        return require_all

    def require(condition, message):
        if not condition:
            raise ValueError(message)

    return require


@overload(_refuse)
def _refuse_typing(condition, message):
    if isinstance(condition, types.Array):

        def refuse_any(condition, message):
            for holds in condition.flat:
                if holds:
                    raise ValueError(message)

        return refuse_any

    def refuse(condition, message):
        if condition:
            raise ValueError(message)

    return refuse


def _nan_message(name, parameters):
    """NumPy's wording for NaN among a parameter's values: "is NaN" of a number, "contains
    NaNs" of an array."""
    return f"{name} contains NaNs" if isinstance(parameters, types.Array) else f"{name} is NaN"


# ---- np.random: seeding, uniform and normal -------------------------------------------------


@overload(np.random.seed)
def np_seed(seed=None):
    if isinstance(seed, (types.Integer, types.Boolean)):

        def seed_with(seed=None):
            if seed < 0 or seed > 4294967295:
                raise ValueError("Seed must be between 0 and 2**32 - 1")
            seed_numpy(_NUMPY, seed)

        return seed_with
    if not _given(seed):

        def seed_fresh(seed=None):
            seed_entropy(_NUMPY)

        return seed_fresh
    raise CallRefused(f"`np.random.seed()` takes an integer or None in compiled code, not `{seed}`", unsupported=True)


def _sampler(draw, dtype, fill=None):
    """``sample(size, a, b, c)``: ``draw(a, b, c)`` (a distribution's parameters, padded to
    three with zeros: the draws take three, the unused ones named ``_``, ``_b``, ``_c``) once
    when ``size`` is None and the parameters are numbers, else once per element of a new array
    holding ``dtype``, in C order: of shape ``size``, or that of the parameters broadcast
    together, each element drawn with the parameters' values there. One per distribution,
    compiled per signature. Generators' samplers (``generator``) pass their state's address as
    ``c``.

    ``fill(flat, a, b, c)``, when given, fills the new 1-d array ``flat`` with the values of as
    many calls of ``draw(a, b, c)``, in one runtime call (the distributions the runtime draws
    in bulk): an array of numbers' draws is then made at the speed of NumPy's own loop."""
    if fill is None:
        fill = _fill_by_draws(draw)

    def sample(size, a, b, c):
        pass

    @overload(sample)
    def sample_typing(size, a, b, c):
        if any(isinstance(x, types.Array) for x in (a, b, c)):

            def sample_broadcast(size, a, b, c):
                full_a, full_b, full_c = _broadcast_parameters(size, a, b, c)
                out, flat = _new_flat(full_a.shape, dtype)
                flat_a, flat_b, flat_c = full_a.reshape(out.size), full_b.reshape(out.size), full_c.reshape(out.size)
                for i in range(out.size):
                    flat[i] = draw(flat_a[i], flat_b[i], flat_c[i])
                return out

            return sample_broadcast

        def sample_numbers(size, a, b, c):
            if size is None:
                return draw(a, b, c)
            out, flat = _new_flat(size, dtype)
            fill(flat, a, b, c)
            return out

        return sample_numbers

    return sample


def _fill_by_draws(draw):
    """The ``fill`` of a sampler whose draws the runtime makes one at a time."""

    @register_jitable
    def fill_each(flat, a, b, c):
        for i in range(flat.size):
            flat[i] = draw(a, b, c)

    return fill_each


@register_jitable
def _broadcast_parameters(size, a, b, c):
    """The parameters as new arrays of one shape, ``size`` or else that of the parameters
    broadcast together (integers stay integers)."""
    if size is None:
        zeros = np.zeros((a * 0 + b * 0 + c * 0).shape, np.int64)
    else:
        zeros = np.zeros(size, np.int64)
    full_a, full_b, full_c = a + zeros, b + zeros, c + zeros
    if full_a.shape != zeros.shape or full_b.shape != zeros.shape or full_c.shape != zeros.shape:
        raise ValueError("Output size is not compatible with broadcast dimensions of inputs")
    return full_a, full_b, full_c


def _runtime_sampler(kind):
    """The sampler of the distribution ``kind`` (``KIND_*``, its parameters ``a`` and ``b``),
    which the runtime draws from ``np.random``'s stream one value at a time or a whole array in
    one call."""

    @register_jitable
    def draw_one(a, b, _c):
        return draw_deviate(_NUMPY, kind, a, b)

    @register_jitable
    def fill_all(flat, a, b, _c):
        fill_deviates(_NUMPY, kind, a, b, data_address(flat), flat.size)

    return _sampler(draw_one, np.float64, fill_all)


_sample_random = _runtime_sampler(KIND_RANDOM)
_sample_uniform = _runtime_sampler(KIND_UNIFORM)  # (low, width)
_sample_normal = _runtime_sampler(KIND_NORMAL)  # (loc, scale)
_sample_exponential = _runtime_sampler(KIND_EXPONENTIAL)  # (scale,)


@register_jitable
def _lognormal(source, mean, sigma):
    return np.exp(mean + sigma * _normal_of(source))


@register_jitable
def _gamma(source, shape, scale):
    return scale * _standard_gamma(source, shape)


@register_jitable
def _chisquare(source, df, _b):
    return 2.0 * _standard_gamma(source, df / 2.0)


def _stream_sampler(distribution, dtype):
    """The sampler of ``distribution(source, a, b)`` drawn from ``np.random``'s stream."""

    @register_jitable
    def draw_one(a, b, _c):
        return distribution(_NUMPY, a, b)

    return _sampler(draw_one, dtype)


@register_jitable
def _draw_bounded(first, width, _):
    """``first + random_interval(width)`` (``width`` read as unsigned 64 bits)."""
    return first + masked_interval(_NUMPY, width)


@register_jitable
def _fill_bounded(flat, first, width, _):
    bounded_fill(_NUMPY, first, width, flat.size, flat.itemsize * 8, data_address(flat))


_sample_lognormal = _stream_sampler(_lognormal, np.float64)
_sample_gamma = _stream_sampler(_gamma, np.float64)
_sample_chisquare = _stream_sampler(_chisquare, np.float64)
_sample_beta = _stream_sampler(_beta, np.float64)
_sample_standard_t = _stream_sampler(_standard_t, np.float64)
_sample_laplace = _stream_sampler(_laplace, np.float64)
_sample_logistic = _stream_sampler(_logistic, np.float64)
_sample_triangular = _sampler(_triangular, np.float64)
_sample_poisson = _stream_sampler(_poisson, np.int64)
_sample_binomial = _stream_sampler(_binomial, np.int64)
_sample_geometric = _stream_sampler(_geometric, np.int64)


def _without_parameters(name, sample):
    """The typing function of ``np.random.random``, ``random_sample`` (``sample`` uniform on
    [0, 1)) or ``standard_normal``."""

    def typing(size=None):
        _check_size(name, size)

        def draws(size=None):
            return sample(size, 0.0, 1.0, 0.0)

        return draws

    return typing


overload(np.random.random)(_without_parameters("np.random.random", _sample_random))
overload(np.random.random_sample)(_without_parameters("np.random.random_sample", _sample_random))
overload(np.random.standard_normal)(_without_parameters("np.random.standard_normal", _sample_normal))


@register_jitable
def _uniform_array(shape):
    return _sample_random(shape, 0.0, 0.0, 0.0)


@register_jitable
def _normal_array(shape):
    return _sample_normal(shape, 0.0, 1.0, 0.0)


def _by_dimensions(name, draw_one, draw_array):
    """The typing function of ``np.random.rand`` or ``randn``, which take the dimensions as
    separate arguments (at most four in compiled code): one value for none."""

    def typing(*dims):
        for d in dims:
            if not isinstance(d, types.Integer):
                raise CallRefused(f"the dimensions given to `{name}()` must be integers, not `{d}`")
        if len(dims) > 4:
            raise CallRefused(f"`{name}()` takes at most four dimensions in compiled code", hint="use `size=` of `np.random.random` or `np.random.standard_normal`", unsupported=True)
        if len(dims) == 0:
            return _draw_without_dimensions(draw_one)

        def one_dim(d0):
            return draw_array((d0,))

        def two_dims(d0, d1):
            return draw_array((d0, d1))

        def three_dims(d0, d1, d2):
            return draw_array((d0, d1, d2))

        def four_dims(d0, d1, d2, d3):
            return draw_array((d0, d1, d2, d3))

        return (one_dim, two_dims, three_dims, four_dims)[len(dims) - 1]

    return typing


def _draw_without_dimensions(draw_one):
    def no_dims():
        return draw_one()

    return no_dims


@register_jitable
def _one_uniform():
    return next_double(_NUMPY)


@register_jitable
def _one_normal():
    return draw_deviate(_NUMPY, KIND_STANDARD_NORMAL, 0.0, 0.0)


overload(np.random.rand)(_by_dimensions("np.random.rand", _one_uniform, _uniform_array))
overload(np.random.randn)(_by_dimensions("np.random.randn", _one_normal, _normal_array))


def _require_finite(width):
    """``np.random.uniform``'s ``OverflowError`` for an infinite or NaN width (of an array,
    any)."""


@overload(_require_finite)
def _require_finite_typing(width):
    if isinstance(width, types.Array):

        def require_all(width):
            for w in width.flat:
                if not math.isfinite(w):
                    raise OverflowError("Range exceeds valid bounds")

        return require_all

    def require(width):
        if not math.isfinite(width):
            raise OverflowError("Range exceeds valid bounds")

    return require


@overload(np.random.uniform)
def uniform(low=0.0, high=1.0, size=None):
    _check_real("np.random.uniform", low=low, high=high)
    _check_size("np.random.uniform", size)

    def draws(low=0.0, high=1.0, size=None):
        # NumPy takes the bounds as doubles first.
        width = (high + 0.0) - (low + 0.0)
        _require_finite(width)
        return _sample_uniform(size, low, width, 0.0)

    return draws


# The result types of `np.random.randint` whose draws are 32- or 64-bit words masked to the
# range: NumPy's smaller types draw from a buffer of words, not supported here.
_RANDINT_TYPES = {np.int64: (-(2**63), 2**63 - 1), np.int32: (-(2**31), 2**31 - 1), np.uint32: (0, 2**32 - 1), np.uint64: (0, 2**63 - 1)}


_sample_bounded = {element: _sampler(_draw_bounded, element, _fill_bounded) for element in _RANDINT_TYPES}


@overload(np.random.randint)
def randint(low, high=None, size=None, dtype=int):
    for parameter, value in (("low", low), ("high", high)):
        if _given(value) and not isinstance(value, (types.Integer, types.Boolean)):
            raise CallRefused(f"`{parameter}` of `np.random.randint()` must be an integer in compiled code, not `{value}`", unsupported=isinstance(value, types.Array))
    _check_size("np.random.randint", size)
    element = numpy_type(dtype.dtype) if isinstance(dtype, types.DTypeSpec) else np.int64 if dtype in (int, None) else None
    if element not in _RANDINT_TYPES:
        raise CallRefused(
            "`dtype=` of `np.random.randint()` must be int64, int32, uint32 or uint64 in compiled code",
            hint="the other integer types are not supported yet",
            unsupported=True,
        )
    lowest, highest = _RANDINT_TYPES[element]
    sample = _sample_bounded[element]
    # NumPy's bounds checks, on the closed range [low, high - 1].
    low_out_of_bounds = f"low is out of bounds for {np.dtype(element).name}"
    high_out_of_bounds = f"high is out of bounds for {np.dtype(element).name}"

    def draws(low, high=None, size=None, dtype=None):
        if size is not None:
            # NumPy returns an empty array before looking at the bounds.
            if _no_elements(size):
                return np.empty(size, element)
        if high is None:
            first = 0
            last = low - 1
        else:
            first = low
            last = high - 1
        if first < lowest:
            raise ValueError(low_out_of_bounds)
        if last > highest:
            raise ValueError(high_out_of_bounds)
        if first > last:
            if first == 0:
                raise ValueError("high <= 0")
            raise ValueError("low >= high")
        if size is None:
            return element(_draw_bounded(first, last - first, 0))
        return sample(size, first, last - first, 0)

    return draws


# ---- np.random: the other distributions -----------------------------------------------------
# Each checks its parameters as NumPy does when the call runs (with NumPy's messages), then
# samples.


@overload(np.random.lognormal)
def lognormal(mean=0.0, sigma=1.0, size=None):
    _check_real("np.random.lognormal", mean=mean, sigma=sigma)
    _check_size("np.random.lognormal", size)

    def draws(mean=0.0, sigma=1.0, size=None):
        _non_negative(sigma, "sigma < 0")
        return _sample_lognormal(size, mean, sigma, 0.0)

    return draws


@overload(np.random.exponential)
def exponential(scale=1.0, size=None):
    _check_real("np.random.exponential", scale=scale)
    _check_size("np.random.exponential", size)

    def draws(scale=1.0, size=None):
        _non_negative(scale, "scale < 0")
        return _sample_exponential(size, scale, 0.0, 0.0)

    return draws


@overload(np.random.poisson)
def poisson(lam=1.0, size=None):
    _check_real("np.random.poisson", lam=lam)
    _check_size("np.random.poisson", size)

    if isinstance(lam, types.Array):

        def draws_of_array(lam=1.0, size=None):
            # NumPy's order for arrays: a NaN is "too large".
            _require(lam <= _POISSON_LAM_MAX, "lam value too large")
            _require(lam >= 0, "lam < 0 or lam contains NaNs")
            return _sample_poisson(size, lam, 0.0, 0.0)

        return draws_of_array

    def draws(lam=1.0, size=None):
        _require(lam >= 0, "lam < 0 or lam is NaN")
        _require(lam <= _POISSON_LAM_MAX, "lam value too large")
        return _sample_poisson(size, lam, 0.0, 0.0)

    return draws


@overload(np.random.binomial)
def binomial(n, p, size=None):
    _check_real("np.random.binomial", n=n, p=p)
    if isinstance(n.dtype if isinstance(n, types.Array) else n, types.Float):
        raise CallRefused(f"`n` of `np.random.binomial()` must be integers in compiled code, not `{n}`", unsupported=True)
    _check_size("np.random.binomial", size)
    p_message = f"p < 0, p > 1 or {_nan_message('p', p)}"

    def draws(n, p, size=None):
        _require((p >= 0) & (p <= 1), p_message)
        _refuse(n < 0, "n < 0")
        return _sample_binomial(size, n, p, 0.0)

    return draws


@overload(np.random.geometric)
def geometric(p, size=None):
    _check_real("np.random.geometric", p=p)
    _check_size("np.random.geometric", size)

    def draws(p, size=None):
        _require((p > 0) & (p <= 1), "p <= 0, p > 1 or p contains NaNs")
        return _sample_geometric(size, p, 0.0, 0.0)

    return draws


@overload(np.random.gamma)
def gamma(shape, scale=1.0, size=None):
    _check_real("np.random.gamma", shape=shape, scale=scale)
    _check_size("np.random.gamma", size)

    def draws(shape, scale=1.0, size=None):
        _non_negative(shape, "shape < 0")
        _non_negative(scale, "scale < 0")
        return _sample_gamma(size, shape, scale, 0.0)

    return draws


@overload(np.random.beta)
def beta(a, b, size=None):
    _check_real("np.random.beta", a=a, b=b)
    _check_size("np.random.beta", size)

    def draws(a, b, size=None):
        _positive(a, "a <= 0")
        _positive(b, "b <= 0")
        return _sample_beta(size, a, b, 0.0)

    return draws


def _degrees_of_freedom(name, sample):
    """The typing function of ``np.random.chisquare`` or ``standard_t``."""

    def typing(df, size=None):
        _check_real(name, df=df)
        _check_size(name, size)

        def draws(df, size=None):
            _positive(df, "df <= 0")
            return sample(size, df, 0.0, 0.0)

        return draws

    return typing


overload(np.random.chisquare)(_degrees_of_freedom("np.random.chisquare", _sample_chisquare))
overload(np.random.standard_t)(_degrees_of_freedom("np.random.standard_t", _sample_standard_t))


def _location_scale(name, sample):
    """The typing function of ``np.random.normal``, ``laplace`` or ``logistic``."""

    def typing(loc=0.0, scale=1.0, size=None):
        _check_real(name, loc=loc, scale=scale)
        _check_size(name, size)

        def draws(loc=0.0, scale=1.0, size=None):
            _non_negative(scale, "scale < 0")
            return sample(size, loc, scale, 0.0)

        return draws

    return typing


overload(np.random.normal)(_location_scale("np.random.normal", _sample_normal))
overload(np.random.laplace)(_location_scale("np.random.laplace", _sample_laplace))
overload(np.random.logistic)(_location_scale("np.random.logistic", _sample_logistic))


@overload(np.random.triangular)
def triangular(left, mode, right, size=None):
    _check_real("np.random.triangular", left=left, mode=mode, right=right)
    _check_size("np.random.triangular", size)

    def draws(left, mode, right, size=None):
        _check_triangular(left, mode, right)
        return _sample_triangular(size, left, mode, right)

    return draws


# ---- np.random: shuffle, permutation, choice ------------------------------------------------


def _uniform_of(source):
    """The next double in [0, 1) of ``source``: a stream of this module (``_NUMPY``), or a
    ``np.random.default_rng`` Generator or the 1-tuple of its state's address (see
    ``generator``)."""


@overload(_uniform_of)
def _uniform_of_typing(source):
    if isinstance(source, types.Integer):

        def of_stream(source):
            return next_double(source)

        return of_stream
    from .generator import uniform_of_generator

    return uniform_of_generator


def _standard_deviate_of(kind, of_generator):
    """``deviate_of(source)``: a deviate of the standard distribution ``kind`` drawn from
    ``source`` (as ``_uniform_of``), by the legacy algorithm of a stream (the polar method's
    normal, ``-log(1 - u)``) or the one of a Generator (``generator.<of_generator>``, the
    ziggurat's)."""

    def deviate_of(source):
        pass

    @overload(deviate_of)
    def deviate_of_typing(source):
        if isinstance(source, types.Integer):

            def of_stream(source):
                return draw_deviate(source, kind, 0.0, 0.0)

            return of_stream
        from . import generator

        return getattr(generator, of_generator)

    return deviate_of


_normal_of = _standard_deviate_of(KIND_STANDARD_NORMAL, "normal_of_generator")
_exponential_of = _standard_deviate_of(KIND_STANDARD_EXPONENTIAL, "exponential_of_generator")


def _interval_of(source, max):
    """NumPy's ``random_interval(max)`` drawn from ``source`` (as ``_uniform_of``)."""


@overload(_interval_of)
def _interval_of_typing(source, max):
    if isinstance(source, types.Integer):

        def of_stream(source, max):
            return masked_interval(source, max)

        return of_stream
    from .generator import interval_of_generator

    return interval_of_generator


def _shuffle_rows(source, x):
    """NumPy's shuffle along the first axis, legacy and Generator's alike: for i from the last
    row down to 1, swap rows i and ``random_interval(i)`` of ``source`` (nothing is drawn for an
    empty array)."""


@overload(_shuffle_rows)
def _shuffle_rows_typing(source, x):
    if x.ndim == 1:

        def shuffle_items(source, x):
            if x.size == 0:
                return
            for i in range(len(x) - 1, 0, -1):
                j = _interval_of(source, i)
                x[i], x[j] = x[j], x[i]

        return shuffle_items

    def shuffle_rows(source, x):
        if x.size == 0:
            return
        for i in range(len(x) - 1, 0, -1):
            j = _interval_of(source, i)
            if i != j:
                row = x[j].copy()
                x[j] = x[i]
                x[i] = row

    return shuffle_rows


@overload(np.random.shuffle)
def shuffle(x):
    if not isinstance(x, types.Array) or x.ndim == 0:
        raise CallRefused(f"`np.random.shuffle()` takes an array of at least one dimension in compiled code, not `{x}`")

    def shuffled(x):
        _shuffle_rows(_NUMPY, x)

    return shuffled


@overload(np.random.permutation)
def permutation(x):
    if isinstance(x, types.Integer):

        def permuted_range(x):
            out = np.arange(x)
            _shuffle_rows(_NUMPY, out)
            return out

        return permuted_range
    if not isinstance(x, types.Array) or x.ndim == 0:
        raise CallRefused(f"`np.random.permutation()` takes an integer or an array of at least one dimension, not `{x}`")

    def permuted_copy(x):
        out = x.copy()
        _shuffle_rows(_NUMPY, out)
        return out

    return permuted_copy


@register_jitable
def _search_right(cdf, value):
    """The index ``np.searchsorted(cdf, value, side='right')`` gives."""
    low = 0
    high = cdf.size
    while low < high:
        middle = (low + high) // 2
        if value < cdf[middle]:
            high = middle
        else:
            low = middle + 1
    return low


@register_jitable
def _normalised_cdf(p):
    """``cdf = p.cumsum(); cdf /= cdf[-1]``, as NumPy's legacy ``choice`` makes it."""
    cdf = np.empty(p.size, np.float64)
    total = 0.0
    for i in range(p.size):
        total += p[i]
        cdf[i] = total
    last = cdf[p.size - 1]
    for i in range(p.size):
        cdf[i] /= last
    return cdf


@register_jitable
def _kahan_total(p):
    """The sum of the 1-d ``p`` in float64 by Kahan's compensated summation, as NumPy's checks
    of choice probabilities (legacy and Generator) add them."""
    total = 0.0
    correction = 0.0
    for i in range(p.size):
        y = p[i] - correction
        t = total + y
        correction = (t - total) - y
        total = t
    return total


@register_jitable
def _check_probabilities(p, population):
    if p.ndim != 1:
        raise ValueError("'p' must be 1-dimensional")
    if p.size != population:
        raise ValueError("'a' and 'p' must have same size")
    total = _kahan_total(p)
    if total != total:
        raise ValueError("probabilities contain NaN")
    for i in range(p.size):
        if p[i] < 0:
            raise ValueError("probabilities are not non-negative")
    if abs(total - 1.0) > 1.4901161193847656e-08:
        raise ValueError("probabilities do not sum to 1")


@register_jitable
def _weighted_indices(source, found, replace, p):
    """Fills ``found`` with the indices NumPy's ``choice`` (legacy and Generator's alike) draws
    from ``source`` (as ``_uniform_of``) with the probabilities ``p``, checked: by the
    normalised cumulative sums of ``p``; without replacement, in rounds that draw one uniform
    per index still wanted and keep the first occurrence of each new index they select, in
    order."""
    count = found.size
    if replace:
        cdf = _normalised_cdf(p)
        for i in range(count):
            found[i] = _search_right(cdf, _uniform_of(source))
        return
    nonzero = 0
    for i in range(p.size):
        if p[i] > 0:
            nonzero += 1
    if nonzero < count:
        raise ValueError("Fewer non-zero entries in p than size")
    weights = np.empty(p.size, np.float64)
    weights[:] = p
    chosen = 0
    while chosen < count:
        wanted = count - chosen
        draws = np.empty(wanted, np.float64)
        for i in range(wanted):
            draws[i] = _uniform_of(source)
        for i in range(chosen):
            weights[found[i]] = 0.0
        cdf = _normalised_cdf(weights)
        seen = np.zeros(p.size, np.bool_)
        for i in range(wanted):
            index = _search_right(cdf, draws[i])
            if not seen[index]:
                seen[index] = True
                found[chosen] = index
                chosen += 1


@register_jitable
def _choice_indices(population, size, replace, p, from_array):
    """The indices NumPy's legacy ``choice`` draws from ``population`` elements, in a new int64
    array of shape ``size`` (of one element when ``size`` is None)."""
    if size is None:
        found = np.empty(1, np.int64)
    else:
        found = np.empty(size, np.int64).reshape(-1)
    count = found.size
    if count != 0 and population <= 0:
        if from_array:
            raise ValueError("'a' cannot be empty unless no samples are taken")
        raise ValueError("a must be greater than 0 unless no samples are taken")
    if not replace:
        if count > population:
            raise ValueError("Cannot take a larger sample than population when 'replace=False'")
    _fill_indices(found, population, replace, p)
    return found


def _fill_indices(found, population, replace, p):
    """Fills ``found`` with indices below ``population`` drawn as NumPy's legacy ``choice``
    draws them, uniformly (``p`` None) or with the probabilities ``p``."""


@overload(_fill_indices)
def _fill_indices_typing(found, population, replace, p):
    if isinstance(p, types.Array):

        def weighted(found, population, replace, p):
            _check_probabilities(p, population)
            _weighted_indices(_NUMPY, found, replace, p)

        return weighted

    def uniform(found, population, replace, p):
        if replace:
            for i in range(found.size):
                found[i] = masked_interval(_NUMPY, population - 1)
        else:
            # NumPy permutes the whole population and keeps the first indices.
            order = np.arange(population)
            _shuffle_rows(_NUMPY, order)
            found[:] = order[: found.size]

    return uniform


@overload(np.random.choice)
def choice(a, size=None, replace=True, p=None):
    _check_size("np.random.choice", size)
    if _given(p) and not (isinstance(p, types.Array) and isinstance(p.dtype, (types.Float, types.Integer))):
        raise CallRefused(f"`p` of `np.random.choice()` must be an array of probabilities, not `{p}`")
    if _given(replace) and not isinstance(replace, types.Boolean):
        raise CallRefused(f"`replace` of `np.random.choice()` must be a bool, not `{replace}`")
    if isinstance(a, types.Integer):

        def chosen_from_range(a, size=None, replace=True, p=None):
            indices = _choice_indices(a, size, replace, p, False)
            if size is None:
                return indices[0]
            return indices.reshape(size)

        return chosen_from_range
    if not isinstance(a, types.Array) or a.ndim != 1:
        raise CallRefused(f"`a` of `np.random.choice()` must be an integer or a 1-d array in compiled code, not `{a}`")

    def chosen_from_array(a, size=None, replace=True, p=None):
        indices = _choice_indices(len(a), size, replace, p, True)
        if size is None:
            return a[indices[0]]
        return a[indices.reshape(size)]

    return chosen_from_array


# ---- Python's random module ----------------------------------------------------------------


@overload(_python_random.seed)
def py_seed(a=None, version=2):
    if isinstance(a, (types.Integer, types.Boolean)):

        def seed_with(a=None, version=2):
            seed_python(_PYTHON, a)

        return seed_with
    if not _given(a):

        def seed_fresh(a=None, version=2):
            seed_entropy(_PYTHON)

        return seed_fresh
    raise CallRefused(f"`random.seed()` takes an integer or None in compiled code, not `{a}`", unsupported=True)


@overload(_python_random.random)
def py_random():
    def draw():
        return next_double(_PYTHON)

    return draw


@register_jitable
def _getrandbits(k):
    if k < 0:
        raise ValueError("number of bits must be non-negative")
    if k > 63:
        raise OverflowError("getrandbits(k) in compiled code gives a 64-bit integer: k must be at most 63")
    return getrandbits(_PYTHON, k)


@overload(_python_random.getrandbits)
def py_getrandbits(k):
    if not isinstance(k, (types.Integer, types.Boolean)):
        raise CallRefused(f"`k` of `random.getrandbits()` must be an integer, not `{k}`")

    def bits(k):
        return _getrandbits(k)

    return bits


@register_jitable
def _randbelow(n):
    """CPython's ``_randbelow_with_getrandbits``: ``getrandbits(n.bit_length())`` until below ``n``."""
    k = 0
    rest = n
    while rest:
        rest >>= 1
        k += 1
    r = getrandbits(_PYTHON, k)
    while r >= n:
        r = getrandbits(_PYTHON, k)
    return r


# CPython 3.12's message of an empty range with a stop names the call ("empty range in
# randrange(5, 5)"); 3.11's names the numbers only for a unit step ("empty range for
# randrange() (5, 5, 0)": start, stop and width).
_EMPTY_RANGE_NAMES_CALL = sys.version_info >= (3, 12)


@register_jitable
def _randrange(start, stop, step):
    """CPython's ``randrange(start, stop, step)`` with a stop, with its messages."""
    width = stop - start
    if step == 1:
        if width > 0:
            return start + _randbelow(width)
        if _EMPTY_RANGE_NAMES_CALL:
            raise ValueError(f"empty range in randrange({start}, {stop})")
        raise ValueError(f"empty range for randrange() ({int(start)}, {int(stop)}, {int(width)})")
    if step > 0:
        n = (width + step - 1) // step
    elif step < 0:
        n = (width + step + 1) // step
    else:
        raise ValueError("zero step for randrange()")
    if n <= 0:
        if _EMPTY_RANGE_NAMES_CALL:
            raise ValueError(f"empty range in randrange({start}, {stop}, {step})")
        raise ValueError("empty range for randrange()")
    return start + step * _randbelow(n)


def _check_integers(name, **arguments):
    for parameter, value in arguments.items():
        if _given(value) and not isinstance(value, (types.Integer, types.Boolean)):
            raise CallRefused(f"`{parameter}` of `{name}()` must be an integer in compiled code, not `{value}`")


@overload(_python_random.randrange)
def py_randrange(start, stop=None, step=1):
    _check_integers("random.randrange", start=start, stop=stop, step=step)
    if not _given(stop):
        if _given(step):
            raise CallRefused("`random.randrange()` with a step needs a stop", hint="Missing a non-None stop argument")

        def below(start, stop=None, step=1):
            if start > 0:
                return _randbelow(start)
            raise ValueError("empty range for randrange()")

        return below

    def in_range(start, stop=None, step=1):
        return _randrange(start, stop, step)

    return in_range


@overload(_python_random.randint)
def py_randint(a, b):
    _check_integers("random.randint", a=a, b=b)

    def between(a, b):
        return _randrange(a, b + 1, 1)

    return between


@overload(_python_random.uniform)
def py_uniform(a, b):
    _check_real("random.uniform", a=a, b=b)

    def draw(a, b):
        return a + (b - a) * next_double(_PYTHON)

    return draw


@overload(_python_random.gauss)
def py_gauss(mu=0.0, sigma=1.0):
    _check_real("random.gauss", mu=mu, sigma=sigma)

    def draw(mu=0.0, sigma=1.0):
        # Box-Muller; the second value of a pair is kept for the next call (`gauss_next`).
        z = take_gauss(_PYTHON)
        if z != z:
            x2pi = next_double(_PYTHON) * _TWOPI
            g2rad = math.sqrt(-2.0 * math.log(1.0 - next_double(_PYTHON)))
            z = math.cos(x2pi) * g2rad
            keep_gauss(_PYTHON, math.sin(x2pi) * g2rad)
        return mu + z * sigma

    return draw


@overload(_python_random.normalvariate)
def py_normalvariate(mu=0.0, sigma=1.0):
    _check_real("random.normalvariate", mu=mu, sigma=sigma)

    def draw(mu=0.0, sigma=1.0):
        # Kinderman and Monahan's ratio of uniforms.
        while True:
            u1 = next_double(_PYTHON)
            u2 = 1.0 - next_double(_PYTHON)
            z = _NV_MAGICCONST * (u1 - 0.5) / u2
            zz = z * z / 4.0
            if zz <= -math.log(u2):
                break
        return mu + z * sigma

    return draw


@overload(_python_random.expovariate)
def py_expovariate(lambd=1.0):
    _check_real("random.expovariate", lambd=lambd)

    def draw(lambd=1.0):
        return -math.log(1.0 - next_double(_PYTHON)) / lambd

    return draw


@overload(_python_random.shuffle)
def py_shuffle(x):
    if not isinstance(x, types.Array) or x.ndim != 1:
        raise CallRefused(f"`random.shuffle()` takes a 1-d array in compiled code, not `{x}`", hint="lists are not supported in compiled code yet")

    def shuffled(x):
        for i in range(len(x) - 1, 0, -1):
            j = _randbelow(i + 1)
            x[i], x[j] = x[j], x[i]

    return shuffled


@overload(_python_random.choice)
def py_choice(seq):
    if not (isinstance(seq, types.Array) and seq.ndim >= 1):
        raise CallRefused(
            f"`random.choice()` takes an array in compiled code, not `{seq}`",
            hint="tuples are indexed by constants only in compiled code: pass an array",
            unsupported=True,
        )

    def chosen(seq):
        if not len(seq):
            raise IndexError("Cannot choose from an empty sequence")
        return seq[_randbelow(len(seq))]

    return chosen
