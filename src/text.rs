//! Small text helpers shared by messages and file names.

use std::io;

/// A Chinese reason for an I/O error. Never the English text of the system: that may
/// name a temporary file the user never asked for.
pub fn io_reason(error: &io::Error) -> String {
    use io::ErrorKind::*;
    if let Some(Explained(reason)) = error.get_ref().and_then(|e| e.downcast_ref::<Explained>()) {
        return reason.clone();
    }
    let reason = match error.kind() {
        NotFound => "文件或目录不存在",
        PermissionDenied => "没有访问权限",
        IsADirectory => "这是一个目录，不是文件",
        NotADirectory => "路径中有一项不是目录（是一个文件）",
        StorageFull => "磁盘已满",
        QuotaExceeded => "超出了磁盘配额",
        ReadOnlyFilesystem => "文件系统是只读的",
        FileTooLarge => "文件超过了系统允许的大小",
        InvalidFilename => "文件名无效或过长",
        AlreadyExists => "文件已存在",
        DirectoryNotEmpty => "目录不是空的",
        OutOfMemory => "内存不足",
        TimedOut => "操作超时",
        Interrupted => "操作被中断",
        WouldBlock | ResourceBusy => "文件正被其他程序占用",
        CrossesDevices => "不能跨磁盘移动文件",
        InvalidData => "文件内容无效",
        UnexpectedEof => "文件意外结束",
        AddrInUse => "端口已被占用",
        AddrNotAvailable => "这个地址在本机不可用",
        _ => {
            return match error.raw_os_error() {
                Some(code) => format!("系统错误（错误号 {code}）"),
                None => "系统错误".to_string(),
            };
        }
    };
    reason.to_string()
}

/// An I/O error whose reason jixiao itself states in Chinese (see [`explained`]).
#[derive(Debug)]
struct Explained(String);

impl std::fmt::Display for Explained {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Explained {}

/// An I/O error with a Chinese reason that [`io_reason`] gives as it is (instead of
/// 系统错误), e.g. "是一个命名管道（FIFO），不是普通文件".
pub fn explained(reason: impl Into<String>) -> io::Error {
    io::Error::other(Explained(reason.into()))
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

    #[test]
    fn explained_reasons_are_given_as_they_are() {
        assert_eq!(io_reason(&explained("不是普通文件")), "不是普通文件");
        assert_eq!(io_reason(&io::Error::other("English")), "系统错误");
    }
}
