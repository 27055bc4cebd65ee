//! Schedule: every table of every year as a task on one worker per core; a year's last
//! table queues its report and its tables' exports (see [`crate::parallel`]). What the
//! stages hand each other while a year runs (tables waiting for their report, exports
//! waiting for the last layout) meets here, in a `Meeting` per year; the year itself
//! (`YearRun`) is read-only.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use typst_layout::PagedDocument;

use super::BuildOptions;
use super::outcome::{Outcome, Produced, YearResult};
use super::prepare::Prepared;
use super::produce::LaidTable;
use super::run::{YearRun, start};
use crate::parallel;
use crate::typeset::Typesetter;
use crate::workspace::Workspace;

/// Where one year's tables meet their report: each table's pages by job index (while the
/// report is due), the tables waiting to be exported, and how many are still to be laid
/// out (the last one queues the report and the exports).
pub(crate) struct Meeting {
    tables: Vec<Mutex<Option<Arc<PagedDocument>>>>,
    exports: Mutex<Vec<LaidTable>>,
    pending: AtomicUsize,
}

impl Meeting {
    fn new(plan: &YearRun) -> Meeting {
        Meeting {
            tables: plan.jobs.iter().map(|_| Mutex::new(None)).collect(),
            exports: Mutex::new(Vec::new()),
            pending: AtomicUsize::new(plan.jobs.len() - 1),
        }
    }

    /// A table laid out: kept for the report when it is due; queued for export unless
    /// its PDF is fresh (then its outcome).
    fn arrive(&self, plan: &YearRun, laid: LaidTable) -> Option<Produced> {
        if plan.report_due {
            *self.tables[laid.job].lock().unwrap_or_else(PoisonError::into_inner) = Some(Arc::clone(&laid.table));
        }
        if plan.jobs[laid.job].fresh {
            return Some(plan.unchanged(laid.job, laid.warnings));
        }
        self.exports.lock().unwrap_or_else(PoisonError::into_inner).push(laid);
        None
    }

    /// Whether this was the year's last table to be laid out.
    fn last_laid_out(&self) -> bool {
        self.pending.fetch_sub(1, Ordering::AcqRel) == 1
    }

    /// The tables waiting to be exported.
    fn take_exports(&self) -> Vec<LaidTable> {
        std::mem::take(&mut *self.exports.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Every table's pages, in job order (the report's own place left out).
    fn take_tables(&self) -> Vec<Option<Arc<PagedDocument>>> {
        self.tables[1..].iter().map(|t| t.lock().unwrap_or_else(PoisonError::into_inner).take()).collect()
    }
}

/// One task of a batch: a step of a job of a plan (job 0 is the plan's report).
pub(crate) struct Task<'a> {
    pub(crate) plan: &'a YearRun<'a>,
    pub(crate) meeting: &'a Meeting,
    pub(crate) index: usize,
    pub(crate) job: usize,
    pub(crate) step: Step,
}

/// What a task does.
pub(crate) enum Step {
    /// Lay out a project's table.
    Layout,
    /// Put footers under a laid-out table and write its PDF.
    Export(LaidTable),
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
    let meetings: Vec<Option<Meeting>> = plans.iter().map(|plan| plan.as_ref().ok().map(Meeting::new)).collect();
    let mut tasks: Vec<Task> = Vec::new();
    for (index, (plan, meeting)) in plans.iter().zip(&meetings).enumerate() {
        if let (Ok(plan), Some(meeting)) = (plan, meeting) {
            if plan.jobs.len() == 1 {
                // A year without projects has only its report to do.
                tasks.push(Task { plan, meeting, index, job: 0, step: Step::Report });
            }
            tasks.extend((1..plan.jobs.len()).map(|job| Task { plan, meeting, index, job, step: Step::Layout }));
        }
    }
    let done = parallel::run(tasks, |task, queue| {
        let Task { plan, meeting, index, job, step } = task;
        let result = match step {
            Step::Report => Some(plan.run_report(typesetter, meeting.take_tables())),
            Step::Export(laid) => Some(plan.export_table(laid, typesetter)),
            Step::Layout => {
                let result = match plan.lay_out_table(job, typesetter) {
                    Ok(laid) => meeting.arrive(plan, laid),
                    Err(produced) => Some(produced),
                };
                if meeting.last_laid_out() {
                    queue.push(Task { plan, meeting, index, job: 0, step: Step::Report });
                    for laid in meeting.take_exports() {
                        queue.push(Task { plan, meeting, index, job: laid.job, step: Step::Export(laid) });
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
