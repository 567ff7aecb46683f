//! Golden tests of type inference: Python source + argument types -> typed IR.
//!
//! - `resources/typed/<name>.py`: the typed IR of every function the root needs (the root first,
//!   then its callees) after the passes (`ferrojit_compiler::passes`: fusion, ownership), as
//!   `ferrojit_ir::print_function` renders it, is compared with
//!   `resources/typed/<name>.ir`. Every function must also pass `ferrojit_ir::verify`.
//! - `resources/typed_errors/<name>.py`: compiling must fail; `resources/typed_errors/<name>.err`
//!   holds the error kind and the message as the user sees it (file, line, column, source line).
//!
//! Fixture format: the first line gives the root's argument types in Numba's signature syntax,
//! e.g. `# args: int64, float64[:, ::1]` (`# args:` alone for none). The rest of the file holds
//! one or more top-level functions (each starting at column 0 with `def` or its decorators);
//! the first is the root, and every function is visible to the others (and to itself) as a
//! global under its name, which is how recursion and calls between compiled functions are
//! tested. Each function's source starts at its own line of the file, so line numbers in the
//! output are the file's.
//!
//! Golden files are generated, never edited by hand:
//!
//! ```text
//! FERROJIT_BLESS=1 cargo test --release -p ferrojit_compiler --test typed_ir
//! ```

#[path = "../../ferrojit_syntax/tests/golden/mod.rs"]
mod golden;

use ferrojit_compiler::{
    compile, format_located, function_source, parse_signature, ConstValue, ExcKind, FunctionSource, GlobalEnv, GlobalValue, ModuleKind,
    Options, SourceText, Type,
};
use golden::{file_name, files_with_ext, read_text, Golden};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock, Weak};

const COMMAND: &str = "FERROJIT_BLESS=1 cargo test --release -p ferrojit_compiler --test typed_ir";

fn resources() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("resources")
}

/// The functions of one fixture file, by name. Filled once every [`FunctionSource`] exists;
/// weak references, so that functions referring to each other (or themselves) do not leak.
type Registry = Arc<OnceLock<HashMap<String, Weak<FunctionSource>>>>;

/// The module globals every fixture sees, as a Python module with `import math` and a few
/// constants would provide them, plus the fixture's own functions.
struct TestEnv {
    functions: Registry,
}

impl GlobalEnv for TestEnv {
    fn lookup(&self, name: &str) -> Option<GlobalValue> {
        // Module globals shadow builtins, as in Python.
        if let Some(f) = self.functions.get().and_then(|fs| fs.get(name)).and_then(Weak::upgrade) {
            return Some(GlobalValue::Jit(f));
        }
        match name {
            "range" | "abs" | "min" | "max" | "int" | "float" | "bool" | "complex" | "round" | "pow" | "divmod"
            | "print" | "len" | "next" => Some(GlobalValue::Function(format!("builtins.{name}"))),
            "math" => Some(GlobalValue::Module(ModuleKind::Math)),
            "np" => Some(GlobalValue::Module(ModuleKind::Numpy)),
            "SIZE" => Some(GlobalValue::Const(ConstValue::Int(2000))),
            "SCALE" => Some(GlobalValue::Const(ConstValue::Float(0.5))),
            "ORIGIN" => Some(GlobalValue::Const(ConstValue::Tuple(vec![ConstValue::Int(0), ConstValue::Float(1.5)]))),
            "GREETING" => Some(GlobalValue::Other("str".into())),
            _ => ExcKind::from_name(name).map(GlobalValue::ExceptionClass),
        }
    }
}

/// One fixture: the root's argument types and every function of the file, the root first.
struct Fixture {
    args: Vec<Type>,
    /// Kept alive for the duration of the test: the registry only holds weak references.
    functions: Vec<Arc<FunctionSource>>,
}

impl Fixture {
    fn root(&self) -> &Arc<FunctionSource> {
        &self.functions[0]
    }
}

fn load(path: &Path) -> Result<Fixture, String> {
    let text = read_text(path);
    let (header, _) = text.split_once('\n').unwrap_or((&text, ""));
    let list = header
        .strip_prefix("# args:")
        .ok_or_else(|| format!("the first line must be `# args: <type>, ...`, found `{header}`"))?;
    // Numba's signature syntax, so that arrays are written `float64[:, ::1]`.
    let args = parse_signature(&format!("({list})")).map_err(|e| format!("bad `# args:` line `{list}`: {e}"))?.args;

    let registry: Registry = Arc::new(OnceLock::new());
    let filename = file_name(path);
    let mut functions = Vec::new();
    for (i, (first_line, chunk)) in split_functions(&text).into_iter().enumerate() {
        let name = function_name(&chunk).ok_or_else(|| format!("no `def` in the function starting at line {first_line}"))?;
        let env = TestEnv { functions: registry.clone() };
        let source = SourceText::new(filename.clone(), first_line, chunk);
        functions.push(Arc::new(function_source(i as u64 + 1, &name, source, Box::new(env), vec![])));
    }
    if functions.is_empty() {
        return Err("the fixture holds no function".into());
    }
    let by_name = functions.iter().map(|f| (f.name.clone(), Arc::downgrade(f))).collect();
    registry.set(by_name).expect("registry is filled once");
    Ok(Fixture { args, functions })
}

