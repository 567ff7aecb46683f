//! Object mode blocks (`with objmode(...)`): compiled code calls back into Python to run a
//! block as ordinary Python code. The binding crate, which holds the blocks as Python
//! functions, installs the hook ([`set_call_python_hook`]); compiled code calls
//! [`ferrojit_rt_call_python`] with the block's handle and its arguments and results laid out
//! as `ferrojit_types::Type::leaves` slots, as the dispatcher lays out a call's.

use crate::ExcInfo;
use std::sync::OnceLock;

/// Runs block `handle` on the arguments in `args` (borrowed: the hook takes its own references
/// to what it keeps), writes its results into `results` (new references, owned by the caller),
/// and returns 0; on an exception fills `exc` and returns `STATUS_EXCEPTION`, `results`
/// untouched.
pub type CallPythonHook = unsafe fn(handle: u64, args: *const u64, results: *mut u64, exc: *mut ExcInfo) -> i32;

static HOOK: OnceLock<CallPythonHook> = OnceLock::new();

pub fn set_call_python_hook(hook: CallPythonHook) {
    let _ = HOOK.set(hook);
}

/// See [`CallPythonHook`].
///
/// # Safety
/// `args` and `results` hold the slots of the block's argument and result types; `exc` points
/// to the exception info.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_call_python(handle: i64, args: *const u64, results: *mut u64, exc: *mut ExcInfo) -> i32 {
    match HOOK.get() {
        Some(hook) => hook(handle as u64, args, results, exc),
        None => {
            crate::raise(exc, crate::EXC_RUNTIME_ERROR, "object mode is not available: no Python interpreter is attached");
            crate::STATUS_EXCEPTION
        }
    }
}
