//! Next year from this one: a spec file's text with the budget year moved on, edited in
//! place at the positions of its values (comments, key order, quoting and blank lines
//! stay byte for byte), and what was changed or left for a person to decide.
//!
//! In data texts, the old budget year followed by 年 (`2024 年预算`, `2024年度`,
//! `2024 年工作计划`) is the budget year and moves on; any other year (`2019 年以来`), and
//! the old year without 年 (`2024-01`), is history or a date: left alone and listed.

use std::ops::Range;

use crate::model::Text;
use crate::yaml::span_of;

/// One change made, or one year left alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Byte range in the old text.
    pub at: Range<usize>,
    /// 1-based line.
    pub line: usize,
    /// The words around it, before.
    pub before: String,
    /// The same words after (equal to `before` when left alone).
    pub after: String,
}

/// A file moved on: its new text, the replacements and the candidates left alone.
#[derive(Debug, Default)]
pub struct Rolled {
    /// The new text.
    pub text: String,
    /// What was replaced.
    pub replaced: Vec<Found>,
    /// Years left alone, for a person to decide.
    pub left: Vec<Found>,
}

/// Moves the budget year `from` to `to` in the given texts of `source`; `extra` are
/// ranges to replace outright (the department's `year:` value).
pub fn roll(source: &str, texts: &[&Text], from: u32, to: u32, extra: &[Range<usize>]) -> Rolled {
    let (old, new) = (from.to_string(), to.to_string());
    let mut replaced = Vec::new();
    let mut left = Vec::new();
    for text in texts {
        let span = span_of(source, text);
        let slice = &source[span.clone()];
        for (offset, year) in years(slice) {
            let at = span.start + offset..span.start + offset + 4;
            let rest = slice[offset + 4..].trim_start_matches(' ');
            let found = |after: String| Found {
                at: at.clone(),
                line: source[..at.start].matches('\n').count() + 1,
                before: context(source, span.start, &at, &year),
                after,
            };
            if year == old && rest.starts_with('年') {
                replaced.push(found(context(source, span.start, &at, &new)));
            } else {
                left.push(found(context(source, span.start, &at, &year)));
            }
        }
    }
    for range in extra {
        let at = range.clone();
        replaced.push(Found {
            at: at.clone(),
            line: source[..at.start].matches('\n').count() + 1,
            before: source[at.clone()].to_string(),
            after: new.clone(),
        });
    }
    replaced.sort_by_key(|f| f.at.start);
    left.sort_by_key(|f| f.at.start);
    let mut text = source.to_string();
    for found in replaced.iter().rev() {
        text.replace_range(found.at.clone(), &new);
    }
    Rolled { text, replaced, left }
}

/// Four-digit years (1990–2100) standing alone in `text`: (byte offset, year).
fn years(text: &str) -> Vec<(usize, String)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i + 4 <= bytes.len() {
        let alone = (i == 0 || !bytes[i - 1].is_ascii_digit()) && bytes.get(i + 4).is_none_or(|b| !b.is_ascii_digit());
        if bytes[i..i + 4].iter().all(u8::is_ascii_digit) && alone {
            let year = &text[i..i + 4];
            if year.parse::<u32>().is_ok_and(|y| (1990..=2100).contains(&y)) {
                found.push((i, year.to_string()));
                i += 4;
                continue;
            }
        }
        i += 1;
    }
    found
}

/// The year `with` in the words around `at`: a few characters each side, on one line and
/// not before `floor` (the start of the value).
fn context(source: &str, floor: usize, at: &Range<usize>, with: &str) -> String {
    let line_start = source[..at.start].rfind('\n').map_or(0, |i| i + 1).max(floor);
    let line_end = source[at.end..].find('\n').map_or(source.len(), |i| at.end + i);
    let before: String =
        source[line_start..at.start].chars().rev().take(6).collect::<Vec<_>>().into_iter().rev().collect();
    let after: String = source[at.end..line_end].chars().take(8).collect();
    format!("{}{with}{}", before.trim_start(), after.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_years_standing_alone() {
        let found: Vec<String> = years("2024 年预算，2019年以来，20245 件，1989").into_iter().map(|(_, y)| y).collect();
        assert_eq!(found, ["2024", "2019"]);
    }
}
