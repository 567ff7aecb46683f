//! Lists in compiled code: displays (`[a, b]`, and `[]` typed by what is appended to it),
//! `len`, indexing, item assignment, truth and iteration; and the primitives the library's
//! list methods are written with (`python/ferrojit/_lib/lists.py`: `append`, `pop`, `insert`,
//! ...), which reach the IR's [`ir::ListOp`] and [`ir::ListUpdate`] unchecked.
//!
//! A list's items all have one type (Numba's rule): a display's items unify, and values stored
//! or appended convert to the item type as assignments to a variable do.

use crate::bind::Args;
use crate::expr::Value;
use crate::function::{FnInfer, Result};
use crate::registry::Registry;
use ferrojit_ir::{self as ir, BinaryOp, Const, ExcKind, ExprKind, ListOp, ListUpdate, LocalId, RuntimeFunc, StmtKind};
use ferrojit_syntax::ast::{self, CmpOp, Span};
use ferrojit_types::{unify, Type};

/// The containers whose empty displays (`[]`, `{}`, `set()`) are typed by what the function
/// puts into them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Container {
    List,
    Dict,
    Set,
}

pub(crate) fn register(r: &mut Registry) {
    r.function("ferrojit._lib.lists.item", "lst, i, /", item);
    r.function("ferrojit._lib.lists.store", "lst, i, value, /", store);
    r.function("ferrojit._lib.lists.splice", "lst, at, remove, insert, /", splice);
    r.function("ferrojit._lib.lists.new_like", "lst, n, /", new_like);
    r.function("ferrojit._lib.lists.new_of", "example, n, /", new_of);
    r.function("ferrojit._lib.lists.not_in_list", "x, /", not_in_list);
    r.function("ferrojit._lib.lists.extended_slice_size_error", "size, slice_size, /", |cx, args, span| {
        crate::advanced_index::runtime_call(cx, args, &["size", "slice_size"], RuntimeFunc::EXTENDED_SLICE_SIZE_ERROR, span)
    });
}

fn int(v: i128, span: Span) -> ir::Expr {
    ir::Expr::new(ExprKind::Const(Const::Int(v)), Type::INT64, span)
}

fn stmt(kind: StmtKind, span: Span) -> ir::Stmt {
    ir::Stmt { kind, span }
}

/// The item type of a list type.
pub(crate) fn item_type(ty: &Type) -> Option<&Type> {
    match ty {
        Type::List(item) => Some(item),
        _ => None,
    }
}

pub(crate) fn list_len(list: ir::Expr, span: Span) -> ir::Expr {
    ir::Expr::new(ExprKind::List { op: ListOp::Len, args: vec![list] }, Type::INT64, span)
}

fn list_get(list: ir::Expr, index: ir::Expr, span: Span) -> ir::Expr {
    let ty = item_type(&list.ty).expect("a list").clone();
    ir::Expr::new(ExprKind::List { op: ListOp::Get, args: vec![list, index] }, ty, span)
}

/// Whether a number of type `value` is stored into a container of `item` numbers (converted):
/// a narrower or equal kind (bool, int, float, complex), of any width, as Numba's typed
/// containers convert `lst.append(i)` of an `int64` into a list of `int32`. Never a float into
/// an int, which would lose the fraction.
pub(crate) fn number_stores_as(value: &Type, item: &Type) -> bool {
    let kind = |t: &Type| match t {
        Type::Bool => Some(0),
        Type::Int(_) => Some(1),
        Type::Float(_) => Some(2),
        Type::Complex(_) => Some(3),
        _ => None,
    };
    matches!((kind(value), kind(item)), (Some(v), Some(i)) if v <= i)
}

fn new_list(ty: Type, len: ir::Expr, span: Span) -> ir::Expr {
    ir::Expr::new(ExprKind::List { op: ListOp::New, args: vec![len] }, ty, span)
}

fn no_value(span: Span) -> ir::Expr {
    ir::Expr::new(ExprKind::Const(Const::None), Type::NoneType, span)
}

