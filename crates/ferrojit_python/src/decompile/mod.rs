//! A function's source text rebuilt from its code object, natively, for the constructs numerical
//! kernels are made of: `ferrojit._native.function_text(code)`.
//!
//! CPython 3.12's bytecode is read too, translated as it is decoded into the 3.11 instructions
//! the reader reads (`v312.rs`):
//! the readers then share everything. 3.12's comprehensions (inlined, PEP 709, with an exception
//! table) and generator expressions (an exception table) are not read there: the Python reader
//! reads them, from the same translation (`stream.rs`, `ferrojit._native.instructions`).
//!
//! This is a port of the core of the Python reader `ferrojit._decompile` (its `_Reader`, the
//! boolean rebuilding of conditions and `ast._Unparser`'s writing of the nodes it makes), for the
//! subset of CPython 3.11 bytecode listed in `SUPPORTED`: assignments (augmented, unpacking,
//! chained, `:=`), `del`, `global`/`nonlocal`, expressions, calls (with `*`/`**`), attributes,
//! subscripts and slices, chained comparisons, `and`/`or` values, list/tuple/set/dict displays
//! (with unpacking), f-strings (ASCII text, no strings inside replacement fields), `if`/`elif`/
//! `else`, `while`, `for`, `break`/`continue`, `return`, `raise`, `assert`, conditional
//! expressions (in conditions too, with constant operands folded), comprehensions, generator
//! expressions, lambdas and nested functions with decorators (their code objects read by
//! readers of their own, `Reader::nested`). Not ported: annotations, generators, `try`/`with`/
//! `match`, imports, frozenset constants. Its result is the
//! Python reader's text exactly, or None: a code object with an instruction outside the subset,
//! an exception table, a constant it does not write, or a pattern the port does not take (where
//! the Python reader would take a path not ported) is left to the Python reader, which then gives
//! its text or its error. `tests/test_no_source.py` compares the two texts over its tables.
//!
//! The Python reader's exceptions map to `Fail`: `NotExpression` and `Decompile` (its
//! `DecompileError`) where it catches them (an instruction range tried as an expression), and
//! `Unsupported` for what the port does not handle, never caught: it ends the reading with None.

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyTuple};
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

mod stream;
mod v312;
pub(crate) use stream::instructions;
use v312::{cache_entries_312, chain_cleanups_312, fuse_312, loop_breaks_312, translate_312};

// CPython 3.11 opcodes (`opcode.opmap`) and their inline cache entries (`opcode._inline_cache_entries`).
const POP_TOP: u8 = 1;
const PUSH_NULL: u8 = 2;
const NOP: u8 = 9;
const UNARY_POSITIVE: u8 = 10;
const UNARY_NEGATIVE: u8 = 11;
const UNARY_NOT: u8 = 12;
const UNARY_INVERT: u8 = 15;
const BINARY_SUBSCR: u8 = 25;
const STORE_SUBSCR: u8 = 60;
const GET_ITER: u8 = 68;
const RETURN_VALUE: u8 = 83;
const HAVE_ARGUMENT: u8 = 90;
const UNPACK_SEQUENCE: u8 = 92;
const FOR_ITER: u8 = 93;
const UNPACK_EX: u8 = 94;
const STORE_ATTR: u8 = 95;
const SWAP: u8 = 99;
const LOAD_CONST: u8 = 100;
const BUILD_TUPLE: u8 = 102;
const BUILD_LIST: u8 = 103;
const BUILD_SET: u8 = 104;
const LOAD_ATTR: u8 = 106;
const COMPARE_OP: u8 = 107;
const JUMP_FORWARD: u8 = 110;
const JUMP_IF_FALSE_OR_POP: u8 = 111;
const JUMP_IF_TRUE_OR_POP: u8 = 112;
const POP_JUMP_FORWARD_IF_FALSE: u8 = 114;
const POP_JUMP_FORWARD_IF_TRUE: u8 = 115;
const LOAD_GLOBAL: u8 = 116;
const IS_OP: u8 = 117;
const CONTAINS_OP: u8 = 118;
const COPY: u8 = 120;
const BINARY_OP: u8 = 122;
const LOAD_FAST: u8 = 124;
const STORE_FAST: u8 = 125;
const POP_JUMP_FORWARD_IF_NOT_NONE: u8 = 128;
const POP_JUMP_FORWARD_IF_NONE: u8 = 129;
const RAISE_VARARGS: u8 = 130;
const BUILD_SLICE: u8 = 133;
const JUMP_BACKWARD_NO_INTERRUPT: u8 = 134;
const MAKE_CELL: u8 = 135;
const LOAD_DEREF: u8 = 137;
const JUMP_BACKWARD: u8 = 140;
const EXTENDED_ARG: u8 = 144;
const COPY_FREE_VARS: u8 = 149;
const RESUME: u8 = 151;
const LOAD_METHOD: u8 = 160;
const PRECALL: u8 = 166;
const CALL: u8 = 171;
const KW_NAMES: u8 = 172;
const POP_JUMP_BACKWARD_IF_NOT_NONE: u8 = 173;
const POP_JUMP_BACKWARD_IF_NONE: u8 = 174;
const POP_JUMP_BACKWARD_IF_FALSE: u8 = 175;
const POP_JUMP_BACKWARD_IF_TRUE: u8 = 176;
const LOAD_ASSERTION_ERROR: u8 = 74;
const LIST_TO_TUPLE: u8 = 82;
const DELETE_SUBSCR: u8 = 61;
const DELETE_ATTR: u8 = 96;
const STORE_GLOBAL: u8 = 97;
const DELETE_GLOBAL: u8 = 98;
const BUILD_MAP: u8 = 105;
const DELETE_FAST: u8 = 126;
const STORE_DEREF: u8 = 138;
const DELETE_DEREF: u8 = 139;
const CALL_FUNCTION_EX: u8 = 142;
const FORMAT_VALUE: u8 = 155;
const BUILD_CONST_KEY_MAP: u8 = 156;
const BUILD_STRING: u8 = 157;
const LIST_EXTEND: u8 = 162;
const SET_UPDATE: u8 = 163;
const DICT_MERGE: u8 = 164;
const DICT_UPDATE: u8 = 165;
const LIST_APPEND: u8 = 145;
const SET_ADD: u8 = 146;
const MAP_ADD: u8 = 147;
const MAKE_FUNCTION: u8 = 132;
const LOAD_CLOSURE: u8 = 136;
// Only in the code of a generator expression (a generator function is the Python reader's).
const RETURN_GENERATOR: u8 = 75;
const YIELD_VALUE: u8 = 86;
// Only for `global_calls`.
const LOAD_NAME: u8 = 101;
/// A translated opcode outside `SUPPORTED` (3.11's `CACHE`): an instruction not read.
const NOT_READ: u8 = 0;

/// The opcodes this reader handles; a code object with any other is left to the Python reader.
const SUPPORTED: &[u8] = &[
    POP_TOP, PUSH_NULL, NOP, UNARY_POSITIVE, UNARY_NEGATIVE, UNARY_NOT, UNARY_INVERT, BINARY_SUBSCR, STORE_SUBSCR, GET_ITER,
    RETURN_VALUE, UNPACK_SEQUENCE, FOR_ITER, UNPACK_EX, STORE_ATTR, SWAP, LOAD_CONST, BUILD_TUPLE, BUILD_LIST, BUILD_SET,
    LOAD_ATTR, COMPARE_OP, JUMP_FORWARD, JUMP_IF_FALSE_OR_POP, JUMP_IF_TRUE_OR_POP, POP_JUMP_FORWARD_IF_FALSE,
    POP_JUMP_FORWARD_IF_TRUE, LOAD_GLOBAL, IS_OP, CONTAINS_OP, COPY, BINARY_OP, LOAD_FAST, STORE_FAST,
    POP_JUMP_FORWARD_IF_NOT_NONE, POP_JUMP_FORWARD_IF_NONE, RAISE_VARARGS, BUILD_SLICE, JUMP_BACKWARD_NO_INTERRUPT, MAKE_CELL,
    LOAD_DEREF, JUMP_BACKWARD, EXTENDED_ARG, COPY_FREE_VARS, RESUME, LOAD_METHOD, PRECALL, CALL, KW_NAMES,
    POP_JUMP_BACKWARD_IF_NOT_NONE, POP_JUMP_BACKWARD_IF_NONE, POP_JUMP_BACKWARD_IF_FALSE, POP_JUMP_BACKWARD_IF_TRUE,
    LOAD_ASSERTION_ERROR, LIST_TO_TUPLE, DELETE_SUBSCR, DELETE_ATTR, STORE_GLOBAL, DELETE_GLOBAL, BUILD_MAP, DELETE_FAST,
    STORE_DEREF, DELETE_DEREF, CALL_FUNCTION_EX, FORMAT_VALUE, BUILD_CONST_KEY_MAP, BUILD_STRING, LIST_EXTEND, SET_UPDATE,
    DICT_MERGE, DICT_UPDATE, LIST_APPEND, SET_ADD, MAP_ADD, MAKE_FUNCTION, LOAD_CLOSURE, RETURN_GENERATOR, YIELD_VALUE,
];

fn cache_entries(op: u8) -> usize {
    match op {
        BINARY_SUBSCR | STORE_ATTR | LOAD_ATTR | CALL => 4,
        STORE_SUBSCR | UNPACK_SEQUENCE | BINARY_OP | PRECALL => 1,
        COMPARE_OP => 2,
        LOAD_GLOBAL => 5,
        LOAD_METHOD => 10,
        _ => 0,
    }
}

fn is_skipped(op: u8) -> bool {
    matches!(op, RESUME | NOP | PRECALL | MAKE_CELL | COPY_FREE_VARS | EXTENDED_ARG)
}

fn is_unconditional_jump(op: u8) -> bool {
    matches!(op, JUMP_FORWARD | JUMP_BACKWARD | JUMP_BACKWARD_NO_INTERRUPT)
}

/// `(jumps when the value is true?, the value's test is `is None`?)` of a conditional jump.
fn conditional_jump(op: u8) -> Option<(bool, bool)> {
    match op {
        POP_JUMP_FORWARD_IF_FALSE | POP_JUMP_BACKWARD_IF_FALSE => Some((false, false)),
        POP_JUMP_FORWARD_IF_TRUE | POP_JUMP_BACKWARD_IF_TRUE => Some((true, false)),
        POP_JUMP_FORWARD_IF_NONE | POP_JUMP_BACKWARD_IF_NONE => Some((true, true)),
        POP_JUMP_FORWARD_IF_NOT_NONE | POP_JUMP_BACKWARD_IF_NOT_NONE => Some((false, true)),
        _ => None,
    }
}

fn is_compare(op: u8) -> bool {
    matches!(op, COMPARE_OP | IS_OP | CONTAINS_OP)
}

fn is_jump(op: u8) -> bool {
    is_unconditional_jump(op) || conditional_jump(op).is_some() || matches!(op, JUMP_IF_FALSE_OR_POP | JUMP_IF_TRUE_OR_POP | FOR_ITER)
}

fn is_backward_jump(op: u8) -> bool {
    matches!(op, JUMP_BACKWARD | JUMP_BACKWARD_NO_INTERRUPT | POP_JUMP_BACKWARD_IF_FALSE | POP_JUMP_BACKWARD_IF_TRUE | POP_JUMP_BACKWARD_IF_NONE | POP_JUMP_BACKWARD_IF_NOT_NONE)
}

fn is_store(op: u8) -> bool {
    matches!(op, STORE_FAST | STORE_ATTR | STORE_SUBSCR | STORE_GLOBAL | STORE_DEREF)
}

fn is_delete(op: u8) -> bool {
    matches!(op, DELETE_FAST | DELETE_ATTR | DELETE_SUBSCR | DELETE_GLOBAL | DELETE_DEREF)
}

/// Opcodes whose name starts with `LOAD_` (for the patterns that test the name).
fn is_load(op: u8) -> bool {
    matches!(op, LOAD_CONST | LOAD_ATTR | LOAD_GLOBAL | LOAD_FAST | LOAD_DEREF | LOAD_METHOD | LOAD_NAME)
}

// --- `ast._Unparser`'s precedences -----------------------------------------------------------
const P_NAMED_EXPR: u8 = 1;
const P_TUPLE: u8 = 2;
const P_YIELD: u8 = 3;
const P_TEST: u8 = 4;
const P_OR: u8 = 5;
const P_AND: u8 = 6;
const P_NOT: u8 = 7;
const P_CMP: u8 = 8;
const P_EXPR: u8 = 9;
const P_FACTOR: u8 = 15;
const P_POWER: u8 = 16;
const P_ATOM: u8 = 18;

fn next_precedence(p: u8) -> u8 {
    (p + 1).min(P_ATOM)
}

// `BINARY_OP`'s argument -> operator (the in-place ones are these plus 13).
const BINARY_OPERATORS: [(&str, u8); 13] = [
    ("+", 13), ("&", 11), ("//", 14), ("<<", 12), ("@", 14), ("*", 14), ("%", 14), ("|", 9), ("**", P_POWER), (">>", 12),
    ("-", 13), ("/", 14), ("^", 10),
];
const COMPARE_OPERATORS: [&str; 6] = ["<", "<=", "==", "!=", ">", ">="];

// --- values ---------------------------------------------------------------------------------

/// A constant of the code object, with what writing it needs.
#[derive(Debug, PartialEq)]
enum Constant {
    None,
    Ellipsis,
    /// `int` or `bool` (a space before `.attr`), with its repr.
    Int(String),
    /// `float` or `complex`: repr with `inf` and `nan` written as `ast.unparse` does.
    Float(String),
    /// `str` or `bytes`: repr, and a `str`'s value.
    Text(String, Option<Rc<str>>),
    Tuple(Vec<Rc<Constant>>),
    /// Anything else (code objects, frozensets, ...): not handled.
    Other,
}

impl Constant {
    fn from_object(value: &Bound<'_, PyAny>) -> PyResult<Constant> {
        let py = value.py();
        if value.is_none() {
            return Ok(Constant::None);
        }
        if value.is(&py.Ellipsis()) {
            return Ok(Constant::Ellipsis);
        }
        if let Ok(items) = value.cast_exact::<PyTuple>() {
            return Ok(Constant::Tuple(items.iter().map(|item| Constant::from_object(&item).map(Rc::new)).collect::<PyResult<_>>()?));
        }
        let name = value.get_type().name()?;
        let name = name.to_str()?;
        Ok(match name {
            "int" | "bool" => Constant::Int(value.repr()?.to_string()),
            "float" | "complex" => Constant::Float(value.repr()?.to_string().replace("inf", "1e309").replace("nan", "(1e309-1e309)")),
            "str" => Constant::Text(value.repr()?.to_string(), Some(Rc::from(value.extract::<String>()?))),
            "bytes" => Constant::Text(value.repr()?.to_string(), None),
            _ => Constant::Other,
        })
    }

    /// The repr that tells two loads of constants apart (`_exit_block`).
    fn key(&self) -> String {
        format!("{self:?}")
    }
}

type X = Rc<Expr>;

