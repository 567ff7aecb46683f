//! Python's format-spec mini-language (`format(x, spec)`, f-strings' `{x:spec}`, `str.format`,
//! and `%` formatting, which the compiler rewrites into specs) for integers, floats and
//! strings, with CPython's text and errors.
//!
//! `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`

use crate::memory::MemInfo;
use crate::strings::{chars, from_str};
use crate::{raise, raise_formatted, ExcInfo, EXC_VALUE_ERROR};

#[derive(Debug, Default, Clone, PartialEq)]
struct Spec {
    fill: Option<char>,
    align: Option<char>,
    sign: Option<char>,
    no_negative_zero: bool,
    alternate: bool,
    zero: bool,
    width: usize,
    grouping: Option<char>,
    precision: Option<usize>,
    kind: Option<char>,
}

fn parse(spec: &str) -> Result<Spec, String> {
    let c: Vec<char> = spec.chars().collect();
    let mut s = Spec::default();
    let mut i = 0;
    let is_align = |ch: char| matches!(ch, '<' | '>' | '=' | '^');
    if c.len() >= 2 && is_align(c[1]) {
        s.fill = Some(c[0]);
        s.align = Some(c[1]);
        i = 2;
    } else if !c.is_empty() && is_align(c[0]) {
        s.align = Some(c[0]);
        i = 1;
    }
    if i < c.len() && matches!(c[i], '+' | '-' | ' ') {
        s.sign = Some(c[i]);
        i += 1;
    }
    if i < c.len() && c[i] == 'z' {
        s.no_negative_zero = true;
        i += 1;
    }
    if i < c.len() && c[i] == '#' {
        s.alternate = true;
        i += 1;
    }
    if i < c.len() && c[i] == '0' {
        s.zero = true;
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < c.len() && c[*i].is_ascii_digit() {
            *i += 1;
        }
        c[start..*i].iter().collect::<String>()
    };
    let width = digits(&mut i);
    if !width.is_empty() {
        s.width = width.parse().map_err(|_| "Too many decimal digits in format string".to_string())?;
    }
    if i < c.len() && matches!(c[i], ',' | '_') {
        s.grouping = Some(c[i]);
        i += 1;
    }
    if i < c.len() && c[i] == '.' {
        i += 1;
        let p = digits(&mut i);
        if p.is_empty() {
            return Err("Format specifier missing precision".into());
        }
        s.precision = Some(p.parse().map_err(|_| "Too many decimal digits in format string".to_string())?);
    }
    if i < c.len() {
        s.kind = Some(c[i]);
        i += 1;
    }
    if i < c.len() {
        return Err("Invalid format specifier".into());
    }
    Ok(s)
}

/// Inserts `sep` every `every` digits from the right of the ASCII digits `digits`.
fn group(digits: &str, sep: char, every: usize) -> String {
    let n = digits.len();
    let mut out = String::with_capacity(n + n / every);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (n - i) % every == 0 {
            out.push(sep);
        }
        out.push(ch);
    }
    out
}

/// Pads `sign` + `body` (digits, maybe with a prefix) to the spec's width.
fn pad(spec: &Spec, sign: &str, body: &str, default_align: char) -> String {
    let fill = spec.fill.unwrap_or(if spec.zero && spec.align.is_none() { '0' } else { ' ' });
    let align = spec.align.unwrap_or(if spec.zero { '=' } else { default_align });
    let len = sign.chars().count() + body.chars().count();
    if len >= spec.width {
        return format!("{sign}{body}");
    }
    let extra = spec.width - len;
    let fill_n = |n: usize| std::iter::repeat_n(fill, n).collect::<String>();
    match align {
        '<' => format!("{sign}{body}{}", fill_n(extra)),
        '^' => format!("{}{sign}{body}{}", fill_n(extra / 2), fill_n(extra - extra / 2)),
        '=' => format!("{sign}{}{body}", fill_n(extra)),
        _ => format!("{}{sign}{body}", fill_n(extra)),
    }
}

fn sign_text(negative: bool, spec: &Spec) -> &'static str {
    match (negative, spec.sign) {
        (true, _) => "-",
        (false, Some('+')) => "+",
        (false, Some(' ')) => " ",
        _ => "",
    }
}

