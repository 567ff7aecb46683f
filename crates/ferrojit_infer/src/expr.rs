//! Typing expressions and operators. Operand conversions follow `ferrojit_types`' promotion
//! rules and are made explicit with `Cast` nodes.

use crate::env::{ConstValue, GlobalValue, ModuleKind};
use crate::function::{FnInfer, Result};
use crate::overloads::{self, ArgType, OverloadRequest, OverloadTarget, Resolution, StaticParam};
use ferrojit_ir::{self as ir, BinaryOp, CmpOp, Const, ExcKind, ExprKind, RuntimeFunc, StmtKind, UnaryOp};
use ferrojit_syntax::ast::{self, BinOp, Span};
use ferrojit_types::{exact_comparison, promote_arith, promote_weak, unify, ArrayType, IntType, Layout, Type};

/// Which operands of an operator are Python number literals (`1`, `-2`, `0.5`, `1j`, `True`):
/// NEP 50's weak scalars, which take the other operand's type (`x_uint8 + 1` is `uint8`).
/// Values in variables, arguments and globals are not literals: a Python int there is `int64`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Literals {
    pub left: bool,
    pub right: bool,
}

/// Whether `e` is written as a Python number literal, possibly signed (`-1`, `+0.5`).
pub(crate) fn is_number_literal(e: &ast::Expr) -> bool {
    match &e.kind {
        ast::ExprKind::Int(_) | ast::ExprKind::Float(_) | ast::ExprKind::Imag(_) | ast::ExprKind::Bool(_) => true,
        ast::ExprKind::UnaryOp { op: ast::UnaryOp::Neg | ast::UnaryOp::Pos, operand } => is_number_literal(operand),
        _ => false,
    }
}

/// Whether the integer type `ty` holds `v`.
fn int_holds(ty: IntType, v: i128) -> bool {
    let bits = ty.bits as u32;
    if ty.signed {
        (-(1i128 << (bits - 1))..(1i128 << (bits - 1))).contains(&v)
    } else {
        (0..(1i128 << bits)).contains(&v)
    }
}

/// What an expression denotes: a runtime value, or a compile-time thing (a module, a function,
/// an exception class, a string) that only some positions accept.
#[derive(Clone)]
pub(crate) enum Value {
    Expr(ir::Expr),
    Global(GlobalValue),
    Str(String),
    /// An array element type known at compile time (`a.dtype`).
    DType(Type),
    /// `a.flat` of array `a`: iterated, indexed (`a.flat[i]`, also assigned to) or measured
    /// (`len(a.flat)`), not held as a value (see `iteration`).
    FlatIter(ir::Expr),
}

/// The type of the Python scalar that NumPy's `.item()` gives for a scalar of type `ty`: bool,
/// int (int64, or uint64 for uint64 values), float (float64) or complex (complex128).
pub(crate) fn python_scalar_type(ty: &Type) -> Type {
    match ty {
        Type::Int(i) if i.bits == 64 && !i.signed => Type::UINT64,
        Type::Int(_) => Type::INT64,
        Type::Float(_) => Type::FLOAT64,
        Type::Complex(_) => Type::COMPLEX128,
        other => other.clone(),
    }
}

pub(crate) fn constant(value: &ConstValue, span: Span) -> ir::Expr {
    let (kind, ty) = match value {
        ConstValue::Bool(b) => (Const::Bool(*b), Type::Bool),
        ConstValue::Int(v) => (Const::Int(*v as i128), Type::INT64),
        ConstValue::UInt(v) => (Const::Int(*v as i128), Type::UINT64),
        ConstValue::Float(v) => (Const::Float(*v), Type::FLOAT64),
        ConstValue::Complex(re, im) => (Const::Complex(*re, *im), Type::COMPLEX128),
        ConstValue::None => (Const::None, Type::NoneType),
        ConstValue::Str(text) => (Const::Str(text.clone()), Type::Str),
        ConstValue::Typed(v, dtype) => {
            let mut e = constant(v, span);
            e.ty = Type::from_name(dtype).unwrap_or(e.ty);
            if let (Const::Int(i), Type::Float(_)) = (&e.kind_const(), &e.ty) {
                e.kind = ExprKind::Const(Const::Float(*i as f64));
            }
            return e;
        }
        ConstValue::Array { dtype, data, shape } => {
            // A frozen global is a C-contiguous copy in memory ferrojit allocated: aligned.
            let ty = ArrayType { readonly: true, ..ArrayType::new(dtype.clone(), shape.len() as u8, Layout::C) };
            return ir::Expr::new(ExprKind::Const(Const::Array { data: *data, shape: shape.clone() }), Type::Array(ty), span);
        }
        ConstValue::Tuple(items) => {
            let items: Vec<ir::Expr> = items.iter().map(|i| constant(i, span)).collect();
            let ty = Type::Tuple(items.iter().map(|i| i.ty.clone()).collect());
            return ir::Expr::new(ExprKind::Tuple(items), ty, span);
        }
    };
    ir::Expr::new(ExprKind::Const(kind), ty, span)
}

trait ConstOf {
    fn kind_const(&self) -> Const;
}

impl ConstOf for ir::Expr {
    fn kind_const(&self) -> Const {
        match &self.kind {
            ExprKind::Const(c) => c.clone(),
            _ => Const::None,
        }
    }
}

fn int_const(v: i128, ty: Type, span: Span) -> ir::Expr {
    ir::Expr::new(ExprKind::Const(Const::Int(v)), ty, span)
}

/// What a call of an overloaded callable came to.
pub(crate) enum Overloaded {
    Call(ir::Expr),
    /// No typing function accepted the argument types; why, when one said.
    NoMatch(String),
    /// The arguments fit no typing function's parameters: CPython's message. A callable the
    /// compiler implements too (a built-in method a user overloaded) serves the call instead.
    BadCall(String),
    /// The library refused the call: the error to raise at the call.
    Refused(Box<crate::InferError>),
}

/// An item of a display or a call's positional arguments, typed (see
/// [`FnInfer::display_item`]).
pub(crate) enum DisplayItem {
    One(ir::Expr),
    /// `*t` of a tuple: its items, known when compiling.
    Spliced(Vec<ir::Expr>),
    /// `*x` of any other value: an iterable whose items are only known when the code runs.
    Iterable(ir::Expr),
}

/// A module's own name (`numpy` for `np`), which qualifies the names of its functions.
pub(crate) fn module_name(module: ModuleKind) -> &'static str {
    match module {
        ModuleKind::Math => "math",
        ModuleKind::Numpy => "numpy",
        ModuleKind::NumpyLinalg => "numpy.linalg",
        ModuleKind::NumpyRandom => "numpy.random",
        ModuleKind::Random => "random",
        ModuleKind::Cmath => "cmath",
        ModuleKind::Operator => "operator",
        ModuleKind::Functools => "functools",
        ModuleKind::Heapq => "heapq",
        ModuleKind::Bisect => "bisect",
        ModuleKind::Ferrojit => "ferrojit",
        ModuleKind::FerrojitTyped => "ferrojit.typed",
        ModuleKind::FerrojitTypes => "ferrojit.types",
    }
}

/// Whether the optional `x` holds a value (its flag).
pub(crate) fn optional_present(x: ir::Expr) -> ir::Expr {
    let span = x.span;
    ir::Expr::new(ExprKind::TupleGet(x.boxed(), 0), Type::Bool, span)
}

/// The optional of type `ty` holding `x` (of `ty`'s inner type, or `None`).
pub(crate) fn make_optional(x: ir::Expr, ty: &Type) -> ir::Expr {
    let span = x.span;
    if x.ty == Type::NoneType {
        // Zeroed: no flag, and a value that holds no reference.
        return ir::Expr::new(ExprKind::Const(Const::None), ty.clone(), span);
    }
    let present = ir::Expr::new(ExprKind::Const(Const::Bool(true)), Type::Bool, span);
    ir::Expr::new(ExprKind::Tuple(vec![present, x]), ty.clone(), span)
}

fn bool_const(b: bool, span: Span) -> ir::Expr {
    ir::Expr::new(ExprKind::Const(Const::Bool(b)), Type::Bool, span)
}

