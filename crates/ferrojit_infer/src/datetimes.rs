//! NumPy's `datetime64` and `timedelta64` in compiled code: constructors, arithmetic,
//! comparisons and `astype` with NumPy's unit rules and NaT ("not a time", the smallest int64).
//!
//! A time value is its int64 count of units. Typing lowers each operation to int64 (and
//! float64) arithmetic on the counts, with the NaT checks NumPy makes, so that code generation
//! only converts between a time type and its count (see `ferrojit_codegen`'s `cast`). Operands
//! of two units meet in the finer one; a datetime in years or months meets a unit of fixed
//! length through the calendar, a timedelta in years or months does not meet one (NumPy's
//! error). How a count converts between units is `ferrojit_types::time`'s: by a ratio written
//! inline, or through the calendar by a call of the runtime's `ferrojit_rt_convert_time`.

use crate::bind::Args;
use crate::expr::{Literals, Value};
use crate::function::{FnInfer, Result};
use crate::registry::Registry;
use ferrojit_ir::{self as ir, Const, ExprKind, ReduceOp, UnaryOp};
use ferrojit_syntax::ast::{BinOp, CmpOp, Span};
use ferrojit_types::time::{convert_count, days_from_civil, linear_factor, through_calendar};
use ferrojit_types::{TimeUnit, Type};

/// NaT: the count that stands for "not a time".
const NAT: i128 = ferrojit_types::time::NAT as i128;

pub(crate) fn register(r: &mut Registry) {
    r.function("numpy.datetime64", "value=None, unit=None, /", datetime64);
    r.function("numpy.timedelta64", "value=0, unit=None, /", timedelta64);
    r.function("numpy.isnat", crate::builtins::UNARY_UFUNC, isnat);
}

/// The time type a NumPy dtype name gives: `datetime64[D]`, `M8[ns]`, `<m8[h]`, `timedelta64`
/// (the generic unit) and the like; `None` for any other name.
pub(crate) fn time_type_named(name: &str) -> Option<Type> {
    let name = name.strip_prefix(['<', '=']).unwrap_or(name);
    let (kind, unit) = match name.split_once('[') {
        Some((kind, rest)) => (kind, TimeUnit::from_code(rest.strip_suffix(']')?).filter(|u| *u != TimeUnit::Generic)?),
        None => (name, TimeUnit::Generic),
    };
    match kind {
        "M8" | "datetime64" => Some(Type::Datetime(unit)),
        "m8" | "timedelta64" => Some(Type::Timedelta(unit)),
        _ => None,
    }
}

pub(crate) fn is_time(ty: &Type) -> bool {
    matches!(ty, Type::Datetime(_) | Type::Timedelta(_))
}

fn unit_of(ty: &Type) -> TimeUnit {
    match ty {
        Type::Datetime(u) | Type::Timedelta(u) => *u,
        _ => TimeUnit::Generic,
    }
}

/// The unit two time operands meet in (`a_date`, `b_date`: whether each is a datetime): the
/// finer one, a datetime in years or months converting to a unit of fixed length through the
/// calendar; `None` when NumPy has none (a timedelta in years or months with a unit of fixed
/// length).
fn common_unit(a: TimeUnit, a_date: bool, b: TimeUnit, b_date: bool) -> Option<TimeUnit> {
    use TimeUnit::{Generic, Months};
    Some(match (a, b) {
        _ if a == b => a,
        (Generic, u) | (u, Generic) => u,
        _ if a.is_calendar() && b.is_calendar() => Months,
        _ if a.is_calendar() => {
            if !a_date {
                return None;
            }
            b
        }
        _ if b.is_calendar() => {
            if !b_date {
                return None;
            }
            a
        }
        _ => {
            if a.attoseconds()? <= b.attoseconds()? {
                a
            } else {
                b
            }
        }
    })
}

fn int(v: i128, span: Span) -> ir::Expr {
    ir::Expr::new(ExprKind::Const(Const::Int(v)), Type::INT64, span)
}

/// Parses NumPy's ISO 8601 forms: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, then `THH`, `:MM`, `:SS`
/// and a fraction of 1-18 digits, or `NaT`; gives the count and the unit the text's precision
/// implies (as `np.datetime64(text)` does).
fn parse_datetime(text: &str) -> Option<(i128, TimeUnit)> {
    if text.eq_ignore_ascii_case("nat") {
        return Some((NAT, TimeUnit::Generic));
    }
    let number = |s: &str, len: usize| -> Option<i64> { if s.len() == len && s.bytes().all(|b| b.is_ascii_digit()) { s.parse().ok() } else { None } };
    let (date, time) = match text.split_once(['T', ' ']) {
        Some((d, t)) => (d, Some(t)),
        None => (text, None),
    };
    let (negative, date) = match date.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, date),
    };
    let mut parts = date.split('-');
    let year = number(parts.next()?, 4)? * if negative { -1 } else { 1 };
    let month = match parts.next() {
        Some(m) => Some(number(m, 2)?),
        None => None,
    };
    let day = match parts.next() {
        Some(d) => Some(number(d, 2)?),
        None => None,
    };
    if parts.next().is_some() || !(1..=12).contains(&month.unwrap_or(1)) || !(1..=31).contains(&day.unwrap_or(1)) {
        return None;
    }
    let Some(day) = day else {
        if time.is_some() {
            return None;
        }
        return Some(match month {
            None => (i128::from(year - 1970), TimeUnit::Years),
            Some(m) => (i128::from((year - 1970) * 12 + m - 1), TimeUnit::Months),
        });
    };
    let month = month.expect("a day follows a month");
    let (year, month, day) = (i128::from(year), i128::from(month), i128::from(day));
    let days = days_from_civil(year, month, day);
    // The day must exist in its month (no 2021-02-30).
    if days_from_civil(year, month, 1) + day - 1 != days || (month < 12 && days >= days_from_civil(year, month + 1, 1)) {
        return None;
    }
    let Some(time) = time else { return Some((days, TimeUnit::Days)) };
    let (clock, fraction) = match time.split_once('.') {
        Some((c, f)) => (c, Some(f)),
        None => (time, None),
    };
    let fields: Vec<&str> = clock.split(':').collect();
    if fields.len() > 3 || (fraction.is_some() && fields.len() != 3) {
        return None;
    }
    let limits = [24, 60, 60];
    let mut seconds = days * 86_400;
    let mut unit = TimeUnit::Hours;
    for (k, field) in fields.iter().enumerate() {
        let v = number(field, 2)?;
        if v >= limits[k] {
            return None;
        }
        seconds += v as i128 * [3_600, 60, 1][k];
        unit = [TimeUnit::Hours, TimeUnit::Minutes, TimeUnit::Seconds][k];
    }
    let whole = seconds / [3_600, 60, 1][fields.len() - 1];
    let Some(fraction) = fraction else { return Some((whole, unit)) };
    if fraction.is_empty() || fraction.len() > 18 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits = fraction.len().div_ceil(3) * 3;
    let unit = match digits {
        3 => TimeUnit::Millis,
        6 => TimeUnit::Micros,
        9 => TimeUnit::Nanos,
        12 => TimeUnit::Picos,
        15 => TimeUnit::Femtos,
        _ => TimeUnit::Attos,
    };
    let scale = 10i128.pow(digits as u32);
    let part: i128 = format!("{fraction:0<digits$}").parse().ok()?;
    Some((seconds * scale + part, unit))
}

