//! ruff's AST -> ferrojit's AST subset. Everything not listed in [`crate::ast`] is rejected here
//! with an `Unsupported` error naming the construct and, where there is one, the alternative.

use crate::ast::*;
use crate::source::Dedented;
use crate::{SyntaxError, SyntaxErrorKind, MAX_NESTING};
use ruff_python_ast as py;
use ruff_text_size::Ranged;

type Result<T> = std::result::Result<T, SyntaxError>;

struct Lowerer<'a> {
    src: &'a Dedented,
    /// Expressions and statements being lowered, outermost first: at most [`MAX_NESTING`].
    depth: std::cell::Cell<usize>,
    /// The comprehensions being lowered, innermost last: the names each one binds, with the
    /// hidden names they are renamed to.
    scopes: std::cell::RefCell<Vec<Vec<(String, String)>>>,
    /// The hidden names made so far for the function being lowered (see
    /// [`FunctionDef::hidden_locals`]).
    hidden: std::cell::RefCell<Vec<String>>,
    /// Hidden names made in the whole source, inner functions' included: numbers them, so
    /// that an inner function's hidden names never clash with the enclosing ones it reads.
    hidden_count: std::cell::Cell<usize>,
}

pub(crate) fn lower_module(module: &py::ModModule, src: &Dedented) -> Result<FunctionDef> {
    let lowerer = Lowerer { src, depth: std::cell::Cell::new(0), scopes: Default::default(), hidden: Default::default(), hidden_count: Default::default() };
    match module.body.first() {
        Some(py::Stmt::FunctionDef(def)) => lowerer.function(def),
        Some(other) => Err(lowerer.unsupported(
            other.range(),
            "expected a function definition",
            Some("apply `@njit` to a function defined with `def`"),
        )),
        None => Err(SyntaxError {
            kind: SyntaxErrorKind::Invalid,
            message: "the source is empty".into(),
            span: Span::default(),
            hint: None,
        }),
    }
}

