//! Fusion across statements: an array expression stored in a variable that only the next
//! statement reads, element-wise, is computed inside that statement's loop instead of into an
//! array of its own. `d = a - b; return np.sqrt((d * d).sum())` then allocates nothing.
//!
//! Within one expression, maps fuse as they are built (see `array_exprs`). This pass runs on a
//! finished function and joins a statement `d = <new array filled by a map>` with the next
//! statement of the same block when:
//! - `d` is assigned nowhere else and read nowhere else: every read is in the next statement,
//!   as an operand of element-wise maps (or of the broadcast shape of one), never as a value
//!   (returned, passed, indexed, viewed);
//! - nothing runs between the two (they are adjacent), so the arrays the map reads hold the
//!   same values when the next statement reads them;
//! - `d` is read once, or its element is cheap arithmetic: each read computes the element
//!   again, which for calls (`sin`, `exp`) costs more than the array saves.
//!
//! The statements that evaluate the map's operands stay where they were; the allocation and
//! the loop that filled `d` go, and each map reading `d` reads `d`'s operands and computes
//! `d`'s element in its own loop. Chains (`d = a - b; e = d * d; s = e.sum()`) fuse one link at
//! a time, front to back.
//!
//! Then each map reads each variable once: `np.sqrt(a * a + b * b) * np.exp(-a)` fuses into one
//! map over `a, a, b, b, a`, whose repeated operands become one (one pointer walking `a`, one
//! load of its element per index, where the loop had three of each for LLVM to compile).

use ferrojit_ir::{self as ir, ExprKind, LocalId, StmtKind};
use ferrojit_types::Type;

/// Fuses what it can in `f` (see the module documentation), one pair of statements at a time
/// until none is left: each fusion moves statements and reads, so the counts it relies on are
/// taken again.
pub fn fuse_statements(f: &mut ir::Function) {
    loop {
        let counts = Counts::of(&f.body);
        if !fuse_one(&mut f.body, &counts, f.num_params) {
            break;
        }
    }
    share_in_map_statements(&mut f.body);
    for s in f.body.iter_mut() {
        // Every expression, in nested bodies too; blocks hold map statements of their own.
        s.walk_exprs_mut(&mut |e| match &mut e.kind {
            ExprKind::MapReduce { operands, element, .. } => share_repeated_operands(operands, element),
            ExprKind::Block { stmts, .. } => share_in_map_statements(stmts),
            // The shape a map's operands broadcast to: a repeated variable adds nothing.
            ExprKind::BroadcastShape(operands) => {
                let mut seen = Vec::new();
                operands.retain(|o| match o.kind {
                    ExprKind::Local(l) if seen.contains(&l) => false,
                    ExprKind::Local(l) => {
                        seen.push(l);
                        true
                    }
                    _ => true,
                });
            }
            _ => {}
        });
    }
}

/// [`share_repeated_operands`] in each `ArrayMap` statement of `stmts` and of their nested
/// bodies.
fn share_in_map_statements(stmts: &mut [ir::Stmt]) {
    for s in stmts {
        match &mut s.kind {
            StmtKind::ArrayMap { operands, element, .. } => share_repeated_operands(operands, element),
            StmtKind::If { then_body, else_body, .. } => {
                share_in_map_statements(then_body);
                share_in_map_statements(else_body);
            }
            StmtKind::While { body, orelse, .. } | StmtKind::ForRange { body, orelse, .. } => {
                share_in_map_statements(body);
                share_in_map_statements(orelse);
            }
            StmtKind::Try { body, handlers, orelse, finalbody } => {
                share_in_map_statements(body);
                handlers.iter_mut().for_each(|h| share_in_map_statements(&mut h.body));
                share_in_map_statements(orelse);
                share_in_map_statements(finalbody);
            }
            _ => {}
        }
    }
}