#[derive(Debug, PartialEq)]
enum Expr {
    Name(Rc<str>),
    Const(Rc<Constant>),
    Attribute(X, Rc<str>),
    /// Function, positional arguments, keywords (`**value` without a name).
    Call(X, Vec<X>, Vec<(Option<Rc<str>>, X)>),
    BinOp(X, usize, X),
    /// `-`, `+`, `~` or `not`.
    UnaryOp(&'static str, X),
    /// Operands and operators; `none_jump`: a test of None read from a jump on it.
    Compare { left: X, ops: Vec<&'static str>, comparators: Vec<X>, none_jump: bool },
    /// `and` (true) or `or`.
    BoolOp(bool, Vec<X>),
    Subscript(X, X),
    Slice(Option<X>, Option<X>, Option<X>),
    Tuple(Vec<X>),
    List(Vec<X>),
    Set(Vec<X>),
    IfExp(X, X, X),
    Starred(X),
    /// `_FoldedConstant`: an operand of a conditional expression in a condition that CPython
    /// compiled to a jump (falsy) or to nothing (truthy); written `True`/`False` until folded.
    Folded(bool),
    /// `BUILD_SET 0`: `set()` unless `SET_UPDATE` fills it into a display.
    EmptySet,
    /// Keys (None: `**value`) and values.
    Dict(Vec<(Option<X>, X)>),
    /// An f-string's parts: `str` constants and `FormattedValue`s.
    JoinedStr(Vec<X>),
    /// Value, conversion (-1 or the character's code), format spec (a `JoinedStr`).
    FormattedValue(X, i64, Option<X>),
    NamedExpr(X, X),
    /// The parameters' text and the body.
    Lambda(String, X),
    /// A comprehension: its kind, element (a dict's value), a dict's key, and its generators
    /// (target, iterable, conditions).
    Comprehension { kind: CompKind, element: X, key: Option<X>, generators: Vec<(X, X, Vec<X>)> },
    /// Only inside a generator expression's code.
    Yield(X),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum CompKind {
    List,
    Set,
    Dict,
    Generator,
}

/// `MAKE_FUNCTION`'s result: a nested function, lambda or comprehension.
#[derive(Debug)]
struct Function {
    /// Index of the code object in the constants.
    code: usize,
    defaults: Option<Vec<X>>,
    kwdefaults: Option<Vec<(Rc<str>, X)>>,
    /// Applied innermost first: `@a @b def f` calls b, then a.
    decorators: Vec<X>,
}

fn name(id: &Rc<str>) -> X {
    Rc::new(Expr::Name(id.clone()))
}

fn is_none(e: &Expr) -> bool {
    matches!(e, Expr::Const(c) if **c == Constant::None)
}

struct UnpackGroup {
    value: Value,
    targets: Vec<Option<X>>,
    starred: Option<usize>,
    filled: usize,
}

struct Stored {
    value: Value,
    targets: Vec<X>,
}

/// A value of the symbolic stack (`_Reader`'s stack values).
#[derive(Clone)]
enum Value {
    Expr(X),
    Null,
    Method,
    ForItem,
    Iter(X),
    Slot(Rc<RefCell<UnpackGroup>>, usize),
    InPlace(Rc<(X, usize, X)>),
    Stored(Rc<Stored>),
    /// `LOAD_ASSERTION_ERROR`.
    AssertionError,
    /// `AssertionError(msg)` in an `assert`.
    AssertionCall(Rc<X>),
    /// A code object loaded as a constant (its index), for `MAKE_FUNCTION`.
    Code(usize),
    Function(Rc<Function>),
    /// A closure's cells, for `MAKE_FUNCTION`.
    Closure,
    /// The list, set or dict a comprehension's code builds.
    Accumulator(CompKind),
}

/// The `.0` a comprehension's code walks (its argument, an iterator already).
fn is_comprehension_argument(v: &Value) -> bool {
    matches!(v, Value::Expr(x) if matches!(&**x, Expr::Name(n) if &**n == ".0"))
}

/// Python's `is` between two stack values.
fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Expr(x), Value::Expr(y)) | (Value::Iter(x), Value::Iter(y)) => Rc::ptr_eq(x, y),
        (Value::Null, Value::Null) | (Value::Method, Value::Method) | (Value::ForItem, Value::ForItem) => true,
        (Value::Slot(g, i), Value::Slot(h, j)) => Rc::ptr_eq(g, h) && i == j,
        (Value::InPlace(x), Value::InPlace(y)) => Rc::ptr_eq(x, y),
        (Value::Stored(x), Value::Stored(y)) => Rc::ptr_eq(x, y),
        (Value::AssertionError, Value::AssertionError) => true,
        (Value::AssertionCall(x), Value::AssertionCall(y)) => Rc::ptr_eq(x, y),
        (Value::Code(x), Value::Code(y)) => x == y,
        (Value::Function(x), Value::Function(y)) => Rc::ptr_eq(x, y),
        (Value::Closure, Value::Closure) => true,
        (Value::Accumulator(x), Value::Accumulator(y)) => x == y,
        _ => false,
    }
}

#[derive(Debug)]
enum Fail {
    /// `_NotExpression`.
    NotExpression,
    /// `DecompileError`.
    Decompile,
    /// Not handled here: the Python reader reads the function.
    Unsupported,
}

type R<T> = Result<T, Fail>;

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Assign(Vec<X>, X),
    AugAssign(X, usize, X),
    Expr(X),
    Return(X),
    Raise(Option<X>, Option<X>),
    Pass,
    Break,
    Continue,
    If(X, Vec<Stmt>, Vec<Stmt>),
    While(X, Vec<Stmt>, Vec<Stmt>),
    For(X, X, Vec<Stmt>, Vec<Stmt>),
    ForTarget(X),
    Assert(X, Option<X>),
    Delete(X),
    /// `global ...` or `nonlocal ...`: written before the first statement of the body.
    Declaration(String),
    /// `raise AssertionError(msg)` as `assert` compiles it; becomes an `Assert`.
    AssertionRaise(Option<X>),
    /// A comprehension's `LIST_APPEND`/`SET_ADD` (value) or `MAP_ADD` (key, value).
    Append(Option<X>, X),
    /// A nested function (without annotations): its parameters' text, decorators outermost
    /// first.
    FunctionDef { name: String, params: String, body: Vec<Stmt>, decorators: Vec<X> },
}

#[derive(Debug, Clone, PartialEq)]
struct Stmt {
    kind: Kind,
    line: Option<i64>,
}

fn stmt(kind: Kind, line: Option<i64>) -> Stmt {
    Stmt { kind, line }
}

struct Loop {
    header: usize,
    exit: usize,
    pops_iterator: bool,
    break_targets: RefCell<BTreeSet<usize>>,
}

type LoopRef = Option<Rc<Loop>>;

struct Ins {
    op: u8,
    arg: i64,
    /// Index of the jump's target in `Reader::ins` (jumps only, else 0).
    target_offset: i64,
    offset: usize,
    line: Option<i64>,
}

/// `(value, jumps when true?, target, start)`; no value: an unconditional jump (`_JUMP`).
type Atom = (Option<X>, bool, usize, usize);

struct Reader {
    ins: Vec<Ins>,
    index_of: HashMap<usize, usize>,
    back_jumps: HashMap<usize, Vec<usize>>,
    consts: Vec<Rc<Constant>>,
    names: Vec<Rc<str>>,
    local_names: HashMap<i64, Rc<str>>,
    kw_names: Option<Vec<Rc<str>>>,
    /// Index of a chained comparison's last conditional jump -> where its condition resumes
    /// (past the cleanup block that pops the middle operand).
    chain_resume: HashMap<usize, usize>,
    /// Index of the jump a chained comparison's last link `is None`/`is not None` became ->
    /// whether it jumps when the whole chain is true.
    chain_jump_sense: HashMap<usize, bool>,
    /// The type of each constant as its rank in `folded_constant`'s preference (int, bool,
    /// float, complex, str, bytes, NoneType), None for other types; and its truth.
    const_types: Vec<Option<u8>>,
    const_truthy: Vec<bool>,
    info: CodeInfo,
    /// The reader of each code object among the constants (None: one this port does not read).
    nested: HashMap<usize, Option<Rc<RefCell<Reader>>>>,
}

/// What is read of a code object besides its instructions and constants.
struct CodeInfo {
    co_name: String,
    first_line: i64,
    flags: i64,
    argcount: usize,
    posonly: usize,
    kwonly: usize,
    varnames: Vec<String>,
    freevars: Vec<String>,
    docstring: Option<Rc<Constant>>,
    /// With a docstring, None is numbered where the code first loads it (see `function_body`).
    last_none: bool,
    has_exception_table: bool,
}

impl Reader {
    fn line(&self, i: usize) -> Option<i64> {
        self.ins.iter().skip(i).find_map(|ins| ins.line)
    }

    /// Instruction `k`; one past the end is a pattern the port does not take.
    fn at(&self, k: usize) -> R<&Ins> {
        self.ins.get(k).ok_or(Fail::Unsupported)
    }

    fn target(&self, i: usize) -> R<usize> {
        let offset = self.ins[i].target_offset;
        if offset < 0 {
            return Err(Fail::Unsupported);
        }
        self.index_of.get(&(offset as usize)).copied().ok_or(Fail::Unsupported)
    }

    fn exit_block(&self, t: usize) -> Option<Vec<(u8, String)>> {
        let mut block = vec![];
        for (k, ins) in self.ins.iter().enumerate().skip(t).take(4) {
            if ins.op == RETURN_VALUE {
                return if block.is_empty() { None } else { Some(block) };
            }
            if !is_load(ins.op) {
                return None;
            }
            block.push((ins.op, self.argval_key(k)));
        }
        None
    }

    fn argval_key(&self, k: usize) -> String {
        let ins = &self.ins[k];
        match ins.op {
            LOAD_CONST => self.consts.get(ins.arg as usize).map(|c| c.key()).unwrap_or_default(),
            LOAD_GLOBAL => self.names.get((ins.arg >> 1) as usize).map(|n| n.to_string()).unwrap_or_default(),
            LOAD_ATTR | LOAD_METHOD | LOAD_NAME => self.names.get(ins.arg as usize).map(|n| n.to_string()).unwrap_or_default(),
            _ => self.local_names.get(&ins.arg).map(|n| format!("{}:{n}", ins.op)).unwrap_or_default(),
        }
    }

    fn same_exit_block(&self, a: usize, b: usize) -> bool {
        let block = if a < self.ins.len() { self.exit_block(a) } else { None };
        block.is_some() && b < self.ins.len() && block == self.exit_block(b)
    }

    fn exit_copy(&self, t: usize, after: usize) -> usize {
        let Some(block) = self.exit_block(t) else { return t };
        for k in after + 1..t {
            if self.exit_block(k).as_ref() == Some(&block) {
                return k;
            }
        }
        t
    }

    fn resolve(&self, mut i: usize) -> R<usize> {
        let mut seen = BTreeSet::new();
        while i < self.ins.len() && seen.insert(i) {
            let op = self.ins[i].op;
            if is_unconditional_jump(op) {
                i = self.target(i)?;
            } else if op == NOP {
                i += 1;
            } else {
                break;
            }
        }
        Ok(i)
    }

    // --- functions ------------------------------------------------------------------------

    /// `function_definition`'s body: the statements, after the `global`/`nonlocal`
    /// declarations and the docstring; `pass` for none.
    fn statements(&mut self) -> R<Vec<Stmt>> {
        if self.info.flags & (0x80 | 0x100 | 0x200) != 0 {
            return Err(Fail::Decompile); // `async def`
        }
        let mut body = self.function_body(self.info.last_none)?;
        // `global`/`nonlocal`: names the code stores or deletes as globals, or as variables of
        // an enclosing function.
        let mut globals = BTreeSet::new();
        let mut nonlocals = BTreeSet::new();
        for x in &self.ins {
            match x.op {
                STORE_GLOBAL | DELETE_GLOBAL => {
                    globals.insert(self.names.get(x.arg as usize).map(|n| n.to_string()).ok_or(Fail::Unsupported)?);
                }
                STORE_DEREF | DELETE_DEREF => {
                    let n = self.local_names.get(&x.arg).map(|n| n.to_string()).ok_or(Fail::Unsupported)?;
                    if self.info.freevars.contains(&n) {
                        nonlocals.insert(n);
                    }
                }
                _ => {}
            }
        }
        let mut declared = vec![];
        if !globals.is_empty() {
            declared.push(stmt(Kind::Declaration(format!("global {}", globals.into_iter().collect::<Vec<_>>().join(", "))), None));
        }
        if !nonlocals.is_empty() {
            declared.push(stmt(Kind::Declaration(format!("nonlocal {}", nonlocals.into_iter().collect::<Vec<_>>().join(", "))), None));
        }
        body.splice(0..0, declared);
        if let Some(doc) = &self.info.docstring {
            body.insert(0, stmt(Kind::Expr(Rc::new(Expr::Const(doc.clone()))), None));
        }
        if body.is_empty() {
            body.push(stmt(Kind::Pass, None));
        }
        Ok(body)
    }

    /// The parameters as `ast._Unparser.visit_arguments` writes them (without annotations):
    /// `defaults` for the last positional ones, `kwdefaults` by name for keyword-only ones.
    fn parameters(&self, defaults: Option<&[X]>, kwdefaults: Option<&[(Rc<str>, X)]>) -> R<String> {
        let info = &self.info;
        let names = &info.varnames;
        let (nargs, nkw) = (info.argcount, info.kwonly);
        if names.len() < nargs + nkw {
            return Err(Fail::Unsupported);
        }
        let defaults = defaults.unwrap_or(&[]);
        let mut out = String::new();
        let mut first = true;
        let padding = nargs.saturating_sub(defaults.len());
        for (k, name) in names[..nargs].iter().enumerate() {
            if !first {
                out.push_str(", ");
            }
            first = false;
            out.push_str(name);
            if k >= padding {
                out.push('=');
                write_expr(&defaults[k - padding], P_TEST, &mut out);
            }
            if k + 1 == info.posonly {
                out.push_str(", /");
            }
        }
        let mut at = nargs + nkw;
        let vararg = if info.flags & 0x04 != 0 {
            at += 1;
            Some(names.get(at - 1).ok_or(Fail::Unsupported)?)
        } else {
            None
        };
        if vararg.is_some() || nkw > 0 {
            if !first {
                out.push_str(", ");
            }
            first = false;
            out.push('*');
            if let Some(v) = vararg {
                out.push_str(v);
            }
        }
        for name in &names[nargs..nargs + nkw] {
            out.push_str(", ");
            out.push_str(name);
            if let Some((_, v)) = kwdefaults.unwrap_or(&[]).iter().rev().find(|(k, _)| **k == **name) {
                out.push('=');
                write_expr(v, P_TEST, &mut out);
            }
        }
        if info.flags & 0x08 != 0 {
            if !first {
                out.push_str(", ");
            }
            out.push_str("**");
            out.push_str(names.get(at).ok_or(Fail::Unsupported)?);
        }
        Ok(out)
    }

    /// The state a reading leaves, cleared: the Python reader reads a nested code object with
    /// a new reader each time.
    fn fresh(&mut self) {
        self.kw_names = None;
        self.chain_resume.clear();
        self.chain_jump_sense.clear();
    }

    /// The `co_name` of a function's code.
    fn function_name(&self, function: &Function) -> R<String> {
        let reader = self.nested.get(&function.code).cloned().flatten().ok_or(Fail::Unsupported)?;
        let name = reader.borrow().info.co_name.clone();
        Ok(name)
    }

    /// `nested_function`: the `def` statement of a nested function.
    fn nested_function(&self, function: &Function) -> R<Stmt> {
        let reader = self.nested.get(&function.code).cloned().flatten().ok_or(Fail::Unsupported)?;
        let mut reader = reader.borrow_mut();
        if reader.info.has_exception_table {
            return Err(Fail::Unsupported); // `try`, `with`: the Python reader's
        }
        reader.fresh();
        let body = reader.statements()?;
        let params = reader.parameters(function.defaults.as_deref(), function.kwdefaults.as_deref())?;
        let decorators = function.decorators.iter().rev().cloned().collect();
        Ok(stmt(Kind::FunctionDef { name: reader.info.co_name.clone(), params, body, decorators }, Some(reader.info.first_line)))
    }

    /// `lambda_expr`.
    fn lambda(&self, function: &Function) -> R<X> {
        let reader = self.nested.get(&function.code).cloned().flatten().ok_or(Fail::Unsupported)?;
        let mut reader = reader.borrow_mut();
        if reader.info.flags & 0x20 != 0 {
            return Err(Fail::Unsupported); // a generator's lambda
        }
        reader.fresh();
        let body = reader.statements()?;
        let params = reader.parameters(function.defaults.as_deref(), function.kwdefaults.as_deref())?;
        match &body[..] {
            [Stmt { kind: Kind::Return(value), .. }] => Ok(Rc::new(Expr::Lambda(params, value.clone()))),
            [] | [Stmt { kind: Kind::Pass, .. }] => Ok(Rc::new(Expr::Lambda(params, Rc::new(Expr::Const(Rc::new(Constant::None)))))),
            _ => Err(Fail::Decompile),
        }
    }

    /// `comprehension`: a comprehension's code object folded back into the expression.
    fn comprehension(&self, function: &Function, iterable: X) -> R<X> {
        let reader = self.nested.get(&function.code).cloned().flatten().ok_or(Fail::Unsupported)?;
        let mut reader = reader.borrow_mut();
        reader.fresh();
        let kind = match reader.info.co_name.as_str() {
            "<listcomp>" => CompKind::List,
            "<setcomp>" => CompKind::Set,
            "<dictcomp>" => CompKind::Dict,
            _ => CompKind::Generator,
        };
        if reader.info.has_exception_table {
            return Err(Fail::Decompile);
        }
        let n = reader.ins.len();
        let mut start = 0;
        let mut stack = vec![];
        if kind != CompKind::Generator {
            // `BUILD_LIST 0` (`BUILD_SET 0`, `BUILD_MAP 0`) after `RESUME`: the accumulator.
            while is_skipped(reader.at(start)?.op) {
                start += 1;
            }
            if !matches!(reader.ins[start].op, BUILD_LIST | BUILD_SET | BUILD_MAP) || reader.ins[start].arg != 0 {
                return Err(Fail::Decompile);
            }
            stack.push(Value::Accumulator(kind));
            start += 1;
        }
        let mut body = reader.block(start, n, &mut stack, None, n, false, None)?;
        if matches!(body.last().map(|s| &s.kind), Some(Kind::Return(_))) {
            body.pop();
        }
        let [first] = &body[..] else { return Err(Fail::Decompile) };
        if !matches!(first.kind, Kind::For(..)) {
            return Err(Fail::Decompile);
        }
        let mut generators: Vec<(X, X, Vec<X>)> = vec![];
        let mut node = first;
        let (key, element) = loop {
            let inner = match &node.kind {
                Kind::For(target, iter, body, orelse) if orelse.is_empty() => {
                    generators.push((target.clone(), iter.clone(), vec![]));
                    body
                }
                Kind::If(test, body, orelse) if orelse.is_empty() && !generators.is_empty() => {
                    generators.last_mut().unwrap().2.push(test.clone());
                    body
                }
                _ => return Err(Fail::Decompile),
            };
            let [next] = &inner[..] else { return Err(Fail::Decompile) };
            node = next;
            match &node.kind {
                Kind::Append(key, value) => break (key.clone(), value.clone()),
                Kind::Expr(value) => {
                    if let Expr::Yield(value) = &**value {
                        break (None, value.clone());
                    }
                }
                _ => {}
            }
        };
        generators[0].1 = iterable;
        Ok(Rc::new(Expr::Comprehension { kind, element, key, generators }))
    }

