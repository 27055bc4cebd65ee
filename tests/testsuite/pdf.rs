//! Reading a PDF back as a person reads a table: every text run with its page and
//! position, every ruled line, and from both the table cells, so that tests judge *where*
//! a value is printed (its column, its row, the month it stands under), not only that it
//! appears somewhere on the page.
//!
//! Typst writes each run of text as `q … cm BT /fN size Tf 1 0 0 -1 0 0 Tm [...] TJ ET Q`
//! and each ruled line as `q … cm … 0 0 m dx dy l S Q`; the reader follows the
//! transformation matrix (`cm`, `q`, `Q`) and decodes text through the fonts' ToUnicode
//! maps. Positions are in points from the top-left corner of the page.

use std::collections::BTreeMap;
use std::path::Path;

use lopdf::content::Content;
use lopdf::{Document, Object};

/// One run of text.
#[derive(Debug, Clone)]
pub struct Run {
    /// Page, from 1.
    pub page: usize,
    /// Start of the baseline, from the left edge.
    pub x: f64,
    /// Baseline, from the top edge.
    pub y: f64,
    /// The text, whitespace removed.
    pub text: String,
}

/// A ruled line segment.
#[derive(Debug, Clone, Copy)]
struct Line {
    page: usize,
    x1: f64,
    y1: f64,
    x2: f64,
    y2: f64,
}

/// A table cell: the text of the runs inside the ruled lines around them.
#[derive(Debug, Clone)]
pub struct Cell {
    /// Page, from 1.
    pub page: usize,
    /// Left, top, right and bottom edges.
    pub left: f64,
    /// Top edge.
    pub top: f64,
    /// Right edge.
    pub right: f64,
    /// Bottom edge.
    pub bottom: f64,
    /// The text, whitespace removed.
    pub text: String,
}

/// What is printed in a PDF.
pub struct Printed {
    /// Every run of text, in content order.
    pub runs: Vec<Run>,
    lines: Vec<Line>,
}

type Matrix = [f64; 6];

fn multiply(m: Matrix, ctm: Matrix) -> Matrix {
    [
        m[0] * ctm[0] + m[1] * ctm[2],
        m[0] * ctm[1] + m[1] * ctm[3],
        m[2] * ctm[0] + m[3] * ctm[2],
        m[2] * ctm[1] + m[3] * ctm[3],
        m[4] * ctm[0] + m[5] * ctm[2] + ctm[4],
        m[4] * ctm[1] + m[5] * ctm[3] + ctm[5],
    ]
}

fn number(object: &Object) -> f64 {
    match object {
        Object::Integer(i) => *i as f64,
        Object::Real(r) => f64::from(*r),
        _ => 0.0,
    }
}

