"""datetime64 and timedelta64: scalars and arrays as arguments and results, the constructors
and ISO date constants, arithmetic, comparisons and np.isnat, differential against NumPy over
units, NaT and array layouts."""

import gc
import re

import numpy as np
import pytest

import ferrojit
from ferrojit import _native
from helpers import assert_same, assert_same_array, dispatcher_of, to_python


def assert_same_time(got, expected, where="result"):
    """Same type, dtype (unit) and count; NaT equals NaT. Arrays as assert_same_array, other
    values as the compiled code boxes them (Python scalars)."""
    if isinstance(expected, tuple):
        assert type(got) is tuple and len(got) == len(expected), f"{where}: {got!r} != {expected!r}"
        for i, (g, e) in enumerate(zip(got, expected)):
            assert_same_time(g, e, f"{where}[{i}]")
    elif isinstance(expected, np.ndarray):
        assert_same_array(got, expected, where=where)
    elif isinstance(expected, (np.datetime64, np.timedelta64)):
        assert type(got) is type(expected), f"{where}: {got!r} != {expected!r}"
        assert got.dtype == expected.dtype, f"{where}: {got!r} != {expected!r}"
        assert got.view("i8") == expected.view("i8"), f"{where}: {got!r} != {expected!r}"
    else:
        assert_same(got, to_python(expected), where=where)


# One dispatcher per function for the whole module: a row compiles only the argument types it
# is the first to meet.
_COMPILED = {}


def check_time(func, *args):
    compiled = dispatcher_of(func, compiled=_COMPILED)
    with np.errstate(all="ignore"):
        try:
            expected = func(*args)
        except OverflowError as error:
            # NumPy 2.5 refuses a count past the int64 range of a finer unit (older NumPy wraps
            # it): the same exception and message.
            with pytest.raises(OverflowError, match=f"^{re.escape(str(error))}$"):
                compiled(*args)
            return
    assert_same_time(compiled(*args), expected)


UNITS = ["Y", "M", "W", "D", "h", "m", "s", "ms", "us", "ns"]
FIXED_UNITS = ["W", "D", "h", "m", "s", "ms", "us", "ns"]


def date_in(unit, count=1234):
    return np.datetime64(count, unit)


def delta_in(unit, count=-57):
    return np.timedelta64(count, unit)


def nat_date(unit):
    return np.datetime64("NaT", unit)


def nat_delta(unit):
    return np.timedelta64("NaT", unit)


# --- arithmetic and comparisons of scalars -------------------------------------------------------

def add(x, y):
    return x + y


def sub(x, y):
    return x - y


def compare_all(x, y):
    return x < y, x <= y, x == y, x != y, x > y, x >= y


def delta_by_delta(x, y):
    return x / y, x // y, x % y


def delta_by_numbers(x):
    return x * 3, -2 * x, x * 1.5, x / 4, x / 2.5, x // 3, x // -3


def by_zero(x, zero):
    return x // zero, x / zero, x // np.timedelta64(zero, "s"), x % np.timedelta64(zero, "s")


def unary(x):
    return -x, +x, abs(x)


def nat_test(x):
    return np.isnat(x)


def plus_integer(x):
    return x + 7, x - 2


PAIRS = (
    [(delta_in(a), delta_in(b, 31)) for a in FIXED_UNITS for b in ("D", "s", "ns")]
    + [(date_in(a), delta_in(b, 31)) for a in FIXED_UNITS for b in ("D", "h", "us")]
    + [(delta_in("Y", 3), delta_in("M", 5)), (date_in("M"), delta_in("Y", 2)), (date_in("Y"), delta_in("Y", 2))]
    # A date in years or months meets a fixed unit through the calendar.
    + [(date_in("M", -7), delta_in("D", 31)), (date_in("Y", 50), delta_in("h", -5)), (date_in("M", 601), delta_in("W", 3)), (nat_date("M"), delta_in("D"))]
    + [(date_in(u), delta_in(u)) for u in UNITS]
    # Counts past the int64 range in the finer unit.
    + [(delta_in("D", 2**50 + 3), delta_in("ns", 31)), (date_in("D", -(2**50) - 3), delta_in("ns", 31)), (date_in("s", 2**61), delta_in("ms", 1))]
)


def pair_id(pair):
    return "-".join(str(v.dtype) for v in pair)


