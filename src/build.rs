//! The build pipeline for one budget year: read → validate → render → typeset → write.
//!
//! Projects with errors are not built and keep their previous PDF; the others are
//! typeset in parallel on every core, all years in one queue. Each table is laid out
//! once: its own PDF and the combined report both use those pages (see
//! [`crate::typeset::compose`]), so a report is typeset after its year's last table.
//! The report is written only when the department and every project are valid and
//! built. Nothing is written for an invalid spec, and every file is replaced atomically.
//! A PDF whose inputs are unchanged since it was written (see
//! [`crate::incremental::manifest`]) is not
//! typeset again.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use typst_layout::PagedDocument;

use crate::diag::{Diagnostic, Sources, rules};
use crate::form::{DEFAULT_FORM, FOOTERS_TEMPLATE, Form, PROJECT_TEMPLATE, REPORT_TEMPLATE};
use crate::incremental::lock::{FolderLock, LockError};
use crate::incremental::manifest::{Entry, KeyBuilder, Manifest, file_stamp, hex_sha256};
use crate::incremental::write::write_atomic;
use crate::parallel;
use crate::render::Renderer;
use crate::spec::model::DepartmentSpec;
use crate::spec::year::{Loaded, YearFiles, read_year};
use crate::stats::{self, Phase};
use crate::text::io_reason;
use crate::typeset::{Laid, Typesetter, TypstMessage, compose, overflow};
use crate::validate::{Checked, check_year};
use crate::view::{self, FontFamilies};

/// Where a project keeps its parts.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// `specs/`.
    pub specs: PathBuf,
    /// `templates/`.
    pub templates: PathBuf,
    /// `out/`.
    pub out: PathBuf,
}

impl Workspace {
    /// The standard layout under `root`.
    pub fn at(root: &Path) -> Workspace {
        // `specs/2024`, not `./specs/2024`, in every message when run in the project.
        let join = |name: &str| if root == Path::new(".") { PathBuf::from(name) } else { root.join(name) };
        Workspace { specs: join("specs"), templates: join("templates"), out: join("out") }
    }

    /// How a year folder is named in its output folder's manifest: its path below
    /// `specs/` (e.g. `2024`), or its real path when it lies elsewhere.
    pub fn source_name(&self, year_dir: &Path) -> String {
        let real = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
        match real(year_dir).strip_prefix(real(&self.specs)) {
            Ok(relative) if !relative.as_os_str().is_empty() => relative.to_string_lossy().replace('\\', "/"),
            _ => real(year_dir).display().to_string(),
        }
    }

    /// The output folder of a year folder, relative to `out/`: its path below `specs/`
    /// (`specs/2024` → `2024`, `specs/131003/2024` → `131003/2024`); a year folder
    /// elsewhere goes to its own name.
    pub fn default_out_rel(&self, year_dir: &Path) -> PathBuf {
        // Compare real paths: `specs/2024` and `./specs` name the same folders.
        let real = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
        match real(year_dir).strip_prefix(real(&self.specs)) {
            Ok(relative) if !relative.as_os_str().is_empty() => relative.to_path_buf(),
            _ => PathBuf::from(year_dir.file_name().unwrap_or(year_dir.as_os_str())),
        }
    }
}

/// Options of a build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Preferred font families, tried before the form's.
    pub prefs: FontPreferences,
    /// Rebuild every PDF, even when its inputs are unchanged.
    pub force: bool,
    /// The key of what every output shares (tool, fonts, font options); see
    /// [`crate::incremental::manifest::environment_key`].
    pub environment: String,
    /// Typeset one document after the other on the calling thread (for measuring where
    /// time goes: nested parallel work would be counted twice).
    pub sequential: bool,
}

/// Preferred font families given on the command line, tried before the form's.
#[derive(Debug, Clone, Default)]
pub struct FontPreferences {
    /// Body families (e.g. 仿宋_GB2312).
    pub body: Vec<String>,
    /// Label families (e.g. 黑体).
    pub label: Vec<String>,
}

/// What happened to one output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Typeset and written (or already identical on disk).
    Built {
        /// The PDF.
        path: PathBuf,
        /// Its page count.
        pages: usize,
        /// SHA-256 of its bytes (for the manifest).
        digest: String,
    },
    /// Its inputs did not change since it was written: left as it is.
    Unchanged {
        /// The PDF.
        path: PathBuf,
    },
    /// Not built because its spec (or the department's) has errors.
    Skipped {
        /// What it is (a project code, a file, or `report`).
        what: String,
    },
    /// Building failed (template, Typst or disk problem).
    Failed {
        /// What it is.
        what: String,
    },
}

/// The result of building (or checking) one year.
#[derive(Debug, Default)]
pub struct YearResult {
    /// The year folder.
    pub dir: PathBuf,
    /// Every problem, spec and build alike.
    pub diagnostics: Vec<Diagnostic>,
    /// Every output's fate, projects first, then the report.
    pub outcomes: Vec<Outcome>,
}

