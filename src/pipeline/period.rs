//! A year's periods (mid-year monitoring, the year-end self-evaluation) as runs of their
//! own: each period folder (`actuals/<period>/`) read and checked against the year's
//! targets, then built like a year with the period's form into its own output folder
//! (`out/<year>/<period>/`). A period is prepared from its year, after it, and never
//! changes it.

use std::path::Path;
use std::sync::Arc;

use super::prepare::{Period, Prepared};
use crate::diag::{Diagnostic, Sources, rules};
use crate::form::Form;
use crate::spec::actuals::{find_periods, read_period};
use crate::spec::cache::ParseCache;
use crate::spec::source::{Disk, SpecSource};
use crate::validate::evaluation::{PeriodChecked, check_period};
use crate::validate::{Checked, ProjectFacts, outputs};
use crate::workspace::Workspace;
use crate::yaml::span_of;

/// The periods of a prepared year of the working tree.
pub fn periods(workspace: &Workspace, year: &Prepared) -> Vec<Prepared> {
    match Disk::new(&year.files.dir) {
        Ok(disk) => periods_from(&disk, workspace, year, None),
        Err(_) => Vec::new(),
    }
}

/// The periods of a prepared year, read from any source; with a `cache`, what another read
/// sharing it has parsed (or loaded) is not parsed again.
pub fn periods_from(
    source: &dyn SpecSource,
    workspace: &Workspace,
    year: &Prepared,
    cache: Option<&ParseCache>,
) -> Vec<Prepared> {
    // Targets that cannot be read against their form have nothing to answer.
    if !periods_in(year) {
        return Vec::new();
    }
    find_periods(source, &year.files.dir)
        .iter()
        .map(|dir| prepare_period(source, workspace, year, dir, cache))
        .collect()
}

/// The period in folder `dir` of a prepared year, read from any source (the editor reads
/// the one period of the file it edits).
pub fn period_at(source: &dyn SpecSource, workspace: &Workspace, year: &Prepared, dir: &Path) -> Option<Prepared> {
    periods_in(year).then(|| prepare_period(source, workspace, year, dir, None))
}

/// Whether a prepared year's targets can be answered (its form read, every project checked).
fn periods_in(year: &Prepared) -> bool {
    year.form.is_some() && year.checked.projects.len() == year.files.projects.len()
}

/// Reads and checks one period folder of a prepared year.
fn prepare_period(
    source: &dyn SpecSource,
    workspace: &Workspace,
    year: &Prepared,
    dir: &Path,
    cache: Option<&ParseCache>,
) -> Prepared {
    let mut sources = Sources::default();
    let files = read_period(source, dir, &mut sources, cache);
    let out_rel = year.out_rel.join(&files.name);
    let blocked = year.checked.diagnostics.iter().any(Diagnostic::is_error);
    let form = files.period.as_ref().map(|loaded| {
        let form = &loaded.spec.form.value;
        let form = match cache {
            Some(cache) => cache.form(&workspace.templates, form, &mut sources),
            None => Form::load(&workspace.templates, form, &mut sources),
        };
        form.map_err(|mut d| {
            if d.rule == &rules::E0201 {
                d.file = loaded.path.clone();
                d.span = Some(span_of(&loaded.text, &loaded.spec.form));
            }
            d
        })
    });
    let mut checked = Checked { diagnostics: files.diagnostics.clone(), blocked, ..Checked::default() };
    let (form, period_checked) = match form {
        Some(Ok(form)) => {
            for (name, text) in &form.files {
                sources.add(&form.template_path(name), text);
            }
            let found = check_period(&year.files, &year.checked, &files, &form);
            checked = period_facts(year, &form, &found, blocked);
            (Some(form), found)
        }
        Some(Err(d)) => {
            checked.diagnostics.push(d);
            (None, PeriodChecked::default())
        }
        None => (None, PeriodChecked::default()),
    };
    Prepared {
        files: Arc::clone(&year.files),
        form,
        checked,
        sources,
        out_rel,
        period: Some(Period { files, checked: period_checked }),
    }
}

/// What the build reads of a checked period, as it reads a year's: which projects may
/// be printed, and the names of their PDFs.
fn period_facts(year: &Prepared, form: &Form, found: &PeriodChecked, blocked: bool) -> Checked {
    let mut projects: Vec<ProjectFacts> = year
        .checked
        .projects
        .iter()
        .zip(&found.projects)
        .map(|(target, evaluation)| ProjectFacts { ok: evaluation.ok, values: target.values.clone(), amount: None })
        .collect();
    let mut diagnostics = found.diagnostics.clone();
    let mut blocked_names = vec![false; projects.len()];
    let outputs = outputs::check(&year.files, form, &mut diagnostics, &mut blocked_names);
    for (facts, blocked) in projects.iter_mut().zip(blocked_names) {
        facts.ok &= !blocked;
    }
    Checked {
        diagnostics,
        department_ok: year.checked.department_ok,
        projects,
        total: Default::default(),
        outputs,
        blocked,
    }
}

/// Adds what a period found to its year's results: its problems and the texts they
/// point into.
pub fn absorb(year: &mut Prepared, period: Prepared) {
    year.sources.absorb(&period.sources);
    year.checked.diagnostics.extend(period.checked.diagnostics);
}
