//! ferrojit's own library (`python/ferrojit/_lib/`) compiled once, not into every caller.
//!
//! A library implementation is typed once per argument types and process (see
//! `ferrojit_infer::overloads`), but its machine code used to be generated into each caller's
//! module: every user function calling `np.sort` paid LLVM's work on the sort again, 0.3-0.5 s.
//! Here each entry into the library (a library function called from outside it, by the user's
//! code) that has a loop, in its body or in the library functions it calls, becomes a *unit*: a
//! module of its own, compiled once per signature and options, loaded once, and called by
//! every program of the process through its exported symbol (a [`codegen::External`]). The
//! library's disk cache keeps the units' objects, so later processes load them instead of
//! compiling.
//!
//! The library functions an entry calls are compiled into its unit, where LLVM inlines them
//! and drops what the entry's constant arguments rule out (`np.sort` compiles the unstable
//! sort's code only): one module per entry costs less than one per helper, whose fixed costs
//! add up (a stable sort of float64 was 14 modules, 1.3 s, against one module, 0.45 s). Entries
//! without a loop stay in their callers' modules: they are cheap to compile, and a call would
//! cost more than their body.
//!
//! Partition of a program: a unit holds its root and every function reachable from it through
//! calls of functions that are not units themselves. A unit called from a member is linked as
//! an external, unless it calls back into the root (mutual recursion), in which case it is a
//! member too; so units depend on each other without cycles, and are ensured depth first.
//!
//! Keys: a unit is known by a hash of everything its machine code depends on ([`unit_key`]):
//! the compiler build and host, the code-generation options, and for each function reachable
//! from the root its name, types, fingerprint (source and globals read) and, in call order,
//! what it calls. The key names the exported symbol (`fjlib_<key>`), the process's table entry
//! and the cache file. A unit whose code embeds process-local addresses has no such key: it
//! is compiled once per process under a process-local name and never cached on disk.

use crate::{cache, codegen, Timings};
use ferrojit_ir as ir;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

/// A program split into the caller's module and the units it calls.
pub(crate) struct Linked {
    /// Indices into the program of the functions compiled in the caller's module, root first.
    pub members: Vec<usize>,
    /// The units the caller's module calls, loaded.
    pub externals: Vec<codegen::External>,
    /// The time spent compiling units for this program (nothing when all were loaded).
    pub timings: Timings,
    /// The units compiled for this program (not found loaded or on disk), each with its
    /// `name(argument types) -> return type` and the time it took.
    pub compiled: Vec<(String, Timings)>,
}

/// The size (in expression nodes, see `ir::Function::size`) from which a library helper with a
/// loop is a unit of its own, shared by the entries that call it (the sorts of `np.sort`,
/// `np.argsort`, `np.median`, ...), rather than compiled into each. Smaller helpers cost less
/// to compile again than a module of their own does (about 5-10 ms however small), and are
/// better inlined.
const SHARED_HELPER_SIZE: usize = 100;

/// A unit loaded into this process.
#[derive(Clone)]
struct Loaded {
    link_name: String,
    address: usize,
    /// `name(argument types) -> return type` of its root.
    signature: String,
    /// Read from the disk cache rather than compiled.
    from_disk: bool,
}

/// The library units loaded in this process: (`name(argument types) -> return type`, whether
/// it was read from the disk cache), in no particular order.
pub fn library_units() -> Vec<(String, bool)> {
    loaded().lock().unwrap_or_else(|p| p.into_inner()).values().map(|u| (u.signature.clone(), u.from_disk)).collect()
}

/// Units loaded in this process, by key (see the module docs).
fn loaded() -> &'static Mutex<HashMap<String, Loaded>> {
    static LOADED: OnceLock<Mutex<HashMap<String, Loaded>>> = OnceLock::new();
    LOADED.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Splits `functions` (a typed program, root first) into the caller's module and units, and
