//! `print()` from compiled code. Items are formatted as Python's `str()` formats them and
//! collected in a per-thread buffer; `ferrojit_rt_print_flush` hands the line to the print hook,
//! which the Python binding points at `sys.stdout.write` (so `print` output interleaves with
//! Python's and can be captured). Without a hook, output goes to the process's stdout.

use std::cell::RefCell;
use std::fmt::Write;
use std::sync::OnceLock;

pub type PrintHook = fn(&str);

static HOOK: OnceLock<PrintHook> = OnceLock::new();

thread_local! {
    static BUFFER: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Routes compiled `print()` output; the first call wins.
pub fn set_print_hook(hook: PrintHook) {
    let _ = HOOK.set(hook);
}

fn push(f: impl FnOnce(&mut String)) {
    BUFFER.with(|b| f(&mut b.borrow_mut()));
}

#[no_mangle]
pub extern "C" fn ferrojit_rt_print_i64(v: i64) {
    push(|b| {
        let _ = write!(b, "{v}");
    });
}

#[no_mangle]
pub extern "C" fn ferrojit_rt_print_u64(v: u64) {
    push(|b| {
        let _ = write!(b, "{v}");
    });
}

#[no_mangle]
pub extern "C" fn ferrojit_rt_print_f64(v: f64) {
    push(|b| b.push_str(&format_float_repr(v, true)));
}

/// float32 prints with the shortest digits that round-trip as float32, as NumPy's `str()`.
#[no_mangle]
pub extern "C" fn ferrojit_rt_print_f32(v: f32) {
    push(|b| b.push_str(&format_f32_repr(v)));
}

/// `str(v)` of a float: CPython's `repr` of a float64, NumPy's `str()` of a float32 (`single`,
/// `v` holding the float32's value).
pub fn float_text(v: f64, single: bool) -> String {
    if single {
        format_f32_repr(v as f32)
    } else {
        format_float_repr(v, true)
    }
}

/// A float32's shortest round-trip digits laid out as NumPy 2's `str(np.float32)`: positional
/// from 1e-4 up to 1e6 (NumPy's cutoff for float32, where float64's is 1e16), else scientific.
pub fn format_f32_repr(v: f32) -> String {
    format_f32(v, true)
}

/// [`format_f32_repr`], with `dot_zero` as [`format_float_repr`]'s (a complex64's parts omit it).
fn format_f32(v: f32, dot_zero: bool) -> String {
    if !v.is_finite() {
        return non_finite(v.is_nan(), v.is_sign_negative());
    }
    // NumPy compares the value itself with its cutoffs (`np.float32(1e-4)` is below 1e-4).
    let magnitude = v.abs();
    let positional = magnitude == 0.0 || (1e-4..1e6).contains(&(magnitude as f64));
    layout(ryu::Buffer::new().format_finite(v), dot_zero, |_| positional)
}

/// `single` nonzero: a complex64's parts, printed as float32s.
#[no_mangle]
pub extern "C" fn ferrojit_rt_print_complex(re: f64, im: f64, single: i64) {
    push(|b| b.push_str(&complex_text(re, im, single != 0)));
}

#[no_mangle]
pub extern "C" fn ferrojit_rt_print_bool(v: bool) {
    push(|b| b.push_str(if v { "True" } else { "False" }));
}

#[no_mangle]
pub extern "C" fn ferrojit_rt_print_none() {
    push(|b| b.push_str("None"));
}

/// # Safety
/// `ptr` points to `len` bytes of UTF-8.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_print_str(ptr: *const u8, len: usize) {
    let s = std::str::from_utf8(std::slice::from_raw_parts(ptr, len)).unwrap_or("");
    push(|b| b.push_str(s));
}

#[no_mangle]
pub extern "C" fn ferrojit_rt_print_flush() {
    let text = BUFFER.with(|b| std::mem::take(&mut *b.borrow_mut()));
    match HOOK.get() {
        Some(hook) => hook(&text),
        None => {
            use std::io::Write as _;
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(text.as_bytes());
            let _ = out.flush();
        }
    }
}

/// Python's `repr(float)`: the shortest digits that round-trip, in positional notation when the
/// decimal exponent is in `-4..16`, else scientific (`1e+16`, `1.5e-05`). `dot_zero` adds the
/// `.0` that `repr` gives integral values (`complex` parts omit it).
pub fn format_float_repr(v: f64, dot_zero: bool) -> String {
    if !v.is_finite() {
        return non_finite(v.is_nan(), v.is_sign_negative());
    }
    layout(ryu::Buffer::new().format_finite(v), dot_zero, |decpt| -4 < decpt && decpt <= 16)
}

