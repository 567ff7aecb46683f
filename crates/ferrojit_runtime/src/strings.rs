//! Strings: immutable, reference-counted Unicode text, stored as CPython stores it (PEP 393).
//!
//! A string is a meminfo (see [`crate::memory`]) whose data is a [`StrHeader`] followed by the
//! code points, `kind` bytes each: 1 when every code point is below 256 (Latin-1), 2 when below
//! 65536, else 4. Invariant: `kind` is always the narrowest that holds the text (as CPython's), so
//! two strings are equal exactly when their kinds, lengths and bytes are, and the bytes are those
//! CPython hashes: `hash()` of a compiled string equals CPython's (SipHash-1-3 under the
//! process's `PYTHONHASHSEED` key, which the Python module installs with [`install_python`]).
//!
//! Constants of compiled code and the one-character strings below 256 are *immortal*: static
//! images whose reference count starts so high that no sequence of references taken and dropped
//! brings it to zero; they are never freed and never counted by `live_allocations()`.
//!
//! Character properties (`isalpha`, `upper`, ...) come from CPython's own Unicode database when
//! the Python module has installed it ([`install_python`]), so that they agree with CPython's
//! for every code point; without it (the crate's own tests) Rust's, which agree on ASCII.

use crate::memory::{alloc_with_drop, data, MemInfo, DATA_OFFSET};
use crate::{raise, raise_formatted, raise_writing, ExcInfo, EXC_VALUE_ERROR};
use std::sync::atomic::{AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::OnceLock;

pub const EXC_TYPE_ERROR: u32 = 3;
pub const EXC_MEMORY_ERROR: u32 = 14;

#[repr(C)]
pub struct StrHeader {
    /// In code points.
    pub length: i64,
    /// Bytes per code point: 1, 2 or 4.
    pub kind: i64,
    /// CPython's hash of the text, or -1 until first asked for (never -1 once computed).
    pub hash: AtomicI64,
    pub reserved: i64,
}

/// Byte offsets, from the start of the meminfo's data, of what compiled code reads inline.
pub const LENGTH_OFFSET: u64 = 0;
pub const KIND_OFFSET: u64 = 8;
/// The code points start this many bytes after the header's start.
pub const CHARS_OFFSET: u64 = 32;

/// The reference count of immortal strings (see the module documentation).
pub const IMMORTAL: usize = 1 << 60;

/// # Safety
/// `s` is a live string.
pub unsafe fn header<'a>(s: *mut MemInfo) -> &'a StrHeader {
    &*(data(s) as *const StrHeader)
}

/// The code points of a string, borrowed.
#[derive(Clone, Copy)]
pub enum Chars<'a> {
    One(&'a [u8]),
    Two(&'a [u16]),
    Four(&'a [u32]),
}

impl<'a> Chars<'a> {
    pub fn len(&self) -> usize {
        match self {
            Chars::One(c) => c.len(),
            Chars::Two(c) => c.len(),
            Chars::Four(c) => c.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn at(&self, i: usize) -> u32 {
        match self {
            Chars::One(c) => c[i] as u32,
            Chars::Two(c) => c[i] as u32,
            Chars::Four(c) => c[i],
        }
    }

    pub fn kind(&self) -> usize {
        match self {
            Chars::One(_) => 1,
            Chars::Two(_) => 2,
            Chars::Four(_) => 4,
        }
    }

    /// The raw bytes (what CPython hashes).
    pub fn bytes(&self) -> &'a [u8] {
        // SAFETY: reinterpreting initialised integers as bytes.
        unsafe {
            match *self {
                Chars::One(c) => c,
                Chars::Two(c) => std::slice::from_raw_parts(c.as_ptr() as *const u8, c.len() * 2),
                Chars::Four(c) => std::slice::from_raw_parts(c.as_ptr() as *const u8, c.len() * 4),
            }
        }
    }

    pub fn iter(self) -> impl DoubleEndedIterator<Item = u32> + ExactSizeIterator + 'a {
        (0..self.len()).map(move |i| self.at(i))
    }

    pub fn to_vec(self) -> Vec<u32> {
        self.iter().collect()
    }

    /// The characters from position `start` on.
    pub fn skip(self, start: usize) -> Chars<'a> {
        match self {
            Chars::One(c) => Chars::One(&c[start.min(c.len())..]),
            Chars::Two(c) => Chars::Two(&c[start.min(c.len())..]),
            Chars::Four(c) => Chars::Four(&c[start.min(c.len())..]),
        }
    }

    /// The first `n` characters (all of them when there are fewer).
    pub fn take(self, n: usize) -> Chars<'a> {
        match self {
            Chars::One(c) => Chars::One(&c[..n.min(c.len())]),
            Chars::Two(c) => Chars::Two(&c[..n.min(c.len())]),
            Chars::Four(c) => Chars::Four(&c[..n.min(c.len())]),
        }
    }

    pub fn to_string(self) -> String {
        let mut out = String::with_capacity(self.len());
        self.push_to(&mut out);
        out
    }

    /// Appends the text to `out` (a lone surrogate, which UTF-8 cannot hold, as U+FFFD).
    pub fn push_to(self, out: &mut String) {
        match self {
            // ASCII, the common case, is its own UTF-8.
            Chars::One(c) if c.is_ascii() => out.push_str(std::str::from_utf8(c).unwrap_or_default()),
            _ => out.extend(self.iter().map(|c| char::from_u32(c).unwrap_or('\u{fffd}'))),
        }
    }

    /// The position of `needle` in `self[start..end]` (first or last), as a position in `self`.
    fn find(&self, needle: Chars, start: usize, end: usize, last: bool) -> Option<usize> {
        let n = needle.len();
        if end < start || end - start < n {
            return None;
        }
        let matches = |at: usize| (0..n).all(|k| self.at(at + k) == needle.at(k));
        if let (Chars::One(h), Chars::One(nd), false) = (self, needle, last) {
            // Latin-1 text: a byte search.
            return find_bytes(&h[start..end], nd).map(|p| p + start);
        }
        if last {
            (start..=end - n).rev().find(|&at| matches(at))
        } else {
            (start..=end - n).find(|&at| matches(at))
        }
    }
}

fn find_bytes(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    if needle.len() == 1 {
        return haystack.iter().position(|&b| b == needle[0]);
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// # Safety
/// `s` is a live string.
pub unsafe fn chars<'a>(s: *mut MemInfo) -> Chars<'a> {
    let h = header(s);
    let at = data(s).add(CHARS_OFFSET as usize);
    let n = h.length as usize;
    match h.kind {
        1 => Chars::One(std::slice::from_raw_parts(at, n)),
        2 => Chars::Two(std::slice::from_raw_parts(at as *const u16, n)),
        _ => Chars::Four(std::slice::from_raw_parts(at as *const u32, n)),
    }
}

fn kind_for(max: u32) -> usize {
    if max < 0x100 {
        1
    } else if max < 0x10000 {
        2
    } else {
        4
    }
}

/// A new string of `length` code points of `kind` bytes, its characters uninitialised; null
/// when the memory cannot be had.
fn alloc_str(length: usize, kind: usize) -> *mut MemInfo {
    let Some(bytes) = length.checked_mul(kind).and_then(|b| b.checked_add(CHARS_OFFSET as usize + kind)) else { return std::ptr::null_mut() };
    let s = alloc_with_drop(bytes, None);
    if !s.is_null() {
        // SAFETY: fresh and large enough for the header; a zero after the characters, as
        // CPython keeps.
        unsafe {
            (data(s) as *mut StrHeader).write(StrHeader { length: length as i64, kind: kind as i64, hash: AtomicI64::new(-1), reserved: 0 });
            std::ptr::write_bytes(data(s).add(CHARS_OFFSET as usize + length * kind), 0, kind);
        }
    }
    s
}

/// A new string holding `code`, whose largest code point is below `max + 1`; null when the
/// memory cannot be had.
pub fn from_code_points(code: &[u32]) -> *mut MemInfo {
    from_iter(code.len(), code.iter().copied().max().unwrap_or(0), code.iter().copied())
}

fn from_iter(length: usize, max: u32, code: impl Iterator<Item = u32>) -> *mut MemInfo {
    if length == 1 && max < 0x100 {
        return latin1_char(max);
    }
    let kind = kind_for(max);
    let s = alloc_str(length, kind);
    if s.is_null() {
        return s;
    }
    // SAFETY: room for `length` characters of `kind` bytes.
    unsafe { write_chars(s, kind, 0, code.take(length)) };
    s
}

/// Stores `code` as characters of `kind` bytes from position `from` of the string `s`.
///
/// # Safety
/// `s`'s allocation has room for them, and each code point fits `kind`.
unsafe fn write_chars(s: *mut MemInfo, kind: usize, from: usize, code: impl Iterator<Item = u32>) {
    let at = data(s).add(CHARS_OFFSET as usize);
    for (i, c) in code.enumerate() {
        match kind {
            1 => *at.add(from + i) = c as u8,
            2 => *(at as *mut u16).add(from + i) = c as u16,
            _ => *(at as *mut u32).add(from + i) = c,
        }
    }
}

/// A new string of the Rust text `text`; null when the memory cannot be had.
pub fn from_str(text: &str) -> *mut MemInfo {
    let max = text.chars().map(|c| c as u32).max().unwrap_or(0);
    from_iter(text.chars().count(), max, text.chars().map(|c| c as u32))
}

/// A new string of `length` code points of `kind` bytes copied from `src` (CPython's data of a
/// string of that kind, which is always the narrowest); null when the memory cannot be had.
///
/// # Safety
/// `src` holds `length * kind` readable bytes.
pub unsafe fn from_raw(src: *const u8, length: usize, kind: usize) -> *mut MemInfo {
    if length == 1 && kind == 1 {
        return latin1_char(*src as u32);
    }
    let s = alloc_str(length, kind);
    if !s.is_null() {
        std::ptr::copy_nonoverlapping(src, data(s).add(CHARS_OFFSET as usize), length * kind);
    }
    s
}

/// The bytes of the immortal image of the string `text` (a meminfo, its header and its
/// characters, laid out as an allocation is), for a constant of compiled code. The image must
/// sit at a 16-byte aligned address in writable memory (the hash is stored into it).
pub fn constant_image(text: &str) -> Vec<u8> {
    let code: Vec<u32> = text.chars().map(|c| c as u32).collect();
    let kind = kind_for(code.iter().copied().max().unwrap_or(0));
    let size = CHARS_OFFSET as usize + (code.len() + 1) * kind;
    let mut image = vec![0u8; DATA_OFFSET + size];
    image[0..8].copy_from_slice(&(IMMORTAL as u64).to_le_bytes());
    image[8..16].copy_from_slice(&(size as u64).to_le_bytes());
    // drop_data (16..24) stays null.
    let h = DATA_OFFSET;
    image[h..h + 8].copy_from_slice(&(code.len() as i64).to_le_bytes());
    image[h + 8..h + 16].copy_from_slice(&(kind as i64).to_le_bytes());
    image[h + 16..h + 24].copy_from_slice(&(-1i64).to_le_bytes());
    let at = h + CHARS_OFFSET as usize;
    for (i, &c) in code.iter().enumerate() {
        image[at + i * kind..at + (i + 1) * kind].copy_from_slice(&c.to_le_bytes()[..kind]);
    }
    image
}

/// The immortal one-character strings of the code points below 256 (see the module
/// documentation): what iterating over or indexing Latin-1 text gives, without allocating.
#[repr(C, align(64))]
struct Latin1Char {
    refcount: AtomicUsize,
    size: usize,
    drop_data: Option<unsafe fn(*mut u8)>,
    padding: [u8; DATA_OFFSET - 24],
    length: i64,
    kind: i64,
    hash: AtomicI64,
    reserved: i64,
    chars: [u8; 8],
}

static LATIN1: [Latin1Char; 256] = {
    let mut table = [const {
        Latin1Char {
            refcount: AtomicUsize::new(IMMORTAL),
            size: CHARS_OFFSET as usize + 2,
            drop_data: None,
            padding: [0; DATA_OFFSET - 24],
            length: 1,
            kind: 1,
            hash: AtomicI64::new(-1),
            reserved: 0,
            chars: [0; 8],
        }
    }; 256];
    let mut c = 0;
    while c < 256 {
        table[c].chars[0] = c as u8;
        c += 1;
    }
    table
};

fn latin1_char(c: u32) -> *mut MemInfo {
    &LATIN1[c as usize] as *const Latin1Char as *mut MemInfo
}

// ---------------------------------------------------------------------------------------------
// CPython's hash key and Unicode database.

static HASH_KEY: [AtomicU64; 2] = [AtomicU64::new(0), AtomicU64::new(0)];

/// CPython's character database functions (`_PyUnicode_IsAlpha`, `_PyUnicode_ToUpperFull`, ...).
#[derive(Clone, Copy)]
pub struct UnicodeDatabase {
    pub is_alpha: unsafe extern "C" fn(u32) -> i32,
    pub is_decimal: unsafe extern "C" fn(u32) -> i32,
    pub is_digit: unsafe extern "C" fn(u32) -> i32,
    pub is_numeric: unsafe extern "C" fn(u32) -> i32,
    pub is_whitespace: unsafe extern "C" fn(u32) -> i32,
    pub is_lowercase: unsafe extern "C" fn(u32) -> i32,
    pub is_uppercase: unsafe extern "C" fn(u32) -> i32,
    pub is_titlecase: unsafe extern "C" fn(u32) -> i32,
    pub is_cased: unsafe extern "C" fn(u32) -> i32,
    pub is_case_ignorable: unsafe extern "C" fn(u32) -> i32,
    pub is_printable: unsafe extern "C" fn(u32) -> i32,
    pub to_lower_full: unsafe extern "C" fn(u32, *mut u32) -> i32,
    pub to_upper_full: unsafe extern "C" fn(u32, *mut u32) -> i32,
    pub to_title_full: unsafe extern "C" fn(u32, *mut u32) -> i32,
    pub to_folded_full: unsafe extern "C" fn(u32, *mut u32) -> i32,
}

static DATABASE: OnceLock<UnicodeDatabase> = OnceLock::new();

/// Installs CPython's hash key (`_Py_HashSecret`'s SipHash key) and character database: called
/// once by the Python module when it loads.
pub fn install_python(k0: u64, k1: u64, database: UnicodeDatabase) {
    HASH_KEY[0].store(k0, Ordering::Relaxed);
    HASH_KEY[1].store(k1, Ordering::Relaxed);
    let _ = DATABASE.set(database);
}

/// One character property, from CPython's database, else Rust's approximation.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Property {
    Alpha,
    Decimal,
    Digit,
    Numeric,
    Space,
    Lower,
    Upper,
    Title,
    Cased,
    CaseIgnorable,
    Printable,
}

pub fn has(c: u32, p: Property) -> bool {
    if p == Property::Space && c < 128 {
        // CPython's `Py_UNICODE_ISSPACE` table: \t \n \v \f \r, the separators \x1c-\x1f, space.
        return matches!(c, 0x09..=0x0d | 0x1c..=0x20);
    }
    if let Some(db) = DATABASE.get() {
        // SAFETY: CPython's table lookups, valid for any code point, needing no interpreter state.
        unsafe {
            let f = match p {
                Property::Alpha => db.is_alpha,
                Property::Decimal => db.is_decimal,
                Property::Digit => db.is_digit,
                Property::Numeric => db.is_numeric,
                Property::Space => db.is_whitespace,
                Property::Lower => db.is_lowercase,
                Property::Upper => db.is_uppercase,
                Property::Title => db.is_titlecase,
                Property::Cased => db.is_cased,
                Property::CaseIgnorable => db.is_case_ignorable,
                Property::Printable => db.is_printable,
            };
            return f(c) != 0;
        }
    }
    let Some(ch) = char::from_u32(c) else { return false };
    match p {
        Property::Alpha => ch.is_alphabetic(),
        Property::Decimal | Property::Digit => ch.is_ascii_digit(),
        Property::Numeric => ch.is_numeric(),
        Property::Space => ch.is_whitespace(),
        Property::Lower => ch.is_lowercase(),
        Property::Upper => ch.is_uppercase(),
        Property::Title => false,
        Property::Cased => ch.is_lowercase() || ch.is_uppercase(),
        Property::CaseIgnorable => matches!(ch, '\'' | '.' | ':' | '^' | '`'),
        Property::Printable => !ch.is_control() && (c >= 0x20),
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mapping {
    Lower,
    Upper,
    Title,
    Fold,
}

/// The full case mapping of `c` (one to three code points) appended to `out`.
fn map_case(c: u32, m: Mapping, out: &mut Vec<u32>) {
    if let Some(db) = DATABASE.get() {
        let mut buf = [0u32; 3];
        // SAFETY: CPython's mapping functions write at most three code points.
        let n = unsafe {
            let f = match m {
                Mapping::Lower => db.to_lower_full,
                Mapping::Upper => db.to_upper_full,
                Mapping::Title => db.to_title_full,
                Mapping::Fold => db.to_folded_full,
            };
            f(c, buf.as_mut_ptr())
        };
        out.extend_from_slice(&buf[..n.clamp(0, 3) as usize]);
        return;
    }
    let Some(ch) = char::from_u32(c) else {
        out.push(c);
        return;
    };
    match m {
        Mapping::Lower | Mapping::Fold => out.extend(ch.to_lowercase().map(|c| c as u32)),
        Mapping::Upper | Mapping::Title => out.extend(ch.to_uppercase().map(|c| c as u32)),
    }
}

/// CPython's `lower_ucs4`: the lowercase of the character at `i`, with the final-sigma rule
/// for U+03A3 (`ΣΑΣ`.lower() is `σας`).
fn lower_at(text: Chars, i: usize, out: &mut Vec<u32>) {
    let c = text.at(i);
    if c != 0x3a3 {
        return map_case(c, Mapping::Lower, out);
    }
    let mut j = i;
    let mut final_sigma = false;
    while j > 0 {
        j -= 1;
        let p = text.at(j);
        if !has(p, Property::CaseIgnorable) {
            final_sigma = has(p, Property::Cased);
            break;
        }
    }
    if final_sigma {
        let mut k = i + 1;
        while k < text.len() && has(text.at(k), Property::CaseIgnorable) {
            k += 1;
        }
        final_sigma = k == text.len() || !has(text.at(k), Property::Cased);
    }
    out.push(if final_sigma { 0x3c2 } else { 0x3c3 });
}

// ---------------------------------------------------------------------------------------------
// What compiled code calls. Every string argument is a live string the caller holds; every
// string returned is a new reference (or an immortal one), null only with an exception raised.

unsafe fn out_of_memory(exc: *mut ExcInfo) -> *mut MemInfo {
    raise(exc, EXC_MEMORY_ERROR, "cannot allocate memory for the string");
    std::ptr::null_mut()
}

unsafe fn checked(s: *mut MemInfo, exc: *mut ExcInfo) -> *mut MemInfo {
    if s.is_null() {
        out_of_memory(exc)
    } else {
        s
    }
}

unsafe fn new_from(code: &[u32], exc: *mut ExcInfo) -> *mut MemInfo {
    checked(from_code_points(code), exc)
}

#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_str_len(s: *mut MemInfo) -> i64 {
    header(s).length
}

/// `a + b`.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_str_concat(a: *mut MemInfo, b: *mut MemInfo, exc: *mut ExcInfo) -> *mut MemInfo {
    let (x, y) = (chars(a), chars(b));
    if x.kind() == y.kind() && x.len() + y.len() > 1 {
        // Both of one kind: the result is of that kind too (each string is of its narrowest
        // kind, and so is their concatenation), and its characters are their bytes.
        let (xb, yb) = (x.bytes(), y.bytes());
        let s = alloc_str(x.len() + y.len(), x.kind());
        if s.is_null() {
            return out_of_memory(exc);
        }
        let at = data(s).add(CHARS_OFFSET as usize);
        std::ptr::copy_nonoverlapping(xb.as_ptr(), at, xb.len());
        std::ptr::copy_nonoverlapping(yb.as_ptr(), at.add(xb.len()), yb.len());
        return s;
    }
    let max = x.iter().chain(y.iter()).max().unwrap_or(0);
    checked(from_iter(x.len() + y.len(), max, x.iter().chain(y.iter())), exc)
}

/// `s += t` of a variable `s` that owns its value (see `ferrojit_ir::RuntimeFunc::STR_APPEND`):
/// in place when `s` is the only reference, its allocation has room and `t` fits its kind;
/// else a new string with room for as much again. Returns a new reference either way.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_str_append(s: *mut MemInfo, t: *mut MemInfo, exc: *mut ExcInfo) -> *mut MemInfo {
    let (x, y) = (chars(s), chars(t));
    let kind = x.kind().max(y.kind());
    let length = x.len() + y.len();
    let (references, size) = crate::memory::references_and_size(s);
    let room = size.saturating_sub(CHARS_OFFSET as usize) / x.kind();
    if references == 1 && kind == x.kind() && length < room {
        write_chars(s, kind, x.len(), y.iter());
        std::ptr::write_bytes(data(s).add(CHARS_OFFSET as usize + length * kind), 0, kind);
        let h = &mut *(data(s) as *mut StrHeader);
        h.length = length as i64;
        h.hash.store(-1, Ordering::Relaxed);
        crate::memory::ferrojit_rt_incref(s);
        return s;
    }
    // Room for twice the text, so that a loop of appends reallocates O(log n) times.
    let Some(bytes) = (2 * length + 1).checked_mul(kind).and_then(|b| b.checked_add(CHARS_OFFSET as usize)) else { return out_of_memory(exc) };
    let out = alloc_with_drop(bytes, None);
    if out.is_null() {
        return out_of_memory(exc);
    }
    (data(out) as *mut StrHeader).write(StrHeader { length: length as i64, kind: kind as i64, hash: AtomicI64::new(-1), reserved: 0 });
    write_chars(out, kind, 0, x.iter().chain(y.iter()));
    std::ptr::write_bytes(data(out).add(CHARS_OFFSET as usize + length * kind), 0, kind);
    out
}

/// `s * n` (an empty string for `n <= 0`).
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_str_repeat(s: *mut MemInfo, n: i64, exc: *mut ExcInfo) -> *mut MemInfo {
    let x = chars(s);
    let n = n.max(0) as usize;
    let Some(total) = x.len().checked_mul(n).filter(|t| *t <= isize::MAX as usize / 4) else { return out_of_memory(exc) };
    if total == 0 {
        return checked(from_iter(0, 0, std::iter::empty()), exc);
    }
    let kind = x.kind();
    let out = alloc_str(total, kind);
    if out.is_null() {
        return out_of_memory(exc);
    }
    let bytes = x.bytes();
    let at = data(out).add(CHARS_OFFSET as usize);
    for k in 0..n {
        std::ptr::copy_nonoverlapping(bytes.as_ptr(), at.add(k * bytes.len()), bytes.len());
    }
    out
}

/// -1, 0 or 1 as `a` sorts before, equal to or after `b` (by code points, as CPython).
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_str_compare(a: *mut MemInfo, b: *mut MemInfo) -> i64 {
    let (x, y) = (chars(a), chars(b));
    let ordering = match (x, y) {
        (Chars::One(p), Chars::One(q)) => p.cmp(q),
        _ => x.iter().cmp(y.iter()),
    };
    ordering as i64
}

/// `a == b`: 1 or 0.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_str_equal(a: *mut MemInfo, b: *mut MemInfo) -> i64 {
    equal(a, b) as i64
}

