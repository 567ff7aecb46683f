"""The library functions on datetime64 and timedelta64 values, differential against NumPy 2:
``mean``, ``sum``, ``cumsum`` (and NumPy's TypeErrors for datetimes and products), ``clip``,
``diff`` with ``prepend=``/``append=``, ``np.insert`` and ``np.array`` of time values,
``np.where`` of scalars (a 0-d array), ``str``/``repr``/``print`` of time values with NumPy's
text, and multiples of units (``M8[3ms]``) refused clearly. Rows sweep units, array layouts
(C, F, strided, reversed, empty, 0-d) and NaT; arrays made by each function are freed."""

import gc
import warnings

import numpy as np
import pytest

import ferrojit
from ferrojit import _native
from helpers import check_print, dispatcher_of, import_written_module
from test_datetime64 import assert_same_time, layouts

UNITS = ["D", "h", "s", "ns"]
LAYOUTS = ["C", "F", "strided", "reversed", "empty", "0-d"]
EPOCH = np.datetime64("2000-01-01")


def deltas(unit, layout):
    """Timedeltas (one NaT) in `layout`, from the dates of `test_datetime64.layouts`."""
    return np.asarray(layouts(unit)[layout] - EPOCH)


def without_nat(a):
    return np.where(np.isnat(a), np.timedelta64(7, "h").astype(a.dtype), a) if a.dtype.kind == "m" else np.where(np.isnat(a), EPOCH.astype(a.dtype), a)


