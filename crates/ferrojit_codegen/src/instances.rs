//! Lowering of jitclass instances ([`ir::ExprKind::NewInstance`], [`ir::ExprKind::GetField`],
//! [`ir::StmtKind::SetField`]).
//!
//! An instance value is its meminfo pointer; its fields follow the header in the meminfo's
//! data (`ferrojit_runtime::instances`), each at 8 bytes per leaf before it, as a list item's
//! slots. Reading and writing a field are inline loads and stores; making an instance calls
//! the runtime, which zeroes the fields.

use crate::abi::{load_slots, store_slots};
use crate::lower::FnLower;
use crate::Result;
use ferrojit_ir::{self as ir, ExcKind};
use ferrojit_runtime::instances::FIELDS_OFFSET;
use ferrojit_runtime::memory::DATA_OFFSET;
use ferrojit_types::{InstanceType, Type};
use inkwell::values::{BasicValueEnum, PointerValue};
use inkwell::AddressSpace;

type Value<'ctx> = BasicValueEnum<'ctx>;

/// The class of an instance type, with its fields (a reference to a class in its own fields
/// resolved).
fn class_of(ty: &Type) -> std::sync::Arc<InstanceType> {
    match ty {
        Type::Instance(c) => c.resolved(),
        other => unreachable!("the verifier checked instance operands, got {other}"),
    }
}

impl<'ctx> FnLower<'ctx, '_> {
    /// A new instance of `ty`, its fields zero.
    pub(crate) fn new_instance(&mut self, ty: &Type) -> Result<Value<'ctx>> {
        let layout = class_of(ty).layout();
        let cx = self.cx;
        let ptr = cx.ptr_type(AddressSpace::default());
        // Where the fields' meminfo pointers are, from the first field: what the instance
        // releases when it dies.
        let heap = self.heap_descriptor(&layout);
        let new = self.extern_fn("ferrojit_rt_instance_new", Some(ptr.into()), &[cx.i64_type().into(), ptr.into()]);
        let size = 8 * class_of(ty).record_slots() as i64;
        let instance = self.b.build_call(new, &[self.i64(size).into(), heap.into()], "instance")?.try_as_basic_value().basic().expect("a pointer").into_pointer_value();
        let failed = self.b.build_is_null(instance, "oom")?;
        self.raise_if(failed, ExcKind::MemoryError, "cannot allocate memory for the instance")?;
        Ok(instance.into())
    }

    /// The address of field `field` of the instance `instance` of `class`.
    fn field_ptr(&self, instance: PointerValue<'ctx>, class: &InstanceType, field: usize) -> Result<PointerValue<'ctx>> {
        let offset = DATA_OFFSET as u64 + FIELDS_OFFSET + 8 * class.field_leaf(field) as u64;
        // SAFETY (for LLVM): the fields lie inside the instance's allocation.
        Ok(unsafe { self.b.build_in_bounds_gep(self.cx.i8_type(), instance, &[self.i64(offset as i64)], "field")? })
    }

    /// The address of the 8-byte slot `slot` of the record `instance`.
    fn slot_ptr(&self, instance: PointerValue<'ctx>, slot: usize) -> Result<PointerValue<'ctx>> {
        let offset = DATA_OFFSET as u64 + FIELDS_OFFSET + 8 * slot as u64;
        // SAFETY (for LLVM): the slot lies inside the instance's allocation.
        Ok(unsafe { self.b.build_in_bounds_gep(self.cx.i8_type(), instance, &[self.i64(offset as i64)], "flags")? })
    }

    /// The value of a field, borrowed from the instance; Python's `AttributeError` when it
    /// has a "set" flag (see `InstanceType::may_be_unset`) that is clear.
    pub(crate) fn get_field(&mut self, object: &ir::Expr, field: usize) -> Result<Value<'ctx>> {
        let class = class_of(&object.ty);
        let instance = self.expr(object)?.into_pointer_value();
        if let Some((slot, bit)) = class.set_flag(field) {
            let i64t = self.cx.i64_type();
            let flags = self.b.build_load(i64t, self.slot_ptr(instance, slot)?, "flags")?.into_int_value();
            let mine = self.b.build_and(flags, i64t.const_int(1 << bit, false), "set")?;
            let unset = self.b.build_int_compare(inkwell::IntPredicate::EQ, mine, i64t.const_zero(), "unset")?;
            // CPython's message.
            let message = format!("'{}' object has no attribute '{}'", class.name, class.fields[field].0);
            self.raise_if(unset, ExcKind::AttributeError, &message)?;
        }
        let at = self.field_ptr(instance, &class, field)?;
        load_slots(self.cx, &self.b, at, &class.fields[field].1, &mut 0)
    }

    /// Stores the owned `value` into a field, releasing the value it replaces.
    pub(crate) fn set_field(&mut self, object: &ir::Expr, field: usize, value: &ir::Expr) -> Result<()> {
        let class = class_of(&object.ty);
        let ty = class.fields[field].1.clone();
        let instance = self.expr(object)?.into_pointer_value();
        let value = self.expr(value)?;
        // An argument's array stored into an instance may outlive the call that borrowed it.
        let value = self.own_arrays(value, &ty)?;
        let at = self.field_ptr(instance, &class, field)?;
        let old = load_slots(self.cx, &self.b, at, &ty, &mut 0)?;
        store_slots(self.cx, &self.b, at, &ty, value, &mut 0)?;
        if let Some((slot, bit)) = class.set_flag(field) {
            let i64t = self.cx.i64_type();
            let flags_at = self.slot_ptr(instance, slot)?;
            let flags = self.b.build_load(i64t, flags_at, "flags")?.into_int_value();
            let flags = self.b.build_or(flags, i64t.const_int(1 << bit, false), "flags")?;
            self.b.build_store(flags_at, flags)?;
        }
        // After the store: the old value may be the one stored (`self.a = self.a`), which
        // holds a reference of its own by now.
        self.refcount(old, &ty, false)
    }
}