impl YearResult {
    /// Number of outputs typeset.
    pub fn built(&self) -> usize {
        self.outcomes.iter().filter(|o| matches!(o, Outcome::Built { .. })).count()
    }
    /// Number of outputs left as they were (inputs unchanged).
    pub fn unchanged(&self) -> usize {
        self.outcomes.iter().filter(|o| matches!(o, Outcome::Unchanged { .. })).count()
    }
    /// Number of outputs skipped because of spec errors.
    pub fn skipped(&self) -> usize {
        self.outcomes.iter().filter(|o| matches!(o, Outcome::Skipped { .. })).count()
    }
    /// Number of outputs that failed to build.
    pub fn failed(&self) -> usize {
        self.outcomes.iter().filter(|o| matches!(o, Outcome::Failed { .. })).count()
    }
}

/// A year read and validated, ready to build.
pub struct Prepared {
    /// The files.
    pub files: YearFiles,
    /// The form, when the department named a usable one.
    pub form: Option<Form>,
    /// Validation results.
    pub checked: Checked,
    /// The texts diagnostics point into.
    pub sources: Sources,
    /// Where its PDFs go, relative to `out/` (see [`Workspace::default_out_rel`]).
    pub out_rel: PathBuf,
}

/// Reads and validates a year.
pub fn prepare(workspace: &Workspace, dir: &Path, typesetter: &Typesetter) -> Prepared {
    stats::time(Phase::Validate, || {
        let mut sources = Sources::default();
        let files = read_year(dir, &mut sources);
        let out_rel = workspace.default_out_rel(dir);
        let form_name =
            files.department.as_ref().and_then(|d| d.spec.form.as_ref()).map(|f| f.value.trim().to_string());
        match Form::load(&workspace.templates, form_name.as_deref().unwrap_or(DEFAULT_FORM), &mut sources) {
            Ok(form) => {
                // Template problems point into the templates.
                for (name, text) in &form.files {
                    sources.add(&form.dir.join(name), text);
                }
                let checked = check_year(&files, &form, Some(typesetter.fonts()));
                Prepared { files, form: Some(form), checked, sources, out_rel }
            }
            Err(mut d) => {
                // Point at the `form:` line when the department named the form.
                if let Some(dep) = &files.department
                    && let Some(named) = &dep.spec.form
                    && d.rule == &rules::E0201
                {
                    d.file = dep.path.clone();
                    d.span = Some(crate::spec::load::span_of(&dep.text, named));
                }
                let mut checked = Checked { diagnostics: files.diagnostics.clone(), ..Checked::default() };
                checked.diagnostics.push(d);
                Prepared { files, form: None, checked, sources, out_rel }
            }
        }
    })
}

/// What producing one document gave: its fate and any problems.
type Produced = (Outcome, Vec<Diagnostic>);

/// One document to produce.
struct Job {
    /// Index into `files.projects`, or `None` for the combined report (always `jobs[0]`).
    project: Option<usize>,
    /// What it is, for messages.
    what: String,
    /// Where it goes.
    path: PathBuf,
    /// The key of its inputs.
    key: String,
    /// Whether its spec (and, for the report, every spec) is valid.
    valid: bool,
    /// Whether the PDF on disk was made from these inputs and is untouched.
    fresh: bool,
}

/// A year ready to typeset: its documents and what they share.
struct Plan<'a> {
    prepared: &'a Prepared,
    form: &'a Form,
    department: &'a Loaded<DepartmentSpec>,
    /// The form's templates, compiled the first time a document needs them (a year
    /// with nothing to typeset never compiles them).
    renderer: OnceLock<Result<Renderer, Diagnostic>>,
    base: view::Context<'a>,
    /// Project indices in code order.
    order: Vec<usize>,
    /// The report, then the projects in code order (`jobs[k + 1]` is `order[k]`).
    jobs: Vec<Job>,
    out_dir: PathBuf,
    /// The year folder as the manifest names it.
    source: String,
    manifest: Manifest,
    /// Whether the year has no error at all (then the report may be replaced and stale
    /// outputs pruned).
    year_ok: bool,
    /// Held while the plan may write into `out_dir`.
    _lock: Option<FolderLock>,
    /// Whether the report is to be typeset: then every table's pages wait for it here,
    /// by job index, until it takes them.
    report_due: bool,
    tables: Vec<Mutex<Option<Arc<PagedDocument>>>>,
    /// Tables laid out and waiting to be exported.
    exports: Mutex<Vec<Export>>,
    /// Tables not laid out yet; the last one queues the report and the exports.
    pending: AtomicUsize,
}

/// A laid-out table waiting to be exported.
struct Export {
    /// Its job in the plan.
    job: usize,
    table: Arc<PagedDocument>,
    /// Typst's warnings from laying it out.
    warnings: Vec<Diagnostic>,
}

/// One task of a batch: a step of a job of a plan (job 0 is the plan's report).
struct Task<'a> {
    plan: &'a Plan<'a>,
    index: usize,
    job: usize,
    step: Step,
}

