//! What a compiled function can see besides its arguments: the globals of its module (frozen at
//! compile time) and the functions it calls.

use ferrojit_ir::ExcKind;
use ferrojit_syntax::{ast::FunctionDef, SourceText, SyntaxError};
use std::sync::Arc;

/// Resolves a global name as the function's module sees it at compile time.
pub trait GlobalEnv: Send + Sync {
    /// The value of `name` in the module's globals, else in `builtins`; `None` when unbound.
    fn lookup(&self, name: &str) -> Option<GlobalValue>;

    /// For a nested function that reads `name` from an enclosing function (a closure
    /// variable, which shadows any global of that name): the enclosing function's name.
    fn enclosing_function_of(&self, _name: &str) -> Option<String> {
        None
    }

    /// For `with objmode(...)`: makes the block's body (starting on line `first_line` of
    /// `filename`) a Python function of this function's module, taking `args` and returning
    /// the tuple of `outputs`; its handle for `ir::ExprKind::CallPython`, or why it cannot be
    /// made.
    fn objmode_block(&self, _filename: &str, _first_line: u32, _body: &str, _args: &[(String, ferrojit_types::Type)], _outputs: &[(String, ferrojit_types::Type)]) -> Result<u64, String> {
        Err("object mode blocks need the Python interpreter".into())
    }
}

/// A global's value, classified by what the compiler can do with it.
#[derive(Clone)]
pub enum GlobalValue {
    /// A number, bool, None or tuple of them: frozen into the code as a constant.
    Const(ConstValue),
    Module(ModuleKind),
    /// A built-in or library function, by qualified name: `builtins.abs`, `math.sqrt`,
    /// `numpy.float32`.
    Function(String),
    /// Another compiled function.
    Jit(Arc<FunctionSource>),
    /// A `@vectorize` ufunc, by its scalar kernel: on scalars a call of the kernel, on arrays
    /// the kernel applied to each element (broadcast, as the ufunc does).
    Vectorized(Arc<FunctionSource>),
    /// A callable implemented in Python through `ferrojit.extending.overload`, by its registry
    /// key (see `overloads.rs`).
    Overloaded(u64),
    ExceptionClass(ExcKind),
    /// An exception class defined in Python code (a subclass of built-in ones), by its code
    /// (from `ferrojit_runtime::USER_EXCEPTION_BASE`, for this process) and qualified name.
    UserExceptionClass(u32, String),
    /// An array element type (an overload implementation's parameter given `a.dtype`).
    DType(ferrojit_types::Type),
    /// A string (an overload implementation's parameter given a string constant).
    Str(String),
    /// A `ferrojit.types` type object (`types.int64`, `types.float64[:]`, `types.unicode_type`):
    /// what `Dict.empty(key_type=..., value_type=...)` and `List.empty_list(...)` take.
    Type(ferrojit_types::Type),
    /// A named tuple class (`collections.namedtuple`, `typing.NamedTuple`): called, it makes an
    /// instance.
    NamedTupleClass(Arc<NamedTupleClass>),
    /// A class compiled with `@jitclass`, by its identity (see `classes.rs`): called, it makes
    /// an instance; its static methods are its attributes.
    JitClass(u64),
    /// Something the compiler cannot use, described by its Python type name.
    Other(String),
}

/// A named tuple class as the compiler sees it (see [`ferrojit_types::NamedTupleType`]).
#[derive(Clone, Debug, PartialEq)]
pub struct NamedTupleClass {
    /// The class's identity, as in `NamedTupleType::class`.
    pub class: u64,
    pub name: String,
    pub fields: Vec<String>,
    /// The default of each field (`_field_defaults`), aligned with `fields`: `None` for a field
    /// without one. A default compiled code cannot hold is `Some(Err(its type name))`.
    pub defaults: Vec<Option<Result<ConstValue, String>>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ConstValue {
    Bool(bool),
    Int(i64),
    /// An int in `2**63 .. 2**64`, typed `uint64`.
    UInt(u64),
    Float(f64),
    Complex(f64, f64),
    /// A NumPy scalar: the value plus its dtype name (`float32`, `uint8`, ...).
    Typed(Box<ConstValue>, String),
    None,
    /// A string inside a constant tuple, or a parameter's default: a run-time string constant.
    Str(String),
    Tuple(Vec<ConstValue>),
    /// A global ndarray, frozen: `data` points to a C-contiguous copy made for the compiler,
    /// alive for the rest of the process. `dtype` is a scalar type.
    Array { dtype: ferrojit_types::Type, data: u64, shape: Vec<i64> },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModuleKind {
    Math,
    Numpy,
    /// `numpy.linalg` (`np.linalg.solve`, `np.linalg.LinAlgError`).
    NumpyLinalg,
    /// `numpy.random`, reached as `np.random` or imported itself.
    NumpyRandom,
    /// Python's `random` module.
    Random,
    /// Python's `cmath` module.
    Cmath,
    /// Python's `operator` module.
    Operator,
    /// Python's `functools` module (`functools.reduce`).
    Functools,
    /// Python's `heapq` module.
    Heapq,
    /// Python's `bisect` module.
    Bisect,
    /// ferrojit itself (`ferrojit.literal_unroll`, or `numba.literal_unroll` after
    /// `import ferrojit as numba`).
    Ferrojit,
    /// `ferrojit.typed` (`typed.List`, `typed.Dict`).
    FerrojitTyped,
    /// `ferrojit.types` (`types.int64`, `types.unicode_type`).
    FerrojitTypes,
}

/// A function the compiler can type: its parsed source plus where its names resolve.
pub struct FunctionSource {
    /// Unique per Python function object for the life of the process.
    pub id: u64,
    pub name: String,
    pub source: Arc<SourceText>,
    pub ast: Result<FunctionDef, SyntaxError>,
    pub globals: Box<dyn GlobalEnv>,
    /// Default values of the parameters, aligned with the parameter list (`None`: no default),
    /// used when another compiled function calls this one without every argument.
    pub defaults: Vec<Option<ConstValue>>,
    /// An implementation from ferrojit's own library (`python/ferrojit/_lib/`), whose machine
    /// code may be shared between callers and processes (see `ir::Function::library`).
    pub library: bool,
    /// Compiled with `parallel=True`: its `prange` loops were rewritten to run on the thread
    /// pool (see `parallel`), and its whole-array operations may run there too (see
    /// `ir::Function::parallel`).
    pub parallel: bool,
}

impl std::fmt::Debug for FunctionSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FunctionSource({}#{})", self.name, self.id)
    }
}
