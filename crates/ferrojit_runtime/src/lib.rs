//! `extern "C"` support functions called from generated code.
//!
//! The JIT cannot see symbols inside the extension module, so [`symbols`] lists every function
//! generated code may call, with its address, and the code generator registers them with the
//! JIT by name. A function that can raise takes a trailing `*mut ExcInfo` and fills it in.
//!
//! Layout: `lib.rs` (exceptions, arithmetic helpers, the symbol table); `memory.rs`
//! (reference-counted array memory); `lists.rs` (lists: growable vectors of items); `dicts.rs` (insertion-ordered hash tables); `print.rs` (`print()` with Python's formatting, written
//! through a hook so that it reaches `sys.stdout`); `random.rs` (the Mersenne Twister streams of
//! `np.random` and Python's `random`, per thread); `pcg64.rs` (the PCG64 bit generator of
//! `np.random.default_rng` Generators, on states that compiled code owns).

pub mod dicts;
pub mod exceptions;
pub mod format;
pub mod hashing;
pub mod instances;
pub mod linalg;
pub mod lists;
pub mod memory;
pub mod objmode;
pub mod parallel;
pub mod pcg64;
mod print;
pub mod random;
pub mod sets;
pub mod strings;
pub mod sums;
mod ziggurat_tables;

pub use print::{format_float_repr, set_print_hook, PrintHook};

/// The exception a compiled function raised: written by generated code and by runtime
/// functions, read by the dispatcher when a call returns a non-zero status.
///
/// `kind` is an `ExcKind` code (0: no exception). `msg` points to `len` bytes of UTF-8 that
/// live at least as long as the compiled code (string constants in the JIT'd module, or
/// `'static` strings here).
#[repr(C)]
#[derive(Debug)]
pub struct ExcInfo {
    pub kind: u32,
    pub msg: *const u8,
    pub len: usize,
}

impl Default for ExcInfo {
    fn default() -> Self {
        ExcInfo { kind: 0, msg: std::ptr::null(), len: 0 }
    }
}

impl ExcInfo {
    /// The message, or "" when there is none.
    ///
    /// # Safety
    /// `msg`/`len` must be as documented on the type.
    pub unsafe fn message(&self) -> &str {
        if self.msg.is_null() {
            return "";
        }
        let bytes = std::slice::from_raw_parts(self.msg, self.len);
        std::str::from_utf8(bytes).unwrap_or("<invalid message>")
    }
}

/// Status a compiled function returns: 0 on success, this when it raised.
pub const STATUS_EXCEPTION: i32 = 1;
/// Status a generator's `next` returns when the generator has no more values (0: it yielded
/// one).
pub const STATUS_FINISHED: i32 = 2;

// Codes of the exception kinds used here; they must equal `ferrojit_ir::ExcKind`'s (checked by
// the codegen crate's tests, which see both crates).
pub const EXC_VALUE_ERROR: u32 = 2;
pub const EXC_ZERO_DIVISION_ERROR: u32 = 4;
pub const EXC_RUNTIME_ERROR: u32 = 8;
pub const EXC_OVERFLOW_ERROR: u32 = 9;
pub const EXC_INDEX_ERROR: u32 = 5;
pub const EXC_KEY_ERROR: u32 = 6;
pub const EXC_NOT_IMPLEMENTED_ERROR: u32 = 11;
pub const EXC_AXIS_ERROR: u32 = 15;
pub const EXC_ATTRIBUTE_ERROR: u32 = 20;

pub(crate) unsafe fn raise(exc: *mut ExcInfo, kind: u32, msg: &'static str) {
    (*exc).kind = kind;
    (*exc).msg = msg.as_ptr();
    (*exc).len = msg.len();
}

/// `a ** b` for int64: wraps on overflow as all int64 arithmetic does. A negative exponent has
/// a float result in Python, which an `int64` cannot hold: it raises `ValueError`.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_pow_i64(a: i64, b: i64, exc: *mut ExcInfo) -> i64 {
    if b < 0 {
        raise(exc, EXC_VALUE_ERROR, "integer to a negative power gives a float; write `float(a) ** b`");
        return 0;
    }
    pow_wrapping(a as u64, b as u64) as i64
}

#[no_mangle]
pub extern "C" fn ferrojit_rt_pow_u64(a: u64, b: u64) -> u64 {
    pow_wrapping(a, b)
}

fn pow_wrapping(mut base: u64, mut exp: u64) -> u64 {
    let mut result: u64 = 1;
    while exp != 0 {
        if exp & 1 == 1 {
            result = result.wrapping_mul(base);
        }
        base = base.wrapping_mul(base);
        exp >>= 1;
    }
    result
}

/// Called when C's `pow(x, y)` gave `result`, infinite or NaN: raises where CPython's
/// `float.__pow__` raises and returns the status (1 when it raised). With finite operands an
/// infinite result is 0.0 to a negative power (`ZeroDivisionError`) or an overflow
/// (`OverflowError`), and NaN is a negative base with a non-integral exponent, whose result
/// CPython gives as a complex number: compiled code, typed `float`, raises `ValueError` (or
/// CPython's `OverflowError` when the complex result's magnitude overflows).
/// Infinite or NaN operands give C's result, which is CPython's (`0.0 ** -inf` is `inf`).
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_float_pow_error(x: f64, y: f64, result: f64, exc: *mut ExcInfo) -> i32 {
    if !x.is_finite() || !y.is_finite() {
        return 0;
    }
    if x == 0.0 {
        raise(exc, EXC_ZERO_DIVISION_ERROR, "0.0 cannot be raised to a negative power");
    } else if result.is_nan() && x.abs().powf(y).is_infinite() {
        // CPython computes the complex power, whose magnitude overflows.
        raise(exc, EXC_OVERFLOW_ERROR, "complex exponentiation");
    } else if result.is_nan() {
        raise(exc, EXC_VALUE_ERROR, "a negative number to a non-integral power is complex; write `complex(x) ** y` for the complex result");
    } else {
        raise(exc, EXC_OVERFLOW_ERROR, "(34, 'Numerical result out of range')");
    }
    STATUS_EXCEPTION
}

/// Python's three-argument `pow(base, exp, mod)`, including modular inverses for `exp < 0`.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_powmod_i64(base: i64, exp: i64, modulus: i64, exc: *mut ExcInfo) -> i64 {
    if modulus == 0 {
        raise(exc, EXC_VALUE_ERROR, "pow() 3rd argument cannot be 0");
        return 0;
    }
    let m = (modulus as i128).abs();
    let mut b = (base as i128).rem_euclid(m);
    if exp < 0 {
        match mod_inverse(b, m) {
            Some(inv) => b = inv,
            None => {
                raise(exc, EXC_VALUE_ERROR, "base is not invertible for the given modulus");
                return 0;
            }
        }
    }
    let mut e = (exp as i128).abs();
    let mut r: i128 = 1 % m;
    while e > 0 {
        if e & 1 == 1 {
            r = r * b % m;
        }
        b = b * b % m;
        e >>= 1;
    }
    // Python's result has the sign of the modulus.
    if modulus < 0 && r != 0 {
        r -= m;
    }
    r as i64
}

fn mod_inverse(a: i128, m: i128) -> Option<i128> {
    let (mut old_r, mut r) = (a, m);
    let (mut old_s, mut s) = (1i128, 0i128);
    while r != 0 {
        let q = old_r / r;
        (old_r, r) = (r, old_r - q * r);
        (old_s, s) = (s, old_s - q * s);
    }
    (old_r == 1).then(|| old_s.rem_euclid(m))
}

