//! Small text helpers shared by messages and file names.

use std::io;

/// A Chinese reason for an I/O error.
pub fn io_reason(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => "文件或目录不存在".into(),
        io::ErrorKind::PermissionDenied => "没有访问权限".into(),
        io::ErrorKind::IsADirectory => "这是一个目录，不是文件".into(),
        io::ErrorKind::StorageFull => "磁盘已满".into(),
        _ => format!("{error}"),
    }
}

/// Fills `{name}` placeholders in a form pattern; unknown placeholders stay as written.
pub fn fill(pattern: &str, values: &[(&str, &str)]) -> String {
    let mut out = pattern.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// A file name made safe for every common file system: path separators, reserved and
/// control characters become `_`; surrounding dots and spaces are trimmed.
pub fn file_name_safe(name: &str) -> String {
    let cleaned: String =
        name.chars()
            .map(|c| {
                if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() {
                    '_'
                } else {
                    c
                }
            })
            .collect();
    cleaned.trim_matches(|c: char| c == '.' || c.is_whitespace()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_and_sanitises() {
        assert_eq!(fill("{year}年度{x}", &[("year", "2024")]), "2024年度{x}");
        assert_eq!(file_name_safe("a/b:c（含保安）."), "a_b_c（含保安）");
    }
}