/// What a task does.
enum Step {
    /// Lay out a project's table.
    Layout,
    /// Put footers under a laid-out table and write its PDF.
    Export(Export),
    /// Typeset the report around the laid-out tables.
    Report,
}

/// Builds prepared years into their output folders. Every table of every year is one
/// task on a worker per core; a year's report follows its last table. `progress` is
/// called once per output.
pub fn build_years(
    prepared: &[Prepared],
    workspace: &Workspace,
    typesetter: &Typesetter,
    options: &BuildOptions,
    progress: &(dyn Fn(&Outcome) + Sync),
) -> Vec<YearResult> {
    let plans: Vec<Result<Plan, YearResult>> = prepared.iter().map(|p| plan(p, workspace, options)).collect();
    if plans.iter().flatten().flat_map(|p| &p.jobs).any(|job| job.valid && !job.fresh) {
        typesetter.fonts().warm_up();
    }
    // Every table is laid out first. When a year's last table is laid out, its report
    // and its tables' exports are queued; they run (on all cores) before the next
    // year's tables, so a year's laid-out tables are freed soon, and a single year's
    // report is exported while the other cores export the tables.
    let mut tasks: Vec<Task> = Vec::new();
    for (index, plan) in plans.iter().enumerate() {
        if let Ok(plan) = plan {
            if plan.jobs.len() == 1 {
                // A year without projects has only its report to do.
                tasks.push(Task { plan, index, job: 0, step: Step::Report });
            }
            tasks.extend((1..plan.jobs.len()).map(|job| Task { plan, index, job, step: Step::Layout }));
        }
    }
    let done = parallel::run(tasks, options.sequential, |task, queue| {
        let Task { plan, index, job, step } = task;
        let result = match step {
            Step::Report => Some(plan.run_report(typesetter)),
            Step::Export(export) => Some(plan.export_table(export, typesetter)),
            Step::Layout => {
                let result = plan.lay_out_table(job, typesetter);
                if plan.pending.fetch_sub(1, Ordering::AcqRel) == 1 {
                    queue.push(Task { plan, index, job: 0, step: Step::Report });
                    let exports = std::mem::take(&mut *plan.exports.lock().unwrap_or_else(PoisonError::into_inner));
                    for export in exports {
                        queue.push(Task { plan, index, job: export.job, step: Step::Export(export) });
                    }
                }
                result
            }
        };
        if let Some((outcome, _)) = &result {
            progress(outcome);
        }
        (index, job, result)
    });
    let mut per_plan: Vec<Vec<(usize, Produced)>> = plans.iter().map(|_| Vec::new()).collect();
    for (index, job, result) in done {
        if let Some(result) = result {
            per_plan[index].push((job, result));
        }
    }
    plans
        .into_iter()
        .zip(per_plan)
        .map(|(plan, mut results)| match plan {
            Ok(plan) => {
                results.sort_by_key(|(j, _)| *j);
                plan.finish(results.into_iter().map(|(_, r)| r).collect(), options)
            }
            Err(result) => {
                result.outcomes.iter().for_each(progress);
                result
            }
        })
        .collect()
}

/// Builds one prepared year (see [`build_years`]).
pub fn build_year(
    prepared: &Prepared,
    workspace: &Workspace,
    typesetter: &Typesetter,
    options: &BuildOptions,
    progress: &(dyn Fn(&Outcome) + Sync),
) -> YearResult {
    let mut results = build_years(std::slice::from_ref(prepared), workspace, typesetter, options, progress);
    results.pop().unwrap_or_default()
}

