//! Unpacking into several targets: `a, *rest, b = t` (one target starred, taking the items the
//! others leave as a list, as in CPython) and `a, b = items` of values whose length is only
//! known when the code runs (lists, strings; arrays and other iterables through `list()`).
//! A tuple's length is part of its type: unpacking it checks the count when compiling. Other
//! values are counted when the code runs, with CPython's `ValueError`s (see
//! `ferrojit._lib.unpack_check`). Targets are assigned left to right, after the value is
//! unpacked whole, as CPython does.

use crate::function::{FnInfer, Result};
use ferrojit_ir::{self as ir, Const, ExprKind, ListOp, StmtKind};
use ferrojit_syntax::ast::{self, Span};
use ferrojit_types::Type;

fn int(v: i128, span: Span) -> ir::Expr {
    ir::Expr::new(ExprKind::Const(Const::Int(v)), Type::INT64, span)
}

impl FnInfer<'_> {
    /// `targets = value` where one of `targets` is starred.
    pub(crate) fn unpack_starred(&mut self, targets: &[ast::Expr], value: ir::Expr, span: Span, out: &mut Vec<ir::Stmt>) -> Result<()> {
        let star = targets.iter().position(|t| matches!(t.kind, ast::ExprKind::Starred(_))).expect("a starred target");
        let ast::ExprKind::Starred(rest_target) = &targets[star].kind else { unreachable!("found above") };
        let (before, after) = (star, targets.len() - star - 1);
        let Type::Tuple(items) = value.ty.clone() else { return self.unpack_sequence(targets, value, span, out) };
        let n = items.len();
        if n < before + after {
            return Err(self.typing(span, format!("not enough values to unpack (expected at least {}, got {n})", before + after), Some("a tuple's length is known when compiling: unpack it into as many names as it has items")));
        }
        let tmp = self.temp(value.ty.clone());
        out.push(ir::Stmt { kind: StmtKind::Assign { local: tmp, value }, span });
        for (i, t) in targets[..before].iter().enumerate() {
            let item = self.tuple_get(self.local_expr(tmp, span), i, span);
            self.assign(t, item, out)?;
        }
        let middle: Vec<ir::Expr> = (before..n - after).map(|i| self.tuple_get(self.local_expr(tmp, span), i, span)).collect();
        // An empty rest is a list of the tuple's common item type when there is one.
        let common = items.split_first().and_then(|(first, others)| others.iter().try_fold(first.clone(), |a, b| ferrojit_types::unify(&a, b)));
        let expected = self.target_type(rest_target).or_else(|| common.filter(|_| middle.is_empty()).map(|t| Type::List(Box::new(t))));
        if middle.is_empty() && expected.is_none() {
            // `a, *rest = (1,)`: `rest` is an empty list, typed by what else the function
            // stores into it.
            if let ast::ExprKind::Name(name) = &rest_target.kind {
                if let Some(&id) = self.names.get(name) {
                    return self.empty_container_assignment(id, crate::lists::Container::List, span);
                }
            }
        }
        let list = self.list_of_values(middle, expected.as_ref(), rest_target.span)?;
        self.assign(rest_target, list, out)?;
        for (j, t) in targets[star + 1..].iter().enumerate() {
            let item = self.tuple_get(self.local_expr(tmp, span), n - after + j, span);
            self.assign(t, item, out)?;
        }
        Ok(())
    }

    /// The type a target holds so far (`None` when unknown or not a plain variable).
    fn target_type(&self, target: &ast::Expr) -> Option<Type> {
        let ast::ExprKind::Name(name) = &target.kind else { return None };
        self.names.get(name).and_then(|&id| self.locals[id].ty.clone())
    }

    /// `targets = value` (one target possibly starred) of a value counted when the code runs:
    /// a list as it is, a string, array or other iterable as the list `list()` makes of it.
    pub(crate) fn unpack_sequence(&mut self, targets: &[ast::Expr], value: ir::Expr, span: Span, out: &mut Vec<ir::Stmt>) -> Result<()> {
        let list = match &value.ty {
            Type::List(_) => value,
            Type::Str | Type::Array(_) => self.call_internal("builtins.list", vec![value], span)?,
            Type::ExceptionArgs => self.exception_args_list(value, span)?,
            other => return Err(self.typing(span, format!("cannot unpack a `{other}`"), Some("unpack tuples, lists, strings and arrays"))),
        };
        let Type::List(item) = list.ty.clone() else { return Err(self.internal(span, "`list()` gives a list")) };
        let star = targets.iter().position(|t| matches!(t.kind, ast::ExprKind::Starred(_)));
        let fixed = targets.len() - star.map_or(0, |_| 1);
        let held = self.temp(list.ty.clone());
        out.push(ir::Stmt { kind: StmtKind::Assign { local: held, value: list }, span });
        let len = self.temp(Type::INT64);
        let measured = ir::Expr::new(ExprKind::List { op: ListOp::Len, args: vec![self.local_expr(held, span)] }, Type::INT64, span);
        out.push(ir::Stmt { kind: StmtKind::Assign { local: len, value: measured }, span });
        let starred = ir::Expr::new(ExprKind::Const(Const::Bool(star.is_some())), Type::Bool, span);
        let check = self.call_internal("ferrojit.unpack_check", vec![self.local_expr(len, span), int(fixed as i128, span), starred], span)?;
        out.push(ir::Stmt { kind: StmtKind::Expr(check), span });
        let get = |cx: &Self, index: ir::Expr| ir::Expr::new(ExprKind::List { op: ListOp::Get, args: vec![cx.local_expr(held, span), index] }, (*item).clone(), span);
        let before = star.unwrap_or(targets.len());
        for (i, t) in targets[..before].iter().enumerate() {
            let value = get(self, int(i as i128, span));
            self.assign(t, value, out)?;
        }
        let Some(star) = star else { return Ok(()) };
        let after = targets.len() - star - 1;
        // Items counted from the end: `len - after + j`.
        let from_end = |cx: &Self, j: usize| {
            let back = int((after - j) as i128, span);
            ir::Expr::new(ExprKind::Binary { op: ir::BinaryOp::Sub, lhs: cx.local_expr(len, span).boxed(), rhs: back.boxed() }, Type::INT64, span)
        };
        let ast::ExprKind::Starred(rest_target) = &targets[star].kind else { unreachable!("found above") };
        let stop = from_end(self, 0);
        let rest = self.call_internal("ferrojit.list_get_slice", vec![self.local_expr(held, span), int(before as i128, span), stop, int(1, span)], span)?;
        self.assign(rest_target, rest, out)?;
        for (j, t) in targets[star + 1..].iter().enumerate() {
            let index = from_end(self, j);
            let value = get(self, index);
            self.assign(t, value, out)?;
        }
        Ok(())
    }
}
