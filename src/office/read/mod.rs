//! Office files read as grids of cells for `jixiao import`: every sheet of an Excel
//! workbook (.xlsx, .xls) and the body of a Word document (.docx, its paragraphs and
//! tables in order), each cell with its merge and its position to name in messages
//! (`甲.xlsx!Sheet1!C7`, `乙.docx 表格 2 第 3 行第 2 列`).
//!
//! Files are data: nothing in them is run (formulas are read as their saved values, or
//! reported; files with macros are refused). [`guard`] bounds what is read first.

pub mod docx;
pub mod guard;
pub mod xlsx;

use std::path::Path;

/// A problem with a file, in Chinese, located when it can be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where (`甲.xlsx!Sheet1!C7`, or the file).
    pub place: String,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub hint: Option<String>,
    /// Whether it stops the file (an error) or only says something was left out.
    pub is_error: bool,
}

impl Problem {
    /// An error at `place`.
    pub fn error(place: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem { place: place.into(), message: message.into(), hint: None, is_error: true }
    }

    /// A warning at `place`.
    pub fn warning(place: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem { place: place.into(), message: message.into(), hint: None, is_error: false }
    }

    /// The same with a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Problem {
        self.hint = Some(hint.into());
        self
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = if self.is_error { "错误" } else { "警告" };
        write!(f, "{kind}: {}：{}", self.place, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  = 提示：{hint}")?;
        }
        Ok(())
    }
}

/// One cell as read (a merged region when it spans several rows or columns).
#[derive(Debug, Clone, PartialEq)]
pub struct RawCell {
    /// First row (0-based).
    pub row: usize,
    /// First column (0-based).
    pub col: usize,
    /// Rows spanned.
    pub rows: usize,
    /// Columns spanned.
    pub cols: usize,
    /// Its text (a number as its shortest decimal form).
    pub text: String,
    /// Its formula, when it has one and no saved value.
    pub formula: Option<String>,
}

/// A sheet, or a Word document's body, as cells.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawTable {
    /// The file's name as shown in messages.
    pub file: String,
    /// The sheet's name (empty for a Word document).
    pub name: String,
    /// Where each row came from in a Word document (table number from 1 and its row from
    /// 1, or 0 for a paragraph); empty for a sheet.
    pub word_rows: Vec<(usize, usize)>,
    /// The cells, by row then column.
    pub cells: Vec<RawCell>,
}

impl RawTable {
    /// Where a cell is, for messages: `甲.xlsx!Sheet1!C7`, or
    /// `乙.docx 表格 2 第 3 行第 2 列` (a paragraph: `乙.docx 第 5 段`).
    pub fn locate(&self, row: usize, col: usize) -> String {
        match self.word_rows.get(row) {
            Some((0, _)) => format!("{} 正文第 {} 行", self.file, row + 1),
            Some((table, r)) => format!("{} 表格 {table} 第 {r} 行第 {} 列", self.file, col + 1),
            None => format!("{}!{}!{}{}", self.file, self.name, column_letters(col), row + 1),
        }
    }

    /// The cell starting at (`row`, `col`).
    pub fn at(&self, row: usize, col: usize) -> Option<&RawCell> {
        self.cells.iter().find(|c| c.row == row && c.col == col)
    }

    /// The number of rows.
    pub fn height(&self) -> usize {
        self.cells.iter().map(|c| c.row + c.rows).max().unwrap_or(0)
    }
}

/// A column's letters as spreadsheets name it (0 → A, 26 → AA).
pub fn column_letters(col: usize) -> String {
    let mut n = col + 1;
    let mut letters = Vec::new();
    while n > 0 {
        letters.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    letters.iter().rev().map(|&b| b as char).collect()
}

/// Every table of the file at `path` (.xlsx, .xlsm refused, .xls, .docx), or why not.
pub fn read(path: &Path) -> Result<Vec<RawTable>, Problem> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let bytes = guard::read_bounded(path, &name)?;
    let kind = guard::inspect(&bytes, &name)?;
    match kind {
        guard::Kind::Spreadsheet => xlsx::read(bytes, &name),
        guard::Kind::Word => docx::read(&bytes, &name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_as_spreadsheets_and_word_name_them() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(2), "C");
        assert_eq!(column_letters(26), "AA");
        let sheet = RawTable { file: "甲.xlsx".into(), name: "Sheet1".into(), ..RawTable::default() };
        assert_eq!(sheet.locate(6, 2), "甲.xlsx!Sheet1!C7");
        let word = RawTable { file: "乙.docx".into(), word_rows: vec![(0, 0), (2, 3)], ..RawTable::default() };
        assert_eq!(word.locate(1, 1), "乙.docx 表格 2 第 3 行第 2 列");
    }
}
