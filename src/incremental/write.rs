//! Writing outputs atomically: a temporary file in the target folder, then a rename, so
//! an interrupted or failed build never leaves a truncated PDF and never replaces a good
//! one with a bad one.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// Largest existing output read back (to compare, or to hash for the manifest).
const MAX_OUTPUT_BYTES: u64 = 1024 * 1024 * 1024;

/// Writes `bytes` to `path` atomically, creating the folder if needed. An existing file
/// with the same bytes is left alone (so its modification time does not change). Only a
/// regular file (or a link, which is replaced, never followed) is replaced: a folder, a
/// named pipe or a device at `path` is refused with its reason, never read or renamed over.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    replaceable(path)?;
    if read_output(path).is_some_and(|old| old == bytes) {
        return Ok(());
    }
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let mut temp = tempfile::Builder::new().prefix(".jixiao-").suffix(".tmp").tempfile_in(dir)?;
    temp.write_all(bytes)?;
    // No fsync: the rename is what makes the replacement atomic for readers and for an
    // interrupted build; syncing every PDF would cost milliseconds each for protection
    // only against power loss, which a rebuild repairs.
    // Temporary files are private (0600); an output is an ordinary readable file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(temp.path(), fs::Permissions::from_mode(0o644))?;
    }
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// `Ok` when nothing is at `path`, or a regular file or a link that may be replaced.
pub fn replaceable(path: &Path) -> io::Result<()> {
    let Ok(meta) = fs::symlink_metadata(path) else { return Ok(()) };
    let kind = meta.file_type();
    if kind.is_file() || kind.is_symlink() {
        return Ok(());
    }
    let what = if kind.is_dir() { "是一个目录" } else { "是命名管道、设备或套接字" };
    Err(crate::text::explained(format!("{what}，不是普通文件；没有写入，也没有替换它")))
}

/// The bytes of an existing output: a regular file itself (not through a link), read
/// without waiting and within a bound; `None` for anything else.
pub fn read_output(path: &Path) -> Option<Vec<u8>> {
    let meta = fs::symlink_metadata(path).ok()?;
    if !meta.file_type().is_file() || meta.len() > MAX_OUTPUT_BYTES {
        return None;
    }
    crate::files::read_regular(path, MAX_OUTPUT_BYTES).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_files_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/a.pdf");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let leftovers = fs::read_dir(dir.path().join("sub")).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file left behind");
    }

    #[cfg(unix)]
    #[test]
    fn never_reads_or_replaces_what_is_not_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("a.pdf");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        let error = write_atomic(&fifo, b"pdf").unwrap_err();
        assert!(crate::text::io_reason(&error).contains("命名管道"), "{error}");
        use std::os::unix::fs::FileTypeExt;
        assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo(), "left as it was");
        fs::create_dir(dir.path().join("b.pdf")).unwrap();
        assert!(write_atomic(&dir.path().join("b.pdf"), b"pdf").is_err());
        // A link is replaced by the file, its target left alone.
        let target = dir.path().join("target");
        fs::write(&target, b"keep").unwrap();
        std::os::unix::fs::symlink(&target, dir.path().join("c.pdf")).unwrap();
        write_atomic(&dir.path().join("c.pdf"), b"pdf").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"keep");
        assert_eq!(fs::read(dir.path().join("c.pdf")).unwrap(), b"pdf");
    }
}