/// Reads what a PDF prints.
pub fn read(path: &Path) -> Printed {
    let doc = Document::load(path).expect("a readable PDF");
    let mut runs = Vec::new();
    let mut lines = Vec::new();
    for (index, (_, page_id)) in doc.get_pages().into_iter().enumerate() {
        let page = index + 1;
        let dict = doc.get_object(page_id).and_then(Object::as_dict).expect("page dictionary");
        let height = dict.get(b"MediaBox").and_then(Object::as_array).map(|b| number(&b[3])).expect("MediaBox");
        let fonts = doc.get_page_fonts(page_id).expect("page fonts");
        let encodings: BTreeMap<Vec<u8>, _> = fonts
            .iter()
            .map(|(name, font)| (name.clone(), font.get_font_encoding(&doc).expect("font encoding")))
            .collect();
        let content = Content::decode(&doc.get_page_content(page_id).expect("content")).expect("content stream");
        let mut stack: Vec<Matrix> = vec![[1.0, 0.0, 0.0, 1.0, 0.0, 0.0]];
        let mut font: Vec<u8> = Vec::new();
        let mut start = (0.0, 0.0);
        // The text matrix and the start of its line (LibreOffice places text with `Td`
        // and `Tm`; Typst with `cm`, its `Tm` only flips the axis).
        let identity: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];
        let (mut tm, mut line_start) = (identity, identity);
        // The text a marked span says it shows (LibreOffice's `/Span <</ActualText …>> BDC`).
        let mut actual: Option<String> = None;
        for op in &content.operations {
            let ctm = *stack.last().expect("matrix stack");
            match op.operator.as_str() {
                "q" => stack.push(ctm),
                "Q" => {
                    stack.pop();
                }
                "cm" => {
                    let m: Vec<f64> = op.operands.iter().map(number).collect();
                    *stack.last_mut().expect("matrix stack") = multiply([m[0], m[1], m[2], m[3], m[4], m[5]], ctm);
                }
                "Tf" => font = op.operands[0].as_name().expect("font name").to_vec(),
                "BT" => (tm, line_start) = (identity, identity),
                "Tm" => {
                    let m: Vec<f64> = op.operands.iter().map(number).collect();
                    tm = [m[0], m[1], m[2], m[3], m[4], m[5]];
                    line_start = tm;
                }
                "Td" | "TD" => {
                    let m: Vec<f64> = op.operands.iter().map(number).collect();
                    line_start = multiply([1.0, 0.0, 0.0, 1.0, m[0], m[1]], line_start);
                    tm = line_start;
                }
                "BDC" => {
                    actual = op
                        .operands
                        .get(1)
                        .and_then(|o| o.as_dict().ok())
                        .and_then(|d| d.get(b"ActualText").ok())
                        .and_then(|t| {
                            let bytes = t.as_str().ok()?;
                            let units: Vec<u16> = bytes
                                .strip_prefix(&[0xFE, 0xFF])?
                                .chunks(2)
                                .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                                .collect();
                            String::from_utf16(&units).ok()
                        });
                }
                "EMC" => actual = None,
                "TJ" | "Tj" if actual.is_some() => {
                    let text: String =
                        actual.take().unwrap_or_default().chars().filter(|c| !c.is_whitespace()).collect();
                    let at = multiply(tm, ctm);
                    runs.push(Run { page, x: at[4], y: height - at[5], text });
                }
                "TJ" | "Tj" => {
                    let encoding = &encodings[&font];
                    let mut text = String::new();
                    let parts: Vec<&Object> = match &op.operands[0] {
                        Object::Array(items) => items.iter().collect(),
                        other => vec![other],
                    };
                    for part in parts {
                        if let Object::String(bytes, _) = part {
                            text.push_str(&Document::decode_text(encoding, bytes).expect("decodable text"));
                        }
                    }
                    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
                    let at = multiply(tm, ctm);
                    runs.push(Run { page, x: at[4], y: height - at[5], text });
                }
                "m" => start = (number(&op.operands[0]), number(&op.operands[1])),
                "l" => {
                    let end = (number(&op.operands[0]), number(&op.operands[1]));
                    let point = |(x, y): (f64, f64)| {
                        (x * ctm[0] + y * ctm[2] + ctm[4], height - (x * ctm[1] + y * ctm[3] + ctm[5]))
                    };
                    let ((x1, y1), (x2, y2)) = (point(start), point(end));
                    lines.push(Line { page, x1: x1.min(x2), y1: y1.min(y2), x2: x1.max(x2), y2: y1.max(y2) });
                    start = end;
                }
                _ => {}
            }
        }
    }
    Printed { runs, lines }
}

impl Printed {
    /// The number of pages that carry text.
    pub fn pages(&self) -> usize {
        self.runs.iter().map(|r| r.page).max().unwrap_or(0)
    }

    /// The table cells: each run is placed in the box of ruled lines around it (the
    /// nearest vertical line on each side and horizontal line above and below that cross
    /// its position); runs in the same box form one cell, in reading order.
    pub fn cells(&self) -> Vec<Cell> {
        const EPS: f64 = 0.6;
        let mut cells: Vec<Cell> = Vec::new();
        for run in &self.runs {
            let on_page = self.lines.iter().filter(|l| l.page == run.page);
            // A point just right of the run's start and just above its baseline.
            let (x, y) = (run.x + 1.0, run.y - 2.0);
            let vertical: Vec<&Line> =
                on_page.clone().filter(|l| (l.x2 - l.x1).abs() < EPS && l.y1 - EPS <= y && y <= l.y2 + EPS).collect();
            let horizontal: Vec<&Line> =
                on_page.filter(|l| (l.y2 - l.y1).abs() < EPS && l.x1 - EPS <= x && x <= l.x2 + EPS).collect();
            let left = vertical.iter().map(|l| l.x1).filter(|lx| *lx <= x).fold(f64::NAN, f64::max);
            let right = vertical.iter().map(|l| l.x1).filter(|lx| *lx > x).fold(f64::NAN, f64::min);
            let top = horizontal.iter().map(|l| l.y1).filter(|ly| *ly <= y).fold(f64::NAN, f64::max);
            let bottom = horizontal.iter().map(|l| l.y1).filter(|ly| *ly > y).fold(f64::NAN, f64::min);
            if [left, right, top, bottom].iter().any(|v| v.is_nan()) {
                continue; // not in a table
            }
            match cells.iter_mut().find(|c| {
                c.page == run.page
                    && (c.left - left).abs() < EPS
                    && (c.top - top).abs() < EPS
                    && (c.right - right).abs() < EPS
            }) {
                Some(cell) => cell.text.push_str(&run.text),
                None => cells.push(Cell { page: run.page, left, top, right, bottom, text: run.text.clone() }),
            }
        }
        cells
    }
}

/// The cells of one table row: those with the given top and bottom on `page`, left to
/// right.
pub fn row_of(cells: &[Cell], page: usize, top: f64, bottom: f64) -> Vec<&Cell> {
    let mut row: Vec<&Cell> = cells
        .iter()
        .filter(|c| c.page == page && (c.top - top).abs() < 0.6 && (c.bottom - bottom).abs() < 0.6)
        .collect();
    row.sort_by(|a, b| a.left.total_cmp(&b.left));
    row
}
