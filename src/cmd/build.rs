//! `jixiao build`: validate, then typeset every valid project and the combined report.

use std::path::Path;

use rayon::prelude::*;

use crate::cli::BuildArgs;
use crate::cmd::settings::Settings;
use crate::cmd::{Done, Setup, Stopped, diagnostics_text, problem_summary, setup, status};
use crate::config::{OutputFormat, PdfStandard};
use crate::diag::Sources;
use crate::diag::{Diagnostic, rules};
use crate::incremental::manifest::KeyBuilder;
use crate::incremental::manifest::environment_key;
use crate::pipeline::produce::document_date;
use crate::pipeline::quick::{FormDigests, YearInputs, remember, unchanged};
use crate::pipeline::{
    BuildOptions, Document, FontPreferences, Outcome, Phase, Prepared, YearResult, build_years, prepare,
};
use crate::progress::Progress;
use crate::spec::year::form_named;
use crate::typeset::Typesetter;
use crate::workspace::YearDir;

/// Runs `build`.
pub fn build(root: &Path, args: &BuildArgs) -> Result<Done, Stopped> {
    let started = std::time::Instant::now();
    let mut done = Done::new();
    let Setup { mut settings, years, typesetter, prefs } =
        setup(root, &args.paths, &args.fonts, Some(args.out.as_deref()), &mut done)?;
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
    let options = BuildOptions { force: args.force, ..options(&settings, &typesetter, prefs) };
    let progress = Progress::new(0, args.report.quiet);
    let built =
        build_all(&settings, &typesetter, &options, &years, &|_| progress.tick(), &|total| progress.set_total(total));
    progress.finish();
    let mut results = Vec::new();
    for BuiltYear { sources, result, .. } in built {
        done.err(diagnostics_text(&sources, &result, &args.report));
        outcomes(&mut done, &result, args);
        results.push(result);
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

/// The options of a build to disk with `settings` (not forced, no change marks).
pub fn options(settings: &Settings, typesetter: &Typesetter, prefs: FontPreferences) -> BuildOptions {
    let font_files: Vec<_> = typesetter.fonts().files().into_iter().map(Path::to_path_buf).collect();
    BuildOptions {
        prefs,
        pdf_standard: settings.pdf_standard,
        images: settings.formats.iter().copied().filter(|f| *f != OutputFormat::Pdf).collect(),
        ppi: settings.ppi,
        environment: environment_key(
            &font_files,
            &[
                ("system fonts", if settings.fonts.system { "yes" } else { "no" }),
                ("outputs", &settings.output_key()),
                ("source date", &std::env::var("SOURCE_DATE_EPOCH").unwrap_or_default()),
            ],
        ),
        ..BuildOptions::default()
    }
}

/// Builds `years`: a year whose every input is as its last build remembered is done
/// without parsing (unless forced); the others are validated and built. Each year's
/// result comes with the texts its problems point into, in the order of `years`.
/// `total` is told how many documents will be looked at, `progress` each one.
pub fn build_all(
    settings: &Settings,
    typesetter: &Typesetter,
    options: &BuildOptions,
    years: &[YearDir],
    progress: &(dyn Fn(&Outcome) + Sync),
    total: &dyn Fn(usize),
) -> Vec<BuiltYear> {
    let (workspace, timings) = (&settings.workspace, &options.timings);
    let base = KeyBuilder::new(&options.environment)
        .add("fonts", format!("{:?}", options.prefs.roles).as_bytes())
        .add("default form", workspace.default_form.as_bytes())
        .finish();
    let forms = FormDigests::default();
    let inputs: Vec<YearInputs> =
        timings.time(Phase::Validate, || years.par_iter().map(|(dir, _)| YearInputs::read(dir)).collect());
    let quick: Vec<Option<(YearResult, Sources)>> = years
        .par_iter()
        .zip(&inputs)
        .map(|((dir, out), inputs)| {
            let out_dir = workspace.out.join(out);
            let source = workspace.source_name(dir);
            (!options.force).then(|| unchanged(dir, &out_dir, &source, inputs, &base, &workspace.templates, &forms))?
        })
        .collect();
    let due: Vec<usize> = (0..years.len()).filter(|i| quick[*i].is_none()).collect();
    let prepared: Vec<Prepared> = due
        .par_iter()
        .map(|&i| {
            let (dir, out) = &years[i];
            let mut prepared = timings.time(Phase::Validate, || prepare(workspace, dir, typesetter));
            if settings.pdf_standard.is_archival() && !typesetter.has_default_date() {
                require_date(&mut prepared, settings.pdf_standard);
            }
            Prepared { out_rel: out.clone(), ..prepared }
        })
        .collect();
    total(prepared.iter().map(|p| p.files.projects.len() + p.files.broken_projects.len() + 1).sum());
    let results = build_years(&prepared, workspace, typesetter, options, progress);
    // Remember each year by the texts its build parsed: a file saved while it was read
    // differs from them at the next look, and its year is built again.
    let mut parsed = Vec::new();
    for ((&i, prepared), result) in due.iter().zip(&prepared).zip(&results) {
        let used = inputs[i].as_parsed(&years[i].0, &prepared.sources);
        if let Some(form) = &prepared.form
            && used.department().map(|text| form_named(text).unwrap_or_else(|| workspace.default_form.clone()))
                == Some(form.name.clone())
        {
            let _ = remember(&workspace.out.join(&prepared.out_rel), &used, &base, form, result);
        }
        parsed.push(used);
    }
    let mut built = prepared.into_iter().map(|p| p.sources).zip(results).zip(parsed);
    quick
        .into_iter()
        .zip(inputs)
        .filter_map(|(year, inputs)| match year {
            Some((result, sources)) => Some(BuiltYear { sources, result, inputs }),
            None => built.next().map(|((sources, result), inputs)| BuiltYear { sources, result, inputs }),
        })
        .collect()
}

/// One year of [`build_all`].
pub struct BuiltYear {
    /// The texts its problems point into.
    pub sources: Sources,
    /// What was found and made.
    pub result: YearResult,
    /// The inputs it was built from (as parsed), or found unchanged in.
    pub inputs: YearInputs,
}

/// A PDF/A needs a document date: without a 编制日期 (and `SOURCE_DATE_EPOCH`), the year
/// is not built and the department file gets error E0324 saying what to add.
fn require_date(prepared: &mut Prepared, standard: PdfStandard) {
    let Some(department) = &prepared.files.department else { return };
    if document_date(&department.spec).is_some() || !prepared.checked.department_ok {
        return;
    }
    let span = crate::spec::load::span_of(&department.text, &department.spec.year);
    let diagnostic = Diagnostic::new(
        &rules::E0324,
        &department.path,
        Some(span),
        format!("生成 PDF/A-{} 需要文件日期，department.yaml 中没有编制日期", &standard.name()[2..]),
    )
    .with_label("可在这一行下面加一行 date: …")
    .with_hint("请在 department.yaml 中加一行 `date: 2024-01-15`（编制日期，印在 PDF 的文件信息中）；或设置环境变量 SOURCE_DATE_EPOCH（秒数）");
    prepared.checked.diagnostics.push(diagnostic);
    prepared.checked.department_ok = false;
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
