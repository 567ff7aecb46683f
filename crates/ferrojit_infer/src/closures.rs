//! Functions as values: inner functions (`def` inside a compiled function), lambdas, and
//! compiled functions passed around or stored in variables, all typed [`Type::Function`].
//!
//! An inner function is compiled as a function of its own, "lifted" out of the function that
//! defines it: its parameters are the enclosing variables it reads (its captures), then one
//! per default of its own parameters, then its own parameters. Where the enclosing function
//! runs the `def` (or evaluates the `lambda`), it builds the function value: the tuple of the
//! captured values and the evaluated defaults, typed `Type::Function` (a type per function, so
//! that calls are direct and a function taking one is compiled once per function passed, as
//! Numba does). A call of a function value passes those values first, then the call's own
//! arguments bound to the function's own parameters, the defaults taken from the value.
//!
//! Capture is by value, when the `def` runs, for a variable that cannot change afterwards.
//! Python's closures read the variable when the inner function runs: a variable that an inner
//! function assigns (`nonlocal`) or that may change after the `def` (assigned after it, or in
//! a loop around it) lives in a [`Cell`] instead, a list of at most one item made when the
//! function starts, and inner functions capture the cell.
//!
//! A module-level `@njit` function used as a value captures nothing: its value is the empty
//! tuple, and a call of it is a call of the function. A built-in or library callable (`abs`,
//! `math.sqrt`, `operator.add`) used as a value is the same, its calls those of the callable.
//!
//! Every function that can be a value is recorded here by id, for the whole process: a value
//! of its type may reach code compiled later (returned by a callee, passed in from Python).

use crate::bind::Signature;
use crate::env::{FunctionSource, GlobalEnv, GlobalValue};
use crate::expr::Value;
use crate::function::{collect_assigned, FnInfer, Result};
use ferrojit_ir::{self as ir, ExcKind, ExprKind};
use ferrojit_syntax::ast::{self, Span};
use ferrojit_types::{FunctionType, Type};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// An inner function lifted out of the function defining it.
pub(crate) struct Lifted {
    pub source: Arc<FunctionSource>,
    /// The enclosing variables it reads, in the order of its first parameters.
    pub captured: Vec<String>,
    /// For each of its own parameters, whether it has a default: the defaults follow the
    /// captured variables, in the order of the parameters that have one.
    pub has_default: Vec<bool>,
    /// The `def`'s name, which its body reads to call itself (`None` for a lambda).
    pub own_name: Option<String>,
    /// The captured variables that are the enclosing function's cells (the parameter is the
    /// cell, see [`Cell`]).
    pub cells: Vec<String>,
    /// The enclosing function's name, which errors in a `prange` loop's chunk function (whose
    /// own name is hidden) name.
    pub enclosing_name: String,
}

/// A variable that lives in a cell, a list of one item (none before the variable is first
/// assigned), rather than in a local: one that an
/// inner function assigns (`nonlocal`), or reads while it may still change (it is assigned
/// after the inner function is defined, or in a loop around the definition). The function
/// defining the variable makes the cell when it starts; its inner functions capture the cell
/// itself, so that each reads and writes the variable as it is when it runs, as in Python.
pub(crate) struct Cell {
    /// The type of the variable's values: the unification of what is assigned to it (fixed
    /// in an inner function that captured the cell).
    item: Option<Type>,
    /// The local holding the cell in this walk (`None` while the item type is unknown).
    local: Option<ir::LocalId>,
    /// For a parameter of the function defining the cell: the parameter, copied in at entry.
    param: Option<ir::LocalId>,
    /// Whether the cell is an enclosing function's, captured (then `local` is the parameter).
    captured: bool,
}

impl Lifted {
    /// How many leading parameters the function value supplies.
    fn supplied(&self) -> usize {
        self.captured.len() + self.has_default.iter().filter(|d| **d).count()
    }
}

#[derive(Default)]
struct Registry {
    /// Every function that has been a value, by id.
    sources: HashMap<u64, Arc<FunctionSource>>,
    /// Lifted inner functions by id.
    lifted: HashMap<u64, Arc<Lifted>>,
    /// Lifted inner functions by where they are defined (the enclosing function's id and the
    /// `def`'s or `lambda`'s position): one lifted function per definition, however many
    /// times and for however many signatures the enclosing function is typed.
    by_definition: HashMap<(u64, u32, u32), u64>,
    /// Built-in and library callables used as values, by id, and their ids by qualified name.
    library: HashMap<u64, GlobalValue>,
    library_ids: HashMap<String, u64>,
}

fn registry() -> std::sync::MutexGuard<'static, Registry> {
    static REGISTRY: OnceLock<Mutex<Registry>> = OnceLock::new();
    REGISTRY.get_or_init(Default::default).lock().unwrap_or_else(|p| p.into_inner())
}

/// The type of `source` as a value that captures nothing (a module-level compiled function),
/// recording the function so that calls of the value find it.
pub fn plain_function_type(source: &Arc<FunctionSource>) -> Type {
    registry().sources.entry(source.id).or_insert_with(|| source.clone());
    Type::Function(Box::new(FunctionType { id: source.id, name: source.name.clone(), captures: Vec::new() }))
}

