//! How values are represented in LLVM, and the root's entry wrapper over the slot buffers.
//!
//! Representation: bool is `i1` (an `i8` in slots), integers `iN`, floats `float`/`double`,
//! complex numbers `{f, f}`, tuples structs of their items, `None` the empty struct.

use crate::Result;
use ferrojit_types::{FloatType, Type};
use inkwell::builder::Builder;
use inkwell::context::Context;
use inkwell::types::{BasicType, BasicTypeEnum};
use inkwell::values::{BasicValueEnum, FunctionValue, IntValue, PointerValue};
use inkwell::AddressSpace;

pub(crate) fn llvm_type<'ctx>(cx: &'ctx Context, ty: &Type) -> BasicTypeEnum<'ctx> {
    match ty {
        Type::Bool => cx.bool_type().into(),
        Type::Int(i) => int_type(cx, i.bits).into(),
        Type::Datetime(_) | Type::Timedelta(_) => cx.i64_type().into(),
        Type::Float(f) => float_type(cx, *f),
        Type::Complex(f) => {
            let part = float_type(cx, *f);
            cx.struct_type(&[part, part], false).into()
        }
        Type::NoneType | Type::NotImplemented | Type::Class(_) => cx.struct_type(&[], false).into(),
        Type::Tuple(items) => {
            let fields: Vec<BasicTypeEnum> = items.iter().map(|t| llvm_type(cx, t)).collect();
            cx.struct_type(&fields, false).into()
        }
        // A function value: the tuple of what it captured.
        Type::Function(f) => llvm_type(cx, &f.layout()),
        Type::NamedTuple(n) => llvm_type(cx, &n.layout()),
        Type::Optional(inner) => llvm_type(cx, &Type::optional_layout(inner)),
        Type::Exception | Type::ExceptionArgs => llvm_type(cx, &Type::exception_layout()),
        Type::Array(a) => array_struct(cx, a.ndim).into(),
        // The list's meminfo.
        // A generator's: its state's. A jitclass instance's: its record's.
        Type::List(_) | Type::Dict(..) | Type::Set(_) | Type::Str | Type::Bytes | Type::Generator(_) | Type::Instance(_) => cx.ptr_type(AddressSpace::default()).into(),
        // A record as it sits in array memory, moved whole only by array copies.
        Type::Record(r) => cx.i8_type().array_type(r.size as u32).into(),
    }
}

/// `{ptr meminfo, ptr data, [ndim x i64] shape, [ndim x i64] strides}`; strides in bytes.
pub(crate) fn array_struct(cx: &Context, ndim: u8) -> inkwell::types::StructType<'_> {
    let ptr = cx.ptr_type(AddressSpace::default());
    let dims = cx.i64_type().array_type(ndim as u32);
    cx.struct_type(&[ptr.into(), ptr.into(), dims.into(), dims.into()], false)
}

/// How an element of a scalar type is stored in array memory (bool as a byte).
pub(crate) fn memory_type<'ctx>(cx: &'ctx Context, ty: &Type) -> BasicTypeEnum<'ctx> {
    match ty {
        Type::Bool => cx.i8_type().into(),
        other => llvm_type(cx, other),
    }
}

pub(crate) fn int_type(cx: &Context, bits: u8) -> inkwell::types::IntType<'_> {
    match bits {
        8 => cx.i8_type(),
        16 => cx.i16_type(),
        32 => cx.i32_type(),
        // Only the operands of exact int64/uint64 comparisons.
        128 => cx.i128_type(),
        _ => cx.i64_type(),
    }
}

pub(crate) fn float_type(cx: &Context, f: FloatType) -> BasicTypeEnum<'_> {
    match f {
        FloatType::F32 => cx.f32_type().into(),
        FloatType::F64 => cx.f64_type().into(),
    }
}

