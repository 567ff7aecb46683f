//! Typing NumPy arrays: subscripts (elements and views), stores, attributes and iteration.
//!
//! A view keeps the C or F layout only when the subscript provably selects contiguous memory
//! (leading integer indices then one step-1 slice for C; the mirror for F); otherwise it is `A`.

use crate::expr::Value;
use crate::function::{FnInfer, Result};
use ferrojit_ir::{self as ir, ArrayAttr, Const, ExprKind, IndexItem, StmtKind};
use ferrojit_syntax::ast::{self, Span};
use ferrojit_types::{ArrayType, Layout, Type};

/// A sequence a `for` loop walks by index: its length and how to get item `i`.
pub(crate) enum Sequence {
    /// `range(start, stop)` with step 1, bounds as int64.
    Range { start: ir::Expr, stop: ir::Expr },
    /// An array held in a temporary local.
    Array(usize, ArrayType),
}

impl FnInfer<'_> {
    fn subscript_items(&mut self, index: &ast::Expr, a: &ArrayType, span: Span) -> Result<Vec<IndexItem>> {
        let parts: Vec<&ast::Expr> = match &index.kind {
            ast::ExprKind::Tuple(items) => items.iter().collect(),
            _ => vec![index],
        };
        if parts.len() > a.ndim as usize {
            return Err(self.typing(
                span,
                format!("too many indices: the array is {}-dimensional, but {} were given", a.ndim, parts.len()),
                None,
            ));
        }
        let mut items = Vec::new();
        for p in parts {
            items.push(match &p.kind {
                ast::ExprKind::Slice { lower, upper, step } => {
                    let mut bound = |b: &Option<Box<ast::Expr>>| -> Result<Option<ir::Expr>> {
                        match b {
                            None => Ok(None),
                            Some(e) if matches!(e.kind, ast::ExprKind::None) => Ok(None),
                            Some(e) => {
                                // A variable holding None (`a[i:j]` with `j = None`) is an absent bound.
                                let x = self.expr(e)?;
                                if x.ty == Type::NoneType {
                                    return Ok(None);
                                }
                                Ok(Some(self.index_value(x, e.span)?))
                            }
                        }
                    };
                    IndexItem::Slice { start: bound(lower)?, stop: bound(upper)?, step: bound(step)? }
                }
                _ => IndexItem::Index(self.index_int(p)?),
            });
        }
        Ok(items)
    }

    fn index_int(&mut self, e: &ast::Expr) -> Result<ir::Expr> {
        let x = self.expr(e)?;
        self.index_value(x, e.span)
    }

    fn index_value(&mut self, x: ir::Expr, span: Span) -> Result<ir::Expr> {
        match &x.ty {
            Type::Int(_) => Ok(self.cast(x, &Type::INT64)),
            other => Err(self.typing(span, format!("array indices must be integers or slices, not `{other}`"), None)),
        }
    }

    /// `array[index]`: an element, or a view.
    pub(crate) fn array_subscript(&mut self, array: ir::Expr, index: &ast::Expr, span: Span) -> Result<ir::Expr> {
        let a = match &array.ty {
            Type::Array(a) => a.clone(),
            _ => unreachable!("array_subscript on a non-array"),
        };
        let items = match element_indices(self.subscript_items(index, &a, span)?, a.ndim) {
            Ok(indices) => return Ok(ir::Expr::new(ExprKind::ArrayGet { array: array.boxed(), indices }, (*a.dtype).clone(), span)),
            Err(items) => items,
        };
        let ty = Type::Array(view_type(&a, &items));
        Ok(ir::Expr::new(ExprKind::ArrayView { array: array.boxed(), items }, ty, span))
    }

    /// `array[index] = value`.
    pub(crate) fn array_store(&mut self, array: ir::Expr, index: &ast::Expr, value: ir::Expr, span: Span) -> Result<ir::Stmt> {
        let a = match &array.ty {
            Type::Array(a) => a.clone(),
            _ => unreachable!("array_store on a non-array"),
        };
        if a.readonly {
            return Err(self.typing(span, format!("cannot write to a read-only array (`{}`)", array.ty), Some("copy it first with `.copy()`")));
        }
        let value = self.element_value(value, &a, span)?;
        let items = match element_indices(self.subscript_items(index, &a, span)?, a.ndim) {
            Ok(indices) => return Ok(ir::Stmt { kind: StmtKind::ArrayStore { array, indices, value }, span }),
            Err(items) => items,
        };
        let ty = Type::Array(view_type(&a, &items));
        let view = ir::Expr::new(ExprKind::ArrayView { array: array.boxed(), items }, ty, span);
        Ok(ir::Stmt { kind: StmtKind::ArrayFill { array: view, value }, span })
    }

    /// Converts a scalar to the array's element type, as NumPy's assignment casts.
    pub(crate) fn element_value(&mut self, value: ir::Expr, a: &ArrayType, span: Span) -> Result<ir::Expr> {
        let ok = value.ty.is_number() && (matches!(*a.dtype, Type::Complex(_)) || !matches!(value.ty, Type::Complex(_)));
        if !ok {
            return Err(self.typing(span, format!("cannot store a `{}` into an array of `{}`", value.ty, a.dtype), Some("assign a scalar of a compatible type (array-to-array assignment is not supported yet)")));
        }
        Ok(self.cast(value, &a.dtype))
    }

    pub(crate) fn array_attribute(&mut self, array: ir::Expr, attr: &str, span: Span) -> Result<Value> {
        let a = match &array.ty {
            Type::Array(a) => a.clone(),
            _ => unreachable!(),
        };
        let int = |v: i128| ir::Expr::new(ExprKind::Const(Const::Int(v)), Type::INT64, span);
        let e = match attr {
            "shape" => {
                let ty = Type::Tuple(vec![Type::INT64; a.ndim as usize]);
                ir::Expr::new(ExprKind::ArrayAttr { array: array.boxed(), attr: ArrayAttr::Shape }, ty, span)
            }
            "size" => ir::Expr::new(ExprKind::ArrayAttr { array: array.boxed(), attr: ArrayAttr::Size }, Type::INT64, span),
            "ndim" => int(a.ndim as i128),
            "dtype" => return Ok(Value::DType((*a.dtype).clone())),
            "itemsize" => int(a.dtype.itemsize().unwrap_or(0) as i128),
            "T" => {
                let layout = match a.layout {
                    Layout::C => Layout::F,
                    Layout::F => Layout::C,
                    Layout::A => Layout::A,
                };
                let layout = if a.ndim <= 1 { a.layout } else { layout };
                ir::Expr::new(ExprKind::Transpose(array.boxed()), Type::Array(a.with(a.ndim, layout)), span)
            }
            _ => return Err(self.unsupported(span, format!("`.{attr}` of an array is not supported yet"), None)),
        };
        Ok(Value::Expr(e))
    }

    pub(crate) fn array_len(&self, array: ir::Expr, span: Span) -> Result<ir::Expr> {
        if matches!(&array.ty, Type::Array(a) if a.ndim == 0) {
            return Err(self.typing(span, "`len()` of a 0-dimensional array", None));
        }
        Ok(ir::Expr::new(ExprKind::ArrayAttr { array: array.boxed(), attr: ArrayAttr::Dim(0) }, Type::INT64, span))
    }

    /// What `for` walks for `iter` when it is an array or `range(...)` inside `zip`/`enumerate`.
    pub(crate) fn sequence(&mut self, iter: &ast::Expr, out: &mut Vec<ir::Stmt>) -> Result<Sequence> {
        if let ast::ExprKind::Call { func, args, keywords } = &iter.kind {
            if keywords.is_empty() && self.is_builtin(func, "range")? && (1..=2).contains(&args.len()) {
                let mut bounds = Vec::new();
                for a in args {
                    bounds.push(self.index_int(a)?);
                }
                let stop = bounds.pop().unwrap();
                let start = bounds.pop().unwrap_or_else(|| ir::Expr::new(ExprKind::Const(Const::Int(0)), Type::INT64, iter.span));
                return Ok(Sequence::Range { start, stop });
            }
        }
        let value = self.expr(iter)?;
        match value.ty.clone() {
            Type::Array(a) if a.ndim >= 1 => {
                let tmp = self.temp(value.ty.clone());
                out.push(ir::Stmt { kind: StmtKind::Assign { local: tmp, value }, span: iter.span });
                Ok(Sequence::Array(tmp, a))
            }
            other => Err(self.unsupported(
                iter.span,
                format!("iterating over a `{other}` is not supported"),
                Some("loop over `range(...)`, an array, or `zip`/`enumerate` of those"),
            )),
        }
    }

    pub(crate) fn sequence_len(&self, seq: &Sequence, span: Span) -> ir::Expr {
        match seq {
            Sequence::Range { start, stop } => {
                // max(stop - start, 0)
                let diff = ir::Expr::new(ExprKind::Binary { op: ir::BinaryOp::Sub, lhs: stop.clone().boxed(), rhs: start.clone().boxed() }, Type::INT64, span);
                let zero = ir::Expr::new(ExprKind::Const(Const::Int(0)), Type::INT64, span);
                let positive = ir::Expr::new(ExprKind::Compare { op: ast::CmpOp::Gt, lhs: diff.clone().boxed(), rhs: zero.clone().boxed() }, Type::Bool, span);
                ir::Expr::new(ExprKind::IfExp { cond: positive.boxed(), then: diff.boxed(), otherwise: zero.boxed() }, Type::INT64, span)
            }
            Sequence::Array(tmp, _) => {
                ir::Expr::new(ExprKind::ArrayAttr { array: self.local_expr(*tmp, span).boxed(), attr: ArrayAttr::Dim(0) }, Type::INT64, span)
            }
        }
    }

    pub(crate) fn sequence_item(&self, seq: &Sequence, index: ir::Expr, span: Span) -> ir::Expr {
        match seq {
            Sequence::Range { start, .. } => ir::Expr::new(ExprKind::Binary { op: ir::BinaryOp::Add, lhs: start.clone().boxed(), rhs: index.boxed() }, Type::INT64, span),
            Sequence::Array(tmp, a) => {
                let array = self.local_expr(*tmp, span).boxed();
                if a.ndim == 1 {
                    ir::Expr::new(ExprKind::ArrayGet { array, indices: vec![index] }, (*a.dtype).clone(), span)
                } else {
                    let items = vec![IndexItem::Index(index)];
                    let ty = Type::Array(view_type(a, &items));
                    ir::Expr::new(ExprKind::ArrayView { array, items }, ty, span)
                }
            }
        }
    }
}

