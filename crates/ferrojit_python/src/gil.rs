//! Releasing the GIL around native code and taking it back, in a way that survives the
//! interpreter's exit.
//!
//! While CPython (up to 3.13) finalizes, any thread but the exiting one that takes the GIL
//! (a daemon thread, typically) is ended inside `PyEval_RestoreThread` by `pthread_exit`,
//! which unwinds the thread's stack with a *forced* unwind. On its way up that unwind must meet
//! no `catch_unwind` (ours, or the one PyO3 puts around every `#[pymethods]` function: Rust
//! catches the foreign exception and deletes it, and glibc aborts the process with "FATAL:
//! exception not rethrown") and no `extern "C"` Rust frame (which aborts on any unwind).
//!
//! Hence the rule for every place that releases the GIL: the release and the retake happen in
//! an `extern "C-unwind"` entry point called by CPython (or in plain Rust functions it calls),
//! with no panic guard on the stack between it and CPython and no value with a destructor alive
//! across the retake (raw pointers and plain data only: running Rust destructors while the
//! thread is being torn down without the GIL would touch Python objects). The work that may
//! panic runs in [`guarded`] sections before the release and after the retake.
//!
//! In addition, a thread that sees the finalization under way parks for ever instead of taking
//! the GIL, which is what CPython 3.14 does itself. That check alone is racy (finalization may
//! start just after it); the frame layout above is what makes losing the race harmless.

use pyo3::ffi;
use pyo3::prelude::*;
use std::cell::Cell;
use std::ffi::{c_char, c_int, c_void};
use std::sync::OnceLock;

thread_local! {
    /// Set on the thread that runs the `atexit` callbacks, which is the thread that finalizes
    /// the interpreter: CPython never ends it, so it always takes the GIL back.
    static FINALIZING_THREAD: Cell<bool> = const { Cell::new(false) };
}

/// Registered with `atexit` at import: marks the calling thread as the one finalizing the
/// interpreter (see [`restore_thread`]).
#[pyfunction]
pub fn mark_finalizing_thread() {
    FINALIZING_THREAD.with(|t| t.set(true));
}

type IsFinalizing = unsafe extern "C" fn() -> c_int;

extern "C" {
    fn dlsym(handle: *mut c_void, symbol: *const c_char) -> *mut c_void;
}

/// `Py_IsFinalizing` (CPython 3.13 and later) or `_Py_IsFinalizing` (3.10 to 3.12), looked up
/// at run time since each version has only one of them. Both read a flag without the GIL.
fn is_finalizing_function() -> Option<IsFinalizing> {
    static FUNCTION: OnceLock<Option<IsFinalizing>> = OnceLock::new();
    *FUNCTION.get_or_init(|| interpreter_function(&[c"Py_IsFinalizing", c"_Py_IsFinalizing"]))
}

/// `_PyOS_IsMainThread` (CPython 3.8 and later; needs the GIL): whether this is the thread the
/// interpreter started on, which finalization never ends. Looked up as `_Py_IsFinalizing` is.
fn is_main_thread_function() -> Option<IsFinalizing> {
    static FUNCTION: OnceLock<Option<IsFinalizing>> = OnceLock::new();
    *FUNCTION.get_or_init(|| interpreter_function(&[c"_PyOS_IsMainThread"]))
}

/// The first of `names` the interpreter exports, as a function taking nothing and returning an
/// int.
fn interpreter_function(names: &[&std::ffi::CStr]) -> Option<IsFinalizing> {
    // glibc's RTLD_DEFAULT: search the process's global symbols, where the interpreter's are.
    let rtld_default = std::ptr::null_mut();
    names.iter().find_map(|name| {
        // SAFETY: a symbol lookup by name; the functions named take nothing and return an int.
        let address = unsafe { dlsym(rtld_default, name.as_ptr()) };
        (!address.is_null()).then(|| unsafe { std::mem::transmute::<*mut c_void, IsFinalizing>(address) })
    })
}

/// Looks the interpreter's functions up now, at import, rather than first at exit.
pub fn init() {
    is_finalizing_function();
    is_main_thread_function();
}

/// Whether taking the GIL now would end this thread: the interpreter is finalizing and this is
/// not the thread doing it.
pub(crate) fn would_be_ended() -> bool {
    // SAFETY: the function reads the runtime's finalizing flag; callable without the GIL.
    is_finalizing_function().is_some_and(|f| unsafe { f() } != 0) && !FINALIZING_THREAD.with(Cell::get)
}

fn park_forever() -> ! {
    loop {
        std::thread::park();
    }
}

/// Takes the GIL back after `PyEval_SaveThread`, or parks this thread for ever when the
/// interpreter is finalizing (see the module documentation).
///
/// # Safety
/// `tstate` comes from `PyEval_SaveThread` on this thread. Every frame between this call and
/// CPython is unguarded and unwindable (`extern "C-unwind"` entry points, no `catch_unwind`)
/// and holds no value with a destructor across this call.
#[inline]
pub unsafe fn restore_thread(tstate: *mut ffi::PyThreadState) {
    if would_be_ended() {
        park_forever();
    }
    // SAFETY: as the caller promises.
    unsafe { ffi::PyEval_RestoreThread(tstate) };
}

