//! Load: a year's specs read and validated against its form, ready to plan.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::PdfStandard;
use crate::diag::Diagnostic;
use crate::diag::{Sources, rules};
use crate::form::Form;
use crate::form::fields::FormFields;
use crate::spec::actuals::PeriodFiles;
use crate::spec::cache::ParseCache;
use crate::spec::source::SpecSource;
use crate::spec::year::{YearFiles, read_year, read_year_from};
use crate::typeset::Typesetter;
use crate::validate::evaluation::PeriodChecked;
use crate::validate::outputs::require_date;
use crate::validate::{Checked, Glyphs, check_year};
use crate::workspace::Workspace;

/// A year read and validated, ready to build.
pub struct Prepared {
    /// The files.
    pub files: Arc<YearFiles>,
    /// The form, when the department named a usable one.
    pub form: Option<Form>,
    /// Validation results.
    pub checked: Checked,
    /// The texts diagnostics point into.
    pub sources: Sources,
    /// Where its PDFs go, relative to `out/` (see [`Workspace::default_out_rel`]).
    pub out_rel: PathBuf,
    /// For a period of the year (monitoring, self-evaluation): its actual figures,
    /// checked against the year's targets; `form` is then the period's form.
    pub period: Option<Period>,
}

impl Prepared {
    /// The rules the PDF standard adds: a PDF/A needs a document date (E0324), unless
    /// `SOURCE_DATE_EPOCH` gives one.
    pub fn check_standard(&mut self, standard: PdfStandard, typesetter: &Typesetter) {
        if standard.is_archival() && !typesetter.has_default_date() {
            require_date(&self.files, &mut self.checked, &standard.name()[2..]);
        }
    }
}

/// A period's actual figures, checked.
pub struct Period {
    /// What was read.
    pub files: PeriodFiles,
    /// What checking and scoring found.
    pub checked: PeriodChecked,
}

impl Period {
    /// The period's date (`period.yaml`'s `date`), as (year, month, day).
    pub fn date(&self) -> Option<(i32, u8, u8)> {
        let date = self.files.period.as_ref()?.spec.date.as_ref()?;
        let (year, month, day) = crate::value::parse_date(&date.value)?;
        Some((i32::try_from(year).ok()?, u8::try_from(month?).ok()?, u8::try_from(day?).ok()?))
    }
}

/// Reads and validates a year of the working tree (glyphs checked against the
/// typesetter's fonts).
pub fn prepare(workspace: &Workspace, dir: &Path, typesetter: &Typesetter) -> Prepared {
    let mut sources = Sources::default();
    let mut form = None;
    let files = read_year(dir, &mut sources, &mut |department, sources| {
        load_form(workspace, None, department, sources, &mut form)
    });
    validate(dir, files, sources, Some(typesetter.fonts()), form, workspace)
}

/// Reads and validates a year from any source (a git revision, memory). The form comes
/// from the workspace's `templates/`. A `cache` shared by several reads parses each
/// distinct file once.
pub fn prepare_from(
    source: &dyn SpecSource,
    workspace: &Workspace,
    dir: &Path,
    glyphs: Option<&dyn Glyphs>,
    cache: Option<&ParseCache>,
) -> Prepared {
    let mut sources = Sources::default();
    let mut form = None;
    let files = read_year_from(source, dir, &mut sources, cache, &mut |department, sources| {
        load_form(workspace, cache, department, sources, &mut form)
    });
    validate(dir, files, sources, glyphs, form, workspace)
}

/// Loads the form a department names (the seed's when it names none) into `loaded`,
/// once per `cache`, and gives its fields (the default fields when it cannot be loaded:
/// that is an error of its own).
fn load_form(
    workspace: &Workspace,
    cache: Option<&ParseCache>,
    name: Option<&str>,
    sources: &mut Sources,
    loaded: &mut Option<Result<Form, Diagnostic>>,
) -> FormFields {
    let name = name.unwrap_or(&workspace.default_form);
    let form = match cache {
        Some(cache) => cache.form(&workspace.templates, name, sources),
        None => Form::load(&workspace.templates, name, sources),
    };
    let fields = form.as_ref().map(|f| f.fields.clone()).unwrap_or_default();
    *loaded = Some(form);
    fields
}

/// Checks a year's files against its form.
fn validate(
    dir: &Path,
    files: YearFiles,
    mut sources: Sources,
    glyphs: Option<&dyn Glyphs>,
    form: Option<Result<Form, Diagnostic>>,
    workspace: &Workspace,
) -> Prepared {
    let out_rel = workspace.default_out_rel(dir);
    let form = form.unwrap_or_else(|| Form::load(&workspace.templates, &workspace.default_form, &mut sources));
    let form = form.and_then(|form| match form.def.kind {
        crate::form::FormKind::Targets => Ok(form),
        kind => Err(Diagnostic::new(
            &rules::E0201,
            &form.dir.join(crate::form::FORM_FILE),
            None,
            format!("表样 `{}` 是{}，目标规格（department.yaml 的 form）应写绩效目标表的表样", form.name, kind.label()),
        )
        .with_hint("自评表、监控表写在 actuals/<期间>/period.yaml 中（见 README“绩效自评与运行监控”）")),
    });
    match form {
        Ok(form) => {
            // Template problems point into the templates.
            for (name, text) in &form.files {
                sources.add(&form.template_path(name), text);
            }
            let checked = check_year(&files, &form, glyphs);
            Prepared { files: Arc::new(files), form: Some(form), checked, sources, out_rel, period: None }
        }
        Err(mut d) => {
            // Point at the `form:` line when the department named the form.
            if let Some(dep) = &files.department
                && let Some(named) = &dep.spec.form
                && d.rule == &rules::E0201
            {
                d.file = dep.path.clone();
                d.span = Some(crate::yaml::span_of(&dep.text, named));
            }
            let mut checked = Checked { diagnostics: files.diagnostics.clone(), ..Checked::default() };
            checked.diagnostics.push(d);
            Prepared { files: Arc::new(files), form: None, checked, sources, out_rel, period: None }
        }
    }
}