/// `round(x, ndigits)` as CPython computes it: correctly rounded, ties to even, for
/// `ndigits >= 0`; CPython's scaled rounding for negative `ndigits`.
#[no_mangle]
pub extern "C" fn ferrojit_rt_round_ndigits(x: f64, ndigits: i64) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    if ndigits >= 0 {
        // Beyond 17 significant digits past the point every double is already exact.
        if ndigits > 340 {
            return x;
        }
        let text = format!("{:.*}", ndigits as usize, x);
        let r: f64 = text.parse().unwrap_or(x);
        // Keep the sign of zero results, as CPython does (`round(-0.001, 2)` is `-0.0`).
        return if r == 0.0 { 0.0f64.copysign(x) } else { r };
    }
    if ndigits < -308 {
        return 0.0f64.copysign(x);
    }
    let pow = 10f64.powi((-ndigits) as i32);
    let y = x / pow;
    let mut z = y.round();
    if (y - z).abs() == 0.5 {
        z = 2.0 * (y / 2.0).round();
    }
    let r = z * pow;
    if r == 0.0 {
        0.0f64.copysign(x)
    } else {
        r
    }
}

thread_local! {
    /// The text of the last formatted exception message on this thread; the dispatcher reads
    /// it right after the call that raised.
    static MESSAGE: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// The first exception code of the exception classes defined in Python code (subclasses of
/// the built-in ones, at module level): the codes below are `ExcKind`s.
pub const USER_EXCEPTION_BASE: u32 = 1024;

/// For each user exception class, by code from [`USER_EXCEPTION_BASE`]: the codes of the
/// classes it derives from that compiled code knows (itself, user classes and `ExcKind`s).
static USER_EXCEPTIONS: std::sync::RwLock<Vec<Vec<u32>>> = std::sync::RwLock::new(Vec::new());

/// Gives a user exception class deriving from the classes of codes `bases` (all of them,
/// not only the direct ones) its code.
pub fn register_user_exception(mut bases: Vec<u32>) -> u32 {
    let mut classes = USER_EXCEPTIONS.write().unwrap_or_else(|p| p.into_inner());
    let code = USER_EXCEPTION_BASE + classes.len() as u32;
    bases.push(code);
    classes.push(bases);
    code
}

/// Whether an exception of code `kind`, a user exception class's, is an instance of the
/// class of code `class` (1 or 0); 0 for the `ExcKind`s, which compiled code checks itself.
#[no_mangle]
pub extern "C" fn ferrojit_rt_exc_derives(kind: i32, class: i32) -> i32 {
    let Some(index) = (kind as u32).checked_sub(USER_EXCEPTION_BASE) else { return 0 };
    let classes = USER_EXCEPTIONS.read().unwrap_or_else(|p| p.into_inner());
    classes.get(index as usize).is_some_and(|bases| bases.contains(&(class as u32))) as i32
}

/// Keeps the message of the exception in `exc` from the next formatted raise, for a handler
/// or `finally` block that may raise the exception again after other code ran: a message in
/// this thread's [`MESSAGE`] (which that raise replaces) is copied into a new allocation that
/// `exc` then points into, returned with one reference for the caller to keep and drop; null
/// when the message needs no copy (none, or a constant of the compiled code or the runtime).
///
/// # Safety
/// `exc` points to an `ExcInfo` filled by a raise.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_exc_keep_message(exc: *mut ExcInfo) -> *mut memory::MemInfo {
    let (msg, len) = ((*exc).msg, (*exc).len);
    if msg.is_null() || !MESSAGE.with(|m| m.borrow().as_ptr() == msg) {
        return std::ptr::null_mut();
    }
    let kept = memory::ferrojit_rt_alloc(len);
    if kept.is_null() {
        return kept;
    }
    let data = (kept as *mut u8).add(memory::DATA_OFFSET);
    std::ptr::copy_nonoverlapping(msg, data, len);
    (*exc).msg = data;
    kept
}

/// Reports an exception compiled code cannot raise (the class's code, the message and the name
/// of the generator closing): the binding points it at Python's `PyErr_WriteUnraisable`.
pub type UnraisableHook = fn(code: u32, message: &str, generator: &str);

static UNRAISABLE_HOOK: std::sync::OnceLock<UnraisableHook> = std::sync::OnceLock::new();

/// Routes exceptions that cannot be raised (see [`UnraisableHook`]); the first call wins.
pub fn set_unraisable_hook(hook: UnraisableHook) {
    let _ = UNRAISABLE_HOOK.set(hook);
}

/// The code of `GeneratorExit` (`ferrojit_ir::ExcKind::GeneratorExit`).
pub const EXC_GENERATOR_EXIT: u32 = 21;
/// The codes of `UnicodeEncodeError` and `UnicodeDecodeError` (`ferrojit_ir::ExcKind`), which a
/// codec's errors raise (see [`CODEC_ERROR_MARK`]).
pub const EXC_UNICODE_ENCODE_ERROR: u32 = 23;
pub const EXC_UNICODE_DECODE_ERROR: u32 = 24;

/// Before a generator's `drop` closes it: sets this thread's [`MESSAGE`] aside (the message
/// of an exception the code dropping the generator may be raising, which the closing
/// generator's own raises would replace), returned for [`ferrojit_rt_generator_closed`] to
/// put back.
#[no_mangle]
pub extern "C" fn ferrojit_rt_generator_close_begin() -> *mut String {
    Box::into_raw(Box::new(MESSAGE.with(|m| std::mem::take(&mut *m.borrow_mut()))))
}

/// After a generator's `drop` closed it (`S.next` raised `GeneratorExit` at the `yield` it
/// was suspended at; see `ferrojit_codegen`'s generator lowering) with `status`: as CPython's
/// finalizer, reports an exception other than `GeneratorExit` that left the generator, and
/// CPython's `RuntimeError("generator ignored GeneratorExit")` when it yielded again, as
/// unraisable (through the hook, else on stderr). Then puts back the message `saved` (from
/// [`ferrojit_rt_generator_close_begin`]).
///
/// # Safety
/// `exc` points to the exception info `S.next` filled; `name` to `len` bytes of UTF-8;
/// `saved` is what `ferrojit_rt_generator_close_begin` returned, given back once.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_generator_closed(status: i32, exc: *const ExcInfo, name: *const u8, len: i64, saved: *mut String) {
    let report = match status {
        0 => Some((EXC_RUNTIME_ERROR, "generator ignored GeneratorExit".to_string())),
        STATUS_EXCEPTION if (*exc).kind != EXC_GENERATOR_EXIT => Some(((*exc).kind, (*exc).message().to_string())),
        _ => None,
    };
    if let Some((code, message)) = report {
        let name = std::str::from_utf8(std::slice::from_raw_parts(name, len as usize)).unwrap_or("generator");
        match UNRAISABLE_HOOK.get() {
            Some(hook) => hook(code, &message, name),
            None => eprintln!("Exception ignored in: <compiled generator object {name}>\n(exception code {code}): {message}"),
        }
    }
    let saved = Box::from_raw(saved);
    MESSAGE.with(|m| *m.borrow_mut() = *saved);
}

/// Added to a suspended generator's resume point (the `i64` after its state's header, see
/// `ferrojit_codegen`'s generator lowering) to throw into it: `S.next` then raises the
/// exception [`throw_into_generator`] stashed at the `yield` it is suspended at (before its
/// first line when it has not started) instead of resuming after it.
pub const GENERATOR_THROWING: i64 = 2 << 32;

thread_local! {
    /// The exception `g.throw(...)` raises inside a generator (see [`throw_into_generator`]).
    static THROWN: std::cell::RefCell<Option<(u32, String)>> = const { std::cell::RefCell::new(None) };
}

/// `g.throw(...)`: makes the next resumption of the generator `meminfo` raise the exception of
/// class `code` with `message` (marks included) where it is suspended, as CPython's `throw`
/// does. False, doing nothing, for a generator that is not suspended (finished).
///
/// # Safety
/// `meminfo` is a live generator state.
pub unsafe fn throw_into_generator(meminfo: *mut memory::MemInfo, code: u32, message: String) -> bool {
    let resume = memory::data(meminfo).add(memory::GENERATOR_HEADER) as *mut i64;
    if *resume < 0 || *resume >= GENERATOR_THROWING {
        return false;
    }
    *resume += GENERATOR_THROWING;
    THROWN.with(|t| *t.borrow_mut() = Some((code, message)));
    true
}

