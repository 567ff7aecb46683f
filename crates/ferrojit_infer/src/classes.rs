//! Jitclasses (`@jitclass`, Numba's `numba.experimental.jitclass`): instances made in compiled
//! code (`Counter(0)`), their fields (`c.count`, `c.count = 1`), methods, properties and static
//! methods.
//!
//! A class is registered once by the binding crate ([`register_class`]) with its instance
//! type (fields and their types, fixed by the spec or the annotations) and its members, each a
//! compiled function: a method takes the instance as its first argument (`self`), which makes
//! `c.f(x)` the call `f(c, x)`, compiled once per receiver and argument types as any call. An
//! instance is a reference ([`Type::Instance`]): fields are read and written in place
//! ([`ir::ExprKind::GetField`], [`ir::StmtKind::SetField`]), so every name holding it sees the
//! change, as in Python.
//!
//! `Counter(args)` makes a new instance, all fields zero, then calls `__init__` on it:
//! `{ tmp = new_instance(); __init__(tmp, args); } => tmp`.

use crate::env::FunctionSource;
use crate::expr::Value;
use crate::function::{FnInfer, Result};
use crate::lists::number_stores_as;
use ferrojit_ir::{self as ir, ExprKind, StmtKind};
use ferrojit_syntax::ast::{self, Span};
use ferrojit_types::{unify, InstanceType, Type};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// One member of a jitclass other than its fields.
#[derive(Clone, Debug)]
pub enum Member {
    /// A method: the instance is its first argument.
    Method(Arc<FunctionSource>),
    /// A `@staticmethod`: called without the instance.
    StaticMethod(Arc<FunctionSource>),
    /// A `@classmethod`: the class (a [`Type::Class`] value) is its first argument; called on
    /// an instance, the instance's class.
    ClassMethod(Arc<FunctionSource>),
    /// A `@property`: its getter takes the instance; its setter, when it has one, the
    /// instance and the value.
    Property { getter: Arc<FunctionSource>, setter: Option<Arc<FunctionSource>> },
}

/// A jitclass as the compiler sees it.
#[derive(Debug)]
pub struct JitClass {
    /// The type of its instances (its identity is `ty.class`).
    pub ty: InstanceType,
    /// Methods, properties and static methods by name (`__init__` among the methods), a
    /// base's included unless overridden.
    pub members: HashMap<String, Member>,
    /// The jitclass it derives from, by identity.
    pub base: Option<u64>,
    /// The ids of the functions (`FunctionSource::id`) written in this class's own body: in
    /// them, `super()` is this class's base.
    pub own: Vec<u64>,
    /// For a class without `__init__` of its own whose fields are its parameters (dataclass
    /// style): each field's default, `None` for a required one. `Counter(1, data=a)` binds
    /// the arguments to the fields as `__init__(self, count, data)` would, and stores them.
    pub auto_init: Option<Vec<Option<crate::env::ConstValue>>>,
    /// Its `__match_args__`: the attributes that the positional sub-patterns of a class
    /// pattern (`case Point(x, y):`) match, in order; `None` when it has none.
    pub match_args: Option<Vec<String>>,
    /// Whether the class's `__hash__` is None in Python, by something compiled code does not
    /// see (`__hash__ = None` in its body, `@dataclass`'s `eq=True`): its instances are not
    /// hashable (see [`key_equality`]).
    pub hash_is_none: bool,
}

static CLASSES: RwLock<Option<HashMap<u64, Arc<JitClass>>>> = RwLock::new(None);

/// Makes `class` known to the compiler under `class.ty.class` (for the process).
pub fn register_class(class: JitClass) {
    let mut classes = CLASSES.write().unwrap_or_else(|p| p.into_inner());
    classes.get_or_insert_with(HashMap::new).insert(class.ty.class, Arc::new(class));
}

/// Whether the class `id` is `ancestor` or derives from it.
pub fn derives_from(id: u64, ancestor: u64) -> bool {
    let mut at = Some(id);
    while let Some(c) = at {
        if c == ancestor {
            return true;
        }
        at = class(c).and_then(|c| c.base);
    }
    false
}

/// The class whose body defines the function `function` (a `FunctionSource::id`).
fn owner_of(function: u64) -> Option<Arc<JitClass>> {
    let classes = CLASSES.read().unwrap_or_else(|p| p.into_inner());
    classes.as_ref()?.values().find(|c| c.own.contains(&function)).cloned()
}

