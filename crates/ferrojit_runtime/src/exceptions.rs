//! Exceptions as values, for `except E as e`: the value a clause binds is its exception's class
//! code and message as a string (`ferrojit_types::Type::Exception`), made from the exception
//! info it caught ([`ferrojit_rt_exc_message`]); `str(e)` and `repr(e)` read it as CPython
//! would ([`ferrojit_rt_exc_text`]) and `raise e` raises it again
//! ([`ferrojit_rt_raise_exception_value`]).
//!
//! The message is the runtime's, marks included: it tells the exception's argument (see
//! [`argument`]), which is all compiled code's exceptions carry, after the cause of one raised
//! with `raise X from cause` (see [`CAUSE_MARK`]: `e.__cause__`, `e.__suppress_context__`).
//! Code 0 is `None`, the `__cause__` of an exception without one.

use crate::memory::MemInfo;
use crate::strings::{chars, from_str, repr_of, Chars};
use crate::{raise, raise_formatted, ExcInfo, ARGUMENTS_MARK, CAUSE_MARK, CODEC_ERROR_MARK, EXC_KEY_ERROR, KEY_ERROR_NUMBER_MARK, TEXT_ARGUMENT_MARK};
use ferrojit_types::exception_values::{CAUSE_CODE, RAW_MESSAGE, SUPPRESS_CONTEXT, TEXT_ARGS, TEXT_REPR};
use std::collections::{HashMap, HashSet};
use std::sync::{OnceLock, RwLock};

/// The Python name of each exception class compiled code knows, by code: the built-in ones
/// (registered by the binding crate, which sees `ExcKind`) and the classes defined in Python
/// code, for `repr(e)`.
static NAMES: RwLock<Option<HashMap<u32, String>>> = RwLock::new(None);

/// Records that the exception class of code `code` is named `name` (its `__name__`).
pub fn register_exception_name(code: u32, name: &str) {
    let mut names = NAMES.write().unwrap_or_else(|p| p.into_inner());
    names.get_or_insert_with(HashMap::new).insert(code, name.to_string());
}

/// What compiled code asks Python of an exception whose class, defined in Python code, writes
/// its own text or arguments (see [`register_own_text`]).
pub enum Query {
    /// Its text of a form of `ferrojit_types::exception_values` (`str`, `repr`, `e.args`).
    Text(i64),
    /// `len(e.args)`.
    ArgCount,
    /// `e.args[i]` (`i` negative from the end), which must be a string.
    Arg(i64),
}

/// Python's answer to a [`Query`].
pub enum Answer {
    Text(String),
    Count(i64),
    /// Python raised this exception (its code and message as compiled code holds them).
    Raised(u32, String),
}

/// Answers a [`Query`] about the exception of class `code` with the message `message` by
/// making it in Python; `None` when Python cannot be asked from this thread now (then the
/// runtime answers from the message).
pub type PythonExceptionHook = fn(code: u32, message: &str, query: Query) -> Option<Answer>;

static PYTHON_HOOK: OnceLock<PythonExceptionHook> = OnceLock::new();

/// The codes of the classes whose `__str__`, `__repr__`, `__init__` or `__new__` is their own
/// (or a base's defined in Python code): their text and arguments are Python's to tell.
static OWN_TEXT: RwLock<Option<HashSet<u32>>> = RwLock::new(None);

pub fn set_python_exception_hook(hook: PythonExceptionHook) {
    let _ = PYTHON_HOOK.set(hook);
}

/// Records that the exception class of code `code` writes its own text or arguments.
pub fn register_own_text(code: u32) {
    OWN_TEXT.write().unwrap_or_else(|p| p.into_inner()).get_or_insert_with(HashSet::new).insert(code);
}

/// Python's answer about the exception of class `code`, when its class writes its own text.
unsafe fn ask_python(code: u32, message: *mut MemInfo, query: Query) -> Option<Answer> {
    let own = OWN_TEXT.read().unwrap_or_else(|p| p.into_inner()).as_ref().is_some_and(|codes| codes.contains(&code));
    if !own {
        return None;
    }
    PYTHON_HOOK.get()?(code, &chars(message).to_string(), query)
}

fn exception_name(code: u32) -> String {
    let names = NAMES.read().unwrap_or_else(|p| p.into_inner());
    names.as_ref().and_then(|n| n.get(&code)).cloned().unwrap_or_else(|| "Exception".to_string())
}