/// Reads a value of `ty` from consecutive slots starting at `*slot`, advancing it (an
/// entry point's arguments, a list's items).
pub(crate) fn load_slots<'ctx>(cx: &'ctx Context, b: &Builder<'ctx>, base: PointerValue<'ctx>, ty: &Type, slot: &mut u32) -> Result<BasicValueEnum<'ctx>> {
    let leaf_ptr = |b: &Builder<'ctx>, i: u32| -> Result<PointerValue<'ctx>> {
        // SAFETY: the dispatcher sizes the buffer from the same `Type::leaves`.
        Ok(unsafe { b.build_gep(cx.i64_type(), base, &[cx.i64_type().const_int(i as u64, false)], "slot")? })
    };
    Ok(match ty {
        Type::Bool => {
            let p = leaf_ptr(b, *slot)?;
            *slot += 1;
            let byte = b.build_load(cx.i8_type(), p, "b")?.into_int_value();
            b.build_int_compare(inkwell::IntPredicate::NE, byte, cx.i8_type().const_zero(), "bool")?.into()
        }
        Type::Int(_) | Type::Float(_) | Type::Datetime(_) | Type::Timedelta(_) | Type::List(_) | Type::Dict(..) | Type::Set(_) | Type::Str | Type::Bytes | Type::Generator(_) | Type::Instance(_) => {
            let p = leaf_ptr(b, *slot)?;
            *slot += 1;
            b.build_load(llvm_type(cx, ty), p, "arg")?
        }
        Type::Array(a) => {
            let st = array_struct(cx, a.ndim);
            let mut agg = st.get_undef();
            let ptr = cx.ptr_type(AddressSpace::default());
            for field in 0..2 {
                let p = leaf_ptr(b, *slot)?;
                *slot += 1;
                let v = b.build_load(ptr, p, "ptr")?;
                agg = b.build_insert_value(agg, v, field, "array")?.into_struct_value();
            }
            for field in 2..4 {
                let mut dims = cx.i64_type().array_type(a.ndim as u32).get_undef();
                for k in 0..a.ndim as u32 {
                    let p = leaf_ptr(b, *slot)?;
                    *slot += 1;
                    let v = b.build_load(cx.i64_type(), p, "dim")?;
                    dims = b.build_insert_value(dims, v, k, "dims")?.into_array_value();
                }
                agg = b.build_insert_value(agg, dims, field, "array")?.into_struct_value();
            }
            agg.into()
        }
        Type::Record(_) => return Err(crate::CodegenError(format!("a `{ty}` passed as a value reached codegen"))),
        Type::Complex(_) | Type::Tuple(_) | Type::NamedTuple(_) | Type::NoneType | Type::NotImplemented | Type::Class(_) | Type::Function(_) | Type::Optional(_) | Type::Exception | Type::ExceptionArgs => {
            let items: Vec<Type> = match ty {
                Type::Complex(f) => vec![Type::Float(*f), Type::Float(*f)],
                Type::Tuple(items) => items.clone(),
                Type::NamedTuple(n) => n.items.clone(),
                Type::Function(f) => f.captures.clone(),
                Type::Optional(inner) => vec![Type::Bool, (**inner).clone()],
                Type::Exception | Type::ExceptionArgs => vec![Type::INT64, Type::Str],
                _ => vec![],
            };
            let st = llvm_type(cx, ty).into_struct_type();
            let mut agg = st.get_undef();
            for (i, item) in items.iter().enumerate() {
                let v = load_slots(cx, b, base, item, slot)?;
                agg = b.build_insert_value(agg, v, i as u32, "agg")?.into_struct_value();
            }
            agg.into()
        }
    })
}

