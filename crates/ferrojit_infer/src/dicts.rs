//! Dicts in compiled code: displays (`{k: v}`, and `{}` typed by what is stored in it),
//! `d[k]`, `d[k] = v`, `del d[k]`, `k in d`, `len`, truth and iteration (over the keys, and
//! over `items()`, `keys()`, `values()` in `for` loops); the primitives the library's dict
//! operations are written with (`python/ferrojit/_lib/dicts.py`), which reach the IR's
//! [`ir::DictOp`] and [`ir::DictUpdate`] unchecked.
//!
//! Keys are numbers, strings, jitclass instances and tuples of them; values any compiled type.
//! Keys and values convert to the dict's types as list items do. Numbers compare by value
//! (`0.0` and `-0.0` alike), strings by text and instances of classes without `__eq__` and
//! `__hash__` by identity, all in the runtime; instances of classes with `__hash__` (and
//! tuples holding them) by `hash()` and `is`-then-`==` as CPython's dicts, in compiled code:
//! finding and inserting such a key is the library's `dict_find_by_eq`/`dict_insert_by_eq`
//! (see [`crate::classes::KeyEquality`]).

use crate::bind::Args;
use crate::expr::Value;
use crate::function::{FnInfer, Result};
use crate::registry::Registry;
use ferrojit_ir::{self as ir, BinaryOp, Const, DictOp, DictUpdate, ExprKind, StmtKind};
use ferrojit_syntax::ast::{self, CmpOp, Span};
use crate::classes::{key_equality, KeyEquality};
use crate::lists::Container;
use ferrojit_types::{unify, Type};

pub(crate) fn register(r: &mut Registry) {
    r.function("ferrojit._lib.dicts.find", "d, key, /", |cx, args, span| lookup(cx, args, DictOp::Find, span));
    r.function("ferrojit._lib.dicts.insert", "d, key, /", |cx, args, span| lookup(cx, args, DictOp::Insert, span));
    r.function("ferrojit._lib.dicts.key_at", "d, i, /", |cx, args, span| entry(cx, args, DictOp::Key, span));
    r.function("ferrojit._lib.dicts.value_at", "d, i, /", |cx, args, span| entry(cx, args, DictOp::Value, span));
    r.function("ferrojit._lib.dicts.next_entry", "d, i, /", |cx, args, span| entry(cx, args, DictOp::Next, span));
    r.function("ferrojit._lib.dicts.store_value", "d, i, value, /", store_value);
    r.function("ferrojit._lib.dicts.delete_at", "d, i, /", delete_at);
    r.function("ferrojit._lib.dicts.clear_all", "d, /", clear_all);
    r.function("ferrojit._lib.dicts.new_like", "d, /", new_like);
    r.function("ferrojit._lib.dicts.candidate", "d, h, n, /", candidate);
    r.function("ferrojit._lib.dicts.insert_new", "d, key, h, /", insert_new);
    r.function("ferrojit._lib.dicts.same_key", "a, b, /", same_key);
    r.function("ferrojit._lib.sets.merge", "s, other, /", |cx, args, span| set_runtime(cx, args, &["s", "other"], ir::RuntimeFunc::SET_MERGE, span));
    r.function("ferrojit._lib.sets.pop_slot", "s, /", |cx, args, span| set_runtime(cx, args, &["s"], ir::RuntimeFunc::SET_POP_SLOT, span));
    r.function("ferrojit._lib.sets.purge_dummies", "s, /", |cx, args, span| set_runtime(cx, args, &["s"], ir::RuntimeFunc::SET_PURGE_DUMMIES, span));
    r.function("ferrojit._lib.sets.swap_bodies", "a, b, /", |cx, args, span| set_runtime(cx, args, &["a", "b"], ir::RuntimeFunc::SET_SWAP_BODIES, span));
    r.function("ferrojit._lib.dicts.key_error_number", "x, /", |cx, args, span| {
        crate::lists::number_error(cx, args, [ir::RuntimeFunc::INT_KEY_ERROR, ir::RuntimeFunc::FLOAT_KEY_ERROR], (ir::ExcKind::KeyError, "the key is not in the dict"), span)
    });
}