@pytest.mark.parametrize("pair", PAIRS, ids=pair_id)
@pytest.mark.parametrize("func", [add, sub])
def test_sums_and_differences(func, pair):
    x, y = pair
    check_time(func, x, y)
    if isinstance(x, np.timedelta64):
        check_time(func, y, x)


DATE_PAIRS = [(date_in(a, 50), date_in(b, 17)) for a in UNITS for b in UNITS if (a in FIXED_UNITS) == (b in FIXED_UNITS)] + [
    (date_in("M", 601), date_in("D", 18_300)), (date_in("D", -40), date_in("M", -1)), (date_in("Y", 50), date_in("h", 438_300)),
    (date_in("ns", 1), date_in("Y", 0)), (date_in("M", 5), nat_date("s")),
    # A count past the int64 range in the finer unit.
    (date_in("D", 2**50 + 3), date_in("ns", 17)),
]


@pytest.mark.parametrize("pair", DATE_PAIRS, ids=pair_id)
def test_dates_subtract_and_compare(pair):
    check_time(sub, *pair)
    check_time(compare_all, *pair)
    check_time(compare_all, pair[0], pair[0])


@pytest.mark.parametrize("unit", FIXED_UNITS)
@pytest.mark.parametrize("func", [add, sub, compare_all])
def test_nat_propagates_and_compares_unequal(func, unit):
    if func is add:
        check_time(func, nat_date(unit), delta_in("D"))
        check_time(func, delta_in("h"), nat_delta(unit))
    else:
        check_time(func, nat_date(unit), date_in("D"))
        check_time(func, date_in("s"), nat_date(unit))
        check_time(func, nat_delta(unit), nat_delta(unit))


@pytest.mark.parametrize("x, y", [
    (delta_in("h", 36), delta_in("h", 5)), (delta_in("h", -36), delta_in("h", 5)), (delta_in("D", 7), delta_in("h", 5)),
    (delta_in("ns", 10**12), delta_in("s", -3)), (nat_delta("h"), delta_in("h", 5)), (delta_in("h", 5), nat_delta("D")),
], ids=lambda v: repr(v))
def test_timedelta_ratios_quotients_and_remainders(x, y):
    check_time(delta_by_delta, x, y)


@pytest.mark.parametrize("x", [delta_in("h", 37), delta_in("D", -7), delta_in("ns", 10**15), nat_delta("s")], ids=repr)
def test_timedelta_times_and_by_numbers(x):
    check_time(delta_by_numbers, x)
    check_time(unary, x)
    check_time(by_zero, x, 0)


@pytest.mark.parametrize("x", [date_in("D"), date_in("ns", -5), nat_date("h"), delta_in("s"), nat_delta("D"), np.datetime64("NaT")], ids=repr)
def test_isnat(x):
    check_time(nat_test, x)


@pytest.mark.parametrize("x", [date_in("D"), date_in("M"), delta_in("h"), nat_date("s")], ids=repr)
def test_an_integer_counts_in_the_operands_unit(x):
    check_time(plus_integer, x)


# --- constructors and constants ------------------------------------------------------------------

def constants():
    return (np.datetime64("2020-03-01"), np.datetime64("2020-03"), np.datetime64("2020"),
            np.datetime64("2020-03-01T10"), np.datetime64("2020-03-01T10:30"), np.datetime64("2020-03-01T10:30:15"),
            np.datetime64("2020-03-01T10:30:15.250"), np.datetime64("1969-12-31T23:59:59.999999"),
            np.datetime64("2020-03-01T10:30:15.123456789"), np.datetime64("NaT"), np.datetime64("2020-03-01", "s"),
            np.datetime64("2021-06", "D"), np.datetime64("NaT", "ns"), np.datetime64("2020-01-01T10:30", "D"),
            np.datetime64("2020-01-15", "M"), np.datetime64("1969-12-31T23", "Y"), np.datetime64("1969-12-31T23:59", "W"),
            np.datetime64("2021", "h"))


def delta_constants():
    return np.timedelta64(3, "D"), np.timedelta64(-5), np.timedelta64("NaT", "h"), np.timedelta64(), np.timedelta64(2, "W")


def from_counts(n):
    return np.datetime64(n, "D"), np.datetime64(n, "ns"), np.timedelta64(n, "m"), np.timedelta64(n)


def converted(d, t):
    return np.datetime64(d, "ns"), np.timedelta64(t, "us")


