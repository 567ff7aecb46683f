//! Arrays as values: operators on arrays with NumPy's broadcasting, fused into one loop per
//! expression.
//!
//! An operation with an array operand builds a *map*: its operands (arrays, and scalars
//! evaluated once) and a scalar element expression over them (`ExprKind::MapElement(i)` is
//! operand `i`'s element), typed by the very rules scalar code follows (NumPy 2's promotion,
//! weak literals) at the operands' dtypes, with NumPy's array exceptions (booleans add as
//! `or`, `-` of booleans is an error). Every map is materialised at once as a new array (a
//! block that allocates the broadcast shape and fills it with `StmtKind::ArrayMap`), and is
//! remembered by the local it fills: an operation or reduction that receives that block as an
//! operand takes the map back instead and fuses it into its own, so `(a - b) ** 2 * c` is one
//! loop and one new array, and `(a - b).sum()` allocates nothing.

use crate::expr::{Literals, Value};
use crate::function::{FnInfer, Result};
use ferrojit_ir::{self as ir, ExprKind, LocalId, ReduceOp, StmtKind};
use ferrojit_syntax::ast::{self, BinOp, CmpOp, Span};
use ferrojit_types::{ArrayType, Layout, Type};

/// An element-wise expression not turned into an array.
#[derive(Clone)]
pub(crate) struct Map {
    pub operands: Vec<ir::Expr>,
    pub element: ir::Expr,
}

/// What an operand of an element-wise operation brings.
enum Part {
    /// A map to fuse.
    Map(Map),
    /// One more operand.
    Operand(ir::Expr),
    /// A constant, used as it is in the element expression (literals keep their weak typing).
    Constant(ir::Expr),
}

fn dtype_of(ty: &Type) -> Type {
    match ty {
        Type::Array(a) => (*a.dtype).clone(),
        other => other.clone(),
    }
}

