//! Drives the pipeline for one (function, argument types) pair: typed IR from
//! `ferrojit_infer`, the passes over it ([`passes::PASSES`]: fusion, ownership), machine code
//! from `ferrojit_codegen`; and turns every failure into a [`CompileError`] whose message
//! points at the user's source.
//!
//! Parsing happens earlier, once per Python function, when its [`FunctionSource`] is built
//! (see [`function_source`]); its result is reused for every signature.

mod cache;
mod library;
pub mod passes;
pub use library::library_units;

use ferrojit_codegen as codegen;
use ferrojit_infer as infer;
pub use ferrojit_infer::{classes, closures::plain_function_type, overloads, parallel::parallel_loops, set_numpy_version, ConstValue, FunctionSource, GlobalEnv, GlobalValue, ModuleKind, NamedTupleClass, OverloadRequest, OverloadTarget, Resolution};
pub use ferrojit_ir::ExcKind;
pub use ferrojit_runtime as runtime;
pub use ferrojit_syntax::{on_deep_stack, parse_function, SourceText, Span};
pub use ferrojit_types::{parse_signature, parse_type, register_instance_type, register_named_type, ArrayType, FunctionType, FloatType, InstanceType, IntType, Layout, Leaf, NamedTupleType, RecordField, RecordType, Signature, TimeUnit, Type};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use codegen::{EntryFn, FastMath};

#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Print the typed IR and the optimised LLVM IR of each compilation (`FERROJIT_DUMP_IR=1`).
    pub dump_ir: bool,
    /// Keep the optimised LLVM IR in [`CompiledFunction::llvm_ir`].
    pub keep_llvm_ir: bool,
    /// Keep the host assembly in [`CompiledFunction::asm`].
    pub keep_asm: bool,
    /// Compile a NumPy ufunc inner loop (see `ferrojit_codegen::Options::ufunc_loop`).
    pub ufunc_loop: bool,
    /// Compile a generalised-ufunc loop with these core dimensions per operand.
    pub gufunc_core: Option<Vec<Vec<usize>>>,
    /// Check array indices (`boundscheck=True`, `FERROJIT_BOUNDSCHECK=1`).
    pub boundscheck: bool,
    /// `fastmath=...`.
    pub fastmath: FastMath,
    /// `error_model='numpy'`.
    pub numpy_errors: bool,
    /// Keep machine code in this directory and reuse it across processes (`cache=True`).
    pub cache_dir: Option<std::path::PathBuf>,
}

/// Machine code for one signature of one function.
pub struct CompiledFunction {
    pub entry: EntryFn,
    /// The entry point's address (the ufunc loop when one was asked for).
    pub address: usize,
    pub args: Vec<Type>,
    pub ret: Type,
    pub llvm_ir: Option<String>,
    pub asm: Option<String>,
    /// Loaded from the disk cache: no LLVM work was done on the function itself.
    pub cache_hit: bool,
    /// The units of ferrojit's library compiled for this function (see `library`), each as
    /// `name(argument types) -> return type` with its time; their time is in `timings` too.
    pub library_units_compiled: Vec<(String, Timings)>,
    /// The types of the user's variables, by the source line that assigns them:
    /// (line, name, type), for `inspect_types`.
    pub variable_types: Vec<(u32, String, String)>,
    pub timings: Timings,
    /// For `parallel_diagnostics`: what became of each whole-array map and reduction of a
    /// `parallel=True` function (see `ferrojit_codegen::Compiled::parallel_notes`); empty when
    /// loaded from the disk cache.
    pub parallel_notes: Vec<String>,
}

/// Time spent in each stage of one compilation.
#[derive(Clone, Copy, Debug, Default)]
pub struct Timings {
    pub infer: Duration,
    pub lower: Duration,
    pub optimize: Duration,
    pub machine_code: Duration,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    Unsupported,
    Typing,
    /// A function compiled for another number of arguments than it takes.
    ArgumentCount,
    Internal,
    /// Not a failure: calls of callables implemented in Python need their typing functions
    /// run (by the caller, in Python) before compiling again; see [`CompileError::needs`].
    NeedsOverloads,
}

/// A compilation failure, with a message ready to show the user.
#[derive(Clone, Debug)]
pub struct CompileError {
    pub kind: ErrorKind,
    pub message: String,
    /// Where the error points, when it points somewhere: (file name, line).
    pub location: Option<(String, u32)>,
    /// With [`ErrorKind::NeedsOverloads`], the requests to resolve.
    pub needs: Vec<OverloadRequest>,
}

/// Parses one function's source into a [`FunctionSource`]; syntax errors are kept inside and
/// reported when the function is first compiled (or called from a compiled function).
pub fn function_source(
    id: u64,
    name: &str,
    source: SourceText,
    globals: Box<dyn GlobalEnv>,
    defaults: Vec<Option<ConstValue>>,
) -> FunctionSource {
    let source = Arc::new(source);
    let ast = ferrojit_syntax::parse_function(&source);
    FunctionSource { id, name: name.to_string(), source, ast, globals, defaults, library: false, parallel: false }
}

