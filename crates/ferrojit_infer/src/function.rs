//! Typing one function: the walks described in the crate docs, and the statements. A function
//! whose body yields is a generator function: its `yield`s are typed as a function's `return`s
//! are (their unification is what it yields), and it returns the generator type of itself (see
//! `ir::Function::yields`).

use crate::env::{ConstValue, FunctionSource, GlobalValue};
use crate::{ErrorKind, InferError, Session};
use ferrojit_ir::{self as ir, Const, ExcKind, ExprKind, LocalId, StmtKind};
use ferrojit_syntax::ast::{self, Span};
use ferrojit_syntax::SourceText;
use ferrojit_types::{unify, Type};
use std::collections::HashMap;
use std::sync::Arc;

pub(crate) type Result<T> = std::result::Result<T, InferError>;

/// Upper bound on exploring walks. Each walk that changes something widens at least one type,
/// and types only widen, so real programs converge in a handful.
const MAX_WALKS: usize = 64;

pub(crate) fn infer_function(
    session: &mut Session,
    func: &Arc<FunctionSource>,
    args: &[Type],
    symbol: String,
    at: Option<(&Arc<SourceText>, Span)>,
) -> Result<ir::Function> {
    let def = match &func.ast {
        Ok(def) => def,
        Err(e) => {
            return Err(InferError {
                kind: match e.kind {
                    ferrojit_syntax::SyntaxErrorKind::Invalid => ErrorKind::Typing,
                    ferrojit_syntax::SyntaxErrorKind::Unsupported => ErrorKind::Unsupported,
                },
                message: e.message.clone(),
                span: e.span,
                hint: e.hint.clone(),
                source: func.source.clone(),
                function: func.name.clone(),
            })
        }
    };
    if def.params.len() != args.len() {
        let (source, span) = at.map(|(s, sp)| (s.clone(), sp)).unwrap_or((func.source.clone(), def.span));
        let has_default = |i: usize| func.defaults.get(i).is_some_and(Option::is_some);
        let (message, hint) = argument_count_message(def, has_default, args);
        return Err(InferError { kind: ErrorKind::ArgumentCount, message, span, hint: Some(hint), source, function: func.name.clone() });
    }
    for (param, ty) in def.params.iter().zip(args) {
        let (fits, holds) = match param.kind {
            ast::ParamKind::VarPositional => (matches!(ty, Type::Tuple(_)), "a tuple of the extra positional arguments"),
            ast::ParamKind::VarKeyword => (matches!(ty, Type::Dict(key, _) if **key == Type::Str), "a dict from the extra keyword arguments' names to their values"),
            _ => (true, ""),
        };
        if !fits {
            return Err(InferError {
                kind: ErrorKind::Typing,
                message: format!("`{}` holds {holds}, not a `{ty}`", param.name),
                span: param.span,
                hint: Some("declare its type accordingly in the signature, or leave the signature out".into()),
                source: func.source.clone(),
                function: func.name.clone(),
            });
        }
    }
    let mut cx = FnInfer::new(session, func, def, args);
    if ast::contains_yield(&def.body) {
        if cx.declared_ret.is_some() {
            return Err(cx.unsupported(def.span, format!("`{}` is a generator function, which cannot have a declared signature", def.name), Some("compile it lazily: remove the signature from the decorator")));
        }
        cx.generator = Some(Generator { symbol: symbol.clone(), yields: None });
    }
    for _ in 0..MAX_WALKS {
        cx.changed = false;
        cx.walk()?;
        if !cx.changed {
            // Typing stops here until Python has resolved the overloads this function waits for
            // (its own calls', or its callees'); a function that waits for none finishes.
            if cx.waiting_for_overloads {
                return Err(cx.error(ErrorKind::NeedsOverloads, def.span, "overloads to resolve", None));
            }
            cx.final_walk = true;
            let body = cx.walk()?;
            if cx.changed {
                return Err(cx.internal(def.span, "types changed during the final walk"));
            }
            let function = ir::Function {
                name: def.name.clone(),
                symbol,
                num_params: args.len(),
                arg_types: args.to_vec(),
                locals: cx.locals.iter().map(|l| ir::Local { name: l.name.clone(), ty: l.ty.clone().unwrap_or(Type::NoneType) }).collect(),
                ret: match &cx.generator {
                    Some(g) => cx.generator_type(g),
                    None => cx.ret.clone().unwrap_or(Type::NoneType),
                },
                body,
                span: def.span,
                fingerprint: cx.fingerprint(),
                ownership: None,
                library: func.library,
                parallel: func.parallel,
            };
            if let Err(msg) = ir::verify(&function) {
                return Err(cx.internal(def.span, &format!("typed IR is invalid: {msg}")));
            }
            return Ok(function);
        }
    }
    Err(cx.internal(def.span, "type inference did not converge"))
}

pub(crate) struct LocalSlot {
    pub name: String,
    /// `None` until the first assignment is typed.
    pub ty: Option<Type>,
}

pub(crate) struct FnInfer<'a> {
    pub session: &'a mut Session,
    pub func: &'a Arc<FunctionSource>,
    pub(crate) def: &'a ast::FunctionDef,
    pub args: &'a [Type],
    pub locals: Vec<LocalSlot>,
    /// User-visible names -> locals; these are the first `locals.len()` at the start of a walk.
    pub names: HashMap<String, LocalId>,
    num_named: usize,
    pub ret: Option<Type>,
    /// In the final walk, "not known yet" is an error; in earlier walks it skips the statement.
    pub final_walk: bool,
    pub changed: bool,
    pub loop_depth: usize,
    /// The `except` (true) and `finally` (false) blocks around the statement being typed,
    /// innermost last: where a bare `raise` is (outside both it raises CPython's
    /// `RuntimeError` at once).
    handling: Vec<bool>,
    /// Set in a walk that skipped a statement for calls whose overloads are not resolved yet.
    waiting_for_overloads: bool,
    /// The temporaries holding generators that the `for` loops being typed walk (see
    /// `FnInfer::for_walk`).
    pub(crate) walked_generators: Vec<LocalId>,
    /// Set by a statement after which nothing in its block can run (a pruned `if` whose live
    /// branch returns or raises); the block stops there.
    rest_of_block_is_dead: bool,
    globals: HashMap<String, Option<GlobalValue>>,
    /// The declared return type (an eager signature): returns convert to it.
    declared_ret: Option<Type>,
    /// A shape tuple `shape_arg` bound to a temporary, for the array constructor to evaluate
    /// first.
    pub pending_shape: Option<(LocalId, ir::Expr)>,
    /// The spans of the arguments written as number literals in the library call being
    /// bound (see `bind::Args::is_literal`).
    pub literal_spans: Vec<Span>,
    /// Array expressions built in this walk, by the local their new array is stored in, for
    /// the operations that fuse them (see `array_exprs`).
    pub maps: crate::array_exprs::MapsByLocal,
    /// Variables assigned an empty container (`[]`, `{}`, `set()`) before their type is known:
    /// what the function later puts into them types them (see `lists`). Kept across walks.
    pub empty_containers: HashMap<LocalId, crate::lists::Container>,
    /// Variables that live in a cell shared with inner functions (see `closures`), by name.
    pub cells: HashMap<String, crate::closures::Cell>,
    /// The `if x is None:` statements that give a parameter left at `None` its value (see
    /// [`none_parameter_narrowing`]): their test is true.
    narrowing: Vec<Span>,
    /// Set for a generator function (its body yields).
    pub generator: Option<Generator>,
    /// Where the variables may be unbound, and their flags in this walk (see `unbound`).
    pub unbound: crate::unbound::Unbound,
    /// Set by [`FnInfer::optional_expr`] for the expression it types: an optional it gives
    /// stays one (it is not unwrapped).
    pub keep_optional: bool,
}

/// What typing a generator function keeps: its symbol, and the type of what it yields so far
/// (the unification of every `yield`'s value, as a function's return type is of its
/// `return`s).
pub(crate) struct Generator {
    symbol: String,
    yields: Option<Type>,
}

impl<'a> FnInfer<'a> {
    fn new(session: &'a mut Session, func: &'a Arc<FunctionSource>, def: &'a ast::FunctionDef, args: &'a [Type]) -> Self {
        let mut cx = FnInfer {
            session,
            func,
            def,
            args,
            locals: Vec::new(),
            names: HashMap::new(),
            num_named: 0,
            ret: None,
            final_walk: false,
            changed: false,
            loop_depth: 0,
            handling: Vec::new(),
            rest_of_block_is_dead: false,
            waiting_for_overloads: false,
            walked_generators: Vec::new(),
            globals: HashMap::new(),
            pending_shape: None,
            declared_ret: None,
            maps: Default::default(),
            empty_containers: Default::default(),
            literal_spans: Vec::new(),
            cells: HashMap::new(),
            narrowing: Vec::new(),
            generator: None,
            unbound: Default::default(),
            keep_optional: false,
        };
        cx.declared_ret = cx.session.declared_return(func, args);
        cx.ret = cx.declared_ret.clone();
        // A declared return type is known before the body is typed: recursive calls use it.
        if let Some(declared) = &cx.declared_ret {
            cx.session.set_return_guess(func, args, declared);
        }
        for (param, ty) in def.params.iter().zip(args) {
            cx.named_local(&param.name, Some(ty.clone()));
        }
        // A parameter that is `None` here and given a value by `if x is None: x = ...` first:
        // the name is a variable of its own, typed by what is assigned (the parameter, `None`,
        // is never read).
        for (param, ty) in def.params.iter().zip(args) {
            if *ty == Type::NoneType {
                if let Some(at) = none_parameter_narrowing(&def.body, &param.name) {
                    cx.named_local(&param.name, None);
                    cx.narrowing.push(at);
                }
            }
        }
        let mut assigned = Vec::new();
        collect_assigned(&def.body, &mut assigned);
        assigned.extend(def.hidden_locals.iter().cloned());
        for name in assigned {
            if !cx.names.contains_key(&name) {
                cx.named_local(&name, None);
            }
        }
        cx.num_named = cx.locals.len();
        cx.unbound = crate::unbound::Unbound::of(def);
        cx.cells = crate::closures::cells_of(func, def, args, &cx.names, &cx.unbound.facts.captured_unbound);
        cx
    }

    fn named_local(&mut self, name: &str, ty: Option<Type>) {
        self.names.insert(name.to_string(), self.locals.len());
        // A comprehension's variable (`x'3`, see `ast::FunctionDef::hidden_locals`) is shown
        // by the user's name; the variables of the `prange` rewrite keep their whole names,
        // which code generation reads (`ir::PARALLEL_PARTIAL_PREFIX`), as do the items of
        // `yield from` loops (`ast::YIELD_FROM_ITEM`).
        let keeps_whole = name.starts_with("prange'") || name.strip_prefix(ferrojit_syntax::ast::YIELD_FROM_ITEM).is_some_and(|rest| rest.starts_with('\''));
        let shown = if keeps_whole { name } else { name.split('\'').next().unwrap_or(name) };
        self.locals.push(LocalSlot { name: shown.to_string(), ty });
    }

    /// A fresh compiler temporary of a known type.
    pub fn temp(&mut self, ty: Type) -> LocalId {
        self.locals.push(LocalSlot { name: "$t".into(), ty: Some(ty) });
        self.locals.len() - 1
    }

    pub fn local_expr(&self, id: LocalId, span: Span) -> ir::Expr {
        ir::Expr::new(ExprKind::Local(id), self.locals[id].ty.clone().expect("typed local"), span)
    }

