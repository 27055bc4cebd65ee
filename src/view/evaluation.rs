//! One project's self-evaluation or monitoring table, and the period's combined report:
//! the target's indicators (names, values, 一级/二级) beside the actual figures and the
//! scores validation found, every number formatted exactly.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use super::printed::{optional, text};
use crate::form::Form;
use crate::form::evaluation::FieldPlace;
use crate::model::ProjectSpec;
use crate::model::Text;
use crate::model::actuals::{ActualIndicator, ActualsSpec};
use crate::score::Rounding;
use crate::text::fill;
use crate::validate::evaluation::{Evaluation, MoneyLine};
use crate::value::format_decimal;

/// One project's table.
#[derive(Serialize, Clone, Default)]
pub struct EvaluationView {
    /// Table title, e.g. 项目支出绩效自评表.
    pub title: String,
    /// 项目编码.
    pub code: String,
    /// 项目名称.
    pub name: String,
    /// 主管部门 (the target's, else the department's name).
    pub competent: String,
    /// 实施单位 (the target's, else the department's name).
    pub implementing: String,
    /// The monitoring month X ("" at year end).
    pub month: String,
    /// The money block.
    pub money: MoneyView,
    /// The target's 年度总体目标 (预期目标).
    pub goal: String,
    /// 实际完成情况 (1-X月执行情况 in monitoring).
    pub goal_actual: String,
    /// 一级 groups in the target's order.
    pub levels: Vec<LevelRows>,
    /// How many indicator rows there are.
    pub rows: usize,
    /// The rows' points and the execution row's, added ("" without scoring).
    pub points: String,
    /// The total of the printed scores ("" without scoring).
    pub total: String,
    /// Its grade (优, 良, 中, 差).
    pub grade: String,
    /// 评价结论, 存在问题, 改进措施 ("" where not written).
    pub conclusion: String,
    /// 存在问题.
    pub problems: String,
    /// 改进措施.
    pub measures: String,
    /// Pages of the table laid out on its own (known in the report's context).
    pub pages: usize,
    /// The form's own project fields (`evaluation.fields`), by key ("" where not written).
    pub extra: BTreeMap<String, String>,
}

/// The money block.
#[derive(Serialize, Clone, Default)]
pub struct MoneyView {
    /// The total row (年度资金总额).
    pub total: MoneyRowView,
    /// The fund-source rows, in the form's order.
    pub rows: Vec<MoneyRowView>,
    /// The execution row's points ("" without scoring).
    pub points: String,
    /// Its score.
    pub score: String,
    /// 执行率 of the total, e.g. `97.20%`.
    pub rate: String,
    /// Monitoring: the plan's share by month X (序时进度), e.g. `56.25%`.
    pub plan: String,
    /// Why the rate is low, as written.
    pub reason: String,
}

/// One money row ("" where not written).
#[derive(Serialize, Clone, Default)]
pub struct MoneyRowView {
    /// Printed label.
    pub label: String,
    /// 年初预算数.
    pub budget: String,
    /// 全年预算数 (adjusted; the initial budget where no adjustment is written).
    pub adjusted: String,
    /// 执行数.
    pub spent: String,
    /// 全年预计执行数.
    pub forecast: String,
    /// 执行率.
    pub rate: String,
}

/// An 一级 and its 二级 groups.
#[derive(Serialize, Clone, Default)]
pub struct LevelRows {
    /// 一级 label as the target writes it.
    pub label: String,
    /// Its points, added over its rows ("" without scoring).
    pub points: String,
    /// Rows it spans.
    pub span: usize,
    /// Its 二级 groups.
    pub groups: Vec<GroupRows>,
}

/// A 二级 and its rows.
#[derive(Serialize, Clone, Default)]
pub struct GroupRows {
    /// 二级 label.
    pub label: String,
    /// Its rows.
    pub rows: Vec<RowView>,
}

