//! The generator pass: makes every loop of a generator function that a `yield` can suspend
//! keep its whole state in locals.
//!
//! A generator function is lowered as a state machine (see `ferrojit_codegen`'s generator
//! lowering): a suspended generator keeps its locals in its state, and resuming it jumps back
//! to just after the `yield` that suspended it, in the middle of whatever loops enclose it.
//! Everything the rest of the loop needs must therefore live in locals. A `While` loop keeps
//! nothing else (its condition is evaluated at the head, on each iteration), but a `ForRange`
//! loop evaluates its bounds once, before the loop, into values of its own. So each `ForRange`
//! whose body yields becomes a `While` over locals:
//!
//! ```text
//! $start = start; $stop = stop; $step = step
//! if $step == 0: raise ValueError        (unless the step is a constant)
//! $count = <the number of values of the range>
//! $k = 0
//! while $k < $count:
//!     index = $start + $k * $step
//!     $k = $k + 1
//!     body
//! else:
//!     orelse
//! ```
//!
//! Loops without a `yield` inside keep their counted form (and LLVM's loop optimisations).
//! Runs before the ownership pass (the new locals are integers) and does nothing to functions
//! that do not yield.

use crate::*;

/// Rewrites the loops of generator function `f` that a `yield` suspends (see the module
/// documentation).
pub fn resumable_loops(f: &mut Function) {
    if f.yields().is_none() {
        return;
    }
    let body = std::mem::take(&mut f.body);
    f.body = block(body, &mut f.locals);
}

/// Whether any statement of `stmts` (at any depth of nested bodies) yields.
fn yields_inside(stmts: &[Stmt]) -> bool {
    stmts.iter().any(|s| match &s.kind {
        StmtKind::Yield(_) => true,
        StmtKind::If { then_body: a, else_body: b, .. } | StmtKind::While { body: a, orelse: b, .. } | StmtKind::ForRange { body: a, orelse: b, .. } => yields_inside(a) || yields_inside(b),
        StmtKind::Try { .. } => s.kind.blocks().into_iter().any(yields_inside),
        _ => false,
    })
}

fn block(stmts: Vec<Stmt>, locals: &mut Vec<Local>) -> Vec<Stmt> {
    let mut out = Vec::with_capacity(stmts.len());
    for s in stmts {
        let span = s.span;
        match s.kind {
            StmtKind::ForRange { index, start, stop, step, body, orelse } if yields_inside(&body) => {
                let body = block(body, locals);
                let orelse = block(orelse, locals);
                range_as_while(index, start, stop, step, body, orelse, span, locals, &mut out);
            }
            StmtKind::ForRange { index, start, stop, step, body, orelse } => {
                let orelse = block(orelse, locals);
                out.push(Stmt { kind: StmtKind::ForRange { index, start, stop, step, body, orelse }, span });
            }
            StmtKind::If { cond, then_body, else_body } => {
                let (then_body, else_body) = (block(then_body, locals), block(else_body, locals));
                out.push(Stmt { kind: StmtKind::If { cond, then_body, else_body }, span });
            }
            StmtKind::While { cond, body, orelse } => {
                let (body, orelse) = (block(body, locals), block(orelse, locals));
                out.push(Stmt { kind: StmtKind::While { cond, body, orelse }, span });
            }
            StmtKind::Try { body, handlers, orelse, finalbody } => {
                let handlers = handlers.into_iter().map(|h| Handler { kinds: h.kinds, classes: h.classes, binds: h.binds, body: block(h.body, locals), span: h.span }).collect();
                let (body, orelse, finalbody) = (block(body, locals), block(orelse, locals), block(finalbody, locals));
                out.push(Stmt { kind: StmtKind::Try { body, handlers, orelse, finalbody }, span });
            }
            kind => out.push(Stmt { kind, span }),
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn range_as_while(index: LocalId, start: Expr, stop: Expr, step: Expr, body: Vec<Stmt>, orelse: Vec<Stmt>, span: Span, locals: &mut Vec<Local>, out: &mut Vec<Stmt>) {
    let int = |v: i128| Expr::new(ExprKind::Const(Const::Int(v)), Type::INT64, span);
    let binary = |op, l: Expr, r: Expr| Expr::new(ExprKind::Binary { op, lhs: l.boxed(), rhs: r.boxed() }, Type::INT64, span);
    let compare = |op, l: Expr, r: Expr| Expr::new(ExprKind::Compare { op, lhs: l.boxed(), rhs: r.boxed() }, Type::Bool, span);
    let if_exp = |c: Expr, t: Expr, o: Expr| Expr::new(ExprKind::IfExp { cond: c.boxed(), then: t.boxed(), otherwise: o.boxed() }, Type::INT64, span);
    let constant_step = match step.kind {
        ExprKind::Const(Const::Int(v)) => Some(v),
        _ => None,
    };
    let mut held = |name: &str, value: Expr, out: &mut Vec<Stmt>| {
        locals.push(Local { name: name.to_string(), ty: Type::INT64 });
        let local = locals.len() - 1;
        out.push(Stmt { kind: StmtKind::Assign { local, value }, span });
        Expr::new(ExprKind::Local(local), Type::INT64, span)
    };
    let start = held("$start", start, out);
    let stop = held("$stop", stop, out);
    let step = held("$step", step, out);
    if constant_step.is_none() {
        let zero = compare(CmpOp::Eq, step.clone(), int(0));
        let raise = Stmt { kind: StmtKind::Raise { exc: ExcKind::ValueError, msg: Some("range() arg 3 must not be zero".into()) }, span };
        out.push(Stmt { kind: StmtKind::If { cond: zero, then_body: vec![raise], else_body: vec![] }, span });
    }
    // Ascending: start < stop ? (stop - start - 1) // step + 1 : 0; descending mirrored.
    let steps = |from: Expr, to: Expr, by: Expr| binary(BinaryOp::Add, binary(BinaryOp::FloorDiv, binary(BinaryOp::Sub, binary(BinaryOp::Sub, to, from), int(1)), by), int(1));
    let up = if_exp(compare(CmpOp::Lt, start.clone(), stop.clone()), steps(start.clone(), stop.clone(), step.clone()), int(0));
    let down = if_exp(compare(CmpOp::Gt, start.clone(), stop.clone()), steps(stop.clone(), start.clone(), binary(BinaryOp::Sub, int(0), step.clone())), int(0));
    let count = match constant_step {
        Some(v) if v > 0 => up,
        Some(_) => down,
        None => if_exp(compare(CmpOp::Gt, step.clone(), int(0)), up, down),
    };
    let count = held("$count", count, out);
    let k = held("$k", int(0), out);
    let ExprKind::Local(k_local) = k.kind else { unreachable!("a local") };
    let mut loop_body = vec![
        Stmt { kind: StmtKind::Assign { local: index, value: binary(BinaryOp::Add, start, binary(BinaryOp::Mul, k.clone(), step)) }, span },
        Stmt { kind: StmtKind::Assign { local: k_local, value: binary(BinaryOp::Add, k.clone(), int(1)) }, span },
    ];
    loop_body.extend(body);
    out.push(Stmt { kind: StmtKind::While { cond: compare(CmpOp::Lt, k, count), body: loop_body, orelse }, span });
}
