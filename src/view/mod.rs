//! The data handed to templates: validated specs arranged the way the form prints them.
//!
//! Rust decides *what* is in each cell (grouping indicators into the form's slots, row
//! spans, blank slots, numbers formatted exactly); the templates decide *how* it looks.
//! Every value here is a string or an integer, the only kinds the Typst formatter prints.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::form::{Form, FormDef};
use crate::spec::model::{DepartmentSpec, ProjectSpec, Text};
use crate::text::fill;
use crate::validate::ProjectFacts;
use crate::value::format_decimal;

mod fitted;

/// The whole template context.
#[derive(Serialize, Clone)]
pub struct Context<'a> {
    /// The form definition (labels, columns, …).
    pub form: &'a FormDef,
    /// Font families, preferred first.
    pub fonts: FontFamilies,
    /// The budget year.
    pub year: u32,
    /// The department.
    pub department: DepartmentView,
    /// The money unit ("" when the spec gives none).
    pub money_unit: String,
    /// The project, for `project.typ.j2`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project: Option<ProjectView>,
    /// The combined report, for `report.typ.j2`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<ReportView>,
    /// Whether pages carry their footers: false for a project's table, which jixiao
    /// lays out bare and stacks on footers later; true elsewhere, and for a table's
    /// standalone source (one complete document, e.g. for the Typst CLI).
    pub footers: bool,
    /// How many numbered pages the footer sheet (`footers.typ.j2`) has.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<usize>,
}

/// Font families for body text and labels.
#[derive(Serialize, Clone, Debug)]
pub struct FontFamilies {
    /// Body text.
    pub body: Vec<String>,
    /// Labels and titles.
    pub label: Vec<String>,
}

/// Code and name of the department.
#[derive(Serialize, Clone)]
pub struct DepartmentView {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
}

/// One project table.
#[derive(Serialize, Clone)]
pub struct ProjectView {
    /// Table title, e.g. 2024年度项目支出绩效目标表.
    pub title: String,
    /// 项目编码.
    pub code: String,
    /// 预算项目名称.
    pub name: String,
    /// 项目资金主要用途.
    pub purpose: String,
    /// 绩效目标.
    pub goal: String,
    /// Spending plan, one cell per checkpoint.
    pub plan: Vec<PlanCell>,
    /// 一级 groups in form order.
    pub levels: Vec<LevelView>,
    /// How many pages the table takes when laid out on its own: known in the report's
    /// context (which leaves that many slot pages for it), 0 in the project's own.
    pub pages: usize,
}

/// One spending-plan checkpoint.
#[derive(Serialize, Clone)]
pub struct PlanCell {
    /// e.g. 3 月底.
    pub label: String,
    /// e.g. 10%.
    pub value: String,
}

/// One 一级 group (or, when the group breaks across pages, the part of it on one page).
#[derive(Serialize, Clone)]
pub struct LevelView {
    /// e.g. 产出指标.
    pub label: String,
    /// Rows it spans.
    pub rows: usize,
    /// Its 二级 slots.
    pub slots: Vec<SlotView>,
    /// Whether this continues the group from the previous page (its label is printed
    /// again, so that every page can be read on its own).
    pub continued: bool,
}

/// One 二级 slot (or the part of it on one page).
#[derive(Serialize, Clone)]
pub struct SlotView {
    /// e.g. 数量指标.
    pub label: String,
    /// Rows it spans (1 for an empty slot).
    pub rows: usize,
    /// Its indicators (empty: a blank row).
    pub indicators: Vec<IndicatorView>,
    /// The row number (from 0, over the whole indicator table) of its blank row, when it
    /// has no indicators; templates mark each row with it (see [`IndicatorView::row`]).
    pub row: usize,
    /// Whether this continues the slot from the previous page.
    pub continued: bool,
}

