//! Format-preserving edits of a spec file: an edited [`Doc`] is written back into the
//! text it was loaded from by replacing only what changed — a changed value in its old
//! style, a removed key's lines, a new key after its neighbour, list items reordered as
//! whole blocks of lines (each with the comments above it). Every comment, blank line,
//! quote and key order of untouched parts stays byte for byte; nothing is re-serialised.
//!
//! The result is read back and compared with the document; a text that would not read
//! back as the document is refused ([`EditError::NotKept`]) rather than written.

pub mod blank;
pub mod doc;
pub mod emit;
mod keep;
pub mod merge;

use std::ops::Range;

pub use blank::{blank_project, write_new};
pub use doc::{Doc, Item, Step};

use crate::yaml::tree::{Node, Value};
use crate::yaml::{parse, span_of};
use emit::Style;
use keep::{has_comment, in_old_order, month};

/// Why an edit could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditError {
    /// The old text is not a YAML map (its problems are the parser's).
    Unreadable(String),
    /// The new text would not read back as the document (a shape this editor does not
    /// write in place, such as a flow collection holding a comment).
    NotKept,
}

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EditError::Unreadable(why) => write!(f, "原文件无法读取为键值对：{why}"),
            EditError::NotKept => f.write_str("这处修改无法在保留原有格式的前提下写入文件"),
        }
    }
}

/// Where a value stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    /// After `key:`.
    Key,
    /// After a key that is a number (a spending-plan month): written as a plain number.
    Month,
    /// After a list item's `-`.
    Item,
}

impl Slot {
    fn of(key: &str) -> Slot {
        if !key.is_empty() && key.chars().all(|c| c.is_ascii_digit()) { Slot::Month } else { Slot::Key }
    }
}

/// One replacement of the old text.
struct Edit {
    at: Range<usize>,
    text: String,
}

/// `text` with its content replaced by `target`, untouched parts kept byte for byte.
pub fn apply(text: &str, target: &Doc) -> Result<String, EditError> {
    let root: Node = parse(std::path::Path::new("spec"), text).map_err(|d| EditError::Unreadable(d.message.clone()))?;
    if !matches!(root.value, Value::Map(_)) || !matches!(target, Doc::Map(_)) {
        return Err(EditError::Unreadable("最外层不是键值对".into()));
    }
    let cx = Cx { text, drops_comment: std::cell::Cell::new(false) };
    let mut edits = Vec::new();
    cx.patch(&root, target, &mut edits);
    // A value written anew whose old text held a comment would lose it: refused.
    if cx.drops_comment.get() {
        return Err(EditError::NotKept);
    }
    let new = splice(text, 0..text.len(), &mut edits);
    // Read back: the new text must hold exactly the document.
    let back: Node = parse(std::path::Path::new("spec"), &new).map_err(|_| EditError::NotKept)?;
    if !Doc::from_tree(&new, &back).same(target) {
        return Err(EditError::NotKept);
    }
    Ok(new)
}

/// `text[range]` with the edits inside it applied (they are taken out of `edits`).
fn splice(text: &str, range: Range<usize>, edits: &mut Vec<Edit>) -> String {
    let (mut inside, rest): (Vec<Edit>, Vec<Edit>) =
        edits.drain(..).partition(|e| range.start <= e.at.start && e.at.end <= range.end);
    *edits = rest;
    inside.sort_by_key(|e| (e.at.start, e.at.end));
    let mut out = String::new();
    let mut at = range.start;
    for edit in inside {
        if edit.at.start < at {
            continue; // overlapping edits cannot come out of `patch`; never write garbage
        }
        out.push_str(&text[at..edit.at.start]);
        out.push_str(&edit.text);
        at = edit.at.end;
    }
    out.push_str(&text[at..range.end]);
    out
}

struct Cx<'t> {
    text: &'t str,
    /// Set when an edit would replace text holding a comment.
    drops_comment: std::cell::Cell<bool>,
}

