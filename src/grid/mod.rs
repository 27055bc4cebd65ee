//! A printed table as a grid of cells: what `build --format xlsx,docx` writes and what
//! `jixiao import` reads back.
//!
//! The grid is not drawn by hand per form: [`crate::typeset::cells`] reads it from the
//! same Typst content the PDF is laid out from (every `table`, `grid` and line of text
//! of the generated source, in order), so the cells, their merges, the column widths in
//! proportion to the PDF's and each cell's font role are the printed ones. All blocks
//! share one column grid: the boundaries of every table's columns (a nested table's
//! too), so a cell spans whole columns in a spreadsheet and in a Word table alike.

pub mod flat;
pub mod number;

/// How a cell's text is aligned across.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    /// Left (long texts).
    Left,
    /// Centred (labels, short values).
    #[default]
    Center,
    /// Right.
    Right,
}

/// How a cell is printed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Style {
    /// The font family the PDF prints it in (the first of its role's list).
    pub font: String,
    /// Size in points.
    pub size: f64,
    /// Bold (a bold weight, or the stroke that stands in for one).
    pub bold: bool,
    /// Horizontal alignment.
    pub align: Align,
    /// Background fill (RGB), when the PDF shades the cell.
    pub fill: Option<[u8; 3]>,
}

/// One cell of the grid (a merged region when it spans several rows or columns).
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// First row (0-based).
    pub row: usize,
    /// First column (0-based).
    pub col: usize,
    /// Rows spanned (≥ 1).
    pub rows: usize,
    /// Columns spanned (≥ 1).
    pub cols: usize,
    /// The text as printed (lines separated by `\n`).
    pub text: String,
    /// How it is printed.
    pub style: Style,
}

/// What a row of the grid is part of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// A line of text across the page (a title).
    Line,
    /// A row of a borderless layout grid (编制单位 … 单位).
    Plain,
    /// A row of a ruled table; `table` numbers the printed tables, so that consecutive
    /// rows of one table stay one table in a Word file.
    Table(usize),
    /// Space between blocks.
    Gap,
    /// A page break (a blank row in a spreadsheet).
    PageBreak,
}

/// A printed page's content as one grid.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Grid {
    /// Column widths as fractions of the text width (they sum to 1).
    pub columns: Vec<f64>,
    /// What each row is.
    pub rows: Vec<RowKind>,
    /// The cells, in reading order (by row, then column).
    pub cells: Vec<Cell>,
    /// The width of the text area in points (the paper less its margins).
    pub width_pt: f64,
    /// Whether the form prints on landscape paper.
    pub landscape: bool,
}

impl Grid {
    /// The cell starting at (`row`, `col`).
    pub fn at(&self, row: usize, col: usize) -> Option<&Cell> {
        self.cells.iter().find(|c| c.row == row && c.col == col)
    }

    /// The cells of row `row` (those that start there), left to right.
    pub fn row_cells(&self, row: usize) -> impl Iterator<Item = &Cell> {
        self.cells.iter().filter(move |c| c.row == row)
    }

    /// A column's width in points.
    pub fn column_pt(&self, col: usize) -> f64 {
        self.columns.get(col).copied().unwrap_or(0.0) * self.width_pt
    }

    /// Lines a cell's text takes at its width, estimated from its characters (a Han
    /// character is one em wide, others half), at least 1.
    pub fn lines_of(&self, cell: &Cell) -> usize {
        let width: f64 = (cell.col..cell.col + cell.cols).map(|c| self.column_pt(c)).sum::<f64>() - 10.0;
        let em = cell.style.size.max(1.0);
        cell.text
            .split('\n')
            .map(|line| {
                let ems: f64 = line.chars().map(|c| if c.is_ascii() { 0.55 } else { 1.0 }).sum();
                ((ems * em) / width.max(em)).ceil().max(1.0) as usize
            })
            .sum::<usize>()
            .max(1)
    }

    /// Printed table `table` (0 for the first) with the lines just above it (its heading
    /// and unit line), as a grid of its own; empty when there is no such table.
    pub fn excerpt(&self, table: usize) -> Grid {
        let rows: Vec<usize> = (0..self.rows.len()).filter(|&r| self.rows[r] == RowKind::Table(table)).collect();
        let (Some(&first), Some(&last)) = (rows.first(), rows.last()) else {
            return Grid {
                columns: self.columns.clone(),
                width_pt: self.width_pt,
                landscape: self.landscape,
                ..Grid::default()
            };
        };
        let mut top = first;
        while top > 0 && top + 2 > first && matches!(self.rows[top - 1], RowKind::Line | RowKind::Plain) {
            top -= 1;
        }
        Grid {
            columns: self.columns.clone(),
            rows: self.rows[top..=last].to_vec(),
            cells: self
                .cells
                .iter()
                .filter(|c| (top..=last).contains(&c.row))
                .map(|c| Cell { row: c.row - top, ..c.clone() })
                .collect(),
            width_pt: self.width_pt,
            landscape: self.landscape,
        }
    }

    /// A row's height in points, enough for the tallest text that starts in it alone.
    pub fn row_height_pt(&self, row: usize) -> f64 {
        let line = |c: &Cell| c.style.size.max(1.0) * 1.5;
        let base = if matches!(self.rows.get(row), Some(RowKind::Gap | RowKind::PageBreak)) { 6.0 } else { 15.0 };
        self.row_cells(row)
            .filter(|c| c.rows == 1)
            .map(|c| self.lines_of(c) as f64 * line(c) + 6.0)
            .fold(base, f64::max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(row: usize, col: usize, cols: usize, text: &str) -> Cell {
        Cell { row, col, rows: 1, cols, text: text.into(), style: Style { size: 10.0, ..Style::default() } }
    }

    #[test]
    fn long_texts_take_more_lines_in_narrow_cells() {
        let grid = Grid {
            columns: vec![0.2, 0.8],
            rows: vec![RowKind::Table(0)],
            cells: vec![cell(0, 0, 1, &"字".repeat(20)), cell(0, 1, 1, "短")],
            width_pt: 500.0,
            landscape: false,
        };
        assert_eq!(grid.lines_of(&grid.cells[1]), 1);
        // 20 em of 10 pt in a 90 pt cell: 3 lines.
        assert_eq!(grid.lines_of(&grid.cells[0]), 3);
        assert!(grid.row_height_pt(0) > 40.0);
        assert_eq!(grid.at(0, 1).map(|c| c.text.as_str()), Some("短"));
    }
}