impl FnInfer<'_> {
    /// The map a block built by [`FnInfer::materialize`] in this walk computes, taken back.
    fn take_map(&mut self, e: &ir::Expr) -> Option<Map> {
        match &e.kind {
            ExprKind::Block { value, .. } => match value.kind {
                ExprKind::Local(id) => self.maps.remove(&id),
                _ => None,
            },
            _ => None,
        }
    }

    fn part(&mut self, e: ir::Expr) -> Part {
        if let Some(map) = self.take_map(&e) {
            return Part::Map(map);
        }
        match e.kind {
            ExprKind::Const(_) => Part::Constant(e),
            _ => Part::Operand(e),
        }
    }

    /// Adds `part` to `operands`; returns its element expression.
    fn join(&self, part: Part, operands: &mut Vec<ir::Expr>, span: Span) -> ir::Expr {
        match part {
            Part::Constant(c) => c,
            Part::Operand(e) => {
                let ty = dtype_of(&e.ty);
                operands.push(e);
                ir::Expr::new(ExprKind::MapElement(operands.len() - 1), ty, span)
            }
            Part::Map(map) => {
                let offset = operands.len();
                operands.extend(map.operands);
                let mut element = map.element;
                element.walk_mut(&mut |x| {
                    if let ExprKind::MapElement(i) = &mut x.kind {
                        *i += offset;
                    }
                });
                element
            }
        }
    }

    /// `l op r` with an array operand.
    pub(crate) fn array_binop(&mut self, op: BinOp, l: ir::Expr, r: ir::Expr, literals: Literals, span: Span) -> Result<ir::Expr> {
        let (lt, rt) = (dtype_of(&l.ty), dtype_of(&r.ty));
        for t in [&lt, &rt] {
            if !t.is_number() {
                return Err(self.typing(span, format!("unsupported operand types for `{}` on arrays: `{}` and `{}`", op.symbol(), l.ty, r.ty), None));
            }
        }
        let (pl, pr) = (self.part(l), self.part(r));
        let mut operands = Vec::new();
        let el = self.join(pl, &mut operands, span);
        let er = self.join(pr, &mut operands, span);
        let element = if lt == Type::Bool && rt == Type::Bool && matches!(op, BinOp::Add | BinOp::Mul | BinOp::Sub) {
            // NumPy's booleans: `+` is `or`, `*` is `and`, `-` an error.
            let logical = match op {
                BinOp::Add => ir::BinaryOp::BitOr,
                BinOp::Mul => ir::BinaryOp::BitAnd,
                _ => {
                    return Err(self.typing(
                        span,
                        "numpy boolean subtract, the `-` operator, is not supported",
                        Some("use the bitwise_xor, the `^` operator, or the logical_xor function instead"),
                    ))
                }
            };
            ir::Expr::new(ExprKind::Binary { op: logical, lhs: el.boxed(), rhs: er.boxed() }, Type::Bool, span)
        } else if lt == Type::Bool && rt == Type::Bool && matches!(op, BinOp::FloorDiv | BinOp::Mod) {
            // NumPy has no boolean loop for these: they run in its smallest integer type.
            let int8 = Type::Int(ferrojit_types::IntType { bits: 8, signed: true });
            let (el, er) = (self.cast(el, &int8), self.cast(er, &int8));
            self.binop_with_literals(op, el, er, literals, span)?
        } else {
            self.binop_with_literals(op, el, er, literals, span)?
        };
        Ok(self.materialize(Map { operands, element }, span))
    }

    /// `l op r` comparing with an array operand: an array of bools.
    pub(crate) fn array_compare(&mut self, op: CmpOp, l: ir::Expr, r: ir::Expr, literals: Literals, span: Span) -> Result<ir::Expr> {
        let (lt, rt) = (dtype_of(&l.ty), dtype_of(&r.ty));
        for t in [&lt, &rt] {
            if !t.is_number() {
                return Err(self.typing(span, format!("cannot compare `{}` with `{}` element-wise", l.ty, r.ty), None));
            }
        }
        if matches!(op, CmpOp::Is | CmpOp::IsNot | CmpOp::In | CmpOp::NotIn) {
            return Err(self.unsupported(span, format!("`{}` with an array is not supported", op.symbol()), None));
        }
        let (pl, pr) = (self.part(l), self.part(r));
        let mut operands = Vec::new();
        let el = self.join(pl, &mut operands, span);
        let er = self.join(pr, &mut operands, span);
        let element = self.compare_with_literals(op, el, er, literals, span)?;
        Ok(self.materialize(Map { operands, element }, span))
    }

    /// `-a`, `+a`, `~a` of an array.
    pub(crate) fn array_unaryop(&mut self, op: ast::UnaryOp, x: ir::Expr, span: Span) -> Result<ir::Expr> {
        let t = dtype_of(&x.ty);
        if !t.is_number() {
            return Err(self.typing(span, format!("bad operand type for unary operator: `{}`", x.ty), None));
        }
        let part = self.part(x);
        let mut operands = Vec::new();
        let e = self.join(part, &mut operands, span);
        let element = match (op, &t) {
            // NumPy: `~` of booleans is logical negation; `-` is an error.
            (ast::UnaryOp::Invert, Type::Bool) => ir::Expr::new(ExprKind::Unary { op: ir::UnaryOp::Not, operand: e.boxed() }, Type::Bool, span),
            (ast::UnaryOp::Neg, Type::Bool) => {
                return Err(self.typing(
                    span,
                    "the numpy boolean negative, the `-` operator, is not supported",
                    Some("use the `~` operator or the logical_not function instead"),
                ))
            }
            (ast::UnaryOp::Pos, Type::Bool) => {
                return Err(self.typing(span, "unary `+` of a bool array is not supported, as in NumPy", Some("convert it first, e.g. `a.astype(np.int64)`")))
            }
            (ast::UnaryOp::Not, _) => {
                return Err(self.typing(span, "the truth value of an array with more than one element is ambiguous", Some("use `a.any()` or `a.all()`")))
            }
            _ => self.unaryop(op, e, span)?,
        };
        Ok(self.materialize(Map { operands, element }, span))
    }

    /// A new array holding the map's values (see the module documentation), or, when every
    /// array operand is 0-dimensional, the value itself, as NumPy gives a scalar then.
    fn materialize(&mut self, map: Map, span: Span) -> ir::Expr {
        // Kept as they are for a consumer that takes the map back (and drops this block).
        let original = map.clone();
        let Map { operands, element } = map;
        let mut stmts = Vec::new();
        // Operands are read twice (shape, then elements): each is evaluated once into a local.
        let operands: Vec<ir::Expr> = operands
            .into_iter()
            .map(|o| {
                if matches!(o.kind, ExprKind::Local(_) | ExprKind::Const(_)) {
                    return o;
                }
                let t = self.temp(o.ty.clone());
                stmts.push(ir::Stmt { kind: StmtKind::Assign { local: t, value: o }, span });
                self.local_expr(t, span)
            })
            .collect();
        let arrays: Vec<&ArrayType> = operands.iter().filter_map(|o| if let Type::Array(a) = &o.ty { Some(a) } else { None }).collect();
        let ndim = arrays.iter().map(|a| a.ndim).max().unwrap_or(0);
        if ndim == 0 {
            let mut element = element;
            element.walk_mut(&mut |x| {
                if let ExprKind::MapElement(i) = x.kind {
                    let o = &operands[i];
                    *x = match &o.ty {
                        Type::Array(a) => ir::Expr::new(ExprKind::ArrayGet { array: o.clone().boxed(), indices: vec![] }, (*a.dtype).clone(), span),
                        _ => o.clone(),
                    };
                }
            });
            let ty = element.ty.clone();
            return ir::Expr::new(ExprKind::Block { stmts, value: element.boxed() }, ty, span);
        }
        // NumPy's `order='K'`: Fortran order when every array operand is Fortran-ordered.
        let all_f = arrays.iter().all(|a| a.layout == Layout::F && a.ndim == ndim && ndim > 1);
        let layout = if all_f { Layout::F } else { Layout::C };
        let out_ty = Type::Array(ArrayType::new(element.ty.clone(), ndim, layout));
        let shape_ty = Type::Tuple(vec![Type::INT64; ndim as usize]);
        let shape = self.temp(shape_ty.clone());
        let array_operands: Vec<ir::Expr> = operands.iter().filter(|o| matches!(o.ty, Type::Array(_))).cloned().collect();
        stmts.push(ir::Stmt { kind: StmtKind::Assign { local: shape, value: ir::Expr::new(ExprKind::BroadcastShape(array_operands), shape_ty, span) }, span });
        let dims = (0..ndim as usize).map(|k| self.tuple_get(self.local_expr(shape, span), k, span)).collect();
        let out = self.temp(out_ty.clone());
        stmts.push(ir::Stmt { kind: StmtKind::Assign { local: out, value: ir::Expr::new(ExprKind::ArrayNew { shape: dims }, out_ty.clone(), span) }, span });
        stmts.push(ir::Stmt { kind: StmtKind::ArrayMap { dst: self.local_expr(out, span), operands, element, fresh: true }, span });
        self.maps.insert(out, original);
        ir::Expr::new(ExprKind::Block { stmts, value: self.local_expr(out, span).boxed() }, out_ty, span)
    }

    /// A new array of the operands' broadcast shape holding `element` (over their
    /// `MapElement`s) at each index.
    pub(crate) fn materialize_map(&mut self, operands: Vec<ir::Expr>, element: ir::Expr, span: Span) -> ir::Expr {
        self.materialize(Map { operands, element }, span)
    }

    /// `x.sum()`, `x.min()`, `x.max()`, `x.mean()` of an array expression built in this walk,
    /// without the array; `x` comes back (as the error) when it is no such expression or the
    /// reduction is not one of these.
    pub(crate) fn reduce_map(&mut self, x: ir::Expr, name: &str, span: Span) -> std::result::Result<ir::Expr, ir::Expr> {
        let op = match name {
            "sum" => ReduceOp::Sum,
            "min" => ReduceOp::Min,
            "max" => ReduceOp::Max,
            "mean" => ReduceOp::Mean,
            _ => return Err(x),
        };
        let dtype = dtype_of(&x.ty);
        let ty = match (op, &dtype) {
            (ReduceOp::Sum, Type::Bool) => Type::INT64,
            (ReduceOp::Sum, Type::Int(i)) => if i.signed { Type::INT64 } else { Type::UINT64 },
            (ReduceOp::Min | ReduceOp::Max, Type::Complex(_)) => return Err(x),
            // The mean of complex values divides a complex sum: left to the array method.
            (ReduceOp::Mean, Type::Complex(_)) => return Err(x),
            (ReduceOp::Mean, Type::Float(_)) => dtype.clone(),
            (ReduceOp::Mean, _) => Type::FLOAT64,
            _ => dtype.clone(),
        };
        let Some(map) = self.take_map(&x) else { return Err(x) };
        Ok(ir::Expr::new(ExprKind::MapReduce { op, operands: map.operands, element: map.element.boxed() }, ty, span))
    }

    /// `view = value` where `value` is an array (or an array expression): NumPy's assignment,
    /// broadcasting `value` to the view's shape and converting its elements.
    pub(crate) fn assign_array_into(&mut self, view: ir::Expr, value: ir::Expr, span: Span) -> Result<ir::Stmt> {
        let a = match &view.ty {
            Type::Array(a) => a.clone(),
            _ => unreachable!("assigning into a non-array"),
        };
        if a.readonly {
            return Err(self.typing(span, format!("cannot write to a read-only array (`{}`)", view.ty), Some("copy it first with `.copy()`")));
        }
        let source = dtype_of(&value.ty);
        if matches!(source, Type::Complex(_)) && !matches!(*a.dtype, Type::Complex(_)) || !source.is_number() {
            return Err(self.typing(span, format!("cannot assign a `{}` into an array of `{}`", value.ty, a.dtype), None));
        }
        if let Type::Array(v) = &value.ty {
            if v.ndim > a.ndim {
                return Err(self.typing(span, format!("cannot assign a {}-dimensional array into a {}-dimensional one", v.ndim, a.ndim), None));
            }
        }
        let part = self.part(value);
        let mut operands = Vec::new();
        let e = self.join(part, &mut operands, span);
        let element = self.cast(e, &a.dtype);
        Ok(ir::Stmt { kind: StmtKind::ArrayMap { dst: view, operands, element, fresh: false }, span })
    }
}

