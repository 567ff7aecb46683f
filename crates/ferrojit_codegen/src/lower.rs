//! Typed IR -> LLVM IR, one function at a time.
//!
//! Locals live in `alloca`s created in the entry block (zero-initialised, so that reading a
//! variable not assigned on the path taken is deterministic); LLVM's `mem2reg` turns them into
//! registers. Python semantics that need checks (division by zero, shift counts, float -> int
//! conversion, `range` step) branch to a block that fills the exception info and returns the
//! exception status.

use crate::abi::{basic_type_of, entry_wrapper, float_type, int_type, llvm_type};
use crate::{CodegenError, Result};
use ferrojit_ir::{self as ir, BinaryOp, CmpOp, Const, ExcKind, ExprKind, MathFunc, MathLowering, PrintItem, PythonErrors, RuntimeFunc, StmtKind, UnaryOp};
use ferrojit_types::{FloatType, HeapKind, IntType, Type};
use inkwell::attributes::AttributeLoc;
use inkwell::basic_block::BasicBlock;
use inkwell::builder::Builder;
use inkwell::context::Context;
use inkwell::intrinsics::Intrinsic;
use inkwell::module::{Linkage, Module};
use inkwell::types::{BasicMetadataTypeEnum, BasicType, BasicTypeEnum};
use inkwell::values::{BasicMetadataValueEnum, BasicValueEnum, FloatValue, FunctionValue, IntValue, PointerValue, StructValue};
use inkwell::{AddressSpace, FloatPredicate, IntPredicate};
use std::collections::HashMap;

/// The loop attributes of the scalar copy of a loop LLVM vectorises: that copy runs the last
/// few iterations, and all of them when the vector loop's run-time checks find overlapping
/// arrays. It keeps `isvectorized`, as LLVM marks it, and is not unrolled at run time. LLVM
/// itself leaves the copy rolled only when the vector loop needs no run-time checks; with
/// them (an output array that may overlap an input), LLVM unrolled the copy eight times, which
/// made it most of a stencil's machine code, and loop strength reduction over the unrolled
/// copies most of its compile time: with the copy rolled, LLVM's work on `jacobi_step` fell
/// from 498 to 219 million instructions, on `matmul` from 124 to 96 million. The price:
/// `matmul`'s inner loops, 200 iterations, run about 10% slower with their last 8 rolled.
/// Unrolling the copy 4 times instead kept that speed but gave back the compile time.
const SCALAR_COPY_OF_VECTOR_LOOP: [(&str, Option<u64>); 2] = [("llvm.loop.isvectorized", Some(1)), ("llvm.loop.unroll.runtime.disable", None)];

pub(crate) struct Lowered {
    pub entry_symbol: String,
}

pub(crate) const UFUNC_LOOP_SYMBOL: &str = "ferrojit_ufunc_loop";

pub(crate) const ENTRY_SYMBOL: &str = "ferrojit_entry";

/// A vector ISA of the x86-64 vector function ABI: its mangling letter and register width.
#[derive(Clone, Copy, Debug)]
pub(crate) struct VectorIsa {
    letter: char,
    bits: u32,
}

/// The libmvec ISAs the host supports: AVX2 (`d`) and AVX-512 (`e`).
pub(crate) fn vector_isas(features: &str) -> Vec<VectorIsa> {
    let has = |f: &str| features.split(',').any(|x| x == f);
    let mut isas = Vec::new();
    if has("+avx2") {
        isas.push(VectorIsa { letter: 'd', bits: 256 });
    }
    if has("+avx512f") {
        isas.push(VectorIsa { letter: 'e', bits: 512 });
    }
    isas
}

pub(crate) fn lower_program<'ctx>(
    cx: &'ctx Context,
    module: &Module<'ctx>,
    program: &[&ir::Function],
    externals: &[crate::External],
    cpu: &str,
    features: &str,
    vector_isas: &[VectorIsa],
    options: &crate::Options,
) -> Result<Lowered> {
    let ptr = cx.ptr_type(AddressSpace::default());
    let host_attributes = |f: FunctionValue<'ctx>| {
        f.add_attribute(AttributeLoc::Function, cx.create_string_attribute("target-cpu", cpu));
        f.add_attribute(AttributeLoc::Function, cx.create_string_attribute("target-features", features));
        f.add_attribute(AttributeLoc::Function, cx.create_enum_attribute(inkwell::attributes::Attribute::get_named_enum_kind_id("nounwind"), 0));
    };
    // Every function has the internal convention `i32 f(ptr ret, ptr exc, args...)`.
    let fn_type = |arg_types: &[Type]| {
        let mut params: Vec<BasicMetadataTypeEnum> = vec![ptr.into(), ptr.into()];
        params.extend(arg_types.iter().map(|t| basic_type_of(cx, t)));
        cx.i32_type().fn_type(&params, false)
    };
    let mut fns = HashMap::new();
    for (i, f) in program.iter().enumerate() {
        let exported = options.export_root_as.as_deref().filter(|_| i == 0);
        let fv = match exported {
            Some(name) => module.add_function(name, fn_type(&f.arg_types), Some(Linkage::External)),
            None => module.add_function(&f.symbol, fn_type(&f.arg_types), Some(Linkage::Internal)),
        };
        host_attributes(fv);
        fns.insert(f.symbol.clone(), fv);
        if f.yields().is_some() {
            // A generator function's `next`, `i32 (ptr ret, ptr exc, ptr state)` (see
            // `generators`).
            let next = module.add_function(&crate::generators::next_symbol(f), cx.i32_type().fn_type(&[ptr.into(), ptr.into(), ptr.into()], false), Some(Linkage::Internal));
            host_attributes(next);
            fns.insert(crate::generators::next_symbol(f), next);
        }
    }
    for e in externals {
        // Two functions of the program may be the same unit (one implementation reached
        // through two static-argument specialisations with the same values): one declaration.
        let fv = module.get_function(&e.link_name).unwrap_or_else(|| {
            let fv = module.add_function(&e.link_name, fn_type(&e.arg_types), Some(Linkage::External));
            host_attributes(fv);
            fv
        });
        fns.insert(e.symbol.clone(), fv);
    }
    for f in program {
        if f.yields().is_some() {
            crate::generators::lower_generator(cx, module, f, &fns, vector_isas, options, &host_attributes)?;
            continue;
        }
        FnLower::new(cx, module, fns[&f.symbol], f, &fns, vector_isas, options)?.lower()?;
    }
    keep_vector_variants(cx, module);
    let root = &program[0];
    if let Some(name) = &options.export_root_as {
        inline_single_callers(cx, program.iter().skip(1).map(|f| fns[&f.symbol]));
        return Ok(Lowered { entry_symbol: name.clone() });
    }
    let entry = if let Some(core) = &options.gufunc_core {
        crate::abi::gufunc_loop(cx, module, fns[&root.symbol], &root.arg_types, core, UFUNC_LOOP_SYMBOL)?
    } else if options.ufunc_loop {
        crate::abi::ufunc_loop(cx, module, fns[&root.symbol], &root.arg_types, &root.ret, UFUNC_LOOP_SYMBOL)?
    } else {
        entry_wrapper(cx, module, fns[&root.symbol], &root.arg_types, &root.ret, ENTRY_SYMBOL)?
    };
    host_attributes(entry);
    Ok(Lowered { entry_symbol: entry.get_name().to_string_lossy().into_owned() })
}

/// Marks `alwaysinline` each of `functions` (the unit's own but its root) that has exactly one
/// call, from another function. LLVM's inliner works bottom-up: it optimises a callee, inlines it into
/// its caller, then optimises the caller again with the callee's body in it, so a chain of
/// calls `a -> b -> c` optimises `c`'s code once per level. A library unit is such a chain (a
/// library function calls its helpers, which call theirs, each once), and that repetition was
/// most of LLVM's time: `np.insert`'s unit optimised in 0.57 s, 0.26 s once its single-call
/// helpers are inlined first, and the library's tests compile in 13% less time. Only units
/// do this: in a user's module, inlining helpers before optimising them made some loops
/// slower (1.1-1.4x on six of the 28 loop kernels of `bench/`, best of 4 runs), where the
/// kernels whose time is in library units (sorting, histogram, median, least squares,
/// k-means) ran as fast as before.
fn inline_single_callers<'ctx>(cx: &'ctx Context, functions: impl Iterator<Item = FunctionValue<'ctx>>) {
    let always_inline = cx.create_enum_attribute(inkwell::attributes::Attribute::get_named_enum_kind_id("alwaysinline"), 0);
    for f in functions.filter(|f| called_once_by_another(*f)) {
        f.add_attribute(AttributeLoc::Function, always_inline);
    }
}

/// Whether `f`'s only use is one call of it, from another function.
fn called_once_by_another(f: FunctionValue<'_>) -> bool {
    use inkwell::values::AsValueRef;
    use llvm_sys::core::{LLVMGetBasicBlockParent, LLVMGetCalledValue, LLVMGetFirstUse, LLVMGetInstructionParent, LLVMGetNextUse, LLVMGetUser, LLVMIsACallInst};
    let function = f.as_value_ref();
    // SAFETY: `function` is a live function of a module being built; the uses, their user and
    // its block are read, not changed.
    unsafe {
        let first = LLVMGetFirstUse(function);
        if first.is_null() || !LLVMGetNextUse(first).is_null() {
            return false;
        }
        let user = LLVMGetUser(first);
        if LLVMIsACallInst(user).is_null() || LLVMGetCalledValue(user) != function {
            return false;
        }
        let block = LLVMGetInstructionParent(user);
        !block.is_null() && LLVMGetBasicBlockParent(block) != function
    }
}

/// Lists the declared vector math functions in `llvm.compiler.used`, so that no pass drops
/// them before the vectoriser looks for them (as LLVM's own InjectTLIMappings does).
fn keep_vector_variants<'ctx>(cx: &'ctx Context, module: &Module<'ctx>) {
    let ptr = cx.ptr_type(AddressSpace::default());
    let used: Vec<PointerValue> = module
        .get_functions()
        .filter(|f| f.get_name().to_bytes().starts_with(b"_ZGV"))
        .map(|f| f.as_global_value().as_pointer_value())
        .collect();
    if used.is_empty() {
        return;
    }
    let array = ptr.const_array(&used);
    let global = module.add_global(array.get_type(), None, "llvm.compiler.used");
    global.set_linkage(Linkage::Appending);
    global.set_section(Some("llvm.metadata"));
    global.set_initializer(&array);
}

type Value<'ctx> = BasicValueEnum<'ctx>;

/// The evaluated bounds of a `range` loop; `step` is `None` for the constant step 1.
struct RangeBounds<'ctx> {
    start: IntValue<'ctx>,
    stop: IntValue<'ctx>,
    step: Option<IntValue<'ctx>>,
    step_is_constant: bool,
}

pub(crate) struct FnLower<'ctx, 'm> {
    pub(crate) cx: &'ctx Context,
    pub(crate) module: &'m Module<'ctx>,
    pub(crate) b: Builder<'ctx>,
    pub(crate) options: &'m crate::Options,
    pub(crate) vector_isas: &'m [VectorIsa],
    pub(crate) f: FunctionValue<'ctx>,
    pub(crate) ir: &'m ir::Function,
    pub(crate) fns: &'m HashMap<String, FunctionValue<'ctx>>,
    pub(crate) locals: Vec<inkwell::values::PointerValue<'ctx>>,
    pub(crate) ret_ptr: PointerValue<'ctx>,
    exc_ptr: PointerValue<'ctx>,
    /// (continue target, break target) of the enclosing loops, innermost last.
    loops: Vec<(BasicBlock<'ctx>, BasicBlock<'ctx>)>,
    /// Every exit (return, raise, a callee's exception) stores its status here and branches
    /// to `exit`, which releases the references of the owned locals (as the ownership pass
    /// chose them: [`ir::Ownership::owned`]) and returns the status.
    pub(crate) status: PointerValue<'ctx>,
    pub(crate) exit: BasicBlock<'ctx>,
    /// Arrays lowering makes for itself, never IR values (the copy of a map operand that
    /// overlaps the destination): each in a slot of its own, released when the same code runs
    /// again or at exit.
    pub(crate) scratch_arrays: Vec<(PointerValue<'ctx>, Type)>,
    /// While lowering the unchecked run of a loop whose conversion checks are deferred (see
    /// `deferred`): the running maximum of the converted magnitudes (see
    /// `float_to_int_unchecked`). Integer arithmetic then wraps without `nsw`, so values from
    /// bad conversions make nothing undefined.
    deferred_conversions: Option<PointerValue<'ctx>>,
    /// While lowering the element expression of element-wise maps (see `maps`): each map's
    /// operand elements, innermost last.
    pub(crate) map_elements: Vec<Vec<Value<'ctx>>>,
    /// While lowering a generator's `next` (see `generators`): its state and suspensions.
    pub(crate) generator: Option<crate::generators::Frame<'ctx>>,
    /// Whole-array maps and reductions may run on the thread pool (`parallel=True`; never
    /// inside the code of one of their chunks): see `parallel_maps`.
    pub(crate) parallel_arrays: bool,
    /// The dispatch blocks of the `try` statements around the code being lowered, innermost
    /// last: an exception raised there goes to the innermost one (see `try_statement`).
    try_handlers: Vec<BasicBlock<'ctx>>,
    /// The `finally` blocks of the `try` statements around the code being lowered, innermost
    /// last: a `return`, `break` or `continue` lowers a copy of each it leaves before it
    /// leaves (see `run_finally_blocks`).
    finally_blocks: Vec<FinallyFrame>,
    /// While lowering an `except` clause: slots holding the exception each enclosing clause
    /// caught, innermost last, for a bare `raise`; a copy of a `finally` block run for an
    /// exception adds that exception.
    caught: Vec<SavedException<'ctx>>,
    /// The copies of `finally` blocks being lowered, innermost last (see `FinallyCopy`).
    finally_copies: Vec<FinallyCopy<'ctx>>,
}

/// A copy of a `finally` block being lowered: the depth of the stack of loops outside its
/// `try` statement, and the slot of the value a `return` leaving through it is returning (with
/// its type), which a `return`, `break` or `continue` leaving the block discards.
struct FinallyCopy<'ctx> {
    loops_depth: usize,
    returning: Option<(PointerValue<'ctx>, Type)>,
}

/// An exception kept aside to be raised again (see `save_exception`): a slot with its info
/// and the slot of the allocation keeping its message.
#[derive(Clone, Copy)]
struct SavedException<'ctx> {
    info: PointerValue<'ctx>,
    kept: PointerValue<'ctx>,
}

/// A `finally` block being lowered around code, with the depths of the stacks of handlers and
/// loops outside its `try` statement.
struct FinallyFrame {
    body: Vec<ir::Stmt>,
    handlers_depth: usize,
    loops_depth: usize,
    /// The depth of the stack of exceptions being handled (`FnLower::caught`).
    caught_depth: usize,
}

impl<'ctx, 'm> FnLower<'ctx, 'm> {
    pub(crate) fn new(
        cx: &'ctx Context,
        module: &'m Module<'ctx>,
        f: FunctionValue<'ctx>,
        ir: &'m ir::Function,
        fns: &'m HashMap<String, FunctionValue<'ctx>>,
        vector_isas: &'m [VectorIsa],
        options: &'m crate::Options,
    ) -> Result<Self> {
        let b = cx.create_builder();
        b.position_at_end(cx.append_basic_block(f, "entry"));
        let ret_ptr = f.get_nth_param(0).unwrap().into_pointer_value();
        let exc_ptr = f.get_nth_param(1).unwrap().into_pointer_value();
        let mut locals = Vec::new();
        for local in &ir.locals {
            let ty = llvm_type(cx, &local.ty);
            let slot = b.build_alloca(ty, &local.name)?;
            b.build_store(slot, ty.const_zero())?;
            locals.push(slot);
        }
        let status = b.build_alloca(cx.i32_type(), "status")?;
        b.build_store(status, cx.i32_type().const_zero())?;
        let exit = cx.append_basic_block(f, "exit");
        Ok(FnLower { cx, module, b, options, vector_isas, f, ir, fns, locals, ret_ptr, exc_ptr, loops: Vec::new(), status, exit, scratch_arrays: Vec::new(), deferred_conversions: None, map_elements: Vec::new(), generator: None, parallel_arrays: ir.parallel, try_handlers: Vec::new(), finally_blocks: Vec::new(), caught: Vec::new(), finally_copies: Vec::new() })
    }

