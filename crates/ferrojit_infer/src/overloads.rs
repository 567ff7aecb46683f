//! Callables implemented in Python: `ferrojit.extending.overload`, `overload_method` and
//! `overload_attribute`, which the library in `python/ferrojit/_lib/` uses too.
//!
//! A typing function written in Python sees a call's argument types and returns the Python
//! function that implements the call for them; ferrojit compiles that implementation like user
//! code. Typing functions are Python code, and Python code must not run while the compiler does
//! (it runs inside native panic guards: see `gil.rs` in ferrojit_python). So the exchange is
//! split in two:
//! 1. Inference meets a call of an overloaded callable. When this process has already resolved
//!    it for these argument types ([`resolved`]), it compiles a call of the implementation.
//!    Otherwise it records an [`OverloadRequest`], skips the statement as it skips a call whose
//!    type is not known yet, and keeps typing to collect every request it can; compilation then
//!    fails with the requests ([`crate::Failure::NeedsOverloads`]).
//! 2. The dispatcher, in Python, runs the typing functions for each request, hands the answers
//!    to [`record`], and compiles again. Each round resolves every call whose argument types are
//!    known, so a chain of calls takes as many rounds as it is deep, once per process.
//!
//! The registry of overloaded callables ([`register_function`], ...) is filled from Python as
//! the decorators run, so that classifying a global or a module attribute needs no Python code.
//!
//! Static arguments (Numba's): an argument known at compile time reaches the typing function
//! as such ([`ArgType`]): a NumPy scalar type (`np.float32`), a dtype (`a.dtype`), a string, or
//! an integer or bool constant as a literal type. An implementation receives a static argument
//! as a name bound at compile time rather than a parameter ([`with_static_params`]): one typed
//! function per implementation and static values, as Numba compiles one per literal type.

use crate::env::{ConstValue, FunctionSource, GlobalEnv, GlobalValue};
use ferrojit_types::Type;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::{Arc, LazyLock, RwLock};

/// The type of one argument of a call of an overloaded callable, as its typing function sees
/// it, spelled as Numba spells it (see `python/ferrojit/types.py`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ArgType {
    /// A value computed at run time.
    Value(Type),
    /// An integer constant (`0`, `-1`, a global bound to an int): `Literal[int](0)`, an
    /// `int64` at run time.
    IntLiteral(i64),
    /// `True` or `False`: `Literal[bool](True)`.
    BoolLiteral(bool),
    /// A number type used as a value (`np.float32`, `float`): `class(float32)`.
    NumberClass(Type),
    /// An array's `dtype` attribute: `dtype(float32)`.
    DType(Type),
    /// A string constant: `Literal[str](text)`.
    StringLiteral(String),
}

impl ArgType {
    /// Whether the argument is a literal, which a typing function also sees without its value
    /// (as `int64` or `bool`, see [`Resolution::Implementation`]).
    pub fn is_literal(&self) -> bool {
        matches!(self, ArgType::IntLiteral(_) | ArgType::BoolLiteral(_))
    }
}

impl fmt::Display for ArgType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArgType::Value(t) => write!(f, "{t}"),
            ArgType::IntLiteral(v) => write!(f, "Literal[int]({v})"),
            ArgType::BoolLiteral(b) => write!(f, "Literal[bool]({})", if *b { "True" } else { "False" }),
            ArgType::NumberClass(t) => write!(f, "class({t})"),
            ArgType::DType(t) => write!(f, "dtype({t})"),
            ArgType::StringLiteral(s) => write!(f, "Literal[str]({s})"),
        }
    }
}

/// The number type a library callable stands for when used as a value (`numpy.float32`,
/// `builtins.float`), as NumPy reads it in `dtype=`.
pub fn number_class(qualified: &str) -> Option<Type> {
    match qualified {
        "builtins.float" => Some(Type::FLOAT64),
        "builtins.int" => Some(Type::INT64),
        "builtins.bool" => Some(Type::Bool),
        "builtins.complex" => Some(Type::COMPLEX128),
        q => q.strip_prefix("numpy.").and_then(Type::from_name).filter(|t| t.is_number()),
    }
}

/// What a request asks an implementation of.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum OverloadTarget {
    /// A callable registered with `overload(func)`, by the key the registry gave it.
    Function(u64),
    /// `receiver.name(...)` registered with `overload_method`: the receiver is the first
    /// argument.
    Method(String),
    /// `receiver.name` registered with `overload_attribute`: the receiver is the only argument.
    Attribute(String),
}

