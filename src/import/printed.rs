//! Tables in the form's printed layout. [`Layout::learn`] reads the probe's grid: for
//! each project field the label printed before it (to its left, or above it when the
//! label heads exactly its columns) and the fixed text around it; the indicator table's
//! header labels and which header each indicator field, the 一级 and the 二级 sit under;
//! list fields' header rows; tick boxes. [`read`] finds the same labels in a clerk's
//! sheet (wherever rows and merges put them) and reads the cells beside them. A sheet
//! with several projects is split where the first label (项目编码, or the name) repeats.

use super::probe::{self, Marker, Piece};
use super::{Project, half_width, normalize};
use crate::form::Form;
use crate::grid::flat::Column;
use crate::grid::{Grid, RowKind};
use crate::model::catalog::FieldType;
use crate::office::read::{Problem, RawCell, RawTable};

/// A project field and where it is.
#[derive(Debug, Clone)]
struct Single {
    anchor: String,
    /// Which occurrence of the anchor (0 for the first): 其中：财政拨款 heads both the
    /// medium-term and the annual amount.
    nth: usize,
    below: bool,
    /// The label is printed in the cell itself, before the field (`填报人：⟦filled_by⟧`).
    inline: bool,
    pieces: Vec<Piece>,
}

/// A choice printed as tick boxes.
#[derive(Debug, Clone)]
struct Tick {
    key: String,
    anchor: String,
    choices: Vec<String>,
}

/// A list field's rows (`schedule`): the header labels over its columns.
#[derive(Debug, Clone)]
struct List {
    key: String,
    columns: Vec<(String, String, bool)>,
}

/// What the probe taught about the form's printed layout.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    singles: Vec<Single>,
    ticks: Vec<Tick>,
    lists: Vec<List>,
    /// Indicator fields by the header label above them.
    indicator: Vec<(String, String)>,
    level: Option<String>,
    slot: Option<String>,
    /// Indicator table labels and their keys.
    tables: Vec<(String, String)>,
}

fn has_marker(text: &str) -> bool {
    text.contains(probe::OPEN)
}

