//! A year nothing changed in: its result from what the last build remembered, without
//! parsing or validating a single spec.
//!
//! After a year is built, its output folder gets `.jixiao-checked`: the key of every
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

use super::outcome::{Document, Outcome, YearResult};
use crate::diag::{Diagnostic, Sources};
use crate::form::Form;
use crate::incremental::manifest::{KeyBuilder, Manifest};
use crate::incremental::write::write_atomic;
use crate::spec::year::{DEPARTMENT_FILE, PROJECTS_DIR};

/// The file's name inside an output folder.
pub const CHECKED_FILE: &str = ".jixiao-checked";
/// Largest file read.
const MAX_CHECKED_BYTES: u64 = 64 * 1024 * 1024;

/// What was remembered of a year's last build.
#[derive(Debug, Serialize, Deserialize)]
struct Remembered {
    /// The key of every input.
    key: String,
    /// The form the year used (its files are part of the key).
    form: String,
    /// The problems found.
    diagnostics: Vec<Saved>,
    /// Each document: its output file (when written) or none (skipped).
    documents: Vec<(String, Option<String>)>,
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
#[derive(Debug, PartialEq, Eq)]
pub struct YearInputs {
    files: Vec<(PathBuf, Option<String>)>,
}

impl YearInputs {
    /// Reads every file directly in `dir` and in `dir/projects` (text of the spec files;
    /// names only of the others: a stray file is a warning, and its name is all it says).
    pub fn read(dir: &Path) -> YearInputs {
        let mut files = Vec::new();
        for folder in [dir.to_path_buf(), dir.join(PROJECTS_DIR)] {
            let Ok(entries) = fs::read_dir(&folder) else { continue };
            let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            paths.sort();
            for path in paths {
                let spec =
                    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
                let text = if spec { fs::read_to_string(&path).ok() } else { None };
                files.push((path, text));
            }
        }
        YearInputs { files }
    }

    /// The key of the year: `base` (the tool, the fonts, the output settings), the form
    /// and its files, and every file of the folder.
    fn key(&self, base: &str, form: &str, digest: &str) -> String {
        let mut key = KeyBuilder::new(base).add("form", form.as_bytes()).add("form files", digest.as_bytes());
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

    fn department(&self) -> Option<&str> {
        self.files
            .iter()
            .find(|(p, _)| p.file_name().is_some_and(|n| n == DEPARTMENT_FILE))
            .and_then(|(_, t)| t.as_deref())
    }
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
    if inputs.key(base, &remembered.form, &digest) != remembered.key {
        return None;
    }
    let manifest = Manifest::load(out_dir);
    if manifest.source.as_deref() != Some(source) {
        return None;
    }
    let mut outcomes = Vec::new();
    for (ident, file) in &remembered.documents {
        let document = if ident == "report" { Document::Report } else { Document::Project(ident.clone()) };
        match file {
            Some(name) => {
                let path = out_dir.join(name);
                let entry = manifest.entries.get(name)?;
                if !manifest.is_fresh(&path, &entry.input) {
                    return None;
                }
                // Its page images too.
                for (image, entry) in manifest.images_of(name) {
                    if !manifest.is_fresh(&out_dir.join(image), &entry.input) {
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
    result: &YearResult,
) -> std::io::Result<()> {
    let io = result.diagnostics.iter().any(|d| d.is_error() && d.rule.kind == crate::diag::rules::Kind::Io);
    // What was remembered before stays: it is keyed by other inputs, and is only used
    // while the files it names are still as they were written.
    let path = out_dir.join(CHECKED_FILE);
    if io || result.failed() > 0 || !out_dir.is_dir() {
        return Ok(());
    }
    let documents = result
        .outcomes
        .iter()
        .filter_map(|outcome| match outcome {
            Outcome::Built { document, path, .. } | Outcome::Unchanged { document, path } => {
                Some((document.ident(), path.file_name().map(|n| n.to_string_lossy().into_owned())))
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
        key: inputs.key(base, &form.name, &form.digest),
        form: form.name.clone(),
        diagnostics: result.diagnostics.iter().map(save).collect(),
        documents,
    };
    let text = serde_json::to_string(&remembered).map_err(std::io::Error::other)?;
    write_atomic(&path, text.as_bytes())
}

fn load(out_dir: &Path) -> Option<Remembered> {
    let real = out_dir.canonicalize().ok()?;
    let bytes = crate::spec::read::read_bytes(&out_dir.join(CHECKED_FILE), &real, MAX_CHECKED_BYTES).ok()?;
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