impl FnInfer<'_> {
    /// The list display `[items]`; `expected` is the type of the variable it is assigned to,
    /// which gives `[]` its type.
    pub(crate) fn list_display(&mut self, items: &[ast::Expr], expected: Option<&Type>, span: Span) -> Result<ir::Expr> {
        if items.iter().any(|e| matches!(e.kind, ast::ExprKind::Starred(_))) {
            return self.starred_list_display(items, expected, span);
        }
        // Items that are `[]` take the item type the others give (`[[1, 2], []]`), or the
        // expected one.
        let is_empty = |e: &ast::Expr| matches!(&e.kind, ast::ExprKind::List(inner) if inner.is_empty());
        let typed: Vec<&ast::Expr> = items.iter().filter(|e| !is_empty(e)).collect();
        let mut values = self.each_collecting_overloads(typed, |cx, i| cx.expr(i))?;
        if values.len() < items.len() {
            let expected_item = match expected {
                Some(Type::List(item)) => Some((**item).clone()),
                _ => None,
            };
            let item = values.first().map(|v| v.ty.clone()).or(expected_item);
            let mut given = values.into_iter();
            values = Vec::with_capacity(items.len());
            for e in items {
                values.push(if is_empty(e) { self.list_display(&[], item.as_ref(), e.span)? } else { given.next().expect("typed above") });
            }
        }
        self.list_of_values(values, expected, span)
    }

    /// A new list of the typed `values`, as a display makes it (see [`FnInfer::list_display`]).
    pub(crate) fn list_of_values(&mut self, values: Vec<ir::Expr>, expected: Option<&Type>, span: Span) -> Result<ir::Expr> {
        let ty = match (values.first(), expected) {
            (None, Some(ty @ Type::List(_))) => ty.clone(),
            (None, _) => {
                return Err(self.pending_or(self.typing(
                    span,
                    "cannot tell the item type of this empty list",
                    Some("append to it in this function (`x = []` then `x.append(1.0)`), or start it with an item"),
                )))
            }
            (Some(first), _) => {
                let mut item = first.ty.clone();
                for v in &values[1..] {
                    item = unify(&item, &v.ty).ok_or_else(|| {
                        self.typing(v.span, format!("a list holds items of one type; this item is a `{}` and an earlier one a `{item}`", v.ty), Some("use a tuple for items of different types"))
                    })?;
                }
                // A variable holding lists of a wider item type takes this one too.
                match expected {
                    Some(Type::List(wider)) if unify(wider, &item).as_ref() == Some(&**wider) => Type::List(wider.clone()),
                    _ => Type::List(Box::new(item)),
                }
            }
        };
        let item = item_type(&ty).expect("a list").clone();
        let tmp = self.temp(ty.clone());
        let mut stmts = vec![stmt(StmtKind::Assign { local: tmp, value: new_list(ty.clone(), int(values.len() as i128, span), span) }, span)];
        for (i, v) in values.into_iter().enumerate() {
            let v = self.cast(v, &item);
            let args = vec![self.local_expr(tmp, span), int(i as i128, span), v];
            stmts.push(stmt(StmtKind::ListUpdate { op: ListUpdate::Store, args }, span));
        }
        Ok(ir::Expr::new(ExprKind::Block { stmts, value: self.local_expr(tmp, span).boxed() }, ty, span))
    }

    /// `[a, *b, c]`: a starred tuple's items are items of the display; any other starred
    /// iterable (a list, a string, an array, a set, a dict's keys) extends the list when the
    /// code runs, in order. The items take one type, as a display's do.
    fn starred_list_display(&mut self, items: &[ast::Expr], expected: Option<&Type>, span: Span) -> Result<ir::Expr> {
        use crate::expr::DisplayItem;
        let parts = self.each_collecting_overloads(items, |cx, i| cx.display_item(i))?;
        let mut item: Option<Type> = None;
        for part in &parts {
            let typed: Vec<(Type, Span)> = match part {
                DisplayItem::One(e) => vec![(e.ty.clone(), e.span)],
                DisplayItem::Spliced(items) => items.iter().map(|e| (e.ty.clone(), e.span)).collect(),
                DisplayItem::Iterable(e) => vec![(self.starred_item_type(&e.ty, e.span)?, e.span)],
            };
            for (ty, at) in typed {
                item = Some(match item {
                    None => ty,
                    Some(before) => unify(&before, &ty).ok_or_else(|| self.typing(at, format!("a list holds items of one type; these are `{ty}`s and earlier ones `{before}`s"), Some("use a tuple for items of different types")))?,
                });
            }
        }
        let ty = match (item, expected) {
            (Some(item), Some(Type::List(wider))) if unify(wider, &item).as_ref() == Some(&**wider) => Type::List(wider.clone()),
            (Some(item), _) => Type::List(Box::new(item)),
            (None, Some(ty @ Type::List(_))) => ty.clone(),
            (None, _) => return Err(self.pending_or(self.typing(span, "cannot tell the item type of this list: the tuples starred in it are empty", None))),
        };
        // Items known when compiling, in runs between the iterables.
        let mut runs: Vec<Vec<ir::Expr>> = vec![Vec::new()];
        let mut iterables: Vec<ir::Expr> = Vec::new();
        for part in parts {
            match part {
                DisplayItem::One(e) => runs.last_mut().expect("a run").push(e),
                DisplayItem::Spliced(items) => runs.last_mut().expect("a run").extend(items),
                DisplayItem::Iterable(e) => {
                    iterables.push(e);
                    runs.push(Vec::new());
                }
            }
        }
        let mut runs = runs.into_iter();
        let first = runs.next().expect("a first run");
        let first = self.list_of_values(first, Some(&ty), span)?;
        let acc = self.temp(ty.clone());
        let mut stmts = vec![stmt(StmtKind::Assign { local: acc, value: first }, span)];
        for (iterable, run) in iterables.into_iter().zip(runs) {
            for part in [Some(iterable), (!run.is_empty()).then(|| self.list_of_values(run, Some(&ty), span)).transpose()?].into_iter().flatten() {
                let extended = self.call_internal("ferrojit.list_extend_in_place", vec![self.local_expr(acc, span), part], span)?;
                stmts.push(stmt(StmtKind::Expr(extended), span));
            }
        }
        Ok(ir::Expr::new(ExprKind::Block { stmts, value: self.local_expr(acc, span).boxed() }, ty, span))
    }

    /// The type of the items `*x` gives of a value of type `ty` that is not a tuple.
    pub(crate) fn starred_item_type(&self, ty: &Type, span: Span) -> Result<Type> {
        Ok(match ty {
            Type::List(item) | Type::Set(item) | Type::Dict(item, _) => (**item).clone(),
            Type::Str => Type::Str,
            Type::Bytes => Type::INT64,
            Type::Array(a) if a.ndim == 1 => (*a.dtype).clone(),
            Type::Array(a) if a.ndim > 1 => Type::Array(a.with(a.ndim - 1, ferrojit_types::Layout::A)),
            other => return Err(self.typing(span, format!("a `{other}` cannot be unpacked with `*`"), Some("star a tuple, a list, a string or an array"))),
        })
    }

    /// `x = []` (`{}`, `set()`) where `x` has no type yet: typed later by what the function
    /// puts into `x` ([`FnInfer::type_empty_container`]); until then the assignment waits.
    pub(crate) fn empty_container_assignment(&mut self, id: LocalId, kind: Container, span: Span) -> Result<()> {
        self.empty_containers.insert(id, kind);
        let (what, example) = match kind {
            Container::List => ("the item type of the empty list", "append to it in this function (`x = []` then `x.append(1.0)`)"),
            Container::Dict => ("the key and value types of the empty dict", "store into it in this function (`d = {}` then `d[k] = v`)"),
            Container::Set => ("the item type of the empty set", "add to it in this function (`s = set()` then `s.add(1)`)"),
        };
        Err(self.pending_or(self.typing(span, format!("cannot tell {what} assigned to `{}`", self.locals[id].name), Some(&format!("{example}, or start it with an item")))))
    }

    /// The variable `receiver` names, when it holds an empty container of `kind` whose type is
    /// not known yet.
    pub(crate) fn untyped_empty(&self, receiver: &ast::Expr, kind: Container) -> Option<LocalId> {
        let ast::ExprKind::Name(name) = &receiver.kind else { return None };
        let &id = self.names.get(name)?;
        (self.locals[id].ty.is_none() && self.empty_containers.get(&id) == Some(&kind)).then_some(id)
    }

    /// Gives the empty container `id` the type `ty` for the next walk; this walk waits (the
    /// error is always the pending one). The `type_empty_*` hooks return `Ok` when their
    /// receiver is not an empty container waiting for its type.
    pub(crate) fn type_empty_container(&mut self, id: LocalId, ty: Type, span: Span) -> Result<()> {
        self.widen(id, &ty, span)?;
        Err(self.pending_or(self.typing(span, format!("`{}` is typed by this", self.locals[id].name), None)))
    }

    /// `x.append(v)` (or `insert`, `extend`) where `x` was assigned `[]` and has no type yet:
    /// gives `x` the type of a list of `v`'s type, for the next walk.
    pub(crate) fn type_empty_list(&mut self, receiver: &ast::Expr, method: &str, args: &[ast::Expr], span: Span) -> Result<()> {
        let Some(id) = self.untyped_empty(receiver, Container::List) else { return Ok(()) };
        let item = match (method, args) {
            ("append", [v]) | ("insert", [_, v]) => self.expr(v)?.ty,
            ("extend", [v]) => {
                let iterable = self.expr(v)?;
                match &iterable.ty {
                    Type::List(item) => (**item).clone(),
                    Type::Tuple(items) if !items.is_empty() => items.iter().skip(1).try_fold(items[0].clone(), |a, b| unify(&a, b)).unwrap_or(items[0].clone()),
                    Type::Array(a) if a.ndim == 1 => (*a.dtype).clone(),
                    _ => return Ok(()),
                }
            }
            _ => return Ok(()),
        };
        self.type_empty_container(id, Type::List(Box::new(item)), span)
    }

    /// `heapq.heappush(h, x)` (and the other library functions that add their second argument
    /// to the list given first) where `h` was assigned `[]` and has no type yet: as
    /// `h.append(x)`.
    pub(crate) fn type_empty_list_by_call(&mut self, key: u64, args: &[ast::Expr], span: Span) -> Result<()> {
        const ADDING_TO_FIRST: [&str; 5] = ["heapq.heappush", "heapq.heappushpop", "bisect.insort_left", "bisect.insort_right", "bisect.insort"];
        match (crate::overloads::library_name(key), args) {
            (Some(name), [list, item, ..]) if ADDING_TO_FIRST.contains(&name.as_str()) => self.type_empty_list(list, "append", std::slice::from_ref(item), span),
            _ => Ok(()),
        }
    }

    /// `list[index]` with an integer index (negative ones count from the end), CPython's
    /// `IndexError` outside the list.
    pub(crate) fn list_subscript(&mut self, list: ir::Expr, index: &ast::Expr, span: Span) -> Result<ir::Expr> {
        if let ast::ExprKind::Slice { .. } = index.kind {
            return self.list_slice(list, index, span);
        }
        let i = self.expr(index)?;
        let mut stmts = Vec::new();
        let list = self.held(list, &mut stmts, span);
        let i = self.list_index(list.clone(), i, "list index out of range", &mut stmts, span)?;
        let item = list_get(list, i, span);
        let ty = item.ty.clone();
        Ok(ir::Expr::new(ExprKind::Block { stmts, value: item.boxed() }, ty, span))
    }

    /// `list[index] = value`: the value first (Python evaluates it before the target), then
    /// the index, as CPython checks it.
    pub(crate) fn list_store(&mut self, list: ir::Expr, index: &ast::Expr, value: ir::Expr, span: Span, out: &mut Vec<ir::Stmt>) -> Result<()> {
        if let ast::ExprKind::Slice { .. } = index.kind {
            let mut args = vec![list];
            args.extend(self.slice_bounds(index)?);
            args.push(value);
            let call = self.call_internal("ferrojit.list_set_slice", args, span)?;
            out.push(stmt(StmtKind::Expr(call), span));
            return Ok(());
        }
        let item = item_type(&list.ty).expect("a list").clone();
        let value = self.converted_item(value, &item, span)?;
        let value = self.held(value, out, span);
        let list = self.held(list, out, span);
        let i = self.expr(index)?;
        let i = self.list_index(list.clone(), i, "list assignment index out of range", out, span)?;
        out.push(stmt(StmtKind::ListUpdate { op: ListUpdate::Store, args: vec![list, i, value] }, span));
        Ok(())
    }

    /// `value` converted to a list's item type, as an assignment to a variable of that type
    /// converts; an error when it does not convert.
    pub(crate) fn converted_item(&mut self, value: ir::Expr, item: &Type, span: Span) -> Result<ir::Expr> {
        if unify(item, &value.ty).as_ref() != Some(item) && !number_stores_as(&value.ty, item) {
            return Err(self.typing(span, format!("cannot store a `{}` in a list of `{item}`", value.ty), Some("a list holds items of one type")));
        }
        Ok(self.cast(value, item))
    }

    /// `e` as a local or constant, assigning it to a new local first (in `out`) otherwise.
    pub(crate) fn held(&mut self, e: ir::Expr, out: &mut Vec<ir::Stmt>, span: Span) -> ir::Expr {
        if matches!(e.kind, ExprKind::Local(_) | ExprKind::Const(_)) {
            return e;
        }
        let tmp = self.temp(e.ty.clone());
        out.push(stmt(StmtKind::Assign { local: tmp, value: e }, span));
        self.local_expr(tmp, span)
    }

    /// The integer `i` as a position in `list` (from the end when negative), raising
    /// `IndexError(message)` outside it.
    fn list_index(&mut self, list: ir::Expr, i: ir::Expr, message: &str, out: &mut Vec<ir::Stmt>, span: Span) -> Result<ir::Expr> {
        self.sequence_index(list_len(list, span), "list", i, message, out, span)
    }

    /// The integer `i` as a position in a sequence (a `kind`, for messages) of length `len`
    /// (from the end when negative), raising `IndexError(message)` outside it.
    pub(crate) fn sequence_index(&mut self, len: ir::Expr, kind: &str, i: ir::Expr, message: &str, out: &mut Vec<ir::Stmt>, span: Span) -> Result<ir::Expr> {
        if !i.ty.is_integer_like() {
            return Err(self.typing(i.span, format!("{kind} indices must be integers, not `{}`", i.ty), None));
        }
        let i = self.cast(i, &Type::INT64);
        let tmp = self.temp(Type::INT64);
        out.push(stmt(StmtKind::Assign { local: tmp, value: i }, span));
        let at = self.local_expr(tmp, span);
        let compare = |op, l: ir::Expr, r: ir::Expr| ir::Expr::new(ExprKind::Compare { op, lhs: l.boxed(), rhs: r.boxed() }, Type::Bool, span);
        let wrapped = ir::Expr::new(ExprKind::Binary { op: BinaryOp::Add, lhs: at.clone().boxed(), rhs: len.clone().boxed() }, Type::INT64, span);
        let negative = compare(CmpOp::Lt, at.clone(), int(0, span));
        out.push(stmt(StmtKind::If { cond: negative, then_body: vec![stmt(StmtKind::Assign { local: tmp, value: wrapped }, span)], else_body: vec![] }, span));
        let outside = ir::Expr::new(
            ExprKind::Logical { and: false, lhs: compare(CmpOp::Lt, at.clone(), int(0, span)).boxed(), rhs: compare(CmpOp::GtE, at.clone(), len).boxed() },
            Type::Bool,
            span,
        );
        let raise = stmt(StmtKind::Raise { exc: ExcKind::IndexError, msg: Some(message.to_string()) }, span);
        out.push(stmt(StmtKind::If { cond: outside, then_body: vec![raise], else_body: vec![] }, span));
        Ok(at)
    }

    /// `for target in list: body else: orelse`, as CPython runs it: the loop reads the list's
    /// length before each item, so items appended by the body are visited and removed ones
    /// end the loop; the list itself is held for the loop (rebinding the name does not change
    /// what is iterated).
    pub(crate) fn list_for(&mut self, target: &ast::Expr, list: ir::Expr, body: &[ast::Stmt], orelse: &[ast::Stmt], span: Span, out: &mut Vec<ir::Stmt>) -> Result<()> {
        let held = self.temp(list.ty.clone());
        out.push(stmt(StmtKind::Assign { local: held, value: list }, span));
        let list = self.local_expr(held, span);
        let k = self.temp(Type::INT64);
        out.push(stmt(StmtKind::Assign { local: k, value: int(0, span) }, span));
        let cond = ir::Expr::new(ExprKind::Compare { op: CmpOp::Lt, lhs: self.local_expr(k, span).boxed(), rhs: list_len(list.clone(), span).boxed() }, Type::Bool, span);
        let item = list_get(list, self.local_expr(k, span), span);
        let next = ir::Expr::new(ExprKind::Binary { op: BinaryOp::Add, lhs: self.local_expr(k, span).boxed(), rhs: int(1, span).boxed() }, Type::INT64, span);
        self.cursor_loop(target, cond, item, (k, next), body, orelse, span, out)
    }

    /// `while cond: current = item; cursor = next; target = current; body` (then `orelse`):
    /// a `for` loop over a container whose cursor (`step`: the local and its next value) moves
    /// before the body runs, so that `continue` moves it too, and the item is read first.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn cursor_loop(
        &mut self,
        target: &ast::Expr,
        cond: ir::Expr,
        item: ir::Expr,
        step: (LocalId, ir::Expr),
        body: &[ast::Stmt],
        orelse: &[ast::Stmt],
        span: Span,
        out: &mut Vec<ir::Stmt>,
    ) -> Result<()> {
        let current = self.temp(item.ty.clone());
        let (cursor, next) = step;
        let mut body_ir = vec![stmt(StmtKind::Assign { local: current, value: item }, span), stmt(StmtKind::Assign { local: cursor, value: next }, span)];
        let current = self.local_expr(current, span);
        self.assign(target, current, &mut body_ir)?;
        self.loop_depth += 1;
        let rest = self.block(body);
        self.loop_depth -= 1;
        body_ir.extend(rest?);
        let orelse = self.block(orelse)?;
        out.push(stmt(StmtKind::While { cond, body: body_ir, orelse }, span));
        Ok(())
    }
}