/// What a generator's `S.next` calls when it resumes to throw (see [`GENERATOR_THROWING`]):
/// raises the exception [`throw_into_generator`] stashed.
///
/// # Safety
/// `exc` points to the exception info.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_generator_thrown(exc: *mut ExcInfo) {
    match THROWN.with(|t| t.borrow_mut().take()) {
        Some((code, message)) => raise_formatted(exc, code, message),
        None => raise(exc, EXC_RUNTIME_ERROR, "internal error: a generator resumed to throw without an exception"),
    }
}

/// PEP 479: the `RuntimeError` that the `StopIteration` in `exc`, escaping a generator's body,
/// becomes, with it as its cause, as CPython's.
///
/// # Safety
/// `exc` points to an exception info filled by a raise.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_generator_raised_stop_iteration(exc: *mut ExcInfo) {
    let (code, message) = ((*exc).kind, (*exc).message().to_string());
    raise_formatted(exc, EXC_RUNTIME_ERROR, exceptions::with_cause(code, &message, "generator raised StopIteration"));
}

/// Status a generator's `next` returns when it refuses an exception thrown into it where it
/// delegates to another iterator (a `yield from`, which compiled code runs as a loop: the
/// exception would not reach the inner generator as CPython's `throw` sends it there). It
/// stays suspended where it was.
pub const STATUS_THROW_REFUSED: i32 = 3;

/// Whether a generator suspended in a `yield from` refuses the exception thrown into it (see
/// [`STATUS_THROW_REFUSED`]): all but `GeneratorExit` (`close()`, which closes the inner
/// generator first as CPython's does), then forgotten.
#[no_mangle]
pub extern "C" fn ferrojit_rt_generator_refuses_throw() -> i32 {
    THROWN.with(|t| {
        let mut thrown = t.borrow_mut();
        let refused = thrown.as_ref().is_some_and(|(code, _)| *code != EXC_GENERATOR_EXIT);
        if refused {
            *thrown = None;
        }
        refused as i32
    })
}

/// Puts the exception `saved` (saved with [`ferrojit_rt_exc_keep_message`], whose result is
/// `kept`) back into `exc`, to be raised again: a kept message goes back into [`MESSAGE`], so
/// that it outlives `kept`, which the compiled code drops when it exits.
///
/// # Safety
/// `exc` and `saved` point to `ExcInfo`s; `kept` is null or holds `saved`'s message.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_exc_restore(exc: *mut ExcInfo, saved: *const ExcInfo, kept: *const memory::MemInfo) {
    if kept.is_null() {
        (*exc).kind = (*saved).kind;
        (*exc).msg = (*saved).msg;
        (*exc).len = (*saved).len;
    } else {
        let text = (*saved).message().to_string();
        raise_formatted(exc, (*saved).kind, text);
    }
}

/// Raises NumPy's `IndexError` for an index outside its axis (bounds checking).
///
/// # Safety
/// `exc` points to an `ExcInfo`.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_index_error(exc: *mut ExcInfo, index: i64, axis: i64, size: i64) {
    raise_formatted(exc, EXC_INDEX_ERROR, format!("index {index} is out of bounds for axis {axis} with size {size}"));
}

/// [`ferrojit_rt_index_error`] as a runtime call of compiled code (`ferrojit._lib.index_error`,
/// used by indexing with arrays): arguments first, the exception last, a value returned.
///
/// # Safety
/// `exc` points to an `ExcInfo`.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_raise_index_error(index: i64, axis: i64, size: i64, exc: *mut ExcInfo) -> i64 {
    ferrojit_rt_index_error(exc, index, axis, size);
    0
}

/// Raises NumPy's `IndexError` for `a.flat[index]` outside the `size` elements of the array.
/// Returns 0.
///
/// # Safety
/// `exc` points to an `ExcInfo`.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_raise_flat_index_error(index: i64, size: i64, exc: *mut ExcInfo) -> i64 {
    raise_formatted(exc, EXC_INDEX_ERROR, format!("index {index} is out of bounds for size {size}"));
    0
}

/// Raises CPython's `ValueError` of `list.index(x)` for an integer `x` not in the list: `kind`
/// 0 for a signed integer, 1 for an unsigned one (`x` holds its bits), 2 for a bool. Returns 0.
///
/// # Safety
/// `exc` points to an `ExcInfo`.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_raise_int_not_in_list(x: i64, kind: i64, exc: *mut ExcInfo) -> i64 {
    let text = match kind {
        1 => (x as u64).to_string(),
        2 => (if x != 0 { "True" } else { "False" }).to_string(),
        _ => x.to_string(),
    };
    raise_formatted(exc, EXC_VALUE_ERROR, format!("{text} is not in list"));
    0
}

/// The first byte of the message of a `KeyError` whose argument is a number: the rest is its
/// `repr`, which the dispatcher turns back into the number (CPython's `KeyError(5)`).
pub const KEY_ERROR_NUMBER_MARK: char = '\0';

/// Starts the message of a `ValueError` that stands for a codec's error (`s.encode()`,
/// `b.decode()` with `errors='strict'`): the rest is `encode` or `decode`, the encoding's
/// name and the operand's code points in hex, separated by `\0`. The dispatcher runs Python's
/// own codec on that operand, which raises CPython's `UnicodeEncodeError` (`UnicodeDecodeError`)
/// with its message and positions.
pub const CODEC_ERROR_MARK: char = '\u{2}';

/// After [`TEXT_ARGUMENT_MARK`], starts the message of an exception raised with several
/// arguments (`raise ValueError("bad", n)`): their count in decimal digits, this mark again,
/// then the `repr` of the tuple of them, which the dispatcher turns back into the arguments.
pub const ARGUMENTS_MARK: char = '\u{3}';

/// Starts the message of an exception raised with a cause (`raise X from cause`), before the
/// exception's own message: the cause's class code in decimal digits (0: `from None`), this
/// mark, the count of characters of the cause's message in decimal digits, this mark, then
/// the cause's message (marks included, its own cause too). The exception carries its cause
/// so: `e.__cause__` in compiled code and the dispatcher's `__cause__` read it (see
/// `exceptions::split_cause`).
pub const CAUSE_MARK: char = '\u{4}';

/// Starts the message of an exception raised with a string made at run time
/// (`raise KeyError(key)`, `raise ValueError(f"...")`): the rest, even empty, is the
/// exception's one argument (`KeyError('')`, where an empty message means no argument).
pub const TEXT_ARGUMENT_MARK: char = '\u{1}';

/// Raises CPython's `KeyError(x)` for a missing integer key (`kind` as for
/// [`ferrojit_rt_raise_int_not_in_list`]). Returns 0.
///
/// # Safety
/// `exc` points to an `ExcInfo`.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_raise_int_key_error(x: i64, kind: i64, exc: *mut ExcInfo) -> i64 {
    match kind {
        1 => raise_written(exc, EXC_KEY_ERROR, format_args!("{KEY_ERROR_NUMBER_MARK}{}", x as u64)),
        2 => raise_written(exc, EXC_KEY_ERROR, format_args!("{KEY_ERROR_NUMBER_MARK}{}", if x != 0 { "True" } else { "False" })),
        _ => raise_written(exc, EXC_KEY_ERROR, format_args!("{KEY_ERROR_NUMBER_MARK}{x}")),
    }
    0
}

/// As [`ferrojit_rt_raise_int_key_error`] for a float key.
///
/// # Safety
/// `exc` points to an `ExcInfo`.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_raise_float_key_error(x: f64, exc: *mut ExcInfo) -> i64 {
    raise_formatted(exc, EXC_KEY_ERROR, format!("{KEY_ERROR_NUMBER_MARK}{}", format_float_repr(x, true)));
    0
}

