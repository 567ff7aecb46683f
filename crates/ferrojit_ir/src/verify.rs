//! Checks the invariants listed in the crate docs. A failure is a bug in ferrojit (the stage
//! that built the IR), never a user error; the message names the offending node.
//!
//! Once the ownership pass has run, it also checks that every reference is accounted for:
//! - a value stored into an owned local (by assignment or `let`) or returned is owned: a new
//!   reference, a `Retain`, or a tuple, conditional or block of owned values;
//! - everywhere else a value of a heap type is borrowed: no new reference or `Retain` appears
//!   where nothing would release it;
//! - only owned and transfer locals are released, transfer locals are stored borrowed values
//!   (the old value of an owned local) and no other local of a heap type is stored to.

use crate::*;

/// Returns the first violated invariant, described for a ferrojit developer.
pub fn verify(f: &Function) -> Result<(), String> {
    let v = Verifier { f, map_elements: std::cell::RefCell::new(Vec::new()) };
    if f.num_params > f.locals.len() {
        return Err(format!("{} parameters but only {} locals", f.num_params, f.locals.len()));
    }
    v.block(&f.body, 0)?;
    match &f.ownership {
        Some(ownership) => Ownership { f, o: ownership }.block(&f.body),
        None => {
            let mut found = None;
            let mut note = |e: &Expr| {
                if matches!(e.kind, ExprKind::Retain(_)) {
                    found = Some(e.span);
                }
                false
            };
            let released = f.body.iter().any(|s| s.any_expr(&mut note, true) || has_release(s));
            match found {
                Some(span) => Err(format!("{span}: retain before the ownership pass")),
                None if released => Err("release before the ownership pass".to_string()),
                None => Ok(()),
            }
        }
    }
}

/// Whether `s` is or contains (in nested bodies) a `Release` statement.
fn has_release(s: &Stmt) -> bool {
    let any = |stmts: &[Stmt]| stmts.iter().any(has_release);
    match &s.kind {
        StmtKind::Release(_) => true,
        StmtKind::If { then_body, else_body, .. } => any(then_body) || any(else_body),
        StmtKind::While { body, orelse, .. } | StmtKind::ForRange { body, orelse, .. } => any(body) || any(orelse),
        StmtKind::Try { .. } => s.kind.blocks().into_iter().any(any),
        _ => false,
    }
}

/// What a position needs of a value of a heap type.
#[derive(Clone, Copy, PartialEq)]
enum Need {
    Owned,
    Borrowed,
}

/// The ownership checks (see the module documentation).
struct Ownership<'a> {
    f: &'a Function,
    o: &'a crate::Ownership,
}

