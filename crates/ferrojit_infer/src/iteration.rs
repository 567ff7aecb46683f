//! `for` loops over iterables, and NumPy's flat iterator (`a.flat[i]`).
//!
//! The iteration protocol: every iterable a `for` loop takes (other than a plain `range`, which
//! has a loop of its own) is walked by one counted loop, `StmtKind::ForRange` with index `k`
//! from 0 to a count known before the loop. An iterable joins by giving a [`Walk`]: that count,
//! statements run at the start of every iteration (advancing the iterable's own state), and its
//! current item. `zip` and `enumerate` combine the walks of their arguments, so that any
//! iterable works inside them, nested too. Nothing is allocated per iteration: the state is a
//! few int64 locals, items are elements or views read from arrays held in locals.
//!
//! Multi-dimensional walks (`a.flat`, `np.ndindex`, `np.ndenumerate`, `np.nditer`) keep one
//! counter per dimension, stepped like an odometer at the start of each iteration (last
//! dimension fastest: C order): the loop stays a single counted loop, so `break`, `continue`
//! and `else` keep their meaning, and the carry to an outer dimension is a rarely taken branch.
//! When the body has no `break` (and the walk is not inside `zip`/`enumerate`), the counters
//! are the indices of nested loops instead, one per dimension, which LLVM optimises (and
//! vectorises) as hand-written ones. A C-contiguous array is walked as its flat 1-d view.
//!
//! An iterable whose length is not known before the loop (a generator) joins with a condition
//! tested at the start of each iteration ([`Walk::more`], resuming the generator) in place of
//! the count: the loop is then a `while` loop over that condition, counting `k` itself. In
//! `zip`, the counts and conditions are tested in the order of the arguments, as CPython's
//! `zip` asks its iterators: a generator after an exhausted list is not resumed.

use crate::bind::Args;
use crate::expr::Value;
use crate::function::{FnInfer, Result};
use ferrojit_ir::{self as ir, ArrayAttr, BinaryOp, Const, ExcKind, ExprKind, IndexItem, LocalId, RuntimeFunc, StmtKind};
use ferrojit_syntax::ast::{self, CmpOp, Span};
use ferrojit_types::{ArrayType, Layout, Type};

/// How a `for` loop walks one iterable (see the module documentation).
pub(crate) struct Walk {
    /// The number of items (int64), evaluated once, before the loop.
    pub count: ir::Expr,
    /// Run at the start of every iteration, before `item` is read.
    pub advance: Vec<ir::Stmt>,
    /// The item of the current iteration, in terms of the loop index and the walk's locals.
    pub item: ir::Expr,
    /// Run once before the single counted loop (not before nested loops): starts `advance`'s
    /// state.
    pub start: Vec<ir::Stmt>,
    /// For a walk whose item depends only on per-dimension counters (see `counters`): each
    /// counter with its dimension, outermost first. Such a walk can also run as nested loops
    /// over the counters, which LLVM optimises as hand-written ones (see `for_walk`).
    pub nest: Vec<(LocalId, ir::Expr)>,
    /// For a walk of unknown length: tested at the start of every iteration, before
    /// `advance`, whether there is another item (then `count` is `i64::MAX`).
    pub more: Option<ir::Expr>,
}

/// Per-dimension counters (see `FnInfer::counters`), with what a [`Walk`] over them needs.
struct Counters {
    /// The current index per dimension.
    indices: Vec<ir::Expr>,
    count: ir::Expr,
    advance: Vec<ir::Stmt>,
    start: Vec<ir::Stmt>,
    nest: Vec<(LocalId, ir::Expr)>,
}

/// The NumPy iteration functions a `for` loop takes.
const ITERATION_FUNCTIONS: [&str; 3] = ["numpy.ndindex", "numpy.ndenumerate", "numpy.nditer"];

fn int(v: i128, span: Span) -> ir::Expr {
    ir::Expr::new(ExprKind::Const(Const::Int(v)), Type::INT64, span)
}

fn binary(op: BinaryOp, lhs: ir::Expr, rhs: ir::Expr, span: Span) -> ir::Expr {
    let ty = lhs.ty.clone();
    ir::Expr::new(ExprKind::Binary { op, lhs: lhs.boxed(), rhs: rhs.boxed() }, ty, span)
}

fn compare(op: CmpOp, lhs: ir::Expr, rhs: ir::Expr, span: Span) -> ir::Expr {
    ir::Expr::new(ExprKind::Compare { op, lhs: lhs.boxed(), rhs: rhs.boxed() }, Type::Bool, span)
}

fn if_exp(cond: ir::Expr, then: ir::Expr, otherwise: ir::Expr, span: Span) -> ir::Expr {
    let ty = then.ty.clone();
    ir::Expr::new(ExprKind::IfExp { cond: cond.boxed(), then: then.boxed(), otherwise: otherwise.boxed() }, ty, span)
}

fn both(lhs: ir::Expr, rhs: ir::Expr, span: Span) -> ir::Expr {
    ir::Expr::new(ExprKind::Logical { and: true, lhs: lhs.boxed(), rhs: rhs.boxed() }, Type::Bool, span)
}

fn either(lhs: ir::Expr, rhs: ir::Expr, span: Span) -> ir::Expr {
    ir::Expr::new(ExprKind::Logical { and: false, lhs: lhs.boxed(), rhs: rhs.boxed() }, Type::Bool, span)
}

fn stmt(kind: StmtKind, span: Span) -> ir::Stmt {
    ir::Stmt { kind, span }
}

fn raise(exc: ExcKind, msg: &str, span: Span) -> ir::Stmt {
    stmt(StmtKind::Raise { exc, msg: Some(msg.to_string()) }, span)
}

fn array_type(e: &ir::Expr) -> ArrayType {
    match &e.ty {
        Type::Array(a) => a.clone(),
        _ => unreachable!("an array walk of a non-array"),
    }
}

