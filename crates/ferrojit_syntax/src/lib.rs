//! Source text -> ferrojit's AST subset, with spans.
//!
//! The one entry point is [`parse_function`]: it takes the source of one Python function as
//! `inspect.getsource` returns it (decorators and indentation included), parses it with ruff's
//! Python parser, and lowers ruff's AST into [`ast`], rejecting everything the compiler does not
//! support with a [`SyntaxError`] that points at the offending construct.
//!
//! Layout:
//! - `ast.rs`: the AST subset and [`Span`].
//! - `lower.rs`: ruff AST -> our AST; the list of what is rejected lives there.
//! - `source.rs`: [`SourceText`], dedenting and offset -> (line, column) mapping.

pub mod ast;
mod lower;
mod source;

pub use ast::Span;
pub use lower::MATCH_ARGUMENT;
pub use source::SourceText;

/// A user-facing error from the syntax stage: the construct at `span` is not valid Python, or is
/// valid Python that ferrojit does not compile.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntaxError {
    pub kind: SyntaxErrorKind,
    /// Lowercase, one sentence, code in backticks.
    pub message: String,
    pub span: Span,
    /// What the user can do instead, when there is something to say.
    pub hint: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyntaxErrorKind {
    /// The text is not valid Python.
    Invalid,
    /// Valid Python that ferrojit does not support (`finally`, `with`, `class`, `yield`, ...).
    Unsupported,
}

/// How deeply expressions and statements may nest (`x + x + ... + x` with `n` terms nests `n`
/// levels). CPython 3.11 compiles at most about 3,000; deeper text is an `Unsupported` error
/// naming the line.
pub const MAX_NESTING: usize = 10_000;

/// The stack the recursive stages (parsing, lowering, inference, code generation, dropping
/// trees) run on when the caller's has less than [`DEEP_STACK_RED_ZONE`] left: a fresh one of
/// this size, so that compiling depends on [`MAX_NESTING`], never on the calling thread's stack
/// (512 KB for threads on macOS, 128 KB with musl). Only the pages used are ever committed.
const DEEP_STACK: usize = 256 << 20;
/// Parsing [`MAX_NESTING`] levels needs between 4 and 16 MB (the `deep_nesting` tests pass
/// with 16 MB and crash with 4); inference and code generation take more per level. Both sizes
/// are address space: a compilation commits only the pages it touches.
const DEEP_STACK_RED_ZONE: usize = 64 << 20;

/// Runs `f` with at least [`DEEP_STACK_RED_ZONE`] of stack, on a stack of its own if needed.
pub fn on_deep_stack<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(DEEP_STACK_RED_ZONE, DEEP_STACK, f)
}

/// Parses the source of one function definition into the AST subset.
pub fn parse_function(source: &SourceText) -> Result<ast::FunctionDef, SyntaxError> {
    on_deep_stack(|| parse_function_here(source))
}

fn parse_function_here(source: &SourceText) -> Result<ast::FunctionDef, SyntaxError> {
    let dedented = source.dedented();
    let parsed = ruff_python_parser::parse_module(&dedented.text).map_err(|err| SyntaxError {
        kind: SyntaxErrorKind::Invalid,
        message: format!("invalid syntax: {}", err.error),
        span: dedented.span(err.location),
        hint: None,
    })?;
    lower::lower_module(parsed.syntax(), &dedented)
}

#[cfg(test)]
mod tests;