def test_date_constants():
    check_time(constants)
    check_time(delta_constants)


@pytest.mark.parametrize("n", [0, 17, -40000])
def test_constructors_from_counts(n):
    check_time(from_counts, n)


def test_constructors_convert_to_finer_units():
    check_time(converted, date_in("D"), delta_in("s"))
    check_time(converted, nat_date("h"), nat_delta("ms"))


def bad_date():
    return np.datetime64("2021-02-30")


def bad_unit():
    return np.timedelta64(3, "fortnight")


def years_with_days():
    return np.timedelta64(1, "Y") + np.timedelta64(1, "D")


def datetime_plus_datetime(d):
    return d + d


def sum_in_time_unit(a):
    return a.sum(dtype="m8[s]")


@pytest.mark.parametrize("func, args, message", [
    (bad_date, (), "Error parsing datetime string"),
    (bad_unit, (), "Invalid datetime unit"),
    (years_with_days, (), "incompatible nonlinear base time units"),
    (add, (date_in("D"), delta_in("M")), "incompatible nonlinear base time units"),
    (datetime_plus_datetime, (date_in("D"),), "unsupported operand types"),
    (sum_in_time_unit, (np.arange(3),), "only select the general DType"),
])
def test_errors_are_typing_errors(func, args, message):
    with pytest.raises(ferrojit.errors.TypingError, match=message):
        ferrojit.njit(func)(*args)


# --- arrays ----------------------------------------------------------------------------------------

def dates(unit, order="C"):
    base = np.array(["2020-01-01", "2020-02-29T13:45", "NaT", "1969-07-20T20:17", "2038-01-19T03:14:07", "1900-03-01"], dtype=f"M8[{unit}]")
    return np.asarray(base.reshape(2, 3), order=order)


def layouts(unit):
    grid = dates(unit)
    return {
        "C": grid,
        "F": dates(unit, "F"),
        "strided": grid[:, ::2],
        "reversed": grid[::-1, ::-1],
        "0-d": np.array(grid[0, 1]),
        "empty": grid[:0],
    }


def array_ops(a, t):
    return a + t, a - a, np.isnat(a), t - (a - a), a != a


def array_comparisons(a):
    return a >= a[..., :1], a[..., ::-1] < a, a == a[:1]


def array_steps(a):
    flat = a.ravel()
    return flat[1:] - flat[:-1]


@pytest.mark.parametrize("layout", ["C", "F", "strided", "reversed", "0-d", "empty"])
@pytest.mark.parametrize("unit", ["D", "s", "ns"])
def test_array_expressions(unit, layout):
    a = layouts(unit)[layout]
    check_time(array_ops, a, delta_in("h", 30))
    if a.ndim:
        check_time(array_steps, a)
        check_time(array_comparisons, a)


def sum_of_gaps(a):
    total = np.timedelta64(0, "s")
    for i in range(1, a.shape[0]):
        if not np.isnat(a[i]) and not np.isnat(a[i - 1]):
            total = total + (a[i] - a[i - 1])
    return total


def write_dates(a, d):
    for i in range(a.shape[0]):
        a[i] = d + np.timedelta64(i, "D")


def test_loops_read_and_write_time_arrays():
    a = dates("s").ravel()
    check_time(sum_of_gaps, a)
    compiled, expected = a.copy(), a.copy()
    ferrojit.njit(write_dates)(compiled, np.datetime64("2024-02-28"))
    write_dates(expected, np.datetime64("2024-02-28"))
    assert_same_array(compiled, expected)


def identity(x):
    return x


@pytest.mark.parametrize("value", [dates("D"), dates("ns", "F"), np.array([1, -2], "m8[h]"), np.array([], "m8"), date_in("Y"), delta_in("ms"), np.timedelta64(4)], ids=lambda v: str(v.dtype))
def test_time_values_round_trip(value):
    check_time(identity, value)


def shifted(a):
    return a + np.timedelta64(1, "h")


def converted_and_ordered(a):
    b = a.astype("M8[M]")
    c = np.sort(a.ravel())
    return (b, c, np.argsort(a, axis=0), np.searchsorted(c, a), np.arange(a[0, 0], a[0, 1], 3), np.zeros_like(a), a.astype(np.float64),
            a.max(axis=0), (a - a[0, 0]).sum(axis=1), np.diff(a), np.concatenate((a, a)))


