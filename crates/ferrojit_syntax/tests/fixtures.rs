//! Golden tests of the parser stage, in the style of ruff's parser fixtures.
//!
//! - `resources/valid/<name>.py` must parse; `resources/valid/<name>.ast` holds the AST as
//!   `{:#?}` prints it.
//! - `resources/invalid/<name>.py` must be rejected; `resources/invalid/<name>.err` holds the
//!   error: kind, span (`line:col-end_line:end_col`, file coordinates), message, hint, and the
//!   source lines with the span underlined.
//!
//! Every fixture is parsed as a whole file starting at line 1, so spans in the golden files are
//! lines and columns of the `.py` file. Golden files are generated, never edited by hand:
//!
//! ```text
//! FERROJIT_BLESS=1 cargo test --release -p ferrojit_syntax --test fixtures
//! ```

mod golden;

use ferrojit_syntax::{parse_function, SourceText, SyntaxError};
use golden::{file_name, files_with_ext, read_text, Golden};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const COMMAND: &str = "FERROJIT_BLESS=1 cargo test --release -p ferrojit_syntax --test fixtures";

fn resources() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("resources")
}

fn source_of(path: &Path) -> SourceText {
    SourceText::new(file_name(path), 1, read_text(path))
}

#[test]
fn valid_fixtures() {
    let dir = resources().join("valid");
    let mut golden = Golden::new("//", COMMAND);
    for py in files_with_ext(&dir, "py") {
        match parse_function(&source_of(&py)) {
            Ok(ast) => golden.check(&py.with_extension("ast"), &format!("{ast:#?}")),
            Err(e) => golden.fail(&py, format!("expected the fixture to parse, got:\n{}", render_error(&source_of(&py), &e))),
        }
    }
    golden.check_orphans(&dir, "ast", Some("py"));
    golden.check_orphans(&dir, "err", None);
    golden.finish();
}

#[test]
fn invalid_fixtures() {
    let dir = resources().join("invalid");
    let mut golden = Golden::new("#", COMMAND);
    for py in files_with_ext(&dir, "py") {
        let source = source_of(&py);
        match parse_function(&source) {
            Ok(ast) => golden.fail(&py, format!("expected a syntax error, but the fixture parsed as:\n{ast:#?}")),
            Err(e) => golden.check(&py.with_extension("err"), &render_error(&source, &e)),
        }
    }
    golden.check_orphans(&dir, "err", Some("py"));
    golden.check_orphans(&dir, "ast", None);
    golden.finish();
}

/// The golden rendering of a syntax error:
///
/// ```text
/// kind: Unsupported
/// span: 2:5-5:13
/// message: `try` statements are not supported
/// hint: ...
///   |
/// 2 |     try:
///   |     ^^^^
/// ```
fn render_error(source: &SourceText, e: &SyntaxError) -> String {
    let s = e.span;
    let mut out = format!("kind: {:?}\nspan: {}:{}-{}:{}\nmessage: {}\n", e.kind, s.line, s.col, s.end_line, s.end_col, e.message);
    match &e.hint {
        Some(hint) => {
            let _ = writeln!(out, "hint: {hint}");
        }
        None => out.push_str("hint: (none)\n"),
    }
    out.push_str(&annotate(source, e));
    out
}

/// The source lines the span covers, each followed by a line of `^` under the covered columns
/// (1-based, `end_col` exclusive). Makes span mistakes visible when reviewing a golden diff.
fn annotate(source: &SourceText, e: &SyntaxError) -> String {
    let s = e.span;
    if s.line == 0 || s.end_line < s.line {
        return String::new();
    }
    let width = s.end_line.to_string().len();
    let mut out = format!("{} |\n", " ".repeat(width));
    for line_no in s.line..=s.end_line {
        let Some(line) = source.line(line_no) else { break };
        let len = line.chars().count() as u32 + 1;
        let from = if line_no == s.line { s.col } else { 1 };
        let to = if line_no == s.end_line { s.end_col } else { len };
        let _ = writeln!(out, "{line_no:>width$} | {line}");
        let marks = "^".repeat(to.saturating_sub(from).max(1) as usize);
        let _ = writeln!(out, "{} | {}{}", " ".repeat(width), " ".repeat(from.saturating_sub(1) as usize), marks);
    }
    out
}
