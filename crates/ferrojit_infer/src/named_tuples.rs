//! Named tuples (`collections.namedtuple`, `typing.NamedTuple`): instances made in compiled
//! code (`P(1, 2)`, `P(x=1, y=2)`, the class's defaults), fields (`p.x`, `P._fields`), and
//! `p._replace(x=3)`.
//!
//! A named tuple's value is laid out as the tuple of its items ([`Type::NamedTuple`]), so every
//! other operation is a tuple's: [`FnInfer::plain_tuple`] views the value as the plain tuple
//! (a cast that changes nothing in memory) where a tuple operation begins: indexing and
//! slicing, unpacking, `for` loops, `len`, `+`, `*`, comparisons, `in`, `index`, `count`, and
//! the built-ins. What a tuple operation gives is a plain tuple, as in CPython
//! (`p[:1]`, `p + (3,)`). Stored, passed, returned and kept in containers, the value keeps its
//! class, and the dispatcher converts a result back to an instance of the very class.

use crate::bind::Signature;
use crate::env::NamedTupleClass;
use crate::expr::{constant, Value};
use crate::function::{FnInfer, Result};
use ferrojit_ir::{self as ir, ExprKind};
use ferrojit_syntax::ast::{self, Span};
use ferrojit_types::{NamedTupleType, Type};

impl FnInfer<'_> {
    /// `e` viewed as the plain tuple it is laid out as when it is a named tuple; `e` itself
    /// otherwise.
    pub(crate) fn plain_tuple(&self, e: ir::Expr) -> ir::Expr {
        match &e.ty {
            Type::NamedTuple(n) => {
                let ty = n.layout();
                self.cast(e, &ty)
            }
            _ => e,
        }
    }

    /// [`FnInfer::plain_tuple`] of an argument value.
    pub(crate) fn plain_tuple_value(&self, v: Value) -> Value {
        match v {
            Value::Expr(e) => Value::Expr(self.plain_tuple(e)),
            other => other,
        }
    }

    /// `P(...)`: an instance of the named tuple class `class`, its arguments bound to the fields
    /// as the class's `__new__` binds them (defaults included).
    pub(crate) fn construct_named_tuple(&mut self, class: &NamedTupleClass, args: Vec<Value>, keywords: Vec<(String, Value, Span)>, span: Span) -> Result<ir::Expr> {
        let signature = Signature::of_names(class.fields.iter().cloned(), |i| class.defaults[i].is_some());
        let callee = format!("{}.__new__", class.name);
        let bound = self.bind_values(&callee, &signature, args, keywords, span)?.values;
        let mut items = Vec::with_capacity(bound.len());
        for (i, b) in bound.into_iter().enumerate() {
            items.push(match (b, &class.defaults[i]) {
                (Some((v, at)), _) => self.value_expr(v, at)?,
                (None, Some(Ok(default))) => constant(default, span),
                (None, Some(Err(type_name))) => {
                    return Err(self.typing(
                        span,
                        format!("the default of the field `{}` of `{}` is a `{type_name}`, which compiled code cannot use", class.fields[i], class.name),
                        Some("pass this field's value"),
                    ))
                }
                (None, None) => unreachable!("binding checks required parameters"),
            });
        }
        let ty = Type::NamedTuple(Box::new(NamedTupleType { class: class.class, name: class.name.clone(), fields: class.fields.clone(), items: items.iter().map(|i| i.ty.clone()).collect() }));
        Ok(ir::Expr::new(ExprKind::Tuple(items), ty, span))
    }

    /// `p.x` (a field) and `p._fields` of a named tuple.
    pub(crate) fn named_tuple_attribute(&mut self, value: ir::Expr, attr: &str, span: Span) -> Result<ir::Expr> {
        let Type::NamedTuple(n) = value.ty.clone() else { unreachable!("a named tuple's attribute of a non-named tuple") };
        if attr == "_fields" {
            let names = n.fields.iter().map(|f| Self::string_constant(f, span)).collect::<Vec<_>>();
            let ty = Type::Tuple(vec![Type::Str; names.len()]);
            return Ok(self.discard(vec![value], ir::Expr::new(ExprKind::Tuple(names), ty, span)));
        }
        match n.field(attr) {
            Some(i) => Ok(self.tuple_get(value, i, span)),
            None => Err(self.typing(span, format!("`{}` has no field `{attr}`", n.name), Some(&format!("its fields are {}", field_list(&n.fields))))),
        }
    }

    /// `p._replace(x=3)`: a new instance of the class with those fields replaced (their types
    /// may differ from the old ones').
    pub(crate) fn named_tuple_replace(&mut self, receiver: ir::Expr, args: &[ast::Expr], keywords: &[ast::Keyword], span: Span) -> Result<ir::Expr> {
        let Type::NamedTuple(n) = receiver.ty.clone() else { unreachable!("`_replace` of a non-named tuple") };
        if !args.is_empty() {
            return Err(self.typing(span, format!("`{}._replace()` takes keyword arguments only", n.name), Some("name the fields: `p._replace(x=1)`")));
        }
        let mut replaced: Vec<Option<ir::Expr>> = vec![None; n.fields.len()];
        for k in keywords {
            let name = &k.name;
            let Some(i) = n.field(name) else {
                // CPython's message (a `ValueError` there, raised when the call runs).
                return Err(self.typing(k.value.span, format!("Got unexpected field names: ['{name}']"), Some(&format!("the fields of `{}` are {}", n.name, field_list(&n.fields)))));
            };
            replaced[i] = Some(self.expr(&k.value)?);
        }
        // The receiver once, then the new values in the order written (already evaluated
        // above, as CPython evaluates the arguments before the call).
        let tmp = self.temp(receiver.ty.clone());
        let items: Vec<ir::Expr> = replaced.into_iter().enumerate().map(|(i, r)| r.unwrap_or_else(|| self.tuple_get(self.local_expr(tmp, span), i, span))).collect();
        let ty = n.with_items(items.iter().map(|i| i.ty.clone()).collect());
        let built = ir::Expr::new(ExprKind::Tuple(items), ty.clone(), span);
        Ok(ir::Expr::new(ExprKind::Let { local: tmp, value: receiver.boxed(), body: built.boxed() }, ty, span))
    }
}

fn field_list(fields: &[String]) -> String {
    if fields.is_empty() {
        return "none".to_string();
    }
    fields.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")
}