/// Makes the operands of one map that read the same variable one operand (see the module
/// documentation). Operands are evaluated in order before the loop, and reading a variable
/// has no effect, so the reads all see one value unless an operand runs statements (a block,
/// which could assign the variable): then the map stays as it is.
fn share_repeated_operands(operands: &mut Vec<ir::Expr>, element: &mut ir::Expr) {
    let runs_statements = operands.iter().any(|o| o.any(&mut |e| matches!(e.kind, ExprKind::Block { .. })));
    if runs_statements {
        return;
    }
    let mut kept: Vec<ir::Expr> = Vec::with_capacity(operands.len());
    let mut rewritten = Vec::with_capacity(operands.len());
    for o in std::mem::take(operands) {
        let same = |k: &ir::Expr| matches!((&k.kind, &o.kind), (ExprKind::Local(x), ExprKind::Local(y)) if x == y);
        match kept.iter().position(same) {
            Some(first) => rewritten.push(Rewritten::Operand(first)),
            None => {
                rewritten.push(Rewritten::Operand(kept.len()));
                kept.push(o);
            }
        }
    }
    *operands = kept;
    remap(element, &rewritten);
}

/// A map that fills a new array: the statements evaluating its operands, its operands and its
/// element.
struct Definition {
    pre: Vec<ir::Stmt>,
    operands: Vec<ir::Expr>,
    element: ir::Expr,
}

/// Reads and assignments of each local in a whole function.
struct Counts {
    reads: std::collections::HashMap<LocalId, usize>,
    assignments: std::collections::HashMap<LocalId, usize>,
}

impl Counts {
    fn of(body: &[ir::Stmt]) -> Counts {
        let mut reads = std::collections::HashMap::new();
        count_in(body, &mut |e| {
            if let ExprKind::Local(l) = e.kind {
                *reads.entry(l).or_insert(0) += 1;
            }
            false
        });
        Counts { reads, assignments: ir::assignment_counts(body) }
    }
}

/// Fuses the first pair of statements that qualifies, innermost blocks first; whether it did.
fn fuse_one(stmts: &mut Vec<ir::Stmt>, counts: &Counts, num_params: usize) -> bool {
    for s in stmts.iter_mut() {
        let nested = match &mut s.kind {
            StmtKind::If { then_body, else_body, .. } => fuse_one(then_body, counts, num_params) || fuse_one(else_body, counts, num_params),
            StmtKind::While { body, orelse, .. } | StmtKind::ForRange { body, orelse, .. } => fuse_one(body, counts, num_params) || fuse_one(orelse, counts, num_params),
            StmtKind::Try { body, handlers, orelse, finalbody } => {
                fuse_one(body, counts, num_params)
                    || handlers.iter_mut().any(|h| fuse_one(&mut h.body, counts, num_params))
                    || fuse_one(orelse, counts, num_params)
                    || fuse_one(finalbody, counts, num_params)
            }
            _ => false,
        };
        if nested {
            return true;
        }
    }
    for i in 0..stmts.len().saturating_sub(1) {
        let Some((local, def)) = definition(&stmts[i]) else { continue };
        let read = counts.reads.get(&local).copied().unwrap_or(0);
        let all_reads_next = read == reads(&stmts[i + 1..i + 2], local);
        if local < num_params || counts.assignments.get(&local) != Some(&1) || !all_reads_next {
            continue;
        }
        // Each read computes the element again: worth it for a few arithmetic operations, not
        // for calls (`sin`, `exp`), which the array computes once.
        if read > 1 && def.element.any(&mut |e| matches!(e.kind, ExprKind::Math { .. } | ExprKind::Runtime { .. } | ExprKind::Call { .. })) {
            continue;
        }
        let mut next = stmts[i + 1].clone();
        substitute_in_stmt(&mut next, local, &def);
        if reads(std::slice::from_ref(&next), local) != 0 {
            continue;
        }
        stmts.splice(i..i + 2, def.pre.into_iter().chain(std::iter::once(next)));
        return true;
    }
    false
}