pub unsafe fn equal(a: *mut MemInfo, b: *mut MemInfo) -> bool {
    if a == b {
        return true;
    }
    let (ha, hb) = (header(a), header(b));
    if ha.length != hb.length || ha.kind != hb.kind {
        return false;
    }
    let (p, q) = (ha.hash.load(Ordering::Relaxed), hb.hash.load(Ordering::Relaxed));
    if p != -1 && q != -1 && p != q {
        return false;
    }
    chars(a).bytes() == chars(b).bytes()
}

/// CPython's `hash(s)` in this process (cached in the header).
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_str_hash(s: *mut MemInfo) -> i64 {
    let h = header(s);
    let cached = h.hash.load(Ordering::Relaxed);
    if cached != -1 {
        return cached;
    }
    let value = hash_bytes(chars(s).bytes());
    h.hash.store(value, Ordering::Relaxed);
    value
}

/// CPython's string hash of these bytes: SipHash-1-3 under the process's key; 0 for the empty
/// string; never -1.
pub fn hash_bytes(bytes: &[u8]) -> i64 {
    use std::hash::Hasher;
    if bytes.is_empty() {
        return 0;
    }
    let mut hasher = siphasher::sip::SipHasher13::new_with_keys(HASH_KEY[0].load(Ordering::Relaxed), HASH_KEY[1].load(Ordering::Relaxed));
    hasher.write(bytes);
    let h = hasher.finish() as i64;
    if h == -1 {
        -2
    } else {
        h
    }
}