impl FnInfer<'_> {
    /// `a + b`, `a * n`, `n * a` with a list operand (the library's `list_concat`,
    /// `list_repeat`).
    pub(crate) fn list_binop(&mut self, op: ast::BinOp, l: ir::Expr, r: ir::Expr, span: Span) -> Result<ir::Expr> {
        match (op, item_type(&l.ty).is_some(), item_type(&r.ty).is_some()) {
            (ast::BinOp::Add, true, true) => self.call_internal("ferrojit.list_concat", vec![l, r], span),
            (ast::BinOp::Mul, true, false) if r.ty.is_integer_like() => self.call_internal("ferrojit.list_repeat", vec![l, r], span),
            (ast::BinOp::Mul, false, true) if l.ty.is_integer_like() => self.call_internal("ferrojit.list_repeat", vec![r, l], span),
            _ => Err(self.operand_error(op.symbol(), &l.ty, &r.ty, span)),
        }
    }

    /// `a += b` and `a *= n` of a list: in place, as CPython's (the list itself changes, which
    /// every other name for it sees); the result is the list.
    pub(crate) fn list_augmented(&mut self, op: ast::BinOp, list: ir::Expr, rhs: ir::Expr, span: Span) -> Result<ir::Expr> {
        match op {
            ast::BinOp::Add => self.call_internal("ferrojit.list_extend_in_place", vec![list, rhs], span),
            ast::BinOp::Mul if rhs.ty.is_integer_like() => self.call_internal("ferrojit.list_repeat_in_place", vec![list, rhs], span),
            _ => Err(self.operand_error(&format!("{}=", op.symbol()), &list.ty, &rhs.ty, span)),
        }
    }

    /// `a |= b`, `a &= b`, `a -= b` and `a ^= b` of two sets: in place, as CPython's (the set
    /// itself changes, which every other name for it sees); the result is the set.
    pub(crate) fn set_augmented(&mut self, op: ast::BinOp, set: ir::Expr, rhs: ir::Expr, span: Span) -> Result<ir::Expr> {
        let name = match op {
            _ if !matches!(rhs.ty, Type::Set(_)) => None,
            ast::BinOp::BitOr => Some("ferrojit.set_union_in_place"),
            ast::BinOp::BitAnd => Some("ferrojit.set_intersection_in_place"),
            ast::BinOp::Sub => Some("ferrojit.set_difference_in_place"),
            ast::BinOp::BitXor => Some("ferrojit.set_symmetric_difference_in_place"),
            _ => None,
        };
        match name {
            Some(name) => self.call_internal(name, vec![set, rhs], span),
            None => Err(self.operand_error(&format!("{}=", op.symbol()), &set.ty, &rhs.ty, span)),
        }
    }

    /// Comparisons with a list operand: `x in a`, `a == b`, `a < b` (CPython's order).
    pub(crate) fn list_comparison(&mut self, op: CmpOp, l: ir::Expr, r: ir::Expr, span: Span) -> Result<ir::Expr> {
        let not = |e: ir::Expr| ir::Expr::new(ExprKind::Unary { op: ir::UnaryOp::Not, operand: e.boxed() }, Type::Bool, span);
        let code = match op {
            CmpOp::In | CmpOp::NotIn if matches!(r.ty, Type::Set(_)) => {
                let found = self.call_internal("ferrojit.set_contains", vec![r, l], span)?;
                return Ok(if op == CmpOp::In { found } else { not(found) });
            }
            _ if matches!(l.ty, Type::Set(_)) && matches!(r.ty, Type::Set(_)) => {
                // Subsets: `a <= b` is `a.issubset(b)`, `a < b` a proper subset.
                let (name, args, negate) = match op {
                    CmpOp::Eq => ("ferrojit.set_equal", vec![l, r], false),
                    CmpOp::NotEq => ("ferrojit.set_equal", vec![l, r], true),
                    CmpOp::LtE => ("ferrojit.set_subset", vec![l, r, ir::Expr::new(ExprKind::Const(Const::Bool(false)), Type::Bool, span)], false),
                    CmpOp::Lt => ("ferrojit.set_subset", vec![l, r, ir::Expr::new(ExprKind::Const(Const::Bool(true)), Type::Bool, span)], false),
                    CmpOp::GtE => ("ferrojit.set_subset", vec![r, l, ir::Expr::new(ExprKind::Const(Const::Bool(false)), Type::Bool, span)], false),
                    CmpOp::Gt => ("ferrojit.set_subset", vec![r, l, ir::Expr::new(ExprKind::Const(Const::Bool(true)), Type::Bool, span)], false),
                    _ => return Err(self.operand_error(op.symbol(), &l.ty, &r.ty, span)),
                };
                let result = self.call_internal(name, args, span)?;
                return Ok(if negate { not(result) } else { result });
            }
            CmpOp::Eq | CmpOp::NotEq if matches!(l.ty, Type::Dict(..)) && matches!(r.ty, Type::Dict(..)) => {
                let equal = self.call_internal("ferrojit.dict_equal", vec![l, r], span)?;
                return Ok(if op == CmpOp::Eq { equal } else { not(equal) });
            }
            CmpOp::In | CmpOp::NotIn if matches!(r.ty, Type::Dict(..)) => {
                let found = self.call_internal("ferrojit.dict_contains", vec![r, l], span)?;
                return Ok(if op == CmpOp::In { found } else { not(found) });
            }
            CmpOp::In | CmpOp::NotIn if item_type(&r.ty).is_some() => {
                let found = self.call_internal("ferrojit.list_contains", vec![r, l], span)?;
                return Ok(if op == CmpOp::In { found } else { not(found) });
            }
            _ if item_type(&l.ty).is_none() || item_type(&r.ty).is_none() => {
                return match op {
                    CmpOp::Eq | CmpOp::NotEq => Ok(self.discard(vec![l, r], ir::Expr::new(ExprKind::Const(Const::Bool(op == CmpOp::NotEq)), Type::Bool, span))),
                    _ => Err(self.operand_error(op.symbol(), &l.ty, &r.ty, span)),
                };
            }
            CmpOp::Eq => 0,
            CmpOp::NotEq => 1,
            CmpOp::Lt => 2,
            CmpOp::LtE => 3,
            CmpOp::Gt => 4,
            CmpOp::GtE => 5,
            _ => return Err(self.unsupported(span, format!("`{}` is not supported between lists", op.symbol()), Some("compare lists with `==`"))),
        };
        self.call_internal("ferrojit.list_compare", vec![l, r, int(code, span)], span)
    }

    /// The bounds of a slice `start:stop:step` as expressions (None constants where absent).
    pub(crate) fn slice_bounds(&mut self, index: &ast::Expr) -> Result<Vec<ir::Expr>> {
        let ast::ExprKind::Slice { lower, upper, step } = &index.kind else { unreachable!("a slice") };
        [lower, upper, step]
            .into_iter()
            .map(|b| match b {
                Some(e) => self.expr(e),
                None => Ok(no_value(index.span)),
            })
            .collect()
    }

    /// `a[start:stop:step]` of a list: a new list.
    fn list_slice(&mut self, list: ir::Expr, index: &ast::Expr, span: Span) -> Result<ir::Expr> {
        let mut args = vec![list];
        args.extend(self.slice_bounds(index)?);
        self.call_internal("ferrojit.list_get_slice", args, span)
    }

    /// `del target` for each target: list items and slices.
    pub(crate) fn delete(&mut self, targets: &[ast::Expr], out: &mut Vec<ir::Stmt>) -> Result<()> {
        for target in targets {
            let span = target.span;
            let ast::ExprKind::Subscript { value, index } = &target.kind else {
                return Err(self.unsupported(span, "`del` of a name is not supported yet", Some("`del` removes list items: `del a[i]`, `del a[i:j]`")));
            };
            let list = self.expr(value)?;
            if let Type::Instance(_) = list.ty {
                // `del obj[i]`: `obj.__delitem__(i)`.
                if !self.has_special_method(&list.ty, "__delitem__") {
                    return Err(self.typing(span, format!("a `{}` does not support item deletion", list.ty), Some("define `__delitem__` on the class")));
                }
                let i = self.expr(index)?;
                let call = self.call_special_method(list, "__delitem__", vec![i], span)?;
                out.push(stmt(StmtKind::Expr(call), span));
                continue;
            }
            if let Type::Dict(..) = list.ty {
                let key = self.expr(index)?;
                let call = self.call_internal("ferrojit.dict_delitem", vec![list, key], span)?;
                out.push(stmt(StmtKind::Expr(call), span));
                continue;
            }
            if item_type(&list.ty).is_none() {
                return Err(self.typing(span, format!("cannot delete items of a `{}`", list.ty), Some("`del` removes list items")));
            }
            let call = if let ast::ExprKind::Slice { .. } = index.kind {
                let mut args = vec![list];
                args.extend(self.slice_bounds(index)?);
                self.call_internal("ferrojit.list_delete_slice", args, span)?
            } else {
                let i = self.expr(index)?;
                self.call_internal("ferrojit.list_delete", vec![list, i], span)?
            };
            out.push(stmt(StmtKind::Expr(call), span));
        }
        Ok(())
    }
}

