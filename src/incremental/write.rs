//! Writing outputs atomically: a temporary file in the target folder, then a rename, so
//! an interrupted or failed build never leaves a truncated PDF and never replaces a good
//! one with a bad one.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// Writes `bytes` to `path` atomically, creating the folder if needed. An existing file
/// with the same bytes is left alone (so its modification time does not change).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if fs::read(path).is_ok_and(|old| old == bytes) {
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
}
