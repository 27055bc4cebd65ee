//! `jixiao bench`: generate N synthetic projects in a scratch folder, build them the way
//! `build` does (through the public pipeline, all cores), then rebuild with nothing
//! changed, and report wall time, documents per second, peak memory, output sizes and
//! where the time went. With `--keep`, the folder also gets each table as one standalone
//! Typst file and a bundle of them all (`typst/`), for comparing with the Typst CLI on the
//! same tables (`benches/typst-cli.sh`). The synthetic corpus ([`synth`]) belongs to the
//! command, not to the library.

mod actuals;
mod office;
mod synth;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crate::cli::{BenchArgs, FontArgs};
use crate::config::OutputFormat;
use crate::pipeline::build::build_all;
use crate::pipeline::{
    BuildOptions, Document, FontPreferences, Outcome, Phase, Prepared, Timings, YearResult, prepare, project_source,
};
use crate::session::settings::Settings;
use crate::session::{Done, Status, Stopped};
use crate::text::io_reason;
use crate::workspace::{Workspace, YearDir, within};

/// Runs `bench` and returns the exit code.
pub fn bench(root: &Path, args: &BenchArgs) -> Result<Done, Stopped> {
    let scratch = scratch(root, args)?;
    let dir = scratch.path();
    let workspace = Workspace {
        specs: dir.join("specs"),
        templates: root.join("templates"),
        out: dir.join("out"),
        ..Workspace::at(root)
    };
    let _ = fs::remove_dir_all(&workspace.out);
    let corpus = synth::write_corpus(&workspace.specs, args.projects)
        .map_err(|e| Stopped(format!("无法写入样例规格：{}", io_reason(&e))))?;
    let years = corpus.years.clone();
    let fonts_started = Instant::now();
    let settings = Settings { workspace: workspace.clone(), ..Settings::load(root, &FontArgs::default())? };
    let typesetter = settings.typesetter()?;
    let fonts_ms = fonts_started.elapsed().as_secs_f64() * 1000.0;
    let year_dirs: Vec<YearDir> = years.iter().map(|y| (y.clone(), workspace.default_out_rel(y))).collect();
    let run_with = |force: bool, formats: &[OutputFormat]| -> Run {
        let mut options = BuildOptions { force, ..settings.build_options(&typesetter, FontPreferences::default()) };
        options.images = formats.to_vec();
        let started = Instant::now();
        let results = build_all(&settings.workspace, &typesetter, &options, &year_dirs);
        let results = results.into_iter().map(|year| year.result).collect();
        Run { seconds: started.elapsed().as_secs_f64(), results, timings: Arc::clone(&options.timings) }
    };
    let run = |force: bool| run_with(force, &[]);
    // The whole corpus on every core, as `build --force` does it; then nothing changed;
    // then one spec edited (its table and its department's report).
    let cold = run(true);
    let noop = run(false);
    let edited = synth::edit_one(&years[0]).map_err(|e| Stopped(format!("无法修改样例规格：{}", io_reason(&e))))?;
    let one = run(false);
    // Every table again with its workbook and Word document, and each year's workbook.
    let with_office = run_with(true, &[OutputFormat::Xlsx, OutputFormat::Docx]);
    // The year end: every project's actual figures added, scored and printed (the target
    // tables are unchanged and not typeset again); then one actual edited.
    let form = crate::form::Form::load(&workspace.templates, actuals::FORM, &mut crate::diag::Sources::default())
        .map_err(|d| Stopped(format!("表样 {} 无法读取：{}", actuals::FORM, d.message)))?;
    actuals::write(&corpus, &form).map_err(|e| Stopped(format!("无法写入样例实际数据：{}", io_reason(&e))))?;
    let year_end = run(false);
    let edited_actual =
        actuals::edit_one(&years[0]).map_err(|e| Stopped(format!("无法修改样例实际数据：{}", io_reason(&e))))?;
    let one_actual = run(false);
    let mut done = Done::new();
    report(&mut done, args, &years, fonts_ms, &cold, &noop);
    let rebuilt: usize = one.results.iter().map(YearResult::built).sum();
    done.out(format!(
        "改动一个项目（{}）后重新生成：{:.1} ms（重新生成 {rebuilt} 个文件）",
        edited.display(),
        one.seconds * 1000.0
    ));
    let period_built: usize = year_end.results.iter().map(YearResult::built).sum();
    done.out(format!(
        "年终自评（{} 个项目的实际数据，检查、计分并生成自评表和合订本）：{:.3} 秒（生成 {period_built} 个文件），是全部生成目标表的 {:.2} 倍",
        args.projects,
        year_end.seconds,
        year_end.seconds / cold.seconds.max(f64::EPSILON)
    ));
    let (phases, _) = with_office.timings.snapshot();
    let phase =
        |wanted: &[Phase]| phases.iter().filter(|(p, _)| wanted.contains(p)).map(|(_, d)| d.as_secs_f64()).sum::<f64>();
    let (office_s, pdf_s) = (phase(&[Phase::Office]), phase(&[Phase::Layout, Phase::Pdf]));
    done.out(format!(
        "同时生成 Excel 和 Word（每张表一个 .xlsx 和 .docx，每个部门一本全年工作簿和 Word 版）：{:.3} 秒（只生成 PDF 时 {:.3} 秒）；同一次生成中 Excel、Word 导出累计 {:.1} ms，PDF 排版与导出累计 {:.1} ms（{:.2} 倍）",
        with_office.seconds,
        cold.seconds,
        office_s * 1000.0,
        pdf_s * 1000.0,
        office_s / pdf_s.max(f64::EPSILON)
    ));
    match office::import_round(&workspace, &years, &typesetter, &dir.join("全部项目.xlsx"), &dir.join("import/2024"))
    {
        Ok(import) => done.out(format!(
            "从一个工作簿导入（{} 个项目，每个一张按版式的工作表，{:.1} MB）：{:.3} 秒，写入 {} 个规格文件",
            import.projects,
            import.bytes as f64 / 1048576.0,
            import.seconds,
            import.written
        )),
        Err(e) => done.err(format!("错误：导入测量失败：{e}\n")),
    }
    let rebuilt: usize = one_actual.results.iter().map(YearResult::built).sum();
    done.out(format!(
        "改动一个项目的实际数据（{}）后重新生成：{:.1} ms（重新生成 {rebuilt} 个文件）",
        edited_actual.display(),
        one_actual.seconds * 1000.0
    ));
    let errors: usize = [&cold, &year_end]
        .iter()
        .flat_map(|run| &run.results)
        .map(|r| r.diagnostics.iter().filter(|d| d.is_error()).count() + r.failed())
        .sum();
    if errors > 0 {
        done.err(format!("错误：样例中有 {errors} 个问题，结果无效\n"));
        done.status = Status::Failed;
        return Ok(done);
    }
    if args.keep.is_some() {
        let prepared: Vec<Prepared> = years.iter().map(|y| prepare(&workspace, y, &typesetter)).collect();
        if let Err(e) = write_typst_sources(&dir.join("typst"), &prepared) {
            done.err(format!("错误：无法写入 Typst 源码：{}\n", io_reason(&e)));
            done.status = Status::Trouble;
            return Ok(done);
        }
        done.out(format!("样例规格和 PDF 在 {}（typst/ 中是每张表的独立 Typst 源码）", dir.display()));
    }
    Ok(done)
}

