//! What changed in a year's actual figures and in the scores they give: each period
//! (matched by folder name), each project's actuals (matched by its target's code) as a
//! flat list of fields, and the results computed from them (每行得分, 执行率, 总分, 等级),
//! so that a reviewer sees `办件数据 · 得分 9.20 → 10.00` beside the figure that moved it.

use serde::Serialize;

use super::field_changes::changes;
use super::flat::{Field, Measure};
use super::{FieldChange, Status};
use crate::form::Form;
use crate::model::actuals::{
    ActualIndicator, ActualsSpec, INDICATOR_FIELDS, MONEY_COLUMN_LABELS, PERIOD_FIELDS, short_label,
};
use crate::model::{ProjectSpec, Text};
use crate::spec::actuals::PeriodFiles;
use crate::spec::year::YearFiles;
use crate::validate::evaluation::{Evaluation, PeriodChecked};
use crate::value::format_decimal;

/// One side of a period: what was read, what checking found, the year's targets and the
/// period's form (when it could be loaded).
pub struct PeriodSide<'a> {
    /// The period's files.
    pub files: &'a PeriodFiles,
    /// Its checks and scores.
    pub checked: &'a PeriodChecked,
    /// The targets of its year.
    pub targets: &'a YearFiles,
    /// Its form.
    pub form: Option<&'a Form>,
}

/// What changed in one period.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodDiff {
    /// The period folder's name (`year-end`, `monitoring-07`).
    pub name: String,
    /// Added, removed or changed.
    pub status: Status,
    /// Changed fields of `period.yaml`.
    pub fields: Vec<FieldChange>,
    /// Projects whose actual figures or results changed, in code order.
    pub projects: Vec<ActualsDiff>,
}

/// What changed in one project's actual figures and results.
#[derive(Debug, Clone, Serialize)]
pub struct ActualsDiff {
    /// Added, removed or changed.
    pub status: Status,
    /// 项目编码.
    pub code: String,
    /// 项目名称.
    pub name: String,
    /// Changed fields: the figures as written (`indicators.<name>.actual`) and the
    /// results (`result.total`, `result.<name>.score`).
    pub fields: Vec<FieldChange>,
}

/// The periods of two sides of a year compared.
pub fn compare_periods(old: &[PeriodSide], new: &[PeriodSide], money_unit: &str) -> Vec<PeriodDiff> {
    let mut names: Vec<&str> = old.iter().chain(new).map(|s| s.files.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    let find = |sides: &'_ [PeriodSide<'_>], name: &str| sides.iter().position(|s| s.files.name == name);
    let mut found = Vec::new();
    for name in names {
        let (a, b) = (find(old, name).map(|i| &old[i]), find(new, name).map(|i| &new[i]));
        let status = match (a, b) {
            (None, _) => Status::Added,
            (_, None) => Status::Removed,
            _ => Status::Changed,
        };
        let period_fields = |side: Option<&PeriodSide>| side.map(period_fields).unwrap_or_default();
        let fields = changes(&period_fields(a), &period_fields(b), money_unit);
        let projects = compare_projects(a, b, money_unit);
        if status != Status::Changed || !fields.is_empty() || !projects.is_empty() {
            found.push(PeriodDiff { name: name.to_string(), status, fields, projects });
        }
    }
    found
}

/// The projects of a period on both sides, by code.
fn compare_projects(old: Option<&PeriodSide>, new: Option<&PeriodSide>, money_unit: &str) -> Vec<ActualsDiff> {
    let listed = |side: Option<&PeriodSide>| -> Vec<(String, String, Vec<Field>)> {
        let Some(side) = side else { return Vec::new() };
        side.targets
            .projects
            .iter()
            .enumerate()
            .filter_map(|(i, target)| {
                let evaluation = side.checked.projects.get(i)?;
                let actuals = &side.files.actuals.get(evaluation.actuals?)?.spec;
                let fields = project_fields(side, &target.spec, actuals, evaluation);
                Some((target.spec.code.value.clone(), target.spec.name.value.clone(), fields))
            })
            .collect()
    };
    let (a, b) = (listed(old), listed(new));
    let mut codes: Vec<&String> = a.iter().chain(&b).map(|(code, _, _)| code).collect();
    codes.sort();
    codes.dedup();
    let mut found = Vec::new();
    for code in codes {
        let before = a.iter().find(|(c, _, _)| c == code);
        let after = b.iter().find(|(c, _, _)| c == code);
        let status = match (before, after) {
            (None, _) => Status::Added,
            (_, None) => Status::Removed,
            _ => Status::Changed,
        };
        let fields_of = |side: Option<&(String, String, Vec<Field>)>| side.map(|s| s.2.clone()).unwrap_or_default();
        let fields = changes(&fields_of(before), &fields_of(after), money_unit);
        if status != Status::Changed || !fields.is_empty() {
            let name = after.or(before).map(|s| s.1.clone()).unwrap_or_default();
            found.push(ActualsDiff { status, code: code.clone(), name, fields });
        }
    }
    found
}

/// `period.yaml` as fields.
fn period_fields(side: &PeriodSide) -> Vec<Field> {
    let Some(loaded) = &side.files.period else { return Vec::new() };
    let spec = &loaded.spec;
    let mut fields = Vec::new();
    let label = |key: &'static str| PERIOD_FIELDS.iter().find(|f| f.key == key).map_or(key, |f| short_label(f.label));
    push(&mut fields, "form", label("form"), Some(&spec.form), Measure::Text);
    if let Some(month) = &spec.month {
        fields.push(Field {
            key: "month".into(),
            label: label("month").into(),
            value: month.value.to_string(),
            measure: Measure::Number,
        });
    }
    push(&mut fields, "date", label("date"), spec.date.as_ref(), Measure::Text);
    push(&mut fields, "title", label("title"), spec.title.as_ref(), Measure::Text);
    fields
}