/// Compiles `func` for `args`; with `ret`, the result is converted to that declared type.
/// Runs on a stack of its own when the caller's is short (see
/// [`ferrojit_syntax::on_deep_stack`]): inference and lowering recurse over expressions.
pub fn compile(func: &Arc<FunctionSource>, args: &[Type], ret: Option<&Type>, options: &Options) -> Result<CompiledFunction, CompileError> {
    ferrojit_syntax::on_deep_stack(|| compile_here(func, args, ret, options))
}

fn compile_here(func: &Arc<FunctionSource>, args: &[Type], ret: Option<&Type>, options: &Options) -> Result<CompiledFunction, CompileError> {
    let start = Instant::now();
    let mut program = infer::infer_program_returning(func, args, ret.cloned()).map_err(|failure| match failure {
        infer::Failure::Error(e) => infer_error(&e),
        infer::Failure::NeedsOverloads(needs) => {
            CompileError { kind: ErrorKind::NeedsOverloads, message: "overloads to resolve".into(), location: None, needs }
        }
    })?;
    passes::run_passes(&mut program.functions).map_err(|msg| CompileError { kind: ErrorKind::Internal, message: internal_message(&msg), location: None, needs: Vec::new() })?;
    let infer_time = start.elapsed();
    if options.dump_ir {
        for f in &program.functions {
            println!("---- typed IR: {} ----\n{}", f.name, ferrojit_ir::print_function(f));
        }
    }
    let codegen_options = codegen::Options {
        keep_llvm_ir: options.keep_llvm_ir || options.dump_ir,
        keep_asm: options.keep_asm,
        load: !(options.keep_llvm_ir || options.keep_asm),
        ufunc_loop: options.ufunc_loop,
        gufunc_core: options.gufunc_core.clone(),
        boundscheck: options.boundscheck,
        fastmath: options.fastmath,
        numpy_errors: options.numpy_errors,
        export_root_as: None,
    };
    let root = program.root();
    let finish = |entry: codegen::EntryFn, address: usize, llvm_ir: Option<String>, asm: Option<String>, timings: Timings, cache_hit: bool, library_units_compiled: Vec<(String, Timings)>| CompiledFunction {
        entry,
        address,
        args: args.to_vec(),
        ret: root.ret.clone(),
        llvm_ir: if options.keep_llvm_ir { llvm_ir } else { None },
        asm,
        cache_hit,
        library_units_compiled,
        variable_types: variable_types(root),
        timings,
        parallel_notes: Vec::new(),
    };
    let internal = |e: codegen::CodegenError| CompileError {
        kind: ErrorKind::Internal,
        message: internal_message(&format!("code generation failed for `{}`: {}", func.name, e.0)),
        location: None,
        needs: Vec::new(),
    };
    // The library's units this program calls, loaded first: both the cached object and a new
    // one refer to them.
    let linked = library::link(&program.functions, &codegen_options, options.dump_ir).map_err(internal)?;
    let library_time = linked.timings;
    let library_compiled = linked.compiled;
    let cached = options.cache_dir.as_ref().filter(|_| codegen_options.load).and_then(|dir| {
        let key = cache_key(&program, &linked.externals, &codegen_options)?;
        Some(cache::path(dir, &func.name, &key))
    });
    if let Some(path) = &cached {
        if let Some(entry) = cache::read(path).filter(|e| e.ret == root.ret.to_string()) {
            if let Ok(address) = codegen::load_objects(&entry.objects, &entry.symbol, &linked.externals) {
                // SAFETY: the cached entry point has the `EntryFn` signature (or is a ufunc loop,
                // whose callers use `address`).
                let entry_fn: codegen::EntryFn = unsafe { std::mem::transmute::<usize, codegen::EntryFn>(address) };
                let timings = Timings { infer: infer_time, ..library_time };
                return Ok(finish(entry_fn, address, None, None, timings, true, library_compiled));
            }
        }
    }
    let module_functions: Vec<&ferrojit_ir::Function> = linked.members.iter().map(|&i| &program.functions[i]).collect();
    let compiled = codegen::compile(&module_functions, &linked.externals, &codegen_options).map_err(internal)?;
    if options.dump_ir {
        if let Some(ir) = &compiled.llvm_ir {
            println!("---- optimised LLVM IR: {} ----\n{}", func.name, ir);
        }
    }
    if let Some(path) = &cached {
        let _ = cache::write(path, &cache::Entry { symbol: compiled.entry_symbol.clone(), ret: root.ret.to_string(), objects: compiled.objects.clone() });
    }
    let timings = Timings {
        infer: infer_time,
        lower: library_time.lower + compiled.timings.lower,
        optimize: library_time.optimize + compiled.timings.optimize,
        machine_code: library_time.machine_code + compiled.timings.machine_code,
    };
    let mut function = finish(compiled.entry, compiled.address, compiled.llvm_ir, compiled.asm, timings, false, library_compiled);
    function.parallel_notes = compiled.parallel_notes;
    function.parallel_notes.extend(library_pool_notes(&program.functions, &func.source));
    function.parallel_notes.sort_by_key(|note| note_line(note));
    Ok(function)
}