/// Works out a year's documents, their keys and whether they are fresh; a year that
/// cannot be built at all comes back as its result.
fn plan<'a>(prepared: &'a Prepared, workspace: &Workspace, options: &BuildOptions) -> Result<Plan<'a>, YearResult> {
    let mut result = YearResult {
        dir: prepared.files.dir.clone(),
        diagnostics: prepared.checked.diagnostics.clone(),
        outcomes: Vec::new(),
    };
    let projects = &prepared.files.projects;
    let (Some(form), Some(department)) = (&prepared.form, &prepared.files.department) else {
        result.outcomes = skipped_outcomes(prepared);
        return Err(result);
    };
    let out_dir = workspace.out.join(&prepared.out_rel);
    let source = workspace.source_name(&prepared.files.dir);
    let manifest = Manifest::load(&out_dir);
    if let Some(other) = manifest.source.as_ref().filter(|other| **other != source) {
        result.diagnostics.push(
            Diagnostic::new(
                &rules::E0111,
                &out_dir,
                None,
                format!(
                    "输出目录中的 PDF 是由年度目录 {other} 生成的，不是 {source}；为免覆盖或删除它们，本年度不生成"
                ),
            )
            .with_hint("请用 --out 指定另一个输出目录；如确实不再需要原来的 PDF，可先删除该输出目录"),
        );
        result.outcomes = skipped_outcomes(prepared);
        return Err(result);
    }
    // Any error of the year (a file that could not be listed or read included) keeps the
    // report as it is and deletes nothing.
    let year_ok = !prepared.checked.diagnostics.iter().any(Diagnostic::is_error);
    let Some(names) = &prepared.checked.outputs else {
        result.outcomes = skipped_outcomes(prepared);
        return Err(result);
    };

    // Everything a document depends on besides its own spec.
    let shared = KeyBuilder::new(&options.environment)
        .add("form", form.name.as_bytes())
        .add("form files", form.digest.as_bytes())
        .add("prefs", format!("{:?}", options.prefs).as_bytes())
        .add("department", department.text.as_bytes())
        .finish();
    let fresh = |path: &Path, key: &str| !options.force && manifest.is_fresh(path, key);

    let mut order: Vec<usize> = (0..projects.len()).collect();
    order.sort_by(|a, b| projects[*a].spec.code.value.trim().cmp(projects[*b].spec.code.value.trim()));
    let mut jobs: Vec<Job> = Vec::new();
    let mut report_key = KeyBuilder::new(&shared);
    for &index in &order {
        let loaded = &projects[index];
        let code = loaded.spec.code.value.trim().to_string();
        let path = out_dir.join(&names.projects[index]);
        let key = KeyBuilder::new(&shared)
            .add("project", loaded.text.as_bytes())
            .add("path", path.to_string_lossy().as_bytes())
            .finish();
        report_key = report_key.add("project", loaded.text.as_bytes());
        // A table prints the department's name, unit and year: an invalid department file blocks it too.
        let valid = prepared.checked.department_ok && prepared.checked.projects[index].ok;
        jobs.push(Job { project: Some(index), what: code, fresh: fresh(&path, &key), path, key, valid });
    }
    let report_path = out_dir.join(&names.report);
    let report_key = report_key.add("path", report_path.to_string_lossy().as_bytes()).finish();
    jobs.insert(
        0,
        Job {
            project: None,
            what: "report".into(),
            fresh: fresh(&report_path, &report_key),
            path: report_path,
            key: report_key,
            valid: year_ok,
        },
    );
    // Lock the folder while anything may be written or pruned there.
    let writes = jobs.iter().any(|j| j.valid && !j.fresh) || (year_ok && out_dir.is_dir());
    let lock = if writes {
        match FolderLock::acquire(&out_dir) {
            Ok(lock) => Some(lock),
            Err(e) => {
                let message = match e {
                    LockError::Busy => "另一个 jixiao 正在生成到这个输出目录；本年度这次不生成".to_string(),
                    LockError::Io(e) => format!("无法锁定输出目录：{}", io_reason(&e)),
                };
                result.diagnostics.push(
                    Diagnostic::new(&rules::E0111, &out_dir, None, message)
                        .with_hint("等另一个生成结束后再运行一次（已生成的 PDF 不会重复排版）"),
                );
                result.outcomes = skipped_outcomes(prepared);
                return Err(result);
            }
        }
    } else {
        None
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
        _lock: lock,
        report_due,
        tables,
        exports,
        pending,
    })
}

/// Every output of a year that is not built at all: each project, then the report.
fn skipped_outcomes(prepared: &Prepared) -> Vec<Outcome> {
    let projects =
        prepared.files.projects.iter().map(|p| Outcome::Skipped { what: p.spec.code.value.trim().to_string() });
    let report = Outcome::Skipped { what: "report".into() };
    projects.chain(broken_outcomes(prepared)).chain([report]).collect()
}

/// The outcomes of project files that did not parse.
fn broken_outcomes(prepared: &Prepared) -> impl Iterator<Item = Outcome> + '_ {
    prepared.files.broken_projects.iter().map(|p| Outcome::Skipped { what: p.display().to_string() })
}

