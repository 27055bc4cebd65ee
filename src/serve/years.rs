//! The years and their projects as the editor lists them (with errors, warnings and
//! whether each PDF is up to date), "生成 PDF" for a year, and the PDFs to download.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::{Value, json};

use crate::pipeline::adopt::fresh_documents;
use crate::pipeline::build::build_all;
use crate::pipeline::period::periods;
use crate::pipeline::{Outcome, Prepared, prepare};
use crate::serve::State;
use crate::serve::http::{Reply, param};
use crate::serve::paths;
use crate::serve::problems::{counts, is_pending, problems};
use crate::spec::year::DEPARTMENT_FILE;

fn rel(state: &State, path: &Path) -> String {
    path.strip_prefix(state.specs()).unwrap_or(path).to_string_lossy().replace('\\', "/")
}

fn prepared(state: &State, name: &str) -> Prepared {
    let workspace = &state.setup.settings.workspace;
    prepare(workspace, &workspace.specs.join(name), &state.setup.typesetter)
}

/// The output folder of a year, relative to `out/`.
fn out_rel(state: &State, name: &str) -> PathBuf {
    state.setup.settings.workspace.default_out_rel(&state.specs().join(name))
}

/// `GET /api/years`.
pub fn list(state: &State) -> Reply {
    let years: Vec<Value> = paths::years(state.specs())
        .iter()
        .map(|name| {
            let prepared = prepared(state, name);
            let diagnostics = &prepared.checked.diagnostics;
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            let department = prepared.files.department.as_ref().map(|d| d.spec.department.name.value.clone());
            json!({
                "year": name,
                "department": department,
                "form": prepared.form.as_ref().map(|f| f.def.name.clone()),
                "projects": prepared.files.projects.len() + prepared.files.broken_projects.len(),
                "errors": errors,
                "warnings": diagnostics.len() - errors,
            })
        })
        .collect();
    Reply::json(200, &json!({ "years": years }))
}

/// `GET /api/year?year=`: the department and every project with its status.
pub fn year_status(state: &State, name: &str) -> Value {
    let prepared = prepared(state, name);
    let diagnostics = &prepared.checked.diagnostics;
    let out_dir = state.out().join(out_rel(state, name));
    let fresh = freshness(state, &prepared);
    let pdf_of = |index: usize| -> Option<Value> {
        let names = prepared.checked.outputs.as_ref()?;
        let path = out_dir.join(&names.projects[index]);
        let up_to_date = fresh.iter().any(|(p, f)| *p == path && *f);
        Some(json!({ "name": names.projects[index], "fresh": up_to_date, "exists": path.is_file() }))
    };
    let mut projects: Vec<Value> = prepared
        .files
        .projects
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (errors, warnings) = counts(diagnostics, &p.path);
            let amount = prepared.checked.projects.get(i).and_then(|f| f.amount).map(crate::value::format_decimal);
            json!({
                "path": rel(state, &p.path), "code": p.spec.code.value,
                "name": if p.spec.name.value.trim().is_empty() { "（未填写名称）" } else { p.spec.name.value.as_str() },
                "errors": errors, "warnings": warnings, "pdf": pdf_of(i), "amount": amount,
                "pending": pending(diagnostics, &p.path),
            })
        })
        .collect();
    for path in &prepared.files.broken_projects {
        let (errors, warnings) = counts(diagnostics, path);
        // A draft (required fields not filled in yet) is listed by what it has.
        let (code, name) = draft_names(path);
        let pending = pending(diagnostics, path);
        let name = name.unwrap_or_else(|| {
            if pending > 0 && pending == errors { "（未填写名称）" } else { "（无法读取）" }.into()
        });
        projects.push(json!({
            "path": rel(state, path), "code": code, "name": name, "errors": errors, "warnings": warnings,
            "pdf": null, "pending": pending, "amount": null,
        }));
    }
    let department = state.specs().join(name).join(DEPARTMENT_FILE);
    let (errors, warnings) = counts(diagnostics, &department);
    let department_spec = prepared.files.department.as_ref().map(|d| &d.spec);
    json!({
        "year": name,
        "form": prepared.form.as_ref().map(|f| f.name.clone()),
        "form_title": prepared.form.as_ref().map(|f| f.def.name.clone()),
        "department_code": department_spec.map(|d| d.department.code.value.clone()),
        "money_unit": department_spec.and_then(|d| d.money_unit.as_ref().map(|u| u.value.clone())),
        "total": (!prepared.checked.total.is_zero()).then(|| crate::value::format_decimal(prepared.checked.total)),
        "department": {
            "path": rel(state, &department),
            "name": prepared.files.department.as_ref().map(|d| d.spec.department.name.value.clone()),
            "errors": errors, "warnings": warnings,
        },
        "projects": projects,
        "report": prepared.checked.outputs.as_ref().map(|n| {
            let path = out_dir.join(&n.report);
            json!({ "name": n.report, "fresh": fresh.iter().any(|(p, f)| *p == path && *f), "exists": path.is_file() })
        }),
        "out": out_rel(state, name).to_string_lossy().replace('\\', "/"),
        "problems": problems(diagnostics, state.specs(), None),
        "periods": periods(&state.setup.settings.workspace, &prepared).iter().map(|p| period_status(state, name, p)).collect::<Vec<_>>(),
    })
}

