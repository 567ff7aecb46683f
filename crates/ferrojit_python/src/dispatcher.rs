//! `DispatcherBase`: the callable returned by `@njit`.
//!
//! A call finds the compiled specialisation whose argument types match the arguments exactly
//! (packing the arguments into a stack buffer as it checks, so the fast path allocates nothing)
//! and runs it. Any other call goes through the Python method `Dispatcher._call_slow`, which
//! binds keywords and defaults, has `_prepare` compile what is needed (or choose object mode),
//! and runs compiled code through `call_compiled`. Compilation never holds a lock: the compiler
//! calls back into Python to read globals, which may name this very dispatcher (recursion).
//!
//! The entry points CPython calls (`fast_vectorcall`, `fast_call`, `call_compiled`) are built
//! so that releasing and retaking the GIL is safe while the interpreter exits: see `gil.rs`.

use crate::globals::{constant, PyGlobals};
use crate::values::{pack, pack_converting, typeof_value, unpack};
use crate::{compile_guarded, error_class};
use ferrojit_compiler::runtime::ExcInfo;
use ferrojit_compiler::{CompiledFunction, ExcKind, FastMath, FunctionSource, Options, Timings, Type};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};
use std::sync::atomic::{AtomicU64, Ordering};
use crate::overloads::{Found, Overloads};
use std::sync::{Arc, Mutex};

/// Slots in the stack buffers; larger signatures use a heap buffer.
const STACK_SLOTS: usize = 32;

struct Overload {
    compiled: CompiledFunction,
    arg_slots: usize,
    ret_slots: usize,
    /// Some arguments are lists, packed into compiled lists for the call and reflected after
    /// it (see `lists.rs`).
    list_args: bool,
}

#[pyclass(subclass, dict, frozen, module = "ferrojit._native")]
pub struct DispatcherBase {
    /// CPython's vectorcall entry for this object (see [`install_fast_call`]): every instance
    /// holds it, at the offset the type's `tp_vectorcall_offset` names.
    vectorcall: pyo3::ffi::vectorcallfunc,
    py_func: Py<PyAny>,
    id: u64,
    num_params: usize,
    /// The lines of the function's file when it was decorated (`ferrojit._source.capture`):
    /// what is compiled is that text, whatever happens to the file later.
    captured_lines: Py<PyAny>,
    /// The names of the positional parameters, for messages.
    param_names: Vec<String>,
    source: Mutex<Option<Arc<FunctionSource>>>,
    /// Seconds spent reading and parsing the source (once per function).
    source_seconds: std::sync::OnceLock<f64>,
    /// Read on every call without locking; replaced whole when a signature is added.
    overloads: Overloads<Overload>,
    /// The `boundscheck=True` option.
    boundscheck: bool,
    /// The `nogil=True` option: the GIL is released while native code runs (also with
    /// `parallel=True`, whose loops run on other threads, which may need the GIL).
    nogil: bool,
    /// The `parallel=True` option: `prange` loops run on the thread pool.
    parallel: bool,
    /// What became of each `prange` loop, for `parallel_diagnostics()`.
    parallel_report: Mutex<Vec<String>>,
    /// The `cache=True` option.
    cache: bool,
    fastmath: FastMath,
    /// `error_model='numpy'`.
    numpy_errors: bool,
    /// `@jit` without `nopython=True`: what cannot compile runs as plain Python, with a
    /// warning. `forceobj=True`: everything runs as plain Python.
    fallback: bool,
    forceobj: bool,
    /// Argument types that run as plain Python after nopython compilation failed.
    object_mode: Mutex<Vec<Vec<Type>>>,
    warned: std::sync::atomic::AtomicBool,
    /// Set once signatures were given: calls convert their arguments to one of them and
    /// nothing new is compiled.
    frozen: std::sync::atomic::AtomicBool,
    /// An implementation of ferrojit's own library (defined in `ferrojit._lib`): see
    /// `FunctionSource::library`.
    library: bool,
}

fn next_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

#[pymethods]
impl DispatcherBase {
    #[new]
    #[pyo3(signature = (py_func, options=None))]
    fn new(py_func: Bound<'_, PyAny>, options: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let option = |name: &str| -> PyResult<Option<Bound<'_, PyAny>>> {
            match options {
                Some(o) => Ok(o.get_item(name)?.filter(|v| !v.is_none())),
                None => Ok(None),
            }
        };
        let flag = |name: &str| -> PyResult<bool> { Ok(option(name)?.map(|v| v.is_truthy()).transpose()?.unwrap_or(false)) };
        let boundscheck = flag("boundscheck")?;
        let parallel = flag("parallel")?;
        let nogil = flag("nogil")? || parallel;
        let cache = flag("cache")?;
        let fallback = flag("_fallback")?;
        let forceobj = flag("forceobj")?;
        let overload_implementation = flag("_overload_implementation")?;
        let module: Option<String> = py_func.getattr("__module__").ok().and_then(|m| m.extract().ok());
        let library = overload_implementation && module.is_some_and(|m| m.starts_with("ferrojit._lib"));
        let fastmath = match option("fastmath")? {
            None => FastMath::default(),
            Some(v) if v.is_instance_of::<pyo3::types::PyBool>() => {
                if v.is_truthy()? { FastMath::all() } else { FastMath::default() }
            }
            Some(v) => {
                let names: Vec<String> = v.try_iter()?.map(|n| n?.extract::<String>()).collect::<PyResult<_>>()?;
                FastMath::from_names(names.iter().map(String::as_str))
                    .map_err(|bad| pyo3::exceptions::PyValueError::new_err(format!("unknown fastmath flag `{bad}`; use nnan, ninf, nsz, arcp, contract, afn, reassoc or fast")))?
            }
        };
        let numpy_errors = match option("error_model")? {
            None => false,
            Some(v) => match v.extract::<String>()?.as_str() {
                "python" => false,
                "numpy" => true,
                other => return Err(pyo3::exceptions::PyValueError::new_err(format!("error_model must be 'python' or 'numpy', not {other:?}"))),
            },
        };
        let code = py_func.getattr("__code__")?;
        let positional: usize = code.getattr("co_argcount")?.extract()?;
        let keyword_only: usize = code.getattr("co_kwonlyargcount")?.extract()?;
        let flags: u32 = code.getattr("co_flags")?.extract()?;
        // `CO_VARARGS` and `CO_VARKEYWORDS`: such a function (and one with keyword-only
        // parameters) takes one argument per parameter, `*args` a tuple and `**kwargs` a dict,
        // which `Dispatcher._bind` makes: no call reaches the fast path, which takes
        // `num_params` arguments as given.
        let (var_positional, var_keyword) = (flags & 0x04 != 0, flags & 0x08 != 0);
        let collects = var_positional || var_keyword || keyword_only > 0;
        let num_params = if collects { usize::MAX } else { positional };
        // The sample instance `install_fast_call` measures is never called: it reads no file
        // (and `import ferrojit` does not import `ferrojit._source`).
        let captured_lines = if flag("_layout_sample")? {
            py_func.py().None()
        } else {
            py_func.py().import("ferrojit._source")?.call_method1("capture", (&py_func,))?.unbind()
        };
        // The parameters in the order compiled code takes them; `co_varnames` lists the
        // positional ones, the keyword-only ones, then `*args`, then `**kwargs`.
        let names: Vec<String> = code.getattr("co_varnames")?.extract()?;
        let mut param_names: Vec<String> = names.iter().take(positional).cloned().collect();
        let mut collectors = names.iter().skip(positional + keyword_only);
        if var_positional {
            param_names.extend(collectors.next().cloned());
        }
        param_names.extend(names.iter().skip(positional).take(keyword_only).cloned());
        if var_keyword {
            param_names.extend(collectors.next().cloned());
        }
        Ok(DispatcherBase {
            // SAFETY: see `install_fast_call`.
            vectorcall: unsafe { std::mem::transmute::<RawVectorcall, pyo3::ffi::vectorcallfunc>(fast_vectorcall) },
            py_func: py_func.unbind(),
            id: next_id(),
            num_params,
            captured_lines,
            param_names,
            source: Mutex::new(None),
            overloads: Overloads::default(),
            source_seconds: std::sync::OnceLock::new(),
            boundscheck,
            nogil,
            parallel,
            parallel_report: Mutex::new(Vec::new()),
            cache,
            fastmath,
            numpy_errors,
            fallback,
            forceobj,
            object_mode: Mutex::new(Vec::new()),
            warned: std::sync::atomic::AtomicBool::new(false),
            frozen: std::sync::atomic::AtomicBool::new(false),
            library,
        })
    }