impl Layout {
    /// Learns the layout from the probe printed by the form's templates.
    pub fn learn(grid: &Grid, form: &Form) -> Layout {
        let mut layout = Layout::default();
        let covering = |row: usize, col: usize| {
            grid.cells.iter().find(|c| (c.row..c.row + c.rows).contains(&row) && (c.col..c.col + c.cols).contains(&col))
        };
        let first_indicator_row =
            grid.cells.iter().filter(|c| c.text.contains(&format!("{}i.", probe::OPEN))).map(|c| c.row).min();
        let header_label = |col: usize, first: usize| -> Option<String> {
            let above = covering(first.checked_sub(1)?, col)?;
            (!has_marker(&above.text) && !above.text.trim().is_empty()).then(|| normalize(&above.text))
        };
        for cell in &grid.cells {
            let pieces = probe::pieces(&cell.text);
            let fields: Vec<&Marker> =
                pieces.iter().filter_map(|p| if let Piece::Field(m) = p { Some(m) } else { None }).collect();
            if let Some(Marker::Indicator(_)) = fields.first() {
                if let Some(first) = first_indicator_row
                    && let Some(label) = header_label(cell.col, first)
                {
                    for m in &fields {
                        if let Marker::Indicator(key) = m
                            && !layout.indicator.iter().any(|(k, _)| k == key)
                        {
                            layout.indicator.push((key.clone(), label.clone()));
                        }
                    }
                }
                continue;
            }
            if let Some(Marker::Row(key, _)) = fields.first() {
                let Some(label) =
                    cell.row.checked_sub(1).and_then(|r| covering(r, cell.col)).map(|c| normalize(&c.text))
                else {
                    continue;
                };
                let numbered = pieces.first().is_some_and(
                    |p| matches!(p, Piece::Fixed(t) if t.trim_start().starts_with(|c: char| c.is_ascii_digit())),
                );
                let list = match layout.lists.iter_mut().find(|l| &l.key == key) {
                    Some(list) => list,
                    None => {
                        layout.lists.push(List { key: key.clone(), columns: Vec::new() });
                        layout.lists.last_mut().expect("just pushed")
                    }
                };
                if let Some(Marker::Row(_, column)) = fields.first() {
                    list.columns.push((column.clone(), label, numbered));
                }
                continue;
            }
            if fields.is_empty() {
                continue;
            }
            let kind = grid.rows.get(cell.row).copied();
            let above = cell.row.checked_sub(1).and_then(|r| covering(r, cell.col)).filter(|a| {
                a.col == cell.col
                    && a.cols == cell.cols
                    && !has_marker(&a.text)
                    && !a.text.trim().is_empty()
                    && grid.rows.get(a.row).copied() == kind
                    && matches!(kind, Some(RowKind::Table(_)))
            });
            let left = cell
                .col
                .checked_sub(1)
                .and_then(|c| covering(cell.row, c))
                .filter(|l| !has_marker(&l.text) && !l.text.trim().is_empty());
            let (anchor, below) = match (above, left) {
                (Some(a), _) => (a, true),
                (None, Some(l)) => (l, false),
                _ => {
                    // A label printed before the field in its own cell.
                    if let Some(Piece::Fixed(label)) = pieces.first()
                        && !normalize(label).is_empty()
                    {
                        layout.singles.push(Single {
                            anchor: normalize(label),
                            nth: 0,
                            below: false,
                            inline: true,
                            pieces,
                        });
                    }
                    continue;
                }
            };
            let anchor_text = normalize(&anchor.text);
            let nth = grid
                .cells
                .iter()
                .take_while(|c| (c.row, c.col) != (anchor.row, anchor.col))
                .filter(|c| normalize(&c.text) == anchor_text)
                .count();
            layout.singles.push(Single { anchor: anchor_text, nth, below, inline: false, pieces });
        }
        if let Some(first) = first_indicator_row {
            let label_col =
                |text: &str| grid.cells.iter().find(|c| c.row >= first && c.text.trim() == text).map(|c| c.col);
            if let Some(level) = form.def.levels.first() {
                layout.level = label_col(&level.label).and_then(|c| header_label(c, first));
                layout.slot = level.slots.first().and_then(|s| label_col(s)).and_then(|c| header_label(c, first));
            }
        }
        for field in form.fields.project.iter().filter(|f| f.kind == FieldType::Choice) {
            let Some(first) = field.choices.first() else { continue };
            let tick = grid.cells.iter().find(|c| c.text.contains('☑') && c.text.contains(first.as_str()));
            if let Some(cell) = tick
                && let Some(left) = cell.col.checked_sub(1).and_then(|c| covering(cell.row, c))
            {
                layout.ticks.push(Tick {
                    key: field.key.clone(),
                    anchor: normalize(&left.text),
                    choices: field.choices.clone(),
                });
                continue;
            }
            // Printed as the chosen word itself.
            let plain = grid.cells.iter().find(|c| c.text.trim() == first.as_str());
            if let Some(cell) = plain
                && let Some(left) = cell.col.checked_sub(1).and_then(|c| covering(cell.row, c))
            {
                let pieces = vec![Piece::Field(Marker::Project(Column::Project(field.key.clone())))];
                layout.singles.push(Single {
                    anchor: normalize(&left.text),
                    nth: 0,
                    below: false,
                    inline: false,
                    pieces,
                });
            }
        }
        // A field printed as something worked out (a total printed as the sum of its
        // parts): found by its own label, with the cell beside it.
        for field in &form.fields.project {
            let column = Column::Project(field.key.clone());
            let placed = layout
                .singles
                .iter()
                .chain([])
                .any(|s| s.pieces.contains(&Piece::Field(Marker::Project(column.clone()))))
                || layout.ticks.iter().any(|t| t.key == field.key);
            if placed || field.kind == FieldType::Block || field.kind == FieldType::Rows {
                continue;
            }
            let label = grid.cells.iter().find(|c| normalize(&c.text) == normalize(&field.label));
            if let Some(label) = label
                && let Some(beside) = covering(label.row, label.col + label.cols)
                && beside.text.trim().is_empty()
            {
                let pieces = vec![Piece::Field(Marker::Project(column))];
                layout.singles.push(Single {
                    anchor: normalize(&label.text),
                    nth: 0,
                    below: false,
                    inline: false,
                    pieces,
                });
            }
        }
        layout.tables = form.def.indicator_tables.iter().map(|t| (normalize(&t.label), t.key.clone())).collect();
        layout
    }

