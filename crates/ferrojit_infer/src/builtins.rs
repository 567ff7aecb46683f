//! Calls of library functions by qualified name: Python's built-ins, the `math` module, and
//! NumPy's scalar functions and scalar type constructors.

use crate::arrays::{NUMPY_ARRAY_FUNCTIONS, NUMPY_CREATION};
use crate::expr::Value;
use crate::function::{FnInfer, Result};
use ferrojit_ir::{self as ir, math_function, BinaryOp, Const, ExprKind, MathFunc, MathShape, PrintItem, RuntimeFunc, UnaryOp};
use ferrojit_syntax::ast::{BinOp, CmpOp, Span};
use ferrojit_types::{unify, FloatType, Type};

const BUILTINS: &[&str] = &["abs", "min", "max", "int", "float", "bool", "complex", "round", "pow", "divmod", "print", "len", "range", "enumerate", "zip"];

/// NumPy functions that are the same computation as a `math` function on one scalar, by their
/// NumPy name. Unlike `math.floor`, `numpy.floor` returns a float.
const NUMPY_MATH: &[(&str, &str)] = &[
    ("sqrt", "sqrt"), ("exp", "exp"), ("expm1", "expm1"), ("log", "log"), ("log2", "log2"),
    ("log10", "log10"), ("log1p", "log1p"), ("sin", "sin"), ("cos", "cos"), ("tan", "tan"),
    ("arcsin", "asin"), ("arccos", "acos"), ("arctan", "atan"), ("sinh", "sinh"), ("cosh", "cosh"),
    ("tanh", "tanh"), ("arcsinh", "asinh"), ("arccosh", "acosh"), ("arctanh", "atanh"),
    ("floor", "floor"), ("ceil", "ceil"), ("trunc", "trunc"), ("fabs", "fabs"),
    ("degrees", "degrees"), ("radians", "radians"), ("rad2deg", "degrees"), ("deg2rad", "radians"),
    ("arctan2", "atan2"), ("hypot", "hypot"), ("copysign", "copysign"), ("power", "pow"),
    ("fmod", "fmod"), ("isnan", "isnan"), ("isinf", "isinf"), ("isfinite", "isfinite"),
    ("exp2", "exp2"), ("cbrt", "cbrt"),
];

/// NumPy's element-wise functions built here from comparisons and arithmetic.
const NUMPY_ELEMENTWISE: &[&str] = &["minimum", "maximum", "fmin", "fmax", "sign", "square", "negative", "positive"];

const NUMPY_SCALARS: &[&str] = &[
    "bool_", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "intp",
    "uintp", "float32", "float64", "complex64", "complex128",
];

/// Whether `qualified` (`math.sqrt`, `numpy.tanh`, `builtins.abs`) is a function we compile.
pub(crate) fn is_known(qualified: &str) -> bool {
    match qualified.split_once('.') {
        Some(("builtins", name)) => BUILTINS.contains(&name),
        Some(("math", name)) => math_function(name).is_some() || name == "log",
        Some(("numpy", name)) => {
            NUMPY_MATH.iter().any(|(n, _)| *n == name)
                || NUMPY_SCALARS.contains(&name)
                || matches!(name, "abs" | "absolute")
                || NUMPY_ELEMENTWISE.contains(&name)
                || NUMPY_CREATION.contains(&name)
                || NUMPY_ARRAY_FUNCTIONS.iter().any(|(n, _)| *n == name)
        }
        _ => false,
    }
}

