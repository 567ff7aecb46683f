//! Built-in functions, the `math` module, and NumPy's scalar functions and scalar types: their
//! registry entries (`register`) and the functions that type and build them.

use crate::expr::Value;
use crate::function::{FnInfer, Result};
use ferrojit_ir::{self as ir, BinaryOp, Const, ExprKind, MathFunc, MathShape, PrintItem, RuntimeFunc, UnaryOp};
use ferrojit_syntax::ast::{BinOp, CmpOp, Span};
use ferrojit_types::{unify, FloatType, Type};
use crate::bind::Args;
use crate::registry::{self, Build, Registry};


/// The parameters of a NumPy ufunc of one and of two inputs (see `array_exprs` for the options).
pub(crate) const UNARY_UFUNC: &str = "x, /, out=None, *, where=True, casting='same_kind', ~order='K', dtype=None, ~subok=True";
pub(crate) const BINARY_UFUNC: &str = "x1, x2, /, out=None, *, where=True, casting='same_kind', ~order='K', dtype=None, ~subok=True";

const NUMPY_SCALARS: &[&str] = &[
    "bool_", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "intp",
    "uintp", "float32", "float64", "complex64", "complex128",
];

/// Adds the built-ins, `math` and NumPy scalar functions and types to the registry.
pub(crate) fn register(r: &mut Registry) {
    r.function("builtins.abs", "x, /", abs);
    r.elementwise("builtins.abs");
    r.function("builtins.min", "*args, key=None, default=None", min);
    r.function("builtins.max", "*args, key=None, default=None", max);
    r.function("builtins.int", "x=0, /, base=10", int);
    r.function("builtins.float", "x=0.0, /", float);
    r.function("builtins.bool", "x=False, /", bool_);
    r.function("builtins.complex", "real=0, imag=0", complex);
    r.function("builtins.round", "number, ndigits=None", round);
    r.function("builtins.pow", "base, exp, mod=None", pow);
    r.function("builtins.divmod", "x, y, /", divmod);
    r.function("builtins.len", "obj, /", len);
    r.function("builtins.sum", "iterable, /, start=0", sum);
    r.function("builtins.tuple", "iterable=(), /", tuple_);
    r.function(crate::tuples::LITERAL_UNROLL, "container, /", only_in_for);
    r.function("builtins.print", "*values, sep=' ', end='\\n', ~file=None, ~flush=False", print);
    r.function("builtins.range", "*args", range_list);
    r.function("builtins.enumerate", "iterable, start=0", enumerate_iterator);
    r.function("builtins.zip", "*iterables, strict=False", zip_iterator);
    r.function("builtins.next", "iterator, default=..., /", next);
    r.function("numpy.ndindex", "*shape", only_in_for);
    r.function("numpy.ndenumerate", "arr", only_in_for);
    r.function("numpy.nditer", "op, ~flags=None, ~op_flags=None, ~op_dtypes=None, ~order='K', ~casting='safe', ~op_axes=None, ~itershape=None, ~buffersize=0", only_in_for);

    // `math.log(x[, base])`; NumPy's `log` is the math table's one-argument `log`.
    r.function("math.log", "x, base=None, /", math_log);
    for &func in ir::MATH_FUNCTIONS {
        let binary = func.shape == MathShape::Binary;
        if func != MathFunc::LOG {
            r.add(leak(format!("math.{}", func.name)), if binary { "x, y, /" } else { "x, /" }, Build::Math { func, python: true });
        }
        for name in func.numpy {
            r.add(leak(format!("numpy.{name}")), if binary { BINARY_UFUNC } else { UNARY_UFUNC }, Build::Math { func, python: false });
        }
    }
    r.function("numpy.abs", UNARY_UFUNC, abs);
    r.function("numpy.absolute", UNARY_UFUNC, abs);
    r.function("numpy.minimum", BINARY_UFUNC, minimum);
    r.function("numpy.maximum", BINARY_UFUNC, maximum);
    r.function("numpy.fmin", BINARY_UFUNC, fmin);
    r.function("numpy.fmax", BINARY_UFUNC, fmax);
    r.function("numpy.sign", UNARY_UFUNC, sign);
    r.function("numpy.conjugate", UNARY_UFUNC, conjugate);
    r.function("numpy.conj", UNARY_UFUNC, conjugate);
    r.function("numpy.where", "condition, x, y, /", where_);
    r.elementwise("numpy.where");
    r.function("numpy.square", UNARY_UFUNC, square);
    r.function("numpy.negative", UNARY_UFUNC, negative);
    r.function("numpy.positive", UNARY_UFUNC, positive);
    for name in NUMPY_SCALARS {
        r.function(leak(format!("numpy.{name}")), "x=0, /", numpy_scalar);
    }
}

/// A name made once, when the registry is built, and kept as long as the registry.
pub(crate) fn leak(name: String) -> &'static str {
    Box::leak(name.into_boxed_str())
}

/// Whether `qualified` (`math.sqrt`, `numpy.tanh`, `builtins.abs`) is a function we compile.
pub(crate) fn is_known(qualified: &str) -> bool {
    registry::function(qualified).is_some()
}

