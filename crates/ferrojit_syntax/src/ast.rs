//! The AST subset ferrojit compiles. Every node carries the [`Span`] of the user's source it came
//! from, in file coordinates (1-based lines of the user's file, 1-based columns).
//!
//! The subset is deliberately smaller than Python's: constructs that the compiler cannot handle
//! are rejected by [`crate::parse_function`] with an [`crate::SyntaxError`] pointing at them, so
//! later stages never see them.

use std::fmt;

/// A region of the user's source file. Lines and columns are 1-based; `end_col` is exclusive.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub line: u32,
    pub col: u32,
    pub end_line: u32,
    pub end_col: u32,
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// The base of the hidden variable a `yield from` loop binds each item to (`yield_from'N`,
/// see `FunctionDef::hidden_locals`): its `yield` is known by it (a generator suspended there
/// delegates to another iterator).
pub const YIELD_FROM_ITEM: &str = "yield_from";

/// One parsed `def`, with decorators dropped (they were already applied by Python).
#[derive(Clone, Debug)]
pub struct FunctionDef {
    pub name: String,
    pub params: Vec<Param>,
    pub body: Vec<Stmt>,
    pub span: Span,
    /// Local names the syntax stage made up: each comprehension's variables (renamed, Python
    /// giving a comprehension a scope of its own) and the list it builds. Not valid Python
    /// names (they hold a `'`), so no user name can clash with them.
    pub hidden_locals: Vec<String>,
}

impl Drop for FunctionDef {
    /// The body is dropped recursively, as deep as the code nests: on a deep stack, whatever
    /// thread drops the definition.
    fn drop(&mut self) {
        let body = std::mem::take(&mut self.body);
        if !body.is_empty() {
            crate::on_deep_stack(move || drop(body));
        }
    }
}

#[derive(Clone, Debug)]
pub struct Param {
    pub name: String,
    pub span: Span,
    /// How a call binds it. A definition's parameters are in Python's order: positional ones,
    /// then `*args`, keyword-only ones, `**kwargs`; the compiled function takes one argument
    /// per parameter (`*args` a tuple, `**kwargs` a dict from names to values).
    pub kind: ParamKind,
    /// The default of a parameter of an inner function or a lambda, evaluated where the
    /// function is defined. `None` for the compiled function itself, whose defaults Python has
    /// already evaluated (the compiler reads them from the function object).
    pub default: Option<Expr>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ParamKind {
    /// Passed by position or by keyword (a positional-only one, before `/`, too: compiled
    /// callers bind it as Python does, and Python binds calls from Python).
    #[default]
    Positional,
    /// `*args`: the extra positional arguments, as a tuple.
    VarPositional,
    /// After `*` or `*args`: passed by keyword only.
    KeywordOnly,
    /// `**kwargs`: the extra keyword arguments, as a dict from their names to their values.
    VarKeyword,
}

#[derive(Clone, Debug)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum StmtKind {
    /// `a = b = value`: every target receives the same value.
    Assign { targets: Vec<Expr>, value: Expr },
    AugAssign { target: Expr, op: BinOp, value: Expr },
    /// `if`/`elif` chains are nested: an `elif` is an `If` alone in `orelse`.
    If { test: Expr, body: Vec<Stmt>, orelse: Vec<Stmt> },
    While { test: Expr, body: Vec<Stmt>, orelse: Vec<Stmt> },
    For { target: Expr, iter: Expr, body: Vec<Stmt>, orelse: Vec<Stmt> },
    Break,
    Continue,
    Return(Option<Expr>),
    Pass,
    Assert { test: Expr, msg: Option<Expr> },
    /// `del a[i], b[i:j]`: the targets in order.
    Delete(Vec<Expr>),
    /// `raise` with an expression.
    Raise(Expr),
    /// `raise exc from cause`, `cause` an exception caught (`except E as cause`).
    RaiseFrom { exc: Expr, cause: Expr },
    /// A bare `raise`: raises again the exception being handled.
    Reraise,
    Expr(Expr),
    /// `def` inside the compiled function: binds its name to a function value that holds the
    /// enclosing variables it reads (a closure).
    FunctionDef(Box<FunctionDef>),
    /// `nonlocal a, b` in an inner function: the names are the enclosing function's variables.
    Nonlocal(Vec<String>),
    /// `yield value` (`yield` alone yields `None`) as a statement: the function is a generator
    /// (see [`contains_yield`]). The value of a `yield` expression (what `send` passes) is not
    /// supported, so `yield` appears only as a statement.
    /// `yield from iterable` is the loop `for <hidden> in iterable: yield <hidden>`.
    Yield(Option<Expr>),
    /// `try:` with `except` clauses, tried in order, `else:` (which runs when the body raised
    /// nothing) and `finally:` (which runs however the rest ends); each part may be empty.
    Try { body: Vec<Stmt>, handlers: Vec<ExceptHandler>, orelse: Vec<Stmt>, finalbody: Vec<Stmt> },
    /// `with objmode(name='type', ...):` (Numba's object mode): the body is not compiled but
    /// runs as ordinary Python, and hands back the variables named, converted to their types.
    ObjMode(Box<ObjModeBlock>),
}