/// The argument an exception's message stands for (see the marks in the crate's root).
enum Argument<'a> {
    /// `E()`: an empty message without a mark.
    Nothing,
    /// One string: the message itself, or what follows [`TEXT_ARGUMENT_MARK`].
    Text(Chars<'a>),
    /// One number (a `KeyError`'s missing key): its `repr` follows [`KEY_ERROR_NUMBER_MARK`].
    Number(Chars<'a>),
    /// A codec's error (see [`CODEC_ERROR_MARK`]), which reaches Python as `UnicodeError`.
    Codec,
    /// Several arguments (see [`ARGUMENTS_MARK`]): how many, and the `repr` of their tuple.
    Several(i64, Chars<'a>),
}

fn argument(message: Chars<'_>) -> Argument<'_> {
    let message = split_cause_chars(message).1;
    let mark = |c: char| Some(c as u32);
    let first = message.iter().next();
    if first == mark(TEXT_ARGUMENT_MARK) {
        // A string made at run time: the argument, unless it is a number's or several.
        let rest = message.skip(1);
        let second = rest.iter().next();
        if second == mark(KEY_ERROR_NUMBER_MARK) {
            return Argument::Number(rest.skip(1));
        }
        if second == mark(ARGUMENTS_MARK) {
            let digits = rest.skip(1).iter().take_while(|&c| c != ARGUMENTS_MARK as u32).collect::<Vec<_>>();
            let count = digits.iter().fold(0i64, |n, &d| n * 10 + (d as i64 - '0' as i64));
            return Argument::Several(count, rest.skip(digits.len() + 2));
        }
        return Argument::Text(rest);
    }
    match first {
        None => Argument::Nothing,
        Some(c) if c == KEY_ERROR_NUMBER_MARK as u32 => Argument::Number(message.skip(1)),
        Some(c) if c == CODEC_ERROR_MARK as u32 => Argument::Codec,
        Some(_) => Argument::Text(message),
    }
}

/// The message of the exception `info` holds, marks included, as a new string; null (with
/// `MemoryError` in `exc`) when memory runs out.
///
/// # Safety
/// `info` points to an `ExcInfo` filled by a raise; `exc` to the exception info.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_exc_message(info: *const ExcInfo, exc: *mut ExcInfo) -> *mut MemInfo {
    new_string(&(*info).message(), exc)
}

/// A new string of `text`; null, with `MemoryError` in `exc`, when memory runs out.
unsafe fn new_string(text: &str, exc: *mut ExcInfo) -> *mut MemInfo {
    let s = from_str(text);
    if s.is_null() {
        raise(exc, crate::strings::EXC_MEMORY_ERROR, "cannot allocate memory for an exception's text");
    }
    s
}

/// The text `form` ([`TEXT_STR`], [`TEXT_REPR`] or [`TEXT_ARGS`], from
/// `ferrojit_types::exception_values`) of the exception of class
/// `code` whose message is `message`, as CPython's `BaseException` writes them: `str` is the
/// one argument's text (a `KeyError`'s, and its subclasses', is the argument's `repr`), `""`
/// with none; `repr` is the class's name and the argument's `repr` in parentheses; the
/// arguments are `()` or `(argument,)`; of several arguments, `str` and the arguments are
/// their tuple's `repr`, `repr` is the class's name before it. A new string.
///
/// # Safety
/// `message` is a live string; `exc` points to the exception info.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_exc_text(code: i64, message: *mut MemInfo, form: i64, exc: *mut ExcInfo) -> *mut MemInfo {
    if code == 0 {
        // `None` (a `__cause__` that is none): its text, and no `args`.
        if form == TEXT_ARGS {
            none_has_no("args", exc);
            return std::ptr::null_mut();
        }
        return new_string("None", exc);
    }
    let code = code as u32;
    match ask_python(code, message, Query::Text(form)) {
        Some(Answer::Text(text)) => return new_string(&text, exc),
        Some(answer) => return raise_answer(answer, exc),
        None => {}
    }
    let text = match (argument(chars(message)), form) {
        (Argument::Codec, _) => {
            // Python makes the text (`ask_python`), where this thread may call it.
            raise(exc, crate::EXC_NOT_IMPLEMENTED_ERROR, "the text of a codec's error (`UnicodeError`) is not available in compiled code running outside Python's lock (a `prange` body); catch it and write your own message");
            return std::ptr::null_mut();
        }
        (Argument::Nothing, TEXT_ARGS) => "()".to_string(),
        (Argument::Text(t), TEXT_ARGS) => format!("({},)", repr_of(t)),
        (Argument::Number(n), TEXT_ARGS) => format!("({},)", n.to_string()),
        // Several arguments: `str` is their tuple's text too, as CPython's.
        (Argument::Several(_, tuple), TEXT_REPR) => format!("{}{}", exception_name(code), tuple.to_string()),
        (Argument::Several(_, tuple), _) => tuple.to_string(),
        (Argument::Nothing, TEXT_REPR) => format!("{}()", exception_name(code)),
        (Argument::Nothing, _) => String::new(),
        (Argument::Text(t), TEXT_REPR) => format!("{}({})", exception_name(code), repr_of(t)),
        (Argument::Number(n), TEXT_REPR) => format!("{}({})", exception_name(code), n.to_string()),
        (Argument::Number(n), _) if is_key_error(code) => n.to_string(),
        (Argument::Number(n), _) => numpy_scalar_str(&n.to_string()).to_string(),
        (Argument::Text(t), _) if is_key_error(code) => repr_of(t),
        (Argument::Text(t), _) => t.to_string(),
    };
    new_string(&text, exc)
}

/// `str()` of a number from its `repr`: the text inside NumPy 2's `repr` of its scalars
/// (`np.uint8(7)` is `7`), the others' as it is.
fn numpy_scalar_str(repr: &str) -> &str {
    match (repr.strip_prefix("np."), repr.find('(')) {
        (Some(_), Some(open)) if repr.ends_with(')') => &repr[open + 1..repr.len() - 1],
        _ => repr,
    }
}

/// Whether the class of code `code` is `KeyError` or derives from it (whose `str` is its
/// argument's `repr`).
fn is_key_error(code: u32) -> bool {
    code == EXC_KEY_ERROR || crate::ferrojit_rt_exc_derives(code as i32, EXC_KEY_ERROR as i32) != 0
}

/// `raise e` of an exception value: raises the exception of class `code` with `message`
/// again. Returns 0.
///
/// # Safety
/// `message` is a live string; `exc` points to the exception info.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_raise_exception_value(code: i64, message: *mut MemInfo, exc: *mut ExcInfo) -> i64 {
    if code == 0 {
        raise(exc, crate::strings::EXC_TYPE_ERROR, "exceptions must derive from BaseException");
        return 0;
    }
    raise_formatted(exc, code as u32, chars(message).to_string());
    0
}

