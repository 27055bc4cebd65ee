//! The build as a library call: every year of a project built into its output folder,
//! a year whose inputs are all as its last build remembered done without parsing, the
//! others validated and typeset (commands, the editor and the benchmark call this).

use rayon::prelude::*;

use crate::config::PdfStandard;
use crate::diag::Sources;
use crate::diag::{Diagnostic, rules};
use crate::incremental::manifest::KeyBuilder;
use crate::pipeline::produce::document_date;
use crate::pipeline::quick::{FormDigests, YearInputs, remember, unchanged};
use crate::pipeline::{BuildOptions, Outcome, Phase, Prepared, YearResult, build_years, prepare};
use crate::spec::year::form_named;
use crate::typeset::Typesetter;
use crate::workspace::{Workspace, YearDir};

/// Builds `years`: a year whose every input is as its last build remembered is done
/// without parsing (unless forced); the others are validated and built. Each year's
/// result comes with the texts its problems point into, in the order of `years`.
/// `total` is told how many documents will be looked at, `progress` each one.
pub fn build_all(
    workspace: &Workspace,
    typesetter: &Typesetter,
    options: &BuildOptions,
    years: &[YearDir],
    progress: &(dyn Fn(&Outcome) + Sync),
    total: &dyn Fn(usize),
) -> Vec<BuiltYear> {
    let timings = &options.timings;
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
            if options.pdf_standard.is_archival() && !typesetter.has_default_date() {
                require_date(&mut prepared, options.pdf_standard);
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
    let span = crate::yaml::span_of(&department.text, &department.spec.year);
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