/// The registered class of identity `id`.
pub fn class(id: u64) -> Option<Arc<JitClass>> {
    CLASSES.read().unwrap_or_else(|p| p.into_inner()).as_ref()?.get(&id).cloned()
}

/// How dict keys and set items of a type compare, as CPython's dicts compare them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyEquality {
    /// By their bytes (strings by text, instances by identity): the runtime hashes and
    /// compares them (`ferrojit_runtime::dicts`).
    Bytes,
    /// By `hash()` and `is`-then-`==`, in compiled code: they hold instances of classes
    /// defining `__hash__` (or `__eq__` and `__hash__`).
    ByEq,
    /// Not hashable: an instance of the class named, which defines `__eq__` without
    /// `__hash__` (Python sets its `__hash__` to None) or sets `__hash__` to None.
    Unhashable(String),
    /// Holds both instances compared by identity and instances compared by `__eq__` (in a
    /// tuple): not supported.
    Mixed,
}

/// Where the class `id` finds its `__hash__`, as CPython's class creation decides it: the
/// first class of its bases' chain whose own body defines `__hash__` (Some(true)) or
/// `__eq__` without `__hash__` or sets `__hash__` to None (Some(false)); None when no class
/// does (`object`'s hash, by identity).
fn own_hash(id: u64) -> Option<bool> {
    let mut at = class(id);
    while let Some(c) = at {
        if c.hash_is_none {
            return Some(false);
        }
        let defines = |name: &str| matches!(c.members.get(name), Some(Member::Method(f)) if c.own.contains(&f.id));
        if defines("__hash__") {
            return Some(true);
        }
        if defines("__eq__") {
            return Some(false);
        }
        at = c.base.and_then(class);
    }
    None
}

/// Whether compiled code hashes values of `ty` as CPython does without calling a `__hash__`:
/// numbers, strings, bytes and tuples of them. A set places such keys by that hash, as
/// CPython's does; instances by their `__hash__`, and other keys (instances hashed by identity,
/// datetimes) by their bytes (`ir::SET_NO_HASH`), whose order is no CPython order to follow.
pub fn hashed_as_cpython(ty: &Type) -> bool {
    match ty {
        Type::Tuple(items) => items.iter().all(hashed_as_cpython),
        Type::NamedTuple(n) => n.items.iter().all(hashed_as_cpython),
        Type::Bool | Type::Int(_) | Type::Float(_) | Type::Complex(_) | Type::Str | Type::Bytes => true,
        _ => false,
    }
}

/// How keys of `ty` compare (see [`KeyEquality`]).
pub fn key_equality(ty: &Type) -> KeyEquality {
    fn walk(ty: &Type, identity: &mut bool, by_eq: &mut bool) -> std::result::Result<(), String> {
        match ty {
            Type::Instance(c) => {
                let has_eq = class(c.class).is_some_and(|class| matches!(class.members.get("__eq__"), Some(Member::Method(_))));
                match own_hash(c.class) {
                    Some(false) => return Err(c.name.clone()),
                    Some(true) => *by_eq = true,
                    None if has_eq => *by_eq = true,
                    None => *identity = true,
                }
            }
            Type::Tuple(items) => items.iter().try_for_each(|t| walk(t, identity, by_eq))?,
            Type::NamedTuple(n) => n.items.iter().try_for_each(|t| walk(t, identity, by_eq))?,
            _ => {}
        }
        Ok(())
    }
    let (mut identity, mut by_eq) = (false, false);
    match walk(ty, &mut identity, &mut by_eq) {
        Err(name) => KeyEquality::Unhashable(name),
        Ok(()) if by_eq && identity => KeyEquality::Mixed,
        Ok(()) if by_eq => KeyEquality::ByEq,
        Ok(()) => KeyEquality::Bytes,
    }
}

/// The names of the fields, then of the public members, of `class`, for messages.
fn member_list(class: &JitClass) -> String {
    let mut names: Vec<String> = class.ty.fields.iter().map(|(f, _)| format!("`{f}`")).collect();
    let mut members: Vec<&String> = class.members.keys().filter(|m| !m.starts_with("__")).collect();
    members.sort();
    names.extend(members.into_iter().map(|m| format!("`{m}`")));
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    }
}