impl FnInfer<'_> {
    /// A list inside `zip` or `enumerate` (a `for` loop over a list alone is `list_for`): as
    /// many items as the list holds when the loop starts, each read at the start of its
    /// iteration; a loop that shrinks the list stops when it runs out (without `else`).
    pub(crate) fn list_walk(&mut self, list: ir::Expr, k: LocalId, setup: &mut Vec<ir::Stmt>, span: Span) -> crate::iteration::Walk {
        let held = self.temp(list.ty.clone());
        setup.push(stmt(StmtKind::Assign { local: held, value: list }, span));
        let list = self.local_expr(held, span);
        let count = self.temp(Type::INT64);
        setup.push(stmt(StmtKind::Assign { local: count, value: list_len(list.clone(), span) }, span));
        let index = self.local_expr(k, span);
        let gone = ir::Expr::new(ExprKind::Compare { op: CmpOp::GtE, lhs: index.clone().boxed(), rhs: list_len(list.clone(), span).boxed() }, Type::Bool, span);
        let advance = vec![stmt(StmtKind::If { cond: gone, then_body: vec![stmt(StmtKind::Break, span)], else_body: vec![] }, span)];
        let item = list_get(list, index, span);
        crate::iteration::Walk { count: self.local_expr(count, span), advance, item, start: vec![], nest: vec![], more: None }
    }
}