impl Lowerer<'_> {
    fn span(&self, node: &impl Ranged) -> Span {
        self.src.span(node.range())
    }

    fn unsupported(&self, range: ruff_text_size::TextRange, what: &str, hint: Option<&str>) -> SyntaxError {
        SyntaxError {
            kind: SyntaxErrorKind::Unsupported,
            message: what.to_string(),
            span: self.src.span(range),
            hint: hint.map(str::to_string),
        }
    }

    fn function(&self, def: &py::StmtFunctionDef) -> Result<FunctionDef> {
        let hint_plain = "keep this part in a plain Python function and call the compiled one from it";
        if def.is_async {
            return Err(self.unsupported(def.range, "`async def` is not supported", Some(hint_plain)));
        }
        let params = self.parameters(&def.parameters, false)?;
        let body = self.block(&def.body)?;
        Ok(FunctionDef { name: def.name.id.to_string(), params, body, span: self.src.span(def.name.range), hidden_locals: self.hidden.take() })
    }

    /// The parameters of a function in Python's order (positional ones, `*args`, keyword-only
    /// ones, `**kwargs`), with their defaults lowered for inner functions and lambdas
    /// (`nested`; Python evaluated the compiled function's own).
    fn parameters(&self, p: &py::Parameters, nested: bool) -> Result<Vec<Param>> {
        let with_default = |a: &py::ParameterWithDefault, kind: ParamKind| -> Result<Param> {
            let default = match &a.default {
                Some(d) if nested => Some(self.expr(d)?),
                _ => None,
            };
            Ok(Param { name: a.parameter.name.id.to_string(), span: self.span(&a.parameter), kind, default })
        };
        let collector = |a: &py::Parameter, kind: ParamKind| Param { name: a.name.id.to_string(), span: self.span(a), kind, default: None };
        let mut params = p.posonlyargs.iter().chain(p.args.iter()).map(|a| with_default(a, ParamKind::Positional)).collect::<Result<Vec<_>>>()?;
        params.extend(p.vararg.as_deref().map(|a| collector(a, ParamKind::VarPositional)));
        for a in &p.kwonlyargs {
            params.push(with_default(a, ParamKind::KeywordOnly)?);
        }
        params.extend(p.kwarg.as_deref().map(|a| collector(a, ParamKind::VarKeyword)));
        Ok(params)
    }

    /// An inner function (`def` in the body, or a `lambda`): a function of its own, whose
    /// hidden locals are its own. Its parameters and the names it assigns shadow the enclosing
    /// comprehensions' renamed variables; the names it only reads keep them (a `lambda` in a
    /// comprehension reads the comprehension's variable).
    fn inner_function(&self, name: &str, span: Span, parameters: Option<&py::Parameters>, body: InnerBody<'_>) -> Result<FunctionDef> {
        let params = match parameters {
            Some(p) => self.parameters(p, true)?,
            None => Vec::new(),
        };
        let mut own: Vec<String> = params.iter().map(|p| p.name.clone()).collect();
        if let InnerBody::Statements(stmts) = body {
            collect_assigned_names(stmts, &mut own);
        }
        let outer_hidden = self.hidden.take();
        self.scopes.borrow_mut().push(own.into_iter().map(|n| (n.clone(), n)).collect());
        let lowered = match body {
            InnerBody::Statements(stmts) => self.block(stmts),
            InnerBody::Expression(e) => self.expr(e).map(|value| vec![Stmt { span: value.span, kind: StmtKind::Return(Some(value)) }]),
        };
        self.scopes.borrow_mut().pop();
        let hidden_locals = self.hidden.replace(outer_hidden);
        Ok(FunctionDef { name: name.to_string(), params, body: lowered?, span, hidden_locals })
    }

    fn block(&self, stmts: &[py::Stmt]) -> Result<Vec<Stmt>> {
        let mut out = Vec::new();
        for s in stmts {
            match s {
                // A `match` is a subject and an `if`/`elif` chain: two statements.
                py::Stmt::Match(m) => out.extend(self.nested(m.range, || self.match_statement(m))?),
                // A `with` (but `with objmode(...)`) is its calls of `__enter__` and
                // `__exit__` around a `try`.
                py::Stmt::With(w) if self.objmode_call(w).is_none() => out.extend(self.nested(w.range, || self.with_statement(w, &w.items))?),
                _ => out.extend(self.stmt(s)?),
            }
        }
        Ok(out)
    }

    /// `match subject:` as `if`/`elif`/`else` over its cases, in order: each case's test is its
    /// pattern's checks (sequence patterns: a tuple or list of that length, then their items),
    /// with the names it captures bound as they are checked (`(name := value, True)[1]`, so
    /// that a guard sees them, and they stay bound when it fails, as in CPython), then its
    /// guard. An irrefutable last case without a guard is the `else`. A subject other than a
    /// name is evaluated once, into a hidden variable.
    fn match_statement(&self, m: &py::StmtMatch) -> Result<Vec<Stmt>> {
        let span = self.span(m);
        let mut out = Vec::new();
        let subject = match &*m.subject {
            py::Expr::Name(n) => Expr { kind: ExprKind::Name(n.id.to_string()), span: self.span(n) },
            other => {
                let hidden = self.hidden_name("match");
                let name = Expr { kind: ExprKind::Name(hidden), span };
                out.push(Stmt { kind: StmtKind::Assign { targets: vec![name.clone()], value: self.expr(other)? }, span });
                name
            }
        };
        let mut arms: Vec<(Option<Expr>, Vec<Stmt>, Span)> = Vec::new();
        for (i, case) in m.cases.iter().enumerate() {
            // The checks come first, then the names captured, so that a case whose checks
            // fail when compiling (`isinstance`, `len` of a tuple) binds and types nothing.
            let (mut tests, mut captures) = (Vec::new(), Vec::new());
            self.pattern(&case.pattern, &subject, &mut tests, &mut captures)?;
            tests.append(&mut captures);
            if let Some(guard) = &case.guard {
                tests.push(self.expr(guard)?);
            }
            let body = self.block(&case.body)?;
            let case_span = self.span(&case.pattern);
            let test = match tests.len() {
                0 => None,
                1 => tests.pop(),
                _ => Some(Expr { kind: ExprKind::BoolOp { op: BoolOp::And, values: tests }, span: case_span }),
            };
            let last = i + 1 == m.cases.len();
            match test {
                // Irrefutable and last: the `else`; an irrefutable case before the last is a
                // `SyntaxError` in CPython already.
                None if last => arms.push((None, body, case_span)),
                None => arms.push((Some(Expr { kind: ExprKind::Bool(true), span: case_span }), body, case_span)),
                Some(test) => arms.push((Some(test), body, case_span)),
            }
        }
        let mut chain: Vec<Stmt> = Vec::new();
        for (test, body, case_span) in arms.into_iter().rev() {
            chain = match test {
                None => body,
                Some(test) => vec![Stmt { kind: StmtKind::If { test, body, orelse: chain }, span: case_span }],
            };
        }
        out.extend(chain);
        Ok(out)
    }

    /// The checks of `pattern` against `subject`, appended to `tests` (none: it always
    /// matches), and the names it captures, as tests binding them, appended to `captures`.
    /// The items of a tuple are read by constant indices, so that their checks (`isinstance`,
    /// `len`) are decided when compiling, and a case that cannot match types nothing.
    fn pattern(&self, pattern: &py::Pattern, subject: &Expr, tests: &mut Vec<Expr>, captures: &mut Vec<Expr>) -> Result<()> {
        let span = self.span(pattern);
        let node = |kind| Expr { kind, span };
        // `(name := value, True)[1]`: binds, and is true.
        let bind = |name: String, value: Expr| {
            let named = node(ExprKind::NamedExpr { target: Box::new(node(ExprKind::Name(name))), value: Box::new(value) });
            let pair = node(ExprKind::Tuple(vec![named, node(ExprKind::Bool(true))]));
            node(ExprKind::Subscript { value: Box::new(pair), index: Box::new(node(ExprKind::Int(1))) })
        };
        let call = |name: &str, args: Vec<Expr>| node(ExprKind::Call { func: Box::new(node(ExprKind::Name(name.into()))), args, keywords: Vec::new() });
        let compare = |left: Expr, op: CmpOp, right: Expr| node(ExprKind::Compare { left: Box::new(left), ops: vec![op], comparators: vec![right] });
        match pattern {
            py::Pattern::MatchValue(v) => tests.push(compare(subject.clone(), CmpOp::Eq, self.expr(&v.value)?)),
            py::Pattern::MatchSingleton(s) => match s.value {
                py::Singleton::None => tests.push(compare(subject.clone(), CmpOp::Is, node(ExprKind::None))),
                // `True` and `False` match the booleans only, not 1 and 0.
                py::Singleton::True | py::Singleton::False => {
                    tests.push(call("isinstance", vec![subject.clone(), node(ExprKind::Name("bool".into()))]));
                    tests.push(compare(subject.clone(), CmpOp::Eq, node(ExprKind::Bool(matches!(s.value, py::Singleton::True)))));
                }
            },
            py::Pattern::MatchAs(a) => {
                if let Some(inner) = &a.pattern {
                    self.pattern(inner, subject, tests, captures)?;
                }
                if let Some(name) = &a.name {
                    captures.push(bind(name.id.to_string(), subject.clone()));
                }
            }
            py::Pattern::MatchOr(o) => {
                let mut alternatives = Vec::new();
                for p in &o.patterns {
                    let (mut inner, mut named) = (Vec::new(), Vec::new());
                    self.pattern(p, subject, &mut inner, &mut named)?;
                    if !named.is_empty() {
                        return Err(self.unsupported(p.range(), "names captured in the alternatives of a `|` pattern are not supported yet", Some("capture the whole subject with `as`, or write one `case` per alternative")));
                    }
                    alternatives.push(match inner.len() {
                        0 => node(ExprKind::Bool(true)),
                        1 => inner.pop().expect("one test"),
                        _ => node(ExprKind::BoolOp { op: BoolOp::And, values: inner }),
                    });
                }
                tests.push(node(ExprKind::BoolOp { op: BoolOp::Or, values: alternatives }));
            }
            py::Pattern::MatchSequence(seq) => {
                // Sequences are tuples and lists (not strings, bytes or arrays, as in CPython).
                let kinds = node(ExprKind::Tuple(vec![node(ExprKind::Name("tuple".into())), node(ExprKind::Name("list".into()))]));
                tests.push(call("isinstance", vec![subject.clone(), kinds]));
                let index = |i: i64| match i {
                    0.. => node(ExprKind::Int(i as u64)),
                    _ => node(ExprKind::UnaryOp { op: UnaryOp::Neg, operand: Box::new(node(ExprKind::Int(i.unsigned_abs()))) }),
                };
                let item = |i: i64| node(ExprKind::Subscript { value: Box::new(subject.clone()), index: Box::new(index(i)) });
                let n = seq.patterns.len();
                match seq.patterns.iter().position(|p| matches!(p, py::Pattern::MatchStar(_))) {
                    None => {
                        tests.push(compare(call("len", vec![subject.clone()]), CmpOp::Eq, node(ExprKind::Int(n as u64))));
                        for (i, p) in seq.patterns.iter().enumerate() {
                            self.pattern(p, &item(i as i64), tests, captures)?;
                        }
                    }
                    // `(first, *rest, last)`: at least the other items; those after the star
                    // read from the end, what the star takes a list (as in CPython).
                    Some(star) => {
                        let after = n - star - 1;
                        tests.push(compare(call("len", vec![subject.clone()]), CmpOp::GtE, node(ExprKind::Int(n as u64 - 1))));
                        for (i, p) in seq.patterns[..star].iter().enumerate() {
                            self.pattern(p, &item(i as i64), tests, captures)?;
                        }
                        for (j, p) in seq.patterns[star + 1..].iter().enumerate() {
                            self.pattern(p, &item(j as i64 - after as i64), tests, captures)?;
                        }
                        if let py::Pattern::MatchStar(py::PatternMatchStar { name: Some(name), .. }) = &seq.patterns[star] {
                            let upper = (after > 0).then(|| Box::new(index(-(after as i64))));
                            let slice = node(ExprKind::Slice { lower: Some(Box::new(index(star as i64))), upper, step: None });
                            let rest = call("list", vec![node(ExprKind::Subscript { value: Box::new(subject.clone()), index: Box::new(slice) })]);
                            captures.push(bind(name.id.to_string(), rest));
                        }
                    }
                }
            }
            // `{key: pattern, ...}`: a dict holding each key (others may be there too), its
            // values matching.
            py::Pattern::MatchMapping(m) => {
                if let Some(rest) = &m.rest {
                    return Err(self.unsupported(rest.range, "`**rest` in a mapping pattern is not supported yet", Some("match the keys you need; read the others from the dict")));
                }
                tests.push(call("isinstance", vec![subject.clone(), node(ExprKind::Name("dict".into()))]));
                for (key, value) in m.keys.iter().zip(&m.patterns) {
                    let key = self.expr(key)?;
                    tests.push(node(ExprKind::Compare { left: Box::new(key.clone()), ops: vec![CmpOp::In], comparators: vec![subject.clone()] }));
                    let item = node(ExprKind::Subscript { value: Box::new(subject.clone()), index: Box::new(key) });
                    self.pattern(value, &item, tests, captures)?;
                }
            }
            // `Class(...)`: an instance of the class (decided when compiling, as `isinstance`),
            // its attributes named by keywords matching their patterns. A built-in type that
            // matches itself (`int(n)`, `str(s)`) takes one positional pattern, for the
            // subject itself, as in CPython; another class's positional patterns match the
            // attributes its `__match_args__` names, which inference reads
            // ([`MATCH_ARGUMENT`]).
            py::Pattern::MatchClass(c) => {
                let class = self.expr(&c.cls)?;
                tests.push(call("isinstance", vec![subject.clone(), class.clone()]));
                let matches_itself = matches!(&*c.cls, py::Expr::Name(n) if SELF_MATCHING_TYPES.contains(&n.id.as_str()));
                match c.arguments.patterns.as_slice() {
                    [] => {}
                    [one] if matches_itself => self.pattern(one, subject, tests, captures)?,
                    positional => {
                        let count = node(ExprKind::Int(positional.len() as u64));
                        for (i, p) in positional.iter().enumerate() {
                            let attribute = call(MATCH_ARGUMENT, vec![subject.clone(), class.clone(), node(ExprKind::Int(i as u64)), count.clone()]);
                            self.pattern(p, &attribute, tests, captures)?;
                        }
                    }
                }
                for keyword in &c.arguments.keywords {
                    let attribute = node(ExprKind::Attribute { value: Box::new(subject.clone()), attr: keyword.attr.id.to_string() });
                    self.pattern(&keyword.pattern, &attribute, tests, captures)?;
                }
            }
            py::Pattern::MatchStar(_) => return Err(self.unsupported(pattern.range(), "starred items in `case` patterns are not supported yet", None)),
        }
        Ok(())
    }

    /// Returns `None` for statements that compile to nothing (docstrings).
    fn stmt(&self, stmt: &py::Stmt) -> Result<Option<Stmt>> {
        self.nested(stmt.range(), || self.stmt_here(stmt))
    }

    fn stmt_here(&self, stmt: &py::Stmt) -> Result<Option<Stmt>> {
        let span = self.span(stmt);
        let kind = match stmt {
            py::Stmt::Assign(s) => StmtKind::Assign {
                targets: s.targets.iter().map(|t| self.target(t)).collect::<Result<_>>()?,
                value: self.expr(&s.value)?,
            },
            py::Stmt::AnnAssign(s) => match &s.value {
                Some(value) => StmtKind::Assign { targets: vec![self.target(&s.target)?], value: self.expr(value)? },
                None => return Ok(None),
            },
            py::Stmt::AugAssign(s) => StmtKind::AugAssign {
                target: self.target(&s.target)?,
                op: self.binop(s.op, s.range)?,
                value: self.expr(&s.value)?,
            },
            py::Stmt::If(s) => {
                // Fold the elif/else clauses from the back into nested ifs.
                let mut orelse = Vec::new();
                for clause in s.elif_else_clauses.iter().rev() {
                    let body = self.block(&clause.body)?;
                    orelse = match &clause.test {
                        None => body,
                        Some(test) => vec![Stmt {
                            kind: StmtKind::If { test: self.expr(test)?, body, orelse },
                            span: self.span(clause),
                        }],
                    };
                }
                StmtKind::If { test: self.expr(&s.test)?, body: self.block(&s.body)?, orelse }
            }
            py::Stmt::While(s) => StmtKind::While {
                test: self.expr(&s.test)?,
                body: self.block(&s.body)?,
                orelse: self.block(&s.orelse)?,
            },
            py::Stmt::For(s) => {
                if s.is_async {
                    return Err(self.unsupported(s.range, "`async for` is not supported", None));
                }
                StmtKind::For {
                    target: self.target(&s.target)?,
                    iter: self.expr(&s.iter)?,
                    body: self.block(&s.body)?,
                    orelse: self.block(&s.orelse)?,
                }
            }
            py::Stmt::Delete(d) => StmtKind::Delete(d.targets.iter().map(|t| self.target(t)).collect::<Result<_>>()?),
            py::Stmt::Break(_) => StmtKind::Break,
            py::Stmt::Continue(_) => StmtKind::Continue,
            py::Stmt::Pass(_) => StmtKind::Pass,
            py::Stmt::Return(s) => StmtKind::Return(s.value.as_deref().map(|v| self.expr(v)).transpose()?),
            py::Stmt::Assert(s) => StmtKind::Assert {
                test: self.expr(&s.test)?,
                msg: s.msg.as_deref().map(|m| self.expr(m)).transpose()?,
            },
            py::Stmt::Raise(s) => match (&s.exc, &s.cause) {
                (Some(exc), Some(cause)) => StmtKind::RaiseFrom { exc: self.expr(exc)?, cause: self.expr(cause)? },
                (None, Some(cause)) => return Err(self.invalid(cause.range(), "a bare `raise` takes no `from`")),
                (None, None) => StmtKind::Reraise,
                (Some(exc), None) => StmtKind::Raise(self.expr(exc)?),
            },
            py::Stmt::Expr(s) => {
                // A docstring, or any other lone string literal, is not code; nor is a lone
                // `...` (a placeholder body).
                if let py::Expr::StringLiteral(_) | py::Expr::EllipsisLiteral(_) = *s.value {
                    return Ok(None);
                }
                match &*s.value {
                    py::Expr::Yield(y) => StmtKind::Yield(y.value.as_deref().map(|v| self.expr(v)).transpose()?),
                    py::Expr::YieldFrom(y) => {
                        // `for <hidden> in iterable: yield <hidden>`.
                        let iter = self.expr(&y.value)?;
                        let item = self.hidden_name(crate::ast::YIELD_FROM_ITEM);
                        let name = || Expr { kind: ExprKind::Name(item.clone()), span };
                        let body = vec![Stmt { kind: StmtKind::Yield(Some(name())), span }];
                        StmtKind::For { target: name(), iter, body, orelse: Vec::new() }
                    }
                    value => StmtKind::Expr(self.expr(value)?),
                }
            }
            py::Stmt::FunctionDef(def) if !def.is_async => {
                if let Some(d) = def.decorator_list.first() {
                    return Err(self.unsupported(d.range, "decorators on inner functions are not supported", Some("remove the decorator: an inner function of a compiled function is compiled with it")));
                }
                if let Some(t) = &def.type_params {
                    return Err(self.unsupported(t.range, "type parameters are not supported", None));
                }
                let name = def.name.id.to_string();
                let inner = self.inner_function(&name, self.span(&def.name), Some(&def.parameters), InnerBody::Statements(&def.body))?;
                StmtKind::FunctionDef(Box::new(inner))
            }
            py::Stmt::Nonlocal(n) => StmtKind::Nonlocal(n.names.iter().map(|i| i.id.to_string()).collect()),
            py::Stmt::Try(t) => {
                if t.is_star {
                    return Err(self.unsupported(t.range, "`except*` is not supported", Some("use `except`")));
                }
                let mut handlers = Vec::new();
                for handler in &t.handlers {
                    let py::ExceptHandler::ExceptHandler(h) = handler;
                    let name = h.name.as_ref().map(|n| n.id.to_string());
                    handlers.push(ExceptHandler { typ: h.type_.as_deref().map(|e| self.expr(e)).transpose()?, name, body: self.block(&h.body)?, span: self.span(h) });
                }
                let finalbody = self.block(&t.finalbody)?;
                StmtKind::Try { body: self.block(&t.body)?, handlers, orelse: self.block(&t.orelse)?, finalbody }
            }
            py::Stmt::With(w) if self.objmode_call(w).is_some() => StmtKind::ObjMode(Box::new(self.objmode_block(w)?)),
            other => return Err(self.unsupported_stmt(other)),
        };
        Ok(Some(Stmt { kind, span }))
    }

    /// `with manager as target: body` as CPython runs it (PEP 343), for context managers that
    /// are compiled class instances:
    ///
    /// ```text
    /// manager' = manager
    /// target = manager'.__enter__()
    /// raised' = False
    /// try:
    ///     body
    /// except BaseException as exception':
    ///     raised' = True
    ///     if not manager'.__exit__(exception', exception', None):
    ///         raise
    /// finally:
    ///     if not raised':
    ///         manager'.__exit__(None, None, None)
    /// ```
    ///
    /// `__exit__` gets the exception as its type too (compiled code has no class objects:
    /// `exc_type is None` and `issubclass(exc_type, E)` work on it) and `None` for the
    /// traceback; a true result swallows the exception. Several managers nest, the first
    /// outermost.
    fn with_statement(&self, w: &py::StmtWith, items: &[py::WithItem]) -> Result<Vec<Stmt>> {
        if w.is_async {
            return Err(self.unsupported(w.range, "`async with` is not supported", None));
        }
        let Some((item, rest)) = items.split_first() else { return self.block(&w.body) };
        let span = self.span(item);
        let node = |kind| Expr { kind, span };
        let stmt = |kind| Stmt { kind, span };
        let name = |n: &str| node(ExprKind::Name(n.to_string()));
        let method = |manager: &str, method: &str, args: Vec<Expr>| {
            let func = node(ExprKind::Attribute { value: Box::new(name(manager)), attr: method.to_string() });
            node(ExprKind::Call { func: Box::new(func), args, keywords: Vec::new() })
        };
        let manager = self.hidden_name("with");
        let raised = self.hidden_name("raised");
        let exception = self.hidden_name("exception");
        let mut out = vec![stmt(StmtKind::Assign { targets: vec![name(&manager)], value: self.expr(&item.context_expr)? })];
        let enter = method(&manager, "__enter__", Vec::new());
        out.push(stmt(match &item.optional_vars {
            Some(target) => StmtKind::Assign { targets: vec![self.target(target)?], value: enter },
            None => StmtKind::Expr(enter),
        }));
        out.push(stmt(StmtKind::Assign { targets: vec![name(&raised)], value: node(ExprKind::Bool(false)) }));
        let swallowed = method(&manager, "__exit__", vec![name(&exception), name(&exception), node(ExprKind::None)]);
        let handler = vec![
            stmt(StmtKind::Assign { targets: vec![name(&raised)], value: node(ExprKind::Bool(true)) }),
            stmt(StmtKind::If { test: node(ExprKind::UnaryOp { op: UnaryOp::Not, operand: Box::new(swallowed) }), body: vec![stmt(StmtKind::Reraise)], orelse: Vec::new() }),
        ];
        let exit = stmt(StmtKind::Expr(method(&manager, "__exit__", vec![node(ExprKind::None), node(ExprKind::None), node(ExprKind::None)])));
        let finalbody = vec![stmt(StmtKind::If { test: node(ExprKind::UnaryOp { op: UnaryOp::Not, operand: Box::new(name(&raised)) }), body: vec![exit], orelse: Vec::new() })];
        let body = self.with_statement(w, rest)?;
        let handlers = vec![ExceptHandler { typ: Some(name("BaseException")), name: Some(exception), body: handler, span }];
        out.push(Stmt { kind: StmtKind::Try { body, handlers, orelse: Vec::new(), finalbody }, span: self.span(w) });
        Ok(out)
    }

    /// The call `objmode(...)` (or `<module>.objmode(...)`) of a `with` statement that has it
    /// as its one context manager, without `as`.
    fn objmode_call<'a>(&self, w: &'a py::StmtWith) -> Option<&'a py::ExprCall> {
        let [item] = w.items.as_slice() else { return None };
        let py::Expr::Call(call) = &item.context_expr else { return None };
        let named = match &*call.func {
            py::Expr::Name(n) => n.id.as_str() == "objmode",
            py::Expr::Attribute(a) => a.attr.as_str() == "objmode",
            _ => false,
        };
        (named && item.optional_vars.is_none() && !w.is_async).then_some(call)
    }

    /// `with objmode(x='float64[:]', ...):`: the outputs declared, the names the body reads,
    /// and the body's text (see [`ObjModeBlock`]).
    fn objmode_block(&self, w: &py::StmtWith) -> Result<ObjModeBlock> {
        let call = self.objmode_call(w).expect("checked by the caller");
        if let Some(arg) = call.arguments.args.first() {
            return Err(self.unsupported(arg.range(), "`objmode()` takes the variables it gives back as keywords with their types", Some("write e.g. `with objmode(y='float64[:]', n='int64'):`")));
        }
        let mut outputs = Vec::new();
        for keyword in call.arguments.keywords.iter() {
            let (Some(name), py::Expr::StringLiteral(ty)) = (&keyword.arg, &keyword.value) else {
                return Err(self.unsupported(keyword.range(), "each keyword of `objmode()` names a variable and gives its type as a string", Some("write e.g. `y='float64[:]'`")));
            };
            outputs.push((name.id.to_string(), ty.value.to_str().to_string(), self.span(keyword)));
        }
        // The body becomes a function of its own: a `return` (or `yield`) in it would leave
        // that function, not the compiled one.
        if let Some(exit) = w.body.iter().find_map(returns_from_block) {
            return Err(self.unsupported(exit, "`return` and `yield` inside an object mode block are not supported", Some("assign the value to an output of `objmode(...)` and return after the block")));
        }
        let mut reads = NameReads(Vec::new());
        for stmt in &w.body {
            py::visitor::Visitor::visit_stmt(&mut reads, stmt);
        }
        let (first, last) = (w.body.first().expect("a block has a statement"), w.body.last().expect("a block has a statement"));
        let text = &self.src.text;
        let start = text[..first.range().start().to_usize()].rfind('\n').map_or(0, |i| i + 1);
        let end = text[last.range().end().to_usize()..].find('\n').map_or(text.len(), |i| last.range().end().to_usize() + i);
        Ok(ObjModeBlock { outputs, reads: reads.0, body: text[start..end].to_string(), first_line: self.span(first).line })
    }

    fn unsupported_stmt(&self, stmt: &py::Stmt) -> SyntaxError {
        let plain = Some("move this part into a plain Python function and call the compiled function from it");
        let (what, hint) = match stmt {
            py::Stmt::With(_) => ("this `with` statement is not supported", plain),
            py::Stmt::ClassDef(_) => ("`class` definitions are not supported inside compiled functions", Some("define the class at module level in plain Python")),
            py::Stmt::FunctionDef(_) => ("`async def` is not supported", None),
            py::Stmt::Import(_) | py::Stmt::ImportFrom(_) => ("`import` inside a compiled function is not supported", Some("import at module level; the compiled function can use the module as a global")),
            py::Stmt::Global(_) => ("`global` is not supported", Some("module-level values are read-only constants; pass values as arguments and return results")),
            py::Stmt::TypeAlias(_) => ("`type` aliases are not supported", None),
            _ => ("this statement is not supported", None),
        };
        self.unsupported(stmt.range(), what, hint)
    }

    /// An assignment target: a name, a tuple/list of targets, a subscript, or an attribute
    /// (typing decides which attributes take values: `a.real`, `a.imag` of arrays).
    fn target(&self, expr: &py::Expr) -> Result<Expr> {
        let span = self.span(expr);
        let kind = match expr {
            py::Expr::Name(n) => ExprKind::Name(self.renamed(n.id.as_str())),
            py::Expr::Tuple(t) => ExprKind::Tuple(self.target_items(&t.elts)?),
            py::Expr::List(l) => ExprKind::Tuple(self.target_items(&l.elts)?),
            py::Expr::Subscript(s) => ExprKind::Subscript { value: Box::new(self.expr(&s.value)?), index: Box::new(self.expr(&s.slice)?) },
            py::Expr::Starred(_) => return Err(self.invalid(expr.range(), "starred assignment target must be in a list or tuple")),
            py::Expr::Attribute(a) => ExprKind::Attribute { value: self.boxed(&a.value)?, attr: a.attr.id.to_string() },
            _ => return Err(self.unsupported(expr.range(), "this assignment target is not supported", None)),
        };
        Ok(Expr { kind, span })
    }

    /// The items of a tuple or list target: targets, one of them possibly starred
    /// (`a, *rest = t`), which takes the items the others leave, as a list.
    fn target_items(&self, elts: &[py::Expr]) -> Result<Vec<Expr>> {
        let mut starred = false;
        elts.iter()
            .map(|e| match e {
                py::Expr::Starred(s) if starred => Err(self.invalid(s.range, "multiple starred expressions in assignment")),
                py::Expr::Starred(s) => {
                    starred = true;
                    Ok(Expr { kind: ExprKind::Starred(Box::new(self.target(&s.value)?)), span: self.span(e) })
                }
                other => self.target(other),
            })
            .collect()
    }

    /// Valid-looking Python that CPython's compiler rejects (its `SyntaxError`s past the
    /// parser).
    fn invalid(&self, range: ruff_text_size::TextRange, what: &str) -> SyntaxError {
        SyntaxError { kind: SyntaxErrorKind::Invalid, message: what.to_string(), span: self.src.span(range), hint: None }
    }

    /// The items of a tuple, list or set display: expressions, or starred ones (`*a`) whose
    /// items are spliced in.
    fn display_items(&self, elts: &[py::Expr]) -> Result<Vec<Expr>> {
        elts.iter()
            .map(|e| match e {
                py::Expr::Starred(s) => Ok(Expr { kind: ExprKind::Starred(self.boxed(&s.value)?), span: self.span(e) }),
                other => self.expr(other),
            })
            .collect()
    }

    fn binop(&self, op: py::Operator, range: ruff_text_size::TextRange) -> Result<BinOp> {
        Ok(match op {
            py::Operator::Add => BinOp::Add,
            py::Operator::Sub => BinOp::Sub,
            py::Operator::Mult => BinOp::Mul,
            py::Operator::Div => BinOp::Div,
            py::Operator::FloorDiv => BinOp::FloorDiv,
            py::Operator::Mod => BinOp::Mod,
            py::Operator::Pow => BinOp::Pow,
            py::Operator::LShift => BinOp::LShift,
            py::Operator::RShift => BinOp::RShift,
            py::Operator::BitAnd => BinOp::BitAnd,
            py::Operator::BitOr => BinOp::BitOr,
            py::Operator::BitXor => BinOp::BitXor,
            py::Operator::MatMult => {
                let _ = range;
                BinOp::MatMul
            }
        })
    }

    fn exprs(&self, exprs: &[py::Expr]) -> Result<Vec<Expr>> {
        exprs.iter().map(|e| self.expr(e)).collect()
    }

    fn boxed(&self, expr: &py::Expr) -> Result<Box<Expr>> {
        Ok(Box::new(self.expr(expr)?))
    }

    fn expr(&self, expr: &py::Expr) -> Result<Expr> {
        self.nested(expr.range(), || self.expr_here(expr))
    }

    /// Runs `lower` one nesting level deeper, or fails past [`MAX_NESTING`] levels.
    fn nested<T>(&self, range: ruff_text_size::TextRange, lower: impl FnOnce() -> Result<T>) -> Result<T> {
        let depth = self.depth.get() + 1;
        if depth > MAX_NESTING {
            return Err(self.unsupported(
                range,
                &format!("this code nests more than {MAX_NESTING} levels deep"),
                Some("split the expression into several statements with intermediate variables"),
            ));
        }
        self.depth.set(depth);
        let result = lower();
        self.depth.set(depth - 1);
        result
    }

    fn expr_here(&self, expr: &py::Expr) -> Result<Expr> {
        let span = self.span(expr);
        let kind = match expr {
            py::Expr::NumberLiteral(n) => match &n.value {
                py::Number::Int(i) => match i.as_u64() {
                    Some(v) => ExprKind::Int(v),
                    None => {
                        return Err(self.unsupported(n.range, "integer literal does not fit in 64 bits", Some("ferrojit integers are 64-bit; use a float for larger magnitudes")))
                    }
                },
                py::Number::Float(f) => ExprKind::Float(*f),
                py::Number::Complex { real, imag } => {
                    debug_assert_eq!(*real, 0.0, "Python complex literals have no real part");
                    ExprKind::Imag(*imag)
                }
            },
            py::Expr::BooleanLiteral(b) => ExprKind::Bool(b.value),
            py::Expr::NoneLiteral(_) => ExprKind::None,
            py::Expr::EllipsisLiteral(_) => ExprKind::Ellipsis,
            py::Expr::StringLiteral(s) => ExprKind::Str(s.value.to_str().to_string()),
            py::Expr::BytesLiteral(b) => ExprKind::Bytes(b.value.bytes().collect()),
            py::Expr::FString(f) => {
                let mut parts = Vec::new();
                for part in f.value.iter() {
                    match part {
                        py::FStringPart::Literal(s) => parts.push(FStringPart::Text(s.value.to_string())),
                        py::FStringPart::FString(f) => parts.extend(self.fstring_elements(&f.elements)?),
                    }
                }
                ExprKind::FString(parts)
            }
            py::Expr::Name(n) => ExprKind::Name(self.renamed(n.id.as_str())),
            py::Expr::Attribute(a) => ExprKind::Attribute { value: self.boxed(&a.value)?, attr: a.attr.id.to_string() },
            py::Expr::Subscript(s) => ExprKind::Subscript { value: self.boxed(&s.value)?, index: self.boxed(&s.slice)? },
            py::Expr::ListComp(c) => self.comprehension(&[&*c.elt], &c.generators, false)?,
            py::Expr::Generator(g) => self.comprehension(&[&*g.elt], &g.generators, false)?,
            py::Expr::SetComp(c) => self.comprehension(&[&*c.elt], &c.generators, true)?,
            py::Expr::DictComp(c) => self.comprehension(&[&*c.key, &*c.value], &c.generators, false)?,
            py::Expr::Set(s) => ExprKind::Set(self.display_items(&s.elts)?),
            py::Expr::Slice(s) => ExprKind::Slice {
                lower: s.lower.as_deref().map(|e| self.boxed(e)).transpose()?,
                upper: s.upper.as_deref().map(|e| self.boxed(e)).transpose()?,
                step: s.step.as_deref().map(|e| self.boxed(e)).transpose()?,
            },
            py::Expr::Tuple(t) => ExprKind::Tuple(self.display_items(&t.elts)?),
            py::Expr::List(l) => ExprKind::List(self.display_items(&l.elts)?),
            py::Expr::Dict(d) => {
                let (mut keys, mut values) = (Vec::new(), Vec::new());
                for item in &d.items {
                    match &item.key {
                        Some(key) => {
                            keys.push(self.expr(key)?);
                            values.push(self.expr(&item.value)?);
                        }
                        // `**mapping`: the key `Starred(mapping)`, the value `None`.
                        None => {
                            let span = self.span(&item.value);
                            keys.push(Expr { kind: ExprKind::Starred(self.boxed(&item.value)?), span });
                            values.push(Expr { kind: ExprKind::None, span });
                        }
                    }
                }
                ExprKind::Dict { keys, values }
            }
            py::Expr::BinOp(b) => ExprKind::BinOp { op: self.binop(b.op, b.range)?, left: self.boxed(&b.left)?, right: self.boxed(&b.right)? },
            py::Expr::UnaryOp(u) => ExprKind::UnaryOp {
                op: match u.op {
                    py::UnaryOp::USub => UnaryOp::Neg,
                    py::UnaryOp::UAdd => UnaryOp::Pos,
                    py::UnaryOp::Invert => UnaryOp::Invert,
                    py::UnaryOp::Not => UnaryOp::Not,
                },
                operand: self.boxed(&u.operand)?,
            },
            py::Expr::BoolOp(b) => ExprKind::BoolOp {
                op: match b.op {
                    py::BoolOp::And => BoolOp::And,
                    py::BoolOp::Or => BoolOp::Or,
                },
                values: self.exprs(&b.values)?,
            },
            py::Expr::Compare(c) => ExprKind::Compare {
                left: self.boxed(&c.left)?,
                ops: c
                    .ops
                    .iter()
                    .map(|op| match op {
                        py::CmpOp::Eq => CmpOp::Eq,
                        py::CmpOp::NotEq => CmpOp::NotEq,
                        py::CmpOp::Lt => CmpOp::Lt,
                        py::CmpOp::LtE => CmpOp::LtE,
                        py::CmpOp::Gt => CmpOp::Gt,
                        py::CmpOp::GtE => CmpOp::GtE,
                        py::CmpOp::Is => CmpOp::Is,
                        py::CmpOp::IsNot => CmpOp::IsNot,
                        py::CmpOp::In => CmpOp::In,
                        py::CmpOp::NotIn => CmpOp::NotIn,
                    })
                    .collect(),
                comparators: self.exprs(&c.comparators)?,
            },
            py::Expr::If(i) => ExprKind::IfExp { test: self.boxed(&i.test)?, body: self.boxed(&i.body)?, orelse: self.boxed(&i.orelse)? },
            py::Expr::Call(c) => {
                let args = self.display_items(&c.arguments.args);
                let keywords = c.arguments.keywords.iter().map(|k| match &k.arg {
                    Some(name) => Ok(Keyword { name: name.id.to_string(), value: self.expr(&k.value)?, span: self.span(k) }),
                    None => Ok(Keyword { name: "**".into(), value: self.expr(&k.value)?, span: self.span(k) }),
                });
                ExprKind::Call { func: self.boxed(&c.func)?, args: args?, keywords: keywords.collect::<Result<_>>()? }
            }
            py::Expr::Named(n) => {
                let py::Expr::Name(name) = &*n.target else { return Err(self.invalid(n.target.range(), "cannot use assignment expressions with this target")) };
                let name = name.id.to_string();
                // The target binds in the enclosing function, past the comprehensions around
                // it, and may not be one of their variables (CPython's rule).
                let scopes = self.scopes.borrow();
                if let Some((_, to)) = scopes.iter().rev().flat_map(|s| s.iter()).find(|(from, _)| *from == name) {
                    if *to != name {
                        return Err(self.invalid(n.range, &format!("assignment expression cannot rebind comprehension iteration variable '{name}'")));
                    }
                }
                drop(scopes);
                let target = Expr { kind: ExprKind::Name(name), span: self.span(&*n.target) };
                ExprKind::NamedExpr { target: Box::new(target), value: self.boxed(&n.value)? }
            }
            py::Expr::Lambda(l) => ExprKind::Lambda(Box::new(self.inner_function("<lambda>", span, l.parameters.as_deref(), InnerBody::Expression(&l.body))?)),
            other => return Err(self.unsupported_expr(other)),
        };
        Ok(Expr { kind, span })
    }

    /// `name` as the innermost comprehension binding it renamed it, else itself.
    fn renamed(&self, name: &str) -> String {
        let scopes = self.scopes.borrow();
        scopes.iter().rev().flat_map(|s| s.iter()).find(|(from, _)| from == name).map(|(_, to)| to.clone()).unwrap_or_else(|| name.to_string())
    }

    /// A new hidden local name made from `base`.
    fn hidden_name(&self, base: &str) -> String {
        let mut hidden = self.hidden.borrow_mut();
        let name = format!("{base}'{}", self.hidden_count.get());
        self.hidden_count.set(self.hidden_count.get() + 1);
        hidden.push(name.clone());
        name
    }

    /// `[elt for ... in ... if ...]` (`elts`: the element; a dict comprehension's key and
    /// value): the first iterable is read in the enclosing scope, the rest (and the conditions
    /// and the element) in the comprehension's, whose names are renamed.
    fn comprehension(&self, elts: &[&py::Expr], generators: &[py::Comprehension], set: bool) -> Result<ExprKind> {
        let scopes_before = self.scopes.borrow().len();
        let lowered = (|| {
            let mut out = Vec::new();
            for g in generators {
                if g.is_async {
                    return Err(self.unsupported(g.range, "`async for` is not supported", None));
                }
                let iter = self.expr(&g.iter)?;
                let mut names = Vec::new();
                collect_target_names(&g.target, &mut names);
                let scope = names.into_iter().map(|n| (n.clone(), self.hidden_name(&n))).collect();
                self.scopes.borrow_mut().push(scope);
                let target = self.target(&g.target)?;
                let ifs = self.exprs(&g.ifs)?;
                out.push(Comprehension { target, iter, ifs });
            }
            Ok(match elts {
                [elt] if set => ExprKind::SetComp { elt: self.boxed(elt)?, generators: out, result: self.hidden_name("set") },
                [elt] => ExprKind::ListComp { elt: self.boxed(elt)?, generators: out, result: self.hidden_name("list") },
                [key, value] => ExprKind::DictComp { key: self.boxed(key)?, value: self.boxed(value)?, generators: out, result: self.hidden_name("dict") },
                _ => unreachable!("an element, or a key and a value"),
            })
        })();
        self.scopes.borrow_mut().truncate(scopes_before);
        lowered
    }

    /// The pieces of one f-string (or of a format spec inside one).
    fn fstring_elements(&self, elements: &py::InterpolatedStringElements) -> Result<Vec<FStringPart>> {
        let mut parts = Vec::new();
        for element in elements {
            match element {
                py::InterpolatedStringElement::Literal(text) => parts.push(FStringPart::Text(text.value.to_string())),
                py::InterpolatedStringElement::Interpolation(e) => {
                    let mut conversion = e.conversion.to_byte().map(char::from);
                    if let Some(debug) = &e.debug_text {
                        // `{x=}`: the expression's text, then its repr unless a spec or a
                        // conversion is given (CPython's rule).
                        let source = &self.src.text[e.expression.range()];
                        parts.push(FStringPart::Text(format!("{}{source}{}", debug.leading, debug.trailing)));
                        if conversion.is_none() && e.format_spec.is_none() {
                            conversion = Some('r');
                        }
                    }
                    let spec = match &e.format_spec {
                        Some(spec) => self.fstring_elements(&spec.elements)?,
                        None => Vec::new(),
                    };
                    parts.push(FStringPart::Value { value: self.boxed(&e.expression)?, conversion, spec });
                }
            }
        }
        Ok(parts)
    }

    fn unsupported_expr(&self, expr: &py::Expr) -> SyntaxError {
        let (what, hint) = match expr {
            py::Expr::Yield(_) | py::Expr::YieldFrom(_) => (
                "the value of a `yield` expression is not supported (compiled generators cannot receive values with `send`)",
                Some("write `yield` as a statement of its own"),
            ),
            py::Expr::Await(_) => ("`await` is not supported", None),
            py::Expr::TString(_) => ("template strings (`t\"...\"`) are not supported", Some("use an f-string")),
            py::Expr::Starred(_) => ("a starred expression is only supported in a tuple, list or set display, a call's arguments and an assignment's targets", None),
            _ => ("this expression is not supported", None),
        };
        self.unsupported(expr.range(), what, hint)
    }
}

