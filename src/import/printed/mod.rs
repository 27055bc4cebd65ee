//! Tables in the form's printed layout. [`Layout::learn`] reads the probe's grid: for
//! each project field the label printed before it (to its left, or above it when the
//! label heads exactly its columns) and the fixed text around it; the indicator table's
//! header labels and which header each indicator field, the 一级 and the 二级 sit under;
//! list fields' header rows; tick boxes. [`read`] finds the same labels in a clerk's
//! sheet (wherever rows and merges put them) and reads the cells beside them. A sheet
//! with several projects is split where the first label (项目编码, or the name) repeats.

pub(crate) mod cells;
mod indicators;
mod layout;

pub use layout::Layout;

use super::probe::Marker;
use super::{Project, half_width, normalize};
use crate::form::Form;
use crate::grid::flat::Column;
use crate::model::catalog::FieldType;
use crate::office::read::{Problem, RawCell, RawTable};
use cells::{covering, formula_problem, split, strip_number};
use indicators::read_indicators;

/// Every project of `table` printed in `layout`.
pub fn read(
    table: &RawTable,
    layout: &Layout,
    form: &Form,
    names: &std::collections::BTreeMap<String, String>,
) -> (Vec<Project>, Vec<Problem>) {
    let mut problems = Vec::new();
    let Some(first) = layout.first_anchor() else { return (Vec::new(), problems) };
    // A summary's header (项目编码 beside the name column) is not a project of a form that
    // does not print codes.
    let code_label = form.def.labels.get("summary_code").map(|l| normalize(l));
    let summary = |row: usize| {
        !layout.prints_code() && table.cells.iter().any(|c| c.row == row && Some(normalize(&c.text)) == code_label)
    };
    let starts: Vec<usize> =
        table.cells.iter().filter(|c| normalize(&c.text) == first && !summary(c.row)).map(|c| c.row).collect();
    let mut projects = Vec::new();
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(usize::MAX);
        let mut project = Project::default();
        let before = problems.iter().filter(|p| p.is_error).count();
        read_segment(table, layout, form, start..end, &mut project, &mut problems);
        project.errors = problems.iter().filter(|p| p.is_error).count() - before;
        project.unit = unit_stated(table, form, start, end);
        // A table that only shares the label (the summary's 项目编码 column) is no project.
        if project.fields.is_empty() && project.indicators.is_empty() {
            continue;
        }
        let place = table.locate(start, 0);
        project.place = place.clone();
        if project.code.is_empty() && layout.prints_code() {
            // Its label without a code beside it (a summary's column): no project.
            continue;
        }
        if project.code.is_empty() {
            // Not printed: the sheet's name, else the file's (`101001001-名称.docx`), when
            // they hold one project and begin with a code.
            let leading =
                |name: &str| -> String { half_width(name).chars().take_while(char::is_ascii_digit).collect() };
            let sheet = half_width(&table.name);
            let by_name =
                project.field(&Column::Project("name".into())).and_then(|n| names.get(&normalize(n))).cloned();
            let code = if let Some(code) = by_name {
                code
            } else if !sheet.is_empty() && sheet.chars().all(|c| c.is_ascii_digit()) && starts.len() == 1 {
                sheet
            } else if starts.len() == 1 {
                leading(&table.file)
            } else {
                String::new()
            };
            if code.len() >= 3 {
                project.code = code;
            } else {
                problems.push(
                    Problem::error(place, "这张表没有印出项目编码，无法确定项目")
                        .with_hint("把工作表改名为项目编码（如 608001001）后再导入；一张工作表放一个项目"),
                );
                continue;
            }
        }
        project.set(Column::Project("code".into()), project.code.clone());
        projects.push(project);
    }
    (projects, problems)
}

/// The money unit the table states for the project starting at row `start` (the nearest
/// `单位：…` above it, else the first in its rows up to `end`).
pub(crate) fn unit_stated(table: &RawTable, form: &Form, start: usize, end: usize) -> Option<String> {
    let label = normalize(form.def.labels.get("unit")?);
    let stated = |c: &&RawCell| {
        normalize(&c.text)
            .strip_prefix(label.as_str())
            .map(|u| u.trim_start_matches(':').to_string())
            .filter(|u| !u.is_empty())
    };
    let above = table.cells.iter().filter(|c| c.row <= start).rev().find_map(|c| stated(&c));
    above.or_else(|| table.cells.iter().filter(|c| c.row > start && c.row < end).find_map(|c| stated(&c)))
}

