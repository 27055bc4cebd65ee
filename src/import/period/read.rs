//! A clerk's self-evaluation or monitoring table read through the learned layout: each
//! project's figures found by the labels beside and above them, wherever rows and merges
//! put them; the indicator rows under their header, with tick columns and the
//! not-applicable mark. Several projects per sheet or Word file, as in a report.

use super::layout::{PeriodLayout, Place, label};
use crate::form::Form;
use crate::grid::flat::Column;
use crate::import::printed::cells::{covering, formula_problem, is_template_row, split};
use crate::import::printed::unit_stated;
use crate::import::probe::{Marker, Piece};
use crate::import::{half_width, normalize};
use crate::office::read::{Problem, RawCell, RawTable};

/// One project's table as read.
#[derive(Debug, Clone, Default)]
pub struct Read {
    /// 项目名称 as printed (how it is matched to its target).
    pub name: String,
    /// Where its table begins (`甲.xlsx!Sheet1!A5`).
    pub place: String,
    /// The sheet's (or file's) name, for a code when names do not decide.
    pub source: String,
    /// Its figures (`goal`, `money.fiscal.spent`, `x.evidence`), texts as read.
    pub fields: Vec<(Column, String)>,
    /// Its indicator rows.
    pub rows: Vec<RowRead>,
    /// The money unit the table states.
    pub unit: Option<String>,
    /// The monitoring month its headers name (`1-7月`).
    pub month: Option<u32>,
    /// Errors found while reading it.
    pub errors: usize,
}

/// One indicator row as read.
#[derive(Debug, Clone, Default)]
pub struct RowRead {
    /// 三级指标.
    pub name: String,
    /// 二级指标 (carried down where merged).
    pub level2: String,
    /// Its figures by key (`actual`, `weight`, `score`, `reason`…).
    pub fields: Vec<(String, String)>,
    /// Whether it applies (its points are not printed as 不适用).
    pub applies: bool,
    /// Deviation causes ticked.
    pub causes: Vec<String>,
    /// The likelihood ticked.
    pub likelihood: Option<String>,
    /// Where it is.
    pub place: String,
}

impl RowRead {
    /// A figure, when read and not empty.
    pub fn field(&self, key: &str) -> Option<&str> {
        self.fields.iter().find(|(k, _)| k == key).map(|(_, t)| t.as_str()).filter(|t| !t.is_empty())
    }
}

/// A table with every cell's label worked out once.
struct Sheet<'a> {
    table: &'a RawTable,
    labels: Vec<String>,
}

impl<'a> Sheet<'a> {
    fn new(table: &'a RawTable) -> Sheet<'a> {
        Sheet { table, labels: table.cells.iter().map(|c| label(&c.text)).collect() }
    }

    /// The cells with their labels.
    fn cells(&self) -> impl Iterator<Item = (&'a RawCell, &str)> {
        self.table.cells.iter().zip(self.labels.iter().map(String::as_str))
    }

    /// The cells labelled `text` among `rows`.
    fn labelled(&self, text: &str, rows: std::ops::Range<usize>) -> impl Iterator<Item = &'a RawCell> {
        self.cells().filter(move |(c, l)| *l == text && rows.contains(&c.row)).map(|(c, _)| c)
    }
}

/// Every project's table in `table`.
pub fn read(table: &RawTable, layout: &PeriodLayout, form: &Form) -> (Vec<Read>, Vec<Problem>) {
    let sheet = Sheet::new(table);
    let mut problems = Vec::new();
    let Some(name) = layout.name() else { return (Vec::new(), problems) };
    // A summary's header (项目编码 beside 项目名称) begins no table.
    let code_label = form.def.labels.get("summary_code").map(|l| label(l));
    let summary = |row: usize| sheet.cells().any(|(c, l)| c.row == row && Some(l) == code_label.as_deref());
    let mut starts: Vec<usize> =
        sheet.labelled(&name.row_label, 0..usize::MAX).filter(|c| !summary(c.row)).map(|c| c.row).collect();
    starts.sort_unstable();
    starts.dedup();
    let mut found = Vec::new();
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(usize::MAX).min(table.height());
        let before = problems.iter().filter(|p: &&Problem| p.is_error).count();
        let mut read = Read {
            place: table.locate(start, 0),
            source: if table.name.is_empty() { table.file.clone() } else { table.name.clone() },
            unit: unit_stated(table, form, start, end),
            month: month_named(table, start..end),
            ..Read::default()
        };
        for place in &layout.places {
            let Some(cell) = find(&sheet, place, start..end) else { continue };
            problems.extend(formula_problem(table, cell));
            for (marker, text) in cut(&place.pieces, &cell.text) {
                if let Marker::Project(column) = marker {
                    if column == Column::Project("name".into()) {
                        read.name = text.clone();
                    }
                    read.fields.push((column, text));
                }
            }
        }
        read.rows = rows(&sheet, layout, start..end, &mut problems);
        read.errors = problems.iter().filter(|p| p.is_error).count() - before;
        if !read.name.is_empty() || !read.rows.is_empty() {
            found.push(read);
        }
    }
    (found, problems)
}

