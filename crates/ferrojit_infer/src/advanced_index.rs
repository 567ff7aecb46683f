//! Subscripts with an array among their items (NumPy's advanced indexing): `a[idx]`,
//! `a[:, idx]`, `a[i, idx]`, `a[1:, mask, ::2]`, and assignments through them.
//!
//! The structure is settled here, at compile time; the loops are Python overloads of
//! `ferrojit.select` / `ferrojit.assign` (`ferrojit/_lib/indexing.py`). The basic items make a
//! view of the array whose axes the index arrays cover come first, in the order of the arrays
//! (`covered`); the overload gathers from (or scatters into) that view along its first axes,
//! giving a C-ordered result of shape `index dimensions + remaining view dimensions` (two or
//! more integer arrays broadcast together into the index dimensions); a transposed view of
//! that result puts the index dimensions where NumPy does.
//!
//! A boolean mask among other index arrays stands for the integer arrays of its `nonzero()`,
//! and a boolean scalar or 0-d boolean array for a new axis indexed by `[0]` (true) or `[]`
//! (false), as NumPy has them; the overload makes those arrays.
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
/// size)`, `ferrojit._lib.mask_shape_error(axis, size, mask_size)`,
/// `ferrojit._lib.axis_error(axis, ndim)`, `ferrojit._lib.reduction_shape_error(kind, x, y)`,
/// `ferrojit._lib.index_broadcast_error()`,
/// `ferrojit._lib.value_shape_error(place, index_dims, missing)` and
/// `ferrojit._lib.mask_value_count_error(values, selected)` (compiled code has no string
/// formatting). The last two name shapes recorded just before with
/// `ferrojit._lib.message_shape()` (a new shape) and `ferrojit._lib.message_dim(d)` (its next
/// dimension). Each returns 0; the error calls never return normally.
pub(crate) fn register(r: &mut Registry) {
    r.function("ferrojit._lib.index_error", "index, axis, size, /", index_error);
    r.function("ferrojit._lib.mask_shape_error", "axis, size, mask_size, /", mask_shape_error);
    r.function("ferrojit._lib.message_shape", "", message_shape);
    r.function("ferrojit._lib.message_dim", "dim, /", message_dim);
    r.function("ferrojit._lib.index_broadcast_error", "", index_broadcast_error);
    r.function("ferrojit._lib.value_shape_error", "place, index_dims, missing, /", value_shape_error);
    r.function("ferrojit._lib.mask_value_count_error", "values, selected, /", mask_value_count_error);
    r.function("ferrojit._lib.axis_error", "axis, ndim, /", axis_error);
    r.function("ferrojit._lib.reduction_shape_error", "kind, x, y, /", reduction_shape_error);
}

pub(crate) fn runtime_call(cx: &mut FnInfer<'_>, args: &mut Args, names: &[&str], func: RuntimeFunc, span: Span) -> Result<Value> {
    let mut values = Vec::new();
    for &name in names {
        let x = cx.required_expr(args, name)?;
        if !x.ty.is_integer_like() {
            return Err(cx.typing(x.span, format!("`{name}` must be an integer, not a `{}`", x.ty), None));
        }
        values.push(cx.cast(x, &Type::INT64));
    }
    Ok(Value::Expr(ir::Expr::new(ExprKind::Runtime { func, args: values }, Type::INT64, span)))
}

fn index_error(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    runtime_call(cx, args, &["index", "axis", "size"], RuntimeFunc::INDEX_ERROR, span)
}

fn mask_shape_error(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    runtime_call(cx, args, &["axis", "size", "mask_size"], RuntimeFunc::MASK_SHAPE_ERROR, span)
}

fn message_shape(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    runtime_call(cx, args, &[], RuntimeFunc::MESSAGE_SHAPE, span)
}

fn message_dim(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    runtime_call(cx, args, &["dim"], RuntimeFunc::MESSAGE_DIM, span)
}

fn index_broadcast_error(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    runtime_call(cx, args, &[], RuntimeFunc::INDEX_BROADCAST_ERROR, span)
}