    #[getter]
    fn py_func(&self, py: Python<'_>) -> Py<PyAny> {
        self.py_func.clone_ref(py)
    }

    /// The compiled signatures, as tuples of type names, in compilation order.
    #[getter]
    fn _signature_names<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let overloads = self.overloads.snapshot();
        let sigs = overloads
            .iter()
            .map(|o| PyTuple::new(py, o.compiled.args.iter().map(|t| t.to_string())))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, sigs)
    }

    /// Per-signature compile statistics: a list of dicts with the signature, the return type
    /// and the seconds spent in each stage.
    fn _stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let overloads = self.overloads.snapshot();
        let items = overloads
            .iter()
            .map(|o| {
                let d = PyDict::new(py);
                let t: &Timings = &o.compiled.timings;
                d.set_item("signature", PyTuple::new(py, o.compiled.args.iter().map(|t| t.to_string()))?)?;
                d.set_item("return_type", o.compiled.ret.to_string())?;
                d.set_item("source", self.source_seconds.get().copied().unwrap_or(0.0))?;
                d.set_item("infer", t.infer.as_secs_f64())?;
                d.set_item("lower", t.lower.as_secs_f64())?;
                d.set_item("optimize", t.optimize.as_secs_f64())?;
                d.set_item("machine_code", t.machine_code.as_secs_f64())?;
                d.set_item("cache_hit", o.compiled.cache_hit)?;
                Ok(d)
            })
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    /// The lines of the function's file captured when it was decorated (None when there was
    /// no file to read), for `Dispatcher._load_sources`.
    #[getter]
    fn _captured_lines(&self, py: Python<'_>) -> Py<PyAny> {
        self.captured_lines.clone_ref(py)
    }

    /// Whether the source was read (see [`DispatcherBase::function_source`]).
    #[getter]
    fn _has_source(&self) -> bool {
        self.source.lock().unwrap_or_else(|p| p.into_inner()).is_some()
    }

    /// For `Dispatcher.parallel_diagnostics`: whether the function was compiled with
    /// `parallel=True`, and one line per `prange` loop (filled once the source is read).
    fn _parallel_report(&self) -> (bool, Vec<String>) {
        (self.parallel, self.parallel_report.lock().unwrap_or_else(|p| p.into_inner()).clone())
    }

    /// For `Dispatcher.parallel_diagnostics`: per compiled signature (type names), one line
    /// per whole-array map or reduction, saying whether it runs on the pool and why not.
    fn _parallel_notes(&self) -> Vec<(Vec<String>, Vec<String>)> {
        self.overloads.snapshot().iter().map(|o| (o.compiled.args.iter().map(|t| t.to_string()).collect(), o.compiled.parallel_notes.clone())).collect()
    }

    /// For `Dispatcher._load_sources`: [`DispatcherBase::set_source`]; false when the quick
    /// cut did not parse.
    fn _set_source(&self, py: Python<'_>, info: &Bound<'_, PyAny>, quick: bool, seconds: f64) -> PyResult<bool> {
        Ok(self.set_source(py, info, quick, seconds)?.is_some())
    }

    /// The slow path of a call (`Dispatcher._call_slow`), given the positional arguments after
    /// keywords and defaults were bound: compiles the signature they need unless one exists
    /// or signatures were declared, and returns None, after which `call_compiled` runs it; or,
    /// for object mode, returns the warning to give first ("" when none is due), after which
    /// the Python function itself runs.
    fn _prepare(&self, py: Python<'_>, args: &Bound<'_, PyTuple>) -> PyResult<Option<String>> {
        if self.forceobj {
            return Ok(Some(String::new()));
        }
        if self.frozen.load(Ordering::Relaxed) {
            self.compile_unaligned_twin(py, args)?;
            return Ok(None);
        }
        let types = args.iter().enumerate().map(|(i, a)| typeof_value(&a).map_err(|e| self.argument_error(py, i, e))).collect::<PyResult<Vec<_>>>();
        let types = match types {
            Ok(types) => types,
            Err(e) if self.fallback => return self.object_mode(py, &e.value(py).to_string(), None),
            Err(e) => return Err(e),
        };
        if self.fallback && self.object_mode.lock().unwrap_or_else(|p| p.into_inner()).contains(&types) {
            return Ok(Some(String::new()));
        }
        match self.compile(py, &types, None) {
            Ok(_) => Ok(None),
            Err(e) if self.fallback && e.is_instance_of::<pyo3::exceptions::PyException>(py) && is_compile_error(py, &e) => {
                self.object_mode(py, &e.value(py).to_string(), Some(types))
            }
            Err(e) => Err(e),
        }
    }

    /// The LLVM IR (`what == "llvm"`) or assembly (`"asm"`) of the compiled signature with
    /// these argument type names, compiled again with the text kept.
    fn _inspect(&self, py: Python<'_>, type_names: Vec<String>, what: &str) -> PyResult<String> {
        let types = type_names.iter().map(|n| ferrojit_compiler::parse_type(n).map_err(pyo3::exceptions::PyValueError::new_err)).collect::<PyResult<Vec<_>>>()?;
        let ret = self.overloads.find(|o| o.compiled.args == types).map(|o| o.compiled.ret.clone());
        let Some(ret) = ret else {
            return Err(pyo3::exceptions::PyKeyError::new_err(format!("no compiled signature ({})", type_names.join(", "))));
        };
        let source = self.function_source(py)?;
        let mut options = self.options();
        options.keep_llvm_ir = what == "llvm";
        options.keep_asm = what == "asm";
        let compiled = compile_guarded(py, &source, &types, Some(&ret), &options)?;
        Ok(if what == "llvm" { compiled.llvm_ir } else { compiled.asm }.unwrap_or_default())
    }

    /// Compiles a NumPy ufunc inner loop for `signature` (`"float64(float64, float64)"`, or
    /// `"(float64, float64)"` to infer the return type) with NumPy's error model; returns the
    /// loop's address and the NumPy type numbers of the inputs and the output.
    fn _ufunc_loop(&self, py: Python<'_>, signature: &str) -> PyResult<(usize, Vec<i32>)> {
        let sig = ferrojit_compiler::parse_signature(signature).map_err(pyo3::exceptions::PyTypeError::new_err)?;
        for t in sig.args.iter().chain(sig.ret.iter()) {
            if !t.is_number() {
                return Err(pyo3::exceptions::PyTypeError::new_err(format!("@vectorize kernels take and return scalars, not `{t}`")));
            }
        }
        let source = self.function_source(py)?;
        let mut options = self.options();
        options.cache_dir = self.cache_dir(&source);
        options.ufunc_loop = true;
        options.numpy_errors = true;
        let compiled = compile_guarded(py, &source, &sig.args, sig.ret.as_ref(), &options)?;
        if std::env::var("FERROJIT_TIMING").is_ok_and(|v| v == "1") {
            self.print_timing(py, &compiled);
        }
        if !compiled.ret.is_number() {
            return Err(pyo3::exceptions::PyTypeError::new_err(format!("@vectorize kernels must return a scalar, not `{}`", compiled.ret)));
        }
        let numbers = sig.args.iter().chain(std::iter::once(&compiled.ret)).map(crate::values::type_number).collect();
        Ok((compiled.address, numbers))
    }

    /// Compiles a generalised-ufunc loop for `signature` (`"void(float64[:], float64,
    /// float64[:])"`) where operand `k` has the core dimensions `core[k]` (indices of the layout's
    /// dimension names). Array operands are compiled with any-stride layout. Returns the loop's
    /// address and the operands' NumPy type numbers.
    fn _gufunc_loop(&self, py: Python<'_>, signature: &str, core: Vec<Vec<usize>>) -> PyResult<(usize, Vec<i32>)> {
        let sig = ferrojit_compiler::parse_signature(signature).map_err(pyo3::exceptions::PyTypeError::new_err)?;
        if sig.args.len() != core.len() {
            return Err(pyo3::exceptions::PyTypeError::new_err(format!("the signature has {} arguments but the layout names {}", sig.args.len(), core.len())));
        }
        let mut args = Vec::new();
        for (t, dims) in sig.args.iter().zip(&core) {
            args.push(match t {
                Type::Array(a) => {
                    if (a.ndim as usize) < dims.len() || (dims.is_empty() && a.ndim != 1) || (!dims.is_empty() && a.ndim as usize != dims.len()) {
                        return Err(pyo3::exceptions::PyTypeError::new_err(format!("`{t}` does not match its layout entry of {} dimensions", dims.len())));
                    }
                    Type::Array(a.with(a.ndim, ferrojit_compiler::Layout::A))
                }
                t if t.is_number() && dims.is_empty() => t.clone(),
                t => return Err(pyo3::exceptions::PyTypeError::new_err(format!("`{t}` cannot be a @guvectorize operand with core dimensions"))),
            });
        }
        let source = self.function_source(py)?;
        let mut options = self.options();
        options.cache_dir = self.cache_dir(&source);
        options.gufunc_core = Some(core);
        options.numpy_errors = true;
        let compiled = compile_guarded(py, &source, &args, Some(&Type::NoneType), &options)?;
        if std::env::var("FERROJIT_TIMING").is_ok_and(|v| v == "1") {
            self.print_timing(py, &compiled);
        }
        let numbers = args
            .iter()
            .map(|t| match t {
                Type::Array(a) => crate::values::type_number(&a.dtype),
                t => crate::values::type_number(t),
            })
            .collect();
        Ok((compiled.address, numbers))
    }

    /// The source text being compiled and the line it starts on in its file.
    fn _source_text(&self, py: Python<'_>) -> PyResult<(u32, String)> {
        let source = self.function_source(py)?;
        Ok((source.source.first_line, source.source.text.clone()))
    }

    /// Per signature: (argument type names, return type name, [(line, variable, type)]).
    fn _variable_types(&self) -> Vec<(Vec<String>, String, Vec<(u32, String, String)>)> {
        let overloads = self.overloads.snapshot();
        overloads
            .iter()
            .map(|o| (o.compiled.args.iter().map(|t| t.to_string()).collect(), o.compiled.ret.to_string(), o.compiled.variable_types.clone()))
            .collect()
    }

    /// Compiles a declared signature now (eager compilation), e.g. `"int32(int32, int32)"` or
    /// `"(float64[:],)"`; afterwards calls only convert to the declared signatures.
    fn _compile_signature(&self, py: Python<'_>, signature: &str) -> PyResult<()> {
        let sig = ferrojit_compiler::parse_signature(signature).map_err(pyo3::exceptions::PyTypeError::new_err)?;
        self.compile(py, &sig.args, sig.ret.as_ref())?;
        self.frozen.store(true, Ordering::Relaxed);
        Ok(())
    }
}

