//! Schedule: every table of every year as a task on one worker per core; a year's last
//! table queues its report and its tables' exports (see [`crate::parallel`]).

use std::sync::atomic::Ordering;
use std::sync::{Arc, PoisonError};

use typst_layout::PagedDocument;

use super::BuildOptions;
use super::load::Prepared;
use super::outcome::{Outcome, Produced, YearResult};
use super::run::{YearRun, start};
use crate::diag::Diagnostic;
use crate::parallel;
use crate::typeset::Typesetter;
use crate::workspace::Workspace;

/// A laid-out table waiting to be exported.
pub(crate) struct Export {
    /// Its job in the plan.
    pub(crate) job: usize,
    pub(crate) table: Arc<PagedDocument>,
    /// Typst's warnings from laying it out.
    pub(crate) warnings: Vec<Diagnostic>,
}

/// One task of a batch: a step of a job of a plan (job 0 is the plan's report).
pub(crate) struct Task<'a> {
    pub(crate) plan: &'a YearRun<'a>,
    pub(crate) index: usize,
    pub(crate) job: usize,
    pub(crate) step: Step,
}

/// What a task does.
pub(crate) enum Step {
    /// Lay out a project's table.
    Layout,
    /// Put footers under a laid-out table and write its PDF.
    Export(Export),
    /// Typeset the report around the laid-out tables.
    Report,
}

/// Builds prepared years into their output folders. Every table of every year is one
/// task on a worker per core; a year's report follows its last table. `progress` is
/// called once per output.
pub fn build_years(
    prepared: &[Prepared],
    workspace: &Workspace,
    typesetter: &Typesetter,
    options: &BuildOptions,
    progress: &(dyn Fn(&Outcome) + Sync),
) -> Vec<YearResult> {
    let plans: Vec<Result<YearRun, YearResult>> = prepared.iter().map(|p| start(p, workspace, options)).collect();
    if plans.iter().flatten().flat_map(|p| &p.jobs).any(|job| job.valid && !job.fresh) {
        typesetter.fonts().warm_up();
    }
    // Every table is laid out first. When a year's last table is laid out, its report
    // and its tables' exports are queued; they run (on all cores) before the next
    // year's tables, so a year's laid-out tables are freed soon, and a single year's
    // report is exported while the other cores export the tables.
    let mut tasks: Vec<Task> = Vec::new();
    for (index, plan) in plans.iter().enumerate() {
        if let Ok(plan) = plan {
            if plan.jobs.len() == 1 {
                // A year without projects has only its report to do.
                tasks.push(Task { plan, index, job: 0, step: Step::Report });
            }
            tasks.extend((1..plan.jobs.len()).map(|job| Task { plan, index, job, step: Step::Layout }));
        }
    }
    let done = parallel::run(tasks, |task, queue| {
        let Task { plan, index, job, step } = task;
        let result = match step {
            Step::Report => Some(plan.run_report(typesetter)),
            Step::Export(export) => Some(plan.export_table(export, typesetter)),
            Step::Layout => {
                let result = plan.lay_out_table(job, typesetter);
                if plan.pending.fetch_sub(1, Ordering::AcqRel) == 1 {
                    queue.push(Task { plan, index, job: 0, step: Step::Report });
                    let exports = std::mem::take(&mut *plan.exports.lock().unwrap_or_else(PoisonError::into_inner));
                    for export in exports {
                        queue.push(Task { plan, index, job: export.job, step: Step::Export(export) });
                    }
                }
                result
            }
        };
        if let Some((outcome, _)) = &result {
            progress(outcome);
        }
        (index, job, result)
    });
    let mut per_plan: Vec<Vec<(usize, Produced)>> = plans.iter().map(|_| Vec::new()).collect();
    for (index, job, result) in done {
        if let Some(result) = result {
            per_plan[index].push((job, result));
        }
    }
    plans
        .into_iter()
        .zip(per_plan)
        .map(|(plan, mut results)| match plan {
            Ok(plan) => {
                results.sort_by_key(|(j, _)| *j);
                plan.finish(results.into_iter().map(|(_, r)| r).collect(), options)
            }
            Err(result) => {
                result.outcomes.iter().for_each(progress);
                result
            }
        })
        .collect()
}
