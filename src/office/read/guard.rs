//! What is checked before a file is read: its size, what it really is (by its bytes, not
//! its name), whether it is encrypted, carries macros, is cut short, or inflates to far
//! more than it holds (a zip bomb). Every zip entry is inflated once here with a budget,
//! so no later reading can take more time or memory than the budget allows.

use std::io::{Cursor, Read};
use std::path::Path;

use super::Problem;

/// The largest file imported (an office's table file is well under 1 MB; a workbook of a
/// thousand projects a few MB).
pub const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;
/// The most a file's zip entries may inflate to, together.
pub const MAX_INFLATED_BYTES: u64 = 256 * 1024 * 1024;
/// The most entries a zip may hold.
pub const MAX_ENTRIES: usize = 10_000;

/// What a file is, by its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An Excel workbook (.xlsx zip or .xls compound file).
    Spreadsheet,
    /// A Word document (.docx).
    Word,
}

const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The file's bytes, when it is a regular file within [`MAX_FILE_BYTES`].
pub fn read_bounded(path: &Path, name: &str) -> Result<Vec<u8>, Problem> {
    let meta = std::fs::metadata(path).map_err(|e| {
        Problem::error(name, format!("无法读取文件：{}", crate::text::io_reason(&e))).with_hint("请检查文件名和路径")
    })?;
    if !meta.is_file() {
        return Err(Problem::error(name, "这不是一个文件"));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Problem::error(
            name,
            format!("文件有 {:.1} MB，超过导入的上限 {} MB", meta.len() as f64 / 1048576.0, MAX_FILE_BYTES / 1048576),
        )
        .with_hint("一个部门的表格文件通常不到 1 MB；请只保留要导入的工作表，或把图片、附件删掉后另存"));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| Problem::error(name, format!("无法读取文件：{}", crate::text::io_reason(&e))))?;
    Ok(bytes)
}

/// What the bytes are, or why they cannot be imported.
pub fn inspect(bytes: &[u8], name: &str) -> Result<Kind, Problem> {
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_lowercase()).unwrap_or_default();
    if bytes.starts_with(CFB_MAGIC) {
        if contains_utf16(bytes, "EncryptionInfo") || contains_utf16(bytes, "EncryptedPackage") {
            return Err(password(name));
        }
        if contains_utf16(bytes, "WordDocument") {
            return Err(Problem::error(name, "这是旧版 Word（.doc）文件，jixiao 读取 .docx")
                .with_hint("在 Word 或 WPS 中打开，「另存为」Word 文档（*.docx）后再导入"));
        }
        if contains_utf16(bytes, "_VBA_PROJECT") || contains_utf16(bytes, "VBA") && contains_utf16(bytes, "dir") {
            return Err(macros(name));
        }
        return Ok(Kind::Spreadsheet);
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_lowercase();
        let hint = if head.contains("<html") || head.contains("<table") {
            "这是网页（HTML）格式的表格（有些系统导出的 .xls 就是这样）：在 Excel 中打开，另存为 Excel 工作簿（*.xlsx）后再导入"
        } else {
            "jixiao 导入 Excel 工作簿（.xlsx、.xls）和 Word 文档（.docx）"
        };
        return Err(Problem::error(name, format!("不是 Excel 或 Word 文件（扩展名 .{extension}）")).with_hint(hint));
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| truncated(name))?;
    if zip.len() > MAX_ENTRIES {
        return Err(bomb(name));
    }
    let (mut word, mut sheet) = (false, false);
    let mut budget = MAX_INFLATED_BYTES;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|_| truncated(name))?;
        let entry_name = entry.name().map_err(|_| truncated(name))?.to_string();
        if entry_name.to_lowercase().contains("vbaproject.bin") {
            return Err(macros(name));
        }
        if entry_name.starts_with("EncryptedPackage") {
            return Err(password(name));
        }
        word |= entry_name == "word/document.xml";
        sheet |= entry_name == "xl/workbook.xml";
        if entry.size() > budget {
            return Err(bomb(name));
        }
        // Inflate it, counting: declared sizes may lie.
        let read =
            std::io::copy(&mut (&mut entry).take(budget + 1), &mut std::io::sink()).map_err(|_| truncated(name))?;
        if read > budget {
            return Err(bomb(name));
        }
        budget -= read;
    }
    match (sheet, word) {
        (true, _) => Ok(Kind::Spreadsheet),
        (_, true) => Ok(Kind::Word),
        _ => Err(Problem::error(name, "这个压缩文件既不是 Excel 工作簿也不是 Word 文档")
            .with_hint("jixiao 导入 Excel 工作簿（.xlsx、.xls）和 Word 文档（.docx）")),
    }
}

fn contains_utf16(bytes: &[u8], text: &str) -> bool {
    let needle: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.windows(needle.len()).any(|w| w == needle.as_slice())
}

fn password(name: &str) -> Problem {
    Problem::error(name, "文件设有打开密码（已加密），无法读取")
        .with_hint("在 Excel、Word 或 WPS 中输入密码打开，「另存为」一个不设密码的副本后再导入")
}

fn macros(name: &str) -> Problem {
    Problem::error(name, "文件含有宏（VBA 代码），jixiao 不导入含宏的文件")
        .with_hint("宏不会被运行；请在 Excel 或 Word 中「另存为」不含宏的 .xlsx 或 .docx 后再导入")
}

fn truncated(name: &str) -> Problem {
    Problem::error(name, "文件不完整或已损坏，无法打开")
        .with_hint("多为下载或复制时中断；请重新下载或复制一份，能在 Excel 或 Word 中打开后再导入")
}

fn bomb(name: &str) -> Problem {
    Problem::error(name, format!("文件解压后超过 {} MB 或条目过多，不像正常的表格文件", MAX_INFLATED_BYTES / 1048576))
        .with_hint("这可能是损坏或恶意构造的文件；请向发来文件的单位要一份正常保存的表格")
}
