//! Loading object code into the process: one ORC LLJIT for the process, one JITDylib per
//! compilation (its one or two objects).
//!
//! Every compilation produces a relocatable object (which the disk cache can store as is);
//! loading it into a JITDylib of its own means the same symbol names (`ferrojit_entry`) never
//! clash between objects. Each JITDylib resolves the runtime's functions to their addresses in
//! this extension (the JIT cannot see inside it) and everything else (libm, libmvec) from the
//! process. Loaded code is never unloaded.

use crate::{CodegenError, Result};
use llvm_sys::error::{LLVMDisposeErrorMessage, LLVMErrorRef, LLVMGetErrorMessage};
use llvm_sys::orc2::lljit::*;
use llvm_sys::orc2::*;
use std::ffi::{c_void, CStr, CString};
use std::sync::{Mutex, OnceLock};

struct Jit {
    lljit: LLVMOrcLLJITRef,
    dylibs: usize,
}

// SAFETY: all use goes through the mutex in `jit()`.
unsafe impl Send for Jit {}

fn jit() -> Result<&'static Mutex<Jit>> {
    static JIT: OnceLock<std::result::Result<Mutex<Jit>, String>> = OnceLock::new();
    JIT.get_or_init(|| {
        let mut lljit = std::ptr::null_mut();
        // SAFETY: a default builder, consumed by the call.
        let err = unsafe { LLVMOrcCreateLLJIT(&mut lljit, LLVMOrcCreateLLJITBuilder()) };
        check(err).map_err(|e| e.0)?;
        Ok(Mutex::new(Jit { lljit, dylibs: 0 }))
    })
    .as_ref()
    .map_err(|e| CodegenError(format!("cannot start the JIT: {e}")))
}

fn check(err: LLVMErrorRef) -> Result<()> {
    if err.is_null() {
        return Ok(());
    }
    // SAFETY: a live error, consumed by taking its message.
    unsafe {
        let msg = LLVMGetErrorMessage(err);
        let text = CStr::from_ptr(msg).to_string_lossy().into_owned();
        LLVMDisposeErrorMessage(msg);
        Err(CodegenError(text))
    }
}

/// Loads relocatable objects into one JITDylib and returns the address of `symbol` in them;
/// their references to each other's symbols resolve there, those to the names in `links` to
/// their addresses.
pub(crate) fn load_objects(objects: &[Vec<u8>], symbol: &str, links: &[(&str, usize)]) -> Result<usize> {
    let mut jit = jit()?.lock().unwrap_or_else(|p| p.into_inner());
    jit.dylibs += 1;
    let name = CString::new(format!("ferrojit.{}", jit.dylibs)).expect("no NUL");
    // SAFETY: the LLJIT lives for the process; every pointer handed to ORC is valid for the
    // call, and ownership of the memory buffer and the materialisation unit passes to ORC.
    unsafe {
        let session = LLVMOrcLLJITGetExecutionSession(jit.lljit);
        let mut dylib = std::ptr::null_mut();
        check(LLVMOrcExecutionSessionCreateJITDylib(session, &mut dylib, name.as_ptr()))?;
        define_runtime_symbols(session, dylib)?;
        define_links(session, dylib, links)?;
        let mut generator = std::ptr::null_mut();
        check(LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess(&mut generator, LLVMOrcLLJITGetGlobalPrefix(jit.lljit), None, std::ptr::null_mut()))?;
        LLVMOrcJITDylibAddGenerator(dylib, generator);
        for object in objects {
            let buffer = llvm_sys::core::LLVMCreateMemoryBufferWithMemoryRangeCopy(object.as_ptr() as *const _, object.len(), c"object".as_ptr());
            check(LLVMOrcLLJITAddObjectFile(jit.lljit, dylib, buffer))?;
        }
        lookup(session, dylib, symbol)
    }
}

