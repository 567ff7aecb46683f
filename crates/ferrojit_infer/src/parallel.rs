//! `prange` loops of functions compiled with `parallel=True`: [`parallel_loops`] rewrites each
//! one, before typing, into a *chunk function* that runs a range of its iterations, and a run
//! of that function on the thread pool; [`FnInfer::parallel_run`] and
//! [`FnInfer::reduction_identity`] type the two calls the rewrite makes.
//!
//! ```text
//! for i in prange(a, b, s):            prange'start1 = a; prange'stop1 = b; prange'step1 = s
//!     t = x[i] * 2                     def prange'chunk1(total'init, prange'lo, prange'hi):
//!     total += t                           total = prange'identity(total'init, "sum")
//!                                          for i in prange(start + lo * step, start + hi * step, step):
//!                                              t = x[i] * 2
//!                                              total += t
//!                                          return (total,)
//!                                      prange'parts1 = prange'run(prange'chunk1, prange'start1, prange'stop1, prange'step1, total)
//!                                      for prange'part1 in prange'parts1:
//!                                          total += prange'part1[0]
//! ```
//!
//! The chunk function is an inner function, lifted and compiled as closures are (see
//! `closures`): it captures, by value, the variables the body reads (shared by every thread:
//! arrays are shared memory). Those the body assigns are its own locals, so each chunk has
//! its own copy (Numba's private variables). A variable the body only updates with one
//! operator, `v += e` / `v = v * e` / `v = min(v, e)` and the like, and reads nowhere else is a
//! *reduction*: each chunk starts it at the operator's identity and returns its partial value,
//! and the caller combines the partials with the variable's value before the loop, chunk by
//! chunk in the order of the iterations (so the result does not depend on timing).
//!
//! What would make the iterations depend on each other is refused with an error at the line:
//! a private variable read before the iteration assigns it (a value from another iteration),
//! or read after the loop; `break`, `return` and `yield` in the body; an `else` clause.
//! A `prange` inside the body of another runs serially, as Numba's does, and so does every
//! `prange` of a function compiled without `parallel=True`.

use crate::bind::Args;
use crate::env::{GlobalEnv, GlobalValue, ModuleKind};
use crate::registry::Registry;
use crate::expr::Value;
use crate::function::{collect_assigned, contains_break, FnInfer, Result};
use ferrojit_ir::{self as ir, Const, ExprKind};
use ferrojit_syntax::ast::{self, BinOp, Expr, ExprKind as K, Span, Stmt, StmtKind as S};
use ferrojit_syntax::{SyntaxError, SyntaxErrorKind};
use ferrojit_types::Type;

/// `prange'run(chunk, start, stop, step, inits...)`: runs the chunk function over the range on
/// the pool; the list of the chunks' results (see [`FnInfer::parallel_run`]).
pub(crate) const RUN: &str = "prange'run";
/// `prange'identity(value, "op")`: the identity of the reduction `op` of `value`'s type.
pub(crate) const IDENTITY: &str = "prange'identity";
/// The start of a chunk function's name (`prange'chunk1`).
pub(crate) const CHUNK_PREFIX: &str = ir::PARALLEL_CHUNK_PREFIX;

/// How a reduction combines values; the operators of one variable's updates must agree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reduction {
    /// `+=`, `-=` (a chunk's partial is minus what it subtracted).
    Sum,
    /// `*=`, `/=`.
    Product,
    Min,
    Max,
    And,
    Or,
    Xor,
}