impl FnInfer<'_> {
    /// The registered class of an instance type; an internal error when it is missing (the
    /// binding crate registers a class before any of its instances exists).
    fn class_of(&self, ty: &InstanceType, span: Span) -> Result<Arc<JitClass>> {
        class(ty.class).ok_or_else(|| self.internal(span, &format!("the jitclass `{}` is not registered", ty.name)))
    }

    /// `Counter(args)`: a new instance of the class `id`, initialised by its `__init__`.
    pub(crate) fn construct_instance(&mut self, id: u64, args: Vec<Value>, keywords: Vec<(String, Value, Span)>, span: Span) -> Result<ir::Expr> {
        let Some(class) = class(id) else { return Err(self.internal(span, "a jitclass is not registered")) };
        let ty = Type::Instance(Box::new(class.ty.clone()));
        let tmp = self.temp(ty.clone());
        let mut stmts = vec![ir::Stmt { kind: StmtKind::Assign { local: tmp, value: ir::Expr::new(ExprKind::NewInstance, ty.clone(), span) }, span }];
        match class.members.get("__init__") {
            Some(Member::Method(init)) => {
                let mut values = vec![Value::Expr(self.local_expr(tmp, span))];
                values.extend(args);
                let call = self.call_jit(init, values, keywords, span)?;
                if call.ty != Type::NoneType {
                    return Err(self.typing(span, format!("`{}.__init__` should return None, not `{}`", class.ty.name, call.ty), None));
                }
                stmts.push(ir::Stmt { kind: StmtKind::Expr(call), span });
            }
            _ if class.auto_init.is_some() => {
                let defaults = class.auto_init.clone().unwrap_or_default();
                let signature = crate::bind::Signature::of_names(class.ty.fields.iter().map(|(f, _)| f.clone()), |i| defaults[i].is_some());
                let bound = self.bind_values(&class.ty.name, &signature, args, keywords, span)?.values;
                for (field, b) in bound.into_iter().enumerate() {
                    let value = match (b, &defaults[field]) {
                        (Some((v, at)), _) => self.value_expr(v, at)?,
                        (None, Some(default)) => crate::expr::constant(default, span),
                        (None, None) => return Err(self.internal(span, "binding checks required parameters")),
                    };
                    let name = class.ty.fields[field].0.clone();
                    self.assign_instance_attribute(self.local_expr(tmp, span), &name, value, span, &mut stmts)?;
                }
            }
            _ if args.is_empty() && keywords.is_empty() => {}
            _ => return Err(self.typing(span, format!("{}() takes no arguments", class.ty.name), Some("define `__init__` to take them"))),
        }
        Ok(ir::Expr::new(ExprKind::Block { stmts, value: self.local_expr(tmp, span).boxed() }, ty, span))
    }

    /// `obj.name` of an instance: a field, or a property's value.
    pub(crate) fn instance_attribute(&mut self, object: ir::Expr, name: &str, span: Span) -> Result<ir::Expr> {
        let Type::Instance(ty) = object.ty.clone() else { unreachable!("an instance attribute of a non-instance") };
        if let Some(field) = ty.field(name) {
            let (_, field_ty) = ty.field_at(field).ok_or_else(|| self.internal(span, "a field past the class's"))?;
            return Ok(ir::Expr::new(ExprKind::GetField { object: object.boxed(), field }, field_ty, span));
        }
        let class = self.class_of(&ty, span)?;
        match class.members.get(name) {
            Some(Member::Property { getter, .. }) => self.call_jit(getter, vec![Value::Expr(object)], vec![], span),
            Some(Member::Method(_) | Member::StaticMethod(_) | Member::ClassMethod(_)) => Err(self.unsupported(
                span,
                format!("the method `{}.{name}` can only be called in compiled code, not used as a value", ty.name),
                Some(&format!("call it: `obj.{name}(...)`")),
            )),
            None => Err(self.typing(span, format!("`{}` object has no attribute `{name}`", ty.name), Some(&format!("its attributes are {}", member_list(&class))))),
        }
    }

    /// `Counter.name` of the class `id` itself: a static method.
    pub(crate) fn class_attribute(&mut self, id: u64, name: &str, span: Span) -> Result<Value> {
        let Some(class) = class(id) else { return Err(self.internal(span, "a jitclass is not registered")) };
        match class.members.get(name) {
            Some(Member::StaticMethod(f)) => Ok(Value::Global(crate::env::GlobalValue::Jit(f.clone()))),
            _ => Err(self.unsupported(
                span,
                format!("`{}.{name}` is not supported in compiled code", class.ty.name),
                Some("compiled code reaches a class's static methods through the class, and its fields, methods and properties through an instance"),
            )),
        }
    }

    /// The class `id` as a value (see [`Type::Class`]).
    pub(crate) fn class_value(&self, id: u64, span: Span) -> Result<ir::Expr> {
        let Some(class) = class(id) else { return Err(self.internal(span, "a jitclass is not registered")) };
        Ok(ir::Expr::new(ExprKind::Const(ir::Const::None), Type::Class(Box::new(class.ty.clone())), span))
    }

    /// `Cls.name(args)` of the class `id`: a static method, or a class method (the class its
    /// first argument).
    pub(crate) fn class_member_call(&mut self, id: u64, name: &str, args: &[ast::Expr], keywords: &[ast::Keyword], span: Span) -> Result<ir::Expr> {
        let Some(class) = class(id) else { return Err(self.internal(span, "a jitclass is not registered")) };
        let (target, with_class) = match class.members.get(name) {
            Some(Member::StaticMethod(f)) => (f.clone(), false),
            Some(Member::ClassMethod(f)) => (f.clone(), true),
            Some(Member::Method(f)) => (f.clone(), false),
            _ => {
                return Err(self.typing(
                    span,
                    format!("`{}.{name}` is not a static or class method", class.ty.name),
                    Some("compiled code calls a class's static and class methods through the class, and its other methods through an instance"),
                ))
            }
        };
        let (mut values, keywords) = self.arguments(args, keywords, true)?;
        if with_class {
            values.insert(0, Value::Expr(self.class_value(id, span)?));
        }
        self.call_jit(&target, values, keywords, span)
    }

    /// `obj.name(args)` of an instance: a method (the instance its first argument) or a
    /// static method.
    pub(crate) fn instance_method_call(&mut self, receiver: ir::Expr, name: &str, args: &[ast::Expr], keywords: &[ast::Keyword], span: Span) -> Result<ir::Expr> {
        let Type::Instance(ty) = receiver.ty.clone() else { unreachable!("a method of a non-instance") };
        let class = self.class_of(&ty, span)?;
        let (target, with_receiver) = match class.members.get(name) {
            Some(Member::Method(f)) => (f.clone(), true),
            Some(Member::StaticMethod(f)) => (f.clone(), false),
            Some(Member::ClassMethod(_)) => return self.class_member_call(ty.class, name, args, keywords, span),
            Some(Member::Property { .. }) => return Err(self.typing(span, format!("the property `{}.{name}` is not callable", ty.name), Some(&format!("read it: `obj.{name}`")))),
            None if ty.field(name).is_some() => return Err(self.unsupported(span, format!("calling the field `{}.{name}` is not supported", ty.name), None)),
            None => return Err(self.typing(span, format!("`{}` object has no attribute `{name}`", ty.name), Some(&format!("its attributes are {}", member_list(&class))))),
        };
        let (mut values, keywords) = self.arguments(args, keywords, true)?;
        if with_receiver {
            values.insert(0, Value::Expr(receiver));
        }
        self.call_jit(&target, values, keywords, span)
    }

    /// `obj.name = value` of an instance: a field's store (the value converted to the field's
    /// type, as a typed container converts an item), or a property's setter.
    pub(crate) fn assign_instance_attribute(&mut self, object: ir::Expr, name: &str, value: ir::Expr, span: Span, out: &mut Vec<ir::Stmt>) -> Result<()> {
        let Type::Instance(ty) = object.ty.clone() else { unreachable!("an instance attribute of a non-instance") };
        if let Some(field) = ty.field(name) {
            let (_, field_ty) = ty.field_at(field).ok_or_else(|| self.internal(span, "a field past the class's"))?;
            let field_ty = &field_ty;
            // An optional value stored into a field that is not optional is its value (a
            // `TypeError` when it is `None`, as Numba's).
            let value = if matches!(field_ty, Type::Optional(_)) { value } else { self.unwrap_optional(value) };
            if unify(field_ty, &value.ty).as_ref() != Some(field_ty) && !number_stores_as(&value.ty, field_ty) {
                return Err(self.typing(
                    span,
                    format!("cannot store a `{}` in the field `{name}` of `{}`, declared `{field_ty}`", value.ty, ty.name),
                    Some("a field holds values of the type its class declares for it"),
                ));
            }
            let value = self.cast(value, field_ty);
            // A list or dict field holds a typed one, which Python shares rather than copies.
            let value = if matches!(field_ty, Type::List(_) | Type::Dict(..)) { self.mark_typed(value, span) } else { value };
            out.push(ir::Stmt { kind: StmtKind::SetField { object, field, value }, span });
            return Ok(());
        }
        let class = self.class_of(&ty, span)?;
        match class.members.get(name) {
            Some(Member::Property { setter: Some(setter), .. }) => {
                let call = self.call_jit(setter, vec![Value::Expr(object), Value::Expr(value)], vec![], span)?;
                out.push(ir::Stmt { kind: StmtKind::Expr(call), span });
                Ok(())
            }
            Some(Member::Property { setter: None, .. }) => Err(self.typing(span, format!("the property `{}.{name}` has no setter", ty.name), Some("define one with `@{name}.setter`"))),
            _ => Err(self.typing(
                span,
                format!("`{}` object has no field `{name}`", ty.name),
                Some(&format!("a jitclass's fields are declared in its spec or annotations; its attributes are {}", member_list(&class))),
            )),
        }
    }
}