/// The one-character string at `0 <= i < len(s)`.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_str_char(s: *mut MemInfo, i: i64, exc: *mut ExcInfo) -> *mut MemInfo {
    let c = chars(s).at(i as usize);
    new_from(&[c], exc)
}

/// The code point at `0 <= i < len(s)`.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_str_code_point(s: *mut MemInfo, i: i64) -> i64 {
    chars(s).at(i as usize) as i64
}

/// Raises the exception of code `kind` with the text of `s` as its argument (see
/// [`crate::TEXT_ARGUMENT_MARK`]); a negative `kind` raises the exception of code `-kind`
/// without an argument (`s` unused: `MyError()`). Returns 0.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_raise_with_text(kind: i64, s: *mut MemInfo, exc: *mut ExcInfo) -> i64 {
    if kind < 0 {
        raise_writing(exc, (-kind) as u32, |_| {});
    } else {
        raise_writing(exc, kind as u32, |m| {
            m.push(crate::TEXT_ARGUMENT_MARK);
            chars(s).push_to(m);
        });
    }
    0
}

/// The encodings of `str.encode` and `bytes.decode`, by the codes the library passes
/// (`ferrojit/_lib/strings.py` names them).
const UTF8: i64 = 0;
const ASCII: i64 = 1;
/// The error handlers, by code: `strict` raises, `ignore` drops what cannot be coded,
/// `replace` puts `?` (encoding) or U+FFFD (decoding) in its place.
const IGNORE: i64 = 1;
const REPLACE: i64 = 2;

