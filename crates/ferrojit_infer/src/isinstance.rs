//! `isinstance(x, T)`, decided when compiling from the type of `x`, as Numba decides it: the
//! call is a constant, so `if isinstance(x, str): ... else: ...` compiles only the branch that
//! can run (see the `if` statement, `and`/`or` and `if` expressions), and a function written
//! for several argument types types for each.
//!
//! The classes are Python's and NumPy's: `int`, `float`, `complex`, `bool`, `str`, `bytes`,
//! `tuple`, `list`, `dict`, `set`, `object`, `np.ndarray`, NumPy's scalar types
//! (`np.float32`, `np.int64`, ...) and abstract ones (`np.number`, `np.integer`,
//! `np.signedinteger`, `np.unsignedinteger`, `np.inexact`, `np.floating`,
//! `np.complexfloating`, `np.generic`), `np.bool_`, `np.datetime64`, `np.timedelta64`, and
//! tuples of these (nested too).
//!
//! Compiled code cannot tell a Python scalar from the NumPy scalar of the same type: both are
//! values of one compiled type. The answers follow CPython for the Python value each type
//! stands for, as Numba's do: an `int64` is an `int` (the type of Python's ints in compiled
//! code) and also an `np.int64`, a `float64` a `float` (as `np.float64` is, a subclass of
//! `float`) and an `np.float64`, a `complex128` a `complex`, a `bool` a `bool`, an `int` (bool
//! is a subclass of int) and an `np.bool_`. Narrower NumPy types are not Python's (`float32`
//! is not a `float`, `int32` not an `int`), as in CPython; Numba answers the same for all of
//! these, except that it says a `bool` is not an `int`, where CPython wins.

use crate::env::GlobalValue;
use crate::expr::Value;
use crate::function::{FnInfer, Result};
use ferrojit_ir::{self as ir, Const, ExprKind};
use ferrojit_syntax::ast::{self, Span};
use ferrojit_types::{IntType, Type};

/// Whether a value of type `ty` is an instance of the class named `class` (`builtins.int`,
/// `numpy.floating`); `None` for a class compiled code does not know.
fn is_instance(ty: &Type, class: &str) -> Option<bool> {
    // A jitclass (`jitclass:<id>`, see `class_names`): the instance's class or one it derives
    // from.
    if let Some(id) = class.strip_prefix(JITCLASS_PREFIX) {
        let id: u64 = id.parse().ok()?;
        return Some(matches!(ty, Type::Instance(c) if crate::classes::derives_from(c.class, id)));
    }
    let record = |t: &Type| matches!(t, Type::Array(a) if a.ndim == 0 && matches!(*a.dtype, Type::Record(_)));
    let python_int = |t: &Type| matches!(t, Type::Bool) || *t == Type::INT64;
    Some(match class {
        "builtins.object" => true,
        "builtins.bool" | "numpy.bool_" => *ty == Type::Bool,
        "builtins.int" => python_int(ty),
        "builtins.float" => *ty == Type::FLOAT64,
        "builtins.complex" => *ty == Type::COMPLEX128,
        "builtins.str" => *ty == Type::Str,
        "builtins.bytes" => *ty == Type::Bytes,
        "builtins.tuple" => matches!(ty, Type::Tuple(_) | Type::ExceptionArgs),
        "builtins.list" => matches!(ty, Type::List(_)),
        "builtins.dict" => matches!(ty, Type::Dict(..)),
        "builtins.set" => matches!(ty, Type::Set(_)),
        "numpy.ndarray" => matches!(ty, Type::Array(_)) && !record(ty),
        "numpy.void" => record(ty),
        "numpy.generic" => ty.is_number() || matches!(ty, Type::Datetime(_) | Type::Timedelta(_)) || record(ty),
        "numpy.number" => matches!(ty, Type::Int(_) | Type::Float(_) | Type::Complex(_)),
        "numpy.integer" => matches!(ty, Type::Int(_)),
        "numpy.signedinteger" => matches!(ty, Type::Int(IntType { signed: true, .. })),
        "numpy.unsignedinteger" => matches!(ty, Type::Int(IntType { signed: false, .. })),
        "numpy.inexact" => matches!(ty, Type::Float(_) | Type::Complex(_)),
        "numpy.floating" => matches!(ty, Type::Float(_)),
        "numpy.complexfloating" => matches!(ty, Type::Complex(_)),
        "numpy.datetime64" => matches!(ty, Type::Datetime(_)),
        "numpy.timedelta64" => matches!(ty, Type::Timedelta(_)),
        _ => {
            const SCALARS: [&str; 12] = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32", "float64", "complex64", "complex128"];
            let name = class.strip_prefix("numpy.")?;
            if !SCALARS.contains(&name) {
                return None;
            }
            Type::from_name(name).as_ref() == Some(ty)
        }
    })
}