def failing_range(a):
    r = np.sort(a.ravel())
    return r, np.arange(a[0, 0], a[0, 2])


@pytest.mark.parametrize("func", [shifted, converted_and_ordered])
def test_new_time_arrays_are_freed(func):
    a = dates("s")
    f = ferrojit.njit(func)
    f(a)
    gc.collect()
    live = _native.live_allocations()
    for _ in range(3_000):
        f(a)
    gc.collect()
    assert _native.live_allocations() == live


def test_a_raising_time_range_frees_what_it_made():
    a = dates("s")  # a[0, 2] is NaT: the range raises after the sort made its array
    f = ferrojit.njit(failing_range)
    with pytest.raises(ValueError):
        f(a)
    gc.collect()
    live = _native.live_allocations()
    for _ in range(2_000):
        with pytest.raises(ValueError):
            f(a)
    gc.collect()
    assert _native.live_allocations() == live


@pytest.mark.parametrize("dtype", ["M8[3ms]", ">M8[ns]"])
def test_unsupported_time_dtypes_are_refused_clearly(dtype):
    with pytest.raises(TypeError, match="datetime64 and timedelta64 take one unit"):
        ferrojit.njit(identity)(np.zeros(2, dtype))


def truths(d, t):
    return bool(d), bool(t), not t


@pytest.mark.parametrize("d, t", [(date_in("D", 0), delta_in("h", 0)), (date_in("s", 5), delta_in("h", -2)), (nat_date("D"), nat_delta("ns"))], ids=repr)
def test_truth_of_time_values_is_a_nonzero_count(d, t):
    check_time(truths, d, t)


@pytest.mark.parametrize("body, message", [
    ("print(a)", "printing a"),
    ("return a.std()", "is not supported yet"),
])
def test_unsupported_uses_of_time_arrays_are_clear_errors(tmp_path, body, message):
    from helpers import import_written_module
    module = import_written_module(tmp_path, "time_misuse", f"import numpy as np\n\n\ndef f(a):\n    {body}\n")
    with pytest.raises(ferrojit.errors.UnsupportedError, match=message):
        ferrojit.njit(module.f)(dates("D").ravel())


def whole_reductions(a):
    return a.min(), a.max(), np.min(a), np.max(a)


def delta_sum(t):
    return t.sum(), np.sum(t)


@pytest.mark.parametrize("layout", ["C", "F", "strided", "reversed", "0-d"])
@pytest.mark.parametrize("unit", ["D", "ns"])
def test_minimum_and_maximum_propagate_nat(unit, layout):
    a = layouts(unit)[layout]
    check_time(whole_reductions, a)
    without_nat = a[~np.isnat(a)] if a.ndim else a
    if without_nat.size:
        check_time(whole_reductions, without_nat)


@pytest.mark.parametrize("t", [np.array([5, -3, 7], "m8[h]"), np.array([5, -3, 7], "m8[h]")[::-1], np.array([[1, 2], [3, 4]], "m8[s]").T,
                               np.array([], "m8[D]"), np.array([4, "NaT"], "m8[ms]")], ids=lambda v: f"{v.dtype}-{v.shape}")
def test_timedelta_sums(t):
    check_time(delta_sum, t)


def test_empty_time_minimum_raises_as_numpy():
    with pytest.raises(ValueError):
        ferrojit.njit(whole_reductions)(np.array([], "M8[s]"))


# --- conversions: astype, constructors and stores into coarser units --------------------------------

def astype_function(tmp_path, target):
    """A function returning ``a.astype(target)``, written with the target as a constant (the result's
    type depends on it)."""
    from helpers import import_written_module
    name = "astype_" + "".join(c if c.isalnum() else "_" for c in target)
    module = import_written_module(tmp_path, name, f"import numpy as np\n\n\ndef f(a):\n    return a.astype({target})\n")
    return module.f


def _as_unit(a, unit):
    with np.errstate(all="ignore"):
        return a.astype(f"M8[{unit}]")


