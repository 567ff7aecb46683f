//! Whole-array maps and reductions of `parallel=True` functions on the thread pool (Numba's
//! parfors for array expressions).
//!
//! In a function compiled with `parallel=True` ([`ir::Function::parallel`]), an element-wise
//! map stored into an array ([`ir::StmtKind::ArrayMap`]: `c = a * b + np.sin(a)`,
//! `a[:] = ...`, `a += b`) and a reduction of one ([`ir::ExprKind::MapReduce`]: `a.sum()`,
//! `np.max(a - b)`, `(a * b).mean()`) are lowered twice, behind a run-time choice:
//!
//! ```text
//! operands evaluated (overlapping ones copied), shapes checked
//! chunks = ferrojit_rt_parallel_array_chunks(size, shape[axis])
//! if chunks != 0:   ferrojit_rt_parallel_for(kernel, [dst or shape, operands..., lo, hi], ...)
//! else:             kernel(..., [dst or shape, operands..., 0, shape[axis]]), on this thread
//! (a reduction then combines the partial results, in chunk order)
//! ```
//!
//! The map's loops are compiled once, in the kernel (kept out of line): the serial loop nest
//! of `maps` is not made beside it, which halved the compile time of `parallel=True` array
//! code. The direct call costs a few nanoseconds over the inline loops.
//!
//! The *kernel* is a function of this module with the entry convention
//! (`i32 kernel(ptr ret_slots, ptr exc, ptr arg_slots)`, run by `FnLower::run_on_pool` as a
//! `prange` chunk is), which runs the same map (or
//! reduction) over the indices `[lo, hi)` of one dimension, the *axis*: it narrows the
//! destination (or the shape) to them, and every array operand that has that dimension with a
//! length other than 1; an operand without it, or broadcasting along it, is used whole. The
//! axis is the outermost dimension in memory order: the first, or the last for a destination
//! (for a reduction, every full-rank operand) typed Fortran-ordered, so that each chunk is one
//! contiguous block of a contiguous array.
//!
//! What the serial code checks before its loop, the caller checks before the pool runs (the
//! broadcast of operands into an existing array, an empty min/max), so an error is raised
//! once, with the whole shapes; an exception raised by the element itself inside a chunk
//! stops the chunks not yet started and reaches the caller (`ferrojit_rt_parallel_for`).
//! The run-time choice is serial below a measured number of elements
//! (`ferrojit_runtime::parallel::ARRAY_THRESHOLD`), with one thread, and on a pool thread
//! (inside a `prange` loop), so small arrays never pay for the pool.
//!
//! Float sums are pairwise within each chunk, then the chunks' sums are added in chunk order:
//! the result depends on the number of threads, never on timing, and differs from the serial
//! sum by rounding only. Integer sums and every min/max are exact.

use crate::abi::{load_slots, store_slots};
use crate::lower::FnLower;
use crate::maps::{Mismatch, Operand, ReducedAxis};
use crate::Result;
use ferrojit_ir::{self as ir, ExprKind};
use ferrojit_types::{ArrayType, Layout, Type};
use inkwell::basic_block::BasicBlock;
use inkwell::module::Linkage;
use inkwell::values::{BasicValueEnum, FunctionValue, IntValue, StructValue};
use inkwell::{AddressSpace, IntPredicate};

type Value<'ctx> = BasicValueEnum<'ctx>;

thread_local! {
    /// What [`FnLower::parallel_candidate`] decided for each map and reduction of the
    /// `parallel=True` functions lowered on this thread, by source line. A compilation lowers
    /// its module on one thread, between two calls of [`take_notes`].
    static NOTES: std::cell::RefCell<Vec<(u32, String)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The notes gathered since the last call, in line order, each once: `line 7: ...`.
pub(crate) fn take_notes() -> Vec<String> {
    let mut notes = NOTES.with(|n| std::mem::take(&mut *n.borrow_mut()));
    notes.sort();
    notes.dedup();
    notes.into_iter().map(|(line, text)| format!("line {line}: {text}")).collect()
}

/// The most chunks a parallel reduction is cut into: its partial results live in a buffer of
/// this many on the caller's stack (4 KB for complex128). 64 threads at
/// `ferrojit_runtime::parallel::CHUNKS_PER_THREAD` chunks each.
const MAX_PARTIALS: u64 = 256;

/// What a kernel does with the element over its chunk.
#[derive(Clone, Copy)]
enum Work<'a> {
    /// Stores it into the destination (the kernel's first argument); the operands flagged are
    /// the destination itself (`a += b`).
    Store(&'a ArrayType, &'a [bool]),
    /// Reduces it to a partial result of this type, written to the kernel's result slots:
    /// sums for `Sum` and `Mean`, else the smallest or largest element.
    Reduce(ir::ReduceOp, &'a Type),
}

/// The NumPy name of a reduction, for notes.
fn reduction_name(op: ir::ReduceOp) -> &'static str {
    match op {
        ir::ReduceOp::Sum => "sum",
        ir::ReduceOp::Min => "min",
        ir::ReduceOp::Max => "max",
        ir::ReduceOp::Mean => "mean",
        ir::ReduceOp::Prod => "prod",
    }
}