    fn function_body(&mut self, consts_last_none: bool) -> R<Vec<Stmt>> {
        let n = self.ins.len();
        let mut body = self.block(0, n, &mut vec![], None, n, false, None)?;
        while let Some(Stmt { kind: Kind::Return(value), line }) = body.last() {
            if !is_none(value) {
                break;
            }
            let before = body[..body.len() - 1].iter().filter_map(max_line).max();
            if let (Some(line), Some(before)) = (line, before) {
                if *line > before {
                    break;
                }
            }
            body.pop();
        }
        Ok(branches_falling_out(body, consts_last_none))
    }

    // --- blocks of statements -----------------------------------------------------------------

    #[allow(clippy::too_many_arguments)]
    fn block(&mut self, mut i: usize, end: usize, stack: &mut Vec<Value>, lp: LoopRef, exit: usize, expression: bool, base: Option<usize>) -> R<Vec<Stmt>> {
        let base = base.unwrap_or(stack.len());
        let below: Vec<Value> = stack[..base.min(stack.len())].to_vec();
        let mut stmts = vec![];
        let mut start: Option<usize> = None;
        while i < end {
            let op = self.ins[i].op;
            if is_skipped(op) {
                i += 1;
                continue;
            }
            if op == RETURN_GENERATOR {
                // A generator's first instructions: make the generator, pop it (never seen).
                i += if i + 1 < end && self.ins[i + 1].op == POP_TOP { 2 } else { 1 };
                continue;
            }
            if start.is_none() && stack.len() <= base {
                start = Some(i);
                if !expression && self.back_jumps.get(&i).is_some_and(|js| js.iter().any(|&j| i < j && j < end)) {
                    i = self.while_loop(i, end, stack, lp.clone(), &mut stmts, exit)?;
                    start = None;
                    continue;
                }
            }
            let arg = self.ins[i].arg;
            let emitted;
            if conditional_jump(op).is_some() {
                i = self.conditional(i, end, stack, base, lp.clone(), &mut stmts, exit, start, expression, false)?;
                if stack.len() <= base {
                    start = None;
                }
                continue;
            }
            if op == JUMP_IF_FALSE_OR_POP || op == JUMP_IF_TRUE_OR_POP {
                i = self.boolean_value(i, stack, lp.clone(), exit)?;
                continue;
            }
            if op == FOR_ITER {
                if expression {
                    return Err(Fail::NotExpression);
                }
                i = self.for_loop(i, end, stack, lp.clone(), &mut stmts, exit)?;
                start = None;
                continue;
            }
            if is_unconditional_jump(op) {
                if expression {
                    return Err(Fail::NotExpression);
                }
                let popped_iterator = below.iter().skip(stack.len()).any(|v| matches!(v, Value::Iter(_)) || is_comprehension_argument(v));
                emitted = self.jump(i, end, lp.clone(), exit, popped_iterator)?;
                i += 1;
                if emitted.is_none() {
                    continue;
                }
            } else if op == SWAP && arg == 2 && i + 2 < end && self.ins[i + 1].op == COPY && self.ins[i + 1].arg == 2 && is_compare(self.ins[i + 2].op) {
                i = self.chained_comparison(i, end, stack, lp.clone(), exit)?;
                continue;
            } else if op == SWAP && (arg == 2 || arg == 3) && stack.len() == base + arg as usize && start.is_some() && stack[stack.len() - arg as usize..].iter().all(|v| matches!(v, Value::Expr(_))) {
                let n = arg as usize;
                let values: Vec<X> = stack.drain(stack.len() - n..).map(|v| if let Value::Expr(x) = v { x } else { unreachable!() }).collect();
                let group = Rc::new(RefCell::new(UnpackGroup { value: Value::Expr(Rc::new(Expr::Tuple(values))), targets: vec![None; n], starred: None, filled: 0 }));
                stack.extend((0..n).rev().map(|k| Value::Slot(group.clone(), k)));
                i += 1;
                continue;
            } else {
                if is_store(op) {
                    self.parallel_assignment(op, stack, base);
                }
                if !expression && stack.len() == base + 1 && matches!(stack.last(), Some(Value::Expr(_))) && start.is_some() && op == COPY && arg == 1 && self.starts_match(i, end) {
                    return Err(Fail::Unsupported);
                }
                emitted = self.simple(i, stack)?;
                i += 1;
            }
            if let Some(mut s) = emitted {
                if expression {
                    return Err(Fail::NotExpression);
                }
                if s.line.is_none() {
                    s.line = self.line(start.unwrap_or(i - 1));
                }
                stmts.push(s);
                if stack.len() <= base {
                    start = None;
                }
            }
        }
        Ok(stmts)
    }

    fn parallel_assignment(&self, op: u8, stack: &mut [Value], base: usize) {
        let operands = match op {
            STORE_ATTR => 1,
            STORE_SUBSCR => 2,
            _ => 0,
        };
        let top = stack.len().saturating_sub(operands);
        if top <= base {
            return;
        }
        let values = &stack[base..top];
        if values.len() < 2 || !values.iter().all(|v| matches!(v, Value::Expr(_))) {
            return;
        }
        let last = &values[values.len() - 1];
        if values[..values.len() - 1].iter().any(|v| same_value(v, last)) {
            return;
        }
        let exprs: Vec<X> = values.iter().map(|v| if let Value::Expr(x) = v { x.clone() } else { unreachable!() }).collect();
        let n = exprs.len();
        let group = Rc::new(RefCell::new(UnpackGroup { value: Value::Expr(Rc::new(Expr::Tuple(exprs))), targets: vec![None; n], starred: None, filled: 0 }));
        for (k, slot) in stack[base..top].iter_mut().enumerate() {
            *slot = Value::Slot(group.clone(), k);
        }
    }

    fn expression(&mut self, i: usize, end: usize, stack: &[Value], lp: LoopRef, exit: usize) -> R<Option<X>> {
        let mut trial = stack.to_vec();
        match self.block(i, end, &mut trial, lp, exit, true, None) {
            Ok(_) => {}
            Err(Fail::Unsupported) => return Err(Fail::Unsupported),
            Err(_) => return Ok(None),
        }
        if trial.len() != stack.len() + 1 || trial.iter().zip(stack).any(|(a, b)| !same_value(a, b)) {
            return Ok(None);
        }
        match trial.pop().unwrap() {
            Value::Expr(x) => Ok(Some(x)),
            // A lambda, or `(name := value)`, as an operand.
            stored @ (Value::Stored(_) | Value::Function(_)) => match self.value(stored) {
                Ok(x) => Ok(Some(x)),
                Err(Fail::Unsupported) => Err(Fail::Unsupported),
                Err(_) => Ok(None),
            },
            // Not an expression node: returned as it is by the Python reader, to fail later.
            _ => Err(Fail::Unsupported),
        }
    }

    // --- jumps ----------------------------------------------------------------------------------

    fn jump(&self, i: usize, end: usize, lp: LoopRef, exit: usize, popped_iterator: bool) -> R<Option<Stmt>> {
        let t = self.target(i)?;
        if let Some(l) = &lp {
            if popped_iterator && l.pops_iterator {
                l.break_targets.borrow_mut().insert(self.resolve(t)?);
                return Ok(Some(stmt(Kind::Break, None)));
            }
            let ends_block = i + 1 == end && self.resolve(exit)? == self.resolve(t)?;
            if self.resolve(t)? == self.resolve(l.header)? && !ends_block {
                return Ok(Some(stmt(Kind::Continue, None)));
            }
            if !l.pops_iterator && !ends_block && (t >= l.exit || self.resolve(t)? == self.resolve(l.exit)?) {
                l.break_targets.borrow_mut().insert(self.resolve(t)?);
                return Ok(Some(stmt(Kind::Break, None)));
            }
        }
        if self.resolve(t)? == self.resolve(exit)? {
            return Ok(None);
        }
        Err(Fail::Decompile)
    }

    fn read_condition(&mut self, mut i: usize, end: usize, stack: &mut Vec<Value>, lp: LoopRef, exit: usize) -> R<(Vec<Atom>, usize)> {
        let mut candidates: Vec<(Vec<Atom>, usize, bool)> = vec![];
        let mut start = i;
        let mut first_line = None;
        let mut pending: Vec<Atom> = vec![];
        loop {
            let mut value = self.pop(stack)?;
            let (mut jumps_when, mut none_test) = conditional_jump(self.ins[i].op).ok_or(Fail::Unsupported)?;
            if let Some(&sense) = self.chain_jump_sense.get(&i) {
                // The jump of a chained comparison ending in a None test: on the chain's truth.
                (jumps_when, none_test) = (sense, false);
            }
            if none_test {
                value = Rc::new(Expr::Compare { left: value, ops: vec!["is"], comparators: vec![Rc::new(Expr::Const(Rc::new(Constant::None)))], none_jump: true });
            }
            let mut atoms = candidates.last().map(|c| c.0.clone()).unwrap_or_default();
            atoms.append(&mut pending);
            atoms.push((Some(value), jumps_when, self.target(i)?, start));
            if first_line.is_none() {
                first_line = Some(self.line(i));
            }
            let mut nxt = self.chain_resume.remove(&i).unwrap_or(i + 1);
            let false_target = atoms[atoms.len() - 1].2;
            let closed = atoms.iter().all(|a| a.2 == false_target || a.2 <= nxt);
            candidates.push((atoms.clone(), nxt, closed));
            let mut more = self.next_atom(nxt, end, stack, lp.clone(), exit)?;
            if more.is_none() {
                // `if (a if c else b):`: the jump ending the middle operand's jumps, and the
                // jump a constant operand compiled to.
                let after;
                (pending, after) = self.jump_atoms(nxt, end)?;
                if !pending.is_empty() {
                    more = self.next_atom(after, end, stack, lp.clone(), exit)?;
                    if more.is_none() {
                        atoms.append(&mut pending);
                        let false_target = atoms[atoms.len() - 1].2;
                        let closed = atoms.iter().all(|a| a.2 == false_target || a.2 <= after);
                        candidates.push((atoms, after, closed));
                        break;
                    }
                    nxt = after;
                }
            }
            let Some((value, j)) = more else { break };
            if closed && self.line(j) != first_line.unwrap() && (self.target(j)? <= false_target || self.same_exit_block(self.target(j)?, false_target)) {
                break;
            }
            stack.push(Value::Expr(value));
            i = j;
            start = nxt;
        }
        for (atoms, nxt, closed) in candidates.into_iter().rev() {
            if closed && boolean(&atoms, nxt, atoms[atoms.len() - 1].2)?.is_some() {
                return Ok((atoms, nxt));
            }
            let atoms: Vec<Atom> = atoms.iter().map(|(v, w, t, s)| (v.clone(), *w, self.exit_copy(*t, nxt), *s)).collect();
            let false_target = atoms[atoms.len() - 1].2;
            if atoms.iter().all(|a| a.2 == false_target || a.2 <= nxt) && boolean(&atoms, nxt, false_target)?.is_some() {
                return Ok((atoms, nxt));
            }
        }
        Err(Fail::Decompile)
    }

    /// `_jump_atoms`: the unconditional forward jumps from `i` (NOPs skipped), at most two, as
    /// atoms without a value, and where the instructions after them start.
    fn jump_atoms(&self, mut i: usize, end: usize) -> R<(Vec<Atom>, usize)> {
        let mut atoms = vec![];
        while i < end && atoms.len() < 2 {
            let mut k = i;
            while k < end && self.ins[k].op == NOP {
                k += 1;
            }
            if k >= end || self.ins[k].op != JUMP_FORWARD {
                break;
            }
            atoms.push((None, true, self.target(k)?, k));
            i = k + 1;
        }
        Ok((atoms, i))
    }

    fn next_atom(&mut self, i: usize, end: usize, stack: &[Value], lp: LoopRef, exit: usize) -> R<Option<(X, usize)>> {
        let mut j = i;
        while j < end && conditional_jump(self.ins[j].op).is_none() {
            let op = self.ins[j].op;
            if is_store(op) && j > i && self.ins[j - 1].op == COPY && self.ins[j - 1].arg == 1 {
                j += 1;
                continue;
            }
            if is_unconditional_jump(op) || matches!(op, FOR_ITER | RETURN_VALUE | RAISE_VARARGS | JUMP_IF_FALSE_OR_POP | JUMP_IF_TRUE_OR_POP) || is_store(op) || is_delete(op) || op == POP_TOP {
                if op == JUMP_IF_FALSE_OR_POP || op == JUMP_IF_TRUE_OR_POP {
                    j = self.target(j)?;
                    continue;
                }
                if op == JUMP_FORWARD || op == POP_TOP {
                    j += 1;
                    continue;
                }
                return Ok(None);
            }
            if op == SWAP && self.ins[j].arg == 2 && j + 2 < end && self.ins[j + 1].op == COPY {
                return self.atom_through_chain(i, end, stack, lp, exit);
            }
            j += 1;
        }
        if j >= end || j == i {
            return Ok(None);
        }
        Ok(self.expression(i, j, stack, lp, exit)?.map(|v| (v, j)))
    }

    /// `_atom_through_chain`: `next_atom` for a value holding a chained comparison (read on a
    /// copy of `stack`).
    fn atom_through_chain(&mut self, i: usize, end: usize, stack: &[Value], lp: LoopRef, exit: usize) -> R<Option<(X, usize)>> {
        let mut trial = stack.to_vec();
        let mut k = i;
        let read = (|| {
            while k < end && conditional_jump(self.ins[k].op).is_none() {
                if self.ins[k].op == SWAP && self.ins[k].arg == 2 && self.ins.get(k + 1).ok_or(Fail::Unsupported)?.op == COPY {
                    k = self.chained_comparison(k, end, &mut trial, lp.clone(), exit)?;
                    continue;
                }
                if is_skipped(self.ins[k].op) {
                    k += 1;
                    continue;
                }
                if self.simple(k, &mut trial)?.is_some() {
                    return Ok(false);
                }
                k += 1;
            }
            Ok(true)
        })();
        match read {
            Err(Fail::Unsupported) => return Err(Fail::Unsupported),
            Err(_) | Ok(false) => return Ok(None),
            Ok(true) => {}
        }
        if k >= end || trial.len() != stack.len() + 1 {
            return Ok(None);
        }
        match trial.pop() {
            Some(Value::Expr(x)) => Ok(Some((x, k))),
            // Not an expression node: the Python reader takes it as it is.
            _ => Err(Fail::Unsupported),
        }
    }

