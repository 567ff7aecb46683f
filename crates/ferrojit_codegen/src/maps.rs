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
use inkwell::IntPredicate;

type Value<'ctx> = BasicValueEnum<'ctx>;

/// A map operand, evaluated.
enum Operand<'ctx> {
    Array(StructValue<'ctx>, ArrayType),
    Scalar(Value<'ctx>),
}

/// What a shape mismatch is reported as.
#[derive(Clone, Copy)]
enum Mismatch {
    /// Operands of one expression ("operands could not be broadcast together ...").
    Operands,
    /// A value assigned into an array ("could not broadcast input array from shape ...").
    Into,
}

impl<'ctx> FnLower<'ctx, '_> {
    fn map_operands(&mut self, operands: &[ir::Expr]) -> Result<Vec<Operand<'ctx>>> {
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
    fn dims(&self, arr: StructValue<'ctx>, a: &ArrayType) -> Result<Vec<IntValue<'ctx>>> {
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
    fn broadcast_strides(&mut self, arr: StructValue<'ctx>, a: &ArrayType, shape: &[IntValue<'ctx>], mismatch: Option<Mismatch>) -> Result<Vec<IntValue<'ctx>>> {
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
    /// `bases[i]` and moves by `strides[i][k]` bytes per step of dimension `k`.
    pub(crate) fn strided_loop_nest(
        &mut self,
        shape: &[IntValue<'ctx>],
        bases: &[PointerValue<'ctx>],
        strides: &[Vec<IntValue<'ctx>>],
        body: &mut dyn FnMut(&mut Self, &[PointerValue<'ctx>]) -> Result<()>,
    ) -> Result<()> {
        self.strided_loop(shape, 0, bases, strides, body)
    }

    fn strided_loop(
        &mut self,
        shape: &[IntValue<'ctx>],
        k: usize,
        bases: &[PointerValue<'ctx>],
        strides: &[Vec<IntValue<'ctx>>],
        body: &mut dyn FnMut(&mut Self, &[PointerValue<'ctx>]) -> Result<()>,
    ) -> Result<()> {
        if k == shape.len() {
            return body(self, bases);
        }
        let counter = self.entry_alloca(self.cx.i64_type().into(), "i")?;
        self.b.build_store(counter, self.i64(0))?;
        let (head, inner, end) = (self.bb("map.head"), self.bb("map.body"), self.bb("map.end"));
        self.b.build_unconditional_branch(head)?;
        self.b.position_at_end(head);
        let i = self.b.build_load(self.cx.i64_type(), counter, "i")?.into_int_value();
        let more = self.b.build_int_compare(IntPredicate::SLT, i, shape[k], "more")?;
        self.b.build_conditional_branch(more, inner, end)?;
        self.b.position_at_end(inner);
        let mut ptrs = Vec::new();
        for (base, s) in bases.iter().zip(strides) {
            let offset = self.b.build_int_mul(i, s[k], "off")?;
            // SAFETY (for LLVM): inside the operand while i < its (broadcast) length.
            ptrs.push(unsafe { self.b.build_gep(self.cx.i8_type(), *base, &[offset], "p")? });
        }
        self.strided_loop(shape, k + 1, &ptrs, strides, body)?;
        let next = self.b.build_int_add(i, self.i64(1), "next")?;
        self.b.build_store(counter, next)?;
        self.b.build_unconditional_branch(head)?;
        self.b.position_at_end(end);
        Ok(())
    }

    /// Walks the operands over `shape` and calls `body` with the value of `element` at each
    /// index.
    fn for_each_mapped(
        &mut self,
        operands: &[Operand<'ctx>],
        shape: &[IntValue<'ctx>],
        extra: Option<(PointerValue<'ctx>, Vec<IntValue<'ctx>>)>,
        element: &ir::Expr,
        mismatch: Option<Mismatch>,
        body: &mut dyn FnMut(&mut Self, Value<'ctx>, Option<PointerValue<'ctx>>) -> Result<()>,
    ) -> Result<()> {
        // One pointer per array operand, in operand order, then the destination's if any.
        let mut bases = Vec::new();
        let mut strides = Vec::new();
        for o in operands {
            if let Operand::Array(arr, a) = o {
                bases.push(self.b.build_extract_value(*arr, 1, "data")?.into_pointer_value());
                strides.push(self.broadcast_strides(*arr, a, shape, mismatch)?);
            }
        }
        let arrays = bases.len();
        if let Some((base, s)) = extra {
            bases.push(base);
            strides.push(s);
        }
        let has_extra = bases.len() > arrays;
        self.strided_loop_nest(shape, &bases, &strides, &mut |this, ptrs| {
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
        let copy = self.new_array_of_dims(dims, &copy_ty)?;
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
        let base = self.b.build_extract_value(dst_v, 1, "data")?.into_pointer_value();
        let strides = (0..d.ndim as u32).map(|k| self.array_stride(dst_v, k)).collect::<Result<Vec<_>>>()?;
        let mismatch = (!fresh).then_some(Mismatch::Into);
        self.for_each_mapped(&ops, &shape, Some((base, strides)), element, mismatch, &mut |this, v, dst_ptr| {
            this.store_element(dst_ptr.expect("the destination's pointer"), &d, v)
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
    /// broadcast shape, element by element in C order, with no array in between.
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
        let elem_ty = element.ty.clone();
        let acc_llvm = crate::abi::llvm_type(self.cx, ty);
        let acc = self.entry_alloca(acc_llvm, "acc")?;
        match op {
            ir::ReduceOp::Sum | ir::ReduceOp::Mean => {
                self.b.build_store(acc, acc_llvm.const_zero())?;
                let acc_ty = ty.clone();
                self.for_each_mapped(&ops, &shape, None, element, None, &mut |this, v, _| {
                    let v = this.cast(v, &elem_ty, &acc_ty)?;
                    let current = this.b.build_load(acc_llvm, acc, "acc")?;
                    let next = this.binary(ir::BinaryOp::Add, current, v, &acc_ty, &acc_ty)?;
                    this.b.build_store(acc, next)?;
                    Ok(())
                })?;
                let sum = self.b.build_load(acc_llvm, acc, "sum")?;
                if op == ir::ReduceOp::Sum {
                    return Ok(sum);
                }
                let Type::Float(f) = ty else {
                    return Err(crate::CodegenError(format!("the mean of a map is typed {ty}, not a real float")));
                };
                // NumPy gives NaN (with a warning) for the mean of nothing: 0 / 0.
                let n = self.cast(size.into(), &Type::INT64, &Type::Float(*f))?.into_float_value();
                Ok(self.b.build_float_div(sum.into_float_value(), n, "mean")?.into())
            }
            ir::ReduceOp::Min | ir::ReduceOp::Max => {
                let empty = self.b.build_int_compare(IntPredicate::EQ, size, self.i64(0), "empty")?;
                let what = if op == ir::ReduceOp::Min { "minimum" } else { "maximum" };
                self.raise_if(empty, ExcKind::ValueError, &format!("zero-size array to reduction operation {what} which has no identity"))?;
                // The first element starts the accumulator: a flag says whether it is there yet.
                let started = self.entry_alloca(self.cx.bool_type().into(), "started")?;
                self.b.build_store(started, self.cx.bool_type().const_zero())?;
                let is_min = op == ir::ReduceOp::Min;
                self.for_each_mapped(&ops, &shape, None, element, None, &mut |this, v, _| {
                    let current = this.b.build_load(acc_llvm, acc, "acc")?;
                    let first = this.b.build_not(this.b.build_load(this.cx.bool_type(), started, "started")?.into_int_value(), "first")?;
                    let next = this.min_max_step(is_min, v, current, &elem_ty, Some(first))?;
                    this.b.build_store(acc, next)?;
                    this.b.build_store(started, this.cx.bool_type().const_all_ones())?;
                    Ok(())
                })?;
                Ok(self.b.build_load(acc_llvm, acc, "result")?)
            }
        }
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

    /// Runs `body(i)` for `i` in `0..len`.
    fn counted_loop(&mut self, len: IntValue<'ctx>, body: &mut dyn FnMut(&mut Self, IntValue<'ctx>) -> Result<()>) -> Result<()> {
        let counter = self.entry_alloca(self.cx.i64_type().into(), "k")?;
        self.b.build_store(counter, self.i64(0))?;
        let (head, inner, end) = (self.bb("axis.head"), self.bb("axis.body"), self.bb("axis.end"));
        self.b.build_unconditional_branch(head)?;
        self.b.position_at_end(head);
        let i = self.b.build_load(self.cx.i64_type(), counter, "k")?.into_int_value();
        let more = self.b.build_int_compare(IntPredicate::SLT, i, len, "more")?;
        self.b.build_conditional_branch(more, inner, end)?;
        self.b.position_at_end(inner);
        body(self, i)?;
        let next = self.b.build_int_add(i, self.i64(1), "next")?;
        self.b.build_store(counter, next)?;
        self.b.build_unconditional_branch(head)?;
        self.b.position_at_end(end);
        Ok(())
    }

    /// `sum / count` for a mean in the float or complex type `ty`: NaN (in both parts of a
    /// complex) when `count` is 0, as NumPy's mean of nothing.
    fn divide_by_count(&mut self, sum: Value<'ctx>, count: IntValue<'ctx>, ty: &Type) -> Result<Value<'ctx>> {
        let Type::Complex(part) = ty else {
            // 0 / 0 is NaN.
            let n = self.cast(count.into(), &Type::INT64, ty)?;
            return Ok(self.b.build_float_div(sum.into_float_value(), n.into_float_value(), "mean")?.into());
        };
        // Complex division by `n + 0j`, as NumPy's mean divides (inf and NaN spread to both
        // parts as they do there); NaN in both parts for no element.
        let n = self.cast(count.into(), &Type::INT64, &Type::Float(*part))?.into_float_value();
        let st = sum.get_type().into_struct_type();
        let made = self.b.build_insert_value(st.get_undef(), n, 0, "re")?;
        let divisor = self.b.build_insert_value(made, n.get_type().const_zero(), 1, "im")?.into_struct_value();
        let empty = self.b.build_int_compare(IntPredicate::EQ, count, self.i64(0), "empty")?;
        let (divide_bb, empty_bb, end) = (self.bb("mean.div"), self.bb("mean.empty"), self.bb("mean.end"));
        self.b.build_conditional_branch(empty, empty_bb, divide_bb)?;
        self.b.position_at_end(divide_bb);
        let quotient = self.binary(ir::BinaryOp::Div, sum, divisor.into(), ty, ty)?;
        let from = self.b.get_insert_block().expect("positioned");
        self.b.build_unconditional_branch(end)?;
        self.b.position_at_end(empty_bb);
        let nan = n.get_type().const_float(f64::NAN);
        let made = self.b.build_insert_value(st.get_undef(), nan, 0, "re")?;
        let nan_c = self.b.build_insert_value(made, nan, 1, "im")?.into_struct_value();
        self.b.build_unconditional_branch(end)?;
        self.b.position_at_end(end);
        let phi = self.b.build_phi(st, "mean")?;
        phi.add_incoming(&[(&quotient, from), (&nan_c, empty_bb)]);
        Ok(phi.as_basic_value())
    }

    /// `ExprKind::AxisReduce`: for each index of the other dimensions (in C order), the
    /// reduction of the elements along `axis`, stored into a new C-contiguous array.
    pub(crate) fn axis_reduce(&mut self, op: ir::ReduceOp, array: &ir::Expr, axis: &ir::Expr, keepdims: bool, ty: &Type) -> Result<Value<'ctx>> {
        let a = array_type(&array.ty);
        let out_type = array_type(ty);
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
        let strides = (0..a.ndim as u32).map(|k| self.array_stride(arr, k)).collect::<Result<Vec<_>>>()?;
        let len = self.pick(&dims, axis_v)?;
        let along = self.pick(&strides, axis_v)?;
        // The other dimensions, in order: dimension j of the result is j or j + 1 of the input.
        let mut out_dims = Vec::new();
        let mut in_strides = Vec::new();
        for j in 0..(a.ndim as usize).saturating_sub(1) {
            let before = self.b.build_int_compare(IntPredicate::SLT, self.i64(j as i64), axis_v, "before")?;
            out_dims.push(self.b.build_select(before, dims[j], dims[j + 1], "dim")?.into_int_value());
            in_strides.push(self.b.build_select(before, strides[j], strides[j + 1], "stride")?.into_int_value());
        }
        let itemsize = out_type.dtype.itemsize().expect("arrays hold scalars");
        let out_strides = self.c_strides(&out_dims, itemsize)?;
        let allocated_dims = if keepdims {
            // The kept dimension has length 1: the memory is the same as without it.
            (0..a.ndim as usize).map(|k| {
                let here = self.b.build_int_compare(IntPredicate::EQ, axis_v, self.i64(k as i64), "here")?;
                Ok(self.b.build_select(here, self.i64(1), dims[k], "dim")?.into_int_value())
            }).collect::<Result<Vec<_>>>()?
        } else {
            out_dims.clone()
        };
        if matches!(op, ir::ReduceOp::Min | ir::ReduceOp::Max) {
            let mut others = self.i64(1);
            for d in &out_dims {
                others = self.b.build_int_mul(others, *d, "others")?;
            }
            // NumPy raises for an empty axis when there is anything to reduce.
            let empty = self.b.build_int_compare(IntPredicate::EQ, len, self.i64(0), "empty")?;
            let some = self.b.build_int_compare(IntPredicate::NE, others, self.i64(0), "some")?;
            let refuse = self.b.build_and(empty, some, "refuse")?;
            let what = if op == ir::ReduceOp::Min { "minimum" } else { "maximum" };
            self.raise_if(refuse, ExcKind::ValueError, &format!("zero-size array to reduction operation {what} which has no identity"))?;
        }
        let out = self.new_array_of_dims(allocated_dims, ty)?.into_struct_value();
        let out_base = self.b.build_extract_value(out, 1, "data")?.into_pointer_value();
        let in_base = self.b.build_extract_value(arr, 1, "data")?.into_pointer_value();
        let dtype = (*a.dtype).clone();
        let acc_ty = (*out_type.dtype).clone();
        let acc_llvm = crate::abi::llvm_type(self.cx, &acc_ty);
        let acc = self.entry_alloca(acc_llvm, "acc")?;
        self.strided_loop_nest(&out_dims, &[out_base, in_base], &[out_strides, in_strides], &mut |this, ptrs| {
            let (dst, src) = (ptrs[0], ptrs[1]);
            match op {
                ir::ReduceOp::Sum | ir::ReduceOp::Mean => {
                    this.b.build_store(acc, acc_llvm.const_zero())?;
                    this.counted_loop(len, &mut |this, k| {
                        let offset = this.b.build_int_mul(k, along, "off")?;
                        // SAFETY (for LLVM): k < the axis length.
                        let p = unsafe { this.b.build_gep(this.cx.i8_type(), src, &[offset], "p")? };
                        let v = this.load_element(p, &a)?;
                        let v = this.cast(v, &dtype, &acc_ty)?;
                        let current = this.b.build_load(acc_llvm, acc, "acc")?;
                        let next = this.binary(ir::BinaryOp::Add, current, v, &acc_ty, &acc_ty)?;
                        this.b.build_store(acc, next)?;
                        Ok(())
                    })?;
                    let mut result = this.b.build_load(acc_llvm, acc, "sum")?;
                    if op == ir::ReduceOp::Mean {
                        result = this.divide_by_count(result, len, &acc_ty)?;
                    }
                    this.store_element(dst, &out_type, result)
                }
                ir::ReduceOp::Min | ir::ReduceOp::Max => {
                    let first = this.load_element(src, &a)?;
                    this.b.build_store(acc, first)?;
                    let is_min = op == ir::ReduceOp::Min;
                    this.counted_loop(len, &mut |this, k| {
                        let offset = this.b.build_int_mul(k, along, "off")?;
                        // SAFETY (for LLVM): k < the axis length.
                        let p = unsafe { this.b.build_gep(this.cx.i8_type(), src, &[offset], "p")? };
                        let v = this.load_element(p, &a)?;
                        let current = this.b.build_load(acc_llvm, acc, "acc")?;
                        let next = this.min_max_step(is_min, v, current, &dtype, None)?;
                        this.b.build_store(acc, next)?;
                        Ok(())
                    })?;
                    let result = this.b.build_load(acc_llvm, acc, "result")?;
                    this.store_element(dst, &out_type, result)
                }
            }
        })?;
        Ok(out.into())
    }
}
