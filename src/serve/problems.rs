//! Diagnostics as the editor page shows them: the same rule code, severity, message,
//! label and hint as `check`, the file (below `specs/`), line and column, and the field
//! of the edited file they point at ([`crate::spec::edit::doc::locations`]) (its path in the document), so that each shows
//! under its input.

use std::path::Path;

use serde::Serialize;

use crate::diag::{Diagnostic, Severity};
use crate::serve::words::page_text;
use crate::spec::edit::doc::{Step, field_at};

/// One problem.
#[derive(Debug, Serialize)]
pub struct Problem {
    /// The rule (`E0301`).
    pub code: &'static str,
    /// `error` or `warning`.
    pub severity: &'static str,
    /// The message, in Chinese.
    pub message: String,
    /// The text under the caret, when any.
    pub label: Option<String>,
    /// How to fix it, when known.
    pub hint: Option<String>,
    /// The file below `specs/` (`2024/projects/131003001.yaml`), or as named.
    pub file: String,
    /// 1-based line and column, when it points into the text.
    pub line: Option<usize>,
    /// 1-based column (characters).
    pub column: Option<usize>,
    /// The field of the edited file it points at.
    pub field: Option<Vec<Step>>,
    /// The message and hint in the page's words (see [`crate::serve::words`]).
    pub text: String,
    /// The name a warning is accepted by (added to the file's `allow`), when it can be.
    pub allow: Option<&'static str>,
    /// Whether it is a required field not yet filled in (the page shows it as to do).
    pub pending: bool,
}

/// Where each key and scalar of the edited file is (see [`locations`]).
pub type Fields = [(std::ops::Range<usize>, Vec<Step>)];

/// The problems of a year; those in `edited` (its path, text and [`Fields`]) get their
/// field.
pub fn problems(diagnostics: &[Diagnostic], specs: &Path, edited: Option<(&Path, &str, &Fields)>) -> Vec<Problem> {
    diagnostics
        .iter()
        .map(|d| {
            let file = d.file.strip_prefix(specs).unwrap_or(&d.file).to_string_lossy().replace('\\', "/");
            let mine = edited.filter(|(path, _, _)| *path == d.file);
            let at = d.span.as_ref().map(|s| s.start);
            let position = mine.zip(at).map(|((_, text, _), at)| line_column(text, at));
            let field = mine.zip(at).and_then(|((_, _, fields), at)| field_at(fields, at));
            let words = match &d.hint {
                // The page offers both fixes as buttons.
                _ if d.rule.code == "E0304" => "项目编码与文件的编码不一致（用右边的按钮改正其中一个）".to_string(),
                Some(hint) => format!("{}（{}）", page_text(&d.message), page_text(hint)),
                None => page_text(&d.message),
            };
            let pending = is_pending(d);
            Problem {
                text: words.replace("（）", ""),
                allow: (d.severity == Severity::Warning && !d.rule.name.is_empty()).then_some(d.rule.name),
                pending,
                code: d.code(),
                severity: match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                },
                message: d.message.clone(),
                label: d.label.clone(),
                hint: d.hint.clone(),
                file,
                line: position.map(|p| p.0),
                column: position.map(|p| p.1),
                field,
            }
        })
        .collect()
}

/// Whether a problem is a required field not filled in yet (empty, a missing checkpoint,
/// no indicators): the page shows it as 待填写, not as a mistake.
pub fn is_pending(d: &Diagnostic) -> bool {
    ["E0104", "E0307", "E0325"].contains(&d.rule.code)
}

/// 1-based line and character column of a byte offset.
fn line_column(text: &str, at: usize) -> (usize, usize) {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// Errors and warnings of one file.
pub fn counts(diagnostics: &[Diagnostic], file: &Path) -> (usize, usize) {
    let mine: Vec<_> = diagnostics.iter().filter(|d| d.file == file).collect();
    let errors = mine.iter().filter(|d| d.is_error()).count();
    (errors, mine.len() - errors)
}
