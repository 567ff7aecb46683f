//! Generator functions, lowered as state machines (Numba's approach, `numba/core/generators.py`).
//!
//! A generator function `S` (one whose body yields, see `ir::Function::yields`) becomes five
//! LLVM functions:
//! - `S` itself, with the usual convention, makes a generator: a meminfo whose data is the
//!   generator's *state*, `{drop, next_entry, adopt, resume, locals...}` (zeroed by the
//!   runtime, see
//!   `ferrojit_rt_generator_new`), with each argument stored, and retained, in its
//!   parameter's field. Calling a generator function runs none of its body, as in Python.
//! - `S.next`, `i32 (ptr ret, ptr exc, ptr state)`, resumes it: it loads every local from the
//!   state into its own `alloca`s (which `mem2reg` turns into registers, as in any function),
//!   then switches on `resume`: 0 starts the body, `k` continues after the `k`-th `yield`,
//!   `k` plus `ferrojit_runtime::GENERATOR_THROWING` raises the exception thrown into it
//!   (`g.throw(...)`, `g.close()` from Python) at that `yield` (before the body for 0),
//!   anything else (-1: finished) returns `STATUS_FINISHED` at once. A `yield` stores its value
//!   at `ret`, saves every local back into the state, sets `resume` and returns 0. A `return`,
//!   the end of the body, or an exception leaves through the exit block as any function does,
//!   releasing the locals' references, with `resume` left at -1 (set on entry: a generator
//!   running, or finished, holds nothing in its state), so later resumptions find it
//!   finished. An exception is the caller's (`next()` raises it, as in Python); a
//!   `StopIteration` escaping the body becomes CPython's `RuntimeError` (PEP 479).
//! - `S.drop`, run on the state when its last reference goes: a generator suspended at a
//!   `yield` inside a `try` statement is first closed as CPython closes it (`S.next` raises
//!   `GeneratorExit` there, see `drop_function`); then a suspended generator (`resume >= 0`:
//!   not started, or at a `yield`) releases the references its owned locals and kept slots
//!   hold (its parameters among them); a finished one holds none.
//! - `S.next_entry`, `S.next` over the slot buffers of a root's entry point: what Python calls
//!   to resume a generator returned to it (its address is in the state).
//! - `S.adopt`, run on a suspended generator's state when it is returned to Python: the arrays
//!   its owned locals borrow from the call's arguments (ndarrays, which Python may free once the
//!   call returns) become arrays holding a reference to their ndarray, and so, in turn, do
//!   those of the generators it holds (see `ferrojit_rt_generator_adopt`).
//!
//! Resuming jumps into the middle of the body, so whatever a suspended generator needs must
//! live in locals, or in the slots kept after them in the state (the exceptions a handler or
//! `finally` block keeps aside, see `Frame::kept`): the `generators` IR pass turns the counted loops a `yield` suspends into
//! `while` loops over locals; scratch arrays (`FnLower::keep_scratch_array`) are released at
//! each suspension, since nothing after a statement reads them. The switch makes loops with a
//! `yield` irreducible, so LLVM optimises them less than ordinary loops; loops that do not
//! yield keep their usual code.
//!
//! A generator is consumed by [`ir::ExprKind::Resume`], a call of `S.next` (hence the
//! generator function is compiled into every module that resumes its generators: it counts as
//! a callee there, see `ir::Function::callees`).

use crate::abi::llvm_type;
use crate::lower::FnLower;
use crate::{CodegenError, Result};
use ferrojit_ir::{self as ir, ExcKind};
use ferrojit_runtime::memory::DATA_OFFSET;
use ferrojit_types::{HeapKind, Type};
use inkwell::basic_block::BasicBlock;
use inkwell::module::Linkage;
use inkwell::types::{BasicType, BasicTypeEnum, StructType};
use inkwell::values::{BasicValue, BasicValueEnum, FunctionValue, IntValue, PointerValue};
use inkwell::{AddressSpace, IntPredicate};
use std::collections::HashMap;

/// The field of a generator's state holding where to resume (after its `drop`, `next_entry`
/// and `adopt`, `ferrojit_runtime::memory::GENERATOR_HEADER` bytes, where the runtime finds it
/// to throw); each local `i` is field `FIRST_LOCAL + i`.
const RESUME: u32 = 3;
const FIRST_LOCAL: u32 = 4;