/// makes sure every unit it calls is loaded: from this process's table, the disk cache, or by
/// compiling it.
/// With `dump_ir`, the optimised LLVM IR of each unit compiled is printed (`FERROJIT_DUMP_IR`).
pub(crate) fn link(functions: &[ir::Function], options: &codegen::Options, dump_ir: bool) -> Result<Linked, codegen::CodegenError> {
    let mut graph = Graph::new(functions);
    graph.dump_ir = dump_ir;
    let (members, external_indices) = graph.unit(0);
    let mut compiled = Vec::new();
    let externals = graph.externals(&external_indices, options, &mut compiled)?;
    let mut timings = Timings::default();
    for (_, t) in &compiled {
        timings.lower += t.lower;
        timings.optimize += t.optimize;
        timings.machine_code += t.machine_code;
    }
    Ok(Linked { members, externals, timings, compiled })
}

/// The call graph of a program.
struct Graph<'a> {
    functions: &'a [ir::Function],
    /// Per function, the indices of the functions it calls, in the order of their first call.
    callees: Vec<Vec<usize>>,
    /// Per function, whether it is compiled as a unit of its own.
    is_unit: Vec<bool>,
    /// Print the optimised LLVM IR of each unit compiled.
    dump_ir: bool,
}

impl<'a> Graph<'a> {
    fn new(functions: &'a [ir::Function]) -> Self {
        let index: HashMap<&str, usize> = functions.iter().enumerate().map(|(i, f)| (f.symbol.as_str(), i)).collect();
        let callees = functions.iter().map(|f| f.callees().iter().filter_map(|s| index.get(s.as_str()).copied()).collect()).collect();
        let mut graph = Graph { functions, callees, is_unit: vec![false; functions.len()], dump_ir: false };
        // Entries into the library: library functions that a function outside it calls.
        let mut entry = vec![false; functions.len()];
        for (i, f) in functions.iter().enumerate() {
            if !f.library {
                for &c in &graph.callees[i] {
                    entry[c] = functions[c].library;
                }
            }
        }
        // The root is the caller's own function, never a unit.
        graph.is_unit = (0..functions.len())
            .map(|i| {
                let f = &functions[i];
                // A function taking or giving a generator is compiled with the generator
                // function, whose `next` it may call: in its caller's module.
                let generators = f.arg_types.iter().chain([&f.ret]).any(ir::Type::holds_generator);
                i != 0 && f.library && !generators && ((entry[i] && graph.loops_within_library(i)) || (f.size() >= SHARED_HELPER_SIZE && f.has_loop()))
            })
            .collect();
        graph
    }

    /// Whether `i` or a library function it reaches has a loop.
    fn loops_within_library(&self, i: usize) -> bool {
        let mut seen = vec![false; self.functions.len()];
        let mut stack = vec![i];
        while let Some(j) = stack.pop() {
            if std::mem::replace(&mut seen[j], true) {
                continue;
            }
            if self.functions[j].has_loop() {
                return true;
            }
            stack.extend(self.callees[j].iter().copied().filter(|&c| self.functions[c].library));
        }
        false
    }

    fn reaches(&self, from: usize, to: usize) -> bool {
        let mut seen = vec![false; self.functions.len()];
        let mut stack = vec![from];
        while let Some(i) = stack.pop() {
            if std::mem::replace(&mut seen[i], true) {
                continue;
            }
            for &c in &self.callees[i] {
                if c == to {
                    return true;
                }
                stack.push(c);
            }
        }
        false
    }

    /// The members of the module rooted at `root` (root first) and the units it calls.
    fn unit(&self, root: usize) -> (Vec<usize>, Vec<usize>) {
        let mut members = vec![root];
        let mut externals = Vec::new();
        let mut next = 0;
        while next < members.len() {
            let m = members[next];
            next += 1;
            for &c in &self.callees[m] {
                if members.contains(&c) || externals.contains(&c) {
                    continue;
                }
                if self.is_unit[c] && !self.reaches(c, root) {
                    externals.push(c);
                } else {
                    members.push(c);
                }
            }
        }
        (members, externals)
    }