/// The cell holding `place`'s figures among `rows`: beside its row label, under its
/// column label where it has one.
fn find<'a>(sheet: &Sheet<'a>, place: &Place, rows: std::ops::Range<usize>) -> Option<&'a RawCell> {
    let table = sheet.table;
    let row_label = sheet.labelled(&place.row_label, rows.clone()).next()?;
    let span = row_label.row..row_label.row + row_label.rows;
    match &place.col_label {
        Some(col_label) => {
            let head = sheet.labelled(col_label, rows).filter(|c| c.row < span.end).max_by_key(|c| c.row)?;
            // Under the column label, in the row label's rows (or right under the label
            // where a clerk did not merge the row label down).
            let row = span.start.max(head.row + head.rows);
            let end = span.end.max(head.row + head.rows + 1);
            (row < end).then(|| covering(table, row, head.col)).flatten()
        }
        None => table
            .cells
            .iter()
            .filter(|c| c.row <= span.start && span.start < c.row + c.rows && c.col >= row_label.col + row_label.cols)
            .min_by_key(|c| c.col),
    }
}

/// The figures of a printed cell. One figure: the fixed text around it cut away. Several
/// (`偏差原因`, `改进措施`, `调整得分的理由：…`), each printed on its own line: a figure
/// printed after a label takes the line that begins with it; the others take the other
/// lines in order, and one line alone is the reason (the figure the form asks for; the
/// others are optional).
fn cut(pieces: &[Piece], text: &str) -> Vec<(Marker, String)> {
    let mut figures: Vec<(&Marker, String)> = Vec::new();
    let mut before = "";
    for piece in pieces {
        match piece {
            Piece::Fixed(fixed) => before = fixed,
            Piece::Field(m) => {
                figures.push((m, before.rsplit('\n').next().unwrap_or_default().trim().to_string()));
                before = "";
            }
        }
    }
    if figures.len() < 2 {
        return split(pieces, text).unwrap_or_else(|| {
            figures.first().map(|(m, _)| vec![((*m).clone(), text.trim().to_string())]).unwrap_or_default()
        });
    }
    let mut lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let mut out = Vec::new();
    for (marker, label) in figures.iter().filter(|(_, l)| !l.is_empty()) {
        let at = lines.iter().position(|l| normalize(l).starts_with(&normalize(label)));
        if let Some(at) = at {
            let line = lines.remove(at);
            let rest = line.char_indices().nth(label.chars().count()).map_or("", |(i, _)| &line[i..]);
            out.push(((*marker).clone(), rest.trim().to_string()));
        }
    }
    let plain: Vec<&Marker> = figures.iter().filter(|(_, l)| l.is_empty()).map(|(m, _)| *m).collect();
    if lines.len() == 1 && plain.len() > 1 {
        let reason = plain.iter().find(|m| ***m == Marker::Indicator("reason".into())).unwrap_or(&plain[0]);
        out.push(((*reason).clone(), lines[0].to_string()));
        return out;
    }
    for (i, marker) in plain.iter().enumerate() {
        let text = if i + 1 == plain.len() {
            lines.get(i..).map(|l| l.join("\n"))
        } else {
            lines.get(i).map(|l| l.to_string())
        };
        if let Some(text) = text.filter(|t| !t.is_empty()) {
            out.push(((*marker).clone(), text));
        }
    }
    out
}