/// Writes `value` of `ty` into consecutive slots starting at `*slot`, advancing it.
pub(crate) fn store_slots<'ctx>(cx: &'ctx Context, b: &Builder<'ctx>, base: PointerValue<'ctx>, ty: &Type, value: BasicValueEnum<'ctx>, slot: &mut u32) -> Result<()> {
    let leaf_ptr = |b: &Builder<'ctx>, i: u32| -> Result<PointerValue<'ctx>> {
        // SAFETY: the dispatcher sizes the buffer from the same `Type::leaves`.
        Ok(unsafe { b.build_gep(cx.i64_type(), base, &[cx.i64_type().const_int(i as u64, false)], "slot")? })
    };
    match ty {
        Type::Bool => {
            let p = leaf_ptr(b, *slot)?;
            *slot += 1;
            let byte = b.build_int_z_extend(value.into_int_value(), cx.i8_type(), "byte")?;
            b.build_store(p, byte)?;
        }
        Type::Int(_) | Type::Float(_) | Type::Datetime(_) | Type::Timedelta(_) | Type::List(_) | Type::Dict(..) | Type::Set(_) | Type::Str | Type::Bytes | Type::Generator(_) | Type::Instance(_) => {
            let p = leaf_ptr(b, *slot)?;
            *slot += 1;
            b.build_store(p, value)?;
        }
        Type::Array(a) => {
            let v = value.into_struct_value();
            for field in 0..2 {
                let p = leaf_ptr(b, *slot)?;
                *slot += 1;
                b.build_store(p, b.build_extract_value(v, field, "ptr")?)?;
            }
            for field in 2..4 {
                let dims = b.build_extract_value(v, field, "dims")?.into_array_value();
                for k in 0..a.ndim as u32 {
                    let p = leaf_ptr(b, *slot)?;
                    *slot += 1;
                    b.build_store(p, b.build_extract_value(dims, k, "dim")?)?;
                }
            }
        }
        Type::Record(_) => return Err(crate::CodegenError(format!("a `{ty}` returned as a value reached codegen"))),
        Type::Complex(_) | Type::Tuple(_) | Type::NamedTuple(_) | Type::NoneType | Type::NotImplemented | Type::Class(_) | Type::Function(_) | Type::Optional(_) | Type::Exception | Type::ExceptionArgs => {
            let items: Vec<Type> = match ty {
                Type::Complex(f) => vec![Type::Float(*f), Type::Float(*f)],
                Type::Tuple(items) => items.clone(),
                Type::NamedTuple(n) => n.items.clone(),
                Type::Function(f) => f.captures.clone(),
                Type::Optional(inner) => vec![Type::Bool, (**inner).clone()],
                Type::Exception | Type::ExceptionArgs => vec![Type::INT64, Type::Str],
                _ => vec![],
            };
            for (i, item) in items.iter().enumerate() {
                let v = b.build_extract_value(value.into_struct_value(), i as u32, "item")?;
                store_slots(cx, b, base, item, v, slot)?;
            }
        }
    }
    Ok(())
}

/// Emits `i32 entry(ptr ret_slots, ptr exc, ptr arg_slots)` calling `inner`.
pub(crate) fn entry_wrapper<'ctx>(
    cx: &'ctx Context,
    module: &inkwell::module::Module<'ctx>,
    inner: FunctionValue<'ctx>,
    args: &[Type],
    ret: &Type,
    name: &str,
) -> Result<FunctionValue<'ctx>> {
    let ptr = cx.ptr_type(AddressSpace::default());
    let fn_type = cx.i32_type().fn_type(&[ptr.into(), ptr.into(), ptr.into()], false);
    let f = module.add_function(name, fn_type, None);
    let b = cx.create_builder();
    b.position_at_end(cx.append_basic_block(f, "entry"));
    let ret_slots = f.get_nth_param(0).unwrap().into_pointer_value();
    let exc = f.get_nth_param(1).unwrap().into_pointer_value();
    let arg_slots = f.get_nth_param(2).unwrap().into_pointer_value();
    let ret_ty = llvm_type(cx, ret);
    let ret_tmp = b.build_alloca(ret_ty, "ret")?;
    let mut call_args = vec![ret_tmp.into(), exc.into()];
    let mut slot = 0;
    for ty in args {
        call_args.push(load_slots(cx, &b, arg_slots, ty, &mut slot)?.into());
    }
    let status = b.build_call(inner, &call_args, "status")?.try_as_basic_value().basic().expect("i32 status").into_int_value();
    let ok = b.build_int_compare(inkwell::IntPredicate::EQ, status, cx.i32_type().const_zero(), "ok")?;
    let ok_bb = cx.append_basic_block(f, "ok");
    let err_bb = cx.append_basic_block(f, "err");
    b.build_conditional_branch(ok, ok_bb, err_bb)?;
    b.position_at_end(err_bb);
    b.build_return(Some(&status))?;
    b.position_at_end(ok_bb);
    let value = b.build_load(ret_ty, ret_tmp, "result")?;
    let mut slot = 0;
    store_slots(cx, &b, ret_slots, ret, value, &mut slot)?;
    b.build_return(Some(&cx.i32_type().const_zero()))?;
    Ok(f)
}