/// Added to a suspended generator's `resume` by its `drop` to close it: `S.next` then raises
/// `GeneratorExit` at the `yield` it is suspended at instead of resuming after it.
const CLOSING: u64 = 1 << 32;

/// What lowering a generator's `next` keeps.
pub(crate) struct Frame<'ctx> {
    /// Per `yield`, in order: the block that suspends there (filled once every scratch array
    /// is known), the block resuming after it, the block raising there the exception thrown
    /// into the generator (`g.throw(...)`, see `ferrojit_runtime::GENERATOR_THROWING`) and, for
    /// a `yield` inside a `try` statement, the block raising `GeneratorExit` there when the
    /// generator is closed.
    suspensions: Vec<Suspension<'ctx>>,
    /// Slots lowering keeps beside the locals that must outlive a suspension, saved in the
    /// state after the locals: the exceptions handlers and `finally` blocks keep aside (see
    /// `FnLower::save_exception`), each slot with its LLVM type and, when it holds
    /// references, the type they are released as.
    pub(crate) kept: Vec<(PointerValue<'ctx>, BasicTypeEnum<'ctx>, Option<Type>)>,
}

/// The blocks of one `yield` (see `Frame::suspensions`).
struct Suspension<'ctx> {
    suspend: BasicBlock<'ctx>,
    resume_at: BasicBlock<'ctx>,
    throw: BasicBlock<'ctx>,
    close: Option<BasicBlock<'ctx>>,
    /// The `yield` of a `yield from` (a loop over the inner iterator): it refuses exceptions
    /// thrown into it (see `ferrojit_runtime::STATUS_THROW_REFUSED`).
    delegating: bool,
}

/// Whether `value`, yielded, is the item of a `yield from` (the hidden variable the syntax
/// lowering names `yield_from'N`, see `ast::YIELD_FROM_ITEM`).
fn yields_delegated_item(f: &ir::Function, value: &ir::Expr) -> bool {
    match &value.kind {
        ir::ExprKind::Local(id) => f.locals[*id].name.strip_prefix(ir::YIELD_FROM_ITEM).is_some_and(|rest| rest.starts_with('\'')),
        ir::ExprKind::Cast(inner) => yields_delegated_item(f, inner),
        _ => false,
    }
}

/// The slots of a generator's state after its locals (see `Frame::kept`): their LLVM types
/// and the types their references are released as.
type Kept<'ctx> = Vec<(BasicTypeEnum<'ctx>, Option<Type>)>;

/// The LLVM struct of a generator's state: the header, the locals, then the slots `kept`.
fn state_type<'ctx>(cx: &'ctx inkwell::context::Context, f: &ir::Function, kept: &Kept<'ctx>) -> StructType<'ctx> {
    let ptr = cx.ptr_type(AddressSpace::default());
    let mut fields: Vec<BasicTypeEnum> = vec![ptr.into(), ptr.into(), ptr.into(), cx.i64_type().into()];
    fields.extend(f.locals.iter().map(|l| llvm_type(cx, &l.ty)));
    fields.extend(kept.iter().map(|(t, _)| *t));
    cx.struct_type(&fields, false)
}

/// The symbols of a generator function's other functions (see the module documentation).
pub(crate) fn next_symbol(f: &ir::Function) -> String {
    format!("{}.next", f.symbol)
}

/// Lowers generator function `f` (see the module documentation); `make` is its declared
/// function, `next` its declared `S.next`; `host` puts the host's attributes on a function.
pub(crate) fn lower_generator<'ctx>(
    cx: &'ctx inkwell::context::Context,
    module: &inkwell::module::Module<'ctx>,
    f: &ir::Function,
    fns: &HashMap<String, FunctionValue<'ctx>>,
    vector_isas: &[crate::lower::VectorIsa],
    options: &crate::Options,
    host: &dyn Fn(FunctionValue<'ctx>),
) -> Result<()> {
    let (make, next) = (fns[&f.symbol], fns[&next_symbol(f)]);
    let yield_ty = f.yields().expect("a generator function").clone();
    let (kept, closing) = FnLower::new(cx, module, next, f, fns, vector_isas, options)?.lower_resumable()?;
    let drop = drop_function(cx, module, f, &kept, next, &closing)?;
    host(drop);
    let adopt = adopt_function(cx, module, f)?;
    host(adopt);
    let next_entry = crate::abi::entry_wrapper(cx, module, next, &[f.ret.clone()], &yield_ty, &format!("{}.next_entry", f.symbol))?;
    next_entry.set_linkage(Linkage::Internal);
    host(next_entry);
    FnLower::new(cx, module, make, f, fns, vector_isas, options)?.lower_generator_maker(drop, next_entry, adopt, &kept)
}

