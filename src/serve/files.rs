//! One spec file in the editor: loaded with everything the page needs, an edit checked
//! and previewed in memory. Saving is [`super::save`]; new, renamed and deleted projects
//! are [`super::projects`].

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::json;

use crate::incremental::manifest::hex_sha256;
use crate::pipeline::{Prepared, prepare_from};
use crate::serve::http::{Reply, param};
use crate::serve::paths::{SpecPath, spec_path};
use crate::serve::problems::{counts, problems};
use crate::serve::{State, layout, period, preview};
use crate::spec::edit::doc::locations;
use crate::spec::edit::{self, Doc, Step};
use crate::spec::source::{Disk, Memory, Overlay};
use crate::yaml::tree::Node;

/// A file as read: its text (line breaks as `\n`), whether it had `\r\n`, and the
/// SHA-256 of its bytes (what a save compares to see whether it changed meanwhile).
pub(crate) struct OnDisk {
    pub(crate) text: String,
    pub(crate) crlf: bool,
    pub(crate) hash: String,
}

pub(crate) fn read(spec: &SpecPath) -> Result<OnDisk, Reply> {
    let bytes = crate::files::read_regular(&spec.path, crate::yaml::MAX_SPEC_BYTES)
        .map_err(|e| Reply::error(500, format!("无法读取 {}：{}", spec.rel, e.reason())))?;
    let hash = hex_sha256(&bytes);
    let text = String::from_utf8(bytes).map_err(|_| Reply::error(422, format!("{} 不是 UTF-8 文本", spec.rel)))?;
    let crlf = text.contains("\r\n");
    Ok(OnDisk { text: text.replace("\r\n", "\n"), crlf, hash })
}

/// The year of `spec` read with `text` standing in for its file and `hidden` files left
/// out; for a period's file, the period read the same way after its year (`None` when it
/// cannot be read).
pub(crate) fn prepare_with(
    state: &State,
    spec: &SpecPath,
    text: Option<&str>,
    hidden: BTreeSet<PathBuf>,
) -> (Prepared, Option<Prepared>) {
    let mut edits = Memory::default();
    if let Some(text) = text {
        edits.files.insert(spec.path.clone(), text.to_string());
    }
    let disk = match Disk::new(state.specs()) {
        Ok(disk) => disk,
        Err(_) => {
            let year =
                crate::pipeline::prepare(&state.setup.settings.workspace, &spec.year_dir, &state.setup.typesetter);
            return (year, None);
        }
    };
    let overlay = Overlay { disk, edits, hidden };
    let glyphs: &dyn crate::validate::Glyphs = state.setup.typesetter.fonts();
    let year = prepare_from(&overlay, &state.setup.settings.workspace, &spec.year_dir, Some(glyphs), None);
    let period = spec.period.as_ref().and_then(|_| period::prepare(state, &overlay, &year, spec));
    (year, period)
}

/// The department's preview: the year's report, without the projects that have errors
/// when the department itself has none (they are named in the note).
fn department_preview(state: &State, spec: &SpecPath, text: &str, year: &Prepared) -> preview::Preview {
    let department_errors = year.checked.diagnostics.iter().any(|d| d.is_error() && d.file == spec.path);
    let project_dir = spec.year_dir.join(crate::spec::year::PROJECTS_DIR);
    let failing: BTreeSet<PathBuf> = year
        .checked
        .diagnostics
        .iter()
        .filter(|d| d.is_error() && d.file.parent() == Some(project_dir.as_path()))
        .map(|d| d.file.clone())
        .collect();
    if department_errors || failing.is_empty() {
        return preview::report(state, year, &[]);
    }
    let names: Vec<String> =
        failing.iter().filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned())).collect();
    let (without, _) = prepare_with(state, spec, Some(text), failing);
    preview::report(state, &without, &names)
}

/// A text parsed once: its content for the page (or why it can only be edited as text)
/// and where each of its fields is.
pub(crate) struct Parsed {
    pub(crate) doc: Result<Doc, String>,
    fields: Vec<(std::ops::Range<usize>, Vec<Step>)>,
}

impl Parsed {
    pub(crate) fn of(text: &str) -> Parsed {
        match crate::yaml::parse::<Node>(Path::new("spec"), text) {
            Ok(node) => {
                let doc = match Doc::from_tree(text, &node) {
                    doc @ Doc::Map(_) => Ok(doc),
                    _ => Err("最外层不是键值对".to_string()),
                };
                Parsed { doc, fields: locations(text, &node) }
            }
            Err(d) => Parsed { doc: Err(d.message), fields: Vec::new() },
        }
    }
}