pub(crate) fn basic_type_of<'ctx>(cx: &'ctx Context, ty: &Type) -> inkwell::types::BasicMetadataTypeEnum<'ctx> {
    llvm_type(cx, ty).as_basic_type_enum().into()
}

/// The frame shared by NumPy inner loops: `void loop(char **args, npy_intp *dims,
/// npy_intp *steps, void *data)` looping `i` over `0..dims[0]`. Created with the builder in the
/// entry block; [`LoopFrame::enter`] starts the loop body, [`LoopFrame::close`] ends it.
struct LoopFrame<'ctx> {
    b: Builder<'ctx>,
    i64t: inkwell::types::IntType<'ctx>,
    ptr: inkwell::types::PointerType<'ctx>,
    arg_ptrs: PointerValue<'ctx>,
    dims: PointerValue<'ctx>,
    steps: PointerValue<'ctx>,
    /// Exception info for the calls; ufunc loops cannot raise, so it is never read.
    exc: PointerValue<'ctx>,
    counter: PointerValue<'ctx>,
    head: inkwell::basic_block::BasicBlock<'ctx>,
    body: inkwell::basic_block::BasicBlock<'ctx>,
    done: inkwell::basic_block::BasicBlock<'ctx>,
    f: FunctionValue<'ctx>,
}

impl<'ctx> LoopFrame<'ctx> {
    fn new(cx: &'ctx Context, module: &inkwell::module::Module<'ctx>, name: &str) -> Result<Self> {
        let ptr = cx.ptr_type(AddressSpace::default());
        let i64t = cx.i64_type();
        let fn_type = cx.void_type().fn_type(&[ptr.into(), ptr.into(), ptr.into(), ptr.into()], false);
        let f = module.add_function(name, fn_type, None);
        let b = cx.create_builder();
        let entry = cx.append_basic_block(f, "entry");
        let (head, body, done) = (cx.append_basic_block(f, "head"), cx.append_basic_block(f, "body"), cx.append_basic_block(f, "done"));
        b.position_at_end(entry);
        let exc_ty = cx.struct_type(&[cx.i32_type().into(), ptr.into(), i64t.into()], false);
        let exc = b.build_alloca(exc_ty, "exc")?;
        let counter = b.build_alloca(i64t, "i")?;
        b.build_store(counter, i64t.const_zero())?;
        Ok(LoopFrame {
            arg_ptrs: f.get_nth_param(0).unwrap().into_pointer_value(),
            dims: f.get_nth_param(1).unwrap().into_pointer_value(),
            steps: f.get_nth_param(2).unwrap().into_pointer_value(),
            b,
            i64t,
            ptr,
            exc,
            counter,
            head,
            body,
            done,
            f,
        })
    }

