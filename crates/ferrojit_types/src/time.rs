//! The arithmetic of NumPy's time units, shared by the compiler (constants, and the conversions
//! it writes inline) and the runtime (the conversions through the calendar): one definition of
//! how a count of one unit becomes a count of another.
//!
//! A datetime64 or timedelta64 is an int64 count of its unit from 1970-01-01 (for datetimes).
//! Units of fixed length (weeks and finer) convert by their ratio. Datetimes in years or months
//! convert to and from the other units through the proleptic Gregorian calendar; timedeltas in
//! years or months through NumPy's average lengths (a year of 365.2425 days, a month of a twelfth
//! of it). Every conversion to a coarser unit floors, toward the past, as NumPy's casts do.

use crate::TimeUnit;

/// NaT ("not a time"): the count that stands for no time, the smallest int64.
pub const NAT: i64 = i64::MIN;

/// A year, at NumPy's average length (146097 days every 400 years), in seconds.
const AVERAGE_YEAR_SECONDS: u128 = 146_097 * 86_400 / 400;

impl TimeUnit {
    /// Years and months: the units whose length varies with the calendar.
    pub fn is_calendar(self) -> bool {
        matches!(self, TimeUnit::Years | TimeUnit::Months)
    }

    /// Attoseconds per unit, years and months at NumPy's average lengths: the lengths by which
    /// timedeltas convert. `None` for the generic unit.
    pub fn average_attoseconds(self) -> Option<u128> {
        let second: u128 = 1_000_000_000_000_000_000;
        match self {
            TimeUnit::Years => Some(AVERAGE_YEAR_SECONDS * second),
            TimeUnit::Months => Some(AVERAGE_YEAR_SECONDS / 12 * second),
            _ => self.attoseconds(),
        }
    }
}

/// The day (counted from 1970-01-01) of a year, month (1-12) and day of the month, in the
/// proleptic Gregorian calendar.
pub fn days_from_civil(year: i128, month: i128, day: i128) -> i128 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The year and month (1-12) of a day counted from 1970-01-01 (proleptic Gregorian).
pub fn civil_from_days(days: i128) -> (i128, i128) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i128::from(month <= 2), month)
}

/// `(num, den)` in lowest terms such that a count of `from` is `count * num // den` of `to`,
/// by the units' (average) lengths; `None` when either is the generic unit.
pub fn linear_factor(from: TimeUnit, to: TimeUnit) -> Option<(u128, u128)> {
    let (a, b) = (from.average_attoseconds()?, to.average_attoseconds()?);
    let g = gcd(a, b);
    Some((a / g, b / g))
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Whether converting a count from `from` to `to` goes through the calendar: a datetime
/// between years or months and a unit of fixed length.
pub fn through_calendar(from: TimeUnit, to: TimeUnit, datetime: bool) -> bool {
    datetime && from != TimeUnit::Generic && to != TimeUnit::Generic && from.is_calendar() != to.is_calendar()
}

/// A count of `from` as a count of `to`, as NumPy's casts convert it (see the module's
/// introduction): unchanged between a unit and itself or the generic unit, through the calendar
/// for datetimes between years or months and the other units, else by the units' lengths,
/// flooring. The caller keeps NaT and takes the result modulo 2**64 as an int64 (products past
/// the int64 range wrap, as NumPy's).
pub fn convert_count(count: i128, from: TimeUnit, to: TimeUnit, datetime: bool) -> i128 {
    let linear = |count: i128, from: TimeUnit, to: TimeUnit| match linear_factor(from, to) {
        Some((num, den)) => count.wrapping_mul(num as i128).div_euclid(den as i128),
        None => count,
    };
    if !through_calendar(from, to, datetime) {
        return linear(count, from, to);
    }
    let days = match from {
        TimeUnit::Years | TimeUnit::Months => {
            let months = if from == TimeUnit::Years { count * 12 } else { count };
            days_from_civil(1970 + months.div_euclid(12), months.rem_euclid(12) + 1, 1)
        }
        _ => linear(count, from, TimeUnit::Days),
    };
    match to {
        TimeUnit::Years | TimeUnit::Months => {
            let (year, month) = civil_from_days(days);
            let months = (year - 1970) * 12 + month - 1;
            if to == TimeUnit::Years {
                months.div_euclid(12)
            } else {
                months
            }
        }
        _ => linear(days, TimeUnit::Days, to),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use TimeUnit::*;

    #[test]
    fn dates_convert_through_the_calendar() {
        for ((count, from), to, expected) in [
            ((50 * 12 + 5, Months), Days, days_from_civil(2020, 6, 1)),
            ((51, Years), Hours, days_from_civil(2021, 1, 1) * 24),
            ((days_from_civil(2020, 1, 1) * 24 + 10, Hours), Days, days_from_civil(2020, 1, 1)),
            ((-1, Hours), Days, -1),
            ((days_from_civil(2020, 1, 31), Days), Months, 50 * 12),
            ((-1, Hours), Months, -1),
            ((-1, Hours), Years, -1),
            ((days_from_civil(2020, 3, 4), Days), Weeks, days_from_civil(2020, 2, 27) / 7),
            ((50 * 12 + 2, Months), Weeks, days_from_civil(2020, 2, 27) / 7),
            ((-1, Months), Weeks, -5),
        ] {
            assert_eq!(convert_count(count, from, to, true), expected, "{count} {from:?} -> {to:?}");
        }
        for days in [-800_000, -1, 0, 59, 18_262, 2_932_896] {
            let (year, month) = civil_from_days(days);
            assert!(days_from_civil(year, month, 1) <= days && days < days_from_civil(year + (month == 12) as i128, month % 12 + 1, 1));
        }
    }

    #[test]
    fn timedeltas_convert_by_average_lengths_flooring() {
        for ((count, from), to, expected) in [
            ((1, Years), Days, 365),
            ((-1, Years), Days, -366),
            ((1, Months), Seconds, 2_629_746),
            ((400, Days), Years, 1),
            ((-61, Minutes), Hours, -2),
            ((-1, Weeks), Months, -1),
            ((1, Weeks), Months, 0),
            ((3, Years), Months, 36),
            ((5, Generic), Hours, 5),
        ] {
            assert_eq!(convert_count(count, from, to, false), expected, "{count} {from:?} -> {to:?}");
        }
    }
}
