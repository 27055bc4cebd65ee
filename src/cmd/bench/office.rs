//! The office files' part of `jixiao bench`: every project of the corpus written into one
//! workbook (a sheet per project in its printed layout, as an office that keeps a year in
//! one file has it), then imported back, timed.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::diag::Sources;
use crate::form::Form;
use crate::import::printed::Layout;
use crate::import::run::import_files;
use crate::office::xlsx;
use crate::pipeline::office::{probe_grid, project_grid};
use crate::pipeline::{FontPreferences, prepare};
use crate::typeset::Typesetter;
use crate::workspace::Workspace;

/// What importing the corpus from one workbook measured.
pub struct ImportRun {
    /// Projects in the workbook.
    pub projects: usize,
    /// Its size in bytes.
    pub bytes: u64,
    /// Projects written back as specs.
    pub written: usize,
    /// Seconds the import took (reading, finding every project, writing the specs).
    pub seconds: f64,
}

/// The most projects put into the workbook: a province's 10,000 would pass the import's
/// size limit (20 MB); the import's target is stated for 1,000.
pub const MOST_PROJECTS: usize = 1000;

/// Writes the projects of `years` (the first [`MOST_PROJECTS`]) into one workbook at
/// `file` and imports it into `into`.
pub fn import_round(
    workspace: &Workspace,
    years: &[PathBuf],
    typesetter: &Typesetter,
    file: &Path,
    into: &Path,
) -> Result<ImportRun, String> {
    let prefs = FontPreferences::default();
    let mut book = xlsx::workbook(None);
    let mut projects = 0;
    let mut form_name = None;
    for year in years {
        if projects == MOST_PROJECTS {
            break;
        }
        let prepared = prepare(workspace, year, typesetter);
        let (Some(form), Some(department)) = (&prepared.form, &prepared.files.department) else {
            return Err(format!("{} 无法读取", year.display()));
        };
        form_name = Some(form.name.clone());
        for project in prepared.files.projects.iter().take(MOST_PROJECTS - projects) {
            let grid = project_grid(form, &prefs, typesetter, &department.spec, &project.spec)?;
            xlsx::write_grid(book.add_worksheet(), &project.spec.code.value, &grid).map_err(|e| e.to_string())?;
            projects += 1;
        }
    }
    book.save(file).map_err(|e| e.to_string())?;
    let form = Form::load(&workspace.templates, &form_name.unwrap_or_default(), &mut Sources::default())
        .map_err(|d| d.message.clone())?;
    let started = Instant::now();
    let layout = Layout::learn(&probe_grid(&form, &prefs, typesetter)?, &form);
    let imported = import_files(&[file.to_path_buf()], &form, &layout, into, &into.join("project.json"), false);
    let seconds = started.elapsed().as_secs_f64();
    if let Some(problem) = imported.problems.iter().find(|p| p.is_error) {
        return Err(problem.to_string());
    }
    let bytes = std::fs::metadata(file).map(|m| m.len()).unwrap_or_default();
    Ok(ImportRun { projects, bytes, written: imported.written.len(), seconds })
}