fn format_int(v: i128, spec: &Spec) -> Result<String, String> {
    if let Some(k @ ('e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%')) = spec.kind {
        let _ = k;
        return format_float(v as f64, spec, false);
    }
    if spec.precision.is_some() {
        return Err("Precision not allowed in integer format specifier".into());
    }
    let magnitude = v.unsigned_abs();
    let (digits, prefix, every) = match spec.kind {
        None | Some('d') | Some('n') => (magnitude.to_string(), "", 3),
        Some('b') => (format!("{magnitude:b}"), "0b", 4),
        Some('o') => (format!("{magnitude:o}"), "0o", 4),
        Some('x') => (format!("{magnitude:x}"), "0x", 4),
        Some('X') => (format!("{magnitude:X}"), "0X", 4),
        Some('c') => {
            if spec.sign.is_some() {
                return Err("Sign not allowed with integer format specifier 'c'".into());
            }
            let ch = u32::try_from(v).ok().and_then(char::from_u32).ok_or("%c arg not in range(0x110000)")?;
            return Ok(pad(spec, "", &ch.to_string(), '<'));
        }
        Some(k) => return Err(format!("Unknown format code '{k}' for object of type 'int'")),
    };
    if spec.grouping == Some(',') && every == 4 {
        return Err(format!("Cannot specify ',' with '{}'.", spec.kind.unwrap_or('d')));
    }
    let digits = match spec.grouping {
        Some(sep) => group(&digits, sep, every),
        None => digits,
    };
    let prefix = if spec.alternate { prefix } else { "" };
    let sign = format!("{}{prefix}", sign_text(v < 0, spec));
    Ok(pad(spec, &sign, &digits, '>'))
}

