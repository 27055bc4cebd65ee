//! The flat indicator sheet read back: its header row found by the column labels of
//! [`crate::grid::flat::columns`], rows grouped by 项目编码 (in the order they come), the
//! project's fields from its first row.

use super::{Project, half_width, normalize};
use crate::form::Form;
use crate::grid::flat::{Column, columns};
use crate::office::read::{Problem, RawTable};

/// A header row and each of its columns' meaning (by column index).
pub type Header = (usize, Vec<(usize, Column)>);

/// The header row of a flat sheet and each of its columns' meaning, when `table` is one.
pub fn header(table: &RawTable, form: &Form) -> Option<Header> {
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

/// The header row of a sheet in the form's budget-system import template, with each
/// column's meaning, when `table` is one; a column whose path names no field is a problem.
pub fn template_header(table: &RawTable, form: &Form) -> Option<Result<Header, Problem>> {
    let template = form.def.import_template.as_ref()?;
    if template.sheet.as_ref().is_some_and(|s| normalize(s) != normalize(&table.name)) {
        return None;
    }
    let wanted: Vec<(String, &String)> = template.columns.iter().map(|(h, p)| (normalize(h), p)).collect();
    let matches = |row: usize| {
        table
            .cells
            .iter()
            .filter(|c| c.row == row)
            .filter_map(|c| wanted.iter().find(|(h, _)| *h == normalize(&c.text)).map(|(_, p)| (c.col, *p)))
            .collect::<Vec<_>>()
    };
    let row = match template.header_row {
        Some(row) => (row as usize).checked_sub(1)?,
        None => (0..table.height().min(20)).find(|&r| matches(r).len() * 2 > wanted.len())?,
    };
    let found = matches(row);
    if found.len() * 2 <= wanted.len() {
        return None;
    }
    let mut columns = Vec::new();
    for (col, path) in found {
        match path_column(path, form) {
            Some(column) => columns.push((col, column)),
            None => {
                return Some(Err(Problem::error(
                    table.locate(row, col),
                    format!("表样 {} 的 import_template 中“{path}”不是规格中的栏目", form.name),
                )
                .with_hint("栏目写作 code、name、purpose、period.start、spending_plan.6、indicators.name 这样；请联系维护表样的同事")));
            }
        }
    }
    let has = |column: Column| columns.iter().any(|(_, c)| *c == column);
    if !has(Column::Project("code".into())) {
        return Some(Err(Problem::error(table.locate(row, 0), "这张表中没有项目编码一栏，无法分出项目")
            .with_hint("预算系统导出的表应有项目编码；请保留这一列")));
    }
    Some(Ok((row, columns)))
}

/// The column a spec path names (`code`, `purpose`, `period.start`, `spending_plan.6`,
/// `indicators.value`, `indicators.table`).
fn path_column(path: &str, form: &Form) -> Option<Column> {
    if let Some(key) = path.strip_prefix("indicators.") {
        if key == "table" {
            return Some(Column::Table);
        }
        let known = ["level1", "level2", "name", "value"].contains(&key) || form.fields.indicator_field(key).is_some();
        return known.then(|| Column::Indicator(key.to_string()));
    }
    if let Some(month) = path.strip_prefix("spending_plan.") {
        return month.parse().ok().filter(|m| form.def.checkpoints.iter().any(|c| c.month == *m)).map(Column::Plan);
    }
    if let Some((block, part)) = path.split_once('.') {
        let about = crate::model::catalog::project(block)?;
        return about.parts.iter().any(|p| p.key == part).then(|| Column::Part(block.into(), part.into()));
    }
    let known = ["code", "name"].contains(&path) || form.fields.project_field(path).is_some();
    known.then(|| Column::Project(path.to_string()))
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