/// Gives `ty` (a `DispatcherBase` subclass: the base itself has no call slot) its two ways in:
/// - the call slot [`fast_call`], for calls with an argument tuple and a keyword dict;
/// - CPython's vectorcall protocol: `f(x, y)` from Python code passes its arguments as an
///   array, with no tuple at all, to [`fast_vectorcall`]. Each instance stores the function
///   pointer in its `vectorcall` field; the type records that field's offset in the object
///   (measured on `sample`, an instance: PyO3 decides where a pyclass's fields sit) and sets
///   `Py_TPFLAGS_HAVE_VECTORCALL`. Subclasses of `ty` made later do not inherit the flag and
///   have the call slot of a Python `__call__` (see `Dispatcher.__call__`).
#[pyfunction]
pub fn install_fast_call(ty: &Bound<'_, pyo3::types::PyType>, sample: &Bound<'_, DispatcherBase>) -> PyResult<()> {
    if !ty.is_subclass_of::<DispatcherBase>()? || !sample.get_type().is(ty) {
        return Err(pyo3::exceptions::PyTypeError::new_err("expected a DispatcherBase subclass and an instance of it"));
    }
    let offset = std::ptr::addr_of!(sample.get().vectorcall) as isize - sample.as_ptr() as isize;
    // `intern!` keeps its string for the life of the process.
    SLOW_PATH_NAME.store(pyo3::intern!(ty.py(), "_call_slow").as_ptr(), Ordering::Relaxed);
    // SAFETY: a heap type whose instances are DispatcherBase objects, all with the same layout
    // as `sample` (the field offset lies inside the object). CPython allows setting a heap
    // type's slots and flags, followed by `PyType_Modified`.
    //
    // Both entry points are `extern "C-unwind"` (see `gil.rs`), stored as CPython's `extern
    // "C"` pointer types: the calling convention is the same, only CPython calls through them,
    // and the one unwind that can leave them is the forced unwind of a thread being ended,
    // which CPython's own frames let through.
    unsafe {
        let raw = ty.as_type_ptr();
        (*raw).tp_call = Some(std::mem::transmute::<RawCall, pyo3::ffi::ternaryfunc>(fast_call));
        (*raw).tp_vectorcall_offset = offset;
        (*raw).tp_flags |= pyo3::ffi::Py_TPFLAGS_HAVE_VECTORCALL;
        pyo3::ffi::PyType_Modified(raw);
    }
    Ok(())
}

type RawVectorcall = unsafe extern "C-unwind" fn(*mut pyo3::ffi::PyObject, *const *mut pyo3::ffi::PyObject, usize, *mut pyo3::ffi::PyObject) -> *mut pyo3::ffi::PyObject;
type RawCall = unsafe extern "C-unwind" fn(*mut pyo3::ffi::PyObject, *mut pyo3::ffi::PyObject, *mut pyo3::ffi::PyObject) -> *mut pyo3::ffi::PyObject;