/// Raises CPython's `ValueError` for a sequence of `size` items assigned to an extended slice
/// of `slice_size` items. Returns 0.
///
/// # Safety
/// `exc` points to an `ExcInfo`.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_raise_extended_slice_size_error(size: i64, slice_size: i64, exc: *mut ExcInfo) -> i64 {
    raise_formatted(exc, EXC_VALUE_ERROR, format!("attempt to assign sequence of size {size} to extended slice of size {slice_size}"));
    0
}

/// As [`ferrojit_rt_raise_int_not_in_list`] for a float `x` (written as Python's `repr`).
///
/// # Safety
/// `exc` points to an `ExcInfo`.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_raise_float_not_in_list(x: f64, exc: *mut ExcInfo) -> i64 {
    raise_formatted(exc, EXC_VALUE_ERROR, format!("{} is not in list", format_float_repr(x, true)));
    0
}

/// Raises NumPy's `IndexError` for a boolean index whose dimension `axis` has `mask_size`
/// elements where the indexed array has `size` (`ferrojit._lib.mask_shape_error`).
///
/// # Safety
/// `exc` points to an `ExcInfo`.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_raise_mask_shape_error(axis: i64, size: i64, mask_size: i64, exc: *mut ExcInfo) -> i64 {
    raise_formatted(
        exc,
        EXC_INDEX_ERROR,
        format!("boolean index did not match indexed array along axis {axis}; size of axis is {size} but size of corresponding boolean axis is {mask_size}"),
    );
    0
}

thread_local! {
    /// Shapes recorded by compiled code for the message it raises next
    /// ([`ferrojit_rt_message_shape`], [`ferrojit_rt_message_dim`]); the raising call takes them.
    static MESSAGE_SHAPES: std::cell::RefCell<Vec<Vec<i64>>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Starts a new shape for the next message (`ferrojit._lib.message_shape`); returns 0.
#[no_mangle]
pub extern "C" fn ferrojit_rt_message_shape() -> i64 {
    MESSAGE_SHAPES.with(|s| s.borrow_mut().push(Vec::new()));
    0
}

/// Appends the dimension `dim` to the shape last started (`ferrojit._lib.message_dim`); returns 0.
#[no_mangle]
pub extern "C" fn ferrojit_rt_message_dim(dim: i64) -> i64 {
    MESSAGE_SHAPES.with(|s| {
        let mut shapes = s.borrow_mut();
        if shapes.is_empty() {
            shapes.push(Vec::new());
        }
        shapes.last_mut().expect("a shape").push(dim);
    });
    0
}

/// NumPy's spelling of a shape: `()`, `(3,)`, `(2,3)`.
fn shape_text(dims: &[i64]) -> String {
    let dims: Vec<String> = dims.iter().map(|d| d.to_string()).collect();
    if dims.len() == 1 { format!("({},)", dims[0]) } else { format!("({})", dims.join(",")) }
}

/// The recorded shapes, taken (none is left for a later message).
fn take_message_shapes() -> Vec<Vec<i64>> {
    MESSAGE_SHAPES.with(|s| std::mem::take(&mut *s.borrow_mut()))
}

/// Raises NumPy's `IndexError` for index arrays whose shapes (the recorded ones) do not
/// broadcast together (`ferrojit._lib.index_broadcast_error`), NumPy's text with its trailing
/// space. Returns 0.
///
/// # Safety
/// `exc` points to an `ExcInfo`.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_raise_index_broadcast_error(exc: *mut ExcInfo) -> i64 {
    let texts: Vec<String> = take_message_shapes().iter().map(|s| shape_text(s)).collect();
    raise_formatted(exc, EXC_INDEX_ERROR, format!("shape mismatch: indexing arrays could not be broadcast together with shapes {} ", texts.join(" ")));
    0
}

/// Raises NumPy's `ValueError` for a value assigned through index arrays that does not
/// broadcast to the indexing result (`ferrojit._lib.value_shape_error`). The two recorded
/// shapes are the value's and the result's in the order the assignment walks them, the
/// `index_dims` index dimensions first; in NumPy's order those go to `place`, and the value's
/// first `missing` dimensions, added as length 1, are not its own. Returns 0.
///
/// # Safety
/// `exc` points to an `ExcInfo`.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_raise_value_shape_error(place: i64, index_dims: i64, missing: i64, exc: *mut ExcInfo) -> i64 {
    let shapes = take_message_shapes();
    let numpy_order = |walked: &[i64]| -> Vec<i64> {
        let (index, rest) = walked.split_at((index_dims.max(0) as usize).min(walked.len()));
        let place = (place.max(0) as usize).min(rest.len());
        rest[..place].iter().chain(index).chain(&rest[place..]).copied().collect()
    };
    let value = shapes.first().map(|s| numpy_order(s)).unwrap_or_default();
    let result = shapes.get(1).map(|s| numpy_order(s)).unwrap_or_default();
    let own = &value[(missing.max(0) as usize).min(value.len())..];
    raise_formatted(
        exc,
        EXC_VALUE_ERROR,
        format!("shape mismatch: value array of shape {} could not be broadcast to indexing result of shape {}", shape_text(own), shape_text(&result)),
    );
    0
}

/// Raises NumPy's `ValueError` for a value of `values` elements assigned through one boolean
/// mask over every axis, which selects `selected` elements (`ferrojit._lib.mask_value_count_error`;
/// NumPy's own path for such a mask, with its own text). Returns 0.
///
/// # Safety
/// `exc` points to an `ExcInfo`.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_raise_mask_value_count_error(values: i64, selected: i64, exc: *mut ExcInfo) -> i64 {
    raise_formatted(
        exc,
        EXC_VALUE_ERROR,
        format!("NumPy boolean array indexing assignment cannot assign {values} input values to the {selected} output values where the mask is true"),
    );
    0
}

/// Raises `kind` with `message`, kept in this thread's [`MESSAGE`] until the dispatcher reads it.
pub(crate) unsafe fn raise_formatted(exc: *mut ExcInfo, kind: u32, message: String) {
    MESSAGE.with(|m| {
        let mut m = m.borrow_mut();
        *m = message;
        (*exc).kind = kind;
        (*exc).msg = m.as_ptr();
        (*exc).len = m.len();
    });
}

/// [`raise_formatted`] writing the message into the buffer [`MESSAGE`] already has: no
/// allocation once the buffer is large enough, for exceptions that code raises and catches
/// in a loop (a dict lookup that misses).
pub(crate) unsafe fn raise_written(exc: *mut ExcInfo, kind: u32, message: std::fmt::Arguments<'_>) {
    use std::fmt::Write;
    raise_writing(exc, kind, |m| {
        let _ = m.write_fmt(message);
    });
}

/// [`raise_written`] of the message `write` puts into the buffer (emptied first).
pub(crate) unsafe fn raise_writing(exc: *mut ExcInfo, kind: u32, write: impl FnOnce(&mut String)) {
    MESSAGE.with(|m| {
        let mut m = m.borrow_mut();
        m.clear();
        write(&mut m);
        (*exc).kind = kind;
        (*exc).msg = m.as_ptr();
        (*exc).len = m.len();
    });
}

// A message written piece by piece: compiled code raising `E(a, b)` or `E(f"...{i}")` writes
// its marks and the text of each argument straight into this thread's [`MESSAGE`], then
// raises with it (`ferrojit_ir::RuntimeFunc::RAISE_MESSAGE`); no string is made, so that code
// raising and catching in a loop allocates nothing. [`ferrojit_rt_message_begin`] hands out
// the buffer, and the writes take it, so that the thread-local is looked up once per raise.
// The arguments are evaluated before `begin`, so nothing else runs (nor raises and perhaps
// catches, reusing the buffer) until the raise: the writes have the buffer to themselves.

/// The message buffer, as the writes below take it.
type MessageBuffer = *mut String;

/// Empties this thread's message buffer and returns it.
#[no_mangle]
pub extern "C" fn ferrojit_rt_message_begin() -> MessageBuffer {
    MESSAGE.with(|m| {
        m.borrow_mut().clear();
        m.as_ptr()
    })
}

