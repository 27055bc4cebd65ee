//! Where spec files come from: the working tree ([`Disk`]), a git revision
//! ([`crate::spec::git::GitRevision`], through the `git` command), or memory ([`Memory`], for a server that
//! holds unsaved edits, and for tests), or the working tree with some files held in
//! memory ([`Overlay`], an editor's unsaved edits). Reading a year goes through a [`SpecSource`], so
//! the same diagnostics, pointing into the same texts, come out of every source.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use crate::files::{NotAFile, ReadError, read_input};

/// What stands at a path of a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A file (its content may still be refused when read).
    File,
    /// A folder.
    Folder,
    /// Anything else (a link out of the tree, a pipe, …): reading it says what.
    Other,
}

/// One entry of a folder.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Its path (the folder's path joined with its name).
    pub path: PathBuf,
    /// What it is.
    pub kind: Kind,
}

/// A place spec files are read from. Paths are as the user names them (`specs/2024/…`).
pub trait SpecSource: Sync {
    /// The entries of a folder, in any order; `Err` when it cannot be listed.
    fn entries(&self, dir: &Path) -> io::Result<Vec<Entry>>;
    /// Whether anything stands at `path`.
    fn exists(&self, path: &Path) -> bool;
    /// A file's text (at most `limit` bytes), as [`crate::files::read_input`] gives it.
    fn read(&self, path: &Path, limit: u64) -> Result<String, ReadError>;
    /// Gets ready to read many files (a git revision fetches every spec file in one go),
    /// so that it can be done ahead, in parallel with other work. Nothing by default.
    fn warm(&self) {}
}

/// The working tree: regular files inside one folder (a year folder), see
/// [`crate::files`].
pub struct Disk {
    tree: PathBuf,
}

impl Disk {
    /// Files inside `folder` (by real path), e.g. a year folder.
    pub fn new(folder: &Path) -> io::Result<Disk> {
        Ok(Disk { tree: folder.canonicalize()? })
    }
}

impl SpecSource for Disk {
    fn entries(&self, dir: &Path) -> io::Result<Vec<Entry>> {
        let mut entries = Vec::new();
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            // The listing says what most entries are; only a link is looked up (followed).
            let kind = match entry.file_type() {
                Ok(kind) if kind.is_dir() => Kind::Folder,
                Ok(kind) if kind.is_file() => Kind::File,
                Ok(kind) if kind.is_symlink() => match std::fs::metadata(entry.path()) {
                    Ok(meta) if meta.is_dir() => Kind::Folder,
                    Ok(meta) if meta.is_file() => Kind::File,
                    _ => Kind::Other,
                },
                _ => Kind::Other,
            };
            entries.push(Entry { path: entry.path(), kind });
        }
        Ok(entries)
    }

    fn exists(&self, path: &Path) -> bool {
        std::fs::symlink_metadata(path).is_ok()
    }

    fn read(&self, path: &Path, limit: u64) -> Result<String, ReadError> {
        read_input(path, &self.tree, limit)
    }
}

/// Files held in memory, by path.
#[derive(Debug, Default, Clone)]
pub struct Memory {
    /// The files.
    pub files: BTreeMap<PathBuf, String>,
}

impl SpecSource for Memory {
    fn entries(&self, dir: &Path) -> io::Result<Vec<Entry>> {
        let mut entries: BTreeMap<PathBuf, Kind> = BTreeMap::new();
        for path in self.files.keys() {
            let Ok(rest) = path.strip_prefix(dir) else { continue };
            let mut parts = rest.components();
            let (Some(first), more) = (parts.next(), parts.next().is_some()) else { continue };
            let kind = if more { Kind::Folder } else { Kind::File };
            entries.insert(dir.join(first), kind);
        }
        if entries.is_empty() {
            return Err(io::Error::from(io::ErrorKind::NotFound));
        }
        Ok(entries.into_iter().map(|(path, kind)| Entry { path, kind }).collect())
    }

    fn exists(&self, path: &Path) -> bool {
        self.files.keys().any(|p| p.starts_with(path))
    }