    fn lower(mut self) -> Result<()> {
        let ownership = self.ir.ownership.as_ref().ok_or_else(|| CodegenError(format!("{}: the ownership pass has not run", self.ir.name)))?;
        for i in 0..self.ir.num_params {
            let arg = self.f.get_nth_param(2 + i as u32).unwrap();
            let v = self.cast(arg, &self.ir.arg_types[i], &self.ir.locals[i].ty)?;
            self.store_local(i, v)?;
        }
        self.block(&self.ir.body)?;
        self.br(self.exit)?;
        // The exit block: release what the owned locals and scratch arrays hold, return the
        // status.
        self.b.position_at_end(self.exit);
        let mut held: Vec<(PointerValue<'ctx>, Type)> = ownership.owned.iter().map(|&i| (self.locals[i], self.ir.locals[i].ty.clone())).collect();
        held.extend(self.scratch_arrays.iter().cloned());
        for (slot, ty) in held {
            let v = self.b.build_load(llvm_type(self.cx, &ty), slot, "held")?;
            self.refcount(v, &ty, false)?;
        }
        let status = self.b.build_load(self.cx.i32_type(), self.status, "status")?;
        self.b.build_return(Some(&status))?;
        self.close_open_blocks()
    }

    /// Ends the blocks left open, which are unreachable: the body ends in a return on every
    /// path.
    pub(crate) fn close_open_blocks(&self) -> Result<()> {
        for bb in self.f.get_basic_blocks() {
            if bb.get_terminator().is_none() {
                self.b.position_at_end(bb);
                self.b.build_unreachable()?;
            }
        }
        Ok(())
    }

    // ---- helpers ---------------------------------------------------------------------------

    pub(crate) fn bb(&self, name: &str) -> BasicBlock<'ctx> {
        self.cx.append_basic_block(self.f, name)
    }

    pub(crate) fn is_open(&self) -> bool {
        self.b.get_insert_block().and_then(|bb| bb.get_terminator()).is_none()
    }

    /// After a terminator, keeps emitting into a fresh (unreachable) block.
    fn continue_dead(&self) {
        let bb = self.bb("dead");
        self.b.position_at_end(bb);
    }

    pub(crate) fn br(&self, to: BasicBlock<'ctx>) -> Result<()> {
        if self.is_open() {
            self.b.build_unconditional_branch(to)?;
        }
        Ok(())
    }

