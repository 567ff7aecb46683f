//! Object mode blocks (`with objmode(x='float64[:]'):`, Numba's API): the block's body becomes a
//! Python function of the compiled function's module, taking the variables it reads and
//! returning the outputs declared; compiled code calls it through the runtime's hook
//! (`ferrojit_runtime::objmode`), with its arguments boxed as the dispatcher boxes results,
//! and takes back the outputs converted to their declared types as the dispatcher converts
//! arguments for a declared signature. An exception the block raises travels through compiled
//! code as the built-in or own exception class it is an instance of, and reaches Python as the
//! very exception object (see [`original_exception`]).

use crate::values;
use ferrojit_compiler::runtime::memory::{ferrojit_rt_incref, MemInfo};
use ferrojit_compiler::runtime::ExcInfo;
use ferrojit_compiler::Type;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PyTuple};
use std::cell::RefCell;
use std::sync::Mutex;

/// A block as compiled code calls it.
struct Block {
    function: Py<PyAny>,
    args: Vec<Type>,
    outputs: Vec<(String, Type)>,
}

/// Every block compiled in this process, by handle (never removed: compiled code may call any
/// of them as long as the process lives).
static BLOCKS: Mutex<Vec<Block>> = Mutex::new(Vec::new());

thread_local! {
    /// The exception a block raised, with the code and message it travels through compiled
    /// code as: when that reaches Python unchanged, Python gets this object back.
    static RAISED: RefCell<Option<(u32, String, PyErr)>> = const { RefCell::new(None) };
}

pub(crate) fn install() {
    ferrojit_compiler::runtime::objmode::set_call_python_hook(call_block);
}

/// Makes the Python function of a block: `body` (its lines, starting on line `first_line` of
/// `filename`) under a `def` taking `args`, returning the tuple of `outputs`; compiled in the
/// module `globals`, so that its line numbers and globals are the user's. Returns its handle.
pub(crate) fn register(globals: &Py<PyDict>, filename: &str, first_line: u32, body: &str, args: &[(String, Type)], outputs: &[(String, Type)]) -> Result<u64, String> {
    Python::attach(|py| {
        let indent = body.lines().filter(|l| !l.trim().is_empty()).map(|l| l.len() - l.trim_start().len()).min().unwrap_or(0);
        let mut source = "\n".repeat(first_line.saturating_sub(2) as usize);
        let names: Vec<&str> = args.iter().map(|(n, _)| n.as_str()).collect();
        source.push_str(&format!("def objmode_block({}):\n", names.join(", ")));
        for line in body.lines() {
            source.push_str("    ");
            source.push_str(line.get(indent..).unwrap_or(line.trim_start()));
            source.push('\n');
        }
        let returned: Vec<&str> = outputs.iter().map(|(n, _)| n.as_str()).collect();
        source.push_str(&format!("    return ({}{})\n", returned.join(", "), if returned.len() == 1 { "," } else { "" }));
        let function = (|| -> PyResult<Py<PyAny>> {
            let filename = PyString::new(py, filename);
            let module = crate::compile_on_deep_stack(py, &source, &filename, 0)?;
            let code = module.bind(py).getattr("co_consts")?.try_iter()?.find_map(|c| c.ok().filter(|c| c.hasattr("co_code").unwrap_or(false)));
            let code = code.ok_or_else(|| pyo3::exceptions::PyRuntimeError::new_err("the block compiled to no function"))?;
            let function_type = crate::globals::loaded_module(py, "types").ok_or_else(|| pyo3::exceptions::PyRuntimeError::new_err("the `types` module is not loaded"))?.getattr("FunctionType")?;
            Ok(function_type.call1((code, globals.bind(py)))?.unbind())
        })()
        .map_err(|e| format!("the block does not compile as Python: {e}"))?;
        let mut blocks = BLOCKS.lock().unwrap_or_else(|p| p.into_inner());
        blocks.push(Block { function, args: args.iter().map(|(_, t)| t.clone()).collect(), outputs: outputs.to_vec() });
        Ok(blocks.len() as u64 - 1)
    })
}