/// `local = <block that allocates an array and fills it with a map>`, taken apart.
fn definition(s: &ir::Stmt) -> Option<(LocalId, Definition)> {
    let StmtKind::Assign { local, value } = &s.kind else { return None };
    let ExprKind::Block { stmts, value: result } = &value.kind else { return None };
    let ExprKind::Local(out) = result.kind else { return None };
    let n = stmts.len();
    if n < 3 {
        return None;
    }
    let (StmtKind::Assign { value: shape, .. }, StmtKind::Assign { local: new_local, value: new }, StmtKind::ArrayMap { dst, operands, element, .. }) = (&stmts[n - 3].kind, &stmts[n - 2].kind, &stmts[n - 1].kind) else {
        return None;
    };
    let shaped = matches!(shape.kind, ExprKind::BroadcastShape(_));
    let allocated = *new_local == out && matches!(new.kind, ExprKind::ArrayNew { .. });
    let fills = matches!(dst.kind, ExprKind::Local(d) if d == out);
    if !(shaped && allocated && fills) {
        return None;
    }
    Some((*local, Definition { pre: stmts[..n - 3].to_vec(), operands: operands.clone(), element: element.clone() }))
}

fn count_in(stmts: &[ir::Stmt], pred: &mut dyn FnMut(&ir::Expr) -> bool) -> usize {
    let mut n = 0;
    for s in stmts {
        s.any_expr(
            &mut |e| {
                if pred(e) {
                    n += 1;
                }
                false
            },
            true,
        );
    }
    n
}

/// How many times `local` is read in `stmts`.
fn reads(stmts: &[ir::Stmt], local: LocalId) -> usize {
    count_in(stmts, &mut |e| matches!(e.kind, ExprKind::Local(l) if l == local))
}

/// Replaces, in one map's operands and element, each operand that reads `local` by `def`'s
/// operands and element.
fn substitute_in_map(operands: &mut Vec<ir::Expr>, element: &mut ir::Expr, local: LocalId, def: &Definition) {
    let old = std::mem::take(operands);
    // Per old operand, what its element becomes over the new operands: a kept operand's
    // element at its new index (after the operands inserted before it), a replaced one's
    // `def`'s element over `def`'s operands, inserted in its place.
    let mut rewritten = Vec::with_capacity(old.len());
    for o in old {
        if matches!(o.kind, ExprKind::Local(l) if l == local) {
            let offset = operands.len();
            operands.extend(def.operands.iter().cloned());
            let mut e = def.element.clone();
            e.walk_mut(&mut |x| {
                if let ExprKind::MapElement(i) = &mut x.kind {
                    *i += offset;
                }
            });
            rewritten.push(Rewritten::Element(e));
        } else {
            rewritten.push(Rewritten::Operand(operands.len()));
            operands.push(o);
        }
    }
    remap(element, &rewritten);
}

/// What the element of an old operand of a map becomes over the map's new operands.
enum Rewritten {
    /// The element of the new operand at this index.
    Operand(usize),
    /// This expression, over the new operands.
    Element(ir::Expr),
}

/// Rewrites `element`, an expression over a map's old operands, over its new ones: each
/// `MapElement(i)` becomes `rewritten[i]`.
///
/// Invariant: every `MapElement` of `element` is an old index and is rewritten exactly once.
/// What is put in place holds new indices only, so the walk does not enter it (it would read
/// those as old indices). A nested reduction's element indexes that reduction's own operands
/// and is not entered either.
fn remap(element: &mut ir::Expr, rewritten: &[Rewritten]) {
    element.rewrite(&mut |x| {
        let ExprKind::MapElement(old) = x.kind else { return true };
        *x = match &rewritten[old] {
            Rewritten::Operand(new) => ir::Expr::new(ExprKind::MapElement(*new), x.ty.clone(), x.span),
            Rewritten::Element(e) => e.clone(),
        };
        false
    });
}