fn value_shape_error(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    runtime_call(cx, args, &["place", "index_dims", "missing"], RuntimeFunc::VALUE_SHAPE_ERROR, span)
}

fn mask_value_count_error(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    runtime_call(cx, args, &["values", "selected"], RuntimeFunc::MASK_VALUE_COUNT_ERROR, span)
}

fn axis_error(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    runtime_call(cx, args, &["axis", "ndim"], RuntimeFunc::AXIS_ERROR, span)
}

fn reduction_shape_error(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    runtime_call(cx, args, &["kind", "x", "y"], RuntimeFunc::REDUCTION_SHAPE_ERROR, span)
}

/// The compile-time shape of an advanced subscript.
struct Advanced {
    /// The view the overload walks, its covered axes first (in the order of the index arrays).
    covered: ir::Expr,
    /// The index array (integers, or a boolean mask over the covered axes) when it is the
    /// only one; else the tuple of the index arrays and boolean scalars, in order.
    index: ir::Expr,
    /// For NumPy's error messages: the indexed array's (first) axis of the one index array;
    /// or, with a tuple, the indexed array's axis of each covered axis (a mask covers as many
    /// as it has dimensions).
    axis: ir::Expr,
    /// How many result dimensions the index gives: its own for integers (the most of any
    /// array when several broadcast together), one for a mask.
    index_dims: usize,
    /// Where NumPy puts those dimensions in the result.
    place: usize,
    /// The number of dimensions of the result.
    result_ndim: usize,
}

fn int_const(value: usize, span: Span) -> ir::Expr {
    ir::Expr::new(ExprKind::Const(Const::Int(value as i128)), Type::INT64, span)
}

