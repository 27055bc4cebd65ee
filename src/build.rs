//! The build pipeline for one budget year: read → validate → render → typeset → write.
//!
//! Projects with errors are not built and keep their previous PDF; the others are
//! typeset in parallel. The combined report is written only when the department and
//! every project are valid and built. Nothing is written for an invalid spec, and every
//! file is replaced atomically.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diag::{Diagnostic, Sources};
use crate::form::{DEFAULT_FORM, Form, PROJECT_TEMPLATE, REPORT_TEMPLATE};
use crate::output::write_atomic;
use crate::render::Renderer;
use crate::spec::year::{YearFiles, read_year};
use crate::text::{file_name_safe, fill, io_reason};
use crate::typeset::{Typesetter, TypstMessage};
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
        Workspace { specs: root.join("specs"), templates: root.join("templates"), out: root.join("out") }
    }
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
    /// Written (or already identical on disk).
    Built {
        /// The PDF.
        path: PathBuf,
        /// Its page count.
        pages: usize,
    },
    /// Not built because its spec (or the department's) has errors.
    Skipped {
        /// What it is (a project code or the report).
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
    /// Number of outputs built.
    pub fn built(&self) -> usize {
        self.outcomes.iter().filter(|o| matches!(o, Outcome::Built { .. })).count()
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
}

/// Reads and validates a year.
pub fn prepare(workspace: &Workspace, dir: &Path, typesetter: &Typesetter, sources: &mut Sources) -> Prepared {
    let files = read_year(dir, sources);
    let form_name = files.department.as_ref().and_then(|d| d.spec.form.as_ref()).map(|f| f.value.trim().to_string());
    let form = match Form::load(&workspace.templates, form_name.as_deref().unwrap_or(DEFAULT_FORM)) {
        Ok(form) => Some(form),
        Err(mut d) => {
            // Point at the `form:` line when the department named the form.
            if let Some(dep) = &files.department
                && let Some(named) = &dep.spec.form
                && d.code == "E0201"
            {
                d.file = dep.path.clone();
                d.span = Some(crate::spec::load::span_of(&dep.text, named));
            }
            let mut checked = Checked { diagnostics: files.diagnostics.clone(), ..Checked::default() };
            checked.diagnostics.push(d);
            return Prepared { files, form: None, checked };
        }
    };
    let checked = form.as_ref().map(|form| check_year(&files, form, Some(typesetter.fonts()))).unwrap_or_default();
    Prepared { files, form, checked }
}

/// Builds a prepared year into `out/<year>/`.
pub fn build_year(
    prepared: &Prepared,
    workspace: &Workspace,
    typesetter: &Typesetter,
    prefs: &FontPreferences,
) -> YearResult {
    let mut result = YearResult {
        dir: prepared.files.dir.clone(),
        diagnostics: prepared.checked.diagnostics.clone(),
        outcomes: Vec::new(),
    };
    let year_name = prepared.files.dir.file_name().and_then(|n| n.to_str()).unwrap_or("year").to_string();
    let out_dir = workspace.out.join(&year_name);
    let projects = &prepared.files.projects;
    let (Some(form), Some(department)) = (&prepared.form, &prepared.files.department) else {
        result.outcomes.extend(projects.iter().map(|p| Outcome::Skipped { what: p.spec.code.value.clone() }));
        result
            .outcomes
            .extend(prepared.files.broken_projects.iter().map(|p| Outcome::Skipped { what: p.display().to_string() }));
        result.outcomes.push(Outcome::Skipped { what: "report".into() });
        return result;
    };
    let renderer = match Renderer::new(form) {
        Ok(renderer) => renderer,
        Err(e) => {
            result.diagnostics.push(template_error(form, &e));
            result.outcomes.push(Outcome::Failed { what: "templates".into() });
            return result;
        }
    };
    let base = view::context(form, &families(form, prefs), &department.spec);
    let year = department.spec.year.value;
    let dep_name = department.spec.department.name.value.trim().to_string();

    // Projects in code order; the report after them.
    let mut order: Vec<usize> = (0..projects.len()).collect();
    order.sort_by(|a, b| projects[*a].spec.code.value.cmp(&projects[*b].spec.code.value));
    let all_valid = prepared.checked.department_ok
        && prepared.checked.projects.iter().all(|f| f.ok)
        && prepared.files.broken_projects.is_empty();

    enum Job {
        Project(usize),
        Report,
    }
    let mut jobs: Vec<Job> = order.iter().map(|i| Job::Project(*i)).collect();
    jobs.push(Job::Report);

    let results: Vec<(Outcome, Vec<Diagnostic>)> = jobs
        .par_iter()
        .map(|job| match job {
            Job::Project(index) => {
                let loaded = &projects[*index];
                let code = loaded.spec.code.value.trim().to_string();
                if !prepared.checked.projects[*index].ok {
                    return (Outcome::Skipped { what: code }, vec![]);
                }
                let name = fill(
                    &form.def.outputs.project,
                    &[
                        ("code", &code),
                        ("name", loaded.spec.name.value.trim()),
                        ("year", &year.to_string()),
                        ("department", &dep_name),
                    ],
                );
                let path = out_dir.join(file_name_safe(&name));
                let context = view::Context { project: Some(view::project(form, year, &loaded.spec)), ..base.clone() };
                produce(&renderer, form, typesetter, PROJECT_TEMPLATE, context, &format!("{year}/{code}"), &path, &code)
            }
            Job::Report => {
                if !all_valid {
                    return (Outcome::Skipped { what: "report".into() }, vec![]);
                }
                let pairs: Vec<_> =
                    order.iter().map(|i| (&projects[*i].spec, &prepared.checked.projects[*i])).collect();
                let name = fill(&form.def.outputs.report, &[("department", &dep_name), ("year", &year.to_string())]);
                let path = out_dir.join(file_name_safe(&name));
                let context =
                    view::Context { report: Some(view::report(form, &department.spec, &pairs)), ..base.clone() };
                produce(
                    &renderer,
                    form,
                    typesetter,
                    REPORT_TEMPLATE,
                    context,
                    &format!("{year}/report"),
                    &path,
                    "report",
                )
            }
        })
        .collect();
    for (outcome, diagnostics) in results {
        result.outcomes.push(outcome);
        // A template problem shows up once per document: report it once.
        for d in diagnostics {
            if !result.diagnostics.contains(&d) {
                result.diagnostics.push(d);
            }
        }
    }
    result
        .outcomes
        .extend(prepared.files.broken_projects.iter().map(|p| Outcome::Skipped { what: p.display().to_string() }));
    if result.failed() == 0 && result.skipped() == 0 {
        prune_stale(&out_dir, &result.outcomes);
    }
    result
}

/// Font families: the command line's preferences first, then the form's.
fn families(form: &Form, prefs: &FontPreferences) -> FontFamilies {
    FontFamilies {
        body: prefs.body.iter().chain(&form.def.fonts.body).cloned().collect(),
        label: prefs.label.iter().chain(&form.def.fonts.label).cloned().collect(),
    }
}

/// The Typst source generated for the project with `code` (for review and snapshots).
pub fn project_source(prepared: &Prepared, code: &str, prefs: &FontPreferences) -> Result<String, Diagnostic> {
    let (Some(form), Some(department)) = (&prepared.form, &prepared.files.department) else {
        return Err(Diagnostic::error("E0110", &prepared.files.dir, None, "年度规格无法读取"));
    };
    let Some(loaded) = prepared.files.projects.iter().find(|p| p.spec.code.value.trim() == code) else {
        return Err(Diagnostic::error("E0109", &prepared.files.dir, None, format!("没有编码为 {code} 的项目")));
    };
    let renderer = Renderer::new(form).map_err(|e| template_error(form, &e))?;
    let year = department.spec.year.value;
    let context = view::Context {
        project: Some(view::project(form, year, &loaded.spec)),
        ..view::context(form, &families(form, prefs), &department.spec)
    };
    renderer.render(PROJECT_TEMPLATE, &context).map_err(|e| template_error(form, &e))
}

/// Renders, typesets and writes one PDF.
#[allow(clippy::too_many_arguments)]
fn produce(
    renderer: &Renderer,
    form: &Form,
    typesetter: &Typesetter,
    template: &str,
    context: view::Context,
    ident: &str,
    path: &Path,
    what: &str,
) -> (Outcome, Vec<Diagnostic>) {
    let failed = || Outcome::Failed { what: what.to_string() };
    let source = match renderer.render(template, &context) {
        Ok(source) => source,
        Err(e) => return (failed(), vec![template_error(form, &e)]),
    };
    let pdf = match typesetter.compile(&form.dir, source, ident) {
        Ok(pdf) => pdf,
        Err(messages) => return (failed(), messages.iter().map(|m| typst_error(form, template, m)).collect()),
    };
    let warnings = pdf.warnings.iter().map(|m| typst_error(form, template, m)).collect();
    match write_atomic(path, &pdf.bytes) {
        Ok(()) => (Outcome::Built { path: path.to_path_buf(), pages: pdf.pages }, warnings),
        Err(e) => (failed(), vec![Diagnostic::error("E0109", path, None, format!("无法写入 PDF：{}", io_reason(&e)))]),
    }
}

/// Removes PDFs in a fully built year folder that no spec produces any more (a renamed
/// or deleted project).
fn prune_stale(out_dir: &Path, outcomes: &[Outcome]) {
    let keep: BTreeSet<&Path> = outcomes
        .iter()
        .filter_map(|o| match o {
            Outcome::Built { path, .. } => Some(path.as_path()),
            _ => None,
        })
        .collect();
    let Ok(entries) = fs::read_dir(out_dir) else { return };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "pdf") && !keep.contains(path.as_path()) {
            let _ = fs::remove_file(&path);
        }
    }
}

fn template_error(form: &Form, error: &minijinja::Error) -> Diagnostic {
    let name = error.name().unwrap_or("?");
    let line = error.line().map(|l| format!("第 {l} 行：")).unwrap_or_default();
    let mut message = format!("模板 {name} {line}{}", error.kind());
    if let Some(detail) = error.detail() {
        message.push_str(&format!("（{detail}）"));
    }
    Diagnostic::error("E0401", &form.dir.join(name), None, message)
        .with_hint("这是表样模板的问题，不是规格文件的问题；请联系维护表样的同事")
}

fn typst_error(form: &Form, template: &str, m: &TypstMessage) -> Diagnostic {
    let location = match (m.line, &m.snippet) {
        (Some(line), Some(snippet)) => format!("（生成的 Typst 第 {line} 行：{}）", snippet.trim()),
        _ => String::new(),
    };
    let message = format!("排版{}：{}{location}", if m.is_error { "失败" } else { "警告" }, m.message);
    let path = form.dir.join(template);
    if m.is_error {
        Diagnostic::error("E0401", &path, None, message)
            .with_hint("这是表样模板的问题，不是规格文件的问题；请联系维护表样的同事")
    } else {
        Diagnostic::warning("W0401", &path, None, message)
    }
}