/// Substitutes `def` for `local` in every map of `s` (reads of `local` elsewhere in `s` stay:
/// the caller checks that none is left).
fn substitute_in_stmt(s: &mut ir::Stmt, local: LocalId, def: &Definition) {
    let arrays: Vec<ir::Expr> = def.operands.iter().filter(|o| matches!(o.ty, Type::Array(_))).cloned().collect();
    let mut visit = |e: &mut ir::Expr| match &mut e.kind {
        // `(d * 2).sum()`, and `d.sum()`: the reduction of the map whose element is `d`'s.
        ExprKind::MapReduce { operands, element, .. } => substitute_in_map(operands, element, local, def),
        ExprKind::BroadcastShape(operands) => {
            let old = std::mem::take(operands);
            for o in old {
                if matches!(o.kind, ExprKind::Local(l) if l == local) {
                    operands.extend(arrays.iter().cloned());
                } else {
                    operands.push(o);
                }
            }
        }
        ExprKind::Block { stmts, .. } => {
            for inner in stmts.iter_mut() {
                if let StmtKind::ArrayMap { operands, element, .. } = &mut inner.kind {
                    substitute_in_map(operands, element, local, def);
                }
            }
        }
        _ => {}
    };
    if let StmtKind::ArrayMap { operands, element, .. } = &mut s.kind {
        substitute_in_map(operands, element, local, def);
    }
    s.walk_exprs_mut(&mut visit);
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferrojit_ir::{BinaryOp, Const, ReduceOp};
    use ferrojit_syntax::ast::Span;
    use ferrojit_types::{ArrayType, Layout};

    fn array() -> Type {
        Type::Array(ArrayType::new(Type::FLOAT64, 1, Layout::C))
    }

    fn local(l: LocalId) -> ir::Expr {
        ir::Expr::new(ExprKind::Local(l), array(), Span::default())
    }

    fn element(i: usize) -> ir::Expr {
        ir::Expr::new(ExprKind::MapElement(i), Type::FLOAT64, Span::default())
    }

    fn binary(op: BinaryOp, lhs: ir::Expr, rhs: ir::Expr) -> ir::Expr {
        ir::Expr::new(ExprKind::Binary { op, lhs: lhs.boxed(), rhs: rhs.boxed() }, Type::FLOAT64, Span::default())
    }

    /// The element and operands of a map, written as `$0 * ($1 - $2)` over `[x.0, 2.0]`.
    fn show(operands: &[ir::Expr], element: &ir::Expr) -> String {
        fn expr(e: &ir::Expr) -> String {
            match &e.kind {
                ExprKind::MapElement(i) => format!("${i}"),
                ExprKind::Local(l) => format!("x.{l}"),
                ExprKind::Const(Const::Float(v)) => format!("{v:?}"),
                ExprKind::Binary { op, lhs, rhs } => format!("({} {op:?} {})", expr(lhs), expr(rhs)),
                ExprKind::MapReduce { op, operands, element } => format!("{op:?}(map [{}] -> {})", operands.iter().map(expr).collect::<Vec<_>>().join(", "), expr(element)),
                other => panic!("not shown: {other:?}"),
            }
        }
        format!("[{}] -> {}", operands.iter().map(expr).collect::<Vec<_>>().join(", "), expr(element))
    }

    /// `d = x.2 - x.3`, substituted into maps that read `d` (local 1) among other operands.
    #[test]
    fn each_read_of_the_variable_becomes_its_element_over_its_operands() {
        let def = Definition { pre: vec![], operands: vec![local(2), local(3)], element: binary(BinaryOp::Sub, element(0), element(1)) };
        let two = ir::Expr::new(ExprKind::Const(Const::Float(2.0)), Type::FLOAT64, Span::default());
        // A nested reduction's element indexes its own operands: it is left as it is.
        let nested = ir::Expr::new(ExprKind::MapReduce { op: ReduceOp::Sum, operands: vec![local(0)], element: element(0).boxed() }, Type::FLOAT64, Span::default());
        let cases: Vec<(Vec<ir::Expr>, ir::Expr, &str)> = vec![
            (vec![local(1)], element(0), "[x.2, x.3] -> ($0 Sub $1)"),
            (vec![local(0), local(1), two.clone()], binary(BinaryOp::Add, binary(BinaryOp::Mul, element(0), element(1)), element(2)), "[x.0, x.2, x.3, 2.0] -> (($0 Mul ($1 Sub $2)) Add $3)"),
            (vec![local(1), local(0), local(1)], binary(BinaryOp::Mul, binary(BinaryOp::Mul, element(0), element(1)), element(2)), "[x.2, x.3, x.0, x.2, x.3] -> ((($0 Sub $1) Mul $2) Mul ($3 Sub $4))"),
            (vec![local(0), local(1)], binary(BinaryOp::Add, element(1), binary(BinaryOp::Mul, element(0), nested)), "[x.0, x.2, x.3] -> (($1 Sub $2) Add ($0 Mul Sum(map [x.0] -> $0)))"),
        ];
        for (mut operands, mut e, expected) in cases {
            substitute_in_map(&mut operands, &mut e, 1, &def);
            assert_eq!(show(&operands, &e), expected);
        }
    }

    fn int(v: i128) -> ir::Expr {
        ir::Expr::new(ExprKind::Const(Const::Int(v)), Type::INT64, Span::default())
    }

    fn stmt(kind: StmtKind) -> ir::Stmt {
        ir::Stmt { kind, span: Span::default() }
    }

    /// `d.1 = a.0 * 2.0` as inference builds it: a new array of the broadcast shape (in `$shape.2`
    /// and `$new.3`) filled by a map.
    fn definition_of_d() -> ir::Stmt {
        let shape_ty = Type::Tuple(vec![Type::INT64]);
        let two = ir::Expr::new(ExprKind::Const(Const::Float(2.0)), Type::FLOAT64, Span::default());
        let stmts = vec![
            stmt(StmtKind::Assign { local: 2, value: ir::Expr::new(ExprKind::BroadcastShape(vec![local(0)]), shape_ty.clone(), Span::default()) }),
            stmt(StmtKind::Assign { local: 3, value: ir::Expr::new(ExprKind::ArrayNew { shape: vec![ir::Expr::new(ExprKind::TupleGet(ir::Expr::new(ExprKind::Local(2), shape_ty, Span::default()).boxed(), 0), Type::INT64, Span::default())], zeroed: false }, array(), Span::default()) }),
            stmt(StmtKind::ArrayMap { dst: local(3), operands: vec![local(0)], element: binary(BinaryOp::Mul, element(0), two), fresh: true }),
        ];
        stmt(StmtKind::Assign { local: 1, value: ir::Expr::new(ExprKind::Block { stmts, value: local(3).boxed() }, array(), Span::default()) })
    }

    /// `return d.1.sum()`.
    fn return_sum_of_d() -> ir::Stmt {
        stmt(StmtKind::Return(ir::Expr::new(ExprKind::MapReduce { op: ReduceOp::Sum, operands: vec![local(1)], element: element(0).boxed() }, Type::FLOAT64, Span::default())))
    }

    /// `d` assigned again by a statement inside a block: `{ d.1 = new(3) } => 0`.
    fn block_assigning_d() -> ir::Expr {
        let again = stmt(StmtKind::Assign { local: 1, value: ir::Expr::new(ExprKind::ArrayNew { shape: vec![int(3)], zeroed: false }, array(), Span::default()) });
        ir::Expr::new(ExprKind::Block { stmts: vec![again], value: int(0).boxed() }, Type::INT64, Span::default())
    }

    /// A variable fuses only when the definition is its one assignment: an assignment anywhere
    /// else, inside blocks of any expression included, keeps it an array. (The front end
    /// assigns only fresh temporaries inside blocks, so this guards hand-built and future IR.)
    #[test]
    fn a_variable_assigned_anywhere_else_is_not_fused() {
        let cases: Vec<(&str, Vec<ir::Stmt>, bool)> = vec![
            ("only the definition", vec![], true),
            ("in an assigned value's block", vec![stmt(StmtKind::Assign { local: 4, value: block_assigning_d() })], false),
            ("in an expression statement's block", vec![stmt(StmtKind::Expr(block_assigning_d()))], false),
            ("in a loop condition's block", vec![stmt(StmtKind::While { cond: ir::Expr::new(ExprKind::Truth(block_assigning_d().boxed()), Type::Bool, Span::default()), body: vec![stmt(StmtKind::Break)], orelse: vec![] })], false),
        ];
        for (what, before, fuses) in cases {
            let mut body = before;
            body.push(definition_of_d());
            body.push(return_sum_of_d());
            let counts = Counts::of(&body);
            assert_eq!(fuse_one(&mut body, &counts, 1), fuses, "{what}");
            let sum_reads_d = matches!(&body.last().unwrap().kind, StmtKind::Return(e) if e.any(&mut |x| matches!(x.kind, ExprKind::Local(1))));
            assert_eq!(sum_reads_d, !fuses, "{what}");
        }
    }
}