    /// `a < b < c`: `SWAP 2; COPY 2; compare` then a jump to a cleanup block, per link. Pushes
    /// the comparison; returns the index of the last compare's following instruction (a
    /// value's `JUMP_FORWARD` is skipped with its cleanup).
    fn chained_comparison(&mut self, i: usize, end: usize, stack: &mut Vec<Value>, lp: LoopRef, exit: usize) -> R<usize> {
        let mut middle = self.pop(stack)?;
        let left = self.pop(stack)?;
        let (mut ops, mut comparators) = (vec![], vec![]);
        let mut k = i;
        loop {
            let compare = self.at(k + 2)?;
            ops.push(compare_operator(compare.op, compare.arg).ok_or(Fail::Decompile)?);
            comparators.push(middle);
            if !matches!(self.at(k + 3)?.op, JUMP_IF_FALSE_OR_POP | POP_JUMP_FORWARD_IF_FALSE) {
                return Err(Fail::Decompile);
            }
            let cleanup = self.target(k + 3)?;
            // The next operand, up to the next link or the last compare.
            let mut j = k + 4;
            let depth = stack.len();
            let mut probe = stack.clone();
            while j < end {
                let (op, arg) = (self.ins[j].op, self.ins[j].arg);
                let link = op == SWAP && arg == 2 && self.at(j + 1)?.op == COPY && is_compare(self.at(j + 2)?.op);
                if link && probe.len() == depth + 1 {
                    break;
                }
                if is_compare(op) && probe.len() == depth + 1 {
                    break;
                }
                if conditional_jump(op).is_some_and(|(_, none_test)| none_test) && probe.len() == depth {
                    break; // `... is None` / `is not None` last, folded into the jump
                }
                if is_skipped(op) {
                    j += 1;
                    continue;
                }
                if link {
                    j = self.chained_comparison(j, end, &mut probe, lp.clone(), exit)?;
                    continue;
                }
                if self.simple(j, &mut probe)?.is_some() {
                    return Err(Fail::Decompile);
                }
                j += 1;
            }
            let op = self.at(j)?.op;
            if let Some((jumps_when_none, _)) = conditional_jump(op) {
                // The last link `x is None` or `x is not None` became the jump. The cleanup
                // jumps to the jump's target when the condition jumps on false, else falls
                // through.
                let jumps_on_false = if self.at(cleanup)?.op == POP_TOP { Some(is_unconditional_jump(self.at(cleanup + 1)?.op)) } else { None };
                let Some(jumps_on_false) = jumps_on_false else { return Err(Fail::Decompile) };
                if !(j + 1 < end && self.ins[j + 1].op == JUMP_FORWARD) {
                    return Err(Fail::Decompile);
                }
                let is_none = jumps_when_none != jumps_on_false;
                ops.push(if is_none { "is" } else { "is not" });
                comparators.push(Rc::new(Expr::Const(Rc::new(Constant::None))));
                stack.push(Value::Expr(Rc::new(Expr::Compare { left, ops, comparators, none_jump: false })));
                let resume = self.target(j + 1)?;
                self.chain_resume.insert(j, resume);
                self.chain_jump_sense.insert(j, !jumps_on_false);
                return Ok(j);
            }
            middle = self.pop(&mut probe)?;
            if is_compare(op) {
                ops.push(compare_operator(op, self.ins[j].arg).ok_or(Fail::Decompile)?);
                comparators.push(middle);
                stack.push(Value::Expr(Rc::new(Expr::Compare { left, ops, comparators, none_jump: false })));
                let after = self.at(j + 1)?.op;
                if conditional_jump(after).is_some() {
                    // In a condition: `JUMP_FORWARD end` then the cleanup `POP_TOP [JUMP]`.
                    if j + 2 < end && self.ins[j + 2].op == JUMP_FORWARD && self.at(cleanup)?.op == POP_TOP {
                        let resume = self.target(j + 2)?;
                        self.chain_resume.insert(j + 1, resume);
                    }
                    return Ok(j + 1);
                }
                if after == JUMP_FORWARD && self.at(cleanup)?.op == SWAP {
                    return self.target(j + 1);
                }
                return Err(Fail::Decompile);
            }
            k = j;
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn conditional(&mut self, i: usize, end: usize, stack: &mut Vec<Value>, base: usize, lp: LoopRef, stmts: &mut Vec<Stmt>, exit: usize, start: Option<usize>, expression: bool, loop_test: bool) -> R<usize> {
        let depth = stack.len() as i64 - 1;
        let (mut atoms, body_start) = self.read_condition(i, end, stack, lp.clone(), exit)?;
        let mut false_target = atoms[atoms.len() - 1].2;
        let n = self.ins.len();
        if false_target > end && exit < n && self.same_exit_block(false_target, self.resolve(exit)?) {
            atoms = atoms.into_iter().map(|(v, w, t, s)| (v, w, if t == false_target { end } else { t }, s)).collect();
            false_target = end;
        }
        let mut condition = boolean(&atoms, body_start, false_target)?.ok_or(Fail::Decompile)?;
        if has_folded(&condition) {
            condition = fold(&condition, &|truthy| self.folded_constant(truthy, i))?;
        }
        // `(a and b) or c` / `(a or b) and c` as a value: the condition's jumps lead to the
        // second operand of a value's `or`/`and`.
        if body_start < false_target && false_target <= end && matches!(self.ins[false_target - 1].op, JUMP_IF_FALSE_OR_POP | JUMP_IF_TRUE_OR_POP) {
            let after = self.target(false_target - 1)?;
            let value = self.expression(body_start, false_target - 1, stack, lp.clone(), exit)?;
            let rest = match &value {
                Some(_) if after > false_target => self.expression(false_target, after, stack, lp.clone(), exit)?,
                _ => None,
            };
            if let (Some(value), Some(rest)) = (value, rest) {
                let (and, first) = if self.ins[false_target - 1].op == JUMP_IF_TRUE_OR_POP {
                    (false, flat(true, vec![boolean(&atoms, body_start, false_target)?.ok_or(Fail::Unsupported)?, value]))
                } else {
                    (true, flat(false, vec![boolean(&atoms, false_target, body_start)?.ok_or(Fail::Unsupported)?, value]))
                };
                stack.push(Value::Expr(flat(and, vec![first, rest])));
                return Ok(after);
            }
        }
        if (body_start < false_target && false_target <= end) || (false_target > end && expression) {
            let before_else = false_target - 1;
            if self.ins[before_else].op == JUMP_FORWARD {
                let after = self.target(before_else)?;
                if let Some(if_true) = self.expression(body_start, before_else, stack, lp.clone(), exit)? {
                    if let Some(if_false) = self.expression(false_target, after, stack, lp.clone(), exit)? {
                        stack.push(Value::Expr(Rc::new(Expr::IfExp(condition, if_true, if_false))));
                        return Ok(after);
                    }
                }
            }
        }
        if depth > base as i64 || expression {
            return Err(Fail::Decompile);
        }
        let start = start.ok_or(Fail::Unsupported)?;
        let line = self.line(start);
        // `assert`: the body raises AssertionError.
        if body_start < false_target && false_target <= end && self.ins[body_start].op == LOAD_ASSERTION_ERROR {
            let body = self.block(body_start, false_target, &mut stack.clone(), lp.clone(), false_target, false, None)?;
            if let [Stmt { kind: Kind::AssertionRaise(msg), .. }] = &body[..] {
                let test = boolean(&atoms, false_target, body_start)?.ok_or(Fail::Unsupported)?;
                stmts.push(stmt(Kind::Assert(test, msg.clone()), line));
                return Ok(false_target);
            }
        }
        // `while`: the body ends with the test again.
        let back: Vec<usize> = self.back_jumps.get(&body_start).map(|js| js.iter().copied().filter(|&j| body_start < j && j < end && conditional_jump(self.ins[j].op).is_some()).collect()).unwrap_or_default();
        if let Some(&last_back) = back.iter().max() {
            let loop_end = last_back + 1;
            if loop_end >= body_start - start {
                let bottom = loop_end - (body_start - start);
                if bottom > body_start && self.same_test(start, body_start, bottom, loop_end) {
                    return self.while_statement(start, condition, body_start, bottom, loop_end, end, stack, lp, stmts, exit, false);
                }
            }
        }
        if loop_test && body_start < false_target && false_target <= end {
            return self.while_statement(start, condition, body_start, false_target, false_target, end, stack, lp, stmts, exit, true);
        }
        if body_start < false_target && false_target <= end {
            let before_else = false_target - 1;
            let jump_op = self.ins[before_else].op;
            if is_unconditional_jump(jump_op) && before_else >= body_start {
                let after = self.target(before_else)?;
                let popped = before_else > 0 && self.ins[before_else - 1].op == POP_TOP && lp.as_ref().is_some_and(|l| l.pops_iterator);
                if false_target < after && after <= end && !popped {
                    let body = self.block(body_start, before_else, &mut stack.clone(), lp.clone(), after, false, None)?;
                    let mut orelse = self.block(false_target, after, &mut stack.clone(), lp.clone(), if after == end { exit } else { after }, false, None)?;
                    if let Some(l) = &lp {
                        if after == end
                            && is_unconditional_jump(self.ins[after - 1].op)
                            && self.resolve(after - 1)? == self.resolve(l.header)?
                            && !matches!(last_statement(&orelse).map(|s| &s.kind), Some(Kind::Continue | Kind::Break | Kind::Return(_) | Kind::Raise(..)))
                        {
                            orelse.push(stmt(Kind::Continue, self.line(after - 1)));
                        }
                    }
                    stmts.push(stmt(Kind::If(condition, body, orelse), line));
                    return Ok(after);
                }
                if let Some(l) = &lp {
                    if false_target == end && !popped && end < n && is_unconditional_jump(self.ins[end].op) && self.resolve(after)? == self.resolve(end)? && self.resolve(end)? == self.resolve(l.header)? {
                        let body = self.block(body_start, before_else, &mut stack.clone(), lp.clone(), after, false, None)?;
                        let orelse = vec![stmt(Kind::Continue, self.line(end))];
                        stmts.push(stmt(Kind::If(condition, body, orelse), line));
                        return Ok(end);
                    }
                }
                if self.resolve(after)? == self.resolve(exit)? && !popped && jump_op == JUMP_FORWARD {
                    let body = self.block(body_start, before_else, &mut stack.clone(), lp.clone(), exit, false, None)?;
                    let orelse = self.block(false_target, end, &mut stack.clone(), lp.clone(), exit, false, None)?;
                    stmts.push(stmt(Kind::If(condition, body, orelse), line));
                    return Ok(end);
                }
            }
            let body = self.block(body_start, false_target, &mut stack.clone(), lp.clone(), false_target, false, None)?;
            stmts.push(stmt(Kind::If(condition, body, vec![]), line));
            return Ok(false_target);
        }
        if self.resolve(false_target)? == self.resolve(exit)? {
            let body = self.block(body_start, end, &mut stack.clone(), lp.clone(), exit, false, None)?;
            stmts.push(stmt(Kind::If(condition, body, vec![]), line));
            return Ok(end);
        }
        if let Some(l) = &lp {
            let mut jump_out = None;
            if self.resolve(false_target)? == self.resolve(l.header)? {
                jump_out = Some(Kind::Continue);
            } else if !l.pops_iterator && self.resolve(false_target)? == self.resolve(l.exit)? {
                l.break_targets.borrow_mut().insert(self.resolve(false_target)?);
                jump_out = Some(Kind::Break);
            }
            if let Some(kind) = jump_out {
                let test = boolean(&atoms, false_target, body_start)?.ok_or(Fail::Unsupported)?;
                stmts.push(stmt(Kind::If(test, vec![stmt(kind, None)], vec![]), line));
                return Ok(body_start);
            }
        }
        Err(Fail::Decompile)
    }

    /// `folded_constant`: a constant with the truth `truthy` that CPython compiled into a jump
    /// at the condition read at `i`. Constants are numbered in the order the compiler meets
    /// them, and a folded one keeps its number: one that no instruction loads; else the number
    /// after those loaded before `i` when the first loaded after `i` skips it; else one met
    /// before (None first when falsy), which adds no number.
    fn folded_constant(&self, truthy: bool, i: usize) -> R<X> {
        let n = self.consts.len();
        let fits = |k: usize| 0 < k && k < n && self.const_types[k].is_some() && self.const_truthy[k] == truthy;
        let loads: Vec<(usize, usize)> = self.ins.iter().enumerate().filter(|(_, x)| x.op == LOAD_CONST).map(|(k, x)| (k, x.arg as usize)).collect();
        let loaded: BTreeSet<usize> = loads.iter().map(|l| l.1).collect();
        let constant = |k: usize| Rc::new(Expr::Const(self.consts[k].clone()));
        if let Some(k) = (0..n).find(|&k| !loaded.contains(&k) && fits(k)) {
            return Ok(constant(k));
        }
        let met = loads.iter().filter(|l| l.0 < i).map(|l| l.1).max().unwrap_or(0);
        let later = loads.iter().find(|l| l.0 > i && l.1 > met).map(|l| l.1);
        if fits(met + 1) && later.is_none_or(|k| k > met + 1) {
            return Ok(constant(met + 1));
        }
        // Any constant met before gives the same code; a number types as the other operand
        // most likely does. (`const_types`: the preference order, None last.)
        let mut met_before: Vec<usize> = (1..=met).filter(|&k| fits(k)).collect();
        met_before.sort_by_key(|&k| self.const_types[k]);
        if let Some(&k) = met_before.first() {
            return Ok(constant(k));
        }
        if !truthy && self.consts[..(met + 1).min(n)].iter().any(|c| **c == Constant::None) {
            return Ok(Rc::new(Expr::Const(Rc::new(Constant::None))));
        }
        Err(Fail::Decompile)
    }

    fn same_test(&self, a: usize, a_end: usize, b: usize, b_end: usize) -> bool {
        if a_end - a != b_end - b {
            return false;
        }
        for (x, y) in self.ins[a..a_end].iter().zip(&self.ins[b..b_end]) {
            if conditional_jump(x.op).is_some() && conditional_jump(y.op).is_some() {
                continue;
            }
            // `argval` compared: the argument, or for jumps the target offset.
            if x.op != y.op || (!is_unconditional_jump(x.op) && if is_jump(x.op) { x.target_offset != y.target_offset } else { x.arg != y.arg }) {
                return false;
            }
        }
        true
    }

    #[allow(clippy::too_many_arguments)]
    fn loop_else(&mut self, inner: &Loop, loop_exit: usize, end: usize, stack: &[Value], lp: LoopRef, exit: usize) -> R<(Vec<Stmt>, usize)> {
        let targets = inner.break_targets.borrow().clone();
        let Some(&target) = targets.iter().max() else { return Ok((vec![], loop_exit)) };
        if loop_exit < target && target <= end {
            let orelse = self.block(loop_exit, target, &mut stack.to_vec(), lp, target, false, None)?;
            return Ok((orelse, target));
        }
        let resolved_exit = self.resolve(exit)?;
        if loop_exit < end && targets.iter().any(|&t| t == resolved_exit) {
            let orelse = self.block(loop_exit, end, &mut stack.to_vec(), lp, exit, false, None)?;
            return Ok((orelse, end));
        }
        Ok((vec![], loop_exit))
    }

    #[allow(clippy::too_many_arguments)]
    fn while_statement(&mut self, start: usize, condition: X, body_start: usize, bottom: usize, loop_end: usize, end: usize, stack: &mut [Value], lp: LoopRef, stmts: &mut Vec<Stmt>, exit: usize, falls_out: bool) -> R<usize> {
        let line = self.line(start);
        let inner = Rc::new(Loop { header: start, exit: loop_end, pops_iterator: false, break_targets: RefCell::new(BTreeSet::new()) });
        let mut body = self.block(body_start, bottom, &mut stack.to_vec(), Some(inner.clone()), bottom, false, None)?;
        if falls_out && !matches!(body.last().map(|s| &s.kind), Some(Kind::Return(_) | Kind::Raise(..) | Kind::Continue | Kind::Break)) {
            let leave_line = if self.ins[bottom - 1].op == NOP { self.line(bottom - 1) } else { None };
            body.push(stmt(Kind::Break, leave_line));
        }
        let (orelse, after) = self.loop_else(&inner, loop_end, end, stack, lp, exit)?;
        drop_trailing_continue(&mut body);
        stmts.push(stmt(Kind::While(condition, body, orelse), line));
        Ok(after)
    }

    fn while_loop(&mut self, i: usize, end: usize, stack: &mut Vec<Value>, lp: LoopRef, stmts: &mut Vec<Stmt>, exit: usize) -> R<usize> {
        let last = self.back_jumps[&i].iter().copied().filter(|&j| j < end).max().ok_or(Fail::Unsupported)?;
        let probe = stack.clone();
        if let Some((_, j)) = self.next_atom(i, end, &probe, lp.clone(), exit)? {
            if self.target(j)? > last {
                return self.while_with_test(i, end, stack, lp, stmts, exit);
            }
        }
        if !matches!(self.ins[last].op, JUMP_BACKWARD | JUMP_BACKWARD_NO_INTERRUPT) {
            return Err(Fail::Decompile);
        }
        let line = if i > 0 && self.ins[i - 1].op == NOP { self.line(i - 1) } else { self.line(i) };
        let after = last + 1;
        let inner = Rc::new(Loop { header: i, exit: after, pops_iterator: false, break_targets: RefCell::new(BTreeSet::new()) });
        let saved = self.back_jumps.remove(&i);
        let body = self.block(i, last, &mut stack.clone(), Some(inner.clone()), i, false, None);
        if let Some(saved) = saved {
            self.back_jumps.insert(i, saved);
        }
        let mut body = body?;
        drop_trailing_continue(&mut body);
        let (orelse, after) = self.loop_else(&inner, after, end, stack, lp, exit)?;
        let test = Rc::new(Expr::Const(Rc::new(Constant::Int("True".into()))));
        stmts.push(stmt(Kind::While(test, body, orelse), line));
        Ok(after)
    }

    fn while_with_test(&mut self, i: usize, end: usize, stack: &mut Vec<Value>, lp: LoopRef, stmts: &mut Vec<Stmt>, exit: usize) -> R<usize> {
        let saved = self.back_jumps.remove(&i);
        let result = (|| {
            let before = stmts.len();
            let mut k = i;
            while conditional_jump(self.ins.get(k).ok_or(Fail::Unsupported)?.op).is_none() {
                if self.ins[k].op == SWAP && self.ins[k].arg == 2 && self.ins.get(k + 1).ok_or(Fail::Unsupported)?.op == COPY {
                    k = self.chained_comparison(k, end, stack, lp.clone(), exit)?;
                    continue;
                }
                if !is_skipped(self.ins[k].op) && self.simple(k, stack)?.is_some() {
                    return Err(Fail::Decompile);
                }
                k += 1;
            }
            let base = stack.len() - 1;
            let after = self.conditional(k, end, stack, base, lp, stmts, exit, Some(i), false, true)?;
            if stmts.len() != before + 1 || !matches!(stmts[stmts.len() - 1].kind, Kind::While(..)) {
                return Err(Fail::Decompile);
            }
            Ok(after)
        })();
        if let Some(saved) = saved {
            self.back_jumps.insert(i, saved);
        }
        result
    }

    fn for_loop(&mut self, i: usize, end: usize, stack: &mut Vec<Value>, lp: LoopRef, stmts: &mut Vec<Stmt>, exit: usize) -> R<usize> {
        let iterable = match stack.last() {
            Some(Value::Iter(iterable)) => iterable.clone(),
            // A comprehension's argument, an iterator already.
            Some(Value::Expr(x)) if matches!(&**x, Expr::Name(n) if &**n == ".0") => x.clone(),
            _ => return Err(Fail::Decompile),
        };
        let mut exit_index = self.target(i)?;
        let mut leaves_block = false;
        if exit_index > end && exit < self.ins.len() && self.same_exit_block(exit_index, self.resolve(exit)?) {
            let backs: Vec<usize> = self.back_jumps.get(&i).map(|js| js.iter().copied().filter(|&j| j < end && self.ins[j].op == JUMP_BACKWARD).collect()).unwrap_or_default();
            if backs.iter().max() == Some(&(end - 1)) {
                exit_index = end;
                leaves_block = true;
            }
        }
        let last = exit_index - 1;
        let inner = Rc::new(Loop { header: i, exit: exit_index, pops_iterator: true, break_targets: RefCell::new(BTreeSet::new()) });
        let body_end = if self.ins[last].op == JUMP_BACKWARD && self.target(last)? == i { last } else { exit_index };
        let mut body_stack = stack.clone();
        body_stack.push(Value::ForItem);
        let mut body = self.block(i + 1, body_end, &mut body_stack, Some(inner.clone()), i, false, Some(stack.len()))?;
        let Some(Stmt { kind: Kind::ForTarget(target), line: target_line }) = body.first().cloned() else { return Err(Fail::Decompile) };
        body.remove(0);
        let line = target_line.filter(|&l| l != 0).or_else(|| self.line(i));
        drop_trailing_continue(&mut body);
        if body.is_empty() {
            body.push(stmt(Kind::Pass, None));
        }
        stack.pop();
        let (orelse, after) = if leaves_block { (vec![], exit_index) } else { self.loop_else(&inner, exit_index, end, stack, lp, exit)? };
        stmts.push(stmt(Kind::For(target, iterable, body, orelse), line));
        Ok(after)
    }

    fn boolean_value(&mut self, i: usize, stack: &mut Vec<Value>, lp: LoopRef, exit: usize) -> R<usize> {
        let and = self.ins[i].op == JUMP_IF_FALSE_OR_POP;
        let left = self.pop(stack)?;
        let after = self.target(i)?;
        let right = self.expression(i + 1, after, stack, lp, exit)?.ok_or(Fail::Decompile)?;
        let mut values = vec![left];
        match &*right {
            Expr::BoolOp(op, items) if *op == and => values.extend(items.iter().cloned()),
            _ => values.push(right),
        }
        stack.push(Value::Expr(Rc::new(Expr::BoolOp(and, values))));
        Ok(after)
    }

    fn starts_match(&self, i: usize, end: usize) -> bool {
        let Some(next) = self.ins.get(i + 1).filter(|_| i + 1 < end) else { return false };
        if next.op == COPY && next.arg == 1 || next.op == POP_JUMP_FORWARD_IF_NOT_NONE {
            return true;
        }
        for j in i + 1..(i + 12).min(end.saturating_sub(1)) {
            let op = self.ins[j].op;
            if is_compare(op) {
                return self.ins[j + 1].op == POP_JUMP_FORWARD_IF_FALSE;
            }
            if conditional_jump(op).is_some() || is_unconditional_jump(op) || is_store(op) || op == RETURN_VALUE || op == POP_TOP || matches!(op, POP_JUMP_FORWARD_IF_FALSE | POP_JUMP_FORWARD_IF_TRUE) {
                return false;
            }
        }
        false
    }

    // --- instructions without control flow ----------------------------------------------------

    fn pop(&self, stack: &mut Vec<Value>) -> R<X> {
        let value = stack.pop().ok_or(Fail::Decompile)?;
        self.value(value)
    }

    fn value(&self, value: Value) -> R<X> {
        match value {
            Value::Expr(x) => Ok(x),
            Value::Stored(s) => {
                if s.targets.len() == 1 && matches!(*s.targets[0], Expr::Name(_)) {
                    Ok(Rc::new(Expr::NamedExpr(s.targets[0].clone(), self.value(s.value.clone())?)))
                } else {
                    Err(Fail::Decompile)
                }
            }
            Value::Iter(x) => Ok(Rc::new(Expr::Call(name(&Rc::from("iter")), vec![x], vec![]))),
            Value::Function(f) => {
                let reader = self.nested.get(&f.code).cloned().flatten().ok_or(Fail::Unsupported)?;
                let is_lambda = reader.borrow().info.co_name == "<lambda>";
                if is_lambda {
                    self.lambda(&f)
                } else {
                    Err(Fail::Decompile) // a function object used as a value
                }
            }
            _ => Err(Fail::Decompile),
        }
    }

    /// One instruction without jumps; the statement it ends, if any. A stack that does not hold
    /// what the instruction takes is a `Decompile` failure, as the Python reader's.
    fn simple(&mut self, i: usize, stack: &mut Vec<Value>) -> R<Option<Stmt>> {
        let op = self.ins[i].op;
        let arg = self.ins[i].arg;
        let name_at = |k: i64| -> R<Rc<str>> { self.names.get(usize::try_from(k).map_err(|_| Fail::Decompile)?).cloned().ok_or(Fail::Decompile) };
        match op {
            LOAD_FAST | LOAD_DEREF | LOAD_CLOSURE => stack.push(Value::Expr(name(self.local_names.get(&arg).ok_or(Fail::Unsupported)?))),
            LOAD_GLOBAL => {
                if arg & 1 != 0 {
                    stack.push(Value::Null);
                }
                stack.push(Value::Expr(name(&name_at(arg >> 1)?)));
            }
            LOAD_CONST if self.nested.contains_key(&(arg as usize)) => stack.push(Value::Code(arg as usize)),
            LOAD_CONST => {
                let constant = self.consts.get(arg as usize).ok_or(Fail::Unsupported)?.clone();
                if !writable(&constant) {
                    return Err(Fail::Unsupported);
                }
                stack.push(Value::Expr(Rc::new(Expr::Const(constant))));
            }
            PUSH_NULL => stack.push(Value::Null),
            LOAD_ASSERTION_ERROR => stack.push(Value::AssertionError),
            LOAD_ATTR => {
                let owner = self.pop(stack)?;
                stack.push(Value::Expr(Rc::new(Expr::Attribute(owner, name_at(arg)?))));
            }
            LOAD_METHOD => {
                let owner = self.pop(stack)?;
                stack.push(Value::Method);
                stack.push(Value::Expr(Rc::new(Expr::Attribute(owner, name_at(arg)?))));
            }
            COPY => {
                let k = usize::try_from(arg).map_err(|_| Fail::Decompile)?;
                if k == 0 || k > stack.len() {
                    return Err(Fail::Decompile);
                }
                stack.push(stack[stack.len() - k].clone());
            }
            SWAP => {
                let k = usize::try_from(arg).map_err(|_| Fail::Decompile)?;
                if k == 0 || k > stack.len() {
                    return Err(Fail::Decompile);
                }
                let n = stack.len();
                stack.swap(n - 1, n - k);
            }
            POP_TOP => {
                let top = stack.pop().ok_or(Fail::Decompile)?;
                if matches!(top, Value::Iter(_) | Value::Null | Value::Method) || is_comprehension_argument(&top) {
                    return Ok(None);
                }
                return Ok(Some(stmt(Kind::Expr(self.value(top)?), None)));
            }
            BINARY_OP => {
                let right = self.pop(stack)?;
                let left = self.pop(stack)?;
                let k = usize::try_from(arg).map_err(|_| Fail::Decompile)?;
                if k >= 2 * BINARY_OPERATORS.len() {
                    return Err(Fail::Decompile);
                }
                if k >= BINARY_OPERATORS.len() {
                    stack.push(Value::InPlace(Rc::new((left, k - BINARY_OPERATORS.len(), right))));
                } else {
                    stack.push(Value::Expr(Rc::new(Expr::BinOp(left, k, right))));
                }
            }
            UNARY_NEGATIVE | UNARY_POSITIVE | UNARY_NOT | UNARY_INVERT => {
                let operand = self.pop(stack)?;
                let operator = match op {
                    UNARY_NEGATIVE => "-",
                    UNARY_POSITIVE => "+",
                    UNARY_NOT => "not",
                    _ => "~",
                };
                stack.push(Value::Expr(Rc::new(Expr::UnaryOp(operator, operand))));
            }
            COMPARE_OP | IS_OP | CONTAINS_OP => {
                let right = self.pop(stack)?;
                let left = self.pop(stack)?;
                let operator = compare_operator(op, arg).ok_or(Fail::Decompile)?;
                stack.push(Value::Expr(Rc::new(Expr::Compare { left, ops: vec![operator], comparators: vec![right], none_jump: false })));
            }
            BINARY_SUBSCR => {
                let index = self.pop(stack)?;
                let container = self.pop(stack)?;
                stack.push(Value::Expr(Rc::new(Expr::Subscript(container, index))));
            }
            BUILD_SLICE => {
                let mut parts = vec![];
                for _ in 0..arg {
                    parts.push(self.pop(stack)?);
                }
                parts.reverse();
                if parts.len() < 2 {
                    return Err(Fail::Decompile);
                }
                let bound = |p: &X| if is_none(p) { None } else { Some(p.clone()) };
                let step = if parts.len() == 3 { Some(parts[2].clone()) } else { None };
                stack.push(Value::Expr(Rc::new(Expr::Slice(bound(&parts[0]), bound(&parts[1]), step))));
            }
            BUILD_SET if arg == 0 => stack.push(Value::Expr(Rc::new(Expr::EmptySet))),
            LIST_EXTEND | SET_UPDATE | DICT_UPDATE | DICT_MERGE | LIST_APPEND | SET_ADD => {
                let items = self.pop(stack)?;
                let k = usize::try_from(arg).map_err(|_| Fail::Decompile)?;
                if k == 0 || k > stack.len() {
                    return Err(Fail::Decompile);
                }
                let at = stack.len() - k;
                if matches!(op, LIST_APPEND | SET_ADD) && matches!(stack[at], Value::Accumulator(_)) {
                    return Ok(Some(stmt(Kind::Append(None, items), None)));
                }
                // The display being built is replaced by one with the items added.
                let Value::Expr(target) = &stack[at] else { return Err(Fail::Decompile) };
                let built = match (op, &**target) {
                    (LIST_EXTEND, Expr::List(elts)) => {
                        let mut elts = elts.clone();
                        match &*items {
                            Expr::Const(c) if elts.is_empty() && matches!(**c, Constant::Tuple(_)) => {
                                let Constant::Tuple(values) = &**c else { unreachable!() };
                                elts.extend(values.iter().map(|v| Rc::new(Expr::Const(v.clone()))));
                            }
                            _ => elts.push(Rc::new(Expr::Starred(items))),
                        }
                        Expr::List(elts)
                    }
                    // A display's item after an unpacking.
                    (LIST_APPEND, Expr::List(elts)) => Expr::List(elts.iter().cloned().chain([items]).collect()),
                    (SET_ADD, Expr::Set(elts)) => Expr::Set(elts.iter().cloned().chain([items]).collect()),
                    (SET_ADD, Expr::EmptySet) => Expr::Set(vec![items]),
                    (SET_UPDATE, Expr::Set(_) | Expr::EmptySet) => {
                        let mut elts = if let Expr::Set(elts) = &**target { elts.clone() } else { vec![] };
                        match &*items {
                            Expr::Set(values) if elts.is_empty() => elts.extend(values.iter().cloned()),
                            _ => elts.push(Rc::new(Expr::Starred(items))),
                        }
                        Expr::Set(elts)
                    }
                    (DICT_UPDATE | DICT_MERGE, Expr::Dict(pairs)) => {
                        let mut pairs = pairs.clone();
                        pairs.push((None, items));
                        Expr::Dict(pairs)
                    }
                    _ => return Err(Fail::Decompile),
                };
                stack[at] = Value::Expr(Rc::new(built));
            }
            LIST_TO_TUPLE => {
                let items = self.pop(stack)?;
                let Expr::List(elts) = &*items else { return Err(Fail::Decompile) };
                stack.push(Value::Expr(Rc::new(Expr::Tuple(elts.clone()))));
            }
            BUILD_MAP => {
                let mut items = vec![];
                for _ in 0..2 * arg {
                    items.push(self.pop(stack)?);
                }
                items.reverse();
                let pairs = items.chunks(2).map(|kv| (Some(kv[0].clone()), kv[1].clone())).collect();
                stack.push(Value::Expr(Rc::new(Expr::Dict(pairs))));
            }
            BUILD_CONST_KEY_MAP => {
                let keys = self.pop(stack)?;
                let Expr::Const(keys) = &*keys else { return Err(Fail::Decompile) };
                let Constant::Tuple(keys) = &**keys else { return Err(Fail::Unsupported) };
                let mut values = vec![];
                for _ in 0..arg {
                    values.push(self.pop(stack)?);
                }
                values.reverse();
                if keys.len() != values.len() {
                    return Err(Fail::Unsupported);
                }
                let pairs = keys.iter().zip(values).map(|(k, v)| (Some(Rc::new(Expr::Const(k.clone()))), v)).collect();
                stack.push(Value::Expr(Rc::new(Expr::Dict(pairs))));
            }
            BUILD_STRING => {
                let mut items = vec![];
                for _ in 0..arg {
                    items.push(self.pop(stack)?);
                }
                items.reverse();
                let mut parts = vec![];
                for item in items {
                    match &*item {
                        Expr::JoinedStr(values) => parts.extend(values.iter().cloned()),
                        _ => parts.push(item),
                    }
                }
                stack.push(Value::Expr(Rc::new(Expr::JoinedStr(parts))));
            }
            FORMAT_VALUE => {
                let spec = if arg & 4 != 0 {
                    let spec = self.pop(stack)?;
                    Some(if matches!(*spec, Expr::JoinedStr(_)) { spec } else { Rc::new(Expr::JoinedStr(vec![spec])) })
                } else {
                    None
                };
                let value = self.pop(stack)?;
                let conversion = [-1, 's' as i64, 'r' as i64, 'a' as i64][(arg & 3) as usize];
                stack.push(Value::Expr(Rc::new(Expr::JoinedStr(vec![Rc::new(Expr::FormattedValue(value, conversion, spec))]))));
            }
            CALL_FUNCTION_EX => {
                let kwargs = if arg & 1 != 0 { Some(self.pop(stack)?) } else { None };
                let args = self.pop(stack)?;
                let func = self.pop(stack)?;
                let below = stack.pop().ok_or(Fail::Decompile)?;
                if !matches!(below, Value::Null | Value::Method) {
                    return Err(Fail::Decompile);
                }
                let positional = match &*args {
                    Expr::Tuple(elts) => elts.clone(),
                    Expr::Const(c) if matches!(**c, Constant::Tuple(_)) => {
                        let Constant::Tuple(values) = &**c else { unreachable!() };
                        values.iter().map(|v| Rc::new(Expr::Const(v.clone()))).collect()
                    }
                    _ => vec![Rc::new(Expr::Starred(args.clone()))],
                };
                let mut keywords = vec![];
                match kwargs {
                    Some(kwargs) => match &*kwargs {
                        Expr::Dict(pairs) => {
                            for (k, v) in pairs {
                                let name = match k.as_deref() {
                                    None => None,
                                    Some(Expr::Const(c)) => match &**c {
                                        Constant::Text(text, Some(_)) => Some(self.kw_name(text)?),
                                        _ => return Err(Fail::Unsupported),
                                    },
                                    Some(_) => return Err(Fail::Unsupported),
                                };
                                keywords.push((name, v.clone()));
                            }
                        }
                        _ => keywords.push((None, kwargs.clone())),
                    },
                    None => {}
                }
                stack.push(Value::Expr(Rc::new(Expr::Call(func, positional, keywords))));
            }
            DELETE_FAST | DELETE_DEREF => {
                let target = name(self.local_names.get(&arg).ok_or(Fail::Unsupported)?);
                return Ok(Some(stmt(Kind::Delete(target), None)));
            }
            DELETE_GLOBAL => return Ok(Some(stmt(Kind::Delete(name(&name_at(arg)?)), None))),
            DELETE_ATTR => {
                let owner = self.pop(stack)?;
                return Ok(Some(stmt(Kind::Delete(Rc::new(Expr::Attribute(owner, name_at(arg)?))), None)));
            }
            DELETE_SUBSCR => {
                let index = self.pop(stack)?;
                let container = self.pop(stack)?;
                return Ok(Some(stmt(Kind::Delete(Rc::new(Expr::Subscript(container, index))), None)));
            }
            STORE_GLOBAL => {
                let target = name(&name_at(arg)?);
                return self.store(target, stack);
            }
            BUILD_TUPLE
                if arg > 0
                    && stack.len() >= arg as usize
                    && stack[stack.len() - arg as usize..].iter().all(|v| matches!(v, Value::Expr(x) if matches!(**x, Expr::Name(_))))
                    && self.ins.get(i + 1).is_some_and(|x| x.op == LOAD_CONST && self.nested.contains_key(&(x.arg as usize)))
                    && i >= arg as usize
                    && (1..=arg as usize).all(|k| self.ins[i - k].op == LOAD_CLOSURE) =>
            {
                // A closure's cells, for MAKE_FUNCTION.
                stack.truncate(stack.len() - arg as usize);
                stack.push(Value::Closure);
            }
            MAKE_FUNCTION => {
                let Some(Value::Code(code)) = stack.pop() else { return Err(Fail::Decompile) };
                if arg & 8 != 0 {
                    stack.pop().ok_or(Fail::Decompile)?;
                }
                if arg & 4 != 0 {
                    return Err(Fail::Unsupported); // annotations: a nested `def`'s
                }
                let kwdefaults = if arg & 2 != 0 {
                    let items = self.pop(stack)?;
                    let Expr::Dict(pairs) = &*items else { return Err(Fail::Decompile) };
                    let mut named = vec![];
                    for (k, v) in pairs {
                        let Some(Expr::Const(c)) = k.as_deref() else { return Err(Fail::Unsupported) };
                        let Constant::Text(_, Some(k)) = &**c else { return Err(Fail::Unsupported) };
                        named.push((k.clone(), v.clone()));
                    }
                    Some(named)
                } else {
                    None
                };
                let defaults = if arg & 1 != 0 {
                    let items = self.pop(stack)?;
                    Some(match &*items {
                        Expr::Const(c) => match &**c {
                            Constant::Tuple(values) => values.iter().map(|v| Rc::new(Expr::Const(v.clone()))).collect(),
                            _ => return Err(Fail::Decompile),
                        },
                        Expr::Tuple(elts) => elts.clone(),
                        _ => return Err(Fail::Decompile),
                    })
                } else {
                    None
                };
                stack.push(Value::Function(Rc::new(Function { code, defaults, kwdefaults, decorators: vec![] })));
            }
            MAP_ADD => {
                let value = self.pop(stack)?;
                let key = self.pop(stack)?;
                let k = usize::try_from(arg).map_err(|_| Fail::Decompile)?;
                if k == 0 || k > stack.len() || !matches!(stack[stack.len() - k], Value::Accumulator(_)) {
                    return Err(Fail::Decompile);
                }
                return Ok(Some(stmt(Kind::Append(Some(key), value), None)));
            }
            YIELD_VALUE => {
                let value = self.pop(stack)?;
                stack.push(Value::Expr(Rc::new(Expr::Yield(value))));
            }
            BUILD_TUPLE | BUILD_LIST | BUILD_SET => {
                let mut items = vec![];
                for _ in 0..arg {
                    items.push(self.pop(stack)?);
                }
                items.reverse();
                stack.push(Value::Expr(Rc::new(match op {
                    BUILD_TUPLE => Expr::Tuple(items),
                    BUILD_LIST => Expr::List(items),
                    _ => Expr::Set(items),
                })));
            }
            GET_ITER => {
                let iterable = self.pop(stack)?;
                stack.push(Value::Iter(iterable));
            }
            KW_NAMES => {
                let Some(Constant::Tuple(items)) = self.consts.get(arg as usize).map(|c| &**c) else { return Err(Fail::Unsupported) };
                let mut names = vec![];
                for item in items {
                    let Constant::Text(text, _) = &**item else { return Err(Fail::Unsupported) };
                    names.push(self.kw_name(text)?);
                }
                self.kw_names = Some(names);
            }
            CALL => {
                let n = usize::try_from(arg).map_err(|_| Fail::Decompile)?;
                let names = self.kw_names.take().unwrap_or_default();
                if stack.len() < n + 2 {
                    return Err(Fail::Decompile);
                }
                let mut raw: Vec<Value> = stack.drain(stack.len() - n..).collect();
                let mut callable = stack.pop().unwrap();
                let below = stack.pop().unwrap();
                if !matches!(below, Value::Null | Value::Method) {
                    raw.insert(0, callable);
                    callable = below;
                }
                if let Value::Function(f) = &callable {
                    if self.function_name(f)?.starts_with('<') && self.function_name(f)? != "<lambda>" {
                        let [Value::Iter(iterable)] = &raw[..] else { return Err(Fail::Decompile) };
                        let comprehension = self.comprehension(f, iterable.clone())?;
                        stack.push(Value::Expr(comprehension));
                        return Ok(None);
                    }
                }
                if let [Value::Function(f)] = &raw[..] {
                    if names.is_empty() && !self.function_name(f)?.starts_with('<') {
                        // `@decorator` over a nested `def`: the decorator called with the new
                        // function.
                        let mut decorators = f.decorators.clone();
                        decorators.push(self.value(callable)?);
                        stack.push(Value::Function(Rc::new(Function { code: f.code, defaults: f.defaults.clone(), kwdefaults: f.kwdefaults.clone(), decorators })));
                        return Ok(None);
                    }
                }
                if matches!(callable, Value::AssertionError) {
                    if raw.len() != 1 {
                        return Err(Fail::Decompile);
                    }
                    let msg = self.value(raw.pop().unwrap())?;
                    stack.push(Value::AssertionCall(Rc::new(msg)));
                    return Ok(None);
                }
                let args = raw.into_iter().map(|v| self.value(v)).collect::<R<Vec<X>>>()?;
                let func = self.value(callable)?;
                if names.len() > args.len() {
                    return Err(Fail::Decompile);
                }
                let split = args.len() - names.len();
                let keywords = names.into_iter().map(Some).zip(args[split..].iter().cloned()).collect();
                stack.push(Value::Expr(Rc::new(Expr::Call(func, args[..split].to_vec(), keywords))));
            }
            RETURN_VALUE => {
                let value = stack.pop().ok_or(Fail::Decompile)?;
                if matches!(value, Value::Accumulator(_)) {
                    // A comprehension's result, folded by `comprehension`.
                    return Ok(Some(stmt(Kind::Return(name(&Rc::from(".accumulator"))), None)));
                }
                return Ok(Some(stmt(Kind::Return(self.value(value)?), None)));
            }
            RAISE_VARARGS => {
                let cause = if arg == 2 { Some(self.pop(stack)?) } else { None };
                if arg >= 1 {
                    let exc = stack.pop().ok_or(Fail::Decompile)?;
                    let kind = match exc {
                        Value::AssertionError => Kind::AssertionRaise(None),
                        Value::AssertionCall(msg) => Kind::AssertionRaise(Some((*msg).clone())),
                        exc => Kind::Raise(Some(self.value(exc)?), cause),
                    };
                    return Ok(Some(stmt(kind, None)));
                }
                return Ok(Some(stmt(Kind::Raise(None, None), None)));
            }
            STORE_FAST | STORE_DEREF => {
                let target = name(self.local_names.get(&arg).ok_or(Fail::Unsupported)?);
                return self.store(target, stack);
            }
            STORE_ATTR => {
                let owner = self.pop(stack)?;
                let attr = name_at(arg)?;
                return self.store(Rc::new(Expr::Attribute(owner, attr)), stack);
            }
            STORE_SUBSCR => {
                let index = self.pop(stack)?;
                let container = self.pop(stack)?;
                return self.store(Rc::new(Expr::Subscript(container, index)), stack);
            }
            UNPACK_SEQUENCE | UNPACK_EX => {
                let value = stack.pop().ok_or(Fail::Decompile)?;
                let (n, starred) = if op == UNPACK_SEQUENCE {
                    (arg as usize, None)
                } else {
                    let (before, after) = ((arg & 0xFF) as usize, (arg >> 8) as usize);
                    (before + 1 + after, Some(before))
                };
                let group = Rc::new(RefCell::new(UnpackGroup { value, targets: vec![None; n], starred, filled: 0 }));
                stack.extend((0..n).rev().map(|k| Value::Slot(group.clone(), k)));
            }
            _ => return Err(Fail::Unsupported),
        }
        Ok(None)
    }

    fn kw_name(&self, text: &str) -> R<Rc<str>> {
        // A keyword's repr is `'name'`: an identifier needs no escapes.
        let inner = text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')).ok_or(Fail::Unsupported)?;
        if inner.is_empty() || !inner.chars().all(|c| c.is_alphanumeric() || c == '_') {
            return Err(Fail::Unsupported);
        }
        Ok(Rc::from(inner))
    }

    fn store(&mut self, target: X, stack: &mut Vec<Value>) -> R<Option<Stmt>> {
        let value = stack.pop().ok_or(Fail::Decompile)?;
        if let Value::Function(f) = &value {
            if matches!(&*target, Expr::Name(n) if **n == *self.function_name(f)?) && self.function_name(f)? != "<lambda>" {
                return self.nested_function(f).map(Some);
            }
        }
        match value {
            Value::Slot(group, index) => self.fill(&group, index, target),
            Value::ForItem => Ok(Some(stmt(Kind::ForTarget(target), None))),
            Value::InPlace(in_place) => {
                let (in_target, op, in_value) = &*in_place;
                if **in_target != *target {
                    return Err(Fail::Decompile);
                }
                Ok(Some(stmt(Kind::AugAssign(target, *op, in_value.clone()), None)))
            }
            Value::Stored(stored) => {
                let mut targets = stored.targets.clone();
                targets.push(target);
                Ok(Some(stmt(Kind::Assign(targets, self.value(stored.value.clone())?), None)))
            }
            value => {
                if stack.last().is_some_and(|top| same_value(top, &value)) {
                    let n = stack.len();
                    stack[n - 1] = Value::Stored(Rc::new(Stored { value, targets: vec![target] }));
                    return Ok(None);
                }
                Ok(Some(stmt(Kind::Assign(vec![target], self.value(value)?), None)))
            }
        }
    }

    fn fill(&mut self, group: &Rc<RefCell<UnpackGroup>>, index: usize, target: X) -> R<Option<Stmt>> {
        let (tuple_target, value) = {
            let mut g = group.borrow_mut();
            let target = if g.starred == Some(index) { Rc::new(Expr::Starred(target)) } else { target };
            g.targets[index] = Some(target);
            g.filled += 1;
            if g.filled < g.targets.len() {
                return Ok(None);
            }
            let targets = g.targets.iter().map(|t| t.clone().ok_or(Fail::Decompile)).collect::<R<Vec<X>>>()?;
            (Rc::new(Expr::Tuple(targets)), g.value.clone())
        };
        match value {
            Value::Slot(outer, k) => self.fill(&outer, k, tuple_target),
            Value::ForItem => Ok(Some(stmt(Kind::ForTarget(tuple_target), None))),
            value => Ok(Some(stmt(Kind::Assign(vec![tuple_target], self.value(value)?), None))),
        }
    }
}

fn compare_operator(op: u8, arg: i64) -> Option<&'static str> {
    match op {
        COMPARE_OP => COMPARE_OPERATORS.get(usize::try_from(arg).ok()?).copied(),
        IS_OP => Some(if arg != 0 { "is not" } else { "is" }),
        _ => Some(if arg != 0 { "not in" } else { "in" }),
    }
}

fn writable(c: &Constant) -> bool {
    match c {
        Constant::Other => false,
        Constant::Tuple(items) => items.iter().all(|i| writable(i)),
        _ => true,
    }
}

/// The largest line of the statement and those in it.
fn max_line(s: &Stmt) -> Option<i64> {
    let nested = match &s.kind {
        Kind::If(_, a, b) | Kind::While(_, a, b) | Kind::For(_, _, a, b) => a.iter().chain(b).filter_map(max_line).max(),
        Kind::FunctionDef { body, .. } => body.iter().filter_map(max_line).max(),
        _ => None,
    };
    s.line.max(nested)
}

fn last_statement(stmts: &[Stmt]) -> Option<&Stmt> {
    let mut last = stmts.last();
    while let Some(Stmt { kind: Kind::If(_, body, orelse), .. }) = last {
        let branch = if orelse.is_empty() { body } else { orelse };
        last = branch.last();
    }
    last
}

fn drop_trailing_continue(body: &mut Vec<Stmt>) {
    while matches!(body.last().map(|s| &s.kind), Some(Kind::Continue)) {
        body.pop();
    }
}

fn is_return_none(s: &Stmt) -> bool {
    matches!(&s.kind, Kind::Return(v) if is_none(v))
}

/// `_branches_falling_out`.
fn branches_falling_out(mut stmts: Vec<Stmt>, always: bool) -> Vec<Stmt> {
    for k in 0..stmts.len() {
        let Kind::If(_, body, orelse) = &stmts[k].kind else { continue };
        if !orelse.is_empty() || k + 1 == stmts.len() {
            continue;
        }
        let kept = body.len() - body.iter().rev().take_while(|s| is_return_none(s)).count();
        let returns = body.len() - kept;
        if returns > 0 && (always || returns > 1) {
            let rest = branches_falling_out(stmts.split_off(k + 1), always);
            if let Kind::If(_, body, orelse) = &mut stmts[k].kind {
                body.truncate(kept);
                if body.is_empty() {
                    body.push(stmt(Kind::Pass, None));
                }
                *orelse = rest;
            }
            return stmts;
        }
    }
    stmts
}

// --- conditions ---------------------------------------------------------------------------------

fn negate(e: &X) -> X {
    match &**e {
        Expr::UnaryOp("not", operand) => operand.clone(),
        Expr::Compare { left, comparators, none_jump: true, .. } => Rc::new(Expr::Compare { left: left.clone(), ops: vec!["is not"], comparators: comparators.clone(), none_jump: false }),
        _ => Rc::new(Expr::UnaryOp("not", e.clone())),
    }
}

/// `_boolean`.
fn boolean(atoms: &[Atom], true_target: usize, false_target: usize) -> R<Option<X>> {
    Ok(group(atoms, 0, atoms.len() - 1, true_target, false_target)?.map(|e| negations_outside(&e)))
}

fn folded_by_not(e: &Expr) -> bool {
    matches!(e, Expr::Compare { ops, none_jump: false, .. } if ops.len() == 1 && matches!(ops[0], "is" | "is not" | "in" | "not in"))
}

fn negations_outside(e: &X) -> X {
    match &**e {
        Expr::UnaryOp("not", operand) => Rc::new(Expr::UnaryOp("not", negations_outside(operand))),
        Expr::BoolOp(and, values) => {
            let values: Vec<X> = values.iter().map(negations_outside).collect();
            if values.iter().any(|v| matches!(&**v, Expr::UnaryOp("not", operand) if folded_by_not(operand))) {
                return Rc::new(Expr::UnaryOp("not", Rc::new(Expr::BoolOp(!and, values.iter().map(negate).collect()))));
            }
            Rc::new(Expr::BoolOp(*and, values))
        }
        _ => e.clone(),
    }
}

fn group(atoms: &[Atom], i: usize, j: usize, true_target: usize, false_target: usize) -> R<Option<X>> {
    if i == j {
        let (Some(expr), when, target, _) = &atoms[i] else { return Ok(None) };
        if *target == true_target {
            return Ok(Some(if *when { expr.clone() } else { negate(expr) }));
        }
        if *target == false_target {
            return Ok(Some(if *when { negate(expr) } else { expr.clone() }));
        }
        return Ok(None);
    }
    for m in (i..j).rev() {
        let split = atoms[m + 1].3;
        let inner: BTreeSet<usize> = (i + 1..=m).map(|k| atoms[k].3).collect();
        let outside: BTreeSet<usize> = atoms[i..=m].iter().map(|a| a.2).filter(|t| !inner.contains(t) && *t != split).collect();
        let clashes = atoms[m + 1..=j].iter().any(|a| inner.contains(&a.2) || a.2 == atoms[i].3);
        if clashes {
            continue;
        }
        let (left, and) = if outside.len() == 1 && outside.contains(&false_target) {
            (group(atoms, i, m, split, false_target)?, true)
        } else if outside.len() == 1 && outside.contains(&true_target) {
            (group(atoms, i, m, true_target, split)?, false)
        } else {
            continue;
        };
        let right = group(atoms, m + 1, j, true_target, false_target)?;
        let (Some(left), Some(right)) = (left, right) else { continue };
        let mut values = vec![];
        for v in [left, right] {
            match &*v {
                Expr::BoolOp(op, items) if *op == and => values.extend(items.iter().cloned()),
                _ => values.push(v),
            }
        }
        return Ok(Some(Rc::new(Expr::BoolOp(and, values))));
    }
    if atoms[i..=j].iter().any(|a| a.0.is_none()) {
        return conditional_group(atoms, i, j, true_target, false_target);
    }
    Ok(None)
}

/// `_conditional_group`: `b if c else d` among atoms holding jump atoms (CPython's
/// `compiler_jump_if` of an `IfExp`), a constant operand compiled to a jump or to nothing
/// being an `Expr::Folded`.
fn conditional_group(atoms: &[Atom], i: usize, j: usize, true_target: usize, false_target: usize) -> R<Option<X>> {
    let is_jump = |k: usize| atoms[k].0.is_none();
    let is_target = |t: usize| t == true_target || t == false_target;
    for m in i..j {
        if is_jump(m) {
            break; // the test has no jump atoms of its own here
        }
        for k in m + 1..j {
            if !is_jump(k) || !is_target(atoms[k].2) {
                continue;
            }
            let body = if k == m + 1 {
                Some(Rc::new(Expr::Folded(atoms[k].2 == true_target)))
            } else if is_jump(k - 1) || atoms[k - 1].2 == atoms[k].2 {
                continue;
            } else {
                group(atoms, m + 1, k - 1, true_target, false_target)?
            };
            let Some(body) = body else { continue };
            let orelse = if k + 1 == j && is_jump(j) {
                if !is_target(atoms[j].2) {
                    continue;
                }
                Some(Rc::new(Expr::Folded(atoms[j].2 == true_target)))
            } else {
                group(atoms, k + 1, j, true_target, false_target)?
            };
            let Some(orelse) = orelse else { continue };
            if let Some(test) = group(atoms, i, m, atoms[m + 1].3, atoms[k + 1].3)? {
                return Ok(Some(Rc::new(Expr::IfExp(test, body, orelse))));
            }
        }
    }
    Ok(None)
}

fn has_folded(e: &Expr) -> bool {
    match e {
        Expr::Folded(_) => true,
        Expr::UnaryOp(_, operand) => has_folded(operand),
        Expr::BoolOp(_, values) => values.iter().any(|v| has_folded(v)),
        Expr::IfExp(test, body, orelse) => has_folded(test) || has_folded(body) || has_folded(orelse),
        _ => false,
    }
}

/// `e` with its folded constants replaced by `constant(truthy)`. Only the nodes a condition's
/// rebuilding makes (`not`, `and`/`or`, conditional expressions) hold folded constants.
fn fold(e: &X, constant: &impl Fn(bool) -> R<X>) -> R<X> {
    Ok(match &**e {
        Expr::Folded(truthy) => constant(*truthy)?,
        Expr::UnaryOp(op, operand) => Rc::new(Expr::UnaryOp(op, fold(operand, constant)?)),
        Expr::BoolOp(and, values) => Rc::new(Expr::BoolOp(*and, values.iter().map(|v| fold(v, constant)).collect::<R<_>>()?)),
        Expr::IfExp(test, body, orelse) => Rc::new(Expr::IfExp(fold(test, constant)?, fold(body, constant)?, fold(orelse, constant)?)),
        _ => e.clone(),
    })
}

/// `_flat`: `BoolOp(and, values)` with operands of the same operator merged into it.
fn flat(and: bool, values: Vec<X>) -> X {
    let mut merged = vec![];
    for v in values {
        match &*v {
            Expr::BoolOp(op, items) if *op == and => merged.extend(items.iter().cloned()),
            _ => merged.push(v),
        }
    }
    Rc::new(Expr::BoolOp(and, merged))
}

// --- writing: `ast._Unparser` -------------------------------------------------------------------

fn write_constant(c: &Constant, precedence: u8, out: &mut String) {
    match c {
        Constant::None => out.push_str("None"),
        Constant::Ellipsis => out.push_str("..."),
        Constant::Int(text) | Constant::Float(text) | Constant::Text(text, _) => out.push_str(text),
        Constant::Tuple(items) => {
            // `_Unparser.visit_Constant`: the display of its items, with the parentheses its
            // place asks for.
            let parens = items.is_empty() || precedence > P_TUPLE;
            if parens {
                out.push('(');
            }
            write_items(items.iter().map(|c| Rc::new(Expr::Const(c.clone()))), out);
            if parens {
                out.push(')');
            }
        }
        Constant::Other => out.push_str("<?>"),
    }
}

fn write_items(items: impl ExactSizeIterator<Item = X>, out: &mut String) {
    let single = items.len() == 1;
    for (k, item) in items.enumerate() {
        if k > 0 {
            out.push_str(", ");
        }
        write_expr(&item, P_TEST, out);
    }
    if single {
        out.push(',');
    }
}

fn write_expr(e: &Expr, p: u8, out: &mut String) {
    match e {
        Expr::Name(id) => out.push_str(id),
        Expr::Const(c) => write_constant(c, p, out),
        Expr::Attribute(value, attr) => {
            write_expr(value, P_ATOM, out);
            if matches!(&**value, Expr::Const(c) if matches!(**c, Constant::Int(_))) {
                out.push(' ');
            }
            out.push('.');
            out.push_str(attr);
        }
        Expr::Call(func, args, keywords) => {
            write_expr(func, P_ATOM, out);
            out.push('(');
            let mut comma = false;
            for a in args {
                if comma {
                    out.push_str(", ");
                }
                comma = true;
                write_expr(a, P_TEST, out);
            }
            for (k, v) in keywords {
                if comma {
                    out.push_str(", ");
                }
                comma = true;
                match k {
                    Some(k) => {
                        out.push_str(k);
                        out.push('=');
                    }
                    None => out.push_str("**"),
                }
                write_expr(v, P_TEST, out);
            }
            out.push(')');
        }
        Expr::BinOp(left, op, right) => {
            let (symbol, op_p) = BINARY_OPERATORS[*op];
            let (left_p, right_p) = if symbol == "**" { (next_precedence(op_p), op_p) } else { (op_p, next_precedence(op_p)) };
            parenthesized(p > op_p, out, |out| {
                write_expr(left, left_p, out);
                out.push(' ');
                out.push_str(symbol);
                out.push(' ');
                write_expr(right, right_p, out);
            });
        }
        Expr::UnaryOp(op, operand) => {
            let op_p = if *op == "not" { P_NOT } else { P_FACTOR };
            parenthesized(p > op_p, out, |out| {
                out.push_str(op);
                if op_p != P_FACTOR {
                    out.push(' ');
                }
                write_expr(operand, op_p, out);
            });
        }
        Expr::Compare { left, ops, comparators, .. } => parenthesized(p > P_CMP, out, |out| {
            write_expr(left, P_EXPR, out);
            for (op, c) in ops.iter().zip(comparators) {
                out.push(' ');
                out.push_str(op);
                out.push(' ');
                write_expr(c, P_EXPR, out);
            }
        }),
        Expr::BoolOp(and, values) => {
            let op_p = if *and { P_AND } else { P_OR };
            parenthesized(p > op_p, out, |out| {
                // As `visit_BoolOp`: each operand one precedence level above the one before.
                let mut level = op_p;
                for (k, v) in values.iter().enumerate() {
                    if k > 0 {
                        out.push_str(if *and { " and " } else { " or " });
                    }
                    level = next_precedence(level);
                    write_expr(v, level, out);
                }
            });
        }
        Expr::Subscript(value, index) => {
            write_expr(value, P_ATOM, out);
            out.push('[');
            match &**index {
                Expr::Tuple(items) if !items.is_empty() => write_items(items.iter().cloned(), out),
                Expr::Const(c) if matches!(&**c, Constant::Tuple(items) if !items.is_empty()) => {
                    let Constant::Tuple(items) = &**c else { unreachable!() };
                    write_items(items.iter().map(|c| Rc::new(Expr::Const(c.clone()))), out);
                }
                _ => write_expr(index, P_TEST, out),
            }
            out.push(']');
        }
        Expr::Slice(lower, upper, step) => {
            if let Some(lower) = lower {
                write_expr(lower, P_TEST, out);
            }
            out.push(':');
            if let Some(upper) = upper {
                write_expr(upper, P_TEST, out);
            }
            if let Some(step) = step {
                out.push(':');
                write_expr(step, P_TEST, out);
            }
        }
        Expr::Tuple(items) => parenthesized(items.is_empty() || p > P_TUPLE, out, |out| write_items(items.iter().cloned(), out)),
        Expr::List(items) | Expr::Set(items) => {
            let (open, close) = if matches!(e, Expr::List(_)) { ('[', ']') } else { ('{', '}') };
            out.push(open);
            for (k, item) in items.iter().enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                write_expr(item, P_TEST, out);
            }
            out.push(close);
        }
        Expr::IfExp(test, body, orelse) => parenthesized(p > P_TEST, out, |out| {
            write_expr(body, next_precedence(P_TEST), out);
            out.push_str(" if ");
            write_expr(test, next_precedence(P_TEST), out);
            out.push_str(" else ");
            write_expr(orelse, P_TEST, out);
        }),
        Expr::Starred(value) => {
            out.push('*');
            write_expr(value, P_EXPR, out);
        }
        Expr::Folded(truthy) => out.push_str(if *truthy { "True" } else { "False" }),
        Expr::EmptySet => out.push_str("set()"),
        Expr::Dict(pairs) => {
            out.push('{');
            for (k, (key, value)) in pairs.iter().enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                match key {
                    Some(key) => {
                        write_expr(key, P_TEST, out);
                        out.push_str(": ");
                        write_expr(value, P_TEST, out);
                    }
                    None => {
                        out.push_str("**");
                        write_expr(value, P_EXPR, out);
                    }
                }
            }
            out.push('}');
        }
        Expr::NamedExpr(target, value) => parenthesized(p > P_NAMED_EXPR, out, |out| {
            write_expr(target, P_ATOM, out);
            out.push_str(" := ");
            write_expr(value, P_ATOM, out);
        }),
        Expr::JoinedStr(values) => match write_fstring(values) {
            Some(text) => {
                out.push('f');
                out.push_str(&text);
            }
            None => out.push(UNWRITABLE),
        },
        // Only inside a `JoinedStr`, and a generator expression's code.
        Expr::FormattedValue(..) | Expr::Yield(_) => out.push(UNWRITABLE),
        Expr::Lambda(params, body) => parenthesized(p > P_TEST, out, |out| {
            out.push_str("lambda");
            if !params.is_empty() {
                out.push(' ');
                out.push_str(params);
            }
            out.push_str(": ");
            write_expr(body, P_TEST, out);
        }),
        Expr::Comprehension { kind, element, key, generators } => {
            let (open, close) = match kind {
                CompKind::List => ('[', ']'),
                CompKind::Generator => ('(', ')'),
                _ => ('{', '}'),
            };
            out.push(open);
            if let Some(key) = key {
                write_expr(key, P_TEST, out);
                out.push_str(": ");
            }
            write_expr(element, P_TEST, out);
            for (target, iter, ifs) in generators {
                out.push_str(" for ");
                write_expr(target, P_TUPLE, out);
                out.push_str(" in ");
                write_expr(iter, P_OR, out);
                for test in ifs {
                    out.push_str(" if ");
                    write_expr(test, P_OR, out);
                }
            }
            out.push(close);
        }
    }
}