impl Ownership<'_> {
    fn block(&self, stmts: &[Stmt]) -> Result<(), String> {
        stmts.iter().try_for_each(|s| self.stmt(s))
    }

    /// What a store into `local` needs of its value.
    fn store(&self, local: LocalId, value: &Expr, span: Span) -> Result<(), String> {
        if self.o.owned.contains(&local) {
            self.expr(value, Need::Owned)
        } else if self.o.transfer.contains(&local) || !self.f.locals[local].ty.holds_heap() {
            self.expr(value, Need::Borrowed)
        } else {
            Err(format!("{span}: store into {}.{local}, a local of a heap type that owns nothing", self.f.locals[local].name))
        }
    }

    fn stmt(&self, s: &Stmt) -> Result<(), String> {
        let borrowed = |e: &Expr| self.expr(e, Need::Borrowed);
        match &s.kind {
            StmtKind::Assign { local, value } => self.store(*local, value, s.span),
            StmtKind::Return(value) | StmtKind::Yield(value) => self.expr(value, Need::Owned),
            StmtKind::Expr(e) => borrowed(e),
            StmtKind::Release(local) => expect(self.o.owned.contains(local) || self.o.transfer.contains(local), || format!("{}: release of {}.{local}, which owns nothing", s.span, self.f.locals[*local].name)),
            StmtKind::Unbind(local) => Err(format!("{}: `del` of {}.{local} after the ownership pass", s.span, self.f.locals[*local].name)),
            StmtKind::If { cond, then_body, else_body } => {
                borrowed(cond)?;
                self.block(then_body)?;
                self.block(else_body)
            }
            StmtKind::While { cond, body, orelse } => {
                borrowed(cond)?;
                self.block(body)?;
                self.block(orelse)
            }
            StmtKind::Try { .. } => s.kind.blocks().into_iter().try_for_each(|b| self.block(b)),
            StmtKind::ForRange { start, stop, step, body, orelse, .. } => {
                [start, stop, step].into_iter().try_for_each(borrowed)?;
                self.block(body)?;
                self.block(orelse)
            }
            StmtKind::ArrayStore { array, indices, value } => std::iter::once(array).chain(indices).chain([value]).try_for_each(borrowed),
            StmtKind::ArrayFill { array, value } => [array, value].into_iter().try_for_each(borrowed),
            StmtKind::ArrayCopy { dst, src } => [dst, src].into_iter().try_for_each(borrowed),
            StmtKind::ArrayMap { dst, operands, element, .. } => std::iter::once(dst).chain(operands).chain([element]).try_for_each(borrowed),
            StmtKind::ListUpdate { args, .. } | StmtKind::DictUpdate { args, .. } => args.iter().enumerate().try_for_each(|(i, a)| {
                let owned = match &s.kind {
                    StmtKind::ListUpdate { op, .. } => op.owned_operand(),
                    StmtKind::DictUpdate { op, .. } => op.owned_operand(),
                    _ => None,
                };
                if owned == Some(i) {
                    self.expr(a, Need::Owned)
                } else {
                    borrowed(a)
                }
            }),
            StmtKind::SetField { object, value, .. } => {
                borrowed(object)?;
                self.expr(value, Need::Owned)
            }
            StmtKind::Break | StmtKind::Continue | StmtKind::Raise { .. } | StmtKind::Reraise => Ok(()),
        }
    }

    fn expr(&self, e: &Expr, need: Need) -> Result<(), String> {
        let heap = e.ty.holds_heap();
        let children = |need: Need| {
            let mut result = Ok(());
            e.for_each_child(&mut |c| {
                if result.is_ok() {
                    result = self.expr(c, need);
                }
            });
            result
        };
        if !heap {
            return match &e.kind {
                ExprKind::Block { stmts, value } => self.block(stmts).and_then(|_| self.expr(value, Need::Borrowed)),
                ExprKind::Let { local, value, body } => self.store(*local, value, e.span).and_then(|_| self.expr(body, Need::Borrowed)),
                _ => children(Need::Borrowed),
            };
        }
        match &e.kind {
            ExprKind::Retain(x) if need == Need::Owned => self.expr(x, Need::Borrowed),
            _ if e.makes_new_reference() && need == Need::Owned => children(Need::Borrowed),
            ExprKind::Retain(_) => Err(format!("{}: retained value where a borrowed one is needed: nothing would release it", e.span)),
            _ if e.makes_new_reference() => Err(format!("{}: new reference where a borrowed value is needed: nothing would release it", e.span)),
            ExprKind::Tuple(_) => children(need),
            ExprKind::IfExp { cond, then, otherwise } => {
                self.expr(cond, Need::Borrowed)?;
                self.expr(then, need)?;
                self.expr(otherwise, need)
            }
            ExprKind::Block { stmts, value } => {
                self.block(stmts)?;
                self.expr(value, need)
            }
            ExprKind::Let { local, value, body } => {
                self.store(*local, value, e.span)?;
                self.expr(body, need)
            }
            _ if need == Need::Owned => Err(format!("{}: borrowed value where an owned one is needed (stored or returned without a retain)", e.span)),
            _ => children(Need::Borrowed),
        }
    }
}

struct Verifier<'a> {
    f: &'a Function,
    /// The element types of the operands of the element-wise maps being checked, innermost
    /// last: what `MapElement(i)` must have.
    map_elements: std::cell::RefCell<Vec<Vec<Type>>>,
}

