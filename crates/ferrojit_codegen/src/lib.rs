//! Typed IR -> LLVM IR (through inkwell) -> optimised machine code in memory.
//!
//! The entry point is [`compile`]: it lowers every function of a typed program into one LLVM
//! module, adds an entry wrapper for the root, optimises with LLVM's `default<O3>` pipeline for
//! the host CPU, emits a relocatable object and loads it with ORC (`jit.rs`). The functions that
//! run on the thread pool go to a second module, optimised and emitted on a second thread at
//! the same time (`split.rs`).
//!
//! Calling convention (as Numba's): every compiled function is
//! `i32 f(ptr ret, ptr exc, args...)`: it returns 0 and writes its result through `ret`, or
//! returns [`ferrojit_runtime::STATUS_EXCEPTION`] after filling the [`ExcInfo`] at `exc`. The
//! root's entry wrapper, `i32 entry(ptr ret_slots, ptr exc, ptr arg_slots)`, reads the arguments
//! from a flat buffer of 8-byte slots and writes the result the same way ([`Type::leaves`]), so
//! that the dispatcher can call any signature without allocating.
//!
//! [`warm_up`] pays LLVM's one-time costs of a process ahead of the first real compilation.
//!
//! Compiled code is never freed: each compilation's LLVM context and engine live for the rest
//! of the process, as in Numba.
//!
//! Layout: `lib.rs` (module set-up, optimisation, JIT); `lower.rs` (IR -> LLVM IR, one function
//! at a time); `abi.rs` (LLVM types of values, the entry wrapper); `generators.rs` (generator
//! functions as state machines); `maps.rs` (element-wise array expressions) and
//! `parallel_maps.rs` (the same on the thread pool, with `parallel=True`); `split.rs` (the pool
//! functions' module of their own).

mod abi;
mod arrays;
mod deferred;
mod dicts;
mod generators;
mod instances;
mod jit;
mod lists;
mod lower;
mod maps;
mod parallel;
mod parallel_maps;
mod split;
mod strings;

use ferrojit_ir as ir;
pub use ferrojit_runtime::ExcInfo;
use inkwell::context::Context;
use inkwell::module::Module;
use inkwell::passes::PassBuilderOptions;
use inkwell::targets::{CodeModel, InitializationConfig, RelocMode, Target, TargetMachine, TargetTriple};
use inkwell::OptimizationLevel;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The entry point of a compiled root function; see the crate docs for the convention.
pub type EntryFn = unsafe extern "C" fn(ret_slots: *mut u64, exc: *mut ExcInfo, arg_slots: *const u64) -> i32;

#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Keep the optimised LLVM IR text in [`Compiled::llvm_ir`].
    pub keep_llvm_ir: bool,
    /// Keep the host assembly in [`Compiled::asm`].
    pub keep_asm: bool,
    /// Load the machine code into the process (off only to inspect LLVM IR or assembly).
    pub load: bool,
    /// Make the entry point a NumPy ufunc inner loop over the root (a scalar function)
    /// instead of the slot-buffer entry; see [`Compiled::address`].
    pub ufunc_loop: bool,
    /// Make the entry point a generalised-ufunc loop; per operand, the indices of its core
    /// dimensions (see `abi::gufunc_loop`).
    pub gufunc_core: Option<Vec<Vec<usize>>>,
    /// Raise `IndexError` for array indices out of range (else they are not checked).
    pub boundscheck: bool,
    /// LLVM fast-math flags (`fastmath=True` or a set of flag names) put on every
    /// floating-point instruction; `FastMath::default()` for none.
    pub fastmath: FastMath,
    /// NumPy's error model: float division by zero gives inf/NaN and integer division by zero
    /// gives 0, instead of raising `ZeroDivisionError`.
    pub numpy_errors: bool,
    /// Compile a unit of shared library code instead of an entry point: the root keeps the
    /// internal calling convention and is exported under this name, for other modules to call
    /// as an [`External`]. Excludes `ufunc_loop` and `gufunc_core`.
    pub export_root_as: Option<String>,
}

/// A function compiled in a module of its own and already loaded, which the program calls:
/// calls of its IR `symbol` go to `link_name`, resolved to `address` when the object is
/// loaded. The object refers to it by `link_name` only, so a cached object can be loaded in
/// another process once the same unit is loaded there (see `ferrojit_compiler::library`).
#[derive(Clone, Debug)]
pub struct External {
    pub symbol: String,
    pub link_name: String,
    pub arg_types: Vec<ferrojit_types::Type>,
    pub address: usize,
}

/// Which fast-math relaxations are allowed, by Numba's flag names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FastMath(u32);