/// Argument or result slots of one call, on the stack of the entry point (two separate
/// arrays: each is zeroed with a few stores, one of twice the size with a call to `memset`).
type Slots = [u64; STACK_SLOTS];

/// A call ready to run compiled code: the overload and where the packed arguments and the
/// result live. Plain data without a destructor, because it is alive while the GIL is
/// released and retaken (see `gil.rs`); [`Ready::release`] gives back what it owns.
#[derive(Clone, Copy)]
struct Ready {
    overload: *const Overload,
    /// `overload` holds a reference (`Arc::into_raw`) to give back.
    owns_overload: bool,
    args: *const u64,
    /// The length of the heap buffer (`Box::into_raw`) behind `args`; 0 for the stack slots.
    args_heap: usize,
    ret: *mut u64,
    /// As `args_heap`, for `ret`.
    ret_heap: usize,
}

impl Ready {
    /// The arguments are packed in `heap_args`, or in `arg_slots` when that is None; the result
    /// goes to `ret_slots` when it fits.
    #[inline]
    fn new(overload: Found<'_, Overload>, heap_args: Option<Box<[u64]>>, arg_slots: &Slots, ret_slots: &mut Slots) -> Ready {
        let (ret, ret_heap) = if overload.ret_slots <= STACK_SLOTS {
            (ret_slots.as_mut_ptr(), 0)
        } else {
            (Box::into_raw(vec![0u64; overload.ret_slots].into_boxed_slice()) as *mut u64, overload.ret_slots)
        };
        let (args, args_heap) = match heap_args {
            Some(heap) => {
                let len = heap.len();
                (Box::into_raw(heap) as *const u64, len)
            }
            None => (arg_slots.as_ptr(), 0),
        };
        let (overload, owns_overload) = match overload {
            Found::Slot(arc) => (Arc::as_ptr(arc), false),
            Found::Rest(arc) => (Arc::into_raw(arc), true),
        };
        Ready { overload, owns_overload, args, args_heap, ret, ret_heap }
    }

    /// Frees the heap buffers and gives back the overload's reference.
    ///
    /// # Safety
    /// Once per `Ready`, after its last use.
    unsafe fn release(self) {
        unsafe {
            if self.args_heap > 0 {
                drop(Box::from_raw(std::ptr::slice_from_raw_parts_mut(self.args as *mut u64, self.args_heap)));
            }
            if self.ret_heap > 0 {
                drop(Box::from_raw(std::ptr::slice_from_raw_parts_mut(self.ret, self.ret_heap)));
            }
            if self.owns_overload {
                drop(Arc::from_raw(self.overload));
            }
        }
    }
}

/// The interned name of `Dispatcher._call_slow`, set by [`install_fast_call`].
static SLOW_PATH_NAME: std::sync::atomic::AtomicPtr<pyo3::ffi::PyObject> = std::sync::atomic::AtomicPtr::new(std::ptr::null_mut());

/// The dispatcher behind `callable`, which CPython guarantees is one (the type's call slot or
/// vectorcall offset led here).
///
/// # Safety
/// The GIL is held and `callable` is a live `DispatcherBase`.
#[inline]
unsafe fn dispatcher<'a>(py: Python<'_>, callable: *mut pyo3::ffi::PyObject) -> &'a DispatcherBase {
    // SAFETY: as the caller promises; the object outlives the call that borrows it.
    unsafe { &*(Borrowed::from_ptr(py, callable).cast_unchecked::<DispatcherBase>().get() as *const DispatcherBase) }
}

/// The vectorcall entry: positional arguments matching a compiled signature go straight to the
/// compiled code; anything else (keywords, missing or extra arguments, a first call, argument
/// types needing a new compilation or a conversion) takes [`call_slow_path`].
///
/// `extern "C-unwind"` and unguarded but for [`crate::gil::guarded`] sections, holding only
/// plain data: it may release and retake the GIL (see `gil.rs`). CPython calls it through a
/// pointer of its own `extern "C"` type (see [`install_fast_call`]).
unsafe extern "C-unwind" fn fast_vectorcall(
    callable: *mut pyo3::ffi::PyObject,
    args: *const *mut pyo3::ffi::PyObject,
    nargsf: usize,
    kwnames: *mut pyo3::ffi::PyObject,
) -> *mut pyo3::ffi::PyObject {
    // SAFETY: CPython calls this with the GIL held, `callable` a DispatcherBase (its type's
    // vectorcall offset points at this function), `args` holding the positional arguments
    // followed by the values of the keywords named in `kwnames` (NULL or a tuple of strings).
    unsafe {
        let py = Python::assume_attached();
        let this = dispatcher(py, callable);
        let nargs = pyo3::ffi::PyVectorcall_NARGS(nargsf) as usize;
        let no_keywords = kwnames.is_null() || pyo3::ffi::PyTuple_GET_SIZE(kwnames) == 0;
        if no_keywords && nargs == this.num_params {
            if let Some(result) = call_exact(this, nargs, |i| Borrowed::from_ptr(py, *args.add(i))) {
                return result;
            }
        }
        call_slow_path(callable, |method| pyo3::ffi::PyObject_Vectorcall(method, args, nargsf, kwnames))
    }
}

/// The fast path of both entry points: positional arguments whose types a compiled signature
/// takes exactly run it (the result, or null with an exception set); None when no signature
/// takes them. Inlined into the `extern "C-unwind"` entry points and holding only plain data
/// across [`DispatcherBase::run`], which may release and retake the GIL (see `gil.rs`).
///
/// # Safety
/// The GIL is held; `arg(i)` for `i < nargs` are the live positional arguments.
#[inline(always)]
unsafe fn call_exact<'a, 'py>(this: &DispatcherBase, nargs: usize, arg: impl Fn(usize) -> Borrowed<'a, 'py, PyAny>) -> Option<*mut pyo3::ffi::PyObject> {
    let (mut arg_slots, mut ret_slots) = ([0u64; STACK_SLOTS], [0u64; STACK_SLOTS]);
    let found = crate::gil::guarded(|| {
        let ready = Ready::new(this.find(nargs, arg, &mut arg_slots)?, None, &arg_slots, &mut ret_slots);
        // Without `nogil` the whole call runs in this one guard.
        Some(if this.nogil { Err(ready) } else { Ok(this.run_holding_gil(ready)) })
    });
    match found {
        Ok(Some(Ok(result))) => {
            // Output `print()` left waiting (see `gil::output_must_wait`); unguarded, as
            // writing may release and retake the GIL.
            // SAFETY: the GIL is held.
            unsafe { crate::write_pending_output() };
            Some(result)
        }
        // SAFETY: `ready` was made by this call and is run once.
        Ok(Some(Err(ready))) => Some(unsafe { this.run(ready) }),
        Ok(None) => None,
        Err(null) => Some(null),
    }
}

