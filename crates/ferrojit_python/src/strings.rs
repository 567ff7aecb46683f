//! Python `str` <-> compiled strings, and CPython's hash key and character database handed to
//! the runtime (`ferrojit_runtime::strings`).
//!
//! A `str` argument is copied into a new compiled string (CPython's bytes of its kind, the same
//! layout, so one copy), released after the call; a string result becomes a new Python `str`
//! from the same bytes.

use ferrojit_runtime::memory::{release, MemInfo};
use ferrojit_runtime::strings::{chars, from_raw, install_python, UnicodeDatabase};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::PyString;
use std::os::raw::c_int;

extern "C" {
    /// CPython's hash secret (`_Py_HashSecret_t`): its first 16 bytes are the SipHash key.
    static _Py_HashSecret: [u64; 3];
    fn _PyUnicode_IsAlpha(ch: u32) -> c_int;
    fn _PyUnicode_IsDecimalDigit(ch: u32) -> c_int;
    fn _PyUnicode_IsDigit(ch: u32) -> c_int;
    fn _PyUnicode_IsNumeric(ch: u32) -> c_int;
    fn _PyUnicode_IsWhitespace(ch: u32) -> c_int;
    fn _PyUnicode_IsLowercase(ch: u32) -> c_int;
    fn _PyUnicode_IsUppercase(ch: u32) -> c_int;
    fn _PyUnicode_IsTitlecase(ch: u32) -> c_int;
    fn _PyUnicode_IsCased(ch: u32) -> c_int;
    fn _PyUnicode_IsCaseIgnorable(ch: u32) -> c_int;
    fn _PyUnicode_IsPrintable(ch: u32) -> c_int;
    fn _PyUnicode_ToLowerFull(ch: u32, res: *mut u32) -> c_int;
    fn _PyUnicode_ToUpperFull(ch: u32, res: *mut u32) -> c_int;
    fn _PyUnicode_ToTitleFull(ch: u32, res: *mut u32) -> c_int;
    fn _PyUnicode_ToFoldedFull(ch: u32, res: *mut u32) -> c_int;
}

/// Gives the runtime this interpreter's string hash key and character database, so that
/// compiled `hash(s)`, `s.upper()`, `s.isalpha()` agree with CPython's.
pub(crate) fn install() {
    // SAFETY: CPython initialises the secret before any extension module loads, and never
    // changes it afterwards.
    let (k0, k1) = unsafe { (_Py_HashSecret[0], _Py_HashSecret[1]) };
    install_python(
        k0,
        k1,
        UnicodeDatabase {
            is_alpha: _PyUnicode_IsAlpha,
            is_decimal: _PyUnicode_IsDecimalDigit,
            is_digit: _PyUnicode_IsDigit,
            is_numeric: _PyUnicode_IsNumeric,
            is_whitespace: _PyUnicode_IsWhitespace,
            is_lowercase: _PyUnicode_IsLowercase,
            is_uppercase: _PyUnicode_IsUppercase,
            is_titlecase: _PyUnicode_IsTitlecase,
            is_cased: _PyUnicode_IsCased,
            is_case_ignorable: _PyUnicode_IsCaseIgnorable,
            is_printable: _PyUnicode_IsPrintable,
            to_lower_full: _PyUnicode_ToLowerFull,
            to_upper_full: _PyUnicode_ToUpperFull,
            to_title_full: _PyUnicode_ToTitleFull,
            to_folded_full: _PyUnicode_ToFoldedFull,
        },
    );
}

/// A new compiled string holding the text of the exact `str` `obj`, or None when `obj` is not
/// one (or the memory cannot be had).
pub(crate) fn pack_str(obj: &Bound<'_, PyAny>) -> Option<*mut MemInfo> {
    if !obj.is_exact_instance_of::<PyString>() {
        return None;
    }
    let p = obj.as_ptr();
    // SAFETY: an exact str; `PyUnicode_GetLength` readies a legacy string first (3.11), after
    // which its kind and data are CPython's canonical (narrowest) form.
    unsafe {
        let length = ffi::PyUnicode_GetLength(p);
        if length < 0 {
            ffi::PyErr_Clear();
            return None;
        }
        let kind = ffi::PyUnicode_KIND(p) as usize;
        let s = from_raw(ffi::PyUnicode_DATA(p) as *const u8, length as usize, kind);
        (!s.is_null()).then_some(s)
    }
}

/// Boxes the string `s` as a new Python `str`, taking over the reference the caller holds.
pub(crate) fn box_str<'py>(py: Python<'py>, s: *mut MemInfo) -> PyResult<Bound<'py, PyAny>> {
    // SAFETY: a live string; the bytes are in CPython's layout for their kind.
    let boxed = unsafe {
        let text = chars(s);
        let object = ffi::PyUnicode_FromKindAndData(text.kind() as c_int, text.bytes().as_ptr() as *const std::ffi::c_void, text.len() as ffi::Py_ssize_t);
        Bound::from_owned_ptr_or_err(py, object)
    };
    // SAFETY: the caller's reference, given to this function.
    unsafe { release(s) };
    boxed
}

/// A new compiled bytes value (a string of one byte per character) holding the bytes of the
/// exact `bytes` `obj`, or None when `obj` is not one.
pub(crate) fn pack_bytes(obj: &Bound<'_, PyAny>) -> Option<*mut MemInfo> {
    let bytes = obj.cast_exact::<pyo3::types::PyBytes>().ok()?;
    let data = bytes.as_bytes();
    // SAFETY: `data` holds `len` bytes: a string of kind 1 stores them as they are.
    let s = unsafe { from_raw(data.as_ptr(), data.len(), 1) };
    (!s.is_null()).then_some(s)
}

/// Boxes compiled bytes as a new Python `bytes`, taking over the reference the caller holds.
pub(crate) fn box_bytes<'py>(py: Python<'py>, s: *mut MemInfo) -> PyResult<Bound<'py, PyAny>> {
    // SAFETY: a live value stored one byte per character.
    let boxed = pyo3::types::PyBytes::new(py, unsafe { chars(s).bytes() }).into_any();
    // SAFETY: the caller's reference, given to this function.
    unsafe { release(s) };
    Ok(boxed)
}