    // ---- errors ----------------------------------------------------------------------------

    /// For an operand that is a variable holding `None` where a value was needed: what to tell
    /// the user (a note and a hint). Most often a parameter defaulting to `None` that the call
    /// did not pass.
    pub fn none_operand_note(&self, e: &ir::Expr) -> Option<(String, String)> {
        let ExprKind::Local(id) = e.kind else { return None };
        if e.ty != Type::NoneType || self.locals[id].name.starts_with('$') {
            return None;
        }
        let name = &self.locals[id].name;
        let defaults_to_none = id < self.def.params.len() && matches!(self.func.defaults.get(id), Some(Some(ConstValue::None)));
        let handle = format!("handle `None` first: of `if {name} is None:` ... `else:` only the branch that can run is compiled");
        Some(if defaults_to_none {
            (
                format!("`{name}` may be `None`: it is a parameter whose default is `None`, and here it is `None` (not passed, or passed as `None`)"),
                format!("pass a value for `{name}`, or {handle}"),
            )
        } else {
            (format!("`{name}` may be `None`: here it holds `None`"), format!("give `{name}` a value before this line, or {handle}"))
        })
    }

    pub fn error(&self, kind: ErrorKind, span: Span, message: impl Into<String>, hint: Option<&str>) -> InferError {
        // The body of a `prange` loop is its function's, where the user wrote it.
        let function = match crate::closures::lifted(self.func.id) {
            Some(l) if self.func.name.starts_with(crate::parallel::CHUNK_PREFIX) => l.enclosing_name.clone(),
            _ => self.func.name.clone(),
        };
        InferError { kind, message: message.into(), span, hint: hint.map(str::to_string), source: self.func.source.clone(), function }
    }

    pub fn typing(&self, span: Span, message: impl Into<String>, hint: Option<&str>) -> InferError {
        self.error(ErrorKind::Typing, span, message, hint)
    }

    pub fn unsupported(&self, span: Span, message: impl Into<String>, hint: Option<&str>) -> InferError {
        self.error(ErrorKind::Unsupported, span, message, hint)
    }

    pub fn internal(&self, span: Span, message: &str) -> InferError {
        self.error(ErrorKind::Internal, span, message, None)
    }

    pub fn is_pending(&self, e: &InferError) -> bool {
        !self.final_walk && e.kind == ErrorKind::Pending
    }

    /// "Not known yet": retry in a later walk, or, in the final walk, the error `real`.
    pub fn pending_or(&self, real: InferError) -> InferError {
        if self.final_walk {
            real
        } else {
            InferError { kind: ErrorKind::Pending, ..real }
        }
    }

    // ---- globals ---------------------------------------------------------------------------

    /// The source and the globals read, in name order (see `ir::Function::fingerprint`).
    fn fingerprint(&self) -> Option<String> {
        use crate::env::ConstValue;
        // Function types name functions by their id in this process: code taking one is not
        // kept across processes.
        if self.args.iter().chain(&self.ret).any(crate::closures::holds_function) {
            return None;
        }
        // Object mode blocks are this process's Python functions.
        if crate::objmode::has_objmode(&self.func.ast) {
            return None;
        }
        // Generator types name their functions by symbol, process-local too.
        if self.generator.is_some() || self.args.iter().chain(&self.ret).any(Type::holds_generator) {
            return None;
        }
        // So do jitclass instance types, whose methods are not in this fingerprint.
        if self.args.iter().chain(&self.ret).any(Type::holds_instance) {
            return None;
        }
        let mut names: Vec<&String> = self.globals.keys().collect();
        names.sort();
        let mut out = format!("{}:{}\n{}\n", self.func.source.filename, self.func.source.first_line, self.func.source.text);
        for name in names {
            let value = match &self.globals[name] {
                None => "unbound".to_string(),
                Some(GlobalValue::Const(c)) => {
                    fn has_array(c: &ConstValue) -> bool {
                        match c {
                            ConstValue::Array { .. } => true,
                            ConstValue::Tuple(items) => items.iter().any(has_array),
                            ConstValue::Typed(inner, _) => has_array(inner),
                            _ => false,
                        }
                    }
                    if has_array(c) {
                        return None;
                    }
                    format!("{c:?}")
                }
                Some(GlobalValue::Module(m)) => format!("module {m:?}"),
                Some(GlobalValue::Function(q)) => format!("function {q}"),
                // The callee's own source and globals are in its own fingerprint.
                Some(GlobalValue::Jit(f)) => format!("jit {}", f.name),
                Some(GlobalValue::Vectorized(f)) => format!("vectorized {}", f.name),
                // The implementation chosen is a callee, with a fingerprint of its own.
                Some(GlobalValue::Overloaded(key)) => format!("overloaded {}", crate::overloads::display_name(*key)),
                Some(GlobalValue::ExceptionClass(k)) => format!("exception {}", k.name()),
                // The code is this process's: another process may give the class another.
                Some(GlobalValue::UserExceptionClass(code, name)) => format!("user exception {name} {code}"),
                Some(GlobalValue::DType(t)) => format!("dtype {t}"),
                Some(GlobalValue::Type(t)) => format!("type {t}"),
                Some(GlobalValue::Str(text)) => format!("str {text:?}"),
                Some(GlobalValue::Other(t)) => format!("other {t}"),
                // Its fields decide which item `p.x` reads.
                Some(GlobalValue::NamedTupleClass(c)) => format!("named tuple {}({}) {:?}", c.name, c.fields.join(", "), c.defaults),
                // A jitclass's identity and methods are this process's.
                Some(GlobalValue::JitClass(_)) => return None,
            };
            out.push_str(&format!("{name}={value}\n"));
        }
        // `parallel=True` changes the code made from the same source (its `prange` loops and
        // whole-array operations run on the pool).
        if self.func.parallel {
            out.push_str("parallel=True\n");
        }
        Some(out)
    }

    /// Looks a global up once per compilation: later changes to the module are not seen.
    pub fn global(&mut self, name: &str, span: Span) -> Result<GlobalValue> {
        // A nested function's own name is a variable of the enclosing function too; it
        // resolves to the function itself below.
        if let Some(enclosing) = self.func.globals.enclosing_function_of(name).filter(|_| name != self.func.name) {
            return Err(self.unsupported(
                span,
                format!("`{name}` is a variable of the enclosing function `{enclosing}` that has no value yet"),
                Some(&format!("assign `{name}` before the compiled function is first called (its value is frozen then, as a global's is), or pass it as an argument")),
            ));
        }
        if !self.globals.contains_key(name) {
            let mut value = self.func.globals.lookup(name);
            // The function's own name before the decorator has bound it (an eager signature
            // compiles at decoration) or where it is no global at all (a nested function): a
            // call of it is a recursive call, as in Python once the decorator has run.
            if value.is_none() && name == self.func.name {
                value = Some(GlobalValue::Jit(self.func.clone()));
            }
            self.globals.insert(name.to_string(), value);
        }
        match &self.globals[name] {
            Some(v) => Ok(v.clone()),
            None => Err(self.typing(
                span,
                format!("name `{name}` is not defined"),
                Some("define it at module level before the first call, or pass it as an argument"),
            )),
        }
    }

    // ---- walks -----------------------------------------------------------------------------

    fn walk(&mut self) -> Result<Vec<ir::Stmt>> {
        self.waiting_for_overloads = false;
        self.locals.truncate(self.num_named);
        self.maps.clear();
        self.loop_depth = 0;
        let mut body = self.make_cells(self.def.span);
        body.extend(self.start_unbound_flags(self.def.span));
        body.extend(self.block(&self.def.body)?);
        if falls_through(&self.def.body) {
            let span = self.def.body.last().map(|s| s.span).unwrap_or(self.def.span);
            let none = ir::Expr::new(ExprKind::Const(Const::None), Type::NoneType, span);
            body.push(match self.generator {
                Some(_) => ir::Stmt { kind: StmtKind::Return(none), span },
                None => self.return_stmt(none, span)?,
            });
        }
        Ok(body)
    }

    /// The type of the generators of this generator function, what it yields as typed so far
    /// (`None` when nothing yields a value yet).
    fn generator_type(&self, g: &Generator) -> Type {
        Type::Generator(Box::new(ferrojit_types::GeneratorType {
            id: self.func.id,
            name: self.def.name.clone(),
            symbol: g.symbol.clone(),
            args: self.args.to_vec(),
            yield_ty: g.yields.clone().unwrap_or(Type::NoneType),
        }))
    }

    /// `yield value` in a generator function: widens the yield type (as a `return` widens the
    /// return type) and hands over the value converted to it.
    fn yield_stmt(&mut self, value: ir::Expr, span: Span) -> Result<ir::Stmt> {
        let Some(g) = &self.generator else { return Err(self.internal(span, "yield outside a generator function")) };
        let new = match &g.yields {
            None => value.ty.clone(),
            Some(old) => unify(old, &value.ty).ok_or_else(|| {
                let hint = if value.ty == Type::NoneType || *old == Type::NoneType { "yield a value on every path (a generator yielding `None` and values is not supported)" } else { "yield the same kind of value on every path" };
                self.typing(span, format!("this yields a `{}` but another `yield` gives a `{}`", value.ty, old), Some(hint))
            })?,
        };
        if g.yields.as_ref() != Some(&new) {
            self.generator.as_mut().expect("checked").yields = Some(new.clone());
            self.changed = true;
            let ty = self.generator_type(self.generator.as_ref().expect("checked"));
            self.session.set_return_guess(self.func, self.args, &ty);
        }
        let value = self.cast(value, &new);
        Ok(ir::Stmt { kind: StmtKind::Yield(value), span })
    }

    pub(crate) fn block(&mut self, stmts: &[ast::Stmt]) -> Result<Vec<ir::Stmt>> {
        let mut out = Vec::new();
        for s in stmts {
            match self.stmt(s, &mut out) {
                Ok(()) => {}
                // Retried in a later walk, or (calls needing overloads) after they are resolved.
                Err(e) if e.kind == ErrorKind::Pending && !self.final_walk => {}
                Err(e) if e.kind == ErrorKind::NeedsOverloads && !self.final_walk => self.waiting_for_overloads = true,
                Err(e) => return Err(e),
            }
            if std::mem::take(&mut self.rest_of_block_is_dead) {
                break;
            }
        }
        Ok(out)
    }

    /// Widens local `id` to hold `ty`.
    pub(crate) fn widen(&mut self, id: LocalId, ty: &Type, span: Span) -> Result<()> {
        let new = match &self.locals[id].ty {
            None => ty.clone(),
            // A variable assigned `None` and a value holds an optional (as Numba's).
            Some(old) => match unify_or_optional(old, ty) {
                Some(t) => t,
                None => {
                    let name = &self.locals[id].name;
                    let hint = if matches!((old, ty), (Type::Function(_), Type::Function(_))) {
                        "each function has a type of its own, and a variable holds one: use a second variable, or call each function where it is chosen"
                    } else {
                        "give the variable one type on every path, or use a second variable"
                    };
                    return Err(self.typing(span, format!("variable `{name}` is assigned a `{ty}` here but holds a `{old}` elsewhere"), Some(hint)));
                }
            },
        };
        if self.locals[id].ty.as_ref() != Some(&new) {
            self.locals[id].ty = Some(new);
            self.changed = true;
        }
        Ok(())
    }