    /// The label that begins each project (项目编码, or the name's).
    fn first_anchor(&self) -> Option<&str> {
        let by = |column: Column| {
            self.singles
                .iter()
                .find(|s| s.pieces.iter().any(|p| *p == Piece::Field(Marker::Project(column.clone()))))
                .map(|s| s.anchor.as_str())
        };
        by(Column::Project("code".into())).or_else(|| by(Column::Project("name".into())))
    }

    /// Whether the form prints the project's code.
    fn prints_code(&self) -> bool {
        self.singles
            .iter()
            .any(|s| s.pieces.iter().any(|p| *p == Piece::Field(Marker::Project(Column::Project("code".into())))))
    }

    /// Whether `text` is one of the layout's labels (a place where rows stop).
    fn is_label(&self, text: &str) -> bool {
        let text = normalize(text);
        !text.is_empty()
            && (self.singles.iter().any(|s| s.anchor == text)
                || self.ticks.iter().any(|t| t.anchor == text)
                || self.tables.iter().any(|(t, _)| *t == text)
                || self.indicator.iter().any(|(_, h)| *h == text))
    }
}

/// The cell covering (`row`, `col`).
fn covering(table: &RawTable, row: usize, col: usize) -> Option<&RawCell> {
    table.cells.iter().find(|c| (c.row..c.row + c.rows).contains(&row) && (c.col..c.col + c.cols).contains(&col))
}

/// Reads `pieces` out of `text`: fixed texts found in order, fields between them.
fn split(pieces: &[Piece], text: &str) -> Option<Vec<(Marker, String)>> {
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
    let summary = |row: usize| {
        !layout.prints_code() && table.cells.iter().any(|c| c.row == row && normalize(&c.text) == "项目编码")
    };
    let starts: Vec<usize> =
        table.cells.iter().filter(|c| normalize(&c.text) == first && !summary(c.row)).map(|c| c.row).collect();
    let mut projects = Vec::new();
    for (i, &start) in starts.iter().enumerate() {
        let top = start;
        let end = starts.get(i + 1).copied().unwrap_or(usize::MAX);
        let mut project = Project::default();
        let before = problems.iter().filter(|p| p.is_error).count();
        read_segment(table, layout, form, top..end, &mut project, &mut problems);
        project.errors = problems.iter().filter(|p| p.is_error).count() - before;
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
    let formula = |cell: &RawCell, problems: &mut Vec<Problem>| {
        if let Some(f) = &cell.formula {
            problems.push(
                Problem::error(
                    table.locate(cell.row, cell.col),
                    format!("这一格是公式（={f}），文件里没有保存计算结果"),
                )
                .with_hint("jixiao 不计算公式：请在 Excel 中打开并保存一次，或复制后「选择性粘贴 → 数值」"),
            );
        }
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
        formula(value, problems);
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

/// `1. 完成第一批` → `完成第一批`.
fn strip_number(text: &str) -> String {
    let digits = text.trim_start().trim_start_matches(|c: char| c.is_ascii_digit());
    match digits.strip_prefix(['.', '、', '．']) {
        Some(rest) if digits.len() < text.trim_start().len() => rest.trim_start().to_string(),
        _ => text.to_string(),
    }
}

/// A row left as the template had it (`指标1`, `……`).
fn is_template_row(name: &str) -> bool {
    let name = name.trim();
    name.contains("……")
        || name.strip_prefix("指标").is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

fn read_indicators(
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
                    if let Some(f) = &cell.formula {
                        problems.push(
                            Problem::error(
                                table.locate(cell.row, cell.col),
                                format!("这一格是公式（={f}），文件里没有保存计算结果"),
                            )
                            .with_hint("jixiao 不计算公式：请在 Excel 中打开并保存一次，或复制后「选择性粘贴 → 数值」"),
                        );
                    }
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

#[cfg(test)]
mod tests {
    use super::*;

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