fn int(v: i128, span: Span) -> ir::Expr {
    ir::Expr::new(ExprKind::Const(Const::Int(v)), Type::INT64, span)
}

fn stmt(kind: StmtKind, span: Span) -> ir::Stmt {
    ir::Stmt { kind, span }
}

pub(crate) fn dict_types(ty: &Type) -> Option<(&Type, &Type)> {
    match ty {
        Type::Dict(key, value) => Some((key, value)),
        // A set is a table of keys without values: the primitives serve both.
        Type::Set(key) => Some((key, &Type::NoneType)),
        _ => None,
    }
}

fn dict_op(op: DictOp, args: Vec<ir::Expr>, ty: Type, span: Span) -> ir::Expr {
    ir::Expr::new(ExprKind::Dict { op, args }, ty, span)
}

pub(crate) fn dict_len(dict: ir::Expr, span: Span) -> ir::Expr {
    dict_op(DictOp::Len, vec![dict], Type::INT64, span)
}

fn none(span: Span) -> ir::Expr {
    ir::Expr::new(ExprKind::Const(Const::None), Type::NoneType, span)
}

impl FnInfer<'_> {
    /// `{a, b, ...}`; `expected` is the type of the variable it is assigned to.
    pub(crate) fn set_display(&mut self, items: &[ast::Expr], expected: Option<&Type>, span: Span) -> Result<ir::Expr> {
        if items.iter().any(|e| matches!(e.kind, ast::ExprKind::Starred(_))) {
            // `{a, *b}`: the set of the list display of the same items.
            let expected_list = match expected {
                Some(Type::Set(item)) => Some(Type::List(item.clone())),
                _ => None,
            };
            let list = self.list_display(items, expected_list.as_ref(), span)?;
            return self.call_internal("builtins.set", vec![list], span);
        }
        let values = self.each_collecting_overloads(items, |cx, i| cx.expr(i))?;
        let ty = match (values.first(), expected) {
            (None, Some(ty @ Type::Set(_))) => ty.clone(),
            (None, _) => return Err(self.pending_or(self.typing(span, "cannot tell the item type of this empty set", Some("add to it in this function (`s = set()` then `s.add(1)`)")))),
            (Some(first), _) => {
                let item = values[1..].iter().try_fold(first.ty.clone(), |acc, x| {
                    unify(&acc, &x.ty).ok_or_else(|| self.typing(x.span, format!("a set holds items of one type; this one is a `{}` and an earlier one a `{acc}`", x.ty), None))
                })?;
                match expected {
                    Some(Type::Set(wider)) if unify(wider, &item).as_ref() == Some(&**wider) => Type::Set(wider.clone()),
                    _ => Type::Set(Box::new(item)),
                }
            }
        };
        let item = dict_types(&ty).expect("a set").0.clone();
        self.check_key_type(&item, span)?;
        let tmp = self.temp(ty.clone());
        let mut stmts = vec![stmt(StmtKind::Assign { local: tmp, value: dict_op(DictOp::New, vec![], ty.clone(), span) }, span)];
        for v in values {
            let v = self.cast(v, &item);
            let insert = self.insert_key(self.local_expr(tmp, span), v, span)?;
            stmts.push(stmt(StmtKind::Expr(insert), span));
        }
        Ok(ir::Expr::new(ExprKind::Block { stmts, value: self.local_expr(tmp, span).boxed() }, ty, span))
    }

    /// `s.add(x)` (`s.update(items)`) where `s` was assigned `set()` and has no type yet:
    /// types `s`.
    pub(crate) fn type_empty_set(&mut self, receiver: &ast::Expr, method: &str, args: &[ast::Expr], span: Span) -> Result<()> {
        let Some(id) = self.untyped_empty(receiver, Container::Set) else { return Ok(()) };
        let [item] = args else { return Ok(()) };
        let item = match (method, self.expr(item)?.ty) {
            ("add", ty) => ty,
            ("update", Type::Set(ty) | Type::List(ty)) => *ty,
            _ => return Ok(()),
        };
        self.type_empty_container(id, Type::Set(Box::new(item)), span)
    }

    /// `{k: v, ...}`; `expected` is the type of the variable it is assigned to, which gives
    /// `{}` its type.
    pub(crate) fn dict_display(&mut self, keys: &[ast::Expr], values: &[ast::Expr], expected: Option<&Type>, span: Span) -> Result<ir::Expr> {
        if keys.iter().any(|k| matches!(k.kind, ast::ExprKind::Starred(_))) {
            return self.merging_dict_display(keys, values, expected, span);
        }
        let keys = self.each_collecting_overloads(keys, |cx, k| cx.expr(k))?;
        let values = self.each_collecting_overloads(values, |cx, v| cx.expr(v))?;
        self.dict_of_items(keys, values, expected, span)
    }

    /// `{**a, k: v, **b}` (a `**mapping` item's key is `Starred(mapping)`): the items and the
    /// mappings' items stored in order into a new dict, whose key and value types are the
    /// unification of all of theirs.
    fn merging_dict_display(&mut self, keys: &[ast::Expr], values: &[ast::Expr], expected: Option<&Type>, span: Span) -> Result<ir::Expr> {
        enum Part {
            Item(ir::Expr, ir::Expr),
            Merged(ir::Expr),
        }
        let parts = self.each_collecting_overloads(keys.iter().zip(values), |cx, (k, v)| match &k.kind {
            ast::ExprKind::Starred(mapping) => {
                let m = cx.expr(mapping)?;
                match &m.ty {
                    Type::Dict(..) => Ok(Part::Merged(m)),
                    other => Err(cx.typing(k.span, format!("`**` in a dict display takes a dict, not a `{other}`"), None)),
                }
            }
            _ => Ok(Part::Item(cx.expr(k)?, cx.expr(v)?)),
        })?;
        let (mut key, mut value): (Option<Type>, Option<Type>) = (None, None);
        for part in &parts {
            let (k, v, at) = match part {
                Part::Item(k, v) => (k.ty.clone(), v.ty.clone(), k.span),
                Part::Merged(m) => {
                    let (k, v) = dict_types(&m.ty).expect("a dict");
                    (k.clone(), v.clone(), m.span)
                }
            };
            for (acc, ty, what) in [(&mut key, k, "keys"), (&mut value, v, "values")] {
                *acc = Some(match acc.take() {
                    None => ty,
                    Some(before) => unify(&before, &ty).ok_or_else(|| self.typing(at, format!("a dict holds {what} of one type; these are `{ty}` and earlier ones `{before}`"), None))?,
                });
            }
        }
        let (Some(key), Some(value)) = (key, value) else { return Err(self.internal(span, "a merging dict display has items")) };
        let ty = match expected {
            Some(Type::Dict(k, v)) if unify(k, &key).as_ref() == Some(&**k) && unify(v, &value).as_ref() == Some(&**v) => Type::Dict(k.clone(), v.clone()),
            _ => Type::Dict(Box::new(key.clone()), Box::new(value.clone())),
        };
        let (key_ty, value_ty) = dict_types(&ty).map(|(k, v)| (k.clone(), v.clone())).expect("a dict");
        self.check_key_type(&key_ty, span)?;
        let tmp = self.temp(ty.clone());
        let mut stmts = vec![stmt(StmtKind::Assign { local: tmp, value: dict_op(DictOp::New, vec![], ty.clone(), span) }, span)];
        for part in parts {
            match part {
                Part::Item(k, v) => self.store_item(tmp, k, v, (&key_ty, &value_ty), &mut stmts, span)?,
                Part::Merged(m) => {
                    let at = m.span;
                    let merge = self.call_internal("ferrojit.dict_merge", vec![self.local_expr(tmp, at), m], at)?;
                    stmts.push(stmt(StmtKind::Expr(merge), at));
                }
            }
        }
        Ok(ir::Expr::new(ExprKind::Block { stmts, value: self.local_expr(tmp, span).boxed() }, ty, span))
    }

    /// A new dict of the typed `keys` and `values`, as a display makes it (see
    /// [`FnInfer::dict_display`]).
    pub(crate) fn dict_of_items(&mut self, keys: Vec<ir::Expr>, values: Vec<ir::Expr>, expected: Option<&Type>, span: Span) -> Result<ir::Expr> {
        let ty = match (keys.first(), values.first(), expected) {
            (None, _, Some(ty @ Type::Dict(..))) => ty.clone(),
            (None, _, _) => {
                return Err(self.pending_or(self.typing(span, "cannot tell the key and value types of this empty dict", Some("store into it in this function (`d = {}` then `d[k] = v`), or start it with an item"))))
            }
            (Some(k0), Some(v0), _) => {
                let unified = |cx: &Self, items: &[ir::Expr], first: &ir::Expr, what: &str| -> Result<Type> {
                    items[1..].iter().try_fold(first.ty.clone(), |acc, x| {
                        unify(&acc, &x.ty).ok_or_else(|| cx.typing(x.span, format!("a dict holds {what} of one type; this one is a `{}` and an earlier one a `{acc}`", x.ty), None))
                    })
                };
                let key = unified(self, &keys, k0, "keys")?;
                let value = unified(self, &values, v0, "values")?;
                match expected {
                    Some(Type::Dict(k, v)) if unify(k, &key).as_ref() == Some(&**k) && unify(v, &value).as_ref() == Some(&**v) => Type::Dict(k.clone(), v.clone()),
                    _ => Type::Dict(Box::new(key), Box::new(value)),
                }
            }
            (Some(_), None, _) => return Err(self.internal(span, "a dict display has as many values as keys")),
        };
        let (key_ty, value_ty) = dict_types(&ty).map(|(k, v)| (k.clone(), v.clone())).expect("a dict");
        self.check_key_type(&key_ty, span)?;
        let tmp = self.temp(ty.clone());
        let mut stmts = vec![stmt(StmtKind::Assign { local: tmp, value: dict_op(DictOp::New, vec![], ty.clone(), span) }, span)];
        for (k, v) in keys.into_iter().zip(values) {
            self.store_item(tmp, k, v, (&key_ty, &value_ty), &mut stmts, span)?;
        }
        Ok(ir::Expr::new(ExprKind::Block { stmts, value: self.local_expr(tmp, span).boxed() }, ty, span))
    }

    /// Appends to `stmts` the store of `k: v`, converted to the dict's `types`, into the dict
    /// held by the local `dict`.
    fn store_item(&mut self, dict: ir::LocalId, k: ir::Expr, v: ir::Expr, types: (&Type, &Type), stmts: &mut Vec<ir::Stmt>, span: Span) -> Result<()> {
        let k = self.cast(k, types.0);
        let v = self.converted_item(v, types.1, span)?;
        let position = self.temp(Type::INT64);
        let insert = self.insert_key(self.local_expr(dict, span), k, span)?;
        stmts.push(stmt(StmtKind::Assign { local: position, value: insert }, span));
        let args = vec![self.local_expr(dict, span), self.local_expr(position, span), v];
        stmts.push(stmt(StmtKind::DictUpdate { op: DictUpdate::Store, args }, span));
        Ok(())
    }

    /// The position of the entry of `key` (of the dict's key type) in `dict`, made when
    /// missing: the runtime's insertion, or the library's for keys compared by `__eq__`.
    fn insert_key(&mut self, dict: ir::Expr, key: ir::Expr, span: Span) -> Result<ir::Expr> {
        if key_equality(&key.ty) == KeyEquality::ByEq {
            return self.call_internal("ferrojit.dict_insert_by_eq", vec![dict, key], span);
        }
        self.keyed_op(DictOp::Insert, dict, key, span)
    }

    /// `DictOp::Find` or `DictOp::Insert` of `key` (of the key type) in `dict`; a set's with
    /// the key's CPython hash, which places it in the set's table (see `DictOp::Find`).
    pub(crate) fn keyed_op(&mut self, op: DictOp, dict: ir::Expr, key: ir::Expr, span: Span) -> Result<ir::Expr> {
        if !matches!(dict.ty, Type::Set(_)) {
            return Ok(dict_op(op, vec![dict, key], Type::INT64, span));
        }
        if !crate::classes::hashed_as_cpython(&key.ty) {
            return Ok(dict_op(op, vec![dict, key, int(ir::SET_NO_HASH as i128, span)], Type::INT64, span));
        }
        let mut stmts = Vec::new();
        let dict = self.held(dict, &mut stmts, span);
        let key = self.held(key, &mut stmts, span);
        let hash = self.hash_of(key.clone(), span)?;
        let op = dict_op(op, vec![dict, key, hash], Type::INT64, span);
        if stmts.is_empty() {
            return Ok(op);
        }
        Ok(ir::Expr::new(ExprKind::Block { stmts, value: op.boxed() }, Type::INT64, span))
    }

    /// Keys compare by value (numbers, strings and tuples of them) or as Python's dicts
    /// compare jitclass instances (see [`KeyEquality`]).
    pub(crate) fn check_key_type(&self, key: &Type, span: Span) -> Result<()> {
        fn plain(t: &Type) -> bool {
            match t {
                Type::Tuple(items) => items.iter().all(plain),
                Type::NamedTuple(n) => n.items.iter().all(plain),
                other => other.is_number() || matches!(other, Type::Datetime(_) | Type::Timedelta(_) | Type::Str | Type::Bytes | Type::Instance(_)),
            }
        }
        if !plain(key) {
            return Err(self.unsupported(span, format!("dict keys of type `{key}` are not supported yet"), Some("use numbers, strings, jitclass instances or tuples of them as keys")));
        }
        match key_equality(key) {
            KeyEquality::Bytes | KeyEquality::ByEq => Ok(()),
            KeyEquality::Unhashable(class) => Err(self.typing(
                span,
                format!("unhashable type: '{class}' (a dict key or set item must be hashable; the class's `__hash__` is None, as Python makes it in a class that defines `__eq__` without `__hash__`)"),
                Some("define `__hash__` on the class, consistent with `__eq__`"),
            )),
            KeyEquality::Mixed => Err(self.unsupported(
                span,
                format!("dict keys of type `{key}` are not supported yet: they mix instances compared by identity with instances compared by `__eq__`"),
                Some("give every class of the key `__hash__` and `__eq__`, or none of them"),
            )),
        }
    }

    /// Gives the empty dict `d` (no type yet) the types of `key` and `value`, for the next walk:
    /// `d[k] = v`, `d.setdefault(k, v)`, and `d.get(k, default)`, whose default stands for the
    /// values (so that `d[k] = d.get(k, 0) + 1` types, which Numba refuses).
    pub(crate) fn type_empty_dict(&mut self, receiver: &ast::Expr, key: &ast::Expr, value: &ast::Expr, span: Span) -> Result<()> {
        let Some(id) = self.untyped_empty(receiver, Container::Dict) else { return Ok(()) };
        let key = self.expr(key)?.ty;
        let value = self.expr(value)?.ty;
        self.type_empty_container(id, Type::Dict(Box::new(key), Box::new(value)), span)
    }

    /// `d[key]`: the library's `dict_getitem` (a `KeyError` naming the key when missing).
    pub(crate) fn dict_subscript(&mut self, dict: ir::Expr, index: &ast::Expr, span: Span) -> Result<ir::Expr> {
        let key = self.expr(index)?;
        self.call_internal("ferrojit.dict_getitem", vec![dict, key], span)
    }

    /// `d[key] = value`.
    pub(crate) fn dict_store(&mut self, dict: ir::Expr, index: &ast::Expr, value: ir::Expr, span: Span, out: &mut Vec<ir::Stmt>) -> Result<()> {
        let key = self.expr(index)?;
        let call = self.call_internal("ferrojit.dict_setitem", vec![dict, key, value], span)?;
        out.push(stmt(StmtKind::Expr(call), span));
        Ok(())
    }

    /// `for target in d` (the keys), `d.keys()`, `d.values()`, `d.items()`: entries in insertion
    /// order (a set's items in slot order, CPython's), each read at the start of its iteration; the dict is held for the loop.
    pub(crate) fn dict_for(&mut self, target: &ast::Expr, dict: ir::Expr, view: &str, body: &[ast::Stmt], orelse: &[ast::Stmt], span: Span, out: &mut Vec<ir::Stmt>) -> Result<()> {
        let (key_ty, value_ty) = dict_types(&dict.ty).map(|(k, v)| (k.clone(), v.clone())).expect("a dict");
        let held = self.temp(dict.ty.clone());
        out.push(stmt(StmtKind::Assign { local: held, value: dict }, span));
        let d = self.local_expr(held, span);
        let at = self.temp(Type::INT64);
        out.push(stmt(StmtKind::Assign { local: at, value: dict_op(DictOp::Next, vec![d.clone(), int(0, span)], Type::INT64, span) }, span));
        let cond = ir::Expr::new(ExprKind::Compare { op: CmpOp::GtE, lhs: self.local_expr(at, span).boxed(), rhs: int(0, span).boxed() }, Type::Bool, span);
        let key = dict_op(DictOp::Key, vec![d.clone(), self.local_expr(at, span)], key_ty.clone(), span);
        let value = dict_op(DictOp::Value, vec![d.clone(), self.local_expr(at, span)], value_ty.clone(), span);
        let item = match view {
            "keys" => key,
            "values" => value,
            _ => ir::Expr::new(ExprKind::Tuple(vec![key, value]), Type::Tuple(vec![key_ty, value_ty]), span),
        };
        let after = ir::Expr::new(ExprKind::Binary { op: BinaryOp::Add, lhs: self.local_expr(at, span).boxed(), rhs: int(1, span).boxed() }, Type::INT64, span);
        let next = dict_op(DictOp::Next, vec![d, after], Type::INT64, span);
        self.cursor_loop(target, cond, item, (at, next), body, orelse, span, out)
    }
}

