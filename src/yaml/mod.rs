//! YAML with positions: parsing any of the project's YAML files (specs, `form.yaml`) into
//! typed values or a spanned [`tree`], and turning YAML problems into located Chinese
//! diagnostics ([`errors`]).
//!
//! Files larger than [`MAX_SPEC_BYTES`], not UTF-8, or not YAML are refused with a clear
//! message. The parser is serde-saphyr: it gives a position for every value, treats
//! duplicate keys as errors and has budgets against alias bombs and deep nesting.

use std::ops::Range;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde_saphyr::{Budget, Location, Options};

use crate::diag::{Diagnostic, rules};
use crate::model::Located;

pub mod errors;
pub mod tree;

use errors::yaml_error;
pub use errors::{unknown_among, unknown_key};

/// Largest spec file accepted (1 MiB); real specs are a few KiB.
pub const MAX_SPEC_BYTES: u64 = 1024 * 1024;

/// An I/O problem with a file, as a diagnostic.
pub fn io_error(path: &Path, error: &std::io::Error) -> Diagnostic {
    Diagnostic::new(&rules::E0109, path, None, format!("无法读取文件：{}", crate::text::io_reason(error)))
}

/// Parses YAML text into `T`, mapping every parser error to a located diagnostic.
pub fn parse<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::new(&rules::E0101, path, None, "文件是空的"));
    }
    if let Some((at, c)) = text.char_indices().find(|(_, c)| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) {
        return Err(Diagnostic::new(
            &rules::E0316,
            path,
            Some(at..at + c.len_utf8()),
            format!("文件中有控制字符 U+{:04X}（看不见的字符）", c as u32),
        )
        .with_hint("这类字符多来自从网页或 Word 复制粘贴；请删除后重新输入该处文字"));
    }
    // A typed read pulls every event of the document through the budgets (depth, node
    // count, aliases), fields it ignores included, so a read that succeeds kept them. One
    // that fails may have stopped at a typed field before the structure that breaks a
    // budget (or the syntax): a second, untyped pass over the whole document says which
    // problem is reported, the budget's or the syntax's first.
    serde_saphyr::from_str_with_options(text, options()).map_err(|typed| {
        match serde_saphyr::from_str_with_options::<serde::de::IgnoredAny>(text, options()) {
            Err(untyped) => yaml_error(path, text, &untyped),
            Ok(_) => yaml_error(path, text, &typed),
        }
    })
}

/// Parser options: duplicate keys are errors (the default) and budgets are tight.
pub(crate) fn options() -> Options {
    let mut budget = Budget::default();
    budget.max_depth = 32;
    budget.max_nodes = 100_000;
    budget.max_aliases = 100;
    budget.max_anchors = 1_000;
    let mut options = Options::default();
    options.budget = Some(budget);
    options.with_snippet = false;
    options
}

/// Byte range of a spanned value in `text`.
pub fn span_of(text: &str, value: &impl Located) -> Range<usize> {
    location_range(text, value.location())
}

/// Byte range of a parser location in `text` (at least one character wide).
pub fn location_range(text: &str, location: &Location) -> Range<usize> {
    let span = location.span();
    if let (Some(start), Some(len)) = (span.byte_offset(), span.byte_len()) {
        let start = start as usize;
        let end = start + (len as usize).max(1);
        if start <= text.len() {
            return start..end.min(text.len()).max(start);
        }
    }
    let start = offset_of(text, location.line() as usize, location.column() as usize);
    let end = text[start..].chars().next().map(|c| start + c.len_utf8()).unwrap_or(start);
    start..end
}

/// Byte offset of a 1-based line and character column.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (index, l) in text.split_inclusive('\n').enumerate() {
        if index + 1 == line {
            return offset + l.char_indices().nth(column.saturating_sub(1)).map(|(i, _)| i).unwrap_or(l.len());
        }
        offset += l.len();
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file of one typed field; every other key is read past (as a spec's unknown parts).
    #[derive(Debug, serde::Deserialize)]
    struct Named {
        #[allow(dead_code)]
        name: u32,
    }

    fn nested(depth: usize) -> String {
        format!("{}{}", "[".repeat(depth), "]".repeat(depth))
    }

    #[test]
    fn a_typed_read_keeps_the_budgets_in_what_it_reads_past() {
        // What reading a file once rests on: a field the type ignores is still counted.
        let text = format!("name: 1\nother: {}\n", nested(100));
        let error = parse::<Named>(Path::new("x.yaml"), &text).unwrap_err();
        assert_eq!(error.rule.code, rules::E0106.code, "{}", error.message);
        assert!(parse::<Named>(Path::new("x.yaml"), &format!("name: 1\nother: {}\n", nested(20))).is_ok());
    }

    #[test]
    fn a_broken_budget_is_reported_before_a_typed_mistake_earlier_in_the_file() {
        let text = format!("name: 一\nother: {}\n", nested(100));
        let error = parse::<Named>(Path::new("x.yaml"), &text).unwrap_err();
        assert_eq!(error.rule.code, rules::E0106.code, "{}", error.message);
        let alone = parse::<Named>(Path::new("x.yaml"), "name: 一\n").unwrap_err();
        assert_ne!(alone.rule.code, rules::E0106.code, "a typed mistake alone is said as such: {}", alone.message);
    }
}