impl Plan<'_> {
    /// The form's templates, compiled the first time they are needed.
    fn renderer(&self) -> Result<&Renderer, Diagnostic> {
        self.renderer
            .get_or_init(|| Renderer::new(self.form).map_err(|e| template_error(self.form, &e)))
            .as_ref()
            .map_err(Diagnostic::clone)
    }

    /// Lays out a project's table: keeps it for the report when that is due and queues
    /// it for export when its PDF is stale. Returns the job's result unless the export
    /// will.
    fn lay_out_table(&self, j: usize, typesetter: &Typesetter) -> Option<Produced> {
        let job = &self.jobs[j];
        let Some(index) = job.project.filter(|_| job.valid) else {
            return Some((Outcome::Skipped { what: job.what.clone() }, vec![]));
        };
        if job.fresh && !self.report_due {
            return Some((Outcome::Unchanged { path: job.path.clone() }, vec![]));
        }
        let failed = |diagnostics| Some((Outcome::Failed { what: job.what.clone() }, diagnostics));
        let renderer = match self.renderer() {
            Ok(renderer) => renderer,
            Err(d) => return failed(vec![d]),
        };
        let spec = &self.department.spec;
        let context = view::Context {
            project: Some(view::project(self.form, spec.year.value, &self.prepared.files.projects[index].spec)),
            footers: false,
            ..self.base.clone()
        };
        let (table, warnings) = match lay_out(
            renderer,
            self.form,
            typesetter,
            PROJECT_TEMPLATE,
            &context,
            &format!("项目 {} 的表", job.what),
        ) {
            Ok(laid) => laid,
            Err(diagnostics) => return failed(diagnostics),
        };
        let table = Arc::new(table);
        if self.report_due {
            *self.tables[j].lock().unwrap_or_else(PoisonError::into_inner) = Some(Arc::clone(&table));
        }
        if job.fresh {
            return Some((Outcome::Unchanged { path: job.path.clone() }, warnings));
        }
        self.exports.lock().unwrap_or_else(PoisonError::into_inner).push(Export { job: j, table, warnings });
        None
    }

    /// Puts a laid-out table on a footer sheet and writes its PDF.
    fn export_table(&self, export: Export, typesetter: &Typesetter) -> Produced {
        let Export { job: j, table, warnings: mut diagnostics } = export;
        let job = &self.jobs[j];
        let ident = format!("{}/{}", self.department.spec.year.value, job.what);
        let written = self
            .renderer()
            .map_err(|d| vec![d])
            .and_then(|renderer| self.footer_sheet(renderer, typesetter, table.pages().len()))
            .and_then(|sheet| {
                compose::with_footers(&table, &sheet).map_err(|m| vec![compose_error(self.form, FOOTERS_TEMPLATE, m)])
            })
            .and_then(|document| write_pdf(typesetter, self.form, PROJECT_TEMPLATE, &document, &ident, &job.path));
        match written {
            Ok(outcome) => (outcome, diagnostics),
            Err(mut errors) => {
                diagnostics.append(&mut errors);
                (Outcome::Failed { what: job.what.clone() }, diagnostics)
            }
        }
    }

    /// A footer sheet with at least `pages` pages (shared by every table of the batch
    /// with the same form and fonts).
    fn footer_sheet(
        &self,
        renderer: &Renderer,
        typesetter: &Typesetter,
        pages: usize,
    ) -> Result<Arc<PagedDocument>, Vec<Diagnostic>> {
        // Few distinct sizes, so that the sheets are shared.
        let pages = pages.max(4).next_power_of_two();
        let context = view::Context { pages: Some(pages), ..self.base.clone() };
        let source = stats::time(Phase::Render, || renderer.render(FOOTERS_TEMPLATE, &context))
            .map_err(|e| vec![template_error(self.form, &e)])?;
        typesetter.layout_shared(&self.form.dir, source).map_err(|messages| {
            messages.iter().map(|m| typst_error(self.form, FOOTERS_TEMPLATE, m, typesetter)).collect()
        })
    }

    /// Typesets the combined report around the tables laid out for the projects' PDFs.
    fn run_report(&self, typesetter: &Typesetter) -> Produced {
        let job = &self.jobs[0];
        if !job.valid {
            return (Outcome::Skipped { what: job.what.clone() }, vec![]);
        }
        if job.fresh {
            return (Outcome::Unchanged { path: job.path.clone() }, vec![]);
        }
        let failed = |diagnostics| (Outcome::Failed { what: job.what.clone() }, diagnostics);
        // The tables, in code order; a table that failed has already said why.
        let tables: Vec<Option<Arc<PagedDocument>>> =
            self.tables[1..].iter().map(|t| t.lock().unwrap_or_else(PoisonError::into_inner).take()).collect();
        let Some(tables) = tables.into_iter().collect::<Option<Vec<Arc<PagedDocument>>>>() else {
            return failed(vec![]);
        };
        let renderer = match self.renderer() {
            Ok(renderer) => renderer,
            Err(d) => return failed(vec![d]),
        };
        let projects = &self.prepared.files.projects;
        let spec = &self.department.spec;
        let pairs: Vec<_> =
            self.order.iter().map(|i| (&projects[*i].spec, &self.prepared.checked.projects[*i])).collect();
        let pages: Vec<usize> = tables.iter().map(|t| t.pages().len()).collect();
        let report = view::report(self.form, spec, &pairs, self.prepared.checked.total, &pages);
        let codes: Vec<String> = report.projects.iter().map(|p| p.code.clone()).collect();
        let by_code: Vec<(&str, &PagedDocument)> =
            codes.iter().map(String::as_str).zip(tables.iter().map(|t| &**t)).collect();
        let context = view::Context { report: Some(report), ..self.base.clone() };
        let (laid, mut diagnostics) =
            match lay_out(renderer, self.form, typesetter, REPORT_TEMPLATE, &context, "合订本") {
                Ok(laid) => laid,
                Err(diagnostics) => return failed(diagnostics),
            };
        let ident = format!("{}/{}", spec.year.value, job.what);
        let written = compose::fill_slots(&laid, &by_code)
            .map_err(|m| vec![compose_error(self.form, REPORT_TEMPLATE, m)])
            .and_then(|document| write_pdf(typesetter, self.form, REPORT_TEMPLATE, &document, &ident, &job.path));
        match written {
            Ok(outcome) => (outcome, diagnostics),
            Err(mut errors) => {
                diagnostics.append(&mut errors);
                failed(diagnostics)
            }
        }
    }

    /// Collects the year's outcomes (projects in code order, then the report), updates
    /// the manifest and removes stale PDFs.
    fn finish(self, results: Vec<Produced>, options: &BuildOptions) -> YearResult {
        let mut result = YearResult {
            dir: self.prepared.files.dir.clone(),
            diagnostics: self.prepared.checked.diagnostics.clone(),
            outcomes: Vec::new(),
        };
        let mut new_manifest = self.manifest.clone();
        let mut done: Vec<_> = results.into_iter().zip(&self.jobs).collect();
        // The report comes first in `jobs`; users read it after the projects.
        done.rotate_left(1);
        for ((outcome, diagnostics), job) in done {
            if let Outcome::Built { path, digest, .. } = &outcome
                && let Some(name) = path.file_name().and_then(|n| n.to_str())
            {
                let entry = Entry { input: job.key.clone(), output: digest.clone(), stamp: file_stamp(path) };
                new_manifest.entries.insert(name.to_string(), entry);
            }
            result.outcomes.push(outcome);
            // A template problem shows up once per document: report it once.
            for d in diagnostics {
                if !result.diagnostics.contains(&d) {
                    result.diagnostics.push(d);
                }
            }
        }
        result.outcomes.extend(broken_outcomes(self.prepared));
        if self.year_ok && result.failed() == 0 && result.skipped() == 0 {
            prune_stale(&self.out_dir, &self.jobs, &self.manifest, &mut new_manifest);
        }
        new_manifest.source = Some(self.source.clone());
        if (new_manifest.entries != self.manifest.entries
            || new_manifest.source != self.manifest.source
            || options.force)
            && self.out_dir.is_dir()
            && let Err(e) = stats::time(Phase::Write, || new_manifest.save(&self.out_dir))
        {
            result.diagnostics.push(
                Diagnostic::new(&rules::W0402, &self.out_dir, None, format!("无法写入增量构建清单：{}", io_reason(&e)))
                    .with_hint("PDF 已写好；下次生成时会重新排版全部 PDF"),
            );
        }
        result
    }
}

