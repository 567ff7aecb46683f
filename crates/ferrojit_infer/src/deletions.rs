//! `del name`: a variable that `del` unbinds holds no value until it is assigned again.
//!
//! Each walk follows, statement by statement, which variables `del` has unbound: on every
//! path to here (a read is then an error when compiling, where CPython would raise
//! `UnboundLocalError` when running it), or on some paths only (one branch of an `if`, an
//! earlier iteration of a loop). A variable deleted anywhere in the function has a flag, a
//! bool local that each assignment sets and each `del` clears; where the variable may be
//! unbound, a read (or a second `del`) checks the flag and raises CPython's
//! `UnboundLocalError`. `del` drops the references the variable holds at once
//! (`StmtKind::Unbind`, which the ownership pass turns into a release).

use crate::function::{collect_assigned, FnInfer, Result};
use ferrojit_ir::{self as ir, Const, ExcKind, ExprKind, LocalId, StmtKind};
use ferrojit_syntax::ast::{self, Span};
use ferrojit_types::Type;
use std::collections::HashMap;

#[derive(Default)]
pub(crate) struct Deletions {
    /// The names `del` applies to anywhere in the function (not in its inner functions).
    names: Vec<String>,
    /// In this walk: the flag of each of `names` that is a plain local.
    flags: HashMap<String, LocalId>,
    /// The names unbound on some path to here, each with whether on every path and where
    /// the (last) `del` is.
    unbound: HashMap<String, (bool, Span)>,
}

/// Which names are unbound where (see [`Deletions`]), saved across a branch.
pub(crate) type State = HashMap<String, (bool, Span)>;

impl Deletions {
    pub fn of(body: &[ast::Stmt]) -> Deletions {
        let mut names = Vec::new();
        deleted_names(body, &mut names);
        Deletions { names, ..Deletions::default() }
    }

    pub fn state(&self) -> State {
        self.unbound.clone()
    }

    /// Goes back to `before` (at the start of a branch), returning the state it replaces.
    pub fn restore(&mut self, before: State) -> State {
        std::mem::replace(&mut self.unbound, before)
    }

    /// After an `if`: the state after its `then` branch was `after_then`, the current one is
    /// that after its `else` branch. A branch that cannot fall through (it returns or raises)
    /// leaves nothing to the code after the `if`.
    pub fn merge_branches(&mut self, after_then: State, then_falls: bool, else_falls: bool) {
        let after_else = std::mem::take(&mut self.unbound);
        self.unbound = match (then_falls, else_falls) {
            (true, false) => after_then,
            (false, _) => after_else,
            (true, true) => {
                let mut merged = State::new();
                for (name, &(everywhere, at)) in after_then.iter().chain(after_else.iter()) {
                    let both = after_then.get(name).is_some_and(|s| s.0) && after_else.get(name).is_some_and(|s| s.0);
                    merged.insert(name.clone(), (everywhere && both, at));
                }
                merged
            }
        };
    }

    /// At the start of a loop whose body is `body`: a name the body deletes, or assigns while
    /// it is unbound before the loop, may be unbound or bound at the start of an iteration.
    /// Returns the state before the loop.
    pub fn enter_loop(&mut self, body: &[ast::Stmt]) -> State {
        let entry = self.unbound.clone();
        if self.names.is_empty() {
            return entry;
        }
        let mut deleted = Vec::new();
        deleted_names(body, &mut deleted);
        let mut assigned = Vec::new();
        collect_assigned(body, &mut assigned);
        for name in &deleted {
            let at = self.unbound.get(name).map(|s| s.1).unwrap_or_default();
            self.unbound.insert(name.clone(), (false, at));
        }
        for (name, state) in self.unbound.iter_mut() {
            if assigned.contains(name) {
                state.0 = false;
            }
        }
        entry
    }

    /// After a loop that started in the state `entry` and whose body (target included)
    /// assigns `assigned`: the loop may have run no iteration, or some, or left by `break`.
    pub fn leave_loop(&mut self, entry: State, assigned: Vec<String>) {
        let after = std::mem::take(&mut self.unbound);
        let mut merged = State::new();
        for (name, &(everywhere, at)) in entry.iter().chain(after.iter()) {
            let still = everywhere && entry.get(name).is_some_and(|s| s.0) && !assigned.contains(name);
            merged.insert(name.clone(), (still, at));
        }
        self.unbound = merged;
    }

    /// Whether any variable is unbound on some path to here.
    pub fn any_unbound(&self) -> bool {
        !self.unbound.is_empty()
    }

    pub fn is_deleted(&self, name: &str) -> bool {
        self.unbound.contains_key(name)
    }

    /// `name` may be bound here (an assignment that may not have run).
    pub fn mark_maybe(&mut self, name: &str) {
        if let Some(state) = self.unbound.get_mut(name) {
            state.0 = false;
        }
    }
}

/// The names `del` applies to in `stmts` and the statements nested in them.
fn deleted_names(stmts: &[ast::Stmt], out: &mut Vec<String>) {
    for s in stmts {
        match &s.kind {
            ast::StmtKind::Delete(targets) => {
                for t in targets {
                    if let ast::ExprKind::Name(n) = &t.kind {
                        if !out.contains(n) {
                            out.push(n.clone());
                        }
                    }
                }
            }
            ast::StmtKind::If { body, orelse, .. } | ast::StmtKind::While { body, orelse, .. } | ast::StmtKind::For { body, orelse, .. } => {
                deleted_names(body, out);
                deleted_names(orelse, out);
            }
            _ => {}
        }
    }
}