/// The integer indices when `items` name one element (an integer per dimension), else the
/// items back (a view).
fn element_indices(items: Vec<IndexItem>, ndim: u8) -> std::result::Result<Vec<ir::Expr>, Vec<IndexItem>> {
    if items.len() != ndim as usize || !items.iter().all(|i| matches!(i, IndexItem::Index(_))) {
        return Err(items);
    }
    Ok(items
        .into_iter()
        .map(|i| match i {
            IndexItem::Index(e) => e,
            IndexItem::Slice { .. } => unreachable!("checked above"),
        })
        .collect())
}

/// The layout NumPy's `order='K'` gives a new array made like `a`: Fortran for a
/// Fortran-ordered array of two or more dimensions, else C.
fn keep_order(a: &ArrayType) -> Layout {
    if a.layout == Layout::F && a.ndim > 1 { Layout::F } else { Layout::C }
}

/// The type of `a[items]` when it is a view.
pub(crate) fn view_type(a: &ArrayType, items: &[IndexItem]) -> ArrayType {
    let dropped = items.iter().filter(|i| matches!(i, IndexItem::Index(_))).count();
    let ndim = a.ndim - dropped as u8;
    let full = |i: &IndexItem| matches!(i, IndexItem::Slice { start: None, stop: None, step: None });
    let unit_step = |i: &IndexItem| match i {
        IndexItem::Slice { step: None, .. } => true,
        IndexItem::Slice { step: Some(s), .. } => matches!(s.kind, ExprKind::Const(Const::Int(1))),
        IndexItem::Index(_) => false,
    };
    let layout = match a.layout {
        _ if ndim == 0 => Layout::C,
        Layout::C => {
            // Integers first, then at most one step-1 slice, then whole dimensions.
            let first_slice = items.iter().position(|i| !matches!(i, IndexItem::Index(_))).unwrap_or(items.len());
            let contiguous = first_slice == items.len() || (unit_step(&items[first_slice]) && items[first_slice + 1..].iter().all(full));
            if contiguous { Layout::C } else { Layout::A }
        }
        Layout::F => {
            // Whole dimensions, then at most one step-1 slice, then integers to the end
            // (only when every dimension is named, so that trailing ones are not kept).
            let named_all = items.len() == a.ndim as usize;
            let last_slice = items.iter().rposition(|i| !matches!(i, IndexItem::Index(_)));
            let contiguous = match last_slice {
                None => true,
                Some(k) => named_all && unit_step(&items[k]) && items[..k].iter().all(full),
            };
            if contiguous && (named_all || dropped == 0) { Layout::F } else { Layout::A }
        }
        Layout::A => Layout::A,
    };
    a.with(ndim, layout)
}