/// Whether a value of `ty` travels in a kernel's argument slots (arrays and numbers: map
/// operands are nothing else, but a kind the slots do not carry keeps the serial loop).
fn passes_in_slots(ty: &Type) -> bool {
    matches!(ty, Type::Array(_) | Type::Int(_) | Type::Float(_) | Type::Complex(_) | Type::Bool | Type::Datetime(_) | Type::Timedelta(_))
}

/// Whether `element` reads a local it does not bind itself (with `let`, or an assignment in
/// a block of its own): the kernel, a function of its own, would not see its value.
fn reads_outer_locals(element: &ir::Expr) -> bool {
    let mut bound = std::collections::HashSet::new();
    element.any(
        &mut |e| {
            match &e.kind {
                ExprKind::Let { local, .. } => {
                    bound.insert(*local);
                }
                ExprKind::Block { stmts, .. } => bound.extend(ir::assignment_counts(stmts).into_keys()),
                _ => {}
            }
            false
        },
    );
    element.any(&mut |e| matches!(e.kind, ExprKind::Local(l) if !bound.contains(&l)))
}

/// The dimension a map over `ndim` dimensions is cut along: the outermost in memory order
/// (see the module documentation); `fortran` when the arrays that decide it are typed
/// Fortran-ordered.
fn split_axis(ndim: usize, fortran: bool) -> usize {
    if fortran && ndim > 1 {
        ndim - 1
    } else {
        0
    }
}