    fn return_stmt(&mut self, value: ir::Expr, span: Span) -> Result<ir::Stmt> {
        if let Some(declared) = self.declared_ret.clone() {
            if !convertible(&value.ty, &declared) {
                return Err(self.typing(
                    span,
                    format!("this returns a `{}`, which cannot be converted to the declared return type `{declared}`", value.ty),
                    Some("change the signature's return type, or convert the value"),
                ));
            }
            let value = self.cast(value, &declared);
            return Ok(ir::Stmt { kind: StmtKind::Return(value), span });
        }
        // A function returning `None` on some paths and a value on others returns an optional
        // (as Numba's): `None` or the value in Python, an optional in compiled callers.
        let new = match &self.ret {
            None => value.ty.clone(),
            Some(old) => unify_or_optional(old, &value.ty).ok_or_else(|| {
                let hint = if value.ty == Type::NotImplemented || *old == Type::NotImplemented {
                    // A special method answers `NotImplemented` for some operand types and a
                    // value for others: which, compiled code decides from the types.
                    "compiled code decides `NotImplemented` from the operands' types: return it on every path for the types it does not handle (test them with `isinstance`)"
                } else if value.ty == Type::NoneType || *old == Type::NoneType {
                    "return a value on every path"
                } else {
                    "return the same kind of value on every path"
                };
                self.typing(span, format!("this returns a `{}` but another `return` gives a `{}`", value.ty, old), Some(hint))
            })?,
        };
        if self.ret.as_ref() != Some(&new) {
            self.ret = Some(new.clone());
            self.changed = true;
            self.session.set_return_guess(self.func, self.args, &new);
        }
        let value = self.cast(value, &new);
        Ok(ir::Stmt { kind: StmtKind::Return(value), span })
    }

    pub(crate) fn stmt(&mut self, s: &ast::Stmt, out: &mut Vec<ir::Stmt>) -> Result<()> {
        let span = s.span;
        let push = |out: &mut Vec<ir::Stmt>, kind| out.push(ir::Stmt { kind, span });
        match &s.kind {
            ast::StmtKind::Assign { targets, value } => {
                // A variable in a cell is stored through the cell (see `closures`), whatever
                // the value; the empty displays below type plain variables.
                if let [target @ ast::Expr { kind: ast::ExprKind::Name(name), .. }] = targets.as_slice() {
                    if self.cells.contains_key(name) {
                        let value = self.optional_expr(value)?;
                        return self.assign(target, value, out);
                    }
                }
                // `d[k] = v` into a `d = {}` not typed yet: types `d` for the next walk.
                if let [ast::Expr { kind: ast::ExprKind::Subscript { value: container, index }, .. }] = targets.as_slice() {
                    self.type_empty_dict(container, index, value, span)?;
                }
                // `x = [...]`: typed by `x`'s type when the display alone does not say (`[]`).
                // `d = {...}` (`{}`, `dict()`): typed by `d`'s type when the display alone does
                // not say.
                // `x = List()` and `d = Dict()` (typed containers) are typed as `x = []` and
                // `d = {}` are, then marked typed.
                let typed_call = self.empty_typed_container_call(value)?;
                if let [target @ ast::Expr { kind: ast::ExprKind::Name(name), .. }] = targets.as_slice() {
                    let empty_dict_call = match &value.kind {
                        ast::ExprKind::Call { func, args, keywords } if args.is_empty() && keywords.is_empty() => self.is_builtin(func, "dict")? || typed_call == Some(crate::lists::Container::Dict),
                        _ => false,
                    };
                    let display = match &value.kind {
                        ast::ExprKind::Dict { keys, values } => Some((keys.as_slice(), values.as_slice())),
                        _ if empty_dict_call => Some((&[][..], &[][..])),
                        _ => None,
                    };
                    if let (Some((keys, values)), Some(&id)) = (display, self.names.get(name)) {
                        if keys.is_empty() && self.locals[id].ty.is_none() {
                            return self.empty_container_assignment(id, crate::lists::Container::Dict, span);
                        }
                        let expected = self.locals[id].ty.clone();
                        let dict = self.dict_display(keys, values, expected.as_ref(), value.span)?;
                        let dict = if typed_call.is_some() { self.mark_typed(dict, value.span) } else { dict };
                        return self.assign(target, dict, out);
                    }
                }
                // `s = {...}` (`set()`).
                if let [target @ ast::Expr { kind: ast::ExprKind::Name(name), .. }] = targets.as_slice() {
                    let empty_set_call = match &value.kind {
                        ast::ExprKind::Call { func, args, keywords } if args.is_empty() && keywords.is_empty() => self.is_builtin(func, "set")?,
                        _ => false,
                    };
                    let display = match &value.kind {
                        ast::ExprKind::Set(items) => Some(items.as_slice()),
                        _ if empty_set_call => Some(&[][..]),
                        _ => None,
                    };
                    if let (Some(items), Some(&id)) = (display, self.names.get(name)) {
                        if items.is_empty() && self.locals[id].ty.is_none() {
                            return self.empty_container_assignment(id, crate::lists::Container::Set, span);
                        }
                        let expected = self.locals[id].ty.clone();
                        let set = self.set_display(items, expected.as_ref(), value.span)?;
                        return self.assign(target, set, out);
                    }
                }
                // `x = list()` is `x = []`.
                let empty_call = match &value.kind {
                    ast::ExprKind::Call { func, args, keywords } if args.is_empty() && keywords.is_empty() => self.is_builtin(func, "list")? || typed_call == Some(crate::lists::Container::List),
                    _ => false,
                };
                let no_items = [];
                let display = match &value.kind {
                    ast::ExprKind::List(items) => Some(items.as_slice()),
                    _ if empty_call => Some(&no_items[..]),
                    _ => None,
                };
                if let (Some(items), [target @ ast::Expr { kind: ast::ExprKind::Name(name), .. }]) = (display, targets.as_slice()) {
                    if let Some(&id) = self.names.get(name) {
                        if items.is_empty() && self.locals[id].ty.is_none() {
                            return self.empty_container_assignment(id, crate::lists::Container::List, span);
                        }
                        let expected = self.locals[id].ty.clone();
                        let list = self.list_display(items, expected.as_ref(), value.span)?;
                        let list = if typed_call.is_some() { self.mark_typed(list, value.span) } else { list };
                        return self.assign(target, list, out);
                    }
                }
                // A variable holds an optional as it is (`v = d.get(k)`), as does a jitclass's
                // optional field (`self.next = node`; see `assign_attribute`).
                let value = match targets.as_slice() {
                    [ast::Expr { kind: ast::ExprKind::Name(_) | ast::ExprKind::Attribute { .. }, .. }] => self.optional_expr(value)?,
                    _ => self.expr(value)?,
                };
                if let [target] = targets.as_slice() {
                    return self.assign(target, value, out);
                }
                let tmp = self.temp(value.ty.clone());
                push(out, StmtKind::Assign { local: tmp, value });
                for t in targets {
                    let v = self.local_expr(tmp, span);
                    self.assign(t, v, out)?;
                }
            }
            ast::StmtKind::AugAssign { target, op, value } => {
                let current = self.expr(target)?;
                let rhs = self.expr(value)?;
                let literals = crate::expr::Literals { left: false, right: crate::expr::is_number_literal(value) };
                if let Type::Array(a) = current.ty.clone() {
                    // In place, as NumPy's `a += b`: the array itself (or the view) is written.
                    let result = self.binop_with_literals(*op, current, rhs, literals, span)?;
                    self.check_same_kind(&result.ty, &a, Some(*op), span)?;
                    if let ast::ExprKind::Subscript { value: container, index } = &target.kind {
                        // `a[1:] += v` writes the view; `a[mask] += v`, `a[:, idx] += v`: the
                        // selection was a copy, and the result goes back through the same index.
                        let array = self.expr(container)?;
                        if matches!(array.ty, Type::Array(_)) {
                            let stmt = self.array_store(array, index, result, span)?;
                            out.push(stmt);
                            return Ok(());
                        }
                    }
                    if let ast::ExprKind::Attribute { value: container, attr } = &target.kind {
                        // `a.real += 1`: written through the attribute's view, as assigned.
                        return self.assign_attribute(container, attr, result, true, span, out);
                    }
                    let target_view = self.expr(target)?;
                    let stmt = self.assign_array_into(target_view, result, span)?;
                    out.push(stmt);
                    return Ok(());
                }
                let result = match (&current.ty, &current.kind) {
                    (Type::Instance(_), _) => match self.instance_inplace(*op, &current, &rhs, span)? {
                        Some(result) => result,
                        None => self.instance_binop(*op, current, rhs, span)?,
                    },
                    (Type::List(_), _) => self.list_augmented(*op, current, rhs, span)?,
                    (Type::Set(_), _) => self.set_augmented(*op, current, rhs, span)?,
                    // `s += t` of a string variable: appended in place when the variable holds
                    // the only reference (see `RuntimeFunc::STR_APPEND`).
                    (Type::Str, ExprKind::Local(_)) if *op == ast::BinOp::Add && rhs.ty == Type::Str => {
                        ir::Expr::new(ExprKind::Runtime { func: ir::RuntimeFunc::STR_APPEND, args: vec![current, rhs] }, Type::Str, span)
                    }
                    _ => self.binop_with_literals(*op, current, rhs, literals, span)?,
                };
                self.assign(target, result, out)?;
            }
            ast::StmtKind::If { test, body, orelse } => {
                let cond = if self.narrowing.contains(&s.span) { Ok(ir::Expr::new(ExprKind::Const(Const::Bool(true)), Type::Bool, test.span)) } else { self.cond(test) };
                // A test known from the types alone (`x is None` where `x` is a parameter left
                // at its `None` default, or holds a number) compiles only the branch that can
                // run, as Numba prunes it: the other one may not even type.
                if let Ok(ir::Expr { kind: ExprKind::Const(Const::Bool(taken)), .. }) = &cond {
                    let live = if *taken { body } else { orelse };
                    out.extend(self.block(live)?);
                    // What follows a pruned `if` whose branch returns or raises is dead too.
                    self.rest_of_block_is_dead = !falls_through(live);
                    return Ok(());
                }
                let then_body = self.block(body)?;
                let else_body = self.block(orelse)?;
                push(out, StmtKind::If { cond: cond?, then_body, else_body });
            }
            ast::StmtKind::While { test, body, orelse } => {
                let cond = self.cond(test);
                self.loop_depth += 1;
                let body_ir = self.block(body);
                self.loop_depth -= 1;
                let orelse = self.block(orelse)?;
                push(out, StmtKind::While { cond: cond?, body: body_ir?, orelse });
            }
            ast::StmtKind::For { target, iter, body: loop_body, orelse } => self.for_stmt(target, iter, loop_body, orelse, span, out)?,
            ast::StmtKind::Try { body, handlers, orelse, finalbody } => {
                let body = self.block(body)?;
                let mut caught = Vec::new();
                for handler in handlers {
                    let (kinds, classes) = match &handler.typ {
                        None => (None, Vec::new()),
                        Some(class) => self.caught_kinds(class)?,
                    };
                    let mut body = Vec::new();
                    let bound = handler.name.as_deref().map(|name| self.bind_caught_exception(name, handler.span, &mut body)).transpose()?;
                    self.handling.push(true);
                    let handled = self.block(&handler.body);
                    self.handling.pop();
                    body.extend(handled?);
                    // Python deletes the name when the clause ends (`except E as e` is `try:
                    // ... finally: del e`), so that the exception does not outlive it.
                    if let (Some(id), Some(name)) = (bound, &handler.name) {
                        body.push(ir::Stmt { kind: StmtKind::Unbind(id), span: handler.span });
                        self.unbound_now(name, handler.span, &mut body);
                    }
                    caught.push(ir::Handler { kinds, classes, binds: bound.is_some(), body, span: handler.span });
                }
                let orelse = self.block(orelse)?;
                self.handling.push(false);
                let finalbody = self.block(finalbody);
                self.handling.pop();
                let finalbody = finalbody?;
                push(out, StmtKind::Try { body, handlers: caught, orelse, finalbody });
            }
            ast::StmtKind::ObjMode(block) => self.objmode(block, span, out)?,
            ast::StmtKind::Break | ast::StmtKind::Continue => {
                if self.loop_depth == 0 {
                    return Err(self.typing(span, "`break` or `continue` outside a loop", None));
                }
                push(out, if matches!(s.kind, ast::StmtKind::Break) { StmtKind::Break } else { StmtKind::Continue });
            }
            // A generator's `return` ends it; the value a `return` would give (the
            // `StopIteration`'s) is not supported.
            ast::StmtKind::Return(value) if self.generator.is_some() => {
                if let Some(v) = value.as_ref().filter(|v| !matches!(v.kind, ast::ExprKind::None)) {
                    return Err(self.unsupported(v.span, "`return` with a value in a generator function is not supported", Some("end the generator with a bare `return`; yield the value first if the caller needs it")));
                }
                push(out, StmtKind::Return(ir::Expr::new(ExprKind::Const(Const::None), Type::NoneType, span)));
            }
            ast::StmtKind::Return(value) => {
                let value = match value {
                    Some(v) => self.optional_expr(v)?,
                    None => ir::Expr::new(ExprKind::Const(Const::None), Type::NoneType, span),
                };
                let stmt = self.return_stmt(value, span)?;
                out.push(stmt);
            }
            ast::StmtKind::Yield(value) => {
                let value = match value {
                    Some(v) => self.expr(v)?,
                    None => ir::Expr::new(ExprKind::Const(Const::None), Type::NoneType, span),
                };
                let stmt = self.yield_stmt(value, span)?;
                out.push(stmt);
            }
            ast::StmtKind::Pass => {}
            ast::StmtKind::Delete(targets) => {
                for target in targets {
                    match &target.kind {
                        ast::ExprKind::Name(name) => self.delete_name(name, target.span, out)?,
                        _ => self.delete(std::slice::from_ref(target), out)?,
                    }
                }
            }
            ast::StmtKind::Assert { test, msg } => {
                let cond = self.cond(test)?;
                let not = ir::Expr::new(ExprKind::Unary { op: ir::UnaryOp::Not, operand: cond.boxed() }, Type::Bool, span);
                // The message is evaluated only when the assertion fails, as in Python.
                let message = msg.as_ref().map(|m| self.message(m)).transpose()?;
                let raise = self.raise_stmts(ExcKind::AssertionError, message, span);
                push(out, StmtKind::If { cond: not, then_body: raise, else_body: vec![] });
            }
            ast::StmtKind::RaiseFrom { exc, cause } => {
                let cause = if self.is_exception_value(cause) {
                    self.expr(cause)?
                } else if matches!(cause.kind, ast::ExprKind::None) {
                    // `from None`: the cause of code 0 (see `ferrojit_rt_raise_from`).
                    Self::exception_value(0, Self::string_constant("", span), span)
                } else {
                    self.new_exception_value(cause)?
                };
                if self.is_exception_value(exc) {
                    let value = self.expr(exc)?;
                    out.extend(self.raise_exception_value_from(value, cause, span));
                } else {
                    let (raised, message) = self.exception(exc)?;
                    let code = match raised {
                        Raised::Builtin(kind) => kind.code(),
                        Raised::User(code) => code,
                    };
                    let (code, text) = self.code_and_text(code, message, span)?;
                    let code = ir::Expr::new(ExprKind::Const(Const::Int(code)), Type::INT64, span);
                    out.extend(self.raise_from(code, text, cause, span));
                }
            }
            ast::StmtKind::Raise(exc) if self.is_exception_value(exc) => {
                let value = self.expr(exc)?;
                out.extend(self.raise_exception_value(value, span));
            }
            ast::StmtKind::Raise(exc) => {
                let (exc, message) = self.exception(exc)?;
                out.extend(match exc {
                    Raised::Builtin(kind) => self.raise_stmts(kind, message, span),
                    Raised::User(code) => self.raise_user_stmts(code, message, span)?,
                });
            }
            // CPython's error when nothing is being handled.
            ast::StmtKind::Reraise => match self.handling.last() {
                Some(true) => push(out, StmtKind::Reraise),
                // In a `finally` block: the exception it runs for, else the one an enclosing
                // clause handles, else CPython's `RuntimeError` (decided where each copy of
                // the block is lowered).
                Some(false) => push(out, StmtKind::Reraise),
                None => out.extend(self.raise_stmts(ExcKind::RuntimeError, Some(Message::Constant("No active exception to reraise".into())), span)),
            },
            ast::StmtKind::Expr(e) => {
                if let crate::expr::Value::Expr(e) = self.value(e)? {
                    push(out, StmtKind::Expr(e));
                }
            }
            ast::StmtKind::FunctionDef(def) => {
                let value = self.function_definition(def, def.span)?;
                let target = ast::Expr { kind: ast::ExprKind::Name(def.name.clone()), span: def.span };
                self.assign(&target, value, out)?;
            }
            // A declaration: the names are captured cells (see `closures`).
            ast::StmtKind::Nonlocal(_) if crate::closures::lifted(self.func.id).is_some() => {}
            ast::StmtKind::Nonlocal(_) => {
                return Err(self.unsupported(span, "`nonlocal` is only supported in inner functions of a compiled function", Some("pass the value as an argument and return the new value")));
            }
        }
        Ok(())
    }

