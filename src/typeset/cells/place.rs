//! Cells placed as Typst places them, and columns' widths as fractions of their table.

use typst::foundations::{Content, Packed, Smart, StyleChain, StyledElem};
use typst::layout::{Alignment, GridChild, GridElem, GridItem, Sizing};
use typst::model::{TableChild, TableElem, TableItem};

use super::text::{Text, horizontal, style_of};
use super::{A4_TEXT_WIDTH, Body, Placed, Placed1};
use crate::grid::Align;

/// One cell before placement.
struct Loose {
    x: Option<usize>,
    y: Option<usize>,
    colspan: usize,
    rowspan: usize,
    align: Option<Alignment>,
    body: Content,
}

/// A table's or a grid's cell before placement (the two cell types have the same fields
/// but no common trait).
macro_rules! loose_cell {
    ($cell:expr, $styles:expr) => {
        Loose {
            x: smart($cell.x.get($styles)),
            y: smart($cell.y.get($styles)),
            colspan: $cell.colspan.get($styles).get(),
            rowspan: $cell.rowspan.get($styles).get(),
            align: smart($cell.align.get($styles)),
            body: $cell.body.clone(),
        }
    };
}

pub(super) fn place_table(table: &Packed<TableElem>, styles: StyleChain) -> Placed {
    let default = match table.align.get_ref(styles) {
        typst::layout::Celled::Value(Smart::Custom(a)) => horizontal(a.x(), Align::Center),
        _ => Align::Left,
    };
    let mut loose = Vec::new();
    let mut push = |item: &TableItem| {
        if let TableItem::Cell(cell) = item {
            loose.push(loose_cell!(cell, styles));
        }
    };
    for child in &table.children {
        match child {
            TableChild::Header(header) => header.children.iter().for_each(&mut push),
            TableChild::Footer(footer) => footer.children.iter().for_each(&mut push),
            TableChild::Item(item) => push(item),
        }
    }
    place(&table.columns.get_ref(styles).0, loose, styles, default)
}

pub(super) fn place_grid(grid: &Packed<GridElem>, styles: StyleChain) -> Placed {
    let mut loose = Vec::new();
    let mut push = |item: &GridItem| {
        if let GridItem::Cell(cell) = item {
            loose.push(loose_cell!(cell, styles));
        }
    };
    for child in &grid.children {
        match child {
            GridChild::Header(header) => header.children.iter().for_each(&mut push),
            GridChild::Footer(footer) => footer.children.iter().for_each(&mut push),
            GridChild::Item(item) => push(item),
        }
    }
    place(&grid.columns.get_ref(styles).0, loose, styles, Align::Left)
}

fn smart<T>(value: Smart<T>) -> Option<T> {
    match value {
        Smart::Custom(v) => Some(v),
        Smart::Auto => None,
    }
}

/// Places cells as Typst does: each at the next free position (row by row) where its
/// columns fit, or where it says; row spans take positions in the rows below.
fn place(tracks: &[Sizing], cells: Vec<Loose>, styles: StyleChain, default: Align) -> Placed {
    let n = tracks.len().max(1);
    let mut taken: Vec<Vec<bool>> = Vec::new();
    let free = |taken: &Vec<Vec<bool>>, r: usize, c: usize, span: usize| {
        (c..c + span).all(|c| taken.get(r).is_none_or(|row: &Vec<bool>| !row[c]))
    };
    let mut placed = Placed::default();
    let (mut r, mut c) = (0usize, 0usize);
    for cell in cells {
        let span = cell.colspan.min(n);
        let (row, col) = match (cell.x, cell.y) {
            (Some(x), Some(y)) => (y, x.min(n - span)),
            (Some(x), None) => {
                let mut y = r;
                while !free(&taken, y, x.min(n - span), span) {
                    y += 1;
                }
                (y, x.min(n - span))
            }
            _ => {
                loop {
                    if c + span > n {
                        r += 1;
                        c = 0;
                        continue;
                    }
                    if free(&taken, r, c, span) {
                        break;
                    }
                    c += 1;
                }
                (r, c)
            }
        };
        for y in row..row + cell.rowspan {
            while taken.len() <= y {
                taken.push(vec![false; n]);
            }
            taken[y][col..col + span].iter_mut().for_each(|t| *t = true);
        }
        if cell.x.is_none() {
            c = col + span;
        }
        let align = horizontal(cell.align.and_then(|a| a.x()), default);
        let body = match nested_table(&cell.body) {
            Some((table, Some(local))) => Body::Nested(place_table(table, styles.chain(local))),
            Some((table, None)) => Body::Nested(place_table(table, styles)),
            None => {
                let mut text = Text::default();
                text.content(&cell.body, styles, false);
                let mut style = text.style.unwrap_or_else(|| style_of(styles, false));
                style.align = align;
                Body::Text(text.text.trim().to_string(), style)
            }
        };
        placed.cells.push(Placed1 { row, col, rows: cell.rowspan, cols: span, body });
    }
    placed.rows = taken.len();
    placed.columns = widths(tracks, &placed);
    placed
}