fn non_finite(nan: bool, negative: bool) -> String {
    (if nan {
        "nan"
    } else if negative {
        "-inf"
    } else {
        "inf"
    })
    .into()
}

/// Lays out Ryu's shortest round-trip text of a finite float (`[-]int.frac`, or
/// `[-]d[.ddd]e[-]x`) as CPython's `float_repr` does: positional when `positional` says so of
/// the decimal point's position `decpt` (CPython's rule for a float64: `-4 < decpt <= 16`),
/// else scientific, its exponent signed and of two digits at least. Ryu, like CPython's `repr` (David Gay's `dtoa`), rounds an exact tie to even, where
/// Rust's `{:e}` rounds it up: `float(np.float32(192.1))`, 192.100006103515625, is
/// `192.10000610351562` in CPython.
fn layout(text: &str, dot_zero: bool, positional: impl Fn(i32) -> bool) -> String {
    let (sign, text) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (mantissa, exp) = match text.split_once('e') {
        Some((m, e)) => (m, e.parse::<i32>().expect("ryu writes an integer exponent")),
        None => (text, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all = format!("{whole}{fraction}");
    let leading = all.len() - all.trim_start_matches('0').len();
    let digits = match all.trim_matches('0') {
        "" => "0",
        d => d,
    };
    // Decimal point position relative to the digits, as CPython's `decpt` (1 for zero).
    let decpt = if digits == "0" { 1 } else { whole.len() as i32 + exp - leading as i32 };
    let exp = decpt - 1;
    let mut out = String::from(sign);
    if positional(decpt) {
        if decpt <= 0 {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', (-decpt) as usize));
            out.push_str(&digits);
        } else if decpt as usize >= digits.len() {
            out.push_str(&digits);
            out.extend(std::iter::repeat_n('0', decpt as usize - digits.len()));
            if dot_zero {
                out.push_str(".0");
            }
        } else {
            out.push_str(&digits[..decpt as usize]);
            out.push('.');
            out.push_str(&digits[decpt as usize..]);
        }
    } else {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let _ = write!(out, "e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs());
    }
    out
}

/// `str()` of a complex number: Python's `repr(complex)` (`1j`, `(1+2j)`, `(-0-1j)`,
/// `(nan+infj)`), or with `single` NumPy 2's
/// `str(np.complex64)`, the same layout of parts written as float32s (`(1.1+2.2j)`, `(2e+06+1j)`).
pub fn complex_text(re: f64, im: f64, single: bool) -> String {
    let part = |v: f64| if single { format_f32(v as f32, false) } else { format_float_repr(v, false) };
    let imag = part(im);
    if re == 0.0 && re.is_sign_positive() {
        return format!("{imag}j");
    }
    let real = part(re);
    let sign = if imag.starts_with('-') { "" } else { "+" };
    format!("({real}{sign}{imag}j)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_repr_matches_cpython() {
        let cases = [
            (0.1, "0.1"),
            (1.0, "1.0"),
            (-0.0, "-0.0"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.5e-7, "1.5e-07"),
            (123.456, "123.456"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (f64::INFINITY, "inf"),
            (f64::NAN, "nan"),
        ];
        for (v, want) in cases {
            assert_eq!(format_float_repr(v, true), want, "{v:e}");
        }
    }

    #[test]
    fn complex_repr_matches_cpython() {
        assert_eq!(complex_text(0.0, 1.0, false), "1j");
        assert_eq!(complex_text(1.0, 2.0, false), "(1+2j)");
        assert_eq!(complex_text(-0.0, -1.0, false), "(-0-1j)");
        assert_eq!(complex_text(1.5, -0.0, false), "(1.5-0j)");
        assert_eq!(complex_text(1.0, f64::NAN, false), "(1+nanj)");
        assert_eq!(complex_text(1.1f32 as f64, 2.2f32 as f64, true), "(1.1+2.2j)");
        assert_eq!(complex_text(2e6, 1.0, true), "(2e+06+1j)");
        assert_eq!(complex_text(0.0, 1e16f32 as f64, true), "1e+16j");
        assert_eq!(complex_text(999999.0, 1e-4f32 as f64, true), "(999999+1e-04j)");
    }
}