/// Appends the string `s` (its `repr` when `repr` is non-zero). Returns 0.
///
/// # Safety
/// `buffer` is from [`ferrojit_rt_message_begin`] on this thread, with nothing in between
/// but the writes; `s` is a live string.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_message_str(buffer: MessageBuffer, s: *mut memory::MemInfo, repr: i64) -> i64 {
    let text = strings::chars(s);
    if repr != 0 {
        strings::repr_into(text, &mut *buffer);
    } else {
        text.push_to(&mut *buffer);
    }
    0
}

/// Appends `str(v)` of an integer: `kind` 0 signed, 1 unsigned, 2 bool (as
/// `ferrojit_rt_str_from_int`). Returns 0.
///
/// # Safety
/// As [`ferrojit_rt_message_str`].
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_message_int(buffer: MessageBuffer, v: i64, kind: i64) -> i64 {
    let mut digits = itoa::Buffer::new();
    (*buffer).push_str(strings::int_text(v, kind, &mut digits));
    0
}

/// Appends `repr(v)` of a float (`single`: a float32's own shortest digits, as
/// `ferrojit_rt_str_from_float`). Returns 0.
///
/// # Safety
/// As [`ferrojit_rt_message_str`].
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_message_float(buffer: MessageBuffer, v: f64, single: i64) -> i64 {
    (*buffer).push_str(&print::float_text(v, single != 0));
    0
}

/// Raises the exception of code `kind` with the message written into `buffer`. Returns 0.
///
/// # Safety
/// As [`ferrojit_rt_message_str`]; `exc` points to the exception info.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_raise_message(buffer: MessageBuffer, kind: i64, exc: *mut ExcInfo) -> i64 {
    let m = &*buffer;
    (*exc).kind = kind as u32;
    (*exc).msg = m.as_ptr();
    (*exc).len = m.len();
    0
}

/// Raises NumPy's `ValueError` for shapes that do not broadcast. `shapes` holds `count`
/// shapes, each as its number of dimensions followed by the dimensions. With `into`, the two
/// shapes are an assigned value's and its destination's ("could not broadcast input array from
/// shape (3,) into shape (4,)"); otherwise they are operands' ("operands could not be broadcast
/// together with shapes (3,) (4,) ", NumPy's text, trailing space included).
///
/// # Safety
/// `exc` points to an `ExcInfo`; `shapes` holds what `count` says.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_broadcast_error(exc: *mut ExcInfo, shapes: *const i64, count: i64, into: i32) {
    let mut texts = Vec::new();
    let mut at = 0usize;
    for _ in 0..count {
        let ndim = *shapes.add(at) as usize;
        let dims: Vec<String> = (0..ndim).map(|k| (*shapes.add(at + 1 + k)).to_string()).collect();
        at += 1 + ndim;
        // NumPy's tuple spelling without spaces: (), (3,), (2,3).
        texts.push(if ndim == 1 { format!("({},)", dims[0]) } else { format!("({})", dims.join(",")) });
    }
    let message = if into != 0 && texts.len() == 2 {
        format!("could not broadcast input array from shape {} into shape {}", texts[0], texts[1])
    } else {
        format!("operands could not be broadcast together with shapes {} ", texts.join(" "))
    };
    MESSAGE.with(|m| {
        let mut m = m.borrow_mut();
        *m = message;
        (*exc).kind = EXC_VALUE_ERROR;
        (*exc).msg = m.as_ptr();
        (*exc).len = m.len();
    });
}

/// Raises NumPy's `ValueError` for a reshape into a shape of another size: "cannot reshape
/// array of size 6 into shape (4,4)", the shape as given (`ndim` dimensions at `dims`) and
/// spelt as NumPy spells it: leading unknown (negative) dimensions left out, later ones
/// written `newaxis`, a trailing comma only for a shape of one dimension (`(-1, 5)` is
/// written `(5)`, `(5, -1)` is `(5,newaxis)`, `(7,)` is `(7,)`).
///
/// # Safety
/// `exc` points to an `ExcInfo`; `dims` holds `ndim` values.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_reshape_error(exc: *mut ExcInfo, size: i64, dims: *const i64, ndim: i64) {
    let dims: Vec<i64> = (0..ndim.max(0) as usize).map(|k| *dims.add(k)).collect();
    let shown: Vec<String> = dims.iter().skip_while(|d| **d < 0).map(|d| if *d < 0 { "newaxis".to_string() } else { d.to_string() }).collect();
    let shape = if dims.len() == 1 && !shown.is_empty() { format!("({},)", shown[0]) } else { format!("({})", shown.join(",")) };
    MESSAGE.with(|m| {
        let mut m = m.borrow_mut();
        *m = format!("cannot reshape array of size {size} into shape {shape}");
        (*exc).kind = EXC_VALUE_ERROR;
        (*exc).msg = m.as_ptr();
        (*exc).len = m.len();
    });
}

/// Raises NumPy's `AxisError` for an axis outside an array's dimensions.
///
/// # Safety
/// `exc` points to an `ExcInfo`.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_axis_error(exc: *mut ExcInfo, axis: i64, ndim: i64) {
    MESSAGE.with(|m| {
        let mut m = m.borrow_mut();
        *m = format!("axis {axis} is out of bounds for array of dimension {ndim}");
        (*exc).kind = EXC_AXIS_ERROR;
        (*exc).msg = m.as_ptr();
        (*exc).len = m.len();
    });
}

/// [`ferrojit_rt_axis_error`] as a runtime call of compiled code (`ferrojit._lib.axis_error`,
/// used by the reductions written in Python): arguments first, the exception last, a value
/// returned.
///
/// # Safety
/// `exc` points to an `ExcInfo`.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_raise_axis_error(axis: i64, ndim: i64, exc: *mut ExcInfo) -> i64 {
    ferrojit_rt_axis_error(exc, axis, ndim);
    0
}

/// NumPy's spelling of a shape an operand is remapped to in a reduction: missing dimensions
/// (recorded as -1) are left out at the start and written `newaxis` after, and one dimension
/// has no trailing comma (`(3)`, `(2,newaxis)`).
fn remapped_shape_text(dims: &[i64]) -> String {
    let dims: Vec<String> = dims.iter().skip_while(|&&d| d < 0).map(|&d| if d < 0 { "newaxis".to_string() } else { d.to_string() }).collect();
    format!("({})", dims.join(","))
}

/// Raises one of NumPy's `ValueError`s for the operands of a reduction whose shapes do not fit
/// (`ferrojit._lib.reduction_shape_error`, used by the reductions written in Python):
/// - `kind` 0: the operands do not broadcast together; `x` operands were recorded in order,
///   each one shape, or two (its own and the one it is remapped to) when its bit is set in `y`;
/// - 1: the array reduced (the first recorded shape) is not the broadcast shape (the second);
/// - 2: `out=` has length 1 in its dimension `x`, which the result does not have;
/// - 3: `out=` has length `y` in the reduced axis `x` with `keepdims=True`;
/// - 4: `out=` of an accumulation (the first recorded shape; remapped, the second) has length
///   1 where the broadcast shape (the third) has not;
/// - 5: the mask (the first recorded shape) does not broadcast to the array's shape (the
///   second), as `np.broadcast_to` says it.
///
/// Returns 0.
///
/// # Safety
/// `exc` points to an `ExcInfo`.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_raise_reduction_shape_error(kind: i64, x: i64, y: i64, exc: *mut ExcInfo) -> i64 {
    let shapes = take_message_shapes();
    let message = match kind {
        0 => {
            let mut texts = String::new();
            let mut next = shapes.iter();
            for operand in 0..x {
                let own = next.next().map(|s| shape_text(s)).unwrap_or_default();
                texts.push_str(&own);
                if y & (1 << operand) != 0 {
                    texts.push_str("->");
                    texts.push_str(&next.next().map(|s| remapped_shape_text(s)).unwrap_or_default());
                }
                texts.push(' ');
            }
            format!("operands could not be broadcast together with remapped shapes [original->remapped]: {texts}")
        }
        1 => {
            let text = |k: usize| shapes.get(k).map(|s| shape_text(s)).unwrap_or_default();
            format!("non-broadcastable operand with shape {} doesn't match the broadcast shape {}", text(0), text(1))
        }
        4 => {
            let text = |k: usize| shapes.get(k).map(|s| shape_text(s)).unwrap_or_default();
            format!("non-broadcastable output operand with shape {} [remapped to {}] doesn't match the broadcast shape {}", text(0), text(1), text(2))
        }
        5 => {
            let text = |k: usize| shapes.get(k).map(|s| shape_text(s)).unwrap_or_default();
            format!("operands could not be broadcast together with remapped shapes [original->remapped]: {}  and requested shape {}", text(0), text(1))
        }
        2 => format!("output operand requires a reduction along dimension {x}, but the reduction is not enabled. The dimension size of 1 does not match the expected output shape."),
        3 => format!("operand was set up as a reduction along axis {x}, but the length of the axis is {y} (it has to be 1)"),
        _ => format!("unknown reduction shape error {kind}"),
    };
    raise_formatted(exc, EXC_VALUE_ERROR, message);
    0
}