/// NumPy functions that create arrays.
pub(crate) const NUMPY_CREATION: &[&str] = &[
    "empty", "zeros", "ones", "full", "empty_like", "zeros_like", "ones_like", "full_like", "arange", "linspace", "eye",
];

/// NumPy functions that reduce or copy a whole array, by the method they mirror.
pub(crate) const NUMPY_ARRAY_FUNCTIONS: &[(&str, &str)] = &[
    ("sum", "sum"), ("min", "min"), ("max", "max"), ("amin", "min"), ("amax", "max"), ("mean", "mean"), ("copy", "copy_k"),
    ("ravel", "ravel"), ("reshape", "reshape"), ("transpose", "T"),
];

impl FnInfer<'_> {
    /// A dtype argument: `np.float32`, `float`/`int`/`bool`/`complex`, a name like
    /// `"float32"`, or `a.dtype`.
    pub(crate) fn dtype_arg(&self, v: &Value, span: Span) -> Result<Type> {
        let from_name = |name: &str| Type::from_name(name).filter(|t| t.is_number());
        let ty = match v {
            Value::DType(t) => Some(t.clone()),
            Value::Str(s) => from_name(s),
            Value::Global(crate::GlobalValue::Function(q)) => match q.as_str() {
                "builtins.float" => Some(Type::FLOAT64),
                "builtins.int" => Some(Type::INT64),
                "builtins.bool" => Some(Type::Bool),
                "builtins.complex" => Some(Type::COMPLEX128),
                q => q.strip_prefix("numpy.").and_then(from_name),
            },
            _ => None,
        };
        ty.ok_or_else(|| self.typing(span, "unsupported `dtype`", Some("pass a NumPy scalar type such as `np.float64`, a Python `float`/`int`/`bool`/`complex`, or `a.dtype`")))
    }

    /// A shape argument: an integer or a tuple of integers, as int64 expressions.
    fn shape_arg(&mut self, v: Value, span: Span) -> Result<Vec<ir::Expr>> {
        let e = self.value_expr(v, span)?;
        match e.ty.clone() {
            Type::Int(_) | Type::Bool => Ok(vec![self.cast(e, &Type::INT64)]),
            Type::Tuple(items) if items.iter().all(|t| t.is_integer_like()) => {
                let tmp = self.temp(e.ty.clone());
                let n = items.len();
                // The tuple is evaluated once into `tmp` by the caller's block.
                self.pending_shape = Some((tmp, e));
                Ok((0..n).map(|i| {
                    let item = self.tuple_get(self.local_expr(tmp, span), i, span);
                    self.cast(item, &Type::INT64)
                }).collect())
            }
            other => Err(self.typing(span, format!("an array shape must be an integer or a tuple of integers, not `{other}`"), None)),
        }
    }

    /// A new C-contiguous array of `dtype` and `shape`, initialised by `init(array local)`.
    fn new_array(&mut self, dtype: Type, shape: Vec<ir::Expr>, span: Span, init: impl FnOnce(&mut Self, usize) -> Result<Vec<ir::Stmt>>) -> Result<ir::Expr> {
        self.new_array_in(dtype, shape, Layout::C, span, init)
    }

    /// A new array in `layout` (C or F).
    fn new_array_in(&mut self, dtype: Type, shape: Vec<ir::Expr>, layout: Layout, span: Span, init: impl FnOnce(&mut Self, usize) -> Result<Vec<ir::Stmt>>) -> Result<ir::Expr> {
        let ty = Type::Array(ArrayType::new(dtype, shape.len() as u8, layout));
        let mut stmts = Vec::new();
        if let Some((tmp, tuple)) = self.pending_shape.take() {
            stmts.push(ir::Stmt { kind: StmtKind::Assign { local: tmp, value: tuple }, span });
        }
        let local = self.temp(ty.clone());
        let new = ir::Expr::new(ExprKind::ArrayNew { shape }, ty.clone(), span);
        stmts.push(ir::Stmt { kind: StmtKind::Assign { local, value: new }, span });
        stmts.extend(init(self, local)?);
        Ok(ir::Expr::new(ExprKind::Block { stmts, value: self.local_expr(local, span).boxed() }, ty, span))
    }

    fn fill_stmt(&mut self, local: usize, value: ir::Expr, span: Span) -> Result<Vec<ir::Stmt>> {
        let array = self.local_expr(local, span);
        let a = match &array.ty {
            Type::Array(a) => a.clone(),
            _ => unreachable!(),
        };
        let value = self.element_value(value, &a, span)?;
        Ok(vec![ir::Stmt { kind: StmtKind::ArrayFill { array, value }, span }])
    }

    fn take_keyword(keywords: &mut Vec<(String, Value, Span)>, name: &str) -> Option<(Value, Span)> {
        let i = keywords.iter().position(|(k, _, _)| k == name)?;
        let (_, v, s) = keywords.remove(i);
        Some((v, s))
    }

    pub(crate) fn numpy_create(&mut self, f: &str, mut args: Vec<Value>, mut keywords: Vec<(String, Value, Span)>, span: Span) -> Result<ir::Expr> {
        let dtype_kw = Self::take_keyword(&mut keywords, "dtype");
        let positional = |names: &[&str], args: &mut Vec<Value>, keywords: &mut Vec<(String, Value, Span)>| -> Vec<Option<Value>> {
            let mut out: Vec<Option<Value>> = Vec::new();
            for (i, n) in names.iter().enumerate() {
                if i < args.len() {
                    out.push(None);
                } else {
                    out.push(Self::take_keyword(keywords, n).map(|(v, _)| v));
                }
            }
            let given: Vec<Value> = std::mem::take(args);
            for (i, v) in given.into_iter().enumerate() {
                if i < out.len() {
                    out[i] = Some(v);
                }
            }
            out
        };
        let result = match f {
            "empty" | "zeros" | "ones" | "full" => {
                let names: &[&str] = if f == "full" { &["shape", "fill_value", "dtype"] } else { &["shape", "dtype"] };
                let mut p = positional(names, &mut args, &mut keywords).into_iter();
                let shape = p.next().flatten().ok_or_else(|| self.typing(span, format!("`np.{f}()` needs a shape"), None))?;
                let fill = if f == "full" { Some(p.next().flatten().ok_or_else(|| self.typing(span, "`np.full()` needs a fill value", None))?) } else { None };
                let dtype_pos = p.next().flatten();
                let fill = fill.map(|v| self.value_expr(v, span)).transpose()?;
                let dtype = match dtype_kw.as_ref().map(|(v, s)| (v, *s)).or(dtype_pos.as_ref().map(|v| (v, span))) {
                    Some((v, s)) => self.dtype_arg(v, s)?,
                    None => match &fill {
                        Some(x) if x.ty.is_number() => if x.ty == Type::Bool { Type::Bool } else { x.ty.clone() },
                        _ => Type::FLOAT64,
                    },
                };
                let shape = self.shape_arg(shape, span)?;
                let init = match f {
                    "zeros" => Some(ir::Expr::new(ExprKind::Const(Const::Int(0)), Type::INT64, span)),
                    "ones" => Some(ir::Expr::new(ExprKind::Const(Const::Int(1)), Type::INT64, span)),
                    "full" => fill,
                    _ => None,
                };
                self.new_array(dtype, shape, span, |cx, local| match init {
                    Some(v) => cx.fill_stmt(local, v, span),
                    None => Ok(vec![]),
                })?
            }
            "empty_like" | "zeros_like" | "ones_like" | "full_like" => {
                let names: &[&str] = if f == "full_like" { &["a", "fill_value", "dtype"] } else { &["a", "dtype"] };
                let mut p = positional(names, &mut args, &mut keywords).into_iter();
                let proto = p.next().flatten().ok_or_else(|| self.typing(span, format!("`np.{f}()` needs an array"), None))?;
                let proto = self.value_expr(proto, span)?;
                let a = match &proto.ty {
                    Type::Array(a) => a.clone(),
                    other => return Err(self.typing(span, format!("`np.{f}()` needs an array, not `{other}`"), None)),
                };
                let fill = if f == "full_like" { Some(self.value_expr(p.next().flatten().ok_or_else(|| self.typing(span, "`np.full_like()` needs a fill value", None))?, span)?) } else { None };
                let dtype_pos = p.next().flatten();
                let dtype = match dtype_kw.as_ref().map(|(v, s)| (v, *s)).or(dtype_pos.as_ref().map(|v| (v, span))) {
                    Some((v, s)) => self.dtype_arg(v, s)?,
                    None => (*a.dtype).clone(),
                };
                let tmp = self.temp(proto.ty.clone());
                let shape: Vec<ir::Expr> = (0..a.ndim)
                    .map(|k| ir::Expr::new(ExprKind::ArrayAttr { array: self.local_expr(tmp, span).boxed(), attr: ArrayAttr::Dim(k) }, Type::INT64, span))
                    .collect();
                let init = match f {
                    "zeros_like" => Some(ir::Expr::new(ExprKind::Const(Const::Int(0)), Type::INT64, span)),
                    "ones_like" => Some(ir::Expr::new(ExprKind::Const(Const::Int(1)), Type::INT64, span)),
                    "full_like" => fill,
                    _ => None,
                };
                // NumPy's `order='K'`: a Fortran-ordered prototype gives a Fortran-ordered result.
                let made = self.new_array_in(dtype, shape, keep_order(&a), span, |cx, local| match init {
                    Some(v) => cx.fill_stmt(local, v, span),
                    None => Ok(vec![]),
                })?;
                let ty = made.ty.clone();
                ir::Expr::new(ExprKind::Let { local: tmp, value: proto.boxed(), body: made.boxed() }, ty, span)
            }
            "arange" => {
                let values = args.drain(..).map(|v| self.value_expr(v, span)).collect::<Result<Vec<_>>>()?;
                if values.is_empty() || values.len() > 3 {
                    return Err(self.typing(span, "`np.arange()` takes 1 to 3 arguments", None));
                }
                let is_float = values.iter().any(|v| matches!(v.ty, Type::Float(_)));
                if values.iter().any(|v| !v.ty.is_number() || matches!(v.ty, Type::Complex(_))) {
                    return Err(self.typing(span, "`np.arange()` needs real numbers", None));
                }
                let dtype = match &dtype_kw {
                    Some((v, s)) => self.dtype_arg(v, *s)?,
                    None if is_float => Type::FLOAT64,
                    None => Type::INT64,
                };
                let work = if is_float { Type::FLOAT64 } else { Type::INT64 };
                let mut values: Vec<ir::Expr> = values.into_iter().map(|v| self.cast(v, &work)).collect();
                let one = if is_float { ir::Expr::new(ExprKind::Const(Const::Float(1.0)), work.clone(), span) } else { ir::Expr::new(ExprKind::Const(Const::Int(1)), work.clone(), span) };
                let zero = if is_float { ir::Expr::new(ExprKind::Const(Const::Float(0.0)), work.clone(), span) } else { ir::Expr::new(ExprKind::Const(Const::Int(0)), work.clone(), span) };
                let (start, stop, step) = match values.len() {
                    1 => (zero, values.pop().unwrap(), one),
                    2 => { let stop = values.pop().unwrap(); (values.pop().unwrap(), stop, one) }
                    _ => { let step = values.pop().unwrap(); let stop = values.pop().unwrap(); (values.pop().unwrap(), stop, step) }
                };
                let (ts, tp, tt) = (self.temp(work.clone()), self.temp(work.clone()), self.temp(work.clone()));
                let pre = vec![
                    ir::Stmt { kind: StmtKind::Assign { local: ts, value: start }, span },
                    ir::Stmt { kind: StmtKind::Assign { local: tp, value: stop }, span },
                    ir::Stmt { kind: StmtKind::Assign { local: tt, value: step }, span },
                ];
                let l = |cx: &Self, id| cx.local_expr(id, span);
                // length = max(ceil((stop - start) / step), 0); a zero step raises in the division.
                let diff = self.binop(ast::BinOp::Sub, l(self, tp), l(self, ts), span)?;
                let quotient = self.binop(ast::BinOp::Div, diff, l(self, tt), span)?;
                let ceil = ir::Expr::new(ExprKind::Math { func: ir::MathFunc::CEIL, args: vec![quotient] }, Type::FLOAT64, span);
                let zero_f = ir::Expr::new(ExprKind::Const(Const::Float(0.0)), Type::FLOAT64, span);
                let positive = ir::Expr::new(ExprKind::Compare { op: ast::CmpOp::Gt, lhs: ceil.clone().boxed(), rhs: zero_f.clone().boxed() }, Type::Bool, span);
                let clamped = ir::Expr::new(ExprKind::IfExp { cond: positive.boxed(), then: ceil.boxed(), otherwise: zero_f.boxed() }, Type::FLOAT64, span);
                let len = self.cast(clamped, &Type::INT64);
                let index = self.temp(Type::INT64);
                let dtype2 = dtype.clone();
                let made = self.new_array(dtype, vec![len], span, |cx, local| {
                    let k = cx.cast(cx.local_expr(index, span), &work);
                    let offset = cx.binop(ast::BinOp::Mul, k, l(cx, tt), span)?;
                    let value = cx.binop(ast::BinOp::Add, l(cx, ts), offset, span)?;
                    let value = cx.cast(value, &dtype2);
                    let store = ir::Stmt { kind: StmtKind::ArrayStore { array: cx.local_expr(local, span), indices: vec![cx.local_expr(index, span)], value }, span };
                    let count = ir::Expr::new(ExprKind::ArrayAttr { array: cx.local_expr(local, span).boxed(), attr: ArrayAttr::Dim(0) }, Type::INT64, span);
                    let int = |v| ir::Expr::new(ExprKind::Const(Const::Int(v)), Type::INT64, span);
                    Ok(vec![ir::Stmt { kind: StmtKind::ForRange { index, start: int(0), stop: count, step: int(1), body: vec![store], orelse: vec![] }, span }])
                })?;
                let ty = made.ty.clone();
                ir::Expr::new(ExprKind::Block { stmts: pre, value: made.boxed() }, ty, span)
            }
            "linspace" => {
                let mut p = positional(&["start", "stop", "num"], &mut args, &mut keywords).into_iter();
                let start = p.next().flatten().ok_or_else(|| self.typing(span, "`np.linspace()` needs start and stop", None))?;
                let stop = p.next().flatten().ok_or_else(|| self.typing(span, "`np.linspace()` needs start and stop", None))?;
                let num = match p.next().flatten() {
                    Some(n) => self.value_expr(n, span)?,
                    None => ir::Expr::new(ExprKind::Const(Const::Int(50)), Type::INT64, span),
                };
                if !num.ty.is_integer_like() {
                    return Err(self.typing(span, "`num` must be an integer", None));
                }
                let start = self.value_expr(start, span)?;
                let stop = self.value_expr(stop, span)?;
                let (start, stop) = (self.cast(start, &Type::FLOAT64), self.cast(stop, &Type::FLOAT64));
                let num = self.cast(num, &Type::INT64);
                let (ts, tp, tn) = (self.temp(Type::FLOAT64), self.temp(Type::FLOAT64), self.temp(Type::INT64));
                let pre = vec![
                    ir::Stmt { kind: StmtKind::Assign { local: ts, value: start }, span },
                    ir::Stmt { kind: StmtKind::Assign { local: tp, value: stop }, span },
                    ir::Stmt { kind: StmtKind::Assign { local: tn, value: num }, span },
                ];
                let index = self.temp(Type::INT64);
                let l = |cx: &Self, id| cx.local_expr(id, span);
                let made = self.new_array(Type::FLOAT64, vec![l(self, tn)], span, |cx, local| {
                    // NumPy: step = (stop - start) / (num - 1); y = start + k * step; the last
                    // element is exactly `stop`.
                    let int = |v| ir::Expr::new(ExprKind::Const(Const::Int(v)), Type::INT64, span);
                    let div = cx.binop(ast::BinOp::Sub, l(cx, tn), int(1), span)?;
                    let one_or_more = ir::Expr::new(ExprKind::Compare { op: ast::CmpOp::Gt, lhs: div.clone().boxed(), rhs: int(0).boxed() }, Type::Bool, span);
                    let safe_div = ir::Expr::new(ExprKind::IfExp { cond: one_or_more.boxed(), then: div.boxed(), otherwise: int(1).boxed() }, Type::INT64, span);
                    let span_len = cx.binop(ast::BinOp::Sub, l(cx, tp), l(cx, ts), span)?;
                    let step = cx.binop(ast::BinOp::Div, span_len, safe_div, span)?;
                    let k = cx.cast(cx.local_expr(index, span), &Type::FLOAT64);
                    let offset = cx.binop(ast::BinOp::Mul, k, step, span)?;
                    let value = cx.binop(ast::BinOp::Add, l(cx, ts), offset, span)?;
                    let store = ir::Stmt { kind: StmtKind::ArrayStore { array: cx.local_expr(local, span), indices: vec![cx.local_expr(index, span)], value }, span };
                    let last = cx.binop(ast::BinOp::Sub, l(cx, tn), int(1), span)?;
                    let has_two = ir::Expr::new(ExprKind::Compare { op: ast::CmpOp::Gt, lhs: l(cx, tn).boxed(), rhs: int(1).boxed() }, Type::Bool, span);
                    let fix_end = ir::Stmt {
                        kind: StmtKind::If {
                            cond: has_two,
                            then_body: vec![ir::Stmt { kind: StmtKind::ArrayStore { array: cx.local_expr(local, span), indices: vec![last], value: l(cx, tp) }, span }],
                            else_body: vec![],
                        },
                        span,
                    };
                    Ok(vec![ir::Stmt { kind: StmtKind::ForRange { index, start: int(0), stop: l(cx, tn), step: int(1), body: vec![store], orelse: vec![] }, span }, fix_end])
                })?;
                let ty = made.ty.clone();
                ir::Expr::new(ExprKind::Block { stmts: pre, value: made.boxed() }, ty, span)
            }
            "eye" => {
                let mut p = positional(&["N", "M", "k", "dtype"], &mut args, &mut keywords).into_iter();
                let n = self.value_expr(p.next().flatten().ok_or_else(|| self.typing(span, "`np.eye()` needs N", None))?, span)?;
                let m = p.next().flatten().map(|v| self.value_expr(v, span)).transpose()?;
                if p.next().flatten().is_some() {
                    return Err(self.unsupported(span, "`np.eye(k=...)` is not supported yet", None));
                }
                let dtype = match dtype_kw.as_ref().map(|(v, s)| (v, *s)).or(None) {
                    Some((v, s)) => self.dtype_arg(v, s)?,
                    None => match p.next().flatten() {
                        Some(v) => self.dtype_arg(&v, span)?,
                        None => Type::FLOAT64,
                    },
                };
                let n = self.cast(n, &Type::INT64);
                let tn = self.temp(Type::INT64);
                let tm = self.temp(Type::INT64);
                let m = match m {
                    Some(m) => self.cast(m, &Type::INT64),
                    None => self.local_expr(tn, span),
                };
                let pre = vec![
                    ir::Stmt { kind: StmtKind::Assign { local: tn, value: n }, span },
                    ir::Stmt { kind: StmtKind::Assign { local: tm, value: m }, span },
                ];
                let index = self.temp(Type::INT64);
                let made = self.new_array(dtype, vec![self.local_expr(tn, span), self.local_expr(tm, span)], span, |cx, local| {
                    let mut stmts = cx.fill_stmt(local, ir::Expr::new(ExprKind::Const(Const::Int(0)), Type::INT64, span), span)?;
                    let int = |v| ir::Expr::new(ExprKind::Const(Const::Int(v)), Type::INT64, span);
                    let a = match &cx.local_expr(local, span).ty {
                        Type::Array(a) => a.clone(),
                        _ => unreachable!(),
                    };
                    let one = cx.element_value(int(1), &a, span)?;
                    let lt = ir::Expr::new(ExprKind::Compare { op: ast::CmpOp::Lt, lhs: cx.local_expr(tm, span).boxed(), rhs: cx.local_expr(tn, span).boxed() }, Type::Bool, span);
                    let diag = ir::Expr::new(ExprKind::IfExp { cond: lt.boxed(), then: cx.local_expr(tm, span).boxed(), otherwise: cx.local_expr(tn, span).boxed() }, Type::INT64, span);
                    let store = ir::Stmt { kind: StmtKind::ArrayStore { array: cx.local_expr(local, span), indices: vec![cx.local_expr(index, span), cx.local_expr(index, span)], value: one }, span };
                    stmts.push(ir::Stmt { kind: StmtKind::ForRange { index, start: int(0), stop: diag, step: int(1), body: vec![store], orelse: vec![] }, span });
                    Ok(stmts)
                })?;
                let ty = made.ty.clone();
                ir::Expr::new(ExprKind::Block { stmts: pre, value: made.boxed() }, ty, span)
            }
            _ => return Err(self.unsupported(span, format!("`np.{f}()` is not supported yet"), None)),
        };
        if let Some((k, _, kspan)) = keywords.first() {
            return Err(self.typing(*kspan, format!("`np.{f}()` got an unsupported keyword argument `{k}`"), None));
        }
        Ok(result)
    }

    /// Methods of arrays (`a.sum()`, `a.copy()`, ...), also reached through `np.sum(a)` etc.
    pub(crate) fn array_method(&mut self, array: ir::Expr, name: &str, mut args: Vec<Value>, mut keywords: Vec<(String, Value, Span)>, span: Span) -> Result<ir::Expr> {
        let a = match &array.ty {
            Type::Array(a) => a.clone(),
            _ => unreachable!("array_method on a non-array"),
        };
        if let Some((k, _, kspan)) = keywords.iter().find(|(k, _, _)| k != "dtype") {
            return Err(self.unsupported(*kspan, format!("`{name}({k}=...)` is not supported yet"), Some("reductions over an axis are not supported yet; loop over the array")));
        }
        let reduce = |cx: &mut Self, op: ir::ReduceOp, ty: Type, array: ir::Expr| -> Result<ir::Expr> {
            if matches!(*a.dtype, Type::Complex(_)) && matches!(op, ir::ReduceOp::Min | ir::ReduceOp::Max) {
                return Err(cx.typing(span, format!("`{name}()` of a complex array is not supported"), None));
            }
            Ok(ir::Expr::new(ExprKind::ArrayReduce { op, array: array.boxed() }, ty, span))
        };
        let no_args = |cx: &Self, args: &Vec<Value>| -> Result<()> {
            if args.is_empty() {
                Ok(())
            } else {
                Err(cx.unsupported(span, format!("`{name}()` with arguments is not supported yet"), Some("reductions over an axis are not supported yet; loop over the array")))
            }
        };
        match name {
            "sum" => {
                no_args(self, &args)?;
                let ty = match &*a.dtype {
                    Type::Bool => Type::INT64,
                    Type::Int(i) if i.signed => Type::INT64,
                    Type::Int(_) => Type::UINT64,
                    t => t.clone(),
                };
                reduce(self, ir::ReduceOp::Sum, ty, array)
            }
            "min" | "max" => {
                no_args(self, &args)?;
                let op = if name == "min" { ir::ReduceOp::Min } else { ir::ReduceOp::Max };
                reduce(self, op, (*a.dtype).clone(), array)
            }
            "mean" => {
                no_args(self, &args)?;
                let ty = match &*a.dtype {
                    Type::Float(_) | Type::Complex(_) => (*a.dtype).clone(),
                    _ => Type::FLOAT64,
                };
                reduce(self, ir::ReduceOp::Mean, ty, array)
            }
            "item" => {
                no_args(self, &args)?;
                let tmp = self.temp(array.ty.clone());
                let size = ir::Expr::new(ExprKind::ArrayAttr { array: self.local_expr(tmp, span).boxed(), attr: ArrayAttr::Size }, Type::INT64, span);
                let one = ir::Expr::new(ExprKind::Const(Const::Int(1)), Type::INT64, span);
                let wrong = ir::Expr::new(ExprKind::Compare { op: ast::CmpOp::NotEq, lhs: size.boxed(), rhs: one.boxed() }, Type::Bool, span);
                let raise = ir::Stmt { kind: StmtKind::Raise { exc: ir::ExcKind::ValueError, msg: Some("can only convert an array of size 1 to a Python scalar".into()) }, span };
                let zeros = (0..a.ndim).map(|_| ir::Expr::new(ExprKind::Const(Const::Int(0)), Type::INT64, span)).collect();
                let get = ir::Expr::new(ExprKind::ArrayGet { array: self.local_expr(tmp, span).boxed(), indices: zeros }, (*a.dtype).clone(), span);
                let stmts = vec![
                    ir::Stmt { kind: StmtKind::Assign { local: tmp, value: array }, span },
                    ir::Stmt { kind: StmtKind::If { cond: wrong, then_body: vec![raise], else_body: vec![] }, span },
                ];
                Ok(ir::Expr::new(ExprKind::Block { stmts, value: get.boxed() }, (*a.dtype).clone(), span))
            }
            "fill" => {
                if args.len() != 1 {
                    return Err(self.typing(span, "`fill()` takes one value", None));
                }
                if a.readonly {
                    return Err(self.typing(span, "cannot fill a read-only array", None));
                }
                let v = self.value_expr(args.pop().unwrap(), span)?;
                let value = self.element_value(v, &a, span)?;
                let stmts = vec![ir::Stmt { kind: StmtKind::ArrayFill { array, value }, span }];
                Ok(ir::Expr::new(ExprKind::Block { stmts, value: ir::Expr::new(ExprKind::Const(Const::None), Type::NoneType, span).boxed() }, Type::NoneType, span))
            }
            "copy" | "copy_k" | "astype" | "flatten" => {
                let dtype = if name == "astype" {
                    let v = match (args.pop(), Self::take_keyword(&mut keywords, "dtype")) {
                        (Some(v), _) => v,
                        (None, Some((v, _))) => v,
                        (None, None) => return Err(self.typing(span, "`astype()` needs a dtype", None)),
                    };
                    self.dtype_arg(&v, span)?
                } else {
                    no_args(self, &args)?;
                    (*a.dtype).clone()
                };
                if matches!(*a.dtype, Type::Complex(_)) && !matches!(dtype, Type::Complex(_)) {
                    return Err(self.typing(span, "cannot convert a complex array to a real one", Some("take `.real` of each element in a loop")));
                }
                let src = self.temp(array.ty.clone());
                let dims = if name == "flatten" {
                    vec![ir::Expr::new(ExprKind::ArrayAttr { array: self.local_expr(src, span).boxed(), attr: ArrayAttr::Size }, Type::INT64, span)]
                } else {
                    (0..a.ndim).map(|k| ir::Expr::new(ExprKind::ArrayAttr { array: self.local_expr(src, span).boxed(), attr: ArrayAttr::Dim(k) }, Type::INT64, span)).collect()
                };
                let flat = name == "flatten" && a.ndim != 1;
                // `a.copy()` and `flatten()` are C-ordered; `np.copy(a)` and `astype` keep a
                // Fortran order (NumPy's `order='K'`).
                let layout = if matches!(name, "astype" | "copy_k") { keep_order(&a) } else { Layout::C };
                let made = self.new_array_in(dtype, dims, layout, span, |cx, local| {
                    let dst = cx.local_expr(local, span);
                    // Flattening copies in C order through a view of the flat result shaped
                    // like the source.
                    let dst = if flat { cx.reshape_like(dst, src, &a, span) } else { dst };
                    Ok(vec![ir::Stmt { kind: StmtKind::ArrayCopy { dst, src: cx.local_expr(src, span) }, span }])
                })?;
                let ty = made.ty.clone();
                Ok(ir::Expr::new(ExprKind::Let { local: src, value: array.boxed(), body: made.boxed() }, ty, span))
            }
            "reshape" => {
                if a.layout != Layout::C {
                    return Err(self.unsupported(span, "`reshape()` of a non-C-contiguous array is not supported yet", Some("call `.copy()` first")));
                }
                let shape_value = if args.len() == 1 { args.pop().unwrap() } else {
                    let exprs = args.into_iter().map(|v| self.value_expr(v, span)).collect::<Result<Vec<_>>>()?;
                    let ty = Type::Tuple(exprs.iter().map(|e| e.ty.clone()).collect());
                    Value::Expr(ir::Expr::new(ExprKind::Tuple(exprs), ty, span))
                };
                let dims = self.shape_arg(shape_value, span)?;
                let mut stmts = Vec::new();
                if let Some((tmp, tuple)) = self.pending_shape.take() {
                    stmts.push(ir::Stmt { kind: StmtKind::Assign { local: tmp, value: tuple }, span });
                }
                let ty = Type::Array(a.with(dims.len() as u8, Layout::C));
                let reshaped = ir::Expr::new(ExprKind::Reshape { array: array.boxed(), shape: dims }, ty.clone(), span);
                Ok(ir::Expr::new(ExprKind::Block { stmts, value: reshaped.boxed() }, ty, span))
            }
            "ravel" => {
                no_args(self, &args)?;
                if a.layout == Layout::C {
                    let tmp = self.temp(array.ty.clone());
                    let size = ir::Expr::new(ExprKind::ArrayAttr { array: self.local_expr(tmp, span).boxed(), attr: ArrayAttr::Size }, Type::INT64, span);
                    let ty = Type::Array(a.with(1, Layout::C));
                    let reshaped = ir::Expr::new(ExprKind::Reshape { array: self.local_expr(tmp, span).boxed(), shape: vec![size] }, ty.clone(), span);
                    Ok(ir::Expr::new(ExprKind::Let { local: tmp, value: array.boxed(), body: reshaped.boxed() }, ty, span))
                } else {
                    self.array_method(array, "flatten", args, keywords, span)
                }
            }
            "T" | "transpose" => {
                no_args(self, &args)?;
                match self.array_attribute(array, "T", span)? {
                    Value::Expr(e) => Ok(e),
                    _ => unreachable!(),
                }
            }
            _ => Err(self.unsupported(span, format!("the array method `{name}()` is not supported yet"), None)),
        }
    }

    /// A view of the new flat array `dst` with the shape of `src`, so that an element-wise copy
    /// in C order fills it.
    fn reshape_like(&self, dst: ir::Expr, src: usize, a: &ArrayType, span: Span) -> ir::Expr {
        let dims = (0..a.ndim).map(|k| ir::Expr::new(ExprKind::ArrayAttr { array: self.local_expr(src, span).boxed(), attr: ArrayAttr::Dim(k) }, Type::INT64, span)).collect();
        let ty = Type::Array(ArrayType::new(match &dst.ty { Type::Array(d) => (*d.dtype).clone(), _ => unreachable!() }, a.ndim, Layout::C));
        ir::Expr::new(ExprKind::Reshape { array: dst.boxed(), shape: dims }, ty, span)
    }
}
