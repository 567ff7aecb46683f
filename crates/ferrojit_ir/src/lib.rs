//! ferrojit's typed IR: one [`Function`] per compiled (function, argument types) pair.
//!
//! The IR is a typed tree, not a CFG: Python's structured control flow maps directly onto it and
//! the LLVM lowering builds the basic blocks. Every node has a [`Type`] (expressions) and a
//! [`Span`] (statements and expressions) so that later stages can still point at the user's code.
//!
//! Invariants (checked by [`verify`]):
//! - every conversion is explicit: an expression's operands already have the types the operation
//!   works in (`Cast` nodes are inserted by inference), so lowering never guesses;
//! - `Assign` stores a value whose type equals the local's type; `Return` returns the function's
//!   return type; conditions (`If`, `While`, `IfExp`, `Not`) are `bool`;
//! - `Binary` operands have the node's type, except comparisons (operands equal, result bool) and
//!   `Pow` with an integer exponent on a float base;
//! - local ids index [`Function::locals`]; parameters are the first locals;
//! - once the ownership pass has run ([`Function::ownership`] is set), every reference to a
//!   heap value is accounted for (see [`ownership`] for the rules); before, no `Retain` or
//!   `Release` appears.
//!
//! Layout: this file defines the IR; `printer.rs` renders it (`FERROJIT_DUMP_IR=1`, golden
//! tests); `verify.rs` checks the invariants above; `ownership.rs` is the pass that decides
//! where references to heap values are taken and dropped; `generators.rs` is the pass that
//! makes the loops a generator suspends in keep their state in locals.

pub mod generators;
pub mod ownership;
mod printer;
mod verify;

pub use ferrojit_syntax::ast::{CmpOp, Span, YIELD_FROM_ITEM};
pub use ferrojit_types::Type;
pub use printer::print_function;
pub use verify::verify;

pub type LocalId = usize;

#[derive(Clone, Debug)]
pub struct Function {
    /// The Python name, for messages.
    pub name: String,
    /// The unique symbol the function is emitted under (name plus mangled argument types).
    pub symbol: String,
    /// Number of parameters; parameters are `locals[0..num_params]`.
    pub num_params: usize,
    /// The argument types the function is compiled for. A parameter's local may be wider (it is
    /// reassigned with another type); the prologue converts.
    pub arg_types: Vec<Type>,
    pub locals: Vec<Local>,
    pub ret: Type,
    pub body: Vec<Stmt>,
    pub span: Span,
    /// Everything the machine code depends on besides the IR's shape, for cache keys: the
    /// function's source and each global it read, as `name=value`. `None` when the code
    /// embeds addresses valid only in this process (frozen global arrays): not cacheable.
    pub fingerprint: Option<String>,
    /// What the ownership pass decided; `None` before it runs (codegen refuses such a function).
    pub ownership: Option<Ownership>,
    /// An implementation from ferrojit's own library. One with a loop is compiled once per
    /// signature and options into a module of its own, which every caller in the process
    /// shares and the library's disk cache keeps (`ferrojit_compiler::library`).
    pub library: bool,
    /// Compiled with `parallel=True`: its element-wise maps ([`StmtKind::ArrayMap`]) and their
    /// reductions ([`ExprKind::MapReduce`]) run on the thread pool when large enough (see
    /// `ferrojit_codegen`'s `parallel_maps`). The IR is the same either way.
    pub parallel: bool,
}

impl Function {
    /// Whether the function's machine code has a loop: a loop statement, or an array operation
    /// lowered to one (a fill, copy, map or reduction), at any depth.
    pub fn has_loop(&self) -> bool {
        fn loops(s: &Stmt) -> bool {
            match &s.kind {
                StmtKind::While { .. } | StmtKind::ForRange { .. } | StmtKind::ArrayFill { .. } | StmtKind::ArrayCopy { .. } | StmtKind::ArrayMap { .. } => true,
                StmtKind::If { then_body, else_body, .. } if then_body.iter().chain(else_body).any(loops) => true,
                StmtKind::Try { .. } if s.kind.blocks().into_iter().flatten().any(loops) => true,
                _ => s.any_expr(
                    &mut |e| match &e.kind {
                        ExprKind::MapReduce { .. } | ExprKind::AxisReduce { .. } => true,
                        ExprKind::Block { stmts, .. } => stmts.iter().any(loops),
                        _ => false,
                    },
                    true,
                ),
            }
        }
        self.body.iter().any(loops)
    }

    /// The number of expression nodes in the body, at any depth: a measure of how much code
    /// the function makes.
    pub fn size(&self) -> usize {
        let mut count = 0;
        for s in &self.body {
            s.any_expr(
                &mut |_| {
                    count += 1;
                    false
                },
                true,
            );
        }
        count
    }

    /// The symbols this function calls, each once, in the order of their first call; resuming
    /// a generator counts as a call of its generator function (compiled with its `next`).
    pub fn callees(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for s in &self.body {
            s.any_expr(
                &mut |e| {
                    let called = match &e.kind {
                        ExprKind::Call { symbol, .. } | ExprKind::ParallelFor { symbol, .. } => Some(symbol),
                        ExprKind::Resume(g) => match &g.ty {
                            Type::Generator(g) => Some(&g.symbol),
                            _ => None,
                        },
                        _ => None,
                    };
                    if let Some(symbol) = called {
                        if !out.contains(symbol) {
                            out.push(symbol.clone());
                        }
                    }
                    false
                },
                true,
            );
        }
        out
    }

    /// For a generator function (one whose body yields), the type of the values it yields.
    /// A generator function returns the generator type of itself (its symbol is the
    /// function's): calling it makes the generator, and its body runs, as a state machine,
    /// when the generator is resumed (see `ferrojit_codegen`'s generator lowering). Its
    /// `Return` statements return `None`: they end the generator.
    pub fn yields(&self) -> Option<&Type> {
        match &self.ret {
            Type::Generator(g) if g.symbol == self.symbol => Some(&g.yield_ty),
            _ => None,
        }
    }
}

/// The locals that hold references of their own, as the ownership pass chose them. Every other
/// local of a heap type borrows: a parameter never assigned (the caller holds its reference for
/// the whole call).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Ownership {
    /// Locals that own what they hold: every exit of the function (returns, raises, a callee's
    /// exception) releases them, and a store that replaces their value releases the old one
    /// with an explicit [`StmtKind::Release`].
    pub owned: std::collections::BTreeSet<LocalId>,
    /// Locals that hold a reference only from the store that fills them to the `Release` that
    /// follows it, with nothing that can raise in between (the old value of an owned local
    /// being replaced): no exit releases them.
    pub transfer: std::collections::BTreeSet<LocalId>,
}

/// The start of the name of the variable that walks the partial results of a `prange` loop's
/// chunks (`prange'part1`, see `ferrojit_infer::parallel`): the loop that combines them runs
/// a handful of iterations, one per chunk, and code generation leaves it scalar (vectorised,
/// it took a third of the compile time of a small parallel function, for nothing).
pub const PARALLEL_PARTIAL_PREFIX: &str = "prange'part";

/// The start of the name of a `prange` loop's chunk function (`prange'chunk1`, see
/// `ferrojit_infer::parallel`): its whole-array operations run serially (the iterations are
/// the parallelism), and its errors name the function the loop is in.
pub const PARALLEL_CHUNK_PREFIX: &str = "prange'chunk";

#[derive(Clone, Debug, PartialEq)]
pub struct Local {
    pub name: String,
    pub ty: Type,
}

#[derive(Clone, Debug)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum StmtKind {
    Assign { local: LocalId, value: Expr },
    If { cond: Expr, then_body: Vec<Stmt>, else_body: Vec<Stmt> },
    /// `orelse` runs when the loop ends without `break`.
    While { cond: Expr, body: Vec<Stmt>, orelse: Vec<Stmt> },
    /// `for var in range(start, stop, step)`: `index` (int64) takes each value of the range in
    /// turn; the body starts by assigning it to the user's loop variable. `step == 0` raises.
    ForRange { index: LocalId, start: Expr, stop: Expr, step: Expr, body: Vec<Stmt>, orelse: Vec<Stmt> },
    Break,
    Continue,
    Return(Expr),
    Raise { exc: ExcKind, msg: Option<String> },
    /// A bare `raise` in a handler or a `finally` block of a [`StmtKind::Try`]: raises again
    /// the exception being handled: the one the innermost enclosing handler caught, or the
    /// one a `finally` block runs for (an exception leaving its `try`), as CPython 3.11's;
    /// CPython's `RuntimeError("No active exception to reraise")` when there is none (a
    /// `finally` block run on a normal end, a `return`, `break` or `continue`, outside any
    /// handler).
    Reraise,
    Expr(Expr),
    /// `array[indices] = value`: one integer index per dimension (negative ones wrap); the
    /// value has the array's element type.
    ArrayStore { array: Expr, indices: Vec<Expr>, value: Expr },
    /// Stores `value` (the element type) into every element of `array` (`a[1:3] = 0`,
    /// `a.fill(0)`).
    ArrayFill { array: Expr, value: Expr },
    /// Drops the references the local holds (null ones are skipped) and clears it, so that a
    /// later release of it (at an exit) drops nothing. Only owned and transfer locals are
    /// released.
    Release(LocalId),
    /// `del x`: the local holds no value from here on (the compiler has made sure that it is
    /// not read before it is assigned again). The ownership pass turns it into a `Release` of
    /// an owned local, so that its references drop now rather than at the function's exit,
    /// and removes it from any other local: no `Unbind` reaches codegen.
    Unbind(LocalId),
    /// Copies every element of `src` into `dst` (same shape, any layouts), converting to
    /// `dst`'s element type.
    ArrayCopy { dst: Expr, src: Expr },
    /// An element-wise array expression stored into `dst`: for every index of `dst`, `element`
    /// (of `dst`'s dtype) computed from the operands' elements at that index
    /// ([`ExprKind::MapElement`]). Array operands broadcast to `dst`'s shape by NumPy's rules
    /// (raising `ValueError` when they do not); scalar operands are the same for every element.
    /// Operands are evaluated once, before the loop; `element` follows NumPy's error model
    /// (integer division by zero gives 0, floats give inf or NaN), as array operations do.
    ///
    /// `fresh`: `dst` is a new array, allocated just before with the operands' broadcast shape
    /// (already checked). No operand can share its memory and every operand broadcasts to its
    /// shape, so the map neither copies overlapping operands nor checks shapes again.
    ArrayMap { dst: Expr, operands: Vec<Expr>, element: Expr, fresh: bool },
    /// A change to a list (`args[0]`), see [`ListUpdate`]. Marks the list changed (for
    /// reflection to the caller's Python list).
    ListUpdate { op: ListUpdate, args: Vec<Expr> },
    /// A change to a dict (`args[0]`), see [`DictUpdate`].
    DictUpdate { op: DictUpdate, args: Vec<Expr> },
    /// `object.field = value` of a jitclass instance (a borrowed [`Type::Instance`]): stores
    /// the owned `value` (of the field's type) into field number `field`, releasing the value
    /// it replaces.
    SetField { object: Expr, field: usize, value: Expr },
    /// In a generator function ([`Function::yields`]): hands the owned `value` (of the yield
    /// type) to whoever resumed the generator and suspends it there; the next resumption
    /// continues after this statement. Only a statement of the body or of the bodies of
    /// `If`, `While`, `ForRange` and `Try` statements (any part of a `Try`: what a handler or
    /// `finally` keeps aside, the exception being handled or pending, is saved with the
    /// generator's locals), never inside an expression's block.
    Yield(Expr),
    /// `try`: runs `body`; an exception raised in it (a `raise`, a failed check, a callee's
    /// exception) goes to the first handler that catches its kind, which runs with the
    /// exception cleared; when none catches it, it goes on out as if there were no `try`.
    /// `orelse` runs when `body` ends without an exception; the handlers do not cover it.
    /// `finalbody` runs after the rest however it ends: normally, by an exception (raised again
    /// after it), a `return`, `break` or `continue` (which go on after it). A `return`,
    /// `break` or `continue` inside `finalbody` leaves it, discarding the pending exception or
    /// return (a `return` there replaces the value being returned), as in CPython. What the
    /// body assigned before an exception stays assigned (its
    /// owned locals keep their values until replaced or the function exits, as on any exit).
    Try { body: Vec<Stmt>, handlers: Vec<Handler>, orelse: Vec<Stmt>, finalbody: Vec<Stmt> },
}

