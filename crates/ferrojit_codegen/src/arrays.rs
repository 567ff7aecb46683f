//! Lowering of array element access, views, attributes and fills.
//!
//! Element addresses: C- and F-contiguous arrays compute the linear index from the shape (the
//! innermost stride is the item size, which lets LLVM vectorise); `A` arrays use the strides.
//! Negative indices wrap once, as in Python; with `boundscheck` an index still outside the
//! dimension raises `IndexError`.
//!
//! Every element load and store goes through [`FnLower::load_element`] and
//! [`FnLower::store_element`], which take the alignment from the array's type: aligned arrays
//! keep LLVM's natural alignment of the element (what lets the vectoriser use wide loads
//! freely), unaligned ones are accessed with `align 1`, in place, never through a copy.

use crate::abi::{array_struct, memory_type};
use crate::lower::FnLower;
use crate::Result;
use ferrojit_ir::{self as ir, ArrayAttr, ExcKind, ExprKind, IndexItem};

use ferrojit_types::{ArrayType, Layout, Type};
use inkwell::values::{BasicValue, BasicValueEnum, IntValue, PointerValue, StructValue};
use inkwell::IntPredicate;

type Value<'ctx> = BasicValueEnum<'ctx>;

impl<'ctx> FnLower<'ctx, '_> {
    fn dim(&self, array: StructValue<'ctx>, field: u32, k: u32) -> Result<IntValue<'ctx>> {
        let dims = self.b.build_extract_value(array, field, "dims")?.into_array_value();
        Ok(self.b.build_extract_value(dims, k, "dim")?.into_int_value())
    }

    pub(crate) fn shape(&self, array: StructValue<'ctx>, k: u32) -> Result<IntValue<'ctx>> {
        self.dim(array, 2, k)
    }

    fn stride(&self, array: StructValue<'ctx>, k: u32) -> Result<IntValue<'ctx>> {
        self.dim(array, 3, k)
    }

    /// The byte stride of dimension `k`.
    pub(crate) fn array_stride(&self, array: StructValue<'ctx>, k: u32) -> Result<IntValue<'ctx>> {
        self.stride(array, k)
    }

    /// Wraps a negative index once and, with bounds checking, raises NumPy's `IndexError`
    /// (naming the index as written and the axis length) when it is still out of range.
    fn wrap_index(&self, index: IntValue<'ctx>, len: IntValue<'ctx>, axis: u32) -> Result<IntValue<'ctx>> {
        let b = &self.b;
        let negative = b.build_int_compare(IntPredicate::SLT, index, self.i64(0), "neg")?;
        let wrapped = b.build_int_add(index, len, "wrapped")?;
        let checked = b.build_select(negative, wrapped, index, "index")?.into_int_value();
        if self.options.boundscheck {
            // Unsigned comparison catches both index < 0 and index >= len.
            let outside = self.b.build_int_compare(IntPredicate::UGE, checked, len, "oob")?;
            let (raise_bb, cont) = (self.bb("oob"), self.bb("inbounds"));
            self.b.build_conditional_branch(outside, raise_bb, cont)?;
            self.b.position_at_end(raise_bb);
            let ptr = self.cx.ptr_type(inkwell::AddressSpace::default());
            let i64t = self.cx.i64_type();
            let f = self.extern_fn("ferrojit_rt_index_error", None, &[ptr.into(), i64t.into(), i64t.into(), i64t.into()]);
            self.b.build_call(f, &[self.exc().into(), index.into(), self.i64(axis as i64).into(), len.into()], "")?;
            self.leave_with_exception()?;
            self.b.position_at_end(cont);
        }
        Ok(checked)
    }

    /// The value of the integer index `index` (an int64), after NumPy's conversion of it to
    /// a C integer with bounds checking: a uint64 of 2**63 or more (negative here) does not
    /// fit, an `OverflowError`, not an index counting from the end.
    ///
    /// A uint64 index never counts from the end: its sign bit is cleared, which changes no index
    /// in range (an array holds fewer than 2**63 elements; with bounds checking the larger ones
    /// raised above) and tells LLVM that `wrap_index`'s negative case cannot happen, so an
    /// unsigned index costs no wrap-around.
    fn index(&mut self, index: &ir::Expr) -> Result<IntValue<'ctx>> {
        let value = self.expr(index)?.into_int_value();
        if matches!(&index.kind, ExprKind::Cast(from) if from.ty == Type::UINT64) {
            if self.options.boundscheck {
                let too_large = self.b.build_int_compare(IntPredicate::SLT, value, self.i64(0), "toolarge")?;
                self.raise_if(too_large, ExcKind::OverflowError, "Python int too large to convert to C long")?;
            }
            return Ok(self.b.build_and(value, self.i64(i64::MAX), "unsigned")?);
        }
        Ok(value)
    }

    pub(crate) fn element_ptr(&mut self, array: StructValue<'ctx>, a: &ArrayType, indices: &[IntValue<'ctx>]) -> Result<PointerValue<'ctx>> {
        let mut wrapped = Vec::with_capacity(indices.len());
        for (k, i) in indices.iter().enumerate() {
            let len = self.shape(array, k as u32)?;
            wrapped.push(self.wrap_index(*i, len, k as u32)?);
        }
        let data = self.b.build_extract_value(array, 1, "data")?.into_pointer_value();
        let elem = memory_type(self.cx, &a.dtype);
        let b = &self.b;
        Ok(match a.layout {
            Layout::C | Layout::F if !wrapped.is_empty() => {
                // Horner's rule over the dimensions, innermost last (C) or first (F).
                let order: Vec<usize> = if a.layout == Layout::C { (0..wrapped.len()).collect() } else { (0..wrapped.len()).rev().collect() };
                let mut linear = wrapped[order[0]];
                for &k in &order[1..] {
                    let len = self.shape(array, k as u32)?;
                    linear = b.build_int_nsw_add(b.build_int_nsw_mul(linear, len, "scaled")?, wrapped[k], "linear")?;
                }
                // SAFETY (for LLVM): the index is within the array's allocation when in range.
                unsafe { b.build_in_bounds_gep(elem, data, &[linear], "elem")? }
            }
            _ => {
                let mut offset = self.i64(0);
                for (k, i) in wrapped.iter().enumerate() {
                    let stride = self.stride(array, k as u32)?;
                    offset = b.build_int_nsw_add(offset, b.build_int_nsw_mul(*i, stride, "off")?, "offset")?;
                }
                unsafe { b.build_in_bounds_gep(self.cx.i8_type(), data, &[offset], "elem")? }
            }
        })
    }

    /// Loads the element of array type `a` at `ptr`.
    pub(crate) fn load_element(&self, ptr: PointerValue<'ctx>, a: &ArrayType) -> Result<Value<'ctx>> {
        let dtype = &*a.dtype;
        let v = self.b.build_load(memory_type(self.cx, dtype), ptr, "elem")?;
        if !a.aligned {
            v.as_instruction_value().expect("a load is an instruction").set_alignment(1).map_err(|e| crate::CodegenError(e.to_string()))?;
        }
        Ok(match dtype {
            Type::Bool => self.b.build_int_compare(IntPredicate::NE, v.into_int_value(), self.cx.i8_type().const_zero(), "bool")?.into(),
            _ => v,
        })
    }

    /// Stores `value` (of the array's element type) as the element of array type `a` at `ptr`.
    pub(crate) fn store_element(&self, ptr: PointerValue<'ctx>, a: &ArrayType, value: Value<'ctx>) -> Result<()> {
        let value: Value = match &*a.dtype {
            Type::Bool => self.b.build_int_z_extend(value.into_int_value(), self.cx.i8_type(), "byte")?.into(),
            _ => value,
        };
        let store = self.b.build_store(ptr, value)?;
        if !a.aligned {
            store.set_alignment(1).map_err(|e| crate::CodegenError(e.to_string()))?;
        }
        Ok(())
    }

    pub(crate) fn array_get(&mut self, array: &ir::Expr, indices: &[ir::Expr]) -> Result<Value<'ctx>> {
        let a = array_type(&array.ty);
        let arr = self.expr(array)?.into_struct_value();
        let mut idx = Vec::new();
        for i in indices {
            idx.push(self.index(i)?);
        }
        let ptr = self.element_ptr(arr, &a, &idx)?;
        self.load_element(ptr, &a)
    }

    pub(crate) fn array_store(&mut self, array: &ir::Expr, indices: &[ir::Expr], value: &ir::Expr) -> Result<()> {
        let a = array_type(&array.ty);
        let arr = self.expr(array)?.into_struct_value();
        let mut idx = Vec::new();
        for i in indices {
            idx.push(self.index(i)?);
        }
        let v = self.expr(value)?;
        let ptr = self.element_ptr(arr, &a, &idx)?;
        self.store_element(ptr, &a, v)
    }

    /// Python's slice normalisation (`PySlice_AdjustIndices`): returns (start, step, length).
    fn normalize_slice(&mut self, len: IntValue<'ctx>, start: Option<&ir::Expr>, stop: Option<&ir::Expr>, step: Option<&ir::Expr>) -> Result<(IntValue<'ctx>, IntValue<'ctx>, IntValue<'ctx>)> {
        let zero = self.i64(0);
        let one = self.i64(1);
        let minus_one = self.i64(-1);
        let step = match step {
            Some(s) => self.expr(s)?.into_int_value(),
            None => one,
        };
        let is_zero = self.b.build_int_compare(IntPredicate::EQ, step, zero, "step0")?;
        self.raise_if(is_zero, ExcKind::ValueError, "slice step cannot be zero")?;
        let back = self.b.build_int_compare(IntPredicate::SLT, step, zero, "back")?;
        let len_m1 = self.b.build_int_sub(len, one, "lenm1")?;
        let bound = |this: &mut Self, e: Option<&ir::Expr>, is_start: bool| -> Result<IntValue<'ctx>> {
            let b = &this.b;
            let default = if is_start { b.build_select(back, len_m1, zero, "dflt")? } else { b.build_select(back, minus_one, len, "dflt")? }.into_int_value();
            let Some(e) = e else { return Ok(default) };
            let v = this.expr(e)?.into_int_value();
            let b = &this.b;
            let low = b.build_select(back, minus_one, zero, "low")?.into_int_value();
            let high = b.build_select(back, len_m1, len, "high")?.into_int_value();
            let shifted = b.build_int_add(v, len, "shifted")?;
            let neg = b.build_int_compare(IntPredicate::SLT, v, zero, "neg")?;
            let still_neg = b.build_int_compare(IntPredicate::SLT, shifted, zero, "stillneg")?;
            let from_neg = b.build_select(still_neg, low, shifted, "fromneg")?.into_int_value();
            let too_big = b.build_int_compare(IntPredicate::SGE, v, len, "big")?;
            let from_pos = b.build_select(too_big, high, v, "frompos")?.into_int_value();
            Ok(b.build_select(neg, from_neg, from_pos, "bound")?.into_int_value())
        };
        let start_v = bound(self, start, true)?;
        let stop_v = bound(self, stop, false)?;
        let b = &self.b;
        // length = step > 0 ? (start < stop ? (stop - start - 1) / step + 1 : 0)
        //                   : (stop < start ? (start - stop - 1) / -step + 1 : 0)
        let fwd = {
            let n = b.build_int_add(b.build_int_signed_div(b.build_int_sub(b.build_int_sub(stop_v, start_v, "d")?, one, "d1")?, step, "q")?, one, "n")?;
            let some = b.build_int_compare(IntPredicate::SLT, start_v, stop_v, "some")?;
            b.build_select(some, n, zero, "fwd")?.into_int_value()
        };
        let bwd = {
            let neg_step = b.build_int_neg(step, "negstep")?;
            let n = b.build_int_add(b.build_int_signed_div(b.build_int_sub(b.build_int_sub(start_v, stop_v, "d")?, one, "d1")?, neg_step, "q")?, one, "n")?;
            let some = b.build_int_compare(IntPredicate::SLT, stop_v, start_v, "some")?;
            b.build_select(some, n, zero, "bwd")?.into_int_value()
        };
        let length = b.build_select(back, bwd, fwd, "length")?.into_int_value();
        Ok((start_v, step, length))
    }

    pub(crate) fn array_view(&mut self, array: &ir::Expr, items: &[IndexItem], result: &Type) -> Result<Value<'ctx>> {
        let a = array_type(&array.ty);
        let arr = self.expr(array)?.into_struct_value();
        let mut offset = self.i64(0);
        let mut shape = Vec::new();
        let mut strides = Vec::new();
        // Items take the array's dimensions in order (a new axis takes none); dimensions
        // left over are kept whole.
        let mut items = items.iter();
        let mut k = 0u32;
        loop {
            let item = items.next();
            if item.is_none() && k >= a.ndim as u32 {
                break;
            }
            if let Some(IndexItem::NewAxis) = item {
                shape.push(self.i64(1));
                strides.push(self.i64(0));
                continue;
            }
            let axis = k;
            let len = self.shape(arr, axis)?;
            let stride = self.stride(arr, axis)?;
            k += 1;
            match item {
                Some(IndexItem::NewAxis) => unreachable!("handled above"),
                Some(IndexItem::Index(e)) => {
                    let i = self.index(e)?;
                    let i = self.wrap_index(i, len, axis)?;
                    offset = self.b.build_int_add(offset, self.b.build_int_mul(i, stride, "off")?, "offset")?;
                }
                Some(IndexItem::Slice { start, stop, step }) => {
                    let (start, step, length) = self.normalize_slice(len, start.as_ref(), stop.as_ref(), step.as_ref())?;
                    offset = self.b.build_int_add(offset, self.b.build_int_mul(start, stride, "off")?, "offset")?;
                    shape.push(length);
                    strides.push(self.b.build_int_mul(stride, step, "stride")?);
                }
                None => {
                    shape.push(len);
                    strides.push(stride);
                }
            }
        }
        let data = self.b.build_extract_value(arr, 1, "data")?.into_pointer_value();
        // SAFETY (for LLVM): a view's data pointer stays inside the viewed allocation, or one
        // past it for empty views, which plain (not inbounds) GEP allows.
        let data = unsafe { self.b.build_gep(self.cx.i8_type(), data, &[offset], "viewdata")? };
        let meminfo = self.b.build_extract_value(arr, 0, "meminfo")?;
        let ndim = array_type(result).ndim;
        self.make_array(ndim, meminfo, data.into(), &shape, &strides)
    }

    pub(crate) fn make_array(&self, ndim: u8, meminfo: Value<'ctx>, data: Value<'ctx>, shape: &[IntValue<'ctx>], strides: &[IntValue<'ctx>]) -> Result<Value<'ctx>> {
        let st = array_struct(self.cx, ndim);
        let mut agg = st.get_undef();
        agg = self.b.build_insert_value(agg, meminfo, 0, "meminfo")?.into_struct_value();
        agg = self.b.build_insert_value(agg, data, 1, "data")?.into_struct_value();
        for (field, dims) in [(2u32, shape), (3, strides)] {
            let mut arr = self.cx.i64_type().array_type(ndim as u32).get_undef();
            for (k, d) in dims.iter().enumerate() {
                arr = self.b.build_insert_value(arr, *d, k as u32, "dim")?.into_array_value();
            }
            agg = self.b.build_insert_value(agg, arr, field, "dims")?.into_struct_value();
        }
        Ok(agg.into())
    }

    /// `a.real` or `a.imag` of a complex array: a view of one part of each element, with the
    /// array's shape and strides (the imaginary parts start half an element further).
    pub(crate) fn complex_part_view(&mut self, array: &ir::Expr, imag: bool) -> Result<Value<'ctx>> {
        let half = array_type(&array.ty).dtype.itemsize().expect("complex") / 2;
        self.offset_view(array, if imag { half } else { 0 })
    }

    /// A view of the same shape and strides whose data starts `offset` bytes into each element:
    /// a part of each complex number, a field of each record.
    pub(crate) fn offset_view(&mut self, array: &ir::Expr, offset: u64) -> Result<Value<'ctx>> {
        let a = array_type(&array.ty);
        let arr = self.expr(array)?.into_struct_value();
        let mut shape = Vec::new();
        let mut strides = Vec::new();
        for k in 0..a.ndim as u32 {
            shape.push(self.shape(arr, k)?);
            strides.push(self.stride(arr, k)?);
        }
        let meminfo = self.b.build_extract_value(arr, 0, "meminfo")?;
        let data = self.b.build_extract_value(arr, 1, "data")?.into_pointer_value();
        // SAFETY (for LLVM): inside the first element (or one past an empty array's end).
        let data = unsafe { self.b.build_gep(self.cx.i8_type(), data, &[self.i64(offset as i64)], "part")? };
        self.make_array(a.ndim, meminfo, data.into(), &shape, &strides)
    }

    pub(crate) fn transpose(&mut self, array: &ir::Expr, axes: &[u8]) -> Result<Value<'ctx>> {
        let a = array_type(&array.ty);
        let arr = self.expr(array)?.into_struct_value();
        let mut shape = Vec::new();
        let mut strides = Vec::new();
        for &k in axes {
            shape.push(self.shape(arr, k as u32)?);
            strides.push(self.stride(arr, k as u32)?);
        }
        let meminfo = self.b.build_extract_value(arr, 0, "meminfo")?;
        let data = self.b.build_extract_value(arr, 1, "data")?;
        self.make_array(a.ndim, meminfo, data, &shape, &strides)
    }

    pub(crate) fn array_attr(&mut self, array: &ir::Expr, attr: ArrayAttr) -> Result<Value<'ctx>> {
        let a = array_type(&array.ty);
        let arr = self.expr(array)?.into_struct_value();
        Ok(match attr {
            ArrayAttr::Dim(k) => self.shape(arr, k as u32)?.into(),
            ArrayAttr::DataAddress => {
                let data = self.b.build_extract_value(arr, 1, "data")?.into_pointer_value();
                self.b.build_ptr_to_int(data, self.cx.i64_type(), "address")?.into()
            }
            ArrayAttr::Size => {
                let mut size = self.i64(1);
                for k in 0..a.ndim as u32 {
                    size = self.b.build_int_mul(size, self.shape(arr, k)?, "size")?;
                }
                size.into()
            }
            ArrayAttr::Shape | ArrayAttr::Strides => {
                let ty = self.cx.struct_type(&vec![self.cx.i64_type().into(); a.ndim as usize], false);
                let mut agg = ty.get_undef();
                for k in 0..a.ndim as u32 {
                    let v = if attr == ArrayAttr::Shape { self.shape(arr, k)? } else { self.stride(arr, k)? };
                    agg = self.b.build_insert_value(agg, v, k, "dims")?.into_struct_value();
                }
                agg.into()
            }
        })
    }

    /// Calls `body(element pointer)` for every element of `arr`, in C order.
    pub(crate) fn for_each_element(&mut self, arr: StructValue<'ctx>, a: &ArrayType, body: &mut dyn FnMut(&mut Self, PointerValue<'ctx>) -> Result<()>) -> Result<()> {
        self.for_each_element_of(&[(arr, a)], &mut |this, ptrs| body(this, ptrs[0]))
    }

    /// Calls `body(element pointers)` for every index of `arrays` (all of the same shape, any
    /// strides), in C order, through the map lowering's loop nest.
    pub(crate) fn for_each_element_of(&mut self, arrays: &[(StructValue<'ctx>, &ArrayType)], body: &mut dyn FnMut(&mut Self, &[PointerValue<'ctx>]) -> Result<()>) -> Result<()> {
        let (first, a) = arrays[0];
        let shape = (0..a.ndim as u32).map(|k| self.shape(first, k)).collect::<Result<Vec<_>>>()?;
        let mut bases = Vec::new();
        let mut strides = Vec::new();
        let mut itemsizes = Vec::new();
        for (arr, t) in arrays {
            bases.push(self.b.build_extract_value(*arr, 1, "data")?.into_pointer_value());
            strides.push((0..a.ndim as u32).map(|k| self.stride(*arr, k)).collect::<Result<Vec<_>>>()?);
            itemsizes.push(t.dtype.itemsize().expect("arrays hold scalars"));
        }
        self.strided_loop_nest(&shape, &bases, &strides, &itemsizes, body)
    }

    pub(crate) fn array_fill(&mut self, array: &ir::Expr, value: &ir::Expr) -> Result<()> {
        let a = array_type(&array.ty);
        let arr = self.expr(array)?.into_struct_value();
        let v = self.expr(value)?;
        if let Type::Record(record) = &*a.dtype {
            return self.fill_records(arr, &a, record, v, &value.ty);
        }
        self.for_each_element(arr, &a, &mut |this, ptr| this.store_element(ptr, &a, v))
    }

    /// A number stored into every field of every record, as NumPy's `a[...] = 0` (`np.zeros`
    /// of a structured dtype): each field gets the number cast to its type, and the bytes
    /// between fields are zeroed.
    fn fill_records(&mut self, arr: inkwell::values::StructValue<'ctx>, a: &ArrayType, record: &ferrojit_types::RecordType, v: Value<'ctx>, value_type: &Type) -> Result<()> {
        let fields: Vec<(u64, Type, Value<'ctx>)> = record
            .fields
            .iter()
            .map(|f| Ok((f.offset, f.ty.clone(), self.numpy_cast(v, value_type, &f.ty)?)))
            .collect::<Result<_>>()?;
        let size = self.i64(record.size as i64);
        self.for_each_element(arr, a, &mut |this, ptr| {
            this.b.build_memset(ptr, 1, this.cx.i8_type().const_zero(), size).map_err(|e| crate::CodegenError(e.to_string()))?;
            for (offset, ty, value) in &fields {
                // SAFETY (for LLVM): a field inside the record.
                let at = unsafe { this.b.build_gep(this.cx.i8_type(), ptr, &[this.i64(*offset as i64)], "field")? };
                let field = ArrayType { aligned: false, ..ArrayType::new(ty.clone(), 0, ferrojit_types::Layout::C) };
                this.store_element(at, &field, *value)?;
            }
            Ok(())
        })
    }
}

