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
    /// A `@property`: its getter takes the instance; its setter, when it has one, the
    /// instance and the value.
    Property { getter: Arc<FunctionSource>, setter: Option<Arc<FunctionSource>> },
}

/// A jitclass as the compiler sees it.
#[derive(Debug)]
pub struct JitClass {
    /// The type of its instances (its identity is `ty.class`).
    pub ty: InstanceType,
    /// Methods, properties and static methods by name (`__init__` among the methods).
    pub members: HashMap<String, Member>,
}

static CLASSES: RwLock<Option<HashMap<u64, Arc<JitClass>>>> = RwLock::new(None);

/// Makes `class` known to the compiler under `class.ty.class` (for the process).
pub fn register_class(class: JitClass) {
    let mut classes = CLASSES.write().unwrap_or_else(|p| p.into_inner());
    classes.get_or_insert_with(HashMap::new).insert(class.ty.class, Arc::new(class));
}

/// The registered class of identity `id`.
pub fn class(id: u64) -> Option<Arc<JitClass>> {
    CLASSES.read().unwrap_or_else(|p| p.into_inner()).as_ref()?.get(&id).cloned()
}

/// `name`, then the names of the fields and members of `class`, for messages.
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
            _ if args.is_empty() && keywords.is_empty() => {}
            _ => return Err(self.typing(span, format!("{}() takes no arguments", class.ty.name), Some("define `__init__` to take them"))),
        }
        Ok(ir::Expr::new(ExprKind::Block { stmts, value: self.local_expr(tmp, span).boxed() }, ty, span))
    }

    /// `obj.name` of an instance: a field, or a property's value.
    pub(crate) fn instance_attribute(&mut self, object: ir::Expr, name: &str, span: Span) -> Result<ir::Expr> {
        let Type::Instance(ty) = object.ty.clone() else { unreachable!("an instance attribute of a non-instance") };
        if let Some(field) = ty.field(name) {
            let field_ty = ty.fields[field].1.clone();
            return Ok(ir::Expr::new(ExprKind::GetField { object: object.boxed(), field }, field_ty, span));
        }
        let class = self.class_of(&ty, span)?;
        match class.members.get(name) {
            Some(Member::Property { getter, .. }) => self.call_jit(getter, vec![Value::Expr(object)], vec![], span),
            Some(Member::Method(_) | Member::StaticMethod(_)) => Err(self.unsupported(
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

    /// `obj.name(args)` of an instance: a method (the instance its first argument) or a
    /// static method.
    pub(crate) fn instance_method_call(&mut self, receiver: ir::Expr, name: &str, args: &[ast::Expr], keywords: &[ast::Keyword], span: Span) -> Result<ir::Expr> {
        let Type::Instance(ty) = receiver.ty.clone() else { unreachable!("a method of a non-instance") };
        let class = self.class_of(&ty, span)?;
        let (target, with_receiver) = match class.members.get(name) {
            Some(Member::Method(f)) => (f.clone(), true),
            Some(Member::StaticMethod(f)) => (f.clone(), false),
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
            let field_ty = &ty.fields[field].1;
            if unify(field_ty, &value.ty).as_ref() != Some(field_ty) && !number_stores_as(&value.ty, field_ty) {
                return Err(self.typing(
                    span,
                    format!("cannot store a `{}` in the field `{name}` of `{}`, declared `{field_ty}`", value.ty, ty.name),
                    Some("a field holds values of the type its class declares for it"),
                ));
            }
            let value = self.cast(value, field_ty);
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
