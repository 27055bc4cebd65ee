//! The build as a library call: every year of a project built into its output folder,
//! a year whose inputs are all as its last build remembered done without parsing, the
//! others validated and typeset (commands, the editor and the benchmark call this).

use rayon::prelude::*;

use crate::diag::Sources;
use crate::incremental::manifest::KeyBuilder;
use crate::pipeline::keys::build_key;
use crate::pipeline::period::{absorb, periods};
use crate::pipeline::unchanged::{FormDigests, YearInputs, remember, unchanged};
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
    let base = KeyBuilder::new(&build_key(options)).add("default form", workspace.default_form.as_bytes()).finish();
    let forms = FormDigests::default();
    let inputs: Vec<YearInputs> =
        timings.time(Phase::Validate, || years.par_iter().map(|(dir, _)| YearInputs::read(dir)).collect());
    let unchanged_years: Vec<Option<(YearResult, Sources)>> = years
        .par_iter()
        .zip(&inputs)
        .map(|((dir, out), inputs)| {
            let out_dir = workspace.out.join(out);
            let source = workspace.source_name(dir);
            // A year's periods are in its inputs (their files) and its key (their forms).
            (!options.force).then(|| unchanged(dir, &out_dir, &source, inputs, &base, &workspace.templates, &forms))?
        })
        .collect();
    let due: Vec<usize> = (0..years.len()).filter(|i| unchanged_years[*i].is_none()).collect();
    let prepared: Vec<Prepared> = due
        .par_iter()
        .map(|&i| {
            let (dir, out) = &years[i];
            let mut prepared = timings.time(Phase::Validate, || prepare(workspace, dir, typesetter));
            prepared.check_standard(options.pdf_standard, typesetter);
            Prepared { out_rel: out.clone(), ..prepared }
        })
        .collect();
    let (owners, periods): (Vec<usize>, Vec<Prepared>) = timings.time(Phase::Validate, || {
        prepared
            .par_iter()
            .enumerate()
            .flat_map_iter(|(k, year)| periods(workspace, year).into_iter().map(move |p| (k, p)))
            .collect::<Vec<_>>()
            .into_iter()
            .unzip()
    });
    total(prepared.iter().chain(&periods).map(|p| p.files.projects.len() + p.files.broken_projects.len() + 1).sum());
    let years_count = prepared.len();
    let mut prepared = prepared;
    prepared.extend(periods);
    let mut results = build_years(&prepared, workspace, typesetter, options, progress);
    // Each period's documents and problems are its year's, and its form is in the year's
    // key (none when a period's form could not be read: the year is then not remembered).
    let mut period_forms: Vec<Option<Vec<(String, String)>>> = vec![Some(Vec::new()); years_count];
    for ((owner, period), result) in
        owners.iter().zip(prepared.split_off(years_count)).zip(results.split_off(years_count))
    {
        results[*owner].diagnostics.extend(result.diagnostics);
        results[*owner].outcomes.extend(result.outcomes);
        let form = period.form.as_ref().map(|f| (f.name.clone(), f.digest.clone()));
        period_forms[*owner] = period_forms[*owner].take().zip(form).map(|(mut forms, form)| {
            forms.push(form);
            forms
        });
        absorb(&mut prepared[*owner], period);
    }
    // Remember each year by the texts its build parsed: a file saved while it was read
    // differs from them at the next look, and its year is built again.
    let mut parsed = Vec::new();
    for (k, ((&i, prepared), result)) in due.iter().zip(&prepared).zip(&results).enumerate() {
        let used = inputs[i].as_parsed(&years[i].0, &prepared.sources);
        if let Some(form) = &prepared.form
            && let Some(periods) = &period_forms[k]
            && used.department().map(|text| form_named(text).unwrap_or_else(|| workspace.default_form.clone()))
                == Some(form.name.clone())
        {
            let _ = remember(&workspace.out.join(&prepared.out_rel), &used, &base, form, periods, result);
        }
        parsed.push(used);
    }
    let mut built = prepared.into_iter().map(|p| p.sources).zip(results).zip(parsed);
    unchanged_years
        .into_iter()
        .zip(inputs)
        .filter_map(|(year, inputs)| match year {
            Some((result, sources)) => Some(BuiltYear { sources, result, inputs, remembered: true }),
            None => {
                built.next().map(|((sources, result), inputs)| BuiltYear { sources, result, inputs, remembered: false })
            }
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
    /// Whether it was found unchanged: its result and problems are the last build's, as
    /// remembered (its problems were shown then).
    pub remembered: bool,
}