/// `void S.adopt(ptr data)`: adopts what a suspended generator's owned locals borrow (see the
/// module documentation).
fn adopt_function<'ctx>(cx: &'ctx inkwell::context::Context, module: &inkwell::module::Module<'ctx>, f: &ir::Function) -> Result<FunctionValue<'ctx>> {
    let ptr = cx.ptr_type(AddressSpace::default());
    let function = module.add_function(&format!("{}.adopt", f.symbol), cx.void_type().fn_type(&[ptr.into()], false), Some(Linkage::Internal));
    let b = cx.create_builder();
    let entry = cx.append_basic_block(function, "entry");
    let (adopt, done) = (cx.append_basic_block(function, "adopt"), cx.append_basic_block(function, "done"));
    b.position_at_end(entry);
    let data = function.get_nth_param(0).expect("one parameter").into_pointer_value();
    let state_ty = state_type(cx, f, &Vec::new());
    let resume = b.build_load(cx.i64_type(), b.build_struct_gep(state_ty, data, RESUME, "resume")?, "resume")?.into_int_value();
    let suspended = b.build_int_compare(IntPredicate::SGE, resume, cx.i64_type().const_zero(), "suspended")?;
    b.build_conditional_branch(suspended, adopt, done)?;
    b.position_at_end(adopt);
    let declare = |name: &str, ret: Option<BasicTypeEnum<'ctx>>| {
        module.get_function(name).unwrap_or_else(|| {
            let ty = match ret {
                Some(r) => r.fn_type(&[ptr.into()], false),
                None => cx.void_type().fn_type(&[ptr.into()], false),
            };
            module.add_function(name, ty, Some(Linkage::External))
        })
    };
    let adopt_array = declare("ferrojit_rt_own_array", Some(ptr.into()));
    let adopt_generator = declare("ferrojit_rt_generator_adopt", None);
    let owned = &f.ownership.as_ref().ok_or_else(|| CodegenError(format!("{}: the ownership pass has not run", f.name)))?.owned;
    for &i in owned {
        let ty = &f.locals[i].ty;
        let parts: Vec<_> = ty.heap_parts().into_iter().filter(|p| matches!(p.kind, HeapKind::Array | HeapKind::Generator)).collect();
        if parts.is_empty() {
            continue;
        }
        let field = b.build_struct_gep(state_ty, data, FIRST_LOCAL + i as u32, "held")?;
        let mut value = b.build_load(llvm_type(cx, ty), field, "held")?;
        for part in parts {
            match part.kind {
                HeapKind::Generator => {
                    let state = extract_path(&b, value, &part.path)?;
                    b.build_call(adopt_generator, &[state.into()], "")?;
                }
                _ => {
                    // An array's meminfo is its first field.
                    let mut path = part.path.clone();
                    path.push(0);
                    let meminfo = extract_path(&b, value, &path)?;
                    let adopted = b.build_call(adopt_array, &[meminfo.into()], "adopted")?.try_as_basic_value().basic().expect("a pointer");
                    value = insert_path(&b, value, &path, adopted)?;
                }
            }
        }
        b.build_store(field, value)?;
    }
    b.build_unconditional_branch(done)?;
    b.position_at_end(done);
    b.build_return(None)?;
    Ok(function)
}

/// The part of aggregate `value` at `path` (struct indices, outermost first).
fn extract_path<'ctx>(b: &inkwell::builder::Builder<'ctx>, value: BasicValueEnum<'ctx>, path: &[usize]) -> Result<BasicValueEnum<'ctx>> {
    let mut x = value;
    for &i in path {
        x = b.build_extract_value(x.into_struct_value(), i as u32, "part")?;
    }
    Ok(x)
}

