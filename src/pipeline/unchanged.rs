//! A year nothing changed in: its result from what the last build remembered, without
//! parsing or validating a single spec.
//!
//! After a year is built, its output folder gets `.jixiao-unchanged`: the key of every
//! input of the year (each file of the year folder by name and content, the form's
//! files, the fonts and the tool, the output settings) with the problems found and what
//! became of each document. When the next build finds the same key and every file it
//! wrote still as written, the year is done: its problems are printed from there (with
//! the files just read for their source lines) and every document is unchanged. Reading
//! and hashing a thousand small files takes a few milliseconds; parsing them, most of a
//! second.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::keys::form_key;
use super::outcome::{Document, Outcome, YearResult};
use crate::diag::{Diagnostic, Sources};
use crate::form::Form;
use crate::incremental::manifest::Manifest;
use crate::incremental::write::write_atomic;
use crate::model::actuals::ACTUALS_DIR;
use crate::spec::source::{Disk, SpecSource};
use crate::spec::year::{DEPARTMENT_FILE, PROJECTS_DIR};
use crate::yaml::MAX_SPEC_BYTES;

/// The file's name inside an output folder.
pub const UNCHANGED_FILE: &str = ".jixiao-unchanged";
/// Largest file read.
const MAX_RECORD_BYTES: u64 = 64 * 1024 * 1024;

/// What was remembered of a year's last build.
#[derive(Debug, Serialize, Deserialize)]
struct Remembered {
    /// The key of every input.
    key: String,
    /// The form the year used (its files are part of the key).
    form: String,
    /// The problems found.
    diagnostics: Vec<Saved>,
    /// Each document: its output file (when written; relative to the year's output folder,
    /// `year-end/…` for a period's) or none (skipped).
    documents: Vec<(String, Option<String>)>,
    /// The forms of the year's periods, in period order (their files are part of the key).
    #[serde(default)]
    periods: Vec<String>,
}

/// A diagnostic as stored.
#[derive(Debug, Serialize, Deserialize)]
struct Saved {
    code: String,
    message: String,
    file: PathBuf,
    span: Option<(usize, usize)>,
    label: Option<String>,
    hint: Option<String>,
}

/// The form digests of one command, each form read once.
#[derive(Default)]
pub struct FormDigests(Mutex<BTreeMap<String, Option<String>>>);

impl FormDigests {
    fn of(&self, templates: &Path, name: &str) -> Option<String> {
        let mut known = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        known
            .entry(name.to_string())
            .or_insert_with(|| Form::load(templates, name, &mut Sources::default()).ok().map(|f| f.digest))
            .clone()
    }
}

/// A year folder's files, read: (path, text) of each file, in name order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearInputs {
    files: Vec<(PathBuf, Option<String>)>,
}

impl YearInputs {
    /// Reads every file directly in `dir`, in `dir/projects` and in each period folder
    /// `dir/actuals/*/` (text of the spec files; names only of the others: a stray file
    /// is a warning, and its name is all it says).
    /// Spec files are read as the build reads them ([`Disk`]): a FIFO, a device or a link
    /// out of the folder is not opened, and no file is read past the spec size limit.
    pub fn read(dir: &Path) -> YearInputs {
        let disk = Disk::new(dir).ok();
        let mut files = Vec::new();
        let mut folders = vec![dir.to_path_buf(), dir.join(PROJECTS_DIR)];
        if let Ok(periods) = fs::read_dir(dir.join(ACTUALS_DIR)) {
            let mut periods: Vec<PathBuf> = periods.filter_map(|e| e.ok().map(|e| e.path())).collect();
            periods.sort();
            folders.extend(periods);
        }
        for folder in folders {
            let Ok(entries) = fs::read_dir(&folder) else { continue };
            let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            paths.sort();
            for path in paths {
                let text = match &disk {
                    Some(disk) if is_spec(&path) => disk.read(&path, MAX_SPEC_BYTES).ok(),
                    _ => None,
                };
                files.push((path, text));
            }
        }
        YearInputs { files }
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
        let files = self
            .files
            .iter()
            .map(|(path, text)| {
                let in_period = path.parent().and_then(Path::parent) == Some(&actuals);
                let read_by_build =
                    *path == department || ((path.parent() == Some(&projects) || in_period) && is_spec(path));
                let text = if read_by_build { parsed.text(path).map(str::to_string) } else { text.clone() };
                (path.clone(), text)
            })
            .collect();
        YearInputs { files }
    }