impl FnInfer<'_> {
    /// NumPy's `same_kind` casting of an in-place operation's result into the array: to a
    /// kind at least as general (bool < unsigned < signed < float < complex), never back.
    pub(crate) fn check_same_kind(&self, result: &Type, target: &ArrayType, op: Option<BinOp>, span: Span) -> Result<()> {
        let kind = |t: &Type| match t {
            Type::Bool => 0,
            Type::Int(i) if !i.signed => 1,
            Type::Int(_) => 2,
            Type::Float(_) => 3,
            _ => 4,
        };
        let from = dtype_of(result);
        // Unsigned into signed counts as the same kind for NumPy; signed into unsigned does not.
        if kind(&from) <= kind(&target.dtype) {
            return Ok(());
        }
        let what = match op {
            Some(op) => format!("the result of `{}=`", op.symbol()),
            None => "the result".to_string(),
        };
        Err(self.typing(
            span,
            format!("cannot cast {what} from `{from}` to the array's `{}` with casting rule 'same_kind'", target.dtype),
            Some("convert the array first (`a = a.astype(...)`), or write `a = a ... b` to make a new array"),
        ))
    }
}

/// An element-wise library call with array arguments, being built: the map's operands so far,
/// and the array given as `out=`.
pub(crate) struct Lifted {
    operands: Vec<ir::Expr>,
    out: Option<ir::Expr>,
}