/// Raises the codec error of `op` (`encode`, `decode`) on `code` (see
/// [`crate::CODEC_ERROR_MARK`]).
unsafe fn raise_codec_error(exc: *mut ExcInfo, op: &str, encoding: i64, code: impl Iterator<Item = u32>) -> *mut MemInfo {
    let name = match encoding {
        UTF8 => "utf-8",
        ASCII => "ascii",
        _ => "latin-1",
    };
    let hex: Vec<String> = code.map(|c| format!("{c:x}")).collect();
    let kind = if op == "encode" { crate::EXC_UNICODE_ENCODE_ERROR } else { crate::EXC_UNICODE_DECODE_ERROR };
    raise_formatted(exc, kind, format!("{}{op}\0{name}\0{}", crate::CODEC_ERROR_MARK, hex.join(",")));
    std::ptr::null_mut()
}

/// `s.encode(encoding, errors)` (codes above): bytes.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_str_encode(s: *mut MemInfo, encoding: i64, errors: i64, exc: *mut ExcInfo) -> *mut MemInfo {
    let text = chars(s);
    let mut out: Vec<u32> = Vec::with_capacity(text.len());
    for c in text.iter() {
        let fits = match encoding {
            // Lone surrogates have no UTF-8 form.
            UTF8 => !(0xd800..0xe000).contains(&c),
            ASCII => c < 0x80,
            _ => c < 0x100,
        };
        if !fits {
            match errors {
                IGNORE => continue,
                REPLACE => out.push(b'?' as u32),
                _ => return raise_codec_error(exc, "encode", encoding, text.iter()),
            }
        } else if encoding == UTF8 && c >= 0x80 {
            let mut buffer = [0u8; 4];
            let ch = char::from_u32(c).expect("not a surrogate");
            out.extend(ch.encode_utf8(&mut buffer).bytes().map(u32::from));
        } else {
            out.push(c);
        }
    }
    new_from(&out, exc)
}

/// `b.decode(encoding, errors)` (codes above): a string. UTF-8's invalid sequences are the
/// maximal subparts Unicode recommends, as CPython's: one U+FFFD each with `replace`.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_bytes_decode(b: *mut MemInfo, encoding: i64, errors: i64, exc: *mut ExcInfo) -> *mut MemInfo {
    let bytes = chars(b).bytes();
    let mut out: Vec<u32> = Vec::with_capacity(bytes.len());
    match encoding {
        UTF8 => {
            for chunk in bytes.utf8_chunks() {
                out.extend(chunk.valid().chars().map(|c| c as u32));
                if !chunk.invalid().is_empty() {
                    match errors {
                        IGNORE => {}
                        REPLACE => out.push(0xfffd),
                        _ => return raise_codec_error(exc, "decode", encoding, bytes.iter().map(|&x| x as u32)),
                    }
                }
            }
        }
        ASCII => {
            for &x in bytes {
                if x < 0x80 {
                    out.push(x as u32);
                } else {
                    match errors {
                        IGNORE => {}
                        REPLACE => out.push(0xfffd),
                        _ => return raise_codec_error(exc, "decode", encoding, bytes.iter().map(|&x| x as u32)),
                    }
                }
            }
        }
        _ => out.extend(bytes.iter().map(|&x| x as u32)),
    }
    new_from(&out, exc)
}

/// Raises CPython's `TypeError` of `ord()` given a string of `length` characters. Returns 0.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_raise_ord_error(length: i64, exc: *mut ExcInfo) -> i64 {
    raise_formatted(exc, EXC_TYPE_ERROR, format!("ord() expected a character, but string of length {length} found"));
    0
}

/// `chr(c)`.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_str_from_code_point(c: i64, exc: *mut ExcInfo) -> *mut MemInfo {
    if !(0..0x110000).contains(&c) {
        raise(exc, EXC_VALUE_ERROR, "chr() arg not in range(0x110000)");
        return std::ptr::null_mut();
    }
    new_from(&[c as u32], exc)
}

/// `s[start:stop:step]`, the bounds already clipped by `slice.indices`, `count` characters.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_str_slice(s: *mut MemInfo, start: i64, step: i64, count: i64, exc: *mut ExcInfo) -> *mut MemInfo {
    let x = chars(s);
    let n = count.max(0) as usize;
    let at = |k: usize| x.at((start + k as i64 * step) as usize);
    if step == 1 {
        let max = (0..n).map(at).max().unwrap_or(0);
        return checked(from_iter(n, max, (0..n).map(at)), exc);
    }
    let code: Vec<u32> = (0..n).map(at).collect();
    new_from(&code, exc)
}

/// CPython's `ADJUST_INDICES`: `start`/`end` of `find`, `count`, `startswith`... clipped to
/// `[0, len]` (`i64::MIN` stands for `None`).
fn adjust(start: i64, end: i64, len: usize) -> (usize, usize) {
    let len = len as i64;
    let clip = |v: i64, none: i64| {
        if v == i64::MIN {
            none
        } else if v < 0 {
            (v + len).max(0)
        } else {
            v.min(len)
        }
    };
    (clip(start, 0) as usize, clip(end, len) as usize)
}

