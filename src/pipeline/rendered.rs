//! What `check` finds of the build short of typesetting: every document's Typst source
//! rendered from the form's templates (the project tables, the footer sheet and, for a
//! year without errors, the combined report), so that a template that reads a field the
//! view does not have, or fails otherwise, is reported by `check` as `build` would
//! report it (E0401), without laying out a page.

use crate::diag::Diagnostic;
use crate::form::{FOOTERS_TEMPLATE, PROJECT_TEMPLATE, REPORT_TEMPLATE};
use crate::pipeline::errors::template_error;
use crate::pipeline::run::families;
use crate::pipeline::{FontPreferences, Prepared};
use crate::render::Renderer;
use crate::view;

/// The template problems of a prepared year's documents, each told once.
pub fn template_problems(prepared: &Prepared, prefs: &FontPreferences) -> Vec<Diagnostic> {
    let (Some(form), Some(department)) = (&prepared.form, &prepared.files.department) else { return Vec::new() };
    let renderer = match Renderer::new(form) {
        Ok(renderer) => renderer,
        Err(e) => return vec![template_error(form, &e)],
    };
    let base = view::context(form, &families(form, prefs), &department.spec);
    let mut found: Vec<Diagnostic> = Vec::new();
    let mut keep = |result: Result<String, minijinja::Error>| {
        if let Err(e) = result {
            let diagnostic = template_error(form, &e);
            if !found.iter().any(|d| d.message == diagnostic.message && d.span == diagnostic.span) {
                found.push(diagnostic);
            }
        }
    };
    let year = department.spec.year.value;
    let ok: Vec<usize> = (0..prepared.files.projects.len())
        .filter(|i| prepared.checked.projects.get(*i).is_some_and(|f| f.ok))
        .collect();
    if let Some(period) = &prepared.period {
        let view_of = |i: usize| {
            let facts = &period.checked.projects[i];
            let actuals = &period.files.actuals.get(facts.actuals?)?.spec;
            let (target, values) = (&prepared.files.projects[i].spec, &prepared.checked.projects[i].values);
            Some((
                view::evaluation(form, &department.spec, target, actuals, facts, period.checked.month, values),
                facts,
            ))
        };
        let tables: Vec<_> = ok.iter().filter_map(|&i| view_of(i)).collect();
        for (table, _) in &tables {
            let context = view::Context { evaluation: Some(table.clone()), footers: false, ..base.clone() };
            keep(renderer.render(form.table_template(), &context));
        }
        keep(renderer.render(FOOTERS_TEMPLATE, &view::Context { pages: Some(4), ..base.clone() }));
        if !prepared.checked.blocked && !prepared.checked.diagnostics.iter().any(Diagnostic::is_error) {
            let date = period.files.period.as_ref().and_then(|p| p.spec.date.clone());
            let report = view::evaluation_report(form, &department.spec, &date, tables);
            keep(renderer.render(form.report_template(), &view::Context { evaluation_report: Some(report), ..base }));
        }
        return found;
    }
    for &i in &ok {
        let project = view::project(form, year, &prepared.files.projects[i].spec);
        let context = view::Context { project: Some(project), footers: false, ..base.clone() };
        keep(renderer.render(PROJECT_TEMPLATE, &context));
    }
    keep(renderer.render(FOOTERS_TEMPLATE, &view::Context { pages: Some(4), ..base.clone() }));
    let year_ok = prepared.checked.department_ok && !prepared.checked.diagnostics.iter().any(Diagnostic::is_error);
    if year_ok {
        let pairs: Vec<_> =
            ok.iter().map(|&i| (&prepared.files.projects[i].spec, &prepared.checked.projects[i])).collect();
        let pages = vec![1; pairs.len()];
        let report = view::report(form, &department.spec, &pairs, prepared.checked.total, &pages);
        keep(renderer.render(REPORT_TEMPLATE, &view::Context { report: Some(report), ..base }));
    }
    found
}