/// The type of a built-in or library callable (`abs`, `math.sqrt`, `operator.add`) as a value,
/// recording it so that calls of the value call it.
fn library_function_type(callable: GlobalValue) -> Type {
    let (key, shown) = match &callable {
        GlobalValue::Function(q) => (q.clone(), q.rsplit('.').next().unwrap_or(q).to_string()),
        GlobalValue::Overloaded(k) => (format!("overloaded {k}"), crate::overloads::display_name(*k)),
        _ => unreachable!("only built-in and library callables are library function values"),
    };
    let mut r = registry();
    let id = match r.library_ids.get(&key) {
        Some(id) => *id,
        None => {
            static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(3 << 61);
            let id = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            r.library_ids.insert(key, id);
            r.library.insert(id, callable);
            id
        }
    };
    Type::Function(Box::new(FunctionType { id, name: shown, captures: Vec::new() }))
}

fn library_callable(id: u64) -> Option<GlobalValue> {
    registry().library.get(&id).cloned()
}

fn source_of(id: u64) -> Option<Arc<FunctionSource>> {
    registry().sources.get(&id).cloned()
}

pub(crate) fn lifted(id: u64) -> Option<Arc<Lifted>> {
    registry().lifted.get(&id).cloned()
}

/// Whether a value of `ty` holds a function (which Python cannot receive).
pub(crate) fn holds_function(ty: &Type) -> bool {
    match ty {
        Type::Function(_) => true,
        Type::Tuple(items) => items.iter().any(holds_function),
        Type::NamedTuple(n) => n.items.iter().any(holds_function),
        Type::List(item) | Type::Set(item) => holds_function(item),
        Type::Dict(k, v) => holds_function(k) || holds_function(v),
        _ => false,
    }
}

/// The globals of a lifted function: its enclosing function's.
struct EnclosingGlobals(Arc<FunctionSource>);

impl GlobalEnv for EnclosingGlobals {
    fn lookup(&self, name: &str) -> Option<GlobalValue> {
        self.0.globals.lookup(name)
    }

    fn enclosing_function_of(&self, name: &str) -> Option<String> {
        self.0.globals.enclosing_function_of(name)
    }

    fn objmode_block(&self, filename: &str, first_line: u32, body: &str, args: &[(String, Type)], outputs: &[(String, Type)]) -> std::result::Result<u64, String> {
        self.0.globals.objmode_block(filename, first_line, body, args, outputs)
    }
}

/// The lifted function for `def` defined in `parent`, made on first use.
fn lift(parent: &Arc<FunctionSource>, def: &ast::FunctionDef, captured: Vec<String>, cells: Vec<String>) -> Arc<Lifted> {
    let at = (parent.id, def.span.line, def.span.col);
    let mut r = registry();
    if let Some(id) = r.by_definition.get(&at) {
        return r.lifted[id].clone();
    }
    // Ids of Python functions count up from 1 and overload specialisations down from the top;
    // lifted functions take their own range.
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1 << 62);
    let id = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let has_default: Vec<bool> = def.params.iter().map(|p| p.default.is_some()).collect();
    let hidden = |name: &str| ast::Param { name: name.to_string(), span: def.span, kind: ast::ParamKind::Positional, default: None };
    // The defaults' parameters are hidden names (`x'default`): no user name can clash.
    let mut params: Vec<ast::Param> = captured.iter().map(|n| hidden(n)).collect();
    params.extend(def.params.iter().filter(|p| p.default.is_some()).map(|p| hidden(&format!("{}'default", p.name))));
    params.extend(def.params.iter().map(|p| ast::Param { default: None, ..p.clone() }));
    let lifted_def = ast::FunctionDef { name: def.name.clone(), params, body: def.body.clone(), span: def.span, hidden_locals: def.hidden_locals.clone() };
    let num_params = lifted_def.params.len();
    let source = Arc::new(FunctionSource {
        id,
        name: def.name.clone(),
        source: parent.source.clone(),
        ast: Ok(lifted_def),
        globals: Box::new(EnclosingGlobals(parent.clone())),
        defaults: vec![None; num_params],
        library: parent.library,
        parallel: parent.parallel,
    });
    let own_name = (def.name != "<lambda>").then(|| def.name.clone());
    let lifted = Arc::new(Lifted { source: source.clone(), captured, has_default, own_name, cells, enclosing_name: parent.name.clone() });
    r.sources.insert(id, source);
    r.lifted.insert(id, lifted.clone());
    r.by_definition.insert(at, id);
    lifted
}

/// The cells of `func` typed for `args` (see [`Cell`]): the captured cells of a lifted
/// function, and the variables of its own that inner functions share with it, those that may
/// be unbound where an inner function is defined (`captured_unbound`, see `unbound`) among
/// them: the inner function's read raises then, when it runs, as in Python.
pub(crate) fn cells_of(func: &FunctionSource, def: &ast::FunctionDef, args: &[Type], names: &HashMap<String, ir::LocalId>, captured_unbound: &[String]) -> HashMap<String, Cell> {
    let mut cells = HashMap::new();
    if let Some(lifted) = lifted(func.id) {
        for name in &lifted.cells {
            let id = names[name];
            let item = match &args[id] {
                Type::List(item) => Some((**item).clone()),
                _ => None,
            };
            cells.insert(name.clone(), Cell { item, local: Some(id), param: None, captured: true });
        }
    }
    for name in cell_variables(def).into_iter().chain(captured_unbound.iter().cloned()) {
        let Some(&id) = names.get(&name) else { continue };
        if cells.contains_key(&name) {
            continue;
        }
        let param = (id < args.len()).then_some(id);
        cells.insert(name, Cell { item: param.map(|p| args[p].clone()), local: None, param, captured: false });
    }
    cells
}