/// The unit code of a multiple of a unit (`3ms` gives `ms`), which NumPy's time types may have
/// (`M8[3ms]`) and compiled code's do not: a time value is typed by its unit alone.
fn multiplied_unit(code: &str) -> Option<&str> {
    let unit = code.trim_start_matches(|c: char| c.is_ascii_digit());
    (unit.len() < code.len() && TimeUnit::from_code(unit).is_some_and(|u| u != TimeUnit::Generic)).then_some(unit)
}

/// The typing error for a time dtype or unit with a multiple of a unit (`M8[3ms]`, `'15s'`),
/// when `name` (a dtype name or a unit code) is one.
pub(crate) fn multiplied_unit_error(cx: &FnInfer<'_>, name: &str, span: Span) -> Option<crate::InferError> {
    let bare = name.strip_prefix(['<', '=']).unwrap_or(name);
    let code = match bare.split_once('[') {
        Some(("M8" | "m8" | "datetime64" | "timedelta64", rest)) => rest.strip_suffix(']')?,
        Some(_) => return None,
        None => bare,
    };
    let unit = multiplied_unit(code)?;
    Some(cx.unsupported(
        span,
        format!("the time unit `{code}` (a multiple of `{unit}`) is not supported in compiled code: datetime64 and timedelta64 values are typed by one unit"),
        Some(&format!("use the unit `{unit}` and scale the counts (`np.timedelta64(3 * n, '{unit}')`)")),
    ))
}

fn unit_argument(cx: &FnInfer<'_>, args: &mut Args, span: Span) -> Result<Option<TimeUnit>> {
    match args.take("unit") {
        None => Ok(None),
        Some(Value::Expr(e)) if e.ty == Type::NoneType => Ok(None),
        Some(Value::Str(code)) => match TimeUnit::from_code(&code) {
            Some(unit) => Ok(Some(unit)),
            None => Err(multiplied_unit_error(cx, &code, span)
                .unwrap_or_else(|| cx.typing(span, format!("Invalid datetime unit \"{code}\" in metadata"), Some("units are Y, M, W, D, h, m, s, ms, us, ns, ps, fs, as")))),
        },
        Some(_) => Err(cx.typing(span, format!("`{}()`'s unit must be a constant string such as 'D' or 'ns'", args.callee), None)),
    }
}

/// `np.datetime64('2020-01-01')`, `np.datetime64('2020-01-01T10:30', 's')`,
/// `np.datetime64('NaT')`, `np.datetime64(n, 'D')` (an integer count).
fn datetime64(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let value = args.take("value");
    let unit = unit_argument(cx, args, span)?;
    let (count, ty) = match value {
        Some(Value::Str(text)) => {
            let Some((count, implied)) = parse_datetime(&text) else {
                return Err(cx.typing(span, format!("Error parsing datetime string \"{text}\""), Some("write an ISO 8601 date such as '2020-01-31' or '2020-01-31T10:30:00'")));
            };
            let unit = unit.unwrap_or(implied);
            if count == NAT {
                return Ok(Value::Expr(cx.time_constant(NAT, Type::Datetime(unit), span)));
            }
            if unit == TimeUnit::Generic {
                return Err(cx.typing(span, format!("the date \"{text}\" has no value in the unit `{}`", unit.code()), None));
            }
            (convert_count(count, implied, unit, true), Type::Datetime(unit))
        }
        Some(Value::Expr(e)) if e.ty.is_integer_like() => {
            let Some(unit) = unit else {
                return Err(cx.typing(span, "Cannot create a NumPy datetime other than NaT with generic units", Some("give a unit: `np.datetime64(n, 'D')`")));
            };
            let count = cx.cast(e, &Type::INT64);
            return Ok(Value::Expr(cx.from_count(count, Type::Datetime(unit), span)));
        }
        Some(Value::Expr(e)) if e.ty == Type::NoneType => (NAT, Type::Datetime(unit.unwrap_or(TimeUnit::Generic))),
        Some(Value::Expr(e)) if matches!(e.ty, Type::Datetime(_)) => {
            let to = unit.unwrap_or(unit_of(&e.ty));
            return cx.time_in_unit(e, to, span).map(Value::Expr);
        }
        _ => return Err(cx.typing(span, "`np.datetime64()` takes a date string, an integer count with a unit, or a datetime64", None)),
    };
    Ok(Value::Expr(cx.time_constant(count, ty, span)))
}