/// CPython's `float_divmod`: returns (floor quotient, modulo with the divisor's sign).
/// The divisor is non-zero (generated code checks first).
fn float_divmod(vx: f64, wx: f64) -> (f64, f64) {
    let mut m = vx % wx;
    let mut div = (vx - m) / wx;
    if m != 0.0 {
        if (wx < 0.0) != (m < 0.0) {
            m += wx;
            div -= 1.0;
        }
    } else {
        m = 0.0f64.copysign(wx);
    }
    let floordiv = if div != 0.0 {
        let mut f = div.floor();
        if div - f > 0.5 {
            f += 1.0;
        }
        f
    } else {
        0.0f64.copysign(vx / wx)
    };
    (floordiv, m)
}

#[no_mangle]
pub extern "C" fn ferrojit_rt_floordiv_f64(a: f64, b: f64) -> f64 {
    float_divmod(a, b).0
}

#[no_mangle]
pub extern "C" fn ferrojit_rt_mod_f64(a: f64, b: f64) -> f64 {
    float_divmod(a, b).1
}

type Complex = (f64, f64);

fn c_prod(a: Complex, b: Complex) -> Complex {
    (a.0 * b.0 - a.1 * b.1, a.0 * b.1 + a.1 * b.0)
}

/// CPython's `_Py_c_quot`; `None` for division by zero.
fn c_quot(a: Complex, b: Complex) -> Option<Complex> {
    let (abs_br, abs_bi) = (b.0.abs(), b.1.abs());
    if abs_br >= abs_bi {
        if abs_br == 0.0 {
            return None;
        }
        let ratio = b.1 / b.0;
        let denom = b.0 + b.1 * ratio;
        Some(((a.0 + a.1 * ratio) / denom, (a.1 - a.0 * ratio) / denom))
    } else if abs_bi >= abs_br {
        let ratio = b.0 / b.1;
        let denom = b.0 * ratio + b.1;
        Some(((a.0 * ratio + a.1) / denom, (a.1 * ratio - a.0) / denom))
    } else {
        Some((f64::NAN, f64::NAN))
    }
}

/// `a ** b` on complex numbers exactly as CPython's `complex_pow` computes it: repeated
/// multiplication for small integral exponents, polar form otherwise. Writes (re, im) to `out`.
///
/// # Safety
/// `out` points to two writable doubles; `exc` to an `ExcInfo`.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_cpow(ar: f64, ai: f64, br: f64, bi: f64, out: *mut f64, exc: *mut ExcInfo) {
    let a = (ar, ai);
    let zero_error = "0.0 to a negative or complex power";
    let result = if bi == 0.0 && br == br.floor() && br.abs() <= 100.0 {
        let n = br as i64;
        let mut r = (1.0, 0.0);
        let mut p = a;
        let mut mask: i64 = 1;
        let m = n.abs();
        while mask > 0 && m >= mask {
            if m & mask != 0 {
                r = c_prod(r, p);
            }
            mask <<= 1;
            p = c_prod(p, p);
        }
        if n < 0 {
            match c_quot((1.0, 0.0), r) {
                Some(q) => q,
                None => return raise(exc, EXC_ZERO_DIVISION_ERROR, zero_error),
            }
        } else {
            r
        }
    } else if br == 0.0 && bi == 0.0 {
        (1.0, 0.0)
    } else if ar == 0.0 && ai == 0.0 {
        if bi != 0.0 || br < 0.0 {
            return raise(exc, EXC_ZERO_DIVISION_ERROR, zero_error);
        }
        (0.0, 0.0)
    } else {
        let vabs = ar.hypot(ai);
        let mut len = vabs.powf(br);
        let at = ai.atan2(ar);
        let mut phase = at * br;
        if bi != 0.0 {
            len /= (at * bi).exp();
            phase += bi * vabs.ln();
        }
        (len * phase.cos(), len * phase.sin())
    };
    if (result.0.is_infinite() || result.1.is_infinite()) && [ar, ai, br, bi].iter().all(|v| v.is_finite()) {
        return raise(exc, EXC_OVERFLOW_ERROR, "complex exponentiation");
    }
    *out = result.0;
    *out.add(1) = result.1;
}

// The C library's math functions, which generated code calls by name; listed here so that the
// JIT resolves them to these exact addresses.
extern "C" {
    fn tanh(x: f64) -> f64;
    fn tanhf(x: f32) -> f32;
    fn sinh(x: f64) -> f64;
    fn sinhf(x: f32) -> f32;
    fn cosh(x: f64) -> f64;
    fn coshf(x: f32) -> f32;
    fn tan(x: f64) -> f64;
    fn tanf(x: f32) -> f32;
    fn asin(x: f64) -> f64;
    fn asinf(x: f32) -> f32;
    fn acos(x: f64) -> f64;
    fn acosf(x: f32) -> f32;
    fn atan(x: f64) -> f64;
    fn atanf(x: f32) -> f32;
    fn asinh(x: f64) -> f64;
    fn asinhf(x: f32) -> f32;
    fn acosh(x: f64) -> f64;
    fn acoshf(x: f32) -> f32;
    fn atanh(x: f64) -> f64;
    fn atanhf(x: f32) -> f32;
    fn expm1(x: f64) -> f64;
    fn expm1f(x: f32) -> f32;
    fn log1p(x: f64) -> f64;
    fn log1pf(x: f32) -> f32;
    fn erf(x: f64) -> f64;
    fn erff(x: f32) -> f32;
    fn erfc(x: f64) -> f64;
    fn erfcf(x: f32) -> f32;
    fn atan2(y: f64, x: f64) -> f64;
    fn atan2f(y: f32, x: f32) -> f32;
    fn hypot(x: f64, y: f64) -> f64;
    fn hypotf(x: f32, y: f32) -> f32;
    fn fmod(x: f64, y: f64) -> f64;
    fn fmodf(x: f32, y: f32) -> f32;
}

macro_rules! symbol_table {
    ($($name:ident),* $(,)?) => {
        /// Every symbol generated code may reference, with its address in this process.
        pub fn symbols() -> Vec<(&'static str, usize)> {
            vec![$((stringify!($name), $name as *const () as usize)),*]
        }
    };
}

