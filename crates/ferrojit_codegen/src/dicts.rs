//! Lowering of the dict operations ([`ir::DictOp`], [`ir::DictUpdate`]).
//!
//! A dict value is its meminfo pointer; the header after it (`ferrojit_runtime::dicts`) holds
//! the length and the entries' buffer. Reading the length, keys and values and storing values
//! are inline; finding, inserting and deleting keys call the runtime with the key written into
//! zeroed slots in its canonical form (`-0.0` as `0.0`), since the runtime compares key bytes.
//! A set is read alike (its length and entries at a dict's offsets) but has a runtime of its
//! own (`ferrojit_runtime::sets`, CPython's table), whose finding and inserting take the key's
//! hash besides.

use crate::abi::{load_slots, store_slots};
use crate::lower::FnLower;
use crate::Result;
use ferrojit_ir::{self as ir, DictOp, DictUpdate, ExcKind};
use ferrojit_runtime::dicts::{DIRTY_OFFSET, ENTRIES_OFFSET, IDENTITY_KEY, KEY_OFFSET, LEN_OFFSET};
use ferrojit_runtime::memory::DATA_OFFSET;

const _: () = assert!(ir::SET_NO_HASH == ferrojit_runtime::sets::NO_HASH);
use ferrojit_types::Type;
use inkwell::values::{BasicValueEnum, IntValue, PointerValue};
use inkwell::{AddressSpace, IntPredicate};

type Value<'ctx> = BasicValueEnum<'ctx>;

fn dict_types(ty: &Type) -> (&Type, &Type) {
    match ty {
        Type::Dict(key, value) => (key, value),
        // A set is a table of keys without values.
        Type::Set(key) => (key, &Type::NoneType),
        other => unreachable!("the verifier checked dict operands, got {other}"),
    }
}

/// The runtime's function `op` (`"find"`, `"insert"`...) of a dict or of a set
/// (`ferrojit_runtime::sets`, which has its own table).
fn runtime_symbol(ty: &Type, op: &str) -> String {
    let table = if matches!(ty, Type::Set(_)) { "set" } else { "dict" };
    format!("ferrojit_rt_{table}_{op}")
}

fn slot_bytes(ty: &Type) -> u64 {
    8 * ty.leaves().len() as u64
}