/// The special method of a binary operator (`__add__` for `+`), without the underscores:
/// `x.__add__(y)`, `y.__radd__(x)`, `x.__iadd__(y)` add `r` and `i` before it.
fn operator_name(op: ast::BinOp) -> &'static str {
    match op {
        ast::BinOp::Add => "add",
        ast::BinOp::Sub => "sub",
        ast::BinOp::Mul => "mul",
        ast::BinOp::Div => "truediv",
        ast::BinOp::FloorDiv => "floordiv",
        ast::BinOp::Mod => "mod",
        ast::BinOp::Pow => "pow",
        ast::BinOp::LShift => "lshift",
        ast::BinOp::RShift => "rshift",
        ast::BinOp::BitAnd => "and",
        ast::BinOp::BitOr => "or",
        ast::BinOp::BitXor => "xor",
        ast::BinOp::MatMul => "matmul",
    }
}

/// The built-ins that call a special method of their one argument, when it is an instance.
const BUILTIN_SPECIAL_METHODS: [(&str, &str); 8] = [
    ("len", "__len__"),
    ("hash", "__hash__"),
    ("str", "__str__"),
    ("repr", "__repr__"),
    ("abs", "__abs__"),
    ("iter", "__iter__"),
    ("int", "__int__"),
    ("float", "__float__"),
];