impl Stmt {
    /// Whether `pred` holds for this statement or one nested in its blocks (see
    /// [`StmtKind::blocks`]), at any depth.
    pub fn any_stmt(&self, pred: &mut dyn FnMut(&Stmt) -> bool) -> bool {
        pred(self) || self.kind.blocks().into_iter().flatten().any(|s| s.any_stmt(pred))
    }
}

impl StmtKind {
    /// The statement blocks nested in this statement: branches, loop bodies and `else` blocks,
    /// a `try`'s body, handlers and `else`, in source order; none for simple statements.
    pub fn blocks(&self) -> Vec<&[Stmt]> {
        match self {
            StmtKind::If { then_body, else_body, .. } => vec![then_body, else_body],
            StmtKind::While { body, orelse, .. } | StmtKind::ForRange { body, orelse, .. } => vec![body, orelse],
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
}

/// An `except` clause of [`StmtKind::Try`].
#[derive(Clone, Debug)]
pub struct Handler {
    /// The exception kinds it catches (the classes named and their subclasses); `None`
    /// catches every exception (`except:`, `except Exception:`).
    pub kinds: Option<Vec<ExcKind>>,
    /// With `kinds`: the codes of the classes the clause names, built-in or defined in Python
    /// code, which an exception of a class defined in Python code (a code from
    /// `ferrojit_runtime::USER_EXCEPTION_BASE`) is checked against when caught, at run time:
    /// such classes may be defined after this code is compiled.
    pub classes: Vec<u32>,
    /// Whether the clause binds the exception to a name (`except E as e`): its body then
    /// reads it with [`ExprKind::CaughtException`], so the exception is kept aside when the
    /// clause starts.
    pub binds: bool,
    pub body: Vec<Stmt>,
    pub span: Span,
}

/// The operations reading dicts (or making one), each an [`ExprKind::Dict`]. The library's
/// dict operations (`python/ferrojit/_lib/dicts.py`) are written with these and
/// [`DictUpdate`]. Entries are named by their position, which stays valid until the dict
/// changes size; positions are not checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DictOp {
    /// `[]`: a new empty dict of the expression's type.
    New,
    /// `[dict]`: the number of entries (int64).
    Len,
    /// `[dict, key]`: the position of the key's entry, or -1 (int64). A set's takes
    /// `[set, key, hash]`: the key's CPython hash, which places it in the set's table, or
    /// [`SET_NO_HASH`] for keys hashed by their bytes.
    Find,
    /// `[dict, key]`: the position of the key's entry, made with a null value when missing
    /// (the value must be stored next); raises `MemoryError` when the dict cannot grow. A
    /// set's takes `[set, key, hash]` as [`DictOp::Find`].
    Insert,
    /// `[dict, position]`: the key of a live entry.
    Key,
    /// `[dict, position]`: the value of a live entry, borrowed from the dict.
    Value,
    /// `[dict, from]`: the position of the first live entry at `from` or after, or -1.
    Next,
    /// `[dict, hash, n]`: the position of the `n`-th live entry of hash `hash` (int64s), or
    /// -1 past the last (`ferrojit_rt_dict_candidate`): for keys compared by their `__eq__`.
    Candidate,
    /// `[dict, key, hash]`: the position of a new entry for `key`, which is not in the dict,
    /// of hash `hash`, its value null (to be stored next); raises `MemoryError` when the dict
    /// cannot grow. For keys compared by their `__eq__`.
    InsertNew,
}

/// The hash a set's [`DictOp::Find`] and [`DictOp::Insert`] take for a key CPython's hash does
/// not order (the runtime hashes its bytes): never a CPython hash
/// (`ferrojit_runtime::sets::NO_HASH`).
pub const SET_NO_HASH: i64 = -1;

/// The operations that change dicts, each a [`StmtKind::DictUpdate`]; each marks the dict
/// changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DictUpdate {
    /// `[dict, position, value]`: stores the owned `value` in a live entry, releasing the one
    /// it replaces.
    Store,
    /// `[dict, position]`: removes a live entry, releasing its value.
    Delete,
    /// `[dict]`: removes every entry.
    Clear,
}

impl DictUpdate {
    /// The operand the statement consumes (owned): a store's value.
    pub fn owned_operand(self) -> Option<usize> {
        match self {
            DictUpdate::Store => Some(2),
            DictUpdate::Delete | DictUpdate::Clear => None,
        }
    }
}

/// The operations on lists that read them, each an [`ExprKind::List`]. The library's list
/// methods (`python/ferrojit/_lib/lists.py`) are written with these and [`ListUpdate`]; none
/// checks its index, which the callers have checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListOp {
    /// `[len]`: a new list of the expression's type holding `len` zeroed items (zero numbers,
    /// null heap values: filled before they are read).
    New,
    /// `[list]`: the number of items (int64).
    Len,
    /// `[list, index]`: the item at `0 <= index < len`, borrowed from the list.
    Get,
}

/// The operations that change lists, each a [`StmtKind::ListUpdate`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListUpdate {
    /// `[list, index, value]`: stores the owned `value` at `0 <= index < len`, releasing the
    /// item it replaces.
    Store,
    /// `[list, at, remove, insert]`: replaces the `remove` items at `at` by `insert` new ones
    /// (`0 <= at`, `at + remove <= len`, `0 <= remove`, `0 <= insert`), releasing the removed
    /// items; raises `MemoryError` when the list cannot grow. New items holding heap values
    /// are null; new numbers are unspecified: each is stored before anything can raise.
    Splice,
}

impl ListUpdate {
    /// The operands the statement consumes (owned values): a store's value.
    pub fn owned_operand(self) -> Option<usize> {
        match self {
            ListUpdate::Store => Some(2),
            ListUpdate::Splice => None,
        }
    }
}

/// A whole-array reduction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReduceOp {
    /// The sum, accumulated in the expression's type (0 for an empty array).
    Sum,
    /// The smallest element; NaN if any element is NaN; raises for an empty array.
    Min,
    Max,
    /// The sum (in the expression's float type) divided by the size; NaN when empty.
    Mean,
    /// The product, in the expression's type (1 for an empty array); integers wrap, as NumPy's.
    Prod,
}

/// One item of an array subscript that keeps or narrows a dimension.
#[derive(Clone, Debug)]
pub enum IndexItem {
    /// An integer index (int64): the dimension is dropped.
    Index(Expr),
    /// A slice with optional int64 bounds and step, normalised at run time as Python does.
    Slice { start: Option<Expr>, stop: Option<Expr>, step: Option<Expr> },
    /// `None` (`np.newaxis`): a new dimension of length 1; consumes no dimension.
    NewAxis,
}

/// What an [`ExprKind::ArrayAttr`] reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArrayAttr {
    /// The shape as a tuple of int64.
    Shape,
    /// The byte strides as a tuple of int64.
    Strides,
    /// The number of elements (int64).
    Size,
    /// The length of dimension `n` (int64).
    Dim(u8),
    /// The address of the first element, as an int64: what BLAS and LAPACK calls take. The
    /// array must stay alive (held by a variable) while the address is used.
    DataAddress,
}

