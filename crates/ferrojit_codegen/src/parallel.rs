//! `prange` loops on the thread pool ([`ir::ExprKind::ParallelFor`]).
//!
//! The loop's body was lifted into a function of its own, the *chunk function*, which runs the
//! iterations `[lo, hi)` and returns its partial reductions (see `ferrojit_infer::parallel`).
//! Here the caller packs the chunk function's arguments into slots, as the dispatcher packs a
//! root's, and hands them with the chunk function's entry wrapper to
//! `ferrojit_rt_parallel_for`, which runs the chunks on the pool, each writing its result
//! into one item of a new list.

use crate::abi::{entry_wrapper, store_slots};
use crate::lower::FnLower;
use crate::{CodegenError, Result};
use ferrojit_ir as ir;
use ferrojit_types::Type;
use inkwell::types::BasicMetadataTypeEnum;
use inkwell::values::{BasicValueEnum, FunctionValue, IntValue, PointerValue};
use inkwell::{AddressSpace, IntPredicate};

impl<'ctx> FnLower<'ctx, '_> {
    /// `parallel_for[trip] symbol(args)`, typed `list_ty` (a list of the chunk's results).
    pub(crate) fn parallel_for(&mut self, symbol: &str, args: &[ir::Expr], trip: &ir::Expr, list_ty: &Type) -> Result<BasicValueEnum<'ctx>> {
        let cx = self.cx;
        let i64t = cx.i64_type();
        let Type::List(chunk_ret) = list_ty else { return Err(CodegenError(format!("a parallel loop typed {list_ty}"))) };
        let chunk = *self.fns.get(symbol).ok_or_else(|| CodegenError(format!("parallel loop of unknown function {symbol}")))?;

        // The chunk function's parameters: the arguments, then the chunk's bounds.
        let mut arg_types: Vec<Type> = args.iter().map(|a| a.ty.clone()).collect();
        arg_types.extend([Type::INT64, Type::INT64]);
        let entry_name = format!("{symbol}.chunk");
        let entry = match self.module.get_function(&entry_name) {
            Some(f) => f,
            None => {
                let entry = entry_wrapper(cx, self.module, chunk, &arg_types, chunk_ret, &entry_name)?;
                self.give_host_attributes(entry);
                entry
            }
        };

        let trip = self.expr(trip)?.into_int_value();
        let mut values = Vec::new();
        for a in args {
            values.push((a.ty.clone(), self.expr(a)?));
        }
        let chunks_fn = self.extern_fn("ferrojit_rt_parallel_chunks", Some(i64t.into()), &[i64t.into()]);
        let chunks = self.b.build_call(chunks_fn, &[trip.into()], "chunks")?.try_as_basic_value().basic().expect("an int").into_int_value();
        let list = self.new_list(chunk_ret, chunks)?.into_pointer_value();
        let results = self.list_item_ptr(list, chunk_ret, i64t.const_zero())?;
        let stride = i64t.const_int(8 * chunk_ret.leaves().len() as u64, false);
        // On an exception the list (with the results of the chunks that finished) is dropped.
        self.run_on_pool(entry, &values, trip, chunks, results, stride, Some((list.into(), list_ty)))?;
        Ok(list.into())
    }

    /// Gives `f`, a function this one adds to the module (a chunk entry, a map kernel), the
    /// host CPU, its features and `nounwind`, as every function of the module has them: a
    /// function without them is compiled for a generic CPU (no AVX in a chunk of a loop that
    /// has it serially), and LLVM will not inline across the difference.
    pub(crate) fn give_host_attributes(&self, f: FunctionValue<'ctx>) {
        use inkwell::attributes::{Attribute, AttributeLoc};
        for name in ["target-cpu", "target-features"] {
            if let Some(a) = self.f.get_string_attribute(AttributeLoc::Function, name) {
                f.add_attribute(AttributeLoc::Function, a);
            }
        }
        if let Some(a) = self.f.get_enum_attribute(AttributeLoc::Function, Attribute::get_named_enum_kind_id("nounwind")) {
            f.add_attribute(AttributeLoc::Function, a);
        }
    }

    /// Runs the chunk entry `entry` (`i32 entry(ptr ret_slots, ptr exc, ptr arg_slots)`) over
    /// the `chunks` chunks of `trip` iterations on the pool (`ferrojit_rt_parallel_for`), with
    /// `values` (typed) packed into its argument slots before the chunk's bounds, chunk `c`
    /// writing its result at `results + c * result_stride` bytes. Leaves with the first
    /// exception a chunk raised, after releasing `release_on_error`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn run_on_pool(
        &mut self,
        entry: FunctionValue<'ctx>,
        values: &[(Type, BasicValueEnum<'ctx>)],
        trip: IntValue<'ctx>,
        chunks: IntValue<'ctx>,
        results: PointerValue<'ctx>,
        result_stride: IntValue<'ctx>,
        release_on_error: Option<(BasicValueEnum<'ctx>, &Type)>,
    ) -> Result<()> {
        let cx = self.cx;
        let (i64t, ptr) = (cx.i64_type(), cx.ptr_type(AddressSpace::default()));
        // The chunk's bounds take the last two slots, filled in for each chunk by the runtime.
        let (slots, slot_count) = self.chunk_slots(values)?;
        let params: Vec<BasicMetadataTypeEnum> = vec![ptr.into(), ptr.into(), i64t.into(), i64t.into(), i64t.into(), ptr.into(), i64t.into(), ptr.into()];
        let run = self.extern_fn("ferrojit_rt_parallel_for", Some(cx.i32_type().into()), &params);
        let call_args = [
            entry.as_global_value().as_pointer_value().into(),
            slots.into(),
            i64t.const_int(slot_count as u64, false).into(),
            trip.into(),
            chunks.into(),
            results.into(),
            result_stride.into(),
            self.exc().into(),
        ];
        let status = self.b.build_call(run, &call_args, "status")?.try_as_basic_value().basic().expect("a status").into_int_value();
        self.leave_on_failure(status, release_on_error)
    }

    /// Leaves the function with `status` when it is not 0 (the exception is already in place),
    /// after releasing `release_on_error`; the builder continues where it is 0.
    fn leave_on_failure(&mut self, status: IntValue<'ctx>, release_on_error: Option<(BasicValueEnum<'ctx>, &Type)>) -> Result<()> {
        let failed = self.b.build_int_compare(IntPredicate::NE, status, self.cx.i32_type().const_zero(), "failed")?;
        let (raised, cont) = (self.bb("chunk.raised"), self.bb("chunk.ran"));
        self.branch_rarely(failed, raised, cont)?;
        self.b.position_at_end(raised);
        if let Some((value, ty)) = release_on_error {
            self.refcount(value, ty, false)?;
        }
        self.leave_raising(status)?;
        self.b.position_at_end(cont);
        Ok(())
    }

    /// Runs the chunk entry `entry` (see [`FnLower::run_on_pool`]) here, on this thread, over
    /// the whole range `[0, trip)`, writing its result at `results`; leaves with its exception.
    pub(crate) fn run_here(&mut self, entry: FunctionValue<'ctx>, values: &[(Type, BasicValueEnum<'ctx>)], trip: IntValue<'ctx>, results: PointerValue<'ctx>) -> Result<()> {
        let i64t = self.cx.i64_type();
        let (slots, slot_count) = self.chunk_slots(values)?;
        for (k, bound) in [(slot_count - 2, i64t.const_zero()), (slot_count - 1, trip)] {
            // SAFETY: `k` is within the `slot_count` slots of `slots`.
            let at = unsafe { self.b.build_gep(i64t, slots, &[i64t.const_int(k as u64, false)], "chunk.bound")? };
            self.b.build_store(at, bound)?;
        }
        let status = self.b.build_call(entry, &[results.into(), self.exc().into(), slots.into()], "status")?.try_as_basic_value().basic().expect("a status").into_int_value();
        self.leave_on_failure(status, None)
    }

    /// The argument slots of a chunk entry, `values` (typed) packed in order and two more for
    /// the chunk's bounds, and their number.
    fn chunk_slots(&mut self, values: &[(Type, BasicValueEnum<'ctx>)]) -> Result<(PointerValue<'ctx>, usize)> {
        let slot_count: usize = values.iter().map(|(t, _)| t.leaves().len()).sum::<usize>() + 2;
        let slots = self.entry_alloca(self.cx.i64_type().array_type(slot_count as u32).into(), "chunk.args")?;
        let mut slot = 0;
        for (ty, v) in values {
            store_slots(self.cx, &self.b, slots, ty, *v, &mut slot)?;
        }
        Ok((slots, slot_count))
    }
}
