//! Type inference: a function's AST, its argument types and its frozen globals -> typed IR.
//!
//! The entry point is [`infer_program`]. It types the root function for one argument-type
//! signature and, transitively, every compiled function it calls (each callee once per distinct
//! signature), returning all of them as [`ir::Function`]s ready for lowering.
//!
//! How a function is typed (`function.rs`):
//! 1. Names assigned anywhere in the body are locals (Python's scoping rule); every other name is
//!    looked up in the [`GlobalEnv`] once, at compile time: globals are frozen, as in Numba.
//! 2. The body is walked repeatedly. Each walk types expressions from the current local types and
//!    widens a local's type by unification whenever it is assigned (`0` then `0.5` gives
//!    `float64`). Statements that read a not-yet-typed local, or call a recursive function whose
//!    return type is not known yet, are skipped in that walk. Walks repeat until nothing changes.
//! 3. A last walk builds the IR with the final types, inserting explicit conversions; anything
//!    still unknown is now a user error.
//!
//! Recursion: a call of a function that is still being typed uses its return type as inferred so
//! far; the fixed point of step 2 settles it. Mutual recursion retries the inner function once
//! the outer one's return type is known.
//!
//! Layout: `function.rs` (walks and statements), `expr.rs` (expressions and operators),
//! `array_exprs.rs` (operators on arrays: element-wise maps, broadcasting, fusion within an
//! expression), `fuse.rs` (fusion across statements), `registry.rs` (every built-in, `math`,
//! NumPy function, array method and attribute implemented here: name, signature, builder; a
//! map built once), `bind.rs` (binding a call's arguments to a signature, CPython's messages),
//! `builtins.rs` (built-ins, `math`, NumPy scalar functions and types), `arrays.rs` (array
//! subscripts, creation, methods, attributes), `iteration.rs` (`for` loops over iterables:
//! the iteration protocol, generators among them, and `next()`; `a.flat`), `tuples.rs` (tuple loops, `literal_unroll`, tuple
//! operators and methods), `unpack.rs` (`a, *rest = x`), `unbound.rs` (reads of variables that may have no value: the definite-assignment analysis
//! and CPython's `UnboundLocalError`), `deletions.rs` (`del name`),
//! `isinstance.rs` (`isinstance()`, decided from the types), `classes.rs` (jitclass instances:
//! construction, fields, methods, properties), `named_tuples.rs` (instances of named tuple classes: construction,
//! fields, their view as plain tuples), `overloads.rs` (callables
//! implemented in Python and the requests that resolve them), `closures.rs` (functions as
//! values: inner functions, lambdas, functions passed as arguments), `env.rs` (globals).

/// The running NumPy's (major, minor) version, set by the Python module before a compilation
/// (NumPy cannot change within a process): messages NumPy rewords between versions follow the
/// one in use. Unset, the older wording is given.
static NUMPY_VERSION: std::sync::OnceLock<(u32, u32)> = std::sync::OnceLock::new();

/// Records the running NumPy's version (the first call wins).
pub fn set_numpy_version(major: u32, minor: u32) {
    let _ = NUMPY_VERSION.set((major, minor));
}

/// Whether the running NumPy is `major.minor` or newer.
pub(crate) fn numpy_at_least(major: u32, minor: u32) -> bool {
    NUMPY_VERSION.get().is_some_and(|&version| version >= (major, minor))
}

mod advanced_index;
mod random;
mod array_exprs;
mod arrays;
mod bind;
mod builtins;
pub mod classes;
pub mod closures;
mod datetimes;
mod deletions;
mod dicts;
mod env;
mod exceptions;
mod expr;
mod function;
mod hashing;
mod isinstance;
pub mod fuse;
mod iteration;
mod tuples;
mod unpack;
mod linalg;
mod lists;
mod named_tuples;
mod objmode;
pub mod parallel;
pub mod overloads;
mod registry;
mod strings;
mod typed_containers;
mod unbound;

use ferrojit_ir as ir;
use ferrojit_syntax::{SourceText, Span};
use ferrojit_types::Type;
use std::collections::HashMap;
use std::sync::Arc;

pub use env::{ConstValue, FunctionSource, GlobalEnv, GlobalValue, ModuleKind, NamedTupleClass};
pub use overloads::{OverloadRequest, OverloadTarget, Resolution};