impl FastMath {
    /// Every relaxation (`fastmath=True`).
    pub fn all() -> FastMath {
        FastMath(inkwell::values::FastMathFlags::all().bits())
    }

    /// The flags named (`nnan`, `ninf`, `nsz`, `arcp`, `contract`, `afn`, `reassoc`), or the
    /// first unknown name.
    pub fn from_names<'a>(names: impl IntoIterator<Item = &'a str>) -> std::result::Result<FastMath, String> {
        use inkwell::values::FastMathFlags as F;
        let mut flags = F::empty();
        for name in names {
            flags |= match name {
                "nnan" => F::NoNaNs,
                "ninf" => F::NoInfs,
                "nsz" => F::NoSignedZeros,
                "arcp" => F::AllowReciprocal,
                "contract" => F::AllowContract,
                "afn" => F::ApproxFunc,
                "reassoc" => F::AllowReassoc,
                "fast" => F::all(),
                other => return Err(other.to_string()),
            };
        }
        Ok(FastMath(flags.bits()))
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

pub struct Compiled {
    /// The slot-buffer entry point; only meaningful without [`Options::ufunc_loop`].
    pub entry: EntryFn,
    /// The address of the entry point (the ufunc loop with [`Options::ufunc_loop`]); 0 when
    /// not loaded.
    pub address: usize,
    /// The relocatable objects the code was loaded from (what the disk cache stores): one, or
    /// two when the functions that run on the thread pool were compiled beside the rest (see
    /// `split.rs`).
    pub objects: Vec<Vec<u8>>,
    pub entry_symbol: String,
    pub llvm_ir: Option<String>,
    /// The host assembly, when [`Options::keep_asm`] was set.
    pub asm: Option<String>,
    pub timings: Timings,
    /// What became of the whole-array maps and reductions of `parallel=True` functions, one
    /// line each (see `parallel_maps::take_notes`), for `parallel_diagnostics`.
    pub parallel_notes: Vec<String>,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct Timings {
    pub lower: Duration,
    pub optimize: Duration,
    pub machine_code: Duration,
}

/// A failure inside code generation: always a bug in ferrojit, never the user's.
#[derive(Debug)]
pub struct CodegenError(pub String);

impl From<inkwell::builder::BuilderError> for CodegenError {
    fn from(e: inkwell::builder::BuilderError) -> Self {
        CodegenError(format!("LLVM builder: {e}"))
    }
}

pub type Result<T> = std::result::Result<T, CodegenError>;

struct Host {
    target: Target,
    triple: TargetTriple,
    cpu: String,
    features: String,
    /// glibc's vector math library is loaded: math calls may name its vector variants.
    libmvec: bool,
    /// Target machines not in use. LLVM's target machines are not thread-safe, so each
    /// compilation takes one of its own ([`Host::machine`]); there are as many as there were
    /// compilations at the same time (the warm-up and a real one: two), and each keeps the
    /// subtarget it built for the host CPU.
    idle_machines: Mutex<Vec<TargetMachine>>,
}

// SAFETY: `target` and `triple` are only read after creation; a target machine is used by
// one thread at a time, the one that took it from `idle_machines`.
unsafe impl Send for Host {}
unsafe impl Sync for Host {}

impl Host {
    /// A target machine for one compilation: an idle one (the most recently used, whose
    /// caches are warm), else a new one.
    fn machine(&self) -> Result<MachineLease<'_>> {
        let idle = self.idle_machines.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let machine = match idle {
            Some(machine) => machine,
            None => self
                .target
                .create_target_machine(&self.triple, &self.cpu, &self.features, OptimizationLevel::Aggressive, RelocMode::PIC, CodeModel::Small)
                .ok_or_else(|| CodegenError("LLVM cannot create a target machine for this host".into()))?,
        };
        Ok(MachineLease { host: self, machine: Some(machine) })
    }
}

/// A target machine taken from [`Host::idle_machines`], given back when dropped.
struct MachineLease<'h> {
    host: &'h Host,
    machine: Option<TargetMachine>,
}

impl std::ops::Deref for MachineLease<'_> {
    type Target = TargetMachine;
    fn deref(&self) -> &TargetMachine {
        self.machine.as_ref().expect("a lease holds its machine until dropped")
    }
}

impl Drop for MachineLease<'_> {
    fn drop(&mut self) {
        if let Some(machine) = self.machine.take() {
            self.host.idle_machines.lock().unwrap_or_else(|p| p.into_inner()).push(machine);
        }
    }
}