pub(crate) fn array_type(ty: &Type) -> ArrayType {
    match ty {
        Type::Array(a) => a.clone(),
        other => panic!("array operation on {other}: the verifier admits only arrays"),
    }
}

impl<'ctx> FnLower<'ctx, '_> {
    /// Fortran-order strides (in bytes) for `shape`.
    fn f_strides(&self, shape: &[IntValue<'ctx>], itemsize: u64) -> Result<Vec<IntValue<'ctx>>> {
        let mut strides = vec![self.i64(itemsize as i64); shape.len()];
        for k in 1..shape.len() {
            strides[k] = self.b.build_int_mul(strides[k - 1], shape[k - 1], "stride")?;
        }
        Ok(strides)
    }

    /// `a * b` with a flag set when the signed product overflows.
    fn checked_mul(&self, a: IntValue<'ctx>, b: IntValue<'ctx>) -> Result<(IntValue<'ctx>, IntValue<'ctx>)> {
        let pair = self.intrinsic("llvm.smul.with.overflow", &[self.cx.i64_type().into()], &[a.into(), b.into()])?.into_struct_value();
        Ok((self.b.build_extract_value(pair, 0, "product")?.into_int_value(), self.b.build_extract_value(pair, 1, "overflow")?.into_int_value()))
    }

    /// C-order strides (in bytes) for `shape`.
    pub(crate) fn c_strides(&self, shape: &[IntValue<'ctx>], itemsize: u64) -> Result<Vec<IntValue<'ctx>>> {
        let mut strides = vec![self.i64(itemsize as i64); shape.len()];
        for k in (0..shape.len().saturating_sub(1)).rev() {
            strides[k] = self.b.build_int_mul(strides[k + 1], shape[k + 1], "stride")?;
        }
        Ok(strides)
    }

    pub(crate) fn array_new(&mut self, shape: &[ir::Expr], ty: &Type, zeroed: bool) -> Result<Value<'ctx>> {
        let mut dims = Vec::new();
        for d in shape {
            dims.push(self.expr(d)?.into_int_value());
        }
        self.new_array_of_dims(dims, ty, zeroed)
    }

    /// A new array of type `ty` (C or F order) with these dimensions, uninitialised or, with
    /// `zeroed`, all zero bytes (zero of every dtype): a new reference, which the IR gives an
    /// owner (see `ferrojit_ir::ownership`).
    pub(crate) fn new_array_of_dims(&mut self, dims: Vec<IntValue<'ctx>>, ty: &Type, zeroed: bool) -> Result<Value<'ctx>> {
        let a = array_type(ty);
        let itemsize = a.dtype.itemsize().expect("arrays hold scalars");
        let mut count = self.i64(1);
        let mut overflow = self.cx.bool_type().const_zero();
        for d in &dims {
            let negative = self.b.build_int_compare(IntPredicate::SLT, *d, self.i64(0), "negdim")?;
            self.raise_if(negative, ExcKind::ValueError, "negative dimensions are not allowed")?;
            let (product, over) = self.checked_mul(count, *d)?;
            count = product;
            overflow = self.b.build_or(overflow, over, "overflow")?;
        }
        let (bytes, over) = self.checked_mul(count, self.i64(itemsize as i64))?;
        let overflow = self.b.build_or(overflow, over, "overflow")?;
        self.raise_if(overflow, ExcKind::ValueError, "array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum possible size")?;
        let ptr = self.cx.ptr_type(inkwell::AddressSpace::default());
        let alloc = self.extern_fn(if zeroed { "ferrojit_rt_alloc_zeroed" } else { "ferrojit_rt_alloc" }, Some(ptr.into()), &[self.cx.i64_type().into()]);
        // A fresh allocation, as from malloc: nothing else the function sees points into it,
        // so loops writing a new array from others need no run-time overlap checks.
        let noalias = inkwell::attributes::Attribute::get_named_enum_kind_id("noalias");
        if alloc.get_enum_attribute(inkwell::attributes::AttributeLoc::Return, noalias).is_none() {
            alloc.add_attribute(inkwell::attributes::AttributeLoc::Return, self.cx.create_enum_attribute(noalias, 0));
        }
        let meminfo = self.b.build_call(alloc, &[bytes.into()], "meminfo")?.try_as_basic_value().basic().expect("a pointer").into_pointer_value();
        let failed = self.b.build_is_null(meminfo, "oom")?;
        self.raise_if(failed, ExcKind::MemoryError, "cannot allocate memory for the array")?;
        // SAFETY (for LLVM): the data follows the header inside the allocation.
        let data = unsafe { self.b.build_in_bounds_gep(self.cx.i8_type(), meminfo, &[self.i64(ferrojit_runtime::memory::DATA_OFFSET as i64)], "data")? };
        let strides = if a.layout == Layout::F { self.f_strides(&dims, itemsize)? } else { self.c_strides(&dims, itemsize)? };
        self.make_array(a.ndim, meminfo.into(), data.into(), &dims, &strides)
    }

    /// A C-contiguous view with a new shape; one dimension may be -1 (inferred).
    pub(crate) fn reshape(&mut self, array: &ir::Expr, shape: &[ir::Expr], ty: &Type) -> Result<Value<'ctx>> {
        let a = array_type(&array.ty);
        let arr = self.expr(array)?.into_struct_value();
        let mut size = self.i64(1);
        for k in 0..a.ndim as u32 {
            size = self.b.build_int_mul(size, self.shape(arr, k)?, "size")?;
        }
        let mut dims = Vec::new();
        for d in shape {
            dims.push(self.expr(d)?.into_int_value());
        }
        let given = dims.clone();
        // Product of the given dimensions, a negative one (unknown, as NumPy reads any
        // negative size) counted as 1; then the unknown one becomes the rest.
        let zero = self.i64(0);
        let mut known = self.i64(1);
        let mut unknowns = self.i64(0);
        let mut overflow = self.cx.bool_type().const_zero();
        for d in &dims {
            let is_unknown = self.b.build_int_compare(IntPredicate::SLT, *d, zero, "unknown")?;
            unknowns = self.b.build_int_add(unknowns, self.b.build_int_z_extend(is_unknown, self.cx.i64_type(), "one")?, "unknowns")?;
            let factor = self.b.build_select(is_unknown, self.i64(1), *d, "factor")?.into_int_value();
            let (product, over) = self.checked_mul(known, factor)?;
            known = product;
            overflow = self.b.build_or(overflow, over, "overflow")?;
        }
        let several = self.b.build_int_compare(IntPredicate::SGT, unknowns, self.i64(1), "several")?;
        self.raise_if(several, ExcKind::ValueError, "can only specify one unknown dimension")?;
        self.raise_if(overflow, ExcKind::ValueError, "cannot reshape array: the new shape is too big")?;
        let known_zero = self.b.build_int_compare(IntPredicate::EQ, known, zero, "kz")?;
        let divisor = self.b.build_select(known_zero, self.i64(1), known, "divisor")?.into_int_value();
        let inferred = self.b.build_int_signed_div(size, divisor, "inferred")?;
        let mut total = self.i64(1);
        for d in dims.iter_mut() {
            let is_unknown = self.b.build_int_compare(IntPredicate::SLT, *d, zero, "unknown")?;
            *d = self.b.build_select(is_unknown, inferred, *d, "dim")?.into_int_value();
            total = self.b.build_int_mul(total, *d, "total")?;
        }
        let mismatch = self.b.build_int_compare(IntPredicate::NE, total, size, "mismatch")?;
        let (bad, cont) = (self.bb("reshape.error"), self.bb("reshape.ok"));
        self.branch_rarely(mismatch, bad, cont)?;
        self.b.position_at_end(bad);
        // NumPy's message names the size and the shape as given.
        let i64t = self.cx.i64_type();
        let buffer = self.entry_alloca(i64t.array_type(given.len().max(1) as u32).into(), "shape")?;
        for (k, d) in given.iter().enumerate() {
            // SAFETY (for LLVM): `k` is inside the buffer.
            let slot = unsafe { self.b.build_in_bounds_gep(i64t, buffer, &[self.i64(k as i64)], "slot")? };
            self.b.build_store(slot, *d)?;
        }
        let ptr = self.cx.ptr_type(inkwell::AddressSpace::default());
        let f = self.extern_fn("ferrojit_rt_reshape_error", None, &[ptr.into(), i64t.into(), ptr.into(), i64t.into()]);
        self.b.build_call(f, &[self.exc().into(), size.into(), buffer.into(), self.i64(given.len() as i64).into()], "")?;
        self.leave_with_exception()?;
        self.b.position_at_end(cont);
        let strides = self.c_strides(&dims, a.dtype.itemsize().expect("scalar"))?;
        let meminfo = self.b.build_extract_value(arr, 0, "meminfo")?;
        let data = self.b.build_extract_value(arr, 1, "data")?;
        self.make_array(array_type(ty).ndim, meminfo, data, &dims, &strides)
    }

    pub(crate) fn array_copy(&mut self, dst: &ir::Expr, src: &ir::Expr) -> Result<()> {
        let (d, s) = (array_type(&dst.ty), array_type(&src.ty));
        let dst_v = self.expr(dst)?.into_struct_value();
        let src_v = self.expr(src)?.into_struct_value();
        let (src_dtype, dst_dtype) = ((*s.dtype).clone(), (*d.dtype).clone());
        // Both arrays have the same shape; walk them together, each by its own strides.
        self.for_each_element_of(&[(src_v, &s), (dst_v, &d)], &mut |this, ptrs| {
            let v = this.load_element(ptrs[0], &s)?;
            let v = this.numpy_cast(v, &src_dtype, &dst_dtype)?;
            this.store_element(ptrs[1], &d, v)
        })
    }

    /// One step of a `min`/`max` reduction: the smaller (larger) of `v` and `current`, NaN
    /// when either is NaN, as NumPy's `minimum` (`maximum`). LLVM's `minimum`/`maximum` and
    /// integer `smin`/`umin` intrinsics say so in a form its vectoriser reduces in vector
    /// lanes.
    pub(crate) fn min_max_step(&mut self, is_min: bool, v: Value<'ctx>, current: Value<'ctx>, dtype: &Type) -> Result<Value<'ctx>> {
        let name = match (dtype, is_min) {
            (Type::Float(_), true) => "llvm.minimum",
            (Type::Float(_), false) => "llvm.maximum",
            (Type::Int(i), true) => if i.signed { "llvm.smin" } else { "llvm.umin" },
            (Type::Int(i), false) => if i.signed { "llvm.smax" } else { "llvm.umax" },
            // False < True.
            (Type::Bool, true) => return Ok(self.b.build_and(v.into_int_value(), current.into_int_value(), "min")?.into()),
            (Type::Bool, false) => return Ok(self.b.build_or(v.into_int_value(), current.into_int_value(), "max")?.into()),
            (other, _) => return Err(crate::CodegenError(format!("min/max of {other} reached codegen"))),
        };
        self.intrinsic(name, &[v.get_type()], &[v, current])
    }

    /// The value a `min`/`max` reduction starts from, which every element replaces: +inf
    /// (-inf) for floats, the type's largest (smallest) value for integers.
    pub(crate) fn min_max_identity(&self, is_min: bool, dtype: &Type) -> Result<Value<'ctx>> {
        Ok(match dtype {
            Type::Float(f) => crate::abi::float_type(self.cx, *f).into_float_type().const_float(if is_min { f64::INFINITY } else { f64::NEG_INFINITY }).into(),
            Type::Int(i) => {
                let t = crate::abi::int_type(self.cx, i.bits);
                let ones = t.const_all_ones();
                match (i.signed, is_min) {
                    (false, true) => ones,
                    (false, false) => t.const_zero(),
                    // 0111... and 1000...
                    (true, true) => t.const_int(u64::MAX >> (65 - i.bits as u32), false),
                    (true, false) => t.const_int(1u64 << (i.bits as u32 - 1), false),
                }
                .into()
            }
            Type::Bool => self.cx.bool_type().const_int(is_min as u64, false).into(),
            other => return Err(crate::CodegenError(format!("min/max of {other} reached codegen"))),
        })
    }
}
