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
            // A scalar constant sits in the element expression; a frozen global array is an
            // operand like any array.
            ExprKind::Const(_) if !matches!(e.ty, Type::Array(_)) => Part::Constant(e),
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
            if !t.is_number() && !crate::datetimes::is_time(t) {
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
            if !t.is_number() && !crate::datetimes::is_time(t) {
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
    /// array operand is 0-dimensional, the value itself, as NumPy's ufuncs give a scalar then.
    fn materialize(&mut self, map: Map, span: Span) -> ir::Expr {
        self.materialize_as(map, false, span)
    }

    /// [`FnInfer::materialize`], giving a 0-dimensional array rather than a scalar when
    /// `keep_0d` (as NumPy's `np.where` and `a.imag` do).
    fn materialize_as(&mut self, map: Map, keep_0d: bool, span: Span) -> ir::Expr {
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
        if ndim == 0 && !keep_0d {
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
        stmts.push(ir::Stmt { kind: StmtKind::Assign { local: out, value: ir::Expr::new(ExprKind::ArrayNew { shape: dims, zeroed: false }, out_ty.clone(), span) }, span });
        stmts.push(ir::Stmt { kind: StmtKind::ArrayMap { dst: self.local_expr(out, span), operands, element, fresh: true }, span });
        self.maps.insert(out, original);
        ir::Expr::new(ExprKind::Block { stmts, value: self.local_expr(out, span).boxed() }, out_ty, span)
    }

    /// A new array of the operands' broadcast shape holding `element` (over their
    /// `MapElement`s) at each index.
    /// A new 0-dimensional array holding the number `x`.
    pub(crate) fn as_0d_array(&mut self, x: ir::Expr, span: Span) -> ir::Expr {
        let ty = Type::Array(ArrayType::new(x.ty.clone(), 0, Layout::C));
        let local = self.temp(ty.clone());
        let stmts = vec![
            ir::Stmt { kind: StmtKind::Assign { local, value: ir::Expr::new(ExprKind::ArrayNew { shape: vec![], zeroed: false }, ty.clone(), span) }, span },
            ir::Stmt { kind: StmtKind::ArrayStore { array: self.local_expr(local, span), indices: vec![], value: x }, span },
        ];
        ir::Expr::new(ExprKind::Block { stmts, value: self.local_expr(local, span).boxed() }, ty, span)
    }

    /// Always an array, 0-dimensional ones included.
    pub(crate) fn materialize_map(&mut self, operands: Vec<ir::Expr>, element: ir::Expr, span: Span) -> ir::Expr {
        self.materialize_as(Map { operands, element }, true, span)
    }

    /// `x.sum()`, `x.min()`, `x.max()`, `x.mean()`, `x.prod()` of an array expression built in this walk,
    /// without the array; `x` comes back (as the error) when it is no such expression or the
    /// reduction is not one of these.
    pub(crate) fn reduce_map(&mut self, x: ir::Expr, name: &str, span: Span) -> std::result::Result<ir::Expr, ir::Expr> {
        let op = match name {
            "sum" => ReduceOp::Sum,
            "min" => ReduceOp::Min,
            "max" => ReduceOp::Max,
            "mean" => ReduceOp::Mean,
            "prod" => ReduceOp::Prod,
            _ => return Err(x),
        };
        let dtype = dtype_of(&x.ty);
        if !dtype.is_number() {
            return Err(x);
        }
        let ty = match (op, &dtype) {
            (ReduceOp::Sum | ReduceOp::Prod, Type::Bool) => Type::INT64,
            (ReduceOp::Sum | ReduceOp::Prod, Type::Int(i)) => if i.signed { Type::INT64 } else { Type::UINT64 },
            (ReduceOp::Min | ReduceOp::Max, Type::Complex(_)) => return Err(x),
            (ReduceOp::Mean, Type::Float(_) | Type::Complex(_)) => dtype.clone(),
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
        let times = crate::datetimes::is_time(&a.dtype);
        if !times && (matches!(source, Type::Complex(_)) && !matches!(*a.dtype, Type::Complex(_)) || !source.is_number()) {
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
        // Time values convert to the array's unit (an integer is a count), as a store does.
        let element = if times { self.time_element(e, &a.dtype, span)? } else { self.cast(e, &a.dtype) };
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

/// NumPy's casting rules (a ufunc's `casting=`), from the strictest; `same_kind` is the default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Casting {
    No,
    Equiv,
    Safe,
    SameKind,
    Unsafe,
}

impl Casting {
    const ALL: [Casting; 5] = [Casting::No, Casting::Equiv, Casting::Safe, Casting::SameKind, Casting::Unsafe];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Casting::No => "no",
            Casting::Equiv => "equiv",
            Casting::Safe => "safe",
            Casting::SameKind => "same_kind",
            Casting::Unsafe => "unsafe",
        }
    }

    /// Whether NumPy converts `from` to `to` under this rule (`np.can_cast(from, to, rule)`),
    /// for the number types compiled code has (all in native byte order, so `no` is `equiv`).
    pub(crate) fn allows(self, from: &Type, to: &Type) -> bool {
        match self {
            Casting::No | Casting::Equiv => from == to,
            Casting::Safe => safe_cast(from, to),
            // Within a kind or to a more general one: bool < unsigned < signed < float < complex
            // (unsigned into signed counts as the same kind; signed into unsigned does not).
            Casting::SameKind => safe_cast(from, to) || kind_rank(from) <= kind_rank(to),
            Casting::Unsafe => true,
        }
    }
}

fn kind_rank(t: &Type) -> u8 {
    match t {
        Type::Bool => 0,
        Type::Int(i) if !i.signed => 1,
        Type::Int(_) => 2,
        Type::Float(_) => 3,
        _ => 4,
    }
}

/// NumPy's `safe` casting: every value of `from` is exactly a value of `to` (integers of up to
/// 16 bits into any float, wider ones into float64 only, as NumPy's table has it).
fn safe_cast(from: &Type, to: &Type) -> bool {
    use ferrojit_types::FloatType;
    let int_into_float = |bits: u8, f: FloatType| bits <= 16 || f == FloatType::F64;
    match (from, to) {
        _ if from == to => true,
        (Type::Bool, t) => t.is_number(),
        (Type::Int(f), Type::Int(t)) => match (f.signed, t.signed) {
            (false, true) => t.bits > f.bits,
            (s, u) if s == u => t.bits >= f.bits,
            _ => false,
        },
        (Type::Int(i), Type::Float(f) | Type::Complex(f)) => int_into_float(i.bits, *f),
        (Type::Float(f), Type::Float(t) | Type::Complex(t)) | (Type::Complex(f), Type::Complex(t)) => t.bits() >= f.bits(),
        _ => false,
    }
}

/// An element-wise library call lifted over arrays, being built: the map's operands so far,
/// the array given as `out=`, and the ufunc options `dtype=`, `where=` and `casting=`.
pub(crate) struct Lifted {
    operands: Vec<ir::Expr>,
    out: Option<ir::Expr>,
    /// The loop's output type asked for by `dtype=`.
    dtype: Option<Type>,
    /// The element of the `where=` mask (an operand's element, or a bool scalar).
    mask: Option<ir::Expr>,
    casting: Casting,
    /// The result is an array even when every input is a scalar or 0-dimensional (`np.where`,
    /// which is no ufunc).
    keep_0d: bool,
    /// Per input taken from an array: its parameter and its operand index, whose element the
    /// ufunc's own loop converts only as `casting=` allows.
    array_inputs: Vec<(&'static str, usize)>,
}

/// NumPy's name of a ufunc, for its messages: `absolute` for `np.abs`.
fn ufunc_name(callee: &str) -> &str {
    match callee.trim_start_matches("np.") {
        "abs" => "absolute",
        "conj" => "conjugate",
        name => name,
    }
}

fn dtype_words(t: &Type) -> String {
    format!("dtype('{t}')")
}

impl FnInfer<'_> {
    /// A call of an element-wise library function (`np.sqrt(a)`, `np.minimum(a, 0.5)`,
    /// `abs(a)`) with an array input or a ufunc option (`out=`, `dtype=`, `where=`,
    /// `casting=`): the map of the function's element over the broadcast inputs, as NumPy's
    /// ufunc computes it. None (the arguments untouched) when the call is on scalars only.
    pub(crate) fn call_elementwise(&mut self, entry: &'static crate::registry::Entry, args: &mut crate::bind::Args, span: Span) -> Result<Option<ir::Expr>> {
        // `np.where` is no ufunc: its result is an array even of scalars (a 0-d one).
        let keep_0d = entry.name == "numpy.where";
        let Some(mut lifted) = self.lift_elementwise(args, keep_0d, span)? else { return Ok(None) };
        lifted.keep_0d = keep_0d;
        let ufunc = ufunc_name(entry.callee);
        let mut build = |cx: &mut Self, args: &mut crate::bind::Args| cx.build_entry(entry, args, span).and_then(|v| cx.value_expr(v, span));
        let element = self.elementwise_element(ufunc, &mut build, args, &mut lifted, span)?;
        self.finish_elementwise(lifted, element, ufunc, span).map(Some)
    }

    /// For a lifted call: takes the ufunc options, and replaces each input by its element, so
    /// that the function's own builder types one element. None when no input is an array and
    /// no option is given, unless `always`.
    fn lift_elementwise(&mut self, args: &mut crate::bind::Args, always: bool, span: Span) -> Result<Option<Lifted>> {
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
        let dtype = match args.take_spanned("dtype") {
            None | Some((Value::Expr(ir::Expr { ty: Type::NoneType, .. }), _)) => None,
            Some((v, at)) => Some(self.number_dtype_arg(&v, at)?),
        };
        let casting = match args.take_spanned("casting") {
            None => None,
            Some((Value::Str(name), at)) => match Casting::ALL.into_iter().find(|c| c.name() == name) {
                Some(c) => Some(c),
                None => return Err(self.typing(at, format!("casting must be one of 'no', 'equiv', 'safe', 'same_kind', 'unsafe' (got '{name}')"), None)),
            },
            Some((_, at)) => return Err(self.typing(at, "`casting=` must be a string: 'no', 'equiv', 'safe', 'same_kind' or 'unsafe'", None)),
        };
        let mask = match args.take_spanned("where") {
            None => None,
            Some((v, at)) => {
                let e = self.value_expr(v, at)?;
                match &e.ty {
                    Type::Bool => Some(e),
                    Type::Array(a) if *a.dtype == Type::Bool => Some(e),
                    other => {
                        let from = dtype_of(other);
                        return Err(self.typing(at, format!("Cannot cast array data from {} to dtype('bool') according to the rule 'safe'", dtype_words(&from)), Some("pass a boolean array or `True`/`False` as `where=`, e.g. `where=a > 0`")));
                    }
                }
            }
        };
        let inputs: Vec<&'static str> = args.positional_only().collect();
        let any_array = inputs.iter().any(|name| matches!(args.get_mut(name), Some(Value::Expr(e)) if matches!(e.ty, Type::Array(_))));
        let options = out.is_some() || dtype.is_some() || mask.is_some() || casting.is_some();
        if !any_array && !options && !always {
            return Ok(None);
        }
        let mut operands = Vec::new();
        let mut array_inputs = Vec::new();
        for name in inputs {
            if let Some(Value::Expr(e)) = args.get_mut(name) {
                if !e.ty.is_number() && !matches!(e.ty, Type::Array(_)) {
                    continue;
                }
                let part = self.part(e.clone());
                if let Part::Operand(_) = part {
                    array_inputs.push((name, operands.len()));
                }
                *e = self.join(part, &mut operands, span);
            }
        }
        // The mask joins the map last: its shape broadcasts with the inputs', as in NumPy.
        let mask = match mask {
            Some(m) => {
                let part = self.part(m);
                Some(self.join(part, &mut operands, span))
            }
            None => None,
        };
        Ok(Some(Lifted { operands, out, dtype, mask, casting: casting.unwrap_or(Casting::SameKind), keep_0d: false, array_inputs }))
    }

    /// The element of a lifted call, typed as NumPy picks the ufunc's loop: the function's own
    /// loop for the inputs, or with `dtype=T` the loop whose output is `T` (the inputs cast to
    /// `T` when the function's loop for them gives another type); every conversion of an input
    /// is checked against `casting=`.
    fn elementwise_element(&mut self, ufunc: &str, build: &mut dyn FnMut(&mut Self, &mut crate::bind::Args) -> Result<ir::Expr>, args: &mut crate::bind::Args, lifted: &mut Lifted, span: Span) -> Result<ir::Expr> {
        let inputs: Vec<&'static str> = args.positional_only().collect::<Vec<_>>().into_iter().filter(|n| matches!(args.get_mut(n), Some(Value::Expr(e)) if e.ty.is_number())).collect();
        let input_words = |name: &str| if inputs.len() == 1 { "input".to_string() } else { format!("input {}", inputs.iter().position(|n| *n == name).unwrap_or(0)) };
        let Some(want) = lifted.dtype.clone() else {
            let element = build(self, args)?;
            if matches!(lifted.casting, Casting::No | Casting::Equiv) {
                // The loop's conversions of the inputs are the casts of their elements.
                for &(name, i) in &lifted.array_inputs {
                    let from = dtype_of(&lifted.operands[i].ty);
                    if let Some(to) = cast_of_operand(&element, i) {
                        return Err(self.typing(span, format!("Cannot cast ufunc '{ufunc}' {} from {} to {} with casting rule '{}'", input_words(name), dtype_words(&from), dtype_words(&to), lifted.casting.name()), None));
                    }
                }
            }
            return Ok(element);
        };
        // The function's own loop, when it already gives `want` (`np.isnan(a, dtype=bool)`,
        // `np.abs(complex_array, dtype=np.float64)`).
        let natural = {
            let mut probe = args.clone();
            build(self, &mut probe)
        };
        if let Ok(e) = &natural {
            if e.ty == want {
                return natural;
            }
        }
        // Else the loop of `want` inputs: it must exist, then take the inputs by `casting=`.
        let mut converted = Vec::new();
        for &name in &inputs {
            let literal = args.is_literal(name);
            if let Some(Value::Expr(e)) = args.get_mut(name) {
                if e.ty != want {
                    converted.push((name, e.ty.clone(), literal));
                    *e = self.cast(e.clone(), &want);
                }
            }
        }
        let element = match build(self, args) {
            Ok(e) if e.ty == want => e,
            Ok(_) => return Err(self.typing(span, format!("No loop matching the specified signature and casting was found for ufunc {ufunc}"), Some("pass a `dtype=` the function computes in, as in NumPy"))),
            Err(err) => return Err(natural.err().unwrap_or(err)),
        };
        // A Python number written in the call is weak (NEP 50): it converts by value within
        // its kind or to a more general one (`2` into int32 even with `casting='safe'`).
        let refused = |from: &Type, literal: bool| {
            if literal && lifted.casting != Casting::Unsafe { kind_rank(from) > kind_rank(&want) } else { !lifted.casting.allows(from, &want) }
        };
        if let Some((name, from, _)) = converted.into_iter().find(|(_, from, literal)| refused(from, *literal)) {
            return Err(self.typing(span, format!("Cannot cast ufunc '{ufunc}' {} from {} to {} with casting rule '{}'", input_words(name), dtype_words(&from), dtype_words(&want), lifted.casting.name()), None));
        }
        Ok(element)
    }

    /// The new array of a lifted call whose element is `element`; or, with `out=`, that array,
    /// filled. With `where=`, only where the mask is true: elsewhere `out=` keeps its values,
    /// and a new array holds zeros (NumPy leaves them uninitialised).
    fn finish_elementwise(&mut self, lifted: Lifted, element: ir::Expr, ufunc: &str, span: Span) -> Result<ir::Expr> {
        let Lifted { mut operands, out, mask, casting, keep_0d, .. } = lifted;
        let Some(out) = out else {
            let element = match mask {
                Some(mask) => {
                    let zero = self.cast(ir::Expr::new(ExprKind::Const(ir::Const::Int(0)), Type::INT64, span), &element.ty);
                    let ty = element.ty.clone();
                    ir::Expr::new(ExprKind::IfExp { cond: mask.boxed(), then: element.boxed(), otherwise: zero.boxed() }, ty, span)
                }
                None => element,
            };
            return Ok(self.materialize_as(Map { operands, element }, keep_0d, span));
        };
        let a = match &out.ty {
            Type::Array(a) => a.clone(),
            _ => unreachable!("checked when lifted"),
        };
        let from = dtype_of(&element.ty);
        if !casting.allows(&from, &a.dtype) {
            return Err(self.typing(
                span,
                format!("Cannot cast ufunc '{ufunc}' output from {} to {} with casting rule '{}'", dtype_words(&from), dtype_words(&a.dtype), casting.name()),
                Some("pass an `out=` array of the result's type, or `casting='unsafe'`"),
            ));
        }
        let tmp = self.temp(out.ty.clone());
        let element = self.cast(element, &a.dtype);
        let element = match mask {
            Some(mask) => {
                // Unselected elements keep the value `out` holds: the array reads itself there.
                operands.push(self.local_expr(tmp, span));
                let kept = ir::Expr::new(ExprKind::MapElement(operands.len() - 1), (*a.dtype).clone(), span);
                let ty = element.ty.clone();
                ir::Expr::new(ExprKind::IfExp { cond: mask.boxed(), then: element.boxed(), otherwise: kept.boxed() }, ty, span)
            }
            None => element,
        };
        let stmts = vec![
            ir::Stmt { kind: StmtKind::Assign { local: tmp, value: out }, span },
            ir::Stmt { kind: StmtKind::ArrayMap { dst: self.local_expr(tmp, span), operands, element, fresh: false }, span },
        ];
        let ty = Type::Array(a);
        Ok(ir::Expr::new(ExprKind::Block { stmts, value: self.local_expr(tmp, span).boxed() }, ty, span))
    }
}

/// The type operand `i`'s element is converted to in `element`, if it is.
fn cast_of_operand(element: &ir::Expr, i: usize) -> Option<Type> {
    let mut found = None;
    let mut element = element.clone();
    element.walk_mut(&mut |x| {
        if let ExprKind::Cast(inner) = &x.kind {
            if matches!(inner.kind, ExprKind::MapElement(j) if j == i) && found.is_none() {
                found = Some(x.ty.clone());
            }
        }
    });
    found
}

impl FnInfer<'_> {
    /// A `@vectorize` ufunc called from compiled code: its kernel on scalars; on arrays, the
    /// kernel on each element of the broadcast arguments, fused with what surrounds it.
    pub(crate) fn call_vectorized(&mut self, kernel: &std::sync::Arc<crate::env::FunctionSource>, args: Vec<Value>, keywords: Vec<(String, Value, Span)>, span: Span) -> Result<ir::Expr> {
        let arrays = args.iter().any(|a| matches!(a, Value::Expr(e) if matches!(e.ty, Type::Array(_))));
        if !arrays && keywords.is_empty() {
            return self.call_jit(kernel, args, keywords, span);
        }
        // Bound as NumPy's ufunc of as many inputs as the kernel has parameters.
        let nin = match &kernel.ast {
            Ok(def) => def.params.len(),
            Err(_) => return self.call_jit(kernel, args, keywords, span),
        };
        let signature = ufunc_signature(nin);
        let callee = interned(&kernel.name);
        let mut bound = self.bind(callee, signature, args, keywords, span)?;
        let Some(mut lifted) = self.lift_elementwise(&mut bound, false, span)? else {
            return Err(self.internal(span, "a `@vectorize` call with arrays or options was not lifted"));
        };
        let mut build = |cx: &mut Self, args: &mut crate::bind::Args| {
            let inputs: Vec<&'static str> = args.positional_only().collect();
            let elements = inputs.into_iter().map(|n| args.take(n).expect("inputs are required")).collect();
            let element = cx.call_jit(kernel, elements, vec![], span)?;
            if !element.ty.is_number() {
                return Err(cx.typing(span, format!("a `@vectorize` kernel must return a number, not a `{}`", element.ty), None));
            }
            Ok(element)
        };
        let element = self.elementwise_element(&kernel.name, &mut build, &mut bound, &mut lifted, span)?;
        self.finish_elementwise(lifted, element, &kernel.name, span)
    }
}

/// `name` kept for the life of the process, once per distinct name (binding names callees by
/// `&'static str`).
fn interned(name: &str) -> &'static str {
    use std::sync::{Mutex, OnceLock};
    static NAMES: OnceLock<Mutex<std::collections::HashSet<&'static str>>> = OnceLock::new();
    let mut names = NAMES.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    if let Some(known) = names.get(name) {
        return known;
    }
    let made = crate::builtins::leak(name.to_string());
    names.insert(made);
    made
}

/// The parameters of a NumPy ufunc of `nin` inputs (`x1, ..., xn, /, out=None, *, where=True,
/// ...`), made once per number of inputs.
fn ufunc_signature(nin: usize) -> &'static crate::bind::Signature {
    use std::sync::{Mutex, OnceLock};
    static SIGNATURES: OnceLock<Mutex<std::collections::HashMap<usize, &'static crate::bind::Signature>>> = OnceLock::new();
    let mut made = SIGNATURES.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    made.entry(nin).or_insert_with(|| {
        let inputs: Vec<String> = (1..=nin).map(|i| format!("x{i}")).collect();
        let text = crate::builtins::leak(format!("{}, /, out=None, *, where=True, casting='same_kind', ~order='K', dtype=None, ~subok=True", inputs.join(", ")));
        Box::leak(Box::new(crate::bind::Signature::parse(text)))
    })
}

/// The local a materialised map fills, for [`FnInfer::maps`].
pub(crate) type MapsByLocal = std::collections::HashMap<LocalId, Map>;