/// The call slot (`tp_call`), for calls made with an argument tuple and a keyword dict
/// (`f(*args, **kwargs)`, `functools.partial`): as [`fast_vectorcall`].
unsafe extern "C-unwind" fn fast_call(slf: *mut pyo3::ffi::PyObject, args: *mut pyo3::ffi::PyObject, kwargs: *mut pyo3::ffi::PyObject) -> *mut pyo3::ffi::PyObject {
    // SAFETY: CPython calls `tp_call` with the GIL held, `slf` an instance of this type (or a
    // subclass), `args` a tuple and `kwargs` NULL or a dict.
    unsafe {
        let py = Python::assume_attached();
        let this = dispatcher(py, slf);
        let nargs = pyo3::ffi::PyTuple_GET_SIZE(args) as usize;
        let no_keywords = kwargs.is_null() || pyo3::ffi::PyDict_Size(kwargs) == 0;
        if no_keywords && nargs == this.num_params {
            if let Some(result) = call_exact(this, nargs, |i| Borrowed::from_ptr(py, pyo3::ffi::PyTuple_GET_ITEM(args, i as isize))) {
                return result;
            }
        }
        call_slow_path(slf, |method| pyo3::ffi::PyObject_Call(method, args, kwargs))
    }
}

/// Hands a call to the Python method `Dispatcher._call_slow` (binding keywords and defaults,
/// compiling, object mode: it runs Python code, during which the thread may be ended at exit),
/// calling it with `call` from this unguarded frame. The method then runs compiled code through
/// [`call_compiled`].
///
/// # Safety
/// The GIL is held and `slf` is a live dispatcher.
unsafe fn call_slow_path(slf: *mut pyo3::ffi::PyObject, call: impl FnOnce(*mut pyo3::ffi::PyObject) -> *mut pyo3::ffi::PyObject) -> *mut pyo3::ffi::PyObject {
    unsafe {
        let method = pyo3::ffi::PyObject_GetAttr(slf, SLOW_PATH_NAME.load(Ordering::Relaxed));
        if method.is_null() {
            return method;
        }
        let result = call(method);
        pyo3::ffi::Py_DECREF(method);
        result
    }
}

/// `_native.call_compiled(dispatcher, args)`: runs the compiled signature that takes the
/// positional `args` (a tuple) as they are, or converted to a declared signature; raises a
/// `TypeError` when none does. `Dispatcher._call_slow` calls it once `_prepare` has compiled
/// what is needed. Unguarded like [`fast_vectorcall`].
pub unsafe extern "C-unwind" fn call_compiled(_module: *mut pyo3::ffi::PyObject, args: *const *mut pyo3::ffi::PyObject, nargs: pyo3::ffi::Py_ssize_t) -> *mut pyo3::ffi::PyObject {
    let (mut arg_slots, mut ret_slots) = ([0u64; STACK_SLOTS], [0u64; STACK_SLOTS]);
    let prepared = crate::gil::guarded(|| {
        Python::attach(|py| -> PyResult<(*const DispatcherBase, Ready)> {
            if nargs != 2 {
                return Err(pyo3::exceptions::PyTypeError::new_err("call_compiled(dispatcher, args) takes 2 arguments"));
            }
            // SAFETY: CPython passes `nargs` live argument objects.
            let (slf, args) = unsafe { (Borrowed::from_ptr(py, *args), Borrowed::from_ptr(py, *args.add(1))) };
            let this = slf.cast::<DispatcherBase>()?.get() as *const DispatcherBase;
            let args = args.cast::<PyTuple>()?;
            // SAFETY: `slf` is alive for the whole call.
            let ready = unsafe { &*this }.ready_for(py, &args, &mut arg_slots, &mut ret_slots)?;
            Ok((this, ready))
        })
    });
    match prepared {
        // SAFETY: the dispatcher and the argument tuple stay alive for the call (its arguments).
        Ok(Ok((this, ready))) => unsafe { (*this).run(ready) },
        Ok(Err(e)) => crate::gil::guarded(|| raise(e)).unwrap_or_else(|null| null),
        Err(null) => null,
    }
}

fn is_compile_error(py: Python<'_>, e: &PyErr) -> bool {
    py.import("ferrojit.errors")
        .and_then(|m| m.getattr("CompileError"))
        .map(|cls| e.value(py).is_instance(&cls).unwrap_or(false))
        .unwrap_or(false)
}

impl DispatcherBase {
    /// `FERROJIT_TIMING=1`: one line per compilation with the time of each stage, on stderr.
    fn print_timing(&self, py: Python<'_>, compiled: &CompiledFunction) {
        let t = &compiled.timings;
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
        let name = self.py_func.bind(py).getattr("__qualname__").and_then(|n| n.extract::<String>()).unwrap_or_default();
        let args: Vec<String> = compiled.args.iter().map(|a| a.to_string()).collect();
        let total = ms(t.infer) + ms(t.lower) + ms(t.optimize) + ms(t.machine_code);
        eprintln!(
            "ferrojit: {name}({}) -> {}: source {:.2} ms (once per function), infer {:.2} ms, lower {:.2} ms, optimize {:.2} ms, machine code {:.2} ms{}; total {:.2} ms",
            args.join(", "),
            compiled.ret,
            self.source_seconds.get().copied().unwrap_or(0.0) * 1e3,
            ms(t.infer),
            ms(t.lower),
            ms(t.optimize),
            ms(t.machine_code),
            if compiled.cache_hit { " (loaded from the cache)" } else { "" },
            total
        );
        for (unit, t) in &compiled.library_units_compiled {
            eprintln!(
                "ferrojit:   library unit {unit}: lower {:.2} ms, optimize {:.2} ms, machine code {:.2} ms",
                ms(t.lower),
                ms(t.optimize),
                ms(t.machine_code)
            );
        }
    }

    /// Compiler options from the decorator and the environment.
    fn options(&self) -> Options {
        let env_flag = |name: &str| std::env::var(name).is_ok_and(|v| v == "1");
        Options {
            dump_ir: env_flag("FERROJIT_DUMP_IR"),
            keep_llvm_ir: false,
            keep_asm: false,
            ufunc_loop: false,
            gufunc_core: None,
            boundscheck: self.boundscheck || env_flag("FERROJIT_BOUNDSCHECK"),
            fastmath: self.fastmath,
            numpy_errors: self.numpy_errors,
            cache_dir: None,
        }
    }

    /// Where `cache=True` keeps machine code: `FERROJIT_CACHE_DIR`, else `__pycache__` beside
    /// the source file; `None` for functions without a file.
    fn cache_dir(&self, source: &FunctionSource) -> Option<std::path::PathBuf> {
        if !self.cache {
            return None;
        }
        if let Ok(dir) = std::env::var("FERROJIT_CACHE_DIR") {
            if !dir.is_empty() {
                return Some(dir.into());
            }
        }
        let file = std::path::Path::new(&source.source.filename);
        if source.source.filename.starts_with('<') || !file.is_file() {
            return None;
        }
        Some(file.parent()?.join("__pycache__"))
    }

    /// Records that these argument types run as plain Python (object mode) after nopython
    /// compilation failed, and returns the warning to give with the reason: once per function,
    /// "" after that.
    fn object_mode(&self, py: Python<'_>, reason: &str, types: Option<Vec<Type>>) -> PyResult<Option<String>> {
        if let Some(types) = types {
            self.object_mode.lock().unwrap_or_else(|p| p.into_inner()).push(types);
        }
        if self.warned.swap(true, Ordering::Relaxed) {
            return Ok(Some(String::new()));
        }
        let name = self.qualname(py)?;
        Ok(Some(format!(
            "`{name}` runs as plain Python (object mode): it could not be compiled in nopython mode.\n{reason}\n  \
             To get native speed, move the unsupported part into a separate plain-Python function and \
             compile the numeric part; use @njit to make this an error instead of a warning."
        )))
    }