#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub ty: Type,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum ExprKind {
    Const(Const),
    Local(LocalId),
    /// Converts the operand to `ty`: between numbers (float -> int truncates and raises on NaN
    /// or infinity, as Python's `int()`), or element-wise between tuples of the same length.
    Cast(Box<Expr>),
    Binary { op: BinaryOp, lhs: Box<Expr>, rhs: Box<Expr> },
    Unary { op: UnaryOp, operand: Box<Expr> },
    /// Operands have the same type; the result is bool.
    Compare { op: CmpOp, lhs: Box<Expr>, rhs: Box<Expr> },
    /// Python's truth value of the operand (`x != 0`, non-empty tuple, `None` is false).
    Truth(Box<Expr>),
    /// `a and b` / `a or b` with Python's value semantics: both operands have `ty`; `a` is
    /// evaluated once and returned when it decides the result.
    Logical { and: bool, lhs: Box<Expr>, rhs: Box<Expr> },
    IfExp { cond: Box<Expr>, then: Box<Expr>, otherwise: Box<Expr> },
    /// A tuple; typed [`Type::Function`], a function value made of its captured values; typed
    /// [`Type::NamedTuple`], an instance of the class made of its items.
    Tuple(Vec<Expr>),
    /// An item of a tuple, or a captured value of a function value.
    TupleGet(Box<Expr>, usize),
    /// A call of another compiled function, emitted in the same module under `symbol`.
    Call { symbol: String, args: Vec<Expr> },
    /// A math function ([`MathFunc`]) on floats of `ty`'s width (or to bool for the
    /// `is*` predicates); arguments are already converted. `checked`: Python's `math` version,
    /// which raises where CPython's does (`func.python_errors`); NumPy's names and the
    /// compiler's own uses give NaN and infinities instead.
    Math { func: MathFunc, args: Vec<Expr>, checked: bool },
    /// A complex number from two floats of the complex type's width.
    MakeComplex { re: Box<Expr>, im: Box<Expr> },
    /// The real or imaginary part of a complex number.
    ComplexPart { value: Box<Expr>, imag: bool },
    /// A call of a runtime support function (`ferrojit_runtime`), arguments already converted.
    Runtime { func: RuntimeFunc, args: Vec<Expr> },
    /// The element at one integer index per dimension (negative indices wrap).
    ArrayGet { array: Box<Expr>, indices: Vec<Expr> },
    /// A view: integer indices drop dimensions, slices narrow them, and dimensions not
    /// mentioned are kept whole. Shares the array's memory.
    ArrayView { array: Box<Expr>, items: Vec<IndexItem> },
    /// A view with the dimensions permuted: dimension `k` of the view is dimension `axes[k]`
    /// of the array (`a.T` reverses them; `a.transpose(1, 0, 2)`).
    Transpose { array: Box<Expr>, axes: Vec<u8> },
    /// A view of one field of every record of a structured array (`a['x']`): the array's
    /// shape and strides, its data moved `offset` bytes into each record, elements of the
    /// field's type (the expression's dtype).
    FieldView { array: Box<Expr>, offset: u64 },
    /// A new, uninitialised C- or F-contiguous array of `ty` with the given int64 dimensions (a
    /// new reference, owned by the function until stored or returned).
    ///  With `zeroed`, every element is zero (NumPy's `np.zeros`: the allocator's cleared
    /// memory, which for a large array costs no pass over it).
    ArrayNew { shape: Vec<Expr>, zeroed: bool },
    /// A view of a contiguous array with another shape (`reshape`); raises when the sizes
    /// differ.
    Reshape { array: Box<Expr>, shape: Vec<Expr> },
    /// A reduction over an element-wise expression of broadcast operands, as
    /// [`StmtKind::ArrayMap`] computes it but never stored: `a - b` summed without an array in
    /// between. The size counted by `Mean` is the broadcast shape's.
    MapReduce { op: ReduceOp, operands: Vec<Expr>, element: Box<Expr> },
    /// A reduction along one axis (an int64, negative from the end; `AxisError` when out of
    /// range): a new C-contiguous array without that dimension, or with it kept as length 1
    /// (`keepdims`). `Min`/`Max` raise `ValueError` for an empty axis; `Mean` gives NaN.
    AxisReduce { op: ReduceOp, array: Box<Expr>, axis: Box<Expr>, keepdims: bool },
    /// Inside an element-wise map: operand `i`'s current element (its dtype), or the operand
    /// itself when it is a scalar.
    MapElement(usize),
    /// The shape NumPy's broadcasting gives arrays of these shapes, as a tuple of int64 with as
    /// many items as the largest of their dimensions; raises `ValueError` ("operands could not
    /// be broadcast together with shapes ...") when they do not broadcast.
    BroadcastShape(Vec<Expr>),
    /// Runs `stmts`, then evaluates `value`.
    Block { stmts: Vec<Stmt>, value: Box<Expr> },
    ArrayAttr { array: Box<Expr>, attr: ArrayAttr },
    /// Binds `value` to `local`, then evaluates `body`: evaluates a sub-expression once where the
    /// Python semantics use it twice (chained comparisons, `min`/`max`).
    Let { local: LocalId, value: Box<Expr>, body: Box<Expr> },
    /// `print(...)`: items separated by spaces, then a newline. Type is `NoneType`.
    Print(Vec<PrintItem>),
    /// The operand's value with a new reference taken to each of its heap parts: an owned
    /// value made from a borrowed one (inserted by the ownership pass).
    Retain(Box<Expr>),
    /// An operation reading a list, or making one (see [`ListOp`]).
    List { op: ListOp, args: Vec<Expr> },
    /// An operation reading a dict, or making one (see [`DictOp`]).
    Dict { op: DictOp, args: Vec<Expr> },
    /// A new jitclass instance of the expression's [`Type::Instance`] with every field zero
    /// (zero numbers, null heap values), a new reference: its `__init__` stores the fields.
    NewInstance,
    /// Field number `field` of a jitclass instance (a [`Type::Instance`]), borrowed from it.
    GetField { object: Box<Expr>, field: usize },
    /// Resumes the generator (a borrowed [`Type::Generator`] value) until its next `yield`:
    /// `(True, value)` with the owned value it yielded, or `(False, <zero>)` once it has no
    /// more values (and on every resumption after that). An exception raised inside the
    /// generator propagates. Typed `Tuple(bool, yield type)`.
    Resume(Box<Expr>),
    /// A `prange` loop run on the thread pool: the `trip` iterations are cut into chunks
    /// (`ferrojit_runtime::parallel`), and the function `symbol` runs each, called with `args`
    /// followed by the chunk's first and last-plus-one iteration numbers (two int64s). Its
    /// results, one per chunk in the order of the iterations, make the list this evaluates to
    /// (typed `List(<symbol's return type>)`, a new reference). The first exception a chunk
    /// raises propagates, after every chunk has stopped.
    ParallelFor { symbol: String, args: Vec<Expr>, trip: Box<Expr> },
    /// In an `except` clause that binds a name (`except E as e`, see [`Handler::binds`]): the
    /// exception the clause caught, as a new [`Type::Exception`] value.
    CaughtException,
    /// A `with objmode(...)` block run as Python code (see `ferrojit_runtime::objmode`): the
    /// block of handle `block` called with `args` (borrowed), giving its outputs as a new tuple
    /// (the expression's type). An exception the block raises propagates.
    CallPython { block: u64, args: Vec<Expr> },
}

#[derive(Clone, Debug)]
pub enum PrintItem {
    Value(Expr),
    Str(String),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Const {
    /// An integer of the expression's integer type, or of bool (0/1).
    Int(i128),
    Float(f64),
    Complex(f64, f64),
    Bool(bool),
    None,
    /// A frozen global array: a C-contiguous copy made at compile time, never freed.
    Array { data: u64, shape: Vec<i64> },
    /// A string constant: an immortal string of the compiled module (borrowed by every use);
    /// typed `bytes`, the bytes are the code points of the text.
    Str(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    Add,
    Sub,
    Mul,
    /// True division: operands are floats or complex (inference converts ints).
    Div,
    FloorDiv,
    Mod,
    Pow,
    LShift,
    RShift,
    BitAnd,
    BitOr,
    BitXor,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Neg,
    Invert,
    /// Boolean negation; the operand is bool.
    Not,
    /// Absolute value; for complex operands the result is the float magnitude.
    Abs,
}

/// Python's exception classes a compiled function can raise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum ExcKind {
    Exception = 1,
    ValueError,
    TypeError,
    ZeroDivisionError,
    IndexError,
    KeyError,
    AssertionError,
    RuntimeError,
    OverflowError,
    ArithmeticError,
    NotImplementedError,
    StopIteration,
    LookupError,
    MemoryError,
    /// NumPy's `numpy.exceptions.AxisError` (a `ValueError` and an `IndexError`).
    AxisError,
    /// NumPy's `numpy.linalg.LinAlgError` (a `ValueError`).
    LinAlgError,
    /// Reading a variable shared with an inner function before it is assigned.
    NameError,
    UnboundLocalError,
    /// The root of CPython's exception classes (`Exception` derives from it).
    BaseException,
    /// Reading a jitclass field that was never set.
    AttributeError,
    /// What a suspended generator raises at its `yield` when it is closed (dropped), so that
    /// its `finally` blocks run (a `BaseException`, not an `Exception`).
    GeneratorExit,
    /// A codec's errors (`str.encode`, `bytes.decode`): `ValueError`s.
    UnicodeError,
    UnicodeEncodeError,
    UnicodeDecodeError,
}

impl ExcKind {
    pub const ALL: [ExcKind; 24] = [
        ExcKind::Exception,
        ExcKind::ValueError,
        ExcKind::TypeError,
        ExcKind::ZeroDivisionError,
        ExcKind::IndexError,
        ExcKind::KeyError,
        ExcKind::AssertionError,
        ExcKind::RuntimeError,
        ExcKind::OverflowError,
        ExcKind::ArithmeticError,
        ExcKind::NotImplementedError,
        ExcKind::StopIteration,
        ExcKind::LookupError,
        ExcKind::MemoryError,
        ExcKind::AxisError,
        ExcKind::LinAlgError,
        ExcKind::NameError,
        ExcKind::UnboundLocalError,
        ExcKind::BaseException,
        ExcKind::AttributeError,
        ExcKind::GeneratorExit,
        ExcKind::UnicodeError,
        ExcKind::UnicodeEncodeError,
        ExcKind::UnicodeDecodeError,
    ];

    /// The classes this kind's class derives from directly (CPython's and NumPy's hierarchy).
    fn bases(self) -> &'static [ExcKind] {
        match self {
            ExcKind::BaseException => &[],
            ExcKind::GeneratorExit => &[ExcKind::BaseException],
            ExcKind::Exception => &[ExcKind::BaseException],
            ExcKind::ZeroDivisionError | ExcKind::OverflowError => &[ExcKind::ArithmeticError],
            ExcKind::IndexError | ExcKind::KeyError => &[ExcKind::LookupError],
            ExcKind::NotImplementedError => &[ExcKind::RuntimeError],
            ExcKind::AxisError => &[ExcKind::ValueError, ExcKind::IndexError],
            ExcKind::LinAlgError => &[ExcKind::ValueError],
            ExcKind::UnboundLocalError => &[ExcKind::NameError],
            ExcKind::UnicodeError => &[ExcKind::ValueError],
            ExcKind::UnicodeEncodeError | ExcKind::UnicodeDecodeError => &[ExcKind::UnicodeError],
            _ => &[ExcKind::Exception],
        }
    }

    /// Whether an exception of this kind is an instance of `class` (`except class:` catches it).
    pub fn is_subclass_of(self, class: ExcKind) -> bool {
        self == class || self.bases().iter().any(|b| b.is_subclass_of(class))
    }

    /// The kinds `except class:` catches: `class` and its subclasses.
    pub fn caught_by(class: ExcKind) -> Vec<ExcKind> {
        ExcKind::ALL.into_iter().filter(|k| k.is_subclass_of(class)).collect()
    }

