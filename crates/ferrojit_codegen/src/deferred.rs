//! Loops whose float -> int conversions are checked once, after the loop.
//!
//! `int(x)` of a float raises for NaN, infinities and values beyond the integer type. Checked
//! where it happens, the conversion branches out of the loop, and a loop that can leave
//! early is not vectorised: `s += int(x[i])` ran at half the speed of Numba's loop, which
//! does not check. A loop qualifies for the cheaper scheme when nothing in it can be observed
//! from outside before it ends, and nothing in it can raise but the conversions:
//!
//! 1. the loop runs once with every conversion unchecked (an arbitrary but fixed value for
//!    a bad input) and a flag recording whether any input was bad;
//! 2. when the flag is set, the locals the loop assigns get back their values from before
//!    it, and the loop runs again with every conversion checked, which raises at the first
//!    bad conversion exactly as Python would.
//!
//! What makes the first run harmless: it stores nothing to memory, calls nothing, prints
//! nothing and cannot raise, so its only effects are on locals, which the second run
//! restores; it ends, as it is a counted `range` loop without nested loops; its values from
//! bad conversions cannot reach memory addresses (array indices must not depend on them),
//! and its integer arithmetic wraps instead of carrying LLVM's no-overflow flags, so a bad
//! value makes nothing undefined.

use ferrojit_ir::{self as ir, BinaryOp, ExprKind, LocalId, PythonErrors, StmtKind};
use ferrojit_types::Type;

/// The locals a loop body assigns, when the loop qualifies (see the module documentation);
/// `None` when it does not, or has no float -> int conversion to defer.
pub(crate) fn deferrable_loop(locals: &[ir::Local], body: &[ir::Stmt], boundscheck: bool) -> Option<Vec<LocalId>> {
    let mut assigned = Vec::new();
    let mut converts = false;
    if !statements_qualify(locals, body, boundscheck, &mut assigned, &mut converts) || !converts {
        return None;
    }
    // Locals holding (or computed from) a converted value, in this or an earlier iteration.
    let mut tainted = vec![false; locals.len()];
    loop {
        let mut changed = false;
        visit_assignments(body, &mut |local, value| {
            if !tainted[local] && depends_on_conversion(value, &tainted) {
                tainted[local] = true;
                changed = true;
            }
        });
        if !changed {
            break;
        }
    }
    let indices_clean = body.iter().all(|s| {
        !s.any_expr(
            &mut |e| match &e.kind {
                ExprKind::ArrayGet { indices, .. } => indices.iter().any(|i| depends_on_conversion(i, &tainted)),
                _ => false,
            },
            true,
        )
    });
    indices_clean.then_some(assigned)
}

fn statements_qualify(locals: &[ir::Local], stmts: &[ir::Stmt], boundscheck: bool, assigned: &mut Vec<LocalId>, converts: &mut bool) -> bool {
    stmts.iter().all(|s| match &s.kind {
        StmtKind::Assign { local, value } => {
            assigned.push(*local);
            !holds_arrays(&locals[*local].ty) && expression_qualifies(value, boundscheck, assigned, converts)
        }
        StmtKind::If { cond, then_body, else_body } => {
            expression_qualifies(cond, boundscheck, assigned, converts)
                && statements_qualify(locals, then_body, boundscheck, assigned, converts)
                && statements_qualify(locals, else_body, boundscheck, assigned, converts)
        }
        StmtKind::Break | StmtKind::Continue => true,
        StmtKind::Expr(e) => expression_qualifies(e, boundscheck, assigned, converts),
        // Nested loops (termination), returns, raises and stores (observable effects).
        StmtKind::While { .. }
        | StmtKind::Try { .. }
        | StmtKind::ForRange { .. }
        | StmtKind::Return(_)
        | StmtKind::Yield(_)
        | StmtKind::Raise { .. }
        | StmtKind::Reraise
        | StmtKind::ArrayStore { .. }
        | StmtKind::ArrayFill { .. }
        | StmtKind::ArrayCopy { .. }
        | StmtKind::ArrayMap { .. }
        | StmtKind::ListUpdate { .. }
        | StmtKind::DictUpdate { .. }
        | StmtKind::SetField { .. }
        | StmtKind::Release(_)
        | StmtKind::Unbind(_) => false,
    })
}