/// The names that inner functions of `def` read (or assign) while they may change: assigned
/// by an inner function (`nonlocal`), assigned after the inner function is defined, or
/// assigned in a loop around its definition. Not filtered to `def`'s own variables.
fn cell_variables(def: &ast::FunctionDef) -> Vec<String> {
    let mut out = Vec::new();
    let mut note = |inner: &ast::FunctionDef, loops: &[Vec<String>]| {
        let assigned_inside = deep_nonlocal_names(&inner.body);
        for name in free_names(inner) {
            if name == inner.name || out.contains(&name) {
                continue;
            }
            let changes = assigned_inside.contains(&name) || assigned_after(&def.body, &name, inner.span.line).is_some() || loops.iter().any(|assigned| assigned.contains(&name));
            if changes {
                out.push(name);
            }
        }
    };
    inner_functions_of_stmts(&def.body, &mut Vec::new(), &mut note);
    out
}

/// The names declared `nonlocal` anywhere in `stmts`, inner functions' included.
fn deep_nonlocal_names(stmts: &[ast::Stmt]) -> Vec<String> {
    let mut out = nonlocal_names(stmts);
    inner_functions_of_stmts(stmts, &mut Vec::new(), &mut |inner, _| out.extend(deep_nonlocal_names(&inner.body)));
    out
}

/// Calls `f` with each inner function defined directly in `stmts` (not inside another inner
/// function) and the names assigned by each loop around it, outermost first.
fn inner_functions_of_stmts<'a>(stmts: &'a [ast::Stmt], loops: &mut Vec<Vec<String>>, f: &mut impl FnMut(&'a ast::FunctionDef, &[Vec<String>])) {
    for s in stmts {
        match &s.kind {
            ast::StmtKind::FunctionDef(inner) => {
                inner.params.iter().filter_map(|p| p.default.as_ref()).for_each(|d| inner_functions_of_expr(d, loops, f));
                f(inner, loops);
            }
            ast::StmtKind::For { iter, .. } => {
                inner_functions_of_expr(iter, loops, f);
                let mut assigned = Vec::new();
                collect_assigned(std::slice::from_ref(s), &mut assigned);
                loops.push(assigned);
                if let ast::StmtKind::For { body, orelse, .. } = &s.kind {
                    inner_functions_of_stmts(body, loops, f);
                    inner_functions_of_stmts(orelse, loops, f);
                }
                loops.pop();
            }
            ast::StmtKind::While { test, body, orelse } => {
                let mut assigned = Vec::new();
                collect_assigned(std::slice::from_ref(s), &mut assigned);
                loops.push(assigned);
                inner_functions_of_expr(test, loops, f);
                inner_functions_of_stmts(body, loops, f);
                inner_functions_of_stmts(orelse, loops, f);
                loops.pop();
            }
            ast::StmtKind::If { test, body, orelse } => {
                inner_functions_of_expr(test, loops, f);
                inner_functions_of_stmts(body, loops, f);
                inner_functions_of_stmts(orelse, loops, f);
            }
            ast::StmtKind::Try { handlers, .. } => {
                handlers.iter().filter_map(|h| h.typ.as_ref()).for_each(|e| inner_functions_of_expr(e, loops, f));
                s.kind.blocks().into_iter().for_each(|b| inner_functions_of_stmts(b, loops, f));
            }
            ast::StmtKind::Assign { targets, value } => {
                targets.iter().chain([value]).for_each(|e| inner_functions_of_expr(e, loops, f));
            }
            ast::StmtKind::AugAssign { target, value, .. } => [target, value].into_iter().for_each(|e| inner_functions_of_expr(e, loops, f)),
            ast::StmtKind::Return(Some(e)) | ast::StmtKind::Raise(e) | ast::StmtKind::Expr(e) | ast::StmtKind::Yield(Some(e)) => inner_functions_of_expr(e, loops, f),
            ast::StmtKind::RaiseFrom { exc, cause } => [exc, cause].into_iter().for_each(|e| inner_functions_of_expr(e, loops, f)),
            ast::StmtKind::Assert { test, msg } => [Some(test), msg.as_ref()].into_iter().flatten().for_each(|e| inner_functions_of_expr(e, loops, f)),
            ast::StmtKind::Delete(targets) => targets.iter().for_each(|e| inner_functions_of_expr(e, loops, f)),
            ast::StmtKind::Return(None) | ast::StmtKind::Yield(None) | ast::StmtKind::Break | ast::StmtKind::Continue | ast::StmtKind::Reraise | ast::StmtKind::Pass | ast::StmtKind::Nonlocal(_) | ast::StmtKind::ObjMode(_) => {}
        }
    }
}