/// The scratch folder: `--keep`'s, which must be new or empty and outside the project's
/// `specs/` and `out/` (the corpus is written into it and its `out/` replaced), or a
/// temporary one.
fn scratch(root: &Path, args: &BenchArgs) -> Result<Scratch, Stopped> {
    let Some(dir) = &args.keep else {
        return tempfile::tempdir()
            .map(Scratch::Temp)
            .map_err(|e| Stopped(format!("无法创建临时目录：{}", io_reason(&e))));
    };
    let used = dir.exists() && (!dir.is_dir() || fs::read_dir(dir).map_or(true, |mut d| d.next().is_some()));
    let inside = |folder: &str| within(dir, &root.join(folder)) || within(&root.join(folder), dir);
    if used || inside("specs") || inside("out") {
        return Err(Stopped(format!(
            "--keep 的目录 {} 不是空目录（或在项目的 specs/、out/ 中）。bench 会在其中写入样例规格并替换其中的 out/；请指定一个新的或空的目录。",
            dir.display()
        )));
    }
    Ok(Scratch::Kept(dir.clone()))
}

/// One build of the corpus: its wall time, results and where the time went.
struct Run {
    seconds: f64,
    results: Vec<YearResult>,
    timings: Arc<Timings>,
}

/// Prints the measurements.
fn report(done: &mut Done, args: &BenchArgs, years: &[PathBuf], fonts_ms: f64, cold: &Run, noop: &Run) {
    let (phases, documents) = cold.timings.snapshot();
    let mut pages = 0;
    let mut project_sizes = Vec::new();
    for outcome in cold.results.iter().flat_map(|r| &r.outcomes) {
        if let Outcome::Built { document, path, pages: n, .. } = outcome {
            pages += n;
            if matches!(document, Document::Project(_)) {
                project_sizes.push(fs::metadata(path).map(|m| m.len()).unwrap_or_default());
            }
        }
    }
    let unchanged: usize = noop.results.iter().map(YearResult::unchanged).sum();
    let total_phase: f64 = phases.iter().map(|(_, d)| d.as_secs_f64()).sum();
    done.out(format!(
        "样例：{} 个项目，{} 个部门（每个部门另有一本合订本），共排版 {documents} 个 PDF、{pages} 页",
        args.projects,
        years.len()
    ));
    done.out(format!("机器：{} 个 CPU 核", std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)));
    done.out(format!("字体加载（扫描 fonts/）：{fonts_ms:.1} ms"));
    done.out(format!(
        "全部生成（所有 CPU 核并行）：{:.3} 秒，{:.1} 个 PDF/秒",
        cold.seconds,
        documents as f64 / cold.seconds
    ));
    done.out(format!(
        "各阶段累计用时（所有线程相加，共 {:.1} ms，平均每个 PDF {:.1} ms）：",
        total_phase * 1000.0,
        total_phase * 1000.0 / documents.max(1) as f64
    ));
    for (phase, duration) in &phases {
        let secs = duration.as_secs_f64();
        let share = 100.0 * secs / total_phase.max(f64::EPSILON);
        done.out(format!("  {:<10} {:>8.1} ms（{share:.0}%）", phase.label(), secs * 1000.0));
    }
    done.out(format!("无变化重新生成：{:.1} ms（{unchanged} 个文件未变化）", noop.seconds * 1000.0));
    if let (Some(max), false) = (project_sizes.iter().max(), project_sizes.is_empty()) {
        let mean = project_sizes.iter().sum::<u64>() / project_sizes.len() as u64;
        done.out(format!("单个项目 PDF：平均 {:.1} KB，最大 {:.1} KB", mean as f64 / 1024.0, *max as f64 / 1024.0));
    }
    if let Some(rss) = peak_rss() {
        done.out(format!("峰值内存（RSS）：{:.0} MB", rss as f64 / 1024.0 / 1024.0));
    }
}

