//! What the period probe teaches about a self-evaluation or monitoring form's printed
//! table ([`PeriodLayout::learn`]): for each figure of a project (a money cell, the goal's
//! actual, a reason, a conclusion) the row label it is beside and the column label it is
//! under; for each indicator column its header; the tick columns (deviation causes,
//! likelihoods); the labels printed after the indicator rows, where they end.

use crate::form::Form;
use crate::grid::flat::Column;
use crate::grid::{Cell, Grid};
use crate::import::normalize;
use crate::import::probe::{self, Marker, OPEN, Piece};

/// A label as compared in a period's table: normalized, each run of digits masked, so
/// that `1-7月执行数` matches `1-6月执行数`.
pub fn label(text: &str) -> String {
    let mut out = String::new();
    let mut digits = false;
    for c in normalize(&crate::import::half_width(text)).chars() {
        if c.is_ascii_digit() {
            if !digits {
                out.push('#');
            }
            digits = true;
        } else {
            digits = false;
            out.push(c);
        }
    }
    out
}

/// Where a figure of the project's actuals is printed.
#[derive(Debug, Clone)]
pub struct Place {
    /// The figures of the cell, with the fixed text around them.
    pub pieces: Vec<Piece>,
    /// The label on its left in the same row (`其中：当年财政拨款`, `年度总体目标`).
    pub row_label: String,
    /// The label heading its column, where one does (`全年执行数`, `实际完成情况`).
    pub col_label: Option<String>,
}

/// An indicator column: its header and the figures it prints.
#[derive(Debug, Clone)]
pub struct IndicatorColumn {
    /// The header label above it (`实际完成值`).
    pub header: String,
    /// The figures of its cell (`⟦i.reason⟧\n⟦i.measure⟧`).
    pub pieces: Vec<Piece>,
}

/// A tick column of the indicator rows.
#[derive(Debug, Clone)]
pub struct Tick {
    /// Its header label, compared.
    pub header: String,
    /// The choice it ticks, as the form writes it.
    pub choice: String,
    /// A deviation cause (else a likelihood).
    pub cause: bool,
}

/// What the probe taught about the form's period table.
#[derive(Debug, Clone, Default)]
pub struct PeriodLayout {
    /// The project's figures.
    pub places: Vec<Place>,
    /// The indicator columns, left to right.
    pub columns: Vec<IndicatorColumn>,
    /// The tick columns.
    pub ticks: Vec<Tick>,
    /// What a row that does not apply prints across its points (`不适用`).
    pub not_applicable: Option<String>,
    /// Labels printed after the indicator rows (`总分`, `评价结论`): the rows end there.
    pub ends: Vec<String>,
}

/// Whether a marker is a figure an actuals file holds (not a target's text, nor a value
/// the table works out).
pub fn is_input(marker: &Marker) -> bool {
    match marker {
        Marker::Project(Column::Project(_)) => true,
        Marker::Project(Column::Part(block, part)) => match block.as_str() {
            "money" => !part.starts_with("total."),
            "x" => true,
            _ => false,
        },
        Marker::Indicator(key) => !matches!(key.as_str(), "level1" | "level2"),
        _ => false,
    }
}

fn marked(cell: &Cell) -> bool {
    cell.text.contains(OPEN)
}

fn fields(pieces: &[Piece]) -> impl Iterator<Item = &Marker> {
    pieces.iter().filter_map(|p| if let Piece::Field(m) = p { Some(m) } else { None })
}

impl PeriodLayout {
    /// Learns the layout from the probe table printed by the form's template.
    pub fn learn(grid: &Grid, form: &Form) -> PeriodLayout {
        let covering = |row: usize, col: usize| {
            grid.cells.iter().find(|c| (c.row..c.row + c.rows).contains(&row) && (c.col..c.col + c.cols).contains(&col))
        };
        let in_indicator = |cell: &Cell| fields(&probe::pieces(&cell.text)).any(|m| matches!(m, Marker::Indicator(_)));
        let indicator_rows: Vec<usize> = grid.cells.iter().filter(|c| in_indicator(c)).map(|c| c.row).collect();
        let first = indicator_rows.iter().min().copied();
        let last = indicator_rows.iter().max().copied();
        let mut layout = PeriodLayout {
            not_applicable: form.def.labels.get("not_applicable").map(|l| label(l)),
            ..PeriodLayout::default()
        };
        for cell in grid.cells.iter().filter(|c| marked(c)) {
            let pieces = probe::pieces(&cell.text);
            if in_indicator(cell) {
                let header = first
                    .and_then(|f| f.checked_sub(1))
                    .and_then(|r| covering(r, cell.col))
                    .filter(|h| !marked(h) && !h.text.trim().is_empty());
                if let Some(header) = header {
                    layout.columns.push(IndicatorColumn { header: label(&header.text), pieces });
                }
                continue;
            }
            if !fields(&pieces).any(is_input) {
                continue;
            }
            // The nearest label to the left, past the cells of other figures.
            let row_label = (0..cell.col)
                .rev()
                .filter_map(|c| covering(cell.row, c))
                .find(|c| !marked(c) && !c.text.trim().is_empty())
                .map(|c| label(&c.text));
            let Some(row_label) = row_label else { continue };
            // The label heading exactly its column, above the figures of the same column.
            let mut row = cell.row;
            let mut col_label = None;
            while let Some(above) = row.checked_sub(1).and_then(|r| covering(r, cell.col)) {
                if grid.rows.get(above.row) != grid.rows.get(cell.row) {
                    break;
                }
                if marked(above) {
                    row = above.row;
                    continue;
                }
                if above.col == cell.col && !above.text.trim().is_empty() {
                    col_label = Some(label(&above.text));
                }
                break;
            }
            layout.places.push(Place { pieces, row_label, col_label });
        }
        if let Some(monitoring) = form.def.evaluation.as_ref().and_then(|d| d.monitoring.as_ref()) {
            let choices =
                monitoring.causes.iter().map(|c| (c, true)).chain(monitoring.likelihoods.iter().map(|l| (l, false)));
            for (choice, cause) in choices {
                let printed =
                    grid.cells.iter().any(|c| label(&c.text) == label(choice) && Some(c.row + c.rows) == first);
                if printed {
                    layout.ticks.push(Tick { header: label(choice), choice: choice.clone(), cause });
                }
            }
        }
        if let Some(last) = last {
            layout.ends = grid
                .cells
                .iter()
                .filter(|c| c.row > last && !marked(c) && !c.text.trim().is_empty())
                .map(|c| label(&c.text))
                .collect();
        }
        layout
    }

    /// The place of the project's name (where each project's table begins).
    pub fn name(&self) -> Option<&Place> {
        self.places.iter().find(|p| fields(&p.pieces).any(|m| *m == Marker::Project(Column::Project("name".into()))))
    }

    /// Whether the label `text` (compared, see [`label`]) is one of the layout's project
    /// figures' or ends the indicator rows (rows stop there).
    pub fn is_labelled(&self, text: &str) -> bool {
        !text.is_empty()
            && (self.ends.iter().any(|e| e == text)
                || self.places.iter().any(|p| p.row_label == text || p.col_label.as_deref() == Some(text)))
    }
}