    fn read(&self, path: &Path, limit: u64) -> Result<String, ReadError> {
        match self.files.get(path) {
            Some(text) if text.len() as u64 > limit => Err(ReadError::TooLarge(text.len() as u64)),
            Some(text) => Ok(text.clone()),
            None if self.exists(path) => Err(ReadError::NotAFile(NotAFile::Directory)),
            None => Err(ReadError::NotAFile(NotAFile::Missing)),
        }
    }
}

/// The working tree with some files replaced by texts held in memory (an editor's
/// unsaved edits): a year read through it gives the diagnostics it would give once the
/// edits were saved.
pub struct Overlay {
    /// The working tree below.
    pub disk: Disk,
    /// The texts that stand in for files (new files included).
    pub edits: Memory,
    /// Files left out as if they were not there (the editor's report preview without
    /// the projects that keep it from being made).
    pub hidden: std::collections::BTreeSet<PathBuf>,
}

impl SpecSource for Overlay {
    fn entries(&self, dir: &Path) -> io::Result<Vec<Entry>> {
        let mut entries = self.disk.entries(dir).or_else(|e| self.edits.entries(dir).map_err(|_| e))?;
        for extra in self.edits.entries(dir).unwrap_or_default() {
            if !entries.iter().any(|e| e.path == extra.path) {
                entries.push(extra);
            }
        }
        entries.retain(|e| !self.hidden.contains(&e.path));
        Ok(entries)
    }

    fn exists(&self, path: &Path) -> bool {
        !self.hidden.contains(path) && (self.edits.exists(path) || self.disk.exists(path))
    }

    fn read(&self, path: &Path, limit: u64) -> Result<String, ReadError> {
        match self.edits.files.get(path) {
            Some(_) => self.edits.read(path, limit),
            None => self.disk.read(path, limit),
        }
    }
}

/// Whether a file name is a spec file's: `.yaml` or `.yml`, in any case (`131003001.YAML`
/// is a project too, never silently dropped).
pub fn is_spec_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    (lower.ends_with(".yaml") || lower.ends_with(".yml")) && !name.starts_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_lists_folders_and_files() {
        let mut memory = Memory::default();
        memory.files.insert("specs/2024/department.yaml".into(), "year: 2024".into());
        memory.files.insert("specs/2024/projects/1.yaml".into(), "code: \"1\"".into());
        let mut names: Vec<(String, Kind)> = memory
            .entries(Path::new("specs/2024"))
            .unwrap()
            .into_iter()
            .map(|e| (e.path.display().to_string(), e.kind))
            .collect();
        names.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(
            names,
            [("specs/2024/department.yaml".to_string(), Kind::File), ("specs/2024/projects".to_string(), Kind::Folder)]
        );
        assert!(memory.exists(Path::new("specs/2024/projects")));
        assert!(memory.entries(Path::new("specs/2025")).is_err());
        assert_eq!(memory.read(Path::new("specs/2024/department.yaml"), 100).unwrap(), "year: 2024");
        assert!(matches!(memory.read(Path::new("specs/2024/department.yaml"), 3), Err(ReadError::TooLarge(_))));
    }

    #[test]
    fn an_overlay_reads_its_texts_over_the_tree() {
        let dir = tempfile::tempdir().unwrap();
        let year = dir.path().join("2024");
        std::fs::create_dir_all(year.join("projects")).unwrap();
        std::fs::write(year.join("department.yaml"), "year: 2024").unwrap();
        std::fs::write(year.join("projects/1.yaml"), "code: \"1\"").unwrap();
        let mut edits = Memory::default();
        edits.files.insert(year.join("projects/1.yaml"), "code: \"2\"".into());
        edits.files.insert(year.join("projects/3.yaml"), "code: \"3\"".into());
        let overlay = Overlay { disk: Disk::new(dir.path()).unwrap(), edits, hidden: Default::default() };
        let mut names: Vec<_> = overlay.entries(&year.join("projects")).unwrap().into_iter().map(|e| e.path).collect();
        names.sort();
        assert_eq!(names, [year.join("projects/1.yaml"), year.join("projects/3.yaml")]);
        assert_eq!(overlay.read(&year.join("projects/1.yaml"), 100).unwrap(), "code: \"2\"");
        assert_eq!(overlay.read(&year.join("department.yaml"), 100).unwrap(), "year: 2024");
    }
}