impl FnInfer<'_> {
    pub(crate) fn call_library(&mut self, name: &str, args: Vec<Value>, keywords: Vec<(String, Value, Span)>, span: Span) -> Result<Value> {
        let Some(entry) = registry::function(name) else {
            return Err(match name.split_once('.') {
                Some(("builtins", f)) => self.unsupported(span, format!("the built-in `{f}()` is not supported in compiled code"), None),
                _ => self.unsupported(span, format!("`{name}` is not supported in compiled code yet"), None),
            });
        };
        // The built-ins see a named tuple as the tuple it is (`len(p)`, `min(p)`), but `print`
        // shows its class and fields. (The library's primitives keep the type they are given.)
        let (args, keywords) = if !name.starts_with("builtins.") || matches!(name, "builtins.print" | "builtins.str" | "builtins.repr" | "builtins.format") {
            (args, keywords)
        } else {
            (args.into_iter().map(|v| self.plain_tuple_value(v)).collect(), keywords.into_iter().map(|(k, v, at)| (k, self.plain_tuple_value(v), at)).collect())
        };
        let mut args = self.bind(entry.callee, &entry.signature, args, keywords, span)?;
        if entry.elementwise {
            if let Some(lifted) = self.call_elementwise(entry, &mut args, span)? {
                return Ok(Value::Expr(lifted));
            }
        }
        self.build_entry(entry, &mut args, span)
    }

    /// Runs `entry`'s builder on bound arguments.
    pub(crate) fn build_entry(&mut self, entry: &'static registry::Entry, args: &mut Args, span: Span) -> Result<Value> {
        match &entry.build {
            Build::Function(build) => build(self, args, span),
            Build::Math { func, python } => {
                // Inputs are named as in Python (`x`, `y`) or as in NumPy (`x`; `x1`, `x2`).
                let mut inputs = Vec::with_capacity(2);
                let mut literal = Vec::with_capacity(2);
                for name in ["x", "y", "x1", "x2"] {
                    let is_literal = args.is_literal(name);
                    if let Some(x) = self.arg_expr(args, name)? {
                        inputs.push(x);
                        literal.push(is_literal);
                    }
                }
                if !*python && inputs.len() == 2 && literal.iter().any(|l| *l) && !literal.iter().all(|l| *l) {
                    // NEP 50: the literal takes the other input's type where that type holds it
                    // (`np.power(a_int32, 2)` is int32, `np.arctan2(a_float32, 2.0)` float32).
                    let (i, j) = if literal[0] { (0, 1) } else { (1, 0) };
                    if let Some(ty) = Self::operator_type(&inputs[j].ty, &inputs[i].ty, crate::expr::Literals { left: false, right: true }) {
                        if ty == inputs[j].ty {
                            inputs[i] = self.cast(inputs[i].clone(), &ty);
                        }
                    }
                }
                self.math(entry.callee, *func, inputs, span, *python).map(Value::Expr)
            }
            Build::ArrayFunction(build) => {
                let array = self.required_expr(args, "a")?;
                if !matches!(array.ty, Type::Array(_)) {
                    return Err(self.unsupported(span, format!("`{}()` of a `{}` is not supported in compiled code yet", entry.callee, array.ty), Some("pass an array")));
                }
                // `np.sum(a - b)` of a whole expression, as `(a - b).sum()`: without the array.
                // A `dtype=` is the reduction's, which the array's method applies.
                let whole = args.get_mut("axis").is_none() && args.get_mut("keepdims").is_none() && args.get_mut("dtype").is_none();
                let method = entry.name.trim_start_matches("numpy.").trim_start_matches('a');
                let array = if whole && matches!(method, "sum" | "min" | "max" | "mean" | "prod") {
                    match self.reduce_map(array, method, span) {
                        Ok(reduced) => return Ok(Value::Expr(reduced)),
                        Err(array) => array,
                    }
                } else {
                    array
                };
                build(self, array, args, span).map(Value::Expr)
            }
            Build::Method(_) | Build::Attribute(_) => Err(self.internal(span, &format!("the array member `{}` was called as a function", entry.name))),
        }
    }

    /// The element of a 0-dimensional array (`float(a)` of one is its value, as in NumPy);
    /// any other value as it is.
    pub(crate) fn element_of_0d(&self, x: ir::Expr) -> ir::Expr {
        match &x.ty {
            Type::Array(a) if a.ndim == 0 => {
                let (ty, span) = ((*a.dtype).clone(), x.span);
                ir::Expr::new(ExprKind::ArrayGet { array: x.boxed(), indices: vec![] }, ty, span)
            }
            _ => x,
        }
    }

    fn need_number(&self, name: &str, e: &ir::Expr, real: bool) -> Result<()> {
        let ok = if real { e.ty.is_number() && !matches!(e.ty, Type::Complex(_)) } else { e.ty.is_number() };
        if ok {
            return Ok(());
        }
        Err(self.typing(e.span, format!("`{name}()` does not accept a `{}`", e.ty), None))
    }
}

fn abs(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let x = cx.required_expr(args, "x")?;
    if crate::datetimes::is_time(&x.ty) {
        return cx.time_unary(Some(UnaryOp::Abs), x, span).map(Value::Expr);
    }
    cx.need_number(args.callee, &x, false)?;
    let ty = match &x.ty {
        Type::Bool => Type::INT64,
        Type::Complex(c) => Type::Float(*c),
        t => t.clone(),
    };
    let x = if x.ty == Type::Bool { cx.cast(x, &Type::INT64) } else { x };
    Ok(Value::Expr(ir::Expr::new(ExprKind::Unary { op: UnaryOp::Abs, operand: x.boxed() }, ty, span)))
}

fn min(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    cx.min_max(false, args, span).map(Value::Expr)
}

fn max(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    cx.min_max(true, args, span).map(Value::Expr)
}

