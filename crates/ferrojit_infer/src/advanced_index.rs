//! Subscripts with an array among their items (NumPy's advanced indexing): `a[idx]`,
//! `a[:, idx]`, `a[i, idx]`, `a[1:, mask, ::2]`, and assignments through them.
//!
//! The structure is settled here, at compile time; the loops are Python overloads of
//! `ferrojit.select` / `ferrojit.assign` (`ferrojit/_lib/indexing.py`). The basic items make a
//! view of the array whose axes the index array covers come first (`covered`); the overload
//! gathers from (or scatters into) that view along its first axes, giving a C-ordered result
//! of shape `index dimensions + remaining view dimensions`; a transposed view of that result
//! puts the index dimensions where NumPy does.
//!
//! NumPy's rule for the place of the index dimensions: integers count as advanced indices
//! next to an array. When all advanced items are adjacent, the index dimensions replace them
//! in place (`a[:, idx]`, `a[:, 0, idx]`); when a slice, `None` or `...` separates them
//! (`a[0, :, idx]`), they come first.

use crate::arrays::{permuted, view_type, Part};
use crate::bind::Args;
use crate::expr::Value;
use crate::function::{FnInfer, Result};
use crate::registry::Registry;
use ferrojit_ir::{self as ir, Const, ExprKind, IndexItem, RuntimeFunc, StmtKind};
use ferrojit_syntax::ast::Span;
use ferrojit_types::{ArrayType, Layout, Type};

/// Adds the runtime calls that raise NumPy's indexing and axis errors with their numbers in the
/// message, which the overloads in Python reach as `ferrojit._lib.index_error(index, axis,
/// size)`, `ferrojit._lib.mask_shape_error(axis, size, mask_size)` and
/// `ferrojit._lib.axis_error(axis, ndim)` (compiled code has no string formatting). Each
/// returns 0 and never returns normally.
pub(crate) fn register(r: &mut Registry) {
    r.function("ferrojit._lib.index_error", "index, axis, size, /", index_error);
    r.function("ferrojit._lib.mask_shape_error", "axis, size, mask_size, /", mask_shape_error);
    r.function("ferrojit._lib.axis_error", "axis, ndim, /", axis_error);
}

fn runtime_error(cx: &mut FnInfer<'_>, args: &mut Args, names: &[&str], func: RuntimeFunc, span: Span) -> Result<Value> {
    let mut values = Vec::new();
    for name in names {
        let x = cx.required_expr(args, name)?;
        if !x.ty.is_integer_like() {
            return Err(cx.typing(x.span, format!("`{name}` must be an integer, not a `{}`", x.ty), None));
        }
        values.push(cx.cast(x, &Type::INT64));
    }
    Ok(Value::Expr(ir::Expr::new(ExprKind::Runtime { func, args: values }, Type::INT64, span)))
}

fn index_error(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    runtime_error(cx, args, &["index", "axis", "size"], RuntimeFunc::INDEX_ERROR, span)
}

fn mask_shape_error(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    runtime_error(cx, args, &["axis", "size", "mask_size"], RuntimeFunc::MASK_SHAPE_ERROR, span)
}

fn axis_error(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    runtime_error(cx, args, &["axis", "ndim"], RuntimeFunc::AXIS_ERROR, span)
}

/// The compile-time shape of an advanced subscript.
struct Advanced {
    /// The view the overload walks, its covered axes first.
    covered: ir::Expr,
    /// The index array: integers, or a boolean mask over the covered axes.
    index: ir::Expr,
    /// The indexed array's axis of the first covered one, for NumPy's error messages.
    axis: i64,
    /// How many result dimensions the index gives: its own for integers, one for a mask.
    index_dims: usize,
    /// Where NumPy puts those dimensions in the result.
    place: usize,
    /// The number of dimensions of the result.
    result_ndim: usize,
}

fn array_type(e: &ir::Expr) -> ArrayType {
    match &e.ty {
        Type::Array(a) => a.clone(),
        _ => unreachable!("an array was checked"),
    }
}

/// The permutation that moves the `count` axes starting at `from` to the front, the others
/// keeping their order.
fn to_front(ndim: usize, from: usize, count: usize) -> Vec<u8> {
    (from..from + count).chain(0..from).chain(from + count..ndim).map(|k| k as u8).collect()
}

/// Its inverse: the first `count` axes go to `to`.
fn from_front(ndim: usize, to: usize, count: usize) -> Vec<u8> {
    (count..count + to).chain(0..count).chain(count + to..ndim).map(|k| k as u8).collect()
}

/// Whether `e` makes a new array (an array expression's result), which shares no memory with
/// any other.
fn is_new_array(e: &ir::Expr) -> bool {
    match &e.kind {
        ExprKind::ArrayNew { .. } => true,
        ExprKind::Block { stmts, value } => match &value.kind {
            ExprKind::Local(made) => stmts.iter().any(|s| matches!(&s.kind, StmtKind::Assign { local, value } if local == made && matches!(value.kind, ExprKind::ArrayNew { .. }))),
            _ => false,
        },
        ExprKind::Transpose { array, .. } | ExprKind::ArrayView { array, .. } => is_new_array(array),
        _ => false,
    }
}

fn permuted_unless_identity(array: ir::Expr, axes: Vec<u8>, span: Span) -> ir::Expr {
    if axes.iter().enumerate().all(|(k, &x)| k == x as usize) {
        array
    } else {
        permuted(array, axes, span)
    }
}

