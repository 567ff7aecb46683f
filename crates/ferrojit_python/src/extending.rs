//! The native half of `ferrojit.extending`: the registry of callables implemented in Python,
//! and the exchange by which their typing functions, which are Python code, run between
//! compilation attempts rather than inside one (see `ferrojit_infer::overloads`).
//!
//! A compilation that meets calls with no recorded resolution raises `NeedsOverloads` with
//! one `(token, kind, target, argument type names, keyword (name, type name) pairs)` tuple per
//! call (type names as Numba spells them, literals included: `Literal[int](0)`, `class(float32)`); the Python caller runs the typing functions and answers each token with
//! `resolve_overload`, then compiles again.

use crate::dispatcher::DispatcherBase;
use ferrojit_compiler::{overloads, OverloadRequest, OverloadTarget, Resolution};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};
use std::collections::HashMap;
use std::sync::Mutex;

pyo3::create_exception!(_native, NeedsOverloads, pyo3::exceptions::PyException, "Raised by a compilation that needs typing functions to run first (internal).");

/// Requests handed to Python and not answered yet, by token.
static WANTED: Mutex<Option<HashMap<u64, OverloadRequest>>> = Mutex::new(None);

fn next_token() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// The `NeedsOverloads` exception for `requests`.
pub fn needs_overloads(py: Python<'_>, requests: &[OverloadRequest]) -> PyErr {
    let build = || -> PyResult<Bound<'_, PyList>> {
        let list = PyList::empty(py);
        let mut wanted = WANTED.lock().unwrap_or_else(|p| p.into_inner());
        let wanted = wanted.get_or_insert_with(HashMap::new);
        for request in requests {
            let token = next_token();
            let (kind, target): (&str, Bound<'_, PyAny>) = match &request.target {
                OverloadTarget::Function(key) => ("function", key.into_pyobject(py)?.into_any()),
                OverloadTarget::Method(name) => ("method", name.into_pyobject(py)?.into_any()),
                OverloadTarget::Attribute(name) => ("attribute", name.into_pyobject(py)?.into_any()),
            };
            let args = PyList::new(py, request.args.iter().map(|t| t.to_string()))?;
            let keywords = PyList::new(py, request.keywords.iter().map(|(k, t)| (k.as_str(), t.to_string())))?;
            let caller_parallel = pyo3::types::PyBool::new(py, request.caller_parallel).to_owned().into_any();
            list.append(PyTuple::new(py, [token.into_pyobject(py)?.into_any(), kind.into_pyobject(py)?.into_any(), target, args.into_any(), keywords.into_any(), caller_parallel])?)?;
            wanted.insert(token, request.clone());
        }
        Ok(list)
    };
    match build() {
        Ok(list) => NeedsOverloads::new_err((list.unbind(),)),
        Err(e) => e,
    }
}

/// `register_overload(key, func, qualified, display)`: `func` (kept alive by the caller) is
/// implemented by the typing functions registered under `key`; `qualified` is the
/// module-qualified name by which compiled code may also reach it (`numpy.linspace`), or None.
#[pyfunction]
pub fn register_overload(key: u64, func: &Bound<'_, PyAny>, qualified: Option<String>, display: String) {
    overloads::register_function(key, func.as_ptr() as usize, qualified, display);
}

/// `typing_added(key, sees_caller_parallel=False)`: a typing function was added to the
/// overloaded callable `key`; answers recorded without an implementation are asked again. With
/// `sees_caller_parallel`, calls from functions compiled with `parallel=True` are requests of
/// their own, whose tuples say so.
#[pyfunction]
#[pyo3(signature = (key, sees_caller_parallel=false))]
pub fn typing_added(key: u64, sees_caller_parallel: bool) {
    overloads::typing_added(key, sees_caller_parallel);
}

/// `register_overload_method(name, sees_caller_parallel=False)`: some type has a method
/// `name` implemented in Python (see `typing_added` for `sees_caller_parallel`).
#[pyfunction]
#[pyo3(signature = (name, sees_caller_parallel=false))]
pub fn register_overload_method(name: &str, sees_caller_parallel: bool) {
    overloads::register_method(name, sees_caller_parallel);
}

/// `register_overload_attribute(name)`: some type has an attribute `name` implemented in Python.
#[pyfunction]
pub fn register_overload_attribute(name: &str) {
    overloads::register_attribute(name);
}

/// `resolve_overload(token, implementation, why, bad_call, literal, refused, hint, unsupported)`:
/// the answer to a request raised with `NeedsOverloads`: the dispatcher of the implementation
/// to compile (its source already read), or None with the reason no typing function accepted
/// the types; with `bad_call`, the reason is that the arguments do not fit the parameters, and
/// `why` is the whole message. `literal`: the typing function accepted the literal argument
/// types (not their plain types), so the implementation sees literal arguments as constants.
/// `refused`: a typing function of ferrojit's library refused the call, and `why` (with
/// `hint`) is the whole error, an `UnsupportedError` when `unsupported`, else a `TypingError`.
/// `any_layout`: the typing function was given array arguments as layout `A` (see
/// `Resolution::Implementation`).
#[pyfunction]
#[pyo3(signature = (token, implementation, why, bad_call=false, literal=false, refused=false, hint=None, unsupported=false, any_layout=false))]
#[allow(clippy::too_many_arguments)]
pub fn resolve_overload(
    py: Python<'_>,
    token: u64,
    implementation: Option<&Bound<'_, DispatcherBase>>,
    why: String,
    bad_call: bool,
    literal: bool,
    refused: bool,
    hint: Option<String>,
    unsupported: bool,
    any_layout: bool,
) -> PyResult<()> {
    let request = WANTED.lock().unwrap_or_else(|p| p.into_inner()).as_mut().and_then(|w| w.remove(&token));
    let Some(request) = request else {
        return Err(pyo3::exceptions::PyKeyError::new_err(format!("no overload request {token}")));
    };
    let resolution = match implementation {
        Some(d) => Resolution::Implementation { function: d.get().function_source(py)?, literal, any_layout },
        None if refused => Resolution::Refused { message: why, hint, unsupported },
        None if bad_call => Resolution::BadCall(why),
        None => Resolution::NoMatch(why),
    };
    overloads::record(request, resolution);
    Ok(())
}
