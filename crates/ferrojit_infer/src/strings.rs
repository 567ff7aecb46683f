//! Strings in compiled code: constants, `+`, `*`, comparisons, `in`, `len`, truth, indexing,
//! slicing and iteration, `str()`, `int(s)`, `float(s)`, `ord`, `chr`, `hash`; and the
//! primitives the library's string methods are written with (`python/ferrojit/_lib/strings.py`:
//! `split`, `find`, `upper`, ...), each one function of `ferrojit_runtime::strings`.
//!
//! A string constant is a compile-time [`Value::Str`] until it is used as a run-time value
//! ([`FnInfer::expr`]), where it becomes an immortal string of the compiled module.

use crate::bind::Args;
use crate::expr::Value;
use crate::function::{FnInfer, Result};
use crate::registry::Registry;
use ferrojit_ir::{self as ir, BinaryOp, Const, ExprKind, RuntimeFunc, StmtKind};
use ferrojit_syntax::ast::{self, CmpOp, Span};
use ferrojit_types::Type;

/// How a primitive takes one argument.
#[derive(Clone, Copy)]
enum Arg {
    /// A `str`, or a `bytes` (stored as a string of one byte per character, so that the
    /// string runtime serves both): every text argument of one call is of one of the two, and
    /// the text the primitive gives is of that one too.
    Str,
    Int,
    /// An integer, or `None` (passed as `i64::MIN`).
    OptInt,
    /// A list of strings (of bytes, with bytes arguments).
    StrList,
    Bytes,
}

/// What a primitive gives.
#[derive(Clone, Copy)]
enum Out {
    Str,
    Int,
    /// An int64 0 or 1 from the runtime, as a bool.
    Bool,
    StrList,
    Bytes,
}

/// Registers `ferrojit._lib.strings.<name>(params)` as a call of the runtime function `func`.
macro_rules! primitive {
    ($r:ident, $name:literal, $func:ident, [$($param:ident: $arg:ident),*] -> $out:ident) => {
        $r.function(concat!("ferrojit._lib.strings.", $name), concat!($(stringify!($param), ", ",)* "/"), |cx, args, span| {
            primitive(cx, args, RuntimeFunc::$func, &[$((stringify!($param), Arg::$arg)),*], Out::$out, span)
        });
    };
}

pub(crate) fn register(r: &mut Registry) {
    primitive!(r, "find", STR_FIND, [s: Str, sub: Str, start: OptInt, end: OptInt, last: Int] -> Int);
    primitive!(r, "count", STR_COUNT, [s: Str, sub: Str, start: OptInt, end: OptInt] -> Int);
    primitive!(r, "starts", STR_STARTS, [s: Str, prefix: Str, start: OptInt, end: OptInt, at_end: Int] -> Bool);
    primitive!(r, "replace", STR_REPLACE, [s: Str, old: Str, new: Str, count: Int] -> Str);
    primitive!(r, "strip", STR_STRIP, [s: Str, chars: Str, sides: Int] -> Str);
    primitive!(r, "strip_whitespace", STR_STRIP_WHITESPACE, [s: Str, sides: Int] -> Str);
    primitive!(r, "split", STR_SPLIT, [s: Str, sep: Str, maxsplit: Int, last: Int] -> StrList);
    primitive!(r, "split_whitespace", STR_SPLIT_WHITESPACE, [s: Str, maxsplit: Int, last: Int] -> StrList);
    primitive!(r, "splitlines", STR_SPLITLINES, [s: Str, keepends: Int] -> StrList);
    primitive!(r, "join", STR_JOIN, [sep: Str, items: StrList] -> Str);
    primitive!(r, "case", STR_CASE, [s: Str, op: Int] -> Str);
    primitive!(r, "predicate", STR_PREDICATE, [s: Str, op: Int] -> Bool);
    primitive!(r, "pad", STR_PAD, [s: Str, width: Int, fill: Str, align: Int] -> Str);
    primitive!(r, "slice_of", STR_SLICE, [s: Str, start: Int, step: Int, count: Int] -> Str);
    primitive!(r, "bytes_slice_of", STR_SLICE, [s: Bytes, start: Int, step: Int, count: Int] -> Bytes);
    primitive!(r, "repr", STR_REPR, [s: Str] -> Str);
    primitive!(r, "encode", STR_ENCODE, [s: Str, encoding: Int, errors: Int] -> Bytes);
    primitive!(r, "decode", BYTES_DECODE, [b: Bytes, encoding: Int, errors: Int] -> Str);
    r.function("builtins.ord", "c, /", ord);
    r.function("builtins.chr", "i, /", chr);
    r.function("builtins.str", "object='', /", str_);
    r.function("builtins.repr", "obj, /", repr);
    r.function("builtins.ascii", "obj, /", ascii);
    r.function("builtins.hash", "obj, /", hash);
    r.function("builtins.format", "value, format_spec='', /", format_builtin);
    r.function("builtins.hex", "number, /", |cx, args, span| radix_text(cx, args, "hex", "#x", span));
    r.function("builtins.oct", "number, /", |cx, args, span| radix_text(cx, args, "oct", "#o", span));
    r.function("builtins.bin", "number, /", |cx, args, span| radix_text(cx, args, "bin", "#b", span));
}

fn int(v: i128, span: Span) -> ir::Expr {
    ir::Expr::new(ExprKind::Const(Const::Int(v)), Type::INT64, span)
}

fn runtime(func: RuntimeFunc, args: Vec<ir::Expr>, ty: Type, span: Span) -> ir::Expr {
    ir::Expr::new(ExprKind::Runtime { func, args }, ty, span)
}

fn nonzero(e: ir::Expr, span: Span) -> ir::Expr {
    ir::Expr::new(ExprKind::Compare { op: CmpOp::NotEq, lhs: e.boxed(), rhs: int(0, span).boxed() }, Type::Bool, span)
}

