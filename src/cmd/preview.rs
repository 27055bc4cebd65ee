//! `jixiao preview`: page images (PNG or SVG) of one project's table, of a year's report
//! (`department.yaml`), or of every document of a year folder, from the same layout as
//! the PDF, for quick looks, chat messages and review bots. Nothing under `out/` is
//! read or written; images are named after the PDF they show (`<PDF 名>-<页码>.png`).

use std::path::{Path, PathBuf};

use crate::cli::{FormatArg, PreviewArgs, PreviewFormat, ReportArgs};
use crate::cmd::{diagnostics_text, problem_summary};
use crate::config::OutputFormat;
use crate::diag::Format;
use crate::incremental::write::write_atomic;
use crate::model::actuals::{ACTUALS_DIR, PERIOD_FILE};
use crate::pipeline::period::periods;
use crate::pipeline::preview::{table_pages, year_images};
use crate::pipeline::{Prepared, YearResult, prepare};
use crate::session::{Done, Lifetime, Setup, Status, Stopped, setup};
use crate::spec::year::{DEPARTMENT_FILE, PROJECTS_DIR};
use crate::text::io_reason;
use crate::typeset::images;
use crate::validate::outputs::image_owner;

/// Runs `preview`.
pub fn preview(root: &Path, args: &PreviewArgs) -> Result<Done, Stopped> {
    let mut done = Done::new();
    let (year_dir, project) = target(&args.path)?;
    let Setup { settings, typesetter, prefs, .. } = setup(root, &[], &args.fonts, None, Lifetime::OneShot, &mut done)?;
    let format = match args.format {
        PreviewFormat::Png => OutputFormat::Png,
        PreviewFormat::Svg => OutputFormat::Svg,
    };
    let ppi = args.ppi.unwrap_or(settings.ppi);
    let mut prepared = prepare(&settings.workspace, &year_dir, &typesetter);
    // A period's file: its own tables, printed with the period's form.
    let period = period_of(&args.path);
    if let Some((period_dir, _)) = &period {
        let found = periods(&settings.workspace, &prepared)
            .into_iter()
            .find(|p| p.period.as_ref().is_some_and(|f| same(&f.files.dir, period_dir)));
        match found {
            Some(found) => prepared = found,
            None => {
                return Err(Stopped(format!(
                    "{} 中的实际数据无法读取（可用 jixiao check 查看原因）",
                    period_dir.display()
                )));
            }
        }
    }
    let result = YearResult {
        dir: prepared.files.dir.clone(),
        diagnostics: prepared.checked.diagnostics.clone(),
        outcomes: Vec::new(),
    };
    let errors_only = ReportArgs { message_format: FormatArg::Rich, deny_warnings: false, quiet: true };
    done.err(diagnostics_text(&prepared.sources, &result, &errors_only));
    let images: Vec<(String, Vec<u8>)> = match (&project, &period) {
        (_, Some((_, file))) => {
            let names = prepared.checked.outputs.as_ref();
            let wanted = file.as_ref().and_then(|file| {
                let index = prepared.files.projects.iter().position(|p| p.path.file_name() == file.file_name())?;
                names.map(|n| n.projects[index].clone())
            });
            let (images, extra) = year_images(&prepared, &settings.workspace, &typesetter, prefs, format, ppi);
            done.err(prepared.sources.render(&extra, Format::Rich));
            images
                .into_iter()
                .filter(|(name, _)| wanted.is_none() || image_owner(name).is_some_and(|owner| Some(owner) == wanted))
                .collect()
        }
        (Some(file), None) => one_table(&prepared, file, &prefs, &typesetter, format, ppi, &mut done)?,
        (None, None) => {
            let report_only = args.path.file_name().is_some_and(|n| n == DEPARTMENT_FILE);
            let report = prepared.checked.outputs.as_ref().map(|n| n.report.clone()).unwrap_or_default();
            let (images, extra) = year_images(&prepared, &settings.workspace, &typesetter, prefs, format, ppi);
            done.err(prepared.sources.render(&extra, Format::Rich));
            images
                .into_iter()
                .filter(|(name, _)| image_owner(name).is_some_and(|owner| !report_only || owner == report))
                .collect()
        }
    };
    if images.is_empty() {
        done.out(format!("没有生成图片：{}", problem_summary(&[result])));
        done.status = Status::Failed;
        return Ok(done);
    }
    let out = args.out.clone().unwrap_or_else(|| PathBuf::from("."));
    std::fs::create_dir_all(&out).map_err(|e| Stopped(format!("无法创建目录 {}：{}", out.display(), io_reason(&e))))?;
    for (name, bytes) in &images {
        let path = out.join(name);
        write_atomic(&path, bytes).map_err(|e| Stopped(format!("无法写入 {}：{}", path.display(), io_reason(&e))))?;
        done.out(format!("已生成 {}", path.display()));
    }
    if prepared.checked.diagnostics.iter().any(|d| d.is_error()) {
        done.status = Status::Failed;
    }
    Ok(done)
}