fn tuple_of(items: Vec<ir::Expr>, span: Span) -> ir::Expr {
    let ty = Type::Tuple(items.iter().map(|e| e.ty.clone()).collect());
    ir::Expr::new(ExprKind::Tuple(items), ty, span)
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

/// The permutation that moves the axes `first` (in that order) to the front, the others
/// keeping their order.
fn these_to_front(ndim: usize, first: &[usize]) -> Vec<u8> {
    first.iter().copied().chain((0..ndim).filter(|k| !first.contains(k))).map(|k| k as u8).collect()
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
        ExprKind::Transpose { array, .. } | ExprKind::ArrayView { array, .. } | ExprKind::FieldView { array, .. } => is_new_array(array),
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
        let gathered = self.call_internal("ferrojit.select", vec![adv.covered, adv.index, adv.axis], span)?;
        if !matches!(&gathered.ty, Type::Array(r) if r.ndim as usize == adv.result_ndim) {
            return Err(self.internal(span, &format!("`ferrojit.select` gave a `{}`, not a {}-dimensional array", gathered.ty, adv.result_ndim)));
        }
        Ok(permuted_unless_identity(gathered, from_front(adv.result_ndim, adv.place, adv.index_dims), span))
    }

    /// `array[parts] = value` with one array item: a call that writes the selected elements.
    /// An array `value` broadcasts to the shape `array[parts]` has.
    pub(crate) fn advanced_store(&mut self, array: ir::Expr, parts: Vec<Part>, value: ir::Expr, span: Span) -> Result<ir::Expr> {
        let a = array_type(&array);
        // `a[mask]` with a mask over every axis: NumPy's own path, with its own messages.
        let whole_mask = matches!(parts.as_slice(), [Part::Array(m)] if matches!(&m.ty, Type::Array(m) if *m.dtype == Type::Bool && m.ndim == a.ndim));
        let adv = self.advanced(array, parts, span);
        let by_indices = !matches!(&adv.index.ty, Type::Array(i) if *i.dtype == Type::Bool);
        // For the message of a value of the wrong shape: how the value's axes, as the
        // overload walks them, go back to NumPy's order, how many leading length-1 axes were
        // added to it, and whether NumPy's path for a mask over every axis words it.
        let missing = match &value.ty {
            Type::Array(v) => adv.result_ndim.saturating_sub(v.ndim as usize),
            _ => 0,
        };
        let value_layout = tuple_of(vec![int_const(adv.place, span), int_const(adv.index_dims, span), int_const(missing, span), int_const(whole_mask as usize, span)], span);
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
        self.call_internal("ferrojit.assign", vec![adv.covered, adv.index, value, adv.axis, value_layout], span)
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
        // The indexed array's axis of each axis the index arrays cover, for messages (a mask
        // covers as many as it has dimensions), and the covered axes in the view the basic
        // items make (integers drop their axis from it; slices and new axes keep or add one;
        // a boolean scalar adds the new axis it indexes).
        let mut axes = Vec::new();
        let mut covered_axes = Vec::new();
        let (mut axis, mut view_axis) = (0usize, 0usize);
        for p in &parts {
            match p {
                Part::Array(_) => {
                    let consumed = p.dims_consumed();
                    axes.extend(axis..axis + consumed);
                    covered_axes.extend(view_axis..view_axis + consumed);
                    view_axis += consumed;
                }
                Part::Bool(_) => {
                    axes.push(axis);
                    covered_axes.push(view_axis);
                    view_axis += 1;
                }
                Part::Item(IndexItem::Slice { .. } | IndexItem::NewAxis) => view_axis += 1,
                Part::Item(IndexItem::Index(_)) => {}
            }
            axis += p.dims_consumed();
        }
        // Integers and arrays are the advanced items; any other item between them sends the
        // index dimensions to the front.
        let advanced_at: Vec<usize> = parts.iter().enumerate().filter(|(_, p)| matches!(p, Part::Array(_) | Part::Bool(_) | Part::Item(IndexItem::Index(_)))).map(|(k, _)| k).collect();
        let adjacent = advanced_at.last().unwrap() - advanced_at[0] + 1 == advanced_at.len();
        // The index dimensions: those of the integer arrays, broadcast together (as many as
        // the longest has); a mask among them stands for its `nonzero()` (one dimension),
        // and so does a boolean scalar (`[0]` or `[]`).
        let index_dims = parts
            .iter()
            .map(|p| match p {
                Part::Array(x) => match &x.ty {
                    Type::Array(i) if *i.dtype != Type::Bool => i.ndim as usize,
                    _ => 1,
                },
                Part::Bool(_) => 1,
                Part::Item(_) => 0,
            })
            .max()
            .unwrap_or(0);
        // One array alone goes to the overload as it is; several, or a boolean scalar, as a
        // tuple, whose masks and booleans the overload turns into integer arrays.
        let alone = matches!(parts.iter().filter(|p| !matches!(p, Part::Item(_))).collect::<Vec<_>>().as_slice(), [Part::Array(_)]);
        let mut indices = Vec::new();
        let mut items = Vec::with_capacity(parts.len());
        for p in parts {
            let consumed = p.dims_consumed();
            match p {
                Part::Item(item) => items.push(item),
                Part::Array(x) => {
                    items.extend((0..consumed).map(|_| IndexItem::Slice { start: None, stop: None, step: None }));
                    indices.push(x);
                }
                Part::Bool(b) => {
                    items.push(IndexItem::NewAxis);
                    indices.push(b);
                }
            }
        }
        let whole = items.iter().all(|i| matches!(i, IndexItem::Slice { start: None, stop: None, step: None }));
        let view = if whole {
            array
        } else {
            let ty = Type::Array(view_type(&a, &items));
            ir::Expr::new(ExprKind::ArrayView { array: array.boxed(), items }, ty, span)
        };
        let view_ndim = array_type(&view).ndim as usize;
        let covered = permuted_unless_identity(view, these_to_front(view_ndim, &covered_axes), span);
        let (index, axis) = if alone {
            (indices.pop().expect("one array"), int_const(axes[0], span))
        } else {
            (tuple_of(indices, span), tuple_of(axes.iter().map(|&k| int_const(k, span)).collect(), span))
        };
        Advanced {
            covered,
            index,
            axis,
            index_dims,
            place: if adjacent { covered_axes[0] } else { 0 },
            result_ndim: view_ndim - covered_axes.len() + index_dims,
        }
    }
}