impl FnInfer<'_> {
    /// `[elt for target in iter if cond ...]`: the loops the comprehension stands for, run
    /// into its hidden list local (typed by what they append, as `x = []` is), as a block
    /// whose value is that list.
    pub(crate) fn list_comprehension(&mut self, elt: &ast::Expr, generators: &[ast::Comprehension], result: &str, span: Span) -> Result<ir::Expr> {
        let append = ast::Expr { kind: ast::ExprKind::Attribute { value: Box::new(name_expr(result, span)), attr: "append".into() }, span };
        let call = ast::Expr { kind: ast::ExprKind::Call { func: Box::new(append), args: vec![elt.clone()], keywords: vec![] }, span };
        self.comprehension(ast::StmtKind::Expr(call), Container::List, generators, result, span)
    }

    /// `{elt for target in iter if cond ...}`, as a list comprehension adding `elt`.
    pub(crate) fn set_comprehension(&mut self, elt: &ast::Expr, generators: &[ast::Comprehension], result: &str, span: Span) -> Result<ir::Expr> {
        let add = ast::Expr { kind: ast::ExprKind::Attribute { value: Box::new(name_expr(result, span)), attr: "add".into() }, span };
        let call = ast::Expr { kind: ast::ExprKind::Call { func: Box::new(add), args: vec![elt.clone()], keywords: vec![] }, span };
        self.comprehension(ast::StmtKind::Expr(call), Container::Set, generators, result, span)
    }

    /// `{key: value for target in iter if cond ...}`, as a list comprehension storing
    /// `result[key] = value`.
    pub(crate) fn dict_comprehension(&mut self, key: &ast::Expr, value: &ast::Expr, generators: &[ast::Comprehension], result: &str, span: Span) -> Result<ir::Expr> {
        let target = ast::Expr { kind: ast::ExprKind::Subscript { value: Box::new(name_expr(result, span)), index: Box::new(key.clone()) }, span };
        self.comprehension(ast::StmtKind::Assign { targets: vec![target], value: value.clone() }, Container::Dict, generators, result, span)
    }

    /// The loops a comprehension stands for, around `innermost` (which adds one element to
    /// the hidden local `result`, a container of `kind`), as a block whose value is `result`.
    /// `result` starts empty, typed by what `innermost` adds, as `x = []` (`d = {}`) is.
    fn comprehension(&mut self, innermost: ast::StmtKind, kind: Container, generators: &[ast::Comprehension], result: &str, span: Span) -> Result<ir::Expr> {
        let id = *self.names.get(result).ok_or_else(|| self.internal(span, "a comprehension's result is a hidden local"))?;
        let mut stmts = Vec::new();
        match self.locals[id].ty.clone() {
            Some(ty) => {
                let empty = match kind {
                    Container::List => self.list_display(&[], Some(&ty), span)?,
                    Container::Dict => self.dict_display(&[], &[], Some(&ty), span)?,
                    Container::Set => self.set_display(&[], Some(&ty), span)?,
                };
                stmts.push(stmt(StmtKind::Assign { local: id, value: empty }, span));
            }
            // Typed by what the innermost statement adds, for the next walk.
            None => {
                self.empty_containers.insert(id, kind);
            }
        }
        let node = |stmt_kind| ast::Stmt { kind: stmt_kind, span };
        let mut body = vec![node(innermost)];
        for g in generators.iter().rev() {
            for cond in g.ifs.iter().rev() {
                body = vec![node(ast::StmtKind::If { test: cond.clone(), body, orelse: vec![] })];
            }
            body = vec![node(ast::StmtKind::For { target: g.target.clone(), iter: g.iter.clone(), body, orelse: vec![] })];
        }
        for s in &body {
            self.stmt(s, &mut stmts)?;
        }
        if self.locals[id].ty.is_none() {
            return Err(self.pending_or(self.typing(span, "cannot tell the item type of this comprehension", None)));
        }
        let value = self.local_expr(id, span);
        let ty = value.ty.clone();
        Ok(ir::Expr::new(ExprKind::Block { stmts, value: value.boxed() }, ty, span))
    }
}