impl FnInfer<'_> {
    /// Types an expression that must be a runtime value.
    pub fn expr(&mut self, e: &ast::Expr) -> Result<ir::Expr> {
        match self.value(e)? {
            Value::Expr(x) => Ok(x),
            Value::Str(text) => Ok(Self::string_constant(&text, e.span)),
            Value::DType(_) => Err(self.unsupported(e.span, "a dtype can only be passed to array-creating functions", Some("e.g. `np.empty(n, dtype=a.dtype)`"))),
            Value::FlatIter(_) => Err(self.flat_iter_misused(e.span)),
            Value::Global(GlobalValue::Jit(source)) => Ok(self.plain_function_value(&source, e.span)),
            Value::Global(g @ (GlobalValue::Function(_) | GlobalValue::Overloaded(_))) if !self.is_number_class(&g) => Ok(self.library_function_value(g, e.span)),
            Value::Global(GlobalValue::JitClass(id)) => self.class_value(id, e.span),
            Value::Global(g) => {
                let what = match g {
                    GlobalValue::Module(_) => "a module",
                    GlobalValue::Function(_) | GlobalValue::Jit(_) | GlobalValue::Vectorized(_) | GlobalValue::Overloaded(_) => "a function",
                    GlobalValue::ExceptionClass(_) | GlobalValue::UserExceptionClass(..) => "an exception class",
                    GlobalValue::NamedTupleClass(_) => "a named tuple class",
                    _ => "not a value compiled code can use",
                };
                Err(self.typing(e.span, format!("this is {what}, not a value"), Some("call it, or pass the value it computes")))
            }
        }
    }

    /// Types an expression. A value that may be `None` (an optional, `d.get(k)`) is used as
    /// its value, a `TypeError` when it is `None` (as Numba's), except where the caller asked
    /// for the optional itself (see [`Self::optional_expr`]).
    pub fn value(&mut self, e: &ast::Expr) -> Result<Value> {
        let keep = std::mem::take(&mut self.keep_optional);
        match self.any_value(e, keep)? {
            Value::Expr(x) if !keep && matches!(x.ty, Type::Optional(_)) => Ok(Value::Expr(self.unwrap_optional(x))),
            v => Ok(v),
        }
    }

    /// Types an expression that may give an optional, keeping it one: what holds an optional
    /// as it is (a variable assigned it, `return`, `is None`, a condition) types its operand
    /// with this.
    pub(crate) fn optional_expr(&mut self, e: &ast::Expr) -> Result<ir::Expr> {
        self.keep_optional = true;
        let x = self.expr(e);
        self.keep_optional = false;
        x
    }

    /// The value of the optional `x`; CPython's `TypeError` when it is `None` (Numba's
    /// message: no operation on `None` is compiled).
    pub(crate) fn unwrap_optional(&mut self, x: ir::Expr) -> ir::Expr {
        let span = x.span;
        let Type::Optional(inner) = x.ty.clone() else { return x };
        let mut stmts = Vec::new();
        let held = if matches!(x.kind, ExprKind::Local(_)) {
            x
        } else {
            let tmp = self.temp(x.ty.clone());
            stmts.push(ir::Stmt { kind: StmtKind::Assign { local: tmp, value: x }, span });
            self.local_expr(tmp, span)
        };
        let present = optional_present(held.clone());
        let absent = ir::Expr::new(ExprKind::Unary { op: UnaryOp::Not, operand: present.boxed() }, Type::Bool, span);
        let raise = ir::Stmt { kind: StmtKind::Raise { exc: ExcKind::TypeError, msg: Some(format!("expected {inner}, got None")) }, span };
        stmts.push(ir::Stmt { kind: StmtKind::If { cond: absent, then_body: vec![raise], else_body: vec![] }, span });
        let value = ir::Expr::new(ExprKind::TupleGet(held.boxed(), 1), (*inner).clone(), span);
        ir::Expr::new(ExprKind::Block { stmts, value: value.boxed() }, *inner, span)
    }

    /// Types an expression; `keep`: the caller keeps an optional (see [`Self::value`]), and
    /// the items of a tuple display it makes (`return v, d.get(k)`).
    fn any_value(&mut self, e: &ast::Expr, keep: bool) -> Result<Value> {
        let span = e.span;
        let expr = |kind, ty| Ok(Value::Expr(ir::Expr::new(kind, ty, span)));
        match &e.kind {
            ast::ExprKind::Int(v) => {
                let ty = if *v <= i64::MAX as u64 { Type::INT64 } else { Type::UINT64 };
                expr(ExprKind::Const(Const::Int(*v as i128)), ty)
            }
            ast::ExprKind::Float(v) => expr(ExprKind::Const(Const::Float(*v)), Type::FLOAT64),
            ast::ExprKind::Imag(v) => expr(ExprKind::Const(Const::Complex(0.0, *v)), Type::COMPLEX128),
            ast::ExprKind::Bool(b) => expr(ExprKind::Const(Const::Bool(*b)), Type::Bool),
            ast::ExprKind::None => expr(ExprKind::Const(Const::None), Type::NoneType),
            ast::ExprKind::Str(s) => Ok(Value::Str(s.clone())),
            // The bytes as the code points of a string typed `bytes` (see `Type::Bytes`).
            ast::ExprKind::Bytes(b) => expr(ExprKind::Const(Const::Str(b.iter().map(|&c| c as char).collect())), Type::Bytes),
            ast::ExprKind::Ellipsis => Err(self.unsupported(span, "`...` is only supported as an item of an array subscript (`a[..., 0]`)", None)),
            ast::ExprKind::Name(name) => {
                if self.cells.contains_key(name) {
                    return self.cell_read(name, span).map(Value::Expr);
                }
                if let Some(&id) = self.names.get(name) {
                    return match &self.locals[id].ty {
                        Some(_) => {
                            let local = self.local_expr(id, span);
                            Ok(Value::Expr(self.checked_read(name, local, span)))
                        }
                        None => Err(self.pending_or(self.typing(
                            span,
                            format!("variable `{name}` is used before it is assigned"),
                            Some("assign it on every path before this line"),
                        ))),
                    };
                }
                if let Some(own) = self.own_function_value(name, span) {
                    return Ok(Value::Expr(own));
                }
                match self.global(name, span)? {
                    GlobalValue::Const(c) => Ok(Value::Expr(constant(&c, span))),
                    GlobalValue::DType(t) => Ok(Value::DType(t)),
                    GlobalValue::Str(s) => Ok(Value::Str(s)),
                    // Python's `NotImplemented`, which a binary special method returns.
                    GlobalValue::Other(type_name) if type_name == "NotImplementedType" => expr(ExprKind::Const(Const::None), Type::NotImplemented),
                    GlobalValue::Other(type_name) => Err(self.typing(
                        span,
                        format!("global `{name}` is a `{type_name}`, which compiled code cannot use"),
                        Some("pass it as an argument, or make it a number or a tuple of numbers"),
                    )),
                    g => Ok(Value::Global(g)),
                }
            }
            ast::ExprKind::Attribute { value, attr } => self.attribute(value, attr, span),
            ast::ExprKind::Subscript { value, index } => self.subscript(value, index, span).map(Value::Expr),
            ast::ExprKind::Slice { .. } => Err(self.unsupported(span, "slices are only supported when indexing", None)),
            ast::ExprKind::Tuple(items) => {
                let items = self.each_collecting_overloads(items, |cx, i| match &i.kind {
                    ast::ExprKind::Starred(_) => cx.display_item(i),
                    _ if keep => cx.optional_expr(i).map(DisplayItem::One),
                    _ => cx.display_item(i),
                })?;
                let mut flat = Vec::new();
                for item in items {
                    match item {
                        DisplayItem::One(e) => flat.push(e),
                        DisplayItem::Spliced(items) => flat.extend(items),
                        DisplayItem::Iterable(e) => {
                            return Err(self.unsupported(
                                e.span,
                                format!("`*` of a `{}` in a tuple display: its length is only known when the code runs, and a tuple's is part of its type", e.ty),
                                Some("star a tuple here, or build a list instead (`[*items]`)"),
                            ))
                        }
                    }
                }
                let ty = Type::Tuple(flat.iter().map(|i| i.ty.clone()).collect());
                expr(ExprKind::Tuple(flat), ty)
            }
            ast::ExprKind::NamedExpr { target, value } => {
                // `(x := v)`: `v` is held in a temporary the expression gives, and assigned to
                // `x` (whose type may be wider) as a statement would.
                let value = self.expr(value)?;
                let tmp = self.temp(value.ty.clone());
                let mut stmts = vec![ir::Stmt { kind: StmtKind::Assign { local: tmp, value }, span }];
                self.assign(target, self.local_expr(tmp, span), &mut stmts)?;
                let ty = self.locals[tmp].ty.clone().expect("typed temporary");
                expr(ExprKind::Block { stmts, value: self.local_expr(tmp, span).boxed() }, ty)
            }
            ast::ExprKind::Starred(_) => Err(self.unsupported(span, "a starred expression is only supported in a tuple, list or set display, a call's arguments and an assignment's targets", None)),
            ast::ExprKind::Lambda(def) => self.function_definition(def, span).map(Value::Expr),
            ast::ExprKind::List(items) => self.list_display(items, None, span).map(Value::Expr),
            ast::ExprKind::Dict { keys, values } => self.dict_display(keys, values, None, span).map(Value::Expr),
            ast::ExprKind::Set(items) => self.set_display(items, None, span).map(Value::Expr),
            ast::ExprKind::SetComp { elt, generators, result } => self.set_comprehension(elt, generators, result, span).map(Value::Expr),
            ast::ExprKind::ListComp { elt, generators, result } => self.list_comprehension(elt, generators, result, span).map(Value::Expr),
            ast::ExprKind::DictComp { key, value, generators, result } => self.dict_comprehension(key, value, generators, result, span).map(Value::Expr),
            ast::ExprKind::BinOp { op, left, right } => {
                let mut sides = self.each_collecting_overloads([&**left, &**right], |cx, e| cx.expr(e))?;
                let (r, l) = (sides.pop().expect("two sides"), sides.pop().expect("two sides"));
                let literals = Literals { left: is_number_literal(left), right: is_number_literal(right) };
                self.binop_with_literals(*op, l, r, literals, span).map(Value::Expr)
            }
            ast::ExprKind::UnaryOp { op, operand } => {
                // `not v` of an optional is the negation of its truth (`None` is false).
                let x = if *op == ast::UnaryOp::Not { self.optional_expr(operand)? } else { self.expr(operand)? };
                self.unaryop(*op, x, span).map(Value::Expr)
            }
            ast::ExprKind::BoolOp { op, values } => {
                // A value known from the types alone (`isinstance(x, str)`) that decides the
                // result leaves the values after it unevaluated, and untyped: as Numba prunes
                // them, `isinstance(x, str) and len(x) > 2` compiles for a number `x`. A
                // known value that does not decide it is dropped, unless it is the last.
                let and = *op == ast::BoolOp::And;
                let mut decided = false;
                let typed = self.each_collecting_overloads(values, |cx, v| {
                    if decided {
                        return Ok(None);
                    }
                    let e = cx.expr(v)?;
                    decided = matches!(e.kind, ExprKind::Const(Const::Bool(b)) if e.ty == Type::Bool && b != and);
                    Ok(Some(e))
                })?;
                let mut typed: Vec<ir::Expr> = typed.into_iter().flatten().collect();
                let last = typed.len() - 1;
                let mut i = 0;
                typed.retain(|e| {
                    i += 1;
                    i - 1 == last || !matches!(e.kind, ExprKind::Const(Const::Bool(b)) if e.ty == Type::Bool && b == and)
                });
                if typed.len() == 1 {
                    return Ok(Value::Expr(typed.pop().expect("one value")));
                }
                self.boolop(and, typed, span).map(Value::Expr)
            }
            ast::ExprKind::Compare { left, ops, comparators } => {
                let literals: Vec<bool> = std::iter::once(&**left).chain(comparators).map(is_number_literal).collect();
                // `v is None`, `v == None`, `v == 3`: tests of an optional itself (`None` equals
                // only `None`).
                let keep = matches!(ops.as_slice(), [CmpOp::Is | CmpOp::IsNot | CmpOp::Eq | CmpOp::NotEq]);
                let mut rest = self.each_collecting_overloads(std::iter::once(&**left).chain(comparators), |cx, c| if keep { cx.optional_expr(c) } else { cx.expr(c) })?;
                let left = rest.remove(0);
                self.compare_chain(left, ops, rest, &literals, span).map(Value::Expr)
            }
            ast::ExprKind::IfExp { test, body, orelse } => {
                let cond = self.cond(test)?;
                // A test known from the types alone: only the branch that can run is typed.
                if let ExprKind::Const(Const::Bool(taken)) = cond.kind {
                    return self.value(if taken { body } else { orelse });
                }
                let then = self.expr(body);
                let otherwise = self.expr(orelse);
                // While exploring, a branch not typeable yet (a recursive call) does not stop
                // the other from giving the expression a type: `n if n < 2 else fib(n - 1)`.
                let (then, otherwise) = match (then, otherwise) {
                    (Err(e), Ok(o)) if self.is_pending(&e) => return Ok(Value::Expr(o)),
                    (Ok(t), Err(e)) if self.is_pending(&e) => return Ok(Value::Expr(t)),
                    (t, o) => (t?, o?),
                };
                // `x if c else None` is an optional.
                let ty = crate::function::unify_or_optional(&then.ty, &otherwise.ty).ok_or_else(|| {
                    self.typing(span, format!("the two branches give a `{}` and a `{}`", then.ty, otherwise.ty), Some("make both branches the same kind of value"))
                })?;
                let then = self.cast(then, &ty).boxed();
                let otherwise = self.cast(otherwise, &ty).boxed();
                expr(ExprKind::IfExp { cond: cond.boxed(), then, otherwise }, ty)
            }
            ast::ExprKind::Call { func, args, keywords } => self.call(func, args, keywords, span),
            ast::ExprKind::FString(parts) => self.fstring(parts, span).map(Value::Expr),
        }
    }

    fn attribute(&mut self, value: &ast::Expr, attr: &str, span: Span) -> Result<Value> {
        if let ast::ExprKind::Attribute { value: array, attr: flags } = &value.kind {
            if flags == "flags" {
                // `a.flags.c_contiguous`: one flag of an array, read at once.
                let array = self.expr(array)?;
                if matches!(array.ty, Type::Array(_)) {
                    return self.array_flag(array, attr, span).map(Value::Expr);
                }
            }
        }
        let value = self.value(value)?;
        match value {
            Value::Expr(object) if matches!(object.ty, Type::Instance(_)) => return self.instance_attribute(object, attr, span).map(Value::Expr),
            Value::Global(GlobalValue::JitClass(id)) => return self.class_attribute(id, attr, span),
            Value::Expr(class) if matches!(class.ty, Type::Class(_)) => {
                let Type::Class(c) = &class.ty else { unreachable!("matched") };
                return self.class_attribute(c.class, attr, span);
            }
            _ => {}
        }
        if let Value::Expr(receiver) = &value {
            if overloads::has_attribute(attr) {
                let target = OverloadTarget::Attribute(attr.to_string());
                if let Overloaded::Call(e) = self.call_overloaded(target, vec![Value::Expr(receiver.clone())], vec![], span)? {
                    return Ok(Value::Expr(e));
                }
            }
        }
        match value {
            Value::Global(GlobalValue::Module(m)) => self.module_attribute(m, attr, span),
            // `bytes.fromhex`: a class method of a built-in (the library's).
            Value::Global(GlobalValue::Function(class)) if class == "builtins.bytes" && attr == "fromhex" => match overloads::function_key_of_name("builtins.bytes.fromhex") {
                Some(key) => Ok(Value::Global(GlobalValue::Overloaded(key))),
                None => Err(self.internal(span, "`builtins.bytes.fromhex` is not registered: ferrojit._lib was not loaded")),
            },
            // `List.empty_list`, `Dict.empty`: the typed containers' constructors.
            Value::Global(GlobalValue::Function(class)) if class.starts_with("ferrojit.typed.") => {
                let name = format!("{class}.{attr}");
                if crate::builtins::is_known(&name) {
                    Ok(Value::Global(GlobalValue::Function(name)))
                } else {
                    Err(self.unsupported(span, format!("`{name}` is not supported in compiled code"), Some("make typed containers with `List()`, `List.empty_list(item_type)`, `Dict()` or `Dict.empty(key_type, value_type)`")))
                }
            }
            // A field of one record (`a[i].x`, as Numba allows); a name that is neither a field
            // nor an array attribute gets the record's fields as a hint.
            Value::Expr(x) if crate::arrays::record_has_field(&x.ty, attr) || (crate::arrays::is_record(&x.ty) && crate::registry::array_member(attr).is_none()) => {
                self.record_field(x, attr, true, span).map(Value::Expr)
            }
            Value::Expr(x) if matches!(x.ty, Type::NamedTuple(_)) => self.named_tuple_attribute(x, attr, span).map(Value::Expr),
            // `P._fields` of the class itself.
            Value::Global(GlobalValue::NamedTupleClass(c)) if attr == "_fields" => {
                let names = c.fields.iter().map(|f| Self::string_constant(f, span)).collect::<Vec<_>>();
                Ok(Value::Expr(ir::Expr::new(ExprKind::Tuple(names), Type::Tuple(vec![Type::Str; c.fields.len()]), span)))
            }
            Value::Expr(x) if matches!(x.ty, Type::Array(_)) && attr == "flat" => Ok(Value::FlatIter(x)),
            Value::Expr(x) if x.ty == Type::Exception && attr == "args" => Ok(Value::Expr(Self::exception_args(x, span))),
            Value::Expr(x) if x.ty == Type::Exception => self.exception_attribute(x, attr, span).map(Value::Expr),
            Value::Expr(x) if matches!(x.ty, Type::Array(_)) => self.array_attribute(x, attr, span),
            Value::Expr(x) => match (&x.ty.clone(), attr) {
                (Type::Complex(f), "real" | "imag") => {
                    let imag = attr == "imag";
                    Ok(Value::Expr(ir::Expr::new(ExprKind::ComplexPart { value: x.boxed(), imag }, Type::Float(*f), span)))
                }
                (Type::Float(_) | Type::Int(_), "real") => Ok(Value::Expr(x)),
                (Type::Float(_), "imag") => Ok(Value::Expr(ir::Expr::new(ExprKind::Const(Const::Float(0.0)), x.ty.clone(), span))),
                (Type::Int(_), "imag") => Ok(Value::Expr(int_const(0, x.ty.clone(), span))),
                (ty, _) => Err(self.typing(span, format!("a `{ty}` has no attribute `{attr}` in compiled code"), None)),
            },
            _ => Err(self.typing(span, format!("unknown attribute `{attr}`"), None)),
        }
    }

    fn subscript(&mut self, value: &ast::Expr, index: &ast::Expr, span: Span) -> Result<ir::Expr> {
        let tuple = if matches!(&value.kind, ast::ExprKind::Attribute { attr, .. } if attr == "flat") {
            match self.value(value)? {
                Value::FlatIter(array) => return self.flat_get(array, index, span),
                v => self.value_expr(v, value.span)?,
            }
        } else {
            self.expr(value)?
        };
        if let Type::Array(_) = tuple.ty {
            return self.array_subscript(tuple, index, span);
        }
        if let Type::List(_) = tuple.ty {
            return self.list_subscript(tuple, index, span);
        }
        if let Type::ExceptionArgs = tuple.ty {
            return self.exception_arg(tuple, index, span);
        }
        if let Type::Instance(_) = tuple.ty {
            if !self.has_special_method(&tuple.ty, "__getitem__") {
                return Err(self.typing(span, format!("a `{}` is not subscriptable", tuple.ty), Some("define `__getitem__` on the class")));
            }
            let i = self.expr(index)?;
            return self.call_special_method(tuple, "__getitem__", vec![i], span);
        }
        if let Type::Dict(..) = tuple.ty {
            return self.dict_subscript(tuple, index, span);
        }
        if matches!(tuple.ty, Type::Str | Type::Bytes) {
            return self.str_subscript(tuple, index, span);
        }
        if tuple.ty.is_number() && matches!(&index.kind, ast::ExprKind::Tuple(items) if items.is_empty()) {
            // `x[()]` of a NumPy scalar (what `np.nditer` gives): the scalar itself.
            return Ok(tuple);
        }
        let tuple = self.plain_tuple(tuple);
        let len = match &tuple.ty {
            Type::Tuple(items) => items.len() as i64,
            other => return Err(self.unsupported(span, format!("indexing a `{other}` is not supported yet"), None)),
        };
        if !matches!(index.kind, ast::ExprKind::Slice { .. }) {
            let i = self.expr(index)?;
            if i.ty.is_integer_like() && !matches!(i.kind, ExprKind::Const(_)) {
                return self.tuple_item_by_index(tuple, i, span);
            }
        }
        let const_int = |cx: &mut Self, e: &ast::Expr| -> Result<i64> {
            match cx.expr(e)?.kind {
                ExprKind::Const(Const::Int(v)) => Ok(v as i64),
                _ => Err(cx.unsupported(e.span, "tuples can only be indexed with constant integers", Some("use a constant index such as `t[0]`"))),
            }
        };
        let tmp = self.temp(tuple.ty.clone());
        let body = if let ast::ExprKind::Slice { lower, upper, step } = &index.kind {
            let step = match step { Some(s) => const_int(self, s)?, None => 1 };
            if step == 0 {
                return Err(self.typing(index.span, "slice step cannot be zero", None));
            }
            let norm = |v: Option<i64>, is_lower: bool| -> i64 {
                // CPython's PySlice_AdjustIndices.
                match v {
                    // An omitted bound is the end the step moves away from (start) or toward (stop).
                    None => match (is_lower, step > 0) {
                        (true, true) => 0,
                        (true, false) => len - 1,
                        (false, true) => len,
                        (false, false) => -1,
                    },
                    Some(mut v) => {
                        if v < 0 {
                            v += len;
                            if v < 0 { v = if step < 0 { -1 } else { 0 }; }
                        } else if v >= len {
                            v = if step < 0 { len - 1 } else { len };
                        }
                        v
                    }
                }
            };
            let lo = match lower { Some(l) => Some(const_int(self, l)?), None => None };
            let hi = match upper { Some(u) => Some(const_int(self, u)?), None => None };
            let (mut i, stop) = (norm(lo, true), norm(hi, false));
            let mut items = Vec::new();
            while (step > 0 && i < stop) || (step < 0 && i > stop) {
                items.push(self.tuple_get(self.local_expr(tmp, span), i as usize, span));
                i += step;
            }
            let ty = Type::Tuple(items.iter().map(|i| i.ty.clone()).collect());
            ir::Expr::new(ExprKind::Tuple(items), ty, span)
        } else {
            let i = const_int(self, index)?;
            let idx = if i < 0 { i + len } else { i };
            if idx < 0 || idx >= len {
                return Err(self.typing(index.span, format!("tuple index {i} is out of range for a tuple of {len} items"), None));
            }
            self.tuple_get(self.local_expr(tmp, span), idx as usize, span)
        };
        let ty = body.ty.clone();
        Ok(ir::Expr::new(ExprKind::Let { local: tmp, value: tuple.boxed(), body: body.boxed() }, ty, span))
    }

    // ---- operators -------------------------------------------------------------------------

    pub(crate) fn operand_error(&self, op: &str, l: &Type, r: &Type, span: Span) -> crate::InferError {
        self.typing(span, format!("unsupported operand types for `{op}`: `{l}` and `{r}`"), None)
    }

    fn binary(&self, op: BinaryOp, l: ir::Expr, r: ir::Expr, ty: &Type, span: Span) -> ir::Expr {
        let (l, r) = (self.cast(l, ty), self.cast(r, ty));
        ir::Expr::new(ExprKind::Binary { op, lhs: l.boxed(), rhs: r.boxed() }, ty.clone(), span)
    }

    /// A binary operator on operands that are not literals.
    pub fn binop(&mut self, op: BinOp, l: ir::Expr, r: ir::Expr, span: Span) -> Result<ir::Expr> {
        self.binop_with_literals(op, l, r, Literals::default(), span)
    }

    /// The result type of arithmetic on `l` and `r`: NumPy 2's result type, with a literal
    /// operand weak (NEP 50).
    pub(crate) fn operator_type(l: &Type, r: &Type, literals: Literals) -> Option<Type> {
        match (literals.left, literals.right) {
            (true, false) => promote_weak(r, l),
            (false, true) => promote_weak(l, r),
            _ => promote_arith(l, r),
        }
    }

    pub fn binop_with_literals(&mut self, op: BinOp, l: ir::Expr, r: ir::Expr, literals: Literals, span: Span) -> Result<ir::Expr> {
        let err = |cx: &Self, l: &ir::Expr, r: &ir::Expr| match cx.none_operand_note(l).or_else(|| cx.none_operand_note(r)) {
            Some((note, hint)) => cx.typing(span, format!("unsupported operand types for `{}`: `{}` and `{}`; {note}", op.symbol(), l.ty, r.ty), Some(&hint)),
            None => cx.operand_error(op.symbol(), &l.ty, &r.ty, span),
        };
        if matches!(l.ty, Type::Instance(_)) || matches!(r.ty, Type::Instance(_)) {
            return self.instance_binop(op, l, r, span);
        }
        if matches!(l.ty, Type::List(_)) || matches!(r.ty, Type::List(_)) {
            return self.list_binop(op, l, r, span);
        }
        if matches!(l.ty, Type::Str | Type::Bytes) || matches!(r.ty, Type::Str | Type::Bytes) {
            return self.str_binop(op, l, r, span);
        }
        if let (Type::Set(_), Type::Set(_)) = (&l.ty, &r.ty) {
            let name = match op {
                BinOp::BitOr => "ferrojit.set_union",
                BinOp::BitAnd => "ferrojit.set_intersection",
                BinOp::Sub => "ferrojit.set_difference",
                BinOp::BitXor => "ferrojit.set_symmetric_difference",
                _ => return Err(self.operand_error(op.symbol(), &l.ty, &r.ty, span)),
            };
            return self.call_internal(name, vec![l, r], span);
        }
        // A named tuple's arithmetic is a tuple's, and gives a plain tuple.
        let (l, r) = (self.plain_tuple(l), self.plain_tuple(r));
        if let (BinOp::Add, Type::Tuple(_), Type::Tuple(_)) = (op, &l.ty, &r.ty) {
            return Ok(self.tuple_concat(l, r, span));
        }
        if let (BinOp::Mul, Type::Tuple(_), _) | (BinOp::Mul, _, Type::Tuple(_)) = (op, &l.ty, &r.ty) {
            return self.tuple_repeat(l, r, span);
        }
        // `a @ b` is `np.matmul(a, b)`, which the library implements (`_lib/linalg.py`).
        if op == BinOp::MatMul {
            return self.call_internal("numpy.matmul", vec![l, r], span);
        }
        if matches!(l.ty, Type::Array(_)) || matches!(r.ty, Type::Array(_)) {
            return self.array_binop(op, l, r, literals, span);
        }
        if crate::datetimes::is_time(&l.ty) || crate::datetimes::is_time(&r.ty) {
            return self.time_binop(op, l, r, span);
        }
        // Sums, differences and products of int64 constants (globals, frozen closure variables,
        // literals) are constants too, so that they can index tuples: `shape[k + 1:]`.
        if let (ExprKind::Const(Const::Int(x)), ExprKind::Const(Const::Int(y)), &Type::INT64, &Type::INT64) = (&l.kind, &r.kind, &l.ty, &r.ty) {
            let (x, y) = (*x as i64, *y as i64);
            let folded = match op {
                BinOp::Add => x.checked_add(y),
                BinOp::Sub => x.checked_sub(y),
                BinOp::Mul => x.checked_mul(y),
                _ => None,
            };
            if let Some(v) = folded {
                return Ok(int_const(v as i128, Type::INT64, span));
            }
        }
        if !l.ty.is_number() || !r.ty.is_number() {
            return Err(err(self, &l, &r));
        }
        let promoted = Self::operator_type(&l.ty, &r.ty, literals).expect("numbers promote");
        // NEP 50: an integer literal the other operand's integer type cannot hold raises
        // OverflowError when the operation runs (`np.uint8(1) + 300`). True division converts
        // both operands to float64, which holds any literal (`np.uint8(3) / 256`).
        let both_int = l.ty.is_integer_like() && r.ty.is_integer_like();
        if let (Type::Int(result), false) = (&promoted, op == BinOp::Div && both_int) {
            let literal = match (literals.left, literals.right) {
                (true, false) => Some(&l),
                (false, true) => Some(&r),
                _ => None,
            };
            if let Some(&ir::Expr { kind: ExprKind::Const(Const::Int(v)), .. }) = literal {
                if !int_holds(*result, v) {
                    return Ok(self.literal_overflow(v, &promoted, vec![l, r], span));
                }
            }
        }
        let complex = matches!(promoted, Type::Complex(_));
        Ok(match op {
            BinOp::Add => self.binary(BinaryOp::Add, l, r, &promoted, span),
            BinOp::Sub => self.binary(BinaryOp::Sub, l, r, &promoted, span),
            BinOp::Mul => self.binary(BinaryOp::Mul, l, r, &promoted, span),
            BinOp::Div => {
                let ty = if both_int { Type::FLOAT64 } else { promoted };
                self.binary(BinaryOp::Div, l, r, &ty, span)
            }
            BinOp::FloorDiv | BinOp::Mod if complex => return Err(err(self, &l, &r)),
            BinOp::FloorDiv => self.binary(BinaryOp::FloorDiv, l, r, &promoted, span),
            BinOp::Mod => self.binary(BinaryOp::Mod, l, r, &promoted, span),
            BinOp::Pow => return self.power(l, r, promoted, literals, span),
            // Shifts and bitwise operators need an integer result type: NumPy has none for
            // `int64` with `uint64` (a `TypeError` there too).
            BinOp::LShift | BinOp::RShift => {
                if !both_int || !matches!(promoted, Type::Int(_)) {
                    return Err(err(self, &l, &r));
                }
                let op = if op == BinOp::LShift { BinaryOp::LShift } else { BinaryOp::RShift };
                self.binary(op, l, r, &promoted, span)
            }
            BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor => {
                let ty = match (&l.ty, &r.ty) {
                    (Type::Bool, Type::Bool) => Type::Bool,
                    _ if both_int && matches!(promoted, Type::Int(_)) => promoted,
                    _ => return Err(err(self, &l, &r)),
                };
                let op = match op {
                    BinOp::BitAnd => BinaryOp::BitAnd,
                    BinOp::BitOr => BinaryOp::BitOr,
                    _ => BinaryOp::BitXor,
                };
                self.binary(op, l, r, &ty, span)
            }
            BinOp::MatMul => unreachable!("`@` is `np.matmul`, called above"),
        })
    }

    /// Evaluates `operands`, then raises NumPy's `OverflowError` for the literal `value` that
    /// `ty` cannot hold.
    fn literal_overflow(&mut self, value: i128, ty: &Type, operands: Vec<ir::Expr>, span: Span) -> ir::Expr {
        let msg = format!("Python integer {value} out of bounds for {ty}");
        let raise = ir::Stmt { kind: StmtKind::Raise { exc: ExcKind::OverflowError, msg: Some(msg) }, span };
        let never = int_const(0, ty.clone(), span);
        let block = ir::Expr::new(ExprKind::Block { stmts: vec![raise], value: never.boxed() }, ty.clone(), span);
        self.discard(operands, block)
    }

    /// `**`. Integers: NumPy's result type, computed in 64 bits and wrapped to it. A base that
    /// is a Python int (a literal or an `int64`) with a negative literal exponent gives a float
    /// as in Python (`2 ** -1 == 0.5`); otherwise a negative exponent raises `ValueError`, as
    /// NumPy does for its integer types (Numba silently gives 0). Floats with an integer
    /// exponent keep it an integer, so that `x ** 2` can be a multiplication.
    fn power(&mut self, l: ir::Expr, r: ir::Expr, promoted: Type, literals: Literals, span: Span) -> Result<ir::Expr> {
        let pow = |cx: &Self, l: ir::Expr, r: ir::Expr, ty: &Type| {
            let l = cx.cast(l, ty);
            ir::Expr::new(ExprKind::Binary { op: BinaryOp::Pow, lhs: l.boxed(), rhs: r.boxed() }, ty.clone(), span)
        };
        let exponent_is_int = r.ty.is_integer_like() && r.ty != Type::UINT64;
        match (&l.ty.clone(), &r.ty.clone()) {
            (lt, rt) if lt.is_integer_like() && rt.is_integer_like() => {
                if let ExprKind::Const(Const::Int(v)) = r.kind {
                    let python_int_base = literals.left || *lt == Type::INT64 || *lt == Type::Bool;
                    if v < 0 && python_int_base {
                        let r = self.cast(r, &Type::INT64);
                        return Ok(pow(self, l, r, &Type::FLOAT64));
                    }
                }
                let Type::Int(result) = promoted else {
                    // `int64 ** uint64` is `float64` in NumPy.
                    return Ok(self.binary(BinaryOp::Pow, l, r, &promoted, span));
                };
                // Wrapping products modulo 2**64 truncate to the products modulo 2**bits.
                let (wide, func) = if result.signed { (Type::INT64, RuntimeFunc::POW_I64) } else { (Type::UINT64, RuntimeFunc::POW_U64) };
                let (l, r) = (self.cast(l, &promoted), self.cast(r, &promoted));
                let args = vec![self.cast(l, &wide), self.cast(r, &wide)];
                let wide_pow = ir::Expr::new(ExprKind::Runtime { func, args }, wide, span);
                Ok(self.cast(wide_pow, &promoted))
            }
            (_, _) if exponent_is_int && matches!(promoted, Type::Float(_)) => {
                let r = self.cast(r, &Type::INT64);
                Ok(pow(self, l, r, &promoted))
            }
            _ => Ok(self.binary(BinaryOp::Pow, l, r, &promoted, span)),
        }
    }

    fn tuple_concat(&mut self, l: ir::Expr, r: ir::Expr, span: Span) -> ir::Expr {
        let (lt, rt) = (self.temp(l.ty.clone()), self.temp(r.ty.clone()));
        let n = |t: &Type| match t {
            Type::Tuple(items) => items.len(),
            _ => 0,
        };
        let mut items: Vec<ir::Expr> = (0..n(&l.ty)).map(|i| self.tuple_get(self.local_expr(lt, span), i, span)).collect();
        items.extend((0..n(&r.ty)).map(|i| self.tuple_get(self.local_expr(rt, span), i, span)));
        let ty = Type::Tuple(items.iter().map(|i| i.ty.clone()).collect());
        let body = ir::Expr::new(ExprKind::Tuple(items), ty.clone(), span);
        let inner = ir::Expr::new(ExprKind::Let { local: rt, value: r.boxed(), body: body.boxed() }, ty.clone(), span);
        ir::Expr::new(ExprKind::Let { local: lt, value: l.boxed(), body: inner.boxed() }, ty, span)
    }

    pub(crate) fn unaryop(&mut self, op: ast::UnaryOp, x: ir::Expr, span: Span) -> Result<ir::Expr> {
        if matches!(x.ty, Type::Instance(_)) {
            if op == ast::UnaryOp::Not {
                let t = self.instance_truth(x, span)?;
                return Ok(ir::Expr::new(ExprKind::Unary { op: UnaryOp::Not, operand: t.boxed() }, Type::Bool, span));
            }
            let method = match op {
                ast::UnaryOp::Neg => "__neg__",
                ast::UnaryOp::Pos => "__pos__",
                _ => "__invert__",
            };
            if !self.has_special_method(&x.ty, method) {
                return Err(self.typing(span, format!("bad operand type for unary `{}`: `{}`", op.symbol(), x.ty), Some(&format!("define `{method}` on the class"))));
            }
            return self.call_special_method(x, method, vec![], span);
        }
        if matches!(x.ty, Type::Array(_)) {
            return self.array_unaryop(op, x, span);
        }
        if crate::datetimes::is_time(&x.ty) && op != ast::UnaryOp::Not {
            let op = match op {
                ast::UnaryOp::Neg => Some(UnaryOp::Neg),
                ast::UnaryOp::Pos => None,
                _ => Some(UnaryOp::Invert),
            };
            return self.time_unary(op, x, span);
        }
        if op == ast::UnaryOp::Not {
            let t = self.truth(x);
            if let ExprKind::Const(Const::Bool(b)) = t.kind {
                return Ok(bool_const(!b, span));
            }
            return Ok(ir::Expr::new(ExprKind::Unary { op: UnaryOp::Not, operand: t.boxed() }, Type::Bool, span));
        }
        // Fold negative literals so that `2 ** -1` and `-9223372036854775808` are constants.
        if op == ast::UnaryOp::Neg {
            match (&x.kind, &x.ty) {
                // A literal too large for int64 is a uint64 (9223372036854775808 negates to int64's minimum).
                (ExprKind::Const(Const::Int(v)), _) if x.ty == Type::INT64 || (x.ty == Type::UINT64 && *v <= 1 << 63) => {
                    return Ok(int_const(-*v, Type::INT64, span));
                }
                (ExprKind::Const(Const::Float(v)), _) => {
                    return Ok(ir::Expr::new(ExprKind::Const(Const::Float(-*v)), x.ty.clone(), span));
                }
                _ => {}
            }
        }
        let ty = match &x.ty {
            Type::Bool => Type::INT64,
            // NumPy: in the operand's own width (`-np.uint8(1)` is 255).
            Type::Int(_) => x.ty.clone(),
            Type::Float(_) | Type::Complex(_) if op != ast::UnaryOp::Invert => x.ty.clone(),
            other => return Err(self.typing(span, format!("bad operand type for unary `{}`: `{other}`", op.symbol()), None)),
        };
        let x = self.cast(x, &ty);
        Ok(match op {
            ast::UnaryOp::Pos => x,
            ast::UnaryOp::Neg => ir::Expr::new(ExprKind::Unary { op: UnaryOp::Neg, operand: x.boxed() }, ty, span),
            _ => ir::Expr::new(ExprKind::Unary { op: UnaryOp::Invert, operand: x.boxed() }, ty, span),
        })
    }

    fn boolop(&mut self, and: bool, values: Vec<ir::Expr>, span: Span) -> Result<ir::Expr> {
        // The value of `a and b` is an operand, chosen by its truth: an instance whose class
        // decides its truth (`__bool__`, `__len__`) would need a call there.
        if let Some(v) = values[..values.len() - 1].iter().find(|v| self.has_special_method(&v.ty, "__bool__") || self.has_special_method(&v.ty, "__len__")) {
            return Err(self.unsupported(
                span,
                format!("`{}` of a `{}`, whose truth its `__bool__` or `__len__` decides, is not supported in compiled code", if and { "and" } else { "or" }, v.ty),
                Some("test the truth explicitly: `bool(a) and bool(b)`"),
            ));
        }
        let mut ty = values[0].ty.clone();
        for v in &values[1..] {
            ty = unify(&ty, &v.ty).ok_or_else(|| {
                self.typing(span, format!("`{}` mixes a `{}` and a `{}`", if and { "and" } else { "or" }, ty, v.ty), Some("use operands of one kind, or compare explicitly"))
            })?;
        }
        let mut values = values.into_iter().rev();
        let mut acc = self.cast(values.next().expect("at least two values"), &ty);
        for v in values {
            let v = self.cast(v, &ty);
            acc = ir::Expr::new(ExprKind::Logical { and, lhs: v.boxed(), rhs: acc.boxed() }, ty.clone(), span);
        }
        Ok(acc)
    }

    /// `literals[i]` tells whether operand `i` (`left` first) is a number literal.
    fn compare_chain(&mut self, left: ir::Expr, ops: &[CmpOp], mut rest: Vec<ir::Expr>, literals: &[bool], span: Span) -> Result<ir::Expr> {
        let pair = |i: usize| Literals { left: literals[i], right: literals[i + 1] };
        if ops.len() == 1 {
            let right = rest.pop().expect("one comparator");
            // Integers known when compiling (`len(args) > 0` of a tuple) compare to a
            // constant, so that a test on them prunes what cannot run, as `isinstance` does.
            if let (ExprKind::Const(Const::Int(l)), ExprKind::Const(Const::Int(r)), Type::Int(_), Type::Int(_)) = (&left.kind, &right.kind, &left.ty, &right.ty) {
                let (l, r) = (*l, *r);
                let known = match ops[0] {
                    CmpOp::Eq => Some(l == r),
                    CmpOp::NotEq => Some(l != r),
                    CmpOp::Lt => Some(l < r),
                    CmpOp::LtE => Some(l <= r),
                    CmpOp::Gt => Some(l > r),
                    CmpOp::GtE => Some(l >= r),
                    _ => None,
                };
                if let Some(b) = known {
                    return Ok(bool_const(b, span));
                }
            }
            return self.compare_with_literals(ops[0], left, right, pair(0), span);
        }
        // `a < b < c` is `a < b and b < c` with `b` evaluated once, after `a`.
        let middle = rest.remove(0);
        let (left_tmp, middle_tmp) = (self.temp(left.ty.clone()), self.temp(middle.ty.clone()));
        let first = self.compare_with_literals(ops[0], self.local_expr(left_tmp, span), self.local_expr(middle_tmp, span), pair(0), span)?;
        let tail = self.compare_chain(self.local_expr(middle_tmp, span), &ops[1..], rest, &literals[1..], span)?;
        let and = ir::Expr::new(ExprKind::Logical { and: true, lhs: first.boxed(), rhs: tail.boxed() }, Type::Bool, span);
        let with_middle = ir::Expr::new(ExprKind::Let { local: middle_tmp, value: middle.boxed(), body: and.boxed() }, Type::Bool, span);
        Ok(ir::Expr::new(ExprKind::Let { local: left_tmp, value: left.boxed(), body: with_middle.boxed() }, Type::Bool, span))
    }

    /// A comparison of operands that are not literals.
    pub fn compare(&mut self, op: CmpOp, l: ir::Expr, r: ir::Expr, span: Span) -> Result<ir::Expr> {
        self.compare_with_literals(op, l, r, Literals::default(), span)
    }

    pub(crate) fn compare_with_literals(&mut self, op: CmpOp, l: ir::Expr, r: ir::Expr, literals: Literals, span: Span) -> Result<ir::Expr> {
        let optional = |e: &ir::Expr| matches!(e.ty, Type::Optional(_));
        if (optional(&l) || optional(&r)) && matches!(op, CmpOp::Eq | CmpOp::NotEq) && l.ty != Type::NoneType && r.ty != Type::NoneType {
            return self.optional_equality(op, l, r, literals, span);
        }
        // Elsewhere an optional is its value (tests with `None` are below).
        let with_none = matches!(op, CmpOp::Is | CmpOp::IsNot) || l.ty == Type::NoneType || r.ty == Type::NoneType;
        let (l, r) = if with_none { (l, r) } else { (self.unwrap_optional(l), self.unwrap_optional(r)) };
        let instance = |e: &ir::Expr| matches!(e.ty, Type::Instance(_));
        if matches!(op, CmpOp::In | CmpOp::NotIn) && instance(&r) {
            let found = self.instance_contains(l, r, span)?;
            return Ok(if op == CmpOp::In { found } else { ir::Expr::new(ExprKind::Unary { op: UnaryOp::Not, operand: found.boxed() }, Type::Bool, span) });
        }
        if !matches!(op, CmpOp::Is | CmpOp::IsNot | CmpOp::In | CmpOp::NotIn) && (instance(&l) || instance(&r)) {
            return self.instance_compare(op, l, r, span);
        }
        // `a is None` of an array is an identity test, known from the types (below).
        if (matches!(l.ty, Type::Array(_)) || matches!(r.ty, Type::Array(_))) && !matches!(op, CmpOp::Is | CmpOp::IsNot) {
            return self.array_compare(op, l, r, literals, span);
        }
        if (matches!(l.ty, Type::List(_) | Type::Dict(..) | Type::Set(_)) || matches!(r.ty, Type::List(_) | Type::Dict(..) | Type::Set(_))) && !matches!(op, CmpOp::Is | CmpOp::IsNot) {
            return self.list_comparison(op, l, r, span);
        }
        if (matches!(l.ty, Type::Str | Type::Bytes) || matches!(r.ty, Type::Str | Type::Bytes)) && !matches!(op, CmpOp::Is | CmpOp::IsNot) {
            return self.str_compare(op, l, r, span);
        }
        if (crate::datetimes::is_time(&l.ty) || crate::datetimes::is_time(&r.ty)) && !matches!(op, CmpOp::Is | CmpOp::IsNot) {
            return self.time_compare(op, l, r, span);
        }
        let not = |e: ir::Expr| ir::Expr::new(ExprKind::Unary { op: UnaryOp::Not, operand: e.boxed() }, Type::Bool, span);
        // An exception value compared with `None`: whether it is the `None` of code 0 (a
        // `__cause__` that is none).
        if matches!(op, CmpOp::Is | CmpOp::IsNot | CmpOp::Eq | CmpOp::NotEq) {
            let exception = match (&l.ty, &r.ty) {
                (Type::Exception, Type::NoneType) => Some((l.clone(), r.clone())),
                (Type::NoneType, Type::Exception) => Some((r.clone(), l.clone())),
                _ => None,
            };
            if let Some((x, none)) = exception {
                let test = self.exception_is_none(x, matches!(op, CmpOp::Is | CmpOp::Eq), span);
                return Ok(self.discard(vec![none], test));
            }
        }
        // An optional compared with `None`: its flag.
        if matches!(op, CmpOp::Is | CmpOp::IsNot | CmpOp::Eq | CmpOp::NotEq) {
            let optional = match (&l.ty, &r.ty) {
                (Type::Optional(_), Type::NoneType) => Some((l.clone(), r.clone())),
                (Type::NoneType, Type::Optional(_)) => Some((r.clone(), l.clone())),
                _ => None,
            };
            if let Some((x, none)) = optional {
                let present = optional_present(x);
                let result = if matches!(op, CmpOp::IsNot | CmpOp::NotEq) { present } else { not(present) };
                return Ok(self.discard(vec![none], result));
            }
        }
        match op {
            CmpOp::Is | CmpOp::IsNot => {
                // Two jitclass instances are the same object when they are the same record;
                // instances of two classes never are.
                if let (Type::Instance(a), Type::Instance(b)) = (&l.ty, &r.ty) {
                    if a.class != b.class {
                        return Ok(self.discard(vec![l, r], bool_const(op == CmpOp::IsNot, span)));
                    }
                    let op = if op == CmpOp::Is { CmpOp::Eq } else { CmpOp::NotEq };
                    return Ok(ir::Expr::new(ExprKind::Compare { op, lhs: l.boxed(), rhs: r.boxed() }, Type::Bool, span));
                }
                if l.ty != Type::NoneType && r.ty != Type::NoneType {
                    return Err(self.unsupported(span, "`is` is only supported with `None`", Some("compare numbers with `==`")));
                }
                let same = l.ty == r.ty;
                let result = self.discard(vec![l, r], bool_const(same == (op == CmpOp::Is), span));
                return Ok(result);
            }
            CmpOp::In | CmpOp::NotIn => {
                let r = self.plain_tuple(r);
                let items = match &r.ty {
                    Type::Tuple(items) => items.len(),
                    other => return Err(self.unsupported(span, format!("`in` on a `{other}` is not supported"), Some("`in` works on tuples"))),
                };
                let (lt, rt) = (self.temp(l.ty.clone()), self.temp(r.ty.clone()));
                let mut acc = bool_const(false, span);
                for i in (0..items).rev() {
                    let item = self.tuple_get(self.local_expr(rt, span), i, span);
                    let eq = self.items_equal(self.local_expr(lt, span), item, span)?;
                    acc = ir::Expr::new(ExprKind::Logical { and: false, lhs: eq.boxed(), rhs: acc.boxed() }, Type::Bool, span);
                }
                let inner = ir::Expr::new(ExprKind::Let { local: rt, value: r.boxed(), body: acc.boxed() }, Type::Bool, span);
                let found = ir::Expr::new(ExprKind::Let { local: lt, value: l.boxed(), body: inner.boxed() }, Type::Bool, span);
                return Ok(if op == CmpOp::In { found } else { not(found) });
            }
            _ => {}
        }
        let equality = matches!(op, CmpOp::Eq | CmpOp::NotEq);
        // Named tuples compare as tuples (`P(1, 2) == (1, 2)`, as in CPython).
        let (l, r) = (self.plain_tuple(l), self.plain_tuple(r));
        match (&l.ty, &r.ty) {
            (Type::Tuple(a), Type::Tuple(b)) if equality => {
                let (a, b) = (a.len(), b.len());
                if a != b {
                    return Ok(self.discard(vec![l, r], bool_const(op == CmpOp::NotEq, span)));
                }
                let (lt, rt) = (self.temp(l.ty.clone()), self.temp(r.ty.clone()));
                let mut acc = bool_const(true, span);
                for i in (0..a).rev() {
                    let x = self.tuple_get(self.local_expr(lt, span), i, span);
                    let y = self.tuple_get(self.local_expr(rt, span), i, span);
                    let eq = self.items_equal(x, y, span)?;
                    acc = ir::Expr::new(ExprKind::Logical { and: true, lhs: eq.boxed(), rhs: acc.boxed() }, Type::Bool, span);
                }
                let inner = ir::Expr::new(ExprKind::Let { local: rt, value: r.boxed(), body: acc.boxed() }, Type::Bool, span);
                let eq = ir::Expr::new(ExprKind::Let { local: lt, value: l.boxed(), body: inner.boxed() }, Type::Bool, span);
                Ok(if op == CmpOp::Eq { eq } else { not(eq) })
            }
            (Type::Tuple(_), Type::Tuple(_)) if !equality => self.tuple_order(op, l, r, span),
            (Type::NoneType, _) | (_, Type::NoneType) if equality => {
                let same = l.ty == r.ty;
                Ok(self.discard(vec![l, r], bool_const(same == (op == CmpOp::Eq), span)))
            }
            (a, b) if a.is_number() && b.is_number() => {
                let nonnegative_const = |e: &ir::Expr| matches!(e.kind, ExprKind::Const(Const::Int(v)) if v >= 0);
                let ty = match (a, b) {
                    (Type::Bool, Type::Bool) => Type::Bool,
                    // Integers compare exactly, as in NumPy and Python, whatever their types.
                    (&Type::UINT64, Type::Int(_)) if nonnegative_const(&r) => Type::UINT64,
                    (Type::Int(_), &Type::UINT64) if nonnegative_const(&l) => Type::UINT64,
                    (Type::Int(x), Type::Int(y)) => Type::Int(exact_comparison(*x, *y)),
                    _ => Self::operator_type(a, b, literals).expect("numbers promote"),
                };
                if matches!(ty, Type::Complex(_)) && !equality {
                    return Err(self.operand_error(op.symbol(), a, b, span));
                }
                let (l, r) = (self.cast(l, &ty), self.cast(r, &ty));
                Ok(ir::Expr::new(ExprKind::Compare { op, lhs: l.boxed(), rhs: r.boxed() }, Type::Bool, span))
            }
            (a, b) => Err(self.operand_error(op.symbol(), a, b, span)),
        }
    }

    /// `l == r` (`!=`) with an optional among them: `None` equals only `None`, values compare
    /// as values.
    fn optional_equality(&mut self, op: CmpOp, l: ir::Expr, r: ir::Expr, literals: Literals, span: Span) -> Result<ir::Expr> {
        let (lt, rt) = (self.temp(l.ty.clone()), self.temp(r.ty.clone()));
        let logical = |and, a: ir::Expr, b: ir::Expr| ir::Expr::new(ExprKind::Logical { and, lhs: a.boxed(), rhs: b.boxed() }, Type::Bool, span);
        let not = |e: ir::Expr| ir::Expr::new(ExprKind::Unary { op: UnaryOp::Not, operand: e.boxed() }, Type::Bool, span);
        // Each side's flag (true for a plain value) and value.
        let side = |cx: &Self, id: ir::LocalId, ty: &Type| match ty {
            Type::Optional(inner) => (Some(optional_present(cx.local_expr(id, span))), ir::Expr::new(ExprKind::TupleGet(cx.local_expr(id, span).boxed(), 1), (**inner).clone(), span)),
            _ => (None, cx.local_expr(id, span)),
        };
        let (lp, lv) = side(self, lt, &l.ty);
        let (rp, rv) = side(self, rt, &r.ty);
        let values_equal = self.compare_with_literals(CmpOp::Eq, lv, rv, literals, span)?;
        let equal = match (lp, rp) {
            (Some(a), Some(b)) => logical(false, logical(true, a.clone(), logical(true, b.clone(), values_equal)), logical(true, not(a), not(b))),
            (Some(p), None) | (None, Some(p)) => logical(true, p, values_equal),
            (None, None) => values_equal,
        };
        let result = if op == CmpOp::Eq { equal } else { not(equal) };
        let inner = ir::Expr::new(ExprKind::Let { local: rt, value: r.boxed(), body: result.boxed() }, Type::Bool, span);
        Ok(ir::Expr::new(ExprKind::Let { local: lt, value: l.boxed(), body: inner.boxed() }, Type::Bool, span))
    }

    /// Evaluates `values` for their effects, then gives `result`.
    pub(crate) fn discard(&mut self, values: Vec<ir::Expr>, result: ir::Expr) -> ir::Expr {
        // Reading a constant, a variable or a tuple's item of these has no effect to keep.
        fn pure(e: &ir::Expr) -> bool {
            match &e.kind {
                ExprKind::Const(_) | ExprKind::Local(_) => true,
                ExprKind::TupleGet(t, _) => pure(t),
                ExprKind::Let { value, body, .. } => pure(value) && pure(body),
                _ => false,
            }
        }
        values.into_iter().rev().fold(result, |body, v| {
            if pure(&v) {
                return body;
            }
            let tmp = self.temp(v.ty.clone());
            let (ty, span) = (body.ty.clone(), body.span);
            ir::Expr::new(ExprKind::Let { local: tmp, value: v.boxed(), body: body.boxed() }, ty, span)
        })
    }

    // ---- calls -----------------------------------------------------------------------------

    fn call(&mut self, func: &ast::Expr, args: &[ast::Expr], keywords: &[ast::Keyword], span: Span) -> Result<Value> {
        // `dict(a=1, **m)`, `dict(pairs, b=2)`: a dict display of the same items.
        if !keywords.is_empty() && self.is_builtin(func, "dict")? {
            return self.dict_call_with_keywords(func, args, keywords, span).map(Value::Expr);
        }
        // `ValueError("...")` as a value (`err = ValueError("a")`, later raised or a cause).
        if keywords.is_empty() && self.names_exception_class(func)? {
            let call = ast::Expr { kind: ast::ExprKind::Call { func: Box::new(func.clone()), args: args.to_vec(), keywords: vec![] }, span };
            return self.new_exception_value(&call).map(Value::Expr);
        }
        let expanded;
        let keywords = if keywords.iter().any(|k| k.name == "**") {
            expanded = self.expand_double_star(keywords)?;
            &expanded[..]
        } else {
            keywords
        };
        // Methods on values: `z.conjugate()`.
        if let ast::ExprKind::Attribute { value, attr } = &func.kind {
            // `super().method(...)` in a jitclass's method.
            if let ast::ExprKind::Call { func: callee, args: super_args, keywords: super_keywords } = &value.kind {
                if matches!(&callee.kind, ast::ExprKind::Name(n) if n == "super" && !self.names.contains_key(n)) {
                    let explicit = match (super_args.as_slice(), super_keywords.is_empty()) {
                        ([], true) => None,
                        ([class, object], true) => Some((class, object)),
                        _ => return Err(self.unsupported(value.span, "`super()` is only supported without arguments or with two (`super(C, obj)`) in compiled code", Some("write `super()`"))),
                    };
                    return self.super_method_call(explicit, attr, args, keywords, span).map(Value::Expr);
                }
            }
            self.type_empty_list(value, attr, args, span)?;
            self.type_empty_set(value, attr, args, span)?;
            if let ("setdefault" | "get", [key, default]) = (attr.as_str(), args) {
                self.type_empty_dict(value, key, default, span)?;
            }
            match self.value(value)? {
                Value::Expr(receiver) if matches!(receiver.ty, Type::Instance(_)) => return self.instance_method_call(receiver, attr, args, keywords, span).map(Value::Expr),
                // `Cls.create(...)`, `cls.create(...)`: a static or class method.
                Value::Global(GlobalValue::JitClass(id)) => return self.class_member_call(id, attr, args, keywords, span).map(Value::Expr),
                Value::Expr(class) if matches!(class.ty, Type::Class(_)) => {
                    let Type::Class(c) = &class.ty else { unreachable!("matched") };
                    return self.class_member_call(c.class, attr, args, keywords, span).map(Value::Expr);
                }
                Value::Expr(receiver) if receiver.ty == Type::Str && attr == "format" => return self.str_format_at_run_time(receiver, args, keywords, span).map(Value::Expr),
                Value::Expr(receiver) => return self.method(receiver, attr, args, keywords, span).map(Value::Expr),
                Value::Str(text) if attr == "format" => return self.str_format(&text, args, keywords, span).map(Value::Expr),
                // `", ".join(words)`: a method of a string constant.
                Value::Str(text) => return self.method(Self::string_constant(&text, value.span), attr, args, keywords, span).map(Value::Expr),
                _ => {}
            }
        }
        // The calls `prange` loops are rewritten into (see `parallel`).
        if let ast::ExprKind::Name(n) = &func.kind {
            if n == crate::parallel::RUN {
                let mut setup = Vec::new();
                let run = self.parallel_run(args, span, &mut setup)?;
                let (ty, span) = (run.ty.clone(), run.span);
                return Ok(Value::Expr(ir::Expr::new(ExprKind::Block { stmts: setup, value: run.boxed() }, ty, span)));
            }
            if n == crate::parallel::IDENTITY {
                return self.reduction_identity(args, span).map(Value::Expr);
            }
            if n == ferrojit_syntax::MATCH_ARGUMENT {
                return self.match_argument(args, span);
            }
        }
        if self.is_builtin(func, "isinstance")? {
            return self.isinstance(args, keywords, span);
        }
        if self.is_builtin(func, "issubclass")? {
            return self.issubclass(args, span);
        }
        let callee = self.value(func)?;
        if let Value::Global(GlobalValue::Overloaded(key)) = &callee {
            self.type_empty_list_by_call(*key, args, span)?;
        }
        let literal_spans = args.iter().chain(keywords.iter().map(|k| &k.value)).filter(|a| is_number_literal(a)).map(|a| a.span).collect();
        // A compiled function takes an optional as it is (compiled for an optional
        // parameter), and `print` shows `None` or the value; other callees take the value.
        let keep_optional = matches!(callee, Value::Global(GlobalValue::Jit(_) | GlobalValue::JitClass(_))) || self.is_builtin(func, "print")?;
        let (args, keywords) = self.arguments(args, keywords, keep_optional)?;
        if let Some(e) = self.instance_builtin(func, &args, &keywords, span)? {
            return Ok(Value::Expr(e));
        }
        // `print(obj)` of an instance shows `str(obj)`.
        let args = if args.iter().any(|a| matches!(a, Value::Expr(x) if matches!(x.ty, Type::Instance(_)))) && self.is_builtin(func, "print")? {
            let mut shown = Vec::with_capacity(args.len());
            for a in args {
                shown.push(match a {
                    Value::Expr(x) if matches!(x.ty, Type::Instance(_)) => Value::Expr(self.instance_text(x, span)?),
                    other => other,
                });
            }
            shown
        } else {
            args
        };
        // For the binder, after the arguments (whose own calls set theirs).
        self.literal_spans = literal_spans;
        self.call_value(callee, func.span, args, keywords, span)
    }

    /// The keyword arguments of a call with `**` of dict displays expanded: `f(**{'a': 1})` is
    /// `f(a=1)` (of a display's equal keys, the last value is passed, as CPython's dict
    /// keeps). A `**` of anything else passes names known only when the code runs, which a
    /// compiled call cannot bind.
    fn expand_double_star(&self, keywords: &[ast::Keyword]) -> Result<Vec<ast::Keyword>> {
        let mut out: Vec<ast::Keyword> = Vec::new();
        for k in keywords {
            if k.name != "**" {
                out.push(k.clone());
                continue;
            }
            let ast::ExprKind::Dict { keys, values } = &k.value.kind else {
                return Err(self.unsupported(
                    k.span,
                    "`**` in a call is only supported of a dict display with constant string keys (`f(**{'a': 1})`): the names another mapping passes are known only when the code runs",
                    Some("pass the arguments by name (`f(a=d['a'])`), or pass the dict itself as an argument"),
                ));
            };
            let mut passed: Vec<ast::Keyword> = Vec::new();
            for (key, value) in keys.iter().zip(values) {
                let ast::ExprKind::Str(name) = &key.kind else {
                    return Err(self.unsupported(key.span, "a key of a dict display passed with `**` must be a constant string (a parameter's name)", None));
                };
                passed.retain(|earlier| earlier.name != *name);
                passed.push(ast::Keyword { name: name.clone(), value: value.clone(), span: key.span });
            }
            out.extend(passed);
        }
        Ok(out)
    }

    /// `dict(...)` with keyword arguments: the dict display `{**dict(positional), 'a': 1,
    /// **m}` of its arguments in order (keywords are string keys, as in CPython).
    fn dict_call_with_keywords(&mut self, func: &ast::Expr, args: &[ast::Expr], keywords: &[ast::Keyword], span: Span) -> Result<ir::Expr> {
        let (mut keys, mut values) = (Vec::new(), Vec::new());
        let none = |span| ast::Expr { kind: ast::ExprKind::None, span };
        match args {
            [] => {}
            [arg] if !matches!(arg.kind, ast::ExprKind::Starred(_)) => {
                let copy = ast::Expr { kind: ast::ExprKind::Call { func: Box::new(func.clone()), args: vec![arg.clone()], keywords: vec![] }, span: arg.span };
                keys.push(ast::Expr { kind: ast::ExprKind::Starred(Box::new(copy)), span: arg.span });
                values.push(none(arg.span));
            }
            _ => return Err(self.typing(span, format!("dict expected at most 1 argument, got {}", args.len()), None)),
        }
        for k in keywords {
            if k.name == "**" {
                keys.push(ast::Expr { kind: ast::ExprKind::Starred(Box::new(k.value.clone())), span: k.span });
                values.push(none(k.span));
            } else {
                keys.push(ast::Expr { kind: ast::ExprKind::Str(k.name.clone()), span: k.span });
                values.push(k.value.clone());
            }
        }
        self.dict_display(&keys, &values, None, span)
    }

    /// A call of `callee` (written at `func_span`) with typed arguments.
    pub(crate) fn call_value(&mut self, callee: Value, func_span: Span, args: Vec<Value>, keywords: Vec<(String, Value, Span)>, span: Span) -> Result<Value> {
        match callee {
            Value::Global(GlobalValue::Function(name)) => self.call_library(&name, args, keywords, span),
            Value::Global(GlobalValue::Jit(target)) => self.call_jit(&target, args, keywords, span).map(Value::Expr),
            Value::Global(GlobalValue::Vectorized(kernel)) => self.call_vectorized(&kernel, args, keywords, span).map(Value::Expr),
            Value::Global(GlobalValue::Overloaded(key)) => match self.call_overloaded(OverloadTarget::Function(key), args.clone(), keywords.clone(), span)? {
                Overloaded::Call(e) => Ok(Value::Expr(e)),
                Overloaded::NoMatch(why) => match overloads::library_name(key) {
                    // An overload added to a callable the compiler implements itself: the
                    // compiler's own version serves the types no typing function took.
                    Some(name) if crate::builtins::is_known(&name) => self.call_library(&name, args, keywords, span),
                    _ => Err(self.no_implementation(&overloads::display_name(key), &args, &keywords, &why, span)),
                },
                Overloaded::BadCall(message) => match overloads::library_name(key) {
                    Some(name) if crate::builtins::is_known(&name) => self.call_library(&name, args, keywords, span),
                    _ => Err(self.typing(span, message, None)),
                },
                Overloaded::Refused(error) => Err(*error),
            },
            Value::Global(GlobalValue::ExceptionClass(_) | GlobalValue::UserExceptionClass(..)) => {
                Err(self.unsupported(span, "exception objects can only be raised", Some("write `raise ValueError(\"...\")`")))
            }
            Value::Global(GlobalValue::Module(_)) => Err(self.typing(func_span, "a module is not callable", None)),
            Value::Global(GlobalValue::NamedTupleClass(class)) => self.construct_named_tuple(&class, args, keywords, span).map(Value::Expr),
            Value::Global(GlobalValue::JitClass(id)) => self.construct_instance(id, args, keywords, span).map(Value::Expr),
            // `cls(...)` in a class method.
            Value::Expr(class) if matches!(class.ty, Type::Class(_)) => {
                let Type::Class(c) = &class.ty else { unreachable!("matched") };
                self.construct_instance(c.class, args, keywords, span).map(Value::Expr)
            }
            Value::Expr(f) if matches!(f.ty, Type::Function(_)) => self.call_function_value(f, args, keywords, span),
            // `obj(...)` of an instance: `obj.__call__(...)`.
            Value::Expr(obj) if self.has_special_method(&obj.ty, "__call__") => self.call_instance(obj, args, keywords, span).map(Value::Expr),
            _ => Err(self.typing(func_span, "this is not a function that compiled code can call", Some("call functions decorated with `@njit`, built-ins or `math` functions"))),
        }
    }

    fn method(&mut self, receiver: ir::Expr, name: &str, args: &[ast::Expr], keywords: &[ast::Keyword], span: Span) -> Result<ir::Expr> {
        // NumPy's scalars have the reductions of arrays (a 0-d array's `a - a.mean()` is a
        // scalar, whose `.sum()` NumPy computes): the scalar as a 0-d array.
        const SCALAR_REDUCTIONS: [&str; 12] = ["sum", "prod", "mean", "std", "var", "min", "max", "argmin", "argmax", "all", "any", "item"];
        let receiver = if receiver.ty.is_number() && SCALAR_REDUCTIONS.contains(&name) { self.as_0d_array(receiver, span) } else { receiver };
        // The methods of lists, dicts and sets that may resize them.
        const RESIZING: [&str; 14] = ["append", "extend", "insert", "pop", "remove", "clear", "update", "setdefault", "popitem", "add", "discard", "difference_update", "intersection_update", "symmetric_difference_update"];
        if RESIZING.contains(&name) {
            self.refuse_shared_container_change(&receiver, &format!("`.{name}()`"), span)?;
        }
        if overloads::has_method(name) {
            let (mut values, kws) = self.arguments(args, keywords, false)?;
            values.insert(0, Value::Expr(receiver.clone()));
            match self.call_overloaded(OverloadTarget::Method(name.to_string()), values.clone(), kws.clone(), span)? {
                Overloaded::Call(e) => return Ok(e),
                // A typing function said why it refused, and no built-in method takes over.
                Overloaded::NoMatch(why) if !why.is_empty() && !(matches!(receiver.ty, Type::Array(_)) && crate::registry::array_member(name).is_some()) => {
                    return Err(self.no_implementation(&format!("{}.{name}", receiver.ty), &values, &kws, &why, span));
                }
                Overloaded::NoMatch(_) => {}
                Overloaded::BadCall(message) if !(matches!(receiver.ty, Type::Array(_)) && crate::registry::array_member(name).is_some()) => {
                    return Err(self.typing(span, message, None));
                }
                Overloaded::BadCall(_) => {}
                Overloaded::Refused(error) => return Err(*error),
            }
        }
        // A reduction of an array expression, without the array.
        let receiver = if args.is_empty() && keywords.is_empty() && matches!(receiver.ty, Type::Array(_)) {
            match self.reduce_map(receiver, name, span) {
                Ok(reduced) => return Ok(reduced),
                Err(receiver) => receiver,
            }
        } else {
            receiver
        };
        if let Type::Array(_) = receiver.ty {
            let args = args.iter().map(|a| self.value(a)).collect::<Result<Vec<_>>>()?;
            let keywords = keywords.iter().map(|k| Ok((k.name.clone(), self.value(&k.value)?, k.span))).collect::<Result<Vec<_>>>()?;
            return self.array_method(receiver, name, args, keywords, span);
        }
        match (&receiver.ty, name, args.len()) {
            (Type::Complex(f), "conjugate", 0) => {
                let f = *f;
                let tmp = self.temp(receiver.ty.clone());
                let part = |cx: &Self, imag| ir::Expr::new(ExprKind::ComplexPart { value: cx.local_expr(tmp, span).boxed(), imag }, Type::Float(f), span);
                let re = part(self, false);
                let im = part(self, true);
                let neg = ir::Expr::new(ExprKind::Unary { op: UnaryOp::Neg, operand: im.boxed() }, Type::Float(f), span);
                let made = ir::Expr::new(ExprKind::MakeComplex { re: re.boxed(), im: neg.boxed() }, receiver.ty.clone(), span);
                let ty = receiver.ty.clone();
                Ok(ir::Expr::new(ExprKind::Let { local: tmp, value: receiver.boxed(), body: made.boxed() }, ty, span))
            }
            (t, "conjugate", 0) if t.is_number() => Ok(receiver),
            (t, "item", 0) if t.is_number() => {
                let ty = python_scalar_type(t);
                Ok(self.cast(receiver, &ty))
            }
            (Type::Tuple(_), "index" | "count", _) => self.tuple_method(receiver, name, args, keywords, span),
            (Type::NamedTuple(_), "index" | "count", _) => {
                let receiver = self.plain_tuple(receiver);
                self.tuple_method(receiver, name, args, keywords, span)
            }
            (Type::NamedTuple(_), "_replace", _) => self.named_tuple_replace(receiver, args, keywords, span),
            // What a `with` statement calls (see `with_statement` in ferrojit_syntax).
            (ty, "__enter__" | "__exit__", _) => Err(self.typing(span, format!("a `{ty}` is not a context manager in compiled code"), Some("`with` takes instances of compiled classes with `__enter__` and `__exit__` (`@jitclass`), and `objmode(...)`"))),
            (ty, _, _) => Err(self.typing(span, format!("a `{ty}` has no method `{name}` in compiled code"), None)),
        }
    }

    pub(crate) fn call_jit(&mut self, target: &std::sync::Arc<crate::env::FunctionSource>, args: Vec<Value>, keywords: Vec<(String, Value, Span)>, span: Span) -> Result<ir::Expr> {
        let def = match &target.ast {
            Ok(def) => def,
            // Typing the callee reports its syntax error in its own file.
            Err(_) => {
                self.session.call(target, &[], Some((&self.func.source, span)))?;
                return Err(self.internal(span, "callee with a syntax error was typed"));
            }
        };
        let default = |i: usize| target.defaults.get(i).cloned().flatten();
        let signature = crate::bind::Signature::of_function(&def.params, |i| default(i).is_some());
        let bound = self.bind_values(&def.name, &signature, args, keywords, span)?;
        let bound = self.collected_arguments(&def.params, bound, span)?;
        let mut exprs = Vec::with_capacity(bound.len());
        for (i, b) in bound.into_iter().enumerate() {
            exprs.push(match b {
                Some((v, at)) => self.value_expr(v, at)?,
                None => constant(&default(i).expect("binding checks required parameters"), span),
            });
        }
        let tys: Vec<Type> = exprs.iter().map(|e| e.ty.clone()).collect();
        match self.session.call(target, &tys, Some((&self.func.source, span)))? {
            crate::CallTarget::Ready { symbol, ret } => Ok(ir::Expr::new(ExprKind::Call { symbol, args: exprs }, ret, span)),
            crate::CallTarget::Pending => Err(self.pending_or(self.typing(
                span,
                format!("cannot infer the return type of `{}`: it is recursive and no `return` gives a type without recursing", def.name),
                Some("add a base case that returns a value without calling the function again"),
            ))),
        }
    }

    /// A call of one of ferrojit's own callables written in Python (`ferrojit._lib`), which
    /// syntax compiles to (`a[:, idx]` is `ferrojit.select(view, idx, axis)`).
    pub(crate) fn call_internal(&mut self, qualified: &str, args: Vec<ir::Expr>, span: Span) -> Result<ir::Expr> {
        // The compiler's own calls that may resize their first argument.
        const RESIZING: [(&str, &str); 10] = [
            ("ferrojit.dict_setitem", "`d[k] = v`"),
            ("ferrojit.dict_delitem", "`del d[k]`"),
            ("ferrojit.list_delete", "`del l[i]`"),
            ("ferrojit.list_delete_slice", "`del l[i:j]`"),
            ("ferrojit.list_extend_in_place", "`l += ...`"),
            ("ferrojit.list_repeat_in_place", "`l *= n`"),
            ("ferrojit.set_union_in_place", "`s |= t`"),
            ("ferrojit.set_intersection_in_place", "`s &= t`"),
            ("ferrojit.set_difference_in_place", "`s -= t`"),
            ("ferrojit.set_symmetric_difference_in_place", "`s ^= t`"),
        ];
        if let (Some((_, what)), Some(container)) = (RESIZING.iter().find(|(q, _)| *q == qualified), args.first()) {
            self.refuse_shared_container_change(container, what, span)?;
        }
        let Some(key) = overloads::function_key_of_name(qualified) else {
            return Err(self.internal(span, &format!("`{qualified}` is not registered: ferrojit._lib was not loaded")));
        };
        let values: Vec<Value> = args.into_iter().map(Value::Expr).collect();
        match self.call_overloaded(OverloadTarget::Function(key), values.clone(), vec![], span)? {
            Overloaded::Call(e) => Ok(e),
            Overloaded::NoMatch(why) => Err(self.no_implementation(&overloads::display_name(key), &values, &[], &why, span)),
            Overloaded::BadCall(message) => Err(self.typing(span, message, None)),
            Overloaded::Refused(error) => Err(*error),
        }
    }

    /// Types each of `items` with `f`, in order. A call waiting for the typing functions of an
    /// overloaded callable (`NeedsOverloads`) does not stop the items after it from being
    /// typed, so that their own such calls are requested in the same round: `f(x) + g(x)` and
    /// `h(f(x), g(x))` take one round of typing-function runs, not one per call (see
    /// `overloads.rs`). The first error is the one returned; errors after a wait are told
    /// again once the calls are resolved.
    pub(crate) fn each_collecting_overloads<A, T>(&mut self, items: impl IntoIterator<Item = A>, mut f: impl FnMut(&mut Self, A) -> Result<T>) -> Result<Vec<T>> {
        let mut typed = Vec::new();
        let mut waiting = None;
        for item in items {
            match (f(self, item), &waiting) {
                (Ok(t), None) => typed.push(t),
                (Err(e), None) if e.kind == crate::ErrorKind::NeedsOverloads => waiting = Some(e),
                (Err(e), None) => return Err(e),
                (_, Some(_)) => {}
            }
        }
        match waiting {
            Some(e) => Err(e),
            None => Ok(typed),
        }
    }

    /// An item of a tuple, list or set display (or a positional argument): `*t` of a tuple
    /// gives the tuple's items.
    pub(crate) fn display_item(&mut self, e: &ast::Expr) -> Result<DisplayItem> {
        let ast::ExprKind::Starred(inner) = &e.kind else { return self.expr(e).map(DisplayItem::One) };
        let x = self.expr(inner)?;
        Ok(match x.ty {
            Type::Tuple(_) => DisplayItem::Spliced(self.tuple_items(x, e.span)),
            _ => DisplayItem::Iterable(x),
        })
    }

    /// A call's positional and keyword arguments, typed with [`Self::each_collecting_overloads`];
    /// `*t` of a tuple passes its items.
    #[allow(clippy::type_complexity)]
    pub(crate) fn arguments(&mut self, args: &[ast::Expr], keywords: &[ast::Keyword], keep_optional: bool) -> Result<(Vec<Value>, Vec<(String, Value, Span)>)> {
        let positional = self.each_collecting_overloads(args, |cx, a| {
            if !matches!(a.kind, ast::ExprKind::Starred(_)) {
                cx.keep_optional = keep_optional;
                return Ok(vec![cx.value(a)?]);
            }
            match cx.display_item(a)? {
                DisplayItem::Spliced(items) => Ok(items.into_iter().map(Value::Expr).collect()),
                DisplayItem::One(e) | DisplayItem::Iterable(e) => Err(cx.unsupported(
                    a.span,
                    format!("`*` of a `{}` in a call: how many arguments it passes is only known when the code runs", e.ty),
                    Some("star a tuple (whose length is part of its type), or pass the arguments one by one"),
                )),
            }
        });
        match positional {
            Err(e) if e.kind != crate::ErrorKind::NeedsOverloads => Err(e),
            positional => {
                let keywords = self.each_collecting_overloads(keywords, |cx, k| {
                    cx.keep_optional = keep_optional;
                    Ok((k.name.clone(), cx.value(&k.value)?, k.span))
                });
                Ok((positional?.into_iter().flatten().collect(), keywords?))
            }
        }
    }

    /// A call of a callable implemented in Python (see `overloads.rs`): a call of the
    /// implementation its typing functions chose for these argument types, or why none did.
    /// A resolution not known yet is requested, and the statement waits for it.
    fn call_overloaded(&mut self, target: OverloadTarget, args: Vec<Value>, keywords: Vec<(String, Value, Span)>, span: Span) -> Result<Overloaded> {
        let mut arg_types = Vec::new();
        for a in &args {
            arg_types.push(self.overload_argument_type(a, span)?);
        }
        let mut keyword_types = Vec::new();
        for (name, v, kspan) in &keywords {
            keyword_types.push((name.clone(), self.overload_argument_type(v, *kspan)?));
        }
        let caller_parallel = self.func.parallel && overloads::sees_caller_parallel(&target);
        let request = OverloadRequest { target, args: arg_types, keywords: keyword_types, caller_parallel };
        match overloads::resolved(&request) {
            Some(Resolution::Implementation { function, literal, any_layout }) => {
                let (args, keywords) = if any_layout { self.any_layout_arguments(args, keywords) } else { (args, keywords) };
                self.call_implementation(&function, literal, args, keywords, span).map(Overloaded::Call)
            }
            Some(Resolution::NoMatch(why)) => Ok(Overloaded::NoMatch(why)),
            Some(Resolution::BadCall(message)) => Ok(Overloaded::BadCall(message)),
            Some(Resolution::Refused { message, hint, unsupported }) => Ok(Overloaded::Refused(Box::new(if unsupported {
                self.unsupported(span, message, hint.as_deref())
            } else {
                self.typing(span, message, hint.as_deref())
            }))),
            None => {
                self.session.want_overload(request);
                Err(self.error(crate::ErrorKind::NeedsOverloads, span, "overloads to resolve", None))
            }
        }
    }

    /// The arguments of a call whose implementation serves arrays of any layout (see
    /// `Resolution::Implementation`): arrays of one or more dimensions converted to layout `A`.
    fn any_layout_arguments(&self, args: Vec<Value>, keywords: Vec<(String, Value, Span)>) -> (Vec<Value>, Vec<(String, Value, Span)>) {
        let convert = |v: Value| match v {
            Value::Expr(e) => match &e.ty {
                Type::Array(a) if a.ndim > 0 && a.layout != Layout::A => {
                    let ty = Type::Array(a.with(a.ndim, Layout::A));
                    Value::Expr(self.cast(e, &ty))
                }
                _ => Value::Expr(e),
            },
            other => other,
        };
        (args.into_iter().map(convert).collect(), keywords.into_iter().map(|(k, v, at)| (k, convert(v), at)).collect())
    }

    /// The type a typing function sees for an argument: a literal for an integer or bool
    /// constant, the static types of dtypes, number classes and strings, else the value's type.
    fn overload_argument_type(&self, v: &Value, span: Span) -> Result<ArgType> {
        Ok(match v {
            Value::Expr(e) => match (&e.kind, &e.ty) {
                (ExprKind::Const(Const::Int(v)), &Type::INT64) => ArgType::IntLiteral(*v as i64),
                (ExprKind::Const(Const::Bool(b)), Type::Bool) => ArgType::BoolLiteral(*b),
                _ => ArgType::Value(e.ty.clone()),
            },
            Value::DType(t) => ArgType::DType(t.clone()),
            Value::Str(s) => ArgType::StringLiteral(s.clone()),
            Value::Global(GlobalValue::Function(q)) if overloads::number_class(q).is_some() => ArgType::NumberClass(overloads::number_class(q).expect("checked")),
            Value::Global(GlobalValue::Jit(source)) => ArgType::Value(crate::closures::plain_function_type(source)),
            Value::Global(g @ (GlobalValue::Function(_) | GlobalValue::Overloaded(_))) => ArgType::Value(self.library_function_value(g.clone(), span).ty),
            Value::FlatIter(_) => return Err(self.flat_iter_misused(span)),
            Value::Global(_) => {
                return Err(self.unsupported(span, "only values (numbers, tuples, arrays), dtypes, number types and strings can be passed to an overloaded function", None))
            }
        })
    }

    /// The compile-time value an implementation's parameter takes for the argument `v`, if it
    /// is one: dtypes, number types and strings always; integer and bool constants when the
    /// typing function accepted them as literals.
    fn static_param(v: &Value, literal: bool) -> Option<StaticParam> {
        match v {
            Value::DType(t) => Some(StaticParam::DType(t.clone())),
            Value::Str(s) => Some(StaticParam::Str(s.clone())),
            Value::Global(GlobalValue::Function(q)) if overloads::number_class(q).is_some() => Some(StaticParam::NumberClass(q.clone())),
            Value::Expr(e) if literal => match (&e.kind, &e.ty) {
                (ExprKind::Const(Const::Int(v)), &Type::INT64) => Some(StaticParam::Int(*v as i64)),
                (ExprKind::Const(Const::Bool(b)), Type::Bool) => Some(StaticParam::Bool(*b)),
                _ => None,
            },
            _ => None,
        }
    }

    /// A call of the implementation an overload resolved to: its static arguments bound at
    /// compile time (see `overloads::with_static_params`), the others passed as to any compiled
    /// function.
    fn call_implementation(&mut self, implementation: &std::sync::Arc<crate::env::FunctionSource>, literal: bool, mut args: Vec<Value>, mut keywords: Vec<(String, Value, Span)>, span: Span) -> Result<ir::Expr> {
        let Ok(def) = &implementation.ast else { return self.call_jit(implementation, args, keywords, span) };
        let params: Vec<&str> = def.params.iter().map(|p| p.name.as_str()).collect();
        let mut assigned = Vec::new();
        crate::function::collect_assigned(&def.body, &mut assigned);
        let mut statics: Vec<(usize, StaticParam)> = Vec::new();
        let bound = args.iter().enumerate().map(|(i, v)| (Some(i), v, span)).chain(keywords.iter().map(|(name, v, at)| (params.iter().position(|p| p == name), v, *at)));
        for (index, v, at) in bound {
            let (Some(i), Some(param)) = (index.filter(|i| *i < params.len()), Self::static_param(v, literal)) else { continue };
            if assigned.iter().any(|n| n == params[i]) {
                if matches!(param, StaticParam::Int(_) | StaticParam::Bool(_)) {
                    continue; // assigned in the body: a variable, taken at run time
                }
                return Err(self.unsupported(
                    at,
                    format!("the parameter `{}` of `{}` is given a compile-time value (a dtype, number type or string) and cannot be assigned", params[i], def.name),
                    Some("assign the value to another name in the implementation"),
                ));
            }
            if statics.iter().any(|(k, _)| *k == i) {
                // Given twice: the call itself reports it.
                return self.call_jit(implementation, args, keywords, span);
            }
            statics.push((i, param));
        }
        if statics.is_empty() {
            return self.call_jit(implementation, args, keywords, span);
        }
        statics.sort_by_key(|(i, _)| *i);
        let is_static = |i: usize| statics.iter().any(|(k, _)| *k == i);
        let mut position = 0;
        args.retain(|_| {
            position += 1;
            !is_static(position - 1)
        });
        keywords.retain(|(name, _, _)| !params.iter().position(|p| p == name).is_some_and(is_static));
        let specialised = overloads::with_static_params(implementation, statics);
        self.call_jit(&specialised, args, keywords, span)
    }

    fn no_implementation(&self, name: &str, args: &[Value], keywords: &[(String, Value, Span)], why: &str, span: Span) -> crate::InferError {
        let type_name = |v: &Value| self.overload_argument_type(v, span).map(|t| t.to_string()).unwrap_or_default();
        let mut types: Vec<String> = args.iter().map(type_name).collect();
        types.extend(keywords.iter().map(|(k, v, _)| format!("{k}={}", type_name(v))));
        let message = format!("no implementation of `{name}` for argument types ({})", types.join(", "));
        let message = if why.is_empty() { message } else { format!("{message}: {why}") };
        self.typing(span, message, None)
    }

    pub fn value_expr(&self, v: Value, span: Span) -> Result<ir::Expr> {
        match v {
            Value::Expr(e) => Ok(e),
            Value::Str(text) => Ok(Self::string_constant(&text, span)),
            Value::DType(_) => Err(self.unsupported(span, "a dtype can only be passed to array-creating functions", None)),
            Value::FlatIter(_) => Err(self.flat_iter_misused(span)),
            Value::Global(GlobalValue::Jit(source)) => Ok(self.plain_function_value(&source, span)),
            Value::Global(g @ (GlobalValue::Function(_) | GlobalValue::Overloaded(_))) => Ok(self.library_function_value(g, span)),
            Value::Global(GlobalValue::JitClass(id)) => self.class_value(id, span),
            Value::Global(_) => Err(self.typing(span, "modules, classes and ufuncs cannot be passed as arguments", None)),
        }
    }

    fn module_attribute(&mut self, module: ModuleKind, attr: &str, span: Span) -> Result<Value> {
        let float = |v: f64| Ok(Value::Expr(ir::Expr::new(ExprKind::Const(Const::Float(v)), Type::FLOAT64, span)));
        let complex = |im: f64| Ok(Value::Expr(ir::Expr::new(ExprKind::Const(Const::Complex(0.0, im)), Type::COMPLEX128, span)));
        let constants = matches!(module, ModuleKind::Math | ModuleKind::Numpy | ModuleKind::Cmath);
        match (attr, module) {
            ("pi", _) if constants => float(std::f64::consts::PI),
            ("e", _) if constants => float(std::f64::consts::E),
            ("tau", ModuleKind::Math | ModuleKind::Cmath) => float(std::f64::consts::TAU),
            ("inf", _) if constants => float(f64::INFINITY),
            ("nan", _) if constants => float(f64::NAN),
            ("infj", ModuleKind::Cmath) => complex(f64::INFINITY),
            ("nanj", ModuleKind::Cmath) => complex(f64::NAN),
            ("newaxis", ModuleKind::Numpy) => Ok(Value::Expr(ir::Expr::new(ExprKind::Const(Const::None), Type::NoneType, span))),
            ("linalg", ModuleKind::Numpy) => Ok(Value::Global(GlobalValue::Module(ModuleKind::NumpyLinalg))),
            ("LinAlgError", ModuleKind::NumpyLinalg) => Ok(Value::Global(GlobalValue::ExceptionClass(ExcKind::LinAlgError))),
            ("random", ModuleKind::Numpy) => Ok(Value::Global(GlobalValue::Module(ModuleKind::NumpyRandom))),
            ("typed", ModuleKind::Ferrojit) => Ok(Value::Global(GlobalValue::Module(ModuleKind::FerrojitTyped))),
            ("types", ModuleKind::Ferrojit) => Ok(Value::Global(GlobalValue::Module(ModuleKind::FerrojitTypes))),
            ("List" | "Dict", ModuleKind::FerrojitTyped) => Ok(Value::Global(GlobalValue::Function(format!("ferrojit.typed.{attr}")))),
            (_, ModuleKind::FerrojitTypes) => match ferrojit_types::Type::from_name(attr) {
                // The scalar types and `unicode_type` by name; composite types are written at
                // module level (`float_array = types.float64[:]`), as in Numba.
                Some(t) => Ok(Value::Global(GlobalValue::Type(t))),
                None => Err(self.unsupported(span, format!("`types.{attr}` is not supported in compiled code"), Some("name the type at module level (`float_array = types.float64[:]`) and use that name"))),
            },
            _ => {
                let name = format!("{}.{attr}", module_name(module));
                if let Some(key) = overloads::function_key_of_name(&name) {
                    Ok(Value::Global(GlobalValue::Overloaded(key)))
                } else if crate::builtins::is_known(&name) {
                    Ok(Value::Global(GlobalValue::Function(name)))
                } else {
                    Err(self.unsupported(span, format!("`{name}` is not supported in compiled code"), None))
                }
            }
        }
    }
}
