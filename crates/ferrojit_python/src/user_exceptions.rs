//! Exception classes defined in Python code (subclasses of the built-in exceptions, at module
//! level), which compiled code raises and catches by a code of their own (from
//! `ferrojit_runtime::USER_EXCEPTION_BASE`): the class objects by code, for the exceptions that
//! reach Python, and the classes each derives from, for the runtime's checks in `except`
//! clauses. A class keeps its code for the life of the process.

use ferrojit_compiler::runtime::USER_EXCEPTION_BASE;
use ferrojit_compiler::ExcKind;
use ferrojit_compiler::runtime::exceptions::{Answer, Query};
use ferrojit_types::exception_values::{TEXT_REPR, TEXT_STR};
use pyo3::prelude::*;
use pyo3::types::PyType;
use std::sync::Mutex;

/// The registered classes, in the order of their codes.
static CLASSES: Mutex<Vec<Py<PyType>>> = Mutex::new(Vec::new());

/// The `ExcKind` a class is, when it is one of the built-in classes compiled code knows.
pub fn builtin_kind(class: &Bound<'_, PyType>) -> Option<ExcKind> {
    let module = class.module().map(|m| m.to_string()).unwrap_or_default();
    let kind = class.name().ok().and_then(|n| ExcKind::from_name(&n.to_string()))?;
    (kind.module() == module).then_some(kind)
}

/// Whether `class` is one of Python's own classes (or NumPy's that compiled code knows), not
/// one defined in Python code.
fn is_builtin_class(class: &Bound<'_, PyType>) -> bool {
    builtin_kind(class).is_some() || class.module().map(|m| m.to_string()).unwrap_or_default() == "builtins"
}

/// The code of the exception class `class` (registered on first use), or `None` when it is not
/// an exception class defined in Python code.
pub fn code_of(class: &Bound<'_, PyType>) -> Option<u32> {
    if !class.is_subclass_of::<pyo3::exceptions::PyBaseException>().unwrap_or(false) || is_builtin_class(class) {
        return None;
    }
    let py = class.py();
    let find = |classes: &[Py<PyType>]| classes.iter().position(|c| c.bind(py).is(class));
    if let Some(i) = find(&CLASSES.lock().unwrap_or_else(|p| p.into_inner())) {
        return Some(USER_EXCEPTION_BASE + i as u32);
    }
    // The classes it derives from that compiled code knows: built-in ones and other classes
    // of Python code (registered first).
    let mut bases = Vec::new();
    for base in class.mro().iter().skip(1) {
        let Ok(base) = base.cast_into::<PyType>() else { continue };
        if let Some(kind) = builtin_kind(&base) {
            bases.push(kind.code());
        } else if let Some(code) = code_of(&base) {
            bases.push(code);
        }
    }
    let mut classes = CLASSES.lock().unwrap_or_else(|p| p.into_inner());
    // Registered meanwhile (by a base's registration, on another thread)?
    if let Some(i) = find(&classes) {
        return Some(USER_EXCEPTION_BASE + i as u32);
    }
    let code = ferrojit_compiler::runtime::register_user_exception(bases);
    debug_assert_eq!(code, USER_EXCEPTION_BASE + classes.len() as u32);
    // For `repr(e)` in compiled code.
    if let Ok(name) = class.name() {
        ferrojit_compiler::runtime::exceptions::register_exception_name(code, &name.to_string());
    }
    if writes_own_text(class) {
        ferrojit_compiler::runtime::exceptions::register_own_text(code);
    }
    classes.push(class.clone().unbind());
    Some(code)
}

/// The class of the code `code` of a user exception class.
pub fn class_of<'py>(py: Python<'py>, code: u32) -> Option<Bound<'py, PyType>> {
    let index = code.checked_sub(USER_EXCEPTION_BASE)? as usize;
    CLASSES.lock().unwrap_or_else(|p| p.into_inner()).get(index).map(|c| c.bind(py).clone())
}

/// A Python exception as compiled code holds one (`Type::Exception`, an exception raised into
/// it): the code of its class, or of its nearest base that compiled code knows
/// (`BaseException` at worst), and its argument as the runtime's marks write it (see
/// `ferrojit_runtime::TEXT_ARGUMENT_MARK`): none, its one string, or its text; after its
/// cause, when it has one or suppresses its context (see `ferrojit_runtime::CAUSE_MARK`).
pub fn encode(value: &Bound<'_, pyo3::exceptions::PyBaseException>) -> (u32, String) {
    encode_within(value, CAUSES_KEPT)
}

/// How many causes of causes an exception entering compiled code keeps (a chain of causes can
/// be a cycle).
const CAUSES_KEPT: usize = 32;

/// [`encode`], keeping `depth` causes.
fn encode_within(value: &Bound<'_, pyo3::exceptions::PyBaseException>, depth: usize) -> (u32, String) {
    let (code, message) = encode_without_cause(value);
    let cause = value.getattr("__cause__").ok().and_then(|c| c.cast_into::<pyo3::exceptions::PyBaseException>().ok());
    match cause {
        Some(cause) if depth > 0 => {
            let (cause_code, cause_message) = encode_within(&cause, depth - 1);
            (code, ferrojit_compiler::runtime::exceptions::with_cause(cause_code, &cause_message, &message))
        }
        _ if value.getattr("__suppress_context__").is_ok_and(|s| s.is_truthy().unwrap_or(false)) => (code, ferrojit_compiler::runtime::exceptions::with_cause(0, "", &message)),
        _ => (code, message),
    }
}