/// `int(x)`, `float(x)`: Python's conversions of a real number.
fn convert_real(cx: &mut FnInfer<'_>, args: &mut Args, ty: Type, zero: Const, span: Span) -> Result<Value> {
    Ok(Value::Expr(match cx.arg_expr(args, "x")? {
        None => ir::Expr::new(ExprKind::Const(zero), ty, span),
        Some(x) => {
            let x = cx.element_of_0d(x);
            cx.need_number(args.callee, &x, true)?;
            cx.cast(x, &ty)
        }
    }))
}

fn int(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    if let Some(Value::Expr(ir::Expr { ty: Type::Str, .. }) | Value::Str(_)) = args.get_mut("x") {
        let s = cx.required_expr(args, "x")?;
        let base = cx.arg_expr(args, "base")?;
        return cx.str_to_int(s, base, span).map(Value::Expr);
    }
    if let Some(base) = cx.arg_expr(args, "base")? {
        return Err(cx.typing(base.span, "int() can't convert non-string with explicit base", None));
    }
    convert_real(cx, args, Type::INT64, Const::Int(0), span)
}

fn float(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    if let Some(Value::Expr(ir::Expr { ty: Type::Str, .. }) | Value::Str(_)) = args.get_mut("x") {
        let s = cx.required_expr(args, "x")?;
        return Ok(Value::Expr(cx.str_to_float(s, span)));
    }
    convert_real(cx, args, Type::FLOAT64, Const::Float(0.0), span)
}

fn bool_(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    Ok(Value::Expr(match cx.arg_expr(args, "x")? {
        None => ir::Expr::new(ExprKind::Const(Const::Bool(false)), Type::Bool, span),
        Some(x) => cx.truth(x),
    }))
}

fn complex(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let re = cx.arg_expr(args, "real")?.map(|x| cx.element_of_0d(x));
    let im = cx.arg_expr(args, "imag")?.map(|x| cx.element_of_0d(x));
    if let (Some(z), None) = (&re, &im) {
        if matches!(z.ty, Type::Complex(_)) {
            return Ok(Value::Expr(cx.cast(re.unwrap(), &Type::COMPLEX128)));
        }
    }
    for part in [&re, &im].into_iter().flatten() {
        cx.need_number("complex", part, true)?;
    }
    let part = |cx: &FnInfer<'_>, x: Option<ir::Expr>| match x {
        Some(x) => cx.cast(x, &Type::FLOAT64),
        None => ir::Expr::new(ExprKind::Const(Const::Float(0.0)), Type::FLOAT64, span),
    };
    let (re, im) = (part(cx, re), part(cx, im));
    Ok(Value::Expr(ir::Expr::new(ExprKind::MakeComplex { re: re.boxed(), im: im.boxed() }, Type::COMPLEX128, span)))
}

fn round(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let x = cx.required_expr(args, "number")?;
    cx.need_number("round", &x, true)?;
    let ndigits = cx.arg_expr(args, "ndigits")?;
    let mk = |kind, ty| ir::Expr::new(kind, ty, span);
    if x.ty.is_integer_like() {
        return match ndigits {
            None => Ok(Value::Expr(if x.ty == Type::Bool { cx.cast(x, &Type::INT64) } else { x })),
            Some(n) if matches!(n.kind, ExprKind::Const(Const::Int(v)) if v >= 0) => Ok(Value::Expr(x)),
            Some(n) => Err(cx.unsupported(n.span, "`round()` of an integer with a negative or variable `ndigits` is not supported", None)),
        };
    }
    Ok(Value::Expr(match ndigits {
        None => {
            let r = mk(ExprKind::Math { func: MathFunc::ROUND_HALF_EVEN, args: vec![x.clone()], checked: false }, x.ty.clone());
            cx.cast(r, &Type::INT64)
        }
        Some(n) => {
            if !n.ty.is_integer_like() {
                return Err(cx.typing(n.span, "`ndigits` must be an integer", None));
            }
            let ty = x.ty.clone();
            let args = vec![cx.cast(x, &Type::FLOAT64), cx.cast(n, &Type::INT64)];
            let r = mk(ExprKind::Runtime { func: RuntimeFunc::ROUND_NDIGITS, args }, Type::FLOAT64);
            cx.cast(r, &ty)
        }
    }))
}

fn pow(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let base = cx.required_expr(args, "base")?;
    let exp = cx.required_expr(args, "exp")?;
    if let Some(modulus) = cx.arg_expr(args, "mod")? {
        let args = [base, exp, modulus];
        if !args.iter().all(|a| a.ty.is_integer_like()) {
            return Err(cx.typing(span, "three-argument `pow()` needs integers", None));
        }
        let args = args.into_iter().map(|a| cx.cast(a, &Type::INT64)).collect();
        return Ok(Value::Expr(ir::Expr::new(ExprKind::Runtime { func: RuntimeFunc::POWMOD_I64, args }, Type::INT64, span)));
    }
    cx.binop(BinOp::Pow, base, exp, span).map(Value::Expr)
}

fn divmod(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let a = cx.required_expr(args, "x")?;
    let b = cx.required_expr(args, "y")?;
    let mk = |kind, ty| ir::Expr::new(kind, ty, span);
    let (ta, tb) = (cx.temp(a.ty.clone()), cx.temp(b.ty.clone()));
    let q = cx.binop(BinOp::FloorDiv, cx.local_expr(ta, span), cx.local_expr(tb, span), span)?;
    let r = cx.binop(BinOp::Mod, cx.local_expr(ta, span), cx.local_expr(tb, span), span)?;
    let ty = Type::Tuple(vec![q.ty.clone(), r.ty.clone()]);
    let pair = mk(ExprKind::Tuple(vec![q, r]), ty.clone());
    let inner = mk(ExprKind::Let { local: tb, value: b.boxed(), body: pair.boxed() }, ty.clone());
    Ok(Value::Expr(mk(ExprKind::Let { local: ta, value: a.boxed(), body: inner.boxed() }, ty)))
}