/// `PyGILState_Ensure` for callbacks from native code that may or may not hold the GIL,
/// parking the thread for ever instead of taking the GIL while the interpreter is finalizing.
/// (Compiled code's frames cannot be unwound, so this check is all that stands between such a
/// callback and an abort at exit: the dispatcher avoids the case, see `PENDING_OUTPUT`.)
pub fn ensure_gil() -> ffi::PyGILState_STATE {
    // SAFETY: both are callable from any thread of an initialized interpreter.
    unsafe {
        if ffi::PyGILState_Check() == 0 && would_be_ended() {
            park_forever();
        }
        ffi::PyGILState_Ensure()
    }
}

thread_local! {
    /// Set while this thread runs compiled code of a `nogil=True` call, without the GIL.
    static IN_NOGIL_CALL: Cell<bool> = const { Cell::new(false) };
    /// Set while this thread runs compiled code of a call holding the GIL (see
    /// [`run_holding_gil`]).
    static IN_GIL_CALL: Cell<bool> = const { Cell::new(false) };
}

/// Whether this thread runs compiled code of a `nogil=True` call (see [`run_without_gil`]).
pub fn in_nogil_call() -> bool {
    IN_NOGIL_CALL.with(Cell::get)
}

/// Whether output of compiled `print()` must wait until the dispatcher's call returns, rather
/// than be written now: writing may release and retake the GIL, and a thread that retakes it
/// while the interpreter exits is ended there, through compiled frames that cannot be unwound.
/// That is every `nogil=True` call, and every call on a thread other than the main one (only
/// those can be daemon threads); the main thread's output is written at once.
pub fn output_must_wait() -> bool {
    in_nogil_call()
        // SAFETY: a call holding the GIL is running on this thread, so the GIL is held.
        || (IN_GIL_CALL.with(Cell::get) && !is_main_thread_function().is_some_and(|f| unsafe { f() } != 0))
}

/// Runs compiled code holding the GIL, marked so that `print()` inside knows (see
/// [`output_must_wait`]); the mark nests.
#[inline]
pub fn run_holding_gil<T>(native: impl FnOnce() -> T) -> T {
    let outer = IN_GIL_CALL.with(|c| c.replace(true));
    let result = native();
    IN_GIL_CALL.with(|c| c.set(outer));
    result
}

/// Runs `native` with the GIL released, then takes it back (see [`restore_thread`]).
///
/// # Safety
/// The GIL is held; the caller's frames follow the rules of [`restore_thread`], and so does
/// `native`, which captures plain data only.
#[inline]
pub unsafe fn run_without_gil<T>(native: impl FnOnce() -> T) -> T {
    unsafe {
        let tstate = ffi::PyEval_SaveThread();
        IN_NOGIL_CALL.with(|c| c.set(true));
        let result = native();
        IN_NOGIL_CALL.with(|c| c.set(false));
        restore_thread(tstate);
        result
    }
}

/// Runs `f` (with the GIL held), turning a panic into a pending `InternalError`: `Err` then
/// carries the null result to return to CPython. Never release or retake the GIL inside.
pub fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, *mut ffi::PyObject> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|_| {
        // SAFETY: the GIL is held, as around the call to `f`.
        let py = unsafe { Python::assume_attached() };
        crate::error_class(py, "InternalError", "a panic in the dispatcher (a bug in ferrojit)").restore(py);
        std::ptr::null_mut()
    })
}

/// A module function on CPython's `METH_FASTCALL` convention: `(module, args, nargs)`.
pub type RawFunction = unsafe extern "C-unwind" fn(*mut ffi::PyObject, *const *mut ffi::PyObject, ffi::Py_ssize_t) -> *mut ffi::PyObject;

/// Adds `function` to `module` as `name`, called by CPython directly, without PyO3's panic
/// guard around it: for entry points that release and retake the GIL.
pub fn add_raw_function(module: &Bound<'_, PyModule>, name: &'static std::ffi::CStr, doc: &'static std::ffi::CStr, function: RawFunction) -> PyResult<()> {
    // SAFETY: an `extern "C-unwind"` function has the C calling convention; only CPython calls
    // it through this pointer type, and an unwind out of it is the forced unwind of a thread
    // being ended, which CPython's frames let through.
    let meth = unsafe { std::mem::transmute::<RawFunction, ffi::PyCFunctionFast>(function) };
    // CPython keeps a pointer to the definition for as long as the function lives.
    let def = Box::leak(Box::new(ffi::PyMethodDef {
        ml_name: name.as_ptr(),
        ml_meth: ffi::PyMethodDefPointer { PyCFunctionFast: meth },
        ml_flags: ffi::METH_FASTCALL,
        ml_doc: doc.as_ptr(),
    }));
    let py = module.py();
    // SAFETY: a static method definition, the GIL held; the new reference is owned by `Bound`.
    let function = unsafe { Bound::from_owned_ptr_or_err(py, ffi::PyCFunction_NewEx(def, std::ptr::null_mut(), std::ptr::null_mut()))? };
    module.add(name.to_str().unwrap_or_default(), function)
}