fn host() -> Result<&'static Host> {
    static HOST: OnceLock<std::result::Result<Host, String>> = OnceLock::new();
    HOST.get_or_init(|| {
        Target::initialize_native(&InitializationConfig::default())?;
        let triple = TargetMachine::get_default_triple();
        let target = Target::from_triple(&triple).map_err(|e| e.to_string())?;
        let cpu = TargetMachine::get_host_cpu_name().to_string();
        let features = TargetMachine::get_host_cpu_features().to_string();
        // Vector variants of libm functions come from glibc's libmvec; the JIT resolves them
        // only once the library is loaded into the process.
        let libmvec = inkwell::support::load_library_permanently(std::path::Path::new("libmvec.so.1")).is_ok();
        set_llvm_options();
        let host = Host { target, triple, cpu, features, libmvec, idle_machines: Mutex::new(Vec::new()) };
        // One machine now: a target the host cannot make is an error of the set-up.
        drop(host.machine().map_err(|e| e.0)?);
        Ok(host)
    })
    .as_ref()
    .map_err(|e| CodegenError(e.clone()))
}

/// Sets LLVM's global options (once, before any compilation):
/// - `-force-ordered-reductions` lets the loop vectoriser vectorise floating-point sums in
///   their original order (the lanes are added one after another), so `s += tanh(a[i])` uses
///   vector `tanh` and still gives bit-for-bit the result of the scalar loop;
/// - `-unroll-runtime-multi-exit` lets the unroller unroll loops with more than one exit. Our
///   loops leave early wherever an operation can raise (`int(x)` of a float, integer `//`),
///   which kept them rolled where Numba's (which do not check) are unrolled four times.
fn set_llvm_options() {
    let mut args = vec![c"ferrojit".to_owned(), c"-force-ordered-reductions".to_owned(), c"-unroll-runtime-multi-exit".to_owned()];
    // More options for investigating the compiler itself, e.g. `-time-passes`.
    if let Ok(extra) = std::env::var("FERROJIT_LLVM_OPTIONS") {
        args.extend(extra.split_whitespace().filter_map(|a| std::ffi::CString::new(a).ok()));
    }
    let pointers: Vec<_> = args.iter().map(|a| a.as_ptr()).collect();
    // SAFETY: valid C strings that outlive the call; called once, before any compilation.
    unsafe { llvm_sys::support::LLVMParseCommandLineOptions(pointers.len() as i32, pointers.as_ptr(), std::ptr::null()) };
}

/// Set by the first call of [`compile`] or [`load_objects`] (a disk cache hit): from then on a
/// [`warm_up`] is pointless and gives way.
static COMPILATION_STARTED: AtomicBool = AtomicBool::new(false);

/// Compiles `program` (root first) and returns its entry point.
/// Calls of the `externals` go to code loaded before.
pub fn compile(program: &[&ir::Function], externals: &[External], options: &Options) -> Result<Compiled> {
    COMPILATION_STARTED.store(true, Ordering::SeqCst);
    let compiled = compile_steps(program, externals, options, &|| false)?;
    Ok(compiled.expect("a compilation that never gives way finishes"))
}

/// Pays LLVM's one-time costs of a process (target and JIT set-up, the host subtarget, pass
/// registration, and the first touch of LLVM's code) by compiling and loading `program`, whose
/// code is then never called. A real compilation never waits for it (each takes a target
/// machine of its own); between its steps the warm-up stops as soon as a real compilation has
/// started, which pays what is left of the one-time costs anyway. Meant to run on a
/// background thread after start-up.
pub fn warm_up(program: &[ir::Function]) -> Result<()> {
    let give_way = || COMPILATION_STARTED.load(Ordering::SeqCst);
    if give_way() {
        return Ok(());
    }
    let options = Options { load: true, ..Options::default() };
    let program: Vec<&ir::Function> = program.iter().collect();
    if compile_steps(&program, &[], &options, &give_way)?.is_none() {
        return Ok(());
    }
    // Once more with the first target machine held, so that a second one is made and warmed
    // up too: a `parallel=True` function compiles its pool functions with a second machine, on
    // a second thread (`split.rs`).
    let held = host()?.machine()?;
    compile_steps(&program, &[], &options, &give_way)?;
    drop(held);
    Ok(())
}