impl Reduction {
    fn of(op: BinOp) -> Option<Reduction> {
        Some(match op {
            BinOp::Add | BinOp::Sub => Reduction::Sum,
            BinOp::Mul | BinOp::Div => Reduction::Product,
            BinOp::BitAnd => Reduction::And,
            BinOp::BitOr => Reduction::Or,
            BinOp::BitXor => Reduction::Xor,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Reduction::Sum => "sum",
            Reduction::Product => "product",
            Reduction::Min => "min",
            Reduction::Max => "max",
            Reduction::And => "and",
            Reduction::Or => "or",
            Reduction::Xor => "xor",
        }
    }

    /// The operator that combines two partials (`None`: `min`/`max`, a call).
    fn combining_op(self) -> Option<BinOp> {
        match self {
            Reduction::Sum => Some(BinOp::Add),
            Reduction::Product => Some(BinOp::Mul),
            Reduction::And => Some(BinOp::BitAnd),
            Reduction::Or => Some(BinOp::BitOr),
            Reduction::Xor => Some(BinOp::BitXor),
            Reduction::Min | Reduction::Max => None,
        }
    }
}

/// A reduction variable of one loop.
struct ReductionVar {
    name: String,
    kind: Reduction,
    /// Whether an update is in place (`v += e`): the combination is too, as it would be
    /// serially (an array reduction updates the caller's array).
    in_place: bool,
}

/// `def` with each `prange` loop (outside other `prange` loops) rewritten to run on the pool
/// (see the module documentation), or the error that keeps one from running in parallel.
///
/// Also returns what became of each loop, one line each, for `parallel_diagnostics()`.
pub fn parallel_loops(def: &ast::FunctionDef, globals: &dyn GlobalEnv) -> std::result::Result<(ast::FunctionDef, Vec<String>), SyntaxError> {
    let mut locals: Vec<String> = def.params.iter().map(|p| p.name.clone()).collect();
    collect_assigned(&def.body, &mut locals);
    let mut rewriter = Rewriter { globals, locals, count: 0, hidden: def.hidden_locals.clone(), comprehension_names: def.hidden_locals.clone(), whole_body: def.body.clone(), params: def.params.clone(), report: Vec::new() };
    let body = rewriter.block(&def.body)?;
    let mut hidden_locals = def.hidden_locals.clone();
    hidden_locals.extend(rewriter.hidden.iter().filter(|n| !def.hidden_locals.contains(n)).cloned());
    Ok((ast::FunctionDef { name: def.name.clone(), params: def.params.clone(), body, span: def.span, hidden_locals }, rewriter.report))
}

struct Rewriter<'g> {
    globals: &'g dyn GlobalEnv,
    /// The function's own variables (which shadow the globals `prange` and `min`).
    locals: Vec<String>,
    /// Loops rewritten so far (numbering the hidden names).
    count: usize,
    /// The function's hidden locals, with those the rewrite makes.
    hidden: Vec<String>,
    /// The function's hidden locals as parsed (its comprehensions').
    comprehension_names: Vec<String>,
    /// The function's body and parameters as written, for the reads after each loop.
    whole_body: Vec<Stmt>,
    params: Vec<ast::Param>,
    /// What became of each loop (see [`parallel_loops`]).
    report: Vec<String>,
}

fn unsupported(span: Span, message: impl Into<String>, hint: &str) -> SyntaxError {
    SyntaxError { kind: SyntaxErrorKind::Unsupported, message: message.into(), span, hint: Some(hint.to_string()) }
}

fn name(n: &str, span: Span) -> Expr {
    Expr { kind: K::Name(n.to_string()), span }
}

fn call(func: Expr, args: Vec<Expr>, span: Span) -> Expr {
    Expr { kind: K::Call { func: Box::new(func), args, keywords: Vec::new() }, span }
}

fn binop(op: BinOp, left: Expr, right: Expr, span: Span) -> Expr {
    Expr { kind: K::BinOp { op, left: Box::new(left), right: Box::new(right) }, span }
}

fn assign(target: &str, value: Expr, span: Span) -> Stmt {
    Stmt { kind: S::Assign { targets: vec![name(target, span)], value }, span }
}

fn param(n: &str, span: Span) -> ast::Param {
    ast::Param { name: n.to_string(), span, kind: ast::ParamKind::Positional, default: None }
}