/// `s.find(sub, start, end)` (`rfind` when `last`): the position, or -1.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_str_find(s: *mut MemInfo, sub: *mut MemInfo, start: i64, end: i64, last: i64) -> i64 {
    let (x, y) = (chars(s), chars(sub));
    let (start, end) = adjust(start, end, x.len());
    if start > x.len() {
        return -1;
    }
    x.find(y, start, end, last != 0).map_or(-1, |p| p as i64)
}

/// `sub in s`.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_str_contains(s: *mut MemInfo, sub: *mut MemInfo) -> i64 {
    let (x, y) = (chars(s), chars(sub));
    x.find(y, 0, x.len(), false).is_some() as i64
}

/// `s.count(sub, start, end)`.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_str_count(s: *mut MemInfo, sub: *mut MemInfo, start: i64, end: i64) -> i64 {
    let (x, y) = (chars(s), chars(sub));
    let (mut start, end) = adjust(start, end, x.len());
    if start > end {
        return 0;
    }
    if y.is_empty() {
        return (end - start + 1) as i64;
    }
    let mut count = 0;
    while let Some(p) = x.find(y, start, end, false) {
        count += 1;
        start = p + y.len();
    }
    count
}

/// `s.startswith(prefix, start, end)` (`endswith` when `at_end`).
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_str_starts(s: *mut MemInfo, prefix: *mut MemInfo, start: i64, end: i64, at_end: i64) -> i64 {
    let (x, y) = (chars(s), chars(prefix));
    let (start, end) = adjust(start, end, x.len());
    if start > x.len() || end < start || end - start < y.len() {
        return 0;
    }
    let from = if at_end != 0 { end - y.len() } else { start };
    (0..y.len()).all(|k| x.at(from + k) == y.at(k)) as i64
}

/// `s.replace(old, new, count)` (every occurrence when `count < 0`).
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_str_replace(s: *mut MemInfo, old: *mut MemInfo, new: *mut MemInfo, count: i64, exc: *mut ExcInfo) -> *mut MemInfo {
    let (x, o, n) = (chars(s), chars(old), chars(new));
    let mut out = Vec::with_capacity(x.len());
    let mut left = if count < 0 { usize::MAX } else { count as usize };
    let mut at = 0;
    if o.is_empty() {
        // CPython inserts `new` before every character and at the end.
        for i in 0..=x.len() {
            if left > 0 {
                out.extend(n.iter());
                left -= 1;
            }
            if i < x.len() {
                out.push(x.at(i));
            }
        }
        return new_from(&out, exc);
    }
    while left > 0 {
        let Some(p) = x.find(o, at, x.len(), false) else { break };
        out.extend((at..p).map(|i| x.at(i)));
        out.extend(n.iter());
        at = p + o.len();
        left -= 1;
    }
    out.extend((at..x.len()).map(|i| x.at(i)));
    new_from(&out, exc)
}

/// `s.strip()` (`sides` as for [`ferrojit_rt_str_strip`]): whitespace stripped.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_str_strip_whitespace(s: *mut MemInfo, sides: i64, exc: *mut ExcInfo) -> *mut MemInfo {
    ferrojit_rt_str_strip(s, std::ptr::null_mut(), sides, exc)
}

/// `s.strip(chars)` (`lstrip` when `sides` is 1, `rstrip` when 2, both when 3); `set` null
/// strips whitespace.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_str_strip(s: *mut MemInfo, set: *mut MemInfo, sides: i64, exc: *mut ExcInfo) -> *mut MemInfo {
    let x = chars(s);
    let strip = |c: u32| if set.is_null() { has(c, Property::Space) } else { chars(set).iter().any(|k| k == c) };
    let mut start = 0;
    let mut end = x.len();
    if sides & 1 != 0 {
        while start < end && strip(x.at(start)) {
            start += 1;
        }
    }
    if sides & 2 != 0 {
        while end > start && strip(x.at(end - 1)) {
            end -= 1;
        }
    }
    let code: Vec<u32> = (start..end).map(|i| x.at(i)).collect();
    new_from(&code, exc)
}

/// The items of `s.split(sep, maxsplit)` (`rsplit` when `last`), in order; `sep` null splits at
/// runs of whitespace.
unsafe fn split_parts(s: *mut MemInfo, sep: *mut MemInfo, maxsplit: i64, last: bool) -> Vec<std::ops::Range<usize>> {
    let x = chars(s);
    let mut left = if maxsplit < 0 { usize::MAX } else { maxsplit as usize };
    let mut parts = Vec::new();
    if sep.is_null() {
        let space = |i: usize| has(x.at(i), Property::Space);
        if !last {
            let mut i = 0;
            loop {
                while i < x.len() && space(i) {
                    i += 1;
                }
                if i == x.len() {
                    break;
                }
                if left == 0 {
                    // The rest, its trailing whitespace kept (CPython's rule).
                    parts.push(i..x.len());
                    break;
                }
                let start = i;
                while i < x.len() && !space(i) {
                    i += 1;
                }
                parts.push(start..i);
                left -= 1;
            }
        } else {
            let mut i = x.len();
            loop {
                while i > 0 && space(i - 1) {
                    i -= 1;
                }
                if i == 0 {
                    break;
                }
                if left == 0 {
                    parts.push(0..i);
                    break;
                }
                let end = i;
                while i > 0 && !space(i - 1) {
                    i -= 1;
                }
                parts.push(i..end);
                left -= 1;
            }
            parts.reverse();
        }
        return parts;
    }
    let y = chars(sep);
    if !last {
        let mut at = 0;
        while left > 0 {
            let Some(p) = x.find(y, at, x.len(), false) else { break };
            parts.push(at..p);
            at = p + y.len();
            left -= 1;
        }
        parts.push(at..x.len());
    } else {
        let mut end = x.len();
        while left > 0 {
            let Some(p) = x.find(y, 0, end, true) else { break };
            parts.push(p + y.len()..end);
            end = p;
            left -= 1;
        }
        parts.push(0..end);
        parts.reverse();
    }
    parts
}

/// The heap descriptor of a list of strings (one meminfo at offset 0 of each item).
static STR_LIST_HEAP: [i64; 2] = [1, 0];

/// A new list of strings holding the pieces `parts` of `text`.
unsafe fn list_of(text: Chars, parts: &[std::ops::Range<usize>], exc: *mut ExcInfo) -> *mut MemInfo {
    let list = crate::lists::ferrojit_rt_list_new(8, STR_LIST_HEAP.as_ptr(), parts.len() as i64);
    if list.is_null() {
        return out_of_memory(exc);
    }
    let items = crate::lists::header(list).items as *mut *mut MemInfo;
    for (i, p) in parts.iter().enumerate() {
        let s = substring(text, p.clone());
        if s.is_null() {
            crate::memory::release(list);
            return out_of_memory(exc);
        }
        *items.add(i) = s;
    }
    list
}

/// A new string of the characters `range` of `text` (of the narrowest kind: a piece of wide
/// text may be narrower).
unsafe fn substring(text: Chars, range: std::ops::Range<usize>) -> *mut MemInfo {
    match text {
        Chars::One(c) => from_raw(c[range.clone()].as_ptr(), range.len(), 1),
        _ => {
            let max = range.clone().map(|i| text.at(i)).max().unwrap_or(0);
            from_iter(range.len(), max, range.map(|i| text.at(i)))
        }
    }
}

/// `s.split(maxsplit=maxsplit)` (`rsplit` when `last`): split at runs of whitespace.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_str_split_whitespace(s: *mut MemInfo, maxsplit: i64, last: i64, exc: *mut ExcInfo) -> *mut MemInfo {
    list_of(chars(s), &split_parts(s, std::ptr::null_mut(), maxsplit, last != 0), exc)
}