use linalg::{
    ferrojit_rt_blas_dot, ferrojit_rt_blas_dot_into, ferrojit_rt_blas_gemm, ferrojit_rt_lapack_geev, ferrojit_rt_lapack_gelsd, ferrojit_rt_lapack_geqrf, ferrojit_rt_lapack_gesdd, ferrojit_rt_lapack_gesv, ferrojit_rt_lapack_getrf, ferrojit_rt_lapack_heevd,
    ferrojit_rt_lapack_orgqr, ferrojit_rt_lapack_potrf,
};
use random::{
    ferrojit_rt_random_bounded_fill, ferrojit_rt_random_draw, ferrojit_rt_random_fill, ferrojit_rt_random_getrandbits, ferrojit_rt_random_keep_gauss, ferrojit_rt_random_masked_interval, ferrojit_rt_random_next_double,
    ferrojit_rt_random_seed_entropy, ferrojit_rt_random_seed_numpy, ferrojit_rt_random_seed_python,
    ferrojit_rt_random_pow, ferrojit_rt_random_take_gauss,
};
use pcg64::{
    ferrojit_rt_pcg64_bounded_fill, ferrojit_rt_pcg64_bounded_fill_each, ferrojit_rt_pcg64_draw, ferrojit_rt_pcg64_fill, ferrojit_rt_pcg64_interval, ferrojit_rt_pcg64_seed,
    ferrojit_rt_pcg64_seed_entropy,
};
use objmode::ferrojit_rt_call_python;
use exceptions::{ferrojit_rt_raise_from, ferrojit_rt_exc_cause_code, ferrojit_rt_exc_cause_message, ferrojit_rt_exc_arg, ferrojit_rt_exc_arg_count, ferrojit_rt_exc_instance_of, ferrojit_rt_exc_message, ferrojit_rt_exc_text, ferrojit_rt_raise_exception_value};
use dicts::{ferrojit_rt_dict_candidate, ferrojit_rt_dict_clear, ferrojit_rt_dict_delete, ferrojit_rt_dict_find, ferrojit_rt_dict_insert, ferrojit_rt_dict_insert_new, ferrojit_rt_dict_mark_typed, ferrojit_rt_dict_new, ferrojit_rt_dict_next};
use sets::{ferrojit_rt_set_candidate, ferrojit_rt_set_clear, ferrojit_rt_set_delete, ferrojit_rt_set_find, ferrojit_rt_set_insert, ferrojit_rt_set_insert_new, ferrojit_rt_set_merge, ferrojit_rt_set_new, ferrojit_rt_set_next, ferrojit_rt_set_pop_slot, ferrojit_rt_set_purge_dummies, ferrojit_rt_set_swap_bodies};
use format::{ferrojit_rt_format_float, ferrojit_rt_format_int, ferrojit_rt_format_str};
use hashing::{ferrojit_rt_hash_complex, ferrojit_rt_hash_float, ferrojit_rt_hash_int, ferrojit_rt_hash_tuple_end, ferrojit_rt_hash_tuple_item, ferrojit_rt_hash_tuple_start};
use instances::ferrojit_rt_instance_new;
use lists::{ferrojit_rt_list_mark_typed, ferrojit_rt_list_new, ferrojit_rt_list_splice};
use strings::{
    ferrojit_rt_print_unicode, ferrojit_rt_print_unicode_repr, ferrojit_rt_raise_ord_error, ferrojit_rt_raise_with_text, ferrojit_rt_print_bytes, ferrojit_rt_str_append, ferrojit_rt_str_case, ferrojit_rt_str_char, ferrojit_rt_str_code_point, ferrojit_rt_str_compare, ferrojit_rt_str_concat, ferrojit_rt_str_contains,
    ferrojit_rt_str_count, ferrojit_rt_str_equal, ferrojit_rt_str_find, ferrojit_rt_str_from_code_point, ferrojit_rt_str_from_complex, ferrojit_rt_str_from_float, ferrojit_rt_str_from_int, ferrojit_rt_str_hash,
    ferrojit_rt_str_join, ferrojit_rt_str_escape_non_ascii, ferrojit_rt_str_encode, ferrojit_rt_bytes_decode, ferrojit_rt_str_len, ferrojit_rt_str_pad, ferrojit_rt_str_predicate, ferrojit_rt_str_repeat, ferrojit_rt_str_replace, ferrojit_rt_str_repr,
    ferrojit_rt_str_slice, ferrojit_rt_str_split, ferrojit_rt_str_split_whitespace, ferrojit_rt_str_strip_whitespace, ferrojit_rt_str_splitlines, ferrojit_rt_str_starts, ferrojit_rt_str_strip, ferrojit_rt_str_to_float, ferrojit_rt_str_to_int,
};
use memory::{ferrojit_rt_alloc, ferrojit_rt_alloc_zeroed, ferrojit_rt_copy_elements, ferrojit_rt_decref, ferrojit_rt_generator_adopt, ferrojit_rt_generator_new, ferrojit_rt_incref, ferrojit_rt_own_array};
use parallel::{ferrojit_rt_get_num_threads, ferrojit_rt_get_thread_id, ferrojit_rt_parallel_array_chunks, ferrojit_rt_parallel_chunks, ferrojit_rt_parallel_for, ferrojit_rt_set_num_threads};
use sums::{ferrojit_rt_pairwise_push, ferrojit_rt_pairwise_total};
use print::{
    ferrojit_rt_print_bool, ferrojit_rt_print_complex, ferrojit_rt_print_f32, ferrojit_rt_print_f64, ferrojit_rt_print_flush,
    ferrojit_rt_print_i64, ferrojit_rt_print_none, ferrojit_rt_print_str, ferrojit_rt_print_u64,
};

/// A datetime64 (`datetime` nonzero) or timedelta64 count of the unit `from` as a count of the
/// unit `to` (units by their index in `TimeUnit::ALL`), as NumPy's casts convert it; NaT stays
/// NaT. The compiler writes the conversions by a ratio of lengths inline and calls this one for
/// those through the calendar (and ratios too large for int64).
#[no_mangle]
pub extern "C" fn ferrojit_rt_convert_time(count: i64, from: i64, to: i64, datetime: i64) -> i64 {
    use ferrojit_types::{time, TimeUnit};
    let unit = |k: i64| TimeUnit::ALL.get(k as usize).copied().unwrap_or(TimeUnit::Generic);
    if count == time::NAT {
        return count;
    }
    time::convert_count(i128::from(count), unit(from), unit(to), datetime != 0) as i64
}

