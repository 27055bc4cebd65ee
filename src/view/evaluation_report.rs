//! A period's combined report: the summary of every project's execution, score and grade
//! with the department's totals, then every project's table.

use rust_decimal::Decimal;
use serde::Serialize;

use super::evaluation::{EvaluationView, percent};
use super::printed::{optional, text};
use crate::form::Form;
use crate::text::fill;
use crate::validate::evaluation::Evaluation;
use crate::value::format_decimal;

/// One row of the period's summary.
#[derive(Serialize, Clone, Default)]
pub struct EvaluationSummaryRow {
    /// 1-based position.
    pub index: usize,
    /// 项目编码.
    pub code: String,
    /// 项目名称.
    pub name: String,
    /// 全年预算数 of the project.
    pub budget: String,
    /// 执行数.
    pub spent: String,
    /// 执行率.
    pub rate: String,
    /// 全年预计执行数 (monitoring).
    pub forecast: String,
    /// Total score ("" in monitoring).
    pub total: String,
    /// Grade.
    pub grade: String,
}

/// The period's combined report.
#[derive(Serialize, Clone, Default)]
pub struct EvaluationReportView {
    /// Cover title.
    pub cover_title: String,
    /// Cover line 编制.
    pub compiled_by: String,
    /// 填报日期 as written ("" when not written).
    pub date: String,
    /// The monitoring month X ("" at year end).
    pub month: String,
    /// One row per project, in code order.
    pub rows: Vec<EvaluationSummaryRow>,
    /// The department's totals: budget, spent, rate.
    pub totals: EvaluationSummaryRow,
    /// How many projects have each grade, in the form's order: (grade, count).
    pub grades: Vec<(String, usize)>,
    /// The mean of the projects' totals ("" without scoring).
    pub mean: String,
    /// Every project's table, in code order (the first is laid out in the report).
    pub projects: Vec<EvaluationView>,
}

/// Arranges the period's report from the project tables (with their pages) and facts.
pub fn evaluation_report(
    form: &Form,
    department: &crate::model::DepartmentSpec,
    date: &Option<crate::model::Text>,
    projects: Vec<(EvaluationView, &Evaluation)>,
) -> EvaluationReportView {
    let scoring = form.def.evaluation.as_ref().and_then(|d| d.scoring.as_ref());
    let name = text(&department.department.name);
    let year = department.year.value.to_string();
    let values = [("year", year.as_str()), ("department", name.as_str())];
    let mut rows = Vec::new();
    let (mut base, mut spent, mut forecast, mut sum) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    let mut grades: Vec<(String, usize)> =
        scoring.map(|s| s.grades.iter().map(|g| (g.label.clone(), 0)).collect()).unwrap_or_default();
    for (index, (view, facts)) in projects.iter().enumerate() {
        let total = &facts.money.total;
        base += total.columns.get("adjusted").or_else(|| total.columns.get("budget")).copied().unwrap_or_default();
        spent += total.columns.get("spent").copied().unwrap_or_default();
        forecast += total.columns.get("forecast").copied().unwrap_or_default();
        sum += facts.total.unwrap_or_default();
        if let Some(count) = grades.iter_mut().find(|(g, _)| Some(g) == facts.grade.as_ref()) {
            count.1 += 1;
        }
        rows.push(EvaluationSummaryRow {
            index: index + 1,
            code: view.code.clone(),
            name: view.name.clone(),
            budget: view.money.total.adjusted.clone(),
            spent: view.money.total.spent.clone(),
            rate: view.money.rate.clone(),
            forecast: view.money.total.forecast.clone(),
            total: view.total.clone(),
            grade: view.grade.clone(),
        });
    }
    let mean = match (scoring, projects.len()) {
        (Some(s), n) if n > 0 => s.rounding.print(sum / Decimal::from(n)),
        _ => String::new(),
    };
    EvaluationReportView {
        cover_title: fill(form.def.defaults.cover_title.as_str(), &values),
        compiled_by: fill(form.def.defaults.compiled_by.as_str(), &values),
        date: optional(date),
        month: String::new(),
        totals: EvaluationSummaryRow {
            budget: format_decimal(base),
            spent: format_decimal(spent),
            rate: percent(crate::score::execution::rate(base, spent)),
            forecast: format_decimal(forecast),
            ..EvaluationSummaryRow::default()
        },
        rows,
        grades,
        mean,
        projects: projects.into_iter().map(|(view, _)| view).collect(),
    }
}
