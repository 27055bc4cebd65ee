//! Projects made, renamed and deleted from the editor: a new project's code checked before
//! anything is written, a blank draft or a copy; a code changed with its files; a file
//! removed only as it was loaded.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Deserialize;
use serde_json::json;

use crate::incremental::write::write_atomic;
use crate::serve::State;
use crate::serve::files::{Parsed, prepare_with, read};
use crate::serve::http::Reply;
use crate::serve::paths::{SpecPath, spec_path};
use crate::spec::edit::{self, Doc};
use crate::text::io_reason;

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
    with_code(&read(&source)?.text, code).ok_or_else(|| Reply::error(422, format!("{from} 有语法错误，无法复制")))
}

/// A project's text with its code written as `code` (added first when it has none);
/// `None` when the text cannot be edited field by field.
fn with_code(text: &str, code: &str) -> Option<String> {
    let Ok(Doc::Map(mut entries)) = Parsed::of(text).doc else { return None };
    match entries.iter_mut().find(|(k, _)| k == "code") {
        Some((_, value)) => *value = Doc::Text(code.to_string()),
        None => entries.insert(0, ("code".into(), Doc::Text(code.to_string()))),
    }
    edit::apply(text, &Doc::Map(entries)).ok()
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
    let Some(text) = with_code(&disk.text, code) else {
        return Reply::error(422, "文件有语法错误，请先改正再改编码");
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

/// A project's actual figures to start: the year, the period folder, the project's code.
#[derive(Deserialize)]
pub struct StartRequest {
    year: String,
    period: String,
    code: String,
}

/// `POST /api/start-actuals`: a project's file of actual figures in a period, made from
/// its targets as `jixiao init --period` makes it (every indicator listed with its
/// target, values blank); never over an existing file.
pub fn start_actuals(state: &State, request: StartRequest) -> Reply {
    let _writing = state.writing.lock().unwrap_or_else(|e| e.into_inner());
    let year = match crate::serve::paths::year(state.specs(), &request.year) {
        Ok(year) => year,
        Err(message) => return Reply::error(404, message),
    };
    let workspace = &state.setup.settings.workspace;
    let prepared = crate::pipeline::prepare(workspace, &state.specs().join(&year), &state.setup.typesetter);
    let Some(target) = prepared.files.projects.iter().find(|p| p.spec.code.value.as_str() == request.code) else {
        return Reply::error(404, format!("没有编码为 {} 的项目（或它的目标规格还有错误）", request.code));
    };
    let periods = crate::pipeline::period::periods(workspace, &prepared);
    let Some(period) = periods.iter().find(|p| p.period.as_ref().is_some_and(|f| f.files.name == request.period))
    else {
        return Reply::error(404, format!("没有“{}”这一期", request.period));
    };
    let Some(form) = &period.form else {
        return Reply::error(422, "这一期的表样无法读取，请先改正本期设置");
    };
    let name = target.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let rel = format!("{year}/{}/{}/{name}", crate::model::actuals::ACTUALS_DIR, request.period);
    let spec = match spec_path(state.specs(), &rel, false) {
        Ok(spec) => spec,
        Err(_) => return Reply::error(409, "这个项目本期的实际数据已经有了"),
    };
    let text = crate::spec::actuals_start::actuals_text(form, &target.spec);
    let root = state.specs().parent().unwrap_or(Path::new("."));
    let schema =
        root.join(crate::spec::modeline::SCHEMA_DIR).join(&form.name).join(crate::spec::modeline::ACTUALS_SCHEMA);
    let text = crate::spec::modeline::set(&text, &crate::spec::modeline::relative(&spec.path, &schema));
    match write_atomic(&spec.path, text.as_bytes()) {
        Ok(()) => Reply::json(200, &json!({ "path": rel })),
        Err(e) => Reply::error(500, format!("无法写入：{}", io_reason(&e))),
    }
}