/// Raises the exception of class `code` with the message `message` (marks included), for
/// exceptions that reach compiled code from Python (an object mode block's).
///
/// # Safety
/// `exc` points to the exception info.
pub unsafe fn raise_message(exc: *mut ExcInfo, code: u32, message: String) {
    raise_formatted(exc, code, message);
}

/// Whether the exception of code `code`, of a class defined in Python code, is an instance of
/// the class of code `class` (`isinstance(e, C)`; the built-in classes' codes are compared by
/// the compiled code itself).
#[no_mangle]
pub extern "C" fn ferrojit_rt_exc_instance_of(code: i64, class: i64) -> i64 {
    crate::ferrojit_rt_exc_derives(code as i32, class as i32) as i64
}

/// Raises what Python raised answering (an answer of the wrong kind: an internal error).
/// Returns null.
unsafe fn raise_answer(answer: Answer, exc: *mut ExcInfo) -> *mut MemInfo {
    match answer {
        Answer::Raised(code, message) => raise_formatted(exc, code, message),
        _ => raise(exc, crate::EXC_RUNTIME_ERROR, "internal error: Python gave the wrong kind of answer about an exception"),
    }
    std::ptr::null_mut()
}

/// `len(e.args)` of the exception of class `code` whose message is `message` (Python's, when
/// its class writes its own arguments); -1 with the exception in `exc` when Python raised.
///
/// # Safety
/// `message` is a live string; `exc` points to the exception info.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_exc_arg_count(code: i64, message: *mut MemInfo, exc: *mut ExcInfo) -> i64 {
    if code == 0 {
        none_has_no("args", exc);
        return -1;
    }
    match ask_python(code as u32, message, Query::ArgCount) {
        Some(Answer::Count(n)) => return n,
        Some(answer) => {
            raise_answer(answer, exc);
            return -1;
        }
        None => {}
    }
    argument_count(&argument(chars(message)))
}

