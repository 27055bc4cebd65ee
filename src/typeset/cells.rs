//! The printed grid of a generated document ([`crate::grid::Grid`]), read from the
//! same Typst content the PDF is laid out from.
//!
//! The source is evaluated (not laid out) in the sandboxed world, and its content is
//! walked in order: a line of text across the page (the title) becomes a row of one
//! cell, a `grid` a borderless row, a `table` ruled rows, `v` a gap. Table cells are
//! placed as Typst places them (row by row, skipping positions taken by row spans); a
//! table inside a cell (the seed's spending plan) subdivides that cell. Every block's
//! column boundaries are joined into one column grid, so each cell spans whole columns.
//! Text is taken as printed (a tick box is ☑ or ☐), with the font role, size, weight and
//! alignment it is printed in.

use typst::World;
use typst::comemo::Track;
use typst::engine::{Route, Sink, Traced};
use typst::foundations::{Content, Packed, SequenceElem, Smart, StyleChain, StyledElem};
use typst::introspection::MetadataElem;
use typst::layout::{
    AlignElem, Alignment, BlockBody, BlockElem, BoxElem, GridChild, GridElem, GridItem, HAlignment, HElem,
    PagebreakElem, Sizing, VElem,
};
use typst::model::{HeadingElem, ParElem, ParbreakElem, StrongElem, TableChild, TableElem, TableItem};
use typst::text::{LinebreakElem, SpaceElem, TextElem};

use super::world::ReportWorld;
use super::{Typesetter, TypstMessage, messages};
use crate::grid::{Align, Cell, Grid, RowKind, Style};

/// Width of the text area of A4 paper with the forms' 2 cm side margins, in points.
const A4_TEXT_WIDTH: f64 = 595.28 - 2.0 * 56.69;
/// The same on landscape paper.
const A4_LANDSCAPE_TEXT_WIDTH: f64 = 841.89 - 2.0 * 56.69;
/// Column boundaries closer than this (a fraction of the width) are one boundary.
const SAME_BOUNDARY: f64 = 0.004;

impl Typesetter {
    /// The grid `source` prints (its imports resolve inside `root`), on portrait or
    /// `landscape` paper.
    pub fn grid(&self, root: &std::path::Path, source: String, landscape: bool) -> Result<Grid, Vec<TypstMessage>> {
        let world = ReportWorld::new(&self.library, &self.fonts, root, source);
        let traced = Traced::default();
        let mut sink = Sink::new();
        let world_ref: &dyn World = &world;
        let module = typst_eval::eval(
            world_ref.track(),
            &self.library,
            traced.track(),
            sink.track_mut(),
            Route::default().track(),
            world.main_source(),
        )
        .map_err(|errors| messages(Some(&world), &errors))?;
        let styles = StyleChain::new(&self.library.styles);
        let mut walk = Walk::default();
        walk.content(&module.content(), styles);
        walk.flush();
        Ok(assemble(walk.blocks, landscape))
    }
}

/// A table (or layout grid) as placed, before its columns join the page's grid.
#[derive(Debug, Default)]
struct Placed {
    /// Column widths as fractions of the table's width.
    columns: Vec<f64>,
    /// Logical rows.
    rows: usize,
    cells: Vec<Placed1>,
}

/// One placed cell of a [`Placed`] table.
#[derive(Debug)]
struct Placed1 {
    row: usize,
    col: usize,
    rows: usize,
    cols: usize,
    body: Body,
}

#[derive(Debug)]
enum Body {
    Text(String, Style),
    Nested(Placed),
}

#[derive(Debug)]
enum Block {
    Line(String, Style),
    Table(Placed, bool),
    Gap,
    PageBreak,
}

/// The document walked in reading order.
#[derive(Default)]
struct Walk {
    blocks: Vec<Block>,
    /// Text of the current line, not yet ended by a block.
    line: String,
    line_style: Option<Style>,
}

impl Walk {
    fn content(&mut self, content: &Content, styles: StyleChain) {
        if let Some(sequence) = content.to_packed::<SequenceElem>() {
            for child in &sequence.children {
                self.content(child, styles);
            }
        } else if let Some(styled) = content.to_packed::<StyledElem>() {
            self.content(&styled.child, styles.chain(&styled.styles));
        } else if let Some(table) = content.to_packed::<TableElem>() {
            self.flush();
            self.blocks.push(Block::Table(place_table(table, styles), true));
        } else if let Some(grid) = content.to_packed::<GridElem>() {
            self.flush();
            self.blocks.push(Block::Table(place_grid(grid, styles), false));
        } else if let Some(align) = content.to_packed::<AlignElem>() {
            self.flush();
            let mut text = Text::default();
            text.content(&align.body, styles, false);
            if let Some(mut style) = text.style.take() {
                style.align = horizontal(align.alignment.get(styles).x(), Align::Left);
                self.blocks.push(Block::Line(text.text.trim().to_string(), style));
            }
        } else if let Some(par) = content.to_packed::<ParElem>() {
            self.flush();
            self.content(&par.body, styles);
            self.flush();
        } else if let Some(heading) = content.to_packed::<HeadingElem>() {
            self.flush();
            self.content(&heading.body, styles);
            self.flush();
        } else if content.is::<PagebreakElem>() {
            self.flush();
            if !self.blocks.is_empty() {
                self.blocks.push(Block::PageBreak);
            }
        } else if content.is::<VElem>() || content.is::<ParbreakElem>() {
            self.flush();
            if !matches!(self.blocks.last(), None | Some(Block::Gap | Block::PageBreak)) {
                self.blocks.push(Block::Gap);
            }
        } else if let Some(block) = content.to_packed::<BlockElem>() {
            if let Some(BlockBody::Content(body)) = block.body.get_ref(styles) {
                self.flush();
                self.content(body, styles);
                self.flush();
            }
        } else if content.is::<MetadataElem>() {
        } else {
            let mut text = Text::default();
            text.content(content, styles, false);
            self.line.push_str(&text.text);
            if self.line_style.is_none() {
                // Running text is set flush left (justified) unless aligned.
                self.line_style = text.style.map(|style| Style { align: Align::Left, ..style });
            }
        }
    }

