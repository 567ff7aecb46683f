//! Typing NumPy arrays: subscripts (elements and views) and stores; and the registry
//! entries (`register`) of array creation (`np.zeros`, ...), array methods (`a.sum()`, also
//! reached as `np.sum(a)`) and array attributes (`a.shape`), with their building functions.
//!
//! A view keeps the C or F layout only when the subscript provably selects contiguous memory
//! (leading integer indices then one step-1 slice for C; the mirror for F); otherwise it is `A`.

use crate::bind::Args;
use crate::registry::{self, Build, BuildMethod, Registry};
use crate::expr::Value;
use crate::function::{FnInfer, Result};
use ferrojit_ir::{self as ir, ArrayAttr, Const, ExprKind, IndexItem, StmtKind};
use ferrojit_syntax::ast::{self, Span};
use ferrojit_types::{ArrayType, Layout, Type};

impl FnInfer<'_> {
    /// The items of `a[index]`, each typed once, with `...` expanded into the whole dimensions
    /// the other items leave.
    pub(crate) fn subscript_parts(&mut self, index: &ast::Expr, a: &ArrayType, span: Span) -> Result<Subscript> {
        let written: Vec<&ast::Expr> = match &index.kind {
            ast::ExprKind::Tuple(items) => items.iter().collect(),
            _ => vec![index],
        };
        let single = written.len() == 1;
        let mut parts = Vec::new();
        let mut ellipsis = None;
        let mut zero_dim_index = false;
        for p in written {
            parts.push(match &p.kind {
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
                                Ok(Some(self.slice_bound(x, e.span)?))
                            }
                        }
                    };
                    Part::Item(IndexItem::Slice { start: bound(lower)?, stop: bound(upper)?, step: bound(step)? })
                }
                ast::ExprKind::Ellipsis => {
                    if ellipsis.is_some() {
                        return Err(self.typing(p.span, "an index can only have a single ellipsis ('...')", None));
                    }
                    ellipsis = Some(parts.len());
                    continue;
                }
                _ => {
                    // `None` (`np.newaxis`) adds a dimension.
                    let x = self.expr(p)?;
                    let integer_or_array = |t: &Type| matches!(t, Type::Int(_) | Type::Bool) || matches!(t, Type::Array(i) if matches!(*i.dtype, Type::Int(_) | Type::Bool));
                    if single && matches!(&x.ty, Type::Tuple(ts) if ts.iter().all(integer_or_array)) {
                        // `a[idx]` with a tuple of integers (`for idx in np.ndindex(a.shape)`)
                        // or of index arrays (or booleans) held in a value: as `a[i, j]`.
                        for i in self.tuple_items(x, p.span) {
                            parts.push(self.index_part(i, p.span, &mut zero_dim_index)?);
                        }
                        continue;
                    }
                    self.index_part(x, p.span, &mut zero_dim_index)?
                }
            });
        }
        let consumed: usize = parts.iter().map(Part::dims_consumed).sum();
        if consumed > a.ndim as usize {
            return Err(self.typing(span, format!("too many indices: the array is {}-dimensional, but {} were given", a.ndim, consumed), None));
        }
        if let Some(at) = ellipsis {
            let whole = || Part::Item(IndexItem::Slice { start: None, stop: None, step: None });
            parts.splice(at..at, (consumed..a.ndim as usize).map(|_| whole()));
        }
        Ok(Subscript { parts, ellipsis: ellipsis.is_some(), zero_dim_index })
    }

    /// One item of a subscript that is neither a slice nor `...`: `None`, an integer, or an
    /// index array. A 0-d integer array is the integer it holds (`zero_dim_index` is set).
    fn index_part(&mut self, x: ir::Expr, span: Span, zero_dim_index: &mut bool) -> Result<Part> {
        Ok(match &x.ty {
            Type::NoneType => Part::Item(IndexItem::NewAxis),
            Type::Array(index) if index.ndim == 0 && matches!(*index.dtype, Type::Int(_)) => {
                // NumPy 2 takes a 0-d integer array as the integer it holds (its place among
                // arrays, its bounds check), but what it selects is a copy, never a view.
                *zero_dim_index = true;
                let dtype = (*index.dtype).clone();
                let held = ir::Expr::new(ExprKind::ArrayGet { array: x.boxed(), indices: vec![] }, dtype, span);
                Part::Item(IndexItem::Index(self.index_value(held, span)?))
            }
            Type::Array(index) if index.ndim == 0 && *index.dtype == Type::Bool => {
                let held = ir::Expr::new(ExprKind::ArrayGet { array: x.boxed(), indices: vec![] }, Type::Bool, span);
                Part::Bool(held)
            }
            Type::Bool => Part::Bool(x),
            Type::Array(index) if matches!(*index.dtype, Type::Int(_) | Type::Bool) => Part::Array(x),
            Type::Array(_) => {
                return Err(self.typing(span, format!("arrays used as indices must be of integer (or boolean) type, not `{}`", x.ty), None));
            }
            _ => Part::Item(IndexItem::Index(self.index_value(x, span)?)),
        })
    }

    fn index_value(&mut self, x: ir::Expr, span: Span) -> Result<ir::Expr> {
        match &x.ty {
            Type::Int(_) => Ok(self.cast(x, &Type::INT64)),
            other => Err(self.typing(span, format!("array indices must be integers or slices, not `{other}`"), None)),
        }
    }

    /// A slice's start, stop or step as an int64. Python clamps a bound beyond the largest
    /// int64 to it (`a[2**63:]` is empty), which a uint64 of 2**63 or more needs: converted as
    /// it is, it would be negative.
    fn slice_bound(&mut self, x: ir::Expr, span: Span) -> Result<ir::Expr> {
        if x.ty != Type::UINT64 {
            return self.index_value(x, span);
        }
        let local = self.temp(Type::UINT64);
        let held = || ir::Expr::new(ExprKind::Local(local), Type::UINT64, span);
        let largest = |ty: Type| ir::Expr::new(ExprKind::Const(Const::Int(i64::MAX as i128)), ty, span);
        let beyond = ir::Expr::new(ExprKind::Compare { op: ast::CmpOp::Gt, lhs: held().boxed(), rhs: largest(Type::UINT64).boxed() }, Type::Bool, span);
        let clamped = ir::Expr::new(ExprKind::IfExp { cond: beyond.boxed(), then: largest(Type::INT64).boxed(), otherwise: self.cast(held(), &Type::INT64).boxed() }, Type::INT64, span);
        Ok(ir::Expr::new(ExprKind::Let { local, value: x.boxed(), body: clamped.boxed() }, Type::INT64, span))
    }

    /// `array[index]`: an element, a view, or (with an array among the items) a new array.
    pub(crate) fn array_subscript(&mut self, array: ir::Expr, index: &ast::Expr, span: Span) -> Result<ir::Expr> {
        if let ast::ExprKind::Str(name) = &index.kind {
            return self.record_field(array, name, false, span);
        }
        let a = array_type(&array);
        let subscript = self.subscript_parts(index, &a, span)?;
        if subscript.has_array() {
            return self.advanced_select(array, subscript.parts, span);
        }
        let copied = subscript.zero_dim_index;
        let items = match element_indices(subscript, a.ndim) {
            Ok(indices) => return Ok(element_at(array, indices, span)),
            Err(items) => items,
        };
        let view_ty = view_type(&a, &items);
        let view = ir::Expr::new(ExprKind::ArrayView { array: array.boxed(), items }, Type::Array(view_ty.clone()), span);
        if copied {
            // In NumPy's memory order, as its copy keeps it.
            return self.copy_array(view, (*view_ty.dtype).clone(), keep_order(&view_ty), false, span);
        }
        Ok(view)
    }

    /// A field of a structured array, `a['x']` (`attribute`: `r.x`): a view of that field of
    /// every record, or for one record (a 0-d structured array, `a[i]`) the field's value, as
    /// NumPy's `np.void` gives it. A 0-d structured array passed in is taken as one record too.
    pub(crate) fn record_field(&mut self, array: ir::Expr, name: &str, attribute: bool, span: Span) -> Result<ir::Expr> {
        let Type::Array(a) = array.ty.clone() else {
            return Err(self.typing(span, format!("a `{}` cannot be indexed by a string", array.ty), Some("only fields of structured arrays are indexed by name")));
        };
        let Type::Record(record) = &*a.dtype else {
            return Err(self.typing(span, format!("only structured arrays have fields; `['{name}']` of a `{}`", array.ty), None));
        };
        let Some(field) = record.field(name) else {
            let names: Vec<&str> = record.fields.iter().map(|f| f.name.as_str()).collect();
            return Err(self.typing(span, format!("no field of name {name}"), Some(&format!("the fields are {}", names.join(", ")))));
        };
        if attribute && a.ndim > 0 {
            return Err(self.typing(span, format!("an array has no attribute `{name}`"), Some(&format!("read the field of every record with `a['{name}']`, or of one with `a[i].{name}`"))));
        }
        Ok(field_of(array, field, span))
    }

    /// `array[index] = value`, `value` a scalar or an array.
    pub(crate) fn array_store(&mut self, array: ir::Expr, index: &ast::Expr, value: ir::Expr, span: Span) -> Result<ir::Stmt> {
        let a = array_type(&array);
        if a.readonly {
            return Err(self.typing(span, format!("cannot write to a read-only array (`{}`)", array.ty), Some("copy it first with `.copy()`")));
        }
        if let ast::ExprKind::Str(name) = &index.kind {
            return self.record_field_store(array, name, value, span);
        }
        let subscript = self.subscript_parts(index, &a, span)?;
        if subscript.has_array() {
            let call = self.advanced_store(array, subscript.parts, value, span)?;
            return Ok(ir::Stmt { kind: StmtKind::Expr(call), span });
        }
        if matches!(value.ty, Type::Array(_)) {
            // `a[1:-1] = b[:-2] + b[2:]`: a view of the target, filled element-wise.
            let items = match element_indices(subscript, a.ndim) {
                Ok(_) => return Err(self.typing(span, "cannot assign an array to a single element", Some("index fewer dimensions, or take an element of the value"))),
                Err(items) => items,
            };
            let ty = Type::Array(view_type(&a, &items));
            let view = ir::Expr::new(ExprKind::ArrayView { array: array.boxed(), items }, ty, span);
            return self.assign_array_into(view, value, span);
        }
        let value = self.element_value(value, &a, span)?;
        let items = match element_indices(subscript, a.ndim) {
            Ok(indices) => return Ok(ir::Stmt { kind: StmtKind::ArrayStore { array, indices, value }, span }),
            Err(items) => items,
        };
        let ty = Type::Array(view_type(&a, &items));
        let view = ir::Expr::new(ExprKind::ArrayView { array: array.boxed(), items }, ty, span);
        Ok(ir::Stmt { kind: StmtKind::ArrayFill { array: view, value }, span })
    }

    /// `a['x'] = value`, `r['x'] = value`, `r.x = value`: the value (a scalar, or an array
    /// broadcast to the field's view) written into that field of every record.
    pub(crate) fn record_field_store(&mut self, array: ir::Expr, name: &str, value: ir::Expr, span: Span) -> Result<ir::Stmt> {
        let field = self.record_field(array, name, false, span)?;
        let view = match field.kind {
            ExprKind::ArrayGet { array, .. } => *array,
            _ => field,
        };
        if matches!(value.ty, Type::Array(_)) {
            return self.assign_array_into(view, value, span);
        }
        let value = self.element_value(value, &array_type(&view), span)?;
        Ok(ir::Stmt { kind: StmtKind::ArrayFill { array: view, value }, span })
    }

    /// Converts a scalar to the array's element type, as NumPy's assignment casts.
    pub(crate) fn element_value(&mut self, value: ir::Expr, a: &ArrayType, span: Span) -> Result<ir::Expr> {
        if crate::datetimes::is_time(&a.dtype) || crate::datetimes::is_time(&value.ty) {
            return self.time_element(value, &a.dtype, span);
        }
        if matches!(*a.dtype, Type::Record(_)) && value.ty.is_number() {
            // Every field takes the number (`a[...] = 0`, `a.fill(1)`), cast field by field.
            return Ok(value);
        }
        let ok = value.ty.is_number() && (matches!(*a.dtype, Type::Complex(_)) || !matches!(value.ty, Type::Complex(_)));
        if !ok {
            return Err(self.typing(span, format!("cannot store a `{}` into an array of `{}`", value.ty, a.dtype), Some("assign a scalar of a compatible type (array-to-array assignment is not supported yet)")));
        }
        Ok(self.cast(value, &a.dtype))
    }

    pub(crate) fn array_len(&self, array: ir::Expr, span: Span) -> Result<ir::Expr> {
        if matches!(&array.ty, Type::Array(a) if a.ndim == 0) {
            return Err(self.typing(span, "`len()` of a 0-dimensional array", None));
        }
        Ok(ir::Expr::new(ExprKind::ArrayAttr { array: array.boxed(), attr: ArrayAttr::Dim(0) }, Type::INT64, span))
    }
}