/// The month of `1-7月` in the headers of `rows`.
fn month_named(table: &RawTable, rows: std::ops::Range<usize>) -> Option<u32> {
    table.cells.iter().filter(|c| rows.contains(&c.row)).find_map(|c| {
        let text = half_width(&c.text).replace(['－', '—', '–', '~', '～'], "-").replace(' ', "");
        let at = text.find("1-")?;
        let digits: String = text[at + 2..].chars().take_while(char::is_ascii_digit).collect();
        text[at + 2 + digits.len()..].starts_with('月').then(|| digits.parse().ok()).flatten()
    })
}

/// The indicator rows among `rows`: under the first row holding the column headers,
/// until a label printed after them (总分), another project, or another Word table.
fn rows(
    sheet: &Sheet,
    layout: &PeriodLayout,
    rows: std::ops::Range<usize>,
    problems: &mut Vec<Problem>,
) -> Vec<RowRead> {
    let header_of = |key: &str| {
        layout
            .columns
            .iter()
            .find(|c| c.pieces.iter().any(|p| *p == Piece::Field(Marker::Indicator(key.into()))))
            .map(|c| c.header.as_str())
    };
    let Some(name_header) = header_of("name") else { return Vec::new() };
    let table = sheet.table;
    let Some(head) = sheet.labelled(name_header, rows.clone()).next() else {
        return Vec::new();
    };
    // The header may take two rows (the tick columns under 偏差原因分析), merged or not.
    let header_rows = head.row..head.row + head.rows + usize::from(!layout.ticks.is_empty() && head.rows == 1);
    let col_of = |header: &str| sheet.labelled(header, header_rows.clone()).next();
    let first = sheet
        .cells()
        .filter(|(c, l)| {
            header_rows.contains(&c.row)
                && (layout.columns.iter().any(|k| k.header == *l) || layout.ticks.iter().any(|t| t.header == *l))
        })
        .map(|(c, _)| c.row + c.rows)
        .max()
        .unwrap_or(head.row + head.rows);
    let ticks: Vec<(&super::layout::Tick, usize)> =
        layout.ticks.iter().filter_map(|t| col_of(&t.header).map(|c| (t, c.col))).collect();
    let name_col = head.col;
    let level2_col = header_of("level2").and_then(col_of).map(|c| c.col);
    let weight_col = header_of("weight").and_then(col_of).map(|c| c.col);
    let word_table = table.word_rows.get(head.row).map(|w| w.0);
    let mut out = Vec::new();
    let mut level2 = String::new();
    for row in first..rows.end {
        if sheet.cells().any(|(c, l)| c.row == row && layout.is_labelled(l))
            || (!table.word_rows.is_empty() && table.word_rows.get(row).map(|w| w.0) != word_table)
        {
            break;
        }
        if let Some(l2) =
            level2_col.and_then(|c| covering(table, row, c)).map(|c| c.text.trim()).filter(|t| !t.is_empty())
        {
            level2 = l2.to_string();
        }
        let name = covering(table, row, name_col).map(|c| c.text.trim().to_string()).unwrap_or_default();
        if name.is_empty() || is_template_row(&name) {
            continue;
        }
        let mut read = RowRead {
            name,
            level2: level2.clone(),
            applies: true,
            place: table.locate(row, name_col),
            ..RowRead::default()
        };
        for column in &layout.columns {
            let Some(col) = col_of(&column.header).map(|c| c.col) else { continue };
            let Some(cell) = covering(table, row, col) else { continue };
            problems.extend(formula_problem(table, cell));
            if Some(col) == weight_col && layout.not_applicable.as_deref() == Some(label(&cell.text).as_str()) {
                read.applies = false;
                continue;
            }
            for (marker, text) in cut(&column.pieces, &cell.text) {
                if let Marker::Indicator(key) = marker
                    && !matches!(key.as_str(), "name" | "level1" | "level2")
                {
                    read.fields.push((key, text));
                }
            }
        }
        for (tick, col) in &ticks {
            let text = covering(table, row, *col).map(|c| normalize(&c.text)).unwrap_or_default();
            if !text.is_empty() && !matches!(text.as_str(), "☐" | "□" | "0" | "否") {
                if tick.cause {
                    read.causes.push(tick.choice.clone());
                } else {
                    read.likelihood = Some(tick.choice.clone());
                }
            }
        }
        out.push(read);
    }
    out
}
