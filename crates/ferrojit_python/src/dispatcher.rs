//! `DispatcherBase`: the callable returned by `@njit`.
//!
//! A call finds the compiled specialisation whose argument types match the arguments exactly
//! (packing the arguments into a stack buffer as it checks, so the fast path allocates nothing),
//! or compiles one first. Keyword arguments and defaults are bound in Python (`_bind`) and then
//! take the same path. Compilation never holds a lock: the compiler calls back into Python to
//! read globals, which may name this very dispatcher (recursion).

use crate::globals::{constant, PyGlobals};
use crate::values::{pack, pack_converting, typeof_value, unpack};
use crate::{compile_error, error_class};
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
    source: Mutex<Option<Arc<FunctionSource>>>,
    /// Seconds spent reading and parsing the source (once per function).
    source_seconds: std::sync::OnceLock<f64>,
    /// Read on every call without locking; replaced whole when a signature is added.
    overloads: Overloads<Overload>,
    /// The `boundscheck=True` option.
    boundscheck: bool,
    /// The `nogil=True` option: the GIL is released while native code runs.
    nogil: bool,
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
        let nogil = flag("nogil")?;
        let cache = flag("cache")?;
        let fallback = flag("_fallback")?;
        let forceobj = flag("forceobj")?;
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
        let num_params: usize = code.getattr("co_argcount")?.extract()?;
        let captured_lines = py_func.py().import("ferrojit._source")?.call_method1("capture", (&py_func,))?.unbind();
        Ok(DispatcherBase {
            vectorcall: fast_vectorcall,
            py_func: py_func.unbind(),
            id: next_id(),
            num_params,
            captured_lines,
            source: Mutex::new(None),
            overloads: Overloads::default(),
            source_seconds: std::sync::OnceLock::new(),
            boundscheck,
            nogil,
            cache,
            fastmath,
            numpy_errors,
            fallback,
            forceobj,
            object_mode: Mutex::new(Vec::new()),
            warned: std::sync::atomic::AtomicBool::new(false),
            frozen: std::sync::atomic::AtomicBool::new(false),
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

    #[pyo3(signature = (*args, **kwargs))]
    fn __call__<'py>(slf: &Bound<'py, Self>, args: &Bound<'py, PyTuple>, kwargs: Option<&Bound<'py, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let this = slf.get();
        let rebound;
        let args = if kwargs.is_none_or(|k| k.is_empty()) && args.len() == this.num_params {
            args
        } else {
            rebound = slf.call_method1("_bind", (args, kwargs))?.cast_into::<PyTuple>()?;
            &rebound
        };
        let mut slots = [0u64; STACK_SLOTS];
        // SAFETY: indices below the tuple's length.
        if let Some(overload) = this.find(args.len(), |i| unsafe { args.get_borrowed_item_unchecked(i) }, &mut slots) {
            return this.invoke(py, &overload, &slots);
        }
        if this.forceobj {
            return this.py_func.bind(py).call1(args.clone());
        }
        if this.frozen.load(Ordering::Relaxed) {
            return this.call_converting(slf, args);
        }
        let types = match args.iter().map(|a| typeof_value(&a)).collect::<PyResult<Vec<_>>>() {
            Ok(types) => types,
            Err(e) if this.fallback => return this.object_mode_call(py, args, &e.value(py).to_string(), None),
            Err(e) => return Err(e),
        };
        if this.fallback && this.object_mode.lock().unwrap_or_else(|p| p.into_inner()).contains(&types) {
            return this.py_func.bind(py).call1(args.clone());
        }
        let overload = match this.compile(py, &types, None) {
            Ok(o) => o,
            Err(e) if this.fallback && e.is_instance_of::<pyo3::exceptions::PyException>(py) && is_compile_error(py, &e) => {
                return this.object_mode_call(py, args, &e.value(py).to_string(), Some(types));
            }
            Err(e) => return Err(e),
        };
        let mut heap;
        let buffer: &mut [u64] = if overload.arg_slots <= STACK_SLOTS {
            &mut slots
        } else {
            heap = vec![0u64; overload.arg_slots];
            &mut heap
        };
        let mut at = 0;
        let packed = args.iter().zip(&overload.compiled.args).all(|(a, t)| pack(&a, t, buffer, &mut at));
        if !packed {
            return Err(error_class(py, "InternalError", "arguments do not match the signature they were compiled for"));
        }
        this.invoke(py, &overload, buffer)
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
        let compiled = ferrojit_compiler::compile(&source, &types, Some(&ret), &options).map_err(|e| compile_error(py, &e))?;
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
        let compiled = ferrojit_compiler::compile(&source, &sig.args, sig.ret.as_ref(), &options).map_err(|e| compile_error(py, &e))?;
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
        let compiled = ferrojit_compiler::compile(&source, &args, Some(&Type::NoneType), &options).map_err(|e| compile_error(py, &e))?;
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

/// Gives `ty` (`DispatcherBase` or a subclass, which CPython gives the base's original slots
/// when it is created) two faster ways in:
/// - the call slot [`fast_call`], which hands the argument tuple and the keyword dict straight
///   to `__call__` instead of going through PyO3's argument extraction (which copies the
///   positional arguments into a new tuple on every call);
/// - CPython's vectorcall protocol: `f(x, y)` from Python code passes its arguments as an
///   array, with no tuple at all, to [`fast_vectorcall`]. Each instance stores the function
///   pointer in its `vectorcall` field; the type records that field's offset in the object
///   (measured on `sample`, an instance: PyO3 decides where a pyclass's fields sit) and sets
///   `Py_TPFLAGS_HAVE_VECTORCALL`. Subclasses of `ty` made later do not inherit the flag and
///   keep the call slot.
#[pyfunction]
pub fn install_fast_call(ty: &Bound<'_, pyo3::types::PyType>, sample: &Bound<'_, DispatcherBase>) -> PyResult<()> {
    if !ty.is_subclass_of::<DispatcherBase>()? || !sample.get_type().is(ty) {
        return Err(pyo3::exceptions::PyTypeError::new_err("expected a DispatcherBase subclass and an instance of it"));
    }
    let offset = std::ptr::addr_of!(sample.get().vectorcall) as isize - sample.as_ptr() as isize;
    // SAFETY: a heap type whose instances are DispatcherBase objects, all with the same layout
    // as `sample` (the field offset lies inside the object). CPython allows setting a heap
    // type's slots and flags, followed by `PyType_Modified`.
    unsafe {
        let raw = ty.as_type_ptr();
        (*raw).tp_call = Some(fast_call);
        (*raw).tp_vectorcall_offset = offset;
        (*raw).tp_flags |= pyo3::ffi::Py_TPFLAGS_HAVE_VECTORCALL;
        pyo3::ffi::PyType_Modified(raw);
    }
    Ok(())
}

/// The vectorcall entry: positional arguments matching a compiled signature go straight to
/// the compiled code; anything else (keywords, missing or extra arguments, a first call)
/// takes `__call__` with a tuple built here.
unsafe extern "C" fn fast_vectorcall(
    callable: *mut pyo3::ffi::PyObject,
    args: *const *mut pyo3::ffi::PyObject,
    nargsf: usize,
    kwnames: *mut pyo3::ffi::PyObject,
) -> *mut pyo3::ffi::PyObject {
    // SAFETY: CPython calls this with the GIL held, `callable` an instance of a type whose
    // vectorcall offset points at this function (a DispatcherBase), `args` holding the
    // positional arguments followed by the values of the keywords named in `kwnames` (NULL or
    // a tuple of strings).
    let outcome = std::panic::catch_unwind(|| unsafe {
        let py = Python::assume_attached();
        let slf = Bound::from_borrowed_ptr(py, callable).cast_into_unchecked::<DispatcherBase>();
        let nargs = pyo3::ffi::PyVectorcall_NARGS(nargsf) as usize;
        let nkw = if kwnames.is_null() { 0 } else { pyo3::ffi::PyTuple_GET_SIZE(kwnames) as usize };
        let arg = |i: usize| Borrowed::from_ptr(py, *args.add(i));
        let this = slf.get();
        let result = if nkw == 0 && nargs == this.num_params {
            let mut slots = [0u64; STACK_SLOTS];
            match this.find(nargs, arg, &mut slots) {
                Some(overload) => this.invoke(py, &overload, &slots),
                None => PyTuple::new(py, (0..nargs).map(arg)).and_then(|t| DispatcherBase::__call__(&slf, &t, None)),
            }
        } else {
            let positional = PyTuple::new(py, (0..nargs).map(arg));
            let keywords = PyDict::new(py);
            let mut bound = Ok(());
            for k in 0..nkw {
                let name = Borrowed::from_ptr(py, pyo3::ffi::PyTuple_GET_ITEM(kwnames, k as isize));
                bound = bound.and_then(|()| keywords.set_item(name, arg(nargs + k)));
            }
            bound.and(positional).and_then(|t| DispatcherBase::__call__(&slf, &t, Some(&keywords)))
        };
        match result {
            Ok(value) => value.into_ptr(),
            Err(e) => {
                e.restore(py);
                std::ptr::null_mut()
            }
        }
    });
    outcome.unwrap_or_else(|_| {
        // SAFETY: as above; the GIL is still held.
        let py = unsafe { Python::assume_attached() };
        error_class(py, "InternalError", "a panic in the dispatcher (a bug in ferrojit)").restore(py);
        std::ptr::null_mut()
    })
}

unsafe extern "C" fn fast_call(slf: *mut pyo3::ffi::PyObject, args: *mut pyo3::ffi::PyObject, kwargs: *mut pyo3::ffi::PyObject) -> *mut pyo3::ffi::PyObject {
    // SAFETY: CPython calls `tp_call` with the GIL held, `slf` an instance of this type (or a
    // subclass), `args` a tuple and `kwargs` NULL or a dict.
    let outcome = std::panic::catch_unwind(|| unsafe {
        let py = Python::assume_attached();
        let slf = Bound::from_borrowed_ptr(py, slf).cast_into_unchecked::<DispatcherBase>();
        let args = Bound::from_borrowed_ptr(py, args).cast_into_unchecked::<PyTuple>();
        let kwargs = (!kwargs.is_null()).then(|| Bound::from_borrowed_ptr(py, kwargs).cast_into_unchecked::<PyDict>());
        match DispatcherBase::__call__(&slf, &args, kwargs.as_ref()) {
            Ok(value) => value.into_ptr(),
            Err(e) => {
                e.restore(py);
                std::ptr::null_mut()
            }
        }
    });
    outcome.unwrap_or_else(|_| {
        // SAFETY: as above; the GIL is still held.
        let py = unsafe { Python::assume_attached() };
        error_class(py, "InternalError", "a panic in the dispatcher (a bug in ferrojit)").restore(py);
        std::ptr::null_mut()
    })
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

    /// Runs the Python function itself (object mode) after nopython compilation failed,
    /// warning once per function with the reason.
    fn object_mode_call<'py>(&self, py: Python<'py>, args: &Bound<'py, PyTuple>, reason: &str, types: Option<Vec<Type>>) -> PyResult<Bound<'py, PyAny>> {
        if let Some(types) = types {
            self.object_mode.lock().unwrap_or_else(|p| p.into_inner()).push(types);
        }
        if !self.warned.swap(true, Ordering::Relaxed) {
            let name: String = self.py_func.bind(py).getattr("__qualname__")?.extract()?;
            let message = format!(
                "`{name}` runs as plain Python (object mode): it could not be compiled in nopython mode.\n{reason}\n  \
                 To get native speed, move the unsupported part into a separate plain-Python function and \
                 compile the numeric part; use @njit to make this an error instead of a warning."
            );
            let category = py.import("ferrojit.errors")?.getattr("FerrojitWarning")?;
            PyErr::warn(py, &category, &std::ffi::CString::new(message).unwrap_or_default(), 2)?;
        }
        self.py_func.bind(py).call1(args.clone())
    }

    /// The parsed source and globals of the Python function, built on first use.
    pub fn function_source(&self, py: Python<'_>) -> PyResult<Arc<FunctionSource>> {
        if let Some(s) = self.source.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            return Ok(s.clone());
        }
        // Checking the text compiles it with CPython, whose compiler recurses as deep as the
        // code nests, as the parser does: neither may depend on the calling thread's stack.
        ferrojit_compiler::on_deep_stack(|| self.read_function_source(py))
    }

    fn read_function_source(&self, py: Python<'_>) -> PyResult<Arc<FunctionSource>> {
        let started = std::time::Instant::now();
        let module = py.import("ferrojit._source")?;
        let read = |fast: bool| -> PyResult<(String, u32, String, Vec<Bound<'_, PyTuple>>)> {
            module.call_method1("source_info", (self.py_func.bind(py), self.captured_lines.bind(py), fast))?.extract()
        };
        let (filename, first_line, text, defaults) = read(true)?;
        let name: String = self.py_func.bind(py).getattr("__name__")?.extract()?;
        let defaults = defaults
            .iter()
            .map(|d| match d.len() {
                0 => None,
                _ => d.get_item(0).ok().and_then(|v| constant(&v)),
            })
            .collect();
        let globals = Box::new(PyGlobals::of_function(self.py_func.bind(py))?);
        let quick = ferrojit_compiler::SourceText::new(filename, first_line, text);
        let source = match ferrojit_compiler::parse_function(&quick) {
            Ok(ast) => FunctionSource { id: self.id, name, source: Arc::new(quick), ast: Ok(ast), globals, defaults },
            // The quick cut by indentation can miss lines (a multi-line string indented less
            // than the function); then ask `inspect`.
            Err(_) => {
                let (filename, first_line, text, _) = read(false)?;
                ferrojit_compiler::function_source(self.id, &name, ferrojit_compiler::SourceText::new(filename, first_line, text), globals, defaults)
            }
        };
        let _ = self.source_seconds.set(started.elapsed().as_secs_f64());
        let source = Arc::new(source);
        let mut slot = self.source.lock().unwrap_or_else(|p| p.into_inner());
        Ok(slot.get_or_insert(source).clone())
    }

    /// The first compiled signature whose types the `nargs` arguments (`arg(i)`) have exactly,
    /// with the arguments packed into `slots` for it.
    fn find<'a, 'py>(&self, nargs: usize, arg: impl Fn(usize) -> Borrowed<'a, 'py, PyAny>, slots: &mut [u64; STACK_SLOTS]) -> Option<Found<'_, Overload>> {
        self.overloads.find_ref(|o| {
            if o.arg_slots > STACK_SLOTS || o.compiled.args.len() != nargs {
                return false;
            }
            let mut at = 0;
            o.compiled.args.iter().enumerate().all(|(i, t)| pack(&arg(i), t, slots, &mut at))
        })
    }

    /// Calls the first declared signature the arguments convert to, or raises a `TypeError`
    /// listing the signatures.
    fn call_converting<'py>(&self, slf: &Bound<'py, Self>, args: &Bound<'py, PyTuple>) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let overloads = self.overloads.snapshot();
        for overload in overloads.iter() {
            let mut buffer = vec![0u64; overload.arg_slots];
            let mut at = 0;
            if args.len() == overload.compiled.args.len() && args.iter().zip(&overload.compiled.args).all(|(a, t)| pack_converting(&a, t, &mut buffer, &mut at)) {
                return self.invoke(py, overload, &buffer);
            }
        }
        if let Some(result) = self.call_unaligned_twin(py, args, &overloads) {
            return result;
        }
        let given: Vec<String> = args.iter().map(|a| typeof_value(&a).map(|t| t.to_string()).unwrap_or_else(|_| a.get_type().name().map(|n| n.to_string()).unwrap_or_default())).collect();
        let accepted: Vec<String> = overloads
            .iter()
            .map(|o| format!("{}({})", o.compiled.ret, o.compiled.args.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(", ")))
            .collect();
        let name: String = self.py_func.bind(py).getattr("__name__")?.extract()?;
        Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "`{name}` was compiled for declared signatures only, and ({}) matches none of them; accepted: {}",
            given.join(", "),
            accepted.join("; ")
        )))
    }

    /// Numba runs a declared signature such as `float64(float64[:])` on unaligned arrays too.
    /// ferrojit's code for aligned arrays may assume their alignment, so the first declared
    /// signature the arguments convert to once their unaligned arrays are declared unaligned
    /// ([`crate::values::unaligned_like`]) is compiled for them (once: later calls find it
    /// among the signatures) and called, on the arrays as they are. `None` when no argument is
    /// an unaligned array, or no declared signature fits.
    fn call_unaligned_twin<'py>(&self, py: Python<'py>, args: &Bound<'py, PyTuple>, declared: &[Arc<Overload>]) -> Option<PyResult<Bound<'py, PyAny>>> {
        let given: Vec<Type> = args.iter().map(|a| typeof_value(&a)).collect::<PyResult<_>>().ok()?;
        for overload in declared {
            if overload.compiled.args.len() != given.len() {
                continue;
            }
            let twin: Vec<Type> = overload.compiled.args.iter().zip(&given).map(|(d, g)| crate::values::unaligned_like(d, g)).collect();
            if twin == overload.compiled.args {
                continue;
            }
            let mut buffer = vec![0u64; twin.iter().map(|t| t.leaves().len()).sum()];
            let mut at = 0;
            if args.iter().zip(&twin).all(|(a, t)| pack_converting(&a, t, &mut buffer, &mut at)) {
                let ret = crate::values::all_unaligned(&overload.compiled.ret);
                return Some(self.compile(py, &twin, Some(&ret)).and_then(|o| self.invoke(py, &o, &buffer)));
            }
        }
        None
    }

    fn compile(&self, py: Python<'_>, types: &[Type], ret: Option<&Type>) -> PyResult<Arc<Overload>> {
        if let Some(o) = self.overloads.find(|o| o.compiled.args == types && ret.is_none_or(|r| *r == o.compiled.ret)) {
            return Ok(o);
        }
        let source = self.function_source(py)?;
        let mut options = self.options();
        options.cache_dir = self.cache_dir(&source);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| ferrojit_compiler::compile(&source, types, ret, &options)));
        let compiled = match result {
            Ok(Ok(c)) => c,
            Ok(Err(e)) => return Err(compile_error(py, &e)),
            Err(panic) => {
                let detail = panic
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| panic.downcast_ref::<&str>().copied())
                    .unwrap_or("unknown panic");
                return Err(error_class(py, "InternalError", &ferrojit_compiler::internal_message(detail)));
            }
        };
        if std::env::var("FERROJIT_TIMING").is_ok_and(|v| v == "1") {
            self.print_timing(py, &compiled);
        }
        let arg_slots = types.iter().map(|t| t.leaves().len()).sum();
        let ret_slots = compiled.ret.leaves().len();
        let overload = Arc::new(Overload { compiled, arg_slots, ret_slots });
        self.overloads.push(overload.clone());
        Ok(overload)
    }

    fn invoke<'py>(&self, py: Python<'py>, overload: &Overload, args: &[u64]) -> PyResult<Bound<'py, PyAny>> {
        let mut stack = [0u64; STACK_SLOTS];
        let mut heap;
        let ret: &mut [u64] = if overload.ret_slots <= STACK_SLOTS {
            &mut stack
        } else {
            heap = vec![0u64; overload.ret_slots];
            &mut heap
        };
        let mut exc = ExcInfo::default();
        let entry = overload.compiled.entry;
        // SAFETY: `args` holds the packed arguments of this signature and `ret` has room for
        // its result; the entry point was compiled for exactly these layouts.
        let status = if self.nogil {
            // Pointers are not `Send`; the buffers outlive the call, which runs on this thread.
            let (r, e, a) = (ret.as_mut_ptr() as usize, &mut exc as *mut ExcInfo as usize, args.as_ptr() as usize);
            py.detach(move || unsafe { entry(r as *mut u64, e as *mut ExcInfo, a as *const u64) })
        } else {
            unsafe { entry(ret.as_mut_ptr(), &mut exc, args.as_ptr()) }
        };
        if status != 0 {
            return Err(native_exception(py, &exc));
        }
        unpack(py, &overload.compiled.ret, ret, &mut 0)
    }
}

/// The Python exception a compiled function raised.
fn native_exception(py: Python<'_>, exc: &ExcInfo) -> PyErr {
    let Some(kind) = ExcKind::from_code(exc.kind) else {
        return error_class(py, "InternalError", &format!("compiled code raised unknown exception kind {}", exc.kind));
    };
    // SAFETY: messages point into the compiled module's constants or static strings.
    let message = unsafe { exc.message() };
    let class = match py.import("builtins").and_then(|b| b.getattr(kind.name())) {
        Ok(c) => c,
        Err(e) => return e,
    };
    let instance = if message.is_empty() { class.call0() } else { class.call1((message,)) };
    match instance {
        Ok(i) => PyErr::from_value(i),
        Err(e) => e,
    }
}
