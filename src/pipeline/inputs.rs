//! A year folder's inputs: every file directly in it, in `projects/` and in each period
//! folder `actuals/*/`, by name, and the spec files by content. They are listed with
//! their [`Stat`]s first; a spec file's text is read only when it is needed — to build
//! the year, or because its stat no longer vouches for the content hashed last time (see
//! [`super::unchanged`]).

use std::fs;
use std::path::{Path, PathBuf};

use crate::diag::Sources;
use crate::incremental::manifest::hex_sha256;
use crate::incremental::stat::{Stat, now};
use crate::model::actuals::{ACTUALS_DIR, PERIOD_FILE};
use crate::pipeline::keys::form_key;
use crate::spec::source::{Disk, SpecSource};
use crate::spec::year::{DEPARTMENT_FILE, PROJECTS_DIR};
use crate::yaml::MAX_SPEC_BYTES;

/// A year folder's files, in name order, as listed at one moment.
#[derive(Debug, Clone)]
pub struct YearInputs {
    /// The year folder.
    dir: PathBuf,
    files: Vec<Input>,
    /// When the folder was listed (nanoseconds since the epoch), before any file's stat
    /// was taken.
    looked: i64,
}

/// One file of a year folder.
#[derive(Debug, Clone)]
struct Input {
    path: PathBuf,
    /// Its stat when listed (`None`: not a regular file, or no inode numbers here).
    stat: Option<Stat>,
    content: Content,
}

/// What is known of a file's content.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Content {
    /// Not a spec file: a stray file is a warning, and its name is all it says.
    Name,
    /// A spec file, not read yet.
    Unread,
    /// A spec file's text; `None` when it cannot be read as a spec (a pipe, a link out of
    /// the folder, too large, not UTF-8).
    Text(Option<String>),
}

impl Content {
    /// The digest this content adds to the year's key.
    fn digest(&self) -> String {
        match self {
            Content::Text(Some(text)) => hex_sha256(text.as_bytes()),
            Content::Name | Content::Text(None) => "-".to_string(),
            Content::Unread => unreachable!("a year's key is made from files read"),
        }
    }
}

impl PartialEq for YearInputs {
    /// The same files with the same contents (whatever their stats and listing time).
    fn eq(&self, other: &YearInputs) -> bool {
        self.files.len() == other.files.len()
            && self.files.iter().zip(&other.files).all(|(a, b)| a.path == b.path && a.content == b.content)
    }
}

impl YearInputs {
    /// Lists the files of the year folder `dir` with their stats, reading none.
    pub fn scan(dir: &Path) -> YearInputs {
        let looked = now();
        let mut files = Vec::new();
        let mut folders = vec![dir.to_path_buf(), dir.join(PROJECTS_DIR)];
        if let Ok(periods) = fs::read_dir(dir.join(ACTUALS_DIR)) {
            let mut periods: Vec<PathBuf> = periods.filter_map(|e| e.ok().map(|e| e.path())).collect();
            periods.sort();
            folders.extend(periods);
        }
        for folder in folders {
            let Ok(entries) = fs::read_dir(&folder) else { continue };
            let mut listed: Vec<(PathBuf, Option<Stat>)> =
                entries.filter_map(|e| e.ok().map(|e| (e.path(), Stat::of_entry(&e)))).collect();
            listed.sort_by(|a, b| a.0.cmp(&b.0));
            for (path, stat) in listed {
                let content = if is_spec(&path) { Content::Unread } else { Content::Name };
                files.push(Input { path, stat, content });
            }
        }
        YearInputs { dir: dir.to_path_buf(), files, looked }
    }

    /// Lists the files of `dir` and reads every spec file.
    /// Spec files are read as the build reads them ([`Disk`]): a FIFO, a device or a link
    /// out of the folder is not opened, and no file is read past the spec size limit.
    pub fn read(dir: &Path) -> YearInputs {
        let mut inputs = YearInputs::scan(dir);
        let disk = Disk::new(dir).ok();
        for input in &mut inputs.files {
            input.load(disk.as_ref());
        }
        inputs
    }

