//! The runtime calls behind the random numbers of compiled code (`np.random`'s legacy
//! functions and Python's `random` module): the Mersenne Twister streams of
//! `ferrojit_runtime::random`, which the distributions written in Python
//! (`ferrojit/_lib/random.py`) reach as `ferrojit._lib.random.<name>(stream, ...)`; and the PCG64
//! bit generator of `np.random.default_rng` Generators (`ferrojit_runtime::pcg64`), reached as
//! `ferrojit._lib.generator.pcg64_<name>(state, ...)`.

use crate::bind::Args;
use crate::expr::Value;
use crate::function::{FnInfer, Result};
use crate::registry::Registry;
use ferrojit_ir::{self as ir, ExprKind, RuntimeFunc};
use ferrojit_syntax::ast::Span;
use ferrojit_types::Type;

pub(crate) fn register(r: &mut Registry) {
    r.function("ferrojit._lib.random.seed_numpy", "stream, seed, /", seed_numpy);
    r.function("ferrojit._lib.random.seed_python", "stream, seed, /", seed_python);
    r.function("ferrojit._lib.random.seed_entropy", "stream, /", seed_entropy);
    r.function("ferrojit._lib.random.next_double", "stream, /", next_double);
    r.function("ferrojit._lib.random.draw_deviate", "stream, kind, a, b, /", |cx, args, span| {
        runtime_call(cx, args, &[STREAM, KIND, ("a", Type::FLOAT64), ("b", Type::FLOAT64)], RuntimeFunc::RANDOM_DRAW, Type::FLOAT64, span)
    });
    r.function("ferrojit._lib.random.fill_deviates", "stream, kind, a, b, data, n, /", |cx, args, span| {
        let params = [STREAM, KIND, ("a", Type::FLOAT64), ("b", Type::FLOAT64), ("data", Type::INT64), ("n", Type::INT64)];
        runtime_call(cx, args, &params, RuntimeFunc::RANDOM_FILL, Type::INT64, span)
    });
    r.function("ferrojit._lib.random.bounded_fill", "stream, off, rng, count, bits, out, /", |cx, args, span| {
        let params = [STREAM, ("off", Type::INT64), ("rng", Type::INT64), ("count", Type::INT64), ("bits", Type::INT64), ("out", Type::INT64)];
        runtime_call(cx, args, &params, RuntimeFunc::RANDOM_BOUNDED_FILL, Type::INT64, span)
    });
    r.function("ferrojit._lib.random.masked_interval", "stream, max, /", masked_interval);
    r.function("ferrojit._lib.random.getrandbits", "stream, k, /", getrandbits);
    r.function("ferrojit._lib.random.take_gauss", "stream, /", take_gauss);
    r.function("ferrojit._lib.random.keep_gauss", "stream, value, /", keep_gauss);
    r.function("ferrojit._lib.random.c_pow", "x, y, /", c_pow);
    // `np.random.default_rng` Generators (`ferrojit/_lib/generator.py`).
    r.function("ferrojit._lib.generator.pcg64_seed", "state, seed, /", |cx, args, span| {
        runtime_call(cx, args, &[STATE, ("seed", Type::INT64)], RuntimeFunc::PCG64_SEED, Type::INT64, span)
    });
    r.function("ferrojit._lib.generator.pcg64_seed_entropy", "state, /", |cx, args, span| {
        runtime_call(cx, args, &[STATE], RuntimeFunc::PCG64_SEED_ENTROPY, Type::INT64, span)
    });
    r.function("ferrojit._lib.generator.pcg64_draw", "state, kind, single, a, b, /", |cx, args, span| {
        runtime_call(cx, args, &[STATE, KIND, SINGLE, ("a", Type::FLOAT64), ("b", Type::FLOAT64)], RuntimeFunc::PCG64_DRAW, Type::FLOAT64, span)
    });
    r.function("ferrojit._lib.generator.pcg64_fill", "state, kind, single, a, b, data, n, /", |cx, args, span| {
        let params = [STATE, KIND, SINGLE, ("a", Type::FLOAT64), ("b", Type::FLOAT64), ("data", Type::INT64), ("n", Type::INT64)];
        runtime_call(cx, args, &params, RuntimeFunc::PCG64_FILL, Type::INT64, span)
    });
    r.function("ferrojit._lib.generator.pcg64_interval", "state, max, /", |cx, args, span| {
        runtime_call(cx, args, &[STATE, ("max", Type::INT64)], RuntimeFunc::PCG64_INTERVAL, Type::INT64, span)
    });
    r.function("ferrojit._lib.generator.pcg64_bounded_fill", "state, off, rng, count, bits, out, /", |cx, args, span| {
        let params = [STATE, ("off", Type::INT64), ("rng", Type::INT64), ("count", Type::INT64), ("bits", Type::INT64), ("out", Type::INT64)];
        runtime_call(cx, args, &params, RuntimeFunc::PCG64_BOUNDED_FILL, Type::INT64, span)
    });
    r.function("ferrojit._lib.generator.pcg64_bounded_fill_each", "state, offs, rngs, count, bits, out, /", |cx, args, span| {
        let params = [STATE, ("offs", Type::INT64), ("rngs", Type::INT64), ("count", Type::INT64), ("bits", Type::INT64), ("out", Type::INT64)];
        runtime_call(cx, args, &params, RuntimeFunc::PCG64_BOUNDED_FILL_EACH, Type::INT64, span)
    });
}