/// `s.split(sep, maxsplit)` (`rsplit` when `last`): a new list; `sep` null splits at whitespace.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_str_split(s: *mut MemInfo, sep: *mut MemInfo, maxsplit: i64, last: i64, exc: *mut ExcInfo) -> *mut MemInfo {
    if !sep.is_null() && header(sep).length == 0 {
        raise(exc, EXC_VALUE_ERROR, "empty separator");
        return std::ptr::null_mut();
    }
    list_of(chars(s), &split_parts(s, sep, maxsplit, last != 0), exc)
}

/// `s.splitlines(keepends)`: CPython's line boundaries.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_str_splitlines(s: *mut MemInfo, keepends: i64, exc: *mut ExcInfo) -> *mut MemInfo {
    let x = chars(s);
    let is_break = |c: u32| matches!(c, 0x0a | 0x0b | 0x0c | 0x0d | 0x1c | 0x1d | 0x1e | 0x85 | 0x2028 | 0x2029);
    let mut parts = Vec::new();
    let mut i = 0;
    while i < x.len() {
        let start = i;
        while i < x.len() && !is_break(x.at(i)) {
            i += 1;
        }
        let mut eol = i;
        if i < x.len() {
            if x.at(i) == 0x0d && i + 1 < x.len() && x.at(i + 1) == 0x0a {
                i += 2;
            } else {
                i += 1;
            }
            if keepends != 0 {
                eol = i;
            }
        }
        parts.push(start..eol);
    }
    list_of(x, &parts, exc)
}

/// `sep.join(items)`, `items` a list of strings.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_str_join(sep: *mut MemInfo, items: *mut MemInfo, exc: *mut ExcInfo) -> *mut MemInfo {
    let list = crate::lists::header(items);
    let pieces: Vec<Chars> = (0..list.len as usize).map(|i| chars(*(list.items as *const *mut MemInfo).add(i))).collect();
    let sep = chars(sep);
    let mut out = Vec::new();
    for (i, p) in pieces.iter().enumerate() {
        if i > 0 {
            out.extend(sep.iter());
        }
        out.extend(p.iter());
    }
    new_from(&out, exc)
}

/// The case conversions: 0 `upper`, 1 `lower`, 2 `title`, 3 `capitalize`, 4 `swapcase`,
/// 5 `casefold`, as CPython's (full mappings: `'ß'.upper()` is `'SS'`).
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_str_case(s: *mut MemInfo, op: i64, exc: *mut ExcInfo) -> *mut MemInfo {
    let x = chars(s);
    let mut out = Vec::with_capacity(x.len());
    let mut previous_cased = false;
    for i in 0..x.len() {
        let c = x.at(i);
        match op {
            0 => map_case(c, Mapping::Upper, &mut out),
            1 => lower_at(x, i, &mut out),
            2 => {
                if previous_cased {
                    lower_at(x, i, &mut out)
                } else {
                    map_case(c, Mapping::Title, &mut out)
                }
                previous_cased = has(c, Property::Cased);
            }
            3 => {
                if i == 0 {
                    map_case(c, Mapping::Title, &mut out)
                } else {
                    lower_at(x, i, &mut out)
                }
            }
            4 => {
                if has(c, Property::Upper) {
                    lower_at(x, i, &mut out)
                } else if has(c, Property::Lower) {
                    map_case(c, Mapping::Upper, &mut out)
                } else {
                    out.push(c)
                }
            }
            _ => map_case(c, Mapping::Fold, &mut out),
        }
    }
    new_from(&out, exc)
}

/// The predicates, as CPython's: 0 `isdigit`, 1 `isalpha`, 2 `isalnum`, 3 `isspace`,
/// 4 `isupper`, 5 `islower`, 6 `isdecimal`, 7 `isnumeric`, 8 `istitle`, 9 `isascii`,
/// 10 `isprintable`, 11 `isidentifier` (ASCII rules beyond it: letters, digits, `_`).
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_str_predicate(s: *mut MemInfo, op: i64) -> i64 {
    let x = chars(s);
    let all = |p: &dyn Fn(u32) -> bool| !x.is_empty() && x.iter().all(p);
    let result = match op {
        0 => all(&|c| has(c, Property::Digit)),
        1 => all(&|c| has(c, Property::Alpha)),
        2 => all(&|c| has(c, Property::Alpha) || has(c, Property::Decimal) || has(c, Property::Digit) || has(c, Property::Numeric)),
        3 => all(&|c| has(c, Property::Space)),
        4 | 5 => {
            let (this, other) = if op == 4 { (Property::Upper, Property::Lower) } else { (Property::Lower, Property::Upper) };
            let mut cased = false;
            for c in x.iter() {
                if has(c, other) || has(c, Property::Title) {
                    return 0;
                }
                cased |= has(c, this);
            }
            cased
        }
        6 => all(&|c| has(c, Property::Decimal)),
        7 => all(&|c| has(c, Property::Numeric)),
        8 => {
            let (mut cased, mut previous_cased) = (false, false);
            for c in x.iter() {
                if has(c, Property::Upper) || has(c, Property::Title) {
                    if previous_cased {
                        return 0;
                    }
                    previous_cased = true;
                    cased = true;
                } else if has(c, Property::Lower) {
                    if !previous_cased {
                        return 0;
                    }
                    previous_cased = true;
                    cased = true;
                } else {
                    previous_cased = false;
                }
            }
            cased
        }
        9 => x.iter().all(|c| c < 128),
        10 => x.iter().all(|c| has(c, Property::Printable)),
        _ => {
            let ok = |c: u32, first: bool| c == '_' as u32 || (c < 128 && (c as u8).is_ascii_alphabetic()) || (!first && c < 128 && (c as u8).is_ascii_digit()) || (c >= 128 && has(c, Property::Alpha));
            !x.is_empty() && x.iter().enumerate().all(|(i, c)| ok(c, i == 0))
        }
    };
    result as i64
}

/// `center`, `ljust`, `rjust` (`align` 0, 1, 2) to `width` with the fill character `fill`;
/// `zfill` when `align` is 3.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_str_pad(s: *mut MemInfo, width: i64, fill: *mut MemInfo, align: i64, exc: *mut ExcInfo) -> *mut MemInfo {
    let x = chars(s);
    let len = x.len() as i64;
    if width <= len {
        return new_from(&x.to_vec(), exc);
    }
    if align != 3 && header(fill).length != 1 {
        raise(exc, EXC_TYPE_ERROR, "The fill character must be exactly one character long");
        return std::ptr::null_mut();
    }
    let marg = width - len;
    let (left, fill_char) = match align {
        // CPython's `pad` split for `center`: the extra space goes left when `marg` and `width`
        // are both odd.
        0 => (marg / 2 + (marg & width & 1), chars(fill).at(0)),
        1 => (0, chars(fill).at(0)),
        2 => (marg, chars(fill).at(0)),
        _ => (marg, '0' as u32),
    };
    let mut out: Vec<u32> = Vec::with_capacity(width as usize);
    out.extend(std::iter::repeat_n(fill_char, left as usize));
    out.extend(x.iter());
    out.extend(std::iter::repeat_n(fill_char, (marg - left) as usize));
    if align == 3 && x.len() > 0 && matches!(x.at(0), 0x2b | 0x2d) {
        // The sign moves in front of the zeros.
        out[0] = x.at(0);
        out[marg as usize] = '0' as u32;
    }
    new_from(&out, exc)
}

/// `str(v)` of an integer: `kind` 0 signed, 1 unsigned, 2 bool.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_str_from_int(v: i64, kind: i64, exc: *mut ExcInfo) -> *mut MemInfo {
    let mut digits = itoa::Buffer::new();
    let text = int_text(v, kind, &mut digits);
    checked(from_raw(text.as_ptr(), text.len(), 1), exc)
}

/// `str(v)` of an integer (`kind` as [`ferrojit_rt_str_from_int`]'s), written in `digits`
/// (ASCII).
pub(crate) fn int_text(v: i64, kind: i64, digits: &mut itoa::Buffer) -> &str {
    match kind {
        1 => digits.format(v as u64),
        2 => {
            if v != 0 {
                "True"
            } else {
                "False"
            }
        }
        _ => digits.format(v),
    }
}