// ---- the library's primitives -----------------------------------------------------------------

fn dict_arg(cx: &mut FnInfer<'_>, args: &mut Args) -> Result<ir::Expr> {
    let e = cx.required_expr(args, "d")?;
    if dict_types(&e.ty).is_none() {
        return Err(cx.typing(e.span, format!("expected a dict, got a `{}`", e.ty), None));
    }
    Ok(e)
}

fn position_arg(cx: &mut FnInfer<'_>, args: &mut Args) -> Result<ir::Expr> {
    let e = cx.required_expr(args, "i")?;
    if !e.ty.is_integer_like() {
        return Err(cx.typing(e.span, format!("expected an integer, got a `{}`", e.ty), None));
    }
    Ok(cx.cast(e, &Type::INT64))
}

/// `find(d, key)`, `insert(d, key)`: the key converted to the dict's key type.
fn lookup(cx: &mut FnInfer<'_>, args: &mut Args, op: DictOp, span: Span) -> Result<Value> {
    let d = dict_arg(cx, args)?;
    let key_ty = dict_types(&d.ty).expect("a dict").0.clone();
    let key = cx.required_expr(args, "key")?;
    if key_ty.holds_instance() || key.ty.holds_instance() {
        // The key must be of the key type exactly (no conversion makes one instance another).
        if key.ty != key_ty {
            return Err(cx.typing(key.span, format!("a `{}` cannot be a key of a `{}`", key.ty, d.ty), Some("a dict holds keys of one type")));
        }
        cx.check_key_type(&key_ty, span)?;
        if key_equality(&key_ty) == KeyEquality::ByEq {
            let name = if op == DictOp::Insert { "ferrojit.dict_insert_by_eq" } else { "ferrojit.dict_find_by_eq" };
            return cx.call_internal(name, vec![d, key], span).map(Value::Expr);
        }
    }
    if unify(&key_ty, &key.ty).as_ref() == Some(&key_ty) {
        let key = cx.cast(key, &key_ty);
        return cx.keyed_op(op, d, key, span).map(Value::Expr);
    }
    if !crate::lists::number_stores_as(&key.ty, &key_ty) {
        return Err(cx.typing(key.span, format!("a `{}` cannot be a key of a `{}`", key.ty, d.ty), Some("a dict holds keys of one type")));
    }
    // A wider number than the keys (an `int64` into a dict of `int32` keys): stored converted,
    // as Numba's typed dicts store it; looked up only when the conversion keeps its value (a
    // key out of the keys' range is in no such dict).
    if op == DictOp::Insert {
        let key = cx.cast(key, &key_ty);
        return cx.keyed_op(op, d, key, span).map(Value::Expr);
    }
    let mut stmts = Vec::new();
    let key = cx.held(key, &mut stmts, span);
    let converted = cx.cast(key.clone(), &key_ty);
    let back = cx.cast(converted.clone(), &key.ty);
    let fits = ir::Expr::new(ExprKind::Compare { op: ir::CmpOp::Eq, lhs: back.boxed(), rhs: key.boxed() }, Type::Bool, span);
    let found = cx.keyed_op(op, d, converted, span)?;
    let result = ir::Expr::new(ExprKind::IfExp { cond: fits.boxed(), then: found.boxed(), otherwise: int(-1, span).boxed() }, Type::INT64, span);
    Ok(Value::Expr(ir::Expr::new(ExprKind::Block { stmts, value: result.boxed() }, Type::INT64, span)))
}