/// The table a cell holds as its whole body, with the styles set on it.
fn nested_table(body: &Content) -> Option<(&Packed<TableElem>, Option<&typst::foundations::Styles>)> {
    if let Some(table) = body.to_packed::<TableElem>() {
        return Some((table, None));
    }
    let styled = body.to_packed::<StyledElem>()?;
    let table = styled.child.to_packed::<TableElem>()?;
    Some((table, Some(&styled.styles)))
}

/// Column widths as fractions of the table's width: relative sizes as given, `auto`
/// columns as wide as their widest single-column text, fractions share the rest.
fn widths(tracks: &[Sizing], placed: &Placed) -> Vec<f64> {
    let text_width = A4_TEXT_WIDTH;
    let auto_width = |col: usize| {
        let widest = placed
            .cells
            .iter()
            .filter(|c| c.col == col && c.cols == 1)
            .filter_map(|c| match &c.body {
                Body::Text(text, style) => Some(
                    text.lines()
                        .map(|l| l.chars().map(|ch| if ch.is_ascii() { 0.55 } else { 1.0 }).sum::<f64>())
                        .fold(0.0, f64::max)
                        * style.size,
                ),
                Body::Nested(_) => None,
            })
            .fold(0.0, f64::max);
        ((widest + 12.0) / text_width).min(0.5)
    };
    let mut fixed = vec![None; tracks.len()];
    let mut fr_total = 0.0;
    for (i, track) in tracks.iter().enumerate() {
        match track {
            Sizing::Rel(rel) => fixed[i] = Some(rel.rel.get() + rel.abs.to_pt_guess() / text_width),
            Sizing::Auto => fixed[i] = Some(auto_width(i)),
            Sizing::Fr(fr) => fr_total += fr.get(),
        }
    }
    let used: f64 = fixed.iter().flatten().sum();
    let rest = (1.0 - used).max(0.0);
    let mut columns: Vec<f64> = tracks
        .iter()
        .zip(&fixed)
        .map(|(track, fixed)| match (track, fixed) {
            (_, Some(w)) => *w,
            (Sizing::Fr(fr), None) if fr_total > 0.0 => rest * fr.get() / fr_total,
            _ => 0.0,
        })
        .collect();
    let sum: f64 = columns.iter().sum();
    if sum > 0.0 {
        columns.iter_mut().for_each(|w| *w /= sum);
    } else {
        columns = vec![1.0 / tracks.len().max(1) as f64; tracks.len().max(1)];
    }
    columns
}

trait PtGuess {
    fn to_pt_guess(&self) -> f64;
}

impl PtGuess for typst::layout::Length {
    /// Points of an absolute length; `em`s at 10.5 pt (the forms' body size).
    fn to_pt_guess(&self) -> f64 {
        self.abs.to_pt() + self.em.get() * 10.5
    }
}