impl FnInfer<'_> {
    /// `for target in iter: body else: orelse` for every iterable but a plain `range(...)`.
    pub(crate) fn for_walk(&mut self, target: &ast::Expr, iter: &ast::Expr, body: &[ast::Stmt], orelse: &[ast::Stmt], span: Span, out: &mut Vec<ir::Stmt>) -> Result<()> {
        // The generators the loop made for itself go when it ends, however it ends (CPython
        // drops its iterator there, on an exception or a `return` too): one left suspended is
        // closed then, running its `finally` blocks before what follows the loop, the
        // handlers and `finally` blocks around it, not at the function's exit. So such a loop
        // is `try: loop finally: del generators`.
        let mark = self.walked_generators.len();
        let mut looped = Vec::new();
        let walked = self.for_walk_loop(target, iter, body, orelse, span, &mut looped);
        let made = self.walked_generators.split_off(mark);
        walked?;
        if made.is_empty() {
            out.extend(looped);
        } else {
            let finalbody = made.into_iter().map(|g| stmt(StmtKind::Unbind(g), span)).collect();
            out.push(stmt(StmtKind::Try { body: looped, handlers: Vec::new(), orelse: Vec::new(), finalbody }, span));
        }
        Ok(())
    }

    fn for_walk_loop(&mut self, target: &ast::Expr, iter: &ast::Expr, body: &[ast::Stmt], orelse: &[ast::Stmt], span: Span, out: &mut Vec<ir::Stmt>) -> Result<()> {
        if let Some(arg) = self.literal_unroll_arg(iter)? {
            return self.unrolled_for(target, arg, body, orelse, span, out);
        }
        let k = self.temp(Type::INT64);
        let walk = self.iterable_walk(iter, k, out)?;
        // The walk of an empty tuple (an empty `*args`): the loop runs no iteration, and its
        // body is not compiled (its target would have no type).
        if matches!(walk.count.kind, ExprKind::Const(ir::Const::Int(0))) && walk.item.ty == Type::NoneType && walk.nest.is_empty() {
            out.extend(walk.start);
            let orelse = self.block(orelse)?;
            out.extend(orelse);
            return Ok(());
        }
        if let Some(more) = walk.more {
            // `k = 0; while k < count and more: advance; target = item; k += 1; body`.
            out.extend(walk.start);
            out.push(stmt(StmtKind::Assign { local: k, value: int(0, span) }, span));
            let cond = match walk.count.kind {
                ExprKind::Const(Const::Int(n)) if n == i64::MAX as i128 => more,
                _ => both(compare(CmpOp::Lt, self.local_expr(k, span), walk.count, span), more, span),
            };
            let mut body_ir = walk.advance;
            self.assign(target, walk.item, &mut body_ir)?;
            body_ir.push(stmt(StmtKind::Assign { local: k, value: binary(BinaryOp::Add, self.local_expr(k, span), int(1, span), span) }, span));
            self.loop_depth += 1;
            let rest = self.block(body);
            self.loop_depth -= 1;
            body_ir.extend(rest?);
            let orelse = self.block(orelse)?;
            out.push(stmt(StmtKind::While { cond, body: body_ir, orelse }, span));
            return Ok(());
        }
        // Without `break`, a walk over counters runs as nested loops, one per dimension (the
        // body's `continue` steps the innermost; `else` follows the outermost). A `break` must
        // leave every level: then the single loop steps the counters itself.
        let nested = !walk.nest.is_empty() && !crate::function::contains_break(body);
        if !nested {
            out.extend(walk.start);
        }
        let mut body_ir = if nested { vec![] } else { walk.advance };
        self.assign(target, walk.item, &mut body_ir)?;
        self.loop_depth += 1;
        let rest = self.block(body);
        self.loop_depth -= 1;
        body_ir.extend(rest?);
        let orelse = self.block(orelse)?;
        if nested {
            let mut orelse = Some(orelse);
            for (level, (counter, dim)) in walk.nest.into_iter().enumerate().rev() {
                let else_body = if level == 0 { orelse.take().unwrap_or_default() } else { vec![] };
                body_ir = vec![stmt(StmtKind::ForRange { index: counter, start: int(0, iter.span), stop: dim, step: int(1, iter.span), body: body_ir, orelse: else_body }, span)];
            }
            out.extend(body_ir);
            return Ok(());
        }
        out.push(stmt(StmtKind::ForRange { index: k, start: int(0, iter.span), stop: walk.count, step: int(1, iter.span), body: body_ir, orelse }, span));
        Ok(())
    }

    /// The number of items of `range(start, stop, step)` (int64 operands, each evaluated once
    /// by `setup` or a plain read), with `range()`'s `ValueError` for a zero step in `setup`.
    pub(crate) fn range_count(&mut self, start: ir::Expr, stop: ir::Expr, step: ir::Expr, span: Span, setup: &mut Vec<ir::Stmt>) -> ir::Expr {
        let at_least_zero = |n: ir::Expr| if_exp(compare(CmpOp::Gt, n.clone(), int(0, span), span), n, int(0, span), span);
        // A constant step (the common case, and `prange`'s literal steps) needs neither the
        // zero check nor the choice of direction: less code for LLVM to fold away.
        match step.kind {
            ExprKind::Const(Const::Int(1)) => return at_least_zero(binary(BinaryOp::Sub, stop, start, span)),
            // (stop - start + s - 1) // s ascending, (start - stop + |s| - 1) // |s| descending.
            ExprKind::Const(Const::Int(s)) if s != 0 => {
                let (from, to) = if s > 0 { (start, stop) } else { (stop, start) };
                let distance = binary(BinaryOp::Add, binary(BinaryOp::Sub, to, from, span), int(s.abs() - 1, span), span);
                let n = self.hold(binary(BinaryOp::FloorDiv, distance, int(s.abs(), span), span), setup);
                return at_least_zero(n);
            }
            _ => {}
        }
        let zero = compare(CmpOp::Eq, step.clone(), int(0, span), span);
        setup.push(stmt(StmtKind::If { cond: zero, then_body: vec![raise(ExcKind::ValueError, "range() arg 3 must not be zero", span)], else_body: vec![] }, span));
        // Ascending: (stop - start + step - 1) // step; descending mirrored; at least 0.
        let minus_one = |e| binary(BinaryOp::Sub, e, int(1, span), span);
        let up = binary(BinaryOp::FloorDiv, minus_one(binary(BinaryOp::Add, binary(BinaryOp::Sub, stop.clone(), start.clone(), span), step.clone(), span)), step.clone(), span);
        let neg_step = binary(BinaryOp::Sub, int(0, span), step.clone(), span);
        let down = binary(BinaryOp::FloorDiv, minus_one(binary(BinaryOp::Sub, binary(BinaryOp::Sub, start, stop, span), step.clone(), span)), neg_step, span);
        let n = self.hold(if_exp(compare(CmpOp::Gt, step, int(0, span), span), up, down, span), setup);
        if_exp(compare(CmpOp::Gt, n.clone(), int(0, span), span), n, int(0, span), span)
    }

    /// The walk of `iter` by the loop whose index is `k`; what must run once before the loop
    /// goes to `setup`.
    fn iterable_walk(&mut self, iter: &ast::Expr, k: LocalId, setup: &mut Vec<ir::Stmt>) -> Result<Walk> {
        let span = iter.span;
        if let ast::ExprKind::Call { func, args, keywords } = &iter.kind {
            if keywords.is_empty() && self.is_builtin(func, "range")? && (1..=3).contains(&args.len()) {
                let mut bounds = Vec::new();
                for a in args {
                    let e = self.expr(a)?;
                    if !e.ty.is_integer_like() {
                        return Err(self.typing(a.span, format!("`range()` needs integer arguments, got a `{}`", e.ty), Some("convert with `int(...)`")));
                    }
                    let e = self.cast(e, &Type::INT64);
                    bounds.push(self.hold(e, setup));
                }
                let step = if bounds.len() == 3 { bounds.pop() } else { None };
                let stop = bounds.pop().unwrap();
                let start = bounds.pop().unwrap_or_else(|| int(0, span));
                let Some(step) = step else {
                    // max(stop - start, 0)
                    let diff = binary(BinaryOp::Sub, stop, start.clone(), span);
                    let count = if_exp(compare(CmpOp::Gt, diff.clone(), int(0, span), span), diff, int(0, span), span);
                    let item = binary(BinaryOp::Add, start, self.local_expr(k, span), span);
                    return Ok(Walk { count, advance: vec![], item, start: vec![], nest: vec![], more: None });
                };
                let count = self.range_count(start.clone(), stop, step.clone(), span, setup);
                let item = binary(BinaryOp::Add, start, binary(BinaryOp::Mul, self.local_expr(k, span), step, span), span);
                return Ok(Walk { count, advance: vec![], item, start: vec![], nest: vec![], more: None });
            }
            if self.is_builtin(func, "enumerate")? {
                self.check_binding("builtins.enumerate", args, keywords, span)?;
                let iterable = args.first().unwrap_or_else(|| &keywords.iter().find(|kw| kw.name == "iterable").expect("bound").value);
                let start_arg = args.get(1).or_else(|| keywords.iter().find(|kw| kw.name == "start").map(|kw| &kw.value));
                let inner = self.iterable_walk(iterable, k, setup)?;
                let mut index = self.local_expr(k, span);
                if let Some(start) = start_arg {
                    let e = self.expr(start)?;
                    if !e.ty.is_integer_like() {
                        return Err(self.typing(start.span, format!("`enumerate()` needs an integer `start`, got a `{}`", e.ty), None));
                    }
                    let e = self.cast(e, &Type::INT64);
                    let start = self.hold(e, setup);
                    index = binary(BinaryOp::Add, index, start, span);
                }
                let ty = Type::Tuple(vec![Type::INT64, inner.item.ty.clone()]);
                let item = ir::Expr::new(ExprKind::Tuple(vec![index, inner.item]), ty, span);
                setup.extend(inner.start);
                return Ok(Walk { count: inner.count, advance: inner.advance, item, start: vec![], nest: vec![], more: inner.more });
            }
            if self.is_builtin(func, "reversed")? {
                let [arg] = args.as_slice() else {
                    return Err(self.typing(span, format!("`reversed()` takes exactly one argument ({} given)", args.len() + keywords.len()), None));
                };
                if let Some(kw) = keywords.first() {
                    return Err(self.typing(kw.span, "`reversed()` takes no keyword arguments", None));
                }
                return self.reversed_walk(arg, k, setup, span);
            }
            if self.is_builtin(func, "zip")? {
                if let Some(kw) = keywords.first() {
                    return Err(self.unsupported(kw.span, format!("`zip({}=...)` is not supported in compiled code yet", kw.name), None));
                }
                let (count, advance, items, more) = self.zipped_walks(args, k, setup, span)?;
                let ty = Type::Tuple(items.iter().map(|i| i.ty.clone()).collect());
                let item = ir::Expr::new(ExprKind::Tuple(items), ty, span);
                return Ok(Walk { count, advance, item, start: vec![], nest: vec![], more });
            }
            // `map(f, a, b)` walked as `zip(a, b)`, its item `f(x, y)`: the function runs on
            // each item as the loop reaches it, as CPython's lazy `map` does (a `break` stops
            // it). Elsewhere `map` is the library's, which makes the list.
            if keywords.is_empty() && args.len() >= 2 && self.is_builtin(func, "map")? {
                let function = self.expr(&args[0])?;
                if matches!(function.ty, Type::Function(_)) {
                    let function = self.hold(function, setup);
                    let (count, advance, items, more) = self.zipped_walks(&args[1..], k, setup, span)?;
                    let item = match self.call_function_value(function, items.into_iter().map(Value::Expr).collect(), vec![], span)? {
                        Value::Expr(e) => e,
                        _ => return Err(self.internal(span, "a call of a function value gave no value")),
                    };
                    return Ok(Walk { count, advance, item, start: vec![], nest: vec![], more });
                }
            }
            if let Some(name) = self.iteration_function(func)? {
                // Before typing the arguments: `flags=("multi_index",)` is refused as a
                // parameter, whatever its value.
                self.check_binding(name, args, keywords, span)?;
                let positional = args.iter().map(|a| self.value(a)).collect::<Result<Vec<_>>>()?;
                let named = keywords.iter().map(|kw| Ok((kw.name.clone(), self.value(&kw.value)?, kw.span))).collect::<Result<Vec<_>>>()?;
                let entry = crate::registry::function(name).expect("registered");
                let mut bound = self.bind(entry.callee, &entry.signature, positional, named, span)?;
                return match name {
                    "numpy.ndindex" => self.ndindex_walk(&mut bound, k, setup, span),
                    "numpy.ndenumerate" => {
                        let array = self.array_operand(&mut bound, "arr")?;
                        let array = self.hold(array, setup);
                        let Counters { indices, count, advance, start, nest } = self.c_order_counters(&array, k, setup, span);
                        let element = crate::arrays::element_at(array.clone(), indices.clone(), span);
                        let index = ir::Expr::new(ExprKind::Tuple(indices.clone()), Type::Tuple(vec![Type::INT64; indices.len()]), span);
                        let ty = Type::Tuple(vec![index.ty.clone(), element.ty.clone()]);
                        Ok(Walk { count, advance, item: ir::Expr::new(ExprKind::Tuple(vec![index, element]), ty, span), start, nest, more: None })
                    }
                    _ => {
                        let array = self.array_operand(&mut bound, "op")?;
                        let array = self.hold(array, setup);
                        // NumPy refuses empty operands without `flags=["zerosize_ok"]`.
                        let size = ir::Expr::new(ExprKind::ArrayAttr { array: array.clone().boxed(), attr: ArrayAttr::Size }, Type::INT64, span);
                        let empty = compare(CmpOp::Eq, size, int(0, span), span);
                        setup.push(stmt(StmtKind::If { cond: empty, then_body: vec![raise(ExcKind::ValueError, "Iteration of zero-sized operands is not enabled", span)], else_body: vec![] }, span));
                        let ordered = self.memory_order(array, setup, span);
                        Ok(self.elements_walk(ordered, k, setup, span))
                    }
                };
            }
        }
        let value = self.value(iter)?;
        self.value_walk(value, k, setup, span)
    }

    /// The walk over an iterable value (see [`FnInfer::iterable_walk`]).
    fn value_walk(&mut self, value: Value, k: LocalId, setup: &mut Vec<ir::Stmt>, span: Span) -> Result<Walk> {
        match self.plain_tuple_value(value) {
            Value::FlatIter(array) => {
                let array = self.hold(array, setup);
                Ok(self.elements_walk(array, k, setup, span))
            }
            Value::Expr(value) if matches!(&value.ty, Type::Array(a) if a.ndim >= 1) => {
                // The items along the first axis: elements of a 1-d array, views otherwise.
                let a = array_type(&value);
                let array = self.hold(value, setup);
                let count = ir::Expr::new(ExprKind::ArrayAttr { array: array.clone().boxed(), attr: ArrayAttr::Dim(0) }, Type::INT64, span);
                let index = self.local_expr(k, span);
                let item = if a.ndim == 1 {
                    crate::arrays::element_at(array, vec![index], span)
                } else {
                    let items = vec![IndexItem::Index(index)];
                    let ty = Type::Array(crate::arrays::view_type(&a, &items));
                    ir::Expr::new(ExprKind::ArrayView { array: array.boxed(), items }, ty, span)
                };
                Ok(Walk { count, advance: vec![], item, start: vec![], nest: vec![], more: None })
            }
            Value::Expr(value) if matches!(value.ty, Type::List(_)) => Ok(self.list_walk(value, k, setup, span)),
            Value::Expr(value) if matches!(value.ty, Type::Str | Type::Bytes) => Ok(self.str_walk(value, k, setup, span)),
            Value::Str(text) => Ok(self.str_walk(Self::string_constant(&text, span), k, setup, span)),
            Value::Expr(value) if matches!(value.ty, Type::Tuple(_)) => self.tuple_walk(value, false, k, setup, span),
            Value::Expr(value) if matches!(value.ty, Type::Generator(_)) => Ok(self.generator_walk(value, setup, span)),
            // `for x in obj`: over what `obj.__iter__()` gives (a generator, when it yields).
            Value::Expr(value) if matches!(value.ty, Type::Instance(_)) => {
                if !self.has_special_method(&value.ty, "__iter__") {
                    return Err(self.typing(span, format!("a `{}` is not iterable", value.ty), Some("define `__iter__` on the class (a method that yields the items)")));
                }
                let iterator = self.call_special_method(value, "__iter__", vec![], span)?;
                self.value_walk(Value::Expr(iterator), k, setup, span)
            }
            Value::Expr(value) if matches!(value.ty, Type::Array(_)) => Err(self.typing(span, "iteration over a 0-d array", Some("iterate over `a.flat`, or read the element with `a[()]`"))),
            Value::Expr(value) => Err(self.unsupported(
                span,
                format!("iterating over a `{}` is not supported", value.ty),
                Some("loop over `range(...)`, an array, `a.flat`, `np.ndindex`, `np.ndenumerate`, `np.nditer`, or `zip`/`enumerate` of those"),
            )),
            _ => Err(self.typing(span, "this cannot be iterated over in compiled code", Some("loop over `range(...)`, an array, `a.flat`, `np.ndindex`, `np.ndenumerate`, `np.nditer`, or `zip`/`enumerate` of those"))),
        }
    }

    /// `reversed(x)` of a sequence: a range, list, string, bytes, homogeneous tuple or array
    /// (along its first axis), walked forward with the index read from the end. A list is
    /// measured once, as CPython's reverse iterator starts at its last item; it stops early
    /// when the list has shrunk below the next index, as CPython's does.
    fn reversed_walk(&mut self, arg: &ast::Expr, k: LocalId, setup: &mut Vec<ir::Stmt>, span: Span) -> Result<Walk> {
        let is_range = matches!(&arg.kind, ast::ExprKind::Call { func, .. } if self.is_builtin(func, "range")?);
        let forward = self.temp(Type::INT64);
        let inner = if is_range {
            self.iterable_walk(arg, forward, setup)?
        } else {
            let value = self.value(arg)?;
            let value = self.plain_tuple_value(value);
            match &value {
                Value::Expr(e) if matches!(e.ty, Type::Tuple(_)) => return self.tuple_walk(e.clone(), true, k, setup, span),
                Value::Expr(e) if matches!(e.ty, Type::List(_) | Type::Str | Type::Bytes) || matches!(&e.ty, Type::Array(a) if a.ndim >= 1) => {}
                Value::Str(_) => {}
                Value::Expr(e) => {
                    return Err(self.typing(span, format!("a `{}` is not reversible", e.ty), Some("reverse a list, string, tuple, range or array")));
                }
                _ => return Err(self.typing(span, "this is not reversible in compiled code", Some("reverse a list, string, tuple, range or array"))),
            }
            self.value_walk(value, forward, setup, span)?
        };
        debug_assert!(inner.start.is_empty() && inner.nest.is_empty() && inner.more.is_none(), "sequence walks are read by index");
        let count = self.hold(inner.count, setup);
        let last = binary(BinaryOp::Sub, count.clone(), int(1, span), span);
        let from_end = binary(BinaryOp::Sub, last, self.local_expr(k, span), span);
        let mut advance = vec![stmt(StmtKind::Assign { local: forward, value: from_end }, span)];
        advance.extend(inner.advance);
        Ok(Walk { count, advance, item: inner.item, start: vec![], nest: vec![], more: None })
    }

    /// The walks of `iterables` side by side, as `zip` takes them: the count of the shortest
    /// (`zip` stops there), every walk's advance, and their items; with walks of unknown
    /// length, the condition testing each walk in order instead ([`Walk::more`]).
    fn zipped_walks(&mut self, iterables: &[ast::Expr], k: LocalId, setup: &mut Vec<ir::Stmt>, span: Span) -> Result<(ir::Expr, Vec<ir::Stmt>, Vec<ir::Expr>, Option<ir::Expr>)> {
        let mut walks = Vec::new();
        for a in iterables {
            walks.push(self.iterable_walk(a, k, setup)?);
        }
        let unbounded = walks.iter().any(|w| w.more.is_some());
        let mut count: Option<ir::Expr> = None;
        let mut more: Option<ir::Expr> = None;
        let mut advance = Vec::new();
        let mut items = Vec::new();
        for w in walks {
            let len = self.hold(w.count, setup);
            if unbounded {
                let test = match w.more {
                    Some(m) => m,
                    None => compare(CmpOp::Lt, self.local_expr(k, span), len, span),
                };
                more = Some(match more {
                    None => test,
                    Some(before) => both(before, test, span),
                });
            } else {
                count = Some(match count {
                    None => len,
                    Some(c) => if_exp(compare(CmpOp::Lt, len.clone(), c.clone(), span), len, c, span),
                });
            }
            advance.extend(w.advance);
            setup.extend(w.start);
            items.push(w.item);
        }
        if unbounded {
            return Ok((int(i64::MAX as i128, span), advance, items, more));
        }
        Ok((count.unwrap_or_else(|| int(0, span)), advance, items, None))
    }

    /// The values of a generator: each iteration resumes it (see [`Walk::more`]); the loop
    /// ends when it has no more.
    fn generator_walk(&mut self, generator: ir::Expr, setup: &mut Vec<ir::Stmt>, span: Span) -> Walk {
        let made = !matches!(generator.kind, ExprKind::Local(_));
        let generator = self.hold(generator, setup);
        if let (true, ExprKind::Local(tmp)) = (made, &generator.kind) {
            self.walked_generators.push(*tmp);
        }
        let pair = crate::function::resumed_type(&generator.ty);
        let resumed = self.temp(pair.clone());
        let resume = ir::Expr::new(ExprKind::Resume(generator.boxed()), pair, span);
        let has_item = self.tuple_get(self.local_expr(resumed, span), 0, span);
        let more = ir::Expr::new(ExprKind::Block { stmts: vec![stmt(StmtKind::Assign { local: resumed, value: resume }, span)], value: has_item.boxed() }, Type::Bool, span);
        let item = self.tuple_get(self.local_expr(resumed, span), 1, span);
        Walk { count: int(i64::MAX as i128, span), advance: vec![], item, start: vec![], nest: vec![], more: Some(more) }
    }

    /// Binds the arguments of a call of library function `name`, not typed yet, to its
    /// signature: CPython's errors for a wrong call, and the refusal of parameters compiled code
    /// does not support.
    fn check_binding(&self, name: &str, args: &[ast::Expr], keywords: &[ast::Keyword], span: Span) -> Result<()> {
        let untyped = |at: Span| Value::Expr(ir::Expr::new(ExprKind::Const(Const::None), Type::NoneType, at));
        let positional = args.iter().map(|a| untyped(a.span)).collect();
        let named = keywords.iter().map(|kw| (kw.name.clone(), untyped(kw.value.span), kw.span)).collect();
        let entry = crate::registry::function(name).expect("registered");
        self.bind(entry.callee, &entry.signature, positional, named, span).map(|_| ())
    }

    /// Which of NumPy's iteration functions `func` names, if any.
    fn iteration_function(&mut self, func: &ast::Expr) -> Result<Option<&'static str>> {
        // A name (`from numpy import nditer`) or a module's attribute (`np.nditer`): typing
        // these twice (here and by the caller) computes nothing.
        let named = match &func.kind {
            ast::ExprKind::Name(_) => true,
            ast::ExprKind::Attribute { value, .. } => matches!(value.kind, ast::ExprKind::Name(_)),
            _ => false,
        };
        if !named {
            return Ok(None);
        }
        Ok(match self.value(func) {
            Ok(Value::Global(crate::env::GlobalValue::Function(name))) => ITERATION_FUNCTIONS.iter().copied().find(|f| *f == name),
            _ => None,
        })
    }

    /// Evaluates `e` once, into a temporary, before the loop; gives the temporary (constants
    /// and locals are given back as they are).
    fn hold(&mut self, e: ir::Expr, setup: &mut Vec<ir::Stmt>) -> ir::Expr {
        if matches!(e.kind, ExprKind::Const(_) | ExprKind::Local(_)) {
            return e;
        }
        let span = e.span;
        let tmp = self.temp(e.ty.clone());
        setup.push(stmt(StmtKind::Assign { local: tmp, value: e }, span));
        self.local_expr(tmp, span)
    }

    /// The one array operand of `np.ndenumerate(arr)` / `np.nditer(op)`.
    fn array_operand(&mut self, args: &mut Args, name: &str) -> Result<ir::Expr> {
        let (v, at) = args.take_spanned(name).expect("binding checks required parameters");
        let e = self.value_expr(v, at)?;
        match &e.ty {
            Type::Array(_) => Ok(e),
            Type::Tuple(_) if args.callee.ends_with("nditer") => Err(self.unsupported(at, "`np.nditer()` of several operands is not supported in compiled code yet", Some("iterate over one array, or use `zip(a.flat, b.flat)`"))),
            other => Err(self.typing(at, format!("`{}()` needs an array, got a `{other}`", args.callee), None)),
        }
    }

    /// `np.ndindex(*shape)` or `np.ndindex(shape)`: the index tuples of the shape, in C order.
    fn ndindex_walk(&mut self, args: &mut Args, k: LocalId, setup: &mut Vec<ir::Stmt>, span: Span) -> Result<Walk> {
        let given = std::mem::take(&mut args.rest);
        let mut lengths = Vec::new();
        let single_tuple = matches!(given.as_slice(), [Value::Expr(e)] if matches!(e.ty, Type::Tuple(_)));
        for v in given {
            let e = self.value_expr(v, span)?;
            let at = e.span;
            if single_tuple {
                let tuple = self.hold(e, setup);
                let n = if let Type::Tuple(items) = &tuple.ty { items.len() } else { 0 };
                for i in 0..n {
                    lengths.push((self.tuple_get(tuple.clone(), i, at), at));
                }
            } else {
                lengths.push((e, at));
            }
        }
        let mut dims = Vec::new();
        for (e, at) in lengths {
            if !e.ty.is_integer_like() {
                return Err(self.typing(at, format!("`np.ndindex()` needs integer dimensions, got a `{}`", e.ty), Some("pass integers, or one tuple of integers such as `a.shape`")));
            }
            let e = self.cast(e, &Type::INT64);
            let d = self.hold(e, setup);
            let negative = compare(CmpOp::Lt, d.clone(), int(0, span), span);
            setup.push(stmt(StmtKind::If { cond: negative, then_body: vec![raise(ExcKind::ValueError, "negative dimensions are not allowed", span)], else_body: vec![] }, span));
            dims.push(d);
        }
        let Counters { indices, count, advance, start, nest } = self.counters(dims, k, span);
        let item = ir::Expr::new(ExprKind::Tuple(indices.clone()), Type::Tuple(vec![Type::INT64; indices.len()]), span);
        Ok(Walk { count, advance, item, start, nest, more: None })
    }

    /// The elements of `array` (held in a local) in C order, as `a.flat` gives them.
    fn elements_walk(&mut self, array: ir::Expr, k: LocalId, setup: &mut Vec<ir::Stmt>, span: Span) -> Walk {
        let a = array_type(&array);
        if a.layout == Layout::C && a.ndim >= 2 {
            // The flat view: one index, as a hand-written loop over a 1-d array.
            let flat = self.flat_view(array, span);
            let flat = self.hold(flat, setup);
            let count = ir::Expr::new(ExprKind::ArrayAttr { array: flat.clone().boxed(), attr: ArrayAttr::Dim(0) }, Type::INT64, span);
            let item = crate::arrays::element_at(flat, vec![self.local_expr(k, span)], span);
            return Walk { count, advance: vec![], item, start: vec![], nest: vec![], more: None };
        }
        let Counters { indices, count, advance, start, nest } = self.c_order_counters(&array, k, setup, span);
        let item = crate::arrays::element_at(array, indices, span);
        Walk { count, advance, item, start, nest, more: None }
    }

    /// The 1-d view of a C-contiguous array.
    fn flat_view(&mut self, array: ir::Expr, span: Span) -> ir::Expr {
        let a = array_type(&array);
        let size = ir::Expr::new(ExprKind::ArrayAttr { array: array.clone().boxed(), attr: ArrayAttr::Size }, Type::INT64, span);
        ir::Expr::new(ExprKind::Reshape { array: array.boxed(), shape: vec![size] }, Type::Array(a.with(1, Layout::C)), span)
    }

    /// Counters over the dimensions of `array` (held in a local), in C order.
    fn c_order_counters(&mut self, array: &ir::Expr, k: LocalId, setup: &mut Vec<ir::Stmt>, span: Span) -> Counters {
        let ndim = array_type(array).ndim;
        let dims = (0..ndim)
            .map(|j| {
                let d = ir::Expr::new(ExprKind::ArrayAttr { array: array.clone().boxed(), attr: ArrayAttr::Dim(j) }, Type::INT64, span);
                self.hold(d, setup)
            })
            .collect();
        self.counters(dims, k, span)
    }

    /// Counters over `dims` (non-negative int64s held in locals), last fastest, stepped by the
    /// loop with index `k`: the current index per dimension, the number of items (the
    /// product), the statements stepping them at the start of each iteration, and (with two
    /// dimensions or more) the counters with their dimensions for nested loops ([`Walk::nest`]).
    ///
    /// With one dimension the counter is `k` itself. With more, the counters start one step
    /// before the first index (the last one at -1), and each iteration first steps the last
    /// counter and carries into the ones before it; the loop runs only while items remain, so
    /// the first counter never needs a check.
    fn counters(&mut self, dims: Vec<ir::Expr>, k: LocalId, span: Span) -> Counters {
        let n = dims.len();
        let count = dims.iter().cloned().reduce(|p, d| binary(BinaryOp::Mul, p, d, span)).unwrap_or_else(|| int(1, span));
        match n {
            0 => return Counters { indices: vec![], count, advance: vec![], start: vec![], nest: vec![] },
            1 => return Counters { indices: vec![self.local_expr(k, span)], count, advance: vec![], start: vec![], nest: vec![] },
            _ => {}
        }
        let counters: Vec<LocalId> = (0..n).map(|_| self.temp(Type::INT64)).collect();
        let mut start = Vec::new();
        for (j, &c) in counters.iter().enumerate() {
            start.push(stmt(StmtKind::Assign { local: c, value: int(if j == n - 1 { -1 } else { 0 }, span) }, span));
        }
        // Built from the first counter outwards: stepping counter j, then, when it reaches its
        // dimension, resetting it and stepping counter j - 1 (the statements built so far).
        let mut step: Vec<ir::Stmt> = Vec::new();
        for j in 0..n {
            let c = counters[j];
            let incremented = binary(BinaryOp::Add, self.local_expr(c, span), int(1, span), span);
            let mut stmts = vec![stmt(StmtKind::Assign { local: c, value: incremented }, span)];
            if j > 0 {
                let wrapped = compare(CmpOp::Eq, self.local_expr(c, span), dims[j].clone(), span);
                let mut carry = vec![stmt(StmtKind::Assign { local: c, value: int(0, span) }, span)];
                carry.extend(step);
                stmts.push(stmt(StmtKind::If { cond: wrapped, then_body: carry, else_body: vec![] }, span));
            }
            step = stmts;
        }
        let indices = counters.iter().map(|&c| self.local_expr(c, span)).collect();
        Counters { indices, count, advance: step, start, nest: counters.into_iter().zip(dims).collect() }
    }

    /// A view of `array` (held in a local) whose C order is the order of its elements in
    /// memory, as `np.nditer`'s default `order='K'` walks it: axes with negative strides are
    /// reversed, then the axes ordered by decreasing stride (NumPy's ordering, for the layouts
    /// it gives C or Fortran order; any other order raises `NotImplementedError`). Length-1
    /// axes and zero strides (broadcast axes) leave the order as it is, as in NumPy.
    fn memory_order(&mut self, array: ir::Expr, setup: &mut Vec<ir::Stmt>, span: Span) -> ir::Expr {
        let a = array_type(&array);
        match a.layout {
            _ if a.ndim == 0 => return array,
            Layout::C => return array,
            Layout::F => return self.hold(crate::arrays::transposed_expr(array, span), setup),
            Layout::A => {}
        }
        let n = a.ndim as usize;
        let strides = ir::Expr::new(ExprKind::ArrayAttr { array: array.clone().boxed(), attr: ArrayAttr::Strides }, Type::Tuple(vec![Type::INT64; n]), span);
        let strides = self.hold(strides, setup);
        let mut flips = Vec::new();
        let mut magnitudes = Vec::new();
        for j in 0..n {
            let s = self.tuple_get(strides.clone(), j, span);
            let d = ir::Expr::new(ExprKind::ArrayAttr { array: array.clone().boxed(), attr: ArrayAttr::Dim(j as u8) }, Type::INT64, span);
            let negative = compare(CmpOp::Lt, s.clone(), int(0, span), span);
            let flip = self.hold(negative.clone(), setup);
            let magnitude = if_exp(negative, binary(BinaryOp::Sub, int(0, span), s.clone(), span), s, span);
            // NumPy treats the stride of a length-1 axis as 0: it does not order the axes.
            let magnitude = if_exp(compare(CmpOp::LtE, d, int(1, span), span), int(0, span), magnitude, span);
            magnitudes.push(self.hold(magnitude, setup));
            flips.push(flip);
        }
        // Reversed where the stride is negative: a slice `::-1` there, `::1` elsewhere.
        let items = flips
            .iter()
            .map(|f| IndexItem::Slice { start: None, stop: None, step: Some(if_exp(f.clone(), int(-1, span), int(1, span), span)) })
            .collect();
        let flipped = ir::Expr::new(ExprKind::ArrayView { array: array.boxed(), items }, Type::Array(a.with(a.ndim, Layout::A)), span);
        let flipped = self.hold(flipped, setup);
        if n == 1 {
            return flipped;
        }
        // C order when the nonzero strides do not increase; Fortran order when every axis
        // longer than 1 has a nonzero stride and they increase.
        let mut c_order = None;
        let mut f_order = None;
        let nonzero = |m: &ir::Expr| compare(CmpOp::NotEq, m.clone(), int(0, span), span);
        for q in 0..n {
            for r in q + 1..n {
                let (mq, mr) = (&magnitudes[q], &magnitudes[r]);
                let c_pair = either(either(compare(CmpOp::Eq, mq.clone(), int(0, span), span), compare(CmpOp::Eq, mr.clone(), int(0, span), span), span), compare(CmpOp::GtE, mq.clone(), mr.clone(), span), span);
                let f_pair = compare(CmpOp::Lt, mq.clone(), mr.clone(), span);
                c_order = Some(match c_order { None => c_pair, Some(c) => both(c, c_pair, span) });
                f_order = Some(match f_order { None => f_pair, Some(f) => both(f, f_pair, span) });
            }
        }
        let mut f_order = f_order.expect("two or more axes");
        for (j, m) in magnitudes.iter().enumerate() {
            let d = ir::Expr::new(ExprKind::ArrayAttr { array: flipped.clone().boxed(), attr: ArrayAttr::Dim(j as u8) }, Type::INT64, span);
            f_order = both(f_order, either(nonzero(m), compare(CmpOp::LtE, d, int(1, span), span), span), span);
        }
        let c_order = self.hold(c_order.expect("two or more axes"), setup);
        let f_order = self.hold(f_order, setup);
        let neither = both(
            ir::Expr::new(ExprKind::Unary { op: ir::UnaryOp::Not, operand: c_order.clone().boxed() }, Type::Bool, span),
            ir::Expr::new(ExprKind::Unary { op: ir::UnaryOp::Not, operand: f_order.boxed() }, Type::Bool, span),
            span,
        );
        setup.push(stmt(
            StmtKind::If {
                cond: neither,
                then_body: vec![raise(
                    ExcKind::NotImplementedError,
                    "np.nditer() of an array whose axes are in neither C nor Fortran order in memory is not supported in compiled code yet: iterate over `a.flat` (C order) or `np.nditer(a.copy())`",
                    span,
                )],
                else_body: vec![],
            },
            span,
        ));
        let transposed = crate::arrays::transposed_expr(flipped.clone(), span);
        let ordered = if_exp(c_order, flipped, transposed, span);
        self.hold(ordered, setup)
    }

    /// `a.flat[index]`: the element at `index` in C order (negative counts from the end), or
    /// the statement storing `value` there.
    pub(crate) fn flat_element(&mut self, array: ir::Expr, index: &ast::Expr, span: Span) -> Result<(Vec<ir::Stmt>, ir::Expr, Vec<ir::Expr>)> {
        if matches!(index.kind, ast::ExprKind::Slice { .. } | ast::ExprKind::Tuple(_)) {
            return Err(self.unsupported(index.span, "`a.flat[...]` takes one integer index in compiled code (slices and tuples are not supported yet)", Some("index with one integer, e.g. `a.flat[i]`")));
        }
        let i = self.expr(index)?;
        if !matches!(i.ty, Type::Int(_)) {
            return Err(self.typing(index.span, format!("`a.flat` indices must be integers, not `{}`", i.ty), None));
        }
        let i = self.cast(i, &Type::INT64);
        let mut stmts = Vec::new();
        let a = array_type(&array);
        let array = self.hold(array, &mut stmts);
        let size = ir::Expr::new(ExprKind::ArrayAttr { array: array.clone().boxed(), attr: ArrayAttr::Size }, Type::INT64, span);
        let size = self.hold(size, &mut stmts);
        let i = self.hold(i, &mut stmts);
        let wrapped = if_exp(compare(CmpOp::Lt, i.clone(), int(0, span), span), binary(BinaryOp::Add, i.clone(), size.clone(), span), i.clone(), span);
        let j = self.hold(wrapped, &mut stmts);
        let out_of_range = either(compare(CmpOp::Lt, j.clone(), int(0, span), span), compare(CmpOp::GtE, j.clone(), size.clone(), span), span);
        // NumPy's message, naming the index as given.
        let index_error = ir::Expr::new(ExprKind::Runtime { func: RuntimeFunc::FLAT_INDEX_ERROR, args: vec![i, size] }, Type::INT64, span);
        stmts.push(stmt(StmtKind::If { cond: out_of_range, then_body: vec![stmt(StmtKind::Expr(index_error), span)], else_body: vec![] }, span));
        if a.ndim == 0 {
            return Ok((stmts, array, vec![]));
        }
        if a.ndim == 1 {
            return Ok((stmts, array, vec![j]));
        }
        if a.layout == Layout::C {
            let flat = self.flat_view(array, span);
            let flat = self.hold(flat, &mut stmts);
            return Ok((stmts, flat, vec![j]));
        }
        // The C-order index of each dimension, last first: j % d, then j // d for the rest.
        let mut indices = vec![int(0, span); a.ndim as usize];
        let mut rest = j;
        for axis in (1..a.ndim as usize).rev() {
            let d = ir::Expr::new(ExprKind::ArrayAttr { array: array.clone().boxed(), attr: ArrayAttr::Dim(axis as u8) }, Type::INT64, span);
            let d = self.hold(d, &mut stmts);
            indices[axis] = self.hold(binary(BinaryOp::Mod, rest.clone(), d.clone(), span), &mut stmts);
            rest = self.hold(binary(BinaryOp::FloorDiv, rest, d, span), &mut stmts);
        }
        indices[0] = rest;
        Ok((stmts, array, indices))
    }

    /// `a.flat[index]` read.
    pub(crate) fn flat_get(&mut self, array: ir::Expr, index: &ast::Expr, span: Span) -> Result<ir::Expr> {
        let (stmts, array, indices) = self.flat_element(array, index, span)?;
        let get = crate::arrays::element_at(array, indices, span);
        let ty = get.ty.clone();
        Ok(ir::Expr::new(ExprKind::Block { stmts, value: get.boxed() }, ty, span))
    }

    /// `a.flat[index] = value`.
    pub(crate) fn flat_store(&mut self, array: ir::Expr, index: &ast::Expr, value: ir::Expr, span: Span, out: &mut Vec<ir::Stmt>) -> Result<()> {
        let a = array_type(&array);
        if a.readonly {
            return Err(self.typing(span, format!("cannot write to a read-only array (`{}`)", array.ty), Some("copy it first with `.copy()`")));
        }
        if matches!(value.ty, Type::Array(_)) {
            return Err(self.unsupported(span, "assigning an array to `a.flat[i]` is not supported in compiled code yet", Some("assign one element")));
        }
        let value = self.element_value(value, &a, span)?;
        let mut stmts = Vec::new();
        let value = self.hold(value, &mut stmts);
        let (more, array, indices) = self.flat_element(array, index, span)?;
        stmts.extend(more);
        out.extend(stmts);
        out.push(stmt(StmtKind::ArrayStore { array, indices, value }, span));
        Ok(())
    }

    /// `next(iterator)`: the next value of a generator (every iterator of compiled code is
    /// one), CPython's `StopIteration` when it has no more; with a `default`, that instead.
    pub(crate) fn next_item(&mut self, iterator: ir::Expr, default: Option<(Value, Span)>, span: Span) -> Result<ir::Expr> {
        if !matches!(iterator.ty, Type::Generator(_)) {
            return Err(self.typing(
                iterator.span,
                format!("`next()` needs an iterator, not a `{}`", iterator.ty),
                Some("make one with `iter(...)`; generators and `zip(...)`, `enumerate(...)` used as values are iterators"),
            ));
        }
        let pair = crate::function::resumed_type(&iterator.ty);
        let resumed = self.temp(pair.clone());
        let resume = ir::Expr::new(ExprKind::Resume(iterator.boxed()), pair, span);
        let mut stmts = vec![stmt(StmtKind::Assign { local: resumed, value: resume }, span)];
        let has_item = self.tuple_get(self.local_expr(resumed, span), 0, span);
        let item = self.tuple_get(self.local_expr(resumed, span), 1, span);
        let value = match default {
            None => {
                let exhausted = ir::Expr::new(ExprKind::Unary { op: ir::UnaryOp::Not, operand: has_item.boxed() }, Type::Bool, span);
                stmts.push(stmt(StmtKind::If { cond: exhausted, then_body: vec![stmt(StmtKind::Raise { exc: ExcKind::StopIteration, msg: None }, span)], else_body: vec![] }, span));
                item
            }
            Some((default, at)) => {
                let default = self.value_expr(default, at)?;
                let Some(ty) = ferrojit_types::unify(&item.ty, &default.ty) else {
                    return Err(self.typing(
                        at,
                        format!("the default of `next()` is a `{}`, but the iterator gives `{}` values", default.ty, item.ty),
                        Some("give a default of the iterator's item type (compiled code has no optional values)"),
                    ));
                };
                let (item, default) = (self.cast(item, &ty), self.cast(default, &ty));
                if_exp(has_item, item, default, span)
            }
        };
        let ty = value.ty.clone();
        Ok(ir::Expr::new(ExprKind::Block { stmts, value: value.boxed() }, ty, span))
    }

    /// The error for `a.flat` used as a value.
    pub(crate) fn flat_iter_misused(&self, span: Span) -> crate::InferError {
        self.unsupported(span, "`a.flat` is supported in compiled code only as the iterable of a `for` loop, indexed (`a.flat[i]`, also assigned to) or in `len(a.flat)`", Some("use `a.ravel()` for a flat array"))
    }

    /// `len(a.flat)`: the array's size.
    pub(crate) fn flat_len(&self, array: ir::Expr, span: Span) -> ir::Expr {
        ir::Expr::new(ExprKind::ArrayAttr { array: array.boxed(), attr: ArrayAttr::Size }, Type::INT64, span)
    }
}