/// Errors of `file` that are required fields not filled in yet (the editor's 待填写).
fn pending(diagnostics: &[crate::diag::Diagnostic], file: &Path) -> usize {
    diagnostics.iter().filter(|d| d.file == file && is_pending(d)).count()
}

/// The code (else the file's stem) and name a project file that could not be read as a
/// project writes, when its YAML can be read at all.
fn draft_names(path: &Path) -> (String, Option<String>) {
    let stem = path.file_stem().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let Ok(text) = crate::files::read_regular(path, crate::yaml::MAX_SPEC_BYTES) else { return (stem, None) };
    let text = String::from_utf8_lossy(&text);
    let Ok(node) = crate::yaml::parse::<crate::yaml::tree::Node>(path, &text) else { return (stem, None) };
    let doc = crate::spec::edit::Doc::from_tree(&text, &node);
    let text_of = |key: &str| match doc.get(key) {
        Some(crate::spec::edit::Doc::Text(t)) if !t.trim().is_empty() => Some(t.clone()),
        _ => None,
    };
    (text_of("code").unwrap_or(stem), text_of("name"))
}

/// Whether each document of a prepared year (or period) is as its inputs would make it
/// (a committed PDF that is, though this clone never built it, counts: see
/// [`crate::pipeline::adopt`]).
fn freshness(state: &State, prepared: &Prepared) -> Vec<(PathBuf, bool)> {
    let workspace = &state.setup.settings.workspace;
    fresh_documents(prepared, workspace, &state.setup.typesetter, &state.options, &state.adopted)
}

/// A period of the year: its form, its projects' actuals with their problems, totals and
/// PDFs, and the projects that have none yet.
fn period_status(state: &State, name: &str, period: &Prepared) -> Value {
    let Some(found) = &period.period else { return Value::Null };
    let out_rel = out_rel(state, name).join(&found.files.name);
    let out_dir = state.out().join(&out_rel);
    let fresh = freshness(state, period);
    let diagnostics = &period.checked.diagnostics;
    let names = period.checked.outputs.as_ref();
    let pdf = |file: &str| {
        let path = out_dir.join(file);
        json!({ "name": file, "fresh": fresh.iter().any(|(p, f)| *p == path && *f), "exists": path.is_file() })
    };
    let scoring = period.form.as_ref().and_then(|f| f.def.evaluation.as_ref()).and_then(|d| d.scoring.as_ref());
    let mut projects = Vec::new();
    let mut missing = Vec::new();
    for (i, target) in period.files.projects.iter().enumerate() {
        let evaluation = found.checked.projects.get(i);
        let Some(actuals) = evaluation.and_then(|e| e.actuals).and_then(|a| found.files.actuals.get(a)) else {
            missing.push(target.spec.code.value.clone());
            continue;
        };
        let (errors, warnings) = counts(diagnostics, &actuals.path);
        let total = evaluation.and_then(|e| e.total).map(|t| scoring.map(|s| s.rounding.print(t)).unwrap_or_default());
        projects.push(json!({
            "path": rel(state, &actuals.path), "code": target.spec.code.value, "name": target.spec.name.value,
            "errors": errors, "warnings": warnings, "total": total,
            "grade": evaluation.and_then(|e| e.grade.clone()),
            "pdf": names.map(|n| pdf(&n.projects[i])),
        }));
    }
    let period_file = found.files.dir.join(crate::model::actuals::PERIOD_FILE);
    let (errors, warnings) = counts(diagnostics, &period_file);
    json!({
        "year": name,
        "name": found.files.name,
        "form": period.form.as_ref().map(|f| f.def.name.clone()),
        "path": rel(state, &period_file),
        "errors": errors, "warnings": warnings,
        "projects": projects,
        "missing": missing,
        "report": names.map(|n| pdf(&n.report)),
        "out": out_rel.to_string_lossy().replace('\\', "/"),
    })
}

