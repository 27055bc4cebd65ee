//! Saving an edit in place (format kept, atomically): merged field by field with the file
//! when it changed on disk since it was loaded, written again when it was deleted.

use serde_json::json;

use crate::incremental::manifest::hex_sha256;
use crate::incremental::write::write_atomic;
use crate::serve::State;
use crate::serve::files::{EditRequest, OnDisk, Parsed, checked, merge, read};
use crate::serve::http::Reply;
use crate::serve::paths::{SpecPath, spec_path};
use crate::spec::edit::{self, Doc, Step};
use crate::text::io_reason;

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
