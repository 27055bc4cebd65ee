//! Reading an input file safely: only a regular file inside its tree, of bounded size,
//! as UTF-8 text with one kind of line ending.
//!
//! Every spec and form file goes through [`read_input`]. A symlink may point anywhere
//! inside the tree (the year folder, or the form folder) but not out of it; FIFOs,
//! devices, folders, dangling links and link loops are refused before anything is
//! opened, so a FIFO cannot hang a build and `/etc/passwd` is never read, let alone
//! quoted in a message. The size limit holds while reading, not only by the metadata,
//! so a device or a file that grows cannot exhaust memory.

use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, rules};
use crate::text::io_reason;

/// What kind of thing stands at a path, when it is not a readable regular file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotAFile {
    /// Nothing is there.
    Missing,
    /// A folder.
    Directory,
    /// A named pipe (FIFO): reading it would wait forever.
    Fifo,
    /// A device or socket.
    Device,
    /// A symbolic link whose target does not exist.
    DanglingLink,
    /// Symbolic links that point at each other.
    LinkLoop,
    /// A symbolic link to a file outside the tree.
    LeavesTree,
}

impl NotAFile {
    /// A Chinese description, e.g. "是一个目录，不是文件".
    pub fn describe(self) -> &'static str {
        match self {
            NotAFile::Missing => "不存在",
            NotAFile::Directory => "是一个目录，不是文件",
            NotAFile::Fifo => "是一个命名管道（FIFO），不是普通文件，已拒绝读取",
            NotAFile::Device => "是一个设备或套接字，不是普通文件，已拒绝读取",
            NotAFile::DanglingLink => "是一个符号链接，但它指向的文件不存在",
            NotAFile::LinkLoop => "是互相指向的符号链接（循环），无法读取",
            NotAFile::LeavesTree => "是一个指向目录以外的符号链接，已拒绝读取（不会读取也不会显示其内容）",
        }
    }
}

/// Checks that `path` is a regular file whose real path lies inside `tree` (a canonical
/// folder), without opening it; returns the real path.
pub fn regular_file_in(path: &Path, tree: &Path) -> Result<PathBuf, NotAFile> {
    let link = fs::symlink_metadata(path).map_err(|_| NotAFile::Missing)?;
    // A regular file (not a link) named in the real folder itself is where it says.
    if link.file_type().is_file() && path.parent() == Some(tree) {
        return Ok(path.to_path_buf());
    }
    let real = match path.canonicalize() {
        Ok(real) => real,
        Err(e) if link.file_type().is_symlink() => {
            // `ELOOP` has no stable `ErrorKind`; a link whose target is missing gives NotFound.
            return Err(if e.kind() == io::ErrorKind::NotFound { NotAFile::DanglingLink } else { NotAFile::LinkLoop });
        }
        Err(_) => return Err(NotAFile::Missing),
    };
    // Also when a folder on the way is the link: what counts is where the bytes are.
    if !real.starts_with(tree) {
        return Err(NotAFile::LeavesTree);
    }
    let meta = fs::metadata(&real).map_err(|_| NotAFile::Missing)?;
    kind_of(&meta)?;
    Ok(real)
}

/// Why an input could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// Not a regular file inside the tree.
    NotAFile(NotAFile),
    /// Larger than allowed (the size seen, at least `limit + 1`).
    TooLarge(u64),
    /// Not UTF-8: where, and what it seems to be instead.
    NotUtf8(NotUtf8),
    /// The system refused.
    Io(io::Error),
}

impl ReadError {
    /// A short Chinese reason, e.g. "是一个命名管道（FIFO），不是普通文件，已拒绝读取".
    pub fn reason(&self) -> String {
        match self {
            ReadError::NotAFile(kind) => kind.describe().to_string(),
            ReadError::TooLarge(size) => format!("文件过大（{size} 字节）"),
            ReadError::NotUtf8(NotUtf8 { utf16: true, .. }) => "文件是 UTF-16 编码，不是 UTF-8".to_string(),
            ReadError::NotUtf8(NotUtf8 { line, .. }) => format!("文件不是 UTF-8 编码（第 {line} 行）"),
            ReadError::Io(e) => io_reason(e),
        }
    }

