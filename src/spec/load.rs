//! Reading a spec file into its typed model, every problem of its shape reported at once.

use std::path::Path;

use crate::diag::{Diagnostic, rules};
use crate::form::fields::FormFields;
use crate::spec::kind::Spec;
use crate::spec::schema;
use crate::yaml::errors::yaml_error;
use crate::yaml::{options, parse, tree};

/// Parses a spec file into `T` and reports every problem of its shape at once: the YAML
/// is read into a spanned tree, the whole tree is checked against the fields of `T` for a
/// form with `form`'s fields (unknown keys, missing fields, wrong types, empty values),
/// and only a file without such problems is read into the typed model (the form's own
/// fields taken from the tree).
pub fn parse_spec<T: Spec>(path: &Path, text: &str, form: &FormFields) -> Result<T, Vec<Diagnostic>> {
    match parse_spec_past_unknown_keys(path, text, form)? {
        (spec, problems) if problems.is_empty() => Ok(spec),
        (_, problems) => Err(problems),
    }
}

/// Like [`parse_spec`], but a file whose only problems are keys the form does not know
/// (E0103, a misspelt key) is still read, without those keys, so that the domain rules
/// can find every other problem of the file in the same run: the spec comes with the
/// E0103 problems, and must not be built while they stand.
pub fn parse_spec_past_unknown_keys<T: Spec>(
    path: &Path,
    text: &str,
    form: &FormFields,
) -> Result<(T, Vec<Diagnostic>), Vec<Diagnostic>> {
    let tree: tree::Node = parse(path, text).map_err(|d| vec![d])?;
    let problems = schema::check(path, text, &tree, &T::schema(form));
    let unknown = |d: &Diagnostic| d.rule.code == rules::E0103.code && d.span.is_some();
    // A spending-plan month written without a value (a blank project's `3:`) is reported
    // as not filled in; the rest of the file is still read and checked.
    let blank_month = |d: &Diagnostic| {
        d.rule.code == rules::E0104.code
            && d.span
                .as_ref()
                .and_then(|s| text.get(s.clone()))
                .is_some_and(|k| !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit()))
    };
    if !problems.iter().all(|d| unknown(d) || blank_month(d)) {
        return Err(problems);
    }
    // The unknown keys blanked out, byte for byte, so every position stays where it was.
    let mut read = text.to_string();
    for problem in problems.iter().filter(|d| unknown(d)) {
        if let Some(span) = &problem.span {
            read = blank_entry(&read, span.start);
        }
    }
    let tree = if read == text { tree } else { parse(path, &read).map_err(|_| problems.clone())? };
    // Without the unknown keys, only fields they stood for may be missing (E0103 named them).
    let missing_only = |found: Vec<Diagnostic>| found.iter().all(|d| d.rule.code == rules::E0104.code);
    if !problems.is_empty() && !missing_only(schema::check(path, &read, &tree, &T::schema(form))) {
        return Err(problems);
    }
    let mut spec: T = serde_saphyr::from_str_with_options(&read, options())
        .map_err(|e| if problems.is_empty() { vec![yaml_error(path, text, &e)] } else { problems.clone() })?;
    spec.take_extra(&tree, &read, form);
    spec.identify(path);
    Ok((spec, problems))
}

/// `text` with the map entry whose key starts at `key_start` (its key, its value and the
/// lines indented under it) replaced by spaces; line breaks and lengths are kept.
fn blank_entry(text: &str, key_start: usize) -> String {
    let line_start = text[..key_start].rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..key_start].chars().count();
    let mut end = text[key_start..].find('\n').map_or(text.len(), |i| key_start + i);
    // Lines indented deeper than the key (or blank) belong to its value.
    while end < text.len() {
        let next = end + 1;
        let line_end = text[next..].find('\n').map_or(text.len(), |i| next + i);
        let line = &text[next..line_end];
        let indent = line.chars().take_while(|c| *c == ' ').count();
        if !line.trim().is_empty() && indent <= column {
            break;
        }
        end = line_end;
    }
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..key_start]);
    for c in text[key_start..end].chars() {
        if c == '\n' {
            out.push('\n');
        } else {
            out.push_str(&" ".repeat(c.len_utf8()));
        }
    }
    out.push_str(&text[end..]);
    out
}
