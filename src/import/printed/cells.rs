//! Reading cells: the cell covering a position, a printed cell's fields cut out of its
//! text, a list row's numbering, template rows.

use super::super::probe::{Marker, Piece};
use crate::office::read::{Problem, RawCell, RawTable};

/// The problem of a cell holding a formula without its saved value, if it does.
pub(crate) fn formula_problem(table: &RawTable, cell: &RawCell) -> Option<Problem> {
    let formula = cell.formula.as_ref()?;
    Some(
        Problem::error(table.locate(cell.row, cell.col), format!("这一格是公式（={formula}），文件里没有保存计算结果"))
            .with_hint("jixiao 不计算公式：请在 Excel 中打开并保存一次，或复制后「选择性粘贴 → 数值」"),
    )
}

/// The cell covering (`row`, `col`).
pub(crate) fn covering(table: &RawTable, row: usize, col: usize) -> Option<&RawCell> {
    table.cells.iter().find(|c| (c.row..c.row + c.rows).contains(&row) && (c.col..c.col + c.cols).contains(&col))
}

/// Reads `pieces` out of `text`: fixed texts found in order, fields between them.
pub(crate) fn split(pieces: &[Piece], text: &str) -> Option<Vec<(Marker, String)>> {
    let mut out = Vec::new();
    let mut rest = text.trim();
    let mut pending: Option<&Marker> = None;
    let last = pieces.len().saturating_sub(1);
    for (i, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Fixed(fixed) => {
                let fixed = fixed.trim();
                if fixed.is_empty() {
                    continue;
                }
                // A unit or label before or after the only text may be left out (`10`
                // for `10%`); fixed text between two fields may not.
                let Some(at) = rest.find(fixed) else {
                    if i == 0 || i == last {
                        continue;
                    }
                    return None;
                };
                if let Some(m) = pending.take() {
                    out.push((m.clone(), rest[..at].trim().to_string()));
                }
                rest = &rest[at + fixed.len()..];
            }
            Piece::Field(m) => {
                if let Some(prev) = pending.replace(m) {
                    out.push((prev.clone(), String::new()));
                }
            }
        }
    }
    if let Some(m) = pending {
        out.push((m.clone(), rest.trim().to_string()));
    }
    Some(out)
}

/// `1. 完成第一批` → `完成第一批`.
pub(crate) fn strip_number(text: &str) -> String {
    let digits = text.trim_start().trim_start_matches(|c: char| c.is_ascii_digit());
    match digits.strip_prefix(['.', '、', '．']) {
        Some(rest) if digits.len() < text.trim_start().len() => rest.trim_start().to_string(),
        _ => text.to_string(),
    }
}

/// A row left as the template had it (`指标1`, `……`).
pub(crate) fn is_template_row(name: &str) -> bool {
    let name = name.trim();
    name.contains("……")
        || name.strip_prefix("指标").is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::probe;

    #[test]
    fn fields_are_cut_out_of_their_printed_cell() {
        let pieces = probe::pieces("⟦period.start⟧ 至 ⟦period.end⟧");
        let found = split(&pieces, "2025-03 至 2027-12").unwrap_or_default();
        assert_eq!(found.iter().map(|(_, t)| t.as_str()).collect::<Vec<_>>(), ["2025-03", "2027-12"]);
        assert!(split(&pieces, "2025 年").is_none());
        let percent = probe::pieces("⟦spending_plan.3⟧%");
        assert_eq!(split(&percent, "10%").unwrap_or_default()[0].1, "10");
        assert_eq!(split(&percent, "10").unwrap_or_default()[0].1, "10");
        assert_eq!(strip_number("2. 完成第二批"), "完成第二批");
        assert_eq!(strip_number("2024 年"), "2024 年");
        assert!(is_template_row("指标1") && is_template_row("……") && !is_template_row("指标值"));
    }
}