/// How many arguments a message stands for.
fn argument_count(argument: &Argument<'_>) -> i64 {
    match argument {
        Argument::Nothing => 0,
        Argument::Several(count, _) => *count,
        _ => 1,
    }
}

/// `e.args[i]` (`i` negative from the end) of the exception of class `code` whose message is
/// `message` (Python's, when its class writes its own arguments): its
/// argument as a new string; raises `IndexError` beyond the arguments, and `TypeError` for an
/// argument that is not a string (a `KeyError`'s number key), which compiled code holds only
/// as text.
///
/// # Safety
/// `message` is a live string; `exc` points to the exception info.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_exc_arg(code: i64, message: *mut MemInfo, i: i64, exc: *mut ExcInfo) -> *mut MemInfo {
    if code == 0 {
        none_has_no("args", exc);
        return std::ptr::null_mut();
    }
    // Python indexes its own arguments (and raises `IndexError` beyond them).
    match ask_python(code as u32, message, Query::Arg(i)) {
        Some(Answer::Text(text)) => return new_string(&text, exc),
        Some(answer) => return raise_answer(answer, exc),
        None => {}
    }
    let argument = argument(chars(message));
    let count = argument_count(&argument);
    if !(-count..count).contains(&i) {
        raise(exc, crate::EXC_INDEX_ERROR, "tuple index out of range");
        return std::ptr::null_mut();
    }
    let text = match argument {
        Argument::Text(t) => t.to_string(),
        Argument::Number(n) => {
            raise_formatted(exc, crate::strings::EXC_TYPE_ERROR, format!("the argument of this exception is the number {}, which compiled code cannot give as `e.args[0]`: use `str(e)` for its text", n.to_string()));
            return std::ptr::null_mut();
        }
        Argument::Codec => {
            raise(exc, crate::EXC_NOT_IMPLEMENTED_ERROR, "the arguments of a codec's error (`UnicodeError`) are not available in compiled code running outside Python's lock (a `prange` body)");
            return std::ptr::null_mut();
        }
        Argument::Several(count, tuple) => {
            let index = if i < 0 { count + i } else { i } as usize;
            match tuple_items(&tuple.to_string()).and_then(|items| items.into_iter().nth(index)) {
                Some(Item::Text(text)) => text,
                Some(Item::Other(ty)) => {
                    raise_formatted(exc, crate::strings::EXC_TYPE_ERROR, format!("the argument {i} of this exception is a `{ty}`, which compiled code cannot give as `e.args[{i}]` (its items are strings there): use `str(e.args)` for their text"));
                    return std::ptr::null_mut();
                }
                None => {
                    raise(exc, crate::EXC_NOT_IMPLEMENTED_ERROR, "the items of the arguments of this exception (from Python code, not written as literals) are not available in compiled code: use `str(e.args)` for their text");
                    return std::ptr::null_mut();
                }
            }
        }
        Argument::Nothing => unreachable!("checked above"),
    };
    new_string(&text, exc)
}

