//! The flat indicator sheet read back: its header row found by the column labels of
//! [`crate::grid::flat::columns`], rows grouped by 项目编码 (in the order they come), the
//! project's fields from its first row.

use super::{Project, half_width, normalize};
use crate::form::Form;
use crate::grid::flat::{Column, columns};
use crate::office::read::{Problem, RawTable};

/// The header row of a flat sheet and each of its columns' meaning, when `table` is one.
pub fn header(table: &RawTable, form: &Form) -> Option<(usize, Vec<(usize, Column)>)> {
    let known: Vec<(String, Column)> = columns(form).into_iter().map(|(label, c)| (normalize(&label), c)).collect();
    // Only the first rows can hold the header (cells are in row order).
    let top: Vec<(usize, usize, String)> =
        table.cells.iter().take_while(|c| c.row < 20).map(|c| (c.row, c.col, normalize(&c.text))).collect();
    (0..table.height().min(20)).find_map(|row| {
        let found: Vec<(usize, Column)> = top
            .iter()
            .filter(|(r, _, _)| *r == row)
            .filter_map(|(_, col, text)| known.iter().find(|(label, _)| label == text).map(|(_, c)| (*col, c.clone())))
            .collect();
        let has = |column: Column| found.iter().any(|(_, c)| *c == column);
        (has(Column::Project("code".into())) && has(Column::Indicator("name".into())) && found.len() >= 3)
            .then_some((row, found))
    })
}

/// The projects of a flat sheet.
pub fn read(
    table: &RawTable,
    (header, columns): (usize, Vec<(usize, Column)>),
    form: &Form,
) -> (Vec<Project>, Vec<Problem>) {
    let mut projects: Vec<Project> = Vec::new();
    let problems = Vec::new();
    for row in header + 1..table.height() {
        let text = |col: usize| table.at(row, col).map(|c| c.text.trim().to_string()).unwrap_or_default();
        let Some(code) =
            columns.iter().find(|(_, c)| *c == Column::Project("code".into())).map(|(col, _)| half_width(&text(*col)))
        else {
            continue;
        };
        if code.is_empty() {
            continue;
        }
        let index = match projects.iter().position(|p| p.code == code) {
            Some(i) => i,
            None => {
                let mut project = Project { code: code.clone(), place: table.locate(row, 0), ..Project::default() };
                for (col, column) in &columns {
                    let value = text(*col);
                    if !matches!(column, Column::Indicator(_) | Column::Table) && !value.is_empty() {
                        let value = if matches!(column, Column::Plan(_)) { half_width(&value) } else { value };
                        project.set(column.clone(), value);
                    }
                }
                projects.push(project);
                projects.len() - 1
            }
        };
        let mut indicator = Vec::new();
        for (col, column) in &columns {
            let value = text(*col);
            match column {
                Column::Table if !value.is_empty() => {
                    let key = form.def.indicator_tables.iter().find(|t| t.label == value || t.key == value);
                    indicator.push((Column::Table, key.map_or(value, |t| t.key.clone())));
                }
                Column::Indicator(_) if !value.is_empty() => indicator.push((column.clone(), value)),
                _ => {}
            }
        }
        if indicator.iter().any(|(c, _)| *c == Column::Indicator("name".into())) {
            projects[index].indicators.push(indicator);
        }
    }
    (projects, problems)
}