/// A user-facing (or internal) error from inference, located in one function's source.
#[derive(Clone, Debug)]
pub struct InferError {
    pub kind: ErrorKind,
    pub message: String,
    pub span: Span,
    pub hint: Option<String>,
    /// The source the span points into (the callee's, for errors inside a called function).
    pub source: Arc<SourceText>,
    /// The function whose source it is.
    pub function: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Valid Python that ferrojit does not compile.
    Unsupported,
    /// Code whose types do not work out.
    Typing,
    /// A function compiled for another number of arguments than it takes (a declared
    /// signature of the wrong length): in Python a `TypeError` too, as CPython raises for a
    /// call with that many arguments.
    ArgumentCount,
    /// A bug in ferrojit.
    Internal,
    /// Not an error the user sees: what is being typed depends on something not known yet (the
    /// return type of a function still being typed), so the statement is retried in a later
    /// walk.
    Pending,
    /// Not an error the user sees: a call of an overloaded callable needs its Python typing
    /// function to run first (see `overloads.rs`); the request is in the session.
    NeedsOverloads,
}

/// Why [`infer_program`] gave no program.
#[derive(Debug)]
pub enum Failure {
    Error(InferError),
    /// Calls of callables implemented in Python whose typing functions must run first, after
    /// which typing starts again (see `overloads.rs`).
    NeedsOverloads(Vec<OverloadRequest>),
}

/// Every function needed to run the root: `functions[0]` is the root.
#[derive(Debug)]
pub struct Program {
    pub functions: Vec<ir::Function>,
}

impl Program {
    pub fn root(&self) -> &ir::Function {
        &self.functions[0]
    }
}

/// Types `root` for `args` and every compiled function it calls.
pub fn infer_program(root: &Arc<FunctionSource>, args: &[Type]) -> Result<Program, Failure> {
    infer_program_returning(root, args, None)
}

/// Like [`infer_program`], with the root's return type declared (an eager signature): every
/// `return` converts its value to it.
pub fn infer_program_returning(root: &Arc<FunctionSource>, args: &[Type], declared: Option<Type>) -> Result<Program, Failure> {
    let mut session = Session { declared: declared.map(|t| ((root.id, args.to_vec()), t)), ..Session::default() };
    let key = match session.request(root, args, None) {
        Ok(key) => key,
        Err(e) if e.kind == ErrorKind::NeedsOverloads => {
            // The implementations finished in this round are kept, so that the next round,
            // after the typing functions ran, types only what was still waiting.
            overloads::keep_typed_implementations(&session.finished());
            return Err(Failure::NeedsOverloads(session.unresolved));
        }
        Err(e) => return Err(Failure::Error(e)),
    };
    overloads::keep_typed_implementations(&session.finished());
    // A function value cannot become a Python object: it is code, specialised where it is
    // called, not a callable Python could call.
    if let Some(State::Done(f)) = session.entries.get(&key).map(|e| &e.state) {
        if closures::holds_function(&f.ret) {
            return Err(Failure::Error(InferError {
                kind: ErrorKind::Unsupported,
                message: format!("`{}` returns a function, which compiled code cannot return to Python", root.name),
                span: f.span,
                hint: Some("call the function inside the compiled code and return its result; a function can be returned to another compiled function".into()),
                source: root.source.clone(),
                function: root.name.clone(),
            }));
        }
    }
    let mut functions = Vec::new();
    let root_index = session.order.iter().position(|k| *k == key).expect("root was typed");
    // The root first, then its callees in the order they were finished.
    let order = std::iter::once(root_index).chain((0..session.order.len()).filter(|i| *i != root_index));
    for i in order {
        let k = &session.order[i];
        match session.entries.remove(k) {
            Some(Entry { state: State::Done(f), .. }) => functions.push(f),
            _ => unreachable!("finished functions are Done"),
        }
    }
    Ok(Program { functions })
}

/// A function and the argument types it is typed for.
type Key = (u64, Vec<Type>);

#[derive(Default)]
struct Session {
    entries: HashMap<Key, Entry>,
    /// Keys of finished functions, in the order they finished.
    order: Vec<Key>,
    /// Return types handed out for functions still in progress, to check after they finish.
    guesses: Vec<(Key, Type)>,
    /// The root's declared return type, when its signature was given.
    declared: Option<(Key, Type)>,
    /// Calls of overloaded callables met without a recorded resolution, without repeats.
    unresolved: Vec<OverloadRequest>,
    /// Functions whose typing stopped for unresolved overloads, with that error: nothing in
    /// this session can resolve them, so later calls get the error without typing again.
    waiting: HashMap<Key, InferError>,
}

struct Entry {
    symbol: String,
    state: State,
}

enum State {
    /// Being typed; the return type inferred so far, if any.
    InProgress(Option<Type>),
    Done(ir::Function),
}

/// What a call of a compiled function resolves to.
pub(crate) enum CallTarget {
    Ready { symbol: String, ret: Type },
    /// The callee's return type depends on a function still being typed; try again next walk.
    Pending,
}

impl Session {
    /// The functions typed to completion, in the order they finished.
    fn finished(&self) -> Vec<(&Key, &ir::Function)> {
        self.order
            .iter()
            .filter_map(|k| match &self.entries.get(k)?.state {
                State::Done(f) => Some((k, f)),
                State::InProgress(_) => None,
            })
            .collect()
    }