    /// Ends the current line of text, if any.
    fn flush(&mut self) {
        let line = std::mem::take(&mut self.line);
        if let Some(style) = self.line_style.take()
            && !line.trim().is_empty()
        {
            self.blocks.push(Block::Line(line.trim().to_string(), style));
        }
    }
}

/// A cell's text as printed, and the style of its first character.
#[derive(Default)]
struct Text {
    text: String,
    style: Option<Style>,
}

impl Text {
    fn content(&mut self, content: &Content, styles: StyleChain, bold: bool) {
        if let Some(sequence) = content.to_packed::<SequenceElem>() {
            for child in &sequence.children {
                self.content(child, styles, bold);
            }
        } else if let Some(styled) = content.to_packed::<StyledElem>() {
            self.content(&styled.child, styles.chain(&styled.styles), bold);
        } else if let Some(text) = content.to_packed::<TextElem>() {
            if self.style.is_none() {
                self.style = Some(style_of(styles, bold));
            }
            self.text.push_str(&text.text);
        } else if content.is::<SpaceElem>() {
            self.text.push(' ');
        } else if content.is::<HElem>() {
            self.text.push_str("  ");
        } else if content.is::<LinebreakElem>() || content.is::<ParbreakElem>() {
            self.text.push('\n');
        } else if let Some(strong) = content.to_packed::<StrongElem>() {
            self.content(&strong.body, styles, true);
        } else if let Some(align) = content.to_packed::<AlignElem>() {
            self.content(&align.body, styles, bold);
        } else if let Some(b) = content.to_packed::<BoxElem>() {
            // A small ruled box is a tick box: ☑ when it holds a tick, ☐ when empty.
            let mut inner = Text::default();
            if let Some(body) = b.body.get_ref(styles) {
                inner.content(body, styles, bold);
            }
            match inner.text.trim() {
                "√" | "✓" | "✔" => self.text.push('☑'),
                "" => self.text.push('☐'),
                other => self.text.push_str(other),
            }
        } else if let Some(block) = content.to_packed::<BlockElem>() {
            if let Some(BlockBody::Content(body)) = block.body.get_ref(styles) {
                if !self.text.is_empty() && !self.text.ends_with('\n') {
                    self.text.push('\n');
                }
                self.content(body, styles, bold);
            }
        } else if content.is::<MetadataElem>() || content.is::<VElem>() {
        } else {
            self.text.push_str(&content.plain_text());
        }
    }
}

/// How text is printed under `styles`.
fn style_of(styles: StyleChain, bold: bool) -> Style {
    let font = typst::text::families(styles).next().map(|f| f.as_str().to_string()).unwrap_or_default();
    let size = styles.resolve(TextElem::size).to_pt();
    let heavy = styles.get(TextElem::weight).to_number() >= 600 || styles.get_ref(TextElem::stroke).is_some();
    Style { font, size: (size * 10.0).round() / 10.0, bold: bold || heavy, align: Align::Center, fill: None }
}

fn horizontal(alignment: Option<HAlignment>, default: Align) -> Align {
    match alignment {
        Some(HAlignment::Left | HAlignment::Start) => Align::Left,
        Some(HAlignment::Right | HAlignment::End) => Align::Right,
        Some(HAlignment::Center) => Align::Center,
        None => default,
    }
}

/// One cell before placement.
struct Loose {
    x: Option<usize>,
    y: Option<usize>,
    colspan: usize,
    rowspan: usize,
    align: Option<Alignment>,
    body: Content,
}

fn place_table(table: &Packed<TableElem>, styles: StyleChain) -> Placed {
    let default = match table.align.get_ref(styles) {
        typst::layout::Celled::Value(Smart::Custom(a)) => horizontal(a.x(), Align::Center),
        _ => Align::Left,
    };
    let mut loose = Vec::new();
    let mut push = |item: &TableItem| {
        if let TableItem::Cell(cell) = item {
            loose.push(Loose {
                x: smart(cell.x.get(styles)),
                y: smart(cell.y.get(styles)),
                colspan: cell.colspan.get(styles).get(),
                rowspan: cell.rowspan.get(styles).get(),
                align: smart(cell.align.get(styles)),
                body: cell.body.clone(),
            });
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

fn place_grid(grid: &Packed<GridElem>, styles: StyleChain) -> Placed {
    let mut loose = Vec::new();
    let mut push = |item: &GridItem| {
        if let GridItem::Cell(cell) = item {
            loose.push(Loose {
                x: smart(cell.x.get(styles)),
                y: smart(cell.y.get(styles)),
                colspan: cell.colspan.get(styles).get(),
                rowspan: cell.rowspan.get(styles).get(),
                align: smart(cell.align.get(styles)),
                body: cell.body.clone(),
            });
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

/// The blocks joined into one grid.
fn assemble(blocks: Vec<Block>, landscape: bool) -> Grid {
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