/// One indicator row.
#[derive(Serialize, Clone, Default)]
pub struct RowView {
    /// 三级指标.
    pub name: String,
    /// 年度指标值, as the target writes it.
    pub target: String,
    /// 指标性质 (≥, ≤, =, 定性), 指标值 (the number) and 度量单位, for forms that split the value.
    pub nature: String,
    /// The number of the value.
    pub number: String,
    /// The unit of the value.
    pub unit: String,
    /// 实际完成值 (1-X月执行情况 in monitoring).
    pub actual: String,
    /// 全年预计完成情况 (monitoring).
    pub forecast: String,
    /// 分值 ("" without scoring; 不适用 rows show the form's label in templates).
    pub weight: String,
    /// 得分.
    pub score: String,
    /// Whether the row applies.
    pub applies: bool,
    /// 偏差原因分析.
    pub reason: String,
    /// 改进措施.
    pub measure: String,
    /// Why a hand-written score differs from the rule's ("" where it does not).
    pub score_reason: String,
    /// Monitoring: for each of the form's causes, whether it is ticked.
    pub causes: Vec<bool>,
    /// Monitoring: for each of the form's likelihoods, whether it is the one.
    pub likelihood: Vec<bool>,
    /// 备注.
    pub note: String,
    /// The form's own indicator fields, by key ("" where not written).
    pub extra: BTreeMap<String, String>,
}

/// Arranges one project's table.
pub fn evaluation(
    form: &Form,
    department: &crate::model::DepartmentSpec,
    target: &ProjectSpec,
    actuals: &ActualsSpec,
    facts: &Evaluation,
    month: Option<u32>,
    values: &[Option<crate::value::IndicatorValue>],
) -> EvaluationView {
    let def = form.def.evaluation.as_ref();
    let scoring = def.and_then(|d| d.scoring.as_ref());
    let rounding = scoring.map(|s| s.rounding);
    let print = |value: Option<Decimal>| match (value, rounding) {
        (Some(v), Some(r)) => r.print(v),
        (Some(v), None) => format_decimal(v),
        (None, _) => String::new(),
    };
    let monitoring = def.and_then(|d| d.monitoring.as_ref());
    let mut levels: Vec<LevelRows> = Vec::new();
    let mut points_total = Decimal::ZERO;
    for (i, indicator) in target.indicators.iter().enumerate() {
        let row = facts.rows.get(i).cloned().unwrap_or_default();
        let actual: Option<&ActualIndicator> = row.actual.and_then(|j| actuals.indicators.get(j));
        let written =
            |f: fn(&ActualIndicator) -> &Option<crate::model::Text>| actual.map(|a| optional(f(a))).unwrap_or_default();
        let (nature, number, unit) = split_value(values.get(i).cloned().flatten().as_ref());
        points_total += row.weight;
        let view = RowView {
            name: text(&indicator.name),
            target: text(&indicator.value),
            nature,
            number,
            unit,
            actual: written(|a| &a.actual),
            forecast: written(|a| &a.forecast),
            weight: if scoring.is_some() && row.applies { format_decimal(row.weight) } else { String::new() },
            score: print(row.score),
            applies: row.applies,
            reason: written(|a| &a.reason),
            measure: written(|a| &a.measure),
            score_reason: written(|a| &a.score_reason),
            causes: monitoring
                .map(|m| {
                    m.causes.iter().map(|c| actual.is_some_and(|a| a.causes.iter().any(|x| &x.value == c))).collect()
                })
                .unwrap_or_default(),
            likelihood: monitoring
                .map(|m| {
                    m.likelihoods
                        .iter()
                        .map(|l| actual.and_then(|a| a.likelihood.as_ref()).is_some_and(|x| &x.value == l))
                        .collect()
                })
                .unwrap_or_default(),
            note: written(|a| &a.note),
            extra: own(def, FieldPlace::Indicator, actual.map(|a| a.extra.as_slice()).unwrap_or_default()),
        };
        place(&mut levels, &indicator.level1.value, &indicator.level2.value, view, row.weight);
    }
    if scoring.is_none() {
        levels.iter_mut().for_each(|level| level.points.clear());
    }
    EvaluationView {
        title: fill(&form.def.title, &[("year", &department.year.value.to_string())]),
        code: text(&target.code),
        name: text(&target.name),
        competent: target.text("competent_dept").map(text).unwrap_or_else(|| text(&department.department.name)),
        implementing: target.text("implementing_unit").map(text).unwrap_or_else(|| text(&department.department.name)),
        month: month.map(|m| m.to_string()).unwrap_or_default(),
        money: money(form, actuals, facts, rounding),
        goal: target.text("goal").map(text).unwrap_or_default(),
        goal_actual: optional(&actuals.goal),
        rows: target.indicators.len(),
        levels,
        points: scoring.map(|_| format_decimal(points_total + facts.money.points)).unwrap_or_default(),
        total: print(facts.total),
        grade: facts.grade.clone().unwrap_or_default(),
        conclusion: optional(&actuals.conclusion),
        problems: optional(&actuals.problems),
        measures: optional(&actuals.measures),
        pages: 0,
        extra: own(def, FieldPlace::Project, &actuals.extra),
    }
}

