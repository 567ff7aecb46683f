//! Tuples beyond building, unpacking, constant indexing and slicing (`expr.rs`): `for` loops
//! over them, `literal_unroll`, indexing with a run-time index, repetition (`t * 3`), ordering
//! (`<`, `<=`, `>`, `>=`, lexicographic as CPython's), `sum`, and the methods `index` and
//! `count`.
//!
//! A tuple's length is part of its type, so every operation here is unrolled over its items.
//! A homogeneous tuple (items that unify to one type: `(1, 2.5)` is two `float64`s, as in
//! Numba) is walked by the loop index like any iterable (see `iteration.rs`): the item chosen
//! by a run-time index is a chain of conditional expressions over the items, which LLVM turns
//! into a switch or selects. A heterogeneous tuple cannot give its items to one variable: the
//! loop `for x in literal_unroll(t)` compiles its body once per item instead, each copy with
//! its own `x` of that item's type, and runs the copies in order inside one counted loop (so
//! that `break`, `continue` and `else` keep their meaning).

use crate::expr::{Literals, Value};
use crate::function::{FnInfer, LocalSlot, Result};
use crate::iteration::Walk;
use ferrojit_ir::{self as ir, Const, ExcKind, ExprKind, LocalId, StmtKind};
use ferrojit_syntax::ast::{self, BinOp, CmpOp, Span};
use ferrojit_types::{unify, Type};

/// The name compiled code knows `literal_unroll` by (`ferrojit.literal_unroll`).
pub(crate) const LITERAL_UNROLL: &str = "ferrojit.literal_unroll";

/// The callables that give iterables only a `for` loop takes.
const ONLY_ITERATED: [&str; 7] = ["builtins.range", "builtins.enumerate", "builtins.zip", "builtins.reversed", "numpy.ndindex", "numpy.ndenumerate", "numpy.nditer"];

fn int(v: i128, span: Span) -> ir::Expr {
    ir::Expr::new(ExprKind::Const(Const::Int(v)), Type::INT64, span)
}

fn bool_const(v: bool, span: Span) -> ir::Expr {
    ir::Expr::new(ExprKind::Const(Const::Bool(v)), Type::Bool, span)
}

fn compare(op: CmpOp, lhs: ir::Expr, rhs: ir::Expr, span: Span) -> ir::Expr {
    ir::Expr::new(ExprKind::Compare { op, lhs: lhs.boxed(), rhs: rhs.boxed() }, Type::Bool, span)
}

fn if_exp(cond: ir::Expr, then: ir::Expr, otherwise: ir::Expr, span: Span) -> ir::Expr {
    let ty = then.ty.clone();
    ir::Expr::new(ExprKind::IfExp { cond: cond.boxed(), then: then.boxed(), otherwise: otherwise.boxed() }, ty, span)
}

fn logical(and: bool, lhs: ir::Expr, rhs: ir::Expr, span: Span) -> ir::Expr {
    ir::Expr::new(ExprKind::Logical { and, lhs: lhs.boxed(), rhs: rhs.boxed() }, Type::Bool, span)
}

fn stmt(kind: StmtKind, span: Span) -> ir::Stmt {
    ir::Stmt { kind, span }
}

/// A value of type `ty` that is never used: what an expression that raises gives.
fn raising(exc: ExcKind, msg: &str, ty: &Type, cx: &FnInfer<'_>, span: Span) -> Option<ir::Expr> {
    let value = zero_of(ty, cx, span)?;
    let raise = stmt(StmtKind::Raise { exc, msg: Some(msg.to_string()) }, span);
    Some(ir::Expr::new(ExprKind::Block { stmts: vec![raise], value: value.boxed() }, ty.clone(), span))
}

/// A constant of type `ty` (numbers, bools, `None` and tuples of them), for the value of an
/// expression that raises before giving it.
fn zero_of(ty: &Type, cx: &FnInfer<'_>, span: Span) -> Option<ir::Expr> {
    let c = match ty {
        Type::Bool => Const::Bool(false),
        Type::Int(_) => Const::Int(0),
        Type::Float(_) => Const::Float(0.0),
        Type::Complex(_) => Const::Complex(0.0, 0.0),
        Type::NoneType => Const::None,
        Type::Tuple(items) => {
            let items = items.iter().map(|t| zero_of(t, cx, span)).collect::<Option<Vec<_>>>()?;
            return Some(ir::Expr::new(ExprKind::Tuple(items), ty.clone(), span));
        }
        Type::NamedTuple(n) => {
            let items = n.items.iter().map(|t| zero_of(t, cx, span)).collect::<Option<Vec<_>>>()?;
            return Some(ir::Expr::new(ExprKind::Tuple(items), ty.clone(), span));
        }
        _ => return None,
    };
    Some(ir::Expr::new(ExprKind::Const(c), ty.clone(), span))
}