    fn qualname(&self, py: Python<'_>) -> PyResult<String> {
        self.py_func.bind(py).getattr("__qualname__")?.extract()
    }

    /// "`f()` argument `n`": how messages about one argument start.
    fn argument_label(&self, py: Python<'_>, index: usize) -> String {
        let name = self.qualname(py).unwrap_or_else(|_| "?".into());
        match self.param_names.get(index) {
            Some(param) => format!("`{name}()` argument `{param}`"),
            None => format!("`{name}()` argument {}", index + 1),
        }
    }

    /// `err`, raised for the argument at `index`, again with the function and the parameter
    /// named first.
    fn argument_error(&self, py: Python<'_>, index: usize, err: PyErr) -> PyErr {
        let message = format!("{}: {}", self.argument_label(py, index), err.value(py));
        match err.get_type(py).call1((message,)) {
            Ok(instance) => PyErr::from_value(instance),
            Err(e) => e,
        }
    }

    /// The parsed source and globals of the Python function, built on first use.
    ///
    /// `Dispatcher._load_sources` normally reads it first, from Python: reading runs Python
    /// code, which had better not run inside native frames (see `gil.rs`). A dispatcher that
    /// escaped it (a global rebound after the first compilation) is read from here.
    pub fn function_source(&self, py: Python<'_>) -> PyResult<Arc<FunctionSource>> {
        if let Some(s) = self.source.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            return Ok(s.clone());
        }
        self.read_function_source(py)
    }

    fn read_function_source(&self, py: Python<'_>) -> PyResult<Arc<FunctionSource>> {
        let started = std::time::Instant::now();
        let module = py.import("ferrojit._source")?;
        for quick in [true, false] {
            let info = module.call_method1("source_info", (self.py_func.bind(py), self.captured_lines.bind(py), quick))?;
            if let Some(source) = self.set_source(py, &info, quick, started.elapsed().as_secs_f64())? {
                return Ok(source);
            }
        }
        Err(error_class(py, "InternalError", "the full source of a function did not give a function source"))
    }

    /// Builds the function source from `info`, what `ferrojit._source.source_info` returned
    /// (with `quick`, the block cut by indentation), after `seconds` spent reading it. None when
    /// the quick cut does not parse (it can miss lines: a multi-line string indented less than
    /// the function); then the caller asks `inspect` (`quick=False`).
    fn set_source(&self, py: Python<'_>, info: &Bound<'_, PyAny>, quick: bool, seconds: f64) -> PyResult<Option<Arc<FunctionSource>>> {
        let started = std::time::Instant::now();
        let (filename, first_line, text, defaults): (String, u32, String, Vec<Bound<'_, PyTuple>>) = info.extract()?;
        let name: String = self.py_func.bind(py).getattr("__name__")?.extract()?;
        let defaults = defaults
            .iter()
            .map(|d| match d.len() {
                0 => None,
                _ => d.get_item(0).ok().and_then(|v| constant(&v)),
            })
            .collect();
        // The variables a function closes over (a kernel made by a factory function) are frozen
        // as its globals are, as Numba freezes them.
        let globals = Box::new(PyGlobals::of_function(self.py_func.bind(py))?);
        let text = ferrojit_compiler::SourceText::new(filename, first_line, text);
        let mut source = if quick {
            match ferrojit_compiler::parse_function(&text) {
                Ok(ast) => FunctionSource { id: self.id, name, source: Arc::new(text), ast: Ok(ast), globals, defaults, library: self.library, parallel: self.parallel },
                Err(_) => return Ok(None),
            }
        } else {
            FunctionSource { library: self.library, parallel: self.parallel, ..ferrojit_compiler::function_source(self.id, &name, text, globals, defaults) }
        };
        if self.parallel {
            if let Ok(def) = &source.ast {
                source.ast = ferrojit_compiler::parallel_loops(def, &*source.globals).map(|(def, report)| {
                    *self.parallel_report.lock().unwrap_or_else(|p| p.into_inner()) = report;
                    def
                });
            }
        }
        let _ = self.source_seconds.set(seconds + started.elapsed().as_secs_f64());
        let source = Arc::new(source);
        let mut slot = self.source.lock().unwrap_or_else(|p| p.into_inner());
        Ok(Some(slot.get_or_insert(source).clone()))
    }

    /// The first compiled signature whose types the `nargs` arguments (`arg(i)`) have exactly,
    /// with the arguments packed into `slots` for it.
    fn find<'a, 'py>(&self, nargs: usize, arg: impl Fn(usize) -> Borrowed<'a, 'py, PyAny>, slots: &mut Slots) -> Option<Found<'_, Overload>> {
        self.overloads.find_ref(|o| {
            if o.arg_slots > STACK_SLOTS || o.compiled.args.len() != nargs {
                return false;
            }
            pack_arguments(&o.compiled.args, slots, |i, slots, at| pack(&arg(i), &o.compiled.args[i], slots, at))
        })
    }

    /// Packs the positional `args` for the first compiled signature that takes them exactly,
    /// else (when signatures were declared) the first one they convert to. Raises a
    /// `TypeError` naming what fits none of the declared signatures.
    fn ready_for(&self, py: Python<'_>, args: &Bound<'_, PyTuple>, arg_slots: &mut Slots, ret_slots: &mut Slots) -> PyResult<Ready> {
        let overloads = self.overloads.snapshot();
        let converting = self.frozen.load(Ordering::Relaxed);
        for converts in [false, true] {
            if converts && !converting {
                break;
            }
            for overload in overloads.iter().filter(|o| o.compiled.args.len() == args.len()) {
                let mut heap = (overload.arg_slots > STACK_SLOTS).then(|| vec![0u64; overload.arg_slots].into_boxed_slice());
                let buffer: &mut [u64] = match &mut heap {
                    Some(heap) => heap,
                    None => arg_slots,
                };
                let types = &overload.compiled.args;
                let packed = pack_arguments(types, buffer, |i, buffer, at| {
                    let Ok(a) = args.get_item(i) else { return false };
                    if converts {
                        pack_converting(&a, &types[i], buffer, at)
                    } else {
                        pack(&a, &types[i], buffer, at)
                    }
                });
                if packed {
                    return Ok(Ready::new(Found::Rest(overload.clone()), heap, arg_slots, ret_slots));
                }
            }
        }
        if converting {
            return Err(self.declared_signature_mismatch(py, args, &overloads));
        }
        Err(error_class(py, "InternalError", "arguments do not match the signature they were compiled for"))
    }

    /// The `TypeError` for arguments that convert to none of the declared signatures: it names
    /// the first argument that no declared signature takes, when there is one.
    fn declared_signature_mismatch(&self, py: Python<'_>, args: &Bound<'_, PyTuple>, overloads: &[Arc<Overload>]) -> PyErr {
        let given: Vec<String> = args
            .iter()
            .map(|a| typeof_value(&a).map(|t| t.to_string()).unwrap_or_else(|_| a.get_type().name().map(|n| n.to_string()).unwrap_or_default()))
            .collect();
        let accepted: Vec<String> = overloads
            .iter()
            .map(|o| format!("{}({})", o.compiled.ret, o.compiled.args.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(", ")))
            .collect();
        let same_arity: Vec<&Arc<Overload>> = overloads.iter().filter(|o| o.compiled.args.len() == args.len()).collect();
        // Converting into no slots only checks (writes are bounded by the buffer's length).
        // Packed into a buffer of its own and released: packing a list or a string makes one.
        let converts = |i: usize, a: &Bound<'_, PyAny>| {
            same_arity.iter().any(|o| {
                let ty = &o.compiled.args[i];
                let mut slots = vec![0u64; ty.leaves().len()];
                let fits = pack_converting(a, ty, &mut slots, &mut 0);
                if fits {
                    crate::lists::release_packed(ty, &slots, &mut 0);
                }
                fits
            })
        };
        let lone_misfit = if same_arity.is_empty() { None } else { args.iter().enumerate().find(|(i, a)| !converts(*i, a)) };
        let what = match lone_misfit {
            Some((i, a)) => {
                // Too large an integer has a type name ("int") that hides why.
                let why = match typeof_value(&a) {
                    Err(e) if e.is_instance_of::<pyo3::exceptions::PyOverflowError>(py) => format!(" ({})", e.value(py)),
                    _ => String::new(),
                };
                // `an unaligned array`, but `a uint8`, `a unicode_type`: the `u` of these names
                // sounds as in "you".
                let sounds_as_you = ["uint", "unicode"].iter().any(|p| given[i].starts_with(p));
                let article = if given[i].starts_with(['a', 'e', 'i', 'o', 'u']) && !sounds_as_you { "an" } else { "a" };
                format!("{}: {article} `{}` value{why}", self.argument_label(py, i), given[i])
            }
            None => format!("`{}()`: the arguments ({})", self.qualname(py).unwrap_or_default(), given.join(", ")),
        };
        pyo3::exceptions::PyTypeError::new_err(format!(
            "{what} matches none of the declared signatures (accepted: {}); a function given signatures compiles no others",
            accepted.join("; ")
        ))
    }

    /// Numba runs a declared signature such as `float64(float64[:])` on unaligned arrays too.
    /// ferrojit's code for aligned arrays may assume their alignment, so when the arguments
    /// convert to no declared signature as they are, the first declared signature they convert
    /// to once their unaligned arrays are declared unaligned ([`crate::values::unaligned_like`])
    /// is compiled for them, once: the call (and every later one) then finds it among the
    /// signatures and runs it on the arrays as they are. Nothing is compiled when no argument
    /// is an unaligned array, or no declared signature fits.
    fn compile_unaligned_twin(&self, py: Python<'_>, args: &Bound<'_, PyTuple>) -> PyResult<()> {
        let declared = self.overloads.snapshot();
        let converts = |types: &[Type]| {
            let mut buffer = vec![0u64; types.iter().map(|t| t.leaves().len()).sum()];
            let mut at = 0;
            types.len() == args.len() && args.iter().zip(types).all(|(a, t)| pack_converting(&a, t, &mut buffer, &mut at))
        };
        if declared.iter().any(|o| converts(&o.compiled.args)) {
            return Ok(());
        }
        let Ok(given) = args.iter().map(|a| typeof_value(&a)).collect::<PyResult<Vec<Type>>>() else {
            return Ok(());
        };
        for overload in declared.iter().filter(|o| o.compiled.args.len() == given.len()) {
            let twin: Vec<Type> = overload.compiled.args.iter().zip(&given).map(|(d, g)| crate::values::unaligned_like(d, g)).collect();
            if twin != overload.compiled.args && converts(&twin) {
                self.compile(py, &twin, Some(&crate::values::all_unaligned(&overload.compiled.ret)))?;
                return Ok(());
            }
        }
        Ok(())
    }

    fn compile(&self, py: Python<'_>, types: &[Type], ret: Option<&Type>) -> PyResult<Arc<Overload>> {
        if let Some(o) = self.overloads.find(|o| o.compiled.args == types && ret.is_none_or(|r| *r == o.compiled.ret)) {
            return Ok(o);
        }
        let source = self.function_source(py)?;
        let mut options = self.options();
        options.cache_dir = self.cache_dir(&source);
        let compiled = compile_guarded(py, &source, types, ret, &options)?;
        if std::env::var("FERROJIT_TIMING").is_ok_and(|v| v == "1") {
            self.print_timing(py, &compiled);
        }
        let arg_slots = types.iter().map(|t| t.leaves().len()).sum();
        let ret_slots = compiled.ret.leaves().len();
        let list_args = crate::lists::needs_reflecting(&compiled.args);
        let overload = Arc::new(Overload { compiled, arg_slots, ret_slots, list_args });
        self.overloads.push(overload.clone());
        Ok(overload)
    }

    /// Runs the compiled code of `ready` and boxes its result, or raises the exception it
    /// raised. With `nogil=True` the GIL is released around the native code and retaken here,
    /// outside any panic guard and with only plain data alive (see `gil.rs`): this function
    /// and its callers up to CPython are `extern "C-unwind"` entry points and plain functions.
    ///
    /// # Safety
    /// The GIL is held; `ready` comes from [`Ready::new`] for a call of this dispatcher, whose
    /// argument objects the caller keeps alive.
    unsafe fn run(&self, ready: Ready) -> *mut pyo3::ffi::PyObject {
        if !self.nogil {
            // SAFETY: as the caller promises.
            let result = crate::gil::guarded(|| unsafe { self.run_holding_gil(ready) }).unwrap_or_else(|null| null);
            // SAFETY: the GIL is held; unguarded, as writing may release and retake it.
            unsafe { crate::write_pending_output() };
            return result;
        }
        let mut exc = ExcInfo::default();
        // SAFETY: `ready.args` holds the packed arguments of this signature and `ready.ret` has
        // room for its result (the entry point was compiled for exactly these layouts); the
        // overload is alive until `ready.release()`.
        let status = unsafe {
            let entry = (*ready.overload).compiled.entry;
            let exc = &mut exc as *mut ExcInfo;
            crate::gil::run_without_gil(|| entry(ready.ret, exc, ready.args))
        };
        // SAFETY: the GIL is held again; unguarded, as writing may release and retake it.
        unsafe { crate::write_pending_output() };
        // SAFETY: the GIL is held.
        crate::gil::guarded(|| unsafe { self.finish(ready, status, &exc) }).unwrap_or_else(|null| null)
    }

    /// [`DispatcherBase::run`] for a dispatcher without `nogil=True`, inside a panic guard.
    ///
    /// # Safety
    /// As for `run`.
    #[inline]
    unsafe fn run_holding_gil(&self, ready: Ready) -> *mut pyo3::ffi::PyObject {
        let mut exc = ExcInfo::default();
        // SAFETY: as in `run`.
        unsafe {
            let entry = (*ready.overload).compiled.entry;
            let status = crate::gil::run_holding_gil(|| entry(ready.ret, &mut exc, ready.args));
            self.finish(ready, status, &exc)
        }
    }

    /// Boxes the result of compiled code that returned `status`, or raises the exception it
    /// reported in `exc`; then releases what `ready` holds.
    ///
    /// # Safety
    /// The GIL is held; `ready` ran and is not used after this.
    #[inline]
    unsafe fn finish(&self, ready: Ready, status: i32, exc: &ExcInfo) -> *mut pyo3::ffi::PyObject {
        // SAFETY: the GIL is held; the buffers and the overload live until `release`.
        let py = unsafe { Python::assume_attached() };
        let overload = unsafe { &*ready.overload };
        let mut result = if status == 0 {
            let ret = unsafe { std::slice::from_raw_parts(ready.ret, overload.ret_slots) };
            unpack(py, &overload.compiled.ret, ret, &mut 0).map(Bound::into_ptr)
        } else {
            Err(native_exception(py, exc))
        };
        if overload.list_args {
            // Also after an exception: the caller sees the changes made before it, as in Python.
            let args = unsafe { std::slice::from_raw_parts(ready.args, overload.arg_slots) };
            if let Err(e) = crate::lists::reflect_arguments(py, &overload.compiled.args, args) {
                if let Ok(value) = result {
                    // SAFETY: the new reference `unpack` made, dropped for the error.
                    unsafe { pyo3::ffi::Py_DECREF(value) };
                }
                result = Err(e);
            }
        }
        unsafe { ready.release() };
        match result {
            Ok(value) => value,
            Err(e) => raise(e),
        }
    }
}

