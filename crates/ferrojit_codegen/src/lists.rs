//! Lowering of the list operations ([`ir::ListOp`], [`ir::ListUpdate`]).
//!
//! A list value is its meminfo pointer; the header after it (`ferrojit_runtime::lists`) holds
//! the length, the capacity and the items' buffer. Reading the length and items and storing
//! items are inline loads and stores; making a list and changing its length call the runtime,
//! except appending into spare capacity, which is inline.

use crate::abi::{load_slots, store_slots};
use crate::lower::FnLower;
use crate::Result;
use ferrojit_ir::{self as ir, ExcKind, ListOp, ListUpdate};
use ferrojit_runtime::lists::{CAPACITY_OFFSET, DIRTY_OFFSET, ITEMS_OFFSET, LEN_OFFSET};
use ferrojit_runtime::memory::DATA_OFFSET;
use ferrojit_types::Type;
use inkwell::module::Linkage;
use inkwell::values::{BasicValueEnum, IntValue, PointerValue};
use inkwell::{AddressSpace, IntPredicate};

type Value<'ctx> = BasicValueEnum<'ctx>;

/// The item type of a list type.
fn item_type(ty: &Type) -> &Type {
    match ty {
        Type::List(item) => item,
        other => unreachable!("the verifier checked list operands, got {other}"),
    }
}

/// Bytes per item: 8 per leaf, as in the runtime's item slots.
fn slot_bytes(item: &Type) -> i64 {
    8 * item.leaves().len() as i64
}