/// The steps of [`compile`]; `None` when `give_way` said to stop between two steps.
fn compile_steps(program: &[&ir::Function], externals: &[External], options: &Options, give_way: &dyn Fn() -> bool) -> Result<Option<Compiled>> {
    let host = host()?;
    if give_way() {
        return Ok(None);
    }
    let machine = host.machine()?;
    let start = Instant::now();
    let context = &Context::create();
    let module = context.create_module(&program[0].name);
    module.set_triple(&machine.get_triple());
    module.set_data_layout(&machine.get_target_data().get_data_layout());
    let vector_isas = if host.libmvec { lower::vector_isas(&host.features) } else { Vec::new() };
    parallel_maps::take_notes();
    let lowered = lower::lower_program(context, &module, program, externals, &host.cpu, &host.features, &vector_isas, options)?;
    let parallel_notes = parallel_maps::take_notes();
    if !options.fastmath.is_empty() {
        set_fast_math(&module, options.fastmath);
    }
    if let Err(e) = module.verify() {
        return Err(CodegenError(format!("LLVM rejected the generated IR: {}\n{}", e.to_string(), module.print_to_string().to_string())));
    }
    // The pool functions go to a module of their own, compiled on a second thread (`split.rs`).
    let pool = split::pool_functions(&module);
    let pool_part = if pool.is_empty() {
        None
    } else {
        split::export(&pool);
        let names: Vec<String> = pool.iter().map(|f| f.get_name().to_string_lossy().into_owned()).collect();
        let bitcode = module.write_bitcode_to_memory().as_slice().to_vec();
        split::keep_caller_part(&module, &pool);
        Some((bitcode, names))
    };
    let lower_time = start.elapsed();
    if give_way() {
        return Ok(None);
    }

    let pool_job = pool_part.map(|part| {
        let part = std::sync::Arc::new(part);
        let for_thread = part.clone();
        let options_for_thread = options.clone();
        let job = split::on_compile_thread(move || compile_pool_part(host, &for_thread.0, &for_thread.1, &options_for_thread));
        (job, part)
    });
    let Some(caller) = optimize_and_emit(&module, &machine, options, give_way)? else { return Ok(None) };
    let start = Instant::now();
    let mut parts = vec![caller];
    if let Some((job, part)) = pool_job {
        parts.push(match job.and_then(|result| result.recv().ok()) {
            Some(emitted) => emitted?,
            // No compile thread could take the job, or it stopped: this thread compiles the
            // pool part too.
            None => compile_pool_part(host, &part.0, &part.1, options)?,
        });
    }
        let objects: Vec<Vec<u8>> = parts.iter_mut().map(|p| std::mem::take(&mut p.object)).collect();
        let address = if options.load { jit::load_objects(&objects, &lowered.entry_symbol, &link_addresses(externals))? } else { 0 };
        // The times of this thread: the pool part's counts where this thread waited for it.
        let timings = Timings { lower: lower_time, optimize: parts[0].optimize, machine_code: parts[0].machine_code + start.elapsed() };
        let joined = |text: fn(&Emitted) -> &Option<String>| -> Option<String> { parts.iter().map(text).cloned().collect::<Option<Vec<String>>>().map(|t| t.join("\n")) };
        let (llvm_ir, asm) = (joined(|p| &p.llvm_ir), joined(|p| &p.asm));
        // SAFETY: the entry wrapper was generated with exactly the `EntryFn` signature (callers
        // check `address != 0` before calling).
        let entry: EntryFn = unsafe { std::mem::transmute::<usize, EntryFn>(address.max(1)) };
        Ok(Some(Compiled { entry, address, objects, entry_symbol: lowered.entry_symbol, llvm_ir, asm, timings, parallel_notes }))
}

/// A module optimised and emitted: its relocatable object, with the texts asked for.
struct Emitted {
    object: Vec<u8>,
    llvm_ir: Option<String>,
    asm: Option<String>,
    optimize: Duration,
    machine_code: Duration,
}

/// Optimises `module` with `default<O3>` and emits its object; `None` when `give_way` said to
/// stop between two steps.
fn optimize_and_emit(module: &Module<'_>, machine: &TargetMachine, options: &Options, give_way: &dyn Fn() -> bool) -> Result<Option<Emitted>> {
    let start = Instant::now();
    module
        .run_passes("default<O3>", machine, PassBuilderOptions::create())
        .map_err(|e| CodegenError(format!("LLVM optimisation failed: {e}")))?;
    let optimize = start.elapsed();
    let llvm_ir = options.keep_llvm_ir.then(|| module.print_to_string().to_string());
    let asm = if options.keep_asm {
        let buffer = machine
            .write_to_memory_buffer(module, inkwell::targets::FileType::Assembly)
            .map_err(|e| CodegenError(format!("cannot print assembly: {e}")))?;
        Some(String::from_utf8_lossy(buffer.as_slice()).into_owned())
    } else {
        None
    };
    if give_way() {
        return Ok(None);
    }
    let start = Instant::now();
    let object = machine
        .write_to_memory_buffer(module, inkwell::targets::FileType::Object)
        .map_err(|e| CodegenError(format!("cannot emit machine code: {e}")))?
        .as_slice()
        .to_vec();
    Ok(Some(Emitted { object, llvm_ir, asm, optimize, machine_code: start.elapsed() }))
}