    /// The same as an I/O error that keeps the reason.
    pub fn into_io(self) -> io::Error {
        match self {
            ReadError::Io(e) => e,
            other => crate::text::explained(other.reason()),
        }
    }
}

/// Reads `path` (a regular file inside `tree`, at most `limit` bytes) as bytes.
pub fn read_bytes(path: &Path, tree: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let real = regular_file_in(path, tree).map_err(ReadError::NotAFile)?;
    read_opened(&real, limit)
}

/// Reads `path` as bytes when it is a regular file (a link to one is followed, wherever
/// it points) of at most `limit` bytes: for files named on the command line or handed
/// over by git (`textconv`), and the settings file. FIFOs and devices are refused as
/// [`read_bytes`] refuses them.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let meta = fs::metadata(path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound if fs::symlink_metadata(path).is_ok() => ReadError::NotAFile(NotAFile::DanglingLink),
        io::ErrorKind::NotFound => ReadError::NotAFile(NotAFile::Missing),
        _ => ReadError::Io(e),
    })?;
    kind_of(&meta).map_err(ReadError::NotAFile)?;
    read_opened(path, limit)
}

/// Opens `path` without waiting (a FIFO swapped in after the checks would otherwise block
/// the open itself), checks again on the open file that it is a regular file, and reads at
/// most `limit` bytes of it.
fn read_opened(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file: File = options.open(path).map_err(ReadError::Io)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    kind_of(&meta).map_err(ReadError::NotAFile)?;
    // Room for what the file says it holds (and the byte that tells the limit passed):
    // one read, not a dozen growing ones.
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len().min(limit)).unwrap_or(0).saturating_add(1));
    file.take(limit + 1).read_to_end(&mut bytes).map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        let size = fs::metadata(path).map(|m| m.len()).unwrap_or(0).max(limit + 1);
        return Err(ReadError::TooLarge(size));
    }
    Ok(bytes)
}

/// `Ok` for a regular file, else what it is.
fn kind_of(meta: &fs::Metadata) -> Result<(), NotAFile> {
    let kind = meta.file_type();
    if kind.is_file() {
        return Ok(());
    }
    if kind.is_dir() {
        return Err(NotAFile::Directory);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Err(NotAFile::Fifo);
        }
    }
    Err(NotAFile::Device)
}

/// Reads `path` (a regular file inside `tree`, at most `limit` bytes) as UTF-8 text.
/// Lone carriage returns (old Mac line endings) become line feeds, byte for byte, so
/// that lines are counted as every editor counts them.
pub fn read_input(path: &Path, tree: &Path, limit: u64) -> Result<String, ReadError> {
    let bytes = read_bytes(path, tree, limit)?;
    let text = utf8(bytes)?;
    Ok(normalise_line_endings(text))
}

/// [`read_regular`] as UTF-8 text with one kind of line ending, as [`read_input`] gives it.
pub fn read_regular_text(path: &Path, limit: u64) -> Result<String, ReadError> {
    Ok(normalise_line_endings(utf8(read_regular(path, limit)?)?))
}

/// Where a text is not UTF-8, and what it seems to be instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotUtf8 {
    /// The 1-based byte position of the first invalid byte.
    pub byte: usize,
    /// Its 1-based line.
    pub line: usize,
    /// Whether the bytes look like UTF-16 (Windows Notepad's "Unicode").
    pub utf16: bool,
}

/// Bytes as UTF-8 text, or where and why not.
pub fn utf8(bytes: Vec<u8>) -> Result<String, ReadError> {
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let valid = e.utf8_error().valid_up_to();
        let line = bytes[..valid].iter().filter(|b| **b == b'\n').count() + 1;
        let bom = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
        let zeros = bytes.iter().take(200).filter(|b| **b == 0).count();
        ReadError::NotUtf8(NotUtf8 { byte: valid + 1, line, utf16: bom || zeros > 20 })
    })
}

/// `\r` not followed by `\n` becomes `\n` (same length, so byte offsets stay valid).
pub fn normalise_line_endings(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            out[i] = b'\n';
        }
    }
    // Replacing one ASCII byte by another keeps the text valid UTF-8.
    String::from_utf8(out).unwrap_or(text)
}