/// Font families: the command line's preferences first, then the form's.
fn families(form: &Form, prefs: &FontPreferences) -> FontFamilies {
    FontFamilies {
        body: prefs.body.iter().chain(&form.def.fonts.body).cloned().collect(),
        label: prefs.label.iter().chain(&form.def.fonts.label).cloned().collect(),
    }
}

/// The Typst source generated for the project with `code`: as jixiao lays it out
/// (without page footers), or `standalone`, one complete document with its footers that
/// the Typst CLI compiles to the same PDF.
pub fn project_source(
    prepared: &Prepared,
    code: &str,
    prefs: &FontPreferences,
    standalone: bool,
) -> Result<String, Diagnostic> {
    let (Some(form), Some(department)) = (&prepared.form, &prepared.files.department) else {
        return Err(Diagnostic::new(&rules::E0110, &prepared.files.dir, None, "年度规格无法读取"));
    };
    let Some(loaded) = prepared.files.projects.iter().find(|p| p.spec.code.value.trim() == code) else {
        return Err(Diagnostic::new(&rules::E0109, &prepared.files.dir, None, format!("没有编码为 {code} 的项目")));
    };
    let renderer = Renderer::new(form).map_err(|e| template_error(form, &e))?;
    let context = view::Context {
        project: Some(view::project(form, department.spec.year.value, &loaded.spec)),
        footers: standalone,
        ..view::context(form, &families(form, prefs), &department.spec)
    };
    renderer.render(PROJECT_TEMPLATE, &context).map_err(|e| template_error(form, &e))
}

/// Most layouts of one document while it is fitted to its pages (splitting groups and
/// letting rows break can move other rows, so each new layout is checked again).
const FIT_ATTEMPTS: usize = 6;

/// How a document's tables are fitted to pages, by project code: the rows that begin a
/// page (their groups are split there) and the rows allowed to break across pages.
#[derive(Default, Clone, PartialEq)]
struct Fit {
    starts: BTreeMap<String, BTreeSet<usize>>,
    breakable: BTreeMap<String, BTreeSet<usize>>,
}

impl Fit {
    /// A project's view fitted.
    fn apply(&self, project: &view::ProjectView) -> view::ProjectView {
        let none = BTreeSet::new();
        let starts = self.starts.get(&project.code).unwrap_or(&none);
        let breakable = self.breakable.get(&project.code).unwrap_or(&none);
        project.fitted(starts, breakable)
    }
}