/// `key_at(d, i)`, `value_at(d, i)`, `next_entry(d, i)`.
fn entry(cx: &mut FnInfer<'_>, args: &mut Args, op: DictOp, span: Span) -> Result<Value> {
    let d = dict_arg(cx, args)?;
    let i = position_arg(cx, args)?;
    let (key, value) = dict_types(&d.ty).map(|(k, v)| (k.clone(), v.clone())).expect("a dict");
    let ty = match op {
        DictOp::Key => key,
        DictOp::Value => value,
        _ => Type::INT64,
    };
    Ok(Value::Expr(dict_op(op, vec![d, i], ty, span)))
}

fn update(op: DictUpdate, args: Vec<ir::Expr>, span: Span) -> Value {
    let s = stmt(StmtKind::DictUpdate { op, args }, span);
    Value::Expr(ir::Expr::new(ExprKind::Block { stmts: vec![s], value: none(span).boxed() }, Type::NoneType, span))
}

/// The runtime's set operation `func` of the sets `names` (of one type): an int64.
fn set_runtime(cx: &mut FnInfer<'_>, args: &mut Args, names: &[&str], func: ir::RuntimeFunc, span: Span) -> Result<Value> {
    let mut sets: Vec<ir::Expr> = Vec::new();
    for &name in names {
        let e = cx.required_expr(args, name)?;
        if !matches!(e.ty, Type::Set(_)) || sets.first().is_some_and(|first| first.ty != e.ty) {
            return Err(cx.typing(e.span, format!("expected a set of the first argument's type, got a `{}`", e.ty), None));
        }
        sets.push(e);
    }
    Ok(Value::Expr(ir::Expr::new(ExprKind::Runtime { func, args: sets }, Type::INT64, span)))
}