/// The one type the items of a tuple of types `items` unify to, if any (none for `()`).
pub(crate) fn common_item_type(items: &[Type]) -> Option<Type> {
    let (first, rest) = items.split_first()?;
    rest.iter().try_fold(first.clone(), |acc, t| unify(&acc, t))
}

fn tuple_len(ty: &Type) -> usize {
    match ty {
        Type::Tuple(items) => items.len(),
        _ => unreachable!("a tuple operation on a non-tuple"),
    }
}

/// What `literal_unroll` renamed while typing one copy of a loop body: the name, the local it
/// named before, and the local holding this copy's item.
struct Renamed {
    name: String,
    before: Option<LocalId>,
    local: LocalId,
    ty: Type,
}

impl FnInfer<'_> {
    /// Evaluates `e` once, into a temporary assigned in `stmts`; gives the temporary (locals
    /// and constants are given back as they are).
    fn tuple_held(&mut self, e: ir::Expr, stmts: &mut Vec<ir::Stmt>) -> ir::Expr {
        if matches!(e.kind, ExprKind::Const(_) | ExprKind::Local(_)) {
            return e;
        }
        let span = e.span;
        let tmp = self.temp(e.ty.clone());
        stmts.push(stmt(StmtKind::Assign { local: tmp, value: e }, span));
        self.local_expr(tmp, span)
    }

    fn heterogeneous(&self, ty: &Type, what: &str, span: Span) -> crate::InferError {
        self.typing(
            span,
            format!("{what} a tuple whose items have no common type (`{ty}`): one variable cannot hold each of them"),
            Some("loop with `for x in literal_unroll(t):` (`from ferrojit import literal_unroll`, as in Numba), which compiles the body once per item"),
        )
    }

    /// Item `index` (an int64 from 0 to the length, held in a local) of `tuple` (held in a
    /// local) converted to `ty`, the items' common type.
    fn item_at(&self, tuple: &ir::Expr, index: &ir::Expr, ty: &Type, span: Span) -> ir::Expr {
        let n = tuple_len(&tuple.ty);
        let mut item = self.cast(self.tuple_get(tuple.clone(), n - 1, span), ty);
        for i in (0..n - 1).rev() {
            let this = self.cast(self.tuple_get(tuple.clone(), i, span), ty);
            item = if_exp(compare(CmpOp::Eq, index.clone(), int(i as i128, span), span), this, item, span);
        }
        item
    }

    /// The walk of a tuple's items (`reversed`: last first) by the loop whose index is `k`.
    pub(crate) fn tuple_walk(&mut self, tuple: ir::Expr, reversed: bool, k: LocalId, setup: &mut Vec<ir::Stmt>, span: Span) -> Result<Walk> {
        let Type::Tuple(items) = tuple.ty.clone() else { unreachable!("a tuple walk of a non-tuple") };
        let n = items.len();
        if n == 0 {
            // Never read: the loop runs no iteration.
            let none = ir::Expr::new(ExprKind::Const(Const::None), Type::NoneType, span);
            return Ok(Walk { count: int(0, span), advance: vec![], item: none, start: vec![], nest: vec![], more: None });
        }
        let Some(ty) = common_item_type(&items) else {
            return Err(self.heterogeneous(&tuple.ty, "cannot iterate over", span));
        };
        let tuple = self.tuple_held(tuple, setup);
        let k = self.local_expr(k, span);
        let index = if reversed { ir::Expr::new(ExprKind::Binary { op: ir::BinaryOp::Sub, lhs: int(n as i128 - 1, span).boxed(), rhs: k.boxed() }, Type::INT64, span) } else { k };
        let item = self.item_at(&tuple, &index, &ty, span);
        Ok(Walk { count: int(n as i128, span), advance: vec![], item, start: vec![], nest: vec![], more: None })
    }

    /// The argument of `iter` when it is a call of `literal_unroll`.
    pub(crate) fn literal_unroll_arg<'e>(&mut self, iter: &'e ast::Expr) -> Result<Option<&'e ast::Expr>> {
        let ast::ExprKind::Call { func, args, keywords } = &iter.kind else { return Ok(None) };
        // A name or a module's attribute (`ferrojit.literal_unroll`): typing it computes nothing.
        let named = match &func.kind {
            ast::ExprKind::Name(_) => true,
            ast::ExprKind::Attribute { value, .. } => matches!(value.kind, ast::ExprKind::Name(_)),
            _ => false,
        };
        if !named || !matches!(self.value(func), Ok(Value::Global(crate::env::GlobalValue::Function(name))) if name == LITERAL_UNROLL) {
            return Ok(None);
        }
        match (args.as_slice(), keywords.as_slice()) {
            ([arg], []) => Ok(Some(arg)),
            _ => Err(self.typing(iter.span, format!("`literal_unroll()` takes exactly one argument ({} given)", args.len() + keywords.len()), None)),
        }
    }

    /// `for target in literal_unroll(arg): body else: orelse`. A tuple's items each get a copy
    /// of the body typed for that item (see the module documentation); anything else is
    /// iterated as it is without `literal_unroll`, as in Numba.
    pub(crate) fn unrolled_for(&mut self, target: &ast::Expr, arg: &ast::Expr, body: &[ast::Stmt], orelse: &[ast::Stmt], span: Span, out: &mut Vec<ir::Stmt>) -> Result<()> {
        if let ast::ExprKind::Call { func, .. } = &arg.kind {
            // `range`, `zip`, ...: iterables that only a loop takes, and never tuples.
            if matches!(&func.kind, ast::ExprKind::Name(_) | ast::ExprKind::Attribute { .. }) {
                if let Ok(Value::Global(crate::env::GlobalValue::Function(name))) = self.value(func) {
                    if ONLY_ITERATED.contains(&name.as_str()) {
                        return self.for_walk(target, arg, body, orelse, span, out);
                    }
                }
            }
        }
        let value = self.expr(arg)?;
        let value = self.plain_tuple(value);
        let Type::Tuple(items) = value.ty.clone() else {
            return self.for_walk(target, arg, body, orelse, span, out);
        };
        let tuple = self.tuple_held(value, out);
        let k = self.temp(Type::INT64);
        let mut copies = Vec::new();
        for i in 0..items.len() {
            let item = self.tuple_get(tuple.clone(), i, arg.span);
            let mut copy = Vec::new();
            let mut renamed = Vec::new();
            let bound = self.bind_unrolled(target, item, &mut copy, &mut renamed);
            let typed = bound.and_then(|()| {
                self.loop_depth += 1;
                let rest = self.block(body);
                self.loop_depth -= 1;
                rest
            });
            // Each copy's names hold their item's type: a body that assigns another type to
            // one would change the type this copy was typed with.
            let mut changed = None;
            for r in renamed.into_iter().rev() {
                match r.before {
                    Some(id) => self.names.insert(r.name.clone(), id),
                    None => self.names.remove(&r.name),
                };
                if self.locals[r.local].ty.as_ref() != Some(&r.ty) {
                    changed = Some((r.name, self.locals[r.local].ty.clone().unwrap_or(Type::NoneType)));
                }
            }
            if let Some((name, ty)) = changed {
                return Err(self.typing(target.span, format!("the loop variable `{name}` of `literal_unroll` is assigned a `{ty}` in the loop's body, another type than its item's"), Some("assign the new value to another variable")));
            }
            copy.extend(typed?);
            copies.push(copy);
        }
        let orelse = self.block(orelse)?;
        // if k == 0: copy 0 elif k == 1: copy 1 ... else: the last copy
        let mut chain = copies.pop().unwrap_or_default();
        for (i, copy) in copies.into_iter().enumerate().rev() {
            let cond = compare(CmpOp::Eq, self.local_expr(k, span), int(i as i128, span), span);
            chain = vec![stmt(StmtKind::If { cond, then_body: copy, else_body: chain }, span)];
        }
        let n = int(items.len() as i128, arg.span);
        out.push(stmt(StmtKind::ForRange { index: k, start: int(0, arg.span), stop: n, step: int(1, arg.span), body: chain, orelse }, span));
        Ok(())
    }

    /// Assigns `item` to the loop target of one copy of an unrolled body: each name of the
    /// target becomes a new local of its item's type for the copy (recorded in `renamed`, to be
    /// restored after it).
    fn bind_unrolled(&mut self, target: &ast::Expr, item: ir::Expr, out: &mut Vec<ir::Stmt>, renamed: &mut Vec<Renamed>) -> Result<()> {
        let span = target.span;
        match &target.kind {
            ast::ExprKind::Name(name) => {
                let local = self.locals.len();
                self.locals.push(LocalSlot { name: name.clone(), ty: Some(item.ty.clone()) });
                let before = self.names.insert(name.clone(), local);
                renamed.push(Renamed { name: name.clone(), before, local, ty: item.ty.clone() });
                out.push(stmt(StmtKind::Assign { local, value: item }, span));
                Ok(())
            }
            ast::ExprKind::Tuple(targets) if matches!(&item.ty, Type::Tuple(items) if items.len() == targets.len()) => {
                let item = self.tuple_held(item, out);
                for (i, t) in targets.iter().enumerate() {
                    let part = self.tuple_get(item.clone(), i, span);
                    self.bind_unrolled(t, part, out, renamed)?;
                }
                Ok(())
            }
            _ => self.assign(target, item, out),
        }
    }

    /// `t[i]` with a run-time integer `i` (negative counts from the end): the item converted to
    /// the items' common type, CPython's `IndexError` out of range.
    pub(crate) fn tuple_item_by_index(&mut self, tuple: ir::Expr, index: ir::Expr, span: Span) -> Result<ir::Expr> {
        let Type::Tuple(items) = tuple.ty.clone() else { unreachable!("indexing a non-tuple") };
        let Some(ty) = common_item_type(&items) else {
            if items.is_empty() {
                return Err(self.typing(span, "an empty tuple has no item to index", None));
            }
            return Err(self.typing(
                span,
                format!("a tuple whose items have no common type (`{}`) can only be indexed with constant integers", tuple.ty),
                Some("use a constant index such as `t[0]`, or loop over the items with `literal_unroll`"),
            ));
        };
        let n = items.len() as i128;
        let mut stmts = Vec::new();
        let tuple = self.tuple_held(tuple, &mut stmts);
        let i = self.cast(index, &Type::INT64);
        let i = self.tuple_held(i, &mut stmts);
        let negative = compare(CmpOp::Lt, i.clone(), int(0, span), span);
        let plus_n = ir::Expr::new(ExprKind::Binary { op: ir::BinaryOp::Add, lhs: i.clone().boxed(), rhs: int(n, span).boxed() }, Type::INT64, span);
        let j = self.temp(Type::INT64);
        stmts.push(stmt(StmtKind::Assign { local: j, value: if_exp(negative, plus_n, i, span) }, span));
        let j = self.local_expr(j, span);
        let outside = logical(false, compare(CmpOp::Lt, j.clone(), int(0, span), span), compare(CmpOp::GtE, j.clone(), int(n, span), span), span);
        let raise = stmt(StmtKind::Raise { exc: ExcKind::IndexError, msg: Some("tuple index out of range".into()) }, span);
        stmts.push(stmt(StmtKind::If { cond: outside, then_body: vec![raise], else_body: vec![] }, span));
        let item = self.item_at(&tuple, &j, &ty, span);
        Ok(ir::Expr::new(ExprKind::Block { stmts, value: item.boxed() }, ty, span))
    }

    /// `t * n` and `n * t`: the tuple repeated `n` times (none for `n <= 0`). `n` must be a
    /// constant, since the result's length is part of its type.
    pub(crate) fn tuple_repeat(&mut self, l: ir::Expr, r: ir::Expr, span: Span) -> Result<ir::Expr> {
        let (tuple, count) = if matches!(l.ty, Type::Tuple(_)) { (l, r) } else { (r, l) };
        if !count.ty.is_integer_like() {
            return Err(self.typing(span, format!("can't multiply sequence by non-int of type `{}`", count.ty), None));
        }
        let times = match count.kind {
            ExprKind::Const(Const::Int(v)) => v,
            ExprKind::Const(Const::Bool(b)) => b as i128,
            _ => {
                return Err(self.unsupported(
                    span,
                    "a tuple can only be repeated a constant number of times in compiled code (its length is part of its type)",
                    Some("write the count as a literal or a global constant, e.g. `t * 3`"),
                ))
            }
        };
        let n = tuple_len(&tuple.ty);
        if times.max(0) as u128 * n as u128 > 1 << 16 {
            return Err(self.unsupported(span, format!("repeating a tuple of {n} items {times} times makes too long a tuple for compiled code"), None));
        }
        let tmp = self.temp(tuple.ty.clone());
        let mut items = Vec::new();
        for _ in 0..times.max(0) {
            items.extend((0..n).map(|i| self.tuple_get(self.local_expr(tmp, span), i, span)));
        }
        let ty = Type::Tuple(items.iter().map(|i| i.ty.clone()).collect());
        let body = ir::Expr::new(ExprKind::Tuple(items), ty.clone(), span);
        Ok(ir::Expr::new(ExprKind::Let { local: tmp, value: tuple.boxed(), body: body.boxed() }, ty, span))
    }

    /// `x == y` for two items (read from tuples, or held in locals) as Python's `==` sees
    /// them: a tuple never equals a number or `None` (no error, as in CPython).
    pub(crate) fn items_equal(&mut self, x: ir::Expr, y: ir::Expr, span: Span) -> Result<ir::Expr> {
        // Both are items read from tuples or values held in locals: nothing to evaluate when
        // the answer is known from their types.
        if x.ty == Type::NoneType || y.ty == Type::NoneType {
            return Ok(bool_const(x.ty == y.ty, span));
        }
        let tuple = |t: &Type| matches!(t, Type::Tuple(_));
        if (tuple(&x.ty) && y.ty.is_number()) || (x.ty.is_number() && tuple(&y.ty)) {
            return Ok(bool_const(false, span));
        }
        let eq = self.compare(CmpOp::Eq, x, y, span)?;
        if eq.ty != Type::Bool {
            return Err(self.typing(span, format!("comparing tuple items gives a `{}`, not a bool", eq.ty), Some("compare the items yourself, e.g. with `np.array_equal`")));
        }
        Ok(eq)
    }

    /// `l op r` for two tuples and an ordering `op` (`<`, `<=`, `>`, `>=`): CPython's
    /// lexicographic order. The first items that differ (by `==`) decide with `op`; when one
    /// tuple is a prefix of the other, the lengths do.
    pub(crate) fn tuple_order(&mut self, op: CmpOp, l: ir::Expr, r: ir::Expr, span: Span) -> Result<ir::Expr> {
        let (m, n) = (tuple_len(&l.ty), tuple_len(&r.ty));
        let (lt, rt) = (self.temp(l.ty.clone()), self.temp(r.ty.clone()));
        let by_length = match op {
            CmpOp::Lt => m < n,
            CmpOp::LtE => m <= n,
            CmpOp::Gt => m > n,
            _ => m >= n,
        };
        let mut acc = bool_const(by_length, span);
        for i in (0..m.min(n)).rev() {
            let x = self.tuple_get(self.local_expr(lt, span), i, span);
            let y = self.tuple_get(self.local_expr(rt, span), i, span);
            let same = self.items_equal(x.clone(), y.clone(), span)?;
            // Items always equal (`None` and `None`) never decide, and need not be ordered.
            acc = match same.kind {
                ExprKind::Const(Const::Bool(true)) => acc,
                ExprKind::Const(Const::Bool(false)) => self.compare(op, x, y, span)?,
                _ => {
                    let decided = self.compare(op, x, y, span)?;
                    if_exp(same, acc, decided, span)
                }
            };
        }
        let inner = ir::Expr::new(ExprKind::Let { local: rt, value: r.boxed(), body: acc.boxed() }, Type::Bool, span);
        Ok(ir::Expr::new(ExprKind::Let { local: lt, value: l.boxed(), body: inner.boxed() }, Type::Bool, span))
    }

    /// `t.index(x[, start[, stop]])` and `t.count(x)`.
    pub(crate) fn tuple_method(&mut self, tuple: ir::Expr, name: &str, args: &[ast::Expr], keywords: &[ast::Keyword], span: Span) -> Result<ir::Expr> {
        if let Some(kw) = keywords.first() {
            return Err(self.typing(kw.span, format!("`tuple.{name}()` takes no keyword arguments"), None));
        }
        let most = if name == "index" { 3 } else { 1 };
        if args.is_empty() || args.len() > most {
            let expected = if name == "index" { "from 1 to 3 arguments" } else { "exactly one argument" };
            return Err(self.typing(span, format!("`tuple.{name}()` takes {expected} ({} given)", args.len()), None));
        }
        let mut stmts = Vec::new();
        let tuple = self.tuple_held(tuple, &mut stmts);
        let x = self.expr(&args[0])?;
        let x = self.tuple_held(x, &mut stmts);
        let n = tuple_len(&tuple.ty);
        let mut equal = Vec::new();
        for i in 0..n {
            let item = self.tuple_get(tuple.clone(), i, span);
            equal.push(self.items_equal(item, x.clone(), span)?);
        }
        if name == "count" {
            let mut total = int(0, span);
            for eq in equal {
                let one = if_exp(eq, int(1, span), int(0, span), span);
                total = ir::Expr::new(ExprKind::Binary { op: ir::BinaryOp::Add, lhs: total.boxed(), rhs: one.boxed() }, Type::INT64, span);
            }
            return Ok(ir::Expr::new(ExprKind::Block { stmts, value: total.boxed() }, Type::INT64, span));
        }
        // CPython's bounds: a negative one counts from the end (a start before the first item
        // is 0), a stop past the end is the end.
        let bound = |cx: &mut Self, arg: Option<&ast::Expr>, is_start: bool, stmts: &mut Vec<ir::Stmt>| -> Result<Option<ir::Expr>> {
            let Some(arg) = arg else { return Ok(None) };
            let v = cx.expr(arg)?;
            if !v.ty.is_integer_like() {
                return Err(cx.typing(arg.span, format!("slice indices must be integers, not `{}`", v.ty), None));
            }
            let v = cx.cast(v, &Type::INT64);
            let v = cx.tuple_held(v, stmts);
            let plus_n = ir::Expr::new(ExprKind::Binary { op: ir::BinaryOp::Add, lhs: v.clone().boxed(), rhs: int(n as i128, span).boxed() }, Type::INT64, span);
            let from_end = if is_start { if_exp(compare(CmpOp::Lt, plus_n.clone(), int(0, span), span), int(0, span), plus_n, span) } else { plus_n };
            let normalized = if_exp(compare(CmpOp::Lt, v.clone(), int(0, span), span), from_end, v, span);
            Ok(Some(cx.tuple_held(normalized, stmts)))
        };
        let start = bound(self, args.get(1), true, &mut stmts)?;
        let stop = bound(self, args.get(2), false, &mut stmts)?;
        let Some(mut found) = raising(ExcKind::ValueError, "tuple.index(x): x not in tuple", &Type::INT64, self, span) else { unreachable!("an int64 has a constant") };
        for (i, eq) in equal.into_iter().enumerate().rev() {
            let i = int(i as i128, span);
            let mut cond = eq;
            if let Some(stop) = &stop {
                cond = logical(true, compare(CmpOp::Lt, i.clone(), stop.clone(), span), cond, span);
            }
            if let Some(start) = &start {
                cond = logical(true, compare(CmpOp::LtE, start.clone(), i.clone(), span), cond, span);
            }
            found = if_exp(cond, i, found, span);
        }
        Ok(ir::Expr::new(ExprKind::Block { stmts, value: found.boxed() }, Type::INT64, span))
    }

    /// `sum(t[, start])` of a tuple: `start` (0 by default) plus the items, in order, with the
    /// operators' types (as CPython 3.11 and Numba add; CPython 3.12 compensates the rounding
    /// of float sums).
    pub(crate) fn tuple_sum(&mut self, args: &mut crate::bind::Args, span: Span) -> Result<ir::Expr> {
        let start_is_literal = args.is_literal("start");
        let (iterable, at) = args.take_spanned("iterable").expect("binding checks required parameters");
        let iterable = self.value_expr(iterable, at)?;
        let start = self.arg_expr(args, "start")?;
        let Type::Tuple(items) = iterable.ty.clone() else {
            return Err(self.unsupported(at, format!("`sum()` of a `{}` is not supported in compiled code", iterable.ty), Some("sum a tuple with `sum(t)`, an array with `a.sum()` or `np.sum(a)`")));
        };
        let (mut acc, mut weak) = match start {
            Some(s) => (s, start_is_literal),
            None => (int(0, span), true),
        };
        let tmp = self.temp(iterable.ty.clone());
        for i in 0..items.len() {
            let item = self.tuple_get(self.local_expr(tmp, span), i, span);
            acc = self.binop_with_literals(BinOp::Add, acc, item, Literals { left: weak, right: false }, span)?;
            weak = false;
        }
        let ty = acc.ty.clone();
        Ok(ir::Expr::new(ExprKind::Let { local: tmp, value: iterable.boxed(), body: acc.boxed() }, ty, span))
    }
}
