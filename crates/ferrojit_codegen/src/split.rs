//! Compiling the code that runs on the thread pool beside the rest, on a second thread.
//!
//! The module of a `parallel=True` function holds two parts of comparable size: the caller's
//! code (the root, its entry wrapper, the arrays it makes, the in-order combination of the
//! partial results) and the *pool functions* (the chunk entries of `prange` loops, the kernels
//! of whole-array maps and reductions), which the caller reaches only by handing their address
//! to `ferrojit_rt_parallel_for`, or by calling them directly to run them here. LLVM's time
//! grows with the code it is given, so [`crate::compile`] gives the pool functions a module of
//! their own and optimises and emits both modules at once, each in its own LLVM context with
//! its own target machine (LLVM allows one thread per context). The two objects are loaded
//! into one JITDylib, where the caller's references to the pool functions resolve by name.
//!
//! Invariants of the split:
//! - every function defined in the original module is defined in exactly one of the two
//!   modules, or in both when it is internal (a helper both parts call is compiled twice: it
//!   has no state of its own, so two copies behave as one);
//! - a function one module uses and the other defines is external in the defining module and
//!   declared in the using one (pool functions, and functions with external linkage);
//! - private globals (constants, string images) are copied into both modules: each string
//!   image caches its own hash, which is the same in both.

use inkwell::module::{Linkage, Module};
use inkwell::values::{AsValueRef, FunctionValue};
use llvm_sys::core::{LLVMGetCalledValue, LLVMGetFirstUse, LLVMGetNextUse, LLVMGetOperand, LLVMGetUser, LLVMIsACallInst, LLVMReplaceAllUsesWith, LLVMSetValueName2};
use std::collections::HashSet;
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender};
use std::sync::Mutex;

/// The runtime function that runs a pool function's chunks; its first argument is the pool
/// function.
const POOL_RUNNER: &str = "ferrojit_rt_parallel_for";

/// The pool functions of `module`: each function whose address is the first argument of a
/// call of [`POOL_RUNNER`], once each, in the order of the calls' users.
pub(crate) fn pool_functions<'ctx>(module: &Module<'ctx>) -> Vec<FunctionValue<'ctx>> {
    let Some(runner) = module.get_function(POOL_RUNNER) else { return Vec::new() };
    let mut found = Vec::new();
    let mut seen = HashSet::new();
    // SAFETY: the uses of a live function of `module`, read and not changed; a call's operand 0
    // is its first argument.
    unsafe {
        let mut using = LLVMGetFirstUse(runner.as_value_ref());
        while !using.is_null() {
            let user = LLVMGetUser(using);
            if !LLVMIsACallInst(user).is_null() && LLVMGetCalledValue(user) == runner.as_value_ref() {
                let first = LLVMGetOperand(user, 0);
                if let Some(f) = module.get_functions().find(|f| f.as_value_ref() == first) {
                    if seen.insert(first) {
                        found.push(f);
                    }
                }
            }
            using = LLVMGetNextUse(using);
        }
    }
    found
}

/// Gives `functions` external linkage, so that the other module can name them.
pub(crate) fn export(functions: &[FunctionValue<'_>]) {
    for f in functions {
        f.set_linkage(Linkage::External);
    }
}

/// The part of the module that runs on the caller's thread: the bodies of `pool` are
/// removed (each becomes a declaration of the same name), then every internal function no
/// longer used.
pub(crate) fn keep_caller_part<'ctx>(module: &Module<'ctx>, pool: &[FunctionValue<'ctx>]) {
    for f in pool {
        declare_instead(module, *f);
    }
    remove_unused(module);
}

/// The pool part of `module` (a copy of the whole, read back from bitcode): only the functions
/// named `pool` keep their bodies among those with external linkage; then every internal
/// function no longer used is removed.
pub(crate) fn keep_pool_part(module: &Module<'_>, pool: &[String]) {
    let defined_elsewhere: Vec<_> = module
        .get_functions()
        .filter(|f| f.count_basic_blocks() > 0 && f.get_linkage() == Linkage::External)
        .filter(|f| !pool.iter().any(|name| f.get_name().to_bytes() == name.as_bytes()))
        .collect();
    for f in defined_elsewhere {
        declare_instead(module, f);
    }
    remove_unused(module);
}

/// Replaces the definition `f` by a declaration of the same name and type: its uses go to the
/// declaration.
fn declare_instead<'ctx>(module: &Module<'ctx>, f: FunctionValue<'ctx>) {
    let name = f.get_name().to_bytes().to_vec();
    let declaration = module.add_function("", f.get_type(), Some(Linkage::External));
    // SAFETY: both are functions of `module` of the same type; `f` has no use left when it is
    // deleted, and the declaration takes its name only once `f` is gone.
    unsafe {
        LLVMReplaceAllUsesWith(f.as_value_ref(), declaration.as_value_ref());
        f.delete();
        LLVMSetValueName2(declaration.as_value_ref(), name.as_ptr().cast(), name.len());
    }
}

/// Removes the internal and private functions nothing uses, until none is left (removing one
/// can leave its callees unused).
fn remove_unused(module: &Module<'_>) {
    loop {
        let unused: Vec<_> = module
            .get_functions()
            .filter(|f| matches!(f.get_linkage(), Linkage::Internal | Linkage::Private))
            // SAFETY: reads the first use of a live function.
            .filter(|f| unsafe { LLVMGetFirstUse(f.as_value_ref()) }.is_null())
            .collect();
        if unused.is_empty() {
            return;
        }
        for f in unused {
            // SAFETY: an unused function of `module`.
            unsafe { f.delete() };
        }
    }
}

type Job = Box<dyn FnOnce() + Send>;

/// The compile thread of this process and the channel of its jobs. One thread kept for the
/// process rather than one per compilation: a new thread was often placed on the CPU of the
/// thread that made it and ran beside it there instead of on the other core (on the 2-core
/// development machine, compilations of a trivial `prange` function took 10 ms about half the
/// time and 6.5-7 ms the rest), where a thread that sleeps between jobs wakes on its own core.
static COMPILE_THREAD: Mutex<Option<(u32, Sender<Job>)>> = Mutex::new(None);

/// Runs `job` on the compile thread and returns the channel its result comes back on; `None`
/// when no thread can be started. A child process after `fork` has none of its parent's
/// threads: it starts its own (the process id tells).
pub(crate) fn on_compile_thread<T: Send + 'static>(job: impl FnOnce() -> T + Send + 'static) -> Option<Receiver<T>> {
    let (result_sender, result) = sync_channel(1);
    let mut job: Option<Job> = Some(Box::new(move || {
        // A job that panics drops its sender: the caller's `recv` fails and it compiles the
        // part itself, which reports the panic as every compilation does.
        let _ = result_sender.send(job());
    }));
    let mut thread = COMPILE_THREAD.lock().unwrap_or_else(|p| p.into_inner());
    for _ in 0..2 {
        let alive = thread.as_ref().filter(|(pid, _)| *pid == std::process::id());
        let sender = match alive {
            Some((_, sender)) => sender.clone(),
            None => {
                let (sender, jobs) = channel::<Job>();
                let started = std::thread::Builder::new().name("ferrojit-compile".into()).spawn(move || {
                    for job in jobs {
                        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                    }
                });
                started.ok()?;
                *thread = Some((std::process::id(), sender.clone()));
                sender
            }
        };
        match sender.send(job.take().expect("a job is sent once")) {
            Ok(()) => return Some(result),
            // The thread is gone: start another, once.
            Err(returned) => {
                job = Some(returned.0);
                *thread = None;
            }
        }
    }
    None
}