impl Rewriter<'_> {
    fn is_global(&self, n: &str, check: impl Fn(GlobalValue) -> bool) -> bool {
        !self.locals.iter().any(|l| l == n) && self.globals.lookup(n).is_some_and(check)
    }

    /// Whether `func` names `ferrojit.prange` (`prange`, `ferrojit.prange`, `numba.prange`
    /// after `import ferrojit as numba`).
    fn is_prange(&self, func: &Expr) -> bool {
        match &func.kind {
            K::Name(n) => self.is_global(n, |g| matches!(g, GlobalValue::Function(q) if q == "ferrojit.prange")),
            K::Attribute { value, attr } if attr == "prange" => matches!(&value.kind, K::Name(m) if self.is_global(m, |g| matches!(g, GlobalValue::Module(ModuleKind::Ferrojit)))),
            _ => false,
        }
    }

    fn is_builtin(&self, func: &Expr, builtin: &str) -> bool {
        matches!(&func.kind, K::Name(n) if self.is_global(n, |g| matches!(g, GlobalValue::Function(q) if q == format!("builtins.{builtin}"))))
    }

    fn block(&mut self, stmts: &[Stmt]) -> std::result::Result<Vec<Stmt>, SyntaxError> {
        let mut out = Vec::new();
        for s in stmts {
            match &s.kind {
                S::For { target, iter, body, orelse } => match &iter.kind {
                    K::Call { func, args, keywords } if self.is_prange(func) => {
                        if !keywords.is_empty() || args.is_empty() || args.len() > 3 {
                            return Err(unsupported(iter.span, "`prange()` takes 1 to 3 positional arguments, as `range()`", "write `prange(stop)`, `prange(start, stop)` or `prange(start, stop, step)`"));
                        }
                        if !orelse.is_empty() {
                            return Err(unsupported(s.span, "a `prange` loop cannot have an `else` clause", "move the `else` code after the loop"));
                        }
                        self.parallel_loop(s.span, target, func, args, body, &mut out)?;
                    }
                    _ => {
                        let (body, orelse) = (self.block(body)?, self.block(orelse)?);
                        out.push(Stmt { kind: S::For { target: target.clone(), iter: iter.clone(), body, orelse }, span: s.span });
                    }
                },
                S::While { test, body, orelse } => {
                    let (body, orelse) = (self.block(body)?, self.block(orelse)?);
                    out.push(Stmt { kind: S::While { test: test.clone(), body, orelse }, span: s.span });
                }
                S::If { .. } | S::Try { .. } => out.push(Stmt { kind: s.kind.with_blocks(|b| self.block(b))?, span: s.span }),
                _ => out.push(s.clone()),
            }
        }
        Ok(out)
    }

    /// Rewrites `for target in prange(args): body` (see the module documentation).
    fn parallel_loop(&mut self, span: Span, target: &Expr, func: &Expr, args: &[Expr], body: &[Stmt], out: &mut Vec<Stmt>) -> std::result::Result<(), SyntaxError> {
        let K::Name(index) = &target.kind else {
            return Err(unsupported(target.span, "the target of a `prange` loop must be a name", "loop over `prange(n)` with a name, e.g. `for i in prange(n):`"));
        };
        if let Some(at) = forbidden_statement(body) {
            return Err(unsupported(at.0, format!("`{}` inside a `prange` loop is not supported: its iterations run in parallel, in no order", at.1), "compute a flag or an index with a reduction (e.g. `found = max(found, i)`) and act on it after the loop"));
        }
        if contains_break(body) {
            let at = first_break(body).unwrap_or(span);
            return Err(unsupported(at, "`break` inside a `prange` loop is not supported: its iterations run in parallel, in no order", "use `range` for a loop that stops early"));
        }
        self.count += 1;
        let n = self.count;
        let hidden = |what: &str| format!("prange'{what}{n}");
        let (start, stop, step, lo, hi, chunk, parts, part) = (hidden("start"), hidden("stop"), hidden("step"), hidden("lo"), hidden("hi"), format!("{CHUNK_PREFIX}{n}"), hidden("parts"), format!("{}{n}", ir::PARALLEL_PARTIAL_PREFIX));
        self.hidden.extend([start.clone(), stop.clone(), step.clone(), parts.clone(), part.clone()]);

        let mut assigned = Vec::new();
        collect_assigned(body, &mut assigned);
        assigned.retain(|v| v != index);
        let mut reductions: Vec<ReductionVar> = Vec::new();
        let mut private: Vec<String> = Vec::new();
        for v in unique(&assigned) {
            match self.reduction_of(&v, body) {
                Some((kind, in_place)) => reductions.push(ReductionVar { name: v, kind, in_place }),
                None => private.push(v),
            }
        }
        self.check_private(span, index, &private, body)?;
        self.describe(span, &reductions, &private, body);

        // The bounds, evaluated once, before the loop.
        let int = |v: u64| Expr { kind: K::Int(v), span };
        let (a, b, c) = match args {
            [stop] => (int(0), stop.clone(), int(1)),
            [start, stop] => (start.clone(), stop.clone(), int(1)),
            [start, stop, step] => (start.clone(), stop.clone(), step.clone()),
            _ => unreachable!("checked: 1 to 3 arguments"),
        };
        out.push(assign(&start, a, span));
        out.push(assign(&stop, b, span));
        out.push(assign(&step, c, span));

        // The chunk function: the iterations [lo, hi) of the loop, its reductions started at
        // their identities.
        let init = |v: &str| format!("{v}'init");
        let mut chunk_body: Vec<Stmt> = reductions
            .iter()
            .map(|r| assign(&r.name, call(name(IDENTITY, span), vec![name(&init(&r.name), span), Expr { kind: K::Str(r.kind.name().to_string()), span }], span), span))
            .collect();
        // Literal bounds stay literals in the chunk, so that its loop has a constant step (a
        // step known only at run time makes LLVM treat the body's array accesses as strided).
        let literal = |e: &Expr| matches!(&e.kind, K::Int(_)) || matches!(&e.kind, K::UnaryOp { operand, .. } if matches!(operand.kind, K::Int(_)));
        let first = match args {
            [_] => int(0),
            [a, ..] if literal(a) => a.clone(),
            _ => name(&start, span),
        };
        let stride = match args {
            [_, _, c] if !literal(c) => name(&step, span),
            [_, _, c] => c.clone(),
            _ => int(1),
        };
        let at = |k: &str| binop(BinOp::Add, first.clone(), binop(BinOp::Mul, name(k, span), stride.clone(), span), span);
        let range = call(func.clone(), vec![at(&lo), at(&hi), stride.clone()], span);
        chunk_body.push(Stmt { kind: S::For { target: target.clone(), iter: range, body: body.to_vec(), orelse: Vec::new() }, span });
        let results = Expr { kind: K::Tuple(reductions.iter().map(|r| name(&r.name, span)).collect()), span };
        chunk_body.push(Stmt { kind: S::Return(Some(results)), span });
        let mut params: Vec<ast::Param> = reductions.iter().map(|r| param(&init(&r.name), span)).collect();
        params.extend([param(&lo, span), param(&hi, span)]);
        // The comprehensions' hidden names are the chunk's own where its body uses them; the
        // bounds are captured.
        let def = ast::FunctionDef { name: chunk.clone(), params, body: chunk_body, span, hidden_locals: self.comprehension_names.clone() };
        out.push(Stmt { kind: S::FunctionDef(Box::new(def)), span });

        // The run, then the partials combined in the order of the chunks.
        // Literal bounds given as such: the trip count's code then folds (see `range_count`).
        let mut run_args = vec![name(&chunk, span), first.clone(), name(&stop, span), stride.clone()];
        run_args.extend(reductions.iter().map(|r| name(&r.name, span)));
        let run = call(name(RUN, span), run_args, span);
        if reductions.is_empty() {
            out.push(Stmt { kind: S::Expr(run), span });
            return Ok(());
        }
        out.push(assign(&parts, run, span));
        let mut combine = Vec::new();
        for (k, r) in reductions.iter().enumerate() {
            let partial = Expr { kind: K::Subscript { value: Box::new(name(&part, span)), index: Box::new(int(k as u64)) }, span };
            let stmt = match (r.kind.combining_op(), r.in_place) {
                (Some(op), true) => S::AugAssign { target: name(&r.name, span), op, value: partial },
                (Some(op), false) => S::Assign { targets: vec![name(&r.name, span)], value: binop(op, name(&r.name, span), partial, span) },
                (None, _) => {
                    let builtin = if r.kind == Reduction::Min { "min" } else { "max" };
                    S::Assign { targets: vec![name(&r.name, span)], value: call(name(builtin, span), vec![name(&r.name, span), partial], span) }
                }
            };
            combine.push(Stmt { kind: stmt, span });
        }
        out.push(Stmt { kind: S::For { target: name(&part, span), iter: name(&parts, span), body: combine, orelse: Vec::new() }, span });
        Ok(())
    }

    /// Adds the diagnostics lines of the loop at `span`.
    fn describe(&mut self, span: Span, reductions: &[ReductionVar], private: &[String], body: &[Stmt]) {
        let mut line = format!("line {}: prange loop runs in parallel", span.line);
        if !reductions.is_empty() {
            let parts: Vec<String> = reductions.iter().map(|r| format!("`{}` ({})", r.name, r.kind.name())).collect();
            line += &format!("; reductions: {}", parts.join(", "));
        }
        if !private.is_empty() {
            let parts: Vec<String> = private.iter().map(|v| format!("`{v}`")).collect();
            line += &format!("; private to each iteration: {}", parts.join(", "));
        }
        self.report.push(line);
        each_statement(body, &mut |s| {
            if let S::For { iter, .. } = &s.kind {
                if matches!(&iter.kind, K::Call { func, .. } if self.is_prange(func)) {
                    self.report.push(format!("line {}: prange loop runs serially, inside the parallel loop of line {} (nested parallel loops are not parallel)", s.span.line, span.line));
                }
            }
        });
    }

    /// The reduction `v` is, when every statement of `body` that mentions it is an update of
    /// one kind that reads it only as the update's own operand; and whether an update is in
    /// place.
    fn reduction_of(&self, v: &str, body: &[Stmt]) -> Option<(Reduction, bool)> {
        let mut kind: Option<Reduction> = None;
        let mut in_place = false;
        let mut own_mentions = 0;
        let mut ok = true;
        let is_v = |e: &Expr| matches!(&e.kind, K::Name(n) if n == v);
        each_statement(body, &mut |s| {
            let update = match &s.kind {
                S::AugAssign { target, op, value } if is_v(target) => {
                    in_place = true;
                    own_mentions += 1;
                    Reduction::of(*op).map(|k| (k, value))
                }
                S::Assign { targets, value } if targets.len() == 1 && is_v(&targets[0]) => match &value.kind {
                    K::BinOp { op, left, right } if is_v(left) => Reduction::of(*op).map(|k| (k, &**right)),
                    K::BinOp { op: op @ (BinOp::Add | BinOp::Mul | BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor), left, right } if is_v(right) => Reduction::of(*op).map(|k| (k, &**left)),
                    K::Call { func, args, keywords } if keywords.is_empty() && args.len() == 2 && (self.is_builtin(func, "min") || self.is_builtin(func, "max")) => {
                        let k = if self.is_builtin(func, "min") { Reduction::Min } else { Reduction::Max };
                        match (is_v(&args[0]), is_v(&args[1])) {
                            (true, false) => Some((k, &args[1])),
                            (false, true) => Some((k, &args[0])),
                            _ => None,
                        }
                    }
                    _ => None,
                }
                .inspect(|_| own_mentions += 2),
                _ => return,
            };
            match update {
                Some((k, operand)) if kind.is_none_or(|seen| seen == k) && mentions(std::slice::from_ref(&Stmt { kind: S::Expr(operand.clone()), span: s.span }), v) == 0 => kind = Some(k),
                _ => ok = false,
            }
        });
        // Any other mention (a read, another assignment, `del`) makes `v` a plain variable.
        let kind = kind.filter(|_| ok && mentions(body, v) == own_mentions)?;
        Some((kind, in_place))
    }

    /// Refuses private variables that carry values between iterations: read before the
    /// iteration assigns them, or read after the loop.
    fn check_private(&self, span: Span, index: &str, private: &[String], body: &[Stmt]) -> std::result::Result<(), SyntaxError> {
        let iteration = ast::FunctionDef { name: String::new(), params: vec![param(index, span)], body: body.to_vec(), span, hidden_locals: self.hidden.clone() };
        let facts = crate::unbound::analyse(&iteration);
        if let Some((v, at)) = facts.unbound_reads().into_iter().find(|(v, _)| private.contains(v)) {
            return Err(unsupported(
                at,
                format!("`{v}` is read here before this iteration of the `prange` loop assigns it: it would hold a value from another iteration, which runs on another thread"),
                &format!("assign `{v}` at the start of each iteration, or make it a reduction (`{v} += ...`, `{v} = min({v}, ...)`)"),
            ));
        }
        // The function with the loop replaced by `del` of its private variables and of its
        // index: a read that may find one unbound is a read of the loop's value.
        let mut private = private.to_vec();
        private.push(index.to_string());
        let unbind = Stmt { kind: S::Delete(private.iter().map(|v| name(v, span)).collect()), span };
        let body = replace_statement(&self.whole_body, span, &unbind);
        let function = ast::FunctionDef { name: String::new(), params: self.params.clone(), body, span, hidden_locals: self.hidden.clone() };
        let facts = crate::unbound::analyse(&function);
        if let Some((v, at)) = facts.unbound_reads().into_iter().find(|(v, at)| *at != span && private.contains(v)) {
            return Err(unsupported(
                at,
                format!("`{v}` is assigned in the `prange` loop on line {}, whose iterations run in parallel: it has no value after the loop", span.line),
                &format!("compute `{v}` again after the loop, or make it a reduction (`{v} += ...`, `{v} = max({v}, ...)`)"),
            ));
        }
        Ok(())
    }
}