/// A read problem as a located diagnostic about the whole file (E0107, E0108, E0109).
/// `what` names the kind of file for the size message (e.g. "规格文件").
pub fn read_error(path: &Path, error: ReadError, limit: u64, what: &str) -> Diagnostic {
    match error {
        ReadError::NotAFile(kind) => {
            let hint = match kind {
                NotAFile::LeavesTree => "输入文件必须放在本目录中；请把文件本身复制进来，不要用指向其他位置的链接",
                NotAFile::Fifo | NotAFile::Device => "请换成普通的文本文件",
                NotAFile::Directory => "此处应是一个文件；请检查名称是否写错",
                _ => "请检查文件是否存在、链接是否正确",
            };
            Diagnostic::new(&rules::E0109, path, None, format!("无法读取：{}", kind.describe())).with_hint(hint)
        }
        ReadError::TooLarge(size) => {
            Diagnostic::new(&rules::E0108, path, None, format!("文件过大（{size} 字节），{what}最大 {limit} 字节"))
                .with_hint("这里只应有文字数据；请检查是否误放了其他文件")
        }
        ReadError::NotUtf8(NotUtf8 { utf16: true, .. }) => {
            Diagnostic::new(&rules::E0107, path, None, "文件是 UTF-16 编码（Windows 记事本中叫“Unicode”），不是 UTF-8")
                .with_hint("请在编辑器中“另存为”，编码选择“UTF-8”")
        }
        ReadError::NotUtf8(NotUtf8 { byte, line, .. }) => Diagnostic::new(
            &rules::E0107,
            path,
            None,
            format!("文件不是 UTF-8 编码（第 {line} 行，第 {byte} 个字节处无效；多为 GBK/GB2312 编码）"),
        )
        .with_hint("请用 UTF-8 编码另存此文件（例如在编辑器中“另存为”，编码选择“UTF-8”）"),
        ReadError::Io(e) => Diagnostic::new(&rules::E0109, path, None, format!("无法读取文件：{}", io_reason(&e)))
            .with_hint("请检查文件的访问权限"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lone_carriage_returns_become_line_feeds() {
        assert_eq!(normalise_line_endings("a\rb\r\nc\r".into()), "a\nb\r\nc\n");
    }

    #[cfg(unix)]
    #[test]
    fn refuses_what_is_not_a_regular_file_in_the_tree() {
        use std::os::unix::fs::symlink;
        let outside = tempfile::tempdir().unwrap();
        let secret = outside.path().join("secret.txt");
        fs::write(&secret, "root:x:0:0").unwrap();
        let tree = tempfile::tempdir().unwrap();
        let root = tree.path().canonicalize().unwrap();
        fs::write(root.join("ok.yaml"), "a: 1\r").unwrap();
        symlink(root.join("ok.yaml"), root.join("inside.yaml")).unwrap();
        symlink(&secret, root.join("leak.yaml")).unwrap();
        symlink(root.join("gone.yaml"), root.join("dangling.yaml")).unwrap();
        symlink(root.join("loop.yaml"), root.join("loop.yaml")).unwrap();
        fs::create_dir(root.join("dir.yaml")).unwrap();
        let fifo = root.join("fifo.yaml");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        assert_eq!(read_input(&root.join("ok.yaml"), &root, 100).unwrap(), "a: 1\n");
        assert!(read_input(&root.join("inside.yaml"), &root, 100).is_ok(), "links inside the tree are fine");
        let refused = |name: &str| match read_input(&root.join(name), &root, 100) {
            Err(ReadError::NotAFile(kind)) => kind,
            other => panic!("{name}: {other:?}"),
        };
        assert_eq!(refused("leak.yaml"), NotAFile::LeavesTree);
        assert_eq!(refused("dangling.yaml"), NotAFile::DanglingLink);
        assert_eq!(refused("loop.yaml"), NotAFile::LinkLoop);
        assert_eq!(refused("dir.yaml"), NotAFile::Directory);
        assert_eq!(refused("fifo.yaml"), NotAFile::Fifo);
        assert!(matches!(read_input(&root.join("ok.yaml"), &root, 3), Err(ReadError::TooLarge(_))));
        symlink("/dev/zero", root.join("zero.yaml")).unwrap();
        assert_eq!(refused("zero.yaml"), NotAFile::LeavesTree);
    }
}