    pub fn name(self) -> &'static str {
        match self {
            ExcKind::Exception => "Exception",
            ExcKind::ValueError => "ValueError",
            ExcKind::TypeError => "TypeError",
            ExcKind::ZeroDivisionError => "ZeroDivisionError",
            ExcKind::IndexError => "IndexError",
            ExcKind::KeyError => "KeyError",
            ExcKind::AssertionError => "AssertionError",
            ExcKind::RuntimeError => "RuntimeError",
            ExcKind::OverflowError => "OverflowError",
            ExcKind::ArithmeticError => "ArithmeticError",
            ExcKind::NotImplementedError => "NotImplementedError",
            ExcKind::StopIteration => "StopIteration",
            ExcKind::LookupError => "LookupError",
            ExcKind::MemoryError => "MemoryError",
            ExcKind::AxisError => "AxisError",
            ExcKind::LinAlgError => "LinAlgError",
            ExcKind::NameError => "NameError",
            ExcKind::UnboundLocalError => "UnboundLocalError",
            ExcKind::BaseException => "BaseException",
            ExcKind::AttributeError => "AttributeError",
            ExcKind::GeneratorExit => "GeneratorExit",
            ExcKind::UnicodeError => "UnicodeError",
            ExcKind::UnicodeEncodeError => "UnicodeEncodeError",
            ExcKind::UnicodeDecodeError => "UnicodeDecodeError",
        }
    }

    /// The module that defines the exception class: NumPy's own classes live in NumPy.
    pub fn module(self) -> &'static str {
        match self {
            ExcKind::AxisError => "numpy.exceptions",
            ExcKind::LinAlgError => "numpy.linalg",
            _ => "builtins",
        }
    }

    pub fn from_name(name: &str) -> Option<ExcKind> {
        ExcKind::ALL.into_iter().find(|k| k.name() == name)
    }

    pub fn code(self) -> u32 {
        self as u32
    }

    pub fn from_code(code: u32) -> Option<ExcKind> {
        ExcKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// A support function in `ferrojit_runtime`, called by symbol. When `may_raise` is set, the
/// function takes a trailing exception-info pointer and reports an exception through it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuntimeFunc {
    pub symbol: &'static str,
    pub may_raise: bool,
}

