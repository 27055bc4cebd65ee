//! What `watch` watches: the folders (watched anew when one is replaced by another at the
//! same path) and which changed paths count (specs, fonts; not editors' scratch files).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use notify::{RecursiveMode, Watcher};

use crate::workspace::real_path;

/// The folders being watched, each with the identity (device, inode) it had when its
/// watch was added.
#[derive(Default)]
pub(super) struct Watching(HashMap<PathBuf, Option<(u64, u64)>>);

impl Watching {
    /// Watches each folder of `wanted` not yet watched, or replaced since (a new folder at
    /// the same path), and drops the watches of folders that are gone.
    pub(super) fn update(
        &mut self,
        watcher: &mut impl Watcher,
        wanted: Vec<(PathBuf, RecursiveMode)>,
    ) -> Result<(), String> {
        for (dir, mode) in wanted {
            let now = identity(&dir);
            match self.0.get(&dir) {
                Some(seen) if *seen == now => continue,
                Some(_) => {
                    let _ = watcher.unwatch(&dir);
                }
                None => {}
            }
            if now.is_some() {
                watcher.watch(&dir, mode).map_err(|e| format!("无法监视 {}：{e}", dir.display()))?;
            }
            self.0.insert(dir, now);
        }
        Ok(())
    }
}

/// A folder's device and inode, when it exists.
fn identity(dir: &Path) -> Option<(u64, u64)> {
    let meta = std::fs::metadata(dir).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        meta.modified().ok().map(|t| (t.duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64), 0))
    }
}

/// A path made real where it exists (events name real paths; a removed file's folder is).
pub(super) fn real(path: &Path) -> PathBuf {
    real_path(path)
}

/// Whether a file is a spec file (`.yaml`, `.yml`).
pub(super) fn is_spec(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// Whether a file is a font file.
pub(super) fn is_font(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ["ttf", "otf", "ttc", "otc"].contains(&e.to_ascii_lowercase().as_str()))
}

/// Editors' and our own scratch files: hidden files (`.x.swp`, `.jixiao-*.tmp`), backups
/// (`x~`, `#x#`, `x.bak`), vim's write test `4913`, partial downloads.
pub fn is_scratch(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else { return true };
    let lower = name.to_ascii_lowercase();
    name.starts_with('.')
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        || [".swp", ".swo", ".swx", ".tmp", ".bak", ".crdownload", ".part"].iter().any(|e| lower.ends_with(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scratch_files_are_ignored() {
        for name in [".131003001.yaml.swp", "131003001.yaml~", "#131003001.yaml#", "4913", ".jixiao-x.tmp", "a.bak"] {
            assert!(is_scratch(Path::new(name)), "{name}");
        }
        assert!(!is_scratch(Path::new("specs/2024/projects/131003001.yaml")));
    }
}