/// One of an exception's several arguments as the `repr` of their tuple writes it (see
/// `ARGUMENTS_MARK`): a string, or a value of another type, named.
enum Item {
    Text(String),
    Other(&'static str),
}

/// The items of the `repr` of a tuple of strings, numbers, bools and `None` (what
/// `raise E(a, b, ...)` writes); `None` for one written otherwise (several arguments from
/// Python code, whose `repr` need not be a literal).
fn tuple_items(repr: &str) -> Option<Vec<Item>> {
    let inner = repr.strip_prefix('(')?.strip_suffix(')')?;
    let mut chars = inner.chars().peekable();
    let hex = |chars: &mut std::iter::Peekable<std::str::Chars<'_>>, digits: usize| {
        let text: String = (0..digits).filter_map(|_| chars.next()).collect();
        u32::from_str_radix(&text, 16).ok().and_then(char::from_u32)
    };
    let mut items = Vec::new();
    loop {
        while chars.peek() == Some(&' ') {
            chars.next();
        }
        let Some(&first) = chars.peek() else { break };
        if first == '\'' || first == '"' {
            // A string as `repr` writes it: quoted, with its escapes.
            chars.next();
            let mut text = String::new();
            loop {
                match chars.next()? {
                    c if c == first => break,
                    '\\' => text.push(match chars.next()? {
                        'n' => '\n',
                        't' => '\t',
                        'r' => '\r',
                        'x' => hex(&mut chars, 2)?,
                        'u' => hex(&mut chars, 4)?,
                        'U' => hex(&mut chars, 8)?,
                        c @ ('\\' | '\'' | '"') => c,
                        _ => return None,
                    }),
                    c => text.push(c),
                }
            }
            items.push(Item::Text(text));
        } else {
            let mut token = String::new();
            while let Some(&c) = chars.peek() {
                if c == ',' {
                    break;
                }
                token.push(c);
                chars.next();
            }
            let ty = match token.trim() {
                "True" | "False" => "bool",
                "None" => "NoneType",
                t if t.parse::<i128>().is_ok() => "int",
                t if t.parse::<f64>().is_ok() => "float",
                _ => return None,
            };
            items.push(Item::Other(ty));
        }
        while chars.peek() == Some(&' ') {
            chars.next();
        }
        match chars.next() {
            Some(',') => continue,
            None => break,
            Some(_) => return None,
        }
    }
    Some(items)
}

/// `raise X from cause`: raises the exception of class `code` with `text` as its one argument
/// (a negative `code`: without an argument; `code` plus [`RAW_MESSAGE`]: `text` is the whole
/// message, whose own cause the new one replaces), its message starting with the cause
/// `(cause_code, cause_message)` (a `cause_code` of 0: `from None`; see [`CAUSE_MARK`]).
/// Returns 0.
///
/// # Safety
/// `text` and `cause_message` are live strings; `exc` points to the exception info.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_raise_from(code: i64, text: *mut MemInfo, cause_code: i64, cause_message: *mut MemInfo, exc: *mut ExcInfo) -> i64 {
    if code == RAW_MESSAGE {
        // `raise c from ...` where `c` holds `None` (a `__cause__` that is none).
        raise(exc, crate::strings::EXC_TYPE_ERROR, "exceptions must derive from BaseException");
        return 0;
    }
    let (code, message) = if code < 0 {
        ((-code) as u32, String::new())
    } else if code >= RAW_MESSAGE {
        let whole = chars(text).to_string();
        ((code - RAW_MESSAGE) as u32, split_cause(&whole).1.to_string())
    } else {
        (code as u32, format!("{TEXT_ARGUMENT_MARK}{}", chars(text).to_string()))
    };
    // `raise X from c` where `c` holds `None` (a `__cause__` read as none) is `from None`.
    let cause = chars(cause_message).to_string();
    raise_formatted(exc, code, with_cause(cause_code as u32, &cause, &message));
    0
}

/// The message `own` of an exception raised with the cause of class `cause_code` (0: `None`)
/// whose message is `cause_message` (see [`CAUSE_MARK`]).
pub fn with_cause(cause_code: u32, cause_message: &str, own: &str) -> String {
    let cause_message = if cause_code == 0 { "" } else { cause_message };
    format!("{CAUSE_MARK}{cause_code}{CAUSE_MARK}{}{CAUSE_MARK}{cause_message}{own}", cause_message.chars().count())
}

/// The cause an exception's message starts with (see [`CAUSE_MARK`]), its class's code (0:
/// `from None`) and message, and the exception's own message after it; no cause for an
/// exception raised without `from`.
pub fn split_cause(message: &str) -> (Option<(u32, &str)>, &str) {
    let parsed = || {
        let rest = message.strip_prefix(CAUSE_MARK)?;
        let (code, rest) = rest.split_once(CAUSE_MARK)?;
        let (count, rest) = rest.split_once(CAUSE_MARK)?;
        let (code, count) = (code.parse::<u32>().ok()?, count.parse::<usize>().ok()?);
        let end = rest.char_indices().nth(count).map_or(rest.len(), |(i, _)| i);
        Some(((code, &rest[..end]), &rest[end..]))
    };
    match parsed() {
        Some((cause, own)) => (Some(cause), own),
        None => (None, message),
    }
}

