//! Where spec files come from: the working tree ([`Disk`]), a git revision
//! ([`GitRevision`], through the `git` command), or memory ([`Memory`], for a server that
//! holds unsaved edits, and for tests). Reading a year goes through a [`SpecSource`], so
//! the same diagnostics, pointing into the same texts, come out of every source.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::spec::read::{NotAFile, ReadError, read_input};

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
    /// A file's text (at most `limit` bytes), as [`crate::spec::read::read_input`] gives it.
    fn read(&self, path: &Path, limit: u64) -> Result<String, ReadError>;
}

/// The working tree: regular files inside one folder (a year folder), see
/// [`crate::spec::read`].
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
            let path = entry?.path();
            let kind = match std::fs::metadata(&path) {
                Ok(meta) if meta.is_dir() => Kind::Folder,
                Ok(meta) if meta.is_file() => Kind::File,
                _ => Kind::Other,
            };
            entries.push(Entry { path, kind });
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

/// The files of a commit (or any revision `git` understands: a branch, a tag,
/// `HEAD~2`), read with the `git` command from the repository that holds the working
/// folder. Paths are the user's, relative to that folder.
pub struct GitRevision {
    /// The folder `git` runs in (the project root).
    root: PathBuf,
    /// The revision, resolved to a commit id when made.
    commit: String,
    /// What the user called it (for messages).
    name: String,
    /// The project root's path inside the repository (`""` at its top).
    prefix: String,
}

/// Why a revision cannot be read.
#[derive(Debug)]
pub enum GitError {
    /// `git` is not installed or cannot run.
    NoGit,
    /// The folder is not inside a git repository.
    NotARepository,
    /// The revision names no commit.
    UnknownRevision(String),
}

impl GitError {
    /// A Chinese explanation.
    pub fn describe(&self) -> String {
        match self {
            GitError::NoGit => "找不到 git 命令；读取某个版本的规格需要安装 git".to_string(),
            GitError::NotARepository => "当前目录不在 git 仓库中，无法读取历史版本的规格".to_string(),
            GitError::UnknownRevision(rev) => format!("git 仓库中没有“{rev}”这个版本（提交、分支或标签）"),
        }
    }
}

fn git(root: &Path, args: &[&str]) -> Result<Vec<u8>, GitError> {
    let output = Command::new("git").arg("-C").arg(root).args(args).output().map_err(|_| GitError::NoGit)?;
    if output.status.success() { Ok(output.stdout) } else { Err(GitError::NotARepository) }
}

impl GitRevision {
    /// The revision `rev` of the repository holding `root`.
    pub fn open(root: &Path, rev: &str) -> Result<GitRevision, GitError> {
        let prefix = git(root, &["rev-parse", "--show-prefix"])?;
        let prefix = String::from_utf8_lossy(&prefix).trim().to_string();
        let spec = format!("{rev}^{{commit}}");
        let commit = git(root, &["rev-parse", "--verify", "--quiet", "--end-of-options", &spec])
            .map_err(|_| GitError::UnknownRevision(rev.to_string()))?;
        let commit = String::from_utf8_lossy(&commit).trim().to_string();
        Ok(GitRevision { root: root.to_path_buf(), commit, name: rev.to_string(), prefix })
    }

    /// What the user called the revision.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// `commit:prefix/path` for `git cat-file`, or `None` for a path outside the project.
    fn object(&self, path: &Path) -> Option<String> {
        let relative = path.strip_prefix(".").unwrap_or(path);
        if relative.is_absolute() || relative.components().any(|c| matches!(c, std::path::Component::ParentDir)) {
            return None;
        }
        let relative = relative.to_string_lossy().replace('\\', "/");
        Some(format!("{}:{}{}", self.commit, self.prefix, relative.trim_end_matches('/')))
    }

    /// The entries of `ls-tree` for a folder: (mode, type, name).
    fn tree(&self, dir: &Path) -> io::Result<Vec<(String, String, String)>> {
        let object = self.object(dir).ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))?;
        let listing =
            git(&self.root, &["ls-tree", "-z", &object]).map_err(|_| io::Error::from(io::ErrorKind::NotFound))?;
        let mut entries = Vec::new();
        for record in listing.split(|b| *b == 0).filter(|r| !r.is_empty()) {
            let record = String::from_utf8_lossy(record);
            let Some((meta, name)) = record.split_once('\t') else { continue };
            let mut meta = meta.split(' ');
            let (Some(mode), Some(kind)) = (meta.next(), meta.next()) else { continue };
            entries.push((mode.to_string(), kind.to_string(), name.to_string()));
        }
        Ok(entries)
    }
}

impl SpecSource for GitRevision {
    fn entries(&self, dir: &Path) -> io::Result<Vec<Entry>> {
        Ok(self
            .tree(dir)?
            .into_iter()
            .map(|(mode, kind, name)| {
                let kind = match (kind.as_str(), mode.as_str()) {
                    ("tree", _) => Kind::Folder,
                    ("blob", "100644" | "100755") => Kind::File,
                    _ => Kind::Other,
                };
                Entry { path: dir.join(name), kind }
            })
            .collect())
    }

    fn exists(&self, path: &Path) -> bool {
        self.object(path).is_some_and(|object| git(&self.root, &["cat-file", "-e", &object]).is_ok())
    }

    fn read(&self, path: &Path, limit: u64) -> Result<String, ReadError> {
        let missing = || ReadError::NotAFile(NotAFile::Missing);
        let object = self.object(path).ok_or_else(missing)?;
        let parent = path.parent().unwrap_or(Path::new("."));
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let entry = self.tree(parent).ok().and_then(|entries| entries.into_iter().find(|(_, _, n)| *n == name));
        match entry {
            None => return Err(missing()),
            Some((_, kind, _)) if kind == "tree" => return Err(ReadError::NotAFile(NotAFile::Directory)),
            // A link is stored as its target's path: never followed.
            Some((mode, _, _)) if mode == "120000" => return Err(ReadError::NotAFile(NotAFile::LeavesTree)),
            Some(_) => {}
        }
        let size = git(&self.root, &["cat-file", "-s", &object]).map_err(|_| missing())?;
        let size: u64 = String::from_utf8_lossy(&size).trim().parse().unwrap_or(u64::MAX);
        if size > limit {
            return Err(ReadError::TooLarge(size));
        }
        let bytes = git(&self.root, &["cat-file", "blob", &object]).map_err(|_| missing())?;
        let text = crate::spec::read::utf8(bytes)?;
        Ok(crate::spec::read::normalise_line_endings(text))
    }
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
}