pub(crate) fn str_len(s: ir::Expr, span: Span) -> ir::Expr {
    runtime(RuntimeFunc::STR_LEN, vec![s], Type::INT64, span)
}

fn primitive(cx: &mut FnInfer<'_>, args: &mut Args, func: RuntimeFunc, params: &[(&str, Arg)], out: Out, span: Span) -> Result<Value> {
    let mut values = Vec::with_capacity(params.len());
    // `str` or `bytes`, from the first text argument.
    let mut text: Option<Type> = None;
    for &(name, arg) in params {
        let x = cx.required_expr(args, name)?;
        let mut same_text = |ty: &Type| matches!(ty, Type::Str | Type::Bytes) && text.get_or_insert_with(|| ty.clone()) == ty;
        let fits = match arg {
            Arg::Str => same_text(&x.ty),
            Arg::Int => x.ty.is_integer_like(),
            Arg::OptInt => x.ty.is_integer_like() || x.ty == Type::NoneType,
            Arg::StrList => matches!(&x.ty, Type::List(item) if same_text(item)),
            Arg::Bytes => x.ty == Type::Bytes,
        };
        if !fits {
            return Err(cx.typing(x.span, format!("`{name}` of a string operation cannot be a `{}`", x.ty), None));
        }
        values.push(match arg {
            Arg::OptInt if x.ty == Type::NoneType => cx.discard(vec![x], int(i64::MIN as i128, span)),
            Arg::Int | Arg::OptInt => cx.cast(x, &Type::INT64),
            Arg::Str | Arg::StrList | Arg::Bytes => x,
        });
    }
    let text = text.unwrap_or(Type::Str);
    let ty = match out {
        Out::Str => text,
        Out::Int | Out::Bool => Type::INT64,
        Out::StrList => Type::List(Box::new(text)),
        Out::Bytes => Type::Bytes,
    };
    let call = runtime(func, values, ty, span);
    Ok(Value::Expr(match out {
        Out::Bool => nonzero(call, span),
        _ => call,
    }))
}

fn ord(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let c = cx.required_expr(args, "c")?;
    if c.ty != Type::Str {
        return Err(cx.typing(c.span, format!("ord() expected string of length 1, but `{}` found", c.ty), None));
    }
    let mut stmts = Vec::new();
    let c = cx.held(c, &mut stmts, span);
    let length = str_len(c.clone(), span);
    let wrong = ir::Expr::new(ExprKind::Compare { op: CmpOp::NotEq, lhs: length.clone().boxed(), rhs: int(1, span).boxed() }, Type::Bool, span);
    // CPython's message names the length, known only at run time: the runtime formats it.
    let raise = ir::Stmt { kind: StmtKind::Expr(runtime(RuntimeFunc::STR_ORD_ERROR, vec![length], Type::INT64, span)), span };
    stmts.push(ir::Stmt { kind: StmtKind::If { cond: wrong, then_body: vec![raise], else_body: vec![] }, span });
    let value = runtime(RuntimeFunc::STR_CODE_POINT, vec![c, int(0, span)], Type::INT64, span);
    Ok(Value::Expr(ir::Expr::new(ExprKind::Block { stmts, value: value.boxed() }, Type::INT64, span)))
}

fn chr(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let i = cx.required_expr(args, "i")?;
    if !i.ty.is_integer_like() {
        return Err(cx.typing(i.span, format!("chr() needs an integer, not a `{}`", i.ty), None));
    }
    let i = cx.cast(i, &Type::INT64);
    Ok(Value::Expr(runtime(RuntimeFunc::STR_FROM_CODE_POINT, vec![i], Type::Str, span)))
}

fn str_(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let Some(x) = cx.arg_expr(args, "object")? else {
        return Ok(Value::Expr(ir::Expr::new(ExprKind::Const(Const::Str(String::new())), Type::Str, span)));
    };
    cx.to_str(x, false, span).map(Value::Expr)
}

fn repr(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let x = cx.required_expr(args, "obj")?;
    cx.to_str(x, true, span).map(Value::Expr)
}

fn ascii(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let x = cx.required_expr(args, "obj")?;
    cx.to_ascii(x, span).map(Value::Expr)
}

fn hash(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let x = cx.required_expr(args, "obj")?;
    cx.hash_of(x, span).map(Value::Expr)
}