impl RuntimeFunc {
    /// `(count, from, to, datetime) -> count`: a datetime64 or timedelta64 count converted
    /// between units (given by their index in `TimeUnit::ALL`) as NumPy's casts convert it.
    pub const CONVERT_TIME: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_convert_time", may_raise: false };
    /// `(container) -> None`: marks a list (dict) just made by compiled code as a typed one
    /// (`List.empty_list(t)`, `Dict.empty(k, v)`), so that it reaches Python as a
    /// `ferrojit.typed.List` (`Dict`) instead of a plain list (dict). The argument is borrowed.
    pub const LIST_MARK_TYPED: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_list_mark_typed", may_raise: false };
    pub const DICT_MARK_TYPED: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_dict_mark_typed", may_raise: false };
    /// `(set, other) -> int64`: the start of CPython's `set_merge` of `other` into `set`, sets
    /// of one type (`ferrojit_runtime::sets::ferrojit_rt_set_merge`): 1 when done, 0 when the
    /// caller must add `other`'s items one by one.
    pub const SET_MERGE: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_set_merge", may_raise: true };
    /// `(set) -> int64`: the slot `set.pop()` takes, its finger moved past it; -1 when empty.
    pub const SET_POP_SLOT: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_set_pop_slot", may_raise: false };
    /// `(set) -> int64`: the end of CPython's `set_difference_update`: the table rebuilt when
    /// more than a quarter of it is dummies.
    pub const SET_PURGE_DUMMIES: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_set_purge_dummies", may_raise: true };
    /// `(a, b) -> 0`: the two sets exchange their tables (CPython's `set_swap_bodies`).
    pub const SET_SWAP_BODIES: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_set_swap_bodies", may_raise: false };
    /// Strings (`ferrojit_runtime::strings`): every string argument is borrowed, every string
    /// result a new reference; `None` bounds are `i64::MIN`.
    pub const STR_LEN: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_str_len", may_raise: false };
    pub const STR_CONCAT: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_str_concat", may_raise: true };
    /// `(s, t) -> s + t` for `s += t` of a string variable `s`, which owns its value: when it
    /// holds the only reference and the allocation has room, `t` is written after `s`'s text
    /// in place and `s` itself returned (a new reference); otherwise a new string with room to
    /// grow. Repeated `s += t` is then linear, as in CPython.
    pub const STR_APPEND: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_str_append", may_raise: true };
    pub const STR_REPEAT: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_str_repeat", may_raise: true };
    /// `(s, encoding, errors) -> bytes` and `(b, encoding, errors) -> str`, the codecs by the
    /// codes of `ferrojit/_lib/strings.py`.
    /// `(s) -> s` with every character beyond ASCII as `\xhh`, `\uhhhh` or `\Uhhhhhhhh`
    /// (`ascii(x)` is this of `repr(x)`, as in CPython).
    pub const STR_ESCAPE_NON_ASCII: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_str_escape_non_ascii", may_raise: true };
    pub const STR_ENCODE: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_str_encode", may_raise: true };
    pub const BYTES_DECODE: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_bytes_decode", may_raise: true };
    /// `(a, b) -> -1 | 0 | 1`.
    pub const STR_COMPARE: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_str_compare", may_raise: false };
    pub const STR_EQUAL: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_str_equal", may_raise: false };
    pub const STR_HASH: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_str_hash", may_raise: false };
    /// CPython's `hash()` of numbers and tuples (`ferrojit_runtime::hashing`): `(v, unsigned)`
    /// of an integer, `(v)` of a float, `(re, im)` of a complex; a tuple's from `()` (the
    /// start), `(state, item hash)` per item, `(state, len)` (the end).
    pub const HASH_INT: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_hash_int", may_raise: false };
    pub const HASH_FLOAT: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_hash_float", may_raise: false };
    pub const HASH_COMPLEX: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_hash_complex", may_raise: false };
    pub const HASH_TUPLE_START: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_hash_tuple_start", may_raise: false };
    pub const HASH_TUPLE_ITEM: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_hash_tuple_item", may_raise: false };
    pub const HASH_TUPLE_END: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_hash_tuple_end", may_raise: false };
    /// `(s, i) -> s[i]` for `0 <= i < len(s)`.
    pub const STR_CHAR: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_str_char", may_raise: true };
    /// `(length) -> 0`: always raises `ord()`'s `TypeError` for a string of another length.
    pub const STR_ORD_ERROR: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_raise_ord_error", may_raise: true };
    pub const STR_CODE_POINT: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_str_code_point", may_raise: false };
    pub const STR_FROM_CODE_POINT: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_str_from_code_point", may_raise: true };
    /// `(s, start, step, count)`: the characters of a slice whose bounds `slice.indices` gave.
    pub const STR_SLICE: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_str_slice", may_raise: true };
    /// `(s, sub, start, end, last) -> position | -1`.
    pub const STR_FIND: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_str_find", may_raise: false };
    pub const STR_CONTAINS: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_str_contains", may_raise: false };
    pub const STR_COUNT: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_str_count", may_raise: false };
    /// `(s, prefix, start, end, at_end) -> 0 | 1`.
    pub const STR_STARTS: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_str_starts", may_raise: false };
    pub const STR_REPLACE: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_str_replace", may_raise: true };
    /// `(s, chars, sides)`, `(s, sides)`: `strip` of the characters given, or of whitespace.
    pub const STR_STRIP: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_str_strip", may_raise: true };
    pub const STR_STRIP_WHITESPACE: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_str_strip_whitespace", may_raise: true };
    /// `(s, sep, maxsplit, last)`, `(s, maxsplit, last)` -> a list of strings.
    pub const STR_SPLIT: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_str_split", may_raise: true };
    pub const STR_SPLIT_WHITESPACE: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_str_split_whitespace", may_raise: true };
    pub const STR_SPLITLINES: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_str_splitlines", may_raise: true };
    /// `(sep, list of strings)`.
    pub const STR_JOIN: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_str_join", may_raise: true };
    /// `(s, op)`: `upper`, `lower`, `title`, `capitalize`, `swapcase`, `casefold`.
    pub const STR_CASE: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_str_case", may_raise: true };
    /// `(s, op) -> 0 | 1`: `isdigit`, `isalpha`, ... (see the runtime for the numbering).
    pub const STR_PREDICATE: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_str_predicate", may_raise: false };
    /// `(s, width, fill, align)`: `center`, `ljust`, `rjust`, `zfill`.
    pub const STR_PAD: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_str_pad", may_raise: true };
    /// `(v, kind)`: `str()` of an integer (`kind` 0 signed, 1 unsigned, 2 bool).
    pub const STR_FROM_INT: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_str_from_int", may_raise: true };
    /// `(v, single)`: `str()` of a float (`single` for float32's own digits).
    pub const STR_FROM_FLOAT: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_str_from_float", may_raise: true };
    pub const STR_FROM_COMPLEX: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_str_from_complex", may_raise: true };
    pub const STR_REPR: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_str_repr", may_raise: true };
    /// `(s, base)`: `int(s, base)`.
    pub const STR_TO_INT: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_str_to_int", may_raise: true };
    /// `(v, unsigned, spec)`, `(v, single, spec)`, `(s, spec)`: `format(x, spec)` of an
    /// integer, a float, a string.
    pub const FORMAT_INT: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_format_int", may_raise: true };
    pub const FORMAT_FLOAT: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_format_float", may_raise: true };
    pub const FORMAT_STR: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_format_str", may_raise: true };
    /// `(kind, text) -> 0`: always raises the exception of code `kind` with the message `text`
    /// (a string made at run time: `raise ValueError(f"bad {x}")`).
    /// Exceptions as values (`ferrojit_runtime::exceptions`): `(code, message, repr) -> str`
    /// is `str(e)` (`repr(e)`); `(code, message) -> 0` raises `e` again; `(code, class) ->
    /// bool` whether a class defined in Python code derives from the class of code `class`.
    pub const EXC_TEXT: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_exc_text", may_raise: true };
    pub const RAISE_EXCEPTION_VALUE: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_raise_exception_value", may_raise: true };
    /// `(code, message) -> int` is `len(e.args)`; `(code, message, i) -> str` is `e.args[i]`.
    pub const EXC_ARG_COUNT: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_exc_arg_count", may_raise: true };
    pub const EXC_ARG: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_exc_arg", may_raise: true };
    /// `(code, text, cause code, cause message) -> 0`: `raise X from cause` (see
    /// `ferrojit_runtime::exceptions::ferrojit_rt_raise_from`).
    pub const RAISE_FROM: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_raise_from", may_raise: true };
    /// `(code, message, what) -> int`: `e.__cause__`'s code (`what` 0; 0 for none) or
    /// `e.__suppress_context__` (`what` 1); `(code, message) -> str`: `e.__cause__`'s message.
    pub const EXC_CAUSE_CODE: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_exc_cause_code", may_raise: true };
    pub const EXC_CAUSE_MESSAGE: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_exc_cause_message", may_raise: true };
    pub const EXC_INSTANCE_OF: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_exc_instance_of", may_raise: false };
    pub const RAISE_WITH_TEXT: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_raise_with_text", may_raise: true };
    /// An exception message written piece by piece, then raised (see
    /// `ferrojit_runtime::ferrojit_rt_message_begin`): no string is made.
    pub const MESSAGE_BEGIN: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_message_begin", may_raise: false };
    pub const MESSAGE_STR: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_message_str", may_raise: false };
    pub const MESSAGE_INT: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_message_int", may_raise: false };
    pub const MESSAGE_FLOAT: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_message_float", may_raise: false };
    pub const RAISE_MESSAGE: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_raise_message", may_raise: true };
    pub const STR_TO_FLOAT: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_str_to_float", may_raise: true };
    /// `int ** int` for int64: raises `ValueError` on a negative exponent.
    pub const POW_I64: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_pow_i64", may_raise: true };
    pub const POW_U64: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_pow_u64", may_raise: false };
    /// Three-argument `pow(base, exp, mod)` for int64.
    pub const POWMOD_I64: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_powmod_i64", may_raise: true };
    /// `round(x, ndigits)` for float64, correctly rounded as CPython's.
    pub const ROUND_NDIGITS: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_round_ndigits", may_raise: false };
    pub const FLOOR_DIV_F64: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_floordiv_f64", may_raise: false };
    pub const MOD_F64: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_mod_f64", may_raise: false };
    /// `(x, y, pow(x, y), exc) -> status`: raises as CPython's float `**` does when C's `pow`
    /// gave an infinite or NaN result.
    pub const FLOAT_POW_ERROR: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_float_pow_error", may_raise: true };
    /// `(index, axis, size) -> 0`: always raises NumPy's `IndexError` for an index outside
    /// its axis, with the numbers in the message.
    pub const INDEX_ERROR: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_raise_index_error", may_raise: true };
    /// `(index, size) -> 0`: always raises NumPy's `IndexError` for `a.flat[index]` outside
    /// the array's `size` elements.
    pub const FLAT_INDEX_ERROR: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_raise_flat_index_error", may_raise: true };
    /// `(x, kind) -> 0`: always raises CPython's `ValueError` of `list.index(x)` for an integer
    /// (`kind` 0: signed, 1: unsigned, 2: bool) not in the list.
    pub const INT_NOT_IN_LIST: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_raise_int_not_in_list", may_raise: true };
    /// `(size, slice_size) -> 0`: always raises CPython's `ValueError` for a sequence assigned
    /// to an extended slice of another size.
    pub const EXTENDED_SLICE_SIZE_ERROR: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_raise_extended_slice_size_error", may_raise: true };
    /// `(x, kind) -> 0`: always raises CPython's `KeyError(x)` for a missing integer key
    /// (`kind` as for `INT_NOT_IN_LIST`).
    pub const INT_KEY_ERROR: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_raise_int_key_error", may_raise: true };
    /// `(x) -> 0`: the same for a float64 key.
    pub const FLOAT_KEY_ERROR: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_raise_float_key_error", may_raise: true };
    /// `(x) -> 0`: the same for a float64.
    pub const FLOAT_NOT_IN_LIST: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_raise_float_not_in_list", may_raise: true };
    /// `(axis, size, mask_size) -> 0`: always raises NumPy's `IndexError` for a boolean index
    /// of the wrong shape.
    pub const MASK_SHAPE_ERROR: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_raise_mask_shape_error", may_raise: true };
    /// `() -> int64`: the threads the calling thread's parallel loops use (`get_num_threads`).
    pub const GET_NUM_THREADS: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_get_num_threads", may_raise: false };
    /// `(size, trip) -> int64`: the chunks a library function compiled with `parallel=True`
    /// cuts work of `size` elements over `trip` independent parts into, 0 when it should run
    /// serially (below the whole-array threshold, one thread, or inside a parallel loop's chunk), as for
    /// whole-array maps (`ferrojit._lib.parallel_array_chunks`).
    pub const PARALLEL_ARRAY_CHUNKS: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_parallel_array_chunks", may_raise: false };
    /// `() -> int64`: the number of the thread running the caller among the threads of the
    /// parallel loop it is in (0 for the loop's caller), 0 outside loops (`get_thread_id`).
    pub const GET_THREAD_ID: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_get_thread_id", may_raise: false };
    /// `(n) -> 0`: `set_num_threads(n)`; raises `ValueError` outside 1 to the pool's size.
    pub const SET_NUM_THREADS: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_set_num_threads", may_raise: true };
    /// `() -> 0`: starts a shape for the next message naming shapes.
    pub const MESSAGE_SHAPE: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_message_shape", may_raise: false };
    /// `(dim) -> 0`: adds a dimension to the shape last started.
    pub const MESSAGE_DIM: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_message_dim", may_raise: false };
    /// `() -> 0`: always raises NumPy's `IndexError` for index arrays that do not broadcast
    /// together, naming the recorded shapes.
    pub const INDEX_BROADCAST_ERROR: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_raise_index_broadcast_error", may_raise: true };
    /// `(place, index_dims, missing) -> 0`: always raises NumPy's `ValueError` for an assigned
    /// value that does not broadcast to the indexing result (the two recorded shapes).
    pub const VALUE_SHAPE_ERROR: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_raise_value_shape_error", may_raise: true };
    /// `(values, selected) -> 0`: always raises NumPy's `ValueError` for a value of another
    /// length assigned through one boolean mask over every axis.
    pub const MASK_VALUE_COUNT_ERROR: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_raise_mask_value_count_error", may_raise: true };
    /// `(axis, ndim) -> 0`: always raises NumPy's `AxisError` for an axis outside an array's
    /// dimensions, with the numbers in the message.
    pub const AXIS_ERROR: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_raise_axis_error", may_raise: true };
    /// `(kind, x, y) -> 0`: always raises one of NumPy's `ValueError`s for the operands of a
    /// reduction (`out=`, `where=`) whose shapes do not fit, naming the recorded shapes or the
    /// numbers `x` and `y` (see `ferrojit_rt_raise_reduction_shape_error`).
    pub const REDUCTION_SHAPE_ERROR: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_raise_reduction_shape_error", may_raise: true };
    // BLAS and LAPACK through the provider the Python side installed (see
    // `ferrojit_runtime::linalg`): int64 arguments (sizes, flags, data addresses), an int64
    // status unless said otherwise.
    /// Returns a float64 (the dot product).
    pub const BLAS_DOT: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_blas_dot", may_raise: false };
    /// Stores the dot product at an address, in the element type of the kind.
    pub const BLAS_DOT_INTO: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_blas_dot_into", may_raise: false };
    pub const BLAS_GEMM: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_blas_gemm", may_raise: false };
    pub const LAPACK_GESV: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_lapack_gesv", may_raise: false };
    pub const LAPACK_GETRF: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_lapack_getrf", may_raise: false };
    pub const LAPACK_POTRF: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_lapack_potrf", may_raise: false };
    pub const LAPACK_HEEVD: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_lapack_heevd", may_raise: false };
    pub const LAPACK_GEEV: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_lapack_geev", may_raise: false };
    pub const LAPACK_GESDD: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_lapack_gesdd", may_raise: false };
    pub const LAPACK_GEQRF: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_lapack_geqrf", may_raise: false };
    pub const LAPACK_ORGQR: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_lapack_orgqr", may_raise: false };
    /// As the others, but its last argument (`rcond`) is a float64.
    pub const LAPACK_GELSD: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_lapack_gelsd", may_raise: false };
    /// The Mersenne Twister streams of `np.random` and Python's `random` (the first argument
    /// names the stream; see `ferrojit_runtime::random`): `(stream, seed) -> 0`, NumPy's seeding.
    pub const RANDOM_SEED_NUMPY: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_random_seed_numpy", may_raise: false };
    /// `(stream, seed) -> 0`: CPython's seeding from an integer.
    pub const RANDOM_SEED_PYTHON: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_random_seed_python", may_raise: false };
    /// `(stream) -> 0`: seeding from the operating system's entropy.
    pub const RANDOM_SEED_ENTROPY: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_random_seed_entropy", may_raise: false };
    /// `(stream) -> float`: the next double in [0, 1).
    pub const RANDOM_NEXT_DOUBLE: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_random_next_double", may_raise: false };
    /// `(stream, kind, a, b) -> float`: a value of the distribution `kind` with the parameters
    /// `a`, `b` (see `ferrojit_runtime::random::draw`).
    pub const RANDOM_DRAW: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_random_draw", may_raise: false };
    /// `(stream, kind, a, b, data, n) -> 0`: `n` such values into the float64 array data at `data`.
    pub const RANDOM_FILL: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_random_fill", may_raise: false };
    /// `(stream, off, rng, count, bits, out) -> 0`: `off` plus masked values in `[0, rng]` into
    /// the array data at `out`, of elements of `bits` bits.
    pub const RANDOM_BOUNDED_FILL: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_random_bounded_fill", may_raise: false };
    /// `(stream, max) -> value`: a value in `[0, max]` (unsigned 64 bits) by masked rejection.
    pub const RANDOM_MASKED_INTERVAL: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_random_masked_interval", may_raise: false };
    /// `(stream, k) -> bits`: CPython's `getrandbits(k)`, `k` at most 64.
    pub const RANDOM_GETRANDBITS: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_random_getrandbits", may_raise: false };
    /// `(stream) -> float`: takes the kept normal deviate (NaN when none is kept).
    pub const RANDOM_TAKE_GAUSS: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_random_take_gauss", may_raise: false };
    /// `(stream, value) -> 0`: keeps a normal deviate for the next call.
    pub const RANDOM_KEEP_GAUSS: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_random_keep_gauss", may_raise: false };
    /// `(x, y) -> x ** y` by the C library's `pow`, never rewritten by LLVM.
    pub const RANDOM_POW: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_random_pow", may_raise: false };
    /// The PCG64 bit generator of `np.random.default_rng` Generators (see
    /// `ferrojit_runtime::pcg64`): the first argument is the data address of the Generator's
    /// state array. `(state, seed) -> 0`, SeedSequence's seeding from an integer.
    pub const PCG64_SEED: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_pcg64_seed", may_raise: false };
    /// `(state) -> 0`: seeding from the operating system's entropy.
    pub const PCG64_SEED_ENTROPY: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_pcg64_seed_entropy", may_raise: false };
    /// `(state, kind, single, a, b) -> float64`: a value of the distribution `kind` (as
    /// `RANDOM_DRAW`), or float32's value with `single`.
    pub const PCG64_DRAW: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_pcg64_draw", may_raise: false };
    /// `(state, kind, single, a, b, data, n) -> 0`: `n` such values into the array data at
    /// `data` (float32 elements with `single`).
    pub const PCG64_FILL: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_pcg64_fill", may_raise: false };
    /// `(state, max) -> int64`: a value in `[0, max]` (NumPy's `random_interval`).
    pub const PCG64_INTERVAL: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_pcg64_interval", may_raise: false };
    /// `(state, off, rng, count, bits, out) -> 0`: bounded integers into the array data at `out`.
    pub const PCG64_BOUNDED_FILL: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_pcg64_bounded_fill", may_raise: false };
    /// `(state, offs, rngs, count, bits, out) -> 0`: the same with an offset and a range per
    /// element, read from int64 arrays at the addresses `offs` and `rngs`.
    pub const PCG64_BOUNDED_FILL_EACH: RuntimeFunc = RuntimeFunc { symbol: "ferrojit_rt_pcg64_bounded_fill_each", may_raise: false };
}