/// Written in place of what this port does not write as `ast.unparse` would (an f-string
/// needing escapes it does not make): a text holding it is not returned.
const UNWRITABLE: char = '\0';

const ALL_QUOTES: [&str; 4] = ["'", "\"", "\"\"\"", "'''"];

/// `_Unparser.visit_JoinedStr` (without `_avoid_backslashes`): the quoted text after the `f`,
/// or None where it needs what is not ported (a character outside printable ASCII, `\n`
/// and `\t`; a string inside a replacement field; no quote left to use).
fn write_fstring(values: &[X]) -> Option<String> {
    let mut quotes: Vec<&str> = ALL_QUOTES.to_vec();
    let mut text = String::new();
    for value in values {
        let (part, is_constant) = match &**value {
            Expr::Const(c) => match &**c {
                Constant::Text(_, Some(s)) => (s.replace('{', "{{").replace('}', "}}"), true),
                _ => return None,
            },
            Expr::FormattedValue(..) => (formatted_value(value)?, false),
            _ => return None,
        };
        // `_str_literal_helper`: escapes, then the quotes still possible.
        let mut escaped = String::new();
        for c in part.chars() {
            match c {
                '\n' | '\t' if !is_constant => escaped.push(c),
                '\\' => escaped.push_str("\\\\"),
                '\n' => escaped.push_str("\\n"),
                '\t' => escaped.push_str("\\t"),
                '\r' => escaped.push_str("\\r"),
                ' '..='~' => escaped.push(c),
                _ => return None,
            }
        }
        if escaped.contains('\n') {
            quotes.retain(|q| q.len() == 3);
        }
        quotes.retain(|q| !escaped.contains(q));
        if quotes.is_empty() {
            return None; // (`repr`'s quoting: not ported)
        }
        if let Some(last) = escaped.chars().last() {
            // Stable: the quotes not ending like the text first.
            quotes.sort_by_key(|q| q.starts_with(last));
            if quotes[0].starts_with(last) {
                escaped.insert(escaped.len() - 1, '\\');
            }
        }
        text.push_str(&escaped);
    }
    let quote = quotes[0];
    Some(format!("{quote}{text}{quote}"))
}