/// Calls `f` with each expression of `s` itself, not those of the statements nested in it
/// (an inner function's defaults are its definition's).
pub(crate) fn statement_expressions<'a>(s: &'a ast::Stmt, f: &mut impl FnMut(&'a ast::Expr)) {
    match &s.kind {
        ast::StmtKind::Assign { targets, value } => targets.iter().chain([value]).for_each(f),
        ast::StmtKind::AugAssign { target, value, .. } => [target, value].into_iter().for_each(f),
        ast::StmtKind::If { test, .. } | ast::StmtKind::While { test, .. } => f(test),
        ast::StmtKind::For { target, iter, .. } => [target, iter].into_iter().for_each(f),
        ast::StmtKind::Return(Some(e)) | ast::StmtKind::Yield(Some(e)) | ast::StmtKind::Raise(e) | ast::StmtKind::Expr(e) => f(e),
        ast::StmtKind::RaiseFrom { exc, cause } => [exc, cause].into_iter().for_each(f),
        ast::StmtKind::Assert { test, msg } => [Some(test), msg.as_ref()].into_iter().flatten().for_each(f),
        ast::StmtKind::Delete(targets) => targets.iter().for_each(f),
        ast::StmtKind::FunctionDef(inner) => inner.params.iter().filter_map(|p| p.default.as_ref()).for_each(f),
        ast::StmtKind::Try { handlers, .. } => handlers.iter().filter_map(|h| h.typ.as_ref()).for_each(f),
        ast::StmtKind::Return(None) | ast::StmtKind::Yield(None) | ast::StmtKind::Break | ast::StmtKind::Continue | ast::StmtKind::Reraise | ast::StmtKind::Pass | ast::StmtKind::Nonlocal(_) | ast::StmtKind::ObjMode(_) => {}
    }
}

/// The lambdas in `e` (a comprehension is a loop around its element and conditions).
fn inner_functions_of_expr<'a>(e: &'a ast::Expr, loops: &mut Vec<Vec<String>>, f: &mut impl FnMut(&'a ast::FunctionDef, &[Vec<String>])) {
    use ast::ExprKind as K;
    let comprehension = |parts: Vec<&'a ast::Expr>, generators: &'a [ast::Comprehension], loops: &mut Vec<Vec<String>>, f: &mut dyn FnMut(&'a ast::Expr, &mut Vec<Vec<String>>)| {
        let mut names = Vec::new();
        for g in generators {
            let mut read = Vec::new();
            expr_reads(&g.target, &mut read);
            names.extend(read);
        }
        if let Some(first) = generators.first() {
            f(&first.iter, loops);
        }
        loops.push(names);
        for g in generators.iter().skip(1) {
            f(&g.iter, loops);
        }
        generators.iter().flat_map(|g| &g.ifs).for_each(|c| f(c, loops));
        parts.into_iter().for_each(|p| f(p, loops));
        loops.pop();
    };
    match &e.kind {
        K::Lambda(inner) => {
            inner.params.iter().filter_map(|p| p.default.as_ref()).for_each(|d| inner_functions_of_expr(d, loops, f));
            f(inner, loops);
        }
        K::ListComp { elt, generators, .. } | K::SetComp { elt, generators, .. } => comprehension(vec![elt], generators, loops, &mut |x, l| inner_functions_of_expr(x, l, f)),
        K::DictComp { key, value, generators, .. } => comprehension(vec![key, value], generators, loops, &mut |x, l| inner_functions_of_expr(x, l, f)),
        _ => each_child(e, &mut |x| inner_functions_of_expr(x, loops, f)),
    }
}

/// Calls `f` with each direct sub-expression of `e` (not looking into lambdas).
pub(crate) fn each_child<'a>(e: &'a ast::Expr, f: &mut impl FnMut(&'a ast::Expr)) {
    use ast::ExprKind as K;
    match &e.kind {
        K::Int(_) | K::Float(_) | K::Imag(_) | K::Bool(_) | K::None | K::Ellipsis | K::Str(_) | K::Bytes(_) | K::Name(_) | K::Lambda(_) => {}
        K::FString(parts) => ast::FStringPart::values(parts).into_iter().for_each(f),
        K::Attribute { value, .. } | K::UnaryOp { operand: value, .. } | K::Starred(value) => f(value),
        K::Subscript { value, index } | K::NamedExpr { target: value, value: index } => {
            f(value);
            f(index);
        }
        K::Slice { lower, upper, step } => [lower, upper, step].into_iter().flatten().for_each(|x| f(x)),
        K::Tuple(items) | K::List(items) | K::Set(items) | K::BoolOp { values: items, .. } => items.iter().for_each(f),
        K::Dict { keys, values } => keys.iter().chain(values).for_each(f),
        K::SetComp { elt, generators, .. } | K::ListComp { elt, generators, .. } => {
            f(elt);
            generators.iter().for_each(|g| [&g.target, &g.iter].into_iter().chain(&g.ifs).for_each(&mut *f));
        }
        K::DictComp { key, value, generators, .. } => {
            f(key);
            f(value);
            generators.iter().for_each(|g| [&g.target, &g.iter].into_iter().chain(&g.ifs).for_each(&mut *f));
        }
        K::BinOp { left, right, .. } => {
            f(left);
            f(right);
        }
        K::Compare { left, comparators, .. } => {
            f(left);
            comparators.iter().for_each(f);
        }
        K::IfExp { test, body, orelse } => [test, body, orelse].into_iter().for_each(|x| f(x)),
        K::Call { func, args, keywords } => {
            f(func);
            args.iter().for_each(&mut *f);
            keywords.iter().for_each(|k| f(&k.value));
        }
    }
}

