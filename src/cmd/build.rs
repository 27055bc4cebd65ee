//! `jixiao build`: validate, then typeset every valid project and the combined report.

use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::cli::BuildArgs;
use crate::cmd::{Done, Stopped, diagnostics_text, problem_summary, setup, status};
use crate::incremental::manifest::environment_key;
use crate::pipeline::{
    BuildOptions, Document, FontPreferences, Outcome, Phase, Prepared, YearResult, build_years, prepare,
};
use crate::progress::Progress;
use crate::workspace::Workspace;

/// Runs `build`.
pub fn build(root: &Path, args: &BuildArgs) -> Result<Done, Stopped> {
    let started = std::time::Instant::now();
    let mut workspace = Workspace::at(root);
    let mut done = Done::new();
    if let Some(out) = &args.out {
        if out.exists() && !out.is_dir() {
            return Err(Stopped(format!("输出目录 {} 是一个文件，不是目录。请用 --out 指定一个目录。", out.display())));
        }
        workspace.out = out.clone();
    }
    let (years, typesetter) = setup(&workspace, root, &args.paths, &args.fonts, Some(args.out.is_some()))?;
    let typesetter = typesetter.with_time_limit(std::time::Duration::from_secs(args.time_limit));
    let font_files: Vec<_> = typesetter.fonts().files().into_iter().map(Path::to_path_buf).collect();
    // A preferred family that no font folder has is reported once, in Chinese, and dropped
    // (the form's own fonts are used), instead of a Typst warning per document.
    let available = |families: &[String]| -> Vec<String> {
        families.iter().filter(|family| typesetter.fonts().has_family(family)).cloned().collect()
    };
    for family in
        args.fonts.body_font.iter().chain(&args.fonts.label_font).filter(|f| !typesetter.fonts().has_family(f))
    {
        done.err(format!(
            "警告：找不到字体“{family}”，将使用表样指定的字体。如本机装有此字体，请加 --system-fonts 或用 --font-path 指定字体目录。\n"
        ));
    }
    let options = BuildOptions {
        prefs: FontPreferences { body: available(&args.fonts.body_font), label: available(&args.fonts.label_font) },
        force: args.force,
        environment: environment_key(
            &font_files,
            &[("system fonts", if args.fonts.system_fonts { "yes" } else { "no" })],
        ),
        timings: Arc::default(),
        sink: Default::default(),
        marks: Default::default(),
    };
    let timings = &options.timings;
    let prepared: Vec<Prepared> = years
        .par_iter()
        .map(|(dir, out)| {
            let prepared = timings.time(Phase::Validate, || prepare(&workspace, dir, &typesetter));
            Prepared { out_rel: out.clone(), ..prepared }
        })
        .collect();
    let total = prepared.iter().map(|p| p.files.projects.len() + p.files.broken_projects.len() + 1).sum();
    let progress = Progress::new(total, args.report.quiet);
    let results = build_years(&prepared, &workspace, &typesetter, &options, &|_| progress.tick());
    progress.finish();

    for (prepared, result) in prepared.iter().zip(&results) {
        done.err(diagnostics_text(&prepared.sources, result, &args.report));
        outcomes(&mut done, result, args);
    }
    let elapsed = started.elapsed();
    if args.verbose {
        let (phases, documents) = timings.snapshot();
        let split: Vec<String> =
            phases.iter().map(|(p, d)| format!("{} {:.0} ms", p.label(), d.as_secs_f64() * 1000.0)).collect();
        done.out(format!("排版 {documents} 个文件；各阶段累计用时（多线程相加）：{}", split.join("，")));
    }
    done.out(format!("完成：{}，用时 {:.2} 秒", problem_summary(&results), elapsed.as_secs_f64()));
    done.status = status(&results, args.report.deny_warnings);
    Ok(done)
}

/// What became of each output of a year, and the year's count.
fn outcomes(done: &mut Done, result: &YearResult, args: &BuildArgs) {
    if !args.report.quiet {
        for outcome in &result.outcomes {
            match outcome {
                Outcome::Built { path, pages, .. } => done.out(format!("已生成 {}（{pages} 页）", path.display())),
                Outcome::Unchanged { path, .. } if args.verbose => done.out(format!("未变化 {}", path.display())),
                Outcome::Unchanged { .. } => {}
                Outcome::Skipped { document: Document::Report } => {
                    done.out("未生成合订本：有项目未通过检查，保留原有合订本")
                }
                Outcome::Skipped { document } => done
                    .out(format!("未生成 {}：项目或 department.yaml 有错误（见上），保留原有 PDF", document.ident())),
                Outcome::Failed { document: Document::Report } => {
                    done.out("合订本生成失败（原因见上），保留原有合订本")
                }
                Outcome::Failed { document } => {
                    done.out(format!("生成失败：{}（原因见上），保留原有 PDF", document.ident()))
                }
            }
        }
    }
    done.out(format!(
        "{}：生成 {} 个，未变化 {} 个，失败 {} 个，跳过 {} 个",
        result.dir.display(),
        result.built(),
        result.unchanged(),
        result.failed(),
        result.skipped()
    ));
}
