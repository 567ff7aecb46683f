//! A function's globals as the compiler sees them: each name is looked up in the function's
//! module dictionary, then in `builtins`, and classified into a [`GlobalValue`]. Numbers,
//! bools, `None` and tuples of them become constants frozen into the machine code, as in Numba.

use crate::dispatcher::DispatcherBase;
use ferrojit_compiler::{ConstValue, GlobalEnv, GlobalValue, ModuleKind, Type};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyComplex, PyDict, PyFloat, PyInt, PyModule, PyTuple, PyType};

pub struct PyGlobals {
    globals: Py<PyDict>,
    /// The closure variables, frozen as globals are: for an overload's implementation, the
    /// values its typing function chose (a dtype, a flag) for these types.
    closure: Vec<(String, Py<PyAny>)>,
    /// The names a nested function reads from its enclosing function (`co_freevars`) whose
    /// cells are still empty.
    free_variables: Vec<String>,
    /// The enclosing function's name, from the function's `__qualname__`.
    enclosing: String,
}

impl PyGlobals {
    /// The globals of `func` (its module's dictionary) and the values of its closure
    /// variables, frozen as globals are.
    pub fn of_function(func: &Bound<'_, PyAny>) -> PyResult<Self> {
        let globals = func.getattr("__globals__")?.cast_into::<PyDict>()?.unbind();
        let names: Vec<String> = func.getattr("__code__")?.getattr("co_freevars")?.extract()?;
        let mut closure = Vec::new();
        let mut free_variables = Vec::new();
        if !names.is_empty() {
            let cells = func.getattr("__closure__")?;
            for (name, cell) in names.into_iter().zip(cells.try_iter()?) {
                match cell?.getattr("cell_contents") {
                    Ok(value) => closure.push((name, value.unbind())),
                    // An empty cell (a variable the enclosing function has not assigned yet):
                    // reading it is an error, not a read of a module global of that name.
                    Err(_) => free_variables.push(name),
                }
            }
        }
        let qualname: String = func.getattr("__qualname__")?.extract()?;
        // "outer.<locals>.inner" -> "outer"
        let enclosing = qualname.rsplit_once(".<locals>.").map(|(outer, _)| outer.rsplit('.').next().unwrap_or(outer).to_string()).unwrap_or_default();
        Ok(PyGlobals { globals, closure, free_variables, enclosing })
    }
}

impl GlobalEnv for PyGlobals {
    fn enclosing_function_of(&self, name: &str) -> Option<String> {
        self.free_variables.iter().any(|v| v == name).then(|| self.enclosing.clone())
    }

    fn objmode_block(&self, filename: &str, first_line: u32, body: &str, args: &[(String, Type)], outputs: &[(String, Type)]) -> Result<u64, String> {
        crate::objmode::register(&self.globals, filename, first_line, body, args, outputs)
    }

    fn lookup(&self, name: &str) -> Option<GlobalValue> {
        Python::attach(|py| {
            if let Some((_, value)) = self.closure.iter().find(|(n, _)| n == name) {
                return Some(classify(value.bind(py)));
            }
            let value = match self.globals.bind(py).get_item(name) {
                Ok(Some(v)) => v,
                _ => loaded_module(py, "builtins")?.getattr(name).ok()?,
            };
            Some(classify(&value))
        })
    }
}

/// A module already imported, taken from `sys.modules`. Unlike `import`, which runs
/// importlib's Python code for a package (`numpy`), this runs none: the compiler calls back
/// into Python from inside panic guards, where Python code must not run (see `gil.rs`).
pub(crate) fn loaded_module<'py>(py: Python<'py>, name: &str) -> Option<Bound<'py, PyAny>> {
    // SAFETY: the GIL is held; `PyImport_GetModuleDict` returns a borrowed reference.
    let modules = unsafe { Bound::from_borrowed_ptr_or_opt(py, pyo3::ffi::PyImport_GetModuleDict())? };
    modules.get_item(name).ok()
}