/// For `parallel_diagnostics`: the calls in the body of a `parallel=True` root function (not
/// in its `prange` loops, whose bodies run on the pool already) into ferrojit's library whose
/// implementation may use the pool itself: a library function compiled with `parallel=True`,
/// or one that calls such a function. One note per call, with the call's text; calls of other
/// library functions with array arguments are noted as serial.
fn library_pool_notes(functions: &[ferrojit_ir::Function], source: &SourceText) -> Vec<String> {
    let root = &functions[0];
    if !root.parallel || root.library {
        return Vec::new();
    }
    let by_symbol: std::collections::HashMap<&str, &ferrojit_ir::Function> = functions.iter().map(|f| (f.symbol.as_str(), f)).collect();
    let mut pooled: std::collections::HashMap<String, bool> = std::collections::HashMap::new();
    let mut notes = Vec::new();
    let threshold = ferrojit_runtime::parallel::array_threshold();
    for stmt in &root.body {
        stmt.any_expr(
            &mut |e| {
                if let ferrojit_ir::ExprKind::Call { symbol, args } = &e.kind {
                    if by_symbol.get(symbol.as_str()).is_some_and(|f| f.library) {
                        let call = source.span_text(e.span).unwrap_or_else(|| "a library call".to_string());
                        let line = e.span.line;
                        if uses_pool(symbol, &by_symbol, &mut pooled) {
                            notes.push(format!("line {line}: `{call}` runs in parallel from {threshold} elements: ferrojit's library shares the work out on the pool"));
                        } else if args.iter().any(|a| matches!(&a.ty, Type::Array(array) if array.ndim > 0)) {
                            notes.push(format!("line {line}: `{call}` runs serially: ferrojit's library has no parallel implementation of it"));
                        }
                    }
                }
                false
            },
            true,
        );
    }
    notes.dedup();
    notes
}

/// Whether the library function `symbol` was compiled with `parallel=True` or calls one that
/// was (`memo` holds the answers found; a function being looked at counts as not parallel,
/// which ends recursion).
fn uses_pool(symbol: &str, by_symbol: &std::collections::HashMap<&str, &ferrojit_ir::Function>, memo: &mut std::collections::HashMap<String, bool>) -> bool {
    if let Some(&known) = memo.get(symbol) {
        return known;
    }
    let Some(function) = by_symbol.get(symbol).filter(|f| f.library) else { return false };
    memo.insert(symbol.to_string(), false);
    let answer = function.parallel || function.callees().iter().any(|callee| uses_pool(callee, by_symbol, memo));
    memo.insert(symbol.to_string(), answer);
    answer
}

/// The line number a note (`line 7: ...`) starts with, to order notes by line.
fn note_line(note: &str) -> u32 {
    note.strip_prefix("line ").and_then(|rest| rest.split(':').next()).and_then(|n| n.parse().ok()).unwrap_or(0)
}

/// Pays the compiler's one-time costs of a process ahead of the first real compilation, by
/// compiling a small loop over an array through every stage (see
/// [`ferrojit_codegen::warm_up`], which gives way as soon as a real compilation starts).
/// Meant for a background thread; a failure here is not the user's concern, and the first
/// real compilation reports whatever is wrong.
pub fn warm_up() {
    struct RangeOnly;
    impl GlobalEnv for RangeOnly {
        fn lookup(&self, name: &str) -> Option<GlobalValue> {
            (name == "range").then(|| GlobalValue::Function("builtins.range".to_string()))
        }
    }
    // An integer loop and a float loop over an array: the loop, vectoriser and unroller
    // passes and the instruction selection that user kernels need.
    const SOURCE: &str = "def warm_up(a, n):
    s = 0.0
    k = 0
    for i in range(n):
        a[i] = a[i] * 0.5 + 1.0
        s += a[i]
        k += i * i
    return s + k
";
    let func = Arc::new(function_source(0, "warm_up", SourceText::new("<warm-up>", 1, SOURCE), Box::new(RangeOnly), vec![]));
    let array = Type::Array(ArrayType::new(Type::FLOAT64, 1, Layout::C));
    if let Ok(mut program) = infer::infer_program_returning(&func, &[array, Type::INT64], None) {
        if passes::run_passes(&mut program.functions).is_ok() {
            let _ = codegen::warm_up(&program.functions);
        }
    }
}

