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
use inkwell::values::BasicValueEnum;
use inkwell::{AddressSpace, IntPredicate};

impl<'ctx> FnLower<'ctx, '_> {
    /// `parallel_for[trip] symbol(args)`, typed `list_ty` (a list of the chunk's results).
    pub(crate) fn parallel_for(&mut self, symbol: &str, args: &[ir::Expr], trip: &ir::Expr, list_ty: &Type) -> Result<BasicValueEnum<'ctx>> {
        let cx = self.cx;
        let (i64t, ptr) = (cx.i64_type(), cx.ptr_type(AddressSpace::default()));
        let Type::List(chunk_ret) = list_ty else { return Err(CodegenError(format!("a parallel loop typed {list_ty}"))) };
        let chunk = *self.fns.get(symbol).ok_or_else(|| CodegenError(format!("parallel loop of unknown function {symbol}")))?;

        // The chunk function's parameters: the arguments, then the chunk's bounds.
        let mut arg_types: Vec<Type> = args.iter().map(|a| a.ty.clone()).collect();
        arg_types.extend([Type::INT64, Type::INT64]);
        let entry_name = format!("{symbol}.chunk");
        let entry = match self.module.get_function(&entry_name) {
            Some(f) => f,
            None => entry_wrapper(cx, self.module, chunk, &arg_types, chunk_ret, &entry_name)?,
        };

        let trip = self.expr(trip)?.into_int_value();
        let slot_count: usize = arg_types.iter().map(|t| t.leaves().len()).sum();
        let slots = self.entry_alloca(i64t.array_type(slot_count as u32).into(), "chunk.args")?;
        let mut slot = 0;
        for a in args {
            let v = self.expr(a)?;
            store_slots(cx, &self.b, slots, &a.ty, v, &mut slot)?;
        }

        let chunks_fn = self.extern_fn("ferrojit_rt_parallel_chunks", Some(i64t.into()), &[i64t.into()]);
        let chunks = self.b.build_call(chunks_fn, &[trip.into()], "chunks")?.try_as_basic_value().basic().expect("an int").into_int_value();
        let list = self.new_list(chunk_ret, chunks)?.into_pointer_value();
        let results = self.list_item_ptr(list, chunk_ret, i64t.const_zero())?;
        let stride = i64t.const_int(8 * chunk_ret.leaves().len() as u64, false);

        let params: Vec<BasicMetadataTypeEnum> = vec![ptr.into(), ptr.into(), i64t.into(), i64t.into(), i64t.into(), ptr.into(), i64t.into(), ptr.into()];
        let run = self.extern_fn("ferrojit_rt_parallel_for", Some(cx.i32_type().into()), &params);
        let call_args = [
            entry.as_global_value().as_pointer_value().into(),
            slots.into(),
            i64t.const_int(slot_count as u64, false).into(),
            trip.into(),
            chunks.into(),
            results.into(),
            stride.into(),
            self.exc().into(),
        ];
        let status = self.b.build_call(run, &call_args, "status")?.try_as_basic_value().basic().expect("a status").into_int_value();
        // On an exception the list (with the results of the chunks that finished) is dropped
        // before leaving.
        let failed = self.b.build_int_compare(IntPredicate::NE, status, cx.i32_type().const_zero(), "failed")?;
        let (raise_bb, cont) = (self.bb("parallel.raised"), self.bb("parallel.done"));
        self.branch_rarely(failed, raise_bb, cont)?;
        self.b.position_at_end(raise_bb);
        self.refcount(list.into(), list_ty, false)?;
        self.leave(status)?;
        self.b.position_at_end(cont);
        Ok(list.into())
    }
}
