//! A year nothing changed in: its result from what the last build remembered, without
//! parsing or validating a single spec.
//!
//! After a year is built, its output folder gets `.jixiao-unchanged`: the key of every
//! input of the year (each file of the year folder by name and content, the form's
//! files, the fonts and the tool, the output settings), each file's stat and digest, the
//! problems found and what became of each document. The next build lists the folder
//! ([`YearInputs::scan`]): a file whose stat is as recorded, and which had not been
//! changed just before that build looked, has the recorded digest (git's index works so);
//! only the others are read and hashed. When the key is the same and every file the
//! build wrote is still as written, the year is done: its problems come from the record
//! and every document is unchanged. Listing a thousand files takes a few milliseconds;
//! parsing them, most of a second.

use std::collections::{BTreeMap, HashMap};
use std::ffi::{OsStr, OsString};
use std::fs::{self, Metadata};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::inputs::{Recorded, YearInputs};
use super::outcome::{Document, Outcome, YearResult};
use crate::diag::Diagnostic;
use crate::form::Form;
use crate::incremental::manifest::Manifest;
use crate::incremental::write::write_atomic;

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
    /// Each file of the year folder: path, stat and digest (what the key was made from).
    #[serde(default)]
    files: Vec<Recorded>,
    /// When the build listed the year folder (nanoseconds since the epoch).
    #[serde(default)]
    looked: i64,
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
            .or_insert_with(|| Form::load(templates, name, &mut crate::diag::Sources::default()).ok().map(|f| f.digest))
            .clone()
    }
}

/// The result of a year whose inputs all equal those its last build remembered in
/// `out_dir`, and whose outputs are all still as written; `None` otherwise. Only the
/// files whose stat does not vouch for their recorded content are read (into `inputs`);
/// when some were, and the year is unchanged, the record is brought up to date with
/// their stats, so that the next look trusts them.
pub fn unchanged(
    dir: &Path,
    out_dir: &Path,
    source: &str,
    inputs: &mut YearInputs,
    base: &str,
    templates: &Path,
    forms: &FormDigests,
) -> Option<YearResult> {
    let real = out_dir.canonicalize().ok()?;
    let mut remembered = load(&real)?;
    // The form is the department's (its text is in the key): the one remembered.
    if !inputs.has_department() {
        return None;
    }
    let digest = forms.of(templates, &remembered.form)?;
    let periods = remembered
        .periods
        .iter()
        .map(|name| forms.of(templates, name).map(|digest| (name.clone(), digest)))
        .collect::<Option<Vec<_>>>()?;
    let (files, read) = inputs.settle(dir, &remembered.files, remembered.looked)?;
    if YearInputs::key(base, &remembered.form, &digest, &periods, &files) != remembered.key {
        return None;
    }
    let manifest = Manifest::load_real(&real);
    if manifest.source.as_deref() != Some(source) {
        return None;
    }
    // A period's documents are in its own folder, with its own manifest; each folder's
    // files are looked at through its listing.
    let mut folders: BTreeMap<PathBuf, Folder> = BTreeMap::new();
    folders.insert(out_dir.to_path_buf(), Folder::list(out_dir, manifest));
    let real_of = |folder: &Path| -> Option<PathBuf> {
        // A plain folder (not a link) in a real one is real itself.
        let below = real.join(folder.strip_prefix(out_dir).ok()?);
        match fs::symlink_metadata(&below) {
            Ok(meta) if meta.is_dir() && below.parent() == Some(real.as_path()) => Some(below),
            _ => folder.canonicalize().ok(),
        }
    };
    let mut outcomes = Vec::new();
    for (ident, file) in &remembered.documents {
        let document = if ident == "report" { Document::Report } else { Document::Project(ident.clone()) };
        match file {
            Some(name) => {
                let path = out_dir.join(name);
                let folder = path.parent()?;
                let folder = folders.entry(folder.to_path_buf()).or_insert_with(|| {
                    Folder::list(folder, real_of(folder).map(|r| Manifest::load_real(&r)).unwrap_or_default())
                });
                let file_name = path.file_name()?.to_str()?;
                let entry = folder.manifest.entries.get(file_name)?;
                if !folder.is_fresh(file_name, &entry.input) {
                    return None;
                }
                // Its page images and office files too.
                for (image, entry) in folder.manifest.images_of(file_name) {
                    if !folder.is_fresh(image, &entry.input) {
                        return None;
                    }
                }
                outcomes.push(Outcome::Unchanged { document, path });
            }
            None => outcomes.push(Outcome::Skipped { document }),
        }
    }
    let diagnostics = remembered.diagnostics.iter().map(restore).collect::<Option<Vec<_>>>()?;
    if read {
        (remembered.files, remembered.looked) = (files, inputs.looked());
        // Only a faster next look is lost when the record cannot be written.
        let _ = save_record(out_dir, &remembered);
    }
    Some(YearResult { dir: dir.to_path_buf(), diagnostics, outcomes })
}

/// An output folder: its manifest and the metadata of its files, from one listing.
struct Folder {
    path: PathBuf,
    manifest: Manifest,
    files: HashMap<OsString, Metadata>,
}

impl Folder {
    /// The folder at `path` with its `manifest`, and the metadata of the files it names.
    fn list(path: &Path, manifest: Manifest) -> Folder {
        let named = |e: &fs::DirEntry| e.file_name().to_str().is_some_and(|n| manifest.entries.contains_key(n));
        let files = fs::read_dir(path)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter(named)
                    .filter_map(|e| Some((e.file_name(), e.metadata().ok()?)))
                    .collect()
            })
            .unwrap_or_default();
        Folder { path: path.to_path_buf(), manifest, files }
    }

    /// Whether the file `name` of the folder was made from inputs with `key` and is
    /// still as written (see [`Manifest::is_fresh`]).
    fn is_fresh(&self, name: &str, key: &str) -> bool {
        self.manifest.is_fresh_as(&self.path.join(name), self.files.get(OsStr::new(name)), key)
    }
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
    let files = inputs.recorded();
    let remembered = Remembered {
        key: YearInputs::key(base, &form.name, &form.digest, periods, &files),
        form: form.name.clone(),
        periods: periods.iter().map(|(name, _)| name.clone()).collect(),
        diagnostics: result.diagnostics.iter().map(save).collect(),
        documents,
        files,
        looked: inputs.looked(),
    };
    save_record(out_dir, &remembered)
}

fn save_record(out_dir: &Path, remembered: &Remembered) -> std::io::Result<()> {
    let text = serde_json::to_string(remembered).map_err(std::io::Error::other)?;
    write_atomic(&out_dir.join(UNCHANGED_FILE), text.as_bytes())
}

/// The record in the output folder whose real path is `real`.
fn load(real: &Path) -> Option<Remembered> {
    let bytes = crate::files::read_bytes(&real.join(UNCHANGED_FILE), real, MAX_RECORD_BYTES).ok()?;
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
    static RULES: std::sync::OnceLock<BTreeMap<&'static str, &'static crate::diag::Rule>> = std::sync::OnceLock::new();
    let rules = RULES.get_or_init(|| crate::validate::rules().into_iter().map(|r| (r.code, r)).collect());
    let rule = *rules.get(saved.code.as_str())?;
    let mut d = Diagnostic::new(rule, &saved.file, saved.span.map(|(a, b)| a..b), saved.message.clone());
    d.label = saved.label.clone();
    d.hint = saved.hint.clone();
    Some(d)
}