/// Splits a file into its top-level functions: (1-based first line, text). A function starts at
/// a column-0 `def`/`async def`, or at the first of the decorators right above it. A file
/// without a column-0 `def` holds a single (indented) function: everything after line 1.
fn split_functions(text: &str) -> Vec<(u32, String)> {
    let mut chunks: Vec<(u32, String)> = Vec::new();
    let mut in_decorators = false;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let starts_def = line.starts_with("def ") || line.starts_with("async def ");
        let starts_decorator = line.starts_with('@');
        if (starts_def || starts_decorator) && !in_decorators {
            chunks.push((i as u32 + 1, String::new()));
        }
        if starts_decorator {
            in_decorators = true;
        } else if starts_def {
            in_decorators = false;
        }
        if let Some((_, chunk)) = chunks.last_mut() {
            chunk.push_str(line);
        }
    }
    if chunks.is_empty() {
        // No top-level `def`: one indented function (a method, say) after the `# args:` line.
        if let Some((_, rest)) = text.split_once('\n') {
            chunks.push((2, rest.to_string()));
        }
    }
    chunks
}

fn function_name(chunk: &str) -> Option<String> {
    chunk.lines().find_map(|l| {
        let l = l.trim_start();
        let rest = l.strip_prefix("def ").or_else(|| l.strip_prefix("async def "))?;
        Some(rest.split('(').next()?.trim().to_string())
    })
}

#[test]
fn typed_ir_fixtures() {
    let dir = resources().join("typed");
    let mut golden = Golden::new("#", COMMAND);
    for py in files_with_ext(&dir, "py") {
        let fixture = match load(&py) {
            Ok(f) => f,
            Err(e) => {
                golden.fail(&py, e);
                continue;
            }
        };
        let root = fixture.root();
        let mut program = match ferrojit_infer::infer_program(root, &fixture.args) {
            Ok(p) => p,
            Err(ferrojit_infer::Failure::NeedsOverloads(needs)) => {
                golden.fail(&py, format!("expected type inference to succeed, got requests for overloads: {needs:?}"));
                continue;
            }
            Err(ferrojit_infer::Failure::Error(e)) => {
                let message = format_located(&e.message, &e.source, e.span, e.hint.as_deref(), &root.name);
                golden.fail(&py, format!("expected type inference to succeed, got a {:?} error:\n{message}", e.kind));
                continue;
            }
        };
        if let Err(e) = ferrojit_compiler::passes::run_passes(&mut program.functions) {
            golden.fail(&py, e);
            continue;
        }
        let mut out = String::new();
        for (i, f) in program.functions.iter().enumerate() {
            if let Err(e) = ferrojit_ir::verify(f) {
                golden.fail(&py, format!("the typed IR of `{}` does not verify: {e}", f.symbol));
            }
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&ferrojit_ir::print_function(f));
        }
        golden.check(&py.with_extension("ir"), &out);
    }
    golden.check_orphans(&dir, "ir", Some("py"));
    golden.check_orphans(&dir, "err", None);
    golden.finish();
}

#[test]
fn typed_error_fixtures() {
    let dir = resources().join("typed_errors");
    let mut golden = Golden::new("#", COMMAND);
    for py in files_with_ext(&dir, "py") {
        let fixture = match load(&py) {
            Ok(f) => f,
            Err(e) => {
                golden.fail(&py, e);
                continue;
            }
        };
        match compile(fixture.root(), &fixture.args, None, &Options::default()) {
            Ok(f) => golden.fail(&py, format!("expected a compile error, but it compiled (returning `{}`)", f.ret)),
            Err(e) => golden.check(&py.with_extension("err"), &format!("kind: {:?}\n{}\n", e.kind, e.message)),
        }
    }
    golden.check_orphans(&dir, "err", Some("py"));
    golden.check_orphans(&dir, "ir", None);
    golden.finish();
}

#[test]
fn splits_functions_at_top_level_defs_and_decorators() {
    let text = "# args: int64\ndef f(x):\n    return g(x)\n\n@njit\n@other\ndef g(y):\n    def inner():\n        pass\n    return y\n";
    let chunks = split_functions(text);
    assert_eq!(chunks.len(), 2);
    assert_eq!(chunks[0], (2, "def f(x):\n    return g(x)\n\n".to_string()));
    assert_eq!(chunks[1].0, 5);
    assert_eq!(function_name(&chunks[1].1).as_deref(), Some("g"));
}