/// The year folder to read, and the project file when one was named.
fn target(path: &Path) -> Result<(PathBuf, Option<PathBuf>), Stopped> {
    if let Some((period, _)) = period_of(path) {
        let year = period.parent().and_then(Path::parent).unwrap_or(Path::new("."));
        return Ok((year.to_path_buf(), None));
    }
    if path.is_dir() {
        return Ok((path.to_path_buf(), None));
    }
    if !path.is_file() {
        return Err(Stopped(format!("找不到 {}", path.display())));
    }
    let parent = path.parent().unwrap_or(Path::new("."));
    if path.file_name().is_some_and(|n| n == DEPARTMENT_FILE) {
        return Ok((parent.to_path_buf(), None));
    }
    match parent.file_name().and_then(|n| n.to_str()) {
        Some(PROJECTS_DIR) => Ok((parent.parent().unwrap_or(Path::new(".")).to_path_buf(), Some(path.to_path_buf()))),
        _ => Err(Stopped(format!(
            "{} 不是项目规格文件（应在年度目录的 projects/ 中），也不是 department.yaml、实际数据文件或年度目录",
            path.display()
        ))),
    }
}

/// The pages of one project's table, laid out alone (as its standalone source, footers
/// included: the same pages as its PDF).
fn one_table(
    prepared: &Prepared,
    file: &Path,
    prefs: &crate::pipeline::FontPreferences,
    typesetter: &crate::typeset::Typesetter,
    format: OutputFormat,
    ppi: f32,
    done: &mut Done,
) -> Result<Vec<(String, Vec<u8>)>, Stopped> {
    let Some(index) = prepared.files.projects.iter().position(|p| same(&p.path, file)) else {
        // It did not parse: its problems are shown above.
        return Ok(Vec::new());
    };
    let Some(names) = &prepared.checked.outputs else { return Ok(Vec::new()) };
    let pages = match table_pages(prepared, index, prefs, typesetter, format, ppi) {
        Ok(pages) => pages,
        Err(problems) => {
            done.err(prepared.sources.render(&problems, Format::Rich));
            return Ok(Vec::new());
        }
    };
    let pdf = Path::new(&names.projects[index]);
    Ok(pages
        .into_iter()
        .enumerate()
        .map(|(i, bytes)| (images::page_path(pdf, i + 1, format).to_string_lossy().into_owned(), bytes))
        .collect())
}

/// The period folder of a path in one (`<year>/actuals/<period>/` itself, its
/// `period.yaml`, or a project's actuals file, which is then given too).
fn period_of(path: &Path) -> Option<(PathBuf, Option<PathBuf>)> {
    let in_actuals = |dir: &Path| dir.parent().and_then(Path::file_name).is_some_and(|n| n == ACTUALS_DIR);
    if path.is_dir() {
        return in_actuals(path).then(|| (path.to_path_buf(), None));
    }
    let dir = path.parent()?;
    let file = (path.file_name()? != PERIOD_FILE).then(|| path.to_path_buf());
    in_actuals(dir).then(|| (dir.to_path_buf(), file))
}

/// Whether two paths name the same file or folder.
fn same(a: &Path, b: &Path) -> bool {
    a.canonicalize().ok() == b.canonicalize().ok()
}