fn unique(names: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in names {
        if !out.contains(n) {
            out.push(n.clone());
        }
    }
    out
}

/// Calls `f` with each statement of `stmts`, nested ones included (not inner functions').
fn each_statement<'a>(stmts: &'a [Stmt], f: &mut impl FnMut(&'a Stmt)) {
    for s in stmts {
        f(s);
        s.kind.blocks().into_iter().for_each(|b| each_statement(b, f));
    }
}

/// How many times `stmts` mention the name `v` (reads and assignments, inner functions'
/// reads included).
fn mentions(stmts: &[Stmt], v: &str) -> usize {
    let mut names = Vec::new();
    stmts.iter().for_each(|s| crate::closures::statement_reads(s, &mut names));
    names.iter().filter(|n| *n == v).count()
}

/// The first `return` or `yield` in `stmts` (not in inner functions).
fn forbidden_statement(stmts: &[Stmt]) -> Option<(Span, &'static str)> {
    let mut found = None;
    each_statement(stmts, &mut |s| {
        if found.is_none() {
            found = match &s.kind {
                S::Return(_) => Some((s.span, "return")),
                S::Yield(_) => Some((s.span, "yield")),
                _ => None,
            };
        }
    });
    found
}

/// The first `break` that leaves the loop whose body is `stmts`.
fn first_break(stmts: &[Stmt]) -> Option<Span> {
    stmts.iter().find_map(|s| match &s.kind {
        S::Break => Some(s.span),
        S::If { body, orelse, .. } => first_break(body).or_else(|| first_break(orelse)),
        S::Try { .. } => s.kind.blocks().into_iter().find_map(first_break),
        S::While { orelse, .. } | S::For { orelse, .. } => first_break(orelse),
        _ => None,
    })
}