/// A project's actuals as fields, then its results.
fn project_fields(
    side: &PeriodSide,
    target: &ProjectSpec,
    actuals: &ActualsSpec,
    evaluation: &Evaluation,
) -> Vec<Field> {
    let mut fields = Vec::new();
    let row_label = |key: &str| -> String {
        side.form
            .and_then(|f| f.def.evaluation.as_ref())
            .and_then(|d| d.money_rows.iter().find(|r| r.key == key))
            .map(|r| r.label.clone())
            .unwrap_or_else(|| key.to_string())
    };
    if let Some(money) = &actuals.money {
        for (row, figures) in money.written() {
            for (column, column_label) in MONEY_COLUMN_LABELS {
                let label = format!("资金 · {} · {column_label}", row_label(row));
                push(&mut fields, &format!("money.{row}.{column}"), &label, figures.column(column), Measure::Money);
            }
        }
    }
    push(&mut fields, "money_reason", "执行率偏低的原因", actuals.money_reason.as_ref(), Measure::Text);
    push(&mut fields, "goal", "年度总体目标完成情况", actuals.goal.as_ref(), Measure::Text);
    for indicator in &actuals.indicators {
        indicator_fields(&mut fields, indicator, side.form);
    }
    push(&mut fields, "conclusion", "评价结论", actuals.conclusion.as_ref(), Measure::Text);
    push(&mut fields, "problems", "存在问题", actuals.problems.as_ref(), Measure::Text);
    push(&mut fields, "measures", "改进措施", actuals.measures.as_ref(), Measure::Text);
    for (key, value) in &actuals.extra {
        push(&mut fields, &key.value, &own_label(side.form, &key.value), Some(value), Measure::Text);
    }
    results(&mut fields, side, target, evaluation);
    fields
}

/// One indicator's figures as written.
fn indicator_fields(fields: &mut Vec<Field>, indicator: &ActualIndicator, form: Option<&Form>) {
    let name = &indicator.name.value;
    for about in INDICATOR_FIELDS.iter().filter(|f| !matches!(f.key, "name" | "level2" | "causes" | "applies")) {
        let value = indicator.text(about.key);
        let measure = match about.key {
            "actual" | "forecast" => Measure::IndicatorValue,
            _ if about.number => Measure::Number,
            _ => Measure::Text,
        };
        let label = format!("{name} · {}", short_label(about.label));
        push(fields, &format!("indicators.{name}.{}", about.key), &label, value, measure);
    }
    if !indicator.causes.is_empty() {
        let causes: Vec<&str> = indicator.causes.iter().map(|c| c.value.as_str()).collect();
        fields.push(Field {
            key: format!("indicators.{name}.causes"),
            label: format!("{name} · 偏差原因"),
            value: causes.join("、"),
            measure: Measure::Text,
        });
    }
    for (key, value) in &indicator.extra {
        let label = format!("{name} · {}", own_label(form, &key.value));
        push(fields, &format!("indicators.{name}.{}", key.value), &label, Some(value), Measure::Text);
    }
    if !indicator.applies() {
        fields.push(Field {
            key: format!("indicators.{name}.applies"),
            label: format!("{name} · 是否适用"),
            value: "不适用".into(),
            measure: Measure::Text,
        });
    }
}

/// The results computed from the figures: each row's score, the execution rate and
/// score, the total and the grade, as printed.
fn results(fields: &mut Vec<Field>, side: &PeriodSide, target: &ProjectSpec, evaluation: &Evaluation) {
    let scoring = side.form.and_then(|f| f.def.evaluation.as_ref()).and_then(|d| d.scoring.as_ref());
    let print = |v: rust_decimal::Decimal| scoring.map(|s| s.rounding.print(v)).unwrap_or_else(|| format_decimal(v));
    let mut add = |key: String, label: String, value: Option<String>, measure: Measure| {
        if let Some(value) = value {
            fields.push(Field { key, label, value, measure });
        }
    };
    for (row, indicator) in evaluation.rows.iter().zip(&target.indicators) {
        let name = &indicator.name.value;
        add(
            format!("result.{name}.weight"),
            format!("{name} · 分值（计算）"),
            scoring.map(|_| format_decimal(row.weight)),
            Measure::Number,
        );
        add(format!("result.{name}.score"), format!("{name} · 得分"), row.score.map(print), Measure::Number);
    }
    add(
        "result.rate".into(),
        "预算执行率".into(),
        evaluation.money.rate.map(|r| format!("{}%", r.round_dp(2).normalize())),
        Measure::Percent,
    );
    add("result.execution".into(), "预算执行率得分".into(), evaluation.money.score.map(print), Measure::Number);
    add("result.total".into(), "总分".into(), evaluation.total.map(print), Measure::Number);
    add("result.grade".into(), "自评等级".into(), evaluation.grade.clone(), Measure::Text);
}

/// The label a form gives its own field (its key when it declares none).
fn own_label(form: Option<&Form>, key: &str) -> String {
    let declared = form.and_then(|f| f.def.evaluation.as_ref()).and_then(|d| d.own_label(key));
    declared.unwrap_or(key).to_string()
}

fn push(fields: &mut Vec<Field>, key: &str, label: &str, value: Option<&Text>, measure: Measure) {
    if let Some(value) = value.filter(|v| !v.value.is_empty()) {
        fields.push(Field { key: key.into(), label: label.into(), value: value.value.clone(), measure });
    }
}
