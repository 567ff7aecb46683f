//! `ferrojit._native`: the only crate that knows Python.
//!
//! - `dispatcher.rs`: `DispatcherBase`, the callable behind `@njit`: picks or compiles the
//!   specialisation for the argument types and calls it.
//! - `values.rs`: Python values <-> ferrojit types and the flat slot buffers (typeof, unboxing,
//!   boxing).
//! - `globals.rs`: a function's module globals as the compiler sees them (frozen constants,
//!   modules, other compiled functions).
//! - `typed.rs`: `ferrojit.typed.List`/`Dict`, compiled containers shared with Python.
//! - `named_tuples.rs`: named tuple classes by number, their instances in and out.
//! - `extending.rs`: the registry of callables implemented in Python (`ferrojit.extending`)
//!   and the requests that run their typing functions between compilation attempts.
//! - this file: module set-up and the mapping of errors to `ferrojit.errors` classes.

mod dicts;
mod dispatcher;
mod extending;
mod gil;
mod generators;
mod globals;
mod instances;
mod lists;
mod named_tuples;
mod overloads;
mod strings;
mod typed;
mod user_exceptions;
mod objmode;
mod ufunc;
mod values;
mod decompile;

use ferrojit_compiler::{CompileError, ErrorKind};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

/// Raises the `ferrojit.errors` class for `err`.
pub(crate) fn compile_error(py: Python<'_>, err: &CompileError) -> PyErr {
    let class = match err.kind {
        ErrorKind::Unsupported => "UnsupportedError",
        ErrorKind::Typing => "TypingError",
        ErrorKind::ArgumentCount => "ArgumentCountError",
        ErrorKind::Internal => "InternalError",
        ErrorKind::NeedsOverloads => return extending::needs_overloads(py, &err.needs),
    };
    error_class(py, class, &err.message)
}

/// Compiles as `ferrojit_compiler::compile` does, a panic in the compiler (a defect) becoming
/// `ferrojit.errors.InternalError` rather than PyO3's `PanicException`.
pub(crate) fn compile_guarded(
    py: Python<'_>,
    source: &std::sync::Arc<ferrojit_compiler::FunctionSource>,
    types: &[ferrojit_compiler::Type],
    ret: Option<&ferrojit_compiler::Type>,
    options: &ferrojit_compiler::Options,
) -> PyResult<ferrojit_compiler::CompiledFunction> {
    record_numpy_version(py);
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| ferrojit_compiler::compile(source, types, ret, options))) {
        Ok(Ok(compiled)) => Ok(compiled),
        Ok(Err(e)) => Err(compile_error(py, &e)),
        Err(panic) => {
            let detail = panic.downcast_ref::<String>().map(String::as_str).or_else(|| panic.downcast_ref::<&str>().copied()).unwrap_or("unknown panic");
            Err(error_class(py, "InternalError", &ferrojit_compiler::internal_message(detail)))
        }
    }
}

