//! Office files beside the PDFs (`build --format xlsx,docx`): each table as an Excel
//! workbook and a Word document in its printed layout, and beside the report the year's
//! workbook (the summary, a sheet per project as printed, the flat indicator sheet) and
//! its Word version. The grids come from the same generated Typst source as the PDFs
//! ([`crate::typeset::cells`]), before any page fitting.

use std::path::PathBuf;
use std::sync::{Arc, PoisonError};

use super::errors::{template_error, typst_error};
use super::jobs::Job;
use super::run::YearRun;
use super::timings::Phase;
use crate::config::OutputFormat;
use crate::diag::{Diagnostic, rules};
use crate::form::PROJECT_TEMPLATE;
use crate::grid::{Grid, flat};
use crate::incremental::manifest::hex_sha256;
use crate::office::{docx, xlsx};
use crate::text::io_reason;
use crate::typeset::Typesetter;
use crate::view;

/// Every table's grid with its project's code, in code order, and the report's grid.
type YearGrids = (Vec<(String, Arc<Grid>)>, Grid);

impl YearRun<'_> {
    /// The printed grid of project `index`'s table (made once per build).
    pub(crate) fn table_grid(&self, index: usize, typesetter: &Typesetter) -> Result<Arc<Grid>, Vec<Diagnostic>> {
        let kept = self.grids.lock().unwrap_or_else(PoisonError::into_inner).get(&index).cloned();
        if let Some(grid) = kept {
            return Ok(grid);
        }
        let grid = Arc::new(self.make_table_grid(index, typesetter)?);
        self.grids.lock().unwrap_or_else(PoisonError::into_inner).insert(index, Arc::clone(&grid));
        Ok(grid)
    }

    fn make_table_grid(&self, index: usize, typesetter: &Typesetter) -> Result<Grid, Vec<Diagnostic>> {
        let spec = &self.department.spec;
        let (template, context) = match self.evaluation_view(index) {
            Some(table) => (
                self.form.table_template(),
                view::Context { evaluation: Some(table), footers: false, ..self.base.clone() },
            ),
            None => {
                let table = view::project(self.form, spec.year.value, &self.prepared.files.projects[index].spec);
                (PROJECT_TEMPLATE, view::Context { project: Some(table), footers: false, ..self.base.clone() })
            }
        };
        self.grid_of(typesetter, template, &context)
    }

    fn grid_of(
        &self,
        typesetter: &Typesetter,
        template: &str,
        context: &view::Context,
    ) -> Result<Grid, Vec<Diagnostic>> {
        let renderer = self.renderer().map_err(|d| vec![d])?;
        let source = self
            .timings
            .time(Phase::Render, || renderer.render(template, context))
            .map_err(|e| vec![template_error(self.form, &e)])?;
        self.timings.time(Phase::Office, || typesetter.grid(&self.form.dir, source, self.form.def.landscape)).map_err(
            |messages| messages.iter().map(|m| typst_error(self.form, template, m, typesetter)).collect::<Vec<_>>(),
        )
    }

    /// Writes the office files the build asks for beside the PDF of `job`.
    pub(crate) fn write_office(
        &self,
        job: &Job,
        typesetter: &Typesetter,
    ) -> Result<Vec<(PathBuf, String)>, Vec<Diagnostic>> {
        let formats: Vec<OutputFormat> = self.options.images.iter().copied().filter(|f| f.is_office()).collect();
        if formats.is_empty() {
            return Ok(Vec::new());
        }
        let date = self.pdf_settings().date;
        let mut written = Vec::new();
        let failed = |path: &PathBuf, e: String| {
            vec![Diagnostic::new(&rules::E0112, path, None, format!("无法生成 {}：{e}", path.display()))]
        };
        match job.project {
            Some(index) => {
                let grid = self.table_grid(index, typesetter)?;
                for format in formats {
                    let path = job.path.with_extension(format.extension());
                    let bytes = self.timings.time(Phase::Office, || match format {
                        OutputFormat::Xlsx => {
                            xlsx::grid_workbook(&grid, &job.document.ident(), date).map_err(|e| e.to_string())
                        }
                        _ => docx::document(&[&grid]).map_err(|e| e.to_string()),
                    });
                    let bytes = bytes.map_err(|e| failed(&path, e))?;
                    written.push(self.write_side(&path, &bytes)?);
                }
            }
            None => {
                let (tables, report) = self.year_grids(typesetter)?;
                for format in formats {
                    let path = job.path.with_extension(format.extension());
                    let bytes = self.timings.time(Phase::Office, || match format {
                        OutputFormat::Xlsx => self.year_workbook(&tables, &report, date).map_err(|e| e.to_string()),
                        _ => {
                            // The report as printed: its own pages, then the tables it
                            // does not lay out itself.
                            let mut grids = vec![&report];
                            grids.extend(tables.iter().skip(1).map(|(_, g)| &**g));
                            docx::document(&grids).map_err(|e| e.to_string())
                        }
                    });
                    let bytes = bytes.map_err(|e| failed(&path, e))?;
                    written.push(self.write_side(&path, &bytes)?);
                }
            }
        }
        Ok(written)
    }

    /// Every table's grid (with its project's code) in code order, and the report's.
    fn year_grids(&self, typesetter: &Typesetter) -> Result<YearGrids, Vec<Diagnostic>> {
        let mut tables = Vec::new();
        for &index in &self.order {
            let code = self.prepared.files.projects[index].spec.code.value.clone();
            tables.push((code, self.table_grid(index, typesetter)?));
        }
        let (_, context) = self.report_context(&vec![1; self.order.len()]);
        let report = self.grid_of(typesetter, self.form.report_template(), &context)?;
        Ok((tables, report))
    }

    /// The year's workbook: the summary, a sheet per project as printed, the flat sheet.
    fn year_workbook(
        &self,
        tables: &[(String, Arc<Grid>)],
        report: &Grid,
        date: crate::office::FileDate,
    ) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        let mut book = xlsx::workbook(date);
        let summary = report.excerpt(0);
        xlsx::write_grid(book.add_worksheet(), flat::SUMMARY_SHEET, &summary)?;
        for (code, grid) in tables {
            xlsx::write_grid(book.add_worksheet(), code, grid)?;
        }
        let projects: Vec<_> = self.order.iter().map(|&i| &self.prepared.files.projects[i].spec).collect();
        xlsx::write_flat(book.add_worksheet(), &flat::sheet(self.form, &projects))?;
        book.save_to_buffer()
    }

    fn write_side(&self, path: &std::path::Path, bytes: &[u8]) -> Result<(PathBuf, String), Vec<Diagnostic>> {
        self.timings.time(Phase::Write, || self.options.sink.write(path, bytes)).map_err(|e| {
            vec![Diagnostic::new(&rules::E0112, path, None, format!("无法写入 {}：{}", path.display(), io_reason(&e)))]
        })?;
        Ok((path.to_path_buf(), hex_sha256(bytes)))
    }
}