impl FnInfer<'_> {
    pub(crate) fn call_library(&mut self, name: &str, args: Vec<Value>, keywords: Vec<(String, Value, Span)>, span: Span) -> Result<Value> {
        let short = name.rsplit('.').next().unwrap_or(name).to_string();
        if name == "builtins.print" {
            return self.print(args, keywords, span).map(Value::Expr);
        }
        if let Some(("numpy", f)) = name.split_once('.') {
            if NUMPY_CREATION.contains(&f) {
                return self.numpy_create(f, args, keywords, span).map(Value::Expr);
            }
            if let Some((_, method)) = NUMPY_ARRAY_FUNCTIONS.iter().find(|(n, _)| *n == f) {
                if let Some(Value::Expr(first)) = args.first() {
                    if matches!(first.ty, Type::Array(_)) {
                        let mut args = args;
                        let Value::Expr(array) = args.remove(0) else { unreachable!() };
                        return self.array_method(array, method, args, keywords, span).map(Value::Expr);
                    }
                }
            }
        }
        if let Some((k, _, kspan)) = keywords.first() {
            return Err(self.typing(*kspan, format!("`{short}()` takes no keyword argument `{k}` in compiled code"), None));
        }
        let args = args.into_iter().map(|a| self.value_expr(a, span)).collect::<Result<Vec<_>>>()?;
        let e = match name.split_once('.') {
            Some(("builtins", f)) => self.builtin(f, args, span)?,
            Some(("math", f)) => self.math(f, args, span, true)?,
            Some(("numpy", f)) => self.numpy(f, args, span)?,
            _ => return Err(self.unsupported(span, format!("`{name}` is not supported in compiled code"), None)),
        };
        Ok(Value::Expr(e))
    }

    fn arity(&self, name: &str, args: &[ir::Expr], allowed: std::ops::RangeInclusive<usize>, span: Span) -> Result<()> {
        if allowed.contains(&args.len()) {
            return Ok(());
        }
        let expected = if allowed.start() == allowed.end() { allowed.start().to_string() } else { format!("{} to {}", allowed.start(), allowed.end()) };
        Err(self.typing(span, format!("`{name}()` takes {expected} arguments, got {}", args.len()), None))
    }

    fn need_number(&self, name: &str, e: &ir::Expr, real: bool) -> Result<()> {
        let ok = if real { e.ty.is_number() && !matches!(e.ty, Type::Complex(_)) } else { e.ty.is_number() };
        if ok {
            return Ok(());
        }
        Err(self.typing(e.span, format!("`{name}()` does not accept a `{}`", e.ty), None))
    }

    fn builtin(&mut self, f: &str, mut args: Vec<ir::Expr>, span: Span) -> Result<ir::Expr> {
        let mk = |kind, ty| ir::Expr::new(kind, ty, span);
        match f {
            "abs" => {
                self.arity(f, &args, 1..=1, span)?;
                let x = args.pop().unwrap();
                self.need_number(f, &x, false)?;
                let ty = match &x.ty {
                    Type::Bool => Type::INT64,
                    Type::Complex(c) => Type::Float(*c),
                    t => t.clone(),
                };
                let x = if x.ty == Type::Bool { self.cast(x, &Type::INT64) } else { x };
                Ok(mk(ExprKind::Unary { op: UnaryOp::Abs, operand: x.boxed() }, ty))
            }
            "min" | "max" => {
                if args.is_empty() {
                    return Err(self.typing(span, format!("`{f}()` needs at least one argument"), None));
                }
                let values = if args.len() == 1 {
                    let t = args.pop().unwrap();
                    let n = match &t.ty {
                        Type::Tuple(items) if !items.is_empty() => items.len(),
                        other => return Err(self.typing(span, format!("`{f}()` of a single `{other}` is not supported"), Some("pass two or more numbers, or a non-empty tuple"))),
                    };
                    let tmp = self.temp(t.ty.clone());
                    let items = (0..n).map(|i| self.tuple_get(self.local_expr(tmp, span), i, span)).collect();
                    let body = self.min_max(f == "max", items, span)?;
                    let ty = body.ty.clone();
                    return Ok(mk(ExprKind::Let { local: tmp, value: t.boxed(), body: body.boxed() }, ty));
                } else {
                    args
                };
                self.min_max(f == "max", values, span)
            }
            "int" | "float" => {
                self.arity(f, &args, 0..=1, span)?;
                let ty = if f == "int" { Type::INT64 } else { Type::FLOAT64 };
                match args.pop() {
                    None if f == "int" => Ok(mk(ExprKind::Const(Const::Int(0)), ty)),
                    None => Ok(mk(ExprKind::Const(Const::Float(0.0)), ty)),
                    Some(x) => {
                        self.need_number(f, &x, true)?;
                        Ok(self.cast(x, &ty))
                    }
                }
            }
            "bool" => {
                self.arity(f, &args, 0..=1, span)?;
                Ok(match args.pop() {
                    None => mk(ExprKind::Const(Const::Bool(false)), Type::Bool),
                    Some(x) => self.truth(x),
                })
            }
            "complex" => {
                self.arity(f, &args, 0..=2, span)?;
                if args.len() == 1 && matches!(args[0].ty, Type::Complex(_)) {
                    return Ok(self.cast(args.pop().unwrap(), &Type::COMPLEX128));
                }
                for a in &args {
                    self.need_number(f, a, true)?;
                }
                let zero = || mk(ExprKind::Const(Const::Float(0.0)), Type::FLOAT64);
                let mut it = args.into_iter().map(|a| self.cast(a, &Type::FLOAT64));
                let re = it.next().unwrap_or_else(zero);
                let im = it.next().unwrap_or_else(zero);
                Ok(mk(ExprKind::MakeComplex { re: re.boxed(), im: im.boxed() }, Type::COMPLEX128))
            }
            "round" => {
                self.arity(f, &args, 1..=2, span)?;
                let x = args.remove(0);
                self.need_number(f, &x, true)?;
                let ndigits = args.pop();
                if x.ty.is_integer_like() {
                    return match ndigits {
                        None => Ok(if x.ty == Type::Bool { self.cast(x, &Type::INT64) } else { x }),
                        Some(n) if matches!(n.kind, ExprKind::Const(Const::Int(v)) if v >= 0) => Ok(x),
                        Some(n) => Err(self.unsupported(n.span, "`round()` of an integer with a negative or variable `ndigits` is not supported", None)),
                    };
                }
                match ndigits {
                    None => {
                        let func = MathFunc { name: "_roundeven", shape: MathShape::Unary };
                        let r = mk(ExprKind::Math { func, args: vec![x.clone()] }, x.ty.clone());
                        Ok(self.cast(r, &Type::INT64))
                    }
                    Some(n) => {
                        if !n.ty.is_integer_like() {
                            return Err(self.typing(n.span, "`ndigits` must be an integer", None));
                        }
                        let ty = x.ty.clone();
                        let args = vec![self.cast(x, &Type::FLOAT64), self.cast(n, &Type::INT64)];
                        let r = mk(ExprKind::Runtime { func: RuntimeFunc::ROUND_NDIGITS, args }, Type::FLOAT64);
                        Ok(self.cast(r, &ty))
                    }
                }
            }
            "pow" => {
                self.arity(f, &args, 2..=3, span)?;
                if args.len() == 3 {
                    if !args.iter().all(|a| a.ty.is_integer_like()) {
                        return Err(self.typing(span, "three-argument `pow()` needs integers", None));
                    }
                    let args = args.into_iter().map(|a| self.cast(a, &Type::INT64)).collect();
                    return Ok(mk(ExprKind::Runtime { func: RuntimeFunc::POWMOD_I64, args }, Type::INT64));
                }
                let b = args.pop().unwrap();
                let a = args.pop().unwrap();
                self.binop(BinOp::Pow, a, b, span)
            }
            "divmod" => {
                self.arity(f, &args, 2..=2, span)?;
                let b = args.pop().unwrap();
                let a = args.pop().unwrap();
                let (ta, tb) = (self.temp(a.ty.clone()), self.temp(b.ty.clone()));
                let q = self.binop(BinOp::FloorDiv, self.local_expr(ta, span), self.local_expr(tb, span), span)?;
                let r = self.binop(BinOp::Mod, self.local_expr(ta, span), self.local_expr(tb, span), span)?;
                let ty = Type::Tuple(vec![q.ty.clone(), r.ty.clone()]);
                let pair = mk(ExprKind::Tuple(vec![q, r]), ty.clone());
                let inner = mk(ExprKind::Let { local: tb, value: b.boxed(), body: pair.boxed() }, ty.clone());
                Ok(mk(ExprKind::Let { local: ta, value: a.boxed(), body: inner.boxed() }, ty))
            }
            "len" => {
                self.arity(f, &args, 1..=1, span)?;
                let x = args.pop().unwrap();
                match &x.ty {
                    Type::Array(_) => self.array_len(x, span),
                    Type::Tuple(items) => {
                        let n = items.len() as i128;
                        let tmp = self.temp(x.ty.clone());
                        let body = mk(ExprKind::Const(Const::Int(n)), Type::INT64);
                        Ok(mk(ExprKind::Let { local: tmp, value: x.boxed(), body: body.boxed() }, Type::INT64))
                    }
                    other => Err(self.typing(span, format!("`len()` of a `{other}` is not supported"), None)),
                }
            }
            "range" | "enumerate" | "zip" => Err(self.unsupported(span, format!("`{f}()` is only supported as the iterable of a `for` loop"), None)),
            _ => Err(self.unsupported(span, format!("the built-in `{f}()` is not supported in compiled code"), None)),
        }
    }

    /// Python's `max`: the first of the largest values (`b > result` replaces), so NaN handling
    /// matches CPython's argument-order-dependent result.
    fn min_max(&mut self, is_max: bool, values: Vec<ir::Expr>, span: Span) -> Result<ir::Expr> {
        let name = if is_max { "max" } else { "min" };
        let mut ty = values[0].ty.clone();
        for v in &values {
            self.need_number(name, v, true)?;
            ty = unify(&ty, &v.ty).expect("real numbers unify");
        }
        let op = if is_max { CmpOp::Gt } else { CmpOp::Lt };
        let mut values: Vec<ir::Expr> = values.into_iter().map(|v| self.cast(v, &ty)).collect();
        let acc = self.temp(ty.clone());
        let rest = values.split_off(1);
        let first = values.pop().unwrap();
        // let acc = v0 in let t1 = v1 in let acc = (t1 > acc ? t1 : acc) in ... acc
        let mut body = self.local_expr(acc, span);
        let mut steps = Vec::new();
        for v in rest {
            let t = self.temp(ty.clone());
            let better = self.compare(op, self.local_expr(t, span), self.local_expr(acc, span), span)?;
            let pick = ir::Expr::new(
                ExprKind::IfExp { cond: better.boxed(), then: self.local_expr(t, span).boxed(), otherwise: self.local_expr(acc, span).boxed() },
                ty.clone(),
                span,
            );
            steps.push((t, v, pick));
        }
        for (t, v, pick) in steps.into_iter().rev() {
            let rebind = ir::Expr::new(ExprKind::Let { local: acc, value: pick.boxed(), body: body.boxed() }, ty.clone(), span);
            body = ir::Expr::new(ExprKind::Let { local: t, value: v.boxed(), body: rebind.boxed() }, ty.clone(), span);
        }
        Ok(ir::Expr::new(ExprKind::Let { local: acc, value: first.boxed(), body: body.boxed() }, ty, span))
    }

    fn print(&mut self, args: Vec<Value>, keywords: Vec<(String, Value, Span)>, span: Span) -> Result<ir::Expr> {
        let (mut sep, mut end) = (" ".to_string(), "\n".to_string());
        for (k, v, kspan) in keywords {
            let text = match v {
                Value::Str(s) => s,
                _ => return Err(self.unsupported(kspan, format!("`print({k}=...)` needs a constant string"), None)),
            };
            match k.as_str() {
                "sep" => sep = text,
                "end" => end = text,
                _ => return Err(self.unsupported(kspan, format!("`print()` keyword `{k}` is not supported in compiled code"), None)),
            }
        }
        let mut items = Vec::new();
        for (i, a) in args.into_iter().enumerate() {
            if i > 0 && !sep.is_empty() {
                items.push(PrintItem::Str(sep.clone()));
            }
            items.push(match a {
                Value::Str(s) => PrintItem::Str(s),
                other => PrintItem::Value(self.value_expr(other, span)?),
            });
        }
        if !end.is_empty() {
            items.push(PrintItem::Str(end));
        }
        Ok(ir::Expr::new(ExprKind::Print(items), Type::NoneType, span))
    }

    /// A `math` function (`python_semantics`: `floor`/`ceil`/`trunc` return `int64`).
    fn math(&mut self, f: &str, mut args: Vec<ir::Expr>, span: Span, python_semantics: bool) -> Result<ir::Expr> {
        if f == "log" && args.len() == 2 {
            let base = args.pop().unwrap();
            let x = args.pop().unwrap();
            let num = self.math("log", vec![x], span, python_semantics)?;
            let den = self.math("log", vec![base], span, python_semantics)?;
            let ty = ferrojit_types::promote_arith(&num.ty, &den.ty).expect("floats");
            let (num, den) = (self.cast(num, &ty), self.cast(den, &ty));
            return Ok(ir::Expr::new(ExprKind::Binary { op: BinaryOp::Div, lhs: num.boxed(), rhs: den.boxed() }, ty, span));
        }
        let func = math_function(f).ok_or_else(|| self.unsupported(span, format!("`math.{f}` is not supported in compiled code"), None))?;
        let want = match func.shape {
            MathShape::Unary | MathShape::Predicate => 1,
            MathShape::Binary => 2,
        };
        self.arity(f, &args, want..=want, span)?;
        for a in &args {
            if matches!(a.ty, Type::Complex(_)) {
                return Err(self.typing(a.span, format!("`{f}()` does not accept complex numbers"), Some("`cmath` is not supported yet")));
            }
            self.need_number(f, a, true)?;
        }
        // Integers never are NaN or infinite.
        if func.shape == MathShape::Predicate && args[0].ty.is_integer_like() {
            return Ok(ir::Expr::new(ExprKind::Const(Const::Bool(f == "isfinite")), Type::Bool, span));
        }
        let rounding = matches!(f, "floor" | "ceil" | "trunc");
        if python_semantics && rounding && args[0].ty.is_integer_like() {
            return Ok(self.cast(args.pop().unwrap(), &Type::INT64));
        }
        let float = args.iter().map(|a| match a.ty {
            Type::Float(FloatType::F32) => FloatType::F32,
            _ => FloatType::F64,
        });
        let ft = if float.clone().all(|f| f == FloatType::F32) { FloatType::F32 } else { FloatType::F64 };
        let args: Vec<ir::Expr> = args.into_iter().map(|a| self.cast(a, &Type::Float(ft))).collect();
        let ty = if func.shape == MathShape::Predicate { Type::Bool } else { Type::Float(ft) };
        let e = ir::Expr::new(ExprKind::Math { func, args }, ty, span);
        Ok(if python_semantics && rounding { self.cast(e, &Type::INT64) } else { e })
    }

    /// `np.minimum`, `np.maximum` (NaN wins, as NumPy's), `np.fmin`, `np.fmax` (NaN loses),
    /// `np.sign`, `np.square`, `np.negative`, `np.positive` on scalars.
    fn numpy_elementwise(&mut self, f: &str, mut args: Vec<ir::Expr>, span: Span) -> Result<ir::Expr> {
        let binary = matches!(f, "minimum" | "maximum" | "fmin" | "fmax");
        self.arity(f, &args, if binary { 2..=2 } else { 1..=1 }, span)?;
        for a in &args {
            self.need_number(f, a, f != "square" && f != "negative" && f != "positive")?;
        }
        let mk = |kind, ty: &Type| ir::Expr::new(kind, ty.clone(), span);
        if !binary {
            let x = args.pop().unwrap();
            return match f {
                "square" => self.binop(BinOp::Mul, x.clone(), x, span),
                "negative" => {
                    let zero = ir::Expr::new(ExprKind::Const(Const::Int(0)), Type::INT64, span);
                    self.binop(BinOp::Sub, zero, x, span)
                }
                "positive" => Ok(x),
                _ => {
                    // sign: -1, 0 or 1 of the argument's type; NaN stays NaN.
                    let ty = if x.ty == Type::Bool { Type::INT64 } else { x.ty.clone() };
                    let t = self.temp(ty.clone());
                    let x = self.cast(x, &ty);
                    let lit = |v: i128| -> ir::Expr {
                        match &ty {
                            Type::Float(_) => mk(ExprKind::Const(Const::Float(v as f64)), &ty),
                            _ => mk(ExprKind::Const(Const::Int(v)), &ty),
                        }
                    };
                    let local = self.local_expr(t, span);
                    let gt = self.compare(CmpOp::Gt, local.clone(), lit(0), span)?;
                    let lt = self.compare(CmpOp::Lt, local.clone(), lit(0), span)?;
                    let eq = self.compare(CmpOp::Eq, local.clone(), lit(0), span)?;
                    let zero_or_nan = mk(ExprKind::IfExp { cond: eq.boxed(), then: lit(0).boxed(), otherwise: local.boxed() }, &ty);
                    let neg = mk(ExprKind::IfExp { cond: lt.boxed(), then: lit(-1).boxed(), otherwise: zero_or_nan.boxed() }, &ty);
                    let body = mk(ExprKind::IfExp { cond: gt.boxed(), then: lit(1).boxed(), otherwise: neg.boxed() }, &ty);
                    Ok(mk(ExprKind::Let { local: t, value: x.boxed(), body: body.boxed() }, &ty))
                }
            };
        }
        let b = args.pop().unwrap();
        let a = args.pop().unwrap();
        let ty = ferrojit_types::promote_arith(&a.ty, &b.ty).expect("real numbers");
        let ty = if a.ty == Type::Bool && b.ty == Type::Bool { Type::Bool } else { ty };
        let (ta, tb) = (self.temp(ty.clone()), self.temp(ty.clone()));
        let (a, b) = (self.cast(a, &ty), self.cast(b, &ty));
        let (la, lb) = (self.local_expr(ta, span), self.local_expr(tb, span));
        let op = if matches!(f, "minimum" | "fmin") { CmpOp::Lt } else { CmpOp::Gt };
        let better = self.compare(op, la.clone(), lb.clone(), span)?;
        // NumPy: minimum picks `a` when `a < b` or `a` is NaN; fmin when `a < b` or `b` is NaN.
        let cond = if matches!(ty, Type::Float(_)) {
            let nan_of = if matches!(f, "minimum" | "maximum") { la.clone() } else { lb.clone() };
            let isnan = self.math("isnan", vec![nan_of], span, false)?;
            mk(ExprKind::Logical { and: false, lhs: better.boxed(), rhs: isnan.boxed() }, &Type::Bool)
        } else {
            better
        };
        let pick = mk(ExprKind::IfExp { cond: cond.boxed(), then: la.boxed(), otherwise: lb.boxed() }, &ty);
        let inner = mk(ExprKind::Let { local: tb, value: b.boxed(), body: pick.boxed() }, &ty);
        Ok(mk(ExprKind::Let { local: ta, value: a.boxed(), body: inner.boxed() }, &ty))
    }

    fn numpy(&mut self, f: &str, mut args: Vec<ir::Expr>, span: Span) -> Result<ir::Expr> {
        if let Some((_, m)) = NUMPY_MATH.iter().find(|(n, _)| *n == f) {
            return self.math(m, args, span, false);
        }
        if matches!(f, "abs" | "absolute") {
            return self.builtin("abs", args, span);
        }
        if NUMPY_ELEMENTWISE.contains(&f) {
            return self.numpy_elementwise(f, args, span);
        }
        if NUMPY_SCALARS.contains(&f) {
            self.arity(f, &args, 0..=1, span)?;
            let ty = Type::from_name(f).expect("scalar names parse");
            return Ok(match args.pop() {
                None => {
                    let zero = ir::Expr::new(ExprKind::Const(Const::Int(0)), Type::INT64, span);
                    self.cast(zero, &ty)
                }
                Some(x) if ty == Type::Bool => self.truth(x),
                Some(x) => {
                    self.need_number(f, &x, !matches!(ty, Type::Complex(_)))?;
                    self.cast(x, &ty)
                }
            });
        }
        Err(self.unsupported(span, format!("`numpy.{f}` is not supported in compiled code yet"), None))
    }
}
