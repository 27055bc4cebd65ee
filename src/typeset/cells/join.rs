//! Blocks joined into one grid: every table's column boundaries (a nested table's too)
//! merged into one set of columns, rows stacked, each cell spanning whole columns.

use super::{A4_LANDSCAPE_TEXT_WIDTH, A4_TEXT_WIDTH, Block, Body, Placed, SAME_BOUNDARY};
use crate::grid::{Cell, Grid, RowKind};

/// The blocks joined into one grid.
pub(super) fn assemble(blocks: Vec<Block>, landscape: bool) -> Grid {
    let width_pt = if landscape { A4_LANDSCAPE_TEXT_WIDTH } else { A4_TEXT_WIDTH };
    let mut bounds = vec![0.0, 1.0];
    for block in &blocks {
        if let Block::Table(table, _) = block {
            boundaries(table, 0.0, 1.0, &mut bounds);
        }
    }
    bounds.sort_by(f64::total_cmp);
    let mut joined: Vec<f64> = Vec::new();
    for b in bounds {
        if joined.last().is_none_or(|last| b - last > SAME_BOUNDARY) {
            joined.push(b);
        }
    }
    if let Some(last) = joined.last_mut() {
        *last = 1.0;
    }
    let mut grid = Grid {
        columns: joined.windows(2).map(|w| w[1] - w[0]).collect(),
        rows: Vec::new(),
        cells: Vec::new(),
        width_pt,
        landscape,
    };
    let column = |x: f64| {
        joined.iter().enumerate().min_by(|a, b| (a.1 - x).abs().total_cmp(&(b.1 - x).abs())).map_or(0, |(i, _)| i)
    };
    let all = grid.columns.len();
    let mut tables = 0;
    // Trailing gaps say nothing.
    let end = blocks.iter().rposition(|b| !matches!(b, Block::Gap | Block::PageBreak)).map_or(0, |i| i + 1);
    for block in &blocks[..end] {
        let top = grid.rows.len();
        match block {
            Block::Gap => grid.rows.push(RowKind::Gap),
            Block::PageBreak => grid.rows.push(RowKind::PageBreak),
            Block::Line(text, style) => {
                grid.rows.push(RowKind::Line);
                grid.cells.push(Cell {
                    row: top,
                    col: 0,
                    rows: 1,
                    cols: all,
                    text: text.clone(),
                    style: style.clone(),
                });
            }
            Block::Table(table, ruled) => {
                let heights = heights(table);
                let kind = if *ruled { RowKind::Table(tables) } else { RowKind::Plain };
                tables += usize::from(*ruled);
                grid.rows.extend(std::iter::repeat_n(kind, heights.iter().sum()));
                lay(table, top, &heights, 0.0, 1.0, &column, &mut grid.cells);
            }
        }
    }
    grid.cells.sort_by_key(|c| (c.row, c.col));
    grid
}

/// The boundaries of a table's columns (and its nested tables') spanning `x0..x1`.
fn boundaries(table: &Placed, x0: f64, x1: f64, out: &mut Vec<f64>) {
    let mut x = x0;
    let xs: Vec<f64> = std::iter::once(x0)
        .chain(table.columns.iter().map(|w| {
            x += w * (x1 - x0);
            x
        }))
        .collect();
    out.extend(&xs);
    for cell in &table.cells {
        if let Body::Nested(nested) = &cell.body {
            boundaries(nested, xs[cell.col], xs[(cell.col + cell.cols).min(xs.len() - 1)], out);
        }
    }
}

/// Page rows each logical row takes: one, or as many as a nested table has rows.
fn heights(table: &Placed) -> Vec<usize> {
    let mut heights = vec![1; table.rows];
    for cell in &table.cells {
        if let (Body::Nested(nested), 1) = (&cell.body, cell.rows) {
            heights[cell.row] = heights[cell.row].max(heights_total(nested));
        }
    }
    heights
}

fn heights_total(table: &Placed) -> usize {
    heights(table).iter().sum::<usize>().max(1)
}

/// Puts a placed table's cells into the page grid from row `top`, across `x0..x1`.
fn lay(
    table: &Placed,
    top: usize,
    row_heights: &[usize],
    x0: f64,
    x1: f64,
    column: &dyn Fn(f64) -> usize,
    out: &mut Vec<Cell>,
) {
    let offsets: Vec<usize> = std::iter::once(0)
        .chain(row_heights.iter().scan(0, |sum, h| {
            *sum += h;
            Some(*sum)
        }))
        .collect();
    let mut xs = vec![x0];
    for w in &table.columns {
        xs.push(xs[xs.len() - 1] + w * (x1 - x0));
    }
    for cell in &table.cells {
        let (a, b) = (xs[cell.col.min(xs.len() - 1)], xs[(cell.col + cell.cols).min(xs.len() - 1)]);
        let row = top + offsets[cell.row.min(offsets.len() - 1)];
        let rows = offsets[(cell.row + cell.rows).min(offsets.len() - 1)] + top - row;
        match &cell.body {
            Body::Text(text, style) => {
                let (col, end) = (column(a), column(b));
                out.push(Cell {
                    row,
                    col,
                    rows: rows.max(1),
                    cols: end.saturating_sub(col).max(1),
                    text: text.clone(),
                    style: style.clone(),
                });
            }
            Body::Nested(nested) => {
                let mut inner = heights(nested);
                // The nested table fills its cell: its last row takes what is left.
                let short = rows.saturating_sub(inner.iter().sum());
                if let Some(last) = inner.last_mut() {
                    *last += short;
                }
                lay(nested, row, &inner, a, b, column, out);
            }
        }
    }
}
