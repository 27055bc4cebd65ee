//! Page images made in memory, without touching `out/`: a year's documents as the build
//! would print them, or one project's table on its own (`jixiao preview`, the editor).

use std::sync::Arc;

use crate::config::OutputFormat;
use crate::diag::Diagnostic;
use crate::pipeline::errors::typst_error;
use crate::pipeline::{BuildOptions, FontPreferences, MemorySink, Prepared, Sink, build_years, project_source};
use crate::typeset::{Typesetter, images};
use crate::validate::outputs::image_owner;
use crate::workspace::Workspace;

/// The page images of every document of a year (named `<PDF 名>-<页码>.<ext>`), made in
/// memory, and the problems met on the way that validation had not found.
pub fn year_images(
    prepared: &Prepared,
    workspace: &Workspace,
    typesetter: &Typesetter,
    prefs: FontPreferences,
    format: OutputFormat,
    ppi: f32,
) -> (Vec<(String, Vec<u8>)>, Vec<Diagnostic>) {
    let memory = MemorySink::default();
    let options = BuildOptions {
        prefs,
        force: true,
        sink: Sink::Memory(memory.clone()),
        images: vec![format],
        ppi,
        timings: Arc::default(),
        ..BuildOptions::default()
    };
    let results = build_years(std::slice::from_ref(prepared), workspace, typesetter, &options, &|_| {});
    let extra: Vec<_> = results
        .iter()
        .flat_map(|r| r.diagnostics.iter())
        .filter(|d| d.is_error() && !prepared.checked.diagnostics.contains(d))
        .cloned()
        .collect();
    let images = memory
        .files()
        .into_iter()
        .filter_map(|(path, bytes)| Some((path.file_name()?.to_str()?.to_string(), bytes)))
        .filter(|(name, _)| image_owner(name).is_some())
        .collect();
    (images, extra)
}

/// The page images of a year's report alone (`format`, at `ppi`), as the build would
/// print it, made in memory from `base`'s settings: its tables are laid out (or taken
/// from `base.layouts`) but not exported, and no PDF is made. Nothing when the year
/// cannot make its report; the template's or Typst's problems when it fails.
pub fn report_images(
    prepared: &Prepared,
    workspace: &Workspace,
    typesetter: &Typesetter,
    base: &BuildOptions,
    format: OutputFormat,
    ppi: f32,
) -> Result<Vec<Vec<u8>>, Vec<Diagnostic>> {
    let Some(report) = prepared.checked.outputs.as_ref().map(|n| n.report.clone()) else { return Ok(Vec::new()) };
    let memory = MemorySink::default();
    let options = BuildOptions {
        force: true,
        report_preview: true,
        sink: Sink::Memory(memory.clone()),
        images: vec![format],
        ppi,
        timings: Arc::default(),
        marks: Default::default(),
        ..base.clone()
    };
    let results = build_years(std::slice::from_ref(prepared), workspace, typesetter, &options, &|_| {});
    let failed: Vec<Diagnostic> = results
        .iter()
        .flat_map(|r| r.diagnostics.iter())
        .filter(|d| d.is_error() && !prepared.checked.diagnostics.contains(d))
        .cloned()
        .collect();
    if !failed.is_empty() {
        return Err(failed);
    }
    let mut pages: Vec<(usize, Vec<u8>)> = memory
        .files()
        .into_iter()
        .filter_map(|(path, bytes)| {
            let name = path.file_name()?.to_str()?;
            (image_owner(name).as_deref() == Some(report.as_str())).then(|| (page_number(name), bytes))
        })
        .collect();
    pages.sort_by_key(|(n, _)| *n);
    Ok(pages.into_iter().map(|(_, bytes)| bytes).collect())
}

/// The page number of an image named `<stem>-<n>.<ext>`.
pub fn page_number(name: &str) -> usize {
    name.rsplit_once('-').and_then(|(_, rest)| rest.split('.').next()?.parse().ok()).unwrap_or(0)
}

/// The page images of project `index` of a year, as its PDF prints them; nothing (and
/// no problem) when it or its department has errors, which are the year's diagnostics;
/// the template's or Typst's problems otherwise.
pub fn table_pages(
    prepared: &Prepared,
    index: usize,
    prefs: &FontPreferences,
    typesetter: &Typesetter,
    format: OutputFormat,
    ppi: f32,
) -> Result<Vec<Vec<u8>>, Vec<Diagnostic>> {
    if !prepared.checked.projects.get(index).is_some_and(|p| p.ok) || !prepared.checked.department_ok {
        return Ok(Vec::new());
    }
    let (Some(form), Some(_)) = (&prepared.form, &prepared.checked.outputs) else { return Ok(Vec::new()) };
    let code = prepared.files.projects[index].spec.code.value.as_str();
    let source = project_source(prepared, code, prefs, true).map_err(|d| vec![d])?;
    let laid = typesetter.layout(&form.dir, source, &format!("项目 {code} 的表")).map_err(|messages| {
        messages.iter().map(|m| typst_error(form, crate::form::PROJECT_TEMPLATE, m, typesetter)).collect::<Vec<_>>()
    })?;
    Ok(images::pages(&laid.document, format, ppi))
}
