//! The indicator rows of a printed table: found under a header row with the form's
//! column labels, read until the table ends (a label, another Word table, a row across
//! the table); the 一级 and 二级 carried down where merged or left blank.

use super::super::{Project, normalize};
use super::cells::{covering, formula_problem, is_template_row};
use super::layout::Layout;
use crate::grid::flat::Column;
use crate::office::read::{Problem, RawCell, RawTable};

pub(super) fn read_indicators(
    table: &RawTable,
    layout: &Layout,
    rows: std::ops::Range<usize>,
    project: &mut Project,
    problems: &mut Vec<Problem>,
) {
    let mut needed: Vec<&String> = layout.indicator.iter().map(|(_, h)| h).collect();
    needed.extend(layout.level.iter().chain(&layout.slot));
    let last = rows.end.min(table.height());
    let mut row = rows.start;
    while row < last {
        let found: Vec<&RawCell> =
            table.cells.iter().filter(|c| c.row == row && needed.contains(&&normalize(&c.text))).collect();
        if found.len() * 2 < needed.len() || found.len() < 2 {
            row += 1;
            continue;
        }
        let col_of = |label: &String| found.iter().find(|c| normalize(&c.text) == *label).map(|c| c.col);
        // The table this header belongs to: the nearest table label above.
        let table_key = (rows.start..row).rev().find_map(|r| {
            table.cells.iter().filter(|c| c.row == r).find_map(|c| {
                layout.tables.iter().find(|(label, _)| *label == normalize(&c.text)).map(|(_, key)| key.clone())
            })
        });
        let (mut level, mut slot) = (String::new(), String::new());
        row += 1;
        let header_row = row - 1;
        let name_col = layout.indicator.iter().find(|(k, _)| k == "name").and_then(|(_, h)| col_of(h));
        let value_col = layout.indicator.iter().find(|(k, _)| k == "value").and_then(|(_, h)| col_of(h));
        while row < last {
            let stop = table.cells.iter().any(|c| c.row == row && layout.is_label(&c.text));
            // Out of the table: another Word table or a paragraph, or a row across the
            // table (the next project's title or caption).
            let left_table = !table.word_rows.is_empty()
                && table.word_rows.get(row).map(|w| w.0) != table.word_rows.get(header_row).map(|w| w.0);
            let across =
                match (name_col.and_then(|c| covering(table, row, c)), value_col.and_then(|c| covering(table, row, c)))
                {
                    (Some(a), Some(b)) => std::ptr::eq(a, b),
                    _ => false,
                };
            if stop || left_table || across {
                break;
            }
            let text_at = |label: &Option<String>| {
                label.as_ref().and_then(col_of).and_then(|c| covering(table, row, c)).map(|c| c.text.trim().to_string())
            };
            if let Some(l) = text_at(&layout.level).filter(|t| !t.is_empty()) {
                level = l;
            }
            if let Some(s) = text_at(&layout.slot).filter(|t| !t.is_empty()) {
                slot = s;
            }
            let mut indicator = Vec::new();
            for (key, header) in &layout.indicator {
                if let Some(cell) = col_of(header).and_then(|c| table.at(row, c).or_else(|| covering(table, row, c))) {
                    problems.extend(formula_problem(table, cell));
                    let text = cell.text.trim().to_string();
                    if !text.is_empty() {
                        indicator.push((Column::Indicator(key.clone()), text));
                    }
                }
            }
            let name = indicator.iter().find(|(c, _)| *c == Column::Indicator("name".into())).map(|(_, t)| t.clone());
            if !indicator.is_empty() && !name.as_deref().is_some_and(is_template_row) {
                if name.is_none() {
                    problems.push(
                        Problem::warning(table.locate(row, 0), "这一行有指标内容却没有三级指标名称，没有导入")
                            .with_hint("补上三级指标的名称后重新导入"),
                    );
                } else {
                    let mut fields = Vec::new();
                    if let Some(key) = &table_key {
                        fields.push((Column::Table, key.clone()));
                    }
                    fields.push((Column::Indicator("level1".into()), level.clone()));
                    fields.push((Column::Indicator("level2".into()), slot.clone()));
                    fields.extend(indicator);
                    project.indicators.push(fields);
                }
            }
            row += 1;
        }
    }
}