/// The type of an operand's element inside a map: an array's dtype, or a scalar itself.
fn element_type(operand: &Expr) -> Type {
    match &operand.ty {
        Type::Array(a) => (*a.dtype).clone(),
        other => other.clone(),
    }
}

fn expect(cond: bool, what: impl FnOnce() -> String) -> Result<(), String> {
    if cond {
        Ok(())
    } else {
        Err(what())
    }
}

impl Verifier<'_> {
    fn local_ty(&self, id: LocalId, span: Span) -> Result<&Type, String> {
        self.f.locals.get(id).map(|l| &l.ty).ok_or_else(|| format!("{span}: local {id} out of range"))
    }

    fn block(&self, stmts: &[Stmt], loop_depth: usize) -> Result<(), String> {
        stmts.iter().try_for_each(|s| self.stmt(s, loop_depth))
    }

    fn cond(&self, e: &Expr) -> Result<(), String> {
        self.expr(e)?;
        expect(e.ty == Type::Bool, || format!("{}: condition has type {}, expected bool", e.span, e.ty))
    }

    fn stmt(&self, s: &Stmt, loop_depth: usize) -> Result<(), String> {
        match &s.kind {
            StmtKind::Assign { local, value } => {
                self.expr(value)?;
                let ty = self.local_ty(*local, s.span)?;
                expect(&value.ty == ty, || format!("{}: assigning {} to local of type {}", s.span, value.ty, ty))
            }
            StmtKind::If { cond, then_body, else_body } => {
                self.cond(cond)?;
                self.block(then_body, loop_depth)?;
                self.block(else_body, loop_depth)
            }
            StmtKind::While { cond, body, orelse } => {
                self.cond(cond)?;
                self.block(body, loop_depth + 1)?;
                self.block(orelse, loop_depth)
            }
            StmtKind::Try { .. } => s.kind.blocks().into_iter().try_for_each(|b| self.block(b, loop_depth)),
            StmtKind::ForRange { index, start, stop, step, body, orelse } => {
                expect(self.local_ty(*index, s.span)? == &Type::INT64, || format!("{}: range index is not int64", s.span))?;
                for bound in [start, stop, step] {
                    self.expr(bound)?;
                    expect(bound.ty == Type::INT64, || format!("{}: range bound has type {}", bound.span, bound.ty))?;
                }
                self.block(body, loop_depth + 1)?;
                self.block(orelse, loop_depth)
            }
            StmtKind::Break | StmtKind::Continue => {
                expect(loop_depth > 0, || format!("{}: break/continue outside a loop", s.span))
            }
            StmtKind::Return(e) if self.f.yields().is_some() => {
                self.expr(e)?;
                expect(e.ty == Type::NoneType, || format!("{}: returning {} from a generator function", s.span, e.ty))
            }
            StmtKind::Return(e) => {
                self.expr(e)?;
                expect(e.ty == self.f.ret, || format!("{}: returning {} from a function returning {}", s.span, e.ty, self.f.ret))
            }
            StmtKind::Yield(e) => {
                self.expr(e)?;
                match self.f.yields() {
                    Some(ty) => expect(&e.ty == ty, || format!("{}: yielding {} from a generator of {}", s.span, e.ty, ty)),
                    None => Err(format!("{}: yield in a function that is not a generator", s.span)),
                }
            }
            StmtKind::Raise { .. } | StmtKind::Reraise => Ok(()),
            StmtKind::Release(local) | StmtKind::Unbind(local) => self.local_ty(*local, s.span).map(|_| ()),
            StmtKind::Expr(e) => self.expr(e),
            StmtKind::ArrayStore { array, indices, value } => {
                let a = self.array(array)?;
                expect(indices.len() == a.ndim as usize, || format!("{}: {} indices for {}", s.span, indices.len(), array.ty))?;
                self.int_indices(indices)?;
                self.expr(value)?;
                expect(value.ty == *a.dtype, || format!("{}: storing {} into {}", s.span, value.ty, array.ty))
            }
            StmtKind::ArrayCopy { dst, src } => {
                let d = self.array(dst)?;
                let s2 = self.array(src)?;
                expect(d.ndim == s2.ndim, || format!("{}: copying {} into {}", s.span, src.ty, dst.ty))
            }
            StmtKind::ArrayMap { dst, operands, element, .. } => {
                let d = self.array(dst)?;
                self.map(operands, element)?;
                let fits = operands.iter().all(|o| !matches!(&o.ty, Type::Array(a) if a.ndim > d.ndim));
                expect(fits, || format!("{}: an operand has more dimensions than {}", s.span, dst.ty))?;
                expect(element.ty == *d.dtype, || format!("{}: storing elements of {} into {}", s.span, element.ty, dst.ty))
            }
            StmtKind::ListUpdate { op, args } => {
                args.iter().try_for_each(|a| self.expr(a))?;
                let item = list_item(&args[0])?;
                let ints = match op {
                    ListUpdate::Store => {
                        expect(args.len() == 3 && args[2].ty == *item, || format!("{}: storing {} into {}", s.span, args[2].ty, args[0].ty))?;
                        &args[1..2]
                    }
                    ListUpdate::Splice => {
                        expect(args.len() == 4, || format!("{}: a splice takes 4 operands", s.span))?;
                        &args[1..]
                    }
                };
                expect(ints.iter().all(|i| i.ty == Type::INT64), || format!("{}: list positions must be int64", s.span))
            }
            StmtKind::SetField { object, field, value } => {
                self.expr(object)?;
                self.expr(value)?;
                let field_ty = instance_field(object, *field)?;
                expect(value.ty == field_ty, || format!("{}: storing {} into field {field} of {}", s.span, value.ty, object.ty))
            }
            StmtKind::DictUpdate { op, args } => {
                args.iter().try_for_each(|a| self.expr(a))?;
                let (_, value) = dict_types(&args[0])?;
                let ok = match op {
                    DictUpdate::Store => args.len() == 3 && args[1].ty == Type::INT64 && args[2].ty == *value,
                    DictUpdate::Delete => args.len() == 2 && args[1].ty == Type::INT64,
                    DictUpdate::Clear => args.len() == 1,
                };
                expect(ok, || format!("{}: ill-typed dict update {op:?}", s.span))
            }
            StmtKind::ArrayFill { array, value } => {
                let a = self.array(array)?;
                self.expr(value)?;
                // Records are filled field by field with one number.
                let fits = value.ty == *a.dtype || (matches!(*a.dtype, Type::Record(_)) && value.ty.is_number());
                expect(fits, || format!("{}: filling {} with {}", s.span, array.ty, value.ty))
            }
        }
    }

    /// Checks a map's operands, then its element expression with their element types.
    fn map(&self, operands: &[Expr], element: &Expr) -> Result<(), String> {
        operands.iter().try_for_each(|o| self.expr(o))?;
        self.map_elements.borrow_mut().push(operands.iter().map(element_type).collect());
        let checked = self.expr(element);
        self.map_elements.borrow_mut().pop();
        checked
    }

    fn array<'e>(&self, e: &'e Expr) -> Result<&'e ferrojit_types::ArrayType, String> {
        self.expr(e)?;
        match &e.ty {
            Type::Array(a) => Ok(a),
            other => Err(format!("{}: expected an array, got {}", e.span, other)),
        }
    }

    fn int_indices(&self, indices: &[Expr]) -> Result<(), String> {
        for i in indices {
            self.expr(i)?;
            expect(i.ty == Type::INT64, || format!("{}: index has type {}", i.span, i.ty))?;
        }
        Ok(())
    }

    fn expr(&self, e: &Expr) -> Result<(), String> {
        let mismatch = |what: &str, got: &Type| format!("{}: {} has type {}, node has {}", e.span, what, got, e.ty);
        match &e.kind {
            ExprKind::Const(c) => {
                let ok = match c {
                    // A datetime64/timedelta64 constant is its int64 count.
                    Const::Int(_) => e.ty.is_integer_like() || matches!(e.ty, Type::Datetime(_) | Type::Timedelta(_)),
                    Const::Float(_) => matches!(e.ty, Type::Float(_)),
                    Const::Complex(..) => matches!(e.ty, Type::Complex(_)),
                    Const::Bool(_) => e.ty == Type::Bool,
                    // A `None` optional is zeroed.
                    // A jitclass as a value holds nothing.
                    Const::None => matches!(e.ty, Type::NoneType | Type::NotImplemented | Type::Optional(_) | Type::Class(_)),
                    Const::Array { shape, .. } => matches!(&e.ty, Type::Array(a) if a.ndim as usize == shape.len()),
                    Const::Str(_) => matches!(e.ty, Type::Str | Type::Bytes),
                };
                expect(ok, || format!("{}: constant {:?} typed {}", e.span, c, e.ty))
            }
            ExprKind::Local(id) => {
                let ty = self.local_ty(*id, e.span)?;
                expect(ty == &e.ty, || mismatch("local", ty))
            }
            ExprKind::List { op, args } => {
                args.iter().try_for_each(|a| self.expr(a))?;
                let ints = |es: &[Expr]| es.iter().all(|i| i.ty == Type::INT64);
                let ok = match op {
                    ListOp::New => args.len() == 1 && ints(args) && matches!(e.ty, Type::List(_)),
                    ListOp::Len => args.len() == 1 && list_item(&args[0]).is_ok() && e.ty == Type::INT64,
                    ListOp::Get => args.len() == 2 && ints(&args[1..]) && list_item(&args[0]).is_ok_and(|item| *item == e.ty),
                };
                expect(ok, || format!("{}: ill-typed list operation {op:?} of type {}", e.span, e.ty))
            }
            ExprKind::NewInstance => expect(matches!(e.ty, Type::Instance(_)), || format!("{}: a new instance typed {}", e.span, e.ty)),
            ExprKind::GetField { object, field } => {
                self.expr(object)?;
                let field_ty = instance_field(object, *field)?;
                expect(field_ty == e.ty, || mismatch("field", &field_ty))
            }
            ExprKind::Dict { op, args } => {
                args.iter().try_for_each(|a| self.expr(a))?;
                let pos = |i: usize| args.get(i).is_some_and(|a| a.ty == Type::INT64);
                let ok = match op {
                    DictOp::New => args.is_empty() && matches!(e.ty, Type::Dict(..) | Type::Set(_)),
                    _ if args.is_empty() => false,
                    DictOp::Len => args.len() == 1 && e.ty == Type::INT64,
                    // A set's key comes with its hash (see `DictOp::Find`).
                    DictOp::Find | DictOp::Insert => {
                        let arity = if matches!(args[0].ty, Type::Set(_)) { 3 } else { 2 };
                        args.len() == arity && dict_types(&args[0]).is_ok_and(|(k, _)| *k == args[1].ty) && (arity == 2 || pos(2)) && e.ty == Type::INT64
                    }
                    DictOp::Key => args.len() == 2 && pos(1) && dict_types(&args[0]).is_ok_and(|(k, _)| *k == e.ty),
                    DictOp::Value => args.len() == 2 && pos(1) && dict_types(&args[0]).is_ok_and(|(_, v)| *v == e.ty),
                    DictOp::Next => args.len() == 2 && pos(1) && e.ty == Type::INT64,
                    DictOp::Candidate => args.len() == 3 && pos(1) && pos(2) && e.ty == Type::INT64,
                    DictOp::InsertNew => args.len() == 3 && dict_types(&args[0]).is_ok_and(|(k, _)| *k == args[1].ty) && pos(2) && e.ty == Type::INT64,
                };
                expect(ok, || format!("{}: ill-typed dict operation {op:?} of type {}", e.span, e.ty))
            }
            ExprKind::Cast(x) => self.expr(x),
            ExprKind::Retain(x) => {
                self.expr(x)?;
                expect(x.ty == e.ty && e.ty.holds_heap(), || mismatch("retained value", &x.ty))
            }
            ExprKind::ParallelFor { args, trip, .. } => {
                self.expr(trip)?;
                args.iter().try_for_each(|a| self.expr(a))?;
                expect(trip.ty == Type::INT64 && matches!(e.ty, Type::List(_)), || mismatch("parallel loop", &e.ty))
            }
            ExprKind::Resume(g) => {
                self.expr(g)?;
                match &g.ty {
                    Type::Generator(gt) => expect(e.ty == Type::Tuple(vec![Type::Bool, gt.yield_ty.clone()]), || mismatch("resumed generator", &g.ty)),
                    other => Err(mismatch("resumed value (not a generator)", other)),
                }
            }
            ExprKind::Binary { op, lhs, rhs } => {
                self.expr(lhs)?;
                self.expr(rhs)?;
                expect(lhs.ty == e.ty, || mismatch("left operand", &lhs.ty))?;
                let int_exponent = *op == BinaryOp::Pow && matches!(rhs.ty, Type::Int(_));
                let shift = matches!(op, BinaryOp::LShift | BinaryOp::RShift);
                expect(rhs.ty == e.ty || int_exponent || shift, || mismatch("right operand", &rhs.ty))
            }
            ExprKind::Unary { op, operand } => {
                self.expr(operand)?;
                match op {
                    UnaryOp::Not => expect(operand.ty == Type::Bool && e.ty == Type::Bool, || mismatch("`not` operand", &operand.ty)),
                    UnaryOp::Abs if matches!(operand.ty, Type::Complex(_)) => Ok(()),
                    _ => expect(operand.ty == e.ty, || mismatch("operand", &operand.ty)),
                }
            }
            ExprKind::Compare { lhs, rhs, .. } => {
                self.expr(lhs)?;
                self.expr(rhs)?;
                expect(lhs.ty == rhs.ty, || mismatch("compared operands", &rhs.ty))?;
                expect(e.ty == Type::Bool, || mismatch("comparison", &e.ty))
            }
            ExprKind::Truth(x) => {
                self.expr(x)?;
                expect(e.ty == Type::Bool, || mismatch("truth", &e.ty))
            }
            ExprKind::Logical { lhs, rhs, .. } => {
                self.expr(lhs)?;
                self.expr(rhs)?;
                expect(lhs.ty == e.ty && rhs.ty == e.ty, || mismatch("logical operand", &lhs.ty))
            }
            ExprKind::IfExp { cond, then, otherwise } => {
                self.cond(cond)?;
                self.expr(then)?;
                self.expr(otherwise)?;
                expect(then.ty == e.ty && otherwise.ty == e.ty, || mismatch("branch", &then.ty))
            }
            ExprKind::Tuple(items) => {
                items.iter().try_for_each(|i| self.expr(i))?;
                let tys: Vec<Type> = items.iter().map(|i| i.ty.clone()).collect();
                // A function value is built as the tuple of its captures, a named tuple as the
                // tuple of its items.
                let laid_out = match &e.ty {
                    Type::Function(f) => f.layout(),
                    Type::NamedTuple(n) => n.layout(),
                    Type::Optional(inner) => Type::optional_layout(inner),
                    // An exception made in compiled code (`raise X from E(...)`).
                    Type::Exception => Type::exception_layout(),
                    other => other.clone(),
                };
                expect(laid_out == Type::Tuple(tys), || format!("{}: tuple node typed {}", e.span, e.ty))
            }
            ExprKind::TupleGet(t, i) => {
                self.expr(t)?;
                match &t.ty {
                    Type::Tuple(items) if *i < items.len() => expect(items[*i] == e.ty, || mismatch("tuple item", &items[*i])),
                    Type::NamedTuple(n) if *i < n.items.len() => expect(n.items[*i] == e.ty, || mismatch("named tuple item", &n.items[*i])),
                    Type::Function(f) if *i < f.captures.len() => expect(f.captures[*i] == e.ty, || mismatch("captured value", &f.captures[*i])),
                    Type::Optional(inner) if *i < 2 => expect(if *i == 0 { e.ty == Type::Bool } else { e.ty == **inner }, || mismatch("optional part", &t.ty)),
                    Type::Exception | Type::ExceptionArgs if *i < 2 => expect(e.ty == [Type::INT64, Type::Str][*i], || mismatch("exception part", &t.ty)),
                    other => Err(format!("{}: indexing {} at {}", e.span, other, i)),
                }
            }
            ExprKind::MakeComplex { re, im } => {
                self.expr(re)?;
                self.expr(im)?;
                match &e.ty {
                    Type::Complex(f) => expect(re.ty == Type::Float(*f) && im.ty == Type::Float(*f), || mismatch("complex part", &re.ty)),
                    other => Err(mismatch("complex constructor", other)),
                }
            }
            ExprKind::ComplexPart { value, .. } => {
                self.expr(value)?;
                match &value.ty {
                    Type::Complex(f) => expect(e.ty == Type::Float(*f), || mismatch("complex part", &e.ty)),
                    // A view of one part of each element of a complex array.
                    Type::Array(a) => match (&*a.dtype, &e.ty) {
                        (Type::Complex(f), Type::Array(v)) => expect(*v.dtype == Type::Float(*f) && v.ndim == a.ndim, || mismatch("complex part view", &e.ty)),
                        _ => Err(mismatch("complex part of an array", &e.ty)),
                    },
                    other => Err(mismatch("complex operand", other)),
                }
            }
            ExprKind::Call { args, .. } | ExprKind::Math { args, .. } | ExprKind::Runtime { args, .. } => args.iter().try_for_each(|a| self.expr(a)),
            ExprKind::ArrayGet { array, indices } => {
                let a = self.array(array)?;
                expect(indices.len() == a.ndim as usize, || format!("{}: {} indices for {}", e.span, indices.len(), array.ty))?;
                self.int_indices(indices)?;
                expect(e.ty == *a.dtype, || mismatch("element", &a.dtype))
            }
            ExprKind::ArrayView { array, items } => {
                let a = self.array(array)?;
                expect(items.len() - items.iter().filter(|i| matches!(i, IndexItem::NewAxis)).count() <= a.ndim as usize, || format!("{}: too many indices for {}", e.span, array.ty))?;
                let dropped = items.iter().filter(|i| matches!(i, IndexItem::Index(_))).count();
                let added = items.iter().filter(|i| matches!(i, IndexItem::NewAxis)).count();
                for item in items {
                    match item {
                        IndexItem::Index(i) => self.int_indices(std::slice::from_ref(i))?,
                        IndexItem::NewAxis => {}
                        IndexItem::Slice { start, stop, step } => {
                            for part in [start, stop, step].into_iter().flatten() {
                                self.int_indices(std::slice::from_ref(part))?;
                            }
                        }
                    }
                }
                match &e.ty {
                    Type::Array(v) => expect(v.ndim as usize + dropped == a.ndim as usize + added && v.dtype == a.dtype, || mismatch("view", &e.ty)),
                    other => Err(mismatch("view", other)),
                }
            }
            ExprKind::Transpose { array, axes } => {
                let at = self.array(array)?;
                let mut sorted = axes.clone();
                sorted.sort_unstable();
                expect(sorted.iter().copied().eq(0..at.ndim), || format!("{}: transpose axes {axes:?} are no permutation of {} dimensions", e.span, at.ndim))?;
                match &e.ty {
                    // The same dtype, or one of the same item size (`a.view(dtype)`).
                    Type::Array(t) => expect(t.ndim == at.ndim && t.dtype.itemsize() == at.dtype.itemsize(), || mismatch("transpose", &e.ty)),
                    other => Err(mismatch("transpose", other)),
                }
            }
            ExprKind::FieldView { array, offset } => {
                let at = self.array(array)?;
                let Type::Record(record) = &*at.dtype else { return Err(mismatch("field view of a non-record array", &array.ty)) };
                match &e.ty {
                    Type::Array(t) => expect(
                        t.ndim == at.ndim && record.fields.iter().any(|f| f.offset == *offset && f.ty == *t.dtype),
                        || mismatch("field view", &e.ty),
                    ),
                    other => Err(mismatch("field view", other)),
                }
            }
            ExprKind::ArrayAttr { array, .. } => self.array(array).map(|_| ()),
            ExprKind::ArrayNew { shape, .. } => {
                self.int_indices(shape)?;
                expect(matches!(&e.ty, Type::Array(a) if a.ndim as usize == shape.len()), || mismatch("new array", &e.ty))
            }
            ExprKind::Reshape { array, shape } => {
                self.array(array)?;
                self.int_indices(shape)?;
                expect(matches!(&e.ty, Type::Array(a) if a.ndim as usize == shape.len()), || mismatch("reshape", &e.ty))
            }
            ExprKind::MapReduce { operands, element, .. } => {
                self.map(operands, element)?;
                expect(operands.iter().any(|o| matches!(o.ty, Type::Array(_))), || format!("{}: a reduction over no array", e.span))
            }
            ExprKind::AxisReduce { array, axis, keepdims, .. } => {
                let a = self.array(array)?;
                self.int_indices(std::slice::from_ref(axis))?;
                let ndim = if *keepdims { a.ndim } else { a.ndim.wrapping_sub(1) };
                expect(a.ndim >= 1 && matches!(&e.ty, Type::Array(r) if r.ndim == ndim), || mismatch("axis reduction", &e.ty))
            }
            ExprKind::CallPython { args, .. } => {
                args.iter().try_for_each(|a| self.expr(a))?;
                expect(matches!(e.ty, Type::Tuple(_)), || mismatch("object mode block", &e.ty))
            }
            ExprKind::CaughtException => expect(e.ty == Type::Exception, || mismatch("caught exception", &e.ty)),
            ExprKind::MapElement(i) => {
                let stack = self.map_elements.borrow();
                match stack.last().and_then(|types| types.get(*i)) {
                    Some(ty) => expect(*ty == e.ty, || mismatch("map element", ty)),
                    None => Err(format!("{}: map element {i} outside a map with that many operands", e.span)),
                }
            }
            ExprKind::BroadcastShape(operands) => {
                let mut ndim = 0;
                for o in operands {
                    ndim = ndim.max(self.array(o)?.ndim as usize);
                }
                expect(e.ty == Type::Tuple(vec![Type::INT64; ndim]), || mismatch("broadcast shape", &e.ty))
            }
            ExprKind::Block { stmts, value } => {
                self.block(stmts, 0)?;
                self.expr(value)?;
                expect(value.ty == e.ty, || mismatch("block value", &value.ty))
            }
            ExprKind::Let { local, value, body } => {
                self.expr(value)?;
                self.expr(body)?;
                let ty = self.local_ty(*local, e.span)?;
                expect(&value.ty == ty, || mismatch("let value", &value.ty))?;
                expect(body.ty == e.ty, || mismatch("let body", &body.ty))
            }
            ExprKind::Print(items) => items.iter().try_for_each(|i| match i {
                PrintItem::Value(v) => self.expr(v),
                PrintItem::Str(_) => Ok(()),
            }),
        }
    }
}

/// The item type of a list operand.
/// The type of field `field` of a jitclass instance operand.
fn instance_field(object: &Expr, field: usize) -> Result<Type, String> {
    match &object.ty {
        Type::Instance(c) => c.field_at(field).map(|(_, t)| t).ok_or_else(|| format!("{}: {} has no field {field}", object.span, object.ty)),
        other => Err(format!("{}: expected a jitclass instance, got {}", object.span, other)),
    }
}

fn list_item(list: &Expr) -> Result<&Type, String> {
    match &list.ty {
        Type::List(item) => Ok(item),
        other => Err(format!("{}: expected a list, got {}", list.span, other)),
    }
}

/// The key and value types of a dict operand.
fn dict_types(dict: &Expr) -> Result<(&Type, &Type), String> {
    match &dict.ty {
        Type::Dict(key, value) => Ok((key, value)),
        // A set is a table of keys without values.
        Type::Set(key) => Ok((key, &Type::NoneType)),
        other => Err(format!("{}: expected a dict, got {}", dict.span, other)),
    }
}