/// `GET /api/year?year=`.
pub fn year(state: &State, params: &[(String, String)]) -> Reply {
    match paths::year(state.specs(), param(params, "year").unwrap_or("")) {
        Ok(name) => Reply::json(200, &year_status(state, &name)),
        Err(message) => Reply::error(404, message),
    }
}

/// A year to build.
#[derive(Deserialize)]
pub struct BuildRequest {
    year: String,
}

/// Largest PDF served.
const MAX_PDF_BYTES: u64 = 1024 * 1024 * 1024;

/// `POST /api/build`: the year's PDFs, incrementally, into its output folder.
pub fn build(state: &State, request: BuildRequest) -> Reply {
    let _writing = state.writing.lock().unwrap_or_else(|e| e.into_inner());
    let name = match paths::year(state.specs(), &request.year) {
        Ok(name) => name,
        Err(message) => return Reply::error(404, message),
    };
    let years = [(state.specs().join(&name), out_rel(state, &name))];
    let started = std::time::Instant::now();
    let built = build_all(&state.setup.settings.workspace, &state.setup.typesetter, &state.options, &years);
    let mut made = Vec::new();
    let mut failed = 0;
    for year in &built {
        for outcome in &year.result.outcomes {
            match outcome {
                Outcome::Built { path, .. } | Outcome::Unchanged { path, .. } => {
                    made.push(json!({ "name": path.file_name().map(|n| n.to_string_lossy()), "built": matches!(outcome, Outcome::Built { .. }) }))
                }
                Outcome::Skipped { .. } | Outcome::Failed { .. } => failed += 1,
            }
        }
    }
    let diagnostics: Vec<_> = built.iter().flat_map(|y| y.result.diagnostics.iter().cloned()).collect();
    Reply::json(
        200,
        &json!({
            "pdfs": made,
            "not_built": failed,
            "summary": crate::diag::summary(&diagnostics),
            "ms": started.elapsed().as_millis() as u64,
            "year": year_status(state, &name),
        }),
    )
}

/// `GET /pdf/<year's output folder>/<name>.pdf` (percent-encoded): a PDF of the output
/// folder, nothing else.
pub fn pdf(state: &State, encoded: &str) -> Reply {
    let refuse = || Reply::error(404, "没有这个 PDF");
    let decoded = percent_encoding::percent_decode_str(encoded).decode_utf8_lossy().into_owned();
    let Some(parts) = paths::parts(&decoded).filter(|_| decoded.to_ascii_lowercase().ends_with(".pdf")) else {
        return refuse();
    };
    let path = state.out().join(&decoded);
    let inside = match (state.out().canonicalize(), path.canonicalize()) {
        (Ok(root), Ok(real)) => real.starts_with(root),
        _ => false,
    };
    if !inside || !path.is_file() {
        return refuse();
    }
    match crate::files::read_regular(&path, MAX_PDF_BYTES) {
        Ok(bytes) => {
            let mut reply = Reply::bytes("application/pdf", bytes);
            let name = parts.last().copied().unwrap_or("report.pdf");
            let encoded = percent_encoding::utf8_percent_encode(name, percent_encoding::NON_ALPHANUMERIC);
            reply.headers.push(("Content-Disposition", format!("inline; filename*=UTF-8''{encoded}")));
            reply
        }
        Err(_) => refuse(),
    }
}