    pub(crate) fn assign(&mut self, target: &ast::Expr, value: ir::Expr, out: &mut Vec<ir::Stmt>) -> Result<()> {
        let span = target.span;
        match &target.kind {
            ast::ExprKind::Name(name) if self.cells.contains_key(name) => self.cell_store(name, value, span, out),
            ast::ExprKind::Name(name) => {
                let id = *self.names.get(name).ok_or_else(|| self.internal(span, "assigned name was not collected"))?;
                self.widen(id, &value.ty, span)?;
                let ty = self.locals[id].ty.clone().expect("just widened");
                let value = self.cast(value, &ty);
                out.push(ir::Stmt { kind: StmtKind::Assign { local: id, value }, span });
                self.bound_again(name, span, out);
                Ok(())
            }
            ast::ExprKind::Tuple(targets) if targets.iter().any(|t| matches!(t.kind, ast::ExprKind::Starred(_))) => self.unpack_starred(targets, value, span, out),
            ast::ExprKind::Tuple(targets) if matches!(&value.ty, Type::List(_) | Type::Str | Type::ExceptionArgs) => self.unpack_sequence(targets, value, span, out),
            ast::ExprKind::Tuple(targets) if matches!(&value.ty, Type::Array(a) if a.ndim >= 1) => {
                // `x, y, z = p`: the array's length must be the number of names (NumPy's
                // iteration), each name takes `p[i]`.
                let tmp = self.temp(value.ty.clone());
                out.push(ir::Stmt { kind: StmtKind::Assign { local: tmp, value }, span });
                let len = ir::Expr::new(ExprKind::ArrayAttr { array: self.local_expr(tmp, span).boxed(), attr: ir::ArrayAttr::Dim(0) }, Type::INT64, span);
                let n = targets.len() as i128;
                let int = |v| ir::Expr::new(ExprKind::Const(Const::Int(v)), Type::INT64, span);
                let many = ir::Expr::new(ExprKind::Compare { op: ast::CmpOp::Gt, lhs: len.clone().boxed(), rhs: int(n).boxed() }, Type::Bool, span);
                let few = ir::Expr::new(ExprKind::Compare { op: ast::CmpOp::Lt, lhs: len.boxed(), rhs: int(n).boxed() }, Type::Bool, span);
                let raise = |msg: String| vec![ir::Stmt { kind: StmtKind::Raise { exc: ExcKind::ValueError, msg: Some(msg) }, span }];
                out.push(ir::Stmt { kind: StmtKind::If { cond: many, then_body: raise(format!("too many values to unpack (expected {n})")), else_body: vec![] }, span });
                out.push(ir::Stmt { kind: StmtKind::If { cond: few, then_body: raise(format!("not enough values to unpack (expected {n})")), else_body: vec![] }, span });
                for (i, t) in targets.iter().enumerate() {
                    let index = ast::Expr { kind: ast::ExprKind::Int(i as u64), span };
                    let item = self.array_subscript(self.local_expr(tmp, span), &index, span)?;
                    self.assign(t, item, out)?;
                }
                Ok(())
            }
            ast::ExprKind::Tuple(targets) => {
                let n = match value.ty.tuple_items() {
                    Some(items) => items.len(),
                    None => return Err(self.typing(span, format!("cannot unpack a `{}`", value.ty), Some("only tuples can be unpacked"))),
                };
                if n != targets.len() {
                    return Err(self.typing(span, format!("cannot unpack a tuple of {n} items into {} names", targets.len()), None));
                }
                let tmp = self.temp(value.ty.clone());
                out.push(ir::Stmt { kind: StmtKind::Assign { local: tmp, value }, span });
                for (i, t) in targets.iter().enumerate() {
                    let item = self.tuple_get(self.local_expr(tmp, span), i, span);
                    self.assign(t, item, out)?;
                }
                Ok(())
            }
            ast::ExprKind::Subscript { value: container, index } => {
                if matches!(&container.kind, ast::ExprKind::Attribute { attr, .. } if attr == "flat") {
                    if let crate::expr::Value::FlatIter(array) = self.value(container)? {
                        return self.flat_store(array, index, value, span, out);
                    }
                }
                let array = self.expr(container)?;
                if let Type::List(_) = array.ty {
                    return self.list_store(array, index, value, span, out);
                }
                if let Type::Instance(_) = array.ty {
                    // `obj[i] = v`: `obj.__setitem__(i, v)`.
                    if !self.has_special_method(&array.ty, "__setitem__") {
                        return Err(self.typing(span, format!("a `{}` does not support item assignment", array.ty), Some("define `__setitem__` on the class")));
                    }
                    let i = self.expr(index)?;
                    let call = self.call_special_method(array, "__setitem__", vec![i, value], span)?;
                    out.push(ir::Stmt { kind: StmtKind::Expr(call), span });
                    return Ok(());
                }
                if let Type::Dict(..) = array.ty {
                    return self.dict_store(array, index, value, span, out);
                }
                if !matches!(array.ty, Type::Array(_)) {
                    return Err(self.typing(span, format!("cannot assign to an item of a `{}`", array.ty), Some("tuples are immutable; only array items can be assigned")));
                }
                let stmt = self.array_store(array, index, value, span)?;
                out.push(stmt);
                Ok(())
            }
            ast::ExprKind::Attribute { value: container, attr } => self.assign_attribute(container, attr, value, false, span, out),
            ast::ExprKind::Starred(_) => Err(self.typing(span, "starred assignment target must be in a list or tuple", None)),
            _ => Err(self.unsupported(span, "this assignment target is not supported", None)),
        }
    }

