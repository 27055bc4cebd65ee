//! What the probe teaches about a form's printed layout ([`Layout::learn`]): each
//! project field's label and the fixed text around it, the indicator header, list rows,
//! tick boxes.

use super::super::normalize;
use super::super::probe::{self, Marker, Piece};
use crate::form::Form;
use crate::grid::flat::Column;
use crate::grid::{Grid, RowKind};
use crate::model::catalog::FieldType;

/// A project field and where it is.
#[derive(Debug, Clone)]
pub(super) struct Single {
    pub(super) anchor: String,
    /// Which occurrence of the anchor (0 for the first): 其中：财政拨款 heads both the
    /// medium-term and the annual amount.
    pub(super) nth: usize,
    pub(super) below: bool,
    /// The label is printed in the cell itself, before the field (`填报人：⟦filled_by⟧`).
    pub(super) inline: bool,
    pub(super) pieces: Vec<Piece>,
}

impl Single {
    /// A field alone in the cell right of the label `label`.
    fn beside(label: &str, column: Column) -> Single {
        let pieces = vec![Piece::Field(Marker::Project(column))];
        Single { anchor: normalize(label), nth: 0, below: false, inline: false, pieces }
    }
}

/// A choice printed as tick boxes.
#[derive(Debug, Clone)]
pub(super) struct Tick {
    pub(super) key: String,
    pub(super) anchor: String,
    pub(super) choices: Vec<String>,
}

/// A list field's rows (`schedule`): the header labels over its columns.
#[derive(Debug, Clone)]
pub(super) struct List {
    pub(super) key: String,
    pub(super) columns: Vec<(String, String, bool)>,
}

/// What the probe taught about the form's printed layout.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub(super) singles: Vec<Single>,
    pub(super) ticks: Vec<Tick>,
    pub(super) lists: Vec<List>,
    /// Indicator fields by the header label above them.
    pub(super) indicator: Vec<(String, String)>,
    pub(super) level: Option<String>,
    pub(super) slot: Option<String>,
    /// Indicator table labels and their keys.
    pub(super) tables: Vec<(String, String)>,
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
                layout.singles.push(Single::beside(&left.text, Column::Project(field.key.clone())));
            }
        }
        // A field printed as something worked out (a total printed as the sum of its
        // parts): found by its own label, with the cell beside it.
        for field in &form.fields.project {
            let column = Column::Project(field.key.clone());
            let placed =
                layout.singles.iter().any(|s| s.pieces.contains(&Piece::Field(Marker::Project(column.clone()))))
                    || layout.ticks.iter().any(|t| t.key == field.key);
            if placed || field.kind == FieldType::Block || field.kind == FieldType::Rows {
                continue;
            }
            let label = grid.cells.iter().find(|c| normalize(&c.text) == normalize(&field.label));
            if let Some(label) = label
                && let Some(beside) = covering(label.row, label.col + label.cols)
                && beside.text.trim().is_empty()
            {
                layout.singles.push(Single::beside(&label.text, column));
            }
        }
        layout.tables = form.def.indicator_tables.iter().map(|t| (normalize(&t.label), t.key.clone())).collect();
        layout
    }

    /// The label that begins each project (项目编码, or the name's).
    pub(super) fn first_anchor(&self) -> Option<&str> {
        let by = |column: Column| {
            self.singles
                .iter()
                .find(|s| s.pieces.iter().any(|p| *p == Piece::Field(Marker::Project(column.clone()))))
                .map(|s| s.anchor.as_str())
        };
        by(Column::Project("code".into())).or_else(|| by(Column::Project("name".into())))
    }

    /// Whether the form prints the project's code.
    pub(super) fn prints_code(&self) -> bool {
        self.singles
            .iter()
            .any(|s| s.pieces.iter().any(|p| *p == Piece::Field(Marker::Project(Column::Project("code".into())))))
    }

    /// Whether `text` is one of the layout's labels (a place where rows stop).
    pub(super) fn is_label(&self, text: &str) -> bool {
        let text = normalize(text);
        !text.is_empty()
            && (self.singles.iter().any(|s| s.anchor == text)
                || self.ticks.iter().any(|t| t.anchor == text)
                || self.tables.iter().any(|(t, _)| *t == text)
                || self.indicator.iter().any(|(_, h)| *h == text))
    }
}
