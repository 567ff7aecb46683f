"""``str()`` and ``repr()`` of datetime64 and timedelta64 values in compiled code (``print``
too), with NumPy's text: a date in ISO 8601 to the precision of its unit
(``2020-01-01T10:30``, years of more than four digits and negative ones as NumPy writes them),
a timedelta as its count and unit (``3 hours``), ``NaT``; the ``repr`` as NumPy 2's
(``np.datetime64('2020-01-01')``, ``np.timedelta64(3,'h')``)."""

import numpy as np

from .. import types
from ..extending import overload, register_jitable
from . import time_repr, time_str

# The digits of a second's fraction, per unit finer than a second.
_FRACTION_DIGITS = {"ms": 3, "us": 6, "ns": 9, "ps": 12, "fs": 15, "as": 18}

# NumPy's words for a timedelta's unit (`np.timedelta64(3, 'h')` is "3 hours").
_UNIT_WORDS = {
    "Y": "years", "M": "months", "W": "weeks", "D": "days", "h": "hours", "m": "minutes", "s": "seconds",
    "ms": "milliseconds", "us": "microseconds", "ns": "nanoseconds", "ps": "picoseconds", "fs": "femtoseconds",
    "as": "attoseconds", "": "generic time units",
}


@register_jitable
def _civil_date(days):
    """The text ``YYYY-MM-DD`` of the day ``days`` after 1970-01-01 in the proleptic Gregorian
    calendar (H. Hinnant's ``civil_from_days``; floor divisions, so negative days work)."""
    z = days + 719468
    era = z // 146097
    day_of_era = z - era * 146097
    year_of_era = (day_of_era - day_of_era // 1460 + day_of_era // 36524 - day_of_era // 146096) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    shifted_month = (5 * day_of_year + 2) // 153
    day = day_of_year - (153 * shifted_month + 2) // 5 + 1
    month = shifted_month + 3 if shifted_month < 10 else shifted_month - 9
    year = year_of_era + era * 400 + (1 if month <= 2 else 0)
    return f"{year:04d}-{month:02d}-{day:02d}"


def _date_text_of(unit):
    """The function ``(count) -> str`` writing a datetime of ``unit`` (not NaT) as NumPy does."""
    if unit == "Y":

        def years(count):
            return f"{1970 + count:04d}"

        return years
    if unit == "M":

        def months(count):
            return f"{1970 + count // 12:04d}-{count % 12 + 1:02d}"

        return months
    if unit in ("W", "D"):
        week = 7 if unit == "W" else 1

        def days(count):
            return _civil_date(count * week)

        return days
    if unit in ("h", "m"):
        per_day = 24 if unit == "h" else 1440

        def hours_or_minutes(count):
            day = count // per_day
            rest = count % per_day
            if per_day == 24:
                return _civil_date(day) + f"T{rest:02d}"
            return _civil_date(day) + f"T{rest // 60:02d}:{rest % 60:02d}"

        return hours_or_minutes
    digits = _FRACTION_DIGITS.get(unit, 0)
    per_second = 10**digits

    def seconds_and_finer(count):
        # Seconds first: a day of femtoseconds or attoseconds is beyond int64.
        seconds = count // per_second
        day = seconds // 86400
        second = seconds % 86400
        text = _civil_date(day) + f"T{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}"
        if digits == 0:
            return text
        fraction = count % per_second
        return text + "." + str(fraction).zfill(digits)

    return seconds_and_finer


def _unit_of(ty):
    return ty.unit


def _count_of(ty):
    """The function ``(x) -> int64`` giving the count of the time value ``x`` (not NaT) of the
    type ``ty``."""
    unit = _unit_of(ty)
    if isinstance(ty, types.NPDatetime):

        def date_count(x):
            return (x - np.datetime64(0, unit)) // np.timedelta64(1, unit)

        return date_count
    if unit == "":

        def generic_count(x):
            return x // np.timedelta64(1)

        return generic_count

    def delta_count(x):
        return x // np.timedelta64(1, unit)

    return delta_count


def _text(x, as_repr):
    unit = _unit_of(x)
    count_of = _count_of(x)
    if isinstance(x, types.NPDatetime):
        # NumPy's repr names the unit of NaT, and of hours (whose text would read as minutes).
        nat_text = f"np.datetime64('NaT','{unit or 'generic'}')" if as_repr else "NaT"
        if unit == "":

            def generic_date(x):
                return nat_text

            return generic_date
        date_text = _date_text_of(unit)
        prefix = "np.datetime64('" if as_repr else ""
        suffix = ("','h')" if unit == "h" else "')") if as_repr else ""

        def date(x):
            if np.isnat(x):
                return nat_text
            return prefix + date_text(count_of(x)) + suffix

        return date
    if as_repr:
        nat_text = f"np.timedelta64('NaT','{unit}')" if unit else "np.timedelta64('NaT')"
        suffix = f",'{unit}')" if unit else ")"

        def delta_repr(x):
            if np.isnat(x):
                return nat_text
            return "np.timedelta64(" + str(count_of(x)) + suffix

        return delta_repr
    words = " " + _UNIT_WORDS[unit]

    def delta_str(x):
        if np.isnat(x):
            return "NaT"
        return str(count_of(x)) + words

    return delta_str


@overload(time_str)
def _time_str(x):
    if not isinstance(x, (types.NPDatetime, types.NPTimedelta)):
        return None
    return _text(x, False)


@overload(time_repr)
def _time_repr(x):
    if not isinstance(x, (types.NPDatetime, types.NPTimedelta)):
        return None
    return _text(x, True)
