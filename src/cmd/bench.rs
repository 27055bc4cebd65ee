//! `jixiao bench`: generate N synthetic projects in a scratch folder, build them the way
//! `build` does (same code path, all cores), then rebuild with nothing changed, and report
//! wall time, documents per second, peak memory, output sizes and where the time went.
//! With `--keep`, the folder also gets each table as one standalone Typst file and a
//! bundle of them all (`typst/`), for comparing with the Typst CLI on the same tables
//! (`benches/typst-cli.sh`).

use std::fs;
use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;

use crate::cli::{BenchArgs, FontArgs};
use crate::cmd::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, typesetter};
use crate::incremental::manifest::environment_key;
use crate::pipeline::{
    BuildOptions, FontPreferences, Outcome, Prepared, YearResult, build_year, build_years, prepare, project_source,
};
use crate::stats;
use crate::synth;
use crate::workspace::Workspace;

/// Runs `bench` and returns the exit code.
pub fn bench(root: &Path, args: &BenchArgs) -> i32 {
    let scratch = match &args.keep {
        Some(dir) => {
            // The corpus is written into it and its out/ replaced: only an empty or new
            // folder, and never one inside this project's specs/ or out/.
            let used = dir.exists() && (!dir.is_dir() || fs::read_dir(dir).map_or(true, |mut d| d.next().is_some()));
            let inside =
                |folder: &str| super::within(dir, &root.join(folder)) || super::within(&root.join(folder), dir);
            if used || inside("specs") || inside("out") {
                eprintln!(
                    "错误：--keep 的目录 {} 不是空目录（或在项目的 specs/、out/ 中）。bench 会在其中写入样例规格并替换其中的 out/；请指定一个新的或空的目录。",
                    dir.display()
                );
                return EXIT_USAGE;
            }
            Scratch::Kept(dir.clone())
        }
        None => match tempfile::tempdir() {
            Ok(dir) => Scratch::Temp(dir),
            Err(e) => {
                eprintln!("错误：无法创建临时目录：{e}");
                return EXIT_USAGE;
            }
        },
    };
    let dir = scratch.path();
    let workspace = Workspace { specs: dir.join("specs"), templates: root.join("templates"), out: dir.join("out") };
    let _ = fs::remove_dir_all(&workspace.out);
    let years = match synth::write_corpus(&workspace.specs, args.projects) {
        Ok(years) => years,
        Err(e) => {
            eprintln!("错误：无法写入样例规格：{e}");
            return EXIT_USAGE;
        }
    };

    let fonts_started = Instant::now();
    let typesetter = match typesetter(root, &FontArgs::default()) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("错误：{}", e.0);
            return EXIT_USAGE;
        }
    };
    let fonts_ms = fonts_started.elapsed().as_secs_f64() * 1000.0;
    let font_files: Vec<_> = typesetter.fonts().files().into_iter().map(Path::to_path_buf).collect();
    let mut options =
        BuildOptions { force: true, environment: environment_key(&font_files, "bench"), ..BuildOptions::default() };

    let run = |options: &BuildOptions, years: &[std::path::PathBuf]| -> (f64, Vec<YearResult>) {
        let started = Instant::now();
        let prepared: Vec<Prepared> = years.par_iter().map(|y| prepare(&workspace, y, &typesetter)).collect();
        let results = build_years(&prepared, &workspace, &typesetter, options, &|_| {});
        (started.elapsed().as_secs_f64(), results)
    };
    // 1. Where the time goes, per document: the first department, one document after the
    //    other on one thread (nested parallel work would be counted twice).
    let sample = &years[..1];
    let sequential_options = BuildOptions { sequential: true, ..options.clone() };
    let started = Instant::now();
    let sample_results: Vec<YearResult> = sample
        .iter()
        .map(|y| {
            build_year(&prepare(&workspace, y, &typesetter), &workspace, &typesetter, &sequential_options, &|_| {})
        })
        .collect();
    let sample_wall = started.elapsed().as_secs_f64();
    let (phases, sample_documents) = stats::snapshot();
    let _ = fs::remove_dir_all(&workspace.out);
    // 2. The whole corpus on every core, as `build --force` does it.
    let (cold, results) = run(&options, &years);
    let (_, all_documents) = stats::snapshot();
    let documents = all_documents - sample_documents;
    // 3. Nothing changed: everything must be skipped.
    options.force = false;
    let (noop, again) = run(&options, &years);

    let errors: usize =
        results.iter().map(|r| r.diagnostics.iter().filter(|d| d.is_error()).count() + r.failed()).sum();
    let mut pages = 0;
    let mut project_sizes = Vec::new();
    for outcome in results.iter().flat_map(|r| &r.outcomes) {
        if let Outcome::Built { path, pages: n, .. } = outcome {
            pages += n;
            let size = fs::metadata(path).map(|m| m.len()).unwrap_or_default();
            if !path.to_string_lossy().contains("年度绩效目标") {
                project_sizes.push(size);
            }
        }
    }
    let unchanged: usize = again.iter().map(YearResult::unchanged).sum();
    let total_phase: f64 = phases.iter().map(|(_, d)| d.as_secs_f64()).sum();
    let sample_built: usize = sample_results.iter().map(YearResult::built).sum();

    println!(
        "样例：{} 个项目，{} 个部门（每个部门另有一本合订本），共排版 {documents} 个 PDF、{pages} 页",
        args.projects,
        years.len()
    );
    println!("机器：{} 个 CPU 核", std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1));
    println!("字体加载（扫描 fonts/）：{fonts_ms:.1} ms");
    println!("全部生成（所有 CPU 核并行）：{cold:.3} 秒，{:.1} 个 PDF/秒", documents as f64 / cold);
    println!(
        "单线程逐个生成第一个部门的 {sample_built} 个 PDF（含字体首次载入）：{:.1} ms，平均每个 {:.1} ms；其中",
        sample_wall * 1000.0,
        sample_wall * 1000.0 / sample_built.max(1) as f64
    );
    for (phase, duration) in &phases {
        let secs = duration.as_secs_f64();
        let share = 100.0 * secs / total_phase.max(f64::EPSILON);
        println!("  {:<10} {:>8.1} ms（{share:.0}%）", phase.label(), secs * 1000.0);
    }
    println!("无变化重新生成：{:.1} ms（{unchanged} 个文件未变化）", noop * 1000.0);
    if let (Some(max), false) = (project_sizes.iter().max(), project_sizes.is_empty()) {
        let mean = project_sizes.iter().sum::<u64>() / project_sizes.len() as u64;
        println!("单个项目 PDF：平均 {:.1} KB，最大 {:.1} KB", mean as f64 / 1024.0, *max as f64 / 1024.0);
    }
    if let Some(rss) = stats::peak_rss() {
        println!("峰值内存（RSS）：{:.0} MB", rss as f64 / 1024.0 / 1024.0);
    }
    if errors > 0 {
        eprintln!("错误：样例中有 {errors} 个问题，结果无效");
        return EXIT_FAILED;
    }
    if args.keep.is_some() {
        let prepared: Vec<Prepared> = years.iter().map(|y| prepare(&workspace, y, &typesetter)).collect();
        if let Err(e) = write_typst_sources(&dir.join("typst"), &prepared) {
            eprintln!("错误：无法写入 Typst 源码：{e}");
            return EXIT_FAILED;
        }
        println!("样例规格和 PDF 在 {}（typst/ 中是每张表的独立 Typst 源码）", dir.display());
    }
    EXIT_OK
}

/// Writes every table of the corpus as one standalone Typst file (`<code>.typ`, with its
/// footers: what the Typst CLI needs to print the same table) and `bundle.typ`, which
/// includes them all, one after the other, in one document.
fn write_typst_sources(dir: &Path, prepared: &[Prepared]) -> std::io::Result<()> {
    fs::create_dir_all(dir)?;
    let mut bundle = String::new();
    for year in prepared {
        let mut codes: Vec<&str> = year.files.projects.iter().map(|p| p.spec.code.value.trim()).collect();
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
