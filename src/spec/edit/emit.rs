//! YAML text for values an edit writes: a scalar in the style its old value had (plain,
//! quoted or block) when that style can hold the new text, and new maps and lists in the
//! block style the specs use (two spaces per level, list dashes indented under their key).
//!
//! Every function returns what follows `key:` or `-` on the same line (a leading space,
//! or a line break for a block), without a final line break.

use std::fmt::Write;

use crate::spec::edit::doc::Doc;
use crate::yaml::tree::{Node, Value};

/// How a scalar is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// As is.
    Plain,
    /// In `'…'`.
    Single,
    /// In `"…"`.
    Double,
    /// A `|` or `>` block on the lines below.
    Block,
}

/// A scalar in `style` (or the nearest style that can hold it), for a key or dash at
/// column `indent`. `numbers` allows a plain number (where one was written before);
/// `block_ok` allows a block (nothing follows the value on its last line).
pub fn scalar(value: &str, style: Style, indent: usize, numbers: bool, block_ok: bool) -> String {
    let multiline = value.contains('\n');
    if block_ok && (style == Style::Block || multiline) && !value.starts_with([' ', '\t', '\n']) {
        return block(value, indent);
    }
    match style {
        Style::Plain | Style::Block if plain_ok(value, numbers) => format!(" {value}"),
        Style::Single if !multiline => format!(" '{}'", value.replace('\'', "''")),
        _ => format!(" {}", double(value)),
    }
}

/// A literal block (`|`), its chomping kept exact.
fn block(value: &str, indent: usize) -> String {
    let body = value.trim_end_matches('\n');
    let chomp = match value.len() - body.len() {
        0 => "-",
        1 => "",
        _ => "+",
    };
    let pad = " ".repeat(indent + 2);
    let mut out = format!(" |{chomp}");
    for line in body.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
    }
    // Kept trailing line breaks (`|+`) are empty lines of the block.
    for _ in 1..value.len() - body.len() {
        out.push('\n');
    }
    out
}