    /// The inputs a build of the year actually used: these files, with each spec file's
    /// text as the build parsed it (`parsed`, the texts its problems point into), not as
    /// read before or after. A spec file the build did not parse has no text, so the
    /// year never counts as unchanged from it. A file saved while the build read it is
    /// then different at the next look, and the year is built again.
    pub fn as_parsed(&self, dir: &Path, parsed: &Sources) -> YearInputs {
        let department = dir.join(DEPARTMENT_FILE);
        let projects = dir.join(PROJECTS_DIR);
        let actuals = dir.join(ACTUALS_DIR);
        let disk = Disk::new(dir).ok();
        let files = self
            .files
            .iter()
            .map(|input| {
                let path = &input.path;
                let in_period = path.parent().and_then(Path::parent) == Some(&actuals);
                let read_by_build =
                    *path == department || ((path.parent() == Some(&projects) || in_period) && is_spec(path));
                let mut input = input.clone();
                if read_by_build {
                    input.content = Content::Text(parsed.text(path).map(str::to_string));
                } else {
                    input.load(disk.as_ref());
                }
                input
            })
            .collect();
        YearInputs { dir: self.dir.clone(), files, looked: self.looked }
    }

    /// The files as the record of a build keeps them: path, stat and content digest.
    /// Every spec file must have been read.
    pub(super) fn recorded(&self) -> Vec<Recorded> {
        self.files
            .iter()
            .map(|input| Recorded { path: name(&input.path), stat: input.vouching(), digest: input.content.digest() })
            .collect()
    }

    /// When the files were listed.
    pub(super) fn looked(&self) -> i64 {
        self.looked
    }

    /// The digest of each file, given what a build recorded of them when it looked at
    /// `looked`: a file whose stat is as recorded and was settled then has the recorded
    /// digest; any other is read now. `None` when the files are not the recorded ones.
    /// Whether any file was read comes with the digests.
    pub(super) fn settle(&mut self, dir: &Path, recorded: &[Recorded], looked: i64) -> Option<(Vec<Recorded>, bool)> {
        // (A name that is not UTF-8 never matches its record: such a year is always built.)
        let same = |f: &Input, r: &Recorded| f.path.as_os_str() == std::ffi::OsStr::new(&r.path);
        if recorded.len() != self.files.len() || self.files.iter().zip(recorded).any(|(f, r)| !same(f, r)) {
            return None;
        }
        let mut disk = None;
        let mut read = false;
        let digests = self
            .files
            .iter_mut()
            .zip(recorded)
            .map(|(input, was)| {
                let trusted = input.content == Content::Unread
                    && input.stat.is_some_and(|stat| was.stat == Some(stat) && stat.settled_before(looked));
                let digest = if trusted {
                    was.digest.clone()
                } else {
                    if input.content == Content::Unread {
                        read = true;
                        input.load(disk.get_or_insert_with(|| Disk::new(dir).ok()).as_ref());
                    }
                    input.content.digest()
                };
                Recorded { path: was.path.clone(), stat: input.vouching(), digest }
            })
            .collect();
        Some((digests, read))
    }

    /// The key of the year: `base` (the tool, the fonts, the output settings), the form
    /// and its files, the periods' forms and files, and every file of the folder (its
    /// path and digest, as [`Self::recorded`] or [`Self::settle`] give them).
    pub(super) fn key(
        base: &str,
        form: &str,
        digest: &str,
        periods: &[(String, String)],
        files: &[Recorded],
    ) -> String {
        let mut key = form_key(base, form, digest);
        for (name, digest) in periods {
            key = key.add("period form", name.as_bytes()).add("period form files", digest.as_bytes());
        }
        for file in files {
            key = key.add("file", file.path.as_bytes()).add("digest", file.digest.as_bytes());
        }
        key.finish()
    }

    /// The texts read, for rendering problems with their source lines.
    pub fn sources(&self) -> Sources {
        let mut sources = Sources::default();
        for input in &self.files {
            if let Content::Text(Some(text)) = &input.content {
                sources.add(&input.path, text);
            }
        }
        sources
    }