impl FnInfer<'_> {
    /// `isinstance(x, classes)`: a constant (see the module documentation); `x` is evaluated
    /// for its effects when it is more than a variable.
    pub(crate) fn isinstance(&mut self, args: &[ast::Expr], keywords: &[ast::Keyword], span: Span) -> Result<Value> {
        if let Some(k) = keywords.first() {
            return Err(self.typing(k.span, "isinstance() takes no keyword arguments", None));
        }
        let [x, classes] = args else {
            return Err(self.typing(span, format!("isinstance expected 2 arguments, got {}", args.len()), None));
        };
        let value = self.value(x)?;
        let x = self.value_expr(value, x.span)?;
        // An exception's class is known at run time only.
        if x.ty == Type::Exception {
            let (kinds, codes) = self.caught_kinds(classes)?;
            return Ok(Value::Expr(self.exception_isinstance(x, kinds, codes, span)));
        }
        let mut names = Vec::new();
        self.class_names(classes, &mut names)?;
        let mut result = false;
        for (name, at) in names {
            match is_instance(&x.ty, &name) {
                Some(yes) => result |= yes,
                None => {
                    let shown = name.strip_prefix("builtins.").unwrap_or(&name);
                    return Err(self.unsupported(at, format!("`isinstance()` with the class `{shown}` is not supported in compiled code"), Some(CLASSES_HINT)));
                }
            }
        }
        let answer = ir::Expr::new(ExprKind::Const(Const::Bool(result)), Type::Bool, span);
        Ok(Value::Expr(self.discard(vec![x], answer)))
    }

    /// `issubclass(exc_type, classes)` where `exc_type` is what a compiled `with` statement
    /// passes to `__exit__` as the exception's type: the exception itself (compiled code has no
    /// class objects), whose class is tested at run time as `isinstance` tests it.
    pub(crate) fn issubclass(&mut self, args: &[ast::Expr], span: Span) -> Result<Value> {
        if let [x, classes] = args {
            let x = self.expr(x)?;
            if x.ty == Type::Exception {
                let (kinds, codes) = self.caught_kinds(classes)?;
                return Ok(Value::Expr(self.exception_isinstance(x, kinds, codes, span)));
            }
        }
        Err(self.unsupported(span, "`issubclass()` is supported in compiled code only for the exception type `__exit__` receives", Some("use `isinstance()` on values")))
    }

    /// The qualified names of the classes `e` names (`int`, `np.floating`, a tuple of them),
    /// each with where it is written.
    fn class_names(&mut self, e: &ast::Expr, out: &mut Vec<(String, Span)>) -> Result<()> {
        let not_a_class = |cx: &Self, what: String| cx.typing(e.span, format!("isinstance() arg 2 must be a type or tuple of types, not {what}"), Some(CLASSES_HINT));
        match &e.kind {
            ast::ExprKind::Tuple(items) => {
                for item in items {
                    self.class_names(item, out)?;
                }
                Ok(())
            }
            ast::ExprKind::Name(name) if !self.names.contains_key(name) => match self.global(name, e.span)? {
                GlobalValue::Function(q) => {
                    out.push((q, e.span));
                    Ok(())
                }
                GlobalValue::Overloaded(key) => match crate::overloads::library_name(key) {
                    Some(q) => {
                        out.push((q, e.span));
                        Ok(())
                    }
                    None => Err(not_a_class(self, format!("the function `{name}`"))),
                },
                GlobalValue::JitClass(id) => {
                    out.push((format!("{JITCLASS_PREFIX}{id}"), e.span));
                    Ok(())
                }
                GlobalValue::Other(t) => Err(self.unsupported(e.span, format!("`isinstance()` with the global `{name}` (a `{t}`) is not supported in compiled code"), Some(CLASSES_HINT))),
                _ => Err(not_a_class(self, format!("`{name}`"))),
            },
            ast::ExprKind::Attribute { value, attr } => match self.value(value)? {
                Value::Global(GlobalValue::Module(module)) => {
                    out.push((format!("{}.{attr}", crate::expr::module_name(module)), e.span));
                    Ok(())
                }
                _ => Err(not_a_class(self, "this attribute".into())),
            },
            _ => Err(not_a_class(self, "this value".into())),
        }
    }
}

/// How `class_names` names a jitclass: this and its identity.
const JITCLASS_PREFIX: &str = "jitclass:";

const CLASSES_HINT: &str = "compiled code decides `isinstance()` from the types it compiles for: use `int`, `float`, `complex`, `bool`, `str`, `bytes`, `tuple`, `list`, `dict`, `set`, `np.ndarray`, NumPy's scalar types (`np.float32`, `np.integer`, `np.floating`, `np.number`, ...), or a tuple of these written in the call";