    /// `base[k]` for one of NumPy's npy_intp arrays.
    fn load_i64(&self, base: PointerValue<'ctx>, k: u64) -> Result<IntValue<'ctx>> {
        // SAFETY: NumPy passes these many dimensions and steps for the signature.
        let p = unsafe { self.b.build_gep(self.i64t, base, &[self.i64t.const_int(k, false)], "p")? };
        Ok(self.b.build_load(self.i64t, p, "v")?.into_int_value())
    }

    /// Operand `k`'s base pointer.
    fn operand(&self, k: u64) -> Result<PointerValue<'ctx>> {
        // SAFETY: NumPy passes nin + nout operand pointers.
        let p = unsafe { self.b.build_gep(self.ptr, self.arg_ptrs, &[self.i64t.const_int(k, false)], "argp")? };
        Ok(self.b.build_load(self.ptr, p, "base")?.into_pointer_value())
    }

    /// Ends the entry block and starts the body; returns `i`.
    fn enter(&self) -> Result<IntValue<'ctx>> {
        let n = self.load_i64(self.dims, 0)?;
        self.b.build_unconditional_branch(self.head)?;
        self.b.position_at_end(self.head);
        let i = self.b.build_load(self.i64t, self.counter, "i")?.into_int_value();
        let more = self.b.build_int_compare(inkwell::IntPredicate::SLT, i, n, "more")?;
        self.b.build_conditional_branch(more, self.body, self.done)?;
        self.b.position_at_end(self.body);
        Ok(i)
    }

    fn close(&self, i: IntValue<'ctx>) -> Result<FunctionValue<'ctx>> {
        let next = self.b.build_int_add(i, self.i64t.const_int(1, false), "next")?;
        self.b.build_store(self.counter, next)?;
        self.b.build_unconditional_branch(self.head)?;
        self.b.position_at_end(self.done);
        self.b.build_return(None)?;
        Ok(self.f)
    }
}

/// Emits a NumPy ufunc inner loop, `void loop(char **args, npy_intp *dims, npy_intp *steps,
/// void *data)`, calling the scalar function `inner` on each of the `dims[0]` elements: input
/// `k` is read at `args[k] + i * steps[k]`, the result written after the inputs. An element
/// whose computation raises gets the zero value (ufunc loops cannot raise).
pub(crate) fn ufunc_loop<'ctx>(
    cx: &'ctx Context,
    module: &inkwell::module::Module<'ctx>,
    inner: FunctionValue<'ctx>,
    args: &[Type],
    ret: &Type,
    name: &str,
) -> Result<FunctionValue<'ctx>> {
    let frame = LoopFrame::new(cx, module, name)?;
    let b = &frame.b;
    let ret_ty = llvm_type(cx, ret);
    let ret_tmp = b.build_alloca(ret_ty, "ret")?;
    // Base pointers and steps of every operand, loaded once.
    let mut bases = Vec::new();
    let mut strides = Vec::new();
    for k in 0..=args.len() as u64 {
        bases.push(frame.operand(k)?);
        strides.push(frame.load_i64(frame.steps, k)?);
    }
    let i = frame.enter()?;
    let element = |k: usize| -> Result<PointerValue<'ctx>> {
        let off = b.build_int_mul(i, strides[k], "off")?;
        // SAFETY: within the operand for i < n.
        Ok(unsafe { b.build_gep(cx.i8_type(), bases[k], &[off], "elem")? })
    };
    let mut call_args = vec![ret_tmp.into(), frame.exc.into()];
    for (k, ty) in args.iter().enumerate() {
        let p = element(k)?;
        let v = b.build_load(memory_type(cx, ty), p, "in")?;
        let v: BasicValueEnum = match ty {
            Type::Bool => b.build_int_compare(inkwell::IntPredicate::NE, v.into_int_value(), cx.i8_type().const_zero(), "b")?.into(),
            _ => v,
        };
        call_args.push(v.into());
    }
    b.build_store(ret_tmp, ret_ty.const_zero())?;
    b.build_call(inner, &call_args, "status")?;
    let out = element(args.len())?;
    let value = b.build_load(ret_ty, ret_tmp, "out")?;
    let value: BasicValueEnum = match ret {
        Type::Bool => b.build_int_z_extend(value.into_int_value(), cx.i8_type(), "byte")?.into(),
        _ => value,
    };
    b.build_store(out, value)?;
    frame.close(i)
}