/// `value` with its part at `path` replaced by `part`.
fn insert_path<'ctx>(b: &inkwell::builder::Builder<'ctx>, value: BasicValueEnum<'ctx>, path: &[usize], part: BasicValueEnum<'ctx>) -> Result<BasicValueEnum<'ctx>> {
    let Some((&first, rest)) = path.split_first() else { return Ok(part) };
    let aggregate = value.into_struct_value();
    let inner = b.build_extract_value(aggregate, first as u32, "part")?;
    let replaced = insert_path(b, inner, rest, part)?;
    Ok(b.build_insert_value(aggregate, replaced, first as u32, "replaced")?.into_struct_value().into())
}

/// `void S.drop(ptr data)`: closes a generator suspended inside a `try` statement (the
/// `yield`s `closing`, numbered from 1 as `resume` numbers them) as CPython's `close()` does:
/// `S.next` raises `GeneratorExit` at that `yield`, so that its handlers and `finally` blocks
/// run; an exception other than `GeneratorExit` leaving it, or a `yield` (CPython's
/// `RuntimeError`), is reported as unraisable (`ferrojit_rt_generator_closed`), as CPython's
/// finalizer reports it (the message of an exception being raised around the drop is kept
/// meanwhile: `ferrojit_rt_generator_close_begin`). Then releases what a generator still suspended holds in its owned
/// locals and kept slots.
fn drop_function<'ctx>(cx: &'ctx inkwell::context::Context, module: &inkwell::module::Module<'ctx>, f: &ir::Function, kept: &Kept<'ctx>, next: FunctionValue<'ctx>, closing: &[u64]) -> Result<FunctionValue<'ctx>> {
    let ptr = cx.ptr_type(AddressSpace::default());
    let (i32t, i64t) = (cx.i32_type(), cx.i64_type());
    let function = module.add_function(&format!("{}.drop", f.symbol), cx.void_type().fn_type(&[ptr.into()], false), Some(Linkage::Internal));
    let b = cx.create_builder();
    let entry = cx.append_basic_block(function, "entry");
    let (check, release, done) = (cx.append_basic_block(function, "check"), cx.append_basic_block(function, "release"), cx.append_basic_block(function, "done"));
    b.position_at_end(entry);
    let data = function.get_nth_param(0).expect("one parameter").into_pointer_value();
    let state_ty = state_type(cx, f, kept);
    let resume_field = b.build_struct_gep(state_ty, data, RESUME, "resume.field")?;
    if closing.is_empty() {
        b.build_unconditional_branch(check)?;
    } else {
        let close = cx.append_basic_block(function, "close");
        let resume = b.build_load(i64t, resume_field, "resume")?.into_int_value();
        let cases: Vec<_> = closing.iter().map(|&k| (i64t.const_int(k, false), close)).collect();
        b.build_switch(resume, check, &cases)?;
        b.position_at_end(close);
        let closed = b.build_int_add(resume, i64t.const_int(CLOSING, false), "closing")?;
        b.build_store(resume_field, closed)?;
        let yield_ty = f.yields().expect("a generator function").clone();
        let item_ty = llvm_type(cx, &yield_ty);
        let item = b.build_alloca(item_ty, "item")?;
        b.build_store(item, item_ty.const_zero())?;
        let exc_ty = cx.struct_type(&[i32t.into(), ptr.into(), i64t.into()], false);
        let exc = b.build_alloca(exc_ty, "exc")?;
        b.build_store(exc, exc_ty.const_zero())?;
        let begin = module.get_function("ferrojit_rt_generator_close_begin").unwrap_or_else(|| module.add_function("ferrojit_rt_generator_close_begin", ptr.fn_type(&[], false), Some(Linkage::External)));
        let saved = b.build_call(begin, &[], "saved")?.try_as_basic_value().basic().expect("a pointer");
        // SAFETY: the state is a meminfo's data.
        let meminfo = unsafe { b.build_in_bounds_gep(cx.i8_type(), data, &[i64t.const_int((-(DATA_OFFSET as i64)) as u64, true)], "meminfo")? };
        let status = b.build_call(next, &[item.into(), exc.into(), meminfo.into()], "status")?.try_as_basic_value().basic().expect("a status").into_int_value();
        // A value yielded is the caller's: dropped here.
        let value = b.build_load(item_ty, item, "yielded")?;
        crate::lower::count_references(cx, module, &b, value, &yield_ty, false)?;
        let report = module.get_function("ferrojit_rt_generator_closed").unwrap_or_else(|| module.add_function("ferrojit_rt_generator_closed", cx.void_type().fn_type(&[i32t.into(), ptr.into(), ptr.into(), i64t.into(), ptr.into()], false), Some(Linkage::External)));
        let name = b.build_global_string_ptr(&f.name, "generator.name")?.as_pointer_value();
        b.build_call(report, &[status.into(), exc.into(), name.into(), i64t.const_int(f.name.len() as u64, false).into(), saved.into()], "")?;
        b.build_unconditional_branch(check)?;
    }
    b.position_at_end(check);
    let resume = b.build_load(i64t, resume_field, "resume")?.into_int_value();
    let suspended = b.build_int_compare(IntPredicate::SGE, resume, i64t.const_zero(), "suspended")?;
    b.build_conditional_branch(suspended, release, done)?;
    b.position_at_end(release);
    let owned = &f.ownership.as_ref().ok_or_else(|| CodegenError(format!("{}: the ownership pass has not run", f.name)))?.owned;
    for &i in owned {
        let ty = &f.locals[i].ty;
        let field = b.build_struct_gep(state_ty, data, FIRST_LOCAL + i as u32, "held")?;
        let value = b.build_load(llvm_type(cx, ty), field, "held")?;
        crate::lower::count_references(cx, module, &b, value, ty, false)?;
    }
    for (j, (llvm, ty)) in kept.iter().enumerate() {
        let Some(ty) = ty else { continue };
        let field = b.build_struct_gep(state_ty, data, FIRST_LOCAL + (f.locals.len() + j) as u32, "kept")?;
        let value = b.build_load(*llvm, field, "kept")?;
        crate::lower::count_references(cx, module, &b, value, ty, false)?;
    }
    b.build_unconditional_branch(done)?;
    b.position_at_end(done);
    b.build_return(None)?;
    Ok(function)
}

