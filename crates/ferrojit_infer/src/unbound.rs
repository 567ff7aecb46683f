//! Variables without a value: which reads of a function's variables may find them unbound, and
//! the run-time checks that raise CPython's `UnboundLocalError` there.
//!
//! A variable of the function (a parameter, or a name it assigns) is unbound before its first
//! assignment and after `del` (see `deletions`). [`analyse`] is a forward "definite
//! assignment" analysis over the function's AST, run once per typing: it follows every path
//! through `if`/`else`, loops (whose body may run no time, or again after any iteration;
//! `break`, `continue`, `else` clauses), `return` and `raise`, the short-circuit operators,
//! `if` expressions and comprehensions (whose body may run no time), and tells, for each read
//! and each `del` of a variable, whether the variable is bound there on every path (nearly
//! always), on none, or on some. Code no path reaches is left out.
//!
//! The walks build the checks from it: a read bound on every path is a plain read; one bound on
//! no path raises (CPython's error, when the read runs: the path may never run); one bound on
//! some paths reads a flag, a bool local that each assignment of the variable sets and each
//! `del` clears. Only variables with such reads have a flag, and LLVM folds most of them away.
//! A local never assigned on the path taken holds zeros (codegen initialises every local), so
//! releasing the heap values of the locals at the function's exit skips it.
//!
//! Variables an inner function shares with the function live in cells, which raise by
//! themselves (see `closures`), and which the analysis does not describe (an inner function
//! may assign them, through `nonlocal`): an inner function reading a variable that may be
//! unbound where it is defined gets the variable as a cell (the analysis lists them), so that
//! its read raises CPython's `NameError` when it runs, as in CPython.

use crate::function::{collect_assigned, is_false_literal, is_true_literal, named_targets, FnInfer};
use ferrojit_ir::{self as ir, Const, ExcKind, ExprKind, LocalId, StmtKind};
use ferrojit_syntax::ast::{self, Span};
use ferrojit_types::Type;
use std::collections::HashMap;

/// Whether a variable has a value at a point, over the paths that reach it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Binding {
    Bound,
    Unbound,
    /// Bound on some paths only.
    Maybe,
}

impl Binding {
    fn join(self, other: Binding) -> Binding {
        if self == other {
            self
        } else {
            Binding::Maybe
        }
    }
}

/// What [`analyse`] found for one function.
#[derive(Default)]
pub(crate) struct Facts {
    /// Each read and `del` of a variable that a path reaches, by the span of its name: the
    /// variable's name and whether it is bound there.
    sites: HashMap<Span, (String, Binding)>,
    /// The variables that some read or `del` may find bound or unbound: those need a flag.
    maybe: Vec<String>,
    /// The variables an inner function (or a lambda) reads that may be unbound where it is
    /// defined.
    pub captured_unbound: Vec<String>,
}

impl Facts {
    /// Whether `name` is bound at its read (or `del`) at `span`; a site the analysis did not
    /// see (a read the compiler makes up) is bound.
    fn at(&self, name: &str, span: Span) -> Binding {
        match self.sites.get(&span) {
            Some((n, binding)) if n == name => *binding,
            _ => Binding::Bound,
        }
    }

    /// The reads (and `del`s) that some path reaches with the variable unbound: each
    /// variable's name and the read's span, in the order of the source.
    pub(crate) fn unbound_reads(&self) -> Vec<(String, Span)> {
        let mut out: Vec<(String, Span)> = self.sites.iter().filter(|(_, (_, b))| *b != Binding::Bound).map(|(span, (n, _))| (n.clone(), *span)).collect();
        out.sort_by_key(|(_, span)| (span.line, span.col));
        out
    }

    /// The bindings found at the reads (and `del`s) of `name` on `line`, for tests.
    #[cfg(test)]
    pub fn on_line(&self, name: &str, line: u32) -> Vec<Binding> {
        self.sites.iter().filter(|(span, (n, _))| span.line == line && n == name).map(|(_, (_, b))| *b).collect()
    }
}