impl Cx<'_> {
    fn line_start(&self, at: usize) -> usize {
        self.text[..at].rfind('\n').map_or(0, |i| i + 1)
    }

    fn column(&self, at: usize) -> usize {
        self.text[self.line_start(at)..at].chars().count()
    }

    fn start(&self, node: &Node) -> usize {
        span_of(self.text, node).start
    }

    fn is_flow(&self, node: &Node) -> bool {
        match &node.value {
            Value::Map(_) | Value::List(_) => self.text[self.start(node)..].starts_with(['{', '[']),
            _ => false,
        }
    }

    /// Where a node's content ends (trailing blank lines and spaces not included).
    fn end(&self, node: &Node) -> usize {
        if self.is_flow(node) {
            return self.flow_end(self.start(node));
        }
        match &node.value {
            Value::Map(entries) => entries.last().map_or(self.start(node), |(_, v)| self.end(v)),
            Value::List(items) => items.last().map_or(self.start(node), |v| self.end(v)),
            // Nothing written (`key:`) is located at its colon: it ends after it.
            Value::Scalar(_) | Value::Null => {
                let span = span_of(self.text, node);
                span.start + self.text[span].trim_end_matches([' ', '\n', '\t']).len()
            }
        }
    }

    /// The end of the flow collection opening at `open` (quoted texts skipped).
    fn flow_end(&self, open: usize) -> usize {
        let (mut depth, mut quote) = (0usize, None);
        for (i, c) in self.text[open..].char_indices() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '[' | '{') => depth += 1,
                (None, ']' | '}') => {
                    depth -= 1;
                    if depth == 0 {
                        return open + i + 1;
                    }
                }
                _ => {}
            }
        }
        self.text.len()
    }

    /// The first byte after the `:` that follows a key.
    fn after_colon(&self, key_end: usize) -> usize {
        let rest = &self.text[key_end..];
        key_end + rest.find(':').map_or(0, |i| i + 1)
    }

    /// Where a value's own text starts: a block scalar's header, else the value.
    fn value_start(&self, node: &Node) -> usize {
        let start = self.start(node);
        if matches!(node.value, Value::Scalar(_)) && doc::block_header_before(self.text, node) {
            let before = self.text[..start].trim_end_matches([' ', '\n']);
            return before.rfind([' ', '\n']).map_or(0, |i| i + 1);
        }
        start
    }

    fn style(&self, node: &Node) -> Style {
        if doc::block_header_before(self.text, node) {
            return Style::Block;
        }
        match self.text[self.start(node)..].chars().next() {
            Some('"') => Style::Double,
            Some('\'') => Style::Single,
            _ => Style::Plain,
        }
    }

    /// Whether nothing but spaces follows `at` on its line.
    fn line_ends_after(&self, at: usize) -> bool {
        self.text[at..].split('\n').next().is_some_and(|rest| rest.trim().is_empty())
    }

    /// Edits turning `node` into `target`.
    fn patch(&self, node: &Node, target: &Doc, edits: &mut Vec<Edit>) {
        match (&node.value, target) {
            (Value::Map(entries), Doc::Map(wanted)) if !self.is_flow(node) && !entries.is_empty() => {
                self.patch_map(entries, wanted, edits)
            }
            (Value::List(items), Doc::List(wanted)) if !self.is_flow(node) && !items.is_empty() => {
                self.patch_list(node, items, wanted, edits)
            }
            _ => {}
        }
    }

    /// Edits for the value `node` of a key or list item (`slot`) at column `indent`
    /// whose value starts after `head`.
    fn replace_value(&self, head: usize, node: &Node, target: &Doc, indent: usize, slot: Slot, edits: &mut Vec<Edit>) {
        if Doc::from_tree(self.text, node).same(target) {
            return;
        }
        let same_kind = match (&node.value, target) {
            (Value::Map(e), Doc::Map(w)) => !e.is_empty() && !w.is_empty(),
            (Value::List(i), Doc::List(w)) => !i.is_empty() && !w.is_empty(),
            _ => false,
        };
        if same_kind && !self.is_flow(node) {
            return self.patch(node, target, edits);
        }
        let end = self.end(node).max(head);
        if let (Value::Scalar(old), Doc::Text(new)) = (&node.value, target) {
            // In the old value's style; what stands between the colon and it stays.
            let numbers = slot == Slot::Month || old.parse::<f64>().is_ok() && self.style(node) == Style::Plain;
            let rendered = emit::scalar(new, self.style(node), indent, numbers, self.line_ends_after(end));
            let text = rendered.strip_prefix(' ').unwrap_or(&rendered).to_string();
            return edits.push(Edit { at: self.value_start(node)..end, text });
        }
        // (An emptied collection takes its items' comments with them, as deleting an item does.)
        let emptied = matches!(target, Doc::Map(e) if e.is_empty()) || matches!(target, Doc::List(i) if i.is_empty());
        if !emptied && has_comment(&self.text[head..end]) {
            self.drops_comment.set(true);
        }
        // Keys the old value had keep their order; a flow collection of texts stays one.
        let target = &in_old_order(node, target);
        let flow = self.is_flow(node).then(|| emit::flow(target)).flatten();
        let text = match (flow, slot) {
            (Some(flow), _) => format!(" {flow}"),
            (None, Slot::Item) => emit::item_value(target, indent),
            (None, _) => emit::value(target, indent, slot == Slot::Month),
        };
        edits.push(Edit { at: head..end, text });
    }

    fn patch_map(
        &self,
        entries: &[(serde_saphyr::Spanned<String>, Node)],
        wanted: &[(String, Doc)],
        edits: &mut Vec<Edit>,
    ) {
        let first_key = span_of(self.text, &entries[0].0).start;
        let indent = self.column(first_key);
        let pad = " ".repeat(indent);
        // Removed keys: their lines. A key on a dash's line is removed up to the next
        // kept key, which moves up onto the dash's line.
        let kept = |key: &str| wanted.iter().any(|(k, _)| k == key);
        let mut i = 0;
        while i < entries.len() {
            let (key, value) = &entries[i];
            i += 1;
            if kept(&key.value) {
                continue;
            }
            let start = span_of(self.text, key).start;
            let on_dash_line = !self.text[self.line_start(start)..start].trim().is_empty();
            let at = if on_dash_line {
                let Some(next) = entries[i..].iter().position(|(k, _)| kept(&k.value)) else {
                    continue; // no key is kept: the whole map is replaced by its caller
                };
                let next = &entries[i + next].0;
                i = entries.iter().position(|(k, _)| k.value == next.value).unwrap_or(i);
                start..span_of(self.text, next).start
            } else {
                let from = self.line_start(start);
                let end = self.end(value);
                let end = self.text[end..].find('\n').map_or(self.text.len(), |n| end + n + 1);
                // The file's last line has no line break: take the one before it.
                if end == self.text.len() && !self.text.ends_with('\n') && from > 0 { from - 1..end } else { from..end }
            };
            edits.push(Edit { at, text: String::new() });
        }
        // Kept keys: their values; new keys: after the nearest kept key before them.
        let mut inserts: Vec<(usize, String)> = Vec::new();
        let mut last_kept: Option<usize> = None;
        for (key, target) in wanted {
            match entries.iter().position(|(k, _)| k.value == *key) {
                Some(i) => {
                    let (k, v) = &entries[i];
                    let head = self.after_colon(span_of(self.text, k).end);
                    self.replace_value(head, v, target, indent, Slot::of(key), edits);
                    last_kept = Some(i);
                }
                None => {
                    let line =
                        format!("{}:{}", emit::key(key), emit::value(target, indent, Slot::of(key) == Slot::Month));
                    // A new month goes after the months before it, whatever order it came in.
                    let last_kept = match month(key) {
                        Some(new) if entries.iter().all(|(k, _)| month(&k.value).is_some()) => entries
                            .iter()
                            .enumerate()
                            .filter(|(_, (k, _))| month(&k.value).is_some_and(|m| m < new) && kept(&k.value))
                            .max_by_key(|(_, (k, _))| month(&k.value))
                            .map(|(i, _)| i),
                        _ => last_kept,
                    };
                    match last_kept {
                        Some(i) => inserts.push((self.end(&entries[i].1), format!("\n{pad}{line}"))),
                        None => inserts.push((first_key, format!("{line}\n{pad}"))),
                    }
                }
            }
        }
        // Several new keys at one place stay in order.
        let mut merged: Vec<(usize, String)> = Vec::new();
        for (at, text) in inserts {
            match merged.last_mut() {
                Some((last, joined)) if *last == at => joined.push_str(&text),
                _ => merged.push((at, text)),
            }
        }
        edits.extend(merged.into_iter().map(|(at, text)| Edit { at: at..at, text }));
    }

    fn patch_list(&self, node: &Node, items: &[Node], wanted: &[Item], edits: &mut Vec<Edit>) {
        let dashes: Vec<usize> = items.iter().map(|item| self.dash_of(item)).collect();
        let dash_col = self.column(dashes[0]);
        let in_place = wanted.len() == items.len() && wanted.iter().enumerate().all(|(i, item)| item.from == Some(i));
        if in_place {
            for ((item, target), dash) in items.iter().zip(wanted).zip(&dashes) {
                self.replace_value(dash + 1, item, &target.value, dash_col, Slot::Item, edits);
            }
            return;
        }
        // Rebuilt from whole items: each from the line break before it (so with the
        // comments and blank lines above it) to the end of its content.
        let region_start = self.line_start(dashes[0]).saturating_sub(1);
        let region_end = self.end(node);
        let bounds: Vec<Range<usize>> = (0..items.len())
            .map(|i| {
                let start = if i == 0 { region_start } else { self.end(&items[i - 1]) };
                start..self.end(&items[i])
            })
            .collect();
        let mut out = String::new();
        for item in wanted {
            match item.from.filter(|&i| i < items.len()) {
                Some(i) => {
                    let mut inner = Vec::new();
                    self.replace_value(dashes[i] + 1, &items[i], &item.value, dash_col, Slot::Item, &mut inner);
                    out.push_str(&splice(self.text, bounds[i].clone(), &mut inner));
                }
                None => {
                    out.push('\n');
                    out.push_str(&" ".repeat(dash_col));
                    out.push('-');
                    out.push_str(&emit::item_value(&item.value, dash_col));
                }
            }
        }
        edits.push(Edit { at: region_start..region_end, text: out });
    }

    /// The dash of a block list item.
    fn dash_of(&self, item: &Node) -> usize {
        let start = self.value_start(item);
        self.text[..start].rfind('-').unwrap_or(start)
    }
}

#[cfg(test)]
mod tests;
