//! One build at a time per output folder, and no leftovers from interrupted ones.
//!
//! A build takes an exclusive lock on `<folder>/.jixiao-lock` for as long as it writes
//! there; a second build that finds the folder locked is refused with a clear message
//! instead of waiting (two processes taking their years in different orders could
//! otherwise wait for each other forever). Holding the lock, it removes the temporary
//! files (`.jixiao-*.tmp`) a killed build may have left: no other build can be writing
//! them. The lock is released when the process ends, however it ends.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io;
use std::path::Path;

/// The lock file's name inside an output folder.
pub const LOCK_FILE: &str = ".jixiao-lock";

/// A held lock on an output folder.
#[derive(Debug)]
pub struct FolderLock {
    _file: File,
}

/// Why a folder could not be locked.
#[derive(Debug)]
pub enum LockError {
    /// Another process holds it.
    Busy,
    /// The lock file is a folder, a link or another special file.
    NotAFile,
    /// The system refused.
    Io(io::Error),
}

impl FolderLock {
    /// Creates `dir` if needed, locks it and removes stale temporary files.
    pub fn acquire(dir: &Path) -> Result<FolderLock, LockError> {
        fs::create_dir_all(dir).map_err(LockError::Io)?;
        let path = dir.join(LOCK_FILE);
        if fs::symlink_metadata(&path).is_ok_and(|m| !m.file_type().is_file()) {
            return Err(LockError::NotAFile);
        }
        let file = OpenOptions::new().create(true).truncate(false).write(true).open(&path).map_err(LockError::Io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => return Err(LockError::Busy),
            Err(TryLockError::Error(e)) => return Err(LockError::Io(e)),
        }
        remove_stale_temporaries(dir);
        Ok(FolderLock { _file: file })
    }
}

/// Removes `.jixiao-*.tmp` regular files (never links or folders) from `dir`.
fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if name.starts_with(".jixiao-") && name.ends_with(".tmp") && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_holder_at_a_time_and_leftovers_removed() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(".jixiao-abc123.tmp"), b"").unwrap();
        fs::write(dir.path().join("keep.tmp"), b"not ours").unwrap();
        let held = FolderLock::acquire(dir.path()).unwrap();
        assert!(!dir.path().join(".jixiao-abc123.tmp").exists(), "a killed build's temporary file is gone");
        assert!(dir.path().join("keep.tmp").exists());
        assert!(matches!(FolderLock::acquire(dir.path()), Err(LockError::Busy)));
        drop(held);
        // Another test of this process may be starting a child (git) right now: between
        // fork and exec the child shares every open file, this lock's too, so it can
        // outlive the drop by the moment the child takes to exec.
        let again = (0..500).find_map(|_| {
            FolderLock::acquire(dir.path()).ok().or_else(|| {
                std::thread::sleep(std::time::Duration::from_millis(10));
                None
            })
        });
        assert!(again.is_some(), "released when dropped");
    }
}