    /// `a.real = x`, `a.imag = x`: NumPy writes `x` (broadcast) into the view of that part of
    /// the array. A real array is its own real part and has no imaginary part to set (its
    /// `imag` is a read-only array of zeros, which `augmented` assignment would write).
    fn assign_attribute(&mut self, container: &ast::Expr, attr: &str, value: ir::Expr, augmented: bool, span: Span, out: &mut Vec<ir::Stmt>) -> Result<()> {
        let array = self.expr(container)?;
        // An optional value is stored as it is only into a jitclass's optional field.
        let value = if matches!(array.ty, Type::Instance(_)) { value } else { self.unwrap_optional(value) };
        if let Type::Instance(class) = &array.ty {
            // `obj.a += b` of an array field writes the array in place, as NumPy's `a += b`.
            if let (true, Some(field)) = (augmented && matches!(value.ty, Type::Array(_)), class.field(attr)) {
                let field_ty = class.fields[field].1.clone();
                if matches!(field_ty, Type::Array(_)) {
                    let view = ir::Expr::new(ExprKind::GetField { object: array.boxed(), field }, field_ty, span);
                    let stmt = self.assign_array_into(view, value, span)?;
                    out.push(stmt);
                    return Ok(());
                }
            }
            return self.assign_instance_attribute(array, attr, value, span, out);
        }
        if crate::arrays::is_record(&array.ty) && crate::arrays::record_has_field(&array.ty, attr) {
            // `r.x = v` of one record `r = a[i]`: written into the array.
            if let Type::Array(a) = &array.ty {
                if a.readonly {
                    return Err(self.typing(span, format!("cannot write to a read-only array (`{}`)", array.ty), Some("copy it first with `.copy()`")));
                }
            }
            let stmt = self.record_field_store(array, attr, value, span)?;
            out.push(stmt);
            return Ok(());
        }
        let a = match &array.ty {
            Type::Array(a) => a.clone(),
            Type::NamedTuple(n) => {
                return Err(self.typing(span, format!("cannot assign to the field `{attr}` of a `{}`: named tuples are immutable", n.name), Some(&format!("make a new one: `p = p._replace({attr}=...)`"))));
            }
            other => return Err(self.unsupported(span, format!("assigning to the attribute `{attr}` of a `{other}` is not supported"), None)),
        };
        match attr {
            "real" => {}
            "imag" if matches!(*a.dtype, Type::Complex(_)) => {}
            "imag" => {
                // NumPy 2.5 reworded the refusal of a plain assignment.
                let message = match (augmented, crate::numpy_at_least(2, 5)) {
                    (true, _) => "output array is read-only",
                    (false, true) => "Cannot set imaginary part of non-complex array.",
                    (false, false) => "array does not have imaginary part to set",
                };
                return Err(self.typing(span, message, Some("the imaginary part of a real array is read-only zeros: make the array complex first, e.g. `a = a.astype(np.complex128)`")));
            }
            "shape" => return Err(self.unsupported(span, "assigning to `shape` is not supported", Some("write `a = a.reshape(...)`"))),
            _ => return Err(self.typing(span, format!("the array attribute `{attr}` cannot be assigned"), None)),
        }
        let Some(crate::registry::Entry { build: crate::registry::Build::Attribute(part), .. }) = crate::registry::array_member(attr) else {
            return Err(self.internal(span, "array part attributes are registered"));
        };
        let view = match part(self, array, span)? {
            crate::expr::Value::Expr(view) => view,
            _ => return Err(self.internal(span, "an array part is an expression")),
        };
        if matches!(value.ty, Type::Array(_)) {
            let stmt = self.assign_array_into(view, value, span)?;
            out.push(stmt);
            return Ok(());
        }
        let Type::Array(v) = &view.ty else { return Err(self.internal(span, "an array part is an array")) };
        if v.readonly {
            return Err(self.typing(span, format!("cannot write to a read-only array (`{}`)", view.ty), Some("copy it first with `.copy()`")));
        }
        let v = v.clone();
        let value = self.element_value(value, &v, span)?;
        out.push(ir::Stmt { kind: StmtKind::ArrayFill { array: view, value }, span });
        Ok(())
    }

    fn for_stmt(&mut self, target: &ast::Expr, iter: &ast::Expr, body: &[ast::Stmt], orelse: &[ast::Stmt], span: Span, out: &mut Vec<ir::Stmt>) -> Result<()> {
        let range_args = match &iter.kind {
            ast::ExprKind::Call { func, args, keywords } if keywords.is_empty() && self.is_builtin(func, "range")? => args,
            ast::ExprKind::Call { func, args, keywords } if args.is_empty() && keywords.is_empty() && matches!(&func.kind, ast::ExprKind::Attribute { attr, .. } if ["items", "keys", "values"].contains(&attr.as_str())) => {
                let ast::ExprKind::Attribute { value: receiver, attr } = &func.kind else { unreachable!("matched") };
                if let crate::expr::Value::Expr(dict @ ir::Expr { ty: Type::Dict(..), .. }) = self.value(receiver)? {
                    return self.dict_for(target, dict, attr, body, orelse, span, out);
                }
                return self.for_walk(target, iter, body, orelse, span, out);
            }
            ast::ExprKind::Call { .. } => return self.for_walk(target, iter, body, orelse, span, out),
            _ => {
                match self.value(iter)? {
                    crate::expr::Value::Expr(list @ ir::Expr { ty: Type::List(_), .. }) => return self.list_for(target, list, body, orelse, span, out),
                    crate::expr::Value::Expr(dict @ ir::Expr { ty: Type::Dict(..) | Type::Set(_), .. }) => return self.dict_for(target, dict, "keys", body, orelse, span, out),
                    crate::expr::Value::Expr(s @ ir::Expr { ty: Type::Str | Type::Bytes, .. }) => return self.str_for(target, s, body, orelse, span, out),
                    crate::expr::Value::Expr(args @ ir::Expr { ty: Type::ExceptionArgs, .. }) => {
                        let list = self.exception_args_list(args, iter.span)?;
                        return self.list_for(target, list, body, orelse, span, out);
                    }
                    crate::expr::Value::Str(text) => return self.str_for(target, Self::string_constant(&text, iter.span), body, orelse, span, out),
                    _ => {}
                }
                return self.for_walk(target, iter, body, orelse, span, out);
            }
        };
        let mut bounds = Vec::new();
        for a in range_args {
            let e = self.expr(a)?;
            if !e.ty.is_integer_like() {
                return Err(self.typing(a.span, format!("`range()` needs integer arguments, got a `{}`", e.ty), Some("convert with `int(...)`")));
            }
            bounds.push(self.cast(e, &Type::INT64));
        }
        let int = |v: i128| ir::Expr::new(ExprKind::Const(Const::Int(v)), Type::INT64, iter.span);
        let (start, stop, step) = match bounds.len() {
            1 => (int(0), bounds.pop().unwrap(), int(1)),
            2 => {
                let stop = bounds.pop().unwrap();
                (bounds.pop().unwrap(), stop, int(1))
            }
            3 => {
                let step = bounds.pop().unwrap();
                let stop = bounds.pop().unwrap();
                (bounds.pop().unwrap(), stop, step)
            }
            n => return Err(self.typing(iter.span, format!("`range()` takes 1 to 3 arguments, got {n}"), None)),
        };
        let index = self.temp(Type::INT64);
        let mut body_ir = Vec::new();
        self.assign(target, self.local_expr(index, target.span), &mut body_ir)?;
        self.loop_depth += 1;
        let rest = self.block(body);
        self.loop_depth -= 1;
        body_ir.extend(rest?);
        let orelse = self.block(orelse)?;
        out.push(ir::Stmt { kind: StmtKind::ForRange { index, start, stop, step, body: body_ir, orelse }, span });
        Ok(())
    }

    /// Whether `func` names the built-in `name` (and is not shadowed by a local).
    pub fn is_builtin(&mut self, func: &ast::Expr, name: &str) -> Result<bool> {
        Ok(match &func.kind {
            ast::ExprKind::Name(n) if !self.names.contains_key(n) => {
                match self.global(n, func.span)? {
                    // `prange` outside a loop rewritten to run in parallel (see `parallel`).
                    GlobalValue::Function(q) if name == "range" && q == "ferrojit.prange" => true,
                    GlobalValue::Function(q) => q == format!("builtins.{name}"),
                    // A built-in the library implements (`list`, `sum`, `sorted`).
                    GlobalValue::Overloaded(key) => crate::overloads::library_name(key).is_some_and(|q| q == format!("builtins.{name}")),
                    _ => false,
                }
            }
            // `ferrojit.prange` (`numba.prange` after `import ferrojit as numba`).
            ast::ExprKind::Attribute { value, attr } if name == "range" && attr == "prange" => match &value.kind {
                ast::ExprKind::Name(m) if !self.names.contains_key(m) => matches!(self.global(m, value.span)?, GlobalValue::Module(crate::env::ModuleKind::Ferrojit)),
                _ => false,
            },
            _ => false,
        })
    }

    /// A constant string for an assertion or exception message.
    fn constant_message(&mut self, e: &ast::Expr) -> Result<String> {
        match &e.kind {
            ast::ExprKind::Str(s) => Ok(s.clone()),
            // A global (or an overload's static argument) bound to a string.
            ast::ExprKind::Name(_) => match self.value(e)? {
                crate::expr::Value::Str(s) => Ok(s),
                _ => Err(self.unsupported(e.span, "exception messages must be constant strings", Some("write the message as a string literal"))),
            },
            _ => Err(self.unsupported(e.span, "exception messages must be constant strings", Some("write the message as a string literal"))),
        }
    }

    /// An exception message: a constant (a string written in place, or a global), text made
    /// at run time (a string expression), or text written when raised (an f-string, or a
    /// number, whose `str()` it is).
    fn message(&mut self, e: &ast::Expr) -> Result<Message> {
        if let Ok(text) = self.constant_message(e) {
            return Ok(Message::Constant(text));
        }
        if let ast::ExprKind::FString(parts) = &e.kind {
            return self.fstring_message(parts, e.span);
        }
        let x = self.expr(e)?;
        if x.ty == Type::Str {
            return Ok(Message::Text(x));
        }
        if x.ty.is_number() && !matches!(x.ty, Type::Complex(_)) {
            // `raise IndexError(5)`: the number's repr after the runtime's mark for a message
            // that is a number (`ferrojit_runtime::KEY_ERROR_NUMBER_MARK`), which the dispatcher
            // turns back into the exception's argument, as CPython's `IndexError(5)`.
            let mut setup = Vec::new();
            let value = self.held(x, &mut setup, e.span);
            return Ok(Message::Written { setup, pieces: vec![Piece::Text("\0".into()), Piece::Value { value, repr: true }] });
        }
        Err(self.unsupported(e.span, format!("an exception message must be a string, not a `{}`", x.ty), Some("format the message into a string, e.g. with an f-string")))
    }

