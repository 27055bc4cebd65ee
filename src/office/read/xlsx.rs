//! Excel workbooks (.xlsx, .xls) as [`RawTable`]s, one per sheet, through calamine:
//! values as saved (numbers in their shortest form, dates as `2025-03` or `2025-03-15`),
//! merged regions, and formulas that have no saved value (reported by the importer,
//! never evaluated).

use std::io::Cursor;

use calamine::{Data, Dimensions, Range, Reader, Xls, Xlsx};

use super::{Problem, RawCell, RawTable};
use crate::grid::number::shortest;

/// The most rows a sheet may have.
pub const MAX_ROWS: usize = 50_000;
/// The most columns a sheet may have.
pub const MAX_COLUMNS: usize = 200;

/// Every sheet of a workbook.
pub fn read(bytes: Vec<u8>, name: &str) -> Result<Vec<RawTable>, Problem> {
    let broken = |e: String| {
        Problem::error(name, format!("无法读取工作簿（{e}）"))
            .with_hint("请在 Excel 或 WPS 中打开它，确认能正常显示后另存为 .xlsx 再导入")
    };
    if bytes.starts_with(b"PK") {
        let mut book = Xlsx::new(Cursor::new(bytes)).map_err(|e| broken(e.to_string()))?;
        let mut tables = Vec::new();
        for sheet in book.sheet_names() {
            let merges = book.merge_cells_by_sheet_name(&sheet).unwrap_or_default();
            tables.push(table(&mut book, name, &sheet, &merges)?);
        }
        Ok(tables)
    } else {
        let mut book = match Xls::new(Cursor::new(bytes)) {
            Ok(book) => book,
            Err(calamine::XlsError::Password) => {
                return Err(Problem::error(name, "工作簿设有密码，无法读取")
                    .with_hint("在 Excel 或 WPS 中输入密码打开，「另存为」一个不设密码的副本后再导入"));
            }
            Err(e) => return Err(broken(e.to_string())),
        };
        let mut tables = Vec::new();
        for sheet in book.sheet_names() {
            let merges = book.merge_cells_by_sheet_name(&sheet).unwrap_or_default();
            tables.push(table(&mut book, name, &sheet, &merges)?);
        }
        Ok(tables)
    }
}

fn table<RS, R>(book: &mut R, file: &str, sheet: &str, merges: &[Dimensions]) -> Result<RawTable, Problem>
where
    RS: std::io::Read + std::io::Seek,
    R: Reader<RS>,
    R::Error: std::fmt::Display,
{
    let place = format!("{file}!{sheet}");
    let values: Range<Data> =
        book.worksheet_range(sheet).map_err(|e| Problem::error(&place, format!("无法读取这张工作表（{e}）")))?;
    if values.height() > MAX_ROWS || values.width() > MAX_COLUMNS {
        return Err(Problem::error(
            &place,
            format!(
                "工作表有 {} 行 {} 列，超过导入的上限（{MAX_ROWS} 行、{MAX_COLUMNS} 列）",
                values.height(),
                values.width()
            ),
        )
        .with_hint(
            "多为整列或整行被设了格式、或粘贴时带进了大量空行；请删去表格以外的行列后另存，或只导入需要的工作表",
        ));
    }
    let formulas: Option<Range<String>> = book.worksheet_formula(sheet).ok();
    let mut cells = Vec::new();
    for (row, col, value) in values.used_cells() {
        let (row, col) =
            (row + values.start().map_or(0, |s| s.0 as usize), col + values.start().map_or(0, |s| s.1 as usize));
        let text = text_of(value);
        cells.push(RawCell { row, col, rows: 1, cols: 1, text, formula: None });
    }
    // Formulas without a saved value: kept so the importer can name them.
    if let Some(formulas) = &formulas {
        let start = formulas.start().unwrap_or((0, 0));
        for (row, col, formula) in formulas.used_cells() {
            let (row, col) = (row + start.0 as usize, col + start.1 as usize);
            if formula.is_empty() {
                continue;
            }
            match cells.iter_mut().find(|c| c.row == row && c.col == col) {
                Some(cell) if !cell.text.is_empty() => {}
                Some(cell) => cell.formula = Some(formula.clone()),
                None => cells.push(RawCell {
                    row,
                    col,
                    rows: 1,
                    cols: 1,
                    text: String::new(),
                    formula: Some(formula.clone()),
                }),
            }
        }
    }
    for merge in merges {
        let (r0, c0) = (merge.start.0 as usize, merge.start.1 as usize);
        let (rows, cols) = ((merge.end.0 - merge.start.0) as usize + 1, (merge.end.1 - merge.start.1) as usize + 1);
        cells.retain(|c| {
            !((r0..r0 + rows).contains(&c.row) && (c0..c0 + cols).contains(&c.col)) || (c.row, c.col) == (r0, c0)
        });
        match cells.iter_mut().find(|c| (c.row, c.col) == (r0, c0)) {
            Some(cell) => (cell.rows, cell.cols) = (rows, cols),
            None => cells.push(RawCell { row: r0, col: c0, rows, cols, text: String::new(), formula: None }),
        }
    }
    cells.sort_by_key(|c| (c.row, c.col));
    Ok(RawTable { file: file.to_string(), name: sheet.to_string(), word_rows: Vec::new(), cells })
}

/// A value as text: numbers in their shortest form, dates as written by clerks.
fn text_of(value: &Data) -> String {
    match value {
        Data::Int(i) => i.to_string(),
        Data::Float(f) => shortest(as_displayed(*f)),
        Data::String(s) => s.clone(),
        Data::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        Data::DateTime(d) if d.is_datetime() => date_text(d.as_f64()),
        Data::DateTime(d) => shortest(d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
        Data::Empty => String::new(),
    }
}

/// A number as Excel displays it: to 15 significant digits (a sum saved as
/// `12.300000000000001` reads `12.3`).
fn as_displayed(number: f64) -> f64 {
    format!("{number:.14e}").parse().unwrap_or(number)
}

/// An Excel date serial as `2025-03` (the first of a month, as month-only dates are
/// stored) or `2025-03-15`.
fn date_text(serial: f64) -> String {
    // Days from 1899-12-30 (Excel's epoch with its 1900 leap-year bug folded in) to
    // 1970-01-01.
    let (year, month, day) = crate::value::civil_from_days(serial.floor() as i64 - 25_569);
    if day == 1 { format!("{year}-{month:02}") } else { format!("{year}-{month:02}-{day:02}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_excel_shows_them() {
        assert_eq!(shortest(as_displayed(12.1 + 0.2)), "12.3");
        assert_eq!(shortest(as_displayed(0.1 + 0.2)), "0.3");
        assert_eq!(shortest(as_displayed(25.0)), "25");
        assert_eq!(shortest(as_displayed(1234567.125)), "1234567.125");
    }

    #[test]
    fn excel_dates_read_as_clerks_write_them() {
        assert_eq!(date_text(45717.0), "2025-03");
        assert_eq!(date_text(45731.0), "2025-03-15");
    }
}
