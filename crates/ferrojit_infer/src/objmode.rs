//! `with objmode(x='float64[:]', n='int64'):` (Numba's object mode): the block's body runs as
//! ordinary Python code. It is made a Python function of the module (see
//! `GlobalEnv::objmode_block`) taking the compiled function's variables that the body reads,
//! and returning the outputs declared; compiled code calls it ([`ExprKind::CallPython`]) and
//! assigns the outputs, converted to their declared types. Other variables the body assigns
//! stay inside it, as in Numba.

use crate::function::{FnInfer, Result};
use ferrojit_ir::{self as ir, ExprKind, StmtKind};
use ferrojit_syntax::ast::{self, Span};
use ferrojit_types::Type;

/// Whether the function's body has an object mode block (its machine code then calls Python
/// functions of this process).
pub(crate) fn has_objmode(def: &std::result::Result<ast::FunctionDef, ferrojit_syntax::SyntaxError>) -> bool {
    fn any(stmts: &[ast::Stmt]) -> bool {
        stmts.iter().any(|s| matches!(s.kind, ast::StmtKind::ObjMode(_)) || s.kind.blocks().into_iter().any(any))
    }
    def.as_ref().is_ok_and(|d| any(&d.body))
}

/// The span the read of the block's `i`-th argument is checked at (bound or not): one of its
/// own for each, inside the statement's.
pub(crate) fn argument_span(statement: Span, i: usize) -> Span {
    Span { end_col: statement.end_col.saturating_add(1 + i as u32), ..statement }
}

impl FnInfer<'_> {
    /// Whether the body of an object mode block gets the variable `name` of the compiled
    /// function: one it reads, other than an output not assigned before the block.
    pub(crate) fn objmode_argument(&self, block: &ast::ObjModeBlock, name: &str) -> bool {
        let output = block.outputs.iter().any(|(n, _, _)| n == name);
        match self.names.get(name) {
            Some(&id) => !output || self.locals[id].ty.is_some(),
            None => self.cells.contains_key(name),
        }
    }

    pub(crate) fn objmode(&mut self, block: &ast::ObjModeBlock, span: Span, out: &mut Vec<ir::Stmt>) -> Result<()> {
        let mut outputs = Vec::new();
        for (name, text, at) in &block.outputs {
            let ty = ferrojit_types::parse_type(text).map_err(|why| self.typing(*at, format!("the type `{text}` of `{name}` is not a type: {why}"), Some("write a type as in signatures: `'float64'`, `'int64[:]'`, `'unicode_type'`")))?;
            if matches!(ty, Type::List(_) | Type::Dict(..) | Type::Set(_)) || ty.holds_generator() {
                return Err(self.unsupported(*at, format!("an object mode block cannot give back a `{ty}` yet"), Some("give back numbers, strings, arrays or tuples of them")));
            }
            outputs.push((name.clone(), ty));
        }
        let mut args = Vec::new();
        let mut values = Vec::new();
        for (i, name) in block.reads.iter().enumerate() {
            if !self.objmode_argument(block, name) {
                continue;
            }
            let read = ast::Expr { kind: ast::ExprKind::Name(name.clone()), span: crate::objmode::argument_span(span, i) };
            let value = self.expr(&read)?;
            if matches!(value.ty, Type::Function(_)) || value.ty.holds_generator() {
                return Err(self.unsupported(span, format!("an object mode block cannot read `{name}`, a `{}`", value.ty), Some("pass numbers, strings, arrays, lists, dicts or tuples of them")));
            }
            args.push((name.clone(), value.ty.clone()));
            values.push(value);
        }
        let handle = self
            .func
            .globals
            .objmode_block(&self.func.source.filename, block.first_line, &block.body, &args, &outputs)
            .map_err(|why| self.unsupported(span, format!("this object mode block cannot run: {why}"), None))?;
        let result_ty = Type::Tuple(outputs.iter().map(|(_, t)| t.clone()).collect());
        let call = ir::Expr::new(ExprKind::CallPython { block: handle, args: values }, result_ty.clone(), span);
        let tmp = self.temp(result_ty);
        out.push(ir::Stmt { kind: StmtKind::Assign { local: tmp, value: call }, span });
        for (i, (name, ty)) in outputs.iter().enumerate() {
            let item = ir::Expr::new(ExprKind::TupleGet(self.local_expr(tmp, span).boxed(), i), ty.clone(), span);
            let target = ast::Expr { kind: ast::ExprKind::Name(name.clone()), span };
            self.assign(&target, item, out)?;
        }
        Ok(())
    }
}