    /// The key of the year: `base` (the tool, the fonts, the output settings), the form
    /// and its files, and every file of the folder.
    fn key(&self, base: &str, form: &str, digest: &str, periods: &[(String, String)]) -> String {
        let mut key = form_key(base, form, digest);
        for (name, digest) in periods {
            key = key.add("period form", name.as_bytes()).add("period form files", digest.as_bytes());
        }
        for (path, text) in &self.files {
            key = key.add("file", path.to_string_lossy().as_bytes());
            key = key.add("text", text.as_deref().unwrap_or("-").as_bytes());
        }
        key.finish()
    }

    /// The texts, for rendering problems with their source lines.
    fn sources(&self) -> Sources {
        let mut sources = Sources::default();
        for (path, text) in &self.files {
            if let Some(text) = text {
                sources.add(path, text);
            }
        }
        sources
    }

    /// `department.yaml`'s text.
    pub fn department(&self) -> Option<&str> {
        self.files
            .iter()
            .find(|(p, _)| p.file_name().is_some_and(|n| n == DEPARTMENT_FILE))
            .and_then(|(_, t)| t.as_deref())
    }
}

/// Whether a file is a spec file by its name (`.yaml`, `.yml`).
fn is_spec(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// The result of a year whose inputs all equal those its last build remembered in
/// `out_dir`, and whose outputs are all still as written; `None` otherwise.
pub fn unchanged(
    dir: &Path,
    out_dir: &Path,
    source: &str,
    inputs: &YearInputs,
    base: &str,
    templates: &Path,
    forms: &FormDigests,
) -> Option<(YearResult, Sources)> {
    let remembered = load(out_dir)?;
    // The form is the department's (its text is in the key): the one remembered.
    inputs.department()?;
    let digest = forms.of(templates, &remembered.form)?;
    let periods = remembered
        .periods
        .iter()
        .map(|name| forms.of(templates, name).map(|digest| (name.clone(), digest)))
        .collect::<Option<Vec<_>>>()?;
    if inputs.key(base, &remembered.form, &digest, &periods) != remembered.key {
        return None;
    }
    let manifest = Manifest::load(out_dir);
    if manifest.source.as_deref() != Some(source) {
        return None;
    }
    // A period's documents are in its own folder, with its own manifest.
    let mut manifests: BTreeMap<PathBuf, Manifest> = BTreeMap::new();
    let mut outcomes = Vec::new();
    for (ident, file) in &remembered.documents {
        let document = if ident == "report" { Document::Report } else { Document::Project(ident.clone()) };
        match file {
            Some(name) => {
                let path = out_dir.join(name);
                let folder = path.parent()?.to_path_buf();
                let manifest = if folder == out_dir {
                    &manifest
                } else {
                    manifests.entry(folder.clone()).or_insert_with(|| Manifest::load(&folder))
                };
                let file_name = path.file_name()?.to_str()?;
                let entry = manifest.entries.get(file_name)?;
                if !manifest.is_fresh(&path, &entry.input) {
                    return None;
                }
                // Its page images and office files too.
                for (image, entry) in manifest.images_of(file_name) {
                    if !manifest.is_fresh(&folder.join(image), &entry.input) {
                        return None;
                    }
                }
                outcomes.push(Outcome::Unchanged { document, path });
            }
            None => outcomes.push(Outcome::Skipped { document }),
        }
    }
    let diagnostics = remembered.diagnostics.iter().map(restore).collect::<Option<Vec<_>>>()?;
    Some((YearResult { dir: dir.to_path_buf(), diagnostics, outcomes }, inputs.sources()))
}

/// Remembers a year's build in `out_dir`, when it ended so that building it again with
/// the same inputs would change nothing: no document failed and no file could not be
/// read or written. `inputs` must be what the year was built from.
pub fn remember(
    out_dir: &Path,
    inputs: &YearInputs,
    base: &str,
    form: &Form,
    periods: &[(String, String)],
    result: &YearResult,
) -> std::io::Result<()> {
    let io = result.diagnostics.iter().any(|d| d.is_error() && d.rule.kind == crate::diag::rules::Kind::Io);
    // What was remembered before stays: it is keyed by other inputs, and is only used
    // while the files it names are still as they were written.
    let path = out_dir.join(UNCHANGED_FILE);
    if io || result.failed() > 0 || !out_dir.is_dir() {
        return Ok(());
    }
    let documents = result
        .outcomes
        .iter()
        .filter_map(|outcome| match outcome {
            Outcome::Built { document, path, .. } | Outcome::Unchanged { document, path } => {
                let name = path.strip_prefix(out_dir).ok().map(|r| r.to_string_lossy().replace('\\', "/"));
                Some((document.ident(), name.or_else(|| path.file_name().map(|n| n.to_string_lossy().into_owned()))))
            }
            Outcome::Skipped { document } => Some((document.ident(), None)),
            Outcome::Failed { .. } => None,
        })
        .collect::<Vec<_>>();
    // An unreadable project file has no document to remember; it is an error, in the key.
    if result.outcomes.iter().any(|o| matches!(o, Outcome::Skipped { document: Document::Unreadable(_) })) {
        return Ok(());
    }
    let remembered = Remembered {
        key: inputs.key(base, &form.name, &form.digest, periods),
        form: form.name.clone(),
        periods: periods.iter().map(|(name, _)| name.clone()).collect(),
        diagnostics: result.diagnostics.iter().map(save).collect(),
        documents,
    };
    let text = serde_json::to_string(&remembered).map_err(std::io::Error::other)?;
    write_atomic(&path, text.as_bytes())
}

fn load(out_dir: &Path) -> Option<Remembered> {
    let real = out_dir.canonicalize().ok()?;
    let bytes = crate::files::read_bytes(&out_dir.join(UNCHANGED_FILE), &real, MAX_RECORD_BYTES).ok()?;
    serde_json::from_slice(&bytes).ok()
}

fn save(d: &Diagnostic) -> Saved {
    Saved {
        code: d.code().to_string(),
        message: d.message.clone(),
        file: d.file.clone(),
        span: d.span.as_ref().map(|s| (s.start, s.end)),
        label: d.label.clone(),
        hint: d.hint.clone(),
    }
}

fn restore(saved: &Saved) -> Option<Diagnostic> {
    let rule = crate::validate::rules().into_iter().find(|r| r.code == saved.code)?;
    let mut d = Diagnostic::new(rule, &saved.file, saved.span.map(|(a, b)| a..b), saved.message.clone());
    d.label = saved.label.clone();
    d.hint = saved.hint.clone();
    Some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_is_remembered_by_the_texts_its_build_parsed() {
        let dir = tempfile::tempdir().unwrap();
        let year = dir.path().join("2024");
        fs::create_dir_all(year.join(PROJECTS_DIR)).unwrap();
        fs::write(year.join(DEPARTMENT_FILE), "year: 2024\n").unwrap();
        let project = year.join(PROJECTS_DIR).join("131003001.yaml");
        fs::write(&project, "code: '131003001'\nindicators: [a, b]\n").unwrap();
        let on_disk = YearInputs::read(&year);
        // The build parsed the project half-written (an editor's save in two writes).
        let mut parsed = Sources::default();
        parsed.add(&year.join(DEPARTMENT_FILE), "year: 2024\n");
        parsed.add(&project, "code: '131003001'\nindi");
        let used = on_disk.as_parsed(&year, &parsed);
        assert_ne!(used, on_disk, "the half is what the year was built from");
        assert_ne!(used.key("base", "form", "digest", &[]), on_disk.key("base", "form", "digest", &[]));
        // Parsed whole: the same inputs as on disk.
        let mut whole = Sources::default();
        whole.add(&year.join(DEPARTMENT_FILE), "year: 2024\n");
        whole.add(&project, &fs::read_to_string(&project).unwrap());
        assert_eq!(on_disk.as_parsed(&year, &whole), on_disk);
        // A project the build did not parse at all is never taken as unchanged.
        let none = on_disk.as_parsed(&year, &Sources::default());
        assert_ne!(none.key("b", "f", "d", &[]), on_disk.key("b", "f", "d", &[]));
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
        assert!(inputs.files.iter().all(|(_, text)| text.is_none()), "{inputs:?}");
    }
}
