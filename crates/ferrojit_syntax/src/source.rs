//! The user's source text and the mapping from parser offsets back to file lines and columns.

use crate::Span;
use ruff_text_size::TextRange;

/// The source of one function as found in the user's file.
#[derive(Clone, Debug)]
pub struct SourceText {
    /// The file name shown in messages (`<string>` when unknown).
    pub filename: String,
    /// The 1-based line in `filename` where `text` starts.
    pub first_line: u32,
    /// The text with its original indentation; may start with decorators.
    pub text: String,
}

impl SourceText {
    pub fn new(filename: impl Into<String>, first_line: u32, text: impl Into<String>) -> Self {
        SourceText { filename: filename.into(), first_line, text: text.into() }
    }

    /// The source line `line` (1-based, in file coordinates), without its newline.
    pub fn line(&self, line: u32) -> Option<&str> {
        let index = line.checked_sub(self.first_line)?;
        self.text.lines().nth(index as usize)
    }

    /// The text `span` covers when it lies on one line, for messages (`np.argmin(a)`).
    pub fn span_text(&self, span: crate::ast::Span) -> Option<String> {
        if span.line != span.end_line || span.col == 0 || span.end_col <= span.col {
            return None;
        }
        let text: String = self.line(span.line)?.chars().skip(span.col as usize - 1).take((span.end_col - span.col) as usize).collect();
        (!text.is_empty()).then_some(text)
    }

    /// The text with the indentation common to all non-blank lines removed, as `textwrap.dedent`
    /// does, so that a method or nested function parses as a top-level `def`.
    pub(crate) fn dedented(&self) -> Dedented {
        let indent = self
            .text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
            .min()
            .unwrap_or(0);
        let mut text = String::with_capacity(self.text.len());
        let mut line_starts = vec![0u32];
        for line in self.text.split_inclusive('\n') {
            // Blank lines may be shorter than the common indentation.
            let cut = indent.min(line.len() - line.trim_start_matches([' ', '\t']).len());
            text.push_str(&line[cut..]);
            line_starts.push(text.len() as u32);
        }
        Dedented { text, line_starts, indent: indent as u32, first_line: self.first_line }
    }
}

/// Dedented text plus what is needed to map its offsets back into the user's file.
pub(crate) struct Dedented {
    pub text: String,
    line_starts: Vec<u32>,
    indent: u32,
    first_line: u32,
}

impl Dedented {
    fn position(&self, offset: u32) -> (u32, u32) {
        let index = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[index] as usize;
        let end = (offset as usize).min(self.text.len());
        let col = self.text[start..end].chars().count() as u32;
        (self.first_line + index as u32, col + self.indent + 1)
    }

    pub fn span(&self, range: TextRange) -> Span {
        let (line, col) = self.position(range.start().into());
        let (end_line, end_col) = self.position(range.end().into());
        Span { line, col, end_line, end_col }
    }
}