/// `tuple()`, and `tuple(t)` of a tuple: `t` itself (a named tuple as its plain tuple, already
/// viewed so by `call_library`). A tuple's length is part of its type, so `tuple()` of a list,
/// an array, a string or a comprehension, whose lengths are known only when the code runs, is
/// refused (as in Numba).
fn tuple_(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let Some(x) = cx.arg_expr(args, "iterable")? else {
        return Ok(Value::Expr(ir::Expr::new(ExprKind::Tuple(vec![]), Type::Tuple(vec![]), span)));
    };
    if let Type::Tuple(_) = x.ty {
        return Ok(Value::Expr(x));
    }
    let what = match &x.ty {
        Type::List(_) => "a list (or a comprehension or generator expression, which compiled code makes a list)".to_string(),
        Type::Generator(_) => format!("a generator (`{}`)", x.ty),
        other => format!("a `{other}`"),
    };
    // CPython's tuple of any length has no compiled type (Numba refuses it too).
    Err(cx.typing(
        span,
        format!("`tuple()` of {what} is not supported: a tuple's length is part of its type, and this length is known only when the code runs"),
        Some("make a list instead (`list(...)` of the same iterable), or unpack the items into a tuple display (`a, b, c = items` then `(a, b, c)`)"),
    ))
}

fn len(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    if let Some(Value::FlatIter(array)) = args.get_mut("obj") {
        let array = array.clone();
        return Ok(Value::Expr(cx.flat_len(array, span)));
    }
    let x = cx.required_expr(args, "obj")?;
    Ok(Value::Expr(match &x.ty {
        Type::ExceptionArgs => cx.exception_arg_count(x),
        Type::Array(_) => cx.array_len(x, span)?,
        Type::List(_) => crate::lists::list_len(x, span),
        Type::Dict(..) | Type::Set(_) => crate::dicts::dict_len(x, span),
        Type::Str | Type::Bytes => crate::strings::str_len(x, span),
        Type::Tuple(items) => {
            let n = items.len() as i128;
            let body = ir::Expr::new(ExprKind::Const(Const::Int(n)), Type::INT64, span);
            // A constant when nothing is left to evaluate, so that `t[len(t) - 1]` indexes
            // with a constant.
            if matches!(x.kind, ExprKind::Local(_) | ExprKind::Const(_)) {
                return Ok(Value::Expr(body));
            }
            let tmp = cx.temp(x.ty.clone());
            ir::Expr::new(ExprKind::Let { local: tmp, value: x.boxed(), body: body.boxed() }, Type::INT64, span)
        }
        other => return Err(cx.typing(span, format!("`len()` of a `{other}` is not supported"), None)),
    }))
}

fn sum(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    cx.tuple_sum(args, span).map(Value::Expr)
}

/// `range(...)` anywhere but as a `for` loop's iterable (which walks it without making it):
/// the list of its items, for `sum`, `sorted`, `min`, `max`, `map`, `functools.reduce`, `list`.
fn range_list(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let values = std::mem::take(&mut args.rest).into_iter().map(|v| cx.value_expr(v, span)).collect::<Result<Vec<_>>>()?;
    match values.len() {
        0 => return Err(cx.typing(span, "`range` expected at least 1 argument, got 0", None)),
        4.. => return Err(cx.typing(span, format!("`range` expected at most 3 arguments, got {}", values.len()), None)),
        _ => {}
    }
    let mut bounds = Vec::new();
    for v in values {
        if !v.ty.is_integer_like() {
            return Err(cx.typing(v.span, format!("`range()` needs integer arguments, got a `{}`", v.ty), Some("convert with `int(...)`")));
        }
        bounds.push(cx.cast(v, &Type::INT64));
    }
    let int = |v: i128| ir::Expr::new(ExprKind::Const(Const::Int(v)), Type::INT64, span);
    let step = if bounds.len() == 3 { bounds.pop().expect("three") } else { int(1) };
    let stop = bounds.pop().expect("at least one");
    let start = bounds.pop().unwrap_or_else(|| int(0));
    cx.call_internal("ferrojit.range_list", vec![start, stop, step], span).map(Value::Expr)
}

/// `zip(a, b, ...)` anywhere but as a `for` loop's iterable (which walks it without making
/// it): an iterator, the library's generator of the tuples.
fn zip_iterator(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    if let Some((_, at)) = args.take_spanned("strict") {
        return Err(cx.unsupported(at, "`zip(strict=...)` is not supported in compiled code yet", None));
    }
    let values = std::mem::take(&mut args.rest).into_iter().map(|v| cx.value_expr(v, span)).collect::<Result<Vec<_>>>()?;
    if values.is_empty() || values.len() > 3 {
        return Err(cx.unsupported(span, format!("`zip()` of {} iterables is supported only as the iterable of a `for` loop", values.len()), Some("zip one to three iterables")));
    }
    cx.call_internal("ferrojit.zip_iterator", values, span).map(Value::Expr)
}