fn name_expr(name: &str, span: Span) -> ast::Expr {
    ast::Expr { kind: ast::ExprKind::Name(name.to_string()), span }
}

// ---- the library's primitives ---------------------------------------------------------------

fn list_arg(cx: &mut FnInfer<'_>, args: &mut Args, name: &str) -> Result<ir::Expr> {
    let e = cx.required_expr(args, name)?;
    if item_type(&e.ty).is_none() {
        return Err(cx.typing(e.span, format!("expected a list, got a `{}`", e.ty), None));
    }
    Ok(e)
}

fn int_arg(cx: &mut FnInfer<'_>, args: &mut Args, name: &str) -> Result<ir::Expr> {
    let e = cx.required_expr(args, name)?;
    if !e.ty.is_integer_like() {
        return Err(cx.typing(e.span, format!("expected an integer, got a `{}`", e.ty), None));
    }
    Ok(cx.cast(e, &Type::INT64))
}

/// `item(lst, i)`: the item at `0 <= i < len(lst)`, unchecked.
fn item(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let list = list_arg(cx, args, "lst")?;
    let i = int_arg(cx, args, "i")?;
    Ok(Value::Expr(list_get(list, i, span)))
}

/// `store(lst, i, value)`: replaces the item at `0 <= i < len(lst)`, unchecked.
fn store(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let list = list_arg(cx, args, "lst")?;
    let i = int_arg(cx, args, "i")?;
    let value = cx.required_expr(args, "value")?;
    let value = cx.converted_item(value, &item_type(&list.ty).expect("a list").clone(), span)?;
    let update = stmt(StmtKind::ListUpdate { op: ListUpdate::Store, args: vec![list, i, value] }, span);
    Ok(Value::Expr(ir::Expr::new(ExprKind::Block { stmts: vec![update], value: no_value(span).boxed() }, Type::NoneType, span)))
}

