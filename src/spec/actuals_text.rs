//! An actuals file or `period.yaml` as stable, readable text, for `git diff`
//! (`jixiao textconv`): every field on a line of its own under its Chinese name, the
//! money rows in the form's order, each indicator under its name. Comments, quoting and
//! indentation do not show.

use std::fmt::Write;

use crate::form::Form;
use crate::model::Text;
use crate::model::actuals::short_label;
use crate::model::actuals::{
    ActualsSpec, INDICATOR_FIELDS, MONEY_COLUMN_LABELS, MONEY_ROWS, PERIOD_FIELDS, PeriodSpec,
};

fn line(out: &mut String, indent: &str, label: &str, value: Option<&Text>) {
    if let Some(value) = value.filter(|v| !v.value.is_empty()) {
        let value = value.value.replace('\n', &format!("\n{indent}  "));
        let _ = writeln!(out, "{indent}{}：{value}", short_label(label));
    }
}

/// `period.yaml` as text.
pub fn period(spec: &PeriodSpec) -> String {
    let mut out = String::new();
    let label = |key: &str| PERIOD_FIELDS.iter().find(|f| f.key == key).map_or("", |f| f.label);
    line(&mut out, "", label("form"), Some(&spec.form));
    if let Some(month) = &spec.month {
        let _ = writeln!(out, "监控到：1-{} 月", month.value);
    }
    line(&mut out, "", label("date"), spec.date.as_ref());
    line(&mut out, "", label("title"), spec.title.as_ref());
    out
}

/// An actuals file as text; `form` gives the money rows' labels and order when known.
pub fn actuals(spec: &ActualsSpec, form: Option<&Form>) -> String {
    let mut out = String::new();
    if let Some(money) = &spec.money {
        let rows: Vec<(String, String)> = match form.and_then(|f| f.def.evaluation.as_ref()) {
            Some(def) => def.money_rows.iter().map(|r| (r.key.clone(), r.label.clone())).collect(),
            None => MONEY_ROWS.iter().map(|k| (k.to_string(), k.to_string())).collect(),
        };
        for (key, label) in rows {
            let Some(row) = money.row(&key) else { continue };
            let figures: Vec<String> = MONEY_COLUMN_LABELS
                .iter()
                .filter_map(|(column, name)| {
                    let value = row.column(column).filter(|v| !v.value.is_empty())?;
                    Some(format!("{} {}", short_label(name), value.value))
                })
                .collect();
            let _ = writeln!(out, "资金 · {label}：{}", figures.join("，"));
        }
    }
    line(&mut out, "", "执行率偏低的原因", spec.money_reason.as_ref());
    line(&mut out, "", "年度总体目标完成情况", spec.goal.as_ref());
    for indicator in &spec.indicators {
        let _ = writeln!(out, "\n{}", indicator.name.value);
        for about in INDICATOR_FIELDS {
            let value = if about.key == "name" { None } else { indicator.text(about.key) };
            line(&mut out, "  ", about.label, value);
        }
        if !indicator.causes.is_empty() {
            let causes: Vec<&str> = indicator.causes.iter().map(|c| c.value.as_str()).collect();
            let _ = writeln!(out, "  偏差原因：{}", causes.join("、"));
        }
        for (key, value) in &indicator.extra {
            line(&mut out, "  ", &own_label(form, &key.value), Some(value));
        }
        if !indicator.applies() {
            let _ = writeln!(out, "  不适用");
        }
    }
    if spec.conclusion.is_some() || spec.problems.is_some() || spec.measures.is_some() {
        out.push('\n');
    }
    line(&mut out, "", "评价结论", spec.conclusion.as_ref());
    line(&mut out, "", "存在问题", spec.problems.as_ref());
    line(&mut out, "", "改进措施", spec.measures.as_ref());
    for (key, value) in &spec.extra {
        line(&mut out, "", &own_label(form, &key.value), Some(value));
    }
    out
}

/// The label of a field of the form's own (its key when the form does not declare it).
fn own_label(form: Option<&Form>, key: &str) -> String {
    let declared = form.and_then(|f| f.def.evaluation.as_ref()).and_then(|d| d.own_label(key));
    declared.unwrap_or(key).to_string()
}