/// `store_value(d, i, value)`: the value converted to the dict's value type.
fn store_value(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let d = dict_arg(cx, args)?;
    let i = position_arg(cx, args)?;
    let value_ty = dict_types(&d.ty).expect("a dict").1.clone();
    let value = cx.required_expr(args, "value")?;
    let value = cx.converted_item(value, &value_ty, span)?;
    Ok(update(DictUpdate::Store, vec![d, i, value], span))
}

fn delete_at(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let d = dict_arg(cx, args)?;
    let i = position_arg(cx, args)?;
    Ok(update(DictUpdate::Delete, vec![d, i], span))
}

fn clear_all(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let d = dict_arg(cx, args)?;
    Ok(update(DictUpdate::Clear, vec![d], span))
}

/// `new_like(d)`: a new empty dict of `d`'s type.
fn new_like(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let d = dict_arg(cx, args)?;
    Ok(Value::Expr(dict_op(DictOp::New, vec![], d.ty.clone(), span)))
}

/// `candidate(d, h, n)`: the position of the `n`-th live entry of hash `h`, or -1.
fn candidate(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let d = dict_arg(cx, args)?;
    let mut ints = Vec::new();
    for name in ["h", "n"] {
        let e = cx.required_expr(args, name)?;
        if !e.ty.is_integer_like() {
            return Err(cx.typing(e.span, format!("expected an integer, got a `{}`", e.ty), None));
        }
        ints.push(cx.cast(e, &Type::INT64));
    }
    Ok(Value::Expr(dict_op(DictOp::Candidate, std::iter::once(d).chain(ints).collect(), Type::INT64, span)))
}