/// `_fstring_FormattedValue`: `{value!c:spec}`, the value written by an unparser avoiding
/// backslashes (so with no string in it here: those are written otherwise).
fn formatted_value(e: &Expr) -> Option<String> {
    let Expr::FormattedValue(value, conversion, spec) = e else { return None };
    if has_text(value) {
        return None;
    }
    let expr = text(value, P_OR);
    if expr.contains('\\') || expr.contains(UNWRITABLE) {
        return None;
    }
    let mut out = String::from("{");
    if expr.starts_with('{') {
        out.push(' ');
    }
    out.push_str(&expr);
    if *conversion != -1 {
        out.push('!');
        out.push(char::from_u32(*conversion as u32)?);
    }
    if let Some(spec) = spec {
        out.push(':');
        let Expr::JoinedStr(parts) = &**spec else { return None };
        for part in parts {
            match &**part {
                Expr::Const(c) => match &**c {
                    Constant::Text(_, Some(s)) => out.push_str(&s.replace('{', "{{").replace('}', "}}")),
                    _ => return None,
                },
                Expr::FormattedValue(..) => out.push_str(&formatted_value(part)?),
                _ => return None,
            }
        }
    }
    out.push('}');
    Some(out)
}

/// Whether a `str`/`bytes` constant or an f-string is in `e`.
fn has_text(e: &Expr) -> bool {
    let any = |xs: &[X]| xs.iter().any(|x| has_text(x));
    let opt = |x: &Option<X>| x.as_deref().is_some_and(has_text);
    match e {
        Expr::Const(c) => constant_has_text(c),
        Expr::JoinedStr(_) | Expr::FormattedValue(..) | Expr::Lambda(..) | Expr::Comprehension { .. } | Expr::Yield(_) => true,
        Expr::Name(_) | Expr::Folded(_) | Expr::EmptySet => false,
        Expr::Attribute(v, _) | Expr::UnaryOp(_, v) | Expr::Starred(v) => has_text(v),
        Expr::Call(f, args, keywords) => has_text(f) || any(args) || keywords.iter().any(|(_, v)| has_text(v)),
        Expr::BinOp(a, _, b) | Expr::Subscript(a, b) | Expr::NamedExpr(a, b) => has_text(a) || has_text(b),
        Expr::Compare { left, comparators, .. } => has_text(left) || any(comparators),
        Expr::BoolOp(_, xs) | Expr::Tuple(xs) | Expr::List(xs) | Expr::Set(xs) => any(xs),
        Expr::Slice(a, b, c) => opt(a) || opt(b) || opt(c),
        Expr::IfExp(a, b, c) => has_text(a) || has_text(b) || has_text(c),
        Expr::Dict(pairs) => pairs.iter().any(|(k, v)| opt(k) || has_text(v)),
    }
}