/// `np.timedelta64(n, 'D')`, `np.timedelta64(n)` (generic units), `np.timedelta64('NaT', 'ns')`.
fn timedelta64(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let value = args.take("value");
    let unit = unit_argument(cx, args, span)?.unwrap_or(TimeUnit::Generic);
    match value {
        None => Ok(Value::Expr(cx.time_constant(0, Type::Timedelta(unit), span))),
        Some(Value::Str(text)) if text.eq_ignore_ascii_case("nat") => Ok(Value::Expr(cx.time_constant(NAT, Type::Timedelta(unit), span))),
        Some(Value::Expr(e)) if e.ty.is_integer_like() => {
            let count = cx.cast(e, &Type::INT64);
            Ok(Value::Expr(cx.from_count(count, Type::Timedelta(unit), span)))
        }
        Some(Value::Expr(e)) if matches!(e.ty, Type::Timedelta(_)) => cx.time_in_unit(e, unit, span).map(Value::Expr),
        _ => Err(cx.typing(span, "`np.timedelta64()` takes an integer count (and a unit), 'NaT' or a timedelta64", None)),
    }
}

/// `np.isnat(x)`: whether a datetime64 or timedelta64 is NaT.
fn isnat(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let x = cx.required_expr(args, "x")?;
    let x = cx.element_of_0d(x);
    if !is_time(&x.ty) {
        return Err(cx.typing(span, format!("ufunc 'isnat' is only defined for np.datetime64 and np.timedelta64, not `{}`", x.ty), None));
    }
    Ok(Value::Expr(cx.is_nat(x)))
}

