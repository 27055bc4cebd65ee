//! A year being built, read-only once started: its documents and keys, the form, the
//! base template context, the folder lock, and the templates compiled on first use. The
//! stages read it; what they hand each other while it runs (tables waiting for their
//! report) is the scheduler's ([`super::schedule`]).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::errors::template_error;
use super::jobs::{Job, busy_folder, code_order, foreign_folder, jobs};
use super::outcome::{YearResult, skipped_outcomes};
use super::prepare::Prepared;
use super::timings::Timings;
use super::{BuildOptions, FontPreferences};
use crate::diag::Diagnostic;
use crate::form::Form;
use crate::incremental::lock::FolderLock;
use crate::incremental::manifest::Manifest;
use crate::model::DepartmentSpec;
use crate::render::Renderer;
use crate::spec::year::Loaded;
use crate::view::{self, FontFamilies};
use crate::workspace::Workspace;

/// A year ready to typeset: its documents and what they share, read-only.
pub(crate) struct YearRun<'a> {
    pub(crate) prepared: &'a Prepared,
    pub(crate) form: &'a Form,
    pub(crate) department: &'a Loaded<DepartmentSpec>,
    /// The form's templates, compiled the first time a document needs them (a year
    /// with nothing to typeset never compiles them).
    pub(crate) renderer: OnceLock<Result<Renderer, Diagnostic>>,
    pub(crate) base: view::Context<'a>,
    /// Project indices in code order.
    pub(crate) order: Vec<usize>,
    /// The report, then the projects in code order (`jobs[k + 1]` is `order[k]`).
    pub(crate) jobs: Vec<Job>,
    pub(crate) out_dir: PathBuf,
    /// The year folder as the manifest names it.
    pub(crate) source: String,
    pub(crate) manifest: Manifest,
    /// Whether the year has no error at all (then the report may be replaced and stale
    /// outputs pruned).
    pub(crate) year_ok: bool,
    /// Where this run's time goes.
    pub(crate) timings: &'a Timings,
    /// The build's options (the sink among them).
    pub(crate) options: &'a BuildOptions,
    /// Held while the plan may write into `out_dir`.
    pub(crate) _lock: Option<FolderLock>,
    /// Whether the report is to be typeset (then every table's pages wait for it).
    pub(crate) report_due: bool,
    /// Tables' printed grids by project index, kept for the year's workbook once made
    /// for a table's own office files.
    pub(crate) grids: std::sync::Mutex<std::collections::BTreeMap<usize, std::sync::Arc<crate::grid::Grid>>>,
}

impl YearRun<'_> {
    /// The year's change marks, in a change-marked build.
    pub(crate) fn marks(&self) -> Option<&crate::review::marking::YearMarks> {
        self.options.marks.get(&self.prepared.files.dir).map(|m| &**m)
    }

    /// The form's templates, compiled once.
    pub(crate) fn renderer(&self) -> Result<&Renderer, Diagnostic> {
        self.renderer
            .get_or_init(|| Renderer::new(self.form).map_err(|e| template_error(self.form, &e)))
            .as_ref()
            .map_err(Diagnostic::clone)
    }
}

/// The font families each role of the form uses: the preferred ones first, then the
/// form's own.
pub(crate) fn families(form: &Form, prefs: &FontPreferences) -> FontFamilies {
    let mut families = FontFamilies::default();
    for (role, own) in &form.def.fonts {
        let preferred = prefs.roles.get(role).into_iter().flatten();
        let list: Vec<String> = preferred.chain(own).cloned().collect();
        let bold = list.first().is_some_and(|first| prefs.bold.contains(&first.to_lowercase()));
        families.bold.insert(role.clone(), bold);
        families.roles.insert(role.clone(), list);
    }
    families
}

/// Works out a year's documents, their keys and whether they are fresh; a year that
/// cannot be built at all comes back as its result.
pub(crate) fn start<'a>(
    prepared: &'a Prepared,
    workspace: &Workspace,
    options: &'a BuildOptions,
) -> Result<YearRun<'a>, YearResult> {
    let refuse = |diagnostic: Option<Diagnostic>| {
        let mut diagnostics = prepared.checked.diagnostics.clone();
        diagnostics.extend(diagnostic);
        YearResult { dir: prepared.files.dir.clone(), diagnostics, outcomes: skipped_outcomes(prepared) }
    };
    let (Some(form), Some(department), Some(names)) =
        (&prepared.form, &prepared.files.department, &prepared.checked.outputs)
    else {
        return Err(refuse(None));
    };
    let out_dir = workspace.out.join(&prepared.out_rel);
    let source = workspace.source_name(&prepared.files.dir);
    // In memory nothing is read from disk: every document is made, nothing is locked.
    let on_disk = options.sink.is_disk();
    let manifest = if on_disk { Manifest::load(&out_dir) } else { Manifest::default() };
    if let Some(other) = manifest.source.as_ref().filter(|other| **other != source) {
        return Err(refuse(Some(foreign_folder(&out_dir, other, &source))));
    }
    // Any error of the year (a file that could not be listed or read included) keeps the
    // report as it is and deletes nothing.
    let year_ok = !prepared.checked.blocked && !prepared.checked.diagnostics.iter().any(Diagnostic::is_error);
    let order = code_order(prepared);
    // A change-marked document differs from the one on disk whatever its key says.
    let marked = options.marks.contains_key(&prepared.files.dir);
    let extensions: Vec<&str> = options.images.iter().map(|f| f.extension()).collect();
    let fresh = |path: &Path, key: &str| {
        on_disk
            && !options.force
            && !marked
            && manifest.is_fresh(path, key)
            && manifest.images_fresh(path, key, &extensions)
    };
    let mut jobs = jobs(prepared, options, &order, &out_dir, names, year_ok, &fresh);
    if options.report_preview {
        // The tables are wanted only inside the report.
        jobs.iter_mut().skip(1).for_each(|job| job.fresh = true);
    }
    // Lock the folder while anything may be written or pruned there.
    let writes = on_disk && (jobs.iter().any(|j| j.valid && !j.fresh) || out_dir.is_dir());
    let lock = match writes.then(|| FolderLock::acquire(&out_dir)).transpose() {
        Ok(lock) => lock,
        Err(e) => return Err(refuse(Some(busy_folder(&out_dir, e)))),
    };
    let base = view::context(form, &families(form, &options.prefs), &department.spec);
    let report_due = year_ok && !jobs[0].fresh;
    Ok(YearRun {
        prepared,
        form,
        department,
        renderer: OnceLock::new(),
        base,
        order,
        jobs,
        out_dir,
        source,
        manifest,
        year_ok,
        timings: &options.timings,
        options,
        _lock: lock,
        report_due,
        grids: std::sync::Mutex::default(),
    })
}
