"""Python's numeric modules in compiled code: the functions of ``math`` the compiler does not
build itself (``factorial``, ``comb``, ``perm``, ``isqrt``, ``gcd``, ``lcm``, ``fsum``,
``prod``, ``modf``, ``frexp``, ``ldexp``, ``nextafter``, ``ulp``, ``dist``, ``remainder``,
``isclose``, ``hypot`` of any number of coordinates, ``gamma``, ``lgamma``), ``cmath``, and the
functions of ``operator``.

Each follows CPython's own algorithm (``Modules/mathmodule.c``, ``Modules/cmathmodule.c``)
step for step on the same doubles, so results are CPython's bit for bit, special values
(signed zeros, infinities, NaNs) and errors included (``ValueError("math domain error")``,
``OverflowError("math range error")``, CPython's messages for bad integer arguments). The C
library functions CPython calls (``frexp``, ``ldexp``, ``nextafter``) are exact operations,
written here with exact float arithmetic.

Integers are 64-bit in compiled code: where CPython's result would be an integer beyond int64
(``factorial(21)``, ``comb(100, 50)``, ``prod`` of large integers, ``lcm``), the call raises
``OverflowError`` instead of wrapping.
"""

import cmath
import math
import operator
from typing import Any, Callable

import numpy as np

from .. import types
from ..extending import CallRefused, overload, register_jitable

_INTEGRAL = (types.Boolean, types.Integer)
_REAL = (types.Boolean, types.Integer, types.Float)
_NUMBER = (*_REAL, types.Complex)

_INT64_MAX = 9223372036854775807
_DBL_MIN = 2.2250738585072014e-308
_DBL_MAX = 1.7976931348623157e308
_TWO_POW_54 = 18014398509481984.0


def _refuse_integer(name, *arguments):
    """CPython's ``TypeError`` text for a non-integer argument of an integer function, as a
    compile error."""
    for value in arguments:
        if isinstance(value, types.Type) and not isinstance(value, _INTEGRAL):
            kind = "float" if isinstance(value, types.Float) else str(value)
            raise CallRefused(f"`math.{name}()`: '{kind}' object cannot be interpreted as an integer")


def _refuse_real(name, *arguments):
    """CPython's ``TypeError`` for a complex (or other) argument of a real function."""
    for value in arguments:
        if isinstance(value, types.Type) and not isinstance(value, _REAL):
            raise CallRefused(f"`math.{name}()` must be given a real number, not `{value}`", hint="use `cmath` for complex numbers")


# ---- integers ------------------------------------------------------------------------------


@register_jitable
def _checked_product(a, b):
    """``a * b`` of int64 values, raising ``OverflowError`` when it is beyond int64. Checked
    before multiplying: the compiler may assume that signed products do not overflow."""
    if a == 0 or b == 0:
        return 0
    if a == -_INT64_MAX - 1 or b == -_INT64_MAX - 1:
        if a == 1 or b == 1:
            return a * b
        raise OverflowError("integer result does not fit in 64 bits (compiled integers are int64)")
    abs_a, abs_b = abs(a), abs(b)
    # A negative product may reach -2**63, one more than the largest positive one.
    limit = (_INT64_MAX - (abs_b - 1)) // abs_b + 1 if (a < 0) != (b < 0) else _INT64_MAX // abs_b
    if abs_a > limit:
        raise OverflowError("integer result does not fit in 64 bits (compiled integers are int64)")
    return a * b


@overload(math.factorial)
def factorial(n):
    _refuse_integer("factorial", n)

    def impl(n):
        n = int(n)
        if n < 0:
            raise ValueError("factorial() not defined for negative values")
        result = 1
        for i in range(2, n + 1):
            result = _checked_product(result, i)
        return result

    return impl


@register_jitable
def _gcd(a, b):
    """Euclid's algorithm on non-negative int64 values."""
    while b != 0:
        a, b = b, a % b
    return a


@register_jitable
def _magnitude(a):
    """``abs(a)`` of an int64, raising ``OverflowError`` for -2**63 (whose magnitude int64
    cannot hold)."""
    if a < 0:
        if a == -_INT64_MAX - 1:
            raise OverflowError("integer result does not fit in 64 bits (compiled integers are int64)")
        return -a
    return a