/// The grid the form prints for the import probe (a project whose every field holds a
/// marker; see [`crate::import::probe`]), on the form's example department.
pub fn probe_grid(
    form: &crate::form::Form,
    prefs: &super::FontPreferences,
    typesetter: &Typesetter,
) -> Result<Grid, String> {
    use crate::model::ProjectSpec;
    use crate::spec::load::parse_spec;
    let department = example_department(form)?;
    let probe = crate::import::probe::project_text(form);
    let project: ProjectSpec = parse_spec(std::path::Path::new("probe.yaml"), &probe, &form.fields).map_err(|d| {
        format!("表样 {} 无法生成导入样板：{}", form.name, d.first().map(|d| d.message.clone()).unwrap_or_default())
    })?;
    project_grid(form, prefs, typesetter, &department, &project)
}

/// The grid of a self-evaluation or monitoring form's probe table (every figure a
/// marker, see `import::period::probe`), for the monitoring month `month`.
pub fn period_probe_grid(
    form: &crate::form::Form,
    prefs: &super::FontPreferences,
    typesetter: &Typesetter,
    month: Option<u32>,
) -> Result<Grid, String> {
    let department = example_department(form)?;
    let context = view::Context {
        evaluation: Some(crate::import::period::probe::view(form, month)),
        footers: false,
        ..view::context(form, &super::run::families(form, prefs), &department)
    };
    table_grid(form, typesetter, form.table_template(), &context)
}

/// The department of a form's example (its unit and year, for a probe).
fn example_department(form: &crate::form::Form) -> Result<crate::model::DepartmentSpec, String> {
    let example = form.dir.join(crate::form::EXAMPLE_DIR).join(crate::spec::year::DEPARTMENT_FILE);
    let text = crate::files::read_regular_text(&example, crate::yaml::MAX_SPEC_BYTES)
        .map_err(|_| format!("表样 {} 没有可读的示例部门文件 {}", form.name, example.display()))?;
    crate::spec::load::parse_spec(&example, &text, &form.fields)
        .map_err(|_| format!("表样 {} 的示例部门文件无法读取", form.name))
}

/// The grid a project's target table prints (outside a build: the probe, the benchmark).
pub fn project_grid(
    form: &crate::form::Form,
    prefs: &super::FontPreferences,
    typesetter: &Typesetter,
    department: &crate::model::DepartmentSpec,
    project: &crate::model::ProjectSpec,
) -> Result<Grid, String> {
    let context = view::Context {
        project: Some(view::project(form, department.year.value, project)),
        footers: false,
        ..view::context(form, &super::run::families(form, prefs), department)
    };
    table_grid(form, typesetter, PROJECT_TEMPLATE, &context)
}

/// The grid of one table rendered from `template` with `context` (outside a build).
fn table_grid(
    form: &crate::form::Form,
    typesetter: &Typesetter,
    template: &str,
    context: &view::Context,
) -> Result<Grid, String> {
    let broken = |message: String| format!("表样 {} 的模板有误：{message}", form.name);
    let renderer = crate::render::Renderer::new(form).map_err(|e| broken(e.to_string()))?;
    let source = renderer.render(template, context).map_err(|e| broken(e.to_string()))?;
    typesetter
        .grid(&form.dir, source, form.def.landscape)
        .map_err(|m| broken(m.first().map(|m| m.message.clone()).unwrap_or_default()))
}
