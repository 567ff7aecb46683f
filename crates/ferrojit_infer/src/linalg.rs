//! The calls into BLAS and LAPACK that `ferrojit/_lib/linalg.py` builds `np.dot`, `@` and
//! `np.linalg` on. Its Python functions reach them as `ferrojit._lib.linalg.blas_gemm(...)`
//! and so on, with int64 arguments: element kind, sizes, flags and the data addresses of
//! arrays, which `ferrojit._lib.data_address(a)` gives (see `ferrojit_runtime::linalg`).

use crate::advanced_index::runtime_call;
use crate::bind::Args;
use crate::expr::Value;
use crate::function::{FnInfer, Result};
use crate::registry::Registry;
use ferrojit_ir::{self as ir, ArrayAttr, ExprKind, RuntimeFunc};
use ferrojit_syntax::ast::Span;
use ferrojit_types::Type;

pub(crate) fn register(r: &mut Registry) {
    r.function("ferrojit._lib.data_address", "a, /", data_address);
    r.function("ferrojit._lib.linalg.blas_gemm", "kind, trans_a, trans_b, m, n, k, a, lda, b, ldb, c, ldc, /", blas_gemm);
    r.function("ferrojit._lib.linalg.lapack_gesv", "kind, n, nrhs, a, lda, b, ldb, /", lapack_gesv);
    r.function("ferrojit._lib.linalg.lapack_getrf", "kind, n, a, lda, /", lapack_getrf);
    r.function("ferrojit._lib.linalg.lapack_potrf", "kind, lower, n, a, lda, /", lapack_potrf);
}

fn data_address(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let a = cx.required_expr(args, "a")?;
    if !matches!(a.ty, Type::Array(_)) {
        return Err(cx.typing(a.span, format!("`data_address` takes an array, not a `{}`", a.ty), None));
    }
    Ok(Value::Expr(ir::Expr::new(ExprKind::ArrayAttr { array: a.boxed(), attr: ArrayAttr::DataAddress }, Type::INT64, span)))
}

fn blas_gemm(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    runtime_call(cx, args, &["kind", "trans_a", "trans_b", "m", "n", "k", "a", "lda", "b", "ldb", "c", "ldc"], RuntimeFunc::BLAS_GEMM, span)
}

fn lapack_gesv(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    runtime_call(cx, args, &["kind", "n", "nrhs", "a", "lda", "b", "ldb"], RuntimeFunc::LAPACK_GESV, span)
}

fn lapack_getrf(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    runtime_call(cx, args, &["kind", "n", "a", "lda"], RuntimeFunc::LAPACK_GETRF, span)
}

fn lapack_potrf(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    runtime_call(cx, args, &["kind", "lower", "n", "a", "lda"], RuntimeFunc::LAPACK_POTRF, span)
}