    /// `raise E(f"...")`: the f-string's pieces written into the runtime's message. Its values
    /// are evaluated (and those with a format spec or `!a` formatted) first, in order, as
    /// CPython does; a number's or string's text is written without making a string.
    fn fstring_message(&mut self, parts: &[ast::FStringPart], span: Span) -> Result<Message> {
        let mut setup = Vec::new();
        let mut pieces = Vec::new();
        for part in parts {
            match part {
                ast::FStringPart::Text(text) => pieces.push(Piece::Text(text.clone())),
                ast::FStringPart::Value { value, conversion, spec } => {
                    let x = self.expr(value)?;
                    let x = if conversion.is_none() { self.format_operand(x) } else { x };
                    let written = matches!(x.ty, Type::Str | Type::Bool | Type::Int(_) | Type::Float(_)) && spec.is_empty() && matches!(conversion, None | Some('s') | Some('r'));
                    let (x, repr) = if written {
                        (x, *conversion == Some('r'))
                    } else {
                        let spec = if spec.is_empty() { None } else { Some(self.fstring(spec, span)?) };
                        (self.format_value(x, *conversion, spec, value.span)?, false)
                    };
                    let value = self.held_temporary(x, &mut setup, span);
                    pieces.push(Piece::Value { value, repr });
                }
            }
        }
        Ok(Message::Written { setup, pieces })
    }

    /// `e` as a constant or a new local assigned in `out`: a value that later code (the rest
    /// of an f-string, with `:=`) cannot change before it is written.
    fn held_temporary(&mut self, e: ir::Expr, out: &mut Vec<ir::Stmt>, span: Span) -> ir::Expr {
        if matches!(e.kind, ExprKind::Const(_)) {
            return e;
        }
        let tmp = self.temp(e.ty.clone());
        out.push(ir::Stmt { kind: StmtKind::Assign { local: tmp, value: e }, span });
        self.local_expr(tmp, span)
    }

    /// The runtime calls that write `pieces` into the message buffer `buffer` (see
    /// [`Message::Written`]).
    fn message_writes(&mut self, buffer: &ir::Expr, pieces: Vec<Piece>, span: Span) -> Vec<ir::Stmt> {
        let runtime = |func, args: Vec<ir::Expr>| {
            let args = std::iter::once(buffer.clone()).chain(args).collect();
            ir::Stmt { kind: StmtKind::Expr(ir::Expr::new(ExprKind::Runtime { func, args }, Type::INT64, span)), span }
        };
        let int = |v: i128| ir::Expr::new(ExprKind::Const(Const::Int(v)), Type::INT64, span);
        let mut out = Vec::with_capacity(pieces.len());
        for piece in pieces {
            // NumPy 2's `repr` of its own scalars (`np.float32(7.1)`) around their text.
            let numpy_name = match &piece {
                Piece::Value { value, repr: true } => crate::strings::numpy_scalar_name(&value.ty),
                _ => None,
            };
            if let Some(name) = &numpy_name {
                out.push(runtime(ir::RuntimeFunc::MESSAGE_STR, vec![Self::string_constant(&format!("np.{name}("), span), int(0)]));
            }
            out.push(match piece {
                Piece::Text(text) => runtime(ir::RuntimeFunc::MESSAGE_STR, vec![Self::string_constant(&text, span), int(0)]),
                Piece::Value { value, repr } => match value.ty.clone() {
                    Type::Str => runtime(ir::RuntimeFunc::MESSAGE_STR, vec![value, int(repr as i128)]),
                    Type::Bool | Type::Int(_) | Type::Float(_) => {
                        let (kind, args) = self.number_text_arguments(value, span);
                        let func = match kind {
                            crate::strings::NumberText::Int => ir::RuntimeFunc::MESSAGE_INT,
                            crate::strings::NumberText::Float => ir::RuntimeFunc::MESSAGE_FLOAT,
                        };
                        runtime(func, args.into())
                    }
                    // `None` (the only other type an argument may have).
                    _ => runtime(ir::RuntimeFunc::MESSAGE_STR, vec![Self::string_constant("None", span), int(0)]),
                },
            });
            if numpy_name.is_some() {
                out.push(runtime(ir::RuntimeFunc::MESSAGE_STR, vec![Self::string_constant(")", span), int(0)]));
            }
        }
        out
    }

    /// The text of a [`Message::Written`] as a string, for an exception made as a value
    /// (`raise X from E(a, b)`).
    fn written_text(&mut self, setup: Vec<ir::Stmt>, pieces: Vec<Piece>, span: Span) -> Result<ir::Expr> {
        let mut texts = Vec::with_capacity(pieces.len());
        for piece in pieces {
            texts.push(match piece {
                Piece::Text(text) => Self::string_constant(&text, span),
                Piece::Value { value, repr } => self.to_str(value, repr, span)?,
            });
        }
        let text = self.concat_all(texts, span);
        Ok(ir::Expr::new(ExprKind::Block { stmts: setup, value: text.boxed() }, Type::Str, span))
    }

    /// The statements that raise `exc` with `message`: a message made at run time is handed to
    /// the runtime, which raises; the `Raise` after it ends the path for the compiler.
    fn raise_stmts(&mut self, exc: ExcKind, message: Option<Message>, span: Span) -> Vec<ir::Stmt> {
        let stmt = |kind| ir::Stmt { kind, span };
        match message {
            None => vec![stmt(StmtKind::Raise { exc, msg: None })],
            Some(Message::Constant(text)) => vec![stmt(StmtKind::Raise { exc, msg: Some(text) })],
            Some(Message::Text(text)) => Self::raise_with_text(exc.code() as i128, text, span),
            Some(Message::Written { setup, pieces }) => self.raise_written(exc.code(), setup, pieces, span),
        }
    }

    /// Raises the exception of code `code` with the message `pieces` write (see
    /// [`Message::Written`]), then a `Raise` that is never reached (the call raises).
    fn raise_written(&mut self, code: u32, setup: Vec<ir::Stmt>, pieces: Vec<Piece>, span: Span) -> Vec<ir::Stmt> {
        let mut out = setup;
        // The thread's message buffer (a pointer, passed as an int64).
        let begin = ir::Expr::new(ExprKind::Runtime { func: ir::RuntimeFunc::MESSAGE_BEGIN, args: vec![] }, Type::INT64, span);
        let buffer = self.held_temporary(begin, &mut out, span);
        // The mark of a message that is the exception's argument (`ferrojit_rt_raise_with_text`).
        let marked = Piece::merged(std::iter::once(Piece::Text("\u{1}".into())).chain(pieces));
        out.extend(self.message_writes(&buffer, marked, span));
        let code = ir::Expr::new(ExprKind::Const(Const::Int(code as i128)), Type::INT64, span);
        let raise = ir::Expr::new(ExprKind::Runtime { func: ir::RuntimeFunc::RAISE_MESSAGE, args: vec![buffer, code] }, Type::INT64, span);
        out.push(ir::Stmt { kind: StmtKind::Expr(raise), span });
        out.push(ir::Stmt { kind: StmtKind::Raise { exc: ExcKind::Exception, msg: None }, span });
        out
    }

    /// Raises the exception of code `code` with the run-time string `text` as its argument
    /// (`-code`: without one; see `ferrojit_rt_raise_with_text`), then a `Raise` that is never
    /// reached (the call raises).
    fn raise_with_text(code: i128, text: ir::Expr, span: Span) -> Vec<ir::Stmt> {
        let code = ir::Expr::new(ExprKind::Const(Const::Int(code)), Type::INT64, span);
        let call = ir::Expr::new(ExprKind::Runtime { func: ir::RuntimeFunc::RAISE_WITH_TEXT, args: vec![code, text] }, Type::INT64, span);
        vec![ir::Stmt { kind: StmtKind::Expr(call), span }, ir::Stmt { kind: StmtKind::Raise { exc: ExcKind::Exception, msg: None }, span }]
    }

    /// `raise E`, `raise E()` or `raise E(message)` of an exception class defined in Python
    /// code: always through the runtime, which takes any code.
    fn raise_user_stmts(&mut self, code: u32, message: Option<Message>, span: Span) -> Result<Vec<ir::Stmt>> {
        if let Some(Message::Written { setup, pieces }) = message {
            return Ok(self.raise_written(code, setup, pieces, span));
        }
        let (code, text) = self.code_and_text(code, message, span)?;
        Ok(Self::raise_with_text(code, text, span))
    }

    /// The code and text the runtime raises an exception of class `code` with (see
    /// `ferrojit_rt_raise_with_text`): the message as a string, or the negated code and an
    /// unused empty string for an exception without one.
    fn code_and_text(&mut self, code: u32, message: Option<Message>, span: Span) -> Result<(i128, ir::Expr)> {
        Ok(match message {
            None => (-(code as i128), Self::string_constant("", span)),
            Some(Message::Constant(text)) => (code as i128, Self::string_constant(&text, span)),
            Some(Message::Text(text)) => (code as i128, text),
            Some(Message::Written { setup, pieces }) => (code as i128, self.written_text(setup, pieces, span)?),
        })
    }

    /// The exception class `class` names, when it names one.
    fn exception_class(&mut self, class: &ast::Expr) -> Result<Option<Raised>> {
        Ok(match self.value(class)? {
            crate::expr::Value::Global(GlobalValue::ExceptionClass(k)) => Some(Raised::Builtin(k)),
            crate::expr::Value::Global(GlobalValue::UserExceptionClass(code, _)) => Some(Raised::User(code)),
            _ => None,
        })
    }

    /// `raise E`, `raise E()` or `raise E(message)`.
    fn exception(&mut self, e: &ast::Expr) -> Result<(Raised, Option<Message>)> {
        let not_exception = |cx: &Self, span| cx.unsupported(span, "only exception classes can be raised", Some("raise e.g. `ValueError(\"...\")`, or a module-level subclass of one"));
        let (class, args) = match &e.kind {
            ast::ExprKind::Call { func, args, keywords } if keywords.is_empty() => (func.as_ref(), args.as_slice()),
            _ => (e, &[][..]),
        };
        let Some(kind) = self.exception_class(class)? else { return Err(not_exception(self, class.span)) };
        match args {
            [] => Ok((kind, None)),
            [msg] => Ok((kind, Some(self.message(msg)?))),
            _ => Ok((kind, Some(self.arguments_message(args)?))),
        }
    }

    /// `raise E(a, b, ...)`: the `repr` of the tuple of the arguments after the runtime's mark
    /// for several arguments and their count (`ferrojit_runtime::ARGUMENTS_MARK`), which the
    /// dispatcher turns back into the exception's arguments. Each is a string, a real number,
    /// a bool or `None`, whose `repr` Python reads back (`ast.literal_eval`). The arguments are
    /// evaluated first, in order, then written.
    fn arguments_message(&mut self, args: &[ast::Expr]) -> Result<Message> {
        let mut setup = Vec::new();
        let mut pieces = vec![Piece::Text(format!("\u{3}{}\u{3}(", args.len()))];
        for (k, a) in args.iter().enumerate() {
            let x = self.expr(a)?;
            let literal = matches!(x.ty, Type::Str | Type::Bool | Type::NoneType | Type::Int(_) | Type::Float(_));
            if !literal {
                return Err(self.unsupported(a.span, format!("an exception's arguments must be strings, numbers, bools or `None`, not a `{}`", x.ty), Some("format the value into a string, e.g. with an f-string")));
            }
            // NumPy's own scalars (`float32`, `int8`, ...) are written as NumPy 2's `repr`
            // writes them, and read back as those scalars.
            if k > 0 {
                pieces.push(Piece::Text(", ".into()));
            }
            let value = self.held_temporary(x, &mut setup, a.span);
            pieces.push(Piece::Value { value, repr: true });
        }
        pieces.push(Piece::Text(")".into()));
        Ok(Message::Written { setup, pieces })
    }