impl<'ctx> FnLower<'ctx, '_> {
    /// The body of `S.next` (see the module documentation); returns the slots kept in the
    /// state after the locals (see `Frame::kept`).
    pub(crate) fn lower_resumable(mut self) -> Result<(Kept<'ctx>, Vec<u64>)> {
        let ownership = self.ir.ownership.clone().ok_or_else(|| CodegenError(format!("{}: the ownership pass has not run", self.ir.name)))?;
        let cx = self.cx;
        let i64t = cx.i64_type();
        let meminfo = self.f.get_nth_param(2).expect("the state").into_pointer_value();
        // SAFETY: a generator's meminfo has its state as data.
        let data = unsafe { self.b.build_in_bounds_gep(cx.i8_type(), meminfo, &[self.i64(DATA_OFFSET as i64)], "state")? };
        let state_ty = state_type(cx, self.ir, &Vec::new());
        let resume_field = self.b.build_struct_gep(state_ty, data, RESUME, "resume.field")?;
        let resume = self.b.build_load(i64t, resume_field, "resume")?.into_int_value();
        self.b.build_store(resume_field, i64t.const_all_ones())?;
        for (i, local) in self.ir.locals.iter().enumerate() {
            let field = self.b.build_struct_gep(state_ty, data, FIRST_LOCAL + i as u32, "saved")?;
            let value = self.b.build_load(llvm_type(cx, &local.ty), field, "saved")?;
            self.b.build_store(self.locals[i], value)?;
        }
        let dispatch = self.b.get_insert_block().expect("in the entry block");
        let (start, finished) = (self.bb("start"), self.bb("finished"));
        self.generator = Some(Frame { suspensions: Vec::new(), kept: Vec::new() });
        self.b.position_at_end(start);
        let ir = self.ir;
        self.block(&ir.body)?;
        self.br(self.exit)?;
        // Thrown into before it started: the exception is raised before the first line, where
        // nothing catches it, as in CPython.
        let throw_at_start = self.bb("throw.start");
        self.b.position_at_end(throw_at_start);
        self.raise_thrown()?;
        self.leave_with_exception()?;
        // The exit block: release what the owned locals and scratch arrays hold (PEP 479 turns
        // a `StopIteration` raised inside into a `RuntimeError`), return the status.
        self.b.position_at_end(self.exit);
        let mut held: Vec<(PointerValue<'ctx>, Type)> = ownership.owned.iter().map(|&i| (self.locals[i], self.ir.locals[i].ty.clone())).collect();
        held.extend(self.scratch_arrays.iter().cloned());
        let kept_slots = self.generator.as_ref().expect("set above").kept.clone();
        held.extend(kept_slots.iter().filter_map(|(slot, _, ty)| ty.clone().map(|ty| (*slot, ty))));
        for (slot, ty) in &held {
            let v = self.b.build_load(llvm_type(cx, ty), *slot, "held")?;
            self.refcount(v, ty, false)?;
        }
        let status = self.b.build_load(cx.i32_type(), self.status, "status")?.into_int_value();
        self.stop_iteration_to_runtime_error(status)?;
        self.b.build_return(Some(&status))?;
        self.b.position_at_end(finished);
        self.b.build_return(Some(&cx.i32_type().const_int(ferrojit_runtime::STATUS_FINISHED as u64, false)))?;
        // Each suspension: save every local and kept slot, release the scratch arrays, note
        // where to resume.
        let frame = self.generator.take().expect("set above");
        let kept: Kept<'ctx> = frame.kept.iter().map(|(_, llvm, ty)| (*llvm, ty.clone())).collect();
        let state_ty = state_type(cx, self.ir, &kept);
        let first_kept = FIRST_LOCAL as usize + self.ir.locals.len();
        let kept_field = move |j: usize| (first_kept + j) as u32;
        let throwing = |point: u64| i64t.const_int(point + ferrojit_runtime::GENERATOR_THROWING as u64, false);
        let mut cases = vec![(i64t.const_zero(), start), (throwing(0), throw_at_start)];
        let mut closing = Vec::new();
        for (k, Suspension { suspend, resume_at, throw, close, delegating }) in frame.suspensions.iter().enumerate() {
            self.b.position_at_end(*suspend);
            for (i, local) in self.ir.locals.iter().enumerate() {
                let value = self.b.build_load(llvm_type(cx, &local.ty), self.locals[i], "live")?;
                let field = self.b.build_struct_gep(state_ty, data, FIRST_LOCAL + i as u32, "saved")?;
                self.b.build_store(field, value)?;
            }
            for (j, (slot, llvm, _)) in frame.kept.iter().enumerate() {
                let value = self.b.build_load(*llvm, *slot, "live")?;
                let field = self.b.build_struct_gep(state_ty, data, kept_field(j), "saved")?;
                self.b.build_store(field, value)?;
            }
            for (slot, ty) in self.scratch_arrays.clone() {
                let llvm = llvm_type(cx, &ty);
                let v = self.b.build_load(llvm, slot, "scratch")?;
                self.refcount(v, &ty, false)?;
                self.b.build_store(slot, llvm.const_zero())?;
            }
            let point = i64t.const_int(k as u64 + 1, false);
            self.b.build_store(resume_field, point)?;
            self.b.build_return(Some(&cx.i32_type().const_zero()))?;
            cases.push((point, *resume_at));
            if *delegating {
                // Refused: back to where it was suspended, its state untouched.
                let (check, refuse) = (self.bb("throw.check"), self.bb("throw.refused"));
                self.b.position_at_end(check);
                let refuses = self.extern_fn("ferrojit_rt_generator_refuses_throw", Some(cx.i32_type().into()), &[]);
                let refused = self.b.build_call(refuses, &[], "refused")?.try_as_basic_value().basic().expect("an i32").into_int_value();
                let refused = self.b.build_int_compare(IntPredicate::NE, refused, cx.i32_type().const_zero(), "refused")?;
                self.b.build_conditional_branch(refused, refuse, *throw)?;
                self.b.position_at_end(refuse);
                self.b.build_store(resume_field, point)?;
                self.b.build_return(Some(&cx.i32_type().const_int(ferrojit_runtime::STATUS_THROW_REFUSED as u64, false)))?;
                cases.push((throwing(k as u64 + 1), check));
            } else {
                cases.push((throwing(k as u64 + 1), *throw));
            }
            if let Some(close) = close {
                closing.push(k as u64 + 1);
                cases.push((i64t.const_int(k as u64 + 1 + CLOSING, false), *close));
            }
        }
        // Resuming, the kept slots are loaded as the locals are (in the entry block, after
        // the slots' zeroing).
        self.b.position_at_end(dispatch);
        for (j, (slot, llvm, _)) in frame.kept.iter().enumerate() {
            let field = self.b.build_struct_gep(state_ty, data, kept_field(j), "saved")?;
            let value = self.b.build_load(*llvm, field, "saved")?;
            self.b.build_store(*slot, value)?;
        }
        self.b.build_switch(resume, finished, &cases)?;
        self.close_open_blocks()?;
        Ok((kept, closing))
    }

    /// The exception of a `StopIteration` escaping a generator's body is CPython's
    /// `RuntimeError` (PEP 479), the `StopIteration` its cause: a `next()` of an exhausted
    /// iterator inside a generator must not look like the generator's own end.
    fn stop_iteration_to_runtime_error(&mut self, status: IntValue<'ctx>) -> Result<()> {
        let cx = self.cx;
        let exc_ty = cx.struct_type(&[cx.i32_type().into(), cx.ptr_type(AddressSpace::default()).into(), cx.i64_type().into()], false);
        let raised = self.b.build_int_compare(IntPredicate::EQ, status, cx.i32_type().const_int(ferrojit_runtime::STATUS_EXCEPTION as u64, false), "raised")?;
        let (check, rewrite, done) = (self.bb("raised"), self.bb("pep479"), self.bb("status"));
        self.b.build_conditional_branch(raised, check, done)?;
        self.b.position_at_end(check);
        let kind_field = self.b.build_struct_gep(exc_ty, self.exc(), 0, "exc.kind")?;
        let kind = self.b.build_load(cx.i32_type(), kind_field, "kind")?.into_int_value();
        let stop = self.b.build_int_compare(IntPredicate::EQ, kind, cx.i32_type().const_int(ExcKind::StopIteration.code() as u64, false), "stop")?;
        self.b.build_conditional_branch(stop, rewrite, done)?;
        self.b.position_at_end(rewrite);
        let pep479 = self.extern_fn("ferrojit_rt_generator_raised_stop_iteration", None, &[cx.ptr_type(AddressSpace::default()).into()]);
        self.b.build_call(pep479, &[self.exc().into()], "")?;
        self.b.build_unconditional_branch(done)?;
        self.b.position_at_end(done);
        Ok(())
    }

    /// `yield value`: hands the value over and suspends (see [`Self::lower_resumable`]).
    pub(crate) fn yield_value(&mut self, value: &ir::Expr) -> Result<()> {
        let v = self.expr(value)?;
        self.b.build_store(self.ret_ptr, v)?;
        let (suspend, resume_at) = (self.bb("suspend"), self.bb("resume"));
        self.b.build_unconditional_branch(suspend)?;
        // Inside a `try` statement, closing the generator here raises `GeneratorExit` into
        // it (see `drop_function`); elsewhere nothing could see it, and `drop` only releases.
        let close = if self.in_try() {
            let close = self.bb("close");
            self.b.position_at_end(close);
            self.raise_into_info(ExcKind::GeneratorExit, "")?;
            self.leave_with_exception()?;
            Some(close)
        } else {
            None
        };
        // `g.throw(...)` raises its exception here, to the handlers around the `yield`.
        let throw = self.bb("throw");
        self.b.position_at_end(throw);
        self.raise_thrown()?;
        self.leave_with_exception()?;
        let delegating = yields_delegated_item(self.ir, value);
        self.generator.as_mut().ok_or_else(|| CodegenError("yield outside a generator".into()))?.suspensions.push(Suspension { suspend, resume_at, throw, close, delegating });
        self.b.position_at_end(resume_at);
        Ok(())
    }

    /// Fills the exception info with the exception thrown into the generator
    /// (`ferrojit_rt_generator_thrown`).
    fn raise_thrown(&self) -> Result<()> {
        let thrown = self.extern_fn("ferrojit_rt_generator_thrown", None, &[self.cx.ptr_type(AddressSpace::default()).into()]);
        self.b.build_call(thrown, &[self.exc().into()], "")?;
        Ok(())
    }

    /// The body of `S` itself: a new state holding the arguments.
    pub(crate) fn lower_generator_maker(mut self, drop: FunctionValue<'ctx>, next_entry: FunctionValue<'ctx>, adopt: FunctionValue<'ctx>, kept: &Kept<'ctx>) -> Result<()> {
        let cx = self.cx;
        let ptr = cx.ptr_type(AddressSpace::default());
        let state_ty = state_type(cx, self.ir, kept);
        let size = state_ty.size_of().ok_or_else(|| CodegenError("a generator state without a size".into()))?;
        let new = self.extern_fn("ferrojit_rt_generator_new", Some(ptr.into()), &[cx.i64_type().into(), ptr.into(), ptr.into(), ptr.into()]);
        let pointer = |f: FunctionValue<'ctx>| f.as_global_value().as_pointer_value().into();
        let args = [size.into(), pointer(drop), pointer(next_entry), pointer(adopt)];
        let meminfo = self.b.build_call(new, &args, "generator")?.try_as_basic_value().basic().expect("a pointer").into_pointer_value();
        let failed = self.b.build_is_null(meminfo, "failed")?;
        let (fail, made) = (self.bb("no.memory"), self.bb("made"));
        self.branch_rarely(failed, fail, made)?;
        self.b.position_at_end(fail);
        self.raise_into_info(ExcKind::MemoryError, "cannot allocate a generator")?;
        self.b.build_return(Some(&cx.i32_type().const_int(ferrojit_runtime::STATUS_EXCEPTION as u64, false)))?;
        self.b.position_at_end(made);
        // SAFETY: the meminfo's data is the state.
        let data = unsafe { self.b.build_in_bounds_gep(cx.i8_type(), meminfo, &[self.i64(DATA_OFFSET as i64)], "state")? };
        for i in 0..self.ir.num_params {
            let arg: BasicValueEnum = self.f.get_nth_param(2 + i as u32).expect("a parameter");
            let ty = self.ir.locals[i].ty.clone();
            let value = self.cast(arg, &self.ir.arg_types[i].clone(), &ty)?;
            // The state owns a reference to each argument (the caller keeps its own).
            self.refcount(value, &ty, true)?;
            let field = self.b.build_struct_gep(state_ty, data, FIRST_LOCAL + i as u32, "param")?;
            self.b.build_store(field, value)?;
        }
        self.b.build_store(self.ret_ptr, meminfo.as_basic_value_enum())?;
        self.b.build_return(Some(&cx.i32_type().const_zero()))?;
        // The function's exit block (unused: nothing here leaves through it).
        self.b.position_at_end(self.exit);
        self.b.build_return(Some(&cx.i32_type().const_int(ferrojit_runtime::STATUS_EXCEPTION as u64, false)))?;
        self.close_open_blocks()
    }

    /// `resume(generator)`: `S.next` of the generator's type (see `ir::ExprKind::Resume`).
    pub(crate) fn resume(&mut self, generator: &ir::Expr, ty: &Type) -> Result<BasicValueEnum<'ctx>> {
        let cx = self.cx;
        let Type::Generator(g) = &generator.ty else { return Err(CodegenError(format!("resuming a `{}`", generator.ty))) };
        let next = *self.fns.get(&g.next_symbol()).ok_or_else(|| CodegenError(format!("the generator function `{}` is not in the module", g.symbol)))?;
        let state = self.expr(generator)?;
        let item_ty = llvm_type(cx, &g.yield_ty);
        let slot = self.entry_alloca(item_ty, "yielded")?;
        // A finished generator writes nothing: the item reads as zero (no reference).
        self.b.build_store(slot, item_ty.const_zero())?;
        let status = self.b.build_call(next, &[slot.into(), self.exc().into(), state.into()], "status")?.try_as_basic_value().basic().expect("a status").into_int_value();
        let raised = self.b.build_int_compare(IntPredicate::EQ, status, cx.i32_type().const_int(ferrojit_runtime::STATUS_EXCEPTION as u64, false), "raised")?;
        let (propagate, cont) = (self.bb("generator.raised"), self.bb("generator.resumed"));
        self.branch_rarely(raised, propagate, cont)?;
        self.b.position_at_end(propagate);
        self.leave_raising(status)?;
        self.b.position_at_end(cont);
        let has = self.b.build_int_compare(IntPredicate::EQ, status, cx.i32_type().const_zero(), "has.item")?;
        let item = self.b.build_load(item_ty, slot, "item")?;
        let pair = llvm_type(cx, ty).into_struct_type();
        let with_flag = self.b.build_insert_value(pair.get_undef(), has, 0, "resumed")?;
        Ok(self.b.build_insert_value(with_flag, item, 1, "resumed")?.into_struct_value().into())
    }
}