/// Per variable (indexed as [`Analysis::index`]), whether it is bound on the paths reaching a
/// point; `None` where no path reaches.
type State = Option<Vec<Binding>>;

fn join(a: State, b: State) -> State {
    match (a, b) {
        (None, other) | (other, None) => other,
        (Some(mut a), Some(b)) => {
            for (x, y) in a.iter_mut().zip(b) {
                *x = x.join(y);
            }
            Some(a)
        }
    }
}

/// The definite-assignment analysis of `def` (see the module documentation).
pub(crate) fn analyse(def: &ast::FunctionDef) -> Facts {
    let mut names: Vec<String> = def.params.iter().map(|p| p.name.clone()).collect();
    let num_params = names.len();
    let mut assigned = Vec::new();
    collect_assigned(&def.body, &mut assigned);
    for name in assigned {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let index = names.iter().enumerate().map(|(i, n)| (n.clone(), i)).collect();
    let mut a = Analysis { index, sites: HashMap::new(), captured_unbound: Vec::new(), loops: Vec::new() };
    let mut state: State = Some((0..names.len()).map(|i| if i < num_params { Binding::Bound } else { Binding::Unbound }).collect());
    a.block(&def.body, &mut state);
    let mut maybe: Vec<String> = Vec::new();
    for (name, binding) in a.sites.values() {
        if *binding == Binding::Maybe && !maybe.contains(name) {
            maybe.push(name.clone());
        }
    }
    maybe.sort();
    Facts { sites: a.sites, maybe, captured_unbound: a.captured_unbound }
}

/// Whether `stmts` (at the top of a function's body) assign `name` on every path that comes
/// out of them.
pub(crate) fn assigns_on_every_path(stmts: &[ast::Stmt], name: &str) -> bool {
    let mut a = Analysis { index: HashMap::from([(name.to_string(), 0)]), sites: HashMap::new(), captured_unbound: Vec::new(), loops: Vec::new() };
    let mut state: State = Some(vec![Binding::Unbound]);
    a.block(stmts, &mut state);
    state.is_none_or(|s| s[0] == Binding::Bound)
}

struct Analysis {
    index: HashMap<String, usize>,
    sites: HashMap<Span, (String, Binding)>,
    captured_unbound: Vec<String>,
    /// Per loop around the statement being analysed, the states its `break`s leave it in.
    loops: Vec<State>,
}

impl Analysis {
    fn block(&mut self, stmts: &[ast::Stmt], s: &mut State) {
        for stmt in stmts {
            if s.is_none() {
                return;
            }
            self.stmt(stmt, s);
        }
    }

    fn stmt(&mut self, stmt: &ast::Stmt, s: &mut State) {
        use ast::StmtKind as K;
        match &stmt.kind {
            // The block reads the variables it is passed (each read checked at a span of its
            // own, see `objmode::argument_span`) and assigns its outputs.
            K::ObjMode(block) => {
                for (i, name) in block.reads.iter().enumerate() {
                    if !block.outputs.iter().any(|(n, _, _)| n == name) {
                        self.read(name, crate::objmode::argument_span(stmt.span, i), s);
                    }
                }
                block.outputs.iter().for_each(|(name, _, _)| self.set(name, Binding::Bound, s));
            }
            K::Assign { targets, value } => {
                self.expr(value, s);
                targets.iter().for_each(|t| self.target(t, s));
            }
            K::AugAssign { target, value, .. } => {
                match &target.kind {
                    ast::ExprKind::Name(name) => self.read(name, target.span, s),
                    _ => self.target_operands(target, s),
                }
                self.expr(value, s);
                self.target(target, s);
            }
            K::If { test, body, orelse } => {
                let (mut then, mut other) = self.cond(test, s.take());
                self.block(body, &mut then);
                self.block(orelse, &mut other);
                *s = join(then, other);
            }
            K::While { test, body, orelse } => {
                let head = self.loop_head(s.take(), stmt);
                let (mut here, ended) = self.cond(test, head);
                self.loops.push(None);
                self.block(body, &mut here);
                let breaks = self.loops.pop().expect("pushed");
                // The condition is false (never, for `while True`), then `else` runs.
                let mut after = ended;
                self.block(orelse, &mut after);
                *s = join(after, breaks);
            }
            K::For { target, iter, body, orelse } => {
                self.expr(iter, s);
                let head = self.loop_head(s.take(), stmt);
                let mut here = head.clone();
                self.target(target, &mut here);
                self.loops.push(None);
                self.block(body, &mut here);
                let breaks = self.loops.pop().expect("pushed");
                // No item left (perhaps none at all: the target is not assigned then).
                let mut after = head;
                self.block(orelse, &mut after);
                *s = join(after, breaks);
            }
            // `continue` goes back to the loop's head, which holds every state an iteration
            // can end in (see `loop_head`).
            K::Continue => *s = None,
            K::Break => {
                let taken = s.take();
                if let Some(breaks) = self.loops.last_mut() {
                    *breaks = join(breaks.take(), taken);
                }
            }
            K::Return(value) => {
                if let Some(v) = value {
                    self.expr(v, s);
                }
                *s = None;
            }
            K::Raise(e) => {
                self.expr(e, s);
                *s = None;
            }
            K::RaiseFrom { exc, cause } => {
                self.expr(exc, s);
                self.expr(cause, s);
                *s = None;
            }
            K::Reraise => *s = None,
            K::Assert { test, msg } => {
                let (holds, mut fails) = self.cond(test, s.take());
                // The message is evaluated only when the assertion fails, which raises.
                if let Some(m) = msg {
                    self.expr(m, &mut fails);
                }
                *s = holds;
            }
            K::Delete(targets) => {
                for t in targets {
                    match &t.kind {
                        ast::ExprKind::Name(name) => {
                            self.read(name, t.span, s);
                            self.set(name, Binding::Unbound, s);
                        }
                        _ => self.expr(t, s),
                    }
                }
            }
            K::Expr(e) | K::Yield(Some(e)) => self.expr(e, s),
            K::FunctionDef(inner) => {
                inner.params.iter().filter_map(|p| p.default.as_ref()).for_each(|d| self.expr(d, s));
                self.capture(inner, s);
                self.set(&inner.name, Binding::Bound, s);
            }
            K::Try { body, handlers, orelse, finalbody } => {
                // A handler starts from wherever the body raised: what the body assigns may be
                // bound or not, what it deletes too.
                let mut changed = Vec::new();
                collect_assigned(body, &mut changed);
                let mut deleted = Vec::new();
                deleted_names(body, &mut deleted);
                let entry = self.head_of(s.clone(), &changed, &deleted);
                // `finally` starts from anywhere in the rest (an exception, a `return`, a
                // `break` may leave at any point): analysed once from there, and the state
                // after the statement is the state after it, which covers the normal ends.
                let mut everything = Vec::new();
                collect_assigned(std::slice::from_ref(stmt), &mut everything);
                let mut deleted_anywhere = Vec::new();
                deleted_names(std::slice::from_ref(stmt), &mut deleted_anywhere);
                let final_entry = self.head_of(s.clone(), &everything, &deleted_anywhere);
                self.block(body, s);
                self.block(orelse, s);
                for handler in handlers {
                    let mut here = entry.clone();
                    if let Some(typ) = &handler.typ {
                        self.expr(typ, &mut here);
                    }
                    if let Some(name) = &handler.name {
                        self.set(name, Binding::Bound, &mut here);
                    }
                    self.block(&handler.body, &mut here);
                    if let Some(name) = &handler.name {
                        self.set(name, Binding::Unbound, &mut here);
                    }
                    *s = join(s.take(), here);
                }
                if !finalbody.is_empty() {
                    let mut after = final_entry;
                    self.block(finalbody, &mut after);
                    // Nothing after the statement runs when no part ends normally.
                    *s = if s.is_some() { after } else { None };
                }
            }
            K::Yield(None) | K::Pass | K::Nonlocal(_) => {}
        }
    }

    /// Stores into an assignment target.
    fn target(&mut self, t: &ast::Expr, s: &mut State) {
        match &t.kind {
            ast::ExprKind::Name(name) => self.set(name, Binding::Bound, s),
            ast::ExprKind::Tuple(items) | ast::ExprKind::List(items) => items.iter().for_each(|i| self.target(i, s)),
            ast::ExprKind::Starred(inner) => self.target(inner, s),
            _ => self.target_operands(t, s),
        }
    }

    /// The reads of a target that is not a name (`a[i]`, `a.real`): its container and index.
    fn target_operands(&mut self, t: &ast::Expr, s: &mut State) {
        match &t.kind {
            ast::ExprKind::Subscript { value, index } => {
                self.expr(value, s);
                self.expr(index, s);
            }
            ast::ExprKind::Attribute { value, .. } => self.expr(value, s),
            _ => self.expr(t, s),
        }
    }

    /// The reads in `e`, in the order Python evaluates them, and its `:=` stores.
    fn expr(&mut self, e: &ast::Expr, s: &mut State) {
        use ast::ExprKind as K;
        if s.is_none() {
            return;
        }
        match &e.kind {
            K::Name(name) => self.read(name, e.span, s),
            K::NamedExpr { target, value } => {
                self.expr(value, s);
                self.target(target, s);
            }
            K::BoolOp { .. } => {
                let (t, f) = self.cond(e, s.take());
                *s = join(t, f);
            }
            // Each comparison after the first is evaluated only when those before it held.
            K::Compare { left, comparators, .. } => {
                self.expr(left, s);
                let mut operands = comparators.iter();
                if let Some(first) = operands.next() {
                    self.expr(first, s);
                }
                let mut stops = s.clone();
                for c in operands {
                    self.expr(c, s);
                    stops = join(stops, s.clone());
                }
                *s = stops;
            }
            K::IfExp { test, body, orelse } => {
                let (mut then, mut other) = self.cond(test, s.take());
                self.expr(body, &mut then);
                self.expr(orelse, &mut other);
                *s = join(then, other);
            }
            K::ListComp { elt, generators, .. } | K::SetComp { elt, generators, .. } => self.comprehension(&[&**elt], generators, s),
            K::DictComp { key, value, generators, .. } => self.comprehension(&[&**key, &**value], generators, s),
            K::Lambda(inner) => {
                inner.params.iter().filter_map(|p| p.default.as_ref()).for_each(|d| self.expr(d, s));
                self.capture(inner, s);
            }
            _ => crate::closures::each_child(e, &mut |child| self.expr(child, s)),
        }
    }

    /// A condition evaluated in `s`: the states where it is true and where it is false (a
    /// `:=` in the second operand of `and` has run where the `and` is true). Each operand of
    /// `and`/`or` after the first is evaluated only when those before it did not decide.
    fn cond(&mut self, e: &ast::Expr, s: State) -> (State, State) {
        match &e.kind {
            ast::ExprKind::BoolOp { op, values } => {
                let and = *op == ast::BoolOp::And;
                let (mut on, mut decided): (State, State) = (s, None);
                for v in values {
                    let (t, f) = self.cond(v, on);
                    let (go_on, decides) = if and { (t, f) } else { (f, t) };
                    decided = join(decided, decides);
                    on = go_on;
                }
                if and {
                    (on, decided)
                } else {
                    (decided, on)
                }
            }
            ast::ExprKind::UnaryOp { op: ast::UnaryOp::Not, operand } => {
                let (t, f) = self.cond(operand, s);
                (f, t)
            }
            _ if is_true_literal(e) => (s, None),
            _ if is_false_literal(e) => (None, s),
            _ => {
                let mut s = s;
                self.expr(e, &mut s);
                (s.clone(), s)
            }
        }
    }

    /// A comprehension: its first iterable evaluated here, the rest in a loop per generator
    /// that may run no time (its targets are hidden names of its own scope, not tracked; a
    /// `:=` in it stores into the function's variable).
    fn comprehension(&mut self, parts: &[&ast::Expr], generators: &[ast::Comprehension], s: &mut State) {
        let Some(first) = generators.first() else { return };
        self.expr(&first.iter, s);
        let mut changed = Vec::new();
        for e in parts.iter().copied().chain(generators.iter().flat_map(|g| g.ifs.iter().chain(std::iter::once(&g.iter)))) {
            named_targets(e, &mut changed);
        }
        *s = self.comprehension_level(parts, generators, s.take(), &changed);
    }

    /// The loop of `generators[0]`, whose iterable is evaluated, starting in `entry`: the
    /// state when it has no item left. Only a `:=` in the comprehension changes a variable of
    /// the function (`changed`).
    fn comprehension_level(&mut self, parts: &[&ast::Expr], generators: &[ast::Comprehension], entry: State, changed: &[String]) -> State {
        let (g, inner) = generators.split_first().expect("a generator");
        let head = self.head_of(entry, changed, &[]);
        let mut here = head.clone();
        self.target(&g.target, &mut here);
        // An `if` that is false goes on with the next item (back to the head).
        for cond in &g.ifs {
            here = self.cond(cond, here).0;
        }
        match inner.first() {
            Some(next) => {
                self.expr(&next.iter, &mut here);
                self.comprehension_level(parts, inner, here, changed);
            }
            None => parts.iter().for_each(|p| self.expr(p, &mut here)),
        }
        head
    }

    /// The state at the start of every iteration of `stmt`, a loop entered in `entry`: an upper
    /// bound of the states an iteration can end in joined with `entry`, so that one pass over
    /// the body suffices (nested loops cost no more than their code). A variable the loop
    /// neither assigns nor deletes is as it was before it; one it only assigns stays bound if
    /// it was bound before; any other may be bound or not.
    fn loop_head(&self, entry: State, stmt: &ast::Stmt) -> State {
        let mut changed = Vec::new();
        collect_assigned(std::slice::from_ref(stmt), &mut changed);
        let mut deleted = Vec::new();
        deleted_names(std::slice::from_ref(stmt), &mut deleted);
        self.head_of(entry, &changed, &deleted)
    }

    fn head_of(&self, entry: State, changed: &[String], deleted: &[String]) -> State {
        let mut head = entry?;
        for name in changed.iter().chain(deleted) {
            if let Some(&i) = self.index.get(name) {
                if deleted.contains(name) || head[i] != Binding::Bound {
                    head[i] = Binding::Maybe;
                }
            }
        }
        Some(head)
    }

    /// An inner function defined here: the variables it reads that may be unbound now.
    fn capture(&mut self, inner: &ast::FunctionDef, s: &State) {
        let Some(state) = s else { return };
        for name in crate::closures::free_names(inner) {
            // Its own name, read to recurse, is bound by the `def` itself.
            if name == inner.name || self.captured_unbound.contains(&name) {
                continue;
            }
            if self.index.get(&name).is_some_and(|&i| state[i] != Binding::Bound) {
                self.captured_unbound.push(name);
            }
        }
    }

    fn read(&mut self, name: &str, span: Span, s: &State) {
        let (Some(state), Some(&i)) = (s, self.index.get(name)) else { return };
        let binding = match self.sites.get(&span) {
            Some((_, seen)) => seen.join(state[i]),
            None => state[i],
        };
        self.sites.insert(span, (name.to_string(), binding));
    }

    fn set(&mut self, name: &str, binding: Binding, s: &mut State) {
        if let (Some(state), Some(&i)) = (s.as_mut(), self.index.get(name)) {
            state[i] = binding;
        }
    }
}

/// The names `del` applies to in `stmts` and the statements nested in them.
fn deleted_names(stmts: &[ast::Stmt], out: &mut Vec<String>) {
    for s in stmts {
        match &s.kind {
            ast::StmtKind::Delete(targets) => {
                out.extend(targets.iter().filter_map(|t| match &t.kind {
                    ast::ExprKind::Name(n) => Some(n.clone()),
                    _ => None,
                }));
            }
            // `except E as e` deletes `e` when the clause ends.
            ast::StmtKind::Try { handlers, .. } => {
                out.extend(handlers.iter().filter_map(|h| h.name.clone()));
                s.kind.blocks().into_iter().for_each(|b| deleted_names(b, out));
            }
            kind => kind.blocks().into_iter().for_each(|b| deleted_names(b, out)),
        }
    }
}

/// The analysis of one function, and in each walk the flags of its variables (see the module
/// documentation).
#[derive(Default)]
pub(crate) struct Unbound {
    pub facts: Facts,
    /// In this walk: the flag of each variable in `facts.maybe` that is a plain local.
    flags: HashMap<String, LocalId>,
}

impl Unbound {
    pub fn of(def: &ast::FunctionDef) -> Unbound {
        Unbound { facts: analyse(def), flags: HashMap::new() }
    }
}

pub(crate) fn unbound_message(name: &str) -> String {
    format!("cannot access local variable '{name}' where it is not associated with a value")
}

impl FnInfer<'_> {
    /// At the start of a walk: the flags of the variables some read may find unbound, set for
    /// parameters (bound on entry) and clear for the others.
    pub(crate) fn start_unbound_flags(&mut self, span: Span) -> Vec<ir::Stmt> {
        self.unbound.flags.clear();
        let mut out = Vec::new();
        for name in self.unbound.facts.maybe.clone() {
            let Some(&id) = self.names.get(&name) else { continue };
            if self.cells.contains_key(&name) {
                continue;
            }
            let flag = self.temp(Type::Bool);
            let bound = ir::Expr::new(ExprKind::Const(Const::Bool(id < self.args.len())), Type::Bool, span);
            out.push(ir::Stmt { kind: StmtKind::Assign { local: flag, value: bound }, span });
            self.unbound.flags.insert(name, flag);
        }
        out
    }

    /// After an assignment to `name`: it is bound.
    pub(crate) fn bound_again(&mut self, name: &str, span: Span, out: &mut Vec<ir::Stmt>) {
        if let Some(&flag) = self.unbound.flags.get(name) {
            let set = ir::Expr::new(ExprKind::Const(Const::Bool(true)), Type::Bool, span);
            out.push(ir::Stmt { kind: StmtKind::Assign { local: flag, value: set }, span });
        }
    }

    /// After `del name`: it is unbound.
    pub(crate) fn unbound_now(&mut self, name: &str, span: Span, out: &mut Vec<ir::Stmt>) {
        if let Some(&flag) = self.unbound.flags.get(name) {
            let clear = ir::Expr::new(ExprKind::Const(Const::Bool(false)), Type::Bool, span);
            out.push(ir::Stmt { kind: StmtKind::Assign { local: flag, value: clear }, span });
        }
    }

    /// A read of the variable `name` (`value`, its local) at `span`: as it is where the
    /// variable is bound on every path, raising CPython's `UnboundLocalError` first where it
    /// may not be.
    pub(crate) fn checked_read(&mut self, name: &str, value: ir::Expr, span: Span) -> ir::Expr {
        let check = self.binding_check(name, span);
        if check.is_empty() {
            return value;
        }
        let ty = value.ty.clone();
        ir::Expr::new(ExprKind::Block { stmts: check, value: value.boxed() }, ty, span)
    }

    /// The statements raising CPython's `UnboundLocalError` when `name` is unbound at its read
    /// (or `del`) at `span`: none where it is bound on every path, the raise where it is bound
    /// on none, a test of its flag where on some.
    pub(crate) fn binding_check(&self, name: &str, span: Span) -> Vec<ir::Stmt> {
        let raise = || ir::Stmt { kind: StmtKind::Raise { exc: ExcKind::UnboundLocalError, msg: Some(unbound_message(name)) }, span };
        match self.unbound.facts.at(name, span) {
            Binding::Bound => Vec::new(),
            Binding::Unbound => vec![raise()],
            Binding::Maybe => {
                let Some(&flag) = self.unbound.flags.get(name) else { return Vec::new() };
                let unset = ir::Expr::new(ExprKind::Unary { op: ir::UnaryOp::Not, operand: self.local_expr(flag, span).boxed() }, Type::Bool, span);
                vec![ir::Stmt { kind: StmtKind::If { cond: unset, then_body: vec![raise()], else_body: vec![] }, span }]
            }
        }
    }
}