/// Renders a template and lays it out: the pages and any Typst warnings.
///
/// Tables are fitted to their pages: an indicator row does not break across pages; a
/// 一级/二级 group that does is split where its rows begin a new page (see
/// [`view::ProjectView::fitted`]), so its label prints again there; and a row taller than
/// a whole page, which would run off it, is allowed to break. The result is checked:
/// anything outside the paper is error E0402 naming `what`.
fn lay_out(
    renderer: &Renderer,
    form: &Form,
    typesetter: &Typesetter,
    template: &str,
    context: &view::Context,
    what: &str,
) -> Result<(PagedDocument, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut fit = Fit::default();
    for attempt in 1.. {
        let fitted;
        let context = if fit == Fit::default() {
            context
        } else {
            fitted = view::Context {
                project: context.project.as_ref().map(|p| fit.apply(p)),
                report: context.report.as_ref().map(|r| view::ReportView {
                    projects: r.projects.iter().map(|p| fit.apply(p)).collect(),
                    ..r.clone()
                }),
                ..context.clone()
            };
            &fitted
        };
        let source = stats::time(Phase::Render, || renderer.render(template, context))
            .map_err(|e| vec![template_error(form, &e)])?;
        let Laid { document, warnings } =
            typesetter.layout(&form.dir, source, &format!("{what}（模板 {template}）")).map_err(|messages| {
                messages.iter().map(|m| typst_error(form, template, m, typesetter)).collect::<Vec<_>>()
            })?;
        let rows = compose::row_pages(&document);
        let overflow = overflow::find(&document);
        let mut next = Fit { starts: page_starts(&rows), breakable: fit.breakable.clone() };
        if let Some(overflow) = &overflow {
            // The last row that begins on that page, if it may not break yet, is the one
            // that runs off it.
            let last = rows
                .iter()
                .flat_map(|(code, pages)| {
                    pages.iter().filter(|(_, p)| **p == overflow.page).map(move |(r, _)| (code, *r))
                })
                .max_by_key(|(_, row)| *row);
            if let Some((code, row)) = last {
                next.breakable.entry(code.clone()).or_default().insert(row);
            }
        }
        if next != fit && attempt < FIT_ATTEMPTS {
            fit = next;
            continue;
        }
        if let Some(overflow) = overflow {
            return Err(vec![
                Diagnostic::new(
                    &rules::E0402,
                    &form.dir.join(template),
                    None,
                    format!(
                        "{what}排版后，第 {} 页有内容超出纸张约 {} pt，打印时会被裁掉",
                        overflow.page, overflow.by_pt
                    ),
                )
                .with_hint(
                    "多为表样中不能跨页的内容（如 breakable: false 的单元格或块）比一页还高；请联系维护表样的同事",
                ),
            ]);
        }
        return Ok((document, warnings.iter().map(|m| typst_error(form, template, m, typesetter)).collect()));
    }
    unreachable!("the loop returns")
}

/// The rows that begin a page, by code: those whose page differs from the row before.
fn page_starts(rows: &BTreeMap<String, BTreeMap<usize, usize>>) -> BTreeMap<String, BTreeSet<usize>> {
    rows.iter()
        .map(|(code, pages)| {
            let starts = pages.iter().zip(pages.iter().skip(1)).filter(|((_, a), (_, b))| a != b);
            (code.clone(), starts.map(|(_, (row, _))| *row).collect::<BTreeSet<usize>>())
        })
        .filter(|(_, starts)| !starts.is_empty())
        .collect()
}

/// Exports pages as a PDF and writes it atomically.
fn write_pdf(
    typesetter: &Typesetter,
    form: &Form,
    template: &str,
    document: &PagedDocument,
    ident: &str,
    path: &Path,
) -> Result<Outcome, Vec<Diagnostic>> {
    let bytes = typesetter
        .export(document, ident)
        .map_err(|messages| messages.iter().map(|m| typst_error(form, template, m, typesetter)).collect::<Vec<_>>())?;
    stats::time(Phase::Write, || write_atomic(path, &bytes)).map_err(|e| {
        vec![
            Diagnostic::new(&rules::E0112, path, None, format!("无法写入 PDF：{}", io_reason(&e)))
                .with_hint("原有的 PDF（如有）保持不变；请检查输出目录的空间和权限后重新生成"),
        ]
    })?;
    Ok(Outcome::Built { path: path.to_path_buf(), pages: document.pages().len(), digest: hex_sha256(&bytes) })
}

/// Removes PDFs this tool wrote earlier that no spec produces any more (a renamed or
/// deleted project). Only a plain output name in the manifest whose file still holds
/// exactly the bytes written is deleted; anything else is forgotten and left alone.
fn prune_stale(out_dir: &Path, jobs: &[Job], old: &Manifest, manifest: &mut Manifest) {
    let current: BTreeSet<&str> = jobs.iter().filter_map(|j| j.path.file_name().and_then(|n| n.to_str())).collect();
    let stale: Vec<String> = manifest.entries.keys().filter(|name| !current.contains(name.as_str())).cloned().collect();
    for name in stale {
        if old.wrote(out_dir, &name) {
            let _ = fs::remove_file(out_dir.join(&name));
        }
        manifest.entries.remove(&name);
    }
}