/// Packs the arguments of a signature of `types` into `slots`, each by `pack_one(i, slots,
/// at)`; when one does not fit, releases the lists packed for the ones before it (see
/// `lists.rs`), so that trying a signature that does not fit leaks nothing.
#[inline]
fn pack_arguments(types: &[Type], slots: &mut [u64], mut pack_one: impl FnMut(usize, &mut [u64], &mut usize) -> bool) -> bool {
    let mut at = 0;
    for i in 0..types.len() {
        if !pack_one(i, slots, &mut at) {
            let mut from = 0;
            types[..i].iter().for_each(|t| crate::lists::release_packed(t, slots, &mut from));
            return false;
        }
    }
    true
}

/// Sets `err` as the pending exception; returns the null result that reports it. Error paths
/// run with PyO3's GIL accounting on (`Python::attach`): a reference dropped on the way is
/// released at once, and ones dropped earlier on the fast path, which runs without that
/// accounting, are released now rather than piling up in PyO3's deferred pool.
fn raise(err: PyErr) -> *mut pyo3::ffi::PyObject {
    Python::attach(|py| err.restore(py));
    std::ptr::null_mut()
}
/// CPython's `UnicodeEncodeError` (`UnicodeDecodeError`) for a codec error of compiled code
/// (see `ferrojit_runtime::CODEC_ERROR_MARK`): Python's own codec run on the same operand.
fn codec_error(py: Python<'_>, codec: &str) -> PyErr {
    let mut parts = codec.splitn(3, '\0');
    let (Some(op), Some(encoding), Some(code)) = (parts.next(), parts.next(), parts.next()) else {
        return error_class(py, "InternalError", "a codec error without its operand");
    };
    let code: Vec<u32> = code.split(',').filter(|h| !h.is_empty()).filter_map(|h| u32::from_str_radix(h, 16).ok()).collect();
    let result = if op == "encode" {
        // Lone surrogates included: the text is built by `chr`, as Python holds it.
        py.import("builtins").and_then(|b| {
            let chr = b.getattr("chr")?;
            let text: Vec<Bound<'_, PyAny>> = code.iter().map(|&c| chr.call1((c,))).collect::<PyResult<_>>()?;
            let text = pyo3::types::PyString::new(py, "").call_method1("join", (text,))?;
            text.call_method1("encode", (encoding, "strict"))
        })
    } else {
        let bytes: Vec<u8> = code.iter().map(|&c| c as u8).collect();
        pyo3::types::PyBytes::new(py, &bytes).call_method1("decode", (encoding, "strict"))
    };
    match result {
        Err(e) => e,
        Ok(_) => error_class(py, "InternalError", &format!("compiled code found a {op} error that Python's codec does not")),
    }
}