/// The runtime's hook (see `ferrojit_runtime::objmode::CallPythonHook`).
unsafe fn call_block(handle: u64, args: *const u64, results: *mut u64, exc: *mut ExcInfo) -> i32 {
    Python::attach(|py| {
        let (function, arg_types, outputs) = {
            let blocks = BLOCKS.lock().unwrap_or_else(|p| p.into_inner());
            let Some(block) = blocks.get(handle as usize) else {
                return raise_error(py, crate::error_class(py, "InternalError", "compiled code called an unknown object mode block"), exc);
            };
            (block.function.clone_ref(py), block.args.clone(), block.outputs.clone())
        };
        let count: usize = arg_types.iter().map(|t| t.leaves().len()).sum();
        // SAFETY: compiled code wrote the slots of these types.
        let slots = unsafe { std::slice::from_raw_parts(args, count) };
        let mut values = Vec::with_capacity(arg_types.len());
        let mut at = 0;
        for ty in &arg_types {
            // Boxing takes over a reference: the arguments are borrowed, so take one each.
            for leaf in ty.meminfo_leaves() {
                // SAFETY: a meminfo slot of a live value (null or tagged ones are skipped).
                unsafe { ferrojit_rt_incref(slots[at + leaf] as *mut MemInfo) };
            }
            match values::unpack(py, ty, slots, &mut at) {
                Ok(v) => values.push(v),
                Err(e) => return raise_error(py, e, exc),
            }
        }
        let result = match PyTuple::new(py, values).and_then(|args| function.bind(py).call1(args)) {
            Ok(r) => r,
            Err(e) => return raise_error(py, e, exc),
        };
        let result_type = Type::Tuple(outputs.iter().map(|(_, t)| t.clone()).collect());
        // SAFETY: compiled code made room for the slots of the outputs' tuple.
        let out = unsafe { std::slice::from_raw_parts_mut(results, result_type.leaves().len()) };
        let Ok(items) = result.cast::<PyTuple>() else {
            return raise_error(py, crate::error_class(py, "InternalError", "an object mode block returned no tuple"), exc);
        };
        let mut at = 0;
        for (k, ((name, ty), value)) in outputs.iter().zip(items.iter()).enumerate() {
            if !values::pack_converting(&value, ty, out, &mut at) {
                // The outputs packed so far hold references of their own.
                let mut from = 0;
                outputs[..k].iter().for_each(|(_, t)| crate::lists::release_packed(t, out, &mut from));
                let given = value.get_type().name().map(|n| n.to_string()).unwrap_or_default();
                let message = format!("the object mode block gives `{name}` a `{given}` ({}), which does not convert to its declared type `{ty}`", short_repr(&value));
                return raise_error(py, pyo3::exceptions::PyTypeError::new_err(message), exc);
            }
        }
        // The arrays came borrowed from Python objects that die now: compiled code owns them.
        values::own_packed_arrays(&result_type.meminfo_leaves(), out);
        0
    })
}

fn short_repr(value: &Bound<'_, PyAny>) -> String {
    let text = value.repr().map(|r| r.to_string()).unwrap_or_default();
    if text.chars().count() > 60 {
        format!("{}...", text.chars().take(57).collect::<String>())
    } else {
        text
    }
}

/// Puts the Python exception `err` into `exc` as the class compiled code knows that it is an
/// instance of (its own class, when compiled code can raise that; else the nearest base that
/// it can) with its argument, keeps `err` for the dispatcher (see [`original_exception`]), and
/// returns the exception status.
fn raise_error(py: Python<'_>, err: PyErr, exc: *mut ExcInfo) -> i32 {
    let (code, message) = crate::user_exceptions::encode(err.value(py));
    // SAFETY: `exc` points to the exception info of the compiled code that called the block.
    unsafe { ferrojit_compiler::runtime::exceptions::raise_message(exc, code, message.clone()) };
    keep_original(code, message, err);
    ferrojit_compiler::runtime::STATUS_EXCEPTION
}

/// Keeps the Python exception `err`, which travels through compiled code as the exception of
/// class `code` with `message`: when that reaches Python unchanged, Python gets `err` back
/// (see [`original_exception`]).
pub(crate) fn keep_original(code: u32, message: String, err: PyErr) {
    RAISED.with(|r| *r.borrow_mut() = Some((code, message, err)));
}

/// The exception object an object mode block raised when the exception of class `code` and
/// message `message` is that one (kept: see [`original_exception`]).
pub(crate) fn raised_object(py: Python<'_>, code: u32, message: &str) -> Option<Py<PyAny>> {
    RAISED.with(|r| r.borrow().as_ref().filter(|kept| kept.0 == code && kept.1 == message).map(|kept| kept.2.value(py).clone().into_any().unbind()))
}

/// The exception object an object mode block raised, when the exception `exc` that compiled
/// code raised is that one, carried through unchanged: Python then gets the very object back
/// (its class, arguments, attributes and traceback). Clears what was kept either way.
pub(crate) fn original_exception(exc: &ExcInfo) -> Option<PyErr> {
    let kept = RAISED.with(|r| r.borrow_mut().take())?;
    // SAFETY: messages point into the compiled module's constants or the runtime's buffers.
    let message = unsafe { exc.message() };
    (kept.0 == exc.kind && kept.1 == message).then_some(kept.2)
}