impl FnInfer<'_> {
    /// A string constant as a run-time value.
    pub(crate) fn string_constant(text: &str, span: Span) -> ir::Expr {
        ir::Expr::new(ExprKind::Const(Const::Str(text.to_string())), Type::Str, span)
    }

    /// `str(x)` (`repr(x)` with `repr`) of a number or a string, with CPython's text.
    pub(crate) fn to_str(&mut self, x: ir::Expr, repr: bool, span: Span) -> Result<ir::Expr> {
        let x = self.element_of_0d(x);
        if let Some(name) = numpy_scalar_name(&x.ty).filter(|_| repr) {
            // NumPy 2's `repr` of its own scalars: `np.float32(7.1)`, `np.complex64(1+2j)`.
            let text = match x.ty {
                Type::Complex(_) => self.complex_text(x, true, span),
                _ => self.to_str(x, false, span)?,
            };
            let pieces = vec![Self::string_constant(&format!("np.{name}("), span), text, Self::string_constant(")", span)];
            return Ok(self.concat_all(pieces, span));
        }
        Ok(match x.ty.clone() {
            Type::Str if repr => runtime(RuntimeFunc::STR_REPR, vec![x], Type::Str, span),
            Type::Str => x,
            Type::Bool | Type::Int(_) | Type::Float(_) => {
                let (kind, args) = self.number_text_arguments(x, span);
                let func = match kind {
                    NumberText::Int => RuntimeFunc::STR_FROM_INT,
                    NumberText::Float => RuntimeFunc::STR_FROM_FLOAT,
                };
                runtime(func, args.into(), Type::Str, span)
            }
            Type::Complex(_) => self.complex_text(x, false, span),
            Type::NoneType => Self::string_constant("None", span),
            Type::Exception | Type::ExceptionArgs => self.exception_text(x, repr, span),
            // A container's text, from its items' `repr`s (`ferrojit/_lib/strings.py`).
            Type::Tuple(_) | Type::List(_) | Type::Dict(..) | Type::Set(_) => self.call_internal("ferrojit.container_str", vec![x], span)?,
            // NumPy's text (`ferrojit/_lib/time_text.py`).
            Type::Datetime(_) | Type::Timedelta(_) => self.call_internal(if repr { "ferrojit.time_repr" } else { "ferrojit.time_str" }, vec![x], span)?,
            other => return Err(self.unsupported(span, format!("`str()` of a `{other}` is not supported yet"), Some("`str()` takes numbers, strings, datetime64 and timedelta64 values, tuples, lists, dicts and sets"))),
        })
    }

    /// `str(x)` of the complex number `x`, or its text inside NumPy's `repr` with `bare` (no
    /// parentheses: `np.complex64(1+2j)`).
    fn complex_text(&mut self, x: ir::Expr, bare: bool, span: Span) -> ir::Expr {
        let Type::Complex(f) = x.ty else { unreachable!("complex_text of a `{}`", x.ty) };
        let tmp = self.temp(x.ty.clone());
        let part = |cx: &Self, imag| {
            let part = ir::Expr::new(ExprKind::ComplexPart { value: cx.local_expr(tmp, span).boxed(), imag }, Type::Float(f), span);
            cx.cast(part, &Type::FLOAT64)
        };
        let flags = int(matches!(f, ferrojit_types::FloatType::F32) as i128 | (bare as i128) << 1, span);
        let text = runtime(RuntimeFunc::STR_FROM_COMPLEX, vec![part(self, false), part(self, true), flags], Type::Str, span);
        ir::Expr::new(ExprKind::Let { local: tmp, value: x.boxed(), body: text.boxed() }, Type::Str, span)
    }

    /// The runtime's two arguments for the text of the bool, integer or float `x`: an integer's
    /// value as an int64 (widened with its sign) and its kind (0 signed, 1 unsigned, 2 bool), or
    /// a float's value as a float64 and whether it is a float32; see `ferrojit_rt_str_from_int`
    /// and `ferrojit_rt_str_from_float`.
    pub(crate) fn number_text_arguments(&mut self, x: ir::Expr, span: Span) -> (NumberText, [ir::Expr; 2]) {
        match x.ty.clone() {
            Type::Float(f) => {
                let single = matches!(f, ferrojit_types::FloatType::F32) as i128;
                (NumberText::Float, [self.cast(x, &Type::FLOAT64), int(single, span)])
            }
            Type::Int(i) => {
                let v = self.cast(x, &Type::Int(ferrojit_types::IntType { bits: 64, signed: i.signed }));
                let v = ir::Expr::new(ExprKind::Cast(v.boxed()), Type::INT64, span);
                (NumberText::Int, [v, int(!i.signed as i128, span)])
            }
            // A bool.
            _ => (NumberText::Int, [self.cast(x, &Type::INT64), int(2, span)]),
        }
    }

    /// `ascii(x)`: `repr(x)` with its characters beyond ASCII escaped, as CPython makes it.
    pub(crate) fn to_ascii(&mut self, x: ir::Expr, span: Span) -> Result<ir::Expr> {
        let text = self.to_str(x, true, span)?;
        Ok(runtime(RuntimeFunc::STR_ESCAPE_NON_ASCII, vec![text], Type::Str, span))
    }

    /// `int(s, base)` of a string.
    pub(crate) fn str_to_int(&mut self, s: ir::Expr, base: Option<ir::Expr>, span: Span) -> Result<ir::Expr> {
        let base = match base {
            Some(b) if b.ty.is_integer_like() => self.cast(b, &Type::INT64),
            Some(b) => return Err(self.typing(b.span, format!("`base` must be an integer, not a `{}`", b.ty), None)),
            None => int(10, span),
        };
        Ok(runtime(RuntimeFunc::STR_TO_INT, vec![s, base], Type::INT64, span))
    }

    pub(crate) fn str_to_float(&mut self, s: ir::Expr, span: Span) -> ir::Expr {
        runtime(RuntimeFunc::STR_TO_FLOAT, vec![s], Type::FLOAT64, span)
    }

    /// `a + b` and `s * n` of strings.
    pub(crate) fn str_binop(&mut self, op: ast::BinOp, l: ir::Expr, r: ir::Expr, span: Span) -> Result<ir::Expr> {
        if l.ty == Type::Bytes || r.ty == Type::Bytes {
            return self.bytes_binop(op, l, r, span);
        }
        let (ls, rs) = (l.ty == Type::Str, r.ty == Type::Str);
        match op {
            ast::BinOp::Mod if ls => match &l.kind {
                ExprKind::Const(Const::Str(template)) => self.str_percent(&template.clone(), r, span),
                _ => Err(self.unsupported(span, "`%` formatting needs a constant template", Some("write the template in place, `\"%d items\" % n`, or use an f-string"))),
            },
            ast::BinOp::Add if ls && rs => Ok(runtime(RuntimeFunc::STR_CONCAT, vec![l, r], Type::Str, span)),
            ast::BinOp::Mul if ls && r.ty.is_integer_like() => {
                let n = self.cast(r, &Type::INT64);
                Ok(runtime(RuntimeFunc::STR_REPEAT, vec![l, n], Type::Str, span))
            }
            ast::BinOp::Mul if rs && l.ty.is_integer_like() => {
                let n = self.cast(l, &Type::INT64);
                Ok(runtime(RuntimeFunc::STR_REPEAT, vec![r, n], Type::Str, span))
            }
            _ => Err(self.operand_error(op.symbol(), &l.ty, &r.ty, span)),
        }
    }

    /// `a + b` and `b * n` of bytes (their runtime is the strings').
    fn bytes_binop(&mut self, op: ast::BinOp, l: ir::Expr, r: ir::Expr, span: Span) -> Result<ir::Expr> {
        let (lb, rb) = (l.ty == Type::Bytes, r.ty == Type::Bytes);
        match op {
            ast::BinOp::Add if lb && rb => Ok(runtime(RuntimeFunc::STR_CONCAT, vec![l, r], Type::Bytes, span)),
            ast::BinOp::Mul if lb && r.ty.is_integer_like() => {
                let n = self.cast(r, &Type::INT64);
                Ok(runtime(RuntimeFunc::STR_REPEAT, vec![l, n], Type::Bytes, span))
            }
            ast::BinOp::Mul if rb && l.ty.is_integer_like() => {
                let n = self.cast(l, &Type::INT64);
                Ok(runtime(RuntimeFunc::STR_REPEAT, vec![r, n], Type::Bytes, span))
            }
            _ => Err(self.operand_error(op.symbol(), &l.ty, &r.ty, span)),
        }
    }

    /// A comparison with a string (or bytes) operand: `==`, `!=` (false and true against
    /// other types, as CPython's), the orderings by code point (byte), `in`.
    pub(crate) fn str_compare(&mut self, op: CmpOp, l: ir::Expr, r: ir::Expr, span: Span) -> Result<ir::Expr> {
        if r.ty == Type::Bytes && l.ty.is_integer_like() && matches!(op, CmpOp::In | CmpOp::NotIn) {
            // `byte in data`: whether the byte value occurs.
            let byte = self.cast(l, &Type::INT64);
            let one = runtime(RuntimeFunc::STR_FROM_CODE_POINT, vec![byte], Type::Bytes, span);
            return self.str_compare(op, one, r, span);
        }
        let both = (l.ty == Type::Str && r.ty == Type::Str) || (l.ty == Type::Bytes && r.ty == Type::Bytes);
        let cmp = |op, lhs: ir::Expr, rhs: ir::Expr| ir::Expr::new(ExprKind::Compare { op, lhs: lhs.boxed(), rhs: rhs.boxed() }, Type::Bool, span);
        match op {
            CmpOp::Eq | CmpOp::NotEq if both => {
                let equal = nonzero(runtime(RuntimeFunc::STR_EQUAL, vec![l, r], Type::INT64, span), span);
                Ok(if op == CmpOp::Eq { equal } else { ir::Expr::new(ExprKind::Unary { op: ir::UnaryOp::Not, operand: equal.boxed() }, Type::Bool, span) })
            }
            CmpOp::Eq | CmpOp::NotEq => {
                let value = ir::Expr::new(ExprKind::Const(Const::Bool(op == CmpOp::NotEq)), Type::Bool, span);
                Ok(self.discard(vec![l, r], value))
            }
            CmpOp::Lt | CmpOp::LtE | CmpOp::Gt | CmpOp::GtE if both => Ok(cmp(op, runtime(RuntimeFunc::STR_COMPARE, vec![l, r], Type::INT64, span), int(0, span))),
            CmpOp::In | CmpOp::NotIn if both => {
                let found = runtime(RuntimeFunc::STR_CONTAINS, vec![r, l], Type::INT64, span);
                Ok(cmp(if op == CmpOp::In { CmpOp::NotEq } else { CmpOp::Eq }, found, int(0, span)))
            }
            CmpOp::In | CmpOp::NotIn if r.ty == Type::Str => Err(self.typing(span, format!("'in <string>' requires string as left operand, not `{}`", l.ty), None)),
            CmpOp::In | CmpOp::NotIn if r.ty == Type::Bytes => Err(self.typing(span, format!("a bytes-like object is required, not `{}`", l.ty), None)),
            _ => Err(self.typing(span, format!("`{}` is not supported between `{}` and `{}`", op.symbol(), l.ty, r.ty), None)),
        }
    }

    /// `s[i]` (a one-character string) and `s[start:stop:step]`.
    /// (Of bytes: `b[i]` is an integer, `b[start:stop:step]` bytes.)
    pub(crate) fn str_subscript(&mut self, s: ir::Expr, index: &ast::Expr, span: Span) -> Result<ir::Expr> {
        let bytes = s.ty == Type::Bytes;
        if let ast::ExprKind::Slice { .. } = index.kind {
            let mut args = vec![s];
            args.extend(self.slice_bounds(index)?);
            return self.call_internal(if bytes { "ferrojit.bytes_get_slice" } else { "ferrojit.str_get_slice" }, args, span);
        }
        let i = self.expr(index)?;
        let mut stmts = Vec::new();
        let s = self.held(s, &mut stmts, span);
        let (kind, message) = if bytes { ("byte", "index out of range") } else { ("string", "string index out of range") };
        let i = self.sequence_index(str_len(s.clone(), span), kind, i, message, &mut stmts, span)?;
        let item = self.str_item(s, i, span);
        let ty = item.ty.clone();
        Ok(ir::Expr::new(ExprKind::Block { stmts, value: item.boxed() }, ty, span))
    }

    /// The item at `0 <= i < len(s)`: a one-character string, or of bytes an integer.
    fn str_item(&self, s: ir::Expr, i: ir::Expr, span: Span) -> ir::Expr {
        if s.ty == Type::Bytes {
            return runtime(RuntimeFunc::STR_CODE_POINT, vec![s, i], Type::INT64, span);
        }
        runtime(RuntimeFunc::STR_CHAR, vec![s, i], Type::Str, span)
    }

    /// `for c in s: body else: orelse`: each character as a one-character string.
    pub(crate) fn str_for(&mut self, target: &ast::Expr, s: ir::Expr, body: &[ast::Stmt], orelse: &[ast::Stmt], span: Span, out: &mut Vec<ir::Stmt>) -> Result<()> {
        let held = self.temp(s.ty.clone());
        out.push(ir::Stmt { kind: StmtKind::Assign { local: held, value: s }, span });
        let s = self.local_expr(held, span);
        let k = self.temp(Type::INT64);
        out.push(ir::Stmt { kind: StmtKind::Assign { local: k, value: int(0, span) }, span });
        let cond = ir::Expr::new(ExprKind::Compare { op: CmpOp::Lt, lhs: self.local_expr(k, span).boxed(), rhs: str_len(s.clone(), span).boxed() }, Type::Bool, span);
        let item = self.str_item(s, self.local_expr(k, span), span);
        let next = ir::Expr::new(ExprKind::Binary { op: BinaryOp::Add, lhs: self.local_expr(k, span).boxed(), rhs: int(1, span).boxed() }, Type::INT64, span);
        self.cursor_loop(target, cond, item, (k, next), body, orelse, span, out)
    }

    /// The characters of `s` for a loop walking it beside others (`zip`, `enumerate`).
    pub(crate) fn str_walk(&mut self, s: ir::Expr, k: ir::LocalId, setup: &mut Vec<ir::Stmt>, span: Span) -> crate::iteration::Walk {
        let held = self.temp(s.ty.clone());
        setup.push(ir::Stmt { kind: StmtKind::Assign { local: held, value: s }, span });
        let s = self.local_expr(held, span);
        let count = str_len(s.clone(), span);
        let item = self.str_item(s, self.local_expr(k, span), span);
        crate::iteration::Walk { count, advance: vec![], item, start: vec![], nest: vec![], more: None }
    }
}

