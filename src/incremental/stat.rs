//! Input files trusted by what the file system says of them, as git's index trusts a
//! working tree: a file whose size, change and modification times, inode and device are
//! what they were when its content was hashed still has that content. A change made too
//! close to the moment its folder was looked at may not show in its times (a coarse clock,
//! a file system that keeps seconds): such a file is "racy" and is read again.
//!
//! Only regular files are trusted this way (the entry itself, a link is never followed),
//! and only on systems that give inode numbers (elsewhere every file is read).

#[cfg(test)]
use std::path::Path;

use serde::{Deserialize, Serialize};

/// Changes closer than this to the moment a folder was looked at are not told apart by
/// time stamps on every file system (FAT keeps two seconds; a kernel's coarse clock lags
/// by milliseconds).
const RACY_NS: i64 = 2_000_000_000;

/// What the file system says of a regular file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stat {
    /// Size in bytes.
    size: u64,
    /// Modification time, nanoseconds since the epoch.
    mtime: i64,
    /// Status change time (set by the system on every write, rename or `touch`).
    ctime: i64,
    /// Inode number.
    ino: u64,
    /// Device.
    dev: u64,
}

impl Stat {
    /// The stat of the entry at `path` itself (a link is not followed); `None` unless it
    /// is a regular file on a system with inode numbers.
    #[cfg(test)]
    fn of(path: &Path) -> Option<Stat> {
        Stat::from(&std::fs::symlink_metadata(path).ok()?)
    }

    /// The stat of a folder's entry as its listing gives it (no path is looked up again;
    /// a link is not followed); `None` unless it is a regular file on a system with inode
    /// numbers.
    pub fn of_entry(entry: &std::fs::DirEntry) -> Option<Stat> {
        if !entry.file_type().ok()?.is_file() {
            return None;
        }
        Stat::from(&entry.metadata().ok()?)
    }

    /// The stat of a regular file's metadata (of the entry itself, not a link's target).
    fn from(meta: &std::fs::Metadata) -> Option<Stat> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let nanos = |seconds: i64, nanos: i64| seconds.saturating_mul(1_000_000_000).saturating_add(nanos);
            meta.file_type().is_file().then(|| Stat {
                size: meta.size(),
                mtime: nanos(meta.mtime(), meta.mtime_nsec()),
                ctime: nanos(meta.ctime(), meta.ctime_nsec()),
                ino: meta.ino(),
                dev: meta.dev(),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            None
        }
    }

    /// Whether the file was last changed well before `looked` (nanoseconds since the
    /// epoch), so that any change after `looked` shows in its times.
    pub fn settled_before(&self, looked: i64) -> bool {
        self.mtime.max(self.ctime) < looked.saturating_sub(RACY_NS)
    }
}

/// Now, in nanoseconds since the epoch (the clock file times are set from).
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_rewrite_shows_and_a_fresh_file_is_racy() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        std::fs::write(&path, "name: 一\n").unwrap();
        let first = Stat::of(&path).unwrap();
        assert!(!first.settled_before(now()), "just written: racy");
        assert!(first.settled_before(now() + 3 * RACY_NS));
        // Same size, replaced by another file (a save through a temporary file).
        let other = dir.path().join("b.yaml");
        std::fs::write(&other, "name: 二\n").unwrap();
        std::fs::rename(&other, &path).unwrap();
        assert_ne!(Stat::of(&path), Some(first));
        // Links, folders and pipes are never trusted by their stat.
        std::os::unix::fs::symlink(&path, dir.path().join("c.yaml")).unwrap();
        assert_eq!(Stat::of(&dir.path().join("c.yaml")), None);
        assert_eq!(Stat::of(dir.path()), None);
    }
}