impl FnInfer<'_> {
    /// Whether the instance type `ty`'s class defines the method `name`.
    pub(crate) fn has_special_method(&self, ty: &Type, name: &str) -> bool {
        match ty {
            Type::Instance(c) => class(c.class).is_some_and(|class| matches!(class.members.get(name), Some(Member::Method(_)))),
            _ => false,
        }
    }

    /// `receiver.name(args)` of a method the class defines (see [`Self::has_special_method`]).
    pub(crate) fn call_special_method(&mut self, receiver: ir::Expr, name: &str, args: Vec<ir::Expr>, span: Span) -> Result<ir::Expr> {
        let Type::Instance(ty) = receiver.ty.clone() else { return Err(self.internal(span, "a special method of a non-instance")) };
        let class = self.class_of(&ty, span)?;
        let Some(Member::Method(f)) = class.members.get(name) else { return Err(self.internal(span, "a special method the class lacks")) };
        let values = std::iter::once(receiver).chain(args).map(Value::Expr).collect();
        self.call_jit(f, values, vec![], span)
    }

    /// `l.direct(r)`, else (the class does not define it, or its method returns
    /// `NotImplemented` for these operand types) `r.reflected(l)`, as Python tries them: the
    /// result, or `None` when neither answers. A method answers `NotImplemented` when every
    /// path of it, compiled for these types, returns it (a method that returns it on some
    /// paths only has two return types: a `TypingError`); it still runs first, as in Python.
    ///
    /// `l` and `r` are evaluated once: when both methods are tried, operands other than
    /// variables and constants are held in temporaries first (`setup`, which the caller runs
    /// before the result, or before its own fallback on `None`); the operands are given back
    /// as held, beside the result.
    fn special_pair(&mut self, l: ir::Expr, r: ir::Expr, direct: &str, reflected: &str, setup: &mut Vec<ir::Stmt>, span: Span) -> Result<(Option<ir::Expr>, ir::Expr, ir::Expr)> {
        let (l_span, r_span) = (l.span, r.span);
        let (l, r) = (self.held(l, setup, l_span), self.held(r, setup, r_span));
        if self.has_special_method(&l.ty, direct) {
            let call = self.call_special_method(l.clone(), direct, vec![r.clone()], span)?;
            if call.ty != Type::NotImplemented {
                return Ok((Some(call), l, r));
            }
            setup.push(ir::Stmt { kind: StmtKind::Expr(call), span });
        }
        if self.has_special_method(&r.ty, reflected) {
            let call = self.call_special_method(r.clone(), reflected, vec![l.clone()], span)?;
            if call.ty != Type::NotImplemented {
                return Ok((Some(call), l, r));
            }
            setup.push(ir::Stmt { kind: StmtKind::Expr(call), span });
        }
        Ok((None, l, r))
    }

    /// `value` after the statements `setup` (itself when there are none).
    fn after(setup: Vec<ir::Stmt>, value: ir::Expr) -> ir::Expr {
        if setup.is_empty() {
            return value;
        }
        let (ty, span) = (value.ty.clone(), value.span);
        ir::Expr::new(ExprKind::Block { stmts: setup, value: value.boxed() }, ty, span)
    }

    /// `l op r` with an instance operand: `l.__op__(r)`, else `r.__rop__(l)`, as Python tries
    /// them (see [`Self::special_pair`]).
    pub(crate) fn instance_binop(&mut self, op: ast::BinOp, l: ir::Expr, r: ir::Expr, span: Span) -> Result<ir::Expr> {
        let name = operator_name(op);
        let (direct, reflected) = (format!("__{name}__"), format!("__r{name}__"));
        let (lty, rty) = (l.ty.clone(), r.ty.clone());
        let mut setup = Vec::new();
        if let (Some(result), _, _) = self.special_pair(l, r, &direct, &reflected, &mut setup, span)? {
            return Ok(Self::after(setup, result));
        }
        Err(self.typing(
            span,
            format!("unsupported operand types for `{}`: `{lty}` and `{rty}`", op.symbol()),
            Some(&format!("define `{direct}` on the left operand's class (or `{reflected}` on the right one's)")),
        ))
    }

    /// `x op= y` of an instance `x` whose class defines `__iop__`: its result, which Python
    /// assigns back to `x`; None when the class does not (then `x = x op y`).
    pub(crate) fn instance_inplace(&mut self, op: ast::BinOp, l: &ir::Expr, r: &ir::Expr, span: Span) -> Result<Option<ir::Expr>> {
        let name = format!("__i{}__", operator_name(op));
        if !self.has_special_method(&l.ty, &name) {
            return Ok(None);
        }
        self.call_special_method(l.clone(), &name, vec![r.clone()], span).map(Some)
    }

    /// `l op r`, a comparison with an instance operand (`is` and `in` aside), as Python
    /// decides it: `__eq__`/`__ne__` (else identity, and `!=` the negation of `==`), the
    /// ordering methods and their reflections (`a < b` is `b.__gt__(a)` when `a` has no
    /// `__lt__`). The result is the method's, as a bool.
    pub(crate) fn instance_compare(&mut self, op: ferrojit_syntax::ast::CmpOp, l: ir::Expr, r: ir::Expr, span: Span) -> Result<ir::Expr> {
        use ferrojit_syntax::ast::CmpOp;
        let (direct, reflected) = match op {
            CmpOp::Eq => ("__eq__", "__eq__"),
            CmpOp::NotEq => ("__ne__", "__ne__"),
            CmpOp::Lt => ("__lt__", "__gt__"),
            CmpOp::LtE => ("__le__", "__ge__"),
            CmpOp::Gt => ("__gt__", "__lt__"),
            CmpOp::GtE => ("__ge__", "__le__"),
            _ => return Err(self.internal(span, "an instance comparison of `is` or `in`")),
        };
        let mut setup = Vec::new();
        let result = match self.special_pair(l, r, direct, reflected, &mut setup, span)? {
            (Some(result), _, _) => self.truth(result),
            (None, l, r) if op == CmpOp::NotEq && (self.has_special_method(&l.ty, "__eq__") || self.has_special_method(&r.ty, "__eq__")) => {
                let eq = self.instance_compare(CmpOp::Eq, l, r, span)?;
                ir::Expr::new(ExprKind::Unary { op: ir::UnaryOp::Not, operand: eq.boxed() }, Type::Bool, span)
            }
            // Python's default: the same object (never, between an instance and a value of
            // another type).
            (None, l, r) if matches!(op, CmpOp::Eq | CmpOp::NotEq) && l.ty != r.ty => ir::Expr::new(ExprKind::Const(ir::Const::Bool(op == CmpOp::NotEq)), Type::Bool, span),
            (None, l, r) if matches!(op, CmpOp::Eq | CmpOp::NotEq) => self.compare(if op == CmpOp::Eq { CmpOp::Is } else { CmpOp::IsNot }, l, r, span)?,
            (None, l, r) => {
                return Err(self.typing(
                    span,
                    format!("`{}` is not supported between `{}` and `{}`", op.symbol(), l.ty, r.ty),
                    Some(&format!("define `{direct}` on the class")),
                ));
            }
        };
        Ok(Self::after(setup, result))
    }

    /// `x in obj` of an instance `obj`: `obj.__contains__(x)`, as a bool.
    pub(crate) fn instance_contains(&mut self, item: ir::Expr, container: ir::Expr, span: Span) -> Result<ir::Expr> {
        if !self.has_special_method(&container.ty, "__contains__") {
            return Err(self.typing(span, format!("`in` of a `{}` needs `__contains__`", container.ty), Some("define `__contains__` on the class")));
        }
        let found = self.call_special_method(container, "__contains__", vec![item], span)?;
        Ok(self.truth(found))
    }

    /// The truth of an instance: `__bool__`, else `__len__() != 0`, else true (Python's rule).
    pub(crate) fn instance_truth(&mut self, x: ir::Expr, span: Span) -> Result<ir::Expr> {
        if self.has_special_method(&x.ty, "__bool__") {
            let b = self.call_special_method(x, "__bool__", vec![], span)?;
            return Ok(self.truth(b));
        }
        if self.has_special_method(&x.ty, "__len__") {
            let n = self.call_special_method(x, "__len__", vec![], span)?;
            return Ok(self.truth(n));
        }
        Ok(self.discard(vec![x], ir::Expr::new(ExprKind::Const(ir::Const::Bool(true)), Type::Bool, span)))
    }

    /// `len(obj)`, `hash(obj)`, `str(obj)`, `bool(obj)`, ... of one instance argument: its
    /// class's special method; None when the call is not one of these.
    pub(crate) fn instance_builtin(&mut self, func: &ast::Expr, args: &[Value], keywords: &[(String, Value, Span)], span: Span) -> Result<Option<ir::Expr>> {
        let ([Value::Expr(x)], true) = (args, keywords.is_empty()) else { return Ok(None) };
        if !matches!(x.ty, Type::Instance(_)) {
            return Ok(None);
        }
        if self.is_builtin(func, "bool")? {
            return self.instance_truth(x.clone(), span).map(Some);
        }
        for (builtin, method) in BUILTIN_SPECIAL_METHODS {
            if !self.is_builtin(func, builtin)? {
                continue;
            }
            // `str()` falls back on `__repr__`, as in Python.
            let method = if method == "__str__" && !self.has_special_method(&x.ty, method) { "__repr__" } else { method };
            if !self.has_special_method(&x.ty, method) {
                return Err(self.typing(span, format!("`{builtin}()` of a `{}` needs `{method}`", x.ty), Some(&format!("define `{method}` on the class"))));
            }
            if builtin == "hash" {
                // `hash()` checks and adjusts what `__hash__` returns.
                return self.hash_of(x.clone(), span).map(Some);
            }
            return self.call_special_method(x.clone(), method, vec![], span).map(Some);
        }
        Ok(None)
    }

    /// `str(obj)` of an instance, for `print`: `__str__`, else `__repr__`.
    pub(crate) fn instance_text(&mut self, x: ir::Expr, span: Span) -> Result<ir::Expr> {
        for method in ["__str__", "__repr__"] {
            if self.has_special_method(&x.ty, method) {
                return self.call_special_method(x, method, vec![], span);
            }
        }
        Err(self.unsupported(
            span,
            format!("printing a `{}` needs `__str__` or `__repr__` in compiled code (Python's default shows the object's address)", x.ty),
            Some("define `__str__` on the class, or print its fields"),
        ))
    }

    /// `super().name(args)` in a method written in a jitclass's body: the base class's
    /// `name`, called on this method's first argument (`self`), as Python's zero-argument
    /// `super()` finds it. `super(C, obj).name(args)` (`explicit`): the base of the jitclass
    /// `C`'s, called on `obj`, an instance of `C` or of a class deriving from it.
    pub(crate) fn super_method_call(&mut self, explicit: Option<(&ast::Expr, &ast::Expr)>, name: &str, args: &[ast::Expr], keywords: &[ast::Keyword], span: Span) -> Result<ir::Expr> {
        let (start, receiver) = match explicit {
            None => {
                let Some(owner) = owner_of(self.func.id) else {
                    return Err(self.unsupported(span, "`super()` is only supported in the methods of a jitclass", Some("call the function you mean directly")));
                };
                let Some(receiver) = self.def.params.first().map(|p| p.name.clone()) else {
                    return Err(self.typing(span, "`super()`: the method has no `self` argument", None));
                };
                (owner, self.expr(&ast::Expr { kind: ast::ExprKind::Name(receiver), span })?)
            }
            Some((class_arg, object)) => {
                let Value::Global(crate::GlobalValue::JitClass(id)) = self.value(class_arg)? else {
                    return Err(self.typing(class_arg.span, "super() argument 1 must be a jitclass in compiled code", Some("name the class the method is written in, or write `super()`")));
                };
                let start = class(id).ok_or_else(|| self.internal(span, "a jitclass is not registered"))?;
                let receiver = self.expr(object)?;
                // `obj` must be an instance of `C` or of a class deriving from it.
                if !matches!(&receiver.ty, Type::Instance(t) if derives_from(t.class, start.ty.class)) {
                    return Err(self.typing(object.span, format!("super(type, obj): obj (a `{}`) must be an instance or subtype of type `{}`", receiver.ty, start.ty.name), None));
                }
                (start, receiver)
            }
        };
        let Some(base) = start.base.and_then(class) else {
            return Err(self.typing(span, format!("`super()` in `{}`, which derives from no jitclass", start.ty.name), Some("derive the class from another `@jitclass` class")));
        };
        let (target, with_receiver) = match base.members.get(name) {
            Some(Member::Method(f)) => (f.clone(), true),
            Some(Member::StaticMethod(f)) => (f.clone(), false),
            _ if name == "__init__" && args.is_empty() && keywords.is_empty() => {
                // `object.__init__()`: nothing to do.
                return Ok(ir::Expr::new(ExprKind::Const(ir::Const::None), Type::NoneType, span));
            }
            _ => return Err(self.typing(span, format!("`super()` (the class `{}`) has no method `{name}`", base.ty.name), None)),
        };
        let (mut values, keywords) = self.arguments(args, keywords, true)?;
        if with_receiver {
            values.insert(0, Value::Expr(receiver));
        }
        self.call_jit(&target, values, keywords, span)
    }

    /// `match'argument(subject, Class, i, n)` (see `ferrojit_syntax::MATCH_ARGUMENT`): the
    /// attribute of `subject` that the `i`-th of the `n` positional sub-patterns of a class
    /// pattern matches, named by the jitclass's `__match_args__`; CPython's `TypeError` text
    /// when it names fewer.
    pub(crate) fn match_argument(&mut self, args: &[ast::Expr], span: Span) -> Result<Value> {
        let [subject, class_arg, index, count] = args else { return Err(self.internal(span, "a class pattern's argument is malformed")) };
        let (ast::ExprKind::Int(i), ast::ExprKind::Int(n)) = (&index.kind, &count.kind) else { return Err(self.internal(span, "a class pattern's argument is malformed")) };
        let Value::Global(crate::GlobalValue::JitClass(id)) = self.value(class_arg)? else {
            return Err(self.unsupported(
                class_arg.span,
                "positional patterns in a class pattern are supported for built-in types that match themselves (`case int(n):`) and jitclasses (by their `__match_args__`)",
                Some("name the attributes instead: `case Point(x=0, y=y):`"),
            ));
        };
        let class = class(id).ok_or_else(|| self.internal(span, "a jitclass is not registered"))?;
        let names = class.match_args.clone().unwrap_or_default();
        if *n as usize > names.len() {
            let plural = if names.len() == 1 { "" } else { "s" };
            return Err(self.typing(span, format!("{}() accepts {} positional sub-pattern{plural} ({n} given)", class.ty.name, names.len()), Some("set `__match_args__` on the class, or name the attributes: `case Point(x=0, y=y):`")));
        }
        let attribute = ast::Expr { kind: ast::ExprKind::Attribute { value: Box::new(subject.clone()), attr: names[*i as usize].clone() }, span };
        self.value(&attribute)
    }

    /// `obj(args)` of an instance whose class defines `__call__`.
    pub(crate) fn call_instance(&mut self, obj: ir::Expr, args: Vec<Value>, keywords: Vec<(String, Value, Span)>, span: Span) -> Result<ir::Expr> {
        let Type::Instance(ty) = obj.ty.clone() else { return Err(self.internal(span, "`__call__` of a non-instance")) };
        let class = self.class_of(&ty, span)?;
        let Some(Member::Method(f)) = class.members.get("__call__") else { return Err(self.internal(span, "a `__call__` the class lacks")) };
        let values = std::iter::once(Value::Expr(obj)).chain(args).collect();
        self.call_jit(f, values, keywords, span)
    }
}