/// The parameters of element-wise library functions that take numbers (or arrays of them).
const INPUTS: [&str; 5] = ["condition", "x", "y", "x1", "x2"];

impl FnInfer<'_> {
    /// For a call of an element-wise library function (`np.sqrt(a)`, `np.minimum(a, 0.5)`,
    /// `abs(a)`): when an input is an array, or `out=` is given, replaces each input by its
    /// element, so that the function's own builder types one element. None when the call is
    /// on scalars only.
    pub(crate) fn lift_elementwise(&mut self, args: &mut crate::bind::Args, span: Span) -> Result<Option<Lifted>> {
        let out = match args.take("out") {
            None => None,
            Some(Value::Expr(e)) if e.ty == Type::NoneType => None,
            Some(v) => {
                let e = self.value_expr(v, span)?;
                match &e.ty {
                    Type::Array(a) if !a.readonly => Some(e),
                    Type::Array(_) => return Err(self.typing(span, format!("`out=` of `{}()` is a read-only array", args.callee), None)),
                    other => return Err(self.typing(span, format!("`out=` of `{}()` must be an array, not a `{other}`", args.callee), None)),
                }
            }
        };
        let any_array = INPUTS.iter().any(|name| matches!(args.get_mut(name), Some(Value::Expr(e)) if matches!(e.ty, Type::Array(_))));
        if !any_array && out.is_none() {
            return Ok(None);
        }
        let mut operands = Vec::new();
        for name in INPUTS {
            if let Some(Value::Expr(e)) = args.get_mut(name) {
                if !e.ty.is_number() && !matches!(e.ty, Type::Array(_)) {
                    continue;
                }
                let part = self.part(e.clone());
                *e = self.join(part, &mut operands, span);
            }
        }
        Ok(Some(Lifted { operands, out }))
    }

    /// The new array of an element-wise call lifted by [`FnInfer::lift_elementwise`], whose
    /// builder gave `element`; or, with `out=`, that array, filled.
    pub(crate) fn finish_elementwise(&mut self, lifted: Lifted, element: Value, span: Span) -> Result<ir::Expr> {
        let element = self.value_expr(element, span)?;
        let Lifted { operands, out } = lifted;
        let Some(out) = out else {
            return Ok(self.materialize(Map { operands, element }, span));
        };
        let a = match &out.ty {
            Type::Array(a) => a.clone(),
            _ => unreachable!("checked when lifted"),
        };
        self.check_same_kind(&element.ty, &a, None, span)?;
        let tmp = self.temp(out.ty.clone());
        let element = self.cast(element, &a.dtype);
        let stmts = vec![
            ir::Stmt { kind: StmtKind::Assign { local: tmp, value: out }, span },
            ir::Stmt { kind: StmtKind::ArrayMap { dst: self.local_expr(tmp, span), operands, element, fresh: false }, span },
        ];
        let ty = Type::Array(a);
        Ok(ir::Expr::new(ExprKind::Block { stmts, value: self.local_expr(tmp, span).boxed() }, ty, span))
    }
}

