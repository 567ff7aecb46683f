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
    /// Valid Python that ferrojit does not support (`try`, `with`, `class`, `yield`, ...).
    Unsupported,
}

/// Parses the source of one function definition into the AST subset.
pub fn parse_function(source: &SourceText) -> Result<ast::FunctionDef, SyntaxError> {
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