/// [`split_cause`] of a message held as a string of compiled code.
fn split_cause_chars(message: Chars<'_>) -> (Option<(u32, Chars<'_>)>, Chars<'_>) {
    let mark = CAUSE_MARK as u32;
    if message.is_empty() || message.at(0) != mark {
        return (None, message);
    }
    let mut at = 1;
    let mut number = || {
        let mut n: u64 = 0;
        while at < message.len() && message.at(at) != mark {
            n = n.saturating_mul(10).saturating_add(message.at(at).saturating_sub('0' as u32) as u64);
            at += 1;
        }
        at += 1;
        n
    };
    let (code, count) = (number(), number() as usize);
    let rest = message.skip(at);
    (Some((code as u32, rest.take(count))), rest.skip(count))
}

/// Raises CPython's `AttributeError` of `attribute` read from `None` (an exception value of
/// code 0: a `__cause__` that is none).
unsafe fn none_has_no(attribute: &str, exc: *mut ExcInfo) {
    raise_formatted(exc, crate::EXC_ATTRIBUTE_ERROR, format!("'NoneType' object has no attribute '{attribute}'"));
}

/// Of the exception of class `code` whose message is `message`: with `what`
/// [`CAUSE_CODE`], its cause's class code (0, `None`, for an exception raised without
/// `from` or `from None`); with [`SUPPRESS_CONTEXT`], 1 when it was raised with `from` (its
/// `__suppress_context__`), else 0. `AttributeError` for `None` itself (code 0).
///
/// # Safety
/// `message` is a live string; `exc` points to the exception info.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_exc_cause_code(code: i64, message: *mut MemInfo, what: i64, exc: *mut ExcInfo) -> i64 {
    if code == 0 {
        none_has_no(if what == SUPPRESS_CONTEXT { "__suppress_context__" } else { "__cause__" }, exc);
        return 0;
    }
    let cause = split_cause_chars(chars(message)).0;
    match what {
        SUPPRESS_CONTEXT => cause.is_some() as i64,
        CAUSE_CODE => cause.map_or(0, |(cause, _)| cause as i64),
        _ => 0,
    }
}

/// The message of `e.__cause__` (see [`ferrojit_rt_exc_cause_code`]), marks included, as a
/// new string: empty without a cause (and for `None` itself, whose `__cause__` the code
/// call refuses).
///
/// # Safety
/// `message` is a live string; `exc` points to the exception info.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_exc_cause_message(code: i64, message: *mut MemInfo, exc: *mut ExcInfo) -> *mut MemInfo {
    if code == 0 {
        return new_string("", exc);
    }
    let cause = split_cause_chars(chars(message)).0.map(|(_, m)| m.to_string()).unwrap_or_default();
    new_string(&cause, exc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn causes_are_read_back_as_written() {
        let inner = with_cause(2, "\u{1}deep é", "\u{1}middle");
        let outer = with_cause(6, &inner, "\u{1}top");
        let (cause, own) = split_cause(&outer);
        assert_eq!(own, "\u{1}top");
        assert_eq!(cause, Some((6, inner.as_str())));
        assert_eq!(split_cause(&inner), (Some((2, "\u{1}deep é")), "\u{1}middle"));
        assert_eq!(split_cause("\u{1}plain"), (None, "\u{1}plain"));
        assert_eq!(split_cause(&with_cause(0, "ignored", "x")), (Some((0, "")), "x"));
    }

    #[test]
    fn items_of_a_tuple_repr() {
        let texts = |repr: &str| tuple_items(repr).map(|items| items.into_iter().map(|i| match i {
            Item::Text(t) => format!("str {t}"),
            Item::Other(ty) => ty.to_string(),
        }).collect::<Vec<_>>());
        assert_eq!(texts("('bad', 3, 2.5, True, None, -1e+100)"), Some(vec!["str bad".into(), "int".into(), "float".into(), "bool".into(), "NoneType".into(), "float".into()]));
        assert_eq!(texts(r#"("it's", 'a, b', '\n\\\'\xe9\u20ac')"#), Some(vec!["str it's".into(), "str a, b".into(), "str \n\\'é€".into()]));
        assert_eq!(texts("(<object at 0x1>, 'a')"), None);
    }
}
