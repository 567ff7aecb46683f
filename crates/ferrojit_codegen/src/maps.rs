//! Lowering of element-wise array expressions: NumPy's broadcasting, maps stored into an array
//! (`StmtKind::ArrayMap`), reductions over maps (`ExprKind::MapReduce`) and the broadcast shape
//! of operands (`ExprKind::BroadcastShape`).
//!
//! A map's operands are evaluated once, before its loop nest. The loop nest runs over the
//! result's dimensions in C order; each array operand has a pointer advanced by a stride per
//! result dimension: its own stride, or 0 where it is broadcast (a missing leading dimension,
//! or a dimension of length 1). Inside the loop, `MapElement(i)` is operand `i`'s element (the
//! scalar itself for a scalar operand), and arithmetic follows NumPy's error model, as NumPy's
//! array operations do.

use crate::arrays::array_type;
use crate::lower::FnLower;
use crate::Result;
use ferrojit_ir::{self as ir, ExcKind};
use ferrojit_types::{ArrayType, Type};
use inkwell::values::{BasicValueEnum, IntValue, PointerValue, StructValue};
use inkwell::types::BasicType;
use inkwell::IntPredicate;

type Value<'ctx> = BasicValueEnum<'ctx>;

/// A map operand, evaluated.
pub(crate) enum Operand<'ctx> {
    Array(StructValue<'ctx>, ArrayType),
    Scalar(Value<'ctx>),
}

/// The elements of a block of a pairwise sum, summed in any order before the blocks combine
/// pairwise (NumPy's pairwise summation uses blocks of 128, each summed by eight running
/// sums): error bounds grow with the block size over the number of vector lanes, plus the
/// tree's depth, log2 of the number of blocks.
const PAIRWISE_BLOCK: u64 = 128;

/// The blocks of a pairwise sum along a strided innermost loop, summed in order: as many
/// terms as each of NumPy's eight running sums takes.
const PAIRWISE_STRIDED_BLOCK: u64 = PAIRWISE_BLOCK / 8;

/// Levels of the pairwise tree's stack: enough for 2**64 blocks (the runtime's `sums` reads
/// this many).
const PAIRWISE_LEVELS: u32 = 64;

/// A sum under way. Integers add in order into `block` (exact, wrapping as NumPy's do).
/// Floating-point and complex sums are pairwise, as NumPy's: `block` sums the current block,
/// and `levels` holds the stack of partial sums of the finished blocks with the number of
/// blocks (level `j` holds the sum of 2**j blocks when bit `j` of that number is set), kept by
/// the runtime's `sums`.
struct RunningSum<'ctx> {
    ty: Type,
    llvm: inkwell::types::BasicTypeEnum<'ctx>,
    block: PointerValue<'ctx>,
    levels: Option<(PointerValue<'ctx>, PointerValue<'ctx>)>,
}

/// The block size of a strided loop for blocks of `size` in a unit-stride one.
fn strided_block_size(size: u64) -> u64 {
    if size == PAIRWISE_BLOCK {
        PAIRWISE_STRIDED_BLOCK
    } else {
        size
    }
}

impl RunningSum<'_> {
    fn pairwise(&self) -> bool {
        self.levels.is_some()
    }
}

/// An array's walk for a reduction along one axis: the axis's length and byte stride, and
/// the other dimensions (the result's, in order) with the array's strides along them.
pub(crate) struct ReducedAxis<'ctx> {
    pub(crate) len: IntValue<'ctx>,
    stride: IntValue<'ctx>,
    pub(crate) out_dims: Vec<IntValue<'ctx>>,
    in_strides: Vec<IntValue<'ctx>>,
}

/// What a shape mismatch is reported as.
#[derive(Clone, Copy)]
pub(crate) enum Mismatch {
    /// Operands of one expression ("operands could not be broadcast together ...").
    Operands,
    /// A value assigned into an array ("could not broadcast input array from shape ...").
    Into,
}