unsafe fn define_runtime_symbols(session: LLVMOrcExecutionSessionRef, dylib: LLVMOrcJITDylibRef) -> Result<()> {
    static TABLE: OnceLock<Vec<(CString, usize)>> = OnceLock::new();
    let table = TABLE.get_or_init(|| ferrojit_runtime::symbols().into_iter().map(|(n, a)| (CString::new(n).expect("no NUL"), a)).collect());
    let generic = callable_export();
    let mut pairs: Vec<LLVMOrcCSymbolMapPair> = table
        .iter()
        .map(|(name, address)| LLVMOrcCSymbolMapPair {
            Name: LLVMOrcExecutionSessionIntern(session, name.as_ptr()),
            Sym: LLVMJITEvaluatedSymbol { Address: *address as u64, Flags: LLVMJITSymbolFlags { GenericFlags: generic, TargetFlags: 0 } },
        })
        .collect();
    let unit = LLVMOrcAbsoluteSymbols(pairs.as_mut_ptr(), pairs.len());
    check(LLVMOrcJITDylibDefine(dylib, unit))
}

unsafe fn define_links(session: LLVMOrcExecutionSessionRef, dylib: LLVMOrcJITDylibRef, links: &[(&str, usize)]) -> Result<()> {
    if links.is_empty() {
        return Ok(());
    }
    let names: Vec<CString> = links.iter().map(|(n, _)| CString::new(*n).map_err(|_| CodegenError("symbol with NUL".into()))).collect::<Result<_>>()?;
    let mut pairs: Vec<LLVMOrcCSymbolMapPair> = names
        .iter()
        .zip(links)
        .map(|(name, (_, address))| LLVMOrcCSymbolMapPair {
            Name: LLVMOrcExecutionSessionIntern(session, name.as_ptr()),
            Sym: LLVMJITEvaluatedSymbol { Address: *address as u64, Flags: LLVMJITSymbolFlags { GenericFlags: callable_export(), TargetFlags: 0 } },
        })
        .collect();
    let unit = LLVMOrcAbsoluteSymbols(pairs.as_mut_ptr(), pairs.len());
    check(LLVMOrcJITDylibDefine(dylib, unit))
}

fn callable_export() -> u8 {
    (LLVMJITSymbolGenericFlags::LLVMJITSymbolGenericFlagsExported as u8) | (LLVMJITSymbolGenericFlags::LLVMJITSymbolGenericFlagsCallable as u8)
}

struct LookupResult {
    done: bool,
    address: u64,
    error: Option<String>,
}

extern "C" fn on_lookup(err: LLVMErrorRef, result: LLVMOrcCSymbolMapPairs, count: usize, ctx: *mut c_void) {
    // SAFETY: `ctx` is the `LookupResult` of the waiting `lookup` call.
    let out = unsafe { &mut *(ctx as *mut LookupResult) };
    out.done = true;
    match check(err) {
        Err(e) => out.error = Some(e.0),
        Ok(()) if count == 1 => out.address = unsafe { (*result).Sym.Address },
        Ok(()) => out.error = Some(format!("lookup returned {count} symbols")),
    }
}

unsafe fn lookup(session: LLVMOrcExecutionSessionRef, dylib: LLVMOrcJITDylibRef, symbol: &str) -> Result<usize> {
    let name = CString::new(symbol).map_err(|_| CodegenError("symbol with NUL".into()))?;
    let mut order = [LLVMOrcCJITDylibSearchOrderElement { JD: dylib, JDLookupFlags: LLVMOrcJITDylibLookupFlags::LLVMOrcJITDylibLookupFlagsMatchAllSymbols }];
    let mut set = [LLVMOrcCLookupSetElement {
        Name: LLVMOrcExecutionSessionIntern(session, name.as_ptr()),
        LookupFlags: LLVMOrcSymbolLookupFlags::LLVMOrcSymbolLookupFlagsRequiredSymbol,
    }];
    let mut result = LookupResult { done: false, address: 0, error: None };
    // LLJIT's default dispatcher materialises in place: the callback runs before this returns.
    LLVMOrcExecutionSessionLookup(
        session,
        LLVMOrcLookupKind::LLVMOrcLookupKindStatic,
        order.as_mut_ptr(),
        order.len(),
        set.as_mut_ptr(),
        set.len(),
        on_lookup,
        &mut result as *mut LookupResult as *mut c_void,
    );
    if !result.done {
        return Err(CodegenError("the JIT did not finish loading synchronously".into()));
    }
    if let Some(e) = result.error {
        return Err(CodegenError(format!("cannot load compiled code: {e}")));
    }
    Ok(result.address as usize)
}