/// One call of an overloaded callable, by the types of its arguments (literal values
/// included: each distinct value is a request of its own).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OverloadRequest {
    pub target: OverloadTarget,
    pub args: Vec<ArgType>,
    /// Keyword arguments in the order written.
    pub keywords: Vec<(String, ArgType)>,
    /// The call is in a function compiled with `parallel=True`, and the callable's typing
    /// functions asked to know it ([`sees_caller_parallel`]): a stencil then runs its loops on
    /// the thread pool. False for every other callable, so that their requests are shared by
    /// serial and parallel callers.
    pub caller_parallel: bool,
}

/// The answer of the typing functions to one request.
#[derive(Clone, Debug)]
pub enum Resolution {
    /// Compile `function` for the call; its parameters bind the call's arguments. With
    /// `literal`, the typing function accepted the literal types, and the implementation sees
    /// literal arguments as constants; else it was given their plain types (`int64`, `bool`)
    /// and takes them at run time, one compilation serving every value. With `any_layout`, the
    /// typing function saw every array argument of one or more dimensions as layout `A`, and
    /// the call converts such arguments to it (a conversion that costs nothing), so that one
    /// compilation serves C, F and strided arrays.
    Implementation { function: Arc<FunctionSource>, literal: bool, any_layout: bool },
    /// No typing function accepted the types; the text says why (it may be empty).
    NoMatch(String),
    /// The arguments do not fit the callable's parameters (a keyword it does not have, one too
    /// many): the text is the whole message, in CPython's words.
    BadCall(String),
    /// A typing function of ferrojit's library refused the call with the whole error: an
    /// `UnsupportedError` when `unsupported` (an argument compiled code does not support yet),
    /// else a `TypingError`.
    Refused { message: String, hint: Option<String>, unsupported: bool },
}

#[derive(Default)]
struct Registry {
    /// Address of the Python callable -> key. The Python side keeps the callables alive, so an
    /// address is never reused for another object.
    by_object: HashMap<usize, u64>,
    /// `numpy.linspace` -> key, for module attributes reached as `np.linspace`.
    by_name: HashMap<String, u64>,
    /// Key -> the name messages use (`np.linspace`, `mymodule.clip`).
    display: HashMap<u64, String>,
    /// Key -> `numpy.linspace`, the reverse of `by_name`.
    qualified: HashMap<u64, String>,
    methods: HashSet<String>,
    attributes: HashSet<String>,
    resolved: HashMap<OverloadRequest, Resolution>,
    /// Ids of the functions some resolution chose as an implementation.
    implementations: HashSet<u64>,
    /// The callables and methods whose typing functions are told whether the caller is
    /// compiled with `parallel=True` (see [`OverloadRequest::caller_parallel`]).
    sees_caller_parallel: HashSet<OverloadTarget>,
    /// Typed implementations, by (function id, argument types), each with every function it
    /// calls (all implementations themselves): typed once per process, reused by every program
    /// that calls them.
    typed: HashMap<(u64, Vec<Type>), Arc<TypedImplementation>>,
    /// Implementations with some parameters bound at compile time, by (implementation id,
    /// bound parameters): made once per process, so each is typed once.
    specialised: HashMap<(u64, Vec<(usize, StaticParam)>), Arc<FunctionSource>>,
}

/// A typed implementation and the functions it calls, each with its (function id, argument
/// types) key, the implementation first.
pub(crate) type TypedImplementation = Vec<((u64, Vec<Type>), ferrojit_ir::Function)>;

static REGISTRY: LazyLock<RwLock<Registry>> = LazyLock::new(Default::default);

fn read() -> std::sync::RwLockReadGuard<'static, Registry> {
    REGISTRY.read().unwrap_or_else(|p| p.into_inner())
}

fn write() -> std::sync::RwLockWriteGuard<'static, Registry> {
    REGISTRY.write().unwrap_or_else(|p| p.into_inner())
}

/// Registers the callable at `address` under `key`; `qualified` is its module-qualified name
/// (`numpy.linspace`) when a module attribute of that name is this very object.
pub fn register_function(key: u64, address: usize, qualified: Option<String>, display: String) {
    let mut r = write();
    r.by_object.insert(address, key);
    if let Some(q) = qualified {
        r.by_name.insert(q.clone(), key);
        // A callable registered again under another name (an alias: `bisect.bisect` is
        // `bisect.bisect_right`) keeps its first name.
        r.qualified.entry(key).or_insert(q);
    }
    r.display.insert(key, display);
}