    pub(crate) fn i64(&self, v: i64) -> IntValue<'ctx> {
        self.cx.i64_type().const_int(v as u64, true)
    }

    fn string_ptr(&self, s: &str) -> PointerValue<'ctx> {
        let bytes = self.cx.const_string(s.as_bytes(), false);
        let g = self.module.add_global(bytes.get_type(), None, "str");
        g.set_initializer(&bytes);
        g.set_constant(true);
        g.set_linkage(Linkage::Private);
        g.set_unnamed_addr(true);
        g.as_pointer_value()
    }

    /// Fills the exception info and leaves through the exit block with the exception status.
    fn raise(&self, kind: ExcKind, msg: &str) -> Result<()> {
        self.raise_into_info(kind, msg)?;
        self.leave_with_exception()
    }

    /// Fills the exception info with `kind(msg)`.
    pub(crate) fn raise_into_info(&self, kind: ExcKind, msg: &str) -> Result<()> {
        let cx = self.cx;
        let exc_ty = self.exc_info_type();
        let field = |i| self.b.build_struct_gep(exc_ty, self.exc_ptr, i, "exc.field");
        self.b.build_store(field(0)?, cx.i32_type().const_int(kind.code() as u64, false))?;
        self.b.build_store(field(1)?, self.string_ptr(msg))?;
        self.b.build_store(field(2)?, self.i64(msg.len() as i64))?;
        Ok(())
    }

    pub(crate) fn exc(&self) -> PointerValue<'ctx> {
        self.exc_ptr
    }

    /// Leaves with the exception status; the exception info is already filled in.
    pub(crate) fn leave_with_exception(&self) -> Result<()> {
        self.leave_raising(self.cx.i32_type().const_int(ferrojit_runtime::STATUS_EXCEPTION as u64, false))
    }

    /// Whether the code being lowered is inside a `try` statement (an exception raised there
    /// goes to a handler or a `finally` block).
    pub(crate) fn in_try(&self) -> bool {
        !self.try_handlers.is_empty()
    }

    /// Stores the exception status `status` (the exception info filled in) and branches to the
    /// handlers of the innermost `try` around this code, or else to the exit block.
    pub(crate) fn leave_raising(&self, status: IntValue<'ctx>) -> Result<()> {
        self.b.build_store(self.status, status)?;
        self.b.build_unconditional_branch(self.try_handlers.last().copied().unwrap_or(self.exit))?;
        Ok(())
    }

    /// `try`/`except`/`else` (see [`StmtKind::Try`]). The body's exceptions branch to a
    /// dispatch block, which compares the exception's kind with each handler's kinds in turn;
    /// the handler that catches it clears the exception (kind and status) and runs, one that
    /// none catches leaves as if the body had raised it outside the `try`. Owned locals need
    /// nothing here: an exception leaves each of them holding a value or cleared, as at the
    /// exit block, and their next store or the exit releases what they hold.
    ///
    /// `finally` runs on every way out: the normal ends branch to one copy of it, exceptions
    /// of the body (not caught), of the handlers and of `else` to another that keeps the
    /// exception aside while it runs and raises it again after, and each `return`, `break` and
    /// `continue` inside lowers a copy of its own before leaving (see `run_finally_blocks`).
    fn try_statement(&mut self, body: &[ir::Stmt], handlers: &[ir::Handler], orelse: &[ir::Stmt], finalbody: &[ir::Stmt]) -> Result<()> {
        let end = self.bb("try.end");
        let reraise = (!finalbody.is_empty()).then(|| self.bb("finally.raise"));
        let normal = if reraise.is_some() { self.bb("finally.normal") } else { end };
        if reraise.is_some() {
            self.finally_blocks.push(FinallyFrame { body: finalbody.to_vec(), handlers_depth: self.try_handlers.len(), loops_depth: self.loops.len(), caught_depth: self.caught.len() });
        }
        let dispatch = (!handlers.is_empty()).then(|| self.bb("try.except"));
        let body_target = dispatch.or(reraise).ok_or_else(|| CodegenError("a `try` statement without handlers or `finally`".into()))?;
        self.try_handlers.push(body_target);
        self.block(body)?;
        self.try_handlers.pop();
        if let Some(reraise) = reraise {
            self.try_handlers.push(reraise);
        }
        self.block(orelse)?;
        self.br(normal)?;
        if let Some(dispatch) = dispatch {
            self.except_clauses(dispatch, handlers, normal, reraise)?;
        }
        if let Some(reraise) = reraise {
            self.try_handlers.pop();
            self.finally_blocks.pop();
            // The exception is kept aside while `finally` runs (a `try` inside it may catch
            // and clear another one; a bare `raise` raises it), then raised again, unless a
            // `return`, `break` or `continue` leaves the block and discards it: it is cleared
            // meanwhile, as a handler clears the exception it catches.
            self.b.position_at_end(reraise);
            let pending = self.save_exception()?;
            let kind_field = self.b.build_struct_gep(self.exc_info_type(), self.exc_ptr, 0, "exc.kind")?;
            self.b.build_store(kind_field, self.cx.i32_type().const_zero())?;
            self.b.build_store(self.status, self.cx.i32_type().const_zero())?;
            self.caught.push(pending);
            self.finally_copies.push(FinallyCopy { loops_depth: self.loops.len(), returning: None });
            let lowered = self.block(finalbody);
            self.finally_copies.pop();
            self.caught.pop();
            lowered?;
            if self.is_open() {
                self.raise_saved(pending)?;
            }
            self.b.position_at_end(normal);
            self.block(finalbody)?;
            self.br(end)?;
        }
        self.b.position_at_end(end);
        Ok(())
    }

    /// Keeps the exception in the exception info aside: its info in a slot, its message out of
    /// the runtime's buffer, which the next formatted raise reuses (see
    /// `ferrojit_rt_exc_keep_message`), in an allocation held like a scratch array (dropped
    /// when this code runs again or the function exits). In a generator both slots are saved
    /// with its locals when it suspends (see `generators::Frame::kept`): a handler or `finally`
    /// block may yield before it raises the exception again.
    fn save_exception(&mut self) -> Result<SavedException<'ctx>> {
        let ptr = self.cx.ptr_type(AddressSpace::default());
        let keep = self.extern_fn("ferrojit_rt_exc_keep_message", Some(ptr.into()), &[ptr.into()]);
        let kept = self.b.build_call(keep, &[self.exc_ptr.into()], "kept")?.try_as_basic_value().basic().expect("a pointer");
        let exc_ty = self.exc_info_type();
        let kept = if self.generator.is_some() {
            let slot = self.entry_alloca(ptr.into(), "saved.kept")?;
            let old = self.b.build_load(ptr, slot, "old")?;
            self.refcount(old, &Type::Bytes, false)?;
            self.b.build_store(slot, kept)?;
            slot
        } else {
            self.keep_scratch_array(kept, &Type::Bytes)?;
            self.scratch_arrays.last().expect("just kept").0
        };
        let info = self.entry_alloca(exc_ty.into(), "saved.exc")?;
        let value = self.b.build_load(exc_ty, self.exc_ptr, "exc")?;
        self.b.build_store(info, value)?;
        if let Some(frame) = self.generator.as_mut() {
            frame.kept.push((kept, ptr.into(), Some(Type::Bytes)));
            frame.kept.push((info, exc_ty.into(), None));
        }
        Ok(SavedException { info, kept })
    }

    /// Raises the exception `saved` again.
    fn raise_saved(&mut self, saved: SavedException<'ctx>) -> Result<()> {
        let ptr = self.cx.ptr_type(AddressSpace::default());
        let restore = self.extern_fn("ferrojit_rt_exc_restore", None, &[ptr.into(), ptr.into(), ptr.into()]);
        let kept = self.b.build_load(ptr, saved.kept, "kept")?;
        self.b.build_call(restore, &[self.exc_ptr.into(), saved.info.into(), kept.into()], "")?;
        self.leave_with_exception()
    }

    /// The exception the innermost `except` clause being lowered caught, as a new
    /// `Type::Exception` value: its code and its message copied into a string.
    fn caught_exception(&mut self) -> Result<Value<'ctx>> {
        let cx = self.cx;
        let caught = *self.caught.last().ok_or_else(|| CodegenError("an exception read outside an `except` clause".into()))?;
        let kind_field = self.b.build_struct_gep(self.exc_info_type(), caught.info, 0, "caught.kind")?;
        let kind = self.b.build_load(cx.i32_type(), kind_field, "kind")?.into_int_value();
        let code = self.b.build_int_z_extend(kind, cx.i64_type(), "code")?;
        let ptr = cx.ptr_type(AddressSpace::default());
        let message = self.extern_fn("ferrojit_rt_exc_message", Some(ptr.into()), &[ptr.into(), ptr.into()]);
        let text = self.call_value(message, &[caught.info.into(), self.exc_ptr.into()])?;
        // Null when memory ran out, with `MemoryError` in the exception info.
        let failed = self.b.build_is_null(text.into_pointer_value(), "failed")?;
        let status = self.b.build_int_z_extend(failed, cx.i32_type(), "status")?;
        self.propagate(status)?;
        let st = llvm_type(cx, &Type::Exception).into_struct_type();
        let value = self.b.build_insert_value(st.get_undef(), code, 0, "exception")?;
        Ok(self.b.build_insert_value(value, text, 1, "exception")?.into_struct_value().into())
    }

    /// An object mode block called through the runtime (`ferrojit_rt_call_python`): the
    /// arguments written into slots as the dispatcher lays out a call's, the results (of type
    /// `ty`, a tuple) read back from slots.
    fn call_python(&mut self, block: u64, args: &[ir::Expr], ty: &Type) -> Result<Value<'ctx>> {
        let cx = self.cx;
        let slots_of = |n: usize| cx.i64_type().array_type(n.max(1) as u32);
        let arg_slots = self.entry_alloca(slots_of(args.iter().map(|a| a.ty.leaves().len()).sum()).into(), "objmode.args")?;
        let mut slot = 0;
        for a in args {
            let v = self.expr(a)?;
            crate::abi::store_slots(cx, &self.b, arg_slots, &a.ty, v, &mut slot)?;
        }
        let result_slots = self.entry_alloca(slots_of(ty.leaves().len()).into(), "objmode.results")?;
        let ptr = cx.ptr_type(AddressSpace::default());
        let call = self.extern_fn("ferrojit_rt_call_python", Some(cx.i32_type().into()), &[cx.i64_type().into(), ptr.into(), ptr.into(), ptr.into()]);
        let handle = cx.i64_type().const_int(block, false);
        let status = self.call_value(call, &[handle.into(), arg_slots.into(), result_slots.into(), self.exc_ptr.into()])?.into_int_value();
        self.propagate(status)?;
        let mut slot = 0;
        crate::abi::load_slots(cx, &self.b, result_slots, ty, &mut slot)
    }

    /// The layout of the exception info (`ferrojit_runtime::ExcInfo`): kind, message, length.
    fn exc_info_type(&self) -> inkwell::types::StructType<'ctx> {
        let cx = self.cx;
        cx.struct_type(&[cx.i32_type().into(), cx.ptr_type(AddressSpace::default()).into(), cx.i64_type().into()], false)
    }

    /// The dispatch block of a `try` statement's `except` clauses: the first clause whose kinds
    /// hold the exception's runs, with the exception cleared, then goes to `done`; when none
    /// does, the exception goes on to `unhandled` (the `finally` block), or out.
    fn except_clauses(&mut self, dispatch: BasicBlock<'ctx>, handlers: &[ir::Handler], done: BasicBlock<'ctx>, unhandled: Option<BasicBlock<'ctx>>) -> Result<()> {
        let cx = self.cx;
        self.b.position_at_end(dispatch);
        let exc_ty = self.exc_info_type();
        let kind_field = self.b.build_struct_gep(exc_ty, self.exc_ptr, 0, "exc.kind")?;
        let kind = self.b.build_load(cx.i32_type(), kind_field, "kind")?.into_int_value();
        for handler in handlers {
            let (run, next) = (self.bb("except"), self.bb("except.next"));
            match &handler.kinds {
                None => {
                    self.b.build_unconditional_branch(run)?;
                }
                Some(kinds) => {
                    let mut caught = cx.bool_type().const_zero();
                    for k in kinds {
                        let is = self.b.build_int_compare(IntPredicate::EQ, kind, cx.i32_type().const_int(k.code() as u64, false), "is")?;
                        caught = self.b.build_or(caught, is, "caught")?;
                    }
                    // An exception of a class defined in Python code (a code from
                    // `USER_EXCEPTION_BASE`) is checked by the runtime against the classes named.
                    let user = self.bb("except.user");
                    self.b.build_conditional_branch(caught, run, user)?;
                    self.b.position_at_end(user);
                    let base = cx.i32_type().const_int(ferrojit_runtime::USER_EXCEPTION_BASE as u64, false);
                    let mut derived = self.b.build_int_compare(IntPredicate::UGE, kind, base, "user")?;
                    let check = self.bb("except.derives");
                    self.b.build_conditional_branch(derived, check, next)?;
                    self.b.position_at_end(check);
                    let derives = self.extern_fn("ferrojit_rt_exc_derives", Some(cx.i32_type().into()), &[cx.i32_type().into(), cx.i32_type().into()]);
                    derived = cx.bool_type().const_zero();
                    for &class in &handler.classes {
                        let class = cx.i32_type().const_int(class as u64, false);
                        let is = self.b.build_call(derives, &[kind.into(), class.into()], "derives")?.try_as_basic_value().basic().expect("an i32").into_int_value();
                        let is = self.b.build_int_compare(IntPredicate::NE, is, cx.i32_type().const_zero(), "is")?;
                        derived = self.b.build_or(derived, is, "caught")?;
                    }
                    self.b.build_conditional_branch(derived, run, next)?;
                }
            }
            self.b.position_at_end(run);
            // A clause that may raise the exception again, or binds it to a name, keeps it
            // aside first.
            let reraises = handler.body.iter().any(|s| s.any_stmt(&mut |s| matches!(s.kind, StmtKind::Reraise)));
            let caught = if reraises || handler.binds { Some(self.save_exception()?) } else { None };
            self.b.build_store(kind_field, cx.i32_type().const_zero())?;
            self.b.build_store(self.status, cx.i32_type().const_zero())?;
            self.caught.extend(caught);
            let lowered = self.block(&handler.body);
            if caught.is_some() {
                self.caught.pop();
            }
            lowered?;
            self.br(done)?;
            self.b.position_at_end(next);
        }
        match unhandled {
            Some(finally) => self.br(finally),
            None => self.leave_with_exception(),
        }
    }

    /// Lowers copies of the innermost `count` enclosing `finally` blocks, innermost first, each
    /// with the handlers and `finally` blocks outside its `try` statement around it (an
    /// exception it raises goes there). `returned`: the slot holding the value being returned,
    /// released when a `finally` block raises instead.
    fn run_finally_blocks(&mut self, count: usize, returned: Option<(PointerValue<'ctx>, &Type)>) -> Result<()> {
        let outermost = self.finally_blocks.len() - count;
        for k in (outermost..self.finally_blocks.len()).rev() {
            let frame = &self.finally_blocks[k];
            let (body, handlers_depth, loops_depth, caught_depth) = (frame.body.clone(), frame.handlers_depth, frame.loops_depth, frame.caught_depth);
            let handlers = self.try_handlers.split_off(handlers_depth);
            let frames = self.finally_blocks.split_off(k);
            // The block runs in its `try` statement's place: a `break` or `continue` in it is
            // of the loops around that, a bare `raise` of the exception handled there (a
            // `return` from a handler is no longer handling its exception, as in CPython).
            let loops = self.loops.split_off(loops_depth);
            let caught = self.caught.split_off(caught_depth);
            self.finally_copies.push(FinallyCopy { loops_depth, returning: returned.map(|(slot, ty)| (slot, ty.clone())) });
            let unwind = match returned {
                Some((_, ty)) if ty.holds_heap() => {
                    let unwind = self.bb("return.unwind");
                    self.try_handlers.push(unwind);
                    Some(unwind)
                }
                _ => None,
            };
            let lowered = self.block(&body);
            self.finally_copies.pop();
            self.loops.extend(loops);
            self.caught.extend(caught);
            lowered?;
            if let (Some(unwind), Some((slot, ty))) = (unwind, returned) {
                self.try_handlers.pop();
                let cont = self.bb("return.finally");
                self.br(cont)?;
                self.b.position_at_end(unwind);
                let value = self.b.build_load(llvm_type(self.cx, ty), slot, "returned")?;
                self.refcount(value, ty, false)?;
                self.leave_with_exception()?;
                self.b.position_at_end(cont);
            }
            self.try_handlers.extend(handlers);
            self.finally_blocks.extend(frames);
        }
        Ok(())
    }

    /// Releases the values being returned that a `return` (`loops_depth` 0) or a `break` or
    /// `continue` of the loop at depth `loops_depth` discards: those of the copies of `finally`
    /// blocks it leaves.
    fn discard_pending_returns(&mut self, loops_depth: usize) -> Result<()> {
        let left: Vec<(PointerValue<'ctx>, Type)> = self.finally_copies.iter().rev().take_while(|c| c.loops_depth >= loops_depth).filter_map(|c| c.returning.clone()).collect();
        for (slot, ty) in left {
            let llvm = llvm_type(self.cx, &ty);
            let value = self.b.build_load(llvm, slot, "discarded")?;
            self.refcount(value, &ty, false)?;
            self.b.build_store(slot, llvm.const_zero())?;
        }
        Ok(())
    }

    /// How many of the enclosing `finally` blocks a `break` or `continue` of the innermost loop
    /// leaves: those inside that loop.
    fn finally_blocks_in_loop(&self) -> usize {
        let depth = self.loops.len();
        self.finally_blocks.iter().rev().take_while(|f| f.loops_depth >= depth).count()
    }

    /// Stores `status` and branches to the exit block.
    pub(crate) fn leave(&self, status: IntValue<'ctx>) -> Result<()> {
        self.b.build_store(self.status, status)?;
        self.b.build_unconditional_branch(self.exit)?;
        Ok(())
    }

    /// An `alloca` in the entry block (so that it is made once per call, not per loop
    /// iteration, and `mem2reg` can promote it), zero-initialised.
    pub(crate) fn entry_alloca(&self, ty: BasicTypeEnum<'ctx>, name: &str) -> Result<PointerValue<'ctx>> {
        let entry = self.f.get_first_basic_block().expect("functions have an entry block");
        let b = self.cx.create_builder();
        match entry.get_first_instruction() {
            Some(first) => b.position_before(&first),
            None => b.position_at_end(entry),
        }
        let slot = b.build_alloca(ty, name)?;
        b.build_store(slot, ty.const_zero())?;
        Ok(slot)
    }

    /// Stores into local `id`. Ownership is the IR's: a value an owned local keeps is already
    /// owned (`Retain`, a new reference) and the old one is released by a `Release` statement.
    pub(crate) fn store_local(&mut self, id: usize, v: Value<'ctx>) -> Result<()> {
        self.b.build_store(self.locals[id], v)?;
        Ok(())
    }

    /// Keeps an array lowering makes for itself in a slot of its own (see `scratch_arrays`).
    pub(crate) fn keep_scratch_array(&mut self, v: Value<'ctx>, ty: &Type) -> Result<()> {
        let slot = self.entry_alloca(llvm_type(self.cx, ty), "scratch")?;
        let old = self.b.build_load(llvm_type(self.cx, ty), slot, "old")?;
        self.refcount(old, ty, false)?;
        self.b.build_store(slot, v)?;
        self.scratch_arrays.push((slot, ty.clone()));
        Ok(())
    }

    /// Adds (`incref`) or drops a reference to every heap value inside `v` (its
    /// [`Type::heap_parts`]).
    pub(crate) fn refcount(&mut self, v: Value<'ctx>, ty: &Type, incref: bool) -> Result<()> {
        count_references(self.cx, self.module, &self.b, v, ty, incref)
    }

    /// `v` (of type `ty`, owned) with every array in it owned outright: a borrowed array (an
    /// argument's ndarray) gets an allocation of its own that holds the ndarray (see
    /// `ferrojit_rt_own_array`). For a value stored into a list or dict, which may outlive the
    /// call that borrowed it.
    pub(crate) fn own_arrays(&mut self, v: Value<'ctx>, ty: &Type) -> Result<Value<'ctx>> {
        if let Some(items) = ty.tuple_items().filter(|items| items.iter().any(|t| t.heap_parts().iter().any(|p| p.kind == HeapKind::Array))) {
            let mut tuple = v.into_struct_value();
            for (i, item) in items.iter().enumerate() {
                let x = self.b.build_extract_value(tuple, i as u32, "item")?;
                let x = self.own_arrays(x, item)?;
                tuple = self.b.build_insert_value(tuple, x, i as u32, "tuple")?.into_struct_value();
            }
            return Ok(tuple.into());
        }
        match ty {
            Type::Array(_) => {
                let ptr = self.cx.ptr_type(AddressSpace::default());
                let meminfo = self.b.build_extract_value(v.into_struct_value(), 0, "meminfo")?;
                let f = self.extern_fn("ferrojit_rt_own_array", Some(ptr.into()), &[ptr.into()]);
                let owned = self.b.build_call(f, &[meminfo.into()], "owned")?.try_as_basic_value().basic().expect("a pointer");
                Ok(self.b.build_insert_value(v.into_struct_value(), owned, 0, "array")?.into_struct_value().into())
            }
            _ => Ok(v),
        }
    }

    /// Branches to `rare` when `cond` holds, else to `usual`, marking `rare` as almost never
    /// taken. The weights keep LLVM from merging a cold check into the hot path's condition
    /// (SimplifyCFG folds cheap conditions of unweighted branches together) and lay out the
    /// rare block away from the loop body.
    /// NumPy's error model (no exceptions from arithmetic) for this function
    /// (`error_model='numpy'`) or inside an element-wise map, as NumPy's array operations.
    pub(crate) fn numpy_errors(&self) -> bool {
        self.options.numpy_errors || !self.map_elements.is_empty()
    }

    pub(crate) fn branch_rarely(&self, cond: IntValue<'ctx>, rare: BasicBlock<'ctx>, usual: BasicBlock<'ctx>) -> Result<()> {
        let branch = self.b.build_conditional_branch(cond, rare, usual)?;
        let i32t = self.cx.i32_type();
        let weights = self.cx.metadata_node(&[
            self.cx.metadata_string("branch_weights").into(),
            i32t.const_int(1, false).into(),
            i32t.const_int(1 << 20, false).into(),
        ]);
        branch
            .set_metadata(weights, self.cx.get_kind_id("prof"))
            .map_err(|e| CodegenError(format!("branch weights: {e}")))?;
        Ok(())
    }

    /// Raises `kind(msg)` when `cond` holds, then continues on the other path.
    pub(crate) fn raise_if(&self, cond: IntValue<'ctx>, kind: ExcKind, msg: &str) -> Result<()> {
        let raise_bb = self.bb("raise");
        let cont = self.bb("cont");
        self.branch_rarely(cond, raise_bb, cont)?;
        self.b.position_at_end(raise_bb);
        self.raise(kind, msg)?;
        self.b.position_at_end(cont);
        Ok(())
    }

    /// Leaves with the status `s` when it is non-zero (a callee raised).
    fn propagate(&self, status: IntValue<'ctx>) -> Result<()> {
        let failed = self.b.build_int_compare(IntPredicate::NE, status, self.cx.i32_type().const_zero(), "failed")?;
        let err = self.bb("propagate");
        let cont = self.bb("cont");
        self.b.build_conditional_branch(failed, err, cont)?;
        self.b.position_at_end(err);
        self.leave_raising(status)?;
        self.b.position_at_end(cont);
        Ok(())
    }

    pub(crate) fn intrinsic(&self, name: &str, types: &[BasicTypeEnum<'ctx>], args: &[Value<'ctx>]) -> Result<Value<'ctx>> {
        let intrinsic = Intrinsic::find(name).ok_or_else(|| CodegenError(format!("unknown intrinsic {name}")))?;
        let decl = intrinsic.get_declaration(self.module, types).ok_or_else(|| CodegenError(format!("cannot declare {name}")))?;
        self.call_value(decl, args)
    }

    fn call_value(&self, f: FunctionValue<'ctx>, args: &[Value<'ctx>]) -> Result<Value<'ctx>> {
        let args: Vec<BasicMetadataValueEnum> = args.iter().map(|a| (*a).into()).collect();
        let call = self.b.build_call(f, &args, "call")?;
        Ok(call.try_as_basic_value().basic().unwrap_or_else(|| self.cx.struct_type(&[], false).const_zero().into()))
    }

    /// Declares (once) an external function by symbol.
    pub(crate) fn extern_fn(&self, name: &str, ret: Option<BasicTypeEnum<'ctx>>, params: &[BasicMetadataTypeEnum<'ctx>]) -> FunctionValue<'ctx> {
        if let Some(f) = self.module.get_function(name) {
            return f;
        }
        let ty = match ret {
            Some(r) => r.fn_type(params, false),
            None => self.cx.void_type().fn_type(params, false),
        };
        self.module.add_function(name, ty, Some(Linkage::External))
    }

    // ---- statements ------------------------------------------------------------------------

    pub(crate) fn block(&mut self, stmts: &[ir::Stmt]) -> Result<()> {
        for s in stmts {
            self.stmt(s)?;
        }
        Ok(())
    }

    fn stmt(&mut self, s: &ir::Stmt) -> Result<()> {
        match &s.kind {
            StmtKind::Assign { local, value } => {
                let v = self.expr(value)?;
                self.store_local(*local, v)?;
            }
            StmtKind::ListUpdate { op, args } => self.list_update(*op, args)?,
            StmtKind::DictUpdate { op, args } => self.dict_update(*op, args)?,
            StmtKind::SetField { object, field, value } => self.set_field(object, *field, value)?,
            StmtKind::If { cond, then_body, else_body } => {
                let c = self.expr(cond)?.into_int_value();
                let (then_bb, else_bb, end) = (self.bb("then"), self.bb("else"), self.bb("endif"));
                self.b.build_conditional_branch(c, then_bb, else_bb)?;
                self.b.position_at_end(then_bb);
                self.block(then_body)?;
                self.br(end)?;
                self.b.position_at_end(else_bb);
                self.block(else_body)?;
                self.br(end)?;
                self.b.position_at_end(end);
            }
            StmtKind::While { cond, body, orelse } => {
                let (head, body_bb, else_bb, end) = (self.bb("while.head"), self.bb("while.body"), self.bb("while.else"), self.bb("while.end"));
                self.br(head)?;
                self.b.position_at_end(head);
                // The condition runs on every iteration too: inside the loop for `stored_slots`.
                self.loops.push((head, end));
                let c = self.expr(cond)?.into_int_value();
                self.b.build_conditional_branch(c, body_bb, else_bb)?;
                self.b.position_at_end(body_bb);
                self.block(body)?;
                self.loops.pop();
                if self.is_open() {
                    let back = self.b.build_unconditional_branch(head)?;
                    self.loop_hints(back, body);
                }
                self.b.position_at_end(else_bb);
                self.block(orelse)?;
                self.br(end)?;
                self.b.position_at_end(end);
            }
            StmtKind::ForRange { index, start, stop, step, body, orelse } => self.for_range(*index, start, stop, step, body, orelse)?,
            StmtKind::Break | StmtKind::Continue => {
                let (cont, brk) = *self.loops.last().ok_or_else(|| CodegenError("break outside a loop".into()))?;
                self.discard_pending_returns(self.loops.len())?;
                self.run_finally_blocks(self.finally_blocks_in_loop(), None)?;
                self.br(if matches!(s.kind, StmtKind::Break) { brk } else { cont })?;
                self.continue_dead();
            }
            // A generator's `return` ends it (see `generators`).
            StmtKind::Return(_) if self.generator.is_some() => {
                self.discard_pending_returns(0)?;
                self.run_finally_blocks(self.finally_blocks.len(), None)?;
                if self.is_open() {
                    self.leave(self.cx.i32_type().const_int(ferrojit_runtime::STATUS_FINISHED as u64, false))?;
                }
                self.continue_dead();
            }
            StmtKind::Yield(value) => self.yield_value(value)?,
            StmtKind::Return(value) => {
                // The value is owned (see the ownership pass): its references go to the caller,
                // once the `finally` blocks it leaves have run.
                let mut v = self.expr(value)?;
                self.discard_pending_returns(0)?;
                if !self.finally_blocks.is_empty() {
                    let slot = self.entry_alloca(llvm_type(self.cx, &value.ty), "returned")?;
                    self.b.build_store(slot, v)?;
                    self.run_finally_blocks(self.finally_blocks.len(), Some((slot, &value.ty)))?;
                    v = self.b.build_load(llvm_type(self.cx, &value.ty), slot, "returned")?;
                }
                // A `finally` block that always raises leaves nothing to return.
                if self.is_open() {
                    self.b.build_store(self.ret_ptr, v)?;
                    self.leave(self.cx.i32_type().const_zero())?;
                }
                self.continue_dead();
            }
            StmtKind::Raise { exc, msg } => {
                self.raise(*exc, msg.as_deref().unwrap_or(""))?;
                self.continue_dead();
            }
            StmtKind::Reraise => {
                match self.caught.last().copied() {
                    Some(caught) => self.raise_saved(caught)?,
                    // A `finally` block's, with no exception being handled.
                    None => self.raise(ExcKind::RuntimeError, "No active exception to reraise")?,
                }
                self.continue_dead();
            }
            StmtKind::Expr(e) => {
                self.expr(e)?;
            }
            // The ownership pass has replaced every `del` (see `StmtKind::Unbind`).
            StmtKind::Unbind(_) => {}
            StmtKind::Release(local) => {
                let ty = &self.ir.locals[*local].ty;
                let llvm = llvm_type(self.cx, ty);
                let v = self.b.build_load(llvm, self.locals[*local], "released")?;
                self.refcount(v, &ty.clone(), false)?;
                self.b.build_store(self.locals[*local], llvm.const_zero())?;
            }
            StmtKind::ArrayStore { array, indices, value } => self.array_store(array, indices, value)?,
            StmtKind::ArrayFill { array, value } => self.array_fill(array, value)?,
            StmtKind::ArrayCopy { dst, src } => self.array_copy(dst, src)?,
            StmtKind::ArrayMap { dst, operands, element, fresh } => self.array_map(dst, operands, element, *fresh)?,
            StmtKind::Try { body, handlers, orelse, finalbody } => self.try_statement(body, handlers, orelse, finalbody)?,
        }
        Ok(())
    }

    /// `for index in range(start, stop, step)`: the bounds are evaluated once, then the loop
    /// runs, or, when its only possible exceptions are float -> int conversions, runs first
    /// with the checks deferred (see `deferred`).
    fn for_range(&mut self, index: usize, start: &ir::Expr, stop: &ir::Expr, step: &ir::Expr, body: &[ir::Stmt], orelse: &[ir::Stmt]) -> Result<()> {
        let unit_step = matches!(step.kind, ExprKind::Const(Const::Int(1)));
        let bounds = RangeBounds {
            start: self.expr(start)?.into_int_value(),
            stop: self.expr(stop)?.into_int_value(),
            step: if unit_step { None } else { Some(self.expr(step)?.into_int_value()) },
            step_is_constant: matches!(step.kind, ExprKind::Const(_)),
        };
        if let Some(step) = bounds.step {
            let is_zero = self.b.build_int_compare(IntPredicate::EQ, step, self.i64(0), "step0")?;
            self.raise_if(is_zero, ExcKind::ValueError, "range() arg 3 must not be zero")?;
        }
        let deferrable = if self.deferred_conversions.is_none() && orelse.is_empty() {
            crate::deferred::deferrable_loop(&self.ir.locals, body, self.options.boundscheck)
        } else {
            None
        };
        match deferrable {
            Some(assigned) => self.range_loop_deferring_checks(index, &bounds, body, assigned),
            None => self.range_loop(index, &bounds, body, orelse),
        }
    }

    /// Runs the loop with its float -> int conversions unchecked, recording whether any was
    /// bad; if one was, restores the locals the loop assigns and runs it again with the
    /// checks, which raises where Python would.
    fn range_loop_deferring_checks(&mut self, index: usize, bounds: &RangeBounds<'ctx>, body: &[ir::Stmt], mut assigned: Vec<usize>) -> Result<()> {
        assigned.push(index);
        assigned.sort_unstable();
        assigned.dedup();
        let mut saved = Vec::with_capacity(assigned.len());
        for local in assigned {
            let ty = llvm_type(self.cx, &self.ir.locals[local].ty);
            let slot = self.entry_alloca(ty, "saved")?;
            let value = self.b.build_load(ty, self.locals[local], "before")?;
            self.b.build_store(slot, value)?;
            saved.push((local, slot, ty));
        }
        let i64t = self.cx.i64_type();
        let largest = self.entry_alloca(i64t.into(), "largest.converted")?;
        self.b.build_store(largest, i64t.const_zero())?;
        self.deferred_conversions = Some(largest);
        let unchecked = self.range_loop(index, bounds, body, &[]);
        self.deferred_conversions = None;
        unchecked?;
        let largest = self.b.build_load(i64t, largest, "largest")?.into_int_value();
        let two63_bits = i64t.const_int(((1u64 << 63) as f64).to_bits(), false);
        let bad = self.b.build_int_compare(IntPredicate::UGE, largest, two63_bits, "bad")?;
        let (recheck, done) = (self.bb("conversion.recheck"), self.bb("conversion.done"));
        self.branch_rarely(bad, recheck, done)?;
        self.b.position_at_end(recheck);
        for (local, slot, ty) in saved {
            let value = self.b.build_load(ty, slot, "before")?;
            self.b.build_store(self.locals[local], value)?;
        }
        self.range_loop(index, bounds, body, &[])?;
        self.br(done)?;
        self.b.position_at_end(done);
        Ok(())
    }

    /// A counted loop over evaluated bounds: with step 1, the canonical form (see
    /// [`Self::unit_range_loop`]); otherwise with the trip count computed up front (in unsigned
    /// arithmetic, so no bound overflows), which LLVM optimises best.
    fn range_loop(&mut self, index: usize, bounds: &RangeBounds<'ctx>, body: &[ir::Stmt], orelse: &[ir::Stmt]) -> Result<()> {
        let Some(step) = bounds.step else {
            return self.unit_range_loop(index, bounds.start, bounds.stop, body, orelse);
        };
        let (start, stop) = (bounds.start, bounds.stop);
        let b = &self.b;
        let zero = self.i64(0);
        let one = self.i64(1);
        let up = b.build_int_compare(IntPredicate::SGT, step, zero, "up")?;
        // Ascending: start < stop ? (stop - start - 1) / step + 1 : 0; descending mirrored.
        let n_up = {
            let d = b.build_int_sub(b.build_int_sub(stop, start, "d")?, one, "d1")?;
            let q = b.build_int_unsigned_div(d, step, "q")?;
            let n = b.build_int_add(q, one, "n")?;
            let some = b.build_int_compare(IntPredicate::SLT, start, stop, "nonempty")?;
            b.build_select(some, n, zero, "n.up")?.into_int_value()
        };
        let n_down = {
            let d = b.build_int_sub(b.build_int_sub(start, stop, "d")?, one, "d1")?;
            let neg_step = b.build_int_sub(zero, step, "negstep")?;
            let q = b.build_int_unsigned_div(d, neg_step, "q")?;
            let n = b.build_int_add(q, one, "n")?;
            let some = b.build_int_compare(IntPredicate::SGT, start, stop, "nonempty")?;
            b.build_select(some, n, zero, "n.down")?.into_int_value()
        };
        let count = b.build_select(up, n_up, n_down, "count")?.into_int_value();
        let k_slot = self.entry_alloca(self.cx.i64_type().into(), "k")?;
        // The loop value has its own induction variable (stepped in the latch) rather than
        // `start + k * step`, so that addresses computed from it step too.
        let value_slot = self.entry_alloca(self.cx.i64_type().into(), "value")?;
        let b = &self.b;
        b.build_store(k_slot, zero)?;
        b.build_store(value_slot, start)?;
        let (head, body_bb, latch, else_bb, end) = (self.bb("for.head"), self.bb("for.body"), self.bb("for.latch"), self.bb("for.else"), self.bb("for.end"));
        b.build_unconditional_branch(head)?;
        b.position_at_end(head);
        let k = b.build_load(self.cx.i64_type(), k_slot, "k")?.into_int_value();
        let more = b.build_int_compare(IntPredicate::ULT, k, count, "more")?;
        b.build_conditional_branch(more, body_bb, else_bb)?;
        b.position_at_end(body_bb);
        let value = b.build_load(self.cx.i64_type(), value_slot, "i")?;
        b.build_store(self.locals[index], value)?;
        self.loops.push((latch, end));
        self.block(body)?;
        self.loops.pop();
        self.br(latch)?;
        let b = &self.b;
        b.position_at_end(latch);
        let k = b.build_load(self.cx.i64_type(), k_slot, "k")?.into_int_value();
        let next = b.build_int_add(k, one, "k.next")?;
        b.build_store(k_slot, next)?;
        let value = b.build_load(self.cx.i64_type(), value_slot, "i")?.into_int_value();
        b.build_store(value_slot, b.build_int_add(value, step, "i.next")?)?;
        let back = b.build_unconditional_branch(head)?;
        // A step known only at run time makes every array access in the body strided by it:
        // vectorised, those become gathers and scatters, slower to compile and rarely faster.
        let strided_arrays = !bounds.step_is_constant && body.iter().any(|s| s.any_expr(&mut |e| matches!(e.kind, ExprKind::ArrayGet { .. }), false) || matches!(s.kind, StmtKind::ArrayStore { .. }));
        if strided_arrays && !self.float_reduction(body) {
            // Narrow vectors keep the gathers and scatters cheap to compile; a width hint would
            // let LLVM reorder a float sum, hence only without one.
            self.loop_metadata(back, &[("llvm.loop.vectorize.width", Some(16))]);
        } else {
            self.loop_hints(back, body);
        }
        let b = &self.b;
        b.position_at_end(else_bb);
        self.block(orelse)?;
        self.br(end)?;
        self.b.position_at_end(end);
        Ok(())
    }

    /// `for index in range(start, stop)` (step 1, the common case) in the canonical form
    /// `for (i = start; i < stop; i++)`: LLVM then knows `i < stop` inside the body, which
    /// proves indices such as `m - 1 - i` non-negative. `i + 1` cannot overflow since
    /// `i < stop`.
    fn unit_range_loop(&mut self, index: usize, start: IntValue<'ctx>, stop: IntValue<'ctx>, body: &[ir::Stmt], orelse: &[ir::Stmt]) -> Result<()> {
        let value_slot = self.entry_alloca(self.cx.i64_type().into(), "value")?;
        self.b.build_store(value_slot, start)?;
        let (head, body_bb, latch, else_bb, end) = (self.bb("for.head"), self.bb("for.body"), self.bb("for.latch"), self.bb("for.else"), self.bb("for.end"));
        self.b.build_unconditional_branch(head)?;
        self.b.position_at_end(head);
        let value = self.b.build_load(self.cx.i64_type(), value_slot, "i")?.into_int_value();
        let more = self.b.build_int_compare(IntPredicate::SLT, value, stop, "more")?;
        self.b.build_conditional_branch(more, body_bb, else_bb)?;
        self.b.position_at_end(body_bb);
        self.b.build_store(self.locals[index], value)?;
        self.loops.push((latch, end));
        self.block(body)?;
        self.loops.pop();
        self.br(latch)?;
        self.b.position_at_end(latch);
        let value = self.b.build_load(self.cx.i64_type(), value_slot, "i")?.into_int_value();
        let next = self.b.build_int_nsw_add(value, self.i64(1), "i.next")?;
        self.b.build_store(value_slot, next)?;
        let back = self.b.build_unconditional_branch(head)?;
        self.loop_hints(back, body);
        self.b.position_at_end(else_bb);
        self.block(orelse)?;
        self.br(end)?;
        self.b.position_at_end(end);
        Ok(())
    }

    /// Loop metadata on the branch back to a loop's head. ferrojit lets LLVM vectorise
    /// floating-point sums in their original order (`-force-ordered-reductions`), which pays
    /// when the loop calls vector math (`tanh`, `exp`, ...); for a loop summing floats without
    /// such calls the in-order vector sum is no faster and its loads may become gathers, so it
    /// stays scalar, as LLVM would leave it without the option.
    ///
    /// A loop that the code leaves early by its own statements (`break`, `return`, `raise`) is
    /// not unrolled at run time: how long it runs depends on the data, often a few iterations
    /// (a field of a parser, a search), where the unrolled copies and their remainder loop
    /// cost more than they save. Loops whose only other exits are the checks of operations
    /// that may raise stay unrollable (see `set_llvm_options`).
    fn loop_hints(&self, back: inkwell::values::InstructionValue<'ctx>, body: &[ir::Stmt]) {
        if self.combines_parallel_partials(body) {
            self.loop_metadata(back, &[("llvm.loop.vectorize.enable", Some(0)), ("llvm.loop.unroll.disable", None)]);
            return;
        }
        let mut hints = Vec::new();
        if self.ordered_reduction_without_vector_math(body) {
            hints.push(("llvm.loop.vectorize.enable", Some(0)));
        }
        if leaves_loop_early(body) {
            hints.push(("llvm.loop.unroll.runtime.disable", None));
        }
        self.loop_metadata(back, &hints);
    }

    /// Puts the loop hints on the loop whose back edge is `back`: each a key with a value (an
    /// i32, or i1 for `.enable` keys) or a key alone (`llvm.loop.unroll.disable`).
    ///
    /// A loop LLVM may vectorise also gets the attributes of its scalar copy
    /// ([`SCALAR_COPY_OF_VECTOR_LOOP`]).
    pub(crate) fn loop_metadata(&self, back: inkwell::values::InstructionValue<'ctx>, hints: &[(&str, Option<u64>)]) {
        use inkwell::values::AsValueRef;
        use llvm_sys::core::*;
        use llvm_sys::debuginfo::{LLVMMetadataReplaceAllUsesWith, LLVMTemporaryMDNode};
        // SAFETY: metadata built in this function's context and attached to its instruction;
        // the loop ID refers to itself, as LLVM requires, through a temporary node.
        unsafe {
            let ctx = self.cx.raw();
            let hint_node = |key: &str, value: Option<u64>| {
                let mut hint_ops = vec![LLVMMDStringInContext2(ctx, key.as_ptr() as *const _, key.len())];
                if let Some(value) = value {
                    let ty = if key.ends_with(".enable") { LLVMInt1TypeInContext(ctx) } else { LLVMInt32TypeInContext(ctx) };
                    hint_ops.push(LLVMValueAsMetadata(LLVMConstInt(ty, value, 0)));
                }
                LLVMMDNodeInContext2(ctx, hint_ops.as_mut_ptr(), hint_ops.len())
            };
            let temp = LLVMTemporaryMDNode(ctx, std::ptr::null_mut(), 0);
            let mut id_ops = vec![temp];
            id_ops.extend(hints.iter().map(|(key, value)| hint_node(key, *value)));
            if !hints.contains(&("llvm.loop.vectorize.enable", Some(0))) {
                let key = "llvm.loop.vectorize.followup_epilogue";
                let mut followup = vec![LLVMMDStringInContext2(ctx, key.as_ptr() as *const _, key.len())];
                followup.extend(SCALAR_COPY_OF_VECTOR_LOOP.iter().map(|(key, value)| hint_node(key, *value)));
                id_ops.push(LLVMMDNodeInContext2(ctx, followup.as_mut_ptr(), followup.len()));
            }
            let id = LLVMMDNodeInContext2(ctx, id_ops.as_mut_ptr(), id_ops.len());
            LLVMMetadataReplaceAllUsesWith(temp, id);
            let kind = LLVMGetMDKindIDInContext(ctx, c"llvm.loop".as_ptr(), "llvm.loop".len() as u32);
            LLVMSetMetadata(back.as_value_ref(), kind, LLVMMetadataAsValue(ctx, id));
        }
    }

    /// Whether a loop body (not counting nested loops) accumulates into a float or complex
    /// variable (`s = s + ...`).
    fn float_reduction(&self, body: &[ir::Stmt]) -> bool {
        fn reduces(locals: &[ir::Local], stmts: &[ir::Stmt]) -> bool {
            stmts.iter().any(|s| match &s.kind {
                StmtKind::Assign { local, value } => {
                    matches!(locals[*local].ty, Type::Float(_) | Type::Complex(_)) && value.any(&mut |e| matches!(e.kind, ExprKind::Local(id) if id == *local))
                }
                StmtKind::If { then_body, else_body, .. } => reduces(locals, then_body) || reduces(locals, else_body),
                StmtKind::Try { .. } => s.kind.blocks().into_iter().any(|b| reduces(locals, b)),
                _ => false,
            })
        }
        reduces(&self.ir.locals, body)
    }

    /// Whether a loop body is the walk of a `prange` loop's partial results (see
    /// [`ir::PARALLEL_PARTIAL_PREFIX`]).
    fn combines_parallel_partials(&self, body: &[ir::Stmt]) -> bool {
        body.iter().any(|s| matches!(&s.kind, StmtKind::Assign { local, .. } if self.ir.locals[*local].name.starts_with(ir::PARALLEL_PARTIAL_PREFIX)))
    }

    /// Whether a loop body sums floats and calls no function with a vector variant.
    fn ordered_reduction_without_vector_math(&self, body: &[ir::Stmt]) -> bool {
        let vector_math = body.iter().any(|s| {
            s.any_expr(&mut |e| matches!(&e.kind, ExprKind::Math { func, .. } if matches!(func.lowering, MathLowering::Libm { vector: true, .. })), false)
        });
        !vector_math && self.float_reduction(body)
    }

    // ---- expressions -----------------------------------------------------------------------

    pub(crate) fn expr(&mut self, e: &ir::Expr) -> Result<Value<'ctx>> {
        let cx = self.cx;
        Ok(match &e.kind {
            ExprKind::Const(c) => self.constant(c, &e.ty),
            ExprKind::Local(id) => self.b.build_load(llvm_type(cx, &e.ty), self.locals[*id], "v")?,
            ExprKind::Cast(x) => {
                let v = self.expr(x)?;
                self.cast(v, &x.ty, &e.ty)?
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let l = self.expr(lhs)?;
                let r = self.expr(rhs)?;
                self.binary(*op, l, r, &e.ty, &rhs.ty)?
            }
            ExprKind::Unary { op, operand } => {
                let v = self.expr(operand)?;
                self.unary(*op, v, &operand.ty)?
            }
            ExprKind::Compare { op, lhs, rhs } => {
                let l = self.expr(lhs)?;
                let r = self.expr(rhs)?;
                self.compare(*op, l, r, &lhs.ty)?.into()
            }
            ExprKind::Truth(x) => {
                let v = self.expr(x)?;
                self.truth(v, &x.ty)?.into()
            }
            ExprKind::Logical { and, lhs, rhs } => {
                let l = self.expr(lhs)?;
                let t = self.truth(l, &lhs.ty)?;
                let from_lhs = self.b.get_insert_block().unwrap();
                let (rhs_bb, end) = (self.bb("logic.rhs"), self.bb("logic.end"));
                if *and {
                    self.b.build_conditional_branch(t, rhs_bb, end)?;
                } else {
                    self.b.build_conditional_branch(t, end, rhs_bb)?;
                }
                self.b.position_at_end(rhs_bb);
                let r = self.expr(rhs)?;
                let from_rhs = self.b.get_insert_block().unwrap();
                self.b.build_unconditional_branch(end)?;
                self.b.position_at_end(end);
                let phi = self.b.build_phi(llvm_type(cx, &e.ty), "logic")?;
                phi.add_incoming(&[(&l, from_lhs), (&r, from_rhs)]);
                phi.as_basic_value()
            }
            ExprKind::IfExp { cond, then, otherwise } => {
                let c = self.expr(cond)?.into_int_value();
                let (then_bb, else_bb, end) = (self.bb("ifexp.then"), self.bb("ifexp.else"), self.bb("ifexp.end"));
                self.b.build_conditional_branch(c, then_bb, else_bb)?;
                self.b.position_at_end(then_bb);
                let a = self.expr(then)?;
                let from_a = self.b.get_insert_block().unwrap();
                self.b.build_unconditional_branch(end)?;
                self.b.position_at_end(else_bb);
                let o = self.expr(otherwise)?;
                let from_o = self.b.get_insert_block().unwrap();
                self.b.build_unconditional_branch(end)?;
                self.b.position_at_end(end);
                let phi = self.b.build_phi(llvm_type(cx, &e.ty), "ifexp")?;
                phi.add_incoming(&[(&a, from_a), (&o, from_o)]);
                phi.as_basic_value()
            }
            ExprKind::Tuple(items) => {
                let st = llvm_type(cx, &e.ty).into_struct_type();
                let mut agg = st.get_undef();
                for (i, item) in items.iter().enumerate() {
                    let v = self.expr(item)?;
                    agg = self.b.build_insert_value(agg, v, i as u32, "tuple")?.into_struct_value();
                }
                agg.into()
            }
            ExprKind::TupleGet(t, i) => {
                let v = self.expr(t)?.into_struct_value();
                self.b.build_extract_value(v, *i as u32, "item")?
            }
            ExprKind::Call { symbol, args } => {
                let callee = *self.fns.get(symbol).ok_or_else(|| CodegenError(format!("call of unknown function {symbol}")))?;
                let ret = self.entry_alloca(llvm_type(cx, &e.ty), "callret")?;
                let mut values: Vec<Value> = vec![ret.into(), self.exc_ptr.into()];
                for a in args {
                    values.push(self.expr(a)?);
                }
                let status = self.call_value(callee, &values)?.into_int_value();
                self.propagate(status)?;
                self.b.build_load(llvm_type(cx, &e.ty), ret, "result")?
            }
            ExprKind::Math { func, args, checked } => {
                let mut values = Vec::new();
                for a in args {
                    values.push(self.expr(a)?);
                }
                let result = self.math(*func, &values, &args[0].ty)?;
                if *checked && func.python_errors != PythonErrors::Never && !self.numpy_errors() {
                    self.check_math_result(func.python_errors, &values, result.into_float_value())?;
                }
                result
            }
            ExprKind::Runtime { func, args } => {
                let mut values = Vec::new();
                let mut params: Vec<BasicMetadataTypeEnum> = Vec::new();
                for a in args {
                    values.push(self.expr(a)?);
                    params.push(basic_type_of(cx, &a.ty));
                }
                if func.may_raise {
                    values.push(self.exc_ptr.into());
                    params.push(cx.ptr_type(AddressSpace::default()).into());
                }
                let f = self.extern_fn(func.symbol, Some(llvm_type(cx, &e.ty)), &params);
                let result = self.call_value(f, &values)?;
                if func.may_raise {
                    let kind = self.b.build_load(cx.i32_type(), self.exc_ptr, "exc.kind")?.into_int_value();
                    let raised = self.b.build_int_compare(IntPredicate::NE, kind, cx.i32_type().const_zero(), "raised")?;
                    let status = self.b.build_int_z_extend(raised, cx.i32_type(), "status")?;
                    self.propagate(status)?;
                }
                result
            }
            ExprKind::CaughtException => self.caught_exception()?,
            ExprKind::CallPython { block, args } => self.call_python(*block, args, &e.ty)?,
            ExprKind::MakeComplex { re, im } => {
                let r = self.expr(re)?;
                let i = self.expr(im)?;
                self.complex(r.into_float_value(), i.into_float_value())?.into()
            }
            ExprKind::ComplexPart { value, imag } if matches!(value.ty, Type::Array(_)) => self.complex_part_view(value, *imag)?,
            ExprKind::List { op, args } => self.list_op(*op, args, &e.ty)?,
            ExprKind::NewInstance => self.new_instance(&e.ty)?,
            ExprKind::GetField { object, field } => self.get_field(object, *field)?,
            ExprKind::Dict { op, args } => self.dict_op(*op, args, &e.ty)?,
            ExprKind::ComplexPart { value, imag } => {
                let v = self.expr(value)?.into_struct_value();
                self.b.build_extract_value(v, *imag as u32, "part")?
            }
            ExprKind::ArrayGet { array, indices } => self.array_get(array, indices)?,
            ExprKind::ArrayView { array, items } => self.array_view(array, items, &e.ty)?,
            ExprKind::Transpose { array, axes } => self.transpose(array, axes)?,
            ExprKind::FieldView { array, offset } => self.offset_view(array, *offset)?,
            ExprKind::ArrayAttr { array, attr } => self.array_attr(array, *attr)?,
            ExprKind::Let { local, value, body } => {
                let v = self.expr(value)?;
                self.store_local(*local, v)?;
                self.expr(body)?
            }
            ExprKind::Block { stmts, value } => {
                self.block(stmts)?;
                self.expr(value)?
            }
            ExprKind::Retain(x) => {
                let v = self.expr(x)?;
                self.refcount(v, &x.ty, true)?;
                v
            }
            ExprKind::Resume(g) => self.resume(g, &e.ty)?,
            ExprKind::ParallelFor { symbol, args, trip } => self.parallel_for(symbol, args, trip, &e.ty)?,
            ExprKind::ArrayNew { shape, zeroed } => self.array_new(shape, &e.ty, *zeroed)?,
            ExprKind::Reshape { array, shape } => self.reshape(array, shape, &e.ty)?,
            ExprKind::MapReduce { op, operands, element } => self.map_reduce(*op, operands, element, &e.ty)?,
            ExprKind::AxisReduce { op, array, axis, keepdims } => self.axis_reduce(*op, array, axis, *keepdims, &e.ty)?,
            ExprKind::MapElement(i) => self.map_element(*i)?,
            ExprKind::BroadcastShape(operands) => self.broadcast_shape(operands, &e.ty)?,
            ExprKind::Print(items) => {
                for item in items {
                    match item {
                        PrintItem::Str(s) => self.print_str(s)?,
                        PrintItem::Value(v) => {
                            let value = self.expr(v)?;
                            self.print_value(value, &v.ty)?;
                        }
                    }
                }
                let flush = self.extern_fn("ferrojit_rt_print_flush", None, &[]);
                self.b.build_call(flush, &[], "")?;
                cx.struct_type(&[], false).const_zero().into()
            }
        })
    }

    /// 1 of the number type `ty` (the identity of a product).
    pub(crate) fn one_of(&self, ty: &Type) -> Value<'ctx> {
        match ty {
            Type::Float(_) => self.constant(&Const::Float(1.0), ty),
            Type::Complex(_) => self.constant(&Const::Complex(1.0, 0.0), ty),
            _ => self.constant(&Const::Int(1), ty),
        }
    }

    fn constant(&self, c: &Const, ty: &Type) -> Value<'ctx> {
        let cx = self.cx;
        match (c, ty) {
            (Const::Int(_) | Const::Bool(_), _) if ty.is_integer_like() || matches!(ty, Type::Datetime(_) | Type::Timedelta(_)) => {
                let v = match c {
                    Const::Bool(b) => *b as i128,
                    Const::Int(v) => *v,
                    _ => unreachable!(),
                };
                llvm_type(cx, ty).into_int_type().const_int(v as u64, false).into()
            }
            (Const::Float(v), Type::Float(_)) => llvm_type(cx, ty).into_float_type().const_float(*v).into(),
            (Const::Array { data, shape }, Type::Array(a)) => {
                let i64t = cx.i64_type();
                let itemsize = a.dtype.itemsize().unwrap_or(1) as i64;
                let mut strides = vec![itemsize; shape.len()];
                for k in (0..shape.len().saturating_sub(1)).rev() {
                    strides[k] = strides[k + 1] * shape[k + 1];
                }
                let dims = |v: &[i64]| i64t.const_array(&v.iter().map(|d| i64t.const_int(*d as u64, true)).collect::<Vec<_>>());
                let ptr = cx.ptr_type(AddressSpace::default());
                let data_ptr = i64t.const_int(*data, false).const_to_pointer(ptr);
                cx.const_struct(&[ptr.const_null().into(), data_ptr.into(), dims(shape).into(), dims(&strides).into()], false).into()
            }
            (Const::Str(text), Type::Str | Type::Bytes) => self.string_constant(text).into(),
            (Const::Complex(re, im), Type::Complex(f)) => {
                let ft = float_type(cx, *f).into_float_type();
                cx.const_struct(&[ft.const_float(*re).into(), ft.const_float(*im).into()], false).into()
            }
            _ => llvm_type(cx, ty).const_zero(),
        }
    }

    pub(crate) fn complex(&self, re: FloatValue<'ctx>, im: FloatValue<'ctx>) -> Result<StructValue<'ctx>> {
        let st = self.cx.struct_type(&[re.get_type().into(), im.get_type().into()], false);
        let agg = self.b.build_insert_value(st.get_undef(), re, 0, "re")?;
        Ok(self.b.build_insert_value(agg, im, 1, "im")?.into_struct_value())
    }

    pub(crate) fn parts(&self, v: Value<'ctx>) -> Result<(FloatValue<'ctx>, FloatValue<'ctx>)> {
        let s = v.into_struct_value();
        Ok((self.b.build_extract_value(s, 0, "re")?.into_float_value(), self.b.build_extract_value(s, 1, "im")?.into_float_value()))
    }

    /// Converts between numeric types (and tuples element-wise). Float -> int raises as
    /// Python's `int()` does for NaN and infinities; finite out-of-range values saturate.
    pub(crate) fn cast(&mut self, v: Value<'ctx>, from: &Type, to: &Type) -> Result<Value<'ctx>> {
        if from == to {
            return Ok(v);
        }
        // Into an optional (a parameter whose variable is also assigned `None` or a value; in
        // expressions inference builds optionals itself): zeroed for `None`, else flagged.
        if let Type::Optional(inner) = to {
            let st = llvm_type(self.cx, to).into_struct_type();
            if *from == Type::NoneType {
                return Ok(st.const_zero().into());
            }
            let value = self.cast(v, from, inner)?;
            let agg = self.b.build_insert_value(st.get_undef(), self.cx.bool_type().const_int(1, false), 0, "present")?;
            return Ok(self.b.build_insert_value(agg, value, 1, "optional")?.into_struct_value().into());
        }
        // `e.args` is the exception itself, read another way.
        if let (Type::Exception, Type::ExceptionArgs) = (from, to) {
            return Ok(v);
        }
        // Arrays differing only in layout or writability share one representation.
        if let (Type::Array(_), Type::Array(_)) = (from, to) {
            return Ok(v);
        }
        // A datetime64/timedelta64 is its int64 count: inference converts units and checks NaT
        // itself, and reaches the count through casts to and from int64.
        if let (Type::Datetime(_) | Type::Timedelta(_), Type::Int(IntType { bits: 64, .. })) | (Type::Int(IntType { bits: 64, .. }), Type::Datetime(_) | Type::Timedelta(_)) = (from, to) {
            return Ok(v);
        }
        let cx = self.cx;
        let b = &self.b;
        let target = llvm_type(cx, to);
        Ok(match (from, to) {
            (_, Type::Bool) => self.truth(v, from)?.into(),
            (Type::Bool, Type::Int(_)) => b.build_int_z_extend(v.into_int_value(), target.into_int_type(), "zext")?.into(),
            (Type::Bool, Type::Float(_)) => b.build_unsigned_int_to_float(v.into_int_value(), target.into_float_type(), "uitofp")?.into(),
            (Type::Int(a), Type::Int(bt)) => {
                let v = v.into_int_value();
                let t = target.into_int_type();
                if a.bits > bt.bits {
                    b.build_int_truncate(v, t, "trunc")?.into()
                } else if a.bits == bt.bits {
                    v.into()
                } else if a.signed {
                    b.build_int_s_extend(v, t, "sext")?.into()
                } else {
                    b.build_int_z_extend(v, t, "zext")?.into()
                }
            }
            (Type::Int(a), Type::Float(_)) => {
                let t = target.into_float_type();
                if a.signed {
                    b.build_signed_int_to_float(v.into_int_value(), t, "sitofp")?.into()
                } else {
                    b.build_unsigned_int_to_float(v.into_int_value(), t, "uitofp")?.into()
                }
            }
            (Type::Float(a), Type::Float(bt)) => {
                let t = target.into_float_type();
                if a.bits() < bt.bits() {
                    b.build_float_ext(v.into_float_value(), t, "fpext")?.into()
                } else {
                    b.build_float_trunc(v.into_float_value(), t, "fptrunc")?.into()
                }
            }
            (Type::Float(_), Type::Int(i)) => self.float_to_int(v.into_float_value(), *i)?.into(),
            (Type::Bool | Type::Int(_) | Type::Float(_), Type::Complex(f)) => {
                let part = self.cast(v, from, &Type::Float(*f))?.into_float_value();
                let zero = float_type(cx, *f).into_float_type().const_zero();
                self.complex(part, zero)?.into()
            }
            (Type::Complex(_), Type::Complex(f)) => {
                let (re, im) = self.parts(v)?;
                let pf = |cx: &mut Self, x: FloatValue<'ctx>, from_f: &Type| cx.cast(x.into(), from_f, &Type::Float(*f));
                let from_f = match from {
                    Type::Complex(ff) => Type::Float(*ff),
                    _ => unreachable!(),
                };
                let re = pf(self, re, &from_f)?.into_float_value();
                let im = pf(self, im, &from_f)?.into_float_value();
                self.complex(re, im)?.into()
            }
            // Tuples item by item; a named tuple and the plain tuple it is laid out as
            // (`ferrojit_infer` views one as the other) share one representation.
            (Type::Tuple(_) | Type::NamedTuple(_), Type::Tuple(_) | Type::NamedTuple(_)) if from.tuple_items().map(<[Type]>::len) == to.tuple_items().map(<[Type]>::len) => {
                let (fs, ts) = (from.tuple_items().expect("a tuple"), to.tuple_items().expect("a tuple"));
                if fs == ts {
                    return Ok(v);
                }
                let st = target.into_struct_type();
                let mut agg = st.get_undef();
                for (i, (f, t)) in fs.iter().zip(ts).enumerate() {
                    let item = self.b.build_extract_value(v.into_struct_value(), i as u32, "item")?;
                    let item = self.cast(item, f, t)?;
                    agg = self.b.build_insert_value(agg, item, i as u32, "tuple")?.into_struct_value();
                }
                agg.into()
            }
            _ => return Err(CodegenError(format!("no conversion from {from} to {to}"))),
        })
    }

    /// Converts one array element as NumPy's casting loops do (`astype`, array copies): no
    /// exception, unlike `cast`'s Python `int()`. A complex value gives its real part (NumPy
    /// also warns, with ComplexWarning). A float becomes an integer as NumPy's C casts do on
    /// x86-64: through a 32-bit integer for types of up to 32 bits except uint32, through a
    /// 64-bit one for uint32 and int64, so that in-range values and negative values cast to
    /// unsigned types (`-3.7` -> uint8 253) give NumPy's results. NaN, infinities and values
    /// past the intermediate type's range give an arbitrary but fixed value; NumPy's are
    /// platform-defined too (its documentation calls them undefined).
    pub(crate) fn numpy_cast(&mut self, v: Value<'ctx>, from: &Type, to: &Type) -> Result<Value<'ctx>> {
        match (from, to) {
            (Type::Complex(f), Type::Bool | Type::Int(_) | Type::Float(_)) => {
                let (re, _) = self.parts(v)?;
                if *to == Type::Bool {
                    return self.cast(v, from, to);
                }
                self.numpy_cast(re.into(), &Type::Float(*f), to)
            }
            (Type::Float(_), Type::Int(i)) => {
                let v = v.into_float_value();
                let through = |this: &mut Self, bits: u8| -> Result<IntValue<'ctx>> {
                    let wide = this.b.build_float_to_signed_int(v, int_type(this.cx, bits), "int")?;
                    this.freeze(wide)
                };
                let target = int_type(self.cx, i.bits);
                let converted = match (i.bits, i.signed) {
                    (64, false) => {
                        // At 2**63 and above only an unsigned conversion fits.
                        let high = self.b.build_float_compare(FloatPredicate::OGE, v, v.get_type().const_float((1u64 << 63) as f64), "high")?;
                        let unsigned = self.b.build_float_to_unsigned_int(v, target, "uint")?;
                        let unsigned = self.freeze(unsigned)?;
                        let signed = through(self, 64)?;
                        return Ok(self.b.build_select(high, unsigned, signed, "int")?);
                    }
                    (64, true) | (32, false) => through(self, 64)?,
                    _ => through(self, 32)?,
                };
                Ok(if converted.get_type() == target { converted } else { self.b.build_int_truncate(converted, target, "trunc")? }.into())
            }
            _ => self.cast(v, from, to),
        }
    }

    /// `freeze` of a value that may be poison (an out-of-range float -> int conversion): an
    /// arbitrary but fixed value instead, which later instructions may use without making
    /// their own results poison.
    fn freeze(&self, v: IntValue<'ctx>) -> Result<IntValue<'ctx>> {
        // SAFETY: a valid builder and instruction value of this context.
        Ok(unsafe {
            use inkwell::values::AsValueRef;
            IntValue::new(llvm_sys::core::LLVMBuildFreeze(self.b.as_mut_ptr(), v.as_value_ref(), c"int".as_ptr()))
        })
    }

    fn float_to_int(&mut self, v: FloatValue<'ctx>, to: IntType) -> Result<IntValue<'ctx>> {
        if let Some(largest) = self.deferred_conversions {
            return self.float_to_int_unchecked(v, to, largest);
        }
        if to.signed && to.bits == 64 {
            return self.float_to_int64(v);
        }
        let b = &self.b;
        let is_nan = b.build_float_compare(FloatPredicate::UNO, v, v, "isnan")?;
        self.raise_if(is_nan, ExcKind::ValueError, "cannot convert float NaN to integer")?;
        let b = &self.b;
        let abs = self.intrinsic("llvm.fabs", &[v.get_type().into()], &[v.into()])?.into_float_value();
        let inf = v.get_type().const_float(f64::INFINITY);
        let is_inf = b.build_float_compare(FloatPredicate::OEQ, abs, inf, "isinf")?;
        self.raise_if(is_inf, ExcKind::OverflowError, "cannot convert float infinity to integer")?;
        let it = int_type(self.cx, to.bits);
        let name = if to.signed { "llvm.fptosi.sat" } else { "llvm.fptoui.sat" };
        Ok(self.intrinsic(name, &[it.into(), v.get_type().into()], &[v.into()])?.into_int_value())
    }

    /// A float -> int conversion in a loop whose checks are deferred (see `deferred`): no
    /// branch, so the loop can be vectorised. The value's magnitude, as the bits of a float64
    /// without the sign (IEEE order is integer order there, and NaNs sort above infinity),
    /// raises the running maximum `largest`; after the loop, a maximum from the bits of 2**63
    /// on means some conversion may have failed. That flags every value the checked conversion
    /// rejects, and a few it accepts (-2**63; magnitudes that narrower types saturate), for
    /// which the checked run finds nothing to raise and only costs time. The result itself is
    /// an arbitrary but fixed value (`freeze`) for a bad input; the checked run never uses it.
    fn float_to_int_unchecked(&mut self, v: FloatValue<'ctx>, to: IntType, largest: PointerValue<'ctx>) -> Result<IntValue<'ctx>> {
        let ft = v.get_type();
        let it = int_type(self.cx, to.bits);
        let i64t = self.cx.i64_type();
        let wide = if ft == self.cx.f64_type() { v } else { self.b.build_float_ext(v, self.cx.f64_type(), "wide")? };
        let bits = self.b.build_bit_cast(wide, i64t, "bits")?.into_int_value();
        let magnitude = self.b.build_and(bits, i64t.const_int(u64::MAX >> 1, false), "magnitude")?;
        let so_far = self.b.build_load(i64t, largest, "largest")?.into_int_value();
        let max = self.intrinsic("llvm.umax", &[i64t.into()], &[so_far.into(), magnitude.into()])?;
        self.b.build_store(largest, max)?;
        if to.signed && to.bits == 64 {
            let poison_if_bad = self.b.build_float_to_signed_int(v, it, "int")?;
            self.freeze(poison_if_bad)
        } else {
            let name = if to.signed { "llvm.fptosi.sat" } else { "llvm.fptoui.sat" };
            Ok(self.intrinsic(name, &[it.into(), ft.into()], &[v.into()])?.into_int_value())
        }
    }

    /// `int(v)` for a float `v`: truncation toward zero, raising like Python when the value has
    /// no int64 equivalent (ValueError for NaN, OverflowError for infinities and magnitudes past
    /// the int64 range).
    ///
    /// The check must cost next to nothing in hot loops. On x86-64 the conversion instruction
    /// reports failure itself: it returns i64::MIN (the "integer indefinite" value) for every
    /// input it cannot convert, so the hot path compares the result once. Only -2**63 converts
    /// to i64::MIN legitimately; the rare path tells it apart by its bit pattern. An integer
    /// compare there, not a float compare, matters: LLVM's x86 back end weighs every block of
    /// a loop when deciding whether to turn the loop's selects into branches, and a float
    /// compare against a constant in memory made the rare path look like the loop's critical
    /// path, which kept a later select (histogram's `if k >= nbins`) a data-dependent `cmov`
    /// (measured on the histogram benchmark: 1.93 ms, against 1.60 ms this way and 1.44 ms
    /// with no check at all).
    fn float_to_int64(&mut self, v: FloatValue<'ctx>) -> Result<IntValue<'ctx>> {
        let ft = v.get_type();
        let i64t = self.cx.i64_type();
        let two63 = (1u64 << 63) as f64;
        let (cold, ok) = (self.bb("int.bad"), self.bb("int.ok"));
        let result = if self.target_is_x86_64() {
            let is_f64 = ft == self.cx.f64_type();
            let (name, lanes, bits_type) = if is_f64 {
                ("llvm.x86.sse2.cvttsd2si64", 2, i64t)
            } else {
                ("llvm.x86.sse.cvttss2si64", 4, self.cx.i32_type())
            };
            let vector = self.b.build_insert_element(ft.vec_type(lanes).get_undef(), v, i64t.const_zero(), "vec")?;
            let result = self.intrinsic(name, &[], &[vector.into()])?.into_int_value();
            let indefinite = self.b.build_int_compare(IntPredicate::EQ, result, i64t.const_int(1 << 63, false), "indefinite")?;
            self.branch_rarely(indefinite, cold, ok)?;
            self.b.position_at_end(cold);
            let bits = self.b.build_bit_cast(v, bits_type, "bits")?.into_int_value();
            let min_bits = if is_f64 { (-two63).to_bits() } else { u64::from((-two63 as f32).to_bits()) };
            let is_min = self.b.build_int_compare(IntPredicate::EQ, bits, bits_type.const_int(min_bits, false), "ismin")?;
            let raise = self.bb("int.raise");
            self.b.build_conditional_branch(is_min, ok, raise)?;
            self.b.position_at_end(raise);
            Some(result)
        } else {
            let low = self.b.build_float_compare(FloatPredicate::ULT, v, ft.const_float(-two63), "low")?;
            let high = self.b.build_float_compare(FloatPredicate::UGE, v, ft.const_float(two63), "high")?;
            let bad = self.b.build_or(low, high, "bad")?;
            self.branch_rarely(bad, cold, ok)?;
            self.b.position_at_end(cold);
            None
        };
        let is_nan = self.b.build_float_compare(FloatPredicate::UNO, v, v, "isnan")?;
        self.raise_if(is_nan, ExcKind::ValueError, "cannot convert float NaN to integer")?;
        let abs = self.intrinsic("llvm.fabs", &[ft.into()], &[v.into()])?.into_float_value();
        let is_inf = self.b.build_float_compare(FloatPredicate::OEQ, abs, ft.const_float(f64::INFINITY), "isinf")?;
        self.raise_if(is_inf, ExcKind::OverflowError, "cannot convert float infinity to integer")?;
        self.raise(ExcKind::OverflowError, "float is too large for a 64-bit integer")?;
        self.b.position_at_end(ok);
        match result {
            Some(result) => Ok(result),
            // In range: `fptosi` is exact there (it is poison only outside).
            None => Ok(self.b.build_float_to_signed_int(v, i64t, "int")?),
        }
    }

    fn target_is_x86_64(&self) -> bool {
        self.module.get_triple().as_str().to_bytes().starts_with(b"x86_64")
    }

    pub(crate) fn truth(&mut self, v: Value<'ctx>, ty: &Type) -> Result<IntValue<'ctx>> {
        let b = &self.b;
        Ok(match ty {
            Type::Bool => v.into_int_value(),
            // A time value is true when its count is nonzero (NaT too), as NumPy's.
            Type::Int(_) | Type::Datetime(_) | Type::Timedelta(_) => b.build_int_compare(IntPredicate::NE, v.into_int_value(), v.get_type().const_zero().into_int_value(), "truth")?,
            Type::Float(_) => b.build_float_compare(FloatPredicate::UNE, v.into_float_value(), v.get_type().const_zero().into_float_value(), "truth")?,
            Type::Complex(_) => {
                let (re, im) = self.parts(v)?;
                let b = &self.b;
                let r = b.build_float_compare(FloatPredicate::UNE, re, re.get_type().const_zero(), "re")?;
                let i = b.build_float_compare(FloatPredicate::UNE, im, im.get_type().const_zero(), "im")?;
                b.build_or(r, i, "truth")?
            }
            Type::NoneType => self.cx.bool_type().const_zero(),
            Type::Tuple(items) => self.cx.bool_type().const_int(!items.is_empty() as u64, false),
            Type::NamedTuple(n) => self.cx.bool_type().const_int(!n.items.is_empty() as u64, false),
            // A function (a generator, an exception, an instance of a class without
            // `__bool__` or `__len__`) is true, as in Python.
            Type::Function(_) | Type::Generator(_) | Type::Exception | Type::Instance(_) | Type::Class(_) | Type::NotImplemented => self.cx.bool_type().const_int(1, false),
            // Inference tests `e.args` by its length.
            Type::ExceptionArgs => return Err(CodegenError("the truth of an exception's arguments reached codegen".into())),
            Type::List(_) => self.list_is_nonempty(v.into_pointer_value())?,
            Type::Dict(..) | Type::Set(_) => self.dict_is_nonempty(v.into_pointer_value())?,
            Type::Str | Type::Bytes => self.str_is_nonempty(v.into_pointer_value())?,
            // `ferrojit_infer` tests an optional's flag, then its value.
            Type::Array(_) | Type::Record(_) | Type::Optional(_) => return Err(CodegenError(format!("truth value of a `{ty}` reached codegen"))),
        })
    }

    pub(crate) fn compare(&mut self, op: CmpOp, l: Value<'ctx>, r: Value<'ctx>, ty: &Type) -> Result<IntValue<'ctx>> {
        let b = &self.b;
        match ty {
            // Identity (`a is b`) of two jitclass instances: the same record.
            Type::Instance(_) => {
                let pred = match op {
                    CmpOp::Eq => IntPredicate::EQ,
                    CmpOp::NotEq => IntPredicate::NE,
                    _ => return Err(CodegenError(format!("comparison {op:?} of instances reached codegen"))),
                };
                Ok(b.build_int_compare(pred, l.into_pointer_value(), r.into_pointer_value(), "same")?)
            }
            Type::Bool | Type::Int(_) => {
                let signed = matches!(ty, Type::Int(IntType { signed: true, .. }));
                let pred = match (op, signed) {
                    (CmpOp::Eq, _) => IntPredicate::EQ,
                    (CmpOp::NotEq, _) => IntPredicate::NE,
                    (CmpOp::Lt, true) => IntPredicate::SLT,
                    (CmpOp::LtE, true) => IntPredicate::SLE,
                    (CmpOp::Gt, true) => IntPredicate::SGT,
                    (CmpOp::GtE, true) => IntPredicate::SGE,
                    (CmpOp::Lt, false) => IntPredicate::ULT,
                    (CmpOp::LtE, false) => IntPredicate::ULE,
                    (CmpOp::Gt, false) => IntPredicate::UGT,
                    (CmpOp::GtE, false) => IntPredicate::UGE,
                    _ => return Err(CodegenError(format!("comparison {op:?} reached codegen"))),
                };
                Ok(b.build_int_compare(pred, l.into_int_value(), r.into_int_value(), "cmp")?)
            }
            Type::Float(_) => Ok(b.build_float_compare(float_predicate(op)?, l.into_float_value(), r.into_float_value(), "cmp")?),
            Type::Complex(_) => {
                let (lr, li) = self.parts(l)?;
                let (rr, ri) = self.parts(r)?;
                let b = &self.b;
                let pred = float_predicate(op)?;
                let x = b.build_float_compare(pred, lr, rr, "cmp.re")?;
                let y = b.build_float_compare(pred, li, ri, "cmp.im")?;
                Ok(if op == CmpOp::Eq { b.build_and(x, y, "cmp")? } else { b.build_or(x, y, "cmp")? })
            }
            other => Err(CodegenError(format!("comparison of {other} reached codegen"))),
        }
    }

    fn unary(&mut self, op: UnaryOp, v: Value<'ctx>, ty: &Type) -> Result<Value<'ctx>> {
        let b = &self.b;
        Ok(match (op, ty) {
            (UnaryOp::Not, _) => b.build_not(v.into_int_value(), "not")?.into(),
            (UnaryOp::Invert, _) => b.build_not(v.into_int_value(), "invert")?.into(),
            (UnaryOp::Neg, Type::Int(_)) => b.build_int_neg(v.into_int_value(), "neg")?.into(),
            (UnaryOp::Neg, Type::Float(_)) => b.build_float_neg(v.into_float_value(), "neg")?.into(),
            (UnaryOp::Neg, Type::Complex(_)) => {
                let (re, im) = self.parts(v)?;
                let re = self.b.build_float_neg(re, "neg.re")?;
                let im = self.b.build_float_neg(im, "neg.im")?;
                self.complex(re, im)?.into()
            }
            (UnaryOp::Abs, Type::Int(i)) => {
                if !i.signed {
                    return Ok(v);
                }
                let x = v.into_int_value();
                let neg = b.build_int_neg(x, "neg")?;
                let is_neg = b.build_int_compare(IntPredicate::SLT, x, x.get_type().const_zero(), "isneg")?;
                b.build_select(is_neg, neg, x, "abs")?
            }
            (UnaryOp::Abs, Type::Float(_)) => self.intrinsic("llvm.fabs", &[v.get_type()], &[v])?,
            (UnaryOp::Abs, Type::Complex(f)) => {
                let (re, im) = self.parts(v)?;
                self.math(MathFunc::HYPOT, &[re.into(), im.into()], &Type::Float(*f))?
            }
            _ => return Err(CodegenError(format!("unary {op:?} on {ty} reached codegen"))),
        })
    }

    pub(crate) fn binary(&mut self, op: BinaryOp, l: Value<'ctx>, r: Value<'ctx>, ty: &Type, rhs_ty: &Type) -> Result<Value<'ctx>> {
        match ty {
            Type::Bool => {
                let (l, r) = (l.into_int_value(), r.into_int_value());
                let b = &self.b;
                Ok(match op {
                    BinaryOp::BitAnd => b.build_and(l, r, "and")?,
                    BinaryOp::BitOr => b.build_or(l, r, "or")?,
                    BinaryOp::BitXor => b.build_xor(l, r, "xor")?,
                    _ => return Err(CodegenError(format!("{op:?} on bool reached codegen"))),
                }
                .into())
            }
            Type::Int(i) => self.int_binary(op, l.into_int_value(), r.into_int_value(), *i).map(Into::into),
            Type::Float(f) => self.float_binary(op, l.into_float_value(), r, *f, rhs_ty).map(Into::into),
            Type::Complex(f) => self.complex_binary(op, l, r, *f),
            other => Err(CodegenError(format!("{op:?} on {other} reached codegen"))),
        }
    }

    fn int_binary(&mut self, op: BinaryOp, l: IntValue<'ctx>, r: IntValue<'ctx>, ty: IntType) -> Result<IntValue<'ctx>> {
        let zero = l.get_type().const_zero();
        // Not where values from unchecked conversions may flow (see `deferred_conversions`), and
        // only for 64 bits: narrower integers are NumPy's types, whose wrapping is their meaning.
        let no_signed_wrap = self.deferred_conversions.is_none() && ty.bits == 64;
        let b = &self.b;
        Ok(match op {
            // Signed arithmetic carries `nsw`, as Numba's does: it wraps on overflow at run time,
            // but the optimiser may assume it does not overflow, which lets it prove array
            // indices such as `i + k` non-negative and keep loads contiguous.
            BinaryOp::Add if ty.signed && no_signed_wrap => b.build_int_nsw_add(l, r, "add")?,
            BinaryOp::Sub if ty.signed && no_signed_wrap => b.build_int_nsw_sub(l, r, "sub")?,
            BinaryOp::Mul if ty.signed && no_signed_wrap => b.build_int_nsw_mul(l, r, "mul")?,
            BinaryOp::Add => b.build_int_add(l, r, "add")?,
            BinaryOp::Sub => b.build_int_sub(l, r, "sub")?,
            BinaryOp::Mul => b.build_int_mul(l, r, "mul")?,
            BinaryOp::BitAnd => b.build_and(l, r, "and")?,
            BinaryOp::BitOr => b.build_or(l, r, "or")?,
            BinaryOp::BitXor => b.build_xor(l, r, "xor")?,
            BinaryOp::FloorDiv | BinaryOp::Mod => {
                let is_zero = b.build_int_compare(IntPredicate::EQ, r, zero, "divzero")?;
                // NumPy's error model: x // 0 and x % 0 are 0. Divide by 1 instead.
                let r = if self.numpy_errors() {
                    b.build_select(is_zero, l.get_type().const_int(1, false), r, "divisor")?.into_int_value()
                } else {
                    let msg = if op == BinaryOp::Mod { "integer modulo by zero" } else { "integer division or modulo by zero" };
                    self.raise_if(is_zero, ExcKind::ZeroDivisionError, msg)?;
                    r
                };
                let numpy_zero = |this: &Self, v: IntValue<'ctx>| -> Result<IntValue<'ctx>> {
                    Ok(if this.numpy_errors() { this.b.build_select(is_zero, zero, v, "zerodiv")?.into_int_value() } else { v })
                };
                let b = &self.b;
                if !ty.signed {
                    let v = if op == BinaryOp::FloorDiv { b.build_int_unsigned_div(l, r, "div")? } else { b.build_int_unsigned_rem(l, r, "rem")? };
                    return numpy_zero(self, v);
                }
                // Python rounds toward negative infinity. `x // -1` is negation and `x % -1` is 0;
                // the hardware division would trap on the most negative value divided by -1.
                let minus_one = l.get_type().const_all_ones();
                let is_m1 = b.build_int_compare(IntPredicate::EQ, r, minus_one, "m1")?;
                let by_minus_one = |this: &Self| -> Result<IntValue<'ctx>> {
                    Ok(if op == BinaryOp::FloorDiv { this.b.build_int_neg(l, "neg")? } else { zero })
                };
                // The general case for a divisor `d` that is not -1. The remainder has the sign
                // of `l` when it is not 0, so the rounding adjustment is known from the operands'
                // signs before the division finishes (as in Numba).
                let general = |this: &Self, d: IntValue<'ctx>| -> Result<IntValue<'ctx>> {
                    let b = &this.b;
                    let q = b.build_int_signed_div(l, d, "q")?;
                    let m = b.build_int_signed_rem(l, d, "m")?;
                    let m_nonzero = b.build_int_compare(IntPredicate::NE, m, zero, "mnz")?;
                    let signs_differ = b.build_int_compare(IntPredicate::SLT, b.build_xor(l, d, "x")?, zero, "sd")?;
                    let adjust = b.build_and(m_nonzero, signs_differ, "adj")?;
                    Ok(if op == BinaryOp::FloorDiv {
                        b.build_int_sub(q, b.build_int_z_extend(adjust, l.get_type(), "a")?, "floordiv")?
                    } else {
                        b.build_int_add(m, b.build_select(adjust, d, zero, "a")?.into_int_value(), "mod")?
                    })
                };
                let v = if self.numpy_errors() {
                    // Ufunc loops stay free of branches: divide by 1 instead of -1 and select.
                    let d = b.build_select(is_m1, l.get_type().const_int(1, false), r, "d")?.into_int_value();
                    let v = general(self, d)?;
                    self.b.build_select(is_m1, by_minus_one(self)?, v, "divm1")?.into_int_value()
                } else {
                    // A rarely taken branch keeps the -1 test off the division's critical path
                    // (in `a, b = b, a % b` each division waits for the one before).
                    let (m1_bb, general_bb, done_bb) = (self.bb("divm1"), self.bb("div"), self.bb("divdone"));
                    self.branch_rarely(is_m1, m1_bb, general_bb)?;
                    self.b.position_at_end(m1_bb);
                    let v_m1 = by_minus_one(self)?;
                    self.b.build_unconditional_branch(done_bb)?;
                    self.b.position_at_end(general_bb);
                    let v = general(self, r)?;
                    let general_end = self.b.get_insert_block().expect("positioned");
                    self.b.build_unconditional_branch(done_bb)?;
                    self.b.position_at_end(done_bb);
                    let phi = self.b.build_phi(l.get_type(), "divres")?;
                    phi.add_incoming(&[(&v_m1, m1_bb), (&v, general_end)]);
                    phi.as_basic_value().into_int_value()
                };
                numpy_zero(self, v)?
            }
            BinaryOp::LShift | BinaryOp::RShift => {
                let bits = l.get_type().get_bit_width() as u64;
                // An unsigned count is never negative, however high its top bit.
                if ty.signed {
                    let negative = b.build_int_compare(IntPredicate::SLT, r, zero, "negshift")?;
                    self.raise_if(negative, ExcKind::ValueError, "negative shift count")?;
                }
                let b = &self.b;
                let width = l.get_type().const_int(bits, false);
                let too_far = b.build_int_compare(IntPredicate::UGE, r, width, "wide")?;
                let last = l.get_type().const_int(bits - 1, false);
                let count = b.build_select(too_far, last, r, "count")?.into_int_value();
                if op == BinaryOp::LShift {
                    // Shifting every bit out leaves 0 (the wrapped value of Python's result).
                    let shifted = b.build_left_shift(l, count, "shl")?;
                    b.build_select(too_far, zero, shifted, "shl")?.into_int_value()
                } else if ty.signed {
                    // Shifting by bits-1 gives the sign fill Python's result has.
                    b.build_right_shift(l, count, true, "ashr")?
                } else {
                    let shifted = b.build_right_shift(l, count, false, "lshr")?;
                    b.build_select(too_far, zero, shifted, "lshr")?.into_int_value()
                }
            }
            BinaryOp::Div | BinaryOp::Pow => return Err(CodegenError(format!("integer {op:?} reached codegen"))),
        })
    }

    fn float_binary(&mut self, op: BinaryOp, l: FloatValue<'ctx>, r: Value<'ctx>, f: FloatType, rhs_ty: &Type) -> Result<FloatValue<'ctx>> {
        let zero = l.get_type().const_zero();
        if op == BinaryOp::Pow {
            let exp = match rhs_ty {
                Type::Int(_) => self.b.build_signed_int_to_float(r.into_int_value(), l.get_type(), "exp")?,
                _ => r.into_float_value(),
            };
            let result = self.intrinsic("llvm.pow", &[l.get_type().into()], &[l.into(), exp.into()])?.into_float_value();
            // Python's float raises; float32 is NumPy's type, whose `**` gives inf/NaN as it does
            // under `error_model='numpy'`.
            if !self.numpy_errors() && f == FloatType::F64 {
                self.check_float_pow(l, exp, result)?;
            }
            return Ok(result);
        }
        let r = r.into_float_value();
        let b = &self.b;
        Ok(match op {
            BinaryOp::Add => b.build_float_add(l, r, "fadd")?,
            BinaryOp::Sub => b.build_float_sub(l, r, "fsub")?,
            BinaryOp::Mul => b.build_float_mul(l, r, "fmul")?,
            BinaryOp::Div | BinaryOp::FloorDiv | BinaryOp::Mod => {
                let is_zero = b.build_float_compare(FloatPredicate::OEQ, r, zero, "divzero")?;
                let msg = match op {
                    BinaryOp::Div => "float division by zero",
                    BinaryOp::FloorDiv => "float floor division by zero",
                    _ => "float modulo",
                };
                if !self.numpy_errors() {
                    self.raise_if(is_zero, ExcKind::ZeroDivisionError, msg)?;
                } else if op != BinaryOp::Div {
                    // NumPy: x // 0.0 is x / 0.0 (inf or NaN), x % 0.0 is NaN.
                    let v = self.float_divmod(op, l, r, f)?;
                    let by_zero = if op == BinaryOp::FloorDiv { self.b.build_float_div(l, r, "q")? } else { l.get_type().const_float(f64::NAN) };
                    return Ok(self.b.build_select(is_zero, by_zero, v, "numpy")?.into_float_value());
                }
                if op == BinaryOp::Div {
                    return Ok(self.b.build_float_div(l, r, "fdiv")?);
                }
                self.float_divmod(op, l, r, f)?
            }
            _ => return Err(CodegenError(format!("float {op:?} reached codegen"))),
        })
    }

    /// Raises where CPython's `float.__pow__` does, given C's `pow(x, y) == result` (float64). C's pow
    /// gives CPython's value in every other case, and an infinite or NaN result from finite
    /// operands in every raising case (0.0 to a negative power is infinite, a negative base
    /// with a non-integral exponent is NaN, overflow is infinite), so the usual path costs one
    /// comparison; the runtime sorts out the rare one.
    fn check_float_pow(&mut self, x: FloatValue<'ctx>, y: FloatValue<'ctx>, result: FloatValue<'ctx>) -> Result<()> {
        let magnitude = self.intrinsic("llvm.fabs", &[result.get_type().into()], &[result.into()])?.into_float_value();
        let infinity = result.get_type().const_float(f64::INFINITY);
        // Unordered: true for NaN too.
        let special = self.b.build_float_compare(FloatPredicate::UEQ, magnitude, infinity, "pow.special")?;
        let (check_bb, done_bb) = (self.bb("pow.check"), self.bb("pow.done"));
        self.branch_rarely(special, check_bb, done_bb)?;
        self.b.position_at_end(check_bb);
        let f64t = self.cx.f64_type();
        let ptr = self.cx.ptr_type(AddressSpace::default());
        let func = self.extern_fn(RuntimeFunc::FLOAT_POW_ERROR.symbol, Some(self.cx.i32_type().into()), &[f64t.into(), f64t.into(), f64t.into(), ptr.into()]);
        let status = self.call_value(func, &[x.into(), y.into(), result.into(), self.exc_ptr.into()])?.into_int_value();
        self.propagate(status)?;
        self.b.build_unconditional_branch(done_bb)?;
        self.b.position_at_end(done_bb);
        Ok(())
    }

    /// `l // r` or `l % r` by CPython's `float_divmod`, computed in double precision; `r` is
    /// not zero (or the caller discards the result).
    fn float_divmod(&self, op: BinaryOp, l: FloatValue<'ctx>, r: FloatValue<'ctx>, f: FloatType) -> Result<FloatValue<'ctx>> {
        let f64t = self.cx.f64_type();
        let (l64, r64) = if f == FloatType::F32 {
            (self.b.build_float_ext(l, f64t, "l")?, self.b.build_float_ext(r, f64t, "r")?)
        } else {
            (l, r)
        };
        let symbol = if op == BinaryOp::FloorDiv { "ferrojit_rt_floordiv_f64" } else { "ferrojit_rt_mod_f64" };
        let func = self.extern_fn(symbol, Some(f64t.into()), &[f64t.into(), f64t.into()]);
        let v = self.call_value(func, &[l64.into(), r64.into()])?.into_float_value();
        Ok(if f == FloatType::F32 { self.b.build_float_trunc(v, l.get_type(), "f32")? } else { v })
    }

    fn complex_binary(&mut self, op: BinaryOp, l: Value<'ctx>, r: Value<'ctx>, f: FloatType) -> Result<Value<'ctx>> {
        let (a, bi) = self.parts(l)?;
        let (c, d) = self.parts(r)?;
        let b = &self.b;
        let (re, im) = match op {
            BinaryOp::Add => (b.build_float_add(a, c, "re")?, b.build_float_add(bi, d, "im")?),
            BinaryOp::Sub => (b.build_float_sub(a, c, "re")?, b.build_float_sub(bi, d, "im")?),
            BinaryOp::Mul => {
                let re = b.build_float_sub(b.build_float_mul(a, c, "ac")?, b.build_float_mul(bi, d, "bd")?, "re")?;
                let im = b.build_float_add(b.build_float_mul(a, d, "ad")?, b.build_float_mul(bi, c, "bc")?, "im")?;
                (re, im)
            }
            BinaryOp::Div => {
                // CPython's `_Py_c_quot` (Smith's algorithm): both branches are computed and the
                // one for the larger divisor component is selected.
                let zero = a.get_type().const_zero();
                let abs_c = self.intrinsic("llvm.fabs", &[a.get_type().into()], &[c.into()])?.into_float_value();
                let abs_d = self.intrinsic("llvm.fabs", &[a.get_type().into()], &[d.into()])?.into_float_value();
                let b = &self.b;
                let both_zero = b.build_and(
                    b.build_float_compare(FloatPredicate::OEQ, c, zero, "c0")?,
                    b.build_float_compare(FloatPredicate::OEQ, d, zero, "d0")?,
                    "z",
                )?;
                self.raise_if(both_zero, ExcKind::ZeroDivisionError, "complex division by zero")?;
                let b = &self.b;
                let c_bigger = b.build_float_compare(FloatPredicate::OGE, abs_c, abs_d, "cbig")?;
                // |c| >= |d|
                // complex64 is a NumPy type: NumPy scales by the reciprocal of the denominator
                // instead of dividing by it, which rounds differently in float32.
                let one = a.get_type().const_float(1.0);
                let over = |n: FloatValue<'ctx>, denom: FloatValue<'ctx>| -> Result<FloatValue<'ctx>> {
                    Ok(if f == FloatType::F32 {
                        b.build_float_mul(n, b.build_float_div(one, denom, "scale")?, "q")?
                    } else {
                        b.build_float_div(n, denom, "q")?
                    })
                };
                let ratio1 = b.build_float_div(d, c, "ratio")?;
                let denom1 = b.build_float_add(c, b.build_float_mul(d, ratio1, "t")?, "denom")?;
                let re1 = over(b.build_float_add(a, b.build_float_mul(bi, ratio1, "t")?, "n")?, denom1)?;
                let im1 = over(b.build_float_sub(bi, b.build_float_mul(a, ratio1, "t")?, "n")?, denom1)?;
                // |d| > |c|
                let ratio2 = b.build_float_div(c, d, "ratio")?;
                let denom2 = b.build_float_add(b.build_float_mul(c, ratio2, "t")?, d, "denom")?;
                let re2 = over(b.build_float_add(b.build_float_mul(a, ratio2, "t")?, bi, "n")?, denom2)?;
                let im2 = over(b.build_float_sub(b.build_float_mul(bi, ratio2, "t")?, a, "n")?, denom2)?;
                let re = b.build_select(c_bigger, re1, re2, "re")?.into_float_value();
                let im = b.build_select(c_bigger, im1, im2, "im")?.into_float_value();
                (re, im)
            }
            BinaryOp::Pow => return self.complex_pow((a, bi), (c, d), f),
            _ => return Err(CodegenError(format!("complex {op:?} reached codegen (type {f:?})"))),
        };
        Ok(self.complex(re, im)?.into())
    }

    /// CPython's complex power, computed by the runtime in double precision.
    fn complex_pow(&mut self, a: (FloatValue<'ctx>, FloatValue<'ctx>), b: (FloatValue<'ctx>, FloatValue<'ctx>), f: FloatType) -> Result<Value<'ctx>> {
        let cx = self.cx;
        let f64t = cx.f64_type();
        let wide = |s: &Self, v: FloatValue<'ctx>| -> Result<FloatValue<'ctx>> {
            Ok(if f == FloatType::F32 { s.b.build_float_ext(v, f64t, "wide")? } else { v })
        };
        let args: Vec<Value> = vec![wide(self, a.0)?.into(), wide(self, a.1)?.into(), wide(self, b.0)?.into(), wide(self, b.1)?.into()];
        let out = self.entry_alloca(f64t.array_type(2).into(), "cpow.out")?;
        let ptr = cx.ptr_type(AddressSpace::default());
        let func = self.extern_fn("ferrojit_rt_cpow", None, &[f64t.into(), f64t.into(), f64t.into(), f64t.into(), ptr.into(), ptr.into()]);
        let mut call_args = args;
        call_args.push(out.into());
        call_args.push(self.exc_ptr.into());
        self.call_value(func, &call_args)?;
        let kind = self.b.build_load(cx.i32_type(), self.exc_ptr, "exc.kind")?.into_int_value();
        let raised = self.b.build_int_compare(IntPredicate::NE, kind, cx.i32_type().const_zero(), "raised")?;
        let status = self.b.build_int_z_extend(raised, cx.i32_type(), "status")?;
        self.propagate(status)?;
        let re_ptr = out;
        // SAFETY: index 1 of a two-element array.
        let im_ptr = unsafe { self.b.build_gep(f64t, out, &[self.i64(1)], "im.ptr")? };
        let mut re = self.b.build_load(f64t, re_ptr, "re")?.into_float_value();
        let mut im = self.b.build_load(f64t, im_ptr, "im")?.into_float_value();
        if f == FloatType::F32 {
            re = self.b.build_float_trunc(re, cx.f32_type(), "re")?;
            im = self.b.build_float_trunc(im, cx.f32_type(), "im")?;
        }
        Ok(self.complex(re, im)?.into())
    }

    // ---- math ------------------------------------------------------------------------------

    fn math(&mut self, func: MathFunc, args: &[Value<'ctx>], arg_ty: &Type) -> Result<Value<'ctx>> {
        let f = match arg_ty {
            Type::Float(f) => *f,
            other => return Err(CodegenError(format!("math.{} on {other} reached codegen", func.name))),
        };
        let ft = float_type(self.cx, f);
        let x = args[0].into_float_value();
        let inf = x.get_type().const_float(f64::INFINITY);
        Ok(match func.lowering {
            MathLowering::Intrinsic(name) => self.intrinsic(name, &[ft], args)?,
            MathLowering::Libm { symbol, vector } => self.math_call(symbol, vector, f, args)?,
            MathLowering::Remainder => self.b.build_float_rem(x, args[1].into_float_value(), "fmod")?.into(),
            MathLowering::Degrees => self.b.build_float_mul(x, x.get_type().const_float(180.0 / std::f64::consts::PI), "deg")?.into(),
            MathLowering::Radians => self.b.build_float_mul(x, x.get_type().const_float(std::f64::consts::PI / 180.0), "rad")?.into(),
            MathLowering::IsNan => self.b.build_float_compare(FloatPredicate::UNO, x, x, "isnan")?.into(),
            MathLowering::IsInf | MathLowering::IsFinite => {
                let abs = self.intrinsic("llvm.fabs", &[ft], &[x.into()])?.into_float_value();
                let (pred, name) = if func.lowering == MathLowering::IsInf { (FloatPredicate::OEQ, "isinf") } else { (FloatPredicate::ONE, "isfinite") };
                self.b.build_float_compare(pred, abs, inf, name)?.into()
            }
        })
    }

    /// Raises as CPython's `math` function does for `result` of `args` (`errors`, see
    /// [`PythonErrors`]). A finite result never raises: the usual path costs one comparison
    /// and a branch taken almost never; the rules for NaN and infinities are on the cold path.
    fn check_math_result(&mut self, errors: PythonErrors, args: &[Value<'ctx>], result: FloatValue<'ctx>) -> Result<()> {
        let ft = result.get_type();
        let inf = ft.const_float(f64::INFINITY);
        let fabs = |this: &Self, v: FloatValue<'ctx>| -> Result<FloatValue<'ctx>> { Ok(this.intrinsic("llvm.fabs", &[ft.into()], &[v.into()])?.into_float_value()) };
        let magnitude = fabs(self, result)?;
        // Unordered or equal: NaN or an infinity.
        let not_finite = self.b.build_float_compare(FloatPredicate::UEQ, magnitude, inf, "special")?;
        let (special, ok) = (self.bb("math.special"), self.bb("math.ok"));
        self.branch_rarely(not_finite, special, ok)?;
        self.b.position_at_end(special);
        let b = &self.b;
        let result_nan = b.build_float_compare(FloatPredicate::UNO, result, result, "nan")?;
        let (mut any_nan, mut all_finite) = (self.cx.bool_type().const_zero(), self.cx.bool_type().const_all_ones());
        for a in args {
            let a = a.into_float_value();
            let nan = self.b.build_float_compare(FloatPredicate::UNO, a, a, "arg.nan")?;
            any_nan = self.b.build_or(any_nan, nan, "any.nan")?;
            let a_finite = self.b.build_float_compare(FloatPredicate::ONE, fabs(self, a)?, inf, "arg.finite")?;
            all_finite = self.b.build_and(all_finite, a_finite, "all.finite")?;
        }
        let b = &self.b;
        // NaN from numbers: outside the domain (`sqrt(-1)`, `sin(inf)`, `fmod(x, 0)`).
        let invalid = b.build_and(result_nan, b.build_not(any_nan, "numbers")?, "invalid")?;
        self.raise_if(invalid, ExcKind::ValueError, "math domain error")?;
        // Here the result is infinite (or NaN from NaN, whose arguments are not all finite).
        let b = &self.b;
        let from_finite = b.build_and(all_finite, b.build_not(result_nan, "inf")?, "from.finite")?;
        match errors {
            PythonErrors::Never => {}
            // A pole: `log(0)`, `atanh(1)`.
            PythonErrors::Domain => self.raise_if(from_finite, ExcKind::ValueError, "math domain error")?,
            PythonErrors::Range => self.raise_if(from_finite, ExcKind::OverflowError, "math range error")?,
            PythonErrors::Power => {
                // `0.0 ** negative` is a pole; any other infinity from finite numbers overflowed.
                let zero_base = self.b.build_float_compare(FloatPredicate::OEQ, args[0].into_float_value(), ft.const_zero(), "zero.base")?;
                let pole = self.b.build_and(from_finite, zero_base, "pole")?;
                self.raise_if(pole, ExcKind::ValueError, "math domain error")?;
                self.raise_if(from_finite, ExcKind::OverflowError, "math range error")?;
            }
        }
        self.b.build_unconditional_branch(ok)?;
        self.b.position_at_end(ok);
        Ok(())
    }

    /// Calls the C library's `name` (`namef` for float32). The declaration is marked as
    /// touching no memory (compiled code does not read `errno`), and, when glibc's libmvec
    /// has vector variants (`vector`), the call names them so that loops calling it vectorise.
    fn math_call(&self, name: &str, vector: bool, f: FloatType, args: &[Value<'ctx>]) -> Result<Value<'ctx>> {
        let cx = self.cx;
        let ft = float_type(cx, f);
        let symbol = if f == FloatType::F32 { format!("{name}f") } else { name.to_string() };
        let params: Vec<BasicMetadataTypeEnum> = args.iter().map(|_| ft.into()).collect();
        let fresh = self.module.get_function(&symbol).is_none();
        let func = self.extern_fn(&symbol, Some(ft), &params);
        if fresh {
            for (attr, value) in [("memory", 0), ("nounwind", 0), ("willreturn", 0), ("nosync", 0)] {
                func.add_attribute(AttributeLoc::Function, cx.create_enum_attribute(inkwell::attributes::Attribute::get_named_enum_kind_id(attr), value));
            }
        }
        let call = self.b.build_call(func, &args.iter().map(|a| (*a).into()).collect::<Vec<BasicMetadataValueEnum>>(), "call")?;
        if let Some(variants) = vector.then(|| self.vector_variants(&symbol, f, args.len())).flatten() {
            call.add_attribute(AttributeLoc::Function, cx.create_string_attribute("vector-function-abi-variant", &variants));
        }
        Ok(call.try_as_basic_value().basic().expect("math functions return a value"))
    }

    /// Declares libmvec's variants of `symbol` for each host ISA and returns the
    /// `vector-function-abi-variant` attribute value naming them.
    fn vector_variants(&self, symbol: &str, f: FloatType, arity: usize) -> Option<String> {
        let params = "v".repeat(arity);
        let mut variants = Vec::new();
        for isa in self.vector_isas {
            let lanes = isa.bits / f.bits() as u32;
            let vector_name = format!("_ZGV{}N{lanes}{params}_{symbol}", isa.letter);
            let vt = match f {
                FloatType::F32 => self.cx.f32_type().vec_type(lanes),
                FloatType::F64 => self.cx.f64_type().vec_type(lanes),
            };
            let vparams: Vec<BasicMetadataTypeEnum> = (0..arity).map(|_| vt.into()).collect();
            self.extern_fn(&vector_name, Some(vt.into()), &vparams);
            variants.push(format!("_ZGV_LLVM_N{lanes}{params}_{symbol}({vector_name})"));
        }
        (!variants.is_empty()).then(|| variants.join(","))
    }

    // ---- print -----------------------------------------------------------------------------

    pub(crate) fn print_str(&self, s: &str) -> Result<()> {
        let ptr = self.cx.ptr_type(AddressSpace::default());
        let f = self.extern_fn("ferrojit_rt_print_str", None, &[ptr.into(), self.cx.i64_type().into()]);
        self.b.build_call(f, &[self.string_ptr(s).into(), self.i64(s.len() as i64).into()], "")?;
        Ok(())
    }

    /// Prints an item of a container as Python does: strings by their `repr`.
    pub(crate) fn print_item(&mut self, v: Value<'ctx>, ty: &Type) -> Result<()> {
        match ty {
            Type::Str => self.print_unicode(v.into_pointer_value(), true),
            Type::Bytes => self.print_bytes(v.into_pointer_value()),
            _ => self.print_value(v, ty),
        }
    }

    pub(crate) fn print_value(&mut self, v: Value<'ctx>, ty: &Type) -> Result<()> {
        let cx = self.cx;
        let (i64t, f64t) = (cx.i64_type(), cx.f64_type());
        match ty {
            Type::Bool => {
                let byte = self.b.build_int_z_extend(v.into_int_value(), cx.i8_type(), "b")?;
                let f = self.extern_fn("ferrojit_rt_print_bool", None, &[cx.i8_type().into()]);
                self.b.build_call(f, &[byte.into()], "")?;
            }
            Type::Int(i) => {
                let wide = self.cast(v, ty, &Type::Int(IntType { bits: 64, signed: i.signed }))?;
                let name = if i.signed { "ferrojit_rt_print_i64" } else { "ferrojit_rt_print_u64" };
                let f = self.extern_fn(name, None, &[i64t.into()]);
                self.b.build_call(f, &[wide.into()], "")?;
            }
            Type::Float(FloatType::F32) => {
                let f = self.extern_fn("ferrojit_rt_print_f32", None, &[cx.f32_type().into()]);
                self.b.build_call(f, &[v.into()], "")?;
            }
            Type::Float(FloatType::F64) => {
                let f = self.extern_fn("ferrojit_rt_print_f64", None, &[f64t.into()]);
                self.b.build_call(f, &[v.into()], "")?;
            }
            Type::Complex(f) => {
                let single = i64t.const_int((*f == FloatType::F32) as u64, false);
                let wide = self.cast(v, ty, &Type::COMPLEX128)?;
                let (re, im) = self.parts(wide)?;
                let f = self.extern_fn("ferrojit_rt_print_complex", None, &[f64t.into(), f64t.into(), i64t.into()]);
                self.b.build_call(f, &[re.into(), im.into(), single.into()], "")?;
            }
            Type::NoneType => {
                let f = self.extern_fn("ferrojit_rt_print_none", None, &[]);
                self.b.build_call(f, &[], "")?;
            }
            Type::List(item) => self.print_list(v.into_pointer_value(), item)?,
            Type::Str => self.print_unicode(v.into_pointer_value(), false)?,
            Type::Bytes => self.print_bytes(v.into_pointer_value())?,
            Type::Array(_) | Type::Record(_) | Type::Datetime(_) | Type::Timedelta(_) | Type::Dict(..) | Type::Set(_) | Type::Function(_) | Type::Generator(_) | Type::Exception | Type::ExceptionArgs | Type::NotImplemented | Type::Instance(_) | Type::Class(_) => return Err(CodegenError(format!("printing a `{ty}` reached codegen"))),
            // `None`, or the value.
            Type::Optional(inner) => {
                let present = self.b.build_extract_value(v.into_struct_value(), 0, "present")?.into_int_value();
                let (some, none, done) = (self.bb("print.some"), self.bb("print.none"), self.bb("print.done"));
                self.b.build_conditional_branch(present, some, none)?;
                self.b.position_at_end(some);
                let x = self.b.build_extract_value(v.into_struct_value(), 1, "value")?;
                self.print_value(x, inner)?;
                self.b.build_unconditional_branch(done)?;
                self.b.position_at_end(none);
                self.print_value(v, &Type::NoneType)?;
                self.b.build_unconditional_branch(done)?;
                self.b.position_at_end(done);
            }
            Type::Tuple(items) => {
                self.print_str("(")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.print_str(", ")?;
                    }
                    let x = self.b.build_extract_value(v.into_struct_value(), i as u32, "item")?;
                    self.print_item(x, item)?;
                }
                self.print_str(if items.len() == 1 { ",)" } else { ")" })?;
            }
            // The class's `__repr__`: `Point(x=1, y=2.5)`.
            Type::NamedTuple(n) => {
                self.print_str(&format!("{}(", n.name))?;
                for (i, (item, field)) in n.items.iter().zip(&n.fields).enumerate() {
                    self.print_str(&format!("{}{field}=", if i > 0 { ", " } else { "" }))?;
                    let x = self.b.build_extract_value(v.into_struct_value(), i as u32, "item")?;
                    self.print_item(x, item)?;
                }
                self.print_str(")")?;
            }
        }
        Ok(())
    }
}

/// Adds (`incref`) or drops a reference to every heap value inside `v` (its
/// [`Type::heap_parts`]) through the runtime (which skips null and borrowed values and frees
/// with the last reference). Calls rather than inline counting: inline, each site's branches
/// made the function's IR larger and the whole compilation 15-20% slower, for 1-2 ns per site
/// at run time.
pub(crate) fn count_references<'ctx>(cx: &'ctx Context, module: &Module<'ctx>, b: &Builder<'ctx>, v: Value<'ctx>, ty: &Type, incref: bool) -> Result<()> {
    let ptr = cx.ptr_type(AddressSpace::default());
    let name = if incref { "ferrojit_rt_incref" } else { "ferrojit_rt_decref" };
    let f = module.get_function(name).unwrap_or_else(|| module.add_function(name, cx.void_type().fn_type(&[ptr.into()], false), Some(Linkage::External)));
    for part in ty.heap_parts() {
        let mut x = v;
        for &i in &part.path {
            x = b.build_extract_value(x.into_struct_value(), i as u32, "item")?;
        }
        let meminfo = match part.kind {
            HeapKind::Array => b.build_extract_value(x.into_struct_value(), 0, "meminfo")?.into_pointer_value(),
            HeapKind::List | HeapKind::Dict | HeapKind::Str | HeapKind::Generator | HeapKind::Instance => x.into_pointer_value(),
        };
        b.build_call(f, &[meminfo.into()], "")?;
    }
    Ok(())
}

fn float_predicate(op: CmpOp) -> Result<FloatPredicate> {
    Ok(match op {
        CmpOp::Eq => FloatPredicate::OEQ,
        CmpOp::NotEq => FloatPredicate::UNE,
        CmpOp::Lt => FloatPredicate::OLT,
        CmpOp::LtE => FloatPredicate::OLE,
        CmpOp::Gt => FloatPredicate::OGT,
        CmpOp::GtE => FloatPredicate::OGE,
        _ => return Err(CodegenError(format!("comparison {op:?} reached codegen"))),
    })
}

/// Whether a loop whose body is `body` may be left by its own statements: a `break` of this
/// loop (not of a loop inside it), a `return` or a `raise` anywhere in it.
fn leaves_loop_early(body: &[ir::Stmt]) -> bool {
    fn walk(stmts: &[ir::Stmt], nested: bool) -> bool {
        stmts.iter().any(|s| match &s.kind {
            StmtKind::Break => !nested,
            StmtKind::Return(_) | StmtKind::Raise { .. } | StmtKind::Reraise => true,
            StmtKind::While { body, orelse, .. } | StmtKind::ForRange { body, orelse, .. } => walk(body, true) || walk(orelse, nested),
            kind => kind.blocks().into_iter().any(|b| walk(b, nested)),
        })
    }
    walk(body, false)
}