    /// Whether `func` is the name of an exception class (a global, not a local).
    pub(crate) fn names_exception_class(&mut self, func: &ast::Expr) -> Result<bool> {
        Ok(match &func.kind {
            // A name that is not a global is left for the call's own error.
            ast::ExprKind::Name(n) if !self.names.contains_key(n) => matches!(self.global(n, func.span), Ok(GlobalValue::ExceptionClass(_) | GlobalValue::UserExceptionClass(..))),
            _ => false,
        })
    }

    /// The exception `E(...)` (or `E`) as a value (a [`Type::Exception`]): its class's code and
    /// its message as the runtime writes it, for `raise X from E(...)` and `err = E(...)`.
    pub(crate) fn new_exception_value(&mut self, e: &ast::Expr) -> Result<ir::Expr> {
        let span = e.span;
        let class = match &e.kind {
            ast::ExprKind::Call { func, .. } => func.as_ref(),
            _ => e,
        };
        if self.exception_class(class)?.is_none() {
            return Err(self.unsupported(span, "`raise ... from` takes an exception (`E(...)`, `E`, or one caught: `except E as e`) or `None`", Some("write `raise X from E(\"...\")` or `raise X from e`")));
        }
        let (raised, message) = self.exception(e)?;
        let code = match raised {
            Raised::Builtin(kind) => kind.code(),
            Raised::User(code) => code,
        };
        // The one argument after the runtime's mark (see `ferrojit_rt_raise_with_text`), or an
        // empty message for none.
        let mark = |cx: &mut Self, text: ir::Expr| cx.str_binop(ast::BinOp::Add, Self::string_constant("\u{1}", span), text, span);
        let message = match message {
            None => Self::string_constant("", span),
            Some(Message::Constant(text)) => Self::string_constant(&format!("\u{1}{text}"), span),
            Some(Message::Text(text)) => mark(self, text)?,
            Some(Message::Written { setup, pieces }) => {
                let text = self.written_text(setup, pieces, span)?;
                mark(self, text)?
            }
        };
        Ok(Self::exception_value(code, message, span))
    }

    /// The exception value ([`Type::Exception`]) of class `code` with `message`, marks included.
    fn exception_value(code: u32, message: ir::Expr, span: Span) -> ir::Expr {
        let code = ir::Expr::new(ExprKind::Const(Const::Int(code as i128)), Type::INT64, span);
        ir::Expr::new(ExprKind::Tuple(vec![code, message]), Type::Exception, span)
    }

    /// Whether `e` is a variable holding an exception (`raise e` after `except E as e`), or
    /// the cause of one (`e.__cause__`).
    fn is_exception_value(&self, e: &ast::Expr) -> bool {
        match &e.kind {
            ast::ExprKind::Name(n) => self.names.get(n).is_some_and(|&id| self.locals[id].ty == Some(Type::Exception)),
            ast::ExprKind::Attribute { value, attr } => attr == "__cause__" && self.is_exception_value(value),
            _ => false,
        }
    }

    /// What `except classes:` catches, `classes` an exception class or a tuple of them: the
    /// built-in kinds (each class's and its subclasses'), and the codes of the classes named,
    /// against which the exceptions of classes defined in Python code are checked when caught
    /// (see `ir::Handler::classes`): a class of your own deriving from `BaseException` alone
    /// is not an `Exception`.
    pub(crate) fn caught_kinds(&mut self, classes: &ast::Expr) -> Result<(Option<Vec<ExcKind>>, Vec<u32>)> {
        let named: Vec<&ast::Expr> = match &classes.kind {
            ast::ExprKind::Tuple(items) => items.iter().collect(),
            _ => vec![classes],
        };
        let mut kinds: Vec<ExcKind> = Vec::new();
        let mut codes = Vec::new();
        for class in named {
            match self.exception_class(class) {
                Ok(Some(Raised::Builtin(kind))) => {
                    codes.push(kind.code());
                    for k in ExcKind::caught_by(kind) {
                        if !kinds.contains(&k) {
                            kinds.push(k);
                        }
                    }
                }
                Ok(Some(Raised::User(code))) => codes.push(code),
                _ => return Err(self.unsupported(class.span, "`except` takes exception classes here", Some("catch e.g. `ValueError`, `(IndexError, KeyError)` or a module-level subclass of one"))),
            }
        }
        Ok((Some(kinds), codes))
    }

    pub fn cond(&mut self, test: &ast::Expr) -> Result<ir::Expr> {
        let e = self.optional_expr(test)?;
        if matches!(e.ty, Type::Instance(_)) {
            return self.instance_truth(e, test.span);
        }
        Ok(self.truth(e))
    }

    pub fn truth(&mut self, e: ir::Expr) -> ir::Expr {
        if e.ty == Type::Bool {
            return e;
        }
        let span = e.span;
        // An optional is true when it holds a true value, as in Python (`None` is false).
        if let Type::Optional(inner) = e.ty.clone() {
            let tmp = self.temp(e.ty.clone());
            let present = crate::expr::optional_present(self.local_expr(tmp, span));
            let value = ir::Expr::new(ExprKind::TupleGet(self.local_expr(tmp, span).boxed(), 1), *inner, span);
            let value = self.truth(value);
            let both = ir::Expr::new(ExprKind::Logical { and: true, lhs: present.boxed(), rhs: value.boxed() }, Type::Bool, span);
            return ir::Expr::new(ExprKind::Let { local: tmp, value: e.boxed(), body: both.boxed() }, Type::Bool, span);
        }
        // An exception is true, `None` (a `__cause__` that is none, code 0) false.
        if e.ty == Type::Exception {
            return self.exception_is_none(e, false, span);
        }
        // `e.args` is true when it holds an argument.
        if e.ty == Type::ExceptionArgs {
            let count = self.exception_arg_count(e);
            return ir::Expr::new(ExprKind::Compare { op: ast::CmpOp::NotEq, lhs: count.boxed(), rhs: ir::Expr::new(ExprKind::Const(Const::Int(0)), Type::INT64, span).boxed() }, Type::Bool, span);
        }
        if let Type::Array(a) = e.ty.clone() {
            if let (0, Type::Record(record)) = (a.ndim, &*a.dtype) {
                return self.record_truth(e, record, span);
            }
            return self.array_truth(e, &a, span);
        }
        ir::Expr::new(ExprKind::Truth(e.boxed()), Type::Bool, span)
    }

    /// The truth of one record (a 0-d structured array), as NumPy's `np.void`: whether any
    /// field is nonzero.
    fn record_truth(&mut self, e: ir::Expr, record: &ferrojit_types::RecordType, span: Span) -> ir::Expr {
        let tmp = self.temp(e.ty.clone());
        let mut any: Option<ir::Expr> = None;
        for field in &record.fields {
            let value = crate::arrays::field_of(self.local_expr(tmp, span), field, span);
            let truth = self.truth(value);
            any = Some(match any {
                None => truth,
                Some(before) => ir::Expr::new(ExprKind::Logical { and: false, lhs: before.boxed(), rhs: truth.boxed() }, Type::Bool, span),
            });
        }
        let any = any.unwrap_or_else(|| ir::Expr::new(ExprKind::Const(Const::Bool(false)), Type::Bool, span));
        ir::Expr::new(ExprKind::Let { local: tmp, value: e.boxed(), body: any.boxed() }, Type::Bool, span)
    }

    /// NumPy's truth of an array: its one element's; a `ValueError` for none or several.
    fn array_truth(&mut self, e: ir::Expr, a: &ferrojit_types::ArrayType, span: Span) -> ir::Expr {
        let tmp = self.temp(e.ty.clone());
        let size = ir::Expr::new(ExprKind::ArrayAttr { array: self.local_expr(tmp, span).boxed(), attr: ir::ArrayAttr::Size }, Type::INT64, span);
        let int = |v| ir::Expr::new(ExprKind::Const(Const::Int(v)), Type::INT64, span);
        let compare = |op, l: ir::Expr, r: ir::Expr| ir::Expr::new(ExprKind::Compare { op, lhs: l.boxed(), rhs: r.boxed() }, Type::Bool, span);
        let raise = |msg: &str| ir::Stmt { kind: StmtKind::Raise { exc: ExcKind::ValueError, msg: Some(msg.into()) }, span };
        let stmts = vec![
            ir::Stmt { kind: StmtKind::Assign { local: tmp, value: e }, span },
            ir::Stmt {
                kind: StmtKind::If {
                    cond: compare(ast::CmpOp::Eq, size.clone(), int(0)),
                    then_body: vec![raise("The truth value of an empty array is ambiguous. Use `array.size > 0` to check that an array is not empty.")],
                    else_body: vec![],
                },
                span,
            },
            ir::Stmt {
                kind: StmtKind::If {
                    cond: compare(ast::CmpOp::Gt, size, int(1)),
                    then_body: vec![raise("The truth value of an array with more than one element is ambiguous. Use a.any() or a.all()")],
                    else_body: vec![],
                },
                span,
            },
        ];
        let zeros = (0..a.ndim).map(|_| int(0)).collect();
        let element = crate::arrays::element_at(self.local_expr(tmp, span), zeros, span);
        let value = self.truth(element);
        ir::Expr::new(ExprKind::Block { stmts, value: value.boxed() }, Type::Bool, span)
    }

    /// Converts `e` to `ty`; the identity when it already has that type.
    pub fn cast(&self, e: ir::Expr, ty: &Type) -> ir::Expr {
        if &e.ty == ty {
            return e;
        }
        let span = e.span;
        // Into an optional (`None`, or a value converted to its inner type; see `unify`).
        if let Type::Optional(inner) = ty {
            let e = if e.ty == Type::NoneType { e } else { self.cast(e, inner) };
            return crate::expr::make_optional(e, ty);
        }
        if let ExprKind::Tuple(items) = e.kind {
            // Convert literal tuples item by item so the IR stays readable (a named tuple's
            // items widened, `P(1, 2)` stored where `P(1.5, 2)` is expected, too).
            if let Some(tys) = ty.tuple_items() {
                let items = items.into_iter().zip(tys).map(|(i, t)| self.cast(i, t)).collect();
                return ir::Expr::new(ExprKind::Tuple(items), ty.clone(), span);
            }
            unreachable!("tuples are only converted to tuples");
        }
        ir::Expr::new(ExprKind::Cast(e.boxed()), ty.clone(), span)
    }

    /// The items of a tuple value, evaluating it once (when it is not a local, the first item
    /// binds it to a temporary, and items are evaluated in order).
    pub fn tuple_items(&mut self, tuple: ir::Expr, span: Span) -> Vec<ir::Expr> {
        let n = match tuple.ty.tuple_items() {
            Some(items) => items.len(),
            None => unreachable!("tuple_items of a non-tuple"),
        };
        if matches!(tuple.kind, ExprKind::Local(_)) || n == 0 {
            return (0..n).map(|i| self.tuple_get(tuple.clone(), i, span)).collect();
        }
        let tmp = self.temp(tuple.ty.clone());
        let mut items: Vec<ir::Expr> = (0..n).map(|i| self.tuple_get(self.local_expr(tmp, span), i, span)).collect();
        let first = items[0].clone();
        let ty = first.ty.clone();
        items[0] = ir::Expr::new(ExprKind::Let { local: tmp, value: tuple.boxed(), body: first.boxed() }, ty, span);
        items
    }