pub fn register_method(name: &str, sees_caller_parallel: bool) {
    let mut r = write();
    r.methods.insert(name.to_string());
    if sees_caller_parallel {
        r.sees_caller_parallel.insert(OverloadTarget::Method(name.to_string()));
    }
    r.forget_unaccepted(&OverloadTarget::Method(name.to_string()));
}

pub fn register_attribute(name: &str) {
    let mut r = write();
    r.attributes.insert(name.to_string());
    r.forget_unaccepted(&OverloadTarget::Attribute(name.to_string()));
}

/// A typing function was added to the overloaded callable `key`.
pub fn typing_added(key: u64, sees_caller_parallel: bool) {
    let mut r = write();
    if sees_caller_parallel {
        r.sees_caller_parallel.insert(OverloadTarget::Function(key));
    }
    r.forget_unaccepted(&OverloadTarget::Function(key));
}

/// Whether a call of `target` from a function compiled with `parallel=True` is a request of
/// its own (see [`OverloadRequest::caller_parallel`]).
pub fn sees_caller_parallel(target: &OverloadTarget) -> bool {
    read().sees_caller_parallel.contains(target)
}

impl Registry {
    /// A new typing function for `target` may accept what the earlier ones did not: the
    /// answers recorded without an implementation are forgotten, so that the next compilation
    /// asks again. Answers with an implementation stay (compiled code may already call it, and
    /// the first typing function to accept keeps the call, as in Numba).
    fn forget_unaccepted(&mut self, target: &OverloadTarget) {
        self.resolved.retain(|request, answer| &request.target != target || matches!(answer, Resolution::Implementation { .. }));
    }
}

/// The key of the overloaded callable at `address`, if it is one.
pub fn function_key_of_object(address: usize) -> Option<u64> {
    read().by_object.get(&address).copied()
}

/// The key of the overloaded callable named `qualified` (`numpy.linspace`), if it is one.
pub fn function_key_of_name(qualified: &str) -> Option<u64> {
    read().by_name.get(qualified).copied()
}

pub fn display_name(key: u64) -> String {
    read().display.get(&key).cloned().unwrap_or_else(|| format!("overloaded function #{key}"))
}

/// The module-qualified name (`numpy.sum`) of an overloaded library callable.
pub fn library_name(key: u64) -> Option<String> {
    read().qualified.get(&key).cloned()
}

pub fn has_method(name: &str) -> bool {
    read().methods.contains(name)
}

pub fn has_attribute(name: &str) -> bool {
    read().attributes.contains(name)
}

/// The answer recorded for `request` in this process, if any.
pub fn resolved(request: &OverloadRequest) -> Option<Resolution> {
    read().resolved.get(request).cloned()
}

/// Records the typing functions' answer to `request`; the first answer stays (two threads
/// may resolve the same request at once, and compiled code may already use the first).
pub fn record(request: OverloadRequest, resolution: Resolution) {
    let mut r = write();
    if let Resolution::Implementation { function, .. } = &resolution {
        r.implementations.insert(function.id);
    }
    r.resolved.entry(request).or_insert(resolution);
}

/// A compile-time value bound to a parameter of an implementation.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum StaticParam {
    Int(i64),
    Bool(bool),
    /// A number type, by the qualified name of the callable written (`numpy.float32`,
    /// `builtins.float`), which calls of the parameter then call.
    NumberClass(String),
    DType(Type),
    Str(String),
}

impl StaticParam {
    /// What the parameter's name denotes in the implementation's body.
    fn value(&self) -> GlobalValue {
        match self {
            StaticParam::Int(v) => GlobalValue::Const(ConstValue::Int(*v)),
            StaticParam::Bool(b) => GlobalValue::Const(ConstValue::Bool(*b)),
            StaticParam::NumberClass(q) => GlobalValue::Function(q.clone()),
            StaticParam::DType(t) => GlobalValue::DType(t.clone()),
            StaticParam::Str(s) => GlobalValue::Str(s.clone()),
        }
    }
}

/// The names of an implementation's parameters bound at compile time, seen before its globals
/// (Python's scoping would make them locals; they are never assigned: see
/// [`with_static_params`]).
struct StaticParams {
    implementation: Arc<FunctionSource>,
    bound: HashMap<String, GlobalValue>,
}

impl GlobalEnv for StaticParams {
    fn lookup(&self, name: &str) -> Option<GlobalValue> {
        self.bound.get(name).cloned().or_else(|| self.implementation.globals.lookup(name))
    }