SOURCE_DATES = dates("ns").ravel()
SOURCE_DELTAS = np.array([1, -1, 0, 400, -61, 2_629_747, "NaT"], "m8[D]")
# (source array, target dtype as written): every unit of the same kind (finer: exact; coarser: floored,
# through the calendar for years and months of dates), the other kind, numbers both ways.
ASTYPE_CASES = (
    [(SOURCE_DATES, f"'M8[{u}]'") for u in UNITS]
    + [(_as_unit(SOURCE_DATES, u), "'M8[s]'") for u in ("Y", "M", "W", "D")]
    + [(_as_unit(SOURCE_DATES, "D"), f"'datetime64[{u}]'") for u in ("Y", "M", "W", "h")]
    # Just before a month, a year and a week begin: flooring toward the past matters.
    + [(np.array(["1969-12-31T23", "1899-12-31T23:59:59", "2020-02-26T23:00:01", "NaT"], "M8[s]"), f"'M8[{u}]'") for u in ("Y", "M", "W", "D")]
    + [(SOURCE_DELTAS, f"'m8[{u}]'") for u in UNITS]
    + [(SOURCE_DELTAS.astype("m8[h]"), "'m8[D]'"), (np.array([1, -1, 25, "NaT"], "m8[M]"), "'m8[Y]'"), (np.array([1, -1, "NaT"], "m8[Y]"), "'m8[s]'"),
       (np.array([1, -1, "NaT"], "m8[W]"), "'m8[M]'")]
    + [(SOURCE_DATES, t) for t in ("'m8[D]'", "'m8'", "'M8'", "np.int64", "np.int32", "np.uint8", "np.float64", "np.float32", "np.bool_", "np.complex128")]
    + [(SOURCE_DELTAS, t) for t in ("'M8[h]'", "'m8'", "np.int64", "np.int16", "np.float64", "bool")]
    + [(np.array([3, -4, 0]), t) for t in ("'M8[D]'", "'m8[h]'", "'m8'")]
    + [(np.array([1.7, -1.7, np.nan, np.inf, -np.inf, 9.3e18, 0.0]), t) for t in ("'M8[D]'", "'m8[s]'", "'m8'")]
    + [(np.array([1.5, -2.5, np.nan], np.float32), "'m8[ms]'"), (np.array([True, False]), "'m8[h]'"), (np.array([300, 7], np.uint16), "'M8[Y]'"),
       (np.array([2.9 + 1j, -3.1 - 2j]), "'m8[D]'")]
    + [(SOURCE_DATES, "np.dtype('M8[ms]')"), (SOURCE_DELTAS, "np.dtype('<m8[us]')")]
)


@pytest.mark.parametrize("a, target", ASTYPE_CASES, ids=lambda c: str(c.dtype) if isinstance(c, np.ndarray) else c)
def test_astype_converts_as_numpy(tmp_path, a, target):
    check_time(astype_function(tmp_path, target), a)


@pytest.mark.parametrize("layout", ["C", "F", "strided", "reversed", "0-d", "empty"])
@pytest.mark.parametrize("target", ["'M8[M]'", "'M8[ms]'", "np.float64"])
def test_astype_keeps_shape_and_order(tmp_path, layout, target):
    check_time(astype_function(tmp_path, target), layouts("s")[layout])


def coarser(d, t):
    return np.datetime64(d, "D"), np.datetime64(d, "M"), np.datetime64(d, "Y"), np.timedelta64(t, "h"), np.timedelta64(t, "D")


@pytest.mark.parametrize("d, t", [(date_in("s", -1), delta_in("m", -61)), (date_in("ns", 10**18), delta_in("s", 90_000)), (nat_date("us"), nat_delta("m"))], ids=repr)
def test_constructors_convert_to_coarser_units(d, t):
    check_time(coarser, d, t)


def store_finer(a, d):
    a[0] = d
    a[1] = d + np.timedelta64(1, "h")
    return a


def test_stores_into_coarser_arrays_floor():
    for a, d in [(dates("D").ravel(), np.datetime64("1969-12-31T23", "h")), (dates("M").ravel(), np.datetime64("2020-03-31T23:59:59", "s"))]:
        expected = a.copy()
        with np.errstate(all="ignore"):
            store_finer(expected, d)
        assert_same_array(ferrojit.njit(store_finer)(a.copy(), d), expected)


def new_time_arrays(d, t):
    return (np.zeros(3, "m8[s]"), np.ones((2, 2), "M8[h]", order="F"), np.full(2, t, "m8[m]"), np.full(2, d), np.full(3, 7, "M8[D]"),
            np.empty(0, "datetime64[ns]"), np.zeros_like(np.full(2, d)), np.ones_like(np.full(2, d), dtype="m8[D]"), np.full_like(np.zeros(2, "M8[s]"), d))