/// `splice(lst, at, remove, insert)`: replaces `remove` items at `at` by `insert` zeroed ones
/// (see [`ListUpdate::Splice`]), unchecked.
fn splice(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let list = list_arg(cx, args, "lst")?;
    let mut operands = vec![list];
    for name in ["at", "remove", "insert"] {
        operands.push(int_arg(cx, args, name)?);
    }
    let update = stmt(StmtKind::ListUpdate { op: ListUpdate::Splice, args: operands }, span);
    Ok(Value::Expr(ir::Expr::new(ExprKind::Block { stmts: vec![update], value: no_value(span).boxed() }, Type::NoneType, span)))
}

/// `new_like(lst, n)`: a new list of `lst`'s type holding `n` zeroed items (filled before they
/// are read).
fn new_like(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let list = list_arg(cx, args, "lst")?;
    let n = int_arg(cx, args, "n")?;
    Ok(Value::Expr(new_list(list.ty.clone(), n, span)))
}

/// `new_of(example, n)`: a new list of items of `example`'s type, `n` of them zeroed.
fn new_of(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let example = cx.required_expr(args, "example")?;
    let n = int_arg(cx, args, "n")?;
    Ok(Value::Expr(new_list(Type::List(Box::new(example.ty.clone())), n, span)))
}