/// How a math function is typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MathShape {
    /// float -> float
    Unary,
    /// float -> float, except that Python's `math` version gives an integer (`floor`, `ceil`,
    /// `trunc`: inference converts the float to `int64`, and an integer argument is returned
    /// as it is).
    Rounding,
    /// (float, float) -> float
    Binary,
    /// float -> bool
    Predicate,
}

impl MathShape {
    pub fn arity(self) -> usize {
        if self == MathShape::Binary { 2 } else { 1 }
    }
}

/// How codegen computes a math function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MathLowering {
    /// An LLVM intrinsic overloaded on the float type (a single instruction on x86-64).
    Intrinsic(&'static str),
    /// A C library function, `symbol` for float64 and `symbol` + `f` for float32. `vector`:
    /// glibc's libmvec has vector variants of it, so that loops calling it vectorise.
    Libm { symbol: &'static str, vector: bool },
    /// C's `fmod`: LLVM's `frem`.
    Remainder,
    /// Radians to degrees: `x * (180 / pi)`.
    Degrees,
    /// Degrees to radians: `x * (pi / 180)`.
    Radians,
    IsNan,
    IsInf,
    IsFinite,
}

/// When CPython's `math` version of a function raises (`Modules/mathmodule.c`: `math_1` and
/// its `can_overflow` flag, `math_2`, `math_pow`). The checks look at the result only when it
/// is NaN or infinite, which the C library's function gives exactly where CPython's rules
/// apply; NumPy's names never raise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PythonErrors {
    /// Never raises for float arguments: the result is finite, or non-finite only from
    /// non-finite arguments (`atan`, `tanh`, `cbrt`, `copysign`, `atan2`, ...).
    Never,
    /// `ValueError("math domain error")` for a NaN from arguments that are not NaN and for an
    /// infinity from finite arguments, a pole (`sqrt(-1)`, `sin(inf)`, `log(0)`, `atanh(1)`).
    Domain,
    /// `ValueError("math domain error")` for a NaN from arguments that are not NaN,
    /// `OverflowError("math range error")` for an infinity from finite arguments (`exp`,
    /// `cosh`, ...).
    Range,
    /// As `Range`, except that an infinity from a zero base (`0.0 ** -1.0`, a pole) is a
    /// `ValueError` (`math.pow`).
    Power,
}

/// A math function on floats: what inference types (`shape`) and codegen lowers (`lowering`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MathFunc {
    /// Python's name in the `math` module (also how the IR printer shows it).
    pub name: &'static str,
    /// NumPy's names of the same computation on a scalar (`arcsin` for `asin`); NumPy's
    /// versions of `floor`, `ceil`, `trunc` return floats.
    pub numpy: &'static [&'static str],
    pub shape: MathShape,
    pub lowering: MathLowering,
    /// When the `math` version raises (the NumPy names never do).
    pub python_errors: PythonErrors,
}

const fn intrinsic(name: &'static str) -> MathLowering {
    MathLowering::Intrinsic(name)
}

/// A C library function with libmvec vector variants.
const fn libmvec(symbol: &'static str) -> MathLowering {
    MathLowering::Libm { symbol, vector: true }
}

macro_rules! math_functions {
    ($($constant:ident = $name:literal [$($numpy:literal),*] $shape:ident $lowering:expr, $errors:ident;)*) => {
        impl MathFunc {
            $(pub const $constant: MathFunc = MathFunc { name: $name, numpy: &[$($numpy),*], shape: MathShape::$shape, lowering: $lowering, python_errors: PythonErrors::$errors };)*
        }

        /// The math functions compiled natively: each is `math.<name>` and `numpy.<numpy name>`
        /// in compiled code. The one table of them: inference registers these names, codegen
        /// lowers by `lowering`.
        pub const MATH_FUNCTIONS: &[MathFunc] = &[$(MathFunc::$constant),*];
    };
}

// The last column is CPython's error rule for `math.<name>`: `Domain` for the functions
// `mathmodule.c` wraps with `math_1(..., can_overflow=0)`, `Range` for `can_overflow=1`, `Never`
// where the C library's result is never NaN from a number nor infinite from a finite number.
// `math.gamma`, `lgamma` and `hypot` are CPython's own algorithms, in `_lib/pymath.py`.
math_functions! {
    SQRT = "sqrt" ["sqrt"] Unary intrinsic("llvm.sqrt"), Domain;
    EXP = "exp" ["exp"] Unary libmvec("exp"), Range;
    EXPM1 = "expm1" ["expm1"] Unary libmvec("expm1"), Range;
    EXP2 = "exp2" ["exp2"] Unary libmvec("exp2"), Range;
    LOG = "log" ["log"] Unary libmvec("log"), Domain;
    LOG2 = "log2" ["log2"] Unary libmvec("log2"), Domain;
    LOG10 = "log10" ["log10"] Unary libmvec("log10"), Domain;
    LOG1P = "log1p" ["log1p"] Unary libmvec("log1p"), Domain;
    CBRT = "cbrt" ["cbrt"] Unary libmvec("cbrt"), Never;
    SIN = "sin" ["sin"] Unary libmvec("sin"), Domain;
    COS = "cos" ["cos"] Unary libmvec("cos"), Domain;
    TAN = "tan" ["tan"] Unary libmvec("tan"), Domain;
    ASIN = "asin" ["arcsin"] Unary libmvec("asin"), Domain;
    ACOS = "acos" ["arccos"] Unary libmvec("acos"), Domain;
    ATAN = "atan" ["arctan"] Unary libmvec("atan"), Never;
    SINH = "sinh" ["sinh"] Unary libmvec("sinh"), Range;
    COSH = "cosh" ["cosh"] Unary libmvec("cosh"), Range;
    TANH = "tanh" ["tanh"] Unary libmvec("tanh"), Never;
    ASINH = "asinh" ["arcsinh"] Unary libmvec("asinh"), Never;
    ACOSH = "acosh" ["arccosh"] Unary libmvec("acosh"), Domain;
    ATANH = "atanh" ["arctanh"] Unary libmvec("atanh"), Domain;
    ERF = "erf" [] Unary libmvec("erf"), Never;
    ERFC = "erfc" [] Unary libmvec("erfc"), Never;
    FABS = "fabs" ["fabs"] Unary intrinsic("llvm.fabs"), Never;
    DEGREES = "degrees" ["degrees", "rad2deg"] Unary MathLowering::Degrees, Never;
    RADIANS = "radians" ["radians", "deg2rad"] Unary MathLowering::Radians, Never;
    FLOOR = "floor" ["floor"] Rounding intrinsic("llvm.floor"), Never;
    CEIL = "ceil" ["ceil"] Rounding intrinsic("llvm.ceil"), Never;
    TRUNC = "trunc" ["trunc"] Rounding intrinsic("llvm.trunc"), Never;
    ATAN2 = "atan2" ["arctan2"] Binary libmvec("atan2"), Never;
    COPYSIGN = "copysign" ["copysign"] Binary intrinsic("llvm.copysign"), Never;
    HYPOT = "hypot" ["hypot"] Binary libmvec("hypot"), Never;
    POW = "pow" ["power"] Binary libmvec("pow"), Power;
    FMOD = "fmod" ["fmod"] Binary MathLowering::Remainder, Domain;
    ISNAN = "isnan" ["isnan"] Predicate MathLowering::IsNan, Never;
    ISINF = "isinf" ["isinf"] Predicate MathLowering::IsInf, Never;
    ISFINITE = "isfinite" ["isfinite"] Predicate MathLowering::IsFinite, Never;
}

impl MathFunc {
    /// Rounding half to even (Python's `round(x)` of a float, before it becomes an int). Not
    /// in [`MATH_FUNCTIONS`]: no `math` or NumPy name reaches it.
    pub const ROUND_HALF_EVEN: MathFunc = MathFunc { name: "round_half_even", numpy: &[], shape: MathShape::Unary, lowering: intrinsic("llvm.roundeven"), python_errors: PythonErrors::Never };
}

impl Expr {
    pub fn new(kind: ExprKind, ty: Type, span: Span) -> Expr {
        Expr { kind, ty, span }
    }

    pub fn boxed(self) -> Box<Expr> {
        Box::new(self)
    }
}