/// The cache key of a typed program compiled with `options`, or `None` when it cannot be
/// cached (see `cache`).
fn cache_key(program: &infer::Program, externals: &[codegen::External], options: &codegen::Options) -> Option<String> {
    let mut parts = vec![
        format!("ferrojit {} build {}", env!("CARGO_PKG_VERSION"), env!("FERROJIT_BUILD_ID")),
        codegen::host_description().ok()?,
        format!("{:?} {:?} {} {} {:?}", options.fastmath, options.gufunc_core, options.boundscheck, options.numpy_errors, options.ufunc_loop),
    ];
    for f in &program.functions {
        let args: Vec<String> = f.arg_types.iter().map(|t| t.to_string()).collect();
        parts.push(format!("{}({}) -> {}", f.name, args.join(","), f.ret));
        parts.push(f.fingerprint.clone()?);
    }
    // The units the object calls, by the names it refers to them by.
    parts.extend(externals.iter().map(|e| e.link_name.clone()));
    let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
    Some(cache::key(&refs))
}

/// (line, variable, type) for each assignment to a user variable (not compiler temporaries),
/// and the parameters on the function's line.
fn variable_types(f: &ferrojit_ir::Function) -> Vec<(u32, String, String)> {
    use ferrojit_ir::StmtKind;
    fn walk(f: &ferrojit_ir::Function, stmts: &[ferrojit_ir::Stmt], out: &mut Vec<(u32, String, String)>) {
        for s in stmts {
            match &s.kind {
                StmtKind::Assign { local, .. } => {
                    let l = &f.locals[*local];
                    if !l.name.starts_with('$') {
                        let entry = (s.span.line, l.name.clone(), l.ty.to_string());
                        if !out.contains(&entry) {
                            out.push(entry);
                        }
                    }
                }
                StmtKind::If { then_body, else_body, .. } => {
                    walk(f, then_body, out);
                    walk(f, else_body, out);
                }
                StmtKind::While { body, orelse, .. } | StmtKind::ForRange { body, orelse, .. } => {
                    walk(f, body, out);
                    walk(f, orelse, out);
                }
                StmtKind::Try { .. } => s.kind.blocks().into_iter().for_each(|b| walk(f, b, out)),
                _ => {}
            }
        }
    }
    let mut out: Vec<(u32, String, String)> = (0..f.num_params).map(|i| (f.span.line, f.locals[i].name.clone(), f.locals[i].ty.to_string())).collect();
    walk(f, &f.body, &mut out);
    out
}

/// The message for a bug in ferrojit.
pub fn internal_message(detail: &str) -> String {
    format!("internal compiler error (a bug in ferrojit, please report it): {detail}")
}

fn infer_error(e: &infer::InferError) -> CompileError {
    let kind = match e.kind {
        infer::ErrorKind::Unsupported => ErrorKind::Unsupported,
        infer::ErrorKind::Typing => ErrorKind::Typing,
        infer::ErrorKind::ArgumentCount => ErrorKind::ArgumentCount,
        infer::ErrorKind::Internal => ErrorKind::Internal,
        // Both are handled inside inference and never end it.
        infer::ErrorKind::Pending | infer::ErrorKind::NeedsOverloads => ErrorKind::Internal,
    };
    let message = if kind == ErrorKind::Internal { internal_message(&e.message) } else { e.message.clone() };
    CompileError {
        kind,
        message: format_located(&message, &e.source, e.span, e.hint.as_deref(), &e.function),
        location: Some((e.source.filename.clone(), e.span.line)),
        needs: Vec::new(),
    }
}

/// `message`, then the file, line and column, the source line with the span underlined, and
/// the hint:
///
/// ```text
/// unsupported operand types for `+`: `int64` and `UniTuple(int64 x 2)`
///   File "demo.py", line 4, column 12, in f
///     return a + (1, 2)
///            ^^^^^^^^^^
///   hint: ...
/// ```
pub fn format_located(message: &str, source: &SourceText, span: Span, hint: Option<&str>, function: &str) -> String {
    let mut out = format!("{message}\n  File \"{}\", line {}, column {}, in {function}", source.filename, span.line, span.col);
    if let Some(line) = source.line(span.line) {
        let start = span.col.saturating_sub(1) as usize;
        let width = if span.end_line == span.line && span.end_col > span.col {
            (span.end_col - span.col) as usize
        } else {
            line.chars().count().saturating_sub(start).max(1)
        };
        out.push_str(&format!("\n    {}\n    {}{}", line, " ".repeat(start), "^".repeat(width)));
    }
    if let Some(hint) = hint {
        out.push_str(&format!("\n  hint: {hint}"));
    }
    out
}

#[cfg(test)]
mod tests;