@overload(math.comb)
def comb(n, k):
    _refuse_integer("comb", n, k)

    def impl(n, k):
        n, k = int(n), int(k)
        if n < 0:
            raise ValueError("n must be a non-negative integer")
        if k < 0:
            raise ValueError("k must be a non-negative integer")
        if k > n:
            return 0
        k = min(k, n - k)
        # result is comb(n, i) after step i: each step multiplies by (n - i) / (i + 1) exactly,
        # dividing first by what (i + 1) shares with result. The values grow with i (i < n/2),
        # so an overflow on the way means the result overflows too.
        result = 1
        for i in range(k):
            divisor = i + 1
            common = _gcd(result, divisor)
            result //= common
            result = _checked_product(result, (n - i) // (divisor // common))
        return result

    return impl


@overload(math.perm)
def perm(n, k=None):
    _refuse_integer("perm", n)
    if isinstance(k, types.NoneType) or k is None:

        def all_of(n, k=None):
            return math.factorial(n)

        return all_of
    _refuse_integer("perm", k)

    def impl(n, k=None):
        n, k = int(n), int(k)
        if n < 0:
            raise ValueError("n must be a non-negative integer")
        if k < 0:
            raise ValueError("k must be a non-negative integer")
        if k > n:
            return 0
        result = 1
        for i in range(n - k + 1, n + 1):
            result = _checked_product(result, i)
        return result

    return impl


@overload(math.isqrt)
def isqrt(n):
    _refuse_integer("isqrt", n)

    def impl(n):
        n = int(n)
        if n < 0:
            raise ValueError("isqrt() argument must be nonnegative")
        if n == 0:
            return 0
        # The float square root is within one of the answer; the comparisons below use
        # divisions, as (r + 1) ** 2 may exceed int64 near 2**63.
        r = int(np.sqrt(float(n)))
        while r > n // r:
            r -= 1
        while r + 1 <= n // (r + 1):
            r += 1
        return r

    return impl


@register_jitable
def _gcd_of(values):
    """CPython's ``math.gcd(*values)`` of an array of int64 values."""
    result = 0
    for i in range(values.shape[0]):
        result = _gcd(result, _magnitude(values[i]))
    return result


@register_jitable
def _lcm_of(values):
    """CPython's ``math.lcm(*values)`` of an array of int64 values."""
    result = 1
    for i in range(values.shape[0]):
        value = _magnitude(values[i])
        if value == 0 or result == 0:
            result = 0
        else:
            result = _checked_product(result // _gcd(result, value), value)
    return result


# Compiled implementations take no ``*args``: a function of any number of arguments is one of
# these forms, which gather the arguments into an array for the function of an array.
_MOST_ARGUMENTS = 8


def _gathering(name, count, of_array, dtype):
    """The implementation of ``math.<name>`` called with ``count`` arguments: ``of_array`` of
    the arguments converted to ``dtype``, in one array."""
    if count > _MOST_ARGUMENTS:
        raise CallRefused(f"`math.{name}()` of more than {_MOST_ARGUMENTS} arguments is not supported in compiled code yet", unsupported=True)

    def none():
        return of_array(np.empty(0, dtype))

    def one(a):
        return of_array(np.array((a,), dtype))

    def two(a, b):
        return of_array(np.array((a, b), dtype))

    def three(a, b, c):
        return of_array(np.array((a, b, c), dtype))

    def four(a, b, c, d):
        return of_array(np.array((a, b, c, d), dtype))

    def five(a, b, c, d, e):
        return of_array(np.array((a, b, c, d, e), dtype))

    def six(a, b, c, d, e, f):
        return of_array(np.array((a, b, c, d, e, f), dtype))

    def seven(a, b, c, d, e, f, g):
        return of_array(np.array((a, b, c, d, e, f, g), dtype))

    def eight(a, b, c, d, e, f, g, h):
        return of_array(np.array((a, b, c, d, e, f, g, h), dtype))

    return (none, one, two, three, four, five, six, seven, eight)[count]


@overload(math.gcd)
def gcd(*integers):
    _refuse_integer("gcd", *integers)
    return _gathering("gcd", len(integers), _gcd_of, np.int64)


@overload(math.lcm)
def lcm(*integers):
    _refuse_integer("lcm", *integers)
    return _gathering("lcm", len(integers), _lcm_of, np.int64)


# ---- sums and products -----------------------------------------------------------------------


def _sequence(name, values):
    """The element type of ``values``, a tuple of real numbers or a 1-d array of them (what
    compiled code can iterate over for ``fsum`` and ``prod``)."""
    if isinstance(values, types.Array):
        if values.ndim != 1 or not isinstance(values.dtype, _NUMBER):
            raise CallRefused(f"`math.{name}()` of a `{values}` is not supported in compiled code", hint="pass a 1-d array or a tuple of numbers")
        return [values.dtype]
    if isinstance(values, types.BaseTuple):
        items = list(values)
        if not all(isinstance(t, _NUMBER) for t in items):
            raise CallRefused(f"`math.{name}()` of a tuple holding `{values}` is not supported in compiled code", hint="pass numbers")
        return items
    raise CallRefused(f"`math.{name}()` of a `{values}` is not supported in compiled code yet", hint="pass a tuple or a 1-d array", unsupported=True)


@register_jitable
def _fsum_of(values):
    """CPython's ``math.fsum`` (Shewchuk's algorithm as ``math_fsum`` runs it) of a 1-d array
    of float64: the partials are non-overlapping, in increasing magnitude; their exact sum is
    the sum so far."""
    partials = np.empty(32, np.float64)
    n = 0
    special_sum = 0.0
    inf_sum = 0.0
    for index in range(values.shape[0]):
        x = values[index]
        xsave = x
        i = 0
        for j in range(n):
            y = partials[j]
            if abs(x) < abs(y):
                x, y = y, x
            hi = x + y
            yr = hi - x
            lo = y - yr
            if lo != 0.0:
                partials[i] = lo
                i += 1
            x = hi
        n = i
        if x != 0.0:
            if not math.isfinite(x):
                # Either an intermediate overflow or a NaN or infinity among the values.
                if math.isfinite(xsave):
                    raise OverflowError("intermediate overflow in fsum")
                if math.isinf(xsave):
                    inf_sum += xsave
                special_sum += xsave
                n = 0
            else:
                if n == partials.shape[0]:
                    grown = np.empty(2 * n, np.float64)
                    grown[:n] = partials
                    partials = grown
                partials[n] = x
                n += 1
    if special_sum != 0.0:
        if math.isnan(inf_sum):
            raise ValueError("-inf + inf in fsum")
        return special_sum
    hi = 0.0
    if n > 0:
        n -= 1
        hi = partials[n]
        lo = 0.0
        # Sum the partials from the top, stopping when the sum becomes inexact.
        while n > 0:
            x = hi
            n -= 1
            y = partials[n]
            hi = x + y
            yr = hi - x
            lo = y - yr
            if lo != 0.0:
                break
        # Half-even rounding across partials (so that fsum([1e-16, 1, 1e16]) rounds up).
        if n > 0 and ((lo < 0.0 and partials[n - 1] < 0.0) or (lo > 0.0 and partials[n - 1] > 0.0)):
            y = lo * 2.0
            x = hi + y
            yr = x - hi
            if y == yr:
                hi = x
    return hi


def _values(seq, dtype):
    """``seq`` (a tuple of numbers or a 1-d array) as an array of ``dtype``, for iterating."""


@overload(_values)
def _values_typing(seq, dtype):
    if isinstance(seq, types.BaseTuple) and len(seq) == 0:

        def of_nothing(seq, dtype):
            return np.empty(0, dtype)

        return of_nothing

    def of_values(seq, dtype):
        return np.asarray(seq).astype(dtype)

    return of_values


@overload(math.fsum)
def fsum(seq):
    items = _sequence("fsum", seq)
    if any(isinstance(t, types.Complex) for t in items):
        raise CallRefused("`math.fsum()` must be given real numbers, not complex ones")
    def impl(seq):
        return _fsum_of(_values(seq, np.float64))

    return impl


def _product_type(items, start):
    """The type of ``start * items[0] * ...`` in CPython: int for integers and bools, float
    when a float is among them, complex when a complex is; for an array, its element type's
    kind (int64 for integers, whose products are checked for overflow)."""
    everything = [*items, start]
    if any(isinstance(t, types.Complex) for t in everything):
        return np.complex128
    if any(isinstance(t, types.Float) for t in everything):
        float32_only = all(isinstance(t, types.Float) and t.bitwidth == 32 for t in items)
        return np.float32 if float32_only and isinstance(start, _INTEGRAL) else np.float64
    return np.int64


@register_jitable
def _int_product(values, start):
    """The product of int64 values, raising ``OverflowError`` beyond int64."""
    result = start
    for i in range(values.shape[0]):
        result = _checked_product(result, values[i])
    return result


@register_jitable
def _product(values, start):
    result = start
    for i in range(values.shape[0]):
        result = result * values[i]
    return result


@overload(math.prod)
def prod(iterable, start=1):
    items = _sequence("prod", iterable)
    if start == 1:
        start = types.int64
    if not isinstance(start, _NUMBER):
        raise CallRefused(f"`start=` of `math.prod()` must be a number, not `{start}`")
    result_type = _product_type(items, start)
    # NumPy float32 elements multiply in float32, as NumPy's scalars do; a tuple is converted
    # to one array of the result's type (each item converts exactly, as Python's mixed
    # arithmetic converts it).
    if result_type is np.int64:

        def of_integers(iterable, start=1):
            return _int_product(_values(iterable, np.int64), int(start))

        return of_integers

    def of_numbers(iterable, start=1):
        return _product(_values(iterable, result_type), result_type(start))

    return of_numbers


# ---- the representation of floats ------------------------------------------------------------


@register_jitable
def _power_of_two(n):
    """``2.0 ** n``, exactly, for ``-1074 <= n <= 1023``."""
    if n < -1022:
        return 2.0 ** (n + 54) / _TWO_POW_54
    return 2.0**n


@register_jitable
def _scaled(x, n):
    """The C library's ``ldexp(x, n)`` (``x * 2**n`` correctly rounded) for an int ``n``: musl's
    ``scalbn``, whose first steps are exact and whose last multiplication rounds once (to the
    nearest, also among subnormals)."""
    y = x
    if n > 1023:
        y *= 8.98846567431158e307  # 2**1023
        n -= 1023
        if n > 1023:
            y *= 8.98846567431158e307
            n -= 1023
            if n > 1023:
                n = 1023
    elif n < -1022:
        # Keep the final n below -53 so that only the last multiplication rounds.
        y *= 2.004168360008973e-292  # 2**-1022 * 2**53
        n += 1022 - 53
        if n < -1022:
            y *= 2.004168360008973e-292
            n += 1022 - 53
            if n < -1022:
                n = -1022
    return y * _power_of_two(n)


@register_jitable
def _frexp(x):
    """The C library's ``frexp``: ``(m, e)`` with ``x == m * 2**e``, ``0.5 <= abs(m) < 1``
    (``(x, 0)`` for zeros, infinities and NaNs)."""
    if x == 0.0 or not math.isfinite(x):
        return x, 0
    m = abs(x)
    e = 0
    if m < _DBL_MIN:
        m *= _TWO_POW_54
        e = -54
    # m is normal: log2 finds its binade but for a rounding at the binade's top.
    k = int(np.floor(np.log2(m))) + 1
    f = m * _power_of_two(-k) if k <= 1022 else m * 0.5 * _power_of_two(1 - k)
    while f >= 1.0:
        f *= 0.5
        k += 1
    while f < 0.5:
        f *= 2.0
        k -= 1
    return math.copysign(f, x), e + k


@overload(math.frexp)
def frexp(x):
    _refuse_real("frexp", x)

    def impl(x):
        return _frexp(float(x))

    return impl


@overload(math.ldexp)
def ldexp(x, i):
    _refuse_real("ldexp", x)
    if not isinstance(i, _INTEGRAL):
        raise CallRefused("`math.ldexp()`: Expected an int as second argument to ldexp.")

    def impl(x, i):
        x = float(x)
        if x == 0.0 or not math.isfinite(x):
            return x
        r = _scaled(x, int(i))
        if math.isinf(r):
            raise OverflowError("math range error")
        return r

    return impl


@register_jitable
def _next_after(x, y):
    """The C library's ``nextafter(x, y)``: the float next to ``x`` towards ``y``."""
    if math.isnan(x) or math.isnan(y):
        return x + y
    if x == y:
        return y
    if x == 0.0:
        return math.copysign(5e-324, y)
    if math.isinf(x):
        return math.copysign(_DBL_MAX, x)
    m, e = _frexp(x)
    away_from_zero = (y > x) == (x > 0.0)
    # The spacing of the floats around x, 2**(e - 53) (2**-1074 among subnormals), is halved
    # below a power of two.
    spacing_exponent = e - 53
    if not away_from_zero and abs(m) == 0.5:
        spacing_exponent -= 1
    step = _power_of_two(max(spacing_exponent, -1074))
    r = x + step if (y > x) else x - step
    if r == 0.0:
        return math.copysign(0.0, x)
    return r


@overload(math.nextafter)
def nextafter(x, y):
    _refuse_real("nextafter", x, y)

    def impl(x, y):
        return _next_after(float(x), float(y))

    return impl


@overload(math.ulp)
def ulp(x):
    _refuse_real("ulp", x)

    def impl(x):
        x = float(x)
        if math.isnan(x):
            return x
        x = abs(x)
        if math.isinf(x):
            return x
        x2 = _next_after(x, math.inf)
        if math.isinf(x2):
            # x is the largest float.
            x2 = _next_after(x, -math.inf)
            return x - x2
        return x2 - x

    return impl


@overload(math.modf)
def modf(x):
    _refuse_real("modf", x)

    def impl(x):
        x = float(x)
        if math.isinf(x):
            return math.copysign(0.0, x), x
        if math.isnan(x):
            return x, x
        whole = np.trunc(x)
        return math.copysign(x - whole, x), whole

    return impl


@register_jitable
def _remainder(x, y):
    """CPython's ``m_remainder``: IEEE 754's remainder, ``x - n*y`` for the integer ``n``
    nearest ``x / y`` (the even one in a tie)."""
    if math.isfinite(x) and math.isfinite(y):
        if y == 0.0:
            return math.nan
        absx = abs(x)
        absy = abs(y)
        m = np.fmod(absx, absy)
        # m against half of absy, compared through c = absy - m (exact whenever it matters).
        c = absy - m
        if m < c:
            r = m
        elif m > c:
            r = -c
        else:
            # A tie: m if the multiple of absy below absx is even, else -m (all exact).
            r = m - 2.0 * np.fmod(0.5 * (absx - m), absy)
        return math.copysign(1.0, x) * r
    if math.isnan(x):
        return x
    if math.isnan(y):
        return y
    if math.isinf(x):
        return math.nan
    return x


@overload(math.remainder)
def remainder(x, y):
    _refuse_real("remainder", x, y)

    def impl(x, y):
        x, y = float(x), float(y)
        r = _remainder(x, y)
        if math.isnan(r) and not math.isnan(x) and not math.isnan(y):
            raise ValueError("math domain error")
        return r

    return impl


@overload(math.isclose)
def isclose(a, b, rel_tol=1e-09, abs_tol=0.0):
    _refuse_real("isclose", a, b, rel_tol, abs_tol)

    def impl(a, b, rel_tol=1e-09, abs_tol=0.0):
        a, b, rel_tol, abs_tol = float(a), float(b), float(rel_tol), float(abs_tol)
        if rel_tol < 0.0 or abs_tol < 0.0:
            raise ValueError("tolerances must be non-negative")
        if a == b:
            return True
        if math.isinf(a) or math.isinf(b):
            return False
        diff = abs(b - a)
        return diff <= abs(rel_tol * b) or diff <= abs(rel_tol * a) or diff <= abs_tol

    return impl


# ---- gamma and lgamma -----------------------------------------------------------------------
# CPython's own ``m_tgamma`` and ``m_lgamma``, not the C library's: Lanczos' approximation with
# N = 13 and g = 6.024680040776729583740234375 (Boost's parameters), its sum written as a
# rational function, and the reflection formula for negative arguments. The C functions they
# call (``exp``, ``pow``, ``log``, ``sin``, ``cos``, ``fmod``) are NumPy's names here, which
# are the same C library calls without Python's error checks.

_PI = 3.141592653589793238462643383279502884197
_LOG_PI = 1.144729885849400174143427351353058711647
_LANCZOS_G = 6.024680040776729583740234375
_LANCZOS_G_MINUS_HALF = 5.524680040776729583740234375
_LANCZOS_NUMERATOR = np.array([
    23531376880.410759688572007674451636754734846804940,
    42919803642.649098768957899047001988850926355848959,
    35711959237.355668049440185451547166705960488635843,
    17921034426.037209699919755754458931112671403265390,
    6039542586.3520280050642916443072979210699388420708,
    1439720407.3117216736632230727949123939715485786772,
    248874557.86205415651146038641322942321632125127801,
    31426415.585400194380614231628318205362874684987640,
    2876370.6289353724412254090516208496135991145378768,
    186056.26539522349504029498971604569928220784236328,
    8071.6720023658162106380029022722506138218516325024,
    210.82427775157934587250973392071336271166969580291,
    2.5066282746310002701649081771338373386264310793408,
])
# The denominator is x * (x + 1) * ... * (x + 11), by powers of x.
_LANCZOS_DENOMINATOR = np.array([
    0.0, 39916800.0, 120543840.0, 150917976.0, 105258076.0, 45995730.0, 13339535.0, 2637558.0,
    357423.0, 32670.0, 1925.0, 66.0, 1.0,
])
# gamma(n) = (n - 1)! for n = 1 to 23, all exact in float64.
_GAMMA_OF_INTEGERS = np.array([float(math.factorial(n - 1)) for n in range(1, 24)])


@register_jitable
def _sin_pi(x):
    """``sin(pi * x)`` of a finite ``x``, exact at integers and half-integers and accurate near
    them (CPython's ``m_sinpi``): the argument is reduced to ``[0, 2)`` exactly, then to the
    nearest multiple of 1/2."""
    y = np.fmod(abs(x), 2.0)
    # C's round() of 2y, halves away from zero; 2y - trunc(2y) is exact.
    twice = 2.0 * y
    n = int(twice)
    if twice - n >= 0.5:
        n += 1
    if n == 0:
        r = np.sin(_PI * y)
    elif n == 1:
        r = np.cos(_PI * (y - 0.5))
    elif n == 2:
        # Not -sin(pi * (y - 1)), which is -0.0 at y == 1.
        r = np.sin(_PI * (1.0 - y))
    elif n == 3:
        r = -np.cos(_PI * (y - 1.5))
    else:
        r = np.sin(_PI * (y - 2.0))
    return math.copysign(1.0, x) * r


@register_jitable
def _lanczos_sum(x):
    """Lanczos' sum of a positive ``x``, as the rational function of ``x`` (below 5) or of
    ``1 / x`` (from 5, where powers of ``x`` would overflow)."""
    num = 0.0
    den = 0.0
    if x < 5.0:
        for i in range(12, -1, -1):
            num = num * x + _LANCZOS_NUMERATOR[i]
            den = den * x + _LANCZOS_DENOMINATOR[i]
    else:
        for i in range(13):
            num = num / x + _LANCZOS_NUMERATOR[i]
            den = den / x + _LANCZOS_DENOMINATOR[i]
    return num / den


@register_jitable
def _gamma(x):
    """CPython's ``math.gamma`` of a float, its errors included."""
    if not math.isfinite(x):
        if math.isnan(x) or x > 0.0:
            return x
        raise ValueError("math domain error")
    if x == 0.0:
        raise ValueError("math domain error")  # a pole
    if x == np.floor(x):
        if x < 0.0:
            raise ValueError("math domain error")  # poles at the negative integers
        if x <= 23.0:
            return _GAMMA_OF_INTEGERS[int(x) - 1]
    absx = abs(x)
    if absx < 1e-20:
        # gamma(x) ~ 1/x near 0.
        r = 1.0 / x
        if math.isinf(r):
            raise OverflowError("math range error")
        return r
    if absx > 200.0:
        # Beyond 200, gamma overflows, or underflows to a signed zero for negative x.
        if x < 0.0:
            return 0.0 / _sin_pi(x)
        raise OverflowError("math range error")
    y = absx + _LANCZOS_G_MINUS_HALF
    # z: the rounding error of y, computed exactly whichever operand is the larger.
    if absx > _LANCZOS_G_MINUS_HALF:
        q = y - absx
        z = q - _LANCZOS_G_MINUS_HALF
    else:
        q = y - _LANCZOS_G_MINUS_HALF
        z = q - absx
    # pow(y, absx - 0.5) / exp(y), corrected to first order for that error.
    z = z * _LANCZOS_G / y
    if x < 0.0:
        r = -_PI / _sin_pi(absx) / absx * np.exp(y) / _lanczos_sum(absx)
        r -= z * r
        if absx < 140.0:
            r /= np.power(y, absx - 0.5)
        else:
            # In two halves, so that the power does not overflow on its own.
            sqrtpow = np.power(y, absx / 2.0 - 0.25)
            r /= sqrtpow
            r /= sqrtpow
    else:
        r = _lanczos_sum(absx) / np.exp(y)
        r += z * r
        if absx < 140.0:
            r *= np.power(y, absx - 0.5)
        else:
            sqrtpow = np.power(y, absx / 2.0 - 0.25)
            r *= sqrtpow
            r *= sqrtpow
    if math.isinf(r):
        raise OverflowError("math range error")
    return r


@register_jitable
def _lgamma(x):
    """CPython's ``math.lgamma`` of a float, its errors included."""
    if not math.isfinite(x):
        if math.isnan(x):
            return x
        return math.inf
    if x == np.floor(x) and x <= 2.0:
        if x <= 0.0:
            raise ValueError("math domain error")  # poles at 0 and the negative integers
        return 0.0
    absx = abs(x)
    if absx < 1e-20:
        return -np.log(absx)  # lgamma(x) ~ -log(|x|) near 0
    r = np.log(_lanczos_sum(absx)) - _LANCZOS_G
    r += (absx - 0.5) * (np.log(absx + _LANCZOS_G - 0.5) - 1.0)
    if x < 0.0:
        # The reflection formula.
        r = _LOG_PI - np.log(abs(_sin_pi(absx))) - np.log(absx) - r
    if math.isinf(r):
        raise OverflowError("math range error")
    return r


@overload(math.gamma)
def gamma(x):
    _refuse_real("gamma", x)

    def impl(x):
        return _gamma(float(x))

    return impl


@overload(math.lgamma)
def lgamma(x):
    _refuse_real("lgamma", x)

    def impl(x):
        return _lgamma(float(x))

    return impl


# ---- Euclidean norms ------------------------------------------------------------------------


@register_jitable
def _split(x):
    """Dekker's split of ``x`` into a high half of 26 bits and the rest (CPython's ``dl_split``)."""
    t = x * 134217729.0  # 2**27 + 1
    hi = t - (t - x)
    return hi, x - hi


@register_jitable
def _exact_product(x, y):
    """``x * y`` as an unevaluated sum ``hi + lo``, exactly (CPython's ``dl_mul``)."""
    xh, xl = _split(x)
    yh, yl = _split(y)
    p = xh * yh
    q = xh * yl + xl * yh
    z = p + q
    return z, p - z + q + xl * yl


@register_jitable
def _vector_norm(vec, max_value, found_nan):
    """CPython's ``vector_norm``: the Euclidean norm of the non-negative float64 values
    ``vec`` (an array, overwritten), whose largest is ``max_value``, correctly rounded in
    almost every case: each square is taken exactly after scaling by a power of two and summed
    with compensation, then the square root gets a differential correction."""
    n = vec.shape[0]
    if math.isinf(max_value):
        return max_value
    if found_nan:
        return math.nan
    if max_value == 0.0 or n <= 1:
        return max_value
    unscale = 1.0
    max_e = _frexp(max_value)[1]
    if max_e < -1023:
        # Subnormals: 2**-max_e would overflow; make them normal first.
        for i in range(n):
            vec[i] /= _DBL_MIN
        unscale = _DBL_MIN
        max_e = _frexp(max_value / _DBL_MIN)[1]
    scale = _scaled(1.0, -max_e)
    csum = 1.0
    frac1 = 0.0
    frac2 = 0.0
    for i in range(n):
        csum, frac1, frac2 = _add_square(vec[i] * scale, csum, frac1, frac2)  # scaling is lossless
    return _corrected_root(csum, frac1, frac2, scale, unscale)


@register_jitable
def _add_square(x, csum, frac1, frac2):
    """One step of ``vector_norm``'s compensated sum ``csum + frac1 + frac2``: adds ``x * x``,
    taken exactly."""
    hi, lo = _exact_product(x, x)
    total = csum + hi  # lossless
    return total, frac1 + lo, frac2 + ((csum - total) + hi)


@register_jitable
def _corrected_root(csum, frac1, frac2, scale, unscale):
    """The end of ``vector_norm``: the square root of the sum (``csum - 1 + frac1 + frac2``,
    of values scaled by ``scale``) with a differential correction, scaled back."""
    h = np.sqrt(csum - 1.0 + (frac1 + frac2))
    hi, lo = _exact_product(-h, h)
    total = csum + hi
    frac2 += (csum - total) + hi
    csum = total
    frac1 += lo
    x = csum - 1.0 + (frac1 + frac2)
    h += x / (2.0 * h)  # differential correction
    return unscale * (h / scale)


@register_jitable
def _hypot_pair(x, y):
    """CPython's ``math.hypot(x, y)``: ``_vector_norm`` of two values, step for step, without
    gathering them into an array (``hypot`` is called in loops)."""
    x = abs(x)
    y = abs(y)
    max_value = 0.0
    if x > max_value:
        max_value = x
    if y > max_value:
        max_value = y
    if math.isinf(max_value):
        return max_value
    if math.isnan(x) or math.isnan(y):
        return math.nan
    if max_value == 0.0:
        return max_value
    unscale = 1.0
    max_e = _frexp(max_value)[1]
    if max_e < -1023:
        x /= _DBL_MIN
        y /= _DBL_MIN
        unscale = _DBL_MIN
        max_e = _frexp(max_value / _DBL_MIN)[1]
    scale = _scaled(1.0, -max_e)
    csum, frac1, frac2 = _add_square(x * scale, 1.0, 0.0, 0.0)
    csum, frac1, frac2 = _add_square(y * scale, csum, frac1, frac2)
    return _corrected_root(csum, frac1, frac2, scale, unscale)


@register_jitable
def _hypot_of(coordinates):
    """CPython's ``math.hypot(*coordinates)`` of an array of float64 values (overwritten)."""
    vec = coordinates
    max_value = 0.0
    found_nan = False
    for i in range(vec.shape[0]):
        x = abs(vec[i])
        vec[i] = x
        found_nan |= math.isnan(x)
        if x > max_value:
            max_value = x
    return _vector_norm(vec, max_value, found_nan)


@overload(math.hypot)
def hypot(*coordinates):
    _refuse_real("hypot", *coordinates)
    if len(coordinates) == 2:

        def pair(x, y):
            return _hypot_pair(float(x), float(y))

        return pair
    return _gathering("hypot", len(coordinates), _hypot_of, np.float64)


@overload(math.dist)
def dist(p, q):
    for point in (p, q):
        if not isinstance(point, types.BaseTuple) or not all(isinstance(t, _REAL) for t in point):
            raise CallRefused(f"`math.dist()` of a `{point}` is not supported in compiled code", hint="pass tuples of real numbers")
    if len(p) != len(q):
        raise CallRefused("`math.dist()`: both points must have the same number of dimensions")

    def impl(p, q):
        vec = np.abs(_values(p, np.float64) - _values(q, np.float64))
        max_value = 0.0
        found_nan = False
        for i in range(vec.shape[0]):
            found_nan |= math.isnan(vec[i])
            if vec[i] > max_value:
                max_value = vec[i]
        return _vector_norm(vec, max_value, found_nan)

    return impl


# ---- operator --------------------------------------------------------------------------------
# Each function is its operator, with the operator's meaning for the arguments' types (numbers,
# arrays, tuples): the implementations below are the operators themselves.


def _add(a, b):
    return a + b


def _sub(a, b):
    return a - b


def _mul(a, b):
    return a * b


def _truediv(a, b):
    return a / b


def _floordiv(a, b):
    return a // b


def _mod(a, b):
    return a % b


def _pow(a, b):
    return a**b


def _matmul(a, b):
    return a @ b


def _and(a, b):
    return a & b


def _or(a, b):
    return a | b


def _xor(a, b):
    return a ^ b


def _lshift(a, b):
    return a << b


def _rshift(a, b):
    return a >> b


def _eq(a, b):
    return a == b


def _ne(a, b):
    return a != b


def _lt(a, b):
    return a < b


def _le(a, b):
    return a <= b


def _gt(a, b):
    return a > b


def _ge(a, b):
    return a >= b


def _getitem(a, b):
    return a[b]


def _neg(a):
    return -a


def _pos(a):
    return +a


def _abs(a):
    return abs(a)


def _invert(a):
    return ~a


def _not(a):
    return not a


def _truth(a):
    return bool(a)


def _index(a):
    return int(a)


def _setitem(a, b, c):
    a[b] = c


_OPERATORS: dict[Callable[..., Any], Callable[..., Any]] = {
    operator.add: _add, operator.iadd: _add, operator.sub: _sub, operator.isub: _sub, operator.mul: _mul, operator.imul: _mul,
    operator.truediv: _truediv, operator.itruediv: _truediv, operator.floordiv: _floordiv, operator.ifloordiv: _floordiv,
    operator.mod: _mod, operator.imod: _mod, operator.pow: _pow, operator.ipow: _pow, operator.matmul: _matmul,
    operator.and_: _and, operator.iand: _and, operator.or_: _or, operator.ior: _or, operator.xor: _xor, operator.ixor: _xor,
    operator.lshift: _lshift, operator.ilshift: _lshift, operator.rshift: _rshift, operator.irshift: _rshift,
    operator.eq: _eq, operator.ne: _ne, operator.lt: _lt, operator.le: _le, operator.gt: _gt, operator.ge: _ge,
    operator.getitem: _getitem, operator.setitem: _setitem,
    operator.neg: _neg, operator.pos: _pos, operator.abs: _abs, operator.invert: _invert, operator.inv: _invert,
    operator.not_: _not, operator.truth: _truth,
}


def _operator_typing(implementation):
    def typing(*args):
        return implementation

    return typing


for _function, _implementation in _OPERATORS.items():
    if _function is not operator.getitem:
        overload(_function)(_operator_typing(_implementation))


@overload(operator.getitem)
def getitem(a, b):
    if not isinstance(a, types.BaseTuple):
        return _getitem
    # A tuple's item is chosen when compiling: the index must be a constant.
    if not isinstance(b, types.IntegerLiteral):
        return None
    position = b.literal_value

    def item(a, b):
        return a[position]

    return item


@overload(operator.index)
def index(a):
    # CPython's ``operator.index`` takes what has ``__index__``: integers and bools (NumPy's
    # bool_ has none, but compiled code does not tell it from bool).
    if not isinstance(a, _INTEGRAL):
        raise CallRefused(f"`operator.index()`: '{a}' object cannot be interpreted as an integer")
    return _index


# ---- cmath ----------------------------------------------------------------------------------
# CPython's cmathmodule.c, function by function, on the real and imaginary parts. Each internal
# function returns ``(real, imag, error)``: ``error`` is CPython's errno after the C function,
# _EDOM (ValueError "math domain error"), _ERANGE (OverflowError "math range error") or 0.

_EDOM = 1
_ERANGE = 2
_LARGE_DOUBLE = _DBL_MAX / 4.0
_SQRT_LARGE_DOUBLE = math.sqrt(_LARGE_DOUBLE)
_LOG_LARGE_DOUBLE = math.log(_LARGE_DOUBLE)
_SQRT_DBL_MIN = math.sqrt(_DBL_MIN)
_SCALE_UP = 53  # odd, and 2**_SCALE_UP makes a subnormal normal
_SCALE_DOWN = -27  # -(_SCALE_UP + 1) / 2
_LN2 = 0.6931471805599453094
_LN10 = 2.302585092994045684

# One value of each kind ``_special_type`` tells apart: -inf, negative, -0.0, +0.0, positive,
# +inf, NaN.
_KINDS = (-math.inf, -2.0, -0.0, 0.0, 2.0, math.inf, math.nan)


def _special_values(function):
    """CPython's table of ``function`` (of ``cmath``) at non-finite arguments, by the kinds of
    the real and imaginary parts: ``[real kind, imag kind] -> (real, imag, error)``. Taken from
    CPython's own ``cmath`` when this module loads: for these arguments its result depends only
    on the kinds (C99 Annex G), and the tests compare every entry with other values of each
    kind. Entries where the code handles the value itself (``exp(inf + 1j)``) are never read."""
    table = np.zeros((7, 7, 3))
    for i, re in enumerate(_KINDS):
        for j, im in enumerate(_KINDS):
            try:
                z = function(complex(re, im)) if function is not cmath.rect else function(re, im)
                table[i, j] = (z.real, z.imag, 0)
            except ValueError:
                table[i, j, 2] = _EDOM
            except OverflowError:
                table[i, j, 2] = _ERANGE
    return table


_ACOS_SPECIAL = _special_values(cmath.acos)
_ACOSH_SPECIAL = _special_values(cmath.acosh)
_ASINH_SPECIAL = _special_values(cmath.asinh)
_ATANH_SPECIAL = _special_values(cmath.atanh)
_COSH_SPECIAL = _special_values(cmath.cosh)
_EXP_SPECIAL = _special_values(cmath.exp)
_LOG_SPECIAL = _special_values(cmath.log)
_SINH_SPECIAL = _special_values(cmath.sinh)
_SQRT_SPECIAL = _special_values(cmath.sqrt)
_TANH_SPECIAL = _special_values(cmath.tanh)
_RECT_SPECIAL = _special_values(cmath.rect)


@register_jitable
def _special_type(d):
    """The index of ``d``'s kind in ``_KINDS``."""
    if math.isfinite(d):
        if d != 0.0:
            return 4 if math.copysign(1.0, d) == 1.0 else 1
        return 3 if math.copysign(1.0, d) == 1.0 else 2
    if math.isnan(d):
        return 6
    return 5 if d > 0.0 else 0


@register_jitable
def _special(table, re, im):
    i, j = _special_type(re), _special_type(im)
    return table[i, j, 0], table[i, j, 1], int(table[i, j, 2])


@register_jitable
def _c_sqrt(re, im):
    if not (math.isfinite(re) and math.isfinite(im)):
        return _special(_SQRT_SPECIAL, re, im)
    if re == 0.0 and im == 0.0:
        return 0.0, im, 0
    ax = abs(re)
    ay = abs(im)
    if ax < _DBL_MIN and ay < _DBL_MIN:
        # hypot(ax, ay) would be subnormal: scale up first.
        ax = _scaled(ax, _SCALE_UP)
        s = _scaled(np.sqrt(ax + np.hypot(ax, _scaled(ay, _SCALE_UP))), _SCALE_DOWN)
    else:
        ax /= 8.0
        s = 2.0 * np.sqrt(ax + np.hypot(ax, ay / 8.0))
    d = ay / (2.0 * s)
    if re >= 0.0:
        return s, math.copysign(d, im), 0
    return d, math.copysign(s, im), 0


@register_jitable
def _c_log(re, im):
    if not (math.isfinite(re) and math.isfinite(im)):
        return _special(_LOG_SPECIAL, re, im)
    ax = abs(re)
    ay = abs(im)
    if ax > _LARGE_DOUBLE or ay > _LARGE_DOUBLE:
        real = np.log(np.hypot(ax / 2.0, ay / 2.0)) + _LN2
    elif ax < _DBL_MIN and ay < _DBL_MIN:
        if ax > 0.0 or ay > 0.0:
            # hypot(ax, ay) would be subnormal.
            real = np.log(np.hypot(_scaled(ax, 53), _scaled(ay, 53))) - 53 * _LN2
        else:
            return -math.inf, np.arctan2(im, re), _EDOM
    else:
        h = np.hypot(ax, ay)
        if 0.71 <= h and h <= 1.73:
            am = ax if ax > ay else ay
            an = ay if ax > ay else ax
            real = np.log1p((am - 1) * (am + 1) + an * an) / 2.0
        else:
            real = np.log(h)
    return real, np.arctan2(im, re), 0


@register_jitable
def _c_quot(ar, ai, br, bi):
    """CPython's complex division ``_Py_c_quot`` (``_EDOM`` for a zero divisor)."""
    abs_br = -br if br < 0 else br
    abs_bi = -bi if bi < 0 else bi
    if abs_br >= abs_bi:
        if abs_br == 0.0:
            return 0.0, 0.0, _EDOM
        ratio = bi / br
        denom = br + bi * ratio
        return (ar + ai * ratio) / denom, (ai - ar * ratio) / denom, 0
    if abs_bi >= abs_br:
        ratio = br / bi
        denom = br * ratio + bi
        return (ar * ratio + ai) / denom, (ai * ratio - ar) / denom, 0
    # A NaN in the divisor.
    return math.nan, math.nan, 0


@register_jitable
def _c_exp(re, im):
    if not (math.isfinite(re) and math.isfinite(im)):
        if math.isinf(re) and math.isfinite(im) and im != 0.0:
            if re > 0:
                real, imag = math.copysign(math.inf, np.cos(im)), math.copysign(math.inf, np.sin(im))
            else:
                real, imag = math.copysign(0.0, np.cos(im)), math.copysign(0.0, np.sin(im))
            return real, imag, 0
        return _special(_EXP_SPECIAL, re, im)
    if re > _LOG_LARGE_DOUBLE:
        scale = np.exp(re - 1.0)
        real = scale * np.cos(im) * math.e
        imag = scale * np.sin(im) * math.e
    else:
        scale = np.exp(re)
        real = scale * np.cos(im)
        imag = scale * np.sin(im)
    return real, imag, _ERANGE if math.isinf(real) or math.isinf(imag) else 0


@register_jitable
def _c_cosh_or_sinh(re, im, sine):
    """CPython's ``cmath.cosh`` (``sine`` false) or ``cmath.sinh`` (true), the two written
    alike: ``cos(im) * f(re) + i sin(im) * g(re)`` with ``(f, g)`` ``(cosh, sinh)`` or
    ``(sinh, cosh)``."""
    if not (math.isfinite(re) and math.isfinite(im)):
        if math.isinf(re) and math.isfinite(im) and im != 0.0:
            sign = 1.0 if re > 0 else -1.0
            real = math.copysign(math.inf, np.cos(im))
            imag = math.copysign(math.inf, np.sin(im))
            return (sign * real, imag, 0) if sine else (real, sign * imag, 0)
        return _special(_SINH_SPECIAL if sine else _COSH_SPECIAL, re, im)
    x = re
    scale = 1.0
    if abs(re) > _LOG_LARGE_DOUBLE:
        # cosh(re) and sinh(re) overflow where the result need not.
        x = re - math.copysign(1.0, re)
        scale = math.e
    even, odd = np.cosh(x), np.sinh(x)
    if sine:
        even, odd = odd, even
    if scale == 1.0:
        real = np.cos(im) * even
        imag = np.sin(im) * odd
    else:
        real = np.cos(im) * even * scale
        imag = np.sin(im) * odd * scale
    return real, imag, _ERANGE if math.isinf(real) or math.isinf(imag) else 0


@register_jitable
def _c_cosh(re, im):
    return _c_cosh_or_sinh(re, im, False)


@register_jitable
def _c_sinh(re, im):
    return _c_cosh_or_sinh(re, im, True)


@register_jitable
def _c_tanh(re, im):
    if not (math.isfinite(re) and math.isfinite(im)):
        if math.isinf(re) and math.isfinite(im) and im != 0.0:
            return (1.0 if re > 0 else -1.0), math.copysign(0.0, 2.0 * np.sin(im) * np.cos(im)), 0
        return _special(_TANH_SPECIAL, re, im)
    if abs(re) > _LOG_LARGE_DOUBLE:
        return math.copysign(1.0, re), 4.0 * np.sin(im) * np.cos(im) * np.exp(-2.0 * abs(re)), 0
    tx = np.tanh(re)
    ty = np.tan(im)
    cx = 1.0 / np.cosh(re)
    txty = tx * ty
    denom = 1.0 + txty * txty
    return tx * (1.0 + ty * ty) / denom, ((ty / denom) * cx) * cx, 0


@register_jitable
def _c_acos(re, im):
    if not (math.isfinite(re) and math.isfinite(im)):
        return _special(_ACOS_SPECIAL, re, im)
    if abs(re) > _LARGE_DOUBLE or abs(im) > _LARGE_DOUBLE:
        real = np.arctan2(abs(im), re)
        if re < 0.0:
            imag = -math.copysign(np.log(np.hypot(re / 2.0, im / 2.0)) + _LN2 * 2.0, im)
        else:
            imag = math.copysign(np.log(np.hypot(re / 2.0, im / 2.0)) + _LN2 * 2.0, -im)
        return real, imag, 0
    s1r, s1i, _ = _c_sqrt(1.0 - re, -im)
    s2r, s2i, _ = _c_sqrt(1.0 + re, im)
    return 2.0 * np.arctan2(s1r, s2r), np.arcsinh(s2r * s1i - s2i * s1r), 0


@register_jitable
def _c_acosh(re, im):
    if not (math.isfinite(re) and math.isfinite(im)):
        return _special(_ACOSH_SPECIAL, re, im)
    if abs(re) > _LARGE_DOUBLE or abs(im) > _LARGE_DOUBLE:
        return np.log(np.hypot(re / 2.0, im / 2.0)) + _LN2 * 2.0, np.arctan2(im, re), 0
    s1r, s1i, _ = _c_sqrt(re - 1.0, im)
    s2r, s2i, _ = _c_sqrt(re + 1.0, im)
    return np.arcsinh(s1r * s2r + s1i * s2i), 2.0 * np.arctan2(s1i, s2r), 0


@register_jitable
def _c_asinh(re, im):
    if not (math.isfinite(re) and math.isfinite(im)):
        return _special(_ASINH_SPECIAL, re, im)
    if abs(re) > _LARGE_DOUBLE or abs(im) > _LARGE_DOUBLE:
        if im >= 0.0:
            real = math.copysign(np.log(np.hypot(re / 2.0, im / 2.0)) + _LN2 * 2.0, re)
        else:
            real = -math.copysign(np.log(np.hypot(re / 2.0, im / 2.0)) + _LN2 * 2.0, -re)
        return real, np.arctan2(im, abs(re)), 0
    s1r, s1i, _ = _c_sqrt(1.0 + im, -re)
    s2r, s2i, _ = _c_sqrt(1.0 - im, re)
    return np.arcsinh(s1r * s2i - s2r * s1i), np.arctan2(im, s1r * s2r - s1i * s2i), 0


@register_jitable
def _c_atanh(re, im):
    if not (math.isfinite(re) and math.isfinite(im)):
        return _special(_ATANH_SPECIAL, re, im)
    if re < 0.0:
        # atanh(z) = -atanh(-z)
        real, imag, error = _c_atanh_of_nonnegative(-re, -im)
        return -real, -imag, error
    return _c_atanh_of_nonnegative(re, im)


@register_jitable
def _c_atanh_of_nonnegative(re, im):
    ay = abs(im)
    if re > _SQRT_LARGE_DOUBLE or ay > _SQRT_LARGE_DOUBLE:
        # atanh(z) ~ 1/z +/- i*pi/2 for large z.
        h = np.hypot(re / 2.0, im / 2.0)
        return re / 4.0 / h / h, -math.copysign(math.pi / 2.0, -im), 0
    if re == 1.0 and ay < _SQRT_DBL_MIN:
        if ay == 0.0:
            return math.inf, im, _EDOM
        return -np.log(np.sqrt(ay) / np.sqrt(np.hypot(ay, 2.0))), math.copysign(np.arctan2(2.0, -ay) / 2, im), 0
    real = np.log1p(4.0 * re / ((1 - re) * (1 - re) + ay * ay)) / 4.0
    imag = -np.arctan2(-2.0 * im, (1 - re) * (1 + re) - ay * ay) / 2.0
    return real, imag, 0


@register_jitable
def _c_atan2(re, im):
    """CPython's ``c_atan2``, the phase of ``re + im*j``."""
    if math.isnan(re) or math.isnan(im):
        return math.nan
    if math.isinf(im):
        if math.isinf(re):
            if math.copysign(1.0, re) == 1.0:
                return math.copysign(0.25 * math.pi, im)
            return math.copysign(0.75 * math.pi, im)
        return math.copysign(0.5 * math.pi, im)
    if math.isinf(re) or im == 0.0:
        if math.copysign(1.0, re) == 1.0:
            return math.copysign(0.0, im)
        return math.copysign(math.pi, im)
    return np.arctan2(im, re)


@register_jitable
def _c_abs(re, im):
    """CPython's ``_Py_c_abs``: ``(abs(z), error)``, ``_ERANGE`` on overflow."""
    if not (math.isfinite(re) and math.isfinite(im)):
        if math.isinf(re):
            return abs(re), 0
        if math.isinf(im):
            return abs(im), 0
        return math.nan, 0
    result = np.hypot(re, im)
    return result, 0 if math.isfinite(result) else _ERANGE


@register_jitable
def _complex_result(real, imag, error):
    """The result of a ``cmath`` function, or CPython's exception for its errno."""
    if error == _EDOM:
        raise ValueError("math domain error")
    if error == _ERANGE:
        raise OverflowError("math range error")
    return complex(real, imag)


def _refuse_complex(name, *arguments):
    for value in arguments:
        if isinstance(value, types.Type) and not isinstance(value, _NUMBER):
            raise CallRefused(f"`cmath.{name}()` must be given a number, not `{value}`")


def _cmath_function(function, core):
    """Declares ``function`` (of ``cmath``, of one complex number) as ``core`` computes it."""

    def typing(z):
        _refuse_complex(function.__name__, z)

        def impl(z):
            z = complex(z)
            real, imag, error = core(z.real, z.imag)
            return _complex_result(real, imag, error)

        return impl

    overload(function)(typing)


@register_jitable
def _c_asin(re, im):
    # asin(z) = -i asinh(iz)
    real, imag, error = _c_asinh(-im, re)
    return imag, -real, error


@register_jitable
def _c_atan(re, im):
    # atan(z) = -i atanh(iz)
    real, imag, error = _c_atanh(-im, re)
    return imag, -real, error


@register_jitable
def _c_cos(re, im):
    # cos(z) = cosh(iz)
    return _c_cosh(-im, re)


@register_jitable
def _c_sin(re, im):
    # sin(z) = -i sinh(iz)
    real, imag, error = _c_sinh(-im, re)
    return imag, -real, error


@register_jitable
def _c_tan(re, im):
    # tan(z) = -i tanh(iz)
    real, imag, error = _c_tanh(-im, re)
    return imag, -real, error


@register_jitable
def _c_log10(re, im):
    real, imag, error = _c_log(re, im)
    return real / _LN10, imag / _LN10, error


for _function, _core in (
    (cmath.sqrt, _c_sqrt), (cmath.exp, _c_exp), (cmath.log10, _c_log10), (cmath.cos, _c_cos), (cmath.sin, _c_sin), (cmath.tan, _c_tan),
    (cmath.acos, _c_acos), (cmath.asin, _c_asin), (cmath.atan, _c_atan), (cmath.cosh, _c_cosh), (cmath.sinh, _c_sinh),
    (cmath.tanh, _c_tanh), (cmath.acosh, _c_acosh), (cmath.asinh, _c_asinh), (cmath.atanh, _c_atanh),
):
    _cmath_function(_function, _core)


@overload(cmath.log)
def c_log(x, base=None):
    _refuse_complex("log", x)
    if base is None or isinstance(base, types.NoneType):

        def natural(x, base=None):
            z = complex(x)
            real, imag, error = _c_log(z.real, z.imag)
            return _complex_result(real, imag, error)

        return natural
    _refuse_complex("log", base)

    def of_base(x, base=None):
        z = complex(x)
        b = complex(base)
        # As CPython: the error is the last step's (the logarithm of the base, the division).
        zr, zi, error = _c_log(z.real, z.imag)
        br, bi, error = _c_log(b.real, b.imag)
        real, imag, quotient_error = _c_quot(zr, zi, br, bi)
        return _complex_result(real, imag, quotient_error if quotient_error != 0 else error)

    return of_base


@overload(cmath.phase)
def phase(z):
    _refuse_complex("phase", z)

    def impl(z):
        z = complex(z)
        phi = _c_atan2(z.real, z.imag)
        # CPython reports the C library's errno: glibc's atan2 sets ERANGE for a result that
        # underflows to zero (a nonzero finite y, a finite x).
        if phi == 0.0 and z.imag != 0.0 and math.isfinite(z.imag) and math.isfinite(z.real):
            raise OverflowError("math range error")
        return phi

    return impl


@overload(cmath.polar)
def polar(z):
    _refuse_complex("polar", z)

    def impl(z):
        z = complex(z)
        phi = _c_atan2(z.real, z.imag)
        r, error = _c_abs(z.real, z.imag)
        if error != 0:
            raise OverflowError("math range error")
        return r, phi

    return impl


@overload(cmath.rect)
def rect(r, phi):
    _refuse_real("rect", r, phi)

    def impl(r, phi):
        r, phi = float(r), float(phi)
        if not (math.isfinite(r) and math.isfinite(phi)):
            if math.isinf(r) and math.isfinite(phi) and phi != 0.0:
                sign = 1.0 if r > 0 else -1.0
                return complex(sign * math.copysign(math.inf, np.cos(phi)), sign * math.copysign(math.inf, np.sin(phi)))
            real, imag, error = _special(_RECT_SPECIAL, r, phi)
            return _complex_result(real, imag, error)
        if phi == 0.0:
            return complex(r, r * phi)
        return complex(r * np.cos(phi), r * np.sin(phi))

    return impl


@register_jitable
def _c_isfinite(re, im):
    return math.isfinite(re) and math.isfinite(im)


@register_jitable
def _c_isnan(re, im):
    return math.isnan(re) or math.isnan(im)


@register_jitable
def _c_isinf(re, im):
    return math.isinf(re) or math.isinf(im)


def _cmath_predicate(function, core):
    """Declares ``function`` (of ``cmath``, a predicate of one complex number) as ``core``
    computes it from the parts."""

    def typing(z):
        _refuse_complex(function.__name__, z)

        def impl(z):
            z = complex(z)
            return core(z.real, z.imag)

        return impl

    overload(function)(typing)


for _function, _core in ((cmath.isfinite, _c_isfinite), (cmath.isnan, _c_isnan), (cmath.isinf, _c_isinf)):
    _cmath_predicate(_function, _core)


@overload(cmath.isclose)
def c_isclose(a, b, rel_tol=1e-09, abs_tol=0.0):
    _refuse_complex("isclose", a, b)
    _refuse_real("isclose", rel_tol, abs_tol)

    def impl(a, b, rel_tol=1e-09, abs_tol=0.0):
        a, b, rel_tol, abs_tol = complex(a), complex(b), float(rel_tol), float(abs_tol)
        if rel_tol < 0.0 or abs_tol < 0.0:
            raise ValueError("tolerances must be non-negative")
        if a.real == b.real and a.imag == b.imag:
            return True
        if math.isinf(a.real) or math.isinf(a.imag) or math.isinf(b.real) or math.isinf(b.imag):
            return False
        diff = _c_abs(a.real - b.real, a.imag - b.imag)[0]
        return diff <= rel_tol * _c_abs(b.real, b.imag)[0] or diff <= rel_tol * _c_abs(a.real, a.imag)[0] or diff <= abs_tol

    return impl
