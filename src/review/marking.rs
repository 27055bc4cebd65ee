//! A year's changes arranged for the templates of a change-marked report: which table,
//! row and cell changed and what it said before ([`YearMarks`]), applied to the views
//! the templates receive ([`YearMarks::mark_project`], [`YearMarks::mark_report`]). How a
//! mark looks is the form's business; the shipped form fills the cell and prints the old
//! value in small type where it fits.

use std::collections::BTreeMap;

use super::show::{lines, summary};
use super::{Diff, FieldChange, Status, YearDiff};
use crate::view::{ChangesView, Marks, ProjectView, ReportView};

/// What changed in one project's table.
#[derive(Debug, Clone, Default)]
pub struct ProjectMarks {
    /// Header fields (status `added` for a new project).
    pub header: Marks,
    /// Spending-plan checkpoints by month.
    pub plan: BTreeMap<u32, Marks>,
    /// Indicators by their position in the new spec.
    pub indicators: BTreeMap<usize, Marks>,
    /// The summary row (keys `name`, `amount`, `code`; status `added`).
    pub summary: Marks,
}

/// What changed in one year, for its change-marked report.
#[derive(Debug, Clone)]
pub struct YearMarks {
    /// Projects by (new) code.
    pub projects: BTreeMap<String, ProjectMarks>,
    /// The department file's changed fields by key (`narrative.intro`, …).
    pub department: BTreeMap<String, String>,
    /// The total, when it changed.
    pub total: Marks,
    /// The list of changes printed before the cover.
    pub changes: ChangesView,
}

fn old_value(change: &FieldChange) -> String {
    change.old.clone().unwrap_or_default()
}

fn status_name(status: Status) -> &'static str {
    match status {
        Status::Added => "added",
        Status::Removed => "removed",
        Status::Changed => "changed",
        Status::Moved => "moved",
    }
}

impl YearMarks {
    /// The marks of one year of `diff`.
    pub fn new(diff: &Diff, year: &YearDiff) -> YearMarks {
        let mut projects = BTreeMap::new();
        for project in year.projects.iter().filter(|p| p.status != Status::Removed) {
            let mut marks = ProjectMarks::default();
            if project.status == Status::Added {
                marks.header.status = "added".into();
                marks.summary.status = "added".into();
            } else {
                for change in &project.fields {
                    match change.field.strip_prefix("spending_plan.").and_then(|m| m.parse::<u32>().ok()) {
                        Some(month) => {
                            let cell = marks.plan.entry(month).or_default();
                            cell.status = "changed".into();
                            cell.old.insert("value".into(), old_value(change));
                        }
                        None => {
                            marks.header.old.insert(change.field.clone(), old_value(change));
                        }
                    }
                }
                if !marks.header.old.is_empty() {
                    marks.header.status = "changed".into();
                }
                if let Some(old) = &project.old_name {
                    marks.summary.old.insert("name".into(), old.clone());
                }
                if let Some(old) = &project.old_code {
                    marks.summary.old.insert("code".into(), old.clone());
                    marks.header.old.insert("code".into(), old.clone());
                    marks.header.status = "changed".into();
                }
                if project.amount.changed() {
                    marks.summary.old.insert("amount".into(), project.amount.old.clone().unwrap_or_default());
                }
                if !marks.summary.old.is_empty() {
                    marks.summary.status = "changed".into();
                }
            }
            for indicator in &project.indicators {
                let Some(index) = indicator.index else { continue };
                let mut cell = Marks { status: status_name(indicator.status).into(), old: BTreeMap::new() };
                if indicator.status != Status::Added {
                    for change in &indicator.fields {
                        cell.old.insert(change.field.clone(), old_value(change));
                    }
                }
                if let (Some(l1), Some(l2)) = (&indicator.old_level1, &indicator.old_level2) {
                    cell.old.insert("place".into(), format!("{l1} › {l2}"));
                }
                marks.indicators.insert(index, cell);
            }
            projects.insert(project.code.clone(), marks);
        }
        let department = year.fields.iter().map(|c| (c.field.clone(), old_value(c))).collect();
        let mut total = Marks::default();
        if year.total.changed() {
            total.status = "changed".into();
            total.old.insert("total".into(), year.total.old.clone().unwrap_or_default());
        }
        let one_year = Diff { years: vec![year.clone()], ..diff.clone() };
        let changes = ChangesView {
            old: diff.old.clone(),
            new: diff.new.clone(),
            summary: summary(&one_year),
            lines: lines(&one_year),
        };
        YearMarks { projects, department, total, changes }
    }

    /// Marks a project's table.
    pub fn mark_project(&self, view: &mut ProjectView) {
        let Some(marks) = self.projects.get(&view.code) else { return };
        view.marks = marks.header.clone();
        for cell in &mut view.plan {
            if let Some(m) = marks.plan.get(&cell.month) {
                cell.marks = m.clone();
            }
        }
        for slot in view.levels.iter_mut().flat_map(|l| l.slots.iter_mut()) {
            for indicator in &mut slot.indicators {
                if let Some(m) = marks.indicators.get(&indicator.index) {
                    indicator.marks = m.clone();
                }
            }
        }
    }

    /// Marks the combined report: the narrative, the summary, every table, and the list
    /// of changes before the cover.
    pub fn mark_report(&self, view: &mut ReportView) {
        let field = |key: &str| self.department.get(key).cloned();
        let mark = |pairs: &[(&str, String)]| {
            let old: BTreeMap<String, String> =
                pairs.iter().filter_map(|(name, key)| field(key).map(|old| (name.to_string(), old))).collect();
            Marks { status: if old.is_empty() { String::new() } else { "changed".into() }, old }
        };
        view.narrative.marks = mark(&[("intro", "narrative.intro".into())]);
        for (n, goal) in view.narrative.goals.iter_mut().enumerate() {
            let key = |name: &str| format!("narrative.goals.{}.{name}", n + 1);
            goal.marks = mark(&[("title", key("title")), ("goal", key("goal")), ("indicator", key("indicator"))]);
        }
        for (n, marks) in view.narrative.task_marks.iter_mut().enumerate() {
            *marks = mark(&[("text", format!("narrative.tasks.{}", n + 1))]);
        }
        for row in &mut view.summary.rows {
            if let Some(m) = self.projects.get(&row.code) {
                row.marks = m.summary.clone();
            }
        }
        view.summary.marks = self.total.clone();
        for project in &mut view.projects {
            self.mark_project(project);
        }
        view.changes = Some(self.changes.clone());
    }
}