/// `enumerate(iterable, start)` anywhere but as a `for` loop's iterable: an iterator, the
/// library's generator of the pairs.
fn enumerate_iterator(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let iterable = cx.required_expr(args, "iterable")?;
    let mut values = vec![iterable];
    if let Some((start, at)) = args.take_spanned("start") {
        let start = cx.value_expr(start, at)?;
        if !start.ty.is_integer_like() {
            return Err(cx.typing(at, format!("`enumerate()` needs an integer `start`, got a `{}`", start.ty), None));
        }
        values.push(cx.cast(start, &Type::INT64));
    }
    cx.call_internal("ferrojit.enumerate_iterator", values, span).map(Value::Expr)
}

/// `next(iterator)` and `next(iterator, default)`.
fn next(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let iterator = cx.required_expr(args, "iterator")?;
    let default = args.take_spanned("default");
    cx.next_item(iterator, default, span).map(Value::Expr)
}

fn only_in_for(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    Err(cx.unsupported(span, format!("`{}()` is only supported as the iterable of a `for` loop", args.callee), None))
}

fn print(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let mut text = |name: &str, default: &str| -> Result<String> {
        match args.take_spanned(name) {
            None => Ok(default.to_string()),
            Some((Value::Str(s), _)) => Ok(s),
            Some((_, at)) => Err(cx.unsupported(at, format!("`print({name}=...)` needs a constant string"), None)),
        }
    };
    let sep = text("sep", " ")?;
    let end = text("end", "\n")?;
    let mut items = Vec::new();
    for (i, a) in std::mem::take(&mut args.rest).into_iter().enumerate() {
        if i > 0 && !sep.is_empty() {
            items.push(PrintItem::Str(sep.clone()));
        }
        items.push(match a {
            Value::Str(s) => PrintItem::Str(s),
            other => {
                let e = cx.value_expr(other, span)?;
                if printed_as_text(&e.ty) {
                    PrintItem::Value(cx.to_str(e, false, span)?)
                } else if !printable(&e.ty) {
                    return Err(cx.unsupported(span, format!("printing a `{}` is not supported yet", e.ty), Some("print its parts (fields, counts) instead")));
                } else {
                    PrintItem::Value(e)
                }
            }
        });
    }
    if !end.is_empty() {
        items.push(PrintItem::Str(end));
    }
    Ok(Value::Expr(ir::Expr::new(ExprKind::Print(items), Type::NoneType, span)))
}

/// Whether `print` shows a value of this type by its `str()` text, made by the library: time
/// values, and tuples, lists, dicts and sets holding them or NumPy's own scalars (whose `repr`
/// a container's text holds: `[np.int8(1)]`), with printable values, no arrays.
fn printed_as_text(ty: &Type) -> bool {
    let part = |t: &Type| printed_as_text(t) || (printable(t) && !matches!(t, Type::Array(_)));
    let item = |t: &Type| printed_as_text(t) || crate::strings::numpy_scalar_name(t).is_some();
    match ty {
        Type::Datetime(_) | Type::Timedelta(_) | Type::Exception | Type::ExceptionArgs => true,
        Type::Tuple(items) => items.iter().any(item) && items.iter().all(part),
        Type::List(t) | Type::Set(t) => item(t),
        Type::Dict(key, value) => (item(key) || item(value)) && part(key) && part(value),
        _ => false,
    }
}

/// Whether `print` can show a value of this type itself: not time values (see
/// [`printed_as_text`]) or records yet (nor arrays of them).
fn printable(ty: &Type) -> bool {
    match ty {
        Type::Datetime(_) | Type::Timedelta(_) | Type::Record(_) | Type::Function(_) => false,
        Type::Array(a) => printable(&a.dtype),
        Type::Tuple(items) => items.iter().all(printable),
        Type::NamedTuple(n) => n.items.iter().all(printable),
        Type::List(item) => printable(item) && !matches!(**item, Type::Array(_)),
        _ => true,
    }
}

/// `math.log(x)` and `math.log(x, base)`.
fn math_log(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let log = MathFunc::LOG;
    let x = cx.required_expr(args, "x")?;
    let num = cx.math("math.log", log, vec![x], span, true)?;
    let Some(base) = cx.arg_expr(args, "base")? else { return Ok(Value::Expr(num)) };
    let den = cx.math("math.log", log, vec![base], span, true)?;
    let ty = ferrojit_types::promote_arith(&num.ty, &den.ty).expect("floats");
    let (num, den) = (cx.cast(num, &ty), cx.cast(den, &ty));
    Ok(Value::Expr(ir::Expr::new(ExprKind::Binary { op: BinaryOp::Div, lhs: num.boxed(), rhs: den.boxed() }, ty, span)))
}

/// `np.float32(x)` and the other NumPy scalar types: the entry's name is the type's.
fn numpy_scalar(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let ty = Type::from_name(args.callee.trim_start_matches("np.")).expect("scalar type names parse");
    Ok(Value::Expr(match cx.arg_expr(args, "x")? {
        None => {
            let zero = ir::Expr::new(ExprKind::Const(Const::Int(0)), Type::INT64, span);
            cx.cast(zero, &ty)
        }
        Some(x) if ty == Type::Bool => cx.truth(x),
        Some(x) => {
            cx.need_number(args.callee, &x, !matches!(ty, Type::Complex(_)))?;
            cx.cast(x, &ty)
        }
    }))
}

/// NumPy's `minimum`/`maximum` (NaN wins) and `fmin`/`fmax` (NaN loses) of two scalars.
fn minimum(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    cx.numpy_pick(args, CmpOp::Lt, true, span)
}

