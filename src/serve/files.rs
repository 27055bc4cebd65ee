//! One spec file in the editor: loaded with everything the page needs, an edit checked
//! and previewed in memory, saved in place (format kept, atomically, refused when the
//! file changed on disk since it was loaded), a project created or deleted.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::json;

use crate::incremental::manifest::hex_sha256;
use crate::incremental::write::write_atomic;
use crate::pipeline::{Prepared, prepare_from};
use crate::serve::http::{Reply, param};
use crate::serve::paths::{SpecPath, spec_path};
use crate::serve::problems::{counts, problems};
use crate::serve::{State, layout, period, preview};
use crate::spec::edit::doc::locations;
use crate::spec::edit::{self, Doc, Step};
use crate::spec::source::{Disk, Memory, Overlay};
use crate::text::io_reason;
use crate::yaml::tree::Node;

/// A file as read: its text (line breaks as `\n`), whether it had `\r\n`, and the
/// SHA-256 of its bytes (what a save compares to see whether it changed meanwhile).
struct OnDisk {
    text: String,
    crlf: bool,
    hash: String,
}

fn read(spec: &SpecPath) -> Result<OnDisk, Reply> {
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
fn prepare_with(
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
struct Parsed {
    doc: Result<Doc, String>,
    fields: Vec<(std::ops::Range<usize>, Vec<Step>)>,
}

impl Parsed {
    fn of(text: &str) -> Parsed {
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
fn checked(
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

fn merge(mut a: serde_json::Value, b: serde_json::Value) -> serde_json::Value {
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
    path: String,
    base: String,
    #[serde(default)]
    doc: Option<Doc>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    hash: Option<String>,
    /// The digests of the preview pages the browser shows.
    #[serde(default)]
    have: BTreeSet<String>,
    /// The sides chosen for conflicting fields (see [`save`]).
    #[serde(default)]
    resolve: Vec<Resolution>,
}

/// The side kept for one conflicting field.
#[derive(Deserialize)]
pub struct Resolution {
    /// The field's path, as the conflict gave it.
    path: serde_json::Value,
    /// Which side.
    take: edit::merge::Side,
}

impl EditRequest {
    /// The new text.
    fn new_text(&self) -> Result<String, Reply> {
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

/// `POST /api/save`: the edit written into the file in place. When the file changed on
/// disk since it was loaded, the two are merged field by field: changes to different
/// fields are both kept; fields changed on both sides come back as conflicts (409) until
/// the request says which side to keep for each. A file deleted meanwhile is written
/// again.
pub fn save(state: &State, request: EditRequest) -> Reply {
    let _writing = state.writing.lock().unwrap_or_else(|e| e.into_inner());
    let (spec, disk) = match spec_path(state.specs(), &request.path, true) {
        Ok(spec) => match read(&spec) {
            Ok(disk) => (spec, Some(disk)),
            Err(reply) => return reply,
        },
        // Deleted on disk since it was loaded: saved again from the page.
        Err(_) => match spec_path(state.specs(), &request.path, false) {
            Ok(spec) => (spec, None),
            Err(message) => return Reply::error(404, message),
        },
    };
    let mut note = None;
    let (text, crlf) = match &disk {
        None => {
            note = Some("文件已在磁盘上被删除，已按页面内容重新保存".to_string());
            match request.new_text() {
                Ok(text) => (text, false),
                Err(reply) => return reply,
            }
        }
        Some(disk) if request.hash.as_deref() == Some(disk.hash.as_str()) && disk.text == request.base => {
            match request.new_text() {
                Ok(text) => (text, disk.crlf),
                Err(reply) => return reply,
            }
        }
        Some(disk) => match merged(&request, disk, &spec) {
            Ok((text, taken)) => {
                note = Some(if taken.is_empty() {
                    "文件在您打开后被修改过，已与您的修改合并".to_string()
                } else {
                    format!("文件在您打开后被修改过（{}），已与您的修改合并", taken.join("、"))
                });
                (text, disk.crlf)
            }
            Err(reply) => return reply,
        },
    };
    let bytes = if crlf { text.replace('\n', "\r\n") } else { text.clone() };
    if let Some(dir) = spec.path.parent()
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        return Reply::error(500, format!("无法写入 {}：{}", spec.rel, io_reason(&e)));
    }
    if let Err(e) = write_atomic(&spec.path, bytes.as_bytes()) {
        return Reply::error(500, format!("无法写入 {}：{}", spec.rel, io_reason(&e)));
    }
    let (report, _, doc) = checked(state, &spec, &text, &request.have);
    let head = json!({ "text": text, "hash": hex_sha256(bytes.as_bytes()), "doc": doc.ok(), "note": note });
    Reply::json(200, &merge(head, report))
}

/// The page's edit merged with the file as it is now (see [`edit::merge`]): the new text
/// and the labels of the fields taken from the file; or the 409 listing the conflicts.
fn merged(request: &EditRequest, disk: &OnDisk, spec: &SpecPath) -> Result<(String, Vec<String>), Reply> {
    let changed = || {
        let diff = similar::TextDiff::from_lines(&request.base, &disk.text)
            .unified_diff()
            .header("载入时", "磁盘上现在")
            .to_string();
        Reply::json(
            409,
            &json!({
                "error": format!("{} 在您打开之后已被修改（别人、其他程序或另一个窗口），无法自动合并。", spec.rel),
                "diff": diff, "disk": disk.text, "conflicts": [],
            }),
        )
    };
    let (Some(mine), Ok(base), Ok(theirs)) = (&request.doc, Parsed::of(&request.base).doc, Parsed::of(&disk.text).doc)
    else {
        return Err(changed());
    };
    let resolve = &request.resolve;
    let choose = |path: &[Step]| {
        let path = serde_json::to_value(path).ok()?;
        resolve.iter().find(|r| r.path == path).map(|r| r.take)
    };
    let (doc, conflicts) = edit::merge::merge(&base, mine, &theirs, &choose);
    if !conflicts.is_empty() {
        return Err(Reply::json(
            409,
            &json!({
                "error": "文件在您打开之后被修改过，有些内容两边都改了，请逐项选择保留哪一个",
                "conflicts": conflicts,
                "disk": disk.text,
            }),
        ));
    }
    let taken = field_changes(&base, &theirs);
    let text = edit::apply(&disk.text, &doc).map_err(|_| changed())?;
    Ok((text, taken))
}

/// The top-level fields that differ between two versions (by key), for the note.
fn field_changes(before: &Doc, after: &Doc) -> Vec<String> {
    let (Doc::Map(before), Doc::Map(after)) = (before, after) else { return Vec::new() };
    let mut keys: Vec<String> = Vec::new();
    for (key, value) in after {
        if !before.iter().any(|(k, v)| k == key && v.same(value)) {
            keys.push(crate::model::catalog::describe(key).to_string());
        }
    }
    for (key, _) in before {
        if !after.iter().any(|(k, _)| k == key) {
            keys.push(crate::model::catalog::describe(key).to_string());
        }
    }
    keys
}

/// A new project.
#[derive(Deserialize)]
pub struct NewRequest {
    year: String,
    code: String,
    #[serde(default)]
    copy: Option<String>,
}

/// `POST /api/new`: a project `<code>.yaml`, blank (the form's required fields) or a copy
/// of another project with the new code.
pub fn create(state: &State, request: NewRequest) -> Reply {
    let _writing = state.writing.lock().unwrap_or_else(|e| e.into_inner());
    let code = request.code.trim();
    let rel = format!("{}/projects/{code}.yaml", request.year);
    if let Err(message) = new_code(state, &request.year, code) {
        return Reply::error(422, message);
    }
    let spec = match spec_path(state.specs(), &rel, false) {
        Ok(spec) => spec,
        Err(_) => return Reply::error(409, format!("项目编码 {code} 已经有了，请换一个编码")),
    };
    let text = match &request.copy {
        Some(from) => match copied(state, from, code) {
            Ok(text) => text,
            Err(reply) => return reply,
        },
        None => match blank(state, &spec, code) {
            Ok(text) => text,
            Err(reply) => return reply,
        },
    };
    if let Err(e) =
        std::fs::create_dir_all(spec.year_dir.join("projects")).and_then(|()| write_atomic(&spec.path, text.as_bytes()))
    {
        return Reply::error(500, format!("无法写入 {rel}：{}", io_reason(&e)));
    }
    Reply::json(200, &json!({ "path": rel }))
}

/// Checks a new project's code before anything is written: digits only, beginning with
/// the department's code, not used by another project of the year.
pub fn new_code(state: &State, year: &str, code: &str) -> Result<(), String> {
    if code.is_empty() {
        return Err("请填写项目编码".into());
    }
    if code.chars().any(|c| ('０'..='９').contains(&c)) {
        let half: String = code.chars().map(crate::serve::words::half_width).collect();
        return Err(format!("项目编码中有全角数字，请改用半角数字：{half}"));
    }
    if !code.chars().all(|c| c.is_ascii_digit()) || code.len() > 40 {
        return Err(format!("项目编码“{code}”应只含数字（如 131003009），不超过 40 位"));
    }
    let dir = crate::serve::paths::year(state.specs(), year)?;
    let prepared =
        crate::pipeline::prepare(&state.setup.settings.workspace, &state.specs().join(&dir), &state.setup.typesetter);
    if let Some(department) = &prepared.files.department {
        let prefix = department.spec.department.code.value.as_str();
        if !prefix.is_empty() && !code.starts_with(prefix) {
            return Err(format!("项目编码应以部门编码 {prefix} 开头（如 {prefix}009），“{code}”不是"));
        }
    }
    if let Some(other) = prepared.files.projects.iter().find(|p| p.spec.code.value.as_str() == code) {
        return Err(format!("项目编码 {code} 已被“{}”使用，请换一个编码", other.spec.name.value));
    }
    Ok(())
}

fn copied(state: &State, from: &str, code: &str) -> Result<String, Reply> {
    let source = spec_path(state.specs(), from, true).map_err(|m| Reply::error(404, m))?;
    if source.department {
        return Err(Reply::error(422, "只能复制项目文件"));
    }
    let text = read(&source)?.text;
    let Ok(Doc::Map(mut entries)) = Parsed::of(&text).doc else {
        return Err(Reply::error(422, format!("{from} 有语法错误，无法复制")));
    };
    match entries.iter_mut().find(|(k, _)| k == "code") {
        Some((_, value)) => *value = Doc::Text(code.to_string()),
        None => entries.insert(0, ("code".into(), Doc::Text(code.to_string()))),
    }
    edit::apply(&text, &Doc::Map(entries)).map_err(|e| Reply::error(422, e.to_string()))
}

fn blank(state: &State, spec: &SpecPath, code: &str) -> Result<String, Reply> {
    let (prepared, _) = prepare_with(state, spec, None, BTreeSet::new());
    let Some(form) = &prepared.form else {
        return Err(Reply::error(422, "这个年度的表样无法读取，请先修正 department.yaml"));
    };
    let doc = edit::blank_project(form, code);
    let root = state.specs().parent().unwrap_or(Path::new("."));
    let schema = crate::spec::modeline::schema_file(root, &form.name, false);
    let text = edit::write_new(&doc);
    Ok(crate::spec::modeline::set(&text, &crate::spec::modeline::relative(&spec.path, &schema)))
}

/// A project to rename: its file, the hash it had when loaded, the new code.
#[derive(Deserialize)]
pub struct RenameRequest {
    path: String,
    hash: String,
    code: String,
}

/// `POST /api/rename`: a project's file (and its actual figures' files, which are named
/// as it) renamed to its new code, and the code written in it. The new code is checked as
/// a new project's is.
pub fn rename(state: &State, request: RenameRequest) -> Reply {
    let _writing = state.writing.lock().unwrap_or_else(|e| e.into_inner());
    let spec = match spec_path(state.specs(), &request.path, true) {
        Ok(spec) if !spec.department && spec.period.is_none() => spec,
        Ok(_) => return Reply::error(422, "只能给项目改编码"),
        Err(message) => return Reply::error(404, message),
    };
    let disk = match read(&spec) {
        Ok(disk) if disk.hash == request.hash => disk,
        Ok(_) => return Reply::error(409, "文件在载入后已被修改，请先保存或重新载入"),
        Err(reply) => return reply,
    };
    let code = request.code.trim();
    let stem = spec.path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    if let Err(message) = new_code(state, &spec.year, code).or_else(|m| {
        // The project itself may already carry the code (only its file is named otherwise).
        let own = matches!(Parsed::of(&disk.text).doc, Ok(ref d) if d.get("code") == Some(&Doc::Text(code.into())));
        if own && m.contains("已被") { Ok(()) } else { Err(m) }
    }) {
        return Reply::error(422, message);
    }
    let rel = format!("{}/projects/{code}.yaml", spec.year);
    let target = match spec_path(state.specs(), &rel, false) {
        Ok(target) => target,
        Err(_) => return Reply::error(409, format!("项目编码 {code} 的文件已经有了，请换一个编码")),
    };
    let text = match Parsed::of(&disk.text).doc {
        Ok(Doc::Map(mut entries)) => {
            match entries.iter_mut().find(|(k, _)| k == "code") {
                Some((_, value)) => *value = Doc::Text(code.to_string()),
                None => entries.insert(0, ("code".into(), Doc::Text(code.to_string()))),
            }
            match edit::apply(&disk.text, &Doc::Map(entries)) {
                Ok(text) => text,
                Err(e) => return Reply::error(422, e.to_string()),
            }
        }
        _ => return Reply::error(422, "文件有语法错误，请先改正再改编码"),
    };
    let bytes = if disk.crlf { text.replace('\n', "\r\n") } else { text };
    if let Err(e) = write_atomic(&target.path, bytes.as_bytes()).and_then(|()| std::fs::remove_file(&spec.path)) {
        return Reply::error(500, format!("无法改名：{}", io_reason(&e)));
    }
    // The project's actual figures follow it.
    let mut moved = Vec::new();
    if let Ok(periods) = std::fs::read_dir(spec.year_dir.join(crate::model::actuals::ACTUALS_DIR)) {
        for period in periods.flatten() {
            let from = period.path().join(format!("{stem}.yaml"));
            let to = period.path().join(format!("{code}.yaml"));
            if from.is_file() && !to.exists() && std::fs::rename(&from, &to).is_ok() {
                moved.push(period.file_name().to_string_lossy().into_owned());
            }
        }
    }
    Reply::json(200, &json!({ "path": rel, "moved": moved }))
}

/// A project to delete, with the hash it had when loaded.
#[derive(Deserialize)]
pub struct DeleteRequest {
    path: String,
    hash: String,
}

/// `POST /api/delete`: a project file removed (never the department file); refused when
/// it changed since it was loaded.
pub fn delete(state: &State, request: DeleteRequest) -> Reply {
    let _writing = state.writing.lock().unwrap_or_else(|e| e.into_inner());
    let spec = match spec_path(state.specs(), &request.path, true) {
        Ok(spec) if !spec.department && spec.period.is_none() => spec,
        Ok(_) => return Reply::error(422, "只能删除项目文件（department.yaml 和实际数据文件不在这里删除）"),
        Err(message) => return Reply::error(404, message),
    };
    match read(&spec) {
        Ok(disk) if disk.hash == request.hash => {}
        Ok(_) => return Reply::error(409, format!("{} 在载入后已被修改，未删除", spec.rel)),
        Err(reply) => return reply,
    }
    match std::fs::remove_file(&spec.path) {
        Ok(()) => Reply::json(200, &json!({ "deleted": spec.rel })),
        Err(e) => Reply::error(500, format!("无法删除 {}：{}", spec.rel, io_reason(&e))),
    }
}
