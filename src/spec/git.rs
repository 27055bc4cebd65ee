//! A git revision as a source of spec files (see [`crate::spec::source`]): the project's
//! tree listed once, the spec files fetched in one batch, links never followed.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use crate::files::{NotAFile, ReadError};
use crate::spec::source::{Entry, Kind, SpecSource, is_spec_name};
use crate::yaml::MAX_SPEC_BYTES;

/// The files of a commit (or any revision `git` understands: a branch, a tag,
/// `HEAD~2`), read with the `git` command from the repository that holds the working
/// folder. Paths are the user's, relative to that folder.
///
/// The project's tree is listed once (`git ls-tree -r`), and every spec file's content
/// comes through one `git cat-file --batch`, so reading a thousand files costs two
/// processes, not thousands.
pub struct GitRevision {
    /// The folder `git` runs in (the project root).
    root: PathBuf,
    /// The revision, resolved to a commit id when made.
    commit: String,
    /// What the user called it (for messages).
    name: String,
    /// Every entry under the project root, by path relative to it (listed on first use).
    listing: OnceLock<BTreeMap<PathBuf, TreeEntry>>,
    /// Every spec file's bytes by object id, fetched in one go on first read.
    prefetched: OnceLock<HashMap<String, Vec<u8>>>,
    /// The project root's path inside the repository (`""` at its top).
    prefix: String,
}

/// One entry of the revision's tree.
#[derive(Debug, Clone)]
struct TreeEntry {
    /// `100644`, `100755`, `120000` (a link), `040000` (a folder), `160000` (a submodule).
    mode: String,
    /// The object id.
    oid: String,
    /// The size of a blob (0 for anything else).
    size: u64,
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
    /// git refuses a repository owned by another user (`safe.directory`).
    NotTrusted(PathBuf),
    /// git failed otherwise (a damaged repository, a missing object): what git said.
    Failed(String),
}

impl GitError {
    /// A Chinese explanation.
    pub fn describe(&self) -> String {
        match self {
            GitError::NoGit => "找不到 git 命令；读取某个版本的规格需要安装 git".to_string(),
            GitError::NotARepository => "当前目录不在 git 仓库中，无法读取历史版本的规格".to_string(),
            GitError::UnknownRevision(rev) => format!("git 仓库中没有“{rev}”这个版本（提交、分支或标签）"),
            GitError::NotTrusted(dir) => format!(
                "git 拒绝读取这个仓库：它属于另一个系统用户。如确认可信，请运行 git config --global --add safe.directory {}",
                dir.display()
            ),
            GitError::Failed(said) => {
                format!("git 读取仓库失败（仓库可能已损坏，或缺少对象）；无法比较。git 的原话：{said}")
            }
        }
    }
}

fn git(root: &Path, args: &[&str]) -> Result<Vec<u8>, GitError> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|_| GitError::NoGit)?;
    if output.status.success() {
        return Ok(output.stdout);
    }
    let said = String::from_utf8_lossy(&output.stderr);
    let first = said.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim().to_string();
    Err(if said.contains("safe.directory") || said.contains("dubious ownership") {
        GitError::NotTrusted(root.canonicalize().unwrap_or_else(|_| root.to_path_buf()))
    } else if said.contains("not a git repository") {
        GitError::NotARepository
    } else {
        GitError::Failed(first)
    })
}

/// A user's path made relative to the project root, or `None` for one outside it.
fn relative(path: &Path) -> Option<PathBuf> {
    let mut relative = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::Normal(part) => relative.push(part),
            _ => return None,
        }
    }
    Some(relative)
}

impl GitRevision {
    /// The revision `rev` of the repository holding `root`.
    pub fn open(root: &Path, rev: &str) -> Result<GitRevision, GitError> {
        let prefix = git(root, &["rev-parse", "--show-prefix"])?;
        let prefix = String::from_utf8_lossy(&prefix).trim().to_string();
        let spec = format!("{rev}^{{commit}}");
        let commit =
            git(root, &["rev-parse", "--verify", "--quiet", "--end-of-options", &spec]).map_err(|e| match e {
                GitError::Failed(_) => GitError::UnknownRevision(rev.to_string()),
                other => other,
            })?;
        let commit = String::from_utf8_lossy(&commit).trim().to_string();
        let revision = GitRevision {
            root: root.to_path_buf(),
            commit,
            name: rev.to_string(),
            listing: OnceLock::new(),
            prefetched: OnceLock::new(),
            prefix,
        };
        // Listed now: a tree that cannot be read is an error, never an empty project.
        let listing = revision.list()?;
        let _ = revision.listing.set(listing);
        Ok(revision)
    }

    /// What the user called the revision.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The commit id the revision named when it was opened.
    pub fn commit(&self) -> &str {
        &self.commit
    }

    /// Every entry under the project root (listed when the revision was opened).
    fn listing(&self) -> &BTreeMap<PathBuf, TreeEntry> {
        self.listing.get_or_init(BTreeMap::new)
    }