fn maximum(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    cx.numpy_pick(args, CmpOp::Gt, true, span)
}

fn fmin(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    cx.numpy_pick(args, CmpOp::Lt, false, span)
}

fn fmax(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    cx.numpy_pick(args, CmpOp::Gt, false, span)
}

/// `np.square(x)`: `x * x` with NumPy's types.
fn square(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let x = cx.required_expr(args, "x")?;
    cx.need_number(args.callee, &x, false)?;
    cx.binop(BinOp::Mul, x.clone(), x, span).map(Value::Expr)
}

fn negative(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let x = cx.required_expr(args, "x")?;
    cx.need_number(args.callee, &x, false)?;
    cx.unaryop(ferrojit_syntax::ast::UnaryOp::Neg, x, span).map(Value::Expr)
}

fn positive(cx: &mut FnInfer<'_>, args: &mut Args, _span: Span) -> Result<Value> {
    let x = cx.required_expr(args, "x")?;
    cx.need_number(args.callee, &x, false)?;
    Ok(Value::Expr(x))
}

/// `np.conjugate(x)`: the complex conjugate; a real number is its own.
fn conjugate(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let x = cx.required_expr(args, "x")?;
    cx.need_number(args.callee, &x, false)?;
    let Type::Complex(f) = x.ty else { return Ok(Value::Expr(x)) };
    let tmp = cx.temp(x.ty.clone());
    let part = |cx: &FnInfer<'_>, imag| ir::Expr::new(ExprKind::ComplexPart { value: cx.local_expr(tmp, span).boxed(), imag }, Type::Float(f), span);
    let (re, im) = (part(cx, false), part(cx, true));
    let negated = ir::Expr::new(ExprKind::Unary { op: UnaryOp::Neg, operand: im.boxed() }, Type::Float(f), span);
    let made = ir::Expr::new(ExprKind::MakeComplex { re: re.boxed(), im: negated.boxed() }, x.ty.clone(), span);
    let ty = x.ty.clone();
    Ok(Value::Expr(ir::Expr::new(ExprKind::Let { local: tmp, value: x.boxed(), body: made.boxed() }, ty, span)))
}

/// `np.where(condition, x, y)`: `x` where the condition is true, else `y`, in NumPy's result
/// type of the two (a literal is weak).
fn where_(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let literals = crate::expr::Literals { left: args.is_literal("x"), right: args.is_literal("y") };
    let condition = cx.required_expr(args, "condition")?;
    let x = cx.required_expr(args, "x")?;
    let y = cx.required_expr(args, "y")?;
    if crate::datetimes::is_time(&x.ty) || crate::datetimes::is_time(&y.ty) {
        cx.need_number(args.callee, &condition, false)?;
        let (x, y) = cx.times_in_common_unit(args.callee, x, y, span)?;
        let ty = x.ty.clone();
        let cond = cx.truth(condition);
        return Ok(Value::Expr(ir::Expr::new(ExprKind::IfExp { cond: cond.boxed(), then: x.boxed(), otherwise: y.boxed() }, ty, span)));
    }
    for v in [&condition, &x, &y] {
        cx.need_number(args.callee, v, false)?;
    }
    let ty = if x.ty == Type::Bool && y.ty == Type::Bool { Type::Bool } else { FnInfer::operator_type(&x.ty, &y.ty, literals).expect("numbers promote") };
    let cond = cx.truth(condition);
    let (x, y) = (cx.cast(x, &ty), cx.cast(y, &ty));
    Ok(Value::Expr(ir::Expr::new(ExprKind::IfExp { cond: cond.boxed(), then: x.boxed(), otherwise: y.boxed() }, ty, span)))
}

/// `np.sign(x)`: -1, 0 or 1 of the argument's type; NaN stays NaN.
fn sign(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let x = cx.required_expr(args, "x")?;
    cx.need_number(args.callee, &x, true)?;
    let mk = |kind, ty: &Type| ir::Expr::new(kind, ty.clone(), span);
    let ty = if x.ty == Type::Bool { Type::INT64 } else { x.ty.clone() };
    let t = cx.temp(ty.clone());
    let x = cx.cast(x, &ty);
    let lit = |v: i128| -> ir::Expr {
        match &ty {
            Type::Float(_) => mk(ExprKind::Const(Const::Float(v as f64)), &ty),
            _ => mk(ExprKind::Const(Const::Int(v)), &ty),
        }
    };
    let local = cx.local_expr(t, span);
    let gt = cx.compare(CmpOp::Gt, local.clone(), lit(0), span)?;
    let lt = cx.compare(CmpOp::Lt, local.clone(), lit(0), span)?;
    let eq = cx.compare(CmpOp::Eq, local.clone(), lit(0), span)?;
    let zero_or_nan = mk(ExprKind::IfExp { cond: eq.boxed(), then: lit(0).boxed(), otherwise: local.boxed() }, &ty);
    let neg = mk(ExprKind::IfExp { cond: lt.boxed(), then: lit(-1).boxed(), otherwise: zero_or_nan.boxed() }, &ty);
    let body = mk(ExprKind::IfExp { cond: gt.boxed(), then: lit(1).boxed(), otherwise: neg.boxed() }, &ty);
    Ok(Value::Expr(mk(ExprKind::Let { local: t, value: x.boxed(), body: body.boxed() }, &ty)))
}