/// A template problem as a located diagnostic: the innermost template and line that
/// failed (through `include`s), the failing expression, and a Chinese reason.
fn template_error(form: &Form, error: &minijinja::Error) -> Diagnostic {
    use minijinja::ErrorKind as K;
    // An error in an included template comes wrapped in "could not render include".
    let mut inner = error;
    let mut cause: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(error);
    while let Some(next) = cause {
        if let Some(e) = next.downcast_ref::<minijinja::Error>()
            && e.name().is_some()
        {
            inner = e;
        }
        cause = next.source();
    }
    let name = inner.name().unwrap_or("?");
    let source = form.files.get(name);
    let span = inner.range().filter(|r| source.is_some_and(|s| r.end <= s.len()));
    let expression = span.clone().and_then(|r| source.map(|s| s[r].trim().to_string())).filter(|e| !e.is_empty());
    let reason = match inner.kind() {
        K::UndefinedError => "使用了未定义的变量或字段（变量名写错，或这个表样的数据里没有它）".to_string(),
        K::OutOfFuel => "模板的计算量超过上限，多半有不会结束的循环".to_string(),
        K::SyntaxError => "模板语法错误".to_string(),
        K::TemplateNotFound => "找不到要引用的模板".to_string(),
        K::UnknownFilter => "未知的过滤器".to_string(),
        K::UnknownFunction => "未知的函数".to_string(),
        K::UnknownMethod => "未知的方法".to_string(),
        K::UnknownTest => "未知的测试".to_string(),
        K::InvalidOperation => "无效的操作".to_string(),
        K::TooManyArguments => "参数过多".to_string(),
        K::MissingArgument => "缺少参数".to_string(),
        other => format!("模板出错（{other}）"),
    };
    let mut message = format!("模板 {name} 第 {} 行：{reason}", inner.line().unwrap_or(0));
    if let Some(expression) = &expression {
        message.push_str(&format!("：`{expression}`"));
    }
    if let Some(detail) = inner.detail() {
        message.push_str(&format!("（{detail}）"));
    }
    Diagnostic::new(&rules::E0401, &form.dir.join(name), span.filter(|_| source.is_some()), message)
        .with_hint("这是表样模板的问题，不是规格文件的问题；请联系维护表样的同事")
}

/// Pages that could not be put together: the templates break jixiao's contract.
fn compose_error(form: &Form, template: &str, message: String) -> Diagnostic {
    Diagnostic::new(&rules::E0401, &form.dir.join(template), None, format!("排版失败：{message}"))
        .with_hint("这是表样模板的问题，不是规格文件的问题；请联系维护表样的同事")
}

/// Chinese for Typst's messages about files (the sandbox speaks to the form's author),
/// without its hints about command-line options jixiao does not have.
fn typst_zh(message: &str) -> String {
    let (text, hints) = message.split_once("（hint:").unwrap_or((message, ""));
    let path = text.split('`').nth(1).unwrap_or_default();
    if text.contains("would escape the project root") {
        format!("拒绝读取表样目录以外的文件 {path}")
    } else if text.starts_with("file not found") {
        format!("表样目录中没有文件 {path}")
    } else if hints.contains("--root") {
        text.to_string()
    } else {
        message.to_string()
    }
}

/// A Typst problem as a diagnostic: a font that cannot be used (E0404, pointing at its
/// file), or a template problem (E0401, W0401).
fn typst_error(form: &Form, template: &str, m: &TypstMessage, typesetter: &Typesetter) -> Diagnostic {
    // "failed to process font `"Family"` (…)": the font file, not the template.
    if m.is_error
        && let Some(rest) = m.message.strip_prefix("failed to process font `\"")
        && let Some((family, _)) = rest.split_once("\"`")
    {
        let files = typesetter.fonts().files_of(family);
        let file = files.first().copied().unwrap_or(form.dir.as_path());
        return Diagnostic::new(
            &rules::E0404,
            file,
            None,
            format!("字体“{family}”无法使用：字体文件可能已损坏，或其格式不受支持"),
        )
        .with_hint(
            "这不是规格文件或表样的问题。请换用其他字体（--body-font、--label-font），或把这个字体文件从字体目录中移除",
        );
    }
    let location = match (m.line, &m.snippet) {
        (Some(line), Some(snippet)) => format!("（生成的 Typst 第 {line} 行：{}）", snippet.trim()),
        _ => String::new(),
    };
    let message = format!("排版{}：{}{location}", if m.is_error { "失败" } else { "警告" }, typst_zh(&m.message));
    let path = form.dir.join(template);
    if m.is_error {
        Diagnostic::new(&rules::E0401, &path, None, message)
            .with_hint("这是表样模板的问题，不是规格文件的问题；请联系维护表样的同事")
    } else {
        Diagnostic::new(&rules::W0401, &path, None, message)
    }
}