impl<'ctx> FnLower<'ctx, '_> {
    /// Why code of this function that could use the pool runs serially wherever it is:
    /// `Some(None)` for no reason worth a note (a kernel's own code, already on the pool), or
    /// `Some(Some(reason))`; None when it may use the pool.
    fn pool_refusal(&self) -> Option<Option<&'static str>> {
        if self.ir.name.starts_with(ir::PARALLEL_CHUNK_PREFIX) {
            Some(Some("inside a `prange` loop, whose iterations are the parallelism"))
        } else if !self.parallel_arrays {
            Some(None)
        } else if self.generator.is_some() {
            Some(Some("in a generator, which runs a step at a time"))
        } else {
            None
        }
    }

    /// Whether a map of `operands` and `element` over `ndim` dimensions (`what`: "array
    /// expression", "sum", ...) may run on the pool; in a `parallel=True` function, notes why
    /// or why not for `parallel_diagnostics`.
    fn parallel_candidate(&self, what: &str, operands: &[ir::Expr], element: &ir::Expr, ndim: usize) -> bool {
        if !self.ir.parallel || !self.map_elements.is_empty() || ndim == 0 {
            // Not asked for; part of another map; one element.
            return false;
        }
        let why_not = if let Some(refusal) = self.pool_refusal() {
            match refusal {
                Some(reason) => Some(reason),
                None => return false,
            }
        } else if !operands.iter().all(|o| passes_in_slots(&o.ty)) {
            Some("an operand is of a kind the pool's chunks cannot be given")
        } else if reads_outer_locals(element) {
            Some("its element reads the variables of an enclosing map")
        } else {
            None
        };
        let mut operations = 0;
        element.any(&mut |e| {
            operations += usize::from(!matches!(e.kind, ExprKind::MapElement(_) | ExprKind::Const(_) | ExprKind::Local(_)));
            false
        });
        let arrays = operands.iter().filter(|o| matches!(o.ty, Type::Array(_))).count();
        let text = match why_not {
            Some(reason) => format!("{what} runs serially: {reason}"),
            None => {
                let fused = match operations {
                    0 => String::new(),
                    1 => ", fusing 1 operation".to_string(),
                    n => format!(", fusing {n} operations"),
                };
                let threshold = ferrojit_runtime::parallel::array_threshold();
                format!("{what} runs in parallel from {threshold} elements: one loop over {arrays} array operand{}{fused}", if arrays == 1 { "" } else { "s" })
            }
        };
        NOTES.with(|n| n.borrow_mut().push((element.span.line, text)));
        why_not.is_none()
    }

    /// An [`ir::StmtKind::ArrayMap`] into `dst_v` as a kernel (see the module documentation),
    /// when the map qualifies: run on the pool when large enough, else called here over the
    /// whole array. Returns false, having emitted nothing, when it does not qualify (the caller
    /// then emits the serial loop nest).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn parallel_array_map(
        &mut self,
        dst: &ir::Expr,
        dst_v: StructValue<'ctx>,
        d: &ArrayType,
        ops: &[Operand<'ctx>],
        shape: &[IntValue<'ctx>],
        operands: &[ir::Expr],
        element: &ir::Expr,
        mismatch: Option<Mismatch>,
    ) -> Result<bool> {
        if !self.parallel_candidate("array expression", operands, element, d.ndim as usize) {
            return Ok(false);
        }
        // The operands must broadcast into the whole destination: checked here, once.
        if let Some(mismatch) = mismatch {
            for o in ops {
                if let Operand::Array(arr, a) = o {
                    self.broadcast_strides(*arr, a, shape, Some(mismatch))?;
                }
            }
        }
        let axis = split_axis(shape.len(), d.layout == Layout::F);
        let operand_types: Vec<Type> = operands.iter().map(|o| o.ty.clone()).collect();
        // An operand that is the destination's own local (`a += b`) is the same array (the
        // map did not copy it: see `unaliased`). The kernel uses the destination's value for
        // it, so that LLVM sees one array where the serial loop does: from two slots it could
        // not tell, and would run the unvectorised loop its overlap check falls back to.
        let is_destination: Vec<bool> = operands.iter().map(|o| matches!((&o.kind, &dst.kind), (ExprKind::Local(a), ExprKind::Local(b)) if a == b) && o.ty == dst.ty).collect();
        let kernel = self.map_kernel(Work::Store(d, &is_destination), shape.len(), axis, &operand_types, element)?;
        let mut values: Vec<(Type, Value<'ctx>)> = vec![(Type::Array(d.clone()), dst_v.into())];
        values.extend(operand_types.iter().cloned().zip(ops.iter().map(operand_value)));
        let no_results = self.entry_alloca(self.cx.i64_type().into(), "chunk.nothing")?;
        let size = self.element_count(shape)?;
        let (chunks, serial) = self.choose_pool(size, shape[axis])?;
        self.run_on_pool(kernel, &values, shape[axis], chunks, no_results, self.i64(0), None)?;
        let join = self.bb("parallel.map.done");
        self.b.build_unconditional_branch(join)?;
        self.b.position_at_end(serial);
        self.run_here(kernel, &values, shape[axis], no_results)?;
        self.b.build_unconditional_branch(join)?;
        self.b.position_at_end(join);
        Ok(true)
    }

    /// An [`ir::ExprKind::MapReduce`] of `size` elements over `shape` (already checked) as a
    /// kernel, when it qualifies: run on the pool when large enough, else called here over the
    /// whole shape; its value, or None, having emitted nothing, when it does not qualify (the
    /// caller then emits the serial loop nest).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn parallel_map_reduce(
        &mut self,
        op: ir::ReduceOp,
        ops: &[Operand<'ctx>],
        shape: &[IntValue<'ctx>],
        size: IntValue<'ctx>,
        operands: &[ir::Expr],
        element: &ir::Expr,
        ty: &Type,
    ) -> Result<Option<Value<'ctx>>> {
        let what = format!("`{}` reduction", reduction_name(op));
        if !passes_in_slots(ty) || !self.parallel_candidate(&what, operands, element, shape.len()) {
            return Ok(None);
        }
        let ndim = shape.len();
        let fortran = ops.iter().filter_map(|o| if let Operand::Array(_, a) = o { Some(a) } else { None }).all(|a| a.layout == Layout::F && a.ndim as usize == ndim);
        let axis = split_axis(ndim, fortran);
        let i64t = self.cx.i64_type();
        let operand_types: Vec<Type> = operands.iter().map(|o| o.ty.clone()).collect();
        let kernel = self.map_kernel(Work::Reduce(op, ty), ndim, axis, &operand_types, element)?;
        let mut values: Vec<(Type, Value<'ctx>)> = shape.iter().map(|d| (Type::INT64, (*d).into())).collect();
        values.extend(operand_types.iter().cloned().zip(ops.iter().map(operand_value)));
        let leaves = ty.leaves().len() as u64;
        let partials = self.entry_alloca(i64t.array_type((MAX_PARTIALS * leaves) as u32).into(), "chunk.partials")?;
        let stride = self.i64(8 * leaves as i64);
        let (chunks, serial) = self.choose_pool(size, shape[axis])?;
        let most = self.i64(MAX_PARTIALS as i64);
        let fewer = self.b.build_int_compare(IntPredicate::SLT, chunks, most, "fewer")?;
        let chunks = self.b.build_select(fewer, chunks, most, "chunks")?.into_int_value();
        self.run_on_pool(kernel, &values, shape[axis], chunks, partials, stride, None)?;
        let pooled = self.b.get_insert_block().expect("positioned");
        let combine = self.bb("parallel.reduce.combine");
        self.b.build_unconditional_branch(combine)?;
        // Serially, one partial: the whole reduction.
        self.b.position_at_end(serial);
        self.run_here(kernel, &values, shape[axis], partials)?;
        let here = self.b.get_insert_block().expect("positioned");
        self.b.build_unconditional_branch(combine)?;
        self.b.position_at_end(combine);
        let count = self.b.build_phi(i64t, "partials")?;
        count.add_incoming(&[(&chunks, pooled), (&self.i64(1), here)]);
        let count = count.as_basic_value().into_int_value();

        // The partials combined in chunk order.
        let llvm = crate::abi::llvm_type(self.cx, ty);
        let acc = self.entry_alloca(llvm, "chunk.combined")?;
        let start = match op {
            ir::ReduceOp::Sum | ir::ReduceOp::Mean => llvm.const_zero(),
            _ => self.fold_identity(op, ty)?,
        };
        self.b.build_store(acc, start)?;
        self.counted_loop(self.i64(0), count, &[partials], &[stride], false, &mut |this, _, at| {
            let partial = load_slots(this.cx, &this.b, at[0], ty, &mut 0)?;
            let current = this.b.build_load(llvm, acc, "combined")?;
            let next = match op {
                ir::ReduceOp::Sum | ir::ReduceOp::Mean => this.binary(ir::BinaryOp::Add, current, partial, ty, ty)?,
                _ => this.fold_step(op, current, partial, ty, ty)?,
            };
            this.b.build_store(acc, next)?;
            Ok(())
        })?;
        let total = self.b.build_load(llvm, acc, "combined")?;
        Ok(Some(if op == ir::ReduceOp::Mean { self.mean_of(total, size, ty)? } else { total }))
    }

    /// An [`ir::ExprKind::AxisReduce`] into `out` (new, of `out_ty`) as a kernel over the
    /// result's first dimension, when it qualifies (see the module documentation): run on the
    /// pool when `arr` is large enough, else called here over the whole result. Each element
    /// of the result is reduced by one chunk, as the serial loop reduces it: the values are the
    /// serial ones, bit for bit. Returns false, having emitted nothing, when it does not
    /// qualify (the caller then emits the serial loop nest). A reduction along an axis raises
    /// nothing once its shapes are checked, so `out` is never left half made.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn parallel_axis_reduce(
        &mut self,
        op: ir::ReduceOp,
        out: StructValue<'ctx>,
        arr: StructValue<'ctx>,
        a: &ArrayType,
        axis_v: IntValue<'ctx>,
        along: &ReducedAxis<'ctx>,
        out_ty: &Type,
        line: u32,
    ) -> Result<bool> {
        if !self.ir.parallel || !self.map_elements.is_empty() || along.out_dims.is_empty() {
            // Not asked for; part of a map; a single result.
            return Ok(false);
        }
        let what = format!("`{}` along an axis", reduction_name(op));
        let (text, pooled) = match self.pool_refusal() {
            Some(None) => return Ok(false),
            Some(Some(reason)) => (format!("{what} runs serially: {reason}"), false),
            None => (format!("{what} runs in parallel from {} elements: the result's elements shared out", ferrojit_runtime::parallel::array_threshold()), true),
        };
        NOTES.with(|n| n.borrow_mut().push((line, text)));
        if !pooled {
            return Ok(false);
        }
        let array_ty = Type::Array(a.clone());
        let kernel = self.axis_kernel(op, &array_ty, out_ty)?;
        let values: Vec<(Type, Value<'ctx>)> = vec![(out_ty.clone(), out.into()), (array_ty, arr.into()), (Type::INT64, axis_v.into())];
        let no_results = self.entry_alloca(self.cx.i64_type().into(), "chunk.nothing")?;
        let mut size = self.element_count(&along.out_dims)?;
        size = self.b.build_int_mul(size, along.len, "size")?;
        let trip = along.out_dims[0];
        let (chunks, serial) = self.choose_pool(size, trip)?;
        self.run_on_pool(kernel, &values, trip, chunks, no_results, self.i64(0), None)?;
        let join = self.bb("parallel.axis.done");
        self.b.build_unconditional_branch(join)?;
        self.b.position_at_end(serial);
        self.run_here(kernel, &values, trip, no_results)?;
        self.b.build_unconditional_branch(join)?;
        self.b.position_at_end(join);
        Ok(true)
    }

    /// The kernel of a reduction along an axis: its arguments are the result (of `out_ty`),
    /// the array (of `array_ty`), the normalised axis, then the chunk's first and
    /// last-plus-one index of the result's first dimension.
    fn axis_kernel(&mut self, op: ir::ReduceOp, array_ty: &Type, out_ty: &Type) -> Result<FunctionValue<'ctx>> {
        let (kernel, mut k) = self.new_kernel("parallel_axis")?;
        let cx = self.cx;
        let args = kernel.get_nth_param(2).expect("the argument slots").into_pointer_value();
        let mut slot = 0;
        let out = load_slots(cx, &k.b, args, out_ty, &mut slot)?.into_struct_value();
        let arr = load_slots(cx, &k.b, args, array_ty, &mut slot)?.into_struct_value();
        let axis_v = load_slots(cx, &k.b, args, &Type::INT64, &mut slot)?.into_int_value();
        let lo = load_slots(cx, &k.b, args, &Type::INT64, &mut slot)?.into_int_value();
        let hi = load_slots(cx, &k.b, args, &Type::INT64, &mut slot)?.into_int_value();
        let count = k.b.build_int_sub(hi, lo, "count")?;
        let a = crate::arrays::array_type(array_ty);
        let along = k.reduced_axis(arr, &a, axis_v)?;
        k.reduce_along(op, out, arr, &a, &along, out_ty, Some((lo, count)))?;
        k.finish_kernel()?;
        Ok(kernel)
    }

    /// The product of `shape`.
    fn element_count(&self, shape: &[IntValue<'ctx>]) -> Result<IntValue<'ctx>> {
        let mut size = self.i64(1);
        for d in shape {
            size = self.b.build_int_mul(size, *d, "size")?;
        }
        Ok(size)
    }

    /// Asks the runtime how many chunks `size` elements cut along a dimension of `trip`
    /// indices run in (0: serially); branches on it. Returns the count and the serial block,
    /// with the builder in the pool's block.
    fn choose_pool(&mut self, size: IntValue<'ctx>, trip: IntValue<'ctx>) -> Result<(IntValue<'ctx>, BasicBlock<'ctx>)> {
        let i64t = self.cx.i64_type();
        let f = self.extern_fn("ferrojit_rt_parallel_array_chunks", Some(i64t.into()), &[i64t.into(), i64t.into()]);
        let chunks = self.b.build_call(f, &[size.into(), trip.into()], "chunks")?.try_as_basic_value().basic().expect("an int").into_int_value();
        let pooled = self.b.build_int_compare(IntPredicate::NE, chunks, self.i64(0), "pooled")?;
        let (pool, serial) = (self.bb("parallel.map"), self.bb("serial.map"));
        self.b.build_conditional_branch(pooled, pool, serial)?;
        self.b.position_at_end(pool);
        Ok((chunks, serial))
    }

    /// The kernel of one map (see the module documentation): its arguments are the
    /// destination (`Work::Store`) or the `ndim` lengths of the shape (`Work::Reduce`), the
    /// operands (of `operand_types`), then the chunk's first and last-plus-one index along
    /// `axis`.
    fn map_kernel(&mut self, work: Work<'_>, ndim: usize, axis: usize, operand_types: &[Type], element: &ir::Expr) -> Result<FunctionValue<'ctx>> {
        let (kernel, mut k) = self.new_kernel("parallel_map")?;
        let cx = self.cx;
        let args = kernel.get_nth_param(2).expect("the argument slots").into_pointer_value();
        let mut slot = 0;
        let (dst, shape) = match work {
            Work::Store(d, _) => {
                let dst = load_slots(cx, &k.b, args, &Type::Array(d.clone()), &mut slot)?.into_struct_value();
                let shape = k.dims(dst, d)?;
                (Some(dst), shape)
            }
            Work::Reduce(..) => {
                let shape = (0..ndim).map(|_| Ok(load_slots(cx, &k.b, args, &Type::INT64, &mut slot)?.into_int_value())).collect::<Result<Vec<_>>>()?;
                (None, shape)
            }
        };
        let mut values = Vec::new();
        for ty in operand_types {
            values.push(load_slots(cx, &k.b, args, ty, &mut slot)?);
        }
        let lo = load_slots(cx, &k.b, args, &Type::INT64, &mut slot)?.into_int_value();
        let hi = load_slots(cx, &k.b, args, &Type::INT64, &mut slot)?.into_int_value();
        let count = k.b.build_int_sub(hi, lo, "count")?;
        let mut chunk_shape = shape.clone();
        chunk_shape[axis] = count;

        let narrowed_dst = match (work, dst) {
            (Work::Store(d, _), Some(dst)) => Some(k.narrow(dst, d, axis as u32, lo, count, false)?),
            _ => None,
        };
        let mut ops = Vec::new();
        for (i, (ty, v)) in operand_types.iter().zip(values).enumerate() {
            if let (Work::Store(_, is_destination), Some((dst, d))) = (work, &narrowed_dst) {
                if is_destination[i] {
                    ops.push(Operand::Array(*dst, d.clone()));
                    continue;
                }
            }
            ops.push(match ty {
                Type::Array(a) => {
                    let arr = v.into_struct_value();
                    // Operand dimension `j` lines up with dimension `lead + j` of the shape.
                    let lead = ndim - a.ndim as usize;
                    match axis.checked_sub(lead) {
                        Some(j) => {
                            let (arr, a) = k.narrow(arr, a, j as u32, lo, count, true)?;
                            Operand::Array(arr, a)
                        }
                        None => Operand::Array(arr, a.clone()),
                    }
                }
                _ => Operand::Scalar(v),
            });
        }
        match work {
            Work::Store(..) => {
                let (dst, d) = narrowed_dst.expect("a destination");
                k.store_mapped(dst, &d, &ops, &chunk_shape, element, None)?;
            }
            Work::Reduce(op, ty) => {
                let partial = k.reduce_mapped(op, &ops, &chunk_shape, element, ty)?;
                store_slots(cx, &k.b, k.ret_ptr, ty, partial, &mut 0)?;
            }
        }
        k.finish_kernel()?;
        Ok(kernel)
    }

    /// Ends a kernel: its exit block releases the arrays it made for itself and returns the
    /// status (it owns no locals: its arguments are borrowed from the caller).
    fn finish_kernel(mut self) -> Result<()> {
        self.br(self.exit)?;
        self.b.position_at_end(self.exit);
        for (slot, ty) in self.scratch_arrays.clone() {
            let v = self.b.build_load(crate::abi::llvm_type(self.cx, &ty), slot, "held")?;
            self.refcount(v, &ty, false)?;
        }
        let status = self.b.build_load(self.cx.i32_type(), self.status, "status")?;
        self.b.build_return(Some(&status))?;
        self.close_open_blocks()
    }

    /// `arr` narrowed to the `count` indices from `lo` along its dimension `j`, and its type;
    /// with `broadcast`, a dimension of length 1 stays whole (it broadcasts along the cut).
    fn narrow(&mut self, arr: StructValue<'ctx>, a: &ArrayType, j: u32, lo: IntValue<'ctx>, count: IntValue<'ctx>, broadcast: bool) -> Result<(StructValue<'ctx>, ArrayType)> {
        let len = self.shape(arr, j)?;
        let stride = self.array_stride(arr, j)?;
        let data = self.b.build_extract_value(arr, 1, "data")?.into_pointer_value();
        let offset = self.b.build_int_mul(lo, stride, "offset")?;
        // SAFETY (for LLVM): `lo` < `len`, an index of the dimension.
        let moved = unsafe { self.b.build_in_bounds_gep(self.cx.i8_type(), data, &[offset], "chunk.data")? };
        let (data, len) = if broadcast {
            let whole = self.b.build_int_compare(IntPredicate::EQ, len, self.i64(1), "whole")?;
            (self.b.build_select(whole, data, moved, "chunk.data")?, self.b.build_select(whole, len, count, "chunk.len")?)
        } else {
            (moved.into(), count.into())
        };
        let arr = self.b.build_insert_value(arr, data, 1, "chunk")?.into_struct_value();
        let shape = self.b.build_extract_value(arr, 2, "shape")?.into_array_value();
        let shape = self.b.build_insert_value(shape, len, j, "shape")?;
        let arr = self.b.build_insert_value(arr, shape, 2, "chunk")?.into_struct_value();
        // A block of the outermost dimension in memory order keeps the layout; any other cut
        // has any strides.
        let kept = a.ndim == 1 || (a.layout == Layout::C && j == 0) || (a.layout == Layout::F && j + 1 == a.ndim as u32);
        let layout = if kept { a.layout } else { Layout::A };
        Ok((arr, a.with(a.ndim, layout)))
    }
}

impl<'ctx, 'm> FnLower<'ctx, 'm> {
    /// A new kernel of this function (named with `suffix`) with the entry convention, and
    /// the lowering of its body. It is kept out of line: it is called directly too, for arrays
    /// below the threshold, and inlined there its loops would be compiled twice. Its own code
    /// runs on the pool: nothing in it goes there again.
    fn new_kernel(&self, suffix: &str) -> Result<(FunctionValue<'ctx>, FnLower<'ctx, 'm>)> {
        let cx = self.cx;
        let ptr = cx.ptr_type(AddressSpace::default());
        let fn_type = cx.i32_type().fn_type(&[ptr.into(), ptr.into(), ptr.into()], false);
        let kernel = self.module.add_function(&format!("{}.{suffix}", self.ir.symbol), fn_type, Some(Linkage::Internal));
        self.give_host_attributes(kernel);
        kernel.add_attribute(inkwell::attributes::AttributeLoc::Function, cx.create_enum_attribute(inkwell::attributes::Attribute::get_named_enum_kind_id("noinline"), 0));
        let mut k = FnLower::new(cx, self.module, kernel, self.ir, self.fns, self.vector_isas, self.options)?;
        k.parallel_arrays = false;
        Ok((kernel, k))
    }
}

/// An evaluated operand's value.
fn operand_value<'ctx>(o: &Operand<'ctx>) -> Value<'ctx> {
    match o {
        Operand::Array(arr, _) => (*arr).into(),
        Operand::Scalar(v) => *v,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferrojit_ir::{Const, Expr, LocalId, Span, Stmt, StmtKind};

    fn local(l: LocalId) -> Expr {
        Expr::new(ExprKind::Local(l), Type::FLOAT64, Span::default())
    }

    #[test]
    fn kernels_see_only_what_the_element_binds() {
        let element = Expr::new(ExprKind::MapElement(0), Type::FLOAT64, Span::default());
        assert!(!reads_outer_locals(&element));
        let outer = Expr::new(ExprKind::Binary { op: ir::BinaryOp::Add, lhs: element.clone().boxed(), rhs: local(3).boxed() }, Type::FLOAT64, Span::default());
        assert!(reads_outer_locals(&outer));
        let bound = Expr::new(ExprKind::Let { local: 3, value: element.clone().boxed(), body: local(3).boxed() }, Type::FLOAT64, Span::default());
        assert!(!reads_outer_locals(&bound));
        let assigned = Stmt { kind: StmtKind::Assign { local: 4, value: Expr::new(ExprKind::Const(Const::Float(1.0)), Type::FLOAT64, Span::default()) }, span: Span::default() };
        let block = Expr::new(ExprKind::Block { stmts: vec![assigned], value: local(4).boxed() }, Type::FLOAT64, Span::default());
        assert!(!reads_outer_locals(&block));
    }

    #[test]
    fn maps_are_cut_along_the_outermost_dimension_in_memory() {
        assert_eq!(split_axis(1, false), 0);
        assert_eq!(split_axis(1, true), 0);
        assert_eq!(split_axis(3, false), 0);
        assert_eq!(split_axis(3, true), 2);
    }
}