def test_new_arrays_of_time_dtypes():
    check_time(new_time_arrays, np.datetime64("2020-01-01T10", "h"), np.timedelta64(5, "h"))


def assign_all(a, b):
    a[...] = b
    a[:1] = b[-1:]
    return a


@pytest.mark.parametrize("a, b", [
    (dates("D"), dates("s")), (dates("ns").T.copy(), dates("M").T), (np.zeros(3, "m8[h]"), np.array([90, -90, 5], "m8[m]")), (np.zeros(2, "M8[D]"), np.array([3, -3])),
], ids=lambda v: str(v.dtype))
def test_assigning_time_arrays_converts_units(a, b):
    expected = a.copy()
    assign_all(expected, b)
    assert_same_array(ferrojit.njit(assign_all)(a.copy(), b), expected)


def arange_dates(d, e):
    return np.arange(d, e), np.arange(d, e, 7), np.arange(e, d, -2), np.arange(d, e, np.timedelta64(30, "h")), np.arange(d, e, dtype="M8[h]")


def arange_deltas(t, u):
    return np.arange(t), np.arange(2, t), np.arange(u, t, np.timedelta64(90, "m")), np.arange(3, dtype="m8[D]"), np.arange(1, 9, 3, dtype="M8[D]")


def arange_one_date(d):
    return np.arange(d)


def arange_zero_step(d, e):
    return np.arange(d, e, 0)


@pytest.mark.parametrize("d, e", [
    (np.datetime64("2020-01-01"), np.datetime64("2020-01-09T05", "h")), (np.datetime64("2020-01", "M"), np.datetime64("2020-01-10")),
    (np.datetime64("1969-12-30T10", "h"), np.datetime64("1970-01-02")), (np.datetime64("2020-01-09"), np.datetime64("2020-01-01")),
], ids=repr)
def test_arange_of_dates(d, e):
    check_time(arange_dates, d, e)


@pytest.mark.parametrize("t, u", [(np.timedelta64(5, "h"), np.timedelta64(1, "h")), (np.timedelta64(-5, "D"), np.timedelta64(3, "D"))], ids=repr)
def test_arange_of_timedeltas(t, u):
    check_time(arange_deltas, t, u)


@pytest.mark.parametrize("func, args, message", [
    (arange_one_date, (np.datetime64("2020-01-05"),), "requires both a start and a stop"),
    (arange_dates, (np.datetime64("NaT", "D"), np.datetime64("2020-01-05")), "cannot use NaT"),
    (arange_zero_step, (np.datetime64("2020-01-05"), np.datetime64("2020-01-09")), "step cannot be zero"),
])
def test_arange_of_times_raises_as_numpy(func, args, message):
    with pytest.raises(ValueError, match=message):
        func(*args)
    with pytest.raises(ValueError, match=message):
        ferrojit.njit(func)(*args)


def joined(a, b):
    return (np.concatenate((a, b)), np.concatenate((a, b), axis=None), np.stack((a, b), axis=1), np.hstack((a, b)), np.vstack((a, b)),
            np.dstack((a, b)), np.column_stack((a, b)), np.append(a, b), np.array((a, b)))


def reshaped(a, b):
    return (np.delete(a, 1), np.pad(a, 1, mode="edge"), np.resize(a, 9), np.tile(a, 2), np.roll(a, 2), np.broadcast_to(a, (2, a.size)),
            np.broadcast_arrays(a, b), np.atleast_2d(a), np.diag(a), np.meshgrid(a, b), np.repeat(a, 2), np.flip(a))


@pytest.mark.parametrize("func", [joined, reshaped])
def test_joining_and_reshaping_keep_the_time_unit(func):
    """New arrays of joined time arrays are in NumPy's common unit (not the generic unit)."""
    a = np.array(["2020-01-01", "2020-02-29T13:45", "NaT", "1969-07-20T20:17"], "M8[s]")
    check_time(func, a, np.array(["2021-01-01", "NaT", "2020-02-29", "1969-07-20"], "M8[D]"))
    check_time(func, a - a[0], np.array([3, -4, 0, 8], "m8[m]"))


def picks(a, b):
    return np.maximum(a, b), np.minimum(a, b), np.fmax(a, b), np.fmin(a, b), np.where(a > b, a, b), np.where(np.isnat(a), b, a)


