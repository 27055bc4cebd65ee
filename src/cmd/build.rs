//! `jixiao build`: validate, then typeset every valid project and the combined report.

use std::path::Path;

use crate::cli::BuildArgs;
use crate::cmd::{diagnostics_text, problem_summary, status};
use crate::config::{OutputFormat, PdfStandard};
use crate::diag::rules;
use crate::pipeline::build::{BuiltYear, build_each};
use crate::pipeline::{BuildOptions, Document, Outcome, YearResult};
use crate::progress::Progress;
use crate::session::{Done, Lifetime, Setup, Stopped, setup};

/// Runs `build`.
pub fn build(root: &Path, args: &BuildArgs) -> Result<Done, Stopped> {
    let started = std::time::Instant::now();
    let mut done = Done::new();
    let Setup { mut settings, years, typesetter, prefs } =
        setup(root, &args.paths, &args.fonts, Some(args.out.as_deref()), Lifetime::OneShot, &mut done)?;
    if let Some(standard) = args.pdf_standard.as_deref().and_then(PdfStandard::parse) {
        settings.pdf_standard = standard;
    }
    if !args.format.is_empty() {
        settings.formats = args.format.iter().filter_map(|f| OutputFormat::parse(f)).collect();
        settings.formats.dedup();
    }
    let mut typesetter = typesetter.with_time_limit(std::time::Duration::from_secs(args.time_limit));
    if let Some(megabytes) = args.memory_limit {
        typesetter = typesetter.with_memory_limit(megabytes * 1024 * 1024);
    }
    let options = BuildOptions { force: args.force, ..settings.build_options(&typesetter, prefs) };
    let progress = Progress::new(0, args.report.quiet);
    let mut results = Vec::new();
    // The warnings of a year nothing changed in were shown by the build that made it; they
    // are counted, not shown again (a province's no-op would print thousands), unless asked.
    let (mut held, mut held_years) = (0, 0);
    // Each year's problems and outcomes are said as soon as it is done, and its texts let go.
    let mut say = |mut year: BuiltYear| {
        // A year found unchanged was not read: the files its shown problems point into are.
        if !year.remembered || args.verbose || year.result.diagnostics.iter().any(|d| d.is_error()) {
            year.read_sources();
        }
        let BuiltYear { sources, result, remembered, .. } = year;
        if remembered && !args.verbose {
            let warnings = result.diagnostics.iter().filter(|d| !d.is_error()).count();
            let errors = YearResult {
                diagnostics: result.diagnostics.iter().filter(|d| d.is_error()).cloned().collect(),
                ..YearResult::default()
            };
            done.err(diagnostics_text(&sources, &errors, &args.report));
            held += warnings;
            held_years += usize::from(warnings > 0);
        } else {
            done.err(diagnostics_text(&sources, &result, &args.report));
        }
        outcomes(&mut done, &result, args);
        results.push(result);
    };
    build_each(
        &settings.workspace,
        &typesetter,
        &options,
        &years,
        &|_| progress.tick(),
        &|total| progress.set_total(total),
        &mut say,
    );
    progress.finish();
    if held > 0 && !args.report.quiet {
        done.out(format!(
            "另有 {held} 个警告属于没有变化的 {held_years} 个年度，上次生成时已经列出，这次不再逐条显示；\
             要查看全部，运行 jixiao check 或 jixiao build --verbose"
        ));
    }
    let elapsed = started.elapsed();
    if args.verbose {
        let (phases, documents) = options.timings.snapshot();
        let split: Vec<String> =
            phases.iter().map(|(p, d)| format!("{} {:.0} ms", p.label(), d.as_secs_f64() * 1000.0)).collect();
        done.out(format!("排版 {documents} 个文件；各阶段累计用时（多线程相加）：{}", split.join("，")));
    }
    done.out(format!("完成：{}，用时 {:.2} 秒", problem_summary(&results), elapsed.as_secs_f64()));
    done.status = status(&results, args.report.deny_warnings);
    Ok(done)
}

/// Why a year's report was not made: the documents that keep it from being made, by name.
fn report_blocked(result: &YearResult) -> String {
    let blocking: Vec<String> = result
        .outcomes
        .iter()
        .filter_map(|o| match o {
            Outcome::Skipped { document: document @ (Document::Project(_) | Document::Unreadable(_)) }
            | Outcome::Failed { document: document @ (Document::Project(_) | Document::Unreadable(_)) } => {
                Some(document.ident())
            }
            _ => None,
        })
        .collect();
    if blocking.is_empty() {
        return "未生成合订本：本年度有错误（见上），保留原有合订本".to_string();
    }
    format!("未生成合订本：{} 有错误，改正后才能生成（见上），保留原有合订本", blocking.join("、"))
}

/// What became of each output of a year, and the year's count.
fn outcomes(done: &mut Done, result: &YearResult, args: &BuildArgs) {
    // A year whose output folder could not be used: one line for it, not one per document
    // blaming the specs.
    let refused = result.diagnostics.iter().any(|d| d.rule.code == rules::E0111.code);
    if refused && !args.report.quiet {
        done.out(format!("未生成 {} 的任何文件：输出目录不能使用（见上），原有 PDF 保持不变", result.dir.display()));
    } else if !args.report.quiet {
        for outcome in &result.outcomes {
            match outcome {
                Outcome::Built { path, pages, .. } => done.out(format!("已生成 {}（{pages} 页）", path.display())),
                Outcome::Unchanged { path, .. } if args.verbose => done.out(format!("未变化 {}", path.display())),
                Outcome::Unchanged { .. } => {}
                Outcome::Skipped { document: Document::Report } => done.out(report_blocked(result)),
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