/// `not_in_list(x)`: raises CPython's `ValueError` of `list.index(x)`, `x` written as Python
/// writes it (numbers; other items are named `x`).
fn not_in_list(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    number_error(cx, args, [RuntimeFunc::INT_NOT_IN_LIST, RuntimeFunc::FLOAT_NOT_IN_LIST], (ExcKind::ValueError, "x is not in list"), span)
}

/// A runtime call raising an exception that names the number argument `x` (the integer and
/// float forms of `funcs`), or, for other `x`, the exception `otherwise`.
pub(crate) fn number_error(cx: &mut FnInfer<'_>, args: &mut Args, funcs: [RuntimeFunc; 2], otherwise: (ExcKind, &str), span: Span) -> Result<Value> {
    let x = cx.required_expr(args, "x")?;
    let (func, args) = match &x.ty {
        Type::Int(i) => {
            let kind = if i.signed { 0 } else { 1 };
            (funcs[0], vec![cx.cast(x, &Type::INT64), int(kind, span)])
        }
        Type::Bool => (funcs[0], vec![cx.cast(x, &Type::INT64), int(2, span)]),
        Type::Float(_) => (funcs[1], vec![cx.cast(x, &Type::FLOAT64)]),
        _ => {
            let raise = stmt(StmtKind::Raise { exc: otherwise.0, msg: Some(otherwise.1.into()) }, span);
            return Ok(Value::Expr(ir::Expr::new(ExprKind::Block { stmts: vec![raise], value: int(0, span).boxed() }, Type::INT64, span)));
        }
    };
    Ok(Value::Expr(ir::Expr::new(ExprKind::Runtime { func, args }, Type::INT64, span)))
}