/// A piece of a format string (`str.format`), parsed at compile time.
enum FormatPiece {
    Text(String),
    /// `{field!conversion:spec}`: `field` names a positional (`None` for the next one) or
    /// keyword argument; the spec may hold fields itself (`{:{width}}`).
    Field { field: FieldName, conversion: Option<char>, spec: Vec<FormatPiece> },
}

enum FieldName {
    Next,
    Index(usize),
    Keyword(String),
}

/// Parses `str.format`'s template as CPython does (`{{` and `}}` are braces); errors carry
/// CPython's messages.
fn parse_format(text: &str) -> std::result::Result<Vec<FormatPiece>, String> {
    let chars: Vec<char> = text.chars().collect();
    let (pieces, at) = parse_pieces(&chars, 0, false)?;
    debug_assert_eq!(at, chars.len());
    Ok(pieces)
}

fn parse_pieces(c: &[char], mut i: usize, in_spec: bool) -> std::result::Result<(Vec<FormatPiece>, usize), String> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    while i < c.len() {
        match c[i] {
            '{' if !in_spec && c.get(i + 1) == Some(&'{') => {
                text.push('{');
                i += 2;
            }
            '}' if !in_spec && c.get(i + 1) == Some(&'}') => {
                text.push('}');
                i += 2;
            }
            '}' if in_spec => break,
            '}' => return Err("Single '}' encountered in format string".into()),
            '{' => {
                if !text.is_empty() {
                    pieces.push(FormatPiece::Text(std::mem::take(&mut text)));
                }
                let start = i + 1;
                let mut j = start;
                while j < c.len() && !matches!(c[j], '}' | '!' | ':' | '{') {
                    j += 1;
                }
                let name: String = c[start..j].iter().collect();
                let field = if name.is_empty() {
                    FieldName::Next
                } else if let Ok(n) = name.parse::<usize>() {
                    FieldName::Index(n)
                } else if name.chars().all(|ch| ch.is_alphanumeric() || ch == '_') {
                    FieldName::Keyword(name)
                } else {
                    return Err(format!("the field `{{{name}}}` is not supported: only positions and names, without attributes or items"));
                };
                let mut conversion = None;
                if c.get(j) == Some(&'!') {
                    conversion = c.get(j + 1).copied();
                    if !matches!(conversion, Some('r' | 's' | 'a')) {
                        return Err("Unknown conversion specifier".into());
                    }
                    j += 2;
                }
                let mut spec = Vec::new();
                if c.get(j) == Some(&':') {
                    let (parsed, end) = parse_pieces(c, j + 1, true)?;
                    spec = parsed;
                    j = end;
                }
                if c.get(j) != Some(&'}') {
                    return Err("expected '}' before end of string".into());
                }
                pieces.push(FormatPiece::Field { field, conversion, spec });
                i = j + 1;
            }
            ch => {
                text.push(ch);
                i += 1;
            }
        }
    }
    if !text.is_empty() {
        pieces.push(FormatPiece::Text(text));
    }
    Ok((pieces, i))
}