    pub fn tuple_get(&self, tuple: ir::Expr, i: usize, span: Span) -> ir::Expr {
        let ty = match tuple.ty.tuple_items() {
            Some(items) => items[i].clone(),
            None => unreachable!("tuple_get on a non-tuple"),
        };
        ir::Expr::new(ExprKind::TupleGet(tuple.boxed(), i), ty, span)
    }
}

/// The type that holds values of types `a` and `b` (see [`unify`]), or else, when one of them
/// is `None`, the optional of the other (Numba's unification with `none`).
pub(crate) fn unify_or_optional(a: &Type, b: &Type) -> Option<Type> {
    unify(a, b).or_else(|| match (a, b) {
        (Type::NoneType, Type::NoneType | Type::Optional(_)) | (Type::Optional(_), Type::NoneType) => None,
        (Type::NoneType, other) | (other, Type::NoneType) => Some(Type::Optional(Box::new(other.clone()))),
        _ => None,
    })
}

/// The type of resuming a generator of type `generator` ([`ir::ExprKind::Resume`]): whether
/// it yielded, and what.
pub(crate) fn resumed_type(generator: &Type) -> Type {
    match generator {
        Type::Generator(g) => Type::Tuple(vec![Type::Bool, g.yield_ty.clone()]),
        other => unreachable!("resuming a `{other}`"),
    }
}

/// Whether a value of type `from` converts to `to` (as a declared return type does):
/// numbers to numbers (not complex to real), tuples item by item, arrays of the same element
/// type and dimensions to any layout, and aligned ones to unaligned ones (never the reverse:
/// code for an aligned array may assume what an unaligned one does not give).
/// The message and hint for `def` compiled for the argument types `args`, not one per
/// parameter (a declared signature of another length): CPython's words for a call with that
/// many positional arguments. Fewer arguments that defaults make up bind in Python, but a
/// compiled signature names every parameter's type.
fn argument_count_message(def: &ast::FunctionDef, has_default: impl Fn(usize) -> bool, args: &[Type]) -> (String, String) {
    use crate::bind::{name_list, plural};
    let (name, given, total) = (&def.name, args.len(), def.params.len());
    let required = (0..total).take_while(|&i| !has_default(i)).count();
    let types: Vec<String> = args.iter().map(Type::to_string).collect();
    let with_defaults = if required < total { ", those with defaults too" } else { "" };
    let hint = format!("the signature gives {} ({}): declare one per parameter of `{name}`{with_defaults}", plural(given, "argument type"), types.join(", "));
    let message = if given > total {
        let takes = if required == total { plural(total, "positional argument") } else { format!("from {required} to {total} positional arguments") };
        format!("{name}() takes {takes} but {given} {} given", if given == 1 { "was" } else { "were" })
    } else if given < required {
        let missing: Vec<&str> = def.params[given..required].iter().map(|p| p.name.as_str()).collect();
        format!("{name}() missing {} required positional {}: {}", missing.len(), if missing.len() == 1 { "argument" } else { "arguments" }, name_list(&missing, '\''))
    } else {
        format!("{name}() is compiled for {} but takes {}", plural(given, "argument"), plural(total, "argument"))
    };
    (message, hint)
}

fn convertible(from: &Type, to: &Type) -> bool {
    match (from, to) {
        (Type::Complex(_), t) if t.is_number() => matches!(t, Type::Complex(_)),
        (f, t) if f.is_number() && t.is_number() => true,
        (Type::Tuple(a), Type::Tuple(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| convertible(x, y)),
        (Type::NamedTuple(a), Type::NamedTuple(b)) => a.class == b.class && a.items.len() == b.items.len() && a.items.iter().zip(&b.items).all(|(x, y)| convertible(x, y)),
        (Type::Array(a), Type::Array(b)) => a.dtype == b.dtype && a.ndim == b.ndim && (b.layout == ferrojit_types::Layout::A || a.layout == b.layout) && (a.aligned || !b.aligned),
        (a, b) => a == b,
    }
}

/// Names bound by assignment anywhere in the body (`=`, loops, `def`, `:=`, `del`): Python
/// makes them local to the function.
pub(crate) fn collect_assigned(stmts: &[ast::Stmt], out: &mut Vec<String>) {
    fn target(e: &ast::Expr, out: &mut Vec<String>) {
        match &e.kind {
            ast::ExprKind::Name(n) => out.push(n.clone()),
            ast::ExprKind::Tuple(items) => items.iter().for_each(|i| target(i, out)),
            ast::ExprKind::Starred(inner) => target(inner, out),
            _ => {}
        }
    }
    for s in stmts {
        crate::closures::statement_expressions(s, &mut |e| named_targets(e, out));
        match &s.kind {
            ast::StmtKind::Assign { targets, .. } => targets.iter().for_each(|t| target(t, out)),
            ast::StmtKind::AugAssign { target: t, .. } => target(t, out),
            ast::StmtKind::FunctionDef(def) => out.push(def.name.clone()),
            ast::StmtKind::Delete(targets) => targets.iter().for_each(|t| target(t, out)),
            ast::StmtKind::For { target: t, body, orelse, .. } => {
                target(t, out);
                collect_assigned(body, out);
                collect_assigned(orelse, out);
            }
            ast::StmtKind::If { body, orelse, .. } | ast::StmtKind::While { body, orelse, .. } => {
                collect_assigned(body, out);
                collect_assigned(orelse, out);
            }
            ast::StmtKind::ObjMode(block) => out.extend(block.outputs.iter().map(|(name, _, _)| name.clone())),
            ast::StmtKind::Try { handlers, .. } => {
                out.extend(handlers.iter().filter_map(|h| h.name.clone()));
                s.kind.blocks().into_iter().for_each(|b| collect_assigned(b, out));
            }
            _ => {}
        }
    }
}

/// The targets of the `:=` expressions in `e`, not looking into lambdas (which bind their own).
pub(crate) fn named_targets(e: &ast::Expr, out: &mut Vec<String>) {
    if let ast::ExprKind::NamedExpr { target, .. } = &e.kind {
        if let ast::ExprKind::Name(n) = &target.kind {
            out.push(n.clone());
        }
    }
    crate::closures::each_child(e, &mut |c| named_targets(c, out));
}

/// For a parameter `name` that is `None`: the statement `if name is None:` that assigns it on
/// every path through its body, when that is the first statement of the function's body
/// mentioning `name` (the idiom for a default computed in the function, `if scale is None:
/// scale = 2.0`). Assigned on some paths only, the variable may still be `None` after the
/// `if`, and stays the parameter.
fn none_parameter_narrowing(body: &[ast::Stmt], name: &str) -> Option<Span> {
    for s in body {
        if let ast::StmtKind::If { test, body: then, .. } = &s.kind {
            let tests_none = matches!(&test.kind, ast::ExprKind::Compare { left, ops, comparators }
                if matches!(&left.kind, ast::ExprKind::Name(n) if n == name) && ops.as_slice() == [ast::CmpOp::Is] && matches!(comparators[0].kind, ast::ExprKind::None));
            if tests_none && crate::unbound::assigns_on_every_path(then, name) {
                return Some(s.span);
            }
        }
        let mut mentioned = Vec::new();
        collect_assigned(std::slice::from_ref(s), &mut mentioned);
        crate::closures::statement_reads(s, &mut mentioned);
        if mentioned.iter().any(|n| n == name) {
            return None;
        }
    }
    None
}

/// Whether control can reach the end of `stmts` (then the function returns None there).
fn falls_through(stmts: &[ast::Stmt]) -> bool {
    match stmts.last() {
        None => true,
        Some(s) => match &s.kind {
            ast::StmtKind::Return(_) | ast::StmtKind::Raise(_) | ast::StmtKind::RaiseFrom { .. } | ast::StmtKind::Reraise => false,
            ast::StmtKind::If { body, orelse, .. } => falls_through(body) || falls_through(orelse),
            // A loop without `break` ends only through its condition, then runs `else`.
            ast::StmtKind::While { test, body, orelse } => {
                if contains_break(body) {
                    true
                } else {
                    !is_true_literal(test) && falls_through(orelse)
                }
            }
            ast::StmtKind::For { body, orelse, .. } => contains_break(body) || falls_through(orelse),
            // The end of the body (then `else`) or of any handler; a body that cannot end
            // normally may still raise into a handler.
            ast::StmtKind::Try { body, handlers, orelse, finalbody } => {
                falls_through(finalbody) && ((falls_through(body) && falls_through(orelse)) || handlers.iter().any(|h| falls_through(&h.body)))
            }
            _ => true,
        },
    }
}

pub(crate) fn is_true_literal(e: &ast::Expr) -> bool {
    matches!(e.kind, ast::ExprKind::Bool(true)) || matches!(e.kind, ast::ExprKind::Int(n) if n != 0)
}

pub(crate) fn is_false_literal(e: &ast::Expr) -> bool {
    matches!(e.kind, ast::ExprKind::Bool(false) | ast::ExprKind::Int(0))
}

/// Whether a `break` in `stmts` leaves the loop that directly contains them.
pub(crate) fn contains_break(stmts: &[ast::Stmt]) -> bool {
    stmts.iter().any(|s| match &s.kind {
        ast::StmtKind::Break => true,
        ast::StmtKind::If { body, orelse, .. } => contains_break(body) || contains_break(orelse),
        ast::StmtKind::Try { .. } => s.kind.blocks().into_iter().any(contains_break),
        // A nested loop's `orelse` belongs to the outer loop; its body does not.
        ast::StmtKind::While { orelse, .. } | ast::StmtKind::For { orelse, .. } => contains_break(orelse),
        _ => false,
    })
}

/// The class a `raise` names.
enum Raised {
    Builtin(ExcKind),
    /// A class defined in Python code, by its code.
    User(u32),
}

/// The message of a raised exception (see [`FnInfer::message`]).
enum Message {
    Constant(String),
    /// A string made at run time.
    Text(ir::Expr),
    /// Text written into the runtime's message buffer when raised, piece by piece, rather
    /// than made as a string (see `ferrojit_runtime::ferrojit_rt_message_begin`): `setup`
    /// evaluates the arguments, in order, into the constants and locals that `pieces` write,
    /// so that nothing runs between the first piece written and the raise.
    Written { setup: Vec<ir::Stmt>, pieces: Vec<Piece> },
}

/// A piece of a [`Message::Written`]: a constant text, or the text of a constant or local
/// string, number, bool or `None` (its `repr` with `repr`).
enum Piece {
    Text(String),
    Value { value: ir::Expr, repr: bool },
}

impl Piece {
    /// `pieces` with the text of constants written in place and neighbouring texts joined:
    /// fewer writes when the code runs.
    fn merged(pieces: impl Iterator<Item = Piece>) -> Vec<Piece> {
        let mut out: Vec<Piece> = Vec::new();
        for piece in pieces {
            let piece = match piece {
                Piece::Value { value, repr } => match (&value.kind, &value.ty) {
                    (ExprKind::Const(Const::Str(text)), _) if !repr => Piece::Text(text.clone()),
                    (ExprKind::Const(Const::Str(text)), _) => match crate::strings::ascii_repr(text) {
                        Some(quoted) => Piece::Text(quoted),
                        None => Piece::Value { value, repr },
                    },
                    (_, Type::NoneType) => Piece::Text("None".into()),
                    _ => Piece::Value { value, repr },
                },
                text => text,
            };
            match (out.last_mut(), piece) {
                (Some(Piece::Text(before)), Piece::Text(text)) => before.push_str(&text),
                (_, piece) => out.push(piece),
            }
        }
        out
    }
}