/// The integer indices when `items` name one element (an integer per dimension), else the
/// items back (a view).
/// One item of an array subscript: a basic one, or an array (integers or a boolean mask).
pub(crate) enum Part {
    Item(IndexItem),
    Array(ir::Expr),
    /// A boolean scalar or 0-d boolean array (`a[True]`, `a[np.array(False)]`), held as a
    /// `bool`: NumPy adds a new axis there and indexes it with `[0]` when true, `[]` when
    /// false (an advanced index of length 1 or 0 that uses no axis of the array).
    Bool(ir::Expr),
}

impl Part {
    /// How many dimensions of the indexed array the item stands for: a boolean mask, as many
    /// as it has; `None` none.
    pub(crate) fn dims_consumed(&self) -> usize {
        match self {
            Part::Item(IndexItem::NewAxis) | Part::Bool(_) => 0,
            Part::Item(_) => 1,
            Part::Array(x) => match &x.ty {
                Type::Array(m) if *m.dtype == Type::Bool => m.ndim as usize,
                _ => 1,
            },
        }
    }
}

/// The typed items of a subscript, `...` already expanded.
pub(crate) struct Subscript {
    pub(crate) parts: Vec<Part>,
    /// Whether `...` was written: `a[0, ...]` is a 0-dimensional view, not an element.
    pub(crate) ellipsis: bool,
    /// Whether a 0-d integer array stands among the (integer) items: a view becomes a copy.
    pub(crate) zero_dim_index: bool,
}

impl Subscript {
    fn has_array(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, Part::Array(_) | Part::Bool(_)))
    }
}