fn constant_has_text(c: &Constant) -> bool {
    match c {
        Constant::Text(..) => true,
        Constant::Tuple(items) => items.iter().any(|i| constant_has_text(i)),
        _ => false,
    }
}

fn parenthesized(parens: bool, out: &mut String, body: impl FnOnce(&mut String)) {
    if parens {
        out.push('(');
    }
    body(out);
    if parens {
        out.push(')');
    }
}

fn text(e: &Expr, p: u8) -> String {
    let mut out = String::new();
    write_expr(e, p, &mut out);
    out
}

/// `_Renderer`: each statement on the line its `line` asks for when that is after the line
/// written last, else on the next line (blank lines fill the gaps).
struct Renderer {
    first_line: i64,
    lines: Vec<String>,
}

impl Renderer {
    fn put(&mut self, line: Option<i64>, text: String) {
        if let Some(line) = line {
            while self.first_line + (self.lines.len() as i64) < line {
                self.lines.push(String::new());
            }
        }
        self.lines.push(text);
    }

    fn statement(&mut self, s: &Stmt, indent: &str) -> R<()> {
        let inner = format!("{indent}    ");
        match &s.kind {
            Kind::If(test, body, orelse) => {
                self.put(s.line, format!("{indent}if {}:", text(test, P_TEST)));
                self.body(body, &inner)?;
                let mut orelse = orelse;
                while let [Stmt { kind: Kind::If(test, body, rest), line }] = &orelse[..] {
                    self.put(*line, format!("{indent}elif {}:", text(test, P_TEST)));
                    self.body(body, &inner)?;
                    orelse = rest;
                }
                if !orelse.is_empty() {
                    self.put(None, format!("{indent}else:"));
                    self.body(orelse, &inner)?;
                }
            }
            Kind::While(test, body, orelse) | Kind::For(_, test, body, orelse) => {
                let header = match &s.kind {
                    Kind::For(target, iter, ..) => format!("{indent}for {} in {}:", text(target, P_TEST), text(iter, P_TEST)),
                    _ => format!("{indent}while {}:", text(test, P_TEST)),
                };
                self.put(s.line, header);
                self.body(body, &inner)?;
                if !orelse.is_empty() {
                    self.put(None, format!("{indent}else:"));
                    self.body(orelse, &inner)?;
                }
            }
            Kind::ForTarget(_) | Kind::AssertionRaise(_) | Kind::Append(..) => return Err(Fail::Unsupported),
            Kind::FunctionDef { name, params, body, decorators } => {
                // The first line of a nested function's code is its first decorator's.
                let mut line = s.line;
                for decorator in decorators {
                    self.put(line, format!("{indent}@{}", text(decorator, P_TEST)));
                    line = None;
                }
                self.put(line, format!("{indent}def {name}({params}):"));
                self.body(body, &inner)?;
            }
            kind => {
                let line = match kind {
                    Kind::Assign(targets, value) => {
                        let mut line = String::new();
                        for t in targets {
                            write_expr(t, P_TUPLE, &mut line);
                            line.push_str(" = ");
                        }
                        write_expr(value, P_TEST, &mut line);
                        line
                    }
                    Kind::AugAssign(target, op, value) => format!("{} {}= {}", text(target, P_TEST), BINARY_OPERATORS[*op].0, text(value, P_TEST)),
                    Kind::Expr(value) => text(value, P_YIELD),
                    Kind::Return(value) => format!("return {}", text(value, P_TEST)),
                    Kind::Raise(None, _) => "raise".to_string(),
                    Kind::Raise(Some(exc), cause) => match cause {
                        Some(cause) => format!("raise {} from {}", text(exc, P_TEST), text(cause, P_TEST)),
                        None => format!("raise {}", text(exc, P_TEST)),
                    },
                    Kind::Assert(test, None) => format!("assert {}", text(test, P_TEST)),
                    Kind::Assert(test, Some(msg)) => format!("assert {}, {}", text(test, P_TEST), text(msg, P_TEST)),
                    Kind::Delete(target) => format!("del {}", text(target, P_TEST)),
                    Kind::Declaration(text) => text.clone(),
                    Kind::Pass => "pass".to_string(),
                    Kind::Break => "break".to_string(),
                    Kind::Continue => "continue".to_string(),
                    _ => unreachable!(),
                };
                if line.contains('\n') {
                    return Err(Fail::Unsupported); // (a statement written on several lines)
                }
                self.put(s.line, format!("{indent}{line}"));
            }
        }
        Ok(())
    }

