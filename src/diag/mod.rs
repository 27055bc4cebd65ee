//! Located diagnostics for specs, forms, templates and Typst alike, each made from a
//! [`rules::Rule`].
//!
//! A [`Diagnostic`] names a file, a byte range in it, a stable rule code (`E0102`,
//! `W0201`, …), a Chinese message and an optional hint. [`Sources`] keeps the text of
//! every file a diagnostic may point into, and [`Sources::render`] turns diagnostics into
//! rustc-style text (codespan-reporting) with the source line and a caret underline, or
//! into one `file:line:column: …` line each.

use std::ops::Range;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, Config, DisplayStyle};

pub use rules::Rule;

pub mod rules;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Blocks the PDF.
    Error,
    /// Printed; the PDF is still built.
    Warning,
}

/// One problem, located in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule it breaks (code, severity, kind).
    pub rule: &'static Rule,
    /// Error or warning (the rule's).
    pub severity: Severity,
    /// The message, in Chinese.
    pub message: String,
    /// The file the problem is in.
    pub file: PathBuf,
    /// Byte range in the file; `None` when the problem is about the whole file.
    pub span: Option<Range<usize>>,
    /// A short text printed under the caret.
    pub label: Option<String>,
    /// A hint on how to fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A problem of `rule` in `file` at `span`.
    pub fn new(rule: &'static Rule, file: &Path, span: Option<Range<usize>>, message: impl Into<String>) -> Self {
        Self {
            rule,
            severity: rule.severity,
            message: message.into(),
            file: file.to_path_buf(),
            span,
            label: None,
            hint: None,
        }
    }

    /// The rule's code, e.g. `E0101`.
    pub fn code(&self) -> &'static str {
        self.rule.code
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a label under the caret.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// The same problem under another rule (e.g. a YAML error in `form.yaml` is a form
    /// problem, E0202).
    pub fn with_rule(mut self, rule: &'static Rule) -> Self {
        self.rule = rule;
        self.severity = rule.severity;
        self
    }

    /// Sets the hint of a diagnostic already recorded.
    pub fn set_hint(&mut self, hint: impl Into<String>) -> &mut Self {
        self.hint = Some(hint.into());
        self
    }

    /// Sets the label of a diagnostic already recorded.
    pub fn set_label(&mut self, label: impl Into<String>) -> &mut Self {
        self.label = Some(label.into());
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Output style of [`Sources::render`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// The source line with the problem underlined (rustc style).
    #[default]
    Rich,
    /// One line per problem: `file:line:col: 错误[code]: message`.
    Short,
}

/// The texts of the files diagnostics point into.
#[derive(Default)]
pub struct Sources {
    files: SimpleFiles<String, String>,
    ids: Vec<PathBuf>,
}

impl Sources {
    /// Remembers the text of `path` (later texts for the same path replace nothing).
    pub fn add(&mut self, path: &Path, text: &str) {
        if !self.ids.iter().any(|p| p == path) {
            self.files.add(path.display().to_string(), text.to_string());
            self.ids.push(path.to_path_buf());
        }
    }

    /// Remembers every text `other` holds.
    pub fn absorb(&mut self, other: &Sources) {
        for path in &other.ids {
            if let Some(text) = other.text(path) {
                self.add(path, text);
            }
        }
    }

    /// The text remembered for `path`.
    pub fn text(&self, path: &Path) -> Option<&str> {
        let id = self.ids.iter().position(|p| p == path)?;
        self.files.get(id).ok().map(|file| file.source().as_str())
    }

    /// Renders diagnostics in the given format, one block (or line) each.
    pub fn render(&self, diagnostics: &[Diagnostic], format: Format) -> String {
        let mut out = String::new();
        for diagnostic in diagnostics {
            out.push_str(&self.render_one(diagnostic, format));
        }
        out
    }

    fn render_one(&self, d: &Diagnostic, format: Format) -> String {
        let id = self.ids.iter().position(|p| p == &d.file);
        let severity = match d.severity {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        };
        let (Some(id), Some(span)) = (id, d.span.clone()) else {
            // No text to point into: a whole-file (or I/O) problem.
            let mut line = format!("{}: {severity}[{}]: {}", d.file.display(), d.code(), d.message);
            match (&d.hint, format) {
                (Some(hint), Format::Short) => line.push_str(&format!("（提示：{hint}）\n")),
                (Some(hint), Format::Rich) => line.push_str(&format!("\n  = 提示：{hint}\n")),
                (None, _) => line.push('\n'),
            }
            return line;
        };
        let span = clamp(span, self.files.get(id).map(|f| f.source().as_str()).unwrap_or_default());
        let mut cs = match d.severity {
            Severity::Error => CsDiagnostic::error(),
            Severity::Warning => CsDiagnostic::warning(),
        }
        .with_code(d.code())
        .with_message(match (&d.hint, format) {
            // One line per problem still carries the hint (often a "did you mean").
            (Some(hint), Format::Short) => format!("{}（提示：{hint}）", d.message),
            _ => d.message.clone(),
        })
        .with_labels(vec![Label::primary(id, span).with_message(d.label.clone().unwrap_or_default())]);
        if let Some(hint) = &d.hint {
            cs = cs.with_notes(vec![format!("提示: {hint}")]);
        }
        let config = Config {
            display_style: match format {
                Format::Rich => DisplayStyle::Rich,
                Format::Short => DisplayStyle::Short,
            },
            ..Config::default()
        };
        let text = term::emit_into_string(&config, &self.files, &cs)
            .unwrap_or_else(|_| format!("{}: {}\n", d.file.display(), d.message));
        localize(&text)
    }
}

/// Keeps a span inside the text and on character boundaries.
fn clamp(span: Range<usize>, text: &str) -> Range<usize> {
    let mut start = span.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// codespan prints English severities; the user reads Chinese.
fn localize(text: &str) -> String {
    text.replace("error[", "错误[").replace("warning[", "警告[").replace("= 提示: ", "= 提示：")
}

/// Counts errors and warnings and says so in one Chinese line, e.g. `2 个错误，7 个警告`.
pub fn summary<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>) -> String {
    let (errors, all) =
        diagnostics.into_iter().fold((0, 0), |(errors, all), d| (errors + usize::from(d.is_error()), all + 1));
    format!("{errors} 个错误，{} 个警告", all - errors)
}