/// What the page shows for a text of `spec`: its problems (each with its field), the
/// counts, the preview and how long they took; the year as read with that text; and the
/// text's content.
pub(crate) fn checked(
    state: &State,
    spec: &SpecPath,
    text: &str,
    have: &BTreeSet<String>,
) -> (serde_json::Value, Prepared, Result<Doc, String>) {
    let started = std::time::Instant::now();
    let (year, period) = prepare_with(state, spec, Some(text), BTreeSet::new());
    let parsed = Parsed::of(text);
    // A period's file is checked, scored and previewed with its period (its targets'
    // errors are the year's, shown beside).
    let (prepared, scores, preview) = match period {
        Some(mut period) => {
            let scores = period::scores(&period, spec);
            let preview = period::preview(state, &mut period, spec);
            period.checked.diagnostics.extend(year.checked.diagnostics.iter().filter(|d| d.is_error()).cloned());
            (period, scores, preview)
        }
        None => {
            let preview = if spec.period.is_some() {
                preview::Preview::none("本期的实际数据无法读取（见上方问题）")
            } else if spec.department {
                department_preview(state, spec, text, &year)
            } else {
                preview::project(state, &year, spec)
            };
            (year, serde_json::Value::Null, preview)
        }
    };
    let preview = preview.without(have);
    let diagnostics = &prepared.checked.diagnostics;
    let (errors, warnings) = counts(diagnostics, &spec.path);
    let mine: Vec<_> = diagnostics.iter().filter(|d| d.file == spec.path).cloned().collect();
    let report = json!({
        "problems": problems(&mine, state.specs(), Some((&spec.path, text, &parsed.fields))),
        "others": others(diagnostics, state.specs(), &spec.path),
        "errors": errors,
        "warnings": warnings,
        "pages": preview.pages,
        "preview_note": preview.note,
        "scores": scores,
        "ms": started.elapsed().as_millis() as u64,
    });
    (report, prepared, parsed.doc)
}

/// The other files of the year (or period) with errors, each with its count: they keep
/// the report from being made.
fn others(diagnostics: &[crate::diag::Diagnostic], specs: &Path, edited: &Path) -> Vec<serde_json::Value> {
    let mut files: Vec<(&Path, usize)> = Vec::new();
    for d in diagnostics.iter().filter(|d| d.is_error() && d.file != edited) {
        match files.iter_mut().find(|(f, _)| *f == d.file.as_path()) {
            Some((_, n)) => *n += 1,
            None => files.push((&d.file, 1)),
        }
    }
    files
        .into_iter()
        .map(|(file, errors)| {
            let rel = file.strip_prefix(specs).unwrap_or(file).to_string_lossy().replace('\\', "/");
            let name = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            json!({ "path": rel, "name": name, "errors": errors })
        })
        .collect()
}

pub(crate) fn merge(mut a: serde_json::Value, b: serde_json::Value) -> serde_json::Value {
    if let (Some(a), serde_json::Value::Object(b)) = (a.as_object_mut(), b) {
        a.extend(b);
    }
    a
}

/// `GET /api/file?path=`.
pub fn load(state: &State, params: &[(String, String)]) -> Reply {
    let spec = match spec_path(state.specs(), param(params, "path").unwrap_or(""), true) {
        Ok(spec) => spec,
        Err(message) => return Reply::error(404, message),
    };
    let disk = match read(&spec) {
        Ok(disk) => disk,
        Err(reply) => return reply,
    };
    let (report, prepared, doc) = checked(state, &spec, &disk.text, &BTreeSet::new());
    let layout = match &spec.period {
        Some(_) => period::layout(&prepared, &spec),
        None => prepared.form.as_ref().map(|form| {
            let templates = &state.setup.settings.workspace.templates;
            let forms: Vec<(String, String)> = crate::form::Form::available(templates)
                .into_iter()
                .filter_map(|name| {
                    let loaded =
                        crate::form::Form::load(templates, &name, &mut crate::diag::Sources::default()).ok()?;
                    (loaded.def.kind == crate::form::FormKind::Targets).then(|| (name, loaded.def.name.clone()))
                })
                .collect();
            layout::layout(form, spec.department, &forms)
        }),
    };
    let (doc, unreadable) = match doc {
        Ok(doc) => (Some(doc), None),
        Err(why) => (None, Some(why)),
    };
    let head = json!({
        "path": spec.rel, "year": spec.year, "department": spec.department,
        "text": disk.text, "hash": disk.hash, "doc": doc, "unreadable": unreadable, "layout": layout,
    });
    Reply::json(200, &merge(head, report))
}

/// An edit: the file's text as loaded and either its edited content or a whole new text
/// (for a file that cannot be edited field by field).
#[derive(Deserialize)]
pub struct EditRequest {
    pub(crate) path: String,
    pub(crate) base: String,
    #[serde(default)]
    pub(crate) doc: Option<Doc>,
    #[serde(default)]
    pub(crate) text: Option<String>,
    #[serde(default)]
    pub(crate) hash: Option<String>,
    /// The digests of the preview pages the browser shows.
    #[serde(default)]
    pub(crate) have: BTreeSet<String>,
    /// The sides chosen for conflicting fields (see [`save`]).
    #[serde(default)]
    pub(crate) resolve: Vec<Resolution>,
}

/// The side kept for one conflicting field.
#[derive(Deserialize)]
pub struct Resolution {
    /// The field's path, as the conflict gave it.
    pub(crate) path: serde_json::Value,
    /// Which side.
    pub(crate) take: edit::merge::Side,
}

impl EditRequest {
    /// The new text.
    pub(crate) fn new_text(&self) -> Result<String, Reply> {
        match (&self.doc, &self.text) {
            (Some(doc), _) => edit::apply(&self.base, doc).map_err(|e| Reply::error(422, e.to_string())),
            (None, Some(text)) => Ok(text.replace("\r\n", "\n")),
            (None, None) => Err(Reply::error(400, "请求中没有修改内容")),
        }
    }
}

/// `POST /api/check`: the edit checked and previewed; nothing written.
pub fn check(state: &State, request: EditRequest) -> Reply {
    let spec = match spec_path(state.specs(), &request.path, true) {
        Ok(spec) => spec,
        Err(message) => return Reply::error(404, message),
    };
    let text = match request.new_text() {
        Ok(text) => text,
        Err(reply) => return reply,
    };
    Reply::json(200, &merge(json!({ "text": text }), checked(state, &spec, &text, &request.have).0))
}
