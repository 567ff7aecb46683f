//! Renders a [`Function`] as indented text: the format of `FERROJIT_DUMP_IR=1` and of the golden
//! files. Every expression shows its type after a colon; locals print as `name.id`. Once the
//! ownership pass has run, the locals that own their values say so (`owned`, or `transfer` for
//! those holding an old value until its release).

use crate::*;
use std::fmt::Write;

pub fn print_function(f: &Function) -> String {
    let mut p = Printer { f, out: String::new() };
    let role = |i: LocalId| match &f.ownership {
        Some(o) if o.owned.contains(&i) => " owned",
        Some(o) if o.transfer.contains(&i) => " transfer",
        _ => "",
    };
    let params: Vec<String> = (0..f.num_params).map(|i| format!("{}: {}{}", p.local(i), f.locals[i].ty, role(i))).collect();
    let _ = writeln!(p.out, "fn {}({}) -> {}  # {}", f.name, params.join(", "), f.ret, f.symbol);
    for (i, local) in f.locals.iter().enumerate().skip(f.num_params) {
        let _ = writeln!(p.out, "  let {}: {}{}", p.local(i), local.ty, role(i));
    }
    p.block(&f.body, 1);
    p.out
}

struct Printer<'a> {
    f: &'a Function,
    out: String,
}