/// `str(v)` (and `repr`) of a float: CPython's shortest round-trip text. `single` formats a
/// float32 with its own shortest digits, as NumPy's `str(np.float32(v))`.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_str_from_float(v: f64, single: i64, exc: *mut ExcInfo) -> *mut MemInfo {
    checked(from_str(&crate::print::float_text(v, single != 0)), exc)
}

/// `str(v)` (and `repr`) of a complex number `re + im*j`: CPython's text; with bit 0 of `flags`
/// NumPy's `str(np.complex64(v))`, and with bit 1 without its parentheses, as it stands inside
/// NumPy 2's `repr`, `np.complex64(1+2j)`.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_str_from_complex(re: f64, im: f64, flags: i64, exc: *mut ExcInfo) -> *mut MemInfo {
    let text = crate::print::complex_text(re, im, flags & 1 != 0);
    let bare = match text.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        Some(inner) if flags & 2 != 0 => inner,
        _ => &text,
    };
    checked(from_str(bare), exc)
}

/// `repr(s)`: CPython's quoting and escapes.
pub unsafe fn repr_text(s: *mut MemInfo) -> String {
    repr_of(chars(s))
}

/// `repr` of the text `x`: CPython's quoting and escapes.
pub fn repr_of(x: Chars) -> String {
    let mut out = String::with_capacity(x.len() + 2);
    repr_into(x, &mut out);
    out
}

/// [`repr_of`], appended to `out`.
pub fn repr_into(x: Chars, out: &mut String) {
    quoted_into(x, "", |c, out| match c {
        _ if c < 0x20 || c == 0x7f => out.push_str(&format!("\\x{c:02x}")),
        _ if c < 0x7f => out.push(c as u8 as char),
        _ if has(c, Property::Printable) => out.push(char::from_u32(c).unwrap_or('\u{fffd}')),
        _ if c <= 0xff => out.push_str(&format!("\\x{c:02x}")),
        _ if c <= 0xffff => out.push_str(&format!("\\u{c:04x}")),
        _ => out.push_str(&format!("\\U{c:08x}")),
    }, out)
}

/// CPython's quoting of `repr` for strings and bytes (after `prefix`): single quotes unless
/// the text holds one and no double quote; `\\`, `\t`, `\n`, `\r` and the quote escaped;
/// every other character written by `other`.
fn quoted(x: Chars, prefix: &str, other: impl Fn(u32, &mut String)) -> String {
    let mut out = String::with_capacity(x.len() + 3);
    quoted_into(x, prefix, other, &mut out);
    out
}

/// [`quoted`], appended to `out`.
fn quoted_into(x: Chars, prefix: &str, other: impl Fn(u32, &mut String), out: &mut String) {
    let has_single = x.iter().any(|c| c == '\'' as u32);
    let has_double = x.iter().any(|c| c == '"' as u32);
    let quote = if has_single && !has_double { '"' } else { '\'' };
    out.push_str(prefix);
    out.push(quote);
    if let Chars::One(bytes) = x {
        // Printable ASCII without a backslash or the quote, the common case, is its own text.
        if bytes.iter().all(|&b| (0x20..0x7f).contains(&b) && b != b'\\' && b != quote as u8) {
            out.push_str(std::str::from_utf8(bytes).unwrap_or_default());
            out.push(quote);
            return;
        }
    }
    for c in x.iter() {
        match c {
            0x5c => out.push_str("\\\\"),
            0x09 => out.push_str("\\t"),
            0x0a => out.push_str("\\n"),
            0x0d => out.push_str("\\r"),
            _ if c == quote as u32 => {
                out.push('\\');
                out.push(quote);
            }
            _ => other(c, out),
        }
    }
    out.push(quote);
}

#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_str_repr(s: *mut MemInfo, exc: *mut ExcInfo) -> *mut MemInfo {
    checked(from_str(&repr_text(s)), exc)
}

/// `s` with its characters beyond ASCII escaped (`\xhh`, `\uhhhh`, `\Uhhhhhhhh`, CPython's
/// `backslashreplace`): `ascii(x)` of `repr(x)`. An ASCII string is returned as it is.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_str_escape_non_ascii(s: *mut MemInfo, exc: *mut ExcInfo) -> *mut MemInfo {
    let text = chars(s);
    if text.iter().all(|c| c < 0x80) {
        crate::memory::ferrojit_rt_incref(s);
        return s;
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.iter() {
        match c {
            _ if c < 0x80 => out.push(c as u8 as char),
            _ if c <= 0xff => out.push_str(&format!("\\x{c:02x}")),
            _ if c <= 0xffff => out.push_str(&format!("\\u{c:04x}")),
            _ => out.push_str(&format!("\\U{c:08x}")),
        }
    }
    checked(from_str(&out), exc)
}

/// `int(s, base)`: CPython's syntax (sign, surrounding whitespace, `_` between digits, a
/// `0x`/`0o`/`0b` prefix with base 0 or its own base) and its `ValueError`; `OverflowError`
/// beyond int64.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_str_to_int(s: *mut MemInfo, base: i64, exc: *mut ExcInfo) -> i64 {
    if base != 0 && !(2..=36).contains(&base) {
        raise(exc, EXC_VALUE_ERROR, "int() base must be >= 2 and <= 36, or 0");
        return 0;
    }
    match parse_int(chars(s), base as u32) {
        Ok(v) => v,
        Err(overflow) => {
            if overflow {
                raise(exc, crate::EXC_OVERFLOW_ERROR, "int too large to convert to a 64-bit integer");
            } else {
                raise_formatted(exc, EXC_VALUE_ERROR, format!("invalid literal for int() with base {base}: {}", repr_text(s)));
            }
            0
        }
    }
}

/// A code point as an ASCII digit value (Unicode decimal digits count as CPython's `int()` takes
/// them), or None.
fn digit_value(c: u32) -> Option<u32> {
    match char::from_u32(c)? {
        d @ '0'..='9' => Some(d as u32 - '0' as u32),
        d @ 'a'..='z' => Some(d as u32 - 'a' as u32 + 10),
        d @ 'A'..='Z' => Some(d as u32 - 'A' as u32 + 10),
        d if has(c, Property::Decimal) => d.to_digit(10).or_else(|| unicode_decimal(c)),
        _ => None,
    }
}

/// The value of a non-ASCII Unicode decimal digit: digits come in runs of ten starting at a
/// code point whose low nibble run is contiguous, so the value is the distance from the run's
/// zero, found by stepping back while the character before is still a decimal digit.
fn unicode_decimal(c: u32) -> Option<u32> {
    let mut zero = c;
    while zero > 0 && c - zero < 9 && has(zero - 1, Property::Decimal) {
        zero -= 1;
    }
    Some((c - zero) % 10)
}