/// Whether `e` can neither raise (other than by a float -> int conversion) nor have an effect
/// outside the function's locals; records the conversions and the locals `let` binds.
fn expression_qualifies(e: &ir::Expr, boundscheck: bool, assigned: &mut Vec<LocalId>, converts: &mut bool) -> bool {
    !e.any(&mut |x| match &x.kind {
        ExprKind::Cast(inner) => {
            *converts |= float_to_int(&inner.ty, &x.ty);
            false
        }
        ExprKind::Let { local, value, .. } => {
            assigned.push(*local);
            holds_arrays(&value.ty)
        }
        // Division, modulo and powers raise for zero divisors or negative exponents; shifts
        // for negative counts.
        ExprKind::Binary { op, .. } => matches!(op, BinaryOp::Div | BinaryOp::FloorDiv | BinaryOp::Mod | BinaryOp::Pow | BinaryOp::LShift | BinaryOp::RShift),
        ExprKind::ArrayGet { .. } => boundscheck,
        // `math.sqrt(-1.0)`, `math.exp(1000.0)`: Python's versions raise.
        ExprKind::Math { func, checked, .. } => *checked && func.python_errors != PythonErrors::Never,
        ExprKind::Const(_)
        | ExprKind::Local(_)
        | ExprKind::Unary { .. }
        | ExprKind::Compare { .. }
        | ExprKind::Truth(_)
        | ExprKind::Logical { .. }
        | ExprKind::IfExp { .. }
        | ExprKind::Tuple(_)
        | ExprKind::TupleGet(..)
        | ExprKind::MakeComplex { .. }
        | ExprKind::ArrayAttr { .. } => false,
        // A part of a complex number, or a view of the parts of a complex array (a view).
        ExprKind::ComplexPart { value, .. } => matches!(value.ty, Type::Array(_)),
        // Calls (effects, exceptions), new arrays and views (memory, reference counts).
        ExprKind::Call { .. }
        | ExprKind::Runtime { .. }
        | ExprKind::Resume(_)
        | ExprKind::ParallelFor { .. }
        | ExprKind::ArrayView { .. }
        | ExprKind::Transpose { .. }
        | ExprKind::FieldView { .. }
        | ExprKind::ArrayNew { .. }
        | ExprKind::Reshape { .. }
        | ExprKind::MapReduce { .. }
        | ExprKind::AxisReduce { .. }
        | ExprKind::MapElement(_)
        | ExprKind::BroadcastShape(_)
        | ExprKind::Block { .. }
        | ExprKind::Retain(_)
        | ExprKind::List { .. }
        | ExprKind::Dict { .. }
        | ExprKind::NewInstance
        | ExprKind::GetField { .. }
        | ExprKind::Print(_)
        | ExprKind::CaughtException
        | ExprKind::CallPython { .. } => true,
    })
}

/// Calls `f(local, value)` for every assignment and `let` binding in `stmts`.
fn visit_assignments(stmts: &[ir::Stmt], f: &mut dyn FnMut(LocalId, &ir::Expr)) {
    for s in stmts {
        match &s.kind {
            StmtKind::Assign { local, value } => f(*local, value),
            StmtKind::If { then_body, else_body, .. } => {
                visit_assignments(then_body, f);
                visit_assignments(else_body, f);
            }
            StmtKind::Try { .. } => s.kind.blocks().into_iter().for_each(|b| visit_assignments(b, f)),
            _ => {}
        }
        s.any_expr(
            &mut |e| {
                if let ExprKind::Let { local, value, .. } = &e.kind {
                    f(*local, value);
                }
                false
            },
            false,
        );
    }
}

fn depends_on_conversion(e: &ir::Expr, tainted: &[bool]) -> bool {
    e.any(&mut |x| match &x.kind {
        ExprKind::Cast(inner) => float_to_int(&inner.ty, &x.ty),
        ExprKind::Local(id) => tainted[*id],
        _ => false,
    })
}

/// Whether converting `from` to `to` turns a float into an integer (also inside tuples).
pub(crate) fn float_to_int(from: &Type, to: &Type) -> bool {
    match (from, to) {
        (Type::Float(_), Type::Int(_)) => true,
        (Type::Tuple(_) | Type::NamedTuple(_), Type::Tuple(_) | Type::NamedTuple(_)) => {
            from.tuple_items().unwrap_or_default().iter().zip(to.tuple_items().unwrap_or_default()).any(|(x, y)| float_to_int(x, y))
        }
        _ => false,
    }
}

fn holds_arrays(ty: &Type) -> bool {
    ty.holds_heap()
}