/// The direct sub-expressions of an expression kind, for [`Expr::for_each_child`] and its
/// mutable twin (`$iter` is `iter` or `iter_mut`).
macro_rules! each_child {
    ($kind:expr, $f:ident, $iter:ident) => {
        match $kind {
            ExprKind::Const(_) | ExprKind::Local(_) | ExprKind::MapElement(_) | ExprKind::CaughtException | ExprKind::NewInstance => {}
            ExprKind::GetField { object, .. } => $f(object),
            ExprKind::Block { value, .. } => $f(value),
            ExprKind::Resume(x) => $f(x),
            ExprKind::Cast(x) | ExprKind::Unary { operand: x, .. } | ExprKind::Truth(x) | ExprKind::TupleGet(x, _) | ExprKind::Transpose { array: x, .. } | ExprKind::FieldView { array: x, .. } | ExprKind::Retain(x) => $f(x),
            ExprKind::ComplexPart { value: x, .. } | ExprKind::ArrayAttr { array: x, .. } => $f(x),
            ExprKind::Binary { lhs, rhs, .. } | ExprKind::Compare { lhs, rhs, .. } | ExprKind::Logical { lhs, rhs, .. } => {
                $f(lhs);
                $f(rhs);
            }
            ExprKind::MakeComplex { re, im } => {
                $f(re);
                $f(im);
            }
            ExprKind::IfExp { cond, then, otherwise } => {
                $f(cond);
                $f(then);
                $f(otherwise);
            }
            ExprKind::Let { value, body, .. } => {
                $f(value);
                $f(body);
            }
            ExprKind::Tuple(items) | ExprKind::BroadcastShape(items) => items.$iter().for_each(|e| $f(e)),
            ExprKind::Call { args, .. } | ExprKind::Math { args, .. } | ExprKind::Runtime { args, .. } | ExprKind::List { args, .. } | ExprKind::Dict { args, .. } | ExprKind::CallPython { args, .. } => args.$iter().for_each(|e| $f(e)),
            ExprKind::MapReduce { operands, .. } => operands.$iter().for_each(|e| $f(e)),
            ExprKind::ParallelFor { args, trip, .. } => {
                $f(trip);
                args.$iter().for_each(|e| $f(e));
            }
            ExprKind::AxisReduce { array, axis, .. } => {
                $f(array);
                $f(axis);
            }
            ExprKind::ArrayGet { array, indices } => {
                $f(array);
                indices.$iter().for_each(|e| $f(e));
            }
            ExprKind::ArrayNew { shape, .. } => shape.$iter().for_each(|e| $f(e)),
            ExprKind::Reshape { array, shape } => {
                $f(array);
                shape.$iter().for_each(|e| $f(e));
            }
            ExprKind::ArrayView { array, items } => {
                $f(array);
                for item in items {
                    match item {
                        IndexItem::Index(e) => $f(e),
                        IndexItem::Slice { start, stop, step } => [start, stop, step].into_iter().flatten().for_each(|e| $f(e)),
                        IndexItem::NewAxis => {}
                    }
                }
            }
            ExprKind::Print(items) => items.$iter().for_each(|i| {
                if let PrintItem::Value(e) = i {
                    $f(e);
                }
            }),
        }
    };
}

impl Expr {
    /// Whether evaluating this expression makes a new reference to a heap value that nobody
    /// owns yet (a new array, an array an axis reduction fills, a callee's result holding
    /// arrays): the ownership pass gives each such value an owner. Every other expression of a
    /// heap type borrows what it shows (a local, a view, a tuple item).
    pub fn makes_new_reference(&self) -> bool {
        match &self.kind {
            ExprKind::ArrayNew { .. } | ExprKind::AxisReduce { .. } | ExprKind::List { op: ListOp::New, .. } | ExprKind::Dict { op: DictOp::New, .. } | ExprKind::ParallelFor { .. } | ExprKind::CaughtException | ExprKind::CallPython { .. } | ExprKind::NewInstance => true,
            // Runtime functions return new references (or immortal values, which are as good).
            ExprKind::Call { .. } | ExprKind::Runtime { .. } | ExprKind::Resume(_) => self.ty.holds_heap(),
            _ => false,
        }
    }

    /// Calls `f` on each direct sub-expression, in evaluation order. Not on the element of
    /// a map (it refers to the map's operands, evaluated per element by the map) nor on the
    /// expressions inside a block's statements.
    pub fn for_each_child_mut(&mut self, f: &mut dyn FnMut(&mut Expr)) {
        each_child!(&mut self.kind, f, iter_mut)
    }

    /// [`Expr::for_each_child_mut`] for reading.
    pub fn for_each_child(&self, f: &mut dyn FnMut(&Expr)) {
        each_child!(&self.kind, f, iter)
    }
}

impl Expr {
    /// Whether `pred` holds for this expression or any expression inside it.
    pub fn any(&self, pred: &mut dyn FnMut(&Expr) -> bool) -> bool {
        if pred(self) {
            return true;
        }
        let any_of = |es: &[Expr], pred: &mut dyn FnMut(&Expr) -> bool| es.iter().any(|e| e.any(pred));
        match &self.kind {
            ExprKind::Const(_) | ExprKind::Local(_) | ExprKind::MapElement(_) | ExprKind::CaughtException | ExprKind::NewInstance => false,
            ExprKind::GetField { object, .. } => object.any(pred),
            ExprKind::MapReduce { operands, element, .. } => any_of(operands, pred) || element.any(pred),
            ExprKind::ParallelFor { args, trip, .. } => trip.any(pred) || any_of(args, pred),
            ExprKind::AxisReduce { array, axis, .. } => array.any(pred) || axis.any(pred),
            ExprKind::BroadcastShape(operands) => any_of(operands, pred),
            ExprKind::Cast(x) | ExprKind::Unary { operand: x, .. } | ExprKind::Truth(x) | ExprKind::TupleGet(x, _) | ExprKind::Transpose { array: x, .. } | ExprKind::FieldView { array: x, .. } | ExprKind::Retain(x) | ExprKind::Resume(x) => x.any(pred),
            ExprKind::ComplexPart { value: x, .. } | ExprKind::ArrayAttr { array: x, .. } => x.any(pred),
            ExprKind::Binary { lhs, rhs, .. } | ExprKind::Compare { lhs, rhs, .. } | ExprKind::Logical { lhs, rhs, .. } => lhs.any(pred) || rhs.any(pred),
            ExprKind::MakeComplex { re, im } => re.any(pred) || im.any(pred),
            ExprKind::IfExp { cond, then, otherwise } => cond.any(pred) || then.any(pred) || otherwise.any(pred),
            ExprKind::Let { value, body, .. } => value.any(pred) || body.any(pred),
            ExprKind::Tuple(items) => any_of(items, pred),
            ExprKind::Call { args, .. } | ExprKind::Math { args, .. } | ExprKind::Runtime { args, .. } | ExprKind::List { args, .. } | ExprKind::Dict { args, .. } | ExprKind::CallPython { args, .. } => any_of(args, pred),
            ExprKind::ArrayGet { array, indices } => array.any(pred) || any_of(indices, pred),
            ExprKind::ArrayNew { shape, .. } => any_of(shape, pred),
            ExprKind::Reshape { array, shape } => array.any(pred) || any_of(shape, pred),
            ExprKind::ArrayView { array, items } => {
                array.any(pred)
                    || items.iter().any(|i| match i {
                        IndexItem::Index(e) => e.any(pred),
                        IndexItem::Slice { start, stop, step } => [start, stop, step].into_iter().flatten().any(|e| e.any(pred)),
                        IndexItem::NewAxis => false,
                    })
            }
            ExprKind::Block { stmts, value } => stmts.iter().any(|s| s.any_expr(pred, true)) || value.any(pred),
            ExprKind::Print(items) => items.iter().any(|i| matches!(i, PrintItem::Value(e) if e.any(pred))),
        }
    }
}

impl Expr {
    /// Calls `f` on this expression and every expression inside it (statements of blocks
    /// included), parents before children, letting it rewrite them in place.
    pub fn walk_mut(&mut self, f: &mut dyn FnMut(&mut Expr)) {
        self.rewrite(&mut |e| {
            f(e);
            true
        })
    }

    /// [`Expr::walk_mut`] that enters an expression's children only when `f` returns true for
    /// it: an expression `f` puts in place of another is not visited again when `f` says so.
    pub fn rewrite(&mut self, f: &mut dyn FnMut(&mut Expr) -> bool) {
        if !f(self) {
            return;
        }
        let all = |es: &mut [Expr], f: &mut dyn FnMut(&mut Expr) -> bool| es.iter_mut().for_each(|e| e.rewrite(f));
        match &mut self.kind {
            ExprKind::Const(_) | ExprKind::Local(_) | ExprKind::MapElement(_) | ExprKind::CaughtException | ExprKind::NewInstance => {}
            ExprKind::GetField { object, .. } => object.rewrite(f),
            ExprKind::Cast(x) | ExprKind::Unary { operand: x, .. } | ExprKind::Truth(x) | ExprKind::TupleGet(x, _) | ExprKind::Transpose { array: x, .. } | ExprKind::FieldView { array: x, .. } | ExprKind::Retain(x) | ExprKind::Resume(x) => x.rewrite(f),
            ExprKind::ComplexPart { value: x, .. } | ExprKind::ArrayAttr { array: x, .. } => x.rewrite(f),
            ExprKind::Binary { lhs, rhs, .. } | ExprKind::Compare { lhs, rhs, .. } | ExprKind::Logical { lhs, rhs, .. } => {
                lhs.rewrite(f);
                rhs.rewrite(f);
            }
            ExprKind::MakeComplex { re, im } => {
                re.rewrite(f);
                im.rewrite(f);
            }
            ExprKind::IfExp { cond, then, otherwise } => {
                cond.rewrite(f);
                then.rewrite(f);
                otherwise.rewrite(f);
            }
            ExprKind::Let { value, body, .. } => {
                value.rewrite(f);
                body.rewrite(f);
            }
            ExprKind::Tuple(items) | ExprKind::BroadcastShape(items) => all(items, f),
            ExprKind::Call { args, .. } | ExprKind::Math { args, .. } | ExprKind::Runtime { args, .. } | ExprKind::List { args, .. } | ExprKind::Dict { args, .. } | ExprKind::CallPython { args, .. } => all(args, f),
            // A nested map's element refers to its own operands: only its operands are outside.
            ExprKind::MapReduce { operands, .. } => all(operands, f),
            ExprKind::ParallelFor { args, trip, .. } => {
                trip.rewrite(f);
                all(args, f);
            }
            ExprKind::AxisReduce { array, axis, .. } => {
                array.rewrite(f);
                axis.rewrite(f);
            }
            ExprKind::ArrayGet { array, indices } => {
                array.rewrite(f);
                all(indices, f);
            }
            ExprKind::ArrayNew { shape, .. } => all(shape, f),
            ExprKind::Reshape { array, shape } => {
                array.rewrite(f);
                all(shape, f);
            }
            ExprKind::ArrayView { array, items } => {
                array.rewrite(f);
                for item in items {
                    match item {
                        IndexItem::Index(e) => e.rewrite(f),
                        IndexItem::Slice { start, stop, step } => [start, stop, step].into_iter().flatten().for_each(|e| e.rewrite(f)),
                        IndexItem::NewAxis => {}
                    }
                }
            }
            ExprKind::Block { stmts, value } => {
                stmts.iter_mut().for_each(|s| s.rewrite_exprs(f));
                value.rewrite(f);
            }
            ExprKind::Print(items) => items.iter_mut().for_each(|i| {
                if let PrintItem::Value(e) = i {
                    e.rewrite(f);
                }
            }),
        }
    }
}

