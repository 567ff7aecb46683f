//! `del name`: a variable that `del` unbinds holds no value until it is assigned again.
//!
//! Where the variable may be unbound at the `del` (no assignment on some path to it, or a
//! `del` before), the `del` raises CPython's `UnboundLocalError` first, as reads do (see
//! `unbound`, whose analysis counts `del` as the end of the variable's value). `del` drops the
//! references the variable holds at once (`StmtKind::Unbind`, which the ownership pass turns
//! into a release, leaving the local cleared).

use crate::function::{FnInfer, Result};
use crate::unbound::unbound_message;
use ferrojit_ir::{self as ir, StmtKind};
use ferrojit_syntax::ast::Span;

impl FnInfer<'_> {
    /// `del name` of a variable: its value (and the references it holds) dropped now.
    pub(crate) fn delete_name(&mut self, name: &str, span: Span, out: &mut Vec<ir::Stmt>) -> Result<()> {
        if self.cells.contains_key(name) {
            return Err(self.unsupported(span, format!("`del {name}` of a variable that an inner function uses is not supported"), Some("assign the variable a new value instead")));
        }
        let Some(&id) = self.names.get(name) else { return Err(self.internal(span, "a deleted name was not collected")) };
        if self.locals[id].ty.is_none() {
            return Err(self.pending_or(self.typing(span, format!("variable `{name}` is deleted before it is assigned: {}", unbound_message(name)), Some("assign it on every path before this line"))));
        }
        out.extend(self.binding_check(name, span));
        out.push(ir::Stmt { kind: StmtKind::Unbind(id), span });
        self.unbound_now(name, span, out);
        Ok(())
    }
}