// ---- names -------------------------------------------------------------------------------

/// The names `def` reads that it does not bind (its free variables), in order of first use,
/// including those its own inner functions read from it. The defaults of its parameters are
/// not included: they are evaluated where `def` is.
pub(crate) fn free_names(def: &ast::FunctionDef) -> Vec<String> {
    let mut bound: Vec<String> = def.params.iter().map(|p| p.name.clone()).collect();
    crate::function::collect_assigned(&def.body, &mut bound);
    bound.extend(def.hidden_locals.iter().cloned());
    let nonlocal = nonlocal_names(&def.body);
    let mut read = Vec::new();
    stmts_reads(&def.body, &mut read);
    let mut out: Vec<String> = Vec::new();
    for name in read {
        if (!bound.contains(&name) || nonlocal.contains(&name)) && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// The names declared `nonlocal` directly in `stmts` (not in inner functions).
pub(crate) fn nonlocal_names(stmts: &[ast::Stmt]) -> Vec<String> {
    let mut out = Vec::new();
    for s in stmts {
        match &s.kind {
            ast::StmtKind::Nonlocal(names) => out.extend(names.iter().cloned()),
            kind => kind.blocks().into_iter().for_each(|b| out.extend(nonlocal_names(b))),
        }
    }
    out
}

/// The names `s` reads (those its inner functions read included).
pub(crate) fn statement_reads(s: &ast::Stmt, out: &mut Vec<String>) {
    stmts_reads(std::slice::from_ref(s), out);
}

fn stmts_reads(stmts: &[ast::Stmt], out: &mut Vec<String>) {
    for s in stmts {
        match &s.kind {
            ast::StmtKind::Assign { targets, value } => {
                targets.iter().for_each(|t| expr_reads(t, out));
                expr_reads(value, out);
            }
            ast::StmtKind::AugAssign { target, value, .. } => {
                expr_reads(target, out);
                expr_reads(value, out);
            }
            ast::StmtKind::If { test, body, orelse } | ast::StmtKind::While { test, body, orelse } => {
                expr_reads(test, out);
                stmts_reads(body, out);
                stmts_reads(orelse, out);
            }
            ast::StmtKind::For { target, iter, body, orelse } => {
                expr_reads(target, out);
                expr_reads(iter, out);
                stmts_reads(body, out);
                stmts_reads(orelse, out);
            }
            ast::StmtKind::Return(Some(e)) | ast::StmtKind::Raise(e) | ast::StmtKind::Expr(e) | ast::StmtKind::Yield(Some(e)) => expr_reads(e, out),
            ast::StmtKind::RaiseFrom { exc, cause } => [exc, cause].into_iter().for_each(|e| expr_reads(e, out)),
            ast::StmtKind::Assert { test, msg } => {
                expr_reads(test, out);
                msg.iter().for_each(|m| expr_reads(m, out));
            }
            ast::StmtKind::Delete(targets) => targets.iter().for_each(|t| expr_reads(t, out)),
            ast::StmtKind::FunctionDef(inner) => function_reads(inner, out),
            ast::StmtKind::Nonlocal(names) => out.extend(names.iter().cloned()),
            // The block's body is Python code: what it reads is passed to it.
            ast::StmtKind::ObjMode(block) => out.extend(block.reads.iter().cloned()),
            ast::StmtKind::Try { handlers, .. } => {
                handlers.iter().filter_map(|h| h.typ.as_ref()).for_each(|e| expr_reads(e, out));
                s.kind.blocks().into_iter().for_each(|b| stmts_reads(b, out));
            }
            ast::StmtKind::Return(None) | ast::StmtKind::Yield(None) | ast::StmtKind::Break | ast::StmtKind::Continue | ast::StmtKind::Reraise | ast::StmtKind::Pass => {}
        }
    }
}

/// What defining `inner` reads in the function defining it: its defaults and its free names.
fn function_reads(inner: &ast::FunctionDef, out: &mut Vec<String>) {
    inner.params.iter().filter_map(|p| p.default.as_ref()).for_each(|d| expr_reads(d, out));
    out.extend(free_names(inner));
}

fn expr_reads(e: &ast::Expr, out: &mut Vec<String>) {
    use ast::ExprKind as K;
    match &e.kind {
        K::Name(n) => out.push(n.clone()),
        K::Int(_) | K::Float(_) | K::Imag(_) | K::Bool(_) | K::None | K::Ellipsis | K::Str(_) | K::Bytes(_) => {}
        K::FString(parts) => ast::FStringPart::values(parts).into_iter().for_each(|x| expr_reads(x, out)),
        K::Attribute { value, .. } | K::Starred(value) => expr_reads(value, out),
        // The target as a loop's target is: a name the function binds.
        K::Subscript { value, index } | K::NamedExpr { target: value, value: index } => {
            expr_reads(value, out);
            expr_reads(index, out);
        }
        K::Slice { lower, upper, step } => [lower, upper, step].into_iter().flatten().for_each(|x| expr_reads(x, out)),
        K::Tuple(items) | K::List(items) | K::Set(items) => items.iter().for_each(|x| expr_reads(x, out)),
        K::Dict { keys, values } => keys.iter().chain(values).for_each(|x| expr_reads(x, out)),
        K::SetComp { elt, generators, .. } | K::ListComp { elt, generators, .. } => {
            expr_reads(elt, out);
            comprehension_reads(generators, out);
        }
        K::DictComp { key, value, generators, .. } => {
            expr_reads(key, out);
            expr_reads(value, out);
            comprehension_reads(generators, out);
        }
        K::BinOp { left, right, .. } => {
            expr_reads(left, out);
            expr_reads(right, out);
        }
        K::UnaryOp { operand, .. } => expr_reads(operand, out),
        K::BoolOp { values, .. } => values.iter().for_each(|x| expr_reads(x, out)),
        K::Compare { left, comparators, .. } => {
            expr_reads(left, out);
            comparators.iter().for_each(|x| expr_reads(x, out));
        }
        K::IfExp { test, body, orelse } => [test, body, orelse].into_iter().for_each(|x| expr_reads(x, out)),
        K::Call { func, args, keywords } => {
            expr_reads(func, out);
            args.iter().for_each(|x| expr_reads(x, out));
            keywords.iter().for_each(|k| expr_reads(&k.value, out));
        }
        K::Lambda(inner) => function_reads(inner, out),
    }
}

fn comprehension_reads(generators: &[ast::Comprehension], out: &mut Vec<String>) {
    for g in generators {
        expr_reads(&g.target, out);
        expr_reads(&g.iter, out);
        g.ifs.iter().for_each(|x| expr_reads(x, out));
    }
}

/// The first statement in `stmts` (at any depth, not in inner functions) after line `line`
/// that assigns `name`.
fn assigned_after(stmts: &[ast::Stmt], name: &str, line: u32) -> Option<Span> {
    for s in stmts {
        let nested = match &s.kind {
            ast::StmtKind::If { body, orelse, .. } | ast::StmtKind::While { body, orelse, .. } => assigned_after(body, name, line).or_else(|| assigned_after(orelse, name, line)),
            ast::StmtKind::For { body, orelse, .. } => assigned_after(body, name, line).or_else(|| assigned_after(orelse, name, line)),
            ast::StmtKind::Try { .. } => s.kind.blocks().into_iter().find_map(|b| assigned_after(b, name, line)),
            _ => None,
        };
        if nested.is_some() {
            return nested;
        }
        if s.span.line > line {
            let mut here = Vec::new();
            let own = match &s.kind {
                ast::StmtKind::If { .. } | ast::StmtKind::While { .. } | ast::StmtKind::Try { .. } => Vec::new(),
                ast::StmtKind::For { target, .. } => {
                    let target = ast::Stmt { kind: ast::StmtKind::Assign { targets: vec![target.clone()], value: target.clone() }, span: s.span };
                    vec![target]
                }
                _ => vec![s.clone()],
            };
            crate::function::collect_assigned(&own, &mut here);
            if here.iter().any(|n| n == name) {
                return Some(s.span);
            }
        }
    }
    None
}

// ---- typing --------------------------------------------------------------------------------

fn int(v: i128, span: Span) -> ir::Expr {
    ir::Expr::new(ExprKind::Const(ir::Const::Int(v)), Type::INT64, span)
}

impl FnInfer<'_> {
    /// The value of the inner function `def` (a `def` statement's or a `lambda`'s) where it is
    /// defined: the tuple of the enclosing variables it reads and of its defaults.
    pub(crate) fn function_definition(&mut self, def: &ast::FunctionDef, span: Span) -> Result<ir::Expr> {
        let own_name = (def.name != "<lambda>").then_some(def.name.as_str());
        let captured: Vec<String> = free_names(def).into_iter().filter(|n| self.names.contains_key(n) && Some(n.as_str()) != own_name).collect();
        for name in nonlocal_names(&def.body) {
            if !self.names.contains_key(&name) {
                return Err(self.typing(span, format!("no binding for nonlocal `{name}` found in the enclosing function"), Some("assign the variable in the enclosing function first")));
            }
        }
        let mut items = Vec::new();
        for name in &captured {
            items.push(match self.cells.get(name) {
                // The cell itself, not its value.
                Some(cell) => match cell.local {
                    Some(local) => self.local_expr(local, span),
                    None => return Err(self.pending_or(self.typing(span, format!("variable `{name}` is used before it is assigned"), Some("assign it on every path before this line")))),
                },
                None => {
                    let read = ast::Expr { kind: ast::ExprKind::Name(name.clone()), span };
                    self.expr(&read)?
                }
            });
        }
        let cells: Vec<String> = captured.iter().filter(|n| self.cells.contains_key(*n)).cloned().collect();
        for p in &def.params {
            if let Some(d) = &p.default {
                items.push(self.expr(d)?);
            }
        }
        let lifted = lift(self.func, def, captured, cells);
        let ty = Type::Function(Box::new(FunctionType { id: lifted.source.id, name: def.name.clone(), captures: items.iter().map(|i| i.ty.clone()).collect() }));
        Ok(ir::Expr::new(ExprKind::Tuple(items), ty, span))
    }

    /// The statements that make this walk's cells, at the start of the function (see
    /// [`Cell`]): a cell whose type is known yet is a new list of one item, a parameter's
    /// holding the argument.
    pub(crate) fn make_cells(&mut self, span: Span) -> Vec<ir::Stmt> {
        let mut names: Vec<String> = self.cells.iter().filter(|(_, c)| !c.captured).map(|(n, _)| n.clone()).collect();
        names.sort();
        let mut out = Vec::new();
        for name in names {
            let (item, param) = {
                let cell = &self.cells[&name];
                (cell.item.clone(), cell.param)
            };
            let Some(item) = item else {
                self.cells.get_mut(&name).expect("a cell").local = None;
                continue;
            };
            let list = Type::List(Box::new(item.clone()));
            let local = self.temp(list.clone());
            let new = ir::Expr::new(ExprKind::List { op: ir::ListOp::New, args: vec![int(0, span)] }, list, span);
            out.push(ir::Stmt { kind: ir::StmtKind::Assign { local, value: new }, span });
            if let Some(param) = param {
                let value = self.cast(self.local_expr(param, span), &item);
                out.extend(self.cell_update(local, value, span));
            }
            self.cells.get_mut(&name).expect("a cell").local = Some(local);
        }
        out
    }

    /// Stores `value` into the cell in `local`. A cell is empty until its variable is first
    /// assigned (so that a read before raises as Python does): the first store makes the item.
    fn cell_update(&self, local: ir::LocalId, value: ir::Expr, span: Span) -> Vec<ir::Stmt> {
        let cell = || self.local_expr(local, span);
        let empty = self.cell_is_empty(cell(), span);
        let make_item = ir::Stmt { kind: ir::StmtKind::ListUpdate { op: ir::ListUpdate::Splice, args: vec![cell(), int(0, span), int(0, span), int(1, span)] }, span };
        vec![
            ir::Stmt { kind: ir::StmtKind::If { cond: empty, then_body: vec![make_item], else_body: vec![] }, span },
            ir::Stmt { kind: ir::StmtKind::ListUpdate { op: ir::ListUpdate::Store, args: vec![cell(), int(0, span), value] }, span },
        ]
    }

    fn cell_is_empty(&self, cell: ir::Expr, span: Span) -> ir::Expr {
        let len = ir::Expr::new(ExprKind::List { op: ir::ListOp::Len, args: vec![cell] }, Type::INT64, span);
        ir::Expr::new(ExprKind::Compare { op: ast::CmpOp::Eq, lhs: len.boxed(), rhs: int(0, span).boxed() }, Type::Bool, span)
    }

    /// The value of the variable `name`, which lives in a cell; Python's `NameError` (in an
    /// inner function) or `UnboundLocalError` when it has no value yet.
    pub(crate) fn cell_read(&mut self, name: &str, span: Span) -> Result<ir::Expr> {
        let cell = &self.cells[name];
        let shown = name.split('\'').next().unwrap_or(name).to_string();
        let (Some(local), Some(item), captured) = (cell.local, cell.item.clone(), cell.captured) else {
            return Err(self.pending_or(self.typing(span, format!("variable `{shown}` is used before it is assigned"), Some("assign it on every path before this line"))));
        };
        let (exc, msg) = if captured {
            (ExcKind::NameError, format!("cannot access free variable '{shown}' where it is not associated with a value in enclosing scope"))
        } else {
            (ExcKind::UnboundLocalError, format!("cannot access local variable '{shown}' where it is not associated with a value"))
        };
        let raise = ir::Stmt { kind: ir::StmtKind::Raise { exc, msg: Some(msg) }, span };
        let check = ir::Stmt { kind: ir::StmtKind::If { cond: self.cell_is_empty(self.local_expr(local, span), span), then_body: vec![raise], else_body: vec![] }, span };
        let get = ir::Expr::new(ExprKind::List { op: ir::ListOp::Get, args: vec![self.local_expr(local, span), int(0, span)] }, item.clone(), span);
        Ok(ir::Expr::new(ExprKind::Block { stmts: vec![check], value: get.boxed() }, item, span))
    }

    /// `name = value` of a variable that lives in a cell.
    pub(crate) fn cell_store(&mut self, name: &str, value: ir::Expr, span: Span, out: &mut Vec<ir::Stmt>) -> Result<()> {
        let shown = name.split('\'').next().unwrap_or(name).to_string();
        let cell = &self.cells[name];
        let (item, local, captured) = (cell.item.clone(), cell.local, cell.captured);
        let unified = match &item {
            None => Some(value.ty.clone()),
            Some(old) => crate::function::unify_or_optional(old, &value.ty),
        };
        let Some(unified) = unified else {
            let old = item.expect("a unification failed against it");
            return Err(self.typing(span, format!("variable `{shown}` is assigned a `{}` here but holds a `{old}` elsewhere", value.ty), Some("give the variable one type on every path, or use a second variable")));
        };
        if item.as_ref() != Some(&unified) {
            if captured {
                let old = item.expect("a captured cell is typed");
                return Err(self.typing(
                    span,
                    format!("`{shown}` holds a `{old}` in the enclosing function, and cannot be assigned a `{}` here", value.ty),
                    Some(&format!("give `{shown}` a first value of the wider type in the enclosing function, e.g. `0.0` instead of `0`")),
                ));
            }
            // The cell is made again with the wider type in the next walk.
            self.cells.get_mut(name).expect("a cell").item = Some(unified);
            self.changed = true;
            return Ok(());
        }
        let Some(local) = local else { return Ok(()) };
        let value = self.cast(value, &unified);
        out.extend(self.cell_update(local, value, span));
        Ok(())
    }

    /// Inside a lifted function, its own name (a recursive call): the function value made of
    /// its own leading parameters.
    pub(crate) fn own_function_value(&self, name: &str, span: Span) -> Option<ir::Expr> {
        let lifted = lifted(self.func.id)?;
        if lifted.own_name.as_deref() != Some(name) {
            return None;
        }
        let items: Vec<ir::Expr> = (0..lifted.supplied()).map(|i| self.local_expr(i, span)).collect();
        let ty = Type::Function(Box::new(FunctionType { id: self.func.id, name: name.to_string(), captures: items.iter().map(|i| i.ty.clone()).collect() }));
        Some(ir::Expr::new(ExprKind::Tuple(items), ty, span))
    }

    /// A compile-time function (`@njit` global) as a value of its own type.
    pub(crate) fn plain_function_value(&self, source: &Arc<FunctionSource>, span: Span) -> ir::Expr {
        ir::Expr::new(ExprKind::Tuple(Vec::new()), plain_function_type(source), span)
    }

    /// A built-in or library callable as a value of its own type.
    pub(crate) fn library_function_value(&self, callable: GlobalValue, span: Span) -> ir::Expr {
        ir::Expr::new(ExprKind::Tuple(Vec::new()), library_function_type(callable), span)
    }

    /// Whether `g` is a number type (`int`, `float`, `np.float32`): a compile-time class, not a
    /// function value.
    pub(crate) fn is_number_class(&self, g: &GlobalValue) -> bool {
        matches!(g, GlobalValue::Function(q) if crate::overloads::number_class(q).is_some())
    }

    /// A call of the function value `callee`.
    pub(crate) fn call_function_value(&mut self, callee: ir::Expr, args: Vec<Value>, keywords: Vec<(String, Value, Span)>, span: Span) -> Result<Value> {
        let Type::Function(ft) = callee.ty.clone() else { return Err(self.internal(span, "call of a value that is not a function")) };
        if let Some(callable) = library_callable(ft.id) {
            return self.call_value(Value::Global(callable), callee.span, args, keywords, span);
        }
        let Some(lifted) = lifted(ft.id) else {
            let Some(source) = source_of(ft.id) else { return Err(self.internal(span, "function value of an unknown function")) };
            return self.call_jit(&source, args, keywords, span).map(Value::Expr);
        };
        let Ok(def) = &lifted.source.ast else { return Err(self.internal(span, "lifted function without a definition")) };
        let supplied = lifted.supplied();
        let own = &def.params[supplied..];
        let signature = Signature::of_function(own, |i| lifted.has_default[i]);
        let bound = self.bind_values(&def.name, &signature, args, keywords, span)?;
        let bound = self.collected_arguments(own, bound, span)?;
        // The callee is read once per captured value: a local, or a temporary holding it.
        let (closure, temp) = match callee.kind {
            ExprKind::Local(_) => (callee, None),
            _ => {
                let tmp = self.temp(callee.ty.clone());
                (self.local_expr(tmp, span), Some((tmp, callee)))
            }
        };
        let capture = |i: usize| ir::Expr::new(ExprKind::TupleGet(closure.clone().boxed(), i), ft.captures[i].clone(), span);
        let mut exprs: Vec<ir::Expr> = (0..supplied).map(capture).collect();
        let mut next_default = lifted.captured.len();
        for (i, b) in bound.into_iter().enumerate() {
            let default = lifted.has_default[i].then(|| {
                next_default += 1;
                next_default - 1
            });
            exprs.push(match (b, default) {
                (Some((v, at)), _) => self.value_expr(v, at)?,
                (None, Some(slot)) => capture(slot),
                (None, None) => return Err(self.internal(span, "binding left a required parameter out")),
            });
        }
        let tys: Vec<Type> = exprs.iter().map(|e| e.ty.clone()).collect();
        let call = match self.session.call(&lifted.source, &tys, Some((&self.func.source, span)))? {
            crate::CallTarget::Ready { symbol, ret } => ir::Expr::new(ExprKind::Call { symbol, args: exprs }, ret, span),
            crate::CallTarget::Pending => {
                return Err(self.pending_or(self.typing(
                    span,
                    format!("cannot infer the return type of `{}`: it is recursive and no `return` gives a type without recursing", def.name),
                    Some("add a base case that returns a value without calling the function again"),
                )))
            }
        };
        Ok(Value::Expr(match temp {
            None => call,
            Some((tmp, value)) => {
                let (ty, span) = (call.ty.clone(), call.span);
                ir::Expr::new(ExprKind::Let { local: tmp, value: value.boxed(), body: call.boxed() }, ty, span)
            }
        }))
    }
}
