//! A grid as an Excel worksheet: merged cells as printed, thin borders on table rows,
//! column widths in proportion to the PDF's, the print's fonts, sizes, weights and
//! alignment, row heights for the text, amounts as numbers in their printed format, A4
//! page setup (landscape where the form is). Workbooks are byte-reproducible: the zip
//! entries carry a fixed time and the document properties the spec's date.

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use super::FileDate;
use crate::grid::number::{as_number, format_of};
use crate::grid::{Align, Cell, Grid, RowKind};

/// Pixels per point at Excel's 96 dpi.
const PX_PER_PT: f64 = 96.0 / 72.0;

/// A new workbook whose properties carry `date` (or a fixed date).
pub fn workbook(date: FileDate) -> Workbook {
    let mut book = Workbook::new();
    let (y, m, d) = date.unwrap_or((2000, 1, 1));
    let date = ExcelDateTime::from_ymd(y.clamp(1900, 9999) as u16, m, d)
        .or_else(|_| ExcelDateTime::from_ymd(2000, 1, 1))
        .expect("a valid constant date");
    book.set_properties(&DocProperties::new().set_creation_datetime(&date));
    book
}

/// One grid as a workbook of one sheet named `sheet`.
pub fn grid_workbook(grid: &Grid, sheet: &str, date: FileDate) -> Result<Vec<u8>, XlsxError> {
    let mut book = workbook(date);
    write_grid(book.add_worksheet(), sheet, grid)?;
    book.save_to_buffer()
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
pub fn sheet_name(name: &str) -> String {
    let clean: String =
        name.chars().map(|c| if "[]:*?/\\".contains(c) { '_' } else { c }).filter(|c| !c.is_control()).collect();
    let clean = clean.trim_matches('\'').to_string();
    let short: String = clean.chars().take(31).collect();
    if short.is_empty() { "Sheet".to_string() } else { short }
}

/// Writes `grid` into `sheet` as printed.
pub fn write_grid(sheet: &mut Worksheet, name: &str, grid: &Grid) -> Result<(), XlsxError> {
    sheet.set_name(sheet_name(name))?;
    sheet.set_paper_size(9);
    if grid.landscape {
        sheet.set_landscape();
    }
    sheet.set_margins(0.79, 0.79, 0.87, 0.94, 0.3, 0.3);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_screen_gridlines(false);
    for (col, _) in grid.columns.iter().enumerate() {
        sheet.set_column_width_pixels(col as u16, (grid.column_pt(col) * PX_PER_PT).round().max(4.0) as u32)?;
    }
    for (row, _) in grid.rows.iter().enumerate() {
        sheet.set_row_height(row as u32, grid.row_height_pt(row).min(409.0))?;
    }
    for cell in &grid.cells {
        let ruled = matches!(grid.rows.get(cell.row), Some(RowKind::Table(_)));
        write_cell(sheet, cell, ruled)?;
    }
    // Positions of ruled rows no cell covers still print their borders.
    let border = Format::new().set_border(FormatBorder::Thin);
    for (row, kind) in grid.rows.iter().enumerate() {
        if !matches!(kind, RowKind::Table(_)) {
            continue;
        }
        for col in 0..grid.columns.len() {
            if !grid.cells.iter().any(|c| covers(c, row, col)) {
                sheet.write_blank(row as u32, col as u16, &border)?;
            }
        }
    }
    Ok(())
}

/// The flat indicator sheet: a bold header row, frozen, with a filter; texts as written.
pub fn write_flat(sheet: &mut Worksheet, flat: &crate::grid::flat::Flat) -> Result<(), XlsxError> {
    sheet.set_name(crate::grid::flat::FLAT_SHEET)?;
    let header = Format::new().set_bold().set_border(FormatBorder::Thin).set_text_wrap();
    let body = Format::new().set_border(FormatBorder::Thin).set_text_wrap().set_align(FormatAlign::VerticalCenter);
    for (col, (label, _)) in flat.columns.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, label, &header)?;
        let widest = flat.rows.iter().map(|r| r[col].chars().count()).chain([label.chars().count()]).max().unwrap_or(4);
        sheet.set_column_width(col as u16, (widest as f64 * 2.0 + 2.0).clamp(6.0, 50.0))?;
    }
    for (r, row) in flat.rows.iter().enumerate() {
        for (col, text) in row.iter().enumerate() {
            sheet.write_string_with_format(r as u32 + 1, col as u16, text, &body)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    if !flat.columns.is_empty() {
        sheet.autofilter(0, 0, flat.rows.len() as u32, flat.columns.len() as u16 - 1)?;
    }
    Ok(())
}

/// Whether `cell` covers the position (`row`, `col`).
pub fn covers(cell: &Cell, row: usize, col: usize) -> bool {
    (cell.row..cell.row + cell.rows).contains(&row) && (cell.col..cell.col + cell.cols).contains(&col)
}

fn write_cell(sheet: &mut Worksheet, cell: &Cell, ruled: bool) -> Result<(), XlsxError> {
    let style = &cell.style;
    let mut format = Format::new()
        .set_font_size(style.size.max(1.0))
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter)
        .set_align(match style.align {
            Align::Left => FormatAlign::Left,
            Align::Center => FormatAlign::Center,
            Align::Right => FormatAlign::Right,
        });
    if !style.font.is_empty() {
        format = format.set_font_name(&style.font);
    }
    if style.bold {
        format = format.set_bold();
    }
    if ruled {
        format = format.set_border(FormatBorder::Thin);
    }
    if let Some([r, g, b]) = style.fill {
        format = format.set_background_color(rust_xlsxwriter::Color::RGB(u32::from_be_bytes([0, r, g, b])));
    }
    let number = as_number(&cell.text);
    if number.is_some() {
        format = format.set_num_format(format_of(&cell.text));
    }
    let (r, c) = (cell.row as u32, cell.col as u16);
    if cell.rows > 1 || cell.cols > 1 {
        let (r2, c2) = (r + cell.rows as u32 - 1, c + cell.cols as u16 - 1);
        sheet.merge_range(r, c, r2, c2, if number.is_some() { "" } else { &cell.text }, &format)?;
    }
    match number {
        Some(n) => sheet.write_number_with_format(r, c, n, &format)?,
        None if cell.rows == 1 && cell.cols == 1 => sheet.write_string_with_format(r, c, &cell.text, &format)?,
        None => sheet,
    };
    Ok(())
}
