//! The combined report: cover, narrative, the summary of projects and budgets, and
//! every project's table.

use rust_decimal::Decimal;
use serde::Serialize;

use super::printed::text;
use super::project::{ProjectView, project};
use super::{ChangesView, Marks};
use crate::form::Form;
use crate::model::{DepartmentSpec, ProjectSpec, Text};
use crate::text::fill;
use crate::validate::ProjectFacts;
use crate::value::format_decimal;

/// The combined report.
#[derive(Serialize, Clone)]
pub struct ReportView {
    /// Cover title.
    pub cover_title: String,
    /// Cover "编制" line.
    pub compiled_by: String,
    /// Section headings.
    pub headings: HeadingsView,
    /// The narrative.
    pub narrative: NarrativeView,
    /// The project summary.
    pub summary: SummaryView,
    /// Every project table, in code order.
    pub projects: Vec<ProjectView>,
    /// The list of changes, in a change-marked report (`none` elsewhere).
    pub changes: Option<ChangesView>,
}

/// Section headings.
#[derive(Serialize, Clone)]
pub struct HeadingsView {
    /// Narrative.
    pub goals: String,
    /// Key tasks.
    pub tasks: String,
    /// Summary.
    pub summary: String,
    /// Project tables.
    pub projects: String,
}

/// The narrative.
#[derive(Serialize, Clone)]
pub struct NarrativeView {
    /// Intro paragraph.
    pub intro: String,
    /// Goals.
    pub goals: Vec<GoalView>,
    /// Key tasks.
    pub tasks: Vec<String>,
    /// What changed in the intro (key `intro`), in a change-marked report.
    pub marks: Marks,
    /// What changed in each key task (key `text`), parallel to `tasks`.
    pub task_marks: Vec<Marks>,
}

/// One numbered goal.
#[derive(Serialize, Clone)]
pub struct GoalView {
    /// Title.
    pub title: String,
    /// 绩效目标 sentence.
    pub goal: String,
    /// 绩效指标 sentence.
    pub indicator: String,
    /// What changed (keys `title`, `goal`, `indicator`; status `added`), in a
    /// change-marked report.
    pub marks: Marks,
}

/// The summary table of projects and their budgets.
#[derive(Serialize, Clone)]
pub struct SummaryView {
    /// One row per project.
    pub rows: Vec<SummaryRow>,
    /// Sum of the amounts, exact.
    pub total: String,
    /// What changed (key `total`), in a change-marked report.
    pub marks: Marks,
}

/// One summary row.
#[derive(Serialize, Clone)]
pub struct SummaryRow {
    /// 1-based position.
    pub index: usize,
    /// 项目编码.
    pub code: String,
    /// 预算项目名称.
    pub name: String,
    /// Budget in the money unit ("" when unknown).
    pub amount: String,
    /// What changed (status `added`; keys `name`, `amount`, `code`), in a change-marked
    /// report.
    pub marks: Marks,
}

/// Arranges the combined report; `pages` holds the number of pages of each project's
/// table as laid out on its own.
pub fn report(
    form: &Form,
    department: &DepartmentSpec,
    projects: &[(&ProjectSpec, &ProjectFacts)],
    total: Decimal,
    pages: &[usize],
) -> ReportView {
    let def = &form.def;
    let year = department.year.value.to_string();
    let name = text(&department.department.name);
    let values = [("department", name.as_str()), ("year", year.as_str())];
    let cover = department.cover.as_ref();
    let headings = department.headings.as_ref();
    let pick = |given: Option<&Text>, default: &str| given.map(text).unwrap_or_else(|| fill(default, &values));
    let rows = projects
        .iter()
        .enumerate()
        .map(|(index, (spec, facts))| SummaryRow {
            index: index + 1,
            code: text(&spec.code),
            name: text(&spec.name),
            amount: facts.amount.map(format_decimal).unwrap_or_default(),
            marks: Marks::default(),
        })
        .collect();
    ReportView {
        cover_title: pick(cover.and_then(|c| c.title.as_ref()), &def.defaults.cover_title),
        compiled_by: pick(cover.and_then(|c| c.compiled_by.as_ref()), &def.defaults.compiled_by),
        headings: HeadingsView {
            goals: pick(headings.and_then(|h| h.goals.as_ref()), &def.defaults.headings.goals),
            tasks: pick(headings.and_then(|h| h.tasks.as_ref()), &def.defaults.headings.tasks),
            summary: pick(headings.and_then(|h| h.summary.as_ref()), &def.defaults.headings.summary),
            projects: pick(headings.and_then(|h| h.projects.as_ref()), &def.defaults.headings.projects),
        },
        narrative: NarrativeView {
            intro: text(&department.narrative.intro),
            goals: department
                .narrative
                .goals
                .iter()
                .map(|g| GoalView {
                    title: text(&g.title),
                    goal: text(&g.goal),
                    indicator: text(&g.indicator),
                    marks: Marks::default(),
                })
                .collect(),
            tasks: department.narrative.tasks.iter().map(text).collect(),
            marks: Marks::default(),
            task_marks: vec![Marks::default(); department.narrative.tasks.len()],
        },
        summary: SummaryView { rows, total: format_decimal(total), marks: Marks::default() },
        projects: projects
            .iter()
            .zip(pages)
            .map(|((spec, _), &pages)| ProjectView { pages, ..project(form, department.year.value, spec) })
            .collect(),
        changes: None,
    }
}