/// Emits a NumPy generalised-ufunc inner loop calling `inner` once per outer element. Operand
/// `k` is a scalar (read at `args[k] + i * steps[k]`) or an array whose dimensions are the core
/// dimensions `core[k]` (indices into `dims[1..]`), with strides from `steps[nargs..]` in
/// operand order. Arrays are passed borrowed (null meminfo). A core-less array operand (an
/// output declared `()`) is a one-element array.
pub(crate) fn gufunc_loop<'ctx>(
    cx: &'ctx Context,
    module: &inkwell::module::Module<'ctx>,
    inner: FunctionValue<'ctx>,
    args: &[Type],
    core: &[Vec<usize>],
    name: &str,
) -> Result<FunctionValue<'ctx>> {
    let frame = LoopFrame::new(cx, module, name)?;
    let b = &frame.b;
    let i64t = cx.i64_type();
    let nargs = args.len() as u64;
    let ret_tmp = b.build_alloca(cx.struct_type(&[], false), "ret")?;
    let mut bases = Vec::new();
    let mut outer_steps = Vec::new();
    let mut core_shapes = Vec::new();
    let mut core_strides = Vec::new();
    let mut core_step_index = nargs;
    for (k, ty) in args.iter().enumerate() {
        bases.push(frame.operand(k as u64)?);
        outer_steps.push(frame.load_i64(frame.steps, k as u64)?);
        let mut shape = Vec::new();
        let mut strides = Vec::new();
        for &d in &core[k] {
            shape.push(frame.load_i64(frame.dims, 1 + d as u64)?);
            strides.push(frame.load_i64(frame.steps, core_step_index)?);
            core_step_index += 1;
        }
        if let Type::Array(a) = ty {
            // A `()` operand passed as an array: one element.
            while shape.len() < a.ndim as usize {
                shape.push(i64t.const_int(1, false));
                strides.push(i64t.const_zero());
            }
        }
        core_shapes.push(shape);
        core_strides.push(strides);
    }
    let i = frame.enter()?;
    let mut call_args: Vec<inkwell::values::BasicMetadataValueEnum> = vec![ret_tmp.into(), frame.exc.into()];
    for (k, ty) in args.iter().enumerate() {
        let off = b.build_int_mul(i, outer_steps[k], "off")?;
        // SAFETY: within operand k for i < n.
        let p = unsafe { b.build_gep(cx.i8_type(), bases[k], &[off], "elem")? };
        match ty {
            Type::Array(a) => {
                let st = array_struct(cx, a.ndim);
                let mut agg = st.get_undef();
                agg = b.build_insert_value(agg, frame.ptr.const_null(), 0, "meminfo")?.into_struct_value();
                agg = b.build_insert_value(agg, p, 1, "data")?.into_struct_value();
                for (field, values) in [(2u32, &core_shapes[k]), (3, &core_strides[k])] {
                    let mut arr = i64t.array_type(a.ndim as u32).get_undef();
                    for (j, v) in values.iter().enumerate() {
                        arr = b.build_insert_value(arr, *v, j as u32, "dim")?.into_array_value();
                    }
                    agg = b.build_insert_value(agg, arr, field, "dims")?.into_struct_value();
                }
                call_args.push(agg.into());
            }
            scalar => {
                let v = b.build_load(memory_type(cx, scalar), p, "in")?;
                let v: BasicValueEnum = match scalar {
                    Type::Bool => b.build_int_compare(inkwell::IntPredicate::NE, v.into_int_value(), cx.i8_type().const_zero(), "b")?.into(),
                    _ => v,
                };
                call_args.push(v.into());
            }
        }
    }
    b.build_call(inner, &call_args, "status")?;
    frame.close(i)
}