/// A double-quoted scalar.
pub fn double(value: &str) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether `value` can be written plain and read back as the same text (not as a
/// number unless `numbers`, a boolean, nothing, a map, a comment…).
pub fn plain_ok(value: &str, numbers: bool) -> bool {
    if value.is_empty() || value.trim() != value || value.contains(['\n', '\t']) {
        return false;
    }
    // YAML's indicators cannot start a plain scalar (`-`, `?`, `:` only before a space).
    if value.starts_with(['|', '>', '\'', '"', '%', '@', '`', '&', '*', '!', '#', '{', '}', '[', ']', ','])
        || ["-", "?", ":"].iter().any(|i| value == *i || value.starts_with(&format!("{i} ")))
    {
        return false;
    }
    let lower = value.to_ascii_lowercase();
    let special = ["~", "null", "true", "false", "yes", "no", "on", "off", "y", "n", ".inf", "-.inf", ".nan"];
    if special.contains(&lower.as_str()) {
        return false;
    }
    let number = value.parse::<f64>().is_ok() || value.starts_with("0x") || value.starts_with("0o");
    if number && (!numbers || value.starts_with('0') && value.len() > 1 && !value.starts_with("0.")) {
        return false;
    }
    // Nothing YAML gives a meaning inside a plain scalar: it is one (most texts, all of
    // Chinese, take this way). Otherwise read it back as a parser would.
    if !value.contains([':', '#', '[', ']', '{', '}', ',', '\\']) {
        return true;
    }
    let probe = format!("k: {value}\n");
    let Ok(node) = crate::yaml::parse::<Node>(std::path::Path::new("probe"), &probe) else { return false };
    match &node.value {
        Value::Map(entries) if entries.len() == 1 => {
            matches!(&entries[0].1.value, Value::Scalar(_))
                && crate::spec::edit::doc::written(&probe, &entries[0].1) == Some(value)
        }
        _ => false,
    }
}

/// A key as written.
pub fn key(key: &str) -> String {
    text(key)
}

/// A text on one line: plain where it reads back as itself (numbers too), else in
/// double quotes.
pub fn text(value: &str) -> String {
    if plain_ok(value, true) { value.to_string() } else { double(value) }
}

/// A new value for a key (`list_item` false) or a dash (`list_item` true) at column
/// `indent`. Maps and lists go on the lines below a key; under a dash a map starts on
/// the dash's line.
pub fn value(doc: &Doc, indent: usize, numbers: bool) -> String {
    match doc {
        Doc::Null => String::new(),
        Doc::Text(text) => scalar(text, Style::Plain, indent, numbers, true),
        Doc::Map(entries) if entries.is_empty() => " {}".to_string(),
        Doc::List(items) if items.is_empty() => " []".to_string(),
        Doc::Map(entries) => {
            let numbered = entries.iter().all(|(k, _)| k.chars().all(|c| c.is_ascii_digit()));
            let pad = " ".repeat(indent + 2);
            entries.iter().map(|(k, v)| format!("\n{pad}{}:{}", key(k), value(v, indent + 2, numbered))).collect()
        }
        Doc::List(items) => {
            let pad = " ".repeat(indent + 2);
            items.iter().map(|item| format!("\n{pad}-{}", item_value(&item.value, indent + 2))).collect()
        }
    }
}

/// A map or list of texts in flow style (`{3: 10, 6: 50}`, `[a, b]`), as a flow
/// collection that held them is written again; `None` for anything nested.
/// A map keyed by months (`{3: 10}`) holds numbers; other values are written as texts.
pub fn flow(doc: &Doc) -> Option<String> {
    let numbered =
        matches!(doc, Doc::Map(entries) if entries.iter().all(|(k, _)| k.chars().all(|c| c.is_ascii_digit())));
    flow_texts(doc, numbered)
}

/// [`flow`] with its values plain numbers where they are numbers (`numbers`).
pub fn flow_texts(doc: &Doc, numbers: bool) -> Option<String> {
    let flow_text = |text: &str, numbers: bool| {
        let safe = plain_ok(text, numbers) && !text.contains([',', '[', ']', '{', '}']);
        if safe { text.to_string() } else { double(text) }
    };
    match doc {
        Doc::Map(entries) => {
            let parts = entries
                .iter()
                .map(|(k, v)| match v {
                    Doc::Text(v) => Some(format!("{}: {}", flow_text(k, true), flow_text(v, numbers))),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()?;
            Some(format!("{{{}}}", parts.join(", ")))
        }
        Doc::List(items) => {
            let parts = items
                .iter()
                .map(|item| match &item.value {
                    Doc::Text(v) => Some(flow_text(v, numbers)),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()?;
            Some(format!("[{}]", parts.join(", ")))
        }
        _ => None,
    }
}

/// A new list item's value after its dash at column `dash`.
pub fn item_value(doc: &Doc, dash: usize) -> String {
    match doc {
        Doc::Map(entries) if !entries.is_empty() => {
            let pad = " ".repeat(dash + 2);
            let mut out = String::new();
            for (i, (k, v)) in entries.iter().enumerate() {
                let lead = if i == 0 { " ".to_string() } else { format!("\n{pad}") };
                let _ = write!(out, "{lead}{}:{}", key(k), value(v, dash + 2, false));
            }
            out
        }
        // A list in a list, or text: on the lines below / after the dash.
        other => value(other, dash, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_only_when_it_reads_back_the_same() {
        for ok in ["政务服务中心工作", "100%", "25 万元", "98%以上", "2024 年度预算", "a-b"] {
            assert!(plain_ok(ok, false), "{ok}");
        }
        for quoted in [
            "", " a", "a ", "yes", "No", "null", "~", "a: b", "a #b", "- a", "[a]", "{a}", "'a'", "\"a\"", "&a", "*a",
            "!a", "|", ">", "@a", "`a", "%a", "1", "1.5", "0131", "#a",
        ] {
            assert!(!plain_ok(quoted, false), "{quoted}");
        }
        assert!(plain_ok("10", true));
        assert!(!plain_ok("010", true));
    }

    #[test]
    fn blocks_keep_their_chomping() {
        assert_eq!(block("a\nb", 0), " |-\n  a\n  b");
        assert_eq!(block("a\n\nb\n", 2), " |\n    a\n\n    b");
        assert_eq!(block("a\n\n", 0), " |+\n  a\n");
    }

    #[test]
    fn quoting_escapes() {
        assert_eq!(double("a\"b\\c\n\u{1}"), "\"a\\\"b\\\\c\\n\\u0001\"");
        assert_eq!(scalar("it's", Style::Single, 0, false, true), " 'it''s'");
        assert_eq!(scalar("yes", Style::Plain, 0, false, true), " \"yes\"");
    }
}
