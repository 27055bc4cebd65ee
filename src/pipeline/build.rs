//! The build as a library call: every year of a project built into its output folder,
//! a year whose inputs are all as its last build remembered done without parsing, the
//! others validated and typeset (commands, the editor and the benchmark call this).

use rayon::prelude::*;

use crate::diag::Sources;
use crate::incremental::manifest::KeyBuilder;
use crate::pipeline::inputs::YearInputs;
use crate::pipeline::keys::build_key;
use crate::pipeline::period::{absorb, periods};
use crate::pipeline::unchanged::{FormDigests, remember, unchanged};
use crate::pipeline::{BuildOptions, Outcome, Phase, Prepared, YearResult, build_years, prepare};
use crate::spec::year::form_named;
use crate::typeset::Typesetter;
use crate::workspace::{Workspace, YearDir};

/// A batch of years is closed once it holds this many projects (a year is never split):
/// years are read, checked and typeset a batch at a time, so that memory does not grow
/// with the number of years. About five departments of ten projects: each batch holds
/// some 20 MB while it runs, and keeps both cores busy but for its last report (measured
/// at 1,000 projects: no slower than one batch of all, within the runs' spread).
const BATCH_PROJECTS: usize = 48;

/// Builds `years` without telling progress, collecting each year's [`BuiltYear`] in the
/// order of `years` (see [`build_each`]): for the editor, `watch` and the benchmark.
pub fn build_all(
    workspace: &Workspace,
    typesetter: &Typesetter,
    options: &BuildOptions,
    years: &[YearDir],
) -> Vec<BuiltYear> {
    let mut built = Vec::with_capacity(years.len());
    build_each(workspace, typesetter, options, years, &|_| {}, &|_| {}, &mut |year| built.push(year));
    built
}

/// Builds `years`: a year whose every input is as its last build remembered is done
/// without parsing (unless forced); the others are validated and built, a batch of about
/// [`BATCH_PROJECTS`] projects at a time. Each year's result, with the texts its problems
/// point into, is handed to `each` in the order of `years` as soon as it and every year
/// before it are done, and need not be kept. `total` is told how many documents will be
/// looked at, `progress` each one.
pub fn build_each(
    workspace: &Workspace,
    typesetter: &Typesetter,
    options: &BuildOptions,
    years: &[YearDir],
    progress: &(dyn Fn(&Outcome) + Sync),
    total: &dyn Fn(usize),
    each: &mut dyn FnMut(BuiltYear),
) {
    let timings = &options.timings;
    let base = KeyBuilder::new(&build_key(options)).add("default form", workspace.default_form.as_bytes()).finish();
    let forms = FormDigests::default();
    let mut inputs: Vec<YearInputs> =
        timings.time(Phase::Validate, || years.par_iter().map(|(dir, _)| YearInputs::scan(dir)).collect());
    let found: Vec<Option<YearResult>> = years
        .par_iter()
        .zip(&mut inputs)
        .map(|((dir, out), inputs)| {
            let out_dir = workspace.out.join(out);
            let source = workspace.source_name(dir);
            // A year's periods are in its inputs (their files) and its key (their forms).
            (!options.force).then(|| unchanged(dir, &out_dir, &source, inputs, &base, &workspace.templates, &forms))?
        })
        .collect();
    let due: Vec<usize> = (0..years.len()).filter(|i| found[*i].is_none()).collect();
    total(due.iter().map(|&i| inputs[i].documents()).sum());
    // Each year as it stands: found unchanged, waiting for its batch, or built.
    let mut slots: Vec<Slot> = found
        .into_iter()
        .zip(inputs)
        .map(|(result, inputs)| match result {
            Some(result) => Slot::Done(BuiltYear { sources: inputs.sources(), result, inputs, remembered: true }),
            None => Slot::Due(inputs),
        })
        .collect();
    let mut next = 0;
    let mut hand_over = |slots: &mut [Slot], upto: usize| {
        while next < upto {
            if let Slot::Done(year) = std::mem::replace(&mut slots[next], Slot::Gone) {
                each(year);
            }
            next += 1;
        }
    };
    let sizes: Vec<usize> = slots.iter().map(Slot::projects).collect();
    for batch in batches(&due, &sizes) {
        let batch_years: Vec<(YearDir, YearInputs)> = batch
            .iter()
            .map(|&i| match std::mem::replace(&mut slots[i], Slot::Gone) {
                Slot::Due(inputs) => (years[i].clone(), inputs),
                _ => unreachable!("a due year is built once"),
            })
            .collect();
        for (&i, year) in batch.iter().zip(build_due(workspace, typesetter, options, batch_years, &base, progress)) {
            slots[i] = Slot::Done(year);
        }
        hand_over(&mut slots, batch.last().map_or(0, |last| last + 1));
        crate::typeset::memory::give_back();
    }
    hand_over(&mut slots, years.len());
}

