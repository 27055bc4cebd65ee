//! Produce: lay out each table (fitted to its pages), put footers under it and export
//! it; typeset the report around the laid-out tables; write every PDF atomically.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use typst_layout::PagedDocument;

use super::FontPreferences;
use super::errors::{compose_error, template_error, typst_error};
use super::fit::{Fitting, lay_out};
use super::jobs::Job;
use super::outcome::{Outcome, Produced};
use super::prepare::Prepared;
use super::run::{YearRun, families};
use super::timings::Phase;
use crate::diag::{Diagnostic, rules};
use crate::form::{FOOTERS_TEMPLATE, PROJECT_TEMPLATE};
use crate::incremental::manifest::hex_sha256;
use crate::render::Renderer;
use crate::text::io_reason;
use crate::typeset::{PdfSettings, images};
use crate::typeset::{Typesetter, compose};
use crate::view;

/// A table laid out, waiting to be exported (and, when the report is due, for it).
pub(crate) struct LaidTable {
    /// Its job.
    pub(crate) job: usize,
    /// Its pages.
    pub(crate) table: Arc<PagedDocument>,
    /// Typst's warnings.
    pub(crate) warnings: Vec<Diagnostic>,
}

impl YearRun<'_> {
    /// What fitting this year's documents to their pages reads.
    fn fitting(&self) -> Fitting<'_> {
        Fitting { form: self.form, timings: self.timings, files: &self.prepared.files }
    }

    /// Lays out a project's table: the table, or the job's result when there is none
    /// to lay out (skipped, unchanged and not needed by the report, or failed).
    pub(crate) fn lay_out_table(&self, j: usize, typesetter: &Typesetter) -> Result<LaidTable, Produced> {
        let job = &self.jobs[j];
        let Some(index) = job.project.filter(|_| job.valid) else {
            return Err((Outcome::Skipped { document: job.document.clone() }, vec![]));
        };
        if job.fresh && !self.report_due {
            return Err(self.unchanged(j, vec![]));
        }
        let cache = self.options.layouts.as_ref().filter(|_| self.marks().is_none());
        let (table, warnings) = match cache.and_then(|cache| cache.get(&job.key)) {
            Some(kept) => kept,
            None => match self.lay_out_anew(index, typesetter, &job.document.describe()) {
                Ok((table, warnings)) => {
                    let table = Arc::new(table);
                    if let Some(cache) = cache {
                        cache.put(&job.key, (Arc::clone(&table), warnings.clone()));
                    }
                    (table, warnings)
                }
                Err(diagnostics) => return Err((Outcome::Failed { document: job.document.clone() }, diagnostics)),
            },
        };
        Ok(LaidTable { job: j, table, warnings })
    }

    /// The outcome of a table whose PDF is as its inputs would make it.
    pub(crate) fn unchanged(&self, j: usize, warnings: Vec<Diagnostic>) -> Produced {
        let job = &self.jobs[j];
        (Outcome::Unchanged { document: job.document.clone(), path: job.path.clone() }, warnings)
    }

    fn lay_out_anew(
        &self,
        index: usize,
        typesetter: &Typesetter,
        what: &str,
    ) -> Result<(PagedDocument, Vec<Diagnostic>), Vec<Diagnostic>> {
        let renderer = self.renderer().map_err(|d| vec![d])?;
        let spec = &self.department.spec;
        if let Some(table) = self.evaluation_view(index) {
            let context = view::Context { evaluation: Some(table), footers: false, ..self.base.clone() };
            return lay_out(&self.fitting(), renderer, typesetter, self.form.table_template(), &context, what);
        }
        let mut table = view::project(self.form, spec.year.value, &self.prepared.files.projects[index].spec);
        if let Some(marks) = self.marks() {
            marks.mark_project(&mut table);
        }
        let context = view::Context { project: Some(table), footers: false, ..self.base.clone() };
        lay_out(&self.fitting(), renderer, typesetter, PROJECT_TEMPLATE, &context, what)
    }

    /// Puts a laid-out table on a footer sheet and writes its PDF.
    pub(crate) fn export_table(&self, laid: LaidTable, typesetter: &Typesetter) -> Produced {
        let LaidTable { job: j, table, warnings: mut diagnostics } = laid;
        let job = &self.jobs[j];
        let written = self
            .renderer()
            .map_err(|d| vec![d])
            .and_then(|renderer| self.footer_sheet(renderer, typesetter, table.pages().len()))
            .and_then(|sheet| {
                compose::with_footers(&table, &sheet).map_err(|m| vec![compose_error(self.form, FOOTERS_TEMPLATE, m)])
            })
            .and_then(|document| self.write_pdf(typesetter, self.form.table_template(), &document, job));
        match written {
            Ok(outcome) => (outcome, diagnostics),
            Err(mut errors) => {
                diagnostics.append(&mut errors);
                (Outcome::Failed { document: job.document.clone() }, diagnostics)
            }
        }
    }

    /// A footer sheet with at least `pages` pages (shared by every table of the batch
    /// with the same form and fonts).
    pub(crate) fn footer_sheet(
        &self,
        renderer: &Renderer,
        typesetter: &Typesetter,
        pages: usize,
    ) -> Result<Arc<PagedDocument>, Vec<Diagnostic>> {
        // Few distinct sizes, so that the sheets are shared.
        let pages = pages.max(4).next_power_of_two();
        let context = view::Context { pages: Some(pages), ..self.base.clone() };
        let source = self
            .timings
            .time(Phase::Render, || renderer.render(FOOTERS_TEMPLATE, &context))
            .map_err(|e| vec![template_error(self.form, &e)])?;
        self.timings.time(Phase::Layout, || typesetter.layout_shared(&self.form.dir, source)).map_err(|messages| {
            messages.iter().map(|m| typst_error(self.form, FOOTERS_TEMPLATE, m, typesetter)).collect()
        })
    }

    /// Typesets the combined report around the tables laid out for the projects' PDFs.
    pub(crate) fn run_report(&self, typesetter: &Typesetter, tables: Vec<Option<Arc<PagedDocument>>>) -> Produced {
        let job = &self.jobs[0];
        if !job.valid {
            return (Outcome::Skipped { document: job.document.clone() }, vec![]);
        }
        if job.fresh {
            return (Outcome::Unchanged { document: job.document.clone(), path: job.path.clone() }, vec![]);
        }
        let failed = |diagnostics| (Outcome::Failed { document: job.document.clone() }, diagnostics);
        // The tables, in code order; a table that failed has already said why.
        let Some(tables) = tables.into_iter().collect::<Option<Vec<Arc<PagedDocument>>>>() else {
            return failed(vec![]);
        };
        let renderer = match self.renderer() {
            Ok(renderer) => renderer,
            Err(d) => return failed(vec![d]),
        };
        let pages: Vec<usize> = tables.iter().map(|t| t.pages().len()).collect();
        let (codes, context) = self.report_context(&pages);
        let by_code: Vec<(&str, &PagedDocument)> =
            codes.iter().map(String::as_str).zip(tables.iter().map(|t| &**t)).collect();
        let (laid, mut diagnostics) = match lay_out(
            &self.fitting(),
            renderer,
            typesetter,
            self.form.report_template(),
            &context,
            &job.document.describe(),
        ) {
            Ok(laid) => laid,
            Err(diagnostics) => return failed(diagnostics),
        };
        let written = compose::fill_slots(&laid, &by_code)
            .map_err(|m| vec![compose_error(self.form, self.form.report_template(), m)])
            .and_then(|document| self.write_pdf(typesetter, self.form.report_template(), &document, job));
        match written {
            Ok(outcome) => (outcome, diagnostics),
            Err(mut errors) => {
                diagnostics.append(&mut errors);
                failed(diagnostics)
            }
        }
    }

    /// The year's PDF settings: the standard of the build and the 编制日期 of the spec
    /// (a period's own date, where it gives one).
    pub(crate) fn pdf_settings(&self) -> PdfSettings {
        let date =
            self.prepared.period.as_ref().and_then(|p| p.date()).or_else(|| self.department.spec.document_date());
        PdfSettings { standard: self.options.pdf_standard, date }
    }

    /// A period's table of project `index`, or `None` in a year of targets.
    pub(crate) fn evaluation_view(&self, index: usize) -> Option<view::EvaluationView> {
        let period = self.prepared.period.as_ref()?;
        let facts = period.checked.projects.get(index)?;
        let actuals = &period.files.actuals.get(facts.actuals?)?.spec;
        let values = &self.prepared.checked.projects[index].values;
        let target = &self.prepared.files.projects[index].spec;
        Some(view::evaluation(self.form, &self.department.spec, target, actuals, facts, period.checked.month, values))
    }

    /// The report's context with its tables' pages, and the codes of its tables in
    /// order (for the slots they fill).
    pub(crate) fn report_context(&self, pages: &[usize]) -> (Vec<String>, view::Context<'_>) {
        let spec = &self.department.spec;
        if let Some(period) = &self.prepared.period {
            let tables: Vec<_> = self
                .order
                .iter()
                .zip(pages)
                .filter_map(|(&i, &pages)| {
                    let view = view::EvaluationView { pages, ..self.evaluation_view(i)? };
                    Some((view, &period.checked.projects[i]))
                })
                .collect();
            let date = period.files.period.as_ref().and_then(|p| p.spec.date.clone());
            let mut report = view::evaluation_report(self.form, spec, &date, tables);
            if let Some(title) = period.files.period.as_ref().and_then(|p| p.spec.title.as_ref()) {
                report.cover_title = title.value.clone();
            }
            report.month = period.checked.month.map(|m| m.to_string()).unwrap_or_default();
            let codes = report.projects.iter().map(|p| p.code.clone()).collect();
            return (codes, view::Context { evaluation_report: Some(report), ..self.base.clone() });
        }
        let projects = &self.prepared.files.projects;
        let pairs: Vec<_> =
            self.order.iter().map(|i| (&projects[*i].spec, &self.prepared.checked.projects[*i])).collect();
        let mut report = view::report(self.form, spec, &pairs, self.prepared.checked.total, pages);
        if let Some(marks) = self.marks() {
            marks.mark_report(&mut report);
        }
        let codes = report.projects.iter().map(|p| p.code.clone()).collect();
        (codes, view::Context { report: Some(report), ..self.base.clone() })
    }

    /// Exports pages as the PDF of `job` and writes it atomically. The PDF identifier
    /// is `<year>/<code>` (`<year>/report`): stable, and unique per document.
    pub(crate) fn write_pdf(
        &self,
        typesetter: &Typesetter,
        template: &str,
        pages: &PagedDocument,
        job: &Job,
    ) -> Result<Outcome, Vec<Diagnostic>> {
        let year = self.department.spec.year.value;
        let ident = match &self.prepared.period {
            Some(period) => format!("{year}/{}/{}", period.files.name, job.document.ident()),
            None => format!("{year}/{}", job.document.ident()),
        };
        if self.options.report_preview {
            let images = self.write_images(pages, &job.path)?;
            let (document, path, pages) = (job.document.clone(), job.path.clone(), pages.pages().len());
            return Ok(Outcome::Built { document, path, pages, digest: String::new(), images });
        }
        self.timings.count_document();
        let bytes = self.timings.time(Phase::Pdf, || typesetter.export(pages, &ident, &self.pdf_settings())).map_err(
            |messages| messages.iter().map(|m| typst_error(self.form, template, m, typesetter)).collect::<Vec<_>>(),
        )?;
        self.timings.time(Phase::Write, || self.options.sink.write(&job.path, &bytes)).map_err(|e| {
            vec![
                Diagnostic::new(&rules::E0112, &job.path, None, format!("无法写入 PDF：{}", io_reason(&e)))
                    .with_hint("原有的 PDF（如有）保持不变；请检查输出目录的空间和权限后重新生成"),
            ]
        })?;
        let mut images = self.write_images(pages, &job.path)?;
        images.extend(self.write_office(job, typesetter)?);
        let (document, path, pages) = (job.document.clone(), job.path.clone(), pages.pages().len());
        Ok(Outcome::Built { document, path, pages, digest: hex_sha256(&bytes), images })
    }

    /// Writes the page images the build asks for next to the PDF at `pdf`.
    fn write_images(&self, pages: &PagedDocument, pdf: &Path) -> Result<Vec<(PathBuf, String)>, Vec<Diagnostic>> {
        let mut written = Vec::new();
        for &format in self.options.images.iter().filter(|f| !f.is_office()) {
            let images = self.timings.time(Phase::Pdf, || images::pages(pages, format, self.options.ppi));
            for (index, bytes) in images.iter().enumerate() {
                let path = images::page_path(pdf, index + 1, format);
                self.timings.time(Phase::Write, || self.options.sink.write(&path, bytes)).map_err(|e| {
                    vec![Diagnostic::new(&rules::E0112, &path, None, format!("无法写入图片：{}", io_reason(&e)))]
                })?;
                written.push((path, hex_sha256(bytes)));
            }
        }
        Ok(written)
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
    let Some(loaded) = prepared.files.projects.iter().find(|p| p.spec.code.value.as_str() == code) else {
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