    /// Returns the return type of `func(args)`, typing it first if needed.
    fn call(&mut self, func: &Arc<FunctionSource>, args: &[Type], at: Option<(&Arc<SourceText>, Span)>) -> Result<CallTarget, InferError> {
        let key: Key = (func.id, args.to_vec());
        if let Some(e) = self.waiting.get(&key) {
            return Err(e.clone());
        }
        if let Some(entry) = self.entries.get(&key) {
            return Ok(match &entry.state {
                State::Done(f) => CallTarget::Ready { symbol: f.symbol.clone(), ret: f.ret.clone() },
                State::InProgress(Some(ret)) => {
                    self.guesses.push((key.clone(), ret.clone()));
                    CallTarget::Ready { symbol: entry.symbol.clone(), ret: ret.clone() }
                }
                State::InProgress(None) => CallTarget::Pending,
            });
        }
        match self.request(func, args, at) {
            Ok(key) => {
                let f = match &self.entries[&key].state {
                    State::Done(f) => f,
                    State::InProgress(_) => unreachable!("request finishes the function"),
                };
                Ok(CallTarget::Ready { symbol: f.symbol.clone(), ret: f.ret.clone() })
            }
            // The callee needs the return type of a caller still in progress: forget the attempt
            // (nothing of it was cached) and let the caller's next walk retry.
            Err(e) if e.kind == ErrorKind::Pending && self.any_in_progress() => Ok(CallTarget::Pending),
            Err(e) => Err(e),
        }
    }

    fn any_in_progress(&self) -> bool {
        self.entries.values().any(|e| matches!(e.state, State::InProgress(_)))
    }

    /// Types `func(args)` to completion and records it as Done.
    fn request(&mut self, func: &Arc<FunctionSource>, args: &[Type], at: Option<(&Arc<SourceText>, Span)>) -> Result<Key, InferError> {
        let key: Key = (func.id, args.to_vec());
        // An overload's implementation typed by an earlier program: taken whole, with its callees.
        if let Some(typed) = overloads::typed_implementation(&key) {
            for (k, f) in typed.iter() {
                if !self.entries.contains_key(k) {
                    self.entries.insert(k.clone(), Entry { symbol: f.symbol.clone(), state: State::Done(f.clone()) });
                    self.order.push(k.clone());
                }
            }
            return Ok(key);
        }
        let symbol = mangle(func, args);
        self.entries.insert(key.clone(), Entry { symbol: symbol.clone(), state: State::InProgress(None) });
        let first_guess = self.guesses.len();
        let result = function::infer_function(self, func, args, symbol, at);
        match result {
            Ok(f) => {
                // A caller typed against an earlier guess of this function's return type must be
                // typed again; the simple, always-correct answer is to report it.
                let stale = self.guesses[first_guess..].iter().any(|(k, t)| *k == key && *t != f.ret);
                self.guesses.truncate(first_guess);
                if stale {
                    self.entries.remove(&key);
                    return Err(InferError {
                        kind: ErrorKind::Typing,
                        message: format!("cannot infer a stable return type for the recursive function `{}`", func.name),
                        span: f.span,
                        hint: Some("make every `return` give the same type, e.g. write `0.0` instead of `0`".into()),
                        source: func.source.clone(),
                        function: func.name.clone(),
                    });
                }
                self.entries.get_mut(&key).expect("entry exists").state = State::Done(f);
                self.order.push(key.clone());
                Ok(key)
            }
            Err(e) => {
                self.entries.remove(&key);
                self.guesses.truncate(first_guess);
                if e.kind == ErrorKind::NeedsOverloads {
                    self.waiting.insert(key, e.clone());
                }
                Err(e)
            }
        }
    }

    fn declared_return(&self, func: &FunctionSource, args: &[Type]) -> Option<Type> {
        self.declared.as_ref().filter(|(k, _)| k.0 == func.id && k.1 == args).map(|(_, t)| t.clone())
    }

    /// Notes a call of an overloaded callable that has no resolution yet.
    fn want_overload(&mut self, request: OverloadRequest) {
        if !self.unresolved.contains(&request) {
            self.unresolved.push(request);
        }
    }

    fn set_return_guess(&mut self, func: &FunctionSource, args: &[Type], ret: &Type) {
        if let Some(entry) = self.entries.get_mut(&(func.id, args.to_vec())) {
            entry.state = State::InProgress(Some(ret.clone()));
        }
    }
}

/// A symbol unique per (function, signature): `name.<id>(int64,float64)` in LLVM's quoting.
fn mangle(func: &FunctionSource, args: &[Type]) -> String {
    let tys: Vec<String> = args.iter().map(|t| format!("{t}{}", ferrojit_types::FunctionType::ids(t))).collect();
    format!("{}.{}({})", func.name, func.id, tys.join(","))
}

#[cfg(test)]
mod tests;