/// What the compiler can do with a Python object found as a global.
pub fn classify(value: &Bound<'_, PyAny>) -> GlobalValue {
    if let Ok(text) = value.cast_exact::<pyo3::types::PyString>() {
        // A string of its own stays a compile-time value: a message for `raise`, an option of a
        // NumPy function (`order='F'`), an overload's static argument; it becomes a run-time
        // string where it is used as a value.
        if let Ok(text) = text.to_str() {
            return GlobalValue::Str(text.to_string());
        }
    }
    if let Some(c) = constant(value) {
        return GlobalValue::Const(c);
    }
    if let Some(key) = ferrojit_compiler::overloads::function_key_of_object(value.as_ptr() as usize) {
        return GlobalValue::Overloaded(key);
    }
    let py = value.py();
    if let Ok(module) = value.cast::<PyModule>() {
        return match module.name().map(|n| n.to_string()).as_deref() {
            Ok("math") => GlobalValue::Module(ModuleKind::Math),
            Ok("numpy") => GlobalValue::Module(ModuleKind::Numpy),
            Ok("numpy.linalg") => GlobalValue::Module(ModuleKind::NumpyLinalg),
            Ok("numpy.random") => GlobalValue::Module(ModuleKind::NumpyRandom),
            Ok("random") => GlobalValue::Module(ModuleKind::Random),
            Ok("cmath") => GlobalValue::Module(ModuleKind::Cmath),
            Ok("operator") => GlobalValue::Module(ModuleKind::Operator),
            Ok("functools") => GlobalValue::Module(ModuleKind::Functools),
            Ok("heapq") => GlobalValue::Module(ModuleKind::Heapq),
            Ok("bisect") => GlobalValue::Module(ModuleKind::Bisect),
            Ok("ferrojit") => GlobalValue::Module(ModuleKind::Ferrojit),
            Ok("ferrojit.typed") => GlobalValue::Module(ModuleKind::FerrojitTyped),
            Ok("ferrojit.types") => GlobalValue::Module(ModuleKind::FerrojitTypes),
            _ => GlobalValue::Other("module".into()),
        };
    }
    if let Ok(d) = value.cast::<DispatcherBase>() {
        return match d.get().function_source(py) {
            Ok(source) => GlobalValue::Jit(source),
            Err(_) => GlobalValue::Other("function without source".into()),
        };
    }
    if let Ok(text) = value.cast::<pyo3::types::PyString>() {
        // A constant message for `raise` and `assert` (or an overload's static argument).
        if let Ok(text) = text.to_str() {
            return GlobalValue::Str(text.to_string());
        }
    }
    if let Ok(t) = value.cast::<PyType>() {
        // Built-in exception classes, and NumPy's `AxisError` and `LinAlgError`; exception
        // classes defined in Python code by a code of their own.
        if let Some(kind) = crate::user_exceptions::builtin_kind(t) {
            return GlobalValue::ExceptionClass(kind);
        }
        if let Some(code) = crate::user_exceptions::code_of(t) {
            let name = t.qualname().map(|n| n.to_string()).unwrap_or_default();
            return GlobalValue::UserExceptionClass(code, name);
        }
    }
    if let Some(ty) = ferrojit_type(value) {
        return ty;
    }
    if let Some(id) = crate::instances::class_global(value) {
        return GlobalValue::JitClass(id);
    }
    if let Some(class) = crate::named_tuples::class_global(value, constant) {
        return GlobalValue::NamedTupleClass(std::sync::Arc::new(class));
    }
    if let Some(dtype) = crate::values::dtype_object(value) {
        // `dt = np.dtype([('x', 'f8'), ('n', 'i4')])`, given as `np.empty(n, dtype=dt)`.
        return dtype.map_or_else(|e| GlobalValue::Other(e.to_string()), GlobalValue::DType);
    }
    if let Some(kernel) = vectorized_kernel(value) {
        return kernel;
    }
    if let Some(name) = library_function(value) {
        return GlobalValue::Function(name);
    }
    let mut type_name = value.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "object".into());
    // An array or NumPy scalar of a dtype compiled code does not take (`M8[3ms]`, `>f8`) says which.
    if let Ok(dtype) = value.getattr("dtype").and_then(|d| d.getattr("str")) {
        if let Ok(spelled) = dtype.extract::<String>() {
            type_name = format!("{type_name} of dtype {spelled}");
        }
    }
    GlobalValue::Other(type_name)
}

/// A number, bool, `None`, NumPy scalar, or tuple of them, as a constant.
pub fn constant(value: &Bound<'_, PyAny>) -> Option<ConstValue> {
    if value.is_exact_instance_of::<PyBool>() {
        return Some(ConstValue::Bool(value.is_truthy().ok()?));
    }
    if value.is_exact_instance_of::<PyInt>() {
        if let Ok(v) = value.extract::<i64>() {
            return Some(ConstValue::Int(v));
        }
        return value.extract::<u64>().ok().map(ConstValue::UInt);
    }
    if value.is_exact_instance_of::<PyFloat>() {
        return Some(ConstValue::Float(value.extract().ok()?));
    }
    if value.is_exact_instance_of::<PyComplex>() {
        let c = value.cast::<PyComplex>().ok()?;
        return Some(ConstValue::Complex(c.real(), c.imag()));
    }
    if value.is_none() {
        return Some(ConstValue::None);
    }
    if let Ok(text) = value.cast_exact::<pyo3::types::PyString>() {
        return text.to_str().ok().map(|t| ConstValue::Str(t.to_string()));
    }
    if let Ok(t) = value.cast_exact::<PyTuple>() {
        return t.iter().map(|i| constant(&i)).collect::<Option<Vec<_>>>().map(ConstValue::Tuple);
    }
    if let Some(array) = crate::values::as_ndarray(value) {
        return frozen_array(array);
    }
    if let Ok(ty) = crate::values::typeof_value(value) {
        let name = ty.to_string();
        let inner = match ty {
            Type::Bool => ConstValue::Bool(value.is_truthy().ok()?),
            Type::Int(i) if i.signed => ConstValue::Int(value.extract().ok()?),
            Type::Int(_) => ConstValue::UInt(value.extract().ok()?),
            Type::Float(_) => ConstValue::Float(value.extract().ok()?),
            Type::Complex(_) => ConstValue::Complex(value.getattr("real").ok()?.extract().ok()?, value.getattr("imag").ok()?.extract().ok()?),
            _ => return None,
        };
        return Some(ConstValue::Typed(Box::new(inner), name));
    }
    None
}