    /// The units `indices`, loaded, as a module calling them declares them.
    fn externals(&self, indices: &[usize], options: &codegen::Options, compiled_units: &mut Vec<(String, Timings)>) -> Result<Vec<codegen::External>, codegen::CodegenError> {
        let mut externals = Vec::new();
        for &i in indices {
            let loaded = self.ensure(i, options, compiled_units)?;
            externals.push(codegen::External {
                symbol: self.functions[i].symbol.clone(),
                link_name: loaded.link_name,
                arg_types: self.functions[i].arg_types.clone(),
                address: loaded.address,
            });
        }
        Ok(externals)
    }

    /// Loads the unit rooted at `root`, after the units it calls.
    fn ensure(&self, root: usize, options: &codegen::Options, compiled_units: &mut Vec<(String, Timings)>) -> Result<Loaded, codegen::CodegenError> {
        let options = unit_options(options);
        let stable_key = unit_key(self.functions, &self.callees, root, &options);
        let key = stable_key.clone().unwrap_or_else(|| format!("{} {}", self.functions[root].symbol, options_text(&options)));
        if let Some(found) = loaded().lock().unwrap_or_else(|p| p.into_inner()).get(&key) {
            return Ok(found.clone());
        }
        let (members, external_indices) = self.unit(root);
        let externals = self.externals(&external_indices, &options, compiled_units)?;
        let link_name = match &stable_key {
            Some(k) => format!("fjlib_{}", &k[..32]),
            None => {
                static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
                format!("fjlib_local_{}", NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
            }
        };
        let root_function = &self.functions[root];
        let args: Vec<String> = root_function.arg_types.iter().map(|t| t.to_string()).collect();
        let signature = format!("{}({}) -> {}", root_function.name, args.join(", "), root_function.ret);
        let file = stable_key.as_ref().and_then(|k| Some(cache::path(&cache_dir()?, &root_function.name, k)));
        let cached = file.as_ref().and_then(|path| cache::read(path)).filter(|e| e.symbol == link_name && e.ret == root_function.ret.to_string());
        let from_disk = cached.and_then(|e| codegen::load_objects(&e.objects, &link_name, &externals).ok());
        let address = match from_disk {
            Some(address) => address,
            None => {
                let program: Vec<&ir::Function> = members.iter().map(|&i| &self.functions[i]).collect();
                let options = codegen::Options { export_root_as: Some(link_name.clone()), keep_llvm_ir: self.dump_ir, ..options };
                let compiled = codegen::compile(&program, &externals, &options)?;
                if let Some(ir) = &compiled.llvm_ir {
                    println!("---- optimised LLVM IR: library unit {signature} ----\n{ir}");
                }
                let t = compiled.timings;
                compiled_units.push((signature.clone(), Timings { lower: t.lower, optimize: t.optimize, machine_code: t.machine_code, ..Timings::default() }));
                if let Some(path) = &file {
                    if cache::write(path, &cache::Entry { symbol: link_name.clone(), ret: root_function.ret.to_string(), objects: compiled.objects }) {
                        prune_once(path);
                    }
                }
                compiled.address
            }
        };
        let unit = Loaded { link_name, address, signature, from_disk: from_disk.is_some() };
        // Another thread may have loaded the same unit meanwhile; either copy serves.
        Ok(loaded().lock().unwrap_or_else(|p| p.into_inner()).entry(key).or_insert(unit).clone())
    }
}

/// The options a unit is compiled with: its caller's choices about the code (bounds checks,
/// fast math, error model), none about the entry point or what to keep.
fn unit_options(options: &codegen::Options) -> codegen::Options {
    codegen::Options {
        load: true,
        boundscheck: options.boundscheck,
        fastmath: options.fastmath,
        numpy_errors: options.numpy_errors,
        ..codegen::Options::default()
    }
}

fn options_text(options: &codegen::Options) -> String {
    format!("boundscheck={} fastmath={:?} numpy_errors={}", options.boundscheck, options.fastmath, options.numpy_errors)
}

/// The key of the unit rooted at `root` (see the module docs); `None` when a function it
/// reaches has no fingerprint (its code embeds process-local addresses).
fn unit_key(functions: &[ir::Function], callees: &[Vec<usize>], root: usize, options: &codegen::Options) -> Option<String> {
    /// Appends the description of `i` and, depth first, of what it calls; a function already
    /// described is referred to by its position in the description.
    fn describe(functions: &[ir::Function], callees: &[Vec<usize>], i: usize, order: &mut Vec<usize>, out: &mut Vec<String>) -> Option<()> {
        if let Some(position) = order.iter().position(|&j| j == i) {
            out.push(format!("see #{position}"));
            return Some(());
        }
        order.push(i);
        let f = &functions[i];
        let args: Vec<String> = f.arg_types.iter().map(|t| t.to_string()).collect();
        out.push(format!("#{} {}({}) -> {} library={}", order.len() - 1, f.name, args.join(","), f.ret, f.library));
        out.push(f.fingerprint.clone()?);
        out.push(format!("calls {}", callees[i].len()));
        for &c in &callees[i] {
            describe(functions, callees, c, order, out)?;
        }
        Some(())
    }
    let mut parts = vec![
        format!("ferrojit {} build {}", env!("CARGO_PKG_VERSION"), env!("FERROJIT_BUILD_ID")),
        codegen::host_description().ok()?,
        options_text(options),
    ];
    describe(functions, callees, root, &mut Vec::new(), &mut parts)?;
    let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
    Some(cache::key(&refs))
}

/// Where the library's units are cached: `FERROJIT_LIBRARY_CACHE` (`0` or empty: nowhere),
/// else `ferrojit` in the user's cache directory (`$XDG_CACHE_HOME`, else `~/.cache`); one
/// subdirectory per ferrojit build, since no other build can use its files.
fn cache_dir() -> Option<PathBuf> {
    let base = match std::env::var_os("FERROJIT_LIBRARY_CACHE") {
        Some(v) if v.is_empty() || v == "0" => return None,
        Some(v) => PathBuf::from(v),
        None => match std::env::var_os("XDG_CACHE_HOME").filter(|v| !v.is_empty()) {
            Some(v) => PathBuf::from(v).join("ferrojit"),
            None => PathBuf::from(std::env::var_os("HOME").filter(|v| !v.is_empty())?).join(".cache").join("ferrojit"),
        },
    };
    Some(base.join(format!("library-{}-{}", env!("CARGO_PKG_VERSION"), env!("FERROJIT_BUILD_ID"))))
}

/// How many builds' directories the library cache keeps: the newest written to.
const BUILDS_KEPT: usize = 3;

/// Removes the directories of older builds from the library cache, once per process, after
/// the first file this process wrote into it (`written`), so that the cache does not grow
/// with every ferrojit build installed or made.
fn prune_once(written: &std::path::Path) {
    static PRUNED: std::sync::Once = std::sync::Once::new();
    PRUNED.call_once(|| {
        let Some(base) = written.parent().and_then(|d| d.parent()) else { return };
        let Ok(entries) = std::fs::read_dir(base) else { return };
        let mut builds: Vec<(std::time::SystemTime, PathBuf)> = entries
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with("library-") && e.path().is_dir())
            .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
            .collect();
        builds.sort_by(|a, b| b.0.cmp(&a.0));
        let own = written.parent();
        for (_, dir) in builds.into_iter().skip(BUILDS_KEPT) {
            if Some(dir.as_path()) != own {
                let _ = std::fs::remove_dir_all(dir);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferrojit_ir::{Const, Expr, ExprKind, Stmt, StmtKind};
    use ferrojit_syntax::Span;
    use ferrojit_types::Type;

    const SPAN: Span = Span { line: 1, col: 0, end_line: 1, end_col: 1 };

    /// A function named `name` that calls `calls` in order, with a loop when `looping`, and
    /// `size` extra expression statements (to make it large).
    fn function(name: &str, library: bool, looping: bool, size: usize, calls: &[&str]) -> ir::Function {
        let statement = |kind| Stmt { kind, span: SPAN };
        let constant = || Expr::new(ExprKind::Const(Const::Int(0)), Type::INT64, SPAN);
        let mut body: Vec<Stmt> = calls
            .iter()
            .map(|c| statement(StmtKind::Expr(Expr::new(ExprKind::Call { symbol: c.to_string(), args: vec![] }, Type::NoneType, SPAN))))
            .collect();
        if looping {
            body.push(statement(StmtKind::While { cond: Expr::new(ExprKind::Const(Const::Bool(false)), Type::Bool, SPAN), body: vec![], orelse: vec![] }));
        }
        body.extend((0..size).map(|_| statement(StmtKind::Expr(constant()))));
        ir::Function {
            name: name.into(),
            symbol: name.into(),
            num_params: 0,
            arg_types: vec![],
            locals: vec![],
            ret: Type::NoneType,
            body,
            span: SPAN,
            fingerprint: Some(name.into()),
            ownership: None,
            library,
            parallel: false,
        }
    }

    fn names(functions: &[ir::Function], indices: &[usize]) -> Vec<String> {
        indices.iter().map(|&i| functions[i].name.clone()).collect()
    }

    #[test]
    fn entries_with_loops_and_large_looping_helpers_are_units() {
        let program = vec![
            function("user", false, false, 0, &["sort", "wrapper", "small"]),
            // An entry whose loop is in a small helper: a unit, the helper inside it.
            function("sort", true, false, 0, &["helper", "big"]),
            function("helper", true, true, 0, &[]),
            // A large helper with a loop: a unit of its own, shared.
            function("big", true, true, SHARED_HELPER_SIZE, &[]),
            // An entry without any loop, even in what it calls: compiled into its caller.
            function("wrapper", true, false, 0, &["flat"]),
            function("flat", true, false, 0, &[]),
            // An entry whose only loop is in a helper shared with `sort`: a unit too.
            function("small", true, false, 0, &["helper"]),
        ];
        let graph = Graph::new(&program);
        let (members, externals) = graph.unit(0);
        assert_eq!(names(&program, &members), ["user", "wrapper", "flat"]);
        assert_eq!(names(&program, &externals), ["sort", "small"]);
        let (members, externals) = graph.unit(1);
        assert_eq!(names(&program, &members), ["sort", "helper"]);
        assert_eq!(names(&program, &externals), ["big"]);
    }

    #[test]
    fn a_unit_calling_back_into_its_caller_is_compiled_with_it() {
        let program = vec![
            function("user", false, false, 0, &["a"]),
            function("a", true, true, 0, &["b"]),
            function("b", true, true, SHARED_HELPER_SIZE, &["a"]),
        ];
        let graph = Graph::new(&program);
        assert_eq!(names(&program, &graph.unit(0).1), ["a"]);
        // `b` calls `a` back: one module holds both, and `a` depends on no unit.
        let (members, externals) = graph.unit(1);
        assert_eq!(names(&program, &members), ["a", "b"]);
        assert!(externals.is_empty());
    }

    #[test]
    fn keys_follow_what_the_code_depends_on() {
        let options = codegen::Options::default();
        let key_of = |program: &[ir::Function]| {
            let graph = Graph::new(program);
            unit_key(program, &graph.callees, 1, &options)
        };
        let program = vec![function("user", false, false, 0, &["a"]), function("a", true, true, 0, &["h"]), function("h", true, false, 0, &[])];
        let key = key_of(&program).expect("every function has a fingerprint");
        // The same code under other symbols (another process's ids): the same key.
        let mut renamed = program.clone();
        for f in &mut renamed {
            f.symbol = format!("{}.{}", f.symbol, 99);
        }
        renamed[1].body[0] = Stmt { kind: StmtKind::Expr(Expr::new(ExprKind::Call { symbol: "h.99".into(), args: vec![] }, Type::NoneType, SPAN)), span: SPAN };
        assert_eq!(key_of(&renamed).as_deref(), Some(key.as_str()));
        // A callee's source changed: another key.
        let mut edited = program.clone();
        edited[2].fingerprint = Some("h, edited".into());
        assert_ne!(key_of(&edited), Some(key.clone()));
        // Other options: another key.
        let graph = Graph::new(&program);
        assert_ne!(unit_key(&program, &graph.callees, 1, &codegen::Options { boundscheck: true, ..Default::default() }), Some(key));
        // Process-local addresses: no key.
        let mut local = program.clone();
        local[2].fingerprint = None;
        assert_eq!(key_of(&local), None);
    }
}