/// One 三级 row.
#[derive(Serialize, Clone)]
pub struct IndicatorView {
    /// The row number, from 0 over the whole indicator table (blank rows included). A
    /// template marks each row's first cell with `#metadata((code, row)) <jixiao-row>`;
    /// after layout jixiao reads on which page each row starts, and when a 一级 or 二级
    /// group breaks across pages it splits the group there (see
    /// [`ProjectView::fitted`]), so its label prints again at the top of the next page.
    pub row: usize,
    /// Whether the row may break across pages: false unless it is taller than a page
    /// (jixiao finds out after layout).
    pub breakable: bool,
    /// 三级指标.
    pub name: String,
    /// 绩效指标描述.
    pub description: String,
    /// 指标值, verbatim.
    pub value: String,
    /// 指标值确定依据 ("" when blank).
    pub basis: String,
}

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
}

/// The summary table of projects and their budgets.
#[derive(Serialize, Clone)]
pub struct SummaryView {
    /// One row per project.
    pub rows: Vec<SummaryRow>,
    /// Sum of the amounts, exact.
    pub total: String,
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
}

fn text(t: &Text) -> String {
    t.value.trim().to_string()
}

/// Arranges one project for its table.
pub fn project(form: &Form, year: u32, spec: &ProjectSpec) -> ProjectView {
    let def = &form.def;
    let plan = def
        .checkpoints
        .iter()
        .map(|c| {
            let value = spec
                .spending_plan
                .value
                .get(c.month)
                .map(|v| v.value.trim().trim_end_matches(['%', '％']).trim().to_string())
                .unwrap_or_default();
            PlanCell { label: c.label.clone(), value: format!("{value}%") }
        })
        .collect();
    let mut levels = Vec::new();
    let mut row = 0;
    for level in &def.levels {
        let mut slots = Vec::new();
        for slot in &level.slots {
            let first = row;
            let indicators: Vec<IndicatorView> = spec
                .indicators
                .iter()
                .filter(|i| i.level1.value == level.label && &i.level2.value == slot)
                .map(|i| {
                    row += 1;
                    IndicatorView {
                        row: row - 1,
                        breakable: false,
                        name: text(&i.name),
                        description: text(&i.description),
                        value: text(&i.value),
                        basis: i.basis.as_ref().map(text).unwrap_or_default(),
                    }
                })
                .collect();
            if indicators.is_empty() && !def.print_empty_slots {
                continue;
            }
            if indicators.is_empty() {
                row += 1;
            }
            slots.push(SlotView {
                label: slot.clone(),
                rows: indicators.len().max(1),
                indicators,
                row: first,
                continued: false,
            });
        }
        if !slots.is_empty() {
            let rows = slots.iter().map(|s| s.rows).sum();
            levels.push(LevelView { label: level.label.clone(), rows, slots, continued: false });
        }
    }
    ProjectView {
        title: fill(&def.title, &[("year", &year.to_string())]),
        code: text(&spec.code),
        name: text(&spec.name),
        purpose: text(&spec.purpose),
        goal: text(&spec.goal),
        plan,
        levels,
        pages: 0,
    }
}

/// The context shared by both templates.
pub fn context<'a>(form: &'a Form, fonts: &FontFamilies, department: &DepartmentSpec) -> Context<'a> {
    Context {
        form: &form.def,
        fonts: fonts.clone(),
        year: department.year.value,
        department: DepartmentView { code: text(&department.department.code), name: text(&department.department.name) },
        money_unit: department.money_unit.as_ref().map(text).unwrap_or_default(),
        project: None,
        report: None,
        footers: true,
        pages: None,
    }
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
                .map(|g| GoalView { title: text(&g.title), goal: text(&g.goal), indicator: text(&g.indicator) })
                .collect(),
            tasks: department.narrative.tasks.iter().map(text).collect(),
        },
        summary: SummaryView { rows, total: format_decimal(total) },
        projects: projects
            .iter()
            .zip(pages)
            .map(|((spec, _), &pages)| ProjectView { pages, ..project(form, department.year.value, spec) })
            .collect(),
    }
}