/// `builtins.abs`, `math.sqrt`, `numpy.tanh`, `numpy.float32`: a function or type of one of
/// the libraries the compiler knows, identified by its module and name and checked to be that
/// very object.
fn library_function(value: &Bound<'_, PyAny>) -> Option<String> {
    let module: String = value.getattr("__module__").ok()?.extract().ok()?;
    let name: String = value.getattr("__name__").ok()?.extract().ok()?;
    // NumPy's public functions report submodules (`numpy._core.umath`) or plain `numpy`.
    let library = match module.as_str() {
        "builtins" => "builtins",
        "math" => "math",
        // `ferrojit.literal_unroll`.
        "ferrojit" => "ferrojit",
        // `ferrojit.typed.List`, `ferrojit.typed.Dict`.
        "ferrojit.typed" => "ferrojit.typed",
        m if m == "numpy" || m.starts_with("numpy.") => "numpy",
        // The runtime calls of ferrojit's own library (`ferrojit._lib.index_error`,
        // `ferrojit._lib.linalg.blas_gemm`, `ferrojit._lib.random.next_double`).
        m if m == "ferrojit._lib" || m.starts_with("ferrojit._lib.") => m,
        _ => return None,
    };
    let owner = loaded_module(value.py(), library)?;
    if !owner.getattr(name.as_str()).ok()?.is(value) {
        return None;
    }
    // NumPy 2 names `np.bool_` `bool`; the compiler knows it by its long-standing name.
    let name = if library == "numpy" && name == "bool" { "bool_" } else { name.as_str() };
    Some(format!("{library}.{name}"))
}

/// A global ndarray frozen as Numba does: a C-contiguous copy, made now and kept for the rest
/// of the process; later changes to the global do not reach compiled code.
fn frozen_array(array: &Bound<'_, numpy::PyUntypedArray>) -> Option<ConstValue> {
    use numpy::PyUntypedArrayMethods;
    let ty = crate::values::array_type_of(array).ok()?;
    let py = array.py();
    let contiguous = loaded_module(py, "numpy")?.call_method1("ascontiguousarray", (array,)).ok()?;
    let contiguous = contiguous.cast::<numpy::PyUntypedArray>().ok()?;
    let bytes = contiguous.len() * ty.dtype.itemsize()? as usize;
    let meminfo = ferrojit_compiler::runtime::memory::ferrojit_rt_alloc(bytes);
    if meminfo.is_null() {
        return None;
    }
    // SAFETY: both buffers hold `bytes` bytes; the copy is never freed (frozen constants live
    // as long as the machine code that embeds their address).
    let data = unsafe {
        let data = ferrojit_compiler::runtime::memory::data(meminfo);
        std::ptr::copy_nonoverlapping((*contiguous.as_array_ptr()).data as *const u8, data, bytes);
        data
    };
    Some(ConstValue::Array { dtype: (*ty.dtype).clone(), data: data as u64, shape: contiguous.shape().iter().map(|d| *d as i64).collect() })
}

/// A ufunc made by `@vectorize`: compiled code calls its scalar kernel directly.
fn vectorized_kernel(value: &Bound<'_, PyAny>) -> Option<GlobalValue> {
    let py = value.py();
    // Only once `ferrojit._vectorize` is loaded can such a ufunc exist. What its `kernel_of`
    // does, without running Python code (compilation runs inside native frames: see `gil.rs`).
    let module = py.import("sys").ok()?.getattr("modules").ok()?.get_item("ferrojit._vectorize").ok()?;
    let kernel = if value.is_instance(&module.getattr("LazyUFunc").ok()?).ok()? {
        value.getattr("_dispatcher").ok()?
    } else {
        let kernels = module.getattr("_ufunc_kernels").ok()?;
        kernels.cast::<PyDict>().ok()?.get_item(value.as_ptr() as usize).ok()??
    };
    let dispatcher = kernel.cast::<DispatcherBase>().ok()?;
    dispatcher.get().function_source(py).ok().map(GlobalValue::Vectorized)
}

/// A `ferrojit.types` type object (`types.int64`, `types.float64[:]`, `types.ListType(...)`),
/// by the type its name parses to.
fn ferrojit_type(value: &Bound<'_, PyAny>) -> Option<GlobalValue> {
    let class = loaded_module(value.py(), "ferrojit.types")?.getattr("Type").ok()?;
    if !value.is_instance(&class).ok()? {
        return None;
    }
    let name: String = value.str().ok()?.extract().ok()?;
    Some(match ferrojit_compiler::parse_type(&name) {
        Ok(ty) => GlobalValue::Type(ty),
        Err(_) => GlobalValue::Other(format!("type {name}")),
    })
}