/// `stmts` with the statement at `span` (at any depth) replaced by `by`.
fn replace_statement(stmts: &[Stmt], span: Span, by: &Stmt) -> Vec<Stmt> {
    stmts
        .iter()
        .map(|s| {
            if s.span == span {
                return by.clone();
            }
            let kind = s.kind.with_blocks(|b| Ok::<_, std::convert::Infallible>(replace_statement(b, span, by)));
            Stmt { kind: kind.unwrap_or_else(|never| match never {}), span: s.span }
        })
        .collect()
}

/// The thread API in compiled code: `get_num_threads()`, `get_thread_id()`,
/// `set_num_threads(n)` (Numba's, which its users call inside parallel functions); and
/// `ferrojit._lib.parallel_array_chunks(size, trip)`, with which the library's parallel
/// implementations choose between the pool and their serial loop as whole-array maps do.
pub(crate) fn register(r: &mut Registry) {
    r.function("ferrojit._lib.parallel_array_chunks", "size, trip, /", |cx, args, span| crate::advanced_index::runtime_call(cx, args, &["size", "trip"], ir::RuntimeFunc::PARALLEL_ARRAY_CHUNKS, span));
    r.function("ferrojit.get_num_threads", "", |cx, args, span| crate::advanced_index::runtime_call(cx, args, &[], ir::RuntimeFunc::GET_NUM_THREADS, span));
    r.function("ferrojit.get_thread_id", "", |cx, args, span| crate::advanced_index::runtime_call(cx, args, &[], ir::RuntimeFunc::GET_THREAD_ID, span));
    r.function("ferrojit.set_num_threads", "n, /", set_num_threads);
}