/// Tells the compiler the running NumPy's version, once NumPy is loaded (ferrojit's library,
/// loaded by the first compilation, imports it; `import ferrojit` alone does not).
fn record_numpy_version(py: Python<'_>) {
    static RECORDED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if RECORDED.load(std::sync::atomic::Ordering::Relaxed) {
        return;
    }
    let version = py.import("sys").and_then(|sys| sys.getattr("modules")).and_then(|modules| modules.get_item("numpy")).and_then(|numpy| numpy.getattr("__version__")).and_then(|v| v.extract::<String>());
    let Ok(version) = version else { return };
    // "2.5.0", "2.5.0rc1", "2.5.0.dev0": the leading digits of the first two parts.
    let mut parts = version.split('.').map(|part| part.chars().take_while(char::is_ascii_digit).collect::<String>().parse::<u32>().ok());
    if let (Some(Some(major)), Some(Some(minor))) = (parts.next(), parts.next()) {
        ferrojit_compiler::set_numpy_version(major, minor);
        RECORDED.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

pub(crate) fn error_class(py: Python<'_>, class: &str, message: &str) -> PyErr {
    static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    let module = ERRORS.get_or_try_init(py, || py.import("ferrojit.errors").map(Bound::unbind));
    match module.and_then(|m| m.bind(py).getattr(class)) {
        Ok(cls) => match cls.call1((message,)) {
            Ok(instance) => PyErr::from_value(instance),
            Err(e) => e,
        },
        Err(e) => e,
    }
}

/// Output of compiled `print()` that must wait ([`gil::output_must_wait`]: in a `nogil=True`
/// call, or in any call on a thread other than the main one), in the order printed, until the
/// dispatcher writes it when the call returns (or a later `print()` that may write does).
/// Writing from inside compiled code instead may release and retake the GIL, which would let
/// CPython end a daemon thread there while the interpreter exits, through frames that cannot be
/// unwound (see `gil.rs`).
static PENDING_OUTPUT: std::sync::Mutex<String> = std::sync::Mutex::new(String::new());
static OUTPUT_PENDING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Writes compiled `print()` output through Python's `sys.stdout` (so it interleaves with
/// Python's and can be captured). Where it must wait it queues the output instead (see
/// [`PENDING_OUTPUT`]); elsewhere without the GIL (a `@vectorize` loop, which NumPy runs
/// without it) it takes the GIL for the write.
fn print_through_sys_stdout(text: &str) {
    if gil::output_must_wait() {
        PENDING_OUTPUT.lock().unwrap_or_else(|p| p.into_inner()).push_str(text);
        OUTPUT_PENDING.store(true, std::sync::atomic::Ordering::Release);
        return;
    }
    let state = gil::ensure_gil();
    // SAFETY: this thread holds the GIL until `PyGILState_Release`.
    unsafe {
        write_pending_output();
        let text = pyo3::ffi::PyUnicode_FromStringAndSize(text.as_ptr().cast(), text.len() as pyo3::ffi::Py_ssize_t);
        write_to_sys_stdout(text);
        pyo3::ffi::PyGILState_Release(state);
    }
}

/// Reports an exception a compiled generator raised while it was closed (see
/// `ferrojit_rt_generator_closed`) as CPython's finalizer does, through
/// `PyErr_WriteUnraisable` ("Exception ignored in: ..." on `sys.stderr`, or
/// `sys.unraisablehook`). Where output must wait (see [`print_through_sys_stdout`]) it goes to
/// the process's stderr instead.
fn report_unraisable(code: u32, message: &str, generator: &str) {
    let object = format!("<compiled generator object {generator}>");
    if gil::output_must_wait() {
        eprintln!("Exception ignored in: {object}\n{}: {message}", ferrojit_compiler::ExcKind::from_code(code).map_or("Exception", |k| k.name()));
        return;
    }
    let state = gil::ensure_gil();
    // SAFETY: this thread holds the GIL until `PyGILState_Release`.
    unsafe {
        let py = Python::assume_attached();
        let exc = ferrojit_compiler::runtime::ExcInfo { kind: code, msg: message.as_ptr(), len: message.len() };
        dispatcher::native_exception(py, &exc).restore(py);
        let object = pyo3::types::PyString::new(py, &object);
        pyo3::ffi::PyErr_WriteUnraisable(object.as_ptr());
        drop(object);
        pyo3::ffi::PyGILState_Release(state);
    }
}

/// Writes the output queued by `print()` without the GIL. Writing to a file may release and
/// retake the GIL, so callers follow the rules of `gil.rs` (no panic guard around this).
///
/// # Safety
/// The GIL is held.
pub(crate) unsafe fn write_pending_output() {
    // A plain load first: this runs after every `nogil` call, and almost never finds output.
    if !OUTPUT_PENDING.load(std::sync::atomic::Ordering::Relaxed) || !OUTPUT_PENDING.swap(false, std::sync::atomic::Ordering::Acquire) {
        return;
    }
    // The string is gone before the write (no destructor pending across it).
    let text = {
        let mut pending = PENDING_OUTPUT.lock().unwrap_or_else(|p| p.into_inner());
        let text = unsafe { pyo3::ffi::PyUnicode_FromStringAndSize(pending.as_ptr().cast(), pending.len() as pyo3::ffi::Py_ssize_t) };
        pending.clear();
        text
    };
    unsafe { write_to_sys_stdout(text) };
}

/// `sys.stdout.write(text)`, taking over the reference `text` (null: an error is pending);
/// errors are reported as unraisable. Raw C API calls only: see `write_pending_output`.
///
/// # Safety
/// The GIL is held.
unsafe fn write_to_sys_stdout(text: *mut pyo3::ffi::PyObject) {
    use pyo3::ffi;
    unsafe {
        if text.is_null() {
            ffi::PyErr_WriteUnraisable(std::ptr::null_mut());
            return;
        }
        // Borrowed; may be missing at the very end of the interpreter's life.
        let stdout = ffi::PySys_GetObject(c"stdout".as_ptr());
        if !stdout.is_null() && stdout != ffi::Py_None() {
            let write = ffi::PyObject_GetAttrString(stdout, c"write".as_ptr());
            let result = if write.is_null() { write } else { ffi::PyObject_CallOneArg(write, text) };
            if result.is_null() {
                ffi::PyErr_WriteUnraisable(stdout);
            } else {
                ffi::Py_DECREF(result);
            }
            ffi::Py_XDECREF(write);
        }
        ffi::Py_DECREF(text);
    }
}

/// Array allocations made by compiled code and not yet freed (for leak tests).
#[pyfunction]
fn live_allocations() -> i64 {
    ferrojit_compiler::runtime::memory::live_allocations()
}

/// Numba's `set_num_threads`: how many threads the calling thread's parallel loops use.
#[pyfunction]
fn set_num_threads(n: i64) -> PyResult<()> {
    let n = usize::try_from(n).unwrap_or(0);
    ferrojit_compiler::runtime::parallel::set_num_threads(n).map_err(pyo3::exceptions::PyValueError::new_err)
}

/// Numba's `get_num_threads`.
#[pyfunction]
fn get_num_threads() -> usize {
    ferrojit_compiler::runtime::parallel::get_num_threads()
}

/// Numba's `get_thread_id`: the number of the calling thread among the threads running a
/// parallel loop (0 for the loop's caller), 0 outside loops.
#[pyfunction]
fn get_thread_id() -> usize {
    ferrojit_compiler::runtime::parallel::get_thread_id()
}

/// The fewest elements a whole-array operation of a `parallel=True` function needs to run on
/// the thread pool (`ARRAY_THRESHOLD` in `ferrojit_runtime::parallel`, measured), as it was
/// before the call; with `elements`, sets it (tests run the parallel code on small arrays,
/// timings compare it with the serial code).
#[pyfunction]
#[pyo3(signature = (elements=None))]
fn parallel_threshold(elements: Option<i64>) -> i64 {
    match elements {
        Some(n) => ferrojit_compiler::runtime::parallel::set_array_threshold(n),
        None => ferrojit_compiler::runtime::parallel::array_threshold(),
    }
}

/// The fewest elements a `target='parallel'` ufunc call needs to run on the thread pool
/// (`PARALLEL_FROM` in `ufunc.rs`, measured), as it was before the call; with `elements`, sets
/// it (timings compare parallel ufuncs with serial ones at every size).
#[pyfunction]
#[pyo3(signature = (elements=None))]
fn parallel_ufunc_threshold(elements: Option<i64>) -> i64 {
    ufunc::parallel_ufunc_threshold(elements)
}

/// How many parallel regions (a `prange` loop, a whole-array operation) have run on the
/// thread pool in this process: tests tell with it whether code ran there.
#[pyfunction]
fn parallel_regions() -> usize {
    ferrojit_compiler::runtime::parallel::regions_entered()
}

/// The size of the thread pool (`FERROJIT_NUM_THREADS`, `NUMBA_NUM_THREADS` or the usable
/// cores) and the usable cores; a bad environment variable is a `ValueError`.
#[pyfunction]
fn thread_pool_size() -> PyResult<(usize, usize)> {
    let configured = ferrojit_compiler::runtime::parallel::configured_threads().map_err(pyo3::exceptions::PyValueError::new_err)?;
    Ok((configured, ferrojit_compiler::runtime::parallel::usable_cores()))
}

/// Arrays allocated by compiled code so far, freed or not (for tests that an expression
/// allocates nothing).
#[pyfunction]
fn allocations_made() -> i64 {
    ferrojit_compiler::runtime::memory::allocations_made()
}

/// Installs the BLAS/LAPACK provider that `np.dot`, `@` and `np.linalg` call (see
/// `ferrojit_runtime::linalg`): `int64` tells whether its integers are 64-bit, `routines`
/// maps routine names (`"dgemm"`) to their addresses. Called by `ferrojit/_lib/linalg.py`.
#[pyfunction]
fn set_linalg_provider(int64: bool, routines: std::collections::HashMap<String, usize>) {
    ferrojit_compiler::runtime::linalg::set_provider(int64, routines);
}

/// The names of the routines `set_linalg_provider` needs, for each of the letters `s`, `d`,
/// `c`, `z` in front (`"gemm"` -> `"dgemm"`).
#[pyfunction]
fn linalg_routines() -> Vec<&'static str> {
    ferrojit_compiler::runtime::linalg::ROUTINES.to_vec()
}

/// The units of ferrojit's library loaded in this process (see `ferrojit_compiler::library`),
/// each as (`name(argument types) -> return type`, whether it was read from the disk cache).
#[pyfunction]
fn library_units() -> Vec<(String, bool)> {
    ferrojit_compiler::library_units()
}

/// The background thread started by [`start_warm_up`], until someone waits for it.
static WARM_UP: std::sync::Mutex<Option<std::thread::JoinHandle<()>>> = std::sync::Mutex::new(None);

/// What CPython's `compile(source, filename, "exec", flags, dont_inherit=True)` returns, run
/// on a deep stack (see `ferrojit_syntax::on_deep_stack`): checking a function's text compiles
/// it again, and CPython's compiler recurses as deep as the code nests, on whatever thread
/// asks. No Python code runs inside (the caller silences warnings), so no GIL switch happens
/// under the stack switch.
///
/// It calls CPython's C entry point rather than the builtin: the builtin first asks whether its
/// argument is an `ast` node, which builds the `ast` module's hundred classes on its first call
/// in a process (2 ms, the largest part of checking the first function's source when nothing
/// has imported `ast` yet).
#[pyfunction]
fn compile_on_deep_stack(py: Python<'_>, source: &str, filename: &Bound<'_, pyo3::types::PyString>, flags: i32) -> PyResult<Py<PyAny>> {
    let Ok(source) = std::ffi::CString::new(source) else {
        return Err(pyo3::exceptions::PyValueError::new_err("source code string cannot contain null bytes"));
    };
    // As the builtin sets them: the text is UTF-8, and every feature of this Python is on.
    const PYCF_SOURCE_IS_UTF8: i32 = 0x0100;
    let mut compiler_flags = pyo3::ffi::PyCompilerFlags { cf_flags: flags | PYCF_SOURCE_IS_UTF8, cf_feature_version: i32::from(py.version_info().minor) };
    ferrojit_compiler::on_deep_stack(|| {
        // SAFETY: the GIL is held; `source` is NUL-terminated and `filename` a str, both alive
        // for the call; -1 is the interpreter's own optimisation level, as the builtin's default.
        unsafe {
            let code = pyo3::ffi::Py_CompileStringObject(source.as_ptr(), filename.as_ptr(), pyo3::ffi::Py_file_input, &mut compiler_flags, -1);
            Bound::from_owned_ptr_or_err(py, code).map(Bound::unbind)
        }
    })
}

/// Starts paying the compiler's one-time set-up on a background thread (see
/// `ferrojit_compiler::warm_up`), so that a program which does anything between
/// `import ferrojit` and its first compilation does not wait for it. Called once, at import.
#[pyfunction]
fn start_warm_up() {
    let mut slot = WARM_UP.lock().unwrap_or_else(|p| p.into_inner());
    if slot.is_none() {
        let spawned = std::thread::Builder::new().name("ferrojit-warm-up".into()).spawn(|| {
            // A panic here must not reach anyone: the first real compilation reports problems.
            let _ = std::panic::catch_unwind(ferrojit_compiler::warm_up);
        });
        *slot = spawned.ok();
    }
}

/// `prepare_lazy_state()`: builds what the compiler and the call paths otherwise build on
/// first use inside panic guards: PyO3's once-cells (interned attribute names, the
/// `ferrojit.errors` module, NumPy's type tables once NumPy is loaded). Initialising a
/// once-cell releases and retakes the GIL, which must happen outside any guard (see `gil.rs`):
/// so this is a raw, unguarded entry point, called by the slow call path before it compiles.
/// Cheap once everything is built.
unsafe extern "C-unwind" fn prepare_lazy_state(_module: *mut pyo3::ffi::PyObject, _args: *const *mut pyo3::ffi::PyObject, _nargs: pyo3::ffi::Py_ssize_t) -> *mut pyo3::ffi::PyObject {
    // SAFETY: CPython calls this with the GIL held.
    let py = unsafe { Python::assume_attached() };
    let exception_type = py.get_type::<pyo3::exceptions::PyException>();
    let _ = exception_type.module();
    let _ = exception_type.name();
    let _ = exception_type.qualname();
    if let Ok(builtins) = py.import("builtins") {
        let _ = builtins.name();
    }
    let _ = error_class(py, "InternalError", "");
    values::prepare_tables(py);
    // SAFETY: the GIL is held; a new reference to None.
    unsafe { pyo3::ffi::Py_NewRef(pyo3::ffi::Py_None()) }
}

/// `wait_for_warm_up()`: waits until the warm-up thread has finished (at once if there is
/// none), without the GIL. Runs before the process forks, so that the child never inherits
/// LLVM's locks held by a thread that does not exist there, and at exit, before LLVM's static
/// objects are destroyed. A raw entry point, since it retakes the GIL (see `gil.rs`).
unsafe extern "C-unwind" fn wait_for_warm_up(_module: *mut pyo3::ffi::PyObject, _args: *const *mut pyo3::ffi::PyObject, _nargs: pyo3::ffi::Py_ssize_t) -> *mut pyo3::ffi::PyObject {
    let handle = WARM_UP.lock().unwrap_or_else(|p| p.into_inner()).take();
    if let Some(handle) = handle {
        // SAFETY: called by CPython with the GIL held; nothing with a destructor is alive
        // across `restore_thread` (`join` consumed the handle, its result is dropped).
        unsafe {
            let tstate = pyo3::ffi::PyEval_SaveThread();
            let _ = handle.join();
            gil::restore_thread(tstate);
        }
    }
    // SAFETY: the GIL is held; a new reference to None.
    unsafe { pyo3::ffi::Py_NewRef(pyo3::ffi::Py_None()) }
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    ferrojit_compiler::runtime::set_print_hook(print_through_sys_stdout);
    ferrojit_compiler::runtime::set_unraisable_hook(report_unraisable);
    strings::install();
    values::install_object_counting();
    objmode::install();
    ferrojit_compiler::runtime::exceptions::set_python_exception_hook(user_exceptions::python_exception_query);
    // The built-in exceptions' names, for `repr(e)` in compiled code.
    for kind in ferrojit_compiler::ExcKind::ALL {
        ferrojit_compiler::runtime::exceptions::register_exception_name(kind.code(), kind.name());
    }
    // A codec's error is made by Python's own codec (`dispatcher::codec_error`), which also
    // tells its text and arguments to compiled code that caught it.
    for kind in [ferrojit_compiler::ExcKind::UnicodeError, ferrojit_compiler::ExcKind::UnicodeEncodeError, ferrojit_compiler::ExcKind::UnicodeDecodeError] {
        ferrojit_compiler::runtime::exceptions::register_own_text(kind.code());
    }
    m.add_class::<dispatcher::DispatcherBase>()?;
    m.add_function(wrap_pyfunction!(dispatcher::install_fast_call, m)?)?;
    m.add_class::<values::ArrayMemory>()?;
    m.add_class::<typed::TypedContainer>()?;
    m.add_class::<instances::JitInstance>()?;
    m.add_class::<instances::InstanceField>()?;
    m.add_function(wrap_pyfunction!(instances::register_jitclass, m)?)?;
    m.add_function(wrap_pyfunction!(instances::jitclass_type_name, m)?)?;
    m.add_function(wrap_pyfunction!(instances::instance_init, m)?)?;
    m.add_function(wrap_pyfunction!(instances::instance_get, m)?)?;
    m.add_function(wrap_pyfunction!(instances::instance_set, m)?)?;
    m.add_class::<generators::CompiledGenerator>()?;
    m.add_function(wrap_pyfunction!(typed::typeof_name, m)?)?;
    m.add_function(wrap_pyfunction!(live_allocations, m)?)?;
    m.add_function(wrap_pyfunction!(set_num_threads, m)?)?;
    m.add_function(wrap_pyfunction!(get_num_threads, m)?)?;
    m.add_function(wrap_pyfunction!(get_thread_id, m)?)?;
    m.add_function(wrap_pyfunction!(thread_pool_size, m)?)?;
    m.add_function(wrap_pyfunction!(parallel_threshold, m)?)?;
    m.add_function(wrap_pyfunction!(parallel_ufunc_threshold, m)?)?;
    m.add_function(wrap_pyfunction!(parallel_regions, m)?)?;
    m.add_function(wrap_pyfunction!(set_linalg_provider, m)?)?;
    m.add_function(wrap_pyfunction!(linalg_routines, m)?)?;
    m.add_function(wrap_pyfunction!(library_units, m)?)?;
    m.add_function(wrap_pyfunction!(allocations_made, m)?)?;
    m.add_function(wrap_pyfunction!(start_warm_up, m)?)?;
    m.add_function(wrap_pyfunction!(compile_on_deep_stack, m)?)?;
    m.add_function(wrap_pyfunction!(decompile::function_text, m)?)?;
    m.add_function(wrap_pyfunction!(decompile::global_calls, m)?)?;
    m.add_function(wrap_pyfunction!(decompile::first_unread_instruction, m)?)?;
    m.add_function(wrap_pyfunction!(decompile::instructions, m)?)?;
    gil::init();
    gil::add_raw_function(m, c"wait_for_warm_up", c"Waits until the compiler's warm-up thread has finished.", wait_for_warm_up)?;
    gil::add_raw_function(m, c"prepare_lazy_state", c"Builds what the compiler would otherwise build on first use.", prepare_lazy_state)?;
    gil::add_raw_function(m, c"call_compiled", c"call_compiled(dispatcher, args): runs the compiled signature taking the positional args.", dispatcher::call_compiled)?;
    m.add_function(wrap_pyfunction!(gil::mark_finalizing_thread, m)?)?;
    m.add_function(wrap_pyfunction!(ufunc::make_ufunc, m)?)?;
    m.add("NeedsOverloads", m.py().get_type::<extending::NeedsOverloads>())?;
    m.add_function(wrap_pyfunction!(extending::register_overload, m)?)?;
    m.add_function(wrap_pyfunction!(extending::register_overload_method, m)?)?;
    m.add_function(wrap_pyfunction!(extending::typing_added, m)?)?;
    m.add_function(wrap_pyfunction!(extending::register_overload_attribute, m)?)?;
    m.add_function(wrap_pyfunction!(extending::resolve_overload, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