/// The pool part of a module (see `split.rs`): read back from `bitcode` (the whole module) in
/// a context of its own, cut down to the functions named `pool`, optimised and emitted with a
/// target machine of its own.
fn compile_pool_part(host: &Host, bitcode: &[u8], pool: &[String], options: &Options) -> Result<Emitted> {
    let machine = host.machine()?;
    let context = Context::create();
    let buffer = inkwell::memory_buffer::MemoryBuffer::create_from_memory_range_copy(bitcode, "pool");
    let module = Module::parse_bitcode_from_buffer(&buffer, &context).map_err(|e| CodegenError(format!("cannot read back the pool functions: {e}")))?;
    split::keep_pool_part(&module, pool);
    Ok(optimize_and_emit(&module, &machine, options, &|| false)?.expect("a compilation that never gives way finishes"))
}

/// Puts the fast-math flags on every instruction that takes them.
fn set_fast_math(module: &Module<'_>, flags: FastMath) {
    let flags = inkwell::values::FastMathFlags::from_bits_retain(flags.0);
    for f in module.get_functions() {
        for bb in f.get_basic_blocks() {
            let mut inst = bb.get_first_instruction();
            while let Some(i) = inst {
                if i.can_use_fast_math_flags() {
                    let _ = i.set_fast_math_flags(flags);
                }
                inst = i.get_next_instruction();
            }
        }
    }
}

/// The target the machine code is for: the CPU name and its features (part of cache keys).
pub fn host_description() -> Result<String> {
    let host = host()?;
    Ok(format!("{} {} {}", host.triple, host.cpu, host.features))
}

/// Loads the objects made by [`compile`] (read back from the disk cache) with the `externals`
/// they were compiled against, and returns the address of their entry point.
pub fn load_objects(objects: &[Vec<u8>], entry_symbol: &str, externals: &[External]) -> Result<usize> {
    COMPILATION_STARTED.store(true, Ordering::SeqCst);
    host()?;
    jit::load_objects(objects, entry_symbol, &link_addresses(externals))
}

/// Each external's name and address, once per name (see `lower::lower_program`).
fn link_addresses(externals: &[External]) -> Vec<(&str, usize)> {
    let mut links: Vec<(&str, usize)> = externals.iter().map(|e| (e.link_name.as_str(), e.address)).collect();
    links.sort_unstable();
    links.dedup_by_key(|(name, _)| *name);
    links
}

#[cfg(test)]
mod tests {
    #[test]
    fn runtime_exception_codes_match_the_ir() {
        assert_eq!(ferrojit_runtime::EXC_VALUE_ERROR, ferrojit_ir::ExcKind::ValueError.code());
        assert_eq!(ferrojit_runtime::EXC_ZERO_DIVISION_ERROR, ferrojit_ir::ExcKind::ZeroDivisionError.code());
        assert_eq!(ferrojit_runtime::EXC_OVERFLOW_ERROR, ferrojit_ir::ExcKind::OverflowError.code());
        assert_eq!(ferrojit_runtime::EXC_RUNTIME_ERROR, ferrojit_ir::ExcKind::RuntimeError.code());
        assert_eq!(ferrojit_runtime::EXC_NOT_IMPLEMENTED_ERROR, ferrojit_ir::ExcKind::NotImplementedError.code());
        assert_eq!(ferrojit_runtime::EXC_INDEX_ERROR, ferrojit_ir::ExcKind::IndexError.code());
        assert_eq!(ferrojit_runtime::EXC_AXIS_ERROR, ferrojit_ir::ExcKind::AxisError.code());
        assert_eq!(ferrojit_runtime::EXC_ATTRIBUTE_ERROR, ferrojit_ir::ExcKind::AttributeError.code());
        assert_eq!(ferrojit_runtime::EXC_GENERATOR_EXIT, ferrojit_ir::ExcKind::GeneratorExit.code());
        assert_eq!(ferrojit_runtime::EXC_UNICODE_ENCODE_ERROR, ferrojit_ir::ExcKind::UnicodeEncodeError.code());
        assert_eq!(ferrojit_runtime::EXC_UNICODE_DECODE_ERROR, ferrojit_ir::ExcKind::UnicodeDecodeError.code());
    }
}
