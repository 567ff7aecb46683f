//! `ferrojit.typed.List` and `ferrojit.typed.Dict` made inside compiled code.
//!
//! A typed container is an ordinary compiled list or dict (`Type::List`, `Type::Dict`) whose
//! header says it is typed (`RuntimeFunc::LIST_MARK_TYPED`): compiled code uses it as any
//! list or dict, and it reaches Python as a `typed.List` (`typed.Dict`) that boxes it without a
//! copy (see `crates/ferrojit_python/src/typed.rs`).
//!
//! - `List.empty_list(item_type)` and `Dict.empty(key_type, value_type)` take their types from
//!   `ferrojit.types` objects, NumPy scalar types or Python's `int`/`float`/`complex`/`bool`.
//! - `x = List()` and `d = Dict()` are typed, as `x = []` and `d = {}` are, by what the
//!   function later puts into them (see `FnInfer::empty_container_assignment`).
//! - `List(iterable)` is `list(iterable)`, typed.

use crate::bind::Args;
use crate::expr::Value;
use crate::function::{FnInfer, Result};
use crate::lists::Container;
use crate::registry::Registry;
use crate::GlobalValue;
use ferrojit_ir::{self as ir, ExprKind, StmtKind};
use ferrojit_syntax::ast::{self, Span};
use ferrojit_types::Type;

pub(crate) const LIST_CLASS: &str = "ferrojit.typed.List";
pub(crate) const DICT_CLASS: &str = "ferrojit.typed.Dict";

pub(crate) fn register(r: &mut Registry) {
    r.function("ferrojit.typed.List.empty_list", "item_type, allocated=0", empty_list);
    r.function("ferrojit.typed.Dict.empty", "key_type, value_type, n_keys=0", empty_dict);
    r.function(LIST_CLASS, "iterable=None, /", list_of);
    r.function(DICT_CLASS, "", |cx, _, span| {
        Err(cx.pending_or(cx.typing(span, "cannot tell the key and value types of this empty `Dict()`", Some("assign it to a variable and store into it in this function (`d = Dict()` then `d[k] = v`), or use `Dict.empty(key_type, value_type)`"))))
    });
}

fn empty_list(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let item = cx.type_arg(args, "item_type")?;
    let list = cx.list_display(&[], Some(&Type::List(Box::new(item))), span)?;
    Ok(Value::Expr(cx.mark_typed(list, span)))
}

fn empty_dict(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let key = cx.type_arg(args, "key_type")?;
    let value = cx.type_arg(args, "value_type")?;
    let dict = cx.dict_display(&[], &[], Some(&Type::Dict(Box::new(key), Box::new(value))), span)?;
    Ok(Value::Expr(cx.mark_typed(dict, span)))
}

/// `List(iterable)`; `List()` alone is typed only where it is assigned to a variable.
fn list_of(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let iterable = match args.take("iterable") {
        Some(Value::Expr(e)) if e.ty == Type::NoneType => None,
        other => other,
    };
    let Some(iterable) = iterable else {
        return Err(cx.pending_or(cx.typing(span, "cannot tell the item type of this empty `List()`", Some("assign it to a variable and append to it in this function (`x = List()` then `x.append(1.0)`), or use `List.empty_list(item_type)`"))));
    };
    let list = match crate::overloads::function_key_of_name("builtins.list") {
        Some(key) => cx.call_value(Value::Global(GlobalValue::Overloaded(key)), span, vec![iterable], vec![], span)?,
        None => return Err(cx.internal(span, "`list` is missing from the library")),
    };
    let list = cx.value_expr(list, span)?;
    Ok(Value::Expr(cx.mark_typed(list, span)))
}

impl FnInfer<'_> {
    /// A type argument (`key_type=types.int64`, `item_type=np.float64`, `value_type=float`).
    fn type_arg(&mut self, args: &mut Args, name: &str) -> Result<Type> {
        let (value, at) = args.take_spanned(name).expect("a required parameter");
        match value {
            Value::Global(GlobalValue::Type(t)) => Ok(t),
            v => self.dtype_arg(&v, at).map_err(|_| {
                self.typing(at, format!("`{name}` must be a type"), Some("pass a `ferrojit.types` type such as `types.int64` or `types.unicode_type` (an array type as a module-level name: `float_array = types.float64[:]`), or a NumPy scalar type"))
            }),
        }
    }

    /// `container` (a list or dict just made) marked as a typed container.
    pub(crate) fn mark_typed(&mut self, container: ir::Expr, span: Span) -> ir::Expr {
        let func = match container.ty {
            Type::List(_) => ir::RuntimeFunc::LIST_MARK_TYPED,
            _ => ir::RuntimeFunc::DICT_MARK_TYPED,
        };
        let ty = container.ty.clone();
        let tmp = self.temp(ty.clone());
        let mark = ir::Expr::new(ExprKind::Runtime { func, args: vec![self.local_expr(tmp, span)] }, Type::NoneType, span);
        let stmts = vec![ir::Stmt { kind: StmtKind::Assign { local: tmp, value: container }, span }, ir::Stmt { kind: StmtKind::Expr(mark), span }];
        ir::Expr::new(ExprKind::Block { stmts, value: self.local_expr(tmp, span).boxed() }, ty, span)
    }

    /// The typed container class `func` names (`List`, `typed.Dict`, `numba.typed.List`), when
    /// it is called with no arguments: `x = List()` is typed as `x = []` is.
    pub(crate) fn empty_typed_container_call(&mut self, value: &ast::Expr) -> Result<Option<Container>> {
        let ast::ExprKind::Call { func, args, keywords } = &value.kind else { return Ok(None) };
        if !args.is_empty() || !keywords.is_empty() || !self.names_a_global(func) {
            return Ok(None);
        }
        // A name that is not such a class (`Point.origin` of a jitclass: not a value on its
        // own) is typed where it is called.
        Ok(match self.value(func) {
            Ok(Value::Global(GlobalValue::Function(q))) if q == LIST_CLASS => Some(Container::List),
            Ok(Value::Global(GlobalValue::Function(q))) if q == DICT_CLASS => Some(Container::Dict),
            _ => None,
        })
    }

    /// Whether `e` is a global name or an attribute of one (`typed.List`), read without effects.
    fn names_a_global(&self, e: &ast::Expr) -> bool {
        match &e.kind {
            ast::ExprKind::Name(n) => !self.names.contains_key(n) && !self.cells.contains_key(n),
            ast::ExprKind::Attribute { value, .. } => self.names_a_global(value),
            _ => false,
        }
    }
}