/// One `%` conversion of a printf-style template, as a format spec and how to convert the
/// value first.
struct PercentField {
    /// The mapping key of `%(name)s`: the field formats `values[name]`.
    key: Option<String>,
    spec: String,
    /// `s`, `r`, `a`: the value's str or repr, formatted as a string; `d`: as an integer;
    /// `f`: as a float; `c`: a character.
    convert: char,
}

enum PercentPiece {
    Text(String),
    Field(PercentField),
}

/// Parses a printf-style template (`"%5.2f %s" % (x, s)`) into text and fields whose specs
/// are the format-spec equivalents of `%`'s flags.
fn parse_percent(text: &str) -> std::result::Result<Vec<PercentPiece>, String> {
    let c: Vec<char> = text.chars().collect();
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut i = 0;
    while i < c.len() {
        if c[i] != '%' {
            literal.push(c[i]);
            i += 1;
            continue;
        }
        i += 1;
        if c.get(i) == Some(&'%') {
            literal.push('%');
            i += 1;
            continue;
        }
        // `%(name)s`: the key runs to the `)` that balances the `(` (CPython's rule).
        let mut key = None;
        if c.get(i) == Some(&'(') {
            let (start, mut depth) = (i + 1, 1);
            i += 1;
            while i < c.len() {
                match c[i] {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    break;
                }
                i += 1;
            }
            if depth != 0 {
                return Err("incomplete format key".into());
            }
            key = Some(c[start..i].iter().collect::<String>());
            i += 1;
        }
        let (mut left, mut sign, mut zero, mut alternate) = (false, None, false, false);
        while let Some(&flag) = c.get(i) {
            match flag {
                '-' => left = true,
                '+' => sign = Some('+'),
                ' ' => {
                    if sign.is_none() {
                        sign = Some(' ')
                    }
                }
                '0' => zero = true,
                '#' => alternate = true,
                _ => break,
            }
            i += 1;
        }
        let digits = |i: &mut usize| {
            let start = *i;
            while *i < c.len() && c[*i].is_ascii_digit() {
                *i += 1;
            }
            c[start..*i].iter().collect::<String>()
        };
        if c.get(i) == Some(&'*') {
            return Err("`*` widths in `%` formatting are not supported".into());
        }
        let width = digits(&mut i);
        let mut precision = None;
        if c.get(i) == Some(&'.') {
            i += 1;
            precision = Some(digits(&mut i));
        }
        while matches!(c.get(i), Some('h' | 'l' | 'L')) {
            i += 1;
        }
        let Some(&kind) = c.get(i) else { return Err("incomplete format".into()) };
        i += 1;
        let (convert, type_char) = match kind {
            'd' | 'i' | 'u' => ('d', "d".to_string()),
            'o' | 'x' | 'X' => ('d', kind.to_string()),
            'e' | 'E' | 'f' | 'F' | 'g' | 'G' => ('f', kind.to_string()),
            'c' => ('c', "c".to_string()),
            's' | 'r' | 'a' => (kind, String::new()),
            other => return Err(format!("unsupported format character '{other}' ({:#x}) at index {}", other as u32, i - 1)),
        };
        if convert == 'd' && precision.is_some() {
            return Err("a precision with an integer conversion (`%.3d`) is not supported".into());
        }
        let numeric = matches!(convert, 'd' | 'f');
        let mut spec = String::new();
        if left {
            spec.push('<');
        } else if matches!(convert, 's' | 'r' | 'a' | 'c') && !width.is_empty() {
            spec.push('>');
        }
        if numeric {
            if let Some(s) = sign {
                spec.push(s);
            }
            if alternate {
                spec.push('#');
            }
            if zero && !left {
                spec.push('0');
            }
        }
        spec.push_str(&width);
        if let Some(p) = precision {
            spec.push('.');
            spec.push_str(if p.is_empty() { "0" } else { &p });
        }
        spec.push_str(&type_char);
        if !literal.is_empty() {
            pieces.push(PercentPiece::Text(std::mem::take(&mut literal)));
        }
        pieces.push(PercentPiece::Field(PercentField { key, spec, convert }));
    }
    if !literal.is_empty() {
        pieces.push(PercentPiece::Text(literal));
    }
    Ok(pieces)
}