/// The indices of an element when the subscript names one (an integer per dimension and no
/// `...`); otherwise the items of a view. The subscript has no array items.
fn element_indices(subscript: Subscript, ndim: u8) -> std::result::Result<Vec<ir::Expr>, Vec<IndexItem>> {
    let items: Vec<IndexItem> = subscript
        .parts
        .into_iter()
        .map(|p| match p {
            Part::Item(item) => item,
            Part::Array(_) | Part::Bool(_) => unreachable!("subscripts with arrays are advanced"),
        })
        .collect();
    if subscript.ellipsis || items.len() != ndim as usize || !items.iter().all(|i| matches!(i, IndexItem::Index(_))) {
        return Err(items);
    }
    Ok(items
        .into_iter()
        .map(|i| match i {
            IndexItem::Index(e) => e,
            IndexItem::Slice { .. } | IndexItem::NewAxis => unreachable!("checked above"),
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
    let added = items.iter().filter(|i| matches!(i, IndexItem::NewAxis)).count();
    if added > 0 {
        // New axes have stride 0: the view walks its memory by its strides (layout A).
        let ndim = a.ndim + added as u8 - dropped as u8;
        return a.with(ndim, if ndim == 0 { Layout::C } else { Layout::A });
    }
    let ndim = a.ndim - dropped as u8;
    let full = |i: &IndexItem| matches!(i, IndexItem::Slice { start: None, stop: None, step: None });
    let unit_step = |i: &IndexItem| match i {
        IndexItem::Slice { step: None, .. } => true,
        IndexItem::Slice { step: Some(s), .. } => matches!(s.kind, ExprKind::Const(Const::Int(1))),
        IndexItem::Index(_) | IndexItem::NewAxis => false,
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

/// Reductions: of the whole array, or along one axis.
const SUM: &str = "axis=None, dtype=None, ~out=None, *, keepdims=False, ~initial=None, ~where=True";
const MIN_MAX: &str = "axis=None, ~out=None, *, keepdims=False, ~initial=None, ~where=True";
const MEAN: &str = "axis=None, dtype=None, ~out=None, *, keepdims=False, ~where=True";

/// Adds `np.empty` (NumPy's other array-creating functions are written in Python on top of it
/// and `a.fill`: `python/ferrojit/_lib/creation.py`), the array methods (and the NumPy
/// functions that are methods of their first argument) and the array attributes to the
/// registry.
pub(crate) fn register(r: &mut Registry) {
    r.function("numpy.empty", "shape, dtype=None, order='C', *, device=None, like=None", empty);
    r.function("ferrojit._lib.zeros", "shape, dtype=None, order='C', *, device=None, like=None", zeros);

    r.method("ndarray.sum", SUM, sum);
    r.method("ndarray.prod", SUM, prod);
    r.method("ndarray.min", MIN_MAX, min);
    r.method("ndarray.max", MIN_MAX, max);
    r.method("ndarray.mean", MEAN, mean);
    r.method("ndarray.item", "*args", item);
    r.method("ndarray.fill", "value", fill);
    r.method("ndarray.copy", "~order='C'", copy);
    r.method("ndarray.flatten", "~order='C'", flatten);
    r.method("ndarray.astype", "dtype, ~order='K', ~casting='unsafe', ~subok=True, ~copy=True", astype);
    r.method("ndarray.reshape", "*shape, ~order='C', ~copy=None", reshape);
    r.method("ndarray.ravel", "~order='C'", ravel);
    r.method("ndarray.transpose", "*axes", transpose);
    r.method("ndarray.view", "dtype", view);

    r.array_function("numpy.sum", "a, axis=None, dtype=None, ~out=None, keepdims=False, ~initial=None, ~where=True", sum);
    r.array_function("numpy.prod", "a, axis=None, dtype=None, ~out=None, keepdims=False, ~initial=None, ~where=True", prod);
    for (name, build) in [("numpy.min", min as BuildMethod), ("numpy.amin", min), ("numpy.max", max), ("numpy.amax", max)] {
        r.array_function(name, "a, axis=None, ~out=None, keepdims=False, ~initial=None, ~where=True", build);
    }
    r.array_function("numpy.mean", "a, axis=None, dtype=None, ~out=None, keepdims=False, *, ~where=True", mean);
    r.array_function("numpy.copy", "a, ~order='K', ~subok=False", copy_keeping_order);
    r.array_function("numpy.ravel", "a, ~order='C'", ravel);
    r.array_function("numpy.reshape", "a, /, shape, ~order='C', *, ~copy=None", reshape);
    r.array_function("numpy.transpose", "a, axes=None", transpose);

    r.function("numpy.dtype", "dtype, /, align=False, copy=False", np_dtype);

    r.attribute("ndarray.shape", shape);
    r.attribute("ndarray.size", size);
    r.attribute("ndarray.ndim", ndim);
    r.attribute("ndarray.dtype", dtype);
    r.attribute("ndarray.itemsize", itemsize);
    r.attribute("ndarray.strides", strides);
    r.attribute("ndarray.real", real);
    r.attribute("ndarray.imag", imag);
    r.attribute("ndarray.nbytes", nbytes);
    r.attribute("ndarray.T", transposed);
}

/// The type of an array expression.
fn array_type(array: &ir::Expr) -> ArrayType {
    match &array.ty {
        Type::Array(a) => a.clone(),
        _ => unreachable!("an array member of a non-array"),
    }
}

impl FnInfer<'_> {
    /// A dtype argument: `np.float32`, `float`/`int`/`bool`/`complex`, a name like
    /// `"float32"`, or `a.dtype`.
    pub(crate) fn dtype_arg(&self, v: &Value, span: Span) -> Result<Type> {
        let from_name = |name: &str| Type::from_name(name).filter(|t| t.is_number()).or_else(|| crate::datetimes::time_type_named(name));
        let ty = match v {
            Value::DType(t) => Some(t.clone()),
            // `types.float64` (Numba accepts its types as dtypes).
            Value::Global(crate::GlobalValue::Type(t)) if t.is_number() => Some(t.clone()),
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
        ty.ok_or_else(|| {
            let multiplied = if let Value::Str(s) = v { crate::datetimes::multiplied_unit_error(self, s, span) } else { None };
            multiplied.unwrap_or_else(|| self.typing(span, "unsupported `dtype`", Some("pass a NumPy scalar type such as `np.float64`, a Python `float`/`int`/`bool`/`complex`, or `a.dtype`")))
        })
    }

    /// A dtype argument naming a number type (a reduction's or a ufunc's `dtype=`): NumPy's
    /// `TypeError` for a time or structured dtype, which selects no loop of a ufunc.
    pub(crate) fn number_dtype_arg(&self, v: &Value, span: Span) -> Result<Type> {
        let ty = self.dtype_arg(v, span)?;
        if !ty.is_number() {
            return Err(self.typing(span, format!("The `dtype` and `signature` arguments to ufuncs only select the general DType and not details such as the byte order or time unit (`{ty}` given)"), Some("compute in a number type, then convert with `astype`")));
        }
        Ok(ty)
    }

    /// The `dtype` argument if given and not None, else `default`.
    fn dtype_or(&self, args: &mut Args, default: impl FnOnce() -> Type) -> Result<Type> {
        match args.take_spanned("dtype") {
            Some((Value::Expr(e), _)) if e.ty == Type::NoneType => Ok(default()),
            Some((v, at)) => self.dtype_arg(&v, at),
            None => Ok(default()),
        }
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

    /// A new array of `dtype` and `shape` in `layout` (C or F), initialised by
    /// `init(array local)`.
    fn new_array_in(&mut self, dtype: Type, shape: Vec<ir::Expr>, layout: Layout, zeroed: bool, span: Span, init: impl FnOnce(&mut Self, usize) -> Result<Vec<ir::Stmt>>) -> Result<ir::Expr> {
        let ty = Type::Array(ArrayType::new(dtype, shape.len() as u8, layout));
        let mut stmts = Vec::new();
        if let Some((tmp, tuple)) = self.pending_shape.take() {
            stmts.push(ir::Stmt { kind: StmtKind::Assign { local: tmp, value: tuple }, span });
        }
        let local = self.temp(ty.clone());
        let new = ir::Expr::new(ExprKind::ArrayNew { shape, zeroed }, ty.clone(), span);
        stmts.push(ir::Stmt { kind: StmtKind::Assign { local, value: new }, span });
        stmts.extend(init(self, local)?);
        Ok(ir::Expr::new(ExprKind::Block { stmts, value: self.local_expr(local, span).boxed() }, ty, span))
    }
}

// ---- creation ------------------------------------------------------------------------------

/// `np.empty(shape, dtype, order)`: a new array of the `shape` argument (an integer or a tuple
/// of integers; a negative dimension raises NumPy's `ValueError` when the call runs), of the
/// `dtype` argument or else float64, in C order or, with `order='F'`, Fortran order, its
/// elements not initialised. `device=` may be None or `"cpu"`, NumPy's only device, and
/// `like=` None.
fn empty(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    new_array(cx, args, false, span)
}

/// `ferrojit._lib.zeros(shape, dtype, order)`: `np.empty`'s array, its elements zero (the
/// library's `np.zeros`).
fn zeros(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    new_array(cx, args, true, span)
}

/// `np.empty` and the library's `zeros`: a new array, zeroed or not.
fn new_array(cx: &mut FnInfer<'_>, args: &mut Args, zeroed: bool, span: Span) -> Result<Value> {
    let shape = args.required("shape");
    let dtype = cx.dtype_or(args, || Type::FLOAT64)?;
    let fortran = match args.take_spanned("order") {
        None => false,
        Some((Value::Expr(e), _)) if e.ty == Type::NoneType => false,
        Some((Value::Str(s), _)) if s.eq_ignore_ascii_case("C") => false,
        Some((Value::Str(s), _)) if s.eq_ignore_ascii_case("F") => true,
        Some((_, at)) => return Err(cx.typing(at, "`order=` of `np.empty()` must be one of 'C', 'F'", Some("write the order as a constant string, such as `order='F'`"))),
    };
    match args.take_spanned("device") {
        None => {}
        Some((Value::Expr(e), _)) if e.ty == Type::NoneType => {}
        Some((Value::Str(s), _)) if s == "cpu" => {}
        Some((_, at)) => return Err(cx.typing(at, "`device=` of `np.empty()` must be None or \"cpu\"", Some("NumPy arrays live on the CPU only"))),
    }
    match args.take_spanned("like") {
        None => {}
        Some((Value::Expr(e), _)) if e.ty == Type::NoneType => {}
        Some((_, at)) => return Err(cx.unsupported(at, "`np.empty(like=...)` is not supported in compiled code yet", Some("only `like=None` is"))),
    }
    let shape = cx.shape_arg(shape, span)?;
    // One dimension or none: the two orders are the same memory, typed C.
    let layout = if fortran && shape.len() > 1 { Layout::F } else { Layout::C };
    cx.new_array_in(dtype, shape, layout, zeroed, span, |_, _| Ok(vec![])).map(Value::Expr)
}

fn int_const(v: i128, span: Span) -> ir::Expr {
    ir::Expr::new(ExprKind::Const(Const::Int(v)), Type::INT64, span)
}

// ---- methods -------------------------------------------------------------------------------

/// A reduction to values of type `ty`: of the whole array (a scalar), or along `axis=` (an
/// array, `keepdims=` keeping the reduced dimension as length 1).
fn reduce(cx: &mut FnInfer<'_>, array: ir::Expr, op: ir::ReduceOp, ty: Type, args: &mut Args, span: Span) -> Result<ir::Expr> {
    let callee = args.callee;
    let a = array_type(&array);
    if matches!(*a.dtype, Type::Complex(_)) && matches!(op, ir::ReduceOp::Min | ir::ReduceOp::Max) {
        return Err(cx.typing(span, format!("`{callee}()` of a complex array is not supported"), None));
    }
    let time = crate::datetimes::is_time(&a.dtype) && (matches!(op, ir::ReduceOp::Min | ir::ReduceOp::Max) || (op == ir::ReduceOp::Sum && matches!(*a.dtype, Type::Timedelta(_))));
    if !a.dtype.is_number() && !time {
        return Err(cx.unsupported(span, format!("`{callee}()` of an array of `{}` is not supported yet", a.dtype), Some("loop over the elements")));
    }
    let keepdims = match args.take("keepdims") {
        None => false,
        Some(Value::Expr(ir::Expr { kind: ExprKind::Const(Const::Bool(b)), .. })) => b,
        Some(_) => return Err(cx.typing(span, format!("`keepdims=` of `{callee}()` must be written `True` or `False`"), Some("the number of dimensions of the result depends on it"))),
    };
    let axis = match args.take("axis") {
        None => None,
        Some(Value::Expr(e)) if e.ty == Type::NoneType => None,
        Some(v) => {
            let e = cx.value_expr(v, span)?;
            if !e.ty.is_integer_like() || e.ty == Type::Bool {
                return Err(cx.typing(span, format!("`axis=` of `{callee}()` must be an integer or a tuple of integers, not `{}`", e.ty), Some("give an integer, or a tuple of integers such as `axis=(0, 1)`")));
            }
            Some(cx.cast(e, &Type::INT64))
        }
    };
    let Some(axis) = axis else {
        if keepdims {
            return Err(cx.unsupported(span, format!("`{callee}(keepdims=True)` without `axis=` is not supported yet"), None));
        }
        if time {
            return Ok(cx.time_reduction(array, op, span));
        }
        // The reduction of the map whose element is the array's element.
        let element = ir::Expr::new(ExprKind::MapElement(0), (*a.dtype).clone(), array.span);
        return Ok(ir::Expr::new(ExprKind::MapReduce { op, operands: vec![array], element: element.boxed() }, ty, span));
    };
    if a.ndim == 0 {
        return Err(cx.typing(span, "an axis of a 0-dimensional array is out of bounds", None));
    }
    if time {
        return Ok(cx.time_axis_reduction(array, op, axis, keepdims, span));
    }
    let ndim = if keepdims { a.ndim } else { a.ndim - 1 };
    let reduced = ir::Expr::new(ExprKind::AxisReduce { op, array: array.boxed(), axis: axis.boxed(), keepdims }, Type::Array(ArrayType::new(ty.clone(), ndim, Layout::C)), span);
    if ndim > 0 {
        return Ok(reduced);
    }
    // A 1-d array reduced along its axis gives a scalar, as in NumPy.
    Ok(ir::Expr::new(ExprKind::ArrayGet { array: reduced.boxed(), indices: vec![] }, ty, span))
}

/// The `dtype=` argument of a reduction (None when absent or `None`): the type it sums in and
/// gives. A complex array does not sum into a real type.
fn reduction_dtype(cx: &mut FnInfer<'_>, array: &ir::Expr, args: &mut Args, span: Span) -> Result<Option<Type>> {
    let Some((v, at)) = args.take_spanned("dtype") else { return Ok(None) };
    if matches!(&v, Value::Expr(e) if e.ty == Type::NoneType) {
        return Ok(None);
    }
    let dtype = cx.number_dtype_arg(&v, at)?;
    if matches!(*array_type(array).dtype, Type::Complex(_)) && !matches!(dtype, Type::Complex(_)) {
        return Err(cx.typing(span, format!("`{}()` of a complex array cannot be computed in `{dtype}`", args.callee), Some("give a complex `dtype=`, or reduce `.real` and `.imag`")));
    }
    Ok(Some(dtype))
}

/// `a.sum()`: integers sum in 64 bits of their signedness, as NumPy's; in `dtype=` when given.
fn sum(cx: &mut FnInfer<'_>, array: ir::Expr, args: &mut Args, span: Span) -> Result<ir::Expr> {
    let ty = sum_type(cx, &array, args, span)?;
    reduce(cx, array, ir::ReduceOp::Sum, ty, args, span)
}

/// `a.prod()`: in the type a sum would have.
fn prod(cx: &mut FnInfer<'_>, array: ir::Expr, args: &mut Args, span: Span) -> Result<ir::Expr> {
    let ty = sum_type(cx, &array, args, span)?;
    reduce(cx, array, ir::ReduceOp::Prod, ty, args, span)
}

/// The type of a sum or product: integers in 64 bits of their signedness, as NumPy's; `dtype=`
/// when given.
fn sum_type(cx: &mut FnInfer<'_>, array: &ir::Expr, args: &mut Args, span: Span) -> Result<Type> {
    Ok(match reduction_dtype(cx, array, args, span)? {
        Some(dtype) => dtype,
        None => match &*array_type(array).dtype {
            Type::Bool => Type::INT64,
            Type::Int(i) if i.signed => Type::INT64,
            Type::Int(_) => Type::UINT64,
            t => t.clone(),
        },
    })
}

fn min(cx: &mut FnInfer<'_>, array: ir::Expr, args: &mut Args, span: Span) -> Result<ir::Expr> {
    let ty = (*array_type(&array).dtype).clone();
    reduce(cx, array, ir::ReduceOp::Min, ty, args, span)
}

fn max(cx: &mut FnInfer<'_>, array: ir::Expr, args: &mut Args, span: Span) -> Result<ir::Expr> {
    let ty = (*array_type(&array).dtype).clone();
    reduce(cx, array, ir::ReduceOp::Max, ty, args, span)
}

/// `a.mean()`: float64 for integers and booleans, as NumPy's; in `dtype=` (a float or complex
/// type) when given.
fn mean(cx: &mut FnInfer<'_>, array: ir::Expr, args: &mut Args, span: Span) -> Result<ir::Expr> {
    let ty = match reduction_dtype(cx, &array, args, span)? {
        Some(dtype @ (Type::Float(_) | Type::Complex(_))) => dtype,
        Some(dtype) => return Err(cx.unsupported(span, format!("`{}(dtype={dtype})` is not supported: the mean is computed in a float or complex type", args.callee), Some("pass `dtype=np.float64`, or round the result"))),
        None => match &*array_type(&array).dtype {
            t @ (Type::Float(_) | Type::Complex(_)) => t.clone(),
            _ => Type::FLOAT64,
        },
    };
    reduce(cx, array, ir::ReduceOp::Mean, ty, args, span)
}

/// `a.item()`: the only element; ValueError when the array does not have exactly one.
fn item(cx: &mut FnInfer<'_>, array: ir::Expr, args: &mut Args, span: Span) -> Result<ir::Expr> {
    if !args.rest.is_empty() {
        return Err(cx.unsupported(span, format!("`{}()` with arguments is not supported yet", args.callee), None));
    }
    let a = array_type(&array);
    if matches!(*a.dtype, Type::Record(_)) {
        return Err(cx.unsupported(span, format!("`{}()` of a structured array is not supported yet", args.callee), Some("read the fields: `a[0]['x']`")));
    }
    let tmp = cx.temp(array.ty.clone());
    let size = ir::Expr::new(ExprKind::ArrayAttr { array: cx.local_expr(tmp, span).boxed(), attr: ArrayAttr::Size }, Type::INT64, span);
    let wrong = ir::Expr::new(ExprKind::Compare { op: ast::CmpOp::NotEq, lhs: size.boxed(), rhs: int_const(1, span).boxed() }, Type::Bool, span);
    let raise = ir::Stmt { kind: StmtKind::Raise { exc: ir::ExcKind::ValueError, msg: Some("can only convert an array of size 1 to a Python scalar".into()) }, span };
    let zeros = (0..a.ndim).map(|_| int_const(0, span)).collect();
    let get = ir::Expr::new(ExprKind::ArrayGet { array: cx.local_expr(tmp, span).boxed(), indices: zeros }, (*a.dtype).clone(), span);
    let stmts = vec![
        ir::Stmt { kind: StmtKind::Assign { local: tmp, value: array }, span },
        ir::Stmt { kind: StmtKind::If { cond: wrong, then_body: vec![raise], else_body: vec![] }, span },
    ];
    // A Python scalar, as NumPy's `item()` gives.
    let ty = crate::expr::python_scalar_type(&a.dtype);
    let value = cx.cast(get, &ty);
    Ok(ir::Expr::new(ExprKind::Block { stmts, value: value.boxed() }, ty, span))
}

fn fill(cx: &mut FnInfer<'_>, array: ir::Expr, args: &mut Args, span: Span) -> Result<ir::Expr> {
    let a = array_type(&array);
    if a.readonly {
        return Err(cx.typing(span, "cannot fill a read-only array", None));
    }
    let v = cx.required_expr(args, "value")?;
    let value = cx.element_value(v, &a, span)?;
    let stmts = vec![ir::Stmt { kind: StmtKind::ArrayFill { array, value }, span }];
    Ok(ir::Expr::new(ExprKind::Block { stmts, value: ir::Expr::new(ExprKind::Const(Const::None), Type::NoneType, span).boxed() }, Type::NoneType, span))
}

/// `a.copy()`: C-ordered.
fn copy(cx: &mut FnInfer<'_>, array: ir::Expr, _args: &mut Args, span: Span) -> Result<ir::Expr> {
    let dtype = (*array_type(&array).dtype).clone();
    cx.copy_array(array, dtype, Layout::C, false, span)
}

/// `np.copy(a)`: NumPy's `order='K'` keeps a Fortran order.
fn copy_keeping_order(cx: &mut FnInfer<'_>, array: ir::Expr, _args: &mut Args, span: Span) -> Result<ir::Expr> {
    let a = array_type(&array);
    cx.copy_array(array, (*a.dtype).clone(), keep_order(&a), false, span)
}

/// `a.flatten()`: a one-dimensional C-ordered copy.
fn flatten(cx: &mut FnInfer<'_>, array: ir::Expr, _args: &mut Args, span: Span) -> Result<ir::Expr> {
    let dtype = (*array_type(&array).dtype).clone();
    cx.copy_array(array, dtype, Layout::C, true, span)
}

/// `a.astype(dtype)`: a converted copy, keeping a Fortran order (NumPy's `order='K'`).
fn astype(cx: &mut FnInfer<'_>, array: ir::Expr, args: &mut Args, span: Span) -> Result<ir::Expr> {
    let (v, at) = args.take_spanned("dtype").expect("binding checks required parameters");
    let dtype = cx.dtype_arg(&v, at)?;
    let a = array_type(&array);
    if crate::datetimes::is_time(&a.dtype) || crate::datetimes::is_time(&dtype) {
        // NumPy's time casts: each element converted (units, NaT) into a new array.
        let target = cx.time_cast_target(&a.dtype, &dtype, span)?;
        let element = ir::Expr::new(ExprKind::MapElement(0), (*a.dtype).clone(), span);
        let element = cx.time_cast(element, &target, span)?;
        return Ok(cx.materialize_map(vec![array], element, span));
    }
    cx.copy_array(array, dtype, keep_order(&a), false, span)
}

/// `np.dtype(x)` of a NumPy type, a Python number type, a constant name (`'f4'`, `'M8[ns]'`) or
/// `a.dtype`: the dtype itself, for array-creating functions and `astype`.
fn np_dtype(cx: &mut FnInfer<'_>, args: &mut Args, _span: Span) -> Result<Value> {
    let (v, at) = args.take_spanned("dtype").expect("binding checks required parameters");
    Ok(Value::DType(cx.dtype_arg(&v, at)?))
}

/// `a.view(dtype)`: the same memory read as another number type of the same item size (the
/// bits of a float64 as a uint64, say), a view of the same shape and strides.
fn view(cx: &mut FnInfer<'_>, array: ir::Expr, args: &mut Args, span: Span) -> Result<ir::Expr> {
    let (v, at) = args.take_spanned("dtype").expect("binding checks required parameters");
    let dtype = cx.dtype_arg(&v, at)?;
    let a = array_type(&array);
    if dtype.itemsize() != a.dtype.itemsize() {
        return Err(cx.unsupported(span, format!("`view()` of a `{}` array as `{dtype}`, of another item size, is not supported yet", a.dtype), Some("view it as a type of the same size")));
    }
    let axes: Vec<u8> = (0..a.ndim).collect();
    let ty = Type::Array(ArrayType { dtype: Box::new(dtype), ..a });
    Ok(ir::Expr::new(ExprKind::Transpose { array: array.boxed(), axes }, ty, span))
}

/// `a.reshape(shape)`, `a.reshape(*shape)`, `np.reshape(a, shape)`: a view of a C-contiguous
/// array.
fn reshape(cx: &mut FnInfer<'_>, array: ir::Expr, args: &mut Args, span: Span) -> Result<ir::Expr> {
    let a = array_type(&array);
    if a.layout != Layout::C {
        return Err(cx.unsupported(span, "`reshape()` of a non-C-contiguous array is not supported yet", Some("call `.copy()` first")));
    }
    let shape_value = match args.take("shape") {
        Some(shape) => shape,
        None if args.rest.len() == 1 => args.rest.pop().unwrap(),
        None if args.rest.is_empty() => return Err(cx.typing(span, format!("`{}()` takes exactly 1 argument (0 given)", args.callee), None)),
        None => {
            let exprs = std::mem::take(&mut args.rest).into_iter().map(|v| cx.value_expr(v, span)).collect::<Result<Vec<_>>>()?;
            let ty = Type::Tuple(exprs.iter().map(|e| e.ty.clone()).collect());
            Value::Expr(ir::Expr::new(ExprKind::Tuple(exprs), ty, span))
        }
    };
    let dims = cx.shape_arg(shape_value, span)?;
    let mut stmts = Vec::new();
    if let Some((tmp, tuple)) = cx.pending_shape.take() {
        stmts.push(ir::Stmt { kind: StmtKind::Assign { local: tmp, value: tuple }, span });
    }
    let ty = Type::Array(a.with(dims.len() as u8, Layout::C));
    let reshaped = ir::Expr::new(ExprKind::Reshape { array: array.boxed(), shape: dims }, ty.clone(), span);
    Ok(ir::Expr::new(ExprKind::Block { stmts, value: reshaped.boxed() }, ty, span))
}

/// `a.ravel()`: a flat view of a C-contiguous array, else a flat copy.
fn ravel(cx: &mut FnInfer<'_>, array: ir::Expr, args: &mut Args, span: Span) -> Result<ir::Expr> {
    let a = array_type(&array);
    if a.layout != Layout::C {
        return flatten(cx, array, args, span);
    }
    let tmp = cx.temp(array.ty.clone());
    let size = ir::Expr::new(ExprKind::ArrayAttr { array: cx.local_expr(tmp, span).boxed(), attr: ArrayAttr::Size }, Type::INT64, span);
    let ty = Type::Array(a.with(1, Layout::C));
    let reshaped = ir::Expr::new(ExprKind::Reshape { array: cx.local_expr(tmp, span).boxed(), shape: vec![size] }, ty.clone(), span);
    Ok(ir::Expr::new(ExprKind::Let { local: tmp, value: array.boxed(), body: reshaped.boxed() }, ty, span))
}

/// `a.transpose()`, `np.transpose(a)`: `a.T`.
/// `a.transpose()`, `a.transpose(1, 0, 2)`, `a.transpose((1, 0, 2))`, `np.transpose(a, axes)`:
/// axes given as constant integers (negative ones count from the end), a permutation.
fn transpose(cx: &mut FnInfer<'_>, array: ir::Expr, args: &mut Args, span: Span) -> Result<ir::Expr> {
    let mut given: Vec<Value> = std::mem::take(&mut args.rest);
    if let Some(axes) = args.take("axes") {
        given.push(axes);
    }
    if given.is_empty() || matches!(given.as_slice(), [Value::Expr(e)] if e.ty == Type::NoneType) {
        return Ok(transposed_expr(array, span));
    }
    // One tuple of axes, or the axes one by one.
    let items: Vec<ir::Expr> = match given.as_slice() {
        [Value::Expr(ir::Expr { kind: ExprKind::Tuple(items), .. })] => items.clone(),
        _ => given.into_iter().map(|v| cx.value_expr(v, span)).collect::<Result<_>>()?,
    };
    let ndim = array_type(&array).ndim as i128;
    let mut axes = Vec::new();
    for item in &items {
        let ExprKind::Const(Const::Int(k)) = item.kind else {
            return Err(cx.unsupported(item.span, format!("the axes of `{}()` must be constant integers", args.callee), None));
        };
        let k = if k < 0 { k + ndim } else { k };
        if !(0..ndim).contains(&k) {
            return Err(cx.typing(item.span, format!("axis {k} is out of bounds for array of dimension {ndim}"), None));
        }
        axes.push(k as u8);
    }
    let mut sorted = axes.clone();
    sorted.sort_unstable();
    if sorted.len() != ndim as usize || !sorted.iter().copied().eq(0..ndim as u8) {
        return Err(cx.typing(span, "axes don't match array", Some("give each dimension once, e.g. `a.transpose(1, 0, 2)`")));
    }
    Ok(permuted(array, axes, span))
}

// ---- attributes ----------------------------------------------------------------------------

fn shape(_cx: &mut FnInfer<'_>, array: ir::Expr, span: Span) -> Result<Value> {
    let ty = Type::Tuple(vec![Type::INT64; array_type(&array).ndim as usize]);
    Ok(Value::Expr(ir::Expr::new(ExprKind::ArrayAttr { array: array.boxed(), attr: ArrayAttr::Shape }, ty, span)))
}

fn size(_cx: &mut FnInfer<'_>, array: ir::Expr, span: Span) -> Result<Value> {
    Ok(Value::Expr(ir::Expr::new(ExprKind::ArrayAttr { array: array.boxed(), attr: ArrayAttr::Size }, Type::INT64, span)))
}

fn ndim(_cx: &mut FnInfer<'_>, array: ir::Expr, span: Span) -> Result<Value> {
    Ok(Value::Expr(int_const(array_type(&array).ndim as i128, span)))
}

fn dtype(_cx: &mut FnInfer<'_>, array: ir::Expr, _span: Span) -> Result<Value> {
    Ok(Value::DType((*array_type(&array).dtype).clone()))
}

fn itemsize(_cx: &mut FnInfer<'_>, array: ir::Expr, span: Span) -> Result<Value> {
    Ok(Value::Expr(int_const(array_type(&array).dtype.itemsize().unwrap_or(0) as i128, span)))
}

impl FnInfer<'_> {
    /// `a.flags.<flag>` of an array: `c_contiguous` (or `contiguous`), `f_contiguous` (or
    /// `fortran`), `writeable`, `aligned`, by NumPy's
    /// definitions. Known from the type when the layout decides it, else computed from the
    /// shape and strides.
    pub(crate) fn array_flag(&mut self, array: ir::Expr, flag: &str, span: Span) -> Result<ir::Expr> {
        let a = array_type(&array);
        let known = |v: bool| ir::Expr::new(ExprKind::Const(Const::Bool(v)), Type::Bool, span);
        match flag {
            "writeable" => return Ok(known(!a.readonly)),
            "aligned" => return Ok(known(a.aligned)),
            "c_contiguous" | "contiguous" | "f_contiguous" | "fortran" => {}
            "owndata" | "writebackifcopy" => return Err(self.unsupported(span, format!("`a.flags.{flag}` is not supported in compiled code"), None)),
            _ => return Err(self.typing(span, format!("an array's flags have no attribute `{flag}`"), Some("read `c_contiguous`, `f_contiguous`, `writeable` or `aligned`"))),
        }
        let local = self.temp(array.ty.clone());
        let value = if matches!(flag, "f_contiguous" | "fortran") { self.contiguity(local, &a, true, span) } else { self.contiguity(local, &a, false, span) };
        Ok(ir::Expr::new(ExprKind::Let { local, value: array.boxed(), body: value.boxed() }, Type::Bool, span))
    }

    /// Whether the array in `local` is C-contiguous (`fortran`: Fortran-contiguous), as NumPy
    /// decides: each dimension longer than 1 steps over the product of the ones after it
    /// (before it), or some dimension is empty.
    fn contiguity(&mut self, local: usize, a: &ArrayType, fortran: bool, span: Span) -> ir::Expr {
        let known = |v: bool| ir::Expr::new(ExprKind::Const(Const::Bool(v)), Type::Bool, span);
        let decided = match (a.layout, fortran) {
            _ if a.ndim == 0 => Some(true),
            (Layout::C, false) | (Layout::F, true) => Some(true),
            (Layout::C | Layout::F, _) if a.ndim == 1 => Some(true),
            _ => None,
        };
        if let Some(v) = decided {
            return known(v);
        }
        let array = self.local_expr(local, span);
        let int = |v: i128| int_const(v, span);
        let dim = |k: u8| ir::Expr::new(ExprKind::ArrayAttr { array: array.clone().boxed(), attr: ArrayAttr::Dim(k) }, Type::INT64, span);
        let strides = ir::Expr::new(ExprKind::ArrayAttr { array: array.clone().boxed(), attr: ArrayAttr::Strides }, Type::Tuple(vec![Type::INT64; a.ndim as usize]), span);
        let cmp = |op, l: ir::Expr, r: ir::Expr| ir::Expr::new(ExprKind::Compare { op, lhs: l.boxed(), rhs: r.boxed() }, Type::Bool, span);
        let logical = |and, l: ir::Expr, r: ir::Expr| ir::Expr::new(ExprKind::Logical { and, lhs: l.boxed(), rhs: r.boxed() }, Type::Bool, span);
        let mul = |l: ir::Expr, r: ir::Expr| ir::Expr::new(ExprKind::Binary { op: ir::BinaryOp::Mul, lhs: l.boxed(), rhs: r.boxed() }, Type::INT64, span);
        let order: Vec<u8> = if fortran { (0..a.ndim).collect() } else { (0..a.ndim).rev().collect() };
        let mut step = int(a.dtype.itemsize().unwrap_or(0) as i128);
        let mut steps_match = known(true);
        let mut empty = known(false);
        for k in order {
            let stride = self.tuple_get(strides.clone(), k as usize, span);
            let fits = logical(false, cmp(ast::CmpOp::Eq, dim(k), int(1)), cmp(ast::CmpOp::Eq, stride, step.clone()));
            steps_match = logical(true, steps_match, fits);
            empty = logical(false, empty, cmp(ast::CmpOp::Eq, dim(k), int(0)));
            step = mul(step, dim(k));
        }
        logical(false, empty, steps_match)
    }
}

/// `a.real`: for a complex array, a view of the real parts (writable through it); any other
/// array is its own real part.
fn real(_cx: &mut FnInfer<'_>, array: ir::Expr, span: Span) -> Result<Value> {
    complex_part(array, false, span).map(Value::Expr)
}

/// `a.imag`: for a complex array, a view of the imaginary parts; for any other, zeros (a new
/// array, typed read-only as NumPy's is: writing through it is refused at compile time, and
/// returned to Python it is not writeable).
fn imag(cx: &mut FnInfer<'_>, array: ir::Expr, span: Span) -> Result<Value> {
    let a = array_type(&array);
    if matches!(*a.dtype, Type::Complex(_)) {
        return complex_part(array, true, span).map(Value::Expr);
    }
    let zero = cx.cast(int_const(0, span), &a.dtype);
    let zeros = cx.materialize_map(vec![array], zero, span);
    // A whole view of the new array, typed read-only.
    let z = array_type(&zeros);
    let items: Vec<IndexItem> = (0..z.ndim).map(|_| IndexItem::Slice { start: None, stop: None, step: None }).collect();
    let ty = Type::Array(ArrayType { readonly: true, ..view_type(&z, &items) });
    Ok(Value::Expr(ir::Expr::new(ExprKind::ArrayView { array: zeros.boxed(), items }, ty, span)))
}

fn complex_part(array: ir::Expr, imag: bool, span: Span) -> Result<ir::Expr> {
    let a = array_type(&array);
    let Type::Complex(f) = *a.dtype else { return Ok(array) };
    // Strides of two floats per element: not contiguous.
    let ty = Type::Array(ArrayType { dtype: Box::new(Type::Float(f)), layout: if a.ndim == 0 { Layout::C } else { Layout::A }, ..a.clone() });
    Ok(ir::Expr::new(ExprKind::ComplexPart { value: array.boxed(), imag }, ty, span))
}

/// `a.strides`: the byte step of each dimension, as a tuple of int64.
fn strides(_cx: &mut FnInfer<'_>, array: ir::Expr, span: Span) -> Result<Value> {
    let ty = Type::Tuple(vec![Type::INT64; array_type(&array).ndim as usize]);
    Ok(Value::Expr(ir::Expr::new(ExprKind::ArrayAttr { array: array.boxed(), attr: ArrayAttr::Strides }, ty, span)))
}

/// `a.nbytes`: the size times the item size.
fn nbytes(cx: &mut FnInfer<'_>, array: ir::Expr, span: Span) -> Result<Value> {
    let itemsize = array_type(&array).dtype.itemsize().unwrap_or(0) as i128;
    let size = ir::Expr::new(ExprKind::ArrayAttr { array: array.boxed(), attr: ArrayAttr::Size }, Type::INT64, span);
    cx.binop(ast::BinOp::Mul, size, int_const(itemsize, span), span).map(Value::Expr)
}

fn transposed(_cx: &mut FnInfer<'_>, array: ir::Expr, span: Span) -> Result<Value> {
    Ok(Value::Expr(transposed_expr(array, span)))
}

/// `a.T`: a view with the dimensions reversed; C and F orders swap.
pub(crate) fn transposed_expr(array: ir::Expr, span: Span) -> ir::Expr {
    let ndim = array_type(&array).ndim;
    permuted(array, (0..ndim).rev().collect(), span)
}

/// A view with dimension `k` taken from dimension `axes[k]`: reversing them swaps C and F;
/// the identity keeps the layout; any other permutation walks the strides (A).
pub(crate) fn permuted(array: ir::Expr, axes: Vec<u8>, span: Span) -> ir::Expr {
    let a = array_type(&array);
    let identity = axes.iter().enumerate().all(|(k, &x)| k == x as usize);
    let reversed = axes.iter().rev().enumerate().all(|(k, &x)| k == x as usize);
    let layout = match a.layout {
        _ if identity || a.ndim <= 1 => a.layout,
        Layout::C if reversed => Layout::F,
        Layout::F if reversed => Layout::C,
        _ => Layout::A,
    };
    ir::Expr::new(ExprKind::Transpose { array: array.boxed(), axes }, Type::Array(a.with(a.ndim, layout)), span)
}

/// The element of `array` at one index per dimension: its value, or for a structured array
/// the record there, a 0-d view of the array through which its fields are read and written
/// (NumPy's `np.void`).
pub(crate) fn element_at(array: ir::Expr, indices: Vec<ir::Expr>, span: Span) -> ir::Expr {
    let a = array_type(&array);
    if matches!(*a.dtype, Type::Record(_)) {
        let items: Vec<IndexItem> = indices.into_iter().map(IndexItem::Index).collect();
        let ty = Type::Array(view_type(&a, &items));
        return ir::Expr::new(ExprKind::ArrayView { array: array.boxed(), items }, ty, span);
    }
    ir::Expr::new(ExprKind::ArrayGet { array: array.boxed(), indices }, (*a.dtype).clone(), span)
}

/// The field `field` of the structured array `array`: a view of it in every record, or for one
/// record (a 0-d array) its value.
pub(crate) fn field_of(array: ir::Expr, field: &ferrojit_types::RecordField, span: Span) -> ir::Expr {
    let a = array_type(&array);
    let Type::Record(record) = &*a.dtype else { unreachable!("a structured array") };
    let size = field.ty.itemsize().expect("a number field");
    // The alignment NumPy requires of a field's type: its size, or a part's for complex.
    let natural = if matches!(field.ty, Type::Complex(_)) { size / 2 } else { size };
    let aligned = a.aligned && field.offset % natural == 0 && record.size % natural == 0;
    let layout = if a.ndim == 0 || (record.size == size && field.offset == 0) { a.layout } else { Layout::A };
    let ty = ArrayType { dtype: Box::new(field.ty.clone()), ndim: a.ndim, layout, readonly: a.readonly, aligned };
    let view = ir::Expr::new(ExprKind::FieldView { array: array.boxed(), offset: field.offset }, Type::Array(ty.clone()), span);
    if ty.ndim > 0 {
        return view;
    }
    ir::Expr::new(ExprKind::ArrayGet { array: view.boxed(), indices: vec![] }, (*ty.dtype).clone(), span)
}

/// Whether `ty` is one record: a 0-d structured array (`a[i]`).
pub(crate) fn is_record(ty: &Type) -> bool {
    matches!(ty, Type::Array(a) if a.ndim == 0 && matches!(*a.dtype, Type::Record(_)))
}

/// Whether `ty` is a structured array with a field `name`.
pub(crate) fn record_has_field(ty: &Type, name: &str) -> bool {
    matches!(ty, Type::Array(a) if matches!(&*a.dtype, Type::Record(r) if r.field(name).is_some()))
}

impl FnInfer<'_> {
    /// `array.attr`, for the array attributes of the registry.
    pub(crate) fn array_attribute(&mut self, array: ir::Expr, attr: &str, span: Span) -> Result<Value> {
        match registry::array_member(attr).map(|e| &e.build) {
            Some(Build::Attribute(build)) => build(self, array, span),
            _ => Err(self.unsupported(span, format!("`.{attr}` of an array is not supported yet"), None)),
        }
    }

    /// `array.name(args)`, for the array methods of the registry.
    pub(crate) fn array_method(&mut self, array: ir::Expr, name: &str, args: Vec<Value>, keywords: Vec<(String, Value, Span)>, span: Span) -> Result<ir::Expr> {
        match registry::array_member(name) {
            Some(entry @ registry::Entry { build: Build::Method(build), .. }) => {
                let mut args = self.bind(entry.callee, &entry.signature, args, keywords, span)?;
                build(self, array, &mut args, span)
            }
            _ => Err(self.unsupported(span, format!("the array method `{name}()` is not supported yet"), None)),
        }
    }

    /// A copy of `array` as a new array of `dtype` in `layout`; `flat`: one-dimensional. Elements
    /// convert as NumPy's casts do (a complex array to a real one keeps the real parts).
    pub(crate) fn copy_array(&mut self, array: ir::Expr, dtype: Type, layout: Layout, flat: bool, span: Span) -> Result<ir::Expr> {
        let a = array_type(&array);
        let special = |t: &Type| crate::datetimes::is_time(t) || matches!(t, Type::Record(_));
        if *a.dtype != dtype && (special(&a.dtype) || special(&dtype)) {
            return Err(self.unsupported(span, format!("converting an array of `{}` to `{dtype}` is not supported yet", a.dtype), Some("convert element by element in a loop")));
        }
        let src = self.temp(array.ty.clone());
        let dims = if flat {
            vec![ir::Expr::new(ExprKind::ArrayAttr { array: self.local_expr(src, span).boxed(), attr: ArrayAttr::Size }, Type::INT64, span)]
        } else {
            (0..a.ndim).map(|k| ir::Expr::new(ExprKind::ArrayAttr { array: self.local_expr(src, span).boxed(), attr: ArrayAttr::Dim(k) }, Type::INT64, span)).collect()
        };
        let reshape = flat && a.ndim != 1;
        let made = self.new_array_in(dtype, dims, layout, false, span, |cx, local| {
            let dst = cx.local_expr(local, span);
            // Flattening copies in C order through a view of the flat result shaped like the
            // source.
            let dst = if reshape { cx.reshape_like(dst, src, &a, span) } else { dst };
            Ok(vec![ir::Stmt { kind: StmtKind::ArrayCopy { dst, src: cx.local_expr(src, span) }, span }])
        })?;
        let ty = made.ty.clone();
        Ok(ir::Expr::new(ExprKind::Let { local: src, value: array.boxed(), body: made.boxed() }, ty, span))
    }

    /// A view of the new flat array `dst` with the shape of `src`, so that an element-wise copy
    /// in C order fills it.
    fn reshape_like(&self, dst: ir::Expr, src: usize, a: &ArrayType, span: Span) -> ir::Expr {
        let dims = (0..a.ndim).map(|k| ir::Expr::new(ExprKind::ArrayAttr { array: self.local_expr(src, span).boxed(), attr: ArrayAttr::Dim(k) }, Type::INT64, span)).collect();
        let ty = Type::Array(ArrayType::new(match &dst.ty { Type::Array(d) => (*d.dtype).clone(), _ => unreachable!() }, a.ndim, Layout::C));
        ir::Expr::new(ExprKind::Reshape { array: dst.boxed(), shape: dims }, ty, span)
    }
}