fn unbound_message(name: &str) -> String {
    format!("cannot access local variable '{name}' where it is not associated with a value")
}

impl FnInfer<'_> {
    /// At the start of a walk: nothing is unbound yet; the flags of the variables `del`
    /// applies to, set for parameters (bound on entry) and cleared for the others.
    pub(crate) fn start_deletions(&mut self, span: Span) -> Vec<ir::Stmt> {
        self.deletions.unbound.clear();
        self.deletions.flags.clear();
        let mut out = Vec::new();
        for name in self.deletions.names.clone() {
            let Some(&id) = self.names.get(&name) else { continue };
            if self.cells.contains_key(&name) {
                continue;
            }
            let flag = self.temp(Type::Bool);
            let bound = ir::Expr::new(ExprKind::Const(Const::Bool(id < self.args.len())), Type::Bool, span);
            out.push(ir::Stmt { kind: StmtKind::Assign { local: flag, value: bound }, span });
            self.deletions.flags.insert(name, flag);
        }
        out
    }

    /// After an assignment to `name`: it is bound again.
    pub(crate) fn bound_again(&mut self, name: &str, span: Span, out: &mut Vec<ir::Stmt>) {
        if let Some(&flag) = self.deletions.flags.get(name) {
            let set = ir::Expr::new(ExprKind::Const(Const::Bool(true)), Type::Bool, span);
            out.push(ir::Stmt { kind: StmtKind::Assign { local: flag, value: set }, span });
        }
        self.deletions.unbound.remove(name);
    }

    /// A read of the variable `name` (`value`, its local): an error when `del` has unbound it
    /// on every path to here; a check when on some.
    pub(crate) fn checked_read(&mut self, name: &str, value: ir::Expr, span: Span) -> Result<ir::Expr> {
        let Some(&(everywhere, deleted_at)) = self.deletions.unbound.get(name) else { return Ok(value) };
        // Only the final walk knows: an earlier one skips statements not typed yet (an
        // assignment in between among them).
        if everywhere {
            return Err(self.pending_or(self.typing(
                span,
                format!("variable `{name}` is read after `del {name}` (line {}), and nothing assigns it in between: {}", deleted_at.line, unbound_message(name)),
                Some(&format!("assign `{name}` again before this line, or remove the `del`")),
            )));
        }
        let check = self.bound_check(name, span);
        let ty = value.ty.clone();
        Ok(ir::Expr::new(ExprKind::Block { stmts: check, value: value.boxed() }, ty, span))
    }

    /// The statements raising CPython's `UnboundLocalError` when the flag of `name` is clear.
    fn bound_check(&self, name: &str, span: Span) -> Vec<ir::Stmt> {
        let Some(&flag) = self.deletions.flags.get(name) else { return Vec::new() };
        let unset = ir::Expr::new(ExprKind::Unary { op: ir::UnaryOp::Not, operand: self.local_expr(flag, span).boxed() }, Type::Bool, span);
        let raise = ir::Stmt { kind: StmtKind::Raise { exc: ExcKind::UnboundLocalError, msg: Some(unbound_message(name)) }, span };
        vec![ir::Stmt { kind: StmtKind::If { cond: unset, then_body: vec![raise], else_body: vec![] }, span }]
    }

    /// `del name` of a variable: its value (and the references it holds) dropped now.
    pub(crate) fn delete_name(&mut self, name: &str, span: Span, out: &mut Vec<ir::Stmt>) -> Result<()> {
        if self.cells.contains_key(name) {
            return Err(self.unsupported(span, format!("`del {name}` of a variable that an inner function uses is not supported"), Some("assign the variable a new value instead")));
        }
        let Some(&id) = self.names.get(name) else { return Err(self.internal(span, "a deleted name was not collected")) };
        if self.locals[id].ty.is_none() {
            return Err(self.pending_or(self.typing(span, format!("variable `{name}` is deleted before it is assigned: {}", unbound_message(name)), Some("assign it on every path before this line"))));
        }
        if let Some(&(true, deleted_at)) = self.deletions.unbound.get(name) {
            return Err(self.pending_or(self.typing(span, format!("variable `{name}` is deleted twice (first at line {}) with no assignment in between: {}", deleted_at.line, unbound_message(name)), Some("remove one of the `del`s"))));
        }
        // Unbound when no assignment ran yet (or a `del` on some path), as CPython's `del`
        // finds it: every assignment sets the flag.
        out.extend(self.bound_check(name, span));
        out.push(ir::Stmt { kind: StmtKind::Unbind(id), span });
        if let Some(&flag) = self.deletions.flags.get(name) {
            let clear = ir::Expr::new(ExprKind::Const(Const::Bool(false)), Type::Bool, span);
            out.push(ir::Stmt { kind: StmtKind::Assign { local: flag, value: clear }, span });
        }
        self.deletions.unbound.insert(name.to_string(), (true, span));
        Ok(())
    }
}