fn read_segment(
    table: &RawTable,
    layout: &Layout,
    form: &Form,
    rows: std::ops::Range<usize>,
    project: &mut Project,
    problems: &mut Vec<Problem>,
) {
    let in_rows = |c: &&RawCell| rows.contains(&c.row);
    let find = |label: &str, nth: usize| {
        let all: Vec<&RawCell> = table.cells.iter().filter(in_rows).filter(|c| normalize(&c.text) == label).collect();
        all.get(nth).or(all.last()).copied()
    };
    for single in &layout.singles {
        if single.inline {
            let cell = table.cells.iter().filter(in_rows).find(|c| normalize(&c.text).starts_with(&single.anchor));
            if let Some(cell) = cell
                && let Some(found) = split(&single.pieces, &cell.text)
            {
                for (marker, text) in found {
                    if let Marker::Project(column) = marker
                        && !text.is_empty()
                    {
                        project.set(column, text);
                    }
                }
            }
            continue;
        }
        let Some(anchor) = find(&single.anchor, single.nth) else { continue };
        let value = if single.below {
            covering(table, anchor.row + anchor.rows, anchor.col)
        } else {
            table
                .cells
                .iter()
                .filter(|c| c.row <= anchor.row && anchor.row < c.row + c.rows && c.col >= anchor.col + anchor.cols)
                .min_by_key(|c| c.col)
        };
        let Some(value) = value else { continue };
        problems.extend(formula_problem(table, value));
        if layout.is_label(&value.text) {
            continue;
        }
        match split(&single.pieces, &value.text) {
            Some(found) => {
                for (marker, text) in found {
                    if let Marker::Project(column) = marker {
                        let text = match &column {
                            Column::Project(k) if k == "code" => half_width(&text),
                            Column::Plan(_) => half_width(&text),
                            Column::Part(..) => text,
                            Column::Project(k)
                                if form.fields.project_field(k).is_some_and(|f| f.kind == FieldType::Money) =>
                            {
                                half_width(&text)
                            }
                            _ => text,
                        };
                        if let Column::Project(k) = &column
                            && k == "code"
                        {
                            project.code = text.clone();
                        }
                        if !text.is_empty() {
                            project.set(column, text);
                        }
                    }
                }
            }
            None => problems.push(
                Problem::warning(
                    table.locate(value.row, value.col),
                    format!("「{}」一栏的内容与表样不符，没有导入", value.text),
                )
                .with_hint("请按表样的格式填写这一栏（如“2024-01 至 2024-12”）"),
            ),
        }
    }
    for tick in &layout.ticks {
        let Some(anchor) = find(&tick.anchor, 0) else { continue };
        let Some(value) = covering(table, anchor.row, anchor.col + anchor.cols) else { continue };
        let text = value.text.replace(' ', "");
        let chosen = tick.choices.iter().find(|c| {
            text.find(c.as_str()).is_some_and(|at| {
                let after = &text[at + c.len()..];
                after.starts_with(['☑', '√', '■', '✓', '✔'])
            })
        });
        if let Some(choice) = chosen.or_else(|| tick.choices.iter().find(|c| text.trim() == c.as_str())) {
            project.set(Column::Project(tick.key.clone()), choice.clone());
        }
    }
    read_indicators(table, layout, rows.clone(), project, problems);
    for list in &layout.lists {
        let Some(header) = (rows.start..rows.end.min(table.height())).find(|&r| {
            list.columns
                .iter()
                .all(|(_, label, _)| table.cells.iter().any(|c| c.row == r && normalize(&c.text) == *label))
        }) else {
            continue;
        };
        let columns: Vec<(String, usize, bool)> = list
            .columns
            .iter()
            .filter_map(|(key, label, numbered)| {
                table
                    .cells
                    .iter()
                    .find(|c| c.row == header && normalize(&c.text) == *label)
                    .map(|c| (key.clone(), c.col, *numbered))
            })
            .collect();
        let mut items = Vec::new();
        for row in header + 1..rows.end.min(table.height()) {
            let texts: Vec<(String, String)> = columns
                .iter()
                .map(|(key, col, numbered)| {
                    let text = table.at(row, *col).map(|c| c.text.trim().to_string()).unwrap_or_default();
                    (key.clone(), if *numbered { strip_number(&text) } else { text })
                })
                .collect();
            let stop =
                columns.iter().any(|(_, col, _)| covering(table, row, *col).is_some_and(|c| layout.is_label(&c.text)));
            if stop || texts.iter().all(|(_, t)| t.is_empty()) {
                break;
            }
            items.push(texts);
        }
        if !items.is_empty() {
            project.rows.push((list.key.clone(), items));
        }
    }
}