impl FnInfer<'_> {
    /// A `@vectorize` ufunc called from compiled code: its kernel on scalars; on arrays, the
    /// kernel on each element of the broadcast arguments, fused with what surrounds it.
    pub(crate) fn call_vectorized(&mut self, kernel: &std::sync::Arc<crate::env::FunctionSource>, args: Vec<Value>, keywords: Vec<(String, Value, Span)>, span: Span) -> Result<ir::Expr> {
        let arrays = args.iter().any(|a| matches!(a, Value::Expr(e) if matches!(e.ty, Type::Array(_))));
        if !arrays {
            return self.call_jit(kernel, args, keywords, span);
        }
        if let Some((_, _, kspan)) = keywords.first() {
            return Err(self.unsupported(*kspan, "keyword arguments of a `@vectorize` ufunc on arrays are not supported yet", None));
        }
        let mut operands = Vec::new();
        let mut elements = Vec::new();
        for a in args {
            let e = self.value_expr(a, span)?;
            let part = self.part(e);
            elements.push(Value::Expr(self.join(part, &mut operands, span)));
        }
        let element = self.call_jit(kernel, elements, vec![], span)?;
        if !element.ty.is_number() {
            return Err(self.typing(span, format!("a `@vectorize` kernel must return a number, not a `{}`", element.ty), None));
        }
        Ok(self.materialize(Map { operands, element }, span))
    }
}

/// The local a materialised map fills, for [`FnInfer::maps`].
pub(crate) type MapsByLocal = std::collections::HashMap<LocalId, Map>;