/// The block of a `with objmode(...)` statement (see [`StmtKind::ObjMode`]).
#[derive(Clone, Debug)]
pub struct ObjModeBlock {
    /// The variables the block gives back, each with its type as written (`'float64[:]'`)
    /// and where.
    pub outputs: Vec<(String, String, Span)>,
    /// The names the body reads (loads), in order of first use: those that are variables of
    /// the compiled function are passed to it.
    pub reads: Vec<String>,
    /// The body's text, its lines whole (indentation included), and the line it starts on.
    pub body: String,
    pub first_line: u32,
}

/// An `except` clause: `typ` is the class or tuple of classes caught (`None`: a bare
/// `except:`, which catches everything); `name` the variable of `except E as name`, bound to
/// the exception while the clause runs and deleted after it.
#[derive(Clone, Debug)]
pub struct ExceptHandler {
    pub typ: Option<Expr>,
    pub name: Option<String>,
    pub body: Vec<Stmt>,
    pub span: Span,
}

impl StmtKind {
    /// The statement blocks nested in this statement (bodies, `else` blocks, `except`
    /// clauses), in source order; none for simple statements.
    pub fn blocks(&self) -> Vec<&[Stmt]> {
        match self {
            StmtKind::If { body, orelse, .. } | StmtKind::While { body, orelse, .. } | StmtKind::For { body, orelse, .. } => vec![body, orelse],
            StmtKind::Try { body, handlers, orelse, finalbody } => {
                let mut blocks: Vec<&[Stmt]> = vec![body];
                blocks.extend(handlers.iter().map(|h| h.body.as_slice()));
                blocks.push(orelse);
                blocks.push(finalbody);
                blocks
            }
            _ => Vec::new(),
        }
    }

    /// This statement with each nested block (see [`StmtKind::blocks`]) replaced by what `f`
    /// makes of it, in the same order.
    pub fn with_blocks<E>(&self, mut f: impl FnMut(&[Stmt]) -> Result<Vec<Stmt>, E>) -> Result<StmtKind, E> {
        Ok(match self {
            StmtKind::If { test, body, orelse } => StmtKind::If { test: test.clone(), body: f(body)?, orelse: f(orelse)? },
            StmtKind::While { test, body, orelse } => StmtKind::While { test: test.clone(), body: f(body)?, orelse: f(orelse)? },
            StmtKind::For { target, iter, body, orelse } => StmtKind::For { target: target.clone(), iter: iter.clone(), body: f(body)?, orelse: f(orelse)? },
            StmtKind::Try { body, handlers, orelse, finalbody } => {
                let body = f(body)?;
                let handlers = handlers.iter().map(|h| Ok(ExceptHandler { typ: h.typ.clone(), name: h.name.clone(), body: f(&h.body)?, span: h.span })).collect::<Result<_, E>>()?;
                StmtKind::Try { body, handlers, orelse: f(orelse)?, finalbody: f(finalbody)? }
            }
            other => other.clone(),
        })
    }
}

/// Whether `stmts` (a function's body) yield, making the function a generator: a `yield`
/// anywhere in them, not inside inner functions (which are generators of their own).
/// Whether `pred` holds for `stmt` or a statement nested in its blocks, at any depth (not in
/// inner functions, which are not blocks).
pub fn any_stmt(stmt: &Stmt, pred: &mut dyn FnMut(&Stmt) -> bool) -> bool {
    pred(stmt) || stmt.kind.blocks().into_iter().flatten().any(|s| any_stmt(s, pred))
}

pub fn contains_yield(stmts: &[Stmt]) -> bool {
    stmts.iter().any(|s| match &s.kind {
        StmtKind::Yield(_) => true,
        kind => kind.blocks().into_iter().any(contains_yield),
    })
}