impl<'ctx> FnLower<'ctx, '_> {
    fn dict_field(&self, dict: PointerValue<'ctx>, offset: u64) -> Result<PointerValue<'ctx>> {
        // SAFETY (for LLVM): the header follows the meminfo inside its allocation.
        Ok(unsafe { self.b.build_in_bounds_gep(self.cx.i8_type(), dict, &[self.i64((DATA_OFFSET as u64 + offset) as i64)], "dict.field")? })
    }

    fn dict_len(&self, dict: PointerValue<'ctx>) -> Result<IntValue<'ctx>> {
        Ok(self.b.build_load(self.cx.i64_type(), self.dict_field(dict, LEN_OFFSET)?, "len")?.into_int_value())
    }

    /// `len(dict) != 0`: a dict's truth value.
    pub(crate) fn dict_is_nonempty(&self, dict: PointerValue<'ctx>) -> Result<IntValue<'ctx>> {
        Ok(self.b.build_int_compare(IntPredicate::NE, self.dict_len(dict)?, self.i64(0), "nonempty")?)
    }

    /// The address `offset` bytes into the entry at `position`.
    fn entry_part(&self, dict: PointerValue<'ctx>, ty: &Type, position: IntValue<'ctx>, offset: u64) -> Result<PointerValue<'ctx>> {
        let (key, value) = dict_types(ty);
        let entry_size = KEY_OFFSET + slot_bytes(key) + slot_bytes(value);
        let ptr = self.cx.ptr_type(AddressSpace::default());
        let entries = self.b.build_load(ptr, self.dict_field(dict, ENTRIES_OFFSET)?, "entries")?.into_pointer_value();
        let start = self.b.build_int_mul(position, self.i64(entry_size as i64), "entry")?;
        let at = self.b.build_int_add(start, self.i64(offset as i64), "part")?;
        // SAFETY (for LLVM): positions come from the runtime, inside the entries.
        Ok(unsafe { self.b.build_in_bounds_gep(self.cx.i8_type(), entries, &[at], "entry.part")? })
    }

    /// `key` written into a zeroed stack buffer in its canonical form, for the runtime.
    fn key_buffer(&mut self, key: Value<'ctx>, ty: &Type) -> Result<PointerValue<'ctx>> {
        let bytes = slot_bytes(ty);
        let buffer = self.entry_alloca(self.cx.i8_type().array_type(bytes.max(8) as u32).into(), "key")?;
        self.b.build_memset(buffer, 8, self.cx.i8_type().const_zero(), self.i64(bytes.max(8) as i64))?;
        let canonical = self.canonical_key(key, ty)?;
        store_slots(self.cx, &self.b, buffer, ty, canonical, &mut 0)?;
        Ok(buffer)
    }

    /// Floats with `-0.0` made `0.0` (`x + 0.0`), so that equal keys have equal bytes.
    fn canonical_key(&mut self, key: Value<'ctx>, ty: &Type) -> Result<Value<'ctx>> {
        Ok(match ty {
            Type::Float(_) => {
                let f = key.into_float_value();
                self.b.build_float_add(f, f.get_type().const_zero(), "canonical")?.into()
            }
            Type::Complex(_) | Type::Tuple(_) | Type::NamedTuple(_) => {
                let items: Vec<Type> = match ty {
                    Type::Complex(f) => vec![Type::Float(*f); 2],
                    Type::Tuple(items) => items.clone(),
                    Type::NamedTuple(n) => n.items.clone(),
                    _ => unreachable!(),
                };
                let mut agg = key.into_struct_value();
                for (i, item) in items.iter().enumerate() {
                    let part = self.b.build_extract_value(agg, i as u32, "part")?;
                    let part = self.canonical_key(part, item)?;
                    agg = self.b.build_insert_value(agg, part, i as u32, "canonical")?.into_struct_value();
                }
                agg.into()
            }
            _ => key,
        })
    }

    pub(crate) fn dict_op(&mut self, op: DictOp, args: &[ir::Expr], ty: &Type) -> Result<Value<'ctx>> {
        let cx = self.cx;
        let (i64t, ptr) = (cx.i64_type(), cx.ptr_type(AddressSpace::default()));
        if op == DictOp::New {
            let (key, value) = dict_types(ty);
            // The meminfos of the key (its strings and instances) and of the value, from the
            // key's start.
            let heap = self.descriptor_constant(&Type::dict_heap_words(key, value, IDENTITY_KEY));
            let dict = if matches!(ty, Type::Set(_)) {
                let new = self.extern_fn("ferrojit_rt_set_new", Some(ptr.into()), &[i64t.into(), ptr.into()]);
                let args = [self.i64(slot_bytes(key) as i64).into(), heap.into()];
                self.b.build_call(new, &args, "set")?
            } else {
                let new = self.extern_fn("ferrojit_rt_dict_new", Some(ptr.into()), &[i64t.into(), i64t.into(), ptr.into(), i64t.into()]);
                let args = [self.i64(slot_bytes(key) as i64).into(), self.i64(slot_bytes(value) as i64).into(), heap.into(), self.i64(0).into()];
                self.b.build_call(new, &args, "dict")?
            };
            let dict = dict.try_as_basic_value().basic().expect("a pointer").into_pointer_value();
            let failed = self.b.build_is_null(dict, "oom")?;
            self.raise_if(failed, ExcKind::MemoryError, "cannot allocate memory for the dict")?;
            return Ok(dict.into());
        }
        let dict_ty = args[0].ty.clone();
        let (key_ty, value_ty) = dict_types(&dict_ty);
        let dict = self.expr(&args[0])?.into_pointer_value();
        match op {
            DictOp::New => unreachable!("made above"),
            DictOp::Len => Ok(self.dict_len(dict)?.into()),
            DictOp::Find | DictOp::Insert => {
                let key = self.expr(&args[1])?;
                let buffer = self.key_buffer(key, key_ty)?;
                let name = runtime_symbol(&dict_ty, if op == DictOp::Find { "find" } else { "insert" });
                let at = if let Some(hash) = args.get(2) {
                    // A set's key comes with its hash.
                    let hash = self.expr(hash)?;
                    let f = self.extern_fn(&name, Some(i64t.into()), &[ptr.into(), ptr.into(), i64t.into()]);
                    self.b.build_call(f, &[dict.into(), buffer.into(), hash.into()], "position")?
                } else {
                    let f = self.extern_fn(&name, Some(i64t.into()), &[ptr.into(), ptr.into()]);
                    self.b.build_call(f, &[dict.into(), buffer.into()], "position")?
                };
                let at = at.try_as_basic_value().basic().expect("an int").into_int_value();
                if op == DictOp::Insert {
                    let failed = self.b.build_int_compare(IntPredicate::EQ, at, self.i64(-2), "oom")?;
                    self.raise_if(failed, ExcKind::MemoryError, "cannot allocate memory for the dict")?;
                }
                Ok(at.into())
            }
            DictOp::Key => {
                let position = self.expr(&args[1])?.into_int_value();
                let at = self.entry_part(dict, &dict_ty, position, KEY_OFFSET)?;
                load_slots(cx, &self.b, at, key_ty, &mut 0)
            }
            DictOp::Value => {
                let position = self.expr(&args[1])?.into_int_value();
                let at = self.entry_part(dict, &dict_ty, position, KEY_OFFSET + slot_bytes(key_ty))?;
                load_slots(cx, &self.b, at, value_ty, &mut 0)
            }
            DictOp::Candidate => {
                let hash = self.expr(&args[1])?;
                let n = self.expr(&args[2])?;
                let f = self.extern_fn(&runtime_symbol(&dict_ty, "candidate"), Some(i64t.into()), &[ptr.into(), i64t.into(), i64t.into()]);
                Ok(self.b.build_call(f, &[dict.into(), hash.into(), n.into()], "candidate")?.try_as_basic_value().basic().expect("an int"))
            }
            DictOp::InsertNew => {
                let key = self.expr(&args[1])?;
                let hash = self.expr(&args[2])?;
                let buffer = self.key_buffer(key, key_ty)?;
                let f = self.extern_fn(&runtime_symbol(&dict_ty, "insert_new"), Some(i64t.into()), &[ptr.into(), ptr.into(), i64t.into()]);
                let at = self.b.build_call(f, &[dict.into(), buffer.into(), hash.into()], "position")?.try_as_basic_value().basic().expect("an int").into_int_value();
                let failed = self.b.build_int_compare(IntPredicate::EQ, at, self.i64(-2), "oom")?;
                self.raise_if(failed, ExcKind::MemoryError, "cannot allocate memory for the dict")?;
                Ok(at.into())
            }
            DictOp::Next => {
                let from = self.expr(&args[1])?;
                let f = self.extern_fn(&runtime_symbol(&dict_ty, "next"), Some(i64t.into()), &[ptr.into(), i64t.into()]);
                Ok(self.b.build_call(f, &[dict.into(), from.into()], "next")?.try_as_basic_value().basic().expect("an int"))
            }
        }
    }

    pub(crate) fn dict_update(&mut self, op: DictUpdate, args: &[ir::Expr]) -> Result<()> {
        let dict_ty = args[0].ty.clone();
        let (key_ty, value_ty) = dict_types(&dict_ty);
        let dict = self.expr(&args[0])?.into_pointer_value();
        let ptr = self.cx.ptr_type(AddressSpace::default());
        match op {
            DictUpdate::Store => {
                let position = self.expr(&args[1])?.into_int_value();
                let value = self.expr(&args[2])?;
                let value = self.own_arrays(value, value_ty)?;
                let at = self.entry_part(dict, &dict_ty, position, KEY_OFFSET + slot_bytes(key_ty))?;
                let old = load_slots(self.cx, &self.b, at, value_ty, &mut 0)?;
                store_slots(self.cx, &self.b, at, value_ty, value, &mut 0)?;
                self.b.build_store(self.dict_field(dict, DIRTY_OFFSET)?, self.i64(1))?;
                self.refcount(old, value_ty, false)
            }
            DictUpdate::Delete => {
                let position = self.expr(&args[1])?;
                let f = self.extern_fn(&runtime_symbol(&dict_ty, "delete"), None, &[ptr.into(), self.cx.i64_type().into()]);
                self.b.build_call(f, &[dict.into(), position.into()], "")?;
                Ok(())
            }
            DictUpdate::Clear => {
                let f = self.extern_fn(&runtime_symbol(&dict_ty, "clear"), None, &[ptr.into()]);
                self.b.build_call(f, &[dict.into()], "")?;
                Ok(())
            }
        }
    }
}
