//! Word documents (.docx) as one [`RawTable`]: the body's paragraphs (a row of one cell
//! each) and every table's rows in order, with `gridSpan` and `vMerge` as merges. A
//! table inside a cell gives its text to that cell.

use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};

use super::{Problem, RawCell, RawTable};

/// The body of the Word document `bytes`.
pub fn read(bytes: &[u8], name: &str) -> Result<Vec<RawTable>, Problem> {
    let broken = |what: String| {
        Problem::error(name, format!("无法读取 Word 文档（{what}）"))
            .with_hint("请在 Word 或 WPS 中打开它，确认能正常显示后另存为 .docx 再导入")
    };
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| broken(e.to_string()))?;
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .map_err(|e| broken(e.to_string()))?
        .read_to_string(&mut xml)
        .map_err(|e| broken(e.to_string()))?;
    let mut body = Body { table: RawTable { file: name.to_string(), ..RawTable::default() }, ..Body::default() };
    let mut reader = quick_xml::Reader::from_str(&xml);
    loop {
        match reader.read_event().map_err(|e| broken(e.to_string()))? {
            Event::Start(e) => body.start(&e, false),
            Event::Empty(e) => body.start(&e, true),
            Event::End(e) => body.end(e.local_name().as_ref()),
            Event::Text(t) if body.in_text => body.text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if body.in_text => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => match &*r.xml10_content() {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    },
                };
                body.text.extend(c);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    body.table.cells.sort_by_key(|c| (c.row, c.col));
    Ok(vec![body.table])
}

/// The state of the walk through `w:body`.
#[derive(Default)]
struct Body {
    table: RawTable,
    /// Tables open (1 inside a body-level table, 2 inside a nested one).
    depth: usize,
    /// Body-level tables seen.
    tables: usize,
    /// The current row of the current table (from 1).
    table_row: usize,
    /// The next grid column of the current row.
    col: usize,
    /// The current cell's span and vertical merge.
    span: usize,
    merge: Option<bool>,
    /// Text of the current paragraph or cell.
    text: String,
    in_text: bool,
}

impl Body {
    fn start(&mut self, e: &BytesStart, empty: bool) {
        let attr = |key: &str| {
            e.attributes().flatten().find(|a| a.key.local_name().as_ref() == key).map(|a| a.value.into_owned())
        };
        match e.local_name().as_ref() {
            "tbl" => {
                self.depth += 1;
                if self.depth == 1 {
                    self.tables += 1;
                    self.table_row = 0;
                }
            }
            "tr" if self.depth == 1 => {
                self.table_row += 1;
                self.col = 0;
                self.table.word_rows.push((self.tables, self.table_row));
            }
            "tc" if self.depth == 1 => {
                self.span = 1;
                self.merge = None;
                self.text.clear();
            }
            "gridSpan" if self.depth == 1 => self.span = attr("val").and_then(|v| v.parse().ok()).unwrap_or(1).max(1),
            "gridBefore" if self.depth == 1 => self.col += attr("val").and_then(|v| v.parse().ok()).unwrap_or(0),
            "vMerge" if self.depth == 1 => self.merge = Some(attr("val").as_deref() == Some("restart")),
            "t" if !empty => self.in_text = true,
            "tab" => self.text.push(' '),
            "br" | "cr" => self.text.push('\n'),
            "p" if self.depth == 0 && !empty => self.text.clear(),
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        match name {
            "t" => self.in_text = false,
            "p" if self.depth == 0 => {
                let text = std::mem::take(&mut self.text).trim().to_string();
                if !text.is_empty() {
                    self.table.word_rows.push((0, 0));
                    let row = self.table.word_rows.len() - 1;
                    self.table.cells.push(RawCell { row, col: 0, rows: 1, cols: 1, text, formula: None });
                }
            }
            "p" if !self.text.ends_with('\n') => self.text.push('\n'),
            "tc" if self.depth == 1 => {
                let row = self.table.word_rows.len() - 1;
                let text = std::mem::take(&mut self.text).trim().to_string();
                let col = self.col;
                self.col += self.span;
                if self.merge == Some(false) {
                    // Continues the cell above that starts in this column.
                    if let Some(above) =
                        self.table.cells.iter_mut().rev().find(|c| c.col == col && c.row + c.rows == row && c.row < row)
                    {
                        above.rows += 1;
                        return;
                    }
                }
                self.table.cells.push(RawCell { row, col, rows: 1, cols: self.span, text, formula: None });
            }
            "tbl" => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
    }
}