impl Printer<'_> {
    fn local(&self, id: LocalId) -> String {
        format!("{}.{}", self.f.locals[id].name, id)
    }

    fn line(&mut self, depth: usize, text: &str) {
        let _ = writeln!(self.out, "{}{}", "  ".repeat(depth), text);
    }

    fn block(&mut self, stmts: &[Stmt], depth: usize) {
        for s in stmts {
            self.stmt(s, depth);
        }
    }

    fn stmt(&mut self, s: &Stmt, depth: usize) {
        match &s.kind {
            StmtKind::Assign { local, value } => {
                let text = format!("{} = {}", self.local(*local), self.expr(value));
                self.line(depth, &text)
            }
            StmtKind::If { cond, then_body, else_body } => {
                let text = format!("if {}:", self.expr(cond));
                self.line(depth, &text);
                self.block(then_body, depth + 1);
                if !else_body.is_empty() {
                    self.line(depth, "else:");
                    self.block(else_body, depth + 1);
                }
            }
            StmtKind::Try { body, handlers, orelse, finalbody } => {
                self.line(depth, "try:");
                self.block(body, depth + 1);
                for h in handlers {
                    let text = match &h.kinds {
                        None => "except:".to_string(),
                        Some(kinds) => format!("except ({}):", kinds.iter().map(|k| k.name()).collect::<Vec<_>>().join(", ")),
                    };
                    self.line(depth, &text);
                    self.block(&h.body, depth + 1);
                }
                if !orelse.is_empty() {
                    self.line(depth, "else:");
                    self.block(orelse, depth + 1);
                }
                if !finalbody.is_empty() {
                    self.line(depth, "finally:");
                    self.block(finalbody, depth + 1);
                }
            }
            StmtKind::While { cond, body, orelse } => {
                let text = format!("while {}:", self.expr(cond));
                self.line(depth, &text);
                self.block(body, depth + 1);
                self.loop_else(orelse, depth);
            }
            StmtKind::ForRange { index, start, stop, step, body, orelse } => {
                let text = format!(
                    "for {} in range({}, {}, {}):",
                    self.local(*index),
                    self.expr(start),
                    self.expr(stop),
                    self.expr(step)
                );
                self.line(depth, &text);
                self.block(body, depth + 1);
                self.loop_else(orelse, depth);
            }
            StmtKind::Break => self.line(depth, "break"),
            StmtKind::Reraise => self.line(depth, "raise"),
            StmtKind::Release(local) => {
                let text = format!("release {}", self.local(*local));
                self.line(depth, &text)
            }
            StmtKind::Unbind(local) => {
                let text = format!("del {}", self.local(*local));
                self.line(depth, &text)
            }
            StmtKind::Continue => self.line(depth, "continue"),
            StmtKind::Return(e) => {
                let text = format!("return {}", self.expr(e));
                self.line(depth, &text)
            }
            StmtKind::Yield(e) => {
                let text = format!("yield {}", self.expr(e));
                self.line(depth, &text)
            }
            StmtKind::Raise { exc, msg } => {
                let text = format!("raise {}({:?})", exc.name(), msg.as_deref().unwrap_or(""));
                self.line(depth, &text)
            }
            StmtKind::Expr(e) => {
                let text = self.expr(e);
                self.line(depth, &text)
            }
            StmtKind::ArrayStore { array, indices, value } => {
                let text = format!("{}[{}] = {}", self.expr(array), self.exprs(indices), self.expr(value));
                self.line(depth, &text)
            }
            StmtKind::ArrayCopy { dst, src } => {
                let text = format!("copy {} into {}", self.expr(src), self.expr(dst));
                self.line(depth, &text)
            }
            StmtKind::ArrayMap { dst, operands, element, fresh } => {
                let into = if *fresh { "into new" } else { "into" };
                let text = format!("map ({}) -> {} {into} {}", self.exprs(operands), self.expr(element), self.expr(dst));
                self.line(depth, &text)
            }
            StmtKind::ArrayFill { array, value } => {
                let text = format!("fill {} with {}", self.expr(array), self.expr(value));
                self.line(depth, &text)
            }
            StmtKind::ListUpdate { op, args } => {
                let text = format!("list_{}({})", format!("{op:?}").to_lowercase(), self.exprs(args));
                self.line(depth, &text)
            }
            StmtKind::DictUpdate { op, args } => {
                let text = format!("dict_{}({})", format!("{op:?}").to_lowercase(), self.exprs(args));
                self.line(depth, &text)
            }
            StmtKind::SetField { object, field, value } => {
                let text = format!("set_field({}, {field}, {})", self.expr(object), self.expr(value));
                self.line(depth, &text)
            }
        }
    }

    fn loop_else(&mut self, orelse: &[Stmt], depth: usize) {
        if !orelse.is_empty() {
            self.line(depth, "else:");
            self.block(orelse, depth + 1);
        }
    }

    fn exprs(&self, es: &[Expr]) -> String {
        es.iter().map(|e| self.expr(e)).collect::<Vec<_>>().join(", ")
    }

    fn expr(&self, e: &Expr) -> String {
        let body = match &e.kind {
            ExprKind::List { op, args } => format!("list_{}({})", format!("{op:?}").to_lowercase(), self.exprs(args)),
            ExprKind::Dict { op, args } => format!("dict_{}({})", format!("{op:?}").to_lowercase(), self.exprs(args)),
            ExprKind::NewInstance => "new_instance()".to_string(),
            ExprKind::GetField { object, field } => format!("get_field({}, {field})", self.expr(object)),
            ExprKind::Const(c) => match c {
                Const::Int(v) => v.to_string(),
                Const::Float(v) => format!("{v:?}"),
                Const::Complex(re, im) => format!("({re:?}+{im:?}j)"),
                Const::Bool(b) => if *b { "True" } else { "False" }.to_string(),
                Const::None => "None".to_string(),
                Const::Array { shape, .. } => format!("<frozen array {shape:?}>"),
                Const::Str(text) => format!("{text:?}"),
            },
            ExprKind::Local(id) => self.local(*id),
            ExprKind::Cast(x) => format!("cast({})", self.expr(x)),
            ExprKind::Retain(x) => format!("retain({})", self.expr(x)),
            ExprKind::Resume(x) => format!("resume({})", self.expr(x)),
            ExprKind::ParallelFor { symbol, args, trip } => format!("parallel_for[{}] {}({})", self.expr(trip), symbol, self.exprs(args)),
            ExprKind::Binary { op, lhs, rhs } => format!("({} {:?} {})", self.expr(lhs), op, self.expr(rhs)),
            ExprKind::Unary { op, operand } => format!("{:?}({})", op, self.expr(operand)),
            ExprKind::Compare { op, lhs, rhs } => format!("({} {} {})", self.expr(lhs), op.symbol(), self.expr(rhs)),
            ExprKind::Truth(x) => format!("truth({})", self.expr(x)),
            ExprKind::Logical { and, lhs, rhs } => {
                format!("({} {} {})", self.expr(lhs), if *and { "and" } else { "or" }, self.expr(rhs))
            }
            ExprKind::IfExp { cond, then, otherwise } => {
                format!("({} if {} else {})", self.expr(then), self.expr(cond), self.expr(otherwise))
            }
            ExprKind::Tuple(items) => format!("({},)", self.exprs(items)),
            ExprKind::TupleGet(t, i) => format!("{}[{}]", self.expr(t), i),
            ExprKind::Call { symbol, args } => format!("call {}({})", symbol, self.exprs(args)),
            // Python's `math` version of a function that may raise is marked `python`.
            ExprKind::Math { func, args, checked } => {
                let python = *checked && func.python_errors != PythonErrors::Never;
                format!("{}math.{}({})", if python { "python " } else { "" }, func.name, self.exprs(args))
            }
            ExprKind::MakeComplex { re, im } => format!("complex({}, {})", self.expr(re), self.expr(im)),
            ExprKind::ComplexPart { value, imag } => format!("{}.{}", self.expr(value), if *imag { "imag" } else { "real" }),
            ExprKind::Runtime { func, args } => format!("runtime {}({})", func.symbol, self.exprs(args)),
            ExprKind::ArrayGet { array, indices } => format!("{}[{}]", self.expr(array), self.exprs(indices)),
            ExprKind::ArrayView { array, items } => {
                let items: Vec<String> = items
                    .iter()
                    .map(|i| match i {
                        IndexItem::Index(e) => self.expr(e),
                        IndexItem::NewAxis => "None".to_string(),
                        IndexItem::Slice { start, stop, step } => {
                            let part = |p: &Option<Expr>| p.as_ref().map(|e| self.expr(e)).unwrap_or_default();
                            format!("{}:{}:{}", part(start), part(stop), part(step))
                        }
                    })
                    .collect();
                format!("view {}[{}]", self.expr(array), items.join(", "))
            }
            ExprKind::Transpose { array, axes } => format!("{}.transpose{axes:?}", self.expr(array)),
            ExprKind::FieldView { array, offset } => format!("{}.field(+{offset})", self.expr(array)),
            ExprKind::ArrayNew { shape, zeroed: false } => format!("new({})", self.exprs(shape)),
            ExprKind::ArrayNew { shape, zeroed: true } => format!("zeros({})", self.exprs(shape)),
            ExprKind::Reshape { array, shape } => format!("reshape({}, ({}))", self.expr(array), self.exprs(shape)),
            ExprKind::MapReduce { op, operands, element } => format!("{op:?}(map ({}) -> {})", self.exprs(operands), self.expr(element)),
            ExprKind::MapElement(i) => format!("${i}"),
            ExprKind::CaughtException => "caught_exception".to_string(),
            ExprKind::CallPython { block, args } => format!("objmode_block{block}({})", self.exprs(args)),
            ExprKind::AxisReduce { op, array, axis, keepdims } => format!("{op:?}({}, axis={}{})", self.expr(array), self.expr(axis), if *keepdims { ", keepdims" } else { "" }),
            ExprKind::BroadcastShape(operands) => format!("broadcast_shape({})", self.exprs(operands)),
            ExprKind::Block { stmts, value } => {
                let mut inner = Printer { f: self.f, out: String::new() };
                inner.block(stmts, 2);
                format!("{{\n{}    }} => {}", inner.out, self.expr(value))
            }
            ExprKind::ArrayAttr { array, attr } => format!("{}.{:?}", self.expr(array), attr),
            ExprKind::Let { local, value, body } => {
                format!("(let {} = {} in {})", self.local(*local), self.expr(value), self.expr(body))
            }
            ExprKind::Print(items) => {
                let parts: Vec<String> = items
                    .iter()
                    .map(|i| match i {
                        PrintItem::Value(v) => self.expr(v),
                        PrintItem::Str(s) => format!("{s:?}"),
                    })
                    .collect();
                format!("print({})", parts.join(", "))
            }
        };
        format!("{body}: {}", e.ty)
    }
}