    fn enclosing_function_of(&self, name: &str) -> Option<String> {
        if self.bound.contains_key(name) {
            return None;
        }
        self.implementation.globals.enclosing_function_of(name)
    }
}

/// `implementation` with the parameters at the given indices (in increasing order, none of
/// them assigned in the body) bound to compile-time values: a function without those
/// parameters, whose body reads them as frozen names. One per implementation and values for
/// the life of the process.
pub(crate) fn with_static_params(implementation: &Arc<FunctionSource>, params: Vec<(usize, StaticParam)>) -> Arc<FunctionSource> {
    let key = (implementation.id, params);
    if let Some(f) = read().specialised.get(&key) {
        return f.clone();
    }
    let params = &key.1;
    let is_static = |i: usize| params.iter().any(|(k, _)| *k == i);
    let mut ast = implementation.ast.clone();
    let mut bound = HashMap::new();
    if let Ok(def) = &mut ast {
        for (i, p) in params {
            bound.insert(def.params[*i].name.clone(), p.value());
        }
        let mut i = 0;
        def.params.retain(|_| {
            i += 1;
            !is_static(i - 1)
        });
    }
    let defaults = implementation.defaults.iter().enumerate().filter(|(i, _)| !is_static(*i)).map(|(_, d)| d.clone()).collect();
    // Ids of Python functions count up from 1; these count down from the top of the range.
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(u64::MAX);
    let id = NEXT.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
    let specialised = Arc::new(FunctionSource {
        id,
        name: implementation.name.clone(),
        source: implementation.source.clone(),
        ast,
        globals: Box::new(StaticParams { implementation: implementation.clone(), bound }),
        defaults,
        library: implementation.library,
        parallel: implementation.parallel,
    });
    let mut r = write();
    r.implementations.insert(id);
    r.specialised.entry(key).or_insert(specialised).clone()
}

pub(crate) fn typed_implementation(key: &(u64, Vec<Type>)) -> Option<Arc<TypedImplementation>> {
    read().typed.get(key).cloned()
}

/// Keeps the typed implementations among `functions` (a finished program's, by key) whose
/// callees are all implementations too, for later programs.
pub(crate) fn keep_typed_implementations(functions: &[(&(u64, Vec<Type>), &ferrojit_ir::Function)]) {
    let by_symbol: HashMap<&str, usize> = functions.iter().enumerate().map(|(i, (_, f))| (f.symbol.as_str(), i)).collect();
    let mut r = write();
    for (i, (key, _)) in functions.iter().enumerate() {
        if !r.implementations.contains(&key.0) || r.typed.contains_key(*key) {
            continue;
        }
        // The implementation and everything it calls, transitively.
        let mut members = vec![i];
        let mut all_shared = true;
        let mut next = 0;
        while next < members.len() {
            let f = functions[members[next]].1;
            next += 1;
            for symbol in f.callees() {
                match by_symbol.get(symbol.as_str()) {
                    Some(&j) if r.implementations.contains(&functions[j].0 .0) => {
                        if !members.contains(&j) {
                            members.push(j);
                        }
                    }
                    _ => all_shared = false,
                }
            }
        }
        if all_shared {
            let typed = members.iter().map(|&j| (functions[j].0.clone(), functions[j].1.clone())).collect();
            r.typed.insert((*key).clone(), Arc::new(typed));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argument_types_are_spelled_as_numba_spells_them() {
        let spelled: Vec<String> = [
            ArgType::Value(Type::INT64),
            ArgType::IntLiteral(-1),
            ArgType::BoolLiteral(true),
            ArgType::NumberClass(Type::FLOAT32),
            ArgType::DType(Type::int(8, false)),
            ArgType::StringLiteral("ortho".into()),
        ]
        .iter()
        .map(ToString::to_string)
        .collect();
        assert_eq!(spelled, ["int64", "Literal[int](-1)", "Literal[bool](True)", "class(float32)", "dtype(uint8)", "Literal[str](ortho)"]);
    }

    #[test]
    fn number_classes_are_numpy_s_scalar_types_and_python_s_number_types() {
        assert_eq!(number_class("numpy.float32"), Some(Type::FLOAT32));
        assert_eq!(number_class("builtins.int"), Some(Type::INT64));
        assert_eq!(number_class("builtins.bool"), Some(Type::Bool));
        assert_eq!(number_class("numpy.sqrt"), None);
        assert_eq!(number_class("numpy.none"), None);
    }
}