/// The Python exception a compiled function raised.
pub(crate) fn native_exception(py: Python<'_>, exc: &ExcInfo) -> PyErr {
    if let Some(original) = crate::objmode::original_exception(exc) {
        return original;
    }
    exception_with_cause(py, exc)
}

/// The Python exception of `exc` with the cause its message records (`raise X from cause`,
/// see `ferrojit_runtime::CAUSE_MARK`) as its `__cause__`, the cause's own cause in turn.
fn exception_with_cause(py: Python<'_>, exc: &ExcInfo) -> PyErr {
    let err = exception_without_cause(py, exc);
    // SAFETY: `exc` was filled by a raise.
    match ferrojit_runtime::exceptions::split_cause(unsafe { exc.message() }).0 {
        // `raise X from None`: no cause, and the context suppressed, as CPython's.
        Some((0, _)) => {
            let _ = err.value(py).setattr("__suppress_context__", true);
        }
        Some((code, message)) => {
            let cause = ExcInfo { kind: code, msg: message.as_ptr(), len: message.len() };
            err.set_cause(py, Some(exception_with_cause(py, &cause)));
        }
        None => {}
    }
    err
}

/// The Python exception of `exc`, without what `native_exception` adds.
pub(crate) fn exception_without_cause(py: Python<'_>, exc: &ExcInfo) -> PyErr {
    // SAFETY: messages point into the compiled module's constants or static strings.
    let message = ferrojit_runtime::exceptions::split_cause(unsafe { exc.message() }).1;
    let class = match ExcKind::from_code(exc.kind) {
        Some(kind) => {
            if let Some(codec) = message.strip_prefix(ferrojit_runtime::CODEC_ERROR_MARK) {
                return codec_error(py, codec);
            }
            // NumPy's own exception classes live in NumPy's modules (loaded with NumPy, which
            // the arrays that raised them came from).
            match py.import(kind.module()).and_then(|b| b.getattr(kind.name())) {
                Ok(c) => c,
                Err(e) => return e,
            }
        }
        None => match crate::user_exceptions::class_of(py, exc.kind) {
            Some(class) => class.into_any(),
            None => return error_class(py, "InternalError", &format!("compiled code raised unknown exception kind {}", exc.kind)),
        },
    };
    // A message made at run time from a string (the exception's argument, even empty).
    let (message, text_argument) = match message.strip_prefix(ferrojit_runtime::TEXT_ARGUMENT_MARK) {
        Some(text) => (text, true),
        None => (message, false),
    };
    let literal = |text: &str| py.import("ferrojit._dispatcher").and_then(|d| d.call_method1("_exception_arguments", (text,)));
    let several = message.strip_prefix(ferrojit_runtime::ARGUMENTS_MARK).and_then(|rest| rest.split_once(ferrojit_runtime::ARGUMENTS_MARK));
    let instance = match message.strip_prefix(ferrojit_runtime::KEY_ERROR_NUMBER_MARK) {
        // A `KeyError` whose argument is the missing number key, as CPython's.
        Some(number) => literal(number).and_then(|key| class.call1((key,))),
        // Several arguments, from the `repr` of their tuple (or that text, for arguments from
        // Python that no literal writes: objects' reprs).
        None if text_argument && several.is_some() => {
            let (_, tuple) = several.expect("checked");
            match literal(tuple).and_then(|args| args.cast_into::<PyTuple>().map_err(PyErr::from)) {
                Ok(args) => class.call1(args),
                Err(_) => class.call1((tuple,)),
            }
        }
        None if message.is_empty() && !text_argument => class.call0(),
        None => class.call1((message,)),
    };
    match instance {
        Ok(i) => PyErr::from_value(i),
        Err(e) => e,
    }
}