/// [`encode`] without the cause.
fn encode_without_cause(value: &Bound<'_, pyo3::exceptions::PyBaseException>) -> (u32, String) {
    let class = value.get_type();
    let code = class
        .mro()
        .iter()
        .filter_map(|base| base.cast_into::<PyType>().ok())
        .find_map(|base| builtin_kind(&base).map(ExcKind::code).or_else(|| code_of(&base)))
        .unwrap_or(ExcKind::BaseException.code());
    let args = value.getattr("args").ok().and_then(|a| a.cast_into::<pyo3::types::PyTuple>().ok());
    let text = |v: &Bound<'_, pyo3::exceptions::PyBaseException>| v.str().map(|s| s.to_string()).unwrap_or_default();
    let message = match args.as_ref().map(|a| a.len()) {
        Some(0) => String::new(),
        Some(1) => match args.as_ref().and_then(|a| a.get_item(0).ok()).and_then(|a| a.cast_into::<pyo3::types::PyString>().ok()) {
            Some(arg) => format!("{}{arg}", ferrojit_compiler::runtime::TEXT_ARGUMENT_MARK),
            None => format!("{}{}", ferrojit_compiler::runtime::TEXT_ARGUMENT_MARK, text(value)),
        },
        // Several: their count and the `repr` of their tuple, which the dispatcher reads back
        // when the exception leaves compiled code again (see `ARGUMENTS_MARK`).
        Some(count) => match args.as_ref().and_then(|a| a.repr().ok()) {
            Some(tuple) => {
                let mark = ferrojit_compiler::runtime::ARGUMENTS_MARK;
                format!("{}{mark}{count}{mark}{tuple}", ferrojit_compiler::runtime::TEXT_ARGUMENT_MARK)
            }
            None => format!("{}{}", ferrojit_compiler::runtime::TEXT_ARGUMENT_MARK, text(value)),
        },
        None => format!("{}{}", ferrojit_compiler::runtime::TEXT_ARGUMENT_MARK, text(value)),
    };
    (code, message)
}

/// Whether the class, or a base of it defined in Python code, defines `__str__`, `__repr__`,
/// `__init__` or `__new__`: then only Python can tell its instances' text and arguments.
fn writes_own_text(class: &Bound<'_, PyType>) -> bool {
    class.mro().iter().filter_map(|base| base.cast_into::<PyType>().ok()).filter(|base| !is_builtin_class(base)).any(|base| {
        base.getattr("__dict__").is_ok_and(|d| ["__str__", "__repr__", "__init__", "__new__"].iter().any(|name| d.contains(*name).unwrap_or(false)))
    })
}

/// The runtime's hook (`ferrojit_runtime::exceptions::PythonExceptionHook`): the exception made
/// in Python (the very object, when an object mode block raised it), asked for its text or
/// arguments. Only on a thread that holds the GIL (a compiled function called from Python):
/// elsewhere the runtime answers from the message.
pub(crate) fn python_exception_query(code: u32, message: &str, query: Query) -> Option<Answer> {
    // SAFETY: a plain query of the interpreter's state.
    if unsafe { pyo3::ffi::PyGILState_Check() } == 0 {
        return None;
    }
    Python::attach(|py| {
        let instance = match crate::objmode::raised_object(py, code, message) {
            Some(object) => object.into_bound(py),
            None => {
                let info = ferrojit_compiler::runtime::ExcInfo { kind: code, msg: message.as_ptr(), len: message.len() };
                crate::dispatcher::exception_without_cause(py, &info).into_value(py).into_bound(py).into_any()
            }
        };
        let args = || instance.getattr("args").and_then(|a| a.cast_into::<pyo3::types::PyTuple>().map_err(PyErr::from));
        let answer = match query {
            Query::Text(TEXT_STR) => instance.str().map(|s| Answer::Text(s.to_string())),
            Query::Text(TEXT_REPR) => instance.repr().map(|s| Answer::Text(s.to_string())),
            Query::Text(_) => args().and_then(|a| a.repr()).map(|s| Answer::Text(s.to_string())),
            Query::ArgCount => args().map(|a| Answer::Count(a.len() as i64)),
            Query::Arg(i) => args().and_then(|a| a.as_any().get_item(i)).and_then(|item| match item.cast_into::<pyo3::types::PyString>() {
                Ok(text) => Ok(Answer::Text(text.to_string())),
                Err(item) => Err(pyo3::exceptions::PyTypeError::new_err(format!(
                    "the argument {i} of this exception is a `{}`, which compiled code cannot give as `e.args[{i}]`: use `str(e)` for its text",
                    item.into_inner().get_type().name().map(|n| n.to_string()).unwrap_or_default()
                ))),
            }),
        };
        Some(answer.unwrap_or_else(|e| {
            let (code, message) = encode(e.value(py));
            Answer::Raised(code, message)
        }))
    })
}