impl Stmt {
    /// Calls [`Expr::walk_mut`] on every expression of this statement, nested bodies included.
    pub fn walk_exprs_mut(&mut self, f: &mut dyn FnMut(&mut Expr)) {
        self.rewrite_exprs(&mut |e| {
            f(e);
            true
        })
    }

    /// [`Stmt::walk_exprs_mut`] with [`Expr::rewrite`]'s control over entering children.
    pub fn rewrite_exprs(&mut self, f: &mut dyn FnMut(&mut Expr) -> bool) {
        let block = |stmts: &mut [Stmt], f: &mut dyn FnMut(&mut Expr) -> bool| stmts.iter_mut().for_each(|s| s.rewrite_exprs(f));
        match &mut self.kind {
            StmtKind::Assign { value, .. } | StmtKind::Return(value) | StmtKind::Expr(value) | StmtKind::Yield(value) => value.rewrite(f),
            StmtKind::If { cond, then_body, else_body } => {
                cond.rewrite(f);
                block(then_body, f);
                block(else_body, f);
            }
            StmtKind::While { cond, body, orelse } => {
                cond.rewrite(f);
                block(body, f);
                block(orelse, f);
            }
            StmtKind::ForRange { start, stop, step, body, orelse, .. } => {
                start.rewrite(f);
                stop.rewrite(f);
                step.rewrite(f);
                block(body, f);
                block(orelse, f);
            }
            StmtKind::ArrayStore { array, indices, value } => {
                array.rewrite(f);
                indices.iter_mut().for_each(|i| i.rewrite(f));
                value.rewrite(f);
            }
            StmtKind::ArrayFill { array, value } => {
                array.rewrite(f);
                value.rewrite(f);
            }
            StmtKind::ArrayCopy { dst, src } => {
                dst.rewrite(f);
                src.rewrite(f);
            }
            // As for `MapReduce`: the element belongs to the map.
            StmtKind::ArrayMap { dst, operands, .. } => {
                dst.rewrite(f);
                operands.iter_mut().for_each(|o| o.rewrite(f));
            }
            StmtKind::ListUpdate { args, .. } | StmtKind::DictUpdate { args, .. } => args.iter_mut().for_each(|a| a.rewrite(f)),
            StmtKind::SetField { object, value, .. } => {
                object.rewrite(f);
                value.rewrite(f);
            }
            StmtKind::Try { body, handlers, orelse, finalbody } => {
                block(body, f);
                handlers.iter_mut().for_each(|h| block(&mut h.body, f));
                block(orelse, f);
                block(finalbody, f);
            }
            StmtKind::Break | StmtKind::Continue | StmtKind::Raise { .. } | StmtKind::Reraise | StmtKind::Release(_) | StmtKind::Unbind(_) => {}
        }
    }
}

impl Stmt {
    /// Whether `pred` holds for any expression of this statement, looking into nested loops
    /// only when `into_loops` is set.
    pub fn any_expr(&self, pred: &mut dyn FnMut(&Expr) -> bool, into_loops: bool) -> bool {
        let block = |stmts: &[Stmt], pred: &mut dyn FnMut(&Expr) -> bool| stmts.iter().any(|s| s.any_expr(pred, into_loops));
        match &self.kind {
            StmtKind::Assign { value, .. } | StmtKind::Return(value) | StmtKind::Expr(value) | StmtKind::Yield(value) => value.any(pred),
            StmtKind::If { cond, then_body, else_body } => cond.any(pred) || block(then_body, pred) || block(else_body, pred),
            StmtKind::While { cond, body, orelse } => cond.any(pred) || (into_loops && block(body, pred)) || block(orelse, pred),
            StmtKind::ForRange { start, stop, step, body, orelse, .. } => {
                start.any(pred) || stop.any(pred) || step.any(pred) || (into_loops && block(body, pred)) || block(orelse, pred)
            }
            StmtKind::ArrayStore { array, indices, value } => array.any(pred) || indices.iter().any(|i| i.any(pred)) || value.any(pred),
            StmtKind::ArrayFill { array, value } => array.any(pred) || value.any(pred),
            StmtKind::ArrayCopy { dst, src } => dst.any(pred) || src.any(pred),
            StmtKind::ArrayMap { dst, operands, element, .. } => dst.any(pred) || operands.iter().any(|o| o.any(pred)) || element.any(pred),
            StmtKind::ListUpdate { args, .. } | StmtKind::DictUpdate { args, .. } => args.iter().any(|a| a.any(pred)),
            StmtKind::SetField { object, value, .. } => object.any(pred) || value.any(pred),
            StmtKind::Try { .. } => self.kind.blocks().into_iter().any(|b| block(b, pred)),
            StmtKind::Break | StmtKind::Continue | StmtKind::Raise { .. } | StmtKind::Reraise | StmtKind::Release(_) | StmtKind::Unbind(_) => false,
        }
    }
}

/// How many times each local is assigned in a function's body: by `Assign` statements, as a
/// `ForRange` index and by `Let` bindings, at any depth (branches, loop bodies, and blocks
/// inside any expression, not only inside assigned values). Locals never assigned are absent.
///
/// Each assignment is counted once: one walk visits every expression once (blocks included),
/// and the statements of the body and of each block are counted when that body or block is
/// reached, without entering the blocks inside them (the walk reaches those).
pub fn assignment_counts(body: &[Stmt]) -> std::collections::HashMap<LocalId, usize> {
    use std::collections::HashMap;
    /// The assignments by the statements of one body and of the branches and loops inside it.
    fn statements(stmts: &[Stmt], counts: &mut HashMap<LocalId, usize>) {
        for s in stmts {
            match &s.kind {
                // A local `del` empties is assigned too: it then owns what it held (a parameter
                // takes a reference of its own to drop).
                StmtKind::Assign { local, .. } | StmtKind::Unbind(local) => *counts.entry(*local).or_insert(0) += 1,
                StmtKind::ForRange { index, body, orelse, .. } => {
                    *counts.entry(*index).or_insert(0) += 1;
                    statements(body, counts);
                    statements(orelse, counts);
                }
                StmtKind::If { then_body, else_body, .. } => {
                    statements(then_body, counts);
                    statements(else_body, counts);
                }
                StmtKind::While { body, orelse, .. } => {
                    statements(body, counts);
                    statements(orelse, counts);
                }
                StmtKind::Try { .. } => s.kind.blocks().into_iter().for_each(|b| statements(b, counts)),
                _ => {}
            }
        }
    }
    let mut counts = HashMap::new();
    statements(body, &mut counts);
    for s in body {
        s.any_expr(
            &mut |e| {
                match &e.kind {
                    ExprKind::Let { local, .. } => *counts.entry(*local).or_insert(0) += 1,
                    ExprKind::Block { stmts, .. } => statements(stmts, &mut counts),
                    _ => {}
                }
                false
            },
            true,
        );
    }
    counts
}

#[cfg(test)]
mod math_table_tests {
    use super::*;

    #[test]
    fn math_and_numpy_names_are_unique_and_arities_fit() {
        let mut seen = std::collections::HashSet::new();
        for f in MATH_FUNCTIONS {
            assert!(seen.insert(format!("math.{}", f.name)), "math.{} listed twice", f.name);
            for n in f.numpy {
                assert!(seen.insert(format!("numpy.{n}")), "numpy.{n} listed twice");
            }
            let binary_lowering = matches!(f.lowering, MathLowering::Remainder);
            assert!(!binary_lowering || f.shape.arity() == 2, "{}", f.name);
        }
        assert!(!MATH_FUNCTIONS.contains(&MathFunc::ROUND_HALF_EVEN));
    }
}

#[cfg(test)]
mod assignment_count_tests {
    use super::*;

    fn int(v: i128) -> Expr {
        Expr::new(ExprKind::Const(Const::Int(v)), Type::INT64, Span::default())
    }

    fn local(l: LocalId) -> Expr {
        Expr::new(ExprKind::Local(l), Type::INT64, Span::default())
    }

    fn stmt(kind: StmtKind) -> Stmt {
        Stmt { kind, span: Span::default() }
    }

    fn assign(l: LocalId, value: Expr) -> Stmt {
        stmt(StmtKind::Assign { local: l, value })
    }

    /// `{ stmts } => value`.
    fn block(stmts: Vec<Stmt>, value: Expr) -> Expr {
        Expr::new(ExprKind::Block { stmts, value: value.boxed() }, Type::INT64, Span::default())
    }

    #[test]
    fn every_assignment_counts_once_wherever_it_is() {
        let body = vec![
            // Blocks in blocks in an assigned value: 0, 1 and 2 once each.
            assign(0, block(vec![assign(1, block(vec![assign(2, int(1))], local(2)))], local(1))),
            // A block in a returned value, one in a loop's condition, a `let` in a branch's.
            stmt(StmtKind::While {
                cond: Expr::new(ExprKind::Truth(block(vec![assign(4, int(0))], local(4)).boxed()), Type::Bool, Span::default()),
                body: vec![stmt(StmtKind::ForRange { index: 5, start: int(0), stop: int(3), step: int(1), body: vec![assign(0, local(5))], orelse: vec![] })],
                orelse: vec![],
            }),
            stmt(StmtKind::If {
                cond: Expr::new(ExprKind::Truth(Expr::new(ExprKind::Let { local: 6, value: int(1).boxed(), body: local(6).boxed() }, Type::INT64, Span::default()).boxed()), Type::Bool, Span::default()),
                then_body: vec![stmt(StmtKind::Expr(block(vec![assign(7, int(2))], local(7))))],
                else_body: vec![],
            }),
            stmt(StmtKind::Return(block(vec![assign(3, int(2)), assign(0, int(3))], local(3)))),
        ];
        let counts = assignment_counts(&body);
        let mut sorted: Vec<(LocalId, usize)> = counts.into_iter().collect();
        sorted.sort();
        assert_eq!(sorted, [(0, 3), (1, 1), (2, 1), (3, 1), (4, 1), (5, 1), (6, 1), (7, 1)]);
    }
}
