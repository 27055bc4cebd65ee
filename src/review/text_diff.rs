//! Character-level differences of a changed text. Chinese has no spaces between words,
//! so a changed sentence is compared character by character, and a long text is shown as
//! the changed spans with a little context around each, not as a whole-line replacement.

use std::time::{Duration, Instant};

use serde::Serialize;
use similar::{Algorithm, DiffOp, capture_diff_slices_deadline};

/// What a piece of a compared text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// In both texts.
    Equal,
    /// Only in the old text.
    Delete,
    /// Only in the new text.
    Insert,
}

/// One piece of a compared text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    /// What it is.
    pub op: Op,
    /// Its characters. An `Equal` piece cut short for context starts or ends with `…`.
    pub text: String,
}

/// Characters of unchanged context kept on each side of a change.
pub const CONTEXT: usize = 12;

/// Texts shorter than this (in characters, both sides) are shown whole, old → new.
pub const LONG: usize = 30;

/// Whether a pair of texts is long enough to be shown as changed spans.
pub fn is_long(old: &str, new: &str) -> bool {
    old.chars().count() >= LONG || new.chars().count() >= LONG
}

/// The pieces of `old` → `new`, unchanged runs longer than twice [`CONTEXT`] cut to
/// their ends. Neighbouring changes are merged so that a sentence rewritten in places
/// reads as one deletion and one insertion rather than a scatter of single characters.
pub fn segments(old: &str, new: &str) -> Vec<Segment> {
    let a: Vec<char> = old.chars().collect();
    let b: Vec<char> = new.chars().collect();
    // Bounded: a pathological pair falls back to a coarser (still correct) diff.
    let deadline = Instant::now() + Duration::from_millis(200);
    let ops = capture_diff_slices_deadline(Algorithm::Myers, &a, &b, Some(deadline));
    let mut pieces: Vec<(Op, String)> = Vec::new();
    let mut push = |op: Op, text: String| {
        if text.is_empty() {
            return;
        }
        match pieces.last_mut() {
            Some((last, t)) if *last == op => t.push_str(&text),
            _ => pieces.push((op, text)),
        }
    };
    for op in ops {
        match op {
            DiffOp::Equal { old_index, len, .. } => push(Op::Equal, a[old_index..old_index + len].iter().collect()),
            DiffOp::Delete { old_index, old_len, .. } => {
                push(Op::Delete, a[old_index..old_index + old_len].iter().collect())
            }
            DiffOp::Insert { new_index, new_len, .. } => {
                push(Op::Insert, b[new_index..new_index + new_len].iter().collect())
            }
            DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                push(Op::Delete, a[old_index..old_index + old_len].iter().collect());
                push(Op::Insert, b[new_index..new_index + new_len].iter().collect());
            }
        }
    }
    let pieces = merge_small_equals(pieces);
    trim_context(pieces)
}

/// Folds an unchanged run of one or two characters between changes into the changes on
/// both sides: `[-甲-]乙{+丙+}` reads worse than `[-甲乙-]{+乙丙+}`.
fn merge_small_equals(pieces: Vec<(Op, String)>) -> Vec<(Op, String)> {
    let mut out: Vec<(Op, String)> = Vec::new();
    let n = pieces.len();
    let mut i = 0;
    while i < n {
        let (op, text) = &pieces[i];
        let between = *op == Op::Equal && i > 0 && i + 1 < n && text.chars().count() <= 2;
        if between {
            // Append to the last delete and the last insert of the change before.
            add(&mut out, Op::Delete, text);
            add(&mut out, Op::Insert, text);
        } else {
            add(&mut out, *op, text);
        }
        i += 1;
    }
    // Keep deletions before insertions within each change.
    let mut ordered: Vec<(Op, String)> = Vec::new();
    let mut change: (String, String) = (String::new(), String::new());
    let flush = |ordered: &mut Vec<(Op, String)>, change: &mut (String, String)| {
        if !change.0.is_empty() {
            ordered.push((Op::Delete, std::mem::take(&mut change.0)));
        }
        if !change.1.is_empty() {
            ordered.push((Op::Insert, std::mem::take(&mut change.1)));
        }
    };
    for (op, text) in out {
        match op {
            Op::Equal => {
                flush(&mut ordered, &mut change);
                ordered.push((op, text));
            }
            Op::Delete => change.0.push_str(&text),
            Op::Insert => change.1.push_str(&text),
        }
    }
    flush(&mut ordered, &mut change);
    ordered
}

/// Adds text of `op` to the change being collected at the end of `out`.
fn add(out: &mut Vec<(Op, String)>, op: Op, text: &str) {
    if op != Op::Equal
        && let Some(position) = out.iter().rposition(|(o, _)| *o == op)
        && !out[position..].iter().any(|(o, _)| *o == Op::Equal)
    {
        out[position].1.push_str(text);
        return;
    }
    match out.last_mut() {
        Some((last, t)) if *last == op => t.push_str(text),
        _ => out.push((op, text.to_string())),
    }
}

/// Cuts long unchanged runs to [`CONTEXT`] characters next to each change.
fn trim_context(pieces: Vec<(Op, String)>) -> Vec<Segment> {
    let n = pieces.len();
    pieces
        .into_iter()
        .enumerate()
        .map(|(i, (op, text))| {
            if op != Op::Equal {
                return Segment { op, text };
            }
            let chars: Vec<char> = text.chars().collect();
            let (first, last) = (i == 0, i + 1 == n);
            let text = if first && last {
                text
            } else if first && chars.len() > CONTEXT {
                format!("…{}", chars[chars.len() - CONTEXT..].iter().collect::<String>())
            } else if last && chars.len() > CONTEXT {
                format!("{}…", chars[..CONTEXT].iter().collect::<String>())
            } else if !first && !last && chars.len() > 2 * CONTEXT {
                format!(
                    "{}…{}",
                    chars[..CONTEXT].iter().collect::<String>(),
                    chars[chars.len() - CONTEXT..].iter().collect::<String>()
                )
            } else {
                text
            };
            Segment { op, text }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(segments: &[Segment]) -> String {
        segments
            .iter()
            .map(|s| match s.op {
                Op::Equal => s.text.clone(),
                Op::Delete => format!("[-{}-]", s.text),
                Op::Insert => format!("{{+{}+}}", s.text),
            })
            .collect()
    }

    #[test]
    fn a_changed_span_with_context() {
        let old = "围绕优化营商环境，持续深化审批制度改革，全面推行一网通办，企业开办时间压缩至1个工作日以内，群众满意度稳步提升。";
        let new = "围绕优化营商环境，持续深化审批制度改革，全面推行一网通办，企业开办时间压缩至0.5个工作日以内，群众满意度稳步提升。";
        assert_eq!(plain(&segments(old, new)), "…通办，企业开办时间压缩至[-1-]{+0.5+}个工作日以内，群众满意度…");
    }

    #[test]
    fn scattered_single_characters_read_as_one_change() {
        assert_eq!(plain(&segments("甲乙丙丁", "甲戊丙己")), "甲[-乙丙丁-]{+戊丙己+}");
    }

    #[test]
    fn insertion_and_deletion_only() {
        assert_eq!(plain(&segments("审批服务", "审批服务优化")), "审批服务{+优化+}");
        assert_eq!(plain(&segments("优化审批服务", "审批服务")), "[-优化-]审批服务");
        assert_eq!(plain(&segments("", "新")), "{+新+}");
    }
}
