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
    r.function("ferrojit._lib.linalg.blas_dot", "kind, n, x, incx, y, incy, /", blas_dot);
    r.function("ferrojit._lib.linalg.blas_dot_into", "kind, n, x, incx, y, incy, out, /", blas_dot_into);
    r.function("ferrojit._lib.linalg.blas_gemm", "kind, trans_a, trans_b, m, n, k, a, lda, b, ldb, c, ldc, /", blas_gemm);
    r.function("ferrojit._lib.linalg.lapack_gesv", "kind, n, nrhs, a, lda, b, ldb, /", lapack_gesv);
    r.function("ferrojit._lib.linalg.lapack_getrf", "kind, n, a, lda, /", lapack_getrf);
    r.function("ferrojit._lib.linalg.lapack_potrf", "kind, lower, n, a, lda, /", lapack_potrf);
    r.function("ferrojit._lib.linalg.lapack_heevd", "kind, vectors, lower, n, a, lda, w, /", lapack_heevd);
    r.function("ferrojit._lib.linalg.lapack_geev", "kind, vectors, n, a, lda, wr, wi, vr, ldvr, /", lapack_geev);
    r.function("ferrojit._lib.linalg.lapack_gesdd", "kind, job, m, n, a, lda, s, u, ldu, vt, ldvt, /", lapack_gesdd);
    r.function("ferrojit._lib.linalg.lapack_geqrf", "kind, m, n, a, lda, tau, /", lapack_geqrf);
    r.function("ferrojit._lib.linalg.lapack_orgqr", "kind, m, n, k, a, lda, tau, /", lapack_orgqr);
    r.function("ferrojit._lib.linalg.lapack_gelsd", "kind, m, n, nrhs, a, lda, b, ldb, s, rcond, /", lapack_gelsd);
}

fn data_address(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let a = cx.required_expr(args, "a")?;
    if !matches!(a.ty, Type::Array(_)) {
        return Err(cx.typing(a.span, format!("`data_address` takes an array, not a `{}`", a.ty), None));
    }
    Ok(Value::Expr(ir::Expr::new(ExprKind::ArrayAttr { array: a.boxed(), attr: ArrayAttr::DataAddress }, Type::INT64, span)))
}

fn blas_dot_into(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    runtime_call(cx, args, &["kind", "n", "x", "incx", "y", "incy", "out"], RuntimeFunc::BLAS_DOT_INTO, span)
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

fn lapack_heevd(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    runtime_call(cx, args, &["kind", "vectors", "lower", "n", "a", "lda", "w"], RuntimeFunc::LAPACK_HEEVD, span)
}

fn lapack_geev(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    runtime_call(cx, args, &["kind", "vectors", "n", "a", "lda", "wr", "wi", "vr", "ldvr"], RuntimeFunc::LAPACK_GEEV, span)
}

fn lapack_gesdd(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    runtime_call(cx, args, &["kind", "job", "m", "n", "a", "lda", "s", "u", "ldu", "vt", "ldvt"], RuntimeFunc::LAPACK_GESDD, span)
}

fn lapack_geqrf(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    runtime_call(cx, args, &["kind", "m", "n", "a", "lda", "tau"], RuntimeFunc::LAPACK_GEQRF, span)
}

fn lapack_orgqr(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    runtime_call(cx, args, &["kind", "m", "n", "k", "a", "lda", "tau"], RuntimeFunc::LAPACK_ORGQR, span)
}

/// `gelsd`'s integer arguments, then `rcond` as a float64.
fn lapack_gelsd(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let rcond = cx.required_expr(args, "rcond")?;
    if !rcond.ty.is_number() || matches!(rcond.ty, Type::Complex(_)) {
        return Err(cx.typing(rcond.span, format!("`rcond` must be a real number, not a `{}`", rcond.ty), None));
    }
    let rcond = cx.cast(rcond, &Type::FLOAT64);
    let Value::Expr(call) = runtime_call(cx, args, &["kind", "m", "n", "nrhs", "a", "lda", "b", "ldb", "s"], RuntimeFunc::LAPACK_GELSD, span)? else {
        unreachable!("a runtime call is an expression")
    };
    let ExprKind::Runtime { func, mut args } = call.kind else { unreachable!("a runtime call") };
    args.push(rcond);
    Ok(Value::Expr(ir::Expr::new(ExprKind::Runtime { func, args }, Type::INT64, span)))
}

/// The float64 dot product (the runtime call's integer result type replaced).
fn blas_dot(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let Value::Expr(call) = runtime_call(cx, args, &["kind", "n", "x", "incx", "y", "incy"], RuntimeFunc::BLAS_DOT, span)? else {
        unreachable!("a runtime call is an expression")
    };
    Ok(Value::Expr(ir::Expr::new(call.kind, Type::FLOAT64, span)))
}