    /// Adds to `sources` the text of each spec file among `paths` that it lacks, read now
    /// (the problems of a year found unchanged point into files its check did not read).
    pub fn add_sources<'a>(&self, sources: &mut Sources, paths: impl Iterator<Item = &'a Path>, dir: &Path) {
        let mut disk = None;
        for path in paths {
            if sources.text(path).is_none() && self.files.iter().any(|f| f.path == path && f.content != Content::Name) {
                let disk = disk.get_or_insert_with(|| Disk::new(dir).ok());
                if let Some(text) = disk.as_ref().and_then(|d| d.read(path, MAX_SPEC_BYTES).ok()) {
                    sources.add(path, &text);
                }
            }
        }
    }

    /// How many project spec files the folder has.
    pub fn projects(&self) -> usize {
        let projects = self.dir.join(PROJECTS_DIR);
        self.files.iter().filter(|f| f.content != Content::Name && f.path.parent() == Some(&projects)).count()
    }

    /// How many documents a build of the year looks at: a table per project and the
    /// report, and the same for each period (a table per actuals file, and its report).
    pub fn documents(&self) -> usize {
        let actuals = self.dir.join(ACTUALS_DIR);
        let periods = self.files.iter().filter(|f| f.path.parent() == Some(&actuals)).count();
        let answers = self
            .files
            .iter()
            .filter(|f| f.content != Content::Name && f.path.parent().and_then(Path::parent) == Some(&actuals))
            .filter(|f| f.path.file_name().is_none_or(|n| n != PERIOD_FILE))
            .count();
        self.projects() + 1 + periods + answers
    }

    /// Whether every spec file's text is known (a year found unchanged has most unread).
    pub fn is_read(&self) -> bool {
        self.files.iter().all(|f| f.content != Content::Unread)
    }

    /// Whether the folder has a `department.yaml`.
    pub fn has_department(&self) -> bool {
        self.files.iter().any(|f| f.path.file_name().is_some_and(|n| n == DEPARTMENT_FILE))
    }

    /// `department.yaml`'s text, when read.
    pub fn department(&self) -> Option<&str> {
        self.files.iter().find(|f| f.path.file_name().is_some_and(|n| n == DEPARTMENT_FILE)).and_then(|f| {
            match &f.content {
                Content::Text(text) => text.as_deref(),
                _ => None,
            }
        })
    }
}

impl Input {
    /// The stat that vouches for the content next time: none for a spec file without a
    /// text (unreadable, or not parsed by the build), which is read at every look.
    fn vouching(&self) -> Option<Stat> {
        self.stat.filter(|_| self.content != Content::Text(None))
    }

    /// Reads the file's text when it is a spec file not read yet.
    fn load(&mut self, disk: Option<&Disk>) {
        if self.content == Content::Unread {
            self.content = Content::Text(disk.and_then(|disk| disk.read(&self.path, MAX_SPEC_BYTES).ok()));
        }
    }
}

/// A file as a build's record keeps it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(super) struct Recorded {
    /// Its path, as the year folder was named.
    pub path: String,
    /// Its stat when the build listed it.
    pub stat: Option<Stat>,
    /// The digest of its content as the build used it (`-`: a name only, or unreadable).
    pub digest: String,
}

