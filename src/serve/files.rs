//! One spec file in the editor: loaded with everything the page needs, an edit checked
//! and previewed in memory, saved in place (format kept, atomically, refused when the
//! file changed on disk since it was loaded), a project created or deleted.

use std::path::Path;

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

/// The year of `spec` read with `text` standing in for its file; for a period's file, the
/// period read the same way after its year (`None` when it cannot be read).
fn prepare_with(state: &State, spec: &SpecPath, text: Option<&str>) -> (Prepared, Option<Prepared>) {
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
    let overlay = Overlay { disk, edits };
    let glyphs: &dyn crate::validate::Glyphs = state.setup.typesetter.fonts();
    let year = prepare_from(&overlay, &state.setup.settings.workspace, &spec.year_dir, Some(glyphs), None);
    let period = spec.period.as_ref().and_then(|_| period::prepare(state, &overlay, &year, spec));
    (year, period)
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
fn checked(state: &State, spec: &SpecPath, text: &str) -> (serde_json::Value, Prepared, Result<Doc, String>) {
    let started = std::time::Instant::now();
    let (year, period) = prepare_with(state, spec, Some(text));
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
                preview::Preview {
                    pages: Vec::new(), note: Some("本期的实际数据无法读取（见上方问题）".into())
                }
            } else {
                preview::pages(state, &year, spec)
            };
            (year, serde_json::Value::Null, preview)
        }
    };
    let diagnostics = &prepared.checked.diagnostics;
    let (errors, warnings) = counts(diagnostics, &spec.path);
    let report = json!({
        "problems": problems(diagnostics, state.specs(), Some((&spec.path, text, &parsed.fields))),
        "errors": errors,
        "warnings": warnings,
        "pages": preview.pages,
        "preview_note": preview.note,
        "scores": scores,
        "ms": started.elapsed().as_millis() as u64,
    });
    (report, prepared, parsed.doc)
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
    let (report, prepared, doc) = checked(state, &spec, &disk.text);
    let layout = match &spec.period {
        Some(_) => period::layout(&prepared, &spec),
        None => prepared.form.as_ref().map(|form| layout::layout(form, spec.department)),
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
    Reply::json(200, &merge(json!({ "text": text }), checked(state, &spec, &text).0))
}

/// `POST /api/save`: the edit written into the file in place.
pub fn save(state: &State, request: EditRequest) -> Reply {
    let _writing = state.writing.lock().unwrap_or_else(|e| e.into_inner());
    let spec = match spec_path(state.specs(), &request.path, true) {
        Ok(spec) => spec,
        Err(message) => return Reply::error(404, message),
    };
    let disk = match read(&spec) {
        Ok(disk) => disk,
        Err(reply) => return reply,
    };
    if request.hash.as_deref() != Some(disk.hash.as_str()) || disk.text != request.base {
        let diff = similar::TextDiff::from_lines(&request.base, &disk.text)
            .unified_diff()
            .header("载入时", "磁盘上现在")
            .to_string();
        return Reply::json(
            409,
            &json!({
                "error": format!("{} 在您打开之后已被修改（别人、其他程序或另一个窗口），未保存。可以查看变化后重新载入。", spec.rel),
                "diff": diff, "disk": disk.text,
            }),
        );
    }
    let text = match request.new_text() {
        Ok(text) => text,
        Err(reply) => return reply,
    };
    let bytes = if disk.crlf { text.replace('\n', "\r\n") } else { text.clone() };
    if let Err(e) = write_atomic(&spec.path, bytes.as_bytes()) {
        return Reply::error(500, format!("无法写入 {}：{}", spec.rel, io_reason(&e)));
    }
    let (report, _, doc) = checked(state, &spec, &text);
    let head = json!({ "text": text, "hash": hex_sha256(bytes.as_bytes()), "doc": doc.ok() });
    Reply::json(200, &merge(head, report))
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
    if code.is_empty() || code.len() > 40 || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Reply::error(422, "项目编码只能由数字、字母、- 和 _ 组成（不超过 40 个字符）");
    }
    let rel = format!("{}/projects/{code}.yaml", request.year);
    let spec = match spec_path(state.specs(), &rel, false) {
        Ok(spec) => spec,
        Err(message) => return Reply::error(409, message),
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
    let (prepared, _) = prepare_with(state, spec, None);
    let Some(form) = &prepared.form else {
        return Err(Reply::error(422, "这个年度的表样无法读取，请先修正 department.yaml"));
    };
    let doc = edit::blank_project(form, code);
    let root = state.specs().parent().unwrap_or(Path::new("."));
    let schema = crate::spec::modeline::schema_file(root, &form.name, false);
    let text = edit::write_new(&doc);
    Ok(crate::spec::modeline::set(&text, &crate::spec::modeline::relative(&spec.path, &schema)))
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