impl<'ctx> FnLower<'ctx, '_> {
    pub(crate) fn map_operands(&mut self, operands: &[ir::Expr]) -> Result<Vec<Operand<'ctx>>> {
        let mut out = Vec::new();
        for o in operands {
            let v = self.expr(o)?;
            out.push(match &o.ty {
                Type::Array(a) => Operand::Array(v.into_struct_value(), a.clone()),
                _ => Operand::Scalar(v),
            });
        }
        Ok(out)
    }

    /// The dimensions of `arr`, as values.
    pub(crate) fn dims(&self, arr: StructValue<'ctx>, a: &ArrayType) -> Result<Vec<IntValue<'ctx>>> {
        (0..a.ndim as u32).map(|k| self.shape(arr, k)).collect()
    }

    /// Raises NumPy's `ValueError` naming `shapes` (see `ferrojit_rt_broadcast_error`), in the
    /// block the builder is in, which it ends.
    fn broadcast_error(&mut self, shapes: &[Vec<IntValue<'ctx>>], mismatch: Mismatch) -> Result<()> {
        let words: usize = shapes.iter().map(|s| 1 + s.len()).sum();
        let i64t = self.cx.i64_type();
        let buffer = self.entry_alloca(i64t.array_type(words as u32).into(), "shapes")?;
        let mut at = 0;
        let mut put = |this: &mut Self, v: IntValue<'ctx>| -> Result<()> {
            // SAFETY (for LLVM): `at` < `words`, the buffer's length.
            let slot = unsafe { this.b.build_in_bounds_gep(i64t, buffer, &[this.i64(at as i64)], "slot")? };
            this.b.build_store(slot, v)?;
            at += 1;
            Ok(())
        };
        for shape in shapes {
            put(self, self.i64(shape.len() as i64))?;
            for d in shape {
                put(self, *d)?;
            }
        }
        let ptr = self.cx.ptr_type(inkwell::AddressSpace::default());
        let f = self.extern_fn("ferrojit_rt_broadcast_error", None, &[ptr.into(), ptr.into(), i64t.into(), self.cx.i32_type().into()]);
        let into = self.cx.i32_type().const_int(matches!(mismatch, Mismatch::Into) as u64, false);
        self.b.build_call(f, &[self.exc().into(), buffer.into(), self.i64(shapes.len() as i64).into(), into.into()], "")?;
        self.leave_with_exception()
    }

    /// Continues only when `ok`; otherwise raises the broadcast error for `shapes`.
    fn check_broadcast(&mut self, ok: IntValue<'ctx>, shapes: &[Vec<IntValue<'ctx>>], mismatch: Mismatch) -> Result<()> {
        let (bad, cont) = (self.bb("broadcast.error"), self.bb("broadcast.ok"));
        let mismatched = self.b.build_not(ok, "mismatched")?;
        self.branch_rarely(mismatched, bad, cont)?;
        self.b.position_at_end(bad);
        self.broadcast_error(shapes, mismatch)?;
        self.b.position_at_end(cont);
        Ok(())
    }

    /// The broadcast shape of the array operands (NumPy's rules), checked.
    fn broadcast(&mut self, arrays: &[(StructValue<'ctx>, ArrayType)]) -> Result<Vec<IntValue<'ctx>>> {
        let ndim = arrays.iter().map(|(_, a)| a.ndim as usize).max().unwrap_or(0);
        let shapes: Vec<Vec<IntValue<'ctx>>> = arrays.iter().map(|(arr, a)| self.dims(*arr, a)).collect::<Result<_>>()?;
        let mut out = Vec::new();
        let mut ok = self.cx.bool_type().const_all_ones();
        let one = self.i64(1);
        for k in 0..ndim {
            let mut d = one;
            for shape in &shapes {
                let Some(j) = (k + shape.len()).checked_sub(ndim) else { continue };
                let s = shape[j];
                // s agrees with what came before when either is 1 or they are equal.
                let s_is_one = self.b.build_int_compare(IntPredicate::EQ, s, one, "s1")?;
                let d_is_one = self.b.build_int_compare(IntPredicate::EQ, d, one, "d1")?;
                let equal = self.b.build_int_compare(IntPredicate::EQ, s, d, "eq")?;
                let agree = self.b.build_or(self.b.build_or(s_is_one, d_is_one, "one")?, equal, "agree")?;
                ok = self.b.build_and(ok, agree, "ok")?;
                d = self.b.build_select(s_is_one, d, s, "dim")?.into_int_value();
            }
            out.push(d);
        }
        if shapes.len() > 1 {
            self.check_broadcast(ok, &shapes, Mismatch::Operands)?;
        }
        Ok(out)
    }

    /// The byte strides that walk `arr` over `shape` (its broadcast target): 0 along broadcast
    /// dimensions. Raises when `arr` does not broadcast to `shape`, unless `mismatch` is None:
    /// the caller knows it does (`shape` is the checked broadcast shape of operands that
    /// include `arr`).
    pub(crate) fn broadcast_strides(&mut self, arr: StructValue<'ctx>, a: &ArrayType, shape: &[IntValue<'ctx>], mismatch: Option<Mismatch>) -> Result<Vec<IntValue<'ctx>>> {
        let dims = self.dims(arr, a)?;
        let lead = shape.len() - dims.len();
        let mut strides = vec![self.i64(0); lead];
        let mut ok = self.cx.bool_type().const_all_ones();
        for (j, d) in dims.iter().enumerate() {
            let target = shape[lead + j];
            let is_one = self.b.build_int_compare(IntPredicate::EQ, *d, self.i64(1), "one")?;
            let equal = self.b.build_int_compare(IntPredicate::EQ, *d, target, "eq")?;
            ok = self.b.build_and(ok, self.b.build_or(is_one, equal, "fits")?, "ok")?;
            let stride = self.array_stride(arr, j as u32)?;
            // A dimension of length 1 repeats its element (when the target is 1 too, the stride
            // is never used).
            strides.push(self.b.build_select(is_one, self.i64(0), stride, "bstride")?.into_int_value());
        }
        if let (Some(mismatch), false) = (mismatch, dims.is_empty()) {
            self.check_broadcast(ok, &[dims, shape.to_vec()], mismatch)?;
        }
        Ok(strides)
    }

    /// Calls `body(pointers)` for every index of `shape` in C order; pointer `i` starts at
    /// `bases[i]` and moves by `strides[i][k]` bytes per step of dimension `k`, over elements
    /// of `itemsizes[i]` bytes.
    ///
    /// Two run-time decisions, taken once before the loops, keep the common cases fast:
    /// * trailing dimensions that every pointer walks as one run (each outer stride is the
    ///   inner stride times the run's length so far, or the dimension has length 1) merge
    ///   into the innermost loop, their own loops running once: contiguous operands of the
    ///   same layout make one flat loop;
    /// * the innermost loop comes in two versions: one where every pointer steps by its item
    ///   size (strides that are compile-time constants, which LLVM vectorises), and the
    ///   general one, any stride (0 for broadcast operands, negative for reversed views).
    pub(crate) fn strided_loop_nest(
        &mut self,
        shape: &[IntValue<'ctx>],
        bases: &[PointerValue<'ctx>],
        strides: &[Vec<IntValue<'ctx>>],
        itemsizes: &[u64],
        body: &mut dyn FnMut(&mut Self, &[PointerValue<'ctx>]) -> Result<()>,
    ) -> Result<()> {
        self.blocked_loop_nest(shape, bases, strides, itemsizes, None, body)
    }

    /// [`FnLower::strided_loop_nest`], with the innermost loop cut into blocks of at most
    /// `block.0` indices and `block.1` called after each block (for pairwise sums).
    pub(crate) fn blocked_loop_nest(
        &mut self,
        shape: &[IntValue<'ctx>],
        bases: &[PointerValue<'ctx>],
        strides: &[Vec<IntValue<'ctx>>],
        itemsizes: &[u64],
        block: Option<(u64, &mut dyn FnMut(&mut Self) -> Result<()>)>,
        body: &mut dyn FnMut(&mut Self, &[PointerValue<'ctx>]) -> Result<()>,
    ) -> Result<()> {
        let Some(last) = shape.len().checked_sub(1) else {
            body(self, bases)?;
            if let Some((_, after_block)) = block {
                after_block(self)?;
            }
            return Ok(());
        };
        let (one, i1) = (self.i64(1), self.cx.bool_type());
        // Merge trailing dimensions into the innermost run while every pointer allows it.
        let mut dims = shape.to_vec();
        let mut run = shape[last];
        let mut merging = i1.const_all_ones();
        for k in (0..last).rev() {
            let mut fits = i1.const_all_ones();
            for s in strides {
                let spans = self.b.build_int_mul(s[last], run, "span")?;
                fits = self.b.build_and(fits, self.b.build_int_compare(IntPredicate::EQ, s[k], spans, "fits")?, "fits")?;
            }
            let single = self.b.build_int_compare(IntPredicate::EQ, shape[k], one, "single")?;
            merging = self.b.build_and(merging, self.b.build_or(fits, single, "merges")?, "merging")?;
            let longer = self.b.build_int_mul(run, shape[k], "run")?;
            run = self.b.build_select(merging, longer, run, "run")?.into_int_value();
            dims[k] = self.b.build_select(merging, one, shape[k], "dim")?.into_int_value();
        }
        dims[last] = run;
        let mut unit = i1.const_all_ones();
        for (s, size) in strides.iter().zip(itemsizes) {
            unit = self.b.build_and(unit, self.b.build_int_compare(IntPredicate::EQ, s[last], self.i64(*size as i64), "unit")?, "unit")?;
        }
        let inner: Vec<IntValue<'ctx>> = strides.iter().map(|s| s[last]).collect();
        let mut nothing_after = |_: &mut Self| Ok(());
        let (block_size, after_block): (Option<u64>, &mut dyn FnMut(&mut Self) -> Result<()>) = match block {
            Some((size, after_block)) => (Some(size), after_block),
            None => (None, &mut nothing_after),
        };
        self.outer_loops(&dims, 0, bases, strides, &mut |this, ptrs| {
            let (contiguous, strided, done) = (this.bb("map.contiguous"), this.bb("map.strided"), this.bb("map.rows"));
            this.b.build_conditional_branch(unit, contiguous, strided)?;
            this.b.position_at_end(contiguous);
            let unit_strides: Vec<IntValue<'ctx>> = itemsizes.iter().map(|s| this.i64(*s as i64)).collect();
            this.inner_loop(dims[last], ptrs, &unit_strides, true, block_size, &mut *after_block, body)?;
            this.b.build_unconditional_branch(done)?;
            this.b.position_at_end(strided);
            // A strided run is summed in order: shorter blocks keep its rounding as small.
            this.inner_loop(dims[last], ptrs, &inner, false, block_size.map(strided_block_size), &mut *after_block, body)?;
            this.b.build_unconditional_branch(done)?;
            this.b.position_at_end(done);
            Ok(())
        })
    }

    /// The loops over dimensions `k..` but the last, calling `body` with the pointers at the
    /// start of each innermost run.
    fn outer_loops(
        &mut self,
        dims: &[IntValue<'ctx>],
        k: usize,
        bases: &[PointerValue<'ctx>],
        strides: &[Vec<IntValue<'ctx>>],
        body: &mut dyn FnMut(&mut Self, &[PointerValue<'ctx>]) -> Result<()>,
    ) -> Result<()> {
        if k + 1 == dims.len() {
            return body(self, bases);
        }
        let steps: Vec<IntValue<'ctx>> = strides.iter().map(|s| s[k]).collect();
        self.counted_loop(self.i64(0), dims[k], bases, &steps, false, &mut |this, _, ptrs| this.outer_loops(dims, k + 1, ptrs, strides, body))
    }

    /// The innermost loop over `0..len`, whole or in blocks of `block_size` indices with
    /// `after_block` after each; see [`FnLower::counted_loop`] for `vectorise`.
    #[allow(clippy::too_many_arguments)]
    fn inner_loop(
        &mut self,
        len: IntValue<'ctx>,
        bases: &[PointerValue<'ctx>],
        steps: &[IntValue<'ctx>],
        vectorise: bool,
        block_size: Option<u64>,
        after_block: &mut dyn FnMut(&mut Self) -> Result<()>,
        body: &mut dyn FnMut(&mut Self, &[PointerValue<'ctx>]) -> Result<()>,
    ) -> Result<()> {
        let Some(size) = block_size else {
            return self.counted_loop(self.i64(0), len, bases, steps, vectorise, &mut |this, _, ptrs| body(this, ptrs));
        };
        let size = self.i64(size as i64);
        let blocks = self.b.build_int_signed_div(self.b.build_int_add(len, self.b.build_int_sub(size, self.i64(1), "round")?, "up")?, size, "blocks")?;
        let no_steps: Vec<IntValue<'ctx>> = steps.iter().map(|_| self.i64(0)).collect();
        self.counted_loop(self.i64(0), blocks, bases, &no_steps, false, &mut |this, b, ptrs| {
            let start = this.b.build_int_mul(b, size, "start")?;
            let end = this.b.build_int_add(start, size, "end")?;
            let short = this.b.build_int_compare(IntPredicate::SLT, len, end, "short")?;
            let end = this.b.build_select(short, len, end, "end")?.into_int_value();
            this.counted_loop(start, end, ptrs, steps, vectorise, &mut |this, _, ptrs| body(this, ptrs))?;
            after_block(this)
        })
    }

    /// Tells LLVM to neither vectorise nor unroll the loop whose back edge is `back`: loops
    /// that run few times (over blocks, rows, tree levels) or whose vector form would not pay
    /// (strided runs) cost compile time and code size in those forms, and gain little.
    fn keep_scalar(&self, back: inkwell::values::InstructionValue<'ctx>) {
        self.loop_metadata(back, &[("llvm.loop.vectorize.enable", Some(0)), ("llvm.loop.unroll.disable", None)]);
    }

    /// Runs `body(i, pointers)` for `i` in `start..end`, pointer `p` at `bases[p] + i *
    /// steps[p]` bytes. Unless `vectorise`, LLVM is told to leave the loop scalar (loops over
    /// blocks and rows, and strided loops, whose vector forms would gather and scatter: slow
    /// to compile and rarely faster).
    pub(crate) fn counted_loop(
        &mut self,
        start: IntValue<'ctx>,
        end: IntValue<'ctx>,
        bases: &[PointerValue<'ctx>],
        steps: &[IntValue<'ctx>],
        vectorise: bool,
        body: &mut dyn FnMut(&mut Self, IntValue<'ctx>, &[PointerValue<'ctx>]) -> Result<()>,
    ) -> Result<()> {
        let counter = self.entry_alloca(self.cx.i64_type().into(), "i")?;
        self.b.build_store(counter, start)?;
        let (head, inner, exit) = (self.bb("loop.head"), self.bb("loop.body"), self.bb("loop.end"));
        self.b.build_unconditional_branch(head)?;
        self.b.position_at_end(head);
        let i = self.b.build_load(self.cx.i64_type(), counter, "i")?.into_int_value();
        let more = self.b.build_int_compare(IntPredicate::SLT, i, end, "more")?;
        self.b.build_conditional_branch(more, inner, exit)?;
        self.b.position_at_end(inner);
        let mut ptrs = Vec::new();
        for (base, step) in bases.iter().zip(steps) {
            let offset = self.b.build_int_nsw_mul(i, *step, "off")?;
            // SAFETY (for LLVM): inside the operand while i < its (broadcast) length.
            ptrs.push(unsafe { self.b.build_in_bounds_gep(self.cx.i8_type(), *base, &[offset], "p")? });
        }
        body(self, i, &ptrs)?;
        let next = self.b.build_int_nsw_add(i, self.i64(1), "next")?;
        self.b.build_store(counter, next)?;
        let back = self.b.build_unconditional_branch(head)?;
        if vectorise {
            self.loop_metadata(back, &[]);
        } else {
            self.keep_scalar(back);
        }
        self.b.position_at_end(exit);
        Ok(())
    }

    /// Walks the operands over `shape` and calls `body` with the value of `element` at each
    /// index.
    fn for_each_mapped(
        &mut self,
        operands: &[Operand<'ctx>],
        shape: &[IntValue<'ctx>],
        extra: Option<(PointerValue<'ctx>, Vec<IntValue<'ctx>>, u64)>,
        element: &ir::Expr,
        mismatch: Option<Mismatch>,
        block: Option<(u64, &mut dyn FnMut(&mut Self) -> Result<()>)>,
        body: &mut dyn FnMut(&mut Self, Value<'ctx>, Option<PointerValue<'ctx>>) -> Result<()>,
    ) -> Result<()> {
        // One pointer per array operand, in operand order, then the destination's if any.
        let mut bases = Vec::new();
        let mut strides = Vec::new();
        let mut itemsizes = Vec::new();
        for o in operands {
            if let Operand::Array(arr, a) = o {
                bases.push(self.b.build_extract_value(*arr, 1, "data")?.into_pointer_value());
                strides.push(self.broadcast_strides(*arr, a, shape, mismatch)?);
                itemsizes.push(a.dtype.itemsize().expect("arrays hold scalars"));
            }
        }
        let arrays = bases.len();
        if let Some((base, s, itemsize)) = extra {
            bases.push(base);
            strides.push(s);
            itemsizes.push(itemsize);
        }
        let has_extra = bases.len() > arrays;
        self.blocked_loop_nest(shape, &bases, &strides, &itemsizes, block, &mut |this, ptrs| {
            let mut values = Vec::new();
            let mut next_pointer = 0;
            for o in operands {
                values.push(match o {
                    Operand::Scalar(v) => *v,
                    Operand::Array(_, a) => {
                        next_pointer += 1;
                        this.load_element(ptrs[next_pointer - 1], a)?
                    }
                });
            }
            this.map_elements.push(values);
            let v = this.expr(element);
            this.map_elements.pop();
            body(this, v?, if has_extra { ptrs.last().copied() } else { None })
        })
    }

    /// The lowest and one-past-highest byte addresses an array's elements occupy, and whether
    /// it has none.
    fn extent(&mut self, arr: StructValue<'ctx>, a: &ArrayType) -> Result<(IntValue<'ctx>, IntValue<'ctx>, IntValue<'ctx>)> {
        let i64t = self.cx.i64_type();
        let data = self.b.build_extract_value(arr, 1, "data")?.into_pointer_value();
        let mut lo = self.b.build_ptr_to_int(data, i64t, "lo")?;
        let itemsize = a.dtype.itemsize().expect("arrays hold scalars") as i64;
        let mut hi = self.b.build_int_add(lo, self.i64(itemsize), "hi")?;
        let mut empty = self.cx.bool_type().const_zero();
        for k in 0..a.ndim as u32 {
            let len = self.shape(arr, k)?;
            let stride = self.array_stride(arr, k)?;
            let last = self.b.build_int_sub(len, self.i64(1), "last")?;
            let reach = self.b.build_int_mul(last, stride, "reach")?;
            let negative = self.b.build_int_compare(IntPredicate::SLT, reach, self.i64(0), "down")?;
            let down = self.b.build_select(negative, reach, self.i64(0), "down")?.into_int_value();
            let up = self.b.build_select(negative, self.i64(0), reach, "up")?.into_int_value();
            lo = self.b.build_int_add(lo, down, "lo")?;
            hi = self.b.build_int_add(hi, up, "hi")?;
            let none = self.b.build_int_compare(IntPredicate::EQ, len, self.i64(0), "none")?;
            empty = self.b.build_or(empty, none, "empty")?;
        }
        Ok((lo, hi, empty))
    }

    /// `arr`, or a copy of it when its memory overlaps `dst`'s other than as the very same
    /// view: a map reads each operand element before writing the destination element at the
    /// same index, so only an identical view may share memory with the destination (NumPy
    /// copies overlapping inputs too: `u[1:] = u[:-1] + 1` reads the old values).
    fn unaliased(&mut self, arr: StructValue<'ctx>, a: &ArrayType, dst: StructValue<'ctx>, d: &ArrayType) -> Result<StructValue<'ctx>> {
        let (lo, hi, empty) = self.extent(arr, a)?;
        let (dlo, dhi, dempty) = self.extent(dst, d)?;
        let before = self.b.build_int_compare(IntPredicate::ULT, lo, dhi, "before")?;
        let after = self.b.build_int_compare(IntPredicate::ULT, dlo, hi, "after")?;
        let either_empty = self.b.build_or(empty, dempty, "either_empty")?;
        let overlap = self.b.build_and(before, after, "overlap")?;
        let overlap = self.b.build_and(overlap, self.b.build_not(either_empty, "some")?, "overlap")?;
        let mut same = self.cx.bool_type().const_zero();
        if a.ndim == d.ndim && a.dtype == d.dtype {
            let pa = self.b.build_extract_value(arr, 1, "data")?.into_pointer_value();
            let pd = self.b.build_extract_value(dst, 1, "data")?.into_pointer_value();
            let pa = self.b.build_ptr_to_int(pa, self.cx.i64_type(), "pa")?;
            let pd = self.b.build_ptr_to_int(pd, self.cx.i64_type(), "pd")?;
            same = self.b.build_int_compare(IntPredicate::EQ, pa, pd, "same")?;
            for k in 0..a.ndim as u32 {
                let eq_len = self.b.build_int_compare(IntPredicate::EQ, self.shape(arr, k)?, self.shape(dst, k)?, "eqlen")?;
                let eq_stride = self.b.build_int_compare(IntPredicate::EQ, self.array_stride(arr, k)?, self.array_stride(dst, k)?, "eqstride")?;
                same = self.b.build_and(same, self.b.build_and(eq_len, eq_stride, "eqdim")?, "same")?;
            }
        }
        let copy_needed = self.b.build_and(overlap, self.b.build_not(same, "differs")?, "copy")?;
        let from = self.b.get_insert_block().expect("positioned");
        let (copy_bb, join) = (self.bb("map.copy"), self.bb("map.operand"));
        self.branch_rarely(copy_needed, copy_bb, join)?;
        self.b.position_at_end(copy_bb);
        let dims = self.dims(arr, a)?;
        let copy_ty = Type::Array(a.with(a.ndim, ferrojit_types::Layout::C));
        let copy = self.new_array_of_dims(dims, &copy_ty, false)?;
        self.keep_scratch_array(copy, &copy_ty)?;
        let copy = copy.into_struct_value();
        self.copy_elements(arr, copy, a)?;
        let copied_from = self.b.get_insert_block().expect("positioned");
        self.b.build_unconditional_branch(join)?;
        self.b.position_at_end(join);
        // The copy's struct has the operand's LLVM type: both are arrays of this ndim.
        let phi = self.b.build_phi(arr.get_type(), "operand")?;
        phi.add_incoming(&[(&arr, from), (&copy, copied_from)]);
        Ok(phi.as_basic_value().into_struct_value())
    }

    /// Copies every element of `src` into `dst`, an array of the same shape and dtype that does
    /// not overlap it, through the runtime (one call: for rare paths, where a loop nest of
    /// their own would only cost compile time).
    fn copy_elements(&mut self, src: StructValue<'ctx>, dst: StructValue<'ctx>, a: &ArrayType) -> Result<()> {
        let i64t = self.cx.i64_type();
        let n = a.ndim as u32;
        let buffer = self.entry_alloca(i64t.array_type(3 * n).into(), "copy.dims")?;
        for k in 0..n {
            let values = [self.shape(src, k)?, self.array_stride(src, k)?, self.array_stride(dst, k)?];
            for (part, v) in values.into_iter().enumerate() {
                // SAFETY (for LLVM): part * n + k < 3 * n, the buffer's length.
                let slot = unsafe { self.b.build_in_bounds_gep(i64t, buffer, &[self.i64((part as u32 * n + k) as i64)], "dim")? };
                self.b.build_store(slot, v)?;
            }
        }
        let ptr = self.cx.ptr_type(inkwell::AddressSpace::default());
        let f = self.extern_fn("ferrojit_rt_copy_elements", None, &[i64t.into(), ptr.into(), ptr.into(), ptr.into(), i64t.into()]);
        let from = self.b.build_extract_value(src, 1, "data")?;
        let to = self.b.build_extract_value(dst, 1, "data")?;
        let itemsize = a.dtype.itemsize().expect("arrays hold scalars") as i64;
        self.b.build_call(f, &[self.i64(n as i64).into(), buffer.into(), from.into(), to.into(), self.i64(itemsize).into()], "")?;
        Ok(())
    }

    /// `StmtKind::ArrayMap`: every element of `dst` from the operands' elements; `fresh`: `dst`
    /// is a new array of the operands' checked broadcast shape (see the IR's `ArrayMap`).
    pub(crate) fn array_map(&mut self, dst: &ir::Expr, operands: &[ir::Expr], element: &ir::Expr, fresh: bool) -> Result<()> {
        let d = array_type(&dst.ty);
        let dst_v = self.expr(dst)?.into_struct_value();
        let mut ops = self.map_operands(operands)?;
        if !fresh {
            for o in ops.iter_mut() {
                if let Operand::Array(arr, a) = o {
                    *arr = self.unaliased(*arr, a, dst_v, &d)?;
                }
            }
        }
        let shape = self.dims(dst_v, &d)?;
        let mismatch = (!fresh).then_some(Mismatch::Into);
        // In a `parallel=True` function, the map is a kernel, run on the pool when large.
        if self.parallel_array_map(dst, dst_v, &d, &ops, &shape, operands, element, mismatch)? {
            return Ok(());
        }
        self.store_mapped(dst_v, &d, &ops, &shape, element, mismatch)
    }

    /// Stores `element` of the operands into every element of `dst_v` (of shape `shape`),
    /// raising when an operand does not broadcast to it (unless `mismatch` is None: it is
    /// known to).
    pub(crate) fn store_mapped(&mut self, dst_v: StructValue<'ctx>, d: &ArrayType, ops: &[Operand<'ctx>], shape: &[IntValue<'ctx>], element: &ir::Expr, mismatch: Option<Mismatch>) -> Result<()> {
        let base = self.b.build_extract_value(dst_v, 1, "data")?.into_pointer_value();
        let strides = (0..d.ndim as u32).map(|k| self.array_stride(dst_v, k)).collect::<Result<Vec<_>>>()?;
        let itemsize = d.dtype.itemsize().expect("arrays hold scalars");
        self.for_each_mapped(ops, shape, Some((base, strides, itemsize)), element, mismatch, None, &mut |this, v, dst_ptr| {
            this.store_element(dst_ptr.expect("the destination's pointer"), d, v)
        })
    }

    /// `ExprKind::BroadcastShape`: the broadcast shape of array operands, as a tuple.
    pub(crate) fn broadcast_shape(&mut self, operands: &[ir::Expr], ty: &Type) -> Result<Value<'ctx>> {
        let mut arrays = Vec::new();
        for o in operands {
            let v = self.expr(o)?.into_struct_value();
            arrays.push((v, array_type(&o.ty)));
        }
        let shape = self.broadcast(&arrays)?;
        let st = crate::abi::llvm_type(self.cx, ty).into_struct_type();
        let mut agg = st.get_undef();
        for (k, d) in shape.into_iter().enumerate() {
            agg = self.b.build_insert_value(agg, d, k as u32, "shape")?.into_struct_value();
        }
        Ok(agg.into())
    }

    /// `ExprKind::MapReduce`: a reduction of the element-wise expression over the operands'
    /// broadcast shape, with no array in between.
    pub(crate) fn map_reduce(&mut self, op: ir::ReduceOp, operands: &[ir::Expr], element: &ir::Expr, ty: &Type) -> Result<Value<'ctx>> {
        let ops = self.map_operands(operands)?;
        let arrays: Vec<(StructValue<'ctx>, ArrayType)> = ops
            .iter()
            .filter_map(|o| match o {
                Operand::Array(arr, a) => Some((*arr, a.clone())),
                Operand::Scalar(_) => None,
            })
            .collect();
        let shape = self.broadcast(&arrays)?;
        let mut size = self.i64(1);
        for d in &shape {
            size = self.b.build_int_mul(size, *d, "size")?;
        }
        if matches!(op, ir::ReduceOp::Min | ir::ReduceOp::Max) {
            let empty = self.b.build_int_compare(IntPredicate::EQ, size, self.i64(0), "empty")?;
            let what = if op == ir::ReduceOp::Min { "minimum" } else { "maximum" };
            self.raise_if(empty, ExcKind::ValueError, &format!("zero-size array to reduction operation {what} which has no identity"))?;
        }
        // In a `parallel=True` function, the reduction is a kernel, run on the pool when large.
        if let Some(value) = self.parallel_map_reduce(op, &ops, &shape, size, operands, element, ty)? {
            return Ok(value);
        }
        let total = self.reduce_mapped(op, &ops, &shape, element, ty)?;
        if op == ir::ReduceOp::Mean { self.mean_of(total, size, ty) } else { Ok(total) }
    }

    /// The reduction `op` of `element` over `shape` (whose operands broadcast to it, checked),
    /// of type `ty`: the sum for `Sum` and `Mean` (the caller divides), or the smallest or
    /// largest element (the caller has refused an empty shape).
    pub(crate) fn reduce_mapped(&mut self, op: ir::ReduceOp, ops: &[Operand<'ctx>], shape: &[IntValue<'ctx>], element: &ir::Expr, ty: &Type) -> Result<Value<'ctx>> {
        let elem_ty = element.ty.clone();
        match op {
            ir::ReduceOp::Sum | ir::ReduceOp::Mean => {
                let sum = self.sum_begin(ty)?;
                let mut after_block = |this: &mut Self| this.sum_block_end(&sum);
                let block = sum.pairwise().then_some((PAIRWISE_BLOCK, &mut after_block as &mut dyn FnMut(&mut Self) -> Result<()>));
                self.for_each_mapped(ops, shape, None, element, None, block, &mut |this, v, _| {
                    let v = this.cast(v, &elem_ty, ty)?;
                    this.sum_add(&sum, v)
                })?;
                self.sum_end(&sum)
            }
            ir::ReduceOp::Prod | ir::ReduceOp::Min | ir::ReduceOp::Max => {
                let acc_llvm = crate::abi::llvm_type(self.cx, ty);
                let acc = self.entry_alloca(acc_llvm, "acc")?;
                self.b.build_store(acc, self.fold_identity(op, ty)?)?;
                self.for_each_mapped(ops, shape, None, element, None, None, &mut |this, v, _| {
                    let current = this.b.build_load(acc_llvm, acc, "acc")?;
                    let next = this.fold_step(op, current, v, &elem_ty, ty)?;
                    this.b.build_store(acc, next)?;
                    Ok(())
                })?;
                Ok(self.b.build_load(acc_llvm, acc, "result")?)
            }
        }
    }

    /// Where a `Prod`, `Min` or `Max` reduction of values of type `ty` starts: 1, or the
    /// largest (smallest) value of the type.
    pub(crate) fn fold_identity(&self, op: ir::ReduceOp, ty: &Type) -> Result<Value<'ctx>> {
        match op {
            ir::ReduceOp::Prod => Ok(self.one_of(ty)),
            _ => self.min_max_identity(op == ir::ReduceOp::Min, ty),
        }
    }

    /// One step of a `Prod`, `Min` or `Max` reduction into `current` (of type `ty`) of `v` (of
    /// type `v_ty`): the product in `ty`, or the smaller (larger) of the two, NaN winning.
    pub(crate) fn fold_step(&mut self, op: ir::ReduceOp, current: Value<'ctx>, v: Value<'ctx>, v_ty: &Type, ty: &Type) -> Result<Value<'ctx>> {
        match op {
            ir::ReduceOp::Prod => {
                let v = self.cast(v, v_ty, ty)?;
                self.binary(ir::BinaryOp::Mul, current, v, ty, ty)
            }
            _ => self.min_max_step(op == ir::ReduceOp::Min, v, current, v_ty),
        }
    }

    /// `sum / count` as NumPy's mean: a float or complex sum divided by the number of
    /// elements; NaN (NumPy also warns) when there are none.
    pub(crate) fn mean_of(&mut self, sum: Value<'ctx>, count: IntValue<'ctx>, ty: &Type) -> Result<Value<'ctx>> {
        let float = match ty {
            Type::Float(f) | Type::Complex(f) => *f,
            _ => return Err(crate::CodegenError(format!("a mean typed {ty}, not a float or complex number"))),
        };
        let n = self.cast(count.into(), &Type::INT64, &Type::Float(float))?.into_float_value();
        let Type::Complex(_) = ty else {
            // 0 / 0 is NaN.
            return Ok(self.b.build_float_div(sum.into_float_value(), n, "mean")?.into());
        };
        // Complex division by (n + 0j), as NumPy's mean divides: inf and NaN spread to both
        // parts as they do there; an empty mean is NaN in both parts.
        let st = sum.get_type().into_struct_type();
        let zero = n.get_type().const_zero();
        let agg = self.b.build_insert_value(st.get_undef(), n, 0, "re")?;
        let divisor = self.b.build_insert_value(agg, zero, 1, "im")?.into_struct_value();
        let empty = self.b.build_int_compare(IntPredicate::EQ, count, self.i64(0), "empty")?;
        let (nonempty_bb, empty_bb, end) = (self.bb("mean.div"), self.bb("mean.empty"), self.bb("mean.end"));
        self.b.build_conditional_branch(empty, empty_bb, nonempty_bb)?;
        self.b.position_at_end(nonempty_bb);
        let q = self.binary(ir::BinaryOp::Div, sum, divisor.into(), ty, ty)?;
        let from = self.b.get_insert_block().expect("positioned");
        self.b.build_unconditional_branch(end)?;
        self.b.position_at_end(empty_bb);
        let nan = n.get_type().const_float(f64::NAN);
        let agg = self.b.build_insert_value(st.get_undef(), nan, 0, "re")?;
        let nan_c = self.b.build_insert_value(agg, nan, 1, "im")?.into_struct_value();
        self.b.build_unconditional_branch(end)?;
        self.b.position_at_end(end);
        let phi = self.b.build_phi(st, "mean")?;
        phi.add_incoming(&[(&q, from), (&nan_c, empty_bb)]);
        Ok(phi.as_basic_value())
    }

    /// A sum of values of type `ty` starting at 0, in `ty`'s storage (see [`RunningSum`]).
    fn sum_begin(&mut self, ty: &Type) -> Result<RunningSum<'ctx>> {
        let llvm = crate::abi::llvm_type(self.cx, ty);
        let block = self.entry_alloca(llvm, "sum.block")?;
        self.b.build_store(block, llvm.const_zero())?;
        let levels = if matches!(ty, Type::Float(_) | Type::Complex(_)) {
            let stack = self.entry_alloca(llvm.array_type(PAIRWISE_LEVELS).into(), "sum.levels")?;
            let blocks = self.entry_alloca(self.cx.i64_type().into(), "sum.blocks")?;
            self.b.build_store(blocks, self.i64(0))?;
            Some((stack, blocks))
        } else {
            None
        };
        Ok(RunningSum { ty: ty.clone(), llvm, block, levels })
    }

    /// Adds `v` to the current block. Floating-point additions here may be reordered
    /// (`reassoc`): the block's sum is then spread over vector lanes, which changes its
    /// rounding no more than NumPy's own eight-way unrolled blocks do.
    fn sum_add(&mut self, sum: &RunningSum<'ctx>, v: Value<'ctx>) -> Result<()> {
        let current = self.b.build_load(sum.llvm, sum.block, "sum")?;
        let next = self.add_reassociable(current, v, &sum.ty)?;
        self.b.build_store(sum.block, next)?;
        Ok(())
    }

    fn add_reassociable(&mut self, a: Value<'ctx>, b: Value<'ctx>, ty: &Type) -> Result<Value<'ctx>> {
        let fadd = |this: &Self, x: inkwell::values::FloatValue<'ctx>, y: inkwell::values::FloatValue<'ctx>| -> Result<inkwell::values::FloatValue<'ctx>> {
            let s = this.b.build_float_add(x, y, "sum")?;
            if let Some(inst) = s.as_instruction() {
                inst.set_fast_math_flags(inkwell::values::FastMathFlags::AllowReassoc).map_err(|e| crate::CodegenError(e.to_string()))?;
            }
            Ok(s)
        };
        Ok(match ty {
            Type::Float(_) => fadd(self, a.into_float_value(), b.into_float_value())?.into(),
            Type::Complex(_) => {
                let (ar, ai) = self.parts(a)?;
                let (br, bi) = self.parts(b)?;
                let (re, im) = (fadd(self, ar, br)?, fadd(self, ai, bi)?);
                self.complex(re, im)?.into()
            }
            _ => self.binary(ir::BinaryOp::Add, a, b, ty, ty)?,
        })
    }

    /// Ends a block of a pairwise sum: its sum joins the tree of partial sums (see the
    /// runtime's `sums`, which keeps it: the tree's work runs once per block, and out of line
    /// it costs LLVM no loops), and the next block starts at 0.
    fn sum_block_end(&mut self, sum: &RunningSum<'ctx>) -> Result<()> {
        let Some((stack, blocks)) = sum.levels else { return Ok(()) };
        let (ptr, i64t) = (self.cx.ptr_type(inkwell::AddressSpace::default()), self.cx.i64_type());
        let f = self.extern_fn("ferrojit_rt_pairwise_push", None, &[ptr.into(), ptr.into(), ptr.into(), i64t.into()]);
        self.b.build_call(f, &[stack.into(), blocks.into(), sum.block.into(), self.pairwise_kind(&sum.ty)?.into()], "")?;
        self.b.build_store(sum.block, sum.llvm.const_zero())?;
        Ok(())
    }

    /// The sum: the open block plus the partial sums of the tree.
    fn sum_end(&mut self, sum: &RunningSum<'ctx>) -> Result<Value<'ctx>> {
        if let Some((stack, blocks)) = sum.levels {
            let (ptr, i64t) = (self.cx.ptr_type(inkwell::AddressSpace::default()), self.cx.i64_type());
            let f = self.extern_fn("ferrojit_rt_pairwise_total", None, &[ptr.into(), i64t.into(), ptr.into(), i64t.into()]);
            let count = self.b.build_load(i64t, blocks, "blocks")?;
            self.b.build_call(f, &[stack.into(), count.into(), sum.block.into(), self.pairwise_kind(&sum.ty)?.into()], "")?;
        }
        Ok(self.b.build_load(sum.llvm, sum.block, "sum")?)
    }

    /// The runtime's name for a pairwise sum's type.
    fn pairwise_kind(&self, ty: &Type) -> Result<IntValue<'ctx>> {
        use ferrojit_runtime::sums::{PAIRWISE_C128, PAIRWISE_C64, PAIRWISE_F32, PAIRWISE_F64};
        use ferrojit_types::FloatType::{F32, F64};
        let kind = match ty {
            Type::Float(F32) => PAIRWISE_F32,
            Type::Float(F64) => PAIRWISE_F64,
            Type::Complex(F32) => PAIRWISE_C64,
            Type::Complex(F64) => PAIRWISE_C128,
            _ => return Err(crate::CodegenError(format!("a pairwise sum typed {ty}"))),
        };
        Ok(self.i64(kind))
    }

    /// Inside a map: operand `i`'s current element.
    pub(crate) fn map_element(&self, i: usize) -> Result<Value<'ctx>> {
        self.map_elements.last().and_then(|values| values.get(i)).copied().ok_or_else(|| crate::CodegenError(format!("map element {i} outside a map")))
    }
}

impl<'ctx> FnLower<'ctx, '_> {
    /// `i < n ? of[i] : of[i + 1]`-style picks: element `k` of `values` where `k` is a run-time
    /// index (a chain of selects; arrays have few dimensions).
    fn pick(&self, values: &[IntValue<'ctx>], k: IntValue<'ctx>) -> Result<IntValue<'ctx>> {
        let mut out = values[0];
        for (i, v) in values.iter().enumerate().skip(1) {
            let here = self.b.build_int_compare(IntPredicate::EQ, k, self.i64(i as i64), "here")?;
            out = self.b.build_select(here, *v, out, "pick")?.into_int_value();
        }
        Ok(out)
    }

    /// `ExprKind::AxisReduce`: for each index of the other dimensions (in C order), the
    /// reduction of the elements along `axis`, stored into a new C-contiguous array.
    pub(crate) fn axis_reduce(&mut self, op: ir::ReduceOp, array: &ir::Expr, axis: &ir::Expr, keepdims: bool, ty: &Type) -> Result<Value<'ctx>> {
        let a = array_type(&array.ty);
        let arr = self.expr(array)?.into_struct_value();
        let given = self.expr(axis)?.into_int_value();
        let n = a.ndim as i64;
        // NumPy's normalisation: a negative axis counts from the end, once.
        let negative = self.b.build_int_compare(IntPredicate::SLT, given, self.i64(0), "negaxis")?;
        let wrapped = self.b.build_int_add(given, self.i64(n), "wrapped")?;
        let axis_v = self.b.build_select(negative, wrapped, given, "axis")?.into_int_value();
        let outside = self.b.build_int_compare(IntPredicate::UGE, axis_v, self.i64(n), "outside")?;
        let (bad, ok) = (self.bb("axis.error"), self.bb("axis.ok"));
        self.branch_rarely(outside, bad, ok)?;
        self.b.position_at_end(bad);
        let i64t = self.cx.i64_type();
        let ptr = self.cx.ptr_type(inkwell::AddressSpace::default());
        let f = self.extern_fn("ferrojit_rt_axis_error", None, &[ptr.into(), i64t.into(), i64t.into()]);
        self.b.build_call(f, &[self.exc().into(), given.into(), self.i64(n).into()], "")?;
        self.leave_with_exception()?;
        self.b.position_at_end(ok);

        let dims = self.dims(arr, &a)?;
        let along = self.reduced_axis(arr, &a, axis_v)?;
        let allocated_dims = if keepdims {
            // The kept dimension has length 1: the memory is the same as without it.
            (0..a.ndim as usize).map(|k| {
                let here = self.b.build_int_compare(IntPredicate::EQ, axis_v, self.i64(k as i64), "here")?;
                Ok(self.b.build_select(here, self.i64(1), dims[k], "dim")?.into_int_value())
            }).collect::<Result<Vec<_>>>()?
        } else {
            along.out_dims.clone()
        };
        if matches!(op, ir::ReduceOp::Min | ir::ReduceOp::Max) {
            let mut others = self.i64(1);
            for d in &along.out_dims {
                others = self.b.build_int_mul(others, *d, "others")?;
            }
            // NumPy raises for an empty axis when there is anything to reduce.
            let empty = self.b.build_int_compare(IntPredicate::EQ, along.len, self.i64(0), "empty")?;
            let some = self.b.build_int_compare(IntPredicate::NE, others, self.i64(0), "some")?;
            let refuse = self.b.build_and(empty, some, "refuse")?;
            let what = if op == ir::ReduceOp::Min { "minimum" } else { "maximum" };
            self.raise_if(refuse, ExcKind::ValueError, &format!("zero-size array to reduction operation {what} which has no identity"))?;
        }
        let out = self.new_array_of_dims(allocated_dims, ty, false)?.into_struct_value();
        // In a `parallel=True` function, the result's elements are shared out on the pool.
        if !self.parallel_axis_reduce(op, out, arr, &a, axis_v, &along, ty, axis.span.line)? {
            self.reduce_along(op, out, arr, &a, &along, ty, None)?;
        }
        Ok(out.into())
    }

    /// How `arr` is walked to reduce it along its (normalised, checked) axis `axis_v`.
    pub(crate) fn reduced_axis(&mut self, arr: StructValue<'ctx>, a: &ArrayType, axis_v: IntValue<'ctx>) -> Result<ReducedAxis<'ctx>> {
        let dims = self.dims(arr, a)?;
        let strides = (0..a.ndim as u32).map(|k| self.array_stride(arr, k)).collect::<Result<Vec<_>>>()?;
        let len = self.pick(&dims, axis_v)?;
        let stride = self.pick(&strides, axis_v)?;
        // The other dimensions, in order: dimension j of the result is j or j + 1 of the input.
        let mut out_dims = Vec::new();
        let mut in_strides = Vec::new();
        for j in 0..(a.ndim as usize).saturating_sub(1) {
            let before = self.b.build_int_compare(IntPredicate::SLT, self.i64(j as i64), axis_v, "before")?;
            out_dims.push(self.b.build_select(before, dims[j], dims[j + 1], "dim")?.into_int_value());
            in_strides.push(self.b.build_select(before, strides[j], strides[j + 1], "stride")?.into_int_value());
        }
        Ok(ReducedAxis { len, stride, out_dims, in_strides })
    }

    /// Stores into `out` (a C-contiguous array of `out_ty`, of the other dimensions' shape,
    /// the reduced one kept or not) the reduction `op` of `arr` along the axis `along`
    /// describes; only of the result's indices `lo..lo + count` of its first dimension when
    /// `rows` is given (a chunk on the pool).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn reduce_along(&mut self, op: ir::ReduceOp, out: StructValue<'ctx>, arr: StructValue<'ctx>, a: &ArrayType, along: &ReducedAxis<'ctx>, out_ty: &Type, rows: Option<(IntValue<'ctx>, IntValue<'ctx>)>) -> Result<()> {
        let out_type = array_type(out_ty);
        let itemsize = out_type.dtype.itemsize().expect("arrays hold scalars");
        let out_strides = self.c_strides(&along.out_dims, itemsize)?;
        let mut out_base = self.b.build_extract_value(out, 1, "data")?.into_pointer_value();
        let mut in_base = self.b.build_extract_value(arr, 1, "data")?.into_pointer_value();
        let mut out_dims = along.out_dims.clone();
        if let Some((lo, count)) = rows {
            let i8t = self.cx.i8_type();
            // SAFETY (for LLVM): `lo` < the first dimension's length, an index of both arrays.
            out_base = unsafe { self.b.build_in_bounds_gep(i8t, out_base, &[self.b.build_int_mul(lo, out_strides[0], "offset")?], "rows")? };
            in_base = unsafe { self.b.build_in_bounds_gep(i8t, in_base, &[self.b.build_int_mul(lo, along.in_strides[0], "offset")?], "rows")? };
            out_dims[0] = count;
        }
        let (len, stride) = (along.len, along.stride);
        let dtype = (*a.dtype).clone();
        let acc_ty = (*out_type.dtype).clone();
        let in_size = dtype.itemsize().expect("arrays hold scalars");
        let sizes = [itemsize, in_size];
        self.strided_loop_nest(&out_dims, &[out_base, in_base], &[out_strides, along.in_strides.clone()], &sizes, &mut |this, ptrs| {
            let (dst, src) = (ptrs[0], ptrs[1]);
            let result = match op {
                ir::ReduceOp::Sum | ir::ReduceOp::Mean => {
                    let sum = this.sum_begin(&acc_ty)?;
                    let mut add = |this: &mut Self, p: &[PointerValue<'ctx>]| {
                        let v = this.load_element(p[0], a)?;
                        let v = this.cast(v, &dtype, &acc_ty)?;
                        this.sum_add(&sum, v)
                    };
                    if sum.pairwise() {
                        // An axis no longer than a block is one block, with no tree to build:
                        // short axes (the rows of an (n, 3) array) are common.
                        let (one_block, blocks, summed) = (this.bb("axis.short"), this.bb("axis.long"), this.bb("axis.summed"));
                        let short = this.b.build_int_compare(IntPredicate::SLE, len, this.i64(PAIRWISE_BLOCK as i64), "short")?;
                        this.b.build_conditional_branch(short, one_block, blocks)?;
                        this.b.position_at_end(one_block);
                        this.blocked_loop_nest(&[len], &[src], &[vec![stride]], &[in_size], None, &mut add)?;
                        this.b.build_unconditional_branch(summed)?;
                        this.b.position_at_end(blocks);
                        let mut after_block = |this: &mut Self| this.sum_block_end(&sum);
                        this.blocked_loop_nest(&[len], &[src], &[vec![stride]], &[in_size], Some((PAIRWISE_BLOCK, &mut after_block)), &mut add)?;
                        this.b.build_unconditional_branch(summed)?;
                        this.b.position_at_end(summed);
                    } else {
                        this.blocked_loop_nest(&[len], &[src], &[vec![stride]], &[in_size], None, &mut add)?;
                    }
                    let total = this.sum_end(&sum)?;
                    if op == ir::ReduceOp::Mean { this.mean_of(total, len, &acc_ty)? } else { total }
                }
                ir::ReduceOp::Prod | ir::ReduceOp::Min | ir::ReduceOp::Max => {
                    let acc_llvm = crate::abi::llvm_type(this.cx, &acc_ty);
                    let acc = this.entry_alloca(acc_llvm, "acc")?;
                    this.b.build_store(acc, this.fold_identity(op, &acc_ty)?)?;
                    this.strided_loop_nest(&[len], &[src], &[vec![stride]], &[in_size], &mut |this, p| {
                        let v = this.load_element(p[0], a)?;
                        let current = this.b.build_load(acc_llvm, acc, "acc")?;
                        let next = this.fold_step(op, current, v, &dtype, &acc_ty)?;
                        this.b.build_store(acc, next)?;
                        Ok(())
                    })?;
                    this.b.build_load(acc_llvm, acc, "result")?
                }
            };
            this.store_element(dst, &out_type, result)
        })
    }
}