/// A path as text, as it goes into the key.
fn name(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// Whether a file is a spec file by its name (`.yaml`, `.yml`).
fn is_spec(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(inputs: &YearInputs) -> String {
        YearInputs::key("base", "form", "digest", &[], &inputs.recorded())
    }

    /// A year folder with `department.yaml` and one project of `text`: (its temporary
    /// folder, the year folder, the project's path).
    fn year_with_project(text: &str) -> (tempfile::TempDir, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let year = dir.path().join("2024");
        fs::create_dir_all(year.join(PROJECTS_DIR)).unwrap();
        fs::write(year.join(DEPARTMENT_FILE), "year: 2024\n").unwrap();
        let project = year.join(PROJECTS_DIR).join("131003001.yaml");
        fs::write(&project, text).unwrap();
        (dir, year, project)
    }

    #[test]
    fn a_year_is_remembered_by_the_texts_its_build_parsed() {
        let (_dir, year, project) = year_with_project("code: '131003001'\nindicators: [a, b]\n");
        let on_disk = YearInputs::read(&year);
        // The build parsed the project half-written (an editor's save in two writes).
        let mut parsed = Sources::default();
        parsed.add(&year.join(DEPARTMENT_FILE), "year: 2024\n");
        parsed.add(&project, "code: '131003001'\nindi");
        let used = YearInputs::scan(&year).as_parsed(&year, &parsed);
        assert_ne!(used, on_disk, "the half is what the year was built from");
        assert_ne!(key(&used), key(&on_disk));
        // Parsed whole: the same inputs as on disk.
        let mut whole = Sources::default();
        whole.add(&year.join(DEPARTMENT_FILE), "year: 2024\n");
        whole.add(&project, &fs::read_to_string(&project).unwrap());
        assert_eq!(on_disk.as_parsed(&year, &whole), on_disk);
        assert_eq!(key(&YearInputs::scan(&year).as_parsed(&year, &whole)), key(&on_disk));
        // A project the build did not parse at all is never taken as unchanged.
        let none = on_disk.as_parsed(&year, &Sources::default());
        assert_ne!(key(&none), key(&on_disk));
        // Nor is it vouched for by its stat: it is read again at every look.
        assert!(none.recorded().iter().filter(|r| r.path.ends_with(".yaml")).all(|r| r.stat.is_none()));
    }

    #[test]
    fn a_file_is_read_again_unless_its_stat_vouches_for_it() {
        let (_dir, year, project) = year_with_project("name: 一\n");
        let built = YearInputs::read(&year);
        let recorded = built.recorded();
        // Written just before the build looked: racy, so read again, and the same.
        let mut now = YearInputs::scan(&year);
        let (digests, read) = now.settle(&year, &recorded, built.looked()).unwrap();
        assert!(read);
        assert_eq!(
            digests.iter().map(|r| &r.digest).collect::<Vec<_>>(),
            recorded.iter().map(|r| &r.digest).collect::<Vec<_>>()
        );
        // Settled long before the build looked: trusted by stat, nothing read. (A record
        // whose digest lies is believed: the stat is what vouches.)
        let mut lying = recorded.clone();
        lying[2].digest = "0".repeat(64);
        let mut now = YearInputs::scan(&year);
        let later = built.looked() + 10_000_000_000;
        let (digests, read) = now.settle(&year, &lying, later).unwrap();
        assert!(!read && cfg!(unix));
        assert_eq!(digests[2].digest, "0".repeat(64));
        assert!(!now.is_read());
        // Rewritten with the same size: its stat no longer matches, it is read.
        fs::write(&project, "name: 二\n").unwrap();
        let mut now = YearInputs::scan(&year);
        let (digests, read) = now.settle(&year, &recorded, later).unwrap();
        assert!(read);
        assert_ne!(digests[2].digest, recorded[2].digest);
        // A file added or removed: not the recorded files, nothing read.
        fs::write(year.join(PROJECTS_DIR).join("131003002.yaml"), "name: 三\n").unwrap();
        assert!(YearInputs::scan(&year).settle(&year, &recorded, later).is_none());
    }

    #[cfg(unix)]
    #[test]
    fn pipes_and_device_links_are_not_opened() {
        let dir = tempfile::tempdir().unwrap();
        let year = dir.path().join("2024");
        fs::create_dir_all(year.join(PROJECTS_DIR)).unwrap();
        let pipe = year.join(PROJECTS_DIR).join("a.yaml");
        assert!(std::process::Command::new("mkfifo").arg(&pipe).status().unwrap().success());
        std::os::unix::fs::symlink("/dev/zero", year.join(PROJECTS_DIR).join("b.yaml")).unwrap();
        let inputs = YearInputs::read(&year);
        assert_eq!(inputs.files.len(), 3, "projects/ and its two entries");
        assert!(inputs.files.iter().all(|f| matches!(f.content, Content::Name | Content::Text(None))), "{inputs:?}");
        assert!(inputs.files.iter().all(|f| f.stat.is_none()), "never trusted by a stat: {inputs:?}");
    }
}