impl FnInfer<'_> {
    /// `array[parts]` with one array item: a new array.
    pub(crate) fn advanced_select(&mut self, array: ir::Expr, parts: Vec<Part>, span: Span) -> Result<ir::Expr> {
        let adv = self.advanced(array, parts, span);
        let axis = ir::Expr::new(ExprKind::Const(Const::Int(adv.axis as i128)), Type::INT64, span);
        let gathered = self.call_internal("ferrojit.select", vec![adv.covered, adv.index, axis], span)?;
        if !matches!(&gathered.ty, Type::Array(r) if r.ndim as usize == adv.result_ndim) {
            return Err(self.internal(span, &format!("`ferrojit.select` gave a `{}`, not a {}-dimensional array", gathered.ty, adv.result_ndim)));
        }
        Ok(permuted_unless_identity(gathered, from_front(adv.result_ndim, adv.place, adv.index_dims), span))
    }

    /// `array[parts] = value` with one array item: a call that writes the selected elements.
    /// An array `value` broadcasts to the shape `array[parts]` has.
    pub(crate) fn advanced_store(&mut self, array: ir::Expr, parts: Vec<Part>, value: ir::Expr, span: Span) -> Result<ir::Expr> {
        let a = array_type(&array);
        let adv = self.advanced(array, parts, span);
        let by_indices = matches!(&adv.index.ty, Type::Array(i) if *i.dtype != Type::Bool);
        let value = match value.ty.clone() {
            // NumPy reads the values before writing through integer indices (a value sharing
            // memory with the target, `a[idx] = a[::-1]`, gives the old elements); a new array
            // cannot share it, another is copied. (Through a mask NumPy writes as it reads.)
            Type::Array(v) if by_indices && !is_new_array(&value) => {
                let copied = self.copy_array(value, (*v.dtype).clone(), Layout::C, false, span)?;
                self.broadcast_value(copied, &adv, span)?
            }
            Type::Array(_) => self.broadcast_value(value, &adv, span)?,
            _ => self.element_value(value, &a, span)?,
        };
        let axis = ir::Expr::new(ExprKind::Const(Const::Int(adv.axis as i128)), Type::INT64, span);
        self.call_internal("ferrojit.assign", vec![adv.covered, adv.index, value, axis], span)
    }

    /// The array `value` with as many dimensions as the selection `adv` (missing leading ones
    /// of length 1, as broadcasting has them), its axes in the order the overload walks the
    /// selection: the index dimensions first.
    fn broadcast_value(&mut self, value: ir::Expr, adv: &Advanced, span: Span) -> Result<ir::Expr> {
        match &value.ty {
            Type::Array(v) => {
                if v.ndim as usize > adv.result_ndim {
                    return Err(self.typing(span, format!("cannot assign a {}-dimensional array to a {}-dimensional selection", v.ndim, adv.result_ndim), Some("index fewer dimensions, or take part of the value")));
                }
                // Missing leading dimensions are length 1, as broadcasting has them; then the
                // value's axes are ordered as the overload walks the selection.
                let missing = adv.result_ndim - v.ndim as usize;
                let value = if missing > 0 {
                    let items = vec![IndexItem::NewAxis; missing];
                    let ty = Type::Array(view_type(v, &items));
                    ir::Expr::new(ExprKind::ArrayView { array: value.boxed(), items }, ty, span)
                } else {
                    value
                };
                Ok(permuted_unless_identity(value, to_front(adv.result_ndim, adv.place, adv.index_dims), span))
            }
            _ => unreachable!("an array value"),
        }
    }

    fn advanced(&mut self, array: ir::Expr, parts: Vec<Part>, span: Span) -> Advanced {
        let a = array_type(&array);
        let at = parts.iter().position(|p| matches!(p, Part::Array(_))).expect("an advanced subscript has an array item");
        let axis: usize = parts[..at].iter().map(Part::dims_consumed).sum();
        let covered_count = parts[at].dims_consumed();
        // The view's axes before the covered ones: those of the slices and new axes before.
        let view_at = parts[..at].iter().filter(|p| matches!(p, Part::Item(IndexItem::Slice { .. } | IndexItem::NewAxis))).count();
        // Integers and the array are the advanced items; any other item between them sends
        // the index dimensions to the front.
        let advanced_at: Vec<usize> = parts.iter().enumerate().filter(|(_, p)| matches!(p, Part::Array(_) | Part::Item(IndexItem::Index(_)))).map(|(k, _)| k).collect();
        let adjacent = advanced_at.last().unwrap() - advanced_at[0] + 1 == advanced_at.len();
        let mut index = None;
        let mut items = Vec::with_capacity(parts.len());
        for p in parts {
            match p {
                Part::Item(item) => items.push(item),
                Part::Array(x) => {
                    items.extend((0..covered_count).map(|_| IndexItem::Slice { start: None, stop: None, step: None }));
                    index = Some(x);
                }
            }
        }
        let index = index.expect("found above");
        let index_type = array_type(&index);
        let index_dims = if *index_type.dtype == Type::Bool { 1 } else { index_type.ndim as usize };
        let whole = items.iter().all(|i| matches!(i, IndexItem::Slice { start: None, stop: None, step: None }));
        let view = if whole {
            array
        } else {
            let ty = Type::Array(view_type(&a, &items));
            ir::Expr::new(ExprKind::ArrayView { array: array.boxed(), items }, ty, span)
        };
        let view_ndim = array_type(&view).ndim as usize;
        let covered = permuted_unless_identity(view, to_front(view_ndim, view_at, covered_count), span);
        Advanced {
            covered,
            index,
            axis: axis as i64,
            index_dims,
            place: if adjacent { view_at } else { 0 },
            result_ndim: view_ndim - covered_count + index_dims,
        }
    }
}
