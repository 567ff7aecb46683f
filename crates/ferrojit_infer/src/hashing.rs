//! `hash(x)`: CPython's value for strings, numbers, tuples of them and jitclass instances
//! (their `__hash__`), from the runtime's functions (`ferrojit_runtime::hashing`).

use crate::function::{FnInfer, Result};
use ferrojit_ir::{self as ir, Const, ExprKind, RuntimeFunc};
use ferrojit_syntax::ast::Span;
use ferrojit_types::{FloatType, Type};

fn int(v: i128, span: Span) -> ir::Expr {
    ir::Expr::new(ExprKind::Const(Const::Int(v)), Type::INT64, span)
}

fn runtime(func: RuntimeFunc, args: Vec<ir::Expr>, span: Span) -> ir::Expr {
    ir::Expr::new(ExprKind::Runtime { func, args }, Type::INT64, span)
}

impl FnInfer<'_> {
    /// `hash(x)`, an int64.
    pub(crate) fn hash_of(&mut self, x: ir::Expr, span: Span) -> Result<ir::Expr> {
        Ok(match x.ty.clone() {
            // CPython hashes bytes as it hashes a Latin-1 string of the same code points.
            Type::Str | Type::Bytes => runtime(RuntimeFunc::STR_HASH, vec![x], span),
            Type::Bool | Type::Int(_) => {
                let unsigned = x.ty == Type::UINT64;
                let v = if unsigned { ir::Expr::new(ExprKind::Cast(x.boxed()), Type::INT64, span) } else { self.cast(x, &Type::INT64) };
                let flag = ir::Expr::new(ExprKind::Const(Const::Int(unsigned as i128)), Type::INT64, span);
                runtime(RuntimeFunc::HASH_INT, vec![v, flag], span)
            }
            Type::Float(_) => runtime(RuntimeFunc::HASH_FLOAT, vec![self.cast(x, &Type::FLOAT64)], span),
            Type::Complex(_) => {
                let z = self.cast(x, &Type::Complex(FloatType::F64));
                let tmp = self.temp(z.ty.clone());
                let part = |cx: &Self, imag| ir::Expr::new(ExprKind::ComplexPart { value: cx.local_expr(tmp, span).boxed(), imag }, Type::FLOAT64, span);
                let body = runtime(RuntimeFunc::HASH_COMPLEX, vec![part(self, false), part(self, true)], span);
                ir::Expr::new(ExprKind::Let { local: tmp, value: z.boxed(), body: body.boxed() }, Type::INT64, span)
            }
            Type::Tuple(items) => {
                // The items' hashes mixed in order (`tuplehash`), the tuple evaluated once.
                let tmp = self.temp(x.ty.clone());
                let mut state = runtime(RuntimeFunc::HASH_TUPLE_START, vec![], span);
                for (i, item) in items.iter().enumerate() {
                    let value = ir::Expr::new(ExprKind::TupleGet(self.local_expr(tmp, span).boxed(), i), item.clone(), span);
                    let lane = self.hash_of(value, span)?;
                    state = runtime(RuntimeFunc::HASH_TUPLE_ITEM, vec![state, lane], span);
                }
                let len = ir::Expr::new(ExprKind::Const(Const::Int(items.len() as i128)), Type::INT64, span);
                let body = runtime(RuntimeFunc::HASH_TUPLE_END, vec![state, len], span);
                ir::Expr::new(ExprKind::Let { local: tmp, value: x.boxed(), body: body.boxed() }, Type::INT64, span)
            }
            Type::NamedTuple(_) => {
                let plain = self.plain_tuple(x);
                self.hash_of(plain, span)?
            }
            Type::Instance(_) if self.has_special_method(&x.ty, "__hash__") => {
                let h = self.call_special_method(x, "__hash__", vec![], span)?;
                if !matches!(h.ty, Type::Bool | Type::Int(_)) {
                    return Err(self.typing(span, format!("__hash__ method should return an integer, not `{}`", h.ty), None));
                }
                // CPython's `hash()` makes -1 (its error marker) -2.
                let h = self.cast(h, &Type::INT64);
                let tmp = self.temp(Type::INT64);
                let local = |cx: &Self| cx.local_expr(tmp, span);
                let is_marker = ir::Expr::new(ExprKind::Compare { op: ir::CmpOp::Eq, lhs: local(self).boxed(), rhs: int(-1, span).boxed() }, Type::Bool, span);
                let body = ir::Expr::new(ExprKind::IfExp { cond: is_marker.boxed(), then: int(-2, span).boxed(), otherwise: local(self).boxed() }, Type::INT64, span);
                ir::Expr::new(ExprKind::Let { local: tmp, value: h.boxed(), body: body.boxed() }, Type::INT64, span)
            }
            other => {
                return Err(self.unsupported(span, format!("`hash()` of a `{other}` is not supported in compiled code"), Some("`hash()` takes strings, bytes, numbers, tuples of them and instances of jitclasses with `__hash__`")));
            }
        })
    }
}