impl FnInfer<'_> {
    /// Python's `min`/`max` of two or more numbers or of one tuple: the first of the largest
    /// values (`b > result` replaces), so NaN handling matches CPython's argument-order-dependent
    /// result.
    fn min_max(&mut self, is_max: bool, args: &mut Args, span: Span) -> Result<ir::Expr> {
        let name = args.callee;
        let key = args.take_spanned("key");
        let default = args.take_spanned("default");
        let mut values = std::mem::take(&mut args.rest).into_iter().map(|v| self.value_expr(v, span)).collect::<Result<Vec<_>>>()?;
        if values.is_empty() {
            return Err(self.typing(span, format!("`{name}()` expected at least 1 argument, got 0"), None));
        }
        // Of one generator: its values, by the library.
        if key.is_some() || default.is_some() || matches!(values.as_slice(), [ir::Expr { ty: Type::Generator(_), .. }]) {
            return self.min_max_by(is_max, values, key, default, span);
        }
        if let [list @ ir::Expr { ty: Type::List(_), .. }] = values.as_slice() {
            let largest = ir::Expr::new(ExprKind::Const(Const::Bool(is_max)), Type::Bool, span);
            return self.call_internal("ferrojit.list_extremum", vec![list.clone(), largest], span);
        }
        if values.len() == 1 {
            let t = values.pop().unwrap();
            let n = match &t.ty {
                Type::Tuple(items) if !items.is_empty() => items.len(),
                other => return Err(self.typing(span, format!("`{name}()` of a single `{other}` is not supported"), Some("pass two or more numbers, or a non-empty tuple"))),
            };
            let tmp = self.temp(t.ty.clone());
            let items = (0..n).map(|i| self.tuple_get(self.local_expr(tmp, span), i, span)).collect();
            let body = self.min_max_of(is_max, items, span)?;
            let ty = body.ty.clone();
            return Ok(ir::Expr::new(ExprKind::Let { local: tmp, value: t.boxed(), body: body.boxed() }, ty, span));
        }
        self.min_max_of(is_max, values, span)
    }

    /// `min`/`max` with `key=` or `default=`: of one iterable (a list, a tuple, a 1-d array),
    /// or of several arguments (then without `default=`, as CPython), by the library.
    fn min_max_by(&mut self, is_max: bool, mut values: Vec<ir::Expr>, key: Option<(Value, Span)>, default: Option<(Value, Span)>, span: Span) -> Result<ir::Expr> {
        let name = if is_max { "max" } else { "min" };
        let none = || ir::Expr::new(ExprKind::Const(Const::None), Type::NoneType, span);
        let items = if values.len() == 1 {
            values.pop().expect("one value")
        } else {
            if let Some((_, at)) = default {
                return Err(self.typing(at, format!("cannot specify a default for `{name}()` with multiple positional arguments"), Some("pass the values as one list or tuple")));
            }
            // The arguments as one tuple of their common type.
            let mut ty = values[0].ty.clone();
            for v in &values[1..] {
                ty = unify(&ty, &v.ty).ok_or_else(|| self.typing(v.span, format!("the arguments of `{name}()` have no common type: `{}` and `{}`", ty, v.ty), None))?;
            }
            let values: Vec<ir::Expr> = values.into_iter().map(|v| self.cast(v, &ty)).collect();
            let tuple_ty = Type::Tuple(vec![ty; values.len()]);
            ir::Expr::new(ExprKind::Tuple(values), tuple_ty, span)
        };
        let key = match key {
            Some((v, at)) => self.value_expr(v, at)?,
            None => none(),
        };
        let default = match default {
            Some((v, at)) => self.value_expr(v, at)?,
            None => none(),
        };
        let largest = ir::Expr::new(ExprKind::Const(Const::Bool(is_max)), Type::Bool, span);
        self.call_internal("ferrojit.extremum_by", vec![items, key, default, largest], span)
    }

    fn min_max_of(&mut self, is_max: bool, values: Vec<ir::Expr>, span: Span) -> Result<ir::Expr> {
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

    /// A function of the math table on real numbers (`python`: `floor`/`ceil`/`trunc` return
    /// `int64`, as Python's `math` functions do; NumPy's return floats). `callee` names it in
    /// messages.
    pub(crate) fn math(&mut self, callee: &str, func: MathFunc, mut args: Vec<ir::Expr>, span: Span, python: bool) -> Result<ir::Expr> {
        for a in &args {
            if matches!(a.ty, Type::Complex(_)) {
                return Err(self.typing(a.span, format!("`{callee}()` does not accept complex numbers"), Some("`cmath` is not supported yet")));
            }
            self.need_number(callee, a, true)?;
        }
        // Integers never are NaN or infinite.
        if func.shape == MathShape::Predicate && args[0].ty.is_integer_like() {
            return Ok(ir::Expr::new(ExprKind::Const(Const::Bool(func == MathFunc::ISFINITE)), Type::Bool, span));
        }
        let rounding = func.shape == MathShape::Rounding;
        if python && rounding && args[0].ty.is_integer_like() {
            return Ok(self.cast(args.pop().unwrap(), &Type::INT64));
        }
        // NumPy 2 keeps integers integers: `np.floor` of an int is that int, `np.power` and
        // `np.fmod` of ints are integer operations.
        let integers = args.iter().all(|a| matches!(a.ty, Type::Int(_)));
        if !python && integers {
            if rounding {
                return Ok(args.pop().unwrap());
            }
            if func == MathFunc::POW {
                let b = args.pop().unwrap();
                let a = args.pop().unwrap();
                return self.binop(BinOp::Pow, a, b, span);
            }
            if func == MathFunc::FMOD {
                let b = args.pop().unwrap();
                let a = args.pop().unwrap();
                return self.truncated_remainder(a, b, span);
            }
        }
        let float = args.iter().map(|a| match a.ty {
            Type::Float(FloatType::F32) => FloatType::F32,
            _ => FloatType::F64,
        });
        let ft = if float.clone().all(|f| f == FloatType::F32) { FloatType::F32 } else { FloatType::F64 };
        let args: Vec<ir::Expr> = args.into_iter().map(|a| self.cast(a, &Type::Float(ft))).collect();
        let ty = if func.shape == MathShape::Predicate { Type::Bool } else { Type::Float(ft) };
        let e = ir::Expr::new(ExprKind::Math { func, args, checked: python }, ty, span);
        Ok(if python && rounding { self.cast(e, &Type::INT64) } else { e })
    }

    /// C's `%` of integers (the sign of the dividend), NumPy's `fmod`, from Python's floored
    /// `%`: `m = a % b`, less `b` when `m` and `a` have opposite signs. 0 for a zero divisor
    /// (NumPy's value; Python's `%` raises, except inside array operations).
    fn truncated_remainder(&mut self, a: ir::Expr, b: ir::Expr, span: Span) -> Result<ir::Expr> {
        let ty = ferrojit_types::promote_arith(&a.ty, &b.ty).expect("integers");
        let (ta, tb, tm) = (self.temp(ty.clone()), self.temp(ty.clone()), self.temp(ty.clone()));
        let (a, b) = (self.cast(a, &ty), self.cast(b, &ty));
        let l = |cx: &Self, t| cx.local_expr(t, span);
        let m = self.binop(BinOp::Mod, l(self, ta), l(self, tb), span)?;
        let zero = ir::Expr::new(ExprKind::Const(Const::Int(0)), ty.clone(), span);
        let m_nonzero = self.compare(CmpOp::NotEq, l(self, tm), zero.clone(), span)?;
        let m_negative = self.compare(CmpOp::Lt, l(self, tm), zero.clone(), span)?;
        let a_negative = self.compare(CmpOp::Lt, l(self, ta), zero, span)?;
        let signs_differ = self.compare(CmpOp::NotEq, m_negative, a_negative, span)?;
        let adjust = ir::Expr::new(ExprKind::Logical { and: true, lhs: m_nonzero.boxed(), rhs: signs_differ.boxed() }, Type::Bool, span);
        let adjusted = self.binop(BinOp::Sub, l(self, tm), l(self, tb), span)?;
        let pick = ir::Expr::new(ExprKind::IfExp { cond: adjust.boxed(), then: adjusted.boxed(), otherwise: l(self, tm).boxed() }, ty.clone(), span);
        let with_m = ir::Expr::new(ExprKind::Let { local: tm, value: m.boxed(), body: pick.boxed() }, ty.clone(), span);
        let with_b = ir::Expr::new(ExprKind::Let { local: tb, value: b.boxed(), body: with_m.boxed() }, ty.clone(), span);
        Ok(ir::Expr::new(ExprKind::Let { local: ta, value: a.boxed(), body: with_b.boxed() }, ty, span))
    }

    /// `np.minimum`/`np.maximum` (`nan_wins`, as NumPy's) and `np.fmin`/`np.fmax` (NaN loses)
    /// of two scalars: the first argument when it compares `op` to the second.
    fn numpy_pick(&mut self, args: &mut Args, op: CmpOp, nan_wins: bool, span: Span) -> Result<Value> {
        let a = self.required_expr(args, "x1")?;
        let b = self.required_expr(args, "x2")?;
        if crate::datetimes::is_time(&a.ty) || crate::datetimes::is_time(&b.ty) {
            return self.time_pick(args.callee, a, b, op, nan_wins, span).map(Value::Expr);
        }
        for x in [&a, &b] {
            self.need_number(args.callee, x, true)?;
        }
        let mk = |kind, ty: &Type| ir::Expr::new(kind, ty.clone(), span);
        let literals = crate::expr::Literals { left: args.is_literal("x1"), right: args.is_literal("x2") };
        let ty = Self::operator_type(&a.ty, &b.ty, literals).expect("real numbers");
        let ty = if a.ty == Type::Bool && b.ty == Type::Bool { Type::Bool } else { ty };
        let (ta, tb) = (self.temp(ty.clone()), self.temp(ty.clone()));
        let (a, b) = (self.cast(a, &ty), self.cast(b, &ty));
        let (la, lb) = (self.local_expr(ta, span), self.local_expr(tb, span));
        let better = self.compare(op, la.clone(), lb.clone(), span)?;
        // NumPy: minimum picks `a` when `a < b` or `a` is NaN; fmin when `a < b` or `b` is NaN.
        let cond = if matches!(ty, Type::Float(_)) {
            let nan_of = if nan_wins { la.clone() } else { lb.clone() };
            let isnan = self.math(args.callee, MathFunc::ISNAN, vec![nan_of], span, false)?;
            mk(ExprKind::Logical { and: false, lhs: better.boxed(), rhs: isnan.boxed() }, &Type::Bool)
        } else {
            better
        };
        let pick = mk(ExprKind::IfExp { cond: cond.boxed(), then: la.boxed(), otherwise: lb.boxed() }, &ty);
        let inner = mk(ExprKind::Let { local: tb, value: b.boxed(), body: pick.boxed() }, &ty);
        Ok(Value::Expr(mk(ExprKind::Let { local: ta, value: a.boxed(), body: inner.boxed() }, &ty)))
    }
}
