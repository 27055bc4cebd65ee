//! Office files: the printed grid written as an Excel workbook ([`xlsx`]) or a Word
//! document ([`docx`]), and office files read back as grids of cells ([`read`]) for
//! `jixiao import`. Nothing here knows Typst: the grid comes from [`crate::grid`].

pub mod docx;
pub mod read;
pub mod xlsx;

/// A fixed date for the files' own properties (a date in the file would change on every
/// build): the spec's 编制日期 when it has one.
pub type FileDate = Option<(i32, u8, u8)>;