def expected_of(func, args):
    """NumPy's result of `func(*args)`, or the exception it raises."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            return func(*args)
        except Exception as e:  # noqa: BLE001 - the reference's own exception is the expectation
            return e


# One dispatcher per function for the whole module: a row compiles only the argument types it
# is the first to meet.
_COMPILED = {}


def check_like_numpy(func, *args):
    """Compiled `func` gives NumPy's value (type, dtype, unit, NaT) or raises NumPy's exception
    class (a TypeError subclass for NumPy's UFuncTypeError) with its message."""
    expected = expected_of(func, args)
    compiled = dispatcher_of(func, compiled=_COMPILED)
    if isinstance(expected, Exception):
        base = TypeError if isinstance(expected, TypeError) else type(expected)
        with pytest.raises(base) as raised:
            compiled(*args)
        assert type(raised.value) in (type(expected), base), raised.value
        assert str(raised.value) == str(expected)
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        assert_same_time(compiled(*args), expected)


# --- mean, sum, cumsum ---------------------------------------------------------------------------


def mean_whole(a):
    return a.mean(), np.mean(a)


def mean_axes(a):
    return a.mean(axis=0), np.mean(a, axis=-1), a.mean(axis=1, keepdims=True), np.mean(a, axis=(0, 1))


def mean_where(a):
    return a.mean(where=~np.isnat(a)), np.mean(a, axis=0, where=~np.isnat(a))


def cumsum_whole(a):
    return np.cumsum(a), a.cumsum()


def cumsum_axes(a):
    return np.cumsum(a, axis=0), a.cumsum(axis=-1)


def sum_where(a):
    return a.sum(where=~np.isnat(a)), np.sum(a, axis=(0, 1)), a.sum(keepdims=True)


def mean_of(a):
    return a.mean()


def mean_along(a):
    return a.mean(axis=0)


def cumsum_of(a):
    return np.cumsum(a)


def sum_of(a):
    return a.sum()


def prod_of(a):
    return np.prod(a)


def cumprod_of(a):
    return a.cumprod()


REDUCTION_ROWS = (
    [(f, unit, layout, nat) for f in (mean_whole, cumsum_whole) for unit in UNITS for layout in LAYOUTS for nat in (True, False)]
    + [(f, unit, layout, nat) for f in (mean_axes, cumsum_axes, mean_where, sum_where) for unit in ("D", "ns") for layout in LAYOUTS if layout != "0-d" for nat in (True, False)]
)


@pytest.mark.parametrize("func, unit, layout, nat", REDUCTION_ROWS, ids=lambda v: getattr(v, "__name__", str(v)))
def test_timedelta_means_and_cumulative_sums(func, unit, layout, nat):
    """NaT propagates as in NumPy's sum; a mean divides as a timedelta by an integer (truncated;
    NaT for an empty lane); the unit is kept."""
    a = deltas(unit, layout)
    check_like_numpy(func, a if nat else without_nat(a))


NO_LOOP_ROWS = (
    [(f, a) for f in (mean_of, mean_along, cumsum_of, sum_of, prod_of, cumprod_of) for a in (layouts("D")["C"], layouts("s")["F"])]
    + [(f, deltas(unit, "C")) for f in (prod_of, cumprod_of) for unit in ("h", "ns")]
)


@pytest.mark.parametrize("func, a", NO_LOOP_ROWS, ids=lambda v: getattr(v, "__name__", None) or str(v.dtype))
def test_reductions_numpy_has_no_loop_for_raise_its_type_error(func, a):
    """The mean, sum and cumsum of datetimes, products of time values: NumPy's TypeError (its
    UFuncTypeError is one) with its message, when the call runs."""
    check_like_numpy(func, a)


def test_timedelta_mean_rounds_toward_zero():
    for values in ([-1, -2, -2], [1, 2, 2], [5, -3], [2**62, 2**62 - 2]):
        check_like_numpy(mean_whole, np.array(values, "m8[ms]"))


# --- clip ------------------------------------------------------------------------------------------


def clip_both(a, lo, hi):
    return np.clip(a, lo, hi)


def clip_method(a, lo, hi):
    return a.clip(lo, hi), a.clip(lo)


def clip_into(a, lo, hi):
    out = np.zeros_like(a)
    np.clip(a, lo, hi, out=out)
    return out


D = np.datetime64
T = np.timedelta64
CLIP_BOUNDS = {
    "M": [(D("1970-01-01"), D("2020-01-01")), (D("1999-06-01T12", "h"), None), (None, D("2000-01-01T00:00:01", "s")), (D("NaT"), None),
          (None, D("NaT", "s")), (D("2030-01-01"), D("1900-01-01"))],
    "m": [(T(0, "h"), T(3000, "D")), (T(-5, "m"), None), (None, T(1, "W")), (0, 500), (T("NaT"), None), (None, T("NaT", "ns")), (T(9, "D"), T(1, "D"))],
}
CLIP_ROWS = [(kind, unit, layout, bounds) for kind in "Mm" for unit in ("D", "s") for layout in LAYOUTS for bounds in CLIP_BOUNDS[kind]]


@pytest.mark.parametrize("kind, unit, layout, bounds", CLIP_ROWS, ids=lambda v: repr(v) if isinstance(v, tuple) else str(v))
def test_clip_of_times(kind, unit, layout, bounds):
    """`np.minimum(np.maximum(a, lo), hi)` as NumPy's loop: NaT anywhere gives NaT, the common unit,
    an integer bound a count of the array's unit."""
    a = layouts(unit)[layout] if kind == "M" else deltas(unit, layout)
    check_like_numpy(clip_both, a, *bounds)
    if a.ndim and bounds[0] is not None:
        check_like_numpy(clip_method, a, *bounds)


@pytest.mark.parametrize("a, lo, hi", [
    (layouts("D")["C"], layouts("s")["reversed"], None),
    (deltas("h", "C"), None, deltas("m", "F")),
    (deltas("s", "strided"), deltas("s", "strided")[:1], T(1, "D")),
], ids=["dates", "deltas", "broadcast"])
def test_clip_by_arrays_of_times(a, lo, hi):
    check_like_numpy(clip_both, a, lo, hi)


def test_clip_into_out_converts_to_its_unit():
    check_like_numpy(clip_into, deltas("s", "C"), T(-1, "D"), T(2, "D"))


@pytest.mark.parametrize("a, lo, hi, message", [
    (layouts("D")["C"], 0, 5, "must be datetime64 values"),
    (layouts("D")["C"], T(1, "D"), None, "no common type for datetime64 and timedelta64"),
    (deltas("h", "C"), 0.5, None, "must be timedelta64 values"),
    (deltas("h", "C"), T(1, "M"), None, "incompatible nonlinear base time units"),
], ids=["dates-by-integers", "dates-by-timedelta", "deltas-by-float", "hours-and-months"])
def test_clip_of_times_refuses_what_numpy_refuses(a, lo, hi, message):
    with pytest.raises(TypeError):
        np.clip(a, lo, hi)
    with pytest.raises(ferrojit.errors.TypingError, match=message):
        ferrojit.njit(clip_both)(a, lo, hi)


# --- diff with prepend= and append= ------------------------------------------------------------------


def diff_prepend(a, p):
    return np.diff(a, prepend=p)


def diff_append(a, p):
    return np.diff(a, append=p, axis=0), np.diff(a, 2, append=p)


def diff_both(a, p):
    return np.diff(a, n=1, prepend=p, append=p)


DIFF_ENDS = {
    "M": [D("2019-12-31T12", "h"), D("NaT"), D("2021-03-04", "D")],
    "m": [T(1, "D"), T("NaT"), 5, T(90, "m")],
}
DIFF_ROWS = [(f, kind, unit, layout, end) for f in (diff_prepend, diff_append, diff_both) for kind in "Mm" for unit in ("D", "s")
             for layout in LAYOUTS if layout != "0-d" for end in DIFF_ENDS[kind]]


@pytest.mark.parametrize("func, kind, unit, layout, end", DIFF_ROWS, ids=lambda v: getattr(v, "__name__", repr(v)))
def test_diff_of_times_with_ends(func, kind, unit, layout, end):
    """The ends join in the common unit (an integer a count, for timedeltas); datetimes' differences
    are timedeltas; NaT propagates."""
    a = layouts(unit)[layout] if kind == "M" else deltas(unit, layout)
    check_like_numpy(func, a, end)


def test_diff_of_times_with_array_ends():
    a = layouts("s")["C"]
    check_like_numpy(diff_both, a, a[:, :1].astype("M8[ms]"))
    check_like_numpy(diff_both, a - EPOCH, (a - EPOCH)[:, -1:])


def diff_n_zero(a, p):
    return np.diff(a, 0, prepend=p)


def test_diff_n_zero_with_ends_is_the_array():
    check_like_numpy(diff_n_zero, deltas("h", "C"), T(1, "m"))


@pytest.mark.parametrize("a, end, message", [
    (layouts("D")["C"], T(1, "D"), "cannot join `timedelta64"),
    (layouts("D")["C"], 0, "cannot join `int64"),
    (deltas("h", "C"), D("2020-01-01"), "cannot join `datetime64"),
    (deltas("h", "C"), T(1, "M"), "incompatible nonlinear base time units"),
], ids=["dates-timedelta", "dates-integer", "deltas-date", "hours-months"])
def test_diff_of_times_refuses_ends_numpy_cannot_join(a, end, message):
    with pytest.raises(TypeError):
        np.diff(a, prepend=end)
    with pytest.raises(ferrojit.errors.TypingError, match=message):
        ferrojit.njit(diff_prepend)(a, end)


# --- np.insert and np.array of time values -----------------------------------------------------------


def insert_one(a, v):
    return np.insert(a, 1, v)


def insert_many(a, v):
    return np.insert(a, np.array([0, 2, -1]), v)


def insert_along(a, v):
    return np.insert(a, 0, v, axis=0), np.insert(a, a.shape[-1], v, axis=-1)


INSERT_VALUES = [D("2021-05-06"), D("2021-05-06T07:08", "m"), D("NaT"), 12, T(3, "h"), T(-2, "D"), T("NaT", "s"), np.float32(2.5)]
INSERT_ROWS = [(f, kind, layout, v) for f in (insert_one, insert_many, insert_along) for kind in "Mm" for layout in LAYOUTS if layout not in ("0-d", "empty")
               for v in INSERT_VALUES]


@pytest.mark.parametrize("func, kind, layout, value", INSERT_ROWS, ids=lambda v: getattr(v, "__name__", repr(v)))
def test_insert_of_time_values(func, kind, layout, value):
    """The value is converted as NumPy's `np.array(value, dtype=a.dtype)` converts it: a coarser unit
    floored, an integer a count, the other kind (and a float32) by NumPy's cast, the count kept."""
    a = layouts("s")[layout] if kind == "M" else deltas("s", layout)
    check_like_numpy(func, a, value)


def test_insert_of_a_python_float_into_times_raises_as_numpy():
    check_like_numpy(insert_one, deltas("s", "C"), 2.5)
    check_like_numpy(insert_one, layouts("s")["C"], 2.5)


def array_of(x, y):
    return np.array(x), np.array((x, y)), np.array(((x, y), (y, x))), np.array(x, ndmin=2)


def array_as_dtype(x):
    return np.array(x, dtype="m8[m]"), np.array(x, dtype="M8[D]"), np.array(x, dtype=np.int64), np.array(x, dtype=np.float64)


@pytest.mark.parametrize("x, y", [(D("2020-01-01"), D("2020-01-01T05", "h")), (T(5, "h"), T(-3, "s")), (D("NaT", "D"), D("1969-12-31T23:59:59", "s")),
                                  (T("NaT"), T(3, "D"))], ids=repr)
def test_arrays_of_time_values(x, y):
    """In the common unit of the values, as NumPy's."""
    check_like_numpy(array_of, x, y)
    check_like_numpy(array_as_dtype, x)


def test_array_of_times_and_numbers_is_refused():
    with pytest.raises(ferrojit.errors.TypingError, match="no common type"):
        ferrojit.njit(array_of)(D("2020-01-01"), 5)


def test_insert_of_a_string_names_the_call():
    def insert_text(a):
        return np.insert(a, 1, "x")

    with pytest.raises(ferrojit.errors.TypingError, match="`values` of `np.insert\\(\\)` must be") as raised:
        ferrojit.njit(insert_text)(np.arange(3))
    assert "test_datetime64_library.py" in str(raised.value)


# --- np.where of scalars -------------------------------------------------------------------------------


def where_of(c, x, y):
    return np.where(c, x, y)


def where_constants():
    return np.where(True, 1, 2.5), np.where(False, np.float32(1), 2)


def where_then_used(c, x, y):
    r = np.where(c, x, y)
    return r + r, r.ndim, r[()]


@pytest.mark.parametrize("c, x, y", [
    (True, 1, 2.5), (False, np.int8(3), np.uint8(200)), (np.bool_(True), np.float32(1.5), np.int16(2)), (np.array(False), 1j, 2),
    (True, D("2020-01-01"), D("2020-01-02T03", "h")), (False, T(1, "D"), T("NaT", "s")), (1, T(3, "m"), T(1, "h")),
], ids=repr)
def test_where_of_scalars_is_a_zero_dimensional_array(c, x, y):
    check_like_numpy(where_of, c, x, y)
    if isinstance(x, (int, float, np.number)):
        check_like_numpy(where_then_used, c, x, y)


def test_where_of_constants_is_a_zero_dimensional_array():
    check_like_numpy(where_constants)


# --- str, repr and print ------------------------------------------------------------------------------


def texts(x):
    return str(x), repr(x), f"<{x}>"


TEXT_VALUES = (
    [D(n, u) for u in ("Y", "M", "W", "D", "h", "m", "s", "ms", "us", "ns", "ps", "fs", "as") for n in (0, 1234, -1, -987654)]
    + [D("NaT", u) for u in ("D", "h", "ns")] + [D("NaT"), D(-300000, "Y"), D(2**62, "D"), D(-(2**62), "h"), D(2**62, "m"), D(-(2**62), "fs"), D(2**62, "as"),
                                                  D("2020-02-29T23:59:59.999", "ms"), D("1900-03-01"), D(10**18, "s")]
    + [T(n, u) for u in ("Y", "M", "W", "D", "h", "m", "s", "ms", "us", "ns", "ps", "fs", "as") for n in (1, -57)]
    + [T("NaT", "s"), T("NaT"), T(5), T(-(2**63) + 1, "ns")]
)


@pytest.mark.parametrize("x", TEXT_VALUES, ids=lambda v: f"{v.dtype}-{v.view('i8')}")
def test_text_of_time_values_is_numpy_s(x):
    check_like_numpy(texts, x)


def print_times(d, t):
    print(d, t)
    print((d, t), [t, t])
    print("at", d, sep=": ", end="!\n")


@pytest.mark.parametrize("d, t", [(D("2020-01-01T10:30"), T(-3, "s")), (D("NaT", "ns"), T("NaT")), (D(5, "Y"), T(1, "W"))], ids=repr)
def test_print_of_time_values(capsys, d, t):
    check_print(capsys, print_times, d, t)


# --- multiples of units ---------------------------------------------------------------------------------


@pytest.mark.parametrize("body", [
    "return np.datetime64(5, '3ms')",
    "return np.timedelta64(n, '15s')",
    "return np.zeros(3, 'm8[15s]')",
    "return np.full(2, n, 'M8[2D]')",
    "return np.arange(3).astype('M8[3ms]')",
    "return np.empty(n, dtype='timedelta64[10us]')",
], ids=lambda b: b.split("return ")[1])
def test_multiples_of_units_are_refused_naming_the_line(tmp_path, body):
    module = import_written_module(tmp_path, "multiples", f"import numpy as np\n\n\ndef f(n):\n    {body}\n")
    with pytest.raises(ferrojit.errors.UnsupportedError, match="a multiple of") as raised:
        ferrojit.njit(module.f)(2)
    text = str(raised.value)
    assert "multiples.py" in text and "line 5" in text, text


MULTIPLE = np.zeros(2, "M8[3ms]")


def uses_multiple():
    return MULTIPLE


def identity(x):
    return x


def test_multiples_of_units_as_globals_and_arguments_say_so():
    with pytest.raises(ferrojit.errors.TypingError, match=r"ndarray of dtype <M8\[3ms\]"):
        ferrojit.njit(uses_multiple)()
    for value in (np.zeros(2, "m8[15s]"), D(5, "3ms")):
        with pytest.raises(TypeError, match="take one unit"):
            ferrojit.njit(identity)(value)


# --- memory ---------------------------------------------------------------------------------------------


def every_new_array(a, d, n):
    return (np.cumsum(a), a.mean(axis=0), a.sum(axis=(0, 1), keepdims=True), np.clip(a, T(0, "s"), None), np.clip(d, d[:1], None),
            np.diff(d, prepend=d[0, 0]), np.insert(d, 1, d[0, 0]), np.array((d[0, 0], d[0, 1])), np.where(n > 0, d[0, 0], d[1, 1]),
            str(d[0, 0]), repr(a[0, 0]))


def raises_after_allocating(a, d, n):
    c = np.cumsum(a)
    e = np.clip(d, d[:1], None)
    if n > 0:
        d.mean()  # NumPy's TypeError
    return c, e, np.array(2.5, dtype="m8[h]")  # NumPy's ValueError


@pytest.mark.parametrize("func, raises", [(every_new_array, None), (raises_after_allocating, TypeError)], ids=["results", "raising"])
def test_time_library_calls_free_what_they_make(func, raises):
    a, d = deltas("s", "C"), layouts("s")["C"]
    compiled = ferrojit.njit(func)

    def call(n):
        if raises is None:
            return compiled(a, d, n)
        with pytest.raises((raises, ValueError)):
            compiled(a, d, n)

    call(1), call(0)
    gc.collect()
    live = _native.live_allocations()
    for i in range(2_000):
        call(i % 2)
    gc.collect()
    assert _native.live_allocations() == live
