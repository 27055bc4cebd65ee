//! Plan: a year's documents, where each goes, the key of its inputs, and whether the
//! PDF on disk is still fresh; the output folder locked and checked before any work.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex, OnceLock};

use typst_layout::PagedDocument;

use super::BuildOptions;
use super::load::Prepared;
use super::outcome::{Document, YearResult, skipped_outcomes};
use super::produce::families;
use super::schedule::Export;
use super::timings::Timings;
use crate::diag::{Diagnostic, rules};
use crate::form::Form;
use crate::incremental::lock::{FolderLock, LockError};
use crate::incremental::manifest::{KeyBuilder, Manifest};
use crate::render::Renderer;
use crate::spec::model::DepartmentSpec;
use crate::spec::year::Loaded;
use crate::text::io_reason;
use crate::validate::outputs::OutputNames;
use crate::view::{self};
use crate::workspace::Workspace;
/// One document to produce.
pub(crate) struct Job {
    /// Index into `files.projects`, or `None` for the combined report (always `jobs[0]`).
    pub(crate) project: Option<usize>,
    /// What it is, for messages.
    pub(crate) document: Document,
    /// Where it goes.
    pub(crate) path: PathBuf,
    /// The key of its inputs.
    pub(crate) key: String,
    /// Whether its spec (and, for the report, every spec) is valid.
    pub(crate) valid: bool,
    /// Whether the PDF on disk was made from these inputs and is untouched.
    pub(crate) fresh: bool,
}

/// A year ready to typeset: its documents and what they share.
pub(crate) struct Plan<'a> {
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
    /// Whether the report is to be typeset: then every table's pages wait for it here,
    /// by job index, until it takes them.
    pub(crate) report_due: bool,
    pub(crate) tables: Vec<Mutex<Option<Arc<PagedDocument>>>>,
    /// Tables laid out and waiting to be exported.
    pub(crate) exports: Mutex<Vec<Export>>,
    /// Tables not laid out yet; the last one queues the report and the exports.
    pub(crate) pending: AtomicUsize,
}

/// Works out a year's documents, their keys and whether they are fresh; a year that
/// cannot be built at all comes back as its result.
pub(crate) fn plan<'a>(
    prepared: &'a Prepared,
    workspace: &Workspace,
    options: &'a BuildOptions,
) -> Result<Plan<'a>, YearResult> {
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
    let year_ok = !prepared.checked.diagnostics.iter().any(Diagnostic::is_error);
    let order = code_order(prepared);
    let fresh = |path: &Path, key: &str| on_disk && !options.force && manifest.is_fresh(path, key);
    let jobs = jobs(prepared, options, &order, &out_dir, names, year_ok, &fresh);
    // Lock the folder while anything may be written or pruned there.
    let writes = on_disk && (jobs.iter().any(|j| j.valid && !j.fresh) || (year_ok && out_dir.is_dir()));
    let lock = match writes.then(|| FolderLock::acquire(&out_dir)).transpose() {
        Ok(lock) => lock,
        Err(e) => return Err(refuse(Some(busy_folder(&out_dir, e)))),
    };
    let base = view::context(form, &families(form, &options.prefs), &department.spec);
    let report_due = year_ok && !jobs[0].fresh;
    let tables = jobs.iter().map(|_| Mutex::new(None)).collect();
    let exports = Mutex::new(Vec::new());
    let pending = AtomicUsize::new(jobs.len() - 1);
    Ok(Plan {
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
        tables,
        exports,
        pending,
    })
}

/// Project indices in code order.
fn code_order(prepared: &Prepared) -> Vec<usize> {
    let projects = &prepared.files.projects;
    let mut order: Vec<usize> = (0..projects.len()).collect();
    order.sort_by(|a, b| projects[*a].spec.code.value.trim().cmp(projects[*b].spec.code.value.trim()));
    order
}

/// The year's documents: the report first, then the projects in `order`, each with its
/// path, the key of its inputs and whether its PDF is still fresh.
fn jobs(
    prepared: &Prepared,
    options: &BuildOptions,
    order: &[usize],
    out_dir: &Path,
    names: &OutputNames,
    year_ok: bool,
    fresh: &dyn Fn(&Path, &str) -> bool,
) -> Vec<Job> {
    let (Some(form), Some(department)) = (&prepared.form, &prepared.files.department) else { return Vec::new() };
    // Everything a document depends on besides its own spec.
    let shared = KeyBuilder::new(&options.environment)
        .add("form", form.name.as_bytes())
        .add("form files", form.digest.as_bytes())
        .add("prefs", format!("{:?}", options.prefs).as_bytes())
        .add("department", department.text.as_bytes())
        .finish();
    let mut jobs: Vec<Job> = Vec::new();
    let mut report_key = KeyBuilder::new(&shared);
    for &index in order {
        let loaded = &prepared.files.projects[index];
        let path = out_dir.join(&names.projects[index]);
        let key = KeyBuilder::new(&shared)
            .add("project", loaded.text.as_bytes())
            .add("path", path.to_string_lossy().as_bytes())
            .finish();
        report_key = report_key.add("project", loaded.text.as_bytes());
        // A table prints the department's name, unit and year: an invalid department file blocks it too.
        let valid = prepared.checked.department_ok && prepared.checked.projects[index].ok;
        let document = Document::Project(loaded.spec.code.value.trim().to_string());
        jobs.push(Job { project: Some(index), document, fresh: fresh(&path, &key), path, key, valid });
    }
    let path = out_dir.join(&names.report);
    let key = report_key.add("path", path.to_string_lossy().as_bytes()).finish();
    let report =
        Job { project: None, document: Document::Report, fresh: fresh(&path, &key), path, key, valid: year_ok };
    jobs.insert(0, report);
    jobs
}

/// E0111: the output folder's manifest names another year folder.
fn foreign_folder(out_dir: &Path, other: &str, source: &str) -> Diagnostic {
    Diagnostic::new(
        &rules::E0111,
        out_dir,
        None,
        format!("输出目录中的 PDF 是由年度目录 {other} 生成的，不是 {source}；为免覆盖或删除它们，本年度不生成"),
    )
    .with_hint("请用 --out 指定另一个输出目录；如确实不再需要原来的 PDF，可先删除该输出目录")
}

/// E0111: the output folder could not be locked.
fn busy_folder(out_dir: &Path, error: LockError) -> Diagnostic {
    let message = match error {
        LockError::Busy => "另一个 jixiao 正在生成到这个输出目录；本年度这次不生成".to_string(),
        LockError::Io(e) => format!("无法锁定输出目录：{}", io_reason(&e)),
    };
    Diagnostic::new(&rules::E0111, out_dir, None, message)
        .with_hint("等另一个生成结束后再运行一次（已生成的 PDF 不会重复排版）")
}