/// Every own field the form declares at `place`, as written ("" where not).
fn own(
    def: Option<&crate::form::EvaluationDef>,
    place: FieldPlace,
    written: &[(Text, Text)],
) -> BTreeMap<String, String> {
    def.map(|d| {
        d.fields_on(place)
            .map(|f| {
                (
                    f.key.clone(),
                    written.iter().find(|(k, _)| k.value == f.key).map(|(_, v)| v.value.clone()).unwrap_or_default(),
                )
            })
            .collect()
    })
    .unwrap_or_default()
}

/// Puts a row under its 一级/二级, consecutive rows of the same labels grouped.
fn place(levels: &mut Vec<LevelRows>, level1: &str, level2: &str, row: RowView, weight: Decimal) {
    if levels.last().is_none_or(|l| l.label != level1) {
        levels.push(LevelRows { label: level1.to_string(), points: "0".into(), ..LevelRows::default() });
    }
    let level = levels.last_mut().unwrap_or_else(|| unreachable!("just pushed"));
    let points: Decimal = level.points.parse().unwrap_or_default();
    level.points = format_decimal(points + weight);
    level.span += 1;
    if level.groups.last().is_none_or(|g| g.label != level2) {
        level.groups.push(GroupRows { label: level2.to_string(), rows: Vec::new() });
    }
    level.groups.last_mut().unwrap_or_else(|| unreachable!("just pushed")).rows.push(row);
}

/// The money block as printed.
fn money(form: &Form, actuals: &ActualsSpec, facts: &Evaluation, rounding: Option<Rounding>) -> MoneyView {
    let def = form.def.evaluation.as_ref();
    let rows = def
        .map(|d| d.money_rows.iter().zip(&facts.money.rows).map(|(r, line)| money_row(&r.label, line)).collect())
        .unwrap_or_default();
    let scored = def.and_then(|d| d.scoring.as_ref()).is_some();
    let print = |v: Option<Decimal>| match (v, rounding) {
        (Some(v), Some(r)) => r.print(v),
        (Some(v), None) => format_decimal(v),
        (None, _) => String::new(),
    };
    MoneyView {
        total: money_row(
            form.def.labels.get("money_total").map(String::as_str).unwrap_or_default(),
            &facts.money.total,
        ),
        rows,
        points: if scored { format_decimal(facts.money.points) } else { String::new() },
        score: if scored { print(facts.money.score) } else { String::new() },
        rate: percent(facts.money.rate),
        plan: percent(facts.money.plan),
        reason: optional(&actuals.money_reason),
    }
}

fn money_row(label: &str, line: &MoneyLine) -> MoneyRowView {
    let column = |key: &str| line.columns.get(key).map(|v| format_decimal(*v)).unwrap_or_default();
    MoneyRowView {
        label: label.to_string(),
        budget: column("budget"),
        adjusted: line
            .columns
            .get("adjusted")
            .or_else(|| line.columns.get("budget"))
            .map(|v| format_decimal(*v))
            .unwrap_or_default(),
        spent: column("spent"),
        forecast: column("forecast"),
        rate: percent(line.rate),
    }
}

/// A percentage with two places, e.g. `97.20%` ("" when unknown).
pub fn percent(value: Option<Decimal>) -> String {
    value.map(|v| format!("{}%", Rounding { places: 2, mode: Default::default() }.print(v))).unwrap_or_default()
}

/// A value split for forms that print 指标性质, 指标值 and 度量单位 apart.
fn split_value(value: Option<&crate::value::IndicatorValue>) -> (String, String, String) {
    use crate::value::{Cmp, IndicatorValue};
    match value {
        Some(IndicatorValue::Quantity { cmp, number, unit }) => {
            let nature = match cmp {
                Cmp::Ge => "≥",
                Cmp::Gt => ">",
                Cmp::Le => "≤",
                Cmp::Lt => "<",
                Cmp::Eq => "=",
            };
            (nature.into(), format_decimal(*number), unit.clone().unwrap_or_default())
        }
        Some(IndicatorValue::Qualitative(text)) => ("定性".into(), text.clone(), String::new()),
        _ => (String::new(), String::new(), String::new()),
    }
}
