//! Exceptions as values: `except E as e` binds the exception caught (a [`Type::Exception`],
//! its class's code and its message), which `str(e)`, `repr(e)`, `print(e)`, f-strings,
//! `isinstance(e, ...)` and `raise e` read. The text is written by the runtime
//! (`ferrojit_runtime::exceptions`), as CPython's `BaseException` writes it.

use crate::function::{FnInfer, Result};
use ferrojit_ir::{self as ir, Const, ExcKind, ExprKind, RuntimeFunc, StmtKind};
use ferrojit_syntax::ast::{self, CmpOp, Span};
use ferrojit_types::exception_values::{CAUSE_CODE, RAW_MESSAGE, SUPPRESS_CONTEXT, TEXT_ARGS, TEXT_REPR, TEXT_STR};
use ferrojit_types::Type;

fn int(v: i128, span: Span) -> ir::Expr {
    ir::Expr::new(ExprKind::Const(Const::Int(v)), Type::INT64, span)
}

impl FnInfer<'_> {
    /// `except E as name`: binds the exception caught to the local `name` at the start of the
    /// clause; returns the local.
    pub(crate) fn bind_caught_exception(&mut self, name: &str, span: Span, out: &mut Vec<ir::Stmt>) -> Result<ir::LocalId> {
        if self.cells.contains_key(name) {
            return Err(self.unsupported(span, format!("`except ... as {name}` where an inner function uses `{name}` is not supported"), Some("pass the exception's text (`str(e)`) to the inner function instead")));
        }
        let id = *self.names.get(name).ok_or_else(|| self.internal(span, "an exception's name was not collected"))?;
        self.widen(id, &Type::Exception, span)?;
        let caught = ir::Expr::new(ExprKind::CaughtException, Type::Exception, span);
        out.push(ir::Stmt { kind: StmtKind::Assign { local: id, value: caught }, span });
        self.bound_again(name, span, out);
        Ok(id)
    }

    /// `f(code, message, extra...)` of the exception `e`'s parts, `e` evaluated once.
    fn with_exception_parts(&mut self, e: ir::Expr, f: impl FnOnce(ir::Expr, ir::Expr) -> ir::Expr) -> ir::Expr {
        let span = e.span;
        let tmp = self.temp(e.ty.clone());
        let part = |cx: &Self, i: usize, ty: Type| ir::Expr::new(ExprKind::TupleGet(cx.local_expr(tmp, span).boxed(), i), ty, span);
        let body = f(part(self, 0, Type::INT64), part(self, 1, Type::Str));
        let ty = body.ty.clone();
        ir::Expr::new(ExprKind::Let { local: tmp, value: e.boxed(), body: body.boxed() }, ty, span)
    }

    /// `str(e)` (`repr(e)` with `repr`) of an exception, or `str(e.args)` of its arguments
    /// (whose `repr` is the same text).
    pub(crate) fn exception_text(&mut self, e: ir::Expr, repr: bool, span: Span) -> ir::Expr {
        let form = match (&e.ty, repr) {
            (Type::ExceptionArgs, _) => TEXT_ARGS,
            (_, true) => TEXT_REPR,
            (_, false) => TEXT_STR,
        };
        self.with_exception_parts(e, |code, message| {
            ir::Expr::new(ExprKind::Runtime { func: RuntimeFunc::EXC_TEXT, args: vec![code, message, int(form as i128, span)] }, Type::Str, span)
        })
    }

    /// `e.args`: the exception's arguments as a value of their own, the exception read
    /// another way.
    pub(crate) fn exception_args(e: ir::Expr, span: Span) -> ir::Expr {
        ir::Expr::new(ExprKind::Cast(e.boxed()), Type::ExceptionArgs, span)
    }

    /// `e.args` where compiled code needs its items as a list (a `for` loop over it,
    /// unpacking): the list of its arguments.
    pub(crate) fn exception_args_list(&mut self, args: ir::Expr, span: Span) -> Result<ir::Expr> {
        self.call_internal("ferrojit.exception_args_list", vec![args], span)
    }

    /// `raise e` of an exception value: raised again as it is, then a `Raise` that is never
    /// reached (the call raises).
    pub(crate) fn raise_exception_value(&mut self, e: ir::Expr, span: Span) -> Vec<ir::Stmt> {
        let call = self.with_exception_parts(e, |code, message| {
            ir::Expr::new(ExprKind::Runtime { func: RuntimeFunc::RAISE_EXCEPTION_VALUE, args: vec![code, message] }, Type::INT64, span)
        });
        vec![ir::Stmt { kind: StmtKind::Expr(call), span }, ir::Stmt { kind: StmtKind::Raise { exc: ExcKind::Exception, msg: None }, span }]
    }

    /// `isinstance(e, classes)` of an exception, decided at run time from its class's code:
    /// one of the built-in kinds `kinds` (the classes named and their subclasses), or a class
    /// defined in Python code deriving from one of the classes of codes `classes`.
    pub(crate) fn exception_isinstance(&mut self, e: ir::Expr, kinds: Option<Vec<ExcKind>>, classes: Vec<u32>, span: Span) -> ir::Expr {
        let Some(kinds) = kinds else {
            // `Exception` and `BaseException` hold every exception compiled code raises,
            // but a class of your own that derives from `BaseException` alone.
            return self.exception_isinstance(e, Some(ExcKind::ALL.to_vec()), vec![ExcKind::BaseException.code()], span);
        };
        self.with_exception_parts(e, |code, _| {
            let or = |a: ir::Expr, b: ir::Expr| ir::Expr::new(ExprKind::Logical { and: false, lhs: a.boxed(), rhs: b.boxed() }, Type::Bool, span);
            let mut test = ir::Expr::new(ExprKind::Const(Const::Bool(false)), Type::Bool, span);
            for k in kinds {
                let is = ir::Expr::new(ExprKind::Compare { op: CmpOp::Eq, lhs: code.clone().boxed(), rhs: int(k.code() as i128, span).boxed() }, Type::Bool, span);
                test = or(test, is);
            }
            for class in classes {
                let derives = ir::Expr::new(ExprKind::Runtime { func: RuntimeFunc::EXC_INSTANCE_OF, args: vec![code.clone(), int(class as i128, span)] }, Type::INT64, span);
                let derives = ir::Expr::new(ExprKind::Compare { op: CmpOp::NotEq, lhs: derives.boxed(), rhs: int(0, span).boxed() }, Type::Bool, span);
                test = or(test, derives);
            }
            test
        })
    }

    /// `e.__cause__` (an exception value, code 0 for `None`: see [`Type::Exception`]) and
    /// `e.__suppress_context__` of an exception value, read from its message (see
    /// `ferrojit_runtime::CAUSE_MARK`). `e.__context__` is not kept: compiled code does not
    /// record the exception being handled when another is raised.
    pub(crate) fn exception_attribute(&mut self, e: ir::Expr, attr: &str, span: Span) -> Result<ir::Expr> {
        let cause_code = |code: ir::Expr, message: ir::Expr, what: i64| {
            ir::Expr::new(ExprKind::Runtime { func: RuntimeFunc::EXC_CAUSE_CODE, args: vec![code, message, int(what as i128, span)] }, Type::INT64, span)
        };
        match attr {
            "__cause__" => Ok(self.with_exception_parts(e, |code, message| {
                let cause = cause_code(code.clone(), message.clone(), CAUSE_CODE);
                let message = ir::Expr::new(ExprKind::Runtime { func: RuntimeFunc::EXC_CAUSE_MESSAGE, args: vec![code, message] }, Type::Str, span);
                ir::Expr::new(ExprKind::Tuple(vec![cause, message]), Type::Exception, span)
            })),
            "__suppress_context__" => Ok(self.with_exception_parts(e, |code, message| {
                let flag = cause_code(code, message, SUPPRESS_CONTEXT);
                ir::Expr::new(ExprKind::Compare { op: CmpOp::NotEq, lhs: flag.boxed(), rhs: int(0, span).boxed() }, Type::Bool, span)
            })),
            "__context__" => Err(self.unsupported(
                span,
                "`e.__context__` is not supported in compiled code: it does not record the exception being handled when another is raised",
                Some("use `e.__cause__` with `raise X from e`, or read `__context__` in Python code"),
            )),
            _ => Err(self.typing(span, format!("an exception has no attribute `{attr}` in compiled code (it has `args`, `__cause__` and `__suppress_context__`)"), None)),
        }
    }

    /// `e is None` (`is_none`) or `e is not None` of an exception value: whether its code is
    /// 0 (see [`Type::Exception`]).
    pub(crate) fn exception_is_none(&mut self, e: ir::Expr, is_none: bool, span: Span) -> ir::Expr {
        let op = if is_none { CmpOp::Eq } else { CmpOp::NotEq };
        self.with_exception_parts(e, |code, _| ir::Expr::new(ExprKind::Compare { op, lhs: code.boxed(), rhs: int(0, span).boxed() }, Type::Bool, span))
    }

    /// `len(e.args)` of `e.args` (a [`Type::ExceptionArgs`]).
    pub(crate) fn exception_arg_count(&mut self, e: ir::Expr) -> ir::Expr {
        let span = e.span;
        self.with_exception_parts(e, |code, message| ir::Expr::new(ExprKind::Runtime { func: RuntimeFunc::EXC_ARG_COUNT, args: vec![code, message] }, Type::INT64, span))
    }

    /// `e.args[index]` of `e.args` (a [`Type::ExceptionArgs`]): the exception's argument, a
    /// string.
    pub(crate) fn exception_arg(&mut self, e: ir::Expr, index: &ast::Expr, span: Span) -> Result<ir::Expr> {
        let i = self.expr(index)?;
        if !i.ty.is_integer_like() {
            return Err(self.typing(index.span, format!("tuple indices must be integers, not `{}`", i.ty), None));
        }
        let i = self.cast(i, &Type::INT64);
        Ok(self.with_exception_parts(e, |code, message| ir::Expr::new(ExprKind::Runtime { func: RuntimeFunc::EXC_ARG, args: vec![code, message, i] }, Type::Str, span)))
    }

    /// `raise X from cause`: raises the exception of code `code` (negative: without an
    /// argument; see `ferrojit_rt_raise_from`) with the text `text`, recording `cause` as its
    /// cause (its `__cause__` when it reaches Python), then a `Raise` that is never reached (the
    /// call raises).
    pub(crate) fn raise_from(&mut self, code: ir::Expr, text: ir::Expr, cause: ir::Expr, span: Span) -> Vec<ir::Stmt> {
        let call = self.with_exception_parts(cause, |cause_code, cause_message| {
            ir::Expr::new(ExprKind::Runtime { func: RuntimeFunc::RAISE_FROM, args: vec![code, text, cause_code, cause_message] }, Type::INT64, span)
        });
        vec![ir::Stmt { kind: StmtKind::Expr(call), span }, ir::Stmt { kind: StmtKind::Raise { exc: ExcKind::Exception, msg: None }, span }]
    }

    /// `raise e from cause` of two exception values: `e` raised as it is (its message, marks
    /// included, is the text), with its cause.
    pub(crate) fn raise_exception_value_from(&mut self, e: ir::Expr, cause: ir::Expr, span: Span) -> Vec<ir::Stmt> {
        let tmp = self.temp(Type::Exception);
        let part = |cx: &Self, i: usize, ty: Type| ir::Expr::new(ExprKind::TupleGet(cx.local_expr(tmp, span).boxed(), i), ty, span);
        let code = ir::Expr::new(ExprKind::Binary { op: ir::BinaryOp::Add, lhs: part(self, 0, Type::INT64).boxed(), rhs: int(RAW_MESSAGE as i128, span).boxed() }, Type::INT64, span);
        let message = part(self, 1, Type::Str);
        let mut stmts = vec![ir::Stmt { kind: StmtKind::Assign { local: tmp, value: e }, span }];
        stmts.extend(self.raise_from(code, message, cause, span));
        stmts
    }
}