/// A year in [`build_each`].
enum Slot {
    /// To be built (its folder as listed).
    Due(YearInputs),
    /// Built, or found unchanged: to be handed over.
    Done(BuiltYear),
    /// Handed over (or in its batch).
    Gone,
}

impl Slot {
    /// How many projects the year has, by its listing (none once built).
    fn projects(&self) -> usize {
        match self {
            Slot::Due(inputs) => inputs.projects(),
            _ => 0,
        }
    }
}

/// The due years (indices, in order) cut into batches of about `limit` projects.
fn batches(due: &[usize], sizes: &[usize]) -> Vec<Vec<usize>> {
    let mut batches: Vec<Vec<usize>> = Vec::new();
    let mut size = 0;
    for &i in due {
        if batches.is_empty() || size >= BATCH_PROJECTS {
            batches.push(Vec::new());
            size = 0;
        }
        size += sizes[i].max(1);
        batches.last_mut().expect("pushed above").push(i);
    }
    batches
}

/// Reads, checks and builds one batch of years (with their periods), and remembers each
/// year whose build can be taken as it is next time.
fn build_due(
    workspace: &Workspace,
    typesetter: &Typesetter,
    options: &BuildOptions,
    years: Vec<(YearDir, YearInputs)>,
    base: &str,
    progress: &(dyn Fn(&Outcome) + Sync),
) -> Vec<BuiltYear> {
    let timings = &options.timings;
    // A due year nearly always has a document to typeset: the fonts are loaded and hashed
    // (~16 ms of CPU for the two CJK faces) while the specs are read and checked, not after.
    let ((), prepared) = rayon::join(
        || typesetter.fonts().warm_up(),
        || -> Vec<Prepared> {
            years
                .par_iter()
                .map(|((dir, out), _)| {
                    let mut prepared = timings.time(Phase::Validate, || prepare(workspace, dir, typesetter));
                    prepared.check_standard(options.pdf_standard, typesetter);
                    Prepared { out_rel: out.clone(), ..prepared }
                })
                .collect()
        },
    );
    let (owners, periods): (Vec<usize>, Vec<Prepared>) = timings.time(Phase::Validate, || {
        prepared
            .par_iter()
            .enumerate()
            .flat_map_iter(|(k, year)| periods(workspace, year).into_iter().map(move |p| (k, p)))
            .collect::<Vec<_>>()
            .into_iter()
            .unzip()
    });
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
    years
        .into_iter()
        .zip(prepared)
        .zip(results)
        .zip(period_forms)
        .map(|(((((dir, _), inputs), prepared), result), periods)| {
            let used = inputs.as_parsed(&dir, &prepared.sources);
            if let Some(form) = &prepared.form
                && let Some(periods) = &periods
                && used.department().map(|text| form_named(text).unwrap_or_else(|| workspace.default_form.clone()))
                    == Some(form.name.clone())
            {
                let _ = remember(&workspace.out.join(&prepared.out_rel), &used, base, form, periods, &result);
            }
            BuiltYear { sources: prepared.sources, result, inputs: used, remembered: false }
        })
        .collect()
}

/// One year of [`build_all`].
pub struct BuiltYear {
    /// The texts its problems point into (of a year found unchanged, only those read to
    /// tell; see [`Self::read_sources`]).
    pub sources: Sources,
    /// What was found and made.
    pub result: YearResult,
    /// The inputs it was built from (as parsed), or found unchanged in.
    pub inputs: YearInputs,
    /// Whether it was found unchanged: its result and problems are the last build's, as
    /// remembered (its problems were shown then).
    pub remembered: bool,
}

impl BuiltYear {
    /// Reads the texts the year's problems point into that [`Self::sources`] lacks (those
    /// of a year found unchanged, whose files were trusted without reading), so that the
    /// problems print with their source lines.
    pub fn read_sources(&mut self) {
        let BuiltYear { sources, result, inputs, .. } = self;
        inputs.add_sources(sources, result.diagnostics.iter().map(|d| d.file.as_path()), &result.dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_keep_years_whole_and_in_order() {
        // Years of ten projects: a batch closes once it holds 48 or more.
        let due: Vec<usize> = (0..12).collect();
        let sizes = vec![10; 12];
        assert_eq!(batches(&due, &sizes), vec![(0..5).collect::<Vec<_>>(), (5..10).collect(), vec![10, 11]]);
        // A year larger than a batch is one batch; a year without projects still counts.
        assert_eq!(batches(&[0, 2, 3], &[500, 9, 0, 0]), vec![vec![0], vec![2, 3]]);
        assert!(batches(&[], &[]).is_empty());
    }
}
