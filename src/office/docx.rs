//! A grid as a Word document (WordprocessingML, written directly): lines of text as
//! paragraphs, each printed table as a Word table on the grid's columns (widths in
//! proportion to the PDF's) with `gridSpan`/`vMerge` merges and single borders, layout
//! grids as borderless tables, the print's fonts, sizes, weights and alignment, A4
//! portrait or landscape with the PDF's margins. Byte-reproducible: fixed zip times and
//! no dates in the document.

use std::io::{Cursor, Write};

use zip::ZipWriter;
use zip::write::SimpleFileOptions;

use crate::grid::{Align, Cell, Grid, RowKind, Style};

/// Twentieths of a point per point.
const TWIPS: f64 = 20.0;

/// Several grids as one Word document, each from a new page.
pub fn document(grids: &[&Grid]) -> std::io::Result<Vec<u8>> {
    let mut body = String::new();
    for (i, grid) in grids.iter().enumerate() {
        if i > 0 {
            body.push_str(r#"<w:p><w:r><w:br w:type="page"/></w:r></w:p>"#);
        }
        grid_body(grid, &mut body);
    }
    let landscape = grids.first().is_some_and(|g| g.landscape);
    package(&body, landscape)
}

fn package(body: &str, landscape: bool) -> std::io::Result<Vec<u8>> {
    let (w, h, orient) = if landscape { (16838, 11906, r#" w:orient="landscape""#) } else { (11906, 16838, "") };
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}<w:sectPr><w:pgSz w:w="{w}" w:h="{h}"{orient}/><w:pgMar w:top="1247" w:right="1134" w:bottom="1361" w:left="1134" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr></w:body></w:document>"#
    );
    let files: [(&str, &str); 5] = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#,
        ),
        (
            "word/_rels/document.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#,
        ),
        (
            "word/styles.xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="21"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults></w:styles>"#,
        ),
        ("word/document.xml", &document),
    ];
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, text) in files {
        zip.start_file(name, options)?;
        zip.write_all(text.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}

/// Appends a grid's paragraphs and tables.
fn grid_body(grid: &Grid, out: &mut String) {
    let mut row = 0;
    while row < grid.rows.len() {
        let kind = grid.rows[row];
        let end = (row..grid.rows.len()).find(|&r| grid.rows[r] != kind);
        let end = match kind {
            RowKind::Line | RowKind::Gap | RowKind::PageBreak => row + 1,
            _ => end.unwrap_or(grid.rows.len()),
        };
        match kind {
            RowKind::Gap => out.push_str("<w:p/>"),
            RowKind::PageBreak => out.push_str(r#"<w:p><w:r><w:br w:type="page"/></w:r></w:p>"#),
            RowKind::Line => {
                for cell in grid.row_cells(row) {
                    paragraphs(cell, out);
                }
            }
            RowKind::Plain | RowKind::Table(_) => table(grid, row..end, kind != RowKind::Plain, out),
        }
        row = end;
    }
}

/// Rows `rows` of the grid as one Word table.
fn table(grid: &Grid, rows: std::ops::Range<usize>, ruled: bool, out: &mut String) {
    let border = if ruled { "single" } else { "nil" };
    out.push_str(r#"<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:tblLayout w:type="fixed"/><w:tblBorders>"#);
    for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
        out.push_str(&format!(r#"<w:{side} w:val="{border}" w:sz="4" w:space="0" w:color="000000"/>"#));
    }
    out.push_str(r#"</w:tblBorders><w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>"#);
    let twips: Vec<u32> = (0..grid.columns.len()).map(|c| (grid.column_pt(c) * TWIPS).round() as u32).collect();
    for w in &twips {
        out.push_str(&format!(r#"<w:gridCol w:w="{w}"/>"#));
    }
    out.push_str("</w:tblGrid>");
    for row in rows.clone() {
        let height = (grid.row_height_pt(row) * TWIPS).round() as u32;
        out.push_str(&format!(r#"<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="{height}"/></w:trPr>"#));
        let mut col = 0;
        while col < grid.columns.len() {
            // The cell that covers this position: its start, a merge continuing from
            // above, or nothing (an empty cell of one column).
            let covering = grid
                .cells
                .iter()
                .find(|c| c.col == col && (c.row..c.row + c.rows).contains(&row) && c.row >= rows.start);
            let (span, merge, cell) = match covering {
                Some(c) if c.row == row => (c.cols, if c.rows > 1 { Some("restart") } else { None }, Some(c)),
                Some(c) => (c.cols, Some("continue"), None),
                None => (1, None, None),
            };
            let width: u32 = twips[col..(col + span).min(twips.len())].iter().sum();
            out.push_str(&format!(r#"<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>"#));
            if span > 1 {
                out.push_str(&format!(r#"<w:gridSpan w:val="{span}"/>"#));
            }
            match merge {
                Some("restart") => out.push_str(r#"<w:vMerge w:val="restart"/>"#),
                Some(_) => out.push_str("<w:vMerge/>"),
                None => {}
            }
            if let Some([r, g, b]) = cell.and_then(|c| c.style.fill) {
                out.push_str(&format!(r#"<w:shd w:val="clear" w:color="auto" w:fill="{r:02X}{g:02X}{b:02X}"/>"#));
            }
            out.push_str(r#"<w:vAlign w:val="center"/></w:tcPr>"#);
            match cell {
                Some(cell) => paragraphs(cell, out),
                None => out.push_str("<w:p/>"),
            }
            out.push_str("</w:tc>");
            col += span.max(1);
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
}

/// A cell's text as paragraphs, one per printed line.
fn paragraphs(cell: &Cell, out: &mut String) {
    let jc = match cell.style.align {
        Align::Left => "left",
        Align::Center => "center",
        Align::Right => "right",
    };
    for line in cell.text.split('\n') {
        out.push_str(&format!(r#"<w:p><w:pPr><w:jc w:val="{jc}"/></w:pPr>"#));
        if !line.is_empty() {
            out.push_str(&format!(
                r#"<w:r>{}<w:t xml:space="preserve">{}</w:t></w:r>"#,
                run_props(&cell.style),
                escape(line)
            ));
        }
        out.push_str("</w:p>");
    }
}

fn run_props(style: &Style) -> String {
    let mut props = String::from("<w:rPr>");
    if !style.font.is_empty() {
        let f = escape(&style.font);
        props.push_str(&format!(r#"<w:rFonts w:ascii="{f}" w:hAnsi="{f}" w:eastAsia="{f}" w:cs="{f}"/>"#));
    }
    if style.bold {
        props.push_str("<w:b/>");
    }
    let half_points = (style.size * 2.0).round() as u32;
    props.push_str(&format!(r#"<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>"#));
    props
}

/// Text as XML character data (control characters XML forbids are dropped).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}