/// What an inner function's body is: statements (`def`) or one expression (`lambda`).
#[derive(Clone, Copy)]
enum InnerBody<'a> {
    Statements(&'a [py::Stmt]),
    Expression(&'a py::Expr),
}

/// The names `stmts` bind (assignments, loop targets, inner `def`s, `:=` targets, `del`),
/// not looking into inner functions: Python makes them local to the function.
fn collect_assigned_names(stmts: &[py::Stmt], out: &mut Vec<String>) {
    let mut named = NamedTargets(Vec::new());
    for s in stmts {
        py::visitor::Visitor::visit_stmt(&mut named, s);
    }
    out.extend(named.0);
    for s in stmts {
        match s {
            py::Stmt::Assign(a) => a.targets.iter().for_each(|t| collect_target_names(t, out)),
            py::Stmt::AugAssign(a) => collect_target_names(&a.target, out),
            py::Stmt::AnnAssign(a) => collect_target_names(&a.target, out),
            py::Stmt::For(f) => {
                collect_target_names(&f.target, out);
                collect_assigned_names(&f.body, out);
                collect_assigned_names(&f.orelse, out);
            }
            py::Stmt::While(w) => {
                collect_assigned_names(&w.body, out);
                collect_assigned_names(&w.orelse, out);
            }
            py::Stmt::If(i) => {
                collect_assigned_names(&i.body, out);
                i.elif_else_clauses.iter().for_each(|c| collect_assigned_names(&c.body, out));
            }
            py::Stmt::Match(m) => {
                for case in &m.cases {
                    collect_pattern_names(&case.pattern, out);
                    collect_assigned_names(&case.body, out);
                }
            }
            py::Stmt::Try(t) => {
                collect_assigned_names(&t.body, out);
                for handler in &t.handlers {
                    let py::ExceptHandler::ExceptHandler(h) = handler;
                    if let Some(name) = &h.name {
                        out.push(name.id.to_string());
                    }
                    collect_assigned_names(&h.body, out);
                }
                collect_assigned_names(&t.orelse, out);
                collect_assigned_names(&t.finalbody, out);
            }
            py::Stmt::With(w) => {
                w.items.iter().filter_map(|i| i.optional_vars.as_deref()).for_each(|t| collect_target_names(t, out));
                collect_assigned_names(&w.body, out);
            }
            py::Stmt::FunctionDef(d) => out.push(d.name.id.to_string()),
            py::Stmt::Delete(d) => d.targets.iter().for_each(|t| collect_target_names(t, out)),
            _ => {}
        }
    }
}

/// The names a `case` pattern captures.
fn collect_pattern_names(pattern: &py::Pattern, out: &mut Vec<String>) {
    match pattern {
        py::Pattern::MatchAs(a) => {
            out.extend(a.name.iter().map(|n| n.id.to_string()));
            a.pattern.iter().for_each(|p| collect_pattern_names(p, out));
        }
        py::Pattern::MatchStar(s) => out.extend(s.name.iter().map(|n| n.id.to_string())),
        py::Pattern::MatchOr(o) => o.patterns.iter().for_each(|p| collect_pattern_names(p, out)),
        py::Pattern::MatchSequence(s) => s.patterns.iter().for_each(|p| collect_pattern_names(p, out)),
        py::Pattern::MatchMapping(m) => {
            m.patterns.iter().for_each(|p| collect_pattern_names(p, out));
            out.extend(m.rest.iter().map(|n| n.id.to_string()));
        }
        py::Pattern::MatchClass(c) => {
            c.arguments.patterns.iter().for_each(|p| collect_pattern_names(p, out));
            c.arguments.keywords.iter().for_each(|k| collect_pattern_names(&k.pattern, out));
        }
        py::Pattern::MatchValue(_) | py::Pattern::MatchSingleton(_) => {}
    }
}

/// The targets of the `:=` expressions of statements, not looking into inner functions and
/// lambdas (which bind their own).
struct NamedTargets(Vec<String>);

impl<'a> py::visitor::Visitor<'a> for NamedTargets {
    fn visit_stmt(&mut self, stmt: &'a py::Stmt) {
        if !matches!(stmt, py::Stmt::FunctionDef(_) | py::Stmt::ClassDef(_)) {
            py::visitor::walk_stmt(self, stmt);
        }
    }

    fn visit_expr(&mut self, expr: &'a py::Expr) {
        match expr {
            py::Expr::Lambda(_) => {}
            py::Expr::Named(n) => {
                collect_target_names(&n.target, &mut self.0);
                self.visit_expr(&n.value);
            }
            _ => py::visitor::walk_expr(self, expr),
        }
    }
}

/// The names an assignment target binds.
fn collect_target_names(target: &py::Expr, out: &mut Vec<String>) {
    match target {
        py::Expr::Name(n) => out.push(n.id.to_string()),
        py::Expr::Tuple(t) => t.elts.iter().for_each(|e| collect_target_names(e, out)),
        py::Expr::List(l) => l.elts.iter().for_each(|e| collect_target_names(e, out)),
        py::Expr::Starred(s) => collect_target_names(&s.value, out),
        _ => {}
    }
}

/// The names an object-mode block loads (see [`ObjModeBlock::reads`]).
struct NameReads(Vec<String>);

impl<'a> py::visitor::Visitor<'a> for NameReads {
    fn visit_expr(&mut self, expr: &'a py::Expr) {
        if let py::Expr::Name(n) = expr {
            if n.ctx == py::ExprContext::Load && !self.0.iter().any(|r| r == n.id.as_str()) {
                self.0.push(n.id.to_string());
            }
        }
        py::visitor::walk_expr(self, expr);
    }
}

/// `MATCH_ARGUMENT(subject, Class, i, n)`: in a class pattern with `n` positional
/// sub-patterns, the attribute of `subject` that the `i`-th matches, named by `Class`'s
/// `__match_args__` (a name no Python code can write, resolved by inference).
pub const MATCH_ARGUMENT: &str = "match'argument";

/// The built-in types whose class pattern takes one positional pattern for the subject itself
/// (CPython's list: `int(n)` matches an int and binds it).
const SELF_MATCHING_TYPES: [&str; 11] = ["bool", "bytearray", "bytes", "dict", "float", "frozenset", "int", "list", "set", "str", "tuple"];

/// Where a statement of an object mode block returns or yields (not inside a function or class
/// it defines), if it does.
fn returns_from_block(stmt: &py::Stmt) -> Option<ruff_text_size::TextRange> {
    struct Exits(Option<ruff_text_size::TextRange>);
    impl<'a> py::visitor::Visitor<'a> for Exits {
        fn visit_stmt(&mut self, stmt: &'a py::Stmt) {
            match stmt {
                py::Stmt::FunctionDef(_) | py::Stmt::ClassDef(_) => {}
                py::Stmt::Return(r) => self.0 = self.0.or(Some(r.range)),
                _ => py::visitor::walk_stmt(self, stmt),
            }
        }
        fn visit_expr(&mut self, expr: &'a py::Expr) {
            match expr {
                py::Expr::Lambda(_) => {}
                py::Expr::Yield(_) | py::Expr::YieldFrom(_) => self.0 = self.0.or(Some(expr.range())),
                _ => py::visitor::walk_expr(self, expr),
            }
        }
    }
    let mut exits = Exits(None);
    py::visitor::Visitor::visit_stmt(&mut exits, stmt);
    exits.0
}