/// `insert_new(d, key, h)`: a new entry for `key` (not in `d`) of hash `h`, its position.
fn insert_new(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let d = dict_arg(cx, args)?;
    let key_ty = dict_types(&d.ty).expect("a dict").0.clone();
    let key = cx.required_expr(args, "key")?;
    if key.ty != key_ty {
        return Err(cx.typing(key.span, format!("a `{}` cannot be a key of a `{}`", key.ty, d.ty), None));
    }
    let h = cx.required_expr(args, "h")?;
    let h = cx.cast(h, &Type::INT64);
    Ok(Value::Expr(dict_op(DictOp::InsertNew, vec![d, key, h], Type::INT64, span)))
}

/// `same_key(a, b)`: whether two keys are one for a dict, as CPython's dicts and tuples decide
/// it: instances when the same object or equal by `==`, tuples item by item so, other values
/// by `==`.
fn same_key(cx: &mut FnInfer<'_>, args: &mut Args, span: Span) -> Result<Value> {
    let a = cx.required_expr(args, "a")?;
    let b = cx.required_expr(args, "b")?;
    cx.same_key_expr(a, b, span).map(Value::Expr)
}

impl FnInfer<'_> {
    fn same_key_expr(&mut self, a: ir::Expr, b: ir::Expr, span: Span) -> Result<ir::Expr> {
        let (a, b) = (self.plain_tuple(a), self.plain_tuple(b));
        match (&a.ty, &b.ty) {
            (Type::Instance(_), Type::Instance(_)) => {
                let (at, bt) = (self.temp(a.ty.clone()), self.temp(b.ty.clone()));
                let same = self.compare(CmpOp::Is, self.local_expr(at, span), self.local_expr(bt, span), span)?;
                let equal = self.compare(CmpOp::Eq, self.local_expr(at, span), self.local_expr(bt, span), span)?;
                let either = ir::Expr::new(ExprKind::Logical { and: false, lhs: same.boxed(), rhs: equal.boxed() }, Type::Bool, span);
                let inner = ir::Expr::new(ExprKind::Let { local: bt, value: b.boxed(), body: either.boxed() }, Type::Bool, span);
                Ok(ir::Expr::new(ExprKind::Let { local: at, value: a.boxed(), body: inner.boxed() }, Type::Bool, span))
            }
            (Type::Tuple(x), Type::Tuple(y)) if x.len() == y.len() => {
                let n = x.len();
                let (at, bt) = (self.temp(a.ty.clone()), self.temp(b.ty.clone()));
                let mut acc = ir::Expr::new(ExprKind::Const(Const::Bool(true)), Type::Bool, span);
                for i in (0..n).rev() {
                    let x = self.tuple_get(self.local_expr(at, span), i, span);
                    let y = self.tuple_get(self.local_expr(bt, span), i, span);
                    let same = self.same_key_expr(x, y, span)?;
                    acc = ir::Expr::new(ExprKind::Logical { and: true, lhs: same.boxed(), rhs: acc.boxed() }, Type::Bool, span);
                }
                let inner = ir::Expr::new(ExprKind::Let { local: bt, value: b.boxed(), body: acc.boxed() }, Type::Bool, span);
                Ok(ir::Expr::new(ExprKind::Let { local: at, value: a.boxed(), body: inner.boxed() }, Type::Bool, span))
            }
            _ => {
                let eq = self.compare(CmpOp::Eq, a, b, span)?;
                Ok(self.truth(eq))
            }
        }
    }
}