/// Which runtime function writes a number's text (see `FnInfer::number_text_arguments`).
pub(crate) enum NumberText {
    Int,
    Float,
}

/// The NumPy type of a number type whose values compiled code always has as NumPy scalars (so
/// `repr` writes `np.int32(5)`, as NumPy 2 does), or None for those it cannot tell from Python's
/// own numbers (`int64` is `int` too, `float64` `float`, `complex128` `complex`, `bool` `bool`:
/// written as Python writes those).
pub(crate) fn numpy_scalar_name(ty: &Type) -> Option<String> {
    match ty {
        Type::Int(i) if i.bits < 64 || !i.signed => Some(ty.to_string()),
        Type::Float(ferrojit_types::FloatType::F32) | Type::Complex(ferrojit_types::FloatType::F32) => Some(ty.to_string()),
        _ => None,
    }
}

/// CPython's `repr` of `text` when it is printable ASCII, for a constant written in place
/// (other strings are quoted by the runtime, `ferrojit_runtime::strings::repr_into`, which
/// knows which characters Unicode calls printable): single quotes unless the text holds one
/// and no double quote; the backslash and the quote escaped.
pub(crate) fn ascii_repr(text: &str) -> Option<String> {
    if !text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return None;
    }
    let quote = if text.contains('\'') && !text.contains('"') { '"' } else { '\'' };
    let mut out = String::with_capacity(text.len() + 2);
    out.push(quote);
    for c in text.chars() {
        if c == '\\' || c == quote {
            out.push('\\');
        }
        out.push(c);
    }
    out.push(quote);
    Some(out)
}