    fn body(&mut self, stmts: &[Stmt], indent: &str) -> R<()> {
        if stmts.is_empty() {
            self.put(None, format!("{indent}pass"));
        }
        // `global`/`nonlocal` declarations (which have no line of their own in the bytecode)
        // share the next simple statement's line, so that the lines below keep their numbers.
        let mut prefix = String::new();
        let mut rest = stmts;
        while let [Stmt { kind: Kind::Declaration(text), .. }, tail @ ..] = rest {
            prefix.push_str(text);
            prefix.push_str("; ");
            rest = tail;
        }
        if !prefix.is_empty() {
            match rest.first() {
                Some(first) if !matches!(first.kind, Kind::If(..) | Kind::While(..) | Kind::For(..) | Kind::Break | Kind::ForTarget(_) | Kind::AssertionRaise(_) | Kind::Append(..) | Kind::FunctionDef { .. }) => {
                    let mut first_line = Renderer { first_line: 0, lines: vec![] };
                    first_line.statement(&stmt(first.kind.clone(), None), "")?;
                    let [text] = &first_line.lines[..] else { return Err(Fail::Unsupported) };
                    self.put(first.line, format!("{indent}{prefix}{text}"));
                    rest = &rest[1..];
                }
                _ => self.put(None, format!("{indent}{}", &prefix[..prefix.len() - 2])),
            }
        }
        for s in rest {
            self.statement(s, indent)?;
        }
        Ok(())
    }
}

/// The bytecode dialects read: CPython 3.11's, whose opcodes are the reader's own, and 3.12's,
/// translated to 3.11's instructions as it decodes (see `translate_312`).
#[derive(Clone, Copy, PartialEq)]
enum Dialect {
    V311,
    V312,
}

/// The dialect of the running Python's bytecode, None for one not read.
fn dialect(py: Python<'_>) -> Option<Dialect> {
    match (py.version_info().major, py.version_info().minor) {
        (3, 11) => Some(Dialect::V311),
        (3, 12) => Some(Dialect::V312),
        _ => None,
    }
}

/// The instructions of `code` (`_decompile.instructions`' fields that are read) as 3.11's, and
/// the offsets that stand for the instruction after them (`fuse_312`), or None when it has an
/// opcode this reader does not handle (or the Python's bytecode is not read).
fn decode(code: &Bound<'_, PyAny>, only_supported: bool) -> PyResult<Option<(Vec<Ins>, Vec<(usize, usize)>)>> {
    let Some(dialect) = dialect(code.py()) else { return Ok(None) };
    let raw = code.getattr("co_code")?;
    let raw = raw.cast::<PyBytes>()?.as_bytes();
    // Line of each code unit, from `co_lines()`'s ranges.
    let mut lines: Vec<Option<i64>> = vec![None; raw.len() / 2];
    for range in code.call_method0("co_lines")?.try_iter()? {
        let (start, end, line): (usize, usize, Option<i64>) = range?.extract()?;
        for unit in start / 2..(end / 2).min(lines.len()) {
            lines[unit] = line;
        }
    }
    let mut result = vec![];
    let mut aliases = vec![];
    let mut extended: i64 = 0;
    let mut offset = 0;
    while offset + 1 < raw.len() {
        let op = raw[offset];
        let mut arg = 0;
        if op >= HAVE_ARGUMENT {
            arg = i64::from(raw[offset + 1]) | extended;
            extended = if op == EXTENDED_ARG { (arg << 8) & 0xFFFF_FFFF } else { 0 };
        } else {
            extended = 0;
        }
        let line = lines[offset / 2];
        match dialect {
            Dialect::V311 => {
                if only_supported && !SUPPORTED.contains(&op) {
                    return Ok(None);
                }
                let target_offset = if is_jump(op) {
                    if is_backward_jump(op) { offset as i64 + 2 - arg * 2 } else { offset as i64 + 2 + arg * 2 }
                } else {
                    0
                };
                result.push(Ins { op, arg, target_offset, offset, line });
                offset += 2 + 2 * cache_entries(op);
            }
            Dialect::V312 => {
                let translated = translate_312(op, arg, offset);
                if translated.is_empty() {
                    aliases.push((offset, offset + 2));
                }
                // The second instruction of a pair takes the odd offset after the first's,
                // which no jump targets.
                for (k, (op, arg, target_offset)) in translated.into_iter().enumerate() {
                    if only_supported && !SUPPORTED.contains(&op) {
                        return Ok(None);
                    }
                    result.push(Ins { op, arg, target_offset, offset: offset + k, line });
                }
                offset += 2 + 2 * cache_entries_312(op);
            }
        }
    }
    if dialect == Dialect::V312 {
        result = fuse_312(result, &mut aliases);
        let mut synthetic = raw.len() | 1;
        result = chain_cleanups_312(result, &mut synthetic);
        result = loop_breaks_312(result, &mut synthetic);
    }
    Ok(Some((result, aliases)))
}

/// The reader of a code object (and of the code objects among its constants), or None when it
/// has an opcode this port does not handle.
fn build_reader(code: &Bound<'_, PyAny>) -> PyResult<Option<Reader>> {
    let Some((ins, aliases)) = decode(code, true)? else { return Ok(None) };
    let mut index_of = HashMap::new();
    for (k, x) in ins.iter().enumerate() {
        index_of.insert(x.offset, k);
    }
    // An alias stands for the instruction after it, which may be an alias too.
    let next_of: HashMap<usize, usize> = aliases.into_iter().collect();
    for &alias in next_of.keys() {
        let mut next = next_of[&alias];
        while let Some(&further) = next_of.get(&next) {
            next = further;
        }
        if let Some(&k) = index_of.get(&next) {
            index_of.insert(alias, k);
        }
    }
    for k in (0..ins.len().saturating_sub(1)).rev() {
        if ins[k].op == EXTENDED_ARG {
            let next = index_of[&ins[k + 1].offset];
            index_of.insert(ins[k].offset, next);
        }
    }
    let mut back_jumps: HashMap<usize, Vec<usize>> = HashMap::new();
    for (k, x) in ins.iter().enumerate() {
        if is_jump(x.op) && x.target_offset >= 0 {
            if let Some(&t) = index_of.get(&(x.target_offset as usize)) {
                if t <= k {
                    back_jumps.entry(t).or_default().push(k);
                }
            }
        }
    }
    let consts_tuple = code.getattr("co_consts")?;
    let consts_tuple = consts_tuple.cast::<PyTuple>()?;
    let mut consts = vec![];
    let mut nested = HashMap::new();
    for (k, c) in consts_tuple.iter().enumerate() {
        if c.hasattr("co_code")? {
            nested.insert(k, build_reader(&c)?.map(|r| Rc::new(RefCell::new(r))));
            consts.push(Rc::new(Constant::Other));
        } else {
            consts.push(Rc::new(Constant::from_object(&c)?));
        }
    }
    let mut const_types = vec![];
    let mut const_truthy = vec![];
    for c in consts_tuple.iter() {
        let type_name = c.get_type().name()?;
        const_types.push(["int", "bool", "float", "complex", "str", "bytes", "NoneType"].iter().position(|t| *t == type_name.to_str().unwrap_or("")).map(|k| k as u8));
        const_truthy.push(c.is_truthy()?);
    }
    let names: Vec<Rc<str>> = code.getattr("co_names")?.extract::<Vec<String>>()?.into_iter().map(Rc::from).collect();
    let varnames: Vec<String> = code.getattr("co_varnames")?.extract()?;
    let mut local_names = HashMap::new();
    for x in &ins {
        if matches!(x.op, LOAD_FAST | STORE_FAST | LOAD_DEREF | STORE_DEREF | DELETE_FAST | DELETE_DEREF | LOAD_CLOSURE) && !local_names.contains_key(&x.arg) {
            let n: String = if matches!(x.op, LOAD_FAST | STORE_FAST | DELETE_FAST) && (x.arg as usize) < varnames.len() {
                varnames[x.arg as usize].clone()
            } else {
                code.call_method1("_varname_from_oparg", (x.arg,))?.extract()?
            };
            local_names.insert(x.arg, Rc::from(n));
        }
    }
    let is_str = |k: usize| -> PyResult<bool> { Ok(consts_tuple.len() > k && consts_tuple.get_item(k)?.is_instance_of::<pyo3::types::PyString>()) };
    let last_none = is_str(0)? && consts.last().is_some_and(|c| **c == Constant::None) && !consts[..consts.len() - 1].iter().any(|c| **c == Constant::None);
    let docstring = if is_str(0)? { Some(consts[0].clone()) } else { None };
    let info = CodeInfo {
        co_name: code.getattr("co_name")?.extract()?,
        first_line: code.getattr("co_firstlineno")?.extract()?,
        flags: code.getattr("co_flags")?.extract()?,
        argcount: code.getattr("co_argcount")?.extract()?,
        posonly: code.getattr("co_posonlyargcount")?.extract()?,
        kwonly: code.getattr("co_kwonlyargcount")?.extract()?,
        varnames,
        freevars: code.getattr("co_freevars")?.extract()?,
        docstring,
        last_none,
        has_exception_table: !code.getattr("co_exceptiontable")?.cast::<PyBytes>()?.as_bytes().is_empty(),
    };
    Ok(Some(Reader {
        ins,
        index_of,
        back_jumps,
        consts,
        names,
        local_names,
        kw_names: None,
        chain_resume: HashMap::new(),
        chain_jump_sense: HashMap::new(),
        const_types,
        const_truthy,
        info,
        nested,
    }))
}

fn read_function(code: &Bound<'_, PyAny>) -> PyResult<Option<(String, i64)>> {
    let py = code.py();
    if dialect(py).is_none() {
        return Ok(None);
    }
    let co_name: String = code.getattr("co_name")?.extract()?;
    let flags: i64 = code.getattr("co_flags")?.extract()?;
    // Generators and coroutines (and their kin), and code with an exception table (`try`,
    // `with`): the Python reader's.
    if co_name == "<lambda>" || flags & (0x20 | 0x80 | 0x100 | 0x200) != 0 || code.getattr("co_exceptiontable")?.cast::<PyBytes>()?.as_bytes().len() != 0 {
        return Ok(None);
    }
    let Some(mut reader) = build_reader(code)? else { return Ok(None) };
    let Ok(body) = reader.statements() else { return Ok(None) };
    let first_line: i64 = code.getattr("co_firstlineno")?.extract()?;
    let Ok(params) = reader.parameters(None, None) else { return Ok(None) };
    let indent = if reader.info.freevars.is_empty() { "" } else { "    " };
    let mut renderer = Renderer { first_line, lines: vec![] };
    renderer.put(Some(first_line), format!("{indent}def {co_name}({params}):"));
    if renderer.body(&body, &format!("{indent}    ")).is_err() {
        return Ok(None);
    }
    let text: String = renderer.lines.iter().map(|l| format!("{l}\n")).collect();
    if text.contains(UNWRITABLE) {
        return Ok(None);
    }
    Ok(Some((text, first_line)))
}

/// `(text, first_line)` of the function of a code object as `ferrojit._decompile.function_text`
/// rebuilds it, or None when the code has something this reader does not handle (the Python
/// reader then reads it).
#[pyfunction]
pub(crate) fn function_text(code: &Bound<'_, PyAny>) -> PyResult<Option<(String, i64)>> {
    // A pattern that breaks an assumption of the port (an index out of range) hands over to the
    // Python reader rather than raising: the reading builds no state that outlives it.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_function(code))).unwrap_or(Ok(None))
}

/// `(opcode, line)` of the first instruction of `code` (or of the code objects among its
/// constants, depth first) that the native reader does not read on this Python (by the
/// running Python's opcode numbers), or None: what `ferrojit._source` names when the function
/// is not read and no other reader runs.
#[pyfunction]
pub(crate) fn first_unread_instruction(code: &Bound<'_, PyAny>) -> PyResult<Option<(u8, Option<i64>)>> {
    let Some(dialect) = dialect(code.py()) else { return Ok(None) };
    let raw = code.getattr("co_code")?;
    let raw = raw.cast::<PyBytes>()?.as_bytes();
    let positions: Vec<Option<i64>> = code.call_method0("co_positions")?.try_iter()?.map(|p| p.and_then(|p| p.get_item(0)?.extract())).collect::<PyResult<_>>()?;
    let mut offset = 0;
    while offset + 1 < raw.len() {
        let op = raw[offset];
        let (read, caches) = match dialect {
            Dialect::V311 => (SUPPORTED.contains(&op), cache_entries(op)),
            Dialect::V312 => (translate_312(op, i64::from(raw[offset + 1]), offset).iter().all(|(op, _, _)| SUPPORTED.contains(op)), cache_entries_312(op)),
        };
        if !read {
            return Ok(Some((op, positions.get(offset / 2).copied().flatten())));
        }
        offset += 2 + 2 * caches;
    }
    for c in code.getattr("co_consts")?.cast::<PyTuple>()?.iter() {
        if c.hasattr("co_code")? {
            if let Some(found) = first_unread_instruction(&c)? {
                return Ok(Some(found));
            }
        }
    }
    Ok(None)
}

/// `(methods, attributes)`: the names loaded right before a `LOAD_METHOD`, and those loaded as
/// a global with its NULL (or after a `PUSH_NULL`) right before a `LOAD_ATTR`, in `code` alone
/// (not the code nested in it). See `ferrojit._source._global_calls`.
#[pyfunction]
pub(crate) fn global_calls(code: &Bound<'_, PyAny>) -> PyResult<(Vec<String>, Vec<String>)> {
    let ins = decode(code, false)?.map(|(ins, _)| ins).unwrap_or_default();
    let names: Vec<String> = code.getattr("co_names")?.extract()?;
    let argval = |x: &Ins| -> PyResult<String> {
        Ok(match x.op {
            LOAD_GLOBAL => names[(x.arg >> 1) as usize].clone(),
            LOAD_NAME => names[x.arg as usize].clone(),
            _ => code.call_method1("_varname_from_oparg", (x.arg,))?.extract()?,
        })
    };
    let (mut methods, mut attributes) = (vec![], vec![]);
    for k in 1..ins.len() {
        let (previous, x) = (&ins[k - 1], &ins[k]);
        if !matches!(previous.op, LOAD_GLOBAL | LOAD_FAST | LOAD_DEREF | LOAD_NAME) {
            continue;
        }
        if x.op == LOAD_METHOD {
            methods.push(argval(previous)?);
        } else if x.op == LOAD_ATTR && (previous.op == LOAD_GLOBAL && previous.arg & 1 != 0 || k >= 2 && ins[k - 2].op == PUSH_NULL) {
            attributes.push(argval(previous)?);
        }
    }
    Ok((methods, attributes))
}
