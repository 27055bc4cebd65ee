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
use typst::foundations::{Content, SequenceElem, StyleChain, StyledElem};
use typst::introspection::MetadataElem;
use typst::layout::{AlignElem, BlockBody, BlockElem, GridElem, PagebreakElem, VElem};
use typst::model::{HeadingElem, ParElem, ParbreakElem, TableElem};

use super::world::ReportWorld;
use super::{Typesetter, TypstMessage, messages};
use crate::grid::{Align, Grid, Style};

mod join;
mod place;
mod text;

use join::assemble;
use place::{place_grid, place_table};
use text::{Text, horizontal};

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