impl FnInfer<'_> {
    fn time_constant(&self, count: i128, ty: Type, span: Span) -> ir::Expr {
        ir::Expr::new(ExprKind::Const(Const::Int(count)), ty, span)
    }

    /// The int64 count of a time value.
    fn count_of(&self, e: ir::Expr) -> ir::Expr {
        let span = e.span;
        ir::Expr::new(ExprKind::Cast(e.boxed()), Type::INT64, span)
    }

    /// The time value of type `ty` whose count is the int64 `count`.
    fn from_count(&self, count: ir::Expr, ty: Type, span: Span) -> ir::Expr {
        ir::Expr::new(ExprKind::Cast(count.boxed()), ty, span)
    }

    /// `let x = value in body(x)`, `x` a new local of `value`'s type.
    fn with_value(&mut self, value: ir::Expr, body: impl FnOnce(&mut Self, ir::Expr) -> Result<ir::Expr>) -> Result<ir::Expr> {
        let span = value.span;
        let local = self.temp(value.ty.clone());
        let body = body(self, self.local_expr(local, span))?;
        let ty = body.ty.clone();
        Ok(ir::Expr::new(ExprKind::Let { local, value: value.boxed(), body: body.boxed() }, ty, span))
    }

    /// The count of a time value (or an integer, taken as a count of the generic unit) in the
    /// unit `to`, as NumPy converts it (`ferrojit_types::time::convert_count`), NaT kept: by a
    /// ratio of the units' lengths inline, through the calendar by the runtime.
    fn count_in(&mut self, e: ir::Expr, to: TimeUnit, span: Span) -> Result<ir::Expr> {
        let from = unit_of(&e.ty);
        let datetime = matches!(e.ty, Type::Datetime(_));
        let count = if is_time(&e.ty) { self.count_of(e) } else { self.cast(e, &Type::INT64) };
        let factor = linear_factor(from, to).and_then(|(num, den)| Some((i64::try_from(num).ok()?, i64::try_from(den).ok()?)));
        match factor {
            _ if from == to || from == TimeUnit::Generic || to == TimeUnit::Generic => Ok(count),
            Some((num, den)) if !through_calendar(from, to, datetime) => self.with_value(count, |cx, c| {
                let mut scaled = c.clone();
                if num != 1 {
                    scaled = cx.binop_with_literals(BinOp::Mul, scaled, int(num.into(), span), Literals::default(), span)?;
                }
                if den != 1 {
                    scaled = cx.binop_with_literals(BinOp::FloorDiv, scaled, int(den.into(), span), Literals::default(), span)?;
                }
                let converted = cx.unless_nat(&[c.clone()], scaled, span);
                if num == 1 || !crate::numpy_at_least(2, 5) {
                    return Ok(converted);
                }
                // NumPy 2.5 raises where older NumPy wraps: a count past the int64 range in the
                // finer unit (NaT, the least count, stays NaT).
                let compare = |op, lhs: ir::Expr, rhs: i128| ir::Expr::new(ExprKind::Compare { op, lhs: lhs.boxed(), rhs: int(rhs, span).boxed() }, Type::Bool, span);
                let either = |and, lhs: ir::Expr, rhs: ir::Expr| ir::Expr::new(ExprKind::Logical { and, lhs: lhs.boxed(), rhs: rhs.boxed() }, Type::Bool, span);
                let below = either(true, compare(CmpOp::Lt, c.clone(), i128::from(i64::MIN / num)), compare(CmpOp::NotEq, c.clone(), NAT));
                let overflows = either(false, compare(CmpOp::Gt, c, i128::from(i64::MAX / num)), below);
                let raise = ir::Stmt { kind: ir::StmtKind::Raise { exc: ir::ExcKind::OverflowError, msg: Some("Overflow when converting between datetime64 units".into()) }, span };
                let ty = converted.ty.clone();
                let never = ir::Expr::new(ExprKind::Block { stmts: vec![raise], value: int(NAT, span).boxed() }, ty.clone(), span);
                Ok(ir::Expr::new(ExprKind::IfExp { cond: overflows.boxed(), then: never.boxed(), otherwise: converted.boxed() }, ty, span))
            }),
            _ => {
                let unit = |u: TimeUnit| int(TimeUnit::ALL.iter().position(|&x| x == u).expect("a unit") as i128, span);
                let args = vec![count, unit(from), unit(to), int(i128::from(datetime), span)];
                Ok(ir::Expr::new(ExprKind::Runtime { func: ir::RuntimeFunc::CONVERT_TIME, args }, Type::INT64, span))
            }
        }
    }

    /// `value` unless one of the int64 `counts` is NaT, then NaT (of `value`'s type).
    fn unless_nat(&self, counts: &[ir::Expr], value: ir::Expr, span: Span) -> ir::Expr {
        let nat = self.any_nat(counts, span);
        let ty = value.ty.clone();
        let fallback = match &ty {
            Type::Float(_) => ir::Expr::new(ExprKind::Const(Const::Float(f64::NAN)), ty.clone(), span),
            _ => ir::Expr::new(ExprKind::Const(Const::Int(if ty == Type::INT64 || is_time(&ty) { NAT } else { 0 })), ty.clone(), span),
        };
        ir::Expr::new(ExprKind::IfExp { cond: nat.boxed(), then: fallback.boxed(), otherwise: value.boxed() }, ty, span)
    }

    fn any_nat(&self, counts: &[ir::Expr], span: Span) -> ir::Expr {
        let is_nat = |c: &ir::Expr| ir::Expr::new(ExprKind::Compare { op: CmpOp::Eq, lhs: c.clone().boxed(), rhs: int(NAT, span).boxed() }, Type::Bool, span);
        counts.iter().skip(1).fold(is_nat(&counts[0]), |acc, c| ir::Expr::new(ExprKind::Logical { and: false, lhs: acc.boxed(), rhs: is_nat(c).boxed() }, Type::Bool, span))
    }

    /// A time value in the unit `to` (of the same kind), converted as NumPy's casts convert it.
    fn time_in_unit(&mut self, e: ir::Expr, to: TimeUnit, span: Span) -> Result<ir::Expr> {
        let ty = match e.ty {
            Type::Datetime(_) => Type::Datetime(to),
            _ => Type::Timedelta(to),
        };
        let count = self.count_in(e, to, span)?;
        Ok(self.from_count(count, ty, span))
    }

    fn common_unit_of(&self, l: &Type, r: &Type, span: Span) -> Result<TimeUnit> {
        let (a, b) = (unit_of(l), unit_of(r));
        let date = |t: &Type| matches!(t, Type::Datetime(_));
        common_unit(a, date(l), b, date(r)).ok_or_else(|| {
            self.typing(
                span,
                format!("Cannot get a common metadata divisor for Numpy datetime metadata [{}] and [{}] because they have incompatible nonlinear base time units.", a.code(), b.code()),
                Some("convert one operand to the other's unit first"),
            )
        })
    }

    /// `a.min()`, `a.max()`, `a.sum()` of a whole array of time values, on their counts: NaT
    /// when any element is NaT, as NumPy's (NaT is the smallest count, so the counts' minimum
    /// says whether there is one). The minimum and maximum of an empty array raise as NumPy's;
    /// the sum of an empty array is zero.
    pub(crate) fn time_reduction(&mut self, array: ir::Expr, op: ReduceOp, span: Span) -> ir::Expr {
        let Type::Array(a) = array.ty.clone() else { unreachable!("a time array") };
        let dtype = (*a.dtype).clone();
        let local = self.temp(array.ty.clone());
        let counts = |cx: &Self| {
            let view = ferrojit_types::ArrayType { dtype: Box::new(Type::INT64), ..a.clone() };
            let axes = (0..a.ndim).collect();
            ir::Expr::new(ExprKind::Transpose { array: cx.local_expr(local, span).boxed(), axes }, Type::Array(view), span)
        };
        let reduce = |cx: &Self, op| {
            let element = ir::Expr::new(ExprKind::MapElement(0), Type::INT64, span);
            ir::Expr::new(ExprKind::MapReduce { op, operands: vec![counts(cx)], element: element.boxed() }, Type::INT64, span)
        };
        let least = reduce(self, ReduceOp::Min);
        let result = if op == ReduceOp::Min {
            self.from_count(least, dtype, span)
        } else {
            let has_nat = ir::Expr::new(ExprKind::Compare { op: CmpOp::Eq, lhs: least.boxed(), rhs: int(NAT, span).boxed() }, Type::Bool, span);
            let has_nat = if op == ReduceOp::Sum {
                let size = ir::Expr::new(ExprKind::ArrayAttr { array: self.local_expr(local, span).boxed(), attr: ir::ArrayAttr::Size }, Type::INT64, span);
                let filled = ir::Expr::new(ExprKind::Compare { op: CmpOp::Gt, lhs: size.boxed(), rhs: int(0, span).boxed() }, Type::Bool, span);
                ir::Expr::new(ExprKind::Logical { and: true, lhs: filled.boxed(), rhs: has_nat.boxed() }, Type::Bool, span)
            } else {
                has_nat
            };
            let value = self.from_count(reduce(self, op), dtype.clone(), span);
            let nat = self.time_constant(NAT, dtype.clone(), span);
            ir::Expr::new(ExprKind::IfExp { cond: has_nat.boxed(), then: nat.boxed(), otherwise: value.boxed() }, dtype, span)
        };
        let ty = result.ty.clone();
        ir::Expr::new(ExprKind::Let { local, value: array.boxed(), body: result.boxed() }, ty, span)
    }

    /// `a.min(axis)`, `a.max(axis)`, `a.sum(axis)` of an array of time values (`axis` an int64),
    /// on their counts along the axis: NaT where a lane holds a NaT, as NumPy's (NaT is the
    /// least count: a minimum finds it itself). A 1-d array gives a scalar.
    pub(crate) fn time_axis_reduction(&mut self, array: ir::Expr, op: ReduceOp, axis: ir::Expr, keepdims: bool, span: Span) -> ir::Expr {
        let Type::Array(a) = array.ty.clone() else { unreachable!("a time array") };
        let dtype = (*a.dtype).clone();
        let ndim = if keepdims { a.ndim } else { a.ndim - 1 };
        let (local, axis_local) = (self.temp(array.ty.clone()), self.temp(Type::INT64));
        let counts_type = Type::Array(ferrojit_types::ArrayType { dtype: Box::new(Type::INT64), ..a.clone() });
        let reduced_type = Type::Array(ferrojit_types::ArrayType::new(Type::INT64, ndim, ferrojit_types::Layout::C));
        let counts_of = |cx: &Self| ir::Expr::new(ExprKind::Transpose { array: cx.local_expr(local, span).boxed(), axes: (0..a.ndim).collect() }, counts_type.clone(), span);
        let reduce = |cx: &Self, op, array: ir::Expr| ir::Expr::new(ExprKind::AxisReduce { op, array: array.boxed(), axis: cx.local_expr(axis_local, span).boxed(), keepdims }, reduced_type.clone(), span);
        let value = reduce(self, op, counts_of(self));
        let counts = if op == ReduceOp::Min {
            value
        } else {
            // The NaTs of each lane counted (a sum: an empty lane has none, where a minimum
            // would raise), after the reduction itself, whose error an empty lane raises.
            let element = |i| ir::Expr::new(ExprKind::MapElement(i), Type::INT64, span);
            let is_nat = ir::Expr::new(ExprKind::Compare { op: CmpOp::Eq, lhs: element(0).boxed(), rhs: int(NAT, span).boxed() }, Type::Bool, span);
            let flag = ir::Expr::new(ExprKind::IfExp { cond: is_nat.boxed(), then: int(1, span).boxed(), otherwise: int(0, span).boxed() }, Type::INT64, span);
            let flags = self.materialize_map(vec![counts_of(self)], flag, span);
            let nats = reduce(self, ReduceOp::Sum, flags);
            let has_nat = ir::Expr::new(ExprKind::Compare { op: CmpOp::Gt, lhs: element(1).boxed(), rhs: int(0, span).boxed() }, Type::Bool, span);
            let pick = ir::Expr::new(ExprKind::IfExp { cond: has_nat.boxed(), then: int(NAT, span).boxed(), otherwise: element(0).boxed() }, Type::INT64, span);
            self.materialize_map(vec![value, nats], pick, span)
        };
        let times_type = Type::Array(ferrojit_types::ArrayType::new(dtype.clone(), ndim, ferrojit_types::Layout::C));
        let times = ir::Expr::new(ExprKind::Transpose { array: counts.boxed(), axes: (0..ndim).collect() }, times_type, span);
        let result = if ndim == 0 { ir::Expr::new(ExprKind::ArrayGet { array: times.boxed(), indices: vec![] }, dtype, span) } else { times };
        let ty = result.ty.clone();
        let body = ir::Expr::new(ExprKind::Let { local: axis_local, value: axis.boxed(), body: result.boxed() }, ty.clone(), span);
        ir::Expr::new(ExprKind::Let { local, value: array.boxed(), body: body.boxed() }, ty, span)
    }

    /// A value stored into an array of the time type `dtype`: a time value of the same kind in
    /// its unit or a coarser one, or an integer taken as a count.
    pub(crate) fn time_element(&mut self, value: ir::Expr, dtype: &Type, span: Span) -> Result<ir::Expr> {
        let same_kind = matches!((&value.ty, dtype), (Type::Datetime(_), Type::Datetime(_)) | (Type::Timedelta(_), Type::Timedelta(_)));
        if same_kind {
            return self.time_in_unit(value, unit_of(dtype), span);
        }
        if value.ty.is_integer_like() && is_time(dtype) {
            let count = self.cast(value, &Type::INT64);
            return Ok(self.from_count(count, dtype.clone(), span));
        }
        Err(self.typing(span, format!("cannot store a `{}` into an array of `{dtype}`", value.ty), None))
    }

    /// The element type `a.astype(to)` gives an array of `from` (one of the two a time type):
    /// `to`, except that a generic unit keeps the source's unit (`astype('m8')` of `M8[D]` is
    /// `m8[D]`); a number to a datetime of generic unit is NumPy's error.
    pub(crate) fn time_cast_target(&self, from: &Type, to: &Type, span: Span) -> Result<Type> {
        Ok(match (from, to) {
            (_, Type::Record(_)) | (Type::Record(_), _) => return Err(self.unsupported(span, format!("converting an array of `{from}` to `{to}` is not supported yet"), Some("convert element by element in a loop"))),
            (Type::Datetime(u) | Type::Timedelta(u), Type::Datetime(TimeUnit::Generic)) => Type::Datetime(*u),
            (Type::Datetime(u) | Type::Timedelta(u), Type::Timedelta(TimeUnit::Generic)) => Type::Timedelta(*u),
            (_, Type::Datetime(TimeUnit::Generic)) => return Err(self.typing(span, "Cannot convert a NumPy datetime value other than NaT with generic units", Some("give a unit: `astype('M8[D]')`"))),
            _ => to.clone(),
        })
    }

    /// One element `value` converted to `to` as NumPy's `astype` converts it (`to` from
    /// [`FnInfer::time_cast_target`]; `value` or `to` a time type): between units of one kind as
    /// [`FnInfer::count_in`] converts; between datetimes and timedeltas the count unchanged,
    /// whatever the units (NumPy's cast ignores them); a time to a number is its count (NaT the
    /// smallest int64, as NumPy's); a number to a time its count truncated, NaN and floats past
    /// the int64 range giving NaT; a complex number its real part.
    pub(crate) fn time_cast(&mut self, value: ir::Expr, to: &Type, span: Span) -> Result<ir::Expr> {
        let from = value.ty.clone();
        match (&from, to) {
            (Type::Datetime(_), Type::Datetime(u)) | (Type::Timedelta(_), Type::Timedelta(u)) => self.time_in_unit(value, *u, span),
            (Type::Datetime(_) | Type::Timedelta(_), Type::Datetime(_) | Type::Timedelta(_)) => {
                let count = self.count_of(value);
                Ok(self.from_count(count, to.clone(), span))
            }
            (Type::Datetime(_) | Type::Timedelta(_), _) => {
                let count = self.count_of(value);
                Ok(self.cast(count, to))
            }
            (Type::Complex(f), _) => {
                let real = ir::Expr::new(ExprKind::ComplexPart { value: value.boxed(), imag: false }, Type::Float(*f), span);
                self.time_cast(real, to, span)
            }
            (Type::Float(_), _) => self.time_of_float(value, to, span),
            _ => {
                let count = self.cast(value, &Type::INT64);
                Ok(self.from_count(count, to.clone(), span))
            }
        }
    }

    /// `a` and `b`, two datetimes or two timedeltas, in their common unit (for NumPy's
    /// `where`, `maximum` and the like, named `name` in the error for other operands).
    pub(crate) fn times_in_common_unit(&mut self, name: &str, a: ir::Expr, b: ir::Expr, span: Span) -> Result<(ir::Expr, ir::Expr)> {
        let same_kind = matches!((&a.ty, &b.ty), (Type::Datetime(_), Type::Datetime(_)) | (Type::Timedelta(_), Type::Timedelta(_)));
        if !same_kind {
            return Err(self.typing(span, format!("`{name}()` takes two datetime64 or two timedelta64 values, not a `{}` and a `{}`", a.ty, b.ty), None));
        }
        let unit = self.common_unit_of(&a.ty, &b.ty, span)?;
        Ok((self.time_in_unit(a, unit, span)?, self.time_in_unit(b, unit, span)?))
    }

    /// Whether the time value `e` is NaT.
    pub(crate) fn is_nat(&self, e: ir::Expr) -> ir::Expr {
        let span = e.span;
        self.any_nat(&[self.count_of(e)], span)
    }

    /// `np.maximum`/`np.minimum` (`nan_wins`: NaT is picked, as NaN is) and `np.fmax`/`np.fmin`
    /// (NaT is passed over) of two datetimes or two timedeltas, in their common unit; `op` says
    /// when `a` is the better one (`>` for the maxima).
    pub(crate) fn time_pick(&mut self, name: &str, a: ir::Expr, b: ir::Expr, op: CmpOp, nan_wins: bool, span: Span) -> Result<ir::Expr> {
        let (a, b) = self.times_in_common_unit(name, a, b, span)?;
        let ty = a.ty.clone();
        let (ta, tb) = (self.temp(ty.clone()), self.temp(ty.clone()));
        let (la, lb) = (self.local_expr(ta, span), self.local_expr(tb, span));
        let mk = |kind, ty: &Type| ir::Expr::new(kind, ty.clone(), span);
        let better = mk(ExprKind::Compare { op, lhs: self.count_of(la.clone()).boxed(), rhs: self.count_of(lb.clone()).boxed() }, &Type::Bool);
        // NaT is the least count, so `better` alone does not say: `a` is picked when it is the NaT
        // that wins (or `b` the NaT that loses), or when better and the other is not NaT.
        let (wins, other) = if nan_wins { (la.clone(), lb.clone()) } else { (lb.clone(), la.clone()) };
        let (wins, other) = (self.is_nat(wins), self.is_nat(other));
        let not_other = mk(ExprKind::Unary { op: UnaryOp::Not, operand: other.boxed() }, &Type::Bool);
        let better = mk(ExprKind::Logical { and: true, lhs: better.boxed(), rhs: not_other.boxed() }, &Type::Bool);
        let cond = mk(ExprKind::Logical { and: false, lhs: wins.boxed(), rhs: better.boxed() }, &Type::Bool);
        let pick = mk(ExprKind::IfExp { cond: cond.boxed(), then: la.boxed(), otherwise: lb.boxed() }, &ty);
        let inner = mk(ExprKind::Let { local: tb, value: b.boxed(), body: pick.boxed() }, &ty);
        Ok(mk(ExprKind::Let { local: ta, value: a.boxed(), body: inner.boxed() }, &ty))
    }

    /// The time value of type `ty` whose count is the float `x` truncated; NaT for NaN and for
    /// floats outside the int64 range (|x| >= 2**63), whose conversion is undefined.
    fn time_of_float(&mut self, x: ir::Expr, ty: &Type, span: Span) -> Result<ir::Expr> {
        self.with_value(x, |cx, x| {
            let limit = ir::Expr::new(ExprKind::Const(Const::Float(9.223372036854775808e18)), x.ty.clone(), span);
            let magnitude = ir::Expr::new(ExprKind::Unary { op: UnaryOp::Abs, operand: x.clone().boxed() }, x.ty.clone(), span);
            let fits = ir::Expr::new(ExprKind::Compare { op: CmpOp::Lt, lhs: magnitude.boxed(), rhs: limit.boxed() }, Type::Bool, span);
            let count = cx.from_count(cx.cast(x, &Type::INT64), ty.clone(), span);
            let nat = cx.time_constant(NAT, ty.clone(), span);
            Ok(ir::Expr::new(ExprKind::IfExp { cond: fits.boxed(), then: count.boxed(), otherwise: nat.boxed() }, ty.clone(), span))
        })
    }

    /// `l op r` where either operand is a datetime64 or timedelta64, as NumPy's operators.
    pub(crate) fn time_binop(&mut self, op: BinOp, l: ir::Expr, r: ir::Expr, span: Span) -> Result<ir::Expr> {
        let (lt, rt) = (l.ty.clone(), r.ty.clone());
        let refuse = |cx: &Self| cx.typing(span, format!("unsupported operand types for `{}`: `{lt}` and `{rt}`", op.symbol()), None);
        let int_like = |t: &Type| t.is_integer_like();
        let real = |t: &Type| matches!(t, Type::Float(_)) || t.is_integer_like();
        match (op, &lt, &rt) {
            // Sums and differences: in the common unit, an integer taken as a count of it.
            (BinOp::Add | BinOp::Sub, Type::Timedelta(_), Type::Timedelta(_))
            | (BinOp::Add | BinOp::Sub, Type::Datetime(_), Type::Timedelta(_))
            | (BinOp::Add, Type::Timedelta(_), Type::Datetime(_))
            | (BinOp::Sub, Type::Datetime(_), Type::Datetime(_)) => {
                let unit = self.common_unit_of(&lt, &rt, span)?;
                let result = match (&lt, &rt) {
                    (Type::Datetime(_), Type::Datetime(_)) => Type::Timedelta(unit),
                    (Type::Datetime(_), _) | (_, Type::Datetime(_)) => Type::Datetime(unit),
                    _ => Type::Timedelta(unit),
                };
                self.counts_op(op, l, r, unit, result, span)
            }
            (BinOp::Add | BinOp::Sub, Type::Datetime(u) | Type::Timedelta(u), t) if int_like(t) => {
                let result = lt.clone();
                self.counts_op(op, l, r, *u, result, span)
            }
            (BinOp::Add, t, Type::Datetime(u) | Type::Timedelta(u)) if int_like(t) => {
                let result = rt.clone();
                self.counts_op(op, l, r, *u, result, span)
            }
            // A timedelta times or divided by a number.
            (BinOp::Mul, Type::Timedelta(_), t) | (BinOp::Div | BinOp::FloorDiv, Type::Timedelta(_), t) if real(t) => self.scaled(op, l, r, span),
            (BinOp::Mul, t, Type::Timedelta(_)) if real(t) => self.scaled(op, r, l, span),
            // Two timedeltas: a float ratio, an integer quotient, a timedelta remainder.
            (BinOp::Div | BinOp::FloorDiv | BinOp::Mod, Type::Timedelta(_), Type::Timedelta(_)) => {
                let unit = self.common_unit_of(&lt, &rt, span)?;
                let (a, b) = (self.count_in(l, unit, span)?, self.count_in(r, unit, span)?);
                self.with_value(a, |cx, a| {
                    cx.with_value(b, |cx, b| {
                        let counts = [a.clone(), b.clone()];
                        Ok(match op {
                            BinOp::Div => {
                                let (fa, fb) = (cx.cast(a, &Type::FLOAT64), cx.cast(b, &Type::FLOAT64));
                                let ratio = ir::Expr::new(ExprKind::Binary { op: ir::BinaryOp::Div, lhs: fa.boxed(), rhs: fb.boxed() }, Type::FLOAT64, span);
                                cx.unless_nat(&counts, ratio, span)
                            }
                            BinOp::FloorDiv => {
                                // NumPy gives 0 for NaT operands and a zero divisor (and warns).
                                let by_zero = ir::Expr::new(ExprKind::Compare { op: CmpOp::Eq, lhs: b.clone().boxed(), rhs: int(0, span).boxed() }, Type::Bool, span);
                                let quotient = cx.binop_with_literals(BinOp::FloorDiv, a, b, Literals::default(), span)?;
                                let nat = cx.any_nat(&counts, span);
                                let undefined = ir::Expr::new(ExprKind::Logical { and: false, lhs: nat.boxed(), rhs: by_zero.boxed() }, Type::Bool, span);
                                ir::Expr::new(ExprKind::IfExp { cond: undefined.boxed(), then: int(0, span).boxed(), otherwise: quotient.boxed() }, Type::INT64, span)
                            }
                            _ => {
                                // NaT for a zero divisor, as NumPy's.
                                let by_zero = ir::Expr::new(ExprKind::Compare { op: CmpOp::Eq, lhs: b.clone().boxed(), rhs: int(0, span).boxed() }, Type::Bool, span);
                                let rest = cx.binop_with_literals(BinOp::Mod, a, b, Literals::default(), span)?;
                                let rest = cx.from_count(rest, Type::Timedelta(unit), span);
                                let nat = cx.time_constant(NAT, Type::Timedelta(unit), span);
                                let rest = ir::Expr::new(ExprKind::IfExp { cond: by_zero.boxed(), then: nat.boxed(), otherwise: rest.boxed() }, Type::Timedelta(unit), span);
                                cx.unless_nat(&counts, rest, span)
                            }
                        })
                    })
                })
            }
            _ => Err(refuse(self)),
        }
    }

    /// `a op b` on the counts of `a` and `b` in `unit`, NaT if either is NaT: a value of `result`.
    fn counts_op(&mut self, op: BinOp, l: ir::Expr, r: ir::Expr, unit: TimeUnit, result: Type, span: Span) -> Result<ir::Expr> {
        let (a, b) = (self.count_in(l, unit, span)?, self.count_in(r, unit, span)?);
        self.with_value(a, |cx, a| {
            cx.with_value(b, |cx, b| {
                let value = cx.binop_with_literals(op, a.clone(), b.clone(), Literals::default(), span)?;
                let value = cx.from_count(value, result, span);
                Ok(cx.unless_nat(&[a, b], value, span))
            })
        })
    }

    /// A timedelta times or divided by a number: by an integer exactly (`/` and `//` both
    /// truncate toward zero, as NumPy's; by zero NaT), by a float in float64, truncated; NaT
    /// for NaT, for NaN and for results past the int64 range.
    fn scaled(&mut self, op: BinOp, delta: ir::Expr, number: ir::Expr, span: Span) -> Result<ir::Expr> {
        let ty = delta.ty.clone();
        let count = self.count_of(delta);
        let exact = number.ty.is_integer_like();
        self.with_value(count, |cx, c| {
            if exact {
                let n = cx.cast(number, &Type::INT64);
                return cx.with_value(n, |cx, n| {
                    let value = if op == BinOp::Mul {
                        cx.binop_with_literals(op, c.clone(), n.clone(), Literals::default(), span)?
                    } else {
                        cx.truncating_division(c.clone(), n.clone(), span)?
                    };
                    let value = cx.from_count(value, ty.clone(), span);
                    let value = cx.unless_nat(&[c.clone()], value, span);
                    if op == BinOp::Mul {
                        return Ok(value);
                    }
                    let zero = ir::Expr::new(ExprKind::Compare { op: CmpOp::Eq, lhs: n.boxed(), rhs: int(0, span).boxed() }, Type::Bool, span);
                    let nat = cx.time_constant(NAT, ty.clone(), span);
                    Ok(ir::Expr::new(ExprKind::IfExp { cond: zero.boxed(), then: nat.boxed(), otherwise: value.boxed() }, ty.clone(), span))
                });
            }
            let f = cx.cast(c.clone(), &Type::FLOAT64);
            let n = cx.cast(number, &Type::FLOAT64);
            let product = cx.binop_with_literals(op, f, n, Literals::default(), span)?;
            let product = if op == BinOp::Div {
                ir::Expr::new(ExprKind::Math { func: ir::MathFunc::TRUNC, args: vec![product], checked: false }, Type::FLOAT64, span)
            } else {
                product
            };
            let checked = cx.time_of_float(product, &ty, span)?;
            Ok(cx.unless_nat(&[c], checked, span))
        })
    }

    /// `a / b` of int64 counts truncated toward zero (C's division, which NumPy's timedelta
    /// by integer loops use): the quotient of the magnitudes, negated when the signs differ.
    /// `b` is not zero and `a` not NaT (the caller checks both).
    fn truncating_division(&mut self, a: ir::Expr, b: ir::Expr, span: Span) -> Result<ir::Expr> {
        let magnitude = |e: ir::Expr| ir::Expr::new(ExprKind::Unary { op: UnaryOp::Abs, operand: e.boxed() }, Type::INT64, span);
        let quotient = self.binop_with_literals(BinOp::FloorDiv, magnitude(a.clone()), magnitude(b.clone()), Literals::default(), span)?;
        let negative = |e: ir::Expr| ir::Expr::new(ExprKind::Compare { op: CmpOp::Lt, lhs: e.boxed(), rhs: int(0, span).boxed() }, Type::Bool, span);
        let differ = ir::Expr::new(ExprKind::Compare { op: CmpOp::NotEq, lhs: negative(a).boxed(), rhs: negative(b).boxed() }, Type::Bool, span);
        self.with_value(quotient, |_, q| {
            let negated = ir::Expr::new(ExprKind::Unary { op: UnaryOp::Neg, operand: q.clone().boxed() }, Type::INT64, span);
            Ok(ir::Expr::new(ExprKind::IfExp { cond: differ.boxed(), then: negated.boxed(), otherwise: q.boxed() }, Type::INT64, span))
        })
    }

    /// `l op r` comparing time values of one kind in their common unit; NaT compares unequal
    /// to everything (`!=` is true, every other comparison false), as in NumPy.
    pub(crate) fn time_compare(&mut self, op: CmpOp, l: ir::Expr, r: ir::Expr, span: Span) -> Result<ir::Expr> {
        let same_kind = matches!((&l.ty, &r.ty), (Type::Datetime(_), Type::Datetime(_)) | (Type::Timedelta(_), Type::Timedelta(_)));
        if !same_kind || !matches!(op, CmpOp::Eq | CmpOp::NotEq | CmpOp::Lt | CmpOp::LtE | CmpOp::Gt | CmpOp::GtE) {
            return Err(self.typing(span, format!("cannot compare a `{}` with a `{}` by `{}`", l.ty, r.ty, op.symbol()), Some("compare datetimes with datetimes and timedeltas with timedeltas")));
        }
        let unit = self.common_unit_of(&l.ty, &r.ty, span)?;
        let (a, b) = (self.count_in(l, unit, span)?, self.count_in(r, unit, span)?);
        self.with_value(a, |cx, a| {
            cx.with_value(b, |cx, b| {
                let nat = cx.any_nat(&[a.clone(), b.clone()], span);
                let compared = ir::Expr::new(ExprKind::Compare { op, lhs: a.boxed(), rhs: b.boxed() }, Type::Bool, span);
                let (and, lhs) = if op == CmpOp::NotEq {
                    (false, nat)
                } else {
                    (true, ir::Expr::new(ExprKind::Unary { op: UnaryOp::Not, operand: nat.boxed() }, Type::Bool, span))
                };
                Ok(ir::Expr::new(ExprKind::Logical { and, lhs: lhs.boxed(), rhs: compared.boxed() }, Type::Bool, span))
            })
        })
    }

    /// `-d`, `abs(d)` of a timedelta, NaT kept; `+d` (`op` None) is `d`.
    pub(crate) fn time_unary(&mut self, op: Option<UnaryOp>, x: ir::Expr, span: Span) -> Result<ir::Expr> {
        let ty = x.ty.clone();
        if !matches!(ty, Type::Timedelta(_)) || !matches!(op, None | Some(UnaryOp::Neg | UnaryOp::Abs)) {
            return Err(self.typing(span, format!("bad operand type for unary operator: `{ty}`"), None));
        }
        let count = self.count_of(x);
        self.with_value(count, |cx, c| {
            let value = match op {
                None => c.clone(),
                Some(op) => ir::Expr::new(ExprKind::Unary { op, operand: c.clone().boxed() }, Type::INT64, span),
            };
            let value = cx.from_count(value, ty, span);
            Ok(cx.unless_nat(&[c], value, span))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_as_numpy_reads_them() {
        let cases: &[(&str, Option<(i128, TimeUnit)>)] = &[
            ("2020", Some((50, TimeUnit::Years))),
            ("2020-03", Some((50 * 12 + 2, TimeUnit::Months))),
            ("1970-01-01", Some((0, TimeUnit::Days))),
            ("2020-01-01", Some((18262, TimeUnit::Days))),
            ("1969-12-31", Some((-1, TimeUnit::Days))),
            ("2020-02-29", Some((18321, TimeUnit::Days))),
            ("2020-01-01T10", Some((18262 * 24 + 10, TimeUnit::Hours))),
            ("2020-01-01T10:30", Some(((18262 * 24 + 10) * 60 + 30, TimeUnit::Minutes))),
            ("1969-12-31T23:59:59.999999999", Some((-1, TimeUnit::Nanos))),
            ("1970-01-01T00:00:01.5", Some((1500, TimeUnit::Millis))),
            ("NaT", Some((NAT, TimeUnit::Generic))),
            ("2021-02-29", None),
            ("2020-13-01", None),
            ("2020-1-01", None),
            ("2020-01-01T24", None),
            ("yesterday", None),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_datetime(text), *expected, "{text}");
        }
    }

    #[test]
    fn units_meet_in_the_finer_one() {
        use TimeUnit::*;
        for (a, b, expected) in [(Days, Hours, Some(Hours)), (Weeks, Days, Some(Days)), (Generic, Nanos, Some(Nanos)), (Years, Months, Some(Months))] {
            for (a_date, b_date) in [(false, false), (true, false), (false, true), (true, true)] {
                assert_eq!(common_unit(a, a_date, b, b_date), expected, "{a:?} {b:?}");
            }
        }
        // A datetime in months meets days through the calendar; a timedelta in months does not.
        assert_eq!(common_unit(Months, true, Days, false), Some(Days));
        assert_eq!(common_unit(Hours, true, Years, true), Some(Hours));
        assert_eq!(common_unit(Months, false, Days, true), None);
        assert_eq!(common_unit(Years, false, Days, false), None);
    }
}