/// `set_num_threads(n)`: the runtime call, then `None`.
fn set_num_threads(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let Value::Expr(set) = crate::advanced_index::runtime_call(cx, args, &["n"], ir::RuntimeFunc::SET_NUM_THREADS, span)? else {
        return Err(cx.internal(span, "a runtime call is an expression"));
    };
    let none = ir::Expr::new(ExprKind::Const(Const::None), Type::NoneType, span);
    Ok(Value::Expr(ir::Expr::new(ExprKind::Block { stmts: vec![ir::Stmt { kind: ir::StmtKind::Expr(set), span }], value: none.boxed() }, Type::NoneType, span)))
}

fn int(v: i128, ty: &Type, span: Span) -> ir::Expr {
    ir::Expr::new(ExprKind::Const(Const::Int(v)), ty.clone(), span)
}

impl FnInfer<'_> {
    /// `prange'run(chunk, start, stop, step, inits...)` (see the module documentation).
    pub(crate) fn parallel_run(&mut self, args: &[Expr], span: Span, out: &mut Vec<ir::Stmt>) -> Result<ir::Expr> {
        let chunk = self.expr(&args[0])?;
        let mut bounds = Vec::new();
        for a in &args[1..4] {
            let e = self.expr(a)?;
            if !e.ty.is_integer_like() {
                return Err(self.typing(a.span, format!("`prange()` needs integer arguments, got a `{}`", e.ty), Some("convert with `int(...)`")));
            }
            bounds.push(self.cast(e, &Type::INT64));
        }
        let step = bounds.pop().expect("three bounds");
        let stop = bounds.pop().expect("three bounds");
        let start = bounds.pop().expect("three bounds");
        let trip = self.range_count(start, stop, step, span, out);
        let mut call_args: Vec<Value> = Vec::new();
        for a in &args[4..] {
            call_args.push(Value::Expr(self.expr(a)?));
        }
        // The chunk's bounds: filled in for each chunk by the pool.
        call_args.extend([Value::Expr(int(0, &Type::INT64, span)), Value::Expr(int(0, &Type::INT64, span))]);
        let Value::Expr(called) = self.call_function_value(chunk, call_args, Vec::new(), span)? else {
            return Err(self.internal(span, "a chunk function's call is an expression"));
        };
        let ExprKind::Call { symbol, mut args } = called.kind else {
            return Err(self.internal(span, "a chunk function is called directly, from a local"));
        };
        args.truncate(args.len() - 2);
        let ty = Type::List(Box::new(called.ty));
        Ok(ir::Expr::new(ExprKind::ParallelFor { symbol, args, trip: trip.boxed() }, ty, span))
    }

    /// Refuses `what` (a method or operation that may resize `container`: `append`, `d[k] =
    /// v`, `del l[i]`, ...) inside a `prange` loop's body when `container` is a list, dict or
    /// set the iterations share (a variable of the enclosing function, a parameter of the
    /// chunk function): the iterations run at once on several threads, and two resizing it
    /// together would corrupt it. A container made inside the iteration is its own.
    /// Mutation through a called function is not seen here.
    pub(crate) fn refuse_shared_container_change(&self, container: &ir::Expr, what: &str, span: Span) -> Result<()> {
        if !self.func.name.starts_with(CHUNK_PREFIX) || !matches!(container.ty, Type::List(_) | Type::Dict(..) | Type::Set(_)) {
            return Ok(());
        }
        let params = self.func.ast.as_ref().map_or(0, |def| def.params.len());
        let ExprKind::Local(id) = container.kind else { return Ok(()) };
        if id >= params {
            return Ok(());
        }
        let kind = match container.ty {
            Type::List(_) => "list",
            Type::Dict(..) => "dict",
            _ => "set",
        };
        Err(self.unsupported(
            span,
            format!("{what} changes a {kind} that the iterations of this `prange` loop share: they run at once on several threads, and would corrupt it"),
            Some("give each iteration its own result (an array item `out[i] = ...`, or a reduction `total += ...`), or loop with `range`"),
        ))
    }

    /// `prange'identity(value, "op")`: the identity of the reduction `op` (see [`Reduction`])
    /// for values of `value`'s type: a constant of that type, or a new array of its shape.
    pub(crate) fn reduction_identity(&mut self, args: &[Expr], span: Span) -> Result<ir::Expr> {
        let value = self.expr(&args[0])?;
        let K::Str(op) = &args[1].kind else { return Err(self.internal(span, "a reduction names its operator")) };
        let ty = value.ty.clone();
        let element = match &ty {
            Type::Array(a) => (*a.dtype).clone(),
            other => other.clone(),
        };
        let constant = match (op.as_str(), &element) {
            ("sum" | "or" | "xor", Type::Int(_) | Type::Bool) => int(0, &element, span),
            ("product", Type::Int(_) | Type::Bool) => int(1, &element, span),
            ("and", Type::Int(_)) => int(-1, &element, span),
            ("and", Type::Bool) => ir::Expr::new(ExprKind::Const(Const::Bool(true)), Type::Bool, span),
            ("min", Type::Int(i)) => int(if i.signed { (1i128 << (i.bits - 1)) - 1 } else { (1i128 << i.bits) - 1 }, &element, span),
            ("max", Type::Int(i)) => int(if i.signed { -(1i128 << (i.bits - 1)) } else { 0 }, &element, span),
            ("min", Type::Bool) => ir::Expr::new(ExprKind::Const(Const::Bool(true)), Type::Bool, span),
            ("max", Type::Bool) => ir::Expr::new(ExprKind::Const(Const::Bool(false)), Type::Bool, span),
            ("sum", Type::Float(_)) => ir::Expr::new(ExprKind::Const(Const::Float(0.0)), element.clone(), span),
            ("product", Type::Float(_)) => ir::Expr::new(ExprKind::Const(Const::Float(1.0)), element.clone(), span),
            ("min", Type::Float(_)) => ir::Expr::new(ExprKind::Const(Const::Float(f64::INFINITY)), element.clone(), span),
            ("max", Type::Float(_)) => ir::Expr::new(ExprKind::Const(Const::Float(f64::NEG_INFINITY)), element.clone(), span),
            ("sum", Type::Complex(_)) => ir::Expr::new(ExprKind::Const(Const::Complex(0.0, 0.0)), element.clone(), span),
            ("product", Type::Complex(_)) => ir::Expr::new(ExprKind::Const(Const::Complex(1.0, 0.0)), element.clone(), span),
            _ => {
                return Err(self.typing(
                    args[0].span,
                    format!("a `{op}` reduction of a `{ty}` in a `prange` loop is not supported"),
                    Some("reduce numbers or arrays of numbers (`+=`, `*=`, `min`, `max`, and `&=`, `|=`, `^=` on integers)"),
                ))
            }
        };
        if matches!(ty, Type::Array(_)) {
            return self.call_internal("numpy.full_like", vec![value, constant], span);
        }
        Ok(constant)
    }
}