impl<'ctx> FnLower<'ctx, '_> {
    /// The address of the header field `offset` of the list `list`.
    fn list_field(&self, list: PointerValue<'ctx>, offset: u64) -> Result<PointerValue<'ctx>> {
        // SAFETY (for LLVM): the header follows the meminfo inside its allocation.
        Ok(unsafe { self.b.build_in_bounds_gep(self.cx.i8_type(), list, &[self.i64((DATA_OFFSET as u64 + offset) as i64)], "list.field")? })
    }

    fn list_len(&self, list: PointerValue<'ctx>) -> Result<IntValue<'ctx>> {
        Ok(self.b.build_load(self.cx.i64_type(), self.list_field(list, LEN_OFFSET)?, "len")?.into_int_value())
    }

    /// `len(list) != 0`: a list's truth value.
    pub(crate) fn list_is_nonempty(&self, list: PointerValue<'ctx>) -> Result<IntValue<'ctx>> {
        Ok(self.b.build_int_compare(IntPredicate::NE, self.list_len(list)?, self.i64(0), "nonempty")?)
    }

    /// The address of item `index` of a list of `item`s.
    pub(crate) fn list_item_ptr(&self, list: PointerValue<'ctx>, item: &Type, index: IntValue<'ctx>) -> Result<PointerValue<'ctx>> {
        let ptr = self.cx.ptr_type(AddressSpace::default());
        let items = self.b.build_load(ptr, self.list_field(list, ITEMS_OFFSET)?, "items")?.into_pointer_value();
        let offset = self.b.build_int_mul(index, self.i64(slot_bytes(item)), "offset")?;
        // SAFETY (for LLVM): callers give an index inside the list.
        Ok(unsafe { self.b.build_in_bounds_gep(self.cx.i8_type(), items, &[offset], "item")? })
    }

    pub(crate) fn list_op(&mut self, op: ListOp, args: &[ir::Expr], ty: &Type) -> Result<Value<'ctx>> {
        match op {
            ListOp::New => {
                let len = self.expr(&args[0])?.into_int_value();
                self.new_list(item_type(ty), len)
            }
            ListOp::Len => {
                let list = self.expr(&args[0])?.into_pointer_value();
                Ok(self.list_len(list)?.into())
            }
            ListOp::Get => {
                let list = self.expr(&args[0])?.into_pointer_value();
                let index = self.expr(&args[1])?.into_int_value();
                let at = self.list_item_ptr(list, ty, index)?;
                load_slots(self.cx, &self.b, at, ty, &mut 0)
            }
        }
    }

    /// A new list of `len` zeroed `item`s.
    pub(crate) fn new_list(&mut self, item: &Type, len: IntValue<'ctx>) -> Result<Value<'ctx>> {
        let cx = self.cx;
        let ptr = cx.ptr_type(AddressSpace::default());
        let heap = self.heap_descriptor(item);
        let new = self.extern_fn("ferrojit_rt_list_new", Some(ptr.into()), &[cx.i64_type().into(), ptr.into(), cx.i64_type().into()]);
        let list = self.b.build_call(new, &[self.i64(slot_bytes(item)).into(), heap.into(), len.into()], "list")?.try_as_basic_value().basic().expect("a pointer").into_pointer_value();
        let failed = self.b.build_is_null(list, "oom")?;
        self.raise_if(failed, ExcKind::MemoryError, "cannot allocate memory for the list")?;
        Ok(list.into())
    }

    /// The runtime's description of where an item's meminfo pointers are (`[count, byte
    /// offsets...]`, a constant of this module), or null when items hold none.
    pub(crate) fn heap_descriptor(&self, item: &Type) -> PointerValue<'ctx> {
        let leaves = item.meminfo_leaves();
        let words: Vec<i64> = std::iter::once(leaves.len() as i64).chain(leaves.iter().map(|&l| 8 * l as i64)).collect();
        self.descriptor_constant(&words)
    }

    /// The descriptor `words` (`[count, offset...]`) as a constant of the module; null when
    /// the count is 0.
    pub(crate) fn descriptor_constant(&self, words: &[i64]) -> PointerValue<'ctx> {
        if words[0] == 0 {
            return self.cx.ptr_type(AddressSpace::default()).const_null();
        }
        let i64t = self.cx.i64_type();
        let values: Vec<IntValue> = words.iter().map(|&v| i64t.const_int(v as u64, false)).collect();
        let init = i64t.const_array(&values);
        let g = self.module.add_global(init.get_type(), None, "list.heap");
        g.set_initializer(&init);
        g.set_constant(true);
        g.set_linkage(Linkage::Private);
        g.as_pointer_value()
    }

    pub(crate) fn list_update(&mut self, op: ListUpdate, args: &[ir::Expr]) -> Result<()> {
        let item = item_type(&args[0].ty).clone();
        let list = self.expr(&args[0])?.into_pointer_value();
        match op {
            ListUpdate::Store => {
                let index = self.expr(&args[1])?.into_int_value();
                let value = self.expr(&args[2])?;
                let value = self.own_arrays(value, &item)?;
                let at = self.list_item_ptr(list, &item, index)?;
                let old = load_slots(self.cx, &self.b, at, &item, &mut 0)?;
                store_slots(self.cx, &self.b, at, &item, value, &mut 0)?;
                self.mark_changed(list)?;
                // After the store: the old item may be the value stored (`l[0] = l[0]`), which
                // holds a reference of its own by now.
                self.refcount(old, &item, false)
            }
            ListUpdate::Splice => {
                let at = self.expr(&args[1])?.into_int_value();
                let remove = self.expr(&args[2])?.into_int_value();
                let insert = self.expr(&args[3])?.into_int_value();
                self.splice(list, &item, at, remove, insert)
            }
        }
    }

    fn mark_changed(&self, list: PointerValue<'ctx>) -> Result<()> {
        self.b.build_store(self.list_field(list, DIRTY_OFFSET)?, self.i64(1))?;
        Ok(())
    }

    /// Appending into spare capacity (nothing removed, inserting at the end, room left) is
    /// inline: zero the new slots and count them. Everything else calls the runtime.
    fn splice(&mut self, list: PointerValue<'ctx>, item: &Type, at: IntValue<'ctx>, remove: IntValue<'ctx>, insert: IntValue<'ctx>) -> Result<()> {
        let b = &self.b;
        let len = self.list_len(list)?;
        let capacity = b.build_load(self.cx.i64_type(), self.list_field(list, CAPACITY_OFFSET)?, "capacity")?.into_int_value();
        let new_len = b.build_int_add(len, insert, "new_len")?;
        let appends = b.build_and(b.build_int_compare(IntPredicate::EQ, remove, self.i64(0), "keeps")?, b.build_int_compare(IntPredicate::EQ, at, len, "at_end")?, "appends")?;
        let fits = b.build_int_compare(IntPredicate::SLE, new_len, capacity, "fits")?;
        let inline = b.build_and(appends, fits, "inline")?;
        let (fast, slow, done) = (self.bb("append"), self.bb("splice"), self.bb("spliced"));
        self.b.build_conditional_branch(inline, fast, slow)?;

        self.b.position_at_end(fast);
        // New slots holding heap values start null (released safely if the list dies before
        // they are stored); numbers need no zeros: the library stores each new item right
        // after opening its slot, with nothing that can raise in between.
        if item.holds_heap() {
            let first_new = self.list_item_ptr(list, item, len)?;
            let bytes = self.b.build_int_mul(insert, self.i64(slot_bytes(item)), "bytes")?;
            self.b.build_memset(first_new, 8, self.cx.i8_type().const_zero(), bytes)?;
        }
        self.b.build_store(self.list_field(list, LEN_OFFSET)?, new_len)?;
        self.mark_changed(list)?;
        self.b.build_unconditional_branch(done)?;

        self.b.position_at_end(slow);
        let i64t = self.cx.i64_type();
        let ptr = self.cx.ptr_type(AddressSpace::default());
        let f = self.extern_fn("ferrojit_rt_list_splice", Some(i64t.into()), &[ptr.into(), i64t.into(), i64t.into(), i64t.into()]);
        let status = self.b.build_call(f, &[list.into(), at.into(), remove.into(), insert.into()], "status")?.try_as_basic_value().basic().expect("an int").into_int_value();
        let failed = self.b.build_int_compare(IntPredicate::NE, status, self.i64(0), "oom")?;
        self.raise_if(failed, ExcKind::MemoryError, "cannot allocate memory for the list")?;
        self.b.build_unconditional_branch(done)?;

        self.b.position_at_end(done);
        Ok(())
    }

    /// `print(list)`: `[item, item]`, each item as `print` shows it.
    pub(crate) fn print_list(&mut self, list: PointerValue<'ctx>, item: &Type) -> Result<()> {
        self.print_str("[")?;
        let len = self.list_len(list)?;
        let counter = self.entry_alloca(self.cx.i64_type().into(), "print.i")?;
        self.b.build_store(counter, self.i64(0))?;
        let (head, body, comma, show, done) = (self.bb("print.head"), self.bb("print.body"), self.bb("print.comma"), self.bb("print.item"), self.bb("print.done"));
        self.b.build_unconditional_branch(head)?;
        self.b.position_at_end(head);
        let i = self.b.build_load(self.cx.i64_type(), counter, "i")?.into_int_value();
        let more = self.b.build_int_compare(IntPredicate::SLT, i, len, "more")?;
        self.b.build_conditional_branch(more, body, done)?;
        self.b.position_at_end(body);
        let later = self.b.build_int_compare(IntPredicate::SGT, i, self.i64(0), "later")?;
        self.b.build_conditional_branch(later, comma, show)?;
        self.b.position_at_end(comma);
        self.print_str(", ")?;
        self.b.build_unconditional_branch(show)?;
        self.b.position_at_end(show);
        let at = self.list_item_ptr(list, item, i)?;
        let value = load_slots(self.cx, &self.b, at, item, &mut 0)?;
        self.print_item(value, item)?;
        let next = self.b.build_int_add(i, self.i64(1), "next")?;
        self.b.build_store(counter, next)?;
        self.b.build_unconditional_branch(head)?;
        self.b.position_at_end(done);
        self.print_str("]")
    }
}