symbol_table! {
    ferrojit_rt_convert_time, ferrojit_rt_pairwise_push, ferrojit_rt_pairwise_total, ferrojit_rt_pow_i64, ferrojit_rt_pow_u64, ferrojit_rt_powmod_i64, ferrojit_rt_round_ndigits,
    ferrojit_rt_floordiv_f64, ferrojit_rt_mod_f64, ferrojit_rt_cpow, ferrojit_rt_float_pow_error,
    ferrojit_rt_alloc, ferrojit_rt_alloc_zeroed, ferrojit_rt_incref, ferrojit_rt_decref, ferrojit_rt_own_array, ferrojit_rt_generator_new, ferrojit_rt_generator_adopt, ferrojit_rt_copy_elements, ferrojit_rt_list_new, ferrojit_rt_list_splice, ferrojit_rt_list_mark_typed, ferrojit_rt_dict_mark_typed, ferrojit_rt_instance_new,
    ferrojit_rt_message_begin, ferrojit_rt_message_str, ferrojit_rt_message_int, ferrojit_rt_message_float, ferrojit_rt_raise_message,
    ferrojit_rt_print_unicode, ferrojit_rt_print_unicode_repr, ferrojit_rt_raise_ord_error, ferrojit_rt_raise_with_text, ferrojit_rt_print_bytes, ferrojit_rt_str_append, ferrojit_rt_str_case, ferrojit_rt_str_char, ferrojit_rt_str_code_point, ferrojit_rt_str_compare, ferrojit_rt_str_concat, ferrojit_rt_str_contains,
    ferrojit_rt_str_count, ferrojit_rt_str_equal, ferrojit_rt_str_find, ferrojit_rt_str_from_code_point, ferrojit_rt_str_from_complex, ferrojit_rt_str_from_float, ferrojit_rt_str_from_int, ferrojit_rt_str_hash,
    ferrojit_rt_str_join, ferrojit_rt_str_escape_non_ascii, ferrojit_rt_str_encode, ferrojit_rt_bytes_decode, ferrojit_rt_str_len, ferrojit_rt_str_pad, ferrojit_rt_str_predicate, ferrojit_rt_str_repeat, ferrojit_rt_str_replace, ferrojit_rt_str_repr,
    ferrojit_rt_str_slice, ferrojit_rt_str_split, ferrojit_rt_str_split_whitespace, ferrojit_rt_str_strip_whitespace, ferrojit_rt_str_splitlines, ferrojit_rt_str_starts, ferrojit_rt_str_strip, ferrojit_rt_str_to_float, ferrojit_rt_str_to_int,
    ferrojit_rt_format_int, ferrojit_rt_format_float, ferrojit_rt_format_str,
    ferrojit_rt_hash_int, ferrojit_rt_hash_float, ferrojit_rt_hash_complex, ferrojit_rt_hash_tuple_start, ferrojit_rt_hash_tuple_item, ferrojit_rt_hash_tuple_end,
    ferrojit_rt_dict_new, ferrojit_rt_dict_find, ferrojit_rt_dict_insert, ferrojit_rt_dict_candidate, ferrojit_rt_dict_insert_new, ferrojit_rt_dict_delete, ferrojit_rt_dict_next, ferrojit_rt_dict_clear,
    ferrojit_rt_set_new, ferrojit_rt_set_find, ferrojit_rt_set_insert, ferrojit_rt_set_candidate, ferrojit_rt_set_insert_new, ferrojit_rt_set_delete, ferrojit_rt_set_next, ferrojit_rt_set_clear, ferrojit_rt_set_pop_slot, ferrojit_rt_set_merge, ferrojit_rt_set_purge_dummies, ferrojit_rt_set_swap_bodies,
    ferrojit_rt_index_error, ferrojit_rt_broadcast_error, ferrojit_rt_reshape_error, ferrojit_rt_axis_error,
    ferrojit_rt_raise_index_error, ferrojit_rt_raise_flat_index_error, ferrojit_rt_raise_int_not_in_list, ferrojit_rt_raise_float_not_in_list, ferrojit_rt_raise_extended_slice_size_error, ferrojit_rt_raise_int_key_error, ferrojit_rt_raise_float_key_error, ferrojit_rt_raise_mask_shape_error, ferrojit_rt_message_shape, ferrojit_rt_message_dim,
    ferrojit_rt_raise_index_broadcast_error, ferrojit_rt_raise_value_shape_error, ferrojit_rt_raise_mask_value_count_error,
    ferrojit_rt_raise_axis_error, ferrojit_rt_raise_reduction_shape_error,
    ferrojit_rt_exc_keep_message, ferrojit_rt_exc_restore, ferrojit_rt_generator_close_begin, ferrojit_rt_generator_closed, ferrojit_rt_generator_thrown, ferrojit_rt_generator_refuses_throw, ferrojit_rt_generator_raised_stop_iteration, ferrojit_rt_exc_derives, ferrojit_rt_exc_message, ferrojit_rt_exc_text, ferrojit_rt_raise_exception_value, ferrojit_rt_exc_instance_of, ferrojit_rt_exc_arg_count, ferrojit_rt_exc_arg, ferrojit_rt_call_python, ferrojit_rt_raise_from, ferrojit_rt_exc_cause_code, ferrojit_rt_exc_cause_message,
    ferrojit_rt_blas_dot, ferrojit_rt_blas_dot_into, ferrojit_rt_blas_gemm, ferrojit_rt_lapack_gesv, ferrojit_rt_lapack_getrf, ferrojit_rt_lapack_potrf, ferrojit_rt_lapack_heevd, ferrojit_rt_lapack_geev,
    ferrojit_rt_lapack_gesdd, ferrojit_rt_lapack_geqrf, ferrojit_rt_lapack_orgqr, ferrojit_rt_lapack_gelsd,
    ferrojit_rt_print_i64, ferrojit_rt_print_u64, ferrojit_rt_print_f64, ferrojit_rt_print_f32,
    ferrojit_rt_print_complex, ferrojit_rt_print_bool, ferrojit_rt_print_none, ferrojit_rt_print_str,
    ferrojit_rt_print_flush, ferrojit_rt_parallel_chunks, ferrojit_rt_parallel_for, ferrojit_rt_parallel_array_chunks, ferrojit_rt_get_num_threads, ferrojit_rt_get_thread_id, ferrojit_rt_set_num_threads,
    ferrojit_rt_random_seed_numpy, ferrojit_rt_random_seed_python, ferrojit_rt_random_seed_entropy,
    ferrojit_rt_random_next_double, ferrojit_rt_random_draw, ferrojit_rt_random_fill, ferrojit_rt_random_bounded_fill, ferrojit_rt_random_masked_interval, ferrojit_rt_random_getrandbits, ferrojit_rt_random_take_gauss,
    ferrojit_rt_random_keep_gauss, ferrojit_rt_random_pow,
    ferrojit_rt_pcg64_seed, ferrojit_rt_pcg64_seed_entropy, ferrojit_rt_pcg64_draw, ferrojit_rt_pcg64_fill, ferrojit_rt_pcg64_interval, ferrojit_rt_pcg64_bounded_fill, ferrojit_rt_pcg64_bounded_fill_each,
    tanh, tanhf, sinh, sinhf, cosh, coshf, tan, tanf, asin, asinf, acos, acosf, atan, atanf,
    asinh, asinhf, acosh, acoshf, atanh, atanhf, expm1, expm1f, log1p, log1pf, erf, erff,
    erfc, erfcf, atan2, atan2f, hypot, hypotf, fmod, fmodf,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_floor_division_and_modulo_follow_python() {
        assert_eq!(float_divmod(-7.5, 2.0), (-4.0, 0.5));
        assert_eq!(float_divmod(7.5, -2.0), (-4.0, -0.5));
        let (_, m) = float_divmod(-0.0, 5.0);
        assert!(m == 0.0 && m.is_sign_positive());
        let (q, _) = float_divmod(0.0, -5.0);
        assert!(q == 0.0 && q.is_sign_negative());
    }

    #[test]
    fn powmod_matches_python() {
        let mut exc = ExcInfo::default();
        unsafe {
            assert_eq!(ferrojit_rt_powmod_i64(3, 4, 5, &mut exc), 1);
            assert_eq!(ferrojit_rt_powmod_i64(38, -1, 97, &mut exc), 23);
            assert_eq!(ferrojit_rt_powmod_i64(3, 2, -5, &mut exc), -1);
            assert_eq!(exc.kind, 0);
            ferrojit_rt_powmod_i64(2, -1, 4, &mut exc);
            assert_eq!(exc.kind, EXC_VALUE_ERROR);
        }
    }

    #[test]
    fn float_pow_errors_are_cpythons() {
        let raised = |x: f64, y: f64| {
            let mut exc = ExcInfo::default();
            let status = unsafe { ferrojit_rt_float_pow_error(x, y, x.powf(y), &mut exc) };
            assert_eq!(status != 0, exc.kind != 0);
            exc.kind
        };
        assert_eq!(raised(0.0, f64::NEG_INFINITY), 0);
        assert_eq!(raised(f64::NAN, 1.0), 0);
        assert_eq!(raised(0.0, -1.0), EXC_ZERO_DIVISION_ERROR);
        assert_eq!(raised(-0.0, -3.0), EXC_ZERO_DIVISION_ERROR);
        assert_eq!(raised(10.0, 400.0), EXC_OVERFLOW_ERROR);
        assert_eq!(raised(-8.0, 1.0 / 3.0), EXC_VALUE_ERROR);
        assert_eq!(raised(-1e300, 2.5), EXC_OVERFLOW_ERROR);
    }

    #[test]
    fn round_ndigits_matches_python() {
        assert_eq!(ferrojit_rt_round_ndigits(0.125, 2), 0.12);
        assert_eq!(ferrojit_rt_round_ndigits(2.675, 2), 2.67);
        assert_eq!(ferrojit_rt_round_ndigits(1250.0, -2), 1200.0);
        assert_eq!(ferrojit_rt_round_ndigits(1350.0, -2), 1400.0);
        assert!(ferrojit_rt_round_ndigits(-0.001, 2).is_sign_negative());
    }
}