/// Rust's scientific text (`1.2345e3`) with CPython's exponent (`1.2345e+03`).
fn python_exponent(text: &str, upper: bool) -> String {
    let (mantissa, exp) = text.split_once('e').expect("scientific");
    let exp: i32 = exp.parse().expect("an exponent");
    let e = if upper { 'E' } else { 'e' };
    format!("{mantissa}{e}{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs())
}

/// `x` (not negative, finite) in CPython's `g` form with `precision` significant digits.
fn general(x: f64, precision: usize, alternate: bool, add_dot_zero: bool, upper: bool) -> String {
    let p = precision.max(1);
    let sci = format!("{:.*e}", p - 1, x);
    let exp: i32 = sci.split_once('e').expect("scientific").1.parse().expect("an exponent");
    let mut text = if -4 <= exp && exp < p as i32 { format!("{:.*}", (p as i32 - 1 - exp) as usize, x) } else { python_exponent(&sci, upper) };
    if !alternate {
        // Trailing zeros of the fraction go (and the point with them).
        let (mantissa, exponent) = match text.find(['e', 'E']) {
            Some(at) => (text[..at].to_string(), text[at..].to_string()),
            None => (text.clone(), String::new()),
        };
        let mantissa = if mantissa.contains('.') { mantissa.trim_end_matches('0').trim_end_matches('.').to_string() } else { mantissa };
        text = format!("{mantissa}{exponent}");
    } else if !text.contains('.') {
        let at = text.find(['e', 'E']).unwrap_or(text.len());
        text.insert(at, '.');
    }
    if add_dot_zero && !text.contains(['.', 'e', 'E']) {
        text.push_str(".0");
    }
    text
}

fn format_float(v: f64, spec: &Spec, single: bool) -> Result<String, String> {
    if matches!(spec.kind, Some(k) if !matches!(k, 'e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'n' | '%')) {
        return Err(format!("Unknown format code '{}' for object of type 'float'", spec.kind.expect("given")));
    }
    // A negative number (or zero) keeps its sign even when it rounds to zero, unless `z`.
    let negative = v.is_sign_negative() && !(spec.no_negative_zero && v == 0.0) && !v.is_nan();
    let x = v.abs();
    let upper = matches!(spec.kind, Some('E' | 'F' | 'G'));
    let body = if !x.is_finite() {
        let text = if x.is_nan() { "nan" } else { "inf" };
        let text = if upper { text.to_uppercase() } else { text.to_string() };
        match spec.kind {
            Some('%') => format!("{text}%"),
            _ => text,
        }
    } else {
        match (spec.kind, spec.precision) {
            (None, None) => crate::print::float_text(x, single),
            (None, Some(p)) => general(x, p, spec.alternate, true, false),
            (Some('g' | 'G' | 'n'), p) => general(x, p.unwrap_or(6), spec.alternate, false, upper),
            (Some('e' | 'E'), p) => {
                let text = python_exponent(&format!("{:.*e}", p.unwrap_or(6), x), upper);
                if spec.alternate && p == Some(0) {
                    text.replacen(['e', 'E'], if upper { ".E" } else { ".e" }, 1)
                } else {
                    text
                }
            }
            (Some('f' | 'F'), p) => {
                let text = format!("{:.*}", p.unwrap_or(6), x);
                if spec.alternate && p == Some(0) {
                    format!("{text}.")
                } else {
                    text
                }
            }
            (Some('%'), p) => format!("{:.*}%", p.unwrap_or(6), x * 100.0),
            _ => unreachable!("checked above"),
        }
    };
    let body = match spec.grouping {
        Some(sep) if x.is_finite() => {
            let end = body.find(|c: char| !c.is_ascii_digit()).unwrap_or(body.len());
            format!("{}{}", group(&body[..end], sep, 3), &body[end..])
        }
        _ => body,
    };
    Ok(pad(spec, sign_text(negative, spec), &body, '>'))
}

fn format_text(text: &str, spec: &Spec) -> Result<String, String> {
    if let Some(k) = spec.kind.filter(|k| *k != 's') {
        return Err(format!("Unknown format code '{k}' for object of type 'str'"));
    }
    if spec.sign.is_some() {
        return Err("Sign not allowed in string format specifier".into());
    }
    if spec.alternate {
        return Err("Alternate form (#) not allowed in string format specifier".into());
    }
    if spec.align == Some('=') {
        return Err("'=' alignment not allowed in string format specifier".into());
    }
    if spec.grouping.is_some() {
        return Err(format!("Cannot specify '{}' with 's'.", spec.grouping.expect("given")));
    }
    let text: String = match spec.precision {
        Some(p) => text.chars().take(p).collect(),
        None => text.to_string(),
    };
    let spec = Spec { zero: false, fill: spec.fill.or(if spec.zero { Some('0') } else { None }), ..spec.clone() };
    Ok(pad(&spec, "", &text, '<'))
}

unsafe fn finish(result: Result<String, String>, exc: *mut ExcInfo) -> *mut MemInfo {
    match result {
        Ok(text) => {
            let s = from_str(&text);
            if s.is_null() {
                raise(exc, crate::strings::EXC_MEMORY_ERROR, "cannot allocate memory for the string");
            }
            s
        }
        Err(message) => {
            raise_formatted(exc, EXC_VALUE_ERROR, message);
            std::ptr::null_mut()
        }
    }
}

/// `format(v, spec)` of an integer (`unsigned` for uint64 values).
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_format_int(v: i64, unsigned: i64, spec: *mut MemInfo, exc: *mut ExcInfo) -> *mut MemInfo {
    let v = if unsigned != 0 { v as u64 as i128 } else { v as i128 };
    finish(parse(&chars(spec).to_string()).and_then(|s| format_int(v, &s)), exc)
}

/// `format(v, spec)` of a float (`single` for float32's own shortest digits).
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_format_float(v: f64, single: i64, spec: *mut MemInfo, exc: *mut ExcInfo) -> *mut MemInfo {
    finish(parse(&chars(spec).to_string()).and_then(|s| format_float(v, &s, single != 0)), exc)
}

/// `format(s, spec)` of a string.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_format_str(s: *mut MemInfo, spec: *mut MemInfo, exc: *mut ExcInfo) -> *mut MemInfo {
    finish(parse(&chars(spec).to_string()).and_then(|p| format_text(&chars(s).to_string(), &p)), exc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(v: i128, spec: &str) -> String {
        format_int(v, &parse(spec).unwrap()).unwrap_or_else(|e| e)
    }

    fn float(v: f64, spec: &str) -> String {
        format_float(v, &parse(spec).unwrap(), false).unwrap_or_else(|e| e)
    }

    #[test]
    fn specs_format_as_cpython() {
        let _serial = crate::memory::allocation_test_lock();
        assert_eq!(int(42, ""), "42");
        assert_eq!(int(42, ">5"), "   42");
        assert_eq!(int(-42, "05"), "-0042");
        assert_eq!(int(1234567, ","), "1,234,567");
        assert_eq!(int(255, "#x"), "0xff");
        assert_eq!(int(255, "#010b"), "0b11111111");
        assert_eq!(int(65, "c"), "A");
        assert_eq!(int(5, "+d"), "+5");
        assert_eq!(int(5, "*^7"), "***5***");
        assert_eq!(float(3.14159, ".2f"), "3.14");
        assert_eq!(float(1234.5, ",.1f"), "1,234.5");
        assert_eq!(float(0.000123, "e"), "1.230000e-04");
        assert_eq!(float(1234.5, ".3"), "1.23e+03");
        assert_eq!(float(1.0, ".3"), "1.0");
        assert_eq!(float(0.5, "%"), "50.000000%");
        assert_eq!(float(1e-5, "g"), "1e-05");
        assert_eq!(float(123456789.0, "g"), "1.23457e+08");
        assert_eq!(float(-0.0, ".1f"), "-0.0");
        assert_eq!(float(-0.0, "z.1f"), "0.0");
        assert_eq!(float(f64::INFINITY, "F"), "INF");
        assert_eq!(float(2.5, "08.2f"), "00002.50");
        assert_eq!(float(0.1, ""), "0.1");
    }
}
