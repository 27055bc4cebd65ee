//! A period's files started from the year's targets (`jixiao init --form <period form>`):
//! `period.yaml` naming the form, and for each project every indicator of its target
//! listed by name with its values left blank, the target's value and the form's choices
//! in comments beside them, so that a clerk fills in figures and never retypes a target.

use crate::form::{Form, FormKind};
use crate::model::ProjectSpec;
use crate::model::actuals::MONEY_COLUMN_LABELS;
use crate::spec::edit::emit::{double, plain_ok};
use crate::value::IndicatorValue;

/// The folder name a period gets by default: `year-end`, or `monitoring-07` for 1-7月.
pub fn default_name(kind: FormKind, month: Option<u32>) -> String {
    match (kind, month) {
        (FormKind::Monitoring, Some(month)) => format!("monitoring-{month:02}"),
        _ => "year-end".to_string(),
    }
}

/// The text of a new `period.yaml`.
pub fn period_text(form: &Form, month: Option<u32>) -> String {
    let mut out = format!("# {}：{}。\nform: {}\n", form.def.kind.label(), form.def.name, form.name);
    if let Some(month) = month {
        out.push_str(&format!("# 监控到几月（{month} 表示 1-{month} 月）。\nmonth: {month}\n"));
    }
    out.push_str("# 填报日期，如 2025-03-20（打印在合订本封面上，也是 PDF 的日期）。\n# date:\n");
    out
}

/// The text of a new actuals file for `target`: every indicator named, values blank.
pub fn actuals_text(form: &Form, target: &ProjectSpec) -> String {
    let def = form.def.evaluation.as_ref();
    let monitoring = def.and_then(|d| d.monitoring.as_ref());
    let scoring = def.and_then(|d| d.scoring.as_ref());
    let mut out = format!("# {} {}：{}的实际数据。\n", target.code.value, target.name.value, form.def.kind.label());
    out.push_str("# 金额的单位与 department.yaml 的 money_unit 相同；只写数字。\nmoney:\n");
    if let Some(def) = def {
        let columns: Vec<String> = def
            .money_columns
            .iter()
            .map(|c| {
                let label = MONEY_COLUMN_LABELS.iter().find(|(k, _)| k == c).map(|(_, l)| *l).unwrap_or_default();
                format!("{c}（{label}）")
            })
            .collect();
        out.push_str(&format!("  # 每行可写：{}\n", columns.join("，")));
        for (i, row) in def.money_rows.iter().enumerate() {
            let prefix = if i == 0 { "" } else { "# " };
            out.push_str(&format!("  {prefix}{}:  # {}\n", row.key, row.label));
            if i == 0 {
                for column in &def.money_columns {
                    out.push_str(&format!("    {column}:\n"));
                }
            }
        }
    }
    let goal = match form.def.kind {
        FormKind::Monitoring => "1-X月执行情况",
        _ => "实际完成情况",
    };
    out.push_str(&format!(
        "# 年度总体目标的{goal}。目标：{}\ngoal:\n",
        target.text("goal").map(|t| t.value.as_str()).unwrap_or_default()
    ));
    if scoring.is_some_and(|s| s.execution.explain_below.is_some()) {
        out.push_str("# 预算执行率偏低的原因（表样要求时填写）。\n# money_reason:\n");
    }
    out.push_str("indicators:\n");
    for indicator in &target.indicators {
        let qualitative = indicator.declared_qualitative()
            || matches!(IndicatorValue::parse(&indicator.value.value), Ok(IndicatorValue::Qualitative(_)));
        out.push_str(&format!(
            "  # {} / {}，指标值：{}\n  - name: {}\n",
            indicator.level1.value,
            indicator.level2.value,
            indicator.value.value,
            scalar(&indicator.name.value)
        ));
        if target.indicators.iter().filter(|i| i.name.value == indicator.name.value).count() > 1 {
            out.push_str(&format!("    level2: {}\n", scalar(&indicator.level2.value)));
        }
        match form.def.kind {
            FormKind::Monitoring => {
                out.push_str("    actual:\n    forecast:\n");
                if let Some(m) = monitoring {
                    out.push_str(&format!("    # 偏差原因可勾选：{}\n    causes: []\n", m.causes.join("、")));
                    out.push_str(&format!("    # {}\n    likelihood:\n", m.likelihoods.join(" / ")));
                }
            }
            _ => {
                if let (true, Some(s)) = (qualitative, scoring) {
                    let grades: Vec<&str> = s.qualitative.iter().map(|b| b.grade.as_str()).collect();
                    out.push_str(&format!("    # 定性指标：写等级（{}），并按等级写得分 score\n", grades.join(" / ")));
                    out.push_str("    actual:\n    score:\n");
                } else {
                    out.push_str("    actual:\n");
                }
                if scoring.is_some_and(|s| s.row_weights_required) {
                    out.push_str("    weight:\n");
                }
            }
        }
    }
    out
}

/// A name as a YAML scalar: plain where it reads back as itself, else quoted.
fn scalar(value: &str) -> String {
    if plain_ok(value, false) { value.to_string() } else { double(value) }
}
