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
                            Some(e) => Ok(Some(self.index_int(e)?)),
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
        match &x.ty {
            Type::Int(_) => Ok(self.cast(x, &Type::INT64)),
            other => Err(self.typing(e.span, format!("array indices must be integers or slices, not `{other}`"), None)),
        }
    }

    /// `array[index]`: an element, or a view.
    pub(crate) fn array_subscript(&mut self, array: ir::Expr, index: &ast::Expr, span: Span) -> Result<ir::Expr> {
        let a = match &array.ty {
            Type::Array(a) => a.clone(),
            _ => unreachable!("array_subscript on a non-array"),
        };
        let items = self.subscript_items(index, &a, span)?;
        if items.len() == a.ndim as usize && items.iter().all(|i| matches!(i, IndexItem::Index(_))) {
            let indices = items
                .into_iter()
                .map(|i| match i {
                    IndexItem::Index(e) => e,
                    IndexItem::Slice { .. } => unreachable!(),
                })
                .collect();
            return Ok(ir::Expr::new(ExprKind::ArrayGet { array: array.boxed(), indices }, (*a.dtype).clone(), span));
        }
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
        let items = self.subscript_items(index, &a, span)?;
        if items.len() == a.ndim as usize && items.iter().all(|i| matches!(i, IndexItem::Index(_))) {
            let indices = items
                .into_iter()
                .map(|i| match i {
                    IndexItem::Index(e) => e,
                    IndexItem::Slice { .. } => unreachable!(),
                })
                .collect();
            return Ok(ir::Stmt { kind: StmtKind::ArrayStore { array, indices, value }, span });
        }
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
    ArrayType { dtype: a.dtype.clone(), ndim, layout, readonly: a.readonly }
}