/// `Err(true)` on overflow, `Err(false)` on bad syntax.
fn parse_int(x: Chars, base: u32) -> Result<i64, bool> {
    let code: Vec<u32> = x.iter().collect();
    let mut start = 0;
    let mut end = code.len();
    while start < end && has(code[start], Property::Space) {
        start += 1;
    }
    while end > start && has(code[end - 1], Property::Space) {
        end -= 1;
    }
    let text = &code[start..end];
    let mut i = 0;
    let negative = match text.first() {
        Some(&0x2d) => {
            i = 1;
            true
        }
        Some(&0x2b) => {
            i = 1;
            false
        }
        _ => false,
    };
    let mut base = base;
    let lower = |c: u32| char::from_u32(c).map(|c| c.to_ascii_lowercase());
    let prefix = |c: Option<&u32>| c.and_then(|&c| lower(c));
    if text.get(i) == Some(&0x30) {
        let p = prefix(text.get(i + 1));
        let radix = match p {
            Some('x') => 16,
            Some('o') => 8,
            Some('b') => 2,
            _ => 0,
        };
        if radix != 0 && (base == 0 || base == radix) {
            base = radix;
            i += 2;
            // `0x_1f`: an underscore may follow the prefix.
            if text.get(i) == Some(&0x5f) {
                i += 1;
            }
        } else if base == 0 {
            // Base 0 allows no leading zeros in a nonzero number.
            let rest = &text[i..];
            if rest.iter().any(|&c| c != 0x30 && c != 0x5f) || rest.last() == Some(&0x5f) || rest.windows(2).any(|w| w == [0x5f, 0x5f]) {
                return Err(false);
            }
            return Ok(0);
        }
    }
    if base == 0 {
        base = 10;
    }
    let digits = &text[i..];
    if digits.is_empty() || digits[0] == 0x5f || *digits.last().expect("non-empty") == 0x5f {
        return Err(false);
    }
    let mut value: i128 = 0;
    let mut previous_underscore = false;
    for &c in digits {
        if c == 0x5f {
            if previous_underscore {
                return Err(false);
            }
            previous_underscore = true;
            continue;
        }
        previous_underscore = false;
        let d = digit_value(c).filter(|d| *d < base).ok_or(false)?;
        value = value * base as i128 + d as i128;
        if value > i64::MAX as i128 + 1 {
            return Err(true);
        }
    }
    let value = if negative { -value } else { value };
    i64::try_from(value).map_err(|_| true)
}

/// `float(s)`: CPython's syntax (whitespace around, `_` between digits, `inf`, `nan`,
/// `infinity` in any case) and its `ValueError`.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_str_to_float(s: *mut MemInfo, exc: *mut ExcInfo) -> f64 {
    let x = chars(s);
    let text: String = x.iter().map(|c| if has(c, Property::Space) { ' ' } else { char::from_u32(c).unwrap_or('\u{fffd}') }).collect();
    let trimmed = text.trim_matches(' ');
    match parse_float(trimmed) {
        Some(v) => v,
        None => {
            raise_formatted(exc, EXC_VALUE_ERROR, format!("could not convert string to float: {}", repr_text(s)));
            0.0
        }
    }
}

fn parse_float(t: &str) -> Option<f64> {
    let (sign, body) = match t.as_bytes().first() {
        Some(b'-') => (-1.0, &t[1..]),
        Some(b'+') => (1.0, &t[1..]),
        _ => (1.0, t),
    };
    match body.to_ascii_lowercase().as_str() {
        "inf" | "infinity" => return Some(sign * f64::INFINITY),
        "nan" => return Some(f64::NAN.copysign(sign)),
        _ => {}
    }
    // Digits, one optional point, an optional exponent; underscores only between digits.
    let bytes = body.as_bytes();
    let ok_underscore = |i: usize| i > 0 && i + 1 < bytes.len() && bytes[i - 1].is_ascii_digit() && bytes[i + 1].is_ascii_digit();
    let mut clean = String::with_capacity(body.len());
    let mut seen_digit = false;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'0'..=b'9' => {
                seen_digit = true;
                clean.push(b as char)
            }
            b'_' if ok_underscore(i) => {}
            b'.' | b'e' | b'E' | b'+' | b'-' => clean.push(b as char),
            _ => return None,
        }
    }
    if !seen_digit || clean.starts_with(['+', '-']) {
        return None;
    }
    // Rust accepts exactly Python's decimal forms here (it rejects `inf` text, handled above).
    clean.parse::<f64>().ok().map(|v| sign * v)
}

/// Prints a string (for `print`).
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_print_unicode(s: *mut MemInfo) {
    let text = chars(s).to_string();
    crate::print::ferrojit_rt_print_str(text.as_ptr(), text.len());
}

/// `repr(b)` of bytes (stored one byte per character): CPython's quoting and escapes.
pub unsafe fn bytes_repr_text(s: *mut MemInfo) -> String {
    quoted(chars(s), "b", |c, out| match c {
        0x20..=0x7e => out.push(c as u8 as char),
        _ => out.push_str(&format!("\\x{c:02x}")),
    })
}

/// Prints bytes by their `repr`.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_print_bytes(s: *mut MemInfo) {
    let text = bytes_repr_text(s);
    crate::print::ferrojit_rt_print_str(text.as_ptr(), text.len());
}

/// Prints a string's `repr` (an item of a printed container).
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_print_unicode_repr(s: *mut MemInfo) {
    let text = repr_text(s);
    crate::print::ferrojit_rt_print_str(text.as_ptr(), text.len());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::{live_allocations, release};

    fn text(s: *mut MemInfo) -> String {
        unsafe { chars(s).to_string() }
    }

    #[test]
    fn kinds_are_the_narrowest() {
        let _serial = crate::memory::allocation_test_lock();
        for (t, kind) in [("abc", 1), ("é", 1), ("αβ", 2), ("a😀", 4), ("", 1)] {
            let s = from_str(t);
            unsafe {
                assert_eq!(header(s).kind, kind, "{t}");
                assert_eq!(text(s), t);
                release(s);
            }
        }
    }

    #[test]
    fn operations_free_what_they_make() {
        let _serial = crate::memory::allocation_test_lock();
        let before = live_allocations();
        unsafe {
            let mut exc = ExcInfo::default();
            let a = from_str("hello, ");
            let b = from_str("wörld");
            let c = ferrojit_rt_str_concat(a, b, &mut exc);
            assert_eq!(text(c), "hello, wörld");
            let parts = ferrojit_rt_str_split(c, std::ptr::null_mut(), -1, 0, &mut exc);
            let joined = ferrojit_rt_str_join(a, parts, &mut exc);
            assert_eq!(text(joined), "hello,hello, wörld");
            assert_eq!(ferrojit_rt_str_find(c, b, i64::MIN, i64::MIN, 0), 7);
            assert_eq!(ferrojit_rt_str_compare(a, b), -1);
            let upper = ferrojit_rt_str_case(b, 0, &mut exc);
            assert_eq!(text(upper), "WÖRLD");
            for s in [a, b, c, parts, joined, upper] {
                release(s);
            }
        }
        assert_eq!(live_allocations(), before);
    }

    #[test]
    fn int_and_float_syntax_follow_cpython() {
        let _serial = crate::memory::allocation_test_lock();
        let int = |t: &str, base: u32| parse_int(unsafe { chars(from_str(t)) }, base);
        assert_eq!(int(" -1_000 ", 10), Ok(-1000));
        assert_eq!(int("0x1f", 0), Ok(31));
        assert_eq!(int("0x1f", 16), Ok(31));
        assert_eq!(int("1f", 16), Ok(31));
        assert_eq!(int("010", 0), Err(false));
        assert_eq!(int("000", 0), Ok(0));
        assert_eq!(int("1__0", 10), Err(false));
        assert_eq!(int("", 10), Err(false));
        assert_eq!(int("9223372036854775808", 10), Err(true));
        assert_eq!(int("-9223372036854775808", 10), Ok(i64::MIN));
        assert_eq!(parse_float("1_000.5"), Some(1000.5));
        assert_eq!(parse_float("-Infinity"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_float("1e5"), Some(1e5));
        assert_eq!(parse_float(".5"), Some(0.5));
        assert_eq!(parse_float("5."), Some(5.0));
        assert_eq!(parse_float("1_e5"), None);
        assert_eq!(parse_float("abc"), None);
        assert_eq!(parse_float("--1"), None);
    }

    #[test]
    fn constant_images_read_as_strings() {
        let _serial = crate::memory::allocation_test_lock();
        let image = constant_image("héllo");
        let mut aligned = vec![0u128; image.len().div_ceil(16)];
        unsafe {
            std::ptr::copy_nonoverlapping(image.as_ptr(), aligned.as_mut_ptr() as *mut u8, image.len());
            let s = aligned.as_mut_ptr() as *mut MemInfo;
            assert_eq!(text(s), "héllo");
            assert_eq!(header(s).kind, 1);
            crate::memory::ferrojit_rt_incref(s);
            crate::memory::ferrojit_rt_decref(s);
        }
    }
}