@pytest.mark.parametrize("a, b", [
    (np.array(["2020-01-01", "2020-02-29T13:45", "NaT", "1969-07-20T20:17", "NaT"], "M8[s]"), np.array(["2021-01-01", "NaT", "2020-02-29", "1969-07-20", "NaT"], "M8[D]")),
    (np.array([1, -5, "NaT", 7, 3], "m8[h]"), np.array([90, "NaT", 30, -600, 180], "m8[m]")),
    (np.array([1, -5, "NaT", 7, 3], "m8[h]").reshape(5, 1), np.timedelta64(2, "h")),
    (np.datetime64("2020-01-01"), np.array(["NaT", "2019-12-31T23"], "M8[h]")),
], ids=["dates", "deltas", "broadcast", "scalar-and-array"])
def test_where_maximum_minimum_of_times(a, b):
    """NaT wins in maximum/minimum and loses in fmax/fmin (as NaN does), in the common unit."""
    check_time(picks, a, b)
    check_time(picks, b, a)


def where_of_mixed_kinds(c, d, t):
    return np.where(c, d, t)


def test_where_of_a_date_and_a_timedelta_is_a_typing_error():
    with pytest.raises(ferrojit.errors.TypingError, match="two datetime64 or two timedelta64"):
        ferrojit.njit(where_of_mixed_kinds)(True, np.datetime64("2020-01-01"), np.timedelta64(1, "D"))


def differences(a):
    return np.diff(a), np.diff(a, 2), np.diff(a, axis=0)


def differences_n(a, n):
    return np.diff(a, n)


@pytest.mark.parametrize("a", [dates("s"), dates("D", "F"), dates("s") - np.datetime64("2000-01-01"), layouts("ns")["strided"]], ids=lambda a: f"{a.dtype}-{a.flags.f_contiguous}")
def test_diff_of_times(a):
    """Differences of datetimes are timedeltas, of timedeltas timedeltas; NaT propagates."""
    check_time(differences, a)
    check_time(differences_n, a, 1)


def test_diff_of_datetimes_with_n_zero_at_run_time_is_refused():
    with pytest.raises(ValueError, match="n=0"):
        ferrojit.njit(differences_n)(dates("s"), 0)


def extreme_positions(a):
    return np.argmax(a), np.argmin(a), a.argmax(), np.argmax(a, axis=0), np.argmin(a, axis=-1)


@pytest.mark.parametrize("a", [dates("s"), dates("s") - np.datetime64("2000-01-01"), dates("D", "F")[:, ::2], dates("ns")[:, [0, 1]]], ids=lambda a: str(a.dtype))
def test_argmin_argmax_of_times_find_nat_first(a):
    check_time(extreme_positions, a)


def axis_reductions(a):
    return np.min(a, axis=0), np.max(a, axis=1), a.min(axis=-1), a.max(axis=0, keepdims=True)


def timedelta_axis_sums(t):
    return t.sum(axis=0), np.sum(t, axis=1, keepdims=True)


@pytest.mark.parametrize("layout", ["C", "F", "strided", "reversed"])
@pytest.mark.parametrize("unit", ["D", "s"])
def test_reductions_along_an_axis(unit, layout):
    """NaT wherever a lane holds one, as NumPy's; timedelta sums along an axis too."""
    a = layouts(unit)[layout]
    check_time(axis_reductions, a)
    check_time(timedelta_axis_sums, a - np.datetime64("2000-01-01"))


def test_reductions_along_an_empty_axis():
    t = dates("s")[:, :0] - np.datetime64("2000-01-01")
    check_time(timedelta_axis_sums, t)
    check_time(timedelta_axis_sums, dates("s")[:0, :] - np.datetime64("2000-01-01"))
    with pytest.raises(ValueError, match="maximum which has no identity"):
        ferrojit.njit(axis_reductions)(dates("s")[:, :0])


def times_1024(t):
    return t * 1024.0, t / (1.0 / 1024.0)


@pytest.mark.parametrize("count", [2**53 - 1, 2**53, -(2**53)])
def test_float_products_at_the_int64_limit(count):
    """Products up to the largest double below 2**63 keep their count; from 2**63 they are NaT (the one
    rule of `astype` from floats too)."""
    check_time(times_1024, np.timedelta64(count, "ns"))
    check_time(astype_function_of_floats, np.array([count * 1024.0, -count * 1024.0]))


def astype_function_of_floats(a):
    return a.astype("m8[ns]")
