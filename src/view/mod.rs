//! The data handed to templates: validated specs arranged the way the form prints them.
//!
//! Rust decides *what* is in each cell (grouping indicators into the form's slots, row
//! spans, blank slots, numbers formatted exactly); the templates decide *how* it looks.
//! Every field of a spec reaches the view (optional ones as "" when not written), so a
//! template can print any of them. Every value here is a string or an integer, the only
//! kinds the Typst formatter prints.

use std::borrow::Cow;

use serde::Serialize;

use crate::form::{Form, FormDef};
use crate::model::DepartmentSpec;

mod evaluation;
mod evaluation_report;
mod fitted;
mod levels;
mod marks;
mod printed;
mod project;
mod report;
mod value;

use printed::{optional, text};

pub use evaluation::{EvaluationView, GroupRows, LevelRows, MoneyRowView, MoneyView, RowView, evaluation, percent};
pub use evaluation_report::{EvaluationReportView, EvaluationSummaryRow, evaluation_report};
pub use marks::{ChangesView, Kind, Line, Mark, Marks, Span};
pub use project::{FundsView, IndicatorView, LevelView, PeriodView, PlanCell, ProjectView, SlotView, project};
pub use project::{TableView, sum_of};
pub use report::{GoalView, HeadingsView, NarrativeView, ReportView, SummaryRow, SummaryView, report};
pub use value::ValueView;

/// The whole template context.
#[derive(Serialize, Clone)]
pub struct Context<'a> {
    /// The form definition (labels, columns, …), with `{year}` and `{department}` in its
    /// labels filled in.
    pub form: Cow<'a, FormDef>,
    /// Font families by role, preferred first.
    pub fonts: std::collections::BTreeMap<String, Vec<String>>,
    /// Whether each role's font has a bold face (else templates stroke it).
    pub font_bold: std::collections::BTreeMap<String, bool>,
    /// The budget year.
    pub year: u32,
    /// The department.
    pub department: DepartmentView,
    /// The money unit ("" when the spec gives none).
    pub money_unit: String,
    /// 编制日期 as written ("" when the spec gives none).
    pub date: String,
    /// The project, for `project.typ.j2`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project: Option<ProjectView>,
    /// The combined report, for `report.typ.j2`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<ReportView>,
    /// A project's self-evaluation or monitoring table, for a period form's
    /// `project.typ.j2`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evaluation: Option<EvaluationView>,
    /// A period's combined report, for a period form's `report.typ.j2`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evaluation_report: Option<EvaluationReportView>,
    /// Whether pages carry their footers: false for a project's table, which jixiao
    /// lays out bare and stacks on footers later; true elsewhere, and for a table's
    /// standalone source (one complete document, e.g. for the Typst CLI).
    pub footers: bool,
    /// How many numbered pages the footer sheet (`footers.typ.j2`) has.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<usize>,
}

/// Font families by role (`fonts.body`, `fonts.title`, …), preferred first, and whether
/// each role's font has a bold face (`font_bold.title`): where it has none (仿宋_GB2312,
/// the committed fonts), templates make bold with a stroke.
#[derive(Serialize, Clone, Debug, Default)]
pub struct FontFamilies {
    /// Role → families.
    pub roles: std::collections::BTreeMap<String, Vec<String>>,
    /// Role → whether its font has a bold face.
    pub bold: std::collections::BTreeMap<String, bool>,
}

/// Code and name of the department.
#[derive(Serialize, Clone)]
pub struct DepartmentView {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// The form's own department fields, by key ("" where not written).
    pub extra: std::collections::BTreeMap<String, String>,
}

/// The context shared by both templates.
pub fn context<'a>(form: &'a Form, fonts: &FontFamilies, department: &DepartmentSpec) -> Context<'a> {
    let year = department.year.value.to_string();
    let name = text(&department.department.name);
    let values = [("year", year.as_str()), ("department", name.as_str())];
    let form_def = if form.def.labels.values().any(|l| l.contains('{')) {
        let mut def = form.def.clone();
        for label in def.labels.values_mut() {
            *label = crate::text::fill(label, &values);
        }
        Cow::Owned(def)
    } else {
        Cow::Borrowed(&form.def)
    };
    Context {
        form: form_def,
        fonts: fonts.roles.clone(),
        font_bold: fonts.bold.clone(),
        year: department.year.value,
        department: DepartmentView {
            code: text(&department.department.code),
            name: text(&department.department.name),
            extra: form
                .fields
                .department
                .iter()
                .map(|f| {
                    let written = department.extra.iter().find(|(k, _)| k.value == f.key);
                    (f.key.clone(), written.map(|(_, v)| v.value.clone()).unwrap_or_default())
                })
                .collect(),
        },
        money_unit: department.money_unit.as_ref().map(text).unwrap_or_default(),
        date: optional(&department.date),
        project: None,
        report: None,
        evaluation: None,
        evaluation_report: None,
        footers: true,
        pages: None,
    }
}