    /// Lists every entry under the project root.
    fn list(&self) -> Result<BTreeMap<PathBuf, TreeEntry>, GitError> {
        {
            let mut args = vec!["ls-tree", "-r", "-t", "-l", "-z", "--full-tree", &self.commit];
            let pathspec = format!(":(top,literal){}", self.prefix.trim_end_matches('/'));
            if !self.prefix.is_empty() {
                args.extend(["--", &pathspec]);
            }
            let listing = git(&self.root, &args)?;
            let mut entries = BTreeMap::new();
            for record in listing.split(|b| *b == 0).filter(|r| !r.is_empty()) {
                let record = String::from_utf8_lossy(record);
                let Some((meta, path)) = record.split_once('\t') else { continue };
                let mut meta = meta.split_whitespace();
                let (Some(mode), Some(_kind), Some(oid), Some(size)) =
                    (meta.next(), meta.next(), meta.next(), meta.next())
                else {
                    continue;
                };
                let Some(path) = path.strip_prefix(&self.prefix) else { continue };
                let size = size.parse().unwrap_or(0);
                entries.insert(PathBuf::from(path), TreeEntry { mode: mode.to_string(), oid: oid.to_string(), size });
            }
            Ok(entries)
        }
    }

    /// The entry at a user's path.
    fn entry(&self, path: &Path) -> Option<&TreeEntry> {
        self.listing().get(&relative(path)?)
    }

    /// The bytes of every spec file of the revision (`*.yaml`, `*.yml`, of at most
    /// [`MAX_SPEC_BYTES`]), by object id: asked for all at once, so reading a year costs
    /// one round trip, not one per file.
    fn prefetched(&self) -> &HashMap<String, Vec<u8>> {
        self.prefetched.get_or_init(|| {
            let mut oids: Vec<&str> = self
                .listing()
                .iter()
                .filter(|(path, e)| {
                    matches!(e.mode.as_str(), "100644" | "100755")
                        && e.size <= MAX_SPEC_BYTES
                        && path.file_name().and_then(|n| n.to_str()).is_some_and(is_spec_name)
                })
                .map(|(_, e)| e.oid.as_str())
                .collect();
            oids.sort_unstable();
            oids.dedup();
            self.fetch_all(&oids).unwrap_or_default()
        })
    }

    /// Many blobs through one `git cat-file --batch`: the ids are written by a thread
    /// while the contents are read, so neither pipe fills up.
    fn fetch_all(&self, oids: &[&str]) -> io::Result<HashMap<String, Vec<u8>>> {
        let mut child = Command::new("git")
            .arg("-C")
            .arg(&self.root)
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let (Some(mut input), Some(output)) = (child.stdin.take(), child.stdout.take()) else {
            return Err(io::Error::other("git cat-file"));
        };
        let request: String = oids.iter().map(|oid| format!("{oid}\n")).collect();
        let writer = std::thread::spawn(move || input.write_all(request.as_bytes()));
        let mut output = BufReader::new(output);
        let mut read = || -> io::Result<HashMap<String, Vec<u8>>> {
            let mut blobs = HashMap::new();
            for oid in oids {
                // `<oid> blob <size>` and the bytes, or `<oid> missing`.
                let mut header = String::new();
                output.read_line(&mut header)?;
                let Some(size) = header.split_whitespace().nth(2).and_then(|s| s.parse::<usize>().ok()) else {
                    continue;
                };
                let mut bytes = vec![0; size + 1];
                output.read_exact(&mut bytes)?;
                bytes.pop();
                blobs.insert(oid.to_string(), bytes);
            }
            Ok(blobs)
        };
        let blobs = read();
        drop(output);
        let _ = writer.join();
        let _ = child.wait();
        blobs
    }
}

impl SpecSource for GitRevision {
    fn entries(&self, dir: &Path) -> io::Result<Vec<Entry>> {
        let dir_rel = relative(dir).ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))?;
        let listing = self.listing();
        if !dir_rel.as_os_str().is_empty() && listing.get(&dir_rel).is_none_or(|e| e.mode != "040000") {
            return Err(io::Error::from(io::ErrorKind::NotFound));
        }
        let children = listing.range(dir_rel.clone()..).skip_while(|(p, _)| **p == dir_rel);
        Ok(children
            .take_while(|(path, _)| path.starts_with(&dir_rel))
            .filter(|(path, _)| path.parent() == Some(&dir_rel))
            .map(|(path, entry)| {
                let kind = match entry.mode.as_str() {
                    "040000" => Kind::Folder,
                    "100644" | "100755" => Kind::File,
                    _ => Kind::Other,
                };
                Entry { path: dir.join(path.file_name().unwrap_or_default()), kind }
            })
            .collect())
    }

    fn exists(&self, path: &Path) -> bool {
        relative(path).is_some_and(|p| p.as_os_str().is_empty() || self.listing().contains_key(&p))
    }

    fn warm(&self) {
        self.prefetched();
    }

    fn read(&self, path: &Path, limit: u64) -> Result<String, ReadError> {
        let missing = || ReadError::NotAFile(NotAFile::Missing);
        let entry = self.entry(path).ok_or_else(missing)?;
        match entry.mode.as_str() {
            "040000" => return Err(ReadError::NotAFile(NotAFile::Directory)),
            // A link is stored as its target's path: never followed.
            "120000" => return Err(ReadError::NotAFile(NotAFile::LeavesTree)),
            "100644" | "100755" => {}
            _ => return Err(missing()),
        }
        if entry.size > limit {
            return Err(ReadError::TooLarge(entry.size));
        }
        let bytes = match self.prefetched().get(&entry.oid) {
            Some(bytes) => bytes.clone(),
            // Not a spec file's name: fetched on its own.
            None => self.fetch_all(&[&entry.oid]).ok().and_then(|mut b| b.remove(&entry.oid)).ok_or_else(missing)?,
        };
        let text = crate::files::utf8(bytes)?;
        Ok(crate::files::normalise_line_endings(text))
    }
}