#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum ExprKind {
    /// An integer literal. Literals that do not fit in 64 bits are rejected by the parser stage;
    /// `u64` covers Python literals from 0 to 2**64-1 (negation is a separate unary node).
    Int(u64),
    Float(f64),
    /// An imaginary literal `2j` (Python has no complex literal with a real part).
    Imag(f64),
    Bool(bool),
    None,
    /// `...` (`Ellipsis`): in an array subscript, as many whole dimensions as the other
    /// items leave.
    Ellipsis,
    Str(String),
    /// A bytes literal `b"..."`.
    Bytes(Vec<u8>),
    Name(String),
    Attribute { value: Box<Expr>, attr: String },
    Subscript { value: Box<Expr>, index: Box<Expr> },
    Slice { lower: Option<Box<Expr>>, upper: Option<Box<Expr>>, step: Option<Box<Expr>> },
    Tuple(Vec<Expr>),
    /// A list display `[a, b, c]` (comprehensions are separate).
    List(Vec<Expr>),
    /// A set display `{a, b, c}`.
    Set(Vec<Expr>),
    /// `{elt for target in iter if cond ...}`, built in the hidden local `result` as a list
    /// comprehension is.
    SetComp { elt: Box<Expr>, generators: Vec<Comprehension>, result: String },
    /// A dict display `{k: v, ...}`: keys and values in order, as many of each. A `**mapping`
    /// item has the key `Starred(mapping)` and the value `None`.
    Dict { keys: Vec<Expr>, values: Vec<Expr> },
    /// `[elt for target in iter if cond ...]` (and a generator expression, which compiled code
    /// consumes as the list it yields): the list is built in the hidden local `result`; the
    /// targets' names are renamed (see [`FunctionDef::hidden_locals`]).
    ListComp { elt: Box<Expr>, generators: Vec<Comprehension>, result: String },
    /// `{key: value for target in iter if cond ...}`, built in the hidden local `result` as a
    /// list comprehension is.
    DictComp { key: Box<Expr>, value: Box<Expr>, generators: Vec<Comprehension>, result: String },
    BinOp { op: BinOp, left: Box<Expr>, right: Box<Expr> },
    UnaryOp { op: UnaryOp, operand: Box<Expr> },
    /// `a and b and c` / `a or b`: at least two values.
    BoolOp { op: BoolOp, values: Vec<Expr> },
    /// `a < b <= c`: `ops.len() == comparators.len() >= 1`.
    Compare { left: Box<Expr>, ops: Vec<CmpOp>, comparators: Vec<Expr> },
    IfExp { test: Box<Expr>, body: Box<Expr>, orelse: Box<Expr> },
    Call { func: Box<Expr>, args: Vec<Expr>, keywords: Vec<Keyword> },
    /// `lambda params: body`, as an inner function named `<lambda>` whose body returns `body`.
    Lambda(Box<FunctionDef>),
    /// An f-string (implicitly concatenated parts joined): its text pieces and formatted
    /// values, in order.
    FString(Vec<FStringPart>),
    /// `(target := value)`: assigns the value to the name `target` (never renamed by a
    /// comprehension: it binds in the enclosing function, as Python's scoping says) and gives it.
    NamedExpr { target: Box<Expr>, value: Box<Expr> },
    /// `*value`: an item of a tuple, list or set display, a positional argument of a call, or
    /// one name of an assignment target (`a, *rest = t`); nowhere else.
    Starred(Box<Expr>),
}

/// A piece of an f-string.
#[derive(Clone, Debug)]
pub enum FStringPart {
    Text(String),
    /// `{value!conversion:spec}`: `conversion` is `s`, `r` or `a`; the format spec is itself
    /// made of pieces (`{x:>{width}}`), empty when there is none.
    Value { value: Box<Expr>, conversion: Option<char>, spec: Vec<FStringPart> },
}

impl FStringPart {
    /// The expressions formatted by these pieces, those of their format specs included, in
    /// order.
    pub fn values(parts: &[FStringPart]) -> Vec<&Expr> {
        let mut out = Vec::new();
        for part in parts {
            if let FStringPart::Value { value, spec, .. } = part {
                out.push(&**value);
                out.extend(FStringPart::values(spec));
            }
        }
        out
    }
}

/// One `for target in iter if cond ...` clause of a comprehension.
#[derive(Clone, Debug)]
pub struct Comprehension {
    pub target: Expr,
    pub iter: Expr,
    pub ifs: Vec<Expr>,
}

#[derive(Clone, Debug)]
pub struct Keyword {
    /// The parameter's name; `**` for a `**mapping` argument (its value the mapping).
    pub name: String,
    pub value: Expr,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
    Mod,
    Pow,
    LShift,
    RShift,
    BitAnd,
    BitOr,
    BitXor,
    MatMul,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::FloorDiv => "//",
            BinOp::Mod => "%",
            BinOp::Pow => "**",
            BinOp::LShift => "<<",
            BinOp::RShift => ">>",
            BinOp::BitAnd => "&",
            BinOp::BitOr => "|",
            BinOp::BitXor => "^",
            BinOp::MatMul => "@",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    Neg,
    Pos,
    Invert,
    Not,
}

impl UnaryOp {
    pub fn symbol(self) -> &'static str {
        match self {
            UnaryOp::Neg => "-",
            UnaryOp::Pos => "+",
            UnaryOp::Invert => "~",
            UnaryOp::Not => "not",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BoolOp {
    And,
    Or,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CmpOp {
    Eq,
    NotEq,
    Lt,
    LtE,
    Gt,
    GtE,
    Is,
    IsNot,
    In,
    NotIn,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::NotEq => "!=",
            CmpOp::Lt => "<",
            CmpOp::LtE => "<=",
            CmpOp::Gt => ">",
            CmpOp::GtE => ">=",
            CmpOp::Is => "is",
            CmpOp::IsNot => "is not",
            CmpOp::In => "in",
            CmpOp::NotIn => "not in",
        }
    }
}