/// The call of `func` with the arguments `params` (by name, each converted to its type: an
/// integer parameter takes integers and bools, a float one any real number).
fn runtime_call(cx: &mut FnInfer<'_>, args: &mut Args, params: &[(&str, Type)], func: RuntimeFunc, result: Type, span: Span) -> Result<Value> {
    let mut values = Vec::new();
    for (name, ty) in params {
        let x = cx.required_expr(args, name)?;
        let fits = if *ty == Type::FLOAT64 { x.ty.is_number() && !matches!(x.ty, Type::Complex(_)) } else { x.ty.is_integer_like() };
        if !fits {
            return Err(cx.typing(x.span, format!("`{name}` must be a `{ty}`, not a `{}`", x.ty), None));
        }
        values.push(cx.cast(x, ty));
    }
    Ok(Value::Expr(ir::Expr::new(ExprKind::Runtime { func, args: values }, result, span)))
}

const STREAM: (&str, Type) = ("stream", Type::INT64);
/// A Generator's state: the data address of its state array.
const STATE: (&str, Type) = ("state", Type::INT64);
/// A distribution (`ferrojit_runtime::random::KIND_RANDOM`...).
const KIND: (&str, Type) = ("kind", Type::INT64);
/// Nonzero for float32's draws.
const SINGLE: (&str, Type) = ("single", Type::INT64);

fn seed_numpy(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    runtime_call(cx, args, &[STREAM, ("seed", Type::INT64)], RuntimeFunc::RANDOM_SEED_NUMPY, Type::INT64, span)
}

fn seed_python(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    runtime_call(cx, args, &[STREAM, ("seed", Type::INT64)], RuntimeFunc::RANDOM_SEED_PYTHON, Type::INT64, span)
}

fn seed_entropy(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    runtime_call(cx, args, &[STREAM], RuntimeFunc::RANDOM_SEED_ENTROPY, Type::INT64, span)
}

fn next_double(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    runtime_call(cx, args, &[STREAM], RuntimeFunc::RANDOM_NEXT_DOUBLE, Type::FLOAT64, span)
}

fn masked_interval(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    runtime_call(cx, args, &[STREAM, ("max", Type::INT64)], RuntimeFunc::RANDOM_MASKED_INTERVAL, Type::INT64, span)
}

fn getrandbits(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    runtime_call(cx, args, &[STREAM, ("k", Type::INT64)], RuntimeFunc::RANDOM_GETRANDBITS, Type::INT64, span)
}

fn take_gauss(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    runtime_call(cx, args, &[STREAM], RuntimeFunc::RANDOM_TAKE_GAUSS, Type::FLOAT64, span)
}

fn keep_gauss(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    runtime_call(cx, args, &[STREAM, ("value", Type::FLOAT64)], RuntimeFunc::RANDOM_KEEP_GAUSS, Type::INT64, span)
}

fn c_pow(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    runtime_call(cx, args, &[("x", Type::FLOAT64), ("y", Type::FLOAT64)], RuntimeFunc::RANDOM_POW, Type::FLOAT64, span)
}