impl FnInfer<'_> {
    /// The value `format(x, spec)` formats: a float32 formats as the float it widens to
    /// (NumPy's `np.float32.__format__` calls `float.__format__`: `f"{np.float32(7.1)}"` is
    /// `'7.099999904632568'`), where its `str()` gives its own shortest digits (`'7.1'`); a
    /// complex64 likewise.
    pub(crate) fn format_operand(&mut self, x: ir::Expr) -> ir::Expr {
        let x = self.element_of_0d(x);
        match x.ty {
            Type::Float(ferrojit_types::FloatType::F32) => self.cast(x, &Type::FLOAT64),
            // `np.complex64.__format__` likewise formats the complex number it widens to.
            Type::Complex(ferrojit_types::FloatType::F32) => self.cast(x, &Type::COMPLEX128),
            _ => x,
        }
    }

    /// `x` formatted as the text of an f-string's `{x!conversion:spec}`: CPython's
    /// `format(conversion(x), spec)`.
    pub(crate) fn format_value(&mut self, x: ir::Expr, conversion: Option<char>, spec: Option<ir::Expr>, span: Span) -> Result<ir::Expr> {
        let x = match conversion {
            Some('r') => self.to_str(x, true, span)?,
            Some('s') => self.to_str(x, false, span)?,
            Some('a') => self.to_ascii(x, span)?,
            Some(other) => return Err(self.unsupported(span, format!("the conversion `!{other}` is not supported"), Some("use `!r`, `!s` or `!a`"))),
            None => self.format_operand(x),
        };
        let Some(spec) = spec else { return self.to_str(x, false, span) };
        Ok(match x.ty.clone() {
            Type::Str => runtime(RuntimeFunc::FORMAT_STR, vec![x, spec], Type::Str, span),
            // A bool formats as its integer with a spec (`format(True, '>3')` is `'  1'`).
            Type::Bool | Type::Int(_) => {
                let unsigned = matches!(x.ty, Type::Int(i) if !i.signed) as i128;
                let v = self.cast(x, &Type::Int(ferrojit_types::IntType { bits: 64, signed: unsigned == 0 }));
                let v = ir::Expr::new(ExprKind::Cast(v.boxed()), Type::INT64, span);
                runtime(RuntimeFunc::FORMAT_INT, vec![v, int(unsigned, span), spec], Type::Str, span)
            }
            Type::Float(f) => {
                let single = matches!(f, ferrojit_types::FloatType::F32) as i128;
                let v = self.cast(x, &Type::FLOAT64);
                runtime(RuntimeFunc::FORMAT_FLOAT, vec![v, int(single, span), spec], Type::Str, span)
            }
            other => return Err(self.unsupported(span, format!("formatting a `{other}` is not supported yet"), Some("format numbers and strings"))),
        })
    }

    /// The strings `pieces` joined (the empty string for none).
    pub(crate) fn concat_all(&mut self, pieces: Vec<ir::Expr>, span: Span) -> ir::Expr {
        let mut pieces = pieces.into_iter();
        let Some(mut out) = pieces.next() else { return Self::string_constant("", span) };
        for p in pieces {
            out = runtime(RuntimeFunc::STR_CONCAT, vec![out, p], Type::Str, span);
        }
        out
    }

    /// An f-string: its pieces formatted, in order, and joined.
    pub(crate) fn fstring(&mut self, parts: &[ast::FStringPart], span: Span) -> Result<ir::Expr> {
        let mut pieces = Vec::new();
        for part in parts {
            match part {
                ast::FStringPart::Text(text) if text.is_empty() => {}
                ast::FStringPart::Text(text) => pieces.push(Self::string_constant(text, span)),
                ast::FStringPart::Value { value, conversion, spec } => {
                    let x = self.expr(value)?;
                    let spec = if spec.is_empty() { None } else { Some(self.fstring(spec, span)?) };
                    pieces.push(self.format_value(x, *conversion, spec, value.span)?);
                }
            }
        }
        Ok(self.concat_all(pieces, span))
    }

    /// `template.format(*args, **keywords)` of a constant template.
    pub(crate) fn str_format(&mut self, template: &str, args: &[ast::Expr], keywords: &[ast::Keyword], span: Span) -> Result<ir::Expr> {
        let pieces = parse_format(template).map_err(|message| self.typing(span, message, None))?;
        // Every argument is evaluated first, in order, as Python does.
        let mut stmts = Vec::new();
        let mut positional = Vec::new();
        for a in args {
            let x = self.expr(a)?;
            positional.push(self.held(x, &mut stmts, span));
        }
        let mut named = Vec::new();
        for k in keywords {
            let x = self.expr(&k.value)?;
            named.push((k.name.clone(), self.held(x, &mut stmts, span)));
        }
        let mut next = 0;
        let value = self.format_pieces(&pieces, &positional, &named, &mut next, span)?;
        Ok(ir::Expr::new(ExprKind::Block { stmts, value: value.boxed() }, Type::Str, span))
    }

    /// `template.format(*args, **keywords)` of a template known only when the code runs: the
    /// library parses it then (`ferrojit/_lib/formatting.py`), each field formatting one of
    /// the arguments, whose types the compiler knows (the keywords as a tuple of their names
    /// and one of their values).
    pub(crate) fn str_format_at_run_time(&mut self, template: ir::Expr, args: &[ast::Expr], keywords: &[ast::Keyword], span: Span) -> Result<ir::Expr> {
        let items = self.each_collecting_overloads(args, |cx, a| cx.display_item(a))?;
        let mut values = Vec::new();
        for item in items {
            match item {
                crate::expr::DisplayItem::One(e) => values.push(e),
                crate::expr::DisplayItem::Spliced(items) => values.extend(items),
                crate::expr::DisplayItem::Iterable(e) => {
                    return Err(self.unsupported(e.span, format!("`*` of a `{}` in a call: how many arguments it passes is only known when the code runs", e.ty), Some("star a tuple (whose length is part of its type), or pass the arguments one by one")))
                }
            }
        }
        let tuple = |items: Vec<ir::Expr>| {
            let ty = Type::Tuple(items.iter().map(|v| v.ty.clone()).collect());
            ir::Expr::new(ExprKind::Tuple(items), ty, span)
        };
        let names = keywords.iter().map(|k| Self::string_constant(&k.name, k.span)).collect();
        let named = self.each_collecting_overloads(keywords, |cx, k| cx.expr(&k.value))?;
        let (args, names, named) = (tuple(values), tuple(names), tuple(named));
        self.call_internal("ferrojit.str_format_runtime", vec![template, args, names, named], span)
    }

    fn format_pieces(&mut self, pieces: &[FormatPiece], positional: &[ir::Expr], named: &[(String, ir::Expr)], next: &mut usize, span: Span) -> Result<ir::Expr> {
        let mut out = Vec::new();
        for piece in pieces {
            match piece {
                FormatPiece::Text(text) => out.push(Self::string_constant(text, span)),
                FormatPiece::Field { field, conversion, spec } => {
                    let x = match field {
                        FieldName::Next | FieldName::Index(_) => {
                            let at = match field {
                                FieldName::Index(n) => *n,
                                _ => {
                                    *next += 1;
                                    *next - 1
                                }
                            };
                            positional.get(at).cloned().ok_or_else(|| self.typing(span, format!("Replacement index {at} out of range for positional args tuple"), None))?
                        }
                        FieldName::Keyword(name) => named.iter().find(|(n, _)| n == name).map(|(_, x)| x.clone()).ok_or_else(|| self.typing(span, format!("no keyword argument `{name}` for the field `{{{name}}}`"), None))?,
                    };
                    let spec = if spec.is_empty() { None } else { Some(self.format_pieces(spec, positional, named, next, span)?) };
                    out.push(self.format_value(x, *conversion, spec, span)?);
                }
            }
        }
        Ok(self.concat_all(out, span))
    }

    /// `template % values` of a constant template: each field formatted as CPython's `%`
    /// does, with its `TypeError`s for too few or too many values (raised when it runs).
    pub(crate) fn str_percent(&mut self, template: &str, values: ir::Expr, span: Span) -> Result<ir::Expr> {
        let pieces = parse_percent(template).map_err(|message| self.unsupported(span, message, None))?;
        let mut stmts = Vec::new();
        let values = self.held(values, &mut stmts, span);
        let keys: Vec<Option<&String>> = pieces.iter().filter_map(|p| if let PercentPiece::Field(f) = p { Some(f.key.as_ref()) } else { None }).collect();
        // `%(name)s` fields: each formats `values[name]` of a dict (CPython's `KeyError(name)`
        // when it has none); every field then names its key, as CPython requires.
        let items: Vec<ir::Expr> = if keys.iter().any(Option::is_some) {
            if !matches!(&values.ty, Type::Dict(key, _) if **key == Type::Str) {
                return Err(self.typing(span, format!("`%` with mapping keys (`%(name)s`) formats a dict with string keys, not a `{}`", values.ty), None));
            }
            let mut items = Vec::new();
            for key in keys {
                let Some(key) = key else {
                    return Err(self.typing(span, "a `%` template with mapping keys (`%(name)s`) needs a key in every field", Some("name the key of every field, or pass a tuple of values")));
                };
                let name = Self::string_constant(key, span);
                let item = self.call_internal("ferrojit.dict_getitem", vec![values.clone(), name], span)?;
                items.push(self.held(item, &mut stmts, span));
            }
            items
        } else {
            match &values.ty {
                Type::Tuple(items) => (0..items.len()).map(|i| self.tuple_get(values.clone(), i, span)).collect(),
                _ => vec![values],
            }
        };
        let fields = pieces.iter().filter(|p| matches!(p, PercentPiece::Field(_))).count();
        if fields != items.len() {
            let message = if fields > items.len() { "not enough arguments for format string" } else { "not all arguments converted during string formatting" };
            stmts.push(ir::Stmt { kind: StmtKind::Raise { exc: ir::ExcKind::TypeError, msg: Some(message.into()) }, span });
            return Ok(ir::Expr::new(ExprKind::Block { stmts, value: Self::string_constant("", span).boxed() }, Type::Str, span));
        }
        let mut items = items.into_iter();
        let mut out = Vec::new();
        for piece in &pieces {
            match piece {
                PercentPiece::Text(text) => out.push(Self::string_constant(text, span)),
                PercentPiece::Field(field) => {
                    let x = self.element_of_0d(items.next().expect("counted"));
                    let spec = Some(Self::string_constant(&field.spec, span));
                    let formatted = match field.convert {
                        's' | 'r' => {
                            let text = self.to_str(x, field.convert == 'r', span)?;
                            self.format_value(text, None, spec, span)?
                        }
                        'a' => {
                            let text = self.to_ascii(x, span)?;
                            self.format_value(text, None, spec, span)?
                        }
                        'd' if x.ty.is_integer_like() => self.format_value(x, None, spec, span)?,
                        // `%d` of a float truncates it, as `int(x)`.
                        'd' if matches!(x.ty, Type::Float(_)) => {
                            let i = self.cast(x, &Type::INT64);
                            self.format_value(i, None, spec, span)?
                        }
                        'f' if x.ty.is_integer_like() || matches!(x.ty, Type::Float(_)) => {
                            let f = self.cast(x, &Type::FLOAT64);
                            self.format_value(f, None, spec, span)?
                        }
                        'c' if x.ty == Type::Str => self.format_value(x, None, Some(Self::string_constant(field.spec.trim_end_matches('c'), span)), span)?,
                        'c' if x.ty.is_integer_like() => self.format_value(x, None, spec, span)?,
                        _ => return Err(self.typing(span, format!("`%` formatting cannot format a `{}` with this conversion", x.ty), None)),
                    };
                    out.push(formatted);
                }
            }
        }
        let value = self.concat_all(out, span);
        Ok(ir::Expr::new(ExprKind::Block { stmts, value: value.boxed() }, Type::Str, span))
    }
}

/// `hex(n)`, `oct(n)`, `bin(n)`: the integer with its prefix (`-0xff`), as `format(n, spec)`.
fn radix_text(cx: &mut FnInfer<'_>, args: &mut Args, name: &str, spec: &str, span: Span) -> Result<Value> {
    let n = cx.required_expr(args, "number")?;
    if !n.ty.is_integer_like() {
        return Err(cx.typing(n.span, format!("'{}' object cannot be interpreted as an integer", n.ty), Some(&format!("`{name}()` takes integers"))));
    }
    let spec = FnInfer::string_constant(spec, span);
    cx.format_value(n, None, Some(spec), span).map(Value::Expr)
}

pub(crate) fn format_builtin(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let x = cx.required_expr(args, "value")?;
    let spec = cx.arg_expr(args, "format_spec")?;
    if let Some(s) = &spec {
        if s.ty != Type::Str {
            return Err(cx.typing(s.span, format!("format() argument 2 must be str, not `{}`", s.ty), None));
        }
    }
    let spec = spec.filter(|s| !matches!(&s.kind, ExprKind::Const(Const::Str(t)) if t.is_empty()));
    cx.format_value(x, None, spec, span).map(Value::Expr)
}
