//! Lowering of strings: constants, the length and the truth value inline, printing. Every other
//! string operation is a runtime call ([`ir::ExprKind::Runtime`], `ferrojit_runtime::strings`).
//!
//! A string value is its meminfo pointer; its header (length, kind, hash) follows the meminfo.

use crate::lower::FnLower;
use crate::Result;
use ferrojit_runtime::memory::DATA_OFFSET;
use ferrojit_runtime::strings::{constant_image, LENGTH_OFFSET};
use inkwell::module::Linkage;
use inkwell::values::{IntValue, PointerValue};
use inkwell::IntPredicate;

impl<'ctx> FnLower<'ctx, '_> {
    /// The string constant `text`: an immortal image in the module's writable data (its hash
    /// is stored into it when first asked for).
    pub(crate) fn string_constant(&self, text: &str) -> PointerValue<'ctx> {
        let image = self.cx.const_string(&constant_image(text), false);
        let g = self.module.add_global(image.get_type(), None, "unicode");
        g.set_initializer(&image);
        g.set_linkage(Linkage::Private);
        g.set_alignment(16);
        g.as_pointer_value()
    }

    pub(crate) fn str_len(&self, s: PointerValue<'ctx>) -> Result<IntValue<'ctx>> {
        // SAFETY (for LLVM): the header follows the meminfo inside its allocation.
        let at = unsafe { self.b.build_in_bounds_gep(self.cx.i8_type(), s, &[self.i64((DATA_OFFSET as u64 + LENGTH_OFFSET) as i64)], "str.len")? };
        Ok(self.b.build_load(self.cx.i64_type(), at, "len")?.into_int_value())
    }

    /// `len(s) != 0`: a string's truth value.
    pub(crate) fn str_is_nonempty(&self, s: PointerValue<'ctx>) -> Result<IntValue<'ctx>> {
        Ok(self.b.build_int_compare(IntPredicate::NE, self.str_len(s)?, self.i64(0), "nonempty")?)
    }

    /// Prints `bytes` as Python does, by their `repr` (`b'...'`).
    pub(crate) fn print_bytes(&mut self, s: PointerValue<'ctx>) -> Result<()> {
        let ptr = self.cx.ptr_type(inkwell::AddressSpace::default());
        let f = self.extern_fn("ferrojit_rt_print_bytes", None, &[ptr.into()]);
        self.b.build_call(f, &[s.into()], "")?;
        Ok(())
    }

    /// Prints the string `s` (its `repr` inside a container, as Python prints items).
    pub(crate) fn print_unicode(&mut self, s: PointerValue<'ctx>, repr: bool) -> Result<()> {
        let ptr = self.cx.ptr_type(inkwell::AddressSpace::default());
        let name = if repr { "ferrojit_rt_print_unicode_repr" } else { "ferrojit_rt_print_unicode" };
        let f = self.extern_fn(name, None, &[ptr.into()]);
        self.b.build_call(f, &[s.into()], "")?;
        Ok(())
    }
}