/// Peak resident memory of this process in bytes (Linux `VmHWM`), if known.
fn peak_rss() -> Option<u64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Writes every table of the corpus as one standalone Typst file (`<code>.typ`, with its
/// footers: what the Typst CLI needs to print the same table) and `bundle.typ`, which
/// includes them all, one after the other, in one document.
fn write_typst_sources(dir: &Path, prepared: &[Prepared]) -> std::io::Result<()> {
    fs::create_dir_all(dir)?;
    let mut bundle = String::new();
    for year in prepared {
        let mut codes: Vec<&str> = year.files.projects.iter().map(|p| p.spec.code.value.as_str()).collect();
        codes.sort_unstable();
        for code in codes {
            let source = project_source(year, code, &FontPreferences::default(), true)
                .map_err(|d| std::io::Error::other(d.message))?;
            fs::write(dir.join(format!("{code}.typ")), source)?;
            if !bundle.is_empty() {
                bundle.push_str("#pagebreak()\n");
            }
            bundle.push_str(&format!("#include \"{code}.typ\"\n"));
        }
    }
    fs::write(dir.join("bundle.typ"), bundle)
}

/// The scratch folder: kept when the user named it, removed otherwise.
enum Scratch {
    Kept(std::path::PathBuf),
    Temp(tempfile::TempDir),
}

impl Scratch {
    fn path(&self) -> &Path {
        match self {
            Scratch::Kept(p) => p,
            Scratch::Temp(t) => t.path(),
        }
    }
}
